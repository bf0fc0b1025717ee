"""Extraction stage: page bytes -> article text and metadata (see extract.py)."""

from pipelines.decode import decode_html
from pipelines.extract import ExtractedArticle, ExtractionError, extract_article

__all__ = ["decode_html", "extract_article", "ExtractedArticle", "ExtractionError"]

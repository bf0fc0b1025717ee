"""Scrapy item pipelines: extract → enrich (NLP) → store, one article at a time.

Each stage is a thin wrapper over a plain function (`extract_article`, `analyze_article`,
`Store.upsert_article`), so batch jobs (`newsmine ingest`, `reindex`) call the same code.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import PageItem
from crawler.state import close_store, store_for
from crawler.urls import canonicalize
from pipelines.extract import ExtractionError, extract_article

log = logging.getLogger(__name__)


class _Stage:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "_Stage":
        return cls(crawler)

    def count(self, item: PageItem, what: str) -> None:
        self.stats.inc_value(f"newsmine/source/{item.source}/{what}")


class ExtractPipeline(_Stage):
    def process_item(self, item: PageItem) -> PageItem:
        try:
            article = extract_article(item.body, item.url, declared_encoding=item.charset)
        except ExtractionError as error:
            self.count(item, "error/extract")
            raise DropItem(f"{item.url}: {error}") from None
        record = {
            "url": item.url,
            "canonical_url": canonicalize(article.canonical_url or item.url),
            "outlet": article.outlet,
            "title": article.title,
            "published_at": article.published_at,
            "modified_at": article.modified_at,
            "authors": article.authors,
            "body": article.body,
            "source": item.source,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        item.record = record
        return item


class EnrichPipeline(_Stage):
    """The NLP stage; `NEWSMINE_NLP = False` (crawl --no-nlp) stores articles without it."""

    def process_item(self, item: PageItem) -> PageItem:
        if not self.crawler.settings.getbool("NEWSMINE_NLP", True):
            item.record.setdefault("organizations", [])
            item.record.setdefault("achievements", [])
            return item
        from nlp.pipeline import enrich_record

        try:
            enrich_record(item.record)
        except Exception:  # noqa: BLE001 — keep the article; `newsmine reindex` can redo its NLP
            log.exception("NLP failed on %s; storing the article without organisations", item.url)
            self.count(item, "error/nlp")
            item.record["organizations"] = []
            item.record["achievements"] = []
        return item


class StorePipeline(_Stage):
    def process_item(self, item: PageItem) -> PageItem:
        store = store_for(self.crawler)
        _, status = store.upsert_article(item.record)
        store.set_fetch_state(item.url, etag=item.etag, last_modified=item.last_modified, status=item.status)
        self.count(item, status)
        return item

    def close_spider(self) -> None:
        close_store(self.crawler)

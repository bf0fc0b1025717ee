"""`newsmine extract`: one article (text or HTML) → organisations and achievements."""

from __future__ import annotations

from typing import Any

from newsmine.errors import UsageError


def extract_one(raw: Any, *, html: bool, url: str, published: str | None = None) -> dict:
    from nlp.pipeline import analyze_text

    if html:
        from pipelines.extract import extract_article

        article = extract_article(raw, url)
        result = analyze_text(article.body, published or article.published_at, (article.outlet or "",))
        return {"title": article.title, "url": article.canonical_url, "outlet": article.outlet,
                "published_at": article.published_at, **result}
    text = raw if isinstance(raw, str) else raw.decode("utf-8", errors="replace")
    if not text.strip():
        raise UsageError("the input is empty")
    published = published or _stamped_date(text)
    return {"published_at": published, **analyze_text(text, published)}


def _stamped_date(text: str) -> str | None:
    """A plain-text article often keeps its stamp (`기사승인 : 2024-09-11 16:10:25`)."""
    from pipelines.dates import find_stamps

    stamps = [s for s in find_stamps(text[:2000]) if s.kind == "published"]
    return stamps[0].iso() if stamps else None

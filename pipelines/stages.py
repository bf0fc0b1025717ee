"""Scrapy item pipelines: extract → enrich (NLP) → store, one article at a time.

Each stage is a thin wrapper over a plain function (`extract_record`,
`enrich_record_with_terms`, `article_terms` + `Store.upsert_article`), so batch jobs
(`newsmine ingest`, `reindex`) call the same code. The CPU-bound functions run in the crawl's
worker processes (pipelines/pool.py) and the stages await them, so downloading goes on
meanwhile; the store is written from the crawl process only. The NLP stage hands the store the
search terms from its own Kiwi pass, so a body is analysed once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import PageItem
from crawler.state import close_store, stop_on_store_error, store_error, store_for
from crawler.urls import canonicalize
from nlp.bounds import MAX_TEXT_CHARS
from pipelines.extract import ExtractionError, extract_article
from pipelines.pool import close_pool, pool_for
from pipelines.releases import count_attachments, extract_release

log = logging.getLogger(__name__)


def extract_record(body: bytes, url: str, charset: str | None, source: str) -> dict[str, Any]:
    """The article record of a fetched page (ExtractionError when it holds none)."""
    article = extract_article(body, url, declared_encoding=charset)
    return {
        "url": url,
        "canonical_url": canonicalize(article.canonical_url or url),
        "outlet": article.outlet,
        "title": article.title,
        "published_at": article.published_at,
        "modified_at": article.modified_at,
        "authors": article.authors,
        "body": article.body,
        "source": source,
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "body_cut": article.body_cut,   # popped by ExtractPipeline: a count, not a column
    }


def enrich(record: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """The NLP stage, and the search terms from the same Kiwi pass (the store needs them)."""
    from nlp.pipeline import enrich_record_with_terms

    return enrich_record_with_terms(record)


def article_terms(title: str, body: str) -> list[Any]:
    """Search terms of a title and body, as the store would compute them."""
    from nlp.terms import analyze_many

    return list(analyze_many([title, body]))


class _Stage:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.pool = pool_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "_Stage":
        return cls(crawler)

    def count(self, item: PageItem, what: str) -> None:
        self.stats.inc_value(f"newsmine/source/{item.source}/{what}")


class ExtractPipeline(_Stage):
    async def process_item(self, item: PageItem) -> PageItem:
        try:
            if item.kind == "press_release":   # the post and its attachments' text, one record
                item.record = await self.pool.run(extract_release, item.body, item.url, item.charset,
                                                  item.source, item.attachments)
            else:
                item.record = await self.pool.run(extract_record, item.body, item.url, item.charset, item.source)
        except ExtractionError as error:   # `extract`, or `no_article` when the text found is chrome
            self.count(item, f"error/{error.kind}")
            raise DropItem(f"{item.url}: {error}") from None
        if item.record.pop("body_cut", False):
            self.count(item, "cut")
            log.warning("%s: the article text was cut at %d characters", item.url, MAX_TEXT_CHARS)
        count_attachments(item, self.count, self.stats)
        return item


class EnrichPipeline(_Stage):
    """The NLP stage; `NEWSMINE_NLP = False` (crawl --no-nlp) stores articles without it."""

    async def process_item(self, item: PageItem) -> PageItem:
        if not self.crawler.settings.getbool("NEWSMINE_NLP", True):
            item.record.setdefault("organizations", [])
            item.record.setdefault("achievements", [])
            return item
        try:
            item.record, item.terms = await self.pool.run(enrich, item.record)
        except Exception:  # noqa: BLE001 — keep the article; `newsmine reindex` can redo its NLP
            log.exception("NLP failed on %s; storing the article without organisations", item.url)
            self.count(item, "error/nlp")
            item.record["organizations"] = []
            item.record["achievements"] = []
        return item


class StorePipeline(_Stage):
    async def process_item(self, item: PageItem) -> PageItem:
        from index import StoreError

        if store_error(self.crawler) is not None:   # the crawl is stopping: nothing more is stored
            self.count(item, "error/store")
            raise DropItem(f"{item.url}: not stored, the store failed")
        terms = item.terms  # from the NLP stage's Kiwi pass
        if terms is None and self.pool.workers > 0:  # else the store analyses, when the text changed
            terms = await self.pool.run(article_terms, item.record["title"], item.record["body"])
        try:
            store = store_for(self.crawler)
            _, status = store.upsert_article(item.record, terms=terms)
            store.set_fetch_state(item.url, etag=item.etag, last_modified=item.last_modified, status=item.status)
        except StoreError as error:   # read-only, disk full: stop fetching, the run fails
            self.count(item, "error/store")
            stop_on_store_error(self.crawler, error)
            raise DropItem(f"{item.url}: not stored: {error}") from None
        self.count(item, status)
        return item

    def close_spider(self) -> None:
        close_store(self.crawler)
        close_pool(self.crawler)

"""One store per crawl, shared by the middlewares and pipelines of that crawl."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from index import Store


def store_for(crawler: "Crawler") -> "Store":
    """Open the crawl's store (setting `NEWSMINE_DB`) once and keep it on the crawler."""
    store = getattr(crawler, "_newsmine_store", None)
    if store is None:
        from index import open_store

        store = open_store(crawler.settings.get("NEWSMINE_DB"))
        crawler._newsmine_store = store  # type: ignore[attr-defined]
    return store


def close_store(crawler: "Crawler") -> None:
    store = getattr(crawler, "_newsmine_store", None)
    if store is not None:
        store.close()
        crawler._newsmine_store = None  # type: ignore[attr-defined]

"""One store per crawl, shared by the middlewares and pipelines of that crawl."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from index import Store

log = logging.getLogger(__name__)

# The finish reason of a crawl stopped because its store refused a write (read-only, disk full).
STORE_FAILED = "store_failed"


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


def store_error(crawler: "Crawler") -> str | None:
    """Why the crawl's store failed, once it has (the crawl is then stopping)."""
    return getattr(crawler, "_newsmine_store_error", None)


def stop_on_store_error(crawler: "Crawler", error: Exception) -> None:
    """The store refused a write: fetching more would only lose more pages. Remember why and
    close the spider (finish reason `store_failed`); the run is then recorded as failed."""
    if store_error(crawler) is not None:
        return
    reason = (str(error).strip() or type(error).__name__).splitlines()[0]
    crawler._newsmine_store_error = reason  # type: ignore[attr-defined]
    log.error("the store failed, stopping the crawl: %s", reason)
    from scrapy.utils.defer import deferred_from_coro

    deferred_from_coro(crawler.engine.close_spider_async(reason=STORE_FAILED))

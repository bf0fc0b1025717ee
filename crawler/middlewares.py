"""Downloader middlewares that make a nightly crawl incremental and accountable."""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from crawler.state import stop_on_store_error, store_for


class KnownArticleMiddleware:
    """Skips article pages already in the store, so a re-run fetches nothing it has.

    A stored article is asked for again only when its sitemap `lastmod` or feed date is newer
    than our last fetch of it, and then conditionally (If-None-Match / If-Modified-Since):
    a 304 costs no body and leaves the row alone.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "KnownArticleMiddleware":
        return cls(crawler)

    def _count(self, request: Request, what: str) -> None:
        self.crawler.stats.inc_value(f"newsmine/source/{request.meta.get('source')}/{what}")

    def process_request(self, request: Request) -> None:
        if request.meta.get("kind") != "article" or request.meta.get("refresh"):
            return None
        store = store_for(self.crawler)
        if not store.has_url(request.url):
            return None
        state = store.get_fetch_state(request.url)
        if _newer(request.meta.get("lastmod"), state):
            request.meta["recheck"] = state
            if state and state.get("etag"):
                request.headers.setdefault("If-None-Match", state["etag"])
            if state and state.get("last_modified"):
                request.headers.setdefault("If-Modified-Since", state["last_modified"])
            self._count(request, "rechecked")
            return None
        self._count(request, "known_skipped")
        raise IgnoreRequest(f"already stored: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        state = request.meta.get("recheck")
        if request.meta.get("kind") == "article" and state is not None and response.status == 304:
            # unchanged since we stored it: remember that we checked, so we do not ask again
            store_for(self.crawler).set_fetch_state(
                request.url, etag=state.get("etag"), last_modified=state.get("last_modified"), status=304)
            self._count(request, "not_modified")
            raise IgnoreRequest(f"not modified: {request.url}")
        return response


def _newer(lastmod: str | None, state: dict[str, Any] | None) -> bool:
    """True when the discovery page dates the article after our last fetch of it."""
    if not lastmod or not state or not state.get("fetched_at"):
        return False
    from crawler.discovery import parse_when

    changed, fetched = parse_when(lastmod), parse_when(state["fetched_at"])
    return changed is not None and fetched is not None and changed > fetched


class ConditionalGetMiddleware:
    """Asks discovery pages (lists, feeds, sitemaps) only for changes since the last run.

    New validators are saved only when the crawl finishes cleanly: after a crash, the next
    run fetches those pages again and so finds every link it had not yet followed.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.pending: dict[str, tuple[str | None, str | None, int]] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConditionalGetMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("kind") in (None, "article"):
            return None
        state = store_for(self.crawler).get_fetch_state(request.url)
        if state:
            if state.get("etag"):
                request.headers.setdefault("If-None-Match", state["etag"])
            if state.get("last_modified"):
                request.headers.setdefault("If-Modified-Since", state["last_modified"])
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        kind = request.meta.get("kind")
        if kind in (None, "article"):
            return response
        source = request.meta.get("source")
        if response.status == 304:
            self.crawler.stats.inc_value(f"newsmine/source/{source}/not_modified")
            raise IgnoreRequest(f"not modified: {request.url}")
        if response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            self.pending[request.url] = (
                etag.decode("latin-1") if etag else None,
                modified.decode("latin-1") if modified else None,
                response.status,
            )
        return response

    def spider_closed(self, spider: Any, reason: str) -> None:
        if reason != "finished" or not self.pending:
            return
        store = store_for(self.crawler)
        for url, (etag, modified, status) in self.pending.items():
            store.set_fetch_state(url, etag=etag, last_modified=modified, status=status)


# Exception names that read badly in a crawl report. Scrapy cancels a download only when it
# passes DOWNLOAD_MAXSIZE (crawler/settings.py).
_ERROR_KINDS = {"DownloadCancelledError": "too_large"}


class SourceStatsMiddleware:
    """Counts pages and errors per source, for the crawl report."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SourceStatsMiddleware":
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        source = request.meta.get("source")
        if source:
            self.stats.inc_value(f"newsmine/source/{source}/fetched")
            if response.status == 404 and request.meta.get("probe"):
                # a generated next page past the last one: the end of the list, not an error
                self.stats.inc_value(f"newsmine/source/{source}/pages_ended")
            elif response.status >= 400:
                self.stats.inc_value(f"newsmine/source/{source}/error/http_{response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        from index import StoreError

        source = request.meta.get("source")
        if isinstance(exception, StoreError):   # a middleware's read or write of the store failed
            self.stats.inc_value(f"newsmine/source/{source}/error/store")
            stop_on_store_error(self.crawler, exception)
        elif source and isinstance(exception, IgnoreRequest) and str(exception).startswith("Forbidden by robots.txt"):
            # a draft page now and then is routine; every page of a source is a blocked source
            self.stats.inc_value(f"newsmine/source/{source}/robots_forbidden")
        elif source and not isinstance(exception, IgnoreRequest):
            name = type(exception).__name__
            self.stats.inc_value(f"newsmine/source/{source}/error/{_ERROR_KINDS.get(name, name)}")
        return None

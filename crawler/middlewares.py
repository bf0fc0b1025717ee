"""Downloader middlewares that make a nightly crawl incremental and accountable."""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from crawler.state import store_for


class KnownArticleMiddleware:
    """Skips article pages already in the store, so a re-run fetches nothing it has."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "KnownArticleMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("kind") != "article" or request.meta.get("refresh"):
            return None
        if store_for(self.crawler).has_url(request.url):
            self.crawler.stats.inc_value(f"newsmine/source/{request.meta.get('source')}/known_skipped")
            raise IgnoreRequest(f"already stored: {request.url}")
        return None


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


class SourceStatsMiddleware:
    """Counts pages and errors per source, for the crawl report."""

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SourceStatsMiddleware":
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        source = request.meta.get("source")
        if source:
            self.stats.inc_value(f"newsmine/source/{source}/fetched")
            if response.status >= 400:
                self.stats.inc_value(f"newsmine/source/{source}/error/http_{response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        source = request.meta.get("source")
        if source and not isinstance(exception, IgnoreRequest):
            self.stats.inc_value(f"newsmine/source/{source}/error/{type(exception).__name__}")
        return None

"""Downloader middlewares that make a nightly crawl incremental and accountable."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

from crawler.state import stop_on_store_error, store_for

log = logging.getLogger(__name__)


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


def error_kind(error: BaseException) -> str:
    """The crawl report's name for a download error (an exception's class name, mostly)."""
    name = type(error).__name__
    return _ERROR_KINDS.get(name, name)


class SourceStatsMiddleware:
    """Counts pages fetched per source, for the crawl report. A page that could not be had is
    counted once, as its source's error, by the spider (`NewsSpider.download_failed`), after
    any retries: counted here, every attempt of a retried page would be an error of its own."""

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
        return None


def retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delay-seconds or an HTTP date; None when
    absent or unreadable; a date in the past is 0)."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS), counted per source
    (`retried`), with the server's Retry-After honoured. Scrapy retries a 429 or 503 at once
    whatever the server asked; here a retry waits the Retry-After seconds when they are at
    most `NEWSMINE_RETRY_AFTER_MAX`, and a page whose server asks for a longer pause is not
    retried in this run (one line in the log; the page is its source's `http_429`/`http_503`
    error and is asked for again next run).

    A 429 or 503 speaks for the whole host, not the one page: the host's download slot then
    waits between its requests for the rest of the run — the Retry-After, else twice the delay
    it had, at least 1 s and at most `NEWSMINE_HOST_BACKOFF_MAX` (10 s: a page that asked for
    an hour is not retried, but its host's other pages still come in this run, gently; with
    AutoThrottle on, later quick answers bring the delay down again)."""

    SLOW_DOWN = (429, 503)

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("NEWSMINE_RETRY_AFTER_MAX", 60.0)
        self.host_backoff_max = settings.getfloat("NEWSMINE_HOST_BACKOFF_MAX", 10.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after(response.headers.get(b"Retry-After"))
        if response.status in self.SLOW_DOWN:
            self._slow_host(request, response.status, wait)
        if wait is not None:
            if wait > self.retry_after_max:
                log.warning("%s: %d with Retry-After %s (over the %g s a crawl waits): not retried",
                            request.url, response.status, _short(response.headers.get(b"Retry-After")),
                            self.retry_after_max)
                return response
            retries = request.meta.get("max_retry_times", self.max_retry_times)
            if wait > 0 and request.meta.get("retry_times", 0) < retries:
                await asyncio.sleep(wait)
        return self._retry(request, response_status_message(response.status)) or response

    def _slow_host(self, request: Request, status: int, wait: float | None) -> None:
        try:
            downloader = self.crawler.engine.downloader
        except RuntimeError:        # no crawl running (Scrapy sets the engine when one starts)
            return
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        delay = min(max(wait or 0.0, slot.delay * 2, 1.0), self.host_backoff_max)
        if delay > slot.delay:
            log.warning("%s answered %d: %g s between its requests from now on", key, status, delay)
            slot.delay = delay

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        source = request.meta.get("source")
        if retry is not None and source:
            self.crawler.stats.inc_value(f"newsmine/source/{source}/retried")
        return retry


def _short(value: bytes | None) -> str:
    return (value or b"").decode("latin-1")[:40]

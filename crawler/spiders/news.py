"""The one news spider: discovery pages (lists, feeds, sitemaps) lead to article pages.

Where links lead and what kind of page each is comes from a `LinkPolicy` (a replay archive's
manifest, or the site registry for live crawls), so the same code crawls both. The spider
also decides how far to go: `--since` skips old entries and stops pagination into the past;
a list page that ends in a run of already-stored articles is not paginated further (unless
the source's previous run was interrupted: then it catches up); a source gets at most
`NEWSMINE_MAX_PAGES_PER_SOURCE` discovery pages per run, whatever trap it sets.

On a press-release board (a site of kind `press-release`, or an archive that holds attachment
files) a post's HWP/HWPX/PDF attachments are fetched with it (`parse_release`): at most
`NEWSMINE_MAX_ATTACHMENTS` per post, each at most `NEWSMINE_ATTACHMENT_MAXSIZE` bytes, through
the downloader middlewares (robots.txt, politeness) but not the scheduler, so the post and its
files travel as one item whatever the duplicate filter or depth limit would say.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any, AsyncIterator, Iterator

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.attachments import (DOCUMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS,
                                 AttachmentLink, attachment_links, disposition_name)
from crawler.discovery import Link, feed_links, html_links, parse_when, sitemap_links
from crawler.items import Attachment, PageItem
from crawler.middlewares import error_kind
from crawler.policy import LinkPolicy, Target
from crawler.state import store_for
from crawler.urls import canonicalize


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, policy: LinkPolicy, catch_up: frozenset[str] = frozenset(), **kwargs: Any):
        super().__init__(**kwargs)
        self.policy = policy
        self.catch_up = catch_up              # sources whose last run did not finish
        self.discovery_pages: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "NewsSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.since = parse_when(settings.get("NEWSMINE_SINCE"))
        spider.known_run_stop = settings.getint("NEWSMINE_KNOWN_RUN_STOP", 10)
        spider.max_pages = settings.getint("NEWSMINE_MAX_PAGES_PER_SOURCE", 200)
        spider.max_attachments = settings.getint("NEWSMINE_MAX_ATTACHMENTS", MAX_ATTACHMENTS)
        spider.attachment_maxsize = settings.getint("NEWSMINE_ATTACHMENT_MAXSIZE", MAX_ATTACHMENT_BYTES)
        if settings.get("NEWSMINE_REDIS_URL"):
            from crawler.distributed import connect_idle_wait

            connect_idle_wait(spider, crawler)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for target in self.policy.seeds():
            request = self._request(target, page=1 if target.kind == "list" else None)
            if request is not None:
                yield request

    # ----------------------------------------------------------------- requests

    def _request(self, target: Target, lastmod: datetime | None = None, page: int | None = None,
                 probe: bool = False) -> scrapy.Request | None:
        if target.kind != "article":
            if self.discovery_pages[target.source] >= self.max_pages:
                self.crawler.stats.inc_value(f"newsmine/source/{target.source}/capped")
                return None
            self.discovery_pages[target.source] += 1
        meta: dict[str, Any] = {"kind": target.kind, "source": target.source}
        if lastmod is not None:
            meta["lastmod"] = lastmod.isoformat()
        if page is not None:
            meta["page"] = page
        if probe:
            meta["probe"] = True
        press = target.kind == "article" and self._press_release(target.source)
        return scrapy.Request(
            canonicalize(target.url),
            callback=self.parse_release if press else self.parse_page,
            errback=self.download_failed,
            meta=meta,
            priority=0 if target.kind == "article" else 10,
        )

    def download_failed(self, failure: Failure) -> None:
        """A page that could not be had, after any retries: one error of its source (the HTTP
        status, or the download error's kind) and one line in the log. Scrapy would log the
        whole traceback of every failed download. Refused requests (robots.txt, the address
        and redirect guards, pages already stored) are counted where they are refused."""
        error = failure.value
        request = getattr(failure, "request", None)
        if request is None:
            return
        if isinstance(error, HttpError):   # (an IgnoreRequest too)
            status = error.response.status
            if status == 404 and request.meta.get("probe"):
                return   # a generated next page past the last one: counted as pages_ended
            kind, detail = f"http_{status}", ""
        elif isinstance(error, IgnoreRequest):
            return
        else:
            kind, detail = error_kind(error), str(error)[:200]
        source = request.meta.get("source")
        if source:
            self.crawler.stats.inc_value(f"newsmine/source/{source}/error/{kind}")
        self.logger.warning("could not fetch %s: %s%s", request.url, kind, f" ({detail})" if detail else "")

    def _press_release(self, source: str) -> bool:
        press = getattr(self.policy, "press_release", None)
        return bool(press is not None and press(source))

    # ----------------------------------------------------------------- parsing

    async def parse_release(self, response: Response) -> AsyncIterator[PageItem]:
        """A post on a press-release board: the page and its attachment files, one item."""
        item = self._item(response)
        item.kind = "press_release"
        links, dropped = attachment_links(response.body, response.url, self.max_attachments)
        if dropped:
            self.crawler.stats.inc_value(f"newsmine/source/{item.source}/attachments_capped", dropped)
        for link in links:
            item.attachments.append(await self._attachment(link, response.url))
        yield item

    async def _attachment(self, link: AttachmentLink, page_url: str) -> Attachment:
        """One attachment's bytes, or the reason there are none (too large, http_404 …)."""
        request = scrapy.Request(
            link.url, dont_filter=True, headers={"Referer": page_url},
            meta={"attachment_of": page_url, "download_maxsize": self.attachment_maxsize,
                  "download_warnsize": self.attachment_maxsize // 2})
        try:
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as error:
            reason = "robots_forbidden" if "robots.txt" in str(error) else "ignored"
            return Attachment(link.url, link.name, link.claimed, error=reason)
        except Exception as error:  # noqa: BLE001 — any download failure is this file's error
            name = type(error).__name__
            return Attachment(link.url, link.name, link.claimed,
                              error="too_large" if name == "DownloadCancelledError" else name)
        if response.status >= 400:
            return Attachment(link.url, link.name, link.claimed, error=f"http_{response.status}")
        named = disposition_name(response.headers.get(b"Content-Disposition"))
        claimed = link.claimed or bool(named and named.rsplit(".", 1)[-1].lower() in DOCUMENT_EXTENSIONS)
        return Attachment(link.url, named or link.name, claimed, data=response.body)

    def parse_page(self, response: Response) -> Iterator[PageItem | scrapy.Request]:
        kind = response.meta["kind"]
        if kind == "article":
            yield self._item(response)
            return
        if kind == "rss":
            links = feed_links(response.body, response.url)
        elif kind == "sitemap":
            links, is_index = sitemap_links(response.body)
            if is_index:  # child sitemaps belong to the same source, whatever their URLs look like
                yield from self._child_sitemaps(response, links)
                return
        else:
            links = html_links(response.body, response.url)
        yield from self._follow(response, kind, links)

    def _item(self, response: Response) -> PageItem:
        header = response.headers.get(b"Content-Type", b"").decode("latin-1")
        charset = header.split("charset=", 1)[1].strip() if "charset=" in header else None
        return PageItem(
            url=response.url,
            body=response.body,
            charset=charset,
            source=response.meta["source"],
            status=response.status,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
        )

    def _child_sitemaps(self, response: Response, links: list[Link]) -> Iterator[scrapy.Request]:
        source = response.meta["source"]
        for link in links:
            if self._too_old(link.date):
                self.crawler.stats.inc_value(f"newsmine/source/{source}/since_skipped")
                continue
            request = self._request(Target(link.url, "sitemap", source), lastmod=link.date)
            if request is not None:
                yield request

    def _follow(self, response: Response, kind: str, links: list[Link]) -> Iterator[scrapy.Request]:
        source = response.meta["source"]
        articles: list[tuple[Target, datetime | None]] = []
        pages: list[Target] = []
        seen: set[str] = set()
        for link in links:
            target = self.policy.classify(link.url)
            if target is None:
                continue
            key = canonicalize(target.url)
            if key in seen:
                continue
            seen.add(key)
            if target.kind == "article":
                articles.append((target, link.date))
            elif kind in ("rss", "sitemap") or target.kind != "list":
                # feeds and sitemaps: dated entries older than --since are skipped
                if self._too_old(link.date):
                    self.crawler.stats.inc_value(f"newsmine/source/{target.source}/since_skipped")
                    continue
                request = self._request(target, lastmod=link.date)
                if request is not None:
                    yield request
            else:
                pages.append(target)

        dated_feed = kind in ("rss", "sitemap")
        for target, date in articles:
            if self._too_old(date):
                self.crawler.stats.inc_value(f"newsmine/source/{target.source}/since_skipped")
                continue
            request = self._request(target, lastmod=date if dated_feed else None)
            if request is not None:
                yield request

        if kind != "list":
            return
        stop = self._pagination_stop(source, articles)
        if stop:
            self.crawler.stats.inc_value(f"newsmine/source/{source}/pagination_stopped/{stop}")
            return
        for target in _next_pages(response.url, pages):
            request = self._request(target, page=None)
            if request is not None:
                yield request
        page = response.meta.get("page")
        if page is not None and articles:
            next_url = self.policy.page_url(source, page + 1)
            if next_url:
                request = self._request(Target(next_url, "list", source), page=page + 1, probe=True)
                if request is not None:
                    yield request

    def _too_old(self, date: datetime | None) -> bool:
        return self.since is not None and date is not None and date < self.since

    def _pagination_stop(self, source: str, articles: list[tuple[Target, datetime | None]]) -> str | None:
        """Why this list page is the last one to follow (None: paginate on)."""
        if self.since is not None:
            dates = [d for _, d in articles if d is not None]
            if dates and max(dates) < self.since:
                return "since"
        if not articles or source in self.catch_up or self.known_run_stop <= 0:
            return None
        store = store_for(self.crawler)
        run = 0
        for target, _ in reversed(articles):
            if not store.has_url(canonicalize(target.url)):
                break
            run += 1
        if run >= min(self.known_run_stop, len(articles)):
            return "known"
        return None


_PAGE_NUMBER = re.compile(r"[?&](?:page|pageIndex|pageNo|page_no|pg|cpage|curPage|currentPage)=(\d+)|/(\d+)/?$", re.I)


def page_number(url: str) -> int | None:
    match = _PAGE_NUMBER.search(url)
    return int(match.group(1) or match.group(2)) if match else None


def _next_pages(url: str, pages: list[Target]) -> list[Target]:
    """Pagination is walked one page at a time: of the numbered page links, only the next one
    (so a stop rule on page N really stops); links to other lists (sections) all count."""
    current = page_number(url) or 1
    numbered = [(page_number(t.url), t) for t in pages]
    later = [(n, t) for n, t in numbered if n is not None and n > current]
    follow = [t for n, t in numbered if n is None]
    if later:
        follow.append(min(later, key=lambda pair: pair[0])[1])
    return follow


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None

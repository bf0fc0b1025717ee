"""The one news spider: discovery pages (lists, feeds, sitemaps) lead to article pages.

Where links lead and what kind of page each is comes from a `LinkPolicy` (a replay archive's
manifest, or the site registry for live crawls), so the same code crawls both.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Iterator

import feedparser
import scrapy
from lxml import etree
from scrapy.http import Response

from crawler.items import PageItem
from crawler.policy import LinkPolicy, Target
from crawler.urls import canonicalize


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, policy: LinkPolicy, **kwargs: Any):
        super().__init__(**kwargs)
        self.policy = policy

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for target in self.policy.seeds():
            yield self._request(target)

    def _request(self, target: Target) -> scrapy.Request:
        return scrapy.Request(
            canonicalize(target.url),
            callback=self.parse_page,
            meta={"kind": target.kind, "source": target.source},
            priority=0 if target.kind == "article" else 10,
        )

    def parse_page(self, response: Response) -> Iterator[PageItem | scrapy.Request]:
        kind = response.meta["kind"]
        if kind == "article":
            header = response.headers.get(b"Content-Type", b"").decode("latin-1")
            charset = header.split("charset=", 1)[1].strip() if "charset=" in header else None
            yield PageItem(
                url=response.url,
                body=response.body,
                charset=charset,
                source=response.meta["source"],
                status=response.status,
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
            )
            return
        for link in self._links(response, kind):
            target = self.policy.classify(link)
            if target is not None:
                yield self._request(target)

    def _links(self, response: Response, kind: str) -> list[str]:
        if kind == "rss":
            feed = feedparser.parse(response.body)
            return [response.urljoin(e.link) for e in feed.entries if e.get("link")]
        if kind == "sitemap":
            root = etree.fromstring(response.body, parser=etree.XMLParser(recover=True, resolve_entities=False))
            if root is None:
                return []
            return [loc.text.strip() for loc in root.iter("{*}loc") if loc.text]
        return [response.urljoin(href) for href in response.css("a::attr(href)").getall()
                if not href.startswith(("javascript:", "mailto:", "#"))]


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None

"""`newsmine sites check`: does a source's config still match the site?

For each discovery route: robots.txt is asked first (a disallowed route is reported, not
fetched), then the route itself with the crawler's User-Agent; the report says the HTTP
status, how many links the page holds, how many match the article pattern and how many are
pagination (list pattern). A plain urllib fetch is enough for a handful of pages and keeps
the check independent of the crawl machinery it is meant to diagnose. Through a replay
server (`proxy`) the same check runs offline against a saved archive.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery import feed_links, html_links, sitemap_links
from crawler.replay import SCHEME_HEADER
from crawler.sites import Site
from crawler.urls import canonicalize

MAX_BYTES = 10 * 1024 * 1024


@dataclass
class RouteCheck:
    kind: str
    url: str
    status: int | str                 # HTTP status, or "robots-disallowed" / "error: …"
    links: int = 0
    articles: int = 0                 # distinct links matching article_pattern
    pagination: int = 0               # distinct links matching list_pattern
    sample: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Article links found (or, for a sitemap index, child sitemaps)."""
        return self.status == 200 and (self.articles > 0 or (self.kind == "sitemap" and self.pagination > 0))


@dataclass
class SiteCheck:
    key: str
    name: str
    routes: list[RouteCheck]

    @property
    def ok(self) -> bool:
        """The site is usable when at least one route yields article links."""
        return any(r.ok for r in self.routes)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "ok": self.ok,
                "routes": [asdict(r) | {"ok": r.ok} for r in self.routes]}


class Fetcher:
    """GET with the crawler's User-Agent; through a replay proxy when one is given."""

    def __init__(self, user_agent: str, proxy: str | None = None, timeout: float = 20.0):
        self.user_agent = user_agent
        self.timeout = timeout
        handlers: list[Any] = [urllib.request.ProxyHandler({"http": proxy} if proxy else {})]
        self.proxy = proxy
        self.opener = urllib.request.build_opener(*handlers)

    def get(self, url: str) -> tuple[int, bytes]:
        headers = {"User-Agent": self.user_agent}
        if self.proxy:  # the replay proxy speaks plain http and learns the scheme from a header
            scheme, rest = url.split("://", 1)
            url = f"http://{rest}"
            headers[SCHEME_HEADER] = scheme
        request = urllib.request.Request(url, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read(MAX_BYTES)
        except urllib.error.HTTPError as error:
            return error.code, error.read(MAX_BYTES) if error.fp else b""


def _robots(fetcher: Fetcher, url: str, cache: dict[str, urllib.robotparser.RobotFileParser]) -> urllib.robotparser.RobotFileParser:
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    if root not in cache:
        parser = urllib.robotparser.RobotFileParser()
        try:
            status, body = fetcher.get(root + "/robots.txt")
        except (OSError, ValueError):
            status, body = 0, b""
        if status == 200:
            parser.parse(body.decode("utf-8", "replace").splitlines())
        elif status in (401, 403):
            parser.disallow_all = True
        else:
            parser.allow_all = True
        cache[root] = parser
    return cache[root]


def check_site(site: Site, *, user_agent: str, proxy: str | None = None, timeout: float = 20.0) -> SiteCheck:
    fetcher = Fetcher(user_agent, proxy, timeout)
    robots: dict[str, urllib.robotparser.RobotFileParser] = {}
    checks = []
    routes = list(site.routes)
    if site.page_url:
        routes.append(("list", site.page(2) or ""))
    for kind, url in routes:
        if not _robots(fetcher, url, robots).can_fetch(user_agent, url):
            checks.append(RouteCheck(kind, url, "robots-disallowed"))
            continue
        try:
            status, body = fetcher.get(url)
        except (OSError, ValueError) as error:
            checks.append(RouteCheck(kind, url, f"error: {type(error).__name__}: {error}"[:200]))
            continue
        check = RouteCheck(kind, url, status)
        if status == 200:
            _count_links(check, site, kind, body, url)
        checks.append(check)
    return SiteCheck(site.key, site.name, checks)


def _count_links(check: RouteCheck, site: Site, kind: str, body: bytes, url: str) -> None:
    if kind == "rss":
        links = [link.url for link in feed_links(body, url)]
    elif kind == "sitemap":
        entries, is_index = sitemap_links(body)
        links = [link.url for link in entries]
        if is_index:  # an index lists sitemaps, not articles: count them as pagination
            check.links = check.pagination = len(links)
            return
    else:
        links = [link.url for link in html_links(body, url, dated=False)]
    check.links = len(links)
    articles: dict[str, None] = {}
    pages: set[str] = set()
    for link in links:
        if site.article_pattern.search(link):
            articles.setdefault(canonicalize(site.normalize(link)))
        elif site.list_pattern is not None and site.list_pattern.search(link):
            pages.add(canonicalize(link))
    check.articles = len(articles)
    check.pagination = len(pages)
    check.sample = list(articles)[:3]

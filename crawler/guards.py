"""Where a crawl may go: redirects that loop or run on, and addresses outside the crawl's world.

`AddressGuardMiddleware` sees every request, redirected ones included (Scrapy's
RedirectMiddleware sends a redirect back through the scheduler and so through every downloader
middleware), before robots.txt is asked for:

- replay: only the archive's hosts (and the hosts of the configured sites' seeds) are
  fetched; anything else is `off_archive`;
- live: a host is resolved (`socket.getaddrinfo`, once per host and port) and refused when any
  of its addresses is not public — loopback, private, link-local (cloud metadata at
  169.254.169.254), carrier-grade NAT, multicast, reserved: `private_address`. Hosts named
  in the setting `NEWSMINE_ALLOWED_HOSTS` ("host" or "host:port") are exempt (tests, an
  operator's intranet source).

`RedirectLimitMiddleware` counts what Scrapy's RedirectMiddleware would drop silently: a
redirect back to a URL of its own chain (`redirect_loop`) and one hop past
`REDIRECT_MAX_TIMES` (`redirect_chain`). Both count per source, like every crawl error.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from w3lib.url import safe_url_string

_REDIRECTS = {301, 302, 303, 307, 308}


def _count(crawler: Crawler, request: Request, kind: str) -> None:
    source = request.meta.get("source")
    if source:
        crawler.stats.inc_value(f"newsmine/source/{source}/error/{kind}")


def host_port(url: str) -> tuple[str, int | None]:
    """The lower-case host (no trailing dot) and port of a URL (`//host:port` for a bare address)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower().rstrip("."), port


def non_public(address: str) -> bool:
    """Whether an IP address is one a crawl of the public web must never fetch."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])   # drop an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


@lru_cache(maxsize=4096)
def refused_address(host: str, port: int | None) -> str | None:
    """The first non-public address `host` resolves to (None when all are public or the name
    does not resolve: the download then fails as a DNS error, counted as usual)."""
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = str(info[4][0])
        if non_public(address):
            return address
    return None


class AddressGuardMiddleware:
    """Refuses requests outside the crawl's world (see the module docstring)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.allowed = {h.lower() for h in settings.getlist("NEWSMINE_ALLOWED_HOSTS")}
        replay = settings.get("REPLAY_PROXY")
        self.replay_hosts: set[str] | None = (
            {h.lower() for h in settings.getlist("NEWSMINE_REPLAY_HOSTS")} if replay else None)
        self._seed_hosts: set[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "AddressGuardMiddleware":
        return cls(crawler)

    def _in_archive(self, host: str) -> bool:
        assert self.replay_hosts is not None
        if self._seed_hosts is None:   # --sites with --replay: the registry's own hosts answer 404
            policy: Any = getattr(self.crawler.spider, "policy", None)
            seeds = policy.seeds() if policy is not None else []
            self._seed_hosts = {host_port(t.url)[0] for t in seeds}
        return host in self.replay_hosts or host in self._seed_hosts

    def process_request(self, request: Request) -> None:
        host, port = host_port(request.url)
        if host in self.allowed or (port is not None and f"{host}:{port}" in self.allowed):
            return None
        if self.replay_hosts is not None:
            if not self._in_archive(host):
                _count(self.crawler, request, "off_archive")
                raise IgnoreRequest(f"outside the replay archive: {request.url}")
            return None
        address = refused_address(host, port)
        if address is not None:
            _count(self.crawler, request, "private_address")
            raise IgnoreRequest(f"refused, {host} is at non-public address {address}: {request.url}")
        return None


class RedirectLimitMiddleware:
    """Counts and drops redirect loops and over-long redirect chains (see the module docstring).

    Sits just nearer the downloader than Scrapy's RedirectMiddleware (600), so it sees the
    3xx response first."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_times = crawler.settings.getint("REDIRECT_MAX_TIMES", 20)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RedirectLimitMiddleware":
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in _REDIRECTS or b"Location" not in response.headers \
                or request.meta.get("dont_redirect"):
            return response
        location = safe_url_string(response.headers[b"Location"].decode("latin-1"))
        if location.startswith("//"):
            location = urlsplit(request.url).scheme + ":" + location
        target = urldefrag(urljoin(request.url, location))[0]
        chain = [urldefrag(u)[0] for u in (*request.meta.get("redirect_urls", []), request.url)]
        if target in chain:
            _count(self.crawler, request, "redirect_loop")
            raise IgnoreRequest(f"redirect loop: {chain[0]} -> … -> {target}")
        if request.meta.get("redirect_times", 0) + 1 > self.max_times:
            _count(self.crawler, request, "redirect_chain")
            raise IgnoreRequest(f"more than {self.max_times} redirects: {chain[0]}")
        return response

"""The name resolver of a crawl: Scrapy's default, refusing non-public addresses at connect time.

`crawler.guards.AddressGuardMiddleware` resolves a host and refuses it when an address is not
public, but Scrapy resolves the name again to connect; a DNS server that answers a public
address to the check and a private one to the connection (DNS rebinding) would get past the
check. Here the resolution the connection uses is checked as well: a non-public answer is a
DNS error (the download fails and counts as its source's error).

Exempt: IP literals (nothing to rebind; the middleware's check is exact for them), the hosts
of `NEWSMINE_ALLOWED_HOSTS`, and proxy hosts — the replay proxy (`REPLAY_PROXY`) and the
`http_proxy`/`https_proxy` of the environment, which an operator may run on a private address.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Sequence
from urllib.request import getproxies

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from crawler.guards import host_port, non_public


def _host(entry: str) -> str:
    """The host of `host`, `host:port` or a proxy URL."""
    return host_port(entry if "://" in entry else "//" + entry)[0]


def _ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


class PublicAddressResolver(CachingThreadedResolver):
    """CachingThreadedResolver (IPv4, cached, DNS_TIMEOUT) whose answers must be public."""

    exempt: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> "PublicAddressResolver":
        resolver = super().from_crawler(crawler, reactor)   # Scrapy's cache size and DNS_TIMEOUT
        settings = crawler.settings
        names = [*settings.getlist("NEWSMINE_ALLOWED_HOSTS"), settings.get("REPLAY_PROXY") or "",
                 *getproxies().values()]
        resolver.exempt = frozenset(_host(n) for n in names if n) - {""}
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        answer = super().getHostByName(name, timeout)
        if _ip_literal(name) or name.lower().rstrip(".") in self.exempt:
            return answer
        return answer.addCallback(self._public, name)

    @staticmethod
    def _public(address: str, name: str) -> str:
        if non_public(address):
            raise DNSLookupError(f"{name} resolved to the non-public address {address}: refused")
        return address

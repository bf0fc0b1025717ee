"""The site registry: data/sites/*.toml, one file per source, checked when loaded.

A source names where to discover articles (RSS/Atom feeds, sitemaps, list pages) and what
its article URLs look like; the crawl follows only links that match those patterns.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from crawler.policy import Target
from newsmine.paths import DATA_DIR

SITES_DIR = DATA_DIR / "sites"
_ROUTE_KINDS = ("rss", "sitemap", "list")


class SiteConfigError(ValueError):
    """A site file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    routes: tuple[tuple[str, str], ...]          # (kind, url)
    article_pattern: re.Pattern[str]
    list_pattern: re.Pattern[str] | None = None
    selectors: dict[str, str] = field(default_factory=dict)


def load_site(path: Path) -> Site:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SiteConfigError(f"{path}: {error}") from None
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise SiteConfigError(f"{path}: 'name' is required")
    routes = []
    for kind in _ROUTE_KINDS:
        for url in data.get(kind, []):
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise SiteConfigError(f"{path}: {kind} entry {url!r} is not an http(s) URL")
            routes.append((kind, url))
    if not routes:
        raise SiteConfigError(f"{path}: no discovery route (give rss, sitemap or list URLs)")
    try:
        article = re.compile(data["article_pattern"])
        listing = re.compile(data["list_pattern"]) if data.get("list_pattern") else None
    except KeyError:
        raise SiteConfigError(f"{path}: 'article_pattern' is required") from None
    except re.error as error:
        raise SiteConfigError(f"{path}: bad pattern: {error}") from None
    return Site(path.stem, name, tuple(routes), article, listing, dict(data.get("selectors", {})))


def load_sites(directory: Path = SITES_DIR) -> list[Site]:
    if not directory.is_dir():
        return []
    return [load_site(path) for path in sorted(directory.glob("*.toml"))]


class SitePolicy:
    """Live crawl: start from each site's routes; follow links matching its patterns."""

    def __init__(self, sites: list[Site]):
        self.sites = sites

    def seeds(self) -> list[Target]:
        return [Target(url, kind, site.key) for site in self.sites for kind, url in site.routes]

    def classify(self, url: str) -> Target | None:
        for site in self.sites:
            if site.article_pattern.search(url):
                return Target(url, "article", site.key)
            if site.list_pattern is not None and site.list_pattern.search(url):
                return Target(url, "list", site.key)
        return None

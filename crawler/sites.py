"""The site registry: data/sites/*.toml, one file per source, checked when loaded.

A source names where to discover articles (RSS/Atom feeds, sitemaps, list pages) and what
its article URLs look like; the crawl follows only links that match those patterns. Outlets
that share a CMS share a profile (data/sites/cms/*.toml), so a new outlet on a known CMS is
three lines: `name`, `cms`, `base`. Every error names the file and the field, on one line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.policy import Target
from core.paths import DATA_DIR

SITES_DIR = DATA_DIR / "sites"
ROUTE_KINDS = ("rss", "sitemap", "list")
_STRINGS = ("name", "cms", "base", "board", "article_pattern", "list_pattern", "page_url", "note", "kind")
SITE_KINDS = ("news", "press-release")
_LISTS = ("rss", "sitemap", "list", "ignore_params")
_NUMBERS = ("delay", "concurrency")
KNOWN_FIELDS = frozenset(_STRINGS + _LISTS + _NUMBERS + ("selectors", "verified", "description"))


class SiteConfigError(ValueError):
    """A site file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Site:
    key: str                                     # file stem: the source's name in reports
    name: str
    routes: tuple[tuple[str, str], ...]          # (kind, url)
    article_pattern: re.Pattern[str]
    list_pattern: re.Pattern[str] | None = None
    page_url: str | None = None                  # "…?page={page}" where pagination is script-only
    ignore_params: frozenset[str] = frozenset()  # query parameters that never select content
    selectors: dict[str, str] = field(default_factory=dict)
    cms: str | None = None
    base: str | None = None
    delay: float | None = None                   # per-domain politeness overrides
    concurrency: int | None = None
    verified: bool = False                       # routes checked against the live site
    kind: str = "news"                           # press-release: posts' attachments are read

    @property
    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname or "" for _, url in self.routes} - {""}

    def normalize(self, url: str) -> str:
        """Drop the site's non-content query parameters (list position, search filters)."""
        if not self.ignore_params:
            return url
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if k not in self.ignore_params]
        return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))

    def page(self, number: int) -> str | None:
        return self.page_url.format(page=number) if self.page_url else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise SiteConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SiteConfigError(f"{path}: not valid TOML: {error}") from None


def load_profiles(directory: Path) -> dict[str, dict[str, Any]]:
    """CMS profiles: data/sites/cms/NAME.toml, templates with `{base}` and `{site}` holes."""
    profiles: dict[str, dict[str, Any]] = {}
    if directory.is_dir():
        for path in sorted(directory.glob("*.toml")):
            data = _read_toml(path)
            _check_fields(path, data)
            profiles[path.stem] = data
    return profiles


def _check_fields(path: Path, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key not in KNOWN_FIELDS:
            raise SiteConfigError(f"{path}: field '{key}': unknown field (known: {', '.join(sorted(KNOWN_FIELDS))})")
        if key in _STRINGS and not isinstance(value, str):
            raise SiteConfigError(f"{path}: field '{key}': must be a string")
        if key in _LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise SiteConfigError(f"{path}: field '{key}': must be a list of strings")
        if key in _NUMBERS and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            raise SiteConfigError(f"{path}: field '{key}': must be a non-negative number")
        if key == "selectors" and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
            raise SiteConfigError(f"{path}: field 'selectors': must be a table of CSS selectors")
        if key == "kind" and value not in SITE_KINDS:
            raise SiteConfigError(f"{path}: field 'kind': must be one of {', '.join(SITE_KINDS)}")
        if key == "verified" and not isinstance(value, bool):
            raise SiteConfigError(f"{path}: field 'verified': must be true or false")


def _site_regex(base: str) -> str:
    """`{site}` in a profile pattern: scheme, optional www./m. and the base's host."""
    parts = urlsplit(base)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    port = f":{parts.port}" if parts.port else ""
    return rf"^https?://(?:www\.|m\.)?{re.escape(host + port)}"


def _fill(path: Path, key: str, value: Any, holes: dict[str, str | None], regex: bool) -> Any:
    """Fill a profile template: `{base}`, `{board}` (escaped inside patterns), `{site}` (a regex)."""
    if isinstance(value, list):
        return [_fill(path, key, v, holes, regex) for v in value]
    if not isinstance(value, str):
        return value
    for hole, filler in holes.items():
        if "{" + hole + "}" not in value:
            continue
        if filler is None:
            raise SiteConfigError(f"{path}: field '{hole}': required by the CMS profile's '{key}'")
        if hole == "site":
            filler = _site_regex(filler)
        elif regex:
            filler = re.escape(filler)
        value = value.replace("{" + hole + "}", filler)
    return value


def load_site(path: Path, profiles: dict[str, dict[str, Any]] | None = None) -> Site:
    """One source file, merged over its CMS profile (the file's own fields win)."""
    data = _read_toml(path)
    _check_fields(path, data)
    if profiles is None:
        profiles = load_profiles(path.parent / "cms")
    cms = data.get("cms")
    merged: dict[str, Any] = {}
    if cms is not None:
        if cms not in profiles:
            raise SiteConfigError(f"{path}: field 'cms': unknown CMS profile {cms!r} "
                                  f"(known: {', '.join(sorted(profiles)) or 'none'})")
        merged.update({k: v for k, v in profiles[cms].items() if k not in ("name", "description", "note")})
    merged.update(data)
    base = merged.get("base")
    if base is not None and not re.match(r"^https?://[^/\s]+/?$", base):
        raise SiteConfigError(f"{path}: field 'base': {base!r} is not a site root like https://www.example.kr")
    board = merged.get("board")
    if board is not None and not board.startswith("/"):
        raise SiteConfigError(f"{path}: field 'board': {board!r} must be a path starting with /")
    holes = {"base": base.rstrip("/") if base else None, "board": board, "site": base}
    for key in ("rss", "sitemap", "list", "page_url", "article_pattern", "list_pattern"):
        if key in merged:
            merged[key] = _fill(path, key, merged[key], holes, regex=key.endswith("_pattern"))

    name = merged.get("name")
    if not name:
        raise SiteConfigError(f"{path}: field 'name': required")
    routes = []
    for kind in ROUTE_KINDS:
        for url in merged.get(kind, []):
            if not url.startswith(("http://", "https://")):
                raise SiteConfigError(f"{path}: field '{kind}': {url!r} is not an http(s) URL")
            routes.append((kind, url))
    if not routes:
        raise SiteConfigError(f"{path}: field 'rss'/'sitemap'/'list': no discovery route given")
    if "article_pattern" not in merged:
        raise SiteConfigError(f"{path}: field 'article_pattern': required (or a 'cms' that gives it)")
    patterns = {}
    for key in ("article_pattern", "list_pattern"):
        if merged.get(key):
            try:
                patterns[key] = re.compile(merged[key])
            except re.error as error:
                raise SiteConfigError(f"{path}: field '{key}': bad regular expression: {error}") from None
    page_url = merged.get("page_url")
    if page_url is not None and "{page}" not in page_url:
        raise SiteConfigError(f"{path}: field 'page_url': must contain {{page}}")
    return Site(
        key=path.stem, name=name, routes=tuple(routes),
        article_pattern=patterns["article_pattern"], list_pattern=patterns.get("list_pattern"),
        page_url=page_url, ignore_params=frozenset(merged.get("ignore_params", [])),
        selectors=dict(merged.get("selectors", {})), cms=cms, base=base,
        delay=merged.get("delay"), concurrency=int(merged["concurrency"]) if "concurrency" in merged else None,
        verified=bool(merged.get("verified", False)), kind=merged.get("kind", "news"),
    )


def load_sites(directory: Path = SITES_DIR, names: list[str] | None = None) -> list[Site]:
    """Every source in `directory` (or only `names`, by file stem; unknown names are an error)."""
    if not directory.is_dir():
        return []
    profiles = load_profiles(directory / "cms")
    sites = [load_site(path, profiles) for path in sorted(directory.glob("*.toml"))]
    if names:
        by_key = {s.key: s for s in sites}
        unknown = [n for n in names if n not in by_key]
        if unknown:
            raise SiteConfigError(f"{directory}: no source named {', '.join(unknown)} "
                                  f"(known: {', '.join(sorted(by_key))})")
        sites = [by_key[n] for n in names]
    return sites


class SitePolicy:
    """Live crawl: start from each site's routes; follow links matching its patterns."""

    def __init__(self, sites: list[Site]):
        self.sites = sites
        self.by_key = {s.key: s for s in sites}

    def seeds(self) -> list[Target]:
        return [Target(url, kind, site.key) for site in self.sites for kind, url in site.routes]

    def classify(self, url: str) -> Target | None:
        for site in self.sites:
            if site.article_pattern.search(url):
                return Target(site.normalize(url), "article", site.key)
            if site.list_pattern is not None and site.list_pattern.search(url):
                return Target(url, "list", site.key)
        return None

    def page_url(self, source: str, number: int) -> str | None:
        site = self.by_key.get(source)
        return site.page(number) if site else None

    def press_release(self, source: str) -> bool:
        site = self.by_key.get(source)
        return site is not None and site.kind == "press-release"

"""Which links a crawl follows, and what kind of page each one is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from crawler.manifest import Archive


@dataclass(frozen=True)
class Target:
    url: str
    kind: str      # article | list | rss | sitemap (attachment: a file a post links, never a target)
    source: str    # site key, for the crawl report


class LinkPolicy(Protocol):
    def seeds(self) -> list[Target]: ...
    def classify(self, url: str) -> Target | None: ...
    def page_url(self, source: str, number: int) -> str | None:
        """List page `number` of a source whose pagination is script-only (else None)."""
        ...
    def press_release(self, source: str) -> bool:
        """The source is a press-release board: its posts' attachments are fetched with them."""
        ...


class ArchivePolicy:
    """Replay: start from the manifest; follow a link only if the archive holds that page."""

    def __init__(self, archive: Archive):
        self.archive = archive
        # a site whose archive holds attachment files is a press-release board
        self.press_sources = {_site(e.url) for e in archive.entries if e.kind == "attachment"}

    def seeds(self) -> list[Target]:
        return [Target(e.url, e.kind, _site(e.url)) for e in self.archive.seeds()]

    def classify(self, url: str) -> Target | None:
        entry = self.archive.get(url)
        if entry is None or entry.kind in ("robots", "attachment"):
            return None
        return Target(entry.url, entry.kind, _site(entry.url))

    def page_url(self, source: str, number: int) -> str | None:
        return None  # an archive's list pages link to each other

    def press_release(self, source: str) -> bool:
        return source in self.press_sources


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.").removeprefix("m.")

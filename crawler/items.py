"""What the spider hands to the item pipelines: one fetched article page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    url: str                      # the URL fetched (already canonicalised)
    body: bytes                   # raw bytes: pipelines decode them (charsets lie)
    charset: str | None           # charset from the Content-Type header, if any
    source: str                   # site key the page belongs to (for the crawl report)
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    record: dict[str, Any] = field(default_factory=dict)  # filled in by the pipelines
    terms: list[Any] | None = None  # search terms of title and body, when a stage computed them

    def __repr__(self) -> str:
        """What Scrapy's log lines show of an item (a dropped one, one that failed): its URL and
        sizes, never its body (a junk page would write megabytes into the log)."""
        return (f"PageItem(url={self.url!r}, source={self.source!r}, status={self.status}, "
                f"bytes={len(self.body)}, body_chars={len(self.record.get('body') or '')})")

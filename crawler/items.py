"""What the spider hands to the item pipelines: one fetched article page (with the files a
press-release post attaches, when it is one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Attachment:
    """One file a press-release post links: its bytes, or why they could not be fetched."""

    url: str
    name: str                     # as the board names it (Content-Disposition, link text, URL)
    claimed: bool = True          # the name says HWP/HWPX/PDF: unreadable bytes are an error
    data: bytes | None = None
    error: str | None = None      # a download failure: too large, http_404, timeout …

    def __repr__(self) -> str:
        return (f"Attachment(url={self.url!r}, name={self.name!r}, "
                f"bytes={None if self.data is None else len(self.data)}, error={self.error!r})")


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
    kind: str = "article"         # article | press_release (a post on a press-release board)
    attachments: list[Attachment] = field(default_factory=list)  # a press release's files

    def __repr__(self) -> str:
        """What Scrapy's log lines show of an item (a dropped one, one that failed): its URL and
        sizes, never its body (a junk page would write megabytes into the log)."""
        return (f"PageItem(url={self.url!r}, source={self.source!r}, status={self.status}, "
                f"bytes={len(self.body)}, body_chars={len(self.record.get('body') or '')})")

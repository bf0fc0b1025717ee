"""Links out of discovery pages, each with the date the page gives it (if any).

Feeds and sitemaps date their entries (`updated`/`published`, `lastmod`); list pages print a
date next to each headline. The dates let a crawl re-check a changed article, skip what is
older than `--since`, and stop paginating into the past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable

import feedparser
from lxml import etree
from lxml import html as lxml_html

KST = timezone(timedelta(hours=9))
_LIST_DATE = re.compile(
    r"(?<!\d)(20\d\d|19\d\d)\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?:\s*일)?\.?"
    r"(?:\s*(?:\([^)]{1,3}\)\s*)?(\d{1,2}):(\d{2}))?")
_ITEM_TAGS = {"li", "tr", "article", "dl", "dd", "div", "section"}
_MAX_ITEM_CHARS = 600  # an ancestor holding more text than this is the whole list, not an item


@dataclass(frozen=True)
class Link:
    url: str
    date: datetime | None = None   # aware; lastmod / feed date / list date


def parse_when(text: str | None) -> datetime | None:
    """An ISO or W3C date(time); naive values are Korean time. None when unreadable."""
    if not text:
        return None
    text = text.strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        match = _LIST_DATE.search(text)
        if not match:
            return None
        return _from_match(match)
    return when if when.tzinfo else when.replace(tzinfo=KST)


def _from_match(match: re.Match[str]) -> datetime | None:
    year, month, day, hour, minute = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=KST)
    except ValueError:
        return None


def feed_links(body: bytes, base_url: str) -> list[Link]:
    feed = feedparser.parse(body)
    links = []
    for entry in feed.entries:
        if not entry.get("link"):
            continue
        stamp = entry.get("updated_parsed") or entry.get("published_parsed")
        date = datetime(*stamp[:6], tzinfo=timezone.utc) if stamp else None
        links.append(Link(_join(base_url, entry.link), date))
    return links


def sitemap_links(body: bytes) -> tuple[list[Link], bool]:
    """(links, is_index): `<url>` entries of a urlset, or `<sitemap>` entries of an index."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return [], False
    if root is None:
        return [], False
    is_index = etree.QName(root).localname == "sitemapindex"
    links = []
    for node in root:
        if not isinstance(node.tag, str) or etree.QName(node).localname not in ("url", "sitemap"):
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        date = parse_when(_child_text(node, "lastmod") or _child_text(node, "publication_date"))
        links.append(Link(loc.strip(), date))
    return links, is_index


def _child_text(node: etree._Element, name: str) -> str | None:
    for child in node.iter():
        if isinstance(child.tag, str) and etree.QName(child).localname == name and child.text:
            return child.text.strip()
    return None


def html_links(body: bytes | str, base_url: str, dated: bool = True) -> list[Link]:
    """Every <a href> of a list page, in document order, with the date printed in its item."""
    try:
        tree = lxml_html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    links = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        links.append(Link(_join(base_url, href), _item_date(anchor) if dated else None))
    return links


def _item_date(anchor: lxml_html.HtmlElement) -> datetime | None:
    """The date in the link itself or in the smallest list item (li, tr …) around it."""
    node: lxml_html.HtmlElement | None = anchor
    for _ in range(5):
        if node is None:
            return None
        if node is anchor or node.tag in _ITEM_TAGS:
            text = " ".join(node.text_content().split())
            if len(text) > _MAX_ITEM_CHARS:
                return None
            match = _LIST_DATE.search(text)
            if match:
                return _from_match(match)
        node = node.getparent()
    return None


def _join(base: str, href: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, href.replace("&amp;", "&"))


def oldest(dates: Iterable[datetime | None]) -> datetime | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None

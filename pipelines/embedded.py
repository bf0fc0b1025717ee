"""Article data that script-rendered pages keep in JavaScript instead of HTML.

Two publishing stacks ship the story only as data: Arc XP / Fusion sites (chosun.com)
assign `Fusion.globalContent = {...}` with `content_elements`, and Next.js App Router
sites (hankookilbo.com since 2026) stream React Server Component "flight" data through
`self.__next_f.push([1, "..."])`, where long HTML arrives as a separate text row. Both
are read generically (no per-article knowledge), so sibling sites on the same stacks
work too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pipelines.clean import fragment_lines
from pipelines.metadata import norm_space

TITLE_KEYS = ("headline", "title", "articleTitle", "newsTitle")
PUBLISHED_KEYS = ("datePublished", "first_publish_date", "firstPublishDate", "publishedAt",
                  "publishDate", "publish_date", "deployDt", "createDate", "createdAt",
                  "created_date", "regDt", "regDate", "display_date")
MODIFIED_KEYS = ("dateModified", "last_updated_date", "updatedAt", "modifyDate", "modDt",
                 "updateDt", "reDeployDt")
BODY_KEYS = ("contentHtml", "articleBody", "bodyHtml", "content_html", "body")


@dataclass
class EmbeddedArticle:
    """What a script payload says about the article."""

    source: str
    title: str | None = None
    lines: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = obj.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


# --------------------------------------------------------------------------- Fusion

_FUSION_RE = re.compile(r"Fusion\.globalContent\s*=\s*")


def from_fusion(page: str) -> EmbeddedArticle | None:
    """Arc XP: headline, text/header elements, dates and credits from globalContent."""
    m = _FUSION_RE.search(page)
    if not m:
        return None
    try:
        obj, _ = json.JSONDecoder(strict=False).raw_decode(page, m.end())
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    art = EmbeddedArticle("fusion")
    headlines = obj.get("headlines")
    if isinstance(headlines, dict):
        art.title = norm_space(headlines.get("basic") or "") or None
    for el in obj.get("content_elements") or []:
        if not isinstance(el, dict):
            continue
        kind = el.get("type")
        if kind in ("text", "header") and isinstance(el.get("content"), str):
            art.lines += fragment_lines(el["content"])
        elif kind == "list":
            for item in el.get("items") or []:
                if isinstance(item, dict) and isinstance(item.get("content"), str):
                    art.lines += fragment_lines(item["content"])
    art.published = _first(obj, ("first_publish_date", "created_date", "display_date",
                                 "publish_date"))
    art.modified = _first(obj, ("last_updated_date",))
    credits = obj.get("credits")
    for person in (credits.get("by") if isinstance(credits, dict) else None) or []:
        if isinstance(person, dict):
            original = ((person.get("additional_properties") or {}).get("original") or {})
            name = original.get("byline") or person.get("name")
            if isinstance(name, str) and name.strip():
                art.authors.append(name.strip())
    return art if (art.lines or art.title) else None


# -------------------------------------------------------------------------- Next.js

_PUSH_RE = re.compile(r"self\.__next_f\.push\(\[\s*1\s*,\s*(\"(?:[^\"\\]|\\.)*\")\s*\]\)", re.S)
_TEXT_ROW_RE = re.compile(r"(?:^|\n)([0-9a-f]+):T([0-9a-f]+),")


def flight_data(page: str) -> str:
    """The concatenated RSC flight stream of a Next.js page ('' if none)."""
    parts = []
    for m in _PUSH_RE.finditer(page):
        try:
            parts.append(json.loads(m.group(1)))
        except ValueError:
            continue
    return "".join(parts)


def _text_rows(flight: str) -> dict[str, str]:
    """Text rows ("24:T<hex byte length>,<text>") by row id."""
    rows: dict[str, str] = {}
    encoded = flight.encode("utf-8")
    for m in _TEXT_ROW_RE.finditer(flight):
        start = len(flight[: m.end()].encode("utf-8"))
        length = int(m.group(2), 16)
        rows[m.group(1)] = encoded[start:start + length].decode("utf-8", "replace")
    return rows


def _enclosing_object(flight: str, pos: int) -> dict[str, Any] | None:
    """Innermost JSON object in the flight text that spans position `pos`."""
    decoder = json.JSONDecoder(strict=False)
    start = pos
    for _ in range(400):
        start = flight.rfind("{", 0, start)
        if start < 0:
            return None
        try:
            obj, end = decoder.raw_decode(flight, start)
        except ValueError:
            continue
        if end > pos and isinstance(obj, dict):
            return obj
    return None


def from_next_flight(page: str) -> EmbeddedArticle | None:
    """Next.js: the article object whose body HTML is the longest text in the stream."""
    flight = flight_data(page)
    if not flight:
        return None
    rows = _text_rows(flight)
    best_pos, best_html = -1, ""
    for k in BODY_KEYS:
        for m in re.finditer(r'"' + k + r'"\s*:\s*"', flight):
            try:
                value, _ = json.JSONDecoder(strict=False).raw_decode(flight, m.end() - 1)
            except ValueError:
                continue
            if isinstance(value, str) and value.startswith("$") and value[1:] in rows:
                value = rows[value[1:]]
            if isinstance(value, str) and len(value) > len(best_html) and "<" in value:
                best_pos, best_html = m.start(), value
    if best_pos < 0:
        return None
    art = EmbeddedArticle("next", lines=fragment_lines(best_html))
    obj = _enclosing_object(flight, best_pos) or {}
    art.title = norm_space(_first(obj, TITLE_KEYS) or "") or None
    art.published = _first(obj, PUBLISHED_KEYS)
    art.modified = _first(obj, MODIFIED_KEYS)
    for line in obj.get("byLines") or []:
        if isinstance(line, dict) and isinstance(line.get("writerName"), str):
            art.authors.append(line["writerName"])
    if not art.authors and isinstance(obj.get("writerDisplay"), str):
        art.authors.append(obj["writerDisplay"])
    return art if art.lines else None


def find_embedded(page: str) -> EmbeddedArticle | None:
    """Script-embedded article data, if the page is built on a stack known to use it."""
    if "Fusion.globalContent" in page:
        found = from_fusion(page)
        if found:
            return found
    if "self.__next_f" in page:
        return from_next_flight(page)
    return None

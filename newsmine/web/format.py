"""Small text formatters for pages and digests: Korean labels, amounts, safe snippets and links.

Everything that returns markup escapes its input first and adds only tags it wrote itself.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup, escape

from index.snippet import CLOSE, OPEN

TYPE_LABELS = {
    "contract": "계약", "selection": "선정", "award": "수상", "revenue": "매출",
    "export": "수출", "investment": "투자 유치", "hiring": "채용", "ip": "지식재산",
    "certification": "인증", "partnership": "협약·제휴", "launch": "출시", "funding": "자금 지원",
}
KIND_LABELS = {
    "firm": "기업", "government": "정부·지자체", "public": "공공기관", "university": "대학",
    "association": "협회·단체", "media": "언론", "other": "기타",
}
UNIT_SUFFIX = {"KRW": "원", "USD": "달러", "EUR": "유로", "JPY": "엔", "CNY": "위안"}
TITLE_CHARS = 200  # a title in a list is cut here (the article page shows it whole)
_MARKED = re.compile(re.escape(OPEN) + "([^" + OPEN + CLOSE + "]*)" + re.escape(CLOSE))


def snippet_html(snippet: str | None) -> Markup:
    """A search snippet as HTML: the text escaped, the index's «…» match markers as <mark>."""
    escaped = str(escape(snippet or ""))
    return Markup(_MARKED.sub(lambda m: f"<mark>{m.group(1)}</mark>", escaped))


def snippet_markdown(snippet: str | None) -> str:
    """A snippet for Markdown: markup characters neutralised, matches in bold."""
    text = markdown_escape(snippet or "")
    return _MARKED.sub(lambda m: f"**{m.group(1)}**", text)


def markdown_escape(text: str) -> str:
    """Backslash the characters Markdown (and its inline HTML) would act on."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~])", r"\\\1", text.replace("\n", " "))


def type_label(value: str | None) -> str:
    return TYPE_LABELS.get(value or "", value or "-")


def kind_label(value: str | None) -> str:
    return KIND_LABELS.get(value or "", value or "-")


def number(value: Any) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "-"


def percent(value: Any) -> str:
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return "-"


def _korean_units(value: float) -> str:
    """2000000000 → 20억, 321500000000 → 3,215억, 32000000 → 3,200만."""
    whole = int(round(value))
    if abs(whole) < 10_000:
        return f"{value:,.0f}" if value == whole else f"{value:,.2f}".rstrip("0").rstrip(".")
    parts = []
    for size, label in ((10**12, "조"), (10**8, "억"), (10**4, "만")):
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count:,}{label}")
    if whole:
        parts.append(f"{whole:,}")
    return " ".join(parts)


def amount_text(amount: dict[str, Any] | None) -> str:
    """An achievement amount in Korean: {"value": 2e9, "unit": "KRW", "approximate": true} →
    "약 20억 원"."""
    if not amount or amount.get("value") is None:
        return "-"
    try:
        value = float(amount["value"])
    except (TypeError, ValueError):
        return str(amount["value"])
    unit = amount.get("unit") or ""
    prefix = "약 " if amount.get("approximate") else ""
    if unit == "percent":
        return f"{prefix}{value:g}%"
    if unit == "persons":
        return f"{prefix}{_korean_units(value)}명"
    if unit == "items":
        return f"{prefix}{_korean_units(value)}건"
    suffix = UNIT_SUFFIX.get(unit, unit)
    return f"{prefix}{_korean_units(value)} {suffix}".strip()


def clip(text: str | None, limit: int = TITLE_CHARS) -> str:
    """The text cut to `limit` characters with an ellipsis: a 5,000-character title must not
    fill a list (the stylesheet also clamps titles and snippets to a few lines)."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def day(value: str | None) -> str:
    """The date part of an ISO timestamp."""
    return (value or "")[:10] or "-"


def safe_url(value: str | None) -> str | None:
    """The URL when it is http(s), else None: a stored `javascript:` URL must never be a link."""
    if not value:
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def _quote_value(value: str) -> str:
    """A field value as the query language reads it back: quoted when it holds a space, a
    parenthesis or a quote, with `\"` and `\\` escaped inside the quotes."""
    if not re.search(r'[\s()"]', value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_filter(query: str | None, field: str, value: str) -> str:
    """The query with one more field filter (month facets become a from:/to: pair)."""
    base = (query or "").strip()
    if field == "month":
        extra = f"from:{value} to:{value}"
    else:
        extra = f"{field}:{_quote_value(value)}"
    if extra in base:
        return base
    return f"{base} {extra}".strip()


def path_quote(value: str) -> str:
    """One URL path segment (an organisation name may hold '/' or '?')."""
    return quote(value or "", safe="")


def link(path: str, **params: Any) -> str:
    """path?query with the empty parameters left out."""
    kept = {k: v for k, v in params.items() if v not in (None, "", False, 0)}
    return f"{path}?{urlencode(kept)}" if kept else path


def evidence_html(evidence: str | None, firm: str | None, amount: dict[str, Any] | None) -> Markup:
    """An achievement's evidence sentence as HTML, escaped, with the firm's name and the
    figure (the amount expression whose value and unit match the achievement's) in <mark>."""
    from nlp.amounts import find_amounts

    text = evidence or ""
    spans: list[tuple[int, int, str]] = []
    if firm:
        spans += [(m.start(), m.end(), "firm") for m in re.finditer(re.escape(firm), text)]
    if amount and amount.get("value") is not None:
        found = [a for a in find_amounts(text) if a.unit == amount.get("unit")]
        same = [a for a in found if float(a.value) == float(amount["value"])]
        for a in (same or found)[:1]:
            spans.append((a.start, a.end, "figure"))
    out, at = [], 0
    for start, end, label in sorted(spans):
        if start < at:
            continue  # overlapping marks: the first wins
        out.append(str(escape(text[at:start])))
        out.append(f'<mark class="{label}">{escape(text[start:end])}</mark>')
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def achievement_line(entry: dict[str, Any]) -> str:
    """`계약 · 20억 원 · 한국전력공사`: an achievement in one line for a search hit."""
    parts = [type_label(entry.get("type"))]
    if entry.get("amount") and entry["amount"].get("value") is not None:
        parts.append(amount_text(entry["amount"]))
    if entry.get("counterparty"):
        parts.append(str(entry["counterparty"]))
    return " · ".join(parts)


def date_input(value: str | None, end: bool = False) -> str:
    """A from/to value (YYYY, YYYY-MM or YYYY-MM-DD) as an `<input type="date">` value: the
    first day of the period, or its last day with `end`, so a year or month filter survives
    a date picker; '' for anything else."""
    from datetime import date, timedelta

    from index.query import _date_bounds

    bounds = _date_bounds((value or "").strip())
    if bounds is None:
        return ""
    if not end:
        return bounds[0]
    return (date.fromisoformat(bounds[1]) - timedelta(days=1)).isoformat()


def highlight(text: str | None, regex: "re.Pattern[str] | None") -> Markup:
    """Text (a title, already clipped) as HTML, escaped, with the query's matches in <mark>."""
    text = text or ""
    if regex is None:
        return Markup(escape(text))
    out, at = [], 0
    for m in regex.finditer(text):
        if m.end() == m.start():
            continue
        out.append(str(escape(text[at:m.start()])))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        at = m.end()
    out.append(str(escape(text[at:])))
    return Markup("".join(out))

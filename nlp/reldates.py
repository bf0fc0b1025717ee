"""Korean date expressions in news text, resolved against the article's publication date.

Articles date events relative to the day they were written (`11일`, `지난달`, `지난해`), so an
achievement's date needs the publication date to mean anything. Values come back at the
precision the text gives: 'YYYY-MM-DD' (day), 'YYYY-MM' (month) or 'YYYY' (year).

Rules (pinned by tests/test_reldates.py):

* `지난 N일` / `지난 N월 (D일)` is the latest such day/month on or before publication;
  `오는 ...` the earliest on or after it (`지난 12월` in September 2024 is 2023-12).
* A bare day `N일` is in the publication month: news says `15일` for a coming day as well as
  a past one, so `15일` in an article of the 11th is the 15th of the same month. Exception:
  when the same day of the neighbouring month lies within a week of publication, that one
  is meant (`30일` in an article of October 1st is September 30th; `2일` on September 28th is
  October 2nd). A day the month lacks (`31일` in September) goes to the nearest month that has it.
* A bare month `N월` (or `N월 D일`) is in the publication year, unless the same month of the
  neighbouring year is within two months (`7월` in September is this July; `12월 30일` in an
  article of January 2nd is last December; `1월` in December is next January).
* A date that does not exist (`2023년 2월 29일`) or text that is not one expression gives None.
* Weeks, quarters, halves and offsets (`지난주`, `상반기`, `3일 전`) are not handled: None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

# Relative words -> offset from the publication date, in their own unit.
YEAR_WORDS: dict[str, int] = {
    "올해": 0, "금년": 0, "올": 0, "지난해": -1, "작년": -1, "전년": -1, "전년도": -1,
    "재작년": -2, "지지난해": -2, "내년": 1, "내년도": 1, "명년": 1, "내후년": 2,
}
MONTH_WORDS: dict[str, int] = {
    "이달": 0, "이번달": 0, "금월": 0, "당월": 0, "지난달": -1, "저번달": -1, "전월": -1,
    "다음달": 1, "내달": 1, "익월": 1,
}
DAY_WORDS: dict[str, int] = {
    "오늘": 0, "이날": 0, "금일": 0, "당일": 0, "같은날": 0, "어제": -1, "전날": -1,
    "그제": -2, "그저께": -2, "내일": 1, "모레": 2,
}

_H = r"(?<![가-힣])"  # relative words must start a word (도달, 청년내일채움공제...)
_TOKEN = re.compile(
    # 2024.9.11 / 2024-09-11 / 2024/9/11 / 2024. 9. 11.
    r"(?<![\d.])(?P<ny>(?:19|20)\d{2})\s?(?P<sep>[./-])\s?(?P<nm>1[0-2]|0?[1-9])\s?(?P=sep)\s?"
    r"(?P<nd>3[01]|[12]\d|0?[1-9])(?!\d)\.?"
    # 2015년, 2025년도, 지난 2023년 (not 1990년대, 2015년간)
    rf"|(?:{_H}(?:지난|오는)\s?)?(?<!\d)(?P<y>(?:19|20)\d{{2}})년(?:도)?(?!대|간|째|\s?동안)"
    rf"|{_H}(?P<yw>지지난\s?해|재작년|지난\s해(?=$|[^가-힣]|에|의|와|는|도|까지|부터|보다|대비|말|초|엔|이|가|를|동기)|지난해|작년|전년도?|올해|금년|내후년|내년도?|명년"
    r"|올(?=\s?\d{1,2}월))"
    # 7월, 지난 7월, 오는 3월 (not 3개월, 7월간)
    rf"|(?:{_H}(?P<mp>지난|오는)\s?)?(?<![\d.])(?P<m>1[0-2]|0?[1-9])월(?!간|\s?동안)"
    rf"|{_H}(?P<mw>이번\s?달|이달|금월|당월|지난\s?달|저번\s?달|전월|다음\s?달|내달|익월)"
    # 11일, 지난 5일, 오는 15일 (not 3일간, 3일째, 5일 동안, 3일 만에)
    rf"|(?:{_H}(?P<dp>지난|오는)\s?)?(?<![\d.])(?P<d>3[01]|[12]\d|0?[1-9])일"
    r"(?!간|째|\s?동안|\s?만에|\s?이내|\s?연속)"
    rf"|{_H}(?P<dw>오늘(?!날)|이날|금일|당일|같은\s?날|어제|전날|그저께|그제(?!야)|내일(?!채움)|모레)"
)


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _level(tok: re.Match) -> str:
    """Y (year), M (month), D (day) or F (full numeric date)."""
    if tok.group("ny"):
        return "F"
    if tok.group("y") or tok.group("yw"):
        return "Y"
    if tok.group("m") or tok.group("mw"):
        return "M"
    return "D"


def _joins(prev: re.Match, nxt: re.Match, text: str) -> bool:
    """`2023년 3월 5일`, `지난해 12월`, `지난달 28일`: a coarser part then a plain number."""
    gap = text[prev.end():nxt.start()]
    if len(gap) > 2 or gap.strip():
        return False
    a, b = _level(prev), _level(nxt)
    if a == "Y" and b == "M":
        return bool(nxt.group("m")) and not nxt.group("mp")
    if a == "M" and b == "D":
        return bool(nxt.group("d")) and not nxt.group("dp")
    return False


def _groups(text: str) -> list[list[re.Match]]:
    groups: list[list[re.Match]] = []
    for tok in _tokens(text):
        if groups and _joins(groups[-1][-1], tok, text):
            groups[-1].append(tok)
        else:
            groups.append([tok])
    return groups


def find_date_expressions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each date expression in `text`, compound ones as one span.

    Spans are syntactic: `2월 30일` is found here even though resolve_date rejects it.
    """
    spans = []
    for group in _groups(text):
        start, end = group[0].start(), group[-1].end()
        spans.append((start, end, text[start:end]))
    return spans


# --------------------------------------------------------------------------- resolving

def _key(word: str) -> str:
    return re.sub(r"\s+", "", word)


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# How far across a month (or year) boundary a bare day (or month) may reach.
NEAR_DAYS = 7
NEAR_MONTHS = 2


def _pick(candidates: list[int], ref: int, prefix: str | None, home: int | None,
          near: int) -> int | None:
    """Choose among candidate positions (day ordinals or month indices) around `ref`.

    지난 -> the latest at or before `ref`; 오는 -> the earliest at or after it; bare -> `home`
    (the candidate in the publication month/year) unless another one lies within `near` of
    `ref`, or `home` does not exist (then the nearest, ties to the earlier).
    """
    if prefix == "지난":
        past = [c for c in candidates if c <= ref]
        return max(past) if past else None
    if prefix == "오는":
        future = [c for c in candidates if c >= ref]
        return min(future) if future else None
    close = [c for c in candidates if c != home and abs(c - ref) <= near]
    if close:
        return min(close, key=lambda c: (abs(c - ref), c))
    if home in candidates:
        return home
    return min(candidates, key=lambda c: (abs(c - ref), c)) if candidates else None


def _fmt_day(d: date) -> tuple[str, str]:
    return d.isoformat(), "day"


def _resolve_group(group: list[re.Match], published: date) -> tuple[str, str] | None:
    first = group[0]
    level = _level(first)
    py, pm = published.year, published.month
    parts = {_level(t): t for t in group}
    month_tok, day_tok = parts.get("M"), parts.get("D")
    month = int(month_tok.group("m")) if month_tok is not None and month_tok.group("m") else None
    day = int(day_tok.group("d")) if day_tok is not None and day_tok.group("d") else None

    if level == "F":
        d = _safe_date(int(first.group("ny")), int(first.group("nm")), int(first.group("nd")))
        return _fmt_day(d) if d else None

    if level == "Y":
        year = int(first.group("y")) if first.group("y") else py + YEAR_WORDS[_key(first.group("yw"))]
        if not 1 <= year <= 9999:
            return None
        if month is None:
            return f"{year:04d}", "year"
        if day is None:
            return f"{year:04d}-{month:02d}", "month"
        d = _safe_date(year, month, day)
        return _fmt_day(d) if d else None

    if level == "M":
        if month_tok.group("mw"):
            year, month = _shift_month(py, pm, MONTH_WORDS[_key(month_tok.group("mw"))])
            if day is None:
                return f"{year:04d}-{month:02d}", "month"
            d = _safe_date(year, month, day)
            return _fmt_day(d) if d else None
        # choose the year on whole months, so the publication month counts as both 지난
        # and 오는, then put the day in it
        ref = py * 12 + pm - 1
        cands = [y * 12 + month - 1 for y in (py - 1, py, py + 1)]
        picked = _pick(cands, ref, month_tok.group("mp"), home=py * 12 + month - 1, near=NEAR_MONTHS)
        if picked is None:
            return None
        year = picked // 12
        if day is not None:
            d = _safe_date(year, month, day)
            if d is not None and month_tok.group("mp") == "지난" and d > published and year == py:
                d = _safe_date(year - 1, month, day)  # 지난 9월 20일, written on September 11
            if d is not None and month_tok.group("mp") == "오는" and d < published and year == py:
                d = _safe_date(year + 1, month, day)
            return _fmt_day(d) if d else None
        return f"{year:04d}-{month:02d}", "month"

    # level D
    if day_tok.group("dw"):
        return _fmt_day(published + timedelta(days=DAY_WORDS[_key(day_tok.group("dw"))]))
    cands, home = [], None
    for offset in range(-2, 3):
        y, m = _shift_month(py, pm, offset)
        if day <= calendar.monthrange(y, m)[1]:
            cands.append(date(y, m, day).toordinal())
            if offset == 0:
                home = cands[-1]
    picked = _pick(cands, published.toordinal(), day_tok.group("dp"), home=home, near=NEAR_DAYS)
    return _fmt_day(date.fromordinal(picked)) if picked is not None else None


def resolve_date(expr: str, published: date) -> tuple[str, str] | None:
    """Resolve one Korean date expression against the article's publication date.

    Returns (iso_value, precision), precision in {"day", "month", "year"}; for an article
    published 2024-09-11: '11일' -> ('2024-09-11', 'day'), '지난 7월' -> ('2024-07', 'month'),
    '지난해' -> ('2023', 'year'), '지난 12월' -> ('2023-12', 'month'). None if `expr` is not
    exactly one date expression or names a date that does not exist.
    """
    text = expr.strip()
    groups = _groups(text)
    if len(groups) != 1 or groups[0][0].start() != 0 or groups[0][-1].end() != len(text):
        return None
    try:
        return _resolve_group(groups[0], published)
    except (ValueError, OverflowError):
        return None

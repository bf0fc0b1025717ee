"""Korean money, count and percentage expressions -> normalised values.

News writes one number many ways (`3천215억원`, `1조 5000억 원`, `2,000만 원`, `10억여원`,
`US$ 5백만`); achievements need one comparable value, so this module turns every such
expression into (value, unit, approximate) with the exact span it came from.

Decisions (also pinned by tests/test_amounts.py):

* Vague quantities with no exact value (`수십억 원`, `수백 명`, `몇천만 원`, `십수억`) yield
  nothing: inventing a number would be worse than missing one.
* Ranges (`10~20억 원`, `3-4명`, `10억~20억 원`, `5∼10%`) give the lower bound, marked
  approximate; the span covers the whole range. A bare lower end borrows the upper end's
  multipliers (`10~20억` -> 10억, `1~2천만` -> 1천만, `3천~5천만` -> 3천만).
* Percentage points (`%p`, `%포인트`, `퍼센트포인트`) come out as unit "percent" like `%`:
  the caller sees the difference in the span text if it matters.
* Bounds (`이상`, `이하`, `미만`, `초과`, `최대`, `최소`, `넘는`, `돌파`) mark a value approximate:
  the true figure is not the one written.
* Dates, times, ordinals and phone numbers are not amounts: a number counts only when a
  unit word follows it (or a currency sign precedes it), and `년/월/일/회/차/호` are not units.
* `대` (machines, vehicles) is only a unit when a particle or punctuation follows it, since
  `20대 청년` (people in their twenties) and `3대 전략` (three main strategies) are far more
  common in news than counted machines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# --------------------------------------------------------------------------- tables

# Unit words after a number: surface -> unit. Longer surfaces are tried first.
UNIT_WORDS: dict[str, str] = {
    # money
    "원": "KRW", "원화": "KRW", "KRW": "KRW",
    "달러": "USD", "달러화": "USD", "불": "USD", "US달러": "USD", "미달러": "USD", "USD": "USD",
    "유로": "EUR", "유로화": "EUR", "EUR": "EUR",
    "엔": "JPY", "엔화": "JPY", "JPY": "JPY",
    "위안": "CNY", "위안화": "CNY", "CNY": "CNY", "RMB": "CNY",
    # shares ("%p" is a percentage-point difference, reported as percent)
    "%": "percent", "％": "percent", "퍼센트": "percent",
    "%p": "percent", "％p": "percent", "%포인트": "percent", "퍼센트포인트": "percent",
    # people
    "명": "persons", "인": "persons",
    # things: cases, pieces, kinds, firms, places, sites, machines, papers/works, countries
    "건": "items", "개": "items", "종": "items", "개사": "items", "곳": "items",
    "개소": "items", "대": "items", "편": "items", "개국": "items", "종류": "items",
}

# Currency signs and codes written before the number (`$3.2 million`, `US$ 5백만`).
CURRENCY_PREFIXES: dict[str, str] = {
    "US$": "USD", "$": "USD", "USD": "USD", "₩": "KRW", "KRW": "KRW", "€": "EUR",
    "EUR": "EUR", "¥": "JPY", "￥": "JPY", "JPY": "JPY", "CNY": "CNY", "RMB": "CNY",
}

# Words before a number that make it approximate (`약 20억 원`, `최대 10억 원`).
APPROX_PREFIXES: tuple[str, ...] = ("약", "대략", "최대", "최소", "거의", "얼추", "줄잡아", "어림잡아")

# Words after the unit that make it approximate (`300건 이상`, `20억 원 가량`).
APPROX_SUFFIXES: tuple[str, ...] = (
    "가량", "정도", "내외", "안팎", "이상", "이하", "미만", "초과", "남짓", "가까이", "넘게", "쯤", "수준",
)
# Glued straight onto the unit: `억원대` (in the 억 range), `10억원여`.
APPROX_GLUED: tuple[str, ...] = ("대", "여")
# Verbs of exceeding/approaching, optionally after a particle (`20억 원이 넘는`, `100만 명을 돌파`).
APPROX_VERBS: tuple[str, ...] = (
    "넘는", "넘게", "넘어", "넘은", "넘긴", "넘었", "웃도는", "웃돈", "웃돌", "돌파", "육박", "가까운",
)
# `여` inside the number (`90여 명`, `10억여원`, `20여억 원`) also marks approximate.

# A Hangul unit word counts only when what follows it cannot continue a word: a
# non-Hangul character, a particle or copula, or an approximator. This keeps `2025 명량대첩`,
# `3원칙`, `3개월`, `건설`, `엔진`, `1인당` out without a list of every word to avoid.
_PARTICLES = (
    "으로", "까지", "부터", "짜리", "어치", "보다", "처럼", "만큼", "조차", "마저", "가량", "정도",
    "내외", "안팎", "미만", "초과", "남짓", "규모", "상당", "수준", "을", "를", "이", "가", "은",
    "는", "의", "에", "와", "과", "도", "만", "씩", "로", "으", "여", "쯤", "넘", "대", "인", "임",
    "뿐", "밖", "중", "나", "웃도", "웃돈", "웃돌", "돌파", "육박",
)
# `대` is stricter still: a particle or punctuation, never a space (see module docstring).
_DAE_PARTICLES = ("를", "을", "가", "이", "의", "에", "와", "과", "도", "씩", "까지", "로", "가량", "여")

_SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
_BIG_UNITS = {"만": 10**4, "억": 10**8, "조": 10**12, "경": 10**16}
_HANGUL_DIGITS = {d: i for i, d in enumerate("일이삼사오육칠팔구", start=1)}
_SCALES = {"thousand": 10**3, "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9,
           "trillion": 10**12}

# --------------------------------------------------------------------------- numbers

_NUMBER_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<hd>[일이삼사오육칠팔구])"
    r"|(?P<small>[십백천])"
    r"|(?P<big>[만억조경])"
    r"|(?P<scale>(?i:thousand|million|billion|trillion|mn|bn)\b)"
)


def _whole(value: Decimal) -> int | float:
    """int when the value is whole (2000000000, never 2e9), else float."""
    return int(value) if value == value.to_integral_value() else float(value)


def korean_number(s: str) -> int | float:
    """Value of a Korean numeral: '3천215억' -> 321500000000, '1조 5천억', '2,000만', '1.5조', '십'.

    Digits, commas between thousands, decimals, 일..구, 십/백/천 inside a group, 만/억/조/경
    between groups, spaces, and a trailing English scale word ('3.2 million') are accepted.
    Units must come in decreasing order and a bare big unit may only lead, so '1억2조',
    '3천5000억' and '억만' are errors, not guesses.
    """
    if not isinstance(s, str):
        raise ValueError(f"not a Korean number: {s!r}")
    total = Decimal(0)
    group = Decimal(0)        # value of the current below-10,000 group
    pending: Decimal | None = None  # a digit run not yet multiplied
    last_small = 10**4        # small units must decrease inside a group
    last_big = 10**20         # big units must decrease across groups
    group_used = False        # the current group has a small unit or number
    seen = False
    scale: int | None = None
    pos = 0
    while pos < len(s):
        m = _NUMBER_TOKEN.match(s, pos)
        if not m or scale is not None and m.lastgroup != "space":
            raise ValueError(f"not a Korean number: {s!r}")
        pos = m.end()
        kind, tok = m.lastgroup, m.group()
        if kind == "space":
            continue
        seen = True
        if kind in ("num", "hd"):
            value = Decimal(tok.replace(",", "")) if kind == "num" else Decimal(_HANGUL_DIGITS[tok])
            if pending is not None or (last_small < 10**4 and value >= last_small):
                raise ValueError(f"not a Korean number: {s!r}")
            pending, group_used = value, True
        elif kind == "small":
            unit = _SMALL_UNITS[tok]
            if unit >= last_small:
                raise ValueError(f"not a Korean number: {s!r}")
            group += (pending if pending is not None else 1) * unit
            pending, last_small, group_used = None, unit, True
        elif kind == "big":
            unit = _BIG_UNITS[tok]
            if unit >= last_big:
                raise ValueError(f"not a Korean number: {s!r}")
            if not group_used and last_big != 10**20:  # '억만': no coefficient mid-number
                raise ValueError(f"not a Korean number: {s!r}")
            value = group + (pending or 0) if group_used else Decimal(1)
            total += value * unit
            group, pending, last_small, last_big, group_used = Decimal(0), None, 10**4, unit, False
        else:  # English scale word applies to everything before it
            scale = _SCALES[tok.lower()]
    if not seen:
        raise ValueError(f"not a Korean number: {s!r}")
    total += group + (pending or 0)
    if scale is not None:
        total *= scale
    return _whole(total)


# --------------------------------------------------------------------------- finding

def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _unit_pattern() -> str:
    parts = []
    for word in sorted(UNIT_WORDS, key=len, reverse=True):
        pat = re.escape(word)
        if word.isascii() and word[-1].isalpha():
            pat += r"(?![A-Za-z])"
        if word == "대":
            pat += rf"(?=$|[^\s가-힣]|{_alternation(_DAE_PARTICLES)})"
        elif "가" <= word[-1] <= "힣":
            pat += rf"(?=$|[^가-힣]|{_alternation(_PARTICLES)})"
        parts.append(pat)
    return "|".join(parts)


_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# A Hangul digit before 경 is a name's syllable, not 2×10¹⁶ (`청장:오경원`: 6 such names over 3,135
# regional dev articles, one given to a firm's deed as its amount); 경 is written after digits.
_HD = r"[일이삼사오육칠팔구](?=[십백천만억조])"
_WITH_SMALL = rf"(?:(?:{_NUM}|{_HD})?[십백천]){{1,3}}{_NUM}?"  # 3천215, 5백, 천
_GROUP = rf"(?:{_WITH_SMALL}|{_NUM}|{_HD})"                     # a below-10,000 group
# Big units in their only possible order, so a run of numbers (a table row of `1억 2억 3억`)
# cannot make the matcher backtrack through every way of splitting it.
_BIGS = "".join(rf"(?:\s?{_GROUP}여?{unit})?" for unit in "경조억만")  # 3천215억, 20여억
# The group after the last big unit may stand apart from it (`3만 5000명`, `1억 2500만` is the big
# unit's own): a space before a plain number only right after a big unit.
_NUMERAL = rf"(?=[\d일이삼사오육칠팔구십백천]){_BIGS}(?:\s?{_WITH_SMALL}|(?<=[만억조경])\s?{_GROUP}|{_GROUP})?"
# Where a number may start: not inside another number, phone number, word or ordinal (제3회);
# a number written in Hangul (천만 원) must start a word, so 수십억/몇천만 never match.
_START = (
    r"(?<![\d.,])(?<!\d-)"
    r"(?:(?=\d)(?<![A-Za-z제수몇])|(?=[일이삼사오육칠팔구십백천])(?<![가-힣A-Za-z]))"
)
_DASH = r"[~∼～〜–-]"

_AMOUNT = re.compile(
    rf"(?P<pre>(?<![가-힣])(?:{_alternation(APPROX_PREFIXES)})\s?)?"
    rf"(?:(?P<pcur>(?<![A-Za-z])(?:{_alternation(CURRENCY_PREFIXES)}))\s?)?"
    rf"(?(pcur)|{_START})"
    rf"(?:(?P<lo>{_NUMERAL})여?(?:\s?(?P<lounit>{_unit_pattern()}))?\s?{_DASH}\s?)?"
    rf"(?P<num>{_NUMERAL})(?P<yeo>여)?"
    r"(?:\s?(?P<scale>(?i:thousand|million|billion|trillion|mn|bn)\b))?"
    rf"(?:\s?(?P<unit>{_unit_pattern()}))?(?(unit)|(?(pcur)|(?!)))"
    r"(?P<suf>"
    rf"(?:{_alternation(APPROX_GLUED)})"
    rf"|\s?(?:{_alternation(APPROX_SUFFIXES)})"
    rf"|(?:[이가을를에]\s?|\s)?(?:{_alternation(APPROX_VERBS)})"
    r")?"
)

_MULTIPLIER_TAIL = re.compile(r"[십백천만억조경]+$")
_BIG_TAIL = re.compile(r"[만억조경]+$")


@dataclass(frozen=True)
class Amount:
    """One amount expression: normalised value and unit, plus where it sits in the text."""

    value: int | float
    unit: str
    approximate: bool
    start: int
    end: int
    text: str

    def to_json(self) -> dict:
        """The `amount` object of `newsmine extract`."""
        return {"value": self.value, "unit": self.unit, "approximate": self.approximate}


def _range_low(lo: str, hi: str, scale: str | None) -> int | float:
    """Lower end of a range; a bare lower end borrows the upper end's multipliers."""
    if not re.search(r"[십백천만억조경]", lo):
        tail = _MULTIPLIER_TAIL.search(hi)
        lo += tail.group() if tail else ""
    elif not re.search(r"[만억조경]", lo):
        tail = _BIG_TAIL.search(hi)
        lo += tail.group() if tail else ""
    return korean_number(f"{lo} {scale}" if scale else lo)


def _amount_from(m: re.Match, text: str) -> Amount | None:
    unit_word = m.group("unit")
    unit = UNIT_WORDS[unit_word] if unit_word else CURRENCY_PREFIXES[m.group("pcur")]
    scale = m.group("scale")
    num = m.group("num").replace("여", "")
    try:
        value = korean_number(f"{num} {scale}" if scale else num)
    except ValueError:
        return None
    start = m.start()
    approximate = bool(m.group("pre") or m.group("yeo") or m.group("suf") or "여" in m.group("num"))
    lo = m.group("lo")
    if lo is not None:
        lounit = m.group("lounit")
        try:
            low = _range_low(lo.replace("여", ""), num, scale)
        except ValueError:
            low = None
        if low is not None and low <= value and (lounit is None or UNIT_WORDS[lounit] == unit):
            value, approximate = low, True
        else:  # not a usable range: keep the upper amount alone
            start = m.start("num")
            approximate = bool(m.group("yeo") or m.group("suf") or "여" in m.group("num"))
    end = m.end()
    return Amount(value, unit, approximate, start, end, text[start:end])


def find_amounts(text: str) -> list[Amount]:
    """Every amount expression in `text`, in order, with character spans into `text`."""
    found = []
    for m in _AMOUNT.finditer(text):
        amount = _amount_from(m, text)
        if amount is not None:
            found.append(amount)
    return found


def parse_amount(text: str) -> Amount | None:
    """The single amount that makes up all of `text` (surrounding spaces aside), else None."""
    amounts = find_amounts(text)
    stripped = text.strip()
    if len(amounts) != 1 or not stripped:
        return None
    lead = len(text) - len(text.lstrip())
    amount = amounts[0]
    if amount.start == lead and amount.end == lead + len(stripped):
        return amount
    return None

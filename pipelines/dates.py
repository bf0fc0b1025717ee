"""Publication dates: parse Korean stamps and machine dates, normalise to KST, pick one.

Korean pages state times in KST without an offset ("입력 2024.09.11 16:10",
"기사입력 2021.10.04. 오후 4:26"), while meta tags may be UTC ("...Z"). Everything is
turned into an aware datetime in +09:00 so that the two can be compared; values that
cannot be a news date (before 1990, or more than a day in the future) are dropped with
a warning rather than stored.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

KST = timezone(timedelta(hours=9))
EARLIEST = datetime(1990, 1, 1, tzinfo=KST)
MAX_STAMP_DRIFT = timedelta(days=2)  # beyond this a visible stamp is about something else

_DATE = (r"(?P<y>(?:19|20)\d{2})\s*(?:[-./]|년)\s*(?P<m>\d{1,2})\s*(?:[-./]|월)\s*"
         r"(?P<d>\d{1,2})(?!\d)\s*(?:일|\.)?")
_TIME = (r"(?:\s*(?:T|[(|,])?\s*\(?\s*(?P<ampm>오전|오후|AM|PM|am|pm)?\s*(?P<H>\d{1,2})\s*(?::|시)\s*"
         r"(?P<M>\d{2})(?:\s*분)?(?:\s*:\s*(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm2>AM|PM|am|pm)?"
         r"\s*\)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|KST|UTC|GMT)?)?")
_DATETIME_RE = re.compile(_DATE + _TIME)

# Labels that introduce a date stamp on Korean news pages and press-release boards.
PUBLISHED_LABELS = ("기사입력", "최초입력", "입력일시", "입력일자", "입력일", "입력", "기사승인", "승인일시",
                    "승인", "최초등록", "등록일시", "등록일", "등록", "작성일시", "작성일자", "작성일",
                    "게시일시", "게시일", "송고시간", "송고", "보도일시", "보도일", "배포일시",
                    "배포일", "발표일")
MODIFIED_LABELS = ("최종수정", "기사수정", "수정일시", "수정일", "수정", "최종 업데이트",
                   "업데이트", "갱신")
# A bare "날짜" (date) label is common on municipal boards but also on calendars: weak.
WEAK_LABELS = ("날짜", "일자")
_ALL_LABELS = sorted(PUBLISHED_LABELS + MODIFIED_LABELS + WEAK_LABELS, key=len, reverse=True)
_STAMP_RE = re.compile(
    r"(?<![가-힣])(?P<label>" + "|".join(re.escape(x) for x in _ALL_LABELS) + r")"
    r"\s*[:：|]?\s*[\[(]?\s*" + _DATE + _TIME)


@dataclass(frozen=True)
class Stamp:
    """One date found on a page: when, whether a time of day was known, and where from."""

    when: datetime
    has_time: bool
    source: str
    kind: str = "published"  # or "modified"

    def iso(self) -> str:
        return to_iso(self.when)


def to_iso(when: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS+09:00`; a date without a time of day gets 00:00:00."""
    return when.astimezone(KST).replace(microsecond=0).isoformat()


def plausible(when: datetime, now: datetime | None = None, what: str = "date") -> bool:
    """False (and a logged warning) for dates no news article can have."""
    now = now or datetime.now(KST)
    if when < EARLIEST:
        log.warning("rejected %s %s: before 1990", what, when.isoformat())
        return False
    if when > now + timedelta(days=1):
        log.warning("rejected %s %s: in the future", what, when.isoformat())
        return False
    return True


def _tz_of(token: str | None) -> timezone:
    if not token or token == "KST":
        return KST
    if token in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def _from_match(m: re.Match[str]) -> tuple[datetime, bool] | None:
    try:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if m["H"] is None:
            return datetime(y, mo, d, tzinfo=KST), False
        hour, minute, sec = int(m["H"]), int(m["M"]), int(m["S"] or 0)
        ampm = (m["ampm"] or m["ampm2"] or "").lower()
        if ampm in ("오후", "pm") and hour < 12:
            hour += 12
        elif ampm in ("오전", "am") and hour == 12:
            hour = 0
        local = datetime(y, mo, d, hour, minute, sec, tzinfo=_tz_of(m["tz"]))
        return local.astimezone(KST), True
    except ValueError:
        return None


def parse_datetime(text: str | None) -> tuple[datetime, bool] | None:
    """Aware KST datetime and whether a time of day was given, or None.

    Accepts ISO 8601 (with Z / offsets / fractions), Korean stamps with 오전/오후,
    dotted and 년월일 forms, and RFC 822 (RSS). Naive times are taken as KST.
    """
    if not text:
        return None
    text = text.strip()
    m = _DATETIME_RE.search(text)
    if m:
        return _from_match(m)
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=KST)
    return parsed.astimezone(KST), True


def make_stamp(text: str | None, source: str, kind: str = "published",
               now: datetime | None = None) -> Stamp | None:
    """Parse and validate in one step; None for unparsable or implausible values."""
    parsed = parse_datetime(text)
    if parsed is None:
        return None
    when, has_time = parsed
    if not plausible(when, now, f"{kind} date from {source}"):
        return None
    return Stamp(when, has_time, source, kind)


def find_stamps(text: str, now: datetime | None = None) -> list[Stamp]:
    """Labelled date stamps in visible page text, in document order."""
    found: list[Stamp] = []
    for m in _STAMP_RE.finditer(text):
        parsed = _from_match(m)
        if parsed is None:
            continue
        label = m["label"]
        kind = "modified" if label in MODIFIED_LABELS else "published"
        source = f"weak:{label}" if label in WEAK_LABELS else f"stamp:{label}"
        if not plausible(parsed[0], now, f"{kind} stamp '{label}'"):
            continue
        found.append(Stamp(parsed[0], parsed[1], source, kind))
    return found


def find_datetimes(text: str) -> list[Stamp]:
    """Unlabelled date-with-time strings, used only to add a time to a known day."""
    out = []
    for m in _DATETIME_RE.finditer(text):
        parsed = _from_match(m)
        if parsed and parsed[1]:
            out.append(Stamp(parsed[0], True, "text"))
    return out


def _agree(a: Stamp, b: Stamp) -> bool:
    """Same day if either lacks a time, else the same minute."""
    if not (a.has_time and b.has_time):
        return a.when.date() == b.when.date()
    return abs(a.when - b.when) < timedelta(minutes=1)


def _finer(a: Stamp, b: Stamp) -> Stamp:
    """Of two agreeing stamps, the one that says more (time over none, seconds over minutes)."""
    if a.has_time != b.has_time:
        return a if a.has_time else b
    if a.when.second == 0 and b.when.second != 0:
        return b
    return a


def choose(machine: list[Stamp], visible: list[Stamp], embedded: list[Stamp],
           fallback: Stamp | None = None, loose_times: list[Stamp] | None = None,
           kind: str = "published") -> Stamp | None:
    """Reconcile candidates of one kind.

    Machine-readable dates (JSON-LD, meta) and labelled visible stamps come first. When
    both exist and agree, the more precise wins. When they disagree by less than two
    days, the visible stamp wins: it is what readers were shown, and machine dates are
    the ones that get a wrong time zone or carry the modification time. A larger gap
    means the stamp probably belongs to something else on the page (a related-article
    list), so the machine date stands. Script-embedded article data comes
    next, htmldate's guess last. A date-only result borrows a time of day from an
    unlabelled stamp on the same day, if the page has one.
    """
    machine = [s for s in machine if s.kind == kind]
    strong = [s for s in visible if s.kind == kind and not s.source.startswith("weak:")]
    weak = [s for s in visible if s.kind == kind and s.source.startswith("weak:")]
    embedded = [s for s in embedded if s.kind == kind]
    m = machine[0] if machine else None
    v = strong[0] if strong else (weak[0] if weak else None)
    if m and v:
        if _agree(m, v):
            best = _finer(m, v)
        else:
            best = v if abs(m.when - v.when) < MAX_STAMP_DRIFT else m
    else:
        best = m or v or (embedded[0] if embedded else None) or fallback
    if best is None:
        return None
    for other in machine + strong + embedded:
        if other is not best and _agree(best, other):
            best = _finer(best, other)
    if not best.has_time and loose_times:
        for t in loose_times:
            if t.when.date() == best.when.date():
                return Stamp(t.when, True, best.source + "+time", kind)
    return best

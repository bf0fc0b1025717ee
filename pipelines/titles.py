"""Pick the article headline by letting the page's several title sources vote.

Every source is wrong somewhere: <title> and og:title carry site names ("… | 한국일보",
"대전일보 모바일 :: …", "…-정치ㅣ한국일보"), breadcrumbs ("… < 보도자료 < 열린시정 - 나주시청"),
section prefixes ("[사회]…") or keyword stuffing; <h1> is often the site logo. Each
candidate is first stripped of segments that name the site, then candidates vote: an
exact (normalised) match counts fully, and a candidate that is another one plus a
separated prefix or suffix counts for the shorter one. Headings only confirm.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

from pipelines.metadata import norm_space

_SEP_RE = re.compile(r"(\s+(?:[-–—|:<>»/]|::)\s+|\s*[|ㅣ]\s*|\s*::\s*)")
_EDGE_SEP = r"[-–—|:<>»·ㅣ,(\[\]/]"
_QUOTES = str.maketrans({"“": '"', "”": '"', "″": '"', "〃": '"', "＂": '"', "„": '"',
                         "‘": "'", "’": "'", "′": "'", "`": "'", "＇": "'", "‥": "..",
                         "…": "..."})


# Board and section names that CMSs put in <title> instead of the headline.
_SECTION_WORDS = {"보도자료", "뉴스", "기사", "기사본문", "기사상세", "공지사항", "새소식", "시정소식",
                  "보도", "알림", "home", "news", "article"}


@dataclass
class Candidate:
    text: str
    source: str
    weight: float
    heading: bool = False


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """Comparison key: width, quote style, case and whitespace differences ignored."""
    text = unicodedata.normalize("NFKC", text.translate(_QUOTES)).casefold()
    return re.sub(r"\s+", "", text)


def _is_site(segment: str, sites: list[str]) -> bool:
    seg = key(segment)
    if not seg:
        return True
    for site in sites:
        s = key(site)
        if len(s) < 2:
            continue
        if seg == s or (len(s) >= 3 and s in seg and len(seg) <= len(s) + 8):
            return True
        if len(seg) >= 3 and seg in s:
            return True
    return False


def strip_site(title: str, sites: list[str]) -> str:
    """Remove site-name, section and breadcrumb segments from either end of a title."""
    title = norm_space(title)
    pieces = _SEP_RE.split(title)
    parts, seps = pieces[0::2], pieces[1::2]
    if len(parts) == 1:
        return title
    cut_end = False
    while len(parts) > 1 and _is_site(parts[-1], sites):
        parts.pop()
        last_sep = seps.pop()
        cut_end = True
    if cut_end:
        # breadcrumbs between headline and site name: short segments after the longest one
        longest = max(range(len(parts)), key=lambda i: len(parts[i]))
        while len(parts) > longest + 1 and len(parts[-1]) <= 12:
            parts.pop()
            last_sep = seps.pop()
        if last_sep.strip() in ("|", "ㅣ"):
            # "Headline-Section|Site": the section is glued to the headline by a hyphen
            m = re.match(r"^(.{8,}?)-([가-힣A-Za-z/·]{1,6})$", parts[-1])
            if m and len(parts) == 1:
                parts[-1] = m.group(1)
    while len(parts) > 1 and _is_site(parts[0], sites):
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:]):
        out += sep + part
    return out.strip()


def _supports(longer: str, shorter: str) -> bool:
    """True when `longer` is `shorter` plus a separated prefix or suffix."""
    if len(shorter) < 4 or len(longer) <= len(shorter):
        return False
    kl, ks = key(longer), key(shorter)
    if kl.startswith(ks):
        rest = _tail_after(longer, shorter)
        return rest is not None and re.match(r"^\s*" + _EDGE_SEP, rest) is not None
    if kl.endswith(ks):
        rest = _head_before(longer, shorter)
        return rest is not None and re.search(_EDGE_SEP + r"\s*$", rest) is not None
    return False


def _tail_after(longer: str, shorter: str) -> str | None:
    """What follows `shorter` at the start of `longer`, comparing by key."""
    ks, acc = key(shorter), ""
    for i, ch in enumerate(longer):
        if acc == ks:
            return longer[i:]
        acc += key(ch)
        if not ks.startswith(acc):
            return None
    return "" if acc == ks else None


def _head_before(longer: str, shorter: str) -> str | None:
    """What precedes `shorter` at the end of `longer`, comparing by key."""
    ks, acc = key(shorter), ""
    for i in range(len(longer) - 1, -1, -1):
        if acc == ks:
            return longer[: i + 1]
        acc = key(longer[i]) + acc
        if not ks.endswith(acc):
            return None
    return "" if acc == ks else None


def choose_title(candidates: list[Candidate], sites: list[str]) -> str | None:
    """The best-supported cleaned candidate; its text comes from its strongest source."""
    cleaned: list[Candidate] = []
    for c in candidates:
        text = strip_site(c.text, sites) if not c.heading else norm_space(c.text)
        if len(text) < 2 or _is_site(text, sites) and not c.heading:
            continue
        stripped = text != norm_space(c.text)
        if key(text) in _SECTION_WORDS or (stripped and len(key(text)) <= 6):
            continue  # what is left of "보도자료 | 광주광역시청" is a section, not a headline
        if c.heading and _is_site(text, sites):
            continue
        cleaned.append(Candidate(text, c.source, c.weight, c.heading))
    if not cleaned:
        return None
    groups: dict[str, list[Candidate]] = {}
    for c in cleaned:
        groups.setdefault(key(c.text), []).append(c)

    def score(k: str) -> float:
        members = groups[k]
        own = sum(c.weight * (0.5 if c.heading else 1.0) for c in members)
        rep = members[0].text
        extra = sum(c.weight for other, cs in groups.items() if other != k
                    for c in cs if not c.heading and _supports(c.text, rep))
        return own + extra

    def has_editorial_vote(k: str) -> bool:
        return any(not c.heading for c in groups[k])

    ranked = sorted(groups, key=lambda k: (score(k), has_editorial_vote(k)), reverse=True)
    best = groups[ranked[0]]
    return max(best, key=lambda c: (not c.heading, c.weight)).text

"""List expansion: members of one coordinated list are the same kind of thing.

Regional news names firms in lists — `A, B, C 등 5개 기업`, `A·B·C 등 3개사`, `A와 B를
선정했다`, `전주 A, 익산 B`, members with and without legal forms. A list is a run of
candidate names joined by `,` `·` `/` `와/과` `및` `그리고`; it may be closed by a count noun
(`등 N개 기업/업체/사/곳/개사`). When one member is a firm — by its legal form, a list of names,
or the model — or the count noun says the list counts firms, every other member that is a
name (not a place, a person or a known non-firm) is a firm too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, Union

from nlp.candidates import SEPARATOR_MARKS, Candidate, Piece
from nlp.names import form_table

# Between two list members: a separator, or a conjunction particle on the first one; quoted members
# keep their quotes around it (`‘A’, ‘B’, ‘C’ 등 4개사`).
_JOINERS = re.compile(rf"^\s*['’\"”]?\s*(?:[{SEPARATOR_MARKS}]|및|그리고|과|와|,\s*그리고)\s*['‘\"“]?\s*$")
_CONJUNCTION_TAILS = ("와", "과", "및")


@lru_cache(maxsize=4)
def _place_before(table: object) -> re.Pattern[str]:
    """A place's name ending the text between two members (`A, 익산 B`), for the form table in use."""
    from nlp.firm_features import PLACES
    from nlp.names import konec_places

    places = sorted(PLACES | konec_places(), key=len, reverse=True)
    return re.compile(r"(?<=\s)(?:" + "|".join(map(re.escape, places)) + r")(?:의)?\s*$")
# What closes a list of firms: `등 5개 기업`, `등 3개사`, `등 4곳`, `등 지역 기업 15곳`. A case
# particle on 등 (`등을 갖춘 곳`, `등으로 …`) makes the list an argument of what follows, not counted.
_FIRM_COUNT = re.compile(
    # an approximate count is one too (`등 270여 개 기업`, `등 30여 곳`)
    r"^\s*(?:[’'\"”)]\s*)?등(?:의)?(?![가-힣])\s*(?:[가-힣]+\s+){0,2}?(?:\d+여?|[한두세네]|여러|다섯|여섯|일곱|여덟|아홉|열)?\s*"
    r"(?:개\s*)?(기업|업체|회사|개사|사|곳|법인|농가|스타트업|회원사|협력사|"
    # nouns that count firms of one trade (`등 3개 이동통신사`, `등 11개 특급호텔`)
    r"(?:이동)?통신사|은행|시중은행|증권사|보험사|생보사|손보사|카드사|건설사|제약사|항공사|(?:특급)?호텔|"
    r"대기업|중소기업|제조사|완성차\s?업체|유통사|기업체)"
    # the count noun ends its word (a particle may follow): `사` of 사건, 사람 or 사용 is no count
    # (`등 사고 수습`, `등도 두 사람`, `등으로 사용`: 59 such in 8,922 open news sentences)
    r"(?:들)?(?:이|가|은|는|을|를|의|와|과|도|에|에서|에게|에는|에도|로|으로|으로는|로는|만|까지|부터|이다|"
    r"이며|이고|입니다|으로서|로서|씩|마다|과의|와의|이나|나)?(?![가-힣])")


Check = Union[bool, Callable[[], bool]]


@dataclass
class Member:
    """A candidate in a possible list. `blocked` and `plain_name` may be given as checks that run
    only when asked: most candidates stand in no list of firms, and the checks behind them (the
    kind of the name, a person's title, a brand) are the costly part of list expansion."""

    candidate: Candidate
    firm: bool                  # already decided a firm
    blocked_check: Check        # decided a non-firm, or not a name: never promoted
    plain_name_check: Check = True   # a name by its own words; else (스마트+그린) only a counted list promotes it
    # common nouns run together (금속+제련, 간편식): a thing or a sector as often as a name, so only a
    # list that gives its count in a number (`등 5개사`) promotes it
    common_words_check: Check = False

    @cached_property
    def blocked(self) -> bool:
        return bool(self.blocked_check() if callable(self.blocked_check) else self.blocked_check)

    @cached_property
    def plain_name(self) -> bool:
        return bool(self.plain_name_check() if callable(self.plain_name_check) else self.plain_name_check)

    @cached_property
    def common_words(self) -> bool:
        return bool(self.common_words_check() if callable(self.common_words_check) else self.common_words_check)


def lists_of(text: str, pieces: list[Piece], members: list[Member]) -> list[list[Member]]:
    """Runs of members joined by list separators or conjunctions, in text order."""
    ordered = sorted(members, key=lambda m: m.candidate.start)
    runs: list[list[Member]] = []
    for member in ordered:
        if runs and _joined(text, pieces, runs[-1][-1].candidate, member.candidate):
            runs[-1].append(member)
        else:
            runs.append([member])
    return [run for run in runs if len(run) >= 2 or _closed_by_count(text, run[-1].candidate)]


# A member's own figure in brackets right after it: `A(120명, 8.1%), B(95명, 4.2%)`,
# `A(-1.2%), B(-2.8%)` — rankings and market reports list firms so.
_OWN_FIGURE = re.compile(r"^\s?\([^()]{0,30}?\d[^()]{0,30}\)")


def _joined(text: str, pieces: list[Piece], left: Candidate, right: Candidate) -> bool:
    between = _place_before(form_table()).sub("", _OWN_FIGURE.sub("", text[left.end:right.start], count=1))  # `A, 익산 B`
    if left.tail and left.tail.startswith(_CONJUNCTION_TAILS):
        between = between[len(left.tail.split()[0]):] if between.startswith(left.tail) else between
        return bool(re.fullmatch(r"\s+", between)) or _JOINERS.match(between) is not None
    # a legal form written as a word may stand before the next member: `A, 농업회사법인 B`
    if right.form_before and right.form_before in between:
        between = between.replace(right.form_before, "", 1)
    if left.form_after and left.form_after in between:
        between = between.replace(left.form_after, "", 1)
    return _JOINERS.match(between) is not None


_QUOTE_MARKS = re.compile(r"['’‘\"”“]")


def _quoted_members(text: str, run: list[Member]) -> bool:
    """Members joined across quotation marks (`‘A’, ‘B’`)."""
    return any(_QUOTE_MARKS.search(text, a.candidate.end, b.candidate.start) for a, b in zip(run, run[1:]))


def _count_after(text: str, last: Candidate) -> tuple[re.Match[str] | None, str]:
    """The count noun closing a list after its last member, and the text it was read from."""
    after = _OWN_FIGURE.sub("", text[last.end:last.end + 70], count=1)[:40]
    if last.tail:
        after = after[after.find(last.tail) + len(last.tail):] if last.tail in after else after
    return _FIRM_COUNT.match(after), after


def _closed_by_count(text: str, last: Candidate) -> bool:
    match, _ = _count_after(text, last)
    if match is not None and match.group(1) == "곳":
        # `곳` counts sites of any kind (`팔달산 등 5곳에`, `서울과 광양, 포항 등 3곳`: 10 of the 11
        # `등 N곳` of the open news text close places or bodies): firms only when a word for
        # them stands in the count (`등 도내 기업 3곳`)
        return _BUSINESS_COUNTED.search(match.group()) is not None
    return match is not None


_NUMBER = re.compile(r"\d|[한두세네]\s*(?:개|곳)|여러|다섯|여섯|일곱|여덟|아홉|열")
_COUNT_AFTER = re.compile(r"\s*\d+여?\s*(?:개사|개\s*기업|개|사|곳)")


def _counted_in_number(text: str, last: Candidate) -> bool:
    match, rest = _count_after(text, last)
    # the count before the noun (`등 3개 기업`) or after it (`등 카드사 3사`)
    return match is not None and (_NUMBER.search(match.group()) is not None
                                  or _COUNT_AFTER.match(rest, match.end()) is not None)


_BUSINESS_COUNTED = re.compile(r"기업|업체|회사|농가|법인|사업장|스타트업|협력사|회원사|가맹점")
# A sector named between `등` and the count (`자동차부품, 공작기계, 금형 등 지역 기계산업 기업 116개사`,
# `로봇·바이오 등 전략산업 분야 기업`): the members are that sector's branches, not its firms.
_SECTOR_COUNTED = re.compile(r"[가-힣](?:산업|분야|업종|업계)\s")


def _counts_sectors(text: str, last: Candidate) -> bool:
    match, _ = _count_after(text, last)
    return match is not None and _SECTOR_COUNTED.search(match.group()) is not None


def firms_by_list(text: str, pieces: list[Piece], members: list[Member]) -> list[Member]:
    """Members that become firms because their list holds a firm or counts firms."""
    promoted: list[Member] = []
    for run in lists_of(text, pieces, members):
        counted = _closed_by_count(text, run[-1].candidate)
        if not counted and not any(m.firm for m in run):
            continue
        if counted and not any(m.firm for m in run) and _counts_sectors(text, run[-1].candidate):
            continue      # the count is of a sector's firms, and the members name its branches
        if not counted and _quoted_members(text, run):
            continue      # `‘A’, ‘B’, ‘C’ 등이 참여한다`: brands and products are quoted so; firms when counted
        if not counted and sum(m.blocked for m in run) > sum(m.firm for m in run):
            continue      # mostly other kinds of things (ministries, places): not a list of firms
        # members that are no names by their own words: only a list whose count is given (`등 3개 기업`)
        # or that holds a firm promotes them; a bare `등 기업` closing words alone may be a noun the list
        # modifies (`해외진출 및 투자유치 등 기업 성장`)
        numbered = counted and _counted_in_number(text, run[-1].candidate)
        sure = numbered or counted and any(m.firm for m in run)
        promoted += [m for m in run if not m.firm and not m.blocked and (sure or m.plain_name)
                     and (numbered or not m.common_words)]
    return promoted

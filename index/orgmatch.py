"""Organisation identity across articles: one firm keeps one id through spelling variants.

The NLP stage already canonicalises names (legal forms, spaces and known aliases removed), but
articles still spell the same firm differently: Latin letters read out in Hangul
(`IT스테이션` = `아이티스테이션`, `LG전자` = `엘지전자`), punctuation (`에스·씨` = `에스씨`) and
typos (`아이티스테이숀`). At upsert time a new name is compared with the organisations of the
same kind already in the index, on a *reading key*: Latin letters spelled as their Hangul
names, punctuation dropped, syllables split into jamo, so one wrong vowel is one edit.

The thresholds are conservative, because merging two real firms is worse than keeping a
variant apart (대성홀딩스/대상홀딩스, 태광산업/태경산업 and 해양/해상교통관제센터 are different
organisations one letter apart):

- equal reading keys always match (spacing, punctuation, Latin-versus-Hangul spellings);
- a typo matches only between names written in Hangul (no Latin letters: KMW and KNW are two
  firms) of at least 6 syllables, one jamo apart, with the same first 3 syllables and the
  same digits, neither containing the other (한빛정밀 never merges with 한빛정밀산업);
- two names that are both known (listed companies, the lexicon) stay apart unless their
  reading keys are equal: they are different organisations by definition.

Tested against the KRX list: no two listed companies merge (tests/test_index_orgs.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

from rapidfuzz.distance import Levenshtein

LATIN_NAMES = {
    "a": "에이", "b": "비", "c": "씨", "d": "디", "e": "이", "f": "에프", "g": "지", "h": "에이치",
    "i": "아이", "j": "제이", "k": "케이", "l": "엘", "m": "엠", "n": "엔", "o": "오", "p": "피",
    "q": "큐", "r": "알", "s": "에스", "t": "티", "u": "유", "v": "브이", "w": "더블유", "x": "엑스",
    "y": "와이", "z": "제트",
}
_DROP = re.compile(r"[\s\W_]+")
_DIGITS = re.compile(r"\d+")
MIN_SYLLABLES = 6  # shorter names match only on equal reading keys
SAME_PREFIX = 3  # syllables that must agree for a typo match
_LATIN = re.compile(r"[A-Za-z]")


def reading(name: str) -> str:
    """How a name sounds, as Hangul and digits: `IT스테이션` → `아이티스테이션`, `KT&G` → `케이티앤지`."""
    text = unicodedata.normalize("NFKC", name).lower().replace("&", "앤")
    text = _DROP.sub("", text)
    return "".join(LATIN_NAMES.get(ch, ch) for ch in text)


def jamo(text: str) -> str:
    """Hangul syllables split into their letters, so one wrong vowel is one edit."""
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(chr(0x1100 + code // 588))
            out.append(chr(0x1161 + (code % 588) // 28))
            if code % 28:
                out.append(chr(0x11A7 + code % 28))
        else:
            out.append(ch)
    return "".join(out)


def match_key(name: str) -> str:
    return jamo(reading(name))


def _syllables(text: str) -> int:
    return sum(1 for ch in text if "가" <= ch <= "힣")


def typo_candidate(name: str) -> bool:
    """Whether a name may match another through a typo (long enough, Hangul only)."""
    return not _LATIN.search(unicodedata.normalize("NFKC", name)) and _syllables(reading(name)) >= MIN_SYLLABLES


def same_firm(a: str, b: str, *, both_known: bool = False) -> bool:
    """Whether names a and b (same kind) are spellings of one organisation."""
    ka, kb = match_key(a), match_key(b)
    if ka == kb:
        return bool(ka)
    if both_known or not (typo_candidate(a) and typo_candidate(b)):
        return False
    return _typo(reading(a), reading(b), ka, kb)


def _typo(ra: str, rb: str, ka: str, kb: str) -> bool:
    """One jamo apart, same first syllables and digits, neither inside the other."""
    if abs(len(ka) - len(kb)) > 1 or ra[:SAME_PREFIX] != rb[:SAME_PREFIX]:
        return False
    if _DIGITS.findall(ra) != _DIGITS.findall(rb) or ka in kb or kb in ka:
        return False
    return Levenshtein.distance(ka, kb, score_cutoff=1) <= 1


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    """Every listed company's spelling (also those the NLP stage takes no evidence from, being
    ordinary words: a spelling's identity is not a mention's evidence) and the lexicon's names."""
    try:
        from nlp.lexicon import known_orgs, listed_names

        return frozenset(listed_names()) | frozenset(known_orgs())
    except Exception:  # noqa: BLE001 — without the lexicon, nothing is "known"
        return frozenset()


def is_known(name: str) -> bool:
    return name.replace(" ", "") in _known_names()


@dataclass
class _Entry:
    org_id: int
    name: str
    reading: str
    key: str


@dataclass
class OrgMatcher:
    """The organisations of an index by kind and reading-key length, for fast look-ups.

    Filled incrementally (`add`); the store calls `refresh` with the rows it has not seen
    yet before matching, so other processes' new organisations count too.
    """

    known: Callable[[str], bool] = is_known
    max_id: int = 0
    _exact: dict[tuple[str, str], int] = field(default_factory=dict)
    _by_length: dict[tuple[str, int], list[_Entry]] = field(default_factory=dict)

    def add(self, org_id: int, name: str, kind: str) -> None:
        read = reading(name)
        key = jamo(read)
        self._exact.setdefault((kind, key), org_id)
        self._by_length.setdefault((kind, len(key)), []).append(_Entry(org_id, name, read, key))
        self.max_id = max(self.max_id, org_id)

    def refresh(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Add organisations stored since the last refresh (rows with id > max_id)."""
        for org_id, name, kind in rows:
            self.add(org_id, name, kind)

    def find(self, name: str, kind: str) -> tuple[int, str] | None:
        """(id, stored name) of the organisation `name` is a spelling of, or None."""
        read = reading(name)
        key = jamo(read)
        if not key:
            return None
        exact = self._exact.get((kind, key))
        if exact is not None:
            entry = next(e for e in self._by_length[(kind, len(key))] if e.org_id == exact)
            return exact, entry.name
        if not typo_candidate(name):
            return None
        known = self.known(name)
        best: tuple[int, int, _Entry] | None = None
        for length in (len(key) - 1, len(key), len(key) + 1):
            for entry in self._by_length.get((kind, length), ()):
                if known and self.known(entry.name):
                    continue
                if not typo_candidate(entry.name) or not _typo(read, entry.reading, key, entry.key):
                    continue
                distance = Levenshtein.distance(key, entry.key)
                rank = (distance, entry.org_id)
                if best is None or rank < best[:2]:
                    best = (distance, entry.org_id, entry)
        return None if best is None else (best[2].org_id, best[2].name)

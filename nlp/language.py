"""Whether a text is Korean: the NLP stage reads Korean only.

An English edition of a Korean outlet (en.yna.co.kr, koreaherald.com) reaches the crawl like
any other page. Kiwi tags every English word a foreign word (SL), and a foreign word is what a
Latin firm name (LG, SK, KT) looks like to the candidate step, so an English article came out
with dozens of "organisations" (`official`, `military`, `for`). Korean news quotes English
names and terms, but its letters are still mostly Hangul: in the real-text gold, the lowest
share of Hangul among letters is 0.49 (a passage on an investor-relations award full of
English firm names); an English article has next to none.
"""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")
# Hangul syllables among Hangul syllables and Latin letters, below which a text is not Korean.
KOREAN_SHARE = 0.2


def reads_as_korean(text: str) -> bool:
    """A text with letters, at least a fifth of them Hangul syllables (a text with no letters
    at all is not excluded: it simply holds no names)."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    return hangul + latin == 0 or hangul / (hangul + latin) >= KOREAN_SHARE

"""One shared Kiwi per process, taught the names we already know.

Kiwi splits unknown names differently in different contexts (텔로스 vs 텔+로스); adding
known organisation names as user words makes their segmentation stable (see FIELD-NOTES).
"""

from __future__ import annotations

import csv
import re
import threading
from functools import lru_cache
from pathlib import Path

from kiwipiepy import Kiwi

from core.paths import DATA_DIR

_HANGUL_NAME = re.compile(r"^[가-힣][가-힣A-Za-z0-9]{2,}$")
_lock = threading.Lock()


def known_names(data_dir: Path = DATA_DIR) -> list[str]:
    """Names Kiwi should keep whole: listed firms (3+ chars) and the user word list."""
    names: set[str] = set()
    gazetteer = data_dir / "gazetteer" / "krx_companies.csv"
    if gazetteer.exists():
        with gazetteer.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = row["name"].strip()
                if row.get("kind") == "company" and _HANGUL_NAME.match(name):
                    names.add(name)
    user_words = data_dir / "lexicon" / "user_words.txt"
    if user_words.exists():
        for line in user_words.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                names.add(line)
    return sorted(names)


def get_kiwi(num_workers: int = 1) -> Kiwi:
    """A Kiwi with the known names added; loaded once per process and worker count.

    One worker thread is the fastest setting here for single texts and small batches
    (num_workers=0 cannot tokenize a batch at all since kiwipiepy 0.21).
    """
    return _kiwi(max(1, int(num_workers)))


# Kiwi morpheme ids below this are the frequent words (the same cut as nlp/candidates.RARE_MORPHEME_ID).
_FREQUENT_ID = 5000
_ordinary: dict[str, frozenset[str]] = {}


def ordinary_word_names() -> frozenset[str]:
    """Listed companies whose names are ordinary Korean words, as Kiwi's own dictionary reads them
    before it is taught the list: one common noun (`디바이스`, `대상`, `서한`) or frequent nouns run
    together (`미래산업` = 미래+산업). In news such a name is mostly the word (`강원 미래산업 육성`,
    `웨어러블 디바이스`): over 3,371 regional articles the list made firms of 미래산업 11 times and
    디바이스 8 times, none of them the company. The list is no evidence for them
    (nlp/lexicon.listed_firms); a legal form, a stock code or the context still is."""
    if "names" not in _ordinary:
        get_kiwi()
    return _ordinary["names"]


def reads_as_ordinary(tokens: list) -> bool:
    """Kiwi's tokens of one word are one common noun of its dictionary (an unknown word has id 2) or
    frequent nouns run together."""
    return bool(tokens) and all(t.tag == "NNG" and t.id > 2 for t in tokens) \
        and (len(tokens) == 1 or all(t.id < _FREQUENT_ID for t in tokens))


def ordinary_word(word: str) -> bool:
    """Whether Kiwi reads `word` alone as one common noun of its dictionary or frequent nouns run
    together (`커리어`, `미래+산업`), as `ordinary_word_names` reads the listed names."""
    return reads_as_ordinary(get_kiwi().tokenize(word))


@lru_cache(maxsize=None)
def _kiwi(num_workers: int) -> Kiwi:
    with _lock:
        kiwi = Kiwi(num_workers=num_workers)
        if "names" not in _ordinary:     # read by Kiwi's own dictionary, before it is taught the names
            from nlp.lexicon import listed_names

            listed = sorted(listed_names())
            _ordinary["names"] = frozenset(name for name, tokens in zip(listed, kiwi.tokenize(listed))
                                           if reads_as_ordinary(tokens))
        for name in known_names():
            kiwi.add_user_word(name, "NNP", 0)
        return kiwi

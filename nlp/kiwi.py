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


@lru_cache(maxsize=None)
def _kiwi(num_workers: int) -> Kiwi:
    with _lock:
        kiwi = Kiwi(num_workers=num_workers)
        for name in known_names():
            kiwi.add_user_word(name, "NNP", 0)
        return kiwi

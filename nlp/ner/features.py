"""CRF features of one unit sequence: surface, Kiwi tag, affixes, shape, context, name lists."""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from nlp.ner.gazetteer import Gazetteer
from nlp.ner.units import Unit


@lru_cache(maxsize=65536)
def _shape(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if "가" <= ch <= "힣":
            s = "가"
        elif "a" <= ch <= "z":
            s = "a"
        elif "A" <= ch <= "Z":
            s = "A"
        elif ch.isdigit():
            s = "0"
        elif "\u4e00" <= ch <= "\u9fff":
            s = "漢"
        else:
            s = ch
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)


def _first_tag(tag: str) -> str:
    return tag.split("+", 1)[0]


def sequence_features(units: Sequence[Unit], text: str, gazetteer: Gazetteer | None,
                      *, window: int = 2) -> list[list[str]]:
    """One feature list per unit (strings; crfsuite gives each the value 1)."""
    n = len(units)
    words = [u.text for u in units]
    tags = [_first_tag(u.tag) for u in units]
    space_before = [u.start > 0 and text[u.start - 1].isspace() for u in units]
    space_after = [u.end < len(text) and text[u.end].isspace() for u in units]
    eojeol_start = [i == 0 or space_before[i] or units[i - 1].end < u.start for i, u in enumerate(units)]
    eojeol_end = [i == n - 1 or eojeol_start[i + 1] for i in range(n)]
    # the particle that closes each unit's eojeol (은/는/이/가/의 …): strong role evidence
    next_josa = [""] * n
    pending = ""
    for i in range(n - 1, -1, -1):
        if eojeol_end[i]:
            pending = ""
        if tags[i].startswith("J"):
            pending = words[i]
        next_josa[i] = pending
    gaz = gazetteer.matches(units, text) if gazetteer is not None else [[] for _ in units]

    pad = max(window, 2)
    W = ["<s>"] * pad + words + ["</s>"] * pad   # padded so neighbours need no bounds checks
    T = ["BOS"] * pad + tags + ["EOS"] * pad

    out: list[list[str]] = []
    for i, unit in enumerate(units):
        word, tag, j = words[i], tags[i], i + pad
        f = ["b", f"w={word}", f"t={tag}", f"tt={unit.tag}", f"sh={_shape(word)}", f"len={min(len(word), 6)}",
             f"sp={int(space_before[i])}{int(space_after[i])}", f"eo={int(eojeol_start[i])}{int(eojeol_end[i])}",
             f"nj={next_josa[i]}", f"wt={word}|{tag}"]
        if unit.form != word:
            f.append(f"f={unit.form}")
        for k in (1, 2, 3):
            if len(word) > k:
                f.append(f"p{k}={word[:k]}")
                f.append(f"s{k}={word[-k:]}")
        for d in range(1, window + 1):
            f += [f"w-{d}={W[j - d]}", f"w+{d}={W[j + d]}", f"t-{d}={T[j - d]}", f"t+{d}={T[j + d]}"]
        f += [f"t-1|t={T[j - 1]}|{tag}", f"t|t+1={tag}|{T[j + 1]}", f"t-2|t-1={T[j - 2]}|{T[j - 1]}",
              f"t+1|t+2={T[j + 1]}|{T[j + 2]}", f"w-1|w={W[j - 1]}|{word}", f"w|w+1={word}|{W[j + 1]}",
              f"wt-1={W[j - 1]}|{T[j - 1]}", f"wt+1={W[j + 1]}|{T[j + 1]}"]
        if 0 < i:
            f.append(f"s1-1={words[i - 1][-1:]}")
        f += gaz[i]
        if i > 0:
            f += ["-1" + g for g in gaz[i - 1]]
        if i + 1 < n:
            f += ["+1" + g for g in gaz[i + 1]]
        out.append(f)
    return out

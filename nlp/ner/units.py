"""Kiwi morphemes → tagging units, and entity spans ↔ unit labels.

A unit is one Kiwi morpheme, or several when they share surface characters (했 = 하+었).
Entity spans are character offsets; a unit tagger can only reproduce spans whose ends fall
on unit boundaries, so units may be split: at gold boundaries while training (clean
examples), and by `split_units` rules that need no gold (the same at training and run time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Unit:
    start: int
    end: int
    text: str    # the surface, text[start:end]
    form: str    # Kiwi form(s), "+"-joined when merged
    tag: str     # Kiwi tag(s), "+"-joined when merged


def units_from_tokens(text: str, tokens: Iterable) -> list[Unit]:
    """Kiwi tokens (anything with form, tag, start, len) → non-overlapping units in text order."""
    units: list[Unit] = []
    for tok in tokens:
        begin, end = tok.start, tok.start + tok.len
        if units and (tok.len == 0 or begin < units[-1].end):
            last = units[-1]
            new_end = max(last.end, end)
            units[-1] = Unit(last.start, new_end, text[last.start:new_end],
                             f"{last.form}+{tok.form}", f"{last.tag}+{tok.tag}")
            continue
        if tok.len == 0:
            continue
        units.append(Unit(begin, end, text[begin:end], tok.form, tok.tag))
    return units


def split_at(units: Sequence[Unit], text: str, cuts: set[int]) -> list[Unit]:
    """Split units at character offsets strictly inside them; pieces keep the unit's tag."""
    if not cuts:
        return list(units)
    out: list[Unit] = []
    for unit in units:
        inner = sorted(c for c in cuts if unit.start < c < unit.end)
        if not inner:
            out.append(unit)
            continue
        edges = [unit.start, *inner, unit.end]
        for a, b in zip(edges, edges[1:]):
            piece = text[a:b]
            if piece.strip():
                out.append(Unit(a, b, piece, piece, unit.tag))
    return out


def encode(units: Sequence[Unit], spans: Iterable[Span], scheme: str = "BIO") -> list[str]:
    """Unit labels for gold spans; a unit belongs to the entity that contains its start."""
    labels = ["O"] * len(units)
    for start, end, label in spans:
        inside = [i for i, u in enumerate(units) if start <= u.start < end]
        if not inside:
            continue
        for k, i in enumerate(inside):
            if scheme == "BILOU":
                if len(inside) == 1:
                    prefix = "U"
                else:
                    prefix = "B" if k == 0 else ("L" if k == len(inside) - 1 else "I")
            else:
                prefix = "B" if k == 0 else "I"
            labels[i] = f"{prefix}-{label}"
    return labels


def decode(units: Sequence[Unit], labels: Sequence[str]) -> list[Span]:
    """Spans from BIO or BILOU labels; an I/L without a matching open entity starts one."""
    spans: list[Span] = []
    open_label: str | None = None
    open_start = open_end = 0
    for unit, tag in zip(units, labels):
        prefix, _, label = tag.partition("-")
        if open_label is not None and (prefix in ("I", "L") and label == open_label):
            open_end = unit.end
            if prefix == "L":
                spans.append((open_start, open_end, open_label))
                open_label = None
            continue
        if open_label is not None:
            spans.append((open_start, open_end, open_label))
            open_label = None
        if prefix in ("U",):
            spans.append((unit.start, unit.end, label))
        elif prefix in ("B", "I", "L"):
            if prefix == "L":
                spans.append((unit.start, unit.end, label))
            else:
                open_label, open_start, open_end = label, unit.start, unit.end
    if open_label is not None:
        spans.append((open_start, open_end, open_label))
    return spans


# Country abbreviations that Kiwi keeps as one noun although KLUE tags each country (남북 → 남, 북).
_ABBREVIATION_CHARS = frozenset("남북한미중일러")
_ABBREVIATION_NOT = frozenset({"북한", "남한", "한미", "일미"})  # whole words that stay whole
_SPLIT_SUFFIXES = ("장", "인", "식", "판", "전", "씨", "측", "내", "역", "산", "계", "발", "행",
                   "병장", "사단", "지주", "엄마", "아빠", "팬")


def rule_cuts(units: Sequence[Unit], entries: dict[str, dict[str, str]]) -> set[int]:
    """Cut offsets inside noun units, found without gold: country-abbreviation compounds, and a
    known entity form followed by a short suffix (하나은행+장, 미국+인, 미얀마+전)."""
    cuts: set[int] = set()
    for unit in units:
        if unit.tag not in ("NNP", "NNG") or len(unit.text) < 2:
            continue
        word = unit.text
        if (len(word) <= 3 and set(word) <= _ABBREVIATION_CHARS and word not in _ABBREVIATION_NOT
                and word not in entries):
            cuts.update(range(unit.start + 1, unit.end))
            if word.startswith(("북핵", "북측", "남측")):
                cuts.add(unit.start + 1)
            continue
        if word[:2] in ("북핵", "북측", "남측") and len(word) == 2:
            cuts.add(unit.start + 1)
            continue
        if len(word) < 3 or word in entries:
            continue
        for suffix in _SPLIT_SUFFIXES:
            head = word[: -len(suffix)]
            if word.endswith(suffix) and len(head) >= 2 and entries.get(head, {}).get("kc") in ("PS", "LC", "OG"):
                cuts.add(unit.end - len(suffix))
                break
    return cuts

"""Units and features shared by training and run time: what the parser sees of a sentence.

The parser's tokens are UD Korean-Kaist's: whitespace words (eojeols) with punctuation split
off. At run time `split_units` cuts raw text the same way. Each unit is described by what
Kiwi says of its morphemes, never by the treebank's own tags (there is no gold tagging at run
time), so training and parsing see the same kind of input:

- `tag`: first morpheme's tag, plus a derivational suffix or copula (`NNG+XSV`), then the tags
  of the trailing particles/endings (`NNG|JKS`, `NNG+XSV|EP+EF`, `VV|ETM`); case marking and
  clause type are what a Korean parser needs most.
- `ending`: the forms of those trailing particles/endings (`가`, `었+다`, `에+는`).
- `stem`: the first morpheme's form (`관세`, `체결`), a lexical cue for bound nouns (수, 것, 등).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence


class Morpheme(Protocol):
    """What is read of a Kiwi token (kiwipiepy.Token has these)."""

    form: str
    tag: str
    start: int
    len: int


@dataclass(frozen=True)
class Unit:
    """One parser token: text[start:end], and whether whitespace follows it."""

    start: int
    end: int
    space_after: bool


@dataclass(frozen=True)
class Features:
    word: str
    tag: str
    ending: str
    stem: str


# UD Kaist splits these off wherever they stand (a particle after a closing quote becomes its
# own word: '해저' 이); "." and "," only at word edges (1.5, 8,800, 한.일 stay whole).
_ALWAYS_SPLIT = frozenset("?!\"'“”‘’()[]<>《》〈〉「」『』【】·")
# The treebank has only ASCII punctuation: map news typography onto it so the model sees
# what it was trained on (the list dot · plays the comma's part in `A·B·C`).
_CANONICAL = {"“": '"', "”": '"', "‘": "'", "’": "'", "·": ",", "《": "<", "》": ">", "〈": "<", "〉": ">",
              "「": "'", "」": "'", "『": '"', "』": '"', "【": "[", "】": "]"}
_FUNCTIONAL = ("J", "E")                      # particles and endings
_DERIVATIONAL = frozenset({"XSV", "XSA", "VCP", "VCN"})  # turn a noun into a predicate
_KEEP_TAIL = 2


def split_units(text: str, start: int = 0, end: int | None = None) -> list[Unit]:
    """The parser tokens of text[start:end], with absolute character offsets."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    i = start
    while i < end:
        if text[i].isspace():
            i += 1
            continue
        word_start = i
        while i < end and not text[i].isspace():
            i += 1
        spans.extend(_split_word(text, word_start, i))
    return [Unit(s, e, e < end and text[e].isspace()) for s, e in spans]


def _split_word(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    cursor = start
    for i in range(start, end):
        ch = text[i]
        if ch in _ALWAYS_SPLIT or (ch in ".," and not _inside_number_or_word(text, i, start, end)):
            if i > cursor:
                pieces.append((cursor, i))
            pieces.append((i, i + 1))
            cursor = i + 1
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def _inside_number_or_word(text: str, i: int, start: int, end: int) -> bool:
    """`1,000`, `1.5`, `한.일`: the mark joins two characters of one word."""
    if not start < i < end - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    if text[i] == ",":
        return before.isdigit() and after.isdigit()
    return before.isalnum() and after.isalnum()


def unit_features(text: str, units: Sequence[Unit], morphemes: Sequence[Morpheme], offset: int = 0) -> list[Features]:
    """Features of each unit from the Kiwi morphemes that start inside it.

    `offset` is added to each morpheme's start (Kiwi ran over a slice of `text`). A morpheme
    belongs to the unit its first character is in; one Kiwi fused across a split (rare) leaves
    the next unit without morphemes, which then gets the tag `X`.
    """
    starts = [u.start for u in units]
    owned: list[list[Morpheme]] = [[] for _ in units]
    k = 0
    for morph in sorted(morphemes, key=lambda m: m.start):
        position = morph.start + offset
        while k + 1 < len(units) and starts[k + 1] <= position:
            k += 1
        if units and units[k].start <= position < units[k].end:
            owned[k].append(morph)
    return [describe(text[u.start:u.end], owned[i]) for i, u in enumerate(units)]


def describe(surface: str, morphemes: Sequence[Morpheme]) -> Features:
    """The tag string, trailing particle/ending forms and stem of one unit."""
    word = _CANONICAL.get(surface, surface)
    if not morphemes:
        return Features(word, "X", "", word)
    tags = [_base_tag(m.tag) for m in morphemes]
    tail = len(tags)
    while tail > 1 and tags[tail - 1].startswith(_FUNCTIONAL):
        tail -= 1
    head = [tags[0]]
    for tag in tags[1:tail]:
        if tag in _DERIVATIONAL and tag not in head:
            head.append(tag)
    trailing = list(range(tail, len(tags)))[-_KEEP_TAIL:]
    tag = "+".join(head) + ("|" + "+".join(tags[i] for i in trailing) if trailing else "")
    ending = "+".join(morphemes[i].form for i in trailing)
    stem = _CANONICAL.get(morphemes[0].form, morphemes[0].form)
    return Features(word, tag, ending, stem)


def _base_tag(tag: str) -> str:
    """Kiwi marks irregular conjugation (VV-I, VA-R); the parser does not need it."""
    return tag.split("-", 1)[0]

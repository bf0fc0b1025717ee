"""Kiwi's sentence split, with its two systematic errors mended: a sentence that opens with a
quoted phrase and its particle (`…했다. ‘한빛마을’은 …`), and one that opens with a bracketed legal
form (`…했다. (주)한빛은 …`, mended by `mend_bracketed_forms`).

Kiwi ends the sentence before at the closing quote, so the quoted phrase stays behind and the
next sentence begins with a bare particle (`‘한빛마을’` | `은 …`). Press releases open sentences
this way all the time — a programme, a product, a team or a firm in quotes, then 은/는/이/가:
128 such splits in 1,400 regional articles. Each one cost the sentence its subject, so a firm
written in quotes lost what it achieved and a quoted programme its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kiwipiepy import Kiwi


@dataclass(frozen=True)
class Sentence:
    """A sentence in the shape of kiwipiepy's (what the rest of the stage reads)."""

    text: str
    start: int
    end: int
    tokens: list
    subs: list | None = None


def split_sentences(kiwi: Kiwi, text: str) -> list:
    """The sentences of text with their tokens: Kiwi's split, quoted and bracketed openings put back."""
    if not text:
        return []
    return mend_bracketed_forms(text, mend_quoted_openings(text, kiwi.split_into_sents(text, return_tokens=True)))


def mend_bracketed_forms(text: str, sentences: Sequence) -> list:
    """Moves a bracketed legal form left after a sentence's final mark (`…선정됐다. (주)`) to the
    sentence it opens (`(주)A는 …`): Kiwi ends the sentence after the bracket, and the firm's
    mention then straddles two sentences and loses its clause (32 such openings in 3,211 regional
    articles: (주), (재), (사), (유))."""
    out: list = []
    for sentence in sentences:
        previous = out[-1] if out else None
        tail = _bracketed_form_tail(previous.tokens) if previous is not None and sentence.tokens else None
        if tail is None:
            out.append(sentence)
            continue
        out[-1] = _sentence(text, list(previous.tokens[:tail]))
        out.append(_sentence(text, list(previous.tokens[tail:]) + list(sentence.tokens)))
    return out


def _bracketed_form_tail(tokens: Sequence) -> int | None:
    """Index of `(` when the tokens end with a final mark then one bracketed syllable: `. ( 주 )`."""
    if len(tokens) < 5:
        return None
    mark, opening, inside, closing = tokens[-4:]
    if mark.tag == "SF" and opening.form == "(" and closing.form == ")" and len(inside.form) == 1 \
            and inside.form in _FORM_SYLLABLES:
        return len(tokens) - 3
    return None


# The one-syllable legal forms written in brackets: 주식회사, 재단법인, 사단법인, 유한회사, 합자·합명회사.
_FORM_SYLLABLES = frozenset("주재사유합")


def mend_quoted_openings(text: str, sentences: Sequence) -> list:
    """Moves a closing quoted phrase to the sentence after it when that sentence begins with a
    particle; when nothing before the quote ends a sentence, the two are one sentence."""
    out: list = []
    for sentence in sentences:
        previous = out[-1] if out else None
        if previous is None or not sentence.tokens or not sentence.tokens[0].tag.startswith("J") \
                or not previous.tokens or previous.tokens[-1].tag != "SSC":
            out.append(sentence)
            continue
        opening = _opening_quote(previous.tokens)
        if opening is not None and any(t.tag in ("SF", "EF") for t in previous.tokens[:opening]):
            kept, moved = previous.tokens[:opening], previous.tokens[opening:]
            out[-1] = _sentence(text, kept)
            out.append(_sentence(text, moved + list(sentence.tokens)))
        else:
            out[-1] = _sentence(text, list(previous.tokens) + list(sentence.tokens))
    return out


def _opening_quote(tokens: Sequence) -> int | None:
    """Index of the quote that opens the quoted phrase closing `tokens`."""
    depth = 0
    for index in range(len(tokens) - 1, -1, -1):
        tag = tokens[index].tag
        if tag == "SSC":
            depth += 1
        elif tag == "SSO":
            depth -= 1
            if depth == 0:
                return index
    return None


def _sentence(text: str, tokens: list) -> Sentence:
    start = tokens[0].start
    end = tokens[-1].start + tokens[-1].len
    return Sentence(text[start:end], start, end, tokens)

"""Search terms from Korean text: content morphemes without particles or endings.

Both the indexer and the query parser call these, so `아이티스테이션` (query) and
`㈜아이티스테이션은` (text) meet on the same term. Runs of nouns written without a space
(`전북디지털융합센터`, or a name Kiwi split as 텔+로스) also yield their joined form as a
compound, kept apart from the positional terms so phrases stay adjacent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from nlp.kiwi import get_kiwi

# Kiwi tags that carry content: nouns, roots, foreign words, numbers, hanja.
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "NP", "SL", "SN", "SH", "XR"})
# Verb/adjective stems are kept too (선정, 납품 come as NNG; 이끌/VV matters less).
STEM_TAGS = frozenset({"VV", "VA"})


@dataclass
class Terms:
    """Positional terms (for phrases and BM25) and joined compounds (for whole-name hits)."""

    tokens: list[str] = field(default_factory=list)
    compounds: list[str] = field(default_factory=list)

    def text(self) -> str:
        return " ".join(self.tokens)

    def compound_text(self) -> str:
        return " ".join(self.compounds)


def terms_from_tokens(tokens: Iterable) -> Terms:
    """Terms of already tokenised text (Kiwi tokens of the whole text, in order)."""
    result = Terms()
    run: list[str] = []
    run_end = -1

    def flush() -> None:
        if len(run) > 1:
            result.compounds.append("".join(run))
        run.clear()

    for token in tokens:
        tag = token.tag.split("-", 1)[0]
        if tag in CONTENT_TAGS:
            form = token.form.lower()
            if run and token.start != run_end:
                flush()
            run.append(form)
            run_end = token.start + token.len
            result.tokens.append(form)
        else:
            flush()
            if tag in STEM_TAGS:
                result.tokens.append(token.form)
    flush()
    return result


def analyze(text: str) -> Terms:
    """Terms of one text."""
    return terms_from_tokens(get_kiwi().tokenize(text))


def analyze_many(texts: Iterable[str], workers: int = 1) -> Iterator[Terms]:
    """Terms of many texts; Kiwi batches them over `workers` threads."""
    kiwi = get_kiwi(max(1, workers))
    for tokens in kiwi.tokenize(list(texts)):
        yield terms_from_tokens(tokens)


def query_word(word: str) -> Terms:
    """Terms of one query word, analysed like the text it should find."""
    return analyze(word)

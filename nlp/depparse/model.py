"""Run time: parse the eojeols of a Korean sentence with the trained pipeline.

    arcs = parse_eojeols(text, start, end, kiwi_tokens)

`text[start:end]` is cut into the treebank's units (whitespace words, punctuation split off;
nlp/depparse/features.py), each unit described by the Kiwi morphemes inside it, and parsed.
The pipeline is loaded once per process from data/models/depparse/ (nothing is downloaded).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from core.errors import UsageError
from core.paths import DATA_DIR
from nlp.depparse.data import make_doc
from nlp.depparse.features import Morpheme, Unit, split_units, unit_features

DEFAULT_MODEL_DIR = DATA_DIR / "models" / "depparse"
_lock = threading.Lock()


@dataclass(frozen=True)
class Arc:
    """One unit: text[start:end], the index of its head unit (-1 for a root), UD relation."""

    start: int
    end: int
    head: int
    deprel: str


Request = tuple[str, int, "int | None", "Sequence[Morpheme] | None"]     # text, start, end, Kiwi tokens


def load_parser(model_dir: str | Path = DEFAULT_MODEL_DIR) -> Language:
    """The trained pipeline, loaded once per process and directory."""
    return _load(Path(model_dir).resolve())


@lru_cache(maxsize=None)
def _load(model_dir: Path) -> Language:
    if not (model_dir / "config.cfg").is_file():
        raise UsageError(f"no dependency parser in {model_dir} "
                         "(make it: python -m nlp.depparse.train --config configs/depparse.cfg)")
    with _lock:
        return spacy.load(model_dir)


def parse_eojeols(text: str, start: int = 0, end: int | None = None,
                  kiwi_tokens: Sequence[Morpheme] | None = None,
                  model_dir: str | Path = DEFAULT_MODEL_DIR) -> list[Arc]:
    """Arcs of the units of text[start:end], in text order, with offsets into `text`.

    `kiwi_tokens` are Kiwi tokens whose offsets are into `text` (as the project's tokenizer
    gives them for a whole document); those outside the span are ignored. Without them Kiwi
    runs over the span. Heads are indices into the returned list; the parser may find more
    than one root in a long span (each gets head -1).
    """
    return parse_batch([(text, start, end, kiwi_tokens)], model_dir=model_dir)[0]


def parse_batch(requests: Iterable[Request], model_dir: str | Path = DEFAULT_MODEL_DIR,
                batch_size: int = 64) -> list[list[Arc]]:
    """`parse_eojeols` for many spans at once (the parser is several times faster in batches)."""
    nlp = load_parser(model_dir)
    prepared = [_prepare(nlp, *request) for request in requests]
    parsed = iter(nlp.pipe((doc for doc, _ in prepared if doc is not None), batch_size=batch_size))
    out: list[list[Arc]] = []
    for doc, units in prepared:
        if doc is None:
            out.append([])
            continue
        parsed_doc = next(parsed)
        out.append([Arc(u.start, u.end, -1 if t.head.i == t.i else t.head.i,
                        "root" if t.head.i == t.i else t.dep_) for u, t in zip(units, parsed_doc)])
    return out


def _prepare(nlp: Language, text: str, start: int, end: int | None,
             kiwi_tokens: Sequence[Morpheme] | None) -> tuple[Doc | None, list[Unit]]:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    end = len(text) if end is None else end
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) is not inside the text (length {len(text)})")
    units = split_units(text, start, end)
    if not units:
        return None, units
    if kiwi_tokens is None:
        from nlp.kiwi import get_kiwi

        morphemes, offset = list(get_kiwi().tokenize(text[start:end])), start
    else:
        morphemes, offset = [t for t in kiwi_tokens if start <= t.start < end], 0
    return make_doc(nlp.vocab, units, unit_features(text, units, morphemes, offset)), units

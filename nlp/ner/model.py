"""The shipped CRF tagger: load once, tag Kiwi tokens, return character spans.

A model is a directory: `model.crfsuite` (crfsuite's own format, memory-mapped on open),
`gazetteer.tsv` (the name lists frozen at training time) and `meta.json` (feature settings,
versions, provenance). See data/models/README.md.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import pycrfsuite

from core.paths import DATA_DIR
from nlp.ner.features import sequence_features
from nlp.ner.gazetteer import Gazetteer
from nlp.ner.units import Span, Unit, decode, rule_cuts, split_at, units_from_tokens

DEFAULT_MODEL_DIR = DATA_DIR / "models" / "ner-crf"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeatureSettings:
    """What turns tokens into CRF items; saved in meta.json so training and use agree."""

    rule_cuts: bool = True
    window: int = 2

    @classmethod
    def from_dict(cls, data: dict) -> "FeatureSettings":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def make_units(text: str, tokens: Iterable, gazetteer: Gazetteer, settings: FeatureSettings) -> list[Unit]:
    units = units_from_tokens(text, tokens)
    if settings.rule_cuts:
        units = split_at(units, text, rule_cuts(units, gazetteer.entries))
    return units


def sentence_chunks(units: Sequence[Unit], text: str) -> list[Sequence[Unit]]:
    """Split a long unit list where a sentence ends (final punctuation then a space, or a newline),
    so each CRF sequence is sentence-sized like the training data."""
    chunks: list[Sequence[Unit]] = []
    begin = 0
    for i in range(1, len(units)):
        gap = text[units[i - 1].end:units[i].start]
        if "\n" in gap or (gap and units[i - 1].tag.startswith("SF")):
            chunks.append(units[begin:i])
            begin = i
    if begin < len(units):
        chunks.append(units[begin:])
    return chunks


@dataclass
class NerModel:
    tagger: pycrfsuite.Tagger
    gazetteer: Gazetteer
    settings: FeatureSettings
    meta: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL_DIR) -> "NerModel":
        directory = Path(path)
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        tagger = pycrfsuite.Tagger()
        tagger.open(str(directory / "model.crfsuite"))
        gazetteer = Gazetteer.load(directory / "gazetteer.tsv")
        return cls(tagger, gazetteer, FeatureSettings.from_dict(meta.get("features", {})), meta)

    def tag_units(self, units: Sequence[Unit], text: str) -> list[Span]:
        spans: list[Span] = []
        for chunk in sentence_chunks(units, text):
            feats = sequence_features(chunk, text, self.gazetteer, window=self.settings.window)
            spans += decode(chunk, self.tagger.tag(feats))
        return spans

    def predict_tokens(self, text: str, tokens: Iterable) -> list[Span]:
        """Entity spans of `text` from its Kiwi tokens (e.g. a Doc's `doc._.kiwi_tokens`)."""
        return self.tag_units(make_units(text, tokens, self.gazetteer, self.settings), text)

    def predict(self, texts: Sequence[str], num_workers: int = 2) -> list[list[Span]]:
        """Spans for many texts; Kiwi tokenises the whole batch at once (its fast path)."""
        from nlp.kiwi import get_kiwi

        if not texts:
            return []
        token_lists = get_kiwi(num_workers).tokenize(list(texts))
        return [self.predict_tokens(text, tokens) for text, tokens in zip(texts, token_lists)]


@lru_cache(maxsize=4)
def get_model(path: str | None = None) -> NerModel:
    """The shipped model (or the one at `path`), loaded once per process."""
    return NerModel.load(path or DEFAULT_MODEL_DIR)

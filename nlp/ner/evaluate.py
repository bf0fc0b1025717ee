"""`newsmine eval ner`: entity-level exact-span P/R/F1 of a tagger against a gold JSONL file."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from nlp.ner.data import read_gold
from nlp.ner.scoring import score
from nlp.ner.units import Span

Predict = Callable[[Sequence[str]], list[list[Span]]]


def shipped_predict(model_dir: str | Path | None = None) -> Predict:
    """The shipped CRF (or the model in `model_dir`) as a batch predictor."""
    from nlp.ner.model import get_model

    model = get_model(str(model_dir) if model_dir else None)
    return model.predict


def evaluate_ner(gold_path: str | Path, predict: Predict | None = None) -> dict:
    """Score `predict` (default: the shipped model, Kiwi-batched) on every sentence of the gold file.

    Returns `{"labels": {label: {"precision", "recall", "f1", "support"}}, "micro": {…}}`.
    Raises core.errors.UsageError for a missing or malformed gold file.
    """
    examples = read_gold(gold_path)
    predictor = predict if predict is not None else shipped_predict()
    predicted = predictor([e.text for e in examples])
    return score([e.entities for e in examples], predicted)

"""Entity-level exact-span precision/recall/F1 (a span counts only with the same start, end and label)."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from nlp.ner.units import Span

LABELS = ("PS", "LC", "OG", "DT", "TI", "QT")


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": n_gold}


def score(gold: Sequence[Iterable[Span]], predicted: Sequence[Iterable[Span]]) -> dict:
    """`{"labels": {label: {precision, recall, f1, support}}, "micro": {…}}` over paired sentences."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for gold_spans, pred_spans in zip(gold, predicted, strict=True):
        g, p = set(map(tuple, gold_spans)), set(map(tuple, pred_spans))
        for span in g:
            n_gold[span[2]] += 1
        for span in p:
            n_pred[span[2]] += 1
        for span in g & p:
            tp[span[2]] += 1
    labels = [lab for lab in LABELS if n_gold[lab] or n_pred[lab]]
    labels += sorted(set(n_gold) | set(n_pred) - set(labels) - set(LABELS))
    return {
        "labels": {lab: _prf(tp[lab], n_pred[lab], n_gold[lab]) for lab in labels},
        "micro": _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())),
    }

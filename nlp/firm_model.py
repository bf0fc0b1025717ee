"""The firm model: a scikit-learn classifier over candidate names in their context.

Every candidate (nlp/candidates.py) of every sentence is scored as `none`, `firm` or `org`
(an organisation that is not a firm) from what nlp/firm_features.py reads around it. The
model is a joblib-persisted Pipeline (DictVectorizer → logistic regression) trained by
`python -m nlp.training.firms train --config configs/firms.toml` on konec's labelled KLUE
sentences and silver-labelled KLUE news, with names substituted and legal forms dropped so
that it learns Korean context rather than names (see nlp/training/firm_data.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import joblib

from nlp.candidates import Candidate, Piece, propose, split_pieces
from nlp.firm_features import candidate_features
from nlp.names import FIRM_MODEL_DIR, known_name

MODEL_PATH = FIRM_MODEL_DIR / "model.joblib"


@dataclass
class Scored:
    candidate: Candidate
    p_none: float
    p_firm: float
    p_org: float
    pieces: list[Piece]

    @property
    def best(self) -> float:
        return max(self.p_firm, self.p_org)


@dataclass
class FirmModel:
    pipeline: object          # sklearn Pipeline: DictVectorizer → LogisticRegression
    firm_threshold: float
    org_threshold: float
    meta: dict
    # The decision's parts (nlp/firm_decision.py); switched off one by one only for the ablation
    # in bench/realtext_eval.py.
    lists: bool = True        # list expansion
    cues: bool = True         # a descriptor or (대표 …) makes a firm
    adds: bool = True         # names only the model found

    def probabilities(self, features: Sequence[dict]) -> list[tuple[float, float, float]]:
        """(none, firm, org) per feature dict."""
        if not features:
            return []
        classes = list(self.pipeline.classes_)   # type: ignore[attr-defined]
        rows = self.pipeline.predict_proba(list(features))   # type: ignore[attr-defined]
        order = [classes.index(c) for c in ("none", "firm", "org")]
        return [(float(r[order[0]]), float(r[order[1]]), float(r[order[2]])) for r in rows]


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> FirmModel | None:
    """The shipped model (or the one at `path`); None when none is there."""
    location = Path(path) if path else Path(os.environ.get("NEWSMINE_FIRM_MODEL_PATH", MODEL_PATH))
    if not location.exists():
        return None
    bundle = joblib.load(location)
    return FirmModel(bundle["pipeline"], bundle["firm_threshold"], bundle["org_threshold"], bundle.get("meta", {}))


def score_sentences(text: str, sentences: Sequence, model: FirmModel) -> list[Scored]:
    """Every candidate of every Kiwi sentence of `text`, scored in one classifier call."""
    pending: list[tuple[Candidate, list[Piece]]] = []
    features: list[dict] = []
    for index, sentence in enumerate(sentences):
        tokens = list(sentence.tokens)
        if not tokens:
            continue
        pieces = split_pieces(text, sentence.start, sentence.end, tokens)
        candidates = propose(text, index, pieces, known_name)
        partners = frozenset(p for c in candidates for p in range(c.first_piece, c.last_piece + 1))
        for candidate in candidates:
            pending.append((candidate, pieces))
            features.append(candidate_features(text, pieces, tokens, candidate, partners))
    return [Scored(candidate, p[0], p[1], p[2], pieces)
            for (candidate, pieces), p in zip(pending, model.probabilities(features))]


def best_spans(scored: list[Scored], model: FirmModel) -> list[Scored]:
    """The accepted candidates, most confident first, none overlapping another."""
    accepted: list[Scored] = []
    taken: list[tuple[int, int]] = []
    for item in sorted(scored, key=lambda s: -s.best):
        c = item.candidate
        if item.p_firm < model.firm_threshold and item.p_org < model.org_threshold:
            continue
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        accepted.append(item)
        taken.append((c.start, c.end))
    return sorted(accepted, key=lambda s: s.candidate.start)

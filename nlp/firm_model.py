"""The firm model: a scikit-learn classifier over candidate names in their context.

Every candidate (nlp/candidates.py) of every sentence is scored as `none`, `firm` or `org`
(an organisation that is not a firm) from what nlp/firm_features.py reads around it. The
model is a joblib-persisted Pipeline (DictVectorizer → logistic regression) trained by
`python -m nlp.training.firms train --config configs/firms.toml` on konec's labelled KLUE
sentences and silver-labelled KLUE news, with names substituted and legal forms dropped so
that it learns Korean context rather than names (see nlp/training/firm_data.py).
"""

from __future__ import annotations

import bisect
import copy
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import joblib
import numpy as np
from sklearn.pipeline import Pipeline

from nlp.candidates import LIST_GAP, Candidate, Piece, known_suffix, misread_inside, propose, split_pieces, split_unknown
from nlp.firm_features import BUSINESS_PREDICATE_RE, SentenceView, candidate_features, firm_cue
from nlp.names import FIRM_MODEL_DIR, known_name

MODEL_PATH = FIRM_MODEL_DIR / "model.joblib"


@dataclass
class Scored:
    candidate: Candidate
    p_none: float
    p_firm: float
    p_org: float
    pieces: list[Piece]
    features: dict = field(default_factory=dict)

    @property
    def best(self) -> float:
        return max(self.p_firm, self.p_org)


@dataclass
class FirmModel:
    pipeline: object          # sklearn Pipeline: DictVectorizer → LogisticRegression
    firm_threshold: float
    org_threshold: float
    meta: dict
    # The firm threshold for a name in a business role (nlp/firm_decision._firm_limit); a bundle
    # without one uses firm_threshold everywhere.
    role_threshold: float | None = None
    # The decision's parts (nlp/firm_decision.py); switched off one by one only for the ablation
    # in bench/realtext_eval.py.
    lists: bool = True        # list expansion
    cues: bool = True         # a descriptor or (대표 …) makes a firm
    adds: bool = True         # names only the model found

    @classmethod
    def from_bundle(cls, bundle: dict) -> "FirmModel":
        """The model a training bundle (nlp/training/firms._bundle) holds, thresholds included;
        a bundle as written (`packed`) gets its vectoriser's vocabulary back."""
        return cls(_unpacked(bundle), bundle["firm_threshold"], bundle["org_threshold"], bundle.get("meta", {}),
                   role_threshold=bundle.get("role_threshold"))

    def probabilities(self, features: Sequence[dict]) -> list[tuple[float, float, float]]:
        """(none, firm, org) per feature dict: the logistic regression's softmax, computed from
        its weights feature by feature (the same numbers as predict_proba, several times faster
        than vectorising a handful of rows)."""
        weights, bias = self._weights()
        out = []
        for feature in features:
            a, b, c = bias
            for name in feature:
                w = weights.get(name)
                if w is not None:
                    a += w[0]
                    b += w[1]
                    c += w[2]
            top = max(a, b, c)
            ea, eb, ec = math.exp(a - top), math.exp(b - top), math.exp(c - top)
            total = ea + eb + ec
            out.append((ea / total, eb / total, ec / total))
        return out

    def _weights(self) -> tuple[dict[str, tuple[float, float, float]], tuple[float, float, float]]:
        cached = self.__dict__.get("_cached_weights")
        if cached is None:
            vectorizer = self.pipeline.named_steps["vectorize"]   # type: ignore[attr-defined]
            classifier = self.pipeline.named_steps["classify"]    # type: ignore[attr-defined]
            order = [list(classifier.classes_).index(c) for c in ("none", "firm", "org")]
            coef = classifier.coef_[order]
            weights = {name: (float(coef[0, j]), float(coef[1, j]), float(coef[2, j]))
                       for name, j in vectorizer.vocabulary_.items()}
            intercept = classifier.intercept_[order]
            cached = (weights, (float(intercept[0]), float(intercept[1]), float(intercept[2])))
            self.__dict__["_cached_weights"] = cached
        return cached


def packed(bundle: dict) -> dict:
    """The bundle as it is written to disk: the vectoriser's feature names as one numpy array,
    its vocabulary left out. joblib reads a pickled dict of 200,000 strings with Python's own
    unpickler, 1.4 s at every start of the NLP stage; the array loads in a tenth of a second
    and the vocabulary is rebuilt from it in another twentieth (`_unpacked`)."""
    pipeline = bundle["pipeline"]
    name, vectorizer = pipeline.steps[0]
    bare = copy.copy(vectorizer)
    del bare.vocabulary_, bare.feature_names_
    return {**bundle, "pipeline": Pipeline([(name, bare), *pipeline.steps[1:]]),
            "feature_names": np.array(vectorizer.feature_names_, dtype=str)}


def _unpacked(bundle: dict) -> Pipeline:
    pipeline = bundle["pipeline"]
    if "feature_names" in bundle:
        vectorizer = pipeline.steps[0][1]
        vectorizer.feature_names_ = bundle["feature_names"].tolist()
        vectorizer.vocabulary_ = dict(zip(vectorizer.feature_names_, range(len(vectorizer.feature_names_))))
    return pipeline


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> FirmModel | None:
    """The shipped model (or the one at `path`); None when none is there."""
    location = Path(path) if path else Path(os.environ.get("NEWSMINE_FIRM_MODEL_PATH", MODEL_PATH))
    if not location.exists():
        return None
    return FirmModel.from_bundle(joblib.load(location))


def score_sentences(text: str, sentences: Sequence, model: FirmModel,
                    named_at: Sequence[int] = ()) -> list[Scored]:
    """Every candidate of every Kiwi sentence of `text`, scored in one classifier call.

    `named_at`: where the rules found names; their sentences are read even when they hold no
    proper noun, so the model can overrule a weak rule name there (금융당국 as a konec "firm")."""
    named = sorted(named_at)
    pending: list[tuple[Candidate, list[Piece]]] = []
    features: list[dict] = []
    for index, sentence in enumerate(sentences):
        tokens = list(sentence.tokens)
        if not tokens or not (_may_name(text, sentence, tokens) or _holds(named, sentence.start, sentence.end)):
            continue
        pieces = split_pieces(text, sentence.start, sentence.end, tokens)
        candidates = propose(text, index, pieces, known_name)
        partners = frozenset(p for c in candidates for p in range(c.first_piece, c.last_piece + 1))
        view = SentenceView(text, pieces, tokens) if candidates else None
        for candidate in candidates:
            if not worth_scoring(text, pieces, candidate):
                continue
            pending.append((candidate, pieces))
            features.append(candidate_features(text, pieces, tokens, candidate, partners, view=view))
    return [Scored(candidate, p[0], p[1], p[2], pieces, feature)
            for (candidate, pieces), feature, p in zip(pending, features, model.probabilities(features))]


def _holds(positions: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


def _may_name(text: str, sentence, tokens: list) -> bool:  # type: ignore[no-untyped-def]
    """Whether a sentence can hold a name the model would accept: a proper noun, a foreign word
    or a word Kiwi does not know (flagged `oov`, or read as one-syllable pieces), a legal form,
    or a list (a third of news sentences have none of these, and only common nouns, which the
    model never takes alone); or a topic the sentence calls a business (`꿈나무숲은 … 기업이다`,
    nlp/firm_features.described_as_business), whose name may be common nouns run together."""
    if any(t.tag in ("NNP", "SL", "SH") or t.oov for t in tokens) or split_unknown(tokens):
        return True
    return bool(_LEGAL_OR_LIST.search(text, sentence.start, sentence.end)) or _topic_called_business(text, sentence)


_LEGAL_OR_LIST = re.compile(r"㈜|\(주\)|주식회사|법인|협동조합|[·ㆍ]|,\s*\S+\s*등|"
                            r"\S\s*등\s*(?:\d+|[한두세네]|여러)\s*(?:개\s*)?(?:기업|업체|회사|개사|사|곳)")
_TOPIC = re.compile(r"[가-힣](?:은|는)\s[^.!?]*$")


def _topic_called_business(text: str, sentence) -> bool:  # type: ignore[no-untyped-def]
    """`A는 … 기업이다` somewhere in the sentence: a business predicate, a topic before it."""
    found = BUSINESS_PREDICATE_RE.search(text, sentence.start, sentence.end)
    return found is not None and _TOPIC.search(text[max(sentence.start, found.start() - 130):found.start()]) is not None


_NAME_AFTER = re.compile(r"^\s?(?:\((?:대표|회장|사장)|대표|측|관계자|임직원|사장|회장)")


def worth_scoring(text: str, pieces: list[Piece], candidate: Candidate) -> bool:
    """Whether the model need read a candidate. A word of common nouns only (Kiwi knows each
    part: 해외+마케팅, 스마트+그린) is read where the text hints at a name — in a list, after a
    noun for a business, before 대표/측/관계자, with a legal form or a telling suffix; elsewhere
    it is no name (measured: skipping them changes no real-text dev figure and saves a third
    of the model's time)."""
    tokens = candidate.tokens
    if candidate.words > 1 or candidate.has_form or any(t.tag in ("NNP", "SL", "SH") or t.oov for t in tokens) \
            or misread_inside(candidate) or split_unknown(tokens):
        return True
    bare = candidate.text.replace(" ", "")
    if known_suffix(bare) or known_name(bare):
        return True
    first, last = pieces[candidate.first_piece], pieces[candidate.last_piece]
    for before in pieces[max(0, candidate.first_piece - 2):candidate.first_piece]:   # `A와 익산의 B`
        if LIST_GAP.match(before.gap_after) or before.tail[:1] in ("와", "과"):
            return True
    if candidate.tail[:1] in ("와", "과") or LIST_GAP.match(last.gap_after):
        return True
    if firm_cue(text, pieces, candidate) or _NAME_AFTER.match(text[candidate.end:candidate.end + 6]):
        return True
    return first is last and text[last.end:last.end + 2].lstrip().startswith("등")


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

"""A learned second opinion on achievements: "achievement or not" and type, per (sentence, firm).

The rules of nlp/achievements.py attribute and measure well but judge a sentence by a few
words; a classifier sees the whole sentence (tense endings, 예산·계획 vocabulary, who else is
named) and can veto a rule candidate it is confident about. One candidate is one firm in one
sentence, the firm masked (◆) so the model learns the frame, not the name; features are
character n-grams of the masked sentence and n-grams of Kiwi morphemes (form/tag).

    python -m nlp.achievement_model train --config configs/achievements.toml
    python -m nlp.achievement_model cv --config configs/achievements.toml

writes data/models/achievement_clf.joblib: two scikit-learn Pipelines (`achieved`, `types`)
and the config and versions they were made with.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator, Sequence

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MultiLabelBinarizer

from core.digest import rows_digest
from core.paths import REPO_ROOT

CONFIG_PATH = REPO_ROOT / "configs" / "achievements.toml"
TARGET, OTHER_FIRM = "◆", "◇"
# Environment override of the config's [combine] mode, for rules-only vs combined comparisons.
MODE_ENV = "NEWSMINE_ACH_MODEL"


def load_config(path: str | Path = CONFIG_PATH) -> dict:
    with Path(path).open("rb") as handle:
        return tomllib.load(handle)


# --------------------------------------------------------------------------- features
@dataclass(frozen=True)
class Candidate:
    """One firm in one sentence: the masked text and the morpheme string the model reads."""

    masked: str
    lemmas: str


def candidate(text: str, start: int, end: int, tokens: Sequence, mentions: list, target_name: str) -> Candidate:
    """Features of the firm `target_name` in text[start:end]; `mentions` are (start, end, org)."""
    inside = sorted((s, e, org) for s, e, org in mentions if start <= s and e <= end)
    pieces, position = [], start
    for s, e, org in inside:
        if s < position:
            continue
        pieces.append(text[position:s])
        pieces.append(_marker(org, target_name))
        position = e
    pieces.append(text[position:end])
    lemmas: list[str] = []
    marked: set[int] = set()
    for token in tokens:
        t_start = token.start
        if not start <= t_start < end:
            continue
        hit = next((i for i, (s, e, _) in enumerate(inside) if s <= t_start < e), None)
        if hit is None:
            lemmas.append(f"{token.form}/{token.tag}")
        elif hit not in marked:
            marked.add(hit)
            lemmas.append(_marker(inside[hit][2], target_name))
    return Candidate("".join(pieces), " ".join(lemmas))


def _marker(org: Any, target_name: str) -> str:
    if org.name == target_name:
        return TARGET
    return OTHER_FIRM if org.kind == "firm" else f"<{org.kind}>"


def _masked(items: Sequence[Candidate]) -> list[str]:
    return [c.masked for c in items]


def _lemmas(items: Sequence[Candidate]) -> list[str]:
    return [c.lemmas for c in items]


def _features(config: dict) -> FeatureUnion:
    f = config.get("features", {})
    return FeatureUnion([
        ("chars", Pipeline([("pick", FunctionTransformer(_masked)),
                            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(f.get("chars", (1, 4))),
                                                      sublinear_tf=True, min_df=f.get("min_df", 1)))])),
        ("lemmas", Pipeline([("pick", FunctionTransformer(_lemmas)),
                             ("tfidf", TfidfVectorizer(analyzer="word", token_pattern=r"\S+", lowercase=False,
                                                       ngram_range=tuple(f.get("lemmas", (1, 2))),
                                                       sublinear_tf=True, min_df=f.get("min_df", 1)))])),
    ])


def _classifier(config: dict) -> LogisticRegression:
    m = config.get("model", {})
    return LogisticRegression(C=m.get("C", 4.0), class_weight="balanced", solver="liblinear",
                              random_state=m.get("seed", 13), max_iter=2000)


def achieved_pipeline(config: dict) -> Pipeline:
    return Pipeline([("features", _features(config)), ("model", _classifier(config))])


def types_pipeline(config: dict) -> Pipeline:
    return Pipeline([("features", _features(config)), ("model", OneVsRestClassifier(_classifier(config)))])


# --------------------------------------------------------------------------- training data
@dataclass
class Example:
    group: str
    candidate: Candidate
    achieved: bool | None      # None: only optional pairs, ambiguous either way
    types: frozenset[str]


def training_examples(config: dict) -> list[Example]:
    """One example per firm the pipeline finds in each training sentence, labelled from gold."""
    from nlp.evaluate_extract import load_gold
    from nlp.pipeline import analyze_doc

    data = config.get("data", {})
    rows = load_gold(REPO_ROOT / data["sentences"], data.get("split", "train"))
    previous = os.environ.get(MODE_ENV)
    os.environ[MODE_ENV] = "off"     # the pipeline's own use of the model plays no part here
    try:
        return [example for row in rows for example in _row_examples(row, analyze_doc(row["text"], row.get("published_at")))]
    finally:
        if previous is None:
            os.environ.pop(MODE_ENV, None)
        else:
            os.environ[MODE_ENV] = previous


def _row_examples(row: dict, doc: Any) -> list[Example]:
    from nlp.evaluate_extract import normalize_name

    orgs = doc._.organizations or []
    mentions = [(s, e, org) for org in orgs for s, e in org.mentions]
    tokens = [t for s in (doc._.kiwi_sentences or []) for t in s.tokens]
    gold: dict[str, set[str]] = {}
    optional: dict[str, set[str]] = {}
    for a in row["achievements"]:
        gold.setdefault(normalize_name(a["firm"]), set()).add(a["type"])
    for a in row.get("optional") or []:
        optional.setdefault(normalize_name(a["firm"]), set()).add(a["type"])
    examples = []
    for org in orgs:
        if org.kind != "firm":
            continue
        key = normalize_name(org.name)
        types = gold.get(key, set())
        achieved = bool(types) if types or key not in optional else None
        examples.append(Example(str(row["id"]), candidate(row["text"], 0, len(row["text"]), tokens, mentions, org.name),
                                achieved, frozenset(types | optional.get(key, set()))))
    return examples


def cross_validate(examples: list[Example], config: dict) -> dict:
    """Grouped, stratified k-fold: accuracy of "achievement or not", and of the top type."""
    cv = config.get("cv", {})
    folds, seed = cv.get("folds", 5), config.get("model", {}).get("seed", 13)
    labelled = [e for e in examples if e.achieved is not None]
    y = np.array([e.achieved for e in labelled])
    groups = [e.group for e in labelled]
    X = [e.candidate for e in labelled]
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    binary_right, type_right, type_total, per_fold = 0, 0, 0, []
    for train_idx, test_idx in splitter.split(X, y, groups):
        model = achieved_pipeline(config).fit([X[i] for i in train_idx], y[train_idx])
        predicted = model.predict([X[i] for i in test_idx])
        right = int((predicted == y[test_idx]).sum())
        binary_right += right
        per_fold.append(round(right / len(test_idx), 4))
        binarizer = MultiLabelBinarizer().fit([labelled[i].types for i in range(len(labelled))])
        typer = types_pipeline(config).fit([X[i] for i in train_idx],
                                           binarizer.transform([labelled[i].types for i in train_idx]))
        positives = [i for i in test_idx if labelled[i].achieved]
        if positives:
            scores = typer.predict_proba([X[i] for i in positives])
            for i, row in zip(positives, scores):
                type_total += 1
                type_right += binarizer.classes_[int(row.argmax())] in labelled[i].types
    return {"candidates": len(labelled), "sentences": len(set(groups)), "positives": int(y.sum()),
            "folds": folds, "achieved_accuracy": round(binary_right / len(labelled), 4),
            "achieved_accuracy_per_fold": per_fold,
            "type_top1_accuracy": round(type_right / type_total, 4) if type_total else None,
            "type_candidates": type_total}


def examples_digest(examples: list[Example]) -> str:
    """A digest of what the classifier learns from: each candidate's masked sentence, morphemes and
    labels. Training is deterministic, so equal examples give an equal model; the examples move
    when the sentence set, the organisation finder (which names the firms masked) or Kiwi moves,
    and a test (tests/test_model_provenance.py) then fails until the model is retrained."""
    return rows_digest([e.group, e.candidate.masked, e.candidate.lemmas, e.achieved, sorted(e.types)] for e in examples)


def fit(examples: list[Example], config: dict) -> dict:
    """Both pipelines fitted on the labelled examples: {"achieved", "types", "type_names"}."""
    labelled = [e for e in examples if e.achieved is not None]
    X = [e.candidate for e in labelled]
    achieved = achieved_pipeline(config).fit(X, np.array([e.achieved for e in labelled]))
    binarizer = MultiLabelBinarizer().fit([e.types for e in labelled])
    types = types_pipeline(config).fit(X, binarizer.transform([e.types for e in labelled]))
    return {"achieved": achieved, "types": types, "type_names": list(binarizer.classes_)}


def train(config: dict, config_path: str | Path) -> dict:
    """Cross-validate, fit both models on every labelled example, write the joblib file."""
    examples = training_examples(config)
    report = cross_validate(examples, config)
    fitted = fit(examples, config)
    _stable(fitted["achieved"])
    _stable(fitted["types"])
    sentences = REPO_ROOT / config["data"]["sentences"]
    bundle = {
        **fitted,
        "config": config, "config_path": str(config_path), "cv": report,
        "versions": {p: metadata.version(p) for p in ("scikit-learn", "kiwipiepy", "joblib")},
        "training_sha256": hashlib.sha256(sentences.read_bytes()).hexdigest(),
        "examples_digest": examples_digest(examples),
    }
    out = REPO_ROOT / config.get("output", {}).get("model", "data/models/achievement_clf.joblib")
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(bundle, out, compress=3)
    return {**report, "model": str(out.relative_to(REPO_ROOT))}


def _stable(pipeline: Pipeline) -> None:
    """Same data, same file, byte for byte: sort the fitted vocabularies (their insertion order
    follows string hashing) and drop a cached memory address sklearn keeps for a warning."""
    for _, branch in pipeline.named_steps["features"].transformer_list:
        vectorizer = branch.named_steps["tfidf"]
        vectorizer.vocabulary_ = dict(sorted(vectorizer.vocabulary_.items()))
        vectorizer.__dict__.pop("_stop_words_id", None)


# --------------------------------------------------------------------------- use
@dataclass(frozen=True)
class Model:
    """The shipped classifier with the combination settings it is used with.

    `mode` names what it may do: "veto" drops rule candidates, "recover" adds achievements
    for firms the rules gave none, "veto+recover" both. `log`, when a list, receives every
    recovery the model was asked about (for threshold tuning), whether it passed or not.
    """

    achieved: Pipeline
    types: Pipeline
    type_names: tuple[str, ...]
    mode: str
    veto_below: float
    type_below: float
    recover_above: float = 1.01
    recover_type_above: float = 1.01
    log: list | None = None

    @property
    def vetoing(self) -> bool:
        return "veto" in self.mode

    @property
    def recovering(self) -> bool:
        return "recover" in self.mode

    def probabilities(self, item: Candidate) -> tuple[float, dict[str, float]]:
        """(P(achievement), P(type) per type) for one candidate."""
        p_achieved = float(self.achieved.predict_proba([item])[0][list(self.achieved.classes_).index(True)])
        p_types = self.types.predict_proba([item])[0]
        return p_achieved, {name: float(p) for name, p in zip(self.type_names, p_types)}

    def vetoes(self, item: Candidate, kind: str) -> bool:
        """Whether a rule candidate of type `kind` should be dropped."""
        p_achieved, p_types = self.probabilities(item)
        return p_achieved < self.veto_below and p_types.get(kind, 0.0) < self.type_below

    def recovers(self, item: Candidate, key: Any = None) -> tuple[str, float, float] | None:
        """(type, P(achievement), P(type)) when the model is sure enough to add an achievement
        the rules missed; both thresholds must pass, since a sure type alone says nothing
        about tense and a sure "achieved" alone nothing about what was achieved."""
        p_achieved, p_types = self.probabilities(item)
        kind, p_type = max(p_types.items(), key=lambda kv: kv[1])
        if self.log is not None:
            self.log.append((key, kind, p_achieved, p_type))
        if p_achieved >= self.recover_above and p_type >= self.recover_type_above:
            return kind, p_achieved, p_type
        return None


# A model forced by `use_model` (cross-validation folds), ahead of the shipped one.
_FORCED: list[Model] = []


@contextlib.contextmanager
def use_model(model: Model) -> Iterator[Model]:
    """Run the pipeline with `model` instead of the shipped one (a fold's model in CV)."""
    _FORCED.append(model)
    try:
        yield model
    finally:
        _FORCED.pop()


def model_from(bundle: dict, mode: str, combine: dict, log: list | None = None) -> Model:
    """A Model of fitted pipelines with the thresholds of a config's [combine] table."""
    return Model(bundle["achieved"], bundle["types"], tuple(bundle["type_names"]), mode,
                 float(combine.get("veto_below", 0.2)), float(combine.get("type_below", 0.2)),
                 float(combine.get("recover_above", 1.01)), float(combine.get("recover_type_above", 1.01)), log)


@lru_cache(maxsize=1)
def _load(path: str) -> dict | None:
    return joblib.load(path) if Path(path).exists() else None


@lru_cache(maxsize=1)
def _shipped_config() -> dict:
    return load_config()


def get_model() -> Model | None:
    """The classifier when it is shipped and its mode (config, or $NEWSMINE_ACH_MODEL) is on.

    Called once per document, so the config is read once and the model is loaded only when on.
    Thresholds come from the shipped config, so retuning them needs no retraining.
    """
    if _FORCED:
        return _FORCED[-1]
    config = _shipped_config()
    mode = os.environ.get(MODE_ENV, config.get("combine", {}).get("mode", "off")).strip().lower()
    if mode in ("", "off", "0", "rules"):
        return None
    bundle = _load(str(REPO_ROOT / config.get("output", {}).get("model", "data/models/achievement_clf.joblib")))
    if bundle is None:
        return None
    return model_from(bundle, mode, {**bundle["config"].get("combine", {}), **config.get("combine", {})})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train or cross-validate the achievement classifier.")
    parser.add_argument("command", choices=("train", "cv"))
    parser.add_argument("--config", default=str(CONFIG_PATH))
    args = parser.parse_args(argv)
    config = load_config(args.config)
    if args.command == "cv":
        result = cross_validate(training_examples(config), config)
    else:
        result = train(config, args.config)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    # Run the imported module's main, so pickled feature functions refer to
    # nlp.achievement_model and not to __main__.
    from nlp.achievement_model import main as module_main
    sys.exit(module_main())

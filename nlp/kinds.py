"""Kind of an organisation name (firm, government, public, …) learned with scikit-learn.

Rules in orgs.py decide whenever a name carries decisive evidence (a legal form, a known
alias, a telling suffix). This model covers the rest — names the NER model or a list found
without such evidence — from the konec fine labels (OGG_ECONOMY → firm, OGG_POLITICS →
government …), the listed-company gazetteer and the lexicon, over character n-grams that
pick up suffixes and name shapes. Train with `python -m nlp.kinds`; the pipeline is saved
with joblib to data/models/org_kind.joblib, and what it was trained on (a digest of the
training pairs, cross-validated scores) to data/models/org_kind.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from functools import lru_cache
from pathlib import Path

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.metrics import classification_report
from sklearn.pipeline import Pipeline

from core.digest import rows_digest
from core.paths import DATA_DIR
from nlp.lexicon import known_orgs, suffix_rules

MODEL_PATH = DATA_DIR / "models" / "org_kind.joblib"
SEED = 13


def meta_path(model_path: Path) -> Path:
    """Where training writes what the model was trained on, beside the model."""
    return model_path.with_suffix(".json")


def _relabel(name: str, kind: str) -> str:
    """konec has no 'public' or 'association': a telling suffix refines its label."""
    for suffix, suffix_kind in suffix_rules().by_suffix.items():
        if name.endswith(suffix) and len(name) > len(suffix) and suffix_kind in ("public", "association", "university"):
            return suffix_kind
    return kind


def training_examples(data_dir: Path = DATA_DIR) -> list[tuple[str, str]]:
    """(name, kind) pairs from konec, the gazetteer and the lexicon, de-duplicated.

    The konec forms are the firm model's leak-controlled table (nlp/names.py: KLUE *train*
    counts, no names known only from the real-text gold), so the classifier knows nothing
    from the sentences it is measured on."""
    from nlp.names import konec_forms

    examples: dict[str, str] = {}
    for form, label in konec_forms().items():
        if label.kind != "none" and label.share >= 0.5 and len(form) >= 2:
            examples[form] = _relabel(form, label.kind)
    with (data_dir / "gazetteer" / "krx_companies.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("kind") == "company":
                examples.setdefault(row["name"].replace(" ", ""), "firm")
    for spelling, org in known_orgs().items():
        examples[spelling] = org.kind
    return sorted(examples.items())


def examples_digest(examples: list[tuple[str, str]]) -> str:
    """A digest of the training pairs. Training is deterministic, so the same pairs give the
    same model: when the lexicon, the suffix table or the konec forms move, the digest moves,
    and a test tells that the shipped model must be retrained (`python -m nlp.kinds`)."""
    return rows_digest(examples)


def build_pipeline() -> Pipeline:
    return Pipeline([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1)),
        ("model", LogisticRegression(max_iter=2000, C=8.0, class_weight="balanced")),
    ])


def train(out: Path = MODEL_PATH, folds: int = 5) -> dict:
    examples = training_examples()
    random.Random(SEED).shuffle(examples)
    names = [n for n, _ in examples]
    kinds = [k for _, k in examples]
    predicted = cross_val_predict(build_pipeline(), names, kinds,
                                  cv=StratifiedKFold(folds, shuffle=True, random_state=SEED))
    report = classification_report(kinds, predicted, output_dict=True, zero_division=0)
    pipeline = build_pipeline().fit(names, kinds)
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, out, compress=3)
    summary = {"examples": len(examples), "digest": examples_digest(examples), "folds": folds,
               "accuracy": round(report["accuracy"], 4),
               "per_kind": {k: {m: round(v, 4) for m, v in report[k].items()} for k in sorted(set(kinds))}}
    meta_path(out).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary


@lru_cache(maxsize=1)
def _model() -> Pipeline | None:
    return joblib.load(MODEL_PATH) if MODEL_PATH.exists() else None


def predict_kind(name: str) -> tuple[str, float] | None:
    """(kind, probability) for a bare organisation name; None when no model is shipped."""
    return predict_kinds([name])[0]


# Answers by name, for the model that gave them: news names the same bodies again and again, and
# one scikit-learn call costs milliseconds whatever it holds. Bounded; cleared whole when full.
_ANSWERS: dict[str, tuple[str, float]] = {}
_ANSWERS_MAX = 50_000
_ANSWERED_BY: list[int] = [0]


def predict_kinds(names: list[str]) -> list[tuple[str, float] | None]:
    """predict_kind for many names in one call (scikit-learn's per-call overhead dominates)."""
    model = _model()
    if model is None or not names:
        return [None] * len(names)
    if _ANSWERED_BY[0] != id(model):
        _ANSWERS.clear()
        _ANSWERED_BY[0] = id(model)
    bare = [name.replace(" ", "") for name in names]
    missing = list(dict.fromkeys(b for b in bare if b not in _ANSWERS))
    if missing:
        if len(_ANSWERS) + len(missing) > _ANSWERS_MAX:
            _ANSWERS.clear()
        probabilities = model.predict_proba(missing)
        best = probabilities.argmax(axis=1)
        _ANSWERS.update((name, (str(model.classes_[b]), float(row[b])))
                        for name, row, b in zip(missing, probabilities, best))
    return [_ANSWERS[b] for b in bare]


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the organisation-kind classifier.")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(train(args.out, args.folds), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Train the firm model, or cross-validate it over konec (k folds by sentence, fixed seed).

    python -m nlp.training.firms train --config configs/firms.toml
    python -m nlp.training.firms cv --config configs/firms.toml [--report PATH]

Training writes `data/models/firm/`: `model.joblib` (the Pipeline, thresholds and a record of
the data, config and library versions), `konec_forms.tsv` (the leak-controlled konec form
table the features read at run time; `prepare_forms` says why training reads a stricter one) and
`konec_places.tsv`. Cross-validation trains one model per fold on the silver sentences
plus the other folds, and scores firms on the fold's news sentences with the whole
organisation stage (rules + model), as the NLP stage runs it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import time
import tomllib
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Callable, Sequence

import joblib
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from core.paths import REPO_ROOT
from nlp.training.firm_data import (
    Examples, LabelledSentence, featurize, form_kinds, name_pools, place_forms, read_forms, read_konec, read_labelled,
    read_silver, substitute, to_labelling, write_form_table, write_place_table,
)


def load_config(path: str | Path) -> dict:
    with Path(path).open("rb") as handle:
        return tomllib.load(handle)


def _path(config: dict, key: str) -> Path:
    return REPO_ROOT / config["data"][key]


def held_out_texts(config: dict, sources: Sequence[str] | None = None) -> list[str]:
    """The real-text gold passages (`[data] held_out`), or those of the given `sources` only."""
    texts = []
    for name in config["data"].get("held_out", []):
        path = REPO_ROOT / name
        if path.exists():
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            texts += [row["text"] for row in rows if sources is None or row.get("source") in sources]
    return texts


def krx_names(config: dict, column: str = "name") -> list[str]:
    """Listed companies' names (`name`), or their short Latin names (`name_en_short`)."""
    with _path(config, "krx").open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle) if row.get("kind") == "company" and row.get(column)]


def prepare_forms(config: dict, out_dir: Path) -> dict:
    """Write the leak-controlled konec form and place tables, and load the form table training reads.

    Two form tables, because the gold passages stand in konec's counts in two ways:
    - the shipped table (`out_dir/konec_forms.tsv`, what the stage reads at run time) takes away
      the uses in the gold passages konec's counts include — those drawn from KLUE
      (`[data] held_out_in_konec`) — so no gold sentence lends its own label; a name konec's
      labellers saw in other sentences stays known (삼성, 도요타, KT …, which Wikinews and the saved
      pages also name);
    - training reads a stricter table (`out_dir/konec_forms.training.tsv`), with every gold
      passage's uses taken away, so the model never learns a name that a gold passage holds (the
      strict table in training too measured better than the shipped one there: bench/RESULTS.md,
      thirty-second round). `use_shipped_forms` switches to the shipped table once the training
      examples are built.
    """
    from nlp import names

    counts = read_forms(_path(config, "forms"))
    held = held_out_texts(config)
    in_konec = config["data"].get("held_out_in_konec")
    shipped = held if in_konec is None else held_out_texts(config, in_konec)
    write_form_table(form_kinds(counts, shipped, _labelling(config)), out_dir / "konec_forms.tsv")
    table = form_kinds(counts, held, _labelling(config))
    write_form_table(table, out_dir / TRAINING_FORMS)
    write_place_table(place_forms(counts, held, _proper_noun), out_dir / "konec_places.tsv")
    names.use_form_table(out_dir / TRAINING_FORMS)
    return table


TRAINING_FORMS = "konec_forms.training.tsv"


def use_shipped_forms(out_dir: Path) -> None:
    """Read the shipped form table from now on (after the training examples are built)."""
    from nlp import names

    names.use_form_table(out_dir / "konec_forms.tsv")
    (out_dir / TRAINING_FORMS).unlink(missing_ok=True)


def _proper_noun(form: str) -> bool:
    """Whether Kiwi's first morpheme of the form is a proper noun (NNP)."""
    from nlp.kiwi import get_kiwi

    tokens = get_kiwi().tokenize(form)
    return bool(tokens) and tokens[0].tag == "NNP"


def tokenizer() -> Callable[[Sequence[str]], list]:
    from nlp.kiwi import get_kiwi

    kiwi = get_kiwi(2)
    return lambda texts: list(kiwi.tokenize(list(texts)))


def with_substitutions(sentences: list[LabelledSentence], config: dict, forms: dict,
                       rng: random.Random) -> list[LabelledSentence]:
    pools = name_pools(forms, krx_names(config), krx_names(config, "name_en_short"))
    augment = config.get("augment", {})
    extra: list[LabelledSentence] = []
    for sentence in sentences:
        if sentence.silver:   # silver spans come from the forms: label them before renaming
            sentence = _silver_spans(sentence, forms)
        for _ in range(augment.get("copies", 1)):
            copy = substitute(sentence, pools, rng, augment.get("drop_forms", 0.8), augment.get("spaced_names", 0.0),
                              augment.get("placed_names", 0.0), augment.get("unseen_names", 0.0))
            if copy is not None:
                extra.append(copy)
    return sentences + extra


def _silver_spans(sentence: LabelledSentence, forms: dict) -> LabelledSentence:
    """Organisation spans of a silver sentence: exact konec forms with a clear label."""
    spans = []
    text = sentence.text
    for form, (kind, share, *_) in forms.items():
        if kind == "none" or share < 0.8 or len(form) < 2 or form not in text:
            continue
        start = text.find(form)
        while start != -1:
            end = start + len(form)
            before = text[start - 1] if start else " "
            if not before.isalnum() or before in "㈜)":
                spans.append((start, end, "firm" if kind == "firm" else "org"))
            start = text.find(form, end)
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return LabelledSentence(sentence.id, text, kept, True, sentence.group)


def build_examples(sentences: list[LabelledSentence], forms: dict) -> Examples:
    from nlp.names import known_name

    return featurize(sentences, forms, known_name, tokenizer())


def fit(examples: Examples, config: dict) -> Pipeline:
    model = config.get("model", {})
    weights = model.get("class_weight") or None    # "balanced", or a table {firm = 5, org = 2}
    pipeline = Pipeline([
        ("vectorize", DictVectorizer()),
        ("classify", LogisticRegression(C=model.get("C", 0.5), max_iter=model.get("max_iter", 3000),
                                        class_weight=dict(weights) if isinstance(weights, dict) else weights)),
    ])
    pipeline.fit(examples.features, examples.labels)
    return pipeline


def _bundle(pipeline: Pipeline, config: dict, meta: dict) -> dict:
    decision = config.get("decision", {})
    return {"pipeline": pipeline, "firm_threshold": decision.get("firm_threshold", 0.5),
            "org_threshold": decision.get("org_threshold", 0.5), "role_threshold": decision.get("role_threshold"),
            "meta": meta}


# How many konec sentences the model's fingerprint reads (see `fingerprint`).
FINGERPRINT_SENTENCES = 60


def fingerprint(model: object, texts: Sequence[str]) -> list[list]:
    """What the model makes of a few fixed sentences with the code as it is: every candidate with
    its firm and organisation probabilities. Training stores it with the model; a test recomputes
    it, so that a change to the candidates or features that the shipped weights were not trained on
    fails until the model is retrained from the config (a comment or a refactor leaves it equal)."""
    from nlp.firm_model import score_sentences
    from nlp.kiwi import get_kiwi

    kiwi = get_kiwi()
    out: list[list] = []
    for index, text in enumerate(texts):
        sentences = kiwi.split_into_sents(text, return_tokens=True)
        out += [[index, s.candidate.text, round(s.p_firm, 5), round(s.p_org, 5)]
                for s in score_sentences(text, sentences, model)]
    return out


def fingerprint_texts(config: dict) -> list[str]:
    return [s.text for s in read_konec(_path(config, "konec"))[:FINGERPRINT_SENTENCES]]


def train(config: dict) -> dict:
    out_dir = REPO_ROOT / config["output"]["dir"]
    started = time.time()
    forms = prepare_forms(config, out_dir)
    rng = random.Random(config.get("augment", {}).get("seed", 13))
    held = set(held_out_texts(config))
    sentences = read_konec(_path(config, "konec"), labelling=_labelling(config)) \
        + klue_raw_sentences(config, forms, held)
    sentences = with_substitutions(sentences, config, forms, rng)
    examples = build_examples(sentences, forms)
    use_shipped_forms(out_dir)
    pipeline = fit(examples, config)
    meta = {
        "trained": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "config": config,
        "examples": len(examples.labels),
        "labels": {label: examples.labels.count(label) for label in ("none", "firm", "org")},
        "sentences": len(sentences),
        "versions": {name: metadata.version(name) for name in ("scikit-learn", "kiwipiepy", "kiwipiepy_model")},
        "sha256": {key: hashlib.sha256(_path(config, key).read_bytes()).hexdigest()
                   for key in ("konec", "forms", "silver", "krx", "labelled") if config["data"].get(key)},
    }
    from nlp.firm_model import FirmModel, packed

    bundle = _bundle(pipeline, config, meta)
    meta["fingerprint"] = fingerprint(FirmModel.from_bundle(bundle), fingerprint_texts(config))
    joblib.dump(packed(bundle), out_dir / "model.joblib", compress=3)
    return {"examples": meta["examples"], "labels": meta["labels"], "seconds": round(time.time() - started, 1)}


def klue_raw_sentences(config: dict, forms: dict, held: set[str]) -> list[LabelledSentence]:
    """The klue-raw sentences, which train in every cross-validation fold: the hand-labelled ones
    when `[data] labelled` names them, then the silver ones (a hand-labelled sentence is not
    read again as silver)."""
    labelled = read_labelled(_path(config, "labelled"), held) if config["data"].get("labelled") else []
    return labelled + read_silver(_path(config, "silver"), forms, held | {s.text for s in labelled})


def _labelling(config: dict) -> bool:
    """Whether konec's firm labels are brought to newsmine's labelling conventions for training
    (nlp/training/firm_data.labelling_kind)."""
    return bool(config.get("data", {}).get("labelling", False))


def folds(sentences: list[LabelledSentence], k: int, seed: int) -> list[int]:
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    assignment = [0] * len(sentences)
    for rank, index in enumerate(order):
        assignment[index] = rank % k
    return assignment


def cross_validate(config: dict, evaluate: Callable[[object, list[LabelledSentence]], dict],
                   only: Sequence[int] | None = None) -> dict:
    """Per fold: train on silver + the other folds, `evaluate(model, fold news sentences)`."""
    from nlp.firm_model import FirmModel

    out_dir = Path(config.get("cv", {}).get("scratch", "/tmp/newsmine-firm-cv"))
    out_dir.mkdir(parents=True, exist_ok=True)
    forms = prepare_forms(config, out_dir)
    held = set(held_out_texts(config))
    as_konec = read_konec(_path(config, "konec"))
    as_labelled = [to_labelling(s) for s in as_konec]
    konec = as_labelled if _labelling(config) else as_konec     # what the folds train on
    silver = klue_raw_sentences(config, forms, held)
    k, seed = config["cv"]["folds"], config["cv"]["seed"]
    assignment = folds(konec, k, seed)
    rng = random.Random(config.get("augment", {}).get("seed", 13))
    silver_examples = build_examples(with_substitutions(silver, config, forms, rng), forms)
    konec_aug = with_substitutions(konec, config, forms, rng)
    konec_examples = build_examples(konec_aug, forms)
    use_shipped_forms(out_dir)
    results = []
    for fold in range(k):
        if only is not None and fold not in only:
            continue
        held_groups = {s.group for s, a in zip(konec, assignment) if a == fold}
        train = Examples()
        for source in (silver_examples, konec_examples):
            for f, y, g, n in zip(source.features, source.labels, source.groups, source.names):
                if g not in held_groups:
                    train.features.append(f)
                    train.labels.append(y)
                    train.groups.append(g)
                    train.names.append(n)
        pipeline = fit(train, config)
        model = FirmModel.from_bundle(_bundle(pipeline, config, {}))
        in_fold = [i for i, a in enumerate(assignment) if a == fold and konec[i].id.endswith("wikitree")]
        result = evaluate(model, [as_konec[i] for i in in_fold])        # konec's own labels: the bar
        labelled = evaluate(model, [as_labelled[i] for i in in_fold])   # newsmine's labelling conventions
        result["labelling"] = {k: labelled[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")}
        result["fold"] = fold
        results.append(result)
        print(json.dumps(result), file=sys.stderr)
    return {"folds": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("train", "cv"))
    parser.add_argument("--config", default="configs/firms.toml")
    parser.add_argument("--folds", help="comma-separated fold numbers (cv only)")
    args = parser.parse_args()
    config = load_config(REPO_ROOT / args.config if not Path(args.config).is_absolute() else args.config)
    if args.command == "train":
        print(json.dumps(train(config), ensure_ascii=False))
    else:
        from nlp.training.firm_eval import konec_firm_scores

        only = [int(f) for f in args.folds.split(",")] if args.folds else None
        print(json.dumps(cross_validate(config, konec_firm_scores, only), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

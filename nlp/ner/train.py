"""Train the CRF tagger from a TOML config, or cross-validate it (k folds, fixed seed).

    python -m nlp.ner.train --config configs/ner.toml [--cv] [--folds 0,1] [--report PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
import tomllib
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Sequence

import pycrfsuite

from core.paths import DATA_DIR, REPO_ROOT
from nlp.ner.data import Example, assign_folds, read_gold
from nlp.ner.gazetteer import Gazetteer, build_gazetteer
from nlp.ner.features import sequence_features
from nlp.ner.model import FeatureSettings, NerModel, make_units
from nlp.ner.scoring import LABELS, score
from nlp.ner.units import encode, split_at


def load_config(path: str | Path) -> dict:
    with Path(path).open("rb") as handle:
        return tomllib.load(handle)


def tokenize_all(texts: Sequence[str]) -> list[list]:
    from nlp.kiwi import get_kiwi

    return list(get_kiwi(2).tokenize(list(texts)))


def gazetteer_from(config: dict) -> Gazetteer:
    g = config.get("gazetteer", {})
    return build_gazetteer(DATA_DIR, konec_min_train_freq=g.get("konec_min_train_freq", 1),
                           use_krx=g.get("krx", True), use_lexicon=g.get("lexicon", True))


def train_crf(examples: Sequence[Example], tokens: Sequence[list], gazetteer: Gazetteer,
              config: dict, model_path: Path) -> None:
    """Fit one CRF on `examples` and write crfsuite's model file."""
    feats_cfg, crf = config.get("features", {}), config.get("crf", {})
    settings = FeatureSettings.from_dict(feats_cfg)
    trainer = pycrfsuite.Trainer(verbose=False)
    for example, toks in zip(examples, tokens, strict=True):
        units = make_units(example.text, toks, gazetteer, settings)
        if feats_cfg.get("split_gold_boundaries", True):
            units = split_at(units, example.text, {c for s, e, _ in example.entities for c in (s, e)})
        trainer.append(sequence_features(units, example.text, gazetteer, window=settings.window),
                       encode(units, example.entities, crf.get("scheme", "BIO")))
    trainer.set_params({"c1": crf.get("c1", 0.1), "c2": crf.get("c2", 0.05),
                        "max_iterations": crf.get("max_iterations", 150),
                        "feature.possible_transitions": crf.get("possible_transitions", True)})
    trainer.train(str(model_path))


def _summary(per_fold: list[dict]) -> dict:
    """mean and sd over folds of each label's and the micro F1 (plus pooled P/R/F1)."""
    out: dict = {}
    for key in (*LABELS, "micro"):
        values = [(f["micro"] if key == "micro" else f["labels"].get(key, {})).get("f1", 0.0) for f in per_fold]
        out[key] = {"mean": round(statistics.fmean(values), 4),
                    "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
                    "folds": values}
    return out


def cross_validate(config: dict, only_folds: Sequence[int] | None = None, log=sys.stderr) -> dict:  # type: ignore[no-untyped-def]
    examples = read_gold(REPO_ROOT / config["data"]["gold"])
    cv = config.get("cv", {})
    k, seed = cv.get("folds", 5), cv.get("seed", 13)
    folds = assign_folds(examples, k, seed)
    tokens = tokenize_all([e.text for e in examples])
    gazetteer = gazetteer_from(config)
    settings = FeatureSettings.from_dict(config.get("features", {}))
    per_fold: dict[str, list[dict]] = {"all": [], "news": []}
    pooled: dict[str, tuple[list, list]] = {"all": ([], []), "news": ([], [])}
    with tempfile.TemporaryDirectory() as tmp:
        for fold in (only_folds if only_folds is not None else range(k)):
            started = time.perf_counter()
            train_idx = [i for i in range(len(examples)) if folds[i] != fold]
            test_idx = [i for i in range(len(examples)) if folds[i] == fold]
            path = Path(tmp) / f"fold{fold}.crfsuite"
            train_crf([examples[i] for i in train_idx], [tokens[i] for i in train_idx], gazetteer, config, path)
            model = NerModel(pycrfsuite.Tagger(), gazetteer, settings)
            model.tagger.open(str(path))
            for subset in ("all", "news"):
                idx = [i for i in test_idx if subset == "all" or examples[i].is_news]
                gold = [examples[i].entities for i in idx]
                pred = [model.predict_tokens(examples[i].text, tokens[i]) for i in idx]
                per_fold[subset].append(score(gold, pred))
                pooled[subset][0].extend(gold)
                pooled[subset][1].extend(pred)
            f = per_fold["all"][-1]
            print(f"fold {fold}: OG {f['labels']['OG']['f1']:.4f} micro {f['micro']['f1']:.4f} "
                  f"({time.perf_counter() - started:.0f} s)", file=log, flush=True)
    return {
        "folds": k, "seed": seed, "evaluated_folds": list(only_folds) if only_folds is not None else list(range(k)),
        "all": {"per_fold_f1": _summary(per_fold["all"]), "pooled": score(*pooled["all"])},
        "news": {"per_fold_f1": _summary(per_fold["news"]), "pooled": score(*pooled["news"])},
    }


def train_final(config: dict, config_path: str, log=sys.stderr) -> Path:  # type: ignore[no-untyped-def]
    """Train on every gold sentence and write the model directory."""
    gold_path = REPO_ROOT / config["data"]["gold"]
    examples = read_gold(gold_path)
    tokens = tokenize_all([e.text for e in examples])
    gazetteer = gazetteer_from(config)
    out = REPO_ROOT / config["output"]["model_dir"]
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    train_crf(examples, tokens, gazetteer, config, out / "model.crfsuite")
    gazetteer.save(out / "gazetteer.tsv")
    meta = {
        "kind": "crfsuite BIO tagger over Kiwi tokens",
        "labels": list(LABELS),
        "features": asdict(FeatureSettings.from_dict(config.get("features", {}))),
        "config": config,
        "config_path": config_path,
        "trained_on": {"file": config["data"]["gold"], "sentences": len(examples),
                       "sha256": hashlib.sha256(gold_path.read_bytes()).hexdigest()},
        "versions": {name: metadata.version(name) for name in ("kiwipiepy", "kiwipiepy_model", "python-crfsuite")},
        "gazetteer_entries": len(gazetteer),
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "training_seconds": round(time.perf_counter() - started, 1),
        "licence": "CC BY-SA 4.0 (derived from KLUE-NER and konec); see data/models/README.md",
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out} ({meta['training_seconds']} s)", file=log)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(REPO_ROOT / "configs" / "ner.toml"))
    parser.add_argument("--cv", action="store_true", help="cross-validate instead of training the final model")
    parser.add_argument("--folds", default=None, help="with --cv: only these folds, e.g. 0,1")
    parser.add_argument("--report", default=None, help="with --cv: also write the JSON report here")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override a config value (TOML literal), for experiments")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    for item in args.set:
        key, _, value = item.partition("=")
        section, _, name = key.partition(".")
        config.setdefault(section, {})[name] = tomllib.loads(f"v = {value}")["v"]
    if args.cv:
        folds = [int(f) for f in args.folds.split(",")] if args.folds else None
        report = cross_validate(config, folds)
        text = json.dumps(report, ensure_ascii=False, indent=1)
        if args.report:
            Path(args.report).write_text(text + "\n", encoding="utf-8")
        s = report["all"]["per_fold_f1"]
        n = report["news"]["per_fold_f1"]
        print(f"OG {s['OG']['mean']:.4f} ± {s['OG']['sd']:.4f}  micro {s['micro']['mean']:.4f} ± {s['micro']['sd']:.4f}  "
              f"news OG {n['OG']['mean']:.4f}  news micro {n['micro']['mean']:.4f}")
        print("  " + " ".join(f"{lab} {s[lab]['mean']:.4f}" for lab in LABELS))
    else:
        train_final(config, args.config)


if __name__ == "__main__":
    main()

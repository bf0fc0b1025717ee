"""Approach B, for comparison only: spaCy's CNN NER (tok2vec + transition-based ner) trained
from a blank pipeline on the Kiwi tokenizer, on one CV fold, within a time budget.

    python -m nlp.ner.cnn --config configs/ner.toml [--fold 0] [--minutes 10] [--report PATH]

The fold split is the CRF's (same seed), so the numbers compare one to one. 10% of the
training fold is held out to pick the best epoch; the test fold is only scored at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import warnings
from pathlib import Path
from typing import Sequence

import spacy
from spacy.language import Language
from spacy.training import Example as SpacyExample
from spacy.util import compounding, fix_random_seed, minibatch

import nlp.tokenizer  # noqa: F401  (registers newsmine.kiwi_tokenizer)
from core.paths import REPO_ROOT
from nlp.ner.data import Example, assign_folds, read_gold
from nlp.ner.scoring import score
from nlp.ner.train import load_config


def blank_pipeline() -> Language:
    pipeline = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "newsmine.kiwi_tokenizer"}}})
    pipeline.add_pipe("ner")  # the default model embeds its own HashEmbedCNN tok2vec
    return pipeline


def to_examples(pipeline: Language, examples: Sequence[Example]) -> list[SpacyExample]:
    out = []
    for example in examples:
        doc = pipeline.make_doc(example.text)
        # Kiwi Token objects cannot be deep-copied (spaCy copies Docs in update()); not needed here
        doc._.kiwi_tokens = doc._.kiwi_sentences = None
        out.append(SpacyExample.from_dict(doc, {"entities": [list(e) for e in example.entities]}))
    return out


def predict(pipeline: Language, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in pipeline.pipe(texts)]


def train_cnn(train: Sequence[Example], minutes: float, seed: int, dropout: float,
              log=sys.stderr) -> tuple[Language, dict]:  # type: ignore[no-untyped-def]
    warnings.filterwarnings("ignore", message=r"\[W030\]")  # entities off token boundaries: ignored, as counted in FIELD-NOTES
    fix_random_seed(seed)
    rng = random.Random(seed)
    items = list(train)
    rng.shuffle(items)
    n_dev = max(1, len(items) // 10)
    dev, train_items = items[:n_dev], items[n_dev:]
    pipeline = blank_pipeline()
    train_examples = to_examples(pipeline, train_items)
    optimizer = pipeline.initialize(lambda: train_examples)
    deadline = time.perf_counter() + minutes * 60
    best: tuple[float, bytes | None, int] = (-1.0, None, 0)
    epoch = 0
    while time.perf_counter() < deadline:
        epoch += 1
        rng.shuffle(train_examples)
        losses: dict = {}
        for batch in minibatch(train_examples, size=compounding(4.0, 32.0, 1.001)):
            pipeline.update(batch, drop=dropout, sgd=optimizer, losses=losses)
            if time.perf_counter() >= deadline:
                break
        dev_f1 = score([e.entities for e in dev], predict(pipeline, [e.text for e in dev]))["micro"]["f1"]
        print(f"epoch {epoch}: loss {losses.get('ner', 0):.0f} held-out micro F1 {dev_f1:.4f}", file=log, flush=True)
        if dev_f1 > best[0]:
            best = (dev_f1, pipeline.to_bytes(), epoch)
    if best[1] is not None:
        pipeline.from_bytes(best[1])
    return pipeline, {"epochs": epoch, "best_epoch": best[2], "held_out_micro_f1": best[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(REPO_ROOT / "configs" / "ner.toml"))
    parser.add_argument("--fold", type=int, default=None)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--report", default=None)
    args = parser.parse_args(argv)
    config = load_config(args.config)
    cnn = config.get("cnn", {})
    fold = args.fold if args.fold is not None else cnn.get("fold", 0)
    minutes = args.minutes if args.minutes is not None else cnn.get("minutes", 10)
    examples = read_gold(REPO_ROOT / config["data"]["gold"])
    folds = assign_folds(examples, config["cv"]["folds"], config["cv"]["seed"])
    train = [e for e, f in zip(examples, folds) if f != fold]
    test = [e for e, f in zip(examples, folds) if f == fold]
    started = time.perf_counter()
    pipeline, info = train_cnn(train, minutes, cnn.get("seed", 13), cnn.get("dropout", 0.2))
    trained = time.perf_counter() - started
    result = {"fold": fold, "minutes": minutes, "training_seconds": round(trained, 1), **info}
    news = [e for e in test if e.is_news]
    for name, subset in (("all", test), ("news", news)):
        result[name] = score([e.entities for e in subset], predict(pipeline, [e.text for e in subset]))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.report:
        Path(args.report).write_text(text + "\n", encoding="utf-8")
    print(f"fold {fold}: OG {result['all']['labels']['OG']['f1']:.4f} micro {result['all']['micro']['f1']:.4f} "
          f"news OG {result['news']['labels']['OG']['f1']:.4f} news micro {result['news']['micro']['f1']:.4f} "
          f"({info['epochs']} epochs, best {info['best_epoch']})")


if __name__ == "__main__":
    main()

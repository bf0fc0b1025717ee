"""Train the Korean dependency parser from a spaCy config, or evaluate a trained one.

    python -m nlp.depparse.train --config configs/depparse.cfg [--output DIR]
    python -m nlp.depparse.train --config configs/depparse.cfg --evaluate [--model DIR] [--report PATH]

Training runs spaCy's own loop (seeded; bounded by `[training] max_steps`), keeps the
checkpoint best on the `tune` split, writes it to `[paths] output` (data/models/depparse/)
and then scores it on the `heldout` split, which training never reads.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import spacy
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as spacy_train
from spacy.util import load_config
from thinc.api import Config

from core.errors import UsageError
from nlp.depparse.data import SplitCorpus, load_corpus, resolve
from nlp.depparse.evaluate import evaluate, markdown


def config_file(path: str | Path) -> Path:
    """A relative config path works from the working directory or from the repository root."""
    return Path(path) if Path(path).is_file() else resolve(path)


def read_config(path: str | Path) -> Config:
    """The config as written (not interpolated), or a one-line UsageError."""
    file = config_file(path)
    if not file.is_file():
        raise UsageError(f"no such config: {path}")
    try:
        return load_config(file, interpolate=False)
    except Exception as error:  # spaCy/thinc raise several kinds for a bad file
        raise UsageError(f"{path}: not a valid spaCy config ({str(error).splitlines()[0]})") from None


def corpus_from(config: Config) -> SplitCorpus:
    """The treebank split exactly as the config's [corpora.heldout] reader splits it."""
    held = config.interpolate()["corpora"]["heldout"]
    return load_corpus(tuple(held["paths"]), held["heldout_fraction"], held["tune_fraction"],
                       tuple(held.get("exclude_from") or ()))


def train(config_path: str | Path, output: Path | None = None, log=sys.stderr) -> Path:  # type: ignore[no-untyped-def]
    """Train, save the best checkpoint to `output`, score it on held-out; returns the model dir."""
    config = read_config(config_path)
    target = resolve(output or config["paths"]["output"])
    started = time.perf_counter()
    nlp = init_nlp(config, use_gpu=-1)
    with tempfile.TemporaryDirectory() as tmp:
        _, best = spacy_train(nlp, Path(tmp), use_gpu=-1, stdout=log, stderr=log)
        if best is None:
            raise UsageError("training produced no checkpoint (check [training] max_steps and eval_frequency)")
        model = spacy.load(best)
    seconds = time.perf_counter() - started
    corpus = corpus_from(config)
    model.meta.update(_meta(config_path, config, corpus))
    model.to_disk(target)
    print(f"trained in {seconds / 60:.1f} min; model in {target} ({_size(target) / 1e6:.1f} MB)", file=log)
    result = evaluate(spacy.load(target), corpus, str(target))
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["newsmine"]["heldout"] = {k: v for k, v in result.items() if k != "speed"}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return target


def _meta(config_path: str | Path, config: Config, corpus: SplitCorpus) -> dict:
    """What the model directory says about itself: source, licence, split, inputs, versions."""
    paths = config.interpolate()["paths"]["treebank"]
    counts: dict[str, int] = {}
    for name in corpus.split.values():
        counts[name] = counts.get(name, 0) + 1
    return {
        "name": "ko_kaist_depparse", "version": "1.0.0",
        "description": "Korean dependency parser over eojeols (tok2vec + parser) with Kiwi morpheme features; "
                       "made by `python -m nlp.depparse.train --config configs/depparse.cfg`",
        "license": "CC BY-SA 4.0",
        "sources": [{"name": "UD Korean-Kaist (dev and test files)",
                     "url": "https://github.com/UniversalDependencies/UD_Korean-Kaist",
                     "license": "CC BY-SA 4.0", "commit": "ef244243b578e7cd0fb4fe45cd80b63de2a60e00"}],
        "newsmine": {
            "config": str(config_path), "config_sha256": _sha256(config_file(config_path)),
            "treebank_sha256": {p: _sha256(resolve(p)) for p in paths},
            "split_sentences": dict(sorted(counts.items())),
            "versions": {p: metadata.version(p) for p in ("spacy", "thinc", "kiwipiepy", "kiwipiepy_model")},
        },
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="spaCy training config (configs/depparse.cfg)")
    parser.add_argument("--output", type=Path, help="model directory (default: [paths] output of the config)")
    parser.add_argument("--evaluate", action="store_true", help="score a trained model on the held-out split")
    parser.add_argument("--model", type=Path, help="model to evaluate (default: [paths] output of the config)")
    parser.add_argument("--report", type=Path, help="with --evaluate: also write the scores as JSON here")
    args = parser.parse_args(argv)
    try:
        if args.evaluate:
            config = read_config(args.config)
            model_dir = resolve(args.model or config["paths"]["output"])
            from nlp.depparse.model import load_parser

            result = evaluate(load_parser(model_dir), corpus_from(config), str(model_dir))
            print(markdown(result))
            if args.report:
                args.report.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            train(args.config, args.output)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return UsageError.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())

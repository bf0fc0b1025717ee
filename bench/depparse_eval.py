"""Dependency parser benchmark: held-out UAS/LAS, per-relation scores, speed, size, load time.

Run:  .venv/bin/python bench/depparse_eval.py [--config configs/depparse.cfg] [--model DIR] [--write]

Scores the trained parser (data/models/depparse/) on the held-out documents of UD
Korean-Kaist that training never reads (split fixed by the config; see nlp/depparse/data.py),
on the treebank's tokens and through the run-time path from raw text. Prints a Markdown
section; --write replaces the section "## Dependency parser (UD Korean-Kaist held-out)" of
bench/RESULTS.md, leaving other sections alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from bench.results import write_section  # noqa: E402
from core.errors import UsageError  # noqa: E402
from nlp.depparse.data import resolve  # noqa: E402
from nlp.depparse.evaluate import evaluate, markdown  # noqa: E402
from nlp.depparse.model import load_parser  # noqa: E402
from nlp.depparse.train import corpus_from, read_config  # noqa: E402

HEADING = "## Dependency parser (UD Korean-Kaist held-out)"


def section(config_path: str, model_dir: Path) -> str:
    config = read_config(config_path)
    size = sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file())
    started = time.perf_counter()
    spacy.load(model_dir)
    load_seconds = time.perf_counter() - started
    result = evaluate(load_parser(model_dir), corpus_from(config), str(model_dir))
    return "\n".join([
        HEADING, "",
        f"`{model_dir.relative_to(ROOT) if model_dir.is_relative_to(ROOT) else model_dir}` "
        f"({size / 1e6:.1f} MB, loads in {load_seconds:.1f} s), made by "
        f"`python -m nlp.depparse.train --config {config_path}`. UAS/LAS without punctuation; per relation, "
        "UAS/LAS are over the gold arcs of that relation and P over the predicted ones. \"runtime\" parses the "
        "raw sentence text as `nlp.depparse.model.parse_eojeols` does and matches units by character span.",
        "", markdown(result),
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/depparse.cfg")
    parser.add_argument("--model", type=Path, help="model directory (default: [paths] output of the config)")
    parser.add_argument("--write", action="store_true", help=f"replace the section {HEADING!r} of bench/RESULTS.md")
    args = parser.parse_args()
    try:
        model_dir = resolve(args.model or read_config(args.config)["paths"]["output"])
        text = section(args.config, model_dir)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return UsageError.exit_code
    print(text)
    if args.write:
        write_section(HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How far the firm model's real-text figures move with nothing changed but the random draw.

Run:  .venv/bin/python bench/firm_seeds.py [--config configs/firms.toml] [--seeds 13,14,15] [--write]

The firm model trains on substituted copies of its sentences (names drawn at random, legal forms
dropped at random: nlp/training/firm_data.substitute), so the same config with another
`[augment] seed` is another model. This trains one model per seed into a temporary directory and
scores the whole stage with each on the real-text dev split and on dev with its firms renamed
(bench/realtext/rename.py). A change to the stage or its data is worth keeping when its figures
beat this spread over the same seeds, not when one draw moves by less than the spread.

`--write` puts the table into bench/RESULTS.md under "Firm model: spread over training draws";
a config other than the shipped one is named in the table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402

HEADING = "## Firm model: spread over training draws"
NOTES = "<!-- notes -->"


def train_and_score(config_path: Path, seed: int, renamed: Path) -> dict:
    """Whole-stage firm F1 and (firm, type) F1 on dev and renamed dev, for the model of one seed."""
    from nlp import firm_model, pipeline
    from nlp.evaluate_extract import evaluate_extract
    from nlp.training.firms import load_config, train

    config = load_config(config_path)
    with tempfile.TemporaryDirectory(prefix="newsmine-firm-seed-") as out:
        config["augment"]["seed"] = seed
        config["output"]["dir"] = out     # absolute: REPO_ROOT / out is out
        trained = train(config)
        os.environ["NEWSMINE_FIRM_MODEL_PATH"] = str(Path(out) / "model.joblib")
        firm_model.load_model.cache_clear()
        pipeline.get_nlp.cache_clear()
        try:
            scores = {}
            for name, gold in (("dev", ROOT / "tests" / "data" / "realtext" / "dev.jsonl"), ("renamed", renamed)):
                result = evaluate_extract(gold)
                scores[name] = (result["firms"]["f1"], result["achievements"]["f1"])
        finally:
            os.environ.pop("NEWSMINE_FIRM_MODEL_PATH", None)
            firm_model.load_model.cache_clear()
            pipeline.get_nlp.cache_clear()
    return {"seed": seed, "examples": trained["examples"], **scores}


def table(config: str, results: list[dict], seconds: float) -> str:
    lines = [HEADING, "",
             f"Command: `.venv/bin/python bench/firm_seeds.py --config {config} --seeds "
             f"{','.join(str(r['seed']) for r in results)} --write` ({date.today().isoformat()}; {seconds:.0f} s). "
             "One model per `[augment] seed`, nothing else changed; whole-stage figures on the real-text dev split "
             "and on dev with its firms renamed (bench/realtext/rename.py).", "",
             "| seed | training examples | dev firm F1 | dev (firm, type) F1 | renamed dev firm F1 | renamed (firm, type) F1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        lines.append(f"| {r['seed']} | {r['examples']:,} | {r['dev'][0]:.3f} | {r['dev'][1]:.3f} | "
                     f"{r['renamed'][0]:.3f} | {r['renamed'][1]:.3f} |")
    cells = []
    for key, i in (("dev", 0), ("dev", 1), ("renamed", 0), ("renamed", 1)):
        values = [r[key][i] for r in results]
        cells.append(f"{statistics.mean(values):.3f} ({min(values):.3f}–{max(values):.3f})")
    lines.append(f"| mean (range) | | {' | '.join(cells)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/firms.toml")
    parser.add_argument("--seeds", default="13,14,15", help="comma-separated [augment] seeds")
    parser.add_argument("--write", action="store_true", help="write the section of bench/RESULTS.md")
    args = parser.parse_args()
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--seeds must be integers separated by commas, not {args.seeds!r}")
    config_path = Path(args.config) if Path(args.config).is_absolute() else ROOT / args.config
    if not config_path.is_file():
        parser.error(f"no such config: {args.config}")
    from bench.realtext_eval import renamed_dev

    started = time.perf_counter()
    renamed, _ = renamed_dev()
    try:
        results = []
        for seed in seeds:
            results.append(train_and_score(config_path, seed, renamed))
            r = results[-1]
            print(f"seed {seed}: dev {r['dev'][0]:.3f} / {r['dev'][1]:.3f}, "
                  f"renamed {r['renamed'][0]:.3f} / {r['renamed'][1]:.3f}", file=sys.stderr)
    finally:
        renamed.unlink(missing_ok=True)
    section = table(args.config, results, time.perf_counter() - started)
    print(section)
    if args.write:
        write_section(HEADING, section, keep_from=NOTES, after="## Firms and achievements on real text")


if __name__ == "__main__":
    main()

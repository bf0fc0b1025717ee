"""Firm and achievement quality of the NLP stage on newsmine's own gold sets.

Run:  .venv/bin/python bench/extract_nlp_eval.py [--write] [--errors]

Evaluates nlp.pipeline.analyze_text with nlp.evaluate_extract on tests/data/extract/:
dev.jsonl (rules may be tuned on it), test.jsonl (held out), and sentences.jsonl in its
train and test splits. Prints a markdown table; --write puts it into bench/RESULTS.md
under its own heading (hand-written notes below the `<!-- notes -->` line of that section
are kept); --errors also lists every mismatch on dev, grouped by kind.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from nlp.evaluate_extract import TYPES, evaluate_extract  # noqa: E402

GOLD = ROOT / "tests" / "data" / "extract"
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Firms and achievements (own gold sets)"
NOTES = "<!-- notes -->"
SETS = (("dev", "dev.jsonl", None), ("test (held out)", "test.jsonl", None),
        ("sentences train", "sentences.jsonl", "train"), ("sentences test", "sentences.jsonl", "test"))


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def run() -> tuple[list[tuple[str, dict]], float]:
    started = time.perf_counter()
    results = [(label, evaluate_extract(GOLD / name, split=split, max_errors=-1)) for label, name, split in SETS]
    return results, time.perf_counter() - started


def table(results: list[tuple[str, dict]]) -> str:
    lines = ["| set | rows | firm P | firm R | firm F1 | non-firms called firm | (firm, type) P | R | F1 "
             "| amounts exact |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, r in results:
        f, a, m = r["firms"], r["achievements"], r["amounts"]
        non_firm = "n/a" if r["non_firm_as_firm"] is None else f"{r['non_firm_as_firm']} / {r['non_firms']['total']}"
        lines.append(f"| {label} | {r['rows']} | {_f(f['precision'])} | {_f(f['recall'])} | {_f(f['f1'])} "
                     f"| {non_firm} | {_f(a['precision'])} | {_f(a['recall'])} | {_f(a['f1'])} "
                     f"| {m['exact']}/{m['total']} ({_f(m['accuracy'])}) |")
    lines += ["", "(firm, type) F1 by type (tp/fp/fn):", "",
              "| type | " + " | ".join(label for label, _ in results) + " |",
              "| --- |" + " ---: |" * len(results)]
    for kind in TYPES:
        cells = []
        for _, r in results:
            s = r["achievements"]["by_type"].get(kind)
            cells.append("–" if s is None else f"{_f(s['f1'])} ({s['tp']}/{s['fp']}/{s['fn']})")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def error_kinds(result: dict) -> str:
    counts = Counter(e["error"] for e in result["errors"])
    return ", ".join(f"{kind} {n}" for kind, n in counts.most_common())


def section(results: list[tuple[str, dict]], seconds: float) -> str:
    dev = results[0][1]
    return "\n".join([
        HEADING, "",
        f"Command: `.venv/bin/python bench/extract_nlp_eval.py --write` ({date.today().isoformat()}; "
        f"{seconds:.0f} s for all four sets on this 2-core machine, model loading included). "
        "Same numbers: `newsmine eval extract --gold tests/data/extract/dev.jsonl` "
        "(`--split train|test` for sentences.jsonl).",
        "Gold: tests/data/extract/ (original paragraphs and sentences written for newsmine; see its README). "
        "Rules are tuned on dev and sentences-train only; test and sentences-test are held out. "
        "Bars (DESIGN.md): firm F1 ≥ 0.95 with no non-firm called a firm; (firm, type) F1 ≥ 0.85; "
        "amounts exact ≥ 0.95.", "",
        table(results), "",
        f"Mismatches on dev by kind: {error_kinds(dev)}.", "",
    ])


def write_results(generated: str) -> None:
    write_section(HEADING, generated, keep_from=NOTES)


def publish(generated: str, write: bool, writer: Callable[[str], None] = write_results) -> None:
    """Print a generated section and, with --write, put it into bench/RESULTS.md."""
    print(generated)
    if write:
        writer(generated)
        print(f"written to {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--errors", action="store_true", help="list every mismatch on dev")
    args = parser.parse_args(argv)
    results, seconds = run()
    publish(section(results, seconds), args.write)
    if args.errors:
        for error in sorted(results[0][1]["errors"], key=lambda e: (e["error"], str(e["id"]))):
            print(error)
    return 0


if __name__ == "__main__":
    sys.exit(main())

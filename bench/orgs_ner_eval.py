"""Organisation recognition with the NER model wired in against the rules alone.

Run:  .venv/bin/python bench/orgs_ner_eval.py [--test] [--errors]

Scores nlp.pipeline.analyze_text on tests/data/extract/dev.jsonl twice — `use_ner=False`
(rules only, as `NEWSMINE_NER=0`) and `use_ner=True` (rules + NER, the default) — and prints firm P/R/F1, non-firms called
firm, and how many labelled non-firm organisations were found and with the right kind.
`--test` also scores the held-out test.jsonl: run it once, at the end, and do not tune on it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.evaluate_extract import evaluate_extract  # noqa: E402

GOLD = ROOT / "tests" / "data" / "extract"


def score(name: str, use_ner: bool) -> dict:
    """One gold file scored with the NER switch set."""
    from functools import partial

    from nlp.pipeline import analyze_text

    return evaluate_extract(GOLD / name, analyze=partial(analyze_text, use_ner=use_ner), max_errors=-1)


def row(label: str, result: dict) -> str:
    f, n, a = result["firms"], result["non_firms"], result["achievements"]
    return (f"| {label} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | {f['tp']}/{f['fp']}/{f['fn']} "
            f"| {result['non_firm_as_firm']} / {n['total']} | {n['found']} / {n['total']} | {n['right_kind']} "
            f"| {a['f1']:.3f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", action="store_true", help="also score the held-out test set (once, at the end)")
    parser.add_argument("--errors", action="store_true", help="firm and non-firm mismatches on dev")
    args = parser.parse_args(argv)
    sets = [("dev", "dev.jsonl")] + ([("test (held out)", "test.jsonl")] if args.test else [])
    print("| set, NER | firm P | firm R | firm F1 | tp/fp/fn | non-firms called firm | non-firms found "
          "| … right kind | (firm, type) F1 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    dev_errors = {}
    for label, name in sets:
        for use_ner in (False, True):
            result = score(name, use_ner)
            print(row(f"{label}, {'on' if use_ner else 'off'}", result))
            if name == "dev.jsonl":
                dev_errors[use_ner] = result["errors"]
    if args.errors:
        for use_ner, errors in dev_errors.items():
            print(f"\ndev mismatches, NER {'on' if use_ner else 'off'}:")
            for error in errors:
                if error["error"].startswith(("firm", "non_firm")):
                    print(" ", error)
    return 0


if __name__ == "__main__":
    sys.exit(main())

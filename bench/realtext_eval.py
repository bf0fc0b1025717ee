"""Firms and achievements on text other people wrote: the headline figures, and what each part adds.

Run:  .venv/bin/python bench/realtext_eval.py [--test] [--konec] [--write]

* the real-text gold set (tests/data/realtext/): `dev` always; `--test` also scores the held-out
  split — once per round of work, after it, never to tune;
* the ablation on dev: rules alone, rules + the CRF NER (the stage before the model), the firm
  model without list expansion or cues, the whole stage, and attribution with and without the
  syntax layer;
* a diagnostic (not evidence: written here): the own paragraph sets with every ㈜/(주)/주식회사
  removed, so that only context can find the firms — the shape of regional news where half the
  firms carry no marker;
* a diagnostic on real sentences: the dev split with its firms renamed to made-up names that no
  list of newsmine's holds (bench/realtext/rename.py), so that only context can find them — the
  local firms of regional news, which no gazetteer knows;
* `--konec`: konec's firm labels on the 2,534 KLUE news sentences, 5-fold (the model retrained
  per fold, never scored on its training rows; about 10 minutes).

`--write` puts the tables into bench/RESULTS.md under "Firms and achievements on real text".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from nlp.evaluate_extract import evaluate_extract, load_gold, score_rows  # noqa: E402

GOLD = ROOT / "tests" / "data" / "realtext"
OWN = ROOT / "tests" / "data" / "extract"
HEADING = "## Firms and achievements on real text"
NOTES = "<!-- notes -->"
MARKERS = re.compile(r"㈜\s?|\((?:주|유)\)\s?|주식회사\s?")


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@contextmanager
def variant(name: str) -> Iterator[None]:
    """The NLP stage as one row of the ablation."""
    import nlp.firm_model as fm
    from nlp import pipeline

    original = fm.load_model
    shipped = original()
    settings = {
        "rules": dict(use_model=False, use_ner=False),
        "rules + NER (before)": dict(use_model=False, use_ner=True),
        "model, no lists, no cues": dict(use_model=True, parts=dict(lists=False, cues=False)),
        "model + cues, no lists": dict(use_model=True, parts=dict(lists=False)),
        "model + lists, no cues": dict(use_model=True, parts=dict(cues=False)),
        "rules + lists + cues, no model additions": dict(use_model=True, parts=dict(adds=False)),
        "whole stage": dict(use_model=True),
        "whole stage, no syntax layer": dict(use_model=True, syntax=False),
    }[name]
    parts = settings.pop("parts", None)
    syntax = settings.pop("syntax", True)
    if parts and shipped is not None:
        changed = replace(shipped, **parts)
        fm.load_model = lambda path=None: changed   # type: ignore[assignment]
    old_env = os.environ.get("NEWSMINE_SYNTAX")
    os.environ["NEWSMINE_SYNTAX"] = "1" if syntax else "0"
    pipeline.get_nlp.cache_clear()
    try:
        yield settings     # type: ignore[misc]
    finally:
        fm.load_model = original   # type: ignore[assignment]
        if old_env is None:
            os.environ.pop("NEWSMINE_SYNTAX", None)
        else:
            os.environ["NEWSMINE_SYNTAX"] = old_env
        pipeline.get_nlp.cache_clear()


def evaluate(path: Path, name: str) -> dict:
    from nlp.pipeline import analyze_text

    with variant(name) as settings:
        return evaluate_extract(path, analyze=lambda t, p: analyze_text(t, p, **settings), max_errors=-1)


def unmarked_own_sets() -> Path:
    """The own paragraph sets with legal-form markers removed (a diagnostic written here)."""
    rows = load_gold(OWN / "dev.jsonl") + load_gold(OWN / "test.jsonl")
    return _temporary_gold([{**row, "text": MARKERS.sub("", row["text"])} for row in rows])


def renamed_dev() -> tuple[Path, int]:
    """The dev split with its firms renamed to names no list of newsmine's holds (a diagnostic:
    bench/realtext/rename.py), and how many firms were renamed."""
    from bench.realtext.rename import newsmine_knows, rename_row

    taken = newsmine_knows()
    rows = [rename_row(r, taken) for r in load_gold(GOLD / "dev.jsonl")]
    return _temporary_gold(rows), sum(len(r.get("renamed", {})) for r in rows)


def _temporary_gold(rows: list[dict]) -> Path:
    """Rows of a diagnostic gold set in a temporary JSONL file (the caller deletes it)."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
    with handle:
        for item in rows:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return Path(handle.name)


def row(label: str, r: dict) -> str:
    f, a, m = r["firms"], r["achievements"], r["amounts"]
    return (f"| {label} | {_f(f['precision'])} | {_f(f['recall'])} | {_f(f['f1'])} | {r['non_firm_as_firm']} "
            f"| {_f(a['precision'])} | {_f(a['recall'])} | {_f(a['f1'])} | {m['exact']}/{m['total']} |")


HEADER = ["| stage | firm P | firm R | firm F1 | non-firms called firm | (firm, type) P | R | F1 | amounts exact |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]


def by_source(path: Path) -> list[str]:
    """The whole stage's dev rows per source (regional pages, KLUE news, Wikinews …): the
    private sets are regional news and press releases, so which kind of text a miss comes from
    matters as much as the total."""
    from collections import defaultdict

    from nlp.pipeline import analyze_text

    rows = load_gold(path)
    groups: dict[str, list[dict]] = defaultdict(list)
    for item in rows:
        groups[item.get("source", "?")].append(item)
    out = []
    with variant("whole stage") as settings:
        for source, items in sorted(groups.items()):
            result = score_rows(items, [analyze_text(r["text"], r.get("published_at"), **settings) for r in items])
            if result["firms"]["tp"] + result["firms"]["fp"] + result["firms"]["fn"] == 0 \
                    and not result["achievements"]["tp"] + result["achievements"]["fn"]:
                continue    # no firm and no achievement on either side: nothing to score
            out.append(row(f"{source} ({len(items)} passages, "
                           f"{result['firms']['tp'] + result['firms']['fn']} firms)", result))
    return out


def konec_cv() -> dict:
    from nlp.training.firm_eval import konec_firm_scores
    from nlp.training.firms import cross_validate, load_config

    config = load_config(ROOT / "configs" / "firms.toml")
    result = cross_validate(config, konec_firm_scores)
    from nlp.evaluate_extract import prf

    out = {}
    for key, folds in (("konec", result["folds"]), ("labelling", [f["labelling"] for f in result["folds"]])):
        totals = {k: sum(f[k] for f in folds) for k in ("tp", "fp", "fn")}
        out[key] = {**prf(totals["tp"], totals["fp"], totals["fn"]), "folds": [f["f1"] for f in folds]}
    from nlp.training.firm_data import read_konec

    path = ROOT / config["data"]["konec"]
    firm_classes = lambda rows: [c for r in rows for _, _, c in r.spans if c == "firm"]  # noqa: E731
    out["spans"] = (len(firm_classes(read_konec(path))), len(firm_classes(read_konec(path, labelling=True))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", action="store_true", help="also score the held-out test split (once per round)")
    parser.add_argument("--konec", action="store_true", help="konec 5-fold firm scores (retrains per fold)")
    parser.add_argument("--write", action="store_true", help="write the section of bench/RESULTS.md")
    args = parser.parse_args()
    started = time.perf_counter()
    names = ("rules", "rules + NER (before)", "model, no lists, no cues", "model + cues, no lists",
             "model + lists, no cues", "rules + lists + cues, no model additions", "whole stage",
             "whole stage, no syntax layer")
    dev = [(name, evaluate(GOLD / "dev.jsonl", name)) for name in names]
    unmarked = unmarked_own_sets()
    diagnostic = [(name, evaluate(unmarked, name)) for name in names]
    renamed, renamed_count = renamed_dev()
    unseen = [(name, evaluate(renamed, name)) for name in ("rules", "whole stage")]
    test = [(name, evaluate(GOLD / "test.jsonl", name)) for name in ("rules", "whole stage")] if args.test else []
    konec = konec_cv() if args.konec else None
    rows_dev = sum(1 for _ in (GOLD / "dev.jsonl").open(encoding="utf-8"))
    lines = [HEADING, "",
             f"Command: `.venv/bin/python bench/realtext_eval.py{' --test' if args.test else ''}"
             f"{' --konec' if args.konec else ''} --write` ({date.today().isoformat()}; "
             f"{time.perf_counter() - started:.0f} s). Gold: tests/data/realtext/ (passages other people wrote, "
             "labelled by LABELLING.md, split by source document; see its README). Tune on dev only.",
             "", f"Real-text **dev** ({rows_dev} passages):", "", *HEADER]
    lines += [row(name, r) for name, r in dev]
    lines += ["", "The whole stage on dev, by source:", "", *HEADER, *by_source(GOLD / "dev.jsonl")]
    if test:
        rows_test = sum(1 for _ in (GOLD / "test.jsonl").open(encoding="utf-8"))
        lines += ["", f"Real-text **test** ({rows_test} passages, held out, measured once after the round):", "",
                  *HEADER, *[row(name, r) for name, r in test]]
    lines += ["", "Diagnostic, not evidence (own paragraph sets, written here, with every ㈜/(주)/주식회사 removed):",
              "", *HEADER, *[row(name, r) for name, r in diagnostic]]
    lines += ["", f"Diagnostic, not evidence: dev with its firms renamed to made-up names that no list of newsmine's "
                  f"holds ({renamed_count} of the {dev[0][1]['firms']['tp'] + dev[0][1]['firms']['fn']} firms; "
                  "bench/realtext/rename.py) — what is left when the name itself tells nothing, as with the "
                  "local firms of regional news:", "", *HEADER, *[row(name, r) for name, r in unseen],
              *by_source(renamed)]
    if konec:
        own, mapped = konec["konec"], konec["labelling"]
        lines += ["", f"konec firms on the KLUE news sentences, 5-fold: P {_f(own['precision'])}, "
                      f"R {_f(own['recall'])}, **F1 {_f(own['f1'])}** (tp {own['tp']}, fp {own['fp']}, "
                      f"fn {own['fn']}; per fold {', '.join(_f(x) for x in own['folds'])}). With konec's firm "
                      f"spans brought to the labelling conventions ({konec['spans'][0] - konec['spans'][1]} of its "
                      f"{konec['spans'][0]} are public corporations, the central bank or business associations: "
                      "nlp/training/firm_data.labelling_kind): "
                      f"P {_f(mapped['precision'])}, R {_f(mapped['recall'])}, F1 {_f(mapped['f1'])} "
                      f"(fn {mapped['fn']})."]
    section = "\n".join(lines)
    print(section)
    if args.write:
        write_section(HEADING, section, keep_from=NOTES, after="## Firms and achievements (own gold sets)")
    unmarked.unlink(missing_ok=True)
    renamed.unlink(missing_ok=True)


if __name__ == "__main__":
    main()

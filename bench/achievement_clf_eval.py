"""Achievement classifier: cross-validated accuracy, and rules only vs rules + classifier veto.

Run:  .venv/bin/python bench/achievement_clf_eval.py [--write]

Cross-validation is on the training data of the shipped model (sentences.jsonl, train split;
configs/achievements.toml). The comparison runs the whole NLP stage twice on every gold set,
with NEWSMINE_ACH_MODEL=off and =veto (the veto thresholds of the config), using the shipped
data/models/achievement_clf.joblib. --write puts the section into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.extract_nlp_eval import publish  # noqa: E402
from nlp import achievement_model as am  # noqa: E402
from nlp.evaluate_extract import evaluate_extract  # noqa: E402

GOLD = ROOT / "tests" / "data" / "extract"
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Achievement classifier (scikit-learn)"
SETS = (("dev", "dev.jsonl", None), ("test (held out)", "test.jsonl", None),
        ("sentences test (held out)", "sentences.jsonl", "test"))


def compare() -> list[tuple[str, dict, dict]]:
    """(set, rules-only result, rules+veto result) for each gold set."""
    rows = []
    for label, name, split in SETS:
        results = {}
        for mode in ("off", "veto"):
            os.environ[am.MODE_ENV] = mode
            results[mode] = evaluate_extract(GOLD / name, split=split, max_errors=0)
        rows.append((label, results["off"], results["veto"]))
    os.environ.pop(am.MODE_ENV, None)
    return rows


def _cell(result: dict) -> str:
    a, m = result["achievements"], result["amounts"]
    return f"{a['precision']:.3f} / {a['recall']:.3f} / {a['f1']:.3f} | {m['exact']}/{m['total']}"


def section(config: dict, cv: dict, rows: list[tuple[str, dict, dict]]) -> str:
    combine = config.get("combine", {})
    lines = [
        HEADING, "",
        f"Command: `.venv/bin/python bench/achievement_clf_eval.py --write` ({date.today().isoformat()}). "
        "Model: `python -m nlp.achievement_model train --config configs/achievements.toml` → "
        "`data/models/achievement_clf.joblib` (see data/models/README.md). One candidate = one firm the "
        "pipeline finds in one sentence, firm masked; character 1–4-gram TF-IDF of the sentence + Kiwi "
        "morpheme 1–2-grams, logistic regression (`achieved`) and one-vs-rest logistic regression (`types`).", "",
        f"Training data: sentences.jsonl train split — {cv['sentences']} sentences with a firm, "
        f"{cv['candidates']} labelled candidates ({cv['positives']} achievements; candidates with only "
        f"optional pairs left out). {cv['folds']}-fold cross-validation, stratified and grouped by sentence, seed "
        f"{config.get('model', {}).get('seed', 13)}:", "",
        "| measure | value |", "| --- | ---: |",
        f"| achievement or not, accuracy | {cv['achieved_accuracy']:.3f} "
        f"(folds {', '.join(f'{x:.3f}' for x in cv['achieved_accuracy_per_fold'])}) |",
        f"| majority class (always \"achievement\") | {cv['positives'] / cv['candidates']:.3f} |",
        f"| type, top-1 in gold types (achievements only) | {cv['type_top1_accuracy']:.3f} ({cv['type_candidates']}) |",
        "",
        f"Rules only vs rules + classifier veto (a rule candidate is dropped when P(achievement) < "
        f"{combine.get('veto_below')} and P(its type) < {combine.get('type_below')}); (firm, type) P / R / F1 "
        "| amounts exact:", "",
        "| set | rules only | | rules + classifier | |", "| --- | --- | ---: | --- | ---: |",
    ]
    for label, off, veto in rows:
        lines.append(f"| {label} | {_cell(off)} | {_cell(veto)} |")
    same = all(off["achievements"] == veto["achievements"] and off["amounts"] == veto["amounts"]
               for _, off, veto in rows)
    precisions = [off["achievements"]["precision"] for _, off, _ in rows]
    low, high = min(precisions), max(precisions)
    lines += ["", ("The veto changes no score on any set. A veto can only remove false positives, and the rules' "
                   f"precision is already {low:.2f}–{high:.2f}: what they lose is recall (missed pairs), which a veto "
                   "cannot recover. "
                   "The model ships, but `configs/achievements.toml` keeps `mode = \"off\"` (rules only) as "
                   "the default; `NEWSMINE_ACH_MODEL=veto` turns it on.") if same else
              "See the table: the default mode in configs/achievements.toml follows the better row.", ""]
    return "\n".join(lines)


def write_results(generated: str) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    pattern = re.compile(r"^" + re.escape(HEADING) + r"\n.*?(?=^## |\Z)", re.S | re.M)
    block = generated.rstrip() + "\n\n"
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:   # right after the firms-and-achievements section
        anchor = re.search(r"^## Firms and achievements.*?(?=^## |\Z)", text, re.S | re.M)
        at = anchor.end() if anchor else len(text)
        text = text[:at] + block + text[at:]
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args(argv)
    config = am.load_config()
    cv = am.cross_validate(am.training_examples(config), config)
    publish(section(config, cv, compare()), args.write, write_results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`newsmine eval extract`: how well the NLP stage finds firms and what they achieved.

Measured against hand-labelled JSONL (tests/data/extract/): one row per paragraph or
sentence, `{"id", "text", "published_at"?, "firms"?, "non_firms"?, "achievements",
"optional"?, "split"?}`. Paragraph sets label every firm and the non-firm organisations;
the sentence set labels achievements only, so for it firm scores are reported as absent.

What is counted, and why:

* firms — per row, the set of organisations the pipeline calls `firm` against the gold
  `firms`; names compared after removing legal-form markers and spaces, so `(주)한빛정밀`
  and `한빛정밀` are one firm whatever the pipeline's canonical form.
* non_firm_as_firm — gold non-firms (agencies, universities, government …) predicted as
  firms: the design bar is zero, so it gets its own number.
* achievements — per row, the set of (firm, type) pairs of the pipeline's *firm*
  achievements (`group_achievements` are a programme's figures, never a firm's). Gold
  `optional` pairs are genuinely ambiguous: predicting them is neither rewarded nor
  penalised, missing them costs nothing.
* amounts — among gold achievements with an amount whose (firm, type) pair was found,
  the share where some predicted achievement of that pair has the same value and unit.
  `approximate` is reported separately (it is a softer property of the text).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable

import click

from core.errors import UsageError

Analyze = Callable[..., dict]

TYPES = ("contract", "selection", "award", "revenue", "export", "investment", "hiring",
         "ip", "certification", "partnership", "launch", "funding")

# Written independently of nlp.canonical so that a change there cannot move the goalposts.
# The legal forms LABELLING.md names, longest first (영농조합법인 before 영농조합).
_LEGAL_FORMS = re.compile(
    r"㈜|㈔|㈕|\((?:주|유|사|재|합|농)\)|농업회사법인|어업회사법인|영농조합법인|영어조합법인|영농조합|"
    r"사회적협동조합|협동조합|주식회사|유한회사|합자회사|합명회사|사단법인|재단법인"
)
_EDGE = "·,.'\"‘’“”[]()<>「」『』"


def normalize_name(name: str) -> str:
    """`(주) 한빛 정밀` → `한빛정밀`: legal forms, spaces and edge punctuation removed."""
    return re.sub(r"\s+", "", _LEGAL_FORMS.sub("", name)).strip(_EDGE)


# --------------------------------------------------------------------------- reading gold
def load_gold(gold_path: str | Path, split: str | None = None) -> list[dict]:
    """Rows of a gold file, checked; a problem is one UsageError line naming the line number."""
    path = Path(gold_path)
    if not path.is_file():
        raise UsageError(f"no such gold file: {gold_path}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {gold_path}: {error}") from None
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise UsageError(f"{gold_path}:{number}: not a JSON object") from None
        _check_row(row, f"{gold_path}:{number}")
        row.setdefault("id", number)
        rows.append(row)
    if not rows:
        raise UsageError(f"{gold_path}: no gold rows")
    if split is not None:
        rows = [r for r in rows if r.get("split") == split]
        if not rows:
            raise UsageError(f"{gold_path}: no rows with split {split!r}")
    return rows


def _check_row(row: Any, where: str) -> None:
    if not isinstance(row, dict):
        raise UsageError(f"{where}: not a JSON object")
    if not isinstance(row.get("text"), str) or not row["text"].strip():
        raise UsageError(f'{where}: missing "text"')
    if not isinstance(row.get("achievements"), list):
        raise UsageError(f'{where}: missing "achievements" list')
    for key in ("achievements", "optional"):
        for item in row.get(key) or []:
            if not (isinstance(item, dict) and isinstance(item.get("firm"), str)
                    and isinstance(item.get("type"), str)):
                raise UsageError(f'{where}: each of "{key}" needs "firm" and "type"')
            if "amount" in item and (not isinstance(item["amount"], (int, float)) or "unit" not in item):
                raise UsageError(f'{where}: an "amount" must be a number with a "unit"')
    if "firms" in row and not (isinstance(row["firms"], list) and all(isinstance(f, str) for f in row["firms"])):
        raise UsageError(f'{where}: "firms" must be a list of names')
    for item in row.get("non_firms") or []:
        if not (isinstance(item, dict) and isinstance(item.get("name"), str)):
            raise UsageError(f'{where}: each of "non_firms" needs a "name"')


# --------------------------------------------------------------------------- scoring
def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 with their counts (0.0 where a denominator is empty)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def _same_value(a: float, b: float) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def default_analyze() -> Analyze:
    """nlp.pipeline.analyze_text, imported only when needed: loading the CLI must not load Kiwi."""
    from nlp.pipeline import analyze_text
    return analyze_text


def evaluate_extract(gold_path: str | Path, analyze: Analyze | None = None, split: str | None = None,
                     max_errors: int = 50) -> dict:
    """Scores of `analyze` (default: nlp.pipeline.analyze_text) on a gold JSONL file.

    `analyze(text, published)` must return the `newsmine extract` dict (organizations,
    achievements, group_achievements). `max_errors` < 0 keeps every mismatch.
    """
    rows = load_gold(gold_path, split)
    analyze = analyze or default_analyze()
    return score_rows(rows, (analyze(r["text"], r.get("published_at")) for r in rows), max_errors)


def score_rows(rows: list[dict], predictions: Iterable[dict], max_errors: int = 50) -> dict:
    """The evaluation of already-computed predictions (one per row, in order)."""
    firm_counts = Counter()
    ach_counts = Counter()
    by_type: dict[str, Counter] = defaultdict(Counter)
    amounts = Counter()
    non_firm = Counter()
    errors: list[dict] = []
    rows_with_firms = 0

    for row, predicted in zip(rows, predictions):
        rid = row["id"]
        orgs = predicted.get("organizations") or []
        pred_kinds = {normalize_name(o["name"]): o.get("kind") for o in orgs}
        pred_firms = {name for name, kind in pred_kinds.items() if kind == "firm"}

        if "firms" in row:
            rows_with_firms += 1
            gold_firms = {normalize_name(f) for f in row["firms"]}
            firm_counts.update(tp=len(gold_firms & pred_firms), fp=len(pred_firms - gold_firms),
                               fn=len(gold_firms - pred_firms))
            errors += [{"id": rid, "error": "firm_missed", "firm": f,
                        "got_kind": pred_kinds.get(f)} for f in sorted(gold_firms - pred_firms)]
            errors += [{"id": rid, "error": "firm_spurious", "firm": f} for f in sorted(pred_firms - gold_firms)]
        for item in row.get("non_firms") or []:
            name = normalize_name(item["name"])
            non_firm["total"] += 1
            if name in pred_kinds:
                non_firm["found"] += 1
                non_firm["right_kind"] += pred_kinds[name] == item.get("kind")
            if name in pred_firms:
                non_firm["as_firm"] += 1
                errors.append({"id": rid, "error": "non_firm_as_firm", "name": item["name"],
                               "kind": item.get("kind")})

        gold_pairs = {(normalize_name(a["firm"]), a["type"]) for a in row["achievements"]}
        optional = {(normalize_name(a["firm"]), a["type"]) for a in row.get("optional") or []}
        pred_by_pair: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for a in predicted.get("achievements") or []:
            pred_by_pair[(normalize_name(a["organization"]), a["type"])].append(a)
        pred_pairs = set(pred_by_pair)
        for pair in gold_pairs & pred_pairs:
            by_type[pair[1]]["tp"] += 1
        for pair in pred_pairs - gold_pairs - optional:
            by_type[pair[1]]["fp"] += 1
            errors.append({"id": rid, "error": "achievement_spurious", "firm": pair[0], "type": pair[1],
                           "evidence": (pred_by_pair[pair][0].get("evidence") or "")[:80]})
        for pair in gold_pairs - pred_pairs:
            by_type[pair[1]]["fn"] += 1
            errors.append({"id": rid, "error": "achievement_missed", "firm": pair[0], "type": pair[1]})
        ach_counts.update(tp=len(gold_pairs & pred_pairs), fp=len(pred_pairs - gold_pairs - optional),
                          fn=len(gold_pairs - pred_pairs))

        for a in row["achievements"]:
            pair = (normalize_name(a["firm"]), a["type"])
            if "amount" not in a or pair not in pred_pairs:
                continue
            amounts["total"] += 1
            got = [p["amount"] for p in pred_by_pair[pair] if p.get("amount")]
            hit = next((g for g in got if g.get("unit") == a["unit"] and _same_value(g["value"], a["amount"])), None)
            if hit is None:
                errors.append({"id": rid, "error": "amount_wrong", "firm": pair[0], "type": pair[1],
                               "expected": [a["amount"], a["unit"]],
                               "got": [[g.get("value"), g.get("unit")] for g in got]})
                continue
            amounts["exact"] += 1
            amounts["approximate_agree"] += bool(hit.get("approximate")) == bool(a.get("approximate"))

    firms = prf(firm_counts["tp"], firm_counts["fp"], firm_counts["fn"]) if rows_with_firms else \
        {"precision": None, "recall": None, "f1": None, "tp": 0, "fp": 0, "fn": 0}
    achievements = prf(ach_counts["tp"], ach_counts["fp"], ach_counts["fn"])
    achievements["by_type"] = {t: prf(by_type[t]["tp"], by_type[t]["fp"], by_type[t]["fn"])
                               for t in TYPES if t in by_type}
    total = amounts["total"]
    return {
        "rows": len(rows),
        "firms": {**firms, "rows": rows_with_firms},
        "non_firm_as_firm": non_firm["as_firm"] if rows_with_firms else None,
        "non_firms": {"total": non_firm["total"], "found": non_firm["found"], "right_kind": non_firm["right_kind"]},
        "achievements": achievements,
        "amounts": {"exact": amounts["exact"], "total": total,
                    "accuracy": round(amounts["exact"] / total, 4) if total else None,
                    "approximate_agree": amounts["approximate_agree"]},
        "errors": errors[:max_errors] if max_errors >= 0 else errors,
        "error_count": len(errors),
    }


# --------------------------------------------------------------------------- CLI
def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def print_report(result: dict, title: str = "Firms and achievements") -> None:
    """The scores as rich tables (the --json output holds the same numbers)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{title} ({result['rows']} rows)")
    for column in ("measure", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    firms = result["firms"]
    if firms["rows"]:
        table.add_row("firms", _fmt(firms["precision"]), _fmt(firms["recall"]), _fmt(firms["f1"]),
                      str(firms["tp"]), str(firms["fp"]), str(firms["fn"]))
    ach = result["achievements"]
    table.add_row("(firm, type)", _fmt(ach["precision"]), _fmt(ach["recall"]), _fmt(ach["f1"]),
                  str(ach["tp"]), str(ach["fp"]), str(ach["fn"]))
    for kind, s in ach["by_type"].items():
        table.add_row(f"  {kind}", _fmt(s["precision"]), _fmt(s["recall"]), _fmt(s["f1"]),
                      str(s["tp"]), str(s["fp"]), str(s["fn"]))
    console.print(table)
    amounts = result["amounts"]
    lines = [f"amounts exact: {amounts['exact']}/{amounts['total']} ({_fmt(amounts['accuracy'])})"]
    if result["non_firm_as_firm"] is not None:
        lines.append(f"non-firms called firm: {result['non_firm_as_firm']} "
                     f"(of {result['non_firms']['total']} labelled non-firms)")
    console.print("\n".join(lines))
    if result["errors"]:
        shown = result["errors"][:10]
        console.print(f"first {len(shown)} of {result['error_count']} mismatches (all in --json, up to 50):")
        for error in shown:
            details = ", ".join(f"{k}={v}" for k, v in error.items() if k not in ("id", "error"))
            console.print(f"  [{error['id']}] {error['error']}: {details}", markup=False, highlight=False)


@click.command("extract")
@click.option("--gold", "gold_path", required=True, metavar="PATH",
              help='Gold JSONL: {"id", "text", "firms"?, "non_firms"?, "achievements", "optional"?}.')
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option("--split", type=click.Choice(["train", "test"]), default=None,
              help='Only rows whose "split" is this (the sentence set).')
def extract_cmd(gold_path: str, as_json: bool, split: str | None) -> None:
    """Firm and achievement P/R/F1 and amount accuracy of the NLP stage on gold JSONL."""
    result = evaluate_extract(gold_path, split=split)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        print_report(result, title=Path(gold_path).name + (f" [{split}]" if split else ""))

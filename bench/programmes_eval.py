"""Programme names on text other people wrote: precision and recall of exact names.

Run:  .venv/bin/python bench/programmes_eval.py [--test] [--show] [--write]

* the gold set tests/data/programmes/ (selection, award, certification and funding sentences of
  KLUE, Wikinews, the saved pages of data/replay, real press releases and UD Korean-Kaist,
  hand-labelled; README there): `dev` always; `--test` also scores the held-out split — once,
  after the work, never to tune;
* each sentence goes through the whole NLP stage (nlp/pipeline.analyze_doc: Kiwi, organisations,
  achievements) and nlp/programmes.programmes_in reads the programmes it says were won;
* a name counts when its key (nlp/programmes.programme_key: quotes, spaces, years and editions
  removed, no aliases) equals the key of the gold name or of one of its `also` spellings; a
  predicted name in the row's `optional` list is neither rewarded nor penalised;
* body: of the names found, the share whose body is right (the gold body or none, compared
  without spaces; a body that contains the gold one, or is contained in it, counts);
* on achievements: the selection, award, certification and funding achievements the stage
  finds in the gold sentences, and how many carry a programme the gold names.

`--show` prints dev's errors. `--write` puts the table into bench/RESULTS.md under
"Programme names on real text".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402

GOLD = ROOT / "tests" / "data" / "programmes"
HEADING = "## Programme names on real text"
NOTES = "<!-- notes -->"


def load(split: str) -> list[dict]:
    with (GOLD / f"{split}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _plain(name: str | None) -> str:
    return re.sub(r"\s+", "", name or "")


def _key(name: str) -> str:
    from nlp.programmes import _plain_key

    return _plain_key(name)


def _body_ok(gold: str | None, predicted: str | None) -> bool:
    if not gold or not predicted:
        return not gold and not predicted
    g, p = _plain(gold), _plain(predicted)
    return g == p or g in p or p in g


def score(rows: list[dict], show: bool = False) -> dict:
    from nlp.pipeline import analyze_doc
    from nlp.programmes import programmes_in

    tp = fp = fn = 0
    bodies_ok = 0
    bodies_named = bodies_named_ok = 0
    ach_total = ach_named = ach_right = 0
    errors: list[str] = []
    for row in rows:
        doc = analyze_doc(row["text"])
        text = doc._.kiwi_text if doc._.kiwi_text is not None else doc.text
        found = programmes_in(text, doc._.kiwi_sentences or [], doc._.organizations or [])
        gold = [{"keys": {_key(p["name"]), *(_key(a) for a in p.get("also", ()))}, **p} for p in row["programmes"]]
        optional = {_key(name) for name in row.get("optional", ())}
        matched: set[int] = set()
        for prog in found:
            key = _key(prog.name)
            hit = next((i for i, g in enumerate(gold) if i not in matched and key in g["keys"]), None)
            if hit is not None:
                matched.add(hit)
                tp += 1
                ok = _body_ok(gold[hit].get("body"), prog.body)
                bodies_ok += ok
                if gold[hit].get("body"):
                    bodies_named += 1
                    bodies_named_ok += ok
                if not ok:
                    errors.append(f"BODY {prog.name}: {prog.body!r} (gold {gold[hit].get('body')!r}) | {row['text'][:90]}")
            elif key in optional or any(key in g["keys"] for g in gold):
                continue
            else:
                fp += 1
                errors.append(f"FP   {prog.name!r} | {row['text'][:110]}")
        for i, g in enumerate(gold):
            if i not in matched:
                fn += 1
                errors.append(f"FN   {g['name']!r} | {row['text'][:110]}")
        gold_keys = set().union(*(g["keys"] for g in gold)) if gold else set()
        for ach in doc._.achievements + doc._.group_achievements:
            if ach["type"] not in ("selection", "award", "certification", "funding"):
                continue
            ach_total += 1
            if ach.get("programme"):
                ach_named += 1
                ach_right += _key(ach["programme"]["name"]) in gold_keys
    if show:
        print("\n".join(errors))
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    return {"sentences": len(rows), "gold": tp + fn, "predicted": tp + fp, "tp": tp, "precision": precision,
            "recall": recall, "f1": f1, "body_right": bodies_ok / tp if tp else None,
            "body_named": bodies_named, "body_named_right": bodies_named_ok,
            "achievements": ach_total, "achievements_named": ach_named, "achievements_right": ach_right}


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def table(results: dict[str, dict]) -> str:
    lines = ["| split | sentences | gold names | predicted | correct | precision | recall | F1 | body right "
             "(of correct) | gold bodies found |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for split, r in results.items():
        lines.append(f"| {split} | {r['sentences']} | {r['gold']} | {r['predicted']} | {r['tp']} | {_f(r['precision'])} | "
                     f"{_f(r['recall'])} | {_f(r['f1'])} | {_f(r['body_right'])} | "
                     f"{r['body_named_right']}/{r['body_named']} |")
    lines.append("")
    lines.append("| split | selection/award/certification/funding achievements | with a programme | "
                 "programme a gold name |")
    lines.append("| --- | ---: | ---: | ---: |")
    for split, r in results.items():
        lines.append(f"| {split} | {r['achievements']} | {r['achievements_named']} | {r['achievements_right']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", action="store_true", help="also score the held-out test split (once)")
    parser.add_argument("--show", action="store_true", help="print dev's errors")
    parser.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    args = parser.parse_args()
    results = {"dev": score(load("dev"), show=args.show)}
    if args.test:
        results["test"] = score(load("test"))
    print(table(results))
    if args.write:
        section = (f"{HEADING}\n\n`.venv/bin/python bench/programmes_eval.py{' --test' if args.test else ''} --write`"
                   " — programme, prize and certificate names (nlp/programmes.py) on the hand-labelled real "
                   "sentences of tests/data/programmes/ (exact names after quotes, spaces, years and editions "
                   "are removed; README there).\n\n" + table(results))
        write_section(HEADING, section, keep_from=NOTES)


if __name__ == "__main__":
    main()

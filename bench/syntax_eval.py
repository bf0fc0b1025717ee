"""The two syntax layers compared: particle-and-position frames (nlp/syntax.py) against the
spaCy parser trained on UD Korean-Kaist (nlp/syntax_ud.py over nlp/depparse/).

Run:  .venv/bin/python bench/syntax_eval.py [--write]

* **argument attachment on UD held-out documents** (the parser's own held-out split): for every
  treebank word with a case particle (이/가, 을/를, 은/는, 에/에게, 와/과, 로부터 …) that the gold
  tree attaches to a predicate as `nsubj`, `obj`, `iobj`, `obl` or `dislocated`, is it an argument
  of that predicate in the layer's frames? (Who did what to whom is what attribution reads.)
* **achievements on the real-text dev split** with each layer (and none), and on the own dev set;
* **speed**: sentences per CPU second of each layer alone, on the UD held-out sentences.

`--write` puts the tables into bench/RESULTS.md under "Syntax layer".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402

HEADING = "## Syntax layer"
_ARGS = frozenset({"nsubj", "obj", "iobj", "obl", "dislocated"})


def heldout_sentences() -> list:
    from nlp.depparse.data import assign_splits, read_conllu, realtext_ud_ids
    from nlp.depparse.train import load_config

    config = load_config(ROOT / "configs" / "depparse.cfg")
    paths = [ROOT / p for p in config["paths"]["treebank"]]
    sentences = [s for p in paths for s in read_conllu(p)]
    corpus = config["corpora"]["train"]
    split = assign_splits(sentences, corpus.get("heldout_fraction", 0.15), corpus.get("tune_fraction", 0.08),
                          realtext_ud_ids(config["paths"]["exclude_from"]))
    return [s for s in sentences if split[s.sent_id] == "heldout"]


def attachment(sentences: list, analyse) -> tuple[int, int, float]:  # type: ignore[no-untyped-def]
    """(right, total, CPU seconds): gold case-marked arguments found as arguments of their gold predicate."""
    from nlp.depparse.data import token_units
    from nlp.kiwi import get_kiwi

    kiwi = get_kiwi()
    right = total = 0
    seconds = 0.0
    for sentence in sentences:
        text = sentence.text
        tokens = kiwi.tokenize(text)
        started = time.process_time()
        analysis = analyse(text, 0, len(text), tokens)
        seconds += time.process_time() - started
        units = token_units(sentence)
        for i, token in enumerate(sentence.tokens):
            if token.deprel.split(":")[0] not in _ARGS or token.head < 0:
                continue
            inside = [t for t in tokens if units[i].start <= t.start < units[i].end]
            if not any(t.tag.startswith("J") for t in inside):
                continue
            total += 1
            head = units[token.head]
            frame = next((f for f in analysis.frames if f.predicate.start <= head.start < f.predicate.end), None)
            if frame is None:
                continue
            phrases = [p for members in frame.roles.values() for h in members for p in (h, *h.conjoined)]
            if any(p.start <= units[i].start and units[i].end <= p.end for p in phrases):
                right += 1
    return right, total, seconds


def achievements(gold: Path, mode: str) -> dict:
    from nlp import pipeline
    from nlp.evaluate_extract import evaluate_extract

    os.environ["NEWSMINE_SYNTAX"] = mode
    pipeline.get_nlp.cache_clear()
    return evaluate_extract(gold, max_errors=-1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from nlp.syntax import analyse
    from nlp.syntax_ud import analyse_ud

    sentences = heldout_sentences()
    rows = []
    for name, fn in (("particles and position (nlp/syntax.py)", analyse), ("UD parser (nlp/syntax_ud.py)", analyse_ud)):
        right, total, seconds = attachment(sentences, fn)
        rows.append((name, right, total, len(sentences) / seconds if seconds else 0.0))
    real = {mode: achievements(ROOT / "tests" / "data" / "realtext" / "dev.jsonl", mode) for mode in ("1", "ud", "0")}
    own = {mode: achievements(ROOT / "tests" / "data" / "extract" / "dev.jsonl", mode) for mode in ("1", "ud", "0")}
    label = {"1": "particles and position (shipped)", "ud": "UD parser", "0": "none (subject-and-particle rules)"}
    lines = [HEADING, "",
             f"Command: `.venv/bin/python bench/syntax_eval.py --write` ({date.today().isoformat()}). The UD parser: "
             "`python -m nlp.depparse.train --config configs/depparse.cfg` (its own held-out UAS/LAS are under "
             "\"Dependency parser\").", "",
             f"Argument attachment on the UD Korean-Kaist held-out documents ({len(sentences)} sentences): case-marked "
             "words the gold tree makes `nsubj`/`obj`/`iobj`/`obl`/`dislocated` of a predicate, found as arguments of "
             "that predicate's frame.", "",
             "| layer | right / arguments | accuracy | sentences per CPU second |", "| --- | ---: | ---: | ---: |"]
    for name, right, total, speed in rows:
        lines.append(f"| {name} | {right} / {total} | {right / total:.3f} | {speed:,.0f} |")
    lines += ["", "Achievements ((firm, type) P / R / F1, amounts exact) with each layer:", "",
              "| layer | real-text dev | own dev (written here) |", "| --- | --- | --- |"]
    for mode in ("1", "ud", "0"):
        cells = []
        for result in (real[mode], own[mode]):
            a, m = result["achievements"], result["amounts"]
            cells.append(f"{a['precision']:.3f} / {a['recall']:.3f} / **{a['f1']:.3f}**, {m['exact']}/{m['total']}")
        lines.append(f"| {label[mode]} | {cells[0]} | {cells[1]} |")
    section = "\n".join(lines)
    print(section)
    if args.write:
        write_section(HEADING, section, keep_from="<!-- notes -->", after="## Firms and achievements on real text")


if __name__ == "__main__":
    main()

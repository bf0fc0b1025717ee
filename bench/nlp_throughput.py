"""NLP stage throughput against bare Kiwi tokenisation of the same text.

Run: .venv/bin/python bench/nlp_throughput.py [--repeat 7]
Text: the bodies of the replay archive's article pages (extracted once, up front). The NLP
stage is measured as shipped (the firm model and the syntax layer) and, for comparison, as it
was before them (rules + the CRF NER: `NEWSMINE_FIRM_MODEL=0`).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.kiwi import get_kiwi  # noqa: E402
from pipelines.extract import extract_article  # noqa: E402

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay"


def bodies() -> list[str]:
    with (REPLAY / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["kind"] == "article"]
    return [extract_article((REPLAY / r["file"]).read_bytes(), r["url"]).body for r in rows]


def seconds(texts: list[str], work) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds of this process (all its threads): other jobs on the machine cannot inflate it."""
    start = time.process_time()
    for text in texts:
        work(text)
    return time.process_time() - start


def analyzer(use_model: bool):  # type: ignore[no-untyped-def]
    """analyze_text with the firm model on (as shipped) or off (rules + NER)."""
    from functools import partial

    from nlp.pipeline import analyze_text

    return partial(analyze_text, use_model=use_model, use_ner=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    texts = bodies()
    chars = sum(map(len, texts))
    kiwi = get_kiwi()
    paths = {"bare Kiwi tokenize": kiwi.tokenize, "NLP stage (firm model, syntax layer)": analyzer(True),
             "before: rules + NER": analyzer(False)}
    for work in paths.values():   # warm up: models, word lists and caches load once
        seconds(texts, work)
    # Rounds interleave the paths; each round's ratio compares paths measured side by side, and
    # the median ratio is reported (CPU time still varies with other jobs on a shared machine).
    rounds: list[dict[str, float]] = []
    for _ in range(args.repeat):
        rounds.append({name: seconds(texts, work) for name, work in paths.items()})
    print(f"{len(texts)} bodies, {chars:,} chars, CPU time, {args.repeat} interleaved rounds")
    for name in paths:
        ratios = sorted(r["bare Kiwi tokenize"] / r[name] for r in rounds)
        speed = statistics.median(chars / r[name] for r in rounds)
        print(f"{name}: {speed:,.0f} chars/s  ratio {statistics.median(ratios):.2f} "
              f"(rounds {ratios[0]:.2f}–{ratios[-1]:.2f})")


if __name__ == "__main__":
    main()

"""NLP stage throughput against bare Kiwi tokenisation of the same text.

Run: .venv/bin/python bench/nlp_throughput.py [--repeat 5]
Text: the bodies of the replay archive's article pages (extracted once, up front). The NLP
stage is measured with the NER model wired in (the default) and switched off.
"""

from __future__ import annotations

import argparse
import csv
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


def analyzer(use_ner: bool):  # type: ignore[no-untyped-def]
    """analyze_text with the NER switch fixed."""
    from functools import partial

    from nlp.pipeline import analyze_text

    return partial(analyze_text, use_ner=use_ner)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = bodies()
    chars = sum(map(len, texts))
    kiwi = get_kiwi()
    paths = {"bare Kiwi tokenize": kiwi.tokenize, "NLP stage, NER off": analyzer(False),
             "NLP stage, NER on": analyzer(True)}
    for work in paths.values():   # warm up: models, word lists and caches load once
        seconds(texts, work)
    # Rounds interleave the paths and each keeps its fastest round (CPU time still varies a
    # little with cache and frequency effects of other jobs).
    best = {name: seconds(texts, work) for name, work in paths.items()}
    for _ in range(args.repeat - 1):
        for name, work in paths.items():
            best[name] = min(best[name], seconds(texts, work))
    print(f"{len(texts)} bodies, {chars:,} chars, CPU time, fastest of {args.repeat} interleaved rounds")
    bare = chars / best["bare Kiwi tokenize"]
    for name, took in best.items():
        print(f"{name}: {chars / took:,.0f} chars/s  ratio {chars / took / bare:.2f}")


if __name__ == "__main__":
    main()

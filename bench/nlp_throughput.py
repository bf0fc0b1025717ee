"""NLP stage throughput against bare Kiwi tokenisation of the same text.

Run: .venv/bin/python bench/nlp_throughput.py [--repeat 3]
Text: the bodies of the replay archive's article pages (extracted once, up front).
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
from nlp.pipeline import analyze_text  # noqa: E402
from pipelines.extract import extract_article  # noqa: E402

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay"


def bodies() -> list[str]:
    with (REPLAY / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["kind"] == "article"]
    return [extract_article((REPLAY / r["file"]).read_bytes(), r["url"]).body for r in rows]


def rate(texts: list[str], work, repeat: int) -> float:  # type: ignore[no-untyped-def]
    chars = sum(len(t) for t in texts)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            work(text)
        times.append(time.perf_counter() - start)
    return chars / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = bodies()
    kiwi = get_kiwi()
    analyze_text(texts[0])  # warm up: models and word lists load once
    bare = rate(texts, kiwi.tokenize, args.repeat)
    full = rate(texts, analyze_text, args.repeat)
    print(f"{len(texts)} bodies, {sum(map(len, texts)):,} chars")
    print(f"bare Kiwi tokenize: {bare:,.0f} chars/s")
    print(f"NLP stage (analyze_text): {full:,.0f} chars/s  ratio {full / bare:.2f}")


if __name__ == "__main__":
    main()

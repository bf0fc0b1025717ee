"""NLP stage throughput against bare Kiwi tokenisation of the same text.

Run: .venv/bin/python bench/nlp_throughput.py [--repeat 7]
Text: the bodies of the replay archive's article pages (extracted once, up front). The NLP
stage is measured as shipped (the firm model and the syntax layer) and, for comparison, as it
was before them (rules + the CRF NER: `NEWSMINE_FIRM_MODEL=0`).

Those 30 bodies are read again in every round, so every cache keyed by a name or a word is warm
after the first: a crawl reads new text. The second measurement reads text the stage has not
seen: the KLUE news sentences of data/klue-raw, run together into texts of about an article's
length, a fresh slice per round (after a warm-up slice, so that models and word lists are
loaded), each analysed once; bare Kiwi reads the same slice.
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
KLUE_RAW = Path(__file__).resolve().parents[1] / "data" / "klue-raw" / "train-news-sentences.tsv"
UNSEEN_TEXTS = 30       # per round: as many texts as the replay bodies
TEXT_CHARS = 1300       # about a replay body's length


def bodies() -> list[str]:
    with (REPLAY / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["kind"] == "article"]
    return [extract_article((REPLAY / r["file"]).read_bytes(), r["url"]).body for r in rows]


def unseen_texts() -> list[str]:
    """KLUE news sentences in file order, run together into texts of about TEXT_CHARS."""
    texts: list[str] = []
    current = ""
    for line in KLUE_RAW.read_text(encoding="utf-8").splitlines():
        sentence = line.split("\t", 1)[-1].strip()
        current = f"{current} {sentence}".strip()
        if len(current) >= TEXT_CHARS:
            texts.append(current)
            current = ""
    return texts


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
    _report(rounds, [chars] * len(rounds), list(paths))
    # unseen text: a fresh slice per round after one warm-up slice; bare Kiwi on the same slice
    pool = unseen_texts()
    slices = [pool[i * UNSEEN_TEXTS:(i + 1) * UNSEEN_TEXTS] for i in range(1, args.repeat + 1)]
    shipped = "NLP stage (firm model, syntax layer)"
    seconds(pool[:UNSEEN_TEXTS], paths[shipped])
    fresh = [{"bare Kiwi tokenize": seconds(part, kiwi.tokenize), shipped: seconds(part, paths[shipped])}
             for part in slices]
    print(f"unseen text: {args.repeat} slices of {UNSEEN_TEXTS} KLUE-raw texts of ≈ {TEXT_CHARS} chars, each read once")
    _report(fresh, [sum(map(len, part)) for part in slices], ["bare Kiwi tokenize", shipped])


def _report(rounds: list[dict[str, float]], chars: list[int], names: list[str]) -> None:
    for name in names:
        ratios = sorted(r["bare Kiwi tokenize"] / r[name] for r in rounds)
        speed = statistics.median(n / r[name] for n, r in zip(chars, rounds))
        print(f"{name}: {speed:,.0f} chars/s  ratio {statistics.median(ratios):.2f} "
              f"(rounds {ratios[0]:.2f}–{ratios[-1]:.2f})")


if __name__ == "__main__":
    main()

"""Extraction quality on the 28 real article pages: ours vs trafilatura alone.

Run:  .venv/bin/python bench/extract_eval.py [--write] [--repeat N]

Counts exact titles and right publication dates against data/replay/MANIFEST.tsv and
times both extractors. "trafilatura alone" is `trafilatura.extract(raw_bytes,
output_format="json", with_metadata=True)`; it reports dates to the day only, so its
dates are judged to the day. Ours are judged to the minute where the manifest has a
time. --write puts the table into bench/RESULTS.md under its own heading, leaving other
sections alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pipelines.extract import ExtractionError, extract_article  # noqa: E402
from bench.results import write_section  # noqa: E402

REPLAY = ROOT / "data" / "replay"
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Extraction (28 real article pages)"
KST = timezone(timedelta(hours=9))


@dataclass
class Outcome:
    title_ok: bool
    day_ok: bool
    minute_ok: bool | None  # None when the extractor gives no time of day
    ms: float
    title: str | None
    date: str | None


def real_rows() -> list[dict[str, str]]:
    """Article rows of the manifest that are saved real pages (not the built newsstep ones)."""
    with open(REPLAY / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r for r in rows if r["kind"] == "article" and not r["file"].startswith("newsstep.co.kr/")]


def expected(value: str) -> tuple[datetime, bool]:
    value = value.split(" (")[0].strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.fromisoformat(value).replace(tzinfo=KST), False
    when = datetime.fromisoformat(value.replace(" ", "T"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=KST)
    return when.astimezone(KST), True


def judge(row: dict[str, str], title: str | None, date: str | None, ms: float) -> Outcome:
    want, has_time = expected(row["date"])
    got = None
    if date:
        got = datetime.fromisoformat(date)
        if got.tzinfo is None:
            got = got.replace(tzinfo=KST)
        got = got.astimezone(KST)
    day_ok = got is not None and got.date() == want.date()
    minute_ok = None
    if date and "T" in date:
        minute_ok = day_ok and (not has_time or got.replace(second=0, microsecond=0)
                                == want.replace(second=0, microsecond=0))
    return Outcome(title == row["title"], day_ok, minute_ok, ms, title, date)


def timed(fn, repeat: int) -> tuple[object, float]:
    """Result of the last call and the median wall time in ms."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return result, statistics.median(times)


def run_ours(row: dict[str, str], raw: bytes, repeat: int) -> Outcome:
    def call():
        try:
            return extract_article(raw, row["url"])
        except ExtractionError:
            return None
    art, ms = timed(call, repeat)
    return judge(row, art.title if art else None, art.published_at if art else None, ms)


def run_trafilatura(row: dict[str, str], raw: bytes, repeat: int) -> Outcome:
    def call():
        out = trafilatura.extract(raw, url=row["url"], output_format="json", with_metadata=True)
        return json.loads(out) if out else {}
    meta, ms = timed(call, repeat)
    return judge(row, meta.get("title"), meta.get("date"), ms)


def table(rows, ours, theirs) -> str:
    n = len(rows)

    def count(outcomes, attr):
        return sum(1 for o in outcomes if getattr(o, attr))

    ours_minute = sum(1 for o in ours if o.minute_ok)
    lines = [
        "| extractor | exact titles | right dates (day) "
        "| right dates (minute, where the page has a time) | mean ms/page | median ms/page |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| newsmine `extract_article` | {count(ours, 'title_ok')}/{n} | {count(ours, 'day_ok')}/{n} "
        f"| {ours_minute}/{n} | {statistics.mean(o.ms for o in ours):.1f} "
        f"| {statistics.median(o.ms for o in ours):.1f} |",
        f"| trafilatura alone | {count(theirs, 'title_ok')}/{n} | {count(theirs, 'day_ok')}/{n} "
        f"| n/a (dates only) | {statistics.mean(o.ms for o in theirs):.1f} "
        f"| {statistics.median(o.ms for o in theirs):.1f} |",
    ]
    misses = []
    for row, o, t in zip(rows, ours, theirs):
        if not (o.title_ok and o.day_ok and o.minute_ok is not False):
            misses.append(f"- ours missed `{row['file']}`: title {o.title!r}, date {o.date!r}")
    if not misses:
        misses.append("- ours: no misses.")
    t_miss = [row["file"] for row, t in zip(rows, theirs) if not (t.title_ok and t.day_ok)]
    misses.append(f"- trafilatura alone missed title or date on {len(t_miss)} pages: "
                  + ", ".join(f"`{f}`" for f in t_miss))
    return "\n".join(lines + [""] + misses)


def write_results(section: str) -> None:
    write_section(HEADING, section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per page (median)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    for noisy in ("trafilatura", "htmldate", "pipelines"):
        logging.getLogger(noisy).setLevel(logging.ERROR)

    rows = real_rows()
    ours, theirs = [], []
    for row in rows:
        raw = (REPLAY / row["file"]).read_bytes()
        ours.append(run_ours(row, raw, args.repeat))
        theirs.append(run_trafilatura(row, raw, args.repeat))
    body = table(rows, ours, theirs)
    section = (f"{HEADING}\n\nCommand: `.venv/bin/python bench/extract_eval.py --write` "
               f"(median of {args.repeat} runs per page; {time.strftime('%Y-%m-%d')}; the "
               "machine is shared, so timings move by ±15%).\nTitles must match the manifest "
               "exactly; dates are judged in KST, to the minute where the manifest has a "
               "time.\n\n" + body + "\n")
    print(section)
    if args.write:
        write_results(section)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

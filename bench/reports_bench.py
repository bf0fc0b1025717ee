"""Reports on the search benchmark's PostgreSQL index: `report coverage` by outlet, month,
organisation and region for words from broad to selective, timed through
newsmine.queries.coverage on one store (one connection, as `newsmine serve` holds it), each
query run `--passes` times.

    .venv/bin/python bench/search_bench.py --count 30000 --backends postgresql   # builds the index
    .venv/bin/python bench/reports_bench.py --count 30000 [--write]

The first pass of each query is reported apart from the median of the rest: a statement run on
one connection again and again is what psycopg prepares (after five runs) and PostgreSQL may
then plan once for any values.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402

PG_URL = "postgresql://postgres@127.0.0.1:5432/test?schema=newsmine_bench_{count}"
QUERIES = ["기업", "계약", "수출", "인공지능", "스마트팜 지원", "삼성전자"]
GROUPINGS = ("outlet", "month", "org", "region")


def measure(count: int, passes: int) -> list[tuple[str, str, int, float, float]]:
    """(query, grouping, articles, first ms, median ms of the later passes) per report."""
    from index import open_store
    from newsmine.queries import coverage

    store = open_store(PG_URL.format(count=count))
    rows = []
    try:
        coverage(store, "기업", "outlet")      # Kiwi loaded for the query words, caches warm
        for query in QUERIES:
            for by in GROUPINGS:
                times, articles = [], 0
                for _ in range(passes):
                    started = time.perf_counter()
                    articles = coverage(store, query, by)["articles"]
                    times.append((time.perf_counter() - started) * 1000)
                rows.append((query, by, articles, times[0], statistics.median(times[1:] or times)))
    finally:
        store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30_000, help="the search bench's corpus size")
    parser.add_argument("--passes", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()
    rows = measure(args.count, args.passes)
    lines = [f"## Reports on PostgreSQL ({args.count:,} articles)", "",
             f"Command: `.venv/bin/python bench/reports_bench.py --count {args.count} --passes {args.passes}"
             f"{' --write' if args.write else ''}` ({date.today().isoformat()}, {platform.machine()}). Index: "
             f"bench/search_bench.py's PostgreSQL build of the same corpus. `coverage(store, query, by)` as "
             "`newsmine report coverage` and the web page run it, on one store; first pass and the median of "
             "the later ones.", "",
             "| query | by | articles | first ms | later median ms |", "| --- | --- | ---: | ---: | ---: |"]
    lines += [f"| {q} | {by} | {n:,} | {first:.1f} | {median:.1f} |" for q, by, n, first, median in rows]
    section = "\n".join(lines)
    print(section)
    if args.write:
        write_section(lines[0], section, keep_from="Notes:", after="## Search (100,000 articles)")


if __name__ == "__main__":
    main()

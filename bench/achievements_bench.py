"""Achievements benchmark: `GET /api/achievements` with filters at 100,000 articles, on SQLite
and PostgreSQL (the bar of issue 14: p95 ≤ 50 ms on each).

    .venv/bin/python bench/search_corpus.py --count 100000 --analyse      # Kiwi terms, once
    nice -n 10 .venv/bin/python bench/achievements_bench.py --count 100000  # builds, then measures
    nice -n 10 .venv/bin/python bench/achievements_bench.py --count 100000 --reuse   # measures only
    add --write to put the figures into bench/RESULTS.md ("## Achievements API (N articles)")
    nice -n 10 .venv/bin/python bench/achievements_bench.py --count 40000 --ab --passes 7   # kept facet counts on / off

The corpus is bench/search_corpus.py's (deterministic): every original article credits its
main firm with the achievement its lead sentence states, and here that achievement gets the
amount the lead sentence writes (`약 35억 원`, `300만 달러`, `50명`), so amount filters and
the amount sort have something to compare; syndicated rewrites carry the same achievement
(a fold of copies). The index is built through the store's own upsert with the Kiwi terms read
from the cache (bench/out/terms.sqlite), as bench/search_bench.py does.

Each request goes through the whole app (FastAPI TestClient: routing, parameter checks, JSON)
as `GET /api/achievements?…` with the filters of the mix below. Latency: a warm-up pass, then
`--passes` passes; a request's latency is its median over the passes; p50 / p95 / max are
over the requests of the mix.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.results import write_section  # noqa: E402
from search_bench import _cached_analyse, _pct  # noqa: E402
from search_corpus import OUT, OUTLETS, Corpus, TermsCache, generate  # noqa: E402

PG_URL = "postgresql://postgres@127.0.0.1:5432/test?schema=newsmine_bench_ach"
TYPES = ["contract", "export", "selection", "award", "investment", "hiring", "certification", "funding"]
REGIONS = ["전북", "광주", "전남", "경남", "부산", "대구", "경기", "강원", "충남", "제주"]
MINS = ["1억", "10억", "50억", "100만달러", "30명"]


def with_amounts(corpus: Corpus) -> int:
    """Give each achievement the first amount of its lead sentence (in place); how many got one."""
    from nlp.amounts import find_amounts

    done = 0
    seen: set[int] = set()
    for record in corpus.records:
        for ach in record["achievements"]:
            if id(ach) in seen:  # a rewrite shares its original's achievement dicts
                continue
            seen.add(id(ach))
            lead = record["body"][ach["span"][0]:ach["span"][1]]
            found = find_amounts(lead)
            if found:
                ach["amount"] = found[0].to_json()
                done += 1
    return done


def request_mix(corpus: Corpus, seed: int = 11) -> list[dict[str, Any]]:
    """60 requests as the /achievements page and API clients make them: the first page, each
    filter alone and in the combinations a researcher uses, every sort."""
    rng = random.Random(seed)
    counts = sorted(((len(v), k) for k, v in corpus.firm_articles.items()), reverse=True)
    popular = [k for _, k in counts[:50]]
    mix: list[dict[str, Any]] = []

    def add(label: str, **params: Any) -> None:
        mix.append({"kind": label, "params": params})

    add("first page")
    add("first page", sort="amount")
    add("first page", sort="story")
    add("first page", offset=200)
    for t in TYPES:
        add("type", type=t)
    for m in MINS:
        add("amount", min=m, sort="amount")
    add("amount", min="10억", max="100억")
    for _ in range(6):
        add("type+amount", type=rng.choice(["contract", "investment", "funding"]), min=rng.choice(["5억", "10억"]),
            sort=rng.choice(["date", "amount"]))
    for region in rng.sample(REGIONS, 6):
        add("region", region=region, kind="firm")
    for _ in range(6):
        year = rng.choice([2023, 2024])
        month = rng.randint(1, 10)
        add("dates", **{"from": f"{year}-{month:02d}", "to": f"{year}-{month + 2:02d}"}, type=rng.choice(TYPES))
    for outlet in rng.sample(OUTLETS, 5):
        add("outlet", outlet=outlet)
    for firm in rng.sample(popular, 5):
        add("organisation", org=firm)
    for firm in rng.sample(popular, 4):
        add("query", q=f"firm:{firm}")
    for word in ("계약", "수출", "스마트팜", "인공지능"):
        add("query", q=word, type="contract" if word == "계약" else rng.choice(TYPES))
    for _ in range(6):
        add("combined", type=rng.choice(TYPES), region=rng.choice(REGIONS), min="1억",
            **{"from": "2024"}, sort=rng.choice(["date", "amount", "story"]))
    assert len(mix) == 60, len(mix)
    return mix


def build(url: str, corpus: Corpus, cache: TermsCache, fresh: bool) -> dict[str, float] | None:
    from index import open_store

    store = open_store(url)
    try:
        if not fresh:
            return None
        store._analyse = _cached_analyse(cache)
        started = time.monotonic()
        counts: dict[str, int] = {}
        # PostgreSQL: VACUUM ANALYZE every 10,000 articles, as autovacuum would (a server with it
        # off plans each article's refold without statistics: a Seq Scan of achievements per
        # article, 27 articles/s and falling; 120/s with it)
        step = VACUUM_EVERY if url.startswith("postgresql") else len(corpus.records)
        for i in range(0, len(corpus.records), step):
            for key, n in store.upsert_many(corpus.records[i : i + step]).items():
                counts[key] = counts.get(key, 0) + n
            if url.startswith("postgresql"):
                vacuum(url)
        seconds = time.monotonic() - started
        if not url.startswith("postgresql"):
            with store._write() as db:
                db.execute("ANALYZE")
        return {"articles": counts["new"], "seconds": round(seconds, 1), "rate": round(counts["new"] / seconds, 1)}
    finally:
        store.close()


VACUUM_EVERY = 10_000


def vacuum(url: str) -> None:
    """VACUUM ANALYZE the bench schema's tables, as autovacuum would during and after a bulk load
    (index-only scans need the visibility map it sets, plans the statistics)."""
    import psycopg

    schema = url.split("schema=")[1]
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))]
        for table in tables:
            conn.execute(f'VACUUM ANALYZE {schema}."{table}"')


def measure(url: str, mix: list[dict[str, Any]], passes: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from newsmine.api import create_app

    times: list[list[float]] = [[] for _ in mix]
    totals: list[int] = []
    with TestClient(create_app(url, token="", hosts=["testserver"])) as client:
        for item in mix:  # warm-up: page cache, Kiwi loaded for the word queries
            response = client.get("/api/achievements", params=item["params"])
            assert response.status_code == 200, (item, response.text)
            totals.append(response.json()["total"])
        for _ in range(passes):
            for i, item in enumerate(mix):
                started = time.perf_counter()
                response = client.get("/api/achievements", params=item["params"])
                times[i].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
    per = [statistics.median(t) for t in times]
    by_kind: dict[str, list[float]] = {}
    for item, ms in zip(mix, per):
        by_kind.setdefault(item["kind"], []).append(ms)
    return {
        "p50": round(_pct(per, 50), 1), "p95": round(_pct(per, 95), 1), "max": round(max(per), 1),
        "by_kind": {k: {"n": len(v), "p50": round(_pct(v, 50), 1), "max": round(max(v), 1)} for k, v in by_kind.items()},
        "per_request": [{"params": m["params"], "ms": round(ms, 1), "total": n} for m, ms, n in zip(mix, per, totals)],
    }


def compare(url: str, mix: list[dict[str, Any]], passes: int) -> dict[str, Any]:
    """Each request with the facet counts kept at write time ("after") and without them
    ("before": the GROUP BY over the first copies), the two alternated within each pass so
    both see the same load; the answers are checked to be the same first."""
    from fastapi.testclient import TestClient

    from newsmine import achievements
    from newsmine.api import create_app

    kept = achievements._type_only
    modes = {"after": kept, "before": lambda f: False}
    times: dict[str, list[list[float]]] = {m: [[] for _ in mix] for m in modes}
    try:
        with TestClient(create_app(url, token="", hosts=["testserver"])) as client:
            for item in mix:  # warm-up, and the same answer both ways
                answers = []
                for mode in modes.values():
                    achievements._type_only = mode
                    response = client.get("/api/achievements", params=item["params"])
                    assert response.status_code == 200, (item, response.text)
                    answers.append(response.json())
                assert answers[0] == answers[1], item
            for p in range(passes):
                order = list(modes.items()) if p % 2 == 0 else list(reversed(modes.items()))
                for i, item in enumerate(mix):
                    for name, mode in order:
                        achievements._type_only = mode
                        started = time.perf_counter()
                        client.get("/api/achievements", params=item["params"])
                        times[name][i].append((time.perf_counter() - started) * 1000)
    finally:
        achievements._type_only = kept
    out: dict[str, Any] = {}
    for name in modes:
        per = [statistics.median(t) for t in times[name]]
        by_kind: dict[str, list[float]] = {}
        for item, ms in zip(mix, per):
            by_kind.setdefault(item["kind"], []).append(ms)
        out[name] = {"p50": round(_pct(per, 50), 1), "p95": round(_pct(per, 95), 1), "max": round(max(per), 1),
                     "by_kind": {k: [round(_pct(v, 50), 1), round(max(v), 1)] for k, v in by_kind.items()}}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--reuse", action="store_true", help="measure the indexes built last time")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--json", type=Path, default=OUT / "achievements_bench.json")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--ab", action="store_true",
                        help="with --reuse: each request with and without the kept facet counts, alternated; "
                             "prints JSON, writes nothing")
    args = parser.parse_args(argv)
    args.reuse = args.reuse or args.ab  # never rebuilds

    corpus = generate(args.count)
    with_amount = with_amounts(corpus)
    mix = request_mix(corpus)
    cache = TermsCache()
    report: dict[str, Any] = {"count": args.count, "load_at_start": round(os.getloadavg()[0], 1),
                              "achievements": sum(len(r["achievements"]) for r in corpus.records),
                              "with_amount": with_amount, "mix": {}}
    for item in mix:
        report["mix"][item["kind"]] = report["mix"].get(item["kind"], 0) + 1
    builds_file = OUT / f"achievements_builds_{args.count}.json"
    builds = json.loads(builds_file.read_text()) if builds_file.exists() else {}
    for name in args.backends.split(","):
        if name == "sqlite":
            url = str(OUT / f"achievements_{args.count}.sqlite")
            if not args.reuse:
                for suffix in ("", "-wal", "-shm"):
                    Path(url + suffix).unlink(missing_ok=True)
        else:
            schema = f"newsmine_bench_ach_{args.count}"
            url = PG_URL.replace("newsmine_bench_ach", schema)
            if not args.reuse:
                import psycopg

                with psycopg.connect(PG_URL.split("?")[0], autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        if args.ab:
            report[name] = compare(url, mix, args.passes)
            continue
        built = build(url, corpus, cache, fresh=not args.reuse)
        if built:
            builds[name] = built
            builds_file.write_text(json.dumps(builds))
            print(f"{name}: built {built}", file=sys.stderr, flush=True)
        report[name] = measure(url, mix, args.passes)
        print(f"{name}: p50 {report[name]['p50']} ms, p95 {report[name]['p95']} ms, max {report[name]['max']} ms",
              file=sys.stderr, flush=True)
    report["builds"] = builds
    report["load_at_end"] = round(os.getloadavg()[0], 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    slim = {k: ({kk: vv for kk, vv in v.items() if kk != "per_request"} if isinstance(v, dict) else v)
            for k, v in report.items()}
    print(json.dumps(slim, ensure_ascii=False, indent=1))
    if args.write and not args.ab:
        heading, section = results_section(report, argv if argv is not None else sys.argv[1:])
        write_section(heading, section, keep_from="Notes:")
    return 0


def results_section(report: dict[str, Any], argv: list[str]) -> tuple[str, str]:
    heading = f"## Achievements API ({report['count']:,} articles)"
    names = [n for n in ("sqlite", "postgresql") if n in report]
    labels = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    lines = [
        heading, "",
        f"Command: `nice -n 10 .venv/bin/python bench/achievements_bench.py {' '.join(a for a in argv if a != '--write')}` "
        f"({time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{report['load_at_start']} at the start and {report['load_at_end']} at the end: other jobs share the machine). "
        f"Corpus: bench/search_corpus.py's {report['count']:,} articles, {report['achievements']:,} achievement rows "
        f"({report['with_amount']:,} distinct achievements with an amount; a fifth of the articles are syndicated copies, "
        "folded into one row each). Requests: `GET /api/achievements` through the whole app (TestClient), "
        + ", ".join(f"{k} {v}" for k, v in report["mix"].items()) + " (60 in all; limit 20, facets included); "
        "each request's time is its median over the passes.",
        "", "| back end | p50 ms | p95 ms | max ms |", "| --- | ---: | ---: | ---: |",
    ]
    for name in names:
        r = report[name]
        lines.append(f"| {labels[name]} | {r['p50']} | {r['p95']} | {r['max']} |")
    lines += ["", "p50 / max per kind of request (ms):", "",
              "| requests | n | " + " | ".join(labels[n] for n in names) + " |",
              "| --- | ---: | " + " | ".join("---:" for _ in names) + " |"]
    for kind, n in report["mix"].items():
        cells = [f"{report[name]['by_kind'][kind]['p50']} / {report[name]['by_kind'][kind]['max']}" for name in names]
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    return heading, "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

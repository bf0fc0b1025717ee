"""One crawl, many workers, one PostgreSQL: pages/s of 1, 2 and 3 workers and what sharing costs.

    .venv/bin/python bench/team_crawl_bench.py [--articles 300] [--runs 2] [--write]

The team set-up of docs/deploy.md on one machine: `newsmine crawl --redis URL --redis-job JOB`
worker processes (standing in for machines) share one scrapy-redis frontier and write into one
PostgreSQL schema, on a generated ND Soft tree (tests/site_trees.py, the saved 전남일보 page as
template) served by the replay server. The NLP stage runs in each worker (`--no-nlp` leaves it
out), in the worker's own process (NEWSMINE_CPU_WORKERS=0), as a machine with one core would.

Per run: every article stored once (no duplicate, none lost) and fetched once (by the replay
server's log); the crawl's pages/s = articles / the time from the workers' launch to the last
article stored (the workers then linger a few seconds to be sure the frontier is done). This
machine has 2 cores, which the workers share with PostgreSQL, Redis and the replay server, so
pages/s cannot grow with the workers here; what the figures show is what sharing costs. CPU is
the whole machine's (/proc/stat), so the database's work counts too. Each round first crawls a
one-article tree with one worker: the fixed CPU of a worker (start-up, imports, models, its
share of the discovery pages). The coordination cost of N workers is the CPU they use beyond
one worker's crawl plus N − 1 fixed costs, as a share of one worker's crawl: the Redis
frontier's round trips, the shared dupefilter, heartbeats, waits on the write lock. With
--write, the figures replace the "## Team crawl (Redis + PostgreSQL)" section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from bench.results import write_section  # noqa: E402

HEADING = "## Team crawl (Redis + PostgreSQL)"
REDIS = os.environ.get("NEWSMINE_BENCH_REDIS", "redis://127.0.0.1:6379/0")
PG = os.environ.get("NEWSMINE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (/proc/stat): the workers, PostgreSQL, Redis
    and the replay server alike — the workers' own CPU would hide the database's share."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def crawl(root: Path, server, workers: int, nlp: bool, articles: set[str]) -> dict:  # type: ignore[no-untyped-def]
    """One crawl by `workers` processes through the replay `server` into a fresh schema; checks
    and figures."""
    import psycopg
    from psycopg import sql

    schema = f"bench_team_{uuid.uuid4().hex[:10]}"
    job = f"bench-{uuid.uuid4().hex[:10]}"
    db = f"{PG}?schema={schema}"
    command = [sys.executable, "-m", "newsmine", "crawl", "--replay", str(root), "--sites", str(root / "sites"),
               "--db", db, "--json", "--redis", REDIS, "--redis-job", job, "--replay-proxy", server.proxy_url]
    command += [] if nlp else ["--no-nlp"]
    env = {**os.environ, "NEWSMINE_CPU_WORKERS": "0", "NEWSMINE_REDIS_MAX_IDLE": "15"}
    from index import open_store

    open_store(db).close()      # the schema and its tables, made before the clock starts
    served_before = len(server.served)
    cpu_before = machine_cpu()
    started = time.monotonic()
    done_at: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        """When the last article is stored: the workers then wait a few seconds to be sure no
        other worker will enqueue more (crawler/distributed.py), which is not crawling."""
        with psycopg.connect(PG, autocommit=True) as conn:
            count = sql.SQL("SELECT count(*) FROM {}.articles").format(sql.Identifier(schema))
            while not stop.is_set():
                if conn.execute(count).fetchone()[0] >= len(articles):
                    done_at.append(time.monotonic())
                    return
                time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    try:
        watcher.start()
        procs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=env) for _ in range(workers)]
        outputs = [p.communicate(timeout=1800) for p in procs]
        stop.set()
        watcher.join(timeout=10)
        wall = time.monotonic() - started
        cpu = machine_cpu() - cpu_before
        for proc, (_, err) in zip(procs, outputs):
            if proc.returncode != 0:
                raise SystemExit(f"a worker failed: {err[-2000:]}")
        reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
        with psycopg.connect(PG, autocommit=True) as conn:
            urls = [r[0] for r in conn.execute(sql.SQL("SELECT canonical_url FROM {}.articles").format(
                sql.Identifier(schema))).fetchall()]
    finally:
        from bench.services import drop_schema_and_keys

        drop_schema_and_keys(PG, schema, REDIS, f"newsmine:{job}:*")
    fetched = Counter(url for url, status in list(server.served)[served_before:] if status == 200 and url in articles)
    new = [sum(s["new"] for s in r["sources"]) for r in reports]
    duration = (done_at[0] - started) if done_at else max(r["duration_s"] for r in reports)
    return {
        "workers": workers, "stored": len(urls), "duplicates": len(urls) - len(set(urls)),
        "lost": len(articles - set(urls)), "fetched_twice": sum(1 for n in fetched.values() if n > 1),
        "split": new, "crawl_s": round(duration, 2), "wall_s": round(wall, 2),
        "pages_per_s": round(len(set(urls)) / duration, 2), "cpu_s": round(cpu, 1),
        "cpu_ms_per_page": round(1000 * cpu / max(1, len(set(urls))), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--runs", type=int, default=2, help="rounds of 1, 2, 3 workers (interleaved); medians")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--no-nlp", action="store_true", help="leave the NLP stage out of the workers")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()

    from crawler.manifest import Archive
    from crawler.replay import ReplayServer
    from site_trees import build_tree, write_manifest, write_site_files

    runs: dict[int, list[dict]] = {n: [] for n in args.workers}
    probes: list[float] = []
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as tmp_probe:
        root, probe_root = Path(tmp), Path(tmp_probe)
        trees = {}
        for where, count in ((root, args.articles), (probe_root, 1)):
            trees[where] = build_tree(where, "ndsoft", count, rss=False, draft=False)
            write_manifest(where, [trees[where]])
            write_site_files(where / "sites", [trees[where]])
        articles = {a.url for a in trees[root].allowed}
        with ReplayServer(Archive.load(root)) as server, ReplayServer(Archive.load(probe_root)) as probe_server:
            for round_ in range(args.runs):
                # what one more worker costs whatever it does: start-up, imports, models, one article
                probe = crawl(probe_root, probe_server, 1, not args.no_nlp,
                              {a.url for a in trees[probe_root].allowed})
                probes.append(probe["cpu_s"])
                for n in args.workers:
                    result = crawl(root, server, n, not args.no_nlp, articles)
                    print(json.dumps({"round": round_, **result}), flush=True)
                    runs[n].append(result)
    load_end = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    fixed = statistics.median(probes)
    one = statistics.median(r["cpu_s"] for r in runs[min(args.workers)])
    rows = []
    for n in args.workers:
        pps = statistics.median(r["pages_per_s"] for r in runs[n])
        cpu = statistics.median(r["cpu_s"] for r in runs[n])
        cost = (cpu - one - (n - min(args.workers)) * fixed) / one
        rows.append({
            "workers": n, "pages_per_s": round(pps, 2),
            "pages_per_s_runs": [r["pages_per_s"] for r in runs[n]],
            "cpu_s": round(cpu, 1), "coordination_cost": round(cost, 3),
            "cpu_ms_per_page": statistics.median(r["cpu_ms_per_page"] for r in runs[n]),
            "duplicates": max(r["duplicates"] for r in runs[n]), "lost": max(r["lost"] for r in runs[n]),
            "fetched_twice": max(r["fetched_twice"] for r in runs[n]), "split": runs[n][-1]["split"],
        })
    summary = {"articles": len(articles), "nlp": not args.no_nlp, "cores": cores, "fixed_cpu_s": round(fixed, 1),
               "load": [round(load_start, 2), round(load_end, 2)], "rows": rows}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.write:
        write(summary, args)


def write(summary: dict, args: argparse.Namespace) -> None:
    command = (f".venv/bin/python bench/team_crawl_bench.py --articles {args.articles} --runs {args.runs}"
               + (" --no-nlp" if args.no_nlp else "") + " --write")
    lines = [
        HEADING, "",
        f"Command: `{command}` ({date.today().isoformat()}, {platform.machine()}, {summary['cores']} cores, "
        f"load average {summary['load'][0]} at the start and {summary['load'][1]} at the end). "
        f"A generated ND Soft tree of {summary['articles']} articles on the replay server; worker processes "
        "share one scrapy-redis frontier and write into one PostgreSQL schema (fresh per crawl), "
        + ("the NLP stage in each worker" if summary["nlp"] else "without the NLP stage")
        + "; the rounds interleave 1, 2 and 3 workers. pages/s = articles / the time from the workers' "
        "launch (start-up and model loading included) to the last article stored (median of rounds); CPU s: the whole machine's during the crawl (workers, PostgreSQL, "
        f"Redis, replay server); fixed CPU of one more worker (a one-article crawl): {summary['fixed_cpu_s']} s; "
        "coordination cost = (CPU s − one worker's CPU s − (workers − 1) × fixed) ÷ one worker's CPU s.", "",
        "| workers | pages/s | rounds | CPU s | CPU ms/page | coordination cost | duplicates | lost | fetched twice | split |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in summary["rows"]:
        lines.append(f"| {r['workers']} | {r['pages_per_s']} | {' / '.join(map(str, r['pages_per_s_runs']))} "
                     f"| {r['cpu_s']} | {r['cpu_ms_per_page']} | {r['coordination_cost']:.1%} | {r['duplicates']} "
                     f"| {r['lost']} | {r['fetched_twice']} | {' / '.join(map(str, r['split']))} |")
    write_section(HEADING, "\n".join(lines), keep_from="<!-- notes -->", after="## Distributed reindex")


if __name__ == "__main__":
    main()

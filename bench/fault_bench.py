"""The reliability bars on the bad-page archive: peak RSS of the crawl's whole process group
(≤ 1 GB) and its longest log line (≤ 2 KB), with time and what each fault did.

    .venv/bin/python bench/fault_bench.py [--config NAME …] [--write]

Builds the bad-page archive of tests/fault_server.py (one generated ND Soft site per fault:
403, 404, 429 and 503 with Retry-After, 500, timeout, connection reset, truncated body, slow
drip, redirect loop, chain and move, a body that never ends, a 20 MB page, binary served as
HTML, the wrong charset, endless pagination; 18 sites of 5 articles, 400 trap list pages),
serves it with the fault server, and runs the real `newsmine crawl --replay DIR
--replay-proxy URL --db DB --json` once per configuration, each in a process group of its own:

- `default`: NLP on, as many worker processes as the default memory budget allows
  (`memory_mb` 1024: none, pipelines/pool.py);
- `no-nlp`: `--no-nlp`, default budget (one worker on a machine of 2 cores or more);
- `memory_mb 2048`: NLP on, `NEWSMINE_MEMORY_MB=2048` (two workers on 2 cores or more);
- `workers-1`, `workers-0`: NLP on, `NEWSMINE_CPU_WORKERS` 1 or 0;
- `no-nlp-workers-0`: `--no-nlp` in the crawl process alone (what tests/test_fault_matrix.py runs);
- `default, no faults`: the same archive served without any fault (what the faults add).

The replay's timeout is cut to 6 s and its retries to 1 (`fault_server.FAST`; with the
replay's own 180 s a hanging page would cost 9 minutes); download size limits and everything
else are the defaults. Peak RSS is the largest sum of resident memory over every process in
the group (the crawl, its workers, multiprocessing's resource tracker), sampled every 0.1 s.
With --write the table replaces the "## Reliability: the bad-page archive" section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from bench.results import write_section  # noqa: E402

CONFIGS = {   # name: (crawl arguments, environment, faults injected)
    "default": ((), {}, True),
    "default, no faults": ((), {}, False),
    "no-nlp": (("--no-nlp",), {}, True),
    "memory_mb 2048": ((), {"NEWSMINE_MEMORY_MB": "2048"}, True),
    "workers-1": ((), {"NEWSMINE_CPU_WORKERS": "1"}, True),
    "workers-0": ((), {"NEWSMINE_CPU_WORKERS": "0"}, True),
    "no-nlp-workers-0": (("--no-nlp",), {"NEWSMINE_CPU_WORKERS": "0"}, True),
}
GB = 1_000_000_000
HEADING = "## Reliability: the bad-page archive"


def measure(name: str) -> dict:
    from fault_server import FaultServer, bad_archive, run_measured, stored_counts

    from crawler.manifest import Archive

    args, env, inject = CONFIGS[name]
    with tempfile.TemporaryDirectory(prefix="newsmine-faults-") as tmp:
        root = Path(tmp)
        sites = bad_archive(root)
        faults = {url: fault for site in sites for url, fault in site.faults.items()} if inject else {}
        with FaultServer(Archive.load(root), faults) as server:
            run = run_measured(root, root / "index.sqlite", server.proxy_url, *args, env=env, timeout=1800)
        rows, search = stored_counts(root / "index.sqlite")
        good = set().union(*(s.good for s in sites)) if inject else set(rows)
        wrong = []
        for site in sites if inject else []:
            got = run.source(site.source)["errors"] if run.stdout.strip() else None
            want = site.case.errors
            if want is not None and got != want:
                wrong.append(f"{site.case.name}: {got}")
        return {
            "config": name, "exit": run.returncode, "seconds": run.seconds, "peak_rss": run.peak_rss,
            "processes": run.peak_processes, "longest_line": run.longest_log_line,
            "stderr_bytes": len(run.stderr), "tracebacks": run.stderr.count(b"Traceback"),
            "stored_once": set(rows) == good and set(rows.values()) == {1}, "articles": sum(rows.values()),
            "expected": len(good), "search_rows": search, "unexpected_errors": wrong,
        }


def table(results: list[dict]) -> str:
    lines = ["| configuration | exit | time | peak RSS (group) | processes | longest log line | stderr | "
             "tracebacks | good articles stored once | search rows | faults as expected |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(
            f"| {r['config']} | {r['exit']} | {r['seconds']:.0f} s | {r['peak_rss'] / GB:.2f} GB "
            f"{'≤' if r['peak_rss'] <= GB else '**>**'} 1 GB | {r['processes']} | {r['longest_line']} B | "
            f"{r['stderr_bytes'] / 1000:.0f} KB | {r['tracebacks']} | "
            f"{'yes' if r['stored_once'] else 'NO'} ({r['articles']}/{r['expected']}) | {r['search_rows']} | "
            f"{'yes' if not r['unexpected_errors'] else '; '.join(r['unexpected_errors'])} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", action="append", choices=sorted(CONFIGS), help="(default: all)")
    parser.add_argument("--write", action="store_true", help="Write the table into bench/RESULTS.md.")
    options = parser.parse_args()
    results = []
    for name in options.config or list(CONFIGS):
        result = measure(name)
        print(table([result]).splitlines()[-1], flush=True)
        results.append(result)
    text = table(results)
    print(text)
    if options.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        write_section(HEADING, f"{HEADING}\n\n`.venv/bin/python bench/fault_bench.py --write` ({machine}; "
                      f"18 fault sites, 90 articles of which {results[0]['expected']} good, DOWNLOAD_TIMEOUT 6 s, RETRY_TIMES 1, "
                      "the other settings the defaults). Bars: peak RSS of the whole process group ≤ 1 GB, "
                      "no log line over 2 KB (2,048 bytes).\n\n" + text + "\n", keep_from="Notes:")


if __name__ == "__main__":
    main()

"""Precision and recall of release tracing on the rewrites archive (tests/data/rewrites).

Crawls the archive (replay) into a fresh SQLite file, runs `newsmine trace`, and compares the
stored links with GOLD.tsv: a link is right when the article rewrites that release. Also
prints each (article, release) pair's overlap, so the margin between rewrites and the
near-miss is visible, and the time of the trace pass.

    .venv/bin/python bench/trace_eval.py [--days N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
ARCHIVE = REPO / "tests" / "data" / "rewrites"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=14)
    args = parser.parse_args()
    with (ARCHIVE / "GOLD.tsv").open(encoding="utf-8", newline="") as handle:
        gold_rows = list(csv.DictReader(handle, delimiter="\t"))
    gold = {(r["url"], r["release_url"]) for r in gold_rows if r["release_url"]}
    key = {r["url"]: r["key"] for r in gold_rows}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "rewrites.sqlite")
        subprocess.run([sys.executable, "-m", "newsmine", "crawl", "--replay", str(ARCHIVE), "--db", db, "--json"],
                       check=True, capture_output=True, env={**os.environ, "NEWSMINE_CPU_WORKERS": "0"})
        from index import open_store
        from index import tracing

        with open_store(db) as store:
            start = time.perf_counter()
            result = tracing.trace(store, days=args.days)
            seconds = time.perf_counter() - start
            with store.read() as db_:
                found = set(db_.execute(
                    "SELECT a.url, r.url FROM release_links l JOIN articles a ON a.seq = l.article_seq "
                    "JOIN articles r ON r.seq = l.release_seq").fetchall())
                texts = tracing._texts(db_, db_.execute(
                    "SELECT seq, published_at, title, body FROM articles ORDER BY seq").fetchall())
                kinds = dict(db_.execute("SELECT seq, kind FROM articles").fetchall())
                urls = dict(db_.execute("SELECT seq, url FROM articles").fetchall())
    right = len(found & gold)
    precision = right / len(found) if found else 1.0
    recall = right / len(gold) if gold else 1.0
    print(json.dumps({"days": args.days, "releases": result["releases"], "gold_links": len(gold),
                      "links": len(found), "right": right, "precision": round(precision, 3),
                      "recall": round(recall, 3), "trace_seconds": round(seconds, 3)}))
    releases = [t for t in texts if kinds[t.seq] == "press_release"]
    print("article  " + "  ".join(f"rel{urls[r.seq][-3:]}" for r in releases) + "  (overlap; * gold)")
    for t in texts:
        if kinds[t.seq] != "article":
            continue
        cells = []
        for r in releases:
            mark = "*" if (urls[t.seq], urls[r.seq]) in gold else " "
            cells.append(f"{tracing.overlap(t, r):.2f}{mark}")
        print(f"{key.get(urls[t.seq], '?'):8} " + "  ".join(f"{c:>6}" for c in cells))


if __name__ == "__main__":
    main()

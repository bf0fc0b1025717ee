"""Throughput of the distributed reindex (`newsmine reindex --redis … --queue …`) with 1 and 2
workers, on a PostgreSQL schema of seed-article variants.

The corpus: the seed article's text (tests/data/seed) with its two firms replaced by listed
companies (data/gazetteer/krx_companies.csv) and its date moved, `count` articles, stored
without analysis (the reindex adds it). Each worker is a `newsmine reindex` process; the
figure is articles / wall time from the first worker's start to the last worker's exit,
model loading included (≈ 5 s per process) and, separately, without it.

    .venv/bin/python bench/reindex_bench.py --count 600 --workers 1 2
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = ROOT / "tests" / "data" / "seed" / "jeonbuk-sw-article.txt"
GAZETTEER = ROOT / "data" / "gazetteer" / "krx_companies.csv"
PG = os.environ.get("NEWSMINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("NEWSMINE_TEST_REDIS", "redis://127.0.0.1:6379/0")


def seed_corpus(count: int) -> list[dict[str, Any]]:
    """`count` variants of the seed article (deterministic), as records `ingest` accepts."""
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("[뉴스스텝]"):text.index("[저작권자")].strip()
    with GAZETTEER.open(encoding="utf-8") as f:
        names = [row["name"] for row in csv.DictReader(f) if row["name"].isalnum()]
    records = []
    for i in range(count):
        first, second = names[(2 * i) % len(names)], names[(2 * i + 1) % len(names)]
        day = date(2024, 1, 1) + timedelta(days=i % 365)
        records.append({
            "url": f"https://news.example.kr/article/{i}",
            "title": f"전북자치도, {first}·{second} 등 SW강소기업과 간담회 ({i})",
            "body": body.replace("아이티스테이션", first).replace("텔로스", second),
            "published_at": day.isoformat(),
            "outlet": "뉴스스텝",
        })
    return records


def _run(workers: int, count: int, batch: int) -> dict[str, Any]:
    from index import open_store

    schema = f"nm_reindex_bench_{uuid.uuid4().hex[:8]}"
    db = f"{PG}{'&' if '?' in PG else '?'}schema={schema}"
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    store = open_store(db)
    try:
        store.upsert_many(seed_corpus(count))
    finally:
        store.close()
    base = [sys.executable, "-m", "newsmine", "reindex", "--db", db, "--redis", REDIS, "--queue", queue]
    try:
        subprocess.run([*base, "--enqueue", "--batch", str(batch)], check=True, capture_output=True, cwd=ROOT)
        started = time.monotonic()
        procs = [subprocess.Popen([*base, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  cwd=ROOT) for _ in range(workers)]
        outs = [p.communicate(timeout=3600) for p in procs]
        wall = time.monotonic() - started
        for p, (_, err) in zip(procs, outs):
            if p.returncode:
                raise SystemExit(f"a worker failed: {err.strip().splitlines()[-1]}")
        results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]
    finally:
        _drop(schema, queue)
    work = max(r["seconds"] - r["load_seconds"] for r in results)  # after the models loaded
    return {"workers": workers, "articles": count, "batch": batch, "wall_s": round(wall, 1),
            "per_worker": [r["articles"] for r in results],
            "articles_per_s": round(count / wall, 1), "articles_per_s_after_load": round(count / work, 1),
            # what is not the NLP stage in a worker's busy time: reading the batch, the write, Redis
            "not_nlp_share": round(1 - sum(r["nlp_seconds"] for r in results)
                                   / sum(r["seconds"] - r["load_seconds"] for r in results), 3)}


def _drop(schema: str, queue: str) -> None:
    from bench.services import drop_schema_and_keys

    drop_schema_and_keys(PG, schema, REDIS, f"newsmine:reindex:{queue}:*")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    for n in args.workers:
        print(json.dumps(_run(n, args.count, args.batch), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

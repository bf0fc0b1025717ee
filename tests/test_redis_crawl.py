"""Two crawler processes share one frontier on Redis (scrapy-redis): the work is split, not doubled.

Both workers run `newsmine crawl --redis … --redis-job JOB --replay-proxy URL` against one
replay server that this test runs, so every URL either of them fetched is seen in one place.
The archive is a generated ND Soft tree of 220 articles found through its sitemap and list
pagination. Two workers write to one SQLite file (WAL, busy timeout: the store's settings);
three write to one PostgreSQL schema, the team set-up (docs/deploy.md).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest

from conftest import require_service
from crawler.manifest import Archive
from crawler.replay import ReplayServer
from index import open_store
from index_backends import Backend
from site_trees import REPO, build_tree, stored, write_manifest, write_site_files

pytestmark = [pytest.mark.slow, pytest.mark.services]
REDIS = "redis://127.0.0.1:6379/0"
ARTICLES = 220


@pytest.fixture
def redis_job() -> str:
    require_service("Redis", "127.0.0.1", 6379)
    import redis

    client = redis.Redis.from_url(REDIS)
    job = f"test-{uuid.uuid4().hex[:12]}"
    yield job
    keys = list(client.scan_iter(f"newsmine:{job}:*"))
    if keys:
        client.delete(*keys)


def _crawl_with_workers(tmp_path: Path, redis_job: str, db: str, workers: int) -> tuple[set[str], list[dict]]:
    """`workers` crawl processes on one generated tree and one Redis job, writing into `db`:
    each page fetched once (by the replay server's log), every worker finished and busy."""
    tree = build_tree(tmp_path, "ndsoft", ARTICLES, rss=False)
    write_manifest(tmp_path, [tree])
    sites = write_site_files(tmp_path / "sites", [tree])
    with ReplayServer(Archive.load(tmp_path)) as server:
        command = [sys.executable, "-m", "newsmine", "crawl", "--replay", str(tmp_path), "--sites", str(sites),
                   "--db", db, "--json", "--no-nlp", "--redis", REDIS, "--redis-job", redis_job,
                   "--replay-proxy", server.proxy_url]
        env = {**os.environ, "NEWSMINE_REDIS_MAX_IDLE": "30"}
        procs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env) for _ in range(workers)]
        outputs = [w.communicate(timeout=600) for w in procs]
        served = list(server.served)

    for worker, (out, err) in zip(procs, outputs):
        assert worker.returncode == 0, err[-3000:]
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert all(r["finish_reason"] == "finished" for r in reports)

    articles = {a.url for a in tree.allowed}
    fetched = Counter(url for url, status in served if status == 200 and url in articles)
    assert set(fetched) == articles, "some articles were never fetched"
    assert max(fetched.values()) == 1, [u for u, n in fetched.items() if n > 1][:5]
    pages = Counter(url for url, status in served if status == 200 and "articleList" in url)
    assert max(pages.values()) == 1, "a list page was fetched by two workers"

    new = [sum(s["new"] for s in r["sources"]) for r in reports]
    assert sum(new) == ARTICLES
    assert min(new) > 0, f"a worker did none of the work: {new}"
    return articles, reports


def test_two_workers_split_one_crawl_without_fetching_anything_twice(tmp_path: Path, redis_job: str) -> None:
    db = tmp_path / "index.sqlite"
    articles, _ = _crawl_with_workers(tmp_path, redis_job, str(db), 2)
    assert set(stored(db)) == articles

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        runs = conn.execute("SELECT run_id, worker, status FROM crawl_runs").fetchall()
    store = open_store(str(db))  # the store's own connection settings make two writers safe
    try:
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    finally:
        store.close()
    assert {r[0] for r in runs} == {redis_job} and len({r[1] for r in runs}) == 2
    assert {r[2] for r in runs} == {"finished"}


def test_three_workers_crawl_into_one_postgresql_schema(tmp_path: Path, redis_job: str) -> None:
    """Three processes (standing in for machines) into one PostgreSQL schema: every article
    stored once, the work split, and `newsmine sources` adds the workers' runs together."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    backend = Backend("postgresql", tmp_path, "redis_crawl")
    db = backend.url("three")
    try:
        articles, reports = _crawl_with_workers(tmp_path, redis_job, db, 3)
        store = open_store(db)
        try:
            with store.read() as conn:
                urls = [r[0] for r in conn.execute("SELECT canonical_url FROM articles").fetchall()]
                runs = conn.execute("SELECT run_id, worker, status FROM crawl_runs").fetchall()
        finally:
            store.close()
        assert len(urls) == len(set(urls)) and set(urls) == articles
        assert {r[0] for r in runs} == {redis_job} and len({r[1] for r in runs}) == 3
        assert {r[2] for r in runs} == {"finished"}

        sources = subprocess.run([sys.executable, "-m", "newsmine", "sources", "--db", db, "--json"],
                                 cwd=REPO, capture_output=True, text=True, timeout=300)
        assert sources.returncode == 0, sources.stderr[-2000:]
        crawled = [s for s in json.loads(sources.stdout)["sources"] if s["runs"]]
        assert len(crawled) == 1
        health = crawled[0]
        assert health["runs"] == 1, "the three workers' rows are one run"
        assert health["last_run"]["new"] == ARTICLES and health["last_run"]["status"] == "finished"
        pages = sum(s["fetched"] for r in reports for s in r["sources"])
        assert health["last_run"]["pages_fetched"] == pages
    finally:
        backend.cleanup()

"""Two crawler processes share one frontier on Redis (scrapy-redis): the work is split, not doubled.

Both workers run `newsmine crawl --redis … --redis-job JOB --replay-proxy URL` against one
replay server that this test runs, so every URL either of them fetched is seen in one place.
The archive is a generated ND Soft tree of 220 articles found through its sitemap and list
pagination. Both write to one SQLite file (WAL, busy timeout: the store's settings).
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


def test_two_workers_split_one_crawl_without_fetching_anything_twice(tmp_path: Path, redis_job: str) -> None:
    tree = build_tree(tmp_path, "ndsoft", ARTICLES, rss=False)
    write_manifest(tmp_path, [tree])
    sites = write_site_files(tmp_path / "sites", [tree])
    db = tmp_path / "index.sqlite"
    with ReplayServer(Archive.load(tmp_path)) as server:
        command = [sys.executable, "-m", "newsmine", "crawl", "--replay", str(tmp_path), "--sites", str(sites),
                   "--db", str(db), "--json", "--no-nlp", "--redis", REDIS, "--redis-job", redis_job,
                   "--replay-proxy", server.proxy_url]
        env = {**os.environ, "NEWSMINE_REDIS_MAX_IDLE": "30"}
        workers = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, env=env) for _ in range(2)]
        outputs = [w.communicate(timeout=600) for w in workers]
        served = list(server.served)

    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-3000:]
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert all(r["finish_reason"] == "finished" for r in reports)

    articles = {a.url for a in tree.allowed}
    fetched = Counter(url for url, status in served if status == 200 and url in articles)
    assert set(fetched) == articles, "some articles were never fetched"
    assert max(fetched.values()) == 1, [u for u, n in fetched.items() if n > 1][:5]
    pages = Counter(url for url, status in served if status == 200 and "articleList" in url)
    assert max(pages.values()) == 1, "a list page was fetched by both workers"

    assert set(stored(db)) == articles
    new = [sum(s["new"] for s in r["sources"]) for r in reports]
    assert sum(new) == ARTICLES
    assert min(new) > 0, f"one worker did all the work: {new}"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        runs = conn.execute("SELECT run_id, worker, status FROM crawl_runs").fetchall()
    from index import open_store

    store = open_store(str(db))  # the store's own connection settings make two writers safe
    try:
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    finally:
        store.close()
    assert {r[0] for r in runs} == {redis_job} and len({r[1] for r in runs}) == 2
    assert {r[2] for r in runs} == {"finished"}

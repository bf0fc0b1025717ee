"""kill -9 in the middle of a crawl, then the same command again: every article exactly once.

The archive is a generated ND Soft tree of 160 articles found through list pagination and
the sitemap. The first `newsmine crawl` is killed (SIGKILL, no clean-up of any kind) once
some rows are committed; the second run of the same command must finish the job: its
source's previous run is recorded as interrupted, so list pagination is walked in full
(no early stop at known articles) and the discovery pages' validators, never saved by the
dead run, do not hide anything.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_trees import REPO, build_tree, crawl_cli, stored, write_manifest, write_site_files

pytestmark = pytest.mark.slow
ARTICLES = 160


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.parametrize("registry", [False, True], ids=["manifest", "site-registry"])
def test_kill_9_mid_crawl_then_rerun_stores_every_article_once(tmp_path: Path, registry: bool) -> None:
    tree = build_tree(tmp_path, "ndsoft", ARTICLES, rss=False, sitemap=False)
    write_manifest(tmp_path, [tree])
    sites = write_site_files(tmp_path / "sites", [tree]) if registry else None
    db = tmp_path / "index.sqlite"
    command = [sys.executable, "-m", "newsmine", "crawl", "--replay", str(tmp_path), "--db", str(db), "--json",
               "--no-nlp"] + (["--sites", str(sites)] if sites else [])
    victim = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "NEWSMINE_KNOWN_RUN_STOP": "3"})
    deadline = time.monotonic() + 300
    try:
        while _count(db) < 25:
            assert victim.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline, "no rows appeared"
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        if victim.poll() is None:
            victim.kill()
    killed_at = _count(db)
    assert 25 <= killed_at < ARTICLES, f"killed too late to prove anything ({killed_at} rows)"

    report = crawl_cli(tmp_path, db, sites=sites, env={"NEWSMINE_KNOWN_RUN_STOP": "3"})
    rows = stored(db)
    assert set(rows) == {a.url for a in tree.allowed}, "articles missing or extra after the rerun"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == ARTICLES
        assert conn.execute("SELECT COUNT(DISTINCT canonical_url) FROM articles").fetchone()[0] == ARTICLES
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = conn.execute("SELECT status FROM crawl_runs ORDER BY started_at").fetchall()
    assert [r[0] for r in runs] == ["running", "finished"], "the killed run should stay recorded as running"
    assert sum(s["new"] for s in report["sources"]) == ARTICLES - killed_at

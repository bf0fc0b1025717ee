"""Faults of the store and of the web a crawl meets (the reliability issue's defects 6, 7, 8
and 11): each fault stops, drops or refuses what it must, counts it for its source, and ends
in a report and an exit status, never a traceback. docs/reliability.md has the whole matrix."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NEWSMINE
from test_cli import assert_one_line_error

REPO = Path(__file__).resolve().parents[1]

# Runs `newsmine …` with the crawl's own store (the one opened while the reactor runs) limited
# to a few more SQLite pages than it holds: the disk "fills up" after some articles.
_FULL_DISK_RUNNER = """
import sys
import index

real_open = index.open_store

def open_store(url=None, **kw):
    store = real_open(url, **kw)
    reactor = sys.modules.get("twisted.internet.reactor")
    if reactor is not None and reactor.running:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + int(sys.argv[1])}")
    return store

index.open_store = open_store
from newsmine.cli import main
main(sys.argv[2:])
"""


def _record_line(url: str) -> str:
    return json.dumps({"url": url, "title": "제목", "body": "본문입니다. " * 5, "published_at": "2024-05-01"},
                      ensure_ascii=False)


def test_a_read_only_database_gives_one_line_and_exit_1_not_an_internal_error(tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    source = tmp_path / "a.jsonl"
    source.write_text(_record_line("https://example.kr/news/1") + "\n", encoding="utf-8")
    done = subprocess.run([*NEWSMINE, "ingest", str(source), "--db", str(db)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    source.write_text(_record_line("https://example.kr/news/2") + "\n", encoding="utf-8")
    read_only = f"file:{db}?mode=ro"      # chmod would not stop root: SQLite's own read-only mode
    done = subprocess.run([*NEWSMINE, "ingest", str(source), "--db", read_only], capture_output=True, text=True,
                          timeout=300)
    assert_one_line_error(done, 1)
    assert "cannot write to" in done.stderr and "readonly" in done.stderr

    from site_trees import build_tree, write_manifest

    archive = tmp_path / "archive"
    tree = build_tree(archive, "ndsoft", 3, rss=False, sitemap=False)
    write_manifest(archive, [tree])
    done = subprocess.run([*NEWSMINE, "crawl", "--replay", str(archive), "--db", read_only, "--no-nlp"],
                          capture_output=True, text=True, timeout=300)
    assert_one_line_error(done, 1)
    assert "cannot write to" in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1


@pytest.mark.slow
def test_a_full_disk_mid_crawl_stops_it_marks_the_run_failed_and_reports(tmp_path: Path) -> None:
    """The store fails after some articles: the crawl stops fetching, prints its report, names
    the error on one line and exits 1; the run is `failed`; the next run stores the rest once."""
    from site_trees import build_tree, crawl_cli, stored, write_manifest

    articles = 60
    tree = build_tree(tmp_path, "ndsoft", articles, rss=False, sitemap=False, draft=False)
    write_manifest(tmp_path, [tree])
    db = tmp_path / "index.sqlite"
    command = [sys.executable, "-c", _FULL_DISK_RUNNER, "12", "crawl", "--replay", str(tmp_path), "--db",
               str(db), "--json", "--no-nlp"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO, env={**os.environ})
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("newsmine: error: the crawl stopped, the store failed")
    assert "database or disk is full" in done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["finish_reason"] == "store_failed" and "disk is full" in report["store_error"]
    (source,) = report["sources"]
    assert source["errors"].get("store", 0) >= 1
    kept = len(stored(db))
    assert 0 < kept < articles and source["new"] == kept
    assert source["fetched"] < articles, "the crawl kept fetching after the store failed"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, finish_reason FROM crawl_runs").fetchall() == [
            ("failed", "store_failed")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    again = crawl_cli(tmp_path, db)        # disk space back: the rerun catches up, once each
    assert set(stored(db)) == {a.url for a in tree.allowed} and again["sources"][0]["new"] == articles - kept

"""kill -9 at random moments of `crawl`, `ingest` and `reindex`, on SQLite and PostgreSQL
(issue 13). tests/test_crawl_crash.py kills one crawl at a fixed point and checks how the
killed run is recorded; tests/test_distributed_reindex.py kills a worker of a shared reindex.
Here each writing command is killed three times in a row on each back end (`NEWSMINE_KILL_TRIALS`
for more: at five these two tests took over a quarter of the suite's time), at seeded random moments,
and rerun:

- a run starts and is killed with SIGKILL once it has written a random 1-3 more articles
  (or reindexed that many), plus a random 0-0.1 s;
- right after each kill the store must be whole: no article twice, search index rows =
  articles, every ingested article with its analysis (SQLite: integrity check, the search
  table mirroring the articles);
- the next run of the same command is the rerun (and the next trial); after the last kill
  the command runs to its end, and the store must equal a clean, uninterrupted run: the same
  articles and the same number of rows in every table.

The clean reference is one uninterrupted run into SQLite (an uninterrupted reindex leaves
an ingested store's counts as they are, and both back ends store the same rows). The two back
ends' trials run side by side, each driven from a thread of its own, to halve the time.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import NEWSMINE, REPO, require_service
from index import open_store
from index_backends import Backend, row_counts

sys.path.insert(0, str(REPO / "bench"))
from reindex_bench import seed_corpus  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.services]
SEED = 13
TRIALS = int(os.environ.get("NEWSMINE_KILL_TRIALS", "3"))
ENV = {**os.environ, "NEWSMINE_CPU_WORKERS": "0"}


def _peek(url: str, sql: str) -> Any:
    """One value read straight from the database, never creating anything (the victim may be
    creating its tables right now): 0 while there is no table yet, None when the read failed
    (the caller asks again)."""
    try:
        if url.startswith("postgresql"):
            import psycopg

            base, _, schema = url.rpartition("schema=")
            with psycopg.connect(base.rstrip("?&"), autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'SET search_path TO "{schema}"')
                row = conn.execute(sql).fetchone()
        else:
            if not Path(url).exists():
                return 0
            with sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=5) as conn:
                row = conn.execute(sql).fetchone()
    except Exception as error:  # noqa: BLE001
        return 0 if "no such table" in str(error) or "does not exist" in str(error) else None
    return row[0] if row else 0


def _articles(url: str) -> int | None:
    return _peek(url, "SELECT COUNT(*) FROM articles")


def _reindexed(url: str) -> int | None:
    value = _peek(url, "SELECT value FROM index_state WHERE key = 'reindex'")
    if value is None or value == 0:
        return value
    state = json.loads(value)
    return 0 if state.get("finished_at") else int(state["done"])


def _now(progress: Callable[[], int | None]) -> int:
    for _ in range(100):
        value = progress()
        if value is not None:
            return value
        time.sleep(0.05)
    raise AssertionError("the store could not be read")


def _whole(url: str, analysed: bool) -> dict[str, int]:
    """Checks that hold at any moment, killed or not; the store's row counts."""
    store = open_store(url)
    try:
        counts = row_counts(store)
        with store.read() as db:
            distinct = db.execute("SELECT COUNT(DISTINCT canonical_url) FROM articles").fetchone()[0]
            bare = db.execute("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
                              "(SELECT 1 FROM article_orgs o WHERE o.article_seq = a.seq)").fetchone()[0]
    finally:
        store.close()
    assert distinct == counts["articles"], f"{url}: an article stored twice"
    assert counts["search"] == counts["articles"], f"{url}: search rows {counts['search']} != articles"
    assert counts.get("meta_mismatch", 0) == 0, f"{url}: the search table does not mirror the articles"
    if analysed:
        assert bare == 0, f"{url}: {bare} article(s) stored without their analysis"
    if not url.startswith("postgresql"):
        with sqlite3.connect(url) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts.pop("meta_mismatch", None)
    return counts


def _kill_trials(command: list[str], progress: Callable[[], int | None], rng: random.Random, check: Callable[[], Any],
                 log: list[str]) -> None:
    """TRIALS runs of `command`, each killed after 1-3 more units of `progress`; `check` after each."""
    for trial in range(TRIALS):
        start = _now(progress)
        target = start + rng.randint(1, 3)
        extra = rng.uniform(0, 0.1)
        victim = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
        deadline = time.monotonic() + 300
        try:
            while (progress() or 0) < target:
                if victim.poll() is not None:
                    raise AssertionError(f"trial {trial}: the run ended before it was killed "
                                         f"(exit {victim.returncode}): {victim.stderr.read()[-2000:]!r}")
                assert time.monotonic() < deadline, f"trial {trial}: no progress"
                time.sleep(0.01)
            time.sleep(extra)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
        finally:
            if victim.poll() is None:
                victim.kill()
            victim.stderr.close()
        log.append(f"killed at {_now(progress)} (from {start}, target {target} + {extra:.2f} s)")
        check()


def _run(command: list[str]) -> str:
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900, env=ENV)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _on_both_backends(tmp_path: Path, trials: Callable[[str, str, list[str]], None], kills: int) -> None:
    """trials(back end, store URL, log) on SQLite and PostgreSQL at once, each from a thread of
    its own; the first failure is raised; each must have logged `kills` kills."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    backends = {}
    for name in ("sqlite", "postgresql"):
        (tmp_path / name).mkdir()
        backends[name] = Backend(name, tmp_path / name, __name__)
    logs: dict[str, list[str]] = {name: [] for name in backends}
    errors: dict[str, BaseException] = {}

    def run(name: str) -> None:
        try:
            trials(name, backends[name].url("killed"), logs[name])
        except BaseException as error:  # noqa: BLE001 — re-raised below
            errors[name] = error

    threads = [threading.Thread(target=run, args=(name,)) for name in backends]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for backend in backends.values():
            backend.cleanup()
    for name, error in errors.items():
        raise AssertionError(f"{name}: {error}") from error
    for name, lines in logs.items():
        assert len(lines) == kills, (name, lines)


def _common(counts: dict[str, int], reference: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if k in reference}


# ----------------------------------------------------------------------------- ingest, reindex

ARTICLES = 30


def test_kill_9_at_random_moments_of_ingest_then_reindex_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in seed_corpus(ARTICLES)),
                      encoding="utf-8")
    clean = str(tmp_path / "clean.sqlite")
    _run([*NEWSMINE, "ingest", str(corpus), "--db", clean])
    reference = _whole(clean, analysed=True)
    assert reference["articles"] == ARTICLES and reference["article_orgs"] >= ARTICLES

    def trials(name: str, url: str, log: list[str]) -> None:
        rng = random.Random(f"{SEED}-ingest-reindex-{name}")
        ingest = [*NEWSMINE, "ingest", str(corpus), "--db", url]
        _kill_trials(ingest, lambda: _articles(url), rng, lambda: _whole(url, analysed=True), log)
        assert 0 < _now(lambda: _articles(url)) < ARTICLES, "the kills left nothing for the rerun to do"
        _run(ingest)
        assert _common(_whole(url, analysed=True), reference) == reference, "ingest: counts differ from a clean run"

        reindex = [*NEWSMINE, "reindex", "--db", url, "--batch", "1"]
        _kill_trials(reindex, lambda: _reindexed(url), rng, lambda: _whole(url, analysed=True), log)
        assert 0 < _now(lambda: _reindexed(url)) < ARTICLES
        out = _run(reindex)
        assert out.startswith("continued"), out
        assert _common(_whole(url, analysed=True), reference) == reference, "reindex: counts differ from a clean run"

    _on_both_backends(tmp_path, trials, kills=2 * TRIALS)


# ----------------------------------------------------------------------------- crawl

PAGES = 80


def test_kill_9_at_random_moments_of_a_crawl_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    from site_trees import build_tree, write_manifest

    archive = tmp_path / "archive"
    tree = build_tree(archive, "ndsoft", PAGES, rss=False, sitemap=False, draft=False)
    write_manifest(archive, [tree])

    def crawl(url: str) -> list[str]:
        return [*NEWSMINE, "crawl", "--replay", str(archive), "--db", url, "--json", "--no-nlp"]

    clean = str(tmp_path / "clean.sqlite")
    _run(crawl(clean))
    reference = _whole(clean, analysed=False)
    assert reference["articles"] == PAGES

    def trials(name: str, url: str, log: list[str]) -> None:
        rng = random.Random(f"{SEED}-crawl-{name}")
        _kill_trials(crawl(url), lambda: _articles(url), rng, lambda: _whole(url, analysed=False), log)
        assert 0 < _now(lambda: _articles(url)) < PAGES
        report = json.loads(_run(crawl(url)).strip().splitlines()[-1])
        assert report["finish_reason"] == "finished"
        assert _common(_whole(url, analysed=False), reference) == reference, "crawl: counts differ from a clean run"
        store = open_store(url)
        try:
            with store.read() as db:
                urls = {r[0] for r in db.execute("SELECT canonical_url FROM articles").fetchall()}
        finally:
            store.close()
        assert urls == {a.url for a in tree.allowed}

    _on_both_backends(tmp_path, trials, kills=TRIALS)

"""The crawl's worker processes (pipelines/pool.py): the same rows as an in-process crawl,
a dead worker costs no page, and a crawl killed with SIGKILL leaves no worker behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPLAY, REPO
from index import open_store
from pipelines.pool import CpuPool

pytestmark = pytest.mark.slow


def _crawl(db: Path, workers: int) -> None:
    done = subprocess.run([sys.executable, "-m", "newsmine", "crawl", "--replay", str(REPLAY), "--db", str(db),
                           "--json"], capture_output=True, text=True, cwd=REPO, timeout=900,
                          env={**os.environ, "NEWSMINE_CPU_WORKERS": str(workers)})
    assert done.returncode == 0, done.stderr[-2000:]


def _contents(db: Path) -> tuple[dict, list]:
    store = open_store(str(db))
    try:
        records = {r["url"]: (r["title"], r["body"], r["published_at"], r["organizations"], r["achievements"])
                   for r in store.iter_records()}
    finally:
        store.close()
    with sqlite3.connect(db) as conn:
        terms = conn.execute(
            "SELECT a.url, f.title_t, f.body_t, f.title_c, f.body_c FROM article_fts f "
            "JOIN articles a ON a.seq = f.rowid ORDER BY a.url").fetchall()
    return records, terms


def test_worker_processes_store_what_one_process_stores(tmp_path: Path) -> None:
    _crawl(tmp_path / "pool.sqlite", 2)
    _crawl(tmp_path / "inline.sqlite", 0)
    pooled, pooled_terms = _contents(tmp_path / "pool.sqlite")
    inline, inline_terms = _contents(tmp_path / "inline.sqlite")
    assert len(pooled) >= 29
    assert pooled == inline  # text, dates, organisations and achievements
    assert pooled_terms == inline_terms  # the search terms computed in the workers
    assert any(orgs for _, _, _, orgs, _ in pooled.values())
    # the terms the NLP stage handed over are the ones the store would have computed
    from nlp.terms import analyze_many

    by_url = {url: (title, body) for url, (title, body, *_rest) in pooled.items()}
    for url, title_t, body_t, title_c, body_c in pooled_terms:
        title, body = analyze_many(by_url[url])
        assert (title_t, body_t, title_c, body_c) == (title.text(), body.text(),
                                                      title.compound_text(), body.compound_text()), url


def _dies_in_a_worker(value: int) -> int:
    if multiprocessing.current_process().name != "MainProcess":
        os._exit(3)  # a worker killed mid-page (the OOM killer, say)
    return value * 2


def _double(value: int) -> int:
    return value * 2


def test_a_dead_worker_costs_no_page() -> None:
    import asyncio

    pool = CpuPool(1)
    try:
        assert asyncio.run(pool.run(_dies_in_a_worker, 21)) == 42  # ran again here
        assert asyncio.run(pool.run(_double, 5)) == 10  # and a new pool took over
    finally:
        pool.close()


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_exit_when_the_crawl_is_killed(tmp_path: Path) -> None:
    victim = subprocess.Popen([sys.executable, "-m", "newsmine", "crawl", "--replay", str(REPLAY),
                               "--db", str(tmp_path / "k.sqlite"), "--json"], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "NEWSMINE_CPU_WORKERS": "2"})
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and victim.poll() is None:
            workers = [c for c in _children(victim.pid) if "spawn_main" in (Path("/proc") / str(c) / "cmdline")
                       .read_bytes().decode(errors="replace")]
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the crawl never started its workers"
    finally:
        victim.send_signal(signal.SIGKILL)
        victim.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.5)
    assert not any(_alive(w) for w in workers), "worker processes outlived the killed crawl"

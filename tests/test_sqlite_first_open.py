"""Several processes opening one new SQLite index at the same moment — two or three crawl
workers started together on one machine (`newsmine crawl --redis …` into one file): each must
get a ready store. While one process switches the new file to WAL, SQLite answers another's
`PRAGMA journal_mode = WAL` with `database is locked` at once, not after the busy timeout, so
the store asks again until the timeout has passed (index/sqlite._use_wal)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

import index.sqlite  # noqa: F401 — imported before the fork, so the children start opening together
from index import open_store


def _open_at(path: str, start: float, results) -> None:  # type: ignore[no-untyped-def]
    while time.time() < start:
        pass
    try:
        open_store(path).close()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 — reported by the parent
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_one_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    failures: list[str] = []
    for round_ in range(10):            # the race is a matter of timing: before the fix, a few rounds in ten lost one
        path = str(tmp_path / f"round{round_}.sqlite")
        results = context.Queue()
        start = time.time() + 0.3
        workers = [context.Process(target=_open_at, args=(path, start, results)) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        failures += [r for r in (results.get(timeout=10) for _ in workers) if r != "ok"]
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert failures == []

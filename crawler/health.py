"""Per-source crawl history (the crawl_runs table), so an operator sees which sources went quiet.

Each run writes one row per source when it starts (status `running`) and fills it in when it
ends. A row still `running` after a newer run began means the process died (kill -9, power
cut): the next run treats that source as interrupted and paginates fully to catch up.
The table lives beside the articles — in the SQLite file or the PostgreSQL schema — and is
written through the store's public `read()`/`write()` (the SQL both back ends speak), so a
team crawl into PostgreSQL keeps the same history as a single-machine one.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.run import SourceReport
    from index import Store

SILENT_RUNS = 3
_SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_runs (
    run_id TEXT NOT NULL,
    source TEXT NOT NULL,
    worker TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,            -- running | finished | failed | <Scrapy finish reason>
    finish_reason TEXT,
    pages_fetched INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    known_skipped INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '{}',   -- JSON {kind: count}
    duration_s REAL,
    PRIMARY KEY (run_id, source, worker));
CREATE INDEX IF NOT EXISTS crawl_runs_source ON crawl_runs (source, started_at);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class CrawlHistory:
    """crawl_runs in the store (SQLite or PostgreSQL), through its read/write transactions."""

    def __init__(self, store: "Store"):
        self.store = store
        with store.write() as db:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)

    def interrupted(self, sources: list[str]) -> set[str]:
        """Sources whose latest recorded run never finished (the process died, or the store
        failed and the crawl stopped early)."""
        from crawler.state import STORE_FAILED

        if not sources:
            return set()
        out = set()
        with self.store.read() as db:
            for source in sources:
                row = db.execute(
                    "SELECT status, finish_reason FROM crawl_runs WHERE source = ? "
                    "ORDER BY started_at DESC, run_id DESC LIMIT 1", (source,)).fetchone()
                if row is not None and (row[0] == "running" or row[1] == STORE_FAILED):
                    out.add(source)
        return out

    def start(self, run_id: str, worker: str, sources: list[str], started_at: str) -> None:
        with self.store.write() as db:
            db.executemany(
                "INSERT INTO crawl_runs (run_id, source, worker, started_at, status) "
                "VALUES (?, ?, ?, ?, 'running') ON CONFLICT (run_id, source, worker) DO NOTHING",
                [(run_id, s, worker, started_at) for s in dict.fromkeys(sources)])

    def finish(self, run_id: str, worker: str, started_at: str, finish_reason: str,
               reports: list["SourceReport"], duration_s: float) -> None:
        from crawler.state import STORE_FAILED

        ended = _now()
        run_failed = finish_reason == STORE_FAILED   # the store refused writes: no source finished
        with self.store.write() as db:
            for r in reports:
                status = "failed" if r.failed or run_failed else "blocked" if r.blocked else (
                    "finished" if finish_reason == "finished" else finish_reason)
                db.execute(
                    "INSERT INTO crawl_runs (run_id, source, worker, started_at, status) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (run_id, source, worker) DO NOTHING",
                    (run_id, r.source, worker, started_at, status))
                db.execute(
                    "UPDATE crawl_runs SET ended_at = ?, status = ?, finish_reason = ?, pages_fetched = ?, "
                    "new = ?, updated = ?, unchanged = ?, known_skipped = ?, not_modified = ?, errors = ?, "
                    "duration_s = ? WHERE run_id = ? AND source = ? AND worker = ?",
                    (ended, status, finish_reason, r.fetched, r.new, r.updated, r.unchanged,
                     r.known_skipped, r.not_modified, json.dumps(r.errors, sort_keys=True),
                     round(duration_s, 3), run_id, r.source, worker))
            # sources that were started but never answered (no stats at all): nothing fetched
            db.execute(
                "UPDATE crawl_runs SET ended_at = ?, status = ?, finish_reason = ?, duration_s = ? "
                "WHERE run_id = ? AND worker = ? AND status = 'running'",
                (ended, "failed" if run_failed else "finished" if finish_reason == "finished" else finish_reason,
                 finish_reason,
                 round(duration_s, 3), run_id, worker))

    def runs(self, source: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM crawl_runs"
        args: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            args.append(source)
        sql += " ORDER BY started_at DESC, run_id DESC, source, worker"
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self.store.read() as db:
            cursor = db.execute(sql, args)
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row)) for row in cursor.fetchall()]
        for row in rows:
            row["errors"] = json.loads(row["errors"] or "{}")
        return rows


@dataclass
class SourceHealth:
    source: str
    name: str | None = None
    runs: int = 0
    last_run: dict[str, Any] | None = None
    last_success: str | None = None          # started_at of the last run that was not a failure
    silent_runs: int = 0                      # consecutive latest finished runs with nothing new
    silent: bool = False
    interrupted: bool = False
    blocked: bool = False                     # its last run: robots.txt forbade every page asked for
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_health(history: CrawlHistory, names: dict[str, str], silent_after: int = SILENT_RUNS) -> list[SourceHealth]:
    """One entry per configured or previously crawled source, newest history first."""
    rows = history.runs()
    by_source: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(row)
    out = []
    for source in sorted(set(names) | set(by_source)):
        runs = _merge_workers(by_source.get(source, []))
        health = SourceHealth(source, names.get(source), runs=len(runs))
        if runs:
            health.last_run = runs[0]
            health.interrupted = runs[0]["status"] == "running"
            health.blocked = runs[0]["status"] == "blocked"
            if health.blocked:
                health.notes.append("blocked by robots.txt")
            success = next((r for r in runs if r["status"] == "finished"), None)
            health.last_success = success["started_at"] if success else None
            quiet = 0
            for run in runs:
                if run["status"] == "running":
                    continue
                if run["new"] + run["updated"] > 0:
                    break
                quiet += 1
            health.silent_runs = quiet
            health.silent = quiet >= silent_after
        else:
            health.notes.append("never crawled")
        out.append(health)
    return out


def _merge_workers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one source, one per run: a distributed run's workers are added together."""
    runs: dict[str, dict[str, Any]] = {}
    for row in rows:  # newest first
        run = runs.get(row["run_id"])
        if run is None:
            runs[row["run_id"]] = dict(row)
            continue
        for key in ("pages_fetched", "new", "updated", "unchanged", "known_skipped", "not_modified"):
            run[key] += row[key]
        for kind, count in row["errors"].items():
            run["errors"][kind] = run["errors"].get(kind, 0) + count
        if row["status"] == "running" or run["status"] == "running":
            run["status"] = "running"
        elif row["status"] == "finished" and run["status"] == "failed":
            run["status"] = "finished"
        run["started_at"] = min(run["started_at"], row["started_at"])
        run["ended_at"] = max(filter(None, (run["ended_at"], row["ended_at"])), default=None)
    return sorted(runs.values(), key=lambda r: r["started_at"], reverse=True)

"""Several processes opening one new PostgreSQL schema at the same moment — the first night of
a team crawl, every worker started by the same timer (docs/deploy.md): each must get a ready
store. PostgreSQL's `CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent twin (one
of them fails on pg_namespace's unique index), so the store creates the schema under the same
advisory lock as its migrations."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from conftest import require_service
from index import open_store
from index_backends import PG_URL, Backend

pytestmark = pytest.mark.services


def test_workers_opening_one_new_schema_at_once_all_succeed() -> None:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    import psycopg
    from psycopg import sql

    backend = Backend("postgresql", Path("."), "first_open")   # new schema names, dropped after
    errors: list[str] = []
    try:
        for round_ in range(4):           # a few rounds: the race is a matter of timing
            url = backend.url(f"round{round_}")
            start = threading.Barrier(6)

            def open_one() -> None:
                start.wait()
                try:
                    open_store(url).close()
                except Exception as exc:  # noqa: BLE001 — collected and shown below
                    errors.append(f"{type(exc).__name__}: {exc}")

            threads = [threading.Thread(target=open_one) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        assert errors == []
        from index.pg_schema import SCHEMA_VERSION

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            for schema in backend.schemas:
                version = conn.execute(sql.SQL("SELECT version FROM {}.schema_version").format(
                    sql.Identifier(schema))).fetchall()
                assert version == [(SCHEMA_VERSION,)]   # migrated once, to the end
    finally:
        backend.cleanup()

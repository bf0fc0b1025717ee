"""Several processes opening one new PostgreSQL schema at the same moment — the first night of
a team crawl, every worker started by the same timer (docs/deploy.md): each must get a ready
store. PostgreSQL's `CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent twin (one
of them fails on pg_namespace's unique index), so the store creates the schema under the same
advisory lock as its migrations."""

from __future__ import annotations

import threading
import uuid

import pytest

from conftest import require_service
from index import open_store
from index_backends import PG_URL

pytestmark = pytest.mark.services


def test_workers_opening_one_new_schema_at_once_all_succeed() -> None:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    import psycopg
    from psycopg import sql

    schemas = [f"nm_first_open_{uuid.uuid4().hex[:8]}" for _ in range(4)]
    errors: list[str] = []
    try:
        for schema in schemas:           # a few rounds: the race is a matter of timing
            url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}"
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
            for schema in schemas:
                version = conn.execute(sql.SQL("SELECT version FROM {}.schema_version").format(
                    sql.Identifier(schema))).fetchall()
                assert version == [(SCHEMA_VERSION,)]   # migrated once, to the end
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            for schema in schemas:
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))

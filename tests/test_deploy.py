"""docs/deploy.md's backup and restore, run as written: `pg_dump` of one newsmine schema,
`pg_restore` into a new database, and the restored index answers as the original did and
takes new articles."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from index import open_store
from index.postgres import split_url
from index_backends import PG_URL, Backend, backend_for, row_counts


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    yield from backend_for("postgresql", tmp_path_factory, __name__)


def _record(n: int) -> dict:
    body = f"㈜한빛정밀은 {n}일 전북특별자치도와 20억 원 규모의 납품 계약을 맺었다."
    return {"url": f"https://example.kr/news/{n}", "title": f"한빛정밀 계약 {n}", "body": body,
            "published_at": f"2024-05-{n:02d}", "outlet": "예시일보",
            "organizations": [{"name": "한빛정밀", "kind": "firm", "surface": ["㈜한빛정밀"], "mentions": [[0, 5]]}],
            "achievements": [{"type": "contract", "organization": "한빛정밀",
                              "amount": {"value": 2_000_000_000, "unit": "KRW", "approximate": False}}]}


def test_pg_dump_and_restore_of_one_schema(pg: Backend, tmp_path: Path) -> None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("the PostgreSQL client tools (pg_dump, pg_restore) are not installed")
    import psycopg
    from psycopg import sql

    url = pg.url("original")
    store = open_store(url)
    try:
        store.upsert_many([_record(n) for n in range(1, 6)])
        before, hits = row_counts(store), store.search("한빛정밀", limit=10)
    finally:
        store.close()
    server, schema = split_url(url)
    dump = tmp_path / "newsmine.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--schema={schema}", f"--file={dump}", server],
                   check=True, capture_output=True, timeout=120)

    restored_db = f"nm_restore_{uuid.uuid4().hex[:8]}"
    base = PG_URL.rsplit("/", 1)[0]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(restored_db)))
    try:
        # the search index's trigram extension lives in `public`, outside the dumped schema
        with psycopg.connect(f"{base}/{restored_db}", autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        done = subprocess.run(["pg_restore", "--exit-on-error", f"--dbname={base}/{restored_db}", str(dump)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        restored = open_store(f"{base}/{restored_db}?schema={schema}")
        try:
            assert row_counts(restored) == before
            again = restored.search("한빛정밀", limit=10)
            assert again["total"] == hits["total"] == 5
            assert [h["id"] for h in again["hits"]] == [h["id"] for h in hits["hits"]]
            assert restored.upsert_many([_record(6)])["new"] == 1  # the sequences came along
        finally:
            restored.close()
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(restored_db)))

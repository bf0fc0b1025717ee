"""The team back end runs what the single-machine one runs: a crawl into PostgreSQL, the
crawl history and `sources` there, and schemas that stay apart even when `public` holds a
store of its own."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from conftest import require_service
from index import open_store
from index_backends import PG_URL

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay"


def _with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


@pytest.fixture(scope="module")
def scratch_db() -> Iterator[str]:
    """A database of its own: its `public` may hold a newsmine store without touching others."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    import psycopg
    from psycopg import sql

    name = f"nm_isolation_{uuid.uuid4().hex[:8]}"
    base = PG_URL.rsplit("/", 1)[0]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _article(n: int) -> dict:
    return {"url": f"https://example.kr/news/{n}", "title": f"기사 {n}", "body": f"㈜한빛정밀은 계약을 맺었다. 본문 {n}.",
            "published_at": "2024-05-01", "outlet": "예시일보"}


def _count(url: str) -> int:
    store = open_store(url)
    try:
        with store.read() as db:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    finally:
        store.close()


def test_schemas_stay_apart_when_public_holds_a_store(scratch_db: str) -> None:
    public = open_store(scratch_db)               # a store in `public` first: the old trap
    public.upsert_many([_article(1)])
    public.close()
    team_a, team_b = _with_schema(scratch_db, "team_a"), _with_schema(scratch_db, "team_b")
    a = open_store(team_a)
    a.upsert_many([_article(2), _article(3)])
    a.close()
    assert (_count(scratch_db), _count(team_a), _count(team_b)) == (1, 2, 0)


def _newsmine(*args: str) -> subprocess.CompletedProcess:
    """The CLI in its own process (Scrapy's reactor runs once per process)."""
    return subprocess.run([sys.executable, "-m", "newsmine", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_crawl_into_postgresql_equals_the_sqlite_crawl(scratch_db: str, tmp_path: Path) -> None:
    pg = _with_schema(scratch_db, "crawl")
    sqlite = str(tmp_path / "crawl.sqlite")
    for db in (pg, sqlite):
        result = _newsmine("crawl", "--replay", str(REPLAY), "--db", db, "--json")
        assert result.returncode == 0, result.stderr[-2000:]
    urls = {}
    for db in (pg, sqlite):
        store = open_store(db)
        try:
            with store.read() as conn:
                urls[db] = {row[0] for row in conn.execute("SELECT canonical_url FROM articles").fetchall()}
        finally:
            store.close()
    assert urls[pg] == urls[sqlite] and len(urls[pg]) >= 25
    # the crawl history is kept there too: `sources` reads it, a re-crawl stores nothing new
    sources = _newsmine("sources", "--db", pg, "--json")
    assert sources.returncode == 0, sources.stderr[-2000:]
    assert any(row["runs"] > 0 and row["last_success"] for row in json.loads(sources.stdout)["sources"])
    again = _newsmine("crawl", "--replay", str(REPLAY), "--db", pg, "--json")
    assert again.returncode == 0 and _count(pg) == len(urls[pg])

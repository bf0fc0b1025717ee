"""Run the index tests against both back ends: SQLite files and PostgreSQL schemas.

A test module asks for `backend` (module-scoped, parametrised over "sqlite" and
"postgresql") and opens stores with `backend.open(label)`: a new SQLite file, or a new
schema in the PostgreSQL database (NEWSMINE_TEST_PG, default the CI server's `test`
database). Every schema a module created is dropped when the module finishes, so parallel
runs and developers sharing the server never see each other's tables. Without a server the
PostgreSQL half skips — or fails under NEWSMINE_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import require_service
from index import open_store

PG_URL = os.environ.get("NEWSMINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


class Backend:
    """Fresh, isolated stores of one kind for one test module."""

    def __init__(self, name: str, tmp: Path, module: str) -> None:
        self.name = name
        self.tmp = tmp
        self.prefix = "nm_" + re.sub(r"\W", "_", module)[-20:] + f"_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.schemas: list[str] = []

    def url(self, label: str) -> str:
        """The URL of the store called `label` (the same label gives the same store)."""
        label = re.sub(r"\W", "_", label)
        if self.name == "sqlite":
            return str(self.tmp / f"{label}.sqlite")
        schema = f"{self.prefix}_{label}"[:63]
        if schema not in self.schemas:
            self.schemas.append(schema)
        return f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}"

    def open(self, label: str | None = None, **kwargs: Any) -> Any:
        return open_store(self.url(label or uuid.uuid4().hex[:8]), **kwargs)

    def cleanup(self) -> None:
        if not self.schemas:
            return
        import psycopg
        from psycopg import sql

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            for schema in self.schemas:
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def make_backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """Body of a parametrised `backend` fixture."""
    yield from backend_for(request.param, tmp_path_factory, request.module.__name__)


def backend_for(name: str, tmp_path_factory: pytest.TempPathFactory, module: str) -> Iterator[Backend]:
    if name == "postgresql":
        require_service("PostgreSQL", "127.0.0.1", 5432)
    backend = Backend(name, tmp_path_factory.mktemp(name), module)
    try:
        yield backend
    finally:
        backend.cleanup()


def _v11_search_columns(store: Any, db: Any, seq: int, terms: list, replace: bool, facets: tuple) -> None:
    """How PostgreSQL schema v11 and older kept an article's terms: a tsvector in its row."""
    from index.pg_schema import GAP, TSV_SQL

    title, body = terms
    db.execute(f"UPDATE articles SET tsv = {TSV_SQL}, org_names = ?, achievement_types = ?, region = ? WHERE seq = ?",
               (title.text(), f"{GAP} {body.text()}", f"{GAP} {title.compound_text()}",
                f"{GAP} {body.compound_text()}", *facets, seq))


def _v14_search_columns(store: Any, db: Any, seq: int, terms: list, replace: bool, facets: tuple) -> None:
    """How SQLite schema v14 and older kept an article's terms: four FTS5 columns, no facet tokens."""
    if replace:
        db.execute("DELETE FROM article_fts WHERE rowid = ?", (seq,))
    title, body = terms
    db.execute("INSERT INTO article_fts (rowid, title_t, body_t, title_c, body_c) VALUES (?, ?, ?, ?, ?)",
               (seq, title.text(), body.text(), title.compound_text(), body.compound_text()))
    db.execute("UPDATE articles SET org_names = ?, achievement_types = ?, region = ? WHERE seq = ?", (*facets, seq))


def older_sqlite_search_writes(patch: pytest.MonkeyPatch) -> None:
    """SQLiteStore writes terms as schema v14 did, so tests can run today's write path on an
    older schema and open it with today's code (which adds the facet tokens)."""
    from index.sqlite import SQLiteStore

    patch.setattr(SQLiteStore, "_write_search_columns", _v14_search_columns)


def older_fold_writes(patch: pytest.MonkeyPatch) -> None:
    """The write path folds achievements as before the ranks among agreeing copies (SQLite v16,
    PostgreSQL v16), so it can write into an older schema."""
    from index import folds

    refold = folds.refold
    patch.setattr(folds, "refold", lambda *args, **kwargs: refold(*args, **{**kwargs, "ranks": ()}))


def older_pg_search_writes(patch: pytest.MonkeyPatch) -> None:
    """PostgresStore writes terms as schema v11 did (no article_search before v12), so tests can
    run today's write path on an older schema and open it with today's code."""
    from index.postgres import PostgresStore

    patch.setattr(PostgresStore, "_write_search_columns", _v11_search_columns)
    patch.setattr(PostgresStore, "_sync_search_meta", lambda store, db, seq: None)


def row_counts(store: Any) -> dict[str, int]:
    """Rows per table (and indexed texts), to prove an operation wrote nothing."""
    tables = ["articles", "article_versions", "article_urls", "organizations", "article_orgs",
              "mentions", "achievements", "story_bands", "story_signatures", "org_aliases"]
    with store._read() as db:
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
        if type(store).__name__ == "SQLiteStore":
            counts["search"] = db.execute("SELECT COUNT(*) FROM article_fts").fetchone()[0]
            # search reads article_meta: it must mirror articles exactly
            counts["meta_mismatch"] = db.execute(
                "SELECT COUNT(*) FROM articles a LEFT JOIN article_meta m ON m.seq = a.seq "
                "WHERE m.seq IS NULL OR m.story_id IS NOT a.story_id OR m.published_at IS NOT a.published_at "
                "OR m.outlet IS NOT a.outlet OR m.source IS NOT a.source OR m.org_names IS NOT a.org_names "
                "OR m.achievement_types IS NOT a.achievement_types OR m.kind IS NOT a.kind").fetchone()[0]
            counts["meta_mismatch"] += db.execute(
                "SELECT COUNT(*) FROM article_meta WHERE seq NOT IN (SELECT seq FROM articles)").fetchone()[0]
        else:
            counts["search"] = db.execute(
                "SELECT COUNT(*) FROM article_search WHERE tsv <> ''::tsvector").fetchone()[0]
            # search reads article_search: one row per article, its copies equal to the article's
            counts["meta_mismatch"] = db.execute(
                "SELECT COUNT(*) FROM articles a FULL JOIN article_search m ON m.seq = a.seq "
                "WHERE m.seq IS NULL OR a.seq IS NULL OR m.story_id IS DISTINCT FROM a.story_id "
                "OR m.published_at IS DISTINCT FROM a.published_at OR m.outlet IS DISTINCT FROM a.outlet "
                "OR m.source IS DISTINCT FROM a.source OR m.org_names IS DISTINCT FROM a.org_names "
                "OR m.achievement_types IS DISTINCT FROM a.achievement_types OR m.kind IS DISTINCT FROM a.kind "
                "OR m.region IS DISTINCT FROM a.region"
            ).fetchone()[0]
    return counts

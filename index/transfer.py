"""Copy a SQLite index into an empty PostgreSQL one, table by table, without re-analysing.

Who needs it: a user who started on the single-machine default and moves to the team set-up
(docs/deploy.md). Everything the SQLite index holds is derived already — organisations resolved,
stories joined, achievements folded, facet counts kept — and the two schemas hold it in the same
tables and columns (a test keeps them so), so the copy is `COPY` per table rather than the write
path (thirty statements an article, 50–125 articles/s: three to six hours per million).

How it stays safe: one transaction on the target. The secondary indexes are dropped and built
again after the rows are in (one sort instead of a million inserts each); the achievements'
count triggers are switched off while their counts are copied as they are; the identity
sequences are moved past the copied ids. Any failure rolls all of it back, leaving the target
as empty as it was. The target must be empty: a copy never merges into another index. The
search rows PostgreSQL alone keeps (`article_search`: the tsvector of the Kiwi terms) are built
in the database from the terms FTS5 stores, so no text is analysed again.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from index.base import StoreError
from index.folds import RANKS, rank_counts_table

# Parents before children (foreign keys are checked row by row during COPY).
# Counted by the triggers on `achievements` on PostgreSQL and copied as they are.
COUNT_TABLES = ("achievement_facets", "achievement_amounts", *(rank_counts_table(name) for name, _ in RANKS))
TABLES = (
    "articles", "organizations", "article_urls", "article_versions", "article_orgs", "mentions",
    "achievements", *COUNT_TABLES, "story_signatures", "story_bands",
    "org_aliases", "release_links", "fetch_state", "index_state", "watches",
)
# Identity columns whose sequence must continue after the copied ids.
IDENTITIES = (("articles", "seq"), ("organizations", "id"), ("article_versions", "id"), ("mentions", "id"))
# Tables each side keeps for itself: FTS5 and its trigram twin, search's narrow copy, the month
# spans; `article_search` is built from the terms instead.
OWN_TABLES = {"sqlite": {"article_fts", "org_trgm", "article_meta", "seq_by_month", "sqlite_stat1"},
              "postgresql": {"article_search"}}

Progress = Callable[[str, int, int], None]  # (table, rows copied, rows in all)


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {n: [c[1] for c in conn.execute(f'PRAGMA table_info("{n}")')] for n in names}


def postgres_tables(conn: Any) -> dict[str, list[str]]:
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position").fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def shared_columns(source: dict[str, list[str]], target: dict[str, list[str]]) -> dict[str, list[str]]:
    """The columns copied per table: those both sides have, in the target's order."""
    return {t: [c for c in target[t] if c in source.get(t, ())] for t in TABLES}


def copy_sqlite_to_postgres(sqlite_url: str, postgres_url: str, progress: Progress | None = None) -> dict[str, Any]:
    """Copy the SQLite index at `sqlite_url` into the empty PostgreSQL index at `postgres_url`.

    Both are opened (and so migrated to this code's schemas) first. Returns rows per table and
    the seconds taken. StoreError with one line when a side cannot be used."""
    from index import missing_store, open_store
    from index.postgres import PostgresStore
    from index.sqlite import SQLiteStore

    started = time.perf_counter()
    missing = missing_store(sqlite_url)
    if missing is not None:
        raise StoreError(f"no SQLite index at {missing}")
    source = open_store(sqlite_url)
    try:
        if not isinstance(source, SQLiteStore):
            raise StoreError(f"the copy reads a SQLite index; {sqlite_url} is not one")
        if source.path == ":memory:" or source.path.startswith("file:"):
            raise StoreError("the copy reads a SQLite index from a file path")
        path = Path(source.path).expanduser()
    finally:
        source.close()
    target = open_store(postgres_url)
    try:
        if not isinstance(target, PostgresStore):
            raise StoreError(f"the copy writes a PostgreSQL index; {postgres_url} is not one")
        reader = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            reader.execute("BEGIN")  # one snapshot of every table, even while a crawl writes
            rows = _copy(reader, target, progress or (lambda *_: None))
        finally:
            reader.close()
        _vacuum(target)
    finally:
        target.close()
    return {"tables": rows, "articles": rows["articles"], "seconds": round(time.perf_counter() - started, 1)}


def _copy(reader: sqlite3.Connection, target: Any, progress: Progress) -> dict[str, int]:
    with target._write() as db:
        conn = db.conn
        held = conn.execute("SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM organizations) "
                            "+ (SELECT count(*) FROM watches) + (SELECT count(*) FROM fetch_state)").fetchone()[0]
        if held:
            raise StoreError(f"the PostgreSQL index {target.url}{_schema(target)} is not empty; "
                             "copy into a new one (another ?schema=NAME)")
        columns = shared_columns(sqlite_tables(reader), postgres_tables(conn))
        conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
        indexes = _drop_secondary_indexes(conn)
        conn.execute("ALTER TABLE achievements DISABLE TRIGGER USER")
        counts: dict[str, int] = {}
        for table in TABLES:
            counts[table] = _copy_table(reader, conn, table, columns[table], progress)
        conn.execute("ALTER TABLE achievements ENABLE TRIGGER USER")
        counts["article_search"] = _search_rows(reader, conn, progress)
        for table, column in IDENTITIES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                         f"GREATEST((SELECT max({column}) FROM {table}), 1), "
                         f"(SELECT max({column}) FROM {table}) IS NOT NULL)")
        for name, definition in indexes:
            progress(f"index {name}", 0, 1)
            conn.execute(definition)
            progress(f"index {name}", 1, 1)
    return counts


def _schema(target: Any) -> str:
    return f"?schema={target.schema}" if target.schema else ""


def _drop_secondary_indexes(conn: Any) -> list[tuple[str, str]]:
    """Drop the indexes no constraint needs (built again after the copy); their definitions."""
    rows = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c JOIN pg_class x ON x.oid = c.conindid "
        "  WHERE x.relname = i.indexname AND x.relnamespace = c.connamespace)").fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [(name, definition) for name, definition in rows]


def _batches(cursor: sqlite3.Cursor, size: int = 2000) -> Iterator[list[tuple]]:
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            return
        yield rows


def _copy_table(reader: sqlite3.Connection, conn: Any, table: str, columns: list[str], progress: Progress) -> int:
    names = ", ".join(f'"{c}"' for c in columns)
    return _stream(reader, conn, table, f'FROM "{table}"', names, f"COPY {table} ({names}) FROM STDIN", progress)


def _stream(reader: sqlite3.Connection, conn: Any, label: str, source: str, columns: str, copy_sql: str,
            progress: Progress) -> int:
    """`SELECT columns <source>` on SQLite into `copy_sql` on PostgreSQL, in batches (memory
    stays bounded whatever the table's size); the rows copied."""
    total = reader.execute(f"SELECT count(*) {source}").fetchone()[0]
    progress(label, 0, total)
    if not total:
        return 0
    done = 0
    with conn.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for rows in _batches(reader.execute(f"SELECT {columns} {source}")):
            for row in rows:
                copy.write_row(row)
            done += len(rows)
            progress(label, done, total)
    return done


def _search_rows(reader: sqlite3.Connection, conn: Any, progress: Progress) -> int:
    """`article_search`: each article's copied columns and the tsvector of its FTS5 terms, made
    in the database as the write path makes it (index/pg_schema.TSV_SQL)."""
    from index.pg_schema import GAP, SEARCH_COPIED, TSV_SQL

    conn.execute("CREATE TEMP TABLE transfer_terms (seq BIGINT PRIMARY KEY, title_t TEXT, body_t TEXT, "
                 "title_c TEXT, body_c TEXT) ON COMMIT DROP")
    _stream(reader, conn, "terms", "FROM article_fts", "rowid, title_t, body_t, title_c, body_c",
            "COPY transfer_terms FROM STDIN", progress)
    parts = iter(["coalesce(t.title_t, '')", f"'{GAP} ' || coalesce(t.body_t, '')",
                  f"'{GAP} ' || coalesce(t.title_c, '')", f"'{GAP} ' || coalesce(t.body_c, '')"])
    tsv = "".join(next(parts) if ch == "?" else ch for ch in TSV_SQL)
    selected = ", ".join(f"a.{c.strip()}" for c in SEARCH_COPIED.split(","))
    progress("article_search", 0, 1)
    inserted = conn.execute(f"INSERT INTO article_search ({SEARCH_COPIED}, tsv) SELECT {selected}, {tsv} "
                            "FROM articles a LEFT JOIN transfer_terms t ON t.seq = a.seq").rowcount
    progress("article_search", 1, 1)
    return inserted


def _vacuum(target: Any) -> None:
    """Statistics and visibility maps for the copied tables (outside the copy's transaction:
    VACUUM cannot run in one); counting by index-only scans needs the latter."""
    with target._lock:
        for table in (*TABLES, "article_search"):
            target.conn.execute(f"VACUUM (ANALYZE) {table}")

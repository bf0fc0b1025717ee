"""`newsmine copy`: a SQLite index copied into an empty PostgreSQL one holds what the SQLite
index held, answers searches as it did, builds the search rows the write path would have
built, takes new articles afterwards, and leaves the target empty when it fails."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pytest

from index import StoreError, open_store
from index.transfer import COUNT_TABLES, OWN_TABLES, TABLES, copy_sqlite_to_postgres, postgres_tables, sqlite_tables
from index_backends import Backend, backend_for
from newsmine.watches import add_watch
from surfaces_fixtures import ALL, XSS_ARTICLE, achievement, record
from test_cli import assert_one_line_error, run

QUERIES = ["한빛정밀", "계약", "수출 계약", '"공급 계약"', "type:contract", "firm:한빛정밀", "org:새벽소프트",
           "outlet:익산투데이", "from:2024-08-01 계약", "선정 OR 수출", "계약 -수출"]


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    yield from backend_for("postgresql", tmp_path_factory, __name__)


def _records() -> list[dict[str, Any]]:
    revised = dict(ALL[0], body=ALL[0]["body"] + " 회사는 내년에도 납품을 이어간다.")
    return [dict(r) for r in ALL] + [dict(XSS_ARTICLE), revised]


def _fill(url: str) -> None:
    store = open_store(url)
    try:
        for item in _records():  # one at a time, as a crawl writes: the revision makes a version
            store.upsert_many([item])
        add_watch(store, "contracts", "계약")
    finally:
        store.close()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("transfer") / "news.sqlite"
    _fill(str(path))
    return path


@pytest.fixture(scope="module")
def copied(pg: Backend, source: Path) -> tuple[str, dict[str, Any]]:
    url = pg.url("copied")
    result = copy_sqlite_to_postgres(str(source), url)
    return url, result


def _normal(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _rows(conn: Any, table: str, columns: list[str]) -> list[tuple]:
    names = ", ".join(f'"{c}"' for c in columns)
    return sorted((tuple(_normal(v) for v in row) for row in conn.execute(f"SELECT {names} FROM {table}").fetchall()),
                  key=repr)


def test_every_shared_table_is_copied_with_every_column(pg: Backend, tmp_path: Path) -> None:
    """A table or column added to one schema and not the other would be lost silently."""
    lite = open_store(str(tmp_path / "empty.sqlite"))
    lite.close()
    target = open_store(pg.url("schemas"))
    try:
        with sqlite3.connect(tmp_path / "empty.sqlite") as conn:
            lite_tables = sqlite_tables(conn)
        with target._read() as db:
            pg_tables = postgres_tables(db.conn)
    finally:
        target.close()
    shared = {t for t in lite_tables if t in pg_tables} - {"schema_version"}
    assert shared == set(TABLES)
    for table in TABLES:
        missing = [c for c in pg_tables[table] if c not in lite_tables[table]]
        assert missing == (["id"] if table == "mentions" else []), table  # mentions.id: generated
    own = {t for t in lite_tables if t not in pg_tables and not t.startswith(("article_fts_", "org_trgm_"))}
    assert own == OWN_TABLES["sqlite"]
    assert {t for t in pg_tables if t not in lite_tables} == OWN_TABLES["postgresql"]


def test_the_copy_holds_every_row_of_the_sqlite_index(copied: tuple[str, dict[str, Any]], source: Path) -> None:
    url, result = copied
    store = open_store(url)
    try:
        with store._read() as db, sqlite3.connect(source) as lite:
            columns = {t: [c for c in cols if c != "id" or t != "mentions"] for t, cols in postgres_tables(db.conn).items()}
            for table in TABLES:
                expected = _rows(lite, table, columns[table])
                assert _rows(db.conn, table, columns[table]) == expected, table
                assert result["tables"][table] == len(expected)
            assert result["articles"] == len(_records()) - 1  # the revision is a version, not an article
            assert db.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 1
    finally:
        store.close()


def test_the_search_rows_are_those_the_write_path_makes(pg: Backend, copied: tuple[str, dict[str, Any]]) -> None:
    """tsvectors and facet counts as a PostgreSQL index filled article by article has them."""
    written_url = pg.url("written")
    _fill(written_url)
    copy, written = open_store(copied[0]), open_store(written_url)
    try:
        def search_rows(store: Any) -> dict[str, Any]:
            with store._read() as db:
                rows = db.execute("SELECT a.id, s.tsv::text, s.story_id, s.org_names, s.achievement_types, s.region "
                                  "FROM article_search s JOIN articles a ON a.seq = s.seq").fetchall()
                counts = {t: sorted(map(tuple, db.conn.execute(f"SELECT * FROM {t}").fetchall()), key=repr)
                          for t in COUNT_TABLES}
            return {"rows": sorted(rows), "counts": counts}

        assert search_rows(copy) == search_rows(written)
    finally:
        copy.close()
        written.close()


def test_the_copy_answers_every_query_as_the_sqlite_index(copied: tuple[str, dict[str, Any]], source: Path) -> None:
    lite, copy = open_store(str(source)), open_store(copied[0])
    try:
        for query in QUERIES:
            # relevance is bm25 on one side and ts_rank on the other: the same hits, and in the
            # same order where the order is the index's own (newest first)
            a, b = lite.search(query, limit=20), copy.search(query, limit=20)
            assert a["total"] == b["total"], query
            assert sorted(h["id"] for h in a["hits"]) == sorted(h["id"] for h in b["hits"]), query
            a, b = lite.search(query, limit=20, sort="recency"), copy.search(query, limit=20, sort="recency")
            assert [h["id"] for h in a["hits"]] == [h["id"] for h in b["hits"]], query
        assert lite.search("계약", limit=1)["total"] > 0
    finally:
        lite.close()
        copy.close()


def test_the_copy_takes_new_articles(pg: Backend, source: Path) -> None:
    url = pg.url("growing")
    copy_sqlite_to_postgres(str(source), url)
    store = open_store(url)
    try:
        with store._read() as db:
            before_max = db.execute("SELECT max(seq) FROM articles").fetchone()[0]
            orgs = db.execute("SELECT count(*) FROM organizations").fetchone()[0]
            facets = db.execute("SELECT coalesce(sum(n), 0) FROM achievement_facets WHERE type = 'contract'").fetchone()[0]
        body = "㈜새벽소프트는 군산시와 5억 원 규모의 관제 시스템 구축 계약을 맺었다고 3일 밝혔다."
        item = record("https://new.example/a/1", "익산투데이", "새벽소프트 관제 시스템 계약", body,
                      "2024-11-03T09:00:00+09:00", [("새벽소프트", "firm", "㈜새벽소프트")],
                      [achievement("contract", "새벽소프트", body, body)])
        assert store.upsert_many([item])["new"] == 1
        with store._read() as db:
            assert db.execute("SELECT max(seq) FROM articles").fetchone()[0] == before_max + 1
            assert db.execute("SELECT count(*) FROM organizations").fetchone()[0] == orgs  # known names reused
            after = db.execute("SELECT coalesce(sum(n), 0) FROM achievement_facets WHERE type = 'contract'").fetchone()[0]
        assert after > facets  # the count triggers are on again
        assert store.search("관제 시스템", limit=5)["total"] == 1
    finally:
        store.close()


def test_a_failed_copy_leaves_the_target_empty(pg: Backend, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import index.transfer as transfer

    url = pg.url("failed")
    store = open_store(url)
    with store._read() as db:
        indexes = db.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()").fetchone()[0]
    store.close()
    real = transfer._copy_table

    def failing(reader: Any, conn: Any, table: str, columns: list[str], progress: Any) -> int:
        if table == "achievements":
            raise StoreError("disk full")
        return real(reader, conn, table, columns, progress)

    monkeypatch.setattr(transfer, "_copy_table", failing)
    with pytest.raises(StoreError, match="disk full"):
        copy_sqlite_to_postgres(str(source), url)
    monkeypatch.undo()
    store = open_store(url)
    try:
        with store._read() as db:
            assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
            assert db.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()").fetchone()[0] == indexes
    finally:
        store.close()
    assert copy_sqlite_to_postgres(str(source), url)["articles"] > 0  # and a second run completes


def test_cli_copies_and_refuses_what_it_cannot_do(pg: Backend, source: Path, tmp_path: Path) -> None:
    url = pg.url("cli")
    done = run("copy", "--db", str(source), "--to", url, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tables"]["achievements"] > 0

    again = run("copy", "--db", str(source), "--to", url)
    assert_one_line_error(again, 1)
    assert "is not empty" in again.stderr

    missing = run("copy", "--db", str(tmp_path / "none.sqlite"), "--to", pg.url("other"))
    assert_one_line_error(missing, 2)
    assert "no index at" in missing.stderr

    wrong = run("copy", "--db", str(source), "--to", str(tmp_path / "x.sqlite"))
    assert_one_line_error(wrong, 2)
    assert "postgresql://" in wrong.stderr and not (tmp_path / "x.sqlite").exists()


@pytest.mark.slow
def test_a_crawled_and_traced_index_is_copied_whole(pg: Backend, tmp_path: Path) -> None:
    """Real crawl output — press releases with their attachments' text and header, rewrites on
    four outlets, fetch validators, release links — copied, and read back the same."""
    from test_tracing import ARCHIVE

    lite = str(tmp_path / "rewrites.sqlite")
    crawled = run("crawl", "--replay", str(ARCHIVE), "--db", lite, "--json")
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    traced = run("trace", "--db", lite, "--json")
    assert json.loads(traced.stdout)["links"] == 7
    url = pg.url("rewrites")
    copy_sqlite_to_postgres(lite, url)
    store = open_store(url)
    try:
        with store._read() as db, sqlite3.connect(lite) as conn:
            columns = postgres_tables(db.conn)
            for table in TABLES:
                wanted = [c for c in columns[table] if not (table == "mentions" and c == "id")]
                assert _rows(db.conn, table, wanted) == _rows(conn, table, wanted), table
            assert db.execute("SELECT count(*) FROM release_links").fetchone()[0] == 7
    finally:
        store.close()
    # relevance is each back end's own (bm25, ts_rank): searches are compared newest first
    for command in (["releases", "pickup", "--issuer", "예시군", "--json"], ["search", "투자", "--sort", "recent", "--json"],
                    ["stats", "--json"], ["achievements", "--json"]):
        a, b = run(*command, "--db", lite), run(*command, "--db", url)
        assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)
        assert json.loads(a.stdout) == json.loads(b.stdout), command

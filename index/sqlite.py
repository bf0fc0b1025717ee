"""The SQLite back end: one file, WAL, FTS5 over Kiwi terms, stories by LSH bands.

Every upsert runs in one transaction (BEGIN IMMEDIATE … COMMIT), so a crash leaves an article
either fully old or fully new. The storage logic is shared with PostgreSQL (index/sqlbase.py);
this module holds the connection, the FTS5 rows and the search.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from index.base import QueryError, StoreError
from index.common import (  # noqa: F401  (article_id_for, content_hash: imported from here)
    FACET_LIMIT, FACET_SEP, SORTS, article_id_for, content_hash, facet_text,
)
from index.query import MAX_EXPANSIONS, Compiled, compile_query
from index.sqlbase import BATCH, EXPORT_BATCH, Count, SQLStore, marks  # noqa: F401

BUSY_TIMEOUT_MS = 10_000
MMAP_BYTES = 256 * 1024 * 1024  # reads of a large file without copying pages
CACHE_KIB = 32 * 1024
# bm25 weights of (title_t, body_t, title_c, body_c, facet_t): a title hit counts three times;
# a filter's facet token ranks nothing.
BM25 = "bm25(article_fts, 3.0, 1.0, 3.0, 1.0, 0.0)"
TITLE_COLUMNS = "{title_t title_c}"   # a broad window's ranking: the words in the title


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL (a no-op once it is). While another process switches a new file,
    SQLite answers `database is locked` at once, without waiting out the busy timeout: two crawl
    workers started together on one new index lost one of them that way. Ask again until the
    busy timeout has passed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _sqlite_path(url: str) -> str:
    """File path of a sqlite URL or plain path (sqlite:///rel, sqlite:////abs, :memory:)."""
    if not url.startswith("sqlite://"):
        return url
    rest = url[len("sqlite://") :]
    if rest in ("", "/", "/:memory:"):
        return ":memory:"
    return rest[1:] if rest.startswith("/") else rest


class SQLiteStore(SQLStore):
    """Store on one SQLite file (see the module docstring)."""

    mention_order = "rowid"

    def __init__(self, path: str, *, workers: int = 0, schema_version: int | None = None) -> None:
        super().__init__()
        self.path = path
        self.workers = workers
        self._lock = threading.RLock()
        try:
            if path != ":memory:" and not path.startswith("file:"):
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
                path = str(Path(path).expanduser())
            conn = sqlite3.connect(
                path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
                uri=path.startswith("file:"),
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        self.conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if path != ":memory:":
                _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            from index.schema import SCHEMA_VERSION, migrate

            migrate(conn, schema_version or SCHEMA_VERSION)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            message = str(exc)
            if "fts5" in message or "trigram" in message:
                message = f"this SQLite lacks FTS5 with trigrams ({message})"
            raise StoreError(f"cannot open database {self.path}: {message}") from None

    # ------------------------------------------------------------ transactions

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write to {self.path}: {exc}") from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                self._orgs = None  # it may hold organisations the rollback removed
                if self.conn.in_transaction:  # SQLite may have rolled back already
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    # a read-only file, a full disk, an I/O error: one line, like PostgreSQL's
                    raise StoreError(f"cannot write to {self.path}: {exc}") from None
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot across several statements."""
        with self._lock:
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    # ------------------------------------------------------------ terms

    def _write_search_columns(self, db: sqlite3.Connection, seq: int, terms: list, replace: bool,
                              facets: tuple[str, str, str | None]) -> None:
        """The terms and the filters' facet tokens in the FTS5 table, the facets in the article
        row. Every write of an article's outlet, kind or achievements comes through here (its
        upsert, its re-analysis), so the tokens never lag the columns they stand for."""
        if replace:
            db.execute("DELETE FROM article_fts WHERE rowid = ?", (seq,))
        title_terms, body_terms = terms
        outlet, source, kind, published = db.execute(
            "SELECT outlet, source, kind, published_at FROM articles WHERE seq = ?", (seq,)).fetchone()
        db.execute(
            "INSERT INTO article_fts (rowid, title_t, body_t, title_c, body_c, facet_t) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (seq, title_terms.text(), body_terms.text(),
             title_terms.compound_text(), body_terms.compound_text(),
             facet_text(outlet, source, kind, facets[1], published)),
        )
        db.execute("UPDATE articles SET org_names = ?, achievement_types = ?, region = ? WHERE seq = ?",
                   (*facets, seq))

    def _sync_search_meta(self, db: sqlite3.Connection, seq: int) -> None:
        db.execute(
            "INSERT OR REPLACE INTO article_meta (seq, story_id, published_at, outlet, source, org_names, "
            "achievement_types, kind) SELECT seq, story_id, published_at, outlet, source, org_names, "
            "achievement_types, kind FROM articles WHERE seq = ?",
            (seq,),
        )

    def _index_org_name(self, db: sqlite3.Connection, org_id: int, name: str) -> None:
        db.execute("INSERT INTO org_trgm (rowid, name) VALUES (?, ?)", (org_id, name))

    def _forget_org_name(self, db: sqlite3.Connection, org_id: int, name: str) -> None:
        db.execute("DELETE FROM org_trgm WHERE rowid = ?", (org_id,))

    def names_containing(self, db: sqlite3.Connection, text: str, limit: int = MAX_EXPANSIONS) -> list[str]:
        """Organisation names (of articles in the index) that contain `text` (≥ 3 characters),
        shortest first: the trigram index answers without scanning every name."""
        if len(text) < 3:
            return []
        rows = db.execute(
            "SELECT o.name FROM org_trgm t JOIN organizations o ON o.id = t.rowid "
            "WHERE org_trgm MATCH ? AND EXISTS (SELECT 1 FROM article_orgs ao WHERE ao.org_id = o.id) "
            "ORDER BY length(o.name), o.name LIMIT ?",
            ('"' + text.replace('"', '""') + '"', limit),
        ).fetchall()
        return [r[0] for r in rows]

    # ------------------------------------------------------------ search
    # Search reads `article_meta` as `a` (the filters' columns, narrow rows), not `articles`.

    def matching_seqs_sql(self, db: sqlite3.Connection, query: str) -> tuple[str, list]:
        """Words alone: the full-text index's rowids, with no row of article_meta read."""
        compiled = self._compile(db, query)
        if compiled.match is not None and not self._filtered(compiled):
            return "SELECT rowid FROM article_fts WHERE article_fts MATCH ?", [compiled.match]
        where, params = self._where(compiled, compiled.match)
        return f"SELECT a.seq FROM article_meta a WHERE {where}", params

    # An org:, type: or amount: filter beside words probes its table's key once per word match
    # while the words match at most this many articles; past it, its article list is built
    # once and the word matches are looked up in it (measured on 100,000 articles: `type:contract`
    # with a firm's name 10.4 → 2.0 ms; with a common word, probing would cost more).
    PROBE_LIMIT = 20_000

    def _compile(self, db: sqlite3.Connection, query: str) -> Compiled:
        compiled = compile_query(query, expand=lambda text: self.names_containing(db, text))
        if compiled.probe_where is not None and compiled.match is not None:
            found = self._run(db, "SELECT count(*) FROM (SELECT rowid FROM article_fts WHERE article_fts MATCH ? "
                                  "LIMIT ?)", [compiled.match, self.PROBE_LIMIT + 1])[0][0]
            if found <= self.PROBE_LIMIT:
                return replace(compiled, where=compiled.probe_where, params=compiled.probe_params)
        return compiled

    @staticmethod
    def _run(db: sqlite3.Connection, sql: str, params: list) -> list[tuple]:
        try:
            return db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc).lower():
                raise QueryError(f"cannot run query: {exc}") from None
            raise StoreError(f"search failed: {exc}") from None

    def _matching_seqs(self, db: sqlite3.Connection, query: str) -> list[int]:
        compiled = self._compile(db, query)
        where, params = self._where(compiled, compiled.match)
        return [r[0] for r in self._run(db, f"SELECT a.seq FROM article_meta a WHERE {where} ORDER BY a.seq", params)]

    @staticmethod
    def _filtered(compiled: Compiled) -> bool:
        return compiled.where != "1"

    # A query is counted up to this many matches, then its total says "at least" (an exact
    # count on request: `exact_total`). Counting reads every match: on 1,000,000 articles the
    # 62,715 matches of `"지역 산업 육성"` took 44 ms to count (FTS5 checks each one's
    # positions), its newest 10,001 7 ms; `계약 -outlet:…` on 100,000 articles 16 ms against
    # 4 for the newest 1,001. A lone org:/type:/amount: filter is always counted exactly, in
    # its own index.
    COUNT_LIMIT = 10_000

    def _count(self, db: sqlite3.Connection, compiled: Compiled, exact: bool = False) -> Count:
        """Matching articles, newest first, read up to COUNT_LIMIT of them (all with `exact`):
        words alone from FTS5's doclists in descending rowid order, a lone membership filter in
        its index, other filters over article_meta's indexes. A match set within the limit
        comes back whole, as seqs; past it, its newest COUNT_LIMIT."""
        limit = -1 if exact or self.COUNT_LIMIT is None else self.COUNT_LIMIT
        if compiled.match is not None and not self._filtered(compiled):
            if limit < 0:
                sql = "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?"
                return Count(int(self._run(db, sql, [compiled.match])[0][0]), None)
            seqs = self._newest_seqs(db, compiled, limit + 1)
            if len(seqs) > limit:
                return Count(limit, seqs[:limit], exact=False)
            return Count(len(seqs), seqs)
        if compiled.lone_membership is not None:
            return self._lone_count(db, compiled)   # `type:contract` alone: in its own index
        span = self._dated_span(db, compiled)
        if span is not None:
            sql, params = self._in_span(compiled, span)
        else:
            where, params = self._where(compiled, compiled.match)
            sql = f"SELECT a.seq FROM article_meta a WHERE {where}"
        seqs = [r[0] for r in self._run(db, f"{sql} LIMIT ?", [*params, limit + 1 if limit >= 0 else -1])]
        if limit >= 0 and len(seqs) > limit:
            return Count(limit, None, exact=False)
        return Count(len(seqs), sorted(seqs, reverse=True))

    @staticmethod
    def _where(compiled: Compiled, match: str | None) -> tuple[str, list]:
        """The filters, and the words as an IN list (SQLite builds it once, in C). With a
        date range or an outlet, the `+` has SQLite walk that index and probe the list rather
        than look up every listed article (3× less work for a common word in a quarter; an
        outlet beside a common word on 1,000,000 articles: 158 → 47 ms, where sampled
        statistics had the planner choose the lookups)."""
        if match is None:
            return compiled.where, list(compiled.params)
        plus = "+" if compiled.indexed else ""
        return (f"({compiled.where}) AND {plus}a.seq IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)",
                [*compiled.params, match])

    def _rows_for(self, db: sqlite3.Connection, compiled: Compiled, seqs: list[int]) -> list[tuple]:
        if compiled.match is None:
            return self._run(
                db, f"SELECT a.seq, 0.0, {self.META} FROM article_meta a WHERE a.seq IN (SELECT value FROM json_each(?))",
                [json.dumps(seqs)]) if seqs else []
        return self._scored(db, compiled.match, seqs)

    def _scored(self, db: sqlite3.Connection, match: str, seqs: list[int]) -> list[tuple]:
        """Search rows for given seqs, bm25 included. FTS5 scans the rowid range once; the
        `+` keeps SQLite from re-running the MATCH once per listed rowid."""
        if not seqs:
            return []
        return self._run(
            db,
            f"SELECT a.seq, {BM25}, {self.META} FROM article_fts JOIN article_meta a ON a.seq = article_fts.rowid "
            f"WHERE article_fts MATCH ? AND article_fts.rowid BETWEEN ? AND ? "
            f"AND +article_fts.rowid IN (SELECT value FROM json_each(?))",
            [match, min(seqs), max(seqs), json.dumps(seqs)],
        )

    def _all_rows(self, db: sqlite3.Connection, compiled: Compiled, seqs: list[int] | None) -> list[tuple]:
        """Search rows (seq, score, story_id, published_at, outlet, org_names, types) of every match."""
        if seqs is not None:
            return self._rows_for(db, compiled, seqs)
        if compiled.match is not None and not self._filtered(compiled):
            return self._run(
                db,
                f"SELECT a.seq, {BM25}, {self.META} FROM article_fts JOIN article_meta a ON a.seq = article_fts.rowid "
                f"WHERE article_fts MATCH ?",
                [compiled.match],
            )
        where, params = self._where(compiled, compiled.match)
        seqs = [r[0] for r in self._run(db, f"SELECT a.seq FROM article_meta a WHERE {where}", params)]
        return self._rows_for(db, compiled, seqs)

    # A date range beside words is searched inside the span of seqs its months' articles lie in
    # (seq_by_month, schema v14), when that span is at most this share of the index: the words'
    # matches there are few enough to look each up. Crawled news is stored roughly in date
    # order, so a quarter's span is about a quarter of the index's seqs spread over the years.
    SPAN_SHARE = 0.25

    def _dated_span(self, db: sqlite3.Connection, compiled: Compiled) -> tuple[int, int] | None:
        """[first, last] seq of the months a dated word query's range covers, or None when the
        query has no words or no date range, or the span is too wide to be worth it."""
        if compiled.match is None or compiled.date_range is None:
            return None
        low, high = compiled.date_range
        first, last = self._run(
            db, "SELECT min(first_seq), max(last_seq) FROM seq_by_month WHERE month >= ? AND month <= ?",
            [(low or "")[:7], (high or "\uffff")[:7]])[0]
        if first is None:
            return 1, 0          # no article dated in those months: nothing can match
        top = self._run(db, "SELECT max(seq) FROM article_meta", [])[0][0] or 0
        return (first, last) if last - first + 1 <= self.SPAN_SHARE * top else None

    def _in_span(self, compiled: Compiled, span: tuple[int, int], order: str = "") -> tuple[str, list]:
        """The matching seqs, read from the full-text index inside the span (words first)."""
        return (f"SELECT a.seq FROM article_fts f JOIN article_meta a ON a.seq = f.rowid "
                f"WHERE article_fts MATCH ? AND f.rowid BETWEEN ? AND ? AND ({compiled.where}){order}",
                [compiled.match, *span, *compiled.params])

    def _newest_seqs(self, db: sqlite3.Connection, compiled: Compiled, n: int) -> list[int]:
        if compiled.match is not None and not self._filtered(compiled):
            return [r[0] for r in self._run(
                db, "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                [compiled.match, n])]
        span = self._dated_span(db, compiled)
        if span is not None:
            sql, params = self._in_span(compiled, span, " ORDER BY f.rowid DESC")
            return [r[0] for r in self._run(db, f"{sql} LIMIT ?", [*params, n])]
        where, params = self._where(compiled, compiled.match)
        return [r[0] for r in self._run(
            db, f"SELECT a.seq FROM article_meta a WHERE {where} ORDER BY a.seq DESC LIMIT ?", [*params, n])]

    # A broad query's window is ranked without bm25: FTS5's bm25 first counts, for each phrase
    # of the query, every article in the index that holds it (its document frequency), which
    # for a common word or phrase is a second pass over 10^5 matches (`"지역 산업 육성"` on
    # 1,000,000 articles: 24 ms for a window of 400, against 0.3 ms for what follows). The
    # window is its newest matches already; within it, an article whose title holds more of the
    # query's words comes first (the title weight bm25 gives), and then the newer.
    def _window_scored(self, db: sqlite3.Connection, compiled: Compiled, seqs: list[int]) -> list[tuple]:
        if compiled.match is None or not compiled.texts or not seqs:
            return self._rows_for(db, compiled, seqs)
        in_window = set(seqs)
        in_title: Counter[int] = Counter()
        for text in compiled.texts:
            for (seq,) in self._run(
                    db, "SELECT rowid FROM article_fts WHERE article_fts MATCH ? AND rowid BETWEEN ? AND ?",
                    [f"{TITLE_COLUMNS} : {text.fts}", min(seqs), max(seqs)]):
                if seq in in_window:
                    in_title[seq] += 1
        rows = self._rows_for(db, replace(compiled, match=None), seqs)   # unscored
        return [(row[0], -float(in_title[row[0]]), *row[2:]) for row in rows]

    def close(self) -> None:
        with self._lock:
            if self.conn is not None:
                try:
                    # Cheap (bounded) statistics so query plans stay good as data grows.
                    self.conn.execute("PRAGMA analysis_limit = 400")
                    self.conn.execute("PRAGMA optimize")
                except sqlite3.Error:
                    pass
                self.conn.close()
                self.conn = None  # type: ignore[assignment]

    def _fetch(self, db: sqlite3.Connection, sql: str, params: list) -> list[tuple]:
        return self._run(db, sql, params)


def open_sqlite(url: str, *, workers: int = 0) -> SQLiteStore:
    return SQLiteStore(_sqlite_path(url), workers=workers)

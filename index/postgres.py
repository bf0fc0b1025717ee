"""The PostgreSQL back end: the same Store as SQLite, for a team sharing one index.

`open_store("postgresql://user@host:5432/db")` connects with psycopg 3. A `schema=NAME`
query parameter (not a libpq one: removed before connecting) keeps the tables in their own
schema, created if missing — how the tests give every module a clean index in one database.

Writers to one schema serialise on an advisory lock held for their transaction (as SQLite's
BEGIN IMMEDIATE does), so two crawlers never race on a canonical url or a story; readers use
REPEATABLE READ snapshots and never wait. Full-text search runs on `article_search` (see
index/pg_schema.py: each article's tsvector and the columns search filters and ranks by, a
narrow copy as SQLite's `article_meta`), read as `a`, with the query compiled to tsquery text
bound as a parameter; `articles` is read only for the displayed hits. Ranking is `ts_rank`
with a title weight, the same role bm25 plays on SQLite.
"""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from typing import Any, Iterable, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from index.base import StoreError
from index.pg_schema import GAP, MIGRATION_LOCK, RANK_WEIGHTS, SCHEMA_VERSION, SEARCH_COPIED, TSV_SQL, migrate
from index.query import MAX_EXPANSIONS, Compiled, TermMatch, compile_pg, ts_lexeme
from index.sqlbase import Count, SQLStore

WRITE_LOCK = 731_040_610  # advisory lock class of writers; the second key is the schema
CONNECT_TIMEOUT_S = 10
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
SEARCH = "article_search a"  # what search statements read (`compiled.where` is over `a`)
_COPIED = [c.strip() for c in SEARCH_COPIED.split(",")][1:]  # the columns copied from articles, seq aside
_SEARCH_COLUMNS = frozenset(c.strip() for c in SEARCH_COPIED.split(","))
_COLUMN_REF = re.compile(r"\ba\.(\w+)")   # `a.outlet` in a caller's column list or condition


@lru_cache(maxsize=512)
def pg_sql(sql: str) -> str:
    """The shared SQL (`?` placeholders) in psycopg's format (`%s`, literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _Db:
    """A psycopg connection that speaks the shared SQL."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.conn.execute(pg_sql(sql), list(params) if params else None)

    def executemany(self, sql: str, rows: Any) -> None:
        rows = [list(r) for r in rows]
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(pg_sql(sql), rows)


def split_url(url: str) -> tuple[str, str | None]:
    """(libpq URL, schema) — the `schema` parameter is ours, not libpq's."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), None)
    rest = [(k, v) for k, v in query if k != "schema"]
    scheme = "postgresql" if parts.scheme.startswith("postgres") else parts.scheme
    clean = urlunsplit((scheme, parts.netloc, parts.path, urlencode(rest), parts.fragment))
    if schema is not None and not _SCHEMA_NAME.match(schema):
        raise StoreError(f"bad schema name '{schema}' (letters, digits and _ only)")
    return clean, schema


def _array(seqs: list[int]) -> str:
    """Seqs as array text for `?::bigint[]`: psycopg's list adapter checks every element (50 ms
    for 30,000)."""
    return "{" + ",".join(str(seq) for seq in seqs) + "}"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


class PostgresStore(SQLStore):
    """Store in a PostgreSQL database (see the module docstring)."""

    mention_order = "id"
    steered = False
    PROBED_MATCHES = 4000  # matches looked up one by one in an index; more are a filter
    RANK = f"-ts_rank('{RANK_WEIGHTS}', a.tsv, to_tsquery('simple', ?), 1)"

    def __init__(self, url: str, *, workers: int = 0, schema_version: int | None = None) -> None:
        super().__init__()
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is a dependency
            raise StoreError("the PostgreSQL back end needs psycopg (pip install 'psycopg[binary]')") from None
        self._psycopg = psycopg
        self.url, self.schema = split_url(url)
        self.workers = workers
        self._lock = threading.RLock()
        try:
            self.conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL: {_one_line(exc)}") from None
        try:
            if self.schema:
                from psycopg import sql

                with self.conn.transaction():
                    # CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent twin (workers
                    # started together on a new schema): it is created under the migrations' lock.
                    self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                    self.conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)))
                self.conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(self.schema)))
            migrate(self.conn, schema_version or SCHEMA_VERSION)
        except StoreError:
            self.conn.close()
            raise
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(f"cannot prepare the PostgreSQL schema: {_one_line(exc)}") from None

    # ------------------------------------------------------------ transactions

    @contextmanager
    def _write(self) -> Iterator[_Db]:
        psycopg = self._psycopg
        with self._lock:
            try:
                with self.conn.transaction():
                    db = _Db(self.conn)
                    # per schema: indexes in other schemas of the database write freely
                    db.execute("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))", (WRITE_LOCK,))
                    yield db
            except psycopg.Error as exc:
                self._orgs = None
                raise StoreError(f"cannot write to PostgreSQL: {_one_line(exc)}") from None
            except BaseException:
                self._orgs = None  # it may hold organisations the rollback removed
                raise

    @contextmanager
    def _read(self) -> Iterator[_Db]:
        psycopg = self._psycopg
        with self._lock:
            try:
                with self.conn.transaction():
                    self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    db = _Db(self.conn)
                    self._reading(db)
                    yield db
            except psycopg.Error as exc:
                raise StoreError(f"PostgreSQL read failed: {_one_line(exc)}") from None

    # ------------------------------------------------------------ terms

    def _write_search_columns(self, db: _Db, seq: int, terms: list, replace: bool,
                              facets: tuple[str, str, str | None]) -> None:
        """The facet columns in one update of the article row (each update leaves a dead version
        behind for VACUUM), then its search row — the tsvector and a copy of the columns search
        reads — inserted or replaced in one statement (one row version per write)."""
        title_terms, body_terms = terms
        db.execute("UPDATE articles SET org_names = ?, achievement_types = ?, region = ? WHERE seq = ?",
                   (*facets, seq))
        replaced = ", ".join(f"{c} = excluded.{c}" for c in [*_COPIED, "tsv"])
        db.execute(f"INSERT INTO article_search ({SEARCH_COPIED}, tsv) SELECT {SEARCH_COPIED}, {TSV_SQL} "
                   f"FROM articles WHERE seq = ? ON CONFLICT (seq) DO UPDATE SET {replaced}",
                   (title_terms.text(), f"{GAP} {body_terms.text()}", f"{GAP} {title_terms.compound_text()}",
                    f"{GAP} {body_terms.compound_text()}", seq))

    def _sync_search_meta(self, db: _Db, seq: int) -> None:
        """The search row follows what changed in the article row after its terms were written
        (a story joined, an organisation renamed); rewritten only when a copy differs."""
        stale = " OR ".join(f"s.{c} IS DISTINCT FROM a.{c}" for c in _COPIED)
        db.execute(f"UPDATE article_search s SET {', '.join(f'{c} = a.{c}' for c in _COPIED)} FROM articles a "
                   f"WHERE s.seq = ? AND a.seq = s.seq AND ({stale})", (seq,))

    def names_containing(self, db: _Db, text: str, limit: int = MAX_EXPANSIONS) -> list[str]:
        """Organisation names containing `text` (≥ 3 characters), via the pg_trgm index."""
        if len(text) < 3:
            return []
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
        rows = db.execute(
            "SELECT o.name FROM organizations o WHERE o.name ILIKE ? "
            "AND EXISTS (SELECT 1 FROM article_orgs ao WHERE ao.org_id = o.id) "
            "ORDER BY length(o.name), o.name LIMIT ?",
            (pattern, limit),
        ).fetchall()
        return [r[0] for r in rows]

    # ------------------------------------------------------------ search

    def _compile(self, db: _Db, query: str) -> Compiled:
        return compile_pg(query, expand=lambda text: self.names_containing(db, text))

    def _search_session(self, db: _Db) -> None:
        # The GIN index answers which rows match; a sequential scan, or a walk down another
        # index filtering on `tsv @@`, reads a tsvector (out of line) per row, which the
        # planner does not price in: a date range or `ORDER BY seq LIMIT` would then read
        # thousands. Bitmap scans only. (JIT, which would see huge costs with the others priced
        # out, is off for every read: `_reading`.)
        db.execute("SET LOCAL enable_seqscan = off")
        db.execute("SET LOCAL enable_indexscan = off")
        # The bitmap of a common word's matches must stay exact (a page per entry, not a
        # lossy page range whose every row's tsvector is read back from TOAST and re-checked):
        # on 1,000,000 articles `지원` (278,000 matches, 42,000 heap pages) overflowed the
        # default 4 MB and re-checked 20,000 rows; 32 MB holds about ten times that.
        db.execute(f"SET LOCAL work_mem = '{self.SEARCH_WORK_MEM}'")

    SEARCH_WORK_MEM = "32MB"

    def _end_search_session(self, db: _Db) -> None:
        for setting in ("enable_seqscan", "enable_indexscan", "work_mem"):
            db.execute(f"SET LOCAL {setting} TO DEFAULT")

    def _run(self, db: _Db, sql: str, params: list) -> list[tuple]:
        try:
            rows = db.execute(sql, params).fetchall()
        except self._psycopg.Error as exc:
            raise StoreError(f"search failed: {_one_line(exc)}") from None
        return [(r[0], float(r[1]), *r[2:]) if len(r) > 2 else r for r in rows]

    def _matching_seqs(self, db: _Db, query: str) -> list[int]:
        sql, params = self.matching_seqs_sql(db, query)
        return [r[0] for r in self._run(db, f"{sql} ORDER BY a.seq", params)]

    def matching_condition(self, db: _Db, query: str, column: str, within: str = "",
                           within_params: Iterable[Any] = ()) -> tuple[str, list]:
        """The matches read once, through the full-text index (bitmap scans only, as search
        does), and bound as an array (tested through a hash table): the statements that share
        the condition never visit the articles' rows again (a common word matches tens of
        thousands of them, each a heap page to read). The seqs `within` are read first: the
        words' bitmap ANDed with theirs visits (and rechecks) only the articles in both —
        `q=인공지능&type=contract`: 2,100 pages, not 15,000 (135 → 35 ms)."""
        compiled = self._compile(db, query)
        where, params = self._where(compiled, compiled.match)
        if within:
            candidates = [r[0] for r in self._run(db, within, list(within_params))]
            where, params = f"a.seq = ANY(?::bigint[]) AND {where}", [_array(candidates), *params]
        sql = f"SELECT a.seq FROM {SEARCH} WHERE {where}"
        # the planner hints are for words (the full-text index); other filters plan freely (20 → 8 ms)
        seqs = [r[0] for r in (self._matching_rows(db, sql, params) if compiled.match else self._run(db, sql, params))]
        if len(seqs) > self.PROBED_MATCHES:  # one index descent each: a hashed filter of a scan is cheaper
            column = f"({column} + 0)"
        return self.seqs_condition(column, seqs)

    def seqs_condition(self, column: str, seqs: list[int]) -> tuple[str, list]:
        """Bound as one array (a hashed test): psycopg's list adapter would check every element."""
        return f"{column} = ANY(?::bigint[])", [_array(seqs)]

    def matching(self, db: _Db, query: str | None, columns: str, extra: str = "1",
                 extra_params: Iterable[Any] = ()) -> list[tuple]:
        """`SQLStore.matching`, reading the search rows alone when every column the caller
        selects and filters by is one they copy (a report by outlet, month or organisation, a
        saved search's count): the narrow rows search counts over, not `articles` with its bodies
        joined to them by seq."""
        searching = query is not None and bool(query.strip())
        if not searching or not set(_COLUMN_REF.findall(f"{columns} {extra}")) <= _SEARCH_COLUMNS:
            return super().matching(db, query, columns, extra, extra_params)
        compiled = self._compile(db, query)
        where, params = self._where(compiled, compiled.match)
        if extra.strip() not in ("", "1", "true"):
            where, params = f"{where} AND ({extra})", [*params, *extra_params]
        self._search_session(db)
        try:
            return self._fetch(db, f"SELECT {columns} FROM {SEARCH} WHERE {where}", params)
        finally:
            self._end_search_session(db)

    def _reading(self, db: _Db) -> None:
        """Every read snapshot answers someone — search, the achievements view, reports, saved
        searches —, so its statements are planned for their values each time (psycopg
        prepares a statement run five times, and PostgreSQL may then keep a generic plan, blind
        to how many rows a region, an amount or the matches of a word select: 130 → 470 ms for
        a common word), and never JIT-compiled (a plan estimated past jit_above_cost, as a word
        matching 30,000 articles is, spends 100–300 ms compiling for a 30 ms run). A report's
        lookups by seq run one statement many times: on a generic plan `report coverage 기업 --by
        org` took 29.8 s instead of 0.45 s on the search bench's 30,000 articles."""
        db.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        db.execute("SET LOCAL jit = off")

    def _matching_rows(self, db: _Db, sql: str, params: list) -> list[tuple]:
        self._search_session(db)
        try:
            return self._run(db, sql, params)
        finally:
            self._end_search_session(db)

    def _where(self, compiled: Compiled, tsq: str | None) -> tuple[str, list]:
        if tsq is None:
            return compiled.where, list(compiled.params)
        return f"a.tsv @@ to_tsquery('simple', ?) AND {compiled.where}", [tsq, *compiled.params]

    def _articles_where(self, compiled: Compiled) -> tuple[str, list]:
        """The search rows' condition as a subquery (its `a` the search row, shadowing the
        caller's): callers select and filter `articles a` columns that `article_search` lacks."""
        where, params = self._where(compiled, compiled.match)
        return f"a.seq IN (SELECT a.seq FROM {SEARCH} WHERE {where})", params

    def matching_seqs_sql(self, db: _Db, query: str) -> tuple[str, list]:
        """The search rows alone: no `articles` row is read for a seq."""
        compiled = self._compile(db, query)
        where, params = self._where(compiled, compiled.match)
        return f"SELECT a.seq FROM {SEARCH} WHERE {where}", params

    def _count(self, db: _Db, compiled: Compiled, exact: bool = False) -> Count:
        """One pass over the matches (GIN bitmap; phrases and weights re-checked once):
        the count and the newest seqs (enough for the exact path or the window) together —
        unless the words are common (`_estimated`)."""
        if compiled.lone_membership is not None:
            return self._lone_count(db, compiled)   # `type:contract` alone: in its own index
        where, params = self._where(compiled, compiled.match)
        if not exact and compiled.match is not None:
            planned = self._planned_rows(db, where, params)   # one EXPLAIN for both choices
            estimated = self._driven(db, compiled, where, params, planned)
            if estimated is None and compiled.date_range is None:
                estimated = self._estimated(db, compiled, where, params, planned)
            if estimated is not None:
                return estimated
        rows = self._run(
            db, f"SELECT a.seq, count(*) OVER () FROM {SEARCH} WHERE {where} ORDER BY a.seq DESC LIMIT ?",
            [*params, max(self.FULL_LIMIT + 1, self.WINDOW)])
        return Count(int(rows[0][1]) if rows else 0, [r[0] for r in rows])

    # Counting a common word's matches reads every one of them: `지원` on 1,000,000 articles
    # (278,453 matches) took 370–550 ms, its newest 400 found by walking the primary key
    # backwards 4 ms. A query expected to match more than ESTIMATE_FROM articles is therefore
    # walked from the newest article down until its newest WINDOW matches are found, and its
    # total is estimated from how densely they lie (WINDOW matches among the last N articles →
    # WINDOW × all / N; `total_relation` "approx"). What is expected: the planner's figure, or
    # for words ANDed or in a phrase, which the planner takes for independent (`"납품 계약"`:
    # 56,000 planned, 183,000 found), their rarest word's (`_correlated_rows`). The walk stops
    # after WALK_MARGIN times the articles that figure needs, and after MAX_WALK articles (about
    # 50 ms); if it found at least MIN_SAMPLE matches by then, they are the window and the
    # estimate is theirs, else (words that seldom meet, a figure too high) the query is counted.
    # A date range is never walked down the key (its newest matches may lie far below the newest
    # articles): `_driven` walks its own index, or it is counted.
    ESTIMATE_FROM = 10_000
    WALK_MARGIN = 4
    MAX_WALK = 20_000
    MIN_SAMPLE = 100
    BITMAP_BELOW = 0.05

    def _estimated(self, db: _Db, compiled: Compiled, where: str, params: list, planned: float) -> Count | None:
        expected = planned
        if expected <= self.ESTIMATE_FROM:
            expected = self._correlated_rows(db, compiled)
        if expected <= self.ESTIMATE_FROM and compiled.where != "true":
            # beside a filter the planner guesses (a negation, a type's articles): the words'
            # own figure; if the filter is narrow, the walk finds too few and the query is counted
            expected = self._word_rows(db, compiled.match)
        if expected <= self.ESTIMATE_FROM:
            return None
        with self._index_scans(db):    # the primary key's two ends
            top, bottom = self._fetch(db, f"SELECT max(seq), min(seq) FROM {SEARCH}", [])[0]
        if top is None:
            return None
        articles = top - bottom + 1
        span = min(articles, self.MAX_WALK, -(-self.WALK_MARGIN * self.WINDOW * articles // int(expected)))
        # a word in a few percent of the articles: its bitmap ANDed with the span's, then only its
        # matches there are read; a denser one: the primary key walked down, each row tested
        walk = self._index_scans(db) if expected > self.BITMAP_BELOW * articles else nullcontext()
        with walk:
            seqs = [r[0] for r in self._run(
                db, f"SELECT a.seq FROM {SEARCH} WHERE {where} AND a.seq > ? ORDER BY a.seq DESC LIMIT ?",
                [*params, top - span, self.WINDOW])]
        if len(seqs) < min(self.MIN_SAMPLE, self.WINDOW) or (len(seqs) < self.WINDOW and span == articles):
            return None     # too few to estimate from; or the walk went through every article
        walked = top - seqs[-1] + 1 if len(seqs) == self.WINDOW else span
        return Count(max(len(seqs), round(len(seqs) * articles / walked)), seqs, exact=False, estimated=True)

    # Words beside a filter that narrows them: `outlet:X 계약` (an outlet's twentieth of the
    # articles, a third of them with the word), `from:2024-03 to:2024-05 지원`. Counting their
    # matches reads every one of them (60–130 ms on 1,000,000 articles), and walking the primary
    # key passes the other outlets' articles or, for dates, every article newer than the range.
    # Expected in more than DRIVE_FROM articles, such a query walks the filter's own index
    # newest first — the outlet's and source's (column, seq) indexes, the published_at index
    # within the range — to its newest WINDOW matches, and its total is estimated from their
    # density there: WINDOW × the filter's rows (the planner's figure: an outlet is in its
    # common values, a date range in its histogram) / the filter's rows walked. The walk stops
    # after MAX_WALK of the filter's rows, as `_estimated`'s does; a filter whose rows all lie
    # within the walk gets an exact count.
    DRIVE_FROM = 2_000

    def _driven(self, db: _Db, compiled: Compiled, where: str, params: list, planned: float) -> Count | None:
        if compiled.date_range is not None:
            low, high = compiled.date_range
            bounds = [(c, v) for c, v in (("a.published_at >= ?", low), ("a.published_at < ?", high)) if v]
            legs = [(" AND ".join(c for c, _ in bounds), [v for _, v in bounds])]
            key = "a.published_at"
        elif compiled.outlets:
            value = compiled.outlets[0]
            legs = [("a.outlet = ?", [value]), ("a.source = ?", [value])]
            key = "a.seq"
        else:
            return None
        if planned <= self.DRIVE_FROM:
            return None        # few matches: counting them reads few rows
        driver = " OR ".join(f"({leg})" for leg, _ in legs)
        driver_params = [v for _, values in legs for v in values]
        with self._index_scans(db):
            floors = [r[0][0] for leg, values in legs if (r := self._fetch(
                db, f"SELECT {key} FROM {SEARCH} WHERE {leg} ORDER BY {key} DESC OFFSET ? LIMIT 1",
                [*values, self.MAX_WALK]))]
            floor = max(floors) if floors else None
            above = f" AND {key} >= ?" if floor is not None else ""
            found: dict[int, Any] = {}
            for leg, values in legs:
                for seq, order in self._fetch(
                        db, f"SELECT a.seq, {key} FROM {SEARCH} WHERE ({leg}) AND {where}{above} "
                            f"ORDER BY {key} DESC LIMIT ?",
                        [*values, *params, *([floor] if floor is not None else []), self.WINDOW]):
                    found[seq] = order
            newest = sorted(found.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:self.WINDOW]
            if len(newest) < self.WINDOW:
                if floor is None:          # every row of the filter walked: these are all the matches
                    return Count(len(newest), sorted(found, reverse=True))
                if len(newest) < self.MIN_SAMPLE:
                    return None            # too few to estimate from: counted
                last = floor
            else:
                last = newest[-1][1]
            walked = sum(self._fetch(db, f"SELECT count(*) FROM {SEARCH} WHERE {leg} AND {key} >= ?",
                                     [*values, last])[0][0] for leg, values in legs)
        rows = self._planned_rows(db, driver, driver_params)
        seqs = sorted((seq for seq, _ in newest), reverse=True)
        return Count(max(len(seqs), round(len(seqs) * rows / max(walked, 1))), seqs, exact=False, estimated=True)

    @contextmanager
    def _index_scans(self, db: _Db) -> Iterator[None]:
        """Within a search session (bitmap scans only, `_search_session`): statements that walk
        an index in order — the primary key down from the newest article, a lone filter's
        (type, article_seq) index read without its table (`type:contract` on 1,000,000 articles:
        212 + 185 ms by bitmap, 31 + 0.4 ms index-only)."""
        db.execute("SET LOCAL enable_bitmapscan = off")
        db.execute("SET LOCAL enable_indexscan = on")
        try:
            yield
        finally:
            db.execute("SET LOCAL enable_bitmapscan TO DEFAULT")
            db.execute("SET LOCAL enable_indexscan = off")

    def _lone_count(self, db: _Db, compiled: Compiled) -> Count:
        with self._index_scans(db):
            return super()._lone_count(db, compiled)

    def _correlated_rows(self, db: _Db, compiled: Compiled) -> float:
        """For words ANDed (or a phrase): the most articles they can match, their rarest word's
        planned figure — the planner multiplies shares as if words never went together. 0 when
        the query is not words alone, or one word."""
        if compiled.conjuncts is None:
            return 0.0
        alternatives = [alt for text in compiled.conjuncts for alt in text.alternatives]
        if len(compiled.conjuncts) == 1 and all(len(alt.terms) == 1 for alt in alternatives):
            return 0.0            # one word: the planner's figure is its own

        def rarest(alt: TermMatch) -> float:
            lexemes = [ts_lexeme(t) for t in alt.terms]
            if alt.prefix:
                lexemes[-1] += ":*"
            return min(self._word_rows(db, lexeme) for lexeme in lexemes)

        return min(sum(rarest(alt) for alt in text.alternatives) for text in compiled.conjuncts)

    def _word_rows(self, db: _Db, tsquery: str) -> float:
        """The planner's figure for the articles matching `tsquery` alone."""
        return self._planned_rows(db, "a.tsv @@ to_tsquery('simple', ?)", [tsquery])

    def _planned_rows(self, db: _Db, where: str, params: list) -> float:
        """The planner's estimate of the matching search rows (its statistics of the tsvectors'
        lexemes; no row is read)."""
        plan = self._fetch(db, f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {SEARCH} WHERE {where}", params)[0][0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"])

    def _rows_for(self, db: _Db, compiled: Compiled, seqs: list[int]) -> list[tuple]:
        if not seqs:
            return []
        if compiled.match is None:
            return self._run(db, f"SELECT a.seq, 0.0, {self.META} FROM {SEARCH} WHERE a.seq = ANY(?)", [seqs])
        return self._run(
            db, f"SELECT a.seq, {self.RANK}, {self.META} FROM {SEARCH} WHERE a.seq = ANY(?)",
            [compiled.rank_tsquery or compiled.match, seqs])

    def _all_rows(self, db: _Db, compiled: Compiled, seqs: list[int] | None) -> list[tuple]:
        if seqs is not None:
            return self._rows_for(db, compiled, seqs)
        where, params = self._where(compiled, compiled.match)
        if compiled.match is None:
            return self._run(db, f"SELECT a.seq, 0.0, {self.META} FROM {SEARCH} WHERE {where}", params)
        return self._run(
            db, f"SELECT a.seq, {self.RANK}, {self.META} FROM {SEARCH} WHERE {where}",
            [compiled.rank_tsquery or compiled.match, *params])

    def _newest_seqs(self, db: _Db, compiled: Compiled, n: int) -> list[int]:
        where, params = self._where(compiled, compiled.match)
        return [r[0] for r in self._run(
            db, f"SELECT a.seq FROM {SEARCH} WHERE {where} ORDER BY a.seq DESC LIMIT ?", [*params, n])]

    def close(self) -> None:
        with self._lock:
            if self.conn is not None:
                try:
                    self.conn.close()
                finally:
                    self.conn = None  # type: ignore[assignment]

    def _fetch(self, db: _Db, sql: str, params: list) -> list[tuple]:
        # not `_run`: that turns the second column into a search score
        try:
            return db.execute(sql, params).fetchall()
        except self._psycopg.Error as exc:
            raise StoreError(f"query failed: {_one_line(exc)}") from None


def open_postgres(url: str, *, workers: int = 0) -> PostgresStore:
    return PostgresStore(url, workers=workers)


__all__ = ["PostgresStore", "open_postgres", "split_url"]

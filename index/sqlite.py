"""The SQLite back end: one file, WAL, FTS5 over Kiwi terms, stories by LSH bands.

Every upsert runs in one transaction (BEGIN IMMEDIATE … COMMIT), so a crash leaves an article
either fully old or fully new. Search reads every match once (small leading
columns only) and takes the page, the total and every facet from that list, inside one read
transaction.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import sqlite3
import threading
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Iterator

from index import stories
from index.base import QueryError, Store, StoreError
from index.query import Compiled, compile_query
from index.snippet import make_snippet, pattern_regex

BUSY_TIMEOUT_MS = 10_000
BATCH = 256  # records per transaction (and per Kiwi batch) in upsert_many
EXPORT_BATCH = 200
MMAP_BYTES = 256 * 1024 * 1024  # reads of a large file without copying pages
CACHE_KIB = 32 * 1024
FACET_LIMIT = 20  # organisation facet: the most frequent names only
# bm25 weights of (title_t, body_t, title_c, body_c): a title hit counts three times.
BM25 = "bm25(article_fts, 3.0, 1.0, 3.0, 1.0)"
SORTS = ("relevance", "recency")  # relevance ties and recency ties: newer first
FACET_SEP = "\n"  # joins names in articles.org_names / achievement_types


def article_id_for(key_url: str) -> str:
    """Stable id: the same canonical url gives the same id in any database."""
    return hashlib.sha1(key_url.encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\x00{body}".encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _span(value: Any) -> tuple[int, int]:
    start, end = value
    return int(start), int(end)


def _organization(org: dict[str, Any]) -> dict[str, Any]:
    """An organisation entry, checked and tidied (names never contain FACET_SEP)."""
    return {
        "name": " ".join(str(org.get("name") or "").split()),
        "kind": str(org.get("kind") or "other"),
        "surface": [str(s) for s in org.get("surface") or []],
        "mentions": [_span(m) for m in org.get("mentions") or []],
    }


def _achievement(ach: dict[str, Any]) -> dict[str, Any]:
    """An achievement entry as the column values of its row (after article_seq, position)."""
    amount = ach.get("amount") or {}
    approximate = amount.get("approximate")
    span = _span(ach["span"]) if ach.get("span") is not None else (None, None)
    kind = " ".join(str(ach.get("type") or "other").split())
    confidence = ach.get("confidence")
    return {
        "type": kind,
        "row": (
            ach.get("organization"), ach.get("scope"), kind, amount.get("value"),
            amount.get("unit"), None if approximate is None else int(bool(approximate)),
            _text(ach.get("date")), ach.get("evidence"), span[0], span[1],
            None if confidence is None else float(confidence),
        ),
    }


def _prepare(record: dict[str, Any]) -> dict[str, Any]:
    """Validated, normalised copy of an input record (StoreError on a missing url)."""
    if not isinstance(record, dict):
        raise StoreError(f"record must be a mapping, not {type(record).__name__}")
    url = _text(record.get("url"))
    canonical = _text(record.get("canonical_url")) or url
    if not url or not canonical:
        raise StoreError("record has no url")
    title = str(record.get("title") or "")
    body = str(record.get("body") or "")
    authors = record.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    try:
        organizations = [_organization(o) for o in record.get("organizations") or []]
        achievements = [_achievement(a) for a in record.get("achievements") or []]
    except (TypeError, ValueError, IndexError, AttributeError) as exc:
        raise StoreError(f"record {url}: malformed organizations/achievements ({exc})") from None
    return {
        "url": url,
        "canonical_url": canonical,
        "id": article_id_for(canonical),
        "outlet": _text(record.get("outlet")),
        "source": _text(record.get("source")),
        "title": title,
        "body": body,
        "published_at": _text(record.get("published_at")),
        "modified_at": _text(record.get("modified_at")),
        "fetched_at": _text(record.get("fetched_at")),
        "authors": [str(a) for a in authors],
        "organizations": [o for o in organizations if o["name"]],
        "achievements": achievements,
        "hash": content_hash(title, body),
    }


def _facets(rows: list[tuple]) -> dict[str, dict[str, int]]:
    """Article counts by outlet, month, organisation (top FACET_LIMIT) and achievement type,
    from search rows (seq, score, story_id, published_at, outlet, org_names, types)."""

    def split(index: int) -> Iterator[str]:
        return chain.from_iterable(r[index].split(FACET_SEP) for r in rows if r[index])

    def by_count(counter: Counter[str], limit: int | None = None) -> dict[str, int]:
        ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return dict(ordered[:limit] if limit else ordered)

    months = Counter(r[3][:7] for r in rows if r[3])
    return {
        "outlet": by_count(Counter(r[4] for r in rows if r[4] is not None)),
        "month": dict(sorted(months.items())),
        "organization": by_count(Counter(split(5)), FACET_LIMIT),
        "type": by_count(Counter(split(6))),
    }


def _ranked(rows: list[tuple], sort: str, collapse: bool, n: int) -> tuple[int, list[int]]:
    """(total, seqs of the best n) for search rows; with collapse, one per story, its best.

    Smaller keys rank first: bm25 (lower is better), then newer, then later stored; recency
    swaps the first two. Dates compare as ISO strings; missing dates rank oldest.
    """
    dates = {d: i for i, d in enumerate(sorted({r[3] or "" for r in rows}))}
    if sort == "relevance":
        keyed = (((r[1], -dates[r[3] or ""], -r[0]), r[0], r[2]) for r in rows)
    else:
        keyed = (((-dates[r[3] or ""], r[1], -r[0]), r[0], r[2]) for r in rows)
    if not collapse:
        return len(rows), [item[1] for item in heapq.nsmallest(n, keyed)]
    best: dict[str, tuple] = {}
    for item in keyed:
        current = best.get(item[2])
        if current is None or item[0] < current[0]:
            best[item[2]] = item
    return len(best), [item[1] for item in heapq.nsmallest(n, best.values())]


def _sqlite_path(url: str) -> str:
    """File path of a sqlite URL or plain path (sqlite:///rel, sqlite:////abs, :memory:)."""
    if not url.startswith("sqlite://"):
        return url
    rest = url[len("sqlite://") :]
    if rest in ("", "/", "/:memory:"):
        return ":memory:"
    return rest[1:] if rest.startswith("/") else rest


class SQLiteStore(Store):
    """Store on one SQLite file (see the module docstring)."""

    def __init__(self, path: str, *, workers: int = 0) -> None:
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
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            from index.schema import migrate

            migrate(conn)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            message = str(exc)
            if "fts5" in message:
                message = f"this SQLite lacks FTS5 ({message})"
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
            except BaseException:
                if self.conn.in_transaction:  # SQLite may have rolled back already
                    self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot across several statements."""
        with self._lock:
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    # ------------------------------------------------------------ writing

    def upsert_article(self, record: dict[str, Any]) -> tuple[str, str]:
        prepared = _prepare(record)
        with self._write() as conn:
            status = self._upsert(conn, prepared, None)
        return prepared["id"], status

    def upsert_many(self, records: Iterable[dict[str, Any]]) -> dict[str, int]:
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(_prepare(record))
            if len(batch) >= BATCH:
                self._upsert_batch(batch, counts)
                batch = []
        if batch:
            self._upsert_batch(batch, counts)
        return counts

    def _upsert_batch(self, batch: list[dict[str, Any]], counts: dict[str, int]) -> None:
        with self._lock:
            stored = self._stored_hashes([p["canonical_url"] for p in batch])
            changed = [p for p in batch if stored.get(p["canonical_url"]) != p["hash"]]
            texts = [t for p in changed for t in (p["title"], p["body"])]
            analysed = self._analyse(texts)
            terms = {id(p): analysed[2 * i : 2 * i + 2] for i, p in enumerate(changed)}
            with self._write() as conn:
                for prepared in batch:
                    status = self._upsert(conn, prepared, terms.get(id(prepared)))
                    counts[status] += 1

    def _analyse(self, texts: list[str]) -> list[Any]:
        """Terms of many texts, batched through Kiwi's worker threads (at least one)."""
        from nlp.terms import analyze_many

        if not texts:
            return []
        return list(analyze_many(texts, max(1, self.workers)))

    def _stored_hashes(self, urls: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(urls), 500):
            chunk = urls[i : i + 500]
            marks = ", ".join("?" for _ in chunk)
            out.update(
                self.conn.execute(
                    f"SELECT canonical_url, content_hash FROM articles "
                    f"WHERE canonical_url IN ({marks})",
                    chunk,
                ).fetchall()
            )
        return out

    def _upsert(self, conn: sqlite3.Connection, p: dict[str, Any], terms: list | None) -> str:
        row = conn.execute(
            "SELECT seq, content_hash, story_id, title, body, published_at, modified_at, "
            "updated_at FROM articles WHERE canonical_url = ?",
            (p["canonical_url"],),
        ).fetchone()
        if row is not None and row[1] == p["hash"]:
            self._remember_urls(conn, row[0], p)
            return "unchanged"
        if terms is None:
            from nlp.terms import analyze

            terms = [analyze(p["title"]), analyze(p["body"])]
        now = _now()
        values = (
            p["url"], p["outlet"], p["source"], p["title"], p["published_at"],
            p["modified_at"], json.dumps(p["authors"], ensure_ascii=False), p["body"],
            p["hash"], p["fetched_at"], now,
        )
        if row is None:
            seq = conn.execute(
                "INSERT INTO articles (id, canonical_url, url, outlet, source, title, "
                "published_at, modified_at, authors, body, content_hash, fetched_at, "
                "updated_at, created_at, story_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (p["id"], p["canonical_url"], *values, now, p["id"]),
            ).lastrowid
            status, current_story = "new", None
        else:
            seq, current_story = row[0], row[2]
            conn.execute(
                "INSERT INTO article_versions (article_seq, title, body, content_hash, "
                "published_at, modified_at, stored_at, replaced_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, row[3], row[4], row[1], row[5], row[6], row[7], now),
            )
            conn.execute(
                "UPDATE articles SET url = ?, outlet = ?, source = ?, title = ?, "
                "published_at = ?, modified_at = ?, authors = ?, body = ?, content_hash = ?, "
                "fetched_at = COALESCE(?, fetched_at), updated_at = ? WHERE seq = ?",
                (*values, seq),
            )
            for table in ("mentions", "article_orgs", "achievements"):
                conn.execute(f"DELETE FROM {table} WHERE article_seq = ?", (seq,))
            conn.execute("DELETE FROM article_fts WHERE rowid = ?", (seq,))
            status = "updated"
        title_terms, body_terms = terms
        conn.execute(
            "INSERT INTO article_fts (rowid, title_t, body_t, title_c, body_c) "
            "VALUES (?, ?, ?, ?, ?)",
            (seq, title_terms.text(), body_terms.text(),
             title_terms.compound_text(), body_terms.compound_text()),
        )
        self._write_entities(conn, seq, p)
        story = stories.assign(conn, seq, p["id"], p["body"], current_story)
        if story != current_story:
            conn.execute("UPDATE articles SET story_id = ? WHERE seq = ?", (story, seq))
        self._remember_urls(conn, seq, p)
        return status

    @staticmethod
    def _remember_urls(conn: sqlite3.Connection, seq: int, p: dict[str, Any]) -> None:
        conn.executemany(
            "INSERT OR IGNORE INTO article_urls (url, article_seq) VALUES (?, ?)",
            [(u, seq) for u in dict.fromkeys((p["url"], p["canonical_url"]))],
        )

    def _org_id(self, conn: sqlite3.Connection, name: str, kind: str) -> int:
        conn.execute("INSERT OR IGNORE INTO organizations (name, kind) VALUES (?, ?)", (name, kind))
        return conn.execute(
            "SELECT id FROM organizations WHERE name = ? AND kind = ?", (name, kind)
        ).fetchone()[0]

    def _write_entities(self, conn: sqlite3.Connection, seq: int, p: dict[str, Any]) -> None:
        body = p["body"]
        for position, org in enumerate(p["organizations"]):
            org_id = self._org_id(conn, org["name"], org["kind"])
            conn.execute(
                "INSERT INTO article_orgs (article_seq, position, org_id, surfaces) "
                "VALUES (?, ?, ?, ?)",
                (seq, position, org_id, json.dumps(org["surface"], ensure_ascii=False)),
            )
            conn.executemany(
                'INSERT INTO mentions (article_seq, org_position, org_id, surface, start, "end") '
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(seq, position, org_id, body[s:e] or None, s, e) for s, e in org["mentions"]],
            )
        firm = {o["name"]: False for o in p["organizations"]}
        for org in p["organizations"]:
            firm[org["name"]] |= org["kind"] == "firm"
        names = sorted(firm, key=lambda name: not firm[name])  # firms first, else as given
        types = dict.fromkeys(a["type"] for a in p["achievements"])
        conn.execute(
            "UPDATE articles SET org_names = ?, achievement_types = ? WHERE seq = ?",
            (FACET_SEP.join(names), FACET_SEP.join(types), seq),
        )
        conn.executemany(
            "INSERT INTO achievements (article_seq, position, org_name, scope, type, "
            "amount_value, amount_unit, approximate, date, evidence, span_start, span_end, "
            "confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(seq, position, *a["row"]) for position, a in enumerate(p["achievements"])],
        )

    # ------------------------------------------------------------ urls and fetch state

    def has_url(self, url: str) -> bool:
        with self._lock:
            return (
                self.conn.execute("SELECT 1 FROM article_urls WHERE url = ?", (url,)).fetchone()
                is not None
            )

    def known_urls(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self.conn.execute("SELECT url FROM article_urls")}

    def get_fetch_state(self, url: str) -> dict[str, Any] | None:
        with self._lock:
            row = self.conn.execute(
                "SELECT etag, last_modified, fetched_at, status FROM fetch_state WHERE url = ?",
                (url,),
            ).fetchone()
        if row is None:
            return None
        return {"etag": row[0], "last_modified": row[1], "fetched_at": row[2], "status": row[3]}

    def set_fetch_state(
        self, url: str, *, etag: str | None, last_modified: str | None, status: int
    ) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO fetch_state (url, etag, last_modified, status, fetched_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, status = excluded.status, "
                "fetched_at = excluded.fetched_at",
                (url, etag, last_modified, int(status), _now()),
            )

    # ------------------------------------------------------------ search

    def _matches(
        self, conn: sqlite3.Connection, compiled: Compiled, columns: str
    ) -> list[tuple]:
        """Rows of `columns` (over `a` = articles, `score` = bm25) for every match."""
        if compiled.match is not None:
            # bm25 in the outer select: computed only for rows that pass the filters.
            columns = columns.replace("f.score", f"{BM25}")
            sql = (
                f"SELECT {columns} FROM article_fts JOIN articles a ON a.seq = article_fts.rowid "
                f"WHERE article_fts MATCH ? AND {compiled.where}"
            )
            params = [compiled.match, *compiled.params]
        else:
            columns = columns.replace("f.score", "0.0")
            sql = f"SELECT {columns} FROM articles a WHERE {compiled.where}"
            params = list(compiled.params)
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc).lower():
                raise QueryError(f"cannot run query: {exc}") from None
            raise StoreError(f"search failed: {exc}") from None

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
        collapse: bool = True,
    ) -> dict[str, Any]:
        """Total counts stories when collapse (else articles); facets always count articles.

        All matches are read once (a few small leading columns each); ranking, collapsing,
        paging and facets then run over that list, which beats re-running the match per facet.
        """
        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}' (use relevance or recency)")
        limit, offset = max(0, int(limit)), max(0, int(offset))
        compiled = compile_query(query)
        with self._read() as conn:
            rows = self._matches(
                conn,
                compiled,
                "a.seq, f.score, a.story_id, a.published_at, a.outlet, a.org_names, "
                "a.achievement_types",
            )
            total, seqs = _ranked(rows, sort, collapse, offset + limit)
            hits = self._hits(conn, seqs[offset:], compiled)
        return {"query": query, "total": total, "hits": hits, "facets": _facets(rows)}

    def _hits(
        self, conn: sqlite3.Connection, seqs: list[int], compiled: Compiled
    ) -> list[dict[str, Any]]:
        if not seqs:
            return []
        marks = ", ".join("?" for _ in seqs)
        rows = {
            r[0]: r
            for r in conn.execute(
                f"SELECT seq, id, url, title, outlet, published_at, body, story_id, org_names "
                f"FROM articles WHERE seq IN ({marks})",
                seqs,
            )
        }
        story_ids = list({rows[s][7] for s in seqs})
        sizes = dict(
            conn.execute(
                f"SELECT story_id, COUNT(*) FROM articles WHERE story_id IN "
                f"({', '.join('?' for _ in story_ids)}) GROUP BY story_id",
                story_ids,
            ).fetchall()
        )
        regex = pattern_regex(compiled.patterns)
        hits = []
        for seq in seqs:
            _, id_, url, title, outlet, published, body, story_id, org_names = rows[seq]
            hits.append(
                {
                    "id": id_,
                    "url": url,
                    "title": title,
                    "outlet": outlet,
                    "published_at": published,
                    "snippet": make_snippet(body, regex),
                    "story_id": story_id,
                    "story_size": sizes.get(story_id, 1),
                    "organizations": org_names.split(FACET_SEP) if org_names else [],
                }
            )
        return hits

    # ------------------------------------------------------------ records

    def _records(self, conn: sqlite3.Connection, seqs: list[int]) -> list[dict[str, Any]]:
        """Export records of the given articles, in the given order."""
        if not seqs:
            return []
        marks = ", ".join("?" for _ in seqs)
        rows = {
            r[0]: r
            for r in conn.execute(
                f"SELECT seq, id, url, canonical_url, outlet, title, published_at, modified_at, "
                f"authors, body, story_id FROM articles WHERE seq IN ({marks})",
                seqs,
            )
        }
        mentions: dict[tuple[int, int], list[list[int]]] = {}
        for seq, pos, start, end in conn.execute(
            f'SELECT article_seq, org_position, start, "end" FROM mentions '
            f"WHERE article_seq IN ({marks}) ORDER BY article_seq, org_position, rowid",
            seqs,
        ):
            mentions.setdefault((seq, pos), []).append([start, end])
        orgs: dict[int, list[dict[str, Any]]] = {s: [] for s in seqs}
        for seq, pos, name, kind, surfaces in conn.execute(
            f"SELECT ao.article_seq, ao.position, o.name, o.kind, ao.surfaces "
            f"FROM article_orgs ao JOIN organizations o ON o.id = ao.org_id "
            f"WHERE ao.article_seq IN ({marks}) ORDER BY ao.article_seq, ao.position",
            seqs,
        ):
            orgs[seq].append(
                {
                    "name": name,
                    "kind": kind,
                    "surface": json.loads(surfaces),
                    "mentions": mentions.get((seq, pos), []),
                }
            )
        achievements: dict[int, list[dict[str, Any]]] = {s: [] for s in seqs}
        for r in conn.execute(
            f"SELECT article_seq, type, org_name, amount_value, amount_unit, approximate, date, "
            f"evidence, span_start, span_end, confidence, scope FROM achievements "
            f"WHERE article_seq IN ({marks}) ORDER BY article_seq, position",
            seqs,
        ):
            amount = None
            if r[3] is not None or r[4] is not None:
                amount = {
                    "value": r[3],
                    "unit": r[4],
                    "approximate": None if r[5] is None else bool(r[5]),
                }
            achievements[r[0]].append(
                {
                    "type": r[1],
                    "organization": r[2],
                    "amount": amount,
                    "date": r[6],
                    "evidence": r[7],
                    "span": None if r[8] is None else [r[8], r[9]],
                    "confidence": r[10],
                    "scope": r[11],
                }
            )
        out = []
        for seq in seqs:
            r = rows[seq]
            out.append(
                {
                    "id": r[1],
                    "url": r[2],
                    "canonical_url": r[3],
                    "outlet": r[4],
                    "title": r[5],
                    "published_at": r[6],
                    "modified_at": r[7],
                    "authors": json.loads(r[8]),
                    "body": r[9],
                    "story_id": r[10],
                    "organizations": orgs[seq],
                    "achievements": achievements[seq],
                }
            )
        return out

    def iter_records(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        """Every (matching) article in storage order; batches keep memory flat."""
        if query is not None and query.strip():
            compiled = compile_query(query)
            with self._read() as conn:
                seqs = sorted(r[0] for r in self._matches(conn, compiled, "a.seq"))
            for i in range(0, len(seqs), EXPORT_BATCH):
                with self._read() as conn:
                    records = self._records(conn, seqs[i : i + EXPORT_BATCH])
                yield from records
            return
        last = 0
        while True:
            with self._read() as conn:
                seqs = [
                    r[0]
                    for r in conn.execute(
                        "SELECT seq FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                        (last, EXPORT_BATCH),
                    )
                ]
                records = self._records(conn, seqs)
            if not seqs:
                return
            last = seqs[-1]
            yield from records

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT seq, source, fetched_at, updated_at, story_id FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                return None
            record = self._records(conn, [row[0]])[0]
            size = conn.execute(
                "SELECT COUNT(*) FROM articles WHERE story_id = ?", (row[4],)
            ).fetchone()[0]
        record.update(source=row[1], fetched_at=row[2], updated_at=row[3], story_size=size)
        return record

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """Earlier texts of an article, oldest first."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT v.title, v.body, v.published_at, v.modified_at, v.stored_at, "
                "v.replaced_at FROM article_versions v JOIN articles a ON a.seq = v.article_seq "
                "WHERE a.id = ? ORDER BY v.id",
                (article_id,),
            ).fetchall()
        keys = ("title", "body", "published_at", "modified_at", "stored_at", "replaced_at")
        return [dict(zip(keys, r)) for r in rows]

    def summary(self) -> dict[str, Any]:
        with self._read() as conn:
            articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            story_count = conn.execute(
                "SELECT COUNT(DISTINCT story_id) FROM articles"
            ).fetchone()[0]
            orgs = conn.execute(
                "SELECT kind, COUNT(DISTINCT name) FROM organizations o WHERE EXISTS "
                "(SELECT 1 FROM article_orgs ao WHERE ao.org_id = o.id) GROUP BY kind ORDER BY kind"
            ).fetchall()
            achievements = conn.execute(
                "SELECT type, COUNT(*) FROM achievements GROUP BY type ORDER BY 2 DESC, 1"
            ).fetchall()
            outlets = conn.execute(
                "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL "
                "GROUP BY outlet ORDER BY 2 DESC, 1"
            ).fetchall()
        return {
            "articles": articles,
            "stories": story_count,
            "organizations": dict(orgs),
            "achievements": dict(achievements),
            "outlets": dict(outlets),
        }

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


def open_sqlite(url: str, *, workers: int = 0) -> SQLiteStore:
    return SQLiteStore(_sqlite_path(url), workers=workers)

"""The storage logic both SQL back ends share: upserts, entities, organisation identity,
re-processing, records, urls, fetch state and summaries.

The SQL here is the dialect SQLite and PostgreSQL agree on (`?` placeholders — the PostgreSQL
adapter turns them into `%s` —, `INSERT … ON CONFLICT`, `RETURNING`). What differs lives in
the subclasses: connections and transactions, how Kiwi terms are indexed (FTS5 rows versus a
tsvector column) and how a search runs.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from typing import Any, ContextManager, Iterable, Iterator, NamedTuple, Protocol

from index import folds, release_groups, stories
from index.base import Store
from index.common import (
    STATUSES, TERMS_KEY, analysis_of, assemble_records, check_sort, facet_columns, facets, hit, now,
    prepare, ranked, record_queries,
)
from index.snippet import make_snippet, pattern_regex
from index.orgmatch import OrgMatcher, is_known
from index.regions import article_region

BATCH = 256  # records per transaction (and per Kiwi batch) in upsert_many
EXPORT_BATCH = 200
IN_CHUNK = 500  # values per IN (…) list


class Db(Protocol):
    """The slice of a DB-API connection the shared code uses (`?` placeholders)."""

    def execute(self, sql: str, params: Any = ...) -> Any: ...

    def executemany(self, sql: str, rows: Any) -> Any: ...


class Count(NamedTuple):
    """What a search's count step found."""

    articles: int                  # matching articles; with exact False, at least this many
    newest: list[int] | None       # the newest matches' seqs, newest first (all when few), if found
    exact: bool = True             # False: counting stopped at the back end's COUNT_LIMIT
    estimated: bool = False        # True: `articles` is an estimate, not a count (then exact is False)


def marks(values: list | tuple) -> str:
    return ", ".join("?" for _ in values)


class SQLStore(Store):
    """Shared implementation; subclasses provide transactions, term indexing and search."""

    mention_order = "rowid"
    workers = 0
    # SQLite's planner picks indexes by rule: reads steer it with expressions (`x + 0` keeps an
    # index out) and short-circuit tests; PostgreSQL's plans by cost and needs neither
    steered = True

    def __init__(self) -> None:
        self._orgs: OrgMatcher | None = None

    # ------------------------------------------------------------ back-end hooks

    @abstractmethod
    def _write(self) -> ContextManager[Db]:
        """One write transaction (serialised with other writers), committed on success."""

    @abstractmethod
    def _read(self) -> ContextManager[Db]:
        """One consistent snapshot across several statements."""

    @abstractmethod
    def _write_search_columns(self, db: Db, seq: int, terms: list, replace: bool,
                              facets: tuple[str, str, str | None]) -> None:
        """Store an article's Kiwi terms [title Terms, body Terms] for search (`replace`: it had
        some) and its facet columns (org_names, achievement_types, region)."""

    def _index_org_name(self, db: Db, org_id: int, name: str) -> None:
        """Make a new organisation name findable by partial name (trigram); optional."""

    def _forget_org_name(self, db: Db, org_id: int, name: str) -> None:
        """Undo `_index_org_name` before a rename; optional."""

    def _sync_search_meta(self, db: Db, seq: int) -> None:
        """Copy an article's search columns wherever the back end keeps them apart; optional."""

    # ------------------------------------------------------------ writing

    def upsert_article(self, record: dict[str, Any], *, force: bool = False,
                       terms: list | None = None) -> tuple[str, str]:
        """Store one article. With `force`, an unchanged text still gets the record's
        organisations, achievements and fresh terms (status "reprocessed"), no new version.
        `terms`: the title's and body's search terms when the caller analysed them already
        (a crawl does it in its worker processes); else the store analyses when needed."""
        prepared = prepare(record)
        with self._write() as db:
            status = self._upsert(db, prepared, terms, force)
        return prepared["id"], status

    def upsert_many(self, records: Iterable[dict[str, Any]], *, force: bool = False) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        if force:
            counts["reprocessed"] = 0
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(prepare(record))
            if len(batch) >= BATCH:
                self._upsert_batch(batch, counts, force)
                batch = []
        if batch:
            self._upsert_batch(batch, counts, force)
        return counts

    def _upsert_batch(self, batch: list[dict[str, Any]], counts: dict[str, int], force: bool) -> None:
        with self._read() as db:
            stored = self._stored_hashes(db, [p["canonical_url"] for p in batch])
        changed = [p for p in batch if force or stored.get(p["canonical_url"]) != p["hash"]]
        terms = self._terms_for(changed)
        with self._write() as db:
            for prepared in batch:
                status = self._upsert(db, prepared, terms.get(id(prepared)), force)
                counts[status] = counts.get(status, 0) + 1

    def _terms_for(self, prepared: list[dict[str, Any]]) -> dict[int, list]:
        """Kiwi terms of the titles and bodies, batched (analysed outside any transaction)."""
        texts = [t for p in prepared for t in (p["title"], p["body"])]
        analysed = self._analyse(texts)
        return {id(p): analysed[2 * i : 2 * i + 2] for i, p in enumerate(prepared)}

    def _analyse(self, texts: list[str]) -> list[Any]:
        """Terms of many texts, batched through Kiwi's worker threads (at least one)."""
        from nlp.terms import analyze_many

        if not texts:
            return []
        return list(analyze_many(texts, max(1, self.workers)))

    def _stored_hashes(self, db: Db, urls: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(urls), IN_CHUNK):
            chunk = urls[i : i + IN_CHUNK]
            out.update(
                db.execute(
                    f"SELECT canonical_url, content_hash FROM articles WHERE canonical_url IN ({marks(chunk)})",
                    chunk,
                ).fetchall()
            )
        return out

    def _upsert(self, db: Db, p: dict[str, Any], terms: list | None, force: bool = False) -> str:
        row = db.execute(
            "SELECT seq, content_hash, story_id, title, body, published_at, modified_at, "
            "updated_at FROM articles WHERE canonical_url = ?",
            (p["canonical_url"],),
        ).fetchone()
        if row is not None and row[1] == p["hash"]:
            self._remember_urls(db, row[0], p)
            if not force:
                return "unchanged"
            self._reanalyse(db, row[0], p, terms)
            return "reprocessed"
        if terms is None:
            terms = self._analyse([p["title"], p["body"]])
        stamp = now()
        values = (
            p["url"], p["outlet"], p["source"], p["title"], p["published_at"],
            p["modified_at"], json.dumps(p["authors"], ensure_ascii=False), p["body"],
            p["hash"], p["fetched_at"], stamp, p["kind"], p["release_info"],
        )
        if row is None:
            seq = db.execute(
                "INSERT INTO articles (id, canonical_url, url, outlet, source, title, "
                "published_at, modified_at, authors, body, content_hash, fetched_at, "
                "updated_at, kind, release_info, created_at, story_id, analysed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
                (p["id"], p["canonical_url"], *values, stamp, p["id"], stamp),
            ).fetchone()[0]
            status, current_story = "new", None
        else:
            seq, current_story = row[0], row[2]
            db.execute(
                "INSERT INTO article_versions (article_seq, title, body, content_hash, "
                "published_at, modified_at, stored_at, replaced_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, row[3], row[4], row[1], row[5], row[6], row[7], stamp),
            )
            db.execute(
                "UPDATE articles SET url = ?, outlet = ?, source = ?, title = ?, "
                "published_at = ?, modified_at = ?, authors = ?, body = ?, content_hash = ?, "
                "fetched_at = COALESCE(?, fetched_at), updated_at = ?, kind = ?, release_info = ?, "
                "analysed_at = ? WHERE seq = ?",
                (*values, stamp, seq),
            )
            self._clear_entities(db, seq)
            status = "updated"
        facets = self._write_entities(db, seq, p)
        self._write_search_columns(db, seq, terms, row is not None, facets)
        story = stories.assign(db, seq, p["id"], p["body"], current_story)
        # a new article was inserted as its own story: rewrite the row only when it joins another
        # (on PostgreSQL each rewrite leaves a dead row version behind for VACUUM)
        if story != (p["id"] if row is None else current_story):
            db.execute("UPDATE articles SET story_id = ? WHERE seq = ?", (story, seq))
        folds.refold(db, (story, current_story))  # this article's copies of achievements, and its old story's
        self._remember_urls(db, seq, p)
        self._sync_search_meta(db, seq)
        return status

    def _reanalyse(self, db: Db, seq: int, p: dict[str, Any], terms: list | None) -> None:
        """New organisations, achievements and terms for an unchanged text (no version)."""
        if terms is None:
            terms = self._analyse([p["title"], p["body"]])
        self._clear_entities(db, seq)
        facets = self._write_entities(db, seq, p)
        self._write_search_columns(db, seq, terms, True, facets)
        folds.refold(db, [r[0] for r in db.execute("SELECT story_id FROM articles WHERE seq = ?", (seq,)).fetchall()])
        db.execute("UPDATE articles SET analysed_at = ? WHERE seq = ?", (now(), seq))
        self._sync_search_meta(db, seq)

    @staticmethod
    def _clear_entities(db: Db, seq: int) -> None:
        for table in ("mentions", "article_orgs", "achievements"):
            db.execute(f"DELETE FROM {table} WHERE article_seq = ?", (seq,))

    @staticmethod
    def _remember_urls(db: Db, seq: int, p: dict[str, Any]) -> None:
        db.executemany(
            "INSERT INTO article_urls (url, article_seq) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(u, seq) for u in dict.fromkeys((p["url"], p["canonical_url"]))],
        )

    def _write_entities(self, db: Db, seq: int, p: dict[str, Any]) -> tuple[str, str, str | None]:
        """The article's organisations, mentions and achievements; returns its facet columns
        (org_names, achievement_types, region), written with its terms (`_write_search_columns`)."""
        body = p["body"]
        renamed: dict[str, str] = {}
        resolved = []
        for position, org in enumerate(p["organizations"]):
            org_id, name = self._org_id(db, org["name"], org["kind"])
            renamed[org["name"]] = name
            resolved.append({**org, "name": name})
            db.execute(
                "INSERT INTO article_orgs (article_seq, position, org_id, surfaces) VALUES (?, ?, ?, ?)",
                (seq, position, org_id, json.dumps(org["surface"], ensure_ascii=False)),
            )
            db.executemany(
                'INSERT INTO mentions (article_seq, org_position, org_id, surface, start, "end") '
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(seq, position, org_id, body[s:e] or None, s, e) for s, e in org["mentions"]],
            )
        kinds: dict[str, str] = {}  # an organisation's kind in this article, firm first
        for org in resolved:
            if kinds.get(org["name"]) != "firm":
                kinds[org["name"]] = org["kind"]
        achievements = []
        for ach in p["achievements"]:
            row = list(ach["row"])
            row[0] = renamed.get(row[0], row[0])  # the firm under its index-wide name
            achievements.append((ach["type"], [*row, kinds.get(row[0])]))
        org_names, types = facet_columns(resolved, [{"type": t} for t, _ in achievements])
        db.executemany(
            "INSERT INTO achievements (article_seq, position, org_name, scope, type, "
            "amount_value, amount_unit, approximate, date, evidence, span_start, span_end, "
            "confidence, counterparty, programme, programme_body, programme_key, org_kind) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(seq, position, *row) for position, (_, row) in enumerate(achievements)],
        )
        return org_names, types, article_region(p.get("title"), body)

    # ------------------------------------------------------------ organisation identity

    def _matcher(self, db: Db) -> OrgMatcher:
        """The in-memory name index, topped up with organisations stored since last time."""
        if self._orgs is None:
            self._orgs = OrgMatcher()
        self._orgs.refresh(
            db.execute(
                "SELECT id, name, kind FROM organizations WHERE id > ? ORDER BY id",
                (self._orgs.max_id,),
            ).fetchall()
        )
        return self._orgs

    def _org_id(self, db: Db, name: str, kind: str) -> tuple[int, str]:
        """(id, index-wide name) of an organisation: the stored one it is a spelling of, or new."""
        row = db.execute(
            "SELECT id FROM organizations WHERE name = ? AND kind = ?", (name, kind)
        ).fetchone()
        if row is not None:
            return row[0], name
        row = db.execute(
            "SELECT o.id, o.name FROM org_aliases a JOIN organizations o ON o.id = a.org_id "
            "WHERE a.alias = ? AND a.kind = ?",
            (name, kind),
        ).fetchone()
        if row is not None:
            return row[0], row[1]
        matcher = self._matcher(db)
        found = matcher.find(name, kind)
        if found is not None:
            org_id, stored = found
            if is_known(name) and not is_known(stored):
                self._rename_org(db, org_id, stored, name, kind)  # the listed spelling wins
                matcher.add(org_id, name, kind)
                return org_id, name
            self._add_alias(db, name, kind, org_id)
            return org_id, stored
        org_id = db.execute(
            "INSERT INTO organizations (name, kind) VALUES (?, ?) RETURNING id", (name, kind)
        ).fetchone()[0]
        self._index_org_name(db, org_id, name)
        matcher.add(org_id, name, kind)
        return org_id, name

    @staticmethod
    def _add_alias(db: Db, alias: str, kind: str, org_id: int) -> None:
        db.execute(
            "INSERT INTO org_aliases (alias, kind, org_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (alias, kind, org_id),
        )

    def _rename_org(self, db: Db, org_id: int, old: str, new: str, kind: str) -> None:
        """Give an organisation a better name; the old one becomes an alias and every
        article's facet cell and achievements follow."""
        self._forget_org_name(db, org_id, old)
        db.execute("UPDATE organizations SET name = ? WHERE id = ?", (new, org_id))
        db.execute("DELETE FROM org_aliases WHERE alias = ? AND kind = ?", (new, kind))
        self._add_alias(db, old, kind, org_id)
        self._index_org_name(db, org_id, new)
        seqs = [r[0] for r in db.execute(
            "SELECT DISTINCT article_seq FROM article_orgs WHERE org_id = ?", (org_id,)
        ).fetchall()]
        for seq in seqs:
            orgs = [{"name": n, "kind": k} for n, k in db.execute(
                "SELECT o.name, o.kind FROM article_orgs ao JOIN organizations o ON o.id = ao.org_id "
                "WHERE ao.article_seq = ? ORDER BY ao.position", (seq,)
            ).fetchall()]
            names, _ = facet_columns(orgs, [])
            db.execute("UPDATE articles SET org_names = ? WHERE seq = ?", (names, seq))
            self._sync_search_meta(db, seq)
            db.execute(
                "UPDATE achievements SET org_name = ? WHERE article_seq = ? AND org_name = ?",
                (new, seq, old),
            )
        # the renamed achievements may now fold with others of their stories
        for i in range(0, len(seqs), 500):
            chunk = seqs[i : i + 500]
            folds.refold(db, [r[0] for r in db.execute(
                f"SELECT DISTINCT story_id FROM articles WHERE seq IN ({marks(chunk)})", chunk).fetchall()])

    # ------------------------------------------------------------ re-processing

    def reprocess_targets(
        self, *, after: int = 0, since: str | None = None, limit: int = 64
    ) -> list[dict[str, Any]]:
        """Articles (seq > after, published since `since`) to run the NLP stage over again,
        in seq order, as records `nlp.pipeline.enrich_record` accepts plus their `seq`."""
        where, params = self._targets_where(after, since)
        with self._read() as db:
            rows = db.execute(
                "SELECT seq, id, url, canonical_url, outlet, title, body, published_at, content_hash "
                f"FROM articles {where} ORDER BY seq LIMIT ?", [*params, limit]
            ).fetchall()
        keys = ("seq", "id", "url", "canonical_url", "outlet", "title", "body", "published_at", "hash")
        return [dict(zip(keys, r)) for r in rows]

    def reprocess_seqs(self, *, after: int = 0, since: str | None = None, limit: int = 10_000) -> list[int]:
        """Only the seqs of what `reprocess_targets` would return (a distributed reindex's batches)."""
        where, params = self._targets_where(after, since)
        with self._read() as db:
            rows = db.execute(f"SELECT seq FROM articles {where} ORDER BY seq LIMIT ?", [*params, limit]).fetchall()
        return [int(r[0]) for r in rows]

    def count_reprocess_targets(self, *, after: int = 0, since: str | None = None) -> int:
        where, params = self._targets_where(after, since)
        with self._read() as db:
            return int(db.execute(f"SELECT COUNT(*) FROM articles {where}", params).fetchone()[0])

    @staticmethod
    def _targets_where(after: int, since: str | None) -> tuple[str, list[Any]]:
        if since:
            return "WHERE seq > ? AND published_at >= ?", [after, since]
        return "WHERE seq > ?", [after]

    def rewrite_analysis(
        self, items: list[dict[str, Any]], *, state: tuple[str, dict[str, Any]] | None = None,
        once: bool = False,
    ) -> int | None:
        """Replace organisations, achievements and terms of stored articles, text untouched and
        no version made. Items come from `reprocess_targets` with new `organizations` and
        `achievements`; an article whose text changed meanwhile is skipped (its update brought
        its own analysis). `state` (key, value) is saved in the same transaction, so progress
        and rewrites never disagree after a crash. Returns how many were rewritten — or, with
        `once`, None and nothing written when the `state` key was saved already (another
        worker of a distributed reindex wrote this batch; writers hold the write lock, so the
        check and the write cannot interleave)."""
        checked = []
        for item in items:
            organizations, achievements = analysis_of(item, item.get("url") or str(item.get("seq")))
            checked.append({**item, "organizations": organizations, "achievements": achievements})
        # terms the enrich step already made (index/reprocess.py); the rest analysed here
        terms = {id(item): item[TERMS_KEY] for item in checked if item.get(TERMS_KEY) is not None}
        terms.update(self._terms_for([item for item in checked if id(item) not in terms]))
        done = 0
        with self._write() as db:
            if once and state is not None and db.execute(
                "SELECT 1 FROM index_state WHERE key = ?", (state[0],)
            ).fetchone() is not None:
                return None
            for item in checked:
                row = db.execute(
                    "SELECT content_hash FROM articles WHERE seq = ?", (item["seq"],)
                ).fetchone()
                if row is None or (item.get("hash") and row[0] != item["hash"]):
                    continue
                self._reanalyse(db, item["seq"], item, terms[id(item)])
                done += 1
            if state is not None:
                self._set_state(db, *state)
        return done

    def get_state(self, key: str) -> dict[str, Any] | None:
        """A saved job state (e.g. the progress of `newsmine reindex`)."""
        with self._read() as db:
            row = db.execute("SELECT value FROM index_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_state(self, key: str, value: dict[str, Any] | None) -> None:
        with self._write() as db:
            self._set_state(db, key, value)

    @staticmethod
    def _set_state(db: Db, key: str, value: dict[str, Any] | None) -> None:
        if value is None:
            db.execute("DELETE FROM index_state WHERE key = ?", (key,))
            return
        db.execute(
            "INSERT INTO index_state (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, json.dumps(value, ensure_ascii=False), now()),
        )

    # ------------------------------------------------------------ urls and fetch state

    def stores_unchanged(self, record: dict[str, Any]) -> bool:
        prepared = prepare(record)
        with self._read() as db:
            stored = self._stored_hashes(db, [prepared["canonical_url"]])
        return stored.get(prepared["canonical_url"]) == prepared["hash"]

    def has_url(self, url: str) -> bool:
        with self._read() as db:
            return db.execute("SELECT 1 FROM article_urls WHERE url = ?", (url,)).fetchone() is not None

    def known_urls(self) -> set[str]:
        with self._read() as db:
            return {row[0] for row in db.execute("SELECT url FROM article_urls").fetchall()}

    def get_fetch_state(self, url: str) -> dict[str, Any] | None:
        with self._read() as db:
            row = db.execute(
                "SELECT etag, last_modified, fetched_at, status FROM fetch_state WHERE url = ?",
                (url,),
            ).fetchone()
        if row is None:
            return None
        return {"etag": row[0], "last_modified": row[1], "fetched_at": row[2], "status": row[3]}

    def set_fetch_state(
        self, url: str, *, etag: str | None, last_modified: str | None, status: int
    ) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO fetch_state (url, etag, last_modified, status, fetched_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, status = excluded.status, "
                "fetched_at = excluded.fetched_at",
                (url, etag, last_modified, int(status), now()),
            )

    # ------------------------------------------------------------ records

    def _records(self, db: Db, seqs: list[int]) -> list[dict[str, Any]]:
        """Export records of the given articles, in the given order."""
        if not seqs:
            return []
        articles, mentions, orgs, achievements = record_queries(marks(seqs), self.mention_order)
        return assemble_records(
            seqs,
            db.execute(articles, seqs).fetchall(),
            db.execute(mentions, seqs).fetchall(),
            db.execute(orgs, seqs).fetchall(),
            db.execute(achievements, seqs).fetchall(),
        )

    # ------------------------------------------------------------ search

    # Search reads every match only when a query matches at most FULL_LIMIT articles: then
    # ranking, story collapse, totals and facets are exact. A broader query (a common word
    # in a quarter of the index) would spend its time ranking and reading tens of thousands
    # of rows, so it ranks a window instead: its newest WINDOW matches (the title weight
    # still counts within them). Its article count is a count up to COUNT_LIMIT (below) or a
    # back end's estimate; the story count is scaled from the window and the facets count the
    # window (docs/search.md). Paging beyond the window falls back to the exact path.
    FULL_LIMIT = 1000
    WINDOW = 400
    # Counting costs a look at every match: on 1,000,000 articles a common word meets 10^5 of
    # them. A back end may stop counting at COUNT_LIMIT matches; the total then says "at least"
    # (`total_relation` "gte", as Elasticsearch's track_total_hits does). None: it counts every
    # match, or estimates (`Count.estimated`). `exact_total` always counts.
    COUNT_LIMIT: int | None = None
    META = "a.story_id, a.published_at, a.outlet, a.org_names, a.achievement_types"

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
        collapse: bool = True,
        group: str | None = None,
        exact_total: bool = False,
    ) -> dict[str, Any]:
        """Hits, total and facets; total counts stories when collapse (else articles), facets
        count articles. Search rows are (seq, score, story_id, published_at, outlet,
        org_names, types), lower scores better. `group="release"`: the rewrites of one press
        release are one hit too, with `release` on every hit (index/release_groups.py).
        `exact_total`: count every match, however many (else a back end may stop counting)."""
        sort = check_sort(sort)
        group = release_groups.check_group(group)
        limit, offset = max(0, int(limit)), max(0, int(offset))
        need = offset + limit
        with self._read() as db:
            self._search_session(db)
            compiled = self._compile(db, query)
            count, newest, exact, estimated = self._count(db, compiled, exact_total)
            relation = "eq"
            if count <= self.FULL_LIMIT or need > self.WINDOW // 3:
                whole = exact and newest is not None and len(newest) == count   # else read every match
                rows = self._all_rows(db, compiled, newest if whole else None)
                keys = release_groups.release_keys(db, rows) if group else None
                total, seqs = ranked(rows, sort, collapse, need, keys)
            else:
                rows = self._window_rows(db, compiled, newest)
                keys = release_groups.release_keys(db, rows) if group else None
                shown, seqs = ranked(rows, sort, collapse, need, keys)
                scaled = bool((collapse or group) and rows)
                total = round(count * shown / len(rows)) if scaled else count
                relation = "approx" if estimated or (exact and scaled) else ("gte" if not exact else "eq")
            hits = self._hits(db, seqs[offset:], compiled)
            if keys is not None:
                release_groups.describe(db, hits, seqs[offset:], rows, keys, sort)
        result = {"query": query, "total": total, "hits": hits, "facets": facets(rows)}
        if relation != "eq":   # only when not exact, so an exact answer keeps DESIGN.md's keys
            result["total_relation"] = relation
        return {**result, "group": group} if group else result

    def _lone_count(self, db: Db, compiled: Any) -> Count:
        """A query that is one org:/firm:/type:/amount filter and nothing else: counted and
        ordered in that filter's own table index (an index-only scan on a vacuumed PostgreSQL),
        exactly at any size, no article or search row read."""
        sql, params = compiled.lone_membership
        count = int(self._fetch(db, f"SELECT count(DISTINCT seq) FROM ({sql}) m", params)[0][0])
        newest = self._fetch(db, f"SELECT DISTINCT seq FROM ({sql}) m ORDER BY seq DESC LIMIT ?",
                             [*params, max(self.FULL_LIMIT + 1, self.WINDOW)])
        return Count(count, [r[0] for r in newest])

    def _window_rows(self, db: Db, compiled: Any, newest: list[int] | None) -> list[tuple]:
        seqs = newest[: self.WINDOW] if newest is not None else self._newest_seqs(db, compiled, self.WINDOW)
        return self._window_scored(db, compiled, seqs)

    def _window_scored(self, db: Db, compiled: Any, seqs: list[int]) -> list[tuple]:
        """Search rows of a broad query's window; by default scored as every match would be."""
        return self._rows_for(db, compiled, seqs)

    def _search_session(self, db: Db) -> None:
        """Per-transaction settings for a search (PostgreSQL's planner hints); optional."""

    def _end_search_session(self, db: Db) -> None:
        """Undo `_search_session` for the rest of the transaction; optional."""

    @abstractmethod
    def _compile(self, db: Db, query: str) -> Any:
        """The query compiled for this back end (partial names looked up in `db`)."""

    @abstractmethod
    def _count(self, db: Db, compiled: Any, exact: bool = False) -> Count:
        """How many articles match; and, if the back end found them on the way, the seqs of
        the newest matches, newest first (all of them when few), else None. `exact`: never
        stop counting."""

    @abstractmethod
    def _all_rows(self, db: Db, compiled: Any, seqs: list[int] | None) -> list[tuple]:
        """Search rows of every match (`seqs`: all of them, when `_count` found them)."""

    @abstractmethod
    def _rows_for(self, db: Db, compiled: Any, seqs: list[int]) -> list[tuple]:
        """Search rows (scored) of the given matching seqs."""

    @abstractmethod
    def _newest_seqs(self, db: Db, compiled: Any, n: int) -> list[int]:
        """The seqs of the n newest (by seq) matches, newest first."""

    def _hits(self, db: Db, seqs: list[int], compiled: Any) -> list[dict[str, Any]]:
        """Search hits for the page of seqs: snippets read only these bodies."""
        if not seqs:
            return []
        rows = {
            r[0]: r
            for r in db.execute(
                f"SELECT seq, id, url, title, outlet, published_at, body, story_id, org_names, kind "
                f"FROM articles WHERE seq IN ({marks(seqs)})",
                seqs,
            ).fetchall()
        }
        story_ids = list({rows[s][7] for s in seqs})
        sizes = dict(
            db.execute(
                f"SELECT story_id, COUNT(*) FROM articles WHERE story_id IN ({marks(story_ids)}) "
                f"GROUP BY story_id",
                story_ids,
            ).fetchall()
        )
        regex = pattern_regex(compiled.patterns)
        return [
            hit(rows[seq], make_snippet(rows[seq][6], regex), int(sizes.get(rows[seq][7], 1)))
            for seq in seqs
        ]

    @abstractmethod
    def _matching_seqs(self, db: Db, query: str) -> list[int]:
        """Every article matching a query, in seq order."""

    def iter_records(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        """Every (matching) article in storage order; batches keep memory flat."""
        if query is not None and query.strip():
            with self._read() as db:
                seqs = self._matching_seqs(db, query)
            for i in range(0, len(seqs), EXPORT_BATCH):
                with self._read() as db:
                    records = self._records(db, seqs[i : i + EXPORT_BATCH])
                yield from records
            return
        last = 0
        while True:
            with self._read() as db:
                seqs = [r[0] for r in db.execute(
                    "SELECT seq FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (last, EXPORT_BATCH)
                ).fetchall()]
                records = self._records(db, seqs)
            if not seqs:
                return
            last = seqs[-1]
            yield from records

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        with self._read() as db:
            row = db.execute(
                "SELECT seq, source, fetched_at, updated_at, story_id FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                return None
            record = self._records(db, [row[0]])[0]
            size = db.execute("SELECT COUNT(*) FROM articles WHERE story_id = ?", (row[4],)).fetchone()[0]
        record.update(source=row[1], fetched_at=row[2], updated_at=row[3], story_size=size)
        return record

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """Earlier texts of an article, oldest first."""
        with self._read() as db:
            rows = db.execute(
                "SELECT v.title, v.body, v.published_at, v.modified_at, v.stored_at, "
                "v.replaced_at FROM article_versions v JOIN articles a ON a.seq = v.article_seq "
                "WHERE a.id = ? ORDER BY v.id",
                (article_id,),
            ).fetchall()
        keys = ("title", "body", "published_at", "modified_at", "stored_at", "replaced_at")
        return [dict(zip(keys, r)) for r in rows]

    def summary(self) -> dict[str, Any]:
        with self._read() as db:
            articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            story_count = db.execute("SELECT COUNT(DISTINCT story_id) FROM articles").fetchone()[0]
            orgs = db.execute(
                "SELECT kind, COUNT(DISTINCT name) FROM organizations o WHERE EXISTS "
                "(SELECT 1 FROM article_orgs ao WHERE ao.org_id = o.id) GROUP BY kind ORDER BY kind"
            ).fetchall()
            achievements = db.execute(
                "SELECT type, COUNT(*) FROM achievements GROUP BY type ORDER BY 2 DESC, 1"
            ).fetchall()
            outlets = db.execute(
                "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL "
                "GROUP BY outlet ORDER BY 2 DESC, 1"
            ).fetchall()
        return {
            "articles": int(articles),
            "stories": int(story_count),
            "organizations": {k: int(v) for k, v in orgs},
            "achievements": {k: int(v) for k, v in achievements},
            "outlets": {k: int(v) for k, v in outlets},
        }

    # ------------------------------------------------------------ surfaces
    # Reports, organisation pages and saved searches (newsmine/queries.py, watches.py) run
    # their own SQL; these let them do it on either back end without touching connections.

    def read(self) -> ContextManager[Db]:
        """One consistent read snapshot; its Db takes `?` placeholders on either back end."""
        return self._read()

    def write(self) -> ContextManager[Db]:
        """One write transaction, serialised with other writers, committed on success."""
        return self._write()

    def compile(self, db: Db, query: str) -> Any:
        """`query` compiled by this back end (partial names expanded from `db`), so callers
        highlight and match exactly as search does; QueryError when malformed."""
        return self._compile(db, query)

    def matching(
        self, db: Db, query: str | None, columns: str, extra: str = "1", extra_params: Iterable[Any] = ()
    ) -> list[tuple]:
        """Rows of `columns` over `articles a` for every article `query` matches (what
        `search` matches; every article when empty) that also meets the SQL condition `extra`."""
        conditions: list[str] = []
        params: list[Any] = []
        searching = query is not None and bool(query.strip())
        if searching:
            where, params = self._articles_where(self._compile(db, query))
            conditions.append(f"({where})")
        if extra.strip() not in ("", "1", "true"):
            conditions.append(f"({extra})")
            params = [*params, *extra_params]
        sql = f"SELECT {columns} FROM articles a"
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        if not searching:
            return self._fetch(db, sql, params)
        # the planner hints search uses (a broad word: 4 s → 0.5 s on PostgreSQL at 100k), and
        # back to the defaults for whatever the caller runs next in this transaction
        self._search_session(db)
        try:
            return self._fetch(db, sql, params)
        finally:
            self._end_search_session(db)

    def condition(self, db: Db, query: str) -> tuple[str, list]:
        """The SQL condition over `articles a` (and its parameters) of the articles `query`
        matches, for callers that join it with other tables; QueryError when malformed."""
        return self._articles_where(self._compile(db, query))

    def _articles_where(self, compiled: Any) -> tuple[str, list]:
        """`_where` over `articles a`: the same unless the back end's search reads another table."""
        return self._where(compiled, compiled.match)

    def matching_seqs_sql(self, db: Db, query: str) -> tuple[str, list]:
        """A `SELECT` of the seqs of the articles `query` matches (and its parameters), for
        `x.article_seq IN (…)`: the cheapest form the back end has."""
        where, params = self.condition(db, query)
        return f"SELECT a.seq FROM articles a WHERE {where}", params

    def matching_condition(self, db: Db, query: str, column: str, within: str = "",
                           within_params: Iterable[Any] = ()) -> tuple[str, list]:
        """The condition (and its parameters) that `column` holds the seq of an article
        `query` matches; several uses in one snapshot may share it. `within` (a SELECT of
        seqs) says where the caller will look: matches outside it may be left out."""
        sql, params = self.matching_seqs_sql(db, query)
        return f"{column} IN ({sql})", params

    def match_window(self, db: Db, query: str, most: int) -> Count | None:
        """When `query` matches more than `most` articles: how many it matches (counted up to
        the back end's limit, or estimated, as search does) with the seqs of its newest WINDOW
        matches, newest first; else None, and the caller reads every match. For callers that
        cannot afford every match of a common word (the achievements of its articles)."""
        self._search_session(db)
        try:
            compiled = self._compile(db, query)
            count = self._count(db, compiled)
            if count.exact and count.articles <= most:
                return None
            newest = count.newest[: self.WINDOW] if count.newest else self._newest_seqs(db, compiled, self.WINDOW)
        finally:
            self._end_search_session(db)
        return Count(count.articles, newest, count.exact, count.estimated)

    def seqs_condition(self, column: str, seqs: list[int]) -> tuple[str, list]:
        """The condition (and its parameters) that `column` holds one of `seqs`."""
        return f"{column} IN ({marks(seqs)})", list(seqs)

    @abstractmethod
    def _where(self, compiled: Any, match: str | None) -> tuple[str, list]:
        """The SQL condition (over `a`) and parameters of a compiled query."""

    @abstractmethod
    def _fetch(self, db: Db, sql: str, params: list) -> list[tuple]:
        """Every row of one statement; driver errors become one-line QueryError/StoreError."""

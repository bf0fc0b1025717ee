"""The SQLite schema, versioned: `schema_version` holds the version, MIGRATIONS (ordered steps:
SQL statements or Python callables per version) bring older files up to date in one
transaction, and a file newer than this code is refused. PostgreSQL's twin is
index/pg_schema.py (its own numbering).

Articles have an integer `seq` (the FTS5 rowid and the key of the child tables, compact and
fast to join) and a stable text `id` (first 16 hex chars of sha1(canonical_url)) that other
databases and exports agree on.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable, Union

from index.base import StoreError
from index.common import FACET_COLUMN, facet_text
from index.folds import (
    AMOUNT_COUNTS, FACET_COUNTS, FOLD_COLUMNS, FOLD_INDEXES, ORG_COVERING, RANK_COLUMNS, RANK_COUNTS, RANK_FILL,
    TYPE_COVERING, fill_folds,
)

SCHEMA_VERSION = 16

_V1 = [
    # Small columns first and body last: search reads the leading columns of many rows, and
    # SQLite must walk overflow pages to reach a column stored after a long body.
    # org_names / achievement_types duplicate the child tables in one cell each, so facets
    # over thousands of hits need no joins (kept in step by the same upsert transaction).
    """CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        story_id TEXT NOT NULL,
        published_at TEXT,
        outlet TEXT,
        org_names TEXT NOT NULL DEFAULT '',
        achievement_types TEXT NOT NULL DEFAULT '',
        source TEXT,
        modified_at TEXT,
        fetched_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        url TEXT NOT NULL,
        canonical_url TEXT NOT NULL UNIQUE,
        authors TEXT NOT NULL DEFAULT '[]',
        title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX articles_story ON articles(story_id)",
    "CREATE INDEX articles_published ON articles(published_at)",
    "CREATE INDEX articles_outlet ON articles(outlet)",
    "CREATE INDEX articles_source ON articles(source)",
    # Every url an article was seen under (url and canonical url), for has_url / known_urls.
    """CREATE TABLE article_urls (
        url TEXT PRIMARY KEY,
        article_seq INTEGER NOT NULL REFERENCES articles(seq)) WITHOUT ROWID""",
    # The text an article had before each update.
    """CREATE TABLE article_versions (
        id INTEGER PRIMARY KEY,
        article_seq INTEGER NOT NULL REFERENCES articles(seq),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        published_at TEXT,
        modified_at TEXT,
        stored_at TEXT NOT NULL,
        replaced_at TEXT NOT NULL)""",
    "CREATE INDEX article_versions_article ON article_versions(article_seq)",
    """CREATE TABLE organizations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        UNIQUE (name, kind))""",
    # One row per organisation entry of an article (its order and surface forms kept).
    """CREATE TABLE article_orgs (
        article_seq INTEGER NOT NULL REFERENCES articles(seq),
        position INTEGER NOT NULL,
        org_id INTEGER NOT NULL REFERENCES organizations(id),
        surfaces TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (article_seq, position)) WITHOUT ROWID""",
    "CREATE INDEX article_orgs_org ON article_orgs(org_id, article_seq)",
    """CREATE TABLE mentions (
        article_seq INTEGER NOT NULL REFERENCES articles(seq),
        org_position INTEGER NOT NULL,
        org_id INTEGER NOT NULL REFERENCES organizations(id),
        surface TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL)""",
    "CREATE INDEX mentions_article ON mentions(article_seq)",
    "CREATE INDEX mentions_org ON mentions(org_id)",
    """CREATE TABLE achievements (
        article_seq INTEGER NOT NULL REFERENCES articles(seq),
        position INTEGER NOT NULL,
        org_name TEXT,
        scope TEXT,
        type TEXT NOT NULL,
        amount_value NUMERIC,
        amount_unit TEXT,
        approximate INTEGER,
        date TEXT,
        evidence TEXT,
        span_start INTEGER,
        span_end INTEGER,
        confidence REAL,
        PRIMARY KEY (article_seq, position)) WITHOUT ROWID""",
    "CREATE INDEX achievements_type ON achievements(type, article_seq)",
    "CREATE INDEX achievements_org ON achievements(org_name)",
    """CREATE TABLE fetch_state (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        status INTEGER,
        fetched_at TEXT NOT NULL) WITHOUT ROWID""",
    # Near-duplicate detection (index/stories.py): MinHash signature per article, and one row
    # per LSH band hash so candidates are an indexed lookup rather than an in-memory index.
    """CREATE TABLE story_signatures (
        article_seq INTEGER PRIMARY KEY REFERENCES articles(seq),
        signature BLOB NOT NULL)""",
    """CREATE TABLE story_bands (
        hash INTEGER NOT NULL,
        article_seq INTEGER NOT NULL,
        PRIMARY KEY (hash, article_seq)) WITHOUT ROWID""",
    # Kiwi terms (positional, for phrases and BM25) and joined compounds, for title and body.
    # A regular (not contentless) FTS5 table: updates and deletes by rowid stay consistent
    # without re-analysing the old text.
    """CREATE VIRTUAL TABLE article_fts USING fts5(
        title_t, body_t, title_c, body_c,
        tokenize = 'unicode61 remove_diacritics 0')""",
]

# Version 2: organisation identity (aliases), partial-name look-ups (trigrams of organisation
# names), job state for `newsmine reindex`, and when the NLP stage last ran per article.
_V2 = [
    "ALTER TABLE articles ADD COLUMN analysed_at TEXT",
    "UPDATE articles SET analysed_at = updated_at",
    # Another spelling of a stored organisation (IT스테이션 for 아이티스테이션), same kind.
    """CREATE TABLE org_aliases (
        alias TEXT NOT NULL,
        kind TEXT NOT NULL,
        org_id INTEGER NOT NULL REFERENCES organizations(id),
        PRIMARY KEY (alias, kind)) WITHOUT ROWID""",
    "CREATE INDEX org_aliases_org ON org_aliases(org_id)",
    """CREATE TABLE index_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL) WITHOUT ROWID""",
    # rowid = organizations.id; a ≥ 3-character query word finds the names containing it.
    "CREATE VIRTUAL TABLE org_trgm USING fts5(name, tokenize = 'trigram')",
    "INSERT INTO org_trgm (rowid, name) SELECT id, name FROM organizations",
]

# Version 3: search reads a narrow copy of the columns it filters and ranks by.
_V3 = [
    # The columns search filters, ranks, collapses and counts by, one narrow row per article
    # (articles rows carry their body: ~15 times wider). Kept in step by the upserts.
    """CREATE TABLE article_meta (
        seq INTEGER PRIMARY KEY,
        story_id TEXT NOT NULL,
        published_at TEXT,
        outlet TEXT,
        source TEXT,
        org_names TEXT NOT NULL DEFAULT '',
        achievement_types TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX article_meta_published ON article_meta(published_at)",
    "CREATE INDEX article_meta_outlet ON article_meta(outlet)",
    "CREATE INDEX article_meta_source ON article_meta(source)",
    "INSERT INTO article_meta SELECT seq, story_id, published_at, outlet, source, org_names, "
    "achievement_types FROM articles",
]

# Version 4: saved searches (newsmine/watches.py). Older code created this table on first use,
# so a file may have it already.
_V4 = [
    """CREATE TABLE IF NOT EXISTS watches (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0,
        last_digest_at TEXT)""",
]

# Version 5: who the achievement was with or from (buyer, awarding body, investor, partner).
# Older rows keep NULL until `newsmine reindex` re-runs the NLP.
_V5 = ["ALTER TABLE achievements ADD COLUMN counterparty TEXT"]


# The kind of the organisation credited, as the article it was found in names it (firm first).
ORG_KIND_FILL = (
    "UPDATE achievements SET org_kind = (SELECT o.kind FROM article_orgs ao "
    "JOIN organizations o ON o.id = ao.org_id WHERE ao.article_seq = achievements.article_seq "
    "AND o.name = achievements.org_name ORDER BY CASE WHEN o.kind = 'firm' THEN 0 ELSE 1 END, "
    "ao.position LIMIT 1)"
)


def fill_regions(conn: Any, mark: str = "?", executemany: Callable[[str, list], Any] | None = None) -> None:
    """articles.region of the stored articles (later upserts write it themselves); `mark` and
    `executemany` let PostgreSQL's migration run it too."""
    from index.regions import REGION_CHARS, article_region

    executemany = executemany or conn.executemany
    last = 0
    while True:
        rows = conn.execute(
            f"SELECT seq, title, substr(body, 1, {REGION_CHARS}) FROM articles WHERE seq > {mark} "
            "ORDER BY seq LIMIT 1000",
            (last,),
        ).fetchall()
        if not rows:
            return
        executemany(f"UPDATE articles SET region = {mark} WHERE seq = {mark}",
                    [(article_region(title, body), seq) for seq, title, body in rows])
        last = rows[-1][0]


# The programme columns of achievements (SQLite v10, PostgreSQL v8: the same statements).
PROGRAMME_COLUMNS: list = [
    "ALTER TABLE achievements ADD COLUMN programme TEXT",
    "ALTER TABLE achievements ADD COLUMN programme_body TEXT",
    "ALTER TABLE achievements ADD COLUMN programme_key TEXT",
    "CREATE INDEX achievements_programme ON achievements(programme_key)",
]


# Version 6: achievements as rows of their own (newsmine/achievements.py): the region an
# article is about (index/regions.py), the kind of the credited organisation, and the
# amount, to filter and sort by.
_V6: list = [
    "ALTER TABLE articles ADD COLUMN region TEXT",
    fill_regions,
    "CREATE INDEX articles_region ON articles(region)",
    "CREATE INDEX achievements_amount ON achievements(amount_unit, amount_value)",
    "ALTER TABLE achievements ADD COLUMN org_kind TEXT",
    ORG_KIND_FILL,
]

# Version 7: what kind of text an article is (article | press_release) and, for a press
# release, its header fields, attachment files and which text came from which file (JSON,
# pipelines/releases.py). Older rows are articles.
_V7 = [
    "ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'article'",
    "ALTER TABLE articles ADD COLUMN release_info TEXT",
]

# Version 8: each news article linked to the press release it rewrites (index/tracing.py,
# `newsmine trace`): how much of the article's text came from the release (overlap), the
# share of the release's sentences it kept, its delay, and what it added (JSON).
_V8 = [
    """CREATE TABLE release_links (
        article_seq INTEGER PRIMARY KEY REFERENCES articles(seq),
        release_seq INTEGER NOT NULL REFERENCES articles(seq),
        overlap REAL NOT NULL,
        kept REAL NOT NULL,
        kept_sentences INTEGER NOT NULL,
        release_sentences INTEGER NOT NULL,
        delay_hours REAL,
        additions TEXT NOT NULL DEFAULT '{}',
        traced_at TEXT NOT NULL)""",
    "CREATE INDEX release_links_release ON release_links(release_seq)",
]

# Version 9: search reads the kind of each article from article_meta too (the `kind:` filter);
# reaching articles.kind means walking past the body's overflow pages.
_V9 = [
    "ALTER TABLE article_meta ADD COLUMN kind TEXT NOT NULL DEFAULT 'article'",
    "UPDATE article_meta SET kind = 'press_release' WHERE seq IN "
    "(SELECT seq FROM articles WHERE kind = 'press_release')",
]

# Version 10: the programme, prize or certificate of a selection, award, certification or
# funding (nlp/programmes.py), the body that runs it, and its grouping key (the programme page
# reads by key). Older rows keep NULL until `newsmine reindex` re-runs the NLP.
_V10 = PROGRAMME_COLUMNS

# Version 11: the folds of achievements kept at write time (index/folds.py): each row's fold,
# its rank among the copies and the fold's size, and its article's date, outlet, source and
# region, so /api/achievements filters, counts and pages without folding at read time.
_V11 = [*FOLD_COLUMNS, fill_folds, *FOLD_INDEXES, "ANALYZE achievements"]

# Version 12: the facet counts of the first copies, per type, kept by triggers (index/folds.py),
# so the first page and a type-only filter count a few hundred rows, not every first copy.
_V12 = FACET_COUNTS

# Version 13: the same counts by unit and amount bucket (index/folds.py), so an amount bound
# sums whole buckets and counts the rows of at most two, not every first copy in its range;
# the type's index covers what words with a type read (TYPE_COVERING).
_V13 = [*AMOUNT_COUNTS, *TYPE_COVERING, "ANALYZE achievements"]

# Version 14: the span of seqs each month's articles lie in, kept by a trigger, so a date range
# beside words is searched inside that span of the full-text index (index/sqlite.py) instead
# of walking the date index and looking every dated article up among the words' matches. A
# month's span only ever widens (a moved or replaced article leaves it wide): a superset, never
# a miss.
_V14 = [
    """CREATE TABLE seq_by_month (
        month TEXT PRIMARY KEY,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL) WITHOUT ROWID""",
    "INSERT INTO seq_by_month SELECT substr(published_at, 1, 7), min(seq), max(seq) FROM article_meta "
    "WHERE published_at IS NOT NULL GROUP BY 1",
    """CREATE TRIGGER article_meta_month AFTER INSERT ON article_meta WHEN new.published_at IS NOT NULL
    BEGIN
        INSERT INTO seq_by_month VALUES (substr(new.published_at, 1, 7), new.seq, new.seq)
        ON CONFLICT(month) DO UPDATE SET first_seq = min(first_seq, excluded.first_seq),
                                         last_seq = max(last_seq, excluded.last_seq);
    END""",
]

# Version 15: the outlet and source, kind, achievement types and month of each article as tokens
# of a fifth FTS5 column (index/common.py, FACET_COLUMN), so an outlet:, type: or kind: filter or
# a range of whole months beside words is intersected inside FTS5, newest first. FTS5 cannot add
# a column: the table is built again from its stored terms (no text is analysed again; minutes
# at a million articles).
FTS_COLUMNS = f"title_t, body_t, title_c, body_c, {FACET_COLUMN}, tokenize = 'unicode61 remove_diacritics 0'"


def fts_with_facets(conn: sqlite3.Connection) -> None:
    conn.create_function("newsmine_facet_text", 5, facet_text, deterministic=True)
    conn.execute(f"CREATE VIRTUAL TABLE article_fts_v15 USING fts5({FTS_COLUMNS})")
    conn.execute(
        f"INSERT INTO article_fts_v15 (rowid, title_t, body_t, title_c, body_c, {FACET_COLUMN}) "
        "SELECT f.rowid, f.title_t, f.body_t, f.title_c, f.body_c, "
        "newsmine_facet_text(a.outlet, a.source, a.kind, coalesce(a.achievement_types, ''), a.published_at) "
        "FROM article_fts f LEFT JOIN article_meta a ON a.seq = f.rowid")
    conn.execute("DROP TABLE article_fts")
    conn.execute("ALTER TABLE article_fts_v15 RENAME TO article_fts")


_V15 = [fts_with_facets]

# Version 16: each copy's rank among its fold's copies of the same region, region and kind,
# outlet, kind (index/folds.py RANKS), and the counts of the rank-1 copies kept by triggers, so
# `/api/achievements` filtered by a region, an outlet or a kind counts kept rows instead of
# every copy; an organisation's rows, folds and facets from its index alone.
_V16 = [*RANK_COLUMNS, RANK_FILL, *RANK_COUNTS, *ORG_COVERING, "ANALYZE achievements"]

Step = Union[str, Callable[[sqlite3.Connection], None]]
# version -> steps that bring the previous version up to it, in order
MIGRATIONS: dict[int, list[Step]] = {1: _V1, 2: _V2, 3: _V3, 4: _V4, 5: _V5, 6: _V6, 7: _V7, 8: _V8, 9: _V9,
                                     10: _V10, 11: _V11, 12: _V12, 13: _V13, 14: _V14,
                                     15: _V15, 16: _V16}


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if row is None:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, target_version: int = SCHEMA_VERSION) -> int:
    """Create or upgrade the schema (connection in autocommit mode); returns the version.
    `target_version` below the newest exists for tests of the upgrade path."""
    version = current_version(conn)
    if version >= target_version and version <= SCHEMA_VERSION:
        return version
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database schema version {version} is newer than this newsmine ({SCHEMA_VERSION})"
        )
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = current_version(conn)  # another process may have migrated meanwhile
        if version == 0:
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for target in range(version + 1, target_version + 1):
            for step in MIGRATIONS[target]:
                if callable(step):
                    step(conn)
                else:
                    conn.execute(step)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (target,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return target_version

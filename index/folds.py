"""Achievement folds, kept at write time so `/api/achievements` never folds at read time.

The copies of one achievement — same story, same organisation, same type, same amount: one
press release rewritten by several outlets — form a fold. Each achievement row carries:

- `fold_id`: the fold's identity (the earliest copy's article_seq * FOLD_SPAN + position);
- `fold_rank`: 1 for the earliest copy (publication date, undated last, then seq and
  position), 2 for the next …; `fold_size`: how many copies the index holds;
- `amount_order`: where the amount sorts (won first, then the other currencies, then counts
  of people and items, UNIT_ORDER; 99 without an amount), so "largest first" is an index order;
- copies of its article's `published_at` (`pub`, and its `year`), `outlet`, `source` and `region`, so the filters,
  facets and sorts of newsmine/achievements.py read one table (and, through the indexes
  below, mostly the indexes alone).

`refold` recomputes the rows of whole stories (a fold never leaves its story); the store
calls it whenever an article's achievements, story, date, outlet or region may have changed
(insert, update, re-analysis, an organisation renamed), inside the same write transaction.
SQLite v11 and PostgreSQL v9 add the columns and fill them (`fill_folds`).
"""

from __future__ import annotations

import bisect

from typing import Any, Callable, Iterable

FOLD_SPAN = 1 << 16  # positions of one article's achievements stay below this
UNIT_ORDER = ("KRW", "USD", "EUR", "JPY", "CNY", "persons", "items", "percent")
NO_AMOUNT = 99  # amount_order of a row without an amount: after every unit

# A per-copy filter keeps, of each fold, the earliest copy that meets it. For the filters users
# set alone most (a region, a region with the organisation's kind, an outlet, a kind), each copy
# also carries its rank among the fold's copies that agree with it there (NULLs agree with each
# other), so the copies such a filter shows are `{rank} = 1` rows, counted at write time like the
# first copies (RANK_COUNTS) instead of probed for an earlier copy at read time.
RANKS = (("region_rank", ("region",)), ("region_kind_rank", ("region", "org_kind")),
         ("outlet_rank", ("outlet",)), ("kind_rank", ("org_kind",)))

FOLD_COLUMNS: list = [
    "ALTER TABLE achievements ADD COLUMN pub TEXT",
    "ALTER TABLE achievements ADD COLUMN outlet TEXT",
    "ALTER TABLE achievements ADD COLUMN source TEXT",
    "ALTER TABLE achievements ADD COLUMN region TEXT",
    "ALTER TABLE achievements ADD COLUMN fold_id BIGINT",
    "ALTER TABLE achievements ADD COLUMN fold_rank INTEGER",
    "ALTER TABLE achievements ADD COLUMN fold_size INTEGER",
    "ALTER TABLE achievements ADD COLUMN amount_order INTEGER",
    "ALTER TABLE achievements ADD COLUMN year TEXT",
]
# {nl}: " NULLS LAST" on PostgreSQL, whose descending indexes put NULL first (SQLite: last).
_INDEXES = [
    # an earlier copy of the fold that meets the per-copy filters (kind, region, outlet, dates)
    "CREATE INDEX achievements_fold ON achievements(fold_id, fold_rank, org_kind, region, pub, outlet, source)",
    # every copy of an outlet (its name or its source key)
    "CREATE INDEX achievements_outlet ON achievements(outlet)",
    "CREATE INDEX achievements_source ON achievements(source)",
    # the first copies in each sort order, and their facets from the index alone
    "CREATE INDEX achievements_first ON achievements(fold_rank, pub DESC{nl}, article_seq DESC, position, type, "
    "amount_unit, amount_value, fold_size)",
    "CREATE INDEX achievements_first_amount ON achievements(fold_rank, amount_order, amount_value DESC, pub DESC{nl}, "
    "article_seq DESC, position, type, org_kind, amount_unit, region, outlet, year, fold_size)",
    "CREATE INDEX achievements_first_story ON achievements(fold_rank, fold_size DESC, pub DESC{nl}, article_seq DESC, "
    "position)",
    "CREATE INDEX achievements_first_facets ON achievements(fold_rank, type, org_kind, amount_unit, region, outlet, "
    "year, amount_value)",
    # every copy by region or by date, with what the facets and the earlier-copy test read
    "CREATE INDEX achievements_region_facets ON achievements(region, fold_rank, fold_id, type, org_kind, amount_unit, "
    "outlet, year, amount_value, pub, amount_order, fold_size)",
    "CREATE INDEX achievements_pub_facets ON achievements(pub, fold_rank, fold_id, type, org_kind, amount_unit, "
    "region, outlet, year, amount_value, amount_order, fold_size)",
]
FOLD_INDEXES = [sql.format(nl="") for sql in _INDEXES]
PG_FOLD_INDEXES = [sql.format(nl=" NULLS LAST") for sql in _INDEXES]

def _rows_sql(ranks: tuple = RANKS) -> str:
    """The rows `fold_rows` reads, whole stories; `ranks` () for a schema before RANKS."""
    extra = "".join(f", ach.{name}" for name, _ in ranks)
    return (
        "SELECT ach.article_seq, ach.position, COALESCE(ach.org_name, ''), ach.type, ach.amount_value, "
        "COALESCE(ach.amount_unit, ''), a.story_id, a.published_at, a.outlet, a.region, a.source, "
        "ach.fold_id, ach.fold_rank, ach.fold_size, ach.amount_order, ach.pub, ach.outlet, ach.region, ach.year, "
        f"ach.source, ach.org_kind{extra} "
        "FROM achievements ach JOIN articles a ON a.seq = ach.article_seq WHERE a.story_id IN ({marks})"
    )


def _update_sql(ranks: tuple = RANKS) -> str:
    extra = "".join(f", {name} = {{m}}" for name, _ in ranks)
    return ("UPDATE achievements SET fold_id = {m}, fold_rank = {m}, fold_size = {m}, amount_order = {m}, pub = {m}, "
            f"outlet = {{m}}, region = {{m}}, year = {{m}}, source = {{m}}{extra} WHERE article_seq = {{m}} "
            "AND position = {m}")


_ROWS = _rows_sql()
_UPDATE = _update_sql()


def amount_order(value: object, unit: str) -> int:
    if value is None:
        return NO_AMOUNT
    return UNIT_ORDER.index(unit) if unit in UNIT_ORDER else len(UNIT_ORDER)


def fold_rows(rows: Iterable[tuple], ranks: tuple = RANKS) -> list[tuple]:
    """The update tuples (new fold columns, then article_seq and position) of the rows whose
    fold columns differ from what they should be; `rows` as `_rows_sql(ranks)` selects them,
    whole stories."""
    folds: dict[tuple, list[tuple]] = {}
    for r in rows:
        value = r[4]
        folds.setdefault((r[6], r[2], r[3], None if value is None else float(value), r[5]), []).append(r)
    out = []
    # what each rank groups by, as positions in a row: region, the organisation's kind, outlet
    groups = [tuple({"region": 9, "org_kind": 20, "outlet": 8}[c] for c in columns) for _, columns in ranks]
    for copies in folds.values():
        copies.sort(key=lambda r: (r[7] is None, r[7] or "", r[0], r[1]))
        head = copies[0][0] * FOLD_SPAN + copies[0][1]
        seen: list[dict[tuple, int]] = [{} for _ in ranks]
        for rank, r in enumerate(copies, start=1):
            agreeing = []       # this copy's place among the fold's copies of its values, per rank
            for counter, group in zip(seen, groups):
                key = tuple(r[i] for i in group)
                counter[key] = counter.get(key, 0) + 1
                agreeing.append(counter[key])
            want = (head, rank, len(copies), amount_order(r[4], r[5]), r[7], r[8], r[9], (r[7] or "")[:4] or None,
                    r[10], *agreeing)
            if (*r[11:20], *r[21:]) != want:
                out.append((*want, r[0], r[1]))
    return out


def refold(db: Any, stories: Iterable[str | None], mark: str = "?",
           executemany: Callable[[str, list], Any] | None = None, ranks: tuple = RANKS) -> None:
    """Recompute the fold columns of every achievement of the given stories."""
    wanted = sorted({s for s in stories if s})
    executemany = executemany or db.executemany
    select, update = _rows_sql(ranks), _update_sql(ranks)
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        rows = db.execute(select.format(marks=", ".join(mark for _ in chunk)), chunk).fetchall()
        changed = fold_rows(rows, ranks)
        if changed:
            executemany(update.format(m=mark), changed)


def fill_folds(conn: Any, mark: str = "?", executemany: Callable[[str, list], Any] | None = None,
               ranks: tuple = ()) -> None:
    """The fold columns of an index stored before they existed, story by story (the schema step
    that added them came before RANKS: `ranks` ())."""
    last = ""
    while True:
        stories = [r[0] for r in conn.execute(
            f"SELECT DISTINCT a.story_id FROM articles a WHERE a.story_id > {mark} AND EXISTS "
            "(SELECT 1 FROM achievements ach WHERE ach.article_seq = a.seq) ORDER BY a.story_id LIMIT 2000",
            (last,),
        ).fetchall()]
        if not stories:
            return
        refold(conn, stories, mark, executemany, ranks)
        last = stories[-1]


# ---------------------------------------------------------------- facet counts kept at write time
#
# The facets of a request without per-copy filters count the first copies (`fold_rank = 1`) by
# type, kind, unit, region, outlet and year. Over the whole index that is every first copy
# (75k index entries at 100,000 articles), so the counts are kept at write time, per type and
# facet, by triggers on achievements: `achievement_facets` holds, for each type, facet and key,
# how many first copies have it (`known` 0 stands for NULL, whose key is ''). The first page and
# a type-only filter read these few hundred rows instead (newsmine/achievements.py). Writers are
# serialised on both back ends (SQLite's one writer, PostgreSQL's per-schema write lock), so the
# counts' rows are never written by two transactions at once.

FACET_COLUMNS = (("type", "type"), ("kind", "org_kind"), ("unit", "amount_unit"), ("region", "region"),
                 ("outlet", "outlet"), ("year", "year"))
_WATCHED = ", ".join(sorted({"fold_rank", *(column for _, column in FACET_COLUMNS)}))


def kept_counts(table: str, lead: list[tuple[str, str, str]], when: str, watched: str) -> tuple[list, list]:
    """The steps (SQLite's, PostgreSQL's) that create, fill and keep `table`: for each value of
    the `lead` columns (name, SQL type, expression over a row `{r}`: `new.`, `old.` or none),
    facet and key, how many achievements rows meeting `when` (over `{r}`) have it; triggers on
    achievements keep the counts."""
    names = ", ".join(name for name, _, _ in lead)
    key = f"{names}, facet, known, key"
    columns = ", ".join(f"{name} {kind} NOT NULL" for name, kind, _ in lead)
    create = (f"CREATE TABLE {table} ({columns}, facet TEXT NOT NULL, known INTEGER NOT NULL, key TEXT NOT NULL, "
              f"n INTEGER NOT NULL, PRIMARY KEY ({key})){{tail}}")

    def cells(r: str, name: str, column: str) -> str:
        leads = ", ".join(expr.format(r=r) for _, _, expr in lead)
        return f"{leads}, '{name}', CASE WHEN {r}{column} IS NULL THEN 0 ELSE 1 END, COALESCE({r}{column}, '')"

    fill = [f"INSERT INTO {table} ({key}, n) SELECT {cells('', name, column)}, COUNT(*) FROM achievements "
            f"WHERE {when.format(r='')} GROUP BY {', '.join(str(i) for i in range(1, len(lead) + 4))}"
            for name, column in FACET_COLUMNS]

    def bump(row: str, sign: int) -> str:
        values = ", ".join(f"({cells(row + '.', name, column)}, {sign})" for name, column in FACET_COLUMNS)
        return (f"INSERT INTO {table} ({key}, n) VALUES {values} "
                f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n")

    def on(row: str) -> str:
        return when.format(r=row + ".")

    sqlite = [
        create.format(tail=" WITHOUT ROWID"), *fill,
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON achievements WHEN {on('new')} BEGIN {bump('new', 1)}; END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON achievements WHEN {on('old')} BEGIN {bump('old', -1)}; END",
        f"CREATE TRIGGER {table}_update_old AFTER UPDATE OF {watched} ON achievements "
        f"WHEN {on('old')} BEGIN {bump('old', -1)}; END",
        f"CREATE TRIGGER {table}_update_new AFTER UPDATE OF {watched} ON achievements "
        f"WHEN {on('new')} BEGIN {bump('new', 1)}; END",
    ]
    postgres = [
        create.format(tail=""), *fill,
        f"CREATE FUNCTION {table}_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' AND {on('OLD')} THEN {bump('OLD', -1)}; END IF; "
        f"IF TG_OP <> 'DELETE' AND {on('NEW')} THEN {bump('NEW', 1)}; END IF; "
        "RETURN NULL; END $$",
        f"CREATE TRIGGER {table}_insert AFTER INSERT OR DELETE ON achievements "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_count()",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF {watched} ON achievements "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_count()",
    ]
    return sqlite, postgres


FACET_COUNTS, PG_FACET_COUNTS = kept_counts("achievement_facets", [("type", "TEXT", "{r}type")], "{r}fold_rank = 1",
                                            _WATCHED)


# ---------------------------------------------------------------- counts by amount bucket
#
# An amount bound (`--min 10억`, `--max 100억`) keeps the first copies whose amount, in the
# bound's unit, lies in a range: tens of thousands of index entries at 100,000 articles for
# `--min 1억`. So the same counts are kept per unit and amount bucket too
# (`achievement_amounts`): a bucket runs from one edge of the series 1, 2, 3, 5, 10, 20, 30,
# 50 … 5×10^15 to the next (bucket 0 below 1, bucket 64 from 5×10^15 up). A bound on an edge
# (1억, 10억, 50억, 100만달러, 30명 are) sums whole buckets; a bound inside a bucket sums the
# buckets past it and counts the rows of its own bucket on the far side of the bound (a range
# of the amount index). Edges are integers, compared by the database itself in the trigger
# (AMOUNT_BUCKET) and in the range, so the two never disagree on which side a value falls.

AMOUNT_EDGES = tuple(m * 10**k for k in range(16) for m in (1, 2, 3, 5))


def amount_bucket(value: int | float) -> int:
    """How many edges lie at or below `value` (the bucket AMOUNT_BUCKET gives in SQL)."""
    return bisect.bisect_right(AMOUNT_EDGES, value)


def bucket_sql(column: str) -> str:
    """AMOUNT_BUCKET over `column`: the bucket of a non-NULL amount, in SQL."""
    whens = " ".join(f"WHEN {column} >= {edge} THEN {i}" for i, edge in reversed(list(enumerate(AMOUNT_EDGES, 1))))
    return f"CASE {whens} ELSE 0 END"


# PostgreSQL scans an ascending index backwards as `DESC NULLS FIRST`, so it could not walk the
# date index of every copy for a page by date (newest first, undated last) and sorted every
# match instead (a broad region: 27 ms): the index in that order (SQLite walks it either way).
PG_PUB_DESC = [
    "DROP INDEX achievements_pub_facets",
    next(sql for sql in PG_FOLD_INDEXES if "achievements_pub_facets" in sql).replace("(pub,", "(pub DESC NULLS LAST,"),
]

# The achievements of a type in articles words match (`q=계약&type=contract`): every copy, its
# fold and its facets from the type's index alone (it held the type and the article only, so
# each match was a table row to read: 3,100 pages for `q=수출&type=certification` at 100,000).
TYPE_COVERING = [
    "DROP INDEX achievements_type",
    "CREATE INDEX achievements_type ON achievements(type, article_seq, fold_rank, fold_id, org_kind, amount_unit, "
    "region, outlet, year)",
]

AMOUNT_COUNTS, PG_AMOUNT_COUNTS = kept_counts(
    "achievement_amounts",
    [("unit", "TEXT", "{r}amount_unit"), ("bucket", "INTEGER", bucket_sql("{r}amount_value")), ("type", "TEXT", "{r}type")],
    "{r}fold_rank = 1 AND {r}amount_value IS NOT NULL AND {r}amount_unit IS NOT NULL",
    ", ".join(sorted({"fold_rank", "amount_value", *(column for _, column in FACET_COLUMNS)})))


# ---------------------------------------------------------------- ranks among agreeing copies
#
# RANKS' columns, filled for a stored index in one statement per back end (window functions:
# a copy's rank among the fold's copies with the same values is its place in fold order among
# them), and the counts of the `{rank} = 1` rows kept per rank like the first copies' (a region
# is 5–25% of the index: 50,000–250,000 rows to count per request at a million articles).

RANK_COLUMNS = [f"ALTER TABLE achievements ADD COLUMN {name} INTEGER" for name, _ in RANKS]
RANK_FILL = (
    "UPDATE achievements SET " + ", ".join(f"{name} = r.{name}" for name, _ in RANKS) + " FROM (SELECT article_seq, "
    "position, " + ", ".join(f"row_number() OVER (PARTITION BY fold_id, {', '.join(columns)} ORDER BY fold_rank) "
                             f"AS {name}" for name, columns in RANKS) + " FROM achievements) r "
    "WHERE achievements.article_seq = r.article_seq AND achievements.position = r.position"
)


def rank_counts_table(name: str) -> str:
    """The table of kept counts of the copies a rank shows (`region_rank` → achievement_region_counts)."""
    return f"achievement_{name.removesuffix('_rank')}_counts"


def _rank_counts() -> tuple[list, list]:
    sqlite: list = []
    postgres: list = []
    for name, columns in RANKS:
        lead = [(column, "TEXT", f"{{r}}{column}") for column in columns] + [("type", "TEXT", "{r}type")]
        when = f"{{r}}{name} = 1 AND " + " AND ".join(f"{{r}}{column} IS NOT NULL" for column in columns)
        watched = ", ".join(sorted({name, *columns, *(column for _, column in FACET_COLUMNS)}))
        lite, pg = kept_counts(rank_counts_table(name), lead, when, watched)
        sqlite += lite
        postgres += pg
    return sqlite, postgres


RANK_COUNTS, PG_RANK_COUNTS = _rank_counts()

# An organisation's achievements, their folds and facets from the index alone (it held the name
# only, so each of a large firm's 20,000 rows was a table row to read).
ORG_COVERING = [
    "DROP INDEX achievements_org",
    "CREATE INDEX achievements_org ON achievements(org_name, fold_rank, type, org_kind, amount_unit, region, outlet, "
    "year, pub, amount_order, amount_value, fold_size)",
]

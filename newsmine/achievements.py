"""Achievements as rows: `newsmine achievements`, `GET /api/achievements`, the /achievements
page and their exports all read through `list_achievements` / `iter_achievements`.

One row per achievement, a syndicated story counted once: the copies of one press release
(same story, same organisation, same type, same amount) fold into the earliest copy that
meets the filters, and `story_size` counts every copy in the index. The folds are kept at
write time (index/folds.py: each row's fold, rank among the copies, the fold's size and its
article's date, outlet and region), so filtering, counting, faceting and paging read the
achievements table and its indexes alone, on either back end, without folding at read time.

Amount bounds are Korean amounts (`10억`, `100만달러`, `50명`): a bound compares only with
amounts in its own unit, so `--min 10억` keeps won amounts of at least 10억 and drops
dollar amounts, whatever their value in won.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from index.common import number
from index.folds import AMOUNT_EDGES, RANKS, amount_bucket, amount_order, rank_counts_table
from index.query import ACHIEVEMENT_TYPES, _date_bounds, _parse_amount, canonical_org
from index.regions import REGIONS, canonical_region
from index.sqlbase import Db, SQLStore, marks
from newsmine.queries import run

SORTS = ("date", "amount", "story")
KINDS = ("firm", "government", "public", "university", "association", "media", "other")
MAX_LIMIT = 1000
EXPORT_BATCH = 500
TYPE_WORDS = {  # the Korean labels of the web page work as --type values too
    "계약": "contract", "선정": "selection", "수상": "award", "매출": "revenue", "수출": "export",
    "투자": "investment", "투자유치": "investment", "채용": "hiring", "지식재산": "ip", "특허": "ip",
    "인증": "certification", "협약": "partnership", "제휴": "partnership", "출시": "launch",
    "자금지원": "funding", "지원": "funding",
}
KIND_WORDS = {"기업": "firm", "정부": "government", "지자체": "government", "공공기관": "public",
              "대학": "university", "협회": "association", "단체": "association", "언론": "media",
              "기타": "other"}
_BOUND_WORDS = re.compile(r"\s*(이상|이하|초과|미만|부터|까지)\s*$")


class FilterError(ValueError):
    """A bad filter, sort or paging value; the message is one line naming it."""


@dataclass
class Filters:
    """What the user asked for, checked (`check`), before any SQL runs."""

    query: str | None = None
    types: tuple[str, ...] = ()
    min_amount: str | None = None
    max_amount: str | None = None
    kind: str | None = None
    region: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "date"
    org: str | None = None  # the credited organisation: its stored name or a merged spelling
    # filled by check()
    low: tuple[int | float, str] | None = field(default=None, repr=False)
    high: tuple[int | float, str] | None = field(default=None, repr=False)
    # the words' matches as a condition on `{column}` (and its parameters), made once per
    # snapshot (list_achievements)
    matched: tuple[str, list] | None = field(default=None, repr=False, compare=False)
    # the columns the outlet filter tests (its name, its source key or both), looked up once
    # per snapshot like `matched`
    outlet_columns: list[str] | None = field(default=None, repr=False, compare=False)

    def check(self) -> "Filters":
        self.query = (self.query or "").strip() or None
        self.types = tuple(dict.fromkeys(_type(t) for v in self.types for t in _split(v)))
        self.low = _bound(self.min_amount, "--min")
        self.high = _bound(self.max_amount, "--max")
        if self.low and self.high:
            if self.low[1] != self.high[1]:
                raise FilterError(f"--min and --max are in different units ({self.low[1]}, {self.high[1]}): "
                                  "an amount compares only within its unit")
            if self.low[0] > self.high[0]:
                raise FilterError(f"--min ({self.min_amount}) is larger than --max ({self.max_amount})")
        if self.kind:
            kind = self.kind.strip().lower()
            kind = KIND_WORDS.get(kind, kind)
            if kind not in KINDS:
                raise FilterError(f"unknown kind '{self.kind}' (kinds: {', '.join(KINDS)})")
            self.kind = kind
        else:
            self.kind = None
        if self.region:
            region = canonical_region(self.region.strip())
            if region is None:
                raise FilterError(f"unknown region '{self.region}' (regions: {', '.join(REGIONS)})")
            self.region = region
        else:
            self.region = None
        self.outlet = (self.outlet or "").strip() or None
        self.org = (self.org or "").strip() or None
        for name, value in (("--from", self.date_from), ("--to", self.date_to)):
            if value and _date_bounds(value.strip()) is None:
                raise FilterError(f"bad date '{value}' for {name} (use YYYY-MM-DD, YYYY-MM or YYYY)")
        self.date_from = (self.date_from or "").strip() or None
        self.date_to = (self.date_to or "").strip() or None
        if self.date_from and self.date_to:
            if _date_bounds(self.date_from)[0] >= _date_bounds(self.date_to)[1]:  # type: ignore[index]
                raise FilterError(f"--from ({self.date_from}) is after --to ({self.date_to})")
        if self.sort not in SORTS:
            raise FilterError(f"unknown sort '{self.sort}' (use {', '.join(SORTS)})")
        return self


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,\s]+", value or "") if v.strip()]


def _type(value: str) -> str:
    found = TYPE_WORDS.get(value, value.lower())
    if found not in ACHIEVEMENT_TYPES:
        raise FilterError(f"unknown achievement type '{value}' (types: {', '.join(ACHIEVEMENT_TYPES)})")
    return found


def _bound(text: str | None, flag: str) -> tuple[int | float, str] | None:
    if text is None or not text.strip():
        return None
    amount = _parse_amount(_BOUND_WORDS.sub("", text.strip()))
    if amount is None:
        raise FilterError(f"bad amount '{text}' for {flag} (e.g. 10억, 3억5천만 원, 100만달러, 50명)")
    return amount


def check_paging(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise FilterError(f"--limit must be 1 to {MAX_LIMIT} (got {limit})")
    if offset < 0:
        raise FilterError(f"--offset must not be negative (got {offset})")


# ---------------------------------------------------------------- SQL
#
# Every statement reads the achievements table alone (the article columns it needs are copied
# onto each row, index/folds.py): a row stands for its fold when it meets the filters and no
# earlier copy of the fold does. Filters on what all copies share (type, amount, organisation)
# keep the first copies only (`fold_rank = 1`); the others (kind, region, outlet, dates, query)
# look for an earlier copy that meets them too, through the (fold_id, fold_rank) index.


def _where(store: SQLStore, db: Db, f: Filters, t: str = "ach", shared: bool = True,
           walk: bool = False) -> tuple[str, list]:
    """The filters as one SQL condition over the achievements row `t`; without `shared`, only
    those that copies of one achievement may answer differently (kind, region, outlet, dates,
    query). `walk`: type, amount, kind, region, outlet and words tested on each row rather
    than looked up in an index, so a page of many matches walks the index of its sort order
    (dates stay a range of it) and stops at the page's end."""
    parts: list[str] = []
    params: list[Any] = []
    text, num = (("({t}.{c} || '')", "({t}.{c} + 0)") if walk else ("{t}.{c}", "{t}.{c}"))
    if f.types and shared:
        parts.append(f"{text.format(t=t, c='type')} IN ({marks(list(f.types))})")
        params.extend(f.types)
    for bound, op in ((f.low, ">="), (f.high, "<=")):
        if bound is not None and shared:  # amount_order first: the (fold_rank, amount_order, amount_value) index
            parts.append(f"{num.format(t=t, c='amount_order')} = ? AND {text.format(t=t, c='amount_unit')} = ? "
                         f"AND {num.format(t=t, c='amount_value')} {op} ?")
            params.extend([amount_order(bound[0], bound[1]), bound[1], bound[0]])
    if f.org and shared:
        names = org_names(db, f.org)
        parts.append(f"{t}.org_name IN ({marks(names)})")
        params.extend(names)
    if f.kind:
        parts.append(f"{text.format(t=t, c='org_kind')} = ?")
        params.append(f.kind)
    if f.region:
        parts.append(f"{text.format(t=t, c='region')} = ?")
        params.append(f.region)
    if f.outlet:  # its name or its source key: one indexed equality unless the value is both
        columns = _outlet_columns(db, f)
        parts.append(" OR ".join(f"{text.format(t=t, c=c)} = ?" for c in columns))
        params.extend([f.outlet] * len(columns))
    if f.date_from:
        parts.append(f"{t}.pub >= ?")
        params.append(_date_bounds(f.date_from)[0])  # type: ignore[index]
    if f.date_to:
        parts.append(f"{t}.pub < ?")
        params.append(_date_bounds(f.date_to)[1])  # type: ignore[index]
    if f.query:
        column = num.format(t=t, c="article_seq")
        if f.matched is None:  # once per request: PostgreSQL reads the matches there and then
            # (every copy of a fold has its type: articles without one are never looked at)
            within = f"SELECT DISTINCT article_seq FROM achievements WHERE type IN ({marks(list(f.types))})"
            f.matched = store.matching_condition(db, f.query, "{column}", within if f.types else "", f.types)
        condition, query_params = f.matched
        parts.append(condition.replace("{column}", column))
        params.extend(query_params)
    return " AND ".join(f"({p})" for p in parts) or "1 = 1", params


def _outlet_columns(db: Db, f: Filters) -> list[str]:
    """The columns the outlet filter's value is found in (its name, its source key or both),
    looked up once per snapshot."""
    if f.outlet_columns is None:
        f.outlet_columns = [c for c in ("outlet", "source") if run(
            db, f"SELECT 1 FROM articles WHERE {c} = ? LIMIT 1", (f.outlet,))] or ["outlet"]
    return f.outlet_columns


def _rank(db: Db, f: Filters) -> str | None:
    """The rank column (index/folds.py RANKS) whose first copies are the rows a request's per-copy
    filters show — a region, a region with a kind, an outlet (by its name) or a kind, nothing
    else per copy —, or None (dates, words, a source key: probe for an earlier copy)."""
    if f.date_from or f.date_to or f.query:
        return None
    if f.outlet:
        return "outlet_rank" if not (f.region or f.kind) and _outlet_columns(db, f) == ["outlet"] else None
    if f.region:
        return "region_kind_rank" if f.kind else "region_rank"
    return "kind_rank" if f.kind else None


def org_names(db: Db, name: str) -> list[str]:
    """The spellings an achievement of the organisation `name` may be credited under: the
    organisation's stored names and the spellings the index merged into it (org_aliases), or
    the name as typed (legal forms and spaces dropped) when the index has no such
    organisation; each also in lower and upper case (Latin letters), so the indexed
    `ach.org_name IN (…)` finds what a case-blind comparison would."""
    from newsmine.queries import _aliases, _org_ids

    found = _org_ids(db, name)
    names = {r[1] for r in found} | set(_aliases(db, [r[0] for r in found])) if found else set(canonical_org(name))
    names = names or {name}
    return sorted({v for n in names for v in (n, n.lower(), n.upper())})


def _per_copy(f: Filters) -> bool:
    """Whether a filter may keep one copy of an achievement and drop another."""
    return bool(f.kind or f.region or f.outlet or f.date_from or f.date_to or f.query)


def _shown(store: SQLStore, db: Db, f: Filters, walk: bool = False) -> tuple[str, list]:
    """The condition of the rows that stand for their folds: the earliest copy that meets the
    filters."""
    where, params = _where(store, db, f, walk=walk)
    if not _per_copy(f):
        return f"ach.fold_rank = 1 AND {where}", params  # every copy meets them or none does
    rank = _rank(db, f)
    if rank is not None:  # the earliest copy that agrees with the filters is the first of its rank
        return f"ach.{rank} = 1 AND {where}", params
    earlier, earlier_params = _where(store, db, f, "e", shared=False)
    # a fold's first copy has no earlier one: only later copies (a fifth of the rows) probe
    return (f"{where} AND (ach.fold_rank = 1 OR NOT EXISTS (SELECT 1 FROM achievements e "
            f"WHERE e.fold_id = ach.fold_id AND e.fold_rank < ach.fold_rank AND {earlier}))",
            [*params, *earlier_params])


ORDERS = {  # each the order of an index on the first copies (index/folds.py)
    "date": "ach.pub DESC NULLS LAST, ach.article_seq DESC, ach.position",
    # each unit on its own scale: won first, then the other currencies, then counts (UNIT_ORDER)
    "amount": "ach.amount_order, ach.amount_value DESC, ach.pub DESC NULLS LAST, ach.article_seq DESC, ach.position",
    "story": "ach.fold_size DESC, ach.pub DESC NULLS LAST, ach.article_seq DESC, ach.position",
}
# the same orders no index gives (the first key an expression): a few matches are found through
# the index of their most selective filter and sorted, never by walking a sort index past others
SORTED = {
    "date": "(ach.pub || '') DESC NULLS LAST, ach.article_seq DESC, ach.position",
    "amount": "ach.amount_order + 0, ach.amount_value DESC, ach.pub DESC NULLS LAST, ach.article_seq DESC, "
              "ach.position",
    "story": "ach.fold_size + 0 DESC, ach.pub DESC NULLS LAST, ach.article_seq DESC, ach.position",
}
# one pass: the facets' columns in the order of the index on the first copies
FACETS = (("type", "ach.type"), ("kind", "ach.org_kind"), ("unit", "ach.amount_unit"), ("region", "ach.region"),
          ("outlet", "ach.outlet"), ("year", "ach.year"))
FACET_ORDER = ("type", "kind", "outlet", "region", "year", "unit")
DETAIL = (
    "SELECT ach.article_seq, ach.position, a.id, a.url, a.outlet, a.published_at, ach.org_name, "
    "ach.org_kind, ach.type, ach.amount_value, ach.amount_unit, ach.approximate, ach.counterparty, "
    "ach.date, ach.evidence, a.story_id, a.title, ach.programme, ach.programme_body "
    "FROM achievements ach JOIN articles a ON a.seq = ach.article_seq "
    "WHERE ach.article_seq IN ({marks})"
)


WALK_FROM = 500  # matches from which a page walks the index of its sort order


def _ordered(store: SQLStore, db: Db, f: Filters, limit: int | None, offset: int,
             total: int | None = None) -> list[tuple[int, int, int]]:
    """(seq, position, copies) of the rows standing for their folds, in order, one page or all.
    With `total` (the matches, known from the facets), a page of many matches walks the index
    of its sort order (index/folds.py) instead of sorting every match: the first copies' for
    filters every copy shares, every copy's by date for the others (a broad region or kind,
    an outlet, common words) when the page is by date; an organisation is looked up instead."""
    walk = (store.steered and limit is not None and total is not None and total >= WALK_FROM and not f.org
            and (not _per_copy(f) or f.sort == "date"))  # PostgreSQL walks an index when it pays by itself
    where, params = _shown(store, db, f, walk)
    order = (SORTED if total is not None and total < WALK_FROM else ORDERS)[f.sort]
    sql = f"SELECT ach.article_seq, ach.position, ach.fold_size FROM achievements ach WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return [(r[0], r[1], r[2]) for r in run(db, sql, params)]


def _facets(store: SQLStore, db: Db, f: Filters) -> dict[str, dict[str, int]]:
    """Counts of the shown rows by type, kind, outlet, region, year and unit, in one pass:
    the counts kept at write time (index/folds.py) when no filter but the type applies, or but
    the type and a region, an outlet or a kind (kept per rank), the counts kept by amount
    bucket when no filter but the type and amount bounds does (plus the rows of a bucket a
    bound cuts through), else one GROUP BY over the shown rows."""
    out: dict[str, dict[str, int]] = {name: {} for name, _ in FACETS}
    rank = _rank(db, f) if not (f.org or f.low is not None or f.high is not None) else None
    if _type_only(f):
        where = f"WHERE type IN ({marks(list(f.types))}) " if f.types else ""
        sql = f"SELECT facet, known, key, SUM(n) FROM achievement_facets {where}GROUP BY facet, known, key"
        _add_kept(out, run(db, sql, list(f.types)))
    elif rank is not None:  # a region, an outlet, a kind (and types): the counts kept for the rank
        values = {"region": f.region, "org_kind": f.kind, "outlet": f.outlet}
        columns = next(columns for name, columns in RANKS if name == rank)
        conditions = [f"{column} = ?" for column in columns] + ([f"type IN ({marks(list(f.types))})"] if f.types else [])
        sql = (f"SELECT facet, known, key, SUM(n) FROM {rank_counts_table(rank)} WHERE {' AND '.join(conditions)} "
               "GROUP BY facet, known, key")
        _add_kept(out, run(db, sql, [*(values[c] for c in columns), *f.types]))
    elif _amount_kept(f):
        _amount_facets(store, db, f, out)
    else:
        _add_counted(out, db, *_shown(store, db, f))
    return {name: dict(sorted(out[name].items(), key=lambda kv: (-kv[1], kv[0]))) for name in FACET_ORDER}


def _add_kept(out: dict[str, dict[str, int]], rows: list[tuple]) -> None:
    """Adds kept counts, rows of (facet, known, key, n), to `out`."""
    for name, known, key, n in rows:
        if int(n) > 0:
            key = key if int(known) else "(미상)"
            out[name][key] = out[name].get(key, 0) + int(n)


def _add_counted(out: dict[str, dict[str, int]], db: Db, where: str, params: list) -> None:
    """Adds the counts of the achievements rows meeting `where` (one GROUP BY) to `out`."""
    columns = ", ".join(expr for _, expr in FACETS)
    sql = f"SELECT {columns}, COUNT(*) FROM achievements ach WHERE {where} GROUP BY {columns}"
    for row in run(db, sql, params):
        n = int(row[-1])
        for (name, _), key in zip(FACETS, row):
            key = key if key is not None else "(미상)"
            out[name][key] = out[name].get(key, 0) + n


def _amount_facets(store: SQLStore, db: Db, f: Filters, out: dict[str, dict[str, int]]) -> None:
    """The facets of type and amount filters: the buckets (index/folds.py) wholly inside the
    bounds from the kept counts, the rows of a bucket a bound cuts through counted."""
    unit = (f.low or f.high)[1]  # type: ignore[index]
    last = len(AMOUNT_EDGES)
    first, top = 0, last
    cut: list[tuple[str, list]] = []  # (condition, parameters) of the rows of a cut bucket
    lo = hi = None
    if f.low is not None:
        lo = amount_bucket(f.low[0])
        on_edge = lo > 0 and AMOUNT_EDGES[lo - 1] == f.low[0]
        first = lo if on_edge else lo + 1
    if f.high is not None:
        hi = amount_bucket(f.high[0])
        top = hi - 1
    if lo is not None and hi is not None and lo == hi:
        cut.append(("ach.amount_value >= ? AND ach.amount_value <= ?", [f.low[0], f.high[0]]))  # type: ignore[index]
    else:
        if lo is not None and first > lo:  # from the bound to the bucket's upper edge
            cut.append(("ach.amount_value >= ?" + (" AND ach.amount_value < ?" if lo < last else ""),
                        [f.low[0], *([AMOUNT_EDGES[lo]] if lo < last else [])]))  # type: ignore[index]
        if hi is not None:  # from the bucket's lower edge to the bound
            cut.append(("ach.amount_value <= ?" + (" AND ach.amount_value >= ?" if hi > 0 else ""),
                        [f.high[0], *([AMOUNT_EDGES[hi - 1]] if hi > 0 else [])]))  # type: ignore[index]
    if first <= top:
        types = f" AND type IN ({marks(list(f.types))})" if f.types else ""
        sql = ("SELECT facet, known, key, SUM(n) FROM achievement_amounts WHERE unit = ? AND bucket >= ? "
               f"AND bucket <= ?{types} GROUP BY facet, known, key")
        _add_kept(out, run(db, sql, [unit, first, top, *f.types]))
    if cut:
        types, params = _where(store, db, replace(f, low=None, high=None))
        for condition, bounds in cut:
            _add_counted(out, db, f"ach.fold_rank = 1 AND {types} AND ach.amount_order = ? AND ach.amount_unit = ? "
                         f"AND {condition}", [*params, amount_order(1, unit), unit, *bounds])


def _amount_kept(f: Filters) -> bool:
    """Whether no filter but the type and amount bounds applies (their counts are kept by
    amount bucket)."""
    return not (_per_copy(f) or f.org) and (f.low is not None or f.high is not None)


def _type_only(f: Filters) -> bool:
    """Whether no filter but the type applies (the facets of the first copies are kept)."""
    return not (_per_copy(f) or f.org or f.low is not None or f.high is not None)


def _rows(db: Db, order: list[tuple[int, int, int | None]], titles: bool = False) -> list[dict[str, Any]]:
    """The contract rows of (seq, position, copies in the index) in that order."""
    if not order:
        return []
    seqs = sorted({s for s, _, _ in order})
    details = {(r[0], r[1]): r for r in run(db, DETAIL.format(marks=marks(seqs)), seqs)}
    out = []
    for seq, pos, n in order:
        r = details.get((seq, pos))
        if r is None:  # rewritten between the two statements of one snapshot: cannot happen
            continue
        amount = None
        if r[9] is not None or r[10] is not None:
            amount = {"value": number(r[9]), "unit": r[10],
                      "approximate": None if r[11] is None else bool(r[11])}
        row = {
            "id": f"{r[2]}-{r[1]}", "article_id": r[2], "url": r[3], "outlet": r[4], "published_at": r[5],
            "organization": r[6], "kind": r[7], "type": r[8], "amount": amount, "counterparty": r[12],
            "date": r[13], "evidence": r[14], "story_id": r[15],
            "story_size": int(n or 1),
            "programme": None if r[17] is None else {"name": r[17], "body": r[18]},
        }
        if titles:
            row["title"] = r[16]
        out.append(row)
    return out


# ---------------------------------------------------------------- entry points


@contextmanager
def _snapshot(store: SQLStore, filters: Filters) -> Iterator[Db]:
    """A read snapshot; what was looked up in it (the words' matches, the outlet's columns) is
    dropped after."""
    with store.read() as db:
        filters.matched = filters.outlet_columns = None
        try:
            yield db
        finally:
            filters.matched = filters.outlet_columns = None


# Words matching more than WINDOW_FROM articles: a common word meets a third of a million-article
# index, and the achievements of every one of its articles are that many rows to fold and count
# (`q=계약&type=contract` on 1,000,000 articles: 320 ms at the median of such requests, 1.6 s at
# most). A page by date of such words reads the achievements of their newest matches instead
# (the store's search window, SQLStore.WINDOW articles, found as search finds it), counts the
# facets there, and scales the total by the articles matched over the articles in the window
# (`total_relation` "approx"), as search ranks and facets a broad word's window. `exact_total`,
# another sort, or a page beyond the window's rows reads every match.
WINDOW_FROM = 2_000


def _window(store: SQLStore, db: Db, f: Filters, exact: bool, typed: bool = False) -> Any:
    """The search window of a page by date of common words (a Count), its matches bound as
    the words' condition; None when every match is read. `typed`: the newest matches that hold
    an achievement of the types asked for (a rare type may have too few rows among the newest
    matches of a common word; a common one finds them cheaper without)."""
    f.matched = None
    if not f.query or exact or f.sort != "date":
        return None
    types = " OR ".join(f"type:{t}" for t in f.types) if typed else ""
    window = store.match_window(db, f"({f.query}) ({types})" if types else f.query, WINDOW_FROM)
    if window is None or not window.newest:
        return None
    f.matched = store.seqs_condition("{column}", window.newest)
    return window


def list_achievements(store: SQLStore, filters: Filters, *, limit: int = 20, offset: int = 0,
                      titles: bool = False, exact_total: bool = False) -> dict[str, Any]:
    """`{"total", "achievements", "facets"}` for one page (FilterError / QueryError when bad),
    with `"total_relation": "approx"` when the total was scaled from the window of common
    words (`exact_total`: never). `titles` adds each article's title (the web page shows it;
    the JSON contract has none)."""
    filters.check()
    check_paging(limit, offset)
    with _snapshot(store, filters) as db:
        window = _window(store, db, filters, exact_total)
        facets = _facets(store, db, filters)
        total = sum(facets["type"].values())
        if window is not None and offset + limit > total and filters.types:   # too few of the type
            window = _window(store, db, filters, exact_total, typed=True)
            facets = _facets(store, db, filters)
            total = sum(facets["type"].values())
        if window is not None and offset + limit > total:   # beyond the window's rows: every match
            filters.matched, window = None, None
            facets = _facets(store, db, filters)
            total = sum(facets["type"].values())
        order = _ordered(store, db, filters, limit, offset, total) if offset < total else []
        rows = _rows(db, order, titles)
    result: dict[str, Any] = {"total": total, "achievements": rows, "facets": facets}
    if window is not None:
        result["total"] = max(total, round(total * window.articles / len(window.newest)))
        result["total_relation"] = "approx"
    return result


def iter_achievements(store: SQLStore, filters: Filters) -> Iterator[dict[str, Any]]:
    """Every row, in order, no cap: the order is read once (narrow), the rows in batches,
    each in its own snapshot so a long export never holds the store."""
    filters.check()
    with _snapshot(store, filters) as db:
        order = _ordered(store, db, filters, None, 0)
    for i in range(0, len(order), EXPORT_BATCH):
        with store.read() as db:
            rows = _rows(db, order[i : i + EXPORT_BATCH])
        yield from rows  # outside the snapshot: a reader that stops early leaves none open


def for_articles(store: SQLStore, article_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Achievements of the given articles (a search page's hits), in article order."""
    if not article_ids:
        return {}
    with store.read() as db:
        rows = run(
            db,
            "SELECT a.id, ach.type, ach.amount_value, ach.amount_unit, ach.approximate, ach.counterparty, "
            f"ach.org_name FROM achievements ach JOIN articles a ON a.seq = ach.article_seq "
            f"WHERE a.id IN ({marks(article_ids)}) ORDER BY ach.article_seq, ach.position",
            article_ids,
        )
    out: dict[str, list[dict[str, Any]]] = {}
    for art, type_, value, unit, approx, counterparty, org in rows:
        amount = None if value is None else {"value": number(value), "unit": unit,
                                             "approximate": None if approx is None else bool(approx)}
        entry = {"type": type_, "amount": amount, "counterparty": counterparty, "organization": org}
        if entry not in out.setdefault(art, []):
            out[art].append(entry)
    return out


# ---------------------------------------------------------------- flat rows for CSV / XLSX

EXPORT_FIELDS = (
    "id", "article_id", "published_at", "date", "organization", "kind", "type", "amount",
    "amount_value", "amount_unit", "approximate", "counterparty", "evidence", "outlet", "url",
    "story_id", "story_size",
)


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """One contract row as spreadsheet cells: the amount in Korean (`약 35억 원`) and raw."""
    from newsmine.web.format import amount_text

    amount = row.get("amount") or {}
    return {
        **row,
        "amount": amount_text(row.get("amount")) if row.get("amount") else "",
        "amount_value": amount.get("value"),
        "amount_unit": amount.get("unit"),
        "approximate": amount.get("approximate"),
    }


EXPORT_LAYOUT = (EXPORT_FIELDS, frozenset(), "achievements")


def export_rows(store: SQLStore, filters: Filters, fmt: str) -> Iterator[dict[str, Any]]:
    """The rows an export writes: contract rows for JSON Lines, flat ones for CSV and XLSX."""
    rows = iter_achievements(store, filters)
    return rows if fmt == "jsonl" else (flat(r) for r in rows)


def print_rows(result: dict[str, Any], offset: int = 0) -> None:
    """The terminal view: one line per achievement, its evidence below."""
    import click

    from newsmine.web.format import amount_text, day, type_label

    rows = result["achievements"]
    if not rows:
        click.echo(f"no achievements (total {result['total']})")
        return
    about = "about " if result.get("total_relation") == "approx" else ""
    click.echo(f"{about}{result['total']} achievements; {offset + 1}–{offset + len(rows)} shown")
    for i, r in enumerate(rows, start=offset + 1):
        copies = f" +{r['story_size'] - 1} 매체" if r["story_size"] > 1 else ""
        parts = [day(r["date"] or r["published_at"]), r["organization"] or "-", type_label(r["type"])]
        if r["amount"]:
            parts.append(amount_text(r["amount"]))
        if r["counterparty"]:
            parts.append(r["counterparty"])
        click.echo(f"{i}. {' · '.join(parts)}  [{r['outlet'] or '-'}{copies}]")
        click.echo(f"   {r['evidence'] or ''}")
        click.echo(f"   {r['url']}")

"""Achievements as rows: `newsmine achievements`, `GET /api/achievements`, the /achievements
page and their exports all read through `list_achievements` / `iter_achievements`.

One row per achievement, a syndicated story counted once: the copies of one press release
(same story, same organisation, same type, same amount) fold into the earliest copy that
meets the filters, and `story_size` counts every copy in the index. Filtering, folding,
sorting and paging run in SQL (window functions both back ends have), over the columns
schema version 6 (SQLite) / 5 (PostgreSQL) added for it: `articles.region`,
`achievements.org_kind` and an index on (amount_unit, amount_value).

Amount bounds are Korean amounts (`10억`, `100만달러`, `50명`): a bound compares only with
amounts in its own unit, so `--min 10억` keeps won amounts of at least 10억 and drops
dollar amounts, whatever their value in won.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from index.common import number
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
UNIT_ORDER = ("KRW", "USD", "EUR", "JPY", "CNY", "persons", "items", "percent")
_BOUND_WORDS = re.compile(r"\s*(이상|이하|초과|미만|부터|까지)\s*$")

# The fold key: copies of one achievement share it. NULLs as values, so `=` joins them.
KEY = ("a.story_id", "COALESCE(ach.org_name, '')", "ach.type", "COALESCE(ach.amount_value, -1)",
       "COALESCE(ach.amount_unit, '')")


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


def _where(store: SQLStore, db: Db, f: Filters) -> tuple[str, list]:
    """The filters as one SQL condition over `ach` (achievements) and `a` (articles)."""
    parts: list[str] = []
    params: list[Any] = []
    if f.types:
        parts.append(f"ach.type IN ({marks(list(f.types))})")
        params.extend(f.types)
    for bound, op in ((f.low, ">="), (f.high, "<=")):
        if bound is not None:
            parts.append(f"ach.amount_unit = ? AND ach.amount_value {op} ?")
            params.extend([bound[1], bound[0]])
    if f.kind:
        parts.append("ach.org_kind = ?")
        params.append(f.kind)
    if f.region:
        parts.append("a.region = ?")
        params.append(f.region)
    if f.org:
        names = org_names(db, f.org)
        parts.append(f"ach.org_name IN ({marks(names)})")
        params.extend(names)
    if f.outlet:
        parts.append("(a.outlet = ? OR a.source = ?)")
        params.extend([f.outlet, f.outlet])
    if f.date_from:
        parts.append("a.published_at >= ?")
        params.append(_date_bounds(f.date_from)[0])  # type: ignore[index]
    if f.date_to:
        parts.append("a.published_at < ?")
        params.append(_date_bounds(f.date_to)[1])  # type: ignore[index]
    if f.query:
        condition, query_params = store.condition(db, f.query)
        parts.append(f"({condition})")
        params.extend(query_params)
    return " AND ".join(f"({p})" for p in parts) or "1 = 1", params


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


def _folded(where: str) -> str:
    """CTEs `f` (filtered rows, numbered within their fold key) and `d` (one row per key)."""
    return (
        "WITH f AS (SELECT ach.article_seq AS seq, ach.position AS pos, a.published_at AS pub, "
        "ach.amount_value AS value, ach.amount_unit AS unit, ach.type AS type, ach.org_kind AS kind, "
        "a.outlet AS outlet, a.region AS region, a.story_id AS story, "
        "COALESCE(ach.org_name, '') AS org, COALESCE(ach.amount_value, -1) AS kvalue, "
        "COALESCE(ach.amount_unit, '') AS kunit, "
        f"ROW_NUMBER() OVER (PARTITION BY {', '.join(KEY)} "
        "ORDER BY a.published_at NULLS LAST, a.seq, ach.position) AS rn "
        f"FROM achievements ach JOIN articles a ON a.seq = ach.article_seq WHERE {where}), "
        "d AS (SELECT * FROM f WHERE rn = 1)"
    )


# copies of each fold key of the stories in `d`, counted over the whole index
COPIES = (
    "c AS (SELECT a.story_id AS story, COALESCE(ach.org_name, '') AS org, ach.type AS type, "
    "COALESCE(ach.amount_value, -1) AS kvalue, COALESCE(ach.amount_unit, '') AS kunit, "
    "COUNT(DISTINCT ach.article_seq) AS n FROM achievements ach JOIN articles a ON a.seq = ach.article_seq "
    "WHERE a.story_id IN (SELECT story FROM d) GROUP BY a.story_id, COALESCE(ach.org_name, ''), ach.type, "
    "COALESCE(ach.amount_value, -1), COALESCE(ach.amount_unit, ''))"
)
JOIN_COPIES = ("JOIN c ON c.story = d.story AND c.org = d.org AND c.type = d.type AND c.kvalue = d.kvalue "
               "AND c.kunit = d.kunit")
_UNIT_RANK = "CASE " + " ".join(f"WHEN d.unit = '{u}' THEN {i}" for i, u in enumerate(UNIT_ORDER)) + \
    f" ELSE {len(UNIT_ORDER)} END"
ORDERS = {
    "date": "d.pub DESC NULLS LAST, d.seq DESC, d.pos",
    # each unit on its own scale: won first, then the other currencies, then counts
    "amount": f"(d.value IS NULL), {_UNIT_RANK}, d.value DESC NULLS LAST, d.pub DESC NULLS LAST, d.seq DESC, d.pos",
    "story": "c.n DESC, d.pub DESC NULLS LAST, d.seq DESC, d.pos",
}
FACETS = (("type", "d.type"), ("kind", "d.kind"), ("outlet", "d.outlet"), ("region", "d.region"),
          ("year", "substr(d.pub, 1, 4)"), ("unit", "d.unit"))
DETAIL = (
    "SELECT ach.article_seq, ach.position, a.id, a.url, a.outlet, a.published_at, ach.org_name, "
    "ach.org_kind, ach.type, ach.amount_value, ach.amount_unit, ach.approximate, ach.counterparty, "
    "ach.date, ach.evidence, a.story_id, a.title FROM achievements ach JOIN articles a ON a.seq = ach.article_seq "
    "WHERE ach.article_seq IN ({marks})"
)


def _ordered(store: SQLStore, db: Db, f: Filters, limit: int | None, offset: int) -> list[tuple[int, int, int | None]]:
    """(seq, position, copies or None) of the folded rows in order, one page or all."""
    where, params = _where(store, db, f)
    story = f.sort == "story"
    sql = _folded(where) + (", " + COPIES if story else "") + \
        f" SELECT d.seq, d.pos, {'c.n' if story else 'NULL'} FROM d {JOIN_COPIES if story else ''} " \
        f"ORDER BY {ORDERS[f.sort]}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return [(r[0], r[1], r[2]) for r in run(db, sql, params)]


def _facets(store: SQLStore, db: Db, f: Filters) -> dict[str, dict[str, int]]:
    where, params = _where(store, db, f)
    sql = _folded(where) + " " + " UNION ALL ".join(
        f"SELECT '{name}', {expr}, COUNT(*) FROM d GROUP BY {expr}" for name, expr in FACETS)
    out: dict[str, dict[str, int]] = {name: {} for name, _ in FACETS}
    for name, key, count in run(db, sql, params):
        out[name][key if key is not None else "(미상)"] = int(count)
    return {name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))) for name, counts in out.items()}


def _copies(db: Db, rows: list[tuple]) -> dict[tuple, int]:
    """Copies in the index of each fold key of the given detail rows."""
    stories = sorted({r[15] for r in rows})
    if not stories:
        return {}
    found = run(
        db,
        "SELECT a.story_id, COALESCE(ach.org_name, ''), ach.type, COALESCE(ach.amount_value, -1), "
        "COALESCE(ach.amount_unit, ''), COUNT(DISTINCT ach.article_seq) FROM achievements ach "
        f"JOIN articles a ON a.seq = ach.article_seq WHERE a.story_id IN ({marks(stories)}) "
        "GROUP BY a.story_id, COALESCE(ach.org_name, ''), ach.type, COALESCE(ach.amount_value, -1), "
        "COALESCE(ach.amount_unit, '')",
        stories,
    )
    return {(s, o, t, number(v), u): int(n) for s, o, t, v, u, n in found}


def _fold_key(r: tuple) -> tuple:
    return (r[15], r[6] or "", r[8], number(r[9]) if r[9] is not None else -1, r[10] or "")


def _rows(db: Db, order: list[tuple[int, int, int | None]], titles: bool = False) -> list[dict[str, Any]]:
    """The contract rows of (seq, position, copies) in that order."""
    if not order:
        return []
    seqs = sorted({s for s, _, _ in order})
    details = {(r[0], r[1]): r for r in run(db, DETAIL.format(marks=marks(seqs)), seqs)}
    copies = _copies(db, list(details.values())) if any(n is None for _, _, n in order) else {}
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
            "story_size": int(n) if n is not None else copies.get(_fold_key(r), 1),
        }
        if titles:
            row["title"] = r[16]
        out.append(row)
    return out


# ---------------------------------------------------------------- entry points


def list_achievements(store: SQLStore, filters: Filters, *, limit: int = 20, offset: int = 0,
                      titles: bool = False) -> dict[str, Any]:
    """`{"total", "achievements", "facets"}` for one page (FilterError / QueryError when bad).
    `titles` adds each article's title (the web page shows it; the JSON contract has none)."""
    filters.check()
    check_paging(limit, offset)
    with store.read() as db:
        facets = _facets(store, db, filters)
        order = _ordered(store, db, filters, limit, offset)
        rows = _rows(db, order, titles)
    return {"total": sum(facets["type"].values()), "achievements": rows, "facets": facets}


def iter_achievements(store: SQLStore, filters: Filters) -> Iterator[dict[str, Any]]:
    """Every row, in order, no cap: the order is read once (narrow), the rows in batches,
    each in its own snapshot so a long export never holds the store."""
    filters.check()
    with store.read() as db:
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
    click.echo(f"{result['total']} achievements; {offset + 1}–{offset + len(rows)} shown")
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

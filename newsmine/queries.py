"""Read-only queries the surfaces need beyond `Store.search`: organisation profiles, stories,
coverage counts and share of voice.

Each runs inside one read snapshot (`store.read()`), so a page sees one consistent state
while a crawl writes, and matches through the store itself (`store.matching`), so `q` finds
exactly what `newsmine search` finds, name expansions included. The SQL is the dialect
SQLite and PostgreSQL share (`?` placeholders, `lower(x) IN (…)`, explicit NULLS FIRST/LAST),
so every report works on both back ends.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from index.base import StoreError
from index.common import number
from index.query import canonical_org
from index.sqlbase import Db, SQLStore, marks

COVERAGE_BY = ("outlet", "month", "org", "region")
UNKNOWN = "(미상)"
NO_DATE = "(날짜 없음)"
ACHIEVEMENT_ROWS = 500  # raw achievement rows read for one profile (newest first)


class NotFound(LookupError):
    """The organisation, story or article asked for is not in the index."""


# ---------------------------------------------------------------- plumbing


@lru_cache(maxsize=1)
def driver_errors() -> tuple[type[Exception], ...]:
    """Error classes of both database drivers: a failed statement becomes one line, whichever
    back end ran it (psycopg only counts where it is installed)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def run(db: Db, sql: str, params: list | tuple = ()) -> list[tuple]:
    """Every row of one statement (none for a change without RETURNING); a database error
    is a one-line StoreError."""
    try:
        cursor = db.execute(sql, params)
        return cursor.fetchall() if cursor.description is not None else []
    except driver_errors() as exc:
        first = (str(exc).strip() or type(exc).__name__).splitlines()[0]
        raise StoreError(f"query failed: {first}") from None


def with_dates(query: str | None, date_from: str | None, date_to: str | None) -> str:
    """The query with from:/to: filters appended (the parser validates the dates)."""
    parts = [query.strip()] if query and query.strip() else []
    if date_from:
        parts.append(f"from:{date_from.strip()}")
    if date_to:
        parts.append(f"to:{date_to.strip()}")
    return " ".join(parts)


def with_kind(query: str | None, kind: str | None) -> str:
    """The query restricted to one kind of text (`kind:press_release`): `--kind`, `kind=`."""
    return " ".join(part for part in ((query or "").strip(), f"kind:{kind}" if kind else "") if part)


def in_chunks(db: Db, sql: str, ids: list[Any], before: list | None = None, size: int = 500) -> list[tuple]:
    """`sql` with `{marks}` run over `ids` in chunks (SQLite limits bound parameters)."""
    out: list[tuple] = []
    for i in range(0, len(ids), size):
        chunk = ids[i : i + size]
        out.extend(run(db, sql.format(marks=marks(chunk)), [*(before or []), *chunk]))
    return out


def month_range(months: list[str]) -> list[str]:
    """Every YYYY-MM from the first to the last given, gaps filled (charts need the zeros)."""
    valid = sorted(m for m in months if re.fullmatch(r"\d{4}-\d{2}", m or ""))
    if not valid:
        return []
    year, month = map(int, valid[0].split("-"))
    last = valid[-1]
    out = []
    while True:
        current = f"{year:04d}-{month:02d}"
        out.append(current)
        if current >= last or len(out) > 1200:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# ---------------------------------------------------------------- coverage bins

BINS = ("week", "month", "quarter", "year")
MAX_PERIODS = 40  # columns of a coverage table or chart


def choose_bin(months: int) -> str:
    """The period a coverage chart counts by, from the number of months it spans: weeks up
    to three months, months up to three years, quarters up to ten years, then years (at most
    MAX_PERIODS columns for any range a news index holds)."""
    if months <= 3:
        return "week"
    if months <= 36:
        return "month"
    if months <= MAX_PERIODS * 3:
        return "quarter"
    return "year"


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else (
            date.fromisoformat(value[:7] + "-01") if value and len(value) >= 7 else None)
    except ValueError:
        return None


def period_of(value: str | None, bin: str) -> str | None:
    """The period label of an ISO date: 2024-W29, 2024-07, 2024-Q3 or 2024."""
    day = _day(value)
    if day is None:
        return None
    if bin == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if bin == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if bin == "year":
        return f"{day.year:04d}"
    return f"{day.year:04d}-{day.month:02d}"


def period_range(days: list[str], bin: str) -> list[str]:
    """Every period from the first to the last date given, gaps filled."""
    parsed = sorted(d for d in (_day(v) for v in days) if d is not None)
    if not parsed:
        return []
    out: list[str] = []
    step = timedelta(days=7 if bin == "week" else 1)
    current = parsed[0] - timedelta(days=parsed[0].weekday()) if bin == "week" else parsed[0].replace(day=1)
    last = period_of(parsed[-1].isoformat(), bin)
    while len(out) < 2000:
        label = period_of(current.isoformat(), bin)
        if not out or out[-1] != label:
            out.append(label)
        if label == last:
            return out
        if bin == "week":
            current += step
        else:  # the first of the next month
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


# ---------------------------------------------------------------- coverage


def coverage(
    store: SQLStore,
    query: str | None,
    by: str = "outlet",
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Matching articles counted by outlet, month, organisation or region, with a monthly
    breakdown per key. An article counts once per key (for `org`, once per organisation it
    names, optionally only organisations of `kind`); `stories` counts syndicated copies once.
    `bin` and `periods` (with each row's `by_period` and the overall `period_totals`) count
    by week, month, quarter or year, chosen from the range (choose_bin), for charts and tables
    that must stay narrow over any range."""
    if by not in COVERAGE_BY:
        raise ValueError(f"unknown grouping '{by}' (use {', '.join(COVERAGE_BY)})")
    if kind and by != "org":
        raise ValueError(f"kind filters organisations, so it needs by=org (--by org), not by={by}")
    full = with_dates(query, date_from, date_to)
    with store.read() as db:
        if by == "org":
            base = store.matching(db, full, "a.seq, substr(a.published_at, 1, 10), a.story_id")
            info = {r[0]: r for r in base}
            pairs = in_chunks(
                db,
                "SELECT ao.article_seq, o.name FROM article_orgs ao JOIN organizations o ON o.id = ao.org_id "
                "WHERE o.kind LIKE ? AND ao.article_seq IN ({marks})",
                sorted(info),
                before=[kind or "%"],
            )
            rows = [(seq, name, info[seq][1], info[seq][2]) for seq, name in pairs]
        else:
            # a region is the one each article was placed in when stored (its title and lead:
            # index/regions.py)
            key = {"outlet": "COALESCE(a.outlet, a.source)", "month": "substr(a.published_at, 1, 7)",
                   "region": "a.region"}[by]
            base = store.matching(db, full, f"a.seq, substr(a.published_at, 1, 10), a.story_id, {key}")
            rows = [(r[0], r[3], r[1], r[2]) for r in base]
    articles = len(base)
    story_total = len({r[2] for r in base})
    seen: set[tuple[int, str]] = set()
    counts: Counter[str] = Counter()
    stories: dict[str, set[str]] = defaultdict(set)
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    by_period: dict[str, Counter[str]] = defaultdict(Counter)
    months = month_range([r[1][:7] for r in base if r[1]])
    bin = choose_bin(len(months))
    for seq, key, day, story in rows:
        key = key or (NO_DATE if by == "month" else UNKNOWN)
        if (seq, key) in seen:
            continue
        seen.add((seq, key))
        counts[key] += 1
        stories[key].add(story)
        if day:
            by_month[key][day[:7]] += 1
            label = period_of(day, bin)
            if label:
                by_period[key][label] += 1
    period_totals = Counter(label for label in (period_of(r[1], bin) for r in base) if label)
    if by == "month":
        ordered = sorted(counts, key=lambda k: (k == NO_DATE, k))
    else:
        ordered = sorted(counts, key=lambda k: (-counts[k], k == UNKNOWN, k))
    truncated = 0
    if limit is not None and len(ordered) > limit:
        truncated = len(ordered) - limit
        ordered = ordered[:limit]
    return {
        "query": query or "",
        "by": by,
        "from": date_from,
        "to": date_to,
        "kind": kind,
        "articles": articles,
        "stories": story_total,
        "months": months,
        "bin": bin,
        "periods": period_range([r[1] for r in base if r[1]], bin),
        "period_totals": dict(sorted(period_totals.items())),
        "rows": [
            {
                "key": key,
                "articles": counts[key],
                "stories": len(stories[key]),
                "share": round(counts[key] / articles, 4) if articles else 0.0,
                "by_month": dict(sorted(by_month[key].items())),
                "by_period": dict(sorted(by_period[key].items())),
            }
            for key in ordered
        ],
        "truncated": truncated,
    }


# ---------------------------------------------------------------- organisations


def _org_ids(db: Db, name: str) -> list[tuple[int, str, str]]:
    """(id, stored name, kind) of the organisations `name` denotes, case aside: by stored
    name, or by another spelling the index merged into one (org_aliases)."""
    names = canonical_org(name)
    if not names:
        return []
    lowered = ", ".join("lower(?)" for _ in names)
    return run(
        db,
        f"SELECT id, name, kind FROM organizations WHERE lower(name) IN ({lowered}) "
        f"UNION SELECT o.id, o.name, o.kind FROM org_aliases al JOIN organizations o ON o.id = al.org_id "
        f"WHERE lower(al.alias) IN ({lowered}) ORDER BY 1",
        [*names, *names],
    )


def _aliases(db: Db, ids: list[int]) -> list[str]:
    if not ids:
        return []
    return sorted({r[0] for r in run(db, f"SELECT alias FROM org_aliases WHERE org_id IN ({marks(ids)})", ids)})


def _amount(value: Any, unit: Any, approximate: Any) -> dict[str, Any] | None:
    if value is None and unit is None:
        return None
    return {"value": number(value), "unit": unit,
            "approximate": None if approximate is None else bool(approximate)}


def organization_profile(store: SQLStore, name: str, *, recent: int = 10) -> dict[str, Any]:
    """Everything the index knows about one organisation: kind, spellings, coverage over time,
    outlets, organisations named alongside it, and its achievements with evidence (syndicated
    copies of one achievement folded into one row). NotFound when the name is unknown."""
    with store.read() as db:
        found = _org_ids(db, name)
        if not found:
            raise NotFound(f"no organisation named '{name}' in the index")
        ids = [r[0] for r in found]
        of_ids = f"IN ({marks(ids)})"
        seq_sql = f"SELECT DISTINCT article_seq FROM article_orgs WHERE org_id {of_ids}"
        per_kind = run(
            db,
            f"SELECT o.kind, COUNT(DISTINCT ao.article_seq) FROM article_orgs ao "
            f"JOIN organizations o ON o.id = ao.org_id WHERE ao.org_id {of_ids} GROUP BY o.kind",
            ids,
        )
        surfaces: Counter[str] = Counter()
        for (raw,) in run(db, f"SELECT surfaces FROM article_orgs WHERE org_id {of_ids}", ids):
            try:
                surfaces.update(str(s) for s in json.loads(raw or "[]"))
            except ValueError:
                continue
        articles = run(
            db,
            f"SELECT a.seq, substr(a.published_at, 1, 7), a.outlet, a.story_id FROM articles a "
            f"WHERE a.seq IN ({seq_sql})",
            ids,
        )
        mention_rows = run(
            db,
            f"SELECT m.article_seq, COUNT(*) FROM mentions m WHERE m.org_id {of_ids} GROUP BY m.article_seq",
            ids,
        )
        dates = run(
            db,
            f"SELECT MIN(published_at), MAX(published_at) FROM articles WHERE seq IN ({seq_sql})",
            ids,
        )[0]
        related = run(
            db,
            f"SELECT o.name, o.kind, COUNT(DISTINCT ao.article_seq) AS n FROM article_orgs ao "
            f"JOIN organizations o ON o.id = ao.org_id WHERE ao.article_seq IN ({seq_sql}) "
            f"AND ao.org_id NOT {of_ids} GROUP BY o.name, o.kind ORDER BY n DESC, o.name LIMIT 10",
            [*ids, *ids],
        )
        # NULLS LAST: where SQLite puts undated articles by default, PostgreSQL does not
        latest = run(
            db,
            f"SELECT a.id, a.title, a.url, a.outlet, a.published_at, a.story_id FROM articles a "
            f"WHERE a.seq IN ({seq_sql}) ORDER BY a.published_at DESC NULLS LAST, a.seq DESC LIMIT ?",
            [*ids, recent],
        )
        aliases = _aliases(db, ids)
        names = sorted({r[1] for r in found} | set(aliases))
        achievement_rows = run(
            db,
            f"SELECT ach.type, ach.amount_value, ach.amount_unit, ach.approximate, ach.date, "
            f"ach.evidence, ach.confidence, a.id, a.title, a.url, a.outlet, a.published_at, "
            f"a.story_id, a.seq, ach.counterparty FROM achievements ach JOIN articles a ON a.seq = ach.article_seq "
            f"WHERE lower(ach.org_name) IN ({', '.join('lower(?)' for _ in names)}) "
            f"ORDER BY a.published_at DESC NULLS LAST, a.seq DESC LIMIT ?",
            [*names, ACHIEVEMENT_ROWS],
        )
        sizes = dict(
            run(
                db,
                f"SELECT story_id, COUNT(*) FROM articles WHERE story_id IN "
                f"(SELECT a.story_id FROM articles a WHERE a.seq IN ({seq_sql})) GROUP BY story_id",
                ids,
            )
        )
    mentions_by_seq = dict(mention_rows)
    months_articles: Counter[str] = Counter()
    months_mentions: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    for seq, month, outlet, _story in articles:
        if month:
            months_articles[month] += 1
            months_mentions[month] += mentions_by_seq.get(seq, 0)
        outlets[outlet or UNKNOWN] += 1
    kinds = dict(sorted(per_kind, key=lambda kv: (-kv[1], kv[0])))
    canonical = max(found, key=lambda r: (kinds.get(r[2], 0), r[1] == name))[1]
    return {
        "name": canonical,
        "kind": next(iter(kinds), found[0][2]),
        "kinds": kinds,
        "aliases": aliases,
        "surfaces": dict(sorted(surfaces.items(), key=lambda kv: (-kv[1], kv[0]))),
        "articles": len(articles),
        "stories": len({a[3] for a in articles}),
        "mentions": sum(mentions_by_seq.values()),
        "first_seen": dates[0],
        "last_seen": dates[1],
        "monthly": [
            {"month": m, "articles": months_articles.get(m, 0), "mentions": months_mentions.get(m, 0)}
            for m in month_range(list(months_articles))
        ],
        "outlets": dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
        "related": [{"name": r[0], "kind": r[1], "articles": r[2]} for r in related],
        "recent_articles": [
            {"id": r[0], "title": r[1], "url": r[2], "outlet": r[3], "published_at": r[4],
             "story_id": r[5], "story_size": sizes.get(r[5], 1)}
            for r in latest
        ],
        "achievements": _fold_achievements(achievement_rows, sizes),
    }


def _fold_achievements(rows: list[tuple], sizes: dict[str, int]) -> list[dict[str, Any]]:
    """One entry per (story, type, amount): the copies of a press release report one result.
    Rows come newest first; the earliest copy's evidence and article represent the entry."""
    folded: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        (type_, value, unit, approx, date, evidence, confidence,
         art_id, title, url, outlet, published, story, _seq, counterparty) = r
        key = (story, type_, value, unit)
        entry = {
            "type": type_,
            "amount": _amount(value, unit, approx),
            "date": date,
            "evidence": evidence,
            "confidence": confidence,
            "counterparty": counterparty,
            "article": {"id": art_id, "title": title, "url": url, "outlet": outlet, "published_at": published},
            "story_id": story,
            "story_size": sizes.get(story, 1),
        }
        if key in folded:
            old = folded[key]
            entry["copies"] = old["copies"] + 1
            # keep the newest-first position, but the earliest copy as the source
            folded[key] = {**entry, "_order": old["_order"]}
        else:
            entry["copies"] = 1
            entry["_order"] = len(folded)
            folded[key] = entry
    out = sorted(folded.values(), key=lambda e: e["_order"])
    for entry in out:
        del entry["_order"]
    return out


# ---------------------------------------------------------------- stories


def story_articles(store: SQLStore, story_id: str) -> dict[str, Any]:
    """The articles of one story (syndicated copies), earliest first; NotFound if none."""
    with store.read() as db:
        rows = run(
            db,
            "SELECT id, url, title, outlet, published_at, org_names FROM articles "
            "WHERE story_id = ? ORDER BY published_at NULLS FIRST, seq",
            (story_id,),
        )
    if not rows:
        raise NotFound(f"no story '{story_id}' in the index")
    return {
        "story_id": story_id,
        "size": len(rows),
        "outlets": sorted({r[3] for r in rows if r[3]}),
        "articles": [
            {"id": r[0], "url": r[1], "title": r[2], "outlet": r[3], "published_at": r[4],
             "organizations": r[5].split("\n") if r[5] else []}
            for r in rows
        ],
    }


def index_overview(store: SQLStore, top: int = 8) -> dict[str, Any]:
    """Small numbers for the start page: articles, outlets, most named firms."""
    with store.read() as db:
        articles = run(db, "SELECT COUNT(*), MIN(published_at), MAX(published_at) FROM articles")[0]
        firms = run(
            db,
            "SELECT o.name, COUNT(DISTINCT ao.article_seq) AS n FROM article_orgs ao "
            "JOIN organizations o ON o.id = ao.org_id WHERE o.kind = 'firm' "
            "GROUP BY o.name ORDER BY n DESC, o.name LIMIT ?",
            (top,),
        )
        outlets = run(
            db,
            "SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL "
            "GROUP BY outlet ORDER BY n DESC, outlet LIMIT ?",
            (top,),
        )
    return {
        "articles": articles[0],
        "first": articles[1],
        "last": articles[2],
        "firms": [{"name": n, "articles": c} for n, c in firms],
        "outlets": [{"name": n, "articles": c} for n, c in outlets],
    }


# ---------------------------------------------------------------- share of voice


def share_of_voice(
    store: SQLStore,
    names: list[str],
    *,
    by: str | None = "month",
    query: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    unit: str = "articles",
) -> dict[str, Any]:
    """Each organisation's share of the coverage the given organisations got together, per
    month (or overall with by="all"; None means the same). `unit` articles counts articles naming the organisation;
    mentions counts every mention. NotFound names every unknown organisation at once."""
    if unit not in ("articles", "mentions"):
        raise ValueError(f"unknown unit '{unit}' (use articles or mentions)")
    if by not in (None, "all", "month"):
        raise ValueError(f"unknown period '{by}' (use month, or all for the whole range)")
    by = by or "all"
    if not names:
        raise ValueError("name at least one organisation")
    if any(not (name or "").strip() for name in names):
        raise ValueError("an organisation name is empty")
    full = with_dates(query, date_from, date_to)
    period = "substr(a.published_at, 1, 7)" if by == "month" else "'전체'"
    counts: dict[str, Counter[str]] = {}
    labels: list[str] = []
    with store.read() as db:
        missing = []
        resolved = []
        for name in names:
            found = _org_ids(db, name)
            if not found:
                missing.append(name)
            else:
                resolved.append((name, found))
        if missing:
            raise NotFound(f"unknown organisation(s): {', '.join(missing)}")
        scope = {r[0] for r in store.matching(db, full, "a.seq")} if full else None
        for name, found in resolved:
            ids = [r[0] for r in found]
            label = max(found, key=lambda r: r[1] == name)[1]
            if label in counts:
                continue
            source = "article_orgs ao" if unit == "articles" else "mentions ao"
            rows = run(
                db,
                f"SELECT ao.article_seq, {period} FROM {source} JOIN articles a ON a.seq = ao.article_seq "
                f"WHERE ao.org_id IN ({marks(ids)})",
                ids,
            )
            seen: set[int] = set()
            tally: Counter[str] = Counter()
            for seq, p in rows:
                if scope is not None and seq not in scope:
                    continue
                if unit == "articles":
                    if seq in seen:
                        continue  # an organisation entered twice in one article
                    seen.add(seq)
                tally[p or NO_DATE] += 1
            counts[label] = tally
            labels.append(label)
    periods_seen = {p for c in counts.values() for p in c}
    if by == "month":
        periods = month_range([p for p in periods_seen if p != NO_DATE])
        if NO_DATE in periods_seen:
            periods.append(NO_DATE)
    else:
        periods = sorted(periods_seen) or ["전체"]
    table = []
    for p in periods:
        total = sum(counts[label].get(p, 0) for label in labels)
        table.append(
            {
                "period": p,
                "total": total,
                "counts": {label: counts[label].get(p, 0) for label in labels},
                "shares": {label: (round(counts[label].get(p, 0) / total, 4) if total else 0.0) for label in labels},
            }
        )
    grand = sum(sum(c.values()) for c in counts.values())
    totals = {label: sum(counts[label].values()) for label in labels}
    return {
        "organizations": labels,
        "by": by,
        "unit": unit,
        "query": query or "",
        "from": date_from,
        "to": date_to,
        "periods": table,
        "totals": totals,
        "shares": {label: (round(totals[label] / grand, 4) if grand else 0.0) for label in labels},
    }

"""The home page's dashboard (`/` without a query, `GET /api/dashboard`): what the index holds
and what is new in it.

- the newest achievements (copies of one press release folded, as on /achievements: the
  achievements whose first copy is newest);
- the firms with the most achievements in the index's current month (the month of the newest
  article, so an index that stopped being crawled still shows its last month);
- articles per month over the last two years of the index, or since its first article (a chart
  and a table);
- sources that went silent: nothing new in their last `silent_runs` crawls, blocked by
  robots.txt, or their last crawl failed (the crawl history, crawler/health.py).

Every statement is bounded by an index range or a LIMIT, so the page stays fast on a large
index: the newest achievements walk the first copies down their publication-date index, the
month's firms read one month of articles (`CROSS JOIN` keeps SQLite's planner from scanning
achievements instead), coverage counts from the publication-date index, and the crawl history
is read newest first up to a cap.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any

from index.query import _date_bounds
from index.sqlbase import SQLStore
from newsmine import achievements
from newsmine.queries import month_range, run

NEWEST_ROWS = 8        # achievements listed
TOP_FIRMS = 10         # firms of the month
CHART_MONTHS = 24      # months of coverage shown
HISTORY_ROWS = 5000    # crawl-history rows read (newest first)

# The newest achievements: first copies (index/folds.py) down the (fold_rank, pub) index.
NEWEST_SQL = (
    "SELECT ach.article_seq, ach.position, ach.fold_size FROM achievements ach "
    "WHERE ach.fold_rank = 1 AND ach.pub IS NOT NULL ORDER BY ach.pub DESC, ach.article_seq DESC, ach.position "
    "LIMIT ?"
)
# Firms by achievements published in [start, end), a story's copies of one achievement once.
FIRMS_SQL = (
    "SELECT ach.org_name, COUNT(DISTINCT a.story_id || '|' || ach.type || '|' || "
    "COALESCE(ach.amount_unit, '') || COALESCE(CAST(ach.amount_value AS TEXT), '')) AS n "
    "FROM articles a CROSS JOIN achievements ach WHERE ach.article_seq = a.seq "
    "AND a.published_at >= ? AND a.published_at < ? AND ach.org_kind = 'firm' "
    "AND ach.org_name IS NOT NULL GROUP BY ach.org_name ORDER BY n DESC, ach.org_name LIMIT ?"
)
# Articles per month in [start, end), from the publication-date index alone.
MONTHLY_SQL = (
    "SELECT substr(published_at, 1, 7) AS m, COUNT(*) FROM articles "
    "WHERE published_at >= ? AND published_at < ? GROUP BY substr(published_at, 1, 7)"
)


def _month_start(month: str, back: int) -> str:
    """The month `back` months before YYYY-MM."""
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def newest_achievements(store: SQLStore, limit: int = NEWEST_ROWS) -> list[dict[str, Any]]:
    """The newest achievements as /api/achievements rows: the achievements first reported
    most recently, each by its earliest copy (a story's other copies fold into it)."""
    with store.read() as db:
        return achievements._rows(db, [tuple(r) for r in run(db, NEWEST_SQL, (limit,))], titles=True)


def index_month(store: SQLStore, today: date | None = None) -> str | None:
    """YYYY-MM of the newest article published up to today (None for an empty index)."""
    today = today or date.today()
    with store.read() as db:
        newest = run(db, "SELECT MAX(published_at) FROM articles WHERE published_at < ?",
                     (_date_bounds(today.isoformat())[1],))[0][0]  # type: ignore[index]
    return newest[:7] if newest else None


def top_firms(store: SQLStore, month: str | None, limit: int = TOP_FIRMS) -> list[dict[str, Any]]:
    """Firms with the most achievements published in `month` (a story's copies count once)."""
    if not month:
        return []
    start, end = _date_bounds(month)  # type: ignore[misc]
    with store.read() as db:
        rows = run(db, FIRMS_SQL, (start, end, limit))
    return [{"name": name, "achievements": int(n)} for name, n in rows]


def monthly_articles(store: SQLStore, month: str | None, months: int = CHART_MONTHS,
                     oldest: str | None = None) -> list[dict[str, Any]]:
    """Articles per month over the `months` months up to `month` (from the `oldest` article's
    month when that is later), empty months included."""
    if not month:
        return []
    first = _month_start(month, months - 1)
    if oldest and first < oldest[:7] <= month:
        first = oldest[:7]
    with store.read() as db:
        rows = run(db, MONTHLY_SQL, (_date_bounds(first)[0], _date_bounds(month)[1]))  # type: ignore[index]
    counts = {m: int(n) for m, n in rows}
    return [{"month": m, "articles": counts.get(m, 0)} for m in month_range([first, month])]


@lru_cache(maxsize=1)
def _site_names() -> dict[str, str]:
    """Configured sources' names by key (empty when the site files cannot be read)."""
    try:
        from crawler.sites import SITES_DIR, load_sites

        return {s.key: s.name for s in load_sites(SITES_DIR)}
    except Exception:  # noqa: BLE001 — names only decorate the list
        return {}


@lru_cache(maxsize=1)
def _silent_after() -> int:
    from crawler.config import load_config
    from crawler.health import SILENT_RUNS

    try:
        return int(load_config(None).get("silent_runs", SILENT_RUNS))
    except Exception:  # noqa: BLE001 — a broken config is reported by `newsmine crawl`
        return SILENT_RUNS


class _History:
    """The crawl-history rows already read, for crawler.health.source_health."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def runs(self) -> list[dict[str, Any]]:
        return self.rows


def silent_sources(store: SQLStore, silent_after: int | None = None) -> list[dict[str, Any]]:
    """Sources whose last `silent_after` crawls brought nothing new, whose last crawl was blocked
    by robots.txt or failed; [] when the index has no crawl history (articles ingested only)."""
    from crawler.health import source_health

    silent_after = silent_after or _silent_after()
    try:
        with store.read() as db:
            cursor = db.execute(
                "SELECT run_id, source, worker, started_at, ended_at, status, finish_reason, pages_fetched, "
                "new, updated, unchanged, known_skipped, not_modified, errors, duration_s FROM crawl_runs "
                "ORDER BY started_at DESC, run_id DESC LIMIT ?", (HISTORY_ROWS,))
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    except Exception as exc:  # no crawl_runs table yet (never crawled): SQLite error or StoreError
        if "crawl_runs" in str(exc):
            return []
        raise
    for row in rows:
        row["errors"] = json.loads(row["errors"] or "{}")
    last_new: dict[str, str] = {}
    for row in rows:  # newest first
        if row["new"] + row["updated"] > 0:
            last_new.setdefault(row["source"], row["started_at"])
    labels = _site_names()
    out = []
    for h in source_health(_History(rows), {}, silent_after):
        failed = (h.last_run or {}).get("status") == "failed"
        if not (h.silent or h.blocked or failed):
            continue
        out.append({
            "source": h.source, "name": labels.get(h.source),
            "reason": "blocked" if h.blocked else "silent" if h.silent else "failed",
            "silent_runs": h.silent_runs, "last_run": (h.last_run or {}).get("started_at"),
            "last_success": h.last_success, "last_new": last_new.get(h.source),
        })
    out.sort(key=lambda s: (s["last_new"] or "", s["source"]))
    return out


def dashboard(store: SQLStore, today: date | None = None) -> dict[str, Any]:
    """Everything the home page shows, as JSON."""
    month = index_month(store, today)
    with store.read() as db:
        articles, first, last = run(db, "SELECT COUNT(*), MIN(published_at), MAX(published_at) FROM articles")[0]
    return {
        "articles": int(articles),
        "first": first,
        "last": last,
        "month": month,
        "newest_achievements": newest_achievements(store),
        "top_firms": top_firms(store, month),
        "monthly": monthly_articles(store, month, oldest=first),
        "silent_after": _silent_after(),
        "silent_sources": silent_sources(store),
    }

"""Programmes as pages: `newsmine programmes [NAME]`, `GET /api/programmes[/{name}]` and the
/programmes pages all read through `list_programmes` and `programme_view`.

A programme is every selection, award, certification or funding achievement whose programme
(nlp/programmes.py) has the same grouping key (`programme_key`: quotes, spaces, years,
editions and aliases folded: `'2024년 글로벌 강소기업'` = `글로벌 강소기업`). Its page lists the
firms selected or awarded per year and what those firms achieved afterwards — contracts,
revenue, exports, hires, funding and investment with their amounts — by year since the firm's
first selection: the outcome view of a support programme.

Copies fold as on the achievements page: one firm's selection in one year is one row however
many articles report it (`articles` counts them), and one figure of a firm (same type, value
and unit) reported in several stories counts once in the totals.
"""

from __future__ import annotations

import re
from typing import Any

from index.common import number
from index.sqlbase import Db, SQLStore, marks
from newsmine.queries import NotFound, run

PROGRAMME_TYPES = ("selection", "award", "certification", "funding")
OUTCOME_TYPES = ("contract", "revenue", "export", "hiring", "funding", "investment")
MAX_NAME = 200
MAX_LIMIT = 1000  # as newsmine/achievements.MAX_LIMIT
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ProgrammeError(ValueError):
    """A bad programme name, query or paging value; the message is one line naming it."""


def _shown(value: str, width: int = 60) -> str:
    """A user's value in a message: one line, cut to `width` characters."""
    text = _CONTROL.sub(" ", value).strip()
    return text if len(text) <= width else text[:width] + "…"


def check_name(name: str | None, what: str = "programme name") -> str:
    """The grouping key of a name the user gave (ProgrammeError when it cannot name one)."""
    from nlp.programmes import programme_key

    if name is None or not name.strip():
        raise ProgrammeError(f"empty {what}")
    if len(name) > MAX_NAME:
        raise ProgrammeError(f"{what} is longer than {MAX_NAME} characters")
    if _CONTROL.search(name):
        raise ProgrammeError(f"{what} '{_shown(name)}' contains a control character")
    key = programme_key(name)
    if not key:
        raise ProgrammeError(f"{what} '{_shown(name)}' has no words besides years and editions")
    return key


def check_paging(limit: int, offset: int) -> None:
    """The paging of the achievements page: --limit 1 to 1000, --offset not negative."""
    from newsmine.achievements import FilterError, check_paging as check

    try:
        check(limit, offset)
    except FilterError as error:
        raise ProgrammeError(str(error)) from None


def _day(date: str | None, published: str | None) -> str | None:
    """When an achievement happened: its own date (a day or a year), else the article's day."""
    value = (date or published or "")[:10]
    return value if re.match(r"\d{4}", value) else None


def _ranked(counts: dict[str, int]) -> list[str]:
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


# ---------------------------------------------------------------- the list


def list_programmes(store: SQLStore, query: str | None = None, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """`{"total", "programmes": [{"key", "name", "names", "body", "bodies", "firms", "articles",
    "types", "years", "first", "last"}]}`: every programme in the index, most firms first.
    `query` keeps the programmes whose key contains the query's key (`강소기업`)."""
    check_paging(limit, offset)
    wanted = check_name(query, "query") if query is not None and query.strip() else None
    with store.read() as db:
        rows = run(
            db,
            "SELECT ach.programme_key, ach.programme, ach.programme_body, ach.org_name, ach.type, ach.date, "
            "a.published_at, a.seq FROM achievements ach JOIN articles a ON a.seq = ach.article_seq "
            f"WHERE ach.programme_key IS NOT NULL AND ach.type IN ({marks(PROGRAMME_TYPES)})",
            list(PROGRAMME_TYPES),
        )
    groups: dict[str, dict[str, Any]] = {}
    for key, name, body, org, kind, date, published, seq in rows:
        if wanted is not None and wanted not in key:
            continue
        g = groups.setdefault(key, {"names": {}, "bodies": {}, "firms": set(), "articles": set(), "types": {},
                                    "years": {}, "days": []})
        g["names"][name] = g["names"].get(name, 0) + 1
        if body:
            g["bodies"][body] = g["bodies"].get(body, 0) + 1
        if org:
            g["firms"].add(org)
        g["articles"].add(seq)
        g["types"][kind] = g["types"].get(kind, 0) + 1
        day = _day(date, published)
        if day:
            g["days"].append(day)
            year = day[:4]
            g["years"].setdefault(year, set()).add(org)
    out = []
    for key, g in groups.items():
        names = _ranked(g["names"])
        bodies = _ranked(g["bodies"])
        out.append({
            "key": key, "name": names[0], "names": names[:10], "body": bodies[0] if bodies else None,
            "bodies": bodies[:10], "firms": len(g["firms"]), "articles": len(g["articles"]),
            "types": dict(sorted(g["types"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "years": {year: len(firms) for year, firms in sorted(g["years"].items())},
            "first": min(g["days"]) if g["days"] else None, "last": max(g["days"]) if g["days"] else None,
        })
    out.sort(key=lambda p: (-p["firms"], -p["articles"], p["name"]))
    return {"total": len(out), "programmes": out[offset:offset + limit]}


# ---------------------------------------------------------------- one programme


_WINNERS = (
    "SELECT ach.org_name, ach.org_kind, ach.type, ach.date, ach.programme, ach.programme_body, ach.evidence, "
    "a.id, a.url, a.outlet, a.published_at, a.story_id, a.seq, ach.position FROM achievements ach "
    "JOIN articles a ON a.seq = ach.article_seq WHERE ach.programme_key = ? AND ach.org_name IS NOT NULL "
    f"AND ach.type IN ({marks(PROGRAMME_TYPES)}) ORDER BY a.published_at, a.seq, ach.position"
)
_OUTCOMES = (
    "SELECT ach.org_name, ach.type, ach.amount_value, ach.amount_unit, ach.approximate, ach.date, "
    "ach.counterparty, ach.evidence, a.id, a.url, a.outlet, a.published_at, a.story_id, a.seq, ach.position "
    "FROM achievements ach JOIN articles a ON a.seq = ach.article_seq "
    "WHERE ach.org_name IN ({names}) AND COALESCE(ach.scope, 'firm') = 'firm' AND ach.type IN ({types}) "
    "ORDER BY a.published_at, a.seq, ach.position"
)


def programme_view(store: SQLStore, name: str) -> dict[str, Any]:
    """One programme: its names and bodies, the firms selected or awarded per year, and what
    each achieved from its first selection on, by year since (NotFound when no achievement
    names it; ProgrammeError for a name that cannot be one)."""
    key = check_name(name)
    with store.read() as db:
        winners = run(db, _WINNERS, [key, *PROGRAMME_TYPES])
        if not winners:
            raise NotFound(f"no programme '{_shown(name)}' in the index (see `newsmine programmes`)")
        firms = _firms(winners)
        outcomes = _outcomes(db, firms)
    names: dict[str, int] = {}
    bodies: dict[str, int] = {}
    types: dict[str, int] = {}
    for row in winners:
        names[row[4]] = names.get(row[4], 0) + 1
        if row[5]:
            bodies[row[5]] = bodies.get(row[5], 0) + 1
        types[row[2]] = types.get(row[2], 0) + 1
    years: dict[str, list[dict[str, Any]]] = {}
    for org, firm in firms.items():
        for entry in firm["selections"]:
            years.setdefault(entry["year"] or "(미상)", []).append({"organization": org, "kind": firm["kind"], **entry})
    firm_rows = []
    for org, firm in sorted(firms.items(), key=lambda kv: (kv[1]["first_selected"] or "9999", kv[0])):
        rows = outcomes.get(org, [])
        firm_rows.append({"organization": org, "kind": firm["kind"], "first_selected": firm["first_selected"],
                          "years": sorted({e["year"] for e in firm["selections"] if e["year"]}),
                          "outcomes": rows, "totals": _totals(rows)})
    return {
        "key": key, "name": _ranked(names)[0], "names": _ranked(names), "bodies": _ranked(bodies),
        "types": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        "firm_count": len(firms),
        "years": [{"year": year, "firms": sorted(entries, key=lambda e: e["organization"])}
                  for year, entries in sorted(years.items())],
        "firms": firm_rows,
        "outcome_types": list(OUTCOME_TYPES),
        "by_years_since": _by_years_since(firm_rows),
    }


def _firms(winners: list[tuple]) -> dict[str, dict[str, Any]]:
    """Each firm's selections, one per year (its copies counted), and its first selection day."""
    firms: dict[str, dict[str, Any]] = {}
    for org, kind, type_, date, _, _, evidence, art_id, url, outlet, published, story, _, _ in winners:
        firm = firms.setdefault(org, {"kind": kind, "selections": {}, "first_selected": None})
        if kind == "firm" or firm["kind"] is None:
            firm["kind"] = kind          # named a firm anywhere: a firm
        day = _day(date, published)
        year = day[:4] if day else None
        entry = firm["selections"].get(year)
        if entry is None:
            firm["selections"][year] = {"year": year, "type": type_, "date": day, "article_id": art_id, "url": url,
                                        "outlet": outlet, "published_at": published, "evidence": evidence,
                                        "articles": 1, "_stories": {story}}
        else:
            entry["articles"] += 1
            entry["_stories"].add(story)
        if day and (firm["first_selected"] is None or day < firm["first_selected"]):
            firm["first_selected"] = day
    for firm in firms.values():
        entries = sorted(firm["selections"].values(), key=lambda e: e["year"] or "9999")
        for entry in entries:
            entry["stories"] = len(entry.pop("_stories"))
        firm["selections"] = entries
    return firms


def _outcomes(db: Db, firms: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """What each firm achieved on or after its first selection day, copies folded."""
    names = sorted(firms)
    out: dict[str, list[dict[str, Any]]] = {}
    seen: dict[tuple, dict[str, Any]] = {}
    for i in range(0, len(names), 400):
        chunk = names[i:i + 400]
        sql = _OUTCOMES.format(names=marks(chunk), types=marks(OUTCOME_TYPES))
        for (org, type_, value, unit, approx, date, counterparty, evidence, art_id, url, outlet, published,
             story, _, _) in run(db, sql, [*chunk, *OUTCOME_TYPES]):
            start = firms[org]["first_selected"]
            day = _day(date, published)
            if start is None or day is None or day[:len(start)] < start[:len(day)]:
                continue                # before the selection, or undated: no outcome of it
            fold = (org, story, type_, number(value) if value is not None else None, unit)
            if fold in seen:
                seen[fold]["articles"] += 1
                continue
            amount = None if value is None and unit is None else {
                "value": number(value), "unit": unit, "approximate": None if approx is None else bool(approx)}
            row = {"type": type_, "amount": amount, "date": day, "years_since": int(day[:4]) - int(start[:4]),
                   "counterparty": counterparty, "evidence": evidence, "article_id": art_id, "url": url,
                   "outlet": outlet, "published_at": published, "articles": 1}
            seen[fold] = row
            out.setdefault(org, []).append(row)
    return out


def _totals(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per outcome type: how many, and the sum per unit of the distinct figures."""
    totals: dict[str, dict[str, Any]] = {}
    figures: set[tuple] = set()
    for row in rows:
        t = totals.setdefault(row["type"], {"count": 0, "amounts": {}})
        t["count"] += 1
        amount = row["amount"]
        if amount and amount["value"] is not None and amount["unit"]:
            figure = (row["type"], amount["value"], amount["unit"])
            if figure in figures:
                continue                # the same figure in another story: counted once
            figures.add(figure)
            t["amounts"][amount["unit"]] = number(t["amounts"].get(amount["unit"], 0) + amount["value"])
    return {t: totals[t] for t in OUTCOME_TYPES if t in totals}


def _by_years_since(firm_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The outcomes of all the programme's firms by year since each firm's first selection:
    `[{"years_since", "firms", "types": {type: {"count", "firms", "amounts": {unit: sum}}}}]`."""
    buckets: dict[int, dict[str, Any]] = {}
    for firm in firm_rows:
        by_year: dict[int, list[dict[str, Any]]] = {}
        for row in firm["outcomes"]:
            by_year.setdefault(row["years_since"], []).append(row)
        for years_since, rows in by_year.items():
            bucket = buckets.setdefault(years_since, {"years_since": years_since, "firms": set(), "types": {}})
            bucket["firms"].add(firm["organization"])
            for type_, total in _totals(rows).items():
                t = bucket["types"].setdefault(type_, {"count": 0, "firms": set(), "amounts": {}})
                t["count"] += total["count"]
                t["firms"].add(firm["organization"])
                for unit, value in total["amounts"].items():
                    t["amounts"][unit] = number(t["amounts"].get(unit, 0) + value)
    out = []
    for years_since in sorted(buckets):
        bucket = buckets[years_since]
        types = {name: {"count": t["count"], "firms": len(t["firms"]), "amounts": t["amounts"]}
                 for name, t in sorted(bucket["types"].items(), key=lambda kv: OUTCOME_TYPES.index(kv[0]))}
        out.append({"years_since": years_since, "firms": len(bucket["firms"]), "types": types})
    return out


# ---------------------------------------------------------------- export

# One row per selection and per outcome (`row`), so a spreadsheet can pivot the programme by
# firm, year or years since selection without reading nested JSON.
EXPORT_FIELDS = (
    "programme", "organization", "kind", "first_selected", "row", "type", "year", "years_since", "date",
    "amount", "amount_value", "amount_unit", "approximate", "counterparty", "articles", "outlet", "url",
    "article_id", "evidence",
)
EXPORT_LAYOUT = (EXPORT_FIELDS, frozenset(), "programme")


def export_rows(view: dict[str, Any], fmt: str) -> list[dict[str, Any]]:
    """The programme page as rows: each firm's selections (`row` = `selection`), then what it
    achieved afterwards (`row` = `outcome`), firms in order of first selection. JSON Lines keeps
    the amount as the contract's object; CSV and XLSX get it in Korean and raw (as the
    achievements export does)."""
    from newsmine.achievements import flat

    selections: dict[str, list[dict[str, Any]]] = {}
    for year in view["years"]:
        for e in year["firms"]:
            selections.setdefault(e["organization"], []).append(e)
    rows: list[dict[str, Any]] = []
    for firm in view["firms"]:
        org, start = firm["organization"], firm["first_selected"]
        common = {"programme": view["name"], "organization": org, "kind": firm["kind"],
                  "first_selected": start}
        for e in selections.get(org, []):
            years_since = int(e["year"]) - int(start[:4]) if e["year"] and start else None
            rows.append({**common, "row": "selection", "type": e["type"], "year": e["year"],
                         "years_since": years_since, "date": e["date"], "amount": None, "counterparty": None,
                         "articles": e["articles"], "outlet": e["outlet"], "url": e["url"],
                         "article_id": e["article_id"], "evidence": e["evidence"]})
        for o in firm["outcomes"]:
            rows.append({**common, "row": "outcome", "type": o["type"], "year": (o["date"] or "")[:4] or None,
                         "years_since": o["years_since"], "date": o["date"], "amount": o["amount"],
                         "counterparty": o["counterparty"], "articles": o["articles"], "outlet": o["outlet"],
                         "url": o["url"], "article_id": o["article_id"], "evidence": o["evidence"]})
    return rows if fmt == "jsonl" else [flat(r) for r in rows]


# ---------------------------------------------------------------- terminal


def print_list(result: dict[str, Any], offset: int = 0) -> None:
    import click

    rows = result["programmes"]
    if not rows:
        click.echo(f"no programmes (total {result['total']})")
        return
    click.echo(f"{result['total']} programmes; {offset + 1}–{offset + len(rows)} shown")
    for i, p in enumerate(rows, start=offset + 1):
        years = ", ".join(f"{y}: {n}" for y, n in p["years"].items())
        click.echo(f"{i}. {p['name']} — {p['body'] or '-'} · {p['firms']} firm(s), {p['articles']} article(s)"
                   + (f" · {years}" if years else ""))


def print_view(view: dict[str, Any]) -> None:
    import click

    from newsmine.web.format import amount_text, type_label

    click.echo(f"{view['name']} — {', '.join(view['bodies']) or '-'}")
    if len(view["names"]) > 1:
        click.echo(f"  also written: {', '.join(view['names'][1:])}")
    click.echo(f"{view['firm_count']} firm(s)")
    for year in view["years"]:
        firms = ", ".join(f"{e['organization']} ({type_label(e['type'])})" for e in year["firms"])
        click.echo(f"  {year['year']}: {firms}")
    click.echo("after selection, by year since:")
    if not view["by_years_since"]:
        click.echo("  nothing reported yet")
    for bucket in view["by_years_since"]:
        parts = []
        for name, t in bucket["types"].items():
            amounts = ", ".join(amount_text({"value": v, "unit": u, "approximate": False}) for u, v in t["amounts"].items())
            parts.append(f"{type_label(name)} {t['count']}" + (f" ({amounts})" if amounts else ""))
        click.echo(f"  +{bucket['years_since']}y: {bucket['firms']} firm(s) · {'; '.join(parts)}")
    for firm in view["firms"]:
        click.echo(f"{firm['organization']} (first {firm['first_selected'] or '-'})")
        for row in firm["outcomes"]:
            amount = f" · {amount_text(row['amount'])}" if row["amount"] else ""
            click.echo(f"  +{row['years_since']}y {row['date']} {type_label(row['type'])}{amount} — {row['url']}")

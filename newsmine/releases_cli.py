"""`newsmine trace` and `newsmine releases show|pickup` (registered by newsmine/cli.py)."""

from __future__ import annotations

import click

from core.errors import UsageError

DB_OPTION = click.option("--db", "db_url", default=None, metavar="URL",
                         help="SQLite file or postgresql:// URL (default: $NEWSMINE_DB or data/newsmine.sqlite).")


def _store(db_url: str | None):  # noqa: ANN202
    from index import open_store
    from newsmine.cli import _existing_db

    return open_store(_existing_db(db_url))


def _echo_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False))


@click.command()
@DB_OPTION
@click.option("--days", default=14, show_default=True, type=click.IntRange(0, 365),
              help="Articles up to N days after a release are candidates (and from 1 day before).")
@click.option("--since", default=None, metavar="DATE",
              help="Trace again only the releases published on or after DATE (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def trace(db_url: str | None, days: int, since: str | None, as_json: bool) -> None:
    """Link each news article to the press release it rewrites (shared passages, date window,
    shared organisations); re-running replaces the links, never duplicates them."""
    from index.tracing import trace as run_trace
    from newsmine.releases import parse_day

    try:
        since = parse_day(since)
    except ValueError as error:
        raise UsageError(str(error)) from None
    store = _store(db_url)
    try:
        result = run_trace(store, days=days, since=since)
    finally:
        store.close()
    if as_json:
        _echo_json(result)
    else:
        click.echo(f"{result['releases']} release(s) traced, {result['links']} article(s) linked, "
                   f"{result['releases_picked_up']} release(s) picked up (window {days} days)")


@click.group()
def releases() -> None:
    """Press releases: the outlets that carried one, and an issuing body's pickup."""


@releases.command("show")
@click.argument("release_id", metavar="ID")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (see docs/usage.md).")
def releases_show(release_id: str, db_url: str | None, as_json: bool) -> None:
    """The release ID and each outlet's rewrite: when, overlap, kept share, additions."""
    from newsmine.queries import NotFound
    from newsmine.releases import delay_text, release_view

    store = _store(db_url)
    try:
        view = release_view(store, release_id)
    except NotFound as error:
        raise UsageError(str(error)) from None
    finally:
        store.close()
    if as_json:
        _echo_json(view)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    r = view["release"]
    console = Console()
    console.print(f"[bold]{escape(r['title'] or '')}[/bold]")
    console.print(escape(f"{r['issuer'] or '-'} · {r['published_at'] or '-'} · {r['url']}"))
    table = Table(title=f"{view['outlets']} outlet(s), {len(view['articles'])} article(s)")
    for column in ("outlet", "published", "delay", "overlap", "kept", "added"):
        table.add_column(column, justify="right" if column in ("overlap", "kept") else "left")
    for a in view["articles"]:
        added = a["additions"]
        parts = [f"{len(added.get('quotes', []))} quote(s)"] if added.get("quotes") else []
        parts += [", ".join(added.get("figures", []))] if added.get("figures") else []
        parts += [", ".join(added.get("firms", []))] if added.get("firms") else []
        table.add_row(escape(a["outlet"] or a["url"]), escape(a["published_at"] or "-"), delay_text(a["delay_hours"]),
                      f"{a['overlap']:.2f}", f"{a['kept_sentences']}/{a['release_sentences']}", escape("; ".join(parts) or "-"))
    console.print(table)


@releases.command("pickup")
@click.option("--issuer", required=True, metavar="NAME", help="Issuing body (stated issuer, outlet or source contains NAME).")
@click.option("--days", default=14, show_default=True, type=click.IntRange(0, 365), help="Count outlets within N days.")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (see docs/usage.md).")
def releases_pickup(issuer: str, days: int, db_url: str | None, as_json: bool) -> None:
    """Each release of an issuing body and how many outlets carried it within N days."""
    from newsmine.releases import delay_text, pickup

    store = _store(db_url)
    try:
        result = pickup(store, issuer, days)
    except ValueError as error:
        raise UsageError(str(error)) from None
    finally:
        store.close()
    if as_json:
        _echo_json(result)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{escape(result['issuer'])}: {result['picked_up']} of {len(result['releases'])} "
                        f"release(s) carried within {days} days")
    for column in ("id", "published", "title", "outlets", "first"):
        table.add_column(column, justify="right" if column == "outlets" else "left")
    for r in result["releases"]:
        table.add_row(r["id"], escape(r["published_at"] or "-"), escape(r["title"] or ""), str(r["outlets"]),
                      delay_text(r["first_delay_hours"]))
    Console().print(table)

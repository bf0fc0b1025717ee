"""`newsmine programmes [NAME]` (registered by newsmine/cli.py)."""

from __future__ import annotations

from pathlib import Path

import click

from core.errors import UsageError
from newsmine.releases_cli import DB_OPTION, _echo_json, _store


@click.command()
@click.argument("name", required=False, default=None)
@DB_OPTION
@click.option("--query", "-q", default=None, metavar="TEXT", help="Without NAME: only programmes whose name contains TEXT.")
@click.option("--limit", default=50, show_default=True, type=int, help="Without NAME: programmes per page (1-1000).")
@click.option("--offset", default=0, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (see docs/usage.md).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default=None,
              help="With NAME: the programme's selections and outcomes, one row each, in this format.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="With --format: write to FILE.")
def programmes(name: str | None, db_url: str | None, query: str | None, limit: int, offset: int, as_json: bool,
               fmt: str | None, output: Path | None) -> None:
    """Programmes, prizes and certificates firms were selected into or awarded; with NAME, the
    firms per year and what they achieved afterwards, by year since selection.

    NAME matches whatever the spelling: quotes, spaces, years and editions do not count
    (`'2024년 글로벌 강소기업'` = `글로벌 강소기업`)."""
    from newsmine import programmes as prog
    from newsmine.outputs import check_output, write_rows
    from newsmine.queries import NotFound

    if fmt is not None and name is None:
        raise UsageError("--format exports one programme: give its NAME")
    check_output(fmt, output)
    try:
        if name is not None:
            prog.check_name(name)
        else:
            prog.check_paging(limit, offset)
            if query is not None and query.strip():
                prog.check_name(query, "query")
    except prog.ProgrammeError as error:
        raise UsageError(str(error)) from None
    store = _store(db_url)
    try:
        result = prog.programme_view(store, name) if name is not None else \
            prog.list_programmes(store, query, limit=limit, offset=offset)
    except (NotFound, prog.ProgrammeError) as error:
        raise UsageError(str(error)) from None
    finally:
        store.close()
    if fmt is not None:
        write_rows(prog.export_rows(result, fmt), fmt, output, prog.EXPORT_LAYOUT)
    elif as_json:
        _echo_json(result)
    elif name is not None:
        prog.print_view(result)
    else:
        prog.print_list(result, offset)

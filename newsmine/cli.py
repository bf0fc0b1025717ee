"""The `newsmine` command: one entry point for crawling, extraction, search and exports."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any, Callable, Iterable

import click

from newsmine import __version__
from newsmine.errors import UsageError
from newsmine.paths import DATA_DIR, default_db_url

DB_OPTION = click.option("--db", "db_url", default=None, metavar="URL",
                         help="SQLite file or postgresql:// URL (default: $NEWSMINE_DB or data/newsmine.sqlite).")


def _db(db_url: str | None) -> str:
    return db_url or default_db_url()


def _echo_json(data: Any, out: IO[str] | None = None) -> None:
    click.echo(json.dumps(data, ensure_ascii=False), file=out)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsmine")
def cli() -> None:
    """Mine Korean regional news and press releases for firms and what they achieved."""


# --------------------------------------------------------------------------- extract
@cli.command()
@click.argument("path", default="-", metavar="[PATH|-]")
@click.option("--html", "is_html", is_flag=True, help="Input is an HTML page (extract the article first).")
@click.option("--jsonl", "is_jsonl", is_flag=True, help='Each input line is {"id", "text"} or {"id", "html"}.')
@click.option("--url", default="https://example.invalid/article", show_default=False,
              help="The page's URL, with --html (helps resolve links and canonical URLs).")
@click.option("--published", default=None, metavar="DATE", help="Publication date for plain text (ISO).")
def extract(path: str, is_html: bool, is_jsonl: bool, url: str, published: str | None) -> None:
    """Organisations and achievements in one article (text, or HTML with --html)."""
    from newsmine.extraction import extract_one

    if is_jsonl:
        failures = 0
        for line_no, line in enumerate(_read_lines(path), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not ({"text", "html"} & item.keys()):
                    raise ValueError('each line needs "text" or "html"')
                is_page = "html" in item
                result = extract_one(item["html"] if is_page else item["text"], html=is_page,
                                     url=item.get("url", url), published=item.get("published_at", published))
                _echo_json({"id": item.get("id", line_no), **result})
            except (ValueError, UsageError) as error:
                failures += 1
                _echo_json({"id": _safe_id(line, line_no), "error": str(error).splitlines()[0]})
        if failures:
            raise UsageError(f"{failures} input line(s) could not be read (see the error records)")
        return
    raw = _read_input(path, binary=is_html)
    result = extract_one(raw, html=is_html, url=url, published=published)
    _echo_json({"id": "stdin" if path == "-" else Path(path).stem, **result})


def _safe_id(line: str, line_no: int) -> Any:
    try:
        return json.loads(line).get("id", line_no)
    except (ValueError, AttributeError):
        return line_no


def _read_input(path: str, binary: bool) -> Any:
    if path == "-":
        data = sys.stdin.buffer.read()
        return data if binary else data.decode("utf-8", errors="replace")
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        return file.read_bytes() if binary else file.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _read_lines(path: str) -> Iterable[str]:
    if path == "-":
        yield from (line.decode("utf-8", errors="replace") for line in sys.stdin.buffer)
        return
    text = _read_input(path, binary=False)
    yield from text.splitlines()


# --------------------------------------------------------------------------- crawl
@cli.command()
@click.option("--replay", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Crawl a saved archive (DIR with MANIFEST.tsv) served on loopback.")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the crawl report as JSON.")
def crawl(replay: Path | None, db_url: str | None, as_json: bool) -> None:
    """Crawl the configured sources (or a replay archive) into the index."""
    from newsmine.crawling import crawl_and_report

    code = crawl_and_report(_db(db_url), replay=replay, as_json=as_json)
    sys.exit(code)


# --------------------------------------------------------------------------- search
@cli.command()
@click.argument("query")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (see DESIGN.md).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--sort", type=click.Choice(["relevance", "recent"]), default="relevance", show_default=True)
@click.option("--all-copies", is_flag=True, help="Show every syndicated copy instead of one hit per story.")
def search(query: str, db_url: str | None, as_json: bool, limit: int, offset: int, sort: str, all_copies: bool) -> None:
    """Search the index. Words are ANDed; OR, -word, "phrases", ( ), outlet:, org:, firm:, type:, from:, to:."""
    from index import open_store
    from newsmine.render import print_search

    store = open_store(_db(db_url))
    try:
        result = store.search(query, limit=limit, offset=offset, sort=sort, collapse=not all_copies)
    finally:
        store.close()
    if as_json:
        _echo_json(result)
    else:
        print_search(result)


# --------------------------------------------------------------------------- export / ingest / stats
@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default="jsonl", show_default=True)
@click.option("--query", default=None, help="Export only the articles matching this query.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="Write to FILE (default: stdout).")
def export(db_url: str | None, fmt: str, query: str | None, output: Path | None) -> None:
    """Every matching article, one record each (organisations and achievements included)."""
    from index import open_store
    from index.export import write_export

    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise UsageError("xlsx is binary: give --output FILE or redirect stdout")
    store = open_store(_db(db_url))
    try:
        records = store.iter_records(query)
        if output is None:
            write_export(records, fmt, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as handle:
                write_export(records, fmt, handle)
    finally:
        store.close()


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@DB_OPTION
def ingest(path: Path, db_url: str | None) -> None:
    """Store articles from a JSONL file (the export fields), running the NLP stage on each."""
    from newsmine.ingesting import ingest_file

    counts = ingest_file(path, _db(db_url))
    click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))


@cli.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def stats(db_url: str | None, as_json: bool) -> None:
    """What the index holds: articles, stories, organisations by kind, achievements by type."""
    from index import open_store
    from newsmine.render import print_summary

    store = open_store(_db(db_url))
    try:
        summary = store.summary()
    finally:
        store.close()
    if as_json:
        _echo_json(summary)
    else:
        print_summary(summary)


# --------------------------------------------------------------------------- demo
@cli.command()
@DB_OPTION
@click.option("--query", default="아이티스테이션", show_default=True, help="The example search to run.")
def demo(db_url: str | None, query: str) -> None:
    """Crawl the bundled replay archive, then show what the index holds and one search."""
    from newsmine.crawling import crawl_and_report
    from index import open_store
    from newsmine.render import print_search, print_summary

    db = db_url or str(DATA_DIR / "demo" / "newsmine.sqlite")
    click.echo(f"Crawling the bundled archive (data/replay) into {db}")
    code = crawl_and_report(db, replay=DATA_DIR / "replay", as_json=False)
    store = open_store(db)
    try:
        print_summary(store.summary())
        click.echo(f"\nExample search: {query}")
        print_search(store.search(query, limit=5))
    finally:
        store.close()
    sys.exit(code)


# --------------------------------------------------------------------------- entry point
def main(argv: list[str] | None = None) -> None:
    """Run the CLI, turning expected failures into one line on stderr and an exit status."""
    from crawler.manifest import ManifestError
    from index import QueryError, StoreError
    from nlp.lexicon import LexiconError
    from pipelines.extract import ExtractionError

    handled: dict[type[BaseException], int] = {
        UsageError: 2, QueryError: 2, ManifestError: 2, StoreError: 1, LexiconError: 1, ExtractionError: 1,
    }
    try:
        cli.main(args=argv, prog_name="newsmine", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("newsmine: aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        click.echo(f"newsmine: error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except tuple(handled) as error:  # type: ignore[misc]
        click.echo(f"newsmine: error: {_one_line(error)}", err=True)
        sys.exit(next(code for kind, code in handled.items() if isinstance(error, kind)))
    except BrokenPipeError:
        sys.exit(0)
    except Exception as error:  # noqa: BLE001 — last resort: one line, details on request
        if os.environ.get("NEWSMINE_DEBUG"):
            raise
        click.echo(f"newsmine: internal error: {type(error).__name__}: {_one_line(error)} "
                   "(set NEWSMINE_DEBUG=1 for details)", err=True)
        sys.exit(70)


def _one_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]

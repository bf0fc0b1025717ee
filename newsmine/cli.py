"""The `newsmine` command: one entry point for crawling, extraction, search and exports."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

import click

from core import __version__
from core.errors import UsageError
from core.paths import DATA_DIR, default_db_url

DB_OPTION = click.option("--db", "db_url", default=None, metavar="URL",
                         help="SQLite file or postgresql:// URL (default: $NEWSMINE_DB or data/newsmine.sqlite).")


def _db(db_url: str | None) -> str:
    return db_url or default_db_url()


def _existing_db(db_url: str | None) -> str:
    """The database a reading command reads: one that does not exist is a mistyped --db or
    $NEWSMINE_DB, never a reason to create an empty index."""
    from index import missing_store

    url = _db(db_url)
    path = missing_store(url)
    if path is not None:
        raise UsageError(f"no index at {path} (check --db or $NEWSMINE_DB; crawl, ingest and demo create one)")
    return url


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
@click.option("--entities", "with_entities", is_flag=True,
              help='Also list every named entity (PS LC OG DT TI QT) under "entities".')
@click.option("--file", "file_path", default=None, metavar="PATH",
              help='An HTML page, PDF, HWPX or HWP file (told apart by its bytes); adds "title" and "body".')
def extract(path: str, is_html: bool, is_jsonl: bool, url: str, published: str | None,
            with_entities: bool, file_path: str | None) -> None:
    """Organisations and achievements in one article (text, or HTML with --html), or in a
    page or document file with --file."""
    from newsmine.extraction import extract_file, extract_one

    if file_path is not None:
        if is_jsonl or is_html or path != "-":
            raise UsageError("--file takes the one file to read (no PATH, --html or --jsonl with it)")
        result = extract_file(file_path, url=url, published=published, entities=with_entities)
        _echo_json({"id": Path(file_path).stem, **result})
        return

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
                                     url=item.get("url", url), published=item.get("published_at", published),
                                     entities=with_entities)
                _echo_json({"id": item.get("id", line_no), **result})
            except (ValueError, UsageError) as error:
                failures += 1
                _echo_json({"id": _safe_id(line, line_no), "error": str(error).splitlines()[0]})
        if failures:
            raise UsageError(f"{failures} input line(s) could not be read (see the error records)")
        return
    raw = _read_input(path, binary=is_html)
    result = extract_one(raw, html=is_html, url=url, published=published, entities=with_entities)
    _echo_json({"id": "stdin" if path == "-" else Path(path).stem, **result})


def _safe_id(line: str, line_no: int) -> Any:
    try:
        return json.loads(line).get("id", line_no)
    except (ValueError, AttributeError):
        return line_no


MAX_INPUT_BYTES = 8 * 1024 * 1024   # as a crawl's DOWNLOAD_MAXSIZE: no article page is bigger


def _read_input(path: str, binary: bool) -> Any:
    """One article's input, read up to MAX_INPUT_BYTES: a bigger page is refused, a longer text
    is analysed up to the NLP stage's bound anyway (nlp/bounds.py), so memory stays bounded."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        file = Path(path)
        if not file.is_file():
            raise UsageError(f"no such file: {path}")
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror}") from None
    if len(data) > MAX_INPUT_BYTES:
        if binary:
            raise UsageError(f"the page is over {MAX_INPUT_BYTES // 2**20} MB: no article page is that big")
        data = data[:MAX_INPUT_BYTES]
    return data if binary else data.decode("utf-8", errors="replace")


def _read_lines(path: str) -> Iterable[str]:
    """JSONL input line by line (a file of many articles is never held whole)."""
    if path == "-":
        yield from (line.decode("utf-8", errors="replace") for line in sys.stdin.buffer)
        return
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        with file.open(encoding="utf-8", errors="replace") as handle:
            yield from handle
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


# --------------------------------------------------------------------------- crawl
# --- crawler commands --- (crawl, sources, sites check: bodies in newsmine/crawling.py)
SITES_DIR_OPTION = click.option("--sites", "sites_dir", type=click.Path(path_type=Path, file_okay=False),
                                default=None, metavar="DIR",
                                help="Site registry folder (default: data/sites).")


@cli.command()
@click.option("--replay", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Crawl a saved archive (DIR with MANIFEST.tsv) served on loopback.")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the crawl report as JSON.")
@click.option("--since", default=None, metavar="DATE",
              help="Backfill bound: skip feed/sitemap/list entries older than DATE (YYYY-MM-DD).")
@SITES_DIR_OPTION
@click.option("--source", "site_names", multiple=True, metavar="NAME",
              help="Crawl only this source of the registry (repeatable).")
@click.option("--redis", "redis_url", default=None, metavar="URL",
              help="Share the frontier and dupefilter with other workers (redis://host:6379/0).")
@click.option("--redis-job", default=None, metavar="NAME",
              help="Name of the shared crawl in Redis (default: today's date, UTC).")
@click.option("--replay-proxy", default=None, metavar="URL",
              help="With --replay: use this already running replay server instead of starting one.")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE",
              help="Crawl settings file (politeness, limits; default: $NEWSMINE_CONFIG).")
@click.option("--no-nlp", is_flag=True, help="Store articles without the NLP stage (fast backfill).")
def crawl(replay: Path | None, db_url: str | None, as_json: bool, since: str | None, sites_dir: Path | None,
          site_names: tuple[str, ...], redis_url: str | None, redis_job: str | None,
          replay_proxy: str | None, config: Path | None, no_nlp: bool) -> None:
    """Crawl the configured sources (or a replay archive) into the index.

    Exit status: 0 every source answered; 1 a source failed entirely; 2 bad usage.
    """
    from newsmine.crawling import crawl_and_report

    code = crawl_and_report(_db(db_url), replay=replay, as_json=as_json, since=since, sites_dir=sites_dir,
                            site_names=list(site_names), replay_proxy=replay_proxy, redis_url=redis_url,
                            redis_job=redis_job, config=config, nlp=not no_nlp)
    sys.exit(code)


@cli.command()
@DB_OPTION
@SITES_DIR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--silent-after", type=click.IntRange(1), default=None, metavar="N",
              help="Flag a source silent after N runs with nothing new (default 3, or crawl.silent_runs).")
def sources(db_url: str | None, sites_dir: Path | None, as_json: bool, silent_after: int | None) -> None:
    """Each source's last crawl, last success, and whether it went silent."""
    from newsmine.crawling import show_sources

    sys.exit(show_sources(_existing_db(db_url), as_json=as_json, sites_dir=sites_dir, silent_after=silent_after))


@cli.group()
def sites() -> None:
    """The site registry (data/sites)."""


@sites.command("check")
@click.argument("names", nargs=-1, metavar="[NAME…]")
@SITES_DIR_OPTION
@click.option("--replay", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Check against a saved archive instead of the live sites.")
@click.option("--replay-proxy", default=None, metavar="URL", help="Use this running replay server.")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds per request.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def sites_check(names: tuple[str, ...], sites_dir: Path | None, replay: Path | None, replay_proxy: str | None,
                timeout: float, as_json: bool) -> None:
    """Fetch each source's discovery routes and report links found and matched (exit 1: a source yields none)."""
    from newsmine.crawling import check_sites

    sys.exit(check_sites(list(names), as_json=as_json, sites_dir=sites_dir, replay=replay,
                         replay_proxy=replay_proxy, timeout=timeout))
# --- end crawler commands ---


# --------------------------------------------------------------------------- search
@cli.command()
@click.argument("query")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (see DESIGN.md).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--sort", type=click.Choice(["relevance", "recent"]), default="relevance", show_default=True)
@click.option("--all-copies", is_flag=True, help="Show every syndicated copy instead of one hit per story.")
@click.option("--group", type=click.Choice(["release"]), default=None,
              help="release: the articles rewriting one press release (after `newsmine trace`) as one hit under it.")
@click.option("--kind", type=click.Choice(["article", "press_release"]), default=None,
              help="Only news articles or only press releases (the query's kind: filter).")
@click.option("--exact-total", is_flag=True,
              help="Count every match of a broad query (else its total may be 'at least' or 'about').")
def search(query: str, db_url: str | None, as_json: bool, limit: int, offset: int, sort: str, all_copies: bool,
           group: str | None, kind: str | None, exact_total: bool) -> None:
    """Search the index. Words are ANDed; OR, -word, "phrases", ( ), outlet:, org:, firm:, type:, kind:, from:, to:."""
    from index import open_store
    from newsmine.queries import with_kind
    from newsmine.render import print_search

    store = open_store(_existing_db(db_url))
    try:
        result = store.search(with_kind(query, kind), limit=limit, offset=offset, sort=sort,
                              collapse=not all_copies, group=group, exact_total=exact_total)
    finally:
        store.close()
    if as_json:
        _echo_json(result)
    else:
        print_search(result)


# --------------------------------------------------------------------------- achievements
@cli.command()
@click.argument("query", required=False, default=None)
@DB_OPTION
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="contract, selection, award, revenue, export, investment, hiring, ip, certification, "
                   "partnership, launch, funding (repeatable, or comma-separated).")
@click.option("--min", "min_amount", default=None, metavar="AMOUNT", help="At least this amount, e.g. 10억, 100만달러.")
@click.option("--max", "max_amount", default=None, metavar="AMOUNT", help="At most this amount (same unit as --min).")
@click.option("--kind", default=None, metavar="KIND", help="Kind of the credited organisation (firm, public, …).")
@click.option("--region", default=None, metavar="REGION", help="Region the article is about (전북, 경기, …).")
@click.option("--outlet", default=None, metavar="NAME", help="Only this outlet (or source).")
@click.option("--org", default=None, metavar="NAME",
              help="Only achievements credited to this organisation (its name or a merged spelling).")
@click.option("--from", "date_from", default=None, metavar="DATE", help="Published on or after (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, metavar="DATE", help="Published on or before (whole day, month, year).")
@click.option("--sort", default="date", show_default=True, metavar="date|amount|story",
              help="Newest first, largest first, or most copies first.")
@click.option("--limit", default=20, show_default=True, type=int)
@click.option("--offset", default=0, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (see docs/usage.md).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default=None,
              help="Export every matching row (no --limit) in this format instead.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="With --format: write to FILE.")
@click.option("--exact-total", is_flag=True,
              help="Read every article a common QUERY matches (else the total may be 'about').")
def achievements(query: str | None, db_url: str | None, types: tuple[str, ...], min_amount: str | None,
                 max_amount: str | None, kind: str | None, region: str | None, outlet: str | None,
                 org: str | None, date_from: str | None, date_to: str | None, sort: str, limit: int,
                 offset: int, as_json: bool, fmt: str | None, output: Path | None, exact_total: bool) -> None:
    """One row per achievement (a syndicated story counted once), filtered, sorted and paged.

    QUERY is optional, in the search language (see `newsmine search`)."""
    from index import open_store
    from newsmine import achievements as ach
    from newsmine.outputs import check_output, write_rows

    filters = ach.Filters(query=query, types=types, min_amount=min_amount, max_amount=max_amount, kind=kind,
                          region=region, outlet=outlet, date_from=date_from, date_to=date_to, sort=sort,
                          org=org)
    try:
        filters.check()
        ach.check_paging(limit, offset)
    except ach.FilterError as error:
        raise UsageError(str(error)) from None
    check_output(fmt, output)
    store = open_store(_existing_db(db_url))
    try:
        if fmt is not None:
            write_rows(ach.export_rows(store, filters, fmt), fmt, output, ach.EXPORT_LAYOUT)
            return
        result = ach.list_achievements(store, filters, limit=limit, offset=offset, exact_total=exact_total)
    finally:
        store.close()
    if as_json:
        _echo_json(result)
    else:
        ach.print_rows(result, offset)


# --------------------------------------------------------------------------- export / ingest / stats
@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default="jsonl", show_default=True)
@click.option("--query", default=None, help="Export only the articles matching this query.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="Write to FILE (default: stdout).")
def export(db_url: str | None, fmt: str, query: str | None, output: Path | None) -> None:
    """Every matching article, one record each (organisations and achievements included)."""
    from index import open_store
    from newsmine.outputs import check_output, write_rows

    check_output(fmt, output)
    store = open_store(_existing_db(db_url))
    try:
        write_rows(store.iter_records(query), fmt, output)
    finally:
        store.close()


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@DB_OPTION
def ingest(path: Path, db_url: str | None) -> None:
    """Store articles from a JSONL file (the export fields), running the NLP stage on each."""
    from newsmine.ingesting import ingest_file

    counts = ingest_file(path, _db(db_url))
    click.echo(" ".join(f"{k}={v}" for k, v in counts.items() if k != "cut" or v))
    if counts["cut"]:
        from nlp.bounds import MAX_TEXT_CHARS

        click.echo(f"{counts['cut']} body text(s) longer than {MAX_TEXT_CHARS:,} characters were cut there",
                   err=True)


# --- index commands ---
@cli.command()
@DB_OPTION
@click.option("--since", default=None, metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD).")
@click.option("--restart", is_flag=True, help="Start a new pass instead of continuing an interrupted one.")
@click.option("--batch", default=32, show_default=True, type=click.IntRange(1, 1000), help="Articles per transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the job summary as JSON.")
@click.option("--redis", "redis_url", default=None, metavar="URL",
              help="Share the work with other machines through a queue on Redis (redis://host:6379/0).")
@click.option("--queue", default=None, metavar="NAME", help="The shared queue's name (one per run), with --redis.")
@click.option("--enqueue", is_flag=True, help="With --redis: fill the queue with batches of article ids, then exit.")
@click.option("--reclaim-after", default=120.0, show_default=True, type=click.FloatRange(0.1), metavar="SECONDS",
              help="With --redis: take over a batch another worker left unacknowledged this long.")
def reindex(db_url: str | None, since: str | None, restart: bool, batch: int, as_json: bool,
            redis_url: str | None, queue: str | None, enqueue: bool, reclaim_after: float) -> None:
    """Re-run the NLP stage over stored articles (after a model update); resumable.

    With --redis and --queue, one process fills the queue (--enqueue) and workers on any
    number of machines run the same command without --enqueue (docs/deploy.md)."""
    from index import open_store
    from index.reprocess import reindex as run_reindex

    if since is not None:
        from datetime import date

        try:
            date.fromisoformat(since)
        except ValueError:
            raise UsageError(f"bad --since date '{since}' (use YYYY-MM-DD)") from None
    if redis_url or queue or enqueue:
        _reindex_distributed(db_url, since, batch, as_json, redis_url, queue, enqueue, reclaim_after)
        return
    store = open_store(_existing_db(db_url))
    try:
        state = run_reindex(store, since=since, restart=restart, batch=batch, progress=sys.stderr.isatty())
    finally:
        store.close()
    if as_json:
        _echo_json(state)
    else:
        how = "continued" if state.get("resumed") else "reprocessed"
        click.echo(f"{how} {state['processed']} articles ({state['done']} in this pass) in {state['seconds']} s")


def _reindex_distributed(db_url: str | None, since: str | None, batch: int, as_json: bool,
                         redis_url: str | None, queue: str | None, enqueue: bool, reclaim_after: float) -> None:
    """`reindex --redis URL --queue NAME [--enqueue]` (index/reindex_queue.py)."""
    from index import open_store
    from index.reindex_queue import QueueError, enqueue as fill, work

    if not redis_url or not queue:
        raise UsageError("a shared reindex needs both --redis URL and --queue NAME")
    if not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise UsageError(f"--redis {redis_url!r}: give a redis:// URL")
    store = open_store(_existing_db(db_url))
    try:
        if enqueue:
            result = fill(store, redis_url, queue, since=since, batch=batch)
        else:
            result = work(store, redis_url, queue, reclaim_after=reclaim_after, progress=sys.stderr.isatty())
    except QueueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        store.close()
    if as_json:
        _echo_json(result)
    elif enqueue:
        how = "was already filled with" if result["already_filled"] else "filled with"
        click.echo(f"queue {queue} {how} {result['articles']} articles in {result['batches']} batches "
                   f"(run {result['run']})")
    else:
        end = "the run is complete" if result["finished"] else "the run is not complete"
        click.echo(f"worker {result['consumer']}: reanalysed {result['articles']} articles in {result['batches']} "
                   f"batches ({result['reclaimed']} taken over from stopped workers) in {result['seconds']} s; {end}")
@cli.command("copy")
@DB_OPTION
@click.option("--to", "target", required=True, metavar="URL",
              help="An empty PostgreSQL index (postgresql://…; ?schema=NAME for a schema of its own).")
@click.option("--json", "as_json", is_flag=True, help="Print rows per table as JSON.")
def copy_index(db_url: str | None, target: str, as_json: bool) -> None:
    """Copy a SQLite index into an empty PostgreSQL one, as it is (no re-analysis).

    For moving from the single-machine default to a team set-up (docs/deploy.md); one
    transaction: a failure leaves the target empty."""
    from index.transfer import copy_sqlite_to_postgres

    source = _existing_db(db_url)
    if not target.lower().startswith(("postgresql://", "postgres://")):
        raise UsageError(f"--to {target!r}: give a postgresql:// URL")
    with _table_progress(sys.stderr.isatty()) as progress:
        result = copy_sqlite_to_postgres(source, target, progress)
    if as_json:
        _echo_json(result)
    else:
        tables = result["tables"]
        click.echo(f"copied {tables['articles']} articles, {tables['organizations']} organisations and "
                   f"{tables['achievements']} achievements in {result['seconds']} s")


@contextmanager
def _table_progress(show: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A rich bar per table on stderr, as `(table, done, total)` calls arrive (or nothing)."""
    if not show:
        yield lambda *_: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    tasks: dict[str, Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        def update(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = progress.add_task(table, total=max(total, 1))
            progress.update(tasks[table], completed=done)

        yield update
# --- end index commands ---


@cli.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def stats(db_url: str | None, as_json: bool) -> None:
    """What the index holds: articles, stories, organisations by kind, achievements by type."""
    from index import open_store
    from newsmine.render import print_summary

    store = open_store(_existing_db(db_url))
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


# --- surfaces (serve, watch, digest, report) ---
def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", default=None, metavar="T",
              help="Bearer token for changes (saved searches); default $NEWSMINE_TOKEN. Without one, changes are refused.")
@click.option("--allow-remote", is_flag=True, help="Allow a non-loopback --host (anyone who can reach it can read the index).")
@click.option("--allowed-host", "allowed_host", multiple=True, metavar="NAME",
              help="Also answer requests for this Host name (repeatable; *.example.org allowed); "
                   "also $NEWSMINE_ALLOWED_HOSTS, comma-separated. Always: the --host address and loopback names.")
def serve(db_url: str | None, host: str, port: int, token: str | None, allow_remote: bool,
          allowed_host: tuple[str, ...]) -> None:
    """The web pages (Korean) and the JSON API (/docs) over the index."""
    if not _is_loopback(host) and not allow_remote:
        raise UsageError(f"refusing to listen on {host}: not a loopback address (add --allow-remote to mean it)")
    import uvicorn

    from newsmine.api import create_app

    bound = [] if host.strip("[]") in ("0.0.0.0", "::") else [host]  # a wildcard address is no Host name
    app = create_app(_db(db_url), token=token, hosts=[*bound, *allowed_host])
    if app.state.token is None:
        click.echo("newsmine: no token configured: saved searches cannot be changed over HTTP", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def _surface_call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a surfaces function, turning its user-facing errors into one-line usage errors."""
    from index import QueryError
    from newsmine.queries import NotFound

    try:
        return function(*args, **kwargs)
    except QueryError:
        raise  # main() prints it as a malformed query
    except (NotFound, ValueError) as error:  # WatchError is a ValueError
        raise UsageError(str(error)) from None


@cli.group()
def watch() -> None:
    """Saved searches; `newsmine digest` reports what is new for each."""


@watch.command("add")
@click.argument("name")
@click.argument("query")
@DB_OPTION
@click.option("--since-now", is_flag=True, help="Skip the current matches: the first digest holds only later articles.")
def watch_add(name: str, query: str, db_url: str | None, since_now: bool) -> None:
    """Save QUERY under NAME."""
    from index import open_store
    from newsmine.watches import add_watch

    store = open_store(_db(db_url))
    try:
        _surface_call(add_watch, store, name, query, since_now=since_now)
    finally:
        store.close()
    click.echo(f"saved watch '{name}': {query}")


@watch.command("list")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def watch_list(db_url: str | None, as_json: bool) -> None:
    """Saved searches, with how many matches wait for the next digest."""
    from index import open_store
    from newsmine.watches import list_watches

    store = open_store(_existing_db(db_url))
    try:
        items = list_watches(store, pending=True)
    finally:
        store.close()
    if as_json:
        _echo_json(items)
        return
    if not items:
        click.echo("no saved searches (add one with: newsmine watch add NAME QUERY)")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Saved searches")
    for column in ("name", "query", "new", "last digest"):
        table.add_column(column, justify="right" if column == "new" else "left")
    for item in items:
        table.add_row(item["name"], item["query"], str(item["pending"]), item["last_digest_at"] or "-")
    Console().print(table)


@watch.command("remove")
@click.argument("name")
@DB_OPTION
def watch_remove(name: str, db_url: str | None) -> None:
    """Forget the saved search NAME."""
    from index import open_store
    from newsmine.watches import remove_watch

    store = open_store(_existing_db(db_url))
    try:
        removed = remove_watch(store, name)
    finally:
        store.close()
    if not removed:
        raise UsageError(f"no watch named '{name}'")
    click.echo(f"removed watch '{name}'")


@cli.command()
@DB_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the Markdown and HTML files (default: data/digests).")
@click.option("--watch", "names", multiple=True, metavar="NAME", help="Only this watch (repeatable).")
@click.option("--json", "as_json", is_flag=True)
def digest(db_url: str | None, out_dir: Path | None, names: tuple[str, ...], as_json: bool) -> None:
    """New matches of every saved search since its last digest, as Markdown + HTML files;
    mailed (NEWSMINE_SMTP_URL, NEWSMINE_MAIL_FROM, NEWSMINE_MAIL_TO) and posted as JSON
    (NEWSMINE_WEBHOOK_URL) when configured. Exit status 1 if a delivery failed."""
    from index import open_store
    from newsmine.watches import run_digests

    target = out_dir or DATA_DIR / "digests"
    store = open_store(_existing_db(db_url))
    try:
        outcomes = _surface_call(run_digests, store, target, names=list(names) or None)
    finally:
        store.close()
    failed = False
    if as_json:
        _echo_json([{"watch": o.watch, "articles": o.articles, "stories": o.stories,
                     "files": [str(f) for f in o.files] if o.files else [], "errors": o.errors} for o in outcomes])
    for o in outcomes:
        if not as_json:
            where = f" → {o.files[0]} (+ .html)" if o.files else ""
            click.echo(f"{o.watch}: {o.articles} new article(s) in {o.stories} story(ies){where}")
        for error in o.errors:
            failed = True
            click.echo(f"newsmine: error: watch '{o.watch}': {error}", err=True)
    if not outcomes and not as_json:
        click.echo("no saved searches (add one with: newsmine watch add NAME QUERY)")
    if failed:
        sys.exit(1)


@cli.group()
def report() -> None:
    """Coverage and share-of-voice reports: tables in the terminal, charts as PNG."""


@report.command("coverage")
@click.argument("query")
@click.option("--by", type=click.Choice(["outlet", "region", "month", "org"]), default="outlet", show_default=True)
@click.option("--from", "date_from", default=None, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, metavar="DATE")
@click.option("--kind", default=None, metavar="KIND", help="With --by org: only this kind (firm, government, …).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1), help="Rows shown.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also draw a chart here.")
@click.option("--json", "as_json", is_flag=True)
@DB_OPTION
def report_coverage(query: str, by: str, date_from: str | None, date_to: str | None, kind: str | None,
                    limit: int, png: Path | None, as_json: bool, db_url: str | None) -> None:
    """Articles matching QUERY ('' for all) counted by outlet, region, month or organisation."""
    from index import open_store
    from newsmine import queries, reports

    store = open_store(_existing_db(db_url))
    try:
        result = _surface_call(queries.coverage, store, query, by, date_from=date_from, date_to=date_to,
                               kind=kind, limit=limit)
    finally:
        store.close()
    if as_json:
        _echo_json(result)
    else:
        reports.print_table(reports.coverage_table(result))
    if png is not None:
        _draw(reports.coverage_png, result, png)


@report.command("share")
@click.argument("organizations", nargs=-1, required=True, metavar="ORG...")
@click.option("--by", type=click.Choice(["month", "all"]), default="month", show_default=True,
              help="Per month, or one figure for the whole range.")
@click.option("--unit", type=click.Choice(["articles", "mentions"]), default="articles", show_default=True)
@click.option("--query", default=None, help="Count only articles matching this query.")
@click.option("--from", "date_from", default=None, metavar="DATE")
@click.option("--to", "date_to", default=None, metavar="DATE")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--json", "as_json", is_flag=True)
@DB_OPTION
def report_share(organizations: tuple[str, ...], by: str, unit: str, query: str | None, date_from: str | None,
                 date_to: str | None, png: Path | None, as_json: bool, db_url: str | None) -> None:
    """Each organisation's share of the coverage the named organisations got together."""
    from index import open_store
    from newsmine import queries, reports

    store = open_store(_existing_db(db_url))
    try:
        result = _surface_call(queries.share_of_voice, store, list(organizations), by=by,
                               query=query, unit=unit, date_from=date_from, date_to=date_to)
    finally:
        store.close()
    if as_json:
        _echo_json(result)
    else:
        reports.print_table(reports.share_table(result))
    if png is not None:
        _draw(reports.share_png, result, png)


def _draw(draw: Callable[[dict, Path], Path], result: dict, png: Path) -> None:
    from newsmine.reports import font_warning

    warning = font_warning()
    if warning:
        click.echo(f"newsmine: warning: {warning}", err=True)
    try:
        draw(result, png)
    except OSError as error:
        raise UsageError(f"cannot write {png}: {error.strerror or error}") from None
    click.echo(f"chart written to {png}", err=True)


# --------------------------------------------------------------------------- eval
from nlp.evaluate_extract import extract_cmd  # noqa: E402  (light: models load only when run)
from nlp.ner.cli import eval_group  # noqa: E402

eval_group.add_command(extract_cmd)
cli.add_command(eval_group)

# --------------------------------------------------------------------------- releases
from newsmine.releases_cli import releases, trace  # noqa: E402  (light: imports run when called)

cli.add_command(trace)
cli.add_command(releases)

# --------------------------------------------------------------------------- programmes
from newsmine.programmes_cli import programmes  # noqa: E402  (light: imports run when called)

cli.add_command(programmes)


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

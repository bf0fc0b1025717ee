"""`newsmine crawl`, `newsmine sources`, `newsmine sites check`: the crawler's command bodies."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click

from core.errors import UsageError


def _load_sites(sites_dir: Path | None, names: list[str] | None = None) -> list[Any]:
    from crawler.sites import SITES_DIR, SiteConfigError, load_sites

    try:
        return load_sites(sites_dir or SITES_DIR, names or None)
    except SiteConfigError as error:
        raise UsageError(str(error)) from None


def _politeness(config: Path | None, sites: list[Any]) -> dict[str, Any]:
    from crawler.config import ConfigError, load_config, politeness_settings

    try:
        return politeness_settings(load_config(config), sites=sites)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _check_since(since: str | None) -> str | None:
    if since is None:
        return None
    try:
        return date.fromisoformat(since).isoformat()
    except ValueError:
        raise UsageError(f"--since {since!r}: give a date as YYYY-MM-DD") from None


def crawl_and_report(db_url: str, *, replay: Path | None, as_json: bool, since: str | None = None,
                     sites_dir: Path | None = None, site_names: list[str] | None = None,
                     replay_proxy: str | None = None, redis_url: str | None = None,
                     redis_job: str | None = None, config: Path | None = None, nlp: bool = True) -> int:
    """0 when every source answered; 1 when any source failed entirely (StoreError, exit 1 too,
    after the report, when the store refused a write and the crawl stopped)."""
    from crawler.run import run_crawl
    from crawler.sites import SitePolicy

    since = _check_since(since)
    use_registry = replay is None or sites_dir is not None or bool(site_names)
    sites = _load_sites(sites_dir, site_names) if use_registry else []
    if use_registry and not sites:
        raise UsageError("no sources configured in data/sites/ (or use --replay DIR)")
    if replay_proxy and replay is None:
        raise UsageError("--replay-proxy needs --replay DIR (the archive it serves)")
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise UsageError(f"--redis {redis_url!r}: give a redis:// URL")
    report = run_crawl(
        db_url, replay=replay, policy=SitePolicy(sites) if sites else None,
        replay_proxy=replay_proxy, since=since, redis_url=redis_url, redis_job=redis_job,
        politeness=_politeness(config, sites), overrides=None if nlp else {"NEWSMINE_NLP": False})
    if as_json:
        click.echo(json.dumps({
            "run_id": report.run_id,
            "started_at": report.started_at,
            "ended_at": report.ended_at,
            "duration_s": report.duration_s,
            "finish_reason": report.finish_reason,
            "robots_forbidden": report.robots_forbidden,
            "store_error": report.store_error,
            "sources": [asdict(s) | {"failed": s.failed, "blocked": s.blocked} for s in report.sources],
        }, ensure_ascii=False))
    else:
        print_crawl_report(report)
    if report.store_error:   # after the report: what was fetched and lost is on record
        from index import StoreError

        raise StoreError(f"the crawl stopped, the store failed: {report.store_error}")
    # a source with no coverage this run, failed or blocked, is what a nightly job must hear of
    return 1 if report.failed_sources or report.blocked_sources else 0


def show_sources(db_url: str, *, as_json: bool, sites_dir: Path | None = None,
                 silent_after: int | None = None) -> int:
    """Each source's last run, last success and silence (always exit 0: it is a report)."""
    from crawler.config import load_config
    from crawler.health import SILENT_RUNS, CrawlHistory, source_health
    from index import open_store

    if silent_after is None:
        silent_after = int(load_config(None).get("silent_runs", SILENT_RUNS))
    names = {s.key: s.name for s in _load_sites(sites_dir)}
    store = open_store(db_url)
    try:
        health = source_health(CrawlHistory(store), names, silent_after)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"silent_after": silent_after, "sources": [h.to_dict() for h in health]},
                              ensure_ascii=False))
    else:
        print_source_health(health, silent_after)
    return 0


def check_sites(names: list[str], *, as_json: bool, sites_dir: Path | None = None,
                replay: Path | None = None, replay_proxy: str | None = None, timeout: float = 20.0) -> int:
    """Fetch every discovery route of the named sources and report what each yields."""
    from crawler.check import check_site
    from crawler.config import load_config, politeness_settings
    from crawler.replay import ReplayServer

    sites = _load_sites(sites_dir, names)
    agent = politeness_settings(load_config(None))["USER_AGENT"]
    server = None
    if replay is not None and replay_proxy is None:
        from crawler.manifest import Archive

        server = ReplayServer(Archive.load(replay)).start()
        replay_proxy = server.proxy_url
    try:
        results = [check_site(site, user_agent=agent, proxy=replay_proxy, timeout=timeout) for site in sites]
    finally:
        if server is not None:
            server.stop()
    if as_json:
        click.echo(json.dumps({"sites": [r.to_dict() for r in results]}, ensure_ascii=False))
    else:
        print_site_checks(results)
    return 0 if all(r.ok for r in results) else 1


# ----------------------------------------------------------------------------- rendering

WIDE_REPORT_COLUMNS = 140  # narrower terminals get the compact report


def print_crawl_report(report: Any, console: Any = None) -> None:
    """Every counter on a wide terminal; on a narrow one (the usual 80 columns) the skip
    reasons fold into one column and the rarer counters move to a line under the table."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"Crawl report ({report.finish_reason}, {report.duration_s:.1f} s, run {report.run_id})")
    wide = console.width >= WIDE_REPORT_COLUMNS
    if wide:
        columns = ("source", "fetched", "new", "updated", "unchanged", "known, skipped", "not modified",
                   "rechecked", "older than --since", "pagination stopped", "capped", "text cut", "errors")
    else:
        columns = ("source", "fetched", "new", "updated", "same", "skipped", "errors")
    for column in columns:
        table.add_column(column, justify="left" if column in ("source", "errors") else "right",
                         no_wrap=column == "source", overflow="fold")
    for s in report.sources:
        errors = ", ".join(f"{k}×{v}" for k, v in sorted(s.errors.items())) or "-"
        counts = [s.fetched, s.new, s.updated, s.unchanged]
        if wide:
            counts += [s.known_skipped, s.not_modified, s.rechecked, s.since_skipped, s.pagination_stopped, s.capped, s.cut]
        else:
            counts.append(s.known_skipped + s.not_modified + s.since_skipped)
        table.add_row(s.source, *map(str, counts), errors, style="red" if s.failed else None)
    console.print(table)
    if not wide:
        totals = {name: sum(getattr(s, attr) for s in report.sources) for name, attr in (
            ("known", "known_skipped"), ("not modified", "not_modified"), ("older than --since", "since_skipped"),
            ("rechecked", "rechecked"), ("pagination stopped", "pagination_stopped"), ("capped", "capped"),
            ("text cut", "cut"))}
        shown = ", ".join(f"{name} {n}" for name, n in totals.items() if n)
        if shown:
            console.print(f"skipped/other: {shown} (per source: a wider terminal or --json)")
    if report.robots_forbidden:
        console.print(f"robots.txt forbade {report.robots_forbidden} page(s).")
    if report.failed_sources:
        console.print(f"[red]Failed entirely:[/red] {', '.join(report.failed_sources)}")
    if report.blocked_sources:
        console.print(f"[red]Blocked by robots.txt (nothing fetched):[/red] {', '.join(report.blocked_sources)}")


def print_source_health(health: list[Any], silent_after: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Sources (silent = nothing new in the last {silent_after} runs)")
    for column in ("source", "name", "last run", "status", "new", "updated", "fetched", "errors",
                   "last success", "flag"):
        table.add_column(column)
    for h in health:
        run = h.last_run or {}
        errors = ", ".join(f"{k}×{v}" for k, v in sorted((run.get("errors") or {}).items())) or "-"
        flag = ("BLOCKED" if h.blocked else "SILENT" if h.silent else "interrupted" if h.interrupted
                else "never crawled" if not run else "")
        style = "red" if h.silent or h.blocked or run.get("status") == "failed" else None
        table.add_row(h.source, h.name or "-", run.get("started_at", "-"), run.get("status", "-"),
                      str(run.get("new", "-")), str(run.get("updated", "-")), str(run.get("pages_fetched", "-")),
                      errors, h.last_success or "-", flag, style=style)
    Console().print(table)


def print_site_checks(results: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Site check")
    for column in ("source", "route", "url", "status", "links", "articles", "pagination", "ok"):
        table.add_column(column)
    for site in results:
        for route in site.routes:
            table.add_row(site.key, route.kind, route.url, str(route.status), str(route.links),
                          str(route.articles), str(route.pagination), "yes" if route.ok else "NO",
                          style=None if route.ok else "red")
    Console().print(table)
    broken = [s.key for s in results if not s.ok]
    if broken:
        Console().print(f"[red]No article links found for:[/red] {', '.join(broken)}")

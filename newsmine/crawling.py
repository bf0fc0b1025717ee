"""`newsmine crawl`: run the crawl, print the per-source report, choose the exit status."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from newsmine.errors import UsageError


def crawl_and_report(db_url: str, *, replay: Path | None, as_json: bool) -> int:
    """0 when every source answered; 1 when any source failed entirely."""
    from crawler.run import run_crawl

    if replay is None:
        from crawler.sites import SitePolicy, load_sites

        sites = load_sites()
        if not sites:
            raise UsageError("no sources configured in data/sites/ (or use --replay DIR)")
        report = run_crawl(db_url, policy=SitePolicy(sites))
    else:
        report = run_crawl(db_url, replay=replay)
    if as_json:
        click.echo(json.dumps({
            "finish_reason": report.finish_reason,
            "robots_forbidden": report.robots_forbidden,
            "sources": [asdict(s) | {"failed": s.failed} for s in report.sources],
        }, ensure_ascii=False))
    else:
        from newsmine.render import print_crawl_report

        print_crawl_report(report)
    return 1 if report.failed_sources else 0

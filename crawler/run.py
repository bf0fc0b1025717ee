"""Run one crawl (live or from a replay archive) and report per source."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as crawl_settings
from crawler.manifest import Archive
from crawler.policy import ArchivePolicy, LinkPolicy
from crawler.replay import ReplayServer
from crawler.spiders.news import NewsSpider

_STAT = re.compile(r"^newsmine/source/(?P<source>[^/]+)/(?P<what>.+)$")


@dataclass
class SourceReport:
    source: str
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    known_skipped: int = 0
    not_modified: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """Everything it tried went wrong: errors and not one page answered usefully."""
        useful = self.new + self.updated + self.unchanged + self.known_skipped + self.not_modified
        return bool(self.errors) and useful == 0


@dataclass
class CrawlReport:
    sources: list[SourceReport]
    finish_reason: str
    robots_forbidden: int
    pages_served: list[tuple[str, int]] = field(default_factory=list)

    @property
    def failed_sources(self) -> list[str]:
        return [s.source for s in self.sources if s.failed]


def build_settings(db_url: str, replay_proxy: str | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setdict(crawl_settings.DEFAULTS, priority="project")
    if replay_proxy:
        settings.setdict(crawl_settings.REPLAY_OVERRIDES, priority="project")
        settings.set("REPLAY_PROXY", replay_proxy, priority="project")
    settings.set("NEWSMINE_DB", db_url, priority="project")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def run_crawl(db_url: str, *, replay: Path | None = None, policy: LinkPolicy | None = None,
              overrides: dict[str, Any] | None = None) -> CrawlReport:
    """Crawl into `db_url`. With `replay`, pages come from that archive via a loopback server."""
    server: ReplayServer | None = None
    if replay is not None:
        archive = Archive.load(replay)
        policy = ArchivePolicy(archive)
        server = ReplayServer(archive).start()
    if policy is None:
        raise ValueError("a crawl needs a replay archive or a site policy")
    try:
        process = CrawlerProcess(build_settings(db_url, server.proxy_url if server else None, overrides))
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler, policy=policy)
        process.start()
        stats = crawler.stats.get_stats()
    finally:
        if server is not None:
            server.stop()
    return CrawlReport(
        sources=_source_reports(stats),
        finish_reason=str(stats.get("finish_reason", "unknown")),
        robots_forbidden=int(stats.get("robotstxt/forbidden", 0)),
        pages_served=list(server.served) if server else [],
    )


def _source_reports(stats: dict[str, Any]) -> list[SourceReport]:
    reports: dict[str, SourceReport] = defaultdict(lambda: SourceReport(""))
    for key, value in stats.items():
        match = _STAT.match(key)
        if not match:
            continue
        source, what = match["source"], match["what"]
        report = reports[source]
        report.source = source
        if what.startswith("error/"):
            report.errors[what[6:]] = report.errors.get(what[6:], 0) + int(value)
        elif hasattr(report, what):
            setattr(report, what, getattr(report, what) + int(value))
    return sorted(reports.values(), key=lambda r: r.source)

"""Run one crawl (live or from a replay archive), record it per source, and report."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
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
    retried: int = 0              # requests asked again after a timeout, reset, 5xx or 429
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    known_skipped: int = 0
    not_modified: int = 0
    rechecked: int = 0            # stored articles asked for again (newer lastmod / feed date)
    since_skipped: int = 0        # entries older than --since
    pagination_stopped: int = 0   # list pages not paginated further (known run / --since)
    capped: int = 0               # discovery pages dropped by the per-source page cap
    cut: int = 0                  # articles whose text was cut at nlp.bounds.MAX_TEXT_CHARS
    robots_forbidden: int = 0     # requests robots.txt forbade
    attachments: int = 0          # press-release attachment files whose text was read
    attachments_capped: int = 0   # attachment links past NEWSMINE_MAX_ATTACHMENTS, not fetched
    errors: dict[str, int] = field(default_factory=dict)
    # attachments that gave no text, one entry each: {page, file, url, reason} (first 50)
    attachment_errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def useful(self) -> int:
        return self.new + self.updated + self.unchanged + self.known_skipped + self.not_modified

    @property
    def blocked(self) -> bool:
        """robots.txt forbade what the crawl asked of it and nothing was fetched: no coverage."""
        return self.robots_forbidden > 0 and self.fetched == 0

    @property
    def failed(self) -> bool:
        """Everything it tried went wrong: errors and not one page answered usefully."""
        return bool(self.errors) and self.useful == 0


@dataclass
class CrawlReport:
    sources: list[SourceReport]
    finish_reason: str
    robots_forbidden: int
    pages_served: list[tuple[str, int]] = field(default_factory=list)
    run_id: str = ""
    started_at: str = ""
    ended_at: str = ""
    duration_s: float = 0.0
    store_error: str | None = None   # the store refused a write: the crawl stopped, the run failed

    @property
    def failed_sources(self) -> list[str]:
        return [s.source for s in self.sources if s.failed]

    @property
    def blocked_sources(self) -> list[str]:
        return [s.source for s in self.sources if s.blocked]


def build_settings(db_url: str, replay_proxy: str | None = None, overrides: dict[str, Any] | None = None,
                   politeness: dict[str, Any] | None = None) -> Settings:
    """Defaults, then the operator's politeness settings, then replay's, then explicit overrides."""
    settings = Settings()
    settings.setdict(crawl_settings.DEFAULTS, priority="project")
    if politeness:
        settings.setdict(politeness, priority="project")
    if replay_proxy:
        settings.setdict(crawl_settings.REPLAY_OVERRIDES, priority="project")
        settings.set("REPLAY_PROXY", replay_proxy, priority="project")
    settings.set("NEWSMINE_DB", db_url, priority="project")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def run_crawl(db_url: str, *, replay: Path | None = None, policy: LinkPolicy | None = None,
              replay_proxy: str | None = None, since: str | None = None,
              redis_url: str | None = None, redis_job: str | None = None,
              politeness: dict[str, Any] | None = None,
              overrides: dict[str, Any] | None = None) -> CrawlReport:
    """Crawl into `db_url`.

    With `replay`, pages come from that archive via a loopback server (or via `replay_proxy`,
    an already running one); the policy defaults to the archive's manifest, or is the given
    one (a site registry crawled against the archive). With `redis_url`, the frontier is shared
    with every other worker of the same `redis_job`.
    """
    server: ReplayServer | None = None
    if replay is not None:
        archive = Archive.load(replay)
        policy = policy or ArchivePolicy(archive)
        if replay_proxy is None:
            server = ReplayServer(archive).start()
            replay_proxy = server.proxy_url
    if policy is None:
        raise ValueError("a crawl needs a replay archive or a site policy")
    extra: dict[str, Any] = dict(overrides or {})
    if since:
        extra["NEWSMINE_SINCE"] = since
    if replay is not None:   # the replay's world: requests to any other host are refused
        from urllib.parse import urlsplit

        hosts = {(urlsplit(e.url).hostname or "").lower() for e in archive.entries}
        extra.setdefault("NEWSMINE_REPLAY_HOSTS", sorted(hosts))
    if redis_url:
        from crawler.distributed import redis_settings

        extra = {**redis_settings(redis_url, redis_job), **extra}
    from crawler.health import CrawlHistory, new_run_id, worker_name
    from crawler.logcap import cap_log_lines
    from crawler.state import store_error
    from index import StoreError, open_store

    run_id = extra.get("NEWSMINE_REDIS_JOB") or new_run_id()
    worker = worker_name()
    sources = list(dict.fromkeys(t.source for t in policy.seeds()))
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    clock = time.monotonic()
    store = open_store(db_url)
    try:
        history = CrawlHistory(store)
        catch_up = frozenset(history.interrupted(sources))
        history.start(run_id, worker, sources, started_at)
    finally:
        store.close()
    try:
        process = CrawlerProcess(build_settings(db_url, replay_proxy, extra, politeness))
        cap_log_lines()   # after the process installed its root handler
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler, policy=policy, catch_up=catch_up)
        process.start()
        stats = crawler.stats.get_stats()
        failed_store = store_error(crawler)
    finally:
        if server is not None:
            server.stop()
    report = CrawlReport(
        sources=_source_reports(stats),
        finish_reason=str(stats.get("finish_reason", "unknown")),
        robots_forbidden=int(stats.get("robotstxt/forbidden", 0)),
        pages_served=list(server.served) if server else [],
        run_id=run_id,
        started_at=started_at,
        ended_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        duration_s=round(time.monotonic() - clock, 3),
        store_error=failed_store,
    )
    try:
        store = open_store(db_url)
        try:
            CrawlHistory(store).finish(run_id, worker, started_at, report.finish_reason, report.sources,
                                       report.duration_s)
        finally:
            store.close()
    except StoreError as error:   # a full disk may refuse the history too: the report still counts
        report.store_error = report.store_error or str(error)
    return report


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
        elif what.startswith("pagination_stopped/"):
            report.pagination_stopped += int(value)
        elif what == "attachment_errors":
            report.attachment_errors.extend(value)
        elif hasattr(report, what) and isinstance(getattr(report, what), int):
            setattr(report, what, getattr(report, what) + int(value))
    return sorted(reports.values(), key=lambda r: r.source)

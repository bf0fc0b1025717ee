"""Scrapy settings for newsmine crawls: polite for live sites, fast for a local replay."""

from __future__ import annotations

from typing import Any

BOT_NAME = "newsmine"

DEFAULTS: dict[str, Any] = {
    "BOT_NAME": BOT_NAME,
    # The contact is filled in from configuration (crawler/config.py): NEWSMINE_CONTACT.
    "USER_AGENT": "newsmine/0.1 (+https://github.com/newsmine/newsmine; set NEWSMINE_CONTACT)",
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "DOWNLOAD_DELAY": 1.0,
    "DOWNLOAD_TIMEOUT": 30,
    "RETRY_TIMES": 2,
    # A 429 or 503 whose Retry-After asks for at most this many seconds is retried after that
    # wait; one asking for longer is not retried this run (crawler/middlewares.py).
    "NEWSMINE_RETRY_AFTER_MAX": 60,
    # A 429 or 503 slows its whole host for the rest of the run: at most this many seconds
    # between its requests (crawler/middlewares.PoliteRetryMiddleware).
    "NEWSMINE_HOST_BACKOFF_MAX": 10,
    # A page that never ends, or a 20 MB one, is no article: stop reading at 8 MB (counted as
    # the source's `too_large` error) and warn from 2 MB; news pages are 50–500 KB.
    "DOWNLOAD_MAXSIZE": 8 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 2 * 1024 * 1024,
    # Press-release attachments (HWP, HWPX, PDF) are bigger than pages: a release with photos
    # embedded runs to 5-20 MB, so a file may have 30 MB (the document readers' own bound,
    # pipelines/documents/model.py); at most 5 files per post are fetched.
    "NEWSMINE_ATTACHMENT_MAXSIZE": 30 * 1024 * 1024,
    "NEWSMINE_MAX_ATTACHMENTS": 5,
    "COOKIES_ENABLED": False,
    # Extraction, NLP and search terms run in worker processes (pipelines/pool.py); 0 runs
    # them in the crawl process. Unset, the count is what fits NEWSMINE_MEMORY_MB.
    "NEWSMINE_CPU_WORKERS": None,
    # Memory budget (MiB) for the crawl's whole process group. Each worker loads Kiwi and the
    # NLP models (~0.85 GB), the crawl process alone with them ~0.85 GB (bench/fault_bench.py),
    # so 1 GB (issue 13's bar) runs everything in the crawl process; 2048 gives 2 workers.
    "NEWSMINE_MEMORY_MB": 1024,
    # Keep few downloaded pages waiting for those stages (~20 pages of 100 KB), so downloads
    # in flight are not starved into timeouts.
    "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 2_000_000,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    # Bounds: a run always ends, whatever trap a site sets. Depth counts hops from a seed
    # (a list page's "next" link is one more); the per-source cap counts discovery pages
    # (lists, feeds, sitemaps) a source may cost in one run.
    "DEPTH_LIMIT": 50,
    "CLOSESPIDER_PAGECOUNT": 20000,
    "NEWSMINE_MAX_PAGES_PER_SOURCE": 200,
    # Stop paginating a list when its last N article links are all stored already.
    "NEWSMINE_KNOWN_RUN_STOP": 10,
    # `newsmine sources` flags a source that yielded nothing new for this many runs.
    "NEWSMINE_SILENT_RUNS": 3,
    # Distributed runs: longest a worker with an empty queue waits for other workers.
    "NEWSMINE_REDIS_MAX_IDLE": 60,
    # A redirect chain longer than this is dropped and counted (`redirect_chain`), as is a loop.
    "REDIRECT_MAX_TIMES": 10,
    # Hosts ("host" or "host:port") a live crawl may fetch although they resolve to a loopback,
    # private or link-local address (every other such request is refused: crawler/guards.py).
    "NEWSMINE_ALLOWED_HOSTS": [],
    # Scrapy's resolver, refusing non-public answers at connect time too (DNS rebinding).
    "DNS_RESOLVER": "crawler.resolver.PublicAddressResolver",
    "DOWNLOADER_MIDDLEWARES": {
        "crawler.guards.AddressGuardMiddleware": 50,   # before robots.txt is asked for
        "crawler.middlewares.KnownArticleMiddleware": 120,
        "crawler.middlewares.ConditionalGetMiddleware": 130,
        "crawler.guards.RedirectLimitMiddleware": 650,   # sees a 3xx before RedirectMiddleware (600)
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.middlewares.PoliteRetryMiddleware": 550,   # Scrapy's, with Retry-After and per-source counts
        "crawler.middlewares.SourceStatsMiddleware": 950,
    },
    "ITEM_PIPELINES": {
        "pipelines.stages.ExtractPipeline": 100,
        "pipelines.stages.EnrichPipeline": 200,
        "pipelines.stages.StorePipeline": 300,
    },
}

# A replay archive is on loopback: no need to be gentle with it.
REPLAY_OVERRIDES: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_SLOTS": {},
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    # loopback never really times out; a loaded machine can still stall the reactor a while
    "DOWNLOAD_TIMEOUT": 180,
    "RETRY_TIMES": 2,
    "DOWNLOAD_HANDLERS": {
        "http": "crawler.replay.ReplayDownloadHandler",
        "https": "crawler.replay.ReplayDownloadHandler",
    },
}

"""Scrapy settings for newsmine crawls: polite for live sites, fast for a local replay."""

from __future__ import annotations

from typing import Any

BOT_NAME = "newsmine"

DEFAULTS: dict[str, Any] = {
    "BOT_NAME": BOT_NAME,
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
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    # Bounds: a run always ends, whatever trap a site sets.
    "DEPTH_LIMIT": 4,
    "CLOSESPIDER_PAGECOUNT": 20000,
    "DOWNLOADER_MIDDLEWARES": {
        "crawler.middlewares.KnownArticleMiddleware": 120,
        "crawler.middlewares.ConditionalGetMiddleware": 130,
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
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 0,
    "DOWNLOAD_HANDLERS": {
        "http": "crawler.replay.ReplayDownloadHandler",
        "https": "crawler.replay.ReplayDownloadHandler",
    },
}

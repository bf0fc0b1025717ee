"""Many crawler processes, one frontier: scrapy-redis's scheduler queue and dupefilter on Redis.

Every worker seeds the same discovery pages; the shared dupefilter lets only the first copy
of each request into the shared queue, so each page is fetched by exactly one worker. A
worker whose queue runs dry does not stop at once (another worker may be about to enqueue
the links of a list page it is parsing): it stays while any other worker is busy, and
leaves when none has been for a moment, or after `NEWSMINE_REDIS_MAX_IDLE` seconds at most.

Keys are `newsmine:<job>:…`; the job defaults to today's date (UTC), so each night's crawl
has a fresh frontier, and the keys expire after `NEWSMINE_REDIS_TTL` seconds.
"""

from __future__ import annotations

import time
import warnings
from datetime import datetime, timezone
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider

# scrapy-redis 0.9 still passes `spider=` to the stats collector, which Scrapy 2.19 deprecates:
# harmless, but one warning per request would flood a nightly log.
warnings.filterwarnings("ignore", message=".*spider.*", module="scrapy_redis")
warnings.filterwarnings("ignore", message=".*spider.*", module=r"scrapy\.statscollectors")

KEY_PREFIX = "newsmine"
DEFAULT_TTL = 2 * 24 * 3600
_BEAT_EVERY = 1.0       # seconds between "I am busy" heartbeats
_BEAT_TTL = 30          # a worker that died is taken for idle after this
_QUIET_FOR = 2.0        # nobody busy and the queue empty for this long: leave


def default_job() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def redis_settings(url: str, job: str | None = None) -> dict[str, Any]:
    """Scrapy settings that put the scheduler queue and dupefilter on Redis."""
    job = job or default_job()
    prefix = f"{KEY_PREFIX}:{job}"
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        # keep the shared queue when one worker leaves; the keys expire instead
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": url,
        "NEWSMINE_REDIS_URL": url,
        "NEWSMINE_REDIS_PREFIX": prefix,
        "NEWSMINE_REDIS_JOB": job,
    }


def job_keys(client: Any, prefix: str) -> list[str]:
    return [k.decode() if isinstance(k, bytes) else k for k in client.scan_iter(f"{prefix}:*")]


class IdleWait:
    """Keeps a worker alive while other workers may still add requests; see the module doc."""

    def __init__(self, spider: Any, crawler: Any):
        from scrapy_redis.connection import get_redis_from_settings

        from crawler.health import worker_name

        settings = crawler.settings
        self.crawler = crawler
        self.server = get_redis_from_settings(settings)
        self.prefix = settings.get("NEWSMINE_REDIS_PREFIX")
        self.ttl = settings.getint("NEWSMINE_REDIS_TTL", DEFAULT_TTL)
        self.max_idle = settings.getfloat("NEWSMINE_REDIS_MAX_IDLE", 60.0)
        self.me = f"{self.prefix}:busy:{worker_name()}"
        self.last_beat = 0.0
        self.idle_since: float | None = None
        self.quiet_since: float | None = None
        crawler.signals.connect(self.busy, signal=signals.request_scheduled)
        crawler.signals.connect(self.busy, signal=signals.response_received)
        crawler.signals.connect(self.busy, signal=signals.item_scraped)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    def busy(self, *args: Any, **kwargs: Any) -> None:
        self.idle_since = self.quiet_since = None
        now = time.monotonic()
        if now - self.last_beat >= _BEAT_EVERY:
            self.last_beat = now
            self.server.set(self.me, "1", ex=_BEAT_TTL)
            for key in (f"{self.prefix}:requests", f"{self.prefix}:dupefilter"):
                self.server.expire(key, self.ttl)

    def idle(self, *args: Any, **kwargs: Any) -> None:
        self.server.delete(self.me)
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since >= self.max_idle:
            return  # give up waiting: close
        others = [k for k in self.server.scan_iter(f"{self.prefix}:busy:*")
                  if (k.decode() if isinstance(k, bytes) else k) != self.me]
        if others or self.server.zcard(f"{self.prefix}:requests"):
            self.quiet_since = None
            raise DontCloseSpider
        if self.quiet_since is None:
            self.quiet_since = now
        if now - self.quiet_since < _QUIET_FOR:
            raise DontCloseSpider

    def closed(self, *args: Any, **kwargs: Any) -> None:
        self.server.delete(self.me)


def connect_idle_wait(spider: Any, crawler: Any) -> IdleWait:
    wait = IdleWait(spider, crawler)
    spider._newsmine_idle_wait = wait
    return wait

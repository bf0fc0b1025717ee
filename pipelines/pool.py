"""Worker processes for the CPU-bound stages of a crawl: extraction, the NLP stage and the
search terms.

Scrapy runs item pipelines in its reactor thread, so one process spends most of a crawl
parsing HTML and running Kiwi while downloads wait. Here each stage's plain function runs in a
process pool (spawned, not forked: the parent has a running reactor and threads), and the
pipeline awaits it, so pages are extracted and analysed on every core while Scrapy keeps
downloading. `NEWSMINE_CPU_WORKERS` sets the pool size: unset means one worker per core, 0 runs
everything in the crawl process as before. Workers load Kiwi and the NLP models once, on their
first page.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def default_workers() -> int:
    """One worker per core; none on a single core (the pool would only add copying)."""
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


PARENT_CHECK_S = 1.0


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: a crawl killed with SIGKILL cannot shut its pool down, so each
    worker watches its parent and exits once it is gone (else orphans hold ~600 MB each)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class CpuPool:
    """A process pool that a crawl's pipelines share; `run` falls back to the calling
    process when the pool is off or a worker died (the page is not lost)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: Executor | None = None

    def _pool(self) -> Executor | None:
        if self.workers <= 0:
            return None
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_exit_with_parent, initargs=(os.getpid(),))
        return self._executor

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        pool = self._pool()
        if pool is None:
            return fn(*args)
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
        except BrokenProcessPool:
            log.warning("a worker process died; running %s here and starting a new pool", fn.__name__)
            self.close(wait=False)
            return fn(*args)

    def close(self, wait: bool = True) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None


def pool_for(crawler: Any) -> CpuPool:
    """The crawl's pool, made on first use from the `NEWSMINE_CPU_WORKERS` setting."""
    pool = getattr(crawler, "_newsmine_cpu_pool", None)
    if pool is None:
        setting = crawler.settings.get("NEWSMINE_CPU_WORKERS")
        workers = default_workers() if setting in (None, "") else int(setting)
        pool = CpuPool(workers)
        crawler._newsmine_cpu_pool = pool
    return pool


def close_pool(crawler: Any) -> None:
    pool = getattr(crawler, "_newsmine_cpu_pool", None)
    if pool is not None:
        pool.close()
        crawler._newsmine_cpu_pool = None

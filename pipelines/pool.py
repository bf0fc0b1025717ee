"""Worker processes for the CPU-bound stages of a crawl: extraction, the NLP stage and the
search terms.

Scrapy runs item pipelines in its reactor thread, so one process spends most of a crawl
parsing HTML and running Kiwi while downloads wait. Here each stage's plain function runs in a
process pool (spawned, not forked: the parent has a running reactor and threads), and the
pipeline awaits it, so pages are extracted and analysed on every core while Scrapy keeps
downloading. `NEWSMINE_CPU_WORKERS` sets the pool size, 0 running everything in the crawl
process. Unset, the size is what fits the memory budget `NEWSMINE_MEMORY_MB` (the crawl's whole
process group), at most one worker per core: each worker loads Kiwi and the NLP models once, on
its first page, and costs far more memory than the crawl process itself.
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


# Memory of a crawl's process group, in MiB, measured by bench/fault_bench.py (peak RSS summed
# over the group on the bad-page archive; bench/RESULTS.md, "Reliability: the bad-page archive":
# 0.88 GB in-process, 1.07 GB with one worker, 1.95 GB with two; a second run 1.04 and 1.88 GB),
# rounded up for headroom.
CRAWL_PROCESS_MB = 200
"""The crawl process and multiprocessing's resource tracker when the workers do the CPU work:
1.07 GB with one worker less that worker's 0.88 GB = 0.19 GB (181 MiB)."""
WORKER_NLP_MB = 850
"""One worker with the NLP stage on (Kiwi and the NLP models): 1.95 − 1.07 GB = 0.88 GB (839 MiB)."""
WORKER_NO_NLP_MB = 600
"""One worker with `--no-nlp` (Kiwi for the search terms): (1.43 − 0.19 GB) / 2 = 0.62 GB (591 MiB)."""
IN_PROCESS_NLP_MB = 850
"""The crawl with no worker, NLP on: 0.88 GB (839 MiB); below this no budget can be kept."""
IN_PROCESS_NO_NLP_MB = 700
"""The crawl with no worker and `--no-nlp`: 0.70 GB (668 MiB)."""


def budget_workers(budget_mb: int, nlp: bool, cores: int | None = None) -> int:
    """Worker processes that fit `budget_mb` MiB beside the crawl process, at most one per core;
    none on a single core (the pool would only add copying)."""
    cores = cores or os.cpu_count() or 1
    if cores <= 1:
        return 0
    per_worker = WORKER_NLP_MB if nlp else WORKER_NO_NLP_MB
    return max(0, min(cores, (budget_mb - CRAWL_PROCESS_MB) // per_worker))


def pool_size(settings: Any) -> tuple[int, str]:
    """The number of worker processes for a crawl's settings, and why (one line for the log):
    `NEWSMINE_CPU_WORKERS` when given, else what `NEWSMINE_MEMORY_MB` allows."""
    setting = settings.get("NEWSMINE_CPU_WORKERS")
    if setting not in (None, ""):
        return int(setting), "NEWSMINE_CPU_WORKERS (cpu_workers) says so"
    budget = settings.getint("NEWSMINE_MEMORY_MB")
    nlp = settings.getbool("NEWSMINE_NLP", True)
    workers = budget_workers(budget, nlp)
    per_worker = WORKER_NLP_MB if nlp else WORKER_NO_NLP_MB
    why = (f"memory budget {budget} MiB (memory_mb), {os.cpu_count() or 1} cores, "
           f"~{CRAWL_PROCESS_MB} MiB for the crawl process + ~{per_worker} MiB per worker "
           f"with the NLP stage {'on' if nlp else 'off'}")
    in_process = IN_PROCESS_NLP_MB if nlp else IN_PROCESS_NO_NLP_MB
    if workers == 0 and budget < in_process:
        why += f"; the crawl process alone needs ~{in_process} MiB, more than the budget"
    return workers, why


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
    """The crawl's pool, made on first use with `pool_size` workers (logged once)."""
    pool = getattr(crawler, "_newsmine_cpu_pool", None)
    if pool is None:
        workers, why = pool_size(crawler.settings)
        log.info("%d worker process%s for extraction and NLP: %s", workers, "" if workers == 1 else "es", why)
        pool = CpuPool(workers)
        crawler._newsmine_cpu_pool = pool
    return pool


def close_pool(crawler: Any) -> None:
    pool = getattr(crawler, "_newsmine_cpu_pool", None)
    if pool is not None:
        pool.close()
        crawler._newsmine_cpu_pool = None

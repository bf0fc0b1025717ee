"""`newsmine reindex --redis URL --queue NAME`: the NLP stage re-run by workers on many machines.

One process fills the queue (`--enqueue`): the ids (seq) of the articles to re-analyse, cut
into batches, each batch one entry of a Redis stream `newsmine:reindex:<queue>:batches`.
Workers on any machine (`newsmine reindex --redis … --queue …` without `--enqueue`) read the
stream as members of one consumer group, so each batch is handed to one worker (XREADGROUP);
a worker analyses its batch, writes it to the index and acknowledges it (XACK). A batch a
worker took and never acknowledged — the worker was killed, or its machine went away — stays
in the group's pending list, and any other worker takes it over once it has been idle for
`reclaim_after` seconds (XAUTOCLAIM). No batch is lost; a killed run needs no restart.

Exactly once: Redis delivers a batch at least once (a worker may die between writing a batch
and acknowledging it). The write itself saves a marker `reindex-batch:<run>:<n>` in the
index's `index_state`, in the same transaction, and skips the batch if that marker is already
there (`Store.rewrite_analysis(once=True)`; writers hold the store's write lock, so two
workers cannot both pass the check). A batch is therefore written once per run, whatever
Redis redelivers, and a rewrite replaces an article's organisations, achievements and terms
(it never adds to them).

Why a Redis stream and not a job library (rq, Celery): redis-py is already installed (with
scrapy-redis, for the shared crawl), streams with consumer groups are Redis's own reliable
queue (pending lists, idle times, reclaiming), and a worker is a long-lived process that loads
the NLP models once — rq forks a work horse per job and, when a worker is killed, leaves the
job in its started registry to be failed later rather than handed to another worker.

Keys (`newsmine:reindex:<queue>:…`) expire `KEY_TTL` seconds after the last activity.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

from index.common import now

GROUP = "workers"
KEY_TTL = 7 * 24 * 3600
RECLAIM_AFTER = 120.0   # seconds a batch may stay unacknowledged before another worker takes it
MAX_WAIT = 600.0        # a worker waiting with nothing happening in the queue gives up after this
_BLOCK_MS = 1000
_SEQ_PAGE = 10_000

Enrich = Callable[[dict[str, Any]], dict[str, Any]]


class QueueError(RuntimeError):
    """The queue cannot do its job (Redis unreachable, queue missing or mismatched); one line."""


def _public(url: str) -> str:
    """The Redis URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def consumer_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class ReindexQueue:
    """The stream, its consumer group and the run's facts (a hash) for one queue name."""

    def __init__(self, url: str, queue: str) -> None:
        import redis

        self._errors = redis.RedisError
        self.url, self.queue = url, queue
        prefix = f"newsmine:reindex:{queue}"
        self.stream, self.meta_key = f"{prefix}:batches", f"{prefix}:meta"
        try:
            self.client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30,
                                               decode_responses=True)
            self.client.ping()
        except (self._errors, ValueError) as exc:
            raise QueueError(f"cannot reach Redis at {_public(url)}: {_first_line(exc)}") from None

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """One Redis command; a Redis failure becomes a QueueError with one line."""
        return self.guarded(lambda: getattr(self.client, method)(*args, **kwargs), f" ({method})")

    def meta(self) -> dict[str, str]:
        return self.call("hgetall", self.meta_key)

    def touch(self, pipe: Any) -> None:
        pipe.expire(self.stream, KEY_TTL)
        pipe.expire(self.meta_key, KEY_TTL)

    def run_pipeline(self, build: Callable[[Any], None]) -> list[Any]:
        """Commands queued by `build` in one MULTI/EXEC, with the keys' expiry renewed."""
        def work() -> list[Any]:
            pipe = self.client.pipeline(transaction=True)
            build(pipe)
            self.touch(pipe)
            return pipe.execute()
        return self.guarded(work)

    def guarded(self, fn: Callable[[], Any], what: str = "") -> Any:
        try:
            return fn()
        except self._errors as exc:
            raise QueueError(f"Redis at {_public(self.url)} failed{what}: {_first_line(exc)}") from None

    def close(self) -> None:
        self.client.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


# ---------------------------------------------------------------------------- enqueue

def enqueue(store: Any, url: str, queue: str, *, since: str | None = None, batch: int = 32) -> dict[str, Any]:
    """Fill `queue` with batches of the ids of the articles published since `since` (all when
    None). Filling again continues an interrupted fill and adds nothing to a filled queue."""
    q = ReindexQueue(url, queue)
    try:
        meta = q.meta()
        if meta and (meta.get("since", "") != (since or "") or int(meta["batch"]) != batch):
            raise QueueError(f"queue '{queue}' was filled with --since '{meta.get('since') or 'all'}' "
                             f"and --batch {meta['batch']}: give another --queue name for another run")
        if not meta:
            meta = {"run": f"{queue}-{uuid.uuid4().hex[:8]}", "since": since or "", "batch": str(batch),
                    "last_seq": "0", "batches": "0", "articles": "0", "done": "0", "enqueued": "0",
                    "created_at": now()}
            try:
                q.call("xgroup_create", q.stream, GROUP, id="0", mkstream=True)
            except QueueError as exc:
                if "BUSYGROUP" not in str(exc):  # the group exists: a fill that stopped early
                    raise
            q.run_pipeline(lambda pipe: pipe.hset(q.meta_key, mapping=meta))
        already = meta["enqueued"] == "1"
        if not already:
            _fill(store, q, meta, since, batch)
        meta = q.meta()
        return {"queue": queue, "run": meta["run"], "articles": int(meta["articles"]),
                "batches": int(meta["batches"]), "already_filled": already}
    finally:
        q.close()


def _fill(store: Any, q: ReindexQueue, meta: dict[str, str], since: str | None, batch: int) -> None:
    last, number = int(meta["last_seq"]), int(meta["batches"])
    while True:
        seqs = store.reprocess_seqs(after=last, since=since, limit=_SEQ_PAGE)
        for start in range(0, len(seqs), batch):
            chunk = seqs[start:start + batch]
            entry = {"n": number, "first": chunk[0], "last": chunk[-1], "count": len(chunk)}

            def add(pipe: Any, entry: dict[str, int] = entry) -> None:
                pipe.xadd(q.stream, entry)
                pipe.hset(q.meta_key, mapping={"last_seq": entry["last"], "batches": entry["n"] + 1})
                pipe.hincrby(q.meta_key, "articles", entry["count"])

            q.run_pipeline(add)  # the entry and the fill's progress together: a refill resumes
            number += 1
        if len(seqs) < _SEQ_PAGE:
            break
        last = seqs[-1]
    q.run_pipeline(lambda pipe: pipe.hset(q.meta_key, mapping={"enqueued": "1", "enqueued_at": now()}))


# ---------------------------------------------------------------------------- work

def work(
    store: Any,
    url: str,
    queue: str,
    *,
    enrich: Enrich | None = None,
    consumer: str | None = None,
    reclaim_after: float = RECLAIM_AFTER,
    max_wait: float = MAX_WAIT,
    progress: bool = True,
) -> dict[str, Any]:
    """Take batches of `queue` until every batch of the run is written; returns what this
    worker did. Batches other workers left unacknowledged for `reclaim_after` seconds are
    taken over; a worker that saw nothing happen in the queue for `max_wait` seconds while
    batches were still missing (the fill stopped?) gives up with a QueueError."""
    from index.reprocess import _Bar, _default_enrich

    q = ReindexQueue(url, queue)
    consumer = consumer or consumer_name()
    mine = {"queue": queue, "consumer": consumer, "batches": 0, "articles": 0, "reclaimed": 0,
            "skipped": 0, "finished": False, "nlp_seconds": 0.0}
    started = time.monotonic()
    bar = None
    try:
        meta = q.meta()
        if not meta:
            raise QueueError(f"no reindex queue '{queue}' at {_public(url)}: fill it first "
                             f"(newsmine reindex --enqueue --queue {queue} …)")
        mine["run"] = meta["run"]
        if enrich is None:
            enrich = _default_enrich()
            enrich({"url": "warm-up", "title": "", "body": "모델을 불러온다."})  # load the models now
        mine["load_seconds"] = round(time.monotonic() - started, 2)
        bar = _Bar(progress, int(meta["done"]), int(meta["articles"]))
        shown = int(meta["done"])
        waiting_since, last_seen = time.monotonic(), None
        while True:
            entries, reclaimed = _take(q, consumer, reclaim_after)
            for entry_id, fields in entries:
                _do_batch(store, q, meta, entry_id, fields, enrich, mine)
                mine["reclaimed"] += reclaimed
            meta = q.meta()
            if not meta:
                raise QueueError(f"the reindex queue '{queue}' disappeared from Redis (expired or deleted)")
            bar.advance(int(meta["done"]) - shown)
            shown = int(meta["done"])
            if entries:
                waiting_since = time.monotonic()
                continue
            state = _group_state(q)
            if meta["enqueued"] == "1" and state["pending"] == 0 and state["lag"] == 0:
                mine["finished"] = True
                _record_finish(store, q, meta)
                break
            seen = (meta["batches"], meta["done"], state["pending"], state["lag"])
            if seen != last_seen:
                waiting_since, last_seen = time.monotonic(), seen
            elif time.monotonic() - waiting_since > max_wait:
                raise QueueError(
                    f"queue '{queue}' made no progress for {int(max_wait)} s with batches missing "
                    f"(filled: {'yes' if meta['enqueued'] == '1' else 'no — run --enqueue again'})")
    finally:
        if bar is not None:
            bar.close()
        q.close()
    mine["seconds"] = round(time.monotonic() - started, 2)
    busy = mine["seconds"] - mine.get("load_seconds", 0.0)
    mine["nlp_seconds"] = round(mine["nlp_seconds"], 2)
    mine["articles_per_s"] = round(mine["articles"] / busy, 2) if busy > 0 else 0.0
    return mine


def _take(q: ReindexQueue, consumer: str, reclaim_after: float) -> tuple[list[tuple[str, dict]], int]:
    """One batch: a dead worker's (idle for `reclaim_after`) first, else a new one (waits ≤ 1 s)."""
    claimed = q.call("xautoclaim", q.stream, GROUP, consumer, min_idle_time=int(reclaim_after * 1000),
                     start_id="0-0", count=1)
    entries = [e for e in claimed[1] if e and e[1]]  # entries deleted meanwhile come back empty
    if entries:
        return entries, 1
    read = q.call("xreadgroup", GROUP, consumer, {q.stream: ">"}, count=1, block=_BLOCK_MS)
    return (read[0][1] if read else []), 0


def _group_state(q: ReindexQueue) -> dict[str, int]:
    group = next((g for g in q.call("xinfo_groups", q.stream) if g["name"] == GROUP), None)
    if group is None:
        raise QueueError(f"the consumer group of queue '{q.queue}' is gone (the keys were deleted)")
    lag = group.get("lag")
    if lag is None:  # Redis < 7 does not report it: compare the last read id with the last entry
        last = q.call("xinfo_stream", q.stream).get("last-generated-id")
        lag = 0 if last == group.get("last-delivered-id") else 1
    return {"pending": int(group["pending"]), "lag": int(lag)}


def _do_batch(store: Any, q: ReindexQueue, meta: dict[str, str], entry_id: str, fields: dict[str, str],
              enrich: Enrich, mine: dict[str, Any]) -> None:
    marker = f"reindex-batch:{meta['run']}:{fields['n']}"
    first, last, count = int(fields["first"]), int(fields["last"]), int(fields["count"])
    written: int | None = None
    if store.get_state(marker) is None:  # the cheap check; the write checks again under its lock
        items = store.reprocess_targets(after=first - 1, since=meta.get("since") or None, limit=count)
        items = [item for item in items if item["seq"] <= last]
        analysing = time.monotonic()
        for item in items:
            enrich(item)
        mine["nlp_seconds"] += time.monotonic() - analysing  # the rest of a batch: queue and store
        state = {"run": meta["run"], "batch": int(fields["n"]), "articles": len(items),
                 "worker": mine["consumer"], "at": now()}
        written = store.rewrite_analysis(items, state=(marker, state), once=True)
    if written is None:
        mine["skipped"] += 1  # written by a worker that died before acknowledging it
    else:
        mine["batches"] += 1
        mine["articles"] += written
    done = count if written is not None else 0

    def ack(pipe: Any) -> None:
        pipe.xack(q.stream, GROUP, entry_id)
        if done:
            pipe.hincrby(q.meta_key, "done", done)
    q.run_pipeline(ack)


def _record_finish(store: Any, q: ReindexQueue, meta: dict[str, str]) -> None:
    """The run's summary in the index (`reindex-run:<run>`) and in the queue's facts."""
    key = f"reindex-run:{meta['run']}"
    if store.get_state(key) is None:
        store.set_state(key, {"queue": q.queue, "run": meta["run"], "since": meta.get("since") or None,
                              "articles": int(meta["articles"]), "batches": int(meta["batches"]),
                              "started_at": meta.get("created_at"), "finished_at": now()})
    if "finished_at" not in meta:
        q.run_pipeline(lambda pipe: pipe.hsetnx(q.meta_key, "finished_at", now()))

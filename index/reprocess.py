"""`newsmine reindex`: run the NLP stage again over stored articles after a model update.

Articles are read in storage order (seq) in batches; each batch's new organisations,
achievements and Kiwi terms replace the old ones in one transaction that also records how
far the job got (`index_state` key "reindex"), so an interrupted run continues where it
stopped, never doing an article twice or skipping one. The texts are not touched and no
versions are made. A finished job is kept as a record; the next run starts a fresh pass.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from index.common import TERMS_KEY, now

STATE_KEY = "reindex"
BATCH = 32

Enrich = Callable[[dict[str, Any]], dict[str, Any]]


def _default_enrich() -> Enrich:
    """The NLP stage, keeping the title's and body's search terms from its own Kiwi pass
    (under TERMS_KEY), so the rewrite does not run Kiwi over each body a second time."""
    from nlp.pipeline import enrich_record_with_terms

    def enrich(item: dict[str, Any]) -> dict[str, Any]:
        item, terms = enrich_record_with_terms(item)
        item[TERMS_KEY] = terms
        return item

    return enrich


def reindex(
    store: Any,
    *,
    since: str | None = None,
    restart: bool = False,
    batch: int = BATCH,
    enrich: Enrich | None = None,
    progress: bool = True,
    limit: int | None = None,
) -> dict[str, Any]:
    """Re-run `enrich` (default `nlp.pipeline.enrich_record`) over the stored articles
    published on or after `since` (all when None); returns the job state.

    `restart` abandons an unfinished job; `limit` stops after that many articles (the job
    stays unfinished and the next call continues), which is how tests interrupt it.
    """
    enrich = enrich or _default_enrich()
    state = store.get_state(STATE_KEY)
    resumable = (
        state is not None and not state.get("finished_at") and state.get("since") == since and not restart
    )
    if not resumable:
        state = {"since": since, "last_seq": 0, "done": 0, "started_at": now(), "finished_at": None}
    state["resumed"] = resumable
    remaining = store.count_reprocess_targets(after=state["last_seq"], since=since)
    started = time.monotonic()
    processed = 0
    bar = _Bar(progress, state["done"], state["done"] + remaining)
    try:
        while limit is None or processed < limit:
            size = batch if limit is None else min(batch, limit - processed)
            items = store.reprocess_targets(after=state["last_seq"], since=since, limit=size)
            if not items:
                state["finished_at"] = now()
                store.set_state(STATE_KEY, _saved(state))
                break
            for item in items:
                enrich(item)
            state["last_seq"] = items[-1]["seq"]
            state["done"] += len(items)
            if len(items) < size:
                state["finished_at"] = now()
            store.rewrite_analysis(items, state=(STATE_KEY, _saved(state)))
            processed += len(items)
            bar.advance(len(items))
            if state["finished_at"]:
                break
    finally:
        bar.close()
    state["processed"] = processed
    state["seconds"] = round(time.monotonic() - started, 2)
    return state


def _saved(state: dict[str, Any]) -> dict[str, Any]:
    return {k: state[k] for k in ("since", "last_seq", "done", "started_at", "finished_at")}


class _Bar:
    """A rich progress bar on stderr (or nothing)."""

    def __init__(self, enabled: bool, completed: int, total: int) -> None:
        self.progress = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("reindexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("reindex", total=total, completed=completed)

    def advance(self, count: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, count)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()

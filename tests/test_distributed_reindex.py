"""`newsmine reindex --redis … --queue …`: workers share a re-analysis through a Redis stream
and write into one PostgreSQL schema; a killed worker's batch is finished by another, and
every article is re-analysed exactly once per run.

"Re-analysed" is counted by PostgreSQL itself: a trigger this test installs on the schema
notes every committed update of `articles.analysed_at` (the rewrite of one article's
analysis), so a batch written twice, or a rollback counted as a write, would show.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import NEWSMINE, REPO, require_service
from index import open_store
from index_backends import Backend, backend_for, row_counts

sys.path.insert(0, str(REPO / "bench"))
from reindex_bench import seed_corpus  # noqa: E402

REDIS = os.environ.get("NEWSMINE_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    yield from backend_for("postgresql", tmp_path_factory, __name__)


@pytest.fixture
def queue() -> Iterator[str]:
    require_service("Redis", "127.0.0.1", 6379)
    import redis

    name = f"test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(f"newsmine:reindex:{name}:*"))
    if keys:
        client.delete(*keys)


def _fill(pg: Backend, label: str, count: int) -> str:
    """A schema holding `count` stored, not yet analysed articles, and the counting trigger."""
    url = pg.url(label)
    store = open_store(url)
    try:
        store.upsert_many(seed_corpus(count))
        schema = store.schema
        with store._write() as db:
            db.execute(f'CREATE TABLE "{schema}".reanalysed (seq BIGINT NOT NULL)')
            db.execute(
                f'CREATE FUNCTION "{schema}".note_reanalysis() RETURNS trigger LANGUAGE plpgsql AS '
                f'$$ BEGIN INSERT INTO "{schema}".reanalysed (seq) VALUES (NEW.seq); RETURN NEW; END $$')
            db.execute(f'CREATE TRIGGER note_reanalysis AFTER UPDATE OF analysed_at ON "{schema}".articles '
                       f'FOR EACH ROW EXECUTE FUNCTION "{schema}".note_reanalysis()')
    finally:
        store.close()
    return url


def _check_once(url: str, count: int) -> dict[str, int]:
    """Every article re-analysed exactly once, no duplicated rows; the store's row counts."""
    store = open_store(url)
    try:
        with store.read() as db:
            seqs = {r[0] for r in db.execute("SELECT seq FROM articles").fetchall()}
            times = dict(db.execute("SELECT seq, COUNT(*) FROM reanalysed GROUP BY seq").fetchall())
            for sql in ("SELECT article_seq, position FROM achievements GROUP BY 1, 2 HAVING COUNT(*) > 1",
                        "SELECT article_seq, position FROM article_orgs GROUP BY 1, 2 HAVING COUNT(*) > 1",
                        "SELECT article_seq, org_id FROM article_orgs GROUP BY 1, 2 HAVING COUNT(*) > 1",
                        'SELECT article_seq, org_position, start, "end" FROM mentions '
                        "GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1"):
                assert db.execute(sql).fetchall() == [], sql
        counts = row_counts(store)
    finally:
        store.close()
    assert len(seqs) == count
    assert set(times) == seqs, f"{len(seqs - set(times))} articles never re-analysed"
    assert set(times.values()) == {1}, {s: n for s, n in times.items() if n != 1}
    assert counts["search"] == count  # every article searchable, once
    return counts


def _redis() -> Any:
    import redis

    return redis.Redis.from_url(REDIS, decode_responses=True)


@pytest.mark.services
def test_a_batch_left_by_a_dead_worker_is_finished_and_a_written_one_not_redone(pg: Backend, queue: str) -> None:
    """In-process, with a stand-in NLP stage: one batch taken and never acknowledged (its worker
    died while analysing), one written but not acknowledged (died just after the commit)."""
    from index.reindex_queue import GROUP, ReindexQueue, enqueue, work

    url = _fill(pg, "inproc", 12)
    store = open_store(url)
    try:
        filled = enqueue(store, REDIS, queue, batch=3)
        assert (filled["articles"], filled["batches"], filled["already_filled"]) == (12, 4, False)
        assert enqueue(store, REDIS, queue, batch=3)["already_filled"]  # filling again adds nothing

        def enrich(item: dict[str, Any]) -> dict[str, Any]:
            item["organizations"] = [{"name": "한빛정밀", "kind": "firm", "surface": ["㈜한빛정밀"],
                                      "mentions": [[0, 3]]}]
            item["achievements"] = []
            return item

        q = ReindexQueue(REDIS, queue)
        lost = q.client.xreadgroup(GROUP, "dead-while-analysing", {q.stream: ">"}, count=1)[0][1][0]
        written = q.client.xreadgroup(GROUP, "dead-after-commit", {q.stream: ">"}, count=1)[0][1][0]
        fields = written[1]
        items = [enrich(i) for i in store.reprocess_targets(after=int(fields["first"]) - 1, limit=3)]
        marker = f"reindex-batch:{filled['run']}:{fields['n']}"
        assert store.rewrite_analysis(items, state=(marker, {"run": filled["run"]}), once=True) == 3
        assert store.rewrite_analysis(items, state=(marker, {"run": filled["run"]}), once=True) is None
        q.close()
        assert lost[0] != written[0]

        done = work(store, REDIS, queue, enrich=enrich, reclaim_after=0.2, progress=False)
    finally:
        store.close()
    assert done["finished"] and done["reclaimed"] == 2 and done["skipped"] == 1
    assert (done["batches"], done["articles"]) == (3, 9)
    counts = _check_once(url, 12)
    assert counts["article_orgs"] == 12 and counts["achievements"] == 0


@pytest.mark.slow
@pytest.mark.services
def test_two_workers_one_killed_mid_run_every_article_reanalysed_once(pg: Backend, queue: str) -> None:
    count, batch = 64, 4
    url = _fill(pg, "killed", count)
    base = [*NEWSMINE, "reindex", "--db", url, "--redis", REDIS, "--queue", queue]
    filled = subprocess.run([*base, "--enqueue", "--batch", str(batch)], capture_output=True, text=True,
                            cwd=REPO, timeout=300)
    assert filled.returncode == 0, filled.stderr[-2000:]
    assert f"{count} articles in {count // batch} batches" in filled.stdout

    work = [*base, "--json", "--reclaim-after", "3"]
    victim, survivor = (subprocess.Popen(work, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                        for _ in range(2))
    client = _redis()
    stream = f"newsmine:reindex:{queue}:batches"
    name = f"{socket.gethostname()}:{victim.pid}"
    deadline = time.monotonic() + 300
    killed_holding = None
    try:
        while time.monotonic() < deadline and victim.poll() is None:
            done = int(client.hget(f"newsmine:reindex:{queue}:meta", "done") or 0)
            held = client.xpending_range(stream, "workers", min="-", max="+", count=10, consumername=name)
            if held and done >= 2 * batch:  # mid-run: both at work, the victim inside a batch
                os.kill(victim.pid, signal.SIGKILL)
                killed_holding = held[0]["message_id"]
                break
            time.sleep(0.05)
        assert killed_holding, "the victim never held a batch mid-run"
        victim.wait(timeout=30)
        out, err = survivor.communicate(timeout=600)
    finally:
        for proc in (victim, survivor):
            if proc.poll() is None:
                proc.kill()
    assert survivor.returncode == 0, err[-2000:]
    import json

    result = json.loads(out.strip().splitlines()[-1])
    assert result["finished"] and result["reclaimed"] >= 1
    # the survivor finished the victim's batch; on a loaded machine the victim may have died inside
    # its first batch, before finishing any, so the survivor may have done all of them
    assert 0 < result["articles"] <= count
    assert client.xpending(stream, "workers")["pending"] == 0

    counts = _check_once(url, count)
    assert counts["achievements"] >= count and counts["article_orgs"] >= count
    # the distributed result is what one machine's reindex makes of the same articles
    again = subprocess.run([*NEWSMINE, "reindex", "--db", url], capture_output=True, text=True, cwd=REPO,
                           timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    store = open_store(url)
    try:
        assert row_counts(store) == counts
    finally:
        store.close()


def test_redis_down_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    store = open_store(str(db))
    store.close()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    result = subprocess.run([*NEWSMINE, "reindex", "--db", str(db), "--redis", f"redis://:secret@127.0.0.1:{port}/0",
                             "--queue", "q", "--enqueue"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newsmine: error: cannot reach Redis at redis://:***@127.0.0.1:{port}/0")
    assert "secret" not in result.stderr and "Traceback" not in result.stderr
    half = subprocess.run([*NEWSMINE, "reindex", "--db", str(db), "--queue", "q"], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert half.returncode == 2 and "--redis" in half.stderr

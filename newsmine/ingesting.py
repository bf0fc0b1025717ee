"""`newsmine ingest`: articles from elsewhere (JSONL in the export format) into the index."""

from __future__ import annotations

import json
from pathlib import Path

from newsmine.errors import UsageError

REQUIRED = ("url", "title", "body", "published_at")


def read_records(path: Path) -> list[dict]:
    """Every line checked before anything is stored, so a bad file stores nothing."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    records = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise UsageError(f"{path}:{line_no}: not JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise UsageError(f"{path}:{line_no}: expected a JSON object")
            missing = [f for f in REQUIRED if not record.get(f)]
            if missing:
                raise UsageError(f"{path}:{line_no}: missing field(s) {', '.join(missing)}")
            records.append(record)
    return records


def ingest_file(path: Path, db_url: str) -> dict[str, int]:
    from rich.progress import Progress

    from crawler.urls import canonicalize
    from index import open_store
    from nlp.pipeline import enrich_record

    records = read_records(path)
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    store = open_store(db_url)
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("ingesting", total=len(records))
            for record in records:
                record = dict(record)
                record["canonical_url"] = canonicalize(record.get("canonical_url") or record["url"])
                record.setdefault("authors", [])
                enrich_record(record)
                _, status = store.upsert_article(record)
                counts[status] += 1
                progress.advance(task)
    finally:
        store.close()
    return counts

"""`newsmine ingest`: articles from elsewhere (JSONL in the export format) into the index."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from core.errors import UsageError

REQUIRED = ("url", "title", "body", "published_at")
TEXT_FIELDS = ("title", "body", "outlet", "source", "modified_at", "fetched_at")
SHOWN_ERRORS = 10
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>")  # an HTML tag (a bare `<` in prose is not one)


def markup_to_text(body: str) -> str:
    """A body holding HTML markup as its text: tags gone, scripts, styles and images dropped,
    paragraphs and <br> as line breaks (pipelines.clean, as for crawled pages). Left as HTML,
    `<b>악성<` and `script>솔루션` would become organisation names."""
    if not _MARKUP.search(body):
        return body
    from pipelines.clean import fragment_lines

    return "\n".join(fragment_lines(body))


def check_record(record: object) -> str | None:
    """Why one input line cannot be stored (None when it can): the store takes text fields as
    text, http(s) URLs and a publication date a news article can have."""
    from pipelines.dates import EARLIEST, KST, parse_datetime

    if not isinstance(record, dict):
        return "expected a JSON object"
    missing = [f for f in REQUIRED if not record.get(f)]
    if missing:
        return f"missing field(s) {', '.join(missing)}"
    for name in TEXT_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            return f"{name} is not text"
    for name in ("url", "canonical_url"):
        value = record.get(name)
        if value is None and name == "canonical_url":
            continue
        if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") \
                or not urlsplit(value).netloc:
            return f"{name} is not an http(s) URL"
    authors = record.get("authors")
    if authors is not None and not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        return "authors is not a list of names"
    if not isinstance(record["published_at"], str):
        return "published_at is not a date"
    parsed = parse_datetime(record["published_at"])
    if parsed is None:
        return f"published_at is not a date: {record['published_at'][:40]!r}"
    if not EARLIEST <= parsed[0] <= datetime.now(KST) + timedelta(days=1):
        return f"published_at is before 1990 or in the future: {record['published_at'][:40]!r}"
    return None


def read_records(path: Path) -> list[dict]:
    """Every line checked before anything is stored, so a bad file stores nothing; every bad
    line is named (the first SHOWN_ERRORS of them) in one error."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    records, problems = [], []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"{path}:{line_no}: not JSON ({error.msg})")
                continue
            problem = check_record(record)
            if problem:
                problems.append(f"{path}:{line_no}: {problem}")
            else:
                records.append(record)
    if problems:
        shown = "; ".join(problems[:SHOWN_ERRORS])
        more = f"; and {len(problems) - SHOWN_ERRORS} more" if len(problems) > SHOWN_ERRORS else ""
        raise UsageError(f"{len(problems)} bad line(s), nothing stored: {shown}{more}")
    return records


def ingest_file(path: Path, db_url: str) -> dict[str, int]:
    from rich.progress import Progress

    from crawler.urls import canonicalize
    from index import open_store
    from nlp.bounds import cap_text
    from nlp.pipeline import enrich_record

    records = read_records(path)
    counts = {"new": 0, "updated": 0, "unchanged": 0, "cut": 0}
    store = open_store(db_url)
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("ingesting", total=len(records))
            for record in records:
                record = dict(record)
                record["canonical_url"] = canonicalize(record.get("canonical_url") or record["url"])
                record.setdefault("authors", [])
                record["body"], cut = cap_text(markup_to_text(record["body"]))
                counts["cut"] += cut
                if not store.stores_unchanged(record):
                    # an unchanged text keeps its stored analysis: the NLP stage, nearly all of
                    # an ingest's time, runs only for the rest (`reindex` redoes it)
                    enrich_record(record)
                _, status = store.upsert_article(record)   # also remembers a new url of it
                counts[status] += 1
                progress.advance(task)
    finally:
        store.close()
    return counts

"""The replay archive's MANIFEST.tsv: which saved file answers which URL."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from crawler.urls import url_key

KINDS = frozenset({"article", "list", "rss", "sitemap", "robots", "attachment"})
REQUIRED_COLUMNS = ("file", "url", "kind")


class ManifestError(ValueError):
    """A manifest that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Entry:
    file: Path
    url: str
    kind: str
    encoding: str | None
    title: str
    date: str


def load_manifest(directory: Path | str) -> list[Entry]:
    """Read DIR/MANIFEST.tsv (header row; `file`, `url`, `kind`, optional `encoding`)."""
    directory = Path(directory)
    path = directory / "MANIFEST.tsv"
    if not directory.is_dir():
        raise ManifestError(f"replay archive not found: {directory}")
    if not path.is_file():
        raise ManifestError(f"no MANIFEST.tsv in {directory}")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ManifestError(f"{path}: missing column(s) {', '.join(missing)}")
        entries = []
        for line_no, row in enumerate(reader, start=2):
            kind = (row.get("kind") or "").strip()
            if kind not in KINDS:
                raise ManifestError(f"{path}:{line_no}: kind {kind!r} is not one of {sorted(KINDS)}")
            url = (row.get("url") or "").strip()
            if not url.startswith(("http://", "https://")):
                raise ManifestError(f"{path}:{line_no}: url {url!r} is not an http(s) URL")
            file = directory / (row.get("file") or "").strip()
            if not file.is_file():
                raise ManifestError(f"{path}:{line_no}: file {row.get('file')!r} not found")
            encoding = (row.get("encoding") or "").strip().split(" ")[0] or None
            entries.append(Entry(file, url, kind, encoding, row.get("title") or "", row.get("date") or ""))
    return entries


class Archive:
    """Entries looked up by URL (scheme, host case and default ports ignored)."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._by_key = {url_key(e.url): e for e in entries}

    @classmethod
    def load(cls, directory: Path | str) -> "Archive":
        return cls(load_manifest(directory))

    def get(self, url: str) -> Entry | None:
        return self._by_key.get(url_key(url))

    def kind_of(self, url: str) -> str | None:
        entry = self.get(url)
        return entry.kind if entry else None

    def seeds(self) -> list[Entry]:
        """Where a crawl starts: discovery pages first, then the articles themselves."""
        order = {"sitemap": 0, "rss": 1, "list": 2, "article": 3}
        return sorted((e for e in self.entries if e.kind in order), key=lambda e: order[e.kind])

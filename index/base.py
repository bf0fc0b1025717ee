"""The back-end-neutral store interface and its errors.

The CLI, the crawler and the pipelines code against `Store`; SQLite (index/sqlite.py) and
PostgreSQL (index/postgres.py) implement it, sharing most logic in index/sqlbase.py.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Iterable, Iterator


class StoreError(Exception):
    """The store cannot do its job (cannot open the db, bad record, newer schema …); one line."""


class QueryError(ValueError):
    """A malformed search query; the message is one line that names the problem and position."""


class Store(ABC):
    """Articles, their organisations and achievements, fetch state, stories and search."""

    @abstractmethod
    def upsert_article(self, record: dict[str, Any], *, force: bool = False,
                       terms: list | None = None) -> tuple[str, str]:
        """Store one article; returns (article_id, "new" | "updated" | "unchanged"), or with
        `force` "reprocessed" for an unchanged text whose analysis was rewritten. `terms`: the
        title's and body's search terms, if the caller computed them already."""

    @abstractmethod
    def upsert_many(self, records: Iterable[dict[str, Any]], *, force: bool = False) -> dict[str, int]:
        """Store many articles; returns counts by status."""

    @abstractmethod
    def reprocess_targets(
        self, *, after: int = 0, since: str | None = None, limit: int = 64
    ) -> list[dict[str, Any]]:
        """Stored articles (seq > after, published on or after `since`) for the NLP stage."""

    @abstractmethod
    def reprocess_seqs(self, *, after: int = 0, since: str | None = None, limit: int = 10_000) -> list[int]:
        """The seqs alone of what `reprocess_targets` would walk through, in order."""

    @abstractmethod
    def count_reprocess_targets(self, *, after: int = 0, since: str | None = None) -> int:
        """How many articles `reprocess_targets` would walk through."""

    @abstractmethod
    def rewrite_analysis(
        self, items: list[dict[str, Any]], *, state: tuple[str, dict[str, Any]] | None = None,
        once: bool = False,
    ) -> int | None:
        """New organisations, achievements and terms for stored texts (no versions); with
        `once`, nothing (None) when the `state` key is saved already."""

    @abstractmethod
    def get_state(self, key: str) -> dict[str, Any] | None:
        """A saved job state."""

    @abstractmethod
    def set_state(self, key: str, value: dict[str, Any] | None) -> None:
        """Save (or with None, forget) a job state."""

    @abstractmethod
    def stores_unchanged(self, record: dict[str, Any]) -> bool:
        """True when the record's text (title, body, release header) is already stored under
        its canonical url: storing it again would change nothing, so its analysis can wait."""

    @abstractmethod
    def has_url(self, url: str) -> bool:
        """True if the url (or canonical url) of a stored article."""

    @abstractmethod
    def known_urls(self) -> set[str]:
        """Every url and canonical url of the stored articles."""

    @abstractmethod
    def get_fetch_state(self, url: str) -> dict[str, Any] | None:
        """{"etag", "last_modified", "fetched_at", "status"} of the last fetch of url."""

    @abstractmethod
    def set_fetch_state(
        self, url: str, *, etag: str | None, last_modified: str | None, status: int
    ) -> None:
        """Remember the validators of a fetch, for conditional requests next time."""

    @abstractmethod
    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
        collapse: bool = True,
        group: str | None = None,
        exact_total: bool = False,
    ) -> dict[str, Any]:
        """Hits, total and facets for a query in the query language of `index.query`;
        `group="release"` also folds the rewrites of one press release into one hit;
        `exact_total` counts every match of a broad query instead of stopping or estimating
        (docs/search.md, "Counts that stop")."""

    @abstractmethod
    def iter_records(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        """Export records of every (matching) article, streamed."""

    @abstractmethod
    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """One article's export record (plus source, fetched_at, updated_at, story_size)."""

    @abstractmethod
    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """Earlier texts of an article (title, body, dates), oldest first."""

    @abstractmethod
    def summary(self) -> dict[str, Any]:
        """Counts of articles, stories, organisations by kind, achievements by type, outlets."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Index and search: store articles, find them with a Korean-aware query language, export.

`open_store()` picks the back end from a URL: a file path or `sqlite:///path` gives SQLite
(the default, `core.paths.default_db_url()`); `postgresql://…` (or `postgres://…`) gives
PostgreSQL, optionally `?schema=NAME` to keep the tables in their own schema. Both implement
the same `Store` and answer the same queries (docs/search.md).
"""

from __future__ import annotations

from index.base import QueryError, Store, StoreError

__all__ = ["open_store", "missing_store", "Store", "StoreError", "QueryError"]


def missing_store(url: str) -> str | None:
    """The file path of a SQLite store that does not exist yet (None when it exists, is in
    memory or is a PostgreSQL URL): reading commands refuse it rather than create an empty one."""
    url = str(url).strip()
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in ("", "sqlite"):
        return None
    from pathlib import Path

    from index.sqlite import _sqlite_path

    path = _sqlite_path(url)
    if path == ":memory:" or path.startswith("file:"):
        return None
    return None if Path(path).expanduser().exists() else path


def open_store(url: str | None = None, *, workers: int = 0) -> Store:
    """Open (creating or migrating) the store at `url`; StoreError if that is impossible.

    `workers` is the number of Kiwi threads used when batch-analysing terms (0: one thread).
    """
    if url is None:
        from core.paths import default_db_url

        url = default_db_url()
    url = str(url).strip()
    if not url:
        raise StoreError("no database given")
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        from index.postgres import open_postgres

        return open_postgres(url, workers=workers)
    if scheme not in ("", "sqlite"):
        raise StoreError(f"unsupported database URL scheme '{scheme}' (use a path or sqlite:///)")
    from index.sqlite import open_sqlite

    return open_sqlite(url, workers=workers)

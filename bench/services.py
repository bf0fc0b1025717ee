"""Clean-up of what a bench made in the shared services: a PostgreSQL schema and Redis keys."""

from __future__ import annotations


def drop_schema_and_keys(pg_url: str, schema: str, redis_url: str, key_pattern: str) -> None:
    """Drop `schema` (with everything in it) and delete the Redis keys matching `key_pattern`."""
    import psycopg
    import redis
    from psycopg import sql

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(key_pattern))
    if keys:
        client.delete(*keys)

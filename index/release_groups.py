"""Search hits grouped by press release (`newsmine search --group release`, `group=release`).

With the grouping on, the matching articles that `newsmine trace` linked to one release
(index/tracing.py, `release_links`) and that release itself, when it matches, rank as one
group, represented by its best-ranked article, as syndicated copies of a story are; every
other match keeps its story (or stands alone with `--all-copies`). Each hit gains `release`:
null for an ungrouped hit; for a group (or a press release nobody has rewritten yet) the
release's title, issuing body and how many outlets carried it, and the group's matching
articles, best first.

Grouping works on the rows a search ranks: every match, or for a broad query its window
(docs/search.md, "Broad queries"), like story collapse.
"""

from __future__ import annotations

import json
from typing import Any

from index.base import QueryError
from index.common import ranked

GROUPS = ("release",)
LOOKUP_LIMIT = 5000   # more rows than this: read the whole release_links table instead
CHUNK = 500           # values per IN (…) list
MEMBERS = 20          # matching articles listed per group


def check_group(group: str | None) -> str | None:
    """None for no grouping, else a known grouping (QueryError otherwise)."""
    if group is None or group in ("", "none"):
        return None
    if group not in GROUPS:
        raise QueryError(f"unknown group '{group}' (use {', '.join(GROUPS)})")
    return group


def _in_chunks(db: Any, sql: str, ids: list[int], repeat: int = 1) -> list[tuple]:
    """`sql` with each `{marks}` filled by a chunk of `ids` (bound `repeat` times), every chunk."""
    out: list[tuple] = []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        out.extend(db.execute(sql.format(marks=", ".join("?" for _ in chunk)), chunk * repeat).fetchall())
    return out


def release_keys(db: Any, rows: list[tuple]) -> dict[int, tuple[str, int]]:
    """seq -> ("release", release seq) for the search rows that are traced rewrites of a
    release, or releases with traced rewrites (the `groups` of index.common.ranked)."""
    wanted = {int(r[0]) for r in rows}
    if len(wanted) > LOOKUP_LIMIT:
        pairs = db.execute("SELECT article_seq, release_seq FROM release_links").fetchall()
    else:
        pairs = _in_chunks(db, "SELECT article_seq, release_seq FROM release_links "
                               "WHERE article_seq IN ({marks}) OR release_seq IN ({marks})", sorted(wanted), 2)
    out: dict[int, tuple[str, int]] = {}
    for article, release in pairs:
        key = ("release", int(release))
        for seq in (int(article), int(release)):
            if seq in wanted:
                out[seq] = key
    return out


def describe(db: Any, hits: list[dict[str, Any]], seqs: list[int], rows: list[tuple],
             keys: dict[int, tuple[str, int]], sort: str) -> None:
    """Give each hit (of the page `seqs`) its `release`, as the module docstring says."""
    by_seq = {int(r[0]): r for r in rows}
    members: dict[int, list[tuple]] = {}
    for seq, key in keys.items():
        members.setdefault(key[1], []).append(by_seq[seq])
    shown: dict[int, int] = {}   # hit index -> release seq
    for i, (seq, hit) in enumerate(zip(seqs, hits)):
        if seq in keys:
            shown[i] = keys[seq][1]
        elif hit.get("kind") == "press_release":   # a release nothing rewrites (yet)
            shown[i] = seq
            members[seq] = [by_seq[seq]]
    releases = sorted(set(shown.values()))
    best = {r: ranked(members[r], sort, False, MEMBERS)[1] for r in releases}
    info = {int(r[0]): r for r in _in_chunks(
        db, "SELECT seq, id, url, title, outlet, published_at, release_info FROM articles "
            "WHERE seq IN ({marks})", releases)}
    carried = {int(r[0]): (int(r[1]), int(r[2])) for r in _in_chunks(
        db, "SELECT l.release_seq, COUNT(*), COUNT(DISTINCT COALESCE(a.outlet, a.url)) FROM release_links l "
            "JOIN articles a ON a.seq = l.article_seq WHERE l.release_seq IN ({marks}) GROUP BY l.release_seq",
        releases)}
    listed = {int(r[0]): r for r in _in_chunks(
        db, "SELECT seq, id, url, title, outlet, published_at, kind FROM articles WHERE seq IN ({marks})",
        sorted({s for ordered in best.values() for s in ordered}))}
    for i, hit in enumerate(hits):
        release = shown.get(i)
        hit["release"] = None if release is None or release not in info else _group(
            info[release], carried.get(release, (0, 0)), len(members[release]),
            [listed[s] for s in best[release]])


def _group(row: tuple, carried: tuple[int, int], matched: int, articles: list[tuple]) -> dict[str, Any]:
    _, rid, url, title, outlet, published_at, info = row
    try:
        header = json.loads(info) if info else {}
    except ValueError:
        header = {}
    rewrites, outlets = carried
    return {
        "id": rid, "url": url, "title": title, "issuer": header.get("issuer") or outlet,
        "department": header.get("department"), "published_at": published_at,
        "outlets": outlets, "rewrites": rewrites, "matched": matched,
        "articles": [{"id": a[1], "url": a[2], "title": a[3], "outlet": a[4], "published_at": a[5],
                      "kind": a[6] or "article"} for a in articles],
    }

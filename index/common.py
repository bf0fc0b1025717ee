"""What both back ends share: record validation, ids and hashes, ranking, facets, hit and
export-record assembly. Pure Python over rows, so SQLite and PostgreSQL give the same answers.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Iterable

from index.base import QueryError, StoreError

FACET_LIMIT = 20  # organisation facet: the most frequent names only
FACET_SEP = "\n"  # joins names in articles.org_names / achievement_types
SORTS = ("relevance", "recency")  # relevance ties and recency ties: newer first
SORT_ALIASES = {"recent": "recency", "newest": "recency"}
STATUSES = ("new", "updated", "unchanged")
KINDS = ("article", "press_release")  # articles.kind: a news article, or a press release (+ its files)
TERMS_KEY = "_terms"  # a record's precomputed search terms (title, body), when its analysis made them


# SQLite: an article's outlet and source, kind and achievement types are also tokens of a fifth
# FTS5 column (`facet_t`, schema v15), so a filter on them beside words is one FTS5 expression:
# FTS5 intersects the two doclists itself, newest first, instead of SQLite looking every word
# match up in article_meta (`outlet:X 계약` on 1,000,000 articles: 45 ms counting 계약's 299,000
# matches against the outlet's rows). The month of publication is one too, so a range of whole
# months is the OR of its months' tokens. A token is a letter for the field and a hash of the
# value, so any outlet name, with spaces or punctuation, is one token no search word can spell.
FACET_COLUMN = "facet_t"
_FACET_PREFIX = {"outlet": "o", "type": "t", "kind": "k", "month": "m"}
FACET_FIELDS = ("outlet", "type", "kind")    # the query fields read as one token each


def facet_token(field: str, value: str) -> str:
    """The FTS5 token of an outlet:, type: or kind: value (`outlet:` names an outlet or a source)
    or of a month of publication (`2024-03`)."""
    return _FACET_PREFIX[field] + hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


def facet_text(outlet: str | None, source: str | None, kind: str | None, types: str,
               published_at: str | None = None) -> str:
    """An article's `facet_t` cell: its outlet's, source's, kind's, achievement types' and
    month's tokens (`types`: the achievement_types cell, FACET_SEP-joined; the month is
    `published_at`'s first seven characters, as the date filters compare them)."""
    tokens = [facet_token("outlet", v) for v in dict.fromkeys((outlet, source)) if v]
    if kind:
        tokens.append(facet_token("kind", kind))
    tokens += [facet_token("type", t) for t in types.split(FACET_SEP) if t]
    if published_at and len(published_at) >= 7:
        tokens.append(facet_token("month", published_at[:7]))
    return " ".join(tokens)


def article_id_for(key_url: str) -> str:
    """Stable id: the same canonical url gives the same id in any database."""
    return hashlib.sha1(key_url.encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\x00{body}".encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def text_value(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def strip_bidi(value: str | None) -> str | None:
    """The text without bidirectional control characters (embeddings, overrides, isolates,
    LRM/RLM): a stray U+202E in a title or a name would flip the text shown after it."""
    return None if value is None else _BIDI_CONTROLS.sub("", value)


def check_sort(sort: str) -> str:
    sort = SORT_ALIASES.get(sort, sort)
    if sort not in SORTS:
        raise QueryError(f"unknown sort '{sort}' (use relevance or recency)")
    return sort


def _span(value: Any) -> tuple[int, int]:
    start, end = value
    return int(start), int(end)


def _organization(org: dict[str, Any]) -> dict[str, Any]:
    """An organisation entry, checked and tidied (names never contain FACET_SEP)."""
    return {
        "name": " ".join(strip_bidi(str(org.get("name") or "")).split()),
        "kind": str(org.get("kind") or "other"),
        "surface": [str(s) for s in org.get("surface") or []],
        "mentions": [_span(m) for m in org.get("mentions") or []],
    }


def _achievement(ach: dict[str, Any]) -> dict[str, Any]:
    """An achievement entry; `row` holds its column values after (article_seq, position)."""
    amount = ach.get("amount") or {}
    approximate = amount.get("approximate")
    span = _span(ach["span"]) if ach.get("span") is not None else (None, None)
    kind = " ".join(str(ach.get("type") or "other").split())
    organization = strip_bidi(ach.get("organization"))
    confidence = ach.get("confidence")
    value = amount.get("value")
    if isinstance(value, str):
        value = float(value)
    return {
        "type": kind,
        "organization": organization,
        "row": [
            organization, ach.get("scope"), kind, value,
            amount.get("unit"), None if approximate is None else int(bool(approximate)),
            text_value(ach.get("date")), ach.get("evidence"), span[0], span[1],
            None if confidence is None else float(confidence),
            None if ach.get("counterparty") is None else " ".join(strip_bidi(str(ach["counterparty"])).split()),
            *_programme_cells(ach.get("programme")),
        ],
    }


def _programme_cells(programme: Any) -> tuple[str | None, str | None, str | None]:
    """achievements.programme, programme_body and programme_key of an entry's `programme`."""
    if not programme or not programme.get("name"):
        return None, None, None
    from nlp.programmes import programme_key

    name = " ".join(strip_bidi(str(programme["name"])).split())
    body = " ".join(strip_bidi(str(programme.get("body") or "")).split())
    return name, body or None, programme_key(name) or None


def analysis_of(record: dict[str, Any], url: str) -> tuple[list[dict], list[dict]]:
    """Checked organisations and achievements of a record (StoreError when malformed)."""
    try:
        organizations = [_organization(o) for o in record.get("organizations") or []]
        achievements = [_achievement(a) for a in record.get("achievements") or []]
    except (TypeError, ValueError, IndexError, AttributeError, KeyError) as exc:
        raise StoreError(f"record {url}: malformed organizations/achievements ({exc})") from None
    return [o for o in organizations if o["name"]], achievements


def prepare(record: dict[str, Any]) -> dict[str, Any]:
    """Validated, normalised copy of an input record (StoreError on a missing url)."""
    if not isinstance(record, dict):
        raise StoreError(f"record must be a mapping, not {type(record).__name__}")
    url = text_value(record.get("url"))
    canonical = text_value(record.get("canonical_url")) or url
    if not url or not canonical:
        raise StoreError("record has no url")
    title = strip_bidi(str(record.get("title") or ""))  # names and titles: no bidi controls
    body = str(record.get("body") or "")
    authors = record.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    organizations, achievements = analysis_of(record, url)
    kind = str(record.get("kind") or "article")
    if kind not in KINDS:
        raise StoreError(f"record {url}: kind {kind!r} is not one of {', '.join(KINDS)}")
    release = record.get("release")
    if release is not None and not isinstance(release, dict):
        raise StoreError(f"record {url}: release must be an object")
    release_info = json.dumps(release, ensure_ascii=False, sort_keys=True) if release else None
    return {
        "url": url,
        "canonical_url": canonical,
        "id": article_id_for(canonical),
        "outlet": strip_bidi(text_value(record.get("outlet"))),
        "source": strip_bidi(text_value(record.get("source"))),
        "title": title,
        "body": body,
        "published_at": text_value(record.get("published_at")),
        "modified_at": text_value(record.get("modified_at")),
        "fetched_at": text_value(record.get("fetched_at")),
        "authors": [strip_bidi(str(a)) for a in authors],
        "organizations": organizations,
        "achievements": achievements,
        "kind": kind,
        "release_info": release_info,
        # a release's header and files count as its content (articles hash as before)
        "hash": content_hash(title, body + ("\x00" + release_info if release_info else "")),
    }


def facet_columns(organizations: list[dict], achievements: list[dict]) -> tuple[str, str]:
    """articles.org_names (firms first, else in order) and achievement_types cells."""
    firm = {o["name"]: False for o in organizations}
    for org in organizations:
        firm[org["name"]] |= org["kind"] == "firm"
    names = sorted(firm, key=lambda name: not firm[name])
    types = dict.fromkeys(a["type"] for a in achievements)
    return FACET_SEP.join(names), FACET_SEP.join(types)


# ---------------------------------------------------------------- search rows

# Search rows are tuples (seq, score, story_id, published_at, outlet, org_names, types);
# lower scores rank first (bm25 is negative-better; PostgreSQL's rank is negated to match).


def facets(rows: list[tuple]) -> dict[str, dict[str, int]]:
    """Article counts by outlet, month, organisation (top FACET_LIMIT) and achievement type."""

    def split(index: int) -> list[str]:
        # one join and one split in C beat a split per row (thousands of rows per search)
        joined = FACET_SEP.join(r[index] for r in rows if r[index])
        return joined.split(FACET_SEP) if joined else []

    months = Counter(r[3][:7] for r in rows if r[3])
    return {
        "outlet": by_count(Counter(r[4] for r in rows if r[4] is not None)),
        "month": dict(sorted(months.items())),
        "organization": by_count(Counter(split(5)), FACET_LIMIT),
        "type": by_count(Counter(split(6))),
    }


def by_count(counter: Counter[str] | dict[str, int], limit: int | None = None) -> dict[str, int]:
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ordered[:limit] if limit else ordered)


def ranked(rows: list[tuple], sort: str, collapse: bool, n: int,
           groups: dict[int, Any] | None = None) -> tuple[int, list[int]]:
    """(total, seqs of the best n) for search rows; with collapse, one per story, its best.
    `groups` (seq -> a key, e.g. the press release an article rewrites) puts those articles
    in one group each instead of their story (the others keep theirs, or their own with
    collapse off); total then counts groups.

    Smaller keys rank first: score, then newer, then later stored; recency swaps the first
    two. Dates compare as ISO strings; missing dates rank oldest.
    """
    dates = {d: i for i, d in enumerate(sorted({r[3] or "" for r in rows}))}
    if sort == "relevance":
        keyed = (((r[1], -dates[r[3] or ""], -r[0]), r[0], r[2]) for r in rows)
    else:
        keyed = (((-dates[r[3] or ""], r[1], -r[0]), r[0], r[2]) for r in rows)
    if groups is not None:  # group keys are tuples: never equal to a story id or a seq
        keyed = ((key, seq, groups.get(seq) or (story if collapse else seq)) for key, seq, story in keyed)
        collapse = True
    if not collapse:
        return len(rows), [item[1] for item in heapq.nsmallest(n, keyed)]
    best: dict[str, tuple] = {}
    for item in keyed:
        current = best.get(item[2])
        if current is None or item[0] < current[0]:
            best[item[2]] = item
    return len(best), [item[1] for item in heapq.nsmallest(n, best.values())]


def hit(row: tuple, snippet: str, story_size: int) -> dict[str, Any]:
    """A search hit from (seq, id, url, title, outlet, published_at, body, story_id, org_names,
    kind)."""
    _, id_, url, title, outlet, published, _body, story_id, org_names, kind = row
    return {
        "id": id_,
        "url": url,
        "title": title,
        "outlet": outlet,
        "published_at": published,
        "snippet": snippet,
        "story_id": story_id,
        "story_size": story_size,
        "organizations": org_names.split(FACET_SEP) if org_names else [],
        "kind": kind or "article",
    }


# ---------------------------------------------------------------- export records


def number(value: Any) -> Any:
    """An amount as stored (PostgreSQL gives Decimal): int when whole, else float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def assemble_records(
    seqs: list[int],
    article_rows: Iterable[tuple],
    mention_rows: Iterable[tuple],
    org_rows: Iterable[tuple],
    achievement_rows: Iterable[tuple],
) -> list[dict[str, Any]]:
    """Export records, in the order of seqs, from the rows of the queries in `RECORD_SQL`."""
    rows = {r[0]: r for r in article_rows}
    mentions: dict[tuple[int, int], list[list[int]]] = {}
    for seq, pos, start, end in mention_rows:
        mentions.setdefault((seq, pos), []).append([start, end])
    orgs: dict[int, list[dict[str, Any]]] = {s: [] for s in seqs}
    for seq, pos, name, kind, surfaces in org_rows:
        orgs[seq].append(
            {"name": name, "kind": kind, "surface": json.loads(surfaces),
             "mentions": mentions.get((seq, pos), [])}
        )
    achievements: dict[int, list[dict[str, Any]]] = {s: [] for s in seqs}
    for r in achievement_rows:
        amount = None
        if r[3] is not None or r[4] is not None:
            amount = {"value": number(r[3]), "unit": r[4],
                      "approximate": None if r[5] is None else bool(r[5])}
        entry = {"type": r[1], "organization": r[2], "amount": amount, "date": r[6],
                 "evidence": r[7], "span": None if r[8] is None else [r[8], r[9]],
                 "confidence": r[10], "scope": r[11], "counterparty": r[12]}
        if r[13] is not None:  # stored only where one was found (schema v10 / PostgreSQL v8)
            entry["programme"] = {"name": r[13], "body": r[14]}
        achievements[r[0]].append(entry)
    out = []
    for seq in seqs:
        r = rows[seq]
        out.append(
            {"id": r[1], "url": r[2], "canonical_url": r[3], "outlet": r[4], "title": r[5],
             "published_at": r[6], "modified_at": r[7], "authors": json.loads(r[8]),
             "body": r[9], "story_id": r[10], "organizations": orgs[seq],
             "achievements": achievements[seq], "kind": r[11] or "article",
             "release": json.loads(r[12]) if r[12] else None}
        )
    return out


def record_queries(marks: str, mention_order: str = "rowid") -> tuple[str, str, str, str]:
    """The four SELECTs `assemble_records` needs, for `seq IN ({marks})`; mentions keep the
    order they were stored in (`mention_order`: SQLite's rowid, PostgreSQL's id)."""
    return (
        f"SELECT seq, id, url, canonical_url, outlet, title, published_at, modified_at, "
        f"authors, body, story_id, kind, release_info FROM articles WHERE seq IN ({marks})",
        f'SELECT article_seq, org_position, start, "end" FROM mentions '
        f"WHERE article_seq IN ({marks}) ORDER BY article_seq, org_position, {mention_order}",
        f"SELECT ao.article_seq, ao.position, o.name, o.kind, ao.surfaces "
        f"FROM article_orgs ao JOIN organizations o ON o.id = ao.org_id "
        f"WHERE ao.article_seq IN ({marks}) ORDER BY ao.article_seq, ao.position",
        f"SELECT article_seq, type, org_name, amount_value, amount_unit, approximate, date, "
        f"evidence, span_start, span_end, confidence, scope, counterparty, programme, programme_body FROM achievements "
        f"WHERE article_seq IN ({marks}) ORDER BY article_seq, position",
    )

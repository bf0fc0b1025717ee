"""Achievement folds kept at write time (index/folds.py) and the /api/achievements reads over
them (newsmine/achievements.py), on both back ends.

The reads are checked against a reference written here in plain Python over the raw rows —
filter every copy, fold by (story, organisation, type, amount), keep each fold's earliest
matching copy, count and sort — for many filter combinations over a generated index whose
copies differ in outlet, date and the kind the article gives the firm. The write side is
checked as copies arrive out of date order, an article's date changes, an organisation is
renamed, and an older index is upgraded.
"""

from __future__ import annotations

import itertools
import random
from typing import Any, Iterator

import pytest

from index_backends import Backend, older_fold_writes, older_pg_search_writes, older_sqlite_search_writes
from surfaces_fixtures import backend, fill, record  # noqa: F401

FIRMS = ["한빛정밀", "새벽소프트", "바다찬", "대박로봇", "푸른에너지"]
OUTLETS = ["호남경제뉴스", "전북새날신문", "익산투데이", "경인일보"]
PLACES = ["전북 익산", "경기도 수원시", "부산", "전북 군산"]
AMOUNTS = [(None, None, "규모는 밝히지 않았다"), (3500000000, "KRW", "약 35억 원 규모"),
           (120000000, "KRW", "1억 2천만 원 규모"), (3000000, "USD", "300만 달러 규모"), (50, "persons", "50명 규모"),
           (5000000000, "KRW", "50억 원 규모"), (100000000, "KRW", "1억 원 규모"), (30, "persons", "30명 규모")]
TYPES = ["contract", "export", "hiring", "selection"]


def _corpus(seed: int = 5) -> list[dict[str, Any]]:
    """18 stories of 1–4 copies: the copies share the text (one story) and differ in outlet,
    date and sometimes in the kind the article gives the firm."""
    rng = random.Random(seed)
    records = []
    for story in range(18):
        firm = rng.choice(FIRMS)
        place = rng.choice(PLACES)
        value, unit, phrase = rng.choice(AMOUNTS)
        kind = rng.choice(TYPES)
        body = (f"{place}의 기업 ㈜{firm}은 제{story}호 사업에서 {phrase}의 성과를 냈다고 {story + 1}일 밝혔다. "
                f"회사는 {story}번째 공장을 짓는다. {place} 지역 경제에 도움이 될 것으로 보인다.")
        evidence = body.split(". ")[0] + "."
        amount = None if value is None else {"value": value, "unit": unit, "approximate": False}
        for copy in range(rng.choice([1, 1, 2, 3, 4])):
            day = 1 + (story * 3 + rng.randint(0, 5)) % 27
            published = None if rng.random() < 0.05 else f"2024-{1 + story % 11:02d}-{day:02d}T09:00:00+09:00"
            org_kind = "firm" if rng.random() < 0.85 else "other"
            achievements = [{"type": kind, "organization": firm, "amount": amount, "date": None,
                             "evidence": evidence, "span": [0, len(evidence)], "confidence": 0.9, "scope": "firm"}]
            if rng.random() < 0.3:  # a second achievement of the same firm in the article
                achievements.append({**achievements[0], "type": "hiring", "amount": None})
            rec = record(f"https://n{copy}.example/{story}", rng.choice(OUTLETS), f"{firm} 소식 {story}", body,
                         published, [(firm, org_kind, f"㈜{firm}")], achievements)
            records.append(rec)
    rng.shuffle(records)  # copies arrive in any order
    return records


RECORDS = _corpus()


@pytest.fixture(scope="module")
def store(backend: Backend) -> Iterator[Any]:
    url = backend.url("folds")
    fill(url, RECORDS)
    from index import open_store

    s = open_store(url)
    yield s
    s.close()


def raw_rows(store: Any) -> list[dict[str, Any]]:
    with store.read() as db:
        rows = db.execute(
            "SELECT ach.article_seq, ach.position, a.id, a.story_id, ach.org_name, ach.org_kind, ach.type, "
            "ach.amount_value, ach.amount_unit, a.published_at, a.outlet, a.region, ach.fold_id, ach.fold_rank, "
            "ach.fold_size FROM achievements ach JOIN articles a ON a.seq = ach.article_seq").fetchall()
    keys = ("seq", "pos", "article", "story", "org", "kind", "type", "value", "unit", "pub", "outlet", "region",
            "fold_id", "fold_rank", "fold_size")
    return [dict(zip(keys, r)) for r in rows]


def fold_key(r: dict[str, Any]) -> tuple:
    return (r["story"], r["org"] or "", r["type"], None if r["value"] is None else float(r["value"]), r["unit"] or "")


def copy_order(r: dict[str, Any]) -> tuple:
    return (r["pub"] is None, r["pub"] or "", r["seq"], r["pos"])


def reference(rows: list[dict[str, Any]], f: dict[str, Any],
              matched: set[int] | None = None) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Ids in order and facets, computed the slow way (`matched`: the seqs the words match)."""
    from index.folds import amount_order
    from index.query import _date_bounds

    sizes: dict[tuple, int] = {}
    for r in rows:
        sizes[fold_key(r)] = sizes.get(fold_key(r), 0) + 1

    def meets(r: dict[str, Any]) -> bool:
        if f.get("type") and r["type"] != f["type"]:
            return False
        if f.get("min") and not (r["unit"] == f["min"][1] and r["value"] is not None and float(r["value"]) >= f["min"][0]):
            return False
        if f.get("max") and not (r["unit"] == f["max"][1] and r["value"] is not None and float(r["value"]) <= f["max"][0]):
            return False
        if f.get("kind") and r["kind"] != f["kind"]:
            return False
        if f.get("region") and r["region"] != f["region"]:
            return False
        if f.get("outlet") and r["outlet"] != f["outlet"]:
            return False
        if f.get("from") and not (r["pub"] and r["pub"] >= _date_bounds(f["from"])[0]):
            return False
        if f.get("to") and not (r["pub"] and r["pub"] < _date_bounds(f["to"])[1]):
            return False
        if matched is not None and r["seq"] not in matched:
            return False
        return not (f.get("org") and r["org"] != f["org"])

    shown: dict[tuple, dict[str, Any]] = {}
    for r in sorted(filter(meets, rows), key=copy_order):
        shown.setdefault(fold_key(r), r)
    picked = list(shown.values())
    by = f.get("sort", "date")

    def pub_desc(r: dict[str, Any]) -> tuple:  # newest first, undated last, then seq desc, position
        return (r["pub"] is None, "".join(chr(0x10FFFF - ord(c)) for c in (r["pub"] or "")), -r["seq"], r["pos"])

    if by == "date":
        picked.sort(key=pub_desc)
    elif by == "amount":
        picked.sort(key=lambda r: (amount_order(r["value"], r["unit"] or ""),
                                   -float(r["value"]) if r["value"] is not None else 0, *pub_desc(r)))
    else:
        picked.sort(key=lambda r: (-sizes[fold_key(r)], *pub_desc(r)))
    facets: dict[str, dict[str, int]] = {}
    for name, field in (("type", "type"), ("kind", "kind"), ("outlet", "outlet"), ("region", "region"),
                        ("unit", "unit")):
        for r in picked:
            key = r[field] if r[field] is not None else "(미상)"
            facets.setdefault(name, {})[key] = facets.get(name, {}).get(key, 0) + 1
    return [f"{r['article']}-{r['pos']}" for r in picked], facets


FILTERS = [
    {}, {"sort": "amount"}, {"sort": "story"}, {"type": "contract"}, {"type": "hiring", "sort": "story"},
    {"min": (100000000, "KRW")}, {"min": (100000000, "KRW"), "sort": "amount"}, {"kind": "firm"},
    {"kind": "other"}, {"region": "전북"}, {"region": "경기", "kind": "firm", "sort": "amount"},
    {"outlet": "익산투데이"}, {"outlet": "경인일보", "type": "contract"}, {"from": "2024-03"},
    {"from": "2024-02", "to": "2024-06", "sort": "story"}, {"to": "2024-05", "kind": "firm"},
    {"org": "한빛정밀"}, {"org": "바다찬", "outlet": "호남경제뉴스"}, {"type": "export", "min": (1000000, "USD")},
    # amount bounds on a bucket edge (index/folds.py) and inside one, alone and together
    {"min": (3000000000, "KRW")}, {"min": (120000000, "KRW"), "sort": "amount"}, {"max": (3500000000, "KRW")},
    {"min": (100000000, "KRW"), "max": (5000000000, "KRW")}, {"min": (3500000000, "KRW"), "max": (4000000000, "KRW")},
    {"type": "hiring", "max": (50, "persons")}, {"min": (40, "persons")}, {"min": (30, "persons"), "max": (30, "persons")},
    {"max": (3000000, "USD"), "type": "contract"}, {"min": (5000000000, "KRW"), "region": "전북"},
    # words (matched once per request; on PostgreSQL bound as an array), alone and with others
    {"q": "수원시"}, {"q": "부산", "type": "contract", "sort": "amount"}, {"q": "군산", "kind": "firm"},
    {"q": "한빛정밀 OR 부산", "from": "2024-03", "sort": "story"},
]
AMOUNT_TEXT = {1000000: "100만달러", 3000000: "300만달러", 100000000: "1억", 120000000: "1억2천만", 3000000000: "30억",
               3500000000: "35억", 4000000000: "40억", 5000000000: "50억", 30: "30명", 40: "40명", 50: "50명"}


def as_filters(f: dict[str, Any]) -> Any:
    from newsmine.achievements import Filters

    return Filters(query=f.get("q"), types=(f["type"],) if f.get("type") else (), kind=f.get("kind"),
                   region=f.get("region"),
                   outlet=f.get("outlet"), date_from=f.get("from"), date_to=f.get("to"), org=f.get("org"),
                   min_amount=AMOUNT_TEXT[f["min"][0]] if f.get("min") else None,
                   max_amount=AMOUNT_TEXT[f["max"][0]] if f.get("max") else None, sort=f.get("sort", "date"))


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_reads_match_the_reference(store: Any, f: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from newsmine import achievements
    from newsmine.achievements import list_achievements

    rows = raw_rows(store)
    matched = None
    if f.get("q"):  # what search matches, through the store's own search path
        with store.read() as db:
            matched = set(store._matching_seqs(db, f["q"]))
        assert matched and len(matched) < len({r["seq"] for r in rows})
    want, facets = reference(rows, f, matched)
    filters = as_filters(f)
    got = list_achievements(store, filters, limit=1000)
    assert [a["id"] for a in got["achievements"]] == want
    assert got["total"] == len(want)
    for name, counts in facets.items():
        assert got["facets"][name] == dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))), name
    # a page is a slice of the whole (the first copies walk their sort index past WALK_FROM)
    page = list_achievements(store, filters, limit=3, offset=2)
    assert [a["id"] for a in page["achievements"]] == want[2:5]
    monkeypatch.setattr(achievements, "WALK_FROM", 1)
    for offset in (0, 2, 7):
        page = list_achievements(store, filters, limit=3, offset=offset)
        assert [a["id"] for a in page["achievements"]] == want[offset:offset + 3]


def test_fold_columns_after_copies_arrive_in_any_order(store: Any) -> None:
    rows = raw_rows(store)
    folds: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        folds.setdefault(fold_key(r), []).append(r)
    assert any(len(v) > 1 for v in folds.values())
    for copies in folds.values():
        copies.sort(key=copy_order)
        assert [r["fold_rank"] for r in copies] == list(range(1, len(copies) + 1))
        assert {r["fold_size"] for r in copies} == {len(copies)}
        assert {r["fold_id"] for r in copies} == {copies[0]["seq"] * (1 << 16) + copies[0]["pos"]}


def test_an_earlier_copy_and_a_changed_date_rerank_the_fold(backend: Backend) -> None:
    from index import open_store
    from newsmine.achievements import Filters, list_achievements

    story = [r for r in RECORDS if r["url"].endswith("/0")][:1] or RECORDS[:1]
    first = {**story[0], "url": "https://late.example/0", "canonical_url": "https://late.example/0",
             "published_at": "2024-03-01T09:00:00+09:00", "outlet": "익산투데이"}
    earlier = {**first, "url": "https://early.example/0", "canonical_url": "https://early.example/0",
               "published_at": "2024-02-01T09:00:00+09:00", "outlet": "경인일보"}
    url = backend.url("rerank")
    fill(url, [first])
    with open_store(url) as store:
        assert [a["outlet"] for a in list_achievements(store, Filters())["achievements"]][0] == "익산투데이"
    fill(url, [earlier])  # an earlier copy arrives later: it becomes the fold's first copy
    with open_store(url) as store:
        rows = list_achievements(store, Filters())["achievements"]
        assert rows[0]["outlet"] == "경인일보" and rows[0]["story_size"] == 2
    fill(url, [{**earlier, "published_at": "2024-04-01T09:00:00+09:00", "body": earlier["body"] + " 수정."}])
    with open_store(url) as store:  # its date moved after the other copy's
        assert list_achievements(store, Filters())["achievements"][0]["outlet"] == "익산투데이"


def test_an_older_index_gets_its_folds_on_opening(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index written before the fold columns (SQLite v10, PostgreSQL v8) is filled on
    opening with what the write path would have written."""
    from index import folds, open_store
    from index.folds import _ROWS, fold_rows

    url = backend.url("older_folds")
    if backend.name == "sqlite":
        from index.sqlite import SQLiteStore as Store

        old_version = 10
        path = url
    else:
        from index.postgres import PostgresStore as Store

        old_version = 8
        path = url
    with monkeypatch.context() as patch:  # today's write path on the older schema, minus the folds
        patch.setattr(folds, "refold", lambda *args, **kwargs: None)
        if backend.name == "postgresql":
            older_pg_search_writes(patch)
        else:
            older_sqlite_search_writes(patch)
        old = Store(path, schema_version=old_version)
        try:
            old.upsert_many([dict(r) for r in RECORDS[:20]])
        finally:
            old.close()
    with open_store(url) as store:
        rows = raw_rows(store)
        assert rows and all(r["fold_rank"] is not None for r in rows)
        stories = sorted({r["story"] for r in rows})
        with store.read() as db:
            assert fold_rows(db.execute(_ROWS.format(marks=", ".join("?" for _ in stories)), stories).fetchall()) == []


def test_renaming_an_organisation_refolds(backend: Backend) -> None:
    from index import open_store

    url = backend.url("rename")
    body = "㈜에이치비정밀은 35억 원 규모의 계약을 맺었다고 밝혔다."
    ach = [{"type": "contract", "organization": "HB정밀", "amount": {"value": 3500000000, "unit": "KRW",
            "approximate": False}, "date": None, "evidence": body, "span": [0, len(body)], "confidence": 0.9,
            "scope": "firm"}]
    one = record("https://a.example/1", "익산투데이", "계약", body, "2024-01-02T09:00:00+09:00",
                 [("HB정밀", "firm", "㈜에이치비정밀")], ach)
    with open_store(url) as store:
        store.upsert_many([one])
        with store.write() as db:  # the index learns the better name: the old one becomes an alias
            org_id = db.execute("SELECT id FROM organizations WHERE name = 'HB정밀'").fetchone()[0]
            store._rename_org(db, org_id, "HB정밀", "에이치비정밀", "firm")
        rows = raw_rows(store)
    assert [(r["org"], r["fold_rank"], r["fold_size"]) for r in rows] == [("에이치비정밀", 1, 1)]


def test_every_filter_combination_is_valid_sql(store: Any) -> None:
    """Each per-copy filter with each shared one and each sort runs on this back end."""
    from newsmine.achievements import Filters, list_achievements

    shared = [{}, {"types": ("contract",)}, {"min_amount": "1억"}, {"org": "한빛정밀"}]
    per_copy = [{}, {"kind": "firm"}, {"region": "전북"}, {"outlet": "경인일보"}, {"date_from": "2024-02"},
                {"query": "공장"}]
    for a, b, sort in itertools.product(shared, per_copy, ("date", "amount", "story")):
        list_achievements(store, Filters(**a, **b, sort=sort), limit=5)


def test_unfiltered_requests_read_indexes_of_the_first_copies(tmp_path: Any) -> None:
    """The first page of /api/achievements neither folds nor sorts at read time: its facets
    are the counts kept at write time (and, under any shared filter, come from a covering index
    of the first copies) and its rows from the index of their order (SQLite's plans; the
    timings are in bench/RESULTS.md)."""
    from index import open_store
    from newsmine.achievements import FACETS, ORDERS, Filters, _shown

    url = str(tmp_path / "plans.sqlite")
    fill(url, RECORDS)
    with open_store(url) as store, store.read() as db:
        db.execute("ANALYZE")
        for sort in ("date", "amount", "story"):
            where, params = _shown(store, db, Filters(sort=sort).check(), walk=True)
            page = " | ".join(r[3] for r in db.execute(
                f"EXPLAIN QUERY PLAN SELECT ach.article_seq FROM achievements ach WHERE {where} "
                f"ORDER BY {ORDERS[sort]} LIMIT 20", params))
            assert "achievements_first" in page and "B-TREE" not in page, (sort, page)
        where, params = _shown(store, db, Filters().check())
        columns = ", ".join(expr for _, expr in FACETS)
        facets = " | ".join(r[3] for r in db.execute(
            f"EXPLAIN QUERY PLAN SELECT {columns}, COUNT(*) FROM achievements ach WHERE {where} GROUP BY {columns}",
            params))
    assert "COVERING INDEX achievements_first_facets" in facets and "B-TREE" not in facets, facets
    assert "OVER" not in where and "articles" not in where
    from newsmine import achievements

    seen: list[str] = []
    original = achievements.run
    with open_store(url) as store:
        achievements.run = lambda db, sql, params=(): seen.append(sql) or original(db, sql, params)
        try:
            achievements.list_achievements(store, Filters(types=("contract",)))
        finally:
            achievements.run = original
    counts = [sql for sql in seen if "GROUP BY" in sql]
    assert len(counts) == 1 and "FROM achievement_facets" in counts[0], seen


# ---------------------------------------------------------------- facet counts kept at write time


def kept_facets(store: Any) -> dict[tuple, int]:
    """achievement_facets as {(type, facet, key or None): n}, zero counts left out."""
    with store.read() as db:
        rows = db.execute("SELECT type, facet, known, key, n FROM achievement_facets").fetchall()
    return {(t, facet, key if int(known) else None): int(n) for t, facet, known, key, n in rows if int(n)}


def recounted_facets(store: Any) -> dict[tuple, int]:
    """The same counted afresh from the first copies."""
    from index.folds import FACET_COLUMNS

    out: dict[tuple, int] = {}
    with store.read() as db:
        for name, column in FACET_COLUMNS:
            for t, key, n in db.execute(f"SELECT type, {column}, COUNT(*) FROM achievements WHERE fold_rank = 1 "
                                        f"GROUP BY type, {column}").fetchall():
                out[(t, name, key)] = int(n)
    return out


def kept_amounts(store: Any) -> dict[tuple, int]:
    """achievement_amounts as {(unit, bucket, type, facet, key or None): n}, zero counts left out."""
    with store.read() as db:
        rows = db.execute("SELECT unit, bucket, type, facet, known, key, n FROM achievement_amounts").fetchall()
    return {(u, int(b), t, facet, key if int(known) else None): int(n) for u, b, t, facet, known, key, n in rows
            if int(n)}


def recounted_amounts(store: Any) -> dict[tuple, int]:
    """The same counted afresh from the first copies with an amount, buckets found in Python."""
    from index.folds import FACET_COLUMNS, amount_bucket

    out: dict[tuple, int] = {}
    columns = ", ".join(column for _, column in FACET_COLUMNS)
    with store.read() as db:
        rows = db.execute(f"SELECT amount_value, {columns} FROM achievements WHERE fold_rank = 1 "
                          "AND amount_value IS NOT NULL AND amount_unit IS NOT NULL").fetchall()
    for value, *keys in rows:
        values = dict(zip((column for _, column in FACET_COLUMNS), keys))
        for name, column in FACET_COLUMNS:
            key = (values["amount_unit"], amount_bucket(value), values["type"], name, values[column])
            out[key] = out.get(key, 0) + 1
    return out


def kept_ranks(store: Any) -> dict[tuple, int]:
    """The counts kept per rank (index/folds.py RANKS) as {(rank, lead values…, type, facet, key or None): n}."""
    from index.folds import RANKS, rank_counts_table

    out: dict[tuple, int] = {}
    with store.read() as db:
        for name, columns in RANKS:
            for row in db.execute(f"SELECT {', '.join(columns)}, type, facet, known, key, n "
                                  f"FROM {rank_counts_table(name)}").fetchall():
                *lead, t, facet, known, key, n = row
                if int(n):
                    out[(name, *lead, t, facet, key if int(known) else None)] = int(n)
    return out


def recounted_ranks(store: Any) -> dict[tuple, int]:
    """The same from the raw rows: each copy's rank among its fold's copies of the same values,
    found in Python (copy order, as the reference folds), and the rank-1 copies counted."""
    from index.folds import FACET_COLUMNS, RANKS

    with store.read() as db:
        extra = db.execute("SELECT article_seq, position, type, org_kind, amount_unit, region, outlet, year "
                           "FROM achievements").fetchall()
    cells = {(r[0], r[1]): dict(zip(("type", "org_kind", "amount_unit", "region", "outlet", "year"), r[2:]))
             for r in extra}
    folds: dict[tuple, list[dict[str, Any]]] = {}
    for r in raw_rows(store):
        folds.setdefault(fold_key(r), []).append(r)
    out: dict[tuple, int] = {}
    for copies in folds.values():
        copies.sort(key=copy_order)
        for name, columns in RANKS:
            seen: set[tuple] = set()
            for r in copies:
                row = cells[(r["seq"], r["pos"])]
                values = tuple(row[c] for c in columns)
                if values in seen or None in values:
                    seen.add(values)
                    continue
                seen.add(values)
                for facet, column in FACET_COLUMNS:
                    key = (name, *values, row["type"], facet, row[column])
                    out[key] = out.get(key, 0) + 1
    return out


def assert_kept(store: Any) -> None:
    assert kept_facets(store) == recounted_facets(store) != {}
    assert kept_amounts(store) == recounted_amounts(store) != {}
    assert kept_ranks(store) == recounted_ranks(store) != {}


def test_kept_facet_counts_follow_every_write(backend: Backend) -> None:
    """Inserts, copies arriving out of order, a changed date, a changed amount, a re-analysis
    that drops an achievement, a renamed organisation: the kept counts (by type, and by amount
    bucket) always equal a recount."""
    from index import open_store

    url = backend.url("facet_counts")
    with open_store(url) as store:
        store.upsert_many([dict(r) for r in RECORDS[:25]])
        assert_kept(store)
        store.upsert_many([dict(r) for r in RECORDS[25:]])
        assert_kept(store)
        moved = {**RECORDS[0], "published_at": "2023-12-31T09:00:00+09:00", "outlet": "경인일보",
                 "body": RECORDS[0]["body"] + " 수정."}
        store.upsert_many([moved])  # a new date, outlet and year: the fold may change its first copy
        assert_kept(store)
        with store.read() as db:  # a first copy of a fold of several copies
            seq = db.execute("SELECT article_seq FROM achievements WHERE fold_rank = 1 AND fold_size > 1 "
                             "ORDER BY article_seq LIMIT 1").fetchone()[0]
        target = next(t for t in store.reprocess_targets(limit=1000) if t["seq"] == seq)
        assert store.rewrite_analysis([{**target, "organizations": [], "achievements": []}]) == 1
        assert_kept(store)  # its next copy is the first now
        with store.read() as db:  # an amount moves to another bucket
            seq = db.execute("SELECT article_seq FROM achievements WHERE fold_rank = 1 AND amount_unit = 'KRW' "
                             "ORDER BY article_seq LIMIT 1").fetchone()[0]
        target = next(t for t in store.reprocess_targets(limit=1000) if t["seq"] == seq)
        rec = next(r for r in RECORDS if r["url"] == target["url"])
        bigger = [{**a, "amount": {"value": 7700000000, "unit": "KRW", "approximate": False}}
                  for a in rec["achievements"]]
        assert store.rewrite_analysis([{**target, "organizations": rec["organizations"],
                                        "achievements": bigger}]) == 1
        assert_kept(store)
        assert any(k[:2] == ("KRW", 33) for k in kept_amounts(store))  # 77억: [50억, 100억)
        with store.write() as db:
            org_id, name = db.execute("SELECT id, name FROM organizations WHERE name = '한빛정밀'").fetchone()
            store._rename_org(db, org_id, name, "한빛정밀공업", "firm")
        assert_kept(store)


def test_amount_buckets_in_python_and_sql_agree(tmp_path: Any) -> None:
    """amount_bucket (the bounds' bucket, in Python) and AMOUNT_BUCKET (the rows', in SQL) put
    every value on the same side of every edge, edges and their neighbours included."""
    import sqlite3

    from index.folds import AMOUNT_EDGES, amount_bucket, bucket_sql

    values = [-5, 0, 0.5, 0.999, *{v for e in AMOUNT_EDGES for v in (e - 1, e, e + 0.5, e + 1)}, 10**17]
    conn = sqlite3.connect(tmp_path / "b.sqlite")
    conn.execute("CREATE TABLE t (v NUMERIC)")
    conn.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    got = dict(conn.execute(f"SELECT v, {bucket_sql('v')} FROM t").fetchall())
    assert got == {v: amount_bucket(v) for v in got}
    assert [amount_bucket(e) for e in AMOUNT_EDGES] == list(range(1, len(AMOUNT_EDGES) + 1))
    assert amount_bucket(0.5) == 0 and amount_bucket(10**17) == len(AMOUNT_EDGES)


AMOUNT_BOUNDS = [("1억", None), (None, "1억"), ("1억2천만", None), (None, "1억2천만"), ("30억", "50억"),
                 ("35억", "35억"), ("2억9천만", "35억"), ("5천만", "50억"), ("50억", None), ("60억", None),
                 ("30명", None), ("40명", "50명"), (None, "30명"), ("0.5명", None), (None, "0.5명"),
                 ("100만달러", None), (None, "300만달러")]


@pytest.mark.parametrize("low,high", AMOUNT_BOUNDS, ids=lambda b: str(b))
def test_amount_facets_from_buckets_match_the_count(store: Any, low: str | None, high: str | None) -> None:
    """The facets of amount bounds from the kept bucket counts (plus the rows of a cut bucket)
    equal those of the GROUP BY over the first copies, and only the cut buckets' rows are read."""
    from newsmine import achievements
    from newsmine.achievements import Filters, list_achievements

    for types in ((), ("contract",), ("hiring", "export")):
        f = Filters(types=types, min_amount=low, max_amount=high)
        seen: list[str] = []
        original = achievements.run
        achievements.run = lambda db, sql, params=(): seen.append(sql) or original(db, sql, params)
        try:
            kept = list_achievements(store, f, limit=1000)
        finally:
            achievements.run = original
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(achievements, "_amount_kept", lambda _f: False)
            counted = list_achievements(store, Filters(types=types, min_amount=low, max_amount=high), limit=1000)
        assert kept == counted
        # kept counts summed unless no whole bucket lies between the bounds
        assert any("FROM achievement_amounts" in sql for sql in seen) or (low, high) in {
            ("35억", "35억"), ("40명", "50명"), (None, "0.5명")}, seen


def older_index(backend: Backend, label: str, sqlite_version: int, pg_version: int) -> str:
    """The URL of an index of RECORDS written by today's write path on an older schema."""
    if backend.name == "sqlite":
        from index.sqlite import SQLiteStore as Store
    else:
        from index.postgres import PostgresStore as Store  # type: ignore[assignment]
    url = backend.url(label)
    with pytest.MonkeyPatch.context() as patch:
        older_fold_writes(patch)
        if backend.name == "postgresql" and pg_version < 12:
            older_pg_search_writes(patch)
        elif backend.name == "sqlite" and sqlite_version < 15:
            older_sqlite_search_writes(patch)
        old = Store(url, schema_version=sqlite_version if backend.name == "sqlite" else pg_version)
        try:
            old.upsert_many([dict(r) for r in RECORDS])
        finally:
            old.close()
    return url


def test_an_index_before_the_kept_counts_gets_them_on_opening(backend: Backend) -> None:
    """SQLite v11 / PostgreSQL v9 (folds, no kept counts): opening fills achievement_facets, and
    the first page's facets equal those of the GROUP BY over the first copies."""
    from index import open_store
    from newsmine import achievements
    from newsmine.achievements import Filters, list_achievements

    url = older_index(backend, "older_facets", sqlite_version=11, pg_version=9)
    with open_store(url) as store:
        assert kept_facets(store) == recounted_facets(store) != {}
        for f in (Filters(), Filters(types=("contract", "hiring"))):
            kept = list_achievements(store, f, limit=1)["facets"]
            original = achievements._type_only
            achievements._type_only = lambda _f: False  # the GROUP BY over the first copies
            try:
                counted = list_achievements(store, f, limit=1)["facets"]
            finally:
                achievements._type_only = original
            assert kept == counted and list(kept["outlet"]) == list(counted["outlet"])


def test_an_index_before_the_bucket_counts_gets_them_on_opening(backend: Backend) -> None:
    """SQLite v12 / PostgreSQL v10 (kept counts by type, none by amount): opening fills
    achievement_amounts, and amount-bound facets equal those of the GROUP BY."""
    from index import open_store
    from newsmine import achievements
    from newsmine.achievements import Filters, list_achievements

    url = older_index(backend, "older_amounts", sqlite_version=12, pg_version=10)
    with open_store(url) as store:
        assert_kept(store)
        for f in (Filters(min_amount="1억"), Filters(types=("contract",), min_amount="1억2천만", max_amount="50억")):
            kept = list_achievements(store, f, limit=5)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(achievements, "_amount_kept", lambda _f: False)
                assert list_achievements(store, f, limit=5) == kept


def test_an_index_before_the_ranks_gets_them_on_opening(backend: Backend) -> None:
    """SQLite v15 / PostgreSQL v15 (no ranks among agreeing copies): opening ranks every copy and
    fills the counts kept per rank, and a region, an outlet or a kind is answered from them with
    the facets, rows and order of the probe for an earlier copy."""
    from index import open_store
    from newsmine import achievements
    from newsmine.achievements import Filters, list_achievements

    url = older_index(backend, "older_ranks", sqlite_version=15, pg_version=15)
    with open_store(url) as store:
        assert_kept(store)
        seen: list[str] = []
        requests = [Filters(region="전북"), Filters(region="경기", kind="firm", sort="amount"),
                    Filters(outlet="익산투데이", types=("contract",)), Filters(kind="other", sort="story"),
                    Filters(region="전북", min_amount="1억")]
        for f in requests:
            with pytest.MonkeyPatch.context() as patch:
                run = achievements.run
                patch.setattr(achievements, "run", lambda db, sql, params=(): seen.append(sql) or run(db, sql, params))
                kept = list_achievements(store, f, limit=1000)
            assert kept["total"] > 0
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(achievements, "_rank", lambda db, f: None)   # the probe for an earlier copy
                assert list_achievements(store, f, limit=1000) == kept
        assert sum("_counts WHERE" in sql for sql in seen) == 4   # the amount bound counts its rows
        assert not any("NOT EXISTS" in sql for sql in seen)


def test_common_words_read_the_achievements_of_their_newest_matches(store: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Words matching more than WINDOW_FROM articles, a page by date: the achievements of the
    store's search window (its newest matches), the total scaled from it and marked approx;
    `exact_total`, another sort or a page past the window's rows read every match."""
    from newsmine import achievements
    from newsmine.achievements import list_achievements

    f = {"q": "회사"}                       # every article: "회사는 …번째 공장을 짓는다"
    rows = raw_rows(store)
    with store.read() as db:
        matched = set(store._matching_seqs(db, f["q"]))
    assert matched == {r["seq"] for r in rows}
    want, _ = reference(rows, f, matched)
    monkeypatch.setattr(achievements, "WINDOW_FROM", 10)
    monkeypatch.setattr(store, "WINDOW", 8)
    newest = sorted(matched, reverse=True)[:8]
    in_window, facets = reference(rows, f, set(newest))
    got = list_achievements(store, as_filters(f), limit=3)
    assert got["total_relation"] == "approx"
    assert [a["id"] for a in got["achievements"]] == in_window[:3]
    assert sum(got["facets"]["type"].values()) == len(in_window)
    assert got["facets"]["type"] == dict(sorted(facets["type"].items(), key=lambda kv: (-kv[1], kv[0])))
    assert got["total"] == round(len(in_window) * len(matched) / 8)
    exact = list_achievements(store, as_filters(f), limit=1000, exact_total=True)
    assert "total_relation" not in exact and [a["id"] for a in exact["achievements"]] == want
    beyond = list_achievements(store, as_filters(f), limit=3, offset=len(in_window) - 1)
    assert "total_relation" not in beyond and [a["id"] for a in beyond["achievements"]] == \
        want[len(in_window) - 1:len(in_window) + 2]
    by_amount = list_achievements(store, as_filters({**f, "sort": "amount"}), limit=1000)
    assert "total_relation" not in by_amount and by_amount["total"] == len(want)
    few = list_achievements(store, as_filters({"q": "수원시"}), limit=1000)   # under WINDOW_FROM articles
    assert "total_relation" not in few
    # with a type: the newest matches, and if they hold too few rows of it for the page, the
    # newest matches holding one
    typed = {**f, "type": "hiring"}
    in_window, _ = reference(rows, typed, set(newest))
    got = list_achievements(store, as_filters(typed), limit=1)
    assert len(in_window) >= 1 and [a["id"] for a in got["achievements"]] == in_window[:1]
    assert got["total"] == round(len(in_window) * len(matched) / 8)
    holding = sorted({r["seq"] for r in rows if r["type"] == "hiring"}, reverse=True)[:8]
    in_typed, _ = reference(rows, typed, set(holding))
    assert len(in_window) < 5 <= len(in_typed)
    got = list_achievements(store, as_filters(typed), limit=5)
    assert got["total_relation"] == "approx" and [a["id"] for a in got["achievements"]] == in_typed[:5]
    assert got["total"] == round(len(in_typed) * len({r["seq"] for r in rows if r["type"] == "hiring"}) / 8)

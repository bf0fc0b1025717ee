"""Partial names, organisation identity, re-processing and schema migrations, on both back ends."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from conftest import DATA
from index import open_store
from index.orgmatch import OrgMatcher, is_known, match_key, same_firm
from index.reprocess import STATE_KEY, reindex
from index.sqlite import article_id_for
from index_backends import (
    BACKENDS, PG_URL, backend_for, make_backend, older_fold_writes, older_pg_search_writes, row_counts,
)

BODY = (
    "㈜아이티스테이션은 최근 경기도의 한 공공기관과 약 20억 원 규모의 통합관제 시스템 납품 "
    "계약을 맺었다고 11일 밝혔다. 전북디지털융합센터는 지역 기업의 판로 개척을 돕고 있다."
)


def _org(name: str, kind: str, body: str, surface: str) -> dict:
    start = body.index(surface)
    return {"name": name, "kind": kind, "surface": [surface], "mentions": [[start, start + len(surface)]]}


def _record(n: int, firm: str, surface: str | None = None, day: str = "11", kind: str = "firm") -> dict:
    surface = surface or firm
    body = f"{surface} 관계자는 올해 새 공장을 짓고 청년 {n}명을 채용했다고 {day}일 밝혔다. " + BODY
    return {
        "url": f"https://example.test/{n}",
        "title": f"기사 {n}",
        "outlet": "뉴스스텝",
        "published_at": f"2024-09-{day}",
        "body": body,
        "organizations": [
            _org(firm, kind, body, surface),
            _org("전북디지털융합센터", "public", body, "전북디지털융합센터"),
        ],
        "achievements": [{"type": "hiring", "organization": firm, "amount": {"value": n, "unit": "persons"},
                          "span": [0, 20], "evidence": "채용", "scope": "firm"}],
    }


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    yield from make_backend(request, tmp_path_factory)


@pytest.fixture
def store(backend):
    s = backend.open()
    yield s
    s.close()


def _org_names(store, n: int) -> list[str]:
    return [o["name"] for o in store.get_article(article_id_for(f"https://example.test/{n}"))["organizations"]]


# ------------------------------------------------------------ partial names (trigram)


def test_partial_firm_names_find_the_firm(store):
    store.upsert_many([_record(1, "아이티스테이션", "㈜아이티스테이션"), _record(2, "텔로스", "(주)텔로스")])
    assert store.search("스테이션", collapse=False)["total"] == 2  # every record names the firm
    result = store.search("이티스테이", collapse=False)
    assert result["total"] == 2
    assert "«아이티스테이션»" in result["hits"][0]["snippet"]
    assert store.search("디지털융합센", collapse=False)["total"] == 2
    assert store.search("스테이션 -텔로스", collapse=False)["total"] == 1
    assert store.search("텔로스")["total"] == 1
    assert store.search("%텔_")["total"] == 0  # LIKE wildcards are text


# ------------------------------------------------------------ organisation identity


def test_spelling_variants_keep_one_id(store):
    store.upsert_article(_record(1, "아이티스테이션", "㈜아이티스테이션"))
    store.upsert_article(_record(2, "아이티스테이숀", "㈜아이티스테이숀"))  # a typo
    store.upsert_article(_record(3, "IT스테이션"))  # Latin letters for the Hangul reading
    store.upsert_article(_record(4, "한빛정밀"))
    store.upsert_article(_record(5, "한빛정밀산업"))  # a different firm
    store.upsert_article(_record(6, "아이티스테이션", kind="other"))  # other kind: its own id
    assert _org_names(store, 2)[0] == "아이티스테이션"
    assert _org_names(store, 3)[0] == "아이티스테이션"
    assert _org_names(store, 5)[0] == "한빛정밀산업"
    assert store.search("firm:아이티스테이션", collapse=False)["total"] == 3
    assert store.search("firm:아이티스테이숀", collapse=False)["total"] == 3  # the alias too
    assert store.search("firm:한빛정밀", collapse=False)["total"] == 1
    facet = store.search("채용", collapse=False)["facets"]["organization"]
    assert facet["아이티스테이션"] == 4 and "아이티스테이숀" not in facet
    record = store.get_article(article_id_for("https://example.test/2"))
    assert record["achievements"][0]["organization"] == "아이티스테이션"
    assert record["organizations"][0]["surface"] == ["㈜아이티스테이숀"]  # the text's own spelling
    assert store.summary()["organizations"] == {"firm": 3, "other": 1, "public": 1}


def test_a_listed_name_replaces_a_typo_seen_first(store):
    listed = "에이프로젠바이오로직스"
    assert is_known(listed)
    store.upsert_article(_record(1, "에이프로젠바이오로직즈"))  # typo first
    store.upsert_article(_record(2, listed))
    assert _org_names(store, 1)[0] == listed
    assert _org_names(store, 2)[0] == listed
    assert store.search(f"firm:{listed}", collapse=False)["total"] == 2
    assert store.search("firm:에이프로젠바이오로직즈", collapse=False)["total"] == 2
    assert store.get_article(article_id_for("https://example.test/1"))["achievements"][0]["organization"] == listed
    assert store.search("채용", collapse=False)["hits"][0]["organizations"][0] == listed
    assert row_counts(store).get("meta_mismatch", 0) == 0


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("아이티스테이션", "아이티스테이숀", True),
        ("아이티스테이션", "IT스테이션", True),
        ("LG전자", "엘지전자", True),
        ("KT&G", "케이티앤지", True),
        ("전북디지털융합센터", "전북디지탈융합센터", True),
        ("전북디지털융합센터", "전북 디지털·융합센터", True),
        ("한빛정밀", "한빛정밀산업", False),  # one contains the other
        ("대성홀딩스", "대상홀딩스", False),  # short: only exact readings
        ("해양교통관제센터", "해상교통관제센터", False),  # differs in the first syllables
        ("케이엠더블유", "케이엔더블유", False),
        ("KMW", "KNW", False),
        ("제1공장솔루션즈", "제2공장솔루션즈", False),  # digits differ
    ],
)
def test_same_firm(a, b, same):
    assert same_firm(a, b) is same


def test_no_two_listed_companies_merge():
    with (DATA / "gazetteer" / "krx_companies.csv").open(encoding="utf-8", newline="") as handle:
        names = sorted({r["name"].replace(" ", "") for r in csv.DictReader(handle) if r["kind"] == "company"})
    matcher = OrgMatcher()
    merged = []
    for org_id, name in enumerate(names, start=1):
        found = matcher.find(name, "firm")
        if found is not None:
            merged.append((name, found[1]))
        matcher.add(org_id, name, "firm")
    # only the same name spelled in Latin and in Hangul (KT = 케이티) may meet
    assert merged and all(match_key(a) == match_key(b) for a, b in merged)


# ------------------------------------------------------------ re-processing


def _fake_enrich(calls: list):
    def enrich(record: dict) -> dict:
        calls.append(record["seq"])
        body = record["body"]
        record["organizations"] = [_org("새모델기관", "public", body + "새모델기관", "새모델기관")]
        record["organizations"][0]["mentions"] = []
        record["achievements"] = [{"type": "award", "organization": None, "span": None}]
        return record

    return enrich


def test_reindex_rewrites_analysis_and_resumes(store):
    store.upsert_many([_record(n, "아이티스테이션", day=f"{10 + n}") for n in range(1, 6)])
    before = row_counts(store)
    bodies = {r["id"]: r["body"] for r in store.iter_records()}
    calls: list[int] = []
    state = reindex(store, enrich=_fake_enrich(calls), batch=2, limit=3, progress=False)
    assert state["processed"] == 3 and not state["finished_at"]
    saved = store.get_state(STATE_KEY)
    assert saved["done"] == 3 and saved["last_seq"] == calls[-1]
    state = reindex(store, enrich=_fake_enrich(calls), batch=2, progress=False)  # continues
    assert state["resumed"] and state["processed"] == 2 and state["finished_at"]
    assert len(calls) == 5 == len(set(calls))  # every article once
    assert store.search("type:award", collapse=False)["total"] == 5
    assert store.search("type:hiring", collapse=False)["total"] == 0
    assert store.search("org:새모델기관", collapse=False)["total"] == 5
    after = row_counts(store)
    assert after["article_versions"] == before["article_versions"] == 0
    assert after.get("meta_mismatch", 0) == 0
    assert {r["id"]: r["body"] for r in store.iter_records()} == bodies
    # a finished job is not resumed: the next run is a fresh pass over what --since selects
    state = reindex(store, enrich=_fake_enrich(calls), since="2024-09-14", progress=False)
    assert state["processed"] == 2 and not state["resumed"]


def test_reindex_skips_an_article_changed_meanwhile(store):
    store.upsert_many([_record(1, "아이티스테이션"), _record(2, "텔로스")])
    items = store.reprocess_targets(limit=10)
    changed = dict(_record(1, "아이티스테이션"), body="완전히 새로 쓴 본문이다. " + BODY)
    assert store.upsert_article(changed)[1] == "updated"
    for item in items:
        _fake_enrich([])(item)
    assert store.rewrite_analysis(items) == 1
    assert _org_names(store, 1)[0] == "아이티스테이션"  # the update's own analysis stays
    assert _org_names(store, 2) == ["새모델기관"]


def test_forced_upsert_reprocesses_without_a_version(store):
    record = _record(1, "아이티스테이션")
    store.upsert_article(record)
    assert store.upsert_article(record)[1] == "unchanged"
    renamed = dict(record, organizations=[_org("텔로스", "firm", record["body"], "아이티스테이션")])
    assert store.upsert_article(renamed, force=True)[1] == "reprocessed"
    assert _org_names(store, 1) == ["텔로스"]
    assert store.versions(article_id_for(record["url"])) == []
    assert store.upsert_many([renamed], force=True) == {"new": 0, "updated": 0, "unchanged": 0, "reprocessed": 1}
    assert store.search("아이티스테이션")["total"] == 1  # terms re-indexed, still found


def test_reindex_command(tmp_path, monkeypatch, capsys):
    from index import reprocess
    from newsmine.cli import main

    db = str(tmp_path / "cli.sqlite")
    with open_store(db) as s:
        s.upsert_many([_record(1, "아이티스테이션"), _record(2, "텔로스")])
    monkeypatch.setattr(reprocess, "_default_enrich", lambda: _fake_enrich([]))
    with pytest.raises(SystemExit) as info:
        main(["reindex", "--db", db, "--since", "yesterday"])
    assert info.value.code == 2
    main(["reindex", "--db", db, "--json"])
    state = json.loads(capsys.readouterr().out)
    assert state["processed"] == 2 and state["finished_at"]
    with open_store(db) as s:
        assert s.search("org:새모델기관", collapse=False)["total"] == 2


def test_reindex_with_the_nlp_stage_keeps_the_search_terms(tmp_path, seed_text):
    """The real NLP stage: its own Kiwi pass supplies the terms, identical to the store's."""
    db = str(tmp_path / "nlp.sqlite")
    record = {"url": "https://example.test/seed", "title": "전북 SW강소기업 성과 잇따라", "body": seed_text,
              "published_at": "2024-09-11", "organizations": [], "achievements": []}

    def fts(s) -> list:
        with s._read() as db_:
            return db_.execute("SELECT title_t, body_t, title_c, body_c FROM article_fts").fetchall()

    with open_store(db) as s:
        s.upsert_many([record])
        before = fts(s)
        assert s.search("firm:아이티스테이션")["total"] == 0
        state = reindex(s, progress=False)
        assert state["processed"] == 1
        assert fts(s) == before
        assert s.search("firm:아이티스테이션")["total"] == 1
        assert s.search("type:contract 아이티스테이션")["total"] == 1


# ------------------------------------------------------------ migrations


def test_sqlite_v1_database_is_upgraded(tmp_path):
    from index.schema import SCHEMA_VERSION, migrate

    path = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, 1) == 1
    conn.execute("INSERT INTO organizations (name, kind) VALUES ('아이티스테이션', 'firm')")
    conn.execute(
        "INSERT INTO articles (id, story_id, created_at, updated_at, content_hash, url, canonical_url) "
        "VALUES ('a', 'a', '2024-01-01', '2024-01-02', 'h', 'https://x.test/1', 'https://x.test/1')"
    )
    conn.execute("INSERT INTO article_orgs (article_seq, position, org_id) VALUES (1, 0, 1)")
    conn.close()
    with open_store(str(path)) as s:
        with s._read() as db:
            assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
            assert db.execute("SELECT analysed_at FROM articles").fetchone()[0] == "2024-01-02"
            assert s.names_containing(db, "스테이션") == ["아이티스테이션"]
            assert db.execute("SELECT seq, story_id FROM article_meta").fetchall() == [(1, "a")]


@pytest.fixture
def pg_backend(tmp_path_factory):
    yield from backend_for("postgresql", tmp_path_factory, __name__)


def test_postgresql_upgrade_and_newer_schema(pg_backend):
    backend = pg_backend
    import psycopg
    from psycopg import sql

    from index.pg_schema import SCHEMA_VERSION, migrate
    from index.postgres import split_url

    url = backend.url("v1")
    _, schema = split_url(url)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(schema)))
        assert migrate(conn, 1) == 1
        conn.execute("INSERT INTO organizations (name, kind) VALUES ('아이티스테이션', 'firm')")
    with open_store(url) as s:
        with s._read() as db:
            assert db.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
            assert db.execute("SELECT COUNT(*) FROM org_aliases").fetchone()[0] == 0
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("UPDATE {}.schema_version SET version = version + 1").format(sql.Identifier(schema)))
    from index import StoreError

    with pytest.raises(StoreError, match="newer"):
        open_store(url)


def test_postgresql_v11_articles_found_after_the_search_table_migration(pg_backend, monkeypatch):
    """A version-11 index (tsvectors in `articles`) migrated to article_search: every article
    has its search row, found by words, phrases and filters as before; the old column is gone."""
    from index.postgres import PostgresStore

    url = pg_backend.url("v11")
    records = [_record(n, "아이티스테이션" if n % 2 else "텔로스", day=f"{10 + n}") for n in range(1, 6)]
    records[0]["title"] = "통합관제 납품 계약"
    with monkeypatch.context() as patch:
        older_pg_search_writes(patch)
        older_fold_writes(patch)
        with PostgresStore(url, schema_version=11) as old:
            old.upsert_many(records)
            with old.read() as db:
                assert db.execute("SELECT COUNT(*) FROM articles WHERE tsv <> ''::tsvector").fetchone()[0] == 5
    with open_store(url) as s:
        with s.read() as db:
            assert db.execute("SELECT version FROM schema_version").fetchone()[0] >= 12
            assert db.execute("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                              "AND table_name = 'articles' AND column_name = 'tsv'").fetchone()[0] == 0
        counts = row_counts(s)
        assert (counts["search"], counts["meta_mismatch"]) == (5, 0)
        assert s.search("텔로스", collapse=False)["total"] == 2
        assert [h["title"] for h in s.search('"납품 계약"', collapse=False)["hits"]][0] == "통합관제 납품 계약"
        assert s.search('"납품 계약"', collapse=False)["total"] == 5  # every body has it too
        assert s.search("outlet:뉴스스텝 텔로스", collapse=False)["total"] == 2
        assert s.search("from:2024-09-13 텔로스", collapse=False)["total"] == 1
        assert s.search("outlet:뉴스스텝", collapse=False)["total"] == 5
        s.upsert_many([_record(6, "텔로스", day="20")])  # written by this version: its search row too
        assert s.search("텔로스", collapse=False)["total"] == 3
        assert row_counts(s)["meta_mismatch"] == 0


def test_postgresql_v12_search_rows_get_their_region(pg_backend, monkeypatch):
    """A version-12 index (search rows without the region) migrated to v13: every search row
    carries its article's region, a report by region over words reads them alone and counts
    what it counted from the titles and leads, and articles stored afterwards copy it too."""
    import index.postgres as pg
    from index.pg_schema import _V12_COPIED
    from index.postgres import PostgresStore
    from newsmine.queries import coverage

    url = pg_backend.url("v12")
    records = [_record(n, "텔로스", day=f"{10 + n}") for n in range(1, 6)]
    for record, place in zip(records, ["전주시", "익산시", "광주광역시", "전라남도 목포시", "전주시"]):
        record["title"] = f"{place} 텔로스 청년 채용"
    with monkeypatch.context() as patch:   # the search rows as version 12 wrote them
        older_fold_writes(patch)
        patch.setattr(pg, "SEARCH_COPIED", _V12_COPIED)
        patch.setattr(pg, "_COPIED", [c.strip() for c in _V12_COPIED.split(",")][1:])
        with PostgresStore(url, schema_version=12) as old:
            old.upsert_many(records)
    with open_store(url) as s:
        with s.read() as db:
            assert db.execute("SELECT version FROM schema_version").fetchone()[0] >= 13
            assert db.execute("SELECT COUNT(*) FROM article_search WHERE region IS NOT NULL").fetchone()[0] == 5
        assert row_counts(s)["meta_mismatch"] == 0
        by_region = {r["key"]: r["articles"] for r in coverage(s, "텔로스", by="region")["rows"]}
        assert by_region == {"전북": 3, "광주": 1, "전남": 1}
        s.upsert_many([{**_record(6, "텔로스", day="20"), "title": "강원도 텔로스 채용"}])
        assert row_counts(s)["meta_mismatch"] == 0
        assert {r["key"]: r["articles"] for r in coverage(s, "텔로스", by="region")["rows"]}["강원"] == 1


# ------------------------------------------------------------ broad queries (window ranking)


def test_broad_queries_rank_a_window(store):
    """A query matching more than FULL_LIMIT articles: exact article count, the newest
    matches ranked (title hits first among them), facets from the window."""
    records = []
    for n in range(1, 13):
        record = _record(n, "아이티스테이션" if n % 2 else "텔로스", day=f"{10 + n}")
        record["body"] = f"{n}번째 소식. 지역 기업 소식을 전한다. " + record["body"]
        record["title"] = "기업 소식" if n in (2, 3, 9) else f"기사 {n}"
        records.append(record)
    store.upsert_many(records)
    exact = store.search("기업", collapse=False, limit=12)
    assert exact["hits"][0]["title"] == "기업 소식"
    store.FULL_LIMIT, store.WINDOW = 4, 6
    broad = store.search("기업", collapse=False, limit=2)
    assert broad["total"] == exact["total"] == 12
    assert broad["hits"][0]["title"] == "기업 소식"  # record 9: a title hit in the window
    assert {h["title"] for h in broad["hits"][1:]} <= {f"기사 {n}" for n in range(7, 13)}
    assert sum(broad["facets"]["outlet"].values()) == 6  # the window, not every match
    newest = store.search("기업", collapse=False, limit=2, sort="recency")
    assert [h["published_at"] for h in newest["hits"]] == ["2024-09-22", "2024-09-21"]
    stories = store.search("기업", limit=2)
    assert 1 <= stories["total"] <= 12
    filtered = store.search("기업 outlet:뉴스스텝", collapse=False, limit=3)
    assert filtered["total"] == 12 and len(filtered["hits"]) == 3
    only_filters = store.search("outlet:뉴스스텝", collapse=False, limit=3, sort="recency")
    assert only_filters["total"] == 12 and only_filters["hits"][0]["published_at"] == "2024-09-22"
    deep = store.search("기업", collapse=False, limit=5, offset=6)  # beyond the window: exact
    assert [h["id"] for h in deep["hits"]] == [h["id"] for h in exact["hits"][6:11]]


def test_two_writers_share_one_index(backend):
    """Two processes' stores (here: connections in two threads) upserting the same articles:
    writers take turns, so nothing is stored twice and no unique key is violated."""
    import threading

    label = f"shared_{backend.name}"
    first, second = backend.open(label), backend.open(label)
    records = [_record(n, "아이티스테이션" if n % 2 else "텔로스", day=f"{10 + n}") for n in range(1, 9)]
    results: list = []

    def write(store) -> None:
        results.append(store.upsert_many(records))

    threads = [threading.Thread(target=write, args=(s,)) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["new"] for r in results) == [0, 8] or sum(r["new"] for r in results) == 8
    assert sum(r["new"] + r["unchanged"] for r in results) == 16
    assert first.summary()["articles"] == 8
    assert first.summary()["organizations"]["firm"] == 2
    first.close()
    second.close()

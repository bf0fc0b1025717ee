"""The store on both back ends (SQLite and PostgreSQL): Korean-aware search, filters, facets,
snippets, stories, idempotent upserts, updates in place, schema versions."""

from __future__ import annotations

import sqlite3

import pytest

from index import QueryError, StoreError, open_store
from index import stories as stories_module
from index.schema import SCHEMA_VERSION
from index.sqlite import article_id_for
from index_backends import BACKENDS, make_backend, row_counts

# A press release about two firms, as one outlet printed it …
RELEASE = (
    "전북특별자치도와 전북디지털융합센터가 육성하는 SW강소기업과 새싹기업들이 잇따라 성과를 내고 "
    "있다. ㈜아이티스테이션은 최근 경기도의 한 공공기관과 약 20억 원 규모의 통합관제 시스템 납품 "
    "계약을 맺었다고 11일 밝혔다. 이 회사는 지난해부터 영상분석 솔루션을 꾸준히 고도화해 왔다. "
    "(주)텔로스는 SW 기업으로 선정됐다. 도 관계자는 지역 소프트웨어 기업의 판로 개척을 계속 "
    "돕겠다고 말했다."
)
# … and as a second outlet rewrote it (new lead words, a changed ending).
REWRITE = (
    "전북자치도와 전북디지털융합센터가 키우는 SW강소기업과 새싹기업들이 잇따라 성과를 내고 "
    "있다. ㈜아이티스테이션은 최근 경기도의 한 공공기관과 약 20억 원 규모의 통합관제 시스템 납품 "
    "계약을 맺었다고 11일 밝혔다. 이 회사는 지난해부터 영상분석 솔루션을 꾸준히 고도화해 왔다. "
    "(주)텔로스는 SW 기업으로 선정됐다. 도 관계자는 지역 소프트웨어 기업의 판로 개척을 끝까지 "
    "지원하겠다고 밝혔다."
)
TRAINING = (
    "전북디지털융합센터는 도내 청년 120명을 대상으로 인공지능 개발자 양성 과정을 연다고 2일 "
    "밝혔다. 교육은 10월부터 12월까지 전주의 창업지원 공간에서 진행되며 수료생에게는 지역 기업 "
    "채용 연계 기회를 준다. 센터 측은 지역 인재가 지역에 머무를 수 있도록 돕겠다고 말했다."
)
EXPORT = (
    "군산의 수산물 가공업체 ㈜바다찬은 미국 유통업체와 3백만 달러 규모의 수출 계약을 체결했다고 "
    "20일 밝혔다. 회사는 김 스낵과 조미 해산물을 현지 대형마트에 공급한다. 대표는 해외 판로를 "
    "넓히는 계기가 됐다고 말했다."
)


def _org(name: str, kind: str, body: str, surface: str) -> dict:
    start = body.index(surface)
    return {"name": name, "kind": kind, "surface": [surface], "mentions": [[start, start + len(surface)]]}


def _release_record(url: str, outlet: str, title: str, body: str, day: str) -> dict:
    return {
        "url": url,
        "canonical_url": url,
        "outlet": outlet,
        "title": title,
        "published_at": f"2024-09-{day}T09:30:00+09:00",
        "authors": ["김기자"],
        "body": body,
        "organizations": [
            _org("아이티스테이션", "firm", body, "㈜아이티스테이션"),
            _org("텔로스", "firm", body, "(주)텔로스"),
            _org("전북특별자치도", "government", body, "전북"),
            _org("전북디지털융합센터", "public", body, "전북디지털융합센터"),
        ],
        "achievements": [
            {"type": "contract", "organization": "아이티스테이션",
             "amount": {"value": 2000000000, "unit": "KRW", "approximate": True},
             "date": f"2024-09-{day}", "evidence": "약 20억 원 규모의 통합관제 시스템 납품 계약",
             "span": [60, 90], "confidence": 0.9, "scope": "firm"},
            {"type": "selection", "organization": "텔로스", "amount": None, "date": None,
             "evidence": "SW 기업으로 선정됐다", "span": [150, 170], "confidence": 0.8,
             "scope": "firm"},
        ],
    }


RECORDS = [
    _release_record("https://newsstep.example/a/1", "뉴스스텝",
                    "전북 SW강소기업 아이티스테이션, 20억 원 납품 계약", RELEASE, "11"),
    _release_record("https://jbilbo.example/news/77", "전북일보",
                    "전북 소프트웨어 기업 성과 잇따라", REWRITE, "12"),
    {
        "url": "https://m.saemangeum.example/view?id=5",
        "canonical_url": "https://saemangeum.example/view/5",
        "outlet": "새만금신문",
        "title": "청년 인공지능 개발자 120명 키운다",
        "published_at": "2024-10-02",
        "body": TRAINING,
        "organizations": [_org("전북디지털융합센터", "public", TRAINING, "전북디지털융합센터")],
        "achievements": [],
    },
    {
        "url": "https://newsstep.example/a/2",
        "outlet": "뉴스스텝",
        "title": "바다찬, 미국 수출 계약",
        "published_at": "2024-08-20T14:00:00+09:00",
        "body": EXPORT,
        "organizations": [_org("바다찬", "firm", EXPORT, "㈜바다찬")],
        "achievements": [
            {"type": "export", "organization": "바다찬",
             "amount": {"value": 3000000, "unit": "USD", "approximate": False},
             "date": "2024-08-20", "evidence": "3백만 달러 규모의 수출 계약", "span": [20, 40],
             "confidence": 0.85, "scope": "firm"},
        ],
    },
]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    yield from make_backend(request, tmp_path_factory)


@pytest.fixture(scope="module")
def store(backend):
    s = backend.open("news")
    counts = s.upsert_many(RECORDS)
    assert counts == {"new": 4, "updated": 0, "unchanged": 0}
    yield s
    s.close()


@pytest.fixture
def fresh(backend):
    s = backend.open()
    yield s, backend
    s.close()


def _titles(result: dict) -> list[str]:
    return [hit["title"] for hit in result["hits"]]


def _ids(result: dict) -> set[str]:
    return {hit["id"] for hit in result["hits"]}


def _id(url: str) -> str:
    return article_id_for(url)


A1, A2 = RECORDS[0]["url"], RECORDS[1]["url"]
A3, A4 = RECORDS[2]["canonical_url"], RECORDS[3]["url"]


def _expect(store, query: str, urls: set[str], **kwargs) -> dict:
    result = store.search(query, collapse=False, limit=50, **kwargs)
    assert _ids(result) == {_id(u) for u in urls}, query
    assert result["total"] == len(urls)
    return result


# ------------------------------------------------------------ Korean-aware matching


@pytest.mark.parametrize(
    "query, urls",
    [
        ("아이티스테이션", {A1, A2}),  # text has ㈜아이티스테이션은
        ("아이티스테이션은", {A1, A2}),  # particles in the query too
        ("강소기업", {A1, A2}),  # text has SW강소기업과
        ("텔로스", {A1, A2}),  # text has (주)텔로스는, which Kiwi splits as 텔+로스 here
        ("텔로스는", {A1, A2}),
        ("전북디지털융합센터", {A1, A2, A3}),
        ("전북디지털융합센터는", {A1, A2, A3}),
        ("바다찬이", {A4}),
    ],
)
def test_particle_insensitive_matches(store, query, urls):
    _expect(store, query, urls)


def test_compound_names_match_with_a_suffix(fresh):
    s, _ = fresh
    body = "간담회에는 최대규 전북디지털융합센터장과 지역 소프트웨어 기업 대표들이 참석했다."
    s.upsert_article({"url": "https://example.test/meeting", "title": "간담회", "body": body})
    hit = s.search("전북디지털융합센터")["hits"][0]
    assert "«전북디지털융합센터»장" in hit["snippet"]
    assert s.search("센터")["total"] == 0  # single terms stay exact


def test_boolean_operators_and_phrases(store):
    _expect(store, "계약", {A1, A2, A4})
    _expect(store, "계약 수출", {A4})
    _expect(store, "계약 AND 수출", {A4})
    _expect(store, "수출 OR 교육", {A3, A4})
    _expect(store, "계약 -수출", {A1, A2})
    _expect(store, "계약 NOT 수출", {A1, A2})
    _expect(store, "-계약", {A3})
    _expect(store, "(수출 OR 교육) 계약", {A4})
    _expect(store, "전북 (수출 OR 교육)", {A3})  # OR binds tighter than the implicit AND
    _expect(store, '"납품 계약"', {A1, A2})
    _expect(store, '"계약 납품"', set())
    _expect(store, '"납품 계약을 맺었다고"', {A1, A2})
    _expect(store, '-"납품 계약"', {A3, A4})


def test_field_filters(store):
    _expect(store, "outlet:뉴스스텝", {A1, A4})
    _expect(store, 'outlet:"전북일보"', {A2})
    _expect(store, "firm:아이티스테이션", {A1, A2})
    _expect(store, "firm:㈜아이티스테이션", {A1, A2})
    _expect(store, "firm:(주)텔로스", {A1, A2})
    _expect(store, "org:전북디지털융합센터", {A1, A2, A3})
    _expect(store, "firm:전북디지털융합센터", set())  # an agency, not a firm
    _expect(store, "type:export", {A4})
    _expect(store, "type:contract 계약", {A1, A2})
    _expect(store, "from:2024-09-01 to:2024-09-30", {A1, A2})
    _expect(store, "to:2024-09-11", {A1, A4})  # to: includes its whole day
    _expect(store, "from:2024-10", {A3})
    _expect(store, "계약 -outlet:뉴스스텝", {A2})
    _expect(store, "outlet:새만금신문 OR type:export", {A3, A4})
    _expect(store, "(outlet:새만금신문 OR 수출) 채용", {A3})
    _expect(store, "amount>=10억", {A1, A2})  # 약 20억 원
    _expect(store, "amount>=20억 amount<=2000000000", {A1, A2})
    _expect(store, "amount>20억", set())


@pytest.mark.parametrize("probe_limit", [None, 0])
def test_member_filters_beside_words(store, monkeypatch, probe_limit):
    """SQLite probes an org:/type:/amount: filter's table per word match while the words match
    few articles, and builds the filter's article list once when they match many (limit 0
    here): the same answers either way, and on PostgreSQL."""
    if probe_limit is not None:
        if not hasattr(store, "PROBE_LIMIT"):
            pytest.skip("SQLite's choice")
        monkeypatch.setattr(store, "PROBE_LIMIT", probe_limit)
    _expect(store, "type:contract 계약", {A1, A2})
    _expect(store, "계약 firm:아이티스테이션 -type:export", {A1, A2})
    _expect(store, "계약 amount>=10억", {A1, A2})
    _expect(store, "계약 org:전북디지털융합센터", {A1, A2})
    _expect(store, "계약 -org:전북디지털융합센터", {A4})
    _expect(store, 'amount>="300만 달러"', {A4})  # another unit: compared in dollars
    _expect(store, "amount<10억", set())
    _expect(store, "계약 -amount>=10억", {A4})


def test_title_hits_rank_first(store):
    result = store.search("아이티스테이션", collapse=False)
    assert result["hits"][0]["id"] == _id(A1)  # name in title and body


def test_recency_sort(store):
    result = store.search("계약", sort="recency", collapse=False)
    assert [h["id"] for h in result["hits"]] == [_id(u) for u in (A2, A1, A4)]


def test_paging(store):
    first = store.search("계약", collapse=False, limit=2)
    second = store.search("계약", collapse=False, limit=2, offset=2)
    assert len(first["hits"]) == 2 and len(second["hits"]) == 1
    assert first["total"] == second["total"] == 3
    assert not _ids(first) & _ids(second)


def test_facets_count_all_matches(store):
    result = store.search("계약", limit=1)
    facets = result["facets"]
    assert facets["outlet"] == {"뉴스스텝": 2, "전북일보": 1}
    assert facets["month"] == {"2024-08": 1, "2024-09": 2}
    assert facets["type"] == {"contract": 2, "selection": 2, "export": 1}
    assert facets["organization"]["아이티스테이션"] == 2
    assert facets["organization"]["바다찬"] == 1
    assert "전북디지털융합센터" in facets["organization"]


def test_snippets_mark_the_match(store):
    hit = store.search("아이티스테이션은")["hits"][0]
    assert "«아이티스테이션»" in hit["snippet"]
    assert len(hit["snippet"]) <= 200
    hit = store.search("텔로스")["hits"][0]
    assert "«텔로스»" in hit["snippet"]
    hit = store.search('"납품 계약"')["hits"][0]
    assert "«납품 계약»" in hit["snippet"]
    hit = store.search("type:export")["hits"][0]
    assert hit["snippet"].startswith("군산의")  # no words: the start of the body


def test_hit_fields_and_firms_first(store):
    hit = store.search("수출")["hits"][0]
    assert set(hit) == {"id", "url", "title", "outlet", "published_at", "snippet",
                        "story_id", "story_size", "organizations", "kind"}
    assert hit["kind"] == "article"
    hit = store.search("firm:아이티스테이션", collapse=False, sort="recency")["hits"][0]
    assert hit["organizations"][:2] == ["아이티스테이션", "텔로스"]
    assert hit["organizations"][2:] == ["전북특별자치도", "전북디지털융합센터"]


# ------------------------------------------------------------ stories


def test_rewrites_collapse_into_one_story(store):
    result = store.search("아이티스테이션")
    assert result["total"] == 1
    [hit] = result["hits"]
    assert hit["story_size"] == 2
    assert hit["story_id"] == _id(A1)  # the first article of the story
    assert hit["id"] == _id(A1)  # best ranked: the name is in its title

    result = store.search("계약")
    assert result["total"] == 2  # the release's story and the unrelated export article
    sizes = sorted(h["story_size"] for h in result["hits"])
    assert sizes == [1, 2]
    assert sum(result["facets"]["outlet"].values()) == 3  # facets count articles


def test_unrelated_articles_stay_alone(store):
    for url in (A3, A4):
        article = store.get_article(_id(url))
        assert article["story_id"] == article["id"]
        assert article["story_size"] == 1
    assert store.get_article(_id(A2))["story_id"] == _id(A1)


def test_story_assignment_uses_stored_bands(backend):
    with backend.open("bands") as s:
        s.upsert_article(RECORDS[0])
    with backend.open("bands") as s:  # reopened: the bands come from the db
        s.upsert_article(RECORDS[1])
        assert s.summary()["stories"] == 1


def test_signature_similarity_separates_rewrites_from_others():
    sig = stories_module.signature
    assert stories_module.similarity(sig(RELEASE), sig(REWRITE)) >= stories_module.THRESHOLD
    assert stories_module.similarity(sig(RELEASE), sig(TRAINING)) < 0.2
    assert sig("짧은 글") is None


# ------------------------------------------------------------ upserts


def test_reupsert_is_idempotent(fresh):
    s, _ = fresh
    assert s.upsert_many(RECORDS) == {"new": 4, "updated": 0, "unchanged": 0}
    before = row_counts(s)
    assert s.upsert_many(RECORDS) == {"new": 0, "updated": 0, "unchanged": 4}
    assert s.upsert_article(RECORDS[0]) == (_id(A1), "unchanged")
    assert row_counts(s) == before


def test_changed_body_updates_in_place(fresh):
    s, _ = fresh
    s.upsert_many(RECORDS)
    changed = dict(RECORDS[3], title="바다찬, 캐나다 수출 계약", body=EXPORT.replace("미국", "캐나다"))
    article_id, status = s.upsert_article(changed)
    assert (article_id, status) == (_id(A4), "updated")
    counts = row_counts(s)
    assert counts["articles"] == 4 and counts["article_versions"] == 1
    assert [v["body"] for v in s.versions(article_id)] == [EXPORT]
    assert s.get_article(article_id)["body"] == changed["body"]
    assert _ids(s.search("캐나다")) == {article_id}
    assert s.search("미국")["total"] == 0  # the index follows the update
    assert s.search("firm:바다찬")["total"] == 1  # entities replaced, not doubled
    assert row_counts(s)["mentions"] == counts["mentions"]
    assert row_counts(s).get("meta_mismatch", 0) == 0


def test_update_keeps_story_members(fresh):
    s, _ = fresh
    s.upsert_many(RECORDS[:2])
    head = dict(RECORDS[0], title="수정된 제목")
    assert s.upsert_article(head)[1] == "updated"
    assert row_counts(s).get("meta_mismatch", 0) == 0
    assert s.get_article(_id(A2))["story_id"] == _id(A1)
    assert s.search("아이티스테이션")["hits"][0]["story_size"] == 2


def test_failed_upsert_writes_nothing(fresh, monkeypatch):
    s, _ = fresh
    before = row_counts(s)

    def crash(*args, **kwargs):
        raise RuntimeError("crash in the middle")

    monkeypatch.setattr(stories_module, "assign", crash)
    with pytest.raises(RuntimeError):
        s.upsert_article(RECORDS[0])
    assert row_counts(s) == before
    monkeypatch.undo()
    assert s.upsert_article(RECORDS[0])[1] == "new"


def test_record_without_url_is_refused(fresh):
    s, _ = fresh
    with pytest.raises(StoreError):
        s.upsert_article({"title": "제목", "body": "본문"})
    bad = dict(RECORDS[0], organizations=[{"name": "텔로스", "mentions": [[1]]}])
    with pytest.raises(StoreError, match="malformed"):
        s.upsert_article(bad)
    assert s.summary()["articles"] == 0


def test_urls_and_fetch_state(store):
    assert store.has_url(RECORDS[2]["url"])
    assert store.has_url(RECORDS[2]["canonical_url"])
    assert store.has_url(A1)
    assert not store.has_url("https://newsstep.example/a/999")
    known = store.known_urls()
    assert {RECORDS[2]["url"], A3, A1, A2, A4} <= known

    assert store.get_fetch_state("https://newsstep.example/rss") is None
    store.set_fetch_state("https://newsstep.example/rss", etag='"abc"', last_modified=None, status=200)
    store.set_fetch_state("https://newsstep.example/rss", etag='"def"',
                          last_modified="Wed, 11 Sep 2024 00:00:00 GMT", status=304)
    state = store.get_fetch_state("https://newsstep.example/rss")
    assert state["etag"] == '"def"' and state["status"] == 304
    assert state["last_modified"].startswith("Wed") and state["fetched_at"]


def test_ids_are_stable_across_databases(store, fresh):
    s, _ = fresh
    records = list(store.iter_records())
    assert s.upsert_many(records)["new"] == 4
    assert [r["id"] for r in s.iter_records()] == [r["id"] for r in records]


# ------------------------------------------------------------ records and summary


def test_iter_records_round_trip(store):
    records = {r["url"]: r for r in store.iter_records()}
    assert len(records) == 4
    first = records[A1]
    assert set(first) == {"id", "url", "canonical_url", "outlet", "title", "published_at",
                          "modified_at", "authors", "body", "story_id", "organizations",
                          "achievements", "kind", "release"}
    assert first["kind"] == "article" and first["release"] is None
    assert first["organizations"] == RECORDS[0]["organizations"]
    # every stored achievement has a counterparty, null where the record had none
    assert first["achievements"] == [{**a, "counterparty": None} for a in RECORDS[0]["achievements"]]
    assert first["authors"] == ["김기자"]
    matching = list(store.iter_records("type:export"))
    assert [r["url"] for r in matching] == [A4]


def test_summary(store):
    assert store.summary() == {
        "articles": 4,
        "stories": 3,
        "organizations": {"firm": 3, "government": 1, "public": 1},
        "achievements": {"contract": 2, "selection": 2, "export": 1},
        "outlets": {"뉴스스텝": 2, "새만금신문": 1, "전북일보": 1},
    }


# ------------------------------------------------------------ opening


def test_open_store_urls(tmp_path, monkeypatch):
    with open_store(f"sqlite:///{tmp_path}/a/b/c.sqlite") as s:
        assert s.summary()["articles"] == 0
    assert (tmp_path / "a" / "b" / "c.sqlite").exists()
    monkeypatch.setenv("NEWSMINE_DB", str(tmp_path / "env.sqlite"))
    open_store().close()
    assert (tmp_path / "env.sqlite").exists()
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as info:
        open_store("postgresql://127.0.0.1:1/newsmine")  # nothing listens on port 1
    assert "\n" not in str(info.value)
    with pytest.raises(StoreError, match="bad schema name"):
        open_store("postgresql://127.0.0.1:1/newsmine?schema=x;drop")
    with pytest.raises(StoreError, match="unsupported database URL scheme"):
        open_store("mysql://localhost/newsmine")


def test_open_store_errors(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all, just text" * 100)
    with pytest.raises(StoreError) as info:
        open_store(str(junk))
    assert "\n" not in str(info.value)

    path = tmp_path / "future.sqlite"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(str(path))


def test_wal_mode(tmp_path):
    open_store(str(tmp_path / "wal.sqlite")).close()
    conn = sqlite3.connect(tmp_path / "wal.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_malformed_query_from_store(store):
    with pytest.raises(QueryError):
        store.search("(계약")
    with pytest.raises(QueryError):
        store.search("계약", sort="random")


def test_achievement_counterparty_is_stored_and_shown(fresh):
    """The counterparty of an achievement (buyer, awarding body, investor) survives storage and
    reaches exports and the organisation profile, on both back ends."""
    from newsmine.queries import organization_profile

    s, _ = fresh
    record = dict(RECORDS[3])
    record["achievements"] = [dict(a) for a in record["achievements"]]
    record["achievements"][0]["counterparty"] = "미국 유통업체"
    s.upsert_article(record)
    stored = s.get_article(_id(record["url"]))["achievements"][0]
    assert stored["counterparty"] == "미국 유통업체"
    assert next(s.iter_records())["achievements"][0]["counterparty"] == "미국 유통업체"
    profile = organization_profile(s, record["achievements"][0]["organization"])
    assert [a["counterparty"] for a in profile["achievements"]] == ["미국 유통업체"]

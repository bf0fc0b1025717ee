"""What a faster PostgreSQL search must keep answering, on both back ends (issue 16): phrases
find adjacent terms only (not across the title and body, not apart; two, three and more terms,
negated, ORed, with filters), and a broad query's window holds its newest matches however far
back they sit behind newer non-matching articles."""

from __future__ import annotations

import pytest

from index.sqlite import article_id_for
from index_backends import BACKENDS, make_backend

TEXTS = {
    # title, body
    "adjacent": ("지역 소식", "아이티스테이션은 공공기관과 납품 계약을 맺었다. 통합관제 시스템을 공급한다."),
    "apart": ("지역 소식", "계약 조건에 따라 납품 일정과 계약 금액을 정했다. 통합 운영 관제 시스템."),
    "across": ("올해 납품", "계약 규모는 밝히지 않았다."),  # title ends, body starts: not adjacent
    "title": ("납품 계약 체결", "회사는 기술력을 인정받았다고 밝혔다."),
    "long": ("수출 소식", "지역 산업 육성 사업에 선정된 기업이 해외 수출 계약을 따냈다."),
    "numbers": ("실적", "매출 4,000 원 규모의 수출을 기록했다. 연구개발 자금을 받았다."),
}
PHRASES = {
    '"납품 계약"': {"adjacent", "title"},
    '"계약 납품"': set(),
    '"납품 계약 체결"': {"title"},
    '"지역 산업 육성"': {"long"},
    '"지역 산업 육성 사업"': {"long"},
    '"산업 육성 사업에 선정된"': {"long"},
    '"지역 육성"': set(),
    '"통합관제 시스템"': {"adjacent"},
    '"연구개발 자금"': {"numbers"},
    '"4,000 원"': {"numbers"},
    '"납품 계약" OR "수출 계약"': {"adjacent", "title", "long"},
    '계약 -"납품 계약"': {"apart", "across", "long"},
    '"납품 계약" -체결': {"adjacent"},
    '"해외 수출" outlet:뉴스스텝': {"long"},
    '("납품 계약" OR outlet:없음) 공급': {"adjacent"},
}


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    yield from make_backend(request, tmp_path_factory)


def _records() -> list[dict]:
    return [{"url": f"https://example.test/{name}", "title": title, "body": body, "outlet": "뉴스스텝",
             "published_at": "2024-09-11"} for name, (title, body) in TEXTS.items()]


def _found(store, query: str) -> set[str]:
    ids = {article_id_for(f"https://example.test/{name}"): name for name in TEXTS}
    return {ids[h["id"]] for h in store.search(query, collapse=False, limit=50)["hits"]}


def test_phrases_find_adjacent_terms_only(backend):
    store = backend.open("phrases")
    store.upsert_many(_records())
    for query, expected in PHRASES.items():
        assert _found(store, query) == expected, query
    store.close()


def test_window_is_the_newest_matches_however_sparse(backend):
    """The window of a broad query holds its newest matches even when many newer articles do
    not match."""
    store = backend.open("sparse")
    records = []
    for n in range(1, 61):
        matching = n <= 12
        records.append({"url": f"https://example.test/s{n}", "title": f"소식 {n}", "outlet": "뉴스스텝",
                        "published_at": f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}",
                        "body": ("수출 계약을 맺었다. " if matching else "행사를 열었다. ") + f"{n}번째 기사."})
    store.upsert_many(records)
    store.FULL_LIMIT, store.WINDOW = 4, 6
    result = store.search("수출", collapse=False, limit=2, sort="recency")
    assert result["total"] == 12
    assert sum(result["facets"]["outlet"].values()) == 6  # the window
    assert [h["title"] for h in result["hits"]] == ["소식 12", "소식 11"]
    store.close()


def test_a_count_stops_at_the_limit_and_says_so(backend):
    """Past COUNT_LIMIT matches a total is a floor (`total_relation` "gte"), for words alone and
    with filters; `exact_total` counts every match; a total scaled from the window says
    "approx"; an exact total adds no key (DESIGN.md's shape)."""
    store = backend.open("capped")
    store.upsert_many([{"url": f"https://example.test/c{n}", "title": f"소식 {n}", "outlet": "뉴스스텝",
                        "published_at": f"2024-03-{n:02d}", "body": f"수출 계약을 맺었다. {n}번째 기사."}
                       for n in range(1, 13)])
    store.FULL_LIMIT, store.WINDOW = 4, 6
    exact = store.search("수출", collapse=False, limit=2)
    assert (exact["total"], "total_relation" in exact) == (12, False)
    assert store.search("수출", limit=2)["total_relation"] == "approx"   # stories scaled from the window
    if store.COUNT_LIMIT is None:
        assert store.search("수출 outlet:뉴스스텝", collapse=False, limit=2)["total"] == 12
        pytest.skip("this back end counts every match")
    store.COUNT_LIMIT = 8
    for query in ("수출 outlet:뉴스스텝", "수출", '"수출 계약"'):
        capped = store.search(query, collapse=False, limit=2, sort="recency")
        assert (capped["total"], capped["total_relation"]) == (8, "gte"), query
        assert [h["title"] for h in capped["hits"]] == ["소식 12", "소식 11"], query
        counted = store.search(query, collapse=False, limit=2, sort="recency", exact_total=True)
        assert (counted["total"], "total_relation" in counted) == (12, False), query
        assert [h["title"] for h in counted["hits"]] == ["소식 12", "소식 11"], query
    paged = store.search("수출", collapse=False, limit=3, offset=9, sort="recency")  # past the window: every match
    assert (paged["total"], "total_relation" in paged) == (12, False)
    assert [h["title"] for h in paged["hits"]] == ["소식 3", "소식 2", "소식 1"]
    store.COUNT_LIMIT = 12
    counted = store.search("수출 outlet:뉴스스텝", collapse=False, limit=2)
    assert (counted["total"], "total_relation" in counted) == (12, False)
    store.close()


def test_a_broad_window_ranks_title_hits_first(backend):
    """A broad query's window ranks the articles with the words in their title first (bm25's
    and ts_rank's title weight; SQLite ranks the window without bm25's pass over every match),
    and then the newer. On SQLite a phrase counts only where it stands whole in the title
    (ts_rank weighs a phrase's words wherever they stand)."""
    store = backend.open("titled")
    titles = {3: "납품 계약 체결", 7: "계약 납품 소식", 11: "납품 계약 소식"}
    store.upsert_many([{"url": f"https://example.test/t{n}", "title": titles.get(n, f"소식 {n}"),
                        "outlet": "뉴스스텝", "published_at": f"2024-04-{n:02d}",
                        "body": f"회사는 납품 계약을 맺었다. {n}번째 기사."} for n in range(1, 16)])
    store.FULL_LIMIT, store.WINDOW = 4, 15
    for query in ('"납품 계약"', "납품 계약"):
        hits = [h["title"] for h in store.search(query, collapse=False, limit=4)["hits"]]
        if query.startswith('"') and backend.name == "sqlite":
            assert hits[:3] == ["납품 계약 소식", "납품 계약 체결", "소식 15"], hits   # 7's title has the words apart
        else:
            assert set(hits[:3]) == {"납품 계약 소식", "계약 납품 소식", "납품 계약 체결"}, hits
            assert hits[3] == "소식 15", hits
    store.close()


def test_postgresql_walks_a_common_word_and_estimates_its_total(backend):
    """PostgreSQL does not count a word the planner expects in many articles: it walks down from
    the newest article to the word's newest WINDOW matches and estimates the total from how
    densely they lie ("approx"). The hits are those of the exact path; `exact_total`, a date
    range, and a planner that overrated the words (two words that never meet) all count."""
    store = backend.open("estimate")
    if not hasattr(store, "ESTIMATE_FROM"):
        pytest.skip("PostgreSQL's choice: SQLite stops counting instead")
    store.upsert_many([{"url": f"https://example.test/e{n}", "title": f"소식 {n}", "outlet": "뉴스스텝",
                        "published_at": f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}",
                        "body": ("스마트팜 설비를 늘렸다. " if n % 3 == 0 else "수출 계약을 맺었다. ") + f"{n}번째 기사."}
                       for n in range(1, 601)])
    with store._write() as db:
        db.execute("ANALYZE article_search")
    store.FULL_LIMIT, store.WINDOW, store.ESTIMATE_FROM = 30, 20, 100
    for query in ("수출", '"수출 계약"', "계약 -행사"):
        walked = store.search(query, collapse=False, limit=5, sort="recency")
        counted = store.search(query, collapse=False, limit=5, sort="recency", exact_total=True)
        assert walked["total_relation"] == "approx" and 300 <= walked["total"] <= 500, (query, walked["total"])
        assert (counted["total"], "total_relation" in counted) == (400, False), query
        assert [h["title"] for h in walked["hits"]] == [h["title"] for h in counted["hits"]], query
        window = {f"소식 {n}" for n in [n for n in range(600, 0, -1) if n % 3][:20]}   # the newest 20 stored
        assert {h["title"] for h in store.search(query, collapse=False, limit=5)["hits"]} <= window
    store.BITMAP_BELOW = 1.0       # the words' bitmap ANDed with the span's, not the key walked: the same
    for query in ("수출", "수출 -outlet:없음"):
        walked = store.search(query, collapse=False, limit=5, sort="recency")
        assert walked["total_relation"] == "approx" and 300 <= walked["total"] <= 500, (query, walked["total"])
        assert [h["title"] for h in walked["hits"]] == [h["title"] for h in store.search(
            query, collapse=False, limit=5, sort="recency", exact_total=True)["hits"]], query
    del store.BITMAP_BELOW
    # beside a filter that keeps nothing, the walk finds too few: counted, exactly
    assert (lambda r: (r["total"], "total_relation" in r))(store.search("수출 type:export", collapse=False)) == (0, False)
    store.MAX_WALK, store.MIN_SAMPLE = 24, 5     # a walk stopped short: the matches it found are the sample
    short = store.search("수출", collapse=False, limit=5, sort="recency")
    assert short["total_relation"] == "approx" and 300 <= short["total"] <= 500, short["total"]
    assert sum(short["facets"]["outlet"].values()) == 16      # the 16 matches among the newest 24 articles
    store.MAX_WALK, store.MIN_SAMPLE = 24, 17                 # fewer than MIN_SAMPLE found: counted
    assert "total_relation" not in store.search("수출", collapse=False, limit=5)
    del store.MAX_WALK, store.MIN_SAMPLE
    never = store.search("수출 스마트팜", collapse=False)      # planned at 400 × 200 / 600 > 100; none found
    assert (never["total"], "total_relation" in never) == (0, False)
    # two words that always go together: planned as if independent (200 × 200 / 600 < 100), walked
    # because the rarer alone is expected in 200; and a phrase of them
    for query in ("스마트팜 설비", '"스마트팜 설비"'):
        walked = store.search(query, collapse=False, limit=5, sort="recency")
        assert walked["total_relation"] == "approx" and 140 <= walked["total"] <= 260, (query, walked["total"])
        assert store.search(query, collapse=False, exact_total=True)["total"] == 200
    dated = store.search("수출 from:2024-03 to:2024-05", collapse=False, limit=5)
    assert "total_relation" not in dated and dated["total"] == sum(
        1 for n in range(1, 601) if n % 3 and 3 <= 1 + n % 12 <= 5)
    store.close()


def test_postgresql_walks_an_outlet_or_a_date_range_beside_common_words(backend):
    """PostgreSQL walks a filter's own index, newest first, to the newest WINDOW matches of the
    words beside it, and estimates the total from their density among the filter's rows: the
    same hits as counting (by recency), the newest matches of the filter as the window, an
    exact count when the filter's rows all lie within the walk. A date range's window is its
    newest matches by date."""
    store = backend.open("driven")
    if not hasattr(store, "DRIVE_FROM"):
        pytest.skip("PostgreSQL's choice: SQLite stops counting instead")
    outlets = ("뉴스스텝", "전북일보", "새만금신문")
    store.upsert_many([{"url": f"https://example.test/o{n}", "title": f"소식 {n}", "outlet": outlets[n % 3],
                        "published_at": f"2024-{1 + n // 2 % 12:02d}-{1 + n % 27:02d}",
                        "body": ("스마트팜 설비를 늘렸다. " if n % 2 else "수출 계약을 맺었다. ") + f"{n}번째 기사."}
                       for n in range(1, 901)])
    with store._write() as db:
        db.execute("ANALYZE article_search")
    store.FULL_LIMIT, store.WINDOW, store.DRIVE_FROM = 30, 20, 50
    exact = {n for n in range(1, 901) if n % 2 == 0 and n % 3 == 1}            # 전북일보's 수출: 150
    walked = store.search("outlet:전북일보 수출", collapse=False, limit=5, sort="recency")
    counted = store.search("outlet:전북일보 수출", collapse=False, limit=5, sort="recency", exact_total=True)
    assert (counted["total"], "total_relation" in counted) == (len(exact), False)
    assert walked["total_relation"] == "approx" and 110 <= walked["total"] <= 190, walked["total"]
    assert [h["title"] for h in walked["hits"]] == [h["title"] for h in counted["hits"]]
    assert sum(walked["facets"]["outlet"].values()) == 20                       # the window
    assert {h["title"] for h in store.search("outlet:전북일보 수출", collapse=False, limit=5)["hits"]} \
        <= {f"소식 {n}" for n in sorted(exact, reverse=True)[:20]}
    store.MAX_WALK = 400           # every one of the outlet's 300 rows within the walk: counted as it goes
    assert (lambda r: (r["total"], "total_relation" in r))(
        store.search("outlet:전북일보 수출", collapse=False)) == (len(exact), False)
    del store.MAX_WALK
    months = {n for n in range(1, 901) if n % 2 == 0 and 3 <= 1 + n // 2 % 12 <= 8}
    dated = store.search("수출 from:2024-03 to:2024-08", collapse=False, limit=5, sort="recency")
    assert dated["total_relation"] == "approx" and 0.7 * len(months) <= dated["total"] <= 1.3 * len(months)
    every = store.search("수출 from:2024-03 to:2024-08", collapse=False, limit=50, sort="recency")   # all ranked
    assert [h["title"] for h in dated["hits"]] == [h["title"] for h in every["hits"][:5]]   # the newest by date
    assert store.search("outlet:없음 수출", collapse=False)["total"] == 0
    store.close()


def test_a_lone_member_filter_counts_exactly_and_windows_the_newest(backend):
    """`type:contract` or `firm:X` alone is counted in its own table's index, exactly at any size,
    and its window is its newest articles — however many newer articles it does not name."""
    from surfaces_fixtures import achievement, record

    store = backend.open("lone")
    records = []
    for n in range(1, 41):
        body = f"한빛정밀은 {n}번째 납품 계약을 맺었다." if n % 2 else f"행사 {n}번째 소식이다."
        orgs = [("한빛정밀", "firm", "한빛정밀")] if n % 2 else []
        found = [achievement("contract", "한빛정밀", body, "납품 계약을 맺었다")] if n % 2 else []
        records.append(record(f"https://example.test/l{n}", "뉴스스텝", f"소식 {n}", body,
                              f"2024-05-{1 + n % 28:02d}T09:00:00+09:00", orgs, found))
    store.upsert_many(records)
    store.FULL_LIMIT, store.WINDOW = 4, 6
    for query in ("type:contract", "firm:한빛정밀"):
        result = store.search(query, collapse=False, limit=2, sort="recency")
        assert (result["total"], "total_relation" in result) == (20, False), query
        assert sum(result["facets"]["outlet"].values()) == 6, query   # the window
        assert {h["title"] for h in result["hits"]} <= {"소식 39", "소식 37", "소식 35", "소식 33", "소식 31", "소식 29"}
    assert store.search("type:export", collapse=False)["total"] == 0
    store.close()


@pytest.mark.parametrize("share", [None, 1.0, 0.0])
def test_a_date_range_beside_words_finds_the_same_inside_its_months_span(backend, share):
    """SQLite reads a date range beside words inside the span of seqs its months' articles lie
    in (seq_by_month): the same answers as walking the date index — after an article is moved to
    another month, and for a range no article falls in."""
    store = backend.open(f"span{share}")
    if share is not None:
        if not hasattr(store, "SPAN_SHARE"):
            pytest.skip("SQLite's choice")
        store.SPAN_SHARE = share
    months = ["2024-01"] * 15 + ["2024-02"] * 10 + ["2024-06"] * 15
    records = [{"url": f"https://example.test/d{n}", "title": f"소식 {n}", "outlet": "뉴스스텝",
                "published_at": f"{month}-{1 + n % 27:02d}T09:00:00+09:00",
                "body": ("수출 계약을 맺었다. " if n % 2 else "행사를 열었다. ") + f"{n}번째 기사."}
               for n, month in enumerate(months, start=1)]
    store.upsert_many(records)
    moved = dict(records[4], published_at="2024-06-20T09:00:00+09:00", body="수출 계약을 새로 맺었다. 5번째 기사.")
    store.upsert_many([moved])   # January's fifth article, now dated June
    store.FULL_LIMIT, store.WINDOW = 3, 6

    def titles(query: str, **kwargs) -> set[str]:
        return {h["title"] for h in store.search(query, collapse=False, limit=50, **kwargs)["hits"]}

    june = {f"소식 {n}" for n in range(26, 41) if n % 2} | {"소식 5"}
    assert titles("수출 from:2024-06") == june
    assert titles("수출 from:2024-03 to:2024-12") == june
    assert titles("수출 from:2024-02 to:2024-02") == {f"소식 {n}" for n in range(16, 26) if n % 2}
    assert titles("수출 from:2023-01 to:2023-12") == set()
    window = store.search("수출 from:2024-06", collapse=False, limit=2, sort="recency")
    assert window["total"] == len(june)
    assert sum(window["facets"]["outlet"].values()) == 6      # the window: the newest six of them
    store.close()

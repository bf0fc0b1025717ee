"""The web parts of issue 14 beyond /achievements: the home page's dashboard (/api/dashboard),
the search page's date pickers, organisation-kind filter (`orgkind:`) and title highlights,
the watches page (list, create and delete with the token), and the organisation page's
achievement filters and exports (`org=` on /api/achievements).

Over the surface-test articles (tests/surfaces_fixtures.py) plus two October articles: a
contract and an export of 대박로봇 (one syndicated twice) and a public body's funding, so the
index's month (2024-10) has firms to rank. Dashboard, `orgkind:` and `org=` run on both back
ends; the pages on SQLite.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from index_backends import Backend
from surfaces_fixtures import ALL, achievement, backend, fill, record  # noqa: F401

TOKEN = "dash-token"
ROBOT = ("경기도 수원시의 로봇 기업 ㈜대박로봇은 물류센터 운영사와 120억 원 규모의 자율주행 로봇 공급 계약을 "
         "체결했다고 5일 밝혔다. 회사는 일본에 50만 달러어치 로봇을 수출하기로 했다.")
ROBOT_COPY = ROBOT.replace("했다.", "했다고 덧붙였다.")
FUNDING = ("전북테크노파크는 도내 제조기업의 스마트공장 구축을 위해 산업통상자원부로부터 5억 원의 국비를 "
           "확보했다고 20일 밝혔다.")
ROBOT_CONTRACT = "㈜대박로봇은 물류센터 운영사와 120억 원 규모의 자율주행 로봇 공급 계약을 체결했다고 5일 밝혔다."


def _robot(url: str, outlet: str, body: str, published: str) -> dict:
    return record(url, outlet, "대박로봇, 120억 원 물류 로봇 공급 계약", body, published,
                  [("대박로봇", "firm", "㈜대박로봇"), ("경기도", "government", "경기도")],
                  [achievement("contract", "대박로봇", body, ROBOT_CONTRACT,
                               {"value": 12000000000, "unit": "KRW", "approximate": False}, "2024-10-05"),
                   achievement("export", "대박로봇", body, "회사는 일본에 50만 달러어치",
                               {"value": 500000, "unit": "USD", "approximate": False}, "2024-10-05")])


EXTRA = [
    _robot("https://gnews.example/n/9", "경인일보", ROBOT, "2024-10-05T09:00:00+09:00"),
    _robot("https://hnews.example/a/160", "호남경제뉴스", ROBOT_COPY, "2024-10-06T09:00:00+09:00"),
    record("https://hnews.example/a/150", "호남경제뉴스", "전북테크노파크, 스마트공장 국비 5억 원 확보",
           FUNDING, "2024-10-20T10:00:00+09:00",
           [("전북테크노파크", "public", "전북테크노파크"), ("산업통상자원부", "government", "산업통상자원부")],
           [achievement("funding", "전북테크노파크", FUNDING, FUNDING,
                        {"value": 500000000, "unit": "KRW", "approximate": False}, "2024-10-20")]),
]
# ALL has a story of two copies (hnews 101, saenal 7) whose stories the index finds; the robot
# copies share a body, hence a story


@pytest.fixture(scope="module")
def url(backend: Backend) -> str:
    url = backend.url("dashboard")
    fill(url, ALL + EXTRA)
    return url


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[TestClient]:
    from newsmine.api import create_app

    with TestClient(create_app(url, token=TOKEN, hosts=["testserver"])) as c:
        yield c


@pytest.fixture(scope="module")
def page_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same articles in a SQLite file, for the pages (their JSON runs on both back ends)."""
    db = tmp_path_factory.mktemp("dashboard") / "news.sqlite"
    fill(db, ALL + EXTRA)
    return db


@pytest.fixture(scope="module")
def sqlite_client(page_db: Path) -> Iterator[TestClient]:
    from newsmine.api import create_app

    with TestClient(create_app(str(page_db), token=TOKEN, hosts=["testserver"])) as c:
        yield c


# ---------------------------------------------------------------- dashboard


def test_dashboard_json(client: TestClient) -> None:
    dash = client.get("/api/dashboard").json()
    assert dash["articles"] == 9 and dash["month"] == "2024-10"
    newest = [(a["organization"], a["type"], a["story_size"]) for a in dash["newest_achievements"]]
    assert newest[:3] == [("전북테크노파크", "funding", 1), ("대박로봇", "contract", 2), ("대박로봇", "export", 2)]
    assert ("한빛정밀", "contract", 2) in newest and len(newest) == 7  # the two copies fold into one row each
    contract = next(a for a in dash["newest_achievements"] if a["organization"] == "대박로봇" and a["type"] == "contract")
    assert contract["outlet"] == "경인일보"  # the earliest copy stands for the story
    # firms only (the public body's funding does not count), a story's copies once
    assert dash["top_firms"] == [{"name": "대박로봇", "achievements": 2}]
    months = {m["month"]: m["articles"] for m in dash["monthly"]}
    assert months == {"2024-07": 2, "2024-08": 1, "2024-09": 2, "2024-10": 4}  # from the first article's month
    assert dash["silent_sources"] == []  # ingested, never crawled


def test_dashboard_chart_covers_two_years_at_most(url: str) -> None:
    from index import open_store
    from newsmine.dashboard import monthly_articles

    store = open_store(url)
    try:
        long = monthly_articles(store, "2024-10", oldest="2019-03-01")
        short = monthly_articles(store, "2024-10", oldest="2024-09-30")
    finally:
        store.close()
    assert len(long) == 24 and long[0] == {"month": "2022-11", "articles": 0} and long[-1]["articles"] == 4
    assert short == [{"month": "2024-09", "articles": 2}, {"month": "2024-10", "articles": 4}]


def test_dashboard_lists_silent_blocked_and_failed_sources(backend: Backend) -> None:
    from crawler.health import CrawlHistory
    from crawler.run import SourceReport
    from newsmine.dashboard import silent_sources

    store = backend.open("silence")
    try:
        history = CrawlHistory(store)
        for day, quiet_new in ((1, 5), (2, 0), (3, 0), (4, 0)):
            started = f"2024-10-0{day}T01:00:00+00:00"
            run_id = f"run{day}"
            history.start(run_id, "w", ["quiet", "busy", "broken", "robots"], started)
            quiet, busy, broken, robots = (SourceReport(s) for s in ("quiet", "busy", "broken", "robots"))
            quiet.new, busy.new = quiet_new, 3
            if day == 4:  # the last run: one source failed outright, one was refused by robots.txt
                broken.errors = {"http_500": 2}
                robots.robots_forbidden = 1
            else:
                broken.new = robots.new = 1
            history.finish(run_id, "w", started, "finished", [quiet, busy, broken, robots], 1.0)
        found = {s["source"]: s for s in silent_sources(store, silent_after=3)}
    finally:
        store.close()
    assert set(found) == {"quiet", "broken", "robots"}
    assert found["quiet"]["reason"] == "silent" and found["quiet"]["silent_runs"] == 3
    assert found["quiet"]["last_new"] == "2024-10-01T01:00:00+00:00"
    assert found["broken"]["reason"] == "failed" and found["robots"]["reason"] == "blocked"
    assert list(found) == ["quiet", "broken", "robots"]  # longest silent first


def test_home_page_is_the_dashboard(sqlite_client: TestClient) -> None:
    html = sqlite_client.get("/").text
    assert "새로 보도된 성과" in html and "2024-10 성과가 많은 기업" in html
    assert html.count('class="bar"') == 4 and 'id="dashboard-chart"' in html
    assert "<bdi>계약 · 120억 원</bdi>" in html and "+1 매체" in html
    # the firm's count links to its achievements of that month
    assert "/achievements?org=%EB%8C%80%EB%B0%95%EB%A1%9C%EB%B4%87&amp;from=2024-10&amp;to=2024-10" in html
    assert "소식이 끊긴 수집처" in html and "조용해진 수집처가 없습니다" in html


def test_dashboard_statements_use_indexes(page_db: Path) -> None:
    """The home page stays fast on a large index: its statements walk the publication-date
    index (or the one month of it) instead of scanning every article (SQLite's plans; the
    PostgreSQL figures are in bench/RESULTS.md)."""
    import sqlite3

    from newsmine.dashboard import FIRMS_SQL, MONTHLY_SQL, NEWEST_SQL

    conn = sqlite3.connect(page_db)
    try:
        def plan(sql: str, params: tuple) -> str:
            return " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))

        newest = plan(NEWEST_SQL, (8,))
        firms = plan(FIRMS_SQL, ("2024-10-01", "2024-11-01", 10))
        month = plan(MONTHLY_SQL, ("2023-01-01", "2024-11-01"))
    finally:
        conn.close()
    assert "achievements_first" in newest and "B-TREE FOR ORDER BY" not in newest, newest
    assert "articles_published" in month, month
    assert firms.startswith("SEARCH a USING") and "articles_published" in firms.split("|")[0], firms


# ---------------------------------------------------------------- search page


def test_orgkind_filter_in_the_query_language(url: str) -> None:
    from index import QueryError, open_store

    store = open_store(url)
    try:
        public = store.search("orgkind:public", collapse=False)
        korean = store.search("orgkind:공공기관 스마트공장", collapse=False)
        government = store.search("orgkind:government from:2024-09", collapse=False)
        with pytest.raises(QueryError, match="unknown organisation kind"):
            store.search("orgkind:bank")
    finally:
        store.close()
    assert [h["title"] for h in public["hits"]] == ["전북테크노파크, 스마트공장 국비 5억 원 확보"]
    assert korean["total"] == 1
    assert government["total"] == 6  # 9-10: export, hiring, programme, 2 robot copies, funding


def test_search_page_date_pickers_and_kind_filter(sqlite_client: TestClient) -> None:
    page = sqlite_client.get("/", params={"q": "한빛정밀", "from": "2024-09-01", "to": "2024-12-31"})
    assert page.status_code == 200
    html = page.text
    assert '<input id="from" name="from" type="date" value="2024-09-01">' in html
    assert '<input id="to" name="to" type="date" value="2024-12-31">' in html
    assert "제2공장" in html and "제동장치" not in html  # July's contract is before the range
    # exports, coverage, facets and paging keep the dates
    assert "/api/export?q=%ED%95%9C%EB%B9%9B%EC%A0%95%EB%B0%80+from%3A2024-09-01+to%3A2024-12-31&amp;format=csv" in html
    assert "from=2024-09-01&amp;to=2024-12-31" in html.split('class="facets"')[1]
    # a year or month value shows as its first / last day in the pickers
    html = sqlite_client.get("/", params={"q": "한빛정밀", "from": "2024-09", "to": "2024"}).text
    assert 'value="2024-09-01"' in html and 'value="2024-12-31"' in html
    # dates alone are a query
    assert "제2공장" in sqlite_client.get("/", params={"from": "2024-09-20", "to": "2024-09-20"}).text
    kinds = sqlite_client.get("/", params={"q": "스마트공장", "orgkind": "public"}).text
    assert '<option value="public" selected>공공기관</option>' in kinds and "국비 5억 원" in kinds
    assert "검색 결과가 없습니다" in sqlite_client.get("/", params={"q": "바다찬", "orgkind": "public"}).text
    assert sqlite_client.get("/", params={"q": "x", "orgkind": "bank"}).status_code == 400
    bad = sqlite_client.get("/", params={"q": "orgkind:bank"})
    assert bad.status_code == 400 and "기관 종류는 없습니다" in bad.text


def test_titles_are_highlighted_like_snippets(sqlite_client: TestClient) -> None:
    html = sqlite_client.get("/", params={"q": "바다찬"}).text
    assert '<h2 class="title"><a href="/article/' in html
    title = html.split('<h2 class="title">')[1].split("</h2>")[0]
    assert "<bdi><mark>바다찬</mark>, 미국에 김 스낵 300만 달러 수출</bdi>" in title
    # markup in a title stays text around the marks
    from newsmine.web.format import highlight
    from index.snippet import pattern_regex

    assert str(highlight("<b>바다찬</b>", pattern_regex(["바다찬"]))) == "&lt;b&gt;<mark>바다찬</mark>&lt;/b&gt;"


# ---------------------------------------------------------------- watches page


def _post(client: TestClient, path: str, **fields: str):
    return client.post(path, data=fields, follow_redirects=False)


def test_watches_page_creates_lists_and_deletes_with_the_token(sqlite_client: TestClient) -> None:
    c = sqlite_client
    empty = c.get("/watches")
    assert empty.status_code == 200 and "저장된 검색이 없습니다" in empty.text
    assert 'action="/watches" method="post"' in empty.text and 'type="password"' in empty.text
    assert 'aria-current="page">저장된 검색' in empty.text

    assert _post(c, "/watches", name="한빛", query="firm:한빛정밀").status_code == 401
    wrong = _post(c, "/watches", name="한빛", query="firm:한빛정밀", token="nope")
    assert wrong.status_code == 401 and "토큰이 없거나 틀립니다" in wrong.text
    assert 'value="firm:한빛정밀"' in wrong.text  # the form keeps what was typed, not the token
    made = _post(c, "/watches", name="한빛 동향", query="firm:한빛정밀", token=TOKEN)
    assert made.status_code == 303 and made.headers["location"].startswith("/watches?added=")
    listed = c.get(made.headers["location"]).text
    assert "'<bdi>한빛 동향</bdi>' 검색을 저장했습니다" in listed and "<bdi>한빛 동향</bdi>" in listed
    assert c.get("/api/watches").json()[0]["pending"] == 4  # the API sees the page's watch

    assert _post(c, "/watches", name="한빛 동향", query="x", token=TOKEN).status_code == 409
    bad_query = _post(c, "/watches", name="괄호", query="한빛 (", token=TOKEN)
    assert bad_query.status_code == 400 and "괄호" in bad_query.text
    bad_name = _post(c, "/watches", name="a/b", query="x", token=TOKEN)
    assert bad_name.status_code == 400 and "1–64자" in bad_name.text
    as_json = c.post("/watches", json={"name": "j", "query": "x", "token": TOKEN})
    assert as_json.status_code == 400

    assert _post(c, "/watches/delete", name="한빛 동향", token="nope").status_code == 401
    gone = _post(c, "/watches/delete", name="한빛 동향", token=TOKEN)
    assert gone.status_code == 303 and "removed=" in gone.headers["location"]
    assert c.get("/api/watches").json() == []
    missing = _post(c, "/watches/delete", name="한빛 동향", token=TOKEN)
    assert missing.status_code == 404 and "저장된 검색이 없습니다" in missing.text


def test_watches_page_without_a_token_only_lists(page_db: Path) -> None:
    from newsmine.api import create_app

    with TestClient(create_app(str(page_db), token="", hosts=["testserver"])) as c:
        html = c.get("/watches").text
        assert "목록만 볼 수 있습니다" in html and 'type="password"' not in html
        refused = _post(c, "/watches", name="x", query="y", token="anything")
        assert refused.status_code == 403 and "NEWSMINE_TOKEN" in refused.text


# ---------------------------------------------------------------- organisation page


def test_achievements_api_filters_by_organisation(client: TestClient) -> None:
    both = client.get("/api/achievements", params={"org": "㈜한빛정밀"}).json()
    assert [(a["type"], a["story_size"]) for a in both["achievements"]] == [("hiring", 1), ("contract", 2)]
    assert client.get("/api/achievements", params={"org": "한빛정밀", "type": "hiring"}).json()["total"] == 1
    assert client.get("/api/achievements", params={"org": "없는회사"}).json()["total"] == 0
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/achievements/export", params={"org": "대박로봇", "min": "10억", "format": "csv"}).text.lstrip("\ufeff"))))
    assert [(r["organization"], r["type"], r["amount"]) for r in rows] == [("대박로봇", "contract", "120억 원")]


def test_org_page_filters_its_achievements(sqlite_client: TestClient) -> None:
    c = sqlite_client
    html = c.get("/org/한빛정밀").text
    table = html.split('<table class="achievements">')[1].split("</table>")[0]
    assert table.count("<tr>") == 3 and "약 35억 원" in table and "50명" in table and "+1 매체" in table
    assert 'action="/org/%ED%95%9C%EB%B9%9B%EC%A0%95%EB%B0%80"' in html
    assert "/api/achievements/export?format=csv&amp;org=%ED%95%9C%EB%B9%9B%EC%A0%95%EB%B0%80" in html

    hiring = c.get("/org/한빛정밀", params={"type": "hiring"}).text
    table = hiring.split('<table class="achievements">')[1].split("</table>")[0]
    assert table.count("<tr>") == 2 and "50명" in table and "35억" not in table
    assert '<option value="hiring" selected>' in hiring
    assert "/api/achievements/export?format=xlsx&amp;org=%ED%95%9C%EB%B9%9B%EC%A0%95%EB%B0%80&amp;type=hiring" in hiring

    large = c.get("/org/한빛정밀", params={"min": "10억"}).text
    assert "약 35억 원" in large and "50명" not in large.split('<table class="achievements">')[1].split("</table>")[0]
    dated = c.get("/org/한빛정밀", params={"from": "2024-09", "to": "2024-09"}).text
    assert '<input id="from" name="from" type="date" value="2024-09-01">' in dated
    assert '<input id="to" name="to" type="date" value="2024-09-30">' in dated
    assert "35억" not in dated.split('<table class="achievements">')[1].split("</table>")[0]
    none = c.get("/org/한빛정밀", params={"type": "award"}).text
    assert "조건에 맞는 성과가 없습니다" in none and "월별 언급 기사 수" in none  # the rest of the page stays

    bad = c.get("/org/한빛정밀", params={"min": "많이"})
    assert bad.status_code == 400 and "bad amount" in bad.text and "월별 언급 기사 수" in bad.text


def test_search_page_and_cli_say_when_a_total_is_a_floor_or_an_estimate(tmp_path: Path, monkeypatch, capsys) -> None:
    """Past its count limit a total reads "N건 이상" ("N+ matches") with a link that counts every
    match; a total scaled from the window reads "약 N건" ("about N"); an exact one reads as a
    plain number."""
    from newsmine.api import create_app
    from newsmine.render import print_search
    from index.sqlite import SQLiteStore

    db = tmp_path / "news.sqlite"
    fill(db, [record(f"https://example.test/c{n}", "뉴스스텝", f"소식 {n}", f"수출 계약을 맺었다. 기사 {n}번째입니다.",
                     f"2024-03-{n:02d}T09:00:00+09:00", []) for n in range(1, 13)])
    for name, value in (("FULL_LIMIT", 4), ("WINDOW", 90), ("COUNT_LIMIT", 8)):   # a page of 20 < WINDOW // 3
        monkeypatch.setattr(SQLiteStore, name, value)
    with TestClient(create_app(str(db), token=TOKEN, hosts=["testserver"])) as c:
        assert "8건 이상" in c.get("/", params={"q": "수출 outlet:뉴스스텝", "all": 1}).text
        floor = c.get("/", params={"q": "수출", "all": 1}).text
        assert "8건 이상" in floor and "모두 세기" in floor and "exact=1" in floor
        exact = c.get("/", params={"q": "수출", "all": 1, "exact": 1}).text
        assert "12건" in exact and "이상" not in exact.split('class="count"')[1][:80] and "모두 세기" not in exact
        assert "약 " in c.get("/", params={"q": "수출", "exact": 1}).text.split('class="count"')[1][:80]
        api = c.get("/api/search", params={"q": "수출", "collapse": "false", "limit": 1}).json()
        assert (api["total"], api["total_relation"]) == (8, "gte")
        api = c.get("/api/search", params={"q": "수출", "collapse": "false", "limit": 1, "exact_total": "true"}).json()
        assert api["total"] == 12 and "total_relation" not in api
    from click.testing import CliRunner
    from newsmine.cli import cli

    for flags, total in (([], "8+ match(es)"), (["--exact-total"], "12 match(es)")):
        shown = CliRunner().invoke(cli, ["search", "수출", "--db", str(db), "--all-copies", *flags])
        assert shown.exit_code == 0 and total in shown.output, shown.output
    print_search({"query": "q", "total": 8, "total_relation": "gte", "hits": []})
    print_search({"query": "q", "total": 5, "total_relation": "approx", "hits": []})
    print_search({"query": "q", "total": 12, "hits": []})
    out = capsys.readouterr().out
    assert "8+ match(es)" in out and "about 5 match(es)" in out and "12 match(es)" in out

"""The HTTP API and pages (fastapi TestClient): every endpoint, bad parameters → 4xx with a
one-line message, the token rule for changes, exports, and escaping of hostile articles.
Stories, organisation profiles, coverage, share of voice, watches and the pages run on both
back ends (`both_client`); search and exports, which test_index.py covers on both, on SQLite."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from conftest import REPO
from index_backends import Backend
from surfaces_fixtures import (  # noqa: F401
    ALL, XSS_ARTICLE, XSS_TITLE, backend, fill, filled_db, filled_url, record, write_jsonl,
)

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(filled_db: Path) -> Iterator[TestClient]:
    from newsmine.api import create_app

    with TestClient(create_app(str(filled_db), token=TOKEN, hosts=["testserver"])) as c:
        yield c


@pytest.fixture(scope="module")
def both_client(filled_url: str) -> Iterator[TestClient]:
    """The same app over each back end (SQLite, PostgreSQL)."""
    from newsmine.api import create_app

    with TestClient(create_app(filled_url, token=TOKEN, hosts=["testserver"])) as c:
        yield c


def one_line_400(response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail and "\n" not in detail
    return detail


# ---------------------------------------------------------------- search


def test_search_has_the_cli_json_shape(client: TestClient) -> None:
    result = client.get("/api/search", params={"q": "한빛정밀"}).json()
    assert set(result) == {"query", "total", "hits", "facets"}
    assert result["query"] == "한빛정밀"
    assert result["total"] == 3  # four articles, the syndicated pair folded into one story
    for hit in result["hits"]:
        assert set(hit) == {"id", "url", "title", "outlet", "published_at", "snippet", "story_id",
                            "story_size", "organizations", "kind"}
        assert "«한빛정밀»" in hit["snippet"]
    assert set(result["facets"]) == {"outlet", "month", "organization", "type"}
    assert result["facets"]["type"] == {"contract": 2, "hiring": 1}
    pair = [h for h in result["hits"] if h["story_size"] == 2]
    assert len(pair) == 1


def test_search_paging_sorting_and_copies(client: TestClient) -> None:
    every = client.get("/api/search", params={"q": "한빛정밀", "collapse": "false"}).json()
    assert every["total"] == 4
    recent = client.get("/api/search", params={"q": "한빛정밀", "sort": "recency", "collapse": "false"}).json()
    dates = [h["published_at"] for h in recent["hits"]]
    assert dates == sorted(dates, reverse=True)
    alias = client.get("/api/search", params={"q": "한빛정밀", "sort": "recent", "collapse": "false"}).json()
    assert [h["id"] for h in alias["hits"]] == [h["id"] for h in recent["hits"]]
    page = client.get("/api/search", params={"q": "한빛정밀", "sort": "recency", "collapse": "false",
                                             "limit": 2, "offset": 2}).json()
    assert [h["id"] for h in page["hits"]] == [h["id"] for h in recent["hits"][2:4]]
    filtered = client.get("/api/search", params={"q": "outlet:익산투데이 type:selection"}).json()
    assert [h["title"] for h in filtered["hits"]] == ["새벽소프트, 전북 SW 강소기업 선정"]


@pytest.mark.parametrize(
    "params, words",
    [
        ({"q": "한빛정밀 ("}, "parenthesis"),
        ({"q": '"납품 계약'}, "quote"),
        ({"q": "type:nonsense"}, "achievement type"),
        ({"q": "from:2024-13"}, "date"),
        ({"q": "nope:1"}, "unknown field"),
        ({"q": ""}, "empty"),
        ({}, "q"),
        ({"q": "한빛정밀", "limit": 0}, "limit"),
        ({"q": "한빛정밀", "limit": "many"}, "limit"),
        ({"q": "한빛정밀", "offset": -1}, "offset"),
        ({"q": "한빛정밀", "sort": "random"}, "sort"),
        ({"q": "한빛정밀", "collapse": "perhaps"}, "collapse"),
        ({"q": "x" * 1001}, "q"),
    ],
)
def test_search_bad_parameters_are_400_with_one_line(client: TestClient, params: dict, words: str) -> None:
    detail = one_line_400(client.get("/api/search", params=params))
    assert words in detail


# ---------------------------------------------------------------- articles, stories, organisations


def test_article_and_404(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "바다찬"}).json()["hits"][0]
    article = client.get(f"/api/articles/{hit['id']}").json()
    assert article["title"] == "바다찬, 미국에 김 스낵 300만 달러 수출"
    assert article["achievements"][0]["amount"] == {"value": 3000000, "unit": "USD", "approximate": False}
    assert {o["name"] for o in article["organizations"]} == {"바다찬", "군산시"}
    assert "no article" in one_line_400(client.get("/api/articles/0000000000000000"), 404)


def test_story_lists_every_copy(both_client: TestClient) -> None:
    hit = next(h for h in both_client.get("/api/search", params={"q": "제동장치"}).json()["hits"])
    story = both_client.get(f"/api/stories/{hit['story_id']}").json()
    assert story["size"] == 2
    assert story["outlets"] == ["전북새날신문", "호남경제뉴스"]
    assert [a["published_at"][:10] for a in story["articles"]] == ["2024-07-15", "2024-07-16"]
    one_line_400(both_client.get("/api/stories/nosuchstory"), 404)


def test_organization_profile(both_client: TestClient) -> None:
    profile = both_client.get("/api/organizations/한빛정밀").json()
    assert profile["name"] == "한빛정밀" and profile["kind"] == "firm"
    assert profile["surfaces"] == {"㈜한빛정밀": 4}
    assert (profile["articles"], profile["stories"], profile["mentions"]) == (4, 3, 4)
    assert [(m["month"], m["articles"]) for m in profile["monthly"]] == [
        ("2024-07", 2), ("2024-08", 0), ("2024-09", 1), ("2024-10", 1)]
    kinds = [a["type"] for a in profile["achievements"]]
    assert kinds == ["hiring", "contract"]  # newest first; the two copies of the contract folded
    contract = profile["achievements"][1]
    assert contract["copies"] == 2 and contract["story_size"] == 2
    assert contract["amount"] == {"value": 3500000000, "unit": "KRW", "approximate": True}
    assert "35억 원" in contract["evidence"]
    assert contract["article"]["outlet"] == "호남경제뉴스"  # the earliest copy stands for the story
    assert {"name": "전북특별자치도", "kind": "government", "articles": 3} in profile["related"]
    # legal-form markers and spacing do not matter, as in org: queries
    assert both_client.get("/api/organizations/㈜한빛정밀").json()["name"] == "한빛정밀"
    assert both_client.get("/api/organizations/(주) 한빛정밀").json()["name"] == "한빛정밀"
    assert "no organisation" in one_line_400(both_client.get("/api/organizations/없는회사"), 404)
    one_line_400(both_client.get("/api/organizations/a/b"), 404)


# ---------------------------------------------------------------- coverage and share


def test_coverage_by_each_grouping(both_client: TestClient) -> None:
    by_outlet = both_client.get("/api/coverage", params={"q": "", "by": "outlet"}).json()
    assert (by_outlet["articles"], by_outlet["stories"]) == (6, 5)
    assert {r["key"]: r["articles"] for r in by_outlet["rows"]} == {"익산투데이": 2, "전북새날신문": 2, "호남경제뉴스": 2}
    assert by_outlet["months"] == ["2024-07", "2024-08", "2024-09", "2024-10"]
    saenal = next(r for r in by_outlet["rows"] if r["key"] == "전북새날신문")
    assert saenal["by_month"] == {"2024-07": 1, "2024-09": 1}
    by_month = both_client.get("/api/coverage", params={"by": "month"}).json()
    assert [(r["key"], r["articles"]) for r in by_month["rows"]] == [
        ("2024-07", 2), ("2024-08", 1), ("2024-09", 2), ("2024-10", 1)]
    by_org = both_client.get("/api/coverage", params={"q": "", "by": "org", "kind": "firm"}).json()
    assert [(r["key"], r["articles"], r["stories"]) for r in by_org["rows"]] == [
        ("한빛정밀", 4, 3), ("새벽소프트", 2, 2), ("바다찬", 1, 1)]
    by_region = both_client.get("/api/coverage", params={"by": "region"}).json()
    assert {r["key"]: r["articles"] for r in by_region["rows"]} == {"전북": 6}  # 군산시, 익산시 are in 전북
    dated = both_client.get("/api/coverage", params={"q": "한빛정밀", "from": "2024-09", "to": "2024-10"}).json()
    assert dated["articles"] == 2
    limited = both_client.get("/api/coverage", params={"by": "org", "limit": 2}).json()
    assert len(limited["rows"]) == 2 and limited["truncated"] > 0


@pytest.mark.parametrize(
    "params, words",
    [
        ({"by": "weekday"}, "by"),
        ({"from": "2024-13"}, "date"),
        ({"q": "("}, "parenthesis"),
        ({"by": "org", "kind": "alien"}, "kind"),
        ({"limit": 0}, "limit"),
    ],
)
def test_coverage_bad_parameters(both_client: TestClient, params: dict, words: str) -> None:
    assert words in one_line_400(both_client.get("/api/coverage", params=params))


def test_share_of_voice(both_client: TestClient) -> None:
    share = both_client.get("/api/share", params=[("org", "한빛정밀"), ("org", "새벽소프트")]).json()
    assert share["organizations"] == ["한빛정밀", "새벽소프트"]
    october = next(p for p in share["periods"] if p["period"] == "2024-10")
    assert october["counts"] == {"한빛정밀": 1, "새벽소프트": 1}
    assert october["shares"] == {"한빛정밀": 0.5, "새벽소프트": 0.5}
    assert share["totals"] == {"한빛정밀": 4, "새벽소프트": 2}
    overall = both_client.get("/api/share", params=[("org", "한빛정밀"), ("org", "바다찬"), ("by", "all")]).json()
    assert [p["period"] for p in overall["periods"]] == ["전체"]
    assert "없는회사" in one_line_400(both_client.get("/api/share", params={"org": "없는회사"}), 404)
    one_line_400(both_client.get("/api/share"))


def test_summary(client: TestClient) -> None:
    summary = client.get("/api/summary").json()
    assert summary["articles"] == 6 and summary["stories"] == 5


# ---------------------------------------------------------------- exports


def test_export_csv_has_bom_and_every_row(client: TestClient) -> None:
    response = client.get("/api/export", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 6
    assert {r["outlet"] for r in rows} == {"익산투데이", "전북새날신문", "호남경제뉴스"}
    assert json.loads(next(r for r in rows if r["title"].startswith("바다찬"))["achievements"])[0]["type"] == "export"


def test_export_jsonl_with_query(client: TestClient) -> None:
    response = client.get("/api/export", params={"format": "jsonl", "q": "firm:새벽소프트"})
    records = [json.loads(line) for line in response.text.splitlines()]
    assert sorted(r["title"] for r in records) == ["새벽소프트, 전북 SW 강소기업 선정",
                                                    "전북도, SW 기업 성장 지원 사업 참여 기업 모집"]
    assert set(records[0]) >= {"id", "url", "canonical_url", "outlet", "title", "published_at", "modified_at",
                               "authors", "body", "story_id", "organizations", "achievements"}


def test_export_xlsx_opens_in_openpyxl(client: TestClient) -> None:
    from openpyxl import load_workbook

    response = client.get("/api/export", params={"format": "xlsx", "q": "한빛정밀"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("id", "url", "canonical_url", "outlet", "title")
    assert len(rows) == 1 + 4
    assert "한빛정밀, 35억 원 제동장치 부품 공급 계약" in {r[4] for r in rows[1:]}


def test_export_bad_parameters(client: TestClient) -> None:
    assert "format" in one_line_400(client.get("/api/export", params={"format": "pdf"}))
    assert "parenthesis" in one_line_400(client.get("/api/export", params={"q": "(a"}))


def test_export_streams_past_every_batch_size(tmp_path: Path) -> None:
    """No row cap: more rows than one export batch (200) and more bytes than one chunk."""
    from newsmine.api import create_app

    base = ALL[4]
    many = [dict(base, url=f"https://bulk.example/{i}", canonical_url=f"https://bulk.example/{i}",
                 title=f"{base['title']} #{i}", body=f"{i}번째 기사. " + base["body"]) for i in range(230)]
    fill(tmp_path / "bulk.sqlite", many)
    with TestClient(create_app(str(tmp_path / "bulk.sqlite"), token="", hosts=["testserver"])) as c:
        response = c.get("/api/export", params={"format": "csv"})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 231 and len(response.content) > 2 * 64 * 1024
        lines = c.get("/api/export", params={"format": "jsonl", "q": "채용"}).text.splitlines()
        assert len(lines) == 230


# ---------------------------------------------------------------- watches and the token rule


def test_watch_changes_need_the_token(both_client: TestClient) -> None:
    body = {"name": "한빛 동향", "query": "firm:한빛정밀"}
    assert both_client.post("/api/watches", json=body).status_code == 401
    wrong = both_client.post("/api/watches", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    created = both_client.post("/api/watches", json=body, headers=AUTH)
    assert created.status_code == 201 and created.json()["name"] == "한빛 동향"
    assert both_client.post("/api/watches", json=body, headers=AUTH).status_code == 409
    listed = both_client.get("/api/watches").json()
    assert [(w["name"], w["pending"]) for w in listed] == [("한빛 동향", 4)]
    assert both_client.delete("/api/watches/한빛 동향").status_code == 401
    assert both_client.delete("/api/watches/한빛 동향", headers=AUTH).status_code == 204
    assert both_client.delete("/api/watches/한빛 동향", headers=AUTH).status_code == 404
    assert both_client.get("/api/watches").json() == []


@pytest.mark.parametrize(
    "body, words",
    [
        ({"name": "bad/name", "query": "한빛정밀"}, "watch name"),
        ({"name": "ok", "query": "한빛정밀 ("}, "parenthesis"),
        ({"name": "ok"}, "query"),
        ({"name": "", "query": "x"}, "watch name"),
    ],
)
def test_watch_bad_bodies(client: TestClient, body: dict, words: str) -> None:
    assert words in one_line_400(client.post("/api/watches", json=body, headers=AUTH))


def test_without_a_configured_token_changes_are_refused(filled_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsmine.api import create_app

    monkeypatch.delenv("NEWSMINE_TOKEN", raising=False)
    with TestClient(create_app(str(filled_db), hosts=["testserver"])) as c:
        for headers in ({}, AUTH, {"Authorization": "Bearer "}):
            refused = c.post("/api/watches", json={"name": "x", "query": "y"}, headers=headers)
            assert refused.status_code == 403 and "no token" in refused.json()["detail"]
            assert c.delete("/api/watches/x", headers=headers).status_code == 403
        assert c.get("/api/watches").status_code == 200  # reads stay open
    monkeypatch.setenv("NEWSMINE_TOKEN", "from-env")
    with TestClient(create_app(str(filled_db), hosts=["testserver"])) as c:
        ok = c.post("/api/watches", json={"name": "env", "query": "바다찬"}, headers={"Authorization": "Bearer from-env"})
        assert ok.status_code == 201
        assert c.delete("/api/watches/env", headers={"Authorization": "Bearer from-env"}).status_code == 204


# ---------------------------------------------------------------- OpenAPI, pages, headers


def test_openapi_and_docs_are_served_locally(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/articles/{article_id}", "/api/organizations/{name}", "/api/stories/{story_id}",
                 "/api/coverage", "/api/export", "/api/watches", "/api/share"):
        assert path in spec["paths"], path
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_pages_render_in_korean(both_client: TestClient) -> None:
    home = both_client.get("/")
    assert home.status_code == 200 and '<html lang="ko">' in home.text
    assert 'name="viewport"' in home.text and "autofocus" in home.text
    assert "Content-Security-Policy" in home.headers and "script-src 'self'" in home.headers["content-security-policy"]
    results = both_client.get("/", params={"q": "한빛정밀"}).text
    assert "<mark>한빛정밀</mark>" in results
    assert "+1 개 매체" in results and 'href="/story/' in results
    assert "outlet%3A%ED%98%B8%EB%82%A8%EA%B2%BD%EC%A0%9C%EB%89%B4%EC%8A%A4" in results  # facet link adds outlet:
    assert "from%3A2024-07+to%3A2024-07" in results  # month facet → from:/to:
    org = both_client.get("/org/한빛정밀").text
    assert "<svg" in org and org.count('class="bar"') == 4
    assert "약 35억 원" in org and "50명" in org
    coverage = both_client.get("/coverage", params={"q": "", "by": "outlet"}).text
    assert "<svg" in coverage and "호남경제뉴스" in coverage
    assert both_client.get("/coverage", params={"by": "region"}).status_code == 200
    assert both_client.get("/coverage", params={"by": "month"}).status_code == 200
    assert both_client.get("/coverage", params={"by": "org"}).status_code == 200
    assert both_client.get("/", params={"q": "한빛정밀", "all": "1"}).text.count('class="hit"') == 4
    assert both_client.get("/", params={"q": "한빛정밀", "sort": "recency"}).status_code == 200
    story_id = both_client.get("/api/search", params={"q": "제동장치"}).json()["hits"][0]["story_id"]
    assert both_client.get(f"/story/{story_id}").text.count('class="hit"') == 2


def test_page_errors_are_pages(client: TestClient) -> None:
    bad = client.get("/", params={"q": "한빛정밀 ("})
    assert bad.status_code == 400 and "괄호" in bad.text and "text/html" in bad.headers["content-type"]
    assert client.get("/coverage", params={"q": '"'}).status_code == 400
    missing = client.get("/org/없는회사")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert client.get("/article/nope").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/", params={"offset": -5}).status_code == 400


# ---------------------------------------------------------------- hostile content


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The hostile article through the real ingest path (NLP stage), plus a javascript: URL."""
    from index import open_store
    from newsmine.api import create_app
    from newsmine.ingesting import ingest_file

    folder = tmp_path_factory.mktemp("hostile")
    db = str(folder / "news.sqlite")
    ingest_file(write_jsonl(folder / "in.jsonl", [XSS_ARTICLE]), db)
    store = open_store(db)
    store.upsert_article(record("javascript:alert(3)", "링크매체", "자바스크립트 링크 기사 한빛정밀",
                                "㈜한빛정밀은 이번 달에도 부품 공급을 이어가고 있다고 밝혔다.",
                                "2024-10-06T09:00:00+09:00", [("한빛정밀", "firm", "㈜한빛정밀")]))
    store.close()
    with TestClient(create_app(db, token="", hosts=["testserver"])) as c:
        yield c


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<b>매체</b>" not in html
    assert '" onmouseover="x' not in html
    assert 'href="javascript:' not in html.lower()


def test_hostile_text_is_escaped_everywhere(hostile_client: TestClient) -> None:
    c = hostile_client
    results = c.get("/", params={"q": "특집"}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in results
    assert_inert(results)
    hit = c.get("/api/search", params={"q": "특집"}).json()["hits"][0]
    assert hit["title"] == XSS_TITLE  # JSON carries the text as it is; HTML escapes it
    article = c.get(f"/article/{hit['id']}").text
    assert "onerror=alert(2)" not in article and "12억 원" in article  # markup in the body: text at ingest
    assert_inert(article)
    for page in ("/", "/?q=한빛정밀", "/org/한빛정밀", "/coverage?q=&by=outlet", "/coverage?by=org",
                 f"/story/{hit['story_id']}"):
        response = c.get(page)
        assert response.status_code == 200, page
        assert_inert(response.text)
    js_hit = c.get("/api/search", params={"q": "자바스크립트"}).json()["hits"][0]
    assert js_hit["url"].startswith("javascript:")
    assert_inert(c.get("/", params={"q": "자바스크립트"}).text)
    assert_inert(c.get(f"/article/{js_hit['id']}").text)


def test_format_helpers() -> None:
    from newsmine.web.format import add_filter, amount_text, safe_url, snippet_html

    assert str(snippet_html('앞 «한빛» <b>"x"</b> «')) == '앞 <mark>한빛</mark> &lt;b&gt;&#34;x&#34;&lt;/b&gt; «'
    assert amount_text({"value": 2000000000, "unit": "KRW", "approximate": True}) == "약 20억 원"
    assert amount_text({"value": 321500000000, "unit": "KRW", "approximate": False}) == "3,215억 원"
    assert amount_text({"value": 3200000, "unit": "USD"}) == "320만 달러"
    assert amount_text({"value": 17, "unit": "percent"}) == "17%"
    assert amount_text({"value": 90, "unit": "persons", "approximate": True}) == "약 90명"
    assert amount_text(None) == "-"
    assert safe_url("https://a.example/x") == "https://a.example/x"
    assert safe_url(" JavaScript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert add_filter("강소기업", "outlet", "전북 일보") == '강소기업 outlet:"전북 일보"'
    assert add_filter("", "month", "2024-09") == "from:2024-09 to:2024-09"
    assert add_filter("a", "org", 'x"y') == 'a org:"x\\"y"'


# ---------------------------------------------------------------- newsmine serve


def test_serve_refuses_remote_hosts_without_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    from newsmine.cli import _is_loopback, main

    for host in ("0.0.0.0", "192.168.1.5", "example.com", "::"):
        with pytest.raises(SystemExit) as exit_info:
            main(["serve", "--host", host, "--db", ":memory:"])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("newsmine: error: refusing to listen on") and "--allow-remote" in err[0]
    assert all(_is_loopback(h) for h in ("127.0.0.1", "127.3.4.5", "::1", "[::1]", "localhost"))


def test_serve_command_answers_on_loopback(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "NEWSMINE_TOKEN"}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsmine", "serve", "--db", str(tmp_path / "s.sqlite"), "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api/summary", timeout=2) as response:
                    assert json.loads(response.read())["articles"] == 0
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("newsmine serve did not answer: " + (process.stderr.read() if process.poll() is not None else ""))
                time.sleep(0.2)
        request = urllib.request.Request(base + "/api/watches", data=b'{"name":"a","query":"b"}', method="POST",
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "no token configured" in process.stderr.read()


def test_organization_spellings_merged_by_the_index(backend: Backend) -> None:
    """The index merges spellings of one firm (HB정밀 = 에이치비정밀); the profile follows."""
    from newsmine.api import create_app

    first = "㈜에이치비정밀은 전북 완주에 새 공장을 짓고 직원 30명을 새로 채용했다고 밝혔다."
    second = "HB정밀이 전주의 대학과 손잡고 정밀 가공 기술을 함께 개발하기로 협약을 맺었다."
    url = backend.url("spellings")
    fill(url, [
        record("https://a.example/1", "익산투데이", "에이치비정밀 30명 채용", first, "2024-05-02T09:00:00+09:00",
               [("에이치비정밀", "firm", "㈜에이치비정밀")]),
        record("https://a.example/2", "호남경제뉴스", "HB정밀, 대학과 기술 협약", second, "2024-06-03T09:00:00+09:00",
               [("HB정밀", "firm", "HB정밀")]),
    ])
    with TestClient(create_app(url, token="", hosts=["testserver"])) as c:
        profile = c.get("/api/organizations/HB정밀").json()
        assert profile["name"] == "에이치비정밀"
        assert profile["aliases"] == ["HB정밀"]
        assert profile["articles"] == 2
        assert set(profile["surfaces"]) == {"㈜에이치비정밀", "HB정밀"}
        assert c.get("/org/HB정밀").status_code == 200

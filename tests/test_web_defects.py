"""The web and report defects found by hand (issue 14): odd stored text (bidi controls, a
5,000-character title, a quote in an outlet, a `javascript:` URL, markup in a body), long
date ranges in coverage, Korean fonts in PNG charts, HEAD requests, the Host-header check,
the /docs headers and the API's answers to odd parameters. SQLite only: these are surface
defects, the back ends store the same strings."""

from __future__ import annotations

import hashlib
import base64
import json
import re
import struct
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from surfaces_fixtures import ALL, fill, filled_db, record, write_jsonl  # noqa: F401
from test_reports import run_cli

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
TEST_HOSTS = ["testserver"]
LONG_TITLE = "긴제목 한빛정밀 " + "가나다라마바사" * 720  # about 5,000 characters
QUOTED_OUTLET = '따옴표"매체'
ODD_BODY = "㈜한빛정밀은 협력사와 약 7억 원 규모의 부품 공급 계약을 맺었다고 밝혔다. 전북특별자치도는 지원을 이어간다."

ODD = [
    record("https://odd.example/rtl", "역방향\u202e매체", "\u202e거꾸로 제목\u202c 한빛정밀 특보", ODD_BODY,
           "2024-11-04T09:00:00+09:00", [("한빛\u2066정밀\u2069", "firm", "㈜한빛정밀")]),
    record("https://odd.example/long", QUOTED_OUTLET, LONG_TITLE, ODD_BODY.replace("7억", "8억"),
           "2024-11-05T09:00:00+09:00", [("한빛정밀", "firm", "㈜한빛정밀")]),
    record("javascript:alert(5)", "링크매체", "스크립트 주소 기사 한빛정밀", ODD_BODY.replace("7억", "9억"),
           "2024-11-06T09:00:00+09:00", [("한빛정밀", "firm", "㈜한빛정밀")]),
]


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("odd") / "news.sqlite"
    fill(db, ALL + ODD)
    return db


@pytest.fixture(scope="module")
def odd(odd_db: Path) -> Iterator[TestClient]:
    from newsmine.api import create_app

    with TestClient(create_app(str(odd_db), token="t", hosts=TEST_HOSTS)) as c:
        yield c


# ---------------------------------------------------------------- 1. bidi controls


def test_bidi_controls_are_stripped_from_names_at_storage(odd_db: Path) -> None:
    from index import open_store
    from index.common import article_id_for

    store = open_store(str(odd_db))
    try:
        article = store.get_article(article_id_for("https://odd.example/rtl"))
    finally:
        store.close()
    assert article["outlet"] == "역방향매체"
    assert article["title"] == "거꾸로 제목 한빛정밀 특보"
    assert [o["name"] for o in article["organizations"]] == ["한빛정밀"]
    from index.common import strip_bidi

    assert strip_bidi("a\u202eb\u200fc\u2069") == "abc" and strip_bidi(None) is None


def _unisolated(page: str, texts: list[str]) -> list[str]:
    """The texts that appear in the page's body outside any <bdi> element."""
    tree = lxml_html.fromstring(page)
    body = tree.find("body")
    bad = []
    for node in body.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "title"):
            continue
        for text, owner in ((node.text, node), (node.tail, node.getparent())):
            if not text or owner is None:
                continue
            for wanted in texts:
                if wanted in text:
                    chain = [owner, *owner.iterancestors()]
                    if not any(el.tag == "bdi" for el in chain):
                        bad.append(f"{wanted!r} in <{owner.tag} class={owner.get('class')}>")
    return bad


def test_stored_strings_are_isolated_on_every_page(odd: TestClient) -> None:
    from index.common import article_id_for

    outlets = ["호남경제뉴스", "전북새날신문", "익산투데이", "역방향매체"]
    titles = ["한빛정밀, 35억 원 제동장치 부품 공급 계약", "거꾸로 제목 한빛정밀 특보"]
    search = odd.get("/", params={"q": "한빛정밀", "all": "1"}).text
    assert not _unisolated(search, outlets + titles + ["새벽소프트"])
    assert not _unisolated(odd.get("/").text, outlets + ["한빛정밀", "새벽소프트"])
    article = odd.get(f"/article/{article_id_for('https://odd.example/rtl')}").text
    assert not _unisolated(article, ["역방향매체", "거꾸로 제목 한빛정밀 특보"])
    org = odd.get("/org/한빛정밀").text
    assert not _unisolated(org, outlets + ["전북새날신문", "익산 한빛정밀 35억 규모 부품 계약"])
    story_id = odd.get("/api/search", params={"q": "제동장치"}).json()["hits"][0]["story_id"]
    assert not _unisolated(odd.get(f"/story/{story_id}").text, outlets + titles)
    assert not _unisolated(odd.get("/achievements").text, ["호남경제뉴스", "전북새날신문", "바다찬"])
    assert not _unisolated(odd.get("/coverage", params={"by": "outlet"}).text, outlets)
    css = odd.get("/static/style.css").text
    assert "unicode-bidi: isolate" in css


# ---------------------------------------------------------------- 2. long titles


def test_long_titles_are_clamped_in_lists_but_whole_on_the_article_page(odd: TestClient) -> None:
    from index.common import article_id_for

    for page in ("/?q=긴제목", "/org/한빛정밀", "/?q=한빛정밀&all=1"):
        text = odd.get(page).text
        assert "가나다라마바사" * 60 not in text, page
    hits = odd.get("/", params={"q": "긴제목"}).text
    assert "가나다라마바사" * 20 in hits and "…" in hits
    article = odd.get(f"/article/{article_id_for('https://odd.example/long')}").text
    assert LONG_TITLE in article
    css = odd.get("/static/style.css").text
    assert "line-clamp" in css


# ---------------------------------------------------------------- 3. coverage bins


@pytest.mark.parametrize("months, expected", [(1, "week"), (3, "week"), (4, "month"), (36, "month"),
                                              (37, "quarter"), (120, "quarter"), (154, "year")])
def test_coverage_bin_follows_the_range(months: int, expected: str) -> None:
    from newsmine.queries import choose_bin

    assert choose_bin(months) == expected


@pytest.fixture(scope="module")
def long_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One article a month from 2012-01 to 2024-10 (154 months), in three outlets."""
    db = tmp_path_factory.mktemp("long") / "news.sqlite"
    records = []
    for i in range(154):
        year, month = 2012 + i // 12, i % 12 + 1
        records.append(record(f"https://long.example/{i}", ("가매체", "나매체", "다매체")[i % 3], f"월간 소식 {i}",
                              f"㈜한빛정밀 소식 {i}번째 기사입니다.", f"{year:04d}-{month:02d}-15T09:00:00+09:00",
                              [("한빛정밀", "firm", "㈜한빛정밀")]))
    fill(db, records)
    return db


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_coverage_over_a_long_range_is_binned(long_db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from newsmine.api import create_app

    with TestClient(create_app(str(long_db), token="", hosts=TEST_HOSTS)) as c:
        cov = c.get("/api/coverage", params={"by": "outlet"}).json()
        assert cov["bin"] == "year" and cov["periods"][0] == "2012" and cov["periods"][-1] == "2024"
        assert len(cov["months"]) == 154  # the monthly figures stay
        assert sum(cov["rows"][0]["by_period"].values()) == cov["rows"][0]["articles"]
        page = c.get("/coverage", params={"by": "outlet"}).text
        header = lxml_html.fromstring(page).xpath("//table[contains(@class,'coverage')]/thead/tr/th")
        assert len(header) <= 4 + 40
        assert [h.text_content() for h in header][4] == "2012"
        short = c.get("/api/coverage", params={"by": "outlet", "from": "2024-08", "to": "2024-10"}).json()
        assert short["bin"] == "week" and all(re.fullmatch(r"\d{4}-W\d{2}", p) for p in short["periods"])
        assert c.get("/coverage", params={"by": "month"}).status_code == 200
    png = tmp_path / "long.png"
    code, _, err = run_cli(["report", "coverage", "", "--by", "outlet", "--png", str(png), "--db", str(long_db)], capsys)
    assert code == 0, err
    width, height = png_size(png)
    assert width <= 2400, width
    png = tmp_path / "long-month.png"
    code, _, err = run_cli(["report", "coverage", "", "--by", "month", "--png", str(png), "--db", str(long_db)], capsys)
    assert code == 0, err
    assert png_size(png)[0] <= 2400


# ---------------------------------------------------------------- 4. Korean fonts in charts


def test_korean_font_found_by_file_when_the_font_cache_is_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    from newsmine import reports

    files = reports.korean_font_files()
    if not files:
        pytest.skip("no Korean font file on this machine")
    stale = [f for f in font_manager.fontManager.ttflist if f.name not in reports.KOREAN_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    reports.korean_font.cache_clear()
    try:
        assert reports.korean_font() in reports.KOREAN_FONTS
        assert reports.font_warning() is None
    finally:
        reports.korean_font.cache_clear()


def test_font_warning_only_without_any_font_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    from newsmine import reports

    stale = [f for f in font_manager.fontManager.ttflist if f.name not in reports.KOREAN_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    monkeypatch.setattr(reports, "korean_font_files", lambda: [])
    reports.korean_font.cache_clear()
    try:
        assert reports.korean_font() is None
        assert "fonts-nanum" in (reports.font_warning() or "")
    finally:
        reports.korean_font.cache_clear()


# ---------------------------------------------------------------- 5. share --by all


def test_share_by_all_has_one_total_row(filled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsmine.api import create_app

    code, out, err = run_cli(["report", "share", "한빛정밀", "바다찬", "--by", "all", "--db", str(filled_db)], capsys)
    assert code == 0, err
    assert len([line for line in out.splitlines() if "전체" in line]) == 1, out
    code, out, err = run_cli(["report", "share", "한빛정밀", "바다찬", "--by", "all", "--json", "--db", str(filled_db)],
                             capsys)
    assert json.loads(out)["by"] == "all"
    with TestClient(create_app(str(filled_db), token="", hosts=TEST_HOSTS)) as c:
        answer = c.get("/api/share", params={"org": ["한빛정밀", "바다찬"], "by": "all"}).json()
        assert answer["by"] == "all" and answer["periods"][0]["period"] == "전체"


# ---------------------------------------------------------------- 6. facet links with a quote


def test_add_filter_quotes_values_the_parser_reads_back() -> None:
    from index.query import Field, parse as parse_query
    from newsmine.web.format import add_filter

    for value in ('따옴표"매체', 'a\\b', '"', 'x" OR y', "전북 일보", "(주)텔로스"):
        query = add_filter("", "outlet", value)
        assert parse_query(query) == Field("outlet", value), (value, query)


def test_facet_link_for_an_outlet_with_a_quote_keeps_the_filter(odd: TestClient) -> None:
    page = odd.get("/", params={"q": "한빛정밀"}).text
    links = lxml_html.fromstring(page).xpath("//aside[contains(@class,'facets')]//a")
    target = next(a.get("href") for a in links if a.text_content().strip() == QUOTED_OUTLET)
    filtered = odd.get(target)
    assert filtered.status_code == 200
    hits = lxml_html.fromstring(filtered.text).xpath("//li[@class='hit']")
    assert len(hits) == 1


# ---------------------------------------------------------------- 7. markup in an ingested body

MARKUP_BODY = (
    "<p>전북 익산의 ㈜<b>악성</b>솔루션은 <img src=x onerror=alert(2)> 한국전력공사와 20억 원 규모의 "
    "배전 설비 공급 계약을 맺었다고 5일 밝혔다.</p><script>alert(1)</script>"
    '<p>회사 관계자는 "내년에도 납품을 이어간다"고 말했다.<br>전북특별자치도는 지원을 계속한다.</p>'
)


def test_ingest_turns_markup_in_a_body_into_text(tmp_path: Path) -> None:
    from index import open_store
    from newsmine.ingesting import ingest_file

    db = str(tmp_path / "news.sqlite")
    article = {"url": "https://markup.example/1", "outlet": "익산투데이", "title": "악성솔루션 20억 원 계약",
               "body": MARKUP_BODY, "published_at": "2024-10-05T09:00:00+09:00"}
    ingest_file(write_jsonl(tmp_path / "in.jsonl", [article]), db)
    store = open_store(db)
    try:
        stored = next(iter(store.iter_records(None)))
    finally:
        store.close()
    assert "<" not in stored["body"] and ">" not in stored["body"]
    assert "alert(1)" not in stored["body"]
    assert "악성솔루션은" in stored["body"] and "20억 원 규모" in stored["body"]
    for org in stored["organizations"]:
        assert not re.search(r"[<>\"']", org["name"]), org["name"]


def test_nlp_never_emits_organisation_names_with_markup() -> None:
    from nlp.pipeline import analyze_text

    result = analyze_text(MARKUP_BODY.replace("<script>", "<script>악성").replace("</p>", "</p>솔루션"))
    names = [o["name"] for o in result["organizations"]]
    assert names, "the firm should still be found"
    assert not [n for n in names if re.search(r"[<>\"']", n)], names
    for ach in result["achievements"]:
        assert not re.search(r"[<>\"']", ach.get("organization") or ""), ach


# ---------------------------------------------------------------- 8. HEAD


def test_head_answers_like_get_without_a_body(odd: TestClient) -> None:
    for path in ("/", "/api/summary", "/coverage", "/api/search?q=한빛정밀"):
        got = odd.get(path)
        head = odd.head(path)
        assert head.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert "x-content-type-options" in head.headers
    assert odd.head("/no/such/page").status_code == 404


# ---------------------------------------------------------------- 9. Host header


def test_only_the_bound_host_names_are_served(filled_db: Path) -> None:
    from newsmine.api import create_app

    app = create_app(str(filled_db), token="")
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/summary").status_code == 200
        for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST"):
            assert c.get("/api/summary", headers={"Host": host}).status_code == 200, host
        for host in ("attacker.example", "attacker.example:8000", "127.0.0.1.attacker.example", "testserver"):
            assert c.get("/api/summary", headers={"Host": host}).status_code == 400, host
            assert c.get("/", headers={"Host": host}).status_code == 400, host
    with TestClient(create_app(str(filled_db), token="", hosts=["news.internal"]),
                    base_url="http://news.internal") as c:
        assert c.get("/api/summary").status_code == 200
        assert c.get("/api/summary", headers={"Host": "attacker.example"}).status_code == 400


def test_allowed_hosts_from_the_environment(filled_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsmine.api import create_app

    monkeypatch.setenv("NEWSMINE_ALLOWED_HOSTS", "news.internal, *.team.example")
    with TestClient(create_app(str(filled_db), token=""), base_url="http://news.internal") as c:
        assert c.get("/api/summary").status_code == 200
        assert c.get("/api/summary", headers={"Host": "a.team.example"}).status_code == 200
        assert c.get("/api/summary", headers={"Host": "localhost"}).status_code == 200
        assert c.get("/api/summary", headers={"Host": "attacker.example"}).status_code == 400


def test_serve_allows_the_bind_address_and_named_hosts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    from newsmine.cli import main

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.delenv("NEWSMINE_ALLOWED_HOSTS", raising=False)
    try:
        main(["serve", "--db", str(tmp_path / "s.sqlite"), "--host", "192.0.2.7", "--allow-remote",
              "--allowed-host", "news.internal"])
    except SystemExit as done:
        assert done.code in (0, None)
    hosts = seen["app"].state.allowed_hosts
    assert {"192.0.2.7", "news.internal", "localhost", "127.0.0.1", "[::1]"} <= set(hosts)
    assert "*" not in hosts


# ---------------------------------------------------------------- 10. /docs headers


def test_docs_has_a_csp_that_allows_only_its_own_script(odd: TestClient) -> None:
    docs = odd.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["x-frame-options"] == "DENY"
    csp = docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-eval" not in csp
    scripts = re.findall(r"<script>(.*?)</script>", docs.text, re.S)
    assert scripts
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src


# ---------------------------------------------------------------- 11. javascript: URLs


def test_a_javascript_url_is_shown_as_text(odd: TestClient) -> None:
    from index.common import article_id_for

    for page in (f"/article/{article_id_for('javascript:alert(5)')}", "/?q=스크립트"):
        text = odd.get(page).text
        assert 'href="javascript:' not in text.lower()
        shown = lxml_html.fromstring(text).xpath("//*[contains(@class,'url-text')]")
        assert [s.text_content() for s in shown] == ["javascript:alert(5)"], page


# ---------------------------------------------------------------- 12. API answers


def test_share_with_an_empty_organisation_is_400(odd: TestClient) -> None:
    for params in ({"org": ""}, {"org": ["한빛정밀", " "]}):
        answer = odd.get("/api/share", params=params)
        assert answer.status_code == 400, answer.text
        assert "organisation" in answer.json()["detail"]


def test_kind_with_a_grouping_other_than_org_is_refused(odd: TestClient, odd_db: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    answer = odd.get("/api/coverage", params={"by": "outlet", "kind": "firm"})
    assert answer.status_code == 400
    assert "by=org" in answer.json()["detail"]
    assert odd.get("/api/coverage", params={"by": "org", "kind": "firm"}).status_code == 200
    code, _, err = run_cli(["report", "coverage", "", "--by", "outlet", "--kind", "firm", "--db", str(odd_db)], capsys)
    assert code == 2 and "--by org" in err


def test_a_bad_watch_name_is_not_echoed_whole(odd: TestClient, odd_db: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    auth = {"Authorization": "Bearer t"}
    long = odd.post("/api/watches", json={"name": "가" * 5000, "query": "한빛정밀"}, headers=auth)
    assert long.status_code == 400
    detail = long.json()["detail"]
    assert len(detail) < 250 and "가" * 81 not in detail and "…" in detail
    lines = odd.post("/api/watches", json={"name": "첫줄\n둘째줄 <b>", "query": "한빛정밀"}, headers=auth)
    assert lines.status_code == 400
    detail = lines.json()["detail"]
    assert "첫줄\\n둘째줄 <b>" in detail and "\n" not in detail
    code, _, err = run_cli(["watch", "add", "x" * 3000, "한빛정밀", "--db", str(odd_db)], capsys)
    assert code == 2 and len(err) < 400


def test_the_korean_error_page_explains_in_korean(odd: TestClient) -> None:
    for query, words in (("한빛정밀 (", "괄호"), ('"한빛', "따옴표"), ("type:뭐", "성과 유형"),
                         ("from:2024-13", "날짜"), ("nofield:x", "필드"), ("OR 한빛", "OR")):
        page = odd.get("/", params={"q": query})
        assert page.status_code == 400
        message = lxml_html.fromstring(page.text).xpath("//p[contains(@class,'error')]")[0].text_content()
        assert words in message, (query, message)
        assert not re.search(r"\b(position|unbalanced|unknown|bad date|has nothing)\b", message), message
    coverage = odd.get("/coverage", params={"q": "한빛정밀 ("})
    assert coverage.status_code == 400 and "괄호" in coverage.text and "parenthesis" not in coverage.text
    api = odd.get("/api/search", params={"q": "한빛정밀 ("})
    assert api.status_code == 400 and "parenthesis" in api.json()["detail"]

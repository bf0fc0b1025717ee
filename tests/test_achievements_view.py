"""Achievements as rows: `newsmine achievements`, GET /api/achievements, its export and the
/achievements page, on both back ends (SQLite and PostgreSQL), over the surface-test articles
(tests/surfaces_fixtures.py) plus a third copy of the syndicated contract, a public body's
funding in another region and a large contract; one test runs the real NLP stage over the
seed article (a real regional article) ingested as two outlets' copies.

Rows in this index, newest first (date sort):
  2024-11-05 경기 대박로봇 contract 120억 원 (경인일보)
  2024-10-20 전북테크노파크 funding 5억 원 (public body)
  2024-09-20 한빛정밀 hiring 50명
  2024-09-10 바다찬 export 300만 달러
  2024-08-05 새벽소프트 selection (no amount)
  2024-07-15 한빛정밀 contract 약 35억 원, three copies (호남경제뉴스, 전북새날신문, 익산투데이)
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from conftest import NEWSMINE, SEED_TEXT
from index_backends import Backend
from surfaces_fixtures import (  # noqa: F401  (backend: a module-scoped fixture over both back ends)
    ALL, CONTRACT_EVIDENCE, KRW_35, RELEASE, achievement, backend, fill, record,
)

RELEASE_THIRD = RELEASE.replace("납품한다", "납품하게 된다").replace("말했다", "밝혔다")
FUNDING = (
    "전북테크노파크는 도내 제조기업의 스마트공장 구축을 위해 산업통상자원부로부터 5억 원의 국비를 "
    "확보했다고 20일 밝혔다. 지원 대상은 다음 달 공고한다."
)
ROBOT = (
    "경기도 수원시의 로봇 기업 ㈜대박로봇은 물류센터 운영사와 120억 원 규모의 자율주행 로봇 공급 "
    "계약을 체결했다고 5일 밝혔다. 경기도는 로봇 산업 육성을 이어가겠다고 했다."
)
EXTRA = [
    record("https://iksan.example/view/30", "익산투데이", "한빛정밀 35억 원 부품 공급 계약",
           RELEASE_THIRD, "2024-07-17T09:00:00+09:00",
           [("한빛정밀", "firm", "㈜한빛정밀"), ("전북특별자치도", "government", "전북특별자치도")],
           [achievement("contract", "한빛정밀", RELEASE_THIRD, CONTRACT_EVIDENCE, KRW_35, "2024-07-15")]),
    record("https://hnews.example/a/150", "호남경제뉴스", "전북테크노파크, 스마트공장 국비 5억 원 확보",
           FUNDING, "2024-10-20T10:00:00+09:00",
           [("전북테크노파크", "public", "전북테크노파크"), ("산업통상자원부", "government", "산업통상자원부")],
           [{**achievement("funding", "전북테크노파크", FUNDING,
                           "전북테크노파크는 도내 제조기업의 스마트공장 구축을 위해 산업통상자원부로부터 5억 원의 국비를 확보했다고 20일 밝혔다.",
                           {"value": 500000000, "unit": "KRW", "approximate": False}, "2024-10-20"),
             "counterparty": "산업통상자원부", "scope": "firm",
             "programme": {"name": "스마트공장 구축 지원사업", "body": "산업통상자원부"}}]),
    record("https://gnews.example/n/9", "경인일보", "대박로봇, 120억 원 물류 로봇 공급 계약",
           ROBOT, "2024-11-05T09:00:00+09:00",
           [("대박로봇", "firm", "㈜대박로봇"), ("경기도", "government", "경기도")],
           [achievement("contract", "대박로봇", ROBOT,
                        "㈜대박로봇은 물류센터 운영사와 120억 원 규모의 자율주행 로봇 공급 계약을 체결했다고 5일 밝혔다.",
                        {"value": 12000000000, "unit": "KRW", "approximate": False}, "2024-11-05")]),
]
ROWS = ALL + EXTRA
CONTRACT_KEYS = {"id", "article_id", "url", "outlet", "published_at", "organization", "kind", "type", "amount",
                 "counterparty", "date", "evidence", "story_id", "story_size", "programme"}


@pytest.fixture(scope="module")
def url(backend: Backend) -> str:
    url = backend.url("achievements")
    fill(url, ROWS)
    return url


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[TestClient]:
    from newsmine.api import create_app

    with TestClient(create_app(url, token="t", hosts=["testserver"])) as c:
        yield c


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*NEWSMINE, *args], capture_output=True, text=True, timeout=timeout)


def cli_json(url: str, *args: str) -> dict[str, Any]:
    done = run("achievements", "--db", url, "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def api(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/achievements", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def names(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["organization"], r["type"]) for r in result["achievements"]]


# ---------------------------------------------------------------- contract, folding, sorting


def test_cli_json_contract_and_copies_folded(url: str) -> None:
    result = cli_json(url)
    assert set(result) == {"total", "achievements", "facets"}
    assert result["total"] == 6  # seven achievement rows in nine articles; three copies fold into one
    for row in result["achievements"]:
        assert set(row) == CONTRACT_KEYS
        assert row["amount"] is None or set(row["amount"]) == {"value", "unit", "approximate"}
    contract = next(r for r in result["achievements"] if r["organization"] == "한빛정밀" and r["type"] == "contract")
    assert contract["story_size"] == 3
    assert contract["outlet"] == "호남경제뉴스"  # the earliest copy stands for the story
    assert contract["amount"] == {"value": 3500000000, "unit": "KRW", "approximate": True}
    assert contract["kind"] == "firm" and contract["date"] == "2024-07-15"
    assert contract["id"] == f"{contract['article_id']}-0"
    funding = next(r for r in result["achievements"] if r["type"] == "funding")
    assert (funding["kind"], funding["counterparty"]) == ("public", "산업통상자원부")
    assert funding["programme"] == {"name": "스마트공장 구축 지원사업", "body": "산업통상자원부"}
    assert contract["programme"] is None
    facets = result["facets"]
    assert set(facets) >= {"type", "kind", "outlet", "year"}
    assert facets["type"] == {"contract": 2, "export": 1, "funding": 1, "hiring": 1, "selection": 1}
    assert facets["kind"] == {"firm": 5, "public": 1}
    assert facets["year"] == {"2024": 6}
    assert facets["region"] == {"전북": 5, "경기": 1}


def test_sort_orders(url: str) -> None:
    by_date = cli_json(url)["achievements"]
    dates = [r["published_at"] for r in by_date]
    assert dates == sorted(dates, reverse=True)
    assert by_date[0]["organization"] == "대박로봇"
    by_amount = names(cli_json(url, "--sort", "amount"))
    # won amounts largest first, then dollars, then counts, then no amount
    assert by_amount == [("대박로봇", "contract"), ("한빛정밀", "contract"), ("전북테크노파크", "funding"),
                         ("바다찬", "export"), ("한빛정밀", "hiring"), ("새벽소프트", "selection")]
    by_story = cli_json(url, "--sort", "story")["achievements"]
    assert (by_story[0]["organization"], by_story[0]["story_size"]) == ("한빛정밀", 3)
    assert [r["story_size"] for r in by_story] == [3, 1, 1, 1, 1, 1]


def test_filters(url: str) -> None:
    assert names(cli_json(url, "--type", "contract")) == [("대박로봇", "contract"), ("한빛정밀", "contract")]
    assert names(cli_json(url, "--type", "계약,funding")) == [
        ("대박로봇", "contract"), ("전북테크노파크", "funding"), ("한빛정밀", "contract")]
    assert names(cli_json(url, "--min", "10억")) == [("대박로봇", "contract"), ("한빛정밀", "contract")]
    assert names(cli_json(url, "--min", "10억", "--max", "100억")) == [("한빛정밀", "contract")]
    assert names(cli_json(url, "--max", "10억 이하")) == [("전북테크노파크", "funding")]
    # a dollar bound compares with dollar amounts only
    assert names(cli_json(url, "--min", "100만달러")) == [("바다찬", "export")]
    assert names(cli_json(url, "--min", "50명")) == [("한빛정밀", "hiring")]
    assert names(cli_json(url, "--kind", "public")) == [("전북테크노파크", "funding")]
    assert names(cli_json(url, "--region", "경기")) == [("대박로봇", "contract")]
    assert names(cli_json(url, "--region", "경기도")) == [("대박로봇", "contract")]
    assert cli_json(url, "--region", "전북")["total"] == 5
    assert names(cli_json(url, "--from", "2024-09", "--to", "2024-10")) == [
        ("전북테크노파크", "funding"), ("한빛정밀", "hiring"), ("바다찬", "export")]
    assert names(cli_json(url, "--to", "2024-08-05")) == [("새벽소프트", "selection"), ("한빛정밀", "contract")]


def test_org_flag_is_the_apis_org_filter(url: str, client: TestClient) -> None:
    assert names(cli_json(url, "--org", "한빛정밀")) == [("한빛정밀", "hiring"), ("한빛정밀", "contract")]
    assert cli_json(url, "--org", "㈜한빛정밀", "--type", "contract")["achievements"] == \
        api(client, org="한빛정밀", type="contract")["achievements"]
    assert cli_json(url, "--org", "없는회사")["total"] == 0


def test_outlet_filter_keeps_that_outlets_copy_and_the_story_size(url: str) -> None:
    result = cli_json(url, "--outlet", "전북새날신문", "--type", "contract")
    assert result["total"] == 1
    row = result["achievements"][0]
    assert row["outlet"] == "전북새날신문" and row["url"] == "https://saenal.example/news/7"
    assert row["story_size"] == 3  # copies in the whole index, not only in this outlet


def test_query_in_the_search_language(url: str) -> None:
    assert names(cli_json(url, "한빛정밀")) == [("한빛정밀", "hiring"), ("한빛정밀", "contract")]
    assert names(cli_json(url, "로봇 OR 스마트공장", "--sort", "amount")) == [
        ("대박로봇", "contract"), ("전북테크노파크", "funding")]
    assert names(cli_json(url, "outlet:경인일보")) == [("대박로봇", "contract")]
    assert cli_json(url, "한빛정밀 -채용")["total"] == 1


def test_paging(url: str) -> None:
    every = cli_json(url, "--sort", "amount", "--limit", "100")["achievements"]
    pages = [cli_json(url, "--sort", "amount", "--limit", "2", "--offset", str(o)) for o in (0, 2, 4, 6)]
    assert all(p["total"] == 6 for p in pages)
    assert [r["id"] for p in pages for r in p["achievements"]] == [r["id"] for r in every]
    assert pages[-1]["achievements"] == []


def test_text_output(url: str) -> None:
    done = run("achievements", "--db", url, "--type", "contract")
    assert done.returncode == 0, done.stderr
    assert "한빛정밀 · 계약 · 약 35억 원" in done.stdout and "+2 매체" in done.stdout
    assert "120억 원" in done.stdout


# ---------------------------------------------------------------- bad flags


@pytest.mark.parametrize("args, words", [
    (("--type", "bogus"), "unknown achievement type 'bogus'"),
    (("--min", "많이"), "bad amount '많이'"),
    (("--max", "10억원어치"), "bad amount"),
    (("--from", "2024-13-01"), "bad date '2024-13-01'"),
    (("--to", "yesterday"), "bad date"),
    (("--min", "10억", "--max", "1억"), "larger than --max"),
    (("--min", "10억", "--max", "100만달러"), "different units"),
    (("--from", "2024-10", "--to", "2024-09"), "after --to"),
    (("--sort", "size"), "unknown sort 'size'"),
    (("--kind", "alien"), "unknown kind"),
    (("--region", "아틀란티스"), "unknown region"),
    (("--limit", "0"), "--limit"),
    (("--limit", "many"), "--limit"),
    (("--offset", "-1"), "--offset"),
    (("(unclosed",), "unbalanced parenthesis"),
    (("--format", "csv", "-o", "/no-such-folder/rows.csv"), "cannot write /no-such-folder/rows.csv"),
])
def test_bad_flags_exit_2_with_one_line(url: str, args: tuple[str, ...], words: str) -> None:
    done = run("achievements", "--db", url, *args)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newsmine: ") and words in lines[0], done.stderr


# ---------------------------------------------------------------- exports


def test_exports_csv_xlsx_jsonl_have_every_row(url: str, tmp_path: Path) -> None:
    rows = cli_json(url, "--sort", "amount", "--limit", "100")["achievements"]
    done = subprocess.run([*NEWSMINE, "achievements", "--db", url, "--sort", "amount", "--limit", "1",
                           "--format", "csv"], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert [r["id"] for r in table] == [r["id"] for r in rows]  # no cap: --limit is for pages only
    contract = next(r for r in table if r["organization"] == "한빛정밀")
    assert (contract["amount"], contract["amount_value"], contract["amount_unit"]) == ("약 35억 원", "3500000000", "KRW")
    assert contract["story_size"] == "3" and contract["type"] == "contract"

    jsonl = tmp_path / "a.jsonl"
    assert run("achievements", "--db", url, "--sort", "amount", "--format", "jsonl", "-o", str(jsonl)).returncode == 0
    assert [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()] == rows

    openpyxl = pytest.importorskip("openpyxl")
    xlsx = tmp_path / "a.xlsx"
    assert run("achievements", "--db", url, "--type", "contract", "--format", "xlsx", "-o", str(xlsx)).returncode == 0
    sheet = openpyxl.load_workbook(xlsx, read_only=True).active
    values = list(sheet.values)
    assert values[0][:3] == ("id", "article_id", "published_at")
    header = list(values[0])
    assert [v[header.index("organization")] for v in values[1:]] == ["대박로봇", "한빛정밀"]
    assert [v[header.index("amount")] for v in values[1:]] == ["120억 원", "약 35억 원"]


def test_api_export_streams_the_same_rows(client: TestClient) -> None:
    rows = api(client, type="contract", limit=100)["achievements"]
    response = client.get("/api/achievements/export", params={"type": "contract", "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    response = client.get("/api/achievements/export", params={"type": "contract", "format": "jsonl"})
    assert [json.loads(line) for line in response.text.splitlines()] == rows
    bad = client.get("/api/achievements/export", params={"min": "x", "format": "csv"})
    assert bad.status_code == 400 and "bad amount" in bad.json()["detail"]


# ---------------------------------------------------------------- API


def test_api_answers_the_cli_json(client: TestClient, url: str) -> None:
    for params, args in (({}, ()), ({"sort": "amount", "limit": 3, "offset": 1}, ("--sort", "amount", "--limit", "3", "--offset", "1")),
                         ({"q": "한빛정밀", "type": ["contract", "hiring"]}, ("한빛정밀", "--type", "contract", "--type", "hiring")),
                         ({"min": "10억", "region": "전북", "kind": "firm"}, ("--min", "10억", "--region", "전북", "--kind", "firm")),
                         ({"from": "2024-07", "to": "2024-07", "outlet": "익산투데이"}, ("--from", "2024-07", "--to", "2024-07", "--outlet", "익산투데이"))):
        assert api(client, **params) == cli_json(url, *args), params
    assert api(client, outlet="익산투데이", **{"from": "2024-07", "to": "2024-07"})["achievements"][0]["story_size"] == 3


@pytest.mark.parametrize("params", [
    {"type": "bogus"}, {"min": "abc"}, {"max": "1e9"}, {"from": "2024-02-30"}, {"min": "10억", "max": "1억"},
    {"sort": "relevance"}, {"limit": 0}, {"limit": 5000}, {"offset": -1}, {"q": '"unclosed'}, {"kind": "x"},
    {"region": "x"}, {"limit": "ten"},
])
def test_api_bad_parameters_are_400_with_one_line(client: TestClient, params: dict) -> None:
    response = client.get("/api/achievements", params=params)
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail and "\n" not in detail


# ---------------------------------------------------------------- pages


def test_page_lists_rows_with_highlights_links_and_exports(client: TestClient) -> None:
    response = client.get("/achievements", params={"min": "10억"})
    assert response.status_code == 200
    html = response.text
    assert "성과 2건" in html
    assert '<mark class="firm">한빛정밀</mark>' in html and '<mark class="figure">약 35억 원</mark>' in html
    assert '<mark class="figure">120억 원</mark>' in html
    assert 'href="/org/%ED%95%9C%EB%B9%9B%EC%A0%95%EB%B0%80"' in html  # the firm links to its page
    assert "+2 매체" in html and 'href="https://hnews.example/a/101"' in html
    assert "/api/achievements/export?format=csv&amp;min=10%EC%96%B5" in html
    assert 'aria-current="page">성과' in html


def test_page_paging_and_bad_filters(client: TestClient) -> None:
    html = client.get("/achievements", params={"sort": "amount"}).text
    assert html.index("대박로봇") < html.index("바다찬") < html.index("새벽소프트")
    bad = client.get("/achievements", params={"min": "많이"})
    assert bad.status_code == 400 and "bad amount" in bad.text and "<table" not in bad.text


def test_common_words_are_estimated_from_their_newest_matches(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Words matching more articles than the window: API total marked approx, `exact_total`
    counts; the page says 약 and offers 모두 세기, which counts; the terminal says about."""
    from index.sqlbase import SQLStore
    from newsmine import achievements

    exact = api(client, q="기업")
    assert "total_relation" not in exact and exact["total"] >= 4
    monkeypatch.setattr(achievements, "WINDOW_FROM", 1)
    monkeypatch.setattr(SQLStore, "WINDOW", 2)
    approx = api(client, q="기업", limit=1)     # a page within the window's rows
    assert approx["total_relation"] == "approx" and approx["achievements"]
    assert sum(approx["facets"]["type"].values()) < exact["total"]
    assert api(client, q="기업", exact_total="true") == exact
    achievements.print_rows(approx)
    assert capsys.readouterr().out.startswith(f"about {approx['total']} achievements; 1–1 shown")
    from newsmine import api as app_module

    monkeypatch.setattr(app_module, "PAGE_SIZE", 1)   # a page within the window's rows
    html = client.get("/achievements", params={"q": "기업"}).text
    assert f"성과 약 {approx['total']}건" in html and "exact=1" in html and "모두 세기" in html
    html = client.get("/achievements", params={"q": "기업", "exact": "1"}).text
    assert f"성과 {exact['total']}건" in html and "모두 세기" not in html


def test_search_hits_show_their_achievements(client: TestClient) -> None:
    html = client.get("/", params={"q": "대박로봇"}).text
    assert "계약 · 120억 원" in html
    html = client.get("/", params={"q": "스마트공장"}).text
    assert "자금 지원 · 5억 원 · 산업통상자원부" in html


# ---------------------------------------------------------------- the real NLP stage


def test_real_article_copies_fold_into_one_row(tmp_path: Path) -> None:
    """The seed article (a real regional article) ingested as two outlets' copies: the NLP
    stage finds 아이티스테이션's ~20억 원 contract in each; the view shows it once."""
    body = SEED_TEXT.read_text(encoding="utf-8")
    source = tmp_path / "seed.jsonl"
    source.write_text("".join(json.dumps({"url": f"https://{host}/news/1", "outlet": outlet, "title": "전북 SW 기업 성과",
                                          "body": body, "published_at": published}, ensure_ascii=False) + "\n"
                              for host, outlet, published in (("a.example", "가신문", "2024-09-11T09:00:00+09:00"),
                                                              ("b.example", "나일보", "2024-09-12T09:00:00+09:00"))),
                      encoding="utf-8")
    db = tmp_path / "seed.sqlite"
    assert run("ingest", str(source), "--db", str(db)).returncode == 0
    result = cli_json(str(db), "--type", "contract", "--min", "10억")
    assert result["total"] == 1
    row = result["achievements"][0]
    assert row["organization"] == "아이티스테이션" and row["kind"] == "firm"
    assert row["amount"] == {"value": 2000000000, "unit": "KRW", "approximate": True}
    assert (row["outlet"], row["story_size"]) == ("가신문", 2)
    assert "20억 원" in row["evidence"]


# ---------------------------------------------------------------- upgrading an older index


def test_older_index_gets_regions_and_kinds_on_opening(backend: Backend) -> None:
    """An index from before schema version 6 (SQLite) / 5 (PostgreSQL): opening it fills in
    the article regions and the credited organisations' kinds the view filters by."""
    from index import open_store
    from newsmine.achievements import Filters, list_achievements

    url = backend.url("older")
    inserts = [
        "INSERT INTO organizations (name, kind) VALUES ('대박로봇', 'firm')",
        "INSERT INTO articles (id, story_id, published_at, outlet, created_at, updated_at, content_hash, url, "
        "canonical_url, title, body) VALUES ('a1', 'a1', '2024-11-05', '경인일보', '2024-11-05', '2024-11-05', 'h', "
        f"'https://gnews.example/n/9', 'https://gnews.example/n/9', '대박로봇 계약', '{ROBOT}')",
        "INSERT INTO article_orgs (article_seq, position, org_id) VALUES (1, 0, 1)",
        "INSERT INTO achievements (article_seq, position, org_name, type, amount_value, amount_unit, evidence) "
        "VALUES (1, 0, '대박로봇', 'contract', 12000000000, 'KRW', '120억 원 규모의 … 계약')",
    ]
    if backend.name == "sqlite":
        import sqlite3

        from index.schema import migrate

        conn = sqlite3.connect(url, isolation_level=None)
        assert migrate(conn, 5) == 5
        for sql in inserts:
            conn.execute(sql)
        conn.close()
    else:
        import psycopg

        from index.postgres import PostgresStore

        PostgresStore(url, schema_version=4).close()
        _, schema = url.split("schema=")
        with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
            conn.execute(f"SET search_path TO {schema}, public")
            for sql in inserts:
                conn.execute(sql.replace("%", "%%"))
    with open_store(url) as store:
        result = list_achievements(store, Filters(region="경기", kind="firm", min_amount="100억"))
    assert [(r["organization"], r["kind"]) for r in result["achievements"]] == [("대박로봇", "firm")]
    assert result["facets"]["region"] == {"경기": 1}

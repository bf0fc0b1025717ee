"""The programme pages (newsmine/programmes.py): `newsmine programmes [NAME]`, GET /api/programmes,
/api/programmes/{name}, /programmes and /programmes/{name}, on a small index built by
`newsmine ingest` (the whole NLP stage) on each back end; the schema upgrade that stores
programmes (SQLite v10, PostgreSQL v8).

The articles are written for these tests about made-up firms (one syndicated twice), with the
real seed article; the programme is spelt three ways (`'2022년 SW 강소기업'`, `'SW 강소기업'`,
`'2023 SW강소기업'`), and one firm's export comes before its selection (no outcome of it).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from conftest import NEWSMINE, SEED_TEXT
from index_backends import BACKENDS, PG_URL, Backend, backend_for, make_backend

SELECTED = "전주의 소프트웨어 기업 ㈜새벽소프트가 전북특별자치도의 '2022년 SW 강소기업'에 선정됐다. 새벽소프트는 농업용 드론 영상을 분석하는 서비스를 만든다."
ARTICLES = [
    ("https://jbnews.example/a/1", "전북새날신문", "새벽소프트, SW 강소기업 선정", "2022-06-10T09:00:00+09:00", SELECTED),
    ("https://hnews.example/a/9", "호남경제뉴스", "새벽소프트 SW 강소기업에", "2022-06-10T15:00:00+09:00", SELECTED),
    ("https://jbnews.example/a/2", "전북새날신문", "한빛정밀도 선정", "2022-06-12T09:00:00+09:00",
     "익산의 ㈜한빛정밀이 전북특별자치도의 'SW 강소기업'에 선정됐다. 회사는 제동장치 부품을 만든다."),
    ("https://jbnews.example/a/3", "전북새날신문", "누리랩 선정", "2023-05-03T09:00:00+09:00",
     "군산의 ㈜누리랩이 전북특별자치도의 '2023 SW강소기업'으로 선정됐다."),
    ("https://jbnews.example/a/4", "전북새날신문", "새벽소프트 20억 계약", "2023-03-20T09:00:00+09:00",
     "㈜새벽소프트는 한국전력공사와 20억 원 규모의 납품 계약을 체결했다고 20일 밝혔다."),
    ("https://jbnews.example/a/5", "전북새날신문", "새벽소프트 매출", "2024-02-15T09:00:00+09:00",
     "㈜새벽소프트는 지난해 매출 85억 원을 기록했다고 15일 밝혔다."),
    ("https://jbnews.example/a/6", "전북새날신문", "한빛정밀 채용", "2024-04-01T09:00:00+09:00",
     "㈜한빛정밀이 연구직 30명을 새로 채용했다."),
    ("https://jbnews.example/a/7", "전북새날신문", "새벽소프트 수출", "2021-11-01T09:00:00+09:00",
     "㈜새벽소프트는 미국 업체와 100만 달러 규모의 수출 계약을 맺었다."),
    ("https://jbnews.example/a/8", "전북새날신문", "바다찬 글로벌 강소기업", "2023-09-01T09:00:00+09:00",
     "군산의 ㈜바다찬은 중소벤처기업부의 '글로벌 강소기업'에 선정됐다."),
]


def run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*NEWSMINE, *args], capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(done: subprocess.CompletedProcess, code: int = 2) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newsmine: ") and "Traceback" not in done.stderr, done.stderr


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    yield from make_backend(request, tmp_path_factory)


@pytest.fixture(scope="module")
def db(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> str:
    source = tmp_path_factory.mktemp("programmes") / "articles.jsonl"
    records = [{"url": u, "outlet": o, "title": t, "published_at": p, "body": b} for u, o, t, p, b in ARTICLES]
    records.append({"url": "https://www.newsstep.co.kr/news/view.php?idx=seed-20240911", "outlet": "뉴스스텝",
                    "title": "전북자치도, 디지털 산업 이끄는 SW강소기업과 소통의 장 마련",
                    "published_at": "2024-09-11T16:10:25+09:00", "body": SEED_TEXT.read_text(encoding="utf-8")})
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    url = backend.url("programmes")
    done = run("ingest", str(source), "--db", url)
    assert done.returncode == 0, done.stderr
    return url


def _json(*args: str) -> dict:
    done = run("programmes", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_list_groups_spellings_and_years(db: str) -> None:
    result = _json("--db", db, "--json")
    by_key = {p["key"]: p for p in result["programmes"]}
    sw = by_key["sw강소기업"]
    assert sw["firms"] == 3 and sw["years"] == {"2022": 2, "2023": 1}
    assert sw["body"] == "전북특별자치도"
    assert set(sw["names"]) == {"SW 강소기업", "SW강소기업"}          # the years are no part of a name
    assert result["programmes"][0]["key"] == "sw강소기업"              # most firms first
    assert by_key["글로벌강소기업"]["firms"] == 1 and by_key["글로벌강소기업"]["body"] == "중소벤처기업부"
    seed = next(p for p in result["programmes"] if "메타버스" in p["name"])   # the real seed article
    assert seed["body"] == "과학기술정보통신부" and seed["years"] == {"2024": 1}
    assert result["total"] == len(result["programmes"])
    only = _json("--db", db, "--json", "--query", "글로벌")
    assert [p["key"] for p in only["programmes"]] == ["글로벌강소기업"]


def test_firms_per_year_and_outcomes_since_selection(db: str) -> None:
    view = _json("'2023 SW강소기업'", "--db", db, "--json")             # any spelling finds it
    assert view["key"] == "sw강소기업" and view["firm_count"] == 3
    years = {y["year"]: [f["organization"] for f in y["firms"]] for y in view["years"]}
    assert years == {"2022": ["새벽소프트", "한빛정밀"], "2023": ["누리랩"]}
    dawn = next(f for y in view["years"] for f in y["firms"] if f["organization"] == "새벽소프트")
    assert dawn["articles"] == 2 and dawn["stories"] == 1                 # the syndicated copy counts once
    firms = {f["organization"]: f for f in view["firms"]}
    assert firms["새벽소프트"]["first_selected"] == "2022-06-10"
    outcomes = {(o["type"], o["years_since"]): o["amount"] for o in firms["새벽소프트"]["outcomes"]}
    assert outcomes[("contract", 1)] == {"value": 2_000_000_000, "unit": "KRW", "approximate": False}
    assert outcomes[("revenue", 1)]["value"] == 8_500_000_000
    assert not any(t == "export" for t, _ in outcomes)                     # 2021, before the selection
    assert [(o["type"], o["years_since"], o["amount"]["value"]) for o in firms["한빛정밀"]["outcomes"]] == \
        [("hiring", 2, 30)]
    assert firms["누리랩"]["outcomes"] == []
    buckets = {b["years_since"]: b for b in view["by_years_since"]}
    assert buckets[1]["firms"] == 1
    assert buckets[1]["types"]["contract"] == {"count": 1, "firms": 1, "amounts": {"KRW": 2_000_000_000}}
    assert buckets[2]["types"]["hiring"]["amounts"] == {"persons": 30}
    assert view["outcome_types"] == ["contract", "revenue", "export", "hiring", "funding", "investment"]


def test_text_output(db: str) -> None:
    done = run("programmes", "SW 강소기업", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "2022: 새벽소프트 (선정), 한빛정밀 (선정)" in done.stdout
    assert "+1y: 1 firm(s) · 계약 1 (20억 원); 매출 1 (85억 원)" in done.stdout
    listing = run("programmes", "--db", db)
    assert listing.returncode == 0 and "SW 강소기업 — 전북특별자치도 · 3 firm(s)" in listing.stdout


@pytest.mark.parametrize("args", [
    ("",), ("   ",), ("2024년",), ("제3회",), ("줄\n바꿈",), ("가" * 201,),
    ("--limit", "0"), ("--limit", "1001"), ("--offset", "-1"), ("--query", "2024"),
])
def test_bad_input_is_exit_2_and_one_line(db: str, args: tuple[str, ...]) -> None:
    assert_one_line_error(run("programmes", *args, "--db", db))


def test_unknown_programme(db: str) -> None:
    done = run("programmes", "없는 지원사업", "--db", db)
    assert_one_line_error(done)
    assert "no programme '없는 지원사업'" in done.stderr


def test_api_and_pages(db: str) -> None:
    from newsmine.api import create_app

    with TestClient(create_app(db), base_url="http://localhost") as client:
        listing = client.get("/api/programmes")
        assert listing.status_code == 200
        assert listing.json() == _json("--db", db, "--json")
        view = client.get("/api/programmes/SW강소기업")
        assert view.status_code == 200 and view.json() == _json("SW강소기업", "--db", db, "--json")
        assert client.get("/api/programmes", params={"q": "글로벌"}).json()["total"] == 1
        for path, status in (("/api/programmes/2024년", 400), ("/api/programmes?limit=0", 400),
                             ("/api/programmes?q=2024년", 400), ("/api/programmes?q=a%0Ab", 400), ("/api/programmes/" + "가" * 300, 400),
                             ("/api/programmes/없는사업", 404)):
            response = client.get(path)
            assert response.status_code == status, (path, response.text)
            assert set(response.json()) == {"detail"} and "\n" not in response.json()["detail"]
        page = client.get("/programmes")
        assert page.status_code == 200 and "SW 강소기업" in page.text and 'href="/programmes/SW%20%EA%B0%95' in page.text
        detail = client.get("/programmes/SW 강소기업")
        assert detail.status_code == 200
        assert "선정 이후 성과" in detail.text and "20억 원" in detail.text and "1년 뒤" in detail.text
        bad = client.get("/programmes/2024년")
        assert bad.status_code == 400 and "연도나 회차 말고 프로그램의 이름을 적어 주세요." in bad.text
        missing = client.get("/programmes/없는사업")
        assert missing.status_code == 404 and "프로그램이 색인에 없습니다" in missing.text


def test_export_one_row_per_selection_and_outcome(db: str, tmp_path: Path) -> None:
    done = subprocess.run([*NEWSMINE, "programmes", "SW 강소기업", "--db", db, "--format", "csv"],
                          capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\ufeff".encode())                       # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    got = [(r["organization"], r["row"], r["type"], r["year"], r["years_since"], r["amount_value"]) for r in rows]
    assert got == [
        ("새벽소프트", "selection", "selection", "2022", "0", ""),
        ("새벽소프트", "outcome", "contract", "2023", "1", "2000000000"),
        ("새벽소프트", "outcome", "revenue", "2023", "1", "8500000000"),   # 지난해 매출, told in 2024
        ("한빛정밀", "selection", "selection", "2022", "0", ""),
        ("한빛정밀", "outcome", "hiring", "2024", "2", "30"),
        ("누리랩", "selection", "selection", "2023", "0", ""),
    ], got
    dawn = rows[0]
    assert dawn["programme"] == "SW 강소기업" and dawn["first_selected"] == "2022-06-10" and dawn["articles"] == "2"
    assert rows[1]["amount"] == "20억 원" and rows[1]["amount_unit"] == "KRW" and rows[1]["url"].startswith("https://")
    # JSON Lines keeps the contract's amount object; the API serves the same rows as the CLI
    lines = run("programmes", "SW강소기업", "--db", db, "--format", "jsonl")
    assert lines.returncode == 0, lines.stderr
    records = [json.loads(line) for line in lines.stdout.splitlines()]
    assert records[1]["amount"] == {"value": 2_000_000_000, "unit": "KRW", "approximate": False}
    out = tmp_path / "programme.xlsx"
    assert run("programmes", "SW 강소기업", "--db", db, "--format", "xlsx", "-o", str(out)).returncode == 0
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True)["programme"]
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:5] == ("programme", "organization", "kind", "first_selected", "row") and len(table) == 7
    from newsmine.api import create_app

    with TestClient(create_app(db), base_url="http://localhost") as client:
        response = client.get("/api/programmes/SW 강소기업", params={"format": "jsonl"})
        assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
        assert [json.loads(line) for line in response.text.splitlines()] == records
        assert client.get("/api/programmes/SW 강소기업", params={"format": "csv"}).content == done.stdout
        assert client.get("/api/programmes/SW 강소기업", params={"format": "pdf"}).status_code == 400
        assert client.get("/api/programmes/없는사업", params={"format": "csv"}).status_code == 404
        assert '?format=xlsx">XLSX</a>' in client.get("/programmes/SW 강소기업").text


@pytest.mark.parametrize("args", [
    ("--format", "csv"),                                    # no NAME: nothing to export
    ("없는 지원사업", "--format", "csv"),
    ("SW 강소기업", "--format", "csv", "-o", "/nonexistent-dir/x.csv"),
])
def test_export_bad_input_is_one_line(db: str, args: tuple[str, ...]) -> None:
    assert_one_line_error(run("programmes", *args, "--db", db))


def test_records_carry_the_programme(db: str) -> None:
    from index import open_store

    with open_store(db) as store:
        records = {r["url"]: r for r in store.iter_records()}
    selection = records["https://jbnews.example/a/3"]["achievements"][0]
    assert selection["programme"] == {"name": "SW강소기업", "body": "전북특별자치도"}
    contract = records["https://jbnews.example/a/4"]["achievements"][0]
    assert "programme" not in contract


def test_sqlite_v9_file_gains_programme_columns(tmp_path: Path) -> None:
    from index.schema import SCHEMA_VERSION, migrate

    path = tmp_path / "v9.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, 9) == 9
    conn.execute("INSERT INTO articles (id, canonical_url, url, story_id, created_at, updated_at, content_hash) "
                 "VALUES ('a', 'https://x.example/1', 'https://x.example/1', 'a', '2024-01-01', '2024-01-01', 'h')")
    conn.execute("INSERT INTO achievements (article_seq, position, org_name, type) VALUES (1, 0, '새벽소프트', 'selection')")
    assert migrate(conn, 10) == 10 <= SCHEMA_VERSION
    assert conn.execute("SELECT programme, programme_body, programme_key FROM achievements").fetchall() == \
        [(None, None, None)]
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'achievements_programme'").fetchone()
    conn.close()


@pytest.fixture()
def pg_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    yield from backend_for("postgresql", tmp_path_factory, __name__)


def test_postgresql_v7_schema_gains_programme_columns(pg_backend: Backend) -> None:
    import psycopg
    from psycopg import sql

    from index import open_store
    from index.pg_schema import SCHEMA_VERSION, migrate
    from index.postgres import split_url

    url = pg_backend.url("v7")
    _, schema = split_url(url)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(schema)))
        assert migrate(conn, 7) == 7
        conn.execute("INSERT INTO articles (id, canonical_url, url, story_id, created_at, updated_at, content_hash) "
                     "VALUES ('a', 'https://x.example/1', 'https://x.example/1', 'a', '2024-01-01', '2024-01-01', 'h')")
        conn.execute("INSERT INTO achievements (article_seq, position, org_name, type) "
                     "SELECT seq, 0, '새벽소프트', 'selection' FROM articles")
    with open_store(url) as store, store.read() as db:
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION >= 8
        assert db.execute("SELECT programme, programme_body, programme_key FROM achievements").fetchall() == \
            [(None, None, None)]

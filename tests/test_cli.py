"""The `newsmine` command as a user calls it: JSON contracts, exit statuses, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import NEWSMINE, REPLAY, SEED_TEXT


def run(*args: str, stdin: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*NEWSMINE, *args], input=stdin, capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(done: subprocess.CompletedProcess, code: int) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newsmine: "), done.stderr


def test_extract_seed_text_contract() -> None:
    done = run("extract", str(SEED_TEXT))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["id"] == "jeonbuk-sw-article"
    assert result["published_at"] == "2024-09-11T16:10:25+09:00"
    firms = sorted(o["name"] for o in result["organizations"] if o["kind"] == "firm")
    assert firms == ["아이티스테이션", "텔로스"]
    for org in result["organizations"]:
        assert set(org) == {"name", "kind", "surface", "mentions"}
    contract = [a for a in result["achievements"] if a["type"] == "contract"]
    assert contract[0]["organization"] == "아이티스테이션"
    assert contract[0]["amount"] == {"value": 2000000000, "unit": "KRW", "approximate": True}
    assert contract[0]["date"] == "2024-09-11"
    assert set(contract[0]) >= {"type", "organization", "amount", "date", "evidence", "span", "confidence"}


def test_extract_html_page_from_stdin() -> None:
    page = (REPLAY / "newsstep.co.kr" / "article_seed.html").read_text(encoding="utf-8")
    done = run("extract", "--html", "-", stdin=page)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["title"] == "전북자치도, 디지털 산업 이끄는 SW강소기업과 소통의 장 마련"
    assert sorted(o["name"] for o in result["organizations"] if o["kind"] == "firm") == ["아이티스테이션", "텔로스"]


def test_extract_jsonl_keeps_ids_and_reports_bad_lines() -> None:
    lines = "\n".join([
        json.dumps({"id": "a", "text": "㈜한빛정밀은 약 35억 원 규모의 공급 계약을 체결했다."}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": 7, "text": "익산시는 설명회를 열었다."}, ensure_ascii=False),
    ])
    done = run("extract", "--jsonl", "-", stdin=lines)
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 2, 7]
    assert out[0]["achievements"][0]["organization"] == "한빛정밀"
    assert "error" in out[1]
    assert_one_line_error(done, 2)


def test_extract_missing_file() -> None:
    assert_one_line_error(run("extract", "/no/such/article.txt"), 2)


def test_extract_unreadable_page() -> None:
    assert_one_line_error(run("extract", "--html", "-", stdin="\x00\x01 not a page"), 1)


def test_crawl_missing_archive(tmp_path: Path) -> None:
    assert_one_line_error(run("crawl", "--replay", str(tmp_path / "nothing"), "--db", str(tmp_path / "x.sqlite")), 2)


INGEST = [
    {"url": "https://news.example.kr/a/1", "title": "한빛정밀, 35억 원 공급 계약", "outlet": "예시일보",
     "published_at": "2024-03-02T10:00:00+09:00",
     "body": "㈜한빛정밀은 약 35억 원 규모의 부품 공급 계약을 체결했다고 2일 밝혔다."},
    {"url": "https://news.example.kr/a/2", "title": "익산시 설명회", "outlet": "예시일보",
     "published_at": "2024-03-03T10:00:00+09:00", "body": "익산시는 기업 지원 설명회를 열었다. 많은 업체가 참석했다."},
]


@pytest.fixture(scope="module")
def ingested_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """INGEST stored by `newsmine ingest`, once per module: each ingest loads the NLP models."""
    folder = tmp_path_factory.mktemp("ingested")
    source = folder / "articles.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in INGEST), encoding="utf-8")
    done = run("ingest", str(source), "--db", str(folder / "index.sqlite"))
    assert done.returncode == 0, done.stderr
    assert "new=2" in done.stdout
    return folder


@pytest.fixture()
def ingested(ingested_once: Path, tmp_path: Path) -> Path:
    """A test's own copy of that index (and of its source file, beside it), free to change."""
    for item in ingested_once.iterdir():
        shutil.copy2(item, tmp_path / item.name)
    return tmp_path / "index.sqlite"


def test_ingest_twice_changes_nothing(ingested: Path, tmp_path: Path) -> None:
    done = run("ingest", str(tmp_path / "articles.jsonl"), "--db", str(ingested))
    assert "new=0" in done.stdout and "unchanged=2" in done.stdout


def test_ingest_bad_line_stores_nothing(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text(json.dumps(INGEST[0], ensure_ascii=False) + "\n" + json.dumps({"url": "x"}) + "\n")
    db = tmp_path / "bad.sqlite"
    done = run("ingest", str(source), "--db", str(db))
    assert_one_line_error(done, 2)
    assert "bad.jsonl:2" in done.stderr
    assert not db.exists()      # checked before anything was opened: not even an empty index


@pytest.mark.parametrize("command", [("search", "전북"), ("stats",), ("export",), ("sources",), ("reindex",),
                                     ("watch", "list"), ("report", "coverage", "전북")])
def test_reading_commands_refuse_a_database_that_does_not_exist(tmp_path: Path, command: tuple) -> None:
    db = tmp_path / "typo" / "newsmine.sqlite"
    done = run(*command, "--db", str(db))
    assert_one_line_error(done, 2)
    assert "no index at" in done.stderr and not db.parent.exists()


def test_search_json_contract(ingested: Path) -> None:
    done = run("search", "한빛정밀", "--db", str(ingested), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= {"query", "total", "hits", "facets"}
    assert result["total"] == 1
    hit = result["hits"][0]
    assert set(hit) >= {"id", "url", "title", "outlet", "published_at", "snippet", "story_id", "story_size", "organizations"}
    assert "한빛정밀" in hit["organizations"]
    assert result["facets"]["outlet"] == {"예시일보": 1}


@pytest.mark.parametrize("query", ['"unclosed', "(a OR b", "a OR", 'outlet:', "'; DROP TABLE articles; --\"", "NEAR("])
def test_malformed_query_exits_2(ingested: Path, query: str) -> None:
    done = run("search", query, "--db", str(ingested), "--json")
    if done.returncode == 0:   # some hostile strings are valid plain words: they must simply not match or break
        json.loads(done.stdout)
        return
    assert_one_line_error(done, 2)


@pytest.mark.parametrize("query", ['"unclosed', "(a OR b", "a OR"])
def test_truly_malformed_queries_are_rejected(ingested: Path, query: str) -> None:
    assert_one_line_error(run("search", query, "--db", str(ingested)), 2)


def test_export_csv_and_jsonl(ingested: Path, tmp_path: Path) -> None:
    done = run("export", "--db", str(ingested), "--format", "jsonl")
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 2
    assert set(records[0]) >= {"id", "url", "canonical_url", "outlet", "title", "published_at", "modified_at",
                               "authors", "body", "story_id", "organizations", "achievements"}
    out = tmp_path / "export.csv"
    assert run("export", "--db", str(ingested), "--format", "csv", "--query", "한빛정밀", "-o", str(out)).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["한빛정밀, 35억 원 공급 계약"]
    # a file that cannot be created is the user's to fix: one line, exit 2
    assert_one_line_error(run("export", "--db", str(ingested), "-o", str(tmp_path / "no-such-folder" / "x.jsonl")), 2)

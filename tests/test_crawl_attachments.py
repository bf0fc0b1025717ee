"""Press-release boards: a replay crawl follows each post's HWP/HWPX/PDF attachments and stores
the post as one `press_release` with the files' text.

The archive is tests/data/press-board: a board list and four posts written for these tests
(a fictional 예시도청), linking real attachments from tests/data/press-attachments (MANIFEST.tsv
there gives each file's gold sentence). Post 101 has page text, a claimed HWP, an HWPX behind
an unnamed `download.do` link and a photo; 102 is a stub page with an HWP and a PDF; 103 links
an encrypted HWPX, a distribution-protected HWP and a scanned PDF; 104 links seven files.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import NEWSMINE, REPO
from index_backends import BACKENDS, make_backend

pytestmark = pytest.mark.slow

BOARD = REPO / "tests" / "data" / "press-board"
ATTACHMENTS = REPO / "tests" / "data" / "press-attachments"
POST = "https://www.example-do.go.kr/board/press/view.do?bbsId=PRESS&nttId={}"
SOURCE = "example-do.go.kr"
READABLE = {  # post -> the files it links that hold text (in link order; 104: the first five)
    101: ["mafra_petfood_2024.hwp", "moef_fdi_2024q1.hwpx"],
    102: ["kwater_bonghwa_2026.hwp", "mois_govinnov_2025.pdf"],
    104: ["saemangeum_selection.hwp", "mof_bills_2026.hwpx", "mof_cruise_2026.hwpx",
          "molit_taxi_2024.hwpx", "msit_oss_contest_2026.hwpx"],
}
UNREADABLE = {"edge_password_12345.hwpx": "encrypted",
              "edge_kwater_bonghwa_2026_distrib.hwp": "distribution-protected",
              "edge_mafra_petfood_2024_cairo.pdf": "no text layer"}


def gold() -> dict[str, str]:
    with (ATTACHMENTS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row["gold_sentence"] for row in csv.DictReader(handle, delimiter="\t")}


def board_files() -> dict[str, str]:
    """Attachment URL -> file name, from the board archive's manifest."""
    with (BOARD / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["url"]: Path(row["file"]).name for row in csv.DictReader(handle, delimiter="\t")
                if row["kind"] == "attachment"}


def crawl(db: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    done = subprocess.run([*NEWSMINE, "crawl", "--replay", str(BOARD), "--db", str(db), "--json", *args],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NEWSMINE_CPU_WORKERS": "0", **(env or {})})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def source_report(report: dict) -> dict:
    (row,) = [s for s in report["sources"] if s["source"] == SOURCE]
    return row


def records(db: Path) -> dict[int, dict]:
    done = subprocess.run([*NEWSMINE, "export", "--db", str(db), "--format", "jsonl"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    out = {}
    for line in done.stdout.splitlines():
        record = json.loads(line)
        out[int(record["url"].rsplit("=", 1)[1])] = record
    return out


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    db = tmp_path_factory.mktemp("board") / "index.sqlite"
    return db, crawl(db)


def test_every_post_is_stored_once_as_a_press_release(crawled: tuple[Path, dict]) -> None:
    db, report = crawled
    stored = records(db)
    assert sorted(stored) == [101, 102, 103, 104]
    assert {r["kind"] for r in stored.values()} == {"press_release"}
    assert source_report(report)["new"] == 4


def test_gold_sentence_of_each_attached_file_is_in_its_release(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    stored, sentences, files = records(db), gold(), board_files()
    for post, names in READABLE.items():
        release = stored[post]["release"]
        read = [files[a["url"]] for a in release["attachments"] if a["status"] == "read"]
        assert read == names, post
        for name in names:
            (section,) = [s for s in release["sections"]
                          if s["file"] is not None and files[_url_of(release, s["file"])] == name]
            text = stored[post]["body"][section["start"]:section["end"]]
            assert squash(sentences[name]) in squash(text), (post, name)


def _url_of(release: dict, name: str) -> str:
    (url,) = [a["url"] for a in release["attachments"] if a["name"] == name]
    return url


def test_gold_sentences_are_searchable(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    # words of the gold sentences of 102's HWP and PDF, 101's HWP and 104's HWPX
    for query, post in (("봉화댐 혹한기 근로자 안전관리", 102), ("국민주권정부 정부혁신 추진전략", 102),
                        ("펫푸드 생산공장 방문", 101), ("공영항로 운항결손액", 104)):
        done = subprocess.run([*NEWSMINE, "search", query, "--db", str(db), "--json"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        hits = json.loads(done.stdout)["hits"]
        assert hits and hits[0]["url"] == POST.format(post), query
        assert hits[0]["kind"] == "press_release"


def test_page_text_stays_and_a_stub_page_gives_way(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    stored = records(db)
    first = stored[101]["release"]["sections"][0]
    assert first["file"] is None and "반려동물 사료를 만드는 도내 수출기업" in stored[101]["body"][:first["end"]]
    assert "붙임 보도자료를 참고하시기 바랍니다" not in stored[102]["body"]       # the stub
    assert all(s["file"] is not None for s in stored[102]["release"]["sections"])
    assert stored[102]["title"] == "봉화댐 건설 현장 안전점검 및 정부혁신 추진전략 자료"


def test_header_fields_come_from_the_first_file_that_states_them(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    release = records(db)[101]["release"]
    assert release["issuer"] == "농림축산식품부"
    assert release["department"] == "동물복지환경정책관실"
    assert release["contact"] == "김현우 044-201-2651"
    assert release["embargo"] == "2024. 3. 5.(화) 17:00"
    hwpx = [a for a in release["attachments"] if a["format"] == "hwpx"][0]
    assert hwpx["header"]["department"] == "대외경제국"        # its own header, not mixed in


def test_release_text_goes_through_the_nlp_stage(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    organizations = {(o["name"], o["kind"]) for o in records(db)[101]["organizations"]}
    # 우리와(주) appears only in the attached HWP, not on the board page
    assert ("우리와", "firm") in organizations
    assert ("농림축산식품부", "government") in organizations


def test_unreadable_attachments_are_one_error_each_and_the_page_is_stored(crawled: tuple[Path, dict]) -> None:
    db, report = crawled
    row = source_report(report)
    files = board_files()
    assert row["errors"] == {"attachment_encrypted": 1, "attachment_distribution-protected": 1,
                             "attachment_no_text_layer": 1}
    assert {files[e["url"]]: e["reason"] for e in row["attachment_errors"]} == UNREADABLE
    assert all(e["page"] == POST.format(103) for e in row["attachment_errors"])
    assert not row["failed"]
    post = records(db)[103]
    assert "암호가 걸려 있거나 배포용으로 저장되어" in post["body"]
    assert {files[a["url"]]: a["error"] for a in post["release"]["attachments"]} == UNREADABLE


def test_links_that_are_no_release_text_are_not_fetched(crawled: tuple[Path, dict]) -> None:
    db, report = crawled
    stored = records(db)
    # the photo, the zip of all files, previews and the header's/footer's PDFs are not followed
    assert [a["name"] for a in stored[101]["release"]["attachments"]] == [
        "반려동물 사료 수출 지원 보도자료.hwp", "첨부파일 2"]
    assert not any(k.startswith("attachment_http") for k in source_report(report)["errors"])


def test_attachment_count_is_bounded(crawled: tuple[Path, dict]) -> None:
    db, report = crawled
    assert len(records(db)[104]["release"]["attachments"]) == 5
    assert source_report(report)["attachments_capped"] == 2
    assert source_report(report)["attachments"] == 2 + 2 + 5


def test_attachment_size_is_bounded(tmp_path: Path) -> None:
    # 100 KB, and all seven of 104's files asked for: only the 9 KB (encrypted), 18 KB and 56 KB files pass
    report = crawl(tmp_path / "small.sqlite", env={"NEWSMINE_ATTACHMENT_MAXSIZE": "100000",
                                                    "NEWSMINE_MAX_ATTACHMENTS": "7"})
    row = source_report(report)
    assert row["new"] == 4
    files = board_files()
    big = sum(1 for name in set(files.values()) if (ATTACHMENTS / name).stat().st_size > 100_000)
    small = [name for name in set(files.values()) if (ATTACHMENTS / name).stat().st_size <= 100_000]
    assert row["errors"].get("attachment_too_large") == big
    assert row["attachments"] == len([n for n in small if n not in UNREADABLE])
    assert row["attachments_capped"] == 0
    post = records(tmp_path / "small.sqlite")[101]
    assert [a["error"] for a in post["release"]["attachments"]] == ["too_large", "too_large"]
    assert "반려동물 사료를 만드는 도내 수출기업" in post["body"]      # the page is stored all the same


def test_recrawl_stores_nothing_twice(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT url, content_hash, updated_at FROM articles ORDER BY url").fetchall()
    report = crawl(db)
    row = source_report(report)
    assert row["new"] + row["updated"] == 0 and row["known_skipped"] == 4
    assert row["attachments"] == 0 and not row["errors"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT url, content_hash, updated_at FROM articles ORDER BY url").fetchall() == before


def test_site_registry_marks_press_release_boards(tmp_path: Path) -> None:
    """With --sites, a site of kind press-release has its attachments read; the same board as
    kind news stores the page alone, as an article."""
    db = {}
    for kind in ("press-release", "news"):
        sites = tmp_path / kind
        sites.mkdir()
        (sites / "example-do.toml").write_text(
            'name = "예시도청 보도자료"\n'
            f'kind = "{kind}"\n'
            'list = ["https://www.example-do.go.kr/board/press/list.do?bbsId=PRESS"]\n'
            "article_pattern = '^https://www\\.example-do\\.go\\.kr/board/press/view\\.do\\?bbsId=PRESS&nttId=\\d+$'\n",
            encoding="utf-8")
        db[kind] = tmp_path / f"{kind}.sqlite"
        report = crawl(db[kind], "--sites", str(sites))
        (row,) = report["sources"]
        assert row["source"] == "example-do" and row["new"] == 4
    assert {r["kind"] for r in records(db["press-release"]).values()} == {"press_release"}
    news = records(db["news"])
    assert {r["kind"] for r in news.values()} == {"article"} and all(r["release"] is None for r in news.values())
    assert "우리와" not in news[101]["body"]


# ------------------------------------------------------------------ the store, both back ends

@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    yield from make_backend(request, tmp_path_factory)


def test_store_keeps_kind_and_release_on_both_back_ends(backend) -> None:
    release = {"issuer": "예시도청", "department": "대변인실", "contact": None, "embargo": None,
               "distributed": None, "attachments": [{"name": "a.hwp", "url": "https://x.kr/f?id=1",
                                                     "status": "read", "format": "hwp", "error": None}],
               "sections": [{"file": "a.hwp", "start": 0, "end": 30}]}
    record = {"url": "https://x.kr/p?id=1", "title": "보도자료 제목", "body": "도는 새 사업을 시작한다고 밝혔다. 사업은 올해 안에 끝난다.",
              "kind": "press_release", "release": release}
    with backend.open("releases") as store:
        article_id, status = store.upsert_article(record)
        assert status == "new"
        stored = store.get_article(article_id)
        assert stored["kind"] == "press_release" and stored["release"] == release
        assert store.upsert_article(record)[1] == "unchanged"
        changed = {**release, "department": "홍보담당관실"}
        assert store.upsert_article({**record, "release": changed})[1] == "updated"
        assert store.get_article(article_id)["release"]["department"] == "홍보담당관실"
        plain = store.upsert_article({"url": "https://x.kr/news/1", "title": "기사", "body": "기사 본문이 여기에 있다."})[0]
        assert store.get_article(plain)["kind"] == "article" and store.get_article(plain)["release"] is None
        hits = store.search("사업")["hits"]
        assert [h["kind"] for h in hits] == ["press_release"]
        with pytest.raises(Exception, match="kind"):
            store.upsert_article({**record, "kind": "tweet"})

"""A replay crawl of the bundled archive, through the real CLI, Scrapy spider and pipelines."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import NEWSMINE, REPLAY

pytestmark = pytest.mark.slow
KST = timezone(timedelta(hours=9))


def manifest_articles() -> list[dict]:
    with (REPLAY / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == "article"]


def crawl(db: Path) -> dict:
    done = subprocess.run([*NEWSMINE, "crawl", "--replay", str(REPLAY), "--db", str(db), "--json"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    db = tmp_path_factory.mktemp("crawl") / "index.sqlite"
    return db, crawl(db)


def rows(db: Path) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {r["url"]: dict(r) for r in conn.execute("SELECT * FROM articles")}


def expected_kst(date_text: str) -> tuple[datetime, bool]:
    """The manifest's date as KST, and whether it carries a time of day."""
    text = date_text.split(" (")[0].strip()
    if len(text) == 10:
        return datetime.fromisoformat(text).replace(tzinfo=KST), False
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=KST)
    return when.astimezone(KST), True


def test_every_allowed_article_is_stored_once(crawled: tuple[Path, dict]) -> None:
    db, report = crawled
    stored = rows(db)
    allowed = [a for a in manifest_articles() if "/private/" not in a["url"]]
    assert len(stored) == len(allowed)
    assert report["finish_reason"] == "finished"
    assert not [s for s in report["sources"] if s["failed"]]


@pytest.mark.parametrize("entry", [a for a in manifest_articles() if "/private/" not in a["url"]],
                         ids=lambda a: a["file"])
def test_title_and_date_match_the_manifest(crawled: tuple[Path, dict], entry: dict) -> None:
    db, _ = crawled
    by_url = rows(db)
    from crawler.urls import canonicalize

    row = by_url.get(canonicalize(entry["url"]))
    assert row is not None, f"{entry['url']} was not stored under its original URL"
    assert row["title"] == entry["title"]
    want, has_time = expected_kst(entry["date"])
    got = datetime.fromisoformat(row["published_at"])
    assert got.utcoffset() == timedelta(hours=9)
    if has_time:
        assert abs(got - want) < timedelta(minutes=1), (row["published_at"], entry["date"])
    else:
        assert got.date() == want.date()


def test_robots_txt_is_obeyed(crawled: tuple[Path, dict]) -> None:
    db, report = crawled
    assert report["robots_forbidden"] >= 1
    assert not any("/private/" in url for url in rows(db))


def test_link_with_tracking_parameter_leads_to_one_row(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    seed_rows = [u for u in rows(db) if "newsstep" in u]
    assert seed_rows == ["https://www.newsstep.co.kr/news/view.php?idx=seed-20240911"]


def test_recrawl_fetches_nothing_and_adds_nothing(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    before = rows(db)
    report = crawl(db)
    assert rows(db) == before
    assert sum(s["new"] + s["updated"] for s in report["sources"]) == 0
    assert sum(s["known_skipped"] for s in report["sources"]) == len(before)
    # Discovery pages answer 304 to the conditional GET; no article page is downloaded again.
    assert sum(s["not_modified"] for s in report["sources"]) >= 1


def test_seed_article_is_enriched(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    with sqlite3.connect(db) as conn:
        found = conn.execute(
            "SELECT org_name, type FROM achievements a JOIN articles r ON r.seq = a.article_seq "
            "WHERE r.url LIKE '%newsstep%' AND scope = 'firm' ORDER BY org_name, type").fetchall()
    assert found == [("아이티스테이션", "contract"), ("아이티스테이션", "selection"), ("텔로스", "selection")]


def test_search_finds_firm_with_and_without_particles(crawled: tuple[Path, dict]) -> None:
    db, _ = crawled
    for query in ("아이티스테이션", "㈜아이티스테이션은", "강소기업"):
        done = subprocess.run([*NEWSMINE, "search", query, "--db", str(db), "--json"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["total"] >= 1, query
        assert "newsstep" in result["hits"][0]["url"]

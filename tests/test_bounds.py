"""Bounded input: a page or text too big for an article is cut or refused, counted and
reported, and no log line carries a page (the reliability issue's defects 3, 4, 9 and 10)."""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NEWSMINE
from test_cli import assert_one_line_error

from crawler.items import PageItem
from crawler.logcap import LineCap
from nlp.bounds import MAX_TEXT_CHARS, cap_text, looks_like_text

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "data" / "seed" / "jeonbuk-sw-article.txt"


def _real_text(chars: int) -> str:
    """Paragraphs of the seed article's real sentences, numbered so none repeats, to `chars`."""
    sentences = [s for s in SEED.read_text(encoding="utf-8").replace("\n", " ").split(". ") if len(s) > 20]
    out, n = [], 0
    while sum(map(len, out)) < chars:
        out.append(f"{n}번째 문단. {sentences[n % len(sentences)]}.")
        n += 1
    return "\n".join(out)


def test_a_long_text_is_cut_at_a_sentence_end_and_a_short_one_is_kept() -> None:
    text = _real_text(MAX_TEXT_CHARS + 5_000)
    cut, was_cut = cap_text(text)
    assert was_cut and MAX_TEXT_CHARS * 0.8 <= len(cut) <= MAX_TEXT_CHARS
    assert cut.endswith(".") and text.startswith(cut)
    short = SEED.read_text(encoding="utf-8")
    assert cap_text(short) == (short, False)
    assert cap_text("가" * 300, 100) == ("가" * 100, True)      # no sentence end, no space: hard cut


def test_binary_data_is_not_text_and_korean_text_is() -> None:
    noise = random.Random(7).randbytes(20_000)
    assert not looks_like_text(noise)
    assert not looks_like_text(noise.decode("utf-8", errors="replace"))
    assert looks_like_text(SEED.read_bytes()) and looks_like_text(SEED.read_text(encoding="utf-8"))


def test_an_item_in_a_log_line_shows_its_url_and_sizes_not_its_body() -> None:
    item = PageItem(url="https://example.kr/news/1", body=b"<html>" + b"x" * 1_000_000, charset=None, source="ex")
    shown = repr(item)
    assert "https://example.kr/news/1" in shown and "bytes=1000006" in shown and len(shown) < 300


def test_a_long_log_message_is_cut() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "dropped: %s", ("y" * 50_000,), None)
    assert LineCap(2000).filter(record)
    assert len(record.getMessage()) < 2100 and "more characters cut" in record.getMessage()


def test_a_log_line_stays_under_2_kb_in_korean_and_in_an_exception_that_quotes_its_input() -> None:
    """The bar counts bytes: 2,000 Hangul characters are 6,000 of them."""
    import io

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    handler.addFilter(LineCap())
    logger = logging.getLogger("newsmine.test.linecap")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("dropped: %s", "전북 기업 소식 " * 800)
        try:
            raise ValueError("잘못된 입력: " + "가나다라마바사" * 2000)
        except ValueError:
            logger.exception("extraction failed")
    finally:
        logger.removeHandler(handler)
    lines = out.getvalue().splitlines()
    assert max(len(line.encode("utf-8")) for line in lines) <= 2048
    assert sum("more characters cut" in line for line in lines) == 2 and "ValueError" in out.getvalue()


def _newsmine(*args: str, stdin: bytes | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*NEWSMINE, *args], input=stdin, capture_output=True, timeout=timeout)


def test_extract_refuses_binary_input() -> None:
    noise = random.Random(3).randbytes(50_000)
    done = _newsmine("extract", "-", stdin=noise)
    done_text = subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())
    assert_one_line_error(done_text, 2)
    assert "not text" in done_text.stderr


@pytest.mark.slow
def test_extract_cuts_a_very_long_text_and_says_so() -> None:
    done = _newsmine("extract", "-", stdin=_real_text(MAX_TEXT_CHARS * 3).encode())
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads(done.stdout)
    assert record["text_cut_at"] == MAX_TEXT_CHARS
    assert any(o["name"] == "한빛정밀" or o["kind"] == "firm" for o in record["organizations"])


def test_ingest_names_every_bad_line_and_stores_nothing(tmp_path: Path) -> None:
    good = {"url": "https://example.kr/news/1", "title": "제목", "body": "본문입니다. " * 5,
            "published_at": "2024-05-01"}
    lines = [good,
             {**good, "url": "https://example.kr/news/2", "body": ["목록", "본문"]},
             {**good, "url": "https://example.kr/news/3", "published_at": 20240501},
             {**good, "url": "javascript:alert(1)"},
             {**good, "url": "https://example.kr/news/5", "published_at": "2031-01-01"},
             {**good, "url": "https://example.kr/news/6", "published_at": "어제"}]
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    db = tmp_path / "mixed.sqlite"
    done = subprocess.run([*NEWSMINE, "ingest", str(source), "--db", str(db)], capture_output=True, text=True,
                          timeout=300)
    assert_one_line_error(done, 2)
    for line_no, reason in ((2, "body is not text"), (3, "published_at is not a date"),
                            (4, "url is not an http(s) URL"), (5, "in the future"), (6, "not a date")):
        assert f"mixed.jsonl:{line_no}: " in done.stderr and reason in done.stderr
    assert "mixed.jsonl:1:" not in done.stderr and "5 bad line(s)" in done.stderr
    assert not db.exists()


@pytest.mark.slow
def test_crawl_stops_an_endless_page_cuts_a_huge_one_and_logs_neither(tmp_path: Path) -> None:
    """A page past DOWNLOAD_MAXSIZE is dropped as the source's too_large error; a page of
    several hundred thousand characters of text is stored cut, counted as cut; stderr stays
    free of page text; every other article is stored once."""
    from site_trees import build_tree, rewrite_article, stored, write_manifest, write_site_files

    tree = build_tree(tmp_path, "ndsoft", 6, rss=False, sitemap=False)
    write_manifest(tmp_path, [tree])
    sites = write_site_files(tmp_path / "sites", [tree])
    huge, giant = tree.allowed[1], tree.allowed[2]
    rewrite_article(tmp_path, tree, huge, [_real_text(MAX_TEXT_CHARS * 4).replace("\n", " ")] + huge.body[1:])
    entry = next(e for e in tree.entries if e.url == giant.url)
    page = tmp_path / entry.file
    page.write_bytes(page.read_bytes() + b"<!-- " + b"0123456789" * 900_000 + b" -->")   # 9 MB
    db = tmp_path / "index.sqlite"
    done = subprocess.run([sys.executable, "-m", "newsmine", "crawl", "--replay", str(tmp_path), "--db", str(db),
                           "--json", "--no-nlp", "--sites", str(sites)], capture_output=True, text=True,
                          timeout=900, cwd=REPO, env={**os.environ})
    assert done.returncode in (0, 1), done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    (source,) = report["sources"]
    assert source["errors"].get("too_large") == 1 and source["cut"] == 1
    rows = stored(db)
    assert len(rows) == len(tree.allowed) - 1 and giant.url not in {r["url"] for r in rows.values()}
    (cut_row,) = [r for r in rows.values() if r["url"] == huge.url]
    assert len(cut_row["body"]) <= MAX_TEXT_CHARS
    assert max(map(len, done.stderr.splitlines()), default=0) <= 2100
    assert len(done.stderr) < 50_000


def _page(published_meta: str, footer: str) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in SEED.read_text(encoding="utf-8").splitlines() if len(line) > 60)
    return (f'<html><head><meta property="article:published_time" content="{published_meta}">'
            f"<title>전북 SW 기업 성과</title></head><body><div class='top'>전북일보</div>"
            f"<article><h1>전북 SW 기업 성과</h1>{body}</article>"
            f"<div class='site-info'>{footer}</div></body></html>").encode()


@pytest.mark.parametrize("impossible", ["2031-05-01T10:00:00+09:00", "1970-01-01T00:00:00+00:00"])
def test_an_impossible_date_gives_no_date_not_the_footers(impossible: str) -> None:
    from pipelines.extract import extract_article

    article = extract_article(_page(impossible, "등록일: 2015-01-02 | 대표전화 063-000-0000"),
                              "https://example.kr/news/1")
    assert article.published_at is None


def test_a_byline_stamp_above_the_article_still_counts_when_the_meta_date_is_impossible() -> None:
    from pipelines.extract import extract_article

    page = _page("2031-05-01T10:00:00+09:00", "등록일: 2015-01-02").replace(
        b"<article>", "<article><p class='byline'>입력 2024.05.02 10:31</p>".encode())
    assert extract_article(page, "https://example.kr/news/1").published_at == "2024-05-02T10:31:00+09:00"

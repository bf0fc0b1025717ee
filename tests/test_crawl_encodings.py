"""Charsets that lie, through the whole crawl: stored titles and bodies must be correct Hangul.

Three pages built from the ND Soft template (tests/site_trees.py), served by the replay
server with what they claim in the HTTP header and in <meta>:
EUC-KR bytes that declare UTF-8; EUC-KR bytes that declare nothing; UTF-8 bytes that
declare EUC-KR. The decoder under test is pipelines/decode.py, reached through the crawl.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_trees import ND_TEMPLATE, SiteTree, _nd_article, article_url, crawl_cli, make_article, stored, write_manifest

pytestmark = pytest.mark.slow

BASE = "https://www.charset-daily.test"
CASES = {
    # name: (bytes encoding, HTTP charset, <meta> charset)
    "euckr-declares-utf8": ("cp949", "utf-8", "utf-8"),
    "euckr-declares-nothing": ("cp949", "", None),
    "utf8-declares-euckr": ("utf-8", "euc-kr", "euc-kr"),
}


def _page(html: str, encoding: str, meta: str | None) -> bytes:
    html = re.sub(r'<meta charset="utf-8">', f'<meta charset="{meta}">' if meta else "", html, count=1)
    # a legacy page writes what EUC-KR/CP949 lacks as character references
    return html.encode(encoding, errors="xmlcharrefreplace")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("charsets")
    tree = SiteTree("ndsoft", BASE, "charset-daily", [])
    template = ND_TEMPLATE.read_text(encoding="utf-8")
    for number, (name, (encoding, header, meta)) in enumerate(CASES.items(), start=200001):
        article = make_article("ndsoft", 7, number)
        article.url = article_url("ndsoft", BASE, number)
        tree.articles.append(article)
        html = _nd_article(template, tree, article, [article], "문자일보")
        tree.add(root, f"{name}.html", article.url, "article", _page(html, encoding, meta),
                 encoding=header, title=article.title)
    write_manifest(root, [tree])
    db = root / "index.sqlite"
    report = crawl_cli(root, db)
    return db, {"tree": tree, "report": report}


@pytest.mark.parametrize("index, name", list(enumerate(CASES)), ids=list(CASES))
def test_mislabelled_pages_decode_to_correct_hangul(crawled: tuple[Path, dict], index: int, name: str) -> None:
    db, info = crawled
    article = info["tree"].articles[index]
    row = stored(db).get(article.url)
    assert row is not None, f"{name}: not stored"
    assert row["title"] == article.title
    assert "\ufffd" not in row["body"] and "\ufffd" not in row["title"]
    for paragraph in article.body[:3]:
        assert paragraph[:30] in row["body"]
    assert re.search(r"[가-힣]{2,}", row["body"])


def test_the_archive_really_lies(crawled: tuple[Path, dict]) -> None:
    """Guard against a fixture that accidentally tells the truth."""
    from crawler.manifest import load_manifest

    db, info = crawled
    entries = load_manifest(db.parent)
    raw = {e.url: e.file.read_bytes() for e in entries}
    euc = raw[info["tree"].articles[0].url]
    with pytest.raises(UnicodeDecodeError):
        euc.decode("utf-8")
    assert b'charset="utf-8"' in euc
    assert raw[info["tree"].articles[2].url].decode("utf-8")

"""Extraction on the saved real pages of the replay archive (titles, dates, clean bodies)."""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import pytest

from pipelines.extract import ExtractedArticle, ExtractionError, extract_article

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay"
KST = timezone(timedelta(hours=9))


def _article_rows() -> list[dict[str, str]]:
    with open(REPLAY / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r for r in rows if r["kind"] == "article"]


ROWS = _article_rows()
IDS = [r["file"] for r in ROWS]


@lru_cache(maxsize=None)
def extracted(file: str) -> ExtractedArticle:
    row = next(r for r in ROWS if r["file"] == file)
    return extract_article((REPLAY / file).read_bytes(), row["url"])


def expected_date(value: str) -> tuple[datetime, bool] | None:
    """The manifest's date in KST and whether it has a time (independent of pipelines.dates)."""
    value = value.split(" (")[0].strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.fromisoformat(value).replace(tzinfo=KST), False
    when = datetime.fromisoformat(value.replace(" ", "T"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=KST)
    return when.astimezone(KST), True


def test_manifest_has_the_real_pages() -> None:
    real = [r for r in ROWS if not r["file"].startswith("newsstep.co.kr/")]
    assert len(real) == 28
    assert any(r["file"] == "newsstep.co.kr/article_seed.html" for r in ROWS)


def test_expected_date_helper_converts_utc() -> None:
    assert expected_date("2023-04-20T04:24:13Z") == (datetime(2023, 4, 20, 13, 24, 13, tzinfo=KST), True)
    assert expected_date("2025-12-10") == (datetime(2025, 12, 10, tzinfo=KST), False)


@pytest.mark.parametrize("file", IDS)
def test_title_is_exact(file: str) -> None:
    row = next(r for r in ROWS if r["file"] == file)
    assert extracted(file).title == row["title"]


@pytest.mark.parametrize("file", IDS)
def test_published_date(file: str) -> None:
    row = next(r for r in ROWS if r["file"] == file)
    got = extracted(file).published_at
    want = expected_date(row["date"])
    if want is None:
        assert got is None
        return
    assert got is not None, f"no date for {file}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", got)
    when = datetime.fromisoformat(got)
    if want[1]:
        assert when.replace(second=0) == want[0].replace(second=0, microsecond=0)
    else:
        assert when.date() == want[0].date()


MIN_BODY = 300
SHORT_PAGES = {
    "news.seoul.go.kr/gov_archives_574155.html": 100,  # a notice whose content is an image
    "newsstep.co.kr/draft.html": 30,                    # a one-sentence draft
}


@pytest.mark.parametrize("file", IDS)
def test_body_is_long_enough(file: str) -> None:
    body = extracted(file).body
    assert len(body) >= SHORT_PAGES.get(file, MIN_BODY)
    assert "\n\n" not in body and body == body.strip()


NOISE = [
    ("copyright", re.compile(r"저작권자|무단\s*전재|재배포\s*금지|copyright|all rights reserved|ⓒ|©",
                             re.IGNORECASE)),
    ("e-mail", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    ("byline", re.compile(r"^[\[(]?\s*(?:[가-힣]+=)?[가-힣]{2,4}\s*기자\s*[\])|/]?\s*$")),
    ("list heading", re.compile(r"^(?:\S+\s)?(?:관련\s?기사|많이\s?본\s?(?:뉴스|기사)|최신\s?뉴스|"
                                r"인기\s?기사|주요\s?뉴스|포토\s?뉴스|PHOTO NEWS)\s*[>›]?$",
                                re.IGNORECASE)),
    ("comments", re.compile(r"^(?:뉴스)?댓글|댓글\s*\d+\s*$|댓글을\s?(?:입력|작성)")),
    ("date stamp", re.compile(r"^-?\s*(?:기사)?(?:입력|수정|등록|승인)\s*[:：]?\s*[\[(]?\s*\d{4}[.-]")),
    ("caption", re.compile(r"^▲.*(?:사진|제공|=)|^[\[(]\s*사진\s*[=:]")),
    ("attachment", re.compile(r"\.(?:jpe?g|png|hwp|pdf)\b|\[(?:jpe?g|png|hwp|pdf),", re.IGNORECASE)),
]


@pytest.mark.parametrize("file", IDS)
def test_body_has_no_furniture(file: str) -> None:
    for line in extracted(file).body.split("\n"):
        for name, pattern in NOISE:
            assert not pattern.search(line), f"{name} line in {file}: {line!r}"
        if "기자" in line:
            assert not re.search(r"@", line), f"byline with e-mail in {file}: {line!r}"


@pytest.mark.parametrize("file", IDS)
def test_body_does_not_repeat_itself(file: str) -> None:
    long_lines = [x for x in extracted(file).body.split("\n") if len(x) >= 30]
    assert len(long_lines) == len(set(long_lines))


def test_body_does_not_repeat_the_title() -> None:
    for file in IDS:
        article = extracted(file)
        assert article.title not in article.body.split("\n"), file


# ------------------------------------------------------------------- the seed page

SEED = "newsstep.co.kr/article_seed.html"


def test_seed_article_fields() -> None:
    a = extracted(SEED)
    assert a.title == "전북자치도, 디지털 산업 이끄는 SW강소기업과 소통의 장 마련"
    assert a.published_at == "2024-09-11T16:10:25+09:00"
    assert a.authors == ["최선경"]
    assert a.outlet == "뉴스스텝"
    assert a.canonical_url == "https://www.newsstep.co.kr/news/view.php?idx=seed-20240911"


def test_seed_body_keeps_the_story_and_drops_the_rest() -> None:
    body = extracted(SEED).body
    assert "㈜아이티스테이션은 2015년 선정 이후" in body
    assert "약 20억 원 규모의 납품 계약을 성사시키는 성과를 이뤘다." in body
    assert "㈜텔로스는 2020년 ‘AI기반 농산물 품질 등급 분류기 개발’" in body
    assert body.startswith("[뉴스스텝] 전북특별자치도는 11일")
    assert body.endswith("아끼지 않을 방침이다.")
    for noise in ("최신뉴스", "충남도, 대한민국 대표 청년 축제", "저작권자", "뉴스댓글",
                  "최선경 기자", "기사승인", "강서구의사회", "PHOTO NEWS", "많이 본 기사"):
        assert noise not in body


# --------------------------------------------------------- pages that need real care

def test_arc_fusion_page_body_comes_from_global_content() -> None:
    a = extracted("chosun.com/article_2023_international_PHN3NSOXKVEP3M77YKKWI3QJ6A.html")
    assert a.body.startswith("예수가 죽음에서 부활했다는 날을 기념하는 부활절 날")
    assert "베이비 박스" in a.body
    assert a.published_at == "2023-04-11T11:40:17+09:00"  # 02:40:17Z shifted to KST
    assert a.authors == ["박선민"]


def test_nextjs_page_body_comes_from_flight_data() -> None:
    a = extracted("hankookilbo.com/article_A2026012914320005196.html")
    assert "장동혁 국민의힘 대표가 당권을 위협하던 한동훈 전 대표를 제명했지만" in a.body
    assert "$$ARTICLEAD$$" not in a.body and "<p" not in a.body
    assert "신현주" in a.authors
    assert a.modified_at == "2026-01-29T18:49:00+09:00"


def test_utc_meta_time_is_shifted_to_kst() -> None:
    a = extracted("yonhapnewstv.co.kr/article_MYH20230420009000641.html")
    assert a.published_at == "2023-04-20T13:24:13+09:00"


def test_duplicated_print_copy_is_removed() -> None:
    body = extracted("news.kbs.co.kr/article_ncd7646024.html").body
    assert body.count("오늘 종일 남북을 연결하는 통신선이 끊어졌습니다.") == 1
    assert "기사 모음" not in body and "전체보기" not in body


def test_canonical_rejects_site_root_and_section_urls() -> None:
    for file in ("gwangju.go.kr/press_view_seq21180.html", "gangjin.go.kr/press_view.html",
                 "naju.go.kr/press_view.html", "mokpo.go.kr/press_view.html"):
        row = next(r for r in ROWS if r["file"] == file)
        assert extracted(file).canonical_url == row["url"], file


def test_canonical_accepts_the_sites_own_article_url() -> None:
    a = extracted("mk.co.kr/article_2020_society_693939.html")
    assert a.canonical_url == "https://www.mk.co.kr/news/society/9419376"
    ytn = extracted("ytn.co.kr/article_0103_202304072045038009.html")  # relative href resolved
    assert ytn.canonical_url == "https://www.ytn.co.kr/_ln/0103_202304072045038009"


def test_authors_are_bare_names() -> None:
    for file in IDS:
        for name in extracted(file).authors:
            assert "기자" not in name and "@" not in name and "=" not in name, (file, name)
            assert not name.startswith("http"), (file, name)
    assert extracted("jnilbo.com/article_idxno_90000015817.html").authors == ["이정준"]
    assert extracted("mk.co.kr/article_2020_society_693939.html").authors == ["류영상"]


def test_outlets() -> None:
    assert extracted("hankookilbo.com/article_A2026012914320005196.html").outlet == "한국일보"
    assert extracted("donga.com/article_20131023_58406128.html").outlet == "동아닷컴"
    assert extracted("n.news.naver.com/article_607_0000001728.html").outlet == "뉴스타파"


# ------------------------------------------------------------------------- errors

@pytest.mark.parametrize("page", [b"", b"   \n", "", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_empty_or_binary_input_raises(page: bytes | str) -> None:
    with pytest.raises(ExtractionError):
        extract_article(page, "https://example.kr/a")


def test_not_html_raises() -> None:
    with pytest.raises(ExtractionError, match="not an HTML page"):
        extract_article(b'{"id": 1, "text": "plain JSON"}', "https://example.kr/api")


def test_feed_is_not_an_article() -> None:
    feed = (REPLAY / "acnnewswire.net/rss2_press_rss_20k_ko.xml").read_bytes()
    with pytest.raises(ExtractionError):
        extract_article(feed, "http://www.acnnewswire.net/rss2/press_rss_20k.asp")


def test_page_without_story_text_raises() -> None:
    shell = ("<html><head><title>목록 - 어느신문</title></head><body><nav><a href='/'>홈</a>"
             "<a href='/a'>정치</a></nav><footer>ⓒ 어느신문</footer></body></html>")
    with pytest.raises(ExtractionError, match="no article text"):
        extract_article(shell.encode("utf-8"), "https://example.kr/list")


def test_error_message_is_one_line() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_article(b"", "https://example.kr/a")
    assert "\n" not in str(info.value)


def test_euc_kr_page_declared_utf8_by_server() -> None:
    file = "news.naver.com/main_read_2021-10-04_article.html"
    row = next(r for r in ROWS if r["file"] == file)
    a = extract_article((REPLAY / file).read_bytes(), row["url"], declared_encoding="utf-8")
    assert a.title == row["title"]
    assert "곱창" in a.body


def test_site_rule_table_overrides_general_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines import sites

    page = ("<html><head><title>사이트 메인</title></head><body>"
            "<div class='x-head'><span class='x-title'>규칙으로 고른 제목</span>"
            "<span class='x-when'>2024.03.05 14:20</span></div>"
            "<div class='x-text'><p>첫째 문단은 규칙이 가리킨 요소에서 온다. 일반 규칙은 이 페이지에서 실패한다.</p>"
            "<p>둘째 문단도 마찬가지다.</p></div>"
            "<div class='other'><p>" + "다른 영역의 긴 글. " * 40 + "</p></div></body></html>")
    monkeypatch.setitem(sites.SITE_RULES, "rules.example.kr", sites.SiteRule(
        body=".x-text", title=".x-title", date=".x-when", why="test"))
    a = extract_article(page.encode("utf-8"), "https://www.rules.example.kr/view?id=1")
    assert a.title == "규칙으로 고른 제목"
    assert a.published_at == "2024-03-05T14:20:00+09:00"
    assert a.body.split("\n") == ["첫째 문단은 규칙이 가리킨 요소에서 온다. 일반 규칙은 이 페이지에서 실패한다.",
                                  "둘째 문단도 마찬가지다."]
    assert sites.rule_for("https://other.example.kr/") is None

"""Charset handling: the bytes decide, not the labels that Korean sites get wrong."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.decode import decode_html, normalize_charset, sniff_declared

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay"
NAVER_ARTICLE = REPLAY / "news.naver.com/main_read_2021-10-04_article.html"  # EUC-KR bytes
NAVER_HOME = REPLAY / "news.naver.com/home_2021.html"                          # EUC-KR bytes
DAEJONILBO = REPLAY / "daejonilbo.com/m_article_pk1412361.html"  # UTF-8 bytes, meta says euc-kr
RSS = REPLAY / "acnnewswire.net/rss2_press_rss_20k_ko.xml"        # EUC-KR XML declaration


def _without_meta_charset(raw: bytes) -> bytes:
    return re.sub(rb"<meta[^>]*charset[^>]*>", b"", raw, flags=re.IGNORECASE)


def test_the_samples_are_what_the_tests_claim() -> None:
    raw = NAVER_ARTICLE.read_bytes()
    assert b"euc-kr" in raw[:4000].lower()
    try:
        raw.decode("utf-8")
        raise AssertionError("the naver sample should not be valid UTF-8")
    except UnicodeDecodeError:
        pass
    daejon = DAEJONILBO.read_bytes()
    daejon.decode("utf-8")
    assert sniff_declared(daejon) == ["euc-kr"]


def test_euc_kr_page_with_its_own_meta() -> None:
    text = decode_html(NAVER_ARTICLE.read_bytes())
    assert "소 배설물 아닌가요? 평소와 다른 곱창 속 ‘곱’ 정체" in text
    assert "\ufffd" not in text


def test_euc_kr_page_served_as_utf8() -> None:
    text = decode_html(NAVER_ARTICLE.read_bytes(), declared="utf-8")
    assert "곱창" in text and "네이버 뉴스" in text
    assert "\ufffd" not in text


def test_euc_kr_page_with_no_declaration_anywhere() -> None:
    raw = _without_meta_charset(NAVER_ARTICLE.read_bytes())
    assert not sniff_declared(raw)
    text = decode_html(raw)
    assert "곱창" in text and "서울신문" in text


def test_euc_kr_page_behind_a_latin1_header() -> None:
    text = decode_html(NAVER_HOME.read_bytes(), declared="ISO-8859-1")
    assert "<title>네이버 뉴스</title>" in text


def test_euc_kr_list_page_undeclared() -> None:
    text = decode_html(_without_meta_charset(NAVER_HOME.read_bytes()))
    assert "네이버 뉴스" in text


def test_utf8_page_whose_meta_says_euc_kr() -> None:
    raw = DAEJONILBO.read_bytes()
    for declared in (None, "euc-kr", "EUC-KR", "ks_c_5601-1987"):
        text = decode_html(raw, declared=declared)
        assert "코로나19 극복 성금 기탁 줄 잇는다" in text


def test_cp949_only_syllables_in_a_page_labelled_euc_kr() -> None:
    sentence = "똠방각하와 쌰갈 같은 확장 완성형 글자도 읽힌다"
    raw = ('<html><head><meta charset="euc-kr"></head><body><p>'
           + sentence + "</p></body></html>").encode("cp949")
    assert decode_html(raw) .count(sentence) == 1
    assert decode_html(raw, declared="euc-kr").count(sentence) == 1


def test_xml_declaration_is_honoured() -> None:
    text = decode_html(RSS.read_bytes())
    assert "ATM 이용 계약을 체결" in text


def test_byte_order_mark() -> None:
    raw = b"\xef\xbb\xbf<html><body>\xed\x95\x9c\xea\xb8\x80</body></html>"
    assert decode_html(raw) == "<html><body>한글</body></html>"


def test_broken_bytes_degrade_instead_of_raising() -> None:
    good = "<p>전북특별자치도 디지털산업과</p>".encode("cp949")
    text = decode_html(good[:-7] + b"\xff\xfe" + good[-7:], declared="euc-kr")
    assert "전북특별자치도" in text


def test_charset_labels() -> None:
    assert normalize_charset("EUC-KR") == "cp949"
    assert normalize_charset("ks_c_5601-1987") == "cp949"
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("no-such-charset") is None
    assert normalize_charset(None) is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "euc-kr", "latin-1", "bogus", ""]))
def test_never_raises_for_bytes(raw: bytes, declared: str | None) -> None:
    assert isinstance(decode_html(raw, declared), str)

"""Property-based tests (hypothesis) of the three parsers that read outside input: HTML
extraction, Korean amounts and the query language. Whatever the input, no exception but the
module's own escapes, and every output keeps its invariants. Derandomized: the same examples
on every run, so a failure is reproducible and CI does not flicker."""

from __future__ import annotations

import math
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.query import QueryError, compile_query, parse
from nlp.amounts import find_amounts, korean_number, parse_amount
from nlp.bounds import MAX_TEXT_CHARS, MAX_TITLE_CHARS
from pipelines.extract import MIN_BODY_CHARS, ExtractedArticle, ExtractionError, extract_article

FAST = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
HTML = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# ----------------------------------------------------------------------------- HTML extraction

_WORDS = st.sampled_from(["전북도는", "11일", "간담회를", "개최했다.", "기자", "입력", "2024.05.02 10:31",
                          "홈", "로그인", "전체기사", "&amp;", "&#xD55C;", "<", ">", "\u200b", "\x00", "Ω",
                          "12억원", "수주했다.", "Copyright", "ⓒ", "무단전재", "\n", "  "])
_TEXT = st.lists(_WORDS, max_size=25).map(" ".join)
_TAGS = st.sampled_from(["div", "p", "span", "a", "article", "section", "h1", "h2", "li", "ul", "table", "td",
                         "script", "style", "nav", "footer", "header", "br", "time", "meta", "title"])
_ATTRS = st.sampled_from(["", ' class="article_body"', ' id="footer"', ' class="title"', ' href="/news/1"',
                          ' property="article:published_time" content="2024-05-02T10:31:00+09:00"',
                          ' datetime="2031-01-01"', ' content="\'"', ' class="byline"'])


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, attrs, inner, close: f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if close else ""),
                     _TAGS, _ATTRS, children, st.booleans())


_MARKUP = st.recursive(_TEXT, lambda children: st.lists(_element(children), max_size=4).map("".join),
                       max_leaves=30)
_PAGES = st.one_of(
    st.builds(lambda head, body: f"<html><head>{head}</head><body>{body}</body></html>", _MARKUP, _MARKUP),
    _MARKUP,
    st.text(max_size=300),
    st.binary(max_size=300),
)


@HTML
@given(_PAGES)
def test_extraction_returns_an_article_or_its_own_error(page: str | bytes) -> None:
    try:
        article = extract_article(page, "https://example.kr/news/1")
    except ExtractionError as error:
        assert str(error) and "\n" not in str(error).strip()
        return
    assert isinstance(article, ExtractedArticle)
    assert MIN_BODY_CHARS <= len(article.body) <= MAX_TEXT_CHARS
    assert 0 < len(article.title) <= MAX_TITLE_CHARS
    for stamp in (article.published_at, article.modified_at):
        assert stamp is None or datetime.fromisoformat(stamp).tzinfo is not None
    assert all(isinstance(name, str) and name for name in article.authors)


# ----------------------------------------------------------------------------- amounts

_AMOUNT_TEXT = st.text(alphabet=list("0123456789,. 일이삼사오육칠팔구십백천만억조경원달러엔유로명개건약여가량이상"
                                     "~-—–$€¥₩USDKRW억원을에서 thousandmillionbillion."), max_size=40)


@FAST
@given(st.one_of(_AMOUNT_TEXT, st.text(max_size=60)))
def test_amounts_found_anywhere_are_non_negative_numbers_with_true_spans(text: str) -> None:
    for amount in find_amounts(text):
        assert isinstance(amount.value, (int, float)) and not isinstance(amount.value, bool)
        assert amount.value >= 0 and math.isfinite(amount.value)
        assert isinstance(amount.value, int) or amount.value != int(amount.value)   # 2000000000, never 2e9
        assert 0 <= amount.start < amount.end <= len(text) and text[amount.start:amount.end] == amount.text
        assert amount.unit
    single = parse_amount(text)
    assert single is None or single.text.strip() == text.strip()


@FAST
@given(st.one_of(_AMOUNT_TEXT, st.text(max_size=30)))
def test_a_korean_number_is_a_non_negative_number_or_a_value_error(text: str) -> None:
    try:
        value = korean_number(text)
    except ValueError:
        return
    assert value >= 0 and math.isfinite(value)


# ----------------------------------------------------------------------------- queries

_QUERY_TEXT = st.text(alphabet=list('()"-*^:{}[]<>=.,~ \t ORANDTNEArfomypeutl계약납품수주억원2024-05-01\'\\;%_'),
                      max_size=60)


@FAST
@given(st.one_of(_QUERY_TEXT, st.text(max_size=80)))
def test_a_query_parses_or_raises_a_query_error(query: str) -> None:
    try:
        tree = parse(query)
    except QueryError as error:
        assert str(error)
        return
    assert tree is not None
    try:
        compiled = compile_query(query)
    except QueryError:
        return
    assert isinstance(compiled.where, str) and compiled.where

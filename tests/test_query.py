"""The query language: the AST the parser builds, its FTS5 and tsquery compilations, and
QueryError (never a database error) for malformed or hostile input, on both back ends."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import QueryError
from index.common import facet_token
from index.query import (
    And, Compiler, Field, Not, Or, PgCompiler, Phrase, Word, fts_string, parse, ts_lexeme,
)
from index_backends import BACKENDS, make_backend


def _fake_terms(text: str) -> SimpleNamespace:
    """Split on anything but letters/digits: enough to test compilation without Kiwi."""
    tokens = [t.lower() for t in re.findall(r"\w+", text)]
    compounds = ["".join(tokens)] if len(tokens) > 1 and " " not in text else []
    return SimpleNamespace(tokens=tokens, compounds=compounds)


def _compile(query: str):
    return Compiler(_fake_terms).compile(parse(query))


# ------------------------------------------------------------ the AST


@pytest.mark.parametrize(
    "query, tree",
    [
        ("계약", Word("계약")),
        ("납품 계약", And((Word("납품"), Word("계약")))),
        ("납품 AND 계약", And((Word("납품"), Word("계약")))),
        ("수출 OR 교육", Or((Word("수출"), Word("교육")))),
        ("전북 수출 OR 교육", And((Word("전북"), Or((Word("수출"), Word("교육")))))),
        ("수출 or 교육", And((Word("수출"), Word("or"), Word("교육")))),  # operators are upper case
        ("NOT 무산", Not(Word("무산"))),
        ("계약 -무산", And((Word("계약"), Not(Word("무산"))))),
        ("--무산", Not(Not(Word("무산")))),
        ("AI-SW", Word("AI-SW")),  # a hyphen inside a word is text
        ("2023 - 2024", And((Word("2023"), Word("-"), Word("2024")))),
        ('"납품 계약"', Phrase("납품 계약")),
        ('-"납품 계약"', Not(Phrase("납품 계약"))),
        ("(수출 OR 교육) 계약", And((Or((Word("수출"), Word("교육"))), Word("계약")))),
        ("-(수출 교육)", Not(And((Word("수출"), Word("교육"))))),
        ("((계약))", Word("계약")),
        ("outlet:뉴스스텝", Field("outlet", "뉴스스텝")),
        ('org:"전북 디지털융합센터"', Field("org", "전북 디지털융합센터")),
        ("firm:(주)텔로스", Field("firm", "(주)텔로스")),
        ("(firm:(주)텔로스 OR 바다찬)", Or((Field("firm", "(주)텔로스"), Word("바다찬")))),
        ("type:Contract", Field("type", "contract")),
        ("from:2024-01-01 to:2024-12", And((Field("from", "2024-01-01"), Field("to", "2024-12")))),
        ("-outlet:뉴스스텝", Not(Field("outlet", "뉴스스텝"))),
        ("amount>=10억", Field("amount", ">= 1000000000 KRW")),
        ('amount<"300만 달러"', Field("amount", "< 3000000 USD")),
    ],
)
def test_parse(query, tree):
    assert parse(query) == tree


# ------------------------------------------------------------ malformed input


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ("(계약", "unbalanced parenthesis at position 1"),
        ("계약 (납품", "unbalanced parenthesis at position 4"),
        ("계약)", "unbalanced parenthesis at position 3"),
        ("NEAR(", "unbalanced parenthesis at position 5"),
        ("()", "empty parentheses at position 1"),
        ('"', "unbalanced quote at position 1"),
        ('계약 "납품', "unbalanced quote at position 4"),
        ('"; DROP TABLE articles; --', "unbalanced quote at position 1"),
        ('""', "empty phrase at position 1"),
        ("계약 OR", "OR at position 4 has nothing after it"),
        ("OR 계약", "OR at position 1 has nothing before it"),
        ("계약 OR OR 수출", "OR at position 4 has nothing after it"),
        ("a AND", "AND at position 3 has nothing after it"),
        ("AND a", "AND at position 1 has nothing before it"),
        ("NOT", "NOT at position 1 has nothing after it"),
        ("계약 NOT", "NOT at position 4 has nothing after it"),
        ("(계약 -)", "- at position 5 has nothing after it"),
        ("title:foo", "unknown field 'title' at position 1"),
        ("body_t:계약", "unknown field 'body_t'"),
        ("계약 org:", "field 'org:' at position 4 has no value"),
        ("from:2024-13-01", "bad date '2024-13-01' for from: at position 1"),
        ("to:yesterday", "bad date 'yesterday' for to:"),
        ("from:2024-02-30", "bad date"),
        ("type:lawsuit", "unknown achievement type 'lawsuit'"),
        ("(" * 40 + "계약" + ")" * 40, "nests too deeply"),
        ("계약 " * 65, "too many words"),
        ("계약" * 600, "query is too long"),
        ("계약\x00", "NUL character at position 3"),
        ("amount:10억", "amount at position 1 needs a comparison"),
        ("amount>=많이", "bad amount '많이' at position 1"),
    ],
)
def test_malformed_queries(query, message):
    with pytest.raises(QueryError) as info:
        parse(query)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_query_error_is_a_value_error():
    assert issubclass(QueryError, ValueError)


@pytest.mark.parametrize("query", ["*", "^", "-", "( * )", '" "x'])
def test_nothing_searchable(query):
    with pytest.raises(QueryError):
        _compile(query)


# ------------------------------------------------------------ compilation


def test_fts_strings_are_quoted():
    assert fts_string('a"b') == '"a""b"'
    compiled = _compile("NEAR(a b) title_t : x* ^c {body_c}")
    assert compiled.match is not None
    # every term sits inside a quoted FTS5 string; no bare operator survives
    bare = re.sub(r'"(?:[^"]|"")*"', "", compiled.match)
    assert not re.search(r"NEAR|\*|\^|title_t|body_c", bare)


def test_words_match_phrase_or_compound():
    compiled = _compile("전북-디지털")
    assert compiled.match == '({title_t body_t} : "전북 디지털"* OR "전북디지털")'
    assert _compile("계약").match == '("계약")'


def test_filters_are_bound_parameters():
    hostile = "'; DROP TABLE articles; --"
    compiled = _compile(f'org:"{hostile}" outlet:"{hostile}" type:contract from:2024-01-15 to:2024-02')
    assert "DROP" not in compiled.where
    assert hostile.replace(" ", "") in compiled.params   # org names are matched without spaces
    assert "2024-01-15" in compiled.params and "2024-03-01" in compiled.params
    # the outlet and the type are FTS5 tokens of a hash of the value: nothing of it is spelled
    assert compiled.match == (f'facet_t : "{facet_token("outlet", hostile)}" AND '
                              f'facet_t : "{facet_token("type", "contract")}"')
    assert "DROP" not in compiled.match
    # whole months are their tokens too
    months = _compile("from:2024 to:2024-02 계약")
    assert months.where == "1" and months.date_range is None
    assert months.match.startswith(f'(facet_t : "{facet_token("month", "2024-01")}" OR '
                                   f'facet_t : "{facet_token("month", "2024-02")}")')


def test_negation_only_and_mixed_or_go_through_sql():
    compiled = _compile("-계약")
    assert compiled.match is None and "NOT IN" in compiled.where
    compiled = _compile("계약 OR org:x")
    assert compiled.match is None and "MATCH ?" in compiled.where
    compiled = _compile("계약 -수출 org:x")
    assert compiled.match == '(("계약")) NOT (("수출"))'


def test_highlight_patterns_skip_negated_words():
    compiled = _compile("계약 -수출 (납품 OR NOT 무산)")
    assert compiled.patterns == ["계약", "납품"]


# ------------------------------------------------------------ hostile input against a real store


def _pg(query: str):
    return PgCompiler(_fake_terms).compile(parse(query))


def test_tsquery_lexemes_are_quoted():
    assert ts_lexeme("it's") == "'it''s'"
    assert ts_lexeme("a\\b") == "'a\\\\b'"
    compiled = _pg("전북-디지털 계약")
    assert compiled.match == "(('전북':AD <-> '디지털':*AD) | '전북디지털') & ('계약')"
    compiled = _pg("\"납품 계약\" -무산")
    assert compiled.match == "(('납품':AD <-> '계약':AD)) & !('무산')"
    assert compiled.rank_tsquery == "(('납품':AD <-> '계약':AD))"
    raw = PgCompiler(lambda text: SimpleNamespace(tokens=[text], compounds=[]))
    hostile = raw.compile(parse("x'|'*:*&!y\\"))  # one "term" full of tsquery syntax
    assert hostile.match == "('x''|''*:*&!y\\\\')"


def test_tsquery_mixed_filters_stay_sql():
    compiled = _pg("계약 OR type:export")
    assert compiled.match is None and "to_tsquery('simple', ?)" in compiled.where
    compiled = _pg("-계약 outlet:x")
    assert compiled.match == "!('계약')" and compiled.params == ["x", "x"]


def test_partial_names_expand_to_organisation_names():
    names = {"스테이션": ["아이티스테이션", "스테이션랩"], "텔로스": ["텔로스", "텔로스테크"]}
    compiled = Compiler(_fake_terms, lambda text: names.get(text, [])).compile(parse("스테이션"))
    assert compiled.match == '("스테이션" OR "아이티스테이션" OR "스테이션랩")'
    assert "아이티스테이션" in compiled.patterns
    compiled = Compiler(_fake_terms, lambda text: names.get(text, [])).compile(parse("텔로스"))
    assert compiled.match == '("텔로스")'  # a whole name: no longer names pulled in
    compiled = Compiler(_fake_terms, lambda text: ["전북"]).compile(parse("전북"))
    assert compiled.match == '("전북")'  # two characters: no trigram look-up


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    yield from make_backend(request, tmp_path_factory)


@pytest.fixture(scope="module")
def store(backend):
    s = backend.open("q")
    s.upsert_article(
        {"url": "https://example.test/1", "title": "납품 계약", "outlet": "뉴스스텝",
         "body": "㈜아이티스테이션은 약 20억 원 규모의 납품 계약을 맺었다.",
         "published_at": "2024-09-11"}
    )
    yield s
    s.close()


HOSTILE = [
    '"; DROP TABLE articles; --',
    "'; DROP TABLE articles; --",
    "outlet:'; DROP TABLE articles; --",
    'outlet:"x\'); DROP TABLE articles; --"',
    "NEAR(",
    "NEAR(계약 납품, 2)",
    "*",
    "계약*",
    "^계약",
    "a AND",
    '"',
    "title:foo",
    "{title_t body_t}: 계약",
    "title_t : 계약",
    "계약 + 납품",
    "계약 NOT",
    "계약 AND NOT 납품",
    "x" * 5000,
    "계약 " * 200,
    "\\",
    "%",
    "_",
    "'",
    "?",
    ";",
    "계약:",
    ":계약",
    "org:%",
    "firm:_",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise_sqlite_errors(store, query):
    try:
        result = store.search(query)
    except QueryError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(result["hits"], list)
    assert store.summary()["articles"] == 1  # the table is still there


def test_like_wildcards_are_not_wildcards(store):
    assert store.search("outlet:%")["total"] == 0
    assert store.search("outlet:뉴스스텝")["total"] == 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=list('()"-*^:{} ORANDTNEArfomypeutl계약납품\'; '), max_size=40))
def test_random_queries_give_results_or_query_errors(store, query):
    try:
        store.search(query)
    except QueryError:
        pass  # anything else (a database error, StoreError) fails the test

"""Korean sentences for the query parser's errors, for the web pages (the JSON API keeps the
parser's English line). Each pattern matches one message of index/query.py; anything else
gets a general sentence, so the page never shows English."""

from __future__ import annotations

import re

_FIELDS = "outlet, org, firm, type, from, to, amount, orgkind"
_TYPES = ("contract, selection, award, revenue, export, investment, hiring, ip, certification, "
          "partnership, launch, funding")

_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"unbalanced parenthesis at position (\d+)"), "{0}번째 글자의 괄호가 짝이 맞지 않습니다."),
    (re.compile(r"empty parentheses at position (\d+)"), "{0}번째 글자의 괄호 안이 비어 있습니다."),
    (re.compile(r"unbalanced quote at position (\d+)"), "{0}번째 글자의 따옴표가 닫히지 않았습니다."),
    (re.compile(r"empty phrase at position (\d+)"), "{0}번째 글자의 따옴표 안이 비어 있습니다."),
    (re.compile(r"bad date '(.*)' for (from|to): at position (\d+)"),
     "{1}: 날짜 '{0}'를 읽을 수 없습니다. YYYY-MM-DD, YYYY-MM 또는 YYYY로 쓰세요."),
    (re.compile(r"unknown field '(.*)' at position (\d+)"),
     "'{0}:'라는 필드는 없습니다. 쓸 수 있는 필드: " + _FIELDS),
    (re.compile(r"field '(.*):' at position (\d+) has no value"), "'{0}:' 필드에 값이 없습니다."),
    (re.compile(r"unknown achievement type '(.*)' at position (\d+)"),
     "'{0}'라는 성과 유형은 없습니다. 쓸 수 있는 유형: " + _TYPES),
    (re.compile(r"unknown organisation kind '(.*)' at position (\d+)"),
     "'{0}'라는 기관 종류는 없습니다. 쓸 수 있는 종류: firm(기업), government(정부·지자체), public(공공기관), "
     "university(대학), association(협회·단체), media(언론), other(기타)"),
    (re.compile(r"amount at position (\d+) needs a comparison"),
     "금액 조건에는 비교 기호가 필요합니다. 예: amount>=10억, amount<5000만"),
    (re.compile(r"bad amount '(.*)' at position (\d+)"),
     "금액 '{0}'를 읽을 수 없습니다. 예: 10억, 3억5천만 원, 300만 달러"),
    (re.compile(r"(AND|OR|NOT|-) at position (\d+) has nothing before it"), "{0} 앞에 검색어가 없습니다."),
    (re.compile(r"(AND|OR|NOT|-) at position (\d+) has nothing after it"), "{0} 뒤에 검색어가 없습니다."),
    (re.compile(r"unexpected '(.*)' at position (\d+)"), "{1}번째 글자의 '{0}'를 이해하지 못했습니다."),
    (re.compile(r"query nests too deeply"), "괄호나 NOT이 너무 깊게 겹쳐 있습니다."),
    (re.compile(r"too many words \(more than (\d+)\)"), "검색어가 너무 많습니다 (최대 {0}개)."),
    (re.compile(r"query is too long \((\d+) characters; the limit is (\d+)\)"),
     "검색어가 너무 깁니다 ({0}자, 최대 {1}자)."),
    (re.compile(r"query contains a NUL character"), "검색어에 쓸 수 없는 문자(NUL)가 있습니다."),
    (re.compile(r"query has no searchable words"), "검색할 수 있는 단어가 없습니다."),
    (re.compile(r"empty query"), "검색어가 비어 있습니다."),
    (re.compile(r"unknown sort"), "정렬 방식은 관련도순 또는 최신순만 쓸 수 있습니다."),
]


def query_error(message: str) -> str:
    """The Korean sentence for one line of the query parser's English error."""
    for pattern, korean in _MESSAGES:
        found = pattern.search(message)
        if found:
            return korean.format(*found.groups())
    return "검색어를 처리하지 못했습니다. 괄호와 따옴표의 짝, 필드 이름(outlet:, org:, type: …)을 확인하세요."

"""Relative Korean date expressions resolved against an article's publication date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.reldates import find_date_expressions, resolve_date

PUB = date(2024, 9, 11)  # a Wednesday article


@pytest.mark.parametrize("expr, expected", [
    ("11일", ("2024-09-11", "day")),
    ("지난 7월", ("2024-07", "month")),
    ("7월", ("2024-07", "month")),
    ("지난해", ("2023", "year")),
    ("지난 해", ("2023", "year")),
    ("올해", ("2024", "year")),
    ("작년", ("2023", "year")),
    ("전년", ("2023", "year")),
    ("재작년", ("2022", "year")),
    ("2015년", ("2015", "year")),
    ("2025년도", ("2025", "year")),
    ("2023년 3월 5일", ("2023-03-05", "day")),
    ("2023년3월5일", ("2023-03-05", "day")),
    ("2023년 3월", ("2023-03", "month")),
    ("지난달", ("2024-08", "month")),
    ("지난 달", ("2024-08", "month")),
    ("이달", ("2024-09", "month")),
    ("다음 달", ("2024-10", "month")),
    ("내달", ("2024-10", "month")),
    ("어제", ("2024-09-10", "day")),
    ("전날", ("2024-09-10", "day")),
    ("그제", ("2024-09-09", "day")),
    ("이날", ("2024-09-11", "day")),
    ("오늘", ("2024-09-11", "day")),
    ("내일", ("2024-09-12", "day")),
    ("15일", ("2024-09-15", "day")),   # a coming day: same month
    ("28일", ("2024-09-28", "day")),   # bare days stay in the month unless a neighbour is within a week
    ("지난 5일", ("2024-09-05", "day")),
    ("지난 15일", ("2024-08-15", "day")),
    ("오는 5일", ("2024-10-05", "day")),
    ("오는 15일", ("2024-09-15", "day")),
    ("지난 12월", ("2023-12", "month")),
    ("오는 3월", ("2025-03", "month")),
    ("3월", ("2024-03", "month")),
    ("12월", ("2024-12", "month")),
    ("내년", ("2025", "year")),
    ("내년 1월", ("2025-01", "month")),
    ("올 3월", ("2024-03", "month")),
    ("지난해 12월 5일", ("2023-12-05", "day")),
    ("지난달 28일", ("2024-08-28", "day")),
    ("이달 30일", ("2024-09-30", "day")),
    ("지난 7월 5일", ("2024-07-05", "day")),
    ("지난 9월 20일", ("2023-09-20", "day")),
    ("지난 2023년", ("2023", "year")),
    ("2024.9.11", ("2024-09-11", "day")),
    ("2024. 9. 11.", ("2024-09-11", "day")),
    ("2024-09-11", ("2024-09-11", "day")),
    ("  11일 ", ("2024-09-11", "day")),
])
def test_resolve_date(expr: str, expected: tuple[str, str]) -> None:
    assert resolve_date(expr, PUB) == expected


@pytest.mark.parametrize("expr", [
    "", "abc", "13월", "32일", "0일", "2023년 2월 29일", "2월 30일", "지난주", "상반기", "3개월",
    "3일간", "11일 지난달", "2015년 그리고 2016년", "1990년대", "오늘날",
])
def test_unresolvable(expr: str) -> None:
    assert resolve_date(expr, PUB) is None


@pytest.mark.parametrize("published, expr, expected", [
    # year boundary, early January
    (date(2024, 1, 2), "지난달", ("2023-12", "month")),
    (date(2024, 1, 2), "지난해", ("2023", "year")),
    (date(2024, 1, 2), "어제", ("2024-01-01", "day")),
    (date(2024, 1, 2), "그제", ("2023-12-31", "day")),
    (date(2024, 1, 2), "30일", ("2023-12-30", "day")),
    (date(2024, 1, 2), "지난 28일", ("2023-12-28", "day")),
    (date(2024, 1, 2), "12월", ("2023-12", "month")),
    (date(2024, 1, 2), "12월 30일", ("2023-12-30", "day")),
    (date(2024, 1, 2), "오는 12월", ("2024-12", "month")),
    (date(2024, 1, 2), "1월", ("2024-01", "month")),
    # year boundary, late December
    (date(2024, 12, 30), "다음 달", ("2025-01", "month")),
    (date(2024, 12, 30), "내일", ("2024-12-31", "day")),
    (date(2024, 12, 30), "모레", ("2025-01-01", "day")),
    (date(2024, 12, 30), "오는 3일", ("2025-01-03", "day")),
    (date(2024, 12, 30), "3일", ("2025-01-03", "day")),
    (date(2024, 12, 20), "1월", ("2025-01", "month")),
    (date(2024, 12, 20), "지난 1월", ("2024-01", "month")),
    # month boundaries and month lengths
    (date(2024, 10, 1), "30일", ("2024-09-30", "day")),
    (date(2024, 9, 28), "2일", ("2024-10-02", "day")),
    (date(2024, 9, 11), "31일", ("2024-08-31", "day")),     # September has no 31st
    (date(2024, 10, 5), "지난 31일", ("2024-08-31", "day")),  # nor does it for 지난
    (date(2024, 3, 31), "지난달 29일", ("2024-02-29", "day")),  # leap year
    (date(2024, 3, 1), "어제", ("2024-02-29", "day")),
    (date(2023, 3, 1), "어제", ("2023-02-28", "day")),
    (date(2024, 3, 31), "지난달", ("2024-02", "month")),
])
def test_boundaries(published: date, expr: str, expected: tuple[str, str]) -> None:
    assert resolve_date(expr, published) == expected


def test_impossible_day_in_a_named_month() -> None:
    assert resolve_date("지난달 30일", date(2024, 3, 31)) is None


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(min_value=-2, max_value=2))
def test_day_words_are_offsets(published: date, offset: int) -> None:
    word = {-2: "그제", -1: "어제", 0: "이날", 1: "내일", 2: "모레"}[offset]
    assert resolve_date(word, published) == ((published + timedelta(days=offset)).isoformat(), "day")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)),
       st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)))
def test_absolute_dates_ignore_publication(published: date, when: date) -> None:
    text = f"{when.year}년 {when.month}월 {when.day}일"
    assert resolve_date(text, published) == (when.isoformat(), "day")
    assert resolve_date(when.isoformat(), published) == (when.isoformat(), "day")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(min_value=1, max_value=31))
def test_past_and_coming_days(published: date, day: int) -> None:
    past = resolve_date(f"지난 {day}일", published)
    coming = resolve_date(f"오는 {day}일", published)
    for result in (past, coming):
        assert result is not None and result[1] == "day"
        assert date.fromisoformat(result[0]).day == day
    assert date.fromisoformat(past[0]) <= published <= date.fromisoformat(coming[0])
    assert (published - date.fromisoformat(past[0])).days < 62
    assert (date.fromisoformat(coming[0]) - published).days < 62


@pytest.mark.parametrize("sentence, expected", [
    ("전북특별자치도는 11일, 지역 기업들과 간담회를 개최했다.", ["11일"]),
    ("지난 7월 디지털산업과가 신설된 만큼 적극 지원하겠다.", ["지난 7월"]),
    ("이 사업은 2015년부터 시작돼 현재까지 35개사가 선정됐다.", ["2015년"]),
    ("참석자들은 2025년도 사업의 개선점을 논의했다.", ["2025년도"]),
    ("회사는 지난해 12월 5일 공장을 준공했고 이달 15일까지 시운전한다.", ["지난해 12월 5일", "이달 15일"]),
    ("기사승인 : 2024-09-11 16:10:25", ["2024-09-11"]),
    ("3년간 3일간 3개월 동안 진행된 오늘날의 1990년대 사업", []),
    ("청년내일채움공제 가입자가 늘었다.", []),
    ("지난 해외 출장에서 계약을 맺었다.", []),
])
def test_find_date_expressions(sentence: str, expected: list[str]) -> None:
    found = find_date_expressions(sentence)
    assert [text for _, _, text in found] == expected
    for start, end, text in found:
        assert sentence[start:end] == text
        assert resolve_date(text, PUB) is not None

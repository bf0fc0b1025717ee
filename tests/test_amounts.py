"""Korean amount normalisation: fixed cases on news-like sentences, and round-trip properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nlp.amounts import APPROX_PREFIXES, UNIT_WORDS, Amount, find_amounts, korean_number, parse_amount

PROPS = settings(max_examples=200, deadline=None)


def only(text: str) -> Amount:
    found = find_amounts(text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- korean_number

@pytest.mark.parametrize("text, value", [
    ("3천215억", 321500000000),
    ("1조 5천억", 1500000000000),
    ("1조 5000억", 1500000000000),
    ("2,000만", 20000000),
    ("1.5조", 1500000000000),
    ("2.3억", 230000000),
    ("5백만", 5000000),
    ("320만", 3200000),
    ("십", 10),
    ("천만", 10000000),
    ("1억2천만", 120000000),
    ("12억3456만7890", 1234567890),
    ("4천500만", 45000000),
    ("3천2백1십5", 3215),
    ("삼천오백만", 35000000),
    ("3.2 million", 3200000),
    ("1,234,567", 1234567),
    ("42.3", 42.3),
    ("0", 0),
])
def test_korean_number(text: str, value: int | float) -> None:
    result = korean_number(text)
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize("text", ["", "  ", "abc", "1,5", "3 5", "1억2조", "3천5000억", "5백3천",
                                  "억만", "20억원", "약 20억", "1.2.3"])
def test_korean_number_rejects(text: str) -> None:
    with pytest.raises(ValueError) as info:
        korean_number(text)
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- fixed cases

@pytest.mark.parametrize("text, value, unit, approximate", [
    ("약 20억 원", 2000000000, "KRW", True),
    ("3천215억원", 321500000000, "KRW", False),
    ("1조 5천억 원", 1500000000000, "KRW", False),
    ("1조 5000억 원", 1500000000000, "KRW", False),
    ("320만 달러", 3200000, "USD", False),
    ("320만 불", 3200000, "USD", False),
    ("90여 명", 90, "persons", True),
    ("300건 이상", 300, "items", True),
    ("17%", 17, "percent", False),
    ("42.3%", 42.3, "percent", False),
    ("17퍼센트", 17, "percent", False),
    ("2,000만 원", 20000000, "KRW", False),
    ("1억2천만원", 120000000, "KRW", False),
    ("10억여원", 1000000000, "KRW", True),
    ("20여억 원", 2000000000, "KRW", True),
    ("5억 엔", 500000000, "JPY", False),
    ("100만 위안", 1000000, "CNY", False),
    ("50만 유로", 500000, "EUR", False),
    ("$3.2 million", 3200000, "USD", False),
    ("US$ 5백만", 5000000, "USD", False),
    ("3000원", 3000, "KRW", False),
    ("100억원대", 10000000000, "KRW", True),
    ("천만원", 10000000, "KRW", False),
    ("1.5조 원", 1500000000000, "KRW", False),
    ("35개사", 35, "items", False),
    ("12개소", 12, "items", False),
    ("8곳", 8, "items", False),
    ("4종", 4, "items", False),
    ("3편", 3, "items", False),
    ("7개", 7, "items", False),
    ("20인", 20, "persons", False),
    ("2.5%p", 2.5, "percent", False),
    ("3%포인트", 3, "percent", False),
    ("20억 원 가량", 2000000000, "KRW", True),
    ("50명 안팎", 50, "persons", True),
    ("10% 내외", 10, "percent", True),
    ("300명 정도", 300, "persons", True),
    ("최대 5억 원", 500000000, "KRW", True),
    ("1만 2천 명", 12000, "persons", False),
    # the group after a big unit, written apart from it (317 such figures over 3,174 regional articles)
    ("3만 5000달러", 35000, "USD", False),
    ("104만 5000원", 1045000, "KRW", False),
    ("2만 3000명", 23000, "persons", False),
    ("3조 120억원", 3012000000000, "KRW", False),
])
def test_parse_amount_cases(text: str, value: int | float, unit: str, approximate: bool) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert (amount.value, amount.unit, amount.approximate) == (value, unit, approximate)
    assert type(amount.value) is type(value)
    assert (amount.start, amount.end, amount.text) == (0, len(text), text)


def test_to_json_is_the_extract_contract() -> None:
    amount = parse_amount("약 20억 원")
    assert amount.to_json() == {"value": 2000000000, "unit": "KRW", "approximate": True}


def test_parse_amount_needs_exactly_one_amount_spanning_the_text() -> None:
    assert parse_amount("  20억 원 ").value == 2000000000
    assert parse_amount("  20억 원 ").start == 2
    assert parse_amount("20억 원 규모") is None
    assert parse_amount("20억 원과 30명") is None
    assert parse_amount("") is None
    assert parse_amount("계약") is None


@pytest.mark.parametrize("sentence, expected", [
    ("㈜한빛정밀은 약 20억 원 규모의 공급 계약을 맺었다.", [("약 20억 원", 2000000000, "KRW", True)]),
    ("새봄바이오는 올해 매출 3천215억원을 올려 전년보다 17% 늘었다고 밝혔다.",
     [("3천215억원", 321500000000, "KRW", False), ("17%", 17, "percent", False)]),
    ("이 회사는 미국 바이어와 320만 달러 규모의 수출 계약을 체결하고 직원 90여 명을 새로 뽑았다.",
     [("320만 달러", 3200000, "USD", False), ("90여 명", 90, "persons", True)]),
    ("지난 5년 동안 특허 출원 등 300건 이상의 성과를 냈다.", [("300건 이상", 300, "items", True)]),
    ("학생 1인당 50만 원씩, 모두 2,000만 원의 장학금을 전달했다.",
     [("50만 원", 500000, "KRW", False), ("2,000만 원", 20000000, "KRW", False)]),
    ("2019년부터 12개사가 선정됐고 올해는 5개사를 더 뽑는다.",
     [("12개사", 12, "items", False), ("5개사", 5, "items", False)]),
    ("총사업비 1조 5000억 원 가운데 국비는 4천500만원에 그쳤다.",
     [("1조 5000억 원", 1500000000000, "KRW", False), ("4천500만원", 45000000, "KRW", False)]),
    ("수출액이 10억 달러를 넘어서며 역대 최고를 기록했다.",
     [("10억 달러를 넘어", 1000000000, "USD", True)]),
    ("장비 40대를 납품했다.", [("40대", 40, "items", False)]),
])
def test_find_amounts_in_sentences(sentence: str, expected: list[tuple]) -> None:
    found = find_amounts(sentence)
    assert [(a.text, a.value, a.unit, a.approximate) for a in found] == expected
    for amount in found:
        assert sentence[amount.start:amount.end] == amount.text


@pytest.mark.parametrize("sentence, value", [
    ("10~20억 원 규모의 투자를 유치했다.", 1000000000),
    ("10억~20억 원 규모의 투자를 유치했다.", 1000000000),
    ("1~2천만 원의 지원금을 받는다.", 10000000),
    ("3천~5천만 원의 지원금을 받는다.", 30000000),
    ("매출이 5∼10% 늘었다.", 5),
    ("직원 3-4명이 일한다.", 3),
])
def test_ranges_give_the_lower_bound_approximately(sentence: str, value: int) -> None:
    amount = only(sentence)
    assert (amount.value, amount.approximate) == (value, True)
    assert amount.text == sentence[amount.start:amount.end]
    assert "~" in amount.text or "∼" in amount.text or "-" in amount.text


@pytest.mark.parametrize("sentence", [
    "투자 규모는 수십억 원에 이른다.",
    "수백 명의 관람객이 찾았다.",
    "몇천만 원을 들였다.",
    "십수억 원이 들었다.",
    "수천만 원대의 장비다.",
])
def test_vague_quantities_yield_nothing(sentence: str) -> None:
    assert find_amounts(sentence) == []


@pytest.mark.parametrize("sentence", [
    "2015년 7월 11일 오후 16:10에 열렸다.",
    "문의는 063-280-1234로 하면 된다.",
    "제3회 청년 축제가 열렸다.",
    "3개월 동안 진행된 사업이다.",
    "2025 명량대첩축제가 개막했다.",
    "이번 사업은 3원칙에 따라 운영된다.",
    "20대 청년 창업가를 지원한다.",
    "3대 전략을 발표했다.",
    "엔진 부품을 만든다.",
    "1인당 지원 한도가 정해져 있다.",
    "2023년도 사업계획을 세웠다.",
    "한빛청(청장:오경원)은 누리텍을 우수기업으로 뽑았다.",
])
def test_not_amounts(sentence: str) -> None:
    assert find_amounts(sentence) == []


def test_contract_word_before_amount_is_not_the_approximator() -> None:
    # '계약' ends in 약 but is not 약 (about)
    amount = only("공급계약 20억 원을 따냈다.")
    assert (amount.text, amount.approximate) == ("20억 원", False)


# --------------------------------------------------------------------------- properties

_BIG = [(10**12, "조"), (10**8, "억"), (10**4, "만")]
_SMALL = [(1000, "천"), (100, "백"), (10, "십")]


@st.composite
def group_text(draw, g: int) -> str:
    """A 1..9999 group as digits, with commas, as 3천215, or as 3천2백1십5 (1 may be left out)."""
    style = draw(st.sampled_from(["digits", "comma", "thousand", "small"]))
    if style == "digits":
        return str(g)
    if style == "comma":
        return f"{g:,}"
    omit_one = draw(st.booleans())
    if style == "thousand" and g >= 1000:
        head = "" if g // 1000 == 1 and omit_one else str(g // 1000)
        rest = g % 1000
        return f"{head}천{rest if rest else ''}"
    out, rest = "", g
    for size, word in _SMALL:
        digit, rest = divmod(rest, size)
        if digit:
            out += ("" if digit == 1 and omit_one else str(digit)) + word
    return out + (str(rest) if rest else "")


@st.composite
def korean_numerals(draw) -> tuple[str, int]:
    """(text, value): plain digits, digits with commas, or 조/억/만 groups (spaced or not)."""
    n = draw(st.integers(min_value=1, max_value=10**16 - 1))
    style = draw(st.sampled_from(["digits", "comma", "grouped", "grouped"]))
    if style == "digits":
        return str(n), n
    if style == "comma":
        return f"{n:,}", n
    space = draw(st.sampled_from(["", " "]))
    parts, rest = [], n
    for size, word in _BIG:
        g, rest = divmod(rest, size)
        if g:
            parts.append(draw(group_text(g)) + word)
    text = space.join(parts)
    if rest:  # the last group is written straight after 만 (`1억5000`), as news does
        text += draw(group_text(rest))
    return text, n


@st.composite
def decimal_numerals(draw) -> tuple[str, int]:
    """'1.5조', '2.3억', '12.5만' with the exact integer value."""
    mantissa = draw(st.integers(min_value=1, max_value=99999))
    size, word = draw(st.sampled_from(_BIG))
    return f"{mantissa // 10}.{mantissa % 10}{word}", mantissa * size // 10


# unit surfaces and what they must map to; the mapping is spelled out, not read from the module
UNIT_CASES = [
    ("원", "KRW"), ("원화", "KRW"), ("달러", "USD"), ("불", "USD"), ("유로", "EUR"), ("엔", "JPY"),
    ("엔화", "JPY"), ("위안", "CNY"), ("위안화", "CNY"), ("%", "percent"), ("퍼센트", "percent"),
    ("명", "persons"), ("인", "persons"), ("건", "items"), ("개", "items"), ("종", "items"),
    ("개사", "items"), ("곳", "items"), ("개소", "items"), ("대", "items"), ("편", "items"),
]
# sentence frames: the amount sits between them; each frame's joint is a particle or punctuation
FRAMES = [("㈜가온테크는 ", "의 계약을 따냈다."), ("총 ", ", 지난해보다 늘었다."), ("(", ")"),
          ("올해 ", "를 기록했다."), ("", "에 이른다.")]


@PROPS
@given(korean_numerals())
def test_korean_number_round_trip(case: tuple[str, int]) -> None:
    text, value = case
    assert korean_number(text) == value


@PROPS
@given(decimal_numerals())
def test_decimal_numerals_are_exact(case: tuple[str, int]) -> None:
    text, value = case
    result = korean_number(text)
    assert result == value and type(result) is int


@PROPS
@given(korean_numerals(), st.sampled_from(UNIT_CASES), st.sampled_from(["", " "]),
       st.sampled_from(FRAMES))
def test_amounts_round_trip_in_sentences(case, unit_case, gap, frame) -> None:
    number, value = case
    surface, unit = unit_case
    expression = f"{number}{gap}{surface}"
    sentence = frame[0] + expression + frame[1]
    amount = only(sentence)
    assert (amount.value, amount.unit, amount.approximate) == (value, unit, False)
    assert amount.text == expression
    assert amount.start == len(frame[0])
    assert sentence[amount.start:amount.end] == expression


@PROPS
@given(decimal_numerals(), st.sampled_from(["원", "달러", "명"]))
def test_decimal_amounts_in_sentences(case, surface) -> None:
    number, value = case
    amount = only(f"투자 유치액은 {number} {surface}이다.")
    assert amount.value == value and type(amount.value) is int
    assert amount.text == f"{number} {surface}"


@PROPS
@given(st.integers(min_value=0, max_value=100000), st.integers(min_value=0, max_value=2),
       st.sampled_from(["%", "퍼센트", "%p"]))
def test_percent_round_trip(raw: int, places: int, sign: str) -> None:
    # e.g. (423, 1) -> '42.3', (4230, 1) -> '423.0', (5, 2) -> '0.05'
    text = str(raw) if places == 0 else f"{raw // 10**places}.{raw % 10**places:0{places}d}"
    amount = only(f"매출이 {text}{sign} 증가했다.")
    assert amount.unit == "percent"
    assert amount.value == float(text)
    assert isinstance(amount.value, int) == (Decimal(text) == Decimal(text).to_integral_value())
    assert amount.text == f"{text}{sign}"


APPROX_AROUND = [  # (before, between number and unit, after the unit)
    ("약 ", "", ""), ("약", "", ""), ("대략 ", "", ""), ("최소 ", "", ""),
    ("", "여", ""), ("", "", " 이상"), ("", "", "가량"), ("", "", " 정도"), ("", "", " 내외"),
    ("", "", " 안팎"), ("", "", " 남짓"), ("", "", "이 넘는"), ("", "", "을 돌파"), ("약 ", "", " 이상"),
]


@PROPS
@given(korean_numerals(), st.sampled_from([u for u in UNIT_CASES if u[0] != "대"]),
       st.sampled_from(APPROX_AROUND))
def test_approximators_keep_the_value(case, unit_case, around) -> None:
    number, value = case
    surface, unit = unit_case
    before, mid, after = around
    assume(not (before and not before.endswith(" ") and not number[0].isdigit()))  # 약천만: not news style
    expression = f"{before}{number}{mid} {surface}{after}"
    sentence = f"이 회사는 {expression}의 실적을 냈다."
    amount = only(sentence)
    assert (amount.value, amount.unit, amount.approximate) == (value, unit, True)
    assert amount.text == expression


@PROPS
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=999),
       st.sampled_from(["억", "만", "천만"]), st.sampled_from(["~", "∼", "-"]))
def test_ranges_round_trip(low: int, high: int, multiplier: str, dash: str) -> None:
    assume(low < high)
    amount = only(f"사업비는 {low}{dash}{high}{multiplier} 원 수준이다.")
    assert amount.value == korean_number(f"{low}{multiplier}")
    assert amount.approximate
    assert amount.text.startswith(f"{low}{dash}{high}{multiplier} 원")


@PROPS
@given(st.integers(1990, 2035), st.integers(1, 12), st.integers(1, 28), st.integers(0, 23),
       st.integers(0, 59), st.integers(1, 99))
def test_dates_times_phones_and_ordinals_are_not_amounts(year, month, day, hour, minute, nth) -> None:
    sentence = (f"{year}년 {month}월 {day}일 {hour}:{minute:02d}에 제{nth}회 행사가 열렸다. "
                f"문의 0{month}{day}-{hour:03d}-{minute:04d}, {year}.{month}.{day}.")
    assert find_amounts(sentence) == []


def test_unit_table_covers_the_contract_units() -> None:
    assert set(UNIT_WORDS.values()) == {"KRW", "USD", "EUR", "JPY", "CNY", "percent", "persons", "items"}
    assert "약" in APPROX_PREFIXES

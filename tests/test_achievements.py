"""Attribution patterns of achievements, on sentences written for these tests."""

from __future__ import annotations

from nlp.pipeline import analyze_text

PUBLISHED = "2024-05-20T09:00:00+09:00"


def firm_pairs(text: str) -> set[tuple[str, str]]:
    return {(a["organization"], a["type"]) for a in analyze_text(text, PUBLISHED)["achievements"]}


def test_topic_marked_firm_gets_the_contract_and_amount() -> None:
    result = analyze_text("㈜한빛정밀은 약 35억 원 규모의 부품 공급 계약을 체결했다.", PUBLISHED)
    [achievement] = result["achievements"]
    assert achievement["organization"] == "한빛정밀"
    assert achievement["type"] == "contract"
    assert achievement["amount"] == {"value": 3_500_000_000, "unit": "KRW", "approximate": True}


def test_list_with_count_shares_one_selection() -> None:
    text = "(주)한빛정밀·성원산업(주)·(주)대양테크 등 3개사는 중기부 지원사업에 최종 선정됐다."
    assert firm_pairs(text) == {("한빛정밀", "selection"), ("성원산업", "selection"), ("대양테크", "selection")}


def test_plans_and_setbacks_are_not_achievements() -> None:
    assert firm_pairs("㈜한빛정밀은 내년 상반기 해외 수출 계약을 추진할 계획이다.") == set()
    assert firm_pairs("㈜대양테크는 지난해 매출이 크게 감소했다.") == set()
    assert firm_pairs("㈜성원정보의 10억 원 규모 납품 계약은 결국 무산됐다.") == set()


def test_non_firm_award_is_not_a_firm_achievement() -> None:
    result = analyze_text("전북바이오융합산업진흥원은 올해 기관 평가에서 최우수상을 수상했다.", PUBLISHED)
    assert result["achievements"] == []


def test_hiring_with_approximate_persons() -> None:
    result = analyze_text("㈜하늘정보는 올해 신입 사원 40여 명을 채용했다.", PUBLISHED)
    [achievement] = result["achievements"]
    assert (achievement["type"], achievement["amount"]) == ("hiring", {"value": 40, "unit": "persons", "approximate": True})


def test_group_figure_is_not_a_firm_achievement() -> None:
    result = analyze_text("이들 기업의 매출액은 지난해보다 17% 상승했다.", PUBLISHED)
    assert result["achievements"] == []
    assert [(a["type"], a["amount"]["value"]) for a in result["group_achievements"]] == [("revenue", 17)]

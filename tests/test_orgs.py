"""Organisation recognition on sentences written for these tests."""

from __future__ import annotations

import pytest

from nlp.pipeline import analyze_text


def kinds(text: str) -> dict[str, str]:
    return {o["name"]: o["kind"] for o in analyze_text(text)["organizations"]}


def test_legal_forms_before_and_after_in_a_list() -> None:
    found = kinds("(주)한빛정밀·성원산업(주)·(주)대양테크 등 3개사가 참여했다.")
    assert found == {"한빛정밀": "firm", "성원산업": "firm", "대양테크": "firm"}


def test_legal_form_as_its_own_word() -> None:
    assert kinds("주식회사 하늘정보는 새 공장을 열었다.") == {"하늘정보": "firm"}


@pytest.mark.parametrize("text,name", [
    ("하림은 올해 좋은 성과를 냈다.", "하림"),
    ("휴비스는 올해 좋은 성과를 냈다.", "휴비스"),
    ("타타대우상용차가 새 트럭을 내놓았다.", "타타대우상용차"),
])
def test_firms_without_legal_form(text: str, name: str) -> None:
    assert kinds(text).get(name) == "firm"


@pytest.mark.parametrize("text,name,kind", [
    ("익산시는 설명회를 열었다.", "익산시", "government"),
    ("중기부가 공고를 냈다.", "중소벤처기업부", "government"),
    ("산업통상자원부와 협의했다.", "산업통상자원부", "government"),
    ("전북바이오융합산업진흥원이 주관했다.", "전북바이오융합산업진흥원", "public"),
    ("한국농수산식품유통공사는 밝혔다.", "한국농수산식품유통공사", "public"),
    ("원광대학교 연구팀이 참여했다.", "원광대학교", "university"),
    ("익산상공회의소는 회의를 열었다.", "익산상공회의소", "association"),
    ("[뉴스스텝] 전북특별자치도는 밝혔다.", "뉴스스텝", "media"),
    ("과기정통부 장관이 방문했다.", "과학기술정보통신부", "government"),
])
def test_kinds_of_non_firms(text: str, name: str, kind: str) -> None:
    assert kinds(text).get(name) == kind


def test_title_glued_to_a_name_is_cut() -> None:
    found = kinds("김철수 전북디지털융합센터장과 박영희 익산시장이 참석했다.")
    assert found.get("전북디지털융합센터") == "public"
    assert found.get("익산시") == "government"


def test_common_nouns_are_not_organisations() -> None:
    assert kinds("지자체와 공공기관, 기업에 납품했고 일부 업체는 요청을 했다.") == {}


def test_wire_dateline_names_the_outlet_not_the_place() -> None:
    found = kinds("(군산=뉴스1) 박지호 기자 = 군산시는 올해 수산물 수출이 늘었다고 밝혔다.")
    assert found.get("뉴스1") == "media"
    assert "군산" not in found and not any("=" in name for name in found)

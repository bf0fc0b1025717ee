"""The seed article: the firms, the non-firms and what each firm achieved."""

from __future__ import annotations

import pytest

from nlp.pipeline import analyze_text

PUBLISHED = "2024-09-11T16:10:25+09:00"


@pytest.fixture(scope="module")
def seed_result(seed_text: str) -> dict:
    return analyze_text(seed_text, PUBLISHED)


def _by_name(result: dict) -> dict[str, dict]:
    return {org["name"]: org for org in result["organizations"]}


def test_exactly_two_firms(seed_result: dict) -> None:
    firms = sorted(o["name"] for o in seed_result["organizations"] if o["kind"] == "firm")
    assert firms == ["아이티스테이션", "텔로스"]


def test_non_firms_are_typed(seed_result: dict) -> None:
    orgs = _by_name(seed_result)
    assert orgs["전북특별자치도"]["kind"] == "government"
    assert orgs["과학기술정보통신부"]["kind"] == "government"
    assert orgs["전북디지털융합센터"]["kind"] == "public"
    assert orgs["뉴스스텝"]["kind"] == "media"


def test_aliases_merge_into_one_name(seed_result: dict) -> None:
    jeonbuk = _by_name(seed_result)["전북특별자치도"]
    assert {"전북특별자치도", "전북자치도"} <= set(jeonbuk["surface"])
    assert not any(o["name"] == "전북자치도" for o in seed_result["organizations"])


def test_mentions_point_at_the_surface(seed_text: str, seed_result: dict) -> None:
    for org in seed_result["organizations"]:
        for start, end in org["mentions"]:
            mention = seed_text[start:end]
            assert org["name"] in mention.replace(" ", "") or mention in org["surface"]
    its = _by_name(seed_result)["아이티스테이션"]
    assert its["surface"] == ["㈜아이티스테이션"]
    start, end = its["mentions"][0]
    assert seed_text[start:end] == "㈜아이티스테이션"


def test_firm_achievements(seed_result: dict) -> None:
    pairs = sorted((a["organization"], a["type"]) for a in seed_result["achievements"])
    assert pairs == [("아이티스테이션", "contract"), ("아이티스테이션", "selection"), ("텔로스", "selection")]
    contract = next(a for a in seed_result["achievements"] if a["type"] == "contract")
    assert contract["amount"] == {"value": 2_000_000_000, "unit": "KRW", "approximate": True}
    assert contract["date"] == "2024-09-11"
    assert "20억 원 규모의 납품 계약" in contract["evidence"]
    assert 0 < contract["confidence"] <= 1


def test_evidence_span_is_the_sentence(seed_text: str, seed_result: dict) -> None:
    for achievement in seed_result["achievements"] + seed_result["group_achievements"]:
        start, end = achievement["span"]
        assert seed_text[start:end].strip() == achievement["evidence"]


def test_selection_date_comes_from_the_sentence(seed_result: dict) -> None:
    dates = {(a["organization"], a["type"]): a["date"] for a in seed_result["achievements"]}
    assert dates[("아이티스테이션", "selection")] == "2015"
    assert dates[("텔로스", "selection")] == "2024-09-11"


def test_programme_figures_are_group_achievements(seed_result: dict) -> None:
    group = {(a["type"], a["amount"]["value"], a["amount"]["unit"]) for a in seed_result["group_achievements"]}
    assert group == {("revenue", 17, "percent"), ("hiring", 90, "persons"), ("ip", 300, "items")}
    firm_names = {a["organization"] for a in seed_result["achievements"]}
    assert firm_names == {"아이티스테이션", "텔로스"}

"""Organisation recognition with the NER model wired in: what the model may add and veto.

The sentences are written for these tests (names invented); each checks one rule of
nlp/ner_orgs.py through the real pipeline (Kiwi + CRF + rules). That is the rules-and-NER
stage, kept beside the firm model (`NEWSMINE_FIRM_MODEL=0`, and the ablation in bench/RESULTS.md);
the pipeline here is pinned to it.
"""

from __future__ import annotations

import pytest

from nlp.orgs import find_organizations
from nlp.pipeline import analyze_doc, get_nlp

def _orgs(text: str, use_ner: bool = True) -> dict[str, str]:
    pipeline = get_nlp(use_ner, use_model=False)
    doc = pipeline.make_doc(text)
    doc._.outlets = ()
    for name, component in pipeline.pipeline:
        if name != "newsmine_achievements":
            doc = component(doc)
    return {org.name: org.kind for org in doc._.organizations}


@pytest.mark.parametrize("text, name", [
    # the CRF reads these unknown names as persons or organisations; a business cue decides
    ("군산의 수산 가공 기업인 바다숲은 일본 유통업체와 50만 달러 규모의 수출 계약을 체결했다.", "바다숲"),
    ("전주 소재 스타트업 온새미로는 지난달 시리즈A 투자를 유치했다.", "온새미로"),
    ("익산의 소스 제조업체 한빛누리는 올해 매출 120억 원을 기록했다.", "한빛누리"),
])
def test_firms_without_markers_found_through_ner(text: str, name: str) -> None:
    assert name not in _orgs(text, use_ner=False)
    assert _orgs(text)[name] == "firm"


@pytest.mark.parametrize("text", [
    "이도윤은 올해 구단과 연봉 계약을 체결했다.",                      # a person-shaped name, no cue
    "이 회사 김민준 이사는 수출 계약을 체결했다고 말했다.",                # a title after the name
    "도는 '전남 ICT 혁신기업 육성사업' 참여 기업이 수출 계약을 맺었다고 밝혔다.",  # part of a programme title
])
def test_people_and_programmes_are_not_firms(text: str) -> None:
    orgs = _orgs(text)
    assert not any(kind == "firm" for kind in orgs.values()), orgs


def _tokens(text: str) -> list:
    from nlp.kiwi import get_kiwi

    return get_kiwi().tokenize(text)


def test_person_vetoes_a_listed_name() -> None:
    # 정다운 is also a listed company: with the model's PS span and 씨 after it, it is a person.
    text = "정다운 씨는 올해 수출 계약을 따낸 회사에 입사했다."
    assert "정다운" in {o.name for o in find_organizations(text, _tokens(text))}
    assert "정다운" not in {o.name for o in find_organizations(text, _tokens(text), entities=[(0, 3, "PS")])}


def test_place_vetoes_a_venue_and_never_a_legal_form() -> None:
    text = "행사는 신라호텔에서 열렸고 ㈜한빛정밀이 납품 계약을 맺었다."
    start = text.index("신라호텔")
    firm = text.index("한빛정밀")
    entities = [(start, start + 4, "LC"), (firm, firm + 4, "LC")]
    names = {o.name for o in find_organizations(text, _tokens(text), entities=entities)}
    assert "신라호텔" not in names and "한빛정밀" in names


def test_events_and_places_from_the_model_are_not_organisations() -> None:
    text = "㈜가온테크는 '2024 SW 강소기업 성과공유회'에서 전남 여수산단 입주 기업과 계약을 맺었다."
    entities = [(text.index("2024"), text.index("성과공유회") + 5, "OG"),
                (text.index("전남 여수산단"), text.index("여수산단") + 4, "OG")]
    orgs = {o.name: o.kind for o in find_organizations(text, _tokens(text), entities=entities)}
    assert orgs == {"가온테크": "firm"}


def test_seed_still_has_exactly_two_firms(seed_text: str) -> None:
    doc = analyze_doc(seed_text, use_model=False)
    assert "newsmine_ner" in get_nlp(use_model=False).pipe_names
    firms = sorted(o.name for o in doc._.organizations if o.kind == "firm")
    assert firms == ["아이티스테이션", "텔로스"]


@pytest.mark.parametrize("value, enabled", [(None, True), ("1", True), ("0", False), ("off", False)])
def test_config_switch(monkeypatch: pytest.MonkeyPatch, value: str | None, enabled: bool) -> None:
    from nlp.pipeline import ner_enabled

    if value is None:
        monkeypatch.delenv("NEWSMINE_NER", raising=False)
    else:
        monkeypatch.setenv("NEWSMINE_NER", value)
    assert ner_enabled() is enabled
    assert "newsmine_ner" not in get_nlp(False).pipe_names


def test_doc_ents_carry_the_model_labels() -> None:
    doc = analyze_doc("익산의 소스 제조업체 한빛누리는 올해 매출 120억 원을 기록했다.", use_model=False)
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("한빛누리", "OG") in labels and ("120억 원", "QT") in labels


def test_extract_entities_is_an_extra_key_only_on_request() -> None:
    import json

    from click.testing import CliRunner

    from newsmine.cli import cli

    text = "전주시는 지난해 12월 새만금개발청과 함께 박민정 교수 연구팀에 5억 원을 지원했다."
    plain = json.loads(CliRunner().invoke(cli, ["extract", "-"], input=text).output)
    assert "entities" not in plain
    result = CliRunner().invoke(cli, ["extract", "--entities", "-"], input=text)
    record = json.loads(result.output)
    assert {k: record[k] for k in plain} == plain          # the contract's keys are unchanged
    found = {(e["text"], e["label"]) for e in record["entities"]}
    assert {("박민정", "PS"), ("5억 원", "QT")} <= found
    assert all(text[e["span"][0]:e["span"][1]] == e["text"] for e in record["entities"])


def test_a_branch_inside_one_model_span_is_not_its_own_organisation() -> None:
    text = "한국농어촌공사 전북지역본부는 지역 업체와 120억 원 규모의 공사 계약을 체결했다."
    for use_ner in (False, True):       # the rules merge the branch into its parent on their own
        orgs = _orgs(text, use_ner=use_ner)
        assert orgs == {"한국농어촌공사": "public"}


@pytest.mark.parametrize("text, name", [
    # a listed company's name as a foreign player's surname, and cut from a group's name
    ("외국인 타자 에디슨 러셀이 9회 결승 홈런을 쳤다. 러셀은 경기 뒤 팬들에게 인사했다.", "러셀"),
    ("그룹 아스트로의 멤버가 어제 새 노래를 공개했다. 아스트로로 데뷔한 지 8년 만이다.", "아스트"),
])
def test_a_listed_name_read_as_part_of_a_person_is_no_firm(text: str, name: str) -> None:
    assert name not in _orgs(text)


@pytest.mark.parametrize("text", [
    "반도체 장비 업체 러셀은 올해 매출 500억 원을 달성했다.",
    "㈜러셀은 중국 업체와 30억 원 규모의 공급 계약을 맺었다.",
])
def test_the_same_listed_name_in_business_news_stays_a_firm(text: str) -> None:
    assert _orgs(text).get("러셀") == "firm"

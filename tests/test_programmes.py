"""Programmes (nlp/programmes.py): the programme, prize or certificate of a selection, award,
certification or funding, on real sentences of the dev gold set (tests/data/programmes/dev.jsonl)
and the seed article; grouping keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.pipeline import analyze_doc, analyze_text
from nlp.programmes import _plain_key, clean_name, programme_key, programmes_in

GOLD = Path(__file__).parent / "data" / "programmes" / "dev.jsonl"
PUBLISHED = "2024-09-11T16:10:25+09:00"


def _rows() -> dict[str, dict]:
    with GOLD.open(encoding="utf-8") as handle:
        return {row["id"]: row for row in map(json.loads, handle)}


ROWS = _rows()


def _row(start: str) -> dict:
    return next(r for r in ROWS.values() if r["text"].startswith(start))


def _found(text: str) -> list:
    doc = analyze_doc(text)
    return programmes_in(doc._.kiwi_text or doc.text, doc._.kiwi_sentences, doc._.organizations)


@pytest.mark.parametrize("row_id, names", [
    ("klue:klue-ner-v1_train_01587_wikitree", ["프리츠커상"]),                     # …상을 받은
    ("klue:klue-ner-v1_train_01999_wikitree", ["선댄스 영화제"]),                   # ranks at a named festival
    ("klue:klue-ner-v1_train_10157_wikitree", ["아카데미상"]),                      # 아카데미상 남우조연상
    ("klue:klue-ner-v1_train_12812_wikitree", ["FIFA 발롱도르"]),                  # X의 수상자로 선정
    ("klue:klue-ner-v1_train_20488_wikitree", ["MBC 방송연예대상", "MBC 연기대상", "SBS 연기대상"]),
    ("ud:MH2_0169-s558", ["올해의 중소기업상"]),
    ("ud:MH2_0209-s75", ["토니상"]),
])
def test_names_in_real_sentences(row_id: str, names: list[str]) -> None:
    found = _found(ROWS[row_id]["text"])
    assert [programme_key(p.name) for p in found] == [programme_key(n) for n in names]


def test_body_tied_to_the_name() -> None:
    school = _found(ROWS["klue:klue-ner-v1_train_03251_wikitree"]["text"])     # 교육과학기술부 지정한 기숙형 고교에
    assert [(p.name, p.body, p.kind) for p in school] == [("기숙형 고교", "교육과학기술부", "selection")]
    nobel = _found(_row("스웨덴 카롤린스카의대 노벨위원회는")["text"])
    assert [(p.name, p.body) for p in nobel] == [("노벨생리의학상", "노벨위원회")]   # the one that chose


def test_funding_list_shares_its_body() -> None:
    row = _row("이번 연구는 미래창조과학부·한국연구재단")
    found = _found(row["text"])
    assert [(p.name, p.body, p.kind) for p in found] == [
        ("기초연구사업", "한국연구재단", "funding"),
        ("선도연구센터지원사업", "한국연구재단", "funding"),
        ("나노소재기술개발사업", "한국연구재단", "funding"),
    ]


@pytest.mark.parametrize("start", [
    "현아는 20일 동대문디자인플라자에서",          # 명단에 이름을 올렸다: a list, no programme
    "유기농 인증을 받지 않은 제품에",              # a certificate not received
    "1982년 천연기념물로 지정됐고",                # a legal status
    "도로교통법에 따라 2007년 처음 지정돼",         # 에 따라 is no slot
    "상위 4개 회사가 60 % 이상을 차지하는",         # 이상 is no prize
])
def test_no_programme(start: str) -> None:
    row = _row(start)
    assert row["programmes"] == []
    assert _found(row["text"]) == []


def test_extract_json_carries_the_programme(seed_text: str) -> None:
    result = analyze_text(seed_text, PUBLISHED)
    selections = {a["organization"]: a for a in result["achievements"] if a["type"] == "selection"}
    assert selections["텔로스"]["programme"] == {
        "name": "농식품 분야 메타버스 기반 기술실증 플랫폼 개발 사업", "body": "과학기술정보통신부"}
    assert selections["아이티스테이션"]["programme"] is None      # `2015년 선정 이후`: none named there
    contract = next(a for a in result["achievements"] if a["type"] == "contract")
    assert "programme" not in contract                              # only the four types carry one


@pytest.mark.parametrize("name, key", [
    ("2024년 글로벌 강소기업", "글로벌강소기업"),
    ("'24년 SW 강소기업", "sw강소기업"),
    ("‘글로벌 강소기업’", "글로벌강소기업"),
    ("제50회 대종상 영화제", "대종상영화제"),
    ("2013 FIFA 발롱도르", "fifa발롱도르"),
    ("연안·하구 생태 복원 사업(역간척)", "연안하구생태복원사업"),
    ("1000만불 수출의 탑", "수출의탑"),
    ("'2023 SW강소기업'", "sw강소기업"),          # a quoted four-digit year is a year, not '20 + 23
    ("2024 도시재생 뉴딜사업", "도시재생뉴딜사업"),  # the 도 of 도시재생 stays
])
def test_plain_key(name: str, key: str) -> None:
    assert _plain_key(name) == key


def test_aliases_group_variants() -> None:
    assert programme_key("오스카") == programme_key("아카데미상")
    assert programme_key("소프트웨어 강소기업") == programme_key("SW강소기업") == programme_key("2024 SW 강소기업")
    assert programme_key("TIPS") == programme_key("팁스 프로그램")
    assert programme_key("글로벌 강소기업") != programme_key("SW 강소기업")


def test_clean_name() -> None:
    assert clean_name("'2024년 글로벌 강소기업'") == "글로벌 강소기업"
    assert clean_name("기초연구사업(개인연구)") == "기초연구사업"
    assert clean_name("IDEA2012") == "IDEA2012"

"""The predicate-argument layer (nlp/syntax.py): roles, voice, lists, shared topics."""

from __future__ import annotations

from nlp.kiwi import get_kiwi
from nlp.pipeline import analyze_text
from nlp.syntax import analyse, frame_of


def _analysis(text: str):  # type: ignore[no-untyped-def]
    return analyse(text, 0, len(text), get_kiwi().tokenize(text))


def _roles(text: str, lemma: str) -> dict[str, list[str]]:
    analysis = _analysis(text)
    frame = next(f for f in analysis.frames if f.predicate.lemma == lemma)
    return {role: [text[p.start:p.end] for p in frame.phrases(role)] for role in frame.roles}


def test_active_choosing_verb_has_the_chosen_list_as_object() -> None:
    text = "전라남도는 서해수산·영암정밀·빛고을로보틱스 등 3개사를 최종 선정했다고 밝혔다."
    analysis = _analysis(text)
    frame = frame_of(analysis, text.index("선정"))
    assert frame.predicate.voice == "active" and frame.predicate.lemma == "선정하"
    objects = "".join(text[p.start:p.end] for p in frame.phrases("obj"))
    assert "빛고을로보틱스" in objects and "서해수산" in objects
    assert [text[p.start:p.end] for p in frame.agents] == ["전라남도는"]


def test_passive_and_receptive_forms() -> None:
    for text, lemma in (("㈜A는 대상에 선정됐다.", "선정되"), ("㈜메디로그는 투자사로부터 150만 달러를 투자받았다.", "투자받"),
                        ("A사는 대상에 뽑혔다.", "뽑히")):
        frame = next(f for f in _analysis(text).frames if f.predicate.lemma == lemma)
        assert frame.predicate.voice == "passive", text


def test_partner_of_an_agreement_is_no_list_member() -> None:
    roles = _roles("도와 군은 ㈜가람, ㈜다온과 투자협약을 맺었다.", "맺")
    assert roles["obj"] == ["투자협약을"]
    assert "㈜다온과" in roles["with"] and any("가람" in p for p in roles["with"])
    assert any("도와" in p for p in roles["topic"])


def test_partner_of_a_partnership_is_no_list_member() -> None:
    """A partnership is an agreement too: `A와 … 파트너십을 체결했다` names A its partner, also when A
    is quoted (`‘A’와`), not a member of the partnership's name."""
    roles = _roles("솔빛제약은 ‘한빛바이오파마’와 항체 공동연구 파트너십을 체결했다.", "체결하")
    assert roles["obj"] == ["항체 공동연구 파트너십을"]
    assert any("한빛바이오파마" in p for p in roles["with"])


def test_light_verb_object_carries_the_trigger_to_its_predicate() -> None:
    text = "㈜한빛은 전주시와 120억 원 규모의 납품 계약을 체결했다."
    frame = frame_of(_analysis(text), text.index("계약"))
    assert frame.predicate.lemma == "체결하"


def test_a_topic_is_the_agent_of_later_clauses_without_one() -> None:
    text = "휴비스는 전주시와 투자협약을 체결하고, 전주 공장에 700억 원을 투자하기로 했다."
    frames = _analysis(text).frames
    assert all(any("휴비스" in text[p.start:p.end] for p in f.agents) for f in frames)


def test_relative_clause_subject_belongs_to_its_own_verb() -> None:
    text = "㈜A가 개발한 기술이 특허로 등록됐다."
    analysis = _analysis(text)
    made = next(f for f in analysis.frames if f.predicate.lemma == "개발하")
    registered = next(f for f in analysis.frames if f.predicate.lemma == "등록되")
    assert made.predicate.clause == "adnominal" and "㈜A가" in [text[p.start:p.end] for p in made.agents]
    assert [text[p.start:p.end] for p in registered.agents] == ["기술이"]


def test_periphrastic_adnominal_is_a_main_clause() -> None:
    roles = _roles("GSMA는 위키트리를 미디어 지원 파트너로 선정한 바 있습니다.", "선정하")
    assert roles["topic"] == ["GSMA는"] and roles["obj"] == ["위키트리를"]


def test_empty_and_odd_input() -> None:
    assert analyse("", 0, 0, []).frames == []
    text = "…!!"
    assert _analysis(text).frames == []


def test_a_particle_after_a_legal_form_keeps_its_role() -> None:
    # Kiwi reads the particle after ㈜ as a noun or a verb (와/NNG, 는 → 늘/VV+ㄴ, 를 → 르/NNG)
    roles = _roles("시는 다온푸드㈜와 120억원 규모의 투자협약을 체결했다.", "체결하")
    assert roles["with"] == ["다온푸드㈜와"] and roles["topic"] == ["시는"]
    roles = _roles("누리정밀㈜는 한빛전자와 납품 계약을 맺었다.", "맺")
    assert roles["topic"] == ["누리정밀㈜는"] and roles["with"] == ["한빛전자와"]
    roles = _roles("도는 누리정밀㈜를 강소기업으로 선정했다.", "선정하")
    assert roles["obj"] == ["누리정밀㈜를"]
    assert not any(f.predicate.lemma == "늘" for f in _analysis("누리정밀㈜는 수출을 시작했다.").frames)


def test_a_firm_party_after_a_legal_form_signs_the_investment() -> None:
    from nlp.pipeline import analyze_text

    out = analyze_text("김해시는 5일 식품 유통기업인 다온푸드㈜와 120억원 규모의 투자협약을 체결했다고 밝혔다.")
    assert [(a["organization"], a["type"], a["amount"]["value"]) for a in out["achievements"]] == \
        [("다온푸드", "investment", 12_000_000_000)]


def test_the_partner_of_an_agreement_with_its_purpose_between() -> None:
    # `A와 X를 위한 협약`: A is the partner of 체결, not a member of the purpose's object
    roles = _roles("익산시는 ㈜누리테크와 물류센터 건립을 위한 투자협약을 체결했다.", "체결하")
    assert roles["with"] == ["㈜누리테크와"]
    roles = _roles("도는 ㈜한빛과 ㈜다온을 강소기업으로 선정했다.", "선정하")
    assert "㈜한빛과" not in roles.get("with", [])      # a list of what was chosen stays a list


def test_a_direct_quote_closed_before_its_particle_is_a_quote_clause() -> None:
    # `…출시했다”고 밝혔다`: Kiwi reads the final ending, the closing mark and 고 (JKQ); the quoted
    # clause is a quote as `출시했다고` is, and its topic outside the marks is its agent
    for text in ("㈜누리음료는 “새 제품을 출시했다”고 밝혔다.", '㈜누리음료는 "새 제품을 출시했다"라고 밝혔다.'):
        analysis = _analysis(text)
        frame = frame_of(analysis, text.index("출시"))
        assert frame.predicate.clause == "quote", text
        assert any("누리음료" in text[p.start:p.end] for p in frame.agents), text


def test_arguments_of_a_verb_said_once_for_several_are_no_list() -> None:
    """`X에는 A가, Y에는 B가 V`: the comma after a marked subject closes one argument, and the verb
    said once at the end is each one's (gapping); A is not a list member of the phrase after it."""
    text = "대상에는 한빛정밀이, 우수상에는 솔빛테크가 선정됐다."
    subjects = "".join(_roles(text, "선정되")["subj"])
    assert "한빛정밀" in subjects and "솔빛테크" in subjects
    found = analyze_text("신성장기업으로는 한빛정밀, 솔빛테크 2곳이, 예비기업으로는 다온정밀이 선정됐다.", None)
    chosen = {a["organization"] for a in found["achievements"] if a["type"] == "selection"}
    assert {"한빛정밀", "솔빛테크"} <= chosen


def test_a_verb_said_as_also_done_is_the_verb() -> None:
    """`V-기도 했다` ("also did V"), `V-기까지 했다`: the verb made a noun, a particle, then 하다 is the
    verb itself, done, with 하다's ending; `V-기도 어렵다` ("hard even to V") is not."""
    text = "한빛정밀은 지난 2021년 수출유망 중소기업으로 선정되기도 했다."
    frame = frame_of(_analysis(text), text.index("선정"))
    assert (frame.predicate.lemma, frame.predicate.voice, frame.predicate.clause) == ("선정되", "passive", "final")
    assert [text[p.start:p.end] for p in frame.agents] == ["한빛정밀은"]
    said = {(a["organization"], a["type"]) for a in analyze_text(
        text + " 다온건설과 누리건설은 지난해 건설자재 운반용 로봇을 개발하기도 했다.")["achievements"]}
    assert said == {("한빛정밀", "selection"), ("다온건설", "launch"), ("누리건설", "launch")}
    assert not analyze_text("한빛정밀은 올해 수출유망 중소기업으로 선정되기도 어렵다.")["achievements"]

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
    ("HB뱅크는 신용보증재단에 총 15억 원을 출연한다.", "HB뱅크"),
    ("설계를 맡은 한빛기술공사는 위험도 분석을 부실하게 수행했다.", "한빛기술공사"),
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
    ("한국남동발전은 지역 업체와 상생 협약을 맺었다.", "한국남동발전", "public"),
    ("한국서부발전과 신용보증기금이 참여했다.", "신용보증기금", "public"),
    ("회사는 기술보증기금에서 보증을 받았다.", "기술보증기금", "public"),
    ("행사는 KBS전주방송총국이 후원했다.", "KBS전주방송총국", "media"),
    ("JTV전주방송과 광주MBC가 중계했다.", "JTV전주방송", "media"),
    ("JTV전주방송과 광주MBC가 중계했다.", "광주MBC", "media"),
    ("전북동부고용센터는 채용 박람회를 열었다.", "전북동부고용센터", "government"),
    ("더불어민주당은 논평을 냈다.", "더불어민주당", "other"),
    ("철도해운노조는 파업을 예고했다.", "철도해운노조", "association"),
    # the federation of the local cooperatives
    ("새마을금고중앙회는 19일 기부금을 전달했다.", "새마을금고중앙회", "association"),
])
def test_kinds_of_non_firms(text: str, name: str, kind: str) -> None:
    assert kinds(text).get(name) == kind


def test_a_professional_corporation_is_named_with_the_word_for_its_kind() -> None:
    # `법무법인 율촌`: the word is no legal form of LABELLING.md's list, so it stays in the name
    assert kinds("홍길동 법무법인 누리 변호사는 증거가 명확하다고 말했다.") == {"법무법인 누리": "firm"}
    assert kinds("김철수 특허법인 다온 변리사가 발표했다.") == {"특허법인 다온": "firm"}
    assert kinds("홍길동 법무법인(유) 새봄 고문이 참석했다.") == {"법무법인 새봄": "firm"}
    # the word alone, or before a title, names no one
    assert "법무법인" not in kinds("회사는 법무법인 소속 변호사와 함께 소송을 준비했다.")


def test_local_cooperatives_are_firms() -> None:
    # a local farmers', livestock or credit cooperative banks, sells and buys as a business: the
    # labellers of regional news make each a firm (a credit union's …금고 is no school)
    assert kinds("한빛신협은 5일 이웃돕기 성금을 전달했다.").get("한빛신협") == "firm"
    assert kinds("한빛새마을금고(이사장 김철수)는 5일 성금을 전달했다.").get("한빛새마을금고") == "firm"
    assert kinds("누리축협(조합장 홍길동)은 한우 판매장을 새로 열었다.").get("누리축협") == "firm"
    # the ending decides however the model reads the rest (a group's letters before it, `MG…`)
    assert kinds("MG새마을금고 새봄나눔재단은 19일 기부금을 전달했다.").get("MG새마을금고") == "firm"
    # a bank named on one, in a list glossing its class, stays the bank
    assert "NH농협은행" in kinds("5대 은행(KB국민·신한·하나·우리·NH농협)의 금리가 내렸다.")


def test_title_glued_to_a_name_is_cut() -> None:
    found = kinds("김철수 전북디지털융합센터장과 박영희 익산시장이 참석했다.")
    assert found.get("전북디지털융합센터") == "public"
    assert found.get("익산시") == "government"


def test_a_banks_head_glued_to_its_name_names_the_bank() -> None:
    # `광주은행장`: Kiwi reads 광주 + 은행장, so the name left once the title is cut is a place alone;
    # read without the title it is the bank. A market glued to a place stays no firm.
    found = kinds("홍길동 광주은행장과 김철수 전북은행장이 참석했다.")
    assert found.get("광주은행") == "firm" and found.get("전북은행") == "firm"
    assert "firm" not in kinds("행사는 대구 서문시장에서 열렸다.").values()


def test_common_nouns_are_not_organisations() -> None:
    assert kinds("지자체와 공공기관, 기업에 납품했고 일부 업체는 요청을 했다.") == {}
    assert "firm" not in kinds("강원광역푸드뱅크는 기부 물품을 이웃에게 나눴다.").values()


def test_wire_dateline_names_the_outlet_not_the_place() -> None:
    found = kinds("(군산=뉴스1) 박지호 기자 = 군산시는 올해 수산물 수출이 늘었다고 밝혔다.")
    assert found.get("뉴스1") == "media"
    assert "군산" not in found and not any("=" in name for name in found)


def achievements(text: str) -> set[tuple[str, str]]:
    return {(a["organization"], a["type"]) for a in analyze_text(text)["achievements"]}


@pytest.mark.parametrize("use_ner", [False, True])
def test_producer_cooperatives_are_firms_trade_cooperatives_associations(use_ner: bool) -> None:
    text = ("고산로컬푸드협동조합은 지난해 직매장에서 매출 85억 원을 올렸다. 전남레미콘공업협동조합과 "
            "광주인쇄정보산업협동조합은 총회를 열었고, 진안마을사회적협동조합도 참석했다. "
            "하늘농원영농조합법인과 농업회사법인 들녘팜은 새 창고를 지었다.")
    found = {o["name"]: o["kind"] for o in analyze_text(text, use_ner=use_ner)["organizations"]}
    assert found["고산로컬푸드협동조합"] == "firm"
    assert found["전남레미콘공업협동조합"] == "association"
    assert found["광주인쇄정보산업협동조합"] == "association"
    assert found.get("하늘농원") == "firm" and found.get("들녘팜") == "firm"
    assert all(kind != "firm" for name, kind in found.items() if "사회적" in name or name == "진안마을")
    assert ("고산로컬푸드협동조합", "revenue") in achievements(text)


@pytest.mark.parametrize("text,names", [
    ("㈜남도정공과 ㈜광양철강은 설비 공동 개발 협약을 맺었다.", ["남도정공", "광양철강"]),
    ("㈜새솔기공과 ㈜다온바이오는 협약을 맺었다.", ["새솔기공", "다온바이오"]),
    ("시는 ㈜푸른누리와 ㈜한결소재를 우수기업으로 선정했다.", ["푸른누리", "한결소재"]),
    ("㈜가람정공이 만든 부품은 ㈜미래나노가 납품받았다.", ["가람정공", "미래나노"]),
    ("㈜청담정밀의 공장과 ㈜보람테크에 들어선 설비, ㈜한울산전도 참여했다.", ["청담정밀", "보람테크", "한울산전"]),
    ("㈜엠케이는 수출 계약을 맺었다.", ["엠케이"]),          # 이 after a vowel is part of the name
    ("㈜동백정공(대표 김영수)과 ㈜산들(대표 이민호)은 협약을 맺었다.", ["동백정공", "산들"]),
    # a particle follows a bracket, never precedes it: a name's last syllable before one is its own
    ("㈜새봄도(대표 김영수)는 올해 선정됐다.", ["새봄도"]),
    ("㈜누리담은(카페 누리)이 문을 열었다.", ["누리담은"]),
])
def test_a_name_after_a_legal_form_ends_at_its_particle(text: str, names: list[str]) -> None:
    assert [n for n, kind in kinds(text).items() if kind == "firm"] == names


@pytest.mark.parametrize("use_ner", [False, True])
@pytest.mark.parametrize("text,parent,kind", [
    ("한국농어촌공사 전북지역본부는 물관리 유공 표창을 받았다.", "한국농어촌공사", "public"),
    ("한국전력 전북본부와 익산시는 협약을 맺었다.", "한국전력공사", "public"),
    ("LH 광주전남지역본부가 설명회를 열었다.", "한국토지주택공사", "public"),
    ("한국산업단지공단 대불지사는 안전점검을 했다.", "한국산업단지공단", "public"),
])
def test_a_branch_is_a_mention_of_its_parent(use_ner: bool, text: str, parent: str, kind: str) -> None:
    found = {o["name"]: (o["kind"], o["surface"]) for o in analyze_text(text, use_ner=use_ner)["organizations"]}
    assert found.get(parent, (None,))[0] == kind
    assert not any(k == "government" for n, (k, _) in found.items() if n != "익산시")
    assert any(" " in surface for surface in found[parent][1])      # the whole `parent branch` phrase


def test_a_branch_written_alone_is_no_ministry() -> None:
    assert kinds("전북지역본부는 설명회를 열었다.").get("전북지역본부") != "government"
    assert kinds("행정안전부는 설명회를 열었다.").get("행정안전부") == "government"
    assert kinds("전북소방본부는 점검을 마쳤다.").get("전북소방본부") == "government"


def test_investors_are_firms_that_do_not_take_the_portfolio_firms_achievement() -> None:
    text = "㈜새봄바이오는 누리벤처스와 한길인베스트먼트로부터 시리즈A 투자 40억 원을 유치했다."
    found = kinds(text)
    assert found == {"새봄바이오": "firm", "누리벤처스": "firm", "한길인베스트먼트": "firm"}
    assert achievements(text) == {("새봄바이오", "funding")}     # money received (LABELLING.md)
    text = "㈜새봄바이오는 별빛파트너스의 투자를 받아 수출 계약을 체결했다."
    assert kinds(text).get("별빛파트너스") == "firm"
    assert {name for name, _ in achievements(text)} == {"새봄바이오"}


def test_an_investor_in_a_relative_clause_takes_only_its_investment() -> None:
    # The revenue is the investee's; the investing is the investor's (LABELLING.md: the firm invests).
    text = "별빛파트너스가 투자한 ㈜새봄바이오는 올해 매출 100억 원을 달성했다."
    assert set(achievements(text)) == {("새봄바이오", "revenue"), ("별빛파트너스", "investment")}


@pytest.mark.parametrize("text", [
    "영광의 e-모빌리티 기업 ㈜영광모터스는 수출을 늘렸다.",
    "전북 중소기업들이 '수출바우처 사업'에 신청서를 냈다.",
    "완주군 봉동읍에 본사를 둔 ㈜한결기계는 공장을 늘렸다.",
])
def test_sector_words_programmes_and_addresses_are_not_organisations(text: str) -> None:
    assert set(kinds(text)) <= {"영광모터스", "한결기계", "완주군"}


def test_a_short_name_the_text_declares_is_the_same_organisation() -> None:
    # A real KLUE sentence (data/konec-dev): `코코엔터테인먼트(이하 코코엔터) 파산과 관련해 …`.
    # The labelling conventions want one name per firm in a passage: its fullest form.
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "konec-dev" / "dev.jsonl"
    text = next(json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
                if "(이하 코코엔터)" in line)
    orgs = analyze_text(text)["organizations"]
    assert [(o["name"], o["kind"]) for o in orgs] == [("코코엔터테인먼트", "firm")]
    assert len(orgs[0]["mentions"]) == 2
    # later bare mentions of the declared name are mentions too; a word for a kind of body is no name
    found = analyze_text("현대자동차(이하 현대차)는 수소버스를 만든다. 현대차는 올해 2천대를 수주했다.")
    assert [(o["name"], len(o["mentions"])) for o in found["organizations"]] == [("현대자동차", 3)]
    assert [a["organization"] for a in found["achievements"]] == ["현대자동차"]
    assert kinds("㈜한빛정밀(이하 회사)은 매출 52억원을 기록했다.") == {"한빛정밀": "firm"}


def test_a_short_name_declared_after_the_head_in_brackets_is_the_same_organisation() -> None:
    # press releases put the head first: `(사장 직무대행 홍길동, 이하 …)`; the short name read alone
    # was taken for an outlet
    found = analyze_text("누리항만공사(사장 직무대행 황민범, 이하 NHPA)는 16일 특강을 열었다. "
                         "NHPA는 공정한 채용 제도를 도입했다.")
    assert [(o["name"], o["kind"], len(o["mentions"])) for o in found["organizations"]] == \
        [("누리항만공사", "public", 3)]


def _klue_raw(sentence_id: str) -> str:
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "klue-raw" / "train-news-sentences.tsv"
    return next(line.split("\t", 1)[1].strip() for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith(sentence_id + "\t"))


@pytest.mark.parametrize("sentence_id, name, alias, kind", [
    ("klue-ner-v1_train_03931_wikitree", "방코델타아시아", "BDA", "firm"),
    ("klue-ner-v1_train_14712_wikitree", "프라이스워터스하우스쿠퍼스", "PwC", "firm"),
    ("klue-ner-v1_train_13140_wikitree", "한국인터넷디지털엔터테인먼트협회", "K-IDEA", "association"),
    ("klue-ner-v1_train_16065_wikitree", "니혼게이자이신문", "닛케이", "media"),
])
def test_a_short_name_in_brackets_after_a_name_is_the_same_organisation(sentence_id: str, name: str, alias: str,
                                                                         kind: str) -> None:
    # Real KLUE raw sentences: `방코델타아시아(BDA)`. Read alone, the bracketed short name came out
    # as a second organisation (a second firm for the score; `K-IDEA` a firm beside its association).
    orgs = {o["name"]: o for o in analyze_text(_klue_raw(sentence_id))["organizations"]}
    assert alias not in orgs
    assert orgs[name]["kind"] == kind
    assert alias in orgs[name]["surface"]


def test_a_short_name_met_first_does_not_take_a_longer_names_mention() -> None:
    # `LG` … `LG전자는`: a group and its affiliate in one text, the group named first. The group's
    # later mentions used to claim the start of `LG전자`, which was then lost (real-text dev:
    # `삼성·한화·교보생명 … 한화생명의`, KLUE raw).
    orgs = analyze_text("LG는 올해 투자를 늘렸다. LG전자는 새 TV를 출시했다. LG는 밝혔다.")["organizations"]
    assert [(o["name"], o["kind"], o["mentions"]) for o in orgs] == [
        ("LG", "firm", [[0, 2], [34, 36]]), ("LG전자", "firm", [[16, 20]])]


@pytest.mark.parametrize("text,expected", [
    ("삼성·한화·교보생명 등 3개 생보사는 보험료를 내렸다.", {"삼성생명", "한화생명", "교보생명"}),
    ("현대·기아차는 지난달 미국에서 12만 대를 팔았다.", {"현대차", "기아차"}),
    ("신한·국민·우리은행은 대출 금리를 올렸다.", {"신한은행", "국민은행", "우리은행"}),
    # the class said after the list as well (`등 4대 은행`), the head already on the last member
    ("KB국민·신한·하나·우리은행 등 4대 은행은 금리를 내렸다.", {"KB국민은행", "신한은행", "하나은행", "우리은행"}),
    # places before a place-named firm (`광주·전북은행`: the two regional banks); a place only near
    # one names nothing
    ("광주·전북은행은 올해 중소기업 대출을 늘렸다.", {"광주은행", "전북은행"}),
    ("서울·부산 지역의 전북은행 지점은 대출을 늘렸다.", {"전북은행"}),
    # each member with a business ending of its own shares nothing
    ("포스코건설·삼성중공업·금호산업에는 벌금을 선고했다.", {"포스코건설", "삼성중공업", "금호산업"}),
    ("이마트·롯데마트는 할인 행사를 열었다.", {"이마트", "롯데마트"}),
    # a bare member longer than a group's stem is a whole name
    ("카카오·삼성전자는 협력하기로 했다.", {"카카오", "삼성전자"}),
])
def test_a_head_written_once_on_the_last_of_a_list_is_shared(text: str, expected: set[str]) -> None:
    found = kinds(text)
    assert {name for name, kind in found.items() if kind == "firm"} == expected


def test_a_person_named_with_their_title_beside_a_firm_is_no_firm() -> None:
    # The press-release shape `㈜A 홍길동 대표, …에 기부`: the model read the title after the name
    # as a firm's belonging. Made-up names; the shape is frequent in regional releases.
    text = ("㈜한빛물류 나서연 대표, 한빛읍에 후원물품 기부\n한빛군 한빛읍은 ㈜한빛물류 나서연 대표가 지난 9일 "
            "쌀 300kg과 라면 50상자를 기탁했다고 밝혔다.")
    assert {n for n, k in kinds(text).items() if k == "firm"} == {"한빛물류"}
    # a firm named like a person, with its chief's name after the title, stays a firm
    assert kinds("정식품 대표 홍길동은 신제품을 출시했다고 밝혔다.").get("정식품") == "firm"


def test_a_firms_division_is_no_organisation() -> None:
    # `X MX사업부`: a division is part of its firm; its 부 had made it a ministry
    found = kinds("삼성전자 MX사업부와 누리전자 DA사업부 관계자가 참석했다.")
    assert found == {"삼성전자": "firm", "누리전자": "firm"}
    assert kinds("회원사업부는 새 상품을 내놓았다.") == {}


def test_a_person_with_a_deputys_title_is_no_firm() -> None:
    # `홍길동 부사장`, `부회장`: a deputy's title is the title with 부 before it; the model read the
    # person's name before it as a firm's
    found = kinds("삼성전자 가전사업부 한빛솔 부사장은 새 제품을 소개했다.")
    assert "한빛솔" not in found and found.get("삼성전자") == "firm"
    assert "firm" not in kinds("정기 인사에서 박새봄 부사장과 김다온 부회장이 자리를 옮겼다.").values()


def test_a_chair_in_brackets_is_no_sign_of_a_firm() -> None:
    # `X(회장 …)` names associations and senior centres in regional releases (134 of 134 in 4,100
    # articles), unlike `X(대표 …)`: senior centres that win a contest are no firms.
    text = "가람면 새솔경로당(회장 김민수), 한빛읍 다솜경로당(회장 이영호)이 대상을 차지했다."
    assert "firm" not in kinds(text).values()
    assert kinds("청계면 가람농원(대표 서재현)이 협약을 체결했다.").get("가람농원") == "firm"


def test_a_bracket_closing_an_abbreviation_is_no_part_of_a_name() -> None:
    # Real KLUE raw sentence: `폐쇄회로(CC)TV` gave the organisation `CC)TV`.
    assert "CC)TV" not in kinds(_klue_raw("klue-ner-v1_train_02035_wikitree"))
    assert kinds("한빛시는 인공지능(AI)반도체 기업을 지원한다.") == {"한빛시": "government"}


@pytest.mark.parametrize("particle", ["은", "을", "를", "의", "에", "과", "로", "에서", "는", "가"])
def test_a_legal_form_after_the_name_then_any_particle(particle: str) -> None:
    # `케이비엠㈜은`, `엔디티엔지니어링㈜과`: Kiwi reads the particle after ㈜ as a noun (은, 의, 에)
    # or splits it (를 → 르+ᆯ), and the firm was lost; regional releases write ㈜ so throughout.
    text = f"케이비엠㈜{particle} 좋은 회사다. 한빛정밀㈜{particle} 계약을 맺었다."
    assert {n for n, k in kinds(text).items() if k == "firm"} == {"케이비엠", "한빛정밀"}


def test_a_count_of_firms_and_a_special_city_are_no_firms() -> None:
    text = ("이같은 지원 결과 작년 센터와 협약을 맺은 기업 18개사의 총매출액은 25%(70억 원) 늘었고 군부대 등 기관 "
            "납품 40억 원, 방위사업청 연구과제 수주 30억 원 등의 성과를 냈다.")
    assert "firm" not in kinds(text).values()
    assert kinds("수원특례시는 10일 관내 기업과 업무협약을 맺었다.") == {"수원특례시": "government"}


def test_a_sector_named_before_its_head_word_is_no_firm() -> None:
    # `우주항공 분야의`: a sector regional releases court, ending like a firm's name (…항공).
    assert kinds("한빛시는 우주항공 분야의 기업을 더 유치하기로 했다.") == {"한빛시": "government"}
    # a list of sectors closed by `등 … 산업 분야`; not a list of firms the sector word counts
    text = "협약 기업들은 수소, 방산, 우주항공, 로봇 등 도의 핵심 전략 산업 분야에 투자한다."
    assert "firm" not in kinds(text).values()
    assert {n for n, k in kinds("㈜한빛, ㈜다솔, 가람테크 등 반도체 분야 기업 3곳이 선정됐다.").items() if k == "firm"} \
        == {"한빛", "다솔", "가람테크"}


def test_a_word_named_only_before_a_class_noun_is_no_firm() -> None:
    # `딥테크 기업`, `모빌리티 산업`, `알림톡 서비스`: a technology, a sector, a product, which the
    # model reads like a loanword firm's name; a firm the text also names as an argument stays.
    assert kinds("한빛시는 올해 딥테크 기업 열 곳을 새로 키우기로 했다.") == {"한빛시": "government"}
    assert "firm" not in kinds("새봄음료의 2ℓ 페트 제품에는 병당 100원의 부담금이 붙는다.").values()
    text = "정수기 업체 누리웨이는 지난해 매출 300억 원을 올렸다. 누리웨이 제품을 2대 이상 구매하는 고객은 할인을 받는다."
    assert kinds(text) == {"누리웨이": "firm"}


def test_a_firm_named_later_without_its_group_letters_is_one_firm() -> None:
    # `IBK기업은행 … 기업은행은`, `SK하이닉스 … 하이닉스의`: 30 such pairs in 3,959 regional articles
    # were counted as two firms (LABELLING.md: one name per firm, a second name is a false firm).
    orgs = analyze_text("IBK기업은행은 대출을 늘렸다. 기업은행은 올해 1조 원을 공급했다.")["organizations"]
    assert [(o["name"], o["kind"], len(o["mentions"])) for o in orgs] == [("IBK기업은행", "firm", 2)]
    orgs = analyze_text("SK하이닉스는 HBM을 공급했다. 하이닉스의 매출은 늘었다.")["organizations"]
    assert [(o["name"], len(o["mentions"])) for o in orgs] == [("SK하이닉스", 2)]


def test_a_legal_form_alone_names_no_organisation() -> None:
    # `사회적협동조합 푸른 들녘`: the form before a name of two words came out as an organisation
    # with an empty name (the shape of a regional release).
    orgs = analyze_text("한빛시는 이번 행사에 자원봉사자, 사회적협동조합 푸른 들녘 등 지역 기관과 주민 50여 명이 "
                        "참여했다고 밝혔다.")["organizations"]
    assert all(o["name"] for o in orgs)


def test_an_outlet_named_by_a_word_for_one_or_by_its_list_is_no_firm() -> None:
    # Real KLUE raw sentence (real-text dev has it too): `KGI리서치와 올싱스디, 씨넷 등 외신은` — the
    # market researcher is a firm, the two outlets after it are media; `미국 매체 A가` likewise.
    found = kinds(_klue_raw("klue-ner-v1_train_02154_wikitree"))
    assert found["KGI리서치"] == "firm"
    assert found.get("올싱스디") == "media" and found.get("씨넷") == "media"
    assert kinds("김하늘의 결승골은 미국 매체 더스코어보드가 선정한 올해의 명장면에 포함됐다.").get("더스코어보드") == "media"


def test_acronyms_of_things_and_words_for_both_firms_are_no_organisations() -> None:
    # `AI`, `SNS`, `MOU`, `ESG`: Latin acronyms of things came out as firms or other bodies (AI in 39
    # of 3,959 regional articles); `양사` is "both companies".
    assert kinds("관광객들은 SNS에 후기를 올렸고 ESG 경영도 화제가 됐다.") == {}
    assert kinds("양사는 이날 MOU를 체결했다.") == {}
    assert kinds("㈜한빛은 AI 기업이다.") == {"한빛": "firm"}


def test_bullets_open_list_members_and_never_belong_to_a_name() -> None:
    # Releases list winners and participants with a bullet before each (`▲A(부문) ▲B(부문)`,
    # `▷A ▷B 등 18곳`): the bullet was glued to the name (`▲한빛자산운용`), and after `▷` no name
    # was proposed at all, so the whole list was lost.
    found = kinds("올해 우수상은 ▲한빛자산운용(연금부문) ▲누리온자산운용(채권부문) ▲새솔은행(서비스부문)이 차지했다.")
    assert found == {"한빛자산운용": "firm", "누리온자산운용": "firm", "새솔은행": "firm"}
    found = kinds("이번 박람회에 부스를 낸 업체는 ▷가온크리너 ▷누리옵티칼 ▷다솜광학 ▷라온비전 ▷미르정밀 등 5곳이다.")
    assert set(found) == {"가온크리너", "누리옵티칼", "다솜광학", "라온비전", "미르정밀"}
    assert set(found.values()) == {"firm"}
    assert kinds("행사 순서는 ▲개막식 ▲토론회 ▲시상식 등이다.") == {}


def test_a_head_shared_after_a_groups_letters() -> None:
    # `KB국민·신한·하나·우리은행`: the first member carries the group's letters before its two-letter
    # stem; the list still shares 은행 (it was left as `KB국민`, `신한`, `하나`).
    assert kinds("KB국민·신한·하나·우리은행은 이달 예금 금리를 내렸다.") == {
        "KB국민은행": "firm", "신한은행": "firm", "하나은행": "firm", "우리은행": "firm"}
    # a longer stem whose name with the head is a listed firm takes it too, even when read alone as
    # another kind of body (`미래에셋`)
    found = kinds("한국투자·미래에셋·키움·NH투자·삼성증권 등 5개 증권사는 새 계좌 서비스를 열었다.")
    assert found == {name: "firm" for name in ("한국투자증권", "미래에셋증권", "키움증권", "NH투자증권", "삼성증권")}
    assert kinds("산업부·삼성전자는 협약을 맺었다.")["산업통상자원부"] == "government"


def test_a_persons_title_between_two_signing_firms_is_no_firm() -> None:
    # `A 홍길동 GA영업부문장과 B 김철수 대표이사가`: the title was taken for a firm by the list of
    # two joined by 과.
    assert kinds("한빛손해보험 홍길동 GA영업부문장과 ㈜누리에이전시 김철수 대표이사가 상생 협약서에 서명했다.") == {
        "한빛손해보험": "firm", "누리에이전시": "firm"}


def test_a_name_in_reversed_quotes_is_found() -> None:
    # Releases open a quote with the closing mark and close it with the opening one (`’㈜A‘`).
    assert kinds("이번 공모에서 ’㈜한빛종합건축사사무소‘는 최우수작에 뽑혔다.") == {"한빛종합건축사사무소": "firm"}
    # a closing quote ends a name with a legal form even when Kiwi reads the particle after it
    # as something else (`‘에는`: 에 as an interjection)
    assert kinds("심사 결과 ‘㈜누리건축사사무소’에는 상금이 돌아갔다.") == {"누리건축사사무소": "firm"}


def test_a_known_public_corporation_stays_public_with_a_legal_form() -> None:
    # `한국수력원자력(주)`: the legal form made it a firm, though the lexicon (organizations.toml, which
    # users edit to fix a kind) knows it as a public corporation (LABELLING.md: not a firm).
    assert kinds("한국수력원자력(주)은 올해 안전 점검을 마쳤다.") == {"한국수력원자력": "public"}


def test_farms_named_by_their_suffix_are_firms() -> None:
    # Releases name prize-winning farms in brackets after their owners; a generic farm is no name.
    assert kinds("수상자는 홍길동(하늘빛농장), 김철수(누리목장), 이영희(다온농원)이다.") == {
        "하늘빛농장": "firm", "누리목장": "firm", "다온농원": "firm"}
    assert kinds("농촌체험농장과 스마트농장이 늘었다.") == {}


def test_korea_s_trades_written_with_k_are_no_organisations() -> None:
    # `K-바이오`, `K-푸드`: Korea's trade of a kind, never a firm's name; a body so named keeps its ending.
    assert kinds("K-바이오 기업들이 선전했고 K-푸드와 K-뷰티 수출이 늘었다.") == {}
    assert kinds("K-에듀센터는 문을 열었다.") == {"K-에듀센터": "public"}


def test_the_exchange_is_public_and_its_short_name_too() -> None:
    # 한국거래소 runs the market; every labelling of newsmine's calls it public. Named later without its
    # 한국 (`거래소에 따르면`), the short name was read alone as a firm.
    assert kinds("한국거래소는 새 지수를 내놓았다. 거래소에 따르면 지수는 다음 달부터 산출된다.") == {"한국거래소": "public"}


def test_the_power_exchange_and_the_small_business_agency_are_public() -> None:
    # releases of the regions they sit in name them often, by full and short names alike
    assert kinds("한국전력거래소는 새 시스템을 시험했다. 소진공은 전통시장과 협업한다.") == \
        {"한국전력거래소": "public", "소상공인시장진흥공단": "public"}


def test_a_latin_gloss_of_an_ordinary_word_is_no_name() -> None:
    from nlp.pipeline import analyze_text

    def names(text: str) -> set[str]:
        return {o["name"] for o in analyze_text(text)["organizations"]}

    assert names("다온시는 디지털 전환(Digital Transformation) 사업을 추진한다.") <= {"다온시"}
    assert "DSR" not in names("은행들은 총부채원리금상환비율(DSR) 기준을 다시 따졌다.")
    assert "ProtonExchange" not in names("다온연구소는 전해질막(PEM, Proton Exchange Membrane) 시료를 시험했다.")
    # after a name the bracket is an alias: one firm, not two
    found = analyze_text("중국 중신증권(CITIC Securities)은 올해 실적을 발표했다. CITIC Securities는 상하이에 있다.")
    assert [o["name"] for o in found["organizations"] if o["kind"] == "firm"] == ["중신증권"]
    # a list in brackets is no gloss
    assert {"CU", "GS25"} <= names("편의점 3사(CU, GS25, 세븐일레븐)는 새해 간편식을 늘렸다.")


def test_every_city_and_county_is_a_government_whatever_kiwi_makes_of_it() -> None:
    # Kiwi keeps 구미시 whole as one proper noun: its stem is read from data/lexicon/places.toml
    from nlp.pipeline import analyze_text

    out = analyze_text("구미시와 예산군, 사천시는 한빛소재와 투자협약을 체결했다. 올해 예산도 늘었다.")
    kinds = {o["name"]: o["kind"] for o in out["organizations"]}
    assert kinds == {"구미시": "government", "예산군": "government", "사천시": "government", "한빛소재": "firm"}


def test_short_names_of_one_trade_said_once_are_firms() -> None:
    from nlp.pipeline import analyze_text

    def firms(text: str) -> set[str]:
        return {o["name"] for o in analyze_text(text)["organizations"] if o["kind"] == "firm"}

    # the class said after the list is each member's head, as `다온·누리·하나·우리금융지주` would be
    assert firms("다온·누리·하나·우리 등 4대 금융지주의 순이익이 늘었다.") == {
        "다온금융지주", "누리금융지주", "하나금융지주", "우리금융지주"}
    assert firms("행사 기간 다온·누리·솔빛 등 8대 카드로 결제하면 할인된다.") == {"다온카드", "누리카드", "솔빛카드"}
    # a member with a name of its own says the list names firms, not a class's members
    assert firms("㈜누리자동차·㈜다온 등 자동차 2사가 수출 계약을 맺었다.") == {"누리자동차", "다온"}
    # in brackets after their class, each takes the class's head as `다온·누리·하나은행` would
    assert {"다온은행", "누리은행", "하나은행"} <= firms("펀드는 시중은행(다온·누리·하나)이 함께 조성했다.")
    # places and goods are no trade
    assert firms("수도권(서울·인천·경기)과 배추·사과·돼지고기 등 16대 성수품") == set()


def test_a_preferred_share_is_its_issuer_and_a_fund_family_no_firm() -> None:
    from nlp.pipeline import analyze_text

    out = analyze_text("이날 삼성전자(1.2%), SK하이닉스(0.7%), 삼성전자우(0.9%)가 올랐다. "
                       "TIGER의 누적 수익금은 KODEX보다 많다.")
    assert {o["name"] for o in out["organizations"] if o["kind"] == "firm"} == {"삼성전자", "SK하이닉스"}
    # named alone, with no code and no issuer beside it, the share still names its listed issuer
    out = analyze_text("이날 한화솔루션우는 2.3% 오른 채 장을 마감했다.")
    assert {o["name"] for o in out["organizations"] if o["kind"] == "firm"} == {"한화솔루션"}


def test_an_associations_city_chapter_is_the_association() -> None:
    from nlp.pipeline import analyze_text

    out = analyze_text("한빛건설㈜과 대한전문건설협회 누리시회는 상생 협약을 맺었다.")
    kinds = {o["name"]: o["kind"] for o in out["organizations"]}
    assert kinds.get("대한전문건설협회") == "association" and "다온시회" not in kinds


def test_a_towns_society_with_its_representative_is_an_association() -> None:
    from nlp.pipeline import analyze_text

    out = analyze_text("새봄복지회(대표 홍길동)는 올해 김장 나눔으로 군수 표창을 받았다.")
    assert {o["name"]: o["kind"] for o in out["organizations"]}.get("새봄복지회") == "association"
    assert not out["achievements"]


def test_kinds_of_firm_and_latin_terms_are_no_firms() -> None:
    # common nouns before 기업/업체 name a kind of firm; a Latin term before common nouns, a thing
    assert "firm" not in kinds("도내 벤처기업과 수출기업들이 박람회에 참가했다.").values()
    assert "firm" not in kinds("누리시는 AI 솔루션 기업을 유치하고 AI산업을 키운다.").values()
    # a name before the head stays a name; a Latin term is no second firm beside one
    assert kinds("한빛기업은 올해 신제품을 출시했다.") == {"한빛기업": "firm"}
    assert kinds("다온전자는 B2B 사업과 R&D 투자를 늘렸다.") == {"다온전자": "firm"}


def test_a_topic_the_sentence_calls_a_business_is_a_firm() -> None:
    # two common nouns run together are no name alone; `…은 …을 만드는 회사다` says it is one
    assert kinds("꿈나무숲은 어린이 교구를 만든다.") == {}
    assert kinds("꿈나무숲은 어린이 교구를 만드는 회사다.") == {"꿈나무숲": "firm"}
    assert kinds("꿈나무숲은 어린이 교구를 만드는 업체로 올해 설립됐다.") == {"꿈나무숲": "firm"}


def test_a_firms_short_form_is_the_same_firm() -> None:
    def surfaces(text: str) -> dict[str, list[str]]:
        return {o["name"]: sorted(o["surface"]) for o in analyze_text(text)["organizations"] if o["kind"] == "firm"}

    assert surfaces("한빛자동차는 신차를 출시했다. 한빛차는 올해 수출도 늘렸다.") \
        == {"한빛자동차": ["한빛자동차", "한빛차"]}
    assert surfaces("다온금융지주는 자사주를 사들였다. 다온금융은 배당도 늘렸다.") \
        == {"다온금융지주": ["다온금융", "다온금융지주"]}
    assert surfaces("한빛코리아는 리콜을 시작한다. 회수 대상은 한빛 매장에서 받은 가습기다.") \
        == {"한빛코리아": ["한빛", "한빛코리아"]}
    # the carmaker's group, shortened as the carmaker is
    assert surfaces("현대차그룹은 새 공장을 지었다. 현대자동차그룹은 올해 투자를 늘렸다.") \
        == {"현대자동차그룹": ["현대자동차그룹", "현대차그룹"]}


def test_a_shops_branch_is_a_mention_of_its_chain() -> None:
    # `…점` after a chain's name, or in a list of its stores: a branch, not a firm of its own
    assert kinds("다온마트 구월점과 누리점이 지난달 문을 닫았다.") == {"다온마트": "firm"}
    # the branch with its manager in brackets says the name before it is a business
    assert kinds("누리시는 한빛마루 새봄점(대표 홍길동)과 나눔 협약을 맺었다.").get("한빛마루") == "firm"
    # an ordinary word or a place ending in 점 is no branch; a place before the chain is no part of it
    assert kinds("한빛전자 고점 대비 주가가 내렸다.") == {"한빛전자": "firm"}
    assert kinds("누리국 판문점 연락관이 회담 일정을 알렸다.") == {}
    assert kinds("누리동 다온마트 새봄점에서 일하는 직원이 말했다.") == {"다온마트": "firm"}


def test_a_trade_written_before_a_firm_noun_describes_the_next_name() -> None:
    # `X식품 유통업체인 A`: X식품 is A's trade; `X그룹 계열사인 A`: X is A's parent, a firm
    assert kinds("국내 최대 한빛식품 유통업체인 다온교역이 수출 협약을 맺었다.") == {"다온교역": "firm"}
    assert kinds("한빛그룹 계열사인 다온정밀이 신형 부품을 출시했다.") == {"한빛그룹": "firm", "다온정밀": "firm"}


def test_a_word_of_a_quoted_title_is_no_firm() -> None:
    # part of a product's or an event's title in quotes; a name quoted alone, or in quoted speech, stays
    assert kinds("새로 나온 상품은 'NH NuriBiz 든든 기업카드'다.") == {}
    assert kinds("이 부품은 강소기업 '다온코퍼레이션'이 개발했다.") == {"다온코퍼레이션": "firm"}
    assert kinds("한빛전자 관계자는 “다온텍과 손잡고 새 제품을 만들었다”고 말했다.") \
        == {"한빛전자": "firm", "다온텍": "firm"}


def test_a_chamber_of_commerce_by_its_short_name_after_its_city() -> None:
    # `광주상의`: the chamber of commerce, an association; the suffix needs the place (`이상의`, `수상의`)
    from nlp.pipeline import analyze_text

    kinds = {o["name"]: o["kind"] for o in analyze_text("광주상의는 지역 기업 간담회를 열었다. 100명 이상의 인원이 모였다.")["organizations"]}
    assert kinds == {"광주상의": "association"}


def test_a_name_before_a_listed_companys_stock_code_is_a_firm() -> None:
    # `A(064260) ▲4.51%`: market reports name listed companies with their six-digit code; a code no
    # listed company has (an exchange-traded fund's) says nothing
    from nlp.pipeline import analyze_text

    text = "종목별로는 누리바이오(005930) ▲4.51%, 한빛랩(000270) ▼1.2%, 새봄 200(069500) ▲0.3%를 기록했다."
    firms = {o["name"] for o in analyze_text(text)["organizations"] if o["kind"] == "firm"}
    assert firms == {"누리바이오", "한빛랩"}


def test_a_legal_form_closed_by_a_bracket_names_the_word_before_it() -> None:
    # `X 주식회사(대표 홍길동)`: the form is X's; what the bracket holds is no name
    assert kinds("다온제강 주식회사(대표 홍길동)는 상을 받았다.") == {"다온제강": "firm"}
    assert kinds("시는 새봄케미칼 주식회사(대표 홍길동)가 방석 1000개를 기탁했다고 밝혔다.").get("새봄케미칼") == "firm"


def test_a_bracketed_list_after_its_class_takes_the_class_as_its_head() -> None:
    # `5대 은행(A·B·C)`: each member named by its stem is that bank, as `A·B·C은행` would be
    found = kinds("5대 은행(KB국민·신한·하나·우리·NH농협)의 정기예금 금리가 내렸다.")
    assert {"KB국민은행", "신한은행", "하나은행", "우리은행", "NH농협은행"} <= set(found)
    assert not {"KB국민", "신한", "하나"} & set(found)
    found = kinds("카드사(롯데·삼성·신한·NH농협카드)가 할인 행사에 참여한다.")
    assert {"롯데카드", "삼성카드", "신한카드", "NH농협카드"} <= set(found)


def test_a_bracketed_list_after_a_class_of_another_kind_takes_no_head() -> None:
    # central banks are no banks of business: `중앙은행(A·B)` names each member as it is
    found = kinds("주요국 중앙은행(연준·ECB)은 금리를 동결했다.")
    assert "ECB은행" not in found and found.get("ECB") != "firm"
    assert kinds("유럽중앙은행은 금리를 올렸다.") == {"유럽중앙은행": "public"}


def test_political_parties_and_federations_are_no_firms() -> None:
    found = kinds("광주경총은 청년 채용 지원책을 내놨고, 국민의힘은 논평을 냈다. 한국예총은 행사를 열었다.")
    assert found == {"광주경총": "association", "국민의힘": "other", "한국예총": "association"}


def test_professional_practices_are_firms() -> None:
    found = kinds("이날 도지사 표창은 홍길동회계사무소와 한빛감정평가법인이 받았다.")
    assert found == {"홍길동회계사무소": "firm", "한빛감정평가법인": "firm"}


def test_a_two_syllable_name_after_a_legal_form_keeps_its_last_syllable() -> None:
    # alone, Kiwi reads the end of a short name as a particle (한 + 만): a name keeps two syllables
    orgs = {o["name"]: o["kind"] for o in analyze_text("김철수 ㈜한만 대표가 말했다.")["organizations"]}
    assert orgs.get("한만") == "firm"


def test_a_sentence_glued_to_the_next_never_lends_its_last_word_to_a_name() -> None:
    # pages that lose the space after a full stop: `…분석이다.A(주)는`
    text = "이러한 입지가 투자 유치의 요인이 됐다는 분석이다.한빛코리아(주)는 연구진이 설립한 기업이다."
    assert {o["name"] for o in analyze_text(text)["organizations"] if o["kind"] == "firm"} == {"한빛코리아"}


def test_a_citys_economy_department_is_no_confectioner() -> None:
    # `새봄시 일자리경제과`: …경제과 ends like …제과 (a confectioner's suffix), but names a department
    kinds = {o["name"]: o["kind"] for o in analyze_text(
        "자세한 사항은 나주시 일자리경제과(061-000-0000)로 문의하면 된다. ㈜한빛제과는 새 과자를 냈다.")["organizations"]}
    assert kinds.get("일자리경제과") != "firm"
    assert kinds.get("한빛제과") == "firm"


def test_a_groups_letters_before_a_cooperatives_ending_share_it_with_no_one() -> None:
    from nlp.pipeline import analyze_text

    out = analyze_text("이번 달 예금 금리는 신한·하나·우리·NH농협이 먼저 내렸다.")
    names = {o["name"] for o in out["organizations"]}
    assert "NH농협" in names and not names & {"신한농협", "하나농협", "우리농협"}
    # local cooperatives named by their places still share the ending
    out = analyze_text("올해 한빛·다온·새봄농협이 우수조합으로 뽑혔다.")
    assert {"한빛농협", "다온농협", "새봄농협"} <= {o["name"] for o in out["organizations"]}


def test_a_federations_branch_beside_a_local_cooperative_takes_no_head() -> None:
    from nlp.pipeline import analyze_text

    out = analyze_text("회의에는 농협중앙회 한빛군지부·한빛농협 미곡종합처리장, 농업기술센터 관계자가 참석했다.")
    names = {o["name"] for o in out["organizations"]}
    assert "농협농협" not in names and "한빛농협" in names


def test_districts_and_complexes_are_places_not_firms() -> None:
    from nlp.pipeline import analyze_text

    def firms(text: str) -> set[str]:
        return {o["name"] for o in analyze_text(text)["organizations"] if o["kind"] == "firm"}

    assert firms("한빛·누리지역 개인투자자의 거래대금이 석 달째 줄었다.") == set()
    assert firms("한빛첨단소재지구와 누리하이테크파크지구에 입주한 기업은 모두 12곳이다.") == set()
    # the firms of a complex are counted after it; the complex itself is a place
    assert firms("조합은 다온산단 등 30개 기업에 안전관리자를 보낸다.") == set()


def test_a_quoted_product_service_or_programme_is_no_firm() -> None:
    from nlp.pipeline import analyze_text

    def firms(text: str) -> set[str]:
        return {o["name"] for o in analyze_text(text)["organizations"] if o["kind"] == "firm"}

    assert firms("한빛은행은 모바일 앱 '한빛원큐'를 통한 가입을 늘렸다.") == {"한빛은행"}
    # the subject of its clause is the maker, named by what it makes
    assert "다온데이터" in firms("보안 애플리케이션 ‘다온데이터’가 올해 가장 흔한 암호 목록을 선정했다.")


def test_a_regions_body_by_its_short_name_keeps_its_kind() -> None:
    from nlp.pipeline import analyze_text

    out = analyze_text("광주경총은 해당 사업으로 지역 기업을 지원한다.")
    assert {o["name"]: o["kind"] for o in out["organizations"]}.get("광주경총") == "association"

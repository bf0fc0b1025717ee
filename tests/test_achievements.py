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


def test_a_list_closed_by_a_genitive_group_noun_is_the_subject() -> None:
    # `A, B 등의 (호주) 기업체들이 …`: the list said as "the firms such as A and B", as `등 2개사`
    text = "㈜한빛정밀, ㈜대성식품 등의 도내 기업들이 올해 스타기업으로 선정됐다."
    assert firm_pairs(text) == {("한빛정밀", "selection"), ("대성식품", "selection")}
    assert firm_pairs("㈜새봄정밀, ㈜하늘푸드 등의 업체들이 우수기업상을 받았다.") == \
        {("새봄정밀", "award"), ("하늘푸드", "award")}


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


def test_a_firm_named_for_a_counted_group_does_not_take_the_groups_total() -> None:
    # `A 등 N개 업체와 …억 원 규모`: the figure is the five firms' together; A signed, with no figure of its own
    result = analyze_text("군산시는 ㈜대성기계 등 5개 업체와 1천억 원 규모의 투자협약을 체결했다.", PUBLISHED)
    assert [(a["organization"], a["type"], a["amount"]) for a in result["achievements"]] == \
        [("대성기계", "investment", None)]
    assert [(a["organization"], a["amount"]["value"]) for a in result["group_achievements"]] == \
        [("대성기계 등 5개 업체", 100_000_000_000)]
    # without `등` the figure is the firm's own
    assert amounts_of("군산시는 ㈜대성기계와 300억 원 규모의 투자협약을 체결했다.") == \
        {("대성기계", "investment", 30_000_000_000, "KRW")}


def amounts_of(text: str) -> set[tuple[str, str, float, str]]:
    return {(a["organization"], a["type"], a["amount"]["value"], a["amount"]["unit"])
            for a in analyze_text(text, PUBLISHED)["achievements"] if a["amount"]}


def test_money_and_growth_rate_are_both_kept() -> None:
    text = "㈜다온식품은 올해 매출이 64억 원으로 지난해보다 22% 늘었다."
    assert amounts_of(text) == {("다온식품", "revenue", 6_400_000_000, "KRW"), ("다온식품", "revenue", 22, "percent")}


def test_modifier_ending_ties_the_amount_to_the_noun_after_it() -> None:
    text = "㈜새봄기술은 창업 지원사업에 선정돼 5천만 원 상당의 사업화 자금을 지원받았다."
    assert amounts_of(text) == {("새봄기술", "funding", 50_000_000, "KRW")}


def test_nearest_amount_wins_over_a_budget_in_the_same_clause() -> None:
    text = "㈜들녘테크는 1천억 원 규모의 국비가 들어가는 사업에 참여해 9억 원 규모의 장비 납품 계약을 맺었다."
    assert amounts_of(text) == {("들녘테크", "contract", 900_000_000, "KRW")}


def test_respectively_one_figure_goes_to_each_firm() -> None:
    text = "㈜하람소프트와 ㈜누리웍스는 지역 투자조합으로부터 각각 2억 원의 투자를 유치했다."
    assert amounts_of(text) == {("하람소프트", "funding", 200_000_000, "KRW"),
                                ("누리웍스", "funding", 200_000_000, "KRW")}


def test_jobs_counted_in_items_are_persons() -> None:
    assert amounts_of("㈜서림에너지는 새 공장에서 일자리 45개를 만들었다.") == {("서림에너지", "hiring", 45, "persons")}


def test_apposition_and_metric_topic_keep_the_firm() -> None:
    text = "㈜온누리팜(대표 박성호)이 캐나다 업체와 80만 달러 규모의 수출 계약을 맺었다. 반면 매출은 40억 원을 넘어섰다."
    pairs = amounts_of(text)
    assert ("온누리팜", "contract", 800_000, "USD") in pairs      # a 수출 계약 is a contract
    assert ("온누리팜", "revenue", 4_000_000_000, "KRW") in pairs


def test_programme_designation_is_a_selection_and_this_firm_as_object() -> None:
    assert firm_pairs("㈜동백정밀은 중기부로부터 '글로벌 강소기업'으로 지정됐다.") == {("동백정밀", "selection")}
    text = "㈜해오름농산은 올해 유자청 수출로 30만 달러를 벌었다. 군은 이 업체를 우수 수출기업으로 선정했다."
    assert ("해오름농산", "selection") in firm_pairs(text)


def test_classifier_is_shipped_off_by_default_and_separates_frames(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from nlp import achievement_model as am

    monkeypatch.delenv(am.MODE_ENV, raising=False)
    assert am.get_model() is None          # configs/achievements.toml: mode = "off" (measured no gain)
    monkeypatch.setenv(am.MODE_ENV, "veto")
    model = am.get_model()
    assert model is not None

    def p_achieved(text: str) -> float:
        from nlp.pipeline import analyze_doc
        doc = analyze_doc(text, PUBLISHED)
        [firm] = [o for o in doc._.organizations if o.kind == "firm"]
        mentions = [(s, e, o) for o in doc._.organizations for s, e in o.mentions]
        tokens = [t for s in doc._.kiwi_sentences for t in s.tokens]
        return model.probabilities(am.candidate(text, 0, len(text), tokens, mentions, firm.name))[0]

    done = p_achieved("㈜푸른들식품은 대형마트와 12억 원 규모의 납품 계약을 체결했다.")
    plan = p_achieved("㈜푸른들식품은 내년에 공장을 새로 짓기 위해 부지를 물색하고 있다.")
    assert done > 0.5 > plan


def counterparties(text: str) -> dict[tuple[str, str], str | None]:
    return {(a["organization"], a["type"]): a["counterparty"] for a in analyze_text(text, PUBLISHED)["achievements"]}


def test_counterparty_buyer_after_wa() -> None:
    text = "㈜새벽소재는 한국수자원공사와 18억 원 규모의 정수 설비 납품 계약을 맺었다."
    assert counterparties(text) == {("새벽소재", "contract"): "한국수자원공사"}


def test_counterparty_awarding_body_from_particles() -> None:
    assert counterparties("㈜마루테크는 전라남도로부터 올해의 혁신기업으로 선정됐다.") == {("마루테크", "selection"): "전라남도"}
    text = "㈜마루테크는 산업통상자원부가 주관하는 소재부품 기술개발 과제에 선정됐다."
    assert counterparties(text) == {("마루테크", "selection"): "산업통상자원부"}


def test_counterparty_is_the_government_that_selected_the_object() -> None:
    assert counterparties("군산시는 ㈜바다숲을 올해 우수 중소기업으로 선정했다.") == {("바다숲", "selection"): "군산시"}


def test_counterparty_investor_unknown_to_the_organisation_finder() -> None:
    text = "㈜온빛랩은 누리벤처스로부터 25억 원 규모의 투자를 유치했다."
    assert counterparties(text) == {("온빛랩", "funding"): "누리벤처스"}


def test_no_counterparty_when_none_is_named() -> None:
    assert counterparties("㈜온빛랩은 올해 신입 사원 12명을 채용했다.") == {("온빛랩", "hiring"): None}


def test_each_measured_trigger_keeps_its_own_figure() -> None:
    text = "㈜송하정밀은 지난해 매출 270억 원, 영업이익 19억 원을 올렸다."
    pairs = amounts_of(text)
    assert ("송하정밀", "revenue", 27_000_000_000, "KRW") in pairs
    assert ("송하정밀", "revenue", 1_900_000_000, "KRW") not in pairs    # a profit is no sales figure
    pairs = amounts_of("㈜들녘종자는 특허 7건을 등록하고 실용신안 출원 15건을 마쳤다.")
    assert {("들녘종자", "ip", 7, "items"), ("들녘종자", "ip", 15, "items")} <= pairs


def test_bracketed_conversion_is_not_the_figure() -> None:
    pairs = amounts_of("㈜모악바이오는 프랑스 화장품사와 120만 유로(약 17억 원) 규모의 원료 공급 계약을 맺었다.")
    assert pairs == {("모악바이오", "contract", 1_200_000, "EUR")}


def test_starting_value_yields_to_the_reached_one() -> None:
    pairs = amounts_of("㈜섬진강공예는 지난해 3억 원이던 매출을 올해 5억 2천만 원으로 늘렸다.")
    assert pairs == {("섬진강공예", "revenue", 520_000_000, "KRW")}


def test_water_surface_solar_is_no_prize() -> None:
    assert firm_pairs("㈜햇살발전은 새만금 수상 태양광 사업에서 90억 원 규모의 공사 계약을 따냈다.") == {
        ("햇살발전", "contract")}


def test_subject_of_a_relative_clause_is_not_the_achiever() -> None:
    # `A가 …한 B는/가 …`: the sentence's achievement is B's; A did the relative clause's deed
    # (LABELLING.md: what the text states as done), with the figure inside that clause.
    text = "별빛파트너스가 30억 원을 투자한 ㈜새봄바이오는 올해 매출 120억 원을 달성했다."
    assert amounts_of(text) == {("새봄바이오", "revenue", 12_000_000_000, "KRW"),
                                ("별빛파트너스", "investment", 3_000_000_000, "KRW")}
    assert firm_pairs("㈜한결기계가 부품을 납품한 ㈜새봄모터스는 올해 수출 500만 달러를 달성했다.") == {
        ("새봄모터스", "export"), ("한결기계", "contract")}
    assert firm_pairs("㈜한결기계가 납품한 ㈜새봄모터스가 올해 매출 90억 원을 올렸다.") == {
        ("새봄모터스", "revenue"), ("한결기계", "contract")}
    assert firm_pairs("㈜한결기계가 개발해 납품한 ㈜새봄바이오는 올해 매출 80억 원을 기록했다.") == {
        ("새봄바이오", "revenue"), ("한결기계", "contract"), ("한결기계", "launch")}


def test_relative_clause_before_an_adverbial_noun_phrase() -> None:
    text = "㈜한결기계와 ㈜대양테크가 공동 개발한 장비로 ㈜새봄바이오가 30억 원 규모의 수출 계약을 맺었다."
    assert firm_pairs(text) == {("새봄바이오", "contract"), ("한결기계", "launch"), ("대양테크", "launch")}
    # The relative clause's firms are no partners of the main clause's contract either.
    assert set(counterparties(text).values()) == {None}


def test_relative_clause_on_a_list_of_firms() -> None:
    text = "별빛파트너스가 투자한 ㈜새봄바이오와 ㈜다온식품은 중기부 지원사업에 최종 선정됐다."
    assert firm_pairs(text) == {("새봄바이오", "selection"), ("다온식품", "selection"), ("별빛파트너스", "investment")}


def test_relative_clause_whose_subject_is_a_government_body() -> None:
    text = "전북도가 스타기업으로 선정한 ㈜새봄바이오는 올해 수출 100만 달러를 달성했다."
    assert amounts_of(text) == {("새봄바이오", "export", 1_000_000, "USD")}
    assert firm_pairs("중소벤처기업부가 지원한 ㈜새봄바이오가 올해 특허 12건을 등록했다.") == {("새봄바이오", "ip")}


def test_a_relative_clause_subject_after_the_main_subject_keeps_only_its_own_deed() -> None:
    # `X는 A가 …한 N을 …했다`: the topic before is the main clause's subject; A did only what its
    # own clause says. Without a subject before, A stays the subject of the whole sentence.
    assert firm_pairs("회사는 ㈜한결기계가 생산한 부품을 납품하는 계약을 체결했다.") == set()
    assert firm_pairs("도는 ㈜한결기계가 개발한 장비를 박람회에서 선보였다.") == {("한결기계", "launch")}
    assert firm_pairs("㈜한결기계가 생산한 부품을 납품하는 계약을 체결했다.") == {("한결기계", "contract")}


def test_disclosing_a_photo_or_a_poster_is_no_launch() -> None:
    # 공개하다 discloses far more often than it launches (data/lexicon/achievements.toml)
    assert firm_pairs("배급사 ㈜한빛픽처스가 11일 영화 캐릭터 포스터를 공개했다.") == set()
    assert firm_pairs("㈜다온미디어는 5월호를 통해 출연자의 근황 사진과 인터뷰 내용을 공개했다.") == set()
    assert firm_pairs("㈜한결모터스가 새 전기 화물차를 공개했다.") == {("한결모터스", "launch")}


def test_showing_a_performance_is_no_launch() -> None:
    # 선보이다 shows a stage or a skill as often as a product (data/lexicon/achievements.toml)
    assert firm_pairs("㈜한결기계는 창립 기념식에서 임직원 합창 무대를 선보였다.") == set()
    assert firm_pairs("㈜한결기계는 박람회에서 신형 절단기를 선보였다.") == {("한결기계", "launch")}


def test_relative_clause_firm_alone_gets_nothing_unless_it_is_the_main_subject() -> None:
    # The noun the clause modifies did the main clause's achieving: a firm not named; the
    # clause's own deed is still its subject's.
    assert firm_pairs("별빛파트너스가 투자한 바이오 기업은 올해 매출 120억 원을 달성했다.") == {("별빛파트너스", "investment")}
    # ... but what a firm made carries the achievement to it (LABELLING.md: a prize for a product)
    assert firm_pairs("㈜한결기계가 개발한 제품이 올해 우수상을 받았다.") == {("한결기계", "award"), ("한결기계", "launch")}
    assert firm_pairs("㈜한결기계가 개발한 기술이 특허로 등록됐다.") == {("한결기계", "ip"), ("한결기계", "launch")}
    assert firm_pairs("㈜한결기계가 수주한 물량은 100억 원 규모다.") == {("한결기계", "contract")}
    # The modified noun is the firm's own achievement, or the clause is adverbial: still the firm's.
    assert amounts_of("㈜한결기계가 맺은 50억 원 규모의 공급 계약이 공시됐다.") == {
        ("한결기계", "contract", 5_000_000_000, "KRW")}
    assert firm_pairs("㈜한결기계가 올해 매출 100억 원을 달성한 것으로 알려졌다.") == {("한결기계", "revenue")}
    assert firm_pairs("㈜한결기계가 스타기업으로 선정된 뒤 수출 계약을 맺었다.") == {
        ("한결기계", "selection"), ("한결기계", "contract")}


def test_investor_invests_and_the_firm_invested_in_is_funded() -> None:
    # LABELLING.md: investment is the firm that invests; funding the money received.
    text = "㈜별빛파트너스는 ㈜새봄바이오에 30억 원을 투자했다."
    assert amounts_of(text) == {("별빛파트너스", "investment", 3_000_000_000, "KRW"),
                                ("새봄바이오", "funding", 3_000_000_000, "KRW")}
    assert counterparties(text)[("새봄바이오", "funding")] == "별빛파트너스"
    text = "㈜별빛파트너스가 ㈜새봄바이오에 30억 원 규모의 투자를 단행했다."
    assert counterparties(text)[("새봄바이오", "funding")] == "별빛파트너스"
    assert ("새봄바이오", "funding", 1_500_000_000, "KRW") in amounts_of(
        "누리벤처스는 올해 ㈜새봄바이오에 대한 15억 원 투자를 집행했다.")
    assert counterparties("전북도는 ㈜새봄바이오에 5억 원을 투자했다.") == {
        ("새봄바이오", "funding"): "전북특별자치도"}


def test_investing_in_a_list_of_firms() -> None:
    text = "㈜별빛파트너스가 ㈜새봄바이오와 ㈜다온식품에 각각 10억 원을 투자했다."
    assert {("새봄바이오", "funding", 1_000_000_000, "KRW"),
            ("다온식품", "funding", 1_000_000_000, "KRW")} <= amounts_of(text)
    # A sum over the list is the investor's, no single investee's figure.
    text = "㈜별빛파트너스는 ㈜새봄바이오와 ㈜다온식품에 모두 20억 원을 투자했다."
    assert firm_pairs(text) == {("별빛파트너스", "investment"), ("새봄바이오", "funding"), ("다온식품", "funding")}
    assert amounts_of(text) == {("별빛파트너스", "investment", 2_000_000_000, "KRW")}


def test_investing_plans_are_nobodys_achievement_and_a_firm_investing_in_plant_invests() -> None:
    assert firm_pairs("㈜별빛파트너스는 ㈜새봄바이오에 30억 원을 투자하기로 했다.") == set()
    assert firm_pairs("㈜별빛파트너스는 ㈜새봄바이오에 30억 원 규모의 투자를 단행할 계획이다.") == set()
    assert amounts_of("㈜별빛파트너스는 올해 생산설비에 50억 원을 투자했다.") == {
        ("별빛파트너스", "investment", 5_000_000_000, "KRW")}


def test_signed_investment_agreement_is_each_signing_firms_investment() -> None:
    text = "도와 군은 ㈜새봄바이오, ㈜다온식품과 투자협약을 맺었다."
    assert firm_pairs(text) == {("새봄바이오", "investment"), ("다온식품", "investment")}


def test_active_choosing_credits_the_chosen_not_the_chooser() -> None:
    assert firm_pairs("㈜스플래시데이터가 올해 최악의 비밀번호를 선정했다.") == set()
    text = "전라남도는 ㈜서해수산·㈜영암정밀·㈜빛고을로보틱스 등 3개사를 최종 선정했다고 13일 밝혔다."
    assert firm_pairs(text) == {("서해수산", "selection"), ("영암정밀", "selection"), ("빛고을로보틱스", "selection")}


def test_a_trigger_that_only_modifies_another_noun_is_no_achievement() -> None:
    assert firm_pairs("㈜디지털이엠씨는 세계 각국의 규격 인증 서비스를 제공하고 있다.") == set()
    assert firm_pairs("㈜위메프는 직원 채용 과정에서 논란에 휩싸였다.") == set()
    assert firm_pairs("출시를 앞둔 제품 체험단을 ㈜제일기획이 모집했다.") == set()


def _recovering_everything():  # type: ignore[no-untyped-def]
    """The shipped classifier in recover mode with both thresholds at 0, logging its verdicts."""
    import joblib

    from nlp import achievement_model as am

    config = am.load_config()
    bundle = joblib.load(am.REPO_ROOT / config["output"]["model"])
    return am.use_model(am.model_from(bundle, "recover", {"recover_above": 0.0, "recover_type_above": 0.0}, log=[]))


def test_recover_adds_only_where_rules_gave_nothing_with_lower_confidence() -> None:
    text = "㈜들바람식품은 미국 한인 마트 체인에 김치 35만 달러어치를 팔았다."
    before = analyze_text(text, PUBLISHED)["achievements"]
    with _recovering_everything() as model:
        after = analyze_text(text, PUBLISHED)["achievements"]
    assert before == [] and len(model.log) == 1
    [item] = after
    assert item["organization"] == "들바람식품" and item["type"] == model.log[0][1]
    assert item["confidence"] < 0.6 and item["evidence"] == text
    if item["type"] in ("export", "contract", "revenue"):
        assert item["amount"] == {"value": 350_000, "unit": "USD", "approximate": False}


def test_recover_never_reads_plans_budgets_or_credited_firms() -> None:
    texts = ["㈜들바람식품은 내년에 미국 시장에 김치를 팔 계획이다.",
             "도는 ㈜들바람식품 등 5개 기업에 예산 3억 원을 배정했다.",
             "㈜한빛정밀은 약 35억 원 규모의 부품 공급 계약을 체결했다."]
    with _recovering_everything() as model:
        results = [analyze_text(t, PUBLISHED)["achievements"] for t in texts]
    assert results[0] == results[1] == [] and model.log == []
    assert [(a["organization"], a["type"]) for a in results[2]] == [("한빛정밀", "contract")]


def test_recover_mode_reads_its_thresholds_from_the_config(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from nlp import achievement_model as am

    monkeypatch.setenv(am.MODE_ENV, "veto+recover")
    model = am.get_model()
    assert model is not None and model.vetoing and model.recovering
    assert 0.5 < model.recover_above <= 1 and 0 < model.recover_type_above <= 1


def test_a_signed_agreement_commits_each_firms_planned_figure() -> None:
    text = ("전북도는 ㈜가람, ㈜다온, ㈜새봄과 투자협약을 맺었다. "
            "㈜가람이 85억원, ㈜다온은 32억원, ㈜새봄은 120억원을 각각 투자한다.")
    assert {("가람", "investment", 8_500_000_000, "KRW"), ("다온", "investment", 3_200_000_000, "KRW"),
            ("새봄", "investment", 12_000_000_000, "KRW")} <= amounts_of(text)
    # without a signed agreement the same wording is a plan
    assert firm_pairs("㈜가람은 내년에 100억 원을 투자하기로 했다.") == set()
    assert firm_pairs("전북도는 ㈜가람과 투자협약을 체결할 예정이다. ㈜가람은 100억 원을 투자할 계획이다.") == set()


def test_the_latest_year_is_the_figure_achieved() -> None:
    assert amounts_of("㈜가람은 2022년 매출 100억 원, 2023년 150억 원, 지난해 210억 원을 기록했다.") == {
        ("가람", "revenue", 21_000_000_000, "KRW")}


def test_a_plant_is_its_firm() -> None:
    assert amounts_of("㈜가람 전주공장은 올해 신입 사원 45명을 새로 뽑았다.") == {("가람", "hiring", 45, "persons")}


def test_agreement_partners_listed_before_a_figure_all_invest() -> None:
    text = "전라북도는 24일 도청에서 ㈜한국소재, 세움엔지니어링과 1천200억 원 규모의 투자협약을 맺었다."
    # a figure for both firms is their total: it goes to neither
    assert firm_pairs(text) == {("한국소재", "investment"), ("세움엔지니어링", "investment")}
    assert amounts_of(text) == set()


def test_negated_or_stative_clauses_and_rounded_figures() -> None:
    assert firm_pairs("㈜애플코리아는 신제품 출시에 대해 아직 입장을 내놓지 않았다.") == set()
    assert firm_pairs("㈜가람뱅크에는 여러 인증이 있다.") == set()      # a clause of being, not doing
    assert amounts_of("㈜웰니스랩은 설립 5년 만에 국내외 특허 출원 50건 이상을 기록했다.") == {
        ("웰니스랩", "ip", 50, "items")}
    # the subject belongs to the verb, not to an adjective modifying an adverbial before it
    assert amounts_of("㈜서남해김은 올해 수출액이 지난해 같은 기간보다 42% 늘어난 1천150만 달러를 기록했다.") >= {
        ("서남해김", "export", 11_500_000, "USD")}


def test_a_word_of_purpose_cancels_its_own_object_not_an_earlier_deed() -> None:
    # 위해/위한 mark what a deed is for: `수출 확대를 위한 계약` is no contract yet, but a contract
    # signed in a clause that ends before the purpose (`체결하고 … 위해`) was signed.
    assert firm_pairs("㈜한빛정밀은 수출 확대를 위한 공급 계약을 추진했다.") == set()
    assert firm_pairs("㈜한빛정밀은 해외 수출 확대를 위해 박람회에 참가했다.") == set()
    assert firm_pairs("㈜한빛정밀은 공급 계약을 체결하고 생산 확대를 위해 공장을 증설했다.") == {("한빛정밀", "contract")}


def test_what_the_subject_of_a_relative_clause_did_is_its_own() -> None:
    # `A가 선보인/개발한/수주한 X`: an active verb in adnominal past form; A did it.
    assert firm_pairs("㈜한결기계가 지난달 선보인 신제품이 인기를 끌고 있다.") == {("한결기계", "launch")}
    assert firm_pairs("㈜한결기계가 수주한 공사를 ㈜대양건설이 맡았다.") == {("한결기계", "contract")}
    # Not what it will do (-ㄹ), does habitually (-는), nor whom a selector chose.
    assert firm_pairs("㈜한결기계가 출시할 제품은 아직 공개되지 않았다.") == set()
    assert firm_pairs("㈜한결기계가 생산하는 부품은 자동차에 쓰인다.") == set()
    assert ("한결기계", "selection") not in firm_pairs("㈜한결기계가 협력사로 선정한 ㈜대양테크는 지역 업체다.")
    # An adnominal form outside a relative clause of a firm is nobody's deed.
    assert firm_pairs("㈜한결기계는 해커들이 공개한 비밀번호를 집계했다.") == set()


def test_a_main_subject_that_is_also_its_relative_clauses_subject_did_that_too() -> None:
    # `A가 개발한 X를 …했다`: no other subject follows, so A is the sentence's subject and did what
    # the relative clause says; a photo caption is the same clause with no main verb at all
    assert firm_pairs("다온랩스가 개발한 수질 측정 장비를 전시장에서 소개했다.") == {("다온랩스", "launch")}
    assert firm_pairs("새봄정밀㈜가 개발한 ‘누리 절단기’ 제품의 모습.") == {("새봄정밀", "launch")}
    assert firm_pairs("다온랩스가 작년에 인수한 공장을 증설했다.") == {("다온랩스", "investment")}
    # not what it will make, nor what it makes as a habit
    assert firm_pairs("다온랩스가 개발할 장비를 소개했다.") == set()
    assert firm_pairs("다온랩스가 생산하는 장비를 소개했다.") == set()


def test_firms_named_with_the_winner_by_wa_hamkke_won_too() -> None:
    # `A는 B, C와 함께 … 표창을 받았다`: the list joined to the winner by 와 함께 won the same prize
    assert firm_pairs("㈜한빛정밀은 새봄식품(주), ㈜누리텍과 함께 도지사 표창을 받았다.") == {
        ("한빛정밀", "award"), ("새봄식품", "award"), ("누리텍", "award")}
    assert firm_pairs("다온전자는 ㈜누리반도체와 함께 우수기업으로 선정됐다.") == {
        ("다온전자", "selection"), ("누리반도체", "selection")}
    # a government named with the winner is no firm, and wins nothing here
    assert firm_pairs("다온전자는 누리시와 함께 우수기업으로 선정됐다.") == {("다온전자", "selection")}


def test_an_agreement_carries_its_size_when_one_firm_signs_it() -> None:
    # `100만 달러 규모의 … 수출협약을 체결했다`: the size of the agreement, in its own currency
    assert amounts_of("한빛시는 ㈜다온푸드와 100만 달러 규모의 농산물 수출협약을 체결했다.") == {
        ("다온푸드", "partnership", 1_000_000, "USD")}
    # a size shared by several signers is no one's (LABELLING.md)
    shared = "한빛시는 ㈜다온은행, ㈜누리은행과 120억원 규모의 특례보증 업무협약을 체결했다."
    assert firm_pairs(shared) == {("다온은행", "partnership"), ("누리은행", "partnership")}
    assert amounts_of(shared) == set()


def test_a_firm_acting_under_this_agreement_or_certificate_has_it() -> None:
    # the signing sentence may lie outside a passage; `이번 협약` presupposes it, whatever follows
    assert firm_pairs("㈜다온시스템은 이번 협약을 토대로 새 결제 서비스를 선보일 방침이다.") == {("다온시스템", "partnership")}
    assert firm_pairs("이번 협약에 따라 ㈜누리은행이 보증 재원 20억원을 내놓는다.") >= {("누리은행", "partnership")}
    # so does one acting under this certificate, prize or selection
    assert firm_pairs("㈜다온시스템은 이번 인증을 계기로 해외 시장에 진출할 계획이다.") == {("다온시스템", "certification")}
    assert firm_pairs("이번 수상으로 ㈜누리식품은 두 해 연속 정상에 올랐다.") >= {("누리식품", "award")}
    # and one whose head or spokesperson speaks of it
    assert firm_pairs('㈜다온카드 관계자는 "이번 협약은 두 회사가 함께 여는 새 출발"이라고 말했다.') == {("다온카드", "partnership")}
    # another agreement than this one, or none named as signed, makes no party; a government earns nothing
    assert firm_pairs("㈜다온시스템은 다음 달 협약을 토대로 서비스를 넓혀갈 방침이다.") == set()
    assert firm_pairs("한빛군은 이번 선정을 계기로 사업을 넓혀갈 계획이다.") == set()


def test_a_signed_agreement_and_its_amount_told_twice_are_one_achievement() -> None:
    # the agreement sentence names no amount per firm; the next sentence does: one row each
    text = ("전북도는 3일 도청에서 ㈜대한케미칼, ㈜삼양이엔지와 1,200억원 규모의 투자협약을 체결했다. "
            "협약에 따라 대한케미칼은 850억원을 투자해 공장을 짓고, 삼양이엔지는 350억원을 들여 생산시설을 세운다.")
    found = [(a["organization"], a["type"], (a["amount"] or {}).get("value"))
             for a in analyze_text(text, PUBLISHED)["achievements"]]
    assert sorted(found) == [("대한케미칼", "investment", 85_000_000_000), ("삼양이엔지", "investment", 35_000_000_000)]


def test_firms_the_subject_picked_with_an_active_verb_are_selected() -> None:
    text = "전북도는 ㈜대한정밀, ㈜삼양테크, ㈜새만금에너지를 올해의 유망중소기업으로 뽑았다."
    assert firm_pairs(text) == {("대한정밀", "selection"), ("삼양테크", "selection"), ("새만금에너지", "selection")}
    # the same verb with persons as its object is hiring, not a selection of the employer
    assert firm_pairs("㈜삼성전자는 올해 신입사원 500명을 뽑았다.") == {("삼성전자", "hiring")}


def test_a_certificate_counts_when_acquired_not_when_named() -> None:
    assert firm_pairs("㈜해담식품은 식품안전관리인증(HACCP)을 획득했다.") == {("해담식품", "certification")}
    # 인증 as part of a description or a service is no certificate acquired
    assert firm_pairs("㈜삼성전자는 제품 인증 전문 기업인 스위스 SGS사와 공동으로 제품을 분석했다.") == set()


def test_firms_a_body_designates_as_a_kind_of_business_are_selected() -> None:
    # The first failing kind: the achievers are the objects (`…를 …으로 지정했다`). The
    # complement (…기업으로) says they are businesses, so unmarked names pass on less of the
    # model's confidence (nlp/firm_decision._chosen_as_business) and are selected.
    text = "중기부는 늘푸른농산과 비엔케이를 예비사회적기업으로 지정했다."
    assert firm_pairs(text) == {("늘푸른농산", "selection"), ("비엔케이", "selection")}
    # the passive alone stays a certificate (the own gold's convention), and a designation as
    # something else is no achievement (a real Wikinews sentence of the real-text dev split)
    assert firm_pairs("㈜스마트그린은 '우수 그린비즈' 기업으로 지정됐다.") == {("스마트그린", "certification")}
    assert firm_pairs("이에 금융위원회는 종합적인 검토결과 대전저축은행과 부산저축은행을 부실금융기관으로 지정하고 "
                      "각각 6개월간의 영업정지조치를 부과하였다.") == set()


def test_each_party_of_an_agreement_takes_its_own_figure_in_brackets() -> None:
    # The investment-attraction release: the parties of one agreement, each with its own figure in
    # brackets; the province among them is no firm and invests nothing.
    result = analyze_text("시는 5일 시청에서 경상남도, 한빛정밀㈜(300억 원), ㈜다솔(80억 원)과 투자협약을 맺었다.",
                          PUBLISHED)
    got = {(a["organization"], a["type"], (a["amount"] or {}).get("value")) for a in result["achievements"]}
    assert got == {("한빛정밀", "investment", 30_000_000_000), ("다솔", "investment", 8_000_000_000)}
    assert {o["name"]: o["kind"] for o in result["organizations"]}["경상남도"] == "government"


def test_a_list_closed_by_kinds_of_body_joined_by_mit_is_one_partner() -> None:
    # `A, B, ㈜C 등 유관기관 및 기업과 업무협약`: 및 inside the closing words broke the list in two.
    text = "도는 8일 한빛시, 가람군, ㈜한빛정밀, ㈜다솔 등 관계기관 및 기업과 업무협약을 맺었다고 9일 밝혔다."
    assert firm_pairs(text) == {("한빛정밀", "partnership"), ("다솔", "partnership")}


def test_earnings_said_in_the_sentence_after_the_firm_are_its_revenue() -> None:
    # Earnings reports name the firm, then give the figures: `3Q25 연결 기준 매출은 …`,
    # `2025년 잠정실적은 매출액 …`.
    text = "한빛중공업은 선박을 건조하는 조선사다. 2025년 잠정실적은 매출액 2조3400억원, 영업이익 1200억원으로 집계됐다."
    got = {(a["organization"], a["type"], a["amount"]["value"]) for a in analyze_text(text, PUBLISHED)["achievements"]
           if a["amount"]}
    assert ("한빛중공업", "revenue", 2_340_000_000_000) in got
    text = "한빛에너빌리티는 에너지 기업이다. 3Q25 연결 기준 매출은 1조 2500억 원을 기록했다."
    assert firm_pairs(text) == {("한빛에너빌리티", "revenue")}


def test_a_date_after_the_subject_does_not_take_it_from_the_predicate() -> None:
    # `A가 지난 12일 B가 주최한 대회에서 최우수상을 수상했다`: Kiwi reads 지난 as a verb (지나+ㄴ),
    # which took A as its subject, and the prize went to no one.
    text = ("한빛영농조합법인(대표 김철수)이 지난 3일 산업통상부가 주최하고 한국무역협회가 주관한 "
            "‘수출 우수기업 경연’에서 최우수상을 수상했다.")
    assert firm_pairs(text) == {("한빛", "award")}


def test_a_decided_investment_is_an_investment() -> None:
    text = "해외 투자 부문에서는 ㈜한빛홀딩스가 첨단산단에 90억원 투자를 결정했다."
    [achievement] = analyze_text(text, PUBLISHED)["achievements"]
    assert (achievement["organization"], achievement["type"], achievement["amount"]["value"]) == \
        ("한빛홀딩스", "investment", 9_000_000_000)
    assert firm_pairs("㈜한빛은 투자를 결정하지 않았다.") == set()


def test_a_selection_said_as_done_before_what_followed_it_stands() -> None:
    # `…사업에 선정돼 사업비를 투입해 사업을 추진했다`: 추진 is about the programme carried out,
    # not about the choosing; a condition (`선정돼야`) or a plan (`선정될 예정`) is none.
    assert firm_pairs("㈜한빛농산은 도 주관 지원사업에 선정돼 사업비 5억 원을 들여 사업을 추진했다.") == \
        {("한빛농산", "selection")}
    assert firm_pairs("㈜한빛파워는 국책과제 수행기업으로 선정되어 장비를 개발 중이며 내년 시험 운전이 가능할 "
                      "전망이다.") == {("한빛파워", "selection")}
    assert firm_pairs("㈜한빛은 이 사업에 선정돼야 국비를 받을 수 있다.") == set()
    assert firm_pairs("㈜한빛은 이 사업에 선정될 예정이다.") == set()
    assert firm_pairs("㈜한빛은 올해 수출 계약을 체결해야 한다.") == set()


def test_an_intention_or_a_forecast_is_no_achievement() -> None:
    # `…을 키워가겠다` (any verb's -겠-, not only 하겠다) and an analyst's `… 것으로 내다봤다`.
    assert firm_pairs("㈜한빛소재는 지역 일자리를 창출하고 상생 효과를 키워가겠다고 말했다.") == set()
    assert firm_pairs("한빛투자증권은 공연 관련 매출이 약 5천억원에 이를 것으로 내다봤다.") == set()
    assert firm_pairs("㈜한빛은 지난해 매출 100억 원을 기록했다.") == {("한빛", "revenue")}


def test_a_quoted_agreement_title_before_its_particle_is_still_signed() -> None:
    # `'… 업무 협약'을 체결했다`: the closing quote between the agreement and its particle hid the
    # trigger (협약을 체결) — 29 such agreements in 3,001 regional articles.
    assert firm_pairs("㈜한빛모빌리티는 ㈜누리택시와 '스마트 물류 협력 업무 협약'을 체결했다.") == {
        ("한빛모빌리티", "partnership"), ("누리택시", "partnership")}
    assert firm_pairs("한빛정밀은 '2025 지역혁신대상'을 수상했다.") == {("한빛정밀", "award")}


def test_winners_named_as_the_complement_of_a_copula() -> None:
    # `수상자는 A(농장), B(목장)이다`, `선정된 업체는 A, B, C다`: the list is the winners, with no verb of its
    # own; a complement that holds a verb names no one (`선발자는 … 운영하게 된다`).
    assert firm_pairs("군은 10개 농가를 선정했다. 수상자는 홍길동(하늘빛농장), 김철수(누리목장)이다.") == {
        ("하늘빛농장", "award"), ("누리목장", "award")}
    assert firm_pairs("올해 선정된 업체는 ㈜한빛여행사, ㈜누리투어다.") == {
        ("한빛여행사", "selection"), ("누리투어", "selection")}
    assert firm_pairs("선정된 업체는 내년부터 ㈜한빛마켓에서 제품을 팔게 된다.") == set()


def test_a_verb_used_as_a_postposition_takes_no_subject() -> None:
    # `…를 위한`, `…을 통해`: the subject before them is the main verb's. The signing people's firms
    # lost their agreement when a purpose came between.
    assert firm_pairs("한빛손해보험 홍길동 본부장과 ㈜누리에이전시 김철수 대표가 고객 정보 보호를 위한 업무협약을 "
                      "맺었다.") == {("한빛손해보험", "partnership"), ("누리에이전시", "partnership")}
    assert firm_pairs("㈜한빛바이오가 어린이를 위한 새 음료를 출시했다.") == {("한빛바이오", "launch")}


def test_a_revenue_that_fell_is_the_revenue_achieved_when_its_figure_is_given() -> None:
    assert firm_pairs("㈜대양테크의 지난해 매출은 350억원으로 6.8% 줄었다.") == {("대양테크", "revenue")}
    assert firm_pairs("㈜대양테크는 지난해 매출액이 4.1% 감소한 350억원으로 집계됐다.") == {("대양테크", "revenue")}
    assert firm_pairs("㈜대양테크는 지난해 매출이 크게 감소했다.") == set()
    assert firm_pairs("㈜대양테크는 지난해 순이익이 10% 줄었지만 배당금은 주당 300원으로 정했다.") == set()
    assert firm_pairs("㈜대양테크의 납품 계약 50억 원이 줄었다.") == set()


def test_an_adverb_of_also_after_a_bare_name_makes_it_the_subject() -> None:
    assert firm_pairs("㈜누리정밀 또한 매출 140억 원을 달성했다.") == {("누리정밀", "revenue")}
    assert firm_pairs("한빛전자㈜ 역시 전주시와 납품 계약을 체결했다.") == {("한빛전자", "contract")}


def test_a_launch_told_in_the_present_of_its_day() -> None:
    assert firm_pairs("㈜누리푸드는 봄을 맞아 딸기 잼 신제품을 선보인다.") == {("누리푸드", "launch")}
    assert firm_pairs("㈜다온배터리는 가벼운 분리막을 개발하는 데 성공했다고 밝혔다.") == {("다온배터리", "launch")}
    assert firm_pairs("㈜다온증권은 올해 수출 전망치를 내놨다.") == set()


def test_a_supply_done_and_an_investment_told_in_a_connective_clause() -> None:
    assert firm_pairs("㈜온빛코퍼레이션은 지난달 다온병원에 보온 용기 800개를 공급했다고 밝혔다.") == \
        {("온빛코퍼레이션", "contract")}
    assert firm_pairs("㈜한빛방산은 올해 120억원을 추가로 투자하며 공장을 넓혔다.") == \
        {("한빛방산", "investment")}
    assert firm_pairs("㈜한빛방산은 내년 자금의 일부를 신사업에 투자하며 설비를 늘릴 계획이다.") == set()
    assert firm_pairs("㈜한빛정밀은 로봇 구동 장치를 공급한다.") == set()    # a trade described, no deal


def test_an_investment_mou_is_an_investment_agreement() -> None:
    assert amounts_of("포항시는 ㈜한빛방산과 420억원 규모의 투자양해각서(MOU)를 체결했다.") == \
        {("한빛방산", "investment", 42_000_000_000, "KRW")}
    assert firm_pairs("구미시는 ㈜한빛정밀, ㈜누리소재와 투자 MOU를 체결했다.") == \
        {("한빛정밀", "investment"), ("누리소재", "investment")}
    assert firm_pairs("정부는 '전략적 투자 양해각서(MOU) 이행위원회'를 구성했다.") == set()


def test_both_parties_named_a_sentence_before_take_the_agreement() -> None:
    # `양사는/양측은 …`: the subject and partner the sentence before paired; each firm among them
    text = "㈜다온이 ㈜누리와 손잡고 새 서비스를 만든다. 양사는 26일 업무협약을 체결했다."
    assert firm_pairs(text) == {("다온", "partnership"), ("누리", "partnership")}
    # a third name the pair's sentence holds is no party (`A는 B와 함께 C가 주관하는 …`)
    text = ("㈜다온은 ㈜누리와 함께 ㈜한빛이 여는 사업의 수행사로 뽑혔다. "
            "양사는 이어 지역 기업과 업무협약을 체결했다.")
    assert ("한빛", "partnership") not in firm_pairs(text)
    assert {("다온", "partnership"), ("누리", "partnership")} <= firm_pairs(text)
    # one side no firm: the firm of the pair
    text = "누리연구원과 ㈜한빛에너지가 공동 연구에 나선다. 양측은 업무협약을 맺었다."
    assert firm_pairs(text) == {("한빛에너지", "partnership")}


def test_a_firm_quoted_at_the_start_of_a_sentence_keeps_its_award() -> None:
    # `…밝혔다. ‘A’는 …을 수상했다`: press releases quote names at the head of a sentence
    text = "새봄군은 ㈜누리제과가 성금을 전달했다고 밝혔다. ‘누리제과’는 지역 특산물 대회에서 대상을 수상했다."
    assert firm_pairs(text) == {("누리제과", "award")}


def test_a_subject_inside_an_earlier_relative_clause_leaves_the_firm_the_main_subject() -> None:
    # `'아이들이 고르는 간식'으로 통하는 … A가 B를 겨냥한 과자를 출시했다`: 아이들이 is the subject of
    # 고르는, which closed before A; A is the subject of both 겨냥한 and 출시했다
    text = "'아이들이 고르는 간식'으로 통하는 제과업체 ㈜누리제과가 학생층을 겨냥한 과자를 출시했다."
    assert firm_pairs(text) == {("누리제과", "launch")}
    # a topic before keeps the relative-clause reading: the export is the topic's, the development A's
    assert firm_pairs("회사는 ㈜누리정밀이 개발한 장비를 수출했다.") == {("누리정밀", "launch")}


def test_a_firms_direct_quote_of_its_deed_is_its_achievement() -> None:
    assert firm_pairs("㈜누리음료는 “과일 주스 ‘새봄’을 새로 출시했다”고 밝혔다.") == {("누리음료", "launch")}


def test_the_host_in_a_relative_clause_gets_no_share_of_the_award() -> None:
    # `군이 A가 주최한 시상식에서 …상을 수상했다`: the clause modifies 시상식, and the prize word after
    # it is the main clause's, not the host's own deed (`A가 맺은 … 계약이` still is A's)
    assert firm_pairs("광산구가 지난달 ㈜한빛은행이 주최한 시상식에서 최우수상을 수상했다.") == set()
    assert firm_pairs("㈜한빛정밀이 맺은 8천억 원 규모의 공급 계약이 공시됐다.") == {("한빛정밀", "contract")}


def test_the_triggers_own_verb_made_a_purpose_is_no_deed() -> None:
    # `인증을 획득하기 위한 절차`, `투자를 유치하기 위한 설명회`: -기 위한/위해 says what it is for
    assert firm_pairs("㈜한빛물류는 유기농 인증을 획득하기 위한 서류를 냈다.") == set()
    assert firm_pairs("㈜한빛물류는 투자를 유치하기 위한 설명회를 열었다.") == set()
    # a purpose after the deed's own clause leaves the deed (`협약을 체결하고 … 위한`)
    assert ("한빛물류", "partnership") in firm_pairs("㈜한빛물류는 협약을 체결하고 공장 설립을 위한 투자를 진행했다.")


def test_every_firm_party_of_a_quoted_agreement_signs_it() -> None:
    # `… 기업과 함께 '…을 위한 업무협약'을 체결했다`: the marks around the agreement's name kept the
    # trigger from reading as a signed agreement, and the last member lost its partnership
    text = "새봄시는 ㈜한빛시스템, ㈜누리넥스원 등 5개 기업과 함께 '드론 산업 육성을 위한 업무협약'을 체결했다."
    assert firm_pairs(text) == {("한빛시스템", "partnership"), ("누리넥스원", "partnership")}


def test_a_stated_deed_outranks_a_later_noun_of_the_same_kind() -> None:
    # One trigger per type per clause: the hire its verb states (`채용하며`), not the later noun
    # that only names its effect (`고용 창출 효과를 나타냈다`)
    text = "㈜한빛상사는 지난해 120명의 신규 인력을 채용하며 지역 고용 창출 효과를 나타냈다."
    assert amounts_of(text) == {("한빛상사", "hiring", 120, "persons")}


def test_a_capital_contribution_is_each_contributors_investment() -> None:
    # `출자` is an investment; figures listed 각각 in the members' order, and the total after them
    # (`등 총 …`) is the group's; the selection said of the same firms takes none of the figures
    text = ("전담 은행으로 선정된 ㈜한빛은행과 ㈜누리은행, ㈜다온은행이 각각 250억 원, 180억 원, 64억 원 등 "
            "총 494억 원을 출자하며, ㈜새봄자산운용이 펀드 운용을 맡는다.")
    assert amounts_of(text) == {("한빛은행", "investment", 25_000_000_000, "KRW"),
                                ("누리은행", "investment", 18_000_000_000, "KRW"),
                                ("다온은행", "investment", 6_400_000_000, "KRW")}
    assert ("한빛은행", "selection") in firm_pairs(text)


def test_both_firm_parties_of_a_deal_made_it() -> None:
    # `A는 B와 … 구매 계약을 체결했다`: B sold; the seller's side is gold and the buyer's optional
    # (LABELLING.md), and the text seldom says which is which, so each firm party gets the deal
    text = "㈜한빛중공업은 자회사 ㈜누리터빈과 320억 원 규모의 증기터빈 구매 계약을 체결했다."
    assert amounts_of(text) == {("한빛중공업", "contract", 32_000_000_000, "KRW"),
                                ("누리터빈", "contract", 32_000_000_000, "KRW")}
    # a party that is no firm gets nothing, and a list inside a relative clause is no party
    assert firm_pairs("㈜한빛중공업은 전주시와 320억 원 규모의 납품 계약을 체결했다.") == {("한빛중공업", "contract")}


def test_firms_taking_part_in_an_agreement_signing_are_its_parties() -> None:
    # `협약식에는 … 대표 등이 참석했다`, `이번 협약에는 A, B 등 협력사가 참여했다`: the sentence after the
    # signing names who signed it, firms among officials and other bodies
    text = ("전주시는 9일 시청에서 상생협력 업무협약을 체결했다. 이번 협약에는 ㈜한빛카본, ㈜누리소재 등 주요 "
            "협력사를 비롯해 새봄대학교 등이 참여했다.")
    assert firm_pairs(text) == {("한빛카본", "partnership"), ("누리소재", "partnership")}
    text = "협약식에는 전주시장, 김민준 ㈜다온타이어 대표이사 등이 참석했다."
    assert firm_pairs(text) == {("다온타이어", "partnership")}
    # a ceremony that is no agreement's names no parties
    assert firm_pairs("기념식에는 김민준 ㈜다온타이어 대표이사 등이 참석했다.") == set()
    # the same with the participle that joins the signing, and with the agreement as topic
    text = "체결식에는 박서연 ㈜솔빛물류 대표와 이도윤 새봄재단 이사장이 참석해 협약서에 서명했다."
    assert firm_pairs(text) == {("솔빛물류", "partnership")}
    text = "이번 협약은 군과 ㈜한빛에너지, 누리화학㈜ 등 2개 민간기업이 참여했다."
    assert firm_pairs(text) == {("한빛에너지", "partnership"), ("누리화학", "partnership")}


def test_a_hire_needs_hires_not_applicants_nor_a_search_under_way() -> None:
    # `채용에 N명이 지원`: the figure counts who applied; `채용을 진행 중이다`: no one is hired yet
    assert firm_pairs("㈜누리모터스 신입사원 채용에는 1200명이 지원해 30대 1의 경쟁률을 보였다.") == set()
    assert firm_pairs("㈜누리모터스 공개 채용에 2만 5000명에 육박하는 지원자가 몰렸다.") == set()
    assert firm_pairs("현재 ㈜누리모터스는 40명의 연구직 직원 채용을 진행 중이다.") == set()
    assert firm_pairs("㈜누리모터스는 지난해 신입사원 1만 2000명을 채용했다.") == {("누리모터스", "hiring")}


def test_money_a_firm_puts_into_its_plant_is_its_investment() -> None:
    # `…억원을 투입해 공장을 짓고 있다`: the firm's investment; not a facility built with the money
    assert firm_pairs("㈜한빛케미칼은 여수산단에 약 2000억원을 투입해 새 공장을 짓고 있다.") == {
        ("한빛케미칼", "investment")}
    assert firm_pairs("새봄센터는 총 3억 원을 투입해 조성했다.") == set()
    # a target made public is no launch, and does not hide the revenue said before it
    assert firm_pairs("㈜한빛타이어는 지난해 매출 3조원을 기록했고, 올해 4조원 매출 목표를 내놨다.") == {
        ("한빛타이어", "revenue")}


def test_an_event_or_a_skill_put_on_view_is_no_launch() -> None:
    # `선보이다` offers a product, or a show: an exhibition, a course, an event is no launch
    assert firm_pairs("㈜한빛백화점은 이달 말까지 본관 갤러리에서 다양한 전시를 선보인다.") == set()
    assert firm_pairs("㈜누리증권은 연휴를 맞아 고객을 위한 재테크 강좌를 선보인다.") == set()
    assert firm_pairs("㈜다온식품은 설을 맞아 새 음료 세트를 선보인다.") == {("다온식품", "launch")}


def test_winners_named_after_a_prize_as_topic_share_its_verb() -> None:
    # `우수상은 A과 B, 장려상은 C, D가 받았다`: the prize is the topic, the winners its subject, and the
    # verb is said once, after the last prize
    text = "최우수상은 ㈜한빛식품이 받았고, 우수상은 ㈜누리수산과 다온농산㈜, 장려상은 (유)새봄상회, 솔빛물산㈜이 받았다."
    assert firm_pairs(text) == {("한빛식품", "award"), ("누리수산", "award"), ("다온농산", "award"),
                                ("새봄상회", "award"), ("솔빛물산", "award")}
    assert firm_pairs("장려상은 (유)새봄상회, 솔빛물산㈜이 받았다.") == {("새봄상회", "award"), ("솔빛물산", "award")}
    assert firm_pairs("특별상은 ㈜새봄상회와 솔빛물산㈜이 각각 받았다.") == {("새봄상회", "award"), ("솔빛물산", "award")}
    # a share is no prize, and a head's own prize is only optional for the firm
    assert firm_pairs("지역 시장의 절반 이상은 ㈜한빛식품이 차지했다.") == set()
    assert firm_pairs("공로상은 이도윤 ㈜솔빛건설 대표와 박서연 ㈜새봄정밀 대표가 받았다.") == set()


def test_a_clause_cut_after_a_tenseless_connective_takes_the_sentences_forecast() -> None:
    # `…이 1% 늘고, … 기록할 것으로 예상했다`: -고 has no tense of its own; the forecast at the end of
    # the sentence is the first clause's too. `…했고,` keeps its own past.
    assert firm_pairs("㈜한빛증권은 ㈜누리전자의 내년 매출액이 1조 원으로 1% 늘고, 영업이익은 1천억 원을 "
                      "기록할 것으로 예상했다.") == set()
    assert firm_pairs("㈜한빛전자는 지난해 매출 100억 원을 기록했고, 올해는 200억 원을 달성할 것으로 "
                      "전망했다.") == {("한빛전자", "revenue")}
    # a plan after a signing joined by -고 is what came next: the signing stands
    assert firm_pairs("㈜한빛은행은 11일 업무협약을 체결하고, 150억 원 규모의 보증 지원을 추진한다고 "
                      "밝혔다.") == {("한빛은행", "partnership")}


def test_a_trigger_inside_a_bracket_measures_only_the_brackets_figure() -> None:
    # `매출 34억 원(수출 10억 원)`: the export figure is the bracket's; the figure before the bracket
    # is the revenue's (it had gone to the export, the trigger right after it)
    text = "㈜한빛정밀은 자동화 설비로 매출 34억 원(수출 10억 원), 신규 고용 25명을 기록했다."
    assert amounts_of(text) == {("한빛정밀", "revenue", 3_400_000_000, "KRW"),
                                ("한빛정밀", "export", 1_000_000_000, "KRW"),
                                ("한빛정밀", "hiring", 25, "persons")}


def test_a_firms_plant_named_as_the_partner_of_an_agreement_makes_the_firm_a_party() -> None:
    # `A 군산공장과 … 업무협약을 체결했다`: the plant between the name and its particle is the firm's
    result = analyze_text("군산대는 지난 5일 한빛전자 군산공장과 학석사통합과정인 스마트AI공학전공 설립 추진을 위한 "
                          "업무협약(MOU)을 체결했다.")
    assert ("한빛전자", "partnership") in {(a["organization"], a["type"]) for a in result["achievements"]}


def test_a_firm_whose_head_signed_an_agreement_is_its_party() -> None:
    # `㈜A 홍길동 대표(왼쪽)가 … 업무협약을 체결했다`: the person signs for the firm named before them
    result = analyze_text("사진 설명) (재)전주한지문화재단 김철수 관장(오른쪽 두 번째)과 ㈜누리테크 홍길동 대표(왼쪽 두 번째)가 "
                          "한지 산업화 추진을 위한 업무협약을 체결했다.")
    assert ("누리테크", "partnership") in {(a["organization"], a["type"]) for a in result["achievements"]}


def test_a_place_in_a_ranking_is_no_selection() -> None:
    # `… 상위권에 이름을 올렸다`: a rank in market data, not a programme's choice; a programme's list stays one
    ranked = analyze_text("종목별로는 ㈜누리바이오(9조원 증가)와 ㈜한빛소재(8조원 증가)가 시가총액 증가 상위권에 이름을 올렸다.")
    assert not [a for a in ranked["achievements"] if a["type"] == "selection"]
    chosen = analyze_text("한빛식품은 올해 백년가게에 이름을 올렸다.")
    assert ("한빛식품", "selection") in {(a["organization"], a["type"]) for a in chosen["achievements"]}


def test_the_source_a_sentence_cites_did_what_no_subject_of_its_own_did() -> None:
    # `12일 A에 따르면 … 인증을 획득했다`: press releases tell a firm's news so; not when the sentence
    # has a subject of its own, nor for what is still to come
    cited = analyze_text("3일 한빛스틸에 따르면 새 강판을 개발하고 지난달 품질 인증을 획득했다.")
    assert ("한빛스틸", "certification") in {(a["organization"], a["type"]) for a in cited["achievements"]}
    other = analyze_text("3일 한빛모터스에 따르면 김 사장은 올해의 경영인상을 수상했다.")
    assert not other["achievements"]
    coming = analyze_text("㈜누리폰에 따르면 다음 달부터 유럽 여러 나라에서 차례로 출시된다.")
    assert not coming["achievements"]


def test_a_products_market_approval_is_a_certification() -> None:
    assert firm_pairs("한빛바이오는 최근 식품의약청으로부터 ‘누리젤’의 의료기기 품목허가를 획득했다.") == {
        ("한빛바이오", "certification")}
    assert firm_pairs("한빛바이오는 2024년 미국 FDA 승인을 획득한 뒤 현지 유통을 시작했다.") == {
        ("한빛바이오", "certification")}
    # a permit to build is no certificate
    assert firm_pairs("오피스텔을 짓는 한빛건설은 구청으로부터 건축허가를 받았다.") == set()


def test_both_parties_of_a_coordinated_subject_sign_what_yangsa_signs() -> None:
    # `A와 B는 …. 양사는 …`: the pair is the whole coordinated subject, not its first member
    assert firm_pairs("한빛전자와 다온테크는 8일 서울에서 만났다. 양사는 이날 업무협약을 체결했다.") == {
        ("한빛전자", "partnership"), ("다온테크", "partnership")}


def test_a_counted_reference_means_as_many_firms_of_the_sentence_before() -> None:
    # `두 회사는`: the two firms the sentence before named, though neither was its subject; the
    # total they share is neither's
    result = analyze_text("한빛전선, 한빛일렉트릭 등 주요 계열사의 해외 사업이 늘었다. "
                          "두 회사는 올해 총 10조 원 규모의 수주를 따냈다.", PUBLISHED)
    assert {(a["organization"], a["type"]) for a in result["achievements"]} == {
        ("한빛전선", "contract"), ("한빛일렉트릭", "contract")}
    assert not any(a.get("amount") for a in result["achievements"])
    # three named and two counted: which two is not said
    assert firm_pairs("한빛전선, 한빛일렉트릭, 다온케이블 등 주요 계열사의 해외 사업이 늘었다. "
                      "두 회사는 올해 수주를 따냈다.") == set()


def test_export_towers_named_by_their_amounts_are_awards() -> None:
    # December's releases name each winner of 수출의 탑 by the tower's amount
    assert firm_pairs("이어 한빛조선㈜이 9억불탑, 누리알루미늄㈜이 2억불탑을 받았다.") == \
        {("한빛조선", "award"), ("누리알루미늄", "award")}
    assert firm_pairs("또 1천만불탑에는 ㈜솔빛이앤에스, 새봄물산㈜이 각각 이름을 올렸다.") == \
        {("솔빛이앤에스", "award"), ("새봄물산", "award")}


def test_a_deed_done_before_a_plan_in_one_sentence_stays_done() -> None:
    # `…올렸고 향후 … 계획하고 있다`: the past connective ends the deed; the plan is the next statement's
    found = analyze_text("한빛힐은 2024년 기준 약 60억 원의 수출 실적을 올렸고 향후 품목을 늘려 해외시장 확대를 계획하고 있다.")
    assert [(a["organization"], a["type"], a["amount"]["value"]) for a in found["achievements"]] == \
        [("한빛힐", "export", 6_000_000_000)]
    assert firm_pairs("한빛힐은 품목을 늘려 해외시장 확대를 계획하고 있다.") == set()


def test_a_partnership_signed_is_a_partnership_of_both_parties() -> None:
    assert firm_pairs("한빛바이오는 누리바이오파마와 파트너십 계약을 체결했다.") == \
        {("한빛바이오", "partnership"), ("누리바이오파마", "partnership")}
    assert firm_pairs("한빛관광개발은 지난 27일 누리크루즈와 3년간의 파트너십을 맺었다.") >= {("한빛관광개발", "partnership")}


def test_an_investment_completed_is_the_investors_and_the_investees_funding() -> None:
    found = analyze_text("한빛투자증권은 데이터 플랫폼 누리랩에 100억원 규모의 전략적 투자를 완료했다고 29일 밝혔다.")
    assert {(a["organization"], a["type"], a["amount"]["value"]) for a in found["achievements"]} == \
        {("한빛투자증권", "investment", 10_000_000_000), ("누리랩", "funding", 10_000_000_000)}
    assert firm_pairs("한빛인베스트먼트가 146억 원을 리드 투자하면서 가능성을 재확인했다.") == {("한빛인베스트먼트", "investment")}


def test_picked_as_the_winner_is_a_selection() -> None:
    # 낙점받다 is 선정되다's word for a winning bid (`…을 제안해 최종 낙점받았다`)
    assert firm_pairs("한빛전력은 컨소시엄을 구성해 저장장치 구축 사업을 제안해 최종 낙점받았다.") == {("한빛전력", "selection")}


def test_a_deed_said_as_a_condition_is_not_done() -> None:
    # -면, -ㄹ 경우 and 때 with a topic marker make the trigger hypothetical; -면서 does not
    assert firm_pairs("한빛건설이 실시설계 적격자로 선정되면 실시설계에 즉시 착수한다.") == set()
    assert firm_pairs("한빛전자가 누리와 계약을 체결하면 공장을 증설한다.") == set()
    assert firm_pairs("한빛전자는 부품 공급 계약 수주 땐 공장을 증설한다.") == set()
    assert firm_pairs("한빛전자는 우수기업으로 선정되면서 신제품을 출시했다.") == \
        {("한빛전자", "selection"), ("한빛전자", "launch")}


def test_hiring_is_people_hired_with_their_number() -> None:
    # LABELLING.md: hiring is people hired, in persons; without a head count 채용 and 일자리 describe
    # a firm, a policy or a search under way
    assert firm_pairs("다온식품은 올해 신입사원 30명을 채용했다.") == {("다온식품", "hiring")}
    assert firm_pairs("다온식품은 지난달 경력직 채용에 나섰다.") == set()
    assert firm_pairs("한빛정밀은 청년 일자리를 창출하며 마을의 자립을 돕는 기업이다.") == set()


def test_a_sentence_without_a_subject_goes_on_about_the_firm_before() -> None:
    # Korean leaves out a subject the sentence before gave: `A는 …이다. 지난해 … 선정됐다`
    text = "한빛정밀은 전주에 본사를 둔 부품업체다. 지난해에는 중소벤처기업부의 스마트공장 지원사업에 선정됐다."
    assert firm_pairs(text) == {("한빛정밀", "selection")}
    text = "㈜다온바이오는 2019년 설립됐다. 올해 초 미국 기업과 50억원 규모의 공급계약을 체결했다."
    assert firm_pairs(text) == {("다온바이오", "contract")}
    # not when the sentence before was about someone else, nor when this one has its own subject
    assert firm_pairs("전북도는 한빛정밀을 방문했다. 지난해에는 중소벤처기업부의 지원사업에 선정됐다.") == set()
    assert firm_pairs("한빛정밀은 부품업체다. 이 사업에는 모두 12개 기업이 선정됐다.") == set()


def test_a_product_developed_in_a_joined_clause_is_a_launch() -> None:
    # `A는 …을 개발해 …을 구축했다`, `…은 A가 처음으로 개발한 것이다`: the development is done,
    # whatever the clause after it goes on to; a plan after it keeps it a plan
    assert firm_pairs("㈜누리칩스는 전력 제어칩을 개발해 생산 설비를 갖췄다.") == {("누리칩스", "launch")}
    assert ("다온마그넷", "launch") in firm_pairs("이 건조기는 ㈜다온마그넷이 처음으로 개발한 것이다.")
    assert ("솔빛에너지", "launch") in firm_pairs("㈜솔빛에너지는 배터리 관리 기술을 꾸준히 개발해왔다.")
    assert firm_pairs("㈜누리칩스는 새 소재를 개발해 내년에 출시할 계획이다.") == set()
    # a development that served the deed the clause goes on to name is that deed's means
    assert firm_pairs("㈜누리칩스는 관제 프로그램을 개발해 15억 원 규모의 공급 계약을 맺었다.") == \
        {("누리칩스", "contract")}


def test_a_revenue_forecast_or_estimate_is_no_achievement() -> None:
    # `…으로 예측됐다`, `…으로 추산됐다`: a forecast or an outsider's estimate, as `내다봤다` is
    assert firm_pairs("㈜한빛전자의 올해 매출은 3조원으로 예측됐다.") == set()
    assert firm_pairs("㈜누리제당의 관련 매출액은 2천억원으로 추산됐다.") == set()
    assert firm_pairs("㈜한빛전자의 올해 매출은 3조원을 기록했다.") == {("한빛전자", "revenue")}


def test_a_plan_made_public_is_no_launch() -> None:
    # `…건립 계획을 공개했다`, `배당 계획을 내놨다`: what is made public is a plan (LABELLING.md)
    assert firm_pairs("㈜한빛바이오는 새 물류센터 건립 계획을 공개했다.") == set()
    assert firm_pairs("㈜누리전자는 2천억원 규모 배당 계획을 내놨다.") == set()
    assert firm_pairs("㈜누리전자는 새 스마트폰을 공개했다.") == {("누리전자", "launch")}
    # nor are figures or findings made public (`지난해 실적을 공개했다`, `조사 결과를 내놨다`)
    assert firm_pairs("㈜누리전자는 지난 분기 실적을 공개했다.") == set()
    assert firm_pairs("㈜한빛리서치는 소비자 설문 결과를 내놨다.") == set()


def test_a_body_choosing_then_honouring_gives_the_chosen_their_selection() -> None:
    from nlp.pipeline import analyze_text

    out = analyze_text("한빛시는 ㈜누리텍과 다온케미칼㈜을 올해의 ‘착한 납품기업’으로 선정하고 시장 표창장을 수여했다.")
    assert {(a["organization"], a["type"]) for a in out["achievements"]} >= {
        ("누리텍", "selection"), ("다온케미칼", "selection")}
    # chosen for a prize, the firm won it: one award
    out = analyze_text("㈜누리텍은 우수기업으로 선정돼 장관 표창을 받았다.")
    assert {(a["organization"], a["type"]) for a in out["achievements"]} == {("누리텍", "award")}


def test_one_firm_read_twice_in_a_role_is_one_party(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two mentions merged as aliases can stand twice in one role; the agreement still has one party
    there, with one achievement (it crashed the stage on a real article: no other party to name)."""
    import nlp.achievements as achievements

    original = achievements._read_roles

    def twice(*args, **kwargs):  # type: ignore[no-untyped-def]
        read = original(*args, **kwargs)
        if read is None or not read.receivers:
            return read
        first = read.receivers[0]
        return achievements._Read([first, first], read.givers)

    monkeypatch.setattr(achievements, "_read_roles", twice)
    found = analyze_text("한빛정밀은 지난 3일 본사에서 기술 교류 업무협약을 체결했다.", None)["achievements"]
    partnerships = [a for a in found if a["type"] == "partnership"]
    assert [a["organization"] for a in partnerships] == ["한빛정밀"]


def test_an_agreement_signed_then_what_was_agreed_on_there() -> None:
    """`협약을 체결하고 …하기로 했다` reads as the same sentence with a comma after 체결하고: the
    signing is done and the sentence ends with what the parties agreed on. A planned one stays out."""
    for text in ("한빛정밀과 솔빛테크는 지난 3일 업무협약을 체결하고 감속기 부품을 공동 개발하기로 했다.",
                 "한빛정밀과 솔빛테크는 지난 3일 업무협약을 맺고 감속기 부품을 공동 생산하기로 합의했다."):
        found = {(a["organization"], a["type"]) for a in analyze_text(text, None)["achievements"]}
        assert {("한빛정밀", "partnership"), ("솔빛테크", "partnership")} <= found, text
    planned = "한빛정밀과 솔빛테크는 다음 달 업무협약을 체결하고 공동 개발에 나설 예정이다."
    assert not analyze_text(planned, None)["achievements"]


def test_a_firm_a_relative_clause_of_its_own_deed_modifies_did_it() -> None:
    # the clause names no subject, so the firm it modifies made or launched the thing
    assert firm_pairs("국내 최초로 교육용 드론을 개발한 한빛로보틱스는 올해 창립 20주년을 맞았다.") == {
        ("한빛로보틱스", "launch")}
    assert ("다온링크", "launch") in firm_pairs("자율주행 로봇 'DX1'을 선보인 다온링크㈜, 순찰 로봇을 만든 새봄공간 등이 참여했다.")
    # with its own subject the clause is another's deed, and the named thing is a product
    assert firm_pairs("누리전자가 개발한 한빛센서는 정밀하다.") == {("누리전자", "launch")}
    # a quoted name after the verb is the product; a name before its head noun is not the doer
    assert firm_pairs("회사는 자체 개발한 ‘한빛지원시스템’으로 업무를 관리한다.") == set()
    assert ("한빛금융", "investment") not in firm_pairs("지난해 누리랩스에 50억 원을 투자한 한빛금융 자회사 한빛캐피탈이 지분을 늘렸다.")
    # a show put on is no product
    assert firm_pairs("화려한 공연을 선보인 한빛엔터는 박수를 받았다.") == set()


def test_a_thing_made_for_export_is_no_export() -> None:
    assert firm_pairs("한빛바이오는 건강기능식품의 수출용 제품인 '한빛플러스'를 개발했다.") == {("한빛바이오", "launch")}
    assert ("한빛바이오", "export") in firm_pairs("한빛바이오는 지난해 미국에 50만 달러어치를 수출했다.")

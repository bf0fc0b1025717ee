"""Who decides what: the rules' decisive evidence, the firm model for everything else, then lists.

Decisive evidence stays with the rules (nlp/orgs.py): a legal form (㈜A, A 영농조합법인) makes a
firm; a known organisation or alias (data/lexicon/organizations.toml) and a telling non-firm
suffix (…진흥원, …대학교, 익산+시) give their kind; datelines and the outlet are media. Weak
evidence — a listed company, a konec form, a firm-like suffix (…전자, …푸드) — no longer decides
alone: such a name competes with the model's candidates for its span (`SK` against `SK
와이번스`), and the model's reading of it in its sentence sets its kind. Every other candidate
the model accepts becomes an organisation: a firm when the model says so, else a non-firm whose
kind comes from its suffix or the kind classifier. Last, list expansion (nlp/lists.py) makes
firms of the other members of a list that holds a firm or counts firms (`등 5개 기업`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Sequence

from nlp.candidates import (SEPARATOR_MARKS, inside_english_phrase, misread_inside, split_unknown, term_acronym,
                            words_of)
from nlp.canonical import QUOTES_CLOSE, QUOTES_OPEN, canonical_name
from nlp.firm_features import (COMMON_ID, branch_after, business_noun_before, chief_executive_of,
                                described_as_business, describes_next_name, firm_cue, headed_after_person,
                                headed_by_person, is_place, named_as_brand, named_as_thing, non_firm_cue, person_after,
                                person_shaped, person_then_body, proper_noun, representative_after, spoken_for, word_kind)
from nlp.firm_model import FirmModel, Scored, score_sentences
from nlp.kinds import predict_kinds
from nlp.kiwi import get_kiwi, reads_as_ordinary
from nlp.lexicon import known_orgs, listed_firms, suffix_rules
from nlp.lists import Member, firms_by_list
from nlp.names import known_name, konec_forms
from nlp.orgs import (COUNTED_MEMBER, LISTED_EVIDENCE, STOCK_CODE, OrgHit, _is_club, _kind_by_suffix, _tokens_in,
                      branch_ending)

DECISIVE = ("legal form", "known name", "affiliate", "dateline", "wire dateline", "outlet", COUNTED_MEMBER,
            STOCK_CODE)
MODEL_EVIDENCE = "model"
KONEC_EVIDENCE = "konec form"
LIST_EVIDENCE = "list"
# A weak rule name the model has not scored keeps this confidence in the overlap contest.
UNSCORED_RULE = 0.6
# A listed or konec name this short is often a fragment of a longer name or a person's name
# (러셀 of 에디슨 러셀, 아스트 of 아스트로): the model may drop it when it is this sure.
SHORT_NAME = 3
SHORT_NAME_VETO = 0.9
CUE_EVIDENCE = "cue"
# A cue says "a business", not "a name": a candidate the model is this sure is no name at all (직원
# 유모 씨, 사장단, 주민세, 기업 519개사 after 업체/기업) stays none despite the word before it — but
# not a topic the sentence itself calls a business (`꿈나무숲은 …을 만드는 회사다`): the clause says it.
CUE_NOT_A_NAME = 0.97
# The firm model's features for a part in a business clause (nlp/firm_features.py).
_BUSINESS_ROLES = frozenset({"biz_subject", "biz_partner", "business_noun_after"})


def is_decisive(hit: OrgHit) -> bool:
    """Evidence the model never overrules: legal forms, known names, telling non-firm suffixes,
    datelines, and cooperatives (the suffix table sorts producer from trade cooperatives, and names a
    local cooperative by its short name a firm: `MG새마을금고`, which the kind classifier, left to
    itself, reads as a school)."""
    return hit.evidence in DECISIVE or (hit.evidence == "suffix" and (
        hit.kind != "firm" or hit.name.endswith(_cooperative_ends())))


@lru_cache(maxsize=1)
def _cooperative_ends() -> tuple[str, ...]:
    return ("조합", *suffix_rules().local_coops)


def _named_as_product(text: str, start: int, end: int) -> bool:
    """The name from `start` to `end` is given as a brand's (`브랜드 ‘A’`) or, quoted, as a product's,
    a service's or a programme's (`서비스 ‘A’를`): a thing, no organisation."""
    return named_as_brand(text, start) or named_as_thing(text, start, end)


def _sentence_at(sentences: Sequence, position: int):  # type: ignore[no-untyped-def]
    """The Kiwi sentence that holds `position`, or None."""
    return next((s for s in sentences if s.start <= position < s.end), None)


def _sentence_text(text: str, sentences: Sequence, position: int) -> str:
    """The Kiwi sentence of `text` that holds `position` (the whole text if none does)."""
    sentence = _sentence_at(sentences, position)
    return text[sentence.start:sentence.end] if sentence is not None else text


def _sentence_tokens_in(sentences: Sequence, start: int, end: int) -> list:
    """The Kiwi tokens of text[start:end], from the sentence that holds it."""
    sentence = _sentence_at(sentences, start)
    return _tokens_in(start, end, sentence.tokens) if sentence is not None else []


@dataclass
class _Option:
    start: int
    end: int
    score: float
    hit: OrgHit | None = None        # a rule hit, or
    scored: Scored | None = None     # a model candidate
    tie: float = 0.0                 # breaks a tie of scores: the model's own reading of a cue's span


def decide(text: str, sentences: Sequence, hits: list[OrgHit], model: FirmModel) -> list[OrgHit]:
    scored = score_sentences(text, sentences, model, [h.start for h in hits if not is_decisive(h)])
    by_span = {(s.candidate.start, s.candidate.end): s for s in scored}
    options: list[_Option] = []
    partners = _partner_pieces(scored)
    # `… 브랜드 ‘A’`: a brand named as such, here and wherever the text names it again
    brands = {s.candidate.text.replace(" ", "") for s in scored
              if _named_as_product(text, s.candidate.start, s.candidate.end)} \
        | {h.name for h in hits if h.evidence == KONEC_EVIDENCE and _named_as_product(text, h.start, h.end)}
    sectors = {h.name for h in hits if h.evidence in (LISTED_EVIDENCE, KONEC_EVIDENCE)
               and _named_as_sector(text, h.start, h.end)} \
        | {s.candidate.text.replace(" ", "") for s in scored
           if not s.candidate.tail and _named_as_sector(text, s.candidate.start, s.candidate.end)}
    no_organisation = brands | sectors
    for hit in hits:
        if is_decisive(hit):
            options.append(_Option(hit.start, hit.end, 2.0, hit=hit))
            continue
        if hit.evidence == KONEC_EVIDENCE and hit.name in brands:
            continue        # a name konec's labellers knew, given here as a brand's (`대표 브랜드인 ‘A’는`)
        if hit.kind == "firm" and _only_an_ending(hit.name):
            continue        # `저축은행과 상호금융`, `다온 저축은행이`, `누리 컨설팅 코리아`: a konec form or a
            #                 word that is a firm's ending alone names a sector or the end of a longer name
            #                 (7 such firms over the 3,370 dev-side regional articles, none a firm)
        if hit.evidence in (LISTED_EVIDENCE, KONEC_EVIDENCE) and hit.name in sectors:
            continue        # `미래산업 분야`, `7대 미래산업`: a listed name the text uses as the phrase it also is
        if _venue(text, hit.name, hit.end):
            continue        # a listed hotel where something was held: a venue, not an organisation here
        verdict = by_span.get((hit.start, hit.end))
        if hit.evidence == "suffix" and hit.kind == "firm" and " " not in hit.surface \
                and trade_name(hit.name, _sentence_tokens_in(sentences, hit.start, hit.end), hit.end):
            continue        # `로봇산업 연관 소재`: the firm ending after ordinary words names a trade
        if hit.evidence == "suffix" and hit.kind == "firm" and verdict is not None and describes_next_name(
                text, verdict.pieces, verdict.candidate, partners[verdict.candidate.sentence], compounds=True):
            continue        # `한빛식품 유통업체인 A`: the trade of the firm named next
        other = _non_firm(text, verdict)
        if other is not None and hit.kind == "firm":
            # `원 소속팀인 흥국생명`, `한화 감독`: a listed name standing for a team or a body
            options.append(_Option(hit.start, hit.end, 1.9, hit=OrgHit(hit.start, hit.end, hit.surface, hit.name,
                                                                        other, hit.evidence)))
            continue
        if verdict is None:
            options.append(_Option(hit.start, hit.end, UNSCORED_RULE, hit=hit))
        elif verdict.p_firm >= model.firm_threshold and verdict.p_firm >= verdict.p_org:
            firm = OrgHit(hit.start, hit.end, hit.surface, hit.name, "firm", hit.evidence)
            options.append(_Option(hit.start, hit.end, 1.0 + verdict.p_firm, hit=firm))
        elif verdict.p_org >= model.org_threshold and verdict.p_org > verdict.p_firm:
            if hit.evidence == LISTED_EVIDENCE and verdict.p_org < LISTED_NAME_ORG \
                    and not _SPORTS_PAGE.search(_sentence_text(text, sentences, hit.start)):
                # a listed company in a market report (`SK하이닉스의 호실적`): the list's word stands,
                # and outranks the model's own reading of the span
                options.append(_Option(hit.start, hit.end, 1.0 + verdict.p_org, hit=hit))
                continue
            # a listed name read as something else here (`SK` the team, `한화` the club)
            kind = hit.kind if hit.kind != "firm" else _org_kind(hit.name, predict_kinds([hit.name])[0])
            other = OrgHit(hit.start, hit.end, hit.surface, hit.name, kind, hit.evidence)
            options.append(_Option(hit.start, hit.end, 1.0 + verdict.p_org, hit=other))
        elif len(hit.name) <= SHORT_NAME and verdict.p_none >= SHORT_NAME_VETO:
            continue    # 러셀 the batter, 아스트 cut from 아스트로: a short listed name the model rejects
        else:       # the model has no strong view: the list's or suffix's word stands
            options.append(_Option(hit.start, hit.end, UNSCORED_RULE, hit=hit))
    owners = sorted({h.end for h in hits} | {s.candidate.end for s in scored if s.best >= model.firm_threshold})
    for item in scored:
        c = item.candidate
        if inside_english_phrase(text, item.pieces, c.first_piece, c.last_piece) \
                and not known_name(c.text.replace(" ", "")):
            continue        # `European Infrastructure Development UCITS ETF`: words of a longer English phrase
        if _bare_ending(c):
            continue        # `누리 컨설팅 코리아(대표 …)`: a cue after a firm's ending alone belongs to a longer name
        score = _cue_score(text, item, model) if model.cues else None
        if score is not None:
            cue = _hit(text, item, "firm", CUE_EVIDENCE)
            # two spans of one name may both have the cue (`기업 AI 바빌론이`: with and without the
            # particle Kiwi left on it); the model's reading picks between them
            options.append(_Option(item.candidate.start, item.candidate.end, score, hit=cue, tie=item.best))
            continue
        if not model.adds:
            continue
        weak = item.p_firm < _firm_limit(text, item, model) and item.p_org < model.org_threshold
        other = _non_firm(text, item) if not weak or item.p_none < 0.5 else None
        if weak and other != "media":
            continue        # a name the text calls an outlet (`A, B 등 외신은`) needs no more of the model
        if other is not None:
            if other == "media":    # `영국 매체 미러`: the outlet stays, as an outlet
                options.append(_Option(item.candidate.start, item.candidate.end, item.best,
                                       hit=_hit(text, item, "media", MODEL_EVIDENCE)))
            continue        # the text says it is a team or another kind of body: not the model's firm
        if describes_next_name(text, item.pieces, item.candidate, partners[item.candidate.sentence], compounds=True) \
                or _names_a_sector(text, item.candidate) or _trade_word(item.candidate) \
                or _only_before_class_nouns(text, item.candidate.text):
            continue        # `e-모빌리티 기업 ㈜영광모터스`, `우주항공 분야의`: a sector word, not a name
        if _alone(text, sentences[item.candidate.sentence], item.candidate):
            continue        # a line that is nothing but the name (`PHOTO NEWS`, a menu): no context to read
        if text.startswith("=", item.candidate.end):
            continue        # `[한빛일보=홍길동 기자]`, `△원주시장상=…`: a byline's outlet, a dateline or a heading
        if _part_of_a_title(text, sentences[item.candidate.sentence], item.candidate):
            continue        # `'한빛 누리Pay 든든 카드'가 나왔다`: a product's or an event's title
        if _venue(text, item.candidate.text, item.candidate.end):
            continue        # `그랜드 힐튼호텔에서 개최됩니다`: a venue, in neither list (LABELLING.md)
        if item.candidate.text.endswith(suffix_rules().division_words):
            continue        # `MX사업부`: a division is part of its organisation, no organisation of its own
        if _names_a_place(item.candidate.text) or _among_places(text, item.candidate) \
                or _owned(text, item.candidate.start, owners) or _branch_of_name_before(text, item.candidate, owners) \
                or _surname_and_title(item.candidate.text) or _bracketed_person(text, item.candidate) \
                or _person_with_title(text, item) or _title_of_person(text, item) \
                or person_then_body(text, item.pieces, item.candidate):
            continue        # `세풍산단`; `㈜한울식품의 떡볶이 밀키트가`; `이씨`, `(정태봉 회장)`, `홍길동 대표`:
            #                 a place, a product, a person; `홍길동 GA영업부문장`: a person's title;
            #                 `홍길동 A 대표`: the person and the body, two names
        if item.p_firm >= item.p_org and _among_common_nouns(text, item.candidate):
            continue        # `바이오·X·관광 등`, `ISA, X, 연금계좌 등`: listed with things, itself a thing
        if _latin_gloss(text, item.candidate):
            continue        # `쉴드AI(Shield AI)`, `TGV(Through Glass Via)`: the word's own letters, not a name
        if _ordinary_words(bare := item.candidate.text.replace(" ", ""), _model_alone_common_id(bare)):
            continue        # `명문장수기업`, `종합건설사업자`: common words Kiwi knows well, run together —
            #                 a description; with no cue, no list and no legal form, no name
        if item.p_firm >= item.p_org and _one_dictionary_noun(item.candidate.tokens):
            continue        # nor is one noun of Kiwi's dictionary however rare a firm (`디저트`, `대부업`,
            #                 `커리어`: the model's 10 such firms over 3,262 regional dev articles, none a
            #                 firm); a body's short name may be one (`조달청`, `금통위`)
        if item.candidate.text.replace(" ", "") in no_organisation:
            continue        # `… 브랜드 ‘A’가 신제품을 출시했다`: a brand named as such is no organisation,
            #                 nor where the text names it again (`A의 핵심 성분`); nor a sector's phrase
        options.append(_Option(item.candidate.start, item.candidate.end, item.best, scored=item))
    chosen: list[_Option] = []
    for option in sorted(options, key=lambda o: (-o.score, -o.tie, o.start)):
        if not any(option.start < c.end and c.start < option.end for c in chosen):
            chosen.append(option)
    kept = [o.hit for o in chosen if o.hit is not None]
    model_items = [o.scored for o in chosen if o.scored is not None]
    kinds = iter(predict_kinds([s.candidate.text for s in model_items if s.p_firm < s.p_org]))
    for item in model_items:
        predicted = next(kinds) if item.p_firm < item.p_org else None
        kind = "firm" if item.p_firm >= item.p_org else _org_kind(item.candidate.text, predicted)
        if predicted is not None and predicted[0] == "firm" and predicted[1] >= NAME_SAYS_FIRM \
                and _named_like_a_firm(item):
            kind = "firm"   # `삼성SDS 컨소시엄이`, `한화큐셀이 … 추진하는`: an organisation whose name is a firm's
        if kind == "other" and _in_business_role(text, item) and not _telling_suffix(item):
            kind = "firm"   # no telling kind, and it signs, sells or is selected: a business
        if _is_club(item.candidate.text.replace(" ", "")):
            kind = "other"  # `SK 와이번스`: the model read the sponsor's name, the ending says a club
        kept.append(_hit(text, item, kind, MODEL_EVIDENCE))
    kept = _transliterations(text, _widened(text, scored, kept, model.org_threshold))
    if model.lists:
        kept += _list_firms(text, scored, kept, model.org_threshold)
    return kept


def _cue_score(text: str, item: Scored, model: FirmModel) -> float | None:
    """The text around the name says a firm is named (its score in the overlap contest), or None."""
    c = item.candidate
    called_a_business = described_as_business(text, c)
    if item.p_none < 0.5 and _latin_name_after_business_noun(text, item):
        # `배터리 제조사 CATL은`, `운용사인 EQT는`: the model reads a run of capitals as an agency's
        # acronym; after a noun for a business it is a firm's name
        return 1.5
    if firm_cue(text, item.pieces, c) and not _person_or_place_here(text, item) \
            and item.p_org < model.org_threshold and (item.p_none < CUE_NOT_A_NAME or called_a_business) \
            and _name_like(item, compounds=representative_after(text, c) or called_a_business
                           or branch_after(text, c)):
        # `수산 가공업체 A는`, `식품 기업인 A`, `A(대표 홍길동)`: the text says it is a firm; with its
        # representative named, even a name of ordinary words is one (`푸른들농장(대표 …)`)
        return 1.5
    if headed_by_person(text, item.pieces, c) \
            and _a_named_body(text, item, model, headed=headed_after_person(text, item.pieces, c)) \
            and not _person_or_place_here(text, item) and not is_place(c.text) and _may_be_a_firms_name(c.text):
        # `홍길동 A 대표는`, `A 홍길동 대표이사가`: the body a representative heads, a firm unless its
        # ending says otherwise — the model reads the person's name and title as no name at all
        return 1.5
    if chief_executive_of(text, item.pieces, c) and _a_named_body(text, item, model) and not _place(c.text) \
            and _may_be_a_firms_name(c.text) and not _ordinary_words(c.text):
        # `일론 머스크 A 최고경영자(CEO)는`: the firm a foreign chief executive heads (not `스타기업 CEO`)
        return 1.5
    if spoken_for(text, item.pieces, c) and _a_named_body(text, item, model) \
            and item.p_firm < _firm_limit(text, item, model) and not _person_or_place_here(text, item) \
            and not _ordinary_words(c.text) and _named_like_a_firm(item) and proper_noun(c.tokens, latin=True) \
            and _says_firm(c.text, SPOKEN_FOR_FIRM):
        # `A 관계자는`: a body speaks; a proper noun, its name's letters say which kind (the model,
        # reading a context any body shares, mostly says none: 쿠팡 0.87; `업계 관계자`, `펜션` are words)
        return 1.2
    return None


def _latin_name_after_business_noun(text: str, item: Scored) -> bool:
    """A name of Latin capitals right after a noun for a business (`제조사 CATL`, `운용사인 EQT`,
    `자회사 AXZ`), not after 법인 (`…사업법인 DSC 5개소`: the body's facility) nor 기업인 (also a
    businessperson). Over 3,432 regional dev articles the model read such a name as another body 5
    times (CATL, EQT, AXZ), each a firm; Hangul names there are councils and clubs as often
    (`제조사 안전보건협의체`), so they stay with the model. The caller asks the model that it is a
    name at all (`중소기업 R&D`, `기업 CEO`)."""
    c = item.candidate
    if c.words != 1 or not _LATIN_WORD.fullmatch(c.text) or c.first_piece == 0:
        return False
    prev = item.pieces[c.first_piece - 1]
    return not text[prev.core_start:prev.end].endswith(("법인", "법인인")) \
        and business_noun_before(text, item.pieces, c, strict=True) and not person_after(text, c)


def _a_named_body(text: str, item: Scored, model: FirmModel, headed: bool = False) -> bool:
    """A name with Hangul that the model does not take for another kind of body, whose ending and
    context tell no other kind, and that is no trade word: what a head's title or a spokesperson can
    make a firm. `headed`: the name stands between a person and their title (`홍길동 블루타일
    대표`, `홍길동 희망산업 대표`), where one word of common nouns, or a trade's ending after one
    (희망+산업), can only be the body's name — no one heads a sector."""
    c = item.candidate
    return item.p_org < model.org_threshold and _non_firm(text, item) is None \
        and _kind_by_suffix(c.text, []) in (None, "firm") and _name_like(item, compounds=headed) \
        and (headed or not _trade_word(c)) \
        and re.search(r"[가-힣]", c.text) is not None


# How sure the model must be that a listed company's name stands for another kind of body here.
# At the org threshold (0.5) the model read listed firms in market reports as other bodies
# (`SK하이닉스의 호실적`, `삼성SDS와도 … 건립을 추진`, `HLB(-2.83%)`: 3 of the regional dev
# split's firms); a team or body the text names as such (`한화 감독`) is read by the cues before
# the model. Real-text dev firm F1 0.827 → 0.830, the same at 0.8, 0.9 and with no such reading.
LISTED_NAME_ORG = 0.8
# … unless its sentence is about a game: Korea's professional teams carry their sponsors' names
# (`두산 포수`, `KCC 골밑`, `모비스와의 프로농구`, `LG는 … 준플레이오프`), and there the model's
# reading of another body stands at the usual threshold.
_SPORTS_PAGE = re.compile(r"경기|시즌|리그|플레이오프|한국시리즈|감독|선수|구단|투수|포수|타자|타석|홈런|안타|득점|골밑|"
                          r"프로야구|프로농구|프로배구|프로축구|연승|연패|이닝|쿼터|세트스코어|리바운드|어시스트|골키퍼|원정|홈경기")


# A name followed by a word for a sector, or counted as one of N sectors (`N대`), is the common
# phrase it also is (`미래산업 분야`, `강원 7대 미래산업`, `푸드테크 산업`); then every mention of it in
# the text is, listed or not. Not 생태계 or 클러스터: a platform's (`카카오 생태계`) or a firm's are
# named so too.
_SECTOR_WORD_AFTER = re.compile(r"\s?(?:분야|산업|업종)(?![가-힣])")
_SECTORS_COUNTED_BEFORE = re.compile(r"\d+\s?대\s$")


def _named_as_sector(text: str, start: int, end: int) -> bool:
    return _SECTOR_WORD_AFTER.match(text, end) is not None \
        or _SECTORS_COUNTED_BEFORE.search(text, max(0, start - 6), start) is not None


def _firm_limit(text: str, item: Scored, model: FirmModel) -> float:
    """How sure the model must be to add a firm. Less sure for a name that is the subject or the
    partner of a business predicate, or followed by a business noun (`A가 …을 출시했다`, `A와
    계약을 맺었다`, `A 대표`): there the clause already says much of what a listed name or a legal
    form would, and a local firm's opaque name (미광진, 준은광) leaves the model in two minds. Never
    less for a person's name with a title beside it (`통상정책국장 윤채민은`, `김도윤 대표가`): a
    person does those things too. Nor for a body a person heads whose name's letters say it is
    another kind (`홍길동 A당 대표는`): the slot's cue is refused it (_may_be_a_firms_name), and the
    title 대표 alone must not let an unsure reading through instead."""
    if model.role_threshold is None or not _in_business_role(text, item) or _titled_person(text, item):
        return model.firm_threshold
    c = item.candidate
    if headed_by_person(text, item.pieces, c) and not _may_be_a_firms_name(c.text):
        return model.firm_threshold
    return model.role_threshold


def _in_business_role(text: str, item: Scored) -> bool:
    roles = _BUSINESS_ROLES & item.features.keys()
    flagship = _FLAGSHIP.match(text, item.candidate.end) if roles == {"business_noun_after"} else None
    if flagship is not None and _common_noun_first(flagship.group("noun")):
        roles = set()       # `강진군의 대표 귀농 지원 프로그램`: 대표 before a common noun is "flagship"
    return bool(roles) or _chosen_as_business(text, item.candidate)


# 대표 as "flagship", said of any body or place (`영강동 대표 겨울나기 사업`, `지역 대표 축제`): a
# common noun of two syllables or more after it, then more nouns or a particle; the head's title
# stands before a person's name (`A 대표 홍길동은`) or a particle (`A 대표는`). Which the word after
# 대표 is, Kiwi says (`_common_noun_first`).
_FLAGSHIP = re.compile(r"\s*대표\s(?P<noun>[가-힣]{2,})")


@lru_cache(maxsize=4096)
def _common_noun_first(word: str) -> bool:
    tokens = get_kiwi().tokenize(word)
    return bool(tokens) and tokens[0].tag == "NNG" and tokens[0].len >= 2


# `…을 올해 스마트공장 우수기업으로 선정했다`, `…이 예비사회적기업으로 지정됐다`: chosen *as a business*.
_AS_BUSINESS = re.compile(r"[^.?!\n]{0,40}?(?:기업|업체|회사|사업자|스타트업|기업체|협력사|벤처)(?:으)?로\s?"
                          r"(?:선정|지정|선발|뽑|꼽|인증|등록)")


def _chosen_as_business(text: str, candidate) -> bool:  # type: ignore[no-untyped-def]
    """The object of a choosing verb whose complement is a kind of business (`A를 …우수기업으로
    선정했다`), or its subject in the passive (`A가 강소기업으로 지정됐다`): the clause says the
    name is a business, as a noun before it would (`부품 업체 A`). Without the complement the
    object of 선정/지원 is a person or a work as often as a firm (the model's `chosen_object`)."""
    tail = candidate.tail.split()[0] if candidate.tail else ""
    if not tail or tail[-1:] not in "을를이가은는":
        return False
    return _AS_BUSINESS.match(text, candidate.end + len(candidate.tail)) is not None


def _titled_person(text: str, item: Scored) -> bool:
    """A name shaped like a person's with a title or age after it, or a title right before it."""
    c = item.candidate
    if not person_shaped(c.text.replace(" ", "")):
        return False
    return person_after(text, c) or _title_before().search(text, max(0, c.start - 8), c.start) is not None


# `정식품 대표 홍길동`: a name, a title, then a person's name — the name is the person's firm.
_TITLE_THEN_PERSON = re.compile(r"\s?(?:대표이사|대표|회장|사장|이사)\s([가-힣]{2,3})(?:[은는이가을를의와과도,(]|\s|$)")


def _person_with_title(text: str, item: Scored) -> bool:
    """A firm of the model's shaped like a person's name with a title or age after it or a title
    before it (`㈜한빛물류 홍길동 대표`, `솔빛농장(대표 홍길동)`) is a person: the model reads the
    title after it as a firm's belonging (`business_noun_after`), and regional news names every
    donor and farm owner so. Not when another person's name follows the title (`정식품 대표
    홍길동`): then the name is the firm."""
    if item.p_firm < item.p_org or not _titled_person(text, item):
        return False    # the model's other bodies (`국회 의원회관`, `英 하원 의원`) are shaped like names too
    then = _TITLE_THEN_PERSON.match(text, item.candidate.end)
    return then is None or not person_shaped(then.group(1))


def _title_of_person(text: str, item: Scored) -> bool:
    """A word ending in a title right after a person's name (`KB손해보험 홍길동 GA영업부문장과`,
    `홍길동 센터장`, `홍길동 대표이사가`) is that person's title, not a body: releases name the
    people who sign for each party so. A place's name before it (`이천 …농장`) is no person."""
    c = item.candidate
    if c.first_piece == 0:
        return False
    prev = item.pieces[c.first_piece - 1]
    word = text[prev.core_start:prev.core_end]
    if prev.word + 1 != item.pieces[c.first_piece].word or prev.tail or is_place(word) or not person_shaped(word):
        return False
    return c.text.replace(" ", "").endswith(_titles())


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    from nlp.ner_orgs import cues

    return ("장", "대표", "대표이사", *cues().person_cues)


@lru_cache(maxsize=1)
def _title_before() -> re.Pattern[str]:
    from nlp.ner_orgs import cues

    return re.compile(r"(?:" + "|".join(map(re.escape, cues().person_cues)) + r")\s$")


def _widened(text: str, scored: list[Scored], kept: list[OrgHit], org_limit: float) -> list[OrgHit]:
    """A firm whose next word is a firm's head noun or a Latin word after a Latin one names one
    firm in two words — `소니 픽처스`, `삼화 저축은행`, `스몰곤 제강`, `Coates Hire`: the model and
    the lists know the first word better, but the mention is the whole."""
    by_start: dict[int, list[Scored]] = {}
    for item in scored:
        if item.candidate.words == 2:
            by_start.setdefault(item.candidate.start, []).append(item)
    out, absorbed = [], set()
    for hit in kept:
        wider = None
        if hit.kind == "firm" and " " not in text[hit.start:hit.end]:
            for item in by_start.get(hit.start, ()):
                c = item.candidate
                second = text[hit.end:c.end]
                # the head noun read alone by the model (`픽처스`) is absorbed; any other name there blocks
                inside = [o for o in kept if o is not hit and o.start < c.end and hit.end < o.end]
                if c.end > hit.end and second[:1] == " " and item.p_org < org_limit \
                        and _firm_head(text[hit.start:hit.end], second.strip()) \
                        and all(o.evidence == MODEL_EVIDENCE and hit.end < o.start and o.end <= c.end for o in inside):
                    wider = item
                    absorbed.update(id(o) for o in inside)
        out.append(hit if wider is None else _hit(text, wider, "firm", hit.evidence))
    return [o for o in out if id(o) not in absorbed]


_LATIN_WORD = re.compile(r"[A-Z][A-Za-z0-9.&＆-]*")

# A foreign name written in Hangul word by word, its own letters glued after it in brackets, word for
# word (`애그니코 이글 마인스(Agnico Eagle Mines)`, `UL 솔루션스(UL Solutions)`, `아처 에비에이션(Archer
# Aviation·이하 ‘아처’)`).
_TRANSLITERATED = re.compile(r"((?:[가-힣A-Za-z0-9]+ ){1,3}[가-힣A-Za-z0-9]+)\(([A-Za-z][A-Za-z0-9.&'’\-]*"
                             r"(?: [A-Za-z0-9][A-Za-z0-9.&'’\-]*){1,3})(?:[·,]\s?이하[^()]{0,20})?\)")
# The Hangul initial consonants a Latin word's first sound is written with (Agnico 애, Phrontline 프,
# Capital 캐, Cell 셀, Thrive 트, Xavier 자 …).
_INITIALS = {"a": "ㅇ", "e": "ㅇ", "i": "ㅇ", "o": "ㅇ", "u": "ㅇ", "y": "ㅇ", "w": "ㅇ", "h": "ㅎㅇ", "b": "ㅂ", "v": "ㅂ",
             "c": "ㅋㄱㅅㅆㅊ", "k": "ㅋㄱ", "q": "ㅋ", "d": "ㄷ", "f": "ㅍ", "p": "ㅍ", "g": "ㄱㅈ", "j": "ㅈ",
             "l": "ㄹ", "r": "ㄹ", "m": "ㅁ", "n": "ㄴ", "s": "ㅅㅆ", "t": "ㅌㄷㅅㅆ", "x": "ㅈㅇㅅ", "z": "ㅈ"}
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _sounds_like(hangul: str, latin: str) -> bool:
    """Whether a word written in Hangul starts as the Latin word it glosses does (a word of the run
    in Latin letters must be the gloss's own word)."""
    if not "가" <= hangul[0] <= "힣":
        return hangul.lower() == latin.lower()
    initial = _CHOSEONG[(ord(hangul[0]) - 0xAC00) // 588]
    first = latin[0].lower()
    if latin[:2].lower() == "ch":
        return initial in "ㅊㅋ"
    return initial in _INITIALS.get(first, "")


def _foreign_words(words: list[str]) -> bool:
    """Words that can spell a foreign name: no particle on any (`아이파크에는`), the first no word
    of Kiwi's dictionary (`기업 케이카(K Car)`: the noun before the name), none ordinary nouns run
    together (`에이전틱 인공지능(Agentic AI)`: a term). One common noun after the first may be part
    of the name (`트라이브 홀딩스`)."""
    readings = get_kiwi().tokenize(words)
    for index, tokens in enumerate(readings):
        if not tokens or tokens[-1].tag.startswith("J"):
            return False
        if reads_as_ordinary(tokens) and (index == 0 or len(tokens) > 1):
            return False
    return True


def _transliterations(text: str, kept: list[OrgHit]) -> list[OrgHit]:
    """A firm found inside a transliterated foreign name, or in its gloss, names the whole
    (`애그니코 이글 마인스`, not `애그니코` and `마인스`; `아처 에비에이션`, not `Archer Aviation`
    beside it): the gloss says where the name starts and ends, and its letters are an alias. Only
    where the last Hangul words match the Latin ones word for word, each starting with the sound
    its Latin word starts with: an acronym's expansion (`가시설 공법인 RCS(Rail Climbing
    System)`) or a longer phrase before the name is no transliteration."""
    runs: list[tuple[int, int, int]] = []
    for match in _TRANSLITERATED.finditer(text):
        latin = match.group(2).split(" ")
        words = match.group(1).split(" ")[-len(latin):]
        if len(words) != len(latin) or not re.search(r"[가-힣]", words[-1]) \
                or not all(_sounds_like(w, l) for w, l in zip(words, latin)) or not _foreign_words(words):
            continue
        runs.append((match.end(1) - len(" ".join(words)), match.end(1), match.end()))
    if not runs:
        return kept
    out: list[OrgHit] = []
    widened: set[int] = set()
    for hit in kept:
        run = next((r for r in runs if r[0] <= hit.start and hit.end <= r[2] and (hit.start, hit.end) != r[:2]),
                   None)
        if run is None or hit.kind != "firm":
            out.append(hit)
            continue
        if run[0] in widened:
            continue        # the run's other word, or the gloss, read as a name of its own
        widened.add(run[0])
        surface = text[run[0]:run[1]]
        out.append(OrgHit(run[0], run[1], surface, canonical_name(surface) or hit.name, hit.kind, hit.evidence))
    return out


def _firm_head(first: str, second: str) -> bool:
    """Whether `second` continues the firm name `first`: a firm's head noun (…은행, 코리아, 제강)
    or, after a Latin word, another capitalised Latin word."""
    if _LATIN_WORD.fullmatch(first) and _LATIN_WORD.fullmatch(second):
        return True
    if not re.fullmatch(r"[가-힣]{2,6}", second):
        return False
    return word_kind(second) == "firm"


# Words a sector's name stands before (`우주항공 분야의 기업`, `해양바이오 산업`, `전력반도체 생태계`);
# a firm's name never does. Regional releases name the sectors they court in every paragraph, with
# names the model takes for firms: …항공, …바이오, …산업, …에너지 are firms' endings too.
_SECTOR_AFTER = re.compile(r"\s(?:분야|산업|업계|업종|클러스터|생태계|특구|산업단지|국가산단|산단|밸리)"
                           r"(?:의|에|을|를|은|는|이|가|과|와|로|으로|에서)?(?![가-힣])")


# A list of sectors closed by `등 … 분야/산업` (`수소, 방산, 로봇 등 전략 산업 분야에`);
# not where the sector word names the firms it holds (`A, B 등 반도체 분야 기업`).
_SECTOR_LIST_AFTER = re.compile(r"(?:\s?[,·ㆍ]\s?[^\s,·ㆍ]+){0,8}\s?등\s(?:[가-힣]+\s){0,3}?(?:분야|산업|업종)"
                                r"(?:의|에서|에|을|를|은|는|이|가|과|와|로|으로)?(?![가-힣])"
                                r"(?!\s?(?:분야\s?)?(?:기업|업체|회사|대기업|중소기업|스타트업))")


def _trade_word(candidate) -> bool:  # type: ignore[no-untyped-def]
    """A firm ending after ordinary words only (`미래+산업`, `빅+테크`, `가공+식품`) and on no list of
    names: a trade or a sector (`[trade_suffixes]` in org_suffixes.toml), what the model most often
    takes for a firm in regional releases. A place before the ending is a name (`강원산업`)."""
    if candidate.words > 1 or candidate.has_form:
        return False
    return trade_name(candidate.text.replace(" ", ""), candidate.tokens, candidate.end)


def _bare_ending(candidate) -> bool:  # type: ignore[no-untyped-def]
    """A firm's ending standing alone (`통합 모빌리티 서비스`, `저축은행`, `노무법인`): the suffix table
    names firms by what stands before such an ending, and here nothing does. 13 such firms over the
    3,211 dev-side regional articles of the eighteenth diagnostic, none a firm's name."""
    return _only_an_ending(candidate.text.replace(" ", ""))


def _only_an_ending(bare: str) -> bool:
    """A firm's ending of the suffix table, alone. A local cooperative's short name (`농협`), a listed
    name or one of the lexicon is a name; a konec form is not enough (konec's labellers marked
    `저축은행` where the sector was meant)."""
    rules = suffix_rules()
    return rules.by_suffix.get(bare) == "firm" and bare not in rules.local_coops \
        and bare not in listed_firms() and bare not in known_orgs()


def trade_name(bare: str, tokens: Sequence, end: int) -> bool:
    """`_trade_word` for a one-word name ending at `end`, read from its Kiwi `tokens`."""
    suffix = next((s for s in suffix_rules().trade_suffixes if bare.endswith(s) and len(bare) > len(s)), None)
    if suffix is None or known_name(bare) or is_place(bare[:-len(suffix)]):
        return False
    tokens = words_of(tokens)
    if len(tokens) == 1 and tokens[0].form == bare:
        if tokens[0].tag == "NNG" and not tokens[0].oov:
            return True         # one word of Kiwi's dictionary (`축산업`, `핀테크`)
        # Kiwi's proper-noun dictionary holds some such compounds whole (`로봇산업`, `전략산업`), and
        # in some contexts it reads ordinary words run together as one unknown word (`지역산업(…)`,
        # `미래모빌리티`): what the stem is, read alone, decides
        return (tokens[0].tag == "NNP" or tokens[0].oov) and _ordinary_words(bare[:-len(suffix)])
    stem = [t for t in tokens if t.start < end - len(suffix)]
    return _ordinary(stem)


def _ordinary(stem: Sequence, common_id: int = COMMON_ID) -> bool:
    """Common nouns Kiwi knows well, or a Latin term (`AI`+산업); a rare one (`재제`+텍) may be a name."""
    return bool(stem) and all((t.tag.startswith("NN") and t.tag != "NNP" and not t.oov and t.id < common_id)
                              or term_acronym(t) for t in stem) and not split_unknown(stem)


@lru_cache(maxsize=4096)
def _ordinary_words(stem: str, common_id: int = COMMON_ID) -> bool:
    return _ordinary(get_kiwi().tokenize(stem), common_id)


# How well Kiwi must know a common noun for a name of such nouns to be none where the model alone
# found it: less well than where a firm's ending or a cue stands beside the words. Kiwi's word ids
# follow its dictionary's frequency; between 20,000 and 40,000 lie nouns of trades and goods
# (`제과점`+`업`, `농수산`+`식품`, `전산업`, `로컬`+`푸드`, `토큰`+`증권`). Over the 3,370 dev-side
# regional articles of the nineteenth diagnostic the model alone had found 29 such names, 26 of them
# no firm and 3 firms (`그린알로에`, `중흥그룹`, `에코피스`); the same cutoff everywhere (a firm's ending,
# a cue) lost 10 firms more (`신한은행` of `신한·하나·우리은행`, `대선제분`, `토스증권`).
MODEL_ALONE_COMMON_ID = 40_000


def _model_alone_common_id(bare: str) -> int:
    """A local cooperative is named by its place, and Kiwi reads many places as common nouns
    (`봉황`+`농협`; `농협` itself lies past 30,000): its name keeps the stricter reading."""
    return COMMON_ID if bare.endswith(suffix_rules().local_coops) else MODEL_ALONE_COMMON_ID


# A noun for a class of things or businesses after a bare word (`딥테크 스타트업`, `모빌리티 산업`,
# `알림톡 서비스`, `페트 제품`, `중앙아시아 시장`). A firm's name stands there too (`코웨이 제품`), but
# also, somewhere in the text, as an argument of its own (`코웨이는`, `코웨이와`); a word the text
# puts only before such nouns names a sector, a technology, a product or a market. Over the 3,289
# dev-side regional articles, 9 model firms were named only so, none of them a firm (`기업 회생`,
# the rehabilitation of a firm, is said of the firm itself: `홈플러스 기업 회생 절차`).
_CLASS_NOUN_AFTER = re.compile(r"\s(?:제품|시장|서비스|기술|산업|분야|업종|업계|업체|스타트업|기업(?!\s?회생))"
                               r"(?:[은는이가을를의에과와도]|들|\s|[,.]|$)")


def _only_before_class_nouns(text: str, name: str) -> bool:
    ends = [m.end() for m in re.finditer(re.escape(name), text)]
    return bool(ends) and all(_CLASS_NOUN_AFTER.match(text, end) for end in ends)


def _names_a_sector(text: str, candidate) -> bool:  # type: ignore[no-untyped-def]
    return not candidate.tail and (_SECTOR_AFTER.match(text, candidate.end) is not None
                                   or _SECTOR_LIST_AFTER.match(text, candidate.end) is not None)


def _non_firm(text: str, item: Scored | None) -> str | None:
    return None if item is None else non_firm_cue(text, item.pieces, item.candidate)


# After an organisation's genitive, up to one word, then the candidate: the organisation's product,
# plant or service (`삼성전자의 갤럭시`, `㈜한울식품의 떡볶이 밀키트가`). Of the 199 firms of the
# real-text dev split none stands there; a word for a related company between makes it a firm.
_OWNED_GAP = re.compile(r"의\s+(?:[^\s,.·]+\s+)?$")
_RELATED_COMPANY = re.compile(r"계열사|자회사|관계사|협력사|손자회사|법인")


def _owned(text: str, start: int, owner_ends: list[int]) -> bool:
    """Whether the candidate at `start` follows an organisation's genitive (`…의 [word] name`)."""
    gap = text[max(0, start - 24):start]
    match = _OWNED_GAP.search(gap)
    if match is None or _RELATED_COMPANY.search(match.group()):
        return False
    return _ends_at(owner_ends, start - len(gap) + match.start())


def _ends_at(ends: list[int], position: int) -> bool:
    """Whether an organisation of the sorted `ends` ends at `position`."""
    index = bisect.bisect_left(ends, position)
    return index < len(ends) and ends[index] == position


@lru_cache(maxsize=1)
def _place_heads() -> tuple[str, ...]:
    """Last words that make a name a place (산단, 산업단지, 혁신도시: data/lexicon/ner_orgs.toml),
    the one-syllable ones (항, 역) left out: too many firm names end in them."""
    from nlp.ner_orgs import cues

    return tuple(h for h in cues().place_heads if len(h) >= 2)


def _surname_and_title(name: str) -> bool:
    """A surname and 씨/군/양 run together (`이씨`, `김군`): how news names a person it leaves
    anonymous, however a model reads the word."""
    return len(name) == 2 and name[1] in "씨군양" and person_shaped(name)


def _bracketed_person(text: str, candidate) -> bool:  # type: ignore[no-untyped-def]
    """`세종시체육회(정태봉 회장)`: a name shaped like a person's, alone in brackets with a title
    after it, is the head of the body before the brackets — as in `(대표 홍길동)`, the other
    order, which press releases use as often."""
    if not person_shaped(candidate.text.replace(" ", "")):
        return False
    if candidate.start > 0 and text[candidate.start - 1] == "(" and _bracket_title().match(text, candidate.end):
        return True
    # the other order, the title first (`한빛상공회의소(회장 홍길동)`, `한빛항만공사(사장 직무대행 홍길동,
    # 이하 …)`, `(원장:홍길동)`): 5 heads so bracketed were taken for firms over 3,371 regional articles
    return _title_in_bracket().search(text, max(0, candidate.start - 30), candidate.start) is not None


@lru_cache(maxsize=1)
def _bracket_title() -> re.Pattern[str]:
    return re.compile(r"\s?(?:" + "|".join(map(re.escape, suffix_rules().titles)) + r")\)")


@lru_cache(maxsize=1)
def _title_in_bracket() -> re.Pattern[str]:
    titles = "|".join(map(re.escape, suffix_rules().titles))
    return re.compile(r"\((?:[^()]{0,20}[,·]\s?)?(?:[가-힣]{0,6}(?:" + titles + r"))(?:\s?직무대행)?\s?[:：]?\s?$")


# A lodging or hall's name right before 에서 (a room's name may stand between: `신라호텔 메모리즈힐에서`):
# where something happened. LABELLING.md puts a venue in neither list. 4 of the 156 firms the model
# added over the 8,922 dev-side open sentences were hotels so used (신라호텔에서 결혼식을 올렸다).
_VENUE_HEADS = ("호텔", "리조트", "콘도", "웨딩홀", "컨벤션", "컨벤션센터")
_AT_VENUE = re.compile(r"\s?(?:[가-힣A-Za-z]{1,10}(?:홀|룸|힐|볼룸|가든|라운지)\s?)?에서(?:는|도|의)?(?![가-힣])")


def _venue(text: str, name: str, end: int) -> bool:
    return name.replace(" ", "").endswith(_VENUE_HEADS) and _AT_VENUE.match(text, end) is not None


def _branch_of_name_before(text: str, candidate, owner_ends: list[int]) -> bool:  # type: ignore[no-untyped-def]
    """A branch or division written right after the organisation it belongs to (`한빛은행 누리시지부`,
    `한빛유업 호남지점`, `한빛은행 비이자영업본부`): a mention of that organisation, which the rules
    read as one phrase when they know the parent (nlp/orgs._with_branches); the model's reading of
    the branch alone as a second firm is not a second name (LABELLING.md)."""
    return bool(branch_ending(candidate.text.replace(" ", ""))) and candidate.start >= 2 \
        and text[candidate.start - 1] == " " and _ends_at(owner_ends, candidate.start - 1)


def _names_a_place(name: str) -> bool:
    return name.split()[-1].endswith(_place_heads()) or _branch_alone(name)


def _branch_alone(name: str) -> bool:
    """A place and a branch word with no parent named (`전북지역본부는`, `광주지사`): the branch of a
    body the text names elsewhere or not at all, no organisation of its own (org_suffixes.toml
    [branch_words]; `전북소방본부`, with its trade between, keeps its kind)."""
    bare = name.replace(" ", "")
    word = branch_ending(bare)
    return bool(word) and is_place(bare[:-len(word)])


def _place(name: str) -> bool:
    """A place's name, or a name led by one (`전주`, `익산 하늘농원`)."""
    return is_place(name.replace(" ", "")) or is_place(name.split()[0])


# A list member's neighbours, joined to it by `·` or `,`: `충남·대전·X·세종 등`.
_MEMBER_BEFORE = re.compile(r"([가-힣A-Za-z]+)\s?[·,]\s?$")
_MEMBER_AFTER = re.compile(r"\s?[·,]\s?([가-힣A-Za-z]+)(?![가-힣A-Za-z])")


def _among_places(text: str, candidate) -> bool:  # type: ignore[no-untyped-def]
    """A one-word name listed between places (`충남·대전·충복·세종 등`, a misspelt region): the
    members of one list are the same kind of thing, so with places on both sides of it, or two on
    one side, the model's firm reading of this one is a slip."""
    if candidate.words > 1:
        return False
    before = after = 0
    end = candidate.start
    while before < 2 and (match := _MEMBER_BEFORE.search(text, max(0, end - 20), end)) is not None \
            and is_place(match.group(1)):
        before += 1
        end = match.start()
    start = candidate.end + len(candidate.tail)
    while after < 2 and (match := _MEMBER_AFTER.match(text, start)) is not None and is_place(match.group(1)):
        after += 1
        start = match.end()
    return bool(before and after) or before + after >= 2


# A list member's neighbours for `_among_common_nouns`: `·` joins list members only; a comma may
# also close a clause (`…는 가운데, A는`) or a headline's subject (`A, 해외 …`), so a word beside a
# comma counts only inside the list: before the name when the list goes on after it, after the name
# when the list goes on after that word.
_THING_BEFORE = re.compile(r"([가-힣A-Za-z]+)\s?[·ㆍ]\s?$")
_THING_BEFORE_COMMA = re.compile(r"([가-힣A-Za-z]+)\s?,\s?$")
_THING_AFTER = re.compile(r"\s?[·ㆍ]\s?([가-힣A-Za-z]+)(?![가-힣A-Za-z0-9])")
_LIST_GOES_ON = r"\s?(?:[·ㆍ,]|등(?![가-힣]))"
_THING_AFTER_COMMA = re.compile(r"\s?,\s?([가-힣A-Za-z]+)(?=" + _LIST_GOES_ON + ")")
_MID_LIST = re.compile(_LIST_GOES_ON)
# A list in brackets after a noun for businesses glosses it member by member (`11개 은행(농협·신한·
# 우리·기업·국민 …)`, `4사(A, B, C)`): its members are businesses, whatever else their words mean.
_BUSINESSES_BRACKETED = re.compile(r"(?:은행|증권사|카드사|보험사|금융지주|기업|업체|회사|개사|\d사|그룹)\s?\([^()]*$")


def _among_common_nouns(text: str, candidate) -> bool:  # type: ignore[no-untyped-def]
    """A one-word name the model alone reads as a firm, listed beside a common noun Kiwi knows well
    (`바이오, 푸드테크, 관광 등`, `ISA, IRP, 연금계좌 등`, `휴머노이드·로봇`): the members of one list are
    the same kind of thing, as `_among_places` reads them with places. Over 3,174 regional dev
    articles, 16 firms of the model's so listed were sectors, products or services and one a public
    corporation; 2 were firms (in a list of attendees, `시·군 관계자, A, 농협`; before a shop's line,
    `전문점 A, 트럭·버스 전문 매장 B`). A list glossing a noun for businesses is theirs (`_BUSINESSES_BRACKETED`)."""
    if candidate.words > 1 or candidate.tail or _BUSINESSES_BRACKETED.search(text, max(0, candidate.start - 80),
                                                                             candidate.start):
        return False
    neighbours = []
    before = text[max(0, candidate.start - 20):candidate.start]
    match = _THING_BEFORE.search(before)
    if match is None and _MID_LIST.match(text, candidate.end):
        match = _THING_BEFORE_COMMA.search(before)
    if match is not None:
        neighbours.append(match.group(1))
    match = _THING_AFTER.match(text, candidate.end) or _THING_AFTER_COMMA.match(text, candidate.end)
    if match is not None:
        neighbours.append(match.group(1))
    return any(_common_noun(word) for word in neighbours)


@lru_cache(maxsize=4096)
def _common_noun(word: str) -> bool:
    """A common noun Kiwi knows well, or frequent ones run together (`관광`, `연금+계좌`), on no list."""
    if len(word) < 2 or known_name(word):
        return False
    tokens = get_kiwi().tokenize(word)
    return reads_as_ordinary(tokens) and all(t.id < COMMON_ID for t in tokens)


def _person_and_title(name: str) -> bool:
    """A person's name followed by more words (`박원순 시장`)."""
    words = name.split()
    return len(words) > 1 and person_shaped(words[0])


def _person_or_place(name: str) -> bool:
    return person_shaped(name.replace(" ", "")) or _place(name) or _person_and_title(name)


def _telling_suffix(item: Scored) -> bool:
    """A suffix that tells another kind of body (…위원회, …재단): its kind is told, not unknown."""
    return any(key.startswith("sfx_kind=") and key != "sfx_kind=firm" for key in item.features)


def _alone(text: str, sentence, candidate) -> bool:  # type: ignore[no-untyped-def]
    """Whether the candidate is all its sentence holds (a heading or a menu line)."""
    rest = text[sentence.start:candidate.start] + text[candidate.end:sentence.end]
    return not re.search(r"[가-힣A-Za-z0-9]", rest)


_STRAIGHT_QUOTES = "'\""
# the typographic marks, which open or close a quote (straight ones do both)
_OPENING_MARKS = "".join(mark for mark in QUOTES_OPEN if mark not in _STRAIGHT_QUOTES)
_CLOSING_MARKS = "".join(mark for mark in QUOTES_CLOSE if mark not in _STRAIGHT_QUOTES)


def _part_of_a_title(text: str, sentence, candidate) -> bool:  # type: ignore[no-untyped-def]
    """Whether the candidate is only part of a quoted title (`'한빛 누리Pay 든든 카드'`,
    `“누리 밸류업 지수”`): a product, a programme or an event named in quotes, which LABELLING.md's
    labellers mark as no firm; a name quoted alone (`'다온코퍼레이션'이 개발했다`) is a name."""
    before = text[sentence.start:candidate.start]
    opened = max(before.rfind(mark) for mark in _OPENING_MARKS)
    closed = max(before.rfind(mark) for mark in _CLOSING_MARKS)
    straight = [i for i, ch in enumerate(before) if ch in _STRAIGHT_QUOTES]
    if len(straight) % 2 == 1 and straight[-1] > max(opened, closed):
        opened, closed = straight[-1], -1
    if opened < 0 or closed > opened:
        return False
    after = text[candidate.end:sentence.end]
    ends = [i for i in (after.find(mark) for mark in QUOTES_CLOSE) if i >= 0]
    if not ends:
        return False
    inside = before[opened + 1:] + after[:min(ends)]
    title = before[opened + 1:] + candidate.text + after[:min(ends)]
    # a title is short and says nothing (quoted speech, `“A와 손잡고 …했다”`, keeps its names)
    return bool(re.search(r"[가-힣A-Za-z0-9]", inside)) and len(title) <= _TITLE_LENGTH \
        and not re.search(r"(?:다|요|까|죠)[.!?]?\s*$|[.!?]", title)


_TITLE_LENGTH = 30


def _person_or_place_here(text: str, item: Scored) -> bool:
    """A person's or a place's name, unless a noun for a business stands right before it and no
    title follows: `식품기업 하림은`, `경매회사 소더비가` are firms though shaped like a person's
    name (in the KLUE news sentences every such name after 업체/기업/회사 is a firm)."""
    c = item.candidate
    if not _person_or_place(c.text):
        return False
    if _place(c.text):
        return True
    return not business_noun_before(text, item.pieces, c, strict=True) or person_after(text, c)


def _name_like(item: Scored, compounds: bool = False) -> bool:
    """A name rather than an ordinary word: a proper noun, a foreign word, a word Kiwi does not
    know or a rare one (with `compounds`, also two common nouns run together, 스마트+그린), and
    not ending in a title (대표) or an event word (성과공유회)."""
    tokens = item.candidate.tokens
    if not tokens or tokens[-1].form in _TITLES or item.candidate.text.endswith(_event_words()):
        return False
    if any(t.tag in ("NNP", "SL", "SH") or t.oov or (t.tag == "NNG" and t.id >= COMMON_ID) for t in tokens) \
            or misread_inside(item.candidate) or split_unknown(tokens):
        return True
    return compounds and sum(t.tag.startswith("NN") for t in tokens) >= 2 and " " not in item.candidate.text


_TITLES = frozenset({"대표", "대표이사", "회장", "사장", "부사장", "이사", "전무", "상무", "부장", "팀장", "씨", "교수"})


@lru_cache(maxsize=1)
def _event_words() -> tuple[str, ...]:
    from nlp.lexicon import suffix_rules
    from nlp.ner_orgs import cues

    return tuple(suffix_rules().event_words) + tuple(cues().event_ends)


def _partner_pieces(scored: list[Scored]) -> dict[int, frozenset[int]]:
    """Per sentence, the pieces that hold a candidate."""
    pieces: dict[int, set[int]] = {}
    for item in scored:
        c = item.candidate
        pieces.setdefault(c.sentence, set()).update(range(c.first_piece, c.last_piece + 1))
    return {sentence: frozenset(found) for sentence, found in pieces.items()}


def _hit(text: str, item: Scored, kind: str, evidence: str) -> OrgHit:
    c = item.candidate
    surface = text[c.start:c.end]
    return OrgHit(c.start, c.end, surface, canonical_name(surface), kind, evidence)


def _list_firms(text: str, scored: list[Scored], kept: list[OrgHit], model_org_limit: float) -> list[OrgHit]:
    """Firms by list membership, sentence by sentence: the list is the evidence, so a member
    is held back only when the model reads it as another kind of organisation, or it is shaped
    like a person's name or is a place. The words of a bracket glued to a word (`A(미용업·35년),
    B(…)`) gloss it: they are read as a list of their own (`시중은행(A·B·C)`), never as members
    between the list's."""
    by_sentence: dict[int, list[Scored]] = {}
    for item in scored:
        by_sentence.setdefault(item.candidate.sentence, []).append(item)
    added: list[OrgHit] = []
    for items in by_sentence.values():
        pieces = items[0].pieces
        glosses = _glosses(text, pieces[0].start, pieces[-1].end)
        regions: dict[int, list[Scored]] = {}
        for item in items:
            region = next((k for k, (s, e) in enumerate(glosses) if s <= item.candidate.start < e), -1)
            regions.setdefault(region, []).append(item)
        for region_items in regions.values():
            added += _region_list_firms(text, pieces, region_items, kept, model_org_limit)
    return added


def _region_list_firms(text: str, pieces: list, items: list[Scored], kept: list[OrgHit],
                       model_org_limit: float) -> list[OrgHit]:
    members: list[Member] = []
    member_items: dict[int, Scored] = {}
    kept_ends = sorted(h.end for h in kept)
    for piece_index in sorted({i.candidate.last_piece for i in items}):
        options = [i for i in items if i.candidate.last_piece == piece_index]
        hit = next((h for h in kept if any(h.start <= i.candidate.start and i.candidate.end <= h.end
                                           for i in options)), None)
        if hit is not None:
            inside = [i for i in options if hit.start <= i.candidate.start and i.candidate.end <= hit.end]
            best = max(inside, key=lambda i: i.candidate.end - i.candidate.start)
            members.append(Member(best.candidate, hit.kind == "firm", hit.kind != "firm", True))
            continue
        best = max(options, key=lambda i: (_opens_member(text, pieces, i.candidate), i.best,
                                           -(i.candidate.end - i.candidate.start)))
        if any(best.candidate.start < h.end and h.start < best.candidate.end for h in kept):
            continue
        if is_place(best.candidate.text):
            continue     # `전주 A, 익산 B`, `A와 익산의 B`: a place before a member, not one
        members.append(Member(best.candidate, False, partial(_blocked_member, text, best, model_org_limit, kept_ends),
                              partial(_plain_member, best), partial(_common_compound, best.candidate)))
        member_items[id(best.candidate)] = best
    added = []
    for member in firms_by_list(text, pieces, members):
        item = member_items.get(id(member.candidate))
        if item is not None:
            added.append(_hit(text, item, "firm", LIST_EVIDENCE))
    return added


def _blocked_member(text: str, item: Scored, model_org_limit: float, kept_ends: list[int]) -> bool:
    """A list member that is never promoted: read as another kind of body, a place or a person,
    not a name, a brand, a Latin gloss, a known non-firm, or the branch of the name before it."""
    return (item.p_org >= model_org_limit and item.p_org > item.p_firm + 0.3) \
        or _branch_of_name_before(text, item.candidate, kept_ends) \
        or _place_or_titled_person(text, item.candidate) or not _name_like(item, compounds=True) \
        or _one_dictionary_noun(item.candidate.tokens) or _bare_ending(item.candidate) \
        or _named_as_product(text, item.candidate.start, item.candidate.end) or _latin_gloss(text, item.candidate) \
        or _non_firm(text, item) is not None or _title_of_person(text, item)


def _one_dictionary_noun(tokens: Sequence) -> bool:
    """One common noun of Kiwi's dictionary, however rare (`감속기`, `시제품`, `스토어`): a word a
    list of firms runs into (`로봇 감속기, 액추에이터의 수요`, `시제품과 KT의 통신 환경`), not a
    name. Over the real-text and regional dev splits the lists made 4 such words firms and no firm
    was one; a firm's name Kiwi knows as a word is found by its legal form, a cue or the model."""
    return len(tokens) == 1 and not tokens[0].oov and reads_as_ordinary(tokens)


def _common_compound(candidate) -> bool:  # type: ignore[no-untyped-def]
    """Two or more common nouns Kiwi knows (read as the model alone reads them, to the 40,000th
    word), or such a noun and a Latin term, run together (`금속제련`, `간편식`, `백엔드`, `로봇AI`): a
    thing or a sector a list of firms runs into as often as a name: such a member is a firm only
    where the list gives its count in a number (`스마트그린 등 5개사`; nlp/lists.Member). A firm's
    ending after the nouns makes them a name (`국민카드`, `현대우주항공`, `공영홈쇼핑`), as the suffix
    table reads it. Over the 3,265 dev-side regional articles of the twentieth diagnostic this held
    back 5 list members: 4 no name (`백엔드`, `로봇AI`, `간편식`, `금속제련`) and one firm, in a list
    with no number (`대선제분, 대한제분, …`)."""
    if len(candidate.tokens) < 2 or not _ordinary(candidate.tokens, MODEL_ALONE_COMMON_ID):
        return False
    bare = candidate.text.replace(" ", "")
    return not any(bare.endswith(ending) and len(bare) > len(ending) for ending in _firm_endings())


@lru_cache(maxsize=1)
def _firm_endings() -> tuple[str, ...]:
    """The shared heads and the firm suffixes of org_suffixes.toml: what makes words before it a name."""
    rules = suffix_rules()
    return (*rules.shared_heads, *(suffix for suffix, kind in rules.by_suffix.items() if kind == "firm"))


def _plain_member(item: Scored) -> bool:
    return _name_like(item) or item.p_firm >= 0.5


# A bracket glued to the word before it: what it holds glosses that word (`A(미용업·35년)`, `A(홍천)`,
# `A(대표 홍길동)`), as regional releases write every member of a list of firms.
_GLOSS = re.compile(r"(?<=\S)\(([^()]{1,40})\)")


def _glosses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(1), m.end(1)) for m in _GLOSS.finditer(text, start, end)]


# A bracket glued to a word and holding Latin words only: the word written in its own language
# (`쉴드AI(Shield AI)`, `레디언트 뉴클리어(Radiant Nuclear)`, `TGV(Through Glass Via)`).
_LATIN_GLOSS = re.compile(r"(?<=[가-힣A-Za-z0-9])\(([A-Za-z][A-Za-z0-9 .,&'’\-]{0,60})\)")


def _latin_gloss(text: str, candidate) -> bool:  # type: ignore[no-untyped-def]
    """The candidate lies inside such a gloss: an alias or a term's letters, never a body of its own
    (the model reads capitalised Latin words run together as a firm's name); or it is the short
    form of ordinary words bracketed right after them (`시가총액(시총)`, `주택담보대출(주담대)`)."""
    opening = text.rfind("(", max(0, candidate.start - 62), candidate.start)
    if opening < 0:
        return False
    gloss = _LATIN_GLOSS.match(text, opening)
    if gloss is not None and gloss.start(1) <= candidate.start and candidate.end <= gloss.end(1):
        return True
    return _short_form_of_words(text, candidate, opening)


# Ordinary words, then their short form alone in brackets glued to them: `시가총액(시총)`.
_WORD_BEFORE_BRACKET = re.compile(r"([가-힣]{2,12})$")


def _short_form_of_words(text: str, candidate, opening: int) -> bool:  # type: ignore[no-untyped-def]
    """`시가총액(시총)`: the bracket holds just the candidate, and the word glued before it is common
    nouns Kiwi knows well — a term and its abbreviation, not a body and its short name (`한국항공
    우주산업(KAI)`). The model took `시총` for a firm 10 times over 3,371 regional articles."""
    if opening != candidate.start - 1 or text[candidate.end:candidate.end + 1] != ")":
        return False
    before = _WORD_BEFORE_BRACKET.search(text, max(0, opening - 12), opening)
    return before is not None and _ordinary_words(before.group(1))


def _place_or_titled_person(text: str, candidate) -> bool:  # type: ignore[no-untyped-def]
    """A list member that is a place, or a person's name with a title or age after it (`홍길동
    대표`, `김민준(45)`). A name merely shaped like a person's (a common surname and one or two
    syllables: 한솔, 신하온, 정식품) stays a member: among firms and closed by `등 N개사` it is one."""
    name = candidate.text
    if _place(name) or _names_a_place(name) or _person_and_title(name):
        return True     # `평동산단 등 30개 기업`: the complex's firms, the complex itself a place
    return person_shaped(name.replace(" ", "")) and person_after(text, candidate)


def _opens_member(text: str, pieces: list, candidate) -> bool:  # type: ignore[no-untyped-def]
    """A name of two words that starts right after a list separator (`…, 그랜드 앰배서더, …`): the
    member is the whole, not its last word. A place before a name (`전주 A`) never is."""
    if candidate.words < 2 or candidate.first_piece == 0 or is_place(candidate.text.split()[0]):
        return False
    before = pieces[candidate.first_piece - 1]
    return any(mark in before.gap_after for mark in SEPARATOR_MARKS) or before.tail in ("와", "과") \
        or text[before.start:before.end] in ("및", "그리고")


# How sure the name-kind classifier (nlp/kinds.py, characters of the name alone) must be that a
# name the firm model reads as some organisation is a firm's. The firm model weighs the context and
# knows few names; the classifier knows how firms are named (`삼성SDS`, `한화큐셀`, `LS일렉트릭`).
# Over the 1,400 dev-side regional articles, with the checks of _named_like_a_firm: 7 firm mentions in,
# all right, at 0.8 (at 0.7 without those checks: 37 changes, LED, SMR, a club and a country among
# them); over the KLUE-raw and Wikinews units 2 in, both wrong (a journal, a train).
NAME_SAYS_FIRM = 0.8
_HANGUL_THEN_LATIN = re.compile(r"^([가-힣]+)([A-Za-z0-9&.]+)$")


def _named_like_a_firm(item) -> bool:  # type: ignore[no-untyped-def]
    """Whether a name may be taken for a firm on its letters: no telling suffix of another kind,
    some Hangul (the classifier over-reads bare Latin acronyms: LLM, HBM4), not a form konec's
    labellers mostly marked as no organisation (a country, a person), and not ordinary words
    before a Latin term (`태블릿PC`, `하이패스IC`)."""
    bare = item.candidate.text.replace(" ", "")
    if _kind_by_suffix(bare, []) not in (None, "firm") or not re.search(r"[가-힣]", bare):
        return False
    form = konec_forms().get(bare)
    if form is not None and form.kind == "none":
        return False
    split = _HANGUL_THEN_LATIN.match(bare)
    return split is None or not (_ordinary_words(split.group(1)) or split.group(2) in suffix_rules().not_names)


# How sure the name-kind classifier must be that a body speaking (`A 관계자는`) is a firm: on the
# bodies so named in the dev-side regional articles, 0.65 keeps every ministry, agency and union out.
SPOKEN_FOR_FIRM = 0.65


def _says_firm(name: str, sure: float) -> bool:
    kind, p = predict_kinds([name])[0]
    return kind == "firm" and p >= sure


def _may_be_a_firms_name(name: str) -> bool:
    """Neither konec's labellers nor the name-kind classifier, fairly sure (≥ 0.7), take the name for
    another kind of body: a party (`홍길동 A당 대표`) or a body its letters tell, whose head is a 대표
    too. Between a person and their title the name's letters weigh less than the slot: at 0.5 the
    classifier's reading of an ending vetoed `조현미 형제환경 대표` (government 0.51, from 환경부) and
    `… 사이언스빌리지 대표` (media 0.56); over the 3,399 dev-side regional articles 0.7 adds these two and
    one private academy, and leaves every party, association and public body where it was."""
    form = konec_forms().get(name.replace(" ", ""))
    if form is not None and form.kind != "firm":
        return False
    kind, sure = predict_kinds([name])[0]
    return kind == "firm" or sure < 0.7


def _org_kind(name: str, predicted: tuple[str, float] | None) -> str:
    """The kind of a name the model calls a non-firm organisation: its suffix, else the kind
    classifier's (never firm here: the model said it is not one, unless the classifier is sure,
    NAME_SAYS_FIRM)."""
    by_suffix = _kind_by_suffix(name.replace(" ", ""), [])
    if by_suffix and by_suffix != "firm":
        return by_suffix
    if predicted is None:
        return "other"
    kind, _ = predicted
    return kind if kind != "firm" else "other"

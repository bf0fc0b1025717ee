"""What the firm model sees of a candidate name: the name's own shape and the Korean around it.

Shared by training (nlp/training/firm_data.py) and the NLP stage (nlp/firm_model.py), so the
model reads at run time exactly what it was trained on. The features lean on context — the
descriptor before a name (`부품 업체 A`, `소프트웨어 회사인 A`), the particle and the word after
it (`A(대표 …)`, `A 관계자는`, `A 측은`), the predicate of its clause (계약을 맺었다, 출시했다),
list partners — because names are trained with substitution: the model must recognise a firm
it has never seen. The name itself contributes only its shape, its suffix (…전자, …센터) and
whether a list knows it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from nlp.candidates import LEGAL_FORM_WORDS, LIST_GAP, RARE_MORPHEME_ID, Candidate, Piece, split_unknown, store_branch
from nlp.canonical import BULLETS, QUOTES_CLOSE, QUOTES_OPEN
from nlp.lexicon import known_orgs, listed_firms, suffix_rules
from nlp.names import form_table, konec_forms, konec_places

_PARTICLES = ("으로부터", "에서부터", "로부터", "에게서", "에서는", "에서도", "으로는", "에게", "한테", "에서", "께서",
              "으로", "와의", "과의", "이라는", "라는", "이며", "이고", "이자", "이다", "였다", "이었", "까지", "부터",
              "처럼", "보다", "만큼", "마저", "조차", "이나", "나", "랑", "하고", "은", "는", "이", "가", "을", "를",
              "의", "에", "도", "로", "와", "과", "만", "인", "측")
_PARTICLE_CLASS = {
    "은": "topic", "는": "topic", "이": "subj", "가": "subj", "께서": "subj", "을": "obj", "를": "obj",
    "의": "gen", "와": "with", "과": "with", "와의": "with", "과의": "with", "하고": "with", "랑": "with",
    "에": "at", "에서": "at", "에게": "at", "한테": "at", "에서는": "at", "에서도": "at",
    "로부터": "from", "으로부터": "from", "에서부터": "from", "에게서": "from",
    "로": "by", "으로": "by", "으로는": "by", "인": "cop", "이며": "cop", "이고": "cop", "이자": "cop",
    "이다": "cop", "였다": "cop", "이었": "cop", "이라는": "cop", "라는": "cop", "도": "also", "만": "only",
}
_COUNT_NOUN = re.compile(r"^[^.?!]{0,6}?등\s*(?:\d+|[한두세네다섯여섯일곱여덟아홉열]+)?\s*(?:개\s*)?"
                         r"(기업|업체|회사|사|곳|개사|법인|농가|단체|기관|팀)")
_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설길연위표명기반왕금옥육인맹제모탁국")
PLACES = frozenset(
    "서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 경남 제주 충청 전라 경상 전주 군산 익산 "
    "정읍 남원 김제 완주 진안 무주 장수 임실 순창 고창 부안 목포 여수 순천 나주 광양 담양 곡성 구례 고흥 보성 화순 장흥 강진 "
    "해남 영암 무안 함평 영광 장성 완도 진도 신안 천안 공주 보령 아산 서산 논산 계룡 당진 창원 진주 통영 김해 포항 경주 "
    "강서 강남 강북 마포 종로 수원 성남 용인 고양 청주 충주 원주 춘천 강릉 한국 국내 미국 중국 일본 독일 영국 프랑스".split())


def is_place(word: str) -> bool:
    """A place's name: a region of the hand list above, the stem of any local government
    (data/lexicon/places.toml: 인제, 칠곡, 창녕), or a country, province, city or county konec's
    labellers marked as a place in most of its uses (`names.konec_places`)."""
    return word in PLACES or word in _local_government_stems() or word in konec_places()


@lru_cache(maxsize=1)
def _local_government_stems() -> frozenset[str]:
    """The stems of data/lexicon/places.toml less those Kiwi reads as ordinary words (음성 "voice",
    예산 "budget", 구리 "copper"), as konec's places leave such words out."""
    from nlp.kiwi import ordinary_word
    from nlp.lexicon import place_stems

    return frozenset(stem for stem in frozenset().union(*place_stems().values()) if not ordinary_word(stem))


CONTEXT_WINDOW = 3
# Trades named by …사 (`자산운용사 A`, `시공사인 A`, `펀드 평가사 A`). Not 통신사 (also a news agency),
# 선사 (also prehistory), 설계사 (an insurance planner, a person), nor 투자사, 카드사 or 기획사: after
# those a common noun or the first word of a longer name comes as often as a name (`투자사 밋업`,
# `카드사 콜센터`, `기획사 스위트 파워`).
_TRADES_IN_SA = ("증권사", "운용사", "평가사", "보험사", "제약사", "건설사", "시행사", "시공사", "항공사", "해운사", "조선사",
                 "게임사", "유통사", "배급사", "제작사", "여행사", "금융사", "부품사", "정유사", "철강사", "택배사")
# A word ending in one of these right before a name says the name is a business.
_DESCRIPTOR_ENDS = ("업체", "업체인", "기업", "기업인", "회사", "회사인", "스타트업", "벤처기업", "제조사", "제조업체",
                    "전문기업", "유통업체", "가공업체", "생산업체", "판매업체", "협력사", "계열사", "자회사", "법인") \
    + _TRADES_IN_SA + tuple(trade + "인" for trade in _TRADES_IN_SA)
# Nouns for a business, written between a sector word and a name (`e-모빌리티 기업 A`).
_FIRM_NOUNS = frozenset({"기업", "업체", "회사", "스타트업", "기업인", "업체인", "회사인", "제조사", "제조업체", "브랜드",
                         "전문기업", "벤처기업", "그룹", "계열사", "자회사"})
# Nouns a firm's figures and belongings are named with (X의 매출, X 주가, X 공장).
_BUSINESS_NOUNS = ("매출", "영업이익", "주가", "주식", "지분", "제품", "공장", "본사", "사옥", "임직원", "직원", "대표", "대표이사",
                   "회장", "사장", "브랜드", "신제품", "서비스", "계열사", "자회사", "협력사", "고객사", "점포", "매장")
# Predicates whose object is chosen, honoured or funded (…를 선정했다): in programme news, firms.
_CHOOSING = ("선정", "지정", "선발", "표창", "뽑", "인증", "지원", "육성", "발굴", "포상", "시상", "초청")
_PARTNERING = re.compile(r"^[^.?!]{0,40}?(?:계약|협약|MOU|양해각서|제휴|합작|맞손|손잡|손을 잡)")
COMMON_ID = 20000   # nouns below this Kiwi id are ordinary words worth reading as context


_PARTICLE_START = re.compile("|".join(map(re.escape, _PARTICLES)))


_CLOSING = "'\"’”」』〉》)]"


def particle_of(tail: str) -> str:
    """The particle a word's tail starts with (the first of `_PARTICLES`, longest ones first),
    after a closing quote or bracket (`'포니이펙트'는`, `“A”가`: names are often quoted)."""
    match = _PARTICLE_START.match(tail.lstrip(_CLOSING))
    return match.group() if match else ""


def _shape(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if "가" <= ch <= "힣":
            s = "가"
        elif ch.isascii() and ch.isalpha():
            s = "A" if ch.isupper() else "a"
        elif ch.isdigit():
            s = "0"
        elif ch.isspace():
            s = "_"
        elif "\u4e00" <= ch <= "\u9fff":
            s = "漢"
        else:
            s = "."
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)[:6]


def _length_bucket(n: int) -> str:
    return str(n) if n <= 5 else ("6-8" if n <= 8 else "9+")


def _common_nouns(tokens: Iterable) -> list[str]:
    return [t.form for t in tokens if t.tag in ("NNG", "NNB") and t.id < COMMON_ID]


def _name_word(piece: Piece, text: str, any_noun: bool = False) -> bool:
    """A whitespace word that is all name: a proper noun, a foreign word or an unknown word
    (with `any_noun`, a common noun too), with nothing after it."""
    inside = [t for t in piece.tokens if t.start < piece.core_end]
    if not inside or piece.core_end != piece.end:
        return False
    if any_noun:
        return all(t.tag.startswith(("NN", "SL", "SH", "SN")) for t in inside)
    return all(t.tag in ("NNP", "SL", "SH") or t.oov for t in inside)


def _predicate_after(tokens: list, position: int) -> str:
    """The first predicate after `position` in the sentence: a verb's lemma, or the noun of a
    `…하다/되다` verb (체결, 선정, 출시)."""
    for i, token in enumerate(tokens):
        if token.start < position:
            continue
        if token.tag in ("VV", "VA") and token.form not in ("하", "되", "있", "없"):
            return token.form
        if token.tag == "XSV" and i > 0 and tokens[i - 1].tag == "NNG":
            return tokens[i - 1].form
        if token.tag in ("EF", "SF"):
            break
    return ""


def _final_predicate(tokens: list) -> str:
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if token.tag in ("VV", "VA") and token.form not in ("하", "되", "있", "없", "밝히", "말하", "전하"):
            return token.form
        if token.tag == "XSV" and i > 0 and tokens[i - 1].tag == "NNG" and tokens[i - 1].form not in ("말", "전"):
            return tokens[i - 1].form
    return ""


@lru_cache(maxsize=1)
def _suffix_table() -> tuple[tuple[int, ...], dict[str, str]]:
    table = suffix_rules().by_suffix
    return tuple(sorted({len(x) for x in table}, reverse=True)), table


def _suffix_kind(bare: str) -> tuple[str, str]:
    """The longest kind-telling suffix of the name (…센터 → public) and its kind."""
    lengths, table = _suffix_table()
    for length in lengths:
        if len(bare) > length:
            kind = table.get(bare[-length:])
            if kind is not None:
                return bare[-length:], kind
    return "", ""


def word_kind(word: str) -> str:
    """The kind a word tells by its suffix, the word itself included (`저축은행`, `…제강` → firm)."""
    return _suffix_table()[1].get(word) or _suffix_kind(word)[1]


def person_shaped(bare: str) -> bool:
    """Two or three Hangul syllables starting with a common surname (김민준, 이도윤)."""
    return 2 <= len(bare) <= 3 and bool(re.fullmatch(r"[가-힣]+", bare)) and bare[0] in _SURNAMES


def firm_cue(text: str, pieces: list[Piece], candidate: Candidate) -> bool:
    """Korean says outright that the name is a business: a noun for a business right before it
    (`수산 가공업체 A`, `식품 기업인 A`, `스타트업 A`) or its representative in brackets after it
    (`A(대표 홍길동)`). A chair in brackets says no such thing: in 4,100 regional news articles and
    press releases all 134 `X(회장 …)` are associations, clubs and senior centres (`…부녀회`,
    `…경로당`), and all 7 `X(사장 …)` public corporations."""
    if business_noun_before(text, pieces, candidate):
        return True
    return representative_after(text, candidate) or described_as_business(text, candidate) \
        or branch_after(text, candidate)


# `A 새봄점(대표 …)과`, `A 누리점에서`: a shop's branch right after the name names a chain.
_BRANCH_AFTER = re.compile(r"\s([가-힣A-Za-z0-9]{1,12}점)(?=\(|[은는이가과와의을를에도]|\s|,|·)")


def branch_after(text: str, candidate: Candidate) -> bool:
    """The name, one word, is followed by one of its shops (`…점`, nlp/candidates.store_branch);
    not a place before a chain's name (`누리동 다온마트 새봄점`)."""
    if candidate.tail or candidate.words > 1:
        return False
    match = _BRANCH_AFTER.match(text, candidate.end)
    return match is not None and store_branch(match.group(1))


# `A는 … 기업이다`, `A는 2019년 설립된 …을 만드는 업체로`: the topic of the sentence said to be a
# business by its own predicate (the press-release introduction of a firm; 143 such sentences over
# 2,928 regional articles, half of them naming a firm without a legal form). The noun phrase ends
# the clause: a copula or `으로/로서` follows, never a further word (`기업으로부터`, `기업들과`).
BUSINESS_PREDICATE = (r"(?:기업|업체|회사|스타트업|제조사|자회사|계열사)"
                      r"(?:이다|다|입니다|이며|며|이자|이고|으로서|으로|로서|로)(?![가-힣])")
BUSINESS_PREDICATE_RE = re.compile(BUSINESS_PREDICATE)
_CLAUSE_STOP = re.compile(r"[.!?\"“”]")


def described_as_business(text: str, candidate: Candidate) -> bool:
    """The candidate is the topic (`A는`) of a sentence whose predicate calls it a business."""
    if particle_of(candidate.tail) not in ("은", "는"):
        return False
    start = candidate.end + len(candidate.tail)
    stop = _CLAUSE_STOP.search(text, start, start + 160)
    return BUSINESS_PREDICATE_RE.search(text, start, stop.start() if stop else start + 160) is not None


# `(대표 홍길동)`, and as releases as often write it, `(대표: 홍길동)`, `(대표이사 : 홍길동)` (in 6,470
# regional articles: 115 with a space, 106 with a colon)
_REPRESENTATIVE_BRACKET = re.compile(r"\s?\(대표(?:이사)?(?:\s|\s?[:：]\s?(?=[가-힣]))")


def representative_after(text: str, candidate: Candidate) -> bool:
    """`A(대표 홍길동)`: the business's representative named in brackets right after it."""
    return candidate.tail == "" and _REPRESENTATIVE_BRACKET.match(text, candidate.end) is not None


# A firm's representative named around its name: `홍길동 A 대표는`, `A 홍길동 대표이사가` (releases name
# the heads of the firms they mention so). Only 대표 and 대표이사: a chair (회장) heads associations as
# often, and a president (사장) public corporations.
# after the title: a particle, a bracket (`대표(왼쪽)`), `등` closing a group of persons (`홍길동 A 대표 등
# 6명이`) or `겸` joining a second title, or the bullet of a roster's next entry (`홍길동 A 대표 △…상=`);
# not any word (`대표 모빌리티 도시`: a noun, no title)
_HEAD_TITLE = r"(?:대표이사|대표)(?:[은는이가을를의와과도,·(]|에게|로부터|께서|\s등(?![가-힣])|\s겸\s|\s?[" + BULLETS + r"]|$)"
_HEAD_AFTER = re.compile(r"\s" + _HEAD_TITLE)
_PERSON_THEN_HEAD = re.compile(r"\s([가-힣]{2,3})\s" + _HEAD_TITLE)


# Any head's title after a name: who holds it is named before the body (`홍길동 A 본부장은`).
_ANY_HEAD_AFTER = re.compile(r"\s(?:대표이사|대표|회장|부회장|사장|부사장|이사장|이사|전무|상무|본부장|부장|팀장|지점장|"
                             r"공장장|센터장|소장|원장)(?:[은는이가을를의와과도,·(]|에게|께서|\s|$)")


def person_then_body(text: str, pieces: list[Piece], candidate: Candidate) -> bool:
    """A two-word span of a person's name and the body they head (`홍길동 A 대표`, `홍길동 A
    본부장`): two names, the person's and the body's, never one name."""
    if candidate.words != 2 or candidate.tail or not _ANY_HEAD_AFTER.match(text, candidate.end):
        return False
    first = pieces[candidate.first_piece]
    return first.word != pieces[candidate.last_piece].word and _a_persons_name(text, first, loose=True)


# A chief executive's title after the name, as foreign firms' heads are named (`일론 머스크 A
# 최고경영자(CEO)는`, `B CEO인 홍길동`): a firm's title, not an association's or a ministry's.
_CHIEF_EXECUTIVE_AFTER = re.compile(r"\s(?:최고경영자|CEO)(?:[은는이가의와과도,·(]|인\s|\s|$)")


def headed_by_person(text: str, pieces: list[Piece], candidate: Candidate) -> bool:
    """The one-word name stands between a person's name and a representative's title (`홍길동 A
    대표`), or before a person's name and that title (`A 홍길동 대표`): it names the body they head."""
    if candidate.tail or candidate.words > 1 or person_shaped(candidate.text):
        return False
    then = _PERSON_THEN_HEAD.match(text, candidate.end)
    if then is not None:
        after = candidate.last_piece + 1
        return after < len(pieces) and pieces[after].start == then.start(1) \
            and _a_persons_name(text, pieces[after], loose=True)
    return headed_after_person(text, pieces, candidate)


def headed_after_person(text: str, pieces: list[Piece], candidate: Candidate) -> bool:
    """`홍길동 A 대표`: the one-word name between a person's name and a representative's title —
    there nothing but the body's name can stand (a descriptor comes before the person: `화훼농장
    홍길동 대표`)."""
    if candidate.tail or candidate.words > 1 or candidate.first_piece == 0 or person_shaped(candidate.text) \
            or not _HEAD_AFTER.match(text, candidate.end):
        return False
    prev = pieces[candidate.first_piece - 1]
    return prev.word + 1 == pieces[candidate.first_piece].word and _a_persons_name(text, prev, loose=True) \
        and (prev.start == 0 or not text[prev.start - 1].isalnum())


def chief_executive_of(text: str, pieces: list[Piece], candidate: Candidate) -> bool:
    """The one-word name stands between a person's name and a chief executive's title (`일론 머스크
    A 최고경영자(CEO)는`, `젠슨 황 A CEO`): foreign firms' heads are named so, and the person is a
    proper noun Kiwi knows, alone or as part of a longer name (`젠슨 황`). Two persons never stand in a
    row there, so a name shaped like a Korean person's is the firm's (`오라클`)."""
    if candidate.tail or candidate.words > 1 or candidate.first_piece == 0 \
            or not _CHIEF_EXECUTIVE_AFTER.match(text, candidate.end):
        return False
    prev = pieces[candidate.first_piece - 1]
    if not prev.tokens:     # the end of a proper noun Kiwi reads across words (`젠슨 황`)
        return prev.word + 1 == pieces[candidate.first_piece].word \
            and bool(re.fullmatch(r"[가-힣]{1,5}", text[prev.start:prev.end]))
    word = text[prev.core_start:prev.core_end]
    if not (prev.word + 1 == pieces[candidate.first_piece].word and not prev.tail and prev.core_start == prev.start
            and bool(re.fullmatch(r"[가-힣]{2,5}", word)) and not is_place(word) and proper_noun(prev.tokens)):
        return False
    # a Korean person's name, or a foreign one of two words (`일론 머스크 A CEO`); one foreign word
    # alone before the title is the person's surname (`일론 머스크 CEO`: 머스크 is no firm)
    before = pieces[candidate.first_piece - 2] if candidate.first_piece >= 2 else None
    return person_shaped(word) or (before is not None and before.word + 1 == prev.word and not before.tail
                                   and proper_noun(before.tokens))


def proper_noun(tokens: Sequence, latin: bool = False) -> bool:
    """Kiwi reads every token as a proper noun or a word it does not know (with `latin`, foreign
    letters too): a name, not ordinary words."""
    return bool(tokens) and all(t.tag == "NNP" or t.oov or (latin and t.tag in ("SL", "SH")) for t in tokens)


def _a_persons_name(text: str, piece: Piece, loose: bool = False) -> bool:
    """A whole word shaped like a person's name that Kiwi reads as a proper noun (not `조성`, `임시`,
    `서류에`, `인천`). `loose`: also where Kiwi reads only the name's start as one (김형+우) — beside
    a head's title the word can be nothing but the person."""
    word = text[piece.core_start:piece.core_end]
    if piece.tail or piece.core_start != piece.start or not person_shaped(word) or is_place(word):
        return False
    return proper_noun(piece.tokens) or (loose and len(word) == 3 and bool(piece.tokens)
                                         and piece.tokens[0].tag == "NNP")


# `… 브랜드 ‘A’`, `브랜드인 A`: the name is given as a brand's, and LABELLING.md lists brands named as
# brands under no organisation (the owner, when named, is the firm: `X의 … 브랜드 ‘A’가 …을 출시했다`).
_BRAND_BEFORE = re.compile(r"브랜드(?:인|이자)?\s?[" + "'\"" + QUOTES_OPEN + r"]?$")
# `테이블오더 서비스 ‘A’`, `모바일 앱 ‘A’`, `육성 프로그램인 ‘A’`, `체험 공간인 ‘A’`: a quoted name given as
# a product, a service or a programme is that thing, named so: over 3,135 regional dev articles this
# removed 24 organisations (19 of them firms), none a business. Not 플랫폼: news names a platform firm
# so (`부동산 플랫폼 ‘A’에 따르면`).
_PRODUCT_WORD_BEFORE = re.compile(r"(?:서비스|설루션|솔루션|시스템|프로그램|제품|신제품|앱|애플리케이션|캠페인|프로젝트|사업|"
                                  r"펀드|상품|멤버십|게임|공간|메뉴|콘텐츠)(?:인|이자)?\s?[" + "'\"" + QUOTES_OPEN + r"]$")


# The subject's particle after the closing quote (and a gloss): `애플리케이션 ‘A’(…)가 … 선정했다` names
# the maker by what it makes; a thing named so is its object, a place or a modifier.
_SUBJECT_AFTER_QUOTE = re.compile(r"[" + "'\"" + QUOTES_CLOSE + r"]\s?(?:\([^()]{0,40}\))?\s?(?:이|가|은|는)(?![가-힣])")


def named_as_brand(text: str, start: int) -> bool:
    """The word right before the name starting at `start` is 브랜드 (`더마 코스메틱 브랜드 ‘A’`,
    `섬유 브랜드 A를`)."""
    return _BRAND_BEFORE.search(text, max(0, start - 8), start) is not None


def named_as_thing(text: str, start: int, end: int) -> bool:
    """A quoted name (from `start` to `end`) given as a product, a service or a programme, and not
    the subject of its clause: the thing, not its maker."""
    return _PRODUCT_WORD_BEFORE.search(text, max(0, start - 10), start) is not None \
        and _SUBJECT_AFTER_QUOTE.match(text, end) is None


def business_noun_before(text: str, pieces: list[Piece], candidate: Candidate, strict: bool = False) -> bool:
    """A noun for a business is the word right before the name (`식품기업 A`, `가공업체인 A`).
    `strict` leaves out 기업인, which also means a businessperson (`벤처기업인 홍길동`)."""
    first = candidate.first_piece
    if first >= 2 and _bare_place(text, pieces[first - 1]) and pieces[first - 1].word + 1 == pieces[first].word:
        first -= 1      # `인증 전문 기업인 스위스 SGS사`: the firm's country or town between noun and name
    if first == 0:
        return False
    prev = pieces[first - 1]
    word = text[prev.core_start:prev.end]
    if prev.word + 1 != pieces[first].word or word.endswith(("들", "들이", "들은")):
        return False
    return word.endswith(_DESCRIPTOR_ENDS) and not (strict and word.endswith("기업인"))


def _bare_place(text: str, piece: Piece) -> bool:
    """A whole word that is a place's name, with no particle (`스위스`, not `스위스의`)."""
    return not piece.tail and piece.core_start == piece.start and is_place(text[piece.core_start:piece.core_end])


# a deputy's title is the title with 부 before it (`홍길동 부회장`, `부사장`, `부대표`): over the 3,265 dev-side
# regional articles of the twentieth diagnostic the model had taken 4 persons so titled for firms, and
# reading the deputy's title takes them out with no firm lost
_TITLE = r"(?:씨|군|양|님|부?(?:대표|회장|사장|이사|교수)|변호사|의원|기자|선수|감독|작가)"
_PERSON_AFTER = re.compile(r"\s?(?:" + _TITLE + r"|\(\d)")
_FIRM_THEN_TITLE = re.compile(r"\s([^\s,.·]+)\s" + _TITLE + r"(?:[은는이가을를의와과도]|(?![가-힣]))")


# `A 관계자는`, `A 측은`: someone speaking for a body, so the word before names one (of any kind).
_SPOKESPERSON_AFTER = re.compile(r"\s(?:관계자(?:는|가|들은|에 따르면)|측(?:은|이|에 따르면))(?![가-힣])")


def spoken_for(text: str, pieces: list[Piece], candidate: Candidate) -> bool:
    """The one-word name is followed by its spokesperson (`A 관계자는`) or its side (`A 측은`), and
    no proper noun stands right before it (`어나니머스 코리아 측`: a name of two words)."""
    if candidate.tail or candidate.words != 1 or not _SPOKESPERSON_AFTER.match(text, candidate.end):
        return False
    if candidate.first_piece == 0:
        return True
    prev = pieces[candidate.first_piece - 1]
    return not (prev.word + 1 == pieces[candidate.first_piece].word and not prev.tail
                and proper_noun(prev.tokens, latin=True))


def person_after(text: str, candidate: Candidate) -> bool:
    """A person's title or age right after the name (`홍길동 씨`, `홍길동(45)`), or after the
    name of the firm that follows (`전문업체 홍길동 ABC 대표`: the person is named before their
    firm and title)."""
    if candidate.tail:
        return False
    if _PERSON_AFTER.match(text, candidate.end):
        return True
    then = _FIRM_THEN_TITLE.match(text, candidate.end)
    return then is not None and not person_shaped(then.group(1))


def non_firm_cue(text: str, pieces: list[Piece], candidate: Candidate) -> str | None:
    """Korean that says a name is no business: a noun for another kind of body right before it
    (`주관기관인 GSMA`, `원 소속팀인 흥국생명`), a sports role right after it (`한화 감독`,
    `SK 선수`) or a chair in brackets (`…부녀회(회장 …)`). Returns the kind, or None."""
    if candidate.first_piece > 0:
        prev = pieces[candidate.first_piece - 1]
        word = text[prev.core_start:prev.end]
        if prev.word + 1 == pieces[candidate.first_piece].word:
            if word.endswith(_TEAM_WORDS):
                return "other"
            if word.endswith(_BODY_WORDS):
                return "other"
            if word.endswith(_MEDIA_WORDS):
                return "media"     # `영국 매체 미러`, `일간지 텔레그래프가`, `경제 전문지 포브스는`
    if not candidate.tail and _MEDIA_LIST_AFTER.match(text, candidate.end):
        return "media"             # `올싱스디, 씨넷 등 외신은`, `AFP 등 외신이`: a list of outlets
    after = text[candidate.end:candidate.end + 6]
    if not candidate.tail and re.match(r"\s(?:" + "|".join(_SPORTS_ROLES) + r")", after):
        return "other"
    if not candidate.tail and re.match(r"\s?\(회장\s", after):
        return "association"   # `새솔경로당(회장 홍길동)`, `서울지방변호사회(회장 …)`: see firm_cue
    return None


_TEAM_WORDS = ("팀", "팀인", "소속팀", "소속팀인", "구단", "구단인", "클럽")
# Words for an outlet right before its name; a list of names closed by `등 외신/언론/매체`. Both name
# outlets in KLUE raw, Wikinews and regional news alike (50 and 11 such phrases there).
_MEDIA_WORDS = ("매체", "외신", "일간지", "통신사", "방송사", "경제지", "전문지", "주간지", "언론사")
_MEDIA_LIST_AFTER = re.compile(r"(?:\s?[,·ㆍ]\s?[^\s,·ㆍ]+){0,6}\s?등\s(?:[가-힣]+\s)?"
                               r"(?:외신|언론|매체|언론사|방송사|일간지)(?:들)?(?:은|는|이|가|에|의|과|와|을|를)?(?![가-힣])")
_BODY_WORDS = ("기관", "기관인", "주관기관", "주관기관인", "단체", "단체인", "당국")
_SPORTS_ROLES = ("감독", "선수", "구단", "코치", "투수", "타자", "수비수", "공격수", "골키퍼", "주장")


_RELATIONS = ("계열사", "자회사", "협력사")


def describes_next_name(text: str, pieces: list[Piece], candidate: Candidate, partners: frozenset[int],
                        compounds: bool = False) -> bool:
    """`e-모빌리티 기업 ㈜영광모터스`, `IT 기업 구글`: a sector word, a noun for a business, then a
    name — the candidate says what kind of firm the next name is. With `compounds`, the noun may
    be a compound ending in one (`한빛식품 유통업체인 A`, `수산 가공업체 A`); the firm model's
    feature keeps the narrower reading it was trained with."""
    if candidate.last_piece + 2 >= len(pieces) or candidate.tail:
        return False
    head = pieces[candidate.last_piece + 1]
    core = text[head.core_start:head.core_end]
    if not compounds:
        described = core in _FIRM_NOUNS
    else:   # a parent's relation to the next name (`X그룹 계열사 Y`) leaves X a firm, and so does its
        # legal form written as a word (`X 주식회사(대표 …)`: the form is X's, not a descriptor)
        word = text[head.core_start:head.end]
        described = not core.endswith(_RELATIONS) and core not in LEGAL_FORM_WORDS and (core in _FIRM_NOUNS or (
            word.endswith(_DESCRIPTOR_ENDS) and not word.endswith(("들", "들이", "들은"))))
    return described and candidate.last_piece + 2 in partners


def _list_features(bare: str, add) -> None:  # type: ignore[no-untyped-def]
    if bare in listed_firms():
        add("krx")
    known = known_orgs().get(bare)
    if known:
        add(f"known={known.kind}")
    form = konec_forms().get(bare)
    if form:
        add(f"konec={form.kind}")
        if form.share >= 0.8 and form.count >= 2:
            add(f"konec_sure={form.kind}")
        if form.kind != "firm" and form.firm_share >= 0.2:
            add("konec_sometimes_firm")    # 페이스북, 구글: a service in most uses, a firm in many


@lru_cache(maxsize=1)
def _business_predicate() -> re.Pattern[str]:
    """Achievement triggers (data/lexicon/achievements.toml), and the words of their clauses that
    are no achievement themselves (영업이익): a clause about a business's deeds or results."""
    from nlp.achievements import lexicon

    words = sorted({t for kind in lexicon().types for t in kind.triggers + kind.context_only}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _role_features(text: str, candidate: Candidate, particle: str, view: "SentenceView", add) -> None:  # type: ignore[no-untyped-def]
    """The candidate's part in a business clause: who signed, sold, was selected (genre-general
    cues, each one feature rather than one per verb)."""
    after = text[candidate.end:min(max(view.end, candidate.end), candidate.end + 60)]   # what the cues read
    cls = _PARTICLE_CLASS.get(particle, "none")
    if cls in ("subj", "topic", "also") and view.business_after(candidate.end):
        add("biz_subject")
    if cls == "obj" and any(word in after[:40] for word in _CHOOSING):
        add("chosen_object")
    if cls == "with" and _PARTNERING.match(after):
        add("biz_partner")
    if cls in ("gen", "none") and after.lstrip().startswith(_BUSINESS_NOUNS):
        add("business_noun_after")


def _conjunctions(f: dict[str, float], name_tokens: list, particle: str, predicate: str) -> None:
    """Pairs a linear model cannot form from their parts: the name's part in its clause with the
    clause's verb (`subj|출시`, `obj|인수`), and each business role with whether the name reads as
    a name (unknown to Kiwi — the `oov` or `split` feature —, a proper noun, Latin letters) or as
    common nouns. A subject of 출시하다 is a maker when it is a name and a product when it is a
    common noun (`밀키트가`). Reads the features `f` already holds."""
    cls = _PARTICLE_CLASS.get(particle, "none")
    if predicate and cls != "none":
        f[f"role_pred={cls}|{predicate}"] = 1.0
    name_like = "oov" in f or "split" in f or any(t.tag in ("NNP", "SL", "SH") for t in name_tokens)
    shape = "name" if name_like else "common"
    for role in ("biz_subject", "biz_partner", "chosen_object", "business_noun_after"):
        if role in f:
            f[f"{role}|{shape}"] = 1.0


@lru_cache(maxsize=65536)
def _name_features(text: str, lists: bool, table: object) -> tuple[str, ...]:
    """What the name's own letters say: length, shape, suffixes and inner character pairs,
    person shape, a place at its start, the lists and the kind-telling suffix (cached: a firm
    is mentioned again and again)."""
    out: list[str] = []
    bare = text.replace(" ", "")
    out.append(f"len={_length_bucket(len(bare))}")
    out.append(f"shape={_shape(text)}")
    hangul = re.sub(r"[^가-힣]", "", bare)
    if hangul:
        for k in (1, 2, 3):
            if len(hangul) > k:
                out.append(f"suf{k}={hangul[-k:]}")
        out.append(f"pre1={hangul[0]}")
        for n in (2, 3):   # the name's shape inside (…엔터…, …테크…): names are substituted in training
            for i in range(len(hangul) - n + 1):
                out.append(f"cg{n}={hangul[i:i + n]}")
    if re.fullmatch(r"[A-Z0-9&\-.]{2,6}", bare):
        out.append("acronym")
    if person_shaped(bare):
        out.append("person_shape")
    first_word = text.split()[0]
    if is_place(first_word):
        out.append("starts_place")
    elif any(bare.startswith(p) and len(bare) > len(p) + 1 for p in ("전북", "전남", "광주", "서울", "한국", "대한")):
        out.append("place_prefix")
    if lists:
        _list_features(bare, out.append)
    suffix, kind = _suffix_kind(bare)
    if suffix:
        out.append(f"sfx_kind={kind}")
        out.append(f"sfx={suffix}")
    return tuple(out)


class SentenceView:
    """What every candidate of one sentence shares, computed once: its end, its final
    predicate, each piece's common nouns, where business predicates and predicates stand."""

    def __init__(self, text: str, pieces: list[Piece], tokens: list):
        self.end = max((t.start + t.len for t in tokens), default=0)
        self.final = _final_predicate(tokens)
        self.core_nouns = [_common_nouns(t for t in p.tokens if t.start < p.core_end) for p in pieces]
        self.nouns = [_common_nouns(p.tokens) for p in pieces]
        start = tokens[0].start if tokens else 0
        self.business = [m.start() for m in _business_predicate().finditer(text, start, self.end)]
        self.predicates: list[tuple[int, str]] = []     # (position, predicate) in text order
        for i, token in enumerate(tokens):
            if token.tag in ("VV", "VA") and token.form not in ("하", "되", "있", "없"):
                self.predicates.append((token.start, token.form))
            elif token.tag == "XSV" and i > 0 and tokens[i - 1].tag == "NNG":
                self.predicates.append((token.start, tokens[i - 1].form))
            elif token.tag in ("EF", "SF"):
                self.predicates.append((token.start, ""))

    def predicate_after(self, position: int) -> str:
        """The first predicate after `position`, "" when the sentence (or its first statement) ends first."""
        for start, form in self.predicates:
            if start >= position:
                return form
        return ""

    def business_after(self, position: int) -> bool:
        return any(start >= position for start in self.business)


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.\-']*")


def _word_classes(candidate: Candidate) -> list[str]:
    """What each word of a name of several words is: Latin letters, a place, `&`, a name-like
    word (proper noun, unknown or rare), a middling or a frequent common noun. `BHP Billiton`
    (latin+latin), `SK 텔레콤`, `모토로라 모빌리티` are names; `익산 기업체들` (place+noun) is not —
    what `words=2` alone cannot tell, since most two-word spans are no names."""
    out = []
    offset = candidate.start
    for match in re.finditer(r"\S+", candidate.text):
        word = match.group()
        start, end = offset + match.start(), offset + match.end()
        inside = [t for t in candidate.tokens if start <= t.start < end]
        if word == "&":
            out.append("amp")
        elif _LATIN_WORD.fullmatch(word):
            out.append("latin")
        elif is_place(word):
            out.append("place")
        elif word.isdigit():
            out.append("num")
        elif any(t.tag in ("NNP", "SL", "SH") or t.oov for t in inside):
            out.append("name")
        else:
            top = max((t.id for t in inside if t.tag.startswith("NN")), default=0)
            out.append("rare" if top >= COMMON_ID else "mid" if top >= RARE_MORPHEME_ID else "common")
    return out


def candidate_features(text: str, pieces: list[Piece], tokens: list, candidate: Candidate,
                       partners: frozenset[int] = frozenset(), lists: bool = True,
                       view: SentenceView | None = None) -> dict[str, float]:
    """Binary features (name → 1.0) of one candidate in its sentence.

    `pieces` and `tokens` are the sentence's; `partners` holds the piece indexes of other
    candidates (for list membership). `lists=False` leaves out what the name lists say: training
    does so on sentences whose labels come from those very lists (silver) or whose names were
    substituted, so that the model learns the lists' worth from gold sentences only.
    """
    view = view or SentenceView(text, pieces, tokens)
    f: dict[str, float] = {"bias": 1.0}

    def add(name: str) -> None:
        f[name] = 1.0

    bare = candidate.text.replace(" ", "")
    add(f"words={candidate.words}")
    if candidate.words > 1:
        add("wc=" + "+".join(_word_classes(candidate)))
    for name in _name_features(candidate.text, lists, form_table()):   # the same for every mention of a name
        f[name] = 1.0
    name_tokens = candidate.tokens
    if name_tokens:
        tags = [t.tag for t in name_tokens if not t.tag.startswith("S") or t.tag in ("SL", "SH", "SN")]
        add("tags=" + "+".join(dict.fromkeys(tags))[:24])
        last = name_tokens[-1]
        add(f"last_tag={last.tag}")
        if last.tag in ("NNG", "XSN") and last.id < COMMON_ID:
            add(f"head={last.form}")
        nouns = [t for t in name_tokens if t.tag.startswith("NN")]
        if any(t.oov for t in name_tokens):
            add("oov")
        elif split_unknown(name_tokens):
            add("split")       # an unknown word Kiwi read as syllables (우/솔/기계): as telling as oov
        elif nouns:
            rarest = max(t.id for t in nouns)
            add("rarity=" + ("rare" if rarest >= COMMON_ID else "mid" if rarest >= RARE_MORPHEME_ID else "common"))
    if candidate.form_before or candidate.form_after:
        add("legal_form")
        add(f"legal={candidate.form_before or candidate.form_after}")
    if candidate.cut_particle:
        add("cut_particle")
    # quotes
    if candidate.start > 0 and text[candidate.start - 1] in QUOTES_OPEN:
        add("quoted")
    # what follows: particle, the next word, brackets
    particle = particle_of(candidate.tail)
    if candidate.cut_particle and not particle:
        particle = particle_of(candidate.cut_particle + candidate.tail)
    add(f"particle={particle or ('none' if not candidate.tail else 'other')}")
    add(f"pclass={_PARTICLE_CLASS.get(particle, 'none')}")
    _role_features(text, candidate, particle, view, add)
    last_piece = pieces[candidate.last_piece]
    # a name-like bare word right beside: the candidate may be only part of a longer name
    # (`Babcock` of `Babcock & Brown`, `소니` of `소니 픽처스`, `SK` of `SK 와이번스`)
    if candidate.first_piece > 0 and _name_word(pieces[candidate.first_piece - 1], text) \
            and pieces[candidate.first_piece - 1].gap_after in (" ", " & "):
        add("name_word_before")
    if not candidate.tail and candidate.last_piece + 1 < len(pieces) and last_piece.gap_after == " " \
            and _name_word(pieces[candidate.last_piece + 1], text, any_noun=True):
        add("name_word_after")
    if describes_next_name(text, pieces, candidate, partners):
        add("describes_next_name")
    if candidate.last_piece + 1 < len(pieces):
        nxt = pieces[candidate.last_piece + 1]
        gap = last_piece.gap_after
        nxt_nouns = view.core_nouns[candidate.last_piece + 1]
        if nxt_nouns:
            add(f"next={nxt_nouns[0]}")
            if "(" in gap or text[last_piece.end:last_piece.end + 1] == "(":
                add(f"paren_next={nxt_nouns[0]}")
        if LIST_GAP.match(gap) and candidate.last_piece + 1 in partners:
            add("list_next")
        if particle in ("와", "과", "및") and candidate.last_piece + 1 in partners:
            add("list_next")
    if candidate.first_piece > 0:
        prev = pieces[candidate.first_piece - 1]
        prev_nouns = view.core_nouns[candidate.first_piece - 1]
        if prev_nouns:
            add(f"prev={prev_nouns[-1]}")
        if prev.tail:
            add(f"prev_tail={particle_of(prev.tail) or prev.tail[:2]}")
        prev_surface = text[prev.core_start:prev.core_end]
        if is_place(prev_surface):
            add("prev_place")
        if (LIST_GAP.match(prev.gap_after) or particle_of(prev.tail) in ("와", "과")) \
                and candidate.first_piece - 1 in partners:
            add("list_prev")
        if candidate.first_piece > 1:
            prev2_nouns = view.core_nouns[candidate.first_piece - 2]
            if prev2_nouns:
                add(f"prev2={prev2_nouns[-1]}")
    counted = _COUNT_NOUN.match(text[candidate.end:candidate.end + 40].lstrip("'\"’”)"))
    if counted:
        add("count_noun=" + counted.group(1))
    # the clause around it
    predicate = view.predicate_after(candidate.end)
    if predicate:
        add(f"pred={predicate}")
    _conjunctions(f, name_tokens, particle, predicate)
    if view.final:
        add(f"final={view.final}")
    lo = max(0, candidate.first_piece - CONTEXT_WINDOW)
    hi = min(len(pieces), candidate.last_piece + CONTEXT_WINDOW + 1)
    for index in range(lo, hi):
        if candidate.first_piece <= index <= candidate.last_piece:
            continue
        for noun in view.nouns[index]:
            add(f"ctx={noun}")
    return f

"""Organisation mentions from Korean evidence: legal forms, known names, suffixes, datelines.

Works on Kiwi tokens over the whole text. Each whitespace-separated word is split at list
separators (`·`, `,`, `/`), its trailing particles are cut off using Kiwi's tags, and what is
left (the stem) is tested in order of reliability:

1. a legal form (`㈜`, `(주)`, `주식회사` …) before or after the name → firm (or association
   / foundation for 사단·재단법인);
2. a known organisation or alias (data/lexicon/organizations.toml);
3. listed companies (KRX gazetteer) and konec organisation forms;
4. a kind-telling suffix (…진흥원, …대학교, 익산+시) with a real name before it;
5. `[뉴스스텝]`-style datelines and the article's own outlet → media.

A title glued to a name (`전북디지털융합센터장`, `익산시장`) is cut off first.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from nlp.canonical import BULLETS, canonical_name
from nlp.kinds import predict_kind
from nlp.language import reads_as_korean
from nlp.lexicon import (KnownOrg, SuffixRules, known_orgs, konec_org_kinds, listed_codes, listed_firms, place_stems,
                         suffix_rules)
from nlp.names import form_table
from nlp.firm_features import is_place

# The evidence of a name on the listed-company gazetteer.
LISTED_EVIDENCE = "listed company"

_PREFIX_FORM = re.compile(
    r"^(㈜|㈔|㈕|\((?:주|유|사|재|합|농)\)|주식회사|유한회사|합자회사|농업회사법인|영농조합법인|어업회사법인|영어조합법인"
    r"|사단법인|재단법인)\s*"
)
_SUFFIX_FORM = re.compile(r"\s*(㈜|\((?:주|유)\)|주식회사|유한회사|농업회사법인|영농조합법인|어업회사법인|영어조합법인)$")
_FORM_KIND = {"㈔": "association", "(사)": "association", "사단법인": "association",
              "㈕": "public", "(재)": "public", "재단법인": "public"}
# list separators, and brackets that open or close no legal form: `인공지능(AI)반도체` is no name `AI)반도체`;
# and a sentence's end glued to the next sentence (`…분석이다.A(주)는`: 382 such in 146 of 7,082 regional
# articles, where the page lost the space after the full stop)
_SEPARATORS = re.compile(r"[·ㆍ,、/=]|\((?!(?:주|유|사|재|합|농)\))|(?<!\([주유사재합농])\)"
                         r"|(?<=[가-힣]다)\.(?=[가-힣A-Za-z㈜(])")
_OPENERS = "[‘“’”'\"<《「『(〈" + BULLETS   # `’A‘`: releases reverse quotes too
_CLOSERS = "]’”‘“'\">》」』)〉.…"
_DATELINE = re.compile(r"^\s*[\[【(]\s*([가-힣A-Za-z0-9]{2,12})\s*[\]】)]", re.MULTILINE)
_WIRE_DATELINE = re.compile(r"\(([가-힣A-Za-z]{2,10})\s*=\s*([가-힣A-Za-z]{2,12})\)")
_NOUN_TAGS = ("NNP", "NNG", "SL", "SH", "SN", "XR", "NNB")
_NAME_TAGS = ("NNP", "SL", "SH")


@dataclass
class OrgHit:
    start: int
    end: int
    surface: str
    name: str
    kind: str
    evidence: str


_MARKUP_CHARS = re.compile(r"[<>\"']")


@dataclass(eq=False)   # one object per organisation: identity is equality
class Organization:
    name: str
    kind: str
    surface: list[str] = field(default_factory=list)
    mentions: list[list[int]] = field(default_factory=list)
    evidence: str = ""

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "surface": self.surface, "mentions": self.mentions}


def find_organizations(text: str, tokens: Sequence, outlets: Iterable[str] = (),
                       entities: Sequence[tuple[int, int, str]] = (), sentences: Sequence | None = None,
                       model: object | None = None) -> list[Organization]:
    """All organisations in `text` (tokens: Kiwi tokens of `text`), in order of first mention.

    With a firm `model` (nlp/firm_model.py) and the Kiwi `sentences` of the text, every
    candidate name is scored in its context and the model decides what the rules leave open
    (nlp/firm_decision.py). Without one, `entities` (NER spans) may add candidates and veto
    weak rule names (nlp/ner_orgs.py): the rules-and-NER stage measured before the model.
    """
    if not reads_as_korean(text):
        return []     # an English article: its every word would be a candidate (nlp/language.py)
    tokens = tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
    hits = _with_branches(text, list(_candidate_hits(text, tokens)))
    hits.extend(_media_hits(text, outlets))
    hits.extend(_stock_code_hits(text, hits))
    practices = list(_practice_hits(text))
    hits = [h for h in hits if not any(p.start <= h.start and h.end <= p.end for p in practices)] + practices
    hits = _with_counted_members(text, hits)
    if model is not None and sentences is not None:
        from nlp.firm_decision import decide   # imports this module: load it only when used

        hits = decide(text, sentences, hits, model)
    elif entities:
        from nlp.ner_orgs import combine   # imports this module: load it only when used

        hits = combine(text, tokens, hits, entities)
    hits = _with_shared_heads(text, _with_declared_aliases(text, hits))
    hits = [_as_its_issuer(h) for h in hits
            if not _gloss_of_a_word(text, h, tokens, hits) and not _in_a_fund_name(text, h)]
    # markup left in a text (<b>, <img, script>) or a quote is never part of a name; a legal form
    # alone (`사회적협동조합 푸른 들녘`, the name in two words after it) names nothing
    return [org for org in _group_with_mentions(text, hits) if org.name and not _MARKUP_CHARS.search(org.name)]


# A Latin name inside brackets that open right after a Hangul word (`전환(Digital Transformation)`,
# `전해질막(PEM, Proton Exchange Membrane)`): the English for that word.
# The bracket holds Latin words only, parts joined by `,` `·` `/` (`(LTC·Long Term Care)`, `(SPC, PFV
# 등)`), perhaps with the short name the text will use (`(Renewable Energy Service Company, 이하 ReSCO)`).
_LATIN_PART = r"[A-Za-z0-9&＆\-. ]"
_GLOSS_CLOSE = re.compile(rf"{_LATIN_PART}*(?:[,·/]\s?{_LATIN_PART}+)*(?:\s?등|,\s?이하\s?[^()]{{1,20}})?\)")
_GLOSS_OPEN = re.compile(rf"(?:^|(?<=[\s'\"‘“(]))([가-힣]+)\((?:{_LATIN_PART}+[,·/]\s?)*$")


def _gloss_of_a_word(text: str, hit: OrgHit, tokens: "TokenIndex", hits: list[OrgHit]) -> bool:
    """Whether a Latin name is the English gloss of an ordinary word before its bracket: Korean
    news glosses terms so (`연구개발(R＆D)`, `자산관리(WM)`, `기업간거래(B2B)`), and the gloss is a
    name only where the word is one. Of the 354 Latin firm names over 2,929 regional articles, 62
    stood so, half of them after a common noun; after a name (`중신증권(CITIC Securities)`) the
    bracket is an alias (`_bracketed_aliases`). A legal form keeps the name."""
    if hit.evidence == "legal form" or not re.fullmatch(r"[A-Za-z0-9&＆\-. ]+", hit.surface) \
            or not _GLOSS_CLOSE.match(text, hit.end):
        return False        # `편의점 4사(CU, GS25, …)`: a list in brackets, no gloss
    match = _GLOSS_OPEN.search(text, max(0, hit.start - 40), hit.start)
    if match is None:
        return False
    word_start, word_end = match.start(1), match.end(1)
    if word_end - word_start < 2 or any(h.start < word_end and word_start < h.end for h in hits):
        # `제작·배급사 뉴(NEW)`: one syllable is a name's transliteration more often than a term
        return False
    inside = _tokens_in(word_start, word_end, tokens)
    return any(t.tag == "NNG" for t in inside) and all(t.tag in _ORDINARY_PARTS and not t.oov for t in inside)


_ORDINARY_PARTS = frozenset({"NNG", "XSN", "XPN", "MM"})   # 총+부채+상환+비율, 불확실+성


# A listed company's preferred share (`삼성전자우`, `현대차2우B`): market reports list it beside the
# company (`삼성전자(1.2%), SK하이닉스(0.7%), 삼성전자우(0.9%)`), 16 of the regional articles.
_PREFERRED = re.compile(r"(?:[1-3]?우B?)$")


def _preferred_share(bare: str) -> str | None:
    """The listed issuer whose preferred share `bare` names (`삼성전자우`, `현대차2우B`), if any."""
    match = _PREFERRED.search(bare)
    if match is None or match.start() < 2 or bare[:match.start()] not in listed_firms():
        return None
    return bare[:match.start()]


def _as_its_issuer(hit: OrgHit) -> OrgHit:
    """A preferred share named as a firm is its issuer (`삼성전자우` → 삼성전자)."""
    if hit.kind != "firm" or hit.evidence == "legal form":
        return hit
    issuer = _preferred_share(hit.name)
    return hit if issuer is None else OrgHit(hit.start, hit.end, hit.surface, issuer, hit.kind, hit.evidence)


@lru_cache(maxsize=1)
def _fund_brand() -> re.Pattern[str]:
    """A fund brand written as its own word (`[fund_brands]` in org_suffixes.toml)."""
    brands = "|".join(map(re.escape, suffix_rules().fund_brands)) or "(?!)"
    return re.compile(rf"(?:^|(?<=[\s'\"‘“▲△▷·,(]))(?:{brands})\s")


def _in_a_fund_name(text: str, hit: OrgHit) -> bool:
    """A name inside an exchange-traded fund's (`KODEX 코스닥150레버리지`, `TIGER 미국S&P500`): the
    fund brand written as its own word starts it or stands right before it. A firm whose name
    merely begins with the letters (`ACE엔지니어링`) is none."""
    if hit.evidence == "legal form":
        return False
    brand = _fund_brand()
    if brand.match(text, hit.start) or hit.surface in suffix_rules().fund_families:
        return True     # `TIGER의 누적 수익금`: a fund family named alone
    return any(m.end() == hit.start for m in brand.finditer(text, max(0, hit.start - 12), hit.start))


# `현대자동차(이하 현대차)`, `㈜한빛정밀(이하 ‘한빛’)`: the short name a text declares it will use,
# perhaps after its head or its own letters (`한빛항만공사(사장 홍길동, 이하 HBPA)`, `아처 에비에이션
# (Archer Aviation·이하 ‘아처’)`: 57 such brackets in 3,371 regional articles, beside 110 plain ones).
_DECLARED_ALIAS = re.compile(r"\s?\((?:[^()]{1,40}?[,·]\s?)?\s?(?:이하|앞으로)\s*[‘'\"“]?([^()‘’'\"“”,·ㆍᆞ]{2,20}?)[’'\"”]?\s*(?:이?라\s?함|로|으로)?\s?\)")


def _with_declared_aliases(text: str, hits: list[OrgHit]) -> list[OrgHit]:
    """A short name the text declares right after an organisation's name (`(이하 현대차)`) names
    that organisation wherever it stands: its hits take the full name and kind, and the short
    name in the brackets becomes a surface of it, so that its later bare mentions count (the
    labelling conventions want one name per firm in a passage, its fullest form). A word for a
    kind of body (`이하 재단`, `이하 회사`) is no name and is left alone."""
    by_alias: dict[str, OrgHit] = {}
    declared: list[OrgHit] = []
    for hit in hits:
        match = _DECLARED_ALIAS.match(text, hit.end)
        if match is None:
            continue
        alias = canonical_name(match.group(1).strip())
        if len(alias) < 2 or alias == hit.name or _generic_word(alias):
            continue
        by_alias[alias] = hit
        declared.append(OrgHit(match.start(1), match.start(1) + len(match.group(1).strip()), match.group(1).strip(),
                               hit.name, hit.kind, hit.evidence))
    by_alias.update(_bracketed_aliases(text, hits, by_alias))
    by_alias.update({alias: hit for alias, hit in _group_prefix_aliases(hits).items() if alias not in by_alias})
    short_forms = _short_form_aliases(hits)
    by_alias.update({alias: hit for alias, hit in short_forms.items() if alias not in by_alias})
    if not by_alias:
        return hits
    firms = {hit.name for hit in short_forms.values()}     # a group read as another kind, whose short form is a firm
    renamed = [OrgHit(h.start, h.end, h.surface, by_alias[h.name].name, by_alias[h.name].kind, h.evidence)
               if h.name in by_alias else OrgHit(h.start, h.end, h.surface, h.name, "firm", h.evidence)
               if h.name in firms and h.kind != "firm" else h for h in hits]
    return renamed + [d for d in declared if not any(d.start < h.end and h.start < d.end for h in renamed)]


# `한국항공우주산업(KAI)`, `한국에너지공과대학교(켄텍)`, `니혼게이자이신문(닛케이)`: one word alone in
# brackets right after a name; a Latin name of a few words too (`중신증권(CITIC Securities)`).
_BRACKETED = re.compile(r"\(([A-Za-z][A-Za-z0-9&＆\-.]{1,11}(?: [A-Za-z0-9&＆\-.]{1,15}){0,4}|[가-힣]{2,8})\)")


def _bracketed_aliases(text: str, hits: list[OrgHit], declared: dict[str, OrgHit]) -> dict[str, OrgHit]:
    """The short name a text gives in brackets right after an organisation's name, where that
    short name is itself read as an organisation somewhere in the text: it is the same body
    (`한국항공우주산업(KAI)` … `KAI는`), so its mentions take the full name and kind, as with
    `(이하 …)`. Read alone, the short name is often misjudged (`KAI` an other body, `켄텍` a firm)
    and would count as a second organisation. A place in brackets (`바르셀로나(스페인)`) names
    where the body is, not the body."""
    names = {h.name for h in hits}
    found: dict[str, OrgHit] = {}
    for hit in hits:
        match = _BRACKETED.match(text, hit.end)
        if match is None:
            continue
        alias = canonical_name(match.group(1))
        if alias == hit.name or alias not in names or alias in declared or alias in found \
                or is_place(alias) or _generic_word(alias):
            continue
        found[alias] = hit
    # an alias that is itself the full name of another declared pair stays itself
    return {alias: hit for alias, hit in found.items() if hit.name not in found}


# A group's letters before a firm's name (`IBK기업은행`, `SK하이닉스`, `SPC삼립`, `BNK경남은행`), or 한국
# before a foreign firm's (`한국맥도날드`): the text drops them on later mentions.
_GROUP_PREFIX = re.compile(r"(?:[A-Z]{2,4}|한국)")


def _group_prefix_aliases(hits: list[OrgHit]) -> dict[str, OrgHit]:
    """A firm named in full and, elsewhere in the text, without its group's letters (`IBK기업은행` …
    `기업은행은`, `SK하이닉스` … `하이닉스`): one firm, under its full name. Over 3,959 regional
    articles, 30 such pairs were counted as two firms. The short name must keep two Hangul letters
    (`LGAI` … `AI` is no such pair). The full name may be a body the lexicon knows as another kind:
    a public body named later without its 한국 (`한국거래소` … `거래소가 발표한`) was taken alone
    for a firm. (A kind only guessed for the full name is not passed on.)"""
    firms = {h.name: h for h in hits if h.kind == "firm"}
    known = known_orgs()
    named = {h.name: h for h in hits if h.kind == "firm" or h.name in known}
    found: dict[str, OrgHit] = {}
    for full, hit in named.items():
        for short in firms:
            if short != full and full.endswith(short) and _GROUP_PREFIX.fullmatch(full[: -len(short)]) \
                    and len(re.findall(r"[가-힣]", short)) >= 2 and not _generic_word(short):
                found.setdefault(short, hit)
    return found


def _short_form_aliases(hits: list[OrgHit]) -> dict[str, OrgHit]:
    """A firm named in full and, elsewhere in the text, in the short form Korean news gives it:
    …자동차 as …차 (`현대자동차` … `현대차`), a group or a financial holding company without its
    `그룹`/`지주` (`한빛그룹` … `한빛`, `다온금융지주` … `다온금융`, `누리금융그룹` … `누리금융`), a foreign
    firm's Korean arm by the firm's name (`한빛코리아` … `한빛 매장`), and the carmaker's group as the
    carmaker is shortened (`현대자동차그룹` … `현대차그룹`: 9 of the 6,699 regional articles of the
    twentieth diagnostic name the group both ways). One firm,
    under its full name (LABELLING.md: one canonical name per firm in a passage); over 2,928 other
    regional articles 22 such pairs were counted as two firms. A short form that ends in 차 keeps
    apart from a group of its name (`현대차그룹` is the group, `현대차` the carmaker); a group the
    model read as another kind (`누리금융그룹은 … 비상경영`) is a firm when its short form is one."""
    firms = {h.name: h for h in hits if h.kind == "firm"}
    found: dict[str, OrgHit] = {}
    for hit in hits:
        full = hit.name
        if hit.kind != "firm" and not full.endswith(("그룹", "지주")):
            continue
        for short in firms:
            if short == full or _generic_word(short) or len(short) < 2:
                continue
            same = (short.endswith("차") and len(short) >= 3 and full == short[:-1] + "자동차") \
                or (short.endswith("차그룹") and full == short[:-3] + "자동차그룹") \
                or (full in (short + "그룹", short + "지주") and not short.endswith("차")) \
                or (full == short + "코리아" and hit.kind == "firm")
            if same:
                found.setdefault(short, hit if hit.kind == "firm" else
                                 OrgHit(hit.start, hit.end, hit.surface, hit.name, "firm", hit.evidence))
    return found


def _with_shared_heads(text: str, hits: list[OrgHit]) -> list[OrgHit]:
    """Firms joined by `·` with the business head written once, on the last (`삼성·한화·교보생명`,
    `현대·기아차`, `신한·국민·우리은행`): each bare member before it takes the head, as the
    labelling conventions expand them (삼성생명, 한화생명, 교보생명). A member that carries a
    business ending of its own (`포스코건설·삼성중공업`), or is longer than a group's two-letter
    stem (`네이버·삼성전자`), keeps its name: that list shares nothing."""
    rules = suffix_rules()
    hits = hits + _place_members(text, hits, rules)
    ordered = sorted(hits, key=lambda h: h.start)
    renamed: dict[int, OrgHit] = {}
    run: list[OrgHit] = []
    for hit in [*ordered, None]:
        if hit is not None and run and text[run[-1].end:hit.start] in ("·", "ㆍ"):
            run.append(hit)
            continue
        if len(run) >= 2:
            head = _head_before_bracket(text, run, ordered, rules)
            class_head = _class_head_after(text, run, rules) if head is None else None
            if class_head is not None:
                # `KB국민·신한·하나·우리은행 등 4대 은행`: the last member carries the class's head
                # itself, so the list shares it as it does without the class after it
                renamed.update(_share_class_head(run, class_head, rules) or _share_head(run, rules))
            else:
                renamed.update(_share_head(run, rules) if head is None else _take_bracket_head(run, head, rules))
        run = [hit] if hit is not None else []
    return [renamed.get(id(h), h) for h in hits]


# Places joined by `·` before the last one's place-named firm (`광주·전북은행`, `부산·경남은행`).
_PLACES_BEFORE = re.compile(r"(?:[가-힣]{2,3}[·ㆍ])+$")


def _place_members(text: str, hits: list[OrgHit], rules: SuffixRules) -> list[OrgHit]:
    """The places before a firm named by a place and a shared head (`광주·전북은행`: 광주은행 and
    전북은행, as `부산·경남은행` names both regional banks). They are no hits of their own (a place
    alone names no body), so each is added as a firm with the head, the evidence of the last one."""
    added: list[OrgHit] = []
    for hit in hits:
        head = _head_written_on(hit.name, rules)
        if head is None or hit.kind != "firm" or not is_place(hit.name[:-len(head)]):
            continue
        before = _PLACES_BEFORE.search(text, max(0, hit.start - 16), hit.start)
        if before is None or text[before.start() - 1:before.start()].strip(" ,("):
            continue        # the run starts inside a longer word
        members: list[OrgHit] = []
        cursor = before.start()
        for place in re.findall(r"[가-힣]{2,3}", before.group()):
            at = text.index(place, cursor)
            cursor = at + len(place)
            members.append(OrgHit(at, at + len(place), place, place + head, "firm", hit.evidence))
        if all(is_place(m.surface) for m in members):
            added += members     # every word a place, or none is a member
    return added


# Kinds a name's own ending or a list tells for sure: such a body is never a member sharing a head.
_TELLING_KINDS = ("government", "public", "university")


def _own_endings(rules: SuffixRules) -> tuple[str, ...]:
    """The business endings a list member may carry of its own, so that it shares no head; a local
    cooperative's is none (`NH농협` in `5대 은행(…)` is NH농협은행)."""
    return tuple(s for s in (*rules.shared_heads, *(s for s, kind in rules.by_suffix.items() if kind == "firm"))
                 if s not in rules.local_coops)


# `5대 은행(A·B·C)`, `시중은행(…)`, `카드사(…)`: the word before a bracketed list of members that
# share its head — a count or a short descriptor, then the head; `사`/`들` make the head a class.
_HEAD_WORD = re.compile(r"(?:\d+대\s?)?(?P<word>[가-힣]{1,8}?)(?:사|들)?\s?$")


def _head_before_bracket(text: str, run: list[OrgHit], ordered: list[OrgHit], rules: SuffixRules) -> str | None:
    """The business head written before a bracket that holds only the run (`5대 은행(KB국민·신한·
    하나·우리·NH농협)`, `저축은행(A·B·C)`, `카드사(A·B·C카드)`): the class the members belong to,
    which names each of them as the shared head written on the last one does. Not when the word
    before the bracket is itself an organisation's name (`유럽중앙은행(ECB·…)`: a gloss), nor when
    its ending tells another kind (`중앙은행(…)`)."""
    first, last = run[0], run[-1]
    if text[first.start - 1:first.start] != "(" or ")" in text[first.start:last.end]:
        return None
    before = text[max(0, first.start - 12):first.start - 1]
    word = before.split("(")[-1].split(")")[-1].split(",")[-1]
    match = _HEAD_WORD.search(word)
    if match is None or any(h.start < first.start - 1 <= h.end for h in ordered):
        return None
    word = match.group("word")
    head = next((h for h in rules.shared_heads if word.endswith(h)), None)
    if head is None or len(word) - len(head) > 3:
        return None
    if any(word.endswith(s) and len(s) > len(head) for s, kind in rules.by_suffix.items() if kind != "firm"):
        return None     # `중앙은행(연준·ECB)`: a class of another kind of body
    return head


def _take_bracket_head(run: list[OrgHit], head: str, rules: SuffixRules) -> dict[int, OrgHit]:
    """Each member named by its stem alone takes the class's head (`KB국민` → KB국민은행, `농협` →
    농협은행: the class says which body of the name is meant); a member that carries a business
    ending of its own (`NH농협카드`) or is listed under its own name (`카카오뱅크`) keeps it."""
    endings = _own_endings(rules)
    return _headed([h for h in run if not h.name.endswith(endings) and not h.name.endswith(head)
                    and h.kind not in _TELLING_KINDS and len(h.name) <= 6 and h.evidence != LISTED_EVIDENCE], head)


def _headed(members: list[OrgHit], head: str) -> dict[int, OrgHit]:
    """Each member renamed with the head it shares (`삼성` → 삼성생명), as a firm, by the member's id."""
    return {id(h): OrgHit(h.start, h.end, h.surface, h.name + head, "firm", h.evidence) for h in members}


# `신한·삼성·롯데 등 8대 카드로`, `국민·현대·농협 등 주요 카드사`, `신세계·현대·롯데 등 백화점`: the class
# the members belong to, said after the list (3 such lists over 3,135 regional dev articles and the
# KLUE raw sentences; `현대차·기아 등 자동차` is a sector, and its members keep their names).
_CLASS_AFTER = re.compile(r"\s?등\s(?:\d+\s?대\s?|주요\s|국내\s|시중\s|대형\s)?(?P<word>[가-힣]{1,6}?)(?:사|들)?"
                          r"(?:으로|로|의|에서|에|은|는|이|가|을|를|과|와|도)?(?![가-힣])")


def _class_head_after(text: str, run: list[OrgHit], rules: SuffixRules) -> str | None:
    """The business head of the class named after a list of groups' stems (`A·B·C 등 8대 카드`)."""
    match = _CLASS_AFTER.match(text, run[-1].end)
    return match.group("word") if match is not None and match.group("word") in rules.shared_heads else None


def _share_class_head(run: list[OrgHit], head: str, rules: SuffixRules) -> dict[int, OrgHit]:
    """Every member takes the class's head, or none does: a member with a name of its own (`현대차·기아
    등 자동차`) says the list names firms, not a class's members by their groups' stems."""
    endings = _own_endings(rules)
    if not all(h.kind == "firm" and _takes_head(h, head, endings) for h in run):
        return {}
    return _headed(run, head)


def _head_written_on(name: str, rules: SuffixRules) -> str | None:
    """The shared head a name ends with after a stem of its own (`교보생명` → 생명; not `은행` alone)."""
    return next((h for h in rules.shared_heads if name.endswith(h) and len(name) > len(h)), None)


def _share_head(run: list[OrgHit], rules: SuffixRules) -> dict[int, OrgHit]:
    last = run[-1]
    head = _head_written_on(last.name, rules)
    if head is None or last.kind != "firm":
        return {}
    if head in rules.local_coops and last.name[:-len(head)].isascii():
        # `KB·신한·하나·우리·NH농협 5대 금융지주`: a group's letters before a cooperative's ending name
        # the group's brand (NH농협), not a local cooperative whose ending the others share (`황산·
        # 땅끝·문내농협`); 10 such lists over the 3,399 dev-side regional articles
        return {}
    endings = _own_endings(rules)
    bare = run[:-1]
    if not all(_takes_head(h, head, endings) for h in bare):
        return {}
    return _headed(bare, head)


def _takes_head(member: OrgHit, head: str, endings: tuple[str, ...]) -> bool:
    """Whether a bare list member is a group's stem that takes the head written on the last one.
    A group's stem is two letters (삼성, 신한, LG, SK), after a group's letters or 한국 when it has
    them (`KB국민·신한·하나·우리은행`, `NH투자·키움증권`), or a longer stem whose name with the head
    is on a list (`미래에셋·키움증권` → 미래에셋증권); a longer bare member is a whole name
    (`네이버·삼성전자`, `하나투어·한진관광`), and a member with a business ending of its own keeps it.
    Read alone, a group's stem is often taken for another kind of body (`KB국민`, `미래에셋` as other
    organisations or outlets); a body of a telling kind (a ministry, an agency, a school) is never a
    member."""
    from nlp.names import known_name

    if member.name.endswith(endings) or member.name.endswith(head) or member.kind in _TELLING_KINDS:
        return False    # `농협중앙회 함양군지부·함양농협`: the federation's short name (농협) is its own
    stem = _GROUP_PREFIX.sub("", member.name, count=1) if _GROUP_PREFIX.match(member.name) else member.name
    return len(stem) <= 2 or known_name((member.name + head).replace(" ", ""))


def _generic_word(name: str) -> bool:
    from nlp.candidates import generic_word

    return generic_word(name) or name in ("회사", "당사", "법인", "조합", "단체", "기관", "본사")


class TokenIndex(Sequence):
    """Kiwi tokens with a fast 'tokens inside [start, end)' lookup (bisect on start offsets)."""

    def __init__(self, tokens: Sequence):
        self.tokens = list(tokens)
        self.starts = [t.start for t in self.tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self.tokens[index]

    def inside(self, start: int, end: int) -> list:
        return [t for t in self.starting(start, end) if t.start + t.len <= end]

    def starting(self, start: int, end: int) -> list:
        """The tokens that start in [start, end), wherever they end."""
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_left(self.starts, end)
        return self.tokens[first:last]


def _candidate_hits(text: str, tokens: Sequence) -> Iterable[OrgHit]:
    tokens = tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
    pending_form: tuple[int, str] | None = None   # a legal form written as its own word
    previous: tuple[int, int] | None = None        # the last bare word, for `하늘농원 영농조합법인은`
    for start, end in _pieces(text):
        piece = text[start:end]
        if _PREFIX_FORM.fullmatch(piece):
            if previous is not None and text[previous[1]:start].isspace() and text[end:end + 1] in ("(", ",", "·", ""):
                # `한빛제강 주식회사(대표 홍길동)는`: a form closed by a bracket or a separator names
                # the word before it, not what the bracket holds
                yield from _named_before_form(text, previous, end, piece)
                previous = None
                continue
            # a form glued to a bracket ends the name before it; what the bracket holds is no name
            pending_form = (start, piece) if text[end:end + 1] != "(" else None
            continue
        after_form = _PREFIX_FORM.match(piece)
        if after_form:
            stem_end = _form_name_end(text, start, end, tokens)
            hit = _classify_stem(text, start, stem_end, tokens)
        else:
            stem_end, hit = _read_word(text, start, end, tokens)
        stem = text[start:stem_end]
        if previous is not None and _PREFIX_FORM.fullmatch(stem) and text[previous[1]:start].isspace():
            yield from _named_before_form(text, previous, stem_end, stem)
            previous = None
            continue
        if hit is None and pending_form is not None and stem_end > start:
            form_start, form = pending_form
            name_end = _form_name_end(text, start, end, tokens)
            name = canonical_name(text[start:name_end])
            if name:
                hit = OrgHit(form_start, name_end, text[form_start:name_end], name,
                             _FORM_KIND.get(form, "firm"), "legal form")
        pending_form = None
        bare_word = hit is None and stem_end == end and stem_end - start >= 2
        previous = (start, stem_end) if bare_word else None
        if hit is not None and not (hit.evidence != "legal form" and _names_an_event(text, hit.end)) \
                and not _is_address(text, hit):
            yield hit


def _named_before_form(text: str, word: tuple[int, int], form_end: int, form: str) -> Iterable[OrgHit]:
    """The bare `word` before a legal form written as its own word (`하늘농원 영농조합법인은`), as
    one mention that ends with the form."""
    name = canonical_name(text[word[0]:word[1]])
    if len(name) >= 2:
        yield OrgHit(word[0], form_end, text[word[0]:form_end], name, _FORM_KIND.get(form, "firm"), "legal form")


def _read_word(text: str, start: int, end: int, tokens: "TokenIndex") -> tuple[int, OrgHit | None]:
    """The stem's end and the rule hit of one word without a legal form before it. Both depend only
    on the word's letters and Kiwi's tokens inside it, and news repeats its words (있다, 밝혔다,
    지역), so the answer is cached by that reading and moved to where the word stands."""
    inside = tokens.inside(start, end)
    key = (text[start:end], tuple((t.start - start, t.len, t.form, t.tag) for t in inside), form_table())
    stem_length, found = _word_reading(text, key, start, end, tokens)
    if found is None:
        return start + stem_length, None
    offset, length, surface, name, kind, evidence = found
    return start + stem_length, OrgHit(start + offset, start + offset + length, surface, name, kind, evidence)


_WORD_READINGS: dict[tuple, tuple[int, tuple | None]] = {}
_WORD_READINGS_MAX = 65536


def _word_reading(text: str, key: tuple, start: int, end: int, tokens: "TokenIndex") -> tuple[int, tuple | None]:
    """(stem length, the hit relative to the word's start) for the word's `key`, read once."""
    cached = _WORD_READINGS.get(key)
    if cached is not None:
        return cached
    stem_end = _stem_end(start, end, tokens)
    hit = _classify_stem(text, start, stem_end, tokens)
    value = (stem_end - start, None if hit is None else
             (hit.start - start, hit.end - hit.start, hit.surface, hit.name, hit.kind, hit.evidence))
    if len(_WORD_READINGS) >= _WORD_READINGS_MAX:
        _WORD_READINGS.clear()
    _WORD_READINGS[key] = value
    return value


# Particles that may close a word after a name, longest first.
_PARTICLES = ("으로부터", "에서는", "으로는", "에게서", "이라는", "이었다", "로부터", "에서", "으로", "에게", "까지", "부터",
              "이다", "였다", "이며", "이고", "입니다",
              "처럼", "보다", "와의", "과의", "에는", "에도", "이며", "이고", "이자", "라는", "와", "과", "은", "는",
              "이", "가", "을", "를", "의", "에", "도", "로", "만")


# a quotation mark inside a word, not an apostrophe between Latin letters (`McDonald's`)
_QUOTE_INSIDE = re.compile(r"[’”‘“\"」』]|(?<![A-Za-z])'|'(?![A-Za-z])")


def _form_name_end(text: str, start: int, end: int, tokens: Sequence) -> int:
    """`_name_end_after_form`, less a glued 측 (`(주)A측은`: A's side, as `A 측은` writes it apart):
    the word for a party's side is no part of its name."""
    cut = _name_end_after_form(text, start, end, tokens)
    form = _PREFIX_FORM.match(text, start, end)
    first = form.end() if form else start
    return cut - 1 if text[cut - 1:cut] == "측" and cut - 1 - first >= 2 else cut


def _name_end_after_form(text: str, start: int, end: int, tokens: Sequence) -> int:
    """End of a name written with a legal form: the whole word less a closing particle.

    Kiwi reads rare names in context as anything (스튜디오담은 → 스튜디오 + 담/VV + 은,
    남도정공과 → one noun), so the name is taken as written, and a closing particle is cut when
    it agrees with the syllable before it (과/은/을/이 after a final consonant, 와/는/를/가 after
    a vowel: ㈜남도정공과 → 남도정공, but ㈜엠케이 stays), or when 의/에 closes a longer name;
    any other particle only if Kiwi did not read it as part of a noun.
    """
    word = text[start:end]
    form = _PREFIX_FORM.match(word)
    offset = form.end() if form else 0
    quote = _QUOTE_INSIDE.search(word, offset + 2)
    if quote:
        return start + quote.start()          # `’㈜A‘에는`, `“㈜A”의`: a closing quote ends the name
    copula = _COPULA_END.search(word[offset:])
    if copula and re.match(r"\s*(?:[.!?”\"'’]|$)", text[end:end + 2]) and len(word) - offset - len(copula.group()) >= 2:
        return end - len(copula.group())     # `곳이 ㈜디지털이엠씨다.`: the copula ends the sentence
    if text.startswith("(", end):
        return end      # `㈜한빛도(카페 …)`, `㈜새봄담은(대표 …)`: a particle follows the bracket, never precedes it
    agreed = _stacked_particles(word[offset:]) or _agreeing_particle(word[offset:])
    if agreed:
        return end - agreed
    inside = _tokens_in(start, end, tokens)
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            cut = end - len(particle)
            covering = [t for t in inside if t.start < end and t.start + t.len > cut]
            if covering and not any(t.tag.startswith(("NN", "SL", "SH")) and t.start < cut for t in covering):
                return cut
            break
    return start + offset + len(_strip_particle(word[offset:]))


# A copula closing a sentence after a name (…이엠씨다., …테크이다.).
_COPULA_END = re.compile(r"(?:이었다|였다|이다|입니다|다)$")
# One-syllable particles whose form depends on the syllable before: (after a final consonant,
# after a vowel). 의 and 에 do not depend on it and rarely end a firm's name.
_AGREEING = {"과": True, "은": True, "을": True, "이": True, "와": False, "는": False, "를": False, "가": False}


# Two particles stacked on a name (`㈜A와는`, `㈜A과도`, `㈜A에서는`): the first one's form agrees with
# the syllable before it where it has two forms, so `㈜A와는` loses 와는 and not only 는.
# Not 에는/에도: a name may end in 에 (`㈜그린알로에는`), and the one-syllable rule then cuts only 는.
_STACKED = {"와는": False, "과는": True, "와도": False, "과도": True, "와의": False, "과의": True,
            "에서는": None, "에서도": None, "에게는": None, "에게도": None}


def _stacked_particles(name: str) -> int:
    """Length of two stacked particles closing `name` (written after a legal form), else 0."""
    for particle, after_final in _STACKED.items():
        if not name.endswith(particle) or len(name) - len(particle) < 2:
            continue
        before = name[-len(particle) - 1]
        if re.fullmatch(r"[가-힣]", before) and (after_final is None
                                                or ((ord(before) - 0xAC00) % 28 != 0) == after_final):
            return len(particle)
    return 0


def _agreeing_particle(name: str) -> int:
    """Length of a one-syllable particle closing `name` (written after a legal form), else 0."""
    if len(name) < 3 or not re.fullmatch(r"[가-힣]", name[-2]):
        return 0
    last = name[-1]
    if last in ("의", "에") and len(name) >= 4:
        return 1
    if last not in _AGREEING:
        return 0
    has_final = (ord(name[-2]) - 0xAC00) % 28 != 0
    return 1 if has_final == _AGREEING[last] else 0


def _with_branches(text: str, hits: list[OrgHit]) -> list[OrgHit]:
    """A branch written right after its parent (한국농어촌공사 전북지역본부, 한국전력 전북본부) is a
    mention of the parent: the parent's hit is stretched over it (same canonical name and kind,
    the whole phrase as a surface) and any hit inside the branch word is dropped."""
    stretched: list[OrgHit] = []
    skip_until = -1
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < skip_until:
            continue
        match = branch_word_after(text, hit.end)
        if match and hit.end - hit.start >= 2:
            hit = OrgHit(hit.start, match.end(1), text[hit.start:match.end(1)], hit.name, hit.kind, hit.evidence)
            skip_until = hit.end
        stretched.append(hit)
    return stretched


@lru_cache(maxsize=1)
def _branch_pattern() -> re.Pattern[str]:
    words = "|".join(map(re.escape, suffix_rules().branch_words))
    # one word, ending in a branch word, then a particle or the word's end
    return re.compile(rf"[ \t]+([가-힣A-Za-z]{{0,8}}?(?:{words}))(?=[가-힣]{{0,2}}(?![가-힣A-Za-z0-9]))")


def branch_word_after(text: str, end: int) -> re.Match[str] | None:
    """A branch word right after a name ending at `end` (`X 전주공장`, `X 광주지사`): group 1 is it."""
    return _branch_pattern().match(text, end)


def _is_address(text: str, hit: OrgHit) -> bool:
    """완주군 봉동읍에 본사를 둔: a 읍/면 named by its suffix and followed by 에/에서 is where
    something is, not an organisation acting."""
    return hit.evidence == "suffix" and hit.name.endswith(("읍", "면")) \
        and bool(re.match(r"에(?:서)?(?![게가-힣])", text[hit.end:hit.end + 3]))


def _names_an_event(text: str, end: int) -> bool:
    following = text[end:end + 12].lstrip()
    return following.startswith(suffix_rules().event_words)


def _pieces(text: str) -> Iterable[tuple[int, int]]:
    """Words split at list separators, with surrounding quotes/brackets trimmed (offsets kept)."""
    for word in re.finditer(r"\S+", text):
        cursor = word.start()
        parts = _SEPARATORS.split(word.group())
        for part in parts:
            start, end = cursor, cursor + len(part)
            cursor = end + 1
            while start < end and text[start] in _OPENERS and not _PREFIX_FORM.match(text[start:end]):
                start += 1
            while end > start and text[end - 1] in _CLOSERS and not _SUFFIX_FORM.search(text[start:end]):
                end -= 1
            if end - start >= 2:
                yield start, end


def _tokens_in(start: int, end: int, tokens: Sequence) -> list:
    if isinstance(tokens, TokenIndex):
        return tokens.inside(start, end)
    return [t for t in tokens if t.start >= start and t.start + t.len <= end]


def _firm_under_a_head(name: str, start: int, end: int, tokens: Sequence) -> tuple[str | None, str]:
    """A firm whose head's title is glued to its name inside one of the text's tokens (`광주은행장`
    read 광주 + 은행장: the bank's head): the text's tokens hold only the part before the
    cut, and a place alone names no firm, so the name is read alone, as Kiwi reads it with no title
    glued to it (광주은행). Only a firm is taken so: a market glued to a place (`서문시장`, `운암시장`)
    would read as a city, and `지사` is a branch as often as a governor's title (`진도수도지사`).
    `…은행장` stands 16 times over the 3,265 dev-side regional articles of the twentieth diagnostic,
    mostly beside another mention of the bank; in the labelled passages it hid 2 of the banks missed."""
    starting = tokens.starting(start, end) if isinstance(tokens, TokenIndex) \
        else [t for t in tokens if start <= t.start < end]
    if all(t.start + t.len <= end for t in starting):
        return None, ""
    from nlp.kiwi import get_kiwi

    kind, evidence = _kind_of_bare_name(name, list(get_kiwi().tokenize(name)))
    return (kind, evidence) if kind == "firm" else (None, "")


def _stem_end(start: int, end: int, tokens: Sequence) -> int:
    """End of the word without its trailing particles, copula and endings."""
    inside = _tokens_in(start, end, tokens)
    while inside and not _keeps_name(inside[-1]):
        if inside[-1].tag == "SSC" and _closes_legal_form(inside):
            break
        inside.pop()
    # `한빛정밀㈜은`, `A㈜과`: Kiwi reads a particle after ㈜ as a noun (은 the metal); after a legal
    # form nothing but a particle can follow
    form_at = next((i for i in range(len(inside) - 1, 0, -1) if inside[i].form == "㈜"), None)
    if form_at is not None:
        form_end = inside[form_at].start + inside[form_at].len
        if _PARTICLES_AFTER_FORM.fullmatch(_tail_text(tokens, form_end, end)):
            inside = inside[:form_at + 1]
    if not inside:
        return start
    return max(start, min(end, inside[-1].start + inside[-1].len))


_PARTICLES_AFTER_FORM = re.compile(r"(?:은|는|이|가|과|와|을|를|의|에|도|로|으로|에서|에게|과의|와의|이다|이며|이고|측|"
                                   r"에서는|에는|에도|으로부터|로부터|과는|와는|만|까지|보다)?")


def _tail_text(tokens: Sequence, start: int, end: int) -> str:
    """The letters of the tokens between start and end, as written (Kiwi splits 를 into 르+ᆯ)."""
    return unicodedata.normalize("NFC", "".join(t.form for t in _tokens_in(start, end, tokens)))


def _keeps_name(token) -> bool:  # type: ignore[no-untyped-def]
    """Nouns, foreign words and name suffixes (청솔농+산) stay; particles and endings go."""
    if token.form in ")㈜":
        return True
    if token.tag == "XSN":
        return token.form != "들"
    return token.tag.startswith(_NOUN_TAGS)


def _strip_particle(name: str) -> str:
    """A particle Kiwi glued into a rare name in context (그린팜랩과): re-read the name alone. A
    name keeps two syllables at least: alone, Kiwi reads the end of a short one as a particle
    (`㈜소든 대표` → 소 + 든), as the particles cut by agreement never leave less."""
    from nlp.kiwi import get_kiwi

    tokens = get_kiwi().tokenize(name)
    last = tokens[-1] if tokens else None
    if len(tokens) > 1 and last.tag.startswith("J") and name[last.start:] == last.form \
            and len(name[: last.start].rstrip()) >= 2:
        return name[: last.start].rstrip()
    return name


def _closes_legal_form(inside: list) -> bool:
    """`(주)` written after a name: keep its closing bracket."""
    return len(inside) >= 3 and inside[-2].form in ("주", "유") and inside[-3].form == "("


def _classify_stem(text: str, start: int, end: int, tokens: Sequence) -> OrgHit | None:
    stem = text[start:end]
    if len(stem) < 2:
        return None
    prefix = _PREFIX_FORM.match(stem)
    suffix = _SUFFIX_FORM.search(stem)
    if prefix or suffix:
        name_part = stem[prefix.end():] if prefix else stem[: suffix.start()]
        form = (prefix or suffix).group(1)
        if len(re.sub(r"\s", "", name_part)) < 2:
            return None
        kind = _FORM_KIND.get(form, "firm")
        if kind != "firm":
            kind = _kind_by_suffix(name_part.replace(" ", ""), []) or kind
        name = canonical_name(stem)
        known = known_orgs().get(name)
        if known is not None:
            kind = known.kind      # `한국수력원자력(주)`: a public corporation is one whatever its legal form
        return OrgHit(start, end, stem, name, kind, "legal form")
    for candidate_end in _title_cuts(stem):
        name = stem[:candidate_end]
        kind, evidence = _kind_of_bare_name(name, _tokens_in(start, start + candidate_end, tokens))
        if kind is None and candidate_end < len(stem):
            kind, evidence = _firm_under_a_head(name, start, start + candidate_end, tokens)
        if kind:
            return OrgHit(start, start + candidate_end, name, canonical_name(name), kind, evidence)
    return None


def _title_cuts(stem: str) -> Iterable[int]:
    """The stem itself, then the stem without a glued-on title (센터장 → 센터)."""
    yield len(stem)
    titles = suffix_rules().titles
    if stem.endswith(titles):      # one C call for the common case: no title at all
        for title in titles:
            if stem.endswith(title) and len(stem) > len(title) + 1:
                yield len(stem) - len(title)


class _Shape(NamedTuple):
    """What the kind rules read of a token: its form and tag (hashable, so they cache)."""

    form: str
    tag: str


def _kind_of_bare_name(name: str, name_tokens: list) -> tuple[str | None, str]:
    """The kind of a bare name and the evidence; the same name and token shape always give the
    same answer under one konec form table, so the answers are cached (a news text asks for the
    same words many times)."""
    return _kind_of_shape(name, tuple(_Shape(t.form, t.tag) for t in name_tokens), form_table())


@lru_cache(maxsize=65536)
def _kind_of_shape(name: str, name_tokens: tuple[_Shape, ...], _table: object) -> tuple[str | None, str]:
    rules = suffix_rules()
    bare = name.replace(" ", "")
    if bare in rules.not_names:
        return None, ""
    known: KnownOrg | None = known_orgs().get(bare)
    if known:
        return known.kind, "known name"
    if _is_club(bare):
        return "other", "club"           # SK와이번스: a club, not an SK affiliate
    affiliate = _affiliate_kind(bare)
    if affiliate:
        return affiliate, "affiliate"
    by_suffix = _kind_by_suffix(bare, name_tokens)
    if by_suffix not in (None, "firm"):
        return by_suffix, "suffix"       # 한국가스공사 is listed, but it is a public corporation
    if bare in listed_firms() and bare not in _PLACE_WORDS and (len(bare) >= 3 or _all_name_tokens(name_tokens)):
        return "firm", LISTED_EVIDENCE
    if _preferred_share(bare):
        return "firm", LISTED_EVIDENCE   # `삼성전자우는 2.1% 올랐다`: the share of a listed firm (named so later)
    konec = konec_org_kinds().get(bare)
    if konec and (len(bare) >= 3 or _all_name_tokens(name_tokens)):
        if konec == "government" and bare.endswith("당"):
            return "other", "konec form"    # 더불어민주당, 정의당: a political party is no government body
        return konec, "konec form"
    return (by_suffix, "suffix") if by_suffix else (None, "")


def _affiliate_kind(bare: str) -> str | None:
    """A known organisation glued to a place (KBS전주방송총국, 전주MBC, 농협전북본부): one of its
    regional stations or branches, written as one name, of the same kind (never government:
    정부세종청사 is a building)."""
    known = known_orgs()
    for cut in range(2, len(bare) - 1):
        head, rest = bare[:cut], bare[cut:]
        parent = known.get(head)
        if parent and parent.kind != "government" and (
                rest[:2] in _PLACE_WORDS or rest.endswith(suffix_rules().branch_words)):
            return parent.kind
        parent = known.get(rest)
        if parent and parent.kind not in ("government", "firm") and head in _PLACE_WORDS:
            return parent.kind
    return None


def _all_name_tokens(name_tokens: list) -> bool:
    return bool(name_tokens) and all(t.tag.startswith(_NAME_TAGS) for t in name_tokens)


def suffix_kind(name: str) -> str | None:
    """The kind a name's suffix tells (…공사 public, …협회 association, …전자 firm), if any."""
    return _kind_by_suffix(name.replace(" ", ""), [])


def _is_club(bare: str) -> bool:
    """A sports club's name (광주FC, SK와이번스): a club ending with at least two letters before it."""
    endings = suffix_rules().club_endings
    if not bare.endswith(endings):
        return False        # most names: one C-level test instead of one per ending
    club = next(ending for ending in endings if bare.endswith(ending))
    return len(re.findall(r"[가-힣A-Za-z0-9]", bare[: -len(club)])) >= 2


def branch_ending(bare: str) -> str:
    """The branch word a name ends with (`전북지역본부` → 지역본부; org_suffixes.toml [branch_words],
    longest first), or ""."""
    return next((b for b in suffix_rules().branch_words if bare.endswith(b)), "")


def _kind_by_suffix(bare: str, name_tokens: list) -> str | None:
    rules = suffix_rules()
    if bare.endswith("협동조합") and len(bare) > 5 and bare[:-4] not in _PLACE_WORDS and bare not in rules.not_names:
        # producer cooperatives sell goods (firm); industry, trade and social ones are associations
        return "association" if bare[:-4].endswith(rules.coop_association_ends) else "firm"
    if bare.endswith(rules.not_suffix_ends):
        return None          # 수출바우처, 납품처: an ordinary word that ends like a suffix (…처)
    if _is_club(bare):
        return "other"       # 광주FC: a sports club, not its city
    branch = branch_ending(bare)
    for length in _suffix_lengths():
        suffix = bare[-length:]
        kind = rules.by_suffix.get(suffix)
        if kind is None or len(bare) <= length:
            continue
        if len(suffix) < len(branch):
            return None      # 전북지역본부, 광주전남본부: a branch (of the name before it), not a ministry
        if len(bare) < rules.min_length.get(suffix, 0):
            return None
        base = bare[: -len(suffix)]
        if base in rules.not_names or bare in rules.not_names:
            return None
        if suffix in rules.place_suffixes:
            return kind if _is_place(base, name_tokens) or base in place_stems().get(suffix, ()) else None
        if kind == "firm" and len(re.findall(r"[가-힣A-Za-z0-9]", base)) < 2:
            return None      # e-모빌리티: a sector word, not a name
        if kind == "firm" and suffix in rules.distinct_firm_suffixes:
            # 블루포인트파트너스/NNG: the suffix is telling enough, the head need only be a name
            place_head = base in _PLACE_WORDS and not (name_tokens and len(name_tokens[0].form) > len(base))
            return kind if len(base) >= 2 and not place_head and re.search(r"[가-힣A-Za-z]", base) else None
        if kind == "firm":
            # A firm needs a name-like head (하림, 한빛, SK): never a run of common nouns.
            return kind if name_tokens and name_tokens[0].tag.startswith(_NAME_TAGS) \
                and name_tokens[0].form not in _PLACE_WORDS else None
        if any(t.tag.startswith(_NAME_TAGS) for t in name_tokens) or len(base) >= 4 or suffix in rules.self_telling \
                or base in _PLACE_WORDS:
            return kind     # `광주경총`, Kiwi's one common noun: a region's body by its short name
        return None
    return None


@lru_cache(maxsize=1)
def _suffix_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(s) for s in suffix_rules().by_suffix}, reverse=True))


_PLACE_WORDS = frozenset(
    "서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 경남 제주 "
    "충청 전라 경상 전주 군산 익산 정읍 남원 김제 완주 진안 무주 장수 임실 순창 고창 부안 "
    "목포 여수 순천 나주 광양 담양 곡성 구례 고흥 보성 화순 장흥 강진 해남 영암 무안 함평 영광 "
    "장성 완도 진도 신안 천안 공주 보령 아산 서산 논산 계룡 당진 창원 진주 통영 김해 포항 경주 "
    "강서 강남 강북 마포 종로 중구 수원 성남 용인 고양 청주 충주 원주 춘천 강릉".split()
)


def _is_place(base: str, name_tokens: list) -> bool:
    if base in _PLACE_WORDS:
        return True
    head = [t for t in name_tokens if t.form == base]
    return bool(head) and head[0].tag == "NNP" and len(base) >= 2


# Firms of one trade named by their short names, joined by `·`, with the trade said once: in brackets
# after it (`은행권(KB·신한·하나·우리·NH)`, `시중은행(KB국민·하나·신한·우리·농협)`) or counted after
# them (`KB·신한·하나·우리 등 4대 금융지주`, `업비트·코인원·코빗·고팍스 등 4대 거래소`). The short names
# are often ordinary words (하나, 우리) that no other rule takes for a name: 10 such lists over 2,929
# regional articles, 4 to 6 firms each. Trades of places or goods (`수도권(서울·인천·경기)`,
# `등 16대 성수품`) are not among the heads.
_TRADE_HEADS = r"(?:금융지주|금융그룹|금융|은행권|은행|시중은행|지방은행|증권사|카드사|카드|제휴카드|보험사|생보사|손보사|" \
               r"거래소|통신사|이동통신사|건설사|조선사|완성차\s?업체|정유사|항공사|홈쇼핑|편의점)"
_MEMBER = r"[가-힣A-Za-z][가-힣A-Za-z0-9]{0,7}"
_BRACKETED_MEMBERS = re.compile(rf"{_TRADE_HEADS}\s?\(\s?({_MEMBER}(?:\s?[·ㆍ,]\s?{_MEMBER}){{2,}})\s?\)")
_COUNTED_MEMBERS = re.compile(rf"(?<![가-힣A-Za-z0-9·])({_MEMBER}(?:\s?[·ㆍ]\s?{_MEMBER}){{2,}})\s?등\s?\d+\s?(?:대|개)\s?"
                              rf"{_TRADE_HEADS}(?![가-힣]{{2}})")


def _with_counted_members(text: str, hits: list[OrgHit]) -> list[OrgHit]:
    """The members of a list whose trade is said once (`_TRADE_HEADS`), as firms; a member already
    found (with its own kind) keeps it."""
    found: list[OrgHit] = []
    for pattern in (_BRACKETED_MEMBERS, _COUNTED_MEMBERS):
        for match in pattern.finditer(text):
            members = list(re.finditer(_MEMBER, match.group(1)))
            if any(m.group() in _PLACE_WORDS or is_place(m.group()) for m in members):
                continue        # a list of places after all (`지방은행(부산·경남·광주)` names banks by city)
            for member in members:
                start, end = match.start(1) + member.start(), match.start(1) + member.end()
                if not any(h.start < end and start < h.end for h in hits + found):
                    found.append(OrgHit(start, end, member.group(), canonical_name(member.group()), "firm",
                                        COUNTED_MEMBER))
    return hits + found


COUNTED_MEMBER = "member of a trade's list"


STOCK_CODE = "stock code"
# A listed company as market reports name it, its six-digit code in brackets (`다날(064260) ▲4.51%`).
_WITH_STOCK_CODE = re.compile(r"(?<![가-힣A-Za-z0-9&])([가-힣A-Za-z0-9&]{2,20})\((\d{6})\)")


def _stock_code_hits(text: str, hits: list[OrgHit]) -> Iterable[OrgHit]:
    """A name right before a listed company's code is that firm (a preferred share, `삼성전자우`, is
    read as its issuer later); a code no listed company has (an exchange-traded fund's) says nothing,
    and a name whose rules say another kind keeps it (`한국전력공사`)."""
    if "(" not in text:
        return
    codes = listed_codes()
    for match in _WITH_STOCK_CODE.finditer(text):
        code = match.group(2)
        if code not in codes and not (match.group(1).endswith("우") and code[:5] + "0" in codes):
            continue    # a preferred share's code is its common share's with another last digit
        start, end = match.span(1)
        if any(h.start <= start and end <= h.end and (h.evidence in ("legal form", "known name") or h.kind != "firm")
               for h in hits):
            continue
        name = canonical_name(match.group(1))
        if name and _kind_by_suffix(name, []) in (None, "firm") and name not in known_orgs():
            yield OrgHit(start, end, match.group(1), name, "firm", STOCK_CODE)


# A professional corporation named after the word for its kind (`법무법인 율촌`, `특허법인 본`, `법무법인(유)
# 화우`): a business (LABELLING.md), and, the word being no legal form of the list, part of its name
# as the labellers of regional news write it. 15 such names over 3,174 regional dev articles: 8
# lost before, 7 found without the word for the kind, and that word left alone as a government.
_PRACTICE = re.compile(r"(?<![가-힣])(법무법인|특허법인|세무법인|회계법인|노무법인|감정평가법인)(?:\s?\((?:유|주)\))?"
                       r"\s[‘'“\"]?([가-힣A-Za-z][가-힣A-Za-z&]{0,9})")
# What stands after the word for the kind when no name follows (`법무법인 소속 변호사`, `회계법인 관계자`).
_NO_PRACTICE_NAME = ("대표", "소속", "관계자", "변호사", "회계사", "세무사", "변리사", "노무사", "감정평가사", "고문",
                     "출신", "측", "등", "및", "선정", "설립", "자문", "대리인", "업계")
_PRACTICE_TAIL = re.compile(r"(?:에서는|에서|으로|과의|와의|은|는|이|가|의|과|와|에|을|를|도|로|측)$")


def _practice_hits(text: str) -> Iterable[OrgHit]:
    """Each professional corporation named after the word for its kind, that word kept in its name."""
    if "법인" not in text:
        return
    for match in _PRACTICE.finditer(text):
        word = match.group(2)
        if not re.match(r"[\s,.·)’'”\"]|$", text[match.end(2):match.end(2) + 1]):
            continue        # the word runs on (`법무법인 소속변호사`): no name read here
        bare = _PRACTICE_TAIL.sub("", word) if len(word) > 2 else word
        if not bare or bare in _NO_PRACTICE_NAME or bare.startswith(_NO_PRACTICE_NAME):
            continue
        end = match.start(2) + len(bare)
        surface = text[match.start():end]
        yield OrgHit(match.start(), end, surface, f"{match.group(1)} {bare}", "firm", "legal form")


def _media_hits(text: str, outlets: Iterable[str]) -> Iterable[OrgHit]:
    rules = suffix_rules()
    for match in _DATELINE.finditer(text):
        name = match.group(1)
        if name in rules.not_names or name in rules.not_datelines or name.isdigit():
            continue
        if _reads_as_media(name):
            yield OrgHit(match.start(1), match.end(1), name, canonical_name(name), "media", "dateline")
    for match in _WIRE_DATELINE.finditer(text):
        # (전주=연합뉴스): the place comes first, the outlet after the `=`
        yield OrgHit(match.start(2), match.end(2), match.group(2), canonical_name(match.group(2)), "media",
                     "wire dateline")
    for outlet in outlets:
        if outlet:
            for match in re.finditer(re.escape(outlet), text):
                yield OrgHit(match.start(), match.end(), outlet, outlet, "media", "outlet")


def _reads_as_media(name: str) -> bool:
    """A bracketed word opening a paragraph is an outlet only if it is known or reads like one."""
    known = known_orgs().get(name)
    if known is not None:
        return known.kind == "media"
    predicted = predict_kind(name)
    return predicted is not None and predicted[0] == "media" and predicted[1] >= 0.5


_KIND_STRENGTH = {"legal form": 5, "known name": 4, STOCK_CODE: 4, "listed company": 3, "konec form": 2,
                  "dateline": 2, "wire dateline": 2, "outlet": 4, "suffix": 1, "ner": 0}


def _group_with_mentions(text: str, hits: list[OrgHit]) -> list[Organization]:
    """One entry per canonical name; every later bare mention of its name is counted too."""
    orgs: dict[str, Organization] = {}
    best: dict[str, int] = {}
    for hit in sorted(hits, key=lambda h: h.start):
        org = orgs.setdefault(hit.name, Organization(hit.name, hit.kind))
        strength = _KIND_STRENGTH.get(hit.evidence, 0)
        if strength > best.get(hit.name, -1):
            org.kind, org.evidence, best[hit.name] = hit.kind, hit.evidence, strength
        if hit.surface not in org.surface:
            org.surface.append(hit.surface)
    # Each hit's own span is its organisation's; then the other occurrences of every spelling,
    # the longest spellings of all organisations first. Else a short name met earlier (`LG`,
    # `한화`) claims the start of a longer one (`LG전자는`, `한화생명의`), which then has no
    # mention left and is lost.
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if text[hit.start:hit.end] != hit.surface or not free(hit.start, hit.end):
            continue
        taken.append((hit.start, hit.end))
        orgs[hit.name].mentions.append([hit.start, hit.end])
    spellings = sorted(((spelling, org) for org in orgs.values()
                        for spelling in {*org.surface, org.name, *_aliases(org.name)}),
                       key=lambda pair: -len(pair[0]))
    for spelling, org in spellings:
        for s in _occurrences(text, spelling):
            e = s + len(spelling)
            if (s > 0 and _is_word_char(text[s - 1]) and not _legal_before(text, s)) or not free(s, e):
                continue
            taken.append((s, e))
            org.mentions.append([s, e])
            if spelling != org.name and spelling not in org.surface and _has_no_form(spelling):
                org.surface.append(spelling)
    result = [o for o in orgs.values() if o.mentions]
    for org in result:
        org.mentions.sort()
    return sorted(result, key=lambda o: o.mentions[0][0])


def _occurrences(text: str, spelling: str) -> Iterable[int]:
    """Where `spelling` starts in `text`, left to right and not overlapping (as `re.finditer` of
    the escaped string finds them, without compiling a pattern for every new name)."""
    if not spelling:
        return
    start = text.find(spelling)
    while start != -1:
        yield start
        start = text.find(spelling, start + len(spelling))


def _aliases(name: str) -> tuple[str, ...]:
    known = known_orgs().get(name)
    return known.aliases if known else ()


def _has_no_form(spelling: str) -> bool:
    return not (_PREFIX_FORM.match(spelling) or _SUFFIX_FORM.search(spelling))


def _legal_before(text: str, start: int) -> bool:
    return bool(re.search(r"(㈜|\)|주식회사)$", text[max(0, start - 4):start]))


def _is_word_char(char: str) -> bool:
    return char.isalnum()

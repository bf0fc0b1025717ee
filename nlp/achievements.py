"""Achievements: which firm did what, with an amount, a date and the sentence as evidence.

Rules first (they are precise on news prose and easy to read): a clause holds a trigger word
of a type (data/lexicon/achievements.toml); its subject — an organisation followed by 은/는/이/가 —
says who (not the subject of a relative clause: `A가 투자한 B는 …` is B's, the investing A's
own deed; and for investing said of the investor, `A는 B에 투자했다`, the firm marked by 에);
amounts in the same clause
with a unit that fits the type say how much. Plans and setbacks after the trigger
(추진·예정·무산·감소 …) cancel it. A clause whose subject is a group of firms (이들 기업,
강소기업의 매출액 …) and that carries a figure becomes a group achievement, kept apart from
firm achievements.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Callable, Sequence

from nlp.achievement_model import Candidate, Model, candidate, get_model
from nlp.amounts import Amount, find_amounts
from nlp.lexicon import LEXICON_DIR
from nlp.orgs import Organization, branch_word_after
from nlp.reldates import find_date_expressions, resolve_date
from nlp.syntax import Analysis, Frame, Phrase, analyse, frame_of

# Between two listed organisations: a separator, and maybe the second one's legal form
# written as a separate word (`㈜A과 농업회사법인 ㈜B`); the first one may carry a short bracket —
# its own figure, trade or representative (`A㈜(300억 원), ㈜B(80억 원)와 투자협약`, `A(이차전지), B`).
_CHAIN_GAP = re.compile(r"^\s*(?:\([^()]{1,24}\)\s*)?(?:[·,ㆍ/]|와|과|및|그리고)?\s*"
                        r"(?:(?:농업회사법인|영농조합법인|주식회사|유한회사)\s*)?$")


@dataclass(frozen=True)
class AchievementType:
    name: str
    triggers: tuple[str, ...]
    units: frozenset[str]
    patterns: tuple[re.Pattern, ...] = ()
    # Triggers said of the giver (…에 투자했다): the achiever is the organisation marked by 에.
    recipient: bool = False
    # Planned wording that counts once an agreement was signed (`투자협약을 맺고 … 투자하기로 했다`).
    committed: tuple[str, ...] = ()
    # Adnominal forms (`개발한 `) that count only for the subject of a relative clause.
    relative: tuple[str, ...] = ()
    # Objects that make a trigger mean something else (`전망을 내놨다` offers a view, not a product).
    not_objects: re.Pattern | None = None
    # Words of the type's clause that are no achievement of it (영업이익 beside 매출).
    context_only: tuple[str, ...] = ()
    # Only with its figure is it one (hiring: people hired, in persons; LABELLING.md).
    figure_required: bool = False
    # Triggers of a means: no deed of their own when another type's trigger follows them in the
    # clause (`…을 개발해 … 납품 계약을 성사시켰다`: the development served the contract).
    means: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    types: tuple[AchievementType, ...]
    not_achieved: tuple[str, ...]
    not_triggers: dict[str, tuple[str, ...]]
    completed: tuple[str, ...]
    group_subjects: tuple[str, ...]
    recover_skip: tuple[str, ...] = ()
    object_achieves: tuple[str, ...] = ()    # [roles]: active verbs whose object achieves
    parties: tuple[str, ...] = ()            # triggers every firm party achieves
    committed: tuple[str, ...] = ()          # triggers whose later planned figure is committed
    plan_lemmas: frozenset[str] = frozenset()  # predicates that make a trigger a plan (앞두, 추진하)
    measure_nouns: frozenset[str] = frozenset()  # nouns after a trigger that measure it (실적, 액)
    purpose: tuple[str, ...] = ()            # not_achieved words that cancel only their own object (위해)
    declines: tuple[str, ...] = ()           # not_achieved words of a fall (감소, 줄었; among not_achieved) …
    declines_measure: frozenset[str] = frozenset()   # … that leave these types' figures achieved (revenue)


def _object_pattern(nouns: Sequence[str]) -> re.Pattern | None:
    """The object nouns of `[types.X] not_objects`, right before the trigger with their particle
    (`전망을 `, `전망치로 `, `분석을 내놓고`)."""
    if not nouns:
        return None
    words = "|".join(sorted(map(re.escape, nouns), key=len, reverse=True))
    return re.compile(rf"(?:{words})(?:을|를|으로|로|도|만)?\s?$")


@lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    with (LEXICON_DIR / "achievements.toml").open("rb") as handle:
        data = tomllib.load(handle)
    types = tuple(AchievementType(name, tuple(spec["triggers"]), frozenset(spec.get("units", ())),
                                  tuple(re.compile(p) for p in spec.get("patterns", ())),
                                  committed=tuple(spec.get("committed_triggers", ())),
                                  relative=tuple(spec.get("relative_triggers", ())),
                                  not_objects=_object_pattern(spec.get("not_objects", ())),
                                  context_only=tuple(spec.get("context_only", ())),
                                  figure_required=spec.get("figure_required", False),
                                  means=tuple(spec.get("means_triggers", ())))
                  for name, spec in data["types"].items())
    types += tuple(AchievementType(name, tuple(spec["recipient_triggers"]), frozenset(spec.get("units", ())),
                                   recipient=True)
                   for name, spec in data["types"].items() if spec.get("recipient_triggers"))
    roles = data.get("roles", {})
    declines = tuple(data["not_achieved"].get("declines", ()))
    return Lexicon(types, tuple(data["not_achieved"]["words"]) + declines,
                   {k: tuple(v) for k, v in data.get("not_triggers", {}).items()},
                   tuple(data["completed"]["words"]),
                   tuple(data["group_subjects"]["words"]),
                   tuple(data.get("recover", {}).get("skip", ())),
                   tuple(roles.get("object_achieves", ())), tuple(roles.get("parties", ())),
                   tuple(roles.get("committed", ())),
                   frozenset(data["not_achieved"].get("lemmas", ())),
                   frozenset(roles.get("measure_nouns", ())),
                   tuple(data["not_achieved"].get("purpose", ())),
                   declines,
                   frozenset(data["not_achieved"].get("declines_measure", ())))


# A money figure: a revenue that fell is still achieved when the text gives it (`3조원으로 6.8% 줄었다`),
# not when it only says it fell (`매출이 크게 감소했다`).
_MONEY = re.compile(r"\d\s*(?:[조억만천]\s*)?(?:원|달러|위안|유로|엔)")
_FALLEN_TO = re.compile(r"\S*\s?(?:약\s?)?\d[\d,.]*\s*[조억만천]")


def _figure_of_fall(rest: str, at: int) -> bool:
    """Whether the trigger's own figure is given with its fall: between the trigger and the word
    of the fall (`매출은 3조원으로 6.8% 줄었다`), or right after it (`매출액이 4.1% 감소한
    2조원`) — not a figure further on (`순이익은 줄었지만 배당금을 주당 300원으로`)."""
    if _MONEY.search(rest, 0, at):
        return True
    after = rest[at:at + 24]
    match = _FALLEN_TO.match(after, after.find(" ") + 1 if " " in after else len(after))
    return match is not None and _MONEY.search(after, match.start()) is not None


# An agreement reported as signed (체결했다, 맺었다, 서명했다), not planned.
_SIGNED = re.compile(r"(?:체결|맺|서명)(?:했|하였|하고|해|었|은|고|한)")


def _may_trigger(sentence_text: str) -> bool:
    """Whether any trigger word of any type occurs in the sentence (one compiled pattern)."""
    return _trigger_pattern().search(_unquoted(sentence_text)[0]) is not None


@lru_cache(maxsize=1)
def _trigger_pattern() -> re.Pattern[str]:
    lex = lexicon()
    words = {t for kind in lex.types for t in (*kind.triggers, *kind.committed)}
    parts = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    parts += [p.pattern for kind in lex.types for p in kind.patterns]
    return re.compile("|".join(parts))


def syntax_mode() -> str:
    """Which syntax layer attribution reads: `rules` (nlp/syntax.py, the default), `ud` (the
    spaCy parser trained on UD Korean-Kaist, nlp/syntax_ud.py) or `off` (`NEWSMINE_SYNTAX=0`:
    the older subject-and-particle rules alone). The last two are kept for the comparison in
    bench/RESULTS.md."""
    value = os.environ.get("NEWSMINE_SYNTAX", "1").strip().lower()
    if value in ("0", "false", "no", "off"):
        return "off"
    return "ud" if value == "ud" else "rules"


def _analysis(text: str, sentence) -> Analysis | None:  # type: ignore[no-untyped-def]
    mode = syntax_mode()
    if mode == "off":
        return None
    if mode == "ud":
        from nlp.syntax_ud import analyse_ud

        return analyse_ud(text, sentence.start, sentence.end, sentence.tokens)
    return analyse(text, sentence.start, sentence.end, sentence.tokens)


@dataclass
class Clause:
    start: int
    end: int
    sentence: tuple[int, int]


def find_achievements(text: str, sentences: Sequence, organizations: list[Organization],
                      published: date | None) -> tuple[list[dict], list[dict]]:
    """(firm achievements, group achievements) of one text; `sentences` are Kiwi sentences."""
    firm_results: list[dict] = []
    group_results: list[dict] = []
    mentions = sorted((s, e, org) for org in organizations for s, e in org.mentions)
    context = _Context()
    model = get_model()
    for sentence in sentences:
        sentence_firm: list[dict] = []
        sentence_group: list[dict] = []
        # the syntax layer is read only where a trigger could need it (most sentences have none)
        analysis = _analysis(text, sentence) if _may_trigger(text[sentence.start:sentence.end]) else None
        for clause in _clauses(sentence):
            firm, group = _clause_achievements(text, clause, sentence.tokens, mentions, published, context, analysis)
            sentence_firm.extend(firm)
            sentence_group.extend(group)
        group_results.extend(sentence_group)
        sentence_firm += _named_winners(text, sentence, mentions, published, sentence_firm)
        sentence_firm += _agreement_parties(text, sentence, mentions, published, sentence_firm)
        sentence_firm += _this_deeds_doers(text, sentence, mentions, published, sentence_firm)
        sentence_firm += _prize_winners(text, sentence, mentions, published, sentence_firm)
        firm_results.extend(_second_opinion(model, text, sentence, mentions, sentence_firm))
        if model is not None and model.recovering and not sentence_group:
            firm_results.extend(_recover(model, text, sentence, mentions, sentence_firm, published))
        context.end_sentence(list(dict.fromkeys(org for s, _, org in mentions
                                                if sentence.start <= s < sentence.end and org.kind == "firm")))
    figured = {kind.name for kind in lexicon().types if kind.figure_required}
    firm_results = [a for a in firm_results if a.get("amount") or a["type"] not in figured]
    return _fold_amountless(_dedupe(firm_results)), _dedupe(group_results)


# `수상자는 A, B(농장)이다`, `선정된 업체는 A, B, C다`: releases name who won or was chosen as the
# complement of a copula whose subject is a word for them; the list has no verb of its own.
_WINNERS_ARE = re.compile(
    r"(?<![가-힣])(?:최종\s?)?(수상|입상|선정|선발|지정)(?:된|한)?\s?(?:자|자들|기업|기업들|업체|업체들|곳|농가|법인|팀)"
    r"(?:은|는|으로는|로는)\s(.+?)(?:이다|다|이며|입니다|이고)(?=[.,]|\s|$)")
_VERB_INSIDE = re.compile(r"(?:했|됐|되었|하였|받았|받는|받게|한다|된다|하고|되고|하며|되며|할|될|해야|돼야|하게|되게|한\s|된\s)")
_WINNING_TYPES = {"수상": "award", "입상": "award", "선정": "selection", "선발": "selection", "지정": "selection"}


def _named_winners(text: str, sentence, mentions: list, published: date | None,  # type: ignore[no-untyped-def]
                   found: list[dict]) -> list[dict]:
    """Firms named as the complement of `수상자는 …이다` / `선정된 업체는 …다`: each is a winner
    (award) or chosen (selection). Only firms inside the complement, and only when it holds no
    verb (`선정 기업은 … 지원을 받게 된다` names no one)."""
    match = _WINNERS_ARE.search(text, sentence.start, sentence.end)
    if match is None or _VERB_INSIDE.search(text, match.start(2), match.end()):
        return []
    return _firms_named_between(text, sentence, mentions, published, found, match.span(2),
                                _WINNING_TYPES[match.group(1)], match.start(1))


def _firms_named_between(text: str, sentence, mentions: list, published: date | None,  # type: ignore[no-untyped-def]
                         found: list[dict], between: tuple[int, int], kind: str, said_at: int) -> list[dict]:
    """One `kind` achievement for each firm named in the span `between` of the sentence (the
    complement naming winners, the list of an agreement's signers), unless already found."""
    lo, hi = between
    said = {(a["organization"], a["type"]) for a in found}
    out, seen = [], set()
    for start, _end, org in mentions:
        if lo <= start < hi and org.kind == "firm" and org.name not in seen and (org.name, kind) not in said:
            seen.add(org.name)
            out.append(_sentence_deed(text, sentence, kind, org, said_at, published, 0.7))
    return out


def _sentence_deed(text: str, sentence, kind: str, org: Organization, said_at: int,  # type: ignore[no-untyped-def]
                   published: date | None, confidence: float) -> dict:
    """The achievement of a firm a sentence-level reading names (no amount or counterparty is read
    there): the winners of `수상자는 …이다`, the takers of an agreement, the doers of this deed."""
    s0, s1 = sentence.start, sentence.end
    return {"type": kind, "organization": org.name, "amount": None, "counterparty": None,
            "date": _date_for(text, s0, said_at, published),
            "evidence": text[s0:s1].strip(), "span": [s0, s1], "confidence": confidence}


# `협약식에는 A 대표와 B 관계자들이 참석했다`, `이번 협약에는 A, B, C 등 협력사가 참여했다`: releases
# name the parties of an agreement as those who took part in its signing; the agreement is said
# in the sentence before. Over 3,243 regional articles, 11 such sentences name a firm; in 4 of them
# no other sentence had made its firms parties.
# The same parties are named with the participle that joins the signing to it (`협약식에는 A 은행장, B
# 은행장 … 이 참석해 협약서에 서명했다`) and under the agreement as topic (`이번 협약은 … ㈜A, B …
# 4개 민간기업이 참여했다`): 9 more sentences over 3,174 regional articles, 3 of them naming firms.
_AGREEMENT_TAKERS = re.compile(
    r"(?:협약|협약식|체결식|MOU)(?:에는|에서는|은|는)\s(.+?)(?:참석|참여|함께|이름을 올)"
    r"(?:했다|하였다|했으며|했고|렸다|렸으며|해\s|하여\s)")


# `우수상은 A과 B, 장려상은 C, D가 받았다`: releases name the winners of each prize with the prize as
# topic and the winner as subject, and leave the verb to the last prize (gapping). 14 such
# sentences over 3,174 regional articles, 3 of them naming firms (with 1 to 7 each); the others
# name teams, students and village halls, which are no firms. Prize names only: `이상은 A가 차지했다`
# is a share, not a prize.
_PRIZE_WINNERS = re.compile(
    r"(?<![가-힣])(?:대상|최우수상|우수상|장려상|금상|은상|동상|특별상|공로상|인기상|으뜸상|본상|"
    r"[가-힣]{1,12}(?:장관|총리|대통령|지사|시장|군수|청장|원장|회장|이사장|위원장|사장|총장)상)"
    r"(?:은|는)\s(.+?)(?:이|가)\s(?:각각\s)?(?:받았|수상했|차지했|거머쥐었|안았)")


def _prize_winners(text: str, sentence, mentions: list, published: date | None,  # type: ignore[no-untyped-def]
                   found: list[dict]) -> list[dict]:
    """Firms named after a prize as topic, up to the subject of the verb that awards it: each won
    a prize. Only where what lies between holds no verb of its own (`최우수상은 … 점수를 받은 A가
    차지했다` is left to the triggers), and not a firm named as its head's employer (`공로상은 ㈜A
    대표와 …`: the head's own prize, only optional for the firm, LABELLING.md)."""
    out: list[dict] = []
    winners = [m for m in mentions if not _HEAD_NAMED_AFTER.match(text, m[1])]
    for match in _PRIZE_WINNERS.finditer(text, sentence.start, sentence.end):
        if _VERB_INSIDE.search(text, match.start(1), match.end(1)):
            continue
        out += _firms_named_between(text, sentence, winners, published, found + out, match.span(1), "award",
                                    match.start())
    return out


# A head's or an employee's title after a firm's name, perhaps with their name between (`㈜A 대표`,
# `A 홍길동 대표`): the firm is named as that person's employer.
_HEAD_NAMED_AFTER = re.compile(r"\s?(?:[가-힣]{2,4}\s)?(?:대표이사|대표|회장|부회장|사장|이사장|전무|상무|부장|팀장|과장|직원|씨)"
                               r"(?:[와과가이은는을를의도]|[\s,·]|$)")


# `A는 이번 협약을 토대로 …`, `이번 협약에 따라 A가 …`, `A는 이번 인증을 계기로 …`: a firm that acts
# under "this agreement" (this contract, prize, selection, certificate) as subject or topic has it,
# whatever the sentence then plans: the deed is done, what it leads to is to come. Passages of releases
# often hold this sentence without the one that reports the deed. 79 such phrases over the 3,211
# dev-side regional articles (협약 54, 선정 9, 수상 5, 인증 5, 계약 1), most of them said of a
# government, which earns nothing here. Not 지정: a designation is a selection or a certificate by
# what it designates (data/lexicon/achievements.toml), which the phrase does not say.
_THIS_DEED = re.compile(r"이번\s(?:[가-힣]+\s)?(협약|계약|수주|수상|선정|인증)"
                        r"(?:을\s통해|에\s따라|을\s토대로|을\s바탕으로|으로|을\s계기로|으로써)\s")
_THIS_DEED_TYPES = {"협약": "partnership", "계약": "contract", "수주": "contract", "수상": "award",
                    "선정": "selection", "인증": "certification"}


# … and its head or spokesperson who speaks of it (`A 관계자는 "이번 협약은 …"`, `A 대표이사는 “이번 인증을
# …`): 11 such quotes over the 3,211 dev-side regional articles, 3 of them a firm's.
_SPEAKS_OF_THIS_DEED = re.compile(r"\s(?:[가-힣]{2,4}\s)?(?:관계자|대표이사|대표|사장|회장)(?:은|는)\s[\"“]이번\s"
                                  r"(?:[가-힣]+\s)?(협약|계약|수주|수상|선정|인증)")


def _this_deeds_doers(text: str, sentence, mentions: list, published: date | None,  # type: ignore[no-untyped-def]
                      found: list[dict]) -> list[dict]:
    """The firms marked as subject or topic in a sentence that acts under this agreement, contract,
    prize, selection or certificate, or whose head or spokesperson speaks of it: each has it."""
    if text.find("이번", sentence.start, sentence.end) < 0:
        return []       # both readings need `이번`, which most sentences lack
    acting = _THIS_DEED.search(text, sentence.start, sentence.end)
    said = {(a["organization"], a["type"]) for a in found}
    out: list[dict] = []
    for start, end, org in mentions:
        if not sentence.start <= start < sentence.end or org.kind != "firm":
            continue
        speaking = _SPEAKS_OF_THIS_DEED.match(text, end)
        match = speaking or (acting if _SUBJECT_AFTER.match(text, end) else None)
        if match is None:
            continue
        kind = _THIS_DEED_TYPES[match.group(1)]
        if (org.name, kind) not in said:
            said.add((org.name, kind))
            out.append(_sentence_deed(text, sentence, kind, org, match.start(), published, 0.6))
    return out


def _agreement_parties(text: str, sentence, mentions: list, published: date | None,  # type: ignore[no-untyped-def]
                       found: list[dict]) -> list[dict]:
    """The firms named as taking part in an agreement's signing: each a partner in it."""
    match = _AGREEMENT_TAKERS.search(text, sentence.start, sentence.end)
    if match is None:
        return []
    return _firms_named_between(text, sentence, mentions, published, found, match.span(1), "partnership",
                                match.start())


def _second_opinion(model: Model | None, text: str, sentence, mentions: list,  # type: ignore[no-untyped-def]
                    found: list[dict]) -> list[dict]:
    """Rule candidates of one sentence that the classifier (when on) does not veto."""
    if model is None or not model.vetoing or not found:
        return found
    features: dict[str, Candidate] = {}
    kept = []
    for item in found:
        name = item["organization"]
        if name not in features:
            features[name] = candidate(text, sentence.start, sentence.end, sentence.tokens, mentions, name)
        if not model.vetoes(features[name], item["type"]):
            kept.append(item)
    return kept


def _recover(model: Model, text: str, sentence, mentions: list,  # type: ignore[no-untyped-def]
             rule_found: list[dict], published: date | None) -> list[dict]:
    """Achievements the classifier is sure of for firms of this sentence the rules credited
    with nothing.

    The rules miss achievements worded in ways the lexicon lacks; the classifier reads the
    whole sentence and can name the type. It is never asked about a sentence the rules'
    own checks call a plan, setback or budget, so those stay out whatever it says. Amount,
    date and counterparty come from the rules' slot filling, so they are normalised the
    same way; the confidence stays below every rule achievement's.
    """
    lex = lexicon()
    s0, s1 = sentence.start, sentence.end
    sentence_text = text[s0:s1]
    if any(word in sentence_text for word in lex.not_achieved + lex.recover_skip):
        return []
    credited = {item["organization"] for item in rule_found}
    firms = list({org.name: org for s, _, org in mentions if s0 <= s < s1 and org.kind == "firm"}.values())
    missing = [org for org in firms if org.name not in credited]
    if not missing:
        return []
    clause = Clause(s0, s1, (s0, s1))
    roles = _roles(text, clause, sentence.tokens, mentions)
    amounts = _amounts(text, sentence_text, s0)
    found = []
    for org in missing:
        verdict = model.recovers(candidate(text, s0, s1, sentence.tokens, mentions, org.name), (org.name, s0))
        if verdict is None:
            continue
        name, p_achieved, p_type = verdict
        kind = next(k for k in lex.types if k.name == name)
        anchor = _anchor(sentence_text, s0, kind)
        # A figure is the firm's only when no other firm of the sentence could own it.
        amount = _assign_amounts(text, [(kind, anchor, anchor)], amounts).get(0) if len(firms) == 1 else None
        found.append({
            "type": name, "organization": org.name, "amount": amount.to_json() if amount else None,
            "counterparty": _counterparty(text, clause, name, anchor, mentions, [org], roles),
            "date": _date_for(text, s0, anchor, published),
            "evidence": sentence_text.strip(), "span": [s0, s1],
            "confidence": round(0.55 * p_achieved * p_type, 2),
        })
    return found


def _anchor(sentence_text: str, offset: int, kind: AchievementType) -> int:
    """Where the achievement is said: the last trigger of its type, else the predicate at the end."""
    positions = [m.start() for trigger in kind.triggers for m in re.finditer(re.escape(trigger), sentence_text)]
    positions += [m.start() for pattern in kind.patterns for m in pattern.finditer(sentence_text)]
    if positions:
        return offset + max(positions)
    return offset + len(sentence_text.rstrip(" .!?\"'”’\n"))


@dataclass
class _Context:
    """What earlier sentences said: the firm(s) a later `이 회사는` refers to."""

    last_firms: list[Organization] = field(default_factory=list)
    current: list[Organization] = field(default_factory=list)
    # the subjects and partners of the last sentence that paired them (`A가 B와 손잡았다`, `A와 B가
    # …`; a party no organisation is found for counts for nothing): whom a later `양사는` refers to
    last_parties: list[Organization] = field(default_factory=list)
    current_parties: list[Organization] = field(default_factory=list)
    signed_agreement: bool = False     # a signed investment agreement was reported before
    # every firm the last sentence named, in order: whom a counted reference (`두 회사는`) means when
    # that sentence paired none of them (`A, B 등 계열사의 사업이 늘었다. 두 회사는 …`)
    named_before: list[Organization] = field(default_factory=list)
    # the firms the sentence just before had as its subject (none when it had no firm subject)
    subject_before: list[Organization] = field(default_factory=list)

    def end_sentence(self, named: list[Organization]) -> None:
        self.subject_before = list(self.current)
        if self.current:
            self.last_firms, self.current = self.current, []
        if self.current_parties:
            self.last_parties = self.current_parties
        self.current_parties = []
        self.named_before = named

    def counted(self, firms: list[Organization], count: int | None) -> list[Organization]:
        """`firms`, or when a reference counts other than they are, the firms of the sentence
        before if that sentence named exactly that many."""
        if count is None or len(firms) == count or len(self.named_before) != count:
            return firms
        return list(self.named_before)


def _clauses(sentence) -> list[Clause]:  # type: ignore[no-untyped-def]
    """Cut a sentence after a connective ending followed by a comma (…상승했으며, …), or after one
    that carries its own past (`…수출 실적을 올렸고 향후 … 계획하고 있다`): the deed is done there,
    and what follows is a new statement, whose plan is not the deed's."""
    tokens = sentence.tokens
    bounds = [sentence.start]
    for i, token in enumerate(tokens[:-1]):
        if token.tag == "EC" and tokens[i + 1].form == "," and token.form in ("며", "으며", "고", "면서", "으면서"):
            bounds.append(tokens[i + 1].start + 1)
        elif token.tag == "EC" and token.form in ("며", "으며", "고") and i > 0 and tokens[i - 1].tag == "EP" \
                and tokens[i - 1].form in ("었", "았", "였", "었었") and tokens[i + 1].form != ",":
            bounds.append(token.start + token.len)
        elif _signed_then_agreed(tokens, i, sentence):
            bounds.append(token.start + token.len)
    bounds.append(sentence.end)
    span = (sentence.start, sentence.end)
    return [Clause(a, b, span) for a, b in zip(bounds, bounds[1:]) if b > a]


# What the parties agreed on at a signing, said at the sentence's end (`…하기로 했다`): a decision
# taken, past, not a plan for the signing before it.
_AGREED_END = re.compile(r"기로\s?(?:했|합의했|약속했|뜻을 모았)")


def _signed_then_agreed(tokens: Sequence, i: int, sentence) -> bool:  # type: ignore[no-untyped-def]
    """`협약을 체결하고 …하기로 했다`, `협약을 맺고 …하기로 했다`: the signing is done, and what the
    sentence ends with is what they agreed on there. The same sentence with a comma after 체결하고 is
    cut already (the connective runs events in order); without one, the decision's 하기로 read as
    the signing's plan. Not `체결하고 있다` (an auxiliary verb: still under way)."""
    token = tokens[i]
    if token.tag != "EC" or token.form != "고" or i < 1 or tokens[i + 1].tag.startswith("VX"):
        return False
    signed = tokens[i - 1].form == "맺" or (tokens[i - 1].tag == "XSV" and i > 1 and tokens[i - 2].form == "체결")
    return signed and _AGREED_END.search(sentence.text[token.start + token.len - sentence.start:]) is not None


# A forecast ending a sentence: said of every clause joined to it by a tenseless connective.
_FORECAST = re.compile(r"예상|전망|추정|관측|것으로 보")


def _tenseless_end(tokens: Sequence, clause: Clause) -> bool:
    """The clause was cut after a connective with no tense of its own (`…이 1% 늘고, … 기록할 것으로
    예상했다`): a forecast ending the sentence is then the clause's too. `…했고,` / `…했으며,` carry
    their own past and stay deeds; a plan after `협약을 체결하고,` is what followed the signing (the
    connective runs events in order), so only a forecast is shared."""
    if clause.end >= clause.sentence[1]:
        return False
    inside = [t for t in tokens if clause.start <= t.start < clause.end]
    ending = next((i for i in range(len(inside) - 1, -1, -1) if inside[i].tag == "EC"), None)
    return ending is not None and ending > 0 and inside[ending - 1].tag != "EP"


def _clause_achievements(text: str, clause: Clause, tokens: Sequence, mentions: list,
                         published: date | None, context: _Context,
                         analysis: Analysis | None = None) -> tuple[list[dict], list[dict]]:
    lex = lexicon()
    clause_text = text[clause.start:clause.end]
    roles = _roles(text, clause, tokens, mentions)
    subject_firms = [org for org in roles.subjects if org.kind == "firm"]
    if subject_firms:
        context.current = subject_firms
    if roles.subjects and (roles.partners or len(roles.subjects) > 1 or _PAIRED.search(clause_text)):
        # with a partner, the first subject (all of a coordinated one: `A와 B는 만났다`) and it
        # (`A는 B와 함께 C가 주관하는 …에 선정됐다`: not C)
        first = roles.subject_groups[0] if roles.subject_groups else roles.subjects[:1]
        pair = first + roles.partners if roles.partners else roles.subjects
        context.current_parties = list(dict.fromkeys(pair))
    if not roles.subjects and _BOTH_PARTIES.search(text[clause.sentence[0]:clause.end]):
        subject_firms = [org for org in context.last_parties if org.kind == "firm"] or list(context.last_firms)
        subject_firms = context.counted(subject_firms, 2)
        roles.subject_groups = [subject_firms]    # one pair: a figure they share is no one's (LABELLING.md)
    elif not subject_firms and not roles.subjects and (
            (refers_back := _REFERS_BACK.search(text[clause.sentence[0]:clause.end]))
            or _metric_topic(text, clause, mentions)):
        count = _COUNT_WORDS.get(refers_back.group("count") or "") if refers_back else None
        subject_firms = context.counted(list(context.last_firms), count)
        roles.subject_groups = [subject_firms] if count else [[org] for org in subject_firms]
    elif not subject_firms and len(context.subject_before) == 1 and _no_firm_named(clause, mentions) \
            and not _subject_marked_here(tokens, clause):
        # `A는 …이다. 지난해 … 선정됐다`: a sentence that names no firm and has no subject of its own
        # goes on about the firm the sentence before was about (Korean leaves such subjects out)
        subject_firms = list(context.subject_before)
        roles.subject_groups = [subject_firms]
        context.current = subject_firms
    if not any(org.kind == "firm" for org in roles.objects) and _REFERS_BACK_OBJECT.search(
            text[clause.sentence[0]:clause.end]):
        roles.objects = roles.objects + list(context.last_firms)
    if any(word in clause_text for word in lex.committed) and _SIGNED.search(clause_text):
        context.signed_agreement = True
    def stands(trigger: tuple) -> bool:
        return not any(s <= trigger[1] < e for s, e in roles.relative_clauses) \
            and (analysis is None or _said_as_done(text, trigger, analysis, tokens, lex))

    after = text[clause.end:clause.sentence[1]]
    shared = _FORECAST.search(after) is not None and _tenseless_end(tokens, clause)
    triggers = _triggers(clause_text, clause.start, lex, context.signed_agreement, tokens, stands=stands,
                         continuation=after if shared else "")
    relative = _relative_deeds(text, clause, tokens, roles, published, lex, analysis) \
        + _head_deeds(text, clause, tokens, mentions, published, lex)
    if not triggers:
        return relative, []
    amounts = [a for a in _amounts(text, clause_text, clause.start)
               if not any(s <= a.start < e for s, e in roles.relative_clauses)]
    group = not roles.subjects and not subject_firms and _group_subject(text[clause.sentence[0]:clause.end], lex)
    live = triggers
    respectively = len(subject_firms) > 1 and (
        "각각" in clause_text or len(roles.subject_groups) > 1)
    datives = [org for org in roles.datives if org.kind == "firm"]
    assigned = _latest_years(text, live, amounts, _assign_amounts(text, live, amounts), published)
    rates = _growth_rates(text, live, amounts, assigned)
    firm_out: list[dict] = []
    group_out: list[dict] = []
    for index, (kind, t_start, t_end) in enumerate(live):
        tail = text[t_end:clause.end]
        amount = assigned.get(index)
        completed = any(word in tail or word in text[t_start:t_end + 6] for word in lex.completed)
        receivers = subject_firms
        read = None if analysis is None or kind.recipient else _read_roles(text, kind, t_start, t_end, analysis,
                                                                           mentions, lex)
        if kind.recipient:
            # `㈜A는 ㈜B에 30억 원을 투자했다`: B raised it, from A (A's own investment is below).
            receivers = [org for org in datives if org not in roles.subjects]
        elif read is not None:
            receivers = read.receivers
        elif not receivers and kind.name in _DONE_TO_FIRMS:
            receivers = [org for org in roles.objects if org.kind == "firm"]
        if kind.name in _SHARED_WITH_COMPANIONS and receivers:
            receivers = receivers + [org for org in _companions(text, clause, mentions) if org not in receivers]
        if kind.name == "partnership":
            # an agreement's parties: the partners, and the firms whose heads signed it (`A 홍길동 대표와
            # B 김철수 대표가 업무협약을 체결했다`)
            receivers = receivers + [org for org in roles.partners + roles.heads_of
                                     if org.kind == "firm" and org not in receivers]
        # one organisation named twice in a role (`BNK한빛은행 … ㈜한빛은행과`, merged as aliases) is one party
        receivers = list(dict.fromkeys(receivers))
        giver = [org for org in roles.subjects if org not in receivers] if kind.recipient else \
            (read.givers if read is not None else [])
        counterparty = giver[-1].name if giver else _counterparty(text, clause, kind.name, t_start, mentions,
                                                                  receivers, roles)
        base = {
            "type": kind.name,
            "counterparty": counterparty,
            "date": _date_for(text, clause.start, t_start, published),
            "evidence": text[clause.sentence[0]:clause.sentence[1]].strip(),
            "span": [clause.sentence[0], clause.sentence[1]],
        }
        if receivers:
            respectively = len(receivers) > 1 and "각각" in clause_text if kind.recipient else respectively
            own_amounts = _respective_amounts(receivers, kind, _measured_by(text, live, index, amounts), mentions,
                                              text) if respectively else {}
            bracketed = _bracketed_amounts(receivers, kind, amounts, mentions, text) if len(receivers) > 1 else {}
            if len(bracketed) > 1:
                own_amounts, respectively = bracketed, True
            # `A 등 5개 업체와 1천억 원 규모의 투자협약`: A named for a group, whose total it is
            leading = _leads_group(text, receivers, mentions, clause) if len(receivers) == 1 else None
            single = len(receivers) == 1 and leading is None
            if leading is not None and amount is not None and not respectively:
                group_out.append({**base, "organization": leading, "amount": amount.to_json(),
                                  "confidence": round(0.6 + (0.15 if completed else 0), 2)})
            for org in receivers:
                # A figure shared by a list of firms is their total, not each one's.
                own = own_amounts.get(org.name) if respectively else (amount if single else None)
                confidence = 0.6 + (0.15 if completed else 0) + (0.1 if own else 0) + (0.1 if single else 0)
                mutual = counterparty is None and kind.name == "partnership" and len(receivers) == 2
                firm_out.append({**base, "organization": org.name, "amount": own.to_json() if own else None,
                                 "counterparty": next(o.name for o in receivers if o is not org) if mutual else counterparty,
                                 "confidence": round(min(confidence, 0.95), 2)})
                if single and index in rates:
                    firm_out.append({**base, "organization": org.name, "amount": rates[index].to_json(),
                                     "confidence": round(min(confidence, 0.95), 2)})
            if kind.name == "contract" and single:
                # `A는 B와 … 구매 계약을 체결했다`: a deal has two sides, and the firm named as the
                # other party (와/과) made it too, for the deal's figure (LABELLING.md credits the
                # seller, and leaves the buyer's side optional: the text seldom says which is which)
                for partner in _deal_partners(t_start, analysis, mentions, roles):
                    if partner.kind == "firm" and partner not in receivers:
                        firm_out.append({**base, "organization": partner.name,
                                         "amount": amount.to_json() if amount else None,
                                         "counterparty": receivers[0].name,
                                         "confidence": round(0.6 + (0.15 if completed else 0), 2)})
        elif group and amount is not None:
            group_out.append({**base, "organization": _group_name(text[clause.sentence[0]:clause.end]),
                              "amount": amount.to_json(),
                              "confidence": round(0.6 + (0.15 if completed else 0), 2)})
    said = {(a["organization"], a["type"]) for a in firm_out}
    firm_out += [a for a in relative if (a["organization"], a["type"]) not in said]
    return firm_out, group_out


# Deeds whose doer is the subject of an active verb, so the subject of a relative clause did
# them (`A가 개발한 장비`, `A가 수주한 공사`). Not selection or award: `도가 선정한 기업` names the
# selector, and the selected is the noun the clause modifies.
_RELATIVE_DEEDS = frozenset({"contract", "export", "investment", "hiring", "ip", "certification",
                             "partnership", "launch", "revenue"})
# Adnominal endings of what was done (-ㄴ/-은); -는 (habit) and -ㄹ/-을 (intent) are not.
_DONE_ENDINGS = frozenset({"ᆫ", "ㄴ", "은"})   # Kiwi writes -ㄴ as the final jamo ᆫ


def _relative_deeds(text: str, clause: Clause, tokens: Sequence, roles: _Roles, published: date | None,
                    lex: Lexicon, analysis: Analysis | None) -> list[dict]:
    """What a firm that is the subject of a relative clause did there: `삼성전자가 선보인 기기가
    …` is 삼성전자's launch, `㈜A가 수주한 공사를 ㈜B가 …` A's contract (the main clause is B's)."""
    out: list[dict] = []
    for start, end, subjects in roles.relative_subjects:
        firms = [org for org in subjects if org.kind == "firm"]
        etm = next((t for t in tokens if t.tag == "ETM" and t.start + t.len == end), None)
        if not firms or etm is None or etm.form not in _DONE_ENDINGS or not clause.start <= start < clause.end:
            continue
        span_text = text[start:end + 1]        # with the space after: `투자한 `, `개발한 `
        found = [t for t in _triggers(span_text, start, lex, False, tokens, relative=True)
                 if t[0].name in _RELATIVE_DEEDS and not t[0].recipient
                 and (analysis is None or _said_as_done(text, t, analysis, tokens, lex))]
        if not found:
            continue
        amounts = _amounts(text, span_text, start)
        assigned = _assign_amounts(text, found, amounts) if len(found) == 1 else {}
        for index, (kind, t_start, _) in enumerate(found):
            amount = assigned.get(index) if len(firms) == 1 else None
            out += [_deed_of(text, clause, kind, org, t_start, published, amount) for org in firms]
    return out


def _deed_of(text: str, clause: Clause, kind: AchievementType, org: Organization, t_start: int,
             published: date | None, amount: Amount | None = None) -> dict:
    """The achievement of a firm a relative clause names as its doer (no counterparty is read there)."""
    return {"type": kind.name, "organization": org.name, "counterparty": None,
            "date": _date_for(text, clause.start, t_start, published),
            "evidence": text[clause.sentence[0]:clause.sentence[1]].strip(),
            "span": [clause.sentence[0], clause.sentence[1]],
            "amount": amount.to_json() if amount else None,
            "confidence": 0.6 + (0.1 if amount else 0)}


# An adnominal trigger right before a name (a legal form may stand between): `…드론을 개발한 A`,
# `…을 선보인 ㈜B`; not a quoted one (`자체 개발한 ‘…시스템’`: a product's name).
_HEAD_AFTER_TRIGGER = re.compile(r"\s(?:㈜|\(주\)|주식회사\s?)?$")
# … and the name ends the noun phrase the clause modifies (`…을 개발한 A는`, `A,`, `A(대표 …)`, `A
# 측은`), not a word before its head (`…에 투자한 B금융 자회사 B캐피탈`: the subsidiary invested).
_HEAD_ENDS_AFTER = re.compile(r"(?:㈜|\(주\))?(?:[은는이가을를의와과도에,·)’”'\"]|\s측|\s?\(|$)")


def _head_deeds(text: str, clause: Clause, tokens: Sequence, mentions: list, published: date | None,
                lex: Lexicon) -> list[dict]:
    """What a firm did that a relative clause of its own deed modifies: `국산 드론을 개발한 A,`,
    `자율주행 로봇을 선보인 B`, `…기술을 개발한 C㈜가`, `…에 투자한 D 측도` (4 launches and one
    investment over the 3,399 dev-side regional articles). The relative triggers (`개발한`,
    `선보인`, `투자한`, `인수한`) are otherwise read only for a clause's own subject (`A가 개발한
    장비`: _relative_deeds); here the clause names none, so the name it modifies is the one who did
    it. A subject marked 이/가 inside the clause (`A가 개발한 B`) makes B the thing or the other party."""
    out: list[dict] = []
    sentence_start = clause.sentence[0]
    for start, end, org in mentions:
        if org.kind != "firm" or not clause.start <= start < clause.end or not _HEAD_ENDS_AFTER.match(text, end):
            continue
        head = _HEAD_AFTER_TRIGGER.search(text, max(clause.start, start - 12), start)
        if head is None or not any(text.endswith(trigger.strip(), 0, head.start())
                                   for kind in lex.types for trigger in kind.relative):
            continue
        etm = next((t for t in tokens if t.tag == "ETM" and t.start + t.len == head.start()), None)
        if etm is None or etm.form not in _DONE_ENDINGS:
            continue
        if _own_subject_before(tokens, sentence_start, etm.start):
            continue
        span_start = max(clause.start, etm.start - 40)
        span_text = text[span_start:head.start() + 1]
        found = [t for t in _triggers(span_text, span_start, lex, False, tokens, relative=True)
                 if t[0].name in _RELATIVE_DEEDS and not t[0].recipient and t[2] in (head.start(), head.start() + 1)]
        out += [_deed_of(text, clause, kind, org, t_start, published) for kind, t_start, _ in found[-1:]]
    return out


def _own_subject_before(tokens: Sequence, sentence_start: int, position: int) -> bool:
    """A subject (이/가) of the relative clause ending at `position`: read back to the ending of an
    earlier clause (a connective, a final or another adnominal ending) or the sentence's start."""
    for token in reversed([t for t in tokens if sentence_start <= t.start < position]):
        if token.tag in ("EC", "EF", "SF", "ETM"):
            return False
        if token.tag == "JKS":
            return True
    return False


# Predicates of being rather than doing: a trigger noun that is only their argument happened to no one.
_STATIVE = frozenset({"있", "없", "아니"})


# After a trigger noun inside its phrase, what may follow without making it a modifier of
# another noun (`매출 120억 원을`, `투자 2건`): figures and their units.
_FIGURE_TOKENS = ("SN", "NR", "NNB", "SW", "SP", "SS", "SF", "SO", "XSN")


def _said_as_done(text: str, trigger: tuple, analysis: Analysis, tokens: Sequence, lex: Lexicon) -> bool:
    """Whether the sentence's structure says the trigger happened: it is the predicate, or it
    heads a phrase (`납품 계약을 맺었다`, `매출 120억 원을 기록했다`) rather than modifying the noun
    after it (`인증 서비스를 제공하고`, `채용 과정에서`); and its predicate is no plan or
    expectation (`출시를 앞둔`, `수출을 추진한다`: `[not_achieved] lemmas`)."""
    kind, t_start, t_end = trigger
    frame = frame_of(analysis, t_start)
    if frame is not None and frame.predicate.lemma in lex.plan_lemmas:
        return False
    in_predicate = frame is not None and frame.predicate.start <= t_start < frame.predicate.end
    if frame is not None and not in_predicate and frame.predicate.lemma in _STATIVE:
        return False    # `카카오페이 인증 등 인증서들이 있다`: a trigger noun in a clause of being, not doing
    phrase = analysis.phrase_at(t_start, t_end)
    if phrase is None or any(f.predicate.start <= t_start < f.predicate.end for f in analysis.frames):
        return True
    particle_start = _particle_start(tokens, phrase)
    following = [t for t in tokens if t_end <= t.start < particle_start]
    depth = 0
    for token in following:
        if token.tag == "SSO":
            depth += 1
        elif token.tag == "SSC":
            depth = max(0, depth - 1)
        elif depth == 0 and not token.tag.startswith(_FIGURE_TOKENS) \
                and token.form not in lex.measure_nouns and not _is_trigger(token.form, kind):
            return False    # `인증 서비스`, `채용 과정`: the trigger names what another noun is about
    return True


def _is_trigger(form: str, kind: AchievementType) -> bool:
    """A noun of the same kind of achievement (`특허 출원`, `투자 유치액`): still this trigger's
    phrase. A trigger of another kind heads it instead (`수출 계약` is a contract)."""
    return len(form) >= 2 and any(form in trigger for trigger in kind.triggers)


def _particle_start(tokens: Sequence, phrase: Phrase) -> int:
    """Where the phrase's closing particle begins (its end when it has none)."""
    inside = [t for t in tokens if phrase.start <= t.start < phrase.end]
    cut = phrase.end
    for token in reversed(inside):
        if token.tag.startswith(("J", "SF", "SP", "SS")):
            cut = token.start
        else:
            break
    return cut


@dataclass
class _Read:
    """Who achieves a trigger by the syntax layer, and who gave it (the selecting body)."""

    receivers: list[Organization]
    givers: list[Organization]


def _read_roles(text: str, kind: AchievementType, t_start: int, t_end: int, analysis: Analysis,
                mentions: list, lex: Lexicon) -> _Read | None:
    """The achievers of one trigger from its predicate's frame, or None when the frame says
    nothing (no frame, or no organisation in the role it points to: the older rules decide).

    * a signed agreement (`[roles] parties`): every firm among the agents and the partners
      marked 와/과 (`도와 군은 A, B와 투자협약을 맺었다` → A, B);
    * an active verb of choosing, honouring or funding (`[roles] object_achieves`): the firms
      in its object and recipient (`도는 A, B를 선정했다`), the agent being the giver; when no
      firm stands there, nobody (the agent chose, it achieved nothing: `A가 비밀번호를 선정했다`);
    * otherwise the agent; if the agent is a thing a firm made (`A가 개발한 기술이 특허로
      등록됐다`), the firm that made it.
    """
    frame = frame_of(analysis, t_start)
    if frame is None:
        return None
    predicate = frame.predicate
    trigger_text = _unquoted(text[t_start:t_end + 8])[0]     # `…협약'을 체결`: the marks of a quoted name
    agents = _orgs_in(frame.agents, mentions)
    if any(trigger_text.startswith(word) for word in lex.parties):
        partners = _orgs_in(frame.phrases("with", "member"), mentions)
        firms = [o for o in agents + partners if o.kind == "firm"]
        return _Read(list(dict.fromkeys(firms)), []) if firms else None
    choosing = predicate.voice == "active" and predicate.clause != "adnominal" and any(
        predicate.lemma == verb or predicate.lemma.startswith(verb) for verb in lex.object_achieves)
    if choosing and kind.name in _DONE_TO_FIRMS:
        objects = frame.phrases("obj", "dat")
        chosen = [o for o in _orgs_in(objects, mentions) if o.kind == "firm"]
        if not chosen and any(_REFERS_BACK_OBJECT.search(" " + text[max(0, p.start - 4):p.end] + " ") for p in objects):
            return None     # `군은 이 업체를 … 선정했다`: the firm of the sentence before (older rules)
        givers = [o for o in agents if o not in chosen]
        return _Read(chosen, givers)
    firms = [o for o in agents if o.kind == "firm"]
    if not firms:
        firms = _maker_of(frame, analysis, mentions)
    return _Read(firms, []) if firms else None


def _deal_partners(t_start: int, analysis: Analysis | None, mentions: list, roles: "_Roles") -> list[Organization]:
    """The other party of a deal: the organisations its predicate marks 와/과 (`A는 B와 … 계약을
    맺었다`), not a list inside a relative clause before it (`A와 B가 개발한 장비로 C가 …`)."""
    frame = frame_of(analysis, t_start) if analysis is not None else None
    marked = _orgs_in(frame.phrases("with"), mentions) if frame is not None else []
    # the parser may read `B와 …에 대해` as a list (B and …): the clause's own 와/과 partners count too
    return list(dict.fromkeys(marked + [
        org for org in roles.partners
        if not any(s <= start < e for start, _, o in mentions if o is org for s, e in roles.relative_clauses)]))


def _orgs_in(phrases: list[Phrase], mentions: list) -> list[Organization]:
    found: list[Organization] = []
    for start, end, org in mentions:
        if org not in found and any(p.start <= start and end <= p.end for p in phrases):
            found.append(org)
    return found


def _maker_of(frame: Frame, analysis: Analysis, mentions: list) -> list[Organization]:
    """`A가 개발한 기술이 특허로 등록됐다`: the agent is modified by a relative clause whose own
    agent is a firm — the achievement is that firm's."""
    own = frame.roles.get("subj", []) + frame.roles.get("topic", [])
    if not own:
        return []
    head = own[0]
    for other in analysis.frames:
        if other.predicate.clause == "adnominal" and other.predicate.end <= head.start \
                and head.start - other.predicate.end <= 1 and other.predicate.lemma in _MAKING:
            return [o for o in _orgs_in(other.agents, mentions) if o.kind == "firm"]
    return []


# Verbs of making: what a firm made (개발한 기술, 만든 제품) carries its achievement to the firm;
# what a firm invested in or supplied does not (투자한 기업, 납품한 물량).
_MAKING = frozenset({"개발하", "만들", "생산하", "제작하", "선보이", "출시하", "내놓", "설계하", "제조하", "개량하", "개선하"})


# Who stands on the other side of an achievement, by the words after its name: the source
# (…로부터, …에서), the body that runs a programme (…가 주관하는), the other party (…와 계약).
_FROM = re.compile(r"\s*(?:으로부터|로부터|에게서|에서부터)")
_RUN_BY = re.compile(r"\s*(?:이|가)?\s*(?:주관|주최|시행|발주|운영|공모|지정|선정|수여|인증|시상|지원)")
_AT = re.compile(r"\s*에서(?![가-힣])")
_WITH = re.compile(r"\s*(?:와|과)\s")
_OF = re.compile(r"\s*의\s")
_WITH_TYPES = frozenset({"contract", "partnership", "export", "investment"})
# Investors that the organisation finder does not know (…벤처스로부터 50억 원 투자 유치).
_INVESTOR_NAME = re.compile(r"([가-힣A-Za-z0-9&]+(?:벤처스|인베스트먼트|캐피탈|파트너스|벤처투자|투자조합|엔젤클럽))"
                            r"\s*(?:등(?:\s*\d+\s*곳)?)?\s*(?:으로부터|로부터|에서)")


def _counterparty(text: str, clause: Clause, kind: str, trigger_start: int, mentions: list,
                  receivers: list[Organization], roles: "_Roles") -> str | None:
    """The buyer, awarding body, investor or partner named for this achievement, if any.

    Only organisations before the trigger in the same sentence count, never the achievers
    themselves; a stated source or organiser beats a `와/과` partner, which beats the
    non-firm subject that did the selecting (`도는 ㈜A를 선정했다` → 도). Inside a relative
    clause only a source or organiser counts (`…가 주관하는 사업에`).
    """
    names = {org.name for org in receivers}
    best: tuple[int, int, str] | None = None
    for start, end, org in mentions:
        if not clause.sentence[0] <= start < trigger_start or org.name in names:
            continue
        after = _APPOSITION.sub("", text[end:end + 40], count=1)[:16]
        if _FROM.match(after) or _RUN_BY.match(after):
            score = 3
        elif _AT.match(after) or (_WITH.match(after) and kind in _WITH_TYPES):
            score = 2
        elif org.kind != "firm" and (org in roles.subjects and not any(r in roles.subjects for r in receivers)
                                     or _OF.match(after) and kind in _DONE_TO_FIRMS):
            score = 1
        else:
            continue
        if score < 3 and any(s <= start < e for s, e in roles.relative_clauses):
            continue    # `㈜A와 ㈜B가 개발한 장비로 ㈜C가 …`: A is no partner of C's contract
        if best is None or (score, start) > best[:2]:
            best = (score, start, org.name)
    if best is None and kind == "investment":
        found = list(_INVESTOR_NAME.finditer(text, clause.sentence[0], trigger_start))
        return found[-1].group(1) if found else None
    return best[2] if best else None


# Achievements a government or agency gives to firms: the firms are its objects (…를 선정했다).
_DONE_TO_FIRMS = frozenset({"selection", "award", "certification", "funding"})
# A clause whose subject points back at the firm of an earlier sentence.
_REFERS_BACK = re.compile(r"(?:^|\s|[,‘“\'\"])(?:이|이들|(?P<count>두|세|네)|해당|같은|동)\s?(?:회사|기업|업체)(?:들)?"
                          r"(?:은|는|이|가|도)|(?:^|[\s,])(?:회사|동사)(?:는|가)\s")
_COUNT_WORDS = {"두": 2, "세": 3, "네": 4}
# Both parties a sentence before named as subject and partner (`A가 B와 손을 잡았다. 양측은 …
# 업무협약을 체결했다`): 51 such subjects over 2,928 regional articles. Each firm among them.
_PAIRED = re.compile(r"[가-힣A-Za-z)](?:와|과)\s")
_BOTH_PARTIES = re.compile(r"(?:^|\s|[,‘“\'\"])(?:양사|양측|양\s?기관|양\s?기업)(?:은|는|이|가|도)\s")

# The same, as the object of someone else's decision (고흥군은 이 업체를 … 선정했다).
_REFERS_BACK_OBJECT = re.compile(r"(?:^|\s)(?:이|해당|같은|동)\s?(?:회사|기업|업체)(?:를|을)\s")
# A sentence whose topic is a firm's own figure (`반면 수출은 …`, `매출액도 …`) with no
# organisation in it continues the firm of the sentence before.
# A sentence about a firm's figures with the firm left to the sentence before: `올해 매출은 …`, and
# as earnings are reported, `3Q25 연결 기준 매출은 …`, `2025년 잠정실적은 매출액 …`.
_METRIC_TOPIC = re.compile(r"^\s*(?:[가-힣A-Za-z0-9]+\s+){0,3}?(?:올해|지난해|작년|상반기|하반기)?\s*"
                           r"(?:(?:수출|매출|수출액|매출액|수출 실적|영업이익|순이익)(?:은|는|도|이|가)\s|"
                           r"(?:잠정\s?)?실적(?:은|는)\s(?:[가-힣]+\s)?(?:매출|매출액|수출액)\s)")


def _metric_topic(text: str, clause: Clause, mentions: list) -> bool:
    sentence_start = clause.sentence[0]
    if any(sentence_start <= s < clause.sentence[1] for s, _, _ in mentions):
        return False
    return bool(_METRIC_TOPIC.match(text[sentence_start:clause.end]))


def _respective_amounts(firms: list[Organization], kind: "AchievementType", amounts: list[Amount],
                        mentions: list, text: str) -> dict[str, Amount]:
    """`A는 45억 원, B는 18억 원 … 각각` and `A와 B는 … 각각 120명, 85명`: one figure per firm."""
    fitting = [a for a in amounts if a.unit in kind.units]
    if len(fitting) == 1 and "각각" in text[max(0, fitting[0].start - 12):fitting[0].start]:
        return {org.name: fitting[0] for org in firms}    # 각각 3억 원: the same figure for each
    positions = {}
    for start, end, org in mentions:
        if org in firms and org.name not in positions and any(a.start >= end for a in fitting):
            positions[org.name] = end
    ordered = sorted(positions, key=positions.get)
    result: dict[str, Amount] = {}
    for index, name in enumerate(ordered):
        limit = positions[ordered[index + 1]] if index + 1 < len(ordered) else None
        between = [a for a in fitting if a.start >= positions[name] and (limit is None or a.end <= limit)]
        if between and (limit is not None or len(between) == 1):
            result[name] = between[0]
    own = [a for a in fitting if not _TOTAL_BEFORE.search(text, max(0, a.start - 6), a.start)]
    if not result and len(own) == len(ordered):
        # `A와 B, C가 각각 2500억 원, 1800억 원, 640억 원 등 총 4940억 원을`: the figures in the
        # members' order; the total after them is the group's
        result = dict(zip(ordered, own))
    return result


_TOTAL_BEFORE = re.compile(r"(?:총|합계|모두|전체)\s*$")


# A legal form and an opening bracket between a name and its own figure: `A㈜(300억 원)`.
_FIGURE_BRACKET = re.compile(r"(?:㈜|\((?:주|유)\))?\s?\(\s?")


def _bracketed_amounts(firms: list[Organization], kind: "AchievementType", amounts: list[Amount],
                       mentions: list, text: str) -> dict[str, Amount]:
    """`A㈜(300억 원), ㈜B(80억 원)와 투자협약을 맺었다`: each firm's own figure in brackets
    right after its name, as investment-attraction releases list the parties of one agreement."""
    fitting = {a.start: a for a in amounts if a.unit in kind.units}
    result: dict[str, Amount] = {}
    for _, end, org in mentions:
        if org not in firms or org.name in result:
            continue
        opening = _FIGURE_BRACKET.match(text, end)
        amount = fitting.get(opening.end()) if opening else None
        if amount is not None and text[amount.end:amount.end + 1] == ")":
            result[org.name] = amount
    return result


# After an amount, a modifier ending (규모의, 상당의, 어치의, 짜리) ties it to the noun that
# follows; a bracketed gloss may stand between (350만 유로(약 51억 원) 규모의 계약).
_MODIFIES_NEXT = re.compile(r"(?:\s*\([^()]{0,30}\))?\s*(?:(?:규모|상당|어치|짜리|가량|정도)\s*의?|의)\s")
# After an amount, words that make it the value a change started from.
_START_VALUE = re.compile(r"\s*(?:이던|였던|이었던|에서)(?![가-힣])")


def _assign_amounts(text: str, triggers: list, amounts: list[Amount]) -> dict[int, Amount]:
    """Each amount goes to the nearest trigger whose type takes its unit.

    Korean puts the figure before the noun it measures (약 20억 원 규모의 납품 계약,
    90여 명의 신규 채용) more often than after it (매출 17% 상승), so a trigger after the
    amount counts as nearer than one the same distance before it — much nearer when a
    modifier ending says so (`선정돼 3천만 원 상당의 바우처를 받았다` is the voucher's figure).
    """
    # Closest (amount, trigger) pairs first, so a far figure of another clause part (2천억 원
    # 규모의 정부 예산이 … 15억 원 규모의 납품 계약) cannot take the trigger from the near one.
    # Money, people and counts before percentages: `42% 늘어난 1천150만 달러` is 1,150만 달러.
    pairs = []
    for a_index, amount in enumerate(amounts):
        for index, (kind, t_start, t_end) in enumerate(triggers):
            if amount.unit in kind.units and not _bracketed_apart(text, t_start, amount.start):
                # a giver's trigger (…에 투자했다) yields a shared figure to the taker's
                pairs.append((amount.unit == "percent", _distance(text, amount, t_start, t_end), kind.recipient,
                              a_index, index))
    assigned: dict[int, Amount] = {}
    taken: set[int] = set()
    for _, _, _, a_index, index in sorted(pairs):
        if index not in assigned and a_index not in taken:
            assigned[index] = amounts[a_index]
            taken.add(a_index)
    # `A는 B에 30억 원을 투자했다`: one figure is both the investor's and the invested firm's
    for index, (kind, t_start, _) in enumerate(triggers):
        if kind.recipient and index not in assigned:
            twin = next((i for i, (k, s, _) in enumerate(triggers) if s == t_start and not k.recipient and i in assigned), None)
            if twin is not None:
                assigned[index] = assigned[twin]
    return assigned


def _bracketed_apart(text: str, t_start: int, a_start: int) -> bool:
    """The trigger stands inside a bracket that does not hold the figure: `매출 34억 원(수출 10억 원)`
    — the bracket's own trigger measures only what the bracket holds."""
    opening = text.rfind("(", max(0, t_start - 40), t_start)
    if opening < 0 or ")" in text[opening:t_start]:
        return False
    closing = text.find(")", t_start)
    return closing >= 0 and not opening < a_start < closing


def _distance(text: str, amount: Amount, t_start: int, t_end: int) -> float:
    """How far a figure stands from a trigger, as _assign_amounts weighs it."""
    backward = 50.0 if _MODIFIES_NEXT.match(text, amount.end) else 1.5
    # A starting value (`4.5억 원이던 매출을 … 7억 원으로`) only when nothing else fits.
    start_value = 1000.0 if _START_VALUE.match(text, amount.end) else 0.0
    distance = (t_start - amount.end) if t_start >= amount.end else backward * max(0, amount.start - t_end)
    return distance + start_value


def _measured_by(text: str, triggers: list, index: int, amounts: list[Amount]) -> list[Amount]:
    """The figures whose nearest trigger taking their unit is `triggers[index]` (or one at the same
    place: the giver's and the taker's reading of `출자하며`). Per-member figures go to the
    trigger they measure: in `…으로 선정된 A와 B가 각각 2500억 원, 1800억 원을 출자하며` the
    figures are the contribution's, not the selection's."""
    kind, t_start, t_end = triggers[index]
    mine = []
    for amount in amounts:
        if amount.unit not in kind.units:
            continue
        own = _distance(text, amount, t_start, t_end)
        if all(other[1] == t_start or amount.unit not in other[0].units
               or _distance(text, amount, other[1], other[2]) >= own for other in triggers):
            mine.append(amount)
    return mine


# A year written just before a figure: `2023년 150억 원`, `지난해 210억 원`.
_YEAR_BEFORE = re.compile(r"(?:(\d{4})\s*년|(지난해|작년|전년|올해|금년|재작년))\s*(?:[가-힣]{1,4}\s*)?(?:은|는|에는|에)?\s*$")
_RELATIVE_YEARS = {"재작년": -2, "지난해": -1, "작년": -1, "전년": -1, "올해": 0, "금년": 0}


def _latest_years(text: str, triggers: list, amounts: list[Amount], assigned: dict[int, Amount],
                  published: date | None) -> dict[int, Amount]:
    """`2022년 매출 100억 원, 2023년 150억 원, 지난해 210억 원을 기록했다`: when a revenue or export
    trigger's figures are each given a year, the latest year's figure is the achievement."""
    for index, amount in list(assigned.items()):
        kind = triggers[index][0]
        if kind.name not in _RATE_TYPES:
            continue
        dated = []
        for other in amounts:
            if other.unit != amount.unit:
                continue
            match = _YEAR_BEFORE.search(text[max(0, other.start - 16):other.start])
            if match is None:
                continue
            if match.group(1):
                year = int(match.group(1))
            elif published is not None:
                year = published.year + _RELATIVE_YEARS[match.group(2)]
            else:
                year = 10_000 + _RELATIVE_YEARS[match.group(2)]   # relative years, in their own order
            dated.append((year, other.start, other))
        if len(dated) >= 2 and any(d[2] is amount for d in dated):
            assigned[index] = max(dated, key=lambda d: (d[0], d[1]))[2]
    return assigned


# Types whose figure is often a money value and its growth rate together.
_RATE_TYPES = frozenset({"revenue", "export"})


def _growth_rates(text: str, triggers: list, amounts: list[Amount], assigned: dict[int, Amount]) -> dict[int, Amount]:
    """A percentage left over after `매출이 85억 원으로 … 20% 증가했다` is the same trigger's rate.

    The money figure stays the achievement's main amount; the rate becomes a second
    achievement of the same type, so both figures are kept and neither replaces the other.
    """
    used = {id(a) for a in assigned.values()}
    rates: dict[int, Amount] = {}
    for amount in amounts:
        if amount.unit != "percent" or id(amount) in used:
            continue
        candidates = [i for i, (kind, _, _) in enumerate(triggers)
                      if kind.name in _RATE_TYPES and i in assigned and assigned[i].unit != "percent"
                      and i not in rates]
        if candidates:
            rates[min(candidates, key=lambda i: abs(triggers[i][1] - amount.start))] = amount
    return rates


def _triggers(clause_text: str, offset: int, lex: Lexicon, agreement: bool = False,
              tokens: Sequence | None = None, relative: bool = False,
              stands: Callable[[tuple], bool] | None = None,
              continuation: str = "") -> list[tuple[AchievementType, int, int]]:
    """Triggers of a clause, less plans, setbacks and words that only contain one; with
    `agreement` (a signed investment agreement was reported), the planned wording of its
    commitment counts too (`… 700억 원을 투자하기로 했다`). With the clause's `tokens`, a word
    of purpose (`위해`, `위한`) cancels only a trigger in its own object (`수출 확대를 위해`), not
    one a predicate stands between (`협약을 체결하고 … 사업을 위한`). With `relative`, the
    adnominal forms said of a relative clause's subject count too (`개발한 `). With `stands`, only
    the triggers it accepts (said as done, outside a relative clause) compete for their type's one
    place: `…명을 채용하며 … 고용 창출 효과를 나타냈다` keeps the hire its predicate states, not the
    later noun that only names an effect. `continuation`: the rest of the sentence, given when the
    clause ends in a connective with no tense of its own and the sentence ends in a forecast; its
    cancelling words are then the clause's too."""
    found: list[tuple[AchievementType, int, int]] = []
    committed: list[tuple[AchievementType, int, int]] = []
    # Triggers are read with quotation marks taken out: releases quote an agreement's or a
    # prize's title and put the particle after the closing mark (`'… 업무 협약'을 체결했다`).
    plain, where = _unquoted(clause_text)

    def span(start: int, end: int) -> tuple[int, int]:
        return offset + where[start], offset + where[end - 1] + 1

    for kind in lex.types:
        for trigger in kind.triggers + (kind.relative if relative else ()):
            if trigger in plain:       # most triggers are absent: skip the regex
                for match in re.finditer(re.escape(trigger), plain):
                    found.append((kind, *span(match.start(), match.end())))
        for trigger in kind.committed if agreement else ():
            if trigger in plain:
                for match in re.finditer(re.escape(trigger), plain):
                    committed.append((kind, *span(match.start(), match.end())))
    # A phrase pattern claims its words: no other type's trigger may start inside it.
    claimed = [(kind, *span(m.start(), m.end())) for kind in lex.types
               for pattern in kind.patterns for m in pattern.finditer(plain)]
    found = [f for f in found if not any(k is not f[0] and s <= f[1] < e for k, s, e in claimed)] + claimed

    def blocked(kind: AchievementType, position: int) -> bool:
        if kind.not_objects is not None and kind.not_objects.search(clause_text, max(0, position - 12), position):
            return True
        words = lex.not_triggers.get("all", ()) + lex.not_triggers.get(kind.name, ())
        return any(m.start() <= position < m.end() for word in words if word in clause_text
                   for m in re.finditer(re.escape(word), clause_text))

    def cancelled(end: int, kind: AchievementType) -> bool:
        if tokens is not None and _conditional(tokens, end):
            return True     # `적격자로 선정되면`, `사업을 수주할 경우`, `계약 수주 땐`: if it happens, not done
        rest = clause_text[end - offset:] + continuation
        if kind.name in _DONE_STATES and _COMPLETED_CONNECTIVE.match(rest):
            return False    # `…사업에 선정돼 사업비를 투입해 사업을 추진했다`: the plan is what followed it
        for word in lex.not_achieved:
            at = rest.find(word)
            if at < 0:
                continue
            if tokens is not None and word in lex.purpose and _predicate_between(tokens, end, end + at) \
                    and not _OWN_PURPOSE.match(rest[:at]):
                continue    # an earlier predicate ends before the purpose; not the trigger's own -기 (획득하기 위한)
            if word in lex.declines and kind.name in lex.declines_measure and _figure_of_fall(rest, at):
                continue
            return True
        return False

    # A plan or setback after the trigger (…하기로 했다, …이 무산됐다) cancels it.
    found = [f for f in found if not blocked(f[0], f[1] - offset) and not cancelled(f[2], f[0])]
    found += [c for c in committed if not any(f[0] is c[0] and f[1] <= c[1] < f[2] for f in found)]
    if not relative:    # a relative clause's deeds are read apart (`A가 개발해 납품한 B`: both A's)
        found = [f for f in found if not _a_means(f, found, clause_text, offset)]
    if stands is not None:
        found = [f for f in found if stands(f)]
    # `혁신기업상에 … 선정` is an award, and so is `우수기업으로 선정돼 표창을 받았다`: being chosen for a
    # prize is winning it. Not a body's choosing before it honours the chosen (`A를 우수조달기업으로
    # 선정하고 표창장을 수여했다`): both deeds are the objects' (4 such sentences over 3,135 regional
    # dev articles, 1 naming firms).
    first_award = min((start for kind, start, _ in found if kind.name == "award"), default=None)
    if first_award is not None:
        found = [f for f in found if f[0].name != "selection"
                 or (f[1] < first_award and _CHOSE_THEN.match(clause_text, f[2] - offset))]
    # One trigger per type per clause (납품 계약 → one contract): the last one, where Korean
    # puts the predicate (납품업체로 선정돼 … 계약을 맺었다). An earlier one that a figure
    # follows directly keeps its own place (`매출 412억 원, 영업이익 37억 원을 기록했다`),
    # or the figure would go to the other one.
    # Per trigger kind: `…에 투자했다` (said of the investor) is kept apart from `투자를 유치했다`.
    last: dict[AchievementType, tuple[AchievementType, int, int]] = {}
    measured = []
    for item in sorted(found, key=lambda f: f[1]):
        if item[0] in last and _FIGURE_AFTER.match(clause_text, last[item[0]][2] - offset):
            measured.append(last[item[0]])
        last[item[0]] = item
    return sorted(set(last.values()) | set(measured), key=lambda f: f[1])


# An active verb of choosing joined to what follows (`선정하고`, `선정해`, `지정하여`), not its passive.
_CHOSE_THEN = re.compile(r"(?:하고|해|하여|했고|했으며)\s")


def _a_means(trigger: tuple, found: list[tuple], clause_text: str, offset: int) -> bool:
    """The trigger is one of its type's means (`개발해 `) and another type's trigger follows it in
    the clause: the deed is that one (`…을 개발해 … 납품 계약을 성사시켰다`)."""
    kind, start, end = trigger
    if not kind.means or clause_text[start - offset:end - offset] not in kind.means:
        return False
    return any(other is not kind and other_start >= end for other, other_start, _ in found)


_QUOTE_MARKS = frozenset("'\"‘’“”「」『』")


def _unquoted(text: str) -> tuple[str, list[int]]:
    """`text` without its quotation marks, and where each character left stands in `text`."""
    if not any(ch in _QUOTE_MARKS for ch in text):
        return text, range(len(text))  # type: ignore[return-value]
    where = [i for i, ch in enumerate(text) if ch not in _QUOTE_MARKS]
    return "".join(text[i] for i in where), where


# Being chosen, honoured or certified, said as done and then joined to what followed (`선정돼`,
# `선정되어`, `지정받아`, `수상했으며`): a plan or expectation after it (…을 추진했다, …할 전망이다)
# is about what the firm does next, not about the choosing. Not `선정되면`, `선정돼야`, `선정될`.
_DONE_STATES = _DONE_TO_FIRMS - {"funding"}
_COMPLETED_CONNECTIVE = re.compile(r"(?:돼|되어|됐고|됐으며|되었고|되었으며|받아|받고|받았고|받았으며|했고|했으며|하여)"
                                   r"(?:서)?(?=[\s,])")


_PREDICATE_TAGS = ("VV", "VA", "VX", "XSV", "XSA", "VCP", "EC", "EF", "ETM")


def _conditional(tokens: Sequence, end: int) -> bool:
    """The trigger ending at `end` is said as a condition: its predicate ends in -면 (`선정되면`,
    `계약을 맺으면`), or in -ㄹ before 경우 (`수주할 경우`), or the trigger noun takes 때 with a topic
    marker (`수주 땐`). Read on Kiwi's tokens up to the trigger's first ending, over its object or
    complement (`계약을 체결하면`): 59 such sentences over 6,597 regional articles, which the plan
    words, all said after a done predicate, do not catch."""
    after = [t for t in tokens if t.start >= end][:6]
    for i, token in enumerate(after):
        if token.tag == "EC":
            return token.form in ("면", "으면")
        if token.tag == "ETM":
            return token.form in ("ᆯ", "을", "ㄹ") and i + 1 < len(after) and after[i + 1].form == "경우"
        if token.tag.startswith(("EF", "S")):
            return False
        if token.form == "때" and token.tag == "NNG" and i + 1 < len(after) and after[i + 1].tag == "JX":
            return True
    return False


# The trigger's own verb made a noun for a purpose: `인증을 획득하기 위한 절차`, `투자를 유치하기 위해`.
_OWN_PURPOSE = re.compile(r"^\s?(?:하|되|받|해|돼)?기\s?$")


def _predicate_between(tokens: Sequence, start: int, end: int) -> bool:
    """A verb or an ending between two positions: they lie in different phrases' clauses."""
    return any(start <= t.start < end and t.tag.startswith(_PREDICATE_TAGS) for t in tokens)


# A figure right after a trigger word: `매출 412억`, `영업이익은 37억`, `특허 12건`, `수출액이 63억`.
_FIGURE_AFTER = re.compile(r"(?:액|실적)?(?:은|는|이|가|도)?\s*(?:약|총|누적)?\s*\d")


# Between a figure and a bracketed second figure that only converts it (…유로(약 51억 원)).
_GLOSS_GAP = re.compile(r"^\s*\(\s*(?:한화|원화|우리\s?돈)?\s*(?:로)?\s*$")
# `일자리 80개` counts jobs, that is people, not things.
_JOBS_BEFORE = re.compile(r"일자리\s*$")


# After a head count, the people who applied, sat or signed up for it (`채용에 1596명이 지원해`,
# `3만5000명에 육박하는 지원자가 몰렸다`): 3 such hires over 3,174 regional dev articles, all
# applicants; a hire needs its own head count.
_APPLICANTS_AFTER = re.compile(r"\s?(?:[이가의]|에 (?:육박하|달하|이르)는|을 넘는|이 넘는|하는|한)?\s?(?:지원|응시|신청|접수)")


def _amounts(text: str, clause_text: str, offset: int) -> list[Amount]:
    """Amounts of a clause with offsets into `text`; counted jobs become persons."""
    found = []
    previous_end: int | None = None
    for a in find_amounts(clause_text):
        # `350만 유로(약 51억 원)`, `(한화 약 51억 원)`: a conversion of the figure before it.
        gloss = previous_end is not None and _GLOSS_GAP.match(clause_text[previous_end:a.start])
        previous_end = a.end
        if gloss:
            continue
        unit = a.unit
        if unit == "items" and a.text.rstrip().endswith("개") and _JOBS_BEFORE.search(clause_text[:a.start]):
            unit = "persons"
        if unit == "persons" and _APPLICANTS_AFTER.match(clause_text, a.end):
            continue        # `채용에 1596명이 지원했다`: who applied, not who was hired
        found.append(Amount(a.value, unit, a.approximate, a.start + offset, a.end + offset, a.text))
    return found


@dataclass
class _Roles:
    subjects: list[Organization] = field(default_factory=list)
    subject_groups: list[list[Organization]] = field(default_factory=list)
    objects: list[Organization] = field(default_factory=list)
    partners: list[Organization] = field(default_factory=list)
    datives: list[Organization] = field(default_factory=list)    # …에 (투자했다)
    # firms whose head stands in the subject's or a partner's place (`A 홍길동 대표가`, `A 홍길동 대표와`)
    heads_of: list[Organization] = field(default_factory=list)
    relative_clauses: list[tuple[int, int]] = field(default_factory=list)   # another subject's 투자한, 납품한
    # (start, end, subjects) of those clauses: `A가 개발한 장비` is A's launch (_relative_deeds)
    relative_subjects: list[tuple[int, int, list[Organization]]] = field(default_factory=list)


# What closes a list that is the subject, object or recipient: `등 2개사`, `등 지역 기업 5곳`, and
# with a genitive, `등의 호주 기업체들`, `등의 도내 업체들` (the same list, said as "X 등의 기업들").
_GROUP_TAIL = (r"(?:등(?:의)?\s*(?:[가-힣]+\s+){0,2}\d*\s*"
               r"(?:개사|곳|개\s*기업|개\s*업체|기업체|기업|업체|회사|개\s*사)(?:들)?\s*)?")
_SUBJECT_AFTER = re.compile(r"\s*" + _GROUP_TAIL + r"(?:은|는|이|가|께서)(?![가-힣])")
_POSSESSIVE_SUBJECT = re.compile(r"\s*의\s+[가-힣]{1,6}(?:은|는|이|가)\s")
_OBJECT_AFTER = re.compile(r"\s*" + _GROUP_TAIL + r"(?:을|를)(?![가-힣])")
_DATIVE_AFTER = re.compile(r"\s*" + _GROUP_TAIL + r"(?:에게|에)(?![가-힣])(?:\s*(?:대한|대해))?")
# The source a sentence cites (`12일 A에 따르면 … 인증을 획득했다`): press releases tell a firm's news
# so, and the firm is the one who acted when nothing else in the sentence is its subject.
_SOURCE_AFTER = re.compile(r"\s*에\s?따르면(?![가-힣])")
_APPOSITION = re.compile(r"^\([^()]{1,24}\)")
_OWNER_AFTER = re.compile(r"\s*의\s")
_PARTNER_AFTER = re.compile(r"\s*(?:와|과|및)(?:\s|$)")
# A person and the title of a firm's head right after its name, with a caption's bracket
# (`㈜A 홍길동 대표(왼쪽)가`): the person signs for the firm.
_SIGNING_HEAD_AFTER = re.compile(r"^\s[가-힣]{2,4}\s(?:대표이사|대표|회장|사장|부사장|지사장|공장장)(?:\s?\([^()]{1,20}\))?")


def _roles(text: str, clause: Clause, tokens: Sequence, mentions: list) -> _Roles:
    """Who is subject, object or partner in the sentence up to the end of this clause.

    The subject of `A·B 등 2개사는` is A and B; `㈜X의 매출은` makes X the subject; a later
    clause without its own subject (…했으며, …했다) keeps the sentence's subject.
    """
    sentence_start = clause.sentence[0]
    in_scope = [(s, e, org) for s, e, org in mentions if sentence_start <= s < clause.end]
    roles = _Roles()
    owners: list[Organization] = []
    sources: list[tuple[int, Organization]] = []
    for index, (start, end, org) in enumerate(in_scope):
        # An apposition in brackets sits between a name and its particle: ㈜X(대표 김영훈)가; so does
        # a plant or branch of the firm, whose deeds and agreements are the firm's (`X 전주공장과`)
        branch = branch_word_after(text, end)
        name_end = branch.end(1) if branch else end
        after = _APPOSITION.sub("", text[name_end:name_end + 40], count=1)[:20]
        if _SUBJECT_AFTER.match(after) or _POSSESSIVE_SUBJECT.match(after):
            relative = _relative_clause(tokens, name_end, clause.sentence[1], clause.sentence[0])
            if relative is not None and _heads_another(text, relative, in_scope):
                # `A가 투자한 B는 …`: A is the subject of 투자한, not of the sentence; what the
                # relative clause says (its triggers and figures) is A's deed, not B's.
                roles.relative_clauses.append((_chain_start(text, in_scope, index), relative[0]))
                roles.relative_subjects.append((_chain_start(text, in_scope, index), relative[0],
                                                _chain(text, in_scope, index)))
                continue
            group = _chain(text, in_scope, index)
            roles.subject_groups.append(group)
            own = _own_relative_end(tokens, name_end, clause.sentence[1])
            if own is not None:
                # `A가 개발한 장비를 소개했다`, `A가 개발한 ‘…’ 제품의 모습`: A is the sentence's subject
                # and its relative clause's too; what that clause did is A's as well
                roles.relative_subjects.append((_chain_start(text, in_scope, index), own, group))
        elif _SOURCE_AFTER.match(after):
            sources.append((name_end, org))
        elif _DATIVE_AFTER.match(after):
            roles.datives.extend(o for o in _chain(text, in_scope, index) if o not in roles.datives)
        elif _OBJECT_AFTER.match(after):
            roles.objects.extend(o for o in _chain(text, in_scope, index) if o not in roles.objects)
        elif _OWNER_AFTER.match(after):
            owners.extend(o for o in _chain(text, in_scope, index) if o not in owners)
        elif _PARTNER_AFTER.match(after) or _CHAIN_GAP.match(after[:2]):
            roles.partners.append(org)
        else:
            wider = text[name_end:name_end + 50]
            head = _SIGNING_HEAD_AFTER.match(wider)
            rest = wider[head.end():] if head else ""
            if head and (_SUBJECT_AFTER.match(rest) or _PARTNER_AFTER.match(rest) or rest.startswith(",")):
                roles.heads_of.append(org)
    if not roles.subject_groups and owners:
        # `㈜X의 애니메이션이 … 선정됐다`: with no other subject, the owner is credited.
        roles.subject_groups.append(owners[:1])
    if not roles.subject_groups and sources and not _subject_marked(tokens, sources[0][0], clause.end) \
            and _past(tokens, sources[0][0], clause.end):
        # `A에 따르면 … 획득했다`: no subject of its own; not `A에 따르면 송 사장은 … 수상했다`, nor
        # what is still to come (`A에 따르면 … 출시된다`)
        roles.subject_groups.append([sources[0][1]])
    # Several subjects before a clause: `A는 45억 원, B는 18억 원 … 각각` keeps them all;
    # otherwise the subject closest to the clause wins.
    for group in roles.subject_groups:
        for org in group:
            if org not in roles.subjects:
                roles.subjects.append(org)
    if len(roles.subject_groups) > 1 and not _all_in_clause(roles.subject_groups, in_scope, clause):
        roles.subjects = list(dict.fromkeys(roles.subject_groups[-1]))
        roles.subject_groups = roles.subject_groups[-1:]
    return roles


# `A는 B, C와 함께 도지사 표창을 받았다`, `A는 B와 함께 ‘수출의 탑’을 수상했다`: those named with 와 함께
# beside a prize's or a selection's winner won it with it. 2 such sentences over the 3,211 dev-side
# regional articles of the latest diagnostic (5 firms), and 1 over the 3,399 of the one before; the
# other 와 함께 there join a government, a person or a plan.
_SHARED_WITH_COMPANIONS = frozenset({"award", "selection"})
_TOGETHER_AFTER = re.compile(r"\s*(?:\([^()]{1,24}\)\s*)?(?:와|과)\s함께\s")


def _companions(text: str, clause: Clause, mentions: list) -> list[Organization]:
    """The firms named with `와 함께` in the clause, every member of their list."""
    in_scope = [(s, e, org) for s, e, org in mentions if clause.sentence[0] <= s < clause.end]
    out: list[Organization] = []
    for index, (_, end, _) in enumerate(in_scope):
        if _TOGETHER_AFTER.match(text, end):
            out += [org for org in _chain(text, in_scope, index) if org.kind == "firm" and org not in out]
    return out


def _no_firm_named(clause: Clause, mentions: list) -> bool:
    """No firm is named in the sentence (a ministry may be: `…부의 지원사업에 선정됐다`)."""
    start, end = clause.sentence
    return not any(start <= s < end and org.kind == "firm" for s, _, org in mentions)


# Words of time that take the topic particle without being the subject (`올해는`, `지난해는`).
_TIME_TOPICS = frozenset({"올해", "지난해", "작년", "내년", "이번", "최근", "당시", "현재", "이날", "오늘", "그동안",
                          "앞서", "향후", "지금", "연말", "연초", "상반기", "하반기"})


def _subject_marked_here(tokens: Sequence, clause: Clause) -> bool:
    """A word of the sentence up to the clause's end marked as subject or topic, other than a time or
    an adverbial (`올해는`, `지난해에는`, `국내에서는`): the sentence has a subject of its own."""
    words = [t for t in tokens if clause.sentence[0] <= t.start < clause.end]
    for i, token in enumerate(words):
        if not _subject_marker(token):
            continue
        before = words[i - 1] if i else None
        if before is not None and (before.tag.startswith("JK") or before.form in _TIME_TOPICS
                                   or before.tag in ("SN", "NNB")):
            continue
        return True
    return False


def _past(tokens: Sequence, start: int, end: int) -> bool:
    """A past-tense ending (았/었/였) between start and end."""
    return any(start <= t.start < end and t.tag == "EP" and t.form in ("었", "았", "였", "었었", "았었")
               for t in tokens)


def _subject_marked(tokens: Sequence, start: int, end: int) -> bool:
    """A word marked as subject or topic between start and end."""
    return any(start <= t.start < end and _subject_marker(t) for t in tokens)


def _subject_marker(token) -> bool:  # type: ignore[no-untyped-def]
    """The particle of a subject or a topic (이/가, 은/는)."""
    return token.tag == "JKS" or (token.tag == "JX" and token.form in ("은", "는"))


# After an adnominal verb (…한, …된, …할), nouns that make the clause an adverbial one
# (`체결한 것으로 알려졌다`, `선정된 뒤 매출이 늘었다`): its subject is still the sentence's.
_CONNECTIVE_NOUNS = frozenset({"것", "데", "바", "만큼", "가운데", "이후", "후", "뒤", "동안", "반면", "결과",
                               "끝", "덕분", "덕", "때", "직후", "이래", "중", "한편", "이상"})
# Nouns of time after 지난/오는 (Kiwi reads 지난해 as 지나+ㄴ+해): a date, not a relative clause.
_TIME_NOUNS = frozenset({"해", "달", "주", "날", "번", "밤", "시즌", "연도", "분기", "학기"})
# Serial-verb connectives inside one relative clause (`개발해 납품한 ㈜B`).
_SERIAL_ENDINGS = frozenset({"어", "아", "여", "해"})


def _heads_another(text: str, relative: tuple[int, int], in_scope: list) -> bool:
    """Whether the noun a relative clause modifies (from its adnominal ending to the main
    subject's particle) stands for someone else than the clause's subject: an organisation
    (`…가 투자한 ㈜새봄바이오는`) or a thing with no achievement word (`…가 개발한 제품이`).
    `㈜A가 맺은 8천억 원 규모의 공급 계약이 공시됐다` heads A's own contract, so A stays.
    """
    head_start, head_end = relative
    if any(head_start <= s < head_end for s, _, _ in in_scope):
        return True
    return not _triggers(text[head_start:head_end], head_start, lexicon())


def _relative_clause(tokens: Sequence, name_end: int, sentence_end: int,
                     sentence_start: int) -> tuple[int, int] | None:
    """(end of the adnominal ending, end of the noun it modifies) when the
    organisation ending at `name_end`, marked by 이/가, is the subject of a relative clause (`별빛파트너스가 투자한 ㈜새봄바이오는 …`, `㈜A가 개발한 장비로 ㈜B가 …`).

    Its own predicate is then in adnominal form (ETM: -ㄴ/-은/-는/-ㄹ) and another subject
    (이/가, 은/는) follows before the next predicate ending; a topic (은/는) never counts, nor an
    adnominal verb on a bound or connective noun (`체결한 것으로`, `선정된 뒤 매출이`). The main
    subject may also stand before it (`조코비치는 폴트가 선언된 공을 … 선보였다`, `회사는 A가
    개발한 장비를 수출했다`): then the clause ends where its head noun takes its object particle.
    Without a subject before (`A가 생산한 부품을 납품했다`), A stays the sentence's subject.
    """
    following = [t for t in tokens if name_end <= t.start < sentence_end]
    marker = next((i for i, t in enumerate(following) if t.tag in ("JKS", "JX")), None)
    if marker is None or following[marker].tag != "JKS":
        return None
    rest = following[marker + 1:]
    for i, token in enumerate(rest):
        if token.tag == "ETM" and not (i + 1 < len(rest) and rest[i + 1].form in _TIME_NOUNS):
            break
        if token.tag in ("EC", "EF", "ETN", "SF") and not (token.tag == "EC" and token.form in _SERIAL_ENDINGS):
            return None
    else:
        return None
    etm, after = rest[i], rest[i + 1:]
    if after and (after[0].tag == "NNB" or after[0].form in _CONNECTIVE_NOUNS):
        return None
    subject_before = _subject_before(tokens, sentence_start, name_end)
    head_end = None      # the modified noun ends at its own particle (`주최한 시상식에서`), not at a later one
    for token in after:
        if _subject_marker(token):
            return etm.start + etm.len, head_end or token.start
        if token.tag == "JKO" and subject_before:
            return etm.start + etm.len, head_end or token.start
        if token.tag in ("EC", "EF", "ETN", "SF"):
            return None
        if head_end is None and token.tag.startswith("J") and token.tag != "JKG":
            head_end = token.start
    return None


def _own_relative_end(tokens: Sequence, name_end: int, sentence_end: int) -> int | None:
    """The end of the adnominal ending when the name ending at `name_end`, marked by 이/가, is the
    subject of a relative clause whose head no other subject follows (`A가 개발한 장비를 …`): the
    first predicate after the name is adnominal, with no connective or final ending before it."""
    following = [t for t in tokens if name_end <= t.start < sentence_end]
    if not following or following[0].tag != "JKS":
        return None
    for token in following[1:]:
        if token.tag == "ETM":
            return token.start + token.len
        if token.tag in ("EC", "EF", "ETN", "SF"):
            return None
    return None


def _subject_before(tokens: Sequence, sentence_start: int, name_end: int) -> bool:
    """Whether a topic or subject (은/는, 이/가) other than the name's own stands earlier in the
    sentence, with no predicate ending between it and the name (`조코비치는 폴트가 …`). A subject
    whose verb is adnominal belongs to a relative clause that ended before the name (`'아이들이
    고르는 간식'으로 통하는 A가 학생층을 겨냥한 과자를 출시했다`: A is the main subject); a topic stays."""
    before = [t for t in tokens if sentence_start <= t.start < name_end]
    subject = topic = False
    for token in before[:-1]:      # the last is the name's own particle or the name
        if token.tag == "JKS":
            subject = True
        elif token.tag == "JX" and token.form in ("은", "는"):
            topic = True
        elif token.tag == "ETM":
            subject = False
        elif token.tag in ("EC", "EF", "SF"):
            subject = topic = False
    return subject or topic


def _chain(text: str, in_scope: list, index: int) -> list[Organization]:
    """The organisation at `index` with the ones listed right before it (A·B, A와 B)."""
    start, _, org = in_scope[index]
    chain = [org]
    j = index - 1
    while j >= 0:
        ps, pe, porg = in_scope[j]
        if not _CHAIN_GAP.match(text[pe:start]):
            break
        chain.insert(0, porg)
        start = ps
        j -= 1
    return list(dict.fromkeys(chain))


def _chain_start(text: str, in_scope: list, index: int) -> int:
    """Where the list that ends with the organisation at `index` starts."""
    j = index
    while j > 0 and _CHAIN_GAP.match(text[in_scope[j - 1][1]:in_scope[j][0]]):
        j -= 1
    return in_scope[j][0]


def _all_in_clause(groups: list[list[Organization]], in_scope: list, clause: Clause) -> bool:
    names = {org.name for group in groups for org in group}
    return all(clause.start <= s for s, _, org in in_scope if org.name in names)


# After a name, `등` (and others) with a count or a plural: the name stands for a group
# (`A 등 5개 업체와`, `A 등 도내 기업들이`), and a figure said of it is the group's.
_LEADS_GROUP = re.compile(r"\s*(?:[’'\"”)]\s*)?등(?![가-힣])\s*((?:[가-힣]+\s+){0,2}?(?:\d+|[한두세네]|여러)?\s*(?:개\s*)?"
                          r"(?:기업|업체|회사|개사|사|곳|법인|농가|스타트업|회원사|협력사)(?:들)?)?")


def _leads_group(text: str, receivers: list[Organization], mentions: list, clause: Clause) -> str | None:
    """`A 등 N개 업체` when the one receiver is named only as the first of a group (else None)."""
    org = receivers[0]
    for start, end, mentioned in mentions:
        if mentioned is org and clause.sentence[0] <= start < clause.end:
            match = _LEADS_GROUP.match(text, end)
            if match is not None:
                return f"{org.name} {text[end:match.end()].strip()}" if match.group(1) else f"{org.name} 등"
    return None


def _group_subject(clause_text: str, lex: Lexicon) -> bool:
    return any(re.search(re.escape(word) + r"(?:들)?(?:의|은|는|이|가)", clause_text) for word in lex.group_subjects)


def _group_name(clause_text: str) -> str:
    """The noun phrase naming the group (전북 SW 강소기업), for display."""
    match = re.search(r"((?:[가-힣A-Za-z0-9]+\s){0,2}[가-힣A-Za-z0-9]*(?:기업|업체|개사|회원사))(?:들)?(?:의|은|는|이|가)", clause_text)
    return match.group(1).strip() if match else "참여 기업"


def _date_for(text: str, clause_start: int, trigger_start: int, published: date | None) -> str | None:
    """A date written just before the trigger (2015년 선정), else the publication day."""
    window_start = max(clause_start, trigger_start - 14)
    window = text[window_start:trigger_start]
    if published is not None:
        for start, end, expr in reversed(find_date_expressions(window)):
            if window_start + end >= trigger_start - 3:
                resolved = resolve_date(expr, published)
                if resolved:
                    return resolved[0]
        return published.isoformat()
    return None


def _dedupe(items: list[dict]) -> list[dict]:
    seen: set[tuple] = set()
    unique = []
    for item in items:
        key = (item["organization"], item["type"], item["span"][0],
               None if item["amount"] is None else (item["amount"]["value"], item["amount"]["unit"]))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _fold_amountless(items: list[dict]) -> list[dict]:
    """One deed told twice — `A와 투자협약을 맺었다. A는 850억원을 투자한다` — is one achievement:
    an amountless item is dropped when the same firm has the same type with an amount elsewhere
    in the text, and lends it the counterparty or date it lacks. Two items that both carry an
    amount stay apart (two contracts of one firm are two deeds)."""
    measured = {(i["organization"], i["type"]): i for i in items if i["amount"] is not None}
    kept = []
    for item in items:
        twin = measured.get((item["organization"], item["type"])) if item["amount"] is None else None
        if twin is None:
            kept.append(item)
            continue
        for key in ("counterparty", "date"):
            if twin.get(key) is None and item.get(key) is not None:
                twin[key] = item[key]
    return kept

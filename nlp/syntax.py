"""Predicate-argument structure of a Korean sentence over Kiwi morphemes.

Korean marks roles on the noun phrase and is head-final, so who did what can be read without
a treebank: a phrase's case particle gives its role (이/가 subject, 은/는 topic, 을/를 object,
에/에게 recipient, 와/과 partner, 로부터/에서 source), its verb is the next predicate to its
right, and the predicate's ending says what kind of clause it closes (final -다, connective -고/
-며/-어, adnominal -ㄴ/-는, nominal -기/-음). The passive and receptive forms -되다, -받다, -히다
mark the subject as the one acted on (선정되다, 지원받다, 뽑히다). Coordinated phrases (`A, B와 C`,
`A·B·C 등 3개사`) share the role of the last one.

This is the syntax layer the achievement rules read (nlp/achievements.py): `analyse()` gives
each predicate of a sentence its frame — lemma, voice, clause type and the phrases in each
role — and `frame_of()` finds the frame a trigger word belongs to (the predicate itself,
선정+되었다, or the object of a light verb, 계약을 체결했다). A topic, said once, is the
agent of every clause of its sentence that names none of its own (`A는 … 개발해 … 납품했다`).

The spaCy parser trained on UD Korean-Kaist (nlp/depparse/) is the learned alternative;
bench/RESULTS.md ("Syntax layer") compares the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

# Case of a phrase, from its last particle (Kiwi tags and forms).
_SOURCE = ("로부터", "으로부터", "에게서", "에서부터", "한테서")
_DATIVE = ("에", "에게", "한테", "께")
_LOCATIVE = ("에서", "에서는", "에서도")
_PASSIVE_SUFFIXES = ("되", "받", "당하")
_PASSIVE_VERBS = ("뽑히", "꼽히", "선발되", "오르", "올리")
_POSTPOSITIONAL_VERBS = frozenset({"위하", "통하", "대하", "관하", "따르", "의하", "향하", "비롯하"})
# Adverbs that follow a bare noun phrase as the particle 도 would (`A 또한`, `A 역시`).
_ALSO_ADVERBS = frozenset({"또한", "역시"})
_AUX_VERBS = frozenset({"있", "없", "않", "주", "보", "하", "되", "버리", "내", "오", "가", "싶", "말", "두"})
# Nouns of agreements: `A와 협약을 맺다` names a partner, `A와 B를 선정하다` a list.
_PARTNERING_NOUN = re.compile(r"협약|계약|MOU|양해각서|제휴|협정|합의|업무협력|파트너십")
# … or the purpose of one after the next phrase: `도는 A와 공장 증설을 위한 투자협약을 체결했다` (31
# such sentences in 2,929 regional articles): A is the partner, not a member of `공장 증설을`.
_PURPOSE_OF_AGREEMENT = re.compile(r"\s?위(?:한|해)\s(?:[^\s.]+\s){0,2}?[^\s.]*(?:협약|계약|MOU|양해각서|협정)")
# Bound nouns after an adnominal verb that make it a main clause (선정한 바 있다, 체결한 것으로)
_PERIPHRASTIC_NOUNS = frozenset({"바", "것", "적", "수", "데", "뒤", "후", "가운데", "결과", "덕분", "끝", "만큼", "이후", "직후"})
def _places() -> frozenset[str]:
    from nlp.firm_features import PLACES

    return PLACES


_PLACE_WORDS = _places()
_AMOUNT = re.compile(r"\d\s*(?:[만억조천]|원|달러|명|%)")
_NOUN_TAGS = ("NNG", "NNP", "NNB", "NR", "NP", "SL", "SH", "SN", "XR", "XSN", "XPN", "SW")


@dataclass
class Phrase:
    """A noun phrase (one or more whitespace words ending in a particle, or bare)."""

    start: int
    end: int
    case: str                      # subj topic also obj dat loc with from by gen comp cop none
    words: tuple[int, int]         # first and last word index
    conjoined: list["Phrase"] = field(default_factory=list)   # the phrases listed with it


@dataclass
class Predicate:
    start: int
    end: int
    word: int
    lemma: str                     # 선정되, 체결하, 받, 맺, 밝히, 이 (copula)
    noun: str                      # the verbal noun of a 하다/되다 verb (선정, 체결), else ""
    voice: str                     # active | passive
    clause: str                    # final | connective | adnominal | nominal | quote
    ending: str                    # the ending's form (다, 고, 며, ㄴ, 기 …)
    adjective: bool = False        # a descriptive verb (같다, 많다), not an action


@dataclass
class Frame:
    predicate: Predicate
    roles: dict[str, list[Phrase]] = field(default_factory=dict)
    inherited_agent: bool = False  # the agent comes from the sentence's topic

    def phrases(self, *roles: str) -> list[Phrase]:
        """The phrases in these roles, each with its conjoined partners, in text order."""
        out: list[Phrase] = []
        for role in roles:
            for phrase in self.roles.get(role, []):
                for member in [*phrase.conjoined, phrase]:
                    if member not in out:
                        out.append(member)
        return sorted(out, key=lambda p: p.start)

    @property
    def agents(self) -> list[Phrase]:
        return self.phrases("subj", "topic", "also")


@dataclass
class Analysis:
    words: list[tuple[int, int, list]]       # (start, end, tokens) per whitespace word
    phrases: list[Phrase]
    predicates: list[Predicate]
    frames: list[Frame]

    def phrase_at(self, start: int, end: int) -> Phrase | None:
        """The phrase (or conjoined member) holding the span start..end."""
        for phrase in self.phrases:
            if phrase.start <= start and end <= phrase.end:
                return phrase
        return None

    def frame_with(self, phrase: Phrase) -> Frame | None:
        for frame in self.frames:
            for members in frame.roles.values():
                for head in members:
                    if phrase is head or phrase in head.conjoined:
                        return frame
        return None


def _words(text: str, start: int, end: int, tokens: Sequence) -> list[tuple[int, int, list]]:
    """Whitespace words of text[start:end] with their Kiwi tokens."""
    out = []
    token_list = [t for t in tokens if start <= t.start < end]
    i = 0
    for match in re.finditer(r"\S+", text[start:end]):
        w0, w1 = start + match.start(), start + match.end()
        inside = []
        while i < len(token_list) and token_list[i].start < w1:
            if token_list[i].start >= w0:
                inside.append(token_list[i])
            i += 1
        out.append((w0, w1, _particles_after_form(text, inside, w1)))
    return out


@dataclass(frozen=True)
class _Particle:
    """A particle Kiwi misread after ㈜, in the shape of a Kiwi token (what this module reads)."""
    form: str
    tag: str
    start: int
    len: int

    @property
    def end(self) -> int:
        return self.start + self.len


# Kiwi reads the particle after a name's ㈜ as a noun or a verb (`A㈜와` → 와/NNG, `A㈜는` → 늘/VV+ㄴ,
# `A㈜를` → 르/NNG): 72 such words in 2,929 regional articles, a partner or subject lost each time.
_FORM_PARTICLE = re.compile(r"(으로부터|로부터|에서는|에서도|에서|에게|으로|와의|과의|와|과|은|는|이|가|을|를|의|에|도|로)"
                            r"(?P<rest>[,.·)'\"’”]*)$")
_PARTICLE_TAG = {"은": "JX", "는": "JX", "도": "JX", "이": "JKS", "가": "JKS", "을": "JKO", "를": "JKO", "의": "JKG",
                 "와": "JC", "과": "JC"}


def _particles_after_form(text: str, inside: list, end: int) -> list:
    """A name's tokens with the particle after its legal form read as a particle (`다온푸드㈜와` →
    와/JC): the form must close a name (a letter right before it), and the rest of the word must
    be a particle alone."""
    form_at = next((k for k, t in enumerate(inside) if t.form == "㈜" and k > 0), None)
    if form_at is None or form_at == len(inside) - 1:
        return inside
    after = inside[form_at].start + inside[form_at].len
    match = _FORM_PARTICLE.match(text, after, end)
    if match is None or all(t.tag.startswith("J") for t in inside[form_at + 1:] if t.start < match.end(1)):
        return inside
    particle = match.group(1)
    if particle in ("와의", "과의"):
        parts = [(particle[0], "JKB"), ("의", "JKG")]
    else:
        parts = [(particle, _PARTICLE_TAG.get(particle, "JKB"))]
    made, at = [], after
    for form, tag in parts:
        made.append(_Particle(form, tag, at, len(form)))
        at += len(form)
    rest = [t for t in inside[form_at + 1:] if t.start >= match.end(1)]
    return inside[:form_at + 1] + made + rest


def _content(tokens: list) -> list:
    """Tokens without surrounding punctuation."""
    return [t for t in tokens if not t.tag.startswith(("SF", "SP", "SS", "SE", "SO"))]


def _predicate(index: int, start: int, end: int, tokens: list) -> Predicate | None:
    body = _content(tokens)
    # a direct quote closed before its quotative particle (`출시했다”고 밝혔다`, `했다"라고`): Kiwi reads
    # the final ending, the mark and 고/라고 (JKQ); the clause is a quote, as `출시했다고` is
    quoted = len(body) > 1 and body[-1].tag == "JKQ" and body[-2].tag == "EF"
    if quoted:
        body = body[:-1]
    if not body or not body[-1].tag.startswith(("E", "VCP")):
        return None
    stems = [i for i, t in enumerate(body) if t.tag.startswith(("VV", "VA", "VX", "XSV", "XSA", "VCP"))]
    if not stems:
        return None
    first = stems[0]
    stem = body[first]
    noun = ""
    if stem.tag.startswith(("XSV", "XSA")) and first > 0 and body[first - 1].tag.startswith("NN"):
        noun = body[first - 1].form
        lemma = noun + stem.form
    else:
        lemma = stem.form
    endings = [t for t in body[first + 1:] if t.tag.startswith("E")]
    last = endings[-1] if endings else body[-1]
    if quoted:
        clause = "quote"
    elif last.tag == "EF":
        clause = "final"
    elif last.tag == "ETM":
        clause = "adnominal"
    elif last.tag == "ETN":
        clause = "nominal"
    elif last.tag == "EC" and last.form in ("다고", "라고", "다는", "냐고", "자고"):
        clause = "quote"
    else:
        clause = "connective"
    forms = [t.form for t in body[first:]]
    passive = (stem.tag.startswith("XSV") and stem.form in _PASSIVE_SUFFIXES) or stem.form in ("뽑히", "꼽히") \
        or (stem.tag.startswith("VV") and stem.form == "받" and noun == "")
    del forms
    return Predicate(start, end, index, lemma, noun, "passive" if passive else "active", clause, last.form,
                     stem.tag.startswith(("VA", "XSA")))


# Particles between a verb's -기 and the 하다 that completes it (`선정되기도 했다` "was also selected",
# `수상하기까지 했다`); 13 such sentences over the 3,289 dev-side regional articles, 8 of them a
# firm's deed.
_ALSO_DID_PARTICLES = frozenset({"도", "는", "까지", "만", "조차"})


def _also_did(body: list, words: list, index: int) -> bool:
    """Whether the word is a verb's -기 with a particle, and the next word is 하다 (`…하기도 했다`)."""
    if len(body) < 3 or body[-1].tag != "JX" or body[-1].form not in _ALSO_DID_PARTICLES \
            or body[-2].tag != "ETN" or body[-2].form != "기" \
            or not body[-3].tag.startswith(("VV", "VA", "VX", "XSV", "XSA")) or index + 1 >= len(words):
        return False
    following = _content(words[index + 1][2])
    return bool(following) and following[0].form == "하" and following[0].tag in ("VV", "VX")


_DATE_VERBS = frozenset({"지나", "오"})
_DATE_WORD = re.compile(r"^[0-9.]*\s*(?:일|월|주|해|달|년|분기|주말|학기|시즌|번|밤|회)")


def _dates_next(predicate: Predicate, words: list, index: int) -> bool:
    """`지난 12일`, `지난달`, `오는 3월`: 지난/오는 before a time word dates what follows."""
    if predicate.clause != "adnominal" or predicate.lemma not in _DATE_VERBS or index + 1 >= len(words):
        return False
    following = _content(words[index + 1][2])
    return bool(following) and bool(_DATE_WORD.match("".join(t.form for t in following)))


def _case(tokens: list, text: str) -> str:
    body = _content(tokens)
    particles = [t for t in body if t.tag.startswith("J")]
    if not particles:
        if body and body[-1].tag == "VCP":
            return "cop"
        return "none"
    last = particles[-1]
    form, tag = last.form, last.tag
    if tag == "JKS":
        return "subj"
    if tag == "JKC":
        return "comp"
    if tag == "JKO":
        return "obj"
    if tag == "JKG":
        return "gen"
    if tag in ("JC",) or form in ("와", "과", "하고", "이랑", "랑") and tag == "JKB":
        return "with"
    if tag == "JX":
        if form in ("은", "는"):
            # 에는, 에서는: the place or time the topic is about, not the agent
            earlier = [t for t in particles[:-1] if t.tag == "JKB"]
            return ("loc" if earlier else "topic")
        if form == "도":
            earlier = [t for t in particles[:-1] if t.tag == "JKB"]
            return "loc" if earlier else "also"
        return "none"
    if form in _SOURCE:
        return "from"
    if form in _LOCATIVE:
        return "loc"
    if form in _DATIVE:
        return "dat"
    if form in ("로", "으로"):
        return "by"
    return "none"


def analyse(text: str, start: int, end: int, tokens: Sequence) -> Analysis:
    """The frames of the sentence text[start:end] (tokens: its Kiwi tokens)."""
    words = _words(text, start, end, tokens)
    predicates: list[Predicate] = []
    phrases: list[Phrase] = []
    pending: list[int] = []            # bare noun words waiting for their phrase's last word
    for index, (w0, w1, toks) in enumerate(words):
        body = _content(toks)
        if not body:
            continue
        predicate = _predicate(index, w0, w1, toks)
        if predicate is None and _also_did(body, words, index):
            # `선정되기도 했다`, `개발하기까지 했다`: the verb made a noun, a particle, then 하다 — the
            # periphrasis says the verb happened; the 하다 after it carries its ending (below)
            predicate = _predicate(index, w0, w1, toks[:toks.index(body[-1])])
            if predicate is not None:
                predicate.clause = "connective"
        if predicate is not None and _dates_next(predicate, words, index):
            continue       # `지난 12일`, `오는 3월`: a date's modifier, not a clause of its own
        if predicate is not None and body[0].tag.startswith(("VV", "VA", "VX")) and predicates \
                and predicates[-1].word == index - 1 and body[0].form in _AUX_VERBS \
                and predicates[-1].clause == "connective":
            # an auxiliary verb (…해 주다, …하고 있다) continues the predicate before it
            previous = predicates[-1]
            previous.end, previous.word, previous.clause = w1, index, predicate.clause
            previous.ending = predicate.ending
            continue
        if predicate is not None and predicate.clause != "nominal":
            if predicate.clause == "adnominal" and index + 1 < len(words):
                following = _content(words[index + 1][2])
                if following and following[0].form in _PERIPHRASTIC_NOUNS:
                    predicate.clause = "periphrastic"     # 선정한 바 있다: the clause is the main one
            predicates.append(predicate)
            pending = []
            continue
        case = _case(toks, text)
        if case == "gen" and index + 1 < len(words) and _content(toks)[0].form in _PLACE_WORDS:
            pending.append(index)      # `익산의 새봄식품이`: a place before a name belongs to its phrase
            continue
        is_noun = body[0].tag.startswith(_NOUN_TAGS) or body[0].tag.startswith("XP") or (
            len(body) > 1 and body[0].tag in ("MM", "MAG") and body[1].tag.startswith("NN"))   # 새/MM+봄식품
        if pending and len(body) == 1 and body[0].form in _ALSO_ADVERBS:
            # `A 또한 매출 350억 원을 달성했다`: the adverb marks the bare phrase before it as 도 would
            phrases.append(Phrase(words[pending[0]][0], words[pending[-1]][1], "also", (pending[0], pending[-1])))
            pending = []
            continue
        if not is_noun and predicate is None:
            if not (pending and len(body) == 1 and body[0].form in ("및", "그리고", "또는")):
                pending = []       # `㈜A 등 유관기관 및 기업과`: 및 inside a noun run keeps it one phrase
            continue
        if case == "none" and body[-1].tag.startswith(_NOUN_TAGS) and index + 1 < len(words) \
                and not text[w1 - 1:w1] in ",·":
            pending.append(index)      # a bare noun: part of the phrase that follows
            continue
        first = pending[0] if pending else index
        phrase = Phrase(words[first][0], w1, case, (first, index))
        phrases.append(phrase)
        pending = []
    _conjoin(text, words, phrases)
    frames = _frames(phrases, predicates)
    return Analysis(words, phrases, predicates, frames)


def _conjoin(text: str, words: list, phrases: list[Phrase]) -> None:
    """`A, B와 C가`, `A·B·C 등 3개사를`, `A 및 B는`: earlier members take the last one's role."""
    joined: list[Phrase] = []
    for phrase in phrases:
        if joined:
            previous = joined[-1]
            gap = text[previous.end:phrase.start]
            partner = previous.case == "with" and (_PARTNERING_NOUN.search(text[phrase.start:phrase.end])
                                                   or _PURPOSE_OF_AGREEMENT.match(text, phrase.end))
            # a figure is no list member (`A는 12억 원, B는 …`), nor one of two arguments of a verb said
            # once for both (`대상에는 A가, 우수상에는 B가 선정됐다`)
            if _AMOUNT.search(_unbracketed(text[previous.start:previous.end])) \
                    or _AMOUNT.search(_unbracketed(text[phrase.start:phrase.end])) or _gapped(previous, phrase):
                if len(joined) > 1:
                    _close(joined)
                joined = [phrase]
                continue
            previous_list_mark = (previous.case == "with" and not partner) or text[previous.end - 1:previous.end] in ",·ㆍ/" \
                or previous.case == "none" and re.fullmatch(r"\s*(?:및|그리고)?\s*", gap) is not None
            if previous_list_mark and re.fullmatch(r"\s*(?:및|그리고)?\s*", gap) and phrase.case != "with" \
                    or previous_list_mark and phrase.case == "with" and text[phrase.end - 1:phrase.end] not in "와과":
                joined.append(phrase)
                continue
            if previous_list_mark and re.fullmatch(r"\s*(?:및|그리고)?\s*", gap):
                joined.append(phrase)
                continue
            if len(joined) > 1:
                _close(joined)
        joined = [phrase]
    if len(joined) > 1:
        _close(joined)


# Cases a list's last member carries for the whole list; a phrase with one of them, then a comma,
# then a phrase of another such case is no list member: the comma closes one argument of a verb said
# once for several (`대상에는 A가, 우수상에는 B가 선정됐다`, `스타기업으로는 A, B 2곳이, 예비스타기업으로는 C가`).
_ARGUMENT_CASES = frozenset({"subj", "topic", "also", "obj", "dat", "loc", "from", "by", "comp"})


def _gapped(previous: Phrase, phrase: Phrase) -> bool:
    return previous.case in _ARGUMENT_CASES and phrase.case in _ARGUMENT_CASES and phrase.case != previous.case


def _unbracketed(phrase: str) -> str:
    """A phrase without its brackets: a member's own figure in brackets (`A㈜(300억 원), ㈜B(80억
    원)와`) leaves it a list member, unlike a figure said of it (`A는 12억 원, B는 …`)."""
    return re.sub(r"\([^()]*\)", "", phrase)


def _close(members: list[Phrase]) -> None:
    head = members[-1]
    head.conjoined = members[:-1]
    for member in members[:-1]:
        member.case = "member"


def _frames(phrases: list[Phrase], predicates: list[Predicate]) -> list[Frame]:
    frames = [Frame(p) for p in predicates]
    if not frames:
        return frames
    for phrase in phrases:
        if phrase.case in ("member", "gen", "none", "cop"):
            continue
        following = [f for f in frames if f.predicate.start >= phrase.end]
        # an adjective in adnominal form before a later predicate modifies a noun of an adverbial
        # (`수출액이 지난해 같은 기간보다 늘어난`): the phrase belongs to the verb after it
        while len(following) > 1 and following[0].predicate.clause == "adnominal" and following[0].predicate.adjective:
            following = following[1:]
        if phrase.case in ("subj", "topic", "also", "with"):
            # a verb that works as a postposition (`…를 위한`, `…을 통해`, `…에 대한`) takes its object,
            # never the subject or the partner before it: `A와 B가 소비자 보호를 위한 협약을 체결했다`
            # is B's 체결, `도는 A와 공장 증설을 위한 투자협약을 체결했다` A's as well
            following = [f for f in following if not (f.predicate.lemma in _POSTPOSITIONAL_VERBS
                                                      and f.predicate.clause in ("adnominal", "connective"))]
        if not following:
            continue
        target = following[0]
        if phrase.case == "topic":
            # a topic is the agent of the clause that ends the sentence's first main
            # statement, not of a relative clause in between (A는 B가 만든 제품을 샀다)
            target = next((f for f in following if f.predicate.clause not in ("adnominal",)), following[0])
        target.roles.setdefault(phrase.case, []).append(phrase)
    # a topic or subject said once is the agent of later clauses with none (A는 … 개발해 … 납품했다)
    agent: list[Phrase] | None = None
    for frame in frames:
        own = frame.roles.get("topic") or frame.roles.get("subj") or frame.roles.get("also")
        if own and frame.predicate.clause != "adnominal":
            agent = own
        elif not own and agent and frame.predicate.clause != "adnominal":
            frame.roles["topic"] = list(agent)
            frame.inherited_agent = True
    return frames


def frame_of(analysis: Analysis, position: int) -> Frame | None:
    """The frame a trigger word at `position` belongs to: the predicate word holding it, or
    the predicate its phrase is an argument of (계약을 → 체결했다); None if neither."""
    for frame in analysis.frames:
        if frame.predicate.start <= position < frame.predicate.end:
            return frame
    for phrase in analysis.phrases:
        if phrase.start <= position < phrase.end:
            head = phrase
            while head.case == "member":
                head = next((p for p in analysis.phrases if phrase in p.conjoined), head)
                if head.case == "member":
                    break
            found = analysis.frame_with(head)
            if found is not None:
                return found
            # a genitive or bare phrase belongs to the phrase after it (매출 120억 원을 …)
            later = [p for p in analysis.phrases if p.start >= phrase.end and p.case not in ("gen", "none")]
            if later:
                return analysis.frame_with(later[0])
    return None

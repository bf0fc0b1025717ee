"""Candidate organisation names: every noun phrase of a sentence that could name one.

The firm model (nlp/firm_model.py) decides; this module only proposes, generously, so that a
name with no marker, no list entry and no telling suffix still gets a hearing. It works on
Kiwi tokens over whitespace words (eojeols), split further at list separators (`·`, `,`,
`/`) and brackets, and for each piece finds:

* the name core: the run of nouns, foreign words and name suffixes before the particles
  and endings (Kiwi's tags say where; a particle Kiwi glued into a name, `팔도가/NNP` or
  `삼성전자 과/NNG 의`, is cut and the cut recorded);
* a legal form written before or after the core, glued (`㈜A`, `A(주)`) or as its own word
  (`농업회사법인 A`, `A 영농조합법인은`): it belongs to the mention, never to the name;
* multi-word names of two words (`쿄세라 킨세이`, `NTT DoCoMo`, `Babcock & Brown`),
  proposed beside their last word, so that the model can choose between `전주 A` and `A`.

A core is proposed when it holds a proper noun, a foreign word, a word Kiwi does not know
(`oov`), a name from a list, a telling organisation suffix, or a legal form beside it; an
ordinary common noun (행사, 관계자) is never a candidate.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

from nlp.canonical import BULLETS
from nlp.names import form_table

# Legal forms (LABELLING.md), as a whole word or glued to the name.
LEGAL_FORM_WORDS = ("농업회사법인", "영농조합법인", "어업회사법인", "영어조합법인", "영농조합", "주식회사", "유한회사",
                    "합자회사", "합명회사", "사회적협동조합", "협동조합", "사단법인", "재단법인")
# Latin designators written after a foreign firm's name (NTT DoCoMo, Inc.; ACCESS CO.,LTD.).
LATIN_FORMS = r"(?:Inc\.?|Co\.?,?\s?Ltd\.?|CO\.?,?\s?LTD\.?|Corp(?:oration)?\.?|Ltd\.?|Limited|LLC|GmbH|AG|S\.A\.|plc|PLC)"
_FORM_WORD = re.compile("(?:" + "|".join(sorted(LEGAL_FORM_WORDS, key=len, reverse=True)) + "|" + LATIN_FORMS + ")")
_GLUED_FORM = re.compile(r"㈜|㈔|㈕|\((?:주|유|사|재|합|농)\)|\(\s*주\s*\)")
_PREFIX = re.compile(r"^(?:" + _GLUED_FORM.pattern + r"|" + _FORM_WORD.pattern + r")\s*")
_SUFFIX = re.compile(r"\s*(?:" + _GLUED_FORM.pattern + r"|" + _FORM_WORD.pattern + r")$")
# A legal form written as its own word, with an optional particle after it.
_FORM_ALONE = re.compile(r"^(?:" + _GLUED_FORM.pattern + r"|" + _FORM_WORD.pattern + r")(?:은|는|이|가|을|를|과|와|의|에|도|에서|으로|로)?$")
_SEPARATORS = "·ㆍ,、/"
# Marks that cut a word into pieces: the separators, and `=` between a heading and what it heads
# (`△원주시장상=홍길동 A 대표`, `[한빛일보=기자]`, as the rules read it: nlp/orgs._SEPARATORS), which
# joins no list.
_WORD_BREAKS = _SEPARATORS + "="
# Marks between two members of a list: the separators, and the bullets that open each member of
# a list in releases and articles (`▲A ▲B ▲C`, `▷A ▷B 등 18곳`).
SEPARATOR_MARKS = _SEPARATORS + BULLETS
# The whole gap between two members of a list.
LIST_GAP = re.compile(rf"^\s*(?:[{SEPARATOR_MARKS}]|및|그리고)\s*$")
# The last characters a legal form can end with (㈜, (주), …회사, …법인, …조합, Inc., Ltd, AG …):
# only a name ending in one of them is searched for a form after it.
_FORM_LAST_CHARS = frozenset("㈜)사인합.dDCcGAHLSe")
# `’A‘`: releases open quotes with the closing mark too, and close them with the opening one
_OPENERS = "[‘“’”'\"<《「『〈【" + BULLETS
_CLOSERS = "]’”‘“'\">》」』〉】.…"
_NAME_TAGS = ("NNP", "SL", "SH")
_CORE_TAGS = ("NNP", "NNG", "SL", "SH", "SN", "XSN", "XPN", "NR")
# One-syllable particles Kiwi sometimes leaves inside a name (팔도가/NNP) or reads as a noun
# (삼성전자 과/NNG 의).
_PARTICLE_SYLLABLES = frozenset("은는이가을를과와의에도로")
_MAX_WORDS = 2
# Marks that join the parts of a name (`C&C`, `S+`, `e-Land`); the full-width ampersand is how
# Korean papers often type it (`SK C＆C`: 58 of 2,929 regional articles hold one).
_AMPERSANDS = ("&", "＆")
_JOINERS = "&＆+-"
_LETTER = re.compile(r"[가-힣A-Za-z]")
# A word of an English phrase: Latin letters (digits and marks inside), or an ampersand.
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.'’\-]*|[&＆]")
# An anonymised firm (A사, ㄱ업체, J사): never a name (LABELLING.md leaves them unlabelled).
_ANONYMISED = re.compile(r"[A-Za-zㄱ-ㅎ](?:사|업체|기업)?")
# Particles that may close a word after a name, longest first: when Kiwi misreads a name
# (청소+ㄹ+산업은, 스튜디오+담/VV+은), the word less its particle is proposed as well.
_SURFACE_PARTICLES = ("으로부터", "로부터", "에서는", "으로는", "에게서", "와의", "과의", "에서", "으로", "에게", "은도", "는도",
                      "은", "는", "이", "가", "을", "를", "과", "와", "의", "에", "도", "로")
_SURFACE_PARTICLE_END = re.compile("(?:" + "|".join(_SURFACE_PARTICLES) + ")$")


@dataclass
class Piece:
    """A whitespace word, or the part of one between separators and brackets."""

    start: int
    end: int                 # the piece's end (particles included)
    core_start: int
    core_end: int            # the name core's end (no particles)
    tokens: list
    word: int                # index of the whitespace word in the sentence
    form_before: str = ""    # glued legal form before the core (㈜, (주), 주식회사)
    form_after: str = ""     # glued legal form after the core
    cut_particle: str = ""   # a particle Kiwi glued into the core and we cut off
    tail: str = ""           # what follows the core inside the piece (particles, endings)
    bare: bool = False       # the core is the whole piece: nothing follows it
    gap_after: str = ""      # text between this piece and the next one
    surface_end: int = 0     # the word less its particle, where Kiwi misread a name in it (else 0)


@dataclass
class Candidate:
    """A span that may name an organisation, with what the text says around it."""

    start: int
    end: int
    text: str
    sentence: int                      # index of the sentence in the document
    first_piece: int
    last_piece: int
    words: int                         # whitespace words in the span
    form_before: str = ""              # legal form before the name (glued or its own word)
    form_after: str = ""
    cut_particle: str = ""
    tail: str = ""                     # particles/endings after the name in its word
    tokens: list = field(default_factory=list)

    @property
    def has_form(self) -> bool:
        return bool(self.form_before or self.form_after)


@dataclass
class Sentence:
    start: int
    end: int
    tokens: list
    pieces: list[Piece]


def split_pieces(text: str, start: int, end: int, tokens: Sequence) -> list[Piece]:
    """The pieces of text[start:end] with their name cores."""
    pieces: list[Piece] = []
    token_list = sorted(tokens, key=lambda t: t.start)
    starts = [t.start for t in token_list]
    for word_index, word in enumerate(re.finditer(r"\S+", text[start:end])):
        w0, w1 = start + word.start(), start + word.end()
        for p0, p1 in _word_parts(text, w0, w1):
            lo, hi = bisect.bisect_left(starts, p0), bisect.bisect_left(starts, p1)
            inside = [t for t in token_list[lo:hi] if t.start + t.len <= p1]
            piece = _piece(text, p0, p1, inside, word_index)
            if piece is not None:
                pieces.append(piece)
    for a, b in zip(pieces, pieces[1:]):
        a.gap_after = text[a.end:b.start]
    return pieces


def _word_parts(text: str, w0: int, w1: int) -> list[tuple[int, int]]:
    """Split a whitespace word at separators and at brackets that are not a legal form."""
    parts: list[tuple[int, int]] = []
    cursor = w0
    i = w0
    while i < w1:
        ch = text[i]
        if ch in _WORD_BREAKS:
            parts.append((cursor, i))
            cursor = i + 1
        elif ch == "(":
            form = _GLUED_FORM.match(text, i, w1)
            if form:
                i = form.end()
                continue
            parts.append((cursor, i))
            close = text.find(")", i, w1)
            cursor = i + 1 if close == -1 else i + 1
        elif ch == ")":
            parts.append((cursor, i))
            cursor = i + 1
        i += 1
    parts.append((cursor, w1))
    out = []
    for p0, p1 in parts:
        while p0 < p1 and text[p0] in _OPENERS:
            p0 += 1
        while p1 > p0 and text[p1 - 1] in _CLOSERS and not _SUFFIX.search(text, p0, p1):
            p1 -= 1
        if p1 > p0:
            out.append((p0, p1))
    return out


def _piece(text: str, p0: int, p1: int, tokens: list, word_index: int) -> Piece | None:
    surface = text[p0:p1]
    core_start = p0
    form_before = ""
    prefix = _PREFIX.match(surface)
    if prefix and prefix.end() < len(surface):
        form_before = prefix.group().strip()
        core_start = p0 + prefix.end()
    name_tokens = [t for t in tokens if t.start >= core_start]
    core_tokens: list = []
    # Kiwi reads the first syllables of some names as determiners, adverbs or interjections
    # (새봄식품 → 새/MM 봄 식품, 채다시스템 → 채/MAG 다/MAG 시스템, 아우푸드 → 아우/IC 푸드): glued to
    # the nouns after them, they are part of the name.
    lead = 0
    while lead < min(2, len(name_tokens) - 1) and name_tokens[lead].tag in ("MM", "MAG", "IC") \
            and name_tokens[lead].start + name_tokens[lead].len == name_tokens[lead + 1].start:
        lead += 1
    if lead and name_tokens[lead].tag.startswith("NN"):
        core_tokens.extend(name_tokens[:lead])
        name_tokens = name_tokens[lead:]
    for token in name_tokens:
        if token.tag.startswith(_CORE_TAGS) or token.form in _JOINERS and core_tokens or \
                (token.tag == "SW" and token.form in "㈜"):
            core_tokens.append(token)
            continue
        if token.tag in ("SSO", "SSC") and _GLUED_FORM.match(text, token.start):
            core_tokens.append(token)
            continue
        break
    if not core_tokens:
        return Piece(p0, p1, core_start, core_start, tokens, word_index, form_before, tail=text[core_start:p1])
    core_end = max(t.start + t.len for t in core_tokens)
    cut = ""
    last = core_tokens[-1]
    # `삼성전자 과/NNG 의`: a one-syllable "noun" after a name that is really a particle
    if len(core_tokens) >= 2 and last.tag == "NNG" and last.len == 1 and last.form in _PARTICLE_SYLLABLES \
            and core_end < p1 and text[core_end] in "의에도":
        core_end = last.start
        cut = last.form
    form_after = ""
    suffix = _SUFFIX.search(text, core_start, core_end) if text[core_end - 1] in _FORM_LAST_CHARS else None
    if suffix and suffix.start() > core_start:
        form_after = suffix.group().strip()
        core_end = suffix.start()
    while core_end > core_start and text[core_end - 1] in " ":
        core_end -= 1
    tail = text[core_end:p1]
    if form_after and tail.startswith(form_after):
        tail = tail[len(form_after):]
    piece = Piece(p0, p1, core_start, core_end, tokens, word_index, form_before, form_after, cut, tail.strip(),
                  bare=core_end == p1 or (bool(form_after) and not tail.strip()))
    piece.surface_end = _misread_name_end(text, piece, name_tokens)
    return piece


# Marks a misread name never spans: `출시=삼양식품은` (a headline's lead after `=`), `진천=홍길동`
# (a byline), `A·B는` (a list).
_NEVER_INSIDE = re.compile(r"[=·ㆍ,/()\[\]<>'\"‘’“”]")


def _misread_name_end(text: str, piece: Piece, tokens: list) -> int:
    """The end of a name Kiwi cut with a particle or an ending inside it (청소+ㄹ/JKO+산업+은,
    스튜디오+담/VV+은/ETM): the word less a closing particle, when the part before that particle
    holds such a token between two pieces of the name; else 0."""
    if piece.core_end >= piece.end:
        return 0                     # nothing after the name core: nothing misread
    surface = text[piece.core_start:piece.end]
    closing = _SURFACE_PARTICLE_END.search(surface)
    for particle in (closing.group(),) if closing else ():
        if len(surface) - len(particle) >= 2:
            end = piece.end - len(particle)
            if end <= piece.core_end:
                return 0
            # a particle or ending after the core (스튜디오+담/VV+은), or one that starts inside the
            # core Kiwi kept and is followed by more of the name (`청솔산업` read as 청소+ㄹ/JKO+산업)
            broken = any(piece.core_end <= t.start < end and not t.tag.startswith(_CORE_TAGS) for t in tokens) or (
                any(piece.core_start < t.start < end and not t.tag.startswith(_CORE_TAGS) for t in tokens)
                and any(piece.core_end <= t.start < end and t.tag.startswith(_CORE_TAGS) for t in tokens))
            if broken and re.match(r"[가-힣A-Za-z0-9]", text[end - 1]) \
                    and not _NEVER_INSIDE.search(text, piece.core_start, end):
                return end
            return 0
    return 0


def propose(text: str, sentence_index: int, pieces: list[Piece],
            known: Callable[[str], bool]) -> list[Candidate]:
    """Candidates of one sentence's pieces. `known(bare_name)` says whether a name is on a list."""
    candidates: list[Candidate] = []
    for i, piece in enumerate(pieces):
        if piece.core_end <= piece.core_start or _FORM_ALONE.match(text[piece.start:piece.end]):
            continue
        if piece.surface_end:
            name = text[piece.core_start:piece.surface_end]
            bare = name.replace(" ", "")
            if len(bare) >= 2 and not _COUNT.fullmatch(bare):
                surface = Candidate(piece.core_start, piece.surface_end, name, sentence_index, i, i, 1,
                                    piece.form_before, "", "", text[piece.surface_end:piece.end],
                                    [t for t in piece.tokens if t.start < piece.surface_end])
                _attach_word_forms(text, pieces, surface)
                candidates.append(surface)
        words = 0
        first = i + 1
        while first > 0 and words < _MAX_WORDS:
            first -= 1
            if first < i:
                previous = pieces[first]
                if text[previous.start:previous.end] in _AMPERSANDS and first > 0 and previous.gap_after == " ":
                    continue          # `Babcock & Brown`: the ampersand joins one name
                if not (previous.bare and previous.gap_after == " " and previous.core_start == previous.start
                        and not previous.form_after):
                    break
                if _FORM_ALONE.match(text[previous.start:previous.end]):
                    break
            words += 1
            start = pieces[first].core_start
            end = piece.core_end
            span_tokens = [t for p in pieces[first:i + 1] for t in p.tokens
                           if t.start >= start and t.start + t.len <= end]
            name = text[start:end]
            if not _worth_proposing(name, span_tokens, piece, known, first == i) or name.endswith(_AMPERSANDS):
                continue
            candidate = Candidate(start, end, name, sentence_index, first, i, words,
                                  pieces[first].form_before, piece.form_after, piece.cut_particle, piece.tail,
                                  span_tokens)
            _attach_word_forms(text, pieces, candidate)
            candidates.append(candidate)
            # `팔도가/NNP`: Kiwi kept the particle inside the name; offer the name without it too
            glued = _glued_particle(name, span_tokens, piece)
            if glued:
                candidates.append(Candidate(start, end - 1, name[:-1], sentence_index, first, i, words,
                                            candidate.form_before, candidate.form_after, name[-1],
                                            name[-1] + piece.tail, span_tokens))
    return candidates


def _english(text: str, piece: Piece) -> bool:
    return piece.core_start == piece.start and bool(_ENGLISH_WORD.fullmatch(text[piece.start:piece.core_end]))


def inside_english_phrase(text: str, pieces: list[Piece], first: int, last: int) -> bool:
    """Words of an English phrase that goes on before or after them (`European Infrastructure
    Development UCITS ETF`, `Tomorrow’s Golf League`, `Restricted Stock Award`): a title, a
    product or the spelling-out of an acronym, of which two words alone name nothing. A foreign
    firm's name of three or more words is cut the same way, and is better not found than cut.
    Read by the decision, not here: the model still learns from such spans that they are none."""
    if not all(_english(text, p) for p in pieces[first:last + 1]):
        return False
    before = first > 0 and pieces[first - 1].bare and pieces[first - 1].gap_after == " " \
        and _english(text, pieces[first - 1])
    after = last + 1 < len(pieces) and pieces[last].bare and pieces[last].gap_after == " " \
        and _english(text, pieces[last + 1])
    return before or after


def misread_inside(candidate: Candidate) -> bool:
    """Kiwi broke the name with a particle or an ending inside it (청소+ㄹ/JKO+산업, 하늘+담/VV+은
    +식품): it does not know the word, which is itself a sign of a name."""
    tokens = candidate.tokens
    return len(tokens) >= 2 and any(not t.tag.startswith(_CORE_TAGS) for t in tokens[:-1]) \
        and tokens[-1].tag.startswith(_CORE_TAGS)


# Tags Kiwi gives the syllables of a word it does not know when it reads it as known pieces.
_SYLLABLE_TAGS = frozenset({"NNG", "NNP", "MAG", "MM", "IC", "XPN"})


def split_unknown(tokens: Sequence) -> bool:
    """Kiwi read a word it does not know as one-syllable nouns or adverbs run together (우/솔/기계,
    민/미/도, 채/다/시스템): as telling of a name as an `oov` flag, which it then does not set.
    Syllables glued to a figure (`35개사`: 개/NNB 사/NNG) are a count, not a name."""
    run, previous_end, after_figure = 0, -1, False
    for token in tokens:
        if token.len == 1 and token.tag in _SYLLABLE_TAGS and "가" <= token.form <= "힣" and not after_figure:
            run = run + 1 if token.start == previous_end else 1
            if run >= 2:
                return True
        else:
            run = 0
        glued = token.start == previous_end
        after_figure = token.tag in ("SN", "NNB") or (after_figure and glued)
        previous_end = token.start + token.len
    return False


def _glued_particle(name: str, tokens: list, piece: Piece) -> bool:
    if not tokens or piece.tail or len(name) < 3:
        return False
    last = tokens[-1]
    return last.tag == "NNP" and name[-1] in _PARTICLE_SYLLABLES and last.len >= 3 and \
        last.start + last.len == piece.core_end


def _worth_proposing(name: str, tokens: list, piece: Piece, known: Callable[[str], bool], single: bool) -> bool:
    bare = name.replace(" ", "")
    if len(bare) < 2 and not (piece.form_before or piece.form_after):
        return False
    if not _LETTER.search(bare):
        return False
    if bare.isdigit() or _ANONYMISED.fullmatch(bare) or _COUNT.fullmatch(bare):
        return False
    if piece.form_before or piece.form_after:
        return True
    listed = _listed_or_generic(bare, known, form_table())
    if listed is not None:
        return listed
    if (bare.endswith(_KIND_HEADS) and kind_of_firm(tokens)) or (bare[:1].isascii() and term_compound(tokens)):
        return False
    if any(t.tag.startswith(_NAME_TAGS) or t.oov for t in tokens) or split_unknown(tokens):
        return True
    if not single:
        return False
    # Common nouns: a rare word (Kiwi's morpheme ids run roughly by frequency: 행사 847,
    # 코카콜라 16565) or a compound of several (전력+거래소, 도미노+피자) may be a name;
    # one frequent word (정부, 관계자) is left to the lists and suffixes.
    nouns = [t for t in tokens if t.tag.startswith("NN")]
    return known_suffix(bare) or len(nouns) >= 2 or any(t.id >= RARE_MORPHEME_ID for t in nouns)


@lru_cache(maxsize=65536)
def _listed_or_generic(bare: str, known: Callable[[str], bool], _table: object) -> bool | None:
    """What the name's letters alone say of proposing it (cached per konec form table, which the
    lists read: news repeats its words): no for a word for a kind of body (시공사, 코스피, even where
    konec labels it a name), yes for a name on a list, no for a generic word or a shop's branch;
    None when the tokens must tell."""
    if bare in _word_lists()[0]:
        return False
    if known(bare):
        return True
    if generic_word(bare) or store_branch(bare):
        return False
    return None


# Kiwi morpheme ids below this are frequent words (measured: 업체 904, 정부 261, 코스닥 5105).
RARE_MORPHEME_ID = 5000


@lru_cache(maxsize=1)
def _word_lists() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    from nlp.lexicon import suffix_rules

    rules = suffix_rules()
    return (rules.not_names, rules.not_name_endings,
            tuple(s for s in rules.by_suffix if len(s) >= 2))


# A count of firms or sites (`기업 20개사의`, `3곳`): how many, never which.
_COUNT = re.compile(r"\d[\d,]*여?\s*(?:개사|개소|개|곳|社|사)")


def generic_word(bare: str) -> bool:
    """A word for a kind of organisation, not a name (`강소기업`, `SW강소기업`, `공공기관`): the
    suffix table's `not_names`, alone or ending a longer word (but its `name_endings`: `A미디어`); a
    count (`20개사`); or Korea's trade of a kind (`K-바이오`, `K-푸드`, `K-뷰티`: 15 of the 29 `K-` organisations over 3,001
    regional articles, none of them a firm) — a body so named keeps its kind's ending
    (`K-에듀센터`)."""
    not_names, long_ones, _ = _word_lists()
    if _K_TRADE.fullmatch(bare):
        from nlp.lexicon import suffix_rules

        table = suffix_rules().by_suffix
        return not any(bare.endswith(s) and kind != "firm" for s, kind in table.items())
    return bare in not_names or bare.endswith(long_ones) or bare.endswith(_KIND_OF_BUSINESS) \
        or _COUNT.fullmatch(bare) is not None


# `방산업체`, `협력업체`, `K건설업체`: a business described by its trade, never its name (no firm of
# newsmine's real-text gold (427) or of a regional diagnostic (722 labelled firms) ends so)
_KIND_OF_BUSINESS = ("업체",)


_K_TRADE = re.compile(r"[Kk]-[가-힣]{1,8}")


def term_acronym(token) -> bool:  # type: ignore[no-untyped-def]
    """A Latin acronym of a thing or a trade (`AI`, `R&D`, `B2C`: the suffix table's `not_names`)
    that begins no listed company's name (`DB` begins five: DB손해보험, DB하이텍, …)."""
    return token.tag == "SL" and token.form in _word_lists()[0] and token.form not in _listed_prefixes()


@lru_cache(maxsize=1)
def _listed_prefixes() -> frozenset[str]:
    from nlp.lexicon import listed_firms

    return frozenset(m.group() for m in map(re.compile(r"[A-Za-z&]+").match, listed_firms()) if m)


def _plain_noun(token) -> bool:  # type: ignore[no-untyped-def]
    """A common noun of Kiwi's dictionary, neither a proper noun nor a word it does not know."""
    return token.tag in ("NNG", "NNB", "XSN") and not token.oov


def words_of(tokens: Sequence) -> list:
    """The tokens that are words: no brackets, quotes, punctuation or symbols."""
    return [t for t in tokens if not t.tag.startswith(("SS", "SP", "SW", "SO", "SF", "SE"))]


_KIND_HEADS = ("기업", "업체", "기업들", "업체들")


def kind_of_firm(tokens: Sequence) -> bool:
    """Common nouns ending in 기업 or 업체 (`벤처기업`, `수출기업`, `ICT 기업`, `제조업체`): a kind of
    firm, which a regional paper names in every other paragraph (`수출기업들이`), never one firm.
    A name before the head (`한빛기업`, a proper noun or a word Kiwi does not know) stays a name."""
    words = words_of(tokens)
    if words and words[-1].form == "들" and len(words) > 1:
        words = words[:-1]
    if len(words) == 1:    # one word of Kiwi's dictionaries (`제조업체`/NNG, `벤처기업`/NNP): its stem decides
        word = words[0]
        return word.tag in ("NNG", "NNP") and not word.oov and word.form.endswith(("기업", "업체")) \
            and len(word.form) > 2 and _plain_stem(word.form[:-2])
    if len(words) < 2 or words[-1].form not in ("기업", "업체"):
        return False
    if split_unknown(words[:-1]):
        return False
    return all(_plain_noun(t) or term_acronym(t) for t in words[:-1])


def store_branch(bare: str) -> bool:
    """A shop's branch (`누리점`, `새봄역점`, `한빛몰R점`, the …점 after a chain's name or
    in a list of its closed stores): a mention of the chain, never a firm of its own (15 counted so
    over 2,928 regional articles). Shops named by their kind (…백화점, …면세점, …상점) are names; a
    numbered branch (`8호점`) may be a public facility's."""
    return len(bare) >= 3 and bare.endswith("점") and not bare.endswith(_SHOP_KINDS) and not bare[0].isdigit() \
        and not _dictionary_word(bare)


@lru_cache(maxsize=4096)
def _dictionary_word(word: str) -> bool:
    """One word Kiwi knows whole (`고점`, `거점`, `가맹점`, the place `판문점`): an ordinary word or a
    place, whatever it ends with."""
    from nlp.kiwi import get_kiwi

    tokens = get_kiwi().tokenize(word)
    return len(tokens) == 1 and tokens[0].tag in ("NNG", "NNP") and not tokens[0].oov


_SHOP_KINDS = ("백화점", "면세점", "할인점", "편의점", "서점", "상점", "매점", "음식점", "전문점", "잡화점", "제과점",
               "대리점", "판매점", "양복점", "철물점", "정육점", "문구점", "주점", "본점", "지점")


@lru_cache(maxsize=4096)
def _plain_stem(stem: str) -> bool:
    """Whether a word read alone is common nouns only (`벤처`, `수출`), not a name (`한빛`, `대우`)."""
    from nlp.kiwi import get_kiwi

    words = words_of(get_kiwi().tokenize(stem))
    return bool(words) and not split_unknown(words) and all(_plain_noun(t) or term_acronym(t) for t in words)


def term_compound(tokens: Sequence) -> bool:
    """A Latin term acronym before common nouns (`AI솔루션`, `AI 로봇`, `API기반`, `R&D 센터`): what a
    thing is, not who makes it."""
    words = words_of(tokens)
    if len(words) < 2 or not term_acronym(words[0]) or split_unknown(words[1:]):
        return False
    return all(_plain_noun(t) or term_acronym(t) for t in words[1:])


def known_suffix(bare: str) -> bool:
    """Whether a common-noun name ends in an organisation suffix (…진흥원, …협회, …전자)."""
    return len(bare) >= 3 and bare.endswith(_word_lists()[2])


def _attach_word_forms(text: str, pieces: list[Piece], candidate: Candidate) -> None:
    """A legal form written as its own word right before (`농업회사법인 A`) or after
    (`A 영농조합법인은`) the candidate belongs to the mention."""
    first = pieces[candidate.first_piece]
    if not candidate.form_before and candidate.first_piece > 0:
        before = pieces[candidate.first_piece - 1]
        surface = text[before.start:before.end]
        if before.word + 1 == first.word and _PREFIX.fullmatch(surface + " ") and before.core_start == before.start:
            candidate.form_before = surface
    last = pieces[candidate.last_piece]
    if not candidate.form_after and not candidate.tail and candidate.last_piece + 1 < len(pieces):
        after = pieces[candidate.last_piece + 1]
        surface = text[after.start:after.end]
        match = _FORM_ALONE.match(surface)
        if after.word == last.word + 1 and match:
            form = _FORM_WORD.match(surface) or _GLUED_FORM.match(surface)
            if form:
                candidate.form_after = form.group()
                candidate.tail = surface[form.end():]

"""Programmes: the programme, prize or certificate a selection, award, certification or funding
was won in, and the body that runs it.

Read from the Kiwi morphemes of the evidence sentence. A predicate of winning — 선정되다,
지정받다, 뽑히다, 수상하다, (상·인증·지원)을 받다, 획득하다, 차지하다 … — has slots: what was
received (the object, `…상을 받았다`), what one was chosen into (`…사업에 선정`, `…으로 지정`),
where (`…영화제에서 감독상을`) and whose support (`…사업 등의 지원을 받았다`). A slot's noun
phrase is a programme when it is quoted or ends in a programme word (상, 표창, 인증, 사업, 과제,
공모전, 대회, 어워드 …, data/lexicon/programmes.toml); a bare rank (대상, 금상, 감독상) is no
name, and the contest named with it is (`아카데미상 여우조연상` → 아카데미상). The body is an
organisation the stage found that the sentence ties to the name: inside it (`KBS 연예대상`), just
before it (`과학기술정보통신부 주관`, `영화진흥위원회가 운영하는`, `교육부 지정한`), the one that
chose (`한림원은 … 선정했다`) or the one it came from (`…로부터 지정받았다`).

`programme_key` groups names: quotes, spaces, years (`2024년`, `2013`) and editions (`제3회`)
removed, then the aliases of the lexicon applied.

The spaCy component `newsmine_programmes` (nlp/pipeline.py, after `newsmine_achievements`)
adds `"programme": {"name", "body"} | null` to every selection, award, certification and
funding achievement.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence

from nlp.canonical import QUOTES_CLOSE, QUOTES_OPEN
from nlp.lexicon import LEXICON_DIR

PROGRAMME_TYPES = ("selection", "award", "certification", "funding")
QUOTE_CHARS = set(QUOTES_OPEN + QUOTES_CLOSE)
_CONNECTORS = {"·", "ㆍ", "-", "&", "/", "+", "–"}
_NOMINAL = {"NNG", "NNP", "NNB", "NR", "SL", "SN", "SH", "XPN", "XSN"}
# organisation kinds that run programmes (a firm may too, but only when tied to the name)
_BODY_KINDS = ("government", "public")

# Nouns of choosing: with 되/받 the subject was chosen, with 하 the subject chose.
_CHOOSE = {"선정", "지정", "선발", "발탁", "채택", "위촉"}
# Nouns of winning a prize (수상하다) or being given one (수여받다).
_WIN = {"수상", "수여"}
# Verbs whose object was won or received: `…상을 받았다`, `…인증을 획득했다`.
_RECEIVE_VERBS = {"받", "거머쥐", "안", "따", "차지하"}
_RECEIVE_NOUNS = {"획득", "취득", "차지", "수상", "수여"}
_FUND_NOUNS = {"지원", "지원금", "사업비", "보조금", "자금", "예산", "수혜", "혜택"}


@dataclass(frozen=True)
class Lexicon:
    suffixes: tuple[str, ...]
    head_words: frozenset[str]
    firm_qualifiers: tuple[str, ...]
    ranks: frozenset[str]
    target_words: frozenset[str]
    body_links: frozenset[str]
    leading: frozenset[str]
    lists: frozenset[str]
    aliases: dict[str, str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with (LEXICON_DIR / "programmes.toml").open("rb") as handle:
        data = tomllib.load(handle)
    aliases: dict[str, str] = {}
    for canonical, variants in data.get("aliases", {}).items():
        key = _plain_key(canonical)
        for variant in (canonical, *variants):
            aliases[_plain_key(variant)] = key
    return Lexicon(
        suffixes=tuple(sorted(data["heads"]["suffixes"], key=len, reverse=True)),
        head_words=frozenset(data["heads"]["words"]),
        firm_qualifiers=tuple(data["heads"]["firm_qualifiers"]),
        ranks=frozenset(_squash(w) for w in data["ranks"]["words"]),
        target_words=frozenset(data["slots"]["target_words"]),
        body_links=frozenset(data["slots"]["body_links"]),
        leading=frozenset(data["slots"]["leading"]),
        lists=frozenset(data["slots"]["lists"]),
        aliases=aliases,
    )


# ------------------------------------------------------------------ names and keys

_YEAR = re.compile(r"(?:(?<![0-9])(?:19|20)\d{2}(?!\d)|['’‘]\d{2}(?!\d))\s*(?:년도|년)?(?:\s*(?:상반기|하반기))?")
_EDITION = re.compile(r"제?\s*\d+\s*(?:회째|회|차년도|차|기|번째)(?![가-힣])")
_TIER = re.compile(r"^\s*[\d,.]+\s*(?:조|억|천만|백만|만|천)?\s*(?:불|달러|원)(?=\s|[가-힣])")
_PAREN = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_PAREN_MASK = re.compile(r"[(\[][^()\[\]]*[)\]]")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _plain_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    text = _PAREN.sub("", text)
    text = _YEAR.sub(" ", text)     # before the quotes go: `'24년`
    text = "".join(ch for ch in text if ch not in QUOTE_CHARS and ch not in "「」『』《》〈〉<>")
    text = _TIER.sub(" ", text)     # `1000만불 수출의 탑`: the tier of one programme
    text = _EDITION.sub(" ", text)
    text = re.sub(r"[\s·ㆍ,]+", "", text)
    return text


def programme_key(name: str) -> str:
    """The grouping key of a programme name: quotes, brackets, spaces, middle dots, years and
    editions removed, lower case, then the lexicon's aliases (오스카 → 아카데미상)."""
    key = _plain_key(name)
    return lexicon().aliases.get(key, key)


def clean_name(name: str) -> str:
    """A name as shown: quotes, bracketed asides and a leading year or edition removed
    (`'2024년 글로벌 강소기업'` → 글로벌 강소기업), spaces collapsed."""
    text = _PAREN.sub("", name)
    text = "".join(ch for ch in text if ch not in QUOTE_CHARS)
    words = text.split()
    while len(words) > 1 and _is_date_word(words[0]):
        words.pop(0)
    return " ".join(words).strip(" ,·")


def _is_rank(word: str) -> bool:
    return _squash(word) in lexicon().ranks


def _has_head(name: str) -> bool:
    """Whether a name ends in a programme word (and is more than a bare rank)."""
    lex = lexicon()
    squashed = _squash(clean_name(name))
    if not squashed or _is_rank(squashed):
        return False
    last = clean_name(name).split()[-1]
    if last in lex.head_words or squashed in lex.head_words:
        if last in ("기업", "강소기업", "스타기업") or squashed.endswith("기업"):
            return any(q in squashed[:-2] for q in lex.firm_qualifiers) or last != "기업"
        return True
    # 상 ends a prize's name when its word has three syllables or more (노벨상, 장관상, 노벨 평화상):
    # 이상, 현상, 브랜드 영상 are no prizes
    return any(squashed.endswith(s) and len(squashed) > len(s) and (s != "상" or len(_squash(last)) >= 3)
               for s in lex.suffixes)


@dataclass(frozen=True)
class Programme:
    name: str
    body: str | None
    kind: str          # selection | award | certification | funding
    start: int         # the name's span in the text
    end: int
    trigger: int       # where the winning is said

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "body": self.body}


# ------------------------------------------------------------------ phrases over Kiwi tokens


@dataclass
class _Phrase:
    first: int         # token indexes, inclusive
    last: int
    start: int         # character span
    end: int


def _end(token: Any) -> int:
    return token.start + token.len


def _is_quote(token: Any) -> bool:
    return token.tag in ("SSO", "SSC") and token.form in QUOTE_CHARS


def _is_paren(token: Any, opening: bool) -> bool:
    return token.tag in ("SSO", "SSC") and token.form in (("(", "[") if opening else (")", "]"))


def _phrase_before(tokens: Sequence[Any], i: int) -> _Phrase | None:
    """The noun phrase whose last token is tokens[i] (walking back over nouns, quoted and
    bracketed groups, connectors such as ·, and any morpheme written in the same word as the
    noun after it, as `일석장려상` = 일/MM 석/MM 장려상/NNG)."""
    if i < 0:
        return None
    j = i
    first = None
    while j >= 0:
        token = tokens[j]
        closing_quote = _is_quote(token) and (j == i or first is not None and
                                              (token.form in QUOTES_CLOSE or token.tag == "SSC"))
        if closing_quote or _is_paren(token, opening=False):
            # a quoted or bracketed group: back to its opening mark
            k = _group_start(tokens, j, quote=closing_quote)
            if k is None:
                break
            first = k
            j = k - 1
            continue
        glued = first is not None and _end(token) == tokens[first].start
        if token.tag in _NOMINAL or token.tag.startswith("W_") or (token.form in _CONNECTORS and first is not None) \
                or (glued and not token.tag.startswith(("J", "E", "V", "XSV", "XSA", "VCP")) and token.tag not in ("SF", "SP")):
            first = j
            j -= 1
            continue
        break
    if first is None:
        return None
    while first <= i and tokens[first].form in _CONNECTORS:
        first += 1
    if first > i:
        return None
    return _Phrase(first, i, tokens[first].start, _end(tokens[i]))


def _group_start(tokens: Sequence[Any], j: int, quote: bool) -> int | None:
    """The opening mark of the quoted (or bracketed) group that tokens[j] closes, within the
    sentence and a few dozen morphemes."""
    for k in range(j - 1, max(-1, j - 61), -1):
        token = tokens[k]
        if token.tag == "SF":
            return None
        if quote and _is_quote(token) and (token.form in QUOTES_OPEN or token.tag == "SSO"):
            return k
        if not quote and _is_paren(token, opening=True):
            return k
    return None


def _clause_start(tokens: Sequence[Any], i: int) -> int:
    """The first token of the clause that holds tokens[i]: after the last connective ending
    followed by a comma, or the sentence start."""
    for k in range(i - 1, 0, -1):
        if tokens[k].form == "," and tokens[k - 1].tag == "EC":
            return k + 1
    return 0


# ------------------------------------------------------------------ triggers


@dataclass(frozen=True)
class _Trigger:
    index: int          # the token where the slots are read back from (its first slot token follows)
    at: int             # character offset of the trigger
    kind: str
    active: bool        # the subject chose (선정했다), rather than was chosen (선정됐다)
    nominal: bool       # a noun inside a phrase (`X 선정 이후`, `X 수상`)


def _triggers(tokens: Sequence[Any]) -> list[_Trigger]:
    found: list[_Trigger] = []
    n = len(tokens)
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else None
        glued_next = nxt is not None and nxt.start == _end(token)
        form, tag = token.form, token.tag
        if tag == "NNG" and form in _CHOOSE:
            if nxt is not None and nxt.tag == "XSV" and nxt.form == "하":
                found.append(_Trigger(i, token.start, "selection", True, False))
            elif nxt is not None and glued_next and nxt.form in ("되", "받") and nxt.tag.startswith(("XSV", "VV")):
                found.append(_Trigger(i, token.start, "certification" if nxt.form == "받" else "selection", False, False))
            elif i > 0 and tokens[i - 1].tag in _NOMINAL | {"SSC"} and (nxt is None or not nxt.tag.startswith("XSV")):
                found.append(_Trigger(i, token.start, "selection", False, True))
        elif tag.startswith("VV") and form in ("뽑히",):
            found.append(_Trigger(i, token.start, "selection", False, False))
        elif tag.startswith("VV") and form == "뽑" and not (nxt is not None and nxt.tag == "ETM"):
            found.append(_Trigger(i, token.start, "selection", True, False))
        elif tag == "NNG" and form == "이름" and nxt is not None and nxt.tag == "JKO" and i + 2 < n \
                and tokens[i + 2].form == "올리":
            found.append(_Trigger(i, token.start, "selection", False, False))
        elif tag == "NNG" and form in _WIN:
            if nxt is not None and (nxt.tag == "XSV" or nxt.form == "받"):
                found.append(_Trigger(i, token.start, "award", False, False))
            elif i > 0 and tokens[i - 1].tag in _NOMINAL | {"SSC"}:
                found.append(_Trigger(i, token.start, "award", False, True))
        elif (tag.startswith("VV") and form in _RECEIVE_VERBS and not _glued_to_noun(tokens, i)) or \
                (tag == "NNG" and form in _RECEIVE_NOUNS - _WIN and nxt is not None and nxt.tag == "XSV"):
            found.append(_Trigger(i, token.start, "receive", False, False))
        elif tag.startswith(("VV", "XSV")) and form == "받" and i > 0 and tokens[i - 1].tag == "NNG" \
                and tokens[i - 1].start + tokens[i - 1].len == token.start:
            prev = tokens[i - 1].form           # 인증받다, 지원받다, 표창받다
            if prev == "인증" or prev.endswith("인증"):
                found.append(_Trigger(i - 1, tokens[i - 1].start, "certification", False, True))
            elif prev in _FUND_NOUNS:
                found.append(_Trigger(i - 1, tokens[i - 1].start, "funding", False, False))
            elif prev.endswith(("상", "표창")):
                found.append(_Trigger(i - 1, tokens[i - 1].start, "award", False, True))
    return found


def _glued_to_noun(tokens: Sequence[Any], i: int) -> bool:
    """받 written with the noun before it (제공받다, 인정받다): a verb of its own, not `…을 받다`."""
    return i > 0 and tokens[i - 1].tag == "NNG" and _end(tokens[i - 1]) == tokens[i].start


# ------------------------------------------------------------------ slots to names


@dataclass
class _Candidate:
    name: str
    start: int
    end: int
    phrase: _Phrase
    body: Any = None     # an Organization found in or right before the phrase


class _Sentence:
    def __init__(self, text: str, tokens: Sequence[Any], mentions: list[tuple[int, int, Any]]):
        self.text = text
        self.tokens = tokens
        self.mentions = mentions     # (start, end, org) inside the sentence

    # -- organisations

    def orgs_in(self, start: int, end: int) -> list[tuple[int, int, Any]]:
        return [(s, e, o) for s, e, o in self.mentions if start <= s and e <= end]

    def org_ending_at(self, index: int) -> Any:
        """The organisation whose mention ends at token `index` (or covers it)."""
        if index < 0:
            return None
        token = self.tokens[index]
        for s, e, org in self.mentions:
            if s <= token.start < e and e <= _end(token) + 1:
                return org
        return None

    # -- names

    def candidate(self, phrase: _Phrase, targets: bool, any_name: bool = False) -> _Candidate | None:
        """The programme a slot's phrase names, or None. `targets`: strip words naming the
        winner or target at the end (`…수상자로`, `…시범 대상으로`). `any_name`: the slot is a
        programme by its frame, whatever its words (`…에 선정`, `X의 수상자로`)."""
        lex = lexicon()
        start, end = phrase.start, phrase.end
        k = phrase.first
        if k >= 2 and self.tokens[k - 1].tag == "JKG" and self.tokens[k - 2].form in _THIS_PERIOD:
            start = self.tokens[k - 2].start      # `올해의 중소기업상`, `이달의 과학기술인상`
        elif k >= 2 and self.tokens[k - 1].tag == "JKG" and self.tokens[k - 2].form == "수출" and \
                self.text[start:end].startswith("탑"):
            owner = _phrase_before(self.tokens, k - 2)   # `1000만불 수출의 탑`
            start = owner.start if owner is not None else self.tokens[k - 2].start
        body = None
        # an organisation's part before the name: `과학기술정보통신부 주관 'X' 사업`, or leading
        # organisations before a programme word (`한국연구재단 기초연구사업`)
        cut = None
        for k in range(phrase.first, phrase.last):
            token = self.tokens[k]
            if token.tag == "NNG" and token.form in lex.body_links:
                cut = k
        if cut is not None:
            owners = self.orgs_in(start, self.tokens[cut].start)
            body = owners[-1][2] if owners else None
            start = _end(self.tokens[cut])
        raw = _PAREN_MASK.sub(lambda m: " " * len(m.group()), self.text[start:end])
        words = _words(raw)
        # a word that ends in a subject or topic particle is no part of a name (`말랄라가 노벨상`:
        # Kiwi read the particle into the name)
        for k in range(len(words) - 1, 0, -1):
            if re.search(r"[가-힣](?:가|는|은|을|를)$", _strip_quotes(words[k - 1][2])) and len(words[k - 1][2]) >= 3:
                words = words[k:]
                break
        # words before the name: time, order, years, editions
        while words and (_squash(_strip_quotes(words[0][2])) in lex.leading or _is_date_word(words[0][2])):
            words.pop(0)
        while len(words) > 1 and (_strip_quotes(words[-1][2]) in ("등", "등의") or _AMOUNT.fullmatch(words[-1][2])):
            words.pop()                 # `X 사업비 3억 원`: the figure is no part of the name
        if len(words) > 1 and _strip_quotes(words[-1][2]) in _FUND_NOUNS:
            words.pop()                 # `예비창업패키지 지원을 받아`: the programme that gave it
        if words and words[-1][2].endswith("사업비") and len(words[-1][2]) > 3:
            last = words[-1]
            words[-1] = (last[0], last[1] - 1, last[2][:-1])   # `X 지원사업비` → X 지원사업
        if words and _strip_quotes(words[-1][2]) in lex.lists and not _quoted(words[-1][2]) and \
                _strip_quotes(words[-1][2]) not in ("대상",):
            return None
        if targets:
            while len(words) > 1 and _strip_quotes(words[-1][2]) in lex.target_words and not _quoted(words[-1][2]):
                any_name = any_name or _strip_quotes(words[-1][2]) in ("수상자", "수상작", "수상팀")
                words.pop()
            if len(words) == 1 and _strip_quotes(words[0][2]) in lex.target_words:
                return None
        if not words or any(_strip_quotes(w[2]) in lex.lists for w in words[-1:]) or \
                all(re.fullmatch(r"(?:총|약)?\d[\d,.]*\D{0,2}", _strip_quotes(w[2])) for w in words):
            return None
        # leading organisations of a programme (not a prize named after its giver)
        lead_orgs = self._leading_orgs(start + words[0][0], start + words[-1][1])
        name = _join(raw, words)
        if lead_orgs and not _prize_like(name):
            owner_end = lead_orgs[-1][1]
            rest = [w for w in words if start + w[0] >= owner_end]
            if rest and _has_head(_join(raw, rest)):
                body = body or lead_orgs[-1][2]
                words = rest
                name = _join(raw, rest)
        elif lead_orgs:
            body = body or lead_orgs[-1][2]
        if self._is_only_org(start + words[0][0], start + words[-1][1]):
            return None
        chosen = _named_part(raw, words, any_name)
        if chosen is None:
            return None
        a, b = chosen
        return _Candidate(clean_name(_join(raw, words[a:b])), start + words[a][0], start + words[b - 1][1], phrase, body)

    def _leading_orgs(self, start: int, end: int) -> list[tuple[int, int, Any]]:
        """Organisations at the start of a span, one after another (`미래창조과학부·한국연구재단`)."""
        out = []
        at = start
        for s, e, org in sorted(self.orgs_in(start, end)):
            gap = self.text[at:s]
            if gap.strip(" ·ㆍ,'‘’\"“”") == "" and e < end:
                out.append((s, e, org))
                at = e
            else:
                break
        return out

    def _is_only_org(self, start: int, end: int) -> bool:
        span = self.text[start:end].strip(" '\"‘’“”")
        return any(_squash(self.text[s:e]) == _squash(span) for s, e, _ in self.orgs_in(start - 2, end + 2))


def _words(raw: str) -> list[tuple[int, int, str]]:
    """Space-separated words of a phrase with their offsets; a quoted part stays one word."""
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(raw)
    while i < n:
        if raw[i].isspace():
            i += 1
            continue
        j = i
        if raw[i] in QUOTES_OPEN:
            close = _closing(raw, i)
            if close is not None:
                j = close + 1
        while j < n and not raw[j].isspace():
            if raw[j] in QUOTES_OPEN and j > i:
                close = _closing(raw, j)
                j = close + 1 if close is not None else j + 1
                continue
            j += 1
        out.append((i, j, raw[i:j]))
        i = j
    return out


def _closing(raw: str, i: int) -> int | None:
    opening = raw[i]
    pairs = {"'": "'’", "‘": "’'", '"': '"”', "“": "”\"", "「": "」", "『": "』", "<": ">", "《": "》", "〈": "〉"}
    for k in range(i + 1, len(raw)):
        if raw[k] in pairs.get(opening, QUOTES_CLOSE):
            return k
    return None


def _strip_quotes(word: str) -> str:
    return "".join(ch for ch in word if ch not in QUOTE_CHARS)


def _quoted(word: str) -> bool:
    return bool(word) and word[0] in QUOTES_OPEN and word[-1] in QUOTES_CLOSE


def _join(raw: str, words: list[tuple[int, int, str]]) -> str:
    return raw[words[0][0]:words[-1][1]] if words else ""


def _is_date_word(word: str) -> bool:
    plain = _strip_quotes(word)
    return bool(re.fullmatch(r"(?:19|20)\d{2}(?:년도?|년)?|\d{1,2}(?:년도?|월|일|회|차|번째)|제\d+(?:회|차)|\d+(?:년간|년째)|"
                             r"(?:19|20)\d{2}[~∼-](?:19|20)?\d{2}년?|[0-9]+년\s*연속|연속", plain))


def _prize_like(name: str) -> bool:
    """A prize named after its giver keeps the giver's name (`KBS 연예대상`, `장관 표창`)."""
    squashed = _squash(clean_name(name))
    return squashed.endswith(("상", "표창", "포상", "훈장", "어워드", "어워즈"))


def _named_part(raw: str, words: list[tuple[int, int, str]], any_name: bool = False) -> tuple[int, int] | None:
    """Which words of a slot name the programme: all of them when they end in a programme word
    or are one quoted name; before a rank, the longest part that is a name (`아카데미상
    남우조연상` → 아카데미상); a quoted name before words of its category (`'X' 부문 1위`).
    `any_name`: the slot is a prize by its frame (`X의 수상자로`), whatever its words."""
    if len(words) == 1 and _quoted(words[0][2]):
        return 0, 1
    category = False
    for k, (_, _, word) in enumerate(words):      # cut at a category: `X 부문 우수상`, `'X' 부문 1위`
        if _strip_quotes(word) in ("부문", "부분") and k > 0:
            if k == 1 and _quoted(words[0][2]):
                return 0, 1
            words = words[:k]
            category = True
            break
    n = len(words)
    plain = [_strip_quotes(w[2]) for w in words]
    if all(_is_rank(w) or w in _RANK_MODIFIERS for w in plain):
        return None
    if _has_head(_join(raw, words)) and not _is_rank(plain[-1]):
        return 0, n
    for k in range(n - 1, 0, -1):       # before a rank or a category: the longest part that is a name
        if _has_head(_join(raw, words[:k])) and not _is_rank(plain[k - 1]):
            return 0, k
    if any_name and not category:
        return 0, n
    if _is_rank(plain[-1]) and n > 1 and not category:
        return 0, n                     # `에너지 효율 최고상`: a prize of its own field
    if _quoted(words[-1][2]) and plain[-1].strip():
        return n - 1, n
    return None


_AMOUNT = re.compile(r"(?:약|총)?[\d,.]+(?:조|억|천만|백만|만|천)?(?:[\d,.]+(?:억|천만|백만|만|천))*(?:원|달러|불|유로|엔)?|원|달러")
_THIS_PERIOD = frozenset({"올해", "이달", "이번달", "금주", "이주", "올"})
_RANK_MODIFIERS = frozenset({"최우수", "우수", "신인", "특별", "심사위원", "최고", "영예의", "공동"})


# ------------------------------------------------------------------ the finder


def find_programmes(text: str, sentence: Any, organizations: Iterable[Any] = (),
                    check_done: bool = True) -> list[Programme]:
    """The programmes one Kiwi sentence says something was selected into, awarded, certified
    by or funded by. `organizations`: the stage's organisations (their mentions give bodies).
    `check_done`: skip winning said as a plan or denied (`인증을 받지 않은`, `선정될 예정`)."""
    tokens = sentence.tokens
    if not tokens:
        return []
    s0, s1 = sentence.start, sentence.end
    mentions = sorted((s, e, org) for org in organizations for s, e in getattr(org, "mentions", ())
                      if s0 <= s and e <= s1)
    view = _Sentence(text, tokens, mentions)
    found: list[Programme] = []
    seen: set[tuple[str, int]] = set()
    for trigger in _triggers(tokens):
        if check_done and not _said_as_done(text, tokens, trigger):
            continue
        for cand, kind in _slots(view, trigger):
            key = (programme_key(cand.name), trigger.at)
            if not key[0] or key in seen:
                continue
            seen.add(key)
            body = _body(view, trigger, cand)
            found.append(Programme(cand.name, body.name if body is not None else None, kind, cand.start, cand.end,
                                   trigger.at))
    found.sort(key=lambda p: (p.start, p.trigger))
    return found


def _said_as_done(text: str, tokens: Sequence[Any], trigger: _Trigger) -> bool:
    """Whether the winning is stated as done: no plan, denial or setback in the predicate's own
    words (`받지 않은`, `선정될 예정`, `선정하기로`). An adnominal -ㄴ/-은 closes it (`수상한 뒤 …
    기대감`: the rest is about something else)."""
    from nlp.achievements import lexicon as achievement_lexicon

    stop = len(tokens)
    words = 0
    for k in range(trigger.index + 1, len(tokens)):
        token = tokens[k]
        if token.tag == "SF" or token.form == "," or (token.tag == "ETM" and token.form in ("ᆫ", "ㄴ", "은", "는")):
            stop = k + 1
            break
        if k > trigger.index + 1 and token.start > _end(tokens[k - 1]):
            words += 1
            if words > 2:
                stop = k
                break
    tail = text[_end(tokens[trigger.index]):_end(tokens[stop - 1])] if stop > trigger.index + 1 else ""
    lex = achievement_lexicon()
    return not any(w in tail for w in lex.not_achieved if w not in lex.purpose)


def _slots(view: _Sentence, trigger: _Trigger) -> list[tuple[_Candidate, str]]:
    tokens = view.tokens
    i = trigger.index
    clause = _clause_start(tokens, i)
    out: list[tuple[_Candidate, str]] = []
    if trigger.nominal:
        # `X 선정`, `X 수상`, `X 인증`: the phrase before the trigger noun (or the noun's own phrase)
        phrase = _phrase_before(tokens, i - 1) if trigger.kind != "certification" else _phrase_before(tokens, i)
        if phrase is not None:
            cand = view.candidate(phrase, targets=True)
            if cand is not None:
                out.append((cand, trigger.kind))
        return out
    if trigger.kind == "certification" and tokens[i].form.endswith("인증"):
        return out
    j = i - 1
    objects: list[_Phrase] = []
    datives: list[_Phrase] = []
    events: list[_Phrase] = []
    genitive_of_object: _Phrase | None = None
    # read the phrases back to the clause start, nearest first: object (을/를), dative or essive
    # (에/로), place (에서)
    while j >= clause:
        token = tokens[j]
        if token.tag.startswith("J"):
            phrase = _phrase_before(tokens, j - 1)
            if phrase is None:
                j -= 1
                continue
            particle = token.form
            if token.tag == "JKO":
                objects.append(phrase)
            elif particle == "에서":
                events.append(phrase)
            elif token.tag == "JKB" and particle in ("에", "로", "으로", "에게"):
                datives.append(phrase)
            j = phrase.first - 1
            continue
        if token.tag == "EC" and j + 1 < len(tokens) and tokens[j + 1].form == ",":
            break
        j -= 1
    object_phrase = objects[0] if objects else None
    # the objects before a comma in the same sentence (`A 표창을, … B 표창을 받았다`)
    more_objects = _listed_objects(tokens, object_phrase, clause)
    kind = trigger.kind
    if kind == "selection":
        for phrase in datives:
            particle = tokens[phrase.last + 1].form if phrase.last + 1 < len(tokens) else ""
            # `…에 선정됐다`: what one is chosen into is a programme or a list, whatever its words
            if _not_a_slot(tokens, phrase):
                continue
            open_slot = particle == "에" and not trigger.active and tokens[i].form != "이름" \
                and not _person_or_org(view, phrase)
            cand = view.candidate(phrase, targets=True, any_name=open_slot)
            if cand is None and _generic_slot(view, phrase):
                gen = _genitive_before(tokens, phrase)
                cand = view.candidate(gen, targets=True, any_name=True) if gen is not None else None
                if cand is None:
                    continue
            if cand is not None:
                out.append((cand, "selection"))
                break
            if not _skippable(view, phrase):
                break
        return out
    # receive / award / certification / funding: the object names what was won
    items = _list_items(tokens, object_phrase) if object_phrase is not None else []
    if object_phrase is not None and genitive_of_object is None and \
            _squash(view.text[object_phrase.start:object_phrase.end]) in _FUND_NOUNS:
        # `X 사업 등의 지원을 받았다`: the programmes are the owner of the support
        genitive_of_object = _genitive_before(tokens, object_phrase)
    if genitive_of_object is not None:
        items = _list_items(tokens, genitive_of_object)
    if object_phrase is not None and _fund_word(view.text[object_phrase.start:object_phrase.end]):
        kind = "funding"
    named = []
    for phrase in items:
        cand = view.candidate(phrase, targets=genitive_of_object is not None)
        if cand is not None:
            named.append(cand)
    shared = next((c.body for c in named if c.body is not None), None)
    for cand in named:                  # `X·Y 기초연구사업, 선도연구센터지원사업 등`: one body for the list
        cand.body = cand.body or shared
    object_text = view.text[object_phrase.start:object_phrase.end] if object_phrase is not None else ""
    if kind in ("receive", "award") and not named and events:
        event = _event_name(view, events[0])
        if event is not None and (object_phrase is None or _rankish(object_text) or trigger.kind == "award"):
            named.append(event)
    for phrase in more_objects:
        cand = view.candidate(phrase, targets=False) or _event_before(view, tokens, phrase)
        if cand is not None:
            named.insert(0, cand)
    if kind == "receive":
        kind = _kind_of_object(object_text, named)
        if kind is None:
            return []
    out.extend((cand, kind) for cand in named)
    if trigger.kind == "award" and not named and object_phrase is None and datives:
        # `…상에 선정`, `대상(…장관상)에 선정`: the prize one was chosen for
        cand = view.candidate(datives[0], targets=True)
        if cand is not None:
            out.append((cand, "award"))
    return out


def _list_items(tokens: Sequence[Any], phrase: _Phrase) -> list[_Phrase]:
    """A listed phrase split into its items: `A, B, C 등`, `A과 B`, `A 및 B`."""
    items = [phrase]
    k = phrase.first - 1
    while k >= 1:
        token = tokens[k]
        if token.form == "," or token.tag == "JC" or token.form in ("및", "과", "와") and token.tag.startswith(("J", "MAJ")):
            prev = _phrase_before(tokens, k - 1)
            if prev is None:
                break
            items.insert(0, prev)
            k = prev.first - 1
            continue
        break
    # `…사업 등`: drop the closing 등
    return items


def _listed_objects(tokens: Sequence[Any], main: _Phrase | None, clause: int) -> list[_Phrase]:
    """Objects before the main one, each closed by 을/를 and a comma (`A 표창을, … B 표창을`)."""
    if main is None:
        return []
    out = []
    for k in range(clause, main.first):
        if tokens[k].tag == "JKO" and k + 1 < len(tokens) and tokens[k + 1].form == ",":
            phrase = _phrase_before(tokens, k - 1)
            if phrase is not None:
                out.append(phrase)
    return out


def _event_before(view: _Sentence, tokens: Sequence[Any], phrase: _Phrase) -> _Candidate | None:
    """The contest named with 에서 right before an object (`IDEA2012에서 동상을`)."""
    k = phrase.first - 1
    if k >= 0 and tokens[k].form == "에서":
        event = _phrase_before(tokens, k - 1)
        if event is not None:
            return _event_name(view, event)
    return None


def _event_name(view: _Sentence, phrase: _Phrase) -> _Candidate | None:
    """A contest, festival or ceremony where a prize was given (`X 시상식에서`, `'X'에서`)."""
    cand = view.candidate(phrase, targets=True)
    if cand is not None:
        return cand
    text = view.text[phrase.start:phrase.end]
    tokens = view.tokens[phrase.first:phrase.last + 1]
    if tokens and all(t.tag in ("SL", "SN") or t.form in _CONNECTORS for t in tokens) and \
            any(t.tag == "SL" for t in tokens) and not view._is_only_org(phrase.start, phrase.end):
        return _Candidate(clean_name(text), phrase.start, phrase.end, phrase)
    return None


def _genitive_before(tokens: Sequence[Any], phrase: _Phrase) -> _Phrase | None:
    """The phrase marked 의 before a phrase, allowing a determiner between (`X의 첫 시범 대상`)."""
    k = phrase.first - 1
    while k >= 0 and tokens[k].tag in ("MM",):
        k -= 1
    if k >= 1 and tokens[k].tag == "JKG":
        return _phrase_before(tokens, k - 1)
    return None


def _not_a_slot(tokens: Sequence[Any], phrase: _Phrase) -> bool:
    """An 에/로 phrase that is no slot of choosing: `…법에 따라`, `…을 위한 X로` (a purpose)."""
    after = phrase.last + 2
    if after < len(tokens) and tokens[after].form in ("따르", "의하", "의거", "대하", "관하", "비하", "따라"):
        return True
    before = phrase.first - 1
    return before >= 1 and tokens[before].tag == "ETM" and tokens[before - 1].form in ("위하",)


def _person_or_org(view: _Sentence, phrase: _Phrase) -> bool:
    """A phrase that is an organisation or ends in a person's noun: no programme."""
    if view._is_only_org(phrase.start, phrase.end):
        return True
    last = view.tokens[phrase.last]
    return last.tag == "NNP" and phrase.first == phrase.last and len(last.form) <= 3


def _generic_slot(view: _Sentence, phrase: _Phrase) -> bool:
    lex = lexicon()
    words = [_strip_quotes(w[2]) for w in _words(view.text[phrase.start:phrase.end])]
    return bool(words) and all(w in lex.target_words or w in lex.leading or _is_date_word(w) for w in words)


def _skippable(view: _Sentence, phrase: _Phrase) -> bool:
    """A 로/에 phrase that is no slot of choosing (`처음으로`, `최초로`, `3년 연속으로`)."""
    words = [_strip_quotes(w[2]) for w in _words(view.text[phrase.start:phrase.end])]
    return bool(words) and all(w in lexicon().leading or _is_date_word(w) or w in ("처음", "최초", "동시", "공동")
                               for w in words)


def _fund_word(text: str) -> bool:
    return _squash(text) in _FUND_NOUNS or _squash(text).endswith(("지원", "지원금", "사업비"))


def _rankish(text: str) -> bool:
    words = [_strip_quotes(w) for w in clean_name(text).split()]
    return bool(words) and (_is_rank(words[-1]) or not _has_head(text))


def _kind_of_object(text: str, named: list[_Candidate]) -> str | None:
    """What receiving an object is: a prize, a certificate or money."""
    squashed = _squash(clean_name(text))
    names = [_squash(c.name) for c in named]
    if squashed.endswith(("인증", "인증서", "인증마크")) or any(n.endswith(("인증", "인증서")) for n in names):
        return "certification"
    if _fund_word(text):
        return "funding"
    if named:
        return "award"
    return None


def _body(view: _Sentence, trigger: _Trigger, cand: _Candidate) -> Any:
    """The organisation that runs the programme, when the sentence ties one to it."""
    if cand.body is not None:
        return cand.body
    tokens = view.tokens
    # inside the name (`KBS 연예대상`, `중소벤처기업부장관 표창`)
    inside = view.orgs_in(cand.start, cand.end)
    if inside:
        return inside[0][2]
    # just before the name: `X 주관 'Y'`, `X가 운영하는 'Y'`, `X의 Y`, `X 지정한 Y`
    k = cand.phrase.first - 1
    steps = 0
    while k >= 0 and steps < 5:
        token = tokens[k]
        org = view.org_ending_at(k)
        if org is not None:
            return org
        if token.tag in ("JKG", "JKS", "ETM", "XSV", "MM") or token.tag.startswith("VV") or \
                token.form in lexicon().body_links or \
                (steps > 0 and token.tag in _NOMINAL and token.form in ("운영", "시행", "실시", "지원")):
            k -= 1
            steps += 1
            continue
        break
    for s, e, org in view.mentions:
        if e > trigger.at:
            break
        after = view.text[e:e + 6]
        # the one that chose (`한림원은 … 수상자로 선정했다`)
        if trigger.active and re.match(r"\s*(?:은|는|이|가|에서는|측은)(?:\s|$)", after):
            return org
        # the one it came from (`식품의약품안전처로부터 지정받았다`)
        if not trigger.active and re.match(r"\s*(?:으로부터|로부터)", after) and org.kind in _BODY_KINDS:
            return org
    return None


# ------------------------------------------------------------------ achievements


def attach_programmes(text: str, sentences: Sequence[Any], organizations: Sequence[Any],
                      achievements: list[dict]) -> None:
    """Adds `programme` to every selection, award, certification and funding achievement (None
    when its sentence names none): the programme of the winning said after the achiever's
    mention, of the achievement's type where there is a choice."""
    wanted = [a for a in achievements if a.get("type") in PROGRAMME_TYPES]
    if not wanted:
        return
    by_span = {}
    for sentence in sentences:
        by_span[sentence.start] = sentence
    found: dict[int, list[Programme]] = {}
    kinds = {org.name: org for org in organizations}
    for ach in wanted:
        ach["programme"] = None
        span = ach.get("span")
        if not span:
            continue
        sentence = by_span.get(span[0]) or next((s for s in sentences if s.start <= span[0] < s.end), None)
        if sentence is None:
            continue
        if sentence.start not in found:
            found[sentence.start] = find_programmes(text, sentence, organizations, check_done=False)
        programmes = found[sentence.start]
        if not programmes:
            continue
        org = kinds.get(ach.get("organization") or "")
        firsts = [s for s, _ in getattr(org, "mentions", ()) if sentence.start <= s < sentence.end] if org else []
        after = [p for p in programmes if not firsts or p.trigger >= min(firsts)] or programmes
        same = [p for p in after if p.kind == ach["type"]] or after
        chosen = min(same, key=lambda p: (p.trigger - (min(firsts) if firsts else 0)) if firsts else 0)
        body = chosen.body
        if body is None and ach.get("counterparty"):
            counterpart = kinds.get(ach["counterparty"])
            if counterpart is not None and counterpart.kind in _BODY_KINDS:
                body = counterpart.name
        ach["programme"] = {"name": chosen.name, "body": body}


def programmes_in(text: str, sentences: Sequence[Any], organizations: Sequence[Any]) -> list[Programme]:
    """Every programme a text says something was won in (bench/programmes_eval.py reads these)."""
    out: list[Programme] = []
    for sentence in sentences:
        out.extend(find_programmes(text, sentence, organizations))
    return out

"""The search query language: parse into an AST, then compile to FTS5 + SQL with bound values.

Syntax (words are ANDed by default):

    아이티스테이션 계약            both words
    강소기업 OR 스타기업           either; OR binds tighter than AND, as in web search engines,
                                   so `전북 강소기업 OR 스타기업` = 전북 AND (강소기업 OR 스타기업)
    NOT 무산   -무산               without
    "납품 계약"                    the words adjacent, in this order
    ( … )                          grouping
    outlet:뉴스스텝  org:NAME  firm:NAME  type:contract  from:2024-01-01  to:2024-12-31
    kind:press_release  kind:article   a press release (보도자료) or a news article
    field:"value with spaces"      inside quotes \" is a quote and \\ a backslash
    amount>=10억  amount<"300만 달러"   an achievement with such an amount (>=, >, <=, <, =;
                                   a bare number is in won)
    orgkind:firm                   names an organisation of that kind (firm, government, public,
                                   university, association, media, other; 기업, 공공기관 …)

Words are analysed like the indexed text (particles dropped: 아이티스테이션은 = 아이티스테이션);
a word of several terms (a compound name) also matches with a suffix attached, so
전북디지털융합센터 finds 전북디지털융합센터장. Operators are the upper-case words AND, OR, NOT. Dates may be YYYY, YYYY-MM or YYYY-MM-DD;
`to:` includes its whole day (month, year). A query of filters only is valid.

Safety: user text never reaches SQL. Filter values are bound parameters; search words are
analysed into terms (nlp.terms) and every term is written as a quoted FTS5 string, so FTS5
operators (NEAR, *, ^, column filters) typed by a user are just text. The FTS5 expression
itself is bound to MATCH as a parameter too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Callable, Union

from index.base import QueryError
from index.common import FACET_COLUMN, FACET_FIELDS, KINDS, facet_token

FIELDS = ("outlet", "org", "firm", "type", "from", "to", "amount", "kind", "orgkind")
KIND_ALIASES = {"press-release": "press_release", "release": "press_release", "보도자료": "press_release",
                "news": "article", "기사": "article"}
AMOUNT_OPS = (">=", "<=", ">", "<", "=")
ORG_KINDS = ("firm", "government", "public", "university", "association", "media", "other")
ORG_KIND_WORDS = {"기업": "firm", "정부": "government", "지자체": "government", "공공기관": "public",
                  "대학": "university", "협회": "association", "단체": "association", "언론": "media",
                  "기타": "other"}
ACHIEVEMENT_TYPES = (
    "contract", "selection", "award", "revenue", "export", "investment", "hiring",
    "ip", "certification", "partnership", "launch", "funding",
)
MAX_QUERY_CHARS = 1000
MAX_DEPTH = 32
MAX_WORDS = 64

# FTS5 columns of the index (see index/schema.py): positional terms and joined compounds.
TOKEN_COLUMNS = "{title_t body_t}"

# Legal-form markers dropped from org:/firm: values, as the NLP stage drops them from names.
_LEGAL_FORMS = re.compile(
    r"㈜|㈔|[(（]\s*(?:주|유|사|재|합)\s*[)）]|주식회사|유한회사|유한책임회사|합자회사|"
    r"농업회사법인|영농조합법인|사단법인|재단법인"
)
_FIELD_START = re.compile(r"([A-Za-z_]+):")
_AMOUNT_START = re.compile(r"(amount)(>=|<=|>|<|=)", re.IGNORECASE)
_OPERATORS = {"AND", "OR", "NOT"}


# ---------------------------------------------------------------- AST


@dataclass(frozen=True)
class Word:
    text: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Phrase:
    text: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


Node = Union[Word, Phrase, Field, Not, And, Or]


# ---------------------------------------------------------------- lexer


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD PHRASE FIELD LPAREN RPAREN AND OR NOT MINUS
    value: str
    pos: int  # 1-based
    name: str = ""  # field name for FIELD


def _err(message: str) -> QueryError:
    return QueryError(message)


def _read_phrase(text: str, i: int) -> tuple[str, int]:
    """Phrase starting at the quote at i; returns (content, index after the closing quote).
    Inside, `\"` is a quote and `\\` a backslash (an outlet may be named with a quote)."""
    out: list[str] = []
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch == "\\" and j + 1 < len(text) and text[j + 1] in '"\\':
            out.append(text[j + 1])
            j += 2
            continue
        if ch == '"':
            return "".join(out), j + 1
        out.append(ch)
        j += 1
    raise _err(f"unbalanced quote at position {i + 1}")


def _read_field_value(text: str, i: int) -> tuple[str, int]:
    """Unquoted field value: up to whitespace or a quote; `)` ends it only outside its own `(…)`,
    so `firm:(주)텔로스` keeps its marker and `(outlet:뉴스스텝)` still closes its group."""
    depth = 0
    j = i
    while j < len(text):
        ch = text[j]
        if ch.isspace() or ch == '"':
            break
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return text[i:j], j


def _lex(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(_Tok("LPAREN", ch, i + 1))
            i += 1
        elif ch == ")":
            tokens.append(_Tok("RPAREN", ch, i + 1))
            i += 1
        elif ch == '"':
            content, j = _read_phrase(text, i)
            tokens.append(_Tok("PHRASE", content, i + 1))
            i = j
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace():
            tokens.append(_Tok("MINUS", ch, i + 1))  # -word, -"phrase", -(group), -field:v
            i += 1
        else:
            match = _FIELD_START.match(text, i) or _AMOUNT_START.match(text, i)
            if match:
                name = match.group(1).lower()
                operator = match.group(2) if match.re is _AMOUNT_START else ""
                j = match.end()
                if j < n and text[j] == '"':
                    value, j = _read_phrase(text, j)
                else:
                    value, j = _read_field_value(text, j)
                tokens.append(_Tok("FIELD", operator + value if operator or name != "amount" else value, i + 1, name))
                i = j
                continue
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            kind = word if word in _OPERATORS else "WORD"
            tokens.append(_Tok(kind, word, i + 1))
            i = j
    return tokens


# ---------------------------------------------------------------- parser

_OPERAND_STARTS = {"WORD", "PHRASE", "FIELD", "LPAREN", "NOT", "MINUS"}


def _check_date(value: str, name: str, pos: int) -> None:
    if _date_bounds(value) is None:
        raise _err(
            f"bad date '{value}' for {name}: at position {pos} (use YYYY-MM-DD, YYYY-MM or YYYY)"
        )


def _make_field(tok: _Tok) -> Field:
    name, value, pos = tok.name, tok.value.strip(), tok.pos
    if name not in FIELDS:
        raise _err(
            f"unknown field '{name}' at position {pos} (fields: {', '.join(FIELDS)})"
        )
    if not value:
        raise _err(f"field '{name}:' at position {pos} has no value")
    if name == "orgkind":
        value = ORG_KIND_WORDS.get(value, value.lower())
        if value not in ORG_KINDS:
            raise _err(f"unknown organisation kind '{value}' at position {pos} (kinds: {', '.join(ORG_KINDS)})")
    if name in ("from", "to"):
        _check_date(value, name, pos)
    if name == "amount":
        value = _amount_value(value, pos)
    if name == "kind":
        value = KIND_ALIASES.get(value.lower(), value.lower())
        if value not in KINDS:
            raise _err(f"unknown kind '{value}' at position {pos} (kinds: {', '.join(KINDS)})")
    if name == "type":
        value = value.lower()
        if value not in ACHIEVEMENT_TYPES:
            raise _err(
                f"unknown achievement type '{value}' at position {pos} "
                f"(types: {', '.join(ACHIEVEMENT_TYPES)})"
            )
    return Field(name, value, pos)


def _amount_value(value: str, pos: int) -> str:
    """`>=10억` → `>= 1000000000 KRW` (operator, value, unit), or QueryError."""
    operator = next((op for op in AMOUNT_OPS if value.startswith(op)), None)
    if operator is None:
        raise _err(f"amount at position {pos} needs a comparison: amount>=10억, amount<5000만 …")
    text = value[len(operator):].strip()
    amount = _parse_amount(text)
    if amount is None:
        raise _err(f"bad amount '{text}' at position {pos} (e.g. 10억, 3억5천만 원, 300만 달러)")
    number, unit = amount
    return f"{operator} {number} {unit}"


def _parse_amount(text: str) -> tuple[int | float, str] | None:
    from nlp.amounts import korean_number, parse_amount

    if not text:
        return None
    for candidate in (text, text + " 원"):
        found = parse_amount(candidate)
        if found is not None:
            return found.value, found.unit
    try:
        return korean_number(text), "KRW"
    except ValueError:
        return None


class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0
        self.words = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self) -> _Tok | None:
        tok = self.peek()
        self.i += 1
        return tok

    def starts_operand(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind in _OPERAND_STARTS

    def conjunction(self, depth: int) -> list[Node]:
        items: list[Node] = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind == "RPAREN":
                return items
            if tok.kind == "AND":
                self.next()
                if not items:
                    raise _err(f"AND at position {tok.pos} has nothing before it")
                if not self.starts_operand():
                    raise _err(f"AND at position {tok.pos} has nothing after it")
                continue
            if tok.kind == "OR":
                raise _err(f"OR at position {tok.pos} has nothing before it")
            items.append(self.disjunction(depth))

    def disjunction(self, depth: int) -> Node:
        children = [self.unary(depth)]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.next()
            if not self.starts_operand():
                raise _err(f"OR at position {tok.pos} has nothing after it")
            children.append(self.unary(depth))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def unary(self, depth: int) -> Node:
        tok = self.peek()
        assert tok is not None
        if tok.kind in ("NOT", "MINUS"):
            self.next()
            if not self.starts_operand():
                raise _err(f"{tok.value} at position {tok.pos} has nothing after it")
            if depth >= MAX_DEPTH:
                raise _err(f"query nests too deeply at position {tok.pos}")
            return Not(self.unary(depth + 1))
        return self.primary(depth)

    def primary(self, depth: int) -> Node:
        tok = self.next()
        assert tok is not None
        if tok.kind == "LPAREN":
            if depth >= MAX_DEPTH:
                raise _err(f"query nests too deeply at position {tok.pos}")
            items = self.conjunction(depth + 1)
            close = self.next()
            if close is None or close.kind != "RPAREN":
                raise _err(f"unbalanced parenthesis at position {tok.pos}")
            if not items:
                raise _err(f"empty parentheses at position {tok.pos}")
            return items[0] if len(items) == 1 else And(tuple(items))
        self.words += 1
        if self.words > MAX_WORDS:
            raise _err(f"too many words (more than {MAX_WORDS}) at position {tok.pos}")
        if tok.kind == "WORD":
            return Word(tok.value, tok.pos)
        if tok.kind == "PHRASE":
            if not tok.value.strip():
                raise _err(f"empty phrase at position {tok.pos}")
            return Phrase(tok.value.strip(), tok.pos)
        if tok.kind == "FIELD":
            return _make_field(tok)
        raise _err(f"unexpected '{tok.value}' at position {tok.pos}")  # pragma: no cover


def parse(query: str) -> Node:
    """The AST of a query, or QueryError naming the first problem."""
    if not isinstance(query, str):
        raise _err("query must be text")
    if len(query) > MAX_QUERY_CHARS:
        raise _err(f"query is too long ({len(query)} characters; the limit is {MAX_QUERY_CHARS})")
    if "\x00" in query:
        raise _err(f"query contains a NUL character at position {query.index(chr(0)) + 1}")
    parser = _Parser(_lex(query))
    items = parser.conjunction(0)
    extra = parser.peek()
    if extra is not None:  # only a stray ')' stops the top-level conjunction early
        raise _err(f"unbalanced parenthesis at position {extra.pos}")
    if not items:
        raise _err("empty query")
    return items[0] if len(items) == 1 else And(tuple(items))


# ---------------------------------------------------------------- compiler


@dataclass(frozen=True)
class TermMatch:
    """One way a search word can match an article.

    `anywhere=False`: the terms adjacent, in order, in the title or body terms (a phrase);
    `anywhere=True`: one key (a term or a joined compound) in any indexed column.
    `prefix`: the last term may continue (전북디지털융합센터 → 전북디지털융합센터장).
    """

    terms: tuple[str, ...]
    anywhere: bool
    prefix: bool = False


@dataclass(frozen=True)
class _Text:
    """A search word or phrase resolved to the ways it matches, and snippet patterns."""

    alternatives: tuple[TermMatch, ...]
    patterns: tuple[str, ...]

    @property
    def fts(self) -> str:
        """The FTS5 expression (every term a quoted FTS5 string)."""
        parts = []
        for alt in self.alternatives:
            star = "*" if alt.prefix else ""
            if alt.anywhere:
                parts.append(fts_string(alt.terms[0]) + star)
            else:
                parts.append(f"{TOKEN_COLUMNS} : {fts_string(' '.join(alt.terms))}{star}")
        return "(" + " OR ".join(parts) + ")"

    @property
    def tsquery(self) -> str:
        """The PostgreSQL tsquery text (every term a quoted lexeme; weights A and D are the
        title and body terms, B and C their compounds: see index/pg_schema.py)."""
        return self.render_tsquery(title_only=False)

    def render_tsquery(self, title_only: bool) -> str:
        """tsquery text; `title_only` restricts every term to the title's weights (A, B)."""
        terms_w, any_w = ("A", "AB") if title_only else ("AD", "")
        parts = []
        for alt in self.alternatives:
            if alt.anywhere:
                label = ("*" if alt.prefix else "") + any_w
                parts.append(ts_lexeme(alt.terms[0]) + (":" + label if label else ""))
            else:
                last = len(alt.terms) - 1
                parts.append("(" + " <-> ".join(
                    ts_lexeme(t) + (":*" if alt.prefix and i == last else ":") + terms_w
                    for i, t in enumerate(alt.terms)
                ) + ")")
        return "(" + " | ".join(parts) + ")"


@dataclass
class Compiled:
    """What a back end runs: a full-text expression to rank by (FTS5 MATCH text for SQLite,
    tsquery text for PostgreSQL), SQL filters over `a` (articles) with `?` parameters, and
    regex patterns for highlighting snippets."""

    match: str | None
    where: str
    params: list
    patterns: list[str]
    texts: list[_Text] = field(default_factory=list)  # positive words, for ranking
    # a from:/to: range or an outlet applies to every match: an index of article_meta to drive by
    # (SQLite then looks the words' matches up rather than reading article_meta by each of them)
    indexed: bool = False
    # SQLite: `where` with its top-level org:/type:/amount: filters as probes (None: it has none);
    # both back ends: the seqs SELECT of a query that is nothing but one such filter.
    probe_where: str | None = None
    probe_params: list = field(default_factory=list)
    lone_membership: tuple[str, list] | None = None
    # the [from, to) strings every match's published_at lies in (top-level from:/to:), or None
    date_range: tuple[str | None, str | None] | None = None
    # PostgreSQL: the positive words of a query that is words ANDed and nothing else (negations
    # aside), whose planner figure multiplies their shares as if they were independent
    conjuncts: tuple[_Text, ...] | None = None
    # PostgreSQL: the values of the top-level outlet: filters (every match is in each one's rows)
    outlets: tuple[str, ...] = ()

    @property
    def rank_tsquery(self) -> str | None:
        """PostgreSQL: the positive words OR-ed, to rank by (ts_rank ignores negations)."""
        return " | ".join(t.tsquery for t in self.texts) or None


def fts_string(text: str) -> str:
    """`text` as one FTS5 string literal: everything inside is literal."""
    return '"' + text.replace('"', '""') + '"'


def ts_lexeme(text: str) -> str:
    """`text` as one quoted tsquery lexeme: quotes doubled, backslashes escaped."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def canonical_org(value: str) -> list[str]:
    """Names an org:/firm: value may be stored under (as typed, without spaces or legal forms)."""
    plain = re.sub(r"\s+", "", value)
    bare = re.sub(r"\s+", "", _LEGAL_FORMS.sub("", value))
    return list(dict.fromkeys(name for name in (plain, bare) if name))


def _date_bounds(value: str) -> tuple[str, str] | None:
    """[start, end) ISO dates of a YYYY, YYYY-MM or YYYY-MM-DD value."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return date(year, 1, 1).isoformat(), date(year + 1, 1, 1).isoformat()
        if day is None:
            start = date(year, int(month), 1)
            end = date(year + (start.month == 12), start.month % 12 + 1, 1)
            return start.isoformat(), end.isoformat()
        start = date(year, int(month), int(day))
        return start.isoformat(), (start + timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        return None


def _gap_pattern(tokens: list[str]) -> str:
    """Regex for terms that sit adjacent in the index but may have particles between them."""
    return r"[^\n]{0,6}?".join(re.escape(t) for t in tokens)


TermsFn = Callable[[str], object]  # returns an object with .tokens and .compounds
ExpandFn = Callable[[str], list[str]]  # a partial name -> organisation names containing it
MIN_PARTIAL = 3  # trigram look-ups need three characters
MAX_EXPANSIONS = 8


@lru_cache(maxsize=4096)
def _default_terms(text: str) -> object:
    """Kiwi analysis of a query word, cached: the same words come back again and again."""
    from nlp.terms import query_word

    return query_word(text)


class Compiler:
    """Turns an AST into a `Compiled` query; `terms` analyses a word like indexed text and
    `expand` (optional; the store's trigram look-up) adds organisation names that contain a
    word, so a partial firm name finds the firm."""

    def __init__(self, terms: TermsFn | None = None, expand: ExpandFn | None = None) -> None:
        self.terms = terms or _default_terms
        self.expand = expand

    # -- words

    def word(self, text: str) -> _Text | None:
        terms = self.terms(text)
        tokens: list[str] = list(terms.tokens)  # type: ignore[attr-defined]
        compounds: list[str] = list(terms.compounds)  # type: ignore[attr-defined]
        if not tokens:
            return None
        key = None
        if len(tokens) == 1:
            key = tokens[0]
        elif len(compounds) == 1 and compounds[0] == "".join(tokens):
            key = compounds[0]
        # A name written as one compound often takes a suffix Kiwi keeps attached
        # (전북디지털융합센터 → 전북디지털융합센터장: …융합 센터장): the terms of a multi-term
        # word match with the last one as a prefix (not a one-letter one: 삼기 read as 삼+기
        # must not become 삼 기업). The joined key stays exact: prefix look-ups of a long
        # compound merge big doclists and find nothing the terms do not.
        prefix = len(tokens) > 1 and len(tokens[-1]) > 1
        alternatives: list[TermMatch] = []
        patterns: list[str] = []
        if len(tokens) > 1:
            alternatives.append(TermMatch(tuple(tokens), anywhere=False, prefix=prefix))
            patterns.append(_gap_pattern(tokens))
        if key is not None:
            # Any column: a compound or single term also meets a name Kiwi split (텔+로스)
            # through the compounds columns, and a whole-token name through the terms.
            alternatives.append(TermMatch((key,), anywhere=True))
            patterns.append(re.escape(key))
        joined = key or "".join(tokens)
        if self.expand is not None and len(joined) >= MIN_PARTIAL:
            names = [n.lower() for n in self.expand(joined)[:MAX_EXPANSIONS]]
            if joined not in names:  # a whole name does not pull in longer ones (삼성전자서비스)
                for name in names:
                    if not (prefix and name.startswith(joined)):
                        alternatives.append(TermMatch((name,), anywhere=True))
                        patterns.append(re.escape(name))
        return _Text(tuple(alternatives), tuple(patterns))

    def phrase(self, text: str) -> _Text | None:
        if len(text.split()) == 1:
            return self.word(text)
        tokens: list[str] = list(self.terms(text).tokens)  # type: ignore[attr-defined]
        if not tokens:
            return None
        return _Text((TermMatch(tuple(tokens), anywhere=False),), (_gap_pattern(tokens),))

    # -- tree

    def resolve(self, node: Node) -> "Node | _Text | None":
        """Replace words and phrases by `_Text`; drop those without searchable terms."""
        if isinstance(node, Word):
            return self.word(node.text)
        if isinstance(node, Phrase):
            return self.phrase(node.text)
        if isinstance(node, Field):
            return node
        if isinstance(node, Not):
            child = self.resolve(node.child)
            return None if child is None else Not(child)  # type: ignore[arg-type]
        children = [c for c in (self.resolve(c) for c in node.children) if c is not None]
        if not children:
            return None
        if len(children) == 1:
            return children[0]
        return type(node)(tuple(children))  # type: ignore[arg-type]

    def fts(self, node: object) -> str | None:
        """FTS5 expression for a subtree of words only, or None if FTS5 cannot express it
        (a filter inside, or a NOT without a positive sibling: FTS5 NOT is binary). An
        outlet:, type: or kind: filter is a token of the facet column (index/common.py)."""
        if isinstance(node, _Text):
            return node.fts
        if isinstance(node, Field) and node.name in FACET_FIELDS:
            return f"{FACET_COLUMN} : {fts_string(facet_token(node.name, node.value))}"
        if isinstance(node, Or):
            parts = [self.fts(c) for c in node.children]
            if any(p is None for p in parts):
                return None
            return "(" + " OR ".join(parts) + ")"  # type: ignore[arg-type]
        if isinstance(node, And):
            positive = [self.fts(c) for c in node.children if not isinstance(c, Not)]
            negative = [self.fts(c.child) for c in node.children if isinstance(c, Not)]
            if not positive or any(p is None for p in positive + negative):
                return None
            expr = "(" + " AND ".join(positive) + ")"  # type: ignore[arg-type]
            if negative:
                expr += " NOT (" + " OR ".join(negative) + ")"  # type: ignore[arg-type]
            return "(" + expr + ")"
        return None

    def text_sql(self, expr: str) -> tuple[str, list]:
        """SQL condition over `a` for a text expression of this dialect."""
        return "a.seq IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)", [expr]

    def not_sql(self, inner: str) -> str:
        # NULL-safe (a missing outlet or date counts as "no"), so NOT is the complement.
        return f"NOT COALESCE(({inner}), 0)"

    def sql(self, node: object) -> tuple[str, list]:
        """SQL condition over `a` (articles) for any subtree."""
        expr = self.fts(node)
        if expr is not None:
            return self.text_sql(expr)
        if isinstance(node, Field):
            return _field_sql(node)
        if isinstance(node, Not):
            inner, params = self.sql(node.child)
            return self.not_sql(inner), params
        if isinstance(node, (And, Or)):
            joiner = " AND " if isinstance(node, And) else " OR "
            parts, params = [], []
            for child in node.children:
                sql, p = self.sql(child)
                parts.append(f"({sql})")
                params.extend(p)
            return joiner.join(parts), params
        raise AssertionError(f"cannot compile {node!r}")  # pragma: no cover

    def compile(self, node: Node) -> Compiled:
        resolved = self.resolve(node)
        if resolved is None:
            raise _err("query has no searchable words")
        clauses = list(resolved.children) if isinstance(resolved, And) else [resolved]
        positive: list[str] = []
        negative: list[str] = []
        where: list[str] = []
        params: list = []
        probes: list[tuple[str, list]] = []   # (sql, params) of every filter, members as probes
        filters: list = []                     # the clauses FTS5 cannot express: SQL over `a`
        # a lone type: filter is counted exactly in its own index (`lone_membership`), not as a token
        lone = _lone_membership(clauses, None) is not None
        months = _whole_months(clauses)
        if months:   # from: and to: bound whole months: the OR of their tokens (index/common.py)
            clauses = [c for c in clauses if not (isinstance(c, Field) and c.name in ("from", "to"))]
            positive.append("(" + " OR ".join(f"{FACET_COLUMN} : {fts_string(facet_token('month', m))}"
                                              for m in months) + ")")
        for clause in clauses:
            target = clause.child if isinstance(clause, Not) else clause
            expr = None if lone else self.fts(target)
            if expr is None:
                filters.append(clause)
                sql, p = self.sql(clause)
                where.append(f"({sql})")
                params.extend(p)
                member = isinstance(clause, Field) and clause.name in MEMBERSHIP_FIELDS
                probes.append(membership_probe(clause) if member else (f"({sql})", p))  # type: ignore[arg-type]
            elif isinstance(clause, Not):
                negative.append(expr)
            else:
                positive.append(expr)
        match = None
        if positive:
            match = " AND ".join(positive)
            if negative:
                match = f"({match}) NOT ({' OR '.join(negative)})"
        elif negative:
            where.append(
                "a.seq NOT IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)"
            )
            params.append(" OR ".join(negative))
            probes.append((where[-1], [params[-1]]))
        patterns: list[str] = []
        _collect_patterns(resolved, True, patterns)
        texts: list[_Text] = []
        _collect_texts(resolved, True, texts)
        compiled = Compiled(match, " AND ".join(where) or "1", params, patterns, texts, _indexed(filters))
        compiled.date_range = _date_range(clauses)
        if any(isinstance(c, Field) and c.name in MEMBERSHIP_FIELDS for c in filters):
            compiled.probe_where = " AND ".join(sql for sql, _ in probes)
            compiled.probe_params = [p for _, ps in probes for p in ps]
            compiled.lone_membership = _lone_membership(clauses, match)
        return compiled


class PgCompiler(Compiler):
    """The same language for PostgreSQL: words become tsquery text (bound to
    `to_tsquery('simple', %s)`), which, unlike FTS5, has a unary NOT, so every word-only
    subtree is one tsquery; filters are the same SQL as for SQLite."""

    def fts(self, node: object) -> str | None:
        if isinstance(node, _Text):
            return node.tsquery
        if isinstance(node, Not):
            inner = self.fts(node.child)
            return None if inner is None else f"!{inner}"
        if isinstance(node, (And, Or)):
            parts = [self.fts(c) for c in node.children]
            if any(p is None for p in parts):
                return None
            joiner = " & " if isinstance(node, And) else " | "
            return "(" + joiner.join(parts) + ")"  # type: ignore[arg-type]
        return None

    def text_sql(self, expr: str) -> tuple[str, list]:
        return "a.tsv @@ to_tsquery('simple', ?)", [expr]

    def not_sql(self, inner: str) -> str:
        return f"NOT COALESCE(({inner}), false)"

    def sql(self, node: object) -> tuple[str, list]:
        """A `type:` filter is tested on the search row's own cell of its achievements' types
        (FACET_SEP-joined; the write path keeps it with the achievements): each word match is
        checked where it is read, instead of every article of the type being listed and hashed
        first (`type:contract GH신소재` on 1,000,000 articles: 100,000 articles hashed for 735
        word matches)."""
        if isinstance(node, Field) and node.name == "type":
            return "strpos(chr(10) || a.achievement_types || chr(10), ?) > 0", [f"\n{node.value}\n"]
        return super().sql(node)

    def compile(self, node: Node) -> Compiled:
        resolved = self.resolve(node)
        if resolved is None:
            raise _err("query has no searchable words")
        clauses = list(resolved.children) if isinstance(resolved, And) else [resolved]
        text: list[str] = []
        where: list[str] = []
        params: list = []
        for clause in clauses:
            expr = self.fts(clause)
            if expr is None:
                sql, p = self.sql(clause)
                where.append(f"({sql})")
                params.extend(p)
            else:
                text.append(expr)
        patterns: list[str] = []
        _collect_patterns(resolved, True, patterns)
        texts: list[_Text] = []
        _collect_texts(resolved, True, texts)
        match = " & ".join(text) if text else None
        compiled = Compiled(match, " AND ".join(where) or "true", params, patterns, texts, _indexed(clauses))
        compiled.lone_membership = _lone_membership(clauses, match)
        compiled.date_range = _date_range(clauses)
        compiled.outlets = tuple(c.value for c in clauses if isinstance(c, Field) and c.name == "outlet")
        if not where and all(isinstance(c, (_Text, Not)) for c in clauses):
            compiled.conjuncts = tuple(c for c in clauses if isinstance(c, _Text)) or None
        return compiled


def _lone_membership(clauses: list, match: str | None) -> tuple[str, list] | None:
    """The seqs SELECT of a query that is one org:/firm:/type:/amount filter and nothing else."""
    if match is None and len(clauses) == 1 and isinstance(clauses[0], Field) \
            and clauses[0].name in MEMBERSHIP_FIELDS:
        return membership_seqs(clauses[0])
    return None


# Filters that name a set of articles kept in another table (achievements, article_orgs): as a
# list (`a.seq IN (…)`) when the set is what drives the search, as a probe of that table's
# primary key (`EXISTS (…)`) when a few word matches drive it (index/sqlite.py chooses).
MEMBERSHIP_FIELDS = ("org", "firm", "type", "amount")


def membership_seqs(node: Field) -> tuple[str, list]:
    """The SELECT of the article seqs a membership filter names (column `seq`)."""
    column, table, condition, params = _membership_parts(node)
    return f"SELECT {column} AS seq FROM {table} WHERE {condition}", params


def membership_probe(node: Field) -> tuple[str, list]:
    """The same filter as a correlated probe of article `a` (its table's primary key leads
    with the article's seq)."""
    column, table, condition, params = _membership_parts(node)
    return f"EXISTS (SELECT 1 FROM {table} WHERE {column} = a.seq AND {condition})", params


def _membership_parts(node: Field) -> tuple[str, str, str, list]:
    if node.name in ("org", "firm"):
        # the stored name, or another spelling merged into it (index/orgmatch.py)
        names = canonical_org(node.value)
        marks = ", ".join("?" for _ in names)
        kind = " AND o.kind = 'firm'" if node.name == "firm" else ""
        alias_kind = " AND al.kind = 'firm'" if node.name == "firm" else ""
        return ("ao.article_seq", "article_orgs ao",
                f"ao.org_id IN (SELECT o.id FROM organizations o WHERE o.name IN ({marks}){kind} UNION "
                f"SELECT al.org_id FROM org_aliases al WHERE al.alias IN ({marks}){alias_kind})",
                names + names)
    if node.name == "type":
        return "x.article_seq", "achievements x", "x.type = ?", [node.value]
    if node.name == "amount":
        operator, number, unit = node.value.split(" ")
        assert operator in AMOUNT_OPS  # checked by the parser
        value = float(number) if "." in number else int(number)
        return "x.article_seq", "achievements x", f"x.amount_unit = ? AND x.amount_value {operator} ?", [unit, value]
    raise AssertionError(f"not a membership filter: {node.name}")  # pragma: no cover


def _field_sql(node: Field) -> tuple[str, list]:
    if node.name in MEMBERSHIP_FIELDS:
        sql, params = membership_seqs(node)
        return f"a.seq IN ({sql})", params
    if node.name == "outlet":
        return "(a.outlet = ? OR a.source = ?)", [node.value] * 2
    if node.name == "orgkind":  # correlated: the kind may cover most articles (firm)
        return ("EXISTS (SELECT 1 FROM article_orgs ao JOIN organizations o ON o.id = ao.org_id "
                "WHERE ao.article_seq = a.seq AND o.kind = ?)", [node.value])
    if node.name == "kind":  # articles.kind (search reads its copy: article_meta, article_search)
        return "a.kind = ?", [node.value]
    bounds = _date_bounds(node.value)
    assert bounds is not None  # checked by the parser
    if node.name == "from":
        return "a.published_at >= ?", [bounds[0]]
    return "a.published_at < ?", [bounds[1]]


def _collect_patterns(node: object, positive: bool, out: list[str]) -> None:
    if isinstance(node, _Text):
        if positive:
            out.extend(p for p in node.patterns if p not in out)
    elif isinstance(node, Not):
        _collect_patterns(node.child, not positive, out)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            _collect_patterns(child, positive, out)


def _indexed(clauses: list) -> bool:
    return any(isinstance(c, Field) and c.name in ("from", "to", "outlet") for c in clauses)


MAX_MONTHS = 36   # a longer range of whole months stays an SQL filter (it selects little)


def _whole_months(clauses: list) -> list[str]:
    """The months (`2024-03`) of the top-level from:/to: range when it has both ends and they
    bound whole months — as `from:2024-03 to:2024-05` and `from:2023 to:2024` do — and spans at
    most MAX_MONTHS; else none."""
    date_range = _date_range(clauses)
    if date_range is None or None in date_range or not all(d.endswith("-01") for d in date_range):  # type: ignore[union-attr]
        return []
    low, high = date_range
    year, month = int(low[:4]), int(low[5:7])  # type: ignore[index]
    months: list[str] = []
    while f"{year:04d}-{month:02d}-01" < high and len(months) <= MAX_MONTHS:  # type: ignore[operator]
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months if len(months) <= MAX_MONTHS else []


def _date_range(clauses: list) -> tuple[str | None, str | None] | None:
    """The narrowest [from, to) of the top-level from:/to: clauses (None without any)."""
    low: str | None = None
    high: str | None = None
    for clause in clauses:
        if isinstance(clause, Field) and clause.name in ("from", "to"):
            bounds = _date_bounds(clause.value)
            assert bounds is not None  # checked by the parser
            if clause.name == "from":
                low = bounds[0] if low is None else max(low, bounds[0])
            else:
                high = bounds[1] if high is None else min(high, bounds[1])
    return None if low is None and high is None else (low, high)


def _collect_texts(node: object, positive: bool, out: list[_Text]) -> None:
    if isinstance(node, _Text):
        if positive and node not in out:
            out.append(node)
    elif isinstance(node, Not):
        _collect_texts(node.child, not positive, out)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            _collect_texts(child, positive, out)


def compile_query(
    query: str, terms: TermsFn | None = None, expand: ExpandFn | None = None
) -> Compiled:
    """Parse and compile for SQLite in one step (QueryError on malformed input)."""
    return Compiler(terms, expand).compile(parse(query))


def compile_pg(query: str, terms: TermsFn | None = None, expand: ExpandFn | None = None) -> Compiled:
    """Parse and compile for PostgreSQL (QueryError on malformed input)."""
    return PgCompiler(terms, expand).compile(parse(query))

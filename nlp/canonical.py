"""One name per organisation: legal forms and spacing removed, known aliases merged."""

from __future__ import annotations

import re

from nlp.lexicon import known_orgs

LEGAL_FORMS = ("농업회사법인", "영농조합법인", "어업회사법인", "영어조합법인", "주식회사", "유한회사",
               "합자회사", "합명회사", "사단법인", "재단법인", "사회적협동조합")
_LEGAL_MARKS = re.compile(
    r"㈜|㈔|㈕|\((?:주|유|사|재|합|농)\)|" + "|".join(LEGAL_FORMS)
)


# Marks that open the items of a list in releases and articles (`▲A(국내주식) ▲B(해외채권)`,
# `▷A ▷B 등 18곳`): glued to a name's first letter, never part of it.
BULLETS = "▲△▶▷►▸■□●○◆◇◎※•∙"
# Quotation marks of Korean news text, straight and typographic, and the angle brackets that quote
# titles (`《…》`, `<…>`).
QUOTES_OPEN = "'‘\"“「『<《〈"
QUOTES_CLOSE = "'’\"”」』>》〉"


def strip_legal_form(name: str) -> str:
    return _LEGAL_MARKS.sub("", name)


# `사` (社, company) glued to a name in Latin letters: `㈜NURIBEL사와`, `ABB사의` — the word for
# a company, not part of the name (anonymised `A사` has one letter and is no name at all).
_COMPANY_WORD = re.compile(r"(?<=[A-Za-z]{2})사$")


def canonical_name(surface: str) -> str:
    """`㈜아이티스테이션` → `아이티스테이션`; `전북자치도` → `전북특별자치도`; `ABB사` → `ABB`."""
    bare = re.sub(r"\s+", "", strip_legal_form(surface)).strip("·,.'\"‘’“”[]()" + BULLETS)
    bare = _COMPANY_WORD.sub("", bare)
    known = known_orgs().get(bare)
    return known.name if known else bare

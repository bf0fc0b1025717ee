"""Name lists the firm model reads as evidence (never as decisions): listed companies, konec
organisation forms, the lexicon's known organisations.

The konec forms come from `data/models/firm/konec_forms.tsv`, written by the firm model's
training command from `data/konec-forms/` with KLUE *train* counts only (a form seen only in
KLUE dev would leak the answer into konec cross-validation) and without forms attested only in
the real-text gold sentences (they would leak the answer into the real-text figures).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.paths import DATA_DIR
from nlp.lexicon import known_orgs, konec_org_kinds, listed_firms

FIRM_MODEL_DIR = DATA_DIR / "models" / "firm"
KONEC_FORMS = FIRM_MODEL_DIR / "konec_forms.tsv"


@dataclass(frozen=True)
class FormLabel:
    kind: str          # firm | government | public | university | association | media | other | none
    share: float       # the majority label's share of the form's uses
    count: int         # uses counted
    firm_share: float = 0.0   # the share of uses labelled a firm (페이스북: mostly a service, often a firm)


_forms_path = KONEC_FORMS


def form_table() -> Path:
    """The konec form table in use (a key for caches of what it says)."""
    return _forms_path


def use_form_table(path: Path) -> None:
    """Read the konec form table from `path` from now on (training writes its own)."""
    global _forms_path
    _forms_path = path
    konec_forms.cache_clear()
    known_name.cache_clear()
    konec_org_kinds.cache_clear()     # read from the table in use
    konec_places.cache_clear()


@lru_cache(maxsize=None)
def konec_forms() -> dict[str, FormLabel]:
    """Form (spaces removed) → its majority kind among konec labels ("none": not an organisation)."""
    table: dict[str, FormLabel] = {}
    path = _forms_path
    if not path.exists():
        return table
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader, None)
        for row in reader:
            form, kind, share, count = row[:4]
            table[form] = FormLabel(kind, float(share), int(count), float(row[4]) if len(row) > 4 else 0.0)
    return table


@lru_cache(maxsize=None)
def konec_places() -> frozenset[str]:
    """Forms (spaces removed) that konec's labellers marked a place — a country, province, city or
    county (LCP_*) — in most of their uses, from `konec_places.tsv` beside the form table in use
    (written with it, by the same leak control). Countries and towns beyond a hand list: `싱가포르
    DBS`, `스위스 SGS사` put a place before a foreign firm's name as `전주 A` does before a local one."""
    path = _forms_path.parent / "konec_places.tsv"
    if not path.exists():
        return frozenset()
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split("\t", 1)[0].strip() for line in list(handle)[1:] if line.strip())


@lru_cache(maxsize=None)
def known_name(bare: str) -> bool:
    """Whether a name (spaces removed) is on any list: proposes it as a candidate."""
    return bare in listed_firms() or bare in known_orgs() or (
        bare in konec_forms() and konec_forms()[bare].kind != "none")

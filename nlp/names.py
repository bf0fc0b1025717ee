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
def known_name(bare: str) -> bool:
    """Whether a name (spaces removed) is on any list: proposes it as a candidate."""
    return bare in listed_firms() or bare in known_orgs() or (
        bare in konec_forms() and konec_forms()[bare].kind != "none")

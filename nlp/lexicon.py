"""Loads the editable word lists under data/lexicon/ (TOML) once per process."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.paths import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicon"
KINDS = ("firm", "government", "public", "university", "association", "media", "other")


class LexiconError(ValueError):
    """A word list that cannot be read; names the file."""


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LexiconError(f"{path}: {error}") from None


@dataclass(frozen=True)
class KnownOrg:
    name: str
    kind: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=None)
def known_orgs() -> dict[str, KnownOrg]:
    """Every spelling (canonical or alias, spaces removed) → its organisation."""
    table: dict[str, KnownOrg] = {}
    for item in _load_toml(LEXICON_DIR / "organizations.toml").get("org", []):
        kind = item.get("kind")
        if kind not in KINDS:
            raise LexiconError(f"organizations.toml: {item.get('name')!r} has unknown kind {kind!r}")
        org = KnownOrg(item["name"], kind, tuple(item.get("aliases", ())))
        for spelling in (org.name, *org.aliases):
            table[spelling.replace(" ", "")] = org
    return table


@dataclass(frozen=True)
class SuffixRules:
    by_suffix: dict[str, str]           # suffix → kind, longest first when iterated
    place_suffixes: frozenset[str]
    min_length: dict[str, int]
    titles: tuple[str, ...]             # longest first
    not_names: frozenset[str]
    not_datelines: frozenset[str]
    event_words: tuple[str, ...]
    branch_words: tuple[str, ...] = ()           # longest first
    distinct_firm_suffixes: tuple[str, ...] = ()
    coop_association_ends: tuple[str, ...] = ()   # longest first
    local_coops: tuple[str, ...] = ()           # short names' endings of local cooperatives: firms
    not_suffix_ends: tuple[str, ...] = ()        # with the division words: neither ends in a suffix
    division_words: tuple[str, ...] = ()         # a division (`…사업부`): part of its organisation, none of its own
    self_telling: tuple[str, ...] = ()          # suffixes that decide whatever the head
    club_endings: tuple[str, ...] = ()          # sports clubs (…FC, …와이번스): other, by rule only
    shared_heads: tuple[str, ...] = ()          # longest first: `삼성·한화·교보생명` shares 생명
    trade_suffixes: tuple[str, ...] = ()        # longest first: `미래+산업`, `빅+테크` name a trade
    fund_brands: tuple[str, ...] = ()           # `KODEX …`, `TIGER …`: an exchange-traded fund's name
    fund_families: frozenset[str] = frozenset()  # brands that name a family of funds even alone
    # not_names of three letters or more, which stop a longer word that ends in them from being a
    # name (`SW강소기업`), less `[not_names] name_endings`, which may end one (`…미디어`)
    not_name_endings: tuple[str, ...] = ()


@lru_cache(maxsize=None)
def suffix_rules() -> SuffixRules:
    data = _load_toml(LEXICON_DIR / "org_suffixes.toml")
    by_suffix: dict[str, str] = {}
    for kind, suffixes in data["kinds"].items():
        if kind not in KINDS:
            raise LexiconError(f"org_suffixes.toml: unknown kind {kind!r}")
        for suffix in suffixes:
            by_suffix.setdefault(suffix, kind)
    local_coops = tuple(data.get("cooperatives", {}).get("local", ()))
    for suffix in local_coops:
        by_suffix.setdefault(suffix, "firm")
    ordered = dict(sorted(by_suffix.items(), key=lambda kv: -len(kv[0])))
    return SuffixRules(
        by_suffix=ordered,
        place_suffixes=frozenset(data["place_suffixes"]["list"]),
        min_length=dict(data.get("min_length", {})),
        titles=tuple(sorted(data["titles"]["list"], key=len, reverse=True)),
        not_names=frozenset(data["not_names"]["list"]),
        not_name_endings=tuple(w for w in data["not_names"]["list"]
                               if len(w) >= 3 and w not in data["not_names"].get("name_endings", ())),
        not_datelines=frozenset(data.get("not_datelines", {}).get("list", ())),
        event_words=tuple(data.get("event_words", {}).get("list", ())),
        branch_words=_longest_first(data.get("branch_words", {}).get("list", ())),
        distinct_firm_suffixes=tuple(data.get("distinct_firm_suffixes", {}).get("list", ())),
        coop_association_ends=_longest_first(data.get("cooperatives", {}).get("association_ends", ())),
        local_coops=local_coops,
        not_suffix_ends=tuple(data.get("not_suffix_ends", {}).get("list", ()))
        + tuple(data.get("division_words", {}).get("list", ())),
        division_words=tuple(data.get("division_words", {}).get("list", ())),
        self_telling=tuple(data.get("self_telling", {}).get("list", ())),
        club_endings=_longest_first(data.get("clubs", {}).get("endings", ())),
        shared_heads=_longest_first(data.get("shared_heads", {}).get("list", ())),
        trade_suffixes=_longest_first(data.get("trade_suffixes", {}).get("list", ())),
        fund_brands=_longest_first(data.get("fund_brands", {}).get("list", ())),
        fund_families=frozenset(data.get("fund_brands", {}).get("families", ())),
    )


def _longest_first(words) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def place_stems() -> dict[str, frozenset[str]]:
    """The stems of Korea's local governments by the suffix they take (data/lexicon/places.toml):
    `시` cities, `군` counties, `도` provinces."""
    data = _load_toml(LEXICON_DIR / "places.toml")
    return {"시": frozenset(data["cities"]), "군": frozenset(data["counties"]), "도": frozenset(data["provinces"])}


@lru_cache(maxsize=None)
def listed_firms() -> frozenset[str]:
    """Listed-company names (KRX gazetteer), spaces removed, less those that are ordinary words
    (nlp/kiwi.ordinary_word_names: `미래산업`, `디바이스`), which the list cannot tell from the word."""
    from nlp.kiwi import ordinary_word_names

    return listed_names() - ordinary_word_names()


@lru_cache(maxsize=None)
def listed_names() -> frozenset[str]:
    """Every listed-company name of the KRX gazetteer, spaces removed."""
    return frozenset(row["name"].replace(" ", "") for row in _listed_companies())


@lru_cache(maxsize=None)
def listed_codes() -> frozenset[str]:
    """The six-digit stock codes of the listed companies (KRX gazetteer)."""
    return frozenset(row["stock_code"] for row in _listed_companies() if row.get("stock_code"))


@lru_cache(maxsize=1)
def _listed_companies() -> tuple[dict[str, str], ...]:
    """The gazetteer's rows of companies (not its funds), read once."""
    path = DATA_DIR / "gazetteer" / "krx_companies.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(row for row in csv.DictReader(handle) if row.get("kind") == "company")


# konec fine labels → our kinds (only the organisation labels say anything about kind).
KONEC_KINDS = {
    "OGG_ECONOMY": "firm",
    "OGG_POLITICS": "government",
    "OGG_EDUCATION": "university",
    "OGG_MEDIA": "media",
    "OGG_MEDICINE": "other",
    "OGG_RELIGION": "other",
    "OGG_SPORTS": "other",
    "OGG_ART": "other",
    "OGG_SCIENCE": "public",
    "OGG_LIBRARY": "public",
    "OGG_LAW": "government",
    "OGG_MILITARY": "government",
    "OGG_FOOD": "firm",
    "OGG_HOTEL": "firm",
}


@lru_cache(maxsize=None)
def konec_org_kinds() -> dict[str, str]:
    """Entity forms whose usual konec label is an organisation label (≥ 60% of uses) → kind.

    Read from the firm model's leak-controlled table (nlp/names.py): KLUE *train* counts only,
    without names known only from the real-text gold sentences, so that neither konec
    cross-validation nor the real-text figures are helped by their own answers.
    A firm form seen fewer than three times that is an ordinary word (`커리어`, a job portal's name
    once in KLUE and "career" in 7 regional articles of 3,371) says nothing by itself.
    """
    from nlp.kiwi import ordinary_word
    from nlp.names import konec_forms

    return {form: label.kind for form, label in konec_forms().items()
            if label.kind != "none" and label.share >= 0.6 and len(form) >= 2
            and not (label.kind == "firm" and label.count < 3 and ordinary_word(form))}

"""The NLP stage as a spaCy pipeline: Kiwi tokenizer → NER → organisations → achievements →
programmes.

`analyze_text` is what `newsmine extract` and the crawl's enrich step call; it returns the
JSON contract of DESIGN.md (plus `group_achievements`, kept apart from firm achievements).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import lru_cache
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import nlp.tokenizer  # noqa: F401  (registers the Kiwi tokenizer)
from nlp.achievements import find_achievements
from nlp.ner.component import add_ner
from nlp.orgs import find_organizations
from nlp.programmes import attach_programmes

for _name, _default in (("published", None), ("outlets", ()), ("organizations", None),
                        ("achievements", None), ("group_achievements", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class OrganizationsComponent:
    """Organisations of the Doc: the rules, and the firm model when one is used."""

    def __init__(self, use_model: bool):
        self.use_model = use_model

    def __call__(self, doc: Doc) -> Doc:
        from nlp.firm_model import load_model

        entities = doc._.ner_spans or []   # set by newsmine_ner; empty without it
        model = load_model() if self.use_model else None
        orgs = find_organizations(_text(doc), doc._.kiwi_tokens or [], doc._.outlets or (), entities,
                                  sentences=doc._.kiwi_sentences, model=model)
        _set_organizations(doc, orgs)
        return doc


@Language.factory("newsmine_orgs", default_config={"use_model": True})
def make_organizations(nlp: Language, name: str, use_model: bool) -> OrganizationsComponent:
    """Organisation recognition; `use_model` False runs the rules (and NER spans) alone."""
    return OrganizationsComponent(use_model)


def _text(doc: Doc) -> str:
    """The Doc's text, as the Kiwi tokenizer saw it (reading doc.text rebuilds it each time)."""
    text = doc._.kiwi_text
    return doc.text if text is None else text


def _set_organizations(doc: Doc, orgs: list) -> None:
    doc._.organizations = orgs
    spans = []
    for org in orgs:
        for start, end in org.mentions:
            span = doc.char_span(start, end, label=org.kind, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.spans["orgs"] = spans


@Language.component("newsmine_achievements")
def achievements_component(doc: Doc) -> Doc:
    firm, group = find_achievements(_text(doc), doc._.kiwi_sentences or [], doc._.organizations or [],
                                    doc._.published)
    doc._.achievements = firm
    doc._.group_achievements = group
    return doc


@Language.component("newsmine_programmes")
def programmes_component(doc: Doc) -> Doc:
    """The programme, prize or certificate of each selection, award, certification and funding
    achievement, and the body that runs it (nlp/programmes.py)."""
    attach_programmes(_text(doc), doc._.kiwi_sentences or [], doc._.organizations or [],
                      (doc._.achievements or []) + (doc._.group_achievements or []))
    return doc


def _switch(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() not in ("0", "false", "no", "off")


def firm_model_enabled() -> bool:
    """Whether organisation recognition uses the firm model: `NEWSMINE_FIRM_MODEL=0` turns it off."""
    return _switch("NEWSMINE_FIRM_MODEL", "1")


def ner_enabled() -> bool:
    """Whether the rules-only stage weighs NER spans (`NEWSMINE_NER=0` turns it off). With the
    firm model on, the NER is not run: the model reads context itself."""
    return _switch("NEWSMINE_NER", "1")


@lru_cache(maxsize=6)
def get_nlp(use_ner: bool | None = None, use_model: bool | None = None) -> Language:
    """The pipeline; None follows `firm_model_enabled()` and `ner_enabled()`."""
    from nlp.firm_model import load_model

    model = (firm_model_enabled() if use_model is None else use_model) and load_model() is not None
    pipeline = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "newsmine.kiwi_tokenizer"}}})
    if not model and (ner_enabled() if use_ner is None else use_ner):
        add_ner(pipeline, focus=True)   # only sentences organisation recognition can use
    pipeline.add_pipe("newsmine_orgs", config={"use_model": model})
    pipeline.add_pipe("newsmine_achievements")
    pipeline.add_pipe("newsmine_programmes")
    return pipeline


def parse_published(value: str | None) -> date | None:
    """The publication day from an ISO timestamp or date; None when absent or unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


def analyze_doc(text: str, published: str | None = None, outlets: Iterable[str] = (),
                use_ner: bool | None = None, use_model: bool | None = None) -> Doc:
    pipeline = get_nlp(use_ner, use_model)
    doc = pipeline.make_doc(text)
    doc._.published = parse_published(published)
    doc._.outlets = tuple(o for o in outlets if o)
    for _, component in pipeline.pipeline:
        doc = component(doc)
    return doc


def analyze_text(text: str, published: str | None = None, outlets: Iterable[str] = (),
                 use_ner: bool | None = None, use_model: bool | None = None) -> dict:
    doc = analyze_doc(text, published, outlets, use_ner, use_model)
    return {
        "organizations": [org.to_json() for org in doc._.organizations],
        "achievements": doc._.achievements,
        "group_achievements": doc._.group_achievements,
    }


def enrich_record(record: dict) -> dict:
    """Adds `organizations` and `achievements` (firm ones, then group ones with scope "group")."""
    _enrich(record)
    return record


def enrich_record_with_terms(record: dict) -> tuple[dict, list]:
    """`enrich_record`, plus the search terms of the title and the body (what the store
    indexes), the body's taken from the same Kiwi analysis: a crawl then runs Kiwi over each
    body once, not twice (the tokens are identical to a separate pass)."""
    from nlp.terms import analyze, terms_from_tokens

    doc = _enrich(record)
    return record, [analyze(record.get("title") or ""), terms_from_tokens(doc._.kiwi_tokens or [])]


def _enrich(record: dict) -> Doc:
    """Crawl and ingest store bodies already cut to nlp.bounds; a body stored before that bound
    (a reindex) is analysed up to it too."""
    from nlp.bounds import cap_text

    outlet = record.get("outlet")
    body, _ = cap_text(record.get("body") or "")
    doc = analyze_doc(body, record.get("published_at"), (outlet,) if outlet else ())
    record["organizations"] = [org.to_json() for org in doc._.organizations]
    record["achievements"] = ([{**a, "scope": "firm"} for a in doc._.achievements]
                              + [{**a, "scope": "group"} for a in doc._.group_achievements])
    return doc

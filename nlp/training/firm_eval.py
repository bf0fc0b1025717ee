"""Firm scores of a firm model on labelled sentences (konec cross-validation, real-text dev)."""

from __future__ import annotations

from nlp.evaluate_extract import normalize_name, prf
from nlp.sentences import split_sentences
from nlp.training.firm_data import LabelledSentence


def konec_firm_scores(model, sentences: list[LabelledSentence]) -> dict:  # type: ignore[no-untyped-def]
    """Per-sentence sets of firm names (legal forms and spaces removed) against konec's firms,
    with the whole organisation stage (rules + `model`)."""
    from nlp.kiwi import get_kiwi
    from nlp.orgs import find_organizations

    kiwi = get_kiwi()
    tp = fp = fn = 0
    errors = []
    for sentence in sentences:
        text = sentence.text
        gold = {normalize_name(text[s:e]) for s, e, cls in sentence.spans if cls == "firm"}
        sentences_ = split_sentences(kiwi, text)
        tokens = [t for s in sentences_ for t in s.tokens]
        orgs = find_organizations(text, tokens, sentences=sentences_, model=model)
        predicted = {normalize_name(o.name) for o in orgs if o.kind == "firm"}
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        if gold != predicted:
            errors.append({"text": text[:90], "missed": sorted(gold - predicted), "spurious": sorted(predicted - gold)})
    return {**prf(tp, fp, fn), "sentences": len(sentences), "errors": errors[:400]}

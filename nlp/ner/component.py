"""spaCy component `newsmine_ner`: the shipped CRF sets `doc.ents` from the Doc's Kiwi tokens.

Add it after the Kiwi tokenizer with `add_ner(nlp)` (or `nlp.add_pipe("newsmine_ner", first=True)`).
Spans that do not fall on spaCy token boundaries are expanded to whole tokens; overlaps
(none are expected from a BIO tagger) keep the first.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan

from nlp.ner.model import NerModel, get_model


class NerComponent:
    def __init__(self, model: NerModel):
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        tokens = doc._.kiwi_tokens
        if tokens is None:  # a Doc not made by the Kiwi tokenizer: tokenise its text
            from nlp.kiwi import get_kiwi

            tokens = get_kiwi().tokenize(doc.text) if doc.text else []
        ents: list[SpacySpan] = []
        taken: set[int] = set()
        for start, end, label in self.model.predict_tokens(doc.text, tokens):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            ents.append(span)
        doc.ents = ents
        return doc


@Language.factory("newsmine_ner", default_config={"model_dir": None})
def make_ner(nlp: Language, name: str, model_dir: str | None) -> NerComponent:
    """The CRF tagger; `model_dir` None means the shipped data/models/ner-crf."""
    return NerComponent(get_model(model_dir))


def add_ner(nlp: Language, model_dir: str | None = None) -> Language:
    """Put `newsmine_ner` first in the pipeline (right after the tokenizer), once."""
    if "newsmine_ner" not in nlp.pipe_names:
        nlp.add_pipe("newsmine_ner", first=True, config={"model_dir": model_dir})
    return nlp

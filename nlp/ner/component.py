"""spaCy component `newsmine_ner`: the shipped CRF sets `doc.ents` from the Doc's Kiwi tokens.

Add it after the Kiwi tokenizer with `add_ner(nlp)` (or `nlp.add_pipe("newsmine_ner", first=True)`);
the NLP stage (nlp/pipeline.py) adds it with `focus=True`.
Spans that do not fall on spaCy token boundaries are expanded to whole tokens; overlaps
(none are expected from a BIO tagger) keep the first.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan

from nlp.ner.model import NerModel, get_model

if not Doc.has_extension("ner_spans"):
    Doc.set_extension("ner_spans", default=None)


class NerComponent:
    """Tags every sentence, or with `focus` only those organisation recognition can use."""

    def __init__(self, model: NerModel, focus: bool = False):
        self.model = model
        self.focus = focus

    def __call__(self, doc: Doc) -> Doc:
        spans = self.predict(doc)
        doc._.ner_spans = spans     # character spans: reading doc.ents back walks every token
        doc.ents = self.entities(doc, spans)
        return doc

    def predict(self, doc: Doc) -> list[tuple[int, int, str]]:
        sentences = doc._.kiwi_sentences
        if self.focus and sentences is not None:
            from nlp.ner_orgs import sentence_matters

            return [span for s in sentences if sentence_matters(s)
                    for span in self.model.predict_tokens(doc.text, s.tokens)]
        tokens = doc._.kiwi_tokens
        if tokens is None:  # a Doc not made by the Kiwi tokenizer: tokenise its text
            from nlp.kiwi import get_kiwi

            tokens = get_kiwi().tokenize(doc.text) if doc.text else []
        return self.model.predict_tokens(doc.text, tokens)

    @staticmethod
    def entities(doc: Doc, spans: list[tuple[int, int, str]]) -> list[SpacySpan]:
        ents: list[SpacySpan] = []
        taken: set[int] = set()
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            ents.append(span)
        return ents


@Language.factory("newsmine_ner", default_config={"model_dir": None, "focus": False})
def make_ner(nlp: Language, name: str, model_dir: str | None, focus: bool) -> NerComponent:
    """The CRF tagger; `model_dir` None means the shipped data/models/ner-crf. With `focus`
    it tags only sentences that organisation recognition can use (nlp.ner_orgs.sentence_matters),
    which keeps the NLP stage fast; `doc.ents` then covers those sentences only."""
    return NerComponent(get_model(model_dir), focus)


def add_ner(nlp: Language, model_dir: str | None = None, focus: bool = False) -> Language:
    """Put `newsmine_ner` first in the pipeline (right after the tokenizer), once."""
    if "newsmine_ner" not in nlp.pipe_names:
        nlp.add_pipe("newsmine_ner", first=True, config={"model_dir": model_dir, "focus": focus})
    return nlp


def entity_records(text: str) -> list[dict]:
    """Every entity of `text` (all sentences, unlike the NLP stage's focused tagging) as JSON
    records `{"label", "text", "span": [start, end]}`, for `newsmine extract --entities`."""
    from nlp.kiwi import get_kiwi

    tokens = get_kiwi().tokenize(text) if text.strip() else []
    return [{"label": label, "text": text[start:end], "span": [start, end]}
            for start, end, label in get_model().predict_tokens(text, tokens)]


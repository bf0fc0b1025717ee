"""A spaCy tokenizer on Kiwi: the Doc's text is exactly the input, tokens are Kiwi morphemes.

spaCy's own Korean tokenizer needs MeCab; this one needs only kiwipiepy. Morphemes that
overlap in the surface (했 = 하+었) are merged into one token, zero-length ones folded into
the previous token, and any whitespace other than a single space becomes its own token.
Kiwi's tags stay on `token.tag_`, the morpheme forms on `token.lemma_`, and Kiwi's sentence
split (nlp/sentences: mended where it cuts a quoted opening off) on `token.is_sent_start`.
"""

from __future__ import annotations

from typing import Sequence

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.kiwi import get_kiwi
from nlp.sentences import split_sentences

for _name in ("kiwi_tokens", "kiwi_sentences", "kiwi_text"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class KiwiTokenizer:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return self.make_doc(text, split_sentences(get_kiwi(), text))

    def pipe(self, texts, batch_size: int = 64):  # type: ignore[no-untyped-def]
        kiwi = get_kiwi()
        for text in texts:
            yield self.make_doc(text, split_sentences(kiwi, text))

    def make_doc(self, text: str, sentences: Sequence) -> Doc:
        morphemes = [t for s in sentences for t in s.tokens]
        sent_starts = {s.tokens[0].start for s in sentences if s.tokens}
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        lemmas: list[str] = []
        starts: list[bool] = []
        cursor = 0
        for morph in morphemes:
            begin, end = morph.start, morph.start + morph.len
            if morph.len == 0 or (words and begin < cursor):   # zero-length or overlapping: merge
                if not words:
                    continue
                if end > cursor:
                    words[-1] += text[cursor:end]
                    cursor = end
                tags[-1] += "+" + morph.tag
                lemmas[-1] += "+" + morph.form
                continue
            if begin > cursor:
                gap = text[cursor:begin]
                if gap == " " and words:
                    spaces[-1] = True
                else:
                    words.append(gap)
                    spaces.append(False)
                    tags.append("_SP")
                    lemmas.append(gap)
                    starts.append(False)
            words.append(text[begin:end])
            spaces.append(False)
            tags.append(morph.tag)
            lemmas.append(morph.form)
            starts.append(begin in sent_starts)
            cursor = end
        if cursor < len(text):
            words.append(text[cursor:])
            spaces.append(False)
            tags.append("_SP")
            lemmas.append(text[cursor:])
            starts.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas,
                  sent_starts=[True if i == 0 else s for i, s in enumerate(starts)] if words else None)
        doc._.kiwi_tokens = morphemes
        doc._.kiwi_sentences = list(sentences)
        doc._.kiwi_text = text      # equal to doc.text, which spaCy rebuilds token by token on each read
        return doc

    def to_disk(self, path, **kwargs) -> None:  # type: ignore[no-untyped-def]
        pass

    def from_disk(self, path, **kwargs) -> "KiwiTokenizer":  # type: ignore[no-untyped-def]
        return self

    def to_bytes(self, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "KiwiTokenizer":  # type: ignore[no-untyped-def]
        return self


@spacy.registry.tokenizers("newsmine.kiwi_tokenizer")
def create_kiwi_tokenizer():  # type: ignore[no-untyped-def]
    def make(nlp):  # type: ignore[no-untyped-def]
        return KiwiTokenizer(nlp.vocab)
    return make

"""The Kiwi tokenizer gives spaCy Docs whose text is exactly the input, on real text."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, SEED_TEXT
from nlp.pipeline import get_nlp

KLUE = DATA / "klue-ner" / "dev.jsonl"


def klue_sentences(limit: int) -> list[str]:
    if not KLUE.exists():
        pytest.skip("data/klue-ner/dev.jsonl is not in this checkout")
    with KLUE.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for _, line in zip(range(limit), handle)]


def test_doc_text_equals_input_on_klue_sentences() -> None:
    tokenizer = get_nlp().tokenizer
    for text in klue_sentences(1500):
        doc = tokenizer(text)
        assert doc.text == text
        assert all(token.text for token in doc)


def test_doc_text_equals_input_on_odd_whitespace_and_the_seed() -> None:
    tokenizer = get_nlp().tokenizer
    samples = [SEED_TEXT.read_text(encoding="utf-8"), "  앞 공백과\t탭,\n\n문단  두 칸 ", "", "했다.", "㈜텔로스는"]
    for text in samples:
        assert tokenizer(text).text == text


def test_kiwi_tags_and_sentences_are_kept() -> None:
    doc = get_nlp().tokenizer("㈜텔로스는 선정됐다. 전북자치도는 밝혔다.")
    assert [t.text for t in doc][:4] == ["㈜", "텔로스", "는", "선정"]
    assert doc[1].tag_ == "NNP"
    assert len(list(doc.sents)) == 2

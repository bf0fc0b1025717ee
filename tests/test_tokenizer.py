"""The Kiwi tokenizer gives spaCy Docs whose text is exactly the input, on real text."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, REPO, SEED_TEXT
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


def test_a_sentence_opening_with_a_quoted_name_keeps_it() -> None:
    # Kiwi ends the sentence before at the closing quote (`…했다. ‘새봄마을’` | `은 …`); the
    # quoted phrase belongs to the sentence its particle opens (nlp/sentences).
    text = "한빛식품은 장학금을 기탁했다. ‘새봄마을’은 올해 대상을 받았다.\n‘누리팜’이 문을 열었다."
    doc = get_nlp().tokenizer(text)
    assert [s.text for s in doc._.kiwi_sentences] == \
        ["한빛식품은 장학금을 기탁했다.", "‘새봄마을’은 올해 대상을 받았다.", "‘누리팜’이 문을 열었다."]
    assert [s.text.strip() for s in doc.sents][1].startswith("‘새봄마을’은")


def test_a_sentence_opening_with_a_bracketed_legal_form_keeps_it() -> None:
    # Kiwi ends the sentence before after the bracket (`…선정됐다. (주)` | `새봄식품은 …`): the form
    # belongs to the firm the next sentence opens with, and so does its clause
    text = "우수상에는 (주)한빛정밀이 선정됐다. (주)새봄식품은 도지사 표창을 받았다. (재)누리재단도 왔다."
    doc = get_nlp().tokenizer(text)
    assert [s.text for s in doc._.kiwi_sentences] == \
        ["우수상에는 (주)한빛정밀이 선정됐다.", "(주)새봄식품은 도지사 표창을 받았다.", "(재)누리재단도 왔다."]
    # a bracketed syllable that is no legal form stays where it is
    assert [s.text for s in get_nlp().tokenizer("값은 5천 원(가). 다음 안건이다.")._.kiwi_sentences][0] == "값은 5천 원(가)."


def test_pieces_with_no_sentence_end_before_the_quote_are_one_sentence() -> None:
    # Kiwi's pieces `‘다온팀’` | `은 금상을 받았다.`: nothing before the quote ends a sentence, so the
    # two are one (tokens in Kiwi's shape: form, tag, start, len)
    from types import SimpleNamespace as Token

    from nlp.sentences import mend_quoted_openings

    text = "‘다온팀’은 금상을 받았다."
    first = SimpleSentence([Token(form="‘", tag="SSO", start=0, len=1), Token(form="다온팀", tag="NNP", start=1, len=3),
                            Token(form="’", tag="SSC", start=4, len=1)])
    second = SimpleSentence([Token(form="은", tag="JX", start=5, len=1), Token(form="금상", tag="NNG", start=7, len=2),
                             Token(form=".", tag="SF", start=14, len=1)])
    [whole] = mend_quoted_openings(text, [first, second])
    assert whole.text == text and whole.start == 0 and len(whole.tokens) == 6


class SimpleSentence:
    """A Kiwi sentence's fields, from its tokens."""

    def __init__(self, tokens: list) -> None:
        self.tokens = tokens
        self.start, self.end = tokens[0].start, tokens[-1].start + tokens[-1].len


def test_no_sentence_of_a_real_page_opens_with_a_particle() -> None:
    from nlp.kiwi import get_kiwi
    from nlp.sentences import split_sentences

    pages = sorted((REPO / "tests" / "data" / "realtext").glob("*.jsonl"))   # one such split in them
    texts = [json.loads(line)["text"] for page in pages for line in page.open(encoding="utf-8")]
    assert texts
    for text in texts:
        for sentence in split_sentences(get_kiwi(), text)[1:]:
            assert not sentence.tokens[0].tag.startswith("J"), sentence.text

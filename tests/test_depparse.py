"""The UD Korean-Kaist parser (nlp/depparse): units, Kiwi features, the split, and the trained model."""

from __future__ import annotations

import pytest

from core.errors import UsageError
from nlp.depparse.data import assign_splits, read_conllu, realtext_ud_ids, token_units
from nlp.depparse.features import describe, split_units
from nlp.depparse.model import DEFAULT_MODEL_DIR, Arc, parse_batch, parse_eojeols
from nlp.kiwi import get_kiwi

TREEBANK = ("data/ud-korean/ko_kaist-ud-dev.conllu", "data/ud-korean/ko_kaist-ud-test.conllu")
REALTEXT = ("tests/data/realtext/dev.jsonl", "tests/data/realtext/test.jsonl")


@pytest.fixture(scope="module")
def treebank() -> dict:
    return {s.sent_id: s for path in TREEBANK for s in read_conllu(path)}


def surfaces(text: str) -> list[str]:
    return [text[u.start:u.end] for u in split_units(text)]


# --------------------------------------------------------------------------- units and features

@pytest.mark.parametrize("text, units", [
    ("이제 잠자는 사자가 아니라 놓였다.", ["이제", "잠자는", "사자가", "아니라", "놓였다", "."]),
    ("'해저'이 팔려나갔다.", ["'", "해저", "'", "이", "팔려나갔다", "."]),          # particle after a quote: own unit
    ("때문에, 1.5%와 8,800만 원", ["때문에", ",", "1.5%와", "8,800만", "원"]),        # numbers stay whole
    ("삼성전자·LG전자가 “좋다”고 했다?!", ["삼성전자", "·", "LG전자가", "“", "좋다", "”", "고", "했다", "?", "!"]),
    ("지엠 (GM) 보다", ["지엠", "(", "GM", ")", "보다"]),
])
def test_units_split_punctuation_like_ud_kaist(text: str, units: list[str]) -> None:
    assert surfaces(text) == units


def test_runtime_units_match_the_treebank_tokens(treebank: dict) -> None:
    """The run-time splitter reproduces Kaist's tokens in all but a handful of sentences (B.C., 때문에,)."""
    differ = [s.sent_id for s in treebank.values()
              if [(u.start, u.end) for u in split_units(s.text)] != [(u.start, u.end) for u in token_units(s)]]
    assert len(differ) <= 5, differ


@pytest.mark.parametrize("word, tag, ending, stem", [
    ("관세를", "NNG|JKO", "를", "관세"),
    ("체결했다", "NNG+XSV|EP+EF", "었+다", "체결"),
    ("잠자는", "VV|ETM", "는", "잠자"),
    ("유럽에는", "NNP|JKB+JX", "에+는", "유럽"),
    ("·", "SP", "", ","),
])
def test_features_come_from_kiwi(word: str, tag: str, ending: str, stem: str) -> None:
    features = describe(word, list(get_kiwi().tokenize(word)))
    assert (features.tag, features.ending, features.stem) == (tag, ending, stem)


def test_no_morphemes_gives_a_placeholder_tag() -> None:
    assert describe("x", []).tag == "X"


# --------------------------------------------------------------------------- data and split

def test_split_is_by_document_and_keeps_realtext_out_of_training(treebank: dict) -> None:
    sentences = list(treebank.values())
    quoted = realtext_ud_ids(REALTEXT)
    split = assign_splits(sentences, 0.15, 0.08, quoted)
    heldout_docs = {s.doc_id for s in sentences if split[s.sent_id] == "heldout"}
    other_docs = {s.doc_id for s in sentences if split[s.sent_id] != "heldout"}
    assert heldout_docs and not heldout_docs & other_docs
    assert 0.12 <= sum(v == "heldout" for v in split.values()) / len(sentences) <= 0.18
    assert quoted and all(split[i] in ("heldout", "excluded") for i in quoted if i in split)
    assert split == assign_splits(sentences, 0.15, 0.08, quoted)


def test_bad_conllu_is_a_one_line_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.conllu"
    path.write_text("# sent_id = x-s1\n# text = 가\n1\t가\t가\n\n", encoding="utf-8")
    with pytest.raises(UsageError, match="10 tab-separated columns"):
        read_conllu(path)
    with pytest.raises(UsageError, match="no such CoNLL-U file"):
        read_conllu(tmp_path / "missing.conllu")


# --------------------------------------------------------------------------- the trained model

needs_model = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "config.cfg").is_file(),
                                 reason="no trained parser in data/models/depparse")


@needs_model
@pytest.mark.parametrize("sent_id", ["M2TA_090-s11", "M2TA_089-s33", "M2TA_090-s39"])
def test_heldout_sentence_gets_its_subject_and_object_heads(treebank: dict, sent_id: str) -> None:
    """Simple held-out sentences (documents training never saw): nsubj and obj attach as in gold."""
    sentence = treebank[sent_id]
    arcs = parse_eojeols(sentence.text)
    assert [(a.start, a.end) for a in arcs] == [(u.start, u.end) for u in token_units(sentence)]
    for i, token in enumerate(sentence.tokens):
        if token.deprel in ("nsubj", "obj"):
            assert (arcs[i].head, arcs[i].deprel) == (token.head, token.deprel), (token.form, arcs[i])


@needs_model
def test_offsets_line_up_inside_a_longer_text_with_the_documents_kiwi_tokens() -> None:
    text = "첫 문장이다. 전북도는 19일 ㈜한빛소프트·대한전자와 “AI 협약”을 체결했다고 밝혔다. 끝."
    start = text.index("전북도는")
    end = text.index("끝.") - 1
    tokens = [t for s in get_kiwi().split_into_sents(text, return_tokens=True) for t in s.tokens]
    arcs = parse_eojeols(text, start, end, tokens)
    assert [text[a.start:a.end] for a in arcs] == surfaces(text[start:end])
    assert all(start <= a.start < a.end <= end for a in arcs)
    assert all(-1 <= a.head < len(arcs) and a.head != i for i, a in enumerate(arcs))
    assert sum(a.head == -1 for a in arcs) >= 1 and all(a.deprel for a in arcs)
    alone = parse_eojeols(text[start:end])          # the span on its own: same units, shifted
    assert [(a.start - start, a.end - start) for a in arcs] == [(a.start, a.end) for a in alone]
    # Kaist heads `X다고 밝혔다` on the quoted verb (밝혔다 is its conj); either way the two are linked
    words = [text[a.start:a.end] for a in arcs]
    quoted, said = words.index("체결했다고"), words.index("밝혔다")
    assert arcs[quoted].head == said or arcs[said].head == quoted
    assert -1 in (arcs[quoted].head, arcs[said].head)


@needs_model
@pytest.mark.parametrize("text", ["", "   \n ", ".", "?!…", "ㅋㅋㅋ", "🙂 😀", "AI", "1,000,000", "가" * 300,
                                  " ".join(["회사가"] * 200) + "."])
def test_odd_input_does_not_crash(text: str) -> None:
    arcs = parse_eojeols(text)
    assert [text[a.start:a.end] for a in arcs] == surfaces(text)
    assert all(isinstance(a, Arc) and -1 <= a.head < len(arcs) for a in arcs)


@needs_model
def test_batch_equals_one_by_one_and_empty_spans_give_nothing() -> None:
    texts = ["한국적 슬기가 세계를 이긴다.", "", "회사는 제품을 출시했다."]
    assert parse_batch([(t, 0, len(t), None) for t in texts]) == [parse_eojeols(t) for t in texts]
    assert parse_eojeols("가나다", 1, 1) == []


@needs_model
def test_bad_span_is_a_one_line_error() -> None:
    with pytest.raises(ValueError, match="not inside the text"):
        parse_eojeols("가나다", 2, 10)
    with pytest.raises(TypeError, match="must be a str"):
        parse_eojeols(None)  # type: ignore[arg-type]

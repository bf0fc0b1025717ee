"""UD Korean-Kaist in CoNLL-U, its fixed held-out split, and spaCy Docs built from it.

Only the treebank's dev and test files are available (data/ud-korean/), 17 documents in all,
so the project makes its own split: whole documents go to `heldout` in the order of
sha1(document id) while they fit in ~15% of the sentences (one document never straddles the
split); of the rest, a sentence-level hash picks a small `tune` set that only chooses the best
checkpoint, and everything else is `train`. Sentences that the real-text gold set quotes
(tests/data/realtext, source `ud-korean`) are kept out of `train` and `tune`, so the parser
has not seen the sentences the syntax layers are compared on.

The Docs carry Kiwi's view of each eojeol (nlp/depparse/features.py) on `tag_`, `lemma_`
(trailing particles/endings) and `norm_` (stem); the reference Doc adds the gold heads and
relations.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.vocab import Vocab

from core.errors import UsageError
from core.paths import REPO_ROOT
from nlp.depparse.features import Features, Unit, unit_features

SPLITS = ("train", "tune", "heldout")


@dataclass(frozen=True)
class UdToken:
    form: str
    head: int          # index of the head token in the sentence, -1 for the root
    deprel: str
    space_after: bool


@dataclass(frozen=True)
class UdSentence:
    sent_id: str
    text: str
    tokens: tuple[UdToken, ...]

    @property
    def doc_id(self) -> str:
        """Kaist sentence ids are `<document>-s<n>`."""
        return self.sent_id.rsplit("-s", 1)[0]


def read_conllu(path: str | Path) -> list[UdSentence]:
    """Sentences of a CoNLL-U file; a malformed line is a one-line UsageError naming it."""
    file = resolve(path)
    if not file.is_file():
        raise UsageError(f"no such CoNLL-U file: {path}")
    sentences: list[UdSentence] = []
    sent_id, text, rows = "", "", []
    lines = file.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate([*lines, ""], start=1):
        if line.startswith("# sent_id ="):
            sent_id = line.split("=", 1)[1].strip()
        elif line.startswith("# text ="):
            text = line.split("=", 1)[1].strip()
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if rows:
                sentences.append(_sentence(file, number, sent_id, text, rows))
            sent_id, text, rows = "", "", []
        else:
            cols = line.split("\t")
            if len(cols) != 10:
                raise UsageError(f"{file}:{number}: expected 10 tab-separated columns, got {len(cols)}")
            if cols[0].isdigit():   # multiword ranges (1-2) and empty nodes (1.1): Kaist has none
                rows.append(cols)
    return sentences


def _sentence(file: Path, number: int, sent_id: str, text: str, rows: list[list[str]]) -> UdSentence:
    if not sent_id or not text:
        raise UsageError(f"{file}:{number}: sentence without '# sent_id' or '# text'")
    tokens = []
    for cols in rows:
        if not cols[6].isdigit() or int(cols[6]) > len(rows):
            raise UsageError(f"{file}:{number}: {sent_id}: bad head {cols[6]!r}")
        tokens.append(UdToken(cols[1], int(cols[6]) - 1, cols[7], "SpaceAfter=No" not in cols[9].split("|")))
    return UdSentence(sent_id, text, tuple(tokens))


def resolve(path: str | Path) -> Path:
    """Config paths are relative to the repository, wherever the command runs."""
    p = Path(path)
    return p if p.is_absolute() else REPO_ROOT / p


def token_units(sentence: UdSentence) -> list[Unit]:
    """Character offsets of the treebank's tokens in its `# text`."""
    units: list[Unit] = []
    cursor = 0
    text = sentence.text
    for token in sentence.tokens:
        while cursor < len(text) and text[cursor].isspace():
            cursor += 1
        if not text.startswith(token.form, cursor):
            raise UsageError(f"{sentence.sent_id}: token {token.form!r} not found at offset {cursor} of its text")
        units.append(Unit(cursor, cursor + len(token.form), token.space_after))
        cursor += len(token.form)
    return units


def assign_splits(sentences: Sequence[UdSentence], heldout_fraction: float, tune_fraction: float,
                  excluded: frozenset[str] = frozenset()) -> dict[str, str]:
    """sent_id -> train | tune | heldout | excluded (see the module docstring)."""
    sizes: dict[str, int] = {}
    for s in sentences:
        sizes[s.doc_id] = sizes.get(s.doc_id, 0) + 1
    target, taken = heldout_fraction * len(sentences), 0
    heldout_docs: set[str] = set()
    for doc in sorted(sizes, key=_sha1):
        if taken >= 0.9 * target:
            break
        if taken + sizes[doc] <= 1.1 * target:
            heldout_docs.add(doc)
            taken += sizes[doc]
    out: dict[str, str] = {}
    for s in sentences:
        if s.doc_id in heldout_docs:
            out[s.sent_id] = "heldout"
        elif s.sent_id in excluded:
            out[s.sent_id] = "excluded"
        else:
            out[s.sent_id] = "tune" if int(_sha1(s.sent_id)[:8], 16) / 16**8 < tune_fraction else "train"
    return out


def _sha1(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()


def realtext_ud_ids(paths: Iterable[str | Path]) -> frozenset[str]:
    """sent_ids of the UD sentences quoted by the real-text gold files (`id` = `ud:<sent_id>`)."""
    ids: set[str] = set()
    for path in paths:
        file = resolve(path)
        if not file.is_file():
            raise UsageError(f"no such gold file: {path}")
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise UsageError(f"{path}:{number}: not a JSON object") from None
            if isinstance(row, dict) and row.get("source") == "ud-korean" and str(row.get("id", "")).startswith("ud:"):
                ids.add(row["id"][3:])
    return frozenset(ids)


def make_doc(vocab: Vocab, units: Sequence[Unit], features: Sequence[Features],
             heads: Sequence[int] | None = None, deps: Sequence[str] | None = None) -> Doc:
    """A Doc of the units with the Kiwi features on tag_/lemma_/norm_ (plus gold arcs if given)."""
    words = [f.word for f in features]
    doc = Doc(vocab, words=words, spaces=[u.space_after for u in units], tags=[f.tag for f in features],
              lemmas=[f.ending or "-" for f in features],      # "-": no particle/ending (an empty lemma reads as unset)
              heads=[i if h < 0 else h for i, h in enumerate(heads)] if heads is not None else None,
              deps=list(deps) if deps is not None else None)
    for token, f in zip(doc, features):
        token.norm_ = f.stem.lower()
    return doc


def featurize(sentences: Sequence[UdSentence], kiwi_workers: int = 2) -> list[list[Features]]:
    """Kiwi over each sentence's text, aligned to the treebank tokens by character offsets."""
    from nlp.kiwi import get_kiwi

    token_lists = get_kiwi(kiwi_workers).tokenize([s.text for s in sentences])
    return [unit_features(s.text, token_units(s), list(morphs))
            for s, morphs in zip(sentences, token_lists, strict=True)]


@dataclass(frozen=True)
class SplitCorpus:
    """The treebank read once, featurized once, split once (cached per set of inputs)."""

    sentences: tuple[UdSentence, ...]
    features: tuple[tuple[Features, ...], ...]
    split: dict[str, str]

    def select(self, name: str) -> list[int]:
        return [i for i, s in enumerate(self.sentences) if self.split[s.sent_id] == name]


@lru_cache(maxsize=4)
def load_corpus(paths: tuple[str, ...], heldout_fraction: float, tune_fraction: float,
                exclude_from: tuple[str, ...]) -> SplitCorpus:
    """Read, split and featurize once: spaCy's loop asks for the train corpus every epoch."""
    sentences = [s for path in paths for s in read_conllu(path)]
    if not sentences:
        raise UsageError(f"no sentences in {', '.join(paths)}")
    split = assign_splits(sentences, heldout_fraction, tune_fraction, realtext_ud_ids(exclude_from))
    return SplitCorpus(tuple(sentences), tuple(tuple(f) for f in featurize(sentences)), split)


def examples(nlp: Language, corpus: SplitCorpus, name: str) -> Iterator[Example]:
    """spaCy Examples of one split: predicted Doc with features only, reference with gold arcs."""
    for i in corpus.select(name):
        sentence, features = corpus.sentences[i], corpus.features[i]
        units = token_units(sentence)
        predicted = make_doc(nlp.vocab, units, features)
        reference = make_doc(nlp.vocab, units, features,
                             [t.head for t in sentence.tokens], [t.deprel for t in sentence.tokens])
        yield Example(predicted, reference)


@spacy.registry.readers("newsmine.ud_kaist.v1")
def ud_kaist_reader(paths: list[str], split: str, heldout_fraction: float = 0.15, tune_fraction: float = 0.08,
                    exclude_from: list[str] | None = None) -> Callable[[Language], Iterator[Example]]:
    """The corpus reader the config names for [corpora.train] and [corpora.dev]."""
    if split not in SPLITS:
        raise UsageError(f"unknown split {split!r} (want one of {', '.join(SPLITS)})")

    def read(nlp: Language) -> Iterator[Example]:
        corpus = load_corpus(tuple(paths), heldout_fraction, tune_fraction, tuple(exclude_from or ()))
        return examples(nlp, corpus, split)

    return read

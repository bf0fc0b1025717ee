"""Training data for the firm model: real sentences with organisation labels, made to teach
context rather than names.

* **konec** (`data/konec-dev/dev.jsonl`): KLUE dev sentences with fine labels — firm
  (OGG_ECONOMY, OGG_FOOD, OGG_HOTEL), another organisation (every other OGG_*), or another kind
  of entity (a person, a place …). Gold, so cross-validation folds are cut over it.
* **silver** (`data/klue-raw/`): 11,435 raw news sentences of KLUE *train*; a candidate is
  labelled by konec's majority label for its exact form (konec's forms were counted over
  these very sentences), and left out when that label is not clear (< 75% of uses). Sentences
  of the real-text gold set are never used.
* **hand-labelled** (`data/klue-labelled/`, off unless `[data] labelled` names it): 2,000
  klue-raw sentences with every named organisation labelled by LABELLING.md; they replace their
  silver copies.
* **substitution**: a copy of each sentence with an organisation in it, every labelled
  organisation replaced by another name of the same class drawn from a pool (listed companies
  and konec firm forms for firms, konec forms for other organisations) and legal forms dropped
  (`㈜A` → `A`), re-tokenised: the model sees the same contexts with names it cannot memorise.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from nlp.candidates import Candidate, split_pieces, propose
from nlp.firm_features import candidate_features
from nlp.lexicon import KONEC_KINDS

FIRM_LABELS = frozenset({"OGG_ECONOMY", "OGG_FOOD", "OGG_HOTEL"})
CLASSES = ("none", "firm", "org")
SILVER_SHARE = 0.75
_GLUED_FORMS = re.compile(r"㈜|\((?:주|유)\)\s?|주식회사\s?|\s?\((?:주|유)\)")
_FORM_BEFORE = re.compile(r"(?:㈜|\((?:주|유)\)|주식회사|농업회사법인|영농조합법인)\s?$")
_FORM_AFTER = re.compile(r"\s?(?:㈜|\((?:주|유)\))")


@dataclass
class LabelledSentence:
    """A sentence with organisation spans: (start, end, class) with class firm, org or ent."""

    id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    silver: bool = False
    group: str = ""          # fold group (the sentence id for konec)


def konec_class(label: str) -> str:
    if label in FIRM_LABELS:
        return "firm"
    return "org" if label.startswith("OG") else "ent"


def labelling_kind(name: str) -> str | None:
    """The kind newsmine's labelling conventions (LABELLING.md) give a name konec calls an
    economic organisation, when that kind is not a firm. konec's OGG_ECONOMY takes in every
    economic body — public corporations (한국전력공사, 코레일), the central bank, business
    associations (전경련, 중소기업중앙회), international bodies — about one in ten of its
    "firm" spans on the KLUE dev sentences; the conventions newsmine is judged by call none of
    these firms. Told by the lexicon (data/lexicon/organizations.toml) or a telling suffix
    (…공사, …공단, …협회, …연합회); None when neither says another kind."""
    from nlp.lexicon import known_orgs
    from nlp.orgs import suffix_kind

    bare = name.replace(" ", "")
    known = known_orgs().get(bare)
    kind = known.kind if known else suffix_kind(bare)
    return kind if kind and kind != "firm" else None


def to_labelling(sentence: LabelledSentence) -> LabelledSentence:
    """The sentence with konec's firm spans that the labelling conventions call another kind
    of organisation relabelled `org` (`labelling_kind`)."""
    text = sentence.text
    spans = [(s, e, "org" if cls == "firm" and labelling_kind(text[s:e]) else cls) for s, e, cls in sentence.spans]
    return LabelledSentence(sentence.id, text, spans, sentence.silver, sentence.group)


def read_konec(path: Path, news_only: bool = False, labelling: bool = False) -> list[LabelledSentence]:
    """konec's sentences with their organisation classes; `labelling`: brought to newsmine's
    labelling conventions (`to_labelling`)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if news_only and not item["id"].endswith("wikitree"):
            continue
        row = LabelledSentence(item["id"], item["text"],
                               [(s, e, konec_class(label)) for s, e, label in item["entities"]],
                               group=item["id"])
        rows.append(to_labelling(row) if labelling else row)
    return rows


def read_labelled(path: Path, exclude: set[str]) -> list[LabelledSentence]:
    """klue-raw sentences labelled by hand by LABELLING.md (`data/klue-labelled/`): every named
    firm and other organisation, each surface form as written. A span is every occurrence of a
    labelled form that does not continue a word on its left (`LG` is not found inside `KLG`);
    of overlapping spans the longer wins. Sentences in `exclude` (the real-text gold) never train."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        text = item["text"]
        if text in exclude:
            continue
        named = [(name, "firm") for name in item.get("firms", [])] + \
            [(org["name"], "org") for org in item.get("orgs", [])]
        found: list[tuple[int, int, str]] = []
        for name, cls in named:
            start = text.find(name) if name else -1
            while start != -1:
                if not (start and text[start - 1].isalnum() and name[0].isalnum()):
                    found.append((start, start + len(name), cls))
                start = text.find(name, start + 1)
        found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
        spans: list[tuple[int, int, str]] = []
        for span in found:
            if all(span[1] <= kept[0] or kept[1] <= span[0] for kept in spans):
                spans.append(span)
        rows.append(LabelledSentence(item["id"], text, sorted(spans), group=item["id"]))
    return rows


def read_forms(path: Path) -> dict[str, dict[str, int]]:
    """konec form → {fine label: KLUE *train* count} (dev counts are never read)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        for row in reader:
            form, label, train = row[0].replace(" ", ""), row[1], int(row[4])
            if train > 0 and len(form) >= 2:
                counts[form][label] = counts[form].get(label, 0) + train
    return counts


def form_kinds(counts: dict[str, dict[str, int]], held_out_texts: Iterable[str],
               labelling: bool = False) -> dict[str, tuple[str, float, int, float]]:
    """form → (kind, share, count) of its majority label, without the uses in held-out texts;
    `labelling`: a firm form the labelling conventions call another kind takes that kind
    (`labelling_kind`), and its firm uses count for nothing.

    A form's train count includes the KLUE sentences that ended up in the real-text gold set;
    those uses are subtracted (by counting the form in those texts), so a name known only from a
    gold sentence is unknown to the model.
    """
    held = _held_out_uses(counts, held_out_texts)
    table: dict[str, tuple[str, float, int]] = {}
    for form, labels in counts.items():
        total = sum(labels.values()) - held.get(form, 0)
        if total <= 0:
            continue
        label, count = max(labels.items(), key=lambda kv: kv[1])
        kind = KONEC_KINDS.get(label, "other" if label.startswith("OG") else "none")
        firm_uses = sum(n for name, n in labels.items() if name in FIRM_LABELS)
        if labelling and kind == "firm" and (other := labelling_kind(form)):
            kind, firm_uses = other, 0
        table[form] = (kind, round(min(1.0, count / sum(labels.values())), 3), total,
                       round(firm_uses / sum(labels.values()), 3))
    return table


def _held_out_uses(counts: dict[str, dict[str, int]], held_out_texts: Iterable[str]) -> Counter:
    """How often each form occurs in the held-out texts: uses that a train count may include."""
    held: Counter = Counter()
    joined = "\n".join(t.replace(" ", "") for t in held_out_texts)
    for form in counts:
        if len(form) >= 2 and form in joined:
            held[form] = joined.count(form)
    return held


PLACE_SHARE = 0.6    # of a form's uses labelled a place (LCP_*), for it to count as a place's name
PLACE_USES = 2       # uses left once the held-out texts' are taken away


def place_forms(counts: dict[str, dict[str, int]], held_out_texts: Iterable[str],
                proper_noun: Callable[[str], bool]) -> list[str]:
    """Forms that name a place — a country, province, city, county (konec LCP_*) — in most of their
    uses, counted as `form_kinds` counts (KLUE *train* only, held-out uses taken away), and that
    Kiwi reads as a proper noun: a place that is also a common word (음성 voice, 세부 detail, 시안
    draft, 크림 cream) would make the word a place wherever it stands."""
    held = _held_out_uses(counts, held_out_texts)
    places = []
    for form, labels in counts.items():
        total = sum(labels.values())
        place = sum(n for label, n in labels.items() if label.startswith("LCP"))
        if place / total >= PLACE_SHARE and total - held.get(form, 0) >= PLACE_USES and proper_noun(form):
            places.append(form)
    return sorted(places)


def write_form_table(table: dict[str, tuple[str, float, int]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("form\tkind\tshare\tcount\tfirm_share\n")
        for form in sorted(table):
            kind, share, count, firm_share = table[form]
            handle.write(f"{form}\t{kind}\t{share}\t{count}\t{firm_share}\n")


def write_place_table(places: Sequence[str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("form\n" + "".join(f"{form}\n" for form in places), encoding="utf-8")


def read_silver(path: Path, forms: dict[str, tuple[str, float, int]], exclude: set[str]) -> list[LabelledSentence]:
    """klue-raw sentences (not in `exclude`); spans are filled per candidate at feature time."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        sid, text = line.split("\t", 1)
        if text in exclude:
            continue
        rows.append(LabelledSentence(sid, text, silver=True, group=sid))
    return rows


def name_pools(forms: dict[str, tuple[str, float, int]], krx: Iterable[str],
               krx_latin: Iterable[str] = ()) -> dict[str, list[str]]:
    """Names to rename firm and organisation spans with. `firm_spaced` holds the firm names of
    several words (konec's `SK 텔레콤`, `닐슨 코리아`; the listed firms' Latin names, `AJ Networks`):
    KLUE's firm spans are nearly all one word, so without them the model learns that a span of
    two words is never a firm and `Babcock & Brown`, `소니 픽처스` lose to their first word."""
    firms = {f for f, (k, share, *_) in forms.items() if k == "firm" and share >= 0.8} | set(krx)
    orgs = {f for f, (k, share, *_) in forms.items() if k not in ("firm", "none") and share >= 0.8}
    clean = lambda names: sorted(n for n in names if 2 <= len(n) <= 24 and re.search(r"[가-힣A-Za-z]", n))  # noqa: E731
    spaced = {n for n in firms | set(krx_latin) if " " in n.strip()}
    from nlp.firm_features import PLACES

    firm_names = clean(n for n in firms if len(n) <= 14)
    return {"firm": firm_names, "org": clean(n for n in orgs if len(n) <= 14),
            "firm_spaced": clean(spaced), "place": sorted(PLACES - {"국내"}),
            "syllables": [c for n in firm_names for c in n if "가" <= c <= "힣"],   # as often as in names
            "known": set(forms) | set(krx)}


def placed_name(pools: dict[str, list[str]], rng: random.Random) -> str:
    """A firm name of the regional kind, a place and a business word run together (`남원목기`,
    `부안해풍`, `순창장류`): a place's name followed by the last two or three syllables of a
    listed or konec firm's Hangul name (`삼양식품` → `식품`, `한화솔루션` → `솔루션`)."""
    tail = ""
    while len(tail) < 2:
        name = rng.choice(pools["firm"])
        hangul = re.sub(r"[^가-힣]", "", name)
        tail = hangul[-rng.choice((2, 3)):] if len(hangul) >= 4 else ""
    return rng.choice(pools["place"]) + tail


def unseen_name(pools: dict[str, list[str]], rng: random.Random) -> str:
    """A made-up firm name that no list holds, so that only the context can tell it is a firm:
    two or three syllables of listed or konec firms' Hangul names (drawn as often as they occur
    in them) run together, followed in half
    the cases by the last two or three syllables of another (`성우` + `정밀`, `한솔` + `바이오`).
    The name lists' features (krx, konec, known) never fire on it, as on a regional paper's
    local firm."""
    known = pools.get("known") or set()
    syllables = pools.get("syllables") or ["가"]
    while True:
        name = "".join(rng.choice(syllables) for _ in range(rng.choice((2, 3))))
        if rng.random() < 0.5:
            hangul = re.sub(r"[^가-힣]", "", rng.choice(pools["firm"]))
            if len(hangul) >= 4:
                name += hangul[-rng.choice((2, 3)):]
        if name not in known and name[-1] not in _PERSON_TITLES:
            return name


# A made-up name never ends in a syllable that makes it a person (`이씨`, `김군`).
_PERSON_TITLES = frozenset("씨군양님")


def substitute(sentence: LabelledSentence, pools: dict[str, list[str]], rng: random.Random,
               drop_forms: float = 0.8, spaced: float = 0.0, placed: float = 0.0,
               unseen: float = 0.0) -> LabelledSentence | None:
    """A copy with each firm/org span renamed from the pools and glued legal forms dropped; a
    firm span takes a name of several words with probability `spaced`, a place-led name
    (`placed_name`) with probability `placed`, and a made-up name no list holds
    (`unseen_name`) with probability `unseen`."""
    spans = sorted(s for s in sentence.spans if s[2] in ("firm", "org"))
    if not spans:
        return None
    text, cursor, new_spans = sentence.text, 0, []
    out: list[str] = []
    for start, end, cls in spans:
        if start < cursor:
            continue
        before = text[cursor:start]
        drop = cls == "firm" and rng.random() < drop_forms
        if drop:   # marker dropout: `㈜A` → `A`, so a legal form is never all the model relies on
            before = _FORM_BEFORE.sub("", before)
        out.append(before)
        spaced_name = cls == "firm" and pools.get("firm_spaced") and rng.random() < spaced
        if cls == "firm" and not spaced_name and pools.get("place") and rng.random() < placed:
            name = placed_name(pools, rng)
        elif unseen and cls == "firm" and not spaced_name and rng.random() < unseen:
            name = unseen_name(pools, rng)
        else:
            name = rng.choice(pools["firm_spaced" if spaced_name else cls])
        position = sum(map(len, out))
        out.append(name)
        new_spans.append((position, position + len(name), cls))
        cursor = end
        glued = _FORM_AFTER.match(text, cursor) if drop else None
        if glued:
            cursor = glued.end()
    out.append(text[cursor:])
    return LabelledSentence(sentence.id + "#sub", "".join(out), new_spans, sentence.silver, sentence.group)


@dataclass
class Examples:
    features: list[dict] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)       # the sentence's id (`…#sub` for copies)


def candidate_label(candidate: Candidate, sentence: LabelledSentence,
                    forms: dict[str, tuple[str, float, int]]) -> str | None:
    """firm / org / none for a candidate; None when the silver label is unclear."""
    if not sentence.silver:
        for start, end, cls in sentence.spans:
            if (start, end) == (candidate.start, candidate.end) or (
                    start < candidate.end and candidate.start < end
                    and _bare(sentence.text[start:end]) == _bare(candidate.text)):
                return cls if cls in ("firm", "org") else "none"
        return "none"
    if sentence.spans:   # a substituted silver copy: its renamed spans are known
        for start, end, cls in sentence.spans:
            if (start, end) == (candidate.start, candidate.end):
                return cls
    found = forms.get(_bare(candidate.text))
    if found is None:
        return "none"
    kind, share, *_ = found
    if share < SILVER_SHARE:
        return None
    return "firm" if kind == "firm" else ("none" if kind == "none" else "org")


def _bare(name: str) -> str:
    return re.sub(r"\s+", "", _GLUED_FORMS.sub("", name))


def featurize(sentences: Sequence[LabelledSentence], forms: dict[str, tuple[str, float, int]],
              known, tokenize) -> Examples:  # type: ignore[no-untyped-def]
    """Candidates of every sentence with their features and labels."""
    examples = Examples()
    token_lists = tokenize([s.text for s in sentences])
    for sentence, tokens in zip(sentences, token_lists):
        text = sentence.text
        pieces = split_pieces(text, 0, len(text), tokens)
        candidates = propose(text, 0, pieces, known)
        partners = frozenset(p for c in candidates for p in range(c.first_piece, c.last_piece + 1))
        for candidate in candidates:
            label = candidate_label(candidate, sentence, forms)
            if label is None:
                continue
            lists = not (sentence.silver or sentence.id.endswith("#sub"))
            examples.features.append(candidate_features(text, pieces, list(tokens), candidate, partners, lists))
            examples.labels.append(label)
            examples.groups.append(sentence.group)
            examples.names.append(candidate.text)
            examples.ids.append(sentence.id)
    return examples

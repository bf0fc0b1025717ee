"""The NER model's spans weighed against the Korean evidence of nlp/orgs.py.

The rules are precise but blind to names with no marker, no list entry and no telling
suffix; the CRF (nlp/ner/) sees such names from context but is noisy (it tags firms as
persons, cities as places, events as organisations). So each side only does what it is
good at:

* an OG span the rules did not cover proposes a candidate, which must pass the same
  filters as a rule candidate (not a common noun, programme title, event, place or law, not
  a person beside 대표) and gets its kind from a telling suffix or the kind classifier;
* such a candidate becomes a *firm* only with supporting evidence: a cue beside it (식품
  기업인 X, X(대표 …)), a firm suffix, or the classifier saying firm with high probability
  for the subject of an achievement sentence (X가 … 계약을 체결했다). The CRF reads many
  unknown firms as PS, so a PS span may become a firm on the same evidence, never anything else;
* a PS span exactly on a weakly supported rule name (a konec form, a listed company, a
  suffix) followed by a person cue (씨, 교수, an age), or an LC span on such a name used as a
  venue (…에서 열린), removes it; so does an OG span showing that a suffix-typed name is a
  branch of the organisation before it (한국농어촌공사 전북지역본부).

Legal forms, known names and datelines are never overruled by the model.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from core.paths import DATA_DIR
from nlp.canonical import canonical_name
from nlp.kinds import predict_kinds
from nlp.lexicon import LEXICON_DIR, known_orgs, listed_firms, suffix_rules
from nlp.orgs import (
    _OPENERS, _PLACE_WORDS, OrgHit, TokenIndex, _group_with_mentions, _kind_by_suffix, _names_an_event,
    _stem_end, _tokens_in,
)

Entity = tuple[int, int, str]

# Rule evidence the model may overrule; anything else (legal form, known name …) it never touches.
_WEAK = ("konec form", "listed company", "suffix")
MODEL_EVIDENCE = "ner"
# The classifier's firm probability a NER-only name needs before context may make it a firm.
FIRM_PROBABILITY = 0.8
# Below this the classifier's non-firm kind for a NER-only name is not trusted: no organisation.
KIND_PROBABILITY = 0.5
# How far from a sentence's end an achievement trigger may stand to count as its predicate.
PREDICATE_CHARS = 30
_SUBJECT = re.compile(r"^(?:은|는|이|가|도)\s")
_VENUE = re.compile(r"에서\s*(?:열|개최|진행)")
_AGE = re.compile(r"^\s*\(\d{1,2}(?:세)?[,)]")


@dataclass(frozen=True)
class NerCues:
    """Word lists of data/lexicon/ner_orgs.toml (and achievement triggers), loaded once."""

    place_heads: tuple[str, ...]
    event_ends: tuple[str, ...]
    person_cues: tuple[str, ...]
    head_titles: tuple[str, ...]
    firm_before: tuple[str, ...]
    firm_after: tuple[str, ...]
    not_org_ends: tuple[str, ...]
    triggers: tuple[str, ...]


@lru_cache(maxsize=1)
def cues() -> NerCues:
    with (LEXICON_DIR / "ner_orgs.toml").open("rb") as handle:
        data = tomllib.load(handle)
    with (LEXICON_DIR / "achievements.toml").open("rb") as handle:
        types = tomllib.load(handle).get("types", {})
    triggers = sorted({t for spec in types.values() for t in spec.get("triggers", ())}, key=len, reverse=True)

    def words(key: str) -> tuple[str, ...]:
        return tuple(sorted(data[key]["list"], key=len, reverse=True))

    return NerCues(words("place_heads"), (*words("event_ends"), *suffix_rules().event_words),
                   words("person_cues"), words("head_titles"), words("firm_cues_before"),
                   words("firm_cues_after"), words("not_org_ends"),
                   tuple(triggers))


def sentence_matters(sentence) -> bool:  # type: ignore[no-untyped-def]
    """Whether the NER should tag a Kiwi sentence in the NLP stage: it names something (NNP,
    foreign or Chinese-character token) and carries the evidence a model-found firm needs —
    a business cue word, or an achievement trigger in its predicate. Elsewhere the model's
    spans could not make a firm, and tagging every sentence would halve the stage's speed."""
    if not any(t.tag in ("NNP", "SL", "SH") for t in sentence.tokens):
        return False
    if any(t.tag == "NNP" and len(t.form) <= AMBIGUOUS_LISTED_CHARS and t.form in listed_firms()
           for t in sentence.tokens):
        return True   # a short listed name may be a person's or a word's fragment: the model tells
    text = sentence.text
    patterns = _focus_patterns()
    return bool(patterns[0].search(text) or patterns[1].search(text, max(0, len(text) - PREDICATE_CHARS)))


@lru_cache(maxsize=1)
def _focus_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = cues()
    return (re.compile("|".join(map(re.escape, (*words.firm_before, *words.firm_after)))),
            re.compile("|".join(map(re.escape, words.triggers))))


def combine(text: str, tokens: Sequence, hits: list[OrgHit], entities: Iterable[Entity]) -> list[OrgHit]:
    """Rule hits less those the model vetoes, plus the model's own organisation candidates."""
    entities = list(entities)
    if not entities:
        return hits
    index = tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
    people_places = {(s, e): label for s, e, label in entities if label in ("PS", "LC")}
    branches = _branch_hits(hits, entities)
    fragments = _fragment_names(text, hits, entities)
    kept = [h for h in hits if not _vetoed(text, h, people_places.get((h.start, h.end))) and id(h) not in branches
            and not (h.evidence in _LISTED and h.name in fragments)]
    covered = [tuple(m) for org in _group_with_mentions(text, kept) for m in org.mentions]
    covered += [(h.start, h.end) for h in hits]   # vetoed names are not proposed again
    candidates: list[_Candidate] = []
    for start, end, label in entities:
        if label in ("OG", "PS") and (found := _candidate(text, index, start, end, label, covered)) is not None:
            candidates.append(found)
            covered.append((found.start, found.end))
    predictions = predict_kinds([c.bare for c in candidates])   # one classifier call per text
    for found, predicted in zip(candidates, predictions):
        kind = _kind_of_model_name(text, found, predicted)
        if kind is not None:
            name = text[found.start:found.end]
            kept.append(OrgHit(found.start, found.end, name, canonical_name(name), kind, MODEL_EVIDENCE))
    return kept


_LISTED = ("listed company", "konec form")
AMBIGUOUS_LISTED_CHARS = 3   # 러셀, 아스트: longer listed names (현대건설) are rarely anything else


def _fragment_names(text: str, hits: list[OrgHit], entities: list[Entity]) -> set[str]:
    """Names from the listed-company or konec lists that the model reads, somewhere in the
    text, as part of a person's or place's name: cut from a longer word (아스트 of the group 아스트로, which
    Kiwi split as 아스트+로) or the surname of a foreign person (에디슨 러셀). One reading per
    article: every mention of such a name goes, not only the one inside the span."""
    out: set[str] = set()
    names = {h.name for h in hits if h.evidence in _LISTED}
    for name in names:
        for match in re.finditer(re.escape(name), text):
            if any(_fragment_of(text, match.start(), match.end(), span) for span in entities):
                out.add(name)
                break
    return out


def _fragment_of(text: str, start: int, end: int, span: Entity) -> bool:
    s, e, label = span
    # not OG: a listed name inside a longer organisation is mostly its group (삼성 of 삼성전자)
    if label not in ("PS", "LC") or not (s <= start and end <= e) or (s, e) == (start, end):
        return False
    cut_from_word = end < e and text[end].isalnum()
    foreign_surname = label == "PS" and e == end and " " in text[s:start]
    return cut_from_word or foreign_surname


def _branch_hits(hits: list[OrgHit], entities: list[Entity]) -> set[int]:
    """Rule hits that are a branch of the organisation before them inside one OG span
    (한국농어촌공사 전북지역본부): the suffix rule would type the branch on its own (…부 →
    government); the model's span says it belongs to its parent, which is already listed."""
    branch_words = suffix_rules().branch_words   # data/lexicon/org_suffixes.toml
    dropped: set[int] = set()
    for start, end, label in entities:
        if label != "OG":
            continue
        inside = sorted((h for h in hits if start <= h.start and h.end <= end), key=lambda h: h.start)
        for hit in inside[1:]:
            if hit.evidence == "suffix" and hit.name.endswith(branch_words):
                dropped.add(id(hit))
    return dropped


def _vetoed(text: str, hit: OrgHit, label: str | None) -> bool:
    """A weakly supported rule candidate the model reads as a person or a place."""
    if label is None or hit.evidence not in _WEAK:
        return False
    if label == "PS":   # the CRF often reads firms as people (하림, 다온솔루션): it needs a cue too
        return _person_follows(text, hit.start, hit.end)
    # LC: a venue the konec/KRX lists call an organisation, hosting something (신라호텔에서 열린).
    return hit.kind in ("firm", "other") and hit.evidence != "suffix" and bool(_VENUE.match(text, hit.end))


def _person_follows(text: str, start: int, end: int) -> bool:
    """홍길동 씨, 김영수 교수는, 박민정(32), 곽석환 대표: what follows a name makes it a person."""
    after = text[end:end + 10]
    if _AGE.match(after) or _cue_pattern("person_cues").match(after):
        return True
    return _person_shaped(text[start:end]) and bool(_cue_pattern("head_titles").match(after))


@lru_cache(maxsize=2)
def _cue_pattern(key: str) -> re.Pattern[str]:
    """A cue word after optional space, with an optional particle, ending the word."""
    words = "|".join(map(re.escape, getattr(cues(), key)))
    return re.compile(rf"^\s*(?:{words})(?:에게|[의는가이은를을도와과])?(?![가-힣A-Za-z0-9])")


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    bare: str          # the name without spaces
    label: str         # the model's label: OG or PS
    suffix_kind: str | None


def _candidate(text: str, tokens: TokenIndex, start: int, end: int, label: str,
               covered: Sequence[tuple[int, int]]) -> _Candidate | None:
    """An OG (or PS) span the rules missed, trimmed, if it passes the organisation filters."""
    while start < end and text[start] in _OPENERS:
        start += 1
    end = _stem_end(start, end, tokens)
    if any(start < ce and cs < end for cs, ce in covered):
        return None
    bare = re.sub(r"\s+", "", text[start:end])
    if len(bare) < 2 or not re.search(r"[가-힣A-Za-z]", bare) or not _passes_filters(text, start, end, bare):
        return None
    return _Candidate(start, end, bare, label, _kind_by_suffix(bare, _tokens_in(start, end, tokens)))


def _passes_filters(text: str, start: int, end: int, bare: str) -> bool:
    """Not a common noun, programme, event, place or a person beside 대표."""
    rules, words = suffix_rules(), cues()
    if bare in rules.not_names or bare in _PLACE_WORDS or bare in known_orgs():
        return False
    if bare.endswith(rules.not_name_endings):   # SW강소기업, 도내 공공기관
        return False
    last_word = text[start:end].split()[-1]
    if last_word.endswith(words.event_ends) or _names_an_event(text, end):
        return False
    if last_word.endswith(words.place_heads) or last_word in _PLACE_WORDS:
        return False
    if bare in _konec_not_organisations() or last_word.endswith(words.not_org_ends):
        return False               # 대한민국, 화개장터, 식품위생법: konec reads them as places, laws …
    if _inside_longer_quote(text, start, end):      # '전남 ICT 혁신기업 육성사업': a programme title
        return False
    before = text[max(0, start - 6):start].rstrip()
    if before.endswith(("대표", "대표이사")):           # (대표 홍길동): the person, not the firm
        return False
    return not _person_follows(text, start, end)


@lru_cache(maxsize=1)
def _konec_not_organisations() -> frozenset[str]:
    """konec forms whose most frequent label is not an organisation (LCP_COUNTRY, CV_LAW …)."""
    totals: dict[str, dict[str, int]] = {}
    with (DATA_DIR / "konec-forms" / "ne_form_label_freq.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        for row in reader:
            labels = totals.setdefault(row[0].replace(" ", ""), {})
            labels[row[1]] = labels.get(row[1], 0) + int(row[3])
    return frozenset(form for form, labels in totals.items()
                     if not max(labels.items(), key=lambda kv: kv[1])[0].startswith("OG"))


_QUOTES = {"'": "'", "‘": "’", '"': '"', "“": "”", "「": "」", "『": "』", "<": ">", "《": "》", "〈": "〉"}


def _inside_longer_quote(text: str, start: int, end: int) -> bool:
    """The span is part of a quoted title (a programme, event or product name), not all of it."""
    line_start = text.rfind("\n", 0, start) + 1
    for position in range(start - 1, line_start - 1, -1):
        closer = _QUOTES.get(text[position])
        if closer is None:
            continue
        close = text.find(closer, end)
        if close == -1 or "\n" in text[end:close] or text.find(closer, position + 1, start) != -1:
            continue
        return text[position + 1:close].strip() != text[start:end]
    return False


def _kind_of_model_name(text: str, found: _Candidate, predicted: tuple[str, float] | None) -> str | None:
    """Kind of a name only the model found, or None when it is not taken as an organisation.

    OG: a telling suffix's kind; else the classifier's kind when it is sure (≥ 0.5), but a firm
    only with business evidence (else "other"). PS: the CRF reads unknown firms as people, so
    a PS span is taken only as a firm, only with business evidence, and only if it is not
    shaped like a Korean personal name.
    """
    by_suffix, bare = found.suffix_kind, found.bare
    if found.label == "OG" and by_suffix is not None:
        return by_suffix
    if predicted is None:
        return None
    kind, probability = predicted
    if kind != "firm" and by_suffix != "firm":
        usable = found.label == "OG" and probability >= KIND_PROBABILITY and not _person_shaped(bare)
        return kind if usable else None
    evidence = business_evidence(text, found.start, found.end)
    if evidence == "cue":
        return "firm"
    if _person_shaped(bare):
        return None                # 민형배, 이도윤: without a business cue, a person
    if by_suffix == "firm" or (evidence == "achievement" and probability >= FIRM_PROBABILITY):
        return "firm"
    return "other" if found.label == "OG" and probability >= FIRM_PROBABILITY else None


def _person_shaped(bare: str) -> bool:
    """Two or three Hangul syllables starting with a common surname (김민준, 이도윤)."""
    return 2 <= len(bare) <= 3 and bool(re.fullmatch(r"[가-힣]+", bare)) and bare[0] in _SURNAMES


# The most frequent Korean surnames (together well over 90% of people).
_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설길연위표명기반왕금옥육인맹제모탁국")


def business_evidence(text: str, start: int, end: int) -> str | None:
    """Korean evidence that a name is a business: "cue" for a word beside it (식품 기업인 X,
    X(대표 …)), "achievement" when it is the subject (은/는/이/가) of a sentence with an
    achievement trigger (계약, 수출, 매출 …), else None."""
    words = cues()
    before = text[max(0, start - 8):start].rstrip()
    after = text[end:end + 12]
    if before.endswith(words.firm_before) or after.lstrip().startswith(words.firm_after):
        return "cue"
    if not _SUBJECT.match(after):
        return None
    # The trigger must sit in the sentence's predicate (its last words), not in a clause before.
    sentence_end = _sentence_end(text, end)
    predicate = text[max(end, sentence_end - PREDICATE_CHARS):sentence_end]
    return "achievement" if any(trigger in predicate for trigger in words.triggers) else None


def _sentence_end(text: str, position: int) -> int:
    match = re.compile(r"[.!?](?:\s|$)|\n").search(text, position)
    return match.end() if match else len(text)

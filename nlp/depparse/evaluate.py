"""Held-out attachment scores and parse speed of a trained parser.

Two views of the same held-out sentences:
- `gold_tokens`: the treebank's own tokens (the usual UAS/LAS; Kiwi features as in training);
- `runtime`: raw sentence text through `parse_batch`, exactly as the project calls it, arcs
  matched to the gold ones by character span (a unit cut differently counts as wrong).

UAS/LAS leave out punctuation (as spaCy and most Korean papers do); `*_all` keep it. Per
relation r: `uas`/`las` are over gold tokens labelled r (right head / right head and label),
`precision` over tokens predicted r, `f1` of the labelled arcs.
"""

from __future__ import annotations

import statistics
import time
from typing import Sequence

from spacy.language import Language

from nlp.depparse.data import SplitCorpus, examples, token_units
from nlp.depparse.model import Arc, parse_batch, parse_eojeols

RELATIONS = ("nsubj", "obj", "obl", "conj", "nmod", "acl")

Span = tuple[int, int]
SpanArc = tuple[Span, "Span | None", str]      # token, its head token (None: root), relation


def attachment_scores(gold: Sequence[Sequence[SpanArc]], predicted: Sequence[Sequence[SpanArc]],
                      relations: Sequence[str] = RELATIONS) -> dict:
    """UAS/LAS overall and per relation, arcs matched by token span."""
    counts = {"tokens": 0, "uas": 0, "las": 0, "tokens_all": 0, "uas_all": 0, "las_all": 0}
    per = {r: {"gold": 0, "predicted": 0, "head": 0, "labelled": 0, "correct_predicted": 0} for r in relations}
    for gold_arcs, pred_arcs in zip(gold, predicted, strict=True):
        by_span = {span: (head, rel) for span, head, rel in pred_arcs}
        gold_by_span = {span: (head, rel) for span, head, rel in gold_arcs}
        for span, head, rel in gold_arcs:
            p_head, p_rel = by_span.get(span, ((-1, -1), ""))
            head_ok = p_head == head
            las_ok = head_ok and p_rel == rel
            keys = ("_all",) if rel == "punct" else ("", "_all")
            for key in keys:
                counts["tokens" + key] += 1
                counts["uas" + key] += head_ok
                counts["las" + key] += las_ok
            if rel in per:
                per[rel]["gold"] += 1
                per[rel]["head"] += head_ok
                per[rel]["labelled"] += las_ok
        for span, head, rel in pred_arcs:
            if rel in per:
                per[rel]["predicted"] += 1
                per[rel]["correct_predicted"] += gold_by_span.get(span) == (head, rel)
    out: dict = {
        "tokens": counts["tokens"], "uas": _ratio(counts["uas"], counts["tokens"]),
        "las": _ratio(counts["las"], counts["tokens"]),
        "uas_all": _ratio(counts["uas_all"], counts["tokens_all"]),
        "las_all": _ratio(counts["las_all"], counts["tokens_all"]), "relations": {},
    }
    for rel, c in per.items():
        recall, precision = _ratio(c["labelled"], c["gold"]), _ratio(c["correct_predicted"], c["predicted"])
        out["relations"][rel] = {
            "gold": c["gold"], "predicted": c["predicted"], "uas": _ratio(c["head"], c["gold"]), "las": recall,
            "precision": precision,
            "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        }
    return out


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _span_arcs(spans: Sequence[Span], heads: Sequence[int], rels: Sequence[str]) -> list[SpanArc]:
    return [(span, None if head < 0 else spans[head], rel) for span, head, rel in zip(spans, heads, rels)]


def _from_arcs(arcs: Sequence[Arc]) -> list[SpanArc]:
    return _span_arcs([(a.start, a.end) for a in arcs], [a.head for a in arcs], [a.deprel for a in arcs])


def evaluate(nlp: Language, corpus: SplitCorpus, model_dir: str, split: str = "heldout") -> dict:
    """Scores on one split in both views, plus parse speed (sentences per second)."""
    indices = corpus.select(split)
    sentences = [corpus.sentences[i] for i in indices]
    gold = [_span_arcs([(u.start, u.end) for u in token_units(s)], [t.head for t in s.tokens],
                       [t.deprel for t in s.tokens]) for s in sentences]
    docs = list(nlp.pipe((eg.predicted for eg in examples(nlp, corpus, split)), batch_size=64))
    on_gold_tokens = [
        _span_arcs([(u.start, u.end) for u in token_units(s)],
                   [-1 if t.head.i == t.i else t.head.i for t in doc],
                   ["root" if t.head.i == t.i else t.dep_ for t in doc])
        for s, doc in zip(sentences, docs, strict=True)
    ]
    runtime = [_from_arcs(arcs) for arcs in parse_batch([(s.text, 0, len(s.text), None) for s in sentences],
                                                        model_dir=model_dir)]
    agree = sum(1 for g, p in zip(gold, runtime) if [a[0] for a in g] == [a[0] for a in p])
    return {
        "split": split, "sentences": len(sentences), "documents": sorted({s.doc_id for s in sentences}),
        "gold_tokens": attachment_scores(gold, on_gold_tokens),
        "runtime": attachment_scores(gold, runtime),
        "runtime_same_tokens": _ratio(agree, len(sentences)),
        "speed": measure_speed([s.text for s in sentences], model_dir),
    }


def measure_speed(texts: Sequence[str], model_dir: str, repeat: int = 3) -> dict:
    """Sentences per second (median of `repeat` runs): parser alone (Kiwi tokens given, batched
    and one by one) and with Kiwi, as the NLP stage would call it."""
    from nlp.kiwi import get_kiwi

    kiwi = get_kiwi()
    tokens = [list(kiwi.tokenize(t)) for t in texts]
    parse_eojeols(texts[0], 0, len(texts[0]), tokens[0], model_dir=model_dir)   # warm up
    timings = {
        "batched_with_tokens": lambda: parse_batch([(t, 0, len(t), k) for t, k in zip(texts, tokens)],
                                                   model_dir=model_dir),
        "single_with_tokens": lambda: [parse_eojeols(t, 0, len(t), k, model_dir=model_dir)
                                       for t, k in zip(texts, tokens)],
        "single_with_kiwi": lambda: [parse_eojeols(t, model_dir=model_dir) for t in texts],
        "kiwi_alone": lambda: [list(kiwi.tokenize(t)) for t in texts],
    }
    out: dict = {}
    for name, run in timings.items():
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            seconds.append(time.perf_counter() - started)
        out[name] = round(len(texts) / statistics.median(seconds), 1)
    return out


def markdown(result: dict) -> str:
    """The scores as a Markdown table (gold tokens and runtime side by side)."""
    g, r = result["gold_tokens"], result["runtime"]
    lines = [
        f"Held-out: {result['sentences']} sentences of UD Korean-Kaist documents "
        f"{', '.join(result['documents'])}; runtime units equal the treebank's in "
        f"{result['runtime_same_tokens']:.1%} of sentences.",
        "",
        "| relation | gold arcs | UAS | LAS | labelled P | labelled F1 | runtime UAS | runtime LAS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| all but punct | {g['tokens']} | {g['uas']:.3f} | {g['las']:.3f} | | | {r['uas']:.3f} | {r['las']:.3f} |",
        f"| all with punct | | {g['uas_all']:.3f} | {g['las_all']:.3f} | | | {r['uas_all']:.3f} | {r['las_all']:.3f} |",
    ]
    for rel, s in g["relations"].items():
        rr = r["relations"][rel]
        lines.append(f"| {rel} | {s['gold']} | {s['uas']:.3f} | {s['las']:.3f} | {s['precision']:.3f} | "
                     f"{s['f1']:.3f} | {rr['uas']:.3f} | {rr['las']:.3f} |")
    speed = result["speed"]
    lines += ["", "| parse speed (sentences/s, 1 process) | |", "| --- | ---: |",
              f"| batched, Kiwi tokens given | {speed['batched_with_tokens']:.0f} |",
              f"| one sentence at a time, Kiwi tokens given | {speed['single_with_tokens']:.0f} |",
              f"| one sentence at a time, Kiwi included | {speed['single_with_kiwi']:.0f} |",
              f"| Kiwi alone, for comparison | {speed['kiwi_alone']:.0f} |"]
    return "\n".join(lines)

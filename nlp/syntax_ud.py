"""The learned alternative to nlp/syntax.py: frames read off a dependency parse.

The spaCy parser trained on UD Korean-Kaist (nlp/depparse/) gives each whitespace word its
head and relation; this module turns that into the same `Analysis` the achievement rules
read — predicates with their lemma, voice and clause type from Kiwi, arguments from the
parser's `nsubj`, `obj`, `iobj`, `obl` and `dislocated` arcs (the role from the word's particle,
the relation where it has none), lists from `conj` arcs. Only the attachment differs from
the particle-and-position layer, so the two can be compared on the same text
(`NEWSMINE_SYNTAX=ud`; bench/RESULTS.md, "Syntax layer").
"""

from __future__ import annotations

from typing import Sequence

from nlp.syntax import Analysis, Frame, Phrase, Predicate, _case, _content, _predicate

_ARGUMENTS = frozenset({"nsubj", "obj", "iobj", "obl", "dislocated", "nsubj:pass", "csubj"})
_BY_RELATION = {"nsubj": "subj", "nsubj:pass": "subj", "csubj": "subj", "obj": "obj", "iobj": "dat",
                "obl": "by", "dislocated": "topic"}


def analyse_ud(text: str, start: int, end: int, tokens: Sequence) -> Analysis:
    from nlp.depparse.model import parse_eojeols

    arcs = parse_eojeols(text, start, end, list(tokens))
    units = []
    for index, arc in enumerate(arcs):
        inside = [t for t in tokens if arc.start <= t.start < arc.end]
        units.append((arc.start, arc.end, inside))
    predicates: dict[int, Predicate] = {}
    for index, (u0, u1, inside) in enumerate(units):
        predicate = _predicate(index, u0, u1, inside)
        if predicate is not None and predicate.clause != "nominal":
            predicates[index] = predicate
    phrases: dict[int, Phrase] = {}
    for index, (u0, u1, inside) in enumerate(units):
        if index in predicates or not _content(inside):
            continue
        first = index
        while first > 0 and arcs[first - 1].head == index and _case(units[first - 1][2], text) == "none" \
                and first - 1 not in predicates:
            first -= 1         # bare nouns before the word that depend on it: one phrase
        case = _case(inside, text)
        phrases[index] = Phrase(units[first][0], u1, case, (first, index))
    for index, arc in enumerate(arcs):        # lists: conj arcs join a phrase to the one it lists with
        if arc.deprel == "conj" and index in phrases and arc.head in phrases:
            head = phrases[arc.head]
            head.conjoined.append(phrases[index])
            phrases[index].case = "member"
    frames = {index: Frame(p) for index, p in predicates.items()}
    for index, phrase in phrases.items():
        arc = arcs[index]
        if phrase.case == "member" or arc.deprel not in _ARGUMENTS or arc.head not in frames:
            continue
        role = phrase.case if phrase.case not in ("none", "gen", "cop") else _BY_RELATION.get(arc.deprel, "by")
        frames[arc.head].roles.setdefault(role, []).append(phrase)
    ordered = [frames[i] for i in sorted(frames)]
    # a topic is given once, to one verb (UD Kaist's root, often the quoted clause: …선정했다고 with
    # 밝혔다 as its conj); the clauses that name no agent of their own share it, before or after
    topic = next((f.roles.get("topic") or f.roles.get("subj") for f in ordered
                  if f.predicate.clause != "adnominal" and (f.roles.get("topic") or f.roles.get("subj"))), None)
    for frame in ordered:
        own = frame.roles.get("topic") or frame.roles.get("subj") or frame.roles.get("also")
        if not own and topic and frame.predicate.clause != "adnominal":
            frame.roles["topic"] = list(topic)
            frame.inherited_agent = True
    words = [(u0, u1, inside) for u0, u1, inside in units]
    return Analysis(words, sorted(phrases.values(), key=lambda p: p.start),
                    [predicates[i] for i in sorted(predicates)], ordered)

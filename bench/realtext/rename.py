"""The real-text dev split with every firm renamed to a name nobody has seen: a diagnostic.

Why: the private sets are regional news, where most firms are small local ones that stand in no
gazetteer, no konec form table and no lexicon. On the real-text dev split many firms are well
known (삼성전자, 페이스북), so part of today's recall comes from the names themselves. Renaming
each gold firm, in its own sentences, to a made-up name that is in none of newsmine's name lists
leaves only the context to find it by — what a local firm in a regional paper offers. The drop
from dev to renamed dev says how much of the recall rests on known names; a change that raises
both has learned context.

What is renamed: a gold firm whose name is Hangul and stands in the text as a word of its own
(the name, then nothing, punctuation or particles); particles after it are re-chosen for the
new name's final sound (은/는, 이/가, 을/를, 과/와, 으로/로, 이나/나, 이다/다, 이라/라). A firm
written inside a longer word (`삼성` in `삼성전자`), a Latin name, or one that starts a non-firm's
name (`LG` of `LG 트윈스`) keeps its name. Names are drawn per row, seeded by the row's id, so
the set is the same on every run. Not evidence: the sentences are real, the names are not.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Callable, Iterable

# Syllables and trade words of Korean firm names, for made-up names of the regional kind: half
# carry a trade word (`세진정밀`, `하람바이오`), half are opaque three-syllable names (`다온솔`):
# two syllables alone too often make a common word (부제, 동도).
SYLLABLES = ("가", "경", "광", "금", "나", "누", "다", "대", "도", "동", "라", "람", "로", "미", "민", "보",
             "부", "빛", "새", "서", "성", "세", "솔", "수", "신", "아", "연", "영", "예", "온", "우", "유",
             "윤", "은", "이", "일", "재", "정", "제", "조", "주", "준", "지", "진", "찬", "채", "청", "태",
             "하", "한", "해", "현", "혜", "화", "효", "휘")
TRADES = ("정밀", "테크", "산업", "바이오", "식품", "푸드", "소프트", "건설", "에너지", "화학", "전자",
          "시스템", "메디칼", "농산", "물산", "기계", "솔루션", "랩스", "텍", "팜")
_PAIRS = (("으로", "로"), ("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("이나", "나"),
          ("이다", "다"), ("이라", "라"), ("이며", "며"), ("이고", "고"))
_PARTICLE = re.compile(
    r"(?:으로|로|은|는|이|가|을|를|과|와|의|에|에서|에게|도|만|까지|부터|처럼|보다|이나|나|이다|다|이라|라|"
    r"이며|며|이고|고|측|사)*"
)


def _has_final(name: str) -> bool:
    last = name[-1]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


def _final_is_rieul(name: str) -> bool:
    last = name[-1]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 == 8


def fit_particles(name: str, tail: str) -> str:
    """The particles `tail` (right after a name) with the first re-chosen for `name`'s final
    sound (`이다` → `다` after a vowel); the others do not depend on it."""
    for with_final, without in sorted(_PAIRS, key=lambda p: -len(p[0])):
        for form in (with_final, without):
            if tail.startswith(form) and not (form == without and tail.startswith(with_final)):
                if with_final == "으로":
                    chosen = "로" if not _has_final(name) or _final_is_rieul(name) else "으로"
                else:
                    chosen = with_final if _has_final(name) else without
                return chosen + tail[len(form):]
    return tail


def made_up_name(rng: random.Random, taken: Callable[[str], bool]) -> str:
    """A firm name of the regional kind that `taken` (newsmine's name lists) does not know."""
    while True:
        if rng.random() < 0.5:
            name = "".join(rng.choice(SYLLABLES) for _ in range(2)) + rng.choice(TRADES)
        else:
            name = "".join(rng.choice(SYLLABLES) for _ in range(3))
        if not taken(name):
            return name


def _occurrences(text: str, name: str, protected: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end of the particles) of each standalone mention of `name`."""
    spans = []
    for m in re.finditer(re.escape(name), text):
        start, end = m.start(), m.end()
        if start and (text[start - 1].isalnum()):
            continue                            # inside a longer word
        if any(len(p) > len(name) and text.startswith(p, start) for p in protected):
            continue                            # the start of another organisation's name
        particles = _PARTICLE.match(text, end)
        stop = particles.end() if particles else end
        if stop < len(text) and ("가" <= text[stop] <= "힣" or text[stop].isalnum()):
            continue                            # a longer word (삼성 of 삼성전자)
        spans.append((start, stop))
    return spans


def rename_row(row: dict, taken: Callable[[str], bool]) -> dict:
    """The row with its renamable gold firms renamed in text, firms and achievements."""
    rng = random.Random(int(hashlib.sha1(row["id"].encode()).hexdigest()[:12], 16))
    text = row["text"]
    others = [n["name"] for n in row.get("non_firms") or []] + list(row.get("firms") or [])
    mapping: dict[str, str] = {}
    for firm in sorted(row.get("firms") or [], key=len, reverse=True):
        if not re.fullmatch(r"[가-힣]{2,}", firm):
            continue
        spans = _occurrences(text, firm, others)
        if not spans:
            continue
        new = made_up_name(rng, lambda n: taken(n) or n in text or n in mapping.values())
        for start, stop in reversed(spans):
            text = text[:start] + new + fit_particles(new, text[start + len(firm):stop]) + text[stop:]
        mapping[firm] = new
    if not mapping:
        return row

    def moved(items: list[dict] | None) -> list[dict]:
        return [{**a, "firm": mapping.get(a["firm"], a["firm"])} for a in items or []]

    out = {**row, "text": text, "firms": [mapping.get(f, f) for f in row.get("firms") or []],
           "achievements": moved(row.get("achievements")), "renamed": mapping}
    if "optional" in row:
        out["optional"] = moved(row["optional"])
    return out


def newsmine_knows() -> Callable[[str], bool]:
    """Whether a name is in any list newsmine reads names from (lexicon, KRX, konec forms)."""
    from nlp.lexicon import known_orgs, konec_org_kinds, listed_firms
    from nlp.names import known_name

    known, listed, konec = known_orgs(), listed_firms(), konec_org_kinds()
    return lambda name: name in known or name in listed or name in konec or known_name(name)

"""Gold NER files (JSONL `{"text", "entities": [[start, end, label], …]}`) and CV folds."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from core.errors import UsageError
from nlp.ner.units import Span


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    entities: tuple[Span, ...]

    @property
    def is_news(self) -> bool:
        """KLUE ids end in -wikitree (news) or -nsmc (movie reviews)."""
        return self.id.endswith("-wikitree")


def read_gold(path: str | Path) -> list[Example]:
    """Read and validate a gold file; any problem is a one-line UsageError naming the line."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"no such gold file: {path}")
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    examples: list[Example] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise UsageError(f"{path}:{number}: not a JSON object") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or "entities" not in item:
            raise UsageError(f'{path}:{number}: needs "text" (a string) and "entities"')
        text = item["text"]
        spans: list[Span] = []
        entities = item["entities"]
        if not isinstance(entities, list):
            raise UsageError(f'{path}:{number}: "entities" must be a list of [start, end, label]')
        for entity in entities:
            if (not isinstance(entity, (list, tuple)) or len(entity) != 3
                    or not all(isinstance(x, int) and not isinstance(x, bool) for x in entity[:2])
                    or not isinstance(entity[2], str) or not 0 <= entity[0] < entity[1] <= len(text)):
                raise UsageError(f"{path}:{number}: bad entity {entity!r} (want [start, end, label] inside the text)")
            spans.append((entity[0], entity[1], entity[2]))
        examples.append(Example(str(item.get("id", number)), text, tuple(sorted(spans))))
    if not examples:
        raise UsageError(f"{path}: no gold sentences")
    return examples


def assign_folds(examples: list[Example], k: int, seed: int) -> list[int]:
    """Deterministic fold per example: shuffle each source (news / reviews) with `seed`, deal round-robin."""
    folds = [0] * len(examples)
    rng = random.Random(seed)
    for news in (True, False):
        indices = sorted((i for i, e in enumerate(examples) if e.is_news == news), key=lambda i: examples[i].id)
        rng.shuffle(indices)
        for position, i in enumerate(indices):
            folds[i] = position % k
    return folds

"""Name lists as CRF features: konec entity forms (KLUE train), KRX firms, the org lexicon.

The lists are frozen into the model directory when a model is trained, so a model always sees
the same features it was trained with even after data/ files are edited. For cross-validation
on KLUE dev only konec rows with train_freq > 0 are used (a form seen only in dev would leak).
"""

from __future__ import annotations

import csv
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from nlp.ner.units import Unit

# konec fine-label prefixes → KLUE labels; everything else (CV_, AF_, EV_ …) is "X": a known
# non-entity in KLUE's scheme, itself a useful signal (대통령, 감독 …).
_COARSE = (("OGG", "OG"), ("LC", "LC"), ("PS", "PS"), ("DT", "DT"), ("TI", "TI"), ("QT", "QT"))
# Match starts are not allowed on particles, endings, suffixes or punctuation.
_NO_START = ("J", "E", "XS", "SF", "SP", "SS", "SE", "VCP")
MAX_UNITS = 8


def coarse_label(fine: str) -> str:
    for prefix, label in _COARSE:
        if fine.startswith(prefix):
            return label
    return "X"


@dataclass
class Gazetteer:
    """form → {source: value}; sources: kc (konec majority label), kp (konec purity), kf (OG
    sub-type), krx (listed firm), lex (lexicon org kind)."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, form: str, source: str, value: str) -> None:
        if form:
            self.entries.setdefault(form, {})[source] = value

    def __len__(self) -> int:
        return len(self.entries)

    def save(self, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
            for form in sorted(self.entries):
                for source, value in sorted(self.entries[form].items()):
                    writer.writerow([form, source, value])

    @classmethod
    def load(cls, path: Path) -> "Gazetteer":
        gaz = cls()
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                if len(row) == 3:
                    gaz.add(*row)
        return gaz

    def matches(self, units: Sequence[Unit], text: str) -> list[list[str]]:
        """Per unit, features of the longest entry starting at each unit (B/I/L positions)."""
        feats: list[list[str]] = [[] for _ in units]
        for i, unit in enumerate(units):
            if unit.tag.startswith(_NO_START):
                continue
            best: tuple[int, dict[str, str]] | None = None
            for j in range(i, min(len(units), i + MAX_UNITS)):
                entry = self.entries.get(text[unit.start:units[j].end])
                if entry is not None:
                    best = (j, entry)
            if best is None:
                continue
            j, entry = best
            for source, value in entry.items():
                if j == i:
                    feats[i].append(f"g{source}:U={value}")
                    continue
                feats[i].append(f"g{source}:B={value}")
                for k in range(i + 1, j):
                    feats[k].append(f"g{source}:I={value}")
                feats[j].append(f"g{source}:L={value}")
        return feats


def build_gazetteer(data_dir: Path, konec_min_train_freq: int = 1, konec_count: str = "train_freq",
                    use_krx: bool = True, use_lexicon: bool = True) -> Gazetteer:
    """Collect the lists. `konec_count` names the frequency column used for label votes."""
    gaz = Gazetteer()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    fine_og: dict[str, Counter[str]] = defaultdict(Counter)
    with (data_dir / "konec-forms" / "ne_form_label_freq.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        for row in reader:
            if int(row["train_freq"]) < konec_min_train_freq:
                continue
            count = int(row[konec_count])
            if count <= 0:
                continue
            form, fine = row["form"], row["label"]
            votes[form][coarse_label(fine)] += count
            if fine.startswith("OGG_"):
                fine_og[form][fine[4:]] += count
    for form, counter in votes.items():
        total = sum(counter.values())
        if len(form) < 2 and total < 3:
            continue
        label, top = counter.most_common(1)[0]
        gaz.add(form, "kc", label)
        gaz.add(form, "kp", "pure" if top / total >= 0.8 else "mixed")
        if label == "OG" and fine_og[form]:
            gaz.add(form, "kf", fine_og[form].most_common(1)[0][0])
    if use_krx:
        with (data_dir / "gazetteer" / "krx_companies.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = row["name"].strip()
                if row.get("kind") == "company" and len(name) >= 2:
                    gaz.add(name, "krx", "firm")
    if use_lexicon:
        with (data_dir / "lexicon" / "organizations.toml").open("rb") as handle:
            for item in tomllib.load(handle).get("org", []):
                for name in (item["name"], *item.get("aliases", ())):
                    gaz.add(name, "lex", item.get("kind", "other"))
    return gaz

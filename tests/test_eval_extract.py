"""`newsmine eval extract`: the scorer on hand-computed cases, the gold sets' shape, a floor."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import nlp.evaluate_extract as ev
from core.errors import UsageError

GOLD = Path(__file__).resolve().parent / "data" / "extract"
TYPES = set(ev.TYPES)
UNITS = {"KRW", "USD", "EUR", "JPY", "CNY", "percent", "persons", "items"}
KINDS = {"government", "public", "university", "association", "media", "other"}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def _ach(org: str, kind: str, value: float | None = None, unit: str | None = None) -> dict:
    amount = None if value is None else {"value": value, "unit": unit, "approximate": False}
    return {"type": kind, "organization": org, "amount": amount, "evidence": "", "span": [0, 1]}


TINY_GOLD = [
    {"id": "p1", "text": "첫째 문단", "firms": ["한빛정밀", "㈜대양테크"],
     "non_firms": [{"name": "전북테크노파크", "kind": "public"}],
     "achievements": [{"firm": "한빛정밀", "type": "contract", "amount": 3_500_000_000, "unit": "KRW"},
                      {"firm": "대양테크", "type": "selection"}],
     "optional": [{"firm": "대양테크", "type": "funding"}]},
    {"id": "p2", "text": "둘째 문단", "firms": ["성원산업"], "non_firms": [],
     "achievements": [{"firm": "성원산업", "type": "export", "amount": 3_200_000, "unit": "USD"},
                      {"firm": "성원산업", "type": "hiring", "amount": 90, "unit": "persons"}]},
]
TINY_PREDICTIONS = {
    "첫째 문단": {
        "organizations": [{"name": "한빛정밀", "kind": "firm"}, {"name": "대양 테크", "kind": "firm"},
                          {"name": "전북테크노파크", "kind": "firm"}],
        # funding is optional (ignored); the agency's award is a spurious firm achievement.
        "achievements": [_ach("한빛정밀", "contract", 3_500_000_000, "KRW"), _ach("대양테크", "funding"),
                         _ach("전북테크노파크", "award")],
        # A programme figure: must not count as anyone's firm achievement.
        "group_achievements": [_ach("한빛정밀", "revenue", 17, "percent")]},
    "둘째 문단": {
        "organizations": [{"name": "(주)성원산업", "kind": "firm"}],
        "achievements": [_ach("성원산업", "export", 320_000, "USD")],   # right pair, wrong amount
        "group_achievements": []},
}


def fake_analyze(text: str, published: str | None = None) -> dict:
    return TINY_PREDICTIONS[text]


def test_scores_on_a_tiny_gold_file_are_exact(tmp_path: Path) -> None:
    result = ev.evaluate_extract(_write(tmp_path / "gold.jsonl", TINY_GOLD), analyze=fake_analyze)
    # firms: gold {한빛정밀, 대양테크, 성원산업}; predicted also 전북테크노파크 → 3 tp, 1 fp, 0 fn.
    assert result["firms"] == {"precision": 0.75, "recall": 1.0, "f1": 0.8571, "tp": 3, "fp": 1, "fn": 0, "rows": 2}
    assert result["non_firm_as_firm"] == 1
    assert result["non_firms"] == {"total": 1, "found": 1, "right_kind": 0}
    # pairs: tp contract+export, fp award (funding optional, group revenue ignored), fn selection+hiring.
    ach = result["achievements"]
    assert (ach["tp"], ach["fp"], ach["fn"]) == (2, 1, 2)
    assert (ach["precision"], ach["recall"], ach["f1"]) == (0.6667, 0.5, 0.5714)
    assert set(ach["by_type"]) == {"contract", "selection", "award", "export", "hiring"}
    assert ach["by_type"]["award"]["fp"] == 1 and ach["by_type"]["hiring"]["fn"] == 1
    # amounts: only matched pairs with a gold amount count (contract right, export wrong; hiring unmatched).
    assert result["amounts"] == {"exact": 1, "total": 2, "accuracy": 0.5, "approximate_agree": 1}
    kinds = Counter(e["error"] for e in result["errors"])
    assert kinds == {"firm_spurious": 1, "non_firm_as_firm": 1, "achievement_spurious": 1,
                     "achievement_missed": 2, "amount_wrong": 1}
    assert all("id" in e for e in result["errors"])


def test_sentence_rows_score_achievements_only_and_filter_by_split(tmp_path: Path) -> None:
    rows = [{"id": "s1", "text": "첫째 문단", "split": "train",
             "achievements": [{"firm": "한빛정밀", "type": "contract", "amount": 3_500_000_000, "unit": "KRW"}]},
            {"id": "s2", "text": "둘째 문단", "split": "test", "achievements": []}]
    gold = _write(tmp_path / "sentences.jsonl", rows)
    train = ev.evaluate_extract(gold, analyze=fake_analyze, split="train")
    assert train["rows"] == 1 and train["firms"]["f1"] is None and train["non_firm_as_firm"] is None
    # 한빛정밀 contract right; the agency's award is spurious (대양테크 funding has no optional here).
    assert (train["achievements"]["tp"], train["achievements"]["fp"], train["achievements"]["fn"]) == (1, 2, 0)
    test = ev.evaluate_extract(gold, analyze=fake_analyze, split="test")
    assert (test["achievements"]["tp"], test["achievements"]["fp"]) == (0, 1)   # a negative with a false hit
    with pytest.raises(UsageError):
        ev.evaluate_extract(_write(tmp_path / "train_only.jsonl", rows[:1]), analyze=fake_analyze, split="test")


def test_names_compare_without_legal_forms_and_spaces() -> None:
    assert ev.normalize_name("(주) 한빛 정밀") == "한빛정밀"
    assert ev.normalize_name("성원산업(주)") == "성원산업"
    assert ev.normalize_name("농업회사법인 ㈜고창황토배기") == "고창황토배기"
    assert ev.normalize_name("마이산약초 영농조합법인") == "마이산약초"


@pytest.mark.parametrize("content, message", [
    (None, "no such gold file"),
    ("{not json}\n", "not a JSON object"),
    ('{"id": 1, "achievements": []}\n', 'missing "text"'),
    ('{"id": 1, "text": "문장"}\n', 'missing "achievements"'),
    ('{"id": 1, "text": "문장", "achievements": [{"firm": "A"}]}\n', 'needs "firm" and "type"'),
])
def test_bad_gold_is_one_usage_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message) as info:
        ev.extract_cmd.main(["--gold", str(path)], standalone_mode=False)
    assert "\n" not in str(info.value)


def test_cli_prints_json_and_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ev, "default_analyze", lambda: fake_analyze)
    gold = str(_write(tmp_path / "gold.jsonl", TINY_GOLD))
    as_json = CliRunner().invoke(ev.extract_cmd, ["--gold", gold, "--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert set(data) >= {"firms", "non_firm_as_firm", "achievements", "amounts", "errors"}
    assert data["amounts"]["accuracy"] == 0.5
    table = CliRunner().invoke(ev.extract_cmd, ["--gold", gold])
    assert table.exit_code == 0 and "firms" in table.output and "amounts exact: 1/2" in table.output


# --------------------------------------------------------------------------- the gold sets
def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _check_achievements(row: dict) -> None:
    for a in row["achievements"]:
        assert a["type"] in TYPES, row["id"]
        if "amount" in a:
            assert isinstance(a["amount"], (int, float)) and a["unit"] in UNITS, row["id"]
    for o in row.get("optional", []):
        assert o["type"] in TYPES, row["id"]


@pytest.mark.parametrize("name", ["dev.jsonl", "test.jsonl"])
def test_paragraph_sets_have_the_required_shape(name: str) -> None:
    rows = _rows(name)
    assert len(rows) >= 40
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert {"id", "text", "published_at", "firms", "non_firms", "achievements", "optional"} <= set(row)
        _check_achievements(row)
        firms = set(row["firms"])
        assert {a["firm"] for a in row["achievements"] + row["optional"]} <= firms, row["id"]
        assert all(n["kind"] in KINDS for n in row["non_firms"]), row["id"]
        assert all(ev.normalize_name(f) == f for f in firms), row["id"]   # canonical names
    assert sum(bool(r["achievements"]) for r in rows) >= 25           # most paragraphs credit someone
    assert sum(not r["achievements"] for r in rows) >= 5              # and some credit no firm at all


def test_dev_and_test_share_no_paragraph() -> None:
    assert not {r["text"] for r in _rows("dev.jsonl")} & {r["text"] for r in _rows("test.jsonl")}


def test_sentence_set_shape_and_fixed_split() -> None:
    rows = _rows("sentences.jsonl")
    assert len(rows) >= 400
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert {"id", "text", "published_at", "achievements", "split"} <= set(row)
        _check_achievements(row)
        # The split is sha1(id) % 10 < 7 → train, written in the file (README.md).
        expected = "train" if int(hashlib.sha1(row["id"].encode()).hexdigest()[:8], 16) % 10 < 7 else "test"
        assert row["split"] == expected, row["id"]
    splits = Counter(r["split"] for r in rows)
    assert 0.6 < splits["train"] / len(rows) < 0.8
    assert sum(not r["achievements"] for r in rows) >= 100           # hard negatives
    assert {a["type"] for r in rows for a in r["achievements"]} == TYPES


# --------------------------------------------------------------------------- floor
@pytest.mark.slow
def test_pipeline_floor_on_held_out_paragraphs() -> None:
    """Guards against regressions; not the bar (DESIGN.md: firm F1 ≥ 0.95, no non-firm as firm).

    Measured on 2026-11-28 with the rules of that day: firm F1 0.876 and 2 non-firms called
    firm (한국가스공사, 중소기업중앙회). Asserted: the F1 minus a 0.03 margin, and at most one
    more non-firm called firm. Raise both when the pipeline improves.
    """
    result = ev.evaluate_extract(GOLD / "test.jsonl")
    assert result["firms"]["f1"] >= 0.846
    assert result["non_firm_as_firm"] <= 3

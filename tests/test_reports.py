"""`newsmine report coverage` and `report share`: the numbers, the tables, the PNG charts, on
both back ends (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surfaces_fixtures import backend, filled_url  # noqa: F401


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from newsmine.cli import main

    code = 0
    try:
        main(argv)
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def is_png(path: Path) -> bool:
    return path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_coverage_by_outlet_table_and_chart(filled_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "charts" / "outlets.png"
    code, out, err = run_cli(["report", "coverage", "", "--by", "outlet", "--png", str(png), "--db", filled_url], capsys)
    assert code == 0, err
    for outlet in ("익산투데이", "전북새날신문", "호남경제뉴스"):
        assert outlet in out
    assert "기사 6건" in out and "기사 묶음 5건" in out
    assert is_png(png)


@pytest.mark.parametrize(
    "args, expected",
    [
        (["한빛정밀", "--by", "month"], {"2024-07": 2, "2024-09": 1, "2024-10": 1}),
        (["", "--by", "region"], {"전북": 6}),
        (["", "--by", "org", "--kind", "firm"], {"한빛정밀": 4, "새벽소프트": 2, "바다찬": 1}),
        (["", "--by", "outlet", "--from", "2024-09", "--to", "2024-09"], {"호남경제뉴스": 1, "전북새날신문": 1}),
        (["type:contract OR type:export", "--by", "outlet"], {"호남경제뉴스": 2, "전북새날신문": 1}),
    ],
)
def test_coverage_counts(filled_url: str, capsys: pytest.CaptureFixture[str], args: list[str], expected: dict) -> None:
    code, out, err = run_cli(["report", "coverage", *args, "--json", "--db", filled_url], capsys)
    assert code == 0, err
    assert {r["key"]: r["articles"] for r in json.loads(out)["rows"]} == expected


def test_coverage_by_month_chart(filled_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "months.png"
    code, _, err = run_cli(["report", "coverage", "", "--by", "month", "--png", str(png), "--db", filled_url], capsys)
    assert code == 0, err
    assert is_png(png)


@pytest.mark.parametrize(
    "args, words",
    [
        (["report", "coverage", "한빛정밀 ("], "parenthesis"),
        (["report", "coverage", "", "--from", "2024-13"], "bad date"),
        (["report", "coverage", "", "--by", "weekday"], "weekday"),
        (["report", "share", "없는회사", "한빛정밀"], "unknown organisation(s): 없는회사"),
    ],
)
def test_report_errors_are_one_line(filled_url: str, capsys: pytest.CaptureFixture[str], args: list[str], words: str) -> None:
    code, _, err = run_cli([*args, "--db", filled_url], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsmine: ") and words in lines[0]


def test_share_of_voice(filled_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "share.png"
    code, out, err = run_cli(["report", "share", "한빛정밀", "㈜새벽소프트", "바다찬", "--png", str(png),
                              "--db", filled_url], capsys)
    assert code == 0, err
    assert "점유율" in out and "57.1%" in out  # 한빛정밀: 4 of 7 article mentions
    assert is_png(png)
    code, out, _ = run_cli(["report", "share", "한빛정밀", "새벽소프트", "--json", "--db", filled_url], capsys)
    result = json.loads(out)
    assert result["organizations"] == ["한빛정밀", "새벽소프트"]
    for period in result["periods"]:
        if period["total"]:
            assert sum(period["shares"].values()) == pytest.approx(1.0)
    august = next(p for p in result["periods"] if p["period"] == "2024-08")
    assert august["counts"] == {"한빛정밀": 0, "새벽소프트": 1}
    code, out, _ = run_cli(["report", "share", "한빛정밀", "바다찬", "--by", "all", "--unit", "mentions", "--json",
                            "--db", filled_url], capsys)
    result = json.loads(out)
    assert result["periods"][0]["counts"] == {"한빛정밀": 4, "바다찬": 1}
    code, out, _ = run_cli(["report", "share", "한빛정밀", "새벽소프트", "--query", "outlet:익산투데이", "--json",
                            "--db", filled_url], capsys)
    assert json.loads(out)["totals"] == {"한빛정밀": 1, "새벽소프트": 2}


def test_korean_font_is_used_when_installed() -> None:
    from newsmine.reports import font_warning, korean_font

    if korean_font() is None:
        assert "fonts-nanum" in (font_warning() or "")
    else:
        assert font_warning() is None


def test_every_postgresql_read_plans_each_statement_for_its_values(filled_url: str) -> None:
    # A report runs one statement many times (its lookups by seq in chunks of 500); psycopg
    # prepares a statement after five runs, and PostgreSQL may then keep a generic plan: on the
    # bench's 30,000 articles `report coverage 기업 --by org` took 29.8 s instead of 0.45 s.
    from index import open_store

    if not filled_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL planner setting")
    store = open_store(filled_url)
    try:
        with store.read() as db:
            assert db.execute("SHOW plan_cache_mode").fetchone()[0] == "force_custom_plan"
            assert db.execute("SHOW jit").fetchone()[0] == "off"
            # a search's planner hints, undone after the matches are read, leave the read's settings
            store.matching(db, "계약", "a.seq, a.title")
            assert db.execute("SHOW jit").fetchone()[0] == "off"
            assert db.execute("SHOW enable_seqscan").fetchone()[0] == "on"
    finally:
        store.close()

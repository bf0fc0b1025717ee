"""`newsmine report`: coverage and share-of-voice tables in the terminal, charts as PNG.

Charts use matplotlib's Agg back end (no display needed). Hangul needs a Korean font: the
first of KOREAN_FONTS that matplotlib knows is used; when its font cache was built before the
font was installed, the font file is found on disk (KOREAN_FONT_FILES under FONT_DIRS) and
added to the font manager. Only without any such file do the labels render as empty boxes,
and a one-line warning says so (Debian: `apt-get install fonts-nanum`).
"""

from __future__ import annotations

import logging
import os
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsmine.web.format import percent

KOREAN_FONTS = (
    "NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans KR",
    "UnDotum", "Baekmuk Gulim", "Malgun Gothic", "AppleGothic",
)
KOREAN_FONT_FILES = (
    "NanumGothic.ttf", "NanumBarunGothic.ttf", "NotoSansCJK-Regular.ttc", "NotoSansCJKkr-Regular.otf",
    "NotoSansKR-Regular.otf", "NotoSansKR-Regular.ttf", "SourceHanSansKR-Regular.otf", "UnDotum.ttf",
    "gulim.ttf", "malgun.ttf", "AppleGothic.ttf", "AppleSDGothicNeo.ttc",
)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
             "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")
MAX_WIDTH_INCHES = 16.0  # at 120 dpi about 1,900 px plus the legend
BIN_LABELS = {"week": "주간", "month": "월간", "quarter": "분기별", "year": "연간"}
BY_LABELS = {"outlet": "매체", "org": "기관", "region": "지역", "month": "월"}
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#B8A100", "#9A9A9A")
MAX_BARS = 25


# ---------------------------------------------------------------- terminal


def coverage_table(result: dict[str, Any]) -> Table:
    by = result["by"]
    title = f"보도량: {result['query'] or '(전체)'} — {BY_LABELS.get(by, by)}별"
    if result.get("from") or result.get("to"):
        title += f" ({result.get('from') or '…'} ~ {result.get('to') or '…'})"
    table = Table(title=title, caption=f"기사 {result['articles']}건 · 기사 묶음 {result['stories']}건")
    table.add_column(BY_LABELS.get(by, by))
    table.add_column("기사", justify="right")
    table.add_column("묶음", justify="right")
    table.add_column("비율", justify="right")
    for row in result["rows"]:
        table.add_row(str(row["key"]), f"{row['articles']:,}", f"{row['stories']:,}", percent(row["share"]))
    return table


def share_table(result: dict[str, Any]) -> Table:
    unit = "기사" if result["unit"] == "articles" else "언급"
    table = Table(title=f"점유율 ({unit} 기준)")
    table.add_column("기간")
    for name in result["organizations"]:
        table.add_column(name, justify="right")
    table.add_column("합계", justify="right")
    for row in result["periods"] if result.get("by") == "month" else []:  # by=all: the total row alone
        cells = [f"{row['counts'][n]:,} ({percent(row['shares'][n])})" for n in result["organizations"]]
        table.add_row(row["period"], *cells, f"{row['total']:,}")
    totals = [f"{result['totals'][n]:,} ({percent(result['shares'][n])})" for n in result["organizations"]]
    table.add_row("전체", *totals, f"{sum(result['totals'].values()):,}", style="bold")
    return table


def print_table(table: Table, console: Console | None = None) -> None:
    (console or Console()).print(table)


# ---------------------------------------------------------------- charts


def korean_font_files() -> list[Path]:
    """Korean font files on disk (KOREAN_FONT_FILES under FONT_DIRS), in the order of preference."""
    wanted = {name.lower(): rank for rank, name in enumerate(KOREAN_FONT_FILES)}
    found: list[tuple[int, str]] = []
    for folder in FONT_DIRS:
        for root, _, files in os.walk(os.path.expanduser(folder)):
            found += [(wanted[f.lower()], os.path.join(root, f)) for f in files if f.lower() in wanted]
    return [Path(path) for _, path in sorted(found)]


@lru_cache(maxsize=1)
def korean_font() -> str | None:
    """The family name of a Korean font matplotlib can use, or None. A font installed after
    matplotlib built its font cache is not in the cache: its file is added explicitly."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    known = next((name for name in KOREAN_FONTS if name in installed), None)
    if known:
        return known
    for path in korean_font_files():
        try:
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    return None


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = korean_font()
    if family:
        plt.rcParams["font.family"] = family
    plt.rcParams["axes.unicode_minus"] = False  # the Korean fonts lack U+2212
    return plt


def _save(fig: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
        fig.savefig(path, dpi=120, bbox_inches="tight")


def font_warning() -> str | None:
    if korean_font() is None:
        return "no Korean font found (install fonts-nanum): Hangul labels in the PNG will show as boxes"
    return None


def _width(columns: int) -> float:
    """Figure width in inches for `columns` bars, capped at MAX_WIDTH_INCHES."""
    return min(MAX_WIDTH_INCHES, max(6.0, 0.55 * columns + 3))


def coverage_png(result: dict[str, Any], path: Path) -> Path:
    """The result's periods (weeks, months, quarters or years: its `bin`) as x; bars stacked
    by the top keys (or plain bars for by=month)."""
    plt = _pyplot()
    months = result.get("periods") or result["months"]  # periods: the binned columns
    field = "by_period" if result.get("periods") else "by_month"
    bin = result.get("bin", "month") if result.get("periods") else "month"
    by = result["by"]
    fig, ax = plt.subplots(figsize=(_width(len(months) if months else MAX_BARS), 4.2))
    if by == "month" and months:
        totals = result.get("period_totals") if field == "by_period" else {r["key"]: r["articles"] for r in result["rows"]}
        ax.bar(months, [(totals or {}).get(m, 0) for m in months], color=COLOURS[0])
        ax.tick_params(axis="x", labelrotation=45)
    elif not months:
        rows = result["rows"][:MAX_BARS]
        keys = [r["key"] for r in rows]
        ax.bar(keys, [r["articles"] for r in rows], color=COLOURS[0])
        ax.tick_params(axis="x", labelrotation=30)
    else:
        rows = result["rows"]
        head, rest = rows[:7], rows[7:]
        series = [(r["key"], r[field]) for r in head]
        if rest:
            other: dict[str, int] = {}
            for r in rest:
                for m, n in r[field].items():
                    other[m] = other.get(m, 0) + n
            series.append(("기타", other))
        bottom = [0] * len(months)
        for (key, values), colour in zip(series, COLOURS):
            heights = [values.get(m, 0) for m in months]
            ax.bar(months, heights, bottom=bottom, label=str(key), color=colour)
            bottom = [b + h for b, h in zip(bottom, heights)]
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.tick_params(axis="x", labelrotation=45)
    title = f"{result['query'] or '전체 기사'}: {BY_LABELS.get(by, by)}별 {BIN_LABELS.get(bin, bin)} 기사 수"
    ax.set_title(title)
    ax.set_ylabel("기사 수")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    _save(fig, path)
    plt.close(fig)
    return path


def share_png(result: dict[str, Any], path: Path) -> Path:
    """100% stacked bars: each period's coverage split between the organisations."""
    plt = _pyplot()
    periods = [p for p in result["periods"] if p["total"]]
    labels = [p["period"] for p in periods] or ["-"]
    fig, ax = plt.subplots(figsize=(_width(len(labels)), 4.2))
    bottom = [0.0] * len(periods)
    for name, colour in zip(result["organizations"], COLOURS * 4):
        heights = [p["shares"][name] * 100 for p in periods]
        ax.bar(labels[: len(periods)], heights, bottom=bottom, label=name, color=colour)
        bottom = [b + h for b, h in zip(bottom, heights)]
    unit = "기사" if result["unit"] == "articles" else "언급"
    ax.set_title(f"점유율 ({unit} 기준)")
    ax.set_ylabel("%")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.tick_params(axis="x", labelrotation=45)
    ax.spines[["top", "right"]].set_visible(False)
    _save(fig, path)
    plt.close(fig)
    return path

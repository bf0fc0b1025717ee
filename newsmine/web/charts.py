"""Inline SVG bar charts, drawn on the server: no script, no CDN, readable without colour
(every bar has a <title> tooltip and the pages show the same numbers in a table).

Labels are escaped here because the result is returned as Markup.
"""

from __future__ import annotations

import math
from typing import Iterable

from markupsafe import Markup, escape

# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies); grey = 기타.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#B8A100")
OTHER_COLOUR = "#9A9A9A"
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 46
MAX_X_LABELS = 12


def _ticks(maximum: int) -> list[int]:
    """Up to five round y-axis ticks from 0 to at least `maximum`."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    top = step * math.ceil(maximum / step)
    return list(range(0, top + 1, step))


def _frame(title: str, ticks: list[int], labels: list[str], slot: float) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    top = ticks[-1] or 1
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in ticks:
        y = TOP + plot_h - plot_h * tick / top
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{tick:,}</text>')
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    for i, label in enumerate(labels):
        if i % every:
            continue
        x = LEFT + slot * (i + 0.5)
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" fill="#333">'
            f"{escape(label)}</text>"
        )
    return out


def bar_chart(labels: list[str], values: list[int], title: str, unit: str = "건") -> Markup:
    """Vertical bars, one per label (months, usually)."""
    if not labels:
        return Markup('<p class="empty">표시할 자료가 없습니다.</p>')
    ticks = _ticks(max(values or [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(labels)
    bar = max(2.0, slot * 0.7)
    out = _frame(title, ticks, labels, slot)
    for i, (label, value) in enumerate(zip(labels, values)):
        h = plot_h * value / (ticks[-1] or 1)
        x = LEFT + slot * i + (slot - bar) / 2
        y = TOP + plot_h - h
        out.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {value:,}{escape(unit)}</title></rect>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def stacked_chart(
    months: list[str], series: Iterable[tuple[str, dict[str, int]]], title: str, unit: str = "건"
) -> Markup:
    """Bars per month, stacked by key (outlets, organisations …), with a legend."""
    series = list(series)
    if not months or not series:
        return Markup('<p class="empty">표시할 자료가 없습니다.</p>')
    totals = [sum(values.get(m, 0) for _, values in series) for m in months]
    ticks = _ticks(max(totals))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(months)
    bar = max(2.0, slot * 0.7)
    out = _frame(title, ticks, months, slot)
    colours = [PALETTE[i % len(PALETTE)] if key != "기타" else OTHER_COLOUR for i, (key, _) in enumerate(series)]
    for i, month in enumerate(months):
        y = TOP + plot_h
        x = LEFT + slot * i + (slot - bar) / 2
        for (key, values), colour in zip(series, colours):
            value = values.get(month, 0)
            if not value:
                continue
            h = plot_h * value / (ticks[-1] or 1)
            y -= h
            out.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(month)} {escape(key)}: {value:,}{escape(unit)}</title></rect>"
            )
    out.append("</svg>")
    legend = ['<ul class="legend">']
    for (key, _), colour in zip(series, colours):
        legend.append(
            f'<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{colour}"/></svg> '
            f"<bdi>{escape(key)}</bdi></li>"
        )
    legend.append("</ul>")
    return Markup("".join(out) + "".join(legend))


def top_series(rows: list[dict], keep: int = 6, field: str = "by_month") -> list[tuple[str, dict[str, int]]]:
    """The `keep` largest rows of a coverage result as chart series, the rest summed as 기타
    (`field`: by_month, or by_period for the binned columns)."""
    head = [(r["key"], r[field]) for r in rows[:keep]]
    rest = rows[keep:]
    if rest:
        other: dict[str, int] = {}
        for row in rest:
            for month, n in row[field].items():
                other[month] = other.get(month, 0) + n
        head.append(("기타", other))
    return head

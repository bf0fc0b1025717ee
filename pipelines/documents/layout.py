"""Lines from a document's paragraphs and tables, the same way for every format.

A reader hands over paragraphs as strings and tables as rows of cells (each cell a list of
lines). A row of several cells becomes one line, cells joined by ' | ', so a figure stays next
to its label; a one-column table (releases often frame the whole text in one) gives its lines
as they are, so the paragraphs inside stay sentences.
"""

from __future__ import annotations

import re

CELL_SEPARATOR = " | "

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff\ufffe\uffff\ue000-\uf8ff]")


def clean_line(text: str) -> str:
    """One line with runs of spaces (also no-break and ideographic ones) made one space,
    control characters and private-use glyphs (HWP draws bullets and logos with them)
    dropped."""
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def table_lines(rows: list[list[list[str]]]) -> list[str]:
    """Lines for one table: `rows` is a list of rows, each a list of cells, each cell the
    lines of its content (nested tables already flattened into them)."""
    lines: list[str] = []
    for row in rows:
        cells = [[line for line in cell if line] for cell in row]
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        if len(row) == 1 or len(filled) == 1:
            lines.extend(filled[0])
        else:
            lines.append(CELL_SEPARATOR.join(" ".join(cell) for cell in cells if cell))
    return lines


def join_lines(lines: list[str]) -> str:
    """The body: non-empty cleaned lines, one per line."""
    return "\n".join(line for line in (clean_line(raw) for raw in lines) if line)

"""bench/RESULTS.md is shared by every benchmark: each one owns the section under its `## `
heading and rewrites only that, so a re-run never disturbs another benchmark's figures."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _section_pattern(heading: str) -> re.Pattern[str]:
    return re.compile(r"^" + re.escape(heading) + r"\n.*?(?=^## |\Z)", re.S | re.M)


def write_section(heading: str, section: str, *, keep_from: str | None = None, after: str | None = None,
                  path: Path = RESULTS) -> None:
    """Replace the section that starts with `heading` (up to the next `## ` heading), or add
    it; `section` includes the heading line.

    `keep_from`: a marker after which the section holds hand-kept notes; they survive the
    rewrite (the marker alone is written the first time). `after`: the heading of the section
    a new section goes behind (else it goes at the end)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    match = _section_pattern(heading).search(text)
    block = section.rstrip() + "\n\n"
    if keep_from is not None:
        old = match.group() if match else ""
        kept = old[old.index(keep_from):].rstrip() if keep_from in old else keep_from
        block += kept + "\n\n"
    if match:
        text = text[:match.start()] + block + text[match.end():]
    else:
        anchor = _section_pattern(after).search(text) if after else None
        at = anchor.end() if anchor else None
        text = text[:at] + block + text[at:] if at is not None else text.rstrip() + "\n\n" + block
    path.write_text(text.rstrip() + "\n", encoding="utf-8")

"""Snippets: a short body excerpt around the first match, matches wrapped in «…».

The index holds Kiwi terms, not the raw text, so FTS5's own snippet() would show morphemes;
instead the compiled query's patterns (terms, compounds, terms with short gaps for particles)
are found in the raw body. Plain-text markers keep the snippet safe for terminals and JSON;
a web page escapes the text and turns «…» into <mark>.
"""

from __future__ import annotations

import re

OPEN, CLOSE = "«", "»"
WIDTH = 160
BEFORE = 50  # characters of context before the first match


def pattern_regex(patterns: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex for all patterns, longest first."""
    if not patterns:
        return None
    ordered = sorted(patterns, key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in ordered), re.IGNORECASE)


def make_snippet(body: str, regex: re.Pattern[str] | None, width: int = WIDTH) -> str:
    """~width characters of body around the first match, whitespace collapsed, marked."""
    first = regex.search(body) if regex else None
    start = max(0, first.start() - BEFORE) if first else 0
    if start > 0:
        space = body.find(" ", start, start + 15)
        if space >= 0 and (first is None or space < first.start()):
            start = space + 1
    end = min(len(body), start + width)
    if first is not None and first.end() > end:
        end = min(len(body), first.end() + 20)
    if end < len(body):
        space = body.rfind(" ", end - 15, end)
        if space > start and (first is None or space >= first.end()):
            end = space
    text = re.sub(r"\s+", " ", body[start:end]).strip()
    if regex is not None:
        text = regex.sub(lambda m: f"{OPEN}{m.group(0)}{CLOSE}" if m.group(0) else "", text)
    return ("…" if start > 0 else "") + text + ("…" if end < len(body) else "")

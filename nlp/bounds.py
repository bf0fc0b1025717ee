"""How much text one article may bring to the NLP stage and the search terms.

Kiwi, the syntax layer and the term analysis cost time roughly in proportion to the text (and
spaCy refuses a Doc over a million characters), so a page of junk megabytes long would hold a
worker for many minutes and then fail. No news article comes near the bound (the longest body
among the saved real pages is 3,174 characters), nor does a press release of a few pages. A
longer text is cut at the last sentence end before the bound, and the caller records the cut.
"""

from __future__ import annotations

import re

MAX_TEXT_CHARS = 100_000
MAX_TITLE_CHARS = 500

# a sentence end: terminal punctuation (optionally closed by a quote or bracket) before space,
# or a line break
_SENTENCE_END = re.compile(r"[.!?。](?:[\"'’”)\]]*)(?=\s)|\n")


def cap_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """(`text` cut to at most `limit` characters, whether it was cut). The cut falls at the
    last sentence end in the final fifth of the allowance, else at the last space, else hard."""
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    floor = limit * 4 // 5
    end = None
    for match in _SENTENCE_END.finditer(head, floor):
        end = match.end()
    if end is None:
        space = head.rfind(" ", floor)
        end = space if space > 0 else limit
    return head[:end].rstrip(), True


def looks_like_text(data: bytes | str, sample: int = 65_536) -> bool:
    """False for binary data read as text: NUL bytes, or many control or undecodable
    characters in the first `sample` characters (a real article has next to none)."""
    chunk = data[:sample]
    if isinstance(chunk, bytes):
        if b"\x00" in chunk:
            return False
        chunk = chunk.decode("utf-8", errors="replace")
    if "\x00" in chunk:
        return False
    if not chunk:
        return True
    bad = sum(1 for c in chunk if c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f"))
    return bad / len(chunk) < 0.01

"""The release's title, found in its first lines.

Government releases share a layout: a header block (보도자료 / 보도설명자료 / 동정자료, a
table with 보도시점, 배포, contact people), then the title in one or two lines, then
subtitles starting with '-' and the body's □ / ○ paragraphs. Forms and RFPs name it in a
labelled field (제목, 건명, 사업명). Document metadata is no help: the HWP summary and HWPX
`opf:title` of the real files hold a template's '제목을 입력하세요' or the ministry's name.
"""

from __future__ import annotations

import re

from nlp.bounds import MAX_TITLE_CHARS

_HEADER_WORD = re.compile(r"^[\[<(【〈]?(보도|동정|해명|설명|참고|홍보|알림)\w{0,6}자료[\]>)】〉]?$"
                          r"|^보도(계획|안내|참고)$"
                          r"|^(검토보고서?|심사보고서?|제안요청서(\(RFP\))?|공고문?)$", re.I)
_LABELLED = re.compile(r"^\s*(제\s*목|건\s*명|사\s*업\s*명)\s*(?:\||:|：)?\s*(\S.{3,})$")
_HEADER_FIELD = re.compile(r"^(보도\s*시점|보도\s*일시|배\s*포|자료\s*문의|담당|문의|작성|수\s*신|발\s*신|경\s*유|"
                           r"http|www\.|-\s*\d+\s*-$|\d+\s*/\s*\d+$)", re.I)
_DATE = re.compile(r"\d{4}\s*[.년]\s*\d{1,2}\s*[.월]\s*(\d{1,2}\s*[.일]?)?")
_CONTINUATION_BLOCKERS = ("-", "–", "□", "○", "ㅇ", "o ", "•", "◈", "◇", "*", "※", "<", "〈", "(", "[", "▶", "■")
SCAN_LINES = 40
SHORT_FIRST_LINE = 30     # a title set over two lines breaks its first line early
MAX_SECOND_LINE = 60


def is_header_word(line: str) -> bool:
    """보도자료, 보 도 자 료, [보도설명자료] … the document kind, not its title."""
    return bool(_HEADER_WORD.match(re.sub(r"\s+", "", line)))


def find_title(lines: list[str], heading: list[str] | None = None) -> str:
    """The title among the first lines: a labelled field, else (for a PDF) the largest-type
    lines of page 1, else the first line after the header block, joined with the next when
    the first breaks early."""
    head = lines[:SCAN_LINES]
    for line in head:
        match = _LABELLED.match(line)
        if match:
            return _bounded(match.group(2).split(" | ")[0])
    if heading:
        return _bounded(" ".join(heading))
    for index, line in enumerate(head):
        if not _is_header_line(line):
            title = line
            following = head[index + 1] if index + 1 < len(head) else ""
            if (len(line) < SHORT_FIRST_LINE and following and not _is_header_line(following)
                    and len(following) <= MAX_SECOND_LINE and not following.startswith(_CONTINUATION_BLOCKERS)):
                title = f"{line} {following}"
            return _bounded(title)
    return ""


def _is_header_line(line: str) -> bool:
    text = line.strip()
    if not text or " | " in text or is_header_word(text) or _HEADER_FIELD.match(text):
        return True
    letters = sum(char.isalpha() for char in text)
    if letters < 2:
        return True
    date = _DATE.search(text)
    return bool(date) and len(text) - len(date.group(0)) < 20      # a date line, not a sentence


def _bounded(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    return title[:MAX_TITLE_CHARS]

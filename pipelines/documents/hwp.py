"""HWP 5 (Hancom's binary format): an OLE compound file whose `BodyText/SectionN` streams
hold raw-deflated records.

Written by hand on olefile (BSD) and zlib after comparing the PyPI readers on the real
attachments (bench/documents_eval.py): each of them failed a real release, lost text after a
table or repeated every table, and none says *why* a file cannot be read. The format is
Hancom's published specification (한글 문서 파일 형식 5.0):

- `FileHeader`: signature, version, and flags (bit 0 compressed, bit 1 password,
  bit 2 distribution document — 배포용, whose text sits encrypted in `ViewText`).
- a record header is one little-endian UINT32: tag (10 bits), level (10 bits), size (12 bits;
  0xFFF means a UINT32 size follows). A record's children follow it at a deeper level.
- paragraphs: PARA_HEADER (HWPTAG_BEGIN+50) then, one level down, PARA_TEXT (+51: UTF-16LE with
  control characters) and CTRL_HEADER (+55) for each extended control, in text order.
- a table: CTRL_HEADER 'tbl ' → TABLE (+61: rows, columns) and, per cell, LIST_HEADER (+56:
  paragraph count, properties, then the cell's column and row) followed by the cell's
  paragraphs at the same level.

HWP 3.0 (a different, pre-OLE format) is reported as an unsupported format.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass

from pipelines.documents.layout import clean_line, table_lines
from pipelines.documents.model import (COLLECT_CHARS, MAX_INFLATED_BYTES, Deadline,
                                       DocumentError)

HWPTAG_BEGIN = 0x10
PARA_HEADER = HWPTAG_BEGIN + 50
PARA_TEXT = HWPTAG_BEGIN + 51
CTRL_HEADER = HWPTAG_BEGIN + 55
LIST_HEADER = HWPTAG_BEGIN + 56
TABLE = HWPTAG_BEGIN + 61

FLAG_COMPRESSED = 0x1
FLAG_PASSWORD = 0x2
FLAG_DISTRIBUTION = 0x4

# control characters in PARA_TEXT: extended and inline ones take 8 WCHARs (the code, 6 WCHARs
# of data, the code again); the rest take one
EXTENDED_CONTROLS = frozenset({1, 2, 3, 11, 12, 14, 15, 16, 17, 18, 21, 22, 23})
INLINE_CONTROLS = frozenset({4, 5, 6, 7, 8, 9, 19, 20})
ONE_CHAR = {9: " ", 10: "\n", 24: "-", 30: " ", 31: " "}   # tab, line break, hyphen, spaces

# controls whose paragraph lists are not body text: page header and footer, hidden comment
SKIPPED_CONTROLS = frozenset({"head", "foot", "tcmt"})

_SECTION = re.compile(r"Section(\d+)$")


@dataclass
class Record:
    tag: int
    level: int
    payload: bytes


def read_hwp(data: bytes, deadline: Deadline) -> list[str]:
    """The body's lines of an HWP 5 file. (The summary's title, 파일-문서 정보, is not used: in
    the real releases it is empty, a template's '제목을 입력하세요' or another document's.)"""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 — olefile raises many kinds on a bad file
        raise DocumentError("broken", f"not a readable OLE file ({error})") from None
    with ole:
        flags = _header_flags(ole)
        if flags & FLAG_PASSWORD:
            raise DocumentError("encrypted", "the HWP file is password-protected")
        if flags & FLAG_DISTRIBUTION:
            raise DocumentError("distribution-protected",
                                "a distribution document (배포용 문서): its text is encrypted for viewing only")
        sections = sorted((int(m.group(1)), path) for path in ole.listdir()
                          if len(path) == 2 and path[0] == "BodyText" and (m := _SECTION.match(path[1])))
        if not sections:
            if any(path[0] == "ViewText" for path in ole.listdir()):
                raise DocumentError("distribution-protected", "only an encrypted ViewText body")
            raise DocumentError("broken", "no BodyText section")
        lines: list[str] = []
        size = 0
        for _, path in sections:
            deadline.check()
            raw = _read_stream(ole, path)
            if flags & FLAG_COMPRESSED:
                raw = _inflate(raw)
            records = _parse_records(raw, deadline)
            for line in _paragraph_list(records, 0, len(records), _end_index(records), deadline):
                lines.append(line)
                size += len(line)
            if size > COLLECT_CHARS:
                break
    return lines


def _header_flags(ole) -> int:
    try:
        header = _read_stream(ole, ["FileHeader"])
    except DocumentError:
        raise DocumentError("broken", "no FileHeader stream") from None
    if not header.startswith(b"HWP Document File") or len(header) < 40:
        raise DocumentError("broken", "the FileHeader stream lacks the HWP signature")
    return struct.unpack_from("<I", header, 36)[0]


def _read_stream(ole, path: list[str]) -> bytes:
    try:
        if ole.get_size(path) > MAX_INFLATED_BYTES:
            raise DocumentError("too large", f"stream {'/'.join(path)} is over {MAX_INFLATED_BYTES >> 20} MB")
        return ole.openstream(path).read()
    except DocumentError:
        raise
    except Exception as error:  # noqa: BLE001
        raise DocumentError("broken", f"cannot read stream {'/'.join(path)} ({error})") from None


def _inflate(raw: bytes) -> bytes:
    """Raw deflate (no zlib header), bounded: a bomb stops at MAX_INFLATED_BYTES."""
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(raw, MAX_INFLATED_BYTES)
    except zlib.error as error:
        raise DocumentError("broken", f"a BodyText section does not inflate ({error})") from None
    if inflater.unconsumed_tail:
        raise DocumentError("too large", f"a section inflates to over {MAX_INFLATED_BYTES >> 20} MB")
    return out


def _parse_records(raw: bytes, deadline: Deadline) -> list[Record]:
    records: list[Record] = []
    pos, end = 0, len(raw)
    while pos + 4 <= end:
        (header,) = struct.unpack_from("<I", raw, pos)
        pos += 4
        tag, level, size = header & 0x3FF, (header >> 10) & 0x3FF, header >> 20
        if size == 0xFFF:
            if pos + 4 > end:
                break
            (size,) = struct.unpack_from("<I", raw, pos)
            pos += 4
        if pos + size > end:      # a truncated last record: keep what came before
            break
        records.append(Record(tag, level, raw[pos:pos + size]))
        pos += size
        if len(records) % 20_000 == 0:
            deadline.check()
    if not records and raw:
        raise DocumentError("broken", "a BodyText section holds no records")
    return records


def _end_index(records: list[Record]) -> list[int]:
    """For each record, the index just past its subtree (the next record at its level or
    above), so a record's children are records[i + 1:end[i]]."""
    end = [len(records)] * len(records)
    stack: list[int] = []
    for i, record in enumerate(records):
        while stack and records[stack[-1]].level >= record.level:
            end[stack.pop()] = i
        stack.append(i)
    return end


def _paragraph_list(records: list[Record], start: int, stop: int, end: list[int],
                    deadline: Deadline) -> list[str]:
    """Lines of the paragraphs at the shallowest level in records[start:stop]."""
    heads = [i for i in range(start, stop) if records[i].tag == PARA_HEADER]
    if not heads:
        return []
    level = min(records[i].level for i in heads)
    lines: list[str] = []
    for i in heads:
        if records[i].level == level:
            lines.extend(_paragraph(records, i, end, deadline))
    return lines


def _paragraph(records: list[Record], index: int, end: list[int], deadline: Deadline) -> list[str]:
    """One paragraph's lines: its text, with each table or text box it anchors put where the
    control sits in the text."""
    level = records[index].level
    text = b""
    controls: list[int] = []
    for i in range(index + 1, end[index]):
        record = records[i]
        if record.level != level + 1:
            continue
        if record.tag == PARA_TEXT:
            text = record.payload
        elif record.tag == CTRL_HEADER:
            controls.append(i)
    lines: list[str] = []
    current: list[str] = []
    pending = iter(controls)
    for piece in _decode_text(text):
        if piece is None:                         # an extended control: its content, if any
            control = next(pending, None)
            inner = _control_lines(records, control, end, deadline) if control is not None else []
            if inner:
                lines.extend("".join(current).split("\n"))
                current = []
                lines.extend(inner)
        else:
            current.append(piece)
    lines.extend("".join(current).split("\n"))
    for control in pending:                       # controls the text did not place
        lines.extend(_control_lines(records, control, end, deadline))
    return [line for line in (clean_line(raw) for raw in lines) if line]


def _decode_text(payload: bytes):
    """Text pieces of a PARA_TEXT payload, with None where an extended control sits."""
    count = len(payload) // 2
    units = struct.unpack_from(f"<{count}H", payload) if count else ()
    i = 0
    run: list[str] = []
    while i < count:
        code = units[i]
        if code >= 32:
            run.append(chr(code))
            i += 1
            continue
        if run:
            yield _utf16("".join(run))
            run = []
        if code in EXTENDED_CONTROLS:
            yield None
            i += 8
        elif code in INLINE_CONTROLS:
            if code == 9:
                yield " "
            i += 8
        else:
            yield ONE_CHAR.get(code, "")
            i += 1
    if run:
        yield _utf16("".join(run))


def _utf16(units: str) -> str:
    """Join surrogate pairs (chr() of each UTF-16 unit) into real characters."""
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _control_lines(records: list[Record], index: int, end: list[int], deadline: Deadline) -> list[str]:
    deadline.check()
    payload = records[index].payload
    control_id = payload[:4][::-1].decode("latin-1") if len(payload) >= 4 else ""
    if control_id in SKIPPED_CONTROLS:
        return []
    if control_id == "tbl ":
        return _table(records, index, end, deadline)
    return _paragraph_list(records, index + 1, end[index], end, deadline)


def _table(records: list[Record], index: int, end: list[int], deadline: Deadline) -> list[str]:
    """A table's lines: each cell's paragraphs grouped by the row the cell starts in."""
    level = records[index].level + 1
    n_rows = n_cols = 0
    cells: list[tuple[int, int, list[str]]] = []   # (row, column, lines)
    i, stop = index + 1, end[index]
    while i < stop:
        record = records[i]
        if record.level == level and record.tag == TABLE and len(record.payload) >= 8:
            n_rows, n_cols = struct.unpack_from("<HH", record.payload, 4)
            i += 1
        elif record.level == level and record.tag == LIST_HEADER:
            j = i + 1
            while j < stop and not (records[j].level == level and records[j].tag == LIST_HEADER):
                j = end[j] if records[j].level >= level else j + 1
            column, row = _cell_address(record.payload, len(cells), n_rows, n_cols)
            cells.append((row, column, _paragraph_list(records, i + 1, j, end, deadline)))
            i = j
        else:
            i += 1
    rows: dict[int, list[tuple[int, list[str]]]] = {}
    for row, column, lines in cells:
        rows.setdefault(row, []).append((column, lines))
    return table_lines([[lines for _, lines in sorted(rows[row], key=lambda c: c[0])]
                        for row in sorted(rows)])


def _cell_address(payload: bytes, ordinal: int, n_rows: int, n_cols: int) -> tuple[int, int]:
    """(column, row) of a cell. The cell properties follow the list header's paragraph count
    (INT16) and properties (UINT32) — and, as Hancom writes them, two more bytes; the offset
    whose address fits the table is taken, else the cell's order (row-major) decides."""
    for offset in (8, 6):
        if len(payload) >= offset + 4:
            column, row = struct.unpack_from("<HH", payload, offset)
            if column < max(n_cols, 1) and row < max(n_rows, 1):
                return column, row
    cols = max(n_cols, 1)
    return ordinal % cols, ordinal // cols

"""Exports of article records as JSON Lines, CSV (for Excel) or XLSX, streamed.

CSV starts with a UTF-8 BOM because Excel otherwise reads Hangul as the local code page; list
and object fields (authors, organizations, achievements) go into cells as JSON text so one
article stays one row. A text cell that Excel would run as a formula (starting with = + - @,
a tab or a carriage return) gets a leading apostrophe in CSV, the usual guard against formula
injection through a crawled title; XLSX marks such cells as text instead. XLSX uses openpyxl's
write-only mode, so memory stays flat.
"""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Any, Iterable

FIELDS = (
    "id", "url", "canonical_url", "outlet", "title", "published_at", "modified_at",
    "authors", "body", "story_id", "organizations", "achievements",
)
JSON_FIELDS = frozenset({"authors", "organizations", "achievements"})
FORMATS = ("jsonl", "csv", "xlsx")
XLSX_CELL_LIMIT = 32_767  # Excel refuses longer cells
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_binary(out: IO[Any]) -> bool:
    if isinstance(out, io.TextIOBase):
        return False
    if isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
        return True
    return "b" in getattr(out, "mode", "")


def _cell(record: dict[str, Any], name: str) -> Any:
    value = record.get(name)
    if name in JSON_FIELDS:
        return json.dumps(value if value is not None else [], ensure_ascii=False)
    return "" if value is None else value


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write_text(records: Iterable[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for record in records:
        writer.writerow([_csv_safe(_cell(record, name)) for name in FIELDS])
        count += 1
    return count


def _write_xlsx(records: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("articles")
    sheet.append(list(FIELDS))
    count = 0
    for record in records:
        row = []
        for name in FIELDS:
            value = _cell(record, name)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a title starting with "=" is text, not a formula
            row.append(cell)
        sheet.append(row)
        count += 1
    workbook.save(out)
    return count


def write_export(records: Iterable[dict[str, Any]], fmt: str, out: IO[Any]) -> int:
    """Write records to `out` (text or binary stream) in `fmt`; returns how many.

    A text stream for CSV should be opened with newline="" (as the csv module asks).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (use {', '.join(FORMATS)})")
    if fmt == "xlsx":
        if not _is_binary(out):
            buffer = getattr(out, "buffer", None)
            if buffer is None:
                raise ValueError("xlsx export needs a binary stream")
            out.flush()
            out = buffer
        return _write_xlsx(records, out)
    if not _is_binary(out):
        return _write_text(records, fmt, out)
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        return _write_text(records, fmt, wrapper)
    finally:
        wrapper.flush()
        wrapper.detach()

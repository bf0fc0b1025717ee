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
from typing import IO, Any, Iterable, Tuple

FIELDS = (
    "id", "url", "canonical_url", "outlet", "title", "published_at", "modified_at",
    "authors", "body", "story_id", "organizations", "achievements",
)
JSON_FIELDS = frozenset({"authors", "organizations", "achievements"})
FORMATS = ("jsonl", "csv", "xlsx")
XLSX_CELL_LIMIT = 32_767  # Excel refuses longer cells
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Layout = Tuple[Tuple[str, ...], frozenset, str]  # CSV/XLSX columns, those holding JSON, sheet name
ARTICLES: Layout = (FIELDS, JSON_FIELDS, "articles")


def _is_binary(out: IO[Any]) -> bool:
    if isinstance(out, io.TextIOBase):
        return False
    if isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
        return True
    return "b" in getattr(out, "mode", "")


def _cell(record: dict[str, Any], name: str, json_fields: frozenset = JSON_FIELDS) -> Any:
    value = record.get(name)
    if name in json_fields:
        return json.dumps(value if value is not None else [], ensure_ascii=False)
    return "" if value is None else value


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write_text(records: Iterable[dict[str, Any]], fmt: str, out: IO[str], layout: "Layout") -> int:
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    fields, json_fields, _ = layout
    writer.writerow(fields)
    for record in records:
        writer.writerow([_csv_safe(_cell(record, name, json_fields)) for name in fields])
        count += 1
    return count


def _write_xlsx(records: Iterable[dict[str, Any]], out: IO[bytes], layout: "Layout") -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    fields, json_fields, title = layout
    sheet = workbook.create_sheet(title)
    sheet.append(list(fields))
    count = 0
    for record in records:
        row = []
        for name in fields:
            value = _cell(record, name, json_fields)
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


def write_export(records: Iterable[dict[str, Any]], fmt: str, out: IO[Any],
                 layout: "Layout | None" = None) -> int:
    """Write records to `out` (text or binary stream) in `fmt`; returns how many.

    `layout` (columns, columns holding JSON, sheet name) gives CSV and XLSX other columns than
    the article records' (JSON Lines writes each record whole). A text stream for CSV should
    be opened with newline="" (as the csv module asks).
    """
    layout = layout or ARTICLES
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (use {', '.join(FORMATS)})")
    if fmt == "xlsx":
        if not _is_binary(out):
            buffer = getattr(out, "buffer", None)
            if buffer is None:
                raise ValueError("xlsx export needs a binary stream")
            out.flush()
            out = buffer
        return _write_xlsx(records, out, layout)
    if not _is_binary(out):
        return _write_text(records, fmt, out, layout)
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        return _write_text(records, fmt, wrapper, layout)
    finally:
        wrapper.flush()
        wrapper.detach()

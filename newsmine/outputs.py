"""Where an export goes: stdout, or the `--output` file the user named.

A file that cannot be created (no such folder, no permission, a full disk) is the user's to
fix, so it is one line naming the file and exit 2, not an internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable

from core.errors import UsageError


def check_output(fmt: str | None, output: Path | None) -> None:
    """Before any work: XLSX is binary, so it needs a file or a redirected stdout."""
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise UsageError("xlsx is binary: give --output FILE or redirect stdout")


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, output: Path | None, layout: Any = None) -> int:
    """Write `rows` in `fmt` (index/export.py) to `output`, or to stdout when it is None."""
    from index.export import write_export

    if output is None:
        count = write_export(rows, fmt, sys.stdout.buffer, layout)
        sys.stdout.buffer.flush()
        return count
    try:
        with output.open("wb") as handle:
            return write_export(rows, fmt, handle, layout)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None

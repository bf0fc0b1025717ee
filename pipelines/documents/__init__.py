"""Text from press-release attachments: PDF, HWPX and HWP 5 files, sniffed by their bytes.

`read_document(data)` returns a `Document` (title, body, format) or raises `DocumentError`
whose `reason` says why a file yields no text: encrypted, distribution-protected, no text
layer, not a document, broken, unsupported format, too large. Size, inflation and time are
bounded (model.py) because attachments come from untrusted boards.
"""

from __future__ import annotations

from nlp.bounds import MAX_TEXT_CHARS, cap_text
from pipelines.documents.layout import join_lines
from pipelines.documents.model import (MAX_DOCUMENT_BYTES, REASONS, Deadline, Document,
                                       DocumentError)
from pipelines.documents.sniff import sniff
from pipelines.documents.title import find_title

__all__ = ["Document", "DocumentError", "REASONS", "read_document", "sniff"]

DOCUMENT_FORMATS = ("pdf", "hwp", "hwpx")


def read_document(data: bytes, *, deadline: Deadline | None = None) -> Document:
    """The text of one PDF, HWPX or HWP 5 file. The body is cut at the NLP stage's bound
    (a sentence end before MAX_TEXT_CHARS) and says so in `body_cut`."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError("too large", f"{len(data):,} bytes (at most {MAX_DOCUMENT_BYTES >> 20} MB)")
    kind = sniff(data)
    deadline = deadline or Deadline()
    heading: list[str] = []
    if kind == "pdf":
        from pipelines.documents.pdf import read_pdf

        lines, heading = read_pdf(data, deadline)
    elif kind == "hwp":
        from pipelines.documents.hwp import read_hwp

        lines = read_hwp(data, deadline)
    elif kind == "hwpx":
        from pipelines.documents.hwpx import read_hwpx

        lines = read_hwpx(data, deadline)
    elif kind == "hwp3":
        raise DocumentError("unsupported format", "HWP 3.0 (a pre-2002 format); save it as HWP 5 or HWPX")
    elif kind == "ole":
        raise DocumentError("unsupported format", "an OLE file that is not HWP (a .doc or .xls?)")
    elif kind == "zip":
        raise DocumentError("unsupported format", "a zip that is not HWPX (a .docx or an archive?)")
    elif kind == "html":
        raise DocumentError("unsupported format", "an HTML page (read it as a page, not a document)")
    else:
        raise DocumentError("not a document", "neither PDF, HWP, HWPX nor HTML by its bytes")
    body = join_lines(lines)
    if not body.strip():
        reason = "no text layer" if kind == "pdf" else "broken"
        raise DocumentError(reason, "the document holds no text")
    body, cut = cap_text(body, MAX_TEXT_CHARS)
    return Document(title=find_title(body.split("\n"), heading), body=body, format=kind, body_cut=cut)

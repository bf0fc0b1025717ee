"""What kind of file some bytes are, from the bytes alone.

Boards name attachments carelessly (an HWP 5 file saved as `.hwpx`, a PDF without an
extension, a `download.do` URL), so the format is decided by magic bytes and container
contents, never by the name.
"""

from __future__ import annotations

import io
import re
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP3_SIGNATURE = b"HWP Document File V3"
ZIP_MAGIC = b"PK\x03\x04"
HWPX_MIMETYPE = b"application/hwp+zip"
OTHER_OLE_STREAMS = ("WordDocument", "Workbook", "Book", "PowerPoint Document", "VisioDocument")

_HTML_START = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|title|div|p|table|article)\b", re.I)


def sniff(data: bytes) -> str:
    """One of `pdf`, `hwp` (HWP 5: an OLE file with a FileHeader stream), `hwp3`, `hwpx`
    (an OWPML zip), `ole` (another OLE file: .doc, .xls), `zip` (another zip: .docx …),
    `html`, or `unknown`."""
    head = data[:1024]
    if b"%PDF-" in head:          # the PDF spec lets junk precede the header
        return "pdf"
    if data.startswith(HWP3_SIGNATURE):
        return "hwp3"
    if data.startswith(OLE_MAGIC):
        return "hwp" if _ole_is_hwp(data) else "ole"
    if data.startswith(ZIP_MAGIC):
        return "hwpx" if _zip_is_hwpx(data) else "zip"
    if _looks_like_html(head):
        return "html"
    return "unknown"


def _ole_is_hwp(data: bytes) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.exists("FileHeader"):   # Word, Excel, PowerPoint … or a cut HWP file
                return not any(ole.exists(name) for name in OTHER_OLE_STREAMS)
            return True       # hwp.py checks the signature (a cut file reads as zeros)
    except Exception:  # noqa: BLE001 — a broken OLE file is read (and reported) by hwp.py
        return True


def _zip_is_hwpx(data: bytes) -> bool:
    if HWPX_MIMETYPE in data[:256]:   # the first member, stored: known even when the zip is cut
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                if archive.read("mimetype").strip().startswith(HWPX_MIMETYPE):
                    return True
            return "Contents/content.hpf" in names or "Contents/section0.xml" in names
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
        return False


def _looks_like_html(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(_HTML_START.search(text[:512]))

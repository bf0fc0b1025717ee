"""HWPX (OWPML, KS X 6101): a zip whose `Contents/sectionN.xml` hold the body as XML.

Written on zipfile and lxml (already a dependency) after comparing the PyPI readers on the
real attachments (bench/documents_eval.py): one refused a real release (a `content.hpf`
that does not list its section), one wrote every table twice, one dropped a paragraph's text
after a table and decided HWP or HWPX by the file name. The structure read here:

- `hp:p` paragraph → `hp:run` → `hp:t` text (with `hp:tab`, `hp:lineBreak`, `hp:nbSpace`,
  `hp:fwSpace`, `hp:hyphen` inside, and the text after each in its tail);
- a table `hp:tbl` in a run → `hp:tr` rows → `hp:tc` cells → `hp:subList` → `hp:p`;
- text boxes and other drawn objects hold paragraphs under their own `hp:subList`;
- `hp:header` / `hp:footer` (page header and footer) are not body text and are skipped.

A password-protected HWPX stays a readable zip, but `META-INF/manifest.xml` declares
`encryption-data` for its parts and the XML is ciphertext: reported as encrypted.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from pipelines.documents.layout import clean_line, table_lines
from pipelines.documents.model import (COLLECT_CHARS, MAX_INFLATED_BYTES, Deadline,
                                       DocumentError)

_SECTION = re.compile(r"^Contents/section(\d+)\.xml$", re.I)
INLINE_CHARS = {"tab": " ", "lineBreak": "\n", "nbSpace": " ", "fwSpace": " ", "hyphen": "-"}
SKIPPED = frozenset({"header", "footer", "hiddenComment", "linesegarray", "secPr", "ctrl-skipped"})
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True, remove_pis=True)


def read_hwpx(data: bytes, deadline: Deadline) -> list[str]:
    """The body's lines of an HWPX file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DocumentError("broken", f"not a readable zip ({error})") from None
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        if _encrypted(archive, infos):
            raise DocumentError("encrypted", "the HWPX file is password-protected")
        sections = sorted((int(m.group(1)), name) for name in infos if (m := _SECTION.match(name)))
        if not sections:
            raise DocumentError("broken", "no Contents/section*.xml in the HWPX zip")
        lines: list[str] = []
        size = 0
        for _, name in sections:
            deadline.check()
            root = _parse(_member(archive, infos[name]), name)
            for line in _block_lines(root, deadline):
                lines.append(line)
                size += len(line)
            if size > COLLECT_CHARS:
                break
    return lines


def _encrypted(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> bool:
    if any(info.flag_bits & 0x1 for info in infos.values()):    # zip-level encryption
        return True
    manifest = infos.get("META-INF/manifest.xml")
    return manifest is not None and b"encryption-data" in _member(archive, manifest)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One zip member, refused past MAX_INFLATED_BYTES whatever its header claims."""
    if info.file_size > MAX_INFLATED_BYTES:
        raise DocumentError("too large", f"{info.filename} is over {MAX_INFLATED_BYTES >> 20} MB")
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_INFLATED_BYTES + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError, EOFError) as error:
        raise DocumentError("broken", f"cannot read {info.filename} ({error})") from None
    if len(data) > MAX_INFLATED_BYTES:
        raise DocumentError("too large", f"{info.filename} inflates to over {MAX_INFLATED_BYTES >> 20} MB")
    return data


def _parse(xml: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as error:
        raise DocumentError("broken", f"{name} is not well-formed XML ({error})") from None


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _block_lines(container: etree._Element, deadline: Deadline) -> list[str]:
    """Lines of the paragraphs directly under `container` (a section or a subList)."""
    lines: list[str] = []
    for child in container:
        if _local(child) == "p":
            lines.extend(_paragraph(child, deadline))
    return lines


def _paragraph(paragraph: etree._Element, deadline: Deadline) -> list[str]:
    """One paragraph's lines; a table or text box in it is put where it sits in the text."""
    lines: list[str] = []
    current: list[str] = []
    for run in paragraph:
        if _local(run) != "run":
            continue
        for item in run:
            name = _local(item)
            if name == "t":
                current.append(_text(item))
            elif name in SKIPPED:
                continue
            else:
                inner = _object_lines(item, deadline)
                if inner:
                    lines.extend("".join(current).split("\n"))
                    current = []
                    lines.extend(inner)
    lines.extend("".join(current).split("\n"))
    return [line for line in (clean_line(raw) for raw in lines) if line]


def _text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append(INLINE_CHARS.get(_local(child), ""))
        parts.append(child.tail or "")
    return "".join(parts)


def _object_lines(element: etree._Element, deadline: Deadline) -> list[str]:
    """A table's rows, or the paragraphs of the first subLists inside any other object
    (text box, drawing, footnote); page headers and footers give nothing."""
    deadline.check()
    name = _local(element)
    if name == "tbl":
        return _table(element, deadline)
    if name in SKIPPED:
        return []
    lines: list[str] = []
    for child in element:
        child_name = _local(child)
        if child_name == "subList":
            lines.extend(_block_lines(child, deadline))
        elif child_name not in SKIPPED:
            lines.extend(_object_lines(child, deadline))
    return lines


def _table(table: etree._Element, deadline: Deadline) -> list[str]:
    rows: list[list[list[str]]] = []
    for row in table:
        if _local(row) != "tr":
            continue
        cells: list[list[str]] = []
        for cell in row:
            if _local(cell) != "tc":
                continue
            cell_lines: list[str] = []
            for part in cell:
                if _local(part) == "subList":
                    cell_lines.extend(_block_lines(part, deadline))
            cells.append(cell_lines)
        rows.append(cells)
    return table_lines(rows)

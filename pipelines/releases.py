"""A press release as one article: the board post's text plus the text of its attached files.

`extract_release` turns a fetched post and its attachments (crawler.items.Attachment) into
one record of kind `press_release`. The body is the page's text followed by each readable
file's text (a page that is only a stub, "see the attached file", gives way to the files);
`release.sections` says which characters of the body came from the page and which from each
file; each readable file's entry in `release.attachments` keeps its own header fields. The
header block of a Korean release (담당 부서, 책임자/담당자 and their telephone
numbers, 보도시점, 배포) is read from lines whose label is unmistakable, and the issuing body
from the standard opening "기관명(장관 홍길동)은"; a field that is not reliably there stays
null rather than guessed.

Each file that yields no text gives one failure with the DocumentError reason (encrypted,
distribution-protected, no text layer, broken …) or the download error; the page is stored
all the same. A file whose name did not claim to be a document and whose bytes are none (a
photo behind `download.do`) is skipped, not a failure.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable

from crawler.items import Attachment
from nlp.bounds import MAX_TEXT_CHARS, cap_text
from pipelines.documents import Document, DocumentError, read_document
from pipelines.extract import ExtractionError

log = logging.getLogger(__name__)

KIND = "press_release"
STUB_CHARS = 100        # a page text shorter than this, beside a readable file, is a stub
                        # ("붙임 보도자료를 참고하시기 바랍니다.": 20 characters)
HEADER_LINES = 40       # the header block is at the top of a release (or its last lines)
SEPARATOR = "\n\n"
_UNCLAIMED_SKIP = ("not a document", "unsupported format")

_PHONE = re.compile(r"\(?\b(0\d{1,2}[-)．.\s]\d{3,4}[-．.\s]\d{4})\b\)?")
_DEPARTMENT = re.compile(r"^(?:담\s*당\s*부\s*서|자\s*료\s*문\s*의|소\s*관\s*부\s*서|문\s*의\s*처?)\s*[:|]?\s*\|?\s*(.+)$")
_EMBARGO = re.compile(r"^(?:보\s*도\s*시\s*점|보\s*도\s*일\s*시)\s*[:|]\s*(.+)$")
_DISTRIBUTED = re.compile(r"(?:^|[|/]\s*)(?:배\s*포(?:\s*일(?:\s*시)?)?)\s*[:|]\s*([^|/]+)")
_NAME = re.compile(r"^[가-힣](?:\s?[가-힣]){1,3}$")
_ISSUER = re.compile(
    r"([가-힣A-Za-z]{2,30}?(?:부|처|청|원|공사|공단|위원회|재단|도|시|군|구))"
    r"\s*\(\s*(?:장관|차관|원장|청장|사장|이사장|시장|군수|구청장|도지사|지사|위원장|처장|대표|교육감)\s+"
    r"[가-힣]{2,4}\s*[,)]")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|") if c.strip()]


def _contact(lines: list[str]) -> str | None:
    """'담당자 사무관 박찬우 (044-201-2656)' style rows: the person and telephone number of the
    first row that has both (else the first telephone number of a contact row)."""
    first_phone = None
    for line in lines:
        phone = _PHONE.search(line)
        if not phone:
            continue
        number = re.sub(r"[)．.\s]", "-", phone.group(1))
        first_phone = first_phone or number
        cells = _cells(line[: phone.start()])
        if cells and _NAME.match(cells[-1]):
            return f"{cells[-1].replace(' ', '')} {number}"
    return first_phone


def parse_header(text: str) -> dict[str, str | None]:
    """Issuer, department, contact, embargo and distribution date of a release's text, where
    the text states them plainly (None where it does not)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    block = lines[:HEADER_LINES] + lines[-HEADER_LINES:]
    out: dict[str, str | None] = dict.fromkeys(("issuer", "department", "contact", "embargo", "distributed"))
    contact_rows: list[str] = []
    for i, line in enumerate(block):
        flat = line.replace("\u3000", " ")
        if out["embargo"] is None and (m := _EMBARGO.match(flat)):
            cells = _cells(re.split(r"\s/\s*배\s*포", m.group(1))[0])
            out["embargo"] = cells[0] if cells else None
        if out["distributed"] is None and (m := _DISTRIBUTED.search(flat)) and re.search(r"\d{4}", m.group(1)):
            out["distributed"] = m.group(1).strip()
        if (m := _DEPARTMENT.match(flat)):
            cells = _cells(m.group(1))
            if out["department"] is None and cells and not _PHONE.search(cells[0]):
                out["department"] = cells[0]
            contact_rows.extend(block[i : i + 3])
    out["contact"] = _contact(contact_rows)
    found = _ISSUER.search("\n".join(lines[:HEADER_LINES]))
    if found:
        out["issuer"] = found.group(1)
    return out


def _read(attachment: Attachment) -> tuple[Document | None, dict[str, Any]]:
    """One file's text, and its entry in `release.attachments`."""
    entry: dict[str, Any] = {"name": attachment.name, "url": attachment.url, "format": None,
                             "status": "read", "error": None}
    if attachment.error is not None or attachment.data is None:
        entry.update(status="error", error=attachment.error or "not fetched")
        return None, entry
    try:
        document = read_document(attachment.data)
    except DocumentError as error:
        if not attachment.claimed and error.reason in _UNCLAIMED_SKIP:
            entry.update(status="skipped", error=error.reason)
        else:
            entry.update(status="error", error=error.reason, detail=error.detail)
        return None, entry
    header = {k: v for k, v in parse_header(document.body).items() if v}
    entry.update(format=document.format, title=document.title or None, header=header)
    return document, entry


def extract_release(body: bytes, url: str, charset: str | None, source: str,
                    attachments: list[Attachment]) -> dict[str, Any]:
    """The record of a press-release post (ExtractionError when neither the page nor any file
    holds text). `attachment_failures` (popped by the pipeline) lists the files that failed."""
    from pipelines.stages import extract_record

    try:
        record: dict[str, Any] | None = extract_record(body, url, charset, source)
    except ExtractionError:
        record = None
    read = [_read(a) for a in attachments]
    documents = [(doc, entry) for doc, entry in read if doc is not None]
    if record is None:
        if not documents:
            raise ExtractionError("neither the post nor its attachments hold text")
        record = _record_from_document(url, source, documents[0][0])
    page_text = record["body"] if len(record["body"]) >= STUB_CHARS or not documents else ""
    parts = ([(None, page_text)] if page_text else []) + [(entry["name"], doc.body) for doc, entry in documents]
    body_text, sections, position = [], [], 0
    for name, text in parts:
        if body_text:
            position += len(SEPARATOR)
        sections.append({"file": name, "start": position, "end": position + len(text)})
        body_text.append(text)
        position += len(text)
    joined, cut = cap_text(SEPARATOR.join(body_text), MAX_TEXT_CHARS)
    sections = [{**s, "end": min(s["end"], len(joined))} for s in sections if s["start"] < len(joined)]
    # the header of the first file that has one (fields of different files are not mixed),
    # else what the page says
    header = next((parse_header(doc.body) for doc, entry in documents if entry["header"]), None) \
        or parse_header(record["body"])
    record.update(
        kind=KIND,
        body=joined,
        title=record["title"] or (documents[0][0].title if documents else ""),
        body_cut=bool(record.get("body_cut")) or cut,
        release={**header, "attachments": [entry for _, entry in read], "sections": sections},
        attachment_failures=[entry for _, entry in read if entry["status"] == "error"],
    )
    return record


def _record_from_document(url: str, source: str, document: Document) -> dict[str, Any]:
    """A post whose page yields no article text (a bare file list): its first file's title."""
    from datetime import datetime, timezone

    from crawler.urls import canonicalize

    return {"url": url, "canonical_url": canonicalize(url), "outlet": None, "title": document.title,
            "published_at": None, "modified_at": None, "authors": [], "body": "", "source": source,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "body_cut": False}


def count_attachments(item: Any, count: Callable[[Any, str], None], stats: Any) -> None:
    """Crawl-report counts of a stored release: files read, and one error per failed file
    (by reason, `attachment_<reason>`), each named in the log and in the source's
    `attachment_errors` list."""
    for attachment in item.attachments:   # the text is in the record now: free the bytes
        attachment.data = None
    release = item.record.get("release") or {}
    for entry in release.get("attachments", []):
        if entry["status"] == "read":
            count(item, "attachments")
    for failure in item.record.pop("attachment_failures", []):
        reason = str(failure["error"]).replace(" ", "_")
        count(item, f"error/attachment_{reason}")
        key = f"newsmine/source/{item.source}/attachment_errors"
        listed = stats.get_value(key, [])
        if len(listed) < 50:
            stats.set_value(key, [*listed, {"page": item.url, "file": failure["name"],
                                            "url": failure["url"], "reason": failure["error"]}])
        log.warning("%s: attachment %r (%s) gave no text: %s", item.url, failure["name"],
                    failure["url"], failure["error"])

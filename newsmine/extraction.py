"""`newsmine extract`: one article (text or HTML) → organisations and achievements."""

from __future__ import annotations

from typing import Any

from core.errors import UsageError


def extract_one(raw: Any, *, html: bool, url: str, published: str | None = None,
                entities: bool = False, with_body: bool = False) -> dict:
    """The extract record; with `entities`, also every NER span (PS LC OG DT TI QT) of the text.
    A text longer than nlp.bounds allows is analysed up to the cut, and the record says where
    (`text_cut_at`, an extra key like `entities`)."""
    from nlp.bounds import MAX_TEXT_CHARS, cap_text, looks_like_text
    from nlp.pipeline import analyze_text

    if html:
        from pipelines.extract import extract_article

        article = extract_article(raw, url)
        result = analyze_text(article.body, published or article.published_at, (article.outlet or "",))
        record = {"title": article.title, "url": article.canonical_url, "outlet": article.outlet,
                  "published_at": article.published_at, **result}
        if article.body_cut:
            record["text_cut_at"] = MAX_TEXT_CHARS
        if with_body:
            record["body"] = article.body
        return _with_entities(record, article.body) if entities else record
    if not looks_like_text(raw):
        raise UsageError("the input is not text (binary data); for an HTML page use --html")
    text = raw if isinstance(raw, str) else raw.decode("utf-8", errors="replace")
    if not text.strip():
        raise UsageError("the input is empty")
    text, cut = cap_text(text)
    published = published or _stamped_date(text)
    record = {"published_at": published, **analyze_text(text, published)}
    if cut:
        record["text_cut_at"] = MAX_TEXT_CHARS
    return _with_entities(record, text) if entities else record


def _with_entities(record: dict, text: str) -> dict:
    """An extra top-level key: the contract's keys are untouched (offsets as in `mentions`)."""
    from nlp.ner.component import entity_records

    return {**record, "entities": entity_records(text)}


def _stamped_date(text: str) -> str | None:
    """A plain-text article often keeps its stamp (`기사승인 : 2024-09-11 16:10:25`)."""
    from pipelines.dates import find_stamps

    stamps = [s for s in find_stamps(text[:2000]) if s.kind == "published"]
    return stamps[0].iso() if stamps else None


def extract_file(path: str, *, url: str, published: str | None = None, entities: bool = False) -> dict:
    """`extract --file`: an HTML page, PDF, HWPX or HWP file, told apart by its bytes (boards
    misname attachments), in; the extract record plus `title` and `body` out. A document that
    yields no text raises DocumentError, whose reason (encrypted, distribution-protected, no
    text layer, not a document …) the CLI prints as its one error line."""
    from pathlib import Path

    from nlp.bounds import MAX_TEXT_CHARS
    from nlp.pipeline import analyze_text
    from pipelines.documents import read_document, sniff
    from pipelines.documents.model import MAX_DOCUMENT_BYTES, DocumentError

    file = Path(path)
    try:
        size = file.stat().st_size        # a device or a huge file is never read whole
        if not file.is_file():
            raise UsageError(f"not a file: {path}")
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError("too large", f"{size:,} bytes (at most {MAX_DOCUMENT_BYTES >> 20} MB)")
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    if not data:
        raise DocumentError("not a document", "the file is empty")
    if sniff(data) == "html":
        return {"format": "html", **extract_one(data, html=True, url=url, published=published,
                                                entities=entities, with_body=True)}
    document = read_document(data)
    published = published or _stamped_date(document.body)
    record = {"title": document.title, "format": document.format, "published_at": published,
              **analyze_text(document.body, published), "body": document.body}
    if document.body_cut:
        record["text_cut_at"] = MAX_TEXT_CHARS
    return _with_entities(record, document.body) if entities else record

"""What a document reader returns, why it refuses a file, and the bounds every reader keeps.

A press-release attachment comes from an untrusted board: it may be huge, a zip or deflate
bomb, encrypted, or not a document at all. Each reader therefore works on bytes already in
memory (bounded by MAX_DOCUMENT_BYTES), inflates at most MAX_INFLATED_BYTES per stream, stops
after MAX_SECONDS, and turns every failure into one `DocumentError` with a reason a crawl
report or the CLI can print on one line.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pipelines.extract import ExtractionError

MAX_DOCUMENT_BYTES = 30 * 1024 * 1024   # a release's attachment is rarely over 5 MB
MAX_INFLATED_BYTES = 64 * 1024 * 1024   # per HWP stream or HWPX member, against deflate bombs
MAX_PDF_PAGES = 1000
MAX_SECONDS = 30.0                      # pdfium reads the 101-page RFP here in 0.3 s
# readers stop collecting text well past the NLP bound; the result is then cut at a sentence
# end (nlp.bounds.cap_text), so a 5,000-page file costs no more than a long release
COLLECT_CHARS = 300_000

REASONS = ("encrypted", "distribution-protected", "no text layer", "not a document",
           "broken", "unsupported format", "too large")


class DocumentError(ExtractionError):
    """A file that yields no text, and why. `reason` is one of REASONS (a crawl report counts
    by it); `detail` says more for a person. A subclass of ExtractionError, so the CLI's one
    line and exit status 1 apply without a separate case."""

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass
class Document:
    """One document's text. `body` keeps paragraphs as lines and a table row as one line with
    its cells joined by ' | ' (so a row's label stays next to its figures); `title` is the
    release's heading as the reader found it ('' when none); `body_cut` says the body was cut
    at the NLP stage's bound (nlp/bounds.py)."""

    title: str
    body: str
    format: str            # pdf | hwp | hwpx | html
    body_cut: bool = False


class Deadline:
    """Wall-clock bound for one file: readers call `check()` between pages, sections and
    records, so a pathological file costs seconds, not a stuck crawl worker."""

    def __init__(self, seconds: float = MAX_SECONDS) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise DocumentError("too large", f"reading took longer than {self.seconds:g} s")

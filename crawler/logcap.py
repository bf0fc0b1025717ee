"""Every crawl log line stays short: a line of a message (or of an exception's text) longer
than `MAX_LOG_LINE` bytes is cut.

Item and error messages name URLs and sizes (crawler/items.py), but a library can still put a
page's text into a message (an exception that quotes its input). A nightly crawl's log must
not grow by the size of the junk it met, so the root handlers Scrapy installs get this filter.
"""

from __future__ import annotations

import logging

# Bytes of UTF-8 a message line may keep: with the time, logger and level in front and the
# note on what was cut behind, a log line stays under 2 KB (Korean text is 3 bytes a character).
MAX_LOG_LINE = 1900


def _cut(line: str, limit: int) -> str:
    data = line.encode("utf-8", errors="replace")
    if len(data) <= limit:
        return line
    kept = data[:limit].decode("utf-8", errors="ignore")
    return f"{kept} … [{len(line) - len(kept)} more characters cut]"


class LineCap(logging.Filter):
    def __init__(self, limit: int = MAX_LOG_LINE) -> None:
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a malformed record is logging's to report
            return True
        if len(message) > self.limit // 3 and any(len(line.encode()) > self.limit for line in message.splitlines()):
            record.msg = "\n".join(_cut(line, self.limit) for line in message.splitlines())
            record.args = None
        if record.exc_info and not record.exc_text:   # an exception quoting its input: cut it too
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and len(record.exc_text) > self.limit // 3:
            record.exc_text = "\n".join(_cut(line, self.limit) for line in record.exc_text.splitlines())
        return True


def cap_log_lines(limit: int = MAX_LOG_LINE) -> None:
    """Adds the cap to the root logger's handlers (once per handler)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, LineCap) for f in handler.filters):
            handler.addFilter(LineCap(limit))

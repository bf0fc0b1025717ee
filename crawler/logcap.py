"""Every crawl log line stays short: a message longer than `MAX_LOG_LINE` is cut.

Item and error messages name URLs and sizes (crawler/items.py), but a library can still put a
page's text into a message (an exception that quotes its input). A nightly crawl's log must
not grow by the size of the junk it met, so the root handlers Scrapy installs get this filter.
"""

from __future__ import annotations

import logging

MAX_LOG_LINE = 2000


class LineCap(logging.Filter):
    def __init__(self, limit: int = MAX_LOG_LINE) -> None:
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a malformed record is logging's to report
            return True
        if len(message) > self.limit:
            record.msg = f"{message[:self.limit]} … [{len(message) - self.limit} more characters cut]"
            record.args = None
        return True


def cap_log_lines(limit: int = MAX_LOG_LINE) -> None:
    """Adds the cap to the root logger's handlers (once per handler)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, LineCap) for f in handler.filters):
            handler.addFilter(LineCap(limit))

"""Errors a user can cause, each shown as one line (never a traceback)."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input from the user: a missing file, an unreadable line, a bad option value."""

    exit_code = 2

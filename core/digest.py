"""One digest for the rows a model is trained on.

Training here is deterministic, so equal rows give an equal model; a model's bundle or meta file
records this digest, and a test rebuilds the rows and compares, so that a change to the data or
to the code that builds them cannot ship with a model trained before it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable, Sequence


def rows_digest(rows: Iterable[Sequence]) -> str:
    """sha256 of the rows, sorted, as JSON (Hangul kept as written)."""
    return hashlib.sha256(json.dumps(sorted(rows), ensure_ascii=False).encode("utf-8")).hexdigest()

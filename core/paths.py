"""Where the project's bundled data lives (the repo's data/ folder, next to the packages)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"


def default_db_url() -> str:
    """`NEWSMINE_DB` if set, else a SQLite file under data/."""
    return os.environ.get("NEWSMINE_DB") or str(DATA_DIR / "newsmine.sqlite")

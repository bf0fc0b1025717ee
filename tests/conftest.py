"""Shared fixtures: the project's data, the seed article, and the services switch."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
REPLAY = DATA / "replay"
SEED_TEXT = REPO / "tests" / "data" / "seed" / "jeonbuk-sw-article.txt"
NEWSMINE = [sys.executable, "-m", "newsmine"]


def service_available(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip when a service is missing — unless NEWSMINE_REQUIRE_SERVICES=1 (CI), then fail."""
    if service_available(host, port):
        return
    message = f"{name} is not running on {host}:{port}"
    if os.environ.get("NEWSMINE_REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (NEWSMINE_REQUIRE_SERVICES=1)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")

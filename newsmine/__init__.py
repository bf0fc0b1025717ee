"""newsmine: mine Korean regional news and press releases for firms and their achievements."""

from core import __version__  # noqa: F401 — the version lives with what every layer shares

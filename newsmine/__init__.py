"""newsmine: mine Korean regional news and press releases for firms and their achievements."""

__version__ = "0.1.0"

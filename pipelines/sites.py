"""Per-site patches for pages where the general rules fail, keyed by host.

Keep this table short: every entry is a site whose markup defeats the general
title/date/body logic, with a note saying why. Selectors are CSS.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SiteRule:
    body: str | None = None    # element holding the article text
    title: str | None = None   # element holding the headline
    date: str | None = None    # element holding the publication stamp
    why: str = ""


SITE_RULES: dict[str, SiteRule] = {}


def rule_for(url: str) -> SiteRule | None:
    """The rule for the URL's host or its nearest parent domain, if any."""
    host = (urlsplit(url).hostname or "").lower()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        rule = SITE_RULES.get(".".join(parts[i:]))
        if rule:
            return rule
    return None

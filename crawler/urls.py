"""URL canonicalisation: one article is one row whatever link led to it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track a click or a session, never select content.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|"
    r"jsessionid|phpsessid|sid|sessionid|session_id|aspsessionid\w*|cfid|cftoken)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize(url: str) -> str:
    """Drop the fragment, tracking/session parameters and `;jsessionid=` path params; lower-case the host."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    path = re.sub(r";jsessionid=[^/?]*", "", parts.path, flags=re.IGNORECASE) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


def url_key(url: str) -> str:
    """A scheme-free key, so an archive answers http:// and https:// links to the same page."""
    canonical = canonicalize(url)
    return canonical.split("://", 1)[-1].removeprefix("www.")

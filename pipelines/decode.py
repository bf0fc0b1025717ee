"""Turn fetched bytes into text, trusting the bytes over what the page or server claims.

Korean sites often lie about their charset: EUC-KR pages served as UTF-8, UTF-8 pages
whose <meta> still says euc-kr after a CMS migration. Strict UTF-8 almost never decodes
legacy Korean bytes by accident, so it is tried first; declared charsets come next;
charset-normalizer guesses when nothing fits.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# EUC-KR is a subset of CP949 (UHC); pages labelled euc-kr routinely use the extra
# CP949 syllables, so every Korean label is decoded as cp949.
_KOREAN_ALIASES = {
    "euc-kr", "euc_kr", "euckr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601",
    "ks-c-5601", "ks-c-5601-1987", "korean", "csueckr", "windows-949", "x-windows-949",
    "cp949", "ms949", "uhc", "x-uhc",
}
# Single-byte charsets decode any byte string, so they prove nothing: try them last.
_WEAK = {"latin_1", "iso8859-1", "cp1252", "ascii"}

_META_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_RE = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def normalize_charset(label: str | None) -> str | None:
    """Python codec name for a charset label, with Korean labels mapped to cp949."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _KOREAN_ALIASES:
        return "cp949"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def sniff_declared(raw: bytes) -> list[str]:
    """Charsets named inside the document (<meta> and XML declaration), in order."""
    head = raw[:16384]
    found = [m.group(1).decode("ascii", "ignore") for m in _XML_RE.finditer(head)]
    found += [m.group(1).decode("ascii", "ignore") for m in _META_RE.finditer(head)]
    return found


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(raw: bytes, declared: str | None = None) -> str:
    """Bytes -> text. `declared` is the HTTP header charset, if any. Never raises."""
    if isinstance(raw, str):  # tolerate callers that already decoded
        return raw
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            text = _strict(raw, enc)
            if text is not None:
                return text
    text = _strict(raw, "utf-8")
    if text is not None:
        return text

    labels = [declared, *sniff_declared(raw)]
    candidates: list[str] = []
    for label in labels:
        enc = normalize_charset(label)
        if enc and enc not in candidates and enc != "utf-8":
            candidates.append(enc)
    for enc in candidates:
        if enc in _WEAK:
            continue
        text = _strict(raw, enc)
        if text is not None:
            return text

    best = from_bytes(raw[:200_000]).best()
    if best is not None and best.encoding:
        enc = normalize_charset(best.encoding) or best.encoding
        text = _strict(raw, enc)
        if text is not None:
            return text

    # Nothing decodes cleanly (truncated or mixed bytes): keep the decoding that loses least.
    tries = [e for e in candidates if e not in _WEAK] + ["cp949", "utf-8"]
    tries += [e for e in candidates if e in _WEAK]
    scored = []
    for enc in dict.fromkeys(tries):
        try:
            decoded = raw.decode(enc, errors="replace")
        except LookupError:
            continue
        scored.append((decoded.count("\ufffd"), decoded))
    return min(scored, key=lambda pair: pair[0])[1]

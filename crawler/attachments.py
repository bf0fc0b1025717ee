"""Attachment links of a press-release board post: which links are the release's files.

Korean government boards link a post's HWP, HWPX or PDF file in many ways: a link text or
title naming the file (`보도자료(농식품부).hwp`), a path ending in the extension, or an opaque
download URL (`fileDown.do`, `download.do`, `FileDown.do?atchFileId=…`, `file_download/…`).
A link is a candidate when its name says HWP/HWPX/PDF (a *claimed* document) or when it is a
download URL whose name says nothing (its bytes decide later: a photo behind `download.do` is
skipped, not an error). Links that name another kind of file (photos, zips, spreadsheets),
"download all as zip" and preview/viewer links, links in page chrome (header, footer,
menus) and links to other sites are not followed. The format is always decided by sniffing
the bytes (pipelines/documents/sniff.py), never by the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

DOCUMENT_EXTENSIONS = ("hwp", "hwpx", "pdf")
# names that say "not a release's text": photos, archives, office files other than HWP, media
OTHER_EXTENSIONS = frozenset(("jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "svg", "zip",
                              "7z", "rar", "alz", "egg", "xls", "xlsx", "csv", "doc", "docx", "ppt",
                              "pptx", "txt", "mp3", "mp4", "avi", "wmv", "mov", "hwt", "cell", "show"))
MAX_ATTACHMENTS = 5                    # per post (NEWSMINE_MAX_ATTACHMENTS)
MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024  # per file (NEWSMINE_ATTACHMENT_MAXSIZE)

_EXTENSION = re.compile(r"\.([A-Za-z0-9]{2,5})(?:\s*\(?[\d.,]+\s*[KMG]?B\)?)?\s*$", re.I)
_DOWNLOAD = re.compile(
    r"file_?down|download|atchFileId|fileSn=|/down/|getFile|fileId=|attach", re.I)
_NOT_A_FILE = re.compile(r"preview|viewer|screen_?print|print=|action=zip|allDown|zipDown|file_type=all|\.zip\b", re.I)
_CHROME = re.compile(r"(?:^|[\s_-])(?:header|footer|gnb|lnb|snb|nav|menu|quick|banner|sitemap|"
                     r"family|copyright)", re.I)
_NAME_NOISE = re.compile(r"\s*(?:다운로드|내려받기|미리보기|바로보기|새\s*창(?:열림|으로 열림)?|\(새창\)|첨부파일\s*:)\s*", re.I)


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str          # the file's name as the board gives it (link text or title), or the URL's
    claimed: bool      # the name says HWP, HWPX or PDF (so an unreadable file is an error)


def _extension(name: str) -> str | None:
    match = _EXTENSION.search(name.strip())
    return match.group(1).lower() if match else None


def _clean(text: str) -> str:
    return " ".join(_NAME_NOISE.sub(" ", text).split())


def _same_site(url: str, page_url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    page = (urlsplit(page_url).hostname or "").lower()
    site = page.removeprefix("www.").removeprefix("m.")
    return bool(host) and (host == page or host == site or host.endswith("." + site))


def _in_chrome(element: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("header", "footer", "nav"):
            return True
        marks = f"{ancestor.get('id') or ''} {ancestor.get('class') or ''}"
        if marks.strip() and _CHROME.search(marks):
            return True
    return False


def _link(anchor: etree._Element, page_url: str) -> AttachmentLink | None:
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    url = urljoin(page_url, href)
    if not url.startswith(("http://", "https://")) or not _same_site(url, page_url):
        return None
    if _NOT_A_FILE.search(url):
        return None
    names = [_clean(anchor.text_content()), _clean(anchor.get("title") or ""),
             unquote(urlsplit(url).path.rsplit("/", 1)[-1])]
    named = [(n, _extension(n)) for n in names if n]
    for name, ext in named:
        if ext in DOCUMENT_EXTENSIONS:
            return AttachmentLink(url, name, claimed=True)
    if any(ext in OTHER_EXTENSIONS for _, ext in named):
        return None   # a photo, a zip, a spreadsheet …: not a release's text
    if _DOWNLOAD.search(url):
        return AttachmentLink(url, names[0] or names[1] or names[2], claimed=False)
    return None


def attachment_links(body: bytes, page_url: str, limit: int = MAX_ATTACHMENTS) -> tuple[list[AttachmentLink], int]:
    """The post's attachment links in page order (at most `limit`), and how many more there
    were (dropped by the bound)."""
    try:
        tree = lxml_html.fromstring(body)
    except (etree.ParserError, ValueError):
        return [], 0
    found: dict[str, AttachmentLink] = {}
    for anchor in tree.iter("a"):
        link = _link(anchor, page_url)
        if link is None or link.url in found or _in_chrome(anchor):
            continue
        found[link.url] = link
    links = list(found.values())
    return links[:limit], max(0, len(links) - limit)


def disposition_name(header: bytes | None) -> str | None:
    """The file name a Content-Disposition header gives (RFC 6266 `filename*` or `filename`;
    Korean servers often send raw UTF-8 or EUC-KR bytes, or percent-encoding, in `filename`)."""
    if not header:
        return None
    text = None
    for encoding in ("utf-8", "euc-kr"):
        try:
            text = header.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        text = header.decode("latin-1")
    message = Message()
    message["content-disposition"] = text
    name = message.get_filename()
    if not name:
        return None
    return " ".join(unquote(name).split()) or None

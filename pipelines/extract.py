"""One saved or fetched page in, one article record out.

Layered like the tools it builds on: trafilatura finds the main text, page metadata
(JSON-LD, og:/article: meta, <title>, headings) and visible Korean date stamps supply
title and dates, script-embedded data covers pages rendered by JavaScript, and a small
per-site table patches what general rules cannot. htmldate is the last resort for dates.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html

from nlp.bounds import MAX_TITLE_CHARS, cap_text
from pipelines import dates
from pipelines.clean import clean_lines, element_lines, prune_tree
from pipelines.decode import decode_html
from pipelines.embedded import EmbeddedArticle, find_embedded
from pipelines.metadata import (PageMeta, byline_names, choose_canonical, domain_label,
                                jsonld_people, norm_space, person_names, read_meta, site_names,
                                text_of)
from pipelines.sites import rule_for
from pipelines.titles import Candidate, choose_title, strip_site

log = logging.getLogger(__name__)

MIN_BODY_CHARS = 20

PUBLISHED_META = ("article:published_time", "article:published", "og:published_time",
                  "datepublished", "publishdate", "publish-date", "pubdate", "date",
                  "dc.date.issued", "dc.date", "nextweb:createdate", "sailthru.date")
MODIFIED_META = ("article:modified_time", "article:modified", "og:updated_time",
                 "datemodified", "lastmod", "nextweb:moddate")
TITLE_META = (("og:title", 2.0), ("twitter:title", 1.0), ("title", 1.0), ("dc.title", 1.0),
              ("taboola:title", 1.0), ("dable:title", 1.0))
AUTHOR_META = ("article:author", "og:article:author", "author", "dable:author",
               "nextweb:reporter", "byl", "dd:author", "sailthru.author")


class ExtractionError(ValueError):
    """The page holds no article: empty, not HTML, or no body text."""

    kind = "extract"      # the error kind a crawl counts for the page's source


class NoArticleError(ExtractionError):
    """What the extractor found is page chrome (menus, link lists), not an article."""

    kind = "no_article"


@dataclass
class ExtractedArticle:
    url: str                  # the URL the page was fetched at
    canonical_url: str        # canonical/og:url when it names this article, else url
    title: str
    body: str                 # paragraphs joined by "\n"; furniture removed
    published_at: str | None  # "YYYY-MM-DDTHH:MM:SS+09:00"; 00:00:00 when only the day is known
    modified_at: str | None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    body_cut: bool = False    # the body was longer than nlp.bounds allows and was cut

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------------ parsing

_FEED_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF|urlset|sitemapindex)\b",
    re.S | re.I)
_HTML_TAG_RE = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main)\b",
                          re.I)


def _parse(page: str) -> lxml_html.HtmlElement:
    if _FEED_RE.match(page[:5000]):
        raise ExtractionError("not an article page (XML feed or sitemap)")
    if not _HTML_TAG_RE.search(page[:100_000]):
        raise ExtractionError("not an HTML page (no HTML tags found)")
    try:
        # lxml refuses str input that carries an XML encoding declaration
        tree = lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", page))
    except (etree.ParserError, ValueError) as exc:
        reason = (str(exc).splitlines() or ["parser error"])[0]
        raise ExtractionError(f"unparsable HTML: {reason}") from exc
    return tree


_INVISIBLE = {"script", "style", "noscript", "template", "footer", "head", "svg"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TITLE_CLASS = re.compile(r"title|headline|subject", re.IGNORECASE)


@dataclass
class PageScan:
    """One walk over the body: what a reader sees, and the heading-like elements."""

    text: str
    headings: list[str]


def scan_page(tree: lxml_html.HtmlElement, max_headings: int = 60) -> PageScan:
    """Visible text (footers left out, text nodes kept apart) and headline candidates."""
    parts: list[str] = []
    headings: list[str] = []

    def walk(el: lxml_html.HtmlElement) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in _INVISIBLE:
                names = f"{child.get('class') or ''} {child.get('id') or ''}"
                if "footer" not in names:
                    if len(headings) < max_headings and (
                            tag in _HEADINGS or (len(child) <= 6 and _TITLE_CLASS.search(names))):
                        text = norm_space(child.text_content())
                        if 2 <= len(text) <= 300:
                            headings.append(text)
                    if child.text:
                        parts.append(child.text)
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    body = tree.find("body")
    root = body if body is not None else tree
    if root.text:
        parts.append(root.text)
    walk(root)
    return PageScan(norm_space(" ".join(parts)), headings)


def visible_text(tree: lxml_html.HtmlElement) -> str:
    """Page text as a reader sees it, each text node separated, footers left out."""
    return scan_page(tree, max_headings=0).text


# ------------------------------------------------------------------------- titles

def _title(tree: lxml_html.HtmlElement, pm: PageMeta, sites: list[str],
           embedded: EmbeddedArticle | None, selector: str | None,
           headings: list[str]) -> str | None:
    cands: list[Candidate] = []
    if selector:
        for el in tree.cssselect(selector)[:1]:
            text = norm_space(el.text_content())
            if text:
                return text
    art = pm.article()
    headline = text_of(art.get("headline")) if art else None
    if headline:
        cands.append(Candidate(headline, "jsonld", 2.0))
    if embedded and embedded.title:
        cands.append(Candidate(embedded.title, "embedded", 2.0))
    for name, weight in TITLE_META:
        value = pm.first(name)
        if value:
            cands.append(Candidate(value, name, weight))
    if pm.title_tag:
        cands.append(Candidate(pm.title_tag, "title", 1.5))
    cands += [Candidate(text, "heading", 1.0, heading=True) for text in headings]
    return choose_title(cands, sites)


# -------------------------------------------------------------------------- dates

def _dates(tree: lxml_html.HtmlElement, pm: PageMeta, text: str,
           embedded: EmbeddedArticle | None, selector: str | None,
           ) -> tuple[dates.Stamp | None, dates.Stamp | None, bool]:
    """(published, modified, whether the page's machine-readable publication date was rejected
    as impossible)."""
    machine: list[dates.Stamp] = []
    rejected = False    # the page states a publication date no article can have (1970, 2031)

    def read(value: str | None, source: str, kind: str) -> None:
        nonlocal rejected
        stamp = dates.make_stamp(value, source, kind)
        if stamp:
            machine.append(stamp)
        elif kind == "published" and dates.parse_datetime(value) is not None:
            rejected = True

    art = pm.article()
    if art:
        for key, kind in (("datePublished", "published"), ("dateCreated", "published"),
                          ("dateModified", "modified")):
            read(text_of(art.get(key)), "jsonld", kind)
    for keys, kind in ((PUBLISHED_META, "published"), (MODIFIED_META, "modified")):
        for key in keys:
            read(pm.first(key), f"meta:{key}", kind)
    for el in tree.xpath("//*[@data-date-time or @data-modify-date-time]")[:4]:
        for attr, kind in (("data-date-time", "published"), ("data-modify-date-time", "modified")):
            s = dates.make_stamp(el.get(attr), f"attr:{attr}", kind)
            if s:
                machine.append(s)
    for el in tree.xpath("//time[@datetime]")[:2]:
        s = dates.make_stamp(el.get("datetime"), "time", "published")
        if s:
            machine.append(s)

    visible: list[dates.Stamp] = []
    if selector:
        for el in tree.cssselect(selector)[:1]:
            visible += dates.find_stamps(norm_space(el.text_content())) or [
                s for s in [dates.make_stamp(el.text_content(), "site")] if s]
    visible += dates.find_stamps(text)

    emb: list[dates.Stamp] = []
    if embedded:
        for value, kind in ((embedded.published, "published"), (embedded.modified, "modified")):
            s = dates.make_stamp(value, f"embedded:{embedded.source}", kind)
            if s:
                emb.append(s)

    fallback = None
    # htmldate guesses from anywhere on the page (a footer's 등록일, a copyright year): a page
    # whose stated date was rejected gets no date rather than a guess
    if not rejected and not any(s.kind == "published" for s in machine + visible + emb):
        fallback = _htmldate(tree)
    loose = dates.find_datetimes(text)
    published = dates.choose(machine, visible, emb, fallback, loose, "published")
    modified = dates.choose(machine, visible, emb, None, None, "modified")
    if published and modified and modified.when < published.when:
        modified = None
    return published, modified, rejected


def _stamp_above_body(published: dates.Stamp | None, text: str, body: str) -> dates.Stamp | None:
    """When the page's own date was impossible, a visible stamp stands only if it is printed
    above the article (a byline's 입력 …), never one from the page's chrome below it (a
    footer's 등록일, a sidebar)."""
    if published is None or not published.source.startswith(("stamp:", "weak:")):
        return published
    lines = body.split("\n")
    first_line = next((line for line in lines if len(line) >= 20), lines[0])[:40]   # not a short label
    at = text.find(first_line) if first_line else -1
    head = text[:at] if at > 0 else ""
    return dates.choose([], dates.find_stamps(head), [], None, dates.find_datetimes(head), "published")


def _htmldate(tree: lxml_html.HtmlElement) -> dates.Stamp | None:
    """htmldate's guess; its time of day is kept only when it found one."""
    try:
        found = find_date(tree, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d %H:%M:%S")
        if not found:
            found = find_date(tree, original_date=True, extensive_search=True,
                              outputformat="%Y-%m-%d %H:%M:%S")
    except Exception as exc:  # htmldate raises assorted errors on odd markup
        log.debug("htmldate failed: %s", exc)
        return None
    if not found:
        return None
    s = dates.make_stamp(found, "htmldate")
    if s and s.when.hour == s.when.minute == s.when.second == 0:
        s = dates.Stamp(s.when, False, s.source, s.kind)
    return s


# --------------------------------------------------------------------------- body

# A line that reads as a sentence: a Korean sentence end (…다. …요?) or any sentence mark
# before a space or at the line's end (after a closing quote or bracket).
_SENTENCE = re.compile(r"[다요죠음함됨임][.!?]|[.!?。…][\"'”’)\]]?(?:\s|$)")


def _link_texts(tree: lxml_html.HtmlElement) -> set[str]:
    """Every link's text on the page (before pruning drops the menus)."""
    return {text for a in tree.iter("a") if (text := norm_space(a.text_content()))}


def _is_chrome(body: str, links: set[str]) -> bool:
    """A "body" that is mostly the page's own link texts and hardly a sentence: navigation,
    not an article. On the 30 saved real articles no body line is a link text and at least 82%
    of the characters are in sentence lines; a menu is the reverse (a page nested 50,000 divs
    deep, whose story libxml2 never reaches, gives exactly that)."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    total = sum(map(len, lines)) or 1
    linked = sum(len(line) for line in lines if norm_space(line) in links)
    sentences = sum(len(line) for line in lines if _SENTENCE.search(line))
    return linked >= 0.5 * total and sentences < 0.3 * total

def _has_story_text(tree: lxml_html.HtmlElement) -> bool:
    """Whether the (pruned) HTML has paragraph-sized text at all."""
    for el in tree.iter("p", "div", "section", "article", "td"):
        if el.text and len(el.text.strip()) >= 80:
            return True
    return False


def _body_lines(tree: lxml_html.HtmlElement, url: str, selector: str | None,
                embedded: EmbeddedArticle | None, ld_body: str | None) -> list[str]:
    if selector:
        for el in tree.cssselect(selector)[:1]:
            lines = element_lines(el)
            if sum(map(len, lines)) >= MIN_BODY_CHARS:
                return lines
    if embedded and sum(map(len, embedded.lines)) >= 200 and not _has_story_text(tree):
        return embedded.lines  # script-rendered page: the HTML holds only the shell
    text = trafilatura.extract(tree, url=url, include_comments=False, include_tables=True,
                               output_format="txt", with_metadata=False, deduplicate=False)
    lines = (text or "").split("\n")
    size = sum(len(x.strip()) for x in lines)
    if embedded and sum(map(len, embedded.lines)) > max(1.5 * size, size + 200):
        lines = embedded.lines
    elif ld_body and len(ld_body) > max(1.5 * size, size + 200):
        lines = ld_body.split("\n")
    return lines


# ----------------------------------------------------------------------- metadata

def _authors(pm: PageMeta, embedded: EmbeddedArticle | None, text: str,
             exclude: list[str]) -> list[str]:
    sources: list[list[str]] = [jsonld_people(pm.article())]
    if embedded:
        sources.append(embedded.authors)
    for key in AUTHOR_META:
        sources.append(pm.meta.get(key, []))
    for raw_names in sources:
        names: list[str] = []
        for raw in raw_names:
            for name in person_names(raw, exclude):
                if name not in names:
                    names.append(name)
        if names:
            return names
    return byline_names(text)


_OUTLET_WORDS = re.compile(r"일보|신문|뉴스|닷컴|방송|미디어|경제|통신|타임즈|타임스|헤럴드|"
                           r"news|times|herald|daily|tv|media", re.IGNORECASE)


def _outlet(pm: PageMeta, url: str) -> str | None:
    for key in ("og:site_name", "application-name", "apple-mobile-web-app-title",
                "dd:publisher"):
        value = pm.first(key)
        if value and not value.startswith("http"):
            return norm_space(value)
    for obj in pm.jsonld:
        pub = obj.get("publisher")
        name = text_of(pub) if pub else None
        if name:
            return name
    portal = pm.first("og:article:author")  # portals: "원 언론사 | 네이버"
    if portal and "|" in portal:
        return norm_space(portal.split("|")[0]) or None
    if pm.title_tag:
        # "<headline> - 조선닷컴 - 스포츠 > 포토": the last segment that reads like an outlet name
        parts = re.split(r"\s+[-|:<>]\s+|\s*[|ㅣ]\s*|\s*::\s*", pm.title_tag)[1:]
        label = (domain_label(url) or "").casefold()
        for part in reversed(parts):
            part = part.strip()
            if 2 <= len(part) <= 20 and (_OUTLET_WORDS.search(part)
                                         or (label and part.replace(" ", "").casefold() == label)):
                return part
    site = pm.first("twitter:site")
    return site.lstrip("@") if site else None


# --------------------------------------------------------------------------- main

def extract_article(html: bytes | str, url: str, *,
                    declared_encoding: str | None = None) -> ExtractedArticle:
    """Extract one article; raises ExtractionError when the page holds none."""
    if isinstance(html, bytes):
        if not html.strip():
            raise ExtractionError(f"empty page: {url}")
        page = decode_html(html, declared_encoding)
    else:
        page = html
    if not page.strip():
        raise ExtractionError(f"empty page: {url}")
    if "\x00" in page[:4096]:
        raise ExtractionError(f"not an HTML page (binary content): {url}")
    tree = _parse(page)
    rule = rule_for(url)
    pm = read_meta(tree, url)
    sites = site_names(pm, url)
    embedded = find_embedded(page)
    scan = scan_page(tree)
    text = scan.text

    title = _title(tree, pm, sites, embedded, rule.title if rule else None, scan.headings)
    published, modified, date_rejected = _dates(tree, pm, text, embedded, rule.date if rule else None)
    outlet = _outlet(pm, url)
    authors = _authors(pm, embedded, text, sites + ([outlet] if outlet else []))
    art = pm.article()
    raw_ld_body = art.get("articleBody") if art else None
    ld_body = html_lib.unescape(raw_ld_body) if isinstance(raw_ld_body, str) else None

    links = _link_texts(tree)
    prune_tree(tree)
    lines = _body_lines(tree, url, rule.body if rule else None, embedded, ld_body)
    body = "\n".join(clean_lines(lines, title))
    if len(body) < MIN_BODY_CHARS:
        raise ExtractionError(f"no article text found: {url}")
    if _is_chrome(body, links):
        raise NoArticleError(f"the text found is the page's links, not an article: {url}")
    body, body_cut = cap_text(body)
    if date_rejected:
        published = _stamp_above_body(published, text, body)
    if not title:
        title = strip_site(pm.title_tag or "", sites) or body.split("\n")[0][:120]
    return ExtractedArticle(
        url=url,
        canonical_url=choose_canonical(url, pm),
        title=cap_text(title, MAX_TITLE_CHARS)[0],
        body=body,
        published_at=published.iso() if published else None,
        modified_at=modified.iso() if modified else None,
        authors=authors,
        outlet=outlet,
        body_cut=body_cut,
    )

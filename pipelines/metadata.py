"""Page metadata from what publishers put in <head>: meta tags, JSON-LD, <title>, <link>.

These readers are shared by the title, date, author, outlet and canonical-URL logic in
extract.py. They are tolerant on purpose: Korean CMSs ship JSON-LD with // comments,
trailing commas and HTML entities, and meta keys in any case.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "blogposting", "backgroundnewsarticle", "report",
                 "pressrelease", "socialmediaposting", "webpage"}


@dataclass
class PageMeta:
    """Everything read from the document head, keyed for lookup."""

    meta: dict[str, list[str]] = field(default_factory=dict)   # lower-cased key -> values
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # flattened objects
    title_tag: str | None = None
    canonical: str | None = None

    def first(self, *keys: str) -> str | None:
        """First non-empty value among the given meta keys, in the order given."""
        for key in keys:
            for value in self.meta.get(key, []):
                if value and value.strip():
                    return value.strip()
        return None

    def article(self) -> dict[str, Any] | None:
        """The JSON-LD object describing the article itself, if any."""
        best = None
        for obj in self.jsonld:
            types = {t.lower() for t in _as_list(obj.get("@type")) if isinstance(t, str)}
            if types & (ARTICLE_TYPES - {"webpage"}):
                return obj
            if "webpage" in types and best is None and obj.get("headline"):
                best = obj
        return best


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(value: Any) -> str | None:
    """Plain text from a JSON-LD value (string, {"name": ...}, or entity-escaped)."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    return norm_space(html.unescape(value)) or None


def norm_space(text: str) -> str:
    """Collapse all whitespace (incl. NBSP and ideographic space) to single spaces."""
    return re.sub(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+", " ", text).strip()


def _strip_json_noise(src: str) -> str:
    """Drop // and /* */ comments and trailing commas outside strings."""
    out: list[str] = []
    i, n, in_str, quote = 0, len(src), False, ""
    while i < n:
        c = src[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(src[i + 1])
                i += 2
                continue
            if c == quote:
                in_str = False
        elif c in "\"'":
            in_str, quote = True, c
            out.append(c)
        elif c == "/" and src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c == "/" and src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        else:
            out.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def loads_lenient(src: str) -> Any:
    """json.loads that survives the comment and comma habits of hand-written JSON-LD."""
    src = src.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
    try:
        return json.loads(src, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(_strip_json_noise(src), strict=False)
    except ValueError:
        return None


def _flatten(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _flatten(item)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _flatten(node["@graph"])


def read_meta(tree: lxml_html.HtmlElement, url: str) -> PageMeta:
    """Collect meta tags, JSON-LD objects, <title> and canonical link from a parsed page."""
    pm = PageMeta()
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if key and content is not None:
            pm.meta.setdefault(key.strip().lower(), []).append(html.unescape(content))
    for el in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
        data = loads_lenient(el.text_content() or "")
        pm.jsonld.extend(_flatten(data))
    titles = tree.xpath("//head/title|//title")
    if titles:
        pm.title_tag = norm_space(titles[0].text_content()) or None
    for el in tree.xpath('//link[@href]'):
        rel = (el.get("rel") or "").lower().split()
        if "canonical" in rel:
            pm.canonical = urljoin(url, el.get("href").strip())
            break
    return pm


# ---------------------------------------------------------------------------- names

def site_names(pm: PageMeta, url: str) -> list[str]:
    """Names the site goes by: og:site_name, publisher, app names, and the domain label."""
    names: list[str] = []
    for key in ("og:site_name", "application-name", "apple-mobile-web-app-title",
                "dd:publisher", "article:publisher", "twitter:site"):
        for value in pm.meta.get(key, []):
            value = norm_space(value)
            if not value or value.startswith("http"):
                continue
            names.append(value.lstrip("@"))
    for obj in pm.jsonld:
        types = {t.lower() for t in _as_list(obj.get("@type")) if isinstance(t, str)}
        if types & {"newsmediaorganization", "organization"} or "publisher" in obj:
            pub = obj.get("publisher") if "publisher" in obj else obj
            for p in _as_list(pub):
                if isinstance(p, dict):
                    names += [n for n in (text_of(p.get("name")),) if n]
                    names += [a for a in _as_list(p.get("alternateName")) if isinstance(a, str)]
    label = domain_label(url)
    if label:
        names.append(label)
    out: list[str] = []
    for name in names:
        for part in re.split(r"\s*[|ㅣ]\s*", name):
            if part and part not in out:
                out.append(part)
    return out


def domain_label(url: str) -> str | None:
    """The distinctive part of a host: 'hankookilbo' for www.hankookilbo.com."""
    host = (urlsplit(url).hostname or "").lower()
    parts = [p for p in host.split(".") if p not in ("www", "m", "news", "en", "n", "imnews")]
    generic = {"co", "or", "go", "ne", "re", "ac", "com", "net", "org", "kr", "tv"}
    parts = [p for p in parts if p not in generic]
    return parts[-1] if parts else None


def registrable_host(url: str) -> str:
    """Host without www./m. so that desktop and mobile URLs compare equal."""
    host = (urlsplit(url).hostname or "").lower()
    return re.sub(r"^(?:www\d?|m|mobile)\.", "", host)


# ------------------------------------------------------------------------- people

_ROLE = r"(?:선임|수석|인턴|객원|전문|취재|사진|영상)?\s*(?:기자|특파원|칼럼니스트|논설위원|편집위원|통신원|앵커|PD)"
_NAMED_ROLE_RE = re.compile(r"(?<![가-힣])([가-힣]{2,4})\s*" + _ROLE + r"(?![가-힣])")
_ORG_WORDS = re.compile(r"일보|신문|뉴스|방송|닷컴|통신|미디어|네이버|다음|편집국|news|tv|press|"
                        r"media|agency|times|herald|daily|\.com|\.kr|https?:", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DEPARTMENT = re.compile(r"^(?:사회|정치|경제|국제|문화|연예|스포츠|체육|산업|생활|디지털|온라인|편집|보도|"
                         r"취재|뉴스|사진|영상|지방|전국|기획|특별취재)(?:부|국|팀|본부|센터|실)$")
_BYLINE_RE = re.compile(r"(?<![가-힣])([가-힣]{2,4})\s?(?:기자|특파원|칼럼니스트)\s*(?=[/|)\]·=]|[\w.+-]+@)")


def person_names(raw: str, exclude: list[str] | None = None) -> list[str]:
    """Reporter names from a byline value: no 기자/e-mail/place prefix/"외 N명"."""
    exclude_keys = {re.sub(r"\s+", "", e).casefold() for e in exclude or []}
    text = norm_space(html.unescape(raw))
    if re.search(r"https?:|www\.|\.com\b", text) and not _NAMED_ROLE_RE.search(text):
        return []
    text = _EMAIL_RE.sub(" ", text)
    text = re.sub(r"^(?:by|글|작성자)\s*[:：]?\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*외\s*\d+\s*명", "", text)
    named = _NAMED_ROLE_RE.findall(text)
    if named:
        candidates = named
    else:
        text = re.sub(r"^.*=", "", text)  # "서울=홍길동" -> "홍길동"
        candidates = [c.strip(" []()<>") for c in re.split(r"[,/·&|;]|\s및\s", text)]
    out: list[str] = []
    for name in candidates:
        name = re.sub(_ROLE + r"$", "", name).strip()
        if not name or len(name) > 40 or _ORG_WORDS.search(name) or _DEPARTMENT.match(name):
            continue
        if re.sub(r"\s+", "", name).casefold() in exclude_keys:
            continue
        if re.fullmatch(r"[가-힣]+(?:\s[가-힣]+)?", name) and not 2 <= len(name.replace(" ", "")) <= 5:
            continue
        if name not in out:
            out.append(name)
    return out


def byline_names(text: str) -> list[str]:
    """Names in the first "홍길동 기자" byline of visible text (used when no meta names one)."""
    for m in _BYLINE_RE.finditer(text):
        if not _DEPARTMENT.match(m.group(1)):
            return [m.group(1)]
    return []


def jsonld_people(obj: dict[str, Any] | None, key_name: str = "author") -> list[str]:
    """Person names from a JSON-LD article's author field (organisations skipped)."""
    if not obj:
        return []
    names = []
    for a in _as_list(obj.get(key_name)):
        if isinstance(a, dict):
            kind = str(a.get("@type") or "Person").lower()
            if "organization" in kind:
                continue
            name = text_of(a.get("name"))
        else:
            name = text_of(a)
        if name:
            names.append(name)
    return names


# ---------------------------------------------------------------------- canonical

def choose_canonical(url: str, pm: PageMeta) -> str:
    """rel=canonical / og:url when it names this article on this site, else the fetched URL.

    Rejected: another host, the site root, a path that is a section above the fetched page
    (municipal boards point og:url at "/www"), and the same path with the article id
    (query string) dropped.
    """
    fetched = urlsplit(url)
    for cand in (pm.canonical, pm.first("og:url")):
        if not cand:
            continue
        cand = urljoin(url, cand.strip())
        c = urlsplit(cand)
        if c.scheme not in ("http", "https") or registrable_host(cand) != registrable_host(url):
            continue
        path = c.path.rstrip("/")
        fpath = fetched.path.rstrip("/")
        if not path and not c.query:
            continue
        if not c.query and fetched.query and path == fpath:
            continue
        c_segs = [s for s in path.split("/") if s]
        f_segs = [s for s in fpath.split("/") if s]
        if not c.query and len(c_segs) < len(f_segs) and f_segs[: len(c_segs)] == c_segs:
            continue
        return cand
    return url

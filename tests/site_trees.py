"""Generated site trees: realistic replay archives for each CMS profile, built in a tmp dir.

Article and list pages are the real saved pages of data/replay used as templates (ND Soft:
the 전남일보 article page; the municipal board CMS: 나주시's list and post pages; 정책브리핑:
its list page), with the title, dates, ids and body swapped for generated ones. Body and
title text is recombined from sentences of the real saved pages and of the seed article
(tests/data/seed), so every page reads like Korean news without copying any outside text.
Each tree also has list pagination, an RSS feed, a sitemap with lastmod, a robots.txt with
a Disallow, and a site file for the CMS profile (the "three-line file").

    tree = build_tree(archive_dir, "ndsoft", 150)
    write_manifest(archive_dir, [tree])
"""

from __future__ import annotations

import csv
import html
import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
REPLAY = REPO / "data" / "replay"
SEED = REPO / "tests" / "data" / "seed" / "jeonbuk-sw-article.txt"
KST = timezone(timedelta(hours=9))
FIRST_NUMBER = 100001
FIRST_DATE = datetime(2024, 6, 1, 9, 0, tzinfo=KST)   # article FIRST_NUMBER; one every 5 hours
DRAFT_ID = 9          # robots.txt disallows this id; generated ids start with 1
_HANGUL = re.compile(r"[가-힣]")
_UNSAFE = re.compile(r"[<>&\"'\\|·\[\]()…“”‘’《》<>「」『』=\-]")


# ----------------------------------------------------------------------------- text

@lru_cache(maxsize=1)
def sentence_pool() -> tuple[str, ...]:
    """Korean sentences of the saved real article pages and the seed article."""
    from pipelines.extract import ExtractionError, extract_article

    texts = [SEED.read_text(encoding="utf-8")]
    with (REPLAY / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["kind"] != "article" or "/private/" in row["url"]:
                continue
            try:
                texts.append(extract_article((REPLAY / row["file"]).read_bytes(), row["url"]).body)
            except ExtractionError:
                continue
    sentences = []
    for text in texts:
        for line in text.splitlines():
            for sentence in re.split(r"(?<=다\.)\s+", line.strip()):
                hangul = len(_HANGUL.findall(sentence))
                if 25 <= len(sentence) <= 160 and hangul >= 0.6 * len(sentence.replace(" ", "")) * 0.8 \
                        and sentence.endswith("다."):
                    sentences.append(sentence)
    return tuple(dict.fromkeys(sentences))


def make_title(rng: random.Random, number: int) -> str:
    """A headline-like fragment of a real sentence, made unique by the article number."""
    pool = sentence_pool()
    while True:
        words = [w for w in rng.choice(pool).rstrip(".").split() if not _UNSAFE.search(w)]
        if len(words) >= 4:
            take = words[: rng.randint(4, min(7, len(words)))]
            return f"{' '.join(take)} {number}"


def make_body(rng: random.Random, paragraphs: int | None = None) -> list[str]:
    pool = sentence_pool()
    if paragraphs is not None:
        return list(rng.sample(pool, paragraphs))
    chosen = rng.sample(pool, rng.randint(6, 12))
    paragraphs, i = [], 0
    while i < len(chosen):
        step = rng.randint(1, 3)
        paragraphs.append(" ".join(chosen[i : i + step]))
        i += step
    return paragraphs


# ----------------------------------------------------------------------------- model

@dataclass
class Article:
    number: int
    url: str
    title: str
    published: datetime
    body: list[str]
    file: str = ""
    disallowed: bool = False


@dataclass
class Entry:
    file: str
    url: str
    kind: str
    encoding: str = "utf-8"
    title: str = ""
    date: str = ""


@dataclass
class SiteTree:
    cms: str
    base: str
    key: str
    articles: list[Article]
    entries: list[Entry] = field(default_factory=list)
    list_urls: list[str] = field(default_factory=list)
    rss_url: str | None = None
    sitemap_url: str | None = None
    trap_urls: list[str] = field(default_factory=list)
    site_file: Path | None = None

    @property
    def host(self) -> str:
        return self.base.split("://", 1)[1]

    @property
    def allowed(self) -> list[Article]:
        return [a for a in self.articles if not a.disallowed]

    def add(self, root: Path, rel: str, url: str, kind: str, data: bytes | str, encoding: str = "utf-8",
            title: str = "", date: str = "") -> Entry:
        path = root / self.host / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
        entry = Entry(f"{self.host}/{rel}", url, kind, encoding, title, date)
        self.entries.append(entry)
        return entry


ARCHIVE_README = """# Generated replay archive (newsmine tests)

Written by tests/site_trees.py for a test or benchmark run; not real pages. Article and list
pages are the saved real pages of data/replay (전남일보 ND Soft article; 나주시 board list and
post; 정책브리핑 list) used as templates, with titles, dates, ids and bodies replaced. All
generated text is recombined from sentences of those saved pages and of the seed article
(tests/data/seed); no other outside text is used. RSS feeds, sitemaps and robots.txt files
are generated. Hosts end in .test and do not exist.
"""


def write_manifest(root: Path, trees: list[SiteTree], extra: list[Entry] = ()) -> Path:
    """DIR/MANIFEST.tsv for every tree's pages (the replay server's index), and a README."""
    (root / "README.md").write_text(ARCHIVE_README, encoding="utf-8")
    path = root / "MANIFEST.tsv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["file", "url", "kind", "encoding", "title", "date"])
        for entry in [e for t in trees for e in t.entries] + list(extra):
            writer.writerow([entry.file, entry.url, entry.kind, entry.encoding, entry.title, entry.date])
    return path


def write_site_files(directory: Path, trees: list[SiteTree], extra: dict[str, str] | None = None) -> Path:
    """A site registry for the trees: each a three-line file naming its CMS profile."""
    import shutil

    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "data" / "sites" / "cms", directory / "cms", dirs_exist_ok=True)
    for tree in trees:
        lines = [f'name = "{tree.key} (generated)"', f'cms = "{tree.cms}"', f'base = "{tree.base}"']
        lines += [f"{k} = {v}" for k, v in (extra or {}).items()]
        if tree.cms == "ybmodule":
            lines.append(f'board = "{MUNICIPAL_BOARD}"')
        tree.site_file = directory / f"{tree.key}.toml"
        tree.site_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


# ----------------------------------------------------------------------------- helpers

def _iso(when: datetime) -> str:
    return when.isoformat()


def _dotted(when: datetime) -> str:
    return when.strftime("%Y.%m.%d %H:%M")


def _rfc822(when: datetime) -> str:
    from email.utils import format_datetime

    return format_datetime(when)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraphs(body: list[str]) -> str:
    return "\n".join(f"<p>{_esc(p)}</p>\n" for p in body)


def _between(page: str, start: str, end: str) -> tuple[int, int]:
    i = page.index(start)
    return i, page.index(end, i)


def _rss(tree: SiteTree, articles: list[Article], title: str, mobile: int = 0) -> str:
    def link(i: int, a: Article) -> str:  # some feeds hand out the mobile host's URL
        return a.url.replace("://www.", "://m.", 1) if i < mobile else a.url

    items = "".join(
        f"<item><title>{_esc(a.title)}</title><link>{_esc(link(i, a))}</link>"
        f"<description>{_esc(a.body[0][:80])}</description><pubDate>{_rfc822(a.published)}</pubDate></item>\n"
        for i, a in enumerate(articles))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{_esc(title)}</title>'
            f"<link>{tree.base}/</link><description>generated feed</description>\n{items}</channel></rss>\n")


def _sitemap(articles: list[Article], lastmod: Callable[[Article], datetime] | None = None) -> str:
    urls = "".join(
        f"<url><loc>{_esc(a.url)}</loc><lastmod>{_iso((lastmod or (lambda x: x.published))(a))}</lastmod></url>\n"
        for a in articles)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n')


def write_sitemap(root: Path, tree: SiteTree, lastmod: Callable[[Article], datetime] | None = None) -> None:
    """(Re)write the tree's sitemap, e.g. with newer lastmod for some articles."""
    assert tree.sitemap_url
    entry = next(e for e in tree.entries if e.kind == "sitemap")
    (root / entry.file).write_text(_sitemap(tree.allowed, lastmod), encoding="utf-8")


def rewrite_article(root: Path, tree: SiteTree, article: Article, body: list[str]) -> None:
    """Change an article's body in place (an outlet correcting a story)."""
    entry = next(e for e in tree.entries if e.url == article.url)
    old = (root / entry.file).read_text(encoding="utf-8")
    new = old
    for before, after in zip(article.body, body):
        new = new.replace(_esc(before), _esc(after))
    assert new != old
    (root / entry.file).write_text(new, encoding="utf-8")
    article.body = body


# ----------------------------------------------------------------------------- ND Soft

ND_TEMPLATE = REPLAY / "jnilbo.com" / "article_idxno_90000015817.html"
ND_TITLE = "광주FC, 퇴장 악재속 코리아컵 준우승"
ND_ID = "90000015817"


def _nd_article(template: str, tree: SiteTree, a: Article, others: list[Article], outlet: str) -> str:
    page = template
    start = page.index(">", page.index('id="article-view-content-div"')) + 1
    end = page.index("<script>", start)
    page = page[:start] + "\n" + _paragraphs(a.body) + page[end:]
    page = re.sub(r'<H2 class="subheading">.*?</H2>', "", page, flags=re.S)
    lead = _esc(a.body[0][:120])
    page = re.sub(r'(<meta (?:name|property)="(?:og:|twitter:)?description" content=")[^"]*', rf"\g<1>{lead}", page)
    page = re.sub(r'("description": ")[^"]*', lambda m: m.group(1) + json.dumps(a.body[0][:120])[1:-1], page)
    modified = a.published + timedelta(minutes=35)
    for old, new in (("2025-12-06T16:43:04+09:00", _iso(a.published)), ("2025-12-06T17:18:59+09:00", _iso(modified)),
                     ("2025.12.06 16:43", _dotted(a.published)), ("2025.12.06 17:18", _dotted(modified)),
                     ("2025-12-06 17:25 (토)", a.published.strftime("%Y-%m-%d %H:%M"))):
        page = page.replace(old, new)
    page = page.replace(ND_TITLE, _esc(a.title))
    # every other article link points at another article of this tree
    ids = {}

    def relink(match: re.Match[str]) -> str:
        if match.group(1) == ND_ID:
            return f"articleView.html?idxno={a.number}"
        target = ids.setdefault(match.group(1), others[len(ids) % len(others)].number)
        return f"articleView.html?idxno={target}"

    page = re.sub(r"articleView\.html\?idxno=(\d+)", relink, page)
    return page.replace("www.jnilbo.com", tree.host).replace("jnilbo.com", tree.host).replace("전남일보", outlet)


def _nd_list(template: str, tree: SiteTree, items: list[Article], page_no: int, pages: int, outlet: str,
             next_only: bool = False) -> str:
    start, end = _between(template, "<!-- 기사본문 상단 //-->", '<div id="emoji-for">')
    rows = "".join(
        f'<li><h4 class="titles"><a href="/news/articleView.html?idxno={a.number}" target="_top">{_esc(a.title)}</a></h4>'
        f'<p class="lead line-x2"><a href="/news/articleView.html?idxno={a.number}" target="_top">{_esc(a.body[0][:60])}</a></p>'
        f'<span class="byline"><em>{outlet} 기자</em> <em>{_dotted(a.published)}</em></span></li>\n'
        for a in items)
    if next_only:
        nav = f'<li class="pagination-next"><a href="/news/articleList.html?page={page_no + 1}&total=0&view_type=sm">다음</a></li>'
    else:
        first = ((page_no - 1) // 10) * 10 + 1
        current = ' class="current"'
        def href(n: int) -> str:
            return "/news/articleList.html?view_type=sm" if n == 1 else \
                f"/news/articleList.html?page={n}&total={pages * 10}&view_type=sm"

        links = [f'<li{current if n == page_no else ""}><a href="{href(n)}">{n}</a></li>'
                 for n in range(first, min(first + 10, pages + 1))]
        if first + 10 <= pages:
            links.append(f'<li class="pagination-next"><a href="/news/articleList.html?page={first + 10}&total={pages * 10}&view_type=sm">다음</a></li>')
        nav = "".join(links)
    section = (f'<section id="section-list"><header class="box-title"><h3>전체기사</h3></header>'
               f'<ul class="type1">\n{rows}</ul></section>\n<div class="text-center"><ul class="pagination">{nav}</ul></div>\n')
    # the chrome's own widgets ("most read" …) link to jnilbo articles: neutralise them
    head, tail = (re.sub(r'href="[^"]*articleView\.html\?idxno=\d+"', 'href="#"', part)
                  for part in (template[:start], template[end:]))
    page = head + section + tail
    page = re.sub(r"<title>.*?</title>", f"<title>전체기사 - {outlet}</title>", page, flags=re.S)
    page = re.sub(r'<script type="application/ld\+json">.*?</script>', "", page, flags=re.S)
    return page.replace("www.jnilbo.com", tree.host).replace("jnilbo.com", tree.host).replace("전남일보", outlet)


# ----------------------------------------------------------------------------- municipal (ybmodule)

MUNICIPAL_BOARD = "/www/administration/reporting/coverage"
MU_VIEW = REPLAY / "naju.go.kr" / "press_view.html"
MU_LIST = REPLAY / "naju.go.kr" / "press_list.html"
MU_TITLE = "꽃소마루 나주혁신점-빛가람동, ‘한돈·가족 외식권 후원’ 협약"


def _mu_article(template: str, tree: SiteTree, a: Article) -> str:
    page = template
    start = page.index("<div class='view_box'>")
    end = page.index("</div>", start)
    body = "<br />\n<br />\n".join(_esc(p) for p in a.body)
    page = page[:start] + f"<div class='view_box'>    <p>{body}</p>" + page[end:]
    fs, fe = _between(page, '<div class="view_box file_area">', '<!-- 버튼 START -->')
    page = page[:fs] + "</div>\n" + page[fe:]
    page = page.replace("2025.12.05 16:40", _dotted(a.published)).replace(MU_TITLE, _esc(a.title))
    page = page.replace("591764", str(a.number))
    return page.replace("www.naju.go.kr", tree.host)


def _mu_list(template: str, tree: SiteTree, items: list[Article], page_no: int, pages: int) -> str:
    ts = template.index("<tbody>") + len("<tbody>")
    te = template.index("</tbody>", ts)
    rows = "".join(
        f'<tr>\t<td>{a.number}</td>\t<td class= "align_left">\t\t<a href="{MUNICIPAL_BOARD}?idx={a.number}&amp;mode=view"'
        f'  title="{_esc(a.title)} 에 대한 글내용 보기.">\t\t\t<span>{_esc(a.title)}</span>\t\t</a>      </td>'
        f'  <td class="mob_dp_inflex">홍보담당관</td><td class="mob_dp_inflex">{a.published:%Y-%m-%d}</td>'
        f'  <td class="web_only">{a.number % 97}</td></tr>'
        for a in items)
    page = template[:ts] + rows + template[te:]
    ps, pe = _between(page, '<div class="pagination">', '<div class="page_num">')
    links = "".join(f'<a href="#" class="on">{n}</a>' if n == page_no else
                    f'<a href="{MUNICIPAL_BOARD}?page={n}">{n}</a>' for n in range(1, pages + 1))
    nxt = f'<a class="btn_text" href="{MUNICIPAL_BOARD}?page={page_no + 1}"><span>다음</span></a>' if page_no < pages else ""
    page = page[:ps] + f'<div class="pagination"><div class="page_link">{links}</div>{nxt}' + page[pe:]
    return page.replace("www.naju.go.kr", tree.host)


# ----------------------------------------------------------------------------- 정책브리핑 (korea.kr)

KR_LIST = REPLAY / "korea.kr" / "briefing_pressReleaseList.html"


def _kr_list(template: str, tree: SiteTree, items: list[Article], page_no: int, pages: int) -> str:
    ls = template.index('<div class="list_type">')
    ul = template.index("<ul>", ls) + len("<ul>")
    ue = template.index("<!--// list -->", ul)
    rows = "".join(
        f'<li><a href="/briefing/pressReleaseView.do?newsId={a.number}&amp;pageIndex={page_no}&amp;repCodeType=&amp;'
        f'repCode=&amp;startDate=2023-09-11&amp;endDate=2024-09-11&amp;srchWord=&amp;period=">'
        f'<span class="text"><strong>{_esc(a.title)}</strong><span class="lead is-truncated">{_esc(a.body[0][:90])}···</span>'
        f'<span class="source"><span>{a.published:%Y.%m.%d}</span><span>과학기술정보통신부</span></span></span></a></li>\n'
        for a in items)
    page = _kr_unlink(template[:ul]) + rows + "</ul></div>\n" + _kr_unlink(template[ue:])
    return page.replace("www.korea.kr", tree.host)


def _kr_unlink(chrome: str) -> str:
    """The portal's own widgets link to real posts: neutralise them in generated pages."""
    return re.sub(r'href="[^"]*pressReleaseView\.do\?newsId=\d+[^"]*"', 'href="#"', chrome)


def _kr_article(template: str, tree: SiteTree, a: Article) -> str:
    """No korea.kr post page was saved: the list page's chrome around an invented view block."""
    ls = template.index('<div class="sch_brief">')
    le = template.index("<!--// list -->", ls)
    view = (f'<div class="article_head"><h1>{_esc(a.title)}</h1><div class="info">'
            f'<span>{_dotted(a.published)}</span><span>과학기술정보통신부</span></div></div>'
            f'<div class="article_body"><div class="view_cont">{_paragraphs(a.body)}</div></div>\n')
    page = _kr_unlink(template[:ls]) + view + _kr_unlink(template[le:])
    page = re.sub(r"<title>.*?</title>", f"<title>{_esc(a.title)} | 보도자료 | 정책브리핑</title>", page, flags=re.S)
    meta = (f'<meta property="og:title" content="{_esc(a.title)}">'
            f'<meta property="article:published_time" content="{_iso(a.published)}">'
            f'<link rel="canonical" href="{_esc(a.url)}">')
    page = re.sub(r'<link rel="canonical"[^>]*>', "", page).replace("</head>", meta + "</head>", 1)
    return page.replace("www.korea.kr", tree.host)


# ----------------------------------------------------------------------------- building

CMS_DEFAULT_HOST = {"ndsoft": "www.ndsoft-daily.test", "ybmodule": "www.city-board.test",
                    "korea-kr": "www.briefing-board.test"}


def article_url(cms: str, base: str, number: int) -> str:
    if cms == "ndsoft":
        return f"{base}/news/articleView.html?idxno={number}"
    if cms == "ybmodule":
        return f"{base}{MUNICIPAL_BOARD}?idx={number}&mode=view"
    return f"{base}/briefing/pressReleaseView.do?newsId={number}"


def published_at(number: int) -> datetime:
    """Article dates depend on the number only, so a tree rebuilt bigger keeps its old articles."""
    return FIRST_DATE + timedelta(hours=5 * (number - FIRST_NUMBER), minutes=random.Random(number).randint(0, 50))


def make_article(cms: str, seed: int, number: int, when: datetime | None = None, disallowed: bool = False) -> Article:
    rng = random.Random(f"{cms}-{seed}-{number}")
    return Article(number, "", make_title(rng, number), when or published_at(number), make_body(rng),
                   disallowed=disallowed)


def build_tree(root: Path, cms: str, count: int, *, seed: int = 0, base: str | None = None,
               per_page: int = 10, rss: bool = True, sitemap: bool = True, draft: bool = True,
               trap_pages: int = 0, mobile_in_feed: int = 0) -> SiteTree:
    """Write one site tree under root/HOST/ and return what it holds (newest article first).

    Articles are numbered FIRST_NUMBER … FIRST_NUMBER+count-1 (the newest has the highest);
    the draft (id DRAFT_ID, robots-disallowed) sits second on the first list page.
    """
    base = base or f"https://{CMS_DEFAULT_HOST[cms]}"
    key = base.split("://", 1)[1].removeprefix("www.").split(".")[0]
    numbers = range(FIRST_NUMBER + count - 1, FIRST_NUMBER - 1, -1)
    articles = [make_article(cms, seed, n) for n in numbers]
    if draft:  # linked from the first list page, forbidden by robots.txt
        articles.insert(1, make_article(cms, seed, DRAFT_ID, articles[0].published - timedelta(hours=1), True))
    for a in articles:
        a.url = article_url(cms, base, a.number)
    tree = SiteTree(cms, base, key, articles)
    outlet = f"{key}일보"
    pages = max(1, -(-len(articles) // per_page))
    chunks = [articles[i * per_page : (i + 1) * per_page] for i in range(pages)]

    if cms == "ndsoft":
        template = ND_TEMPLATE.read_text(encoding="utf-8")
        for a in articles:
            others = [o for o in articles if o is not a and not o.disallowed][:13] or [a]
            tree.add(root, f"news/{a.number}.html", a.url, "article", _nd_article(template, tree, a, others, outlet),
                     title="" if a.disallowed else a.title, date=_iso(a.published))
        for n, chunk in enumerate(chunks, start=1):
            url = f"{base}/news/articleList.html?view_type=sm" if n == 1 else \
                f"{base}/news/articleList.html?page={n}&total={pages * 10}&view_type=sm"
            nxt = trap_pages > 0 and n == pages
            tree.add(root, f"list/{n}.html", url, "list", _nd_list(template, tree, chunk, n, pages, outlet, next_only=nxt))
            tree.list_urls.append(url)
        for t in range(trap_pages):  # an endless "next" chain of empty pages
            n = pages + 1 + t
            url = f"{base}/news/articleList.html?page={n}&total=0&view_type=sm"
            body = (f'<html><body><ul class="pagination"><li class="pagination-next">'
                    f'<a href="/news/articleList.html?page={n + 1}&total=0&view_type=sm">다음</a></li></ul></body></html>')
            tree.add(root, f"trap/{n}.html", url, "list", body)
            tree.trap_urls.append(url)
        if rss:
            tree.rss_url = f"{base}/rss/allArticle.xml"
            tree.add(root, "rss.xml", tree.rss_url, "rss", _rss(tree, tree.allowed[:30], outlet, mobile_in_feed))
            for a in tree.allowed[:mobile_in_feed]:  # the mobile copy: same page, canonical names www
                entry = next(e for e in tree.entries if e.url == a.url)
                tree.entries.append(Entry(entry.file, a.url.replace("://www.", "://m.", 1), "article", title=a.title,
                                          date=entry.date))
        robots = "User-agent: *\nDisallow: /news/articleView.html?idxno=9\nDisallow: /member/\n"
    elif cms == "ybmodule":
        view, listing = MU_VIEW.read_text(encoding="utf-8"), MU_LIST.read_text(encoding="utf-8")
        for a in articles:
            tree.add(root, f"view/{a.number}.html", a.url, "article", _mu_article(view, tree, a),
                     title="" if a.disallowed else a.title, date=_iso(a.published))
        for n, chunk in enumerate(chunks, start=1):
            url = f"{base}{MUNICIPAL_BOARD}" if n == 1 else f"{base}{MUNICIPAL_BOARD}?page={n}"
            tree.add(root, f"list/{n}.html", url, "list", _mu_list(listing, tree, chunk, n, pages))
            tree.list_urls.append(url)
        if rss:
            tree.rss_url = f"{base}/rss/press.xml"
            tree.add(root, "rss.xml", tree.rss_url, "rss", _rss(tree, tree.allowed[:30], outlet))
        robots = f"User-agent: *\nDisallow: {MUNICIPAL_BOARD}?idx=9\nDisallow: /ybscript.io/\n"
    elif cms == "korea-kr":
        listing = KR_LIST.read_text(encoding="utf-8")
        for a in articles:
            tree.add(root, f"view/{a.number}.html", a.url, "article", _kr_article(listing, tree, a),
                     title="" if a.disallowed else a.title, date=_iso(a.published))
        for n, chunk in enumerate(chunks, start=1):
            url = f"{base}/briefing/pressReleaseList.do" if n == 1 else \
                f"{base}/briefing/pressReleaseList.do?pageIndex={n}"
            tree.add(root, f"list/{n}.html", url, "list", _kr_list(listing, tree, chunk, n, pages))
            tree.list_urls.append(url)
        robots = "User-agent: *\nDisallow: /briefing/pressReleaseView.do?newsId=9\n"
    else:
        raise ValueError(f"no generator for CMS {cms!r}")
    if sitemap:
        tree.sitemap_url = f"{base}/sitemap.xml"
        tree.add(root, "sitemap.xml", tree.sitemap_url, "sitemap", _sitemap(tree.allowed))
    tree.add(root, "robots.txt", f"{base}/robots.txt", "robots", robots)
    return tree


# ----------------------------------------------------------------------------- running crawls

def crawl_cli(archive: Path, db: Path, *args: str, sites: Path | None = None, proxy: str | None = None,
              env: dict[str, str] | None = None, timeout: float = 600, check: bool = True) -> dict:
    """`newsmine crawl --replay ARCHIVE --json --no-nlp …` in a subprocess; the JSON report.

    Each crawl is its own process (Twisted's reactor starts once per process), as in real use.
    """
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "newsmine", "crawl", "--replay", str(archive), "--db", str(db),
               "--json", "--no-nlp", *args]
    if sites is not None:
        command += ["--sites", str(sites)]
    if proxy is not None:
        command += ["--replay-proxy", proxy]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env={**os.environ, **(env or {})})
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["returncode"] = done.returncode
    return report


def stored(db: Path) -> dict[str, dict]:
    """Rows of the articles table by canonical URL."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {r["canonical_url"]: dict(r) for r in conn.execute("SELECT * FROM articles")}


def totals(report: dict, field_name: str) -> int:
    return sum(s[field_name] for s in report["sources"])

"""Strip page furniture from article text: before extraction (DOM) and after (lines).

Korean news pages wrap the story in the same furniture everywhere: reporter lines with
e-mail, "무단전재 및 재배포 금지" footers, ▲ photo captions, 관련기사 / 많이 본 뉴스 lists,
comment boxes, attachment lists on press-release boards. The DOM pass removes elements
whose class or id names such furniture (only when small, so a mislabelled wrapper cannot
take the story with it); the line pass removes what still gets through.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from pipelines.dates import find_stamps
from pipelines.metadata import norm_space
from pipelines.titles import key as title_key

# ------------------------------------------------------------------------------ DOM

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "button", "select",
              "figcaption", "nav", "aside", "footer", "svg", "canvas", "video", "audio")
_NOISE_TOKEN = re.compile(
    r"(?:^|[\s_-])(?:blind|sr-only|screen_?out|text_hidden|hidden|hide|skip|a11y|"
    r"visually-hidden|caption|copyright|byline|reporter|writer|journalist|share|sns|social|"
    r"related|relation|recommend|popular|most|ranking|comment|comments|reply|footer|file|"
    r"files|attach|tag|tags|keyword|banner|ad|ads|advert|satisfy|survey|"
    r"opentype|kogl|pager|paging|breadcrumb|location|navi|gnb|lnb|snb)(?:$|[\s_-]|\d)",
    re.IGNORECASE)
_SMALL = 250          # furniture this short is removed whatever it holds
_LINK_DENSITY = 0.4   # longer furniture only when mostly links (lists, rankings)


def prune_tree(tree: lxml_html.HtmlElement) -> None:
    """Remove furniture elements in place.

    A class name alone is weak evidence (a story body may sit in "article_body font1
    hidden_print"), so a matching element goes only if it is short or link-dense;
    story text is neither.
    """
    for el in list(tree.iter(*_DROP_TAGS)):
        _drop(el)
    matches = []
    for el in tree.iter():
        names = f"{el.get('class') or ''} {el.get('id') or ''}" if isinstance(el.tag, str) else " "
        if names != " " and _NOISE_TOKEN.search(names) and el.tag not in ("body", "main", "article"):
            matches.append(el)
    root = tree.getroottree().getroot()
    for el in matches:
        if not _attached(el, root):
            continue  # inside something already removed
        size = len(el.text_content() or "")
        if size > _SMALL:
            links = sum(len(a.text_content() or "") for a in el.iter("a"))
            if links < _LINK_DENSITY * size:
                continue
        _drop(el)


def _attached(el: lxml_html.HtmlElement, root: lxml_html.HtmlElement) -> bool:
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


def _drop(el: lxml_html.HtmlElement) -> None:
    """Remove an element but keep its tail text attached to the document."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "table", "section", "article", "blockquote", "dd", "dt", "dl", "header", "pre",
          "main", "center", "hr"}
_SKIP = {"script", "style", "noscript", "figure", "figcaption", "img", "button", "iframe",
         "template", "svg", "video", "audio", "picture"}


def element_lines(el: lxml_html.HtmlElement) -> list[str]:
    """Text of an element as lines, breaking at block elements and <br>."""
    chunks: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP or "caption" in (node.get("class") or ""):
            return
        block = tag in _BLOCK
        if block:
            chunks.append("\n")
        if node.text and tag:
            chunks.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                chunks.append(child.tail)
        if block:
            chunks.append("\n")

    walk(el)
    return [norm_space(x) for x in "".join(chunks).split("\n") if norm_space(x)]


def fragment_lines(fragment: str) -> list[str]:
    """Lines of an HTML fragment (embedded article HTML from scripts)."""
    if not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, TypeError):
        return [norm_space(fragment)]
    return element_lines(root)


# ---------------------------------------------------------------------------- lines

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_COPYRIGHT = re.compile(
    r"저작권자|무단\s*전재|재배포\s*금지|무단\s*복제|copyrights?\s*(?:ⓒ|©|\(c\))|"
    r"all rights reserved|공공누리|ⓒ|©", re.IGNORECASE)
_TAIL_HEADING = re.compile(
    r"^(?:\S+\s)?(?:관련\s?기사|관련\s?뉴스|많이\s?본\s?(?:뉴스|기사)?|최신\s?(?:뉴스|기사)|"
    r"인기\s?(?:뉴스|기사)|주요\s?뉴스|추천\s?(?:뉴스|기사)|함께\s?볼만한\s?뉴스|포토\s?뉴스|"
    r"photo\s?news|뉴스\s?댓글|댓글(?:\s?\d+)?|이\s?시각\s?주요\s?뉴스|기자의\s?다른\s?기사|"
    r"헤드라인|핫\s?이슈|오늘의\s?(?:뉴스|주요뉴스))\s*[>›»]?$", re.IGNORECASE)
_BYLINE_ONLY = re.compile(
    r"^[\[(<]?\s*(?:[가-힣]+\s?=\s?)?(?:[가-힣A-Za-z]+\s)?[가-힣]{2,4}\s*(?:선임|수석|인턴|객원|전문|"
    r"취재)?\s*(?:기자|특파원|칼럼니스트|논설위원|편집위원|통신원|PD)(?:\s*외\s*\d+\s*명)?"
    r"\s*[\])>]?\s*[|/·]?$")
_SIGN_OFF = re.compile(r"^(?:[A-Za-z가-힣]+\s?)?(?:뉴스|NEWS|News)\s?[가-힣]{2,4}입니다\.?$")
_GLUED_BYLINE = re.compile(
    r"(?<=[.!?\"”'’다])\s*[\[(]?(?:[가-힣]+\s?=\s?)?(?:[가-힣A-Za-z]+\s)?[가-힣]{2,4}\s*"
    r"(?:기자|특파원)\s*" + _EMAIL + r"\s*[\])]?\s*$")
_END_MARK = re.compile(r"\s*(?:<\s*끝\s*>|\(\s*끝\s*\)|\(END\)|/끝/)\s*$", re.IGNORECASE)
_CAPTION = re.compile(
    r"^(?:[\[(<*※]\s*)?(?:사진|그래픽|영상|자료|출처|이미지)\s*(?:설명|제공|출처|=|:|\))|"
    r"^/\s*\S{1,15}$|^※\s*(?:별첨|첨부)")
_CREDIT = re.compile(
    r"^(?:영상|촬영|그래픽|편집|영상취재|영상편집|사진|디자인|구성|취재지원|진행|작가|"
    r"인턴기자|제작)[가-힣]{0,3}\s*[:：]\s*[가-힣A-Za-z ,·/]{2,40}$")
_UI = re.compile(
    r"URL이\s?복사|^닫기$|^더\s?보기$|제보하기$|^기사\s?본문\s?영역$|본문\s?영역$|^상세\s?페이지$|"
    r"전체\s?보기$|^-?\s*기자\s?정보$|기사\s?모음$|^구독$|^좋아요$|^공유하기$|^인쇄$|글자\s?크기|"
    r"기사의\s?섹션\s?정보는|제보가\s?뉴스가\s?됩니다|^\[(?:카카오톡|전화|메일|이메일|홈페이지)\]|"
    r"기사문의\s?및\s?제보|소중한\s?의견|페이지\s?개선에\s?도움|만족도|^목록$|^이전글|^다음글|"
    r"^로그인|^#\S+(?:\s+#\S+)*$|^Copyright\b|섹션으로\s?분류|섹션\s?분류\s?안내|"
    r"^\$\$[A-Z_]+\$\$$|^\{\{.*\}\}$", re.IGNORECASE)
_META_LABEL = re.compile(
    r"^-?\s*(?:날짜|조회수|조회|등록일|작성일|작성자|담당부서|등록부서|담당자|연락처|첨부파일|"
    r"부서명?|전화번호)\b\s*[:：]?.{0,60}$")
_LABEL_ONLY = re.compile(r"^-?\s*(?:날짜|조회수|조회|등록일|작성일|작성자|담당부서|등록부서|담당자|"
                         r"연락처|부서명?|전화번호)\s*[:：]?$")
_VALUE_ONLY = re.compile(r"^-?\s*[\d.,:/()\s-]*$")
_FILE = re.compile(r"\.(?:jpe?g|png|gif|hwpx?|pdf|docx?|xlsx?|pptx?|zip)\b|^\[(?:jpe?g|png|gif|"
                   r"hwpx?|pdf|zip)\s*,", re.IGNORECASE)
_SYMBOLS = re.compile(r"^[\W_]+$")


def _is_stamp_line(line: str) -> bool:
    stamps = find_stamps(line)
    if not stamps:
        return False
    rest = re.sub(r"(?:입력|수정|등록|승인|송고|작성|기사|최종|업데이트|시간|일시?|[\d.:\-/()\[\]|,])",
                  "", line)
    return len(rest.strip(" -|/:")) <= 12


def _drop_line(line: str, title_k: str | None) -> bool:
    short = len(line) < 200
    if title_k and title_key(line.lstrip("-• ").strip()) == title_k:
        return True
    if _SYMBOLS.match(line) or _VALUE_ONLY.match(line):
        return True
    if short and _COPYRIGHT.search(line):
        return True
    if len(line) < 120 and re.search(_EMAIL, line):
        return True
    if _BYLINE_ONLY.match(line) or _SIGN_OFF.match(line):
        return True
    if line.startswith("▲") and re.search(r"사진|제공|=|/\s*\S+$|촬영|뉴스1|연합뉴스", line):
        return True
    if len(line) < 160 and _CAPTION.match(line):
        return True
    if _CREDIT.match(line) or (len(line) < 80 and _UI.search(line)):
        return True
    if len(line) < 80 and _META_LABEL.match(line):
        return True
    if len(line) < 120 and _FILE.search(line) and not re.search(r"[다요]\.\s*$", line):
        return True
    if len(line) < 40 and _TAIL_HEADING.match(line):
        return True
    return len(line) < 60 and _is_stamp_line(line)


def clean_lines(lines: list[str], title: str | None = None) -> list[str]:
    """Article paragraphs with furniture lines removed, in order, without repeats."""
    lines = [norm_space(x) for x in lines]
    lines = [x for x in lines if x]
    # A list heading ("관련기사", "많이 본 뉴스", "댓글") in the last part ends the story.
    for i, line in enumerate(lines):
        if len(line) < 40 and _TAIL_HEADING.match(line) and i >= len(lines) * 0.5:
            lines = lines[:i]
            break
    title_k = title_key(title) if title else None
    out: list[str] = []
    seen: set[str] = set()
    skip_next = False
    repeating = False  # inside a second copy of the story (print/mobile duplicates)
    last_long = -1
    for line in lines:
        if skip_next:
            skip_next = False
            if len(line) < 160:
                continue
        line = _END_MARK.sub("", _GLUED_BYLINE.sub("", line)).strip()
        m = _COPYRIGHT.search(line)
        if m and len(line) >= 200 and m.start() > len(line) * 0.6:
            line = line[: m.start()].rstrip(" [(<")
        if not line or _drop_line(line, title_k):
            # a caption marker or a bare board label is followed by its value: drop both
            skip_next = bool(re.match(r"^[\[(<*]?\s*사진\s*설명\s*[)\]>:]?\s*$", line)
                             or _LABEL_ONLY.match(line))
            continue
        k = title_key(line)
        long_line = len(k) >= 20
        if k in seen and long_line:
            if not repeating:
                del out[last_long + 1:]  # short lines that opened the repeated block
            repeating = True
            continue
        if repeating and (k in seen or not long_line):
            continue
        if long_line:
            repeating = False
        if k in seen and len(k) >= 10:
            continue
        seen.add(k)
        out.append(line)
        if long_line:
            last_long = len(out) - 1
    return out

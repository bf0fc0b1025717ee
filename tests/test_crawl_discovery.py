"""Links and their dates out of discovery pages (fast unit tests, no crawl)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conftest import REPLAY
from crawler.discovery import feed_links, html_links, parse_when, sitemap_links
from crawler.policy import Target
from crawler.spiders.news import _next_pages, page_number

KST = timezone(timedelta(hours=9))


def test_sitemap_index_and_news_sitemap_dates() -> None:
    index = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>https://x.kr/s1.xml</loc><lastmod>2024-09-01</lastmod></sitemap></sitemapindex>")
    links, is_index = sitemap_links(index)
    assert is_index and links[0].url == "https://x.kr/s1.xml"
    assert links[0].date == datetime(2024, 9, 1, tzinfo=KST)
    news = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x.kr/a?idxno=1</loc>'
            b"<news:news><news:publication_date>2024-09-11T16:10:25+09:00</news:publication_date></news:news>"
            b"</url></urlset>")
    links, is_index = sitemap_links(news)
    assert not is_index and links[0].date == datetime(2024, 9, 11, 16, 10, 25, tzinfo=KST)
    assert sitemap_links(b"not xml at all") == ([], False)


def test_real_municipal_list_gives_each_post_its_date() -> None:
    body = (REPLAY / "naju.go.kr" / "press_list.html").read_bytes()
    links = html_links(body, "https://www.naju.go.kr/www/administration/reporting/coverage")
    posts = [link for link in links if "mode=view" in link.url]
    assert len(posts) == 10
    assert posts[0].url.endswith("coverage?idx=591764&mode=view")
    assert all(p.date is not None and p.date.year == 2025 for p in posts)


def test_real_korea_kr_list_dates_and_euc_kr_feed() -> None:
    body = (REPLAY / "korea.kr" / "briefing_pressReleaseList.html").read_bytes()
    posts = [link for link in html_links(body, "https://www.korea.kr/briefing/pressReleaseList.do")
             if "pressReleaseView" in link.url and "pageIndex" in link.url]
    assert posts and posts[0].date == datetime(2026, 1, 7, tzinfo=KST)
    feed = feed_links((REPLAY / "acnnewswire.net" / "rss2_press_rss_20k_ko.xml").read_bytes(),
                      "http://www.acnnewswire.net/rss2/press_rss_20k.asp")
    assert feed and all(link.url.startswith("http") for link in feed)


def test_parse_when() -> None:
    assert parse_when("2024-09-11") == datetime(2024, 9, 11, tzinfo=KST)
    assert parse_when("2024.09.11 16:10") == datetime(2024, 9, 11, 16, 10, tzinfo=KST)
    assert parse_when("2024-09-11T07:10:00Z") == datetime(2024, 9, 11, 7, 10, tzinfo=timezone.utc)
    assert parse_when("soon") is None and parse_when(None) is None


def test_pagination_follows_only_the_next_page() -> None:
    base = "https://x.kr/news/articleList.html"
    pages = [Target(f"{base}?page={n}&view_type=sm", "list", "x") for n in (1, 2, 3, 11)]
    pages.append(Target("https://x.kr/news/section", "list", "x"))
    follow = _next_pages(f"{base}?page=2&view_type=sm", pages)
    assert [t.url for t in follow] == ["https://x.kr/news/section", f"{base}?page=3&view_type=sm"]
    assert page_number("https://www.yna.co.kr/local/jeonbuk/4") == 4 and page_number(base) is None

"""The site registry (data/sites): every file loads, profiles make three-line files, errors are
one line naming the file and field; `newsmine sites check` against replay archives."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import NEWSMINE, REPLAY
from crawler.sites import SITES_DIR, SiteConfigError, SitePolicy, load_site, load_sites

ISSUE_SOURCES = {"jjan", "domin", "jeollailbo", "sjbnews", "jjn", "jjilbo", "jbyonhap", "newsstep",
                 "todaygunsan", "jeonbuk-press", "korea-kr", "yna-jeonbuk"}


def test_registry_has_the_issue_sources_and_all_load() -> None:
    sites = load_sites()
    keys = {s.key for s in sites}
    assert len(sites) >= 12
    assert ISSUE_SOURCES <= keys
    for site in sites:
        assert site.routes and site.article_pattern.pattern


def test_every_unverified_file_says_so() -> None:
    for path in SITES_DIR.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if "verified = true" not in text:
            assert "UNVERIFIED" in text, path.name


def test_a_three_line_file_on_a_known_cms(tmp_path: Path) -> None:
    (tmp_path / "cms").symlink_to(SITES_DIR / "cms")
    path = tmp_path / "example.toml"
    path.write_text('name = "예시일보"\ncms = "ndsoft"\nbase = "https://www.example.kr"\n', encoding="utf-8")
    site = load_site(path)
    assert dict(site.routes) == {"rss": "https://www.example.kr/rss/allArticle.xml",
                                 "sitemap": "https://www.example.kr/sitemap.xml",
                                 "list": "https://www.example.kr/news/articleList.html?view_type=sm"}
    policy = SitePolicy([site])
    target = policy.classify("http://example.kr/news/articleView.html?idxno=123&replyAll=&reply_sc_order_by=I")
    assert target is not None and target.kind == "article" and target.source == "example"
    assert target.url == "http://example.kr/news/articleView.html?idxno=123"
    page = policy.classify("https://www.example.kr/news/articleList.html?page=2&total=500&view_type=sm")
    assert page is not None and page.kind == "list"
    assert policy.classify("https://www.other.kr/news/articleView.html?idxno=1") is None


def test_municipal_and_briefing_profiles_classify_real_links() -> None:
    policy = SitePolicy(load_sites(names=["naju", "korea-kr"]))
    naju = "https://www.naju.go.kr/www/administration/reporting/coverage"
    assert policy.classify(f"{naju}?idx=591764&mode=view").kind == "article"
    assert policy.classify(f"{naju}?page=2").kind == "list"
    assert policy.classify(f"{naju}?print=true&page=1") is None
    post = policy.classify("https://www.korea.kr/briefing/pressReleaseView.do?newsId=156738805&pageIndex=1"
                           "&repCodeType=&repCode=&startDate=2025-01-07&endDate=2026-01-07&srchWord=&period=")
    assert post.url == "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156738805"
    assert policy.page_url("korea-kr", 3) == "https://www.korea.kr/briefing/pressReleaseList.do?pageIndex=3"


@pytest.mark.parametrize("content, field", [
    ('cms = "ndsoft"\nbase = "https://www.x.kr"\n', "name"),
    ('name = "x"\ncms = "nosuch"\nbase = "https://www.x.kr"\n', "cms"),
    ('name = "x"\ncms = "ndsoft"\n', "base"),
    ('name = "x"\ncms = "ndsoft"\nbase = "www.x.kr"\n', "base"),
    ('name = "x"\nlist = ["ftp://x.kr/"]\narticle_pattern = "x"\n', "list"),
    ('name = "x"\nlist = ["https://x.kr/"]\n', "article_pattern"),
    ('name = "x"\nlist = ["https://x.kr/"]\narticle_pattern = "(["\n', "article_pattern"),
    ('name = "x"\nlist = ["https://x.kr/"]\narticle_pattern = "a"\nrs = []\n', "rs"),
    ('name = "x"\nlist = "https://x.kr/"\narticle_pattern = "a"\n', "list"),
    ('name = "x"\narticle_pattern = "a"\n', "'rss'/'sitemap'/'list'"),
    ('name = "x"\ncms = "ybmodule"\nbase = "https://x.kr"\n', "board"),
    ('name = "x"\nlist = ["https://x.kr/"]\narticle_pattern = "a"\ndelay = -1\n', "delay"),
    ('name = "x\n', "not valid TOML"),
])
def test_bad_files_fail_with_one_line_naming_file_and_field(tmp_path: Path, content: str, field: str) -> None:
    (tmp_path / "cms").symlink_to(SITES_DIR / "cms")
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SiteConfigError) as caught:
        load_site(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and field in message


def test_crawl_with_a_bad_registry_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('name = "x"\n', encoding="utf-8")
    done = subprocess.run([*NEWSMINE, "crawl", "--sites", str(tmp_path), "--db", str(tmp_path / "db")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "bad.toml" in done.stderr


# ----------------------------------------------------------------------------- sites check

def sites_check(*args: str) -> tuple[int, dict]:
    done = subprocess.run([*NEWSMINE, "sites", "check", *args, "--json"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_sites_check_against_the_bundled_archive() -> None:
    code, result = sites_check("naju", "newsstep", "korea-kr", "--replay", str(REPLAY))
    by_key = {s["key"]: s for s in result["sites"]}
    naju = by_key["naju"]["routes"][0]
    assert naju["status"] == 200 and naju["articles"] == 10 and naju["pagination"] >= 1
    assert by_key["newsstep"]["ok"] and by_key["newsstep"]["routes"][0]["articles"] == 1
    korea = by_key["korea-kr"]["routes"]
    assert korea[0]["status"] == 200 and korea[0]["articles"] >= 10
    assert korea[1]["status"] == 404  # pageIndex=2 was not saved: reported, not fatal
    assert code == 0


def test_sites_check_reports_a_broken_source_and_exits_1() -> None:
    code, result = sites_check("jjan", "--replay", str(REPLAY), "--timeout", "5")
    assert code == 1
    assert not result["sites"][0]["ok"]
    assert {r["status"] for r in result["sites"][0]["routes"]} == {404}


def test_sites_check_honours_robots_txt(tmp_path: Path) -> None:
    from site_trees import build_tree, write_manifest, write_site_files

    tree = build_tree(tmp_path, "ybmodule", 12)
    entry = next(e for e in tree.entries if e.kind == "robots")
    (tmp_path / entry.file).write_text("User-agent: *\nDisallow: /rss/\n", encoding="utf-8")
    write_manifest(tmp_path, [tree])
    sites = write_site_files(tmp_path / "sites", [tree], extra={"rss": '["https://www.city-board.test/rss/press.xml"]'})
    code, result = sites_check("--sites", str(sites), "--replay", str(tmp_path))
    routes = {r["kind"]: r for r in result["sites"][0]["routes"]}
    assert routes["rss"]["status"] == "robots-disallowed"
    assert routes["list"]["status"] == 200 and routes["list"]["articles"] == 10
    assert routes["list"]["pagination"] >= 1
    assert code == 0

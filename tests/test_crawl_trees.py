"""The real spider over generated site trees of each CMS profile, driven by three-line site files.

Each crawl is `newsmine crawl --replay DIR --sites DIR/sites` in a subprocess (the registry's
CMS profiles decide what is followed; the archive answers), against a replay server the test
runs itself so it can see every URL that was asked for.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.manifest import Archive
from crawler.replay import ReplayServer
from site_trees import (SiteTree, build_tree, make_body, crawl_cli, rewrite_article, stored, totals, write_manifest,
                        write_site_files, write_sitemap)

pytestmark = pytest.mark.slow


def served_ok(server: ReplayServer) -> list[str]:
    return [url for url, status in server.served if status == 200]


def crawl_with_server(root: Path, db: Path, *args: str, env: dict[str, str] | None = None) -> tuple[dict, list]:
    with ReplayServer(Archive.load(root)) as server:
        report = crawl_cli(root, db, *args, sites=root / "sites", proxy=server.proxy_url, env=env)
        return report, list(server.served)


def check_stored(db: Path, trees: list[SiteTree]) -> None:
    rows = stored(db)
    want = {a.url: a for t in trees for a in t.allowed}
    assert set(rows) == set(want)
    for url, article in want.items():
        row = rows[url]
        assert row["title"] == article.title
        got = datetime.fromisoformat(row["published_at"])
        assert abs(got - article.published) < timedelta(minutes=1), (url, row["published_at"])


# ----------------------------------------------------------------------------- one crawl of three CMSs

@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("trees")
    trees = [
        build_tree(root, "ndsoft", 25, mobile_in_feed=2),                 # rss + sitemap + list
        build_tree(root, "ybmodule", 25, rss=False, sitemap=False),        # list pagination only
        build_tree(root, "korea-kr", 25, sitemap=False),                   # script pagination only
    ]
    write_manifest(root, trees)
    write_site_files(root / "sites", trees)
    db = root / "index.sqlite"
    report, served = crawl_with_server(root, db)
    return {"root": root, "trees": trees, "db": db, "report": report, "served": served}


def test_every_generated_article_is_stored_once_with_its_title_and_date(three: dict) -> None:
    check_stored(three["db"], three["trees"])
    report = three["report"]
    assert report["finish_reason"] == "finished"
    assert totals(report, "new") == sum(len(t.allowed) for t in three["trees"])
    assert not [s for s in report["sources"] if s["failed"]]


@pytest.mark.parametrize("index", [1, 2], ids=["ybmodule-links", "korea-kr-page-url"])
def test_pagination_is_followed_to_the_last_page(three: dict, index: int) -> None:
    tree = three["trees"][index]
    served = {url for url, _ in three["served"]}
    assert len(tree.list_urls) == 3
    from crawler.urls import canonicalize

    assert {canonicalize(u) for u in tree.list_urls} <= served
    # articles of the last page can only have been found through pagination
    rows = stored(three["db"])
    assert all(a.url in rows for a in tree.allowed[-5:])


def test_robots_txt_disallow_is_respected(three: dict) -> None:
    assert three["report"]["robots_forbidden"] >= 3
    drafts = [a.url for t in three["trees"] for a in t.articles if a.disallowed]
    served = {url for url, _ in three["served"]}
    assert drafts and not served & set(drafts)
    assert not set(stored(three["db"])) & set(drafts)


def test_a_second_url_of_a_stored_article_is_recognised(three: dict) -> None:
    import sqlite3

    nd = three["trees"][0]
    aliases = [a.url.replace("://www.", "://m.", 1) for a in nd.allowed[:2]]
    with sqlite3.connect(three["db"]) as conn:
        known = {u for (u,) in conn.execute("SELECT url FROM article_urls")}
        rows = conn.execute("SELECT COUNT(*) FROM articles WHERE canonical_url IN (?, ?)",
                            [a.url for a in nd.allowed[:2]]).fetchone()[0]
    assert rows == 2  # one row each, under the canonical (www) URL, whichever link came first
    assert set(aliases) <= known


def test_recrawl_downloads_no_article_again(three: dict) -> None:
    before = stored(three["db"])
    report, served = crawl_with_server(three["root"], three["db"])
    assert stored(three["db"]).keys() == before.keys()
    assert totals(report, "new") + totals(report, "updated") == 0
    article_urls = {a.url for t in three["trees"] for a in t.articles}
    assert not [u for u, status in served if u in article_urls and status == 200]
    assert totals(report, "known_skipped") + totals(report, "not_modified") >= 1


# ----------------------------------------------------------------------------- incremental behaviour

def test_new_articles_are_found_and_pagination_stops_at_known_ones(tmp_path: Path) -> None:
    trees = [build_tree(tmp_path, "ybmodule", 50, rss=False, sitemap=False)]
    write_manifest(tmp_path, trees)
    write_site_files(tmp_path / "sites", trees)
    db = tmp_path / "index.sqlite"
    first, _ = crawl_with_server(tmp_path, db)
    assert totals(first, "new") == 50

    # three new posts on top: page 1 now holds 3 new + 7 known, page 2 only known ones
    trees = [build_tree(tmp_path, "ybmodule", 53, rss=False, sitemap=False)]
    write_manifest(tmp_path, trees)
    second, served = crawl_with_server(tmp_path, db, env={"NEWSMINE_KNOWN_RUN_STOP": "5"})
    assert totals(second, "new") == 3
    assert set(stored(db)) == {a.url for a in trees[0].allowed}
    assert totals(second, "pagination_stopped") >= 1
    served_urls = {u for u, _ in served}
    assert not served_urls & {u for u in trees[0].list_urls[3:]}, "paginated past the known articles"


def test_lastmod_newer_than_our_copy_rechecks_with_a_conditional_get(tmp_path: Path) -> None:
    tree = build_tree(tmp_path, "ndsoft", 12, rss=False, draft=False)
    write_manifest(tmp_path, [tree])
    write_site_files(tmp_path / "sites", [tree])
    db = tmp_path / "index.sqlite"
    crawl_with_server(tmp_path, db)

    changed, untouched = tree.allowed[3], tree.allowed[5]
    rewrite_article(tmp_path, tree, changed, make_body(random.Random("corrected"), len(changed.body)))
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    write_sitemap(tmp_path, tree, lambda a: tomorrow if a in (changed, untouched) else a.published)
    report, served = crawl_with_server(tmp_path, db)

    assert totals(report, "rechecked") == 2
    assert totals(report, "updated") == 1 and totals(report, "not_modified") >= 1
    assert (untouched.url, 304) in served and (changed.url, 200) in served
    assert stored(db)[changed.url]["body"].startswith(changed.body[0][:20])
    others = {a.url for a in tree.allowed} - {changed.url, untouched.url}
    assert not [u for u, status in served if u in others and status == 200]


def test_since_bounds_a_backfill(tmp_path: Path) -> None:
    tree = build_tree(tmp_path, "ybmodule", 60, sitemap=False)
    write_manifest(tmp_path, [tree])
    write_site_files(tmp_path / "sites", [tree])
    db = tmp_path / "index.sqlite"
    since = tree.allowed[25].published.date()
    report, served = crawl_with_server(tmp_path, db, "--since", since.isoformat())
    want = {a.url for a in tree.allowed if a.published.date() >= since}
    assert set(stored(db)) == want
    assert totals(report, "since_skipped") >= 1
    assert totals(report, "pagination_stopped") >= 1
    served_urls = {u for u, _ in served}
    assert tree.list_urls[-1] not in served_urls, "paginated into pages older than --since"


@pytest.mark.parametrize("env, bound", [({"NEWSMINE_MAX_PAGES_PER_SOURCE": "12"}, 12),
                                        ({"NEWSMINE_DEPTH_LIMIT": "6"}, 6)], ids=["max-pages", "depth-limit"])
def test_an_endless_pagination_trap_is_cut_off(tmp_path: Path, env: dict[str, str], bound: int) -> None:
    tree = build_tree(tmp_path, "ndsoft", 10, rss=False, sitemap=False, trap_pages=300)
    write_manifest(tmp_path, [tree])
    write_site_files(tmp_path / "sites", [tree])
    db = tmp_path / "index.sqlite"
    report, served = crawl_with_server(tmp_path, db, env=env)
    assert report["finish_reason"] == "finished"
    trap = {u for u, _ in served} & set(tree.trap_urls)
    assert 0 < len(trap) <= bound
    assert set(stored(db)) == {a.url for a in tree.allowed}

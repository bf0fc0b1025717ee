"""Faults of the store and of the web a crawl meets (the reliability issue's defects 6, 7, 8
and 11): each fault stops, drops or refuses what it must, counts it for its source, and ends
in a report and an exit status, never a traceback. docs/reliability.md has the whole matrix."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NEWSMINE
from test_cli import assert_one_line_error

REPO = Path(__file__).resolve().parents[1]

# Runs `newsmine …` with the crawl's own store (the one opened while the reactor runs) limited
# to a few more SQLite pages than it holds: the disk "fills up" after some articles.
_FULL_DISK_RUNNER = """
import sys
import index

real_open = index.open_store

def open_store(url=None, **kw):
    store = real_open(url, **kw)
    reactor = sys.modules.get("twisted.internet.reactor")
    if reactor is not None and reactor.running:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + int(sys.argv[1])}")
    return store

index.open_store = open_store
from newsmine.cli import main
main(sys.argv[2:])
"""


def _record_line(url: str) -> str:
    return json.dumps({"url": url, "title": "제목", "body": "본문입니다. " * 5, "published_at": "2024-05-01"},
                      ensure_ascii=False)


def test_a_read_only_database_gives_one_line_and_exit_1_not_an_internal_error(tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    source = tmp_path / "a.jsonl"
    source.write_text(_record_line("https://example.kr/news/1") + "\n", encoding="utf-8")
    done = subprocess.run([*NEWSMINE, "ingest", str(source), "--db", str(db)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    source.write_text(_record_line("https://example.kr/news/2") + "\n", encoding="utf-8")
    read_only = f"file:{db}?mode=ro"      # chmod would not stop root: SQLite's own read-only mode
    done = subprocess.run([*NEWSMINE, "ingest", str(source), "--db", read_only], capture_output=True, text=True,
                          timeout=300)
    assert_one_line_error(done, 1)
    assert "cannot write to" in done.stderr and "readonly" in done.stderr

    from site_trees import build_tree, write_manifest

    archive = tmp_path / "archive"
    tree = build_tree(archive, "ndsoft", 3, rss=False, sitemap=False)
    write_manifest(archive, [tree])
    done = subprocess.run([*NEWSMINE, "crawl", "--replay", str(archive), "--db", read_only, "--no-nlp"],
                          capture_output=True, text=True, timeout=300)
    assert_one_line_error(done, 1)
    assert "cannot write to" in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1


@pytest.mark.slow
def test_a_full_disk_mid_crawl_stops_it_marks_the_run_failed_and_reports(tmp_path: Path) -> None:
    """The store fails after some articles: the crawl stops fetching, prints its report, names
    the error on one line and exits 1; the run is `failed`; the next run stores the rest once."""
    from site_trees import build_tree, crawl_cli, stored, write_manifest

    articles = 60
    tree = build_tree(tmp_path, "ndsoft", articles, rss=False, sitemap=False, draft=False)
    write_manifest(tmp_path, [tree])
    db = tmp_path / "index.sqlite"
    command = [sys.executable, "-c", _FULL_DISK_RUNNER, "12", "crawl", "--replay", str(tmp_path), "--db",
               str(db), "--json", "--no-nlp"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO, env={**os.environ})
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("newsmine: error: the crawl stopped, the store failed")
    assert "database or disk is full" in done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["finish_reason"] == "store_failed" and "disk is full" in report["store_error"]
    (source,) = report["sources"]
    assert source["errors"].get("store", 0) >= 1
    kept = len(stored(db))
    assert 0 < kept < articles and source["new"] == kept
    assert source["fetched"] < articles, "the crawl kept fetching after the store failed"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, finish_reason FROM crawl_runs").fetchall() == [
            ("failed", "store_failed")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    again = crawl_cli(tmp_path, db)        # disk space back: the rerun catches up, once each
    assert set(stored(db)) == {a.url for a in tree.allowed} and again["sources"][0]["new"] == articles - kept


# ----------------------------------------------------------------------------- redirects

class FaultServer:
    """A loopback server answering from an archive, as a replay proxy (absolute request URLs)
    or as the origin itself, with `redirects` {url: Location} answered 302 first."""

    def __init__(self, archive_dir: Path | None = None, redirects: dict[str, str] | None = None):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.archive_dir = archive_dir
        self.redirects = dict(redirects or {})
        self.seen: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                from crawler.replay import SCHEME_HEADER

                url = self.path if self.path.startswith("http") else f"http://{self.headers['Host']}{self.path}"
                if self.headers.get(SCHEME_HEADER) in ("http", "https"):
                    url = f"{self.headers[SCHEME_HEADER]}://{url.split('://', 1)[1]}"
                server.seen.append(url)
                entry = server.archive().get(url) if server.archive_dir else None
                if url in server.redirects:
                    status, body, extra = 302, b"", {"Location": server.redirects[url]}
                elif entry is not None:
                    ctype = "text/html; charset=utf-8" if entry.kind in ("article", "list") else "text/xml"
                    status, body, extra = 200, entry.file.read_bytes(), {"Content-Type": ctype}
                else:
                    status, body, extra = 404, b"no such page\n", {"Content-Type": "text/plain"}
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    def archive(self):  # type: ignore[no-untyped-def]
        from crawler.manifest import Archive

        return Archive.load(self.archive_dir)

    @property
    def address(self) -> str:
        return "%s:%d" % self.httpd.server_address[:2]

    def __enter__(self) -> "FaultServer":
        import threading

        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.slow
def test_redirect_loops_long_chains_and_exits_from_the_archive_are_counted_per_source(tmp_path: Path) -> None:
    from site_trees import build_tree, crawl_cli, stored, write_manifest

    tree = build_tree(tmp_path, "ndsoft", 8, rss=False, sitemap=False, draft=False)
    write_manifest(tmp_path, [tree])
    looping, chained, leaving, moved = (a.url for a in tree.allowed[:4])
    redirects = {looping: looping + "&hop=1", looping + "&hop=1": looping,
                 leaving: "http://127.0.0.1:5432/"}
    for hop in range(15):                           # 15 hops, past REDIRECT_MAX_TIMES (10)
        redirects[chained if hop == 0 else f"{chained}&hop={hop}"] = f"{chained}&hop={hop + 1}"
    other = tree.allowed[4].url                     # a page that moved: followed as always
    redirects[moved] = other
    with FaultServer(tmp_path, redirects) as server:
        report = crawl_cli(tmp_path, tmp_path / "index.sqlite", proxy=f"http://{server.address}", check=False)
    (source,) = report["sources"]
    assert source["errors"] == {"redirect_loop": 1, "redirect_chain": 1, "off_archive": 1}, source
    assert not any(url.startswith("http://127.0.0.1:5432") for url in server.seen)
    assert not any(url.endswith("&hop=12") for url in server.seen)
    rows = stored(tmp_path / "index.sqlite")
    assert set(rows) == {a.url for a in tree.allowed} - {looping, chained, leaving, moved}


_LIVE_RUNNER = """
import json, sys
from crawler.manifest import Archive
from crawler.policy import ArchivePolicy
from crawler.run import run_crawl

report = run_crawl(sys.argv[2], policy=ArchivePolicy(Archive.load(sys.argv[1])), overrides={
    "NEWSMINE_ALLOWED_HOSTS": sys.argv[3:], "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
    "NEWSMINE_NLP": False, "NEWSMINE_CPU_WORKERS": 0, "RETRY_TIMES": 0})
print(json.dumps({s.source: s.errors | {"new": s.new} for s in report.sources}))
"""


@pytest.mark.slow
def test_a_live_crawl_never_fetches_loopback_private_or_metadata_addresses(tmp_path: Path) -> None:
    """Live mode: redirects to another loopback port, a private address and the cloud metadata
    address are refused after resolving the host, and counted; the allowed origin is crawled."""
    from site_trees import build_tree, stored, write_manifest

    with FaultServer() as victim, FaultServer() as origin:
        origin.archive_dir = tmp_path
        tree = build_tree(tmp_path, "ndsoft", 6, rss=False, sitemap=False, draft=False,
                          base=f"http://{origin.address}")
        write_manifest(tmp_path, [tree])
        to_victim, to_private, to_metadata, to_name = (a.url for a in tree.allowed[:4])
        origin.redirects = {to_victim: f"http://{victim.address}/admin",
                            to_private: "http://10.1.2.3/",
                            to_metadata: "http://169.254.169.254/latest/meta-data/",
                            to_name: f"http://localhost:{victim.address.split(':')[1]}/"}
        done = subprocess.run([sys.executable, "-c", _LIVE_RUNNER, str(tmp_path), str(tmp_path / "index.sqlite"),
                               origin.address], capture_output=True, text=True, timeout=600, cwd=REPO)
        assert done.returncode == 0, done.stderr[-3000:]
        assert victim.seen == []
    (errors,) = json.loads(done.stdout.strip().splitlines()[-1]).values()
    assert errors == {"private_address": 4, "new": 2}
    kept = {r["url"] for r in stored(tmp_path / "index.sqlite").values()}
    assert kept == {a.url for a in tree.allowed[4:]}


_FOOLED_RUNNER = _LIVE_RUNNER.replace("from crawler.run import run_crawl", """from crawler.run import run_crawl
from crawler import settings
settings.DEFAULTS["DOWNLOADER_MIDDLEWARES"] = {
    **settings.DEFAULTS["DOWNLOADER_MIDDLEWARES"], "crawler.guards.AddressGuardMiddleware": None}""")


@pytest.mark.slow
def test_a_name_that_resolves_to_loopback_when_connecting_is_refused_too(tmp_path: Path) -> None:
    """DNS rebinding: a name that passed the address check can resolve to a private address
    when Scrapy connects. With the check switched off (as if the DNS had fooled it), the
    connection's own resolution refuses `localhost`, so the victim is never asked; the
    allowed origin (an IP literal in NEWSMINE_ALLOWED_HOSTS) is still crawled."""
    from site_trees import build_tree, stored, write_manifest

    with FaultServer() as victim, FaultServer() as origin:
        origin.archive_dir = tmp_path
        tree = build_tree(tmp_path, "ndsoft", 4, rss=False, sitemap=False, draft=False,
                          base=f"http://{origin.address}")
        write_manifest(tmp_path, [tree])
        origin.redirects = {tree.allowed[0].url: f"http://localhost:{victim.address.split(':')[1]}/"}
        done = subprocess.run([sys.executable, "-c", _FOOLED_RUNNER, str(tmp_path), str(tmp_path / "index.sqlite"),
                               origin.address], capture_output=True, text=True, timeout=600, cwd=REPO)
        assert done.returncode == 0, done.stderr[-3000:]
        assert victim.seen == []
    (errors,) = json.loads(done.stdout.strip().splitlines()[-1]).values()
    assert errors.pop("new") == 3
    assert errors == {"CannotResolveHostError": 1}      # Scrapy's name for a refused resolution
    kept = {r["url"] for r in stored(tmp_path / "index.sqlite").values()}
    assert kept == {a.url for a in tree.allowed[1:]}


# ----------------------------------------------------------------------------- chrome, not a body

def _deep_page(depth: int) -> bytes:
    """A menu of headline links, then the story nested `depth` divs deep."""
    seed = (REPO / "tests" / "data" / "seed" / "jeonbuk-sw-article.txt").read_text(encoding="utf-8")
    story = "".join(f"<p>{line}</p>" for line in seed.splitlines() if len(line) > 60)
    menu = "".join(f'<li><a href="/news/{i}">전북 지역 소식 모음 기사 제목 {i}번째 링크</a></li>' for i in range(40))
    return (f"<html><head><title>전북 SW 기업 성과</title></head><body><div class='menu'><ul>{menu}</ul></div>"
            + "<div>" * depth + f"<article><h1>전북 SW 기업 성과</h1>{story}</article>" + "</div>" * depth
            + "</body></html>").encode()


def test_a_page_nested_50000_deep_fails_as_no_article_quickly_and_a_shallow_one_extracts() -> None:
    import time

    from pipelines.extract import NoArticleError, extract_article

    started = time.monotonic()
    with pytest.raises(NoArticleError, match="not an article"):
        extract_article(_deep_page(50_000), "https://example.kr/news/1")
    assert time.monotonic() - started < 20
    article = extract_article(_deep_page(10), "https://example.kr/news/1")
    assert "전북특별자치도" in article.body and "번째 링크" not in article.body


@pytest.mark.slow
def test_a_crawl_counts_a_chrome_only_page_as_no_article_and_stores_the_rest(tmp_path: Path) -> None:
    from site_trees import build_tree, crawl_cli, stored, write_manifest

    tree = build_tree(tmp_path, "ndsoft", 5, rss=False, sitemap=False, draft=False)
    write_manifest(tmp_path, [tree])
    deep = tree.allowed[1]
    (tmp_path / next(e.file for e in tree.entries if e.url == deep.url)).write_bytes(_deep_page(50_000))
    report = crawl_cli(tmp_path, tmp_path / "index.sqlite")
    (source,) = report["sources"]
    assert source["errors"] == {"no_article": 1} and source["new"] == 4
    assert deep.url not in stored(tmp_path / "index.sqlite")

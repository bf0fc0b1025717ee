"""Per-source health: crawl_runs rows, `newsmine sources`, silent sources, failed-source exit code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import NEWSMINE
from crawler.health import CrawlHistory, source_health
from crawler.run import SourceReport
from index import open_store


def _run(history: CrawlHistory, run_id: str, reports: list[SourceReport], reason: str = "finished") -> None:
    sources = [r.source for r in reports]
    started = f"2024-09-{10 + len(history.runs()) // max(len(sources), 1):02d}T01:00:00+00:00"
    history.start(run_id, "host:1", sources, started)
    history.finish(run_id, "host:1", started, reason, reports, 12.5)


def test_silent_sources_are_flagged_after_n_quiet_runs(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "db.sqlite"))
    try:
        history = CrawlHistory(store)
        _run(history, "r1", [SourceReport("a", fetched=5, new=3), SourceReport("b", fetched=5, new=2)])
        for n in range(2, 5):  # three runs in which "a" finds nothing new
            _run(history, f"r{n}", [SourceReport("a", fetched=2, known_skipped=3),
                                    SourceReport("b", fetched=4, new=1)])
        health = {h.source: h for h in source_health(history, {"a": "에이", "b": "비", "c": "씨"}, silent_after=3)}
    finally:
        store.close()
    assert health["a"].silent and health["a"].silent_runs == 3
    assert not health["b"].silent and health["b"].last_run["new"] == 1
    assert health["a"].last_success == health["a"].last_run["started_at"]
    assert health["c"].runs == 0 and "never crawled" in health["c"].notes


def test_failed_and_interrupted_runs_are_told_apart(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "db.sqlite"))
    try:
        history = CrawlHistory(store)
        _run(history, "r1", [SourceReport("a", fetched=3, new=3)])
        _run(history, "r2", [SourceReport("a", fetched=2, errors={"http_503": 2})])
        assert history.runs("a")[0]["status"] == "failed"
        history.start("r3", "host:1", ["a"], "2024-09-20T01:00:00+00:00")  # then the process died
        assert history.interrupted(["a"]) == {"a"}
        (health,) = source_health(history, {"a": "에이"})
    finally:
        store.close()
    assert health.interrupted and health.last_run["status"] == "running"
    assert health.last_success == "2024-09-10T01:00:00+00:00"


@pytest.mark.slow
def test_crawl_reports_a_source_that_failed_entirely_and_sources_shows_it(tmp_path: Path) -> None:
    from site_trees import build_tree, crawl_cli, write_manifest, write_site_files

    tree = build_tree(tmp_path, "ybmodule", 8, rss=False, sitemap=False)
    write_manifest(tmp_path, [tree])
    sites = write_site_files(tmp_path / "sites", [tree])
    (sites / "gone.toml").write_text('name = "사라진 신문"\ncms = "ndsoft"\nbase = "https://www.gone.test"\n',
                                     encoding="utf-8")
    db = tmp_path / "index.sqlite"
    report = crawl_cli(tmp_path, db, sites=sites, check=False)
    assert report["returncode"] == 1
    by_source = {s["source"]: s for s in report["sources"]}
    assert by_source["gone"]["failed"] and by_source["gone"]["errors"] == {"http_404": 3}
    assert by_source["city-board"]["new"] == 8 and not by_source["city-board"]["failed"]
    assert report["duration_s"] > 0 and report["started_at"] <= report["ended_at"]

    done = subprocess.run([*NEWSMINE, "sources", "--db", str(db), "--sites", str(sites), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    health = {h["source"]: h for h in json.loads(done.stdout)["sources"]}
    assert health["gone"]["last_run"]["status"] == "failed" and health["gone"]["last_success"] is None
    city = health["city-board"]["last_run"]
    assert city["status"] == "finished" and city["new"] == 8 and city["pages_fetched"] >= 9
    assert city["duration_s"] > 0 and city["ended_at"]
    assert health["city-board"]["name"] == "city-board (generated)"
    plain = subprocess.run([*NEWSMINE, "sources", "--db", str(db), "--sites", str(sites)],
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0 and "gone" in plain.stdout


@pytest.mark.slow
def test_a_source_whose_robots_txt_forbids_everything_shows_as_blocked(tmp_path: Path) -> None:
    from site_trees import build_tree, crawl_cli, write_manifest, write_site_files

    open_tree = build_tree(tmp_path, "ndsoft", 5, rss=False, sitemap=False)
    closed = build_tree(tmp_path, "ybmodule", 5, rss=False, sitemap=False)
    robots = next(e for e in closed.entries if e.kind == "robots")
    (tmp_path / robots.file).write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    write_manifest(tmp_path, [open_tree, closed])
    sites = write_site_files(tmp_path / "sites", [open_tree, closed])
    db = tmp_path / "index.sqlite"
    report = crawl_cli(tmp_path, db, sites=sites, check=False)
    assert report["returncode"] == 1      # a source without coverage is news for a nightly job
    by_source = {s["source"]: s for s in report["sources"]}
    assert by_source["city-board"]["blocked"] and by_source["city-board"]["robots_forbidden"] > 0
    assert by_source["city-board"]["new"] == 0
    open_key = next(k for k in by_source if k != "city-board")
    assert by_source[open_key]["new"] == 5 and not by_source[open_key]["blocked"]

    done = subprocess.run([*NEWSMINE, "sources", "--db", str(db), "--sites", str(sites), "--json"],
                          capture_output=True, text=True, timeout=120)
    health = {h["source"]: h for h in json.loads(done.stdout)["sources"]}
    assert health["city-board"]["blocked"] and health["city-board"]["last_run"]["status"] == "blocked"
    assert "blocked by robots.txt" in health["city-board"]["notes"] and not health[open_key]["blocked"]

"""How many worker processes a crawl starts (pipelines/pool.py): what fits the memory budget
(`memory_mb`, NEWSMINE_MEMORY_MB) unless `cpu_workers` says otherwise."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest

from crawler.config import load_config, politeness_settings
from crawler.run import build_settings
from pipelines.pool import pool_for


def _workers(env: dict[str, str], config: dict | None = None, nlp: bool = True) -> int:
    settings = build_settings("db", politeness=politeness_settings(config or {}, env=env),
                              overrides=None if nlp else {"NEWSMINE_NLP": False})
    crawler = SimpleNamespace(settings=settings)
    return pool_for(crawler).workers


@pytest.mark.parametrize("budget, cores, nlp, workers", [
    (None, 2, True, 0),      # the default 1 GB: everything in the crawl process (0.88 GB)
    (None, 16, True, 0),
    (None, 2, False, 1),     # --no-nlp: one worker of ~0.6 GB fits beside the crawl process
    (2048, 2, True, 2),
    (2048, 8, True, 2),
    (2048, 1, True, 0),      # one core: no pool whatever the budget
    (4096, 2, True, 2),      # never more than one per core
    (4096, 8, True, 4),
    (4096, 8, False, 6),
    (1500, 4, True, 1),
    (300, 4, True, 0),       # below what the crawl itself needs: it still runs, in-process
    (0, 4, False, 0),
])
def test_the_budget_sets_the_worker_count(monkeypatch: pytest.MonkeyPatch, budget: int | None, cores: int,
                                          nlp: bool, workers: int) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    env = {} if budget is None else {"NEWSMINE_MEMORY_MB": str(budget)}
    assert _workers(env, nlp=nlp) == workers


def test_an_explicit_worker_count_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert _workers({"NEWSMINE_CPU_WORKERS": "3"}) == 3
    assert _workers({"NEWSMINE_CPU_WORKERS": "0", "NEWSMINE_MEMORY_MB": "8192"}) == 0
    assert _workers({"NEWSMINE_CPU_WORKERS": "2", "NEWSMINE_MEMORY_MB": "100"}) == 2


def test_budget_from_config_file_then_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    path = tmp_path / "newsmine.toml"
    path.write_text("[crawl]\nmemory_mb = 2048\n", encoding="utf-8")
    config = load_config(path)
    assert politeness_settings(config, env={})["NEWSMINE_MEMORY_MB"] == 2048
    assert _workers({}, config) == 2
    assert _workers({"NEWSMINE_MEMORY_MB": "4096"}, config) == 4   # the environment wins
    path.write_text("[crawl]\nmemory_mb = 4096\ncpu_workers = 1\n", encoding="utf-8")
    assert _workers({}, load_config(path)) == 1


def test_the_choice_is_logged_once(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    crawler = SimpleNamespace(settings=build_settings("db", politeness=politeness_settings({}, env={})))
    with caplog.at_level(logging.INFO, logger="pipelines.pool"):
        for _stage in range(3):
            pool_for(crawler)
    lines = [r.getMessage() for r in caplog.records if r.name == "pipelines.pool"]
    assert len(lines) == 1 and lines[0].startswith("0 worker processes") and "1024 MiB" in lines[0]

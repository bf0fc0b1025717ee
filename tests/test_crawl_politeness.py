"""Politeness settings an operator controls: config file, environment, per-site overrides."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import NEWSMINE
from crawler.config import ConfigError, load_config, politeness_settings
from crawler.run import build_settings
from crawler.sites import SITES_DIR, load_sites


def test_defaults_are_polite_and_identify_us() -> None:
    settings = build_settings("db", politeness=politeness_settings({}, env={}))
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1 and settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert settings.get("USER_AGENT").startswith("newsmine/") and "NEWSMINE_CONTACT" in settings.get("USER_AGENT")


def test_config_file_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "newsmine.toml"
    path.write_text('[crawl]\ncontact = "ops@example.org"\ndelay = 3\nconcurrency_per_domain = 1\n'
                    'max_pages_per_source = 50\n[crawl.domains."www.jjan.kr"]\ndelay = 5\nconcurrency = 1\n',
                    encoding="utf-8")
    out = politeness_settings(load_config(path), env={"NEWSMINE_DOWNLOAD_DELAY": "4"})
    assert out["DOWNLOAD_DELAY"] == 4.0 and out["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert out["NEWSMINE_MAX_PAGES_PER_SOURCE"] == 50
    assert "contact: ops@example.org" in out["USER_AGENT"]
    assert out["DOWNLOAD_SLOTS"]["www.jjan.kr"] == {"delay": 5.0, "concurrency": 1}
    env_contact = politeness_settings({}, env={"NEWSMINE_CONTACT": "night@example.org"})
    assert "night@example.org" in env_contact["USER_AGENT"]


def test_a_site_file_can_slow_its_own_hosts(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(SITES_DIR / "cms", tmp_path / "cms")
    (tmp_path / "slow.toml").write_text('name = "느림"\ncms = "ndsoft"\nbase = "https://www.slow.kr"\n'
                                        "delay = 10\nconcurrency = 1\n", encoding="utf-8")
    out = politeness_settings({}, env={}, sites=load_sites(tmp_path))
    assert out["DOWNLOAD_SLOTS"] == {"www.slow.kr": {"delay": 10.0, "concurrency": 1}}


def test_replay_runs_stay_fast_whatever_the_politeness() -> None:
    settings = build_settings("db", replay_proxy="http://127.0.0.1:1",
                              politeness={"DOWNLOAD_DELAY": 9.0, "DOWNLOAD_SLOTS": {"x": {"delay": 9}}})
    assert settings.getfloat("DOWNLOAD_DELAY") == 0 and not settings.getdict("DOWNLOAD_SLOTS")


@pytest.mark.parametrize("text, needle", [("[crawl]\ndelay = -1\n", "crawl.delay"),
                                          ("[crawl]\nspeed = 3\n", "crawl.speed"),
                                          ("[crawl\n", "not valid TOML")])
def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml"):
        politeness_settings(load_config(path), env={})
    done = subprocess.run([*NEWSMINE, "crawl", "--config", str(path), "--db", str(tmp_path / "db")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and needle in done.stderr and done.stderr.count("\n") == 1

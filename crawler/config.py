"""Politeness and limits an operator sets without touching code.

Three layers, later ones winning: the defaults in `crawler.settings`; a TOML file
(`--config FILE` or `$NEWSMINE_CONFIG`, table `[crawl]`, per-host tables under
`[crawl.domains."www.example.kr"]`); environment variables (`NEWSMINE_CONTACT`,
`NEWSMINE_USER_AGENT`, `NEWSMINE_DOWNLOAD_DELAY`, `NEWSMINE_CONCURRENCY_PER_DOMAIN`,
`NEWSMINE_MAX_PAGES_PER_SOURCE`, `NEWSMINE_KNOWN_RUN_STOP`, `NEWSMINE_DEPTH_LIMIT`,
`NEWSMINE_CPU_WORKERS`, `NEWSMINE_MEMORY_MB` …).
A site file's own `delay` / `concurrency` set that site's hosts unless the config file names them.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from core import __version__

if TYPE_CHECKING:
    from crawler.sites import Site

PROJECT_URL = "https://github.com/newsmine/newsmine"

# config key -> (Scrapy setting, type, environment variable)
_KEYS: dict[str, tuple[str, type, str]] = {
    "user_agent": ("USER_AGENT", str, "NEWSMINE_USER_AGENT"),
    "delay": ("DOWNLOAD_DELAY", float, "NEWSMINE_DOWNLOAD_DELAY"),
    "concurrency_per_domain": ("CONCURRENT_REQUESTS_PER_DOMAIN", int, "NEWSMINE_CONCURRENCY_PER_DOMAIN"),
    "concurrency": ("CONCURRENT_REQUESTS", int, "NEWSMINE_CONCURRENCY"),
    "autothrottle": ("AUTOTHROTTLE_ENABLED", bool, "NEWSMINE_AUTOTHROTTLE"),
    "autothrottle_target": ("AUTOTHROTTLE_TARGET_CONCURRENCY", float, "NEWSMINE_AUTOTHROTTLE_TARGET"),
    "timeout": ("DOWNLOAD_TIMEOUT", float, "NEWSMINE_DOWNLOAD_TIMEOUT"),
    "depth_limit": ("DEPTH_LIMIT", int, "NEWSMINE_DEPTH_LIMIT"),
    "max_pages_per_source": ("NEWSMINE_MAX_PAGES_PER_SOURCE", int, "NEWSMINE_MAX_PAGES_PER_SOURCE"),
    "known_run_stop": ("NEWSMINE_KNOWN_RUN_STOP", int, "NEWSMINE_KNOWN_RUN_STOP"),
    "page_count_limit": ("CLOSESPIDER_PAGECOUNT", int, "NEWSMINE_PAGE_COUNT_LIMIT"),
    "silent_runs": ("NEWSMINE_SILENT_RUNS", int, "NEWSMINE_SILENT_RUNS"),
    "redis_max_idle": ("NEWSMINE_REDIS_MAX_IDLE", float, "NEWSMINE_REDIS_MAX_IDLE"),
    "cpu_workers": ("NEWSMINE_CPU_WORKERS", int, "NEWSMINE_CPU_WORKERS"),
    "memory_mb": ("NEWSMINE_MEMORY_MB", int, "NEWSMINE_MEMORY_MB"),
    "max_attachments": ("NEWSMINE_MAX_ATTACHMENTS", int, "NEWSMINE_MAX_ATTACHMENTS"),
    "attachment_maxsize": ("NEWSMINE_ATTACHMENT_MAXSIZE", int, "NEWSMINE_ATTACHMENT_MAXSIZE"),
}


class ConfigError(ValueError):
    """A config file or variable that cannot be used; one line naming it."""


def user_agent(contact: str | None) -> str:
    """An identifying User-Agent: product, version, project page and whom to write to."""
    who = f"; contact: {contact}" if contact else "; set NEWSMINE_CONTACT"
    return f"newsmine/{__version__} (+{PROJECT_URL}{who})"


def _convert(value: Any, kind: type, where: str) -> Any:
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        converted = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: {value!r} is not a valid {kind.__name__}") from None
    if kind in (int, float) and converted < 0:
        raise ConfigError(f"{where}: must not be negative")
    return converted


def load_config(path: Path | None) -> dict[str, Any]:
    """The `[crawl]` table of a config file (empty when there is none)."""
    if path is None:
        env = os.environ.get("NEWSMINE_CONFIG")
        path = Path(env) if env else None
    if path is None:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    crawl = data.get("crawl", {})
    if not isinstance(crawl, dict):
        raise ConfigError(f"{path}: [crawl] must be a table")
    known = set(_KEYS) | {"contact", "domains"}
    for key in crawl:
        if key not in known:
            raise ConfigError(f"{path}: crawl.{key}: unknown setting (known: {', '.join(sorted(known))})")
    crawl["_path"] = str(path)
    return crawl


def politeness_settings(config: Mapping[str, Any], env: Mapping[str, str] | None = None,
                        sites: list["Site"] | None = None) -> dict[str, Any]:
    """Scrapy settings from the config file, then the environment, then per-site overrides."""
    env = os.environ if env is None else env
    where = config.get("_path", "config")
    out: dict[str, Any] = {}
    for key, (setting, kind, variable) in _KEYS.items():
        if key in config:
            out[setting] = _convert(config[key], kind, f"{where}: crawl.{key}")
        if env.get(variable):
            out[setting] = _convert(env[variable], kind, variable)
    contact = env.get("NEWSMINE_CONTACT") or config.get("contact")
    if "USER_AGENT" not in out:
        out["USER_AGENT"] = user_agent(contact)
    elif contact and contact not in out["USER_AGENT"]:
        out["USER_AGENT"] = f"{out['USER_AGENT']} (contact: {contact})"
    slots: dict[str, dict[str, Any]] = {}
    for site in sites or []:
        if site.delay is None and site.concurrency is None:
            continue
        for host in site.hosts:
            slot = slots.setdefault(host, {})
            if site.delay is not None:
                slot["delay"] = float(site.delay)
            if site.concurrency is not None:
                slot["concurrency"] = int(site.concurrency)
    domains = config.get("domains", {})
    if not isinstance(domains, dict):
        raise ConfigError(f"{where}: crawl.domains must be a table of host tables")
    for host, values in domains.items():
        if not isinstance(values, dict) or set(values) - {"delay", "concurrency"}:
            raise ConfigError(f"{where}: crawl.domains.{host}: give only delay and concurrency")
        slot = slots.setdefault(host, {})
        if "delay" in values:
            slot["delay"] = _convert(values["delay"], float, f"{where}: crawl.domains.{host}.delay")
        if "concurrency" in values:
            slot["concurrency"] = _convert(values["concurrency"], int, f"{where}: crawl.domains.{host}.concurrency")
    if slots:
        out["DOWNLOAD_SLOTS"] = slots
    return out

"""The web surface's templates, static files and the Jinja environment that renders them.

Autoescape is on for every template: article titles, bodies and snippets come from crawled
pages and are never trusted.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One Jinja environment (autoescape on, filters registered) for pages and digests."""
    from newsmine.web import charts, format as fmt

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        snippet=fmt.snippet_html,
        amount=fmt.amount_text,
        typename=fmt.type_label,
        kindname=fmt.kind_label,
        day=fmt.day,
        safe_url=fmt.safe_url,
        number=fmt.number,
        percent=fmt.percent,
        path=fmt.path_quote,
        evidence=fmt.evidence_html,
        achievement=fmt.achievement_line,
        clip=fmt.clip,
        date_input=fmt.date_input,
        highlight=fmt.highlight,
    )
    env.globals.update(
        bar_chart=charts.bar_chart,
        stacked_chart=charts.stacked_chart,
        add_filter=fmt.add_filter,
        link=fmt.link,
        TYPE_LABELS=fmt.TYPE_LABELS,
        KIND_LABELS=fmt.KIND_LABELS,
    )
    return env

"""Terminal output with rich: crawl reports, index summaries, search hits."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from crawler.run import CrawlReport

console = Console()


def print_crawl_report(report: "CrawlReport") -> None:
    table = Table(title=f"Crawl report ({report.finish_reason})")
    for column in ("source", "fetched", "new", "updated", "unchanged", "known, skipped", "not modified", "errors"):
        table.add_column(column, justify="left" if column in ("source", "errors") else "right")
    for s in report.sources:
        errors = ", ".join(f"{k}×{v}" for k, v in sorted(s.errors.items())) or "-"
        style = "red" if s.failed else None
        table.add_row(s.source, str(s.fetched), str(s.new), str(s.updated), str(s.unchanged),
                      str(s.known_skipped), str(s.not_modified), errors, style=style)
    console.print(table)
    if report.robots_forbidden:
        console.print(f"robots.txt forbade {report.robots_forbidden} page(s).")
    if report.failed_sources:
        console.print(f"[red]Failed entirely:[/red] {', '.join(report.failed_sources)}")


def print_summary(summary: dict) -> None:
    console.print(f"\n[bold]Index:[/bold] {summary.get('articles', 0)} articles, {summary.get('stories', 0)} stories")
    for title, key in (("Organisations by kind", "organizations"), ("Achievements by type", "achievements")):
        counts = summary.get(key) or {}
        if counts:
            table = Table(title=title)
            table.add_column("kind" if key == "organizations" else "type")
            table.add_column("count", justify="right")
            for name, count in sorted(counts.items(), key=lambda kv: -kv[1]):
                table.add_row(str(name), str(count))
            console.print(table)


_MARK = re.compile(r"«(.*?)»|<mark>(.*?)</mark>")


def _highlight(snippet: str) -> Text:
    text = Text()
    cursor = 0
    for match in _MARK.finditer(snippet):
        text.append(snippet[cursor:match.start()])
        text.append(match.group(1) or match.group(2) or "", style="bold yellow")
        cursor = match.end()
    text.append(snippet[cursor:])
    return text


def print_search(result: dict) -> None:
    console.print(f"[bold]{result.get('total', 0)}[/bold] match(es) for [italic]{result.get('query')}[/italic]")
    for hit in result.get("hits", []):
        extra = f"  (+{hit['story_size'] - 1} outlets)" if hit.get("story_size", 1) > 1 else ""
        console.print(f"\n[bold]{hit.get('title')}[/bold]{extra}")
        console.print(f"[dim]{hit.get('outlet') or '-'} · {hit.get('published_at') or '-'} · {hit.get('url')}[/dim]")
        console.print(_highlight(hit.get("snippet") or ""))

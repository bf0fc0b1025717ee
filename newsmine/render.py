"""Terminal output with rich: index summaries and search hits."""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

console = Console()


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
    relation = result.get("total_relation")   # absent: exact; "gte": at least; "approx": scaled
    total = f"{result.get('total', 0)}{'+' if relation == 'gte' else ''}"
    about = "about " if relation == "approx" else ""
    console.print(f"{about}[bold]{total}[/bold] match(es) for [italic]{result.get('query')}[/italic]")
    for hit in result.get("hits", []):
        extra = f"  (+{hit['story_size'] - 1} outlets)" if hit.get("story_size", 1) > 1 else ""
        release = hit.get("release")
        if release:  # --group release: the release this hit stands for, and its matching articles
            others = ", ".join(a["outlet"] or a["url"] for a in release["articles"])
            console.print(Text(f"\npress release: {release['title']} — {release['issuer'] or '-'} "
                               f"({release['id']}); carried by {release['outlets']} outlet(s); "
                               f"{release['matched']} matching here: {others}", style="cyan"), end="")
        console.print(f"\n[bold]{hit.get('title')}[/bold]{extra}")
        console.print(f"[dim]{hit.get('outlet') or '-'} · {hit.get('published_at') or '-'} · {hit.get('url')}[/dim]")
        console.print(_highlight(hit.get("snippet") or ""))

"""The crawl report fits the terminal it is printed on."""

from __future__ import annotations

import io

from rich.console import Console

from crawler.run import CrawlReport, SourceReport
from newsmine.crawling import print_crawl_report


def _report() -> CrawlReport:
    sources = [
        SourceReport("newsstep", fetched=31, new=29, known_skipped=2, not_modified=3, pagination_stopped=1,
                     errors={"http 404": 1}),
        SourceReport("jeonbuk-province", fetched=4, unchanged=4, since_skipped=5, capped=2),
    ]
    return CrawlReport(sources=sources, finish_reason="finished", robots_forbidden=1, run_id="r1", duration_s=2.5)


def _render(width: int) -> str:
    out = io.StringIO()
    print_crawl_report(_report(), Console(file=out, width=width, color_system=None))
    return out.getvalue()


def test_eighty_columns_gets_the_compact_report():
    text = _render(80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "newsstep" in text and "jeonbuk-province" in text
    row = next(line for line in text.splitlines() if "newsstep" in line)
    assert "29" in row and "5" in row.split("│")[6]  # skipped = 2 known + 3 not modified
    assert "known 2, not modified 3, older than --since 5" in " ".join(text.split())
    assert "pagination stopped 1, capped 2" in " ".join(text.split())
    assert "robots.txt forbade 1 page(s)." in text


def test_wide_terminal_gets_every_counter():
    text = _render(200)
    assert "not modified" in text and "pagination stopped" in text
    assert "skipped/other" not in text

"""The web pages in a real browser: Debian's Chromium driven by Playwright, against
`newsmine serve`'s app on a loopback port over articles ingested through the real NLP stage.

Screenshots land in docs/img/ (docs/web.md shows them). Without Chromium or Playwright the
test skips, unless NEWSMINE_REQUIRE_SERVICES=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import REPO
from surfaces_fixtures import ALL, XSS_ARTICLE, write_jsonl

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = REPO / "docs" / "img"


def require_browser() -> None:
    """Skip without Chromium or Playwright — unless NEWSMINE_REQUIRE_SERVICES=1, then fail."""
    problems = []
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        problems.append(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("playwright for Python is not installed")
    if not problems:
        return
    message = "; ".join(problems)
    if os.environ.get("NEWSMINE_REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (NEWSMINE_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database) of a running server; the hostile article is added later by the test."""
    require_browser()
    import uvicorn

    from newsmine.api import create_app
    from newsmine.ingesting import ingest_file

    folder = tmp_path_factory.mktemp("browser")
    plain = [{k: r[k] for k in ("url", "outlet", "title", "body", "published_at")} for r in ALL]
    db = str(folder / "news.sqlite")
    ingest_file(write_jsonl(folder / "articles.jsonl", plain), db)
    port = free_port()
    config = uvicorn.Config(create_app(db, token=""), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", db
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(served: tuple[str, str]) -> str:
    return served[0]


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_search_org_and_coverage_pages(served: tuple[str, str], browser: object, tmp_path: Path) -> None:
    from newsmine.ingesting import ingest_file

    server, db = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ko-KR")  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))

    # Search: the box has the focus, typing and Enter gives highlighted, collapsed results.
    page.goto(server + "/")
    assert page.evaluate("document.activeElement && document.activeElement.id") == "q"
    page.keyboard.type("한빛정밀 계약")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.hit")
    assert "한빛정밀" in page.locator("li.hit h2").first.inner_text()
    assert page.locator("li.hit mark").count() >= 1
    story = page.locator("a.story", has_text="+1 개 매체")
    assert story.count() == 1
    assert page.locator("aside.facets a", has_text="호남경제뉴스").count() == 1
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)

    # The story link lists both outlets' copies.
    story.click()
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit").count() == 2

    # Facet link adds a filter to the query.
    page.go_back()
    page.locator("aside.facets a", has_text="호남경제뉴스").click()
    page.wait_for_selector("#q")
    assert "outlet:호남경제뉴스" in page.input_value("#q")

    # Organisation page: the monthly chart has bars; achievements come with evidence.
    page.goto(server + "/org/한빛정밀")
    assert page.locator("h1").inner_text().startswith("한빛정밀")
    bars = page.locator("#mentions-chart svg rect.bar")
    assert bars.count() >= 3  # July to October, zero months included
    heights = [float(bars.nth(i).get_attribute("height") or 0) for i in range(bars.count())]
    assert sum(h > 0 for h in heights) >= 2
    assert page.locator("table.achievements tbody tr").count() >= 1
    page.screenshot(path=str(SHOTS / "org.png"), full_page=True)

    # Coverage page: stacked monthly chart by outlet, and the table.
    page.goto(server + "/coverage?q=&by=outlet")
    assert page.locator("#coverage-chart svg rect.bar").count() >= 4
    assert page.locator("table.coverage tbody tr").count() == 3
    page.select_option("#by", "region")
    page.locator("form.search button").click()
    page.wait_for_selector("table.coverage")
    assert page.locator("table.coverage tbody th", has_text="전북").count() == 1
    page.goto(server + "/coverage?q=&by=outlet")
    page.screenshot(path=str(SHOTS / "coverage.png"), full_page=True)

    # A hostile article, stored while the server runs, renders as text: no dialog, the payload
    # visible literally, no element with an injected handler.
    ingest_file(write_jsonl(tmp_path / "hostile.jsonl", [XSS_ARTICLE]), db)
    page.goto(server + "/?q=" + "특집")
    page.wait_for_selector("li.hit")
    page.locator("li.hit h2 a").first.click()
    page.wait_for_selector("article.article")
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    assert page.locator("article.article img").count() == 0
    assert page.evaluate("document.querySelectorAll('[onmouseover],[onerror]').length") == 0
    assert dialogs == []

    # "/" puts the focus back in the search box.
    page.goto(server + "/?q=한빛정밀")
    page.locator("h1").first.click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"

    # The API reference renders offline (Swagger UI served from the installed package).
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    assert page.locator(".opblock-summary-path", has_text="/api/search").count() == 1

    assert not [u for u in failed if not u.startswith(server)], failed  # nothing from outside
    context.close()


def test_phone_layout(server: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,  # type: ignore[attr-defined]
                                  is_mobile=True, has_touch=True, locale="ko-KR")
    page = context.new_page()
    page.goto(server + "/?q=한빛정밀")
    page.wait_for_selector("li.hit")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(SHOTS / "search-phone.png"))
    page.goto(server + "/org/한빛정밀")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()

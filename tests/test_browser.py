"""The built site in a real browser: Debian's Chromium driven by playwright, served on 127.0.0.1.

The site is built once per session from a small workspace (every entry type, a Chinese entry and
one with hostile front matter). Every page a test opens is checked for console errors, dialogs
(a script smuggled in through front matter would open one) and requests to any host other than
127.0.0.1. Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, build_tree
from tests.test_site import ENTRIES, many_risks

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def _serve_built(root: Path, entries: dict[str, str]):
    """Build a workspace of these entries with `kb build`; serve it on 127.0.0.1; yield its URL."""
    from kb.scaffold import mkdocs_yml

    build_tree(root, {"mkdocs.yml": mkdocs_yml("Test KB", "en"), **entries})
    (root / "docs" / "index.md").write_text("# Test KB\n\nThe PMO's knowledge base.\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kb", "--root", str(root), "build", "--no-index"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """Build the workspace once with `kb build` and serve it on 127.0.0.1."""
    yield from _serve_built(tmp_path_factory.mktemp("browser") / "ws", ENTRIES)


@pytest.fixture(scope="session")
def long_site_url(tmp_path_factory):
    """The same with 400 more risk cases: a register longer than the rows it shows at first."""
    yield from _serve_built(tmp_path_factory.mktemp("long") / "ws", {**ENTRIES, **many_risks(400)})


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (never a downloaded browser build)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    assert CHROMIUM.exists(), "install Debian's chromium: apt-get install -y chromium"
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser, url: str):
    """A fresh page that records console errors, dialogs and requests to outside hosts."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    pg = context.new_page()
    problems: list[str] = []
    outside: list[str] = []

    def on_request(request):
        if not request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            outside.append(request.url)

    pg.on("request", on_request)
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda exc: problems.append(str(exc)))

    def on_dialog(dialog):
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    # Anything outside 127.0.0.1 is refused, so a missed request cannot hang the test either.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("http://127.0.0.1:")
            else route.abort()
        ),
    )
    pg.base = url
    yield pg
    context.close()
    assert not problems, problems
    assert not outside, outside


@pytest.fixture
def page(browser, site_url):
    """A page of the small site."""
    yield from _page(browser, site_url)


@pytest.fixture
def long_page(browser, long_site_url):
    """A page of the site with a long risk case library."""
    yield from _page(browser, long_site_url)


def _shot(pg, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def _open(pg, path: str = "") -> None:
    pg.goto(pg.base + path)
    pg.wait_for_load_state("networkidle")


def _search(pg, query: str) -> list[str]:
    """Type into Material's search box; return the titles of the results."""
    box = pg.locator("input[data-md-component=search-query]")
    box.click()
    box.fill("")
    box.type(query, delay=15)
    # An input method commits Chinese with a key press; Material reads the box on key-up.
    box.press("End")
    pg.wait_for_function(
        "() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=10_000,
    )
    titles = pg.locator(".md-search-result__item h1").all_inner_texts()
    return [t.replace("\u200b", "") for t in titles]


def test_home_dashboard_then_a_risk_case(page):
    _open(page)
    assert page.locator(".kb-counts").is_visible()
    assert page.locator("svg.kb-svg").count() == 2
    _shot(page, "home", full_page=True)
    page.locator(".kb-counts a", has_text="Risk cases").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/registers/risks/")
    page.locator(".kb-register a", has_text="RISK-0002").click()
    page.wait_for_load_state("networkidle")
    assert "RISK-0002" in page.url
    card = page.locator(".kb-card")
    assert card.is_visible()
    assert "RISK-0002" in card.inner_text() and "12 (3 × 4)" in card.inner_text()
    _shot(page, "risk-case")


def test_hostile_front_matter_shows_as_text(page):
    _open(page, "risks/RISK-0001-hostile/")
    heading = page.locator("article h1").first.inner_text()
    assert heading.startswith("<script>alert(1)</script> & </title><img")
    assert page.locator(".md-tag", has_text="<script>tag()").count() == 1
    _shot(page, "hostile-entry")


def test_search_finds_english_and_chinese_entries(page):
    _open(page)
    titles = _search(page, "rehearse")
    assert "Rehearse the data migration twice" in titles
    _shot(page, "search-english")
    _open(page)
    titles = _search(page, "手持终端")
    assert "RF 手持终端供应商交付延迟" in titles, titles
    _shot(page, "search-chinese")


def test_risk_library_filters_and_sorts(page):
    _open(page, "registers/risks/")
    rows = page.locator(".kb-register tbody tr")
    assert rows.count() == 2
    page.locator(".kb-filter").fill("vendor")
    page.wait_for_timeout(100)
    visible = page.locator(".kb-register tbody tr:not([hidden])")
    assert visible.count() == 1 and "RISK-0002" in visible.first.inner_text()
    assert page.locator(".kb-shown").inner_text().startswith("1 / 2")
    page.locator(".kb-filter").fill("")
    page.locator("select.kb-select").first.select_option("data")
    page.wait_for_timeout(100)
    assert visible.count() == 1 and "RISK-0001" in visible.first.inner_text()
    page.locator("select.kb-select").first.select_option("")
    score = page.locator(".kb-register th", has_text="Score")
    score.click()
    assert rows.first.inner_text().startswith("RISK-0002")  # 12 before 20
    score.click()
    assert rows.first.inner_text().startswith("RISK-0001")
    _shot(page, "risk-library")


def test_a_long_register_shows_its_first_rows_and_filters_and_sorts_all(long_page):
    page = long_page
    _open(page, "registers/risks/")
    rows = page.locator(".kb-register tbody tr")
    visible = page.locator(".kb-register tbody tr:not([hidden])")
    assert rows.count() == 402 and visible.count() == 100
    assert page.locator(".kb-shown").inner_text().startswith("402 / 402")
    _shot(page, "risk-library-long")
    # The filter searches every row, not only the ones shown.
    page.locator(".kb-filter").fill("needle")
    page.wait_for_timeout(100)
    assert visible.count() == 1 and "RISK-0500" in visible.first.inner_text()
    assert not page.locator(".kb-more").is_visible()
    page.locator(".kb-filter").fill("")
    page.wait_for_timeout(100)
    assert visible.count() == 100 and page.locator(".kb-more").is_visible()
    # Sorting orders every row; the first ones of the new order are shown.
    page.locator(".kb-register th", has_text="ID").click()
    page.locator(".kb-register th", has_text="ID").click()
    assert visible.first.inner_text().startswith("RISK-0500") and visible.count() == 100
    # Scrolling to the end of the shown rows shows more; "Show all" shows the rest.
    page.locator(".kb-more").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelectorAll('.kb-register tbody tr:not([hidden])').length > 100"
    )
    assert visible.count() < 402
    page.locator(".kb-more button", has_text="Show all").click()
    assert visible.count() == 402 and not page.locator(".kb-more").is_visible()


def test_dark_mode_toggle(page):
    _open(page, "retrospectives/RETRO-0001-erp-go-live/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.locator("label.md-header__button[for^=__palette]:visible").first.click()
    page.wait_for_timeout(300)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    _shot(page, "retrospective-dark", full_page=True)


def test_every_generated_page_opens_cleanly(page):
    started = time.monotonic()
    for path in (
        "registers/",
        "registers/lessons/",
        "registers/sops/",
        "registers/actions/",
        "projects/",
        "projects/erp-roll-out/",
        "sops/SOP-0001-cut-over-checklist/",
        "tags/",
    ):
        _open(page, path)
        assert page.locator("article h1").count() >= 1, path
    _shot(page, "tags")
    _open(page, "registers/actions/")
    _shot(page, "action-tracker", full_page=True)
    assert time.monotonic() - started < 60

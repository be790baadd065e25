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

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, build_tree  # noqa: F401 - re-exported
from tests.test_site import ENTRIES, many_risks

pytestmark = pytest.mark.browser

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
    # A request still being routed when the context closes must not fail the test afterwards.
    context.unroute_all(behavior="ignoreErrors")
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
    page.locator("select.kb-select").first.select_option("Data")  # the label, not the key
    page.wait_for_timeout(100)
    assert visible.count() == 1 and "RISK-0001" in visible.first.inner_text()
    page.locator("select.kb-select").first.select_option("")
    score = page.locator(".kb-register th", has_text="Score")
    score.click()
    assert rows.first.inner_text().startswith("RISK-0001")  # the highest score first: 20
    score.click()
    assert rows.first.inner_text().startswith("RISK-0002")
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
    # A new filter starts from the first rows again; "Show all" shows every one. (Clicked by
    # script: scrolling to the button would show more rows by itself.)
    page.locator(".kb-filter").fill("needle")
    page.locator(".kb-filter").fill("")
    page.wait_for_function(
        "() => document.querySelectorAll('.kb-register tbody tr:not([hidden])').length === 100"
    )
    page.evaluate("() => document.querySelector('.kb-more button:last-child').click()")
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


# ---------------------------------------------------------------------------------------------
# The rough edges a PMO saw: registers keep their state in the address, sort the most urgent
# first, mark overdue rows; ids and dates do not wrap; the heat map filters the risk library;
# project pages lay their tables out alike; a Chinese site's lists are Chinese.


def _rows(pg, selector: str = ".kb-register tbody tr:not([hidden])") -> list[str]:
    return [t.split("\t")[0].strip() for t in pg.locator(selector).all_inner_texts()]


def test_register_state_lives_in_the_address(page):
    _open(page, "registers/risks/")
    page.locator(".kb-filter").fill("mitigate")
    page.wait_for_function("() => location.search.includes('filter=mitigate')")
    page.locator("select.kb-select").first.select_option("Data")
    page.locator(".kb-register th", has_text="Score").click()
    assert "category=Data" in page.url and "sort=-score" in page.url
    assert _rows(page) == ["RISK-0001"]
    # A reload brings the same view back from the address.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator(".kb-filter").input_value() == "mitigate"
    assert page.locator("select.kb-select").first.input_value() == "Data"
    score = page.locator(".kb-register th", has_text="Score")
    assert score.get_attribute("aria-sort") == "descending"
    assert _rows(page) == ["RISK-0001"]
    _shot(page, "risk-library-state-from-address")
    # Back: the state before the sort, then before the category.
    page.go_back()
    page.wait_for_function("() => !location.search.includes('sort=')")
    assert score.get_attribute("aria-sort") == "none"
    page.go_back()
    page.wait_for_function("() => !location.search.includes('category=')")
    assert page.locator("select.kb-select").first.input_value() == ""
    assert len(_rows(page)) == 2  # both risk cases are mitigated
    # Leaving for an entry and coming back keeps the filter.
    page.locator(".kb-register a", has_text="RISK-0002").click()
    page.wait_for_load_state("networkidle")
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert page.locator(".kb-filter").input_value() == "mitigate"


def test_first_click_sorts_the_most_urgent_first(page):
    _open(page, "registers/risks/")
    page.locator(".kb-register th", has_text="Score").click()
    assert _rows(page) == ["RISK-0001", "RISK-0002"]  # 20 before 12
    page.locator(".kb-register th", has_text="Score").click()
    assert _rows(page) == ["RISK-0002", "RISK-0001"]
    _open(page, "registers/actions/")
    due = page.locator('.kb-register th[data-kb-key="due"]')
    due.click()
    assert due.get_attribute("aria-sort") == "ascending"  # the earliest due date first
    first = page.locator(".kb-register tbody tr").first
    assert "Name data owners" in first.inner_text()


def test_overdue_rows_stand_out(page):
    for path in ("", "registers/actions/", "projects/erp-roll-out/"):
        _open(page, path)
        row = page.locator("tr.kb-row--overdue", has_text="Name data owners").first
        assert row.is_visible(), path
        colour = row.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
        plain = page.locator("tr:not(.kb-row--overdue) td").last
        assert colour != plain.evaluate("td => getComputedStyle(td).backgroundColor"), path
    _shot(page, "project-page", full_page=True)


def test_ids_and_dates_never_wrap(browser, site_url):
    # A narrow window squeezes the tables: ids and dates still keep to one line.
    for pg in _page(browser, site_url):
        pg.set_viewport_size({"width": 560, "height": 900})
        for path in ("registers/risks/", "registers/actions/", "", "projects/erp-roll-out/"):
            _open(pg, path)
            broken = pg.evaluate(
                """() => [...document.querySelectorAll('.md-typeset td, .kb-card__id')]
                  .filter(el => /^([A-Z][A-Z0-9]*-\\d{4,}|\\d{4}-\\d{2}-\\d{2})$/
                    .test(el.textContent.trim()))
                  .filter(el => {
                    const range = document.createRange();
                    range.selectNodeContents(el);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    return lines.size > 1;
                  })
                  .map(el => el.textContent.trim())"""
            )
            assert broken == [], (path, broken)
        _open(pg, "registers/actions/")
        _shot(pg, "action-tracker-narrow", full_page=True)


def test_the_heat_map_filters_the_risk_library(page):
    _open(page, "registers/risks/")
    heat = page.locator(".kb-heatmap")
    assert heat.locator("a[data-kb-cell]").count() == 2
    assert heat.locator("td.kb-heat").count() == 25
    page.locator('.kb-heatmap a[data-kb-cell="3x4"]').click()
    page.wait_for_function("() => location.search.includes('cell=3x4')")
    assert _rows(page) == ["RISK-0002"]
    assert page.locator(".kb-heatmap td.kb-heat--active").count() == 1
    assert page.locator(".kb-shown").inner_text().startswith("1 / 2")
    _shot(page, "risk-heat-map-cell")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert _rows(page) == ["RISK-0002"]  # the cell is in the address
    page.locator('.kb-heatmap a[data-kb-cell="3x4"]').click()  # again: every cell
    page.wait_for_function("() => !location.search.includes('cell=')")
    assert len(_rows(page)) == 2
    # Scores are coloured by band in the table too.
    assert page.locator(".kb-register .kb-score--bad", has_text="20").count() == 1
    assert page.locator(".kb-register .kb-score--warn", has_text="12").count() == 1


def test_a_project_page_lays_its_tables_out_alike(page):
    _open(page, "projects/erp-roll-out/")
    headings = page.locator("article h2").all_inner_texts()
    assert [h.replace("¶", "").strip() for h in headings] == [
        "Retrospective",
        "Lesson learned",
        "Open action items",
    ]
    widths = page.evaluate(
        "() => [...document.querySelectorAll('.kb-even table')].map(t => t.offsetWidth)"
    )
    assert len(widths) == 3 and max(widths) - min(widths) <= 1, widths
    ids = page.evaluate(
        """() => [...document.querySelectorAll('.kb-even th[data-kb-key=id]')]
          .map(th => th.offsetWidth)"""
    )
    assert len(ids) == 2 and abs(ids[0] - ids[1]) <= 1, ids
    heads = page.locator(".kb-even th").all_inner_texts()
    assert "Project" not in heads


def test_checklists_render_as_task_lists(browser, zh_site_url):
    for pg in _page(browser, zh_site_url):
        _open(pg, "lessons/LL-0001-经验教训1/")
        boxes = pg.locator("li.task-list-item input[type=checkbox]")
        assert boxes.count() == 2
        assert [b.is_checked() for b in boxes.all()] == [False, True]
        assert "[ ]" not in pg.locator("article").inner_text()
        _shot(pg, "zh-lesson-task-list")


@pytest.fixture(scope="session")
def zh_site_url(tmp_path_factory):
    """A `kb init --lang zh` workspace whose entries use every allowed value, served."""
    from tests.test_site_zh import build_zh_site

    site = build_zh_site(tmp_path_factory.mktemp("zh-browser") / "ws")
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_chinese_sites_registers_read_in_chinese(browser, zh_site_url):
    from kb import i18n
    from tests.site_zh_helpers import english_terms, leaks

    terms = english_terms()
    for pg in _page(browser, zh_site_url):
        registers = ("risks", "lessons", "sops", "actions")
        for path in (f"registers/{name}/" for name in registers):
            _open(pg, path)
            # What the script wrote: the toolbar, the lists' options, the row count.
            toolbar = " ".join(pg.locator(".kb-toolbar").all_inner_texts())
            options = " ".join(
                " ".join(s.locator("option").all_inner_texts())
                for s in pg.locator("select.kb-select").all()
            )
            placeholder = pg.locator(".kb-filter").first.get_attribute("placeholder")
            assert placeholder == i18n.text("register.filter", "zh"), path
            found = leaks(f"{toolbar} {options}", terms)
            assert not found, (path, found)
        _open(pg, "registers/risks/")
        options = pg.locator("select.kb-select").first.locator("option").all_inner_texts()
        assert i18n.text("value.regulatory", "zh") in options
        _shot(pg, "zh-risk-library", full_page=True)

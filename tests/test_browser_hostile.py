"""Diagrams in a real browser with outside DNS blocked: the site asks no other host for anything.

Chromium resolves no name but 127.0.0.1 and localhost, and every request to another host is
refused and recorded, so a request Material or mermaid would make elsewhere fails the test instead
of hanging it. With the site's own mermaid installed, a page's diagrams are drawn as SVG; without
it (a build whose plugin finds no copy), they stay code and nothing is fetched either.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kb.config import load_workspace
from kb.scaffold import mkdocs_yml
from kb.site import diagrams
from kb.site.diagrams import find_mermaid
from kb.site.publish import build_site
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, build_tree, entry_text

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts"
LOCAL = {"127.0.0.1", "localhost"}
# Material draws a diagram into a closed shadow root; the test opens it to find the SVG.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (options) {
  return attach.call(this, { ...options, mode: "open" });
};
"""

BODY = """## Mermaid

The cut-over as a flowchart:

```mermaid
graph LR
  Plan["Plan <b>cut-over</b>"] --> Rehearse --> GoLive["Go live"]
```

A sequence written as HTML:

<pre class="mermaid">sequenceDiagram
  PM->>Vendor: Confirm the delivery date
  Vendor-->>PM: Week 12</pre>

<script>
  // A diagram the plugin cannot see in the page's HTML: Material still finds no way out.
  document.write('<p' + 're class="merm' + 'aid">graph TD; Hidden --> Diagram</p' + 're>');
</script>
"""


def _lesson() -> str:
    return entry_text(
        """
        id: LL-0001
        type: lesson
        title: Diagrams of the cut-over
        date: 2025-06-27
        owner: Anna
        status: approved
        project: ERP roll-out
        category: quality
        phase: executing
        impact: negative
        """,
        "# Diagrams of the cut-over\n\n" + BODY,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def _serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _built(root: Path, mermaid_home: Path | None) -> Path:
    """Build a one-lesson workspace with `kb build`'s core; ``mermaid_home`` None: the real one."""
    build_tree(root, {"mkdocs.yml": mkdocs_yml("Test KB", "en")})
    build_tree(root, {"docs/lessons/LL-0001-diagrams.md": _lesson()})
    with pytest.MonkeyPatch.context() as mp:
        if mermaid_home is not None:
            mp.setattr(diagrams, "MERMAID_HOME", mermaid_home)
        build_site(load_workspace(root=root))
    return root / "site"


def _in_own_thread(work):
    """Run ``work`` in a thread of its own and return what it returns.

    Playwright's sync API cannot start while another instance runs in the same thread, and the
    browser of test_browser.py lives for the whole session; a thread has a loop of its own.
    """
    out: dict = {}

    def run():
        try:
            out["value"] = work()
        except BaseException as exc:  # handed to the test's thread
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=300)
    if "error" in out:
        raise out["error"]
    return out["value"]


def _visit(site: Path, path: str, look) -> dict:
    """Open a page of ``site`` in Chromium with no outside DNS; ``look(page)`` returns what the
    test asserts on. Every request to a host other than 127.0.0.1 is refused and recorded."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    assert CHROMIUM.exists(), "install Debian's chromium: apt-get install -y chromium"

    def work() -> dict:
        server = _serve(site)
        rules = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
        outside: list[str] = []
        errors: list[str] = []

        def route(route):
            if urlsplit(route.request.url).hostname in LOCAL:
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        try:
            with playwright_api.sync_playwright() as p:
                args = [*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"]
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_init_script(OPEN_SHADOW_ROOTS)
                context.route("**/*", route)
                pg = context.new_page()
                pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                pg.on("pageerror", lambda exc: errors.append(str(exc)))
                pg.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
                pg.wait_for_load_state("networkidle")
                try:
                    seen = look(pg)
                except playwright_api.Error as exc:  # reported after the outside requests
                    seen = {"failed": str(exc)}
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
        return {**seen, "outside": outside, "errors": errors}

    return _in_own_thread(work)


def _shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_diagrams_are_drawn_by_the_sites_own_mermaid(tmp_path):
    assert find_mermaid() is not None, "install the site's mermaid: bash scripts/install-mermaid.sh"
    site = _built(tmp_path / "ws", None)

    def look(pg) -> dict:
        pg.wait_for_function("document.querySelectorAll('div.mermaid').length === 3")
        svgs = pg.locator("div.mermaid svg")
        svgs.first.wait_for()
        _shot(pg, "diagrams")
        return {
            "svgs": svgs.count(),
            "left as text": pg.locator("pre.mermaid").count(),
            "sequence": svgs.nth(1).text_content(),
            "real mermaid": pg.evaluate("() => typeof mermaid.run === 'function'"),
        }

    seen = _visit(site, "lessons/LL-0001-diagrams/", look)
    assert seen["outside"] == [], seen["outside"]
    assert "failed" not in seen, seen["failed"]
    assert seen["svgs"] == 3 and seen["left as text"] == 0  # every one drawn
    assert "Confirm the delivery date" in seen["sequence"]
    assert seen["real mermaid"]
    assert seen["errors"] == [], seen["errors"]


def test_without_a_copy_of_mermaid_diagrams_stay_code_and_nothing_is_fetched(tmp_path):
    site = _built(tmp_path / "ws", tmp_path / "no-mermaid")
    assert not list(site.rglob("mermaid.min.js"))

    def look(pg) -> dict:
        article = pg.locator("article").inner_text()
        # The diagram written by a script goes to kb.js's stand-in, which shows its source.
        pg.wait_for_function("document.querySelectorAll('div.mermaid').length === 1", timeout=5000)
        _shot(pg, "diagrams-as-code")
        return {
            "article": article,
            "stand-in": pg.locator("div.mermaid code").text_content(),
            "svgs": pg.locator("div.mermaid svg").count(),
        }

    seen = _visit(site, "lessons/LL-0001-diagrams/", look)
    assert seen["outside"] == [], seen["outside"]
    assert "failed" not in seen, seen["failed"]
    assert "Rehearse --> GoLive" in seen["article"]
    assert "PM->>Vendor: Confirm the delivery date" in seen["article"]
    assert "Hidden --> Diagram" in seen["stand-in"] and seen["svgs"] == 0
    assert seen["errors"] == [], seen["errors"]

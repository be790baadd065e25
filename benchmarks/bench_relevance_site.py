"""Relevance of the site's search: the judged queries of bench_relevance.py, typed on the site.

    .venv/bin/python benchmarks/bench_relevance_site.py              # corpus in a temporary folder
    .venv/bin/python benchmarks/bench_relevance_site.py --verbose    # each query's top 5 on stderr
    .venv/bin/python benchmarks/bench_relevance_site.py --json

The corpus and the 54 judged queries are bench_relevance.py's (benchmarks/relevance/: the sample
knowledge base's entries and 336 generated ones, 36 % of them Chinese; queries in four classes:
en, zh, mixed and cross-language). The corpus is built twice with `kb build`:

- as it ships: the kb plugin's Pagefind search, one bundle per language, entry pages only, with
  the hidden glossary equivalents and weights of kb/site/search_markup.py. Each query goes
  through the site's own search script in headless Chromium (``window.kbSearch.search``, the
  function behind the header's box and the search page), and the ids of its first 10 results
  are ranked;
- the peers, on one build with Material's search plugin on (the kb plugin then adds no search
  markup): Material's lunr search, each query typed into Material's search box and its first 10
  pages taken from the list it shows; and Pagefind out of the box, ``python -m pagefind --site``
  with no options over the same built site (every page, in the site's language), each query
  through Pagefind's JavaScript API. A result that is not an entry page (a register, the
  dashboard) counts as not relevant.

kb's own search (``kb search``, Whoosh, as bench_relevance.py runs it) is printed alongside. The
measures are bench_relevance.py's: P@5, MRR and nDCG@10 per class and overall, the mean over
queries. Every server listens on 127.0.0.1 only. A benchmark, not a test: it prints, never
asserts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_relevance import KbEngine, current_judgments, evaluate  # noqa: E402
from bench_site import CHROMIUM, CHROMIUM_ARGS, build, serve  # noqa: E402

from benchmarks.relevance.corpus import ENTRY_DIRS, generate, load_manifest  # noqa: E402
from benchmarks.relevance.judgments import load_queries  # noqa: E402

LIMIT = 10
ENGINES = {"site": "site", "pagefind": "Pagefind", "lunr": "lunr", "kb": "kb search"}
TIMEOUT_MS = 60_000

_SITE_SEARCH = """async ([q, n]) => {
  const found = await window.kbSearch.search(q, {});
  return (await found.take(n)).map(r => r.meta.id);
}"""
_STOCK_SEARCH = """async ([q, n]) => {
  if (!window.__stock) {
    window.__stock = await import(new URL("pagefind/pagefind.js", location.href).href);
    await window.__stock.init();
  }
  const found = await window.__stock.search(q);
  const rows = await Promise.all(found.results.slice(0, n).map(r => r.data()));
  return rows.map(d => d.url);
}"""
# Material's search box shows "N matching documents" (or "No matching documents") once it has
# searched, and no count while the box is empty; the list holds one item per page, its sections
# folded inside it. Material searches on key events, so each query is typed, then a key pressed.
_LUNR_COUNTED = """counted => {
  const meta = document.querySelector(".md-search-result__meta");
  return !!meta && /\\d|No matching/i.test(meta.textContent) === counted;
}"""
_LUNR_TOP = """n => [...document.querySelectorAll(
  ".md-search-result__list > .md-search-result__item > a.md-search-result__link"
)].slice(0, n).map(a => a.getAttribute("href"))"""


def entry_urls(root: Path) -> dict[str, str]:
    """Each entry page's URL path on the built site ("/lessons/LL-0101-x/") -> the entry's id."""
    from kb.config import load_workspace
    from kb.store import load_entries

    urls = {}
    for entry in load_entries(load_workspace(root=root)).entries:
        rel = Path(entry.relpath).relative_to("docs").with_suffix("")
        if rel.parts and rel.parts[0] in ENTRY_DIRS:
            urls["/" + rel.as_posix() + "/"] = entry.id
    return urls


class _Browser:
    """One headless Chromium for every engine, each site served from 127.0.0.1."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        self.servers: list = []

    def open(self, site: Path):
        server, base = serve(site)
        self.servers.append(server)
        context = self.browser.new_context(viewport={"width": 1280, "height": 860})
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base) else route.abort()
            ),
        )
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(base, wait_until="load")
        return page, base

    def close(self) -> None:
        self.browser.close()
        self._playwright.stop()
        for server in self.servers:
            server.shutdown()


class SiteEngine:
    """The site's search as it ships, through its own script."""

    def __init__(self, page) -> None:
        self.page = page
        page.wait_for_function("() => window.kbSearch")

    def search(self, text: str) -> list[str]:
        return self.page.evaluate(_SITE_SEARCH, [text, LIMIT])

    def close(self) -> None:
        pass


class _ByUrl:
    """A peer whose results are pages: ranked as the entry ids of those that are entries."""

    def __init__(self, page, base: str, urls: dict[str, str]) -> None:
        self.page, self.base, self.urls = page, base, urls

    def ids(self, hrefs: list[str]) -> list[str]:
        from urllib.parse import unquote, urljoin, urlsplit

        ranked = []
        for href in hrefs:
            path = unquote(urlsplit(urljoin(self.page.url, href)).path)
            path = path.removesuffix("index.html")
            ranked.append(self.urls.get(path, "page:" + path))
        return ranked

    def close(self) -> None:
        pass


class StockPagefind(_ByUrl):
    """Pagefind with no options over the site Material builds."""

    def search(self, text: str) -> list[str]:
        return self.ids(self.page.evaluate(_STOCK_SEARCH, [text, LIMIT]))


class Lunr(_ByUrl):
    """Material's own search, typed into its search box."""

    def search(self, text: str) -> list[str]:
        box = "input.md-search__input"
        self.page.fill(box, "")
        self.page.press(box, "End")
        self.page.wait_for_function(_LUNR_COUNTED, arg=False)
        self.page.fill(box, text)
        self.page.press(box, "End")
        self.page.wait_for_function(_LUNR_COUNTED, arg=True)
        return self.ids(self.page.evaluate(_LUNR_TOP, LIMIT))


def stock_index(site: Path) -> None:
    """Pagefind with no options over a built site: its bundle in site/pagefind/."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"error: pagefind failed on {site}: {done.stderr.strip()}")


def table(classes: dict) -> str:
    """The figures as a markdown table: per class, each measure for every engine."""
    head = ["class", "queries"]
    for m in ("P@5", "MRR", "nDCG@10"):
        head += [f"{m} {label}" for label in ENGINES.values()]
    lines = ["| " + " | ".join(head) + " |", "|---|---:|" + "---:|" * (len(head) - 2)]
    for cls, figures in classes.items():
        cells = [f"**{cls}**" if cls == "overall" else cls, str(figures["queries"])]
        for m in ("P@5", "MRR", "nDCG@10"):
            cells += [f"{figures[name][m]:.3f}" for name in ENGINES]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def print_tops(rows: list[dict], grades: dict[str, dict[str, int]]) -> None:
    """Each query's top 5 from every engine on stderr: +2 / +1 judged relevant, - not."""
    for row in rows:
        print(f"{row['id']:6} {row['text']}  ({row['judged']} judged)", file=sys.stderr)
        for name, label in ENGINES.items():
            r, g = row[name], grades[row["id"]]
            top = " ".join(f"{i}{'+' + str(g[i]) if i in g else '-'}" for i in r["top"][:5])
            print(f"   {label:9} P@5 {r['P@5']:.2f} RR {r['MRR']:.2f}  {top}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="generate the corpus here and keep it")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="top 5 per query on stderr")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        raise SystemExit(f"error: no Chromium at {CHROMIUM}")
    root = args.workspace or Path(tempfile.mkdtemp(prefix="kb-relevance-site-"))
    engines: dict = {}
    browser = None
    try:
        generate(root, args.seed)
        queries = current_judgments(load_queries(), load_manifest(root)["entries"])
        print("# building the site as it ships, and with Material's search", file=sys.stderr)
        build(root, "kb", "pagefind", root / "site-kb")
        build(root, "kb", "lunr", root / "site-material")
        stock_index(root / "site-material")
        urls = entry_urls(root)
        browser = _Browser()
        engines["site"] = SiteEngine(browser.open(root / "site-kb")[0])
        material, base = browser.open(root / "site-material")
        engines["pagefind"] = StockPagefind(material, base, urls)
        lunr_page, lunr_base = browser.open(root / "site-material")
        lunr_page.click("input.md-search__input")
        engines["lunr"] = Lunr(lunr_page, lunr_base, urls)
        engines["kb"] = KbEngine(root)
        print(f"# {len(queries)} judged queries", file=sys.stderr)
        result = evaluate(queries, engines)
    except FileExistsError as exc:  # --workspace names a folder with someone else's docs
        parser.error(str(exc))
    finally:
        for engine in engines.values():
            engine.close()
        if browser is not None:
            browser.close()
        if not args.workspace:
            shutil.rmtree(root, ignore_errors=True)
    if args.verbose:
        print_tops(result["queries"], {q.id: q.relevant for q in queries})
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(table(result["classes"]))


if __name__ == "__main__":
    main()

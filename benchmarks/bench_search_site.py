"""Site search benchmark: Material's lunr search against the site's Pagefind search, side by side.

    .venv/bin/python benchmarks/bench_search_site.py                  # 1,000 and 5,000 entries
    .venv/bin/python benchmarks/bench_search_site.py --sizes 1000,5000 --repeat 3 --json
    .venv/bin/python benchmarks/bench_search_site.py --sizes 20 --repeat 1   # a quick check

For each synthetic knowledge base (benchmarks/synthetic.py) it builds the site twice with
`kb build`: with Material's lunr search switched on (for this comparison only; the kb plugin then
leaves search alone) and as the site ships, with the kb plugin's Pagefind search. It serves each
built site from a threaded HTTP server on 127.0.0.1 only and, in headless Chromium with a cold
browser context for every run (no cache), opens the home page, types the query into the search
box of the header and measures:

- time to first result: from the first keystroke to the first result shown, timed in the page
  (the keystroke's event to the frame after the first result is in the page); the query is
  typed at once, as a paste would be;
- bytes fetched before the first result: everything the server sent for requests made from the
  page's navigation until that frame, the page itself included, and of it what the search
  fetched (lunr: its worker and ``search/search_index.json``; Pagefind: ``pagefind/`` and the
  site's search script);
- with a facet filter applied (Pagefind only, lunr has none): the same from the search page
  opened with a type filter in its URL (``search/?type=Lesson+learned``), the query typed into
  the page's box;
- index size: ``search/search_index.json`` against everything in ``pagefind/``;
- index build time: for lunr what Material's search plugin adds to a plain `mkdocs build` (one
  build with it, one without); for Pagefind the seconds `kb build` reports for indexing.

The medians of --repeat runs are printed; the targets at 5,000 entries are a first result within
0.5 s and less than 0.5 MB fetched. A benchmark, not a test: it prints, it never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_site import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    QuietHandler,
    build,
    parse_sizes,
    serve,
    workspace,
)

from kb import i18n  # noqa: E402

TARGET_SECONDS = 0.5
TARGET_BYTES = 500_000
TIMEOUT_MS = 180_000
FACET_TYPE = "lesson"  # the type most entries have, in synthetic.py

# How each search shows its first result for the query typed (QUERY in these expressions):
# lunr's first result; for the site's search, a result once the box or the page says that the
# results shown are those of the query (data-query), not of a part of it or of the filter alone.
HEADER_BOX = {"lunr": "input.md-search__input", "pagefind": "input.kb-search__input"}
FIRST_RESULT = {
    "lunr": "document.querySelector('.md-search-result__item')",
    "pagefind": "(function(){var f=document.querySelector('form.kb-search');"
    "return f && f.dataset.query === QUERY && f.querySelector('.kb-result');})()",
    "facet": "(function(){var h=document.getElementById('kb-search-page');"
    "return h && h.dataset.query === QUERY && h.dataset.state !== 'busy'"
    " && h.querySelector('.kb-results .kb-result');})()",
}
SEARCH_FILES = {
    "lunr": ("search/", "assets/javascripts/workers/"),
    "pagefind": ("pagefind/", "assets/kb/search"),
}

# Installed in every page before its scripts: the time of the first keystroke, and of the frame
# after the first result is in the page (performance.now(), and the epoch for the server's log).
_TIMER = """
(() => {
  const t = { start: null, first: null, epoch: null, text: null };
  window.__kbBench = t;
  const check = () => {
    if (t.start === null || t.first !== null) return;
    const found = %s;
    if (!found) return;
    t.first = -1;
    t.text = (found.textContent || "").trim().slice(0, 120);
    requestAnimationFrame(() => {
      t.first = performance.now();
      t.epoch = performance.timeOrigin + t.first;
    });
  };
  document.addEventListener("keydown", () => {
    if (t.start === null) t.start = performance.now();
    check();
  }, true);
  new MutationObserver(check).observe(document, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ["data-state", "data-query"]
  });
})();
"""


class _LoggingHandler(QuietHandler):
    """Keeps (time received, path, bytes of the body) of every file it serves."""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._received = time.time()
        super().do_GET()

    def copyfile(self, source, outputfile) -> None:
        size = os.fstat(source.fileno()).st_size
        super().copyfile(source, outputfile)
        self.server.fetched.append((self._received, self.path.lstrip("/"), size))


@dataclass
class Run:
    """One cold search: seconds to the first result, bytes fetched before it, what it showed."""

    seconds: float
    bytes_all: int
    bytes_search: int
    first: str


@dataclass
class Measured:
    """The figures of one search at one size."""

    search: str
    entries: int
    runs: list[Run] = field(default_factory=list)
    facet_runs: list[Run] = field(default_factory=list)
    index_bytes: int = 0
    index_files: int = 0
    index_seconds: float | None = None
    load_average: list[float] = field(default_factory=list)  # 1-minute, before and after

    @staticmethod
    def _median(runs: list[Run], name: str) -> float | None:
        return statistics.median(getattr(r, name) for r in runs) if runs else None

    def summary(self) -> dict:
        """Medians and the index, for printing and --json."""
        return {
            "search": self.search,
            "entries": self.entries,
            "first_result_s": self._median(self.runs, "seconds"),
            "fetched_bytes": self._median(self.runs, "bytes_all"),
            "fetched_search_bytes": self._median(self.runs, "bytes_search"),
            "facet_first_result_s": self._median(self.facet_runs, "seconds"),
            "facet_fetched_bytes": self._median(self.facet_runs, "bytes_all"),
            "facet_fetched_search_bytes": self._median(self.facet_runs, "bytes_search"),
            "index_bytes": self.index_bytes,
            "index_files": self.index_files,
            "index_build_s": self.index_seconds,
            "load_average": self.load_average,
            "runs": [r.__dict__ for r in self.runs],
            "facet_runs": [r.__dict__ for r in self.facet_runs],
        }


def _index_size(site: Path, search: str) -> tuple[int, int]:
    """(bytes, files) of a built site's search index."""
    if search == "lunr":
        index = site / "search" / "search_index.json"
        return (index.stat().st_size, 1) if index.is_file() else (0, 0)
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def _cold_search(
    browser, base: str, server, path: str, box: str, query: str, kind: str, search: str
) -> Run:
    """Open ``path`` in a new context, type ``query`` into ``box``, wait for the first result."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
    )
    page = context.new_page()
    page.add_init_script(_TIMER % FIRST_RESULT[kind].replace("QUERY", json.dumps(query)))
    try:
        server.fetched.clear()
        page.goto(base + path, wait_until="load")
        page.click(box)
        page.keyboard.type(query)
        try:
            page.wait_for_function(
                "() => window.__kbBench.first > 0 && window.__kbBench.epoch", timeout=TIMEOUT_MS
            )
        except PlaywrightTimeout:
            raise SystemExit(
                f"error: {search}: no result for {query!r} within {TIMEOUT_MS / 1000:g} s "
                f"on {base + path}"
            ) from None
        timer = page.evaluate("() => window.__kbBench")
        until = timer["epoch"] / 1000
        fetched = [(p, n) for at, p, n in list(server.fetched) if at <= until]
        prefixes = SEARCH_FILES[search]
        return Run(
            seconds=(timer["first"] - timer["start"]) / 1000,
            bytes_all=sum(n for _, n in fetched),
            bytes_search=sum(n for p, n in fetched if p.startswith(prefixes)),
            first=" ".join(timer["text"].split()),
        )
    finally:
        context.unroute_all(behavior="ignoreErrors")
        context.close()


def _browse(site: Path, measured: Measured, query: str, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    server, base = serve(site, _LoggingHandler)
    server.fetched = []
    search = measured.search
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for _ in range(repeat):
                run = _cold_search(
                    browser, base, server, "", HEADER_BOX[search], query, search, search
                )
                measured.runs.append(run)
            if search == "pagefind":
                facet = urlencode({"type": i18n.text(f"type.{FACET_TYPE}", "en")})
                for _ in range(repeat):
                    run = _cold_search(
                        browser,
                        base,
                        server,
                        f"search/?{facet}",
                        "input.kb-search-page__input",
                        query,
                        "facet",
                        search,
                    )
                    measured.facet_runs.append(run)
            browser.close()
    finally:
        server.shutdown()


def measure(n: int, tmp: Path, query: str, repeat: int, browser: bool) -> list[Measured]:
    """Both searches at ``n`` entries: build, index, and (with ``browser``) cold searches."""
    root = workspace(tmp, f"n{n}", n)
    plain = build(root, "small", "none")
    plain_lunr = build(root, "small", "lunr")
    results = []
    for search in ("lunr", "pagefind"):
        site = root / f"site-{search}"
        built = build(root, "kb", search, site)
        measured = Measured(search, n)
        measured.index_bytes, measured.index_files = _index_size(site, search)
        if search == "lunr":
            measured.index_seconds = round(plain_lunr.wall - plain.wall, 2)
        else:
            measured.index_seconds = built.search_seconds
        if browser:
            measured.load_average.append(round(os.getloadavg()[0], 1))
            _browse(site, measured, query, repeat)
            measured.load_average.append(round(os.getloadavg()[0], 1))
        results.append(measured)
    return results


def _mb(n: float | None) -> str:
    return "-" if n is None else f"{n / 1e6:.2f} MB"


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f} s"


def _print(results: list[dict], repeat: int) -> None:
    print(f"median of {repeat} cold runs; bytes: all fetched before the first result (search's);")
    print("load: the machine's 1-minute load average before and after the browser runs")
    print(
        f"{'entries':>8} {'search':<9}{'first result':>13}{'fetched':>20}"
        f"{'with a filter':>14}{'fetched':>20}{'index':>11}{'files':>7}{'built in':>10}"
        f"{'load':>10}"
    )
    for r in results:
        fetched = f"{_mb(r['fetched_bytes'])} ({_mb(r['fetched_search_bytes'])})"
        facet = f"{_mb(r['facet_fetched_bytes'])} ({_mb(r['facet_fetched_search_bytes'])})"
        if r["facet_first_result_s"] is None:
            facet = "no filters"
        load = "/".join(f"{x:g}" for x in r["load_average"]) or "-"
        print(
            f"{r['entries']:>8,} {r['search']:<9}{_s(r['first_result_s']):>13}{fetched:>20}"
            f"{_s(r['facet_first_result_s']):>14}{facet:>20}{_mb(r['index_bytes']):>11}"
            f"{r['index_files']:>7}{_s(r['index_build_s']):>10}{load:>10}"
        )
    for r in results:
        if r["search"] == "pagefind" and r["first_result_s"] is not None and r is results[-1]:
            ok_time = all(
                x is not None and x <= TARGET_SECONDS
                for x in (r["first_result_s"], r["facet_first_result_s"])
            )
            ok_bytes = all(
                x is not None and x < TARGET_BYTES
                for x in (r["fetched_search_bytes"], r["facet_fetched_search_bytes"])
            )
            print(
                f"\ntargets at {r['entries']:,} entries: first result within {TARGET_SECONDS} s "
                f"{'met' if ok_time else 'NOT met'}; under {TARGET_BYTES / 1e6:g} MB of search "
                f"files fetched {'met' if ok_bytes else 'NOT met'}"
            )


def main() -> None:
    """Measure both searches at each size and print a table (or --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="*", default=["1000,5000"], help="entries of each synthetic KB: 1000,5000"
    )
    parser.add_argument("--repeat", type=int, default=3, help="cold runs of each search (median)")
    parser.add_argument("--query", default="vendor", help="what is typed into the search box")
    parser.add_argument("--no-browser", action="store_true", help="build and size the indexes only")
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sizes = parse_sizes(args.sizes)
    browser = not args.no_browser
    if browser and not CHROMIUM.exists():
        raise SystemExit(f"error: no Chromium at {CHROMIUM}; run with --no-browser")
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-search-"))
    results: list[dict] = []
    try:
        for n in sizes:
            results += [m.summary() for m in measure(n, tmp, args.query, args.repeat, browser)]
    finally:
        if args.keep:
            print(f"workspaces kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    machine = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    if args.json:
        out = {"query": args.query, "repeat": args.repeat, "results": results, "machine": machine}
        print(json.dumps(out, indent=1, ensure_ascii=False))
        return
    _print(results, args.repeat)
    print(f"\nquery {args.query!r}; machine: {machine['cpus']} CPUs, Python {machine['python']}")


if __name__ == "__main__":
    main()

"""Site benchmark: `kb build` against plain `mkdocs build` of the same markdown, in CPU seconds.

    .venv/bin/python benchmarks/bench_site.py                    # sample KB, 1,000 and 5,000
    .venv/bin/python benchmarks/bench_site.py --sizes 1000,5000 --no-auto-nav --repeat 3
    .venv/bin/python benchmarks/bench_site.py --sizes 20 --no-sample --no-browser --json

For the sample knowledge base of this repository and for synthetic ones of N entries
(benchmarks/synthetic.py), it builds the same docs/ three ways and prints the CPU seconds of each
(user and system time of the build and of every process it starts, Pagefind included), with
the wall time beside them:

- plain, auto nav: no kb plugin, no nav in mkdocs.yml, so every entry is a navigation item
  (what a workspace without the plugin gets; Material renders the whole nav into every page);
- plain, small nav: no kb plugin, a nav of the section index pages only (the nav the plugin
  makes), so the difference to the next line is what the plugin's own work costs;
- kb build: `kb build --no-index` (the Whoosh index of `kb search` is not the site's): kb check,
  registers, dashboard, project pages, entry cards, backlinks and the site's search index.

The plugin's share is the kb build's CPU seconds less the plain small-nav build's, printed per
1,000 entries too, so a step that grows faster than the entries shows as a share per 1,000 that
grows with N. ``--search lunr`` measures the site with Material's lunr search instead of
Pagefind, in both builds. CPU seconds move much less than wall time on a machine shared with
other work; ``--repeat N`` builds each variant N times, alternating plain and kb builds, and keeps
the fastest of each (the plain auto-nav build of 5,000 entries, minutes long, is built once).

Unless --no-browser (and when /usr/bin/chromium exists) it then opens the risk case library and
the lessons register of the largest KB in Chromium and prints how long each page takes to load
and one filter to apply (median of --runs loads). A benchmark, not a test: it prints, it never
asserts. benchmarks/bench_search_site.py measures the site's search.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from kb.scaffold import mkdocs_yml  # noqa: E402

SECTIONS = ("retrospectives", "lessons", "risks", "sops")
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
# Material's lunr search as `kb init` set it up before the site had Pagefind: Chinese segmented
# by jieba at build time, with zero-width spaces the separator splits on.
LUNR_PLUGIN = {
    "search": {
        "lang": ["en"],
        "separator": r'[\s\u200b\u3000\-_,:!=\[\]()"`/、。，．？！；：]+|\.(?!\d)|&[lg]t;'
        r"|(?!\b)(?=[A-Z][a-z])",
    }
}
LUNR_FEATURES = ["search.suggest", "search.highlight"]
SEARCHES = ("pagefind", "lunr", "none")


def parse_sizes(values: list[str]) -> list[int]:
    """``["1000,5000"]`` or ``["1000", "5000"]`` -> ``[1000, 5000]``."""
    sizes = [int(v) for value in values for v in value.split(",") if v.strip()]
    if any(n < 1 for n in sizes):
        raise SystemExit("error: --sizes: every size is a number of entries, 1 or more")
    return sizes


def _is_search(plugin: object) -> bool:
    name = plugin if isinstance(plugin, str) else next(iter(plugin), "")  # type: ignore[arg-type]
    return name in ("search", "material/search")


def write_config(root: Path, variant: str, search: str = "pagefind") -> None:
    """Write mkdocs.yml for one variant, 'auto' or 'small' (no kb plugin) or 'kb', with one
    search: 'pagefind' (the kb plugin's own: Material's search plugin off), 'lunr' (Material's
    search plugin on; the kb plugin then leaves search alone) or 'none'."""
    config = yaml.safe_load(mkdocs_yml("Benchmark KB", "en"))
    plugins = [p for p in config["plugins"] if not _is_search(p)]
    features = [f for f in config["theme"].get("features", []) if not f.startswith("search.")]
    if search == "lunr":
        plugins.insert(0, LUNR_PLUGIN)
        features += LUNR_FEATURES
    config["theme"]["features"] = features
    if variant != "kb":
        plugins = [p for p in plugins if not (isinstance(p, dict) and "kb" in p) and p != "kb"]
    config["plugins"] = plugins
    if variant == "small":
        docs = root / "docs"
        nav: list = [{"Home": "index.md"}] if (docs / "index.md").exists() else []
        nav += [f"{s}/index.md" for s in SECTIONS if (docs / s / "index.md").exists()]
        config["nav"] = nav
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


@dataclass
class Build:
    """One build: CPU seconds (its processes and theirs), wall seconds, search index seconds."""

    cpu: float
    wall: float
    search_seconds: float | None = None


def _run(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run a command; (CPU seconds of it and its children, wall seconds, stdout)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:4])} failed in {cwd}:\n{result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, result.stdout


def build(root: Path, variant: str, search: str = "pagefind", site: Path | None = None) -> Build:
    """Build one variant into ``site`` (default ``site-<variant>`` in the workspace)."""
    write_config(root, variant, search)
    site = site or root / f"site-{variant}"
    if variant == "kb":
        command = [sys.executable, "-m", "kb", "build", "--no-index", "--json", "-d", str(site)]
        cpu, wall, out = _run(command, root)
        report = json.loads(out).get("search") or {}
        return Build(cpu, wall, report.get("seconds"))
    shutil.rmtree(site, ignore_errors=True)
    cpu, wall, _ = _run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], root)
    return Build(cpu, wall)


def workspace(tmp: Path, label: str, n: int | None) -> Path:
    """The sample knowledge base (n None) or a synthetic one of n entries, under ``tmp``."""
    root = tmp / label
    if n is None:
        shutil.copytree(REPO / "docs", root / "docs")
    else:
        from synthetic import generate

        generate(root, n, seed=1)
        docs = root / "docs"
        (docs / "index.md").write_text("# Benchmark KB\n", encoding="utf-8")
        for s in SECTIONS:
            (docs / s).mkdir(exist_ok=True)
            (docs / s / "index.md").write_text(f"# {s.capitalize()}\n", encoding="utf-8")
    return root


def _count(root: Path) -> int:
    return sum(1 for _ in (root / "docs").rglob("*.md"))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site without a log line per request."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map}
    extensions_map[".wasm"] = "application/wasm"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def serve(site: Path, handler: type[QuietHandler] = QuietHandler):
    """A threaded HTTP server of ``site`` on 127.0.0.1 only; (server, base URL)."""
    bound = functools.partial(handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), bound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _browser(site: Path, paths: list[str], runs: int) -> dict[str, tuple[float, float, int]]:
    """Open registers in Chromium: median seconds to load, ms to filter, rows, for each path.

    Each run is a fresh browser context (no cache of the page): navigation until the load
    event and the register script done, then "vendor" typed into the filter box until the row
    count shows the filtered number.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    server, base = serve(site)
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for path in paths:
                loads, filters, rows = [], [], 0
                for _ in range(runs):
                    context = browser.new_context(viewport={"width": 1280, "height": 860})
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(base + path, wait_until="load")
                    page.wait_for_selector(".kb-register[data-kb-ready] .kb-filter")
                    loads.append(time.perf_counter() - started)
                    rows = page.locator(".kb-register tbody tr").count()
                    started = time.perf_counter()
                    page.fill(".kb-filter", "vendor")
                    page.wait_for_function(
                        "n => !document.querySelector('.kb-shown').textContent"
                        ".startsWith(n + ' /')",
                        arg=rows,
                    )
                    filters.append((time.perf_counter() - started) * 1000)
                    context.close()
                results[path] = (statistics.median(loads), statistics.median(filters), rows)
            browser.close()
    finally:
        server.shutdown()
    return results


@dataclass
class Row:
    """The figures of one knowledge base."""

    name: str
    entries: int | None
    pages: int
    auto: Build | None
    small: Build
    kb: Build

    @property
    def share(self) -> float:
        """CPU seconds the kb build adds to the plain build with the same small nav."""
        return self.kb.cpu - self.small.cpu

    @property
    def share_per_1000(self) -> float | None:
        """The plugin's share per 1,000 entries (None for the sample KB)."""
        return self.share * 1000 / self.entries if self.entries else None

    def to_dict(self) -> dict:
        """The row for --json."""
        out = asdict(self)
        out.update(share_cpu=round(self.share, 2), share_per_1000=self.share_per_1000)
        return out


def _measure(root: Path, n: int | None, args) -> Row:
    auto = None
    if not args.no_auto_nav:
        runs = 1 if n and n > 1000 else args.repeat
        auto = min((build(root, "auto", args.search) for _ in range(runs)), key=lambda b: b.cpu)
    # Alternated, so a busy spell on a shared machine does not fall on one variant only.
    smalls, kbs = [], []
    for _ in range(args.repeat):
        smalls.append(build(root, "small", args.search))
        kbs.append(build(root, "kb", args.search))
    name = "sample" if n is None else f"{n:,} entries"
    small = min(smalls, key=lambda b: b.cpu)
    return Row(name, n, _count(root), auto, small, min(kbs, key=lambda b: b.cpu))


def _cell(b: Build | None) -> str:
    return "-" if b is None else f"{b.cpu:.1f} ({b.wall:.1f})"


def _print_row(row: Row) -> None:
    per = f"{row.share_per_1000:.2f}" if row.share_per_1000 is not None else "-"
    index = f"{row.kb.search_seconds:.1f} s" if row.kb.search_seconds is not None else "-"
    print(
        f"{row.name:<16}{row.pages:>7}{_cell(row.auto):>17}{_cell(row.small):>18}"
        f"{_cell(row.kb):>15}{row.share:>+9.1f}{per:>11}{100 * row.share / row.small.cpu:>+8.0f}%"
        f"{index:>10}",
        flush=True,
    )


def main() -> None:
    """Build each knowledge base three ways and print a table of CPU (and wall) seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="*", default=["1000,5000"], help="entries of each synthetic KB: 1000,5000"
    )
    parser.add_argument("--no-sample", action="store_true", help="skip the sample KB")
    parser.add_argument("--no-auto-nav", action="store_true", help="skip the plain auto-nav build")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium check")
    parser.add_argument("--search", choices=SEARCHES, default="pagefind", help="the site's search")
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces")
    parser.add_argument(
        "--repeat", type=int, default=1, help="build each variant N times and keep the fastest"
    )
    parser.add_argument("--runs", type=int, default=3, help="page loads per register (median)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sizes = parse_sizes(args.sizes)

    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-site-"))
    cases: list[tuple[str, int | None]] = [] if args.no_sample else [("sample", None)]
    cases += [(f"n{n}", n) for n in sizes]
    if not args.json:
        print("CPU seconds (wall seconds); the plugin's share: kb build less plain, small nav")
        print(
            f"{'knowledge base':<16}{'pages':>7}{'plain, auto nav':>17}{'plain, small nav':>18}"
            f"{'kb build':>15}{'share':>9}{'per 1,000':>11}{'vs plain':>9}{'search':>10}"
        )
    rows: list[Row] = []
    browser: dict = {}
    last = None
    try:
        for label, n in cases:
            root = workspace(tmp, label, n)
            rows.append(_measure(root, n, args))
            if not args.json:
                _print_row(rows[-1])
            last = root
        if last is not None and not args.no_browser and CHROMIUM.exists():
            registers = {"registers/risks/": "risk case library", "registers/lessons/": "lessons"}
            measured = _browser(last / "site-kb", list(registers), args.runs)
            browser = {
                registers[p]: dict(zip(("load_s", "filter_ms", "rows"), v, strict=True))
                for p, v in measured.items()
            }
    finally:
        if args.keep and not args.json:
            print(f"\nworkspaces kept in {tmp}")
        elif not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    machine = {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average": round(os.getloadavg()[0], 1),
    }
    if args.json:
        print(
            json.dumps(
                {
                    "search": args.search,
                    "rows": [r.to_dict() for r in rows],
                    "browser": browser,
                    "machine": machine,
                },
                indent=1,
            )
        )
        return
    synthetic = [r for r in rows if r.entries]
    if len(synthetic) > 1:
        first, biggest = synthetic[0], synthetic[-1]
        print(
            f"\nthe plugin's share grows x{biggest.share / first.share:.1f} for "
            f"x{biggest.entries / first.entries:g} the entries: {first.share_per_1000:.2f} CPU-s "
            f"per 1,000 entries at {first.entries:,}, {biggest.share_per_1000:.2f} at "
            f"{biggest.entries:,}"
        )
    if browser:
        print(f"\nregisters of the largest KB in Chromium (median of {args.runs} loads):")
    for name, got in browser.items():
        print(
            f"  {name:<18}{got['rows']:>6,} rows: loaded and ready {got['load_s']:.2f} s, "
            f"filter applied {got['filter_ms']:.0f} ms, together "
            f"{got['load_s'] + got['filter_ms'] / 1000:.2f} s"
        )
    print(
        f"\nmachine: {machine['cpus']} CPUs, Python {machine['python']}, "
        f"load average {machine['load_average']:g} at the end"
    )


if __name__ == "__main__":
    main()

"""Site benchmark: build time with the kb plugin against plain `mkdocs build` of the same markdown.

    /tmp/venv0/bin/python benchmarks/bench_site.py                 # sample KB, N = 1,000 and 5,000
    /tmp/venv0/bin/python benchmarks/bench_site.py --sizes 1000 --no-browser
    /tmp/venv0/bin/python benchmarks/bench_site.py --repeat 3    # best of 3 builds of each

For the sample knowledge base of this repository and for synthetic ones of N entries
(benchmarks/synthetic.py), it builds the same docs/ three ways and prints the wall time of each:

- plain, auto nav: no kb plugin, no nav in mkdocs.yml, so every entry is a navigation item
  (what a workspace without the plugin gets; Material renders the whole nav into every page);
- plain, small nav: no kb plugin, a nav of the section index pages only (the nav the plugin
  makes), so the difference to the next line is what the plugin's own work costs;
- kb plugin: `mkdocs build` with the plugin: kb check, registers, dashboard, project pages,
  entry cards, backlinks.

Unless --no-browser (and when /usr/bin/chromium exists) it then opens the risk case library and
the lessons register of the largest KB in Chromium and prints how long each page takes to load
and one filter to apply (median of --runs loads). --repeat N builds each variant N times,
alternating plain and plugin builds, and keeps the fastest of each, for a machine shared with
other work (the plain auto-nav build of 5,000 entries, minutes long, is built once).
A benchmark, not a test: it prints, it never asserts.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from kb.scaffold import mkdocs_yml  # noqa: E402

SECTIONS = ("retrospectives", "lessons", "risks", "sops")


def _config(root: Path, variant: str) -> None:
    """Write mkdocs.yml for one variant: 'auto' or 'small' (no plugin), or 'kb'."""
    config = yaml.safe_load(mkdocs_yml("Benchmark KB", "en"))
    if variant != "kb":
        config["plugins"] = [
            p for p in config["plugins"] if not (isinstance(p, dict) and "kb" in p)
        ]
    if variant == "small":
        docs = root / "docs"
        nav: list = [{"Home": "index.md"}] if (docs / "index.md").exists() else []
        nav += [f"{s}/index.md" for s in SECTIONS if (docs / s / "index.md").exists()]
        config["nav"] = nav
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def _build(root: Path, variant: str) -> float:
    _config(root, variant)
    site = root / f"site-{variant}"
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{variant} build failed in {root}:\n{result.stderr[-2000:]}")
    return seconds


def _workspace(tmp: Path, label: str, n: int | None) -> Path:
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


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
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    args += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
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


def main() -> None:
    """Build each knowledge base three ways and print a table of wall times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--no-sample", action="store_true", help="skip the sample KB")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium check")
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces")
    parser.add_argument(
        "--repeat", type=int, default=1, help="build each variant N times and keep the fastest"
    )
    parser.add_argument("--runs", type=int, default=3, help="page loads per register (median)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-site-"))
    cases: list[tuple[str, int | None]] = [] if args.no_sample else [("sample", None)]
    cases += [(f"n{n}", n) for n in args.sizes]
    print(
        f"{'knowledge base':<16}{'pages':>7}{'plain, auto nav':>17}{'plain, small nav':>18}"
        f"{'kb plugin':>11}{'plugin vs small nav':>21}"
    )
    last = None
    try:
        for label, n in cases:
            root = _workspace(tmp, label, n)
            pages = _count(root)
            auto = min(_build(root, "auto") for _ in range(1 if n and n > 1000 else args.repeat))
            # Alternated, so a busy spell on a shared machine does not fall on one variant only.
            small, with_kb = float("inf"), float("inf")
            for _ in range(args.repeat):
                small = min(small, _build(root, "small"))
                with_kb = min(with_kb, _build(root, "kb"))
            extra = 100.0 * (with_kb - small) / small
            name = "sample" if n is None else f"{n:,} entries"
            print(
                f"{name:<16}{pages:>7}{auto:>16.1f}s{small:>17.1f}s{with_kb:>10.1f}s"
                f"{extra:>+20.0f}%",
                flush=True,
            )
            last = root
        if last is not None and not args.no_browser and Path("/usr/bin/chromium").exists():
            registers = {"registers/risks/": "risk case library", "registers/lessons/": "lessons"}
            measured = _browser(last / "site-kb", list(registers), args.runs)
            if measured:
                print(f"\nregisters of the largest KB in Chromium (median of {args.runs} loads):")
            for path, (load, filtered, rows) in measured.items():
                print(
                    f"  {registers[path]:<18}{rows:>6,} rows: loaded and ready {load:.2f} s, "
                    f"filter applied {filtered:.0f} ms, together {load + filtered / 1000:.2f} s"
                )
    finally:
        if args.keep:
            print(f"\nworkspaces kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nmachine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()

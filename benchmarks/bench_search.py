"""Search benchmark: index and query a synthetic knowledge base of N entries, print the figures.

    .venv/bin/python benchmarks/bench_search.py            # N = 1,000, 10,000 and 20,000
    .venv/bin/python benchmarks/bench_search.py --sizes 1000 --runs 5

For each N: full `kb index --rebuild` wall time, CPU time per entry (flat when the build has no
cliff) and peak memory; `kb index` wall time after one entry changed; `kb search` wall time
(median of --runs) beside `grep -ril` on the same files for the same word, and their ratio;
in-process query latency p50/p95 (plain words, phrases, Chinese, with and without filters,
with facets; wall and CPU time, which does not grow when other work shares the machine); index
size. On stderr, each query's median. A benchmark, not a test: it prints, never asserts.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

QUERIES = [
    "migration",
    "vendor delay",
    '"data migration"',
    "rehearsal OR cut-over",
    "training NOT safety",
    "commission*",
    "数据迁移",
    "供应商",
    "type:risk escalate",
    "tags:sap cost",
]
FILTERED = [
    ("migration", {"type": "lesson"}),
    ("vendor", {"category": "vendor", "min_score": 12}),
    ("testing", {"project": "ERP roll-out", "since": "2021-01-01"}),
]


def kb(root: Path, *args: str) -> float:
    """Wall time of one `kb` run, as a user would start it."""
    return kb_timed(root, *args)[0]


PEAK = """
import atexit, resource, sys
def peak():  # kb itself, and the largest of its worker processes
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak-kb {own} {workers}", file=sys.stderr)
atexit.register(peak)
from kb.cli import main
sys.argv = ["kb", *sys.argv[1:]]
main()
"""


def kb_peak(root: Path, *args: str) -> tuple[float, float, float, float]:
    """Wall time, CPU time and peak memory (MB) of one `kb` run and of its largest worker."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, "--root", str(root), *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    line = next(x for x in done.stderr.splitlines() if x.startswith("peak-kb"))
    own, workers = (int(v) for v in line.split()[1:])
    return wall, cpu, own / 1024, workers / 1024


def kb_timed(root: Path, *args: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system, worker processes included) of one `kb` run.

    The CPU time does not grow when other work shares the machine; the wall time does.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kb", "--root", str(root), *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bench(n: int, workdir: Path, runs: int) -> dict[str, float | str]:
    import datetime as dt

    from kb.config import load_workspace
    from kb.search import Filters, search

    root = workdir / f"kb-{n}"
    shutil.rmtree(root, ignore_errors=True)
    t0 = time.perf_counter()
    paths = generate(root, n, seed=42)
    gen = time.perf_counter() - t0
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths[:200]) / 200
    full, full_cpu, peak, worker_peak = kb_peak(root, "index", "--rebuild", "--quiet")
    one_change = []
    for i in range(3):
        target = paths[(i * 7919) % n]
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"\nEdited for the benchmark, run {i}.\n")
        one_change.append(kb(root, "index", "--quiet"))
    noop = statistics.median(kb(root, "index", "--quiet") for _ in range(3))
    cli = statistics.median(kb(root, "search", "migration") for _ in range(runs))
    cli_zh = statistics.median(kb(root, "search", "数据迁移") for _ in range(runs))
    grep = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(["grep", "-ril", "migration", str(root / "docs")], stdout=subprocess.DEVNULL)
        grep.append(time.perf_counter() - started)
    ws = load_workspace(root=root)
    search(ws, "warm up", refresh=False)
    plain, filtered, plain_cpu = [], [], []
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(runs):
        for q in QUERIES:
            started, cpu = time.perf_counter(), time.process_time()
            search(ws, q, refresh=False)
            plain.append(time.perf_counter() - started)
            plain_cpu.append(time.process_time() - cpu)
            per_query[q].append(plain[-1])
        for q, f in FILTERED:
            if "since" in f:
                f = {**f, "since": dt.date.fromisoformat(f["since"])}
            started = time.perf_counter()
            search(ws, q, Filters(**f), refresh=False)
            filtered.append(time.perf_counter() - started)
    facets = []
    for _ in range(runs):
        for q in ("project", "vendor delay", ""):
            started = time.perf_counter()
            search(ws, q, facets=True, refresh=False)
            facets.append(time.perf_counter() - started)
    every_kind = plain + filtered + facets
    print(f"# N={n}: median ms per query (of {runs}), total found", file=sys.stderr)
    for q, times in per_query.items():
        found = search(ws, q, refresh=False).total
        print(f"#   {q:24} {1000 * statistics.median(times):6.1f}  {found:,}", file=sys.stderr)
    return {
        "entries": n,
        "avg words/entry": round(words),
        "generate s": round(gen, 1),
        "full index s": round(full, 2),
        "entries/s": round(n / full),
        "full index CPU s (all processes)": round(full_cpu, 2),
        "full index CPU ms per entry": round(1000 * full_cpu / n, 2),
        "full index peak memory MB (kb)": round(peak),
        "full index peak memory MB (a worker)": round(worker_peak),
        "kb index, 1 changed, s": round(statistics.median(one_change), 3),
        "kb index, none changed, s": round(noop, 3),
        "kb search wall s (median)": round(cli, 3),
        "kb search 数据迁移 wall s": round(cli_zh, 3),
        "query p50 ms": round(1000 * percentile(plain, 50), 1),
        "query p95 ms": round(1000 * percentile(plain, 95), 1),
        "query CPU p50 ms": round(1000 * percentile(plain_cpu, 50), 1),
        "query CPU p95 ms": round(1000 * percentile(plain_cpu, 95), 1),
        "filtered p50 ms": round(1000 * percentile(filtered, 50), 1),
        "filtered p95 ms": round(1000 * percentile(filtered, 95), 1),
        "facets p50 ms": round(1000 * percentile(facets, 50), 1),
        "facets p95 ms": round(1000 * percentile(facets, 95), 1),
        "every kind p95 ms": round(1000 * percentile(every_kind, 95), 1),
        "index MB": round(du(root / ".kb" / "index") / 1e6, 1),
        "docs MB": round(du(root / "docs") / 1e6, 1),
        "grep -ril wall s (median)": round(statistics.median(grep), 3),
        "kb search / grep -ril": round(cli / statistics.median(grep), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000])
    parser.add_argument("--runs", type=int, default=7, help="repetitions for medians")
    parser.add_argument("--workdir", type=Path, help="where to generate (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"# kb search benchmark  ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    print(f"# load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = []
    try:
        for n in args.sizes:
            rows.append(bench(n, workdir, args.runs))
            print(f"done N={n}", file=sys.stderr)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"# load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    keys = list(rows[0])
    print("| measure | " + " | ".join(f"N = {r['entries']:,}" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for key in keys[1:]:
        print(f"| {key} | " + " | ".join(str(r[key]) for r in rows) + " |")


if __name__ == "__main__":
    main()

"""Import benchmark: `kb import` of N rows into an empty workspace and into one of N entries.

    .venv/bin/python benchmarks/bench_import.py                    # N = 1,000 and 10,000
    .venv/bin/python benchmarks/bench_import.py --sizes 500 2000
    .venv/bin/python benchmarks/bench_import.py --repo /tmp/kb-old  # another checkout of kb
    .venv/bin/python benchmarks/bench_import.py --repeat 3      # best of 3 runs of each

For each N it writes a CSV file of N lessons (title, project, category, phase, impact, owner and
two body sections), then runs the real command line, `python -m kb --root WS import FILE --type
lesson`, as a subprocess, twice over: into an empty workspace, and into a synthetic one of N
entries of all four types (benchmarks/synthetic.py; 40 % of them lessons). Each time it first
runs the same import with --dry-run, then for real, and prints the wall time of both and the
rows per second of the import, side by side, and how much longer the import into N entries
took than the one into an empty workspace. Linear work keeps that ratio near 1 whatever N is.
--repeat R imports R times into fresh copies of each workspace and keeps the fastest run, for a
machine shared with other work (each entry file is fsync'ed, so a busy disk shows).
A benchmark, not a test: it prints, it never asserts.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import MKDOCS_YML, PROJECTS, generate  # noqa: E402

CATEGORIES = ("scope", "schedule", "cost", "quality", "resource", "communications", "risk")
PHASES = ("initiating", "planning", "executing", "monitoring-controlling", "closing")


def write_sheet(path: Path, rows: int) -> Path:
    """A CSV file of ``rows`` distinct lessons, as a PMO's register would have them."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["Title", "Project", "Category", "Phase", "Impact", "Owner", "Lesson", "Recommendation"]
        )
        for i in range(rows):
            project = PROJECTS[i % len(PROJECTS)][0]
            out.writerow(
                [
                    f"Imported lesson {i:06d}: plan the data migration rehearsal earlier",
                    project,
                    CATEGORIES[i % len(CATEGORIES)],
                    PHASES[i % len(PHASES)],
                    "negative" if i % 3 else "positive",
                    "PMO",
                    f"Row {i}: the rehearsal found duplicates in the customer master too late.",
                    "Schedule two full rehearsals and a data owner per object.",
                ]
            )
    return path


def empty_workspace(root: Path) -> Path:
    """A workspace with no entries."""
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return root


def run_import(repo: Path, root: Path, sheet: Path, *extra: str) -> float:
    """Wall seconds of one `kb import` run; exits when the command fails."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    env.pop("KB_ROOT", None)
    argv = [sys.executable, "-m", "kb", "--root", str(root), "import", str(sheet)]
    started = time.perf_counter()
    done = subprocess.run(
        [*argv, "--type", "lesson", *extra],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"kb import failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def measure(
    repo: Path, workdir: Path, rows: int, repeat: int
) -> list[tuple[int, int, float, float]]:
    """(rows, existing entries, import seconds, dry-run seconds) into an empty workspace and
    into one of ``rows`` entries, the fastest of ``repeat`` runs each."""
    sheet = write_sheet(workdir / f"lessons-{rows}.csv", rows)
    results = []
    for existing in (0, rows):
        template = workdir / f"ws-{rows}-{existing}"
        if existing:
            generate(template, existing, seed=1)
        else:
            empty_workspace(template)
        real, dry = [], []
        for attempt in range(repeat):
            root = workdir / f"run-{rows}-{existing}-{attempt}"
            shutil.copytree(template, root)
            dry.append(run_import(repo, root, sheet, "--dry-run"))
            real.append(run_import(repo, root, sheet))
            shutil.rmtree(root)
        results.append((rows, existing, min(real), min(dry)))
        print(f"  measured {rows:,} rows into {existing:,} entries", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout of kb to measure")
    parser.add_argument("--repeat", type=int, default=1, help="keep the fastest of R runs")
    args = parser.parse_args()
    repo = args.repo.resolve()
    results = []
    with tempfile.TemporaryDirectory(prefix="kb-bench-import-") as tmp:
        for n in args.sizes:
            results += measure(repo, Path(tmp), n, max(args.repeat, 1))
    print(
        f"kb import, lessons from CSV ({repo}); Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
        + (f"; fastest of {args.repeat} runs" if args.repeat > 1 else "")
    )
    header = ("rows", "existing entries", "import s", "rows/s", "dry run s", "vs empty")
    lines = [header]
    empty = {}
    for rows, existing, real, dry in results:
        if not existing:
            empty[rows] = real
        ratio = f"{real / empty[rows]:.2f}x" if rows in empty else "-"
        lines.append(
            (
                f"{rows:,}",
                f"{existing:,}",
                f"{real:.2f}",
                f"{rows / real:,.0f}",
                f"{dry:.2f}",
                ratio,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)))


if __name__ == "__main__":
    main()

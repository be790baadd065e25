"""The wheel carries the built-in templates, so `pip install .` works, not only `pip install -e`."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_ships_templates_and_finds_them_installed(tmp_path: Path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    wheel = next((tmp_path / "dist").glob("retro_kb-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    for lang in ("en", "zh"):
        for name in ("retrospective", "lesson", "risk", "sop"):
            assert f"kb/_templates/{lang}/{name}.md.j2" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = (tmp_path / "site" / entry_points).read_text()
    assert "kb = kb.cli:main" in text and "kb = kb.site.plugin:KbPlugin" in text

    probe = "import kb.scaffold as s; print(s.builtin_templates_dir())"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    found = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert Path(found) == tmp_path / "site" / "kb" / "_templates"

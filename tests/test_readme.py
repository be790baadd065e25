"""The README's examples run: each shell block is executed on a copy of the sample workspace."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# Commands whose exit status is not 0 on the sample on purpose, and commands that never return.
EXPECTED_STATUS = {"--fail-on-overdue": 1}
LONG_RUNNING = ("kb serve",)


def readme_blocks() -> dict[str, list[str]]:
    text = (REPO / "README.md").read_text("utf-8")
    blocks = {}
    for section in re.split(r"\n## ", text)[1:]:
        title = section.splitlines()[0]
        if title == "Quick start":
            continue  # the set-up commands; CI runs them
        for block in re.findall(r"```sh\n(.*?)```", section, re.S):
            joined = block.replace("\\\n", " ")
            lines = [re.split(r"\s#", line)[0].strip() for line in joined.splitlines()]
            blocks[title] = [line for line in lines if line]
    return blocks


def kb_env(home: Path) -> dict[str, str]:
    import os

    return {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.mark.parametrize("title", sorted(readme_blocks()))
def test_readme_block_runs(title, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    # the sample workspace, so search and registers have something to show
    shutil.copytree(REPO / "docs", work / "docs")
    shutil.copy(REPO / "mkdocs.yml", work / "mkdocs.yml")
    cwd = work
    for line in readme_blocks()[title]:
        argv = shlex.split(line)
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            continue
        if line.startswith(LONG_RUNNING):
            continue
        assert argv[0] == "kb", line
        args = argv[1:]
        stdin = None
        if args[:2] == ["new", "retro"] and "--no-input" not in args:
            # on a terminal kb asks for the rest; answer as a person would
            args.append("--interactive")
            stdin = "Ana\nit-implementation\nwhole-project\nsucceeded\n2026-01-31\n2026-02-14\nn\n"
        result = subprocess.run(
            [sys.executable, "-m", "kb", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            env=kb_env(tmp_path),
            timeout=300,
            check=False,
        )
        expected = next((v for k, v in EXPECTED_STATUS.items() if k in line), 0)
        assert result.returncode == expected, f"{line}\n{result.stdout}\n{result.stderr}"

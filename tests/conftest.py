"""Shared fixtures: workspaces built from {path: text} under tmp_path, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.scaffold import mkdocs_yml

REPO = Path(__file__).resolve().parent.parent


def build_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text}`` under root (text is dedented); return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def entry_text(meta: str, body: str = "# Title\n") -> str:
    """An entry file from a front-matter block and a body."""
    return "---\n" + textwrap.dedent(meta).strip("\n") + "\n---\n\n" + body


@pytest.fixture
def workspace(tmp_path: Path):
    """A factory: workspace({path: text}) -> root folder with an English mkdocs.yml."""

    def make(files: dict[str, str | bytes] | None = None, config: str | None = None) -> Path:
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        (root / "mkdocs.yml").write_text(config or mkdocs_yml("Test KB", "en"), encoding="utf-8")
        (root / "docs").mkdir(exist_ok=True)
        return build_tree(root, files or {})

    return make


@pytest.fixture
def run(monkeypatch):
    """run(root, *args) -> click Result of `kb --root ROOT args` (stdin not a terminal)."""
    monkeypatch.delenv("KB_ROOT", raising=False)

    def invoke(root: Path | None, *args: str, input: str | None = None):
        runner = CliRunner()
        argv = (["--root", str(root)] if root else []) + list(args)
        return runner.invoke(cli, argv, input=input, catch_exceptions=False)

    return invoke


# Debian's Chromium, the one browser of the browser tests; one instance per test session, shared
# by every module through the `browser` fixture (playwright's sync API allows one per thread).
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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (never a downloaded browser build)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    assert CHROMIUM.exists(), "install Debian's chromium: apt-get install -y chromium"
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def kb_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`kb build --no-index` in a workspace, in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "kb", "--root", str(root), "build", "--no-index", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )

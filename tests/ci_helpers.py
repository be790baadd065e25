"""Workspaces for the CI tests: a git repository with the knowledge base in a subfolder."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from kb.cli import cli
from tests.conftest import build_tree, entry_text
from tests.test_check import LESSON, RETRO

FOLDER = "handbook"  # the workspace, a subfolder of the repository

# The retrospective's one action item, after the RETRO of tests/test_check.py: due on {due}.
ACTIONS = """\
actions:
  - action: Add a key-person clause | and a <b>handover</b>
    owner: Sofia Rossi
    due: {due}
    status: open
"""

LESSON_PATH = "docs/lessons/LL-0001-rehearse-the-migration.md"
RETRO_PATH = "docs/retrospectives/RETRO-0001-erp-go-live.md"


def git_repository(root: Path) -> Path:
    """A new, empty git repository at ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=60)
    return root


def knowledge_base(repo: Path, broken: bool, lang: str = "en", ci: str | None = None) -> Path:
    """`kb init` a workspace in ``repo/handbook`` with a lesson and a retrospective.

    Broken: the lesson's status is misspelt (an error) and the action item is long overdue (a
    warning); otherwise both are clean and the action item is due in 2099.
    """
    args = ["init", str(repo / FOLDER), "--lang", lang] + (["--ci", ci] if ci else [])
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    status, due = ("aproved", "2020-03-31") if broken else ("approved", "2099-12-31")
    return build_tree(
        repo / FOLDER,
        {
            LESSON_PATH: entry_text(LESSON.replace("status: approved", f"status: {status}")),
            RETRO_PATH: entry_text(RETRO + ACTIONS.format(due=due)),
        },
    )

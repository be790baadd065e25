"""The docs keep up with the software: every command is documented and the README is honest."""

from __future__ import annotations

import re

from kb.cli import cli
from kb.config import SETTINGS
from tests.conftest import REPO

GUIDE = REPO / "docs" / "guide"


def guide_text() -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(GUIDE.glob("*.md")))


def test_every_command_and_option_is_in_the_user_guide():
    text = guide_text()
    missing = []
    for name, command in sorted(cli.commands.items()):
        if f"kb {name}" not in text:
            missing.append(f"kb {name}")
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and not param.hidden and opt not in text:
                    missing.append(f"kb {name} {opt}")
    assert not missing, f"not in docs/guide: {missing}"


def test_every_setting_is_in_the_user_guide():
    text = guide_text()
    assert [s for s in SETTINGS if s not in text] == []


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text("utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["bash scripts/demo.sh", "bash scripts/test.sh"]
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert "scripts/test.sh" in ci
    for script in ("scripts/demo.sh", "scripts/test.sh"):
        assert (REPO / script).is_file()


def test_guide_links_point_to_existing_pages():
    broken = []
    for page in sorted((REPO / "docs").rglob("*.md")):
        text = re.sub(r"^```.*?^```", "", page.read_text("utf-8"), flags=re.S | re.M)
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text):
            if target.startswith(("http:", "https:")):
                continue
            if not (page.parent / target).resolve().is_file():
                broken.append(f"{page.relative_to(REPO)} -> {target}")
    assert not broken, broken

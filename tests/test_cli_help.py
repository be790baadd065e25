"""Every command's --help in the workspace language (kb/cli/help.py, kb/locale/help/zh.yml).

The Chinese help file holds every command and option the CLI has, and nothing else; in a
Chinese workspace `--help` of each command is Chinese (its headings too), with the commands,
options and examples as typed; in an English workspace it is click's, unchanged.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from pathlib import Path

import click
import pytest

from kb.cli import cli
from kb.cli.help import help_texts


def _commands() -> dict[str, click.Command]:
    """Every command by its path: ``kb``, ``kb actions``, ``kb actions done``, ..."""
    found: dict[str, click.Command] = {}

    def walk(command: click.Command, path: str) -> None:
        found[path] = command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}")

    walk(cli, "kb")
    return found


COMMANDS = _commands()


def _options(command: click.Command) -> set[str]:
    return {p.name for p in command.params if isinstance(p, click.Option) and p.help}


def test_the_chinese_help_has_every_command_and_option_and_nothing_else():
    texts = help_texts("zh")
    assert set(texts) == set(COMMANDS)
    for path, command in COMMANDS.items():
        entry = texts[path]
        assert entry.get("help"), path
        assert set(entry.get("options") or {}) == _options(command), path
        assert ("short_help" in entry) == bool(command.short_help), path
        # Click's no-rewrap marks stand where the English has them.
        marks = inspect.cleandoc(command.help or "").count("\b")
        assert entry["help"].count("\\b") == marks, path


def test_english_help_is_clicks_own(run, tmp_path):
    result = run(tmp_path, "--help")
    assert result.exit_code == 0
    assert re.match(r"Usage: \S+ \[OPTIONS\] COMMAND \[ARGS\]\.\.\.", result.output)
    assert "Options:" in result.output and "Commands:" in result.output
    assert "Show this message and exit." in result.output
    for path in ("kb new", "kb actions done"):
        shown = " ".join(run(tmp_path, *path.split()[1:], "--help").output.split())
        first = inspect.cleandoc(COMMANDS[path].help).split("\n\n")[0]
        assert " ".join(first.split()) in shown, path


@pytest.fixture(scope="module")
def zh_root(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("help") / "zh"
    result = CliRunner().invoke(cli, ["init", str(root), "--lang", "zh"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


# What may stay Latin in Chinese help: commands, options, metavariables, examples, names.
_KEPT = re.compile(
    r"(?m)^\s*kb\b.*$"  # an example line
    r"|\bkb(?: [a-z]+)+"  # a command named in a sentence
    r'|"[^"]*"'  # a value typed in an example
    r"|--?[\w-]+"  # an option
    r"|\[[A-Z_ ]+\]|\b[A-Z][A-Z_0-9.]*\b"  # metavariables, upper-case names
    r"|[\w.-]+\.(?:md|yml|yaml|csv|json|xlsx|ics|xml|html)\b"  # file names
    r"|`[^`]*`"  # code
)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_chinese_help_is_chinese(run, zh_root, path):
    args = path.split()[1:]
    result = run(zh_root, *args, "--help")
    assert result.exit_code == 0, result.output
    out = result.output
    head = out.splitlines()[0] + " "
    assert head.startswith("用法：") and " ".join(["", *args, ""]) in head, head
    assert "选项：" in out and "显示此帮助并退出。" in out
    assert "Usage:" not in out and "Options:" not in out and "Show this message" not in out
    if isinstance(COMMANDS[path], click.Group):
        assert "命令：" in out and "Commands:" not in out
    # No English sentence: what is left once commands, options, examples and names are taken
    # out has no run of three English words.
    rest = _KEPT.sub(" ", out.split("\n", 1)[1])  # after the usage line
    english = re.findall(r"\b[a-z]{2,}(?:[ ,]+[a-z]{2,}){2,}\b", rest)
    assert not english, (path, english[:5])
    # Chinese lines fit the 80 columns the help is laid out in, a Chinese character taking two.
    for line in out.splitlines():
        if re.search(r"[\u3400-\u9fff]", line) and not line.lstrip().startswith("kb "):
            width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            assert width <= 80, (path, line)
    # The English help's first sentence is not there.
    first = inspect.cleandoc(COMMANDS[path].help or "").splitlines()[0]
    assert first not in out

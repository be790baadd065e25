"""`kb --help` and every command's help in the workspace language.

The English help is where click has it, in each command's docstring and each option's ``help=``.
Another language's help is one file, ``kb/locale/help/<lang>.yml``: per command path (``kb``,
``kb actions done``) its ``help``, its ``short_help`` when the English has one, and its options'
help by parameter name; a line holding only ``\\b`` is click's mark for a paragraph it must not
rewrap. tests/test_cli_help.py checks that the file has every command and option the CLI has, and
nothing else.

The help is laid out by click, through the methods its documentation names for customising help
(``format_usage``, ``format_help_text``, ``format_options``, ``format_commands``,
``get_short_help_str``) and its ``HelpFormatter``: ``HelpInLanguage`` overrides them to put the
translated texts and headings in, and leaves click's own layout alone. In an English workspace,
or without a translation, every method is click's.
"""

from __future__ import annotations

import functools
import inspect
import re
import unicodedata
from pathlib import Path
from typing import Any

import click
import yaml

from kb import i18n

__all__ = ["HELP_DIR", "HelpInLanguage", "KbCommand", "KbSubgroup", "help_texts"]

HELP_DIR = Path(i18n.__file__).with_name("locale") / "help"


@functools.cache
def help_texts(lang: str) -> dict[str, dict[str, Any]]:
    """The help of every command in ``lang`` by command path; empty for English or none."""
    path = HELP_DIR / f"{lang}.yml"
    if lang == i18n.DEFAULT or not path.is_file():
        return {}
    return yaml.safe_load(path.read_text("utf-8")) or {}


def _unmark(text: str) -> str:
    """A help text as click reads it: each line holding only ``\\b`` is its no-rewrap mark."""
    return "\n".join("\b" if line.strip() == "\\b" else line for line in text.splitlines())


def _language(ctx: click.Context) -> str:
    from kb.cli import workspace_language

    return workspace_language(ctx)


def _path(ctx: click.Context, command: click.Command) -> str:
    """The command's path as the help file names it (``kb actions done``), whatever name the
    program was started by."""
    names = []
    at: click.Context | None = ctx
    while at is not None and at.parent is not None:
        names.append(at.info_name or "")
        at = at.parent
    names.reverse()
    if ctx.command is not command:
        names.append(command.name or "")
    return " ".join(["kb", *names])


class HelpInLanguage:
    """A click command whose help is in the workspace language (mixed into kb's classes)."""

    def _own(self, ctx: click.Context) -> tuple[str, dict[str, Any]] | None:
        """(lang, texts) of this command, from a context of it or of its group."""
        lang = _language(ctx)
        found = help_texts(lang).get(_path(ctx, self))
        return (lang, found) if found else None

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own = self._own(ctx)
        if own is None:
            return super().format_usage(ctx, formatter)  # type: ignore[misc]
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        prefix = i18n.text("cli.help.usage", own[0])
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own = self._own(ctx)
        if own is None or not own[1].get("help"):
            return super().format_help_text(ctx, formatter)  # type: ignore[misc]
        text = _unmark(inspect.cleandoc(own[1]["help"]))
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(_wrapped(text, formatter.width - formatter.current_indent))

    def get_short_help_str(self, limit: int = 45) -> str:
        ctx = click.get_current_context(silent=True)
        own = self._own(ctx) if ctx is not None else None
        if own is None:
            return super().get_short_help_str(limit)  # type: ignore[misc]
        short = own[1].get("short_help")
        if not short:
            first = inspect.cleandoc(own[1].get("help", "")).split("\n\n")[0]
            short = first.replace("\n", "").split("。")[0]
        return _cut(short, limit)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own = self._own(ctx)
        if own is None:
            return super().format_options(ctx, formatter)  # type: ignore[misc]
        lang, texts = own
        options = texts.get("options") or {}
        help_option = self.get_help_option(ctx)  # type: ignore[attr-defined]
        records = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None or isinstance(param, click.Argument):
                continue
            names, shown = record
            if param is help_option:
                shown = i18n.text("cli.help.help_option", lang)
            else:
                shown = _translated(param, shown, options, lang)
            records.append((names, shown))
        if records:
            # The second column as click lays it out (write_dl: the first column at most 30
            # wide, 2 between them), Chinese wrapped to it by display width.
            first = min(max(len(names) for names, _ in records), 30) + 2
            room = max(formatter.width - formatter.current_indent - 2 - first, 10)
            records = [
                (names, _wrapped(shown, room) if _columns(shown) > room else shown)
                for names, shown in records
            ]
            _section(formatter, i18n.text("cli.help.options", lang), records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own = self._own(ctx)
        if own is None or not isinstance(self, click.Group):
            return super().format_commands(ctx, formatter)  # type: ignore[misc]
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        listed = [(name, command.get_short_help_str(limit)) for name, command in rows]
        _section(formatter, i18n.text("cli.help.commands", own[0]), listed)


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` columns, "…" where it was cut."""
    if _columns(text) <= limit:
        return text
    out = ""
    for char in text:
        if _columns(out + char) > limit - 1:
            break
        out += char
    return out.rstrip() + "…"


# Punctuation that never starts a line (it stays with the character before it).
_CLOSING = set("，。、；：！？）》」』】,.;:!?)")
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# A line may break before and after each Chinese character, and at spaces between other words.
_TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")


def _wrapped(text: str, width: int) -> str:
    """A help text laid out in ``width`` columns, Chinese characters two columns wide: click
    measures characters and breaks lines only at spaces, which a Chinese sentence has none of.
    Each paragraph is joined (no space where a line break fell next to a Chinese character),
    wrapped, and marked for click to keep as it is; a paragraph marked so already is kept."""
    out = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if lines[0].strip() == "\b":
            out.append(paragraph)
            continue
        joined = lines[0].strip()
        for line in lines[1:]:
            line = line.strip()
            wide = joined[-1:] and _columns(joined[-1]) == 2 or (line and _columns(line[0]) == 2)
            joined += line if wide else " " + line
        rows: list[str] = []
        row: list[str] = []
        for token in _TOKEN.findall(joined):
            token = " " if token.isspace() else token
            if not row or _columns("".join(row) + token) <= width:
                row.append(token)
                continue
            carried: list[str] = []
            if token in _CLOSING:
                # Closing punctuation never starts a line: the character before it goes down too.
                while len(row) > 1 and row[-1] in _CLOSING:
                    carried.insert(0, row.pop())
                if len(row) > 1:
                    carried.insert(0, row.pop())
            rows.append("".join(row).rstrip())
            row = carried + ([] if token == " " else [token])
        rows.append("".join(row).rstrip())
        out.append("\b\n" + "\n".join(rows))
    return "\n\n".join(out)


def _section(formatter: click.HelpFormatter, heading: str, rows: list[tuple[str, str]]) -> None:
    """A section as click's ``formatter.section`` writes it, the heading as the catalog writes
    it (its own colon: ``选项：``)."""
    formatter.write_paragraph()
    formatter.write(f"{'':>{formatter.current_indent}}{heading}\n")
    with formatter.indentation():
        formatter.write_dl(rows)


def _translated(param: click.Parameter, shown: str, options: dict[str, str], lang: str) -> str:
    """An option's help line in ``lang``: its translation, then click's bracketed extras
    (default, environment variable, required) with their words translated."""
    english = getattr(param, "help", None) or ""
    text = options.get(param.name or "", "" if not english else None)
    if text is None:
        return shown
    extra = shown[len(english) :] if shown.startswith(english) else ""
    for word in ("default: ", "env var: ", "required"):
        key = word.strip(": ").replace(" ", "_")
        extra = extra.replace(word, i18n.text(f"cli.help.{key}", lang))
    return (_unmark(text) + extra).strip()


class KbCommand(HelpInLanguage, click.Command):
    """Every kb command: click's, with its help in the workspace language."""


class KbSubgroup(HelpInLanguage, click.Group):
    """A group of kb commands under ``kb`` (``kb actions``), its help in the workspace language."""

    command_class = KbCommand

"""The `kb` command line: thin click commands over the core.

Each command parses its options, makes one call into the core, and formats the result. Core errors
(``KbError``) are turned into a clean message and exit code here, in one place; no traceback reaches
a user for bad input. Every command runs in its workspace's language (``kb.fields.speaking``), so
its messages, the ``error:`` prefix, click's own usage errors (kb/cli/usage.py) and the help
(kb/cli/help.py) are in it.
Command modules import the core lazily so that ``kb --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from kb import __version__, i18n
from kb.cli.help import HelpInLanguage, KbCommand, KbSubgroup
from kb.errors import KbError, ValidationFailed


class KbClickError(click.ClickException):
    """A KbError on its way out: its own exit code, one line per problem."""

    def __init__(self, error: KbError, lang: str = i18n.DEFAULT) -> None:
        text, self.problems = str(error), []
        if isinstance(error, ValidationFailed) and error.problems:
            text = error.summary
            self.problems = [p.format(problem_levels(lang)) for p in error.problems]
        super().__init__(text)
        self.exit_code = error.exit_code
        self.lang = lang

    def show(self, file: Any = None) -> None:
        """Print ``error: ...`` lines (``错误：`` in a Chinese workspace) to stderr, then the
        problems as `kb check` prints them (``PATH:LINE: error: ...``, their level their only
        prefix); control characters (from an entry, a cell, an argument) escaped."""
        from kb.cli.terminal import sanitize

        prefix = i18n.text("cli.prefix.error", self.lang)
        lines = self.format_message().splitlines()
        if not lines and not self.problems:
            lines = [i18n.text("cli.unknown_error", self.lang)]
        for line in lines:
            click.echo(prefix + sanitize(line), err=True, file=file)
        for line in self.problems:
            click.echo(sanitize(line), err=True, file=file)


def problem_levels(lang: str) -> dict[str, str]:
    """How ``Problem.format`` writes the levels in ``lang``: ``error: ``, ``错误：``."""
    return {level: i18n.text(f"cli.prefix.{level}", lang) for level in ("error", "warning")}


def _state(ctx: click.Context) -> State:
    """The command's State; made here, from the group's --root, before the group's callback
    runs (so that a usage error already knows the workspace language)."""
    if not isinstance(ctx.obj, State):
        ctx.obj = State(ctx.params.get("root"))
    return ctx.obj


def workspace_language(ctx: click.Context) -> str:
    """The language of the workspace the command runs in; English when there is none."""
    return _state(ctx).language


class KbGroup(HelpInLanguage, click.Group):
    """A command group that converts KbError once, at the edge, and shows click's usage errors
    and every command's help in the workspace language (kb/cli/help.py)."""

    command_class = KbCommand
    group_class = KbSubgroup

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse the group's own options (--root); a usage error in the workspace language.

        The workspace is known before click parses: ``--help`` is an eager option, handled
        before ``--root`` is, and the help is in the language of the workspace --root names."""
        from kb.cli.usage import translated

        if not isinstance(ctx.obj, State):
            ctx.obj = State(_root_in(args))
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise translated(exc, workspace_language(ctx)) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, its messages in the workspace language; KbError becomes a clean
        message and exit code."""
        from kb.cli.usage import translated
        from kb.fields import speaking

        try:
            with speaking(workspace_language(ctx)):
                return super().invoke(ctx)
        except KbError as exc:
            raise KbClickError(exc, workspace_language(ctx)) from None
        except click.UsageError as exc:
            raise translated(exc, workspace_language(ctx)) from None
        except (KeyboardInterrupt, click.Abort):  # a prompt turns Ctrl-C and EOF into Abort
            click.echo(i18n.text("cli.interrupted", workspace_language(ctx)), err=True)
            ctx.exit(130)


def _root_in(args: list[str]) -> str | None:
    """The value of ``--root`` among the group's own arguments (those before the command)."""
    at = 0
    while at < len(args):
        arg = args[at]
        if arg == "--root" and at + 1 < len(args):
            return args[at + 1]
        if arg.startswith("--root="):
            return arg.partition("=")[2]
        if not arg.startswith("-"):
            return None  # the command: what follows is its own
        at += 1
    return None


class State:
    """Shared by all commands: where the workspace is, loaded on first use."""

    def __init__(self, root: str | None) -> None:
        self.root = root
        self._workspace = None
        self.lang: str | None = None  # set by a command that knows it (kb init --lang)

    @property
    def workspace(self):  # -> kb.config.Workspace
        """The workspace found from --root, KB_ROOT or the current folder."""
        if self._workspace is None:
            from kb.config import load_workspace

            self._workspace = load_workspace(root=self.root)
        return self._workspace

    @property
    def language(self) -> str:
        """The language messages are written in: the workspace's, English without one."""
        if self.lang:
            return self.lang
        try:
            return self.workspace.language
        except KbError:
            return i18n.DEFAULT


pass_state = click.make_pass_decorator(State)


def json_option(func):
    """``--json``: machine-readable output with a stable shape."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print JSON instead of text (stable shape, for scripts).",
    )(func)


def output_format(fmt: str, as_json: bool, lang: str) -> str:
    """The format a command with both ``--format`` and ``--json`` prints in: ``--json`` is
    ``--format json``, so ``--json`` beside another ``--format`` given is a UsageError."""
    from click.core import ParameterSource

    from kb.errors import UsageError

    source = click.get_current_context().get_parameter_source("fmt")
    if as_json and fmt != "json" and source not in (None, ParameterSource.DEFAULT):
        raise UsageError(i18n.text("cli.json_and_format", lang, format=fmt))
    return "json" if as_json else fmt


def emit_json(data: Any) -> None:
    """Print data as JSON (dates as ISO strings)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def load_and_warn(ws):  # -> kb.store.Loaded
    """Every readable entry; each file that cannot be read is named on stderr.

    A listing or register that silently leaves out an entry misleads whoever reads it, so every
    command that reads all entries says which files it skipped, with `kb check`'s line and reason.
    """
    from kb.cli.terminal import sanitize
    from kb.store import load_entries

    loaded = load_entries(ws)
    prefix = i18n.text("cli.prefix.warning", ws.language)
    for p in loaded.problems:
        skipped = i18n.text("cli.skipped", ws.language, path=p.path, line=p.line, reason=p.message)
        click.echo(sanitize(prefix + skipped), err=True)
    return loaded


def matching_projects(entries, value: str, lang: str) -> set[str]:
    """The projects (casefolded) that ``-p VALUE`` names, in every command that takes it: the
    one called so (any case), else all whose name starts so; a UsageError naming the known
    projects when none does."""
    from kb.errors import UsageError
    from kb.search.filters import unknown_value

    known = {e.project.strip().casefold(): e.project.strip() for e in entries if e.project}
    term = value.strip().casefold()
    if term in known:
        return {term}
    found = {p for p in known if p.startswith(term)} if term else set()
    if found:
        return found
    names = sorted(known.values(), key=str.casefold)
    raise UsageError(unknown_value("--project", value, names, lang))


@contextlib.contextmanager
def progress_bar(quiet: bool, label: str) -> Iterator:
    """A progress(done, total) callback drawing a bar on a terminal; None otherwise."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if total < 50:
                return
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield progress
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def display_path(path: Path) -> str:
    """A path relative to the current folder when it is below it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    envvar="KB_ROOT",
    help="Workspace folder (default: the nearest folder above with mkdocs.yml).",
)
@click.version_option(__version__, prog_name="kb")
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """retro-kb: project retrospectives, lessons learned, risk cases and SOPs as markdown in git.

    File entries from templates (kb new), validate them (kb check), search the past (kb search,
    kb brief), and publish the site (kb build, kb serve).
    """
    _state(ctx)  # made by KbGroup.invoke already, from this same --root


# Command modules, one per area; each exposes COMMANDS, a list of click commands.
_COMMAND_MODULES = (
    "kb.cli.entries",
    "kb.cli.search",
    "kb.cli.registers",
    "kb.cli.sheets",
    "kb.cli.site",
    "kb.cli.ci",
)
for _name in _COMMAND_MODULES:
    for _command in importlib.import_module(_name).COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    if sys.platform != "win32":
        # A closed pipe (kb list | head) is not an error worth a traceback.
        import signal

        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    cli(prog_name="kb")

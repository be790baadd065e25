"""Click's usage errors ("No such option", "Missing argument") in the workspace language.

Click writes these messages itself, in English (it has no catalog of its own). kb's command
group hands each one to ``translated``, which rebuilds the message from what click's exception
carries (the option typed, the close matches, the parameter and its type) with the texts of
kb's catalog (``cli.usage.*``), and shows it with the usage line and the help hint in that language,
through click's public API (``Context.make_formatter``, ``HelpFormatter.write_usage``,
``Command.collect_usage_pieces``). Two errors carry no attributes to rebuild them from (an option
given without its value, extra arguments) and are recognised by click's English text, as is the
value typed for a choice; a message click builds from free text (a parameter type kb does not
know, such as a path that is a file) keeps click's own wording after the translated frame.
"""

from __future__ import annotations

import re
from typing import IO, Any

import click

from kb import i18n

# Added in click 8.4 and 8.2; kb supports click 8.1 too, where these are plain usage errors.
_NO_SUCH_COMMAND = getattr(click.exceptions, "NoSuchCommand", ())
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
# The value typed, as click's Choice quotes it at the start of its message: 'bogus' is not ...
_TYPED = re.compile(r"""^('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*") is not """)


def _param_hint(error: click.BadParameter) -> str:
    hint = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint(error.ctx)  # type: ignore[arg-type]
    if isinstance(hint, (list, tuple)):
        return " / ".join(repr(h) for h in hint)
    return str(hint or "")


def _bounds(kind: click.IntRange | click.FloatRange, lang: str) -> str:
    low, high = kind.min, kind.max
    if low is not None and high is not None:
        return i18n.text("cli.usage.range", lang, low=low, high=high)
    if low is not None:
        return i18n.text("cli.usage.at_least", lang, low=low)
    return i18n.text("cli.usage.at_most", lang, high=high)


def _bad_value(error: click.BadParameter, lang: str) -> str:
    """What a bad value should have been, from the parameter's type; click's text otherwise."""
    kind = error.param.type if error.param is not None else None
    separator = i18n.text("cli.usage.separator", lang)
    if isinstance(kind, click.Choice):
        choices = separator.join(map(str, kind.choices))
        typed = _TYPED.match(error.message)  # click names the value only in its English text
        if typed:
            return i18n.text("cli.usage.choice_value", lang, value=typed[1], choices=choices)
        return i18n.text("cli.usage.choice", lang, choices=choices)
    if isinstance(kind, (click.IntRange, click.FloatRange)):
        number = "int" if isinstance(kind, click.IntRange) else "float"
        expected = i18n.text(f"cli.usage.{number}", lang)
        return i18n.text("cli.usage.number", lang, expected=expected, bounds=_bounds(kind, lang))
    if kind is click.INT:
        return i18n.text("cli.usage.expected", lang, expected=i18n.text("cli.usage.int", lang))
    return error.message


def message(error: click.UsageError, lang: str) -> str:
    """The message of a click usage error in ``lang``."""
    separator = i18n.text("cli.usage.separator", lang)
    if isinstance(error, click.NoSuchOption):
        text = i18n.text("cli.usage.no_option", lang, name=repr(error.option_name))
        possible = error.possibilities or []
    elif isinstance(error, _NO_SUCH_COMMAND):
        text = i18n.text("cli.usage.no_command", lang, name=repr(error.command_name))
        possible = error.possibilities or []
    elif isinstance(error, click.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else "parameter")
        key = kind if kind in ("argument", "option") else "parameter"
        return i18n.text(f"cli.usage.missing_{key}", lang, name=_param_hint(error))
    elif isinstance(error, click.BadParameter):
        hint = _param_hint(error)
        detail = _bad_value(error, lang)
        if not hint:
            return i18n.text("cli.usage.bad_value_bare", lang, detail=detail)
        return i18n.text("cli.usage.bad_value", lang, name=hint, detail=detail)
    elif isinstance(error, click.BadOptionUsage) and error.message.endswith(
        "requires an argument."
    ):
        return i18n.text("cli.usage.needs_value", lang, name=repr(error.option_name))
    elif error.message.startswith("Got unexpected extra argument"):
        extra = error.message.partition("(")[2].rstrip(")").split()
        return i18n.text("cli.usage.extra", lang, arguments=separator.join(map(repr, extra)))
    else:
        return error.format_message()
    if not possible:
        return text
    return text + i18n.text("cli.usage.possible", lang, names=separator.join(possible))


class TranslatedUsageError(click.UsageError):
    """A click usage error shown in the workspace language: usage line, help hint, message."""

    def __init__(self, error: click.UsageError, lang: str) -> None:
        super().__init__(message(error, lang), error.ctx)
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the usage line, the help hint and the message to stderr, as click does."""
        ctx = self.ctx
        if ctx is not None:
            formatter = ctx.make_formatter()
            pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
            formatter.write_usage(ctx.command_path, pieces, i18n.text("cli.usage.usage", self.lang))
            click.echo(formatter.getvalue().rstrip("\n"), err=True, file=file)
            names = ctx.command.get_help_option_names(ctx)
            if ctx.command.get_help_option(ctx) is not None and names:
                help_hint = f"{ctx.command_path} {max(names, key=len)}"
                click.echo(
                    i18n.text("cli.usage.try", self.lang, command=help_hint), err=True, file=file
                )
            click.echo("", err=True, file=file)
        prefix = i18n.text("cli.prefix.error", self.lang)
        click.echo(prefix + self.format_message(), err=True, file=file)


def translated(error: click.UsageError, lang: str) -> click.UsageError:
    """``error`` to show in ``lang``; the error itself in English (click's own words)."""
    if lang == i18n.DEFAULT or isinstance(error, (TranslatedUsageError, _NO_ARGS_IS_HELP)):
        return error
    return TranslatedUsageError(error, lang)

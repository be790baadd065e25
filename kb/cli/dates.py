"""``DATE``: the click parameter type of every date option (``--date``, ``--today``, ``--since``,
``--until``).

A date on the command line reads as it reads everywhere else (a prompt answer, ``--set``, a
spreadsheet cell): through ``kb.fields.parse_date``, so 2024-03-15, 2024/3/15, 15.03.2024,
2024年3月15日 and 15 Mar 2024 all mean one day, and a wrong one gets the message every other
entry point gives, naming the expected form, in the workspace language (shown by click as a
usage error, exit 2; see kb/cli/usage.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click


class DateType(click.ParamType):
    """A calendar date, in any form ``kb.fields.parse_date`` reads; converts to ``dt.date``."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        """``DATE`` in the help (click 8.1 calls this with ``param`` only)."""
        return "DATE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        """The day ``value`` names; a usage error naming the expected form otherwise."""
        from kb.fields import parse_date, speaking

        with speaking(_language(ctx)):
            try:
                return parse_date(value)
            except ValueError as exc:
                self.fail(str(exc), param, ctx)


def _language(ctx: click.Context | None) -> str:
    from kb import i18n
    from kb.cli import State

    state = ctx.find_object(State) if ctx is not None else None
    return state.language if state is not None else i18n.DEFAULT


DATE = DateType()

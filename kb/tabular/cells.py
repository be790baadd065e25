"""Cells and values: a field's value as spreadsheet text, and a cell read back as a field's value.

Reading is lenient about what PMOs type (``1.200.000,50``, ``2024/3/15``, ``In Review``) and
strict about what it cannot read: a ``CellError`` says what was expected. ``--set`` values of
`kb import` are read the same way, so a value means the same in a cell and on the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from kb import fields
from kb.errors import UsageError
from kb.fields import action_line, blank

__all__ = ["CellError", "blank", "cell_text", "csv_cell", "from_cell", "parse_date", "parse_sets"]
from kb.schema import EntryType, Field

# ---------------------------------------------------------------------------------------------
# Values as text


def cell_text(value: Any) -> str:
    """A value as spreadsheet text: ISO dates, yes/no, lists comma-separated, actions per line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return "\n".join(action_line(v) for v in value)
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        return value.rstrip()  # a YAML block scalar's final newline is no part of the text
    return str(value)


# A CSV cell Excel or LibreOffice would run as a formula (CSV injection): it starts with one of
# these, possibly after apostrophes, which must be escaped too for the round trip to be exact.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


def csv_cell(text: str, number: bool = False) -> str:
    """A cell's text as a CSV cell: text a spreadsheet would run as a formula gets a leading ``'``.

    ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``, which Excel shows as text; a number
    (``number``: ``-3.9``) is left alone. ``csv_unescape`` takes exactly that apostrophe off again.
    """
    if number:
        return text
    return "'" + text if _FORMULA_START.match(text) else text


def csv_unescape(text: str) -> str:
    """A CSV cell as written by ``csv_cell``: one apostrophe before ``= + - @`` removed."""
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


# ---------------------------------------------------------------------------------------------
# Cells as values: read by the field's kind (kb.fields), as every other input is


class CellError(ValueError):
    """A cell that cannot become the field's value; the message says what was expected."""


def parse_number(value: Any) -> int | float:
    """A number from a cell: 1200000, '1,200,000', '1.200.000,50', '€ 12 000', '3.0'."""
    try:
        return fields.parse_number(value)
    except ValueError as exc:
        raise CellError(str(exc)) from None


def parse_date(value: Any) -> dt.date:
    """A date from a cell: Excel dates and serial numbers, ISO text, 2024/3/15, 15.03.2024, ..."""
    try:
        return fields.parse_date(value)
    except ValueError as exc:
        raise CellError(str(exc)) from None


def from_cell(f: Field, value: Any) -> Any:
    """The value of field ``f`` from a cell; None for a blank cell; CellError (its message
    starting with the field's name) when unreadable."""
    try:
        return f.model.read(f, value)
    except fields.FieldError as exc:
        raise CellError(str(exc)) from None


def parse_sets(etype: EntryType, items: Sequence[str]) -> dict[str, Any]:
    """Values from ``--set field=value``, read as `kb new --set` and a cell of the field read them.

    ``--set status=Approved`` means ``approved``; a value no cell could hold is one UsageError
    for the whole import, not one problem per row.
    """
    from kb.scaffold import parse_assignments

    values = parse_assignments(etype, items)
    problems = [
        f"--set {name}: give a value ({name}=...)"
        for name, value in values.items()
        if value in (None, "", [])
    ]
    if problems:
        raise UsageError("\n".join(problems))
    return values

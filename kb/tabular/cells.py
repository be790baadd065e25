"""Cells and values: a field's value as spreadsheet text, and a cell read back as a field's value.

Reading is lenient about what PMOs type (``1.200.000,50``, ``2024/3/15``, ``In Review``) and
strict about what it cannot read: a ``CellError`` says what was expected. ``--set`` values of
`kb import` are read the same way, so a value means the same in a cell and on the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from kb.errors import UsageError
from kb.registers import normalize_header
from kb.schema import (
    ACTIONS,
    BOOL,
    BUDGET,
    CHOICE,
    CHOICES,
    DATE,
    INT,
    LIST,
    LONGTEXT,
    NUMBER,
    REF,
    REFS,
    EntryType,
    Field,
    check_value,
    yes_no,
)

# ---------------------------------------------------------------------------------------------
# Values as text


def action_line(item: Mapping[str, Any]) -> str:
    """One action item as one cell line: ``action | owner | due | status``."""
    due = item.get("due")
    due = due.isoformat() if isinstance(due, dt.date) else ("" if due is None else str(due))
    parts = [item.get("action"), item.get("owner"), due, item.get("status") or "open"]
    return " | ".join("" if p is None else str(p) for p in parts)


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


def blank(value: Any) -> bool:
    """Whether a cell is empty: None, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


# A CSV cell Excel or LibreOffice would run as a formula (CSV injection): it starts with one of
# these, possibly after apostrophes, which must be escaped too for the round trip to be exact.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: text a spreadsheet would run as a formula gets a leading ``'``.

    ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``, which Excel shows as text; numbers
    (``-3.9``) are left alone. ``csv_unescape`` takes exactly that apostrophe off again.
    """
    text = cell_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text
    return "'" + text if _FORMULA_START.match(text) else text


def csv_unescape(text: str) -> str:
    """A CSV cell as written by ``csv_cell``: one apostrophe before ``= + - @`` removed."""
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


# ---------------------------------------------------------------------------------------------
# Cells as values


class CellError(ValueError):
    """A cell that cannot become the field's value; the message says what was expected."""


_LIST_SPLIT = re.compile(r"[,;\n、，；]")
_NUMBER_JUNK = re.compile(r"[\s'€$¥£￥]|^(?:EUR|USD|CNY|RMB|GBP)|(?:EUR|USD|CNY|RMB|GBP)$", re.I)
_MONTH_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y")
_SERIAL_RANGE = (20000, 80000)  # 1954 to 2119: numbers in a date column read as Excel dates


def parse_number(value: Any) -> int | float:
    """A number from a cell: 1200000, '1,200,000', '1.200.000,50', '€ 12 000', '3.0'."""
    if isinstance(value, bool):
        raise CellError(f"expected a number, found {cell_text(value)!r}")
    if isinstance(value, (int, float)):
        return value
    raw = str(value).strip()
    text = _NUMBER_JUNK.sub("", raw)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text) or re.fullmatch(r"-?\d+,\d{1,2}", text):
        text = text.replace(".", "").replace(",", ".")  # European: 1.234,56 or 12,5
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise CellError(f"expected a number, found {raw!r}") from None
    return int(number) if number.is_integer() and not re.search(r"[.eE]", text) else number


def _serial_date(number: float) -> dt.date:
    from openpyxl.utils.datetime import from_excel

    if not _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        raise CellError(f"expected a date such as 2024-03-15, found the number {number:g}")
    return from_excel(number).date()


def parse_date(value: Any) -> dt.date:
    """A date from a cell: Excel dates and serial numbers, ISO text, 2024/3/15, 15.03.2024, ..."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"expected a date such as 2024-03-15, found {cell_text(value)!r}")
    if isinstance(value, (int, float)):
        return _serial_date(value)
    raw = str(value).strip()
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", raw)  # a time of day: dropped
    try:
        if re.fullmatch(r"\d{5}(\.0+)?", text):
            return _serial_date(float(text))
        m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)  # 15.03.2024: day first
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if m:
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a > 12 >= b:
                return dt.date(year, b, a)
            if b > 12 >= a or a == b:
                return dt.date(year, a, b)
            raise CellError(
                f"{raw!r} is ambiguous (day/month or month/day?); write it as "
                f"{year}-{b:02d}-{a:02d} or {year}-{a:02d}-{b:02d}"
            )
    except CellError:
        raise
    except ValueError:
        raise CellError(f"{raw!r} is not a valid date") from None
    for fmt in _MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"expected a date such as 2024-03-15, found {raw!r}")


def match_choice(text: str, choices: Sequence[str]) -> str:
    """The allowed value a cell means: 'In Review' -> in-review, 'R&D' -> r-and-d."""
    if text in choices:
        return text
    for variant in (text, text.replace("&", " and ")):
        key = normalize_header(variant)
        for choice in choices:
            if normalize_header(choice) == key:
                return choice
    return text


def parse_actions(value: Any) -> list[dict[str, Any]]:
    """Action items from a cell, one per line: ``action | owner | due | status``."""
    items = []
    for line in str(value).splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.rsplit("|", 3)]
        if len(parts) < 3:
            raise CellError(
                f"action item {line.strip()!r}: write one per line as action | owner | due | status"
            )
        action, owner, due = parts[0], parts[1], parts[2]
        status = parts[3] if len(parts) > 3 and parts[3] else "open"
        item: dict[str, Any] = {"action": action, "owner": owner}
        try:
            item["due"] = parse_date(due) if due else None
        except CellError as exc:
            raise CellError(f"action item {action!r}: due: {exc}") from None
        item["status"] = match_choice(status, ("open", "done", "dropped"))
        items.append(item)
    return items


def from_cell(f: Field, value: Any) -> Any:
    """The value of field ``f`` from a cell; None for a blank cell; CellError when unreadable."""
    if blank(value):
        return None
    kind = f.kind
    if kind in (INT, NUMBER):
        number = parse_number(value)
        if kind == INT:
            if isinstance(number, float) and not number.is_integer():
                raise CellError(f"expected a whole number, found {cell_text(value)!r}")
            number = int(number)
        return number
    if kind == DATE:
        return parse_date(value)
    if kind == BOOL:
        if isinstance(value, bool):
            return value
        answer = yes_no(cell_text(value))
        if answer is None:
            raise CellError(f"expected yes or no, found {cell_text(value)!r}")
        return answer
    if kind == ACTIONS:
        return parse_actions(value)
    if kind == BUDGET:
        raise CellError("give the budget in columns Budget Planned, Budget Actual, Budget Currency")
    text = cell_text(value).replace("\r\n", "\n").strip()
    if isinstance(value, float) and value.is_integer() and kind != LONGTEXT:
        text = str(int(value))
    if kind == CHOICE:
        return match_choice(text, f.choices)
    if kind in (LIST, CHOICES, REFS):
        items = [p.strip() for p in _LIST_SPLIT.split(text) if p.strip()]
        if kind == CHOICES:
            items = [match_choice(i, f.choices) for i in items]
        if kind == REFS:
            items = [i.upper() for i in items]
        return items
    if kind == REF:
        return text.upper()
    return text


def parse_sets(etype: EntryType, items: Sequence[str]) -> dict[str, Any]:
    """Values from ``--set field=value``, read like a cell of the field and validated once.

    ``--set status=Approved`` means ``approved``, as the cell would; a value no cell could hold
    is one UsageError for the whole import, not one problem per row.
    """
    from kb.scaffold import parse_assignments

    values: dict[str, Any] = {}
    problems: list[str] = []
    others = []
    for item in items:
        name, sep, text = item.partition("=")
        f = etype.field(name.strip()) if sep else None
        if f is None or f.kind in (BUDGET, ACTIONS) or f.name in ("id", "type"):
            others.append(item)  # parts of a budget, an organization's own field, ...
            continue
        try:
            value = from_cell(f, text)
        except CellError as exc:
            problems.append(f"--set {f.name}: {exc}")
            continue
        if value in (None, "", []):
            problems.append(f"--set {f.name}: give a value ({f.name}=...)")
            continue
        issues = [i for i in check_value(f, value) if i.level == "error"]
        problems += [f"--set {i.message}" for i in issues]
        values[f.name] = value
    try:
        values.update(parse_assignments(etype, others))
    except UsageError as exc:
        problems += str(exc).splitlines()
    if problems:
        raise UsageError("\n".join(problems))
    return values

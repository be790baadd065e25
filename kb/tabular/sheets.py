"""Reading a sheet: the rows of a CSV file, a workbook or a JSON export, then the table in them.

What PMOs really have: title rows and merged group headers above the table, blank rows, columns
with neither a header nor data. The header row is found, group headers are joined with the names
under them, blank rows and empty columns are dropped, and cells holding control characters
become problems of their row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kb import i18n
from kb.errors import KbError, UsageError
from kb.tabular.cells import blank
from kb.tabular.csvfile import CSV_SUFFIXES, read_csv
from kb.tabular.jsonfile import JSON_SUFFIXES, read_json
from kb.tabular.legacy import legacy_excel
from kb.tabular.limits import ImportLimits
from kb.tabular.table import SheetMessage, SheetRow, Table, column_letter
from kb.tabular.workbook import EXCEL_SUFFIXES, read_excel

# Control characters a cell must not carry into an entry: C0 (tab, line feed and carriage return
# are text), DEL and C1. They are invisible in Excel, and on a terminal they are commands.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control_character(text: str) -> str | None:
    """The first control character in ``text`` as ``U+001B``, or None."""
    m = _CONTROL.search(text)
    return f"U+{ord(m.group(0)):04X}" if m else None


def _is_title_row(cells: list[Any]) -> bool:
    return len(_distinct(cells)) == 1


def _find_header(grid: list[tuple[int, list[Any]]]) -> int:
    """Index of the header row: the first row naming two or more different columns.

    A row of one value is a title above the table when a row of several values follows it
    somewhere below; the last such row is found once, so a long sheet of one-value rows costs
    one pass, not a pass per row.
    """
    last_wide = max(
        (i for i, (_, cells) in enumerate(grid) if len(_distinct(cells)) > 1), default=-1
    )
    for i, (_, cells) in enumerate(grid):
        if all(blank(c) for c in cells):
            continue
        if _is_title_row(cells) and i < last_wide:
            continue  # a title above the table, often merged across it
        return i
    return len(grid)


def _distinct(cells: list[Any]) -> set[str]:
    return {str(c).strip() for c in cells if not blank(c)}


def _subheader(
    top: list[Any], below: list[Any], row_index: int, wide: set[tuple[int, int]]
) -> list[str] | None:
    """Headers joined from a row of merged group cells and the row of names under them."""
    filled: list[str] = []
    grouped: set[int] = set()
    for c, value in enumerate(top):
        text = "" if blank(value) else str(value).strip()
        if text and (row_index, c) in wide:
            grouped.add(c)
        if not text and filled and filled[-1]:  # a blank after a name: the merge, as CSV shows it
            text = filled[-1]
            grouped.update({c, c - 1})
        filled.append(text)
    if not grouped:
        return None
    subs = {c for c, v in enumerate(below) if not blank(v)}
    if not subs or not subs & grouped:
        return None
    for c in subs:
        if c in grouped:
            if not isinstance(below[c], str):
                return None
        elif c >= len(filled) or str(below[c]).strip() != filled[c]:
            return None  # a value outside the groups: this is a data row
    return [
        f"{filled[c]} {str(below[c]).strip()}" if c in grouped and c in subs else filled[c]
        for c in range(len(filled))
    ]


def read_table(
    path: Path,
    sheet: str | None = None,
    encoding: str | None = None,
    limits: ImportLimits | None = None,
    lang: str = i18n.DEFAULT,
) -> Table:
    """Read a CSV, Excel or JSON file into headers and data rows; KbError when it cannot be read.

    ``limits`` (default: the settings' defaults) bound the file's size, unpacked, and its rows:
    a file over them is refused before its rows are read. ``lang`` is the language of the
    messages about the file's format.
    """
    limits = limits or ImportLimits()
    if not path.is_file():
        raise UsageError(i18n.text("import.no_file", lang, file=path))
    grid, how, wide, notes = _read_grid(path, sheet, encoding, limits, lang)
    table = _table(path, grid, how, wide, notes, lang)
    if path.suffix.lower() in JSON_SUFFIXES:  # an object has no column letter
        table.letters = [""] * len(table.headers)
    return table


def _table(
    path: Path,
    grid: list[tuple[int, list[Any]]],
    how: str,
    wide: set[tuple[int, int]],
    notes: list[str],
    lang: str = i18n.DEFAULT,
) -> Table:
    """The table in a file's numbered rows: its header row found, blank rows and columns
    dropped."""
    h = _find_header(grid)
    if h >= len(grid):
        raise KbError(i18n.text("import.no_table", lang, file=path.name))
    header_number, top = grid[h]
    data_from = h + 1
    headers = None
    if data_from < len(grid):
        headers = _subheader(top, grid[data_from][1], h, wide)
        if headers is not None:
            data_from += 1
    if headers is None:
        headers = ["" if blank(v) else str(v).strip() for v in top]
    _refuse_control_characters(path.name, header_number, headers, lang)
    rows = [_sheet_row(number, cells, headers, lang) for number, cells in grid[data_from:]]
    rows = [r for r in rows if r is not None]
    # Columns with neither a header nor data are dropped; those with data get a name.
    keep = [i for i, name in enumerate(headers) if name or any(not blank(r.cells[i]) for r in rows)]
    headers = [headers[i] or f"Column {column_letter(i)}" for i in keep]
    letters = [column_letter(i) for i in keep]
    for r in rows:
        r.cells = [r.cells[i] for i in keep]
        r.problems += _control_problems(r, headers, letters, lang)
    return Table(path.name, headers, rows, header_number, how, letters, notes)


def _read_grid(
    path: Path, sheet: str | None, encoding: str | None, limits: ImportLimits, lang: str
) -> tuple[list[tuple[int, list[Any]]], str, set[tuple[int, int]], list[str]]:
    """The numbered rows of the file, how it was read, merged cells across columns, notes."""
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_excel(path, sheet, limits, lang)
    if suffix == ".xls":
        raise UsageError(legacy_excel(path, lang))
    if sheet:
        raise UsageError(i18n.text("import.sheet_option", lang))
    if suffix in JSON_SUFFIXES:
        grid, how = read_json(path, limits, lang)
        return grid, how, set(), []
    if suffix in CSV_SUFFIXES or not suffix:
        grid, how = read_csv(path, encoding, limits, lang)
        return grid, how, set(), []
    raise UsageError(i18n.text("import.suffix", lang, file=path.name))


def _sheet_row(
    number: int, cells: list[Any], headers: Sequence[str], lang: str = i18n.DEFAULT
) -> SheetRow | None:
    """A data row cut to the headers, cells stripped; None for a blank row."""
    if all(blank(c) for c in cells):
        return None
    extra = [c for c in cells[len(headers) :] if not blank(c)]
    problems = []
    if extra:
        problems.append(
            SheetMessage(
                i18n.text(
                    "import.beyond",
                    lang,
                    count=len(extra),
                    letter=column_letter(len(headers) - 1),
                ),
                number,
            )
        )
    cells = list(cells[: len(headers)]) + [None] * (len(headers) - len(cells))
    cells = [c.strip() if isinstance(c, str) else c for c in cells]
    return SheetRow(number, cells, problems)


def _refuse_control_characters(
    source: str, number: int, headers: Sequence[str], lang: str = i18n.DEFAULT
) -> None:
    """KbError for a header holding a control character: every message would print it."""
    for i, header in enumerate(headers):
        found = _control_character(header)
        if found:
            raise KbError(
                i18n.text(
                    "import.control_header",
                    lang,
                    file=source,
                    row=number,
                    letter=column_letter(i),
                    char=found,
                )
            )


def _control_problems(
    row: SheetRow, headers: Sequence[str], letters: Sequence[str], lang: str = i18n.DEFAULT
) -> list[SheetMessage]:
    """A problem for each cell holding a control character (an entry never stores one)."""
    problems = []
    for i, value in enumerate(row.cells):
        found = _control_character(value) if isinstance(value, str) else None
        if found:
            problems.append(
                SheetMessage(
                    i18n.text("import.control_cell", lang, char=found),
                    row.number,
                    headers[i],
                    letters[i],
                )
            )
    return problems

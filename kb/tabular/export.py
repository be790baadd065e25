"""Export: a register as CSV, JSON or an Excel workbook, in the columns of ``kb.register_table``.

Headers are in the workspace's language (kb/locale), and each cell is written by its column's
field kind (``kb.fields``): an allowed value shows its label, yes and no are words of the
language. `kb import` reads the headers and the labels of every language back, so a sheet
exported from a Chinese workspace imports into an English one unchanged. JSON keeps the
canonical keys and values, for scripts.

The action register (``export_actions``) has one row per action item instead, in the columns
``kb.register_table.action_columns`` lays out.

CSV cells a spreadsheet would run as formulas are escaped (``csv_cell``) and the file gets a BOM
so Excel reads it as UTF-8; the workbook has real dates and numbers and a frozen, filterable
header. `kb import --key ID` reads any of them back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kb import i18n
from kb.entry import Entry
from kb.errors import UsageError
from kb.fields import kind_of
from kb.register_table import Column, action_columns, action_rows, register_columns, register_rows
from kb.schema import EntryType
from kb.tabular.cells import csv_cell
from kb.tabular.csvfile import CSV_SUFFIXES

FORMATS = ("csv", "json", "xlsx")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, str):
        return value.rstrip()
    return value


def register_table(
    entries: Iterable[Entry], etype: EntryType, today: dt.date, lang: str = i18n.DEFAULT
) -> tuple[list[Column], list[dict[str, Any]]]:
    """The columns (headers in ``lang``) and rows of the register of ``etype``."""
    return register_columns(etype, lang), register_rows(entries, etype, today)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cell_of(column: Column, value: Any, lang: str) -> str:
    """A register cell's text in ``lang``, as the column's field kind writes it."""
    return kind_of(column.kind).cell(value, lang)


def to_csv(
    columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], lang: str = i18n.DEFAULT
) -> str:
    """The register as CSV text (comma-separated, quoted where needed, LF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(c.header) for c in columns])
    for row in rows:
        writer.writerow(
            [
                csv_cell(cell_of(c, value, lang), number=_is_number(value))
                for c in columns
                for value in [row.get(c.key)]
            ]
        )
    return out.getvalue()


def to_json(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> str:
    """The register as a JSON list of objects keyed by column key, values typed."""
    data = [{c.key: _json_value(row.get(c.key)) for c in columns} for row in rows]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_xlsx(
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    title: str,
    lang: str = i18n.DEFAULT,
) -> bytes:
    """The register as an Excel workbook: real dates and numbers, a frozen, filterable header."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    sheet = wb.active
    sheet.title = title[:31]
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(c.header) for c in columns]
    for r, row in enumerate(rows, start=2):
        for i, c in enumerate(columns):
            value = row.get(c.key)
            cell = sheet.cell(row=r, column=i + 1)
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
                text = "2024-01-01"
            elif _is_number(value):
                cell.value = value
                text = str(value)
            else:
                text = ILLEGAL_CHARACTERS_RE.sub("", cell_of(c, value, lang))
                if text:
                    cell.value = text
                    cell.data_type = "s"  # a leading '=' is text, not a formula
                if "\n" in text:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            longest = max((len(line) for line in text.split("\n")), default=0)
            widths[i] = max(widths[i], min(longest, 60))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_register(
    entries: Iterable[Entry],
    etype: EntryType,
    fmt: str,
    today: dt.date,
    lang: str = i18n.DEFAULT,
) -> tuple[str | bytes, int]:
    """The register of ``etype`` in ``fmt`` (csv, json, xlsx), and how many rows it has.

    CSV and the workbook are for people: headers and labels in ``lang``. JSON is for scripts:
    canonical keys and values whatever the language."""
    columns, rows = register_table(entries, etype, today, lang)
    return _written(columns, rows, fmt, etype.label(lang), lang), len(rows)


def export_actions(
    entries: Iterable[Entry], fmt: str, today: dt.date, lang: str = i18n.DEFAULT
) -> tuple[str | bytes, int]:
    """The action register in ``fmt``: one row per action item of every retrospective, with
    its reference, its retrospective, its lifecycle and the days it is overdue on ``today``;
    and how many rows it has. `kb import --type action --key Ref` reads it back."""
    columns, rows = action_columns(lang), action_rows(entries, today)
    return _written(columns, rows, fmt, i18n.text("export.action_type", lang), lang), len(rows)


def _written(
    columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], fmt: str, kind: str, lang: str
) -> str | bytes:
    """The table in ``fmt``; ``kind`` names the register in the workbook's sheet title."""
    if fmt == "csv":
        return to_csv(columns, rows, lang)
    if fmt == "json":
        return to_json(columns, rows)
    if fmt == "xlsx":
        return to_xlsx(columns, rows, i18n.text("export.sheet_title", lang, type=kind), lang)
    raise UsageError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")


def file_bytes(path: Path, data: str | bytes) -> bytes:
    """An export as the bytes of its file: CSV gets a BOM so Excel reads it as UTF-8."""
    if isinstance(data, bytes):
        return data
    prefix = "\ufeff" if path.suffix.lower() in CSV_SUFFIXES else ""
    return (prefix + data).encode("utf-8")

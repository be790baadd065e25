"""Registers as spreadsheets: export to CSV, JSON and Excel, import from CSV, Excel and JSON.

The only package that touches openpyxl and csv. Export lays out the columns ``kb.register_table``
defines, headers and labels in the workspace's language, each cell written by its field's kind;
import reads the headers and labels of every language back, and what PMOs really have: UTF-8
with or without a BOM, GBK from a Chinese Excel, comma, semicolon or tab separators, title rows
and merged header cells above the table, blank rows, Excel serial dates and dates typed as text.
Import plans every row first, validated with the schema `kb check` uses, and writes only when
the whole plan is sound, through ``kb.store``.

What it reads is bounded (settings ``max_import_mb`` and ``max_import_rows``) and checked
before it is parsed: an .xlsx's unpacked size from its zip directory, its rows from a streamed
scan of the sheet's XML; then CSV and openpyxl's read-only mode both stream. A row to create
whose title and project an entry already has counts as imported, so an interrupted import is
finished by running it again.

One module per idea: ``cells`` (values as cell text and back), ``export``, ``table`` (a sheet
as read), ``limits``, ``csvfile``, ``workbook`` and ``jsonfile`` (reading each kind of file),
``legacy`` (what a file named .xls really is), ``sheets`` (finding the table in a file),
``headers`` (mapping columns to fields), ``expect`` (what the sheet as a whole implies: an ID
column without --key, the default owner), ``plan`` and ``rows`` (planning an import),
``changes`` (what a row changes in an entry), ``apply`` (writing it); the action register read
back, each row changing the action item its Ref names: ``action_columns``, ``action_rows``,
``action_import``.
"""

from kb.tabular.action_import import ActionPlan, import_actions, plan_action_import
from kb.tabular.apply import apply_plan, import_table
from kb.tabular.cells import (
    CellError,
    action_line,
    cell_text,
    csv_cell,
    csv_unescape,
    from_cell,
    parse_date,
    parse_number,
    parse_sets,
)
from kb.tabular.csvfile import CSV_SUFFIXES, decode_text
from kb.tabular.export import (
    FORMATS,
    export_actions,
    export_register,
    file_bytes,
    register_table,
    to_csv,
    to_json,
    to_xlsx,
)
from kb.tabular.headers import ALIASES, Target, map_columns
from kb.tabular.limits import ImportLimits
from kb.tabular.plan import EXTERNAL_ID, ImportPlan, Progress, plan_import, title_key
from kb.tabular.rows import RowResult
from kb.tabular.sheets import read_table
from kb.tabular.table import SheetMessage, SheetRow, Table, column_letter
from kb.tabular.workbook import EXCEL_SUFFIXES

__all__ = [
    "ALIASES",
    "ActionPlan",
    "CSV_SUFFIXES",
    "EXCEL_SUFFIXES",
    "EXTERNAL_ID",
    "FORMATS",
    "CellError",
    "ImportLimits",
    "ImportPlan",
    "Progress",
    "RowResult",
    "SheetMessage",
    "SheetRow",
    "Table",
    "Target",
    "action_line",
    "apply_plan",
    "cell_text",
    "column_letter",
    "csv_cell",
    "csv_unescape",
    "decode_text",
    "export_actions",
    "export_register",
    "file_bytes",
    "from_cell",
    "import_actions",
    "import_table",
    "map_columns",
    "parse_date",
    "parse_number",
    "parse_sets",
    "plan_action_import",
    "plan_import",
    "read_table",
    "register_table",
    "title_key",
    "to_csv",
    "to_json",
    "to_xlsx",
]

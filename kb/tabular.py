"""Registers as spreadsheets: export to CSV, JSON and Excel, import from CSV and Excel.

The only module that touches openpyxl and csv. Export lays out the columns ``kb.registers``
defines; import reads what PMOs really have: UTF-8 with or without a BOM, GBK from a Chinese
Excel, comma, semicolon or tab separators, title rows and merged header cells above the table,
blank rows, Excel serial dates and dates typed as text. Import plans every row first, validated
with the schema `kb check` uses, and writes only when the whole plan is sound, through
``kb.store``.

What it reads is bounded (settings ``max_import_mb`` and ``max_import_rows``) and checked
before it is parsed: an .xlsx's unpacked size from its zip directory, its rows from a streamed
scan of the sheet's XML; then CSV and openpyxl's read-only mode both stream. A row to create
whose title and project an entry already has counts as imported, so an interrupted import is
finished by running it again.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import posixpath
import re
import time
import unicodedata
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

from kb.config import SETTINGS, Workspace
from kb.entry import HEADING_RE, Entry, FrontMatterError, decode, section_text, strip_comments
from kb.errors import KbError, UsageError
from kb.registers import Column, normalize_header, register_columns, register_rows
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
    closest,
    validate_fields,
    yes_no,
)

FORMATS = ("csv", "json", "xlsx")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
EXTERNAL_ID = "external_id"  # where a --key column that is no field keeps the sheet's own id

Progress = Callable[[str, int, int], None]  # progress(phase, done, total)

# ---------------------------------------------------------------------------------------------
# Export


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
    entries: Iterable[Entry], etype: EntryType, today: dt.date
) -> tuple[list[Column], list[dict[str, Any]]]:
    """The columns and rows of the register of ``etype``."""
    return register_columns(etype), register_rows(entries, etype, today)


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


def to_csv(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> str:
    """The register as CSV text (comma-separated, quoted where needed, LF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(c.header) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key)) for c in columns])
    return out.getvalue()


def to_json(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> str:
    """The register as a JSON list of objects keyed by column key, values typed."""
    data = [{c.key: _json_value(row.get(c.key)) for c in columns} for row in rows]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_xlsx(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], title: str) -> bytes:
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
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
                text = str(value)
            else:
                text = ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))
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
    entries: Iterable[Entry], etype: EntryType, fmt: str, today: dt.date
) -> tuple[str | bytes, int]:
    """The register of ``etype`` in ``fmt`` (csv, json, xlsx), and how many rows it has."""
    columns, rows = register_table(entries, etype, today)
    if fmt == "csv":
        return to_csv(columns, rows), len(rows)
    if fmt == "json":
        return to_json(columns, rows), len(rows)
    if fmt == "xlsx":
        return to_xlsx(columns, rows, f"{etype.label} register"), len(rows)
    raise UsageError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")


def file_bytes(path: Path, data: str | bytes) -> bytes:
    """An export as the bytes of its file: CSV gets a BOM so Excel reads it as UTF-8."""
    if isinstance(data, bytes):
        return data
    prefix = "\ufeff" if path.suffix.lower() in CSV_SUFFIXES else ""
    return (prefix + data).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Reading a sheet


@dataclass(frozen=True)
class SheetMessage:
    """A problem or a note about a sheet: what, and where (row as Excel numbers it, column)."""

    message: str
    row: int | None = None
    column: str | None = None  # the header
    letter: str = ""  # the column's letter in the file
    field: str | None = None  # the field the column fills, when there is one

    def format(self) -> str:
        """``row 6, column "Knowledge area" (C): message``; a sheet-wide one is the message."""
        if self.row is None:
            return self.message
        place = f"row {self.row}"
        if self.column is not None:
            place += f', column "{self.column}"' + (f" ({self.letter})" if self.letter else "")
        return f"{place}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """JSON shape for ``kb import --json``."""
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class SheetRow:
    """One data row: its number as the user sees it (CSV line, Excel row) and its cells."""

    number: int
    cells: list[Any]
    problems: list[SheetMessage] = field(default_factory=list)


@dataclass
class Table:
    """A sheet read from a file: headers, data rows, and how it was read."""

    source: str
    headers: list[str]
    rows: list[SheetRow]
    header_row: int = 1
    how: str = ""  # e.g. "GBK, semicolon-separated" or "sheet 'Risks'"
    letters: list[str] = field(default_factory=list)  # each column's letter in the file
    notes: list[str] = field(default_factory=list)  # what the reader noticed, for the user

    def __post_init__(self) -> None:
        if not self.letters:
            self.letters = [column_letter(i) for i in range(len(self.headers))]


def column_letter(index: int) -> str:
    """``A`` for 0, ``AB`` for 27: the letter Excel shows above a column."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------
# Limits: what a sheet may cost before it is read


@dataclass(frozen=True)
class ImportLimits:
    """How much `kb import` reads: settings ``max_import_mb`` and ``max_import_rows``.

    0 turns a limit off. The size counts what the file unpacks to: an .xlsx is a zip archive,
    and a few megabytes of it can hold gigabytes of sheet (a zip bomb).
    """

    max_mb: int = SETTINGS["max_import_mb"][1]
    max_rows: int = SETTINGS["max_import_rows"][1]

    @classmethod
    def of(cls, ws: Workspace) -> ImportLimits:
        """The limits a workspace's settings give."""
        return cls(ws.settings.max_import_mb, ws.settings.max_import_rows)

    def check_size(self, source: str, size: int, what: str = "the file is") -> None:
        """KbError when ``size`` bytes are over ``max_import_mb``."""
        if self.max_mb and size > self.max_mb * 1_048_576:
            raise KbError(
                f"{source}: {what} {size / 1_048_576:,.1f} MB, over the {self.max_mb:,} MB "
                "limit for an import (setting max_import_mb); split the file, or raise the "
                "limit in mkdocs.yml"
            )

    def over_rows(self, rows: int) -> bool:
        """Whether ``rows`` rows are more than ``max_import_rows``."""
        return bool(self.max_rows) and rows > self.max_rows

    def too_many_rows(self, source: str, subject: str, declared: int = 0) -> KbError:
        """The error for a sheet over ``max_import_rows``: ``subject`` is "the file", "sheet
        'Risks'"; ``declared``, the rows a workbook says it has, when it says."""
        count = (
            f"declares {declared:,} rows" if declared else f"has more than {self.max_rows:,} rows"
        )
        return KbError(
            f"{source}: {subject} {count}, over the limit of {self.max_rows:,} rows for an "
            "import (setting max_import_rows); split the file, or raise the limit in mkdocs.yml"
        )


def _capped(
    rows: Iterable[tuple[int, list[Any]]], source: str, subject: str, limits: ImportLimits
) -> list[tuple[int, list[Any]]]:
    """The numbered rows of a sheet as a list, refused as soon as there are too many."""
    grid = []
    for number, cells in rows:
        if limits.over_rows(len(grid) + 1):
            raise limits.too_many_rows(source, subject)
        grid.append((number, cells))
    return grid


# Control characters a cell must not carry into an entry: C0 (tab, line feed and carriage return
# are text), DEL and C1. They are invisible in Excel, and on a terminal they are commands.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control_character(text: str) -> str | None:
    """The first control character in ``text`` as ``U+001B``, or None."""
    m = _CONTROL.search(text)
    return f"U+{ord(m.group(0)):04X}" if m else None


# ---------------------------------------------------------------------------------------------
# Reading CSV: encoding detected on the whole file, then rows streamed

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8 with BOM"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
_GUESSES = (("utf-8", "UTF-8"), ("gb18030", "GBK"), ("cp1252", "Windows-1252"))
_CHUNK = 1 << 20


def _decode_error(fh: BinaryIO, codec: str, skip: int) -> tuple[int, int] | None:
    """Where the bytes after the first ``skip`` stop being ``codec``: (line, byte), or None.

    Reads a chunk at a time, so a large file is checked without holding it in memory.
    """
    fh.seek(skip)
    decoder = codecs.getincrementaldecoder(codec)()
    lines = 1
    while True:
        chunk = fh.read(_CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            tried = exc.object  # what the decoder had buffered, and this chunk
            before = bytes(tried[: exc.start]).decode(codec, errors="replace")
            return lines + before.count("\n"), tried[exc.start]
        lines += text.count("\n")
        if not chunk:
            return None


def _detect_encoding(fh: BinaryIO, encoding: str | None = None) -> tuple[str, str, int]:
    """How to read a CSV file: (codec, label for the user, bytes of byte-order mark to skip).

    UTF-8 with or without a BOM, UTF-16 with one, GBK, Windows-1252, else Latin-1; KbError when
    the file breaks the encoding it names (``encoding``, or its byte-order mark), by line.
    """
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise UsageError(f"--encoding: unknown encoding {encoding!r}") from None
        bad = _decode_error(fh, codec, 0)
        if bad:
            raise KbError(f"line {bad[0]}: not valid {encoding}; try without --encoding")
        return codec, encoding, 0
    # A byte-order mark says which encoding the file claims: bytes that break it are an error,
    # named by line, never replaced by question marks behind the user's back.
    fh.seek(0)
    head = fh.read(4)
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            bad = _decode_error(fh, codec, len(bom))
            if bad:
                raise KbError(
                    f"line {bad[0]}: not valid {label.split()[0]} (byte 0x{bad[1]:02x}), "
                    "although the file starts with its byte-order mark; save it again as "
                    "CSV UTF-8, or name the encoding with --encoding"
                )
            return codec, label, len(bom)
    for codec, label in _GUESSES:
        if _decode_error(fh, codec, 0) is None:
            return codec, label, 0
    return "latin-1", "Latin-1", 0


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text of a CSV file and the encoding it was read with: UTF-8 (BOM or not), GBK, cp1252."""
    codec, label, skip = _detect_encoding(io.BytesIO(data), encoding)
    return data[skip:].decode(codec), label


def _sniff_delimiter(text: str) -> str:
    """The separator of the header line: the first line that one of them splits into columns."""
    for line in text.splitlines()[:20]:
        counts = {d: len(next(csv.reader([line], delimiter=d), [])) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d])  # ties: comma, then semicolon
        if counts[best] > 1:
            return best
    return ","


def _csv_reason(exc: csv.Error) -> str:
    m = re.search(r"field larger than field limit \((\d+)\)", str(exc))
    if m:
        return f"a cell is longer than {int(m.group(1)):,} characters"
    return f"cannot read CSV: {exc}"


def _read_csv(
    path: Path, encoding: str | None, limits: ImportLimits
) -> tuple[list[tuple[int, list[Any]]], str]:
    limits.check_size(path.name, path.stat().st_size)
    with path.open("rb") as fh:
        try:
            codec, used, skip = _detect_encoding(fh, encoding)
        except UsageError:
            raise
        except KbError as exc:
            raise KbError(f"{path.name}: {exc}") from None
        fh.seek(skip)
        head = codecs.getincrementaldecoder(codec)().decode(fh.read(64 * 1024))
        delim = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(head)
        fh.seek(skip)
        text = io.TextIOWrapper(fh, encoding=codec, newline="")
        reader = csv.reader(text, delimiter=delim)
        # Numbered by record, as Excel numbers the rows (a quoted cell may span lines).
        records = (
            (number, [csv_unescape(c.replace("\r\n", "\n")) for c in record])
            for number, record in enumerate(reader, start=1)
        )
        try:
            grid = _capped(records, path.name, "the file", limits)
        except csv.Error as exc:
            raise KbError(f"{path.name}: line {reader.line_num}: {_csv_reason(exc)}") from None
    names = {",": "comma", ";": "semicolon", "\t": "tab"}
    return grid, f"{used}, {names[delim]}-separated"


# ---------------------------------------------------------------------------------------------
# Reading Excel: sizes checked in the archive first, then rows streamed (openpyxl read-only)


def _check_workbook(path: Path, limits: ImportLimits) -> None:
    """Refuse a workbook that is no zip archive, or unpacks to more than the size limit.

    The sizes come from the archive's directory (``ZipFile.infolist``), before anything is
    unpacked, so a zip bomb is refused at once; ``zipfile`` never unpacks a member past the
    size its directory gives.
    """
    limits.check_size(path.name, path.stat().st_size)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise KbError(f"{path.name}: not an Excel .xlsx workbook ({type(exc).__name__})") from None
    limits.check_size(path.name, unpacked, "the workbook unpacks to")


def _damaged(path: Path, exc: Exception) -> KbError:
    """A workbook that broke while it was read, as one line for the user."""
    reason = " ".join(str(exc).split())[:160]
    return KbError(
        f"{path.name}: cannot read the workbook, it is damaged or not an Excel .xlsx file "
        f"({type(exc).__name__}{': ' + reason if reason else ''}); open and save it in Excel, "
        "or save it as CSV"
    )


def _open_workbook(path: Path, *, data_only: bool) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it does not read
            return load_workbook(path, read_only=True, data_only=data_only)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise KbError(f"{path.name}: cannot read as an Excel workbook ({exc})") from None
    except Exception as exc:  # zipfile.BadZipFile and friends: a broken or renamed file
        raise KbError(f"{path.name}: not an Excel .xlsx workbook ({type(exc).__name__})") from None


def _pick_sheet(wb: Any, sheet: str | None, path: Path) -> Any:
    if sheet is not None:
        if sheet not in wb.sheetnames:
            raise UsageError(
                f"--sheet: no sheet {sheet!r} in {path.name}; sheets: {', '.join(wb.sheetnames)}"
            )
        return wb[sheet]
    if not wb.worksheets:
        raise KbError(f"{path.name}: the workbook has no sheets")
    return wb.active if wb.active is not None else wb.worksheets[0]


def _sheet_rows(ws: Any, path: Path, limits: ImportLimits) -> list[tuple[int, list[Any]]]:
    """The rows of a read-only sheet, numbered as Excel numbers them, padded to one width.

    The dimension the file declares is checked against the row limit before a row is read;
    then it is set aside (it may be wrong, and openpyxl would stop at it) and the rows are
    counted as they stream.
    """
    subject = f"sheet {ws.title!r}"
    if ws.max_row and limits.over_rows(ws.max_row):
        raise limits.too_many_rows(path.name, subject, declared=ws.max_row)
    ws.reset_dimensions()
    rows = ((i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1))
    grid = _capped(rows, path.name, subject, limits)
    width = max((len(cells) for _, cells in grid), default=0)
    for _, cells in grid:
        cells.extend([None] * (width - len(cells)))
    return grid


def _read_excel(
    path: Path, sheet: str | None, limits: ImportLimits
) -> tuple[list[tuple[int, list[Any]]], str, set[tuple[int, int]], list[str]]:
    _check_workbook(path, limits)
    try:
        # Before openpyxl opens it: openpyxl reads a sheet without a dimension to its end
        # to find one, and that is the sheet a bomb would be.
        scanned = _scan_sheet(path, sheet, limits)
    except KbError:
        raise
    except Exception as exc:
        raise _damaged(path, exc) from None
    wb = _open_workbook(path, data_only=True)
    try:
        ws = _pick_sheet(wb, sheet, path)
        title = ws.title
        if scanned is None or scanned.title != title:
            scanned = _scan_sheet(path, title, limits)
        merged = scanned.merged if scanned else []
        grid = _sheet_rows(ws, path, limits)
        has_formulas = scanned is None or scanned.formulas
        unsaved = _formulas_without_values(path, title, grid) if grid and has_formulas else []
    except KbError:
        raise
    except Exception as exc:  # a truncated archive, broken XML, ...: whatever the parser hit
        raise _damaged(path, exc) from None
    finally:
        wb.close()
    wide = _fill_merged(grid, merged)
    notes = []
    if unsaved:
        shown = ", ".join(unsaved[:5]) + (", ..." if len(unsaved) > 5 else "")
        notes.append(
            f"the workbook has formulas without saved values: {len(unsaved)} cell"
            f"{'s' if len(unsaved) != 1 else ''} ({shown}) read as blank; it was written by a "
            "program that does not calculate formulas: open and save it in Excel, then import "
            "again"
        )
    return grid, f"sheet {title!r}", wide, notes


def _fill_merged(
    grid: list[tuple[int, list[Any]]], merged: Sequence[tuple[int, int, int, int]]
) -> set[tuple[int, int]]:
    """Give every cell of a merged range its top-left value; return the (row, column) indexes
    of cells inside a merge across columns."""
    wide: set[tuple[int, int]] = set()
    for min_col, min_row, max_col, max_row in merged:
        if min_row > len(grid):
            continue
        top = grid[min_row - 1][1]
        value = top[min_col - 1] if min_col <= len(top) else None
        for r in range(min_row, min(max_row, len(grid)) + 1):
            cells = grid[r - 1][1]
            for c in range(min_col, min(max_col, len(cells)) + 1):
                cells[c - 1] = value
                if max_col > min_col:
                    wide.add((r - 1, c - 1))
    return wide


# The parts of an .xlsx, by the Open Packaging Conventions (ECMA-376, part 2): the package's
# relationships name the workbook; the workbook's relationships name each sheet's part.
_OFFICE_DOCUMENT = "/officeDocument"


def _local(name: str) -> str:
    """An XML name without its namespace (expat gives ``namespace}local``)."""
    return name.rpartition("}")[2]


def _parse_xml(
    source: BinaryIO, start: Callable[[str, dict[str, str]], None], *, raw: bool = False
) -> None:
    """Stream an XML part through expat, calling ``start(local name, attributes)`` for each
    element (attribute names without their namespace too); ``raw``: the names as written
    (``row``, or ``x:row`` with a prefix), which is faster for a large sheet.

    No tree is built, so a large sheet costs no memory; a document type declaration, which no
    part of a workbook has, is refused, so entity expansion cannot be used against the reader.
    """
    parser = expat.ParserCreate() if raw else expat.ParserCreate(namespace_separator="}")

    def on_start(name: str, attrs: dict[str, str]) -> None:
        start(_local(name), {_local(k): v for k, v in attrs.items()})

    def doctype(*_: Any) -> None:
        raise ValueError("a document type declaration in a workbook part")

    parser.StartElementHandler = start if raw else on_start
    parser.StartDoctypeDeclHandler = doctype
    parser.ParseFile(source)


def _xml_elements(source: BinaryIO, *wanted: str) -> list[tuple[str, dict[str, str]]]:
    """(name, attributes) of every element called one of ``wanted`` (any namespace)."""
    found: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name in wanted:
            found.append((name, attrs))

    _parse_xml(source, start)
    return found


def _part_path(base: str, target: str) -> str:
    """A relationship's target as an archive member name, relative to the part ``base``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(archive: zipfile.ZipFile, part: str) -> list[dict[str, str]]:
    folder, _, name = part.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    try:
        with archive.open(rels) as src:
            return [attrs for _, attrs in _xml_elements(src, "Relationship")]
    except KeyError:
        return []


def _sheet_part(archive: zipfile.ZipFile, title: str | None) -> tuple[str, str] | None:
    """The title and archive member of the sheet called ``title``, or for None of the sheet
    Excel opens the workbook at; None when the workbook does not say (openpyxl will tell)."""
    package = _relationships(archive, "")
    workbook = next(
        (
            _part_path("", r["Target"])
            for r in package
            if r.get("Type", "").endswith(_OFFICE_DOCUMENT) and r.get("Target")
        ),
        "xl/workbook.xml",
    )
    if workbook not in archive.namelist():
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in _relationships(archive, workbook)}
    with archive.open(workbook) as src:
        found = _xml_elements(src, "sheet", "workbookView")
    sheets = [attrs for name, attrs in found if name == "sheet"]
    if title is None:
        active = next((a.get("activeTab", "0") for n, a in found if n == "workbookView"), "0")
        index = int(active) if active.isdigit() and int(active) < len(sheets) else 0
        title = sheets[index].get("name") if sheets else None
    for attrs in sheets:
        if attrs.get("name") == title and targets.get(attrs.get("id")):
            return title, _part_path(workbook, targets[attrs["id"]])
    return None


class _TooManyRows(Exception):
    """Raised from inside the XML scan to stop it at the first row over the limit."""


@dataclass
class _SheetScan:
    """What a scan of a sheet's XML found: its title, merged ranges (min column, min row, max
    column, max row), and whether any cell holds a formula."""

    title: str
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: bool = False


def _scan_sheet(path: Path, title: str | None, limits: ImportLimits) -> _SheetScan | None:
    """Count a sheet's rows, and read its merged cells, before openpyxl parses it.

    The sheet (``title``, or None for the one Excel opens at) is streamed once with expat,
    several times faster than reading its cells. Its declared dimension, then its rows
    (numbered as Excel numbers them: a lone row 1,000,000 counts a million) are checked
    against the row limit, and the scan stops at the first row over it. Merged cells
    (``<mergeCell ref="A2:A3"/>``), which openpyxl's streaming read-only mode does not report,
    come from the same pass, and so does whether it has formulas at all. None when the
    workbook does not name such a sheet.
    """
    from openpyxl.utils.cell import range_boundaries

    refs: list[str] = []
    rows = 0
    declared = 0
    formulas = False

    def start(name: str, attrs: dict[str, str]) -> None:  # called for every cell: kept lean
        nonlocal rows, declared, formulas
        if name == "f" or name[-2:] == ":f":
            formulas = True
        elif name == "row" or name[-4:] == ":row":
            number = attrs.get("r", "")
            rows = int(number) if number.isdigit() else rows + 1
            if limits.over_rows(rows):
                raise _TooManyRows
        elif name == "mergeCell" or name[-10:] == ":mergeCell":
            refs.append(attrs.get("ref", ""))
        elif name == "dimension" or name[-10:] == ":dimension":
            last = re.search(r"(\d+)$", attrs.get("ref", ""))
            declared = int(last.group(1)) if last else 0
            if limits.over_rows(declared):
                raise _TooManyRows

    with zipfile.ZipFile(path) as archive:
        found = _sheet_part(archive, title)
        if found is None:
            return None
        title, part = found
        with archive.open(part) as src:
            try:
                _parse_xml(src, start, raw=True)
            except _TooManyRows:
                subject = f"sheet {title!r}"
                raise limits.too_many_rows(path.name, subject, declared) from None
    scan = _SheetScan(title, formulas=formulas)
    for ref in refs:
        try:
            bounds = range_boundaries(ref)
        except (ValueError, TypeError):
            continue  # a damaged reference: the cells read unmerged
        if None not in bounds:
            scan.merged.append(bounds)
    return scan


def _formulas_without_values(
    path: Path, sheet: str, grid: list[tuple[int, list[Any]]]
) -> list[str]:
    """Cells (``D3``) holding a formula whose value the file does not store.

    openpyxl reads the value Excel saved with a formula; a workbook written by a program that
    never calculated it (openpyxl itself, many exporters) has none, and the cell reads as blank.
    Only the rows already read (and counted against the limit) are looked at.
    """
    if not any(v is None for _, row in grid for v in row):
        return []
    wb = _open_workbook(path, data_only=False)
    try:
        ws = wb[sheet]
        ws.reset_dimensions()
        found = []
        rows = ws.iter_rows(values_only=True)
        for (number, cached_row), row in zip(grid, rows, strict=False):
            for c, value in enumerate(row):
                cached = cached_row[c] if c < len(cached_row) else None
                if cached is None and isinstance(value, str) and value.startswith("="):
                    found.append(f"{column_letter(c)}{number}")
        return found
    finally:
        wb.close()


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
        if all(_blank(c) for c in cells):
            continue
        if _is_title_row(cells) and i < last_wide:
            continue  # a title above the table, often merged across it
        return i
    return len(grid)


def _distinct(cells: list[Any]) -> set[str]:
    return {str(c).strip() for c in cells if not _blank(c)}


def _subheader(
    top: list[Any], below: list[Any], row_index: int, wide: set[tuple[int, int]]
) -> list[str] | None:
    """Headers joined from a row of merged group cells and the row of names under them."""
    filled: list[str] = []
    grouped: set[int] = set()
    for c, value in enumerate(top):
        text = "" if _blank(value) else str(value).strip()
        if text and (row_index, c) in wide:
            grouped.add(c)
        if not text and filled and filled[-1]:  # a blank after a name: the merge, as CSV shows it
            text = filled[-1]
            grouped.update({c, c - 1})
        filled.append(text)
    if not grouped:
        return None
    subs = {c for c, v in enumerate(below) if not _blank(v)}
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
) -> Table:
    """Read a CSV or Excel file into headers and data rows; KbError when it cannot be read.

    ``limits`` (default: the settings' defaults) bound the file's size, unpacked, and its rows:
    a file over them is refused before its rows are read.
    """
    limits = limits or ImportLimits()
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    grid, how, wide, notes = _read_grid(path, sheet, encoding, limits)
    h = _find_header(grid)
    if h >= len(grid):
        raise KbError(f"{path.name}: no table found (the file has no header row)")
    header_number, top = grid[h]
    data_from = h + 1
    headers = None
    if data_from < len(grid):
        headers = _subheader(top, grid[data_from][1], h, wide)
        if headers is not None:
            data_from += 1
    if headers is None:
        headers = ["" if _blank(v) else str(v).strip() for v in top]
    _refuse_control_characters(path.name, header_number, headers)
    rows = [_sheet_row(number, cells, headers) for number, cells in grid[data_from:]]
    rows = [r for r in rows if r is not None]
    # Columns with neither a header nor data are dropped; those with data get a name.
    keep = [
        i for i, name in enumerate(headers) if name or any(not _blank(r.cells[i]) for r in rows)
    ]
    headers = [headers[i] or f"Column {column_letter(i)}" for i in keep]
    letters = [column_letter(i) for i in keep]
    for r in rows:
        r.cells = [r.cells[i] for i in keep]
        r.problems += _control_problems(r, headers, letters)
    return Table(path.name, headers, rows, header_number, how, letters, notes)


def _read_grid(
    path: Path, sheet: str | None, encoding: str | None, limits: ImportLimits
) -> tuple[list[tuple[int, list[Any]]], str, set[tuple[int, int]], list[str]]:
    """The numbered rows of the file, how it was read, merged cells across columns, notes."""
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet, limits)
    if suffix == ".xls":
        raise UsageError(f"{path.name}: the old .xls format is not read; save it as .xlsx or CSV")
    if suffix in CSV_SUFFIXES or not suffix:
        if sheet:
            raise UsageError("--sheet applies to Excel workbooks only")
        grid, how = _read_csv(path, encoding, limits)
        return grid, how, set(), []
    raise UsageError(f"{path.name}: expected a .csv, .tsv or .xlsx file")


def _sheet_row(number: int, cells: list[Any], headers: Sequence[str]) -> SheetRow | None:
    """A data row cut to the headers, cells stripped; None for a blank row."""
    if all(_blank(c) for c in cells):
        return None
    extra = [c for c in cells[len(headers) :] if not _blank(c)]
    problems = []
    if extra:
        problems.append(
            SheetMessage(
                f"{len(extra)} value(s) beyond the last column "
                f"({column_letter(len(headers) - 1)}); is a separator inside an unquoted "
                "value?",
                number,
            )
        )
    cells = list(cells[: len(headers)]) + [None] * (len(headers) - len(cells))
    cells = [c.strip() if isinstance(c, str) else c for c in cells]
    return SheetRow(number, cells, problems)


def _refuse_control_characters(source: str, number: int, headers: Sequence[str]) -> None:
    """KbError for a header holding a control character: every message would print it."""
    for i, header in enumerate(headers):
        found = _control_character(header)
        if found:
            raise KbError(
                f"{source}: row {number}, column {column_letter(i)}: the header contains the "
                f"control character {found}; remove it"
            )


def _control_problems(
    row: SheetRow, headers: Sequence[str], letters: Sequence[str]
) -> list[SheetMessage]:
    """A problem for each cell holding a control character (an entry never stores one)."""
    problems = []
    for i, value in enumerate(row.cells):
        found = _control_character(value) if isinstance(value, str) else None
        if found:
            problems.append(
                SheetMessage(
                    f"the cell contains the control character {found}, which is invisible "
                    "in Excel; remove it",
                    row.number,
                    headers[i],
                    letters[i],
                )
            )
    return problems


# ---------------------------------------------------------------------------------------------
# Cell values


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
    if _blank(value):
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


# ---------------------------------------------------------------------------------------------
# Mapping columns to fields

# Headers PMOs use that are neither our field names nor our export headers.
ALIASES = {
    "title": ("name", "subject", "标题", "名称", "主题"),
    "date": ("date filed", "filed", "日期", "登记日期"),
    "owner": ("author", "responsible", "负责人", "责任人", "填写人"),
    "status": ("state", "状态"),
    "project": ("project name", "项目", "项目名称"),
    "tags": ("keywords", "标签", "关键词"),
    "category": ("knowledge area", "risk category", "类别", "分类", "知识领域"),
    "phase": ("project phase", "阶段"),
    "impact": ("影响", "影响程度"),
    "probability": ("likelihood", "概率", "可能性"),
    "response": ("risk response", "response strategy", "应对", "应对策略"),
    "trigger": ("triggers", "warning signs", "触发条件", "预警信号"),
    "risk_owner": ("风险负责人",),
    "occurred": ("materialized", "是否发生"),
    "source": ("source retrospective", "来源"),
    "id": ("编号",),
    "budget.planned": ("planned budget", "budget", "预算"),
    "budget.actual": ("actual cost", "actual budget", "实际成本"),
    "budget.currency": ("currency", "币种"),
}


@dataclass(frozen=True)
class Target:
    """Where one column goes: a field, a budget part, a body section, or nowhere."""

    kind: str  # field | budget | section | heading | body | derived | ignore
    name: str = ""  # field name, budget part, section key, or the heading to write
    field: str = ""  # the front-matter field it fills (field, budget), for messages

    def describe(self) -> str:
        """How the mapping reads in kb import's summary."""
        return {
            "field": f"{self.name}",
            "budget": f"budget.{self.name}",
            "section": f"body section {self.field or self.name!r}",
            "heading": f"body section {self.name!r}",
            "body": "the whole body",
            "derived": "ignored (derived)",
            "ignore": "ignored",
        }[self.kind]


def _lookup(etype: EntryType) -> dict[str, Target]:
    """Normalized header -> target, from field names, export headers, section headings, aliases."""
    table: dict[str, Target] = {}

    def add(name: str, target: Target) -> None:
        table.setdefault(normalize_header(name), target)

    for f in etype.fields:
        if f.kind == BUDGET:
            continue
        add(f.name, Target("field", f.name, f.name))
    for c in register_columns(etype):
        if c.source == "field":
            target = Target("field", c.name, c.name)
        elif c.source == "budget":
            target = Target("budget", c.name, "budget")
        elif c.source == "derived":
            target = Target("derived", c.key)
        else:
            heading = next(s.en for s in etype.sections if s.key == c.name)
            target = Target("section", c.name, heading)
        add(c.header, target)
        add(c.key, target)
    for s in etype.sections:
        add(s.en, Target("section", s.key, s.en))
        add(s.zh, Target("section", s.key, s.en))
    for name, aliases in ALIASES.items():
        top, _, part = name.partition(".")
        if etype.field(top) is None:
            continue
        target = Target("budget", part, "budget") if part else Target("field", top, top)
        for alias in aliases:
            add(alias, target)
    add("body", Target("body"))
    return table


def _map_target(etype: EntryType, text: str, option: str) -> Target:
    name = text.strip()
    if name in ("", "-"):
        return Target("ignore")
    top, _, part = name.partition(".")
    f = etype.field(top)
    if f is not None and f.kind == BUDGET and part in ("planned", "actual", "currency"):
        return Target("budget", part, top)
    if f is not None and not part:
        return Target("field", f.name, f.name)
    found = _lookup(etype).get(normalize_header(name))
    if found is not None and found.kind != "derived":
        return found
    fields = [x.name for x in etype.fields if x.name != "type"]
    hint = closest(name, fields)
    raise UsageError(
        f"{option}: {etype.name} has no field {name!r}"
        + (f" (did you mean {hint!r}?)" if hint else "")
        + f"; fields: {', '.join(fields)}, budget.planned/actual/currency, body, - (ignore)"
    )


def map_columns(
    headers: Sequence[str], etype: EntryType, maps: Sequence[str]
) -> tuple[list[Target], list[SheetMessage]]:
    """A target for every column, and problems (two columns for one field, bad --map)."""
    explicit: dict[str, Target] = {}
    problems: list[SheetMessage] = []
    by_header = {normalize_header(h): h for h in headers}
    for item in maps:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise UsageError(f'--map {item!r}: expected "Column=field"')
        key = normalize_header(column)
        if key not in by_header:
            hint = closest(column.strip(), headers)
            raise UsageError(
                f"--map {item!r}: no column {column.strip()!r} in the sheet"
                + (f" (did you mean {hint!r}?)" if hint else "")
                + f"; columns: {', '.join(headers)}"
            )
        explicit[key] = _map_target(etype, target, f"--map {item!r}")
    lookup = _lookup(etype)
    targets: list[Target] = []
    for h in headers:
        key = normalize_header(h)
        target = explicit.get(key) or lookup.get(key) or Target("heading", h)
        targets.append(target)
    seen: dict[tuple[str, str], str] = {}
    for h, t in zip(headers, targets, strict=True):
        if t.kind in ("field", "budget", "section", "body"):
            slot = (t.kind, t.name)
            if slot in seen:
                problems.append(
                    SheetMessage(
                        f"columns {seen[slot]!r} and {h!r} both go to {t.describe()}; "
                        f'map one elsewhere with --map "{h}=..." or ignore it with --map "{h}=-"',
                        column=h,
                        field=t.field or None,
                    )
                )
            seen[slot] = h
    return targets, problems


# ---------------------------------------------------------------------------------------------
# Bodies


def replace_section(body: str, headings: Sequence[str], text: str, new_heading: str) -> str:
    """``body`` with the text under the first matching heading replaced (or a new section)."""
    wanted = {h.strip().lower() for h in headings}
    lines = body.split("\n")
    for i, line in enumerate(lines):
        m = HEADING_RE.match(line)
        if m and m.group(2).strip().lower() in wanted:
            level = len(m.group(1))
            end = i + 1
            while end < len(lines):
                n = HEADING_RE.match(lines[end])
                if n and len(n.group(1)) <= level:
                    break
                end += 1
            tail = lines[end:]
            block = [line, "", *text.strip().split("\n")] + ([""] if tail else [])
            return "\n".join(lines[:i] + block + tail)
    return body.rstrip("\n") + f"\n\n## {new_heading}\n\n{text.strip()}\n"


def current_section(body: str, headings: Sequence[str]) -> str:
    """The text of a section as export shows it (template hints removed)."""
    return strip_comments(section_text(body, tuple(headings))).strip()


# ---------------------------------------------------------------------------------------------
# Planning and applying an import


@dataclass
class RowResult:
    """What import does (or would do) with one row."""

    row: int
    action: str  # create | update | unchanged | imported (an entry has its title) | invalid
    entry_id: str = ""
    path: str = ""
    changed: list[str] = field(default_factory=list)
    problems: list[SheetMessage] = field(default_factory=list)
    notes: list[SheetMessage] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict, repr=False)
    body: str = field(default="", repr=False)
    entry: Entry | None = field(default=None, repr=False)
    text: str = field(default="", repr=False)  # an update: the file's new text
    rewritten: bool = False  # an update that rewrote the front matter (comments not kept)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape for ``kb import --json``."""
        return {
            "row": self.row,
            "action": self.action,
            "id": self.entry_id or None,
            "path": self.path or None,
            "changed": self.changed,
            "problems": [p.to_dict() for p in self.problems],
            "notes": [n.to_dict() for n in self.notes],
            "rewritten": self.rewritten,
        }


@dataclass
class ImportPlan:
    """Every row's outcome, the column mapping, and problems with the sheet as a whole."""

    source: str
    how: str
    columns: list[tuple[str, str]]  # (header, what it maps to)
    rows: list[RowResult]
    problems: list[SheetMessage] = field(default_factory=list)  # sheet-wide: block the import
    notes: list[str] = field(default_factory=list)

    @property
    def invalid(self) -> list[RowResult]:
        """Rows that failed validation."""
        return [r for r in self.rows if r.action == "invalid"]

    def counts(self) -> dict[str, int]:
        """How many rows each action has."""
        out = {"create": 0, "update": 0, "unchanged": 0, "imported": 0, "invalid": 0}
        for r in self.rows:
            out[r.action] += 1
        return out


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").strip() == new.strip()
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, dict) and isinstance(new, dict):
        return all(_same(old.get(k), v) for k, v in new.items())
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new
    if isinstance(old, dt.date) and isinstance(new, dt.date):
        return old == new
    if isinstance(old, str) and isinstance(new, dt.date):
        return old.strip() == new.isoformat()
    return old == new


def _fill(meta: dict[str, Any], name: str, value: Any) -> bool:
    """Give ``meta[name]`` the value of a --set where it is blank (budget: part by part)."""
    old = meta.get(name)
    if isinstance(old, dict) and isinstance(value, dict):
        missing = {k: v for k, v in value.items() if old.get(k) in (None, "")}
        if missing:
            meta[name] = {**old, **missing}
        return bool(missing)
    if old in (None, "", []):
        meta[name] = value
        return True
    return False


def _merge_actions(old: Any, new: list[dict[str, Any]]) -> list[Any]:
    """New action items, keeping each old item (and its extra keys) that did not change."""
    if not isinstance(old, list):
        return new
    merged: list[Any] = []
    for i, item in enumerate(new):
        before = old[i] if i < len(old) else None
        if isinstance(before, dict) and _same(
            {**before, "status": before.get("status") or "open"}, item
        ):
            merged.append(before)
        else:
            merged.append(item)
    return merged


def plan_import(
    ws: Workspace,
    entries: Sequence[Entry],
    table: Table,
    etype: EntryType,
    *,
    maps: Sequence[str] = (),
    sets: Mapping[str, Any] | None = None,
    key: str | None = None,
    today: dt.date,
    render: Any = None,
    unreadable_ids: Collection[str] = (),
    progress: Progress | None = None,
) -> ImportPlan:
    """Decide, for every row, what import would create or change; write nothing.

    ``render(meta) -> body`` gives a new entry its body (the type's template). Problems name the
    row and the column; sheet-wide problems (no column for a required field) are named once.
    ``unreadable_ids`` are ids whose files exist but cannot be read: a row that names one is
    refused rather than taken for a new entry, and references to them are not dangling.
    A row to create whose title and project an entry of the type already has is taken as
    imported before (``imported``), so an interrupted import can simply be run again.
    ``progress(phase, done, total)`` is told of every row.
    """
    unreadable_ids = set(unreadable_ids)
    sets = dict(sets or {})
    targets, problems = map_columns(table.headers, etype, maps)
    letters = table.letters
    plan = ImportPlan(
        table.source,
        table.how,
        [(h, t.describe()) for h, t in zip(table.headers, targets, strict=True)],
        [],
        notes=list(table.notes),
    )
    sections = {s.key: s for s in etype.sections}
    key_index: int | None = None
    if key is not None:
        wanted = normalize_header(key)
        matches = [i for i, h in enumerate(table.headers) if normalize_header(h) == wanted]
        if not matches:
            hint = closest(key, table.headers)
            raise UsageError(
                f"--key {key!r}: no such column"
                + (f" (did you mean {hint!r}?)" if hint else "")
                + f"; columns: {', '.join(table.headers)}"
            )
        key_index = matches[0]
        t = targets[key_index]
        if t.kind in ("heading", "section", "body", "ignore", "derived"):
            targets[key_index] = Target("field", EXTERNAL_ID, EXTERNAL_ID)
        elif t.kind == "budget":
            raise UsageError(f"--key {key!r}: a budget column cannot identify a row")
        plan.columns[key_index] = (
            table.headers[key_index],
            targets[key_index].describe() + " (key)",
        )
    key_field = targets[key_index].name if key_index is not None else None
    id_columns = [i for i, t in enumerate(targets) if t.kind == "field" and t.name == "id"]
    if id_columns and key_field != "id":
        plan.notes.append(
            f"column {table.headers[id_columns[0]]!r} ignored: new entries get new ids "
            f"(use --key {table.headers[id_columns[0]]!r} to update the entries it names)"
        )
    derived = [h for h, t in zip(table.headers, targets, strict=True) if t.kind == "derived"]
    if derived:
        plan.notes.append(f"derived columns ignored: {', '.join(derived)}")

    # A required field no column provides and --set does not give: say so once, not per row.
    provided = {t.field for t in targets if t.kind in ("field", "budget")} | set(sets)
    defaults = {"date": today, "status": "draft"}
    missing_everywhere = [
        f.name
        for f in etype.required
        if f.name not in ("id", "type") and f.name not in provided and f.name not in defaults
    ]
    any_new = True
    if key_field == "id":
        # Every row names an existing entry: updates need no full set of columns.
        any_new = any(_blank(r.cells[key_index]) for r in table.rows)  # type: ignore[index]
    if missing_everywhere and any_new:
        for name in missing_everywhere:
            f = etype.field(name)
            hint = f" ({', '.join(f.choices)})" if f and f.choices else ""
            problems.append(
                SheetMessage(
                    f"no column for the required field {name}{hint}: add one, name one with "
                    f'--map "Column={name}", or give every row a value with --set {name}=...',
                    field=name,
                )
            )

    existing_ids = {  # id -> canonical type name ('' when the type is unknown)
        e.id: (t.name if (t := ws.schema.get(e.type)) else "") for e in entries if e.id
    }
    same_type = [e for e in entries if (t := ws.schema.get(e.type)) and t.name == etype.name]
    by_key = _index_by(same_type, key_field) if key_field else {}
    seen_keys: dict[str, int] = {}
    hints = _ReferenceHints(existing_ids)
    field_columns: dict[str, int] = {}
    for i, t in enumerate(targets):
        if t.kind in ("field", "budget"):
            field_columns.setdefault(t.field, i)

    for done, row in enumerate(table.rows, start=1):
        if progress is not None:
            progress("checking", done, len(table.rows))
        result = RowResult(row.number, "invalid", problems=list(row.problems))
        plan.rows.append(result)

        found: list[tuple[int, SheetMessage]] = []  # (column index, problem), sorted below
        bad: set[str] = set()  # fields whose cell could not be read: no second message

        def message(
            i: int | None, text: str, name: str | None = None, number: int = row.number
        ) -> SheetMessage:
            if i is None:
                return SheetMessage(text, number, field=name)
            return SheetMessage(
                text, number, table.headers[i], letters[i], name or targets[i].field or None
            )

        def add(i: int | None, text: str, name: str | None = None, found: list = found) -> None:
            found.append((len(targets) if i is None else i, message(i, text, name)))

        values: dict[str, Any] = {}
        texts: list[tuple[Target, int, str]] = []
        blanks: list[tuple[Target, int]] = []  # blank cells: an update leaves their field alone
        for i, (t, raw) in enumerate(zip(targets, row.cells, strict=True)):
            if t.kind in ("ignore", "derived"):
                continue
            if _blank(raw) and not (t.kind == "field" and t.name in ("id", "type")):
                blanks.append((t, i))
            if t.kind == "field":
                if t.name == "type":
                    named = ws.schema.get(str(raw)) if not _blank(raw) else None
                    if not _blank(raw) and (named is None or named.name != etype.name):
                        add(
                            i,
                            f"type {raw!r} is not a {etype.name}; "
                            "import each type separately with --type",
                        )
                    continue
                if t.name == "id" and key_field != "id":
                    continue
                f = etype.field(t.name) or Field(t.name, "text")
                try:
                    value = from_cell(f, raw)
                except CellError as exc:
                    add(i, f"{t.name}: {exc}")
                    bad.add(t.name)
                    continue
                if value not in (None, "", []):
                    values[t.name] = value
            elif t.kind == "budget":
                if _blank(raw):
                    continue
                try:
                    part = (
                        cell_text(raw).strip().upper()
                        if t.name == "currency"
                        else parse_number(raw)
                    )
                except CellError as exc:
                    add(i, f"budget.{t.name}: {exc}")
                    bad.add("budget")
                    continue
                values.setdefault("budget", {})[t.name] = part
            elif not _blank(raw):
                texts.append((t, i, cell_text(raw).replace("\r\n", "\n").strip()))

        # Which entry the row updates, if any.
        target_entry: Entry | None = None
        if key_index is not None:
            raw_key = row.cells[key_index]
            key_value = values.get(key_field) if key_field else None
            key_text = cell_text(key_value).strip()
            if key_text:
                if key_text.casefold() in seen_keys:
                    add(
                        key_index,
                        f"duplicate key {key_text!r}, also on row {seen_keys[key_text.casefold()]}",
                    )
                else:
                    seen_keys[key_text.casefold()] = row.number
                matches = by_key.get(key_text, [])
                if len(matches) > 1:
                    ids = ", ".join(e.id or e.relpath for e in matches)
                    add(
                        key_index,
                        f"{key_text!r} matches {len(matches)} entries ({ids}); "
                        "choose a column that identifies one",
                    )
                elif matches:
                    target_entry = matches[0]
                elif key_field == "id" and key_text in unreadable_ids:
                    add(
                        key_index,
                        f"{key_text} exists but cannot be read: fix it first (kb check)",
                    )
                elif key_field == "id":
                    add(
                        key_index,
                        f"there is no {etype.name} {key_text}; "
                        "leave the cell blank to create a new entry",
                    )
            elif key_field != "id" and _blank(raw_key):
                add(key_index, "the key is blank; every row needs one")
        values.pop("id", None)

        if target_entry is not None:
            _plan_update(result, target_entry, values, texts, sets, etype, sections)
            name = target_entry.id or target_entry.relpath
            for i, what in _left_unchanged(target_entry, blanks, sections):
                result.notes.append(message(i, f"blank cell left {name} {what} unchanged"))
        else:
            _plan_create(result, values, sets, defaults, etype)

        # Schema problems, named by the column that gave the value.
        if result.action in ("create", "update"):
            check = dict(result.meta)
            check.setdefault("id", "X-0000")
            for issue in validate_fields(etype, check):
                if issue.level != "error" or issue.field == "id" or issue.field in bad:
                    continue
                if result.action == "update" and issue.field not in result.changed:
                    continue  # an old problem the sheet does not touch; `kb check` reports it
                if issue.code == "missing" and issue.field in missing_everywhere:
                    continue
                i = field_columns.get(issue.field)
                if issue.field in sets and issue.field not in values:
                    add(None, f"--set {issue.message}", issue.field)
                elif issue.code == "missing" and i is not None:
                    add(i, f"{issue.field}: required, but the cell is empty", issue.field)
                else:
                    add(i, issue.message, issue.field)
            for f in etype.reference_fields:
                name = f.name
                if result.action == "update" and name not in result.changed:
                    continue
                value = result.meta.get(name)
                for ref in value if isinstance(value, list) else [value]:
                    if not isinstance(ref, str) or not ref or ref in unreadable_ids:
                        continue  # an unreadable file's id: `kb check` reports that file
                    kind = existing_ids.get(ref)
                    if kind is None:
                        hint = hints.get(ref, f.ref_type)
                        text = f"{name}: {ref} does not exist" + (
                            f" (did you mean {hint}?)" if hint else ""
                        )
                        if name in sets and name not in values:
                            # From --set: the same for every row, so said once for the sheet.
                            if all(p.message != f"--set {text}" for p in problems):
                                problems.append(SheetMessage(f"--set {text}", field=name))
                        else:
                            add(field_columns.get(name), text, name)
                    elif f.ref_type and kind != f.ref_type:
                        # A warning in `kb check` too: noted, not refused.
                        result.notes.append(
                            message(
                                field_columns.get(name),
                                f"{name}: {ref} is a {kind or 'entry'}, expected a {f.ref_type}",
                                name,
                            )
                        )
        result.problems += [m for _, m in sorted(found, key=lambda x: x[0])]
        # A sheet-wide problem already blocks the import: rendering a template from a row that
        # lacks required fields would only add confusing template errors.
        if result.action == "create" and not result.problems and not problems:
            try:
                result.body = _new_body(result.meta, texts, sections, render)
            except KbError as exc:
                result.problems.append(message(None, str(exc)))
        if result.action == "update" and not result.problems and result.entry is not None:
            try:
                old_text = decode(result.entry.path.read_bytes())
            except (OSError, FrontMatterError) as exc:
                reason = exc.message if isinstance(exc, FrontMatterError) else exc.strerror
                result.problems.append(message(None, f"{result.path}: cannot read: {reason}"))
            else:
                result.text, result.rewritten = updated_text(
                    result.entry, old_text, result.meta, result.body, etype
                )
        if result.problems:
            result.action = "invalid"
    plan.problems = problems
    _mark_imported(plan, same_type)
    _refuse_oversized(plan, ws)
    return plan


# ---------------------------------------------------------------------------------------------
# Rows already imported, and entries too large


def title_key(title: Any, project: Any) -> tuple[str, str]:
    """What identifies a row an import creates: its title and project, compared ignoring case
    and runs of spaces. `kb check` warns about two entries of a type with the same."""
    return _folded(title), _folded(project)


def _folded(value: Any) -> str:
    return " ".join(unicodedata.normalize("NFKC", cell_text(value)).split()).casefold()


def _filing_order(entry: Entry) -> tuple[int, str]:
    m = re.search(r"-(\d+)$", entry.id)
    return (int(m.group(1)) if m else 1 << 62, entry.relpath)


def _mark_imported(plan: ImportPlan, entries: Sequence[Entry]) -> None:
    """Rows to create whose entry exists already (same title and project) become ``imported``.

    This is what makes an interrupted import repeatable: run again, it creates only the rows
    that are missing. The n-th row of a sheet with one title and project is matched with the
    n-th entry that has them, in the order of their ids, which is the order an import writes
    them in: a sheet's own two rows of one title stay two entries.
    """
    existing: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in sorted(entries, key=_filing_order):
        title = e.meta.get("title")
        if title not in (None, ""):
            existing[title_key(title, e.meta.get("project"))].append(e)
    taken: Counter[tuple[str, str]] = Counter()
    for r in plan.rows:
        if r.action != "create":
            continue
        key = title_key(r.meta.get("title"), r.meta.get("project"))
        matches = existing.get(key, [])
        if taken[key] < len(matches):
            entry = matches[taken[key]]
            taken[key] += 1
            r.action, r.entry_id, r.path = "imported", entry.id, entry.relpath
            r.changed, r.body = [], ""


def _entry_size(meta: Mapping[str, Any], body: str) -> int:
    """Bytes of a new entry's file; estimated from its text, written out only when it may be
    near a limit (YAML adds quotes and indentation, never four times the text)."""
    from kb.entry import dumps

    rough = len(body.encode("utf-8")) + sum(
        len(cell_text(v).encode("utf-8")) + 64 for v in meta.values()
    )
    return rough if rough < 64 * 1024 else len(dumps(dict(meta), body).encode("utf-8"))


def _refuse_oversized(plan: ImportPlan, ws: Workspace) -> None:
    """Rows whose entry would be over ``max_entry_kb`` become invalid: `kb check` would refuse
    the file, and the site would not publish it."""
    limit = ws.settings.max_entry_kb * 1024
    for r in plan.rows:
        if r.action == "create":
            size = _entry_size(r.meta, r.body)
        elif r.action == "update" and r.text:
            size = len(r.text.encode("utf-8"))
        else:
            continue
        if size > limit:
            r.problems.append(
                SheetMessage(
                    f"the entry would be {size / 1_048_576:,.1f} MB, over the "
                    f"{limit // 1024:,} KB limit for an entry (setting max_entry_kb); shorten "
                    "its longest cells",
                    r.row,
                )
            )
            r.action = "invalid"


def _index_by(entries: Sequence[Entry], name: str) -> dict[str, list[Entry]]:
    """Entries by the text of one field, for --key: one pass, not one per row."""
    index: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        text = cell_text(e.meta.get(name)).strip()
        if text:
            index[text].append(e)
    return index


class _ReferenceHints:
    """'Did you mean' for ids that do not exist, each looked for once.

    A sheet naming one missing id on every row costs one search. Past ``limit`` different
    missing ids, no more are suggested: a search compares with every id of the workspace.
    """

    def __init__(self, existing_ids: Mapping[str, str], limit: int = 100) -> None:
        self._ids = existing_ids
        self._limit = limit
        self._candidates: dict[str, list[str]] = {}
        self._hints: dict[tuple[str, str], str | None] = {}

    def get(self, ref: str, ref_type: str) -> str | None:
        """The existing id closest to ``ref`` (of type ``ref_type``, when one is given)."""
        key = (ref, ref_type)
        if key not in self._hints:
            if len(self._hints) >= self._limit:
                return None
            if ref_type not in self._candidates:
                self._candidates[ref_type] = sorted(
                    x for x, kind in self._ids.items() if not ref_type or kind == ref_type
                )
            self._hints[key] = closest(ref, self._candidates[ref_type])
        return self._hints[key]


def _section_headings(t: Target, sections: Mapping[str, Any]) -> tuple[tuple[str, ...], str]:
    if t.kind == "section":
        s = sections[t.name]
        return s.headings(), s.en
    return (t.name,), t.name


def _left_unchanged(
    entry: Entry, blanks: Sequence[tuple[Target, int]], sections: Mapping[str, Any]
) -> list[tuple[int, str]]:
    """The blank cells whose field or section the entry has a value for: (column, what)."""
    found = []
    for t, i in blanks:
        old: Any
        if t.kind == "field":
            old, what = entry.meta.get(t.name), t.name
        elif t.kind == "budget":
            budget = entry.meta.get("budget")
            old = budget.get(t.name) if isinstance(budget, dict) else None
            what = f"budget.{t.name}"
        elif t.kind == "body":
            old, what = strip_comments(entry.body).strip(), "body"
        else:
            headings, heading = _section_headings(t, sections)
            old, what = current_section(entry.body, headings), f"section {heading!r}"
        if old not in (None, "", []):
            found.append((i, what))
    return found


def _plan_update(
    result: RowResult,
    entry: Entry,
    values: dict[str, Any],
    texts: list[tuple[Target, int, str]],
    sets: Mapping[str, Any],
    etype: EntryType,
    sections: Mapping[str, Any],
) -> None:
    meta = dict(entry.meta)
    changed: list[str] = []
    for name, value in values.items():
        old = meta.get(name)
        if name == "budget":
            base = dict(old) if isinstance(old, dict) else {}
            value = {**base, **value}
        if name == "actions":
            value = _merge_actions(old, value)
        if not _same(old, value) or (isinstance(old, dict) and set(value) - set(old)):
            meta[name] = value
            changed.append(name)
    for name, value in sets.items():
        if _fill(meta, name, value):
            changed.append(name)
    body = entry.body
    for t, _, text in texts:
        if t.kind == "body":
            if body.strip() != text.strip():
                body = text + "\n"
                changed.append("body")
            continue
        headings, heading = _section_headings(t, sections)
        if current_section(body, headings) != text:
            body = replace_section(body, headings, text, heading)
            changed.append(f"section {heading!r}")
    result.entry = entry
    result.entry_id = entry.id
    result.path = entry.relpath
    result.meta = meta
    result.body = body
    result.changed = changed
    result.action = "update" if changed else "unchanged"


def _plan_create(
    result: RowResult,
    values: dict[str, Any],
    sets: Mapping[str, Any],
    defaults: Mapping[str, Any],
    etype: EntryType,
) -> None:
    from kb.scaffold import ordered_meta

    merged = {"type": etype.name, **values}
    for name, value in {**defaults, **sets}.items():
        _fill(merged, name, value)
    result.meta = ordered_meta(etype, merged)
    result.changed = sorted(result.meta)
    result.action = "create"


def _new_body(
    meta: dict[str, Any],
    texts: list[tuple[Target, int, str]],
    sections: Mapping[str, Any],
    render: Any,
) -> str:
    """A new entry's body: the type's template, with the sheet's text under its headings."""
    whole = [text for t, _, text in texts if t.kind == "body"]
    body = render(meta) if render else f"# {meta.get('title', '')}\n"
    if whole:
        body = whole[-1] + "\n"
    for t, _, text in texts:
        if t.kind != "body":
            headings, heading = _section_headings(t, sections)
            body = replace_section(body, headings, text, heading)
    return body


# ---------------------------------------------------------------------------------------------
# Updating a file in place


def _yaml_lines(name: str, value: Any) -> list[str]:
    """``name: value`` as the front-matter lines the entry writer would give it."""
    from kb.entry import dumps

    lines = dumps({name: value}, "").split("\n")
    close = lines.index("---", 1)
    return lines[1:close]


def _field_extent(lines: Sequence[str], start: int, end: int) -> int:
    """The index after the last line of the top-level field whose key is on line ``start``.

    A value continues on indented lines (block scalars, long plain text); blank lines at its
    end, and what follows at column 0 (the next key, a comment), are not part of it.
    """
    stop = start + 1
    while stop < end and (lines[stop][:1] in (" ", "\t") or not lines[stop].strip()):
        stop += 1
    while stop > start + 1 and not lines[stop - 1].strip():
        stop -= 1
    return stop


def _is_structured(value: Any) -> bool:
    return isinstance(value, (list, dict))


def updated_text(
    entry: Entry, text: str, meta: Mapping[str, Any], body: str, etype: EntryType
) -> tuple[str, bool]:
    """The entry's file with ``meta`` and ``body``, and True when its front matter was rewritten.

    Top-level scalar fields that change are edited on their own lines, so the YAML comments,
    key order and quoting of everything else survive (a comment after the value on the same
    line too). A changed list or mapping (tags, budget, actions) cannot be edited that way: the
    front matter is then written anew from ``meta``. Every in-place edit is checked by parsing
    the result; anything that would not read back as ``meta`` falls back to rewriting too.
    """
    from kb.entry import FrontMatterError, dumps, parse
    from kb.scaffold import ordered_meta

    changed = [k for k in meta if k not in entry.meta or not _same_value(entry.meta[k], meta[k])]
    lines = text.split("\n")
    head, tail = lines[: entry.body_line - 1], lines[entry.body_line - 1 :]
    if body != entry.body:
        while head and not head[-1].strip():
            head.pop()
        tail = ["", *body.rstrip("\n").split("\n"), ""]
    end = next((i for i in range(1, len(head)) if re.match(r"^(---|\.\.\.)\s*$", head[i])), None)
    structured = any(_is_structured(entry.meta.get(k)) or _is_structured(meta[k]) for k in changed)
    if end is not None and not structured and not set(entry.meta) - set(meta):
        edits: list[tuple[int, int, list[str]]] = []  # (from, to, new lines), in head
        order = list(ordered_meta(etype, dict(meta)))
        for name in changed:
            new = _yaml_lines(name, meta[name])
            if name in entry.meta:
                start = entry.line_of(name) - 1
                if not 0 < start < end:
                    break
                stop = _field_extent(head, start, end)
                comment = re.search(r"\s+#[^'\"]*$", head[start]) if stop == start + 1 else None
                if comment and len(new) == 1:
                    new = [new[0] + comment.group(0)]
                edits.append((start, stop, new))
            else:  # a field the entry lacks: after the field before it in the schema's order
                before = [k for k in order[: order.index(name)] if k in entry.meta]
                at = end
                if before:
                    start = entry.line_of(before[-1]) - 1
                    at = _field_extent(head, start, end) if 0 < start < end else end
                edits.append((at, at, new))
        else:
            edited = list(head)
            for start, stop, new in sorted(edits, key=lambda e: e[0], reverse=True):
                edited[start:stop] = new
            candidate = "\n".join(edited + tail)
            try:
                if parse(candidate, entry.path, entry.relpath).meta == dict(meta):
                    return candidate, False
            except FrontMatterError:
                pass
    if not changed:
        return "\n".join(head + tail), False
    new_meta = dict(meta)
    if set(meta) - set(entry.meta):
        new_meta = ordered_meta(etype, new_meta)  # a new field goes to its place in the schema
    return dumps(new_meta, body), True


def _same_value(old: Any, new: Any) -> bool:
    """Equal as YAML stores them: ``true`` is not the number 1."""
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return old == new


def apply_plan(
    ws: Workspace, etype: EntryType, plan: ImportPlan, progress: Progress | None = None
) -> None:
    """Write the rows the plan creates or updates; invalid and unchanged rows are left alone.

    Every file is written whole to a temporary file and renamed into place, so a crash leaves
    each entry either complete or absent; running the import again creates the missing ones
    (see ``_mark_imported``). ``progress(phase, done, total)`` is told of every file written.
    """
    from kb.store import write_atomic

    updates = [r for r in plan.rows if r.action == "update" and r.entry is not None]
    creates = [r for r in plan.rows if r.action == "create"]
    total = len(updates) + len(creates)

    def tick(done: int) -> None:
        if progress is not None:
            progress("writing", done, total)

    for done, r in enumerate(updates, start=1):
        write_atomic(r.entry.path, r.text, overwrite=True)  # type: ignore[union-attr]
        tick(done)
    _create_entries(ws, etype, creates, lambda done: tick(len(updates) + done))


# How long an import holds the id lock at a time: `kb new` meanwhile waits at most about this.
_LOCK_HOLD_SECONDS = 0.5


def _create_entries(
    ws: Workspace, etype: EntryType, rows: Sequence[RowResult], tick: Callable[[int], None]
) -> None:
    """Give each row the next free id of ``etype`` and write its entry, in order.

    ``kb.store.create_entry`` looks for the highest id in the folder for every entry, which
    makes a bulk import quadratic in the size of the workspace. Here the folder is read once
    per batch: each batch holds the id lock, reads the highest id, and writes entries for
    about half a second (longer when reading the folder took a while), so a `kb new` run
    meanwhile waits at most that long and still gets an id of its own.
    """
    from kb.store import used_numbers, workspace_lock

    done = 0
    first = True
    while done < len(rows) or first:
        with workspace_lock(ws, "ids"):
            started = time.monotonic()
            if first:
                _remove_stale_temporaries(ws, etype)
                first = False
            number = max(used_numbers(ws, etype), default=0)
            hold = max(_LOCK_HOLD_SECONDS, 20 * (time.monotonic() - started))
            while done < len(rows) and time.monotonic() - started < hold:
                number += 1
                _write_new_entry(ws, etype, number, rows[done])
                done += 1
                tick(done)


def _write_new_entry(ws: Workspace, etype: EntryType, number: int, row: RowResult) -> None:
    """Write the row's entry with id ``number``, as ``kb.store.create_entry`` would."""
    from kb.entry import dumps
    from kb.store import entry_path, format_id, write_atomic

    entry_id = format_id(etype, number)
    meta = {"id": entry_id, **{k: v for k, v in row.meta.items() if k != "id"}}
    path = entry_path(ws, etype, entry_id, str(meta.get("title", "")))
    write_atomic(path, dumps(meta, row.body), overwrite=False)
    row.entry_id, row.path = entry_id, ws.relpath(path)


# ``kb.store.write_atomic`` writes ``.NAME.XXXXXXXX.tmp`` next to ``NAME`` and renames it.
_TEMPORARY = re.compile(r"^\.(?P<name>.+\.md)\.[A-Za-z0-9_]+\.tmp$")


def _remove_stale_temporaries(ws: Workspace, etype: EntryType) -> list[str]:
    """Remove the temporary files a killed import (or `kb new`) left in the type's folder.

    Called with the id lock held, when no new entry can be half written: a temporary file
    whose entry does not exist was never renamed into place, and one that is the entry's own
    other name was renamed but not yet removed. Any other (an update in progress, perhaps) is
    left alone. Returns the names removed.
    """
    folder = ws.docs_dir / ws.section_dir(etype.name)
    real = os.path.realpath(folder)
    root = os.path.realpath(ws.root)
    if not real.startswith(root + os.sep) or not os.path.isdir(real):
        return []  # a type folder outside the workspace is no place to delete files
    removed = []
    with os.scandir(real) as items:
        for item in items:
            m = _TEMPORARY.match(item.name)
            if not m or not item.is_file(follow_symlinks=False):
                continue
            target = os.path.join(real, m.group("name"))
            try:
                if not os.path.lexists(target) or os.path.samefile(item.path, target):
                    os.unlink(item.path)
                    removed.append(item.name)
            except OSError:
                continue
    return removed


def import_table(
    ws: Workspace,
    entries: Sequence[Entry],
    table: Table,
    etype: EntryType,
    *,
    maps: Sequence[str] = (),
    sets: Mapping[str, Any] | None = None,
    key: str | None = None,
    today: dt.date,
    render: Any = None,
    unreadable_ids: Collection[str] = (),
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportPlan:
    """Plan the import of ``table``; write it unless ``dry_run``, or when any row is invalid and
    ``skip_invalid`` is not given. The caller reports ``plan.invalid`` and ``plan.problems``.
    ``progress(phase, done, total)`` hears of each row checked and each file written."""
    plan = plan_import(
        ws,
        entries,
        table,
        etype,
        maps=maps,
        sets=sets,
        key=key,
        today=today,
        render=render,
        unreadable_ids=unreadable_ids,
        progress=progress,
    )
    if dry_run or plan.problems or (plan.invalid and not skip_invalid):
        return plan
    apply_plan(ws, etype, plan, progress)
    return plan

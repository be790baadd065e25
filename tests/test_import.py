"""kb import: CSV and Excel in, validated rows out; export -> import changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from kb.entry import parse
from kb.tabular import CellError, parse_date, parse_number

GOLDEN = Path(__file__).parent / "golden" / "registers"
TODAY = "2024-10-15"

RISK_HEADER = "Title,Category,Probability,Impact,Trigger,Response,Occurred,Owner,Notes\n"


@pytest.fixture
def golden_ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(GOLDEN / "workspace", tmp_path / "golden"))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every entry file's bytes, to prove an import wrote nothing (or exactly what it should)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "docs").rglob("*.md"))
    }


def entries_in(root: Path, folder: str):
    return [
        parse(p.read_text("utf-8"), p, p.name)
        for p in sorted((root / "docs" / folder).glob("*.md"))
        if p.name != "index.md"
    ]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------------------------------------
# Round trip


@pytest.mark.parametrize("type_name", ["retrospective", "lesson", "risk", "sop"])
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(run, golden_ws, tmp_path, type_name, suffix):
    sheet = tmp_path / f"register.{suffix}"
    exported = run(golden_ws, "export", "--type", type_name, "-o", str(sheet), "--today", TODAY)
    assert exported.exit_code == 0, exported.output
    before = snapshot(golden_ws)
    result = run(golden_ws, "import", str(sheet), "--type", type_name, "--key", "ID", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"]["unchanged"] == len(data["rows"]) > 0, data
    assert data["counts"]["update"] == data["counts"]["create"] == 0
    assert snapshot(golden_ws) == before


def test_an_edited_export_updates_only_what_changed(run, golden_ws, tmp_path):
    sheet = tmp_path / "risks.csv"
    run(golden_ws, "export", "--type", "risk", "-o", str(sheet))
    text = sheet.read_text("utf-8-sig").replace(",2,4,8,", ",3,4,12,")  # RISK-0002 probability
    text = text.replace("It occurred.", "It occurred twice.")
    sheet.write_text(text, encoding="utf-8")
    before = snapshot(golden_ws)
    result = run(golden_ws, "import", str(sheet), "--type", "risk", "--key", "ID")
    assert result.exit_code == 0, result.output
    assert "row 2: updated RISK-0001 (section 'What happened')" in result.stdout
    assert "row 3: updated RISK-0002 (probability)" in result.stdout
    after = snapshot(golden_ws)
    changed = [k for k in after if after[k] != before[k]]
    assert changed == [
        "docs/risks/RISK-0001-migration-data-quality.md",
        "docs/risks/RISK-0002-vendor-delivery.md",
    ]
    risk1, risk2 = entries_in(golden_ws, "risks")
    assert risk2.meta["probability"] == 3
    assert risk1.section("What happened") == "It occurred twice."
    assert risk1.section("Response") == "Two extra rehearsals; a data owner per object."
    # Re-importing the same sheet is now a no-op.
    again = run(golden_ws, "import", str(sheet), "--type", "risk", "--key", "ID")
    assert "0 created, 0 updated, 2 unchanged" in again.stderr


def test_new_rows_in_an_export_are_created_with_new_ids(run, golden_ws, tmp_path):
    sheet = tmp_path / "lessons.csv"
    run(golden_ws, "export", "--type", "lesson", "-o", str(sheet))
    text = sheet.read_text("utf-8-sig")
    text += ",Name a data owner per object,,quality,planning,negative,RETRO-0001,,,,,,Ann,,,,,\n"
    sheet.write_text(text, encoding="utf-8")
    result = run(golden_ws, "import", str(sheet), "--type", "lesson", "--key", "ID")
    assert result.exit_code == 0, result.output
    assert "row 5: created LL-0004 docs/lessons/LL-0004-name-a-data-owner-per-object.md" in (
        result.stdout
    )


def test_an_id_that_does_not_exist_is_an_error(run, golden_ws, tmp_path):
    sheet = write(tmp_path, "l.csv", "ID,Title\nLL-0042,Ghost\n")
    result = run(golden_ws, "import", str(sheet), "--type", "lesson", "--key", "ID")
    assert result.exit_code == 1
    assert 'row 2, column "ID" (A): there is no Lesson learned LL-0042' in result.stderr


# ---------------------------------------------------------------------------------------------
# Creating entries from a sheet


def test_import_csv_creates_entries(run, workspace, tmp_path):
    root = workspace()
    sheet = write(
        tmp_path,
        "risks.csv",
        RISK_HEADER
        + 'Vendor late,vendor,3,4,"No reply to the PO",Mitigate,No,Ann,"Chase weekly\nby phone"\n'
        + "Key user leaves,Resource,2,5,Resignation rumours,accept,yes,Bob,\n",
    )
    result = run(root, "import", str(sheet), "--type", "risk", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "row 2: created RISK-0001 docs/risks/RISK-0001-vendor-late.md" in result.stdout
    assert "row 3: created RISK-0002" in result.stdout
    assert "2 created, 0 updated, 0 unchanged, 0 skipped" in result.stderr
    assert "Notes -> body section 'Notes'" in result.stderr
    first, second = entries_in(root, "risks")
    assert first.meta == {
        "id": "RISK-0001",
        "type": "risk",
        "title": "Vendor late",
        "date": dt.date(2024, 10, 15),
        "owner": "Ann",
        "status": "draft",
        "category": "vendor",
        "probability": 3,
        "impact": 4,
        "trigger": "No reply to the PO",
        "response": "mitigate",
        "occurred": False,
    }
    # The body comes from the template, with the unmapped column as a section of its own.
    assert "## Risk description" in first.body
    assert first.section("Notes") == "Chase weekly\nby phone"
    assert second.meta["category"] == "resource" and second.meta["occurred"] is True
    check = run(root, "check")
    assert check.exit_code == 0, check.output


def test_invalid_rows_write_nothing_and_name_row_and_column(run, workspace, tmp_path):
    root = workspace()
    sheet = write(
        tmp_path,
        "risks.csv",
        RISK_HEADER
        + "Good one,vendor,3,4,t,mitigate,no,Ann,\n"
        + "Bad one,sceduling,6,4,t,hope,maybe,Ann,\n"
        + ",vendor,1,1,t,accept,no,,\n",
    )
    result = run(root, "import", str(sheet), "--type", "risk")
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert (
        "error: risks.csv: row 3, column \"Category\" (B): category: 'sceduling' is not an "
        "allowed value; allowed: technical, requirements, schedule, cost, resource, vendor, data, "
        "stakeholder, quality, regulatory, safety, external (did you mean 'schedule'?)"
    ) in err
    row3 = 'error: risks.csv: row 3, column "'
    assert f'{row3}Probability" (C): probability: 6 is out of range; expected from 1 to 5' in err
    assert (
        f"{row3}Response\" (F): response: 'hope' is not an allowed value; allowed: avoid, "
        "mitigate, transfer, accept, escalate, exploit, share, enhance" in err
    )
    assert f"{row3}Occurred\" (G): occurred: expected yes or no, found 'maybe'" in err
    assert (
        'error: risks.csv: row 4, column "Title" (A): title: required, but the cell is empty' in err
    )
    assert (
        'error: risks.csv: row 4, column "Owner" (H): owner: required, but the cell is empty' in err
    )
    assert err[-1].startswith("error: nothing was written")
    assert "Traceback" not in result.output
    assert snapshot(root) == {}


def test_skip_invalid_imports_the_good_rows(run, workspace, tmp_path):
    root = workspace()
    sheet = write(
        tmp_path,
        "risks.csv",
        RISK_HEADER
        + "Good one,vendor,3,4,t,mitigate,no,Ann,\nBad one,vendor,9,4,t,mitigate,no,Ann,\n",
    )
    result = run(root, "import", str(sheet), "--type", "risk", "--skip-invalid", "--json")
    assert result.exit_code == 1, result.output  # rows were skipped: a script must notice
    data = json.loads(result.stdout)
    assert data["counts"] == {
        "create": 1,
        "update": 0,
        "unchanged": 0,
        "imported": 0,
        "invalid": 1,
    }
    assert data["written"] is True
    problem = {
        "row": 3,
        "column": "Probability",
        "field": "probability",
        "message": "probability: 9 is out of range; expected from 1 to 5",
    }
    assert data["rows"][1]["problems"] == [problem]
    assert data["problems"] == [problem]
    assert [e.title for e in entries_in(root, "risks")] == ["Good one"]


def test_skip_invalid_exits_1_when_rows_were_skipped(run, workspace, tmp_path):
    root = workspace()
    sheet = write(
        tmp_path,
        "risks.csv",
        RISK_HEADER
        + "Good one,vendor,3,4,t,mitigate,no,Ann,\nBad one,vendor,9,4,t,mitigate,no,Ann,\n",
    )
    result = run(root, "import", str(sheet), "--type", "risk", "--skip-invalid")
    assert result.exit_code == 1, result.output
    assert "row 2: created RISK-0001" in result.stdout
    assert 'skipped risks.csv: row 3, column "Probability" (C): probability: 9' in result.stderr
    assert "1 created, 0 updated, 0 unchanged, 1 skipped" in result.stderr
    assert [e.title for e in entries_in(root, "risks")] == ["Good one"]
    # Nothing skipped: exit 0.
    good = write(tmp_path, "good.csv", RISK_HEADER + "Another,vendor,3,4,t,mitigate,no,Ann,\n")
    assert run(root, "import", str(good), "--type", "risk", "--skip-invalid").exit_code == 0


def test_dry_run_writes_nothing(run, workspace, tmp_path):
    root = workspace()
    sheet = write(tmp_path, "risks.csv", RISK_HEADER + "Good one,vendor,3,4,t,mitigate,no,Ann,\n")
    result = run(root, "import", str(sheet), "--type", "risk", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "row 2: would create Risk case 'Good one'" in result.stdout
    assert "Title -> title" in result.stderr  # the whole mapping is shown on a dry run
    assert "(dry run: nothing written)" in result.stderr
    assert snapshot(root) == {}


def test_map_set_and_missing_columns(run, golden_ws, tmp_path):
    sheet = write(
        tmp_path,
        "lessons.csv",
        "Lesson title,Area,When,Effect,Lesson,Internal ref\n"
        "Freeze scope at gate 2,Scope,Planning,Negative,Late changes cost us a month,X-1\n",
    )
    missing = run(golden_ws, "import", str(sheet), "--type", "lesson")
    assert missing.exit_code == 1
    assert (
        "error: lessons.csv: no column for the required field title: add one, name one with "
        '--map "Column=title", or give every row a value with --set title=...'
    ) in missing.stderr
    args = [
        "import",
        str(sheet),
        "--type",
        "lesson",
        "--map",
        "lesson title=title",
        "--map",
        "Area=category",
        "--map",
        "When=phase",
        "--map",
        "Effect=impact",
        "--map",
        "Internal ref=-",
        "--set",
        "owner=PMO",
        "--set",
        "source=RETRO-0001",
        "--set",
        "tags=scope,gates",
    ]
    result = run(golden_ws, *args)
    assert result.exit_code == 0, result.output
    (new,) = [e for e in entries_in(golden_ws, "lessons") if e.id == "LL-0004"]
    assert new.meta["category"] == "scope" and new.meta["phase"] == "planning"
    assert new.meta["owner"] == "PMO" and new.meta["tags"] == ["scope", "gates"]
    assert new.meta["source"] == "RETRO-0001"
    assert new.section("Lesson") == "Late changes cost us a month"  # a known section heading
    assert "Internal ref" not in new.body


def test_set_does_not_override_the_sheet(run, workspace, tmp_path):
    root = workspace()
    sheet = write(
        tmp_path,
        "r.csv",
        RISK_HEADER + "A,vendor,3,4,t,mitigate,no,Ann,\nB,vendor,3,4,t,mitigate,no,,\n",
    )
    result = run(root, "import", str(sheet), "--type", "risk", "--set", "owner=PMO")
    assert result.exit_code == 0, result.output
    assert [e.meta["owner"] for e in entries_in(root, "risks")] == ["Ann", "PMO"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "Nope=title"], "--map 'Nope=title': no column 'Nope' in the sheet"),
        (["--map", "Notes=catgory"], "risk has no field 'catgory' (did you mean 'category'?)"),
        (["--map", "Notes"], 'expected "Column=field"'),
        (["--key", "Number"], "--key 'Number': no such column"),
        (["--set", "probability=high"], "--set probability: expected a whole number, found 'high'"),
    ],
)
def test_usage_errors(run, workspace, tmp_path, args, message):
    sheet = write(tmp_path, "r.csv", RISK_HEADER + "A,vendor,3,4,t,mitigate,no,Ann,\n")
    result = run(workspace(), "import", str(sheet), "--type", "risk", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_two_columns_for_one_field(run, workspace, tmp_path):
    sheet = write(tmp_path, "r.csv", "Title,Name\nA,B\n")
    result = run(workspace(), "import", str(sheet), "--type", "risk")
    assert result.exit_code == 1
    assert "columns 'Title' and 'Name' both go to title" in result.stderr


def test_dangling_reference_is_an_error(run, golden_ws, tmp_path):
    sheet = write(
        tmp_path,
        "l.csv",
        "Title,Category,Phase,Impact,Owner,Source\nX,scope,planning,negative,Ann,RETRO-0099\n",
    )
    result = run(golden_ws, "import", str(sheet), "--type", "lesson")
    assert result.exit_code == 1
    assert 'row 2, column "Source" (F): source: RETRO-0099 does not exist' in result.stderr


def test_a_type_column_must_agree(run, workspace, tmp_path):
    sheet = write(tmp_path, "r.csv", "Type,Title\nlesson,A\n")
    result = run(workspace(), "import", str(sheet), "--type", "risk", "--set", "owner=x")
    assert "row 2, column \"Type\" (A): type 'lesson' is not a Risk case" in result.stderr


def test_retrospective_actions_and_budget_from_cells(run, workspace, tmp_path):
    root = workspace()
    sheet = write(
        tmp_path,
        "retros.csv",
        "Title,Project,Project Type,Phase,Outcome,Owner,Planned budget,Actual cost,Currency,"
        "Actions\n"
        'ERP,ERP,IT implementation,Whole project,Partially succeeded,Ann,"1,200,000",'
        '"1.410.000,50",eur,"Fix master data | Bob | 2024-12-01 | open\n'
        'Train users | Ann | 2024-11-01"\n',
    )
    result = run(root, "import", str(sheet), "--type", "retro")
    assert result.exit_code == 0, result.output
    (retro,) = entries_in(root, "retrospectives")
    assert retro.meta["project_type"] == "it-implementation"
    assert retro.meta["outcome"] == "partially-succeeded"
    assert retro.meta["budget"] == {"planned": 1200000, "actual": 1410000.5, "currency": "EUR"}
    assert retro.meta["actions"] == [
        {
            "action": "Fix master data",
            "owner": "Bob",
            "due": dt.date(2024, 12, 1),
            "status": "open",
        },
        {"action": "Train users", "owner": "Ann", "due": dt.date(2024, 11, 1), "status": "open"},
    ]


# ---------------------------------------------------------------------------------------------
# --key


def test_key_on_the_sheets_own_number_updates_instead_of_duplicating(run, workspace, tmp_path):
    root = workspace()
    header = "No.,Title,Category,Probability,Impact,Trigger,Response,Occurred,Owner\n"
    sheet = write(tmp_path, "r.csv", header + "R-17,Vendor late,vendor,3,4,t,mitigate,no,Ann\n")
    first = run(root, "import", str(sheet), "--type", "risk", "--key", "No.")
    assert first.exit_code == 0, first.output
    (entry,) = entries_in(root, "risks")
    assert entry.meta["external_id"] == "R-17"
    sheet.write_text(header + "R-17,Vendor late,vendor,4,4,t,mitigate,no,Ann\n", encoding="utf-8")
    second = run(root, "import", str(sheet), "--type", "risk", "--key", "no")
    assert second.exit_code == 0, second.output
    assert "row 2: updated RISK-0001 (probability)" in second.stdout
    (entry,) = entries_in(root, "risks")
    assert entry.meta["probability"] == 4


def test_duplicate_keys_are_reported(run, workspace, tmp_path):
    header = "No.,Title,Category,Probability,Impact,Trigger,Response,Occurred,Owner\n"
    row = "R-1,A,vendor,3,4,t,mitigate,no,Ann\n"
    sheet = write(
        tmp_path,
        "r.csv",
        header + row + row.replace(",A,", ",B,") + ",C,vendor,1,1,t,accept,no,Ann\n",
    )
    result = run(workspace(), "import", str(sheet), "--type", "risk", "--key", "No.")
    assert result.exit_code == 1
    assert "row 3, column \"No.\" (A): duplicate key 'R-1', also on row 2" in result.stderr
    assert 'row 4, column "No." (A): the key is blank; every row needs one' in result.stderr


# ---------------------------------------------------------------------------------------------
# Messy real-world sheets


def test_gbk_semicolons_title_row_blank_rows_and_text_dates(run, workspace, tmp_path):
    text = (
        "风险登记册 2024;;;;;;;;\n"
        "\n"
        "标题;类别;概率;影响;应对策略;是否发生;负责人;日期;触发条件\n"
        "供应商延期交付;vendor;3;4;Mitigate;否;王芳;2024/3/5;交期确认邮件未回复\n"
        ";;;;;;;;\n"
        "数据迁移失败;Data;5;5;avoid;是;李伟;15.03.2024;演练失败\n"
        "测试环境不足;technical;2;3;accept;否;李伟;2024年4月1日;环境申请排队\n"
        ";;;;;;;;\n"
        "\n"
    )
    sheet = write(tmp_path, "风险.csv", text, encoding="gbk")
    root = workspace()
    result = run(root, "import", str(sheet), "--type", "risk")
    assert result.exit_code == 0, result.output
    assert "(GBK, semicolon-separated): 3 rows" in result.stderr
    assert "row 4: created RISK-0001" in result.stdout
    assert "row 6: created RISK-0002" in result.stdout  # numbered as Excel shows the rows
    entries = entries_in(root, "risks")
    assert [e.meta["date"] for e in entries] == [
        dt.date(2024, 3, 5),
        dt.date(2024, 3, 15),
        dt.date(2024, 4, 1),
    ]
    assert entries[0].meta["title"] == "供应商延期交付"
    assert entries[1].meta["occurred"] is True


@pytest.mark.parametrize(
    ("encoding", "sep", "label"),
    [
        ("utf-8-sig", ",", "UTF-8 with BOM, comma"),
        ("utf-8", "\t", "UTF-8, tab"),
        ("utf-8", ";", "UTF-8, semicolon"),
        ("gbk", ",", "GBK, comma"),
    ],
)
def test_encodings_and_separators(run, workspace, tmp_path, encoding, sep, label):
    header = [
        "Title",
        "Category",
        "Probability",
        "Impact",
        "Trigger",
        "Response",
        "Occurred",
        "Owner",
    ]
    row = [
        "数据, 迁移" if sep != "," else "数据迁移",
        "data",
        "3",
        "4",
        "t",
        "mitigate",
        "no",
        "王芳",
    ]
    text = sep.join(header) + "\r\n" + sep.join(row) + "\r\n"
    sheet = write(tmp_path, "r.csv", text, encoding=encoding)
    root = workspace()
    result = run(root, "import", str(sheet), "--type", "risk")
    assert result.exit_code == 0, result.output
    assert f"({label}-separated)" in result.stderr
    (entry,) = entries_in(root, "risks")
    assert entry.meta["owner"] == "王芳"
    assert entry.meta["title"] == row[0]


def test_excel_workbook_with_merged_headers_serial_dates_and_blank_rows(run, workspace, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Retros"
    ws.append(["Retrospective register FY2024"])
    ws.merge_cells("A1:I1")
    ws.append(
        ["Title", "Project", "Project type", "Phase", "Outcome", "Owner", "Budget", None, "Ended"]
    )
    ws.append([None, None, None, None, None, None, "Planned", "Actual", None])
    for col in "ABCDEFI":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("G2:H2")
    ws.append(
        [
            "Go-live",
            "ERP",
            "it-implementation",
            "whole-project",
            "failed",
            "Ann",
            100,
            130,
            dt.datetime(2024, 3, 1),
        ]
    )
    ws.append(
        ["Line 3", "Factory", "manufacturing", "executing", "succeeded", "Bob", 50, 45, 45383]
    )
    ws.append([None] * 9)
    ws.append(
        [
            "Pilot",
            "Factory",
            "manufacturing",
            "closing",
            "succeeded",
            "Bob",
            None,
            None,
            "2024-05-02",
        ]
    )
    ws.append([])
    ws.append([None, None])
    second = wb.create_sheet("Other")
    second.append(["ignored"])
    path = tmp_path / "retros.xlsx"
    wb.save(path)
    root = workspace()
    result = run(
        root,
        "import",
        str(path),
        "--type",
        "retrospective",
        "--map",
        "Ended=actual_end",
        "--set",
        "budget.currency=EUR",
    )
    assert result.exit_code == 0, result.output
    assert "(sheet 'Retros'): 3 rows" in result.stderr
    assert "row 4: created RETRO-0001" in result.stdout
    assert "row 7: created RETRO-0003" in result.stdout
    first, second_, third = entries_in(root, "retrospectives")
    assert first.meta["budget"] == {"planned": 100, "actual": 130, "currency": "EUR"}
    assert first.meta["actual_end"] == dt.date(2024, 3, 1)
    assert second_.meta["actual_end"] == dt.date(2024, 4, 1)  # Excel serial 45383
    assert third.meta["actual_end"] == dt.date(2024, 5, 2)
    assert "budget" not in third.meta or third.meta["budget"] == {"currency": "EUR"}


def test_excel_merged_cells_down_a_column_fill_every_row(run, workspace, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Project", "Title", "Category", "Phase", "Impact", "Owner"])
    ws.append(["ERP", "One", "scope", "planning", "negative", "Ann"])
    ws.append([None, "Two", "cost", "closing", "positive", "Ann"])
    ws.merge_cells("A2:A3")
    path = tmp_path / "lessons.xlsx"
    wb.save(path)
    root = workspace()
    result = run(root, "import", str(path), "--type", "lesson")
    assert result.exit_code == 0, result.output
    assert [e.meta["project"] for e in entries_in(root, "lessons")] == ["ERP", "ERP"]


def test_excel_sheet_option(run, workspace, tmp_path):
    wb = Workbook()
    wb.active.title = "Cover"
    path = tmp_path / "x.xlsx"
    wb.save(path)
    result = run(workspace(), "import", str(path), "--type", "risk", "--sheet", "Risks")
    assert result.exit_code == 2
    assert "--sheet: no sheet 'Risks' in x.xlsx; sheets: Cover" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message", "code"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls)", 2),
        ("broken.xlsx", b"not a zip", "broken.xlsx: not an Excel .xlsx workbook", 1),
        ("notes.pdf", b"%PDF", "expected a .csv, .tsv, .xlsx or .json file", 2),
        ("empty.csv", b"", "no table found", 1),
    ],
)
def test_unreadable_files(run, workspace, tmp_path, name, content, message, code):
    path = tmp_path / name
    path.write_bytes(content)
    result = run(workspace(), "import", str(path), "--type", "risk")
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_file(run, workspace, tmp_path):
    result = run(workspace(), "import", str(tmp_path / "nope.csv"), "--type", "risk")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_values_beyond_the_last_column(run, workspace, tmp_path):
    sheet = write(tmp_path, "r.csv", RISK_HEADER + "A,vendor,3,4,t,mitigate,no,Ann,n,extra\n")
    result = run(workspace(), "import", str(sheet), "--type", "risk")
    assert result.exit_code == 1
    assert "row 2: 1 value(s) beyond the last column (I)" in result.stderr


# ---------------------------------------------------------------------------------------------
# Cell parsing


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-15", dt.date(2024, 3, 15)),
        ("2024/3/5", dt.date(2024, 3, 5)),
        ("2024.03.05", dt.date(2024, 3, 5)),
        ("2024年3月15日", dt.date(2024, 3, 15)),
        ("15.03.2024", dt.date(2024, 3, 15)),
        ("15/03/2024", dt.date(2024, 3, 15)),
        ("03/15/2024", dt.date(2024, 3, 15)),
        ("15 Mar 2024", dt.date(2024, 3, 15)),
        ("Mar 15, 2024", dt.date(2024, 3, 15)),
        ("2024-03-15 00:00:00", dt.date(2024, 3, 15)),
        ("45366", dt.date(2024, 3, 15)),
        (45366, dt.date(2024, 3, 15)),
        (45366.0, dt.date(2024, 3, 15)),
        (dt.datetime(2024, 3, 15, 12, 0), dt.date(2024, 3, 15)),
    ],
)
def test_parse_date(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("03/04/2024", "ambiguous"),
        ("2024-02-30", "not a valid date"),
        ("next week", "expected a date such as 2024-03-15"),
        (2024, "found the number 2024"),
        (True, "expected a date"),
    ],
)
def test_parse_date_errors(cell, message):
    with pytest.raises(CellError, match=message):
        parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1200000", 1200000),
        ("1,200,000", 1200000),
        ("1.200.000,50", 1200000.5),
        ("12,5", 12.5),
        ("€ 12 000", 12000),
        ("3.0", 3.0),
        ("-40000", -40000),
        (7, 7),
    ],
)
def test_parse_number(cell, expected):
    assert parse_number(cell) == expected


def test_parse_number_error():
    with pytest.raises(CellError, match="expected a number, found 'lots'"):
        parse_number("lots")


# ---------------------------------------------------------------------------------------------
# Found in review


def test_a_type_column_that_agrees_is_accepted_whatever_schema_object_asked(workspace, tmp_path):
    # Types are compared by name: a caller's EntryType need not be the workspace's own object.
    from kb.config import load_workspace
    from kb.schema import Schema
    from kb.tabular import plan_import, read_table

    ws = load_workspace(root=str(workspace()))
    sheet = write(
        tmp_path,
        "t.csv",
        "Title,Type,Category,Phase,Impact,Owner\nL1,lesson,quality,executing,negative,ann\n"
        "L2,LL,quality,executing,negative,ann\n",
    )
    lesson = Schema().get("lesson")
    assert lesson is not ws.schema.get("lesson")
    plan = plan_import(ws, [], read_table(sheet), lesson, today=dt.date(2024, 10, 15))
    assert [r.action for r in plan.rows] == ["create", "create"], plan.rows


def test_key_naming_an_unreadable_entry_says_so(run, golden_ws, tmp_path):
    broken = golden_ws / "docs/risks/RISK-0003-broken.md"
    broken.write_text("---\nid: RISK-0003\ntype: risk\ntitle: [oops\n---\n", encoding="utf-8")
    sheet = write(tmp_path, "k.csv", "ID,Title\nRISK-0003,Fixed\n")
    before = snapshot(golden_ws)
    result = run(golden_ws, "import", str(sheet), "--type", "risk", "--key", "ID")
    assert result.exit_code == 1
    assert f"warning: skipped docs/risks/{broken.name}:5: front matter is not valid YAML" in (
        result.stderr
    )
    assert (
        'row 2, column "ID" (A): RISK-0003 exists but cannot be read: fix it first (kb check)'
    ) in result.stderr
    assert "there is no Risk case" not in result.stderr
    assert snapshot(golden_ws) == before


def test_a_reference_to_an_unreadable_entry_is_not_dangling(run, golden_ws, tmp_path):
    broken = golden_ws / "docs/retrospectives/RETRO-0009-broken.md"
    broken.write_text("---\nid: RETRO-0009\ntitle: [oops\n---\n", encoding="utf-8")
    sheet = write(
        tmp_path,
        "l.csv",
        "Title,Category,Phase,Impact,Owner,Source\nL1,quality,executing,negative,ann,RETRO-0009\n",
    )
    result = run(golden_ws, "import", str(sheet), "--type", "lesson", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"]["create"] == 1
    assert [s["path"] for s in data["skipped"]] == ["docs/retrospectives/RETRO-0009-broken.md"]


def test_bad_bytes_after_a_utf8_bom_are_an_error_naming_the_line(run, workspace, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfTitle,Owner\nGood,Ann\nBad \xff\xfe,Bob\n")
    result = run(workspace(), "import", str(path), "--type", "risk", "--dry-run")
    assert result.exit_code == 1
    assert (
        "error: bom.csv: line 3: not valid UTF-8 (byte 0xff), although the file starts with "
        "its byte-order mark"
    ) in result.stderr
    assert "\ufffd" not in result.output


def test_decode_text_with_a_bom():
    from kb.errors import KbError
    from kb.tabular import decode_text

    assert decode_text("\ufeffA,B\n".encode()) == ("A,B\n", "UTF-8 with BOM")
    assert decode_text("A,B\n".encode("utf-16")) == ("A,B\n", "UTF-16")
    with pytest.raises(KbError, match=r"^line 2: not valid UTF-16"):
        decode_text("A\nB".encode("utf-16") + b"\x00")


def test_a_chinese_workspace_is_told_the_encoding_and_csv_errors_in_chinese(tmp_path):
    from kb.errors import KbError
    from kb.fields import speaking
    from kb.tabular import decode_text, read_table

    sheet = tmp_path / "risks.csv"
    sheet.write_bytes("\ufeff标题,类别\n数据迁移,data\n".encode())
    assert read_table(sheet, lang="zh").how == "带 BOM 的 UTF-8，逗号分隔"
    with speaking("zh"):
        assert decode_text(sheet.read_bytes())[1] == "带 BOM 的 UTF-8"
        sheet.write_text("标题\n" + "长" * 200_000 + "\n", encoding="utf-8")
        with pytest.raises(KbError, match=r"^risks\.csv：第 2 行："):
            read_table(sheet, lang="zh")


def test_formulas_without_saved_values_are_noted(run, workspace, tmp_path):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Title", "Category", "Probability", "Impact", "Score", "Owner"])
    sheet.append(["Vendor late", "vendor", 3, 4, "=C2*D2", '=UPPER("ann")'])
    sheet.append(["Key user leaves", "resource", 2, 5, "=C3*D3", "Bob"])
    path = tmp_path / "formulas.xlsx"
    wb.save(path)  # openpyxl saves formulas without calculating them
    result = run(workspace(), "import", str(path), "--type", "risk", "--dry-run")
    assert (
        "note: the workbook has formulas without saved values: 3 cells (E2, F2, E3) read as "
        "blank; it was written by a program that does not calculate formulas: open and save it "
        "in Excel, then import again"
    ) in result.stderr
    # The blank owner it leads to is reported as usual.
    assert 'row 2, column "Owner" (F): owner: required, but the cell is empty' in result.stderr


def test_a_workbook_without_formulas_has_no_formula_note(run, workspace, tmp_path):
    wb = Workbook()
    wb.active.append(["Title", "Category", "Probability", "Impact", "Owner"])
    wb.active.append(["Vendor late", "vendor", 3, None, "=1+1"])
    wb.active["E2"].data_type = "s"  # text that looks like a formula, as kb export writes it
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    result = run(workspace(), "import", str(path), "--type", "risk", "--dry-run")
    assert "formulas without saved values" not in result.stderr


def test_missing_columns_do_not_also_show_template_errors(run, workspace, tmp_path):
    sheet = write(tmp_path, "n.csv", "a,b\n1,x\n2,y\n")
    result = run(workspace(), "import", str(sheet), "--type", "lesson")
    assert result.exit_code == 1
    assert "error: n.csv: no column for the required field title" in result.stderr
    assert "template" not in result.stderr
    assert "row 2" not in result.stderr and "row 3" not in result.stderr
    data = json.loads(run(workspace(), "import", str(sheet), "--type", "lesson", "--json").stdout)
    assert data["problems"][0] == {
        "row": None,
        "column": None,
        "field": "title",
        "message": "no column for the required field title: add one, name one with "
        '--map "Column=title", or give every row a value with --set title=...',
    }
    assert all(r["problems"] == [] for r in data["rows"])


LESSONS = "Title,Category,Phase,Impact,Owner\nL1,quality,executing,negative,ann\n"


def test_set_values_are_read_like_cells(run, workspace, tmp_path):
    root = workspace()
    sheet = write(tmp_path, "l.csv", LESSONS)
    result = run(root, "import", str(sheet), "--type", "lesson", "--set", "status=In Review")
    assert result.exit_code == 0, result.output
    assert entries_in(root, "lessons")[0].meta["status"] == "in-review"


def test_an_invalid_set_value_is_one_usage_error(run, workspace, tmp_path):
    sheet = write(tmp_path, "l.csv", LESSONS + "L2,quality,executing,negative,bob\n")
    result = run(workspace(), "import", str(sheet), "--type", "lesson", "--set", "status=Aproved")
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines == [
        "error: --set status: 'Aproved' is not an allowed value; allowed: draft, in-review, "
        "approved, superseded, retired (did you mean 'approved'?)"
    ]


def test_a_dangling_reference_from_set_is_named_once(run, golden_ws, tmp_path):
    sheet = write(tmp_path, "l.csv", LESSONS + "L2,quality,executing,negative,bob\n")
    result = run(golden_ws, "import", str(sheet), "--type", "lesson", "--set", "source=RETRO-0099")
    assert result.exit_code == 1
    assert result.stderr.count("RETRO-0099 does not exist") == 1, result.stderr
    assert "error: l.csv: --set source: RETRO-0099 does not exist" in result.stderr


def test_blank_cells_on_an_update_are_noted(run, golden_ws, tmp_path):
    sheet = tmp_path / "lessons.csv"
    run(golden_ws, "export", "--type", "lesson", "-o", str(sheet))
    rows = list(csv.reader(io.StringIO(sheet.read_text("utf-8-sig"))))
    owner = rows[0].index("Owner")
    assert rows[1][0] == "LL-0001" and rows[1][owner]
    rows[1][owner] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    sheet.write_text(out.getvalue(), encoding="utf-8")
    before = snapshot(golden_ws)
    result = run(golden_ws, "import", str(sheet), "--type", "lesson", "--key", "ID")
    assert result.exit_code == 0, result.output
    letter = chr(ord("A") + owner)
    assert (
        f'note: row 2, column "Owner" ({letter}): blank cell left LL-0001 owner unchanged'
    ) in result.stderr
    assert snapshot(golden_ws) == before
    data = json.loads(
        run(golden_ws, "import", str(sheet), "--type", "lesson", "--key", "ID", "--json").stdout
    )
    assert data["rows"][0]["notes"] == [
        {
            "row": 2,
            "column": "Owner",
            "field": "owner",
            "message": "blank cell left LL-0001 owner unchanged",
        }
    ]
    assert data["rows"][1]["notes"] == []


def test_a_reference_to_the_wrong_type_is_noted_as_kb_check_warns(run, golden_ws, tmp_path):
    sheet = write(
        tmp_path,
        "l.csv",
        "Title,Category,Phase,Impact,Owner,Source,SOPs\n"
        "L1,quality,executing,negative,ann,SOP-0001,RETRO-0001\n",
    )
    result = run(golden_ws, "import", str(sheet), "--type", "lesson", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        'note: row 2, column "Source" (F): source: SOP-0001 is a SOP, expected a Retrospective'
    ) in result.stderr
    assert (
        'note: row 2, column "SOPs" (G): sops: RETRO-0001 is a Retrospective, expected a SOP'
    ) in result.stderr


def test_escaped_formulas_round_trip_exactly_through_csv(run, workspace, tmp_path):
    from tests.test_export import FORMULA_TITLES, formula_ws

    root = formula_ws(workspace)
    sheet = tmp_path / "lessons.csv"
    assert run(root, "export", "--type", "lesson", "-o", str(sheet)).exit_code == 0
    before = snapshot(root)
    result = run(root, "import", str(sheet), "--type", "lesson", "--key", "ID", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["unchanged"] == len(FORMULA_TITLES)
    assert snapshot(root) == before
    # New entries from an escaped sheet get the text without the apostrophe.
    new = write(
        tmp_path,
        "new.csv",
        "Title,Category,Phase,Impact,Owner\n"
        "'=1+1,quality,closing,negative,Ann\n''@x,quality,closing,negative,Ann\n",
    )
    result = run(root, "import", str(new), "--type", "lesson", "--json")
    assert result.exit_code == 0, result.output
    titles = {e.title for e in entries_in(root, "lessons")}
    assert {"=1+1", "'@x"} <= titles


# ---------------------------------------------------------------------------------------------
# Updates keep what they do not change

COMMENTED_RISK = """\
---
# Owned by the PMO; reviewed monthly.
id: RISK-0001
type: risk
title: Vendor late   # as the vendor calls it
date: 2024-01-10
owner: Ann
status: draft  # review in March
category: vendor
probability: 3
impact: 4
trigger: |
  No reply to the PO
  within a week
response: mitigate
occurred: no
tags: [vendor,  procurement]   # flow style, spaced as the author likes
---

# Vendor late

## Risk description

The vendor may deliver late.
"""


def commented_ws(workspace) -> Path:
    return workspace({"docs/risks/RISK-0001-vendor-late.md": COMMENTED_RISK})


def test_an_update_edits_changed_lines_and_keeps_comments(run, workspace, tmp_path):
    root = commented_ws(workspace)
    path = root / "docs/risks/RISK-0001-vendor-late.md"
    sheet = write(
        tmp_path,
        "r.csv",
        "ID,Title,Status,Trigger,Risk Owner\n"
        'RISK-0001,Vendor very late,in review,"No reply to the PO\nwithin two weeks",Bob\n',
    )
    result = run(root, "import", str(sheet), "--type", "risk", "--key", "ID")
    assert result.exit_code == 0, result.output
    assert "row 2: updated RISK-0001 (title, status, trigger, risk_owner)" in result.stdout
    assert "rewr" not in result.stdout
    expected = (
        COMMENTED_RISK.replace("title: Vendor late   #", "title: Vendor very late   #")
        .replace("status: draft  #", "status: in-review  #")
        .replace("trigger: |\n", "trigger: |-\n")  # the cell has no final line break
        .replace("  within a week\n", "  within two weeks\n")
        .replace("occurred: no\n", "occurred: no\nrisk_owner: Bob\n")  # in schema order
    )
    assert path.read_text("utf-8") == expected
    assert run(root, "check").exit_code == 0


def test_an_update_of_the_body_keeps_the_front_matter_as_written(run, workspace, tmp_path):
    root = commented_ws(workspace)
    path = root / "docs/risks/RISK-0001-vendor-late.md"
    sheet = write(tmp_path, "r.csv", "ID,Risk description\nRISK-0001,It may be very late.\n")
    result = run(root, "import", str(sheet), "--type", "risk", "--key", "ID")
    assert result.exit_code == 0, result.output
    assert path.read_text("utf-8") == COMMENTED_RISK.replace(
        "The vendor may deliver late.", "It may be very late."
    )


def test_a_changed_list_rewrites_the_front_matter_and_says_so(run, workspace, tmp_path):
    root = commented_ws(workspace)
    path = root / "docs/risks/RISK-0001-vendor-late.md"
    sheet = write(tmp_path, "r.csv", 'ID,Tags\nRISK-0001,"vendor, contracts"\n')
    dry = run(root, "import", str(sheet), "--type", "risk", "--key", "ID", "--dry-run")
    assert (
        "row 2: would update RISK-0001 (tags); would rewrite its front matter "
        "(YAML comments and layout not kept)"
    ) in dry.stdout
    result = run(root, "import", str(sheet), "--type", "risk", "--key", "ID", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"][0]["rewritten"] is True
    entry = entries_in(root, "risks")[0]
    assert entry.meta["tags"] == ["vendor", "contracts"]
    assert entry.meta["trigger"] == "No reply to the PO\nwithin a week\n"
    assert "# Owned by the PMO" not in path.read_text("utf-8")
    assert entry.section("Risk description") == "The vendor may deliver late."

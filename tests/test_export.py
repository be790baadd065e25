"""kb export: registers as CSV, JSON and Excel, checked against golden files.

The golden outputs sit next to their input workspace in tests/golden/registers/. After an
intended change, regenerate them with ``KB_UPDATE_GOLDEN=1 pytest tests/test_export.py`` and
review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

GOLDEN = Path(__file__).parent / "golden" / "registers"
TODAY = "2024-10-15"
TYPES = ("retrospective", "lesson", "risk", "sop")


@pytest.fixture
def golden_ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(GOLDEN / "workspace", tmp_path / "golden"))


def _compare(actual: str, expected_path: Path) -> None:
    if os.environ.get("KB_UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8", newline="")
    expected = expected_path.read_text(encoding="utf-8")
    assert actual == expected, f"{expected_path.name} differs; KB_UPDATE_GOLDEN=1 regenerates it"


@pytest.mark.parametrize("type_name", TYPES)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_matches_golden(run, golden_ws, type_name, fmt):
    result = run(golden_ws, "export", "--type", type_name, "--format", fmt, "--today", TODAY)
    assert result.exit_code == 0, result.output
    _compare(result.stdout, GOLDEN / f"{type_name}.{fmt}")


def test_risk_register_columns_and_derived_score(run, golden_ws):
    rows = json.loads(run(golden_ws, "export", "--type", "risk", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["RISK-0001", "RISK-0002"]
    first = rows[0]
    assert (first["probability"], first["impact"], first["score"]) == (4, 5, 20)
    assert first["occurred"] is True
    assert first["trigger"].startswith("Rehearsal error rate")
    assert first["response_text"] == "Two extra rehearsals; a data owner per object."
    assert first["description"].startswith("Because nobody owns master data")


def test_retrospective_register_derives_slip_variance_and_actions(run, golden_ws):
    out = run(golden_ws, "export", "--type", "retro", "--format", "json", "--today", TODAY).stdout
    erp = json.loads(out)[0]
    assert erp["schedule_slip_days"] == 57
    assert (erp["budget_variance"], erp["budget_variance_percent"]) == (210000, 17.5)
    assert (erp["open_actions"], erp["overdue_actions"]) == (1, 1)
    assert erp["actions"][1] == {
        "action": "Vendor contract: penalty clause for late cutover support",
        "owner": "Tom Berger",
        "due": "2024-04-30",
        "status": "open",
    }
    # Section text is exported without the template's hints.
    assert erp["timeline"] == ""


def test_chinese_headings_fill_the_english_columns(run, golden_ws):
    rows = json.loads(run(golden_ws, "export", "--type", "lesson", "--format", "json").stdout)
    zh = next(r for r in rows if r["id"] == "LL-0003")
    assert zh["driving_event"] == "客户在验收阶段提出 14 项新需求。"
    assert zh["lesson"] == "需求基线必须由客户书面确认。"


def test_export_to_xlsx_has_typed_cells(run, golden_ws, tmp_path):
    target = tmp_path / "out" / "retros.xlsx"
    result = run(
        golden_ws, "export", "--type", "retrospective", "-o", str(target), "--today", TODAY
    )
    assert result.exit_code == 0, result.output
    assert "wrote 3 rows of the Retrospective register to" in result.stderr
    wb = load_workbook(target)
    sheet = wb.active
    assert sheet.title == "Retrospective register"
    assert sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["ID", "Title", "Project", "Project type"]
    row = {h: c.value for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Planned end"] == dt.datetime(2023, 11, 30)
    assert row["Budget planned"] == 1200000
    assert row["Schedule slip (days)"] == 57
    assert row["Root causes"] == "Data, Estimation, Vendor"  # labels, read back as keys
    assert row["Action items"].count("\n") == 1


def test_format_follows_the_file_name_and_csv_files_get_a_bom(run, golden_ws, tmp_path):
    target = tmp_path / "risks.json"
    assert run(golden_ws, "export", "--type", "risk", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text("utf-8"))[0]["id"] == "RISK-0001"
    csv_file = tmp_path / "lessons.csv"
    assert run(golden_ws, "export", "--type", "lesson", "-o", str(csv_file)).exit_code == 0
    data = csv_file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfID,Title,")
    assert "客户签字确认需求基线" in data.decode("utf-8-sig")


def test_xlsx_needs_a_file(run, golden_ws):
    result = run(golden_ws, "export", "--type", "risk", "--format", "xlsx")
    assert result.exit_code == 2
    assert "give a file with -o FILE.xlsx" in result.stderr


def test_unknown_type(run, golden_ws):
    result = run(golden_ws, "export", "--type", "issue")
    assert result.exit_code == 2
    assert "unknown type 'issue'" in result.stderr


def test_empty_register_has_the_header_only(run, workspace):
    result = run(workspace(), "export", "--type", "sop")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ID,Title,Project,Version,Effective,Review due,")
    assert result.stdout.count("\n") == 1


def test_text_starting_with_equals_is_not_a_formula(run, workspace, tmp_path):
    root = workspace(
        {
            "docs/sops/SOP-0001-x.md": "---\nid: SOP-0001\ntype: sop\ntitle: '=1+1'\n"
            "date: 2024-01-01\nowner: PMO\nstatus: draft\nversion: '1'\n"
            "effective: 2024-01-01\nreview_due: 2025-01-01\n---\n\n# x\n"
        }
    )
    target = tmp_path / "sops.xlsx"
    assert run(root, "export", "--type", "sop", "-o", str(target)).exit_code == 0
    cell = load_workbook(target).active["B2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_export_over_a_file_keeps_its_mode(run, golden_ws, tmp_path):
    target = tmp_path / "risks.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    assert run(golden_ws, "export", "--type", "risk", "-o", str(target)).exit_code == 0
    assert target.read_text("utf-8-sig").startswith("ID,Title,")
    assert target.stat().st_mode & 0o777 == 0o640


def test_export_to_a_place_that_cannot_be_written(run, golden_ws, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run(golden_ws, "export", "--type", "risk", "-o", str(blocker / "risks.csv"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.output


FORMULA_TITLES = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+2",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "'=already quoted",
    "'plain apostrophe",
]


def formula_ws(workspace):
    files = {}
    for n, title in enumerate(FORMULA_TITLES, start=1):
        quoted = title.replace("'", "''")
        files[f"docs/lessons/LL-000{n}-x.md"] = (
            f"---\nid: LL-000{n}\ntype: lesson\ntitle: '{quoted}'\ndate: 2024-01-01\n"
            "owner: Ann\nstatus: draft\ncategory: quality\nphase: closing\nimpact: negative\n"
            "cost_impact: -500\n---\n\n# x\n"
        )
    return workspace(files)


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_escaped(run, workspace):
    import csv
    import io

    result = run(formula_ws(workspace), "export", "--type", "lesson")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["Title"] for r in rows] == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'+1+2",
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(A1:A2)",
        "''=already quoted",
        "'plain apostrophe",  # nothing a spreadsheet would run: left alone
    ]
    # Only CSV is escaped: JSON keeps the text as it is.
    exported = run(formula_ws(workspace), "export", "--type", "lesson", "--format", "json")
    data = json.loads(exported.stdout)
    assert [r["title"] for r in data] == FORMULA_TITLES

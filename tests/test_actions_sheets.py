"""The action register as a sheet: kb export --type action and kb import --type action --key Ref,
on real files, real CSV and real Excel workbooks (openpyxl)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from kb.config import load_workspace
from kb.scaffold import mkdocs_yml
from kb.store import load_entries, write_atomic
from kb.tabular import plan_action_import, read_table
from kb.tabular.action_import import apply_action_plan
from tests.conftest import entry_text
from tests.test_actions_lifecycle import HEAD
from tests.test_zh_cli import english_in

TODAY = "2024-07-01"  # before every due date: no item is overdue, so no computed cell moves
RETRO_1 = "docs/retrospectives/RETRO-0001-erp.md"
RETRO_2 = "docs/retrospectives/RETRO-0002-crm.md"
META_1 = (
    HEAD
    + """\
# the items agreed in the review
actions:
  - action: Rehearse the data migration twice
    owner: Anna
    due: 2024-08-31
    status: open   # agreed on 2024-06-01
    id: 1
  - action: Name a data owner
    owner: Ben
    due: 2024-09-30
    status: done
    done: 2024-06-20
    id: 2
  # dropped in the July review
  - action: Move plant maintenance to wave 2
    owner: Cleo
    due: 2024-12-31
    status: dropped
    reason: Covered by wave 2
    id: 3
tags: [erp]   # after the list
"""
)
META_2 = """\
id: RETRO-0002
type: retrospective
title: CRM pilot
date: 2024-06-15
owner: Dan
status: approved
project: CRM
project_type: it-implementation
phase: whole-project
outcome: succeeded
actions:
  - {action: Train the call centre, owner: Eve, due: 2024-10-15, status: open}
"""
HEADERS_EN = [
    "Ref",
    "Retrospective",
    "Retrospective title",
    "Project",
    "Action",
    "Owner",
    "Due",
    "Status",
    "Done on",
    "Note",
    "Verified on",
    "Evidence",
    "Reason",
    "Days overdue",
]


@pytest.fixture
def ws(workspace):
    """make(lang) -> the root of a workspace with two retrospectives and their action items."""

    def make(lang: str = "en") -> Path:
        files = {RETRO_1: entry_text(META_1), RETRO_2: entry_text(META_2)}
        return workspace(files, config=mkdocs_yml("Test KB", lang))

    return make


def export(run, root: Path, *args: str):
    result = run(root, "export", "--type", "action", "--today", TODAY, *args)
    assert result.exit_code == 0, result.output
    return result


def import_(run, root: Path, sheet: Path, *args: str):
    return run(
        root, "import", str(sheet), "--type", "action", "--key", "Ref", "--today", TODAY, *args
    )


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")


def xlsx_rows(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def edit_cells(rows: list[list], ref: str, changes: dict[int, object]) -> None:
    """Set cells of the row whose first cell is ``ref``: {column index: value}."""
    row = next(r for r in rows if r[0] == ref)
    for i, value in changes.items():
        row[i] = value


def edit_sheet(path: Path, edits: dict[str, dict[int, object]]) -> list[list[str]]:
    """Edit the CSV sheet at ``path`` in place, {ref: {column index: value}}; return its rows."""
    rows = csv_rows(path)
    for ref, changes in edits.items():
        edit_cells(rows, ref, changes)
    write_csv(path, rows)
    return rows


# ---------------------------------------------------------------------------------------------
# Export


def test_export_has_one_row_per_action_item_with_its_lifecycle(run, ws):
    root = ws()
    rows = csv_rows_of(export(run, root).stdout)
    assert rows[0] == HEADERS_EN
    assert [r[0] for r in rows[1:]] == [
        "RETRO-0001#1",
        "RETRO-0001#2",
        "RETRO-0001#3",
        "RETRO-0002#1",
    ]
    assert rows[2] == [
        "RETRO-0001#2",
        "RETRO-0001",
        "ERP roll-out",
        "ERP",
        "Name a data owner",
        "Ben",
        "2024-09-30",
        "Done",
        "2024-06-20",
        "",
        "",
        "",
        "",
        "0",
    ]
    assert rows[3][7:13] == ["Dropped", "", "", "", "", "Covered by wave 2"]


def csv_rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_export_counts_days_overdue_on_today(run, ws):
    root = ws()
    result = run(root, "export", "--type", "action", "--format", "json", "--today", "2024-09-10")
    assert result.exit_code == 0, result.output
    data = {d["ref"]: d for d in json.loads(result.stdout)}
    assert data["RETRO-0001#1"]["overdue_days"] == 10  # open, due 2024-08-31
    assert data["RETRO-0001#2"]["overdue_days"] == 0  # done: never overdue
    assert data["RETRO-0001#1"]["status"] == "open"  # JSON keeps the stored values
    assert data["RETRO-0001#3"]["reason"] == "Covered by wave 2"
    assert set(data["RETRO-0002#1"]) == {
        "ref",
        "entry_id",
        "entry_title",
        "project",
        "action",
        "owner",
        "due",
        "status",
        "done",
        "note",
        "verified",
        "evidence",
        "reason",
        "overdue_days",
    }


def test_export_in_a_chinese_workspace_has_chinese_headers_and_labels(run, ws):
    root = ws("zh")
    rows = csv_rows_of(export(run, root).stdout)
    assert rows[0][:8] == [
        "编号",
        "复盘",
        "复盘标题",
        "项目",
        "改进行动",
        "负责人",
        "截止日期",
        "状态",
    ]
    assert [r[7] for r in rows[1:]] == ["未完成", "已完成", "已放弃", "未完成"]


# ---------------------------------------------------------------------------------------------
# The round trip: export, edit a status and a due date, import, export again


def test_csv_round_trip_changes_only_those_lines(run, ws, tmp_path):
    root = ws()
    sheet = tmp_path / "actions.csv"
    export(run, root, "-o", str(sheet))
    before = {rel: (root / rel).read_text("utf-8") for rel in (RETRO_1, RETRO_2)}

    unedited = import_(run, root, sheet, "--dry-run", "--json")
    assert unedited.exit_code == 0, unedited.output
    assert json.loads(unedited.stdout)["counts"]["update"] == 0

    rows = edit_sheet(
        sheet,
        {
            "RETRO-0001#1": {7: "Done", 8: "2024-06-28", 9: "Two rehearsals run"},
            "RETRO-0002#1": {6: "2024-11-30"},
        },
    )

    result = import_(run, root, sheet)
    assert result.exit_code == 0, result.output
    assert (
        "row 2: updated RETRO-0001#1 (Status Open → Done, Done on - → 2024-06-28" in result.stdout
    )
    assert "row 5: updated RETRO-0002#1 (Due 2024-10-15 → 2024-11-30)" in result.stdout
    assert "2 updated, 2 unchanged, 0 skipped" in result.stderr

    assert (root / RETRO_1).read_text("utf-8") == before[RETRO_1].replace(
        "    status: open   # agreed on 2024-06-01\n    id: 1\n",
        "    status: done   # agreed on 2024-06-01\n    id: 1\n"
        "    done: 2024-06-28\n    note: Two rehearsals run\n",
    )
    # A flow-style item stays one line in flow style; the id is stored, as any step stores it.
    assert (root / RETRO_2).read_text("utf-8") == before[RETRO_2].replace(
        "  - {action: Train the call centre, owner: Eve, due: 2024-10-15, status: open}",
        "  - {action: Train the call centre, owner: Eve, due: 2024-11-30, status: open, id: 1}",
    )
    assert not list((root / "docs/retrospectives").glob(".*.tmp"))

    again = tmp_path / "again.csv"
    export(run, root, "-o", str(again))
    assert csv_rows(again) == rows
    rerun = import_(run, root, sheet, "--json")
    assert rerun.exit_code == 0, rerun.output
    assert json.loads(rerun.stdout)["counts"] == {
        "create": 0,
        "update": 0,
        "unchanged": 4,
        "imported": 0,
        "invalid": 0,
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_xlsx_round_trip_in_either_language(run, ws, tmp_path, lang):
    root = ws(lang)
    sheet = tmp_path / "actions.xlsx"
    export(run, root, "-o", str(sheet))
    before = (root / RETRO_1).read_text("utf-8")
    unedited = import_(run, root, sheet, "--dry-run", "--json")
    assert unedited.exit_code == 0, unedited.output
    assert json.loads(unedited.stdout)["counts"]["update"] == 0

    rows = xlsx_rows(sheet)
    done = "已完成" if lang == "zh" else "Done"
    edit_cells(rows, "RETRO-0001#1", {7: done, 6: dt.datetime(2024, 9, 15)})
    book = openpyxl.load_workbook(sheet)
    page = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            page.cell(row=r, column=c).value = value
    book.save(sheet)

    result = import_(run, root, sheet)
    assert result.exit_code == 0, result.output
    # The done date is the day of the import when the sheet gives none.
    assert (root / RETRO_1).read_text("utf-8") == before.replace(
        "    due: 2024-08-31\n    status: open   # agreed on 2024-06-01\n    id: 1\n",
        "    due: 2024-09-15\n    status: done   # agreed on 2024-06-01\n    id: 1\n"
        "    done: 2024-07-01\n",
    )
    edit_cells(rows, "RETRO-0001#1", {8: dt.datetime(2024, 7, 1)})  # what the import wrote
    again = tmp_path / "again.xlsx"
    export(run, root, "-o", str(again))
    assert xlsx_rows(again) == rows
    rerun = import_(run, root, again, "--dry-run", "--json")
    assert json.loads(rerun.stdout)["counts"]["update"] == 0


def test_a_chinese_sheet_imports_into_an_english_workspace(run, ws, tmp_path):
    zh_root = ws("zh")
    sheet = tmp_path / "zh.csv"
    export(run, zh_root, "-o", str(sheet))
    edit_sheet(sheet, {"RETRO-0001#1": {7: "已放弃", 12: "并入第二期"}})
    en_root = ws("en")  # the same folder, now an English workspace
    result = import_(run, en_root, sheet)
    assert result.exit_code == 0, result.output
    text = (en_root / RETRO_1).read_text("utf-8")
    assert (
        "    status: dropped   # agreed on 2024-06-01\n    id: 1\n    reason: 并入第二期\n" in text
    )


def test_json_export_round_trips_and_other_headers_are_mapped(run, ws, tmp_path):
    root = ws()
    sheet = tmp_path / "actions.json"
    export(run, root, "-o", str(sheet))
    data = json.loads(sheet.read_text("utf-8"))
    assert (
        json.loads(import_(run, root, sheet, "--dry-run", "--json").stdout)["counts"]["update"] == 0
    )
    # A PMO's own sheet: other headers, an extra column, no computed ones.
    own = tmp_path / "review.csv"
    write_csv(
        own,
        [["Reference", "Responsible", "Deadline", "Comment"]]
        + [[d["ref"], d["owner"], d["due"], "seen"] for d in data],
    )
    own_rows = csv_rows(own)
    own_rows[4][2] = "2024-12-20"
    write_csv(own, own_rows)
    result = run(
        root,
        "import",
        str(own),
        "--type",
        "action",
        "--key",
        "Reference",
        "--map",
        "Deadline=due",
        "--today",
        TODAY,
    )
    assert result.exit_code == 0, result.output
    assert "note: columns that are no part of an action item, ignored: Comment" in result.stderr
    assert "row 5: updated RETRO-0002#1 (Due 2024-10-15 → 2024-12-20)" in result.stdout
    bad_map = run(
        root, "import", str(own), "--type", "action", "--key", "Ref", "--map", "Comment=x"
    )
    assert bad_map.exit_code != 0
    assert "an action item has no field 'x'" in bad_map.output


# ---------------------------------------------------------------------------------------------
# What a row may not do


def test_a_step_the_lifecycle_refuses_is_an_error_of_its_row_and_nothing_is_written(
    run, ws, tmp_path
):
    root = ws()
    sheet = tmp_path / "actions.csv"
    export(run, root, "-o", str(sheet))
    before = (root / RETRO_1).read_text("utf-8")
    edit_sheet(
        sheet,
        {
            "RETRO-0001#1": {7: "Verified", 11: "It worked"},  # open: not done yet
            "RETRO-0001#2": {7: "Dropped"},  # done: reopen first; and no reason
            "RETRO-0002#1": {6: "2024-12-01"},  # valid on its own
        },
    )
    result = import_(run, root, sheet)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        'error: actions.csv: row 2, column "Status" (H): RETRO-0001#1 is open: it can be '
        "verified once it is done (`kb actions done RETRO-0001#1`)" in lines
    )
    assert (
        'error: actions.csv: row 3, column "Status" (H): RETRO-0001#2 is done (since 2024-06-20): '
        "reopen it first (`kb actions reopen RETRO-0001#2`)" in lines
    )
    assert "Traceback" not in result.output
    assert lines[-1] == (
        "error: nothing was written; fix the rows, or import the others with --skip-invalid"
    )
    assert (root / RETRO_1).read_text("utf-8") == before
    assert "due: 2024-10-15" in (root / RETRO_2).read_text("utf-8")

    skipping = import_(run, root, sheet, "--skip-invalid")
    assert skipping.exit_code == 1  # a script notices the rows left out
    assert (root / RETRO_1).read_text("utf-8") == before
    assert "due: 2024-12-01" in (root / RETRO_2).read_text("utf-8")


def test_evidence_and_reason_are_required_and_kept_only_where_the_status_keeps_them(
    run, ws, tmp_path
):
    root = ws()
    sheet = tmp_path / "actions.csv"
    export(run, root, "-o", str(sheet))
    edit_sheet(
        sheet,
        {
            "RETRO-0001#2": {7: "Verified"},  # done -> verified, no evidence
            "RETRO-0001#1": {11: "Looks good"},  # evidence on an open item
            "RETRO-0002#1": {8: "2024-08-01"},  # a done date in the future
        },
    )
    result = import_(run, root, sheet, "--json")
    assert result.exit_code == 1
    problems = {
        (p["row"], p["column"]): p["message"] for p in json.loads(result.stdout)["problems"]
    }
    assert problems[(3, "Evidence")] == (
        'RETRO-0001#2: a verified item needs evidence: fill in "Evidence" with what shows the fix '
        "worked"
    )
    assert problems[(2, "Evidence")] == (
        'RETRO-0001#1 is open: only a verified item keeps "Evidence"; change its status, or '
        "empty the cell"
    )
    assert problems[(5, "Done on")] == (
        'RETRO-0002#1 is open: only a done/verified item keeps "Done on"; change its status, or '
        "empty the cell"
    )


def test_blank_duplicate_and_unknown_refs_are_errors_naming_the_cell(run, ws, tmp_path):
    root = ws()
    sheet = tmp_path / "actions.csv"
    export(run, root, "-o", str(sheet))
    rows = csv_rows(sheet)
    rows[1][0] = ""
    rows[2][0] = "RETRO-0001#9"
    rows[3][0] = "RETRO-1#3"
    rows.append(["retro-0002 # 1", *rows[4][1:]])  # the same item twice
    write_csv(sheet, rows)
    result = import_(run, root, sheet, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["written"] is False
    by_row = {p["row"]: p["message"] for p in data["problems"]}
    assert by_row[2].startswith("no reference: every row needs the Ref of an action item")
    assert by_row[3] == (
        "RETRO-0001#9: RETRO-0001 has no action item 9; its items are RETRO-0001#1, "
        "RETRO-0001#2, RETRO-0001#3"
    )
    assert by_row[4] == "RETRO-1#3: no entry RETRO-1 with action items (did you mean RETRO-0001#3?)"
    assert by_row[6] == "duplicate key 'RETRO-0002#1', also on row 5"
    assert {p["column"] for p in data["problems"]} == {"Ref"}


def test_computed_columns_are_ignored(run, ws, tmp_path):
    root = ws()
    sheet = tmp_path / "actions.csv"
    export(run, root, "-o", str(sheet))
    edit_sheet(sheet, {"RETRO-0001#1": {1: "RETRO-0002", 2: "Another title", 3: "CRM", 13: "99"}})
    before = (root / RETRO_1).read_text("utf-8")
    result = import_(run, root, sheet, "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "note: derived columns ignored: Retrospective, Retrospective title, Project, Days overdue"
        in result.stderr
    )
    assert "0 to update, 4 unchanged" in result.stderr
    assert (root / RETRO_1).read_text("utf-8") == before


def test_dry_run_shows_the_change_and_writes_nothing(run, ws, tmp_path):
    root = ws()
    sheet = tmp_path / "actions.csv"
    export(run, root, "-o", str(sheet))
    edit_sheet(
        sheet,
        {
            "RETRO-0001#2": {7: "Open", 5: "Bea"},  # reopened, a new owner
        },
    )
    before = (root / RETRO_1).read_text("utf-8")
    result = import_(run, root, sheet, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.stdout)["rows"] if r["ref"] == "RETRO-0001#2")
    assert row["action"] == "update"
    assert row["values"] == {
        "status": {"before": "done", "after": "open"},
        "owner": {"before": "Ben", "after": "Bea"},
        "done": {"before": "2024-06-20", "after": None},
    }
    assert [n["message"] for n in row["notes"]] == [
        'RETRO-0001#2 is open again: the cells "Done on" are not kept (an open item has none)'
    ]
    assert (root / RETRO_1).read_text("utf-8") == before
    applied = import_(run, root, sheet)
    assert applied.exit_code == 0, applied.output
    assert "    owner: Bea\n    due: 2024-09-30\n    status: open\n    id: 2\n" in (
        root / RETRO_1
    ).read_text("utf-8")


def test_options_that_do_not_apply_and_a_missing_key_are_refused(run, ws, tmp_path):
    root = ws()
    sheet = tmp_path / "actions.csv"
    export(run, root, "-o", str(sheet))
    no_key = run(root, "import", str(sheet), "--type", "action")
    assert no_key.exit_code != 0
    assert "give --key Ref" in no_key.output and "Traceback" not in no_key.output
    wrong_key = run(root, "import", str(sheet), "--type", "action", "--key", "Owner")
    assert wrong_key.exit_code != 0
    assert "action items are identified by their reference; use --key Ref" in wrong_key.output
    with_set = import_(run, root, sheet, "--set", "owner=Ann")
    assert with_set.exit_code != 0
    assert "--set does not apply to --type action" in with_set.output


def test_a_file_kb_check_rejects_is_not_edited(run, ws, tmp_path):
    root = ws()
    sheet = tmp_path / "actions.csv"
    export(run, root, "-o", str(sheet))
    broken = (root / RETRO_1).read_text("utf-8").replace("outcome: succeeded", "outcome: maybe")
    (root / RETRO_1).write_text(broken, encoding="utf-8")
    edit_sheet(sheet, {"RETRO-0001#1": {6: "2024-09-01"}})
    result = import_(run, root, sheet)
    assert result.exit_code == 1
    assert f"{RETRO_1}: `kb check` rejects this file (line" in result.output
    assert (root / RETRO_1).read_text("utf-8") == broken


def test_chinese_workspace_speaks_chinese(run, ws, tmp_path):
    root = ws("zh")
    sheet = tmp_path / "改进行动.csv"
    export(run, root, "-o", str(sheet))
    rows = edit_sheet(
        sheet,
        {
            "RETRO-0001#1": {7: "已验证", 11: ""},
            "RETRO-0002#1": {6: "2024-12-01"},
        },
    )
    refused = import_(run, root, sheet)
    assert refused.exit_code == 1
    assert "第 2 行" in refused.output and "未写入任何内容" in refused.output
    commands = re.sub(r"`[^`]*`", "", refused.output)  # a command is typed as written
    assert english_in(commands) == [], refused.output
    rows[1][7] = "未完成"
    write_csv(sheet, rows)
    done = import_(run, root, sheet, "--dry-run")
    assert done.exit_code == 0, done.output
    assert "第 5 行：将更新 RETRO-0002#1（截止日期 2024-10-15 → 2024-12-01）" in done.stdout
    assert "将更新 1 个，3 个无变化，跳过 0 个（试运行：未写入任何内容）" in done.stderr
    # The mapping names the fields as --map takes them; everything else is Chinese.
    said = [line for line in done.output.splitlines() if " -> " not in line]
    assert english_in("\n".join(said)) == [], done.output
    no_key = run(root, "import", str(sheet), "--type", "action")
    assert english_in(no_key.output) == [], no_key.output


# ---------------------------------------------------------------------------------------------
# Interrupted and concurrent runs


def planned_due_dates(run, root: Path, sheet: Path):
    """The workspace and the plan of importing its exported action register, with the due
    dates of RETRO-0001#1 and RETRO-0002#1 moved: one edit in each file; nothing written."""
    export(run, root, "-o", str(sheet))
    edit_sheet(
        sheet,
        {
            "RETRO-0001#1": {6: "2024-09-01"},
            "RETRO-0002#1": {6: "2024-12-01"},
        },
    )
    work = load_workspace(root)
    plan = plan_action_import(
        work, load_entries(work).entries, read_table(sheet), key="Ref", today=dt.date(2024, 7, 1)
    )
    assert len(plan.edits) == 2
    return work, plan


def test_an_interrupted_import_is_finished_by_running_it_again(run, ws, tmp_path):
    root = ws()
    sheet = tmp_path / "actions.csv"
    _, plan = planned_due_dates(run, root, sheet)
    first = plan.edits[0]
    write_atomic(first.entry.path, first.text, overwrite=True)  # the run stopped here
    result = import_(run, root, sheet, "--json")
    assert result.exit_code == 0, result.output
    actions = {r["ref"]: r["action"] for r in json.loads(result.stdout)["rows"]}
    assert sorted(actions.values()) == ["unchanged", "unchanged", "unchanged", "update"]
    assert "due: 2024-09-01" in (root / RETRO_1).read_text("utf-8")
    assert "due: 2024-12-01" in (root / RETRO_2).read_text("utf-8")


def test_a_file_changed_since_planning_stops_the_whole_import(run, ws, tmp_path):
    root = ws()
    work, plan = planned_due_dates(run, root, tmp_path / "actions.csv")
    assert kb_done(run, root, "RETRO-0002#1").exit_code == 0  # meanwhile, someone closes one
    retro_1 = (root / RETRO_1).read_text("utf-8")
    with pytest.raises(Exception, match="changed while kb was editing it"):
        apply_action_plan(work, plan)
    assert (root / RETRO_1).read_text("utf-8") == retro_1


def kb_done(run, root: Path, ref: str):
    return run(root, "actions", "done", ref, "--date", "2024-06-30")

"""`kb list`: a header row, checked filters, projects by prefix; `kb export`: known extensions."""

from __future__ import annotations

import json

import pytest

from tests.conftest import entry_text
from tests.search_helpers import files, lesson, retro, risk


@pytest.fixture
def projects(workspace):
    return workspace(
        files(
            retro(1, "ERP go-live", project="ERP roll-out", project_type="it-implementation"),
            lesson(1, "Rehearse the migration", project="ERP roll-out"),
            lesson(2, "Second wave cut-over", project="ERP roll-out wave 2", status="draft"),
            risk(1, "PLC late", project="Factory line 3"),
            risk(2, "Drives late", project="Factory line 30"),
            lesson(3, "提前完成库位主数据清洗", project="华东仓储管理系统上线"),
        )
    )


def ids(result) -> list[str]:
    """The ids of a text listing, header row left out."""
    return [line.split()[0] for line in result.stdout.splitlines()[1:]]


# --- kb list ---------------------------------------------------------------------------------


def test_list_starts_with_a_header_row_aligned_with_the_columns(projects, run):
    result = run(projects, "list", "--type", "lesson")
    assert result.exit_code == 0, result.output
    header, first, *_ = result.stdout.splitlines()
    assert header.split() == ["ID", "TYPE", "STATUS", "DATE", "TITLE", "[PROJECT]"]
    assert first.startswith("LL-0001  Lesson learned  Approved  2024-05-01  Rehearse the migration")
    labels = {"TYPE": "Lesson learned", "STATUS": "Approved", "TITLE": "Rehearse"}
    for word, value in labels.items():
        assert first[header.index(word) :].startswith(value), word
    assert first.endswith("  [ERP roll-out]")


def test_list_json_has_no_header_and_keeps_its_shape(projects, run):
    rows = json.loads(run(projects, "list", "--json", "--type", "risk").stdout)
    assert [r["id"] for r in rows] == ["RISK-0001", "RISK-0002"]
    assert list(rows[0]) == ["id", "type", "status", "date", "project", "title", "path"]
    assert rows[0]["path"] == "docs/risks/RISK-0001.md"


def test_no_entries_no_header(projects, run):
    result = run(projects, "list", "--type", "sop")
    assert result.exit_code == 0
    assert result.stdout == "" and "no entries" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--status", "aproved"),
            "error: --status: 'aproved' is not a status; allowed: approved, draft, in-review, "
            "retired, superseded (did you mean 'approved'?)",
        ),
        (
            ("--type", "lessn"),
            "error: --type: unknown type 'lessn'; use one of: retrospective, lesson, risk, sop "
            "(did you mean 'lesson'?)",
        ),
        (
            ("-p", "ERP rollout"),
            "error: --project: no entry has 'ERP rollout' (did you mean 'ERP roll-out'?); "
            "known: ERP roll-out, ERP roll-out wave 2, Factory line 3, Factory line 30, "
            "华东仓储管理系统上线",
        ),
    ],
)
def test_list_refuses_a_value_no_entry_can_have(projects, run, args, message):
    result = run(projects, "list", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""


def test_list_filters_ignore_case_and_take_type_aliases(projects, run):
    assert ids(run(projects, "list", "--status", "Draft")) == ["LL-0002"]
    assert ids(run(projects, "list", "--type", "LL", "--status", "approved")) == [
        "LL-0001",
        "LL-0003",
    ]


@pytest.mark.parametrize(
    ("project", "expected"),
    [
        ("erp", ["LL-0001", "LL-0002", "RETRO-0001"]),  # the start of a name, any case
        ("ERP ROLL-OUT W", ["LL-0002"]),
        ("erp roll-out", ["LL-0001", "RETRO-0001"]),  # a name in full means that project only
        ("Factory line 3", ["RISK-0001"]),
        ("factory", ["RISK-0001", "RISK-0002"]),
        ("华东", ["LL-0003"]),
        ("  Factory line 30 ", ["RISK-0002"]),
    ],
)
def test_list_project_by_name_or_its_start(projects, run, project, expected):
    result = run(projects, "list", "-p", project)
    assert result.exit_code == 0, result.output
    assert ids(result) == expected
    rows = json.loads(run(projects, "list", "-p", project, "--json").stdout)
    assert [r["id"] for r in rows] == expected


def test_list_still_escapes_control_characters(workspace, run):
    meta = """
        id: LL-0001
        type: lesson
        title: "\\e[31mred\\a title"
        date: 2024-05-01
        owner: Anna
        status: approved
        project: "\\e]0;x\\a ERP"
        category: quality
        phase: executing
        impact: negative
    """
    root = workspace({"docs/lessons/LL-0001.md": entry_text(meta)})
    result = run(root, "list", "-p", "\x1b]0;x")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[31mred\\x07 title  [\\x1b]0;x\\x07 ERP]" in result.stdout


# --- kb export -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["risks.xls", "risks.XLS", "risks.txt", "risks.tsv", "risks.md"])
def test_export_refuses_an_unknown_extension_and_writes_nothing(projects, run, tmp_path, name):
    target = tmp_path / name
    result = run(projects, "export", "--type", "risk", "-o", str(target))
    assert result.exit_code == 2
    suffix = target.suffix.lower()
    assert result.stderr.splitlines() == [
        f"error: -o {name}: kb export writes .csv, .json or .xlsx files, not {suffix}"
    ]
    assert not target.exists()


def test_export_refuses_a_file_name_its_format_contradicts(projects, run, tmp_path):
    target = tmp_path / "risks.xlsx"
    target.write_bytes(b"kept")
    result = run(projects, "export", "--type", "risk", "--format", "csv", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: -o risks.xlsx: --format csv would write CSV under a .xlsx name; "
        "name the file .csv, or leave out --format"
    ]
    assert target.read_bytes() == b"kept"


def test_export_extension_any_case_and_agreeing_format(projects, run, tmp_path):
    upper = tmp_path / "RISKS.JSON"
    assert run(projects, "export", "--type", "risk", "-o", str(upper)).exit_code == 0
    assert json.loads(upper.read_text("utf-8"))[0]["id"] == "RISK-0001"
    agreed = tmp_path / "risks.csv"
    result = run(projects, "export", "--type", "risk", "--format", "csv", "-o", str(agreed))
    assert result.exit_code == 0, result.output
    assert agreed.read_bytes().startswith(b"\xef\xbb\xbfID,Title,")


def test_export_to_a_name_without_extension_is_csv_or_the_format_given(projects, run, tmp_path):
    plain = tmp_path / "risks"
    assert run(projects, "export", "--type", "risk", "-o", str(plain)).exit_code == 0
    assert plain.read_text("utf-8").startswith("ID,Title,")
    as_json = tmp_path / "register"
    result = run(projects, "export", "--type", "risk", "--format", "json", "-o", str(as_json))
    assert result.exit_code == 0, result.output
    assert json.loads(as_json.read_text("utf-8"))[1]["id"] == "RISK-0002"

"""kb actions and kb stats, and the pure functions of kb.registers behind them."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from kb.entry import parse
from kb.registers import (
    action_items,
    breakdown,
    lessons_per_sop,
    quarter_of,
    recurring_root_causes,
    select_actions,
    stats,
)

from .conftest import entry_text

GOLDEN = Path(__file__).parent / "golden" / "registers"
TODAY = "2024-10-15"


@pytest.fixture
def golden_ws(tmp_path: Path) -> Path:
    """A copy of the golden input workspace (three projects, all four types, edge cases)."""
    return Path(shutil.copytree(GOLDEN / "workspace", tmp_path / "golden"))


def make(meta: str, name: str = "x.md"):
    return parse(entry_text(meta), Path(name), name)


def retro(id_: str, project: str, causes: str, **extra: str):
    lines = [
        f"id: {id_}",
        "type: retrospective",
        f"project: {project}",
        f"root_causes: [{causes}]",
        *(f"{k}: {v}" for k, v in extra.items()),
    ]
    return make("\n".join(lines), f"{id_}.md")


# ---------------------------------------------------------------------------------------------
# pure functions


def test_quarter_of():
    assert quarter_of(dt.date(2024, 1, 1)) == "2024-Q1"
    assert quarter_of(dt.date(2024, 9, 30)) == "2024-Q3"
    assert quarter_of(dt.date(2024, 10, 1)) == "2024-Q4"
    assert quarter_of(None) == ""


def test_root_cause_recurs_only_across_two_projects():
    entries = [
        retro("RETRO-0001", "A", "data, vendor"),
        retro("RETRO-0002", "A", "vendor"),  # same project twice: not a recurring theme
        retro("RETRO-0003", "B", "data"),
    ]
    rows = recurring_root_causes(entries)
    assert rows == [
        {
            "root_cause": "data",
            "projects": ["A", "B"],
            "retrospectives": ["RETRO-0001", "RETRO-0003"],
        }
    ]


def test_lessons_per_sop_lists_sops_without_lessons_and_unknown_sops():
    entries = [
        make("id: SOP-0001\ntype: sop\ntitle: Closure"),
        make("id: SOP-0002\ntype: sop\ntitle: Unused"),
        make("id: LL-0001\ntype: lesson\nsops: [SOP-0001, SOP-0007]"),
        make("id: LL-0002\ntype: ll\nsops: [SOP-0001, SOP-0001]"),
    ]
    assert lessons_per_sop(entries) == [
        {"sop": "SOP-0001", "title": "Closure", "lessons": ["LL-0001", "LL-0002"]},
        {"sop": "SOP-0007", "title": "", "lessons": ["LL-0001"]},
        {"sop": "SOP-0002", "title": "Unused", "lessons": []},
    ]


def test_stats_slip_and_variance_median_and_worst():
    entries = [
        retro("RETRO-0001", "A", "", planned_end="2024-01-01", actual_end="2024-01-11"),
        retro("RETRO-0002", "B", "", planned_end="2024-01-01", actual_end="2023-12-30"),
        retro(
            "RETRO-0003",
            "C",
            "",
            planned_end="2024-01-01",
            actual_end="2024-03-01",
            budget="{planned: 100, actual: 150, currency: EUR}",
        ),
        retro("RETRO-0004", "D", "", budget="{planned: 200, actual: 190, currency: EUR}"),
        retro("RETRO-0005", "E", "", budget="{planned: 0, actual: 10, currency: EUR}"),
    ]
    data = stats(entries, dt.date(2024, 6, 1))
    assert data["schedule_slip"] == {
        "retrospectives": 3,
        "median_days": 10,
        "worst_days": 60,
        "worst": "RETRO-0003",
    }
    # A zero plan has no percentage and is left out rather than counted as infinite.
    assert data["budget_variance"] == {
        "retrospectives": 2,
        "median_percent": 22.5,
        "worst_percent": 50.0,
        "worst": "RETRO-0003",
    }


def test_breakdown_by_project_follows_a_lessons_source():
    entries = [
        retro("RETRO-0001", "ERP", "data", project_type="it-implementation"),
        make("id: LL-0001\ntype: lesson\nsource: RETRO-0001\ncategory: scope"),
        make("id: LL-0002\ntype: lesson\ncategory: scope"),  # no project: left out
    ]
    rows = breakdown(entries, "project")
    assert [(r["group"], r["entries"], r["lesson"]) for r in rows] == [("ERP", 2, 1)]
    rows = breakdown(entries, "project-type")
    assert [(r["group"], r["entries"]) for r in rows] == [("it-implementation", 2)]
    rows = breakdown(entries, "category")
    assert [(r["group"], r["lesson"]) for r in rows] == [("scope", 2)]


def test_select_actions_views_and_filters():
    e = make(
        """
        id: RETRO-0001
        type: retrospective
        project: ERP
        actions:
          - {action: a, owner: Ann, due: 2024-01-01, status: open}
          - {action: b, owner: Bob, due: 2024-12-01, status: open}
          - {action: c, owner: ann, due: 2023-01-01, status: done}
        """
    )
    items = action_items([e], dt.date(2024, 6, 1))
    assert [i.action for i in select_actions(items)] == ["a", "b"]
    assert [i.action for i in select_actions(items, "overdue")] == ["a"]
    assert [i.action for i in select_actions(items, "all", owner="ANN")] == ["a", "c"]
    assert select_actions(items, "all", projects={"other"}) == []
    assert len(select_actions(items, "all", projects={"erp"})) == 3


# ---------------------------------------------------------------------------------------------
# kb actions


def test_actions_lists_open_items_most_overdue_first(run, golden_ws):
    result = run(golden_ws, "actions", "--today", TODAY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["OVERDUE", "DUE", "OWNER", "STATUS", "REF", "ACTION"]
    assert lines[1].split()[:4] == ["168d", "2024-04-30", "Tom", "Berger"]
    assert lines[2].split()[:4] == ["15d", "2024-09-30", "Jonas", "Weber"]
    assert "王芳" in lines[3] and lines[3].startswith("-")
    assert len(lines) == 4
    assert "3 action items (open), 2 overdue" in result.stderr


def test_actions_all_includes_done_and_dropped(run, golden_ws):
    result = run(golden_ws, "actions", "--all", "--today", TODAY, "--json")
    data = json.loads(result.stdout)
    assert data["count"] == 5 and data["overdue"] == 2
    assert {i["status"] for i in data["items"]} == {"open", "done", "dropped"}


def test_actions_json_shape(run, golden_ws):
    result = run(
        golden_ws, "actions", "--overdue", "--owner", "tom berger", "--today", TODAY, "--json"
    )
    data = json.loads(result.stdout)
    assert data["items"] == [
        {
            "entry_id": "RETRO-0001",
            "entry_title": "ERP roll-out: go-live retrospective",
            "project": "ERP roll-out",
            "path": "docs/retrospectives/RETRO-0001-erp-roll-out-go-live.md",
            "line": 22,
            "index": 1,
            "action": "Vendor contract: penalty clause for late cutover support",
            "owner": "Tom Berger",
            "due": "2024-04-30",
            "status": "open",
            "overdue_days": 168,
            "ref": "RETRO-0001#2",
            "done": None,
            "note": "",
            "verified": None,
            "evidence": "",
            "reason": "",
        }
    ]


def test_fail_on_overdue_for_a_scheduled_ci_job(run, golden_ws):
    result = run(golden_ws, "actions", "--overdue", "--fail-on-overdue", "--today", TODAY)
    assert result.exit_code == 1
    assert "error: 2 action items overdue" in result.stderr
    early = run(golden_ws, "actions", "--fail-on-overdue", "--today", "2024-01-01")
    assert early.exit_code == 0, early.output
    other = run(golden_ws, "actions", "-p", "CRM 客户实施", "--fail-on-overdue", "--today", TODAY)
    assert other.exit_code == 0, other.output


def test_actions_with_no_retrospectives(run, workspace):
    result = run(workspace(), "actions")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "0 action items (open), 0 overdue" in result.stderr


# ---------------------------------------------------------------------------------------------
# kb stats


def test_stats_text(run, golden_ws):
    result = run(golden_ws, "stats", "--today", TODAY)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Entries: 10" in out
    assert "Schedule slip (3 retrospectives): median 30 days, worst 57 days (RETRO-0001)" in out
    assert "Budget variance (2 retrospectives): median +6.2%, worst +17.5% (RETRO-0001)" in out
    assert "Action items: 3 open (2 overdue), 1 done, 1 dropped" in out
    assert "Data    3 projects  RETRO-0001, RETRO-0002, RETRO-0003" in out  # labels, not keys
    assert "  Retrospective   3  (Approved 1, Draft 1, In review 1)" in out
    assert "SOP-0009  1  (no such SOP)" in out


def test_stats_json_counts_aliases_under_their_type(run, golden_ws):
    data = json.loads(run(golden_ws, "stats", "--today", TODAY, "--json").stdout)
    assert data["by_type"]["retrospective"] == {
        "total": 3,
        "by_status": {"approved": 1, "draft": 1, "in-review": 1},
    }
    assert [r["root_cause"] for r in data["recurring_root_causes"]] == ["data", "vendor"]
    assert "breakdown" not in data


@pytest.mark.parametrize(
    ("by", "first"),
    [
        ("project", "ERP roll-out"),
        ("root-cause", "data"),
        ("quarter", "2024-Q1"),
        ("category", "data"),
        ("project-type", "it-implementation"),
    ],
)
def test_stats_by(run, golden_ws, by, first):
    result = run(golden_ws, "stats", "--by", by, "--today", TODAY, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["breakdown"]["by"] == by
    assert data["breakdown"]["groups"][0]["group"] == first
    text = run(golden_ws, "stats", "--by", by, "--today", TODAY).stdout
    assert f"By {by.replace('-', ' ')}:" in text


def test_stats_by_quarter_is_chronological(run, golden_ws):
    data = json.loads(run(golden_ws, "stats", "--by", "quarter", "--json").stdout)
    groups = data["breakdown"]["groups"]
    assert [g["group"] for g in groups] == ["2024-Q1", "2024-Q3", "2024-Q4"]
    assert [g["entries"] for g in groups] == [5, 3, 2]


def test_stats_rejects_an_unknown_dimension(run, golden_ws):
    result = run(golden_ws, "stats", "--by", "colour")
    assert result.exit_code == 2
    assert "Invalid value for '--by'" in result.output


def test_stats_on_an_empty_workspace(run, workspace):
    result = run(workspace(), "stats")
    assert result.exit_code == 0, result.output
    assert "Schedule slip (0 retrospectives): median -, worst -" in result.stdout


# ---------------------------------------------------------------------------------------------
# The guide documents every register command and option


def test_guide_documents_every_command_and_option():
    from kb.cli import cli

    guide = (Path(__file__).parent.parent / "docs" / "guide" / "registers.md").read_text("utf-8")
    for name in ("actions", "stats", "export", "import"):
        command = cli.commands[name]
        assert f"## `kb {name}`" in guide, f"kb {name} has no section in the guide"
        assert "Example" in (command.help or ""), f"kb {name} --help has no example"
        for param in command.params:
            if getattr(param, "hidden", False) or not getattr(param, "opts", None):
                continue
            if param.name in ("help",) or param.param_type_name == "argument":
                continue
            assert any(opt in guide for opt in param.opts), f"kb {name} {param.opts} undocumented"


# ---------------------------------------------------------------------------------------------
# Unreadable entries are named, never silently left out

BROKEN = "docs/retrospectives/RETRO-0009-broken.md"
BROKEN_TEXT = "---\nid: RETRO-0009\ntype: retrospective\ntitle: [oops\n---\n\n# Broken\n"


def broken_ws(golden_ws: Path) -> Path:
    (golden_ws / BROKEN).write_text(BROKEN_TEXT, encoding="utf-8")
    return golden_ws


@pytest.mark.parametrize(
    "args",
    [
        ("actions",),
        ("stats",),
        ("export", "--type", "retrospective"),
        ("export", "--type", "risk", "--format", "json"),
    ],
)
def test_registers_warn_about_each_unreadable_file(run, golden_ws, args):
    result = run(broken_ws(golden_ws), *args, "--today", TODAY)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: skipped {BROKEN}:5: front matter is not valid YAML: "
        "did not find expected ',' or ']'"
    ]
    assert "RETRO-0009" not in result.stdout


@pytest.mark.parametrize("command", ["actions", "stats"])
def test_json_reports_unreadable_files_under_skipped(run, golden_ws, command):
    clean = json.loads(run(golden_ws, command, "--json", "--today", TODAY).stdout)
    assert clean["skipped"] == []
    data = json.loads(run(broken_ws(golden_ws), command, "--json", "--today", TODAY).stdout)
    assert data["skipped"] == [
        {
            "path": BROKEN,
            "line": 5,
            "level": "error",
            "code": "front-matter",
            "field": None,
            "message": "front matter is not valid YAML: did not find expected ',' or ']'",
        }
    ]
    assert {k: v for k, v in data.items() if k != "skipped"} == {
        k: v for k, v in clean.items() if k != "skipped"
    }


@pytest.mark.parametrize("flags", [("--open", "--overdue"), ("--overdue", "--all")])
def test_actions_views_are_mutually_exclusive(run, golden_ws, flags):
    result = run(golden_ws, "actions", *flags)
    assert result.exit_code == 2
    assert (
        f"error: {flags[0]} and {flags[1]} cannot be combined: give one of --open, --overdue, --all"
    ) in result.stderr
    assert result.stdout == ""


def test_actions_view_given_twice_is_fine(run, golden_ws):
    result = run(golden_ws, "actions", "--overdue", "--overdue", "--today", TODAY, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["view"] == "overdue"


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_json_with_another_format_is_refused(run, golden_ws, fmt):
    result = run(golden_ws, "actions", "--format", fmt, "--json", "--today", TODAY)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        f"error: --json and --format {fmt} cannot be combined: --json is --format json"
    ) in result.stderr


def test_json_agrees_with_format_json(run, golden_ws):
    both = run(golden_ws, "actions", "--format", "json", "--json", "--today", TODAY)
    assert both.exit_code == 0, both.output
    alone = run(golden_ws, "actions", "--json", "--today", TODAY)
    assert json.loads(both.stdout) == json.loads(alone.stdout)
    assert json.loads(alone.stdout)["count"] == 3


def test_actions_project_by_the_start_of_its_name(run, golden_ws):
    result = run(golden_ws, "actions", "--all", "-p", "erp", "--today", TODAY, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["count"] > 0 and {i["project"] for i in data["items"]} == {"ERP roll-out"}

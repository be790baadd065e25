"""Action items' references and lifecycle: kb actions done|verify|drop|reopen on real files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kb.actions import item_ids
from kb.scaffold import mkdocs_yml
from tests.conftest import entry_text

RETRO_PATH = "docs/retrospectives/RETRO-0001-erp.md"
HEAD = """\
id: RETRO-0001
type: retrospective
title: ERP roll-out
date: 2024-06-01
owner: Anna
status: approved
project: ERP
project_type: it-implementation
phase: whole-project
outcome: succeeded
"""
BLOCK = (
    HEAD
    + """\
# the items agreed in the review
actions:
  - action: Rehearse the data migration twice
    owner: Anna
    due: 2024-08-31
    status: open   # agreed on 2024-06-01
  - action: Name a data owner
    owner: Ben
    due: 2024-09-30
    status: open
tags: [erp]   # after the list
"""
)


@pytest.fixture
def retro(workspace):
    """A workspace with one retrospective whose front matter is ``meta``; returns its file."""

    def make(meta: str = BLOCK, lang: str = "en") -> Path:
        root = workspace({RETRO_PATH: entry_text(meta)}, config=mkdocs_yml("Test KB", lang))
        return root / RETRO_PATH

    return make


def kb(run, path: Path, *args: str):
    return run(path.parents[2], *args)


# ---------------------------------------------------------------------------------------------
# References


def test_item_ids_number_by_position_until_stored():
    assert item_ids([{}, {}, {}]) == [1, 2, 3]
    assert item_ids([{}, {"id": 1}]) == [2, 1]  # position 1 is claimed: next after the highest
    assert item_ids([{"id": 3}, {}, {}]) == [3, 2, 4]
    assert item_ids([{}, "not an item", {}]) == [1, None, 3]
    assert item_ids([{"id": True}, {"id": 0}]) == [1, 2]  # not a positive whole number


# ---------------------------------------------------------------------------------------------
# Edits that keep the file as written


def test_done_changes_only_the_items_lines(run, retro):
    path = retro()
    before = path.read_text("utf-8")
    result = kb(
        run,
        path,
        "actions",
        "done",
        "RETRO-0001#1",
        "--note",
        "Two rehearsals run",
        "--date",
        "2024-08-20",
    )
    assert result.exit_code == 0, result.output
    assert "RETRO-0001#1: Open → Done: Rehearse the data migration twice" in result.stdout
    assert "RETRO-0001#1, RETRO-0001#2" in result.stderr  # the ids written
    expected = before.replace(
        "    status: open   # agreed on 2024-06-01\n",
        "    status: done   # agreed on 2024-06-01\n"
        "    done: 2024-08-20\n"
        "    note: Two rehearsals run\n"
        "    id: 1\n",
    ).replace("    status: open\ntags", "    status: open\n    id: 2\ntags")
    assert path.read_text("utf-8") == expected
    assert not list(path.parent.glob(".*.tmp"))  # written through a renamed temporary file


def test_verify_then_reopen_round_trip(run, retro):
    path = retro()
    original = path.read_text("utf-8")
    assert kb(run, path, "actions", "done", "RETRO-0001#2", "--date", "2024-09-01").exit_code == 0
    result = kb(
        run,
        path,
        "actions",
        "verify",
        "RETRO-0001#2",
        "--evidence",
        "Owners named in wave 2",
        "--date",
        "2024-10-01",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ref"] == "RETRO-0001#2" and data["before"] == "done"
    assert data["item"] == {
        "action": "Name a data owner",
        "owner": "Ben",
        "due": "2024-09-30",
        "status": "verified",
        "id": 2,
        "done": "2024-09-01",
        "verified": "2024-10-01",
        "evidence": "Owners named in wave 2",
    }
    assert data["ids_written"] == []  # the first step wrote them
    assert kb(run, path, "actions", "reopen", "RETRO-0001#2").exit_code == 0
    # Back to open: only the id lines remain of the whole story.
    with_ids = original.replace("agreed on 2024-06-01\n", "agreed on 2024-06-01\n    id: 1\n")
    assert path.read_text("utf-8") == with_ids.replace(
        "    status: open\ntags", "    status: open\n    id: 2\ntags"
    )


def test_flow_style_item_is_rewritten_on_its_line(run, retro):
    meta = HEAD + (
        "actions:\n"
        "  - {action: 'Fix: the checklist', owner: Anna, due: 2024-08-31, status: open}\n"
        "  - {action: Train, owner: Ben, due: 2024-09-30, status: open}  # keep me\n"
    )
    path = retro(meta)
    result = kb(run, path, "actions", "drop", "RETRO-0001#2", "--reason", "Out of scope")
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert (
        "  - {action: 'Fix: the checklist', owner: Anna, due: 2024-08-31, status: open, id: 1}\n"
        in text
    )
    assert (
        "  - {action: Train, owner: Ben, due: 2024-09-30, status: dropped, reason: Out of scope,"
        " id: 2}  # keep me\n" in text
    )


def test_flow_style_list_stays_one(run, retro):
    meta = HEAD + "actions: [{action: Fix, owner: Bo, due: 2024-03-01, status: open}]\n"
    path = retro(meta)
    assert kb(run, path, "actions", "done", "RETRO-0001#1", "--date", "2024-03-01").exit_code == 0
    assert (
        "actions: [{action: Fix, owner: Bo, due: 2024-03-01, status: done, done: 2024-03-01, "
        "id: 1}]\n" in path.read_text("utf-8")
    )


def test_references_stay_when_items_are_added_and_reordered(run, retro):
    path = retro()
    assert kb(run, path, "actions", "done", "RETRO-0001#2", "--date", "2024-09-01").exit_code == 0
    text = path.read_text("utf-8")
    # Someone adds an item at the top by hand, without an id.
    text = text.replace(
        "actions:\n",
        "actions:\n  - action: New item\n    owner: Cleo\n    due: 2025-01-31\n    status: open\n",
    )
    path.write_text(text, "utf-8")
    listed = json.loads(kb(run, path, "actions", "--all", "--json", "--today", "2024-07-01").stdout)
    refs = {i["action"]: i["ref"] for i in listed["items"]}
    assert refs == {
        "Rehearse the data migration twice": "RETRO-0001#1",
        "Name a data owner": "RETRO-0001#2",
        "New item": "RETRO-0001#3",
    }
    result = kb(run, path, "actions", "done", "RETRO-0001#3", "--date", "2024-12-01")
    assert result.exit_code == 0, result.output
    assert "New item" in result.stdout


# ---------------------------------------------------------------------------------------------
# Refused steps: a clear message, the file untouched


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            [["verify", "RETRO-0001#1", "--evidence", "x"]],
            "RETRO-0001#1 is open: it can be verified once it is done",
        ),
        ([["reopen", "RETRO-0001#1"]], "RETRO-0001#1 is open already"),
        ([["drop", "RETRO-0001#1"]], "say why it is dropped, with --reason TEXT"),
        (
            [["done", "RETRO-0001#1", "--date", "2024-08-01"], ["verify", "RETRO-0001#1"]],
            "say what shows the fix worked, with --evidence TEXT",
        ),
        (
            [
                ["done", "RETRO-0001#1", "--date", "2024-08-01"],
                ["verify", "RETRO-0001#1", "--evidence", "x", "--date", "2024-07-01"],
            ],
            "verified on 2024-07-01, before it was done (2024-08-01)",
        ),
        (
            [["done", "RETRO-0001#1", "--date", "2024-08-01"], ["done", "RETRO-0001#1"]],
            "RETRO-0001#1 is already done (since 2024-08-01)",
        ),
        (
            [["drop", "RETRO-0001#1", "--reason", "no"], ["done", "RETRO-0001#1"]],
            "RETRO-0001#1 is dropped: reopen it first (`kb actions reopen RETRO-0001#1`)",
        ),
        ([["done", "RETRO-0001#1", "--date", "2999-01-01"]], "--date 2999-01-01 is in the future"),
        (
            [["done", "RETRO-0001#7"]],
            "RETRO-0001 has no action item 7; its items are RETRO-0001#1, RETRO-0001#2",
        ),
        (
            [["done", "RETRO-1#2"]],
            "no entry RETRO-1 with action items (did you mean RETRO-0001#2?)",
        ),
        ([["done", "RETRO-0001"]], "is not an action item reference; write ENTRY-ID#N"),
    ],
)
def test_wrong_steps_are_refused(run, retro, steps, message):
    path = retro()
    for args in steps[:-1]:
        assert kb(run, path, "actions", *args).exit_code == 0
    before = path.read_bytes()
    result = kb(run, path, "actions", *steps[-1])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_a_file_kb_check_rejects_is_not_touched(run, retro):
    path = retro(BLOCK.replace("outcome: succeeded", "outcome: great"))
    before = path.read_bytes()
    result = kb(run, path, "actions", "done", "RETRO-0001#1")
    assert result.exit_code == 1
    assert "`kb check` rejects this file" in result.stderr
    assert f"{RETRO_PATH}:" in result.stderr and "outcome" in result.stderr
    assert path.read_bytes() == before


def test_messages_in_a_chinese_workspace(run, retro):
    path = retro(lang="zh")
    result = kb(run, path, "actions", "verify", "RETRO-0001#1", "--evidence", "x")
    assert result.exit_code == 1
    assert "尚未完成：完成后才能验证" in result.stderr
    result = kb(run, path, "actions", "done", "RETRO-0001#1", "--date", "2024-08-01")
    assert result.exit_code == 0, result.output
    assert "未完成 → 已完成" in result.stdout and "已为 2 项改进行动写入编号" in result.stderr


# ---------------------------------------------------------------------------------------------
# kb check and kb actions see the lifecycle


def test_check_reads_the_lifecycle_keys(run, retro):
    meta = HEAD + (
        "actions:\n"
        "  - {action: A, owner: Bo, due: 2024-03-01, status: verified, done: 2024-03-01, id: 1}\n"
        "  - {action: B, owner: Bo, due: 2024-03-01, status: done, done: soon, id: 1}\n"
        "  - {action: C, owner: Bo, due: 2024-03-01, status: open, id: -2, note: [a, b]}\n"
    )
    path = retro(meta)
    result = kb(run, path, "check", "--format", "json")
    problems = {(p["line"], p["level"], p["code"]) for p in json.loads(result.stdout)["problems"]}
    assert (13, "warning", "action-evidence") in problems  # verified without evidence
    assert (14, "error", "action-id") in problems  # id 1 twice
    assert (14, "error", "type") in problems  # done: soon
    assert (15, "error", "action-id") in problems  # id -2
    assert (15, "error", "type") in problems  # note: a list


def test_listing_shows_references_and_verified_apart(run, retro):
    path = retro()
    kb(run, path, "actions", "done", "RETRO-0001#1", "--date", "2024-08-01")
    kb(run, path, "actions", "verify", "RETRO-0001#1", "--evidence", "ok", "--date", "2024-08-02")
    result = kb(run, path, "actions", "--status", "verified", "--today", "2024-10-15")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["OVERDUE", "DUE", "OWNER", "STATUS", "REF", "ACTION"]
    assert lines[1].split()[:5] == ["-", "2024-08-31", "Anna", "Verified", "RETRO-0001#1"]
    assert len(lines) == 2
    data = json.loads(kb(run, path, "actions", "--json", "--today", "2024-10-15").stdout)
    assert [(i["ref"], i["status"], i["overdue_days"]) for i in data["items"]] == [
        ("RETRO-0001#2", "open", 15)
    ]
    stats = json.loads(kb(run, path, "stats", "--json", "--today", "2024-10-15").stdout)
    assert stats["actions"]["verified"] == 1 and stats["actions"]["open"] == 1


def test_status_filter_takes_labels_and_answers_in_chinese(run, retro):
    path = retro(lang="zh")
    kb(run, path, "actions", "done", "RETRO-0001#1", "--date", "2024-08-01")
    result = kb(run, path, "actions", "--status", "已完成", "--json")
    assert result.exit_code == 0, result.output
    assert [i["ref"] for i in json.loads(result.stdout)["items"]] == ["RETRO-0001#1"]
    wrong = kb(run, path, "actions", "--status", "完成了")
    assert wrong.exit_code == 2
    assert "未完成、已完成、已验证、已放弃" in wrong.stderr and "dropped" not in wrong.stderr


def test_overdue_report_lists_sop_reviews(run, workspace):
    sop = entry_text(
        "id: SOP-0001\ntype: sop\ntitle: Cut-over\ndate: 2024-01-01\nowner: Anna\n"
        "status: approved\nversion: '1.0'\neffective: 2024-01-01\nreview_due: 2024-06-30\n"
    )
    root = workspace({"docs/sops/SOP-0001-cut-over.md": sop})
    result = run(root, "actions", "--overdue", "--fail-on-overdue", "--today", "2024-07-10")
    assert result.exit_code == 1
    assert "SOP reviews overdue:" in result.stdout
    assert "10d  2024-06-30  Anna  SOP-0001  Cut-over" in result.stdout
    assert "error: 1 SOP review overdue" in result.stderr
    data = json.loads(run(root, "actions", "--overdue", "--json", "--today", "2024-07-10").stdout)
    assert data["sop_reviews"][0]["entry_id"] == "SOP-0001"
    assert data["sop_reviews"][0]["overdue_days"] == 10
    early = run(root, "actions", "--overdue", "--fail-on-overdue", "--today", "2024-06-30")
    assert early.exit_code == 0, early.output


def test_every_step_has_help(run):
    for step in ("done", "verify", "drop", "reopen"):
        result = run(None, "actions", step, "--help")
        assert result.exit_code == 0 and "Examples:" in result.output
        assert "--json" in result.output


def test_done_defaults_to_today(run, retro):
    path = retro()
    result = kb(run, path, "actions", "done", "RETRO-0001#1", "--json")
    assert json.loads(result.stdout)["item"]["done"] == dt.date.today().isoformat()


def test_the_guide_shows_every_step_and_option():
    from kb.cli import cli

    guide = (Path(__file__).parent.parent / "docs" / "guide" / "actions.md").read_text("utf-8")
    group = cli.commands["actions"]
    for name, step in group.commands.items():
        assert f"kb actions {name} " in guide, name
        for param in step.params:
            if param.param_type_name == "option" and param.name != "help":
                assert any(opt in guide for opt in param.opts), (name, param.opts)


ODD = HEAD + (
    "actions:\n"
    "-\n"
    "  action: Lone dash\n"
    "  owner: Anna\n"
    "  due: 2024-08-31\n"
    "  status: open\n"
    "# a comment between items, at column 0\n"
    '- action: "Quoted: item"   # trailing\n'
    "  owner: Ben\n"
    "  due: 2024-09-30\n"
    "  status: open\n"
    "\n"
    "- status: open\n"
    "  action: Status first\n"
    "  owner: Cleo\n"
    "  due: 2024-10-31\n"
)


def test_odd_layouts_are_edited_in_place(run, retro):
    path = retro(ODD)
    assert (
        kb(
            run, path, "actions", "done", "RETRO-0001#1", "--note", "a # b", "--date", "2024-08-01"
        ).exit_code
        == 0
    )
    assert kb(run, path, "actions", "done", "RETRO-0001#3", "--date", "2024-08-01").exit_code == 0
    assert kb(run, path, "actions", "reopen", "RETRO-0001#3").exit_code == 0
    text = path.read_text("utf-8")
    assert (
        "-\n  action: Lone dash\n  owner: Anna\n  due: 2024-08-31\n  status: done\n"
        "  done: 2024-08-01\n  note: 'a # b'\n  id: 1\n# a comment between items, at column 0\n"
        '- action: "Quoted: item"   # trailing\n  owner: Ben\n  due: 2024-09-30\n  status: open\n'
        "  id: 2\n\n- status: open\n  action: Status first\n" in text
    )


def test_line_ends_and_byte_order_mark_are_kept(run, workspace):
    text = "\ufeff" + entry_text(BLOCK).replace("\n", "\r\n")
    root = workspace({RETRO_PATH: text.encode("utf-8")})
    assert run(root, "actions", "done", "RETRO-0001#1").exit_code == 0
    data = (root / RETRO_PATH).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"status: done" in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_an_unreadable_entry_is_named(run, workspace):
    root = workspace({RETRO_PATH: "---\nid: RETRO-0001\ntitle: [oops\n---\n\n# Broken\n"})
    result = run(root, "actions", "done", "RETRO-0001#1")
    assert result.exit_code == 1
    assert "`kb check` rejects this file" in result.stderr and RETRO_PATH in result.stderr


def test_an_item_ahead_of_a_flow_style_item_keeps_its_comments(run, retro):
    # The first item gains its id line where the second item's line starts; both edits must
    # land, so neither item is written anew.
    meta = HEAD + (
        "actions:\n"
        "  - action: Rehearse   # twice\n"
        "    owner: Anna\n"
        "    due: 2024-08-31\n"
        "  - {action: Train, owner: Ben, due: 2024-09-30, status: open}\n"
    )
    path = retro(meta)
    result = kb(run, path, "actions", "done", "RETRO-0001#2", "--date", "2024-08-01")
    assert result.exit_code == 0, result.output
    assert (
        "  - action: Rehearse   # twice\n    owner: Anna\n    due: 2024-08-31\n    id: 1\n"
        "  - {action: Train, owner: Ben, due: 2024-09-30, status: done, done: 2024-08-01, id: 2}\n"
        in path.read_text("utf-8")
    )


def test_a_flow_style_list_with_a_line_break_in_a_text_stays_one_with_its_comment(run, retro):
    meta = (
        HEAD + 'actions: [{action: "Fix\\nthe checklist", owner: Bo, due: 2024-03-01}]  # agreed\n'
    )
    path = retro(meta)
    result = kb(run, path, "actions", "done", "RETRO-0001#1", "--date", "2024-03-01")
    assert result.exit_code == 0, result.output
    assert (
        'actions: [{action: "Fix\\nthe checklist", owner: Bo, due: 2024-03-01, status: done, '
        "done: 2024-03-01, id: 1}]  # agreed\n" in path.read_text("utf-8")
    )


# ---------------------------------------------------------------------------------------------
# Review findings: dates as everywhere, projects as kb list, one prefix, quotes in comments


def test_a_comment_with_a_quote_stays_on_a_rewritten_line(run, retro):
    meta = HEAD + (
        "actions:\n"
        "  - action: Rehearse\n"
        "    owner: Anna\n"
        "    due: 2024-08-31\n"
        "    status: open   # Anna's call\n"
        '  - {action: "Train: users", owner: Ben, due: 2024-09-30}  # Bob\'s "idea"\n'
    )
    path = retro(meta)
    assert kb(run, path, "actions", "done", "RETRO-0001#1", "--date", "2024-08-01").exit_code == 0
    result = kb(run, path, "actions", "drop", "RETRO-0001#2", "--reason", "Not needed")
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert "    status: done   # Anna's call\n" in text
    assert (
        "  - {action: 'Train: users', owner: Ben, due: 2024-09-30, id: 2, status: dropped, "
        'reason: Not needed}  # Bob\'s "idea"\n' in text
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2024/8/1", "2024-08-01"), ("2024年8月1日", "2024-08-01"), ("1.8.2024", "2024-08-01")],
)
def test_date_takes_the_forms_the_import_takes(run, retro, typed, stored):
    path = retro()
    result = kb(run, path, "actions", "done", "RETRO-0001#1", "--date", typed, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["item"]["done"] == stored
    verify = ["verify", "RETRO-0001#1", "--evidence", "ok", "--date", typed, "--json"]
    assert json.loads(kb(run, path, "actions", *verify).stdout)["item"]["verified"] == stored


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        (
            "en",
            "2024/13/1",
            "Invalid value for '--date': '2024/13/1' is not a valid date; "
            "expected a date such as 2024-03-15 (YYYY-MM-DD)",
        ),
        ("en", "soon", "expected a date such as 2024-03-15 (YYYY-MM-DD), found 'soon'"),
        ("zh", "明天", "'--date' 的值无效：应为形如 2024-03-15 的日期（YYYY-MM-DD），实为 '明天'"),
    ],
)
def test_a_wrong_date_names_the_expected_form(run, retro, lang, typed, message):
    path = retro(lang=lang)
    before = path.read_bytes()
    result = kb(run, path, "actions", "done", "RETRO-0001#1", "--date", typed)
    assert result.exit_code == 2
    assert message in result.stderr
    assert path.read_bytes() == before


def test_every_date_option_reads_dates_alike():
    import click

    from kb.cli import cli
    from kb.cli.dates import DATE

    def commands(group, path=()):
        for name, command in group.commands.items():
            yield (*path, name), command
            if isinstance(command, click.Group):
                yield from commands(command, (*path, name))

    seen = set()
    for path, command in commands(cli):
        for param in command.params:
            assert not isinstance(param.type, click.DateTime), (path, param.name)
            if param.name in ("day", "today", "since", "until"):
                assert param.type is DATE, (path, param.name)
                seen.add(path[-1])
    assert {"done", "verify", "actions", "stats", "check", "export", "import", "search"} <= seen


@pytest.mark.parametrize(
    "args",
    [
        ("actions", "--json", "--today", "2024/10/15"),
        ("stats", "--json", "--today", "15.10.2024"),
        ("check", "--format", "json", "--today", "2024年10月15日"),
        ("search", "--json", "--since", "2024/6/1", "--until", "1 Jun 2024"),
    ],
    ids=lambda a: a[0],
)
def test_today_since_and_until_take_the_same_forms(run, retro, args):
    result = kb(run, retro(), *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    if args[0] == "actions":
        assert data["today"] == "2024-10-15"
        assert [i["overdue_days"] for i in data["items"]] == [45, 15]
    elif args[0] == "search":
        assert [h["id"] for h in data["hits"]] == ["RETRO-0001"]


@pytest.mark.parametrize(("project", "count"), [("erp", 2), ("E", 2), ("ERP", 2)])
def test_project_matches_as_kb_list_matches(run, retro, project, count):
    path = retro()
    result = kb(run, path, "actions", "-p", project, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["count"] == count
    listed = kb(run, path, "list", "-p", project, "--json")
    assert [r["id"] for r in json.loads(listed.stdout)] == ["RETRO-0001"]


def test_an_unknown_project_is_named_with_the_known_ones(run, retro):
    result = kb(run, retro(), "actions", "-p", "CRM")
    assert result.exit_code == 2
    assert "error: --project: no entry has 'CRM'; known: ERP" in result.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_problems_of_a_refused_file_carry_one_prefix_each(run, retro, lang):
    path = retro(BLOCK.replace("due: 2024-08-31", "due: someday"), lang=lang)
    result = kb(run, path, "actions", "done", "RETRO-0001#2")
    assert result.exit_code == 1
    error = "error: " if lang == "en" else "错误："
    lines = result.stderr.splitlines()
    assert lines[0].startswith(error) and RETRO_PATH in lines[0]
    assert lines[1].startswith(f"{RETRO_PATH}:16: {error}") and "due" in lines[1]
    assert all(line.count(error) == 1 for line in lines), lines

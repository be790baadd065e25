"""`kb check`: one line per problem naming file and line; hostile files never crash it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import entry_text

TODAY = "2026-06-01"

LESSON = """
id: LL-0001
type: lesson
title: Rehearse the migration
date: 2026-05-01
owner: Ana
status: approved
category: quality
phase: executing
impact: negative
"""

RETRO = """
id: RETRO-0001
type: retrospective
title: ERP go-live
date: 2026-05-01
owner: Ana
status: approved
project: ERP
project_type: it-implementation
phase: whole-project
outcome: failed
"""


def check(run, root, *args):
    return run(root, "check", "--today", TODAY, *args)


def lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line]


def test_clean_workspace_exits_zero(workspace, run):
    root = workspace(
        {
            "docs/lessons/LL-0001-rehearse.md": entry_text(LESSON),
            "docs/retrospectives/RETRO-0001-erp.md": entry_text(RETRO),
        }
    )
    result = check(run, root)
    assert result.exit_code == 0, result.output
    assert lines(result) == []
    assert "2 entries checked: 0 errors, 0 warnings" in result.stderr


def test_missing_required_field_names_file_line_and_field(workspace, run):
    meta = LESSON.replace("category: quality\n", "")
    root = workspace({"docs/lessons/LL-0001-rehearse.md": entry_text(meta)})
    result = check(run, root)
    assert result.exit_code == 1
    assert lines(result) == [
        "docs/lessons/LL-0001-rehearse.md:2: error: category: required field is missing"
    ]


def test_wrong_values_point_at_their_line(workspace, run):
    meta = (
        LESSON.replace("category: quality", "category: qualty")
        .replace("date: 2026-05-01", "date: last tuesday")
        .replace("phase: executing", "phase: [executing]")
    )
    root = workspace({"docs/lessons/LL-0001-rehearse.md": entry_text(meta)})
    result = check(run, root)
    assert result.exit_code == 1
    out = lines(result)
    path = "docs/lessons/LL-0001-rehearse.md"
    assert (
        f"{path}:5: error: date: expected a date such as 2024-03-15 (YYYY-MM-DD), "
        "found 'last tuesday'" in out
    )
    assert any(
        line.startswith(f"{path}:8: error: category: 'qualty' is not an allowed value")
        and "allowed: integration, scope" in line
        and "did you mean 'quality'?" in line
        for line in out
    ), out
    assert f"{path}:9: error: phase: expected one value, found a list" in out


def test_number_and_list_types(workspace, run):
    risk = """
    id: RISK-0001
    type: risk
    title: Vendor late
    date: 2026-05-01
    owner: Ana
    status: approved
    tags: data-migration
    category: vendor
    probability: "4"
    impact: 7
    trigger: late answers
    response: mitigate
    occurred: maybe
    """
    root = workspace({"docs/risks/RISK-0001-vendor.md": entry_text(risk)})
    out = lines(check(run, root))
    p = "docs/risks/RISK-0001-vendor.md"
    assert (
        f"{p}:8: error: tags: expected a list, found 'data-migration'; write [data-migration]"
        in out
    )
    assert (
        f"{p}:10: error: probability: expected a whole number from 1 to 5, found '4'; write 4"
        in out
    )
    assert f"{p}:11: error: impact: 7 is out of range; expected from 1 to 5" in out
    assert f"{p}:14: error: occurred: expected yes or no, found 'maybe'" in out


def test_actions_without_owner_or_due_and_overdue(workspace, run):
    meta = (
        RETRO
        + """actions:
  - action: Rehearse the migration
    owner: Bo
    due: 2026-05-01
  - action: Write the SOP
    status: open
  - action: Done already
    owner: Li
    due: 2026-01-01
    status: done
  - action: Typo status
    owner: Li
    due: 2026-09-01
    status: dnoe
"""
    )
    root = workspace({"docs/retrospectives/RETRO-0001-erp.md": entry_text(meta)})
    result = check(run, root)
    assert result.exit_code == 1
    out = lines(result)
    p = "docs/retrospectives/RETRO-0001-erp.md"
    assert f"{p}:16: error: actions[1]: action item has no owner" in out
    assert f"{p}:16: error: actions[1]: action item has no due date" in out
    assert any(line.startswith(f"{p}:25: error: actions[3].status: 'dnoe'") for line in out), out
    assert (
        f"{p}:13: warning: actions[0]: overdue by 31 days (due 2026-05-01, owner Bo): "
        "Rehearse the migration" in out
    )


def test_duplicate_ids_dangling_refs_and_file_name_mismatch(workspace, run):
    second = LESSON.replace("Rehearse the migration", "Another") + "source: RETRO-0009\n"
    third = LESSON.replace("LL-0001", "LL-0003") + "related: [LL-0001, LL-0004]\n"
    root = workspace(
        {
            "docs/lessons/LL-0001-rehearse.md": entry_text(LESSON),
            "docs/lessons/LL-0001-another.md": entry_text(second),
            "docs/lessons/LL-0002-misnamed.md": entry_text(third),
        }
    )
    out = lines(check(run, root))
    assert (
        "docs/lessons/LL-0001-rehearse.md:2: error: id: LL-0001 is also used by "
        "docs/lessons/LL-0001-another.md; give this entry a new id with "
        "`kb renumber docs/lessons/LL-0001-rehearse.md`" in out
    )
    assert "docs/lessons/LL-0001-another.md:11: error: source: RETRO-0009 does not exist" in out
    assert any("id: LL-0003 disagrees with the file name LL-0002-misnamed.md" in x for x in out)
    assert any(
        x.startswith("docs/lessons/LL-0002-misnamed.md:11: error: related: LL-0004") for x in out
    )


def test_unknown_or_missing_type(workspace, run):
    root = workspace(
        {
            "docs/lessons/LL-0001-a.md": entry_text(LESSON.replace("type: lesson", "type: lessn")),
            "docs/lessons/LL-0002-b.md": entry_text(
                LESSON.replace("type: lesson\n", "").replace("LL-0001", "LL-0002")
            ),
        }
    )
    out = lines(check(run, root))
    assert any(
        "LL-0001-a.md:3: error: type: unknown type 'lessn'" in x and "did you mean 'lesson'" in x
        for x in out
    ), out
    assert any("LL-0002-b.md:2: error: type: missing" in x for x in out), out


def test_warnings_stale_draft_and_sop_review(workspace, run):
    draft = LESSON.replace("status: approved", "status: draft").replace(
        "date: 2026-05-01", "date: 2025-01-10"
    )
    sop = """
    id: SOP-0001
    type: sop
    title: Cut-over
    date: 2025-01-01
    owner: PMO
    status: approved
    version: "1.2"
    effective: 2025-01-01
    review_due: 2026-01-01
    """
    root = workspace(
        {
            "docs/lessons/LL-0001-a.md": entry_text(draft),
            "docs/sops/SOP-0001-cut-over.md": entry_text(sop),
        }
    )
    result = check(run, root)
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert any("LL-0001-a.md:7: warning: status: draft untouched for 507 days" in x for x in out)
    assert any("SOP-0001-cut-over.md:10: warning: review_due: SOP review was due" in x for x in out)
    assert check(run, root, "--strict").exit_code == 1


def test_json_format(workspace, run):
    root = workspace({"docs/lessons/LL-0001-a.md": entry_text(LESSON.replace("owner: Ana\n", ""))})
    result = check(run, root, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["entries"] == 1
    assert data["problems"] == [
        {
            "path": "docs/lessons/LL-0001-a.md",
            "line": 2,
            "level": "error",
            "code": "missing",
            "field": "owner",
            "message": "owner: required field is missing",
        }
    ]


def test_usage_error_exits_two(workspace, run):
    root = workspace()
    assert run(root, "check", "--format", "xml").exit_code == 2


def test_unknown_extra_fields_are_kept_and_allowed(workspace, run):
    meta = LESSON + "cost_center: CC-42\nreviewers: [a, b]\n"
    root = workspace({"docs/lessons/LL-0001-a.md": entry_text(meta)})
    assert check(run, root).exit_code == 0


def test_organization_extends_schema_from_mkdocs_yml(workspace, run):
    config = """
site_name: T
plugins:
  - kb:
      allowed_values:
        category: [sustainability]
      required_fields:
        lesson: [project, cost_center]
      id_prefixes:
        lesson: LES
"""
    meta = LESSON.replace("LL-0001", "LES-0001").replace("quality", "sustainability")
    root = workspace({"docs/lessons/LES-0001-a.md": entry_text(meta)}, config=config)
    out = lines(check(run, root))
    assert out == [
        "docs/lessons/LES-0001-a.md:2: error: project: required field is missing",
        "docs/lessons/LES-0001-a.md:2: error: cost_center: required field is missing",
    ] or sorted(out) == sorted(
        [
            "docs/lessons/LES-0001-a.md:2: error: cost_center: required field is missing",
            "docs/lessons/LES-0001-a.md:2: error: project: required field is missing",
        ]
    )
    new = run(
        root,
        "new",
        "lesson",
        "x",
        "--set",
        "category=sustainability",
        "--set",
        "phase=closing",
        "--set",
        "impact=positive",
        "--set",
        "owner=A",
        "-p",
        "P",
        "--set",
        "cost_center=CC-1",
        "--no-input",
        "--json",
    )
    assert new.exit_code == 0, new.output
    assert json.loads(new.stdout)["id"] == "LES-0002"


def test_invalid_kb_settings_are_reported(workspace, run):
    config = "site_name: T\nplugins:\n  - kb:\n      stale_draft_days: soon\n      colour: red\n"
    root = workspace(config=config)
    result = check(run, root)
    assert result.exit_code == 2
    assert "plugins.kb.stale_draft_days: expected a whole number" in result.stderr
    assert "plugins.kb.colour: unknown setting" in result.stderr


def test_mkdocs_yml_with_python_tags_is_readable(workspace, run):
    config = (
        "site_name: T\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - kb:\n      language: zh\n"
    )
    root = workspace(config=config)
    assert check(run, root).exit_code == 0


# --- Hostile files: each gives one clear problem and never a traceback -----------------------

HOSTILE: dict[str, tuple[bytes, str]] = {
    "empty": (b"", ":1: error: empty file"),
    "no-front-matter": (b"# Just a heading\n\nText.\n", ":1: error: no front matter"),
    "unclosed": (b"---\nid: LL-0001\n", ":1: error: front matter is not closed"),
    "list": (
        b"---\n- a\n- b\n---\nbody\n",
        ":2: error: front matter must be key: value pairs, found a list",
    ),
    "string": (
        b"---\njust a string\n---\nbody\n",
        ":2: error: front matter must be key: value pairs, found a single text line",
    ),
    "nul": (
        b"---\nid: LL-0001\ntype: lesson\ntitle: a\x00b\n---\nbody\n",
        ":4: error: the title contains a NUL character, which front matter cannot hold; delete it",
    ),
    "bad-utf8": (
        b"---\nid: LL-0001\ntitle: caf\xe9\n---\n",
        ":3: error: not valid UTF-8 (byte 0xe9 at line 3)",
    ),
    "tabs": (
        b"---\nid: LL-0001\ntags:\n\t- a\n---\n",
        ":4: error: front matter is not valid YAML: a tab character; YAML indentation",
    ),
    "bad-yaml": (
        b"---\nid: LL-0001\ntitle: [unclosed\n---\n",
        "error: front matter is not valid YAML",
    ),
    "deep-flow": (
        b"---\nid: LL-0001\nx: " + b"[" * 50000 + b"]" * 50000 + b"\n---\n",
        ":2: error: front matter is nested too deeply",
    ),
    "leading-blank": (
        b"\n\n---\nid: LL-0001\n---\n",
        ":1: error: front matter must start on the first line",
    ),
    "yaml-bomb": (
        b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\n",
        ":3: error: front matter is not valid YAML: YAML aliases (*name) are not allowed",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gives_one_clear_problem(workspace, run, name):
    content, expected = HOSTILE[name]
    root = workspace({f"docs/lessons/LL-0001-{name}.md": content})
    result = check(run, root)
    assert result.exit_code == 1
    out = lines(result)
    assert len(out) == 1, out
    assert out[0].startswith(f"docs/lessons/LL-0001-{name}.md")
    assert expected in out[0], out[0]
    assert "Traceback" not in result.output


def test_bom_and_crlf_are_read_like_plain_utf8(workspace, run):
    text = entry_text(LESSON).replace("\n", "\r\n").encode("utf-8")
    root = workspace({"docs/lessons/LL-0001-rehearse.md": b"\xef\xbb\xbf" + text})
    result = check(run, root)
    assert result.exit_code == 0, result.output


def test_huge_file_is_refused_without_reading_it(workspace, run):
    root = workspace()
    path = root / "docs/lessons/LL-0001-huge.md"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as fh:
        fh.write(entry_text(LESSON).encode())
        fh.truncate(50 * 1024 * 1024)
    out = lines(check(run, root))
    assert out == [
        "docs/lessons/LL-0001-huge.md:1: error: file is 50.0 MB, over the 2048 KB limit "
        "for an entry (setting max_entry_kb)"
    ]


def test_symlink_outside_workspace_is_refused(workspace, run, tmp_path: Path):
    outside = tmp_path / "secret.md"
    outside.write_text(entry_text(LESSON), encoding="utf-8")
    root = workspace()
    (root / "docs/lessons").mkdir(parents=True)
    os.symlink(outside, root / "docs/lessons/LL-0001-link.md")
    out = lines(check(run, root))
    assert len(out) == 1
    assert "LL-0001-link.md:1: error: symlink points outside the workspace" in out[0]


def test_impossible_date_is_a_problem_not_a_traceback(workspace, run):
    meta = LESSON.replace("date: 2026-05-01", "date: 2026-13-01")
    root = workspace({"docs/lessons/LL-0001-rehearse.md": entry_text(meta)})
    result = check(run, root)
    assert result.exit_code == 1, result.output
    assert lines(result) == [
        "docs/lessons/LL-0001-rehearse.md:5: error: date: '2026-13-01' is not a valid date; "
        "expected a date such as 2024-03-15 (YYYY-MM-DD)"
    ]


def test_summary_line_counts_read_as_english(workspace, run):
    meta = LESSON.replace("category: quality\n", "")
    root = workspace({"docs/lessons/LL-0001-rehearse.md": entry_text(meta)})
    result = check(run, root)
    assert "1 entry checked: 1 error, 0 warnings" in result.stderr


def test_json_codes_say_why_a_file_is_unreadable(workspace, run):
    root = workspace(
        {
            "docs/lessons/LL-0001-empty.md": b"",
            "docs/lessons/LL-0002-plain.md": b"# no front matter\n",
            "docs/lessons/LL-0003-latin1.md": b"---\ntitle: caf\xe9\n---\n",
        }
    )
    data = json.loads(check(run, root, "--format", "json").stdout)
    assert [p["code"] for p in data["problems"]] == ["empty", "no-front-matter", "encoding"]


def test_reference_checks_resolve_aliases_and_hint_same_type(workspace, run):
    retro = RETRO.replace("type: retrospective", "type: retro")
    lesson = LESSON + "source: RETRO-0001\nsops: [SOP-0009]\n"
    root = workspace(
        {
            "docs/retrospectives/RETRO-0001-erp.md": entry_text(retro),
            "docs/lessons/LL-0001-rehearse.md": entry_text(lesson),
            "docs/sops/SOP-0008-x.md": entry_text(
                "id: SOP-0008\ntype: sop\ntitle: X\ndate: 2026-01-01\nowner: P\n"
                "status: approved\nversion: '1'\neffective: 2026-01-01\nreview_due: 2027-01-01"
            ),
        }
    )
    out = lines(check(run, root))
    assert not any("ref-type" in x or "expected a retrospective" in x for x in out), out
    assert any("sops: SOP-0009 does not exist (did you mean SOP-0008?)" in x for x in out), out


def test_deep_block_nesting_is_refused_cleanly(workspace, run):
    deep = "".join(" " * i + "a:\n" for i in range(1200)) + " " * 1200 + "b: 1\n"
    root = workspace({"docs/lessons/LL-0001-deep.md": "---\nid: LL-0001\n" + deep + "---\n"})
    result = check(run, root)
    assert lines(result) == [
        "docs/lessons/LL-0001-deep.md:2: error: front matter is nested too deeply"
    ]


def test_key_given_twice_is_an_error_at_the_second_line(workspace, run):
    meta = LESSON + "id: LL-0099\n"
    root = workspace({"docs/lessons/LL-0001-rehearse.md": entry_text(meta)})
    out = lines(check(run, root))
    assert "docs/lessons/LL-0001-rehearse.md:11: error: id: given twice (also line 2)" in out


def test_type_given_as_a_list(workspace, run):
    meta = LESSON.replace("type: lesson", "type: [lesson]")
    root = workspace({"docs/lessons/LL-0001-rehearse.md": entry_text(meta)})
    out = lines(check(run, root))
    assert out == [
        "docs/lessons/LL-0001-rehearse.md:3: error: type: expected one value, found a list "
        "or mapping"
    ]


def test_fifo_is_not_read(workspace, run):
    root = workspace()
    (root / "docs/lessons").mkdir(parents=True)
    os.mkfifo(root / "docs/lessons/LL-0001-fifo.md")
    out = lines(check(run, root))
    assert out == ["docs/lessons/LL-0001-fifo.md:1: error: not a regular file"]


def test_reference_to_an_unreadable_entry_is_not_called_missing(workspace, run):
    root = workspace(
        {
            "docs/lessons/LL-0001-rehearse.md": entry_text(LESSON + "related: [LL-0002]\n"),
            "docs/lessons/LL-0002-broken.md": b"---\nid: [\n---\n",
        }
    )
    out = lines(check(run, root))
    assert len(out) == 1 and out[0].startswith("docs/lessons/LL-0002-broken.md"), out


@pytest.mark.parametrize(
    ("kb_settings", "message"),
    [
        ("id_prefixes: {lesson: Lsn}", "id_prefixes.lesson: 'Lsn' is not a valid prefix"),
        ("id_prefixes: {sop: LL}", "id_prefixes: lesson and sop both use LL"),
        ("id_prefixes: {retro: R}", "id_prefixes.retro: unknown entry type"),
        ("required_fields: {lessons: [project]}", "required_fields.lessons: unknown entry type"),
        ("allowed_values: {owner: [x]}", "allowed_values.owner: not a field with allowed values"),
        (
            "docs_sections: {sop: ../../outside}",
            "docs_sections.sop: '../../outside' must be a folder",
        ),
    ],
)
def test_schema_settings_are_validated_when_read(workspace, run, kb_settings, message):
    config = f"site_name: T\nplugins:\n  - kb:\n      {kb_settings}\n"
    result = check(run, workspace(config=config))
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr


def test_kb_settings_that_are_not_a_mapping(workspace, run):
    result = check(run, workspace(config="site_name: T\nplugins:\n  - kb: [1]\n"))
    assert result.exit_code == 2
    assert "plugins.kb: expected a mapping of settings" in result.stderr


def test_symlink_problems_use_workspace_relative_paths(workspace, run, tmp_path: Path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("x", encoding="utf-8")
    root = workspace()
    (root / "docs/lessons").mkdir(parents=True)
    os.symlink(outside, root / "docs/lessons/LL-0001-link.md")
    out = lines(check(run, root))
    assert out[0].startswith("docs/lessons/LL-0001-link.md:1: error: symlink points outside")


def test_check_json_flag(workspace, run):
    root = workspace({"docs/lessons/LL-0001-a.md": entry_text(LESSON)})
    result = check(run, root, "--json")
    assert json.loads(result.stdout)["errors"] == 0
    assert json.loads(check(run, root, "--json", "--format", "json").stdout)["errors"] == 0
    refused = check(run, root, "--format", "github", "--json")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "error: --json and --format github cannot be combined" in refused.stderr


def test_today_takes_the_date_forms_of_every_entry_point(workspace, run):
    stale = LESSON.replace("status: approved", "status: draft")
    root = workspace({"docs/lessons/LL-0001-a.md": entry_text(stale)})
    for today in ("2026-06-01", "2026/6/1", "1.6.2026", "2026年6月1日"):
        result = run(root, "check", "--today", today, "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["warnings"] == 0  # a month-old draft is not stale yet
    wrong = run(root, "check", "--today", "2026/6/31")
    assert wrong.exit_code == 2
    assert "'2026/6/31' is not a valid date; expected a date such as 2024-03-15" in wrong.stderr


def test_did_you_mean_ignores_case():
    from kb.schema import closest

    assert closest("retro-0001", ["RETRO-0001", "LL-0001"]) == "RETRO-0001"
    assert closest("Qualty", ["quality", "scope"]) == "quality"

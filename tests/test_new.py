"""`kb new`: scaffolding entries from templates, ids, prompts, and values kept exactly."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kb.config import load_workspace
from kb.scaffold import mkdocs_yml
from kb.store import load_entries
from tests.conftest import entry_text

LESSON_ARGS = [
    "--set",
    "category=quality",
    "--set",
    "phase=executing",
    "--set",
    "impact=negative",
    "--set",
    "owner=Ana",
    "--no-input",
]


def new_lesson(run, root, title, *extra):
    return run(root, "new", "lesson", *LESSON_ARGS, *extra, "--", title)


def only_entry(root: Path):
    entries = load_entries(load_workspace(root=root)).entries
    assert len(entries) == 1
    return entries[0]


def test_new_lesson_creates_file_with_sequential_ids(workspace, run):
    root = workspace()
    first = new_lesson(run, root, "Rehearse the cut-over")
    assert first.exit_code == 0, first.output
    second = new_lesson(run, root, "Freeze scope before UAT", "--json")
    assert second.exit_code == 0, second.output
    data = json.loads(second.stdout)
    assert data["id"] == "LL-0002"
    assert data["path"] == "docs/lessons/LL-0002-freeze-scope-before-uat.md"
    assert (root / "docs/lessons/LL-0001-rehearse-the-cut-over.md").is_file()
    assert "LL-0001" in first.stdout


def test_new_fills_defaults_and_schema_order(workspace, run):
    root = workspace()
    result = new_lesson(run, root, "A lesson", "--project", "ERP roll-out")
    assert result.exit_code == 0, result.output
    entry = only_entry(root)
    assert entry.meta["date"] == dt.date.today()
    assert entry.meta["status"] == "draft"
    assert entry.meta["project"] == "ERP roll-out"
    assert list(entry.meta)[:6] == ["id", "type", "title", "date", "owner", "status"]
    assert "## Recommendation" in entry.body


def test_aliases_are_accepted(workspace, run):
    root = workspace()
    result = run(
        root,
        "new",
        "retro",
        "Go-live review",
        "-p",
        "ERP",
        "--set",
        "project_type=it-implementation",
        "--set",
        "phase=whole-project",
        "--set",
        "outcome=succeeded",
        "--set",
        "owner=Bo",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    assert only_entry(root).id == "RETRO-0001"


@pytest.mark.parametrize(
    "title",
    [
        "{{ 7*7 }}",
        "{% raw %}x{% endraw %} and {# c #}",
        "Quotes \"double\" and 'single': colons: # hash",
        "Emoji 🎉🚀 and ✓",
        "- looks like a list item",
        "yes",
        "2024-01-01",
        "null",
        "数据迁移：延迟上线",
        "@at `back` |pipe >gt",
    ],
)
def test_title_is_data_and_survives_round_trip(workspace, run, title):
    root = workspace()
    result = new_lesson(run, root, title)
    assert result.exit_code == 0, result.output
    entry = only_entry(root)
    assert entry.meta["title"] == title
    assert entry.body.startswith(f"# {title}\n")


def own_fields_config(fields: str) -> str:
    """An English mkdocs.yml whose workspace declares fields of its own (extra_fields)."""
    return mkdocs_yml("Test KB", "en").replace(
        "    language: en", f"    language: en\n    extra_fields: {fields}", 1
    )


def test_multiline_and_special_values_survive(workspace, run):
    root = workspace(config=own_fields_config("{lesson: [driving]}"))
    value = 'line one: with colon\nline two "quoted" 🎉\n  indented'
    result = new_lesson(run, root, "Special", "--set", f"driving={value}")
    assert result.exit_code == 0, result.output
    entry = only_entry(root)
    assert entry.meta["driving"] == value


def test_chinese_title_keeps_readable_slug_and_chinese_template(workspace, run):
    root = workspace()
    result = new_lesson(run, root, "数据迁移必须演练两次", "--lang", "zh")
    assert result.exit_code == 0, result.output
    path = root / "docs/lessons/LL-0001-数据迁移必须演练两次.md"
    assert path.is_file()
    assert "## 建议" in path.read_text("utf-8")


def test_no_input_lists_every_missing_field_in_one_error(workspace, run):
    root = workspace()
    result = run(root, "new", "risk", "Vendor slips", "--no-input")
    assert result.exit_code == 1
    err = result.stderr
    for name in ("category", "probability", "impact", "trigger", "response", "occurred"):
        assert f"{name}: required" in err
    assert "Traceback" not in result.output
    assert not (root / "docs/risks").exists() or not list((root / "docs/risks").glob("*.md"))


def test_bad_set_values_are_reported(workspace, run):
    root = workspace()
    result = run(
        root,
        "new",
        "risk",
        "Vendor slips",
        "--set",
        "probability=high",
        "--set",
        "category=vendr",
        "--set",
        "nonsense",
        "--no-input",
    )
    assert result.exit_code == 2
    assert "probability: expected a whole number, found 'high'" in result.stderr
    assert "expected field=value" in result.stderr


def test_out_of_range_and_bad_choice_explain_allowed_values(workspace, run):
    root = workspace()
    result = run(
        root,
        "new",
        "risk",
        "Vendor slips",
        "--set",
        "probability=9",
        "--set",
        "category=vendr",
        "--set",
        "impact=3",
        "--set",
        "trigger=late answers",
        "--set",
        "response=mitigate",
        "--set",
        "occurred=no",
        "--no-input",
    )
    assert result.exit_code == 2  # values --set cannot take are usage errors, all listed
    assert "probability: 9 is out of range; expected from 1 to 5" in result.stderr
    assert "did you mean 'vendor'?" in result.stderr


def test_unknown_type_is_a_usage_error(workspace, run):
    root = workspace()
    result = run(root, "new", "memo", "x", "--no-input")
    assert result.exit_code == 2
    assert "unknown entry type 'memo'" in result.stderr


def test_outside_a_workspace_says_so(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(None, "list")
    assert result.exit_code == 2
    assert "no retro-kb workspace found" in result.stderr


def test_workspace_found_by_walking_up(workspace, run, monkeypatch):
    root = workspace()
    sub = root / "docs" / "lessons"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    result = new_lesson(run, None, "From a subfolder")
    assert result.exit_code == 0, result.output
    assert (sub / "LL-0001-from-a-subfolder.md").is_file()


def test_kb_root_environment_variable(workspace, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kb.cli import cli

    root = workspace()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["list"], env={"KB_ROOT": str(root)})
    assert result.exit_code == 0, result.output


def test_interactive_prompts_offer_choices_and_defaults(workspace, run):
    root = workspace()
    answers = "\n".join(
        [
            "Ana",  # owner
            "quality",  # category
            "executing",  # phase
            "negative",  # impact
            "",  # source (optional, skipped)
        ]
    )
    result = run(root, "new", "lesson", "Prompted lesson", "--interactive", input=answers + "\n")
    assert result.exit_code == 0, result.output
    # the field's label and its hint; the allowed values by number and label
    assert "Category (PMBOK knowledge area) [1-10]: " in result.output
    assert "  1. Integration\n" in result.output
    entry = only_entry(root)
    assert entry.meta["category"] == "quality"
    assert entry.meta["owner"] == "Ana"


def test_interactive_retrospective_with_action_items(workspace, run):
    root = workspace()
    answers = [
        "Ana",  # owner
        "ERP",  # project
        "it-implementation",  # project_type
        "whole-project",  # phase
        "failed",  # outcome
        "2026-03-01",  # planned_end
        "2026-04-17",  # actual_end
        "y",  # add an action item?
        "Rehearse the migration",
        "Bo",
        "2026-12-01",
        "n",
    ]
    result = run(root, "new", "retro", "Go-live", "--interactive", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    entry = only_entry(root)
    assert entry.meta["actual_end"] == dt.date(2026, 4, 17)
    assert entry.meta["actions"] == [
        {
            "action": "Rehearse the migration",
            "owner": "Bo",
            "due": dt.date(2026, 12, 1),
            "status": "open",
        }
    ]


def test_budget_parts_and_lists_from_set(workspace, run):
    root = workspace()
    result = run(
        root,
        "new",
        "retro",
        "Review",
        "-p",
        "Line 3",
        "--set",
        "project_type=manufacturing",
        "--set",
        "phase=executing",
        "--set",
        "outcome=partially-succeeded",
        "--set",
        "owner=Li",
        "--set",
        "budget.planned=120000",
        "--set",
        "budget.actual=131500.5",
        "--set",
        "budget.currency=EUR",
        "--set",
        "root_causes=vendor, estimation",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    entry = only_entry(root)
    assert entry.meta["budget"] == {"planned": 120000, "actual": 131500.5, "currency": "EUR"}
    assert entry.meta["root_causes"] == ["vendor", "estimation"]


def test_workspace_templates_override_builtin(workspace, run):
    root = workspace({"templates/en/lesson.md.j2": "# {{ entry.title }}\n\nOur own form.\n"})
    result = new_lesson(run, root, "Custom")
    assert result.exit_code == 0, result.output
    assert only_entry(root).body == "# Custom\n\nOur own form.\n"


def test_broken_workspace_template_is_a_clear_error(workspace, run):
    root = workspace({"templates/en/lesson.md.j2": "# {{ entry.title \n"})
    result = new_lesson(run, root, "Custom")
    assert result.exit_code == 1
    assert "template error" in result.stderr
    assert "Traceback" not in result.output
    assert not list((root / "docs").rglob("LL-*.md"))


def test_template_cannot_reach_python_internals(workspace, run):
    evil = "{{ entry.__class__.__mro__[1].__subclasses__() }}"
    root = workspace({"templates/en/lesson.md.j2": evil})
    result = new_lesson(run, root, "Custom")
    assert result.exit_code == 1
    assert "template error" in result.stderr


def test_concurrent_new_never_share_an_id(workspace):
    root = workspace()
    cmd = [sys.executable, "-m", "kb", "--root", str(root), "new", "lesson"]
    procs = [
        subprocess.Popen(
            [*cmd, f"Parallel lesson {i}", *LESSON_ARGS, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    ids = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        ids.append(json.loads(out)["id"])
    assert sorted(ids) == [f"LL-{n:04d}" for n in range(1, 7)]
    assert len(list((root / "docs/lessons").glob("*.md"))) == 6


def test_new_never_overwrites_an_existing_file(workspace, run):
    root = workspace({"docs/lessons/LL-0001-same.md": "keep me"})
    # The file name says LL-0001 is taken, so the next id is used instead.
    result = new_lesson(run, root, "Same")
    assert result.exit_code == 0, result.output
    assert (root / "docs/lessons/LL-0001-same.md").read_text() == "keep me"
    assert (root / "docs/lessons/LL-0002-same.md").is_file()


def test_python_m_kb_works(workspace):
    root = workspace()
    out = subprocess.run(
        [sys.executable, "-m", "kb", "--root", str(root), "list", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_edit_opens_the_new_file_in_editor(workspace, run, tmp_path, monkeypatch):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "Edited in the editor." >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    root = workspace()
    result = new_lesson(run, root, "Edit me", "--edit")
    assert result.exit_code == 0, result.output
    assert only_entry(root).body.rstrip().endswith("Edited in the editor.")


def test_unknown_fields_are_refused_with_the_nearest_one(workspace, run):
    root = workspace()
    result = new_lesson(run, root, "Own", "--set", "ownr=Bo", "--set", "audit.by=QA")
    assert result.exit_code == 2, result.output
    assert "--set ownr: a lesson has no field 'ownr' (did you mean owner?)" in result.stderr
    assert "--set audit: a lesson has no field 'audit'" in result.stderr
    assert not (root / "docs/lessons").exists() or not list((root / "docs/lessons").iterdir())


def test_declared_own_fields_are_text(workspace, run):
    root = workspace(config=own_fields_config("{lesson: [audit]}"))
    result = new_lesson(run, root, "Own fields", "--set", "audit=QA, A-7")
    assert result.exit_code == 0, result.output
    assert only_entry(root).meta["audit"] == "QA, A-7"
    parts = new_lesson(run, root, "Parts", "--set", "audit.by=QA")
    assert parts.exit_code == 2 and "--set audit.by: audit has no parts" in parts.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "=x"], "--set '=x': expected field=value"),
        (
            ["--set", "project=1", "--set", "project.bar=2"],
            "--set project.bar: project has no parts",
        ),
        (["--set", "tags.x=1"], "--set tags.x: tags has no parts"),
    ],
)
def test_set_mistakes_are_usage_errors(workspace, run, args, message):
    root = workspace()
    result = new_lesson(run, root, "T", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_new_files_get_the_usual_permissions(workspace, run):
    import os

    root = workspace()
    old = os.umask(0o022)
    try:
        assert new_lesson(run, root, "Mode").exit_code == 0
    finally:
        os.umask(old)
    path = next((root / "docs/lessons").glob("LL-0001-*.md"))
    assert path.stat().st_mode & 0o777 == 0o644


def test_very_long_chinese_title_fits_the_file_system(workspace, run):
    root = workspace()
    result = new_lesson(run, root, "𠀀" * 70)
    assert result.exit_code == 0, result.output
    path = next((root / "docs/lessons").glob("LL-0001-*.md"))
    assert len(path.name.encode()) < 255


def test_interactive_asks_again_after_a_bad_answer(workspace, run):
    retro = "id: RETRO-0001\ntype: retrospective\ntitle: R\ndate: 2024-01-01\nowner: A\n"
    root = workspace({"docs/retrospectives/RETRO-0001-r.md": entry_text(retro)})
    answers = ["", "Ana", "Quality", "executing", "negative", "retro-1", "RETRO-0009", "RETRO-0001"]
    result = run(root, "new", "lesson", "T", "--interactive", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "expected an entry id like RETRO-0001" in result.output
    assert "source: RETRO-0009 does not exist (did you mean RETRO-0001?)" in result.output
    entry = next(e for e in load_entries(load_workspace(root=root)).entries if e.type == "lesson")
    assert entry.meta["category"] == "quality"
    assert entry.meta["source"] == "RETRO-0001"


def test_list_warns_about_files_it_cannot_read(workspace, run):
    root = workspace({"docs/lessons/LL-0001-broken.md": "no front matter\n"})
    result = run(root, "list")
    assert result.exit_code == 0
    assert "warning: skipped docs/lessons/LL-0001-broken.md:1: no front matter" in result.stderr


def test_every_problem_of_the_command_line_is_reported_at_once(workspace, run):
    root = workspace()
    result = run(
        root, "new", "risk", "Vendor late", "--no-input",
        "--set", "occurred=maybe", "--set", "probability=6", "--set", "owner=Bo",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert any("--set occurred" in line for line in lines)
    assert any("--set probability" in line for line in lines)
    assert any(line.startswith("error: category: required") for line in lines)
    assert not any(line.startswith("error: probability: required") for line in lines)
    assert not list((root / "docs").rglob("RISK-*.md"))


def test_the_owner_default_is_the_workspace_repositorys_git_user(
    workspace, run, tmp_path, monkeypatch
):
    """`kb new` and `kb import` ask git in the workspace, wherever kb is run from."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = workspace()
    subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=60)
    subprocess.run(
        ["git", "-C", str(root), "config", "user.name", "Repo Owner"], check=True, timeout=60
    )
    monkeypatch.chdir(tmp_path)  # outside the repository
    args = LESSON_ARGS[:6]  # category, phase and impact; no owner
    created = run(root, "new", "lesson", *args, "--no-input", "--", "Rehearse the cut-over")
    assert created.exit_code == 0, created.output
    sheet = tmp_path / "lessons.csv"
    sheet.write_text(
        "Title,Category,Phase,Impact\nFreeze scope,quality,executing,negative\n", encoding="utf-8"
    )
    imported = run(root, "import", str(sheet), "--type", "lesson")
    assert imported.exit_code == 0, imported.output
    entries = load_entries(load_workspace(root=root)).entries
    assert sorted(e.meta["owner"] for e in entries) == ["Repo Owner", "Repo Owner"]

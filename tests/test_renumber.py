"""Two branches filed the same id: `kb check` reports it, `kb renumber` fixes one entry."""

from __future__ import annotations

import json

from tests.conftest import entry_text


def lesson(entry_id, title, project, extra=""):
    return entry_text(
        f"""
        id: {entry_id}
        type: lesson
        title: {title}
        date: 2026-05-01
        owner: Ana
        status: approved
        project: {project}
        category: quality
        phase: executing
        impact: negative
        {extra}
        """,
        f"# {title}\n\nSee {entry_id} for details.\n",
    )


def test_renumber_moves_entry_and_its_references(workspace, run):
    root = workspace(
        {
            # main branch's LL-0002 and the feature branch's LL-0002
            "docs/lessons/LL-0001-base.md": lesson("LL-0001", "Base", "ERP"),
            "docs/lessons/LL-0002-main.md": lesson("LL-0002", "Main", "ERP"),
            "docs/lessons/LL-0002-branch.md": lesson("LL-0002", "Branch", "CRM"),
            # filed on the branch, refers to the branch's LL-0002
            "docs/lessons/LL-0003-crm.md": lesson("LL-0003", "CRM", "CRM", "related: [LL-0002]"),
            # filed on main, refers to main's LL-0002
            "docs/lessons/LL-0004-erp.md": lesson("LL-0004", "ERP", "ERP", "related: [LL-0002]"),
        }
    )
    before = run(root, "check", "--format", "json")
    codes = [p["code"] for p in json.loads(before.stdout)["problems"]]
    assert "duplicate-id" in codes

    result = run(root, "renumber", str(root / "docs/lessons/LL-0002-branch.md"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old_id"] == "LL-0002" and data["new_id"] == "LL-0005"
    assert data["new_path"] == "docs/lessons/LL-0005-branch.md"
    assert data["updated"] == ["docs/lessons/LL-0003-crm.md"]
    assert data["left"] == ["docs/lessons/LL-0004-erp.md"]

    moved = (root / "docs/lessons/LL-0005-branch.md").read_text("utf-8")
    assert "id: LL-0005" in moved and "See LL-0005 for details." in moved
    assert not (root / "docs/lessons/LL-0002-branch.md").exists()
    assert "related: [LL-0005]" in (root / "docs/lessons/LL-0003-crm.md").read_text("utf-8")
    assert "related: [LL-0002]" in (root / "docs/lessons/LL-0004-erp.md").read_text("utf-8")
    after = run(root, "check")
    assert after.exit_code == 0, after.output


def test_same_project_twins_leave_every_reference_to_a_person(workspace, run):
    root = workspace(
        {
            "docs/lessons/LL-0001-a.md": lesson("LL-0001", "A", "ERP"),
            "docs/lessons/LL-0001-b.md": lesson("LL-0001", "B", "ERP"),
            "docs/lessons/LL-0002-c.md": lesson("LL-0002", "C", "ERP", "related: [LL-0001]"),
            "docs/lessons/LL-0003-d.md": lesson("LL-0003", "D", "ERP", "related: [LL-0001]"),
        }
    )
    result = run(root, "renumber", "docs/lessons/LL-0001-b.md", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["updated"] == []
    assert data["left"] == ["docs/lessons/LL-0002-c.md", "docs/lessons/LL-0003-d.md"]


def test_update_names_the_files_that_mean_the_renumbered_entry(workspace, run):
    meta_comment = "related: [LL-0001]   # filed with B, reviewed by the PMO"
    root = workspace(
        {
            "docs/lessons/LL-0001-a.md": lesson("LL-0001", "A", "ERP"),
            "docs/lessons/LL-0001-b.md": lesson("LL-0001", "B", "ERP"),
            "docs/lessons/LL-0002-c.md": lesson("LL-0002", "C", "ERP", meta_comment),
        }
    )
    c = root / "docs/lessons/LL-0002-c.md"
    c.chmod(0o644)
    result = run(
        root, "renumber", "docs/lessons/LL-0001-b.md", "--update", "docs/lessons/LL-0002-c.md"
    )
    assert result.exit_code == 0, result.output
    text = c.read_text("utf-8")
    assert "related: [LL-0002]   # filed with B, reviewed by the PMO" not in text
    assert "related: [LL-0003]   # filed with B, reviewed by the PMO" in text
    assert c.stat().st_mode & 0o777 == 0o644


def test_renumber_refuses_files_outside_the_entry_folders(workspace, run, tmp_path):
    outside = tmp_path / "LL-0002-x.md"
    outside.write_text(lesson("LL-0002", "X", "ERP"), encoding="utf-8")
    root = workspace()
    result = run(root, "renumber", str(outside))
    assert result.exit_code == 1
    assert "not an entry of this workspace" in result.stderr
    assert outside.exists()

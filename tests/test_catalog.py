"""The site catalog answers by lookup: the entries of a type are sorted once per build, since
generated pages and per-page search data ask for them (a scan per page grows with N squared)."""

from __future__ import annotations

import datetime as dt

from kb.config import load_workspace
from kb.site.catalog import build_catalog
from kb.store import load_entries
from tests.conftest import entry_text

TODAY = dt.date(2026, 6, 1)


def _retro(n: int, project: str, project_type: str) -> tuple[str, str]:
    meta = f"""
        id: RETRO-{n:04d}
        type: retrospective
        title: Retrospective {n}
        date: 2026-01-{n:02d}
        owner: Anna
        status: approved
        project: {project}
        project_type: {project_type}
        phase: whole-project
        outcome: succeeded
        """
    return f"docs/retrospectives/RETRO-{n:04d}-r.md", entry_text(meta, f"# Retrospective {n}\n")


def _lesson(n: int, project: str) -> tuple[str, str]:
    meta = f"""
        id: LL-{n:04d}
        type: lesson
        title: Lesson {n}
        date: 2026-02-{n:02d}
        owner: Li Wei
        status: approved
        project: {project}
        category: scope
        phase: executing
        impact: negative
        """
    return f"docs/lessons/LL-{n:04d}-l.md", entry_text(meta, f"# Lesson {n}\n")


def _catalog(workspace):
    # Written out of id order, so the catalog's own order is what the test sees.
    files = dict(
        [
            _retro(3, "ERP roll-out", "it-implementation"),
            _lesson(2, "ERP roll-out"),
            _retro(1, "ERP roll-out", "manufacturing"),
            _lesson(1, "Warehouse automation"),
            _retro(2, "Plant 2 MES", "engineering"),
        ]
    )
    ws = load_workspace(root=workspace(files))
    return build_catalog(ws, load_entries(ws).entries, TODAY)


def test_entries_of_a_type_come_sorted_by_id_and_as_a_list_of_ones_own(workspace):
    cat = _catalog(workspace)
    retros = cat.of_type("retrospective")
    assert [e.id for e in retros] == ["RETRO-0001", "RETRO-0002", "RETRO-0003"]
    assert [e.id for e in cat.of_type("lesson")] == ["LL-0001", "LL-0002"]
    assert cat.of_type("sop") == []
    retros.clear()  # a caller's list: the catalog keeps its own
    assert len(cat.of_type("retrospective")) == 3

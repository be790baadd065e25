"""Applying an import: the planned updates and new entries written, each file atomically.

A crash leaves each entry either complete or absent, and running the import again creates the
missing ones: ``plan_import`` takes a row whose entry exists for imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kb.config import Workspace
from kb.entry import Entry
from kb.schema import EntryType
from kb.store import create_entries, write_atomic
from kb.tabular.plan import ImportPlan, Progress, plan_import
from kb.tabular.table import Table


def apply_plan(
    ws: Workspace, etype: EntryType, plan: ImportPlan, progress: Progress | None = None
) -> None:
    """Write the rows the plan creates or updates; invalid and unchanged rows are left alone.

    Every file is written whole to a temporary file and renamed into place, so a crash leaves
    each entry either complete or absent; running the import again creates the missing ones.
    New entries get their ids in batches (``kb.store.create_entries``).
    ``progress(phase, done, total)`` is told of every file written.
    """
    updates = [r for r in plan.rows if r.action == "update" and r.entry is not None]
    creates = [r for r in plan.rows if r.action == "create"]
    total = len(updates) + len(creates)
    for done, r in enumerate(updates, start=1):
        write_atomic(r.entry.path, r.text, overwrite=True)  # type: ignore[union-attr]
        if progress is not None:
            progress("writing", done, total)

    def written(index: int, entry_id: str, path: Path) -> None:
        creates[index].entry_id, creates[index].path = entry_id, ws.relpath(path)
        if progress is not None:
            progress("writing", len(updates) + index + 1, total)

    create_entries(ws, etype, [(r.meta, r.body) for r in creates], written)


def import_table(
    ws: Workspace,
    entries: Sequence[Entry],
    table: Table,
    etype: EntryType,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    **options: Any,
) -> ImportPlan:
    """Plan the import of ``table`` (``options`` are ``plan_import``'s: maps, sets, key, today,
    render, unreadable_ids, owner); write it unless ``dry_run``, or when any row is invalid and
    ``skip_invalid`` is not given. The caller reports ``plan.invalid`` and ``plan.problems``.
    ``progress(phase, done, total)`` hears of each row checked and each file written."""
    plan = plan_import(ws, entries, table, etype, progress=progress, **options)
    if not dry_run and plan.writes(skip_invalid):
        apply_plan(ws, etype, plan, progress)
    return plan

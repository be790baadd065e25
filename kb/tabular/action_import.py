"""Importing the action register: the rows of ``kb export --type action`` brought back.

Every row names an action item by its reference (``--key Ref``); ``action_columns`` maps the
sheet's columns, ``action_rows`` plans each row (a changed status is a lifecycle step, other
cells edit the item). Computed columns (the retrospective's title and project, days overdue)
are ignored.

The plan changes each file with the line-level edit of ``kb.actions.edit`` (only the changed
items' lines, comments kept), checks the result as `kb check` would, and writes nothing when any
row has a problem (unless ``skip_invalid``). Each file is written through a temporary file
renamed into place, after checking it did not change since it was planned: a run killed midway
leaves every file whole, and running the import again finishes it (what was written already
plans no change).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kb import i18n
from kb.actions.edit import as_written, rewrite_actions
from kb.actions.refs import item_ids, stored_id
from kb.config import Workspace
from kb.entry import Entry, FrontMatterError, parse
from kb.errors import KbError
from kb.tabular.action_columns import action_targets, key_index, say
from kb.tabular.action_rows import ActionRow, Planned, Sheet, plan_row
from kb.tabular.plan import ImportPlan
from kb.tabular.table import Table


@dataclass
class FileEdit:
    """One retrospective's file as planned: its text when planned and its new text."""

    entry: Entry
    before: str
    text: str


@dataclass
class ActionPlan(ImportPlan):
    """An import of the action register: the rows, and the file edits that carry them out."""

    edits: list[FileEdit] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Files


def _file_problem(ws: Workspace, entry: Entry, loaded_problems: Sequence[Any]) -> str:
    """Why the entry's file must not be edited ('' when it may): an error `kb check` reports."""
    errors = [p for p in loaded_problems if p.path == entry.relpath and p.level == "error"]
    if not errors:
        return ""
    first = errors[0]
    return say(
        "action_check_rejects",
        ws.language,
        path=entry.relpath,
        line=first.line,
        problem=first.message,
    )


def _file_edit(ws: Workspace, entry: Entry, rows: Sequence[Planned]) -> FileEdit:
    """The entry's file with the rows' items, and the ``id`` of every item written (as each
    lifecycle edit does, so the references stay the same); KbError when that cannot be done."""
    from kb.checks import entry_problems
    from kb.store import read_text

    items = entry.meta["actions"]
    changed = {p.index: p.item for p in rows}
    new_items: list[Any] = []
    for i, (item, number) in enumerate(zip(items, item_ids(items), strict=True)):
        new = changed.get(i, item)
        if isinstance(new, Mapping) and stored_id(new) is None and number is not None:
            new = {**{k: v for k, v in new.items() if k != "id"}, "id": number}
        new_items.append(new)
    before = read_text(ws, entry.path, entry.relpath)
    text = rewrite_actions(entry, before, new_items)
    try:
        after = parse(text, entry.path, entry.relpath)
    except FrontMatterError as exc:  # rewrite_actions reads its text back: not expected
        raise KbError(exc.message) from None
    errors = [p for p in entry_problems(ws, after) if p.level == "error"]
    if errors:
        refs = ", ".join(p.result.entry_id for p in rows)
        raise KbError(
            i18n.text("actions.not_written", ws.language, ref=refs) + " " + errors[0].message
        )
    return FileEdit(entry, before, text)


def plan_action_import(
    ws: Workspace,
    entries: Sequence[Entry],
    table: Table,
    *,
    maps: Sequence[str] = (),
    key: str | None = None,
    today: dt.date,
    unreadable_ids: Collection[str] = (),
    skip_invalid: bool = False,
) -> ActionPlan:
    """Decide, for every row of an action register, what it changes in which file; write
    nothing. Rows with problems name the row and the column; with ``skip_invalid`` the files
    carry the other rows' changes."""
    from kb.checks import check_workspace
    from kb.store import Loaded

    lang = ws.language
    targets, problems = action_targets(table.headers, maps, lang)
    ref_index = key_index(table.headers, targets, key, lang)
    plan = ActionPlan(
        table.source,
        table.how,
        [(h, t.describe()) for h, t in zip(table.headers, targets, strict=True)],
        [],
        problems=problems,
        notes=list(table.notes),
        targets=targets,
        key_index=ref_index,
        lang=lang,
    )
    plan.columns[ref_index] = (
        table.headers[ref_index],
        i18n.text("import.target_key", "en", target=targets[ref_index].describe()),
    )
    derived = [h for h, t in zip(table.headers, targets, strict=True) if t.kind == "derived"]
    if derived:
        plan.notes.append(say("derived_ignored", lang, columns=", ".join(derived)))
    ignored = [h for h, t in zip(table.headers, targets, strict=True) if t.kind == "ignore"]
    if ignored:
        plan.notes.append(say("action_ignored", lang, columns=", ".join(ignored)))
    sheet = Sheet(ws, table, targets, ref_index, list(entries), unreadable_ids, today)
    planned = [plan_row(sheet, row) for row in table.rows]
    plan.rows = [p.result for p in planned]
    by_file: dict[str, list[Planned]] = defaultdict(list)
    for p in planned:
        if p.result.action == "update" and p.entry is not None:
            by_file[p.entry.relpath].append(p)
    if not by_file or (not skip_invalid and (plan.invalid or plan.problems)):
        return plan
    report = check_workspace(ws, today, Loaded(entries=list(entries)))
    for rows in by_file.values():
        entry = rows[0].entry
        assert entry is not None
        reason = _file_problem(ws, entry, report.problems)
        if not reason:
            try:
                plan.edits.append(_file_edit(ws, entry, rows))
                continue
            except KbError as exc:
                reason = str(exc)
        for p in rows:
            p.result.problems.append(sheet.at(p.result.row, None, reason))
            p.result.action = "invalid"
    return plan


def apply_action_plan(ws: Workspace, plan: ActionPlan) -> None:
    """Write the plan's file edits, each through a temporary file renamed into place; nothing
    when any file changed since it was planned (KbError: run the import again)."""
    from kb.store import read_text, workspace_lock, write_atomic

    with workspace_lock(ws, "actions"):
        for edit in plan.edits:
            e = edit.entry
            if read_text(ws, e.path, e.relpath) != edit.before:
                raise KbError(i18n.text("actions.changed_meanwhile", ws.language, path=e.relpath))
        for edit in plan.edits:
            e = edit.entry
            write_atomic(e.path, as_written(e.path.read_bytes(), edit.text), overwrite=True)


def import_actions(
    ws: Workspace,
    entries: Sequence[Entry],
    table: Table,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    **options: Any,
) -> ActionPlan:
    """Plan the import of an action register (``options`` are ``plan_action_import``'s); write
    it unless ``dry_run``, or when any row is invalid and ``skip_invalid`` is not given."""
    plan = plan_action_import(ws, entries, table, skip_invalid=skip_invalid, **options)
    if not dry_run and plan.writes(skip_invalid):
        apply_action_plan(ws, plan)
    return plan


__all__ = [
    "ActionPlan",
    "ActionRow",
    "FileEdit",
    "apply_action_plan",
    "import_actions",
    "plan_action_import",
]

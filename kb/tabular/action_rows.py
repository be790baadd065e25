"""Planning one row of an action register: the item its Ref names, and that item after the row.

A changed status is a step of the lifecycle (``kb.actions.lifecycle``): Open to Done takes the
Done on and Note cells, Done to Verified the Evidence, Open to Dropped the Reason, and any of
them back to Open clears what the item kept; a step the lifecycle refuses is a problem of the
row, at its Status cell. The action, owner, due date and the dates and texts the status keeps
are edited as typed; a blank cell leaves a value alone. Nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from kb import i18n
from kb.actions.lifecycle import (
    DATE_OF,
    LIFECYCLE_KEYS,
    STEP_TO,
    TEXT_OF,
    ActionError,
    Change,
    apply_change,
    can_start,
    keeping,
    kept_keys,
)
from kb.actions.refs import parse_ref, resolve
from kb.actions.words import status_label
from kb.config import Workspace
from kb.entry import Entry
from kb.errors import KbError
from kb.schema import as_date
from kb.tabular.action_columns import FIELDS, say
from kb.tabular.cells import CellError, blank, cell_text, from_cell
from kb.tabular.headers import Target
from kb.tabular.rows import RowResult
from kb.tabular.table import SheetMessage, SheetRow, Table

# The keys a row may change, in the order a change is reported.
EDITABLE = ("status", "action", "owner", "due", "done", "note", "verified", "evidence", "reason")


@dataclass
class ActionRow(RowResult):
    """One row of the action register: the item it names and what it changes (before, after)."""

    values: dict[str, tuple[Any, Any]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape for ``kb import --type action --json``: with ``ref`` and each change."""
        base = super().to_dict()
        data = {"row": base.pop("row"), "action": base.pop("action"), "ref": base.pop("id")}
        data.update(base)
        data["values"] = {
            k: {"before": _json(before), "after": _json(after)}
            for k, (before, after) in self.values.items()
        }
        return data

    def changed_text(self, lang: str) -> str:
        """``status Open → Done, due 2026-03-31 → 2026-04-30`` in ``lang``."""
        parts = []
        for key, (before, after) in self.values.items():
            header = i18n.text(f"column.action_item.{key}", lang)
            parts.append(f"{header} {_shown(key, before, lang)} → {_shown(key, after, lang)}")
        return ", ".join(parts)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _shown(key: str, value: Any, lang: str) -> str:
    if value in (None, ""):
        return "-"
    if key == "status":
        return i18n.text(f"value.{value}", lang, default=str(value))
    return cell_text(value)


@dataclass
class Sheet:
    """What every row is planned against."""

    ws: Workspace
    table: Table
    targets: list[Target]
    key_index: int
    entries: list[Entry]
    unreadable_ids: Collection[str]
    today: dt.date
    seen: dict[str, int] = field(default_factory=dict)  # ref -> its first row

    @property
    def lang(self) -> str:
        """The workspace's language, for every message."""
        return self.ws.language

    def column_of(self, key: str) -> int | None:
        """The column that gives ``key``, if the sheet has one."""
        return next(
            (i for i, t in enumerate(self.targets) if t.kind == "field" and t.name == key), None
        )

    def header_of(self, key: str) -> str:
        """The sheet's header for ``key``, else the export's header in the workspace's language."""
        i = self.column_of(key)
        return (
            self.table.headers[i]
            if i is not None
            else i18n.text(f"column.action_item.{key}", self.lang)
        )

    def at(self, row: int, i: int | None, message: str, name: str | None = None) -> SheetMessage:
        """A message about column ``i`` of ``row`` (None: the row as a whole)."""
        if i is None:
            return SheetMessage(message, row, field=name)
        header, letter = self.table.headers[i], self.table.letters[i]
        return SheetMessage(message, row, header, letter, name or self.targets[i].name or None)


@dataclass
class Planned:
    """A row as planned: its result, and the item's place and new value when it changes."""

    result: ActionRow
    entry: Entry | None = None
    index: int = -1
    item: dict[str, Any] = field(default_factory=dict)


def _same(old: Any, new: Any) -> bool:
    """Whether a cell's value is what the item holds, as a PM reads them."""
    if isinstance(new, dt.date):
        return as_date(old) == new
    return cell_text(old).replace("\r\n", "\n").strip() == cell_text(new).strip()


def _read(sheet: Sheet, row: SheetRow, problems: list[SheetMessage]) -> dict[str, Any]:
    """The row's cells by key: a value, or None for a blank cell; unreadable ones are problems."""
    values: dict[str, Any] = {}
    for i, (t, raw) in enumerate(zip(sheet.targets, row.cells, strict=True)):
        if t.kind != "field":
            continue
        try:
            values[t.name] = from_cell(FIELDS[t.name], raw)
        except CellError as exc:
            problems.append(sheet.at(row.number, i, str(exc)))
    return values


def _find(
    sheet: Sheet, row: SheetRow, problems: list[SheetMessage]
) -> tuple[Entry, int, str] | None:
    """The entry and item the row's Ref names; None, with a problem, when it names none."""
    i, lang = sheet.key_index, sheet.lang
    raw = row.cells[i]
    if blank(raw):
        problems.append(sheet.at(row.number, i, say("action_no_ref", lang)))
        return None
    try:
        ref = parse_ref(cell_text(raw))
    except KbError as exc:
        problems.append(sheet.at(row.number, i, str(exc)))
        return None
    text = str(ref)
    if text in sheet.seen:
        message = say("duplicate_key", lang, value=repr(text), row=sheet.seen[text])
        problems.append(sheet.at(row.number, i, message))
        return None
    sheet.seen[text] = row.number
    known = {e.id for e in sheet.entries}
    if ref.entry_id in sheet.unreadable_ids and ref.entry_id not in known:
        problems.append(sheet.at(row.number, i, say("key_unreadable", lang, id=ref.entry_id)))
        return None
    try:
        entry, index, _ = resolve(sheet.entries, text)
    except KbError as exc:
        problems.append(sheet.at(row.number, i, str(exc)))
        return None
    return entry, index, text


def _step(
    sheet: Sheet,
    row: int,
    ref: str,
    item: Mapping[str, Any],
    target: str,
    values: Mapping[str, Any],
    problems: list[SheetMessage],
) -> dict[str, Any] | None:
    """The item after the lifecycle step to ``target``; None, with a problem, when refused."""
    lang = sheet.lang
    op = STEP_TO[target]
    text_key, date_key = TEXT_OF.get(op), DATE_OF.get(op)
    text = str(values.get(text_key) or "") if text_key else ""
    day = values.get(date_key) if date_key else None
    where = sheet.column_of("status")
    try:
        if not can_start(op, str(item.get("status") or "open")):
            apply_change(item, Change(op, day, text), ref, sheet.today)  # says why not
    except ActionError as exc:
        problems.append(sheet.at(row, where, str(exc)))
        return None
    if text_key and op != "done" and not text.strip():
        column = sheet.column_of(text_key)
        message = say(f"action_needs_{text_key}", lang, ref=ref, column=sheet.header_of(text_key))
        problems.append(sheet.at(row, column if column is not None else where, message))
        return None
    if day is not None and day > sheet.today:
        message = say("action_future", lang, ref=ref, date=day.isoformat())
        problems.append(sheet.at(row, sheet.column_of(date_key or ""), message))
        return None
    try:
        return apply_change(item, Change(op, day, text), ref, sheet.today)
    except ActionError as exc:
        problems.append(sheet.at(row, where, str(exc)))
        return None


def _edit(
    sheet: Sheet,
    row: int,
    ref: str,
    new: dict[str, Any],
    values: Mapping[str, Any],
    reopened: bool,
    result: ActionRow,
) -> None:
    """The row's other cells applied to ``new``: a key the status keeps is set as typed; a
    blank cell leaves a value alone (noted); a key the status does not keep is a problem."""
    lang = sheet.lang
    status = str(new.get("status") or "open")
    cleared = []
    for key in EDITABLE[1:]:
        if key not in values:
            continue
        value, i = values[key], sheet.column_of(key)
        if key in LIFECYCLE_KEYS and key not in kept_keys(status):
            if value is None:
                continue
            if reopened:
                cleared.append(sheet.header_of(key))
                continue
            statuses = "/".join(status_label(s).lower() for s in keeping(key))
            message = say(
                "action_not_kept",
                lang,
                ref=ref,
                status=status_label(status).lower(),
                column=sheet.header_of(key),
                statuses=statuses,
            )
            result.problems.append(sheet.at(row, i, message))
            continue
        if value is None:
            if not blank(cell_text(new.get(key))):
                what = sheet.header_of(key)
                result.notes.append(sheet.at(row, i, say("blank_left", lang, id=ref, what=what)))
            continue
        if _same(new.get(key), value):
            continue
        if key in ("done", "verified") and value > sheet.today:
            result.problems.append(
                sheet.at(row, i, say("action_future", lang, ref=ref, date=value.isoformat()))
            )
            continue
        new[key] = " ".join(value.split()) if key in ("note", "evidence", "reason") else value
    done, verified = as_date(new.get("done")), as_date(new.get("verified"))
    if done and verified and verified < done:
        message = i18n.text(
            "actions.before_done", lang, ref=ref, date=verified.isoformat(), done=done.isoformat()
        )
        result.problems.append(sheet.at(row, sheet.column_of("verified"), message))
    if cleared:
        columns = ", ".join(f'"{c}"' for c in cleared)
        result.notes.append(
            sheet.at(row, None, say("action_cleared", lang, ref=ref, columns=columns))
        )


def plan_row(sheet: Sheet, row: SheetRow) -> Planned:
    """What ``row`` does to the item its Ref names: unchanged, an update, or invalid."""
    result = ActionRow(row.number, "invalid", problems=list(row.problems))
    planned = Planned(result)
    values = _read(sheet, row, result.problems)
    found = _find(sheet, row, result.problems)
    if found is None:
        return planned
    entry, index, ref = found
    item = entry.meta["actions"][index]
    result.entry_id, result.path = ref, entry.relpath
    status = str(item.get("status") or "open")
    target = values.get("status") or status
    new: dict[str, Any] | None = dict(item)
    if target != status:
        new = _step(sheet, row.number, ref, item, target, values, result.problems)
    if new is not None:
        _edit(sheet, row.number, ref, new, values, target != status and target == "open", result)
        old = {**item, "status": status}
        now = {**new, "status": str(new.get("status") or "open")}
        for key in EDITABLE:
            if not _same(old.get(key), now.get(key)):
                result.values[key] = (old.get(key), now.get(key))
        result.changed = list(result.values)
        planned.entry, planned.index, planned.item = entry, index, new
    if not result.problems:
        result.action = "update" if result.changed else "unchanged"
    return planned

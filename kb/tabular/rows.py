"""Planning one row of an import: its cells read as values, the entry its key names, the update or
new entry it makes, and that checked with the schema `kb check` uses. Nothing is written.

Every problem names the row and the column that gave the value, so a PM can find the cell.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from kb import i18n
from kb.config import Workspace
from kb.edits import updated_text
from kb.entry import Entry, FrontMatterError, decode
from kb.errors import KbError
from kb.fields import FieldError
from kb.schema import EntryType, Field, closest, validate_fields
from kb.tabular.cells import CellError, blank, cell_text, from_cell
from kb.tabular.changes import left_unchanged, new_body, new_meta, updated_entry
from kb.tabular.headers import Target
from kb.tabular.table import SheetMessage, SheetRow, Table


@dataclass
class RowResult:
    """What import does (or would do) with one row."""

    row: int
    action: str  # create | update | unchanged | imported (an entry has its title) | invalid
    entry_id: str = ""
    path: str = ""
    changed: list[str] = field(default_factory=list)
    problems: list[SheetMessage] = field(default_factory=list)
    notes: list[SheetMessage] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict, repr=False)
    body: str = field(default="", repr=False)
    entry: Entry | None = field(default=None, repr=False)
    text: str = field(default="", repr=False)  # an update: the file's new text
    rewritten: bool = False  # an update that rewrote the front matter (comments not kept)

    def changed_text(self, lang: str) -> str:
        """What an update changes, as kb import reports it in ``lang``: the fields' names."""
        return ", ".join(self.changed)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape for ``kb import --json``."""
        return {
            "row": self.row,
            "action": self.action,
            "id": self.entry_id or None,
            "path": self.path or None,
            "changed": self.changed,
            "problems": [p.to_dict() for p in self.problems],
            "notes": [n.to_dict() for n in self.notes],
            "rewritten": self.rewritten,
        }


@dataclass
class RowContext:
    """What every row of one import is planned against: the sheet and what its columns map to,
    the type, the ``--key`` column, the ``--set`` values, and the workspace's entries."""

    ws: Workspace
    table: Table
    etype: EntryType
    targets: list[Target]
    problems: list[SheetMessage]  # the sheet's: a --set naming a missing entry is added once
    sets: Mapping[str, Any] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)  # for a new entry's blank fields
    missing_everywhere: Collection[str] = ()  # required fields no column gives: said once
    key_index: int | None = None
    key_field: str | None = None
    by_key: Mapping[str, list[Entry]] = field(default_factory=dict)  # key text -> entries
    existing_ids: Mapping[str, str] = field(default_factory=dict)  # id -> type ('' unknown)
    unreadable_ids: Collection[str] = ()
    render: Any = None  # render(meta) -> a new entry's body
    sections: dict[str, Any] = field(init=False)
    field_columns: dict[str, int] = field(init=False)  # field -> the first column giving it
    hints: _ReferenceHints = field(init=False)
    seen_keys: dict[str, int] = field(init=False, default_factory=dict)  # key -> its row

    def say(self, key: str, **values: Any) -> str:
        """The message ``import.<key>`` in the workspace's language."""
        return i18n.text(f"import.{key}", self.ws.language, **values)

    def label(self, type_name: str) -> str:
        """An entry type as messages name it, in the workspace's language."""
        return i18n.text(f"type.{type_name}", self.ws.language, default=type_name or "entry")

    def __post_init__(self) -> None:
        self.sections = {s.key: s for s in self.etype.sections}
        self.field_columns = {}
        for i, t in enumerate(self.targets):
            if t.kind in ("field", "budget"):
                self.field_columns.setdefault(t.field, i)
        self.hints = _ReferenceHints(self.existing_ids)


class _Problems:
    """One row's problems, each at the column it belongs to, in column order when asked."""

    def __init__(self, ctx: RowContext, number: int) -> None:
        self._ctx = ctx
        self._number = number
        self._found: list[tuple[int, SheetMessage]] = []

    def message(self, i: int | None, text: str, name: str | None = None) -> SheetMessage:
        """A message about column ``i`` of the row (None: the row as a whole)."""
        if i is None:
            return SheetMessage(text, self._number, field=name)
        ctx = self._ctx
        header, letter = ctx.table.headers[i], ctx.table.letters[i]
        return SheetMessage(
            text, self._number, header, letter, name or ctx.targets[i].field or None
        )

    def add(self, i: int | None, text: str, name: str | None = None) -> None:
        """A problem at column ``i``; one of the row as a whole (None) comes last."""
        self._found.append(
            (len(self._ctx.targets) if i is None else i, self.message(i, text, name))
        )

    def in_column_order(self) -> list[SheetMessage]:
        """The problems, column by column."""
        return [m for _, m in sorted(self._found, key=lambda x: x[0])]


@dataclass
class _Cells:
    """A row's cells read: the fields' values, and the texts that go to the body."""

    values: dict[str, Any] = field(default_factory=dict)
    texts: list[tuple[Target, int, str]] = field(default_factory=list)
    blanks: list[tuple[Target, int]] = field(default_factory=list)  # an update leaves them alone
    bad: set[str] = field(default_factory=set)  # unreadable cells: not checked again


def plan_row(ctx: RowContext, row: SheetRow) -> RowResult:
    """What import does with ``row``: update the entry its key names, or create one."""
    result = RowResult(row.number, "invalid", problems=list(row.problems))
    found = _Problems(ctx, row.number)
    cells = _read_cells(ctx, row, found)
    entry = _entry_to_update(ctx, row, cells.values, found)
    cells.values.pop("id", None)
    if entry is not None:
        _plan_update(ctx, result, entry, cells, found)
    else:
        result.meta = new_meta(ctx.etype, cells.values, ctx.sets, ctx.defaults)
        result.changed = sorted(result.meta)
        result.action = "create"
    if result.action in ("create", "update"):
        _check_fields(ctx, result, cells, found)
        _check_references(ctx, result, cells.values, found)
    result.problems += found.in_column_order()
    # A sheet-wide problem already blocks the import: rendering a template from a row that
    # lacks required fields would only add confusing template errors.
    if result.action == "create" and not result.problems and not ctx.problems:
        try:
            result.body = new_body(result.meta, cells.texts, ctx.sections, ctx.render)
        except KbError as exc:
            result.problems.append(found.message(None, str(exc)))
    if result.action == "update" and not result.problems and result.entry is not None:
        _new_text(ctx, result, result.entry, found)
    if result.problems:
        result.action = "invalid"
    return result


def _read_cells(ctx: RowContext, row: SheetRow, found: _Problems) -> _Cells:
    """The values and texts of a row's cells; a cell that cannot be read is a problem."""
    cells = _Cells()
    for i, (t, raw) in enumerate(zip(ctx.targets, row.cells, strict=True)):
        if t.kind in ("ignore", "derived"):
            continue
        if blank(raw) and not (t.kind == "field" and t.name in ("id", "type")):
            cells.blanks.append((t, i))
        if t.kind == "field":
            _read_field(ctx, t, i, raw, cells, found)
        elif t.kind == "budget":
            _read_budget(ctx, t, i, raw, cells, found)
        elif not blank(raw):
            cells.texts.append((t, i, cell_text(raw).replace("\r\n", "\n").strip()))
    return cells


def _read_field(
    ctx: RowContext, t: Target, i: int, raw: Any, cells: _Cells, found: _Problems
) -> None:
    """The value of a field's cell; a type column must name the type imported."""
    if t.name == "type":
        named = ctx.ws.schema.get(str(raw)) if not blank(raw) else None
        if not blank(raw) and (named is None or named.name != ctx.etype.name):
            found.add(i, ctx.say("not_type", value=repr(raw), type=ctx.label(ctx.etype.name)))
        return
    if t.name == "id" and ctx.key_field != "id":
        return
    f = ctx.etype.field(t.name) or Field(t.name, "text")
    try:
        value = from_cell(f, raw)
    except CellError as exc:
        found.add(i, str(exc))
        cells.bad.add(t.name)
        return
    if value not in (None, "", []):
        cells.values[t.name] = value


def _read_budget(
    ctx: RowContext, t: Target, i: int, raw: Any, cells: _Cells, found: _Problems
) -> None:
    """One part of the budget: a number, or the currency's code."""
    if blank(raw):
        return
    budget = ctx.etype.field(t.field) or Field(t.field, "budget")
    try:
        part = budget.model.read_part(budget, t.name, raw)
    except FieldError as exc:
        found.add(i, str(exc))
        cells.bad.add("budget")
        return
    cells.values.setdefault("budget", {})[t.name] = part


def _entry_to_update(
    ctx: RowContext, row: SheetRow, values: Mapping[str, Any], found: _Problems
) -> Entry | None:
    """The entry the row's ``--key`` cell names, or None: no key, a new entry, or a problem."""
    if ctx.key_index is None:
        return None
    key_index = ctx.key_index
    key_value = values.get(ctx.key_field) if ctx.key_field else None
    key_text = cell_text(key_value).strip()
    if not key_text:
        if ctx.key_field != "id" and blank(row.cells[key_index]):
            found.add(key_index, ctx.say("key_blank"))
        return None
    folded = key_text.casefold()
    if folded in ctx.seen_keys:
        found.add(
            key_index, ctx.say("duplicate_key", value=repr(key_text), row=ctx.seen_keys[folded])
        )
    else:
        ctx.seen_keys[folded] = row.number
    matches = ctx.by_key.get(key_text, [])
    if len(matches) > 1:
        ids = ", ".join(e.id or e.relpath for e in matches)
        found.add(key_index, ctx.say("key_many", value=repr(key_text), count=len(matches), ids=ids))
    elif matches:
        return matches[0]
    elif ctx.key_field == "id" and key_text in ctx.unreadable_ids:
        found.add(key_index, ctx.say("key_unreadable", id=key_text))
    elif ctx.key_field == "id":
        found.add(key_index, ctx.say("no_such", type=ctx.label(ctx.etype.name), id=key_text))
    return None


def _plan_update(
    ctx: RowContext, result: RowResult, entry: Entry, cells: _Cells, found: _Problems
) -> None:
    """The row as an update of ``entry``; a blank cell over a value is noted, not applied."""
    result.meta, result.body, result.changed = updated_entry(
        entry, cells.values, cells.texts, ctx.sets, ctx.sections
    )
    result.entry, result.entry_id, result.path = entry, entry.id, entry.relpath
    result.action = "update" if result.changed else "unchanged"
    name = entry.id or entry.relpath
    for i, what in left_unchanged(entry, cells.blanks, ctx.sections):
        result.notes.append(found.message(i, ctx.say("blank_left", id=name, what=what)))


def _check_fields(ctx: RowContext, result: RowResult, cells: _Cells, found: _Problems) -> None:
    """Schema problems of the entry the row makes, named by the column that gave the value."""
    check = dict(result.meta)
    check.setdefault("id", "X-0000")
    for issue in validate_fields(ctx.etype, check):
        if issue.level != "error" or issue.field == "id" or issue.field in cells.bad:
            continue
        if result.action == "update" and issue.field not in result.changed:
            continue  # an old problem the sheet does not touch; `kb check` reports it
        if issue.code == "missing" and issue.field in ctx.missing_everywhere:
            continue
        i = ctx.field_columns.get(issue.field)
        if issue.field in ctx.sets and issue.field not in cells.values:
            found.add(None, f"--set {issue.message}", issue.field)
        elif issue.code == "missing" and i is not None:
            found.add(i, ctx.say("required_empty", field=issue.field), issue.field)
        else:
            found.add(i, issue.message, issue.field)


def _check_references(
    ctx: RowContext, result: RowResult, values: Mapping[str, Any], found: _Problems
) -> None:
    """References to entries that do not exist; one to an entry of another type is noted."""
    for f in ctx.etype.reference_fields:
        name = f.name
        if result.action == "update" and name not in result.changed:
            continue
        value = result.meta.get(name)
        for ref in value if isinstance(value, list) else [value]:
            if not isinstance(ref, str) or not ref or ref in ctx.unreadable_ids:
                continue  # an unreadable file's id: `kb check` reports that file
            kind = ctx.existing_ids.get(ref)
            if kind is None:
                hint = ctx.hints.get(ref, f.ref_type)
                text = ctx.say("ref_missing", field=name, ref=ref) + (
                    ctx.say("ref_hint", hint=hint) if hint else ""
                )
                if name in ctx.sets and name not in values:
                    # From --set: the same for every row, so said once for the sheet.
                    if all(p.message != f"--set {text}" for p in ctx.problems):
                        ctx.problems.append(SheetMessage(f"--set {text}", field=name))
                else:
                    found.add(ctx.field_columns.get(name), text, name)
            elif f.ref_type and kind != f.ref_type:
                # A warning in `kb check` too: noted, not refused.
                result.notes.append(
                    found.message(
                        ctx.field_columns.get(name),
                        ctx.say(
                            "ref_type",
                            field=name,
                            ref=ref,
                            kind=ctx.label(kind),
                            expected=ctx.label(f.ref_type),
                        ),
                        name,
                    )
                )


def _new_text(ctx: RowContext, result: RowResult, entry: Entry, found: _Problems) -> None:
    """The new text of the file ``result`` updates, edited in place where that is safe."""
    try:
        old_text = decode(entry.path.read_bytes())
    except (OSError, FrontMatterError) as exc:
        reason = exc.message if isinstance(exc, FrontMatterError) else exc.strerror
        message = ctx.say("cannot_read", path=result.path, reason=reason)
        result.problems.append(found.message(None, message))
    else:
        result.text, result.rewritten = updated_text(
            entry, old_text, result.meta, result.body, ctx.etype
        )


class _ReferenceHints:
    """'Did you mean' for ids that do not exist, each looked for once.

    A sheet naming one missing id on every row costs one search. Past ``limit`` different
    missing ids, no more are suggested: a search compares with every id of the workspace.
    """

    def __init__(self, existing_ids: Mapping[str, str], limit: int = 100) -> None:
        self._ids = existing_ids
        self._limit = limit
        self._candidates: dict[str, list[str]] = {}
        self._hints: dict[tuple[str, str], str | None] = {}

    def get(self, ref: str, ref_type: str) -> str | None:
        """The existing id closest to ``ref`` (of type ``ref_type``, when one is given)."""
        key = (ref, ref_type)
        if key not in self._hints:
            if len(self._hints) >= self._limit:
                return None
            if ref_type not in self._candidates:
                self._candidates[ref_type] = sorted(
                    x for x, kind in self._ids.items() if not ref_type or kind == ref_type
                )
            self._hints[key] = closest(ref, self._candidates[ref_type])
        return self._hints[key]

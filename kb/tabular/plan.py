"""Planning an import: for every row of a sheet, what import would create or change.

The columns are mapped once, and what the sheet as a whole lacks (a column for a required field)
is said once; then each row is planned (``kb.tabular.rows``). Nothing is written: ``apply_plan``
writes a plan only when it is sound. A row to create whose title and project an entry of the type
already has is taken as imported before, which makes an interrupted import repeatable.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kb import i18n
from kb.config import Workspace
from kb.entry import Entry, dumps
from kb.errors import UsageError
from kb.register_table import normalize_header
from kb.schema import EntryType, closest
from kb.tabular.cells import blank, cell_text
from kb.tabular.expect import gives_owner, owner_hint, owner_note, updates_without_key
from kb.tabular.headers import Target, header_target, map_columns
from kb.tabular.rows import RowContext, RowResult, plan_row
from kb.tabular.table import SheetMessage, Table

EXTERNAL_ID = "external_id"  # where a --key column that is no field keeps the sheet's own id

Progress = Callable[[str, int, int], None]  # progress(phase, done, total)


@dataclass
class ImportPlan:
    """Every row's outcome, the column mapping, and problems with the sheet as a whole."""

    source: str
    how: str
    columns: list[tuple[str, str]]  # (header, what it maps to), for --json: in English
    rows: list[RowResult]
    problems: list[SheetMessage] = field(default_factory=list)  # sheet-wide: block the import
    notes: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)  # what each column maps to
    key_index: int | None = None  # the --key column
    lang: str = i18n.DEFAULT  # of the messages about the sheet

    def mapping(self, lang: str) -> list[tuple[str, str]]:
        """(header, what it maps to) in ``lang``, the ``--key`` column marked."""
        return [
            (h, i18n.text("import.target_key", lang, target=t.describe(lang)))
            if i == self.key_index
            else (h, t.describe(lang))
            for i, (h, t) in enumerate(zip([c for c, _ in self.columns], self.targets, strict=True))
        ]

    @property
    def invalid(self) -> list[RowResult]:
        """Rows that failed validation."""
        return [r for r in self.rows if r.action == "invalid"]

    def writes(self, skip_invalid: bool) -> bool:
        """Whether applying the plan writes: no problem with the sheet as a whole, and no
        invalid row unless ``skip_invalid``."""
        return not self.problems and (skip_invalid or not self.invalid)

    def counts(self) -> dict[str, int]:
        """How many rows each action has."""
        out = {"create": 0, "update": 0, "unchanged": 0, "imported": 0, "invalid": 0}
        for r in self.rows:
            out[r.action] += 1
        return out


def plan_import(
    ws: Workspace,
    entries: Sequence[Entry],
    table: Table,
    etype: EntryType,
    *,
    maps: Sequence[str] = (),
    sets: Mapping[str, Any] | None = None,
    key: str | None = None,
    today: dt.date,
    render: Any = None,
    unreadable_ids: Collection[str] = (),
    owner: str = "",
    progress: Progress | None = None,
) -> ImportPlan:
    """Decide, for every row, what import would create or change; write nothing.

    ``owner`` is the owner of new entries when no column and no ``--set`` gives one (as
    `kb new` defaults it). Rows naming existing entries by id without ``key`` are refused for
    the sheet: they look like updates (``kb.tabular.expect``).

    ``render(meta) -> body`` gives a new entry its body (the type's template). Problems name the
    row and the column; sheet-wide problems (no column for a required field) are named once.
    ``unreadable_ids`` are ids whose files exist but cannot be read: a row that names one is
    refused rather than taken for a new entry, and references to them are not dangling.
    A row to create whose title and project an entry of the type already has is taken as
    imported before (``imported``), so an interrupted import can simply be run again.
    ``progress(phase, done, total)`` is told of every row.
    """
    sets = dict(sets or {})
    targets, problems = map_columns(table.headers, etype, maps, ws.language)
    plan = ImportPlan(
        table.source,
        table.how,
        [(h, t.describe()) for h, t in zip(table.headers, targets, strict=True)],
        [],
        notes=list(table.notes),
        targets=targets,
        lang=ws.language,
    )
    key_index = _key_column(table, etype, targets, key, plan) if key is not None else None
    plan.key_index = key_index
    key_field = targets[key_index].name if key_index is not None else None
    lang = ws.language
    existing_ids = {e.id for e in entries if e.id} | set(unreadable_ids)
    refused = updates_without_key(table, targets, existing_ids, lang) if key is None else None
    if refused is not None:
        problems.append(refused)
    plan.notes += _column_notes(table, targets, key_field, lang, id_note=refused is None)
    defaults: dict[str, Any] = {"date": today, "status": "draft"}
    any_new = _any_new(table, key_index, key_field)
    hint = owner_hint(etype, table, targets, lang)
    if owner and etype.field("owner") is not None and not gives_owner(targets, sets):
        defaults["owner"] = owner
        if any_new:
            plan.notes.append(owner_note(owner, hint, lang))
    missing = _missing_everywhere(etype, targets, sets, defaults)
    if missing and any_new:
        problems += [
            _no_column(etype, name, lang, hint if name == "owner" else "") for name in missing
        ]
    same_type = [e for e in entries if (t := ws.schema.get(e.type)) and t.name == etype.name]
    ctx = RowContext(
        ws,
        table,
        etype,
        targets,
        problems,
        sets=sets,
        defaults=defaults,
        missing_everywhere=missing,
        key_index=key_index,
        key_field=key_field,
        by_key=_index_by(same_type, key_field) if key_field else {},
        existing_ids={  # id -> canonical type name ('' when the type is unknown)
            e.id: (t.name if (t := ws.schema.get(e.type)) else "") for e in entries if e.id
        },
        unreadable_ids=set(unreadable_ids),
        render=render,
    )
    for done, row in enumerate(table.rows, start=1):
        if progress is not None:
            progress("checking", done, len(table.rows))
        plan.rows.append(plan_row(ctx, row))
    plan.problems = problems
    _mark_imported(plan, same_type)
    _refuse_oversized(plan, ws)
    return plan


def _key_column(
    table: Table, etype: EntryType, targets: list[Target], key: str, plan: ImportPlan
) -> int:
    """The index of the ``--key`` column: the column of that name, else the column that fills
    the field the name means in any language (``--key ID`` finds a Chinese sheet's 编号). One
    that fills no field keeps the sheet's own id (``EXTERNAL_ID``): its target, and its line in
    ``plan.columns``, say so."""
    lang = plan.lang
    wanted = normalize_header(key)
    matches = [i for i, h in enumerate(table.headers) if normalize_header(h) == wanted]
    meant = header_target(etype, key)
    if not matches and meant is not None and meant.kind == "field":
        matches = [i for i, t in enumerate(targets) if t.kind == "field" and t.name == meant.name]
    if not matches:
        hint = closest(key, table.headers)
        raise UsageError(
            i18n.text("import.key_no_column", lang, column=repr(key))
            + (i18n.text("import.did_you_mean", lang, hint=repr(hint)) if hint else "")
            + i18n.text("import.columns", lang, columns=", ".join(table.headers))
        )
    key_index = matches[0]
    t = targets[key_index]
    if t.kind in ("heading", "section", "body", "ignore", "derived"):
        targets[key_index] = Target("field", EXTERNAL_ID, EXTERNAL_ID)
    elif t.kind == "budget":
        raise UsageError(i18n.text("import.key_budget", lang, column=repr(key)))
    plan.columns[key_index] = (
        table.headers[key_index],
        i18n.text("import.target_key", "en", target=targets[key_index].describe()),
    )
    return key_index


def _column_notes(
    table: Table,
    targets: Sequence[Target],
    key_field: str | None,
    lang: str,
    id_note: bool = True,
) -> list[str]:
    """Notes on columns the import leaves out: an id column (but for ``--key``, or when
    ``id_note`` is false), derived ones."""
    notes = []
    id_columns = [i for i, t in enumerate(targets) if t.kind == "field" and t.name == "id"]
    if id_columns and key_field != "id" and id_note:
        column = repr(table.headers[id_columns[0]])
        notes.append(i18n.text("import.id_ignored", lang, column=column))
    derived = [h for h, t in zip(table.headers, targets, strict=True) if t.kind == "derived"]
    if derived:
        notes.append(i18n.text("import.derived_ignored", lang, columns=", ".join(derived)))
    return notes


def _missing_everywhere(
    etype: EntryType,
    targets: Sequence[Target],
    sets: Mapping[str, Any],
    defaults: Mapping[str, Any],
) -> list[str]:
    """The required fields no column provides, no ``--set`` gives and no default fills."""
    provided = {t.field for t in targets if t.kind in ("field", "budget")} | set(sets)
    return [
        f.name
        for f in etype.required
        if f.name not in ("id", "type") and f.name not in provided and f.name not in defaults
    ]


def _any_new(table: Table, key_index: int | None, key_field: str | None) -> bool:
    """Whether any row may create an entry: with ``--key`` on the id, only a row without one."""
    if key_field != "id" or key_index is None:
        return True
    # Every row that names an existing entry updates it: updates need no full set of columns.
    return any(blank(r.cells[key_index]) for r in table.rows)


def _no_column(etype: EntryType, name: str, lang: str, hint: str = "") -> SheetMessage:
    """The sheet-wide problem of a required field that no column, ``--set`` or default gives;
    ``hint`` names a column that could give it. The allowed values are listed as ``--set``
    takes them: keys in English, labels in other languages."""
    f = etype.field(name)
    choices = f.choices if f else ()
    if lang != i18n.DEFAULT:
        choices = tuple(i18n.text(f"value.{c}", lang, default=c) for c in choices)
    allowed = i18n.text("import.allowed", lang, values=", ".join(choices)) if choices else ""
    message = i18n.text("import.no_column", lang, field=name, allowed=allowed)
    return SheetMessage(message + hint, field=name)


def _index_by(entries: Sequence[Entry], name: str) -> dict[str, list[Entry]]:
    """Entries by the text of one field, for --key: one pass, not one per row."""
    index: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        text = cell_text(e.meta.get(name)).strip()
        if text:
            index[text].append(e)
    return index


# ---------------------------------------------------------------------------------------------
# Rows already imported, and entries too large


def title_key(title: Any, project: Any) -> tuple[str, str]:
    """What identifies a row an import creates: its title and project, compared ignoring case
    and runs of spaces. `kb check` warns about two entries of a type with the same."""
    return _folded(title), _folded(project)


def _folded(value: Any) -> str:
    return " ".join(unicodedata.normalize("NFKC", cell_text(value)).split()).casefold()


def _filing_order(entry: Entry) -> tuple[int, str]:
    m = re.search(r"-(\d+)$", entry.id)
    return (int(m.group(1)) if m else 1 << 62, entry.relpath)


def _mark_imported(plan: ImportPlan, entries: Sequence[Entry]) -> None:
    """Rows to create whose entry exists already (same title and project) become ``imported``.

    This is what makes an interrupted import repeatable: run again, it creates only the rows
    that are missing. The n-th row of a sheet with one title and project is matched with the
    n-th entry that has them, in the order of their ids, which is the order an import writes
    them in: a sheet's own two rows of one title stay two entries.
    """
    existing: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in sorted(entries, key=_filing_order):
        title = e.meta.get("title")
        if title not in (None, ""):
            existing[title_key(title, e.meta.get("project"))].append(e)
    taken: Counter[tuple[str, str]] = Counter()
    for r in plan.rows:
        if r.action != "create":
            continue
        key = title_key(r.meta.get("title"), r.meta.get("project"))
        matches = existing.get(key, [])
        if taken[key] < len(matches):
            entry = matches[taken[key]]
            taken[key] += 1
            r.action, r.entry_id, r.path = "imported", entry.id, entry.relpath
            r.changed, r.body = [], ""


def _entry_size(meta: Mapping[str, Any], body: str) -> int:
    """Bytes of a new entry's file; estimated from its text, written out only when it may be
    near a limit (YAML adds quotes and indentation, never four times the text)."""
    rough = len(body.encode("utf-8")) + sum(
        len(cell_text(v).encode("utf-8")) + 64 for v in meta.values()
    )
    return rough if rough < 64 * 1024 else len(dumps(dict(meta), body).encode("utf-8"))


def _refuse_oversized(plan: ImportPlan, ws: Workspace) -> None:
    """Rows whose entry would be over ``max_entry_kb`` become invalid: `kb check` would refuse
    the file, and the site would not publish it."""
    limit = ws.settings.max_entry_kb * 1024
    for r in plan.rows:
        if r.action == "create":
            size = _entry_size(r.meta, r.body)
        elif r.action == "update" and r.text:
            size = len(r.text.encode("utf-8"))
        else:
            continue
        if size > limit:
            r.problems.append(
                SheetMessage(
                    i18n.text(
                        "import.oversized",
                        ws.language,
                        size=f"{size / 1_048_576:,.1f}",
                        limit=f"{limit // 1024:,}",
                    ),
                    r.row,
                )
            )
            r.action = "invalid"

"""Registers as flat tables: the columns of each register, and one row per entry.

What `kb export` writes and `kb import` reads back (``kb.tabular``): a PMI register's columns
with headers in a language (kb/locale), each with the field kind that writes its cells, and
the rows with the derived figures of ``kb.registers`` computed; and the action register, one
row per action item of every retrospective (``action_columns``, ``action_rows``). Pure
functions: nothing here reads files or prints.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kb import i18n
from kb.entry import Entry, section_text, strip_comments
from kb.registers import (
    ActionItem,
    action_items,
    budget_variance,
    schedule_slip_days,
    score,
    type_of,
)
from kb.schema import EntryType, Schema, as_date

_COMMON_TAIL = ("owner", "date", "status", "updated", "tags", "related")

# The computed columns, by the field they follow, and the kind of value each holds.
_DERIVED_AFTER = {
    ("risk", "impact"): (("score", "int"),),
    ("retrospective", "actual_end"): (("schedule_slip_days", "int"),),
    ("retrospective", "actions"): (("open_actions", "int"), ("overdue_actions", "int")),
    ("sop", "review_due"): (("review_overdue_days", "int"),),
}
_BUDGET_COLUMNS = (
    ("planned", "budget", "number"),
    ("actual", "budget", "number"),
    ("currency", "budget", "text"),
    ("variance", "derived", "number"),
    ("variance_percent", "derived", "number"),
)


@dataclass(frozen=True)
class Column:
    """One column of a register: its JSON key, its spreadsheet header and where it comes from.

    ``source`` is ``field`` (a front-matter field), ``budget`` (one part of the budget mapping,
    named in ``name``), ``derived`` (computed; ignored on import) or ``section`` (the text under
    a body heading, ``name`` being the section key). ``kind`` is the field kind (kb.fields) that
    writes its cells. The header is in the language the columns were laid out for.
    """

    key: str
    header: str
    source: str
    name: str
    kind: str = "text"

    @property
    def derived(self) -> bool:
        """True for computed columns, which import ignores."""
        return self.source == "derived"


def normalize_header(text: str) -> str:
    """A header reduced for matching: case, spaces, underscores and punctuation ignored."""
    return re.sub(r"[\W_]+", "", str(text)).casefold()


def _header(key: str, lang: str, default: str) -> str:
    """A column's header in ``lang``: the catalog's ``column.<key>``, else ``default``."""
    return i18n.text(f"column.{key}", lang, default=default)


def register_columns(etype: EntryType, lang: str = i18n.DEFAULT) -> list[Column]:
    """The columns of the register of ``etype``, in the order a PMI register shows them, with
    headers in ``lang`` (kb/locale: the field's name, or ``column.<key>``)."""
    names = [f.name for f in etype.fields if f.name != "type"]
    head = [n for n in ("id", "title", "project") if n in names]
    tail = [n for n in _COMMON_TAIL if n in names]
    middle = [n for n in names if n not in head and n not in tail]
    columns: list[Column] = []
    for name in head + middle:
        f = etype.field(name)
        if f is None:
            continue
        if f.model.parts:
            for part, source, kind in _BUDGET_COLUMNS:
                key = f"{name}_{part}"
                header = _header(key, lang, f"{f.label(lang)} {part.replace('_', ' ')}")
                columns.append(
                    Column(key, header, source, part if source == "budget" else key, kind)
                )
            continue
        columns.append(Column(name, _header(name, lang, f.label(lang)), "field", name, f.kind))
        for key, kind in _DERIVED_AFTER.get((etype.name, name), ()):
            columns.append(Column(key, _header(key, lang, key), "derived", key, kind))
    taken = {normalize_header(c.header) for c in columns} | {normalize_header(n) for n in names}
    tail_fields = [etype.field(n) for n in tail]
    taken |= {normalize_header(f.label(lang)) for f in tail_fields if f is not None}
    for section in etype.sections:
        header, key = section.heading(lang), section.key
        if normalize_header(header) in taken:
            header = i18n.text("column.section_text", lang, heading=header)
        if key in names:
            key = f"{key}_text"
        columns.append(Column(key, header, "section", section.key, "longtext"))
    for name in tail:
        f = etype.field(name)
        if f is not None:
            columns.append(Column(name, _header(name, lang, f.label(lang)), "field", name, f.kind))
    return columns


def _action_rows(value: object) -> list[dict[str, Any]]:
    rows = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            due = as_date(item.get("due"))
            rows.append(
                {
                    "action": item.get("action"),
                    "owner": item.get("owner"),
                    "due": due if due else item.get("due"),
                    "status": item.get("status") or "open",
                }
            )
    return rows


def register_rows(
    entries: Iterable[Entry], etype: EntryType, today: dt.date, schema: Schema | None = None
) -> list[dict[str, Any]]:
    """One row per entry of ``etype``, keyed by column key, derived fields computed.

    Values keep their types (dates, numbers, lists, yes/no); the exporters format them.
    """
    columns = register_columns(etype)
    section_by_key = {s.key: s for s in etype.sections}
    rows = []
    chosen = [e for e in entries if type_of(e, schema) == etype.name]
    chosen.sort(key=lambda e: (e.id, e.relpath))
    for e in chosen:
        meta = e.meta
        budget = meta.get("budget") if isinstance(meta.get("budget"), dict) else {}
        variance = budget_variance(meta) or {}
        items = action_items([e], today)
        derived = {
            "score": score(meta),
            "schedule_slip_days": schedule_slip_days(meta),
            "budget_variance": variance.get("amount"),
            "budget_variance_percent": variance.get("percent"),
            "open_actions": sum(1 for a in items if a.status == "open"),
            "overdue_actions": sum(1 for a in items if a.overdue_days > 0),
            "review_overdue_days": _review_overdue(meta, today),
        }
        row: dict[str, Any] = {}
        for c in columns:
            if c.source == "field":
                value = meta.get(c.name)
                row[c.key] = _action_rows(value) if c.name == "actions" else value
            elif c.source == "budget":
                row[c.key] = budget.get(c.name)
            elif c.source == "derived":
                row[c.key] = derived.get(c.key)
            else:
                sec = section_by_key[c.name]
                row[c.key] = strip_comments(section_text(e.body, sec.headings())).strip()
        rows.append(row)
    return rows


def _review_overdue(meta: Mapping[str, Any], today: dt.date) -> int | None:
    due = as_date(meta.get("review_due"))
    if due is None or meta.get("status") in ("superseded", "retired"):
        return None
    return max((today - due).days, 0)


# ---------------------------------------------------------------------------------------------
# The action register: one row per action item

# (key, source, kind): ``ref`` identifies the item, ``item`` is a key stored with it, ``derived``
# is computed or belongs to the retrospective (ignored on import).
_ACTION_COLUMNS = (
    ("ref", "ref", "text"),
    ("entry_id", "derived", "text"),
    ("entry_title", "derived", "text"),
    ("project", "derived", "text"),
    ("action", "item", "text"),
    ("owner", "item", "text"),
    ("due", "item", "date"),
    ("status", "item", "choice"),
    ("done", "item", "date"),
    ("note", "item", "text"),
    ("verified", "item", "date"),
    ("evidence", "item", "text"),
    ("reason", "item", "text"),
    ("overdue_days", "derived", "int"),
)


def action_columns(lang: str = i18n.DEFAULT) -> list[Column]:
    """The columns of the action register, headers in ``lang`` (``column.action_item.<key>``)."""
    return [
        Column(key, i18n.text(f"column.action_item.{key}", lang), source, key, kind)
        for key, source, kind in _ACTION_COLUMNS
    ]


def action_row(item: ActionItem) -> dict[str, Any]:
    """One action item as a row of the action register, keyed by column key."""
    return {
        "ref": item.ref,
        "entry_id": item.entry_id,
        "entry_title": item.entry_title,
        "project": item.project,
        "action": item.action,
        "owner": item.owner,
        "due": item.due,
        "status": item.status,
        "done": item.done,
        "note": item.note or None,
        "verified": item.verified,
        "evidence": item.evidence or None,
        "reason": item.reason or None,
        "overdue_days": item.overdue_days,
    }


def action_rows(entries: Iterable[Entry], today: dt.date) -> list[dict[str, Any]]:
    """Every action item of every retrospective, by retrospective id and item number."""
    items = action_items(entries, today)
    items.sort(key=lambda a: (a.entry_id, a.path, _item_number(a.ref), a.index))
    return [action_row(a) for a in items]


def _item_number(ref: str) -> int:
    number = ref.rpartition("#")[2]
    return int(number) if number.isdigit() else 0

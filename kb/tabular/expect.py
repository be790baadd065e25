"""What a PM expects of a sheet as a whole, before any row is planned.

A sheet whose ID column names entries that exist is an edited export: imported without
``--key`` it would file every row again as a new entry, so it is refused with the option that
was meant. A sheet without an owner column gives new entries the owner `kb new` would (the
caller's git user.name, else the user's name), and a column that looks like an owner, such as a
risk register's "Risk Owner", is offered as the one to map instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from kb import i18n
from kb.register_table import normalize_header
from kb.schema import EntryType
from kb.tabular.cells import blank, cell_text
from kb.tabular.headers import Target
from kb.tabular.table import SheetMessage, Table

# Words of a header that holds a person accountable, in the languages PMOs write them.
_OWNER_WORDS = ("owner", "负责人", "责任人")


def updates_without_key(
    table: Table, targets: Sequence[Target], existing_ids: Collection[str], lang: str
) -> SheetMessage | None:
    """The sheet-wide problem of an id column naming existing entries, imported without
    ``--key``; None when the column names none (its ids are the sheet's own, and ignored)."""
    columns = [i for i, t in enumerate(targets) if t.kind == "field" and t.name == "id"]
    if not columns:
        return None
    i = columns[0]
    named = []
    for row in table.rows:
        raw = row.cells[i]
        text = "" if blank(raw) else cell_text(raw).strip().upper()
        if text in existing_ids:
            named.append(text)
    if not named:
        return None
    header = table.headers[i]
    ids = ", ".join(named[:3]) + (", …" if len(named) > 3 else "")
    message = i18n.text(
        "import.looks_like_updates",
        lang,
        count=len(named),
        column=header,
        ids=ids,
        option=_option(header),
    )
    return SheetMessage(message, column=header, field="id")


def _option(header: str) -> str:
    """A header as the value of an option on a command line: quoted when it has spaces."""
    return header if re.fullmatch(r"[\w.-]+", header) else '"' + header.replace('"', '\\"') + '"'


def gives_owner(targets: Sequence[Target], sets: Mapping[str, Any]) -> bool:
    """Whether a column, or ``--set``, gives the entries their owner."""
    return "owner" in sets or any(t.kind == "field" and t.name == "owner" for t in targets)


def owner_columns(table: Table, targets: Sequence[Target]) -> list[str]:
    """Columns that look like they hold an owner but fill another field or a body section:
    "Risk Owner", "Action owner", "风险负责人"."""
    found = []
    for header, t in zip(table.headers, targets, strict=True):
        if t.kind == "field" and t.name == "owner":
            continue
        looks = normalize_header(header)
        if (t.kind == "field" and t.name == "risk_owner") or any(w in looks for w in _OWNER_WORDS):
            found.append(header)
    return found


def owner_hint(etype: EntryType, table: Table, targets: Sequence[Target], lang: str) -> str:
    """The hint that an owner-like column could be mapped to the entry owner; '' when none."""
    columns = owner_columns(table, targets)
    if not columns:
        return ""
    column = columns[0]
    t = targets[table.headers.index(column)]
    f = etype.field(t.name) if t.kind == "field" else None
    what = f.label(lang) if f is not None else i18n.text("import.body_text", lang)
    return i18n.text("import.owner_hint", lang, column=column, what=what)


def owner_note(owner: str, hint: str, lang: str) -> str:
    """The note that new entries get the default owner, with the hint to map a column."""
    return i18n.text("import.owner_default", lang, owner=owner) + hint

"""The columns of an action register as read back: which key of an action item each fills.

A header matches by the keys of ``kb export --type action --format json``, by its headers in
any language (a Chinese sheet's 编号 is the Ref), or by a header PMOs use (*Deadline*,
*Responsible*), ignoring case, spaces and punctuation; ``--map "Column=field"`` names the rest.
The computed columns are ``derived`` and every other column is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kb import i18n
from kb.errors import UsageError
from kb.fields import ACTION_STATUSES
from kb.register_table import action_columns, normalize_header
from kb.schema import Field
from kb.tabular.headers import Target
from kb.tabular.table import SheetMessage

# How each cell a row may give is read.
FIELDS = {
    "ref": Field("ref", "text"),
    "action": Field("action", "longtext"),
    "owner": Field("owner", "text"),
    "due": Field("due", "date"),
    "status": Field("status", "choice", choices=ACTION_STATUSES),
    "done": Field("done", "date"),
    "note": Field("note", "longtext"),
    "verified": Field("verified", "date"),
    "evidence": Field("evidence", "longtext"),
    "reason": Field("reason", "longtext"),
}
# Headers PMOs use for these columns that are neither the keys nor kb's export headers.
_ALIASES = {
    "ref": ("reference", "action ref", "引用"),
    "action": ("action item", "改进措施"),
    "owner": ("responsible", "action owner", "责任人"),
    "due": ("due date", "deadline", "截止", "到期日"),
    "status": ("state",),
}


def say(key: str, lang: str, **values: Any) -> str:
    return i18n.text(f"import.{key}", lang, **values)


def _lookup() -> dict[str, Target]:
    """Normalized header -> target: column keys, export headers of every language, aliases."""
    table: dict[str, Target] = {}
    for lang in i18n.LANGUAGES:
        for c in action_columns(lang):
            target = Target("derived", c.key) if c.derived else Target("field", c.key, c.key)
            table.setdefault(normalize_header(c.key), target)
            table.setdefault(normalize_header(c.header), target)
    for key, aliases in _ALIASES.items():
        for alias in aliases:
            table.setdefault(normalize_header(alias), Target("field", key, key))
    return table


def _map_target(text: str, item: str, lang: str) -> Target:
    name = text.strip()
    if name in ("", "-"):
        return Target("ignore")
    found = _lookup().get(normalize_header(name))
    if found is None or found.kind != "field":
        fields = ", ".join(FIELDS)
        raise UsageError(
            say("action_map_no_field", lang, option=repr(item), field=repr(name), fields=fields)
        )
    return found


def action_targets(
    headers: Sequence[str], maps: Sequence[str], lang: str
) -> tuple[list[Target], list[SheetMessage]]:
    """What each column of an action register fills, and problems (two columns for one key)."""
    explicit: dict[str, Target] = {}
    by_header = {normalize_header(h): h for h in headers}
    for item in maps:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise UsageError(say("map_form", lang, item=repr(item)))
        if normalize_header(column) not in by_header:
            raise UsageError(
                say("map_no_column", lang, item=repr(item), column=repr(column.strip()))
                + say("columns", lang, columns=", ".join(headers))
            )
        explicit[normalize_header(column)] = _map_target(target, item, lang)
    lookup = _lookup()
    targets = [
        explicit.get(normalize_header(h)) or lookup.get(normalize_header(h)) or Target("ignore")
        for h in headers
    ]
    problems = []
    seen: dict[str, str] = {}
    for h, t in zip(headers, targets, strict=True):
        if t.kind != "field":
            continue
        if t.name in seen:
            message = say(
                "two_columns",
                lang,
                first=repr(seen[t.name]),
                second=repr(h),
                column=h,
                target=t.name,
            )
            problems.append(SheetMessage(message, column=h, field=t.name))
        seen[t.name] = h
    return targets, problems


def key_index(headers: Sequence[str], targets: Sequence[Target], key: str | None, lang: str) -> int:
    """The Ref column ``--key`` names (``--key Ref`` finds a Chinese sheet's 编号 too)."""
    if key is None:
        raise UsageError(say("action_key", lang))
    wanted = normalize_header(key)
    named = [i for i, h in enumerate(headers) if normalize_header(h) == wanted]
    meant = _lookup().get(wanted)
    if not named and meant is not None and meant.name == "ref":
        named = [i for i, t in enumerate(targets) if t.kind == "field" and t.name == "ref"]
    if not named:
        raise UsageError(
            say("key_no_column", lang, column=repr(key))
            + say("columns", lang, columns=", ".join(headers))
        )
    t = targets[named[0]]
    if t.kind != "field" or t.name != "ref":
        raise UsageError(say("action_key_column", lang, column=repr(key)))
    return named[0]

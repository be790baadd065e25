"""What a row changes: an update compared with the entry it names, or a new entry's front matter
and body. Values compare as a PM reads them: ``"2024-03-15"`` is the date, spaces around a text
and its line ends do not count, an action item's extra keys are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from kb.edits import current_section, replace_section
from kb.entry import Entry, strip_comments
from kb.schema import EntryType
from kb.tabular.headers import Target


def _same(old: Any, new: Any) -> bool:
    """Whether a row's value is the one the entry holds, as a PM reads them."""
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").strip() == new.strip()
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, dict) and isinstance(new, dict):
        return all(_same(old.get(k), v) for k, v in new.items())
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new
    if isinstance(old, dt.date) and isinstance(new, dt.date):
        return old == new
    if isinstance(old, str) and isinstance(new, dt.date):
        return old.strip() == new.isoformat()
    return old == new


def _fill(meta: dict[str, Any], name: str, value: Any) -> bool:
    """Give ``meta[name]`` the value of a --set where it is blank (budget: part by part)."""
    old = meta.get(name)
    if isinstance(old, dict) and isinstance(value, dict):
        missing = {k: v for k, v in value.items() if old.get(k) in (None, "")}
        if missing:
            meta[name] = {**old, **missing}
        return bool(missing)
    if old in (None, "", []):
        meta[name] = value
        return True
    return False


def _merge_actions(old: Any, new: list[dict[str, Any]]) -> list[Any]:
    """New action items, keeping each old item (and its extra keys) that did not change."""
    if not isinstance(old, list):
        return new
    merged: list[Any] = []
    for i, item in enumerate(new):
        before = old[i] if i < len(old) else None
        if isinstance(before, dict) and _same(
            {**before, "status": before.get("status") or "open"}, item
        ):
            merged.append(before)
        else:
            merged.append(item)
    return merged


def _section_headings(t: Target, sections: Mapping[str, Any]) -> tuple[tuple[str, ...], str]:
    if t.kind == "section":
        s = sections[t.name]
        return s.headings(), s.heading()
    return (t.name,), t.name


def left_unchanged(
    entry: Entry, blanks: Sequence[tuple[Target, int]], sections: Mapping[str, Any]
) -> list[tuple[int, str]]:
    """The blank cells whose field or section the entry has a value for: (column, what)."""
    found = []
    for t, i in blanks:
        old: Any
        if t.kind == "field":
            old, what = entry.meta.get(t.name), t.name
        elif t.kind == "budget":
            budget = entry.meta.get("budget")
            old = budget.get(t.name) if isinstance(budget, dict) else None
            what = f"budget.{t.name}"
        elif t.kind == "body":
            old, what = strip_comments(entry.body).strip(), "body"
        else:
            headings, heading = _section_headings(t, sections)
            old, what = current_section(entry.body, headings), f"section {heading!r}"
        if old not in (None, "", []):
            found.append((i, what))
    return found


def updated_entry(
    entry: Entry,
    values: Mapping[str, Any],
    texts: Sequence[tuple[Target, int, str]],
    sets: Mapping[str, Any],
    sections: Mapping[str, Any],
) -> tuple[dict[str, Any], str, list[str]]:
    """The entry's front matter and body with a row's values and texts (and the ``--set``
    values where the entry has none), and what changed: field names, ``section 'Heading'``."""
    meta = dict(entry.meta)
    changed: list[str] = []
    for name, value in values.items():
        old = meta.get(name)
        if name == "budget":
            base = dict(old) if isinstance(old, dict) else {}
            value = {**base, **value}
        if name == "actions":
            value = _merge_actions(old, value)
        if not _same(old, value) or (isinstance(old, dict) and set(value) - set(old)):
            meta[name] = value
            changed.append(name)
    for name, value in sets.items():
        if _fill(meta, name, value):
            changed.append(name)
    body = entry.body
    for t, _, text in texts:
        if t.kind == "body":
            if body.strip() != text.strip():
                body = text + "\n"
                changed.append("body")
            continue
        headings, heading = _section_headings(t, sections)
        if current_section(body, headings) != text:
            body = replace_section(body, headings, text, heading)
            changed.append(f"section {heading!r}")
    return meta, body, changed


def new_meta(
    etype: EntryType,
    values: Mapping[str, Any],
    sets: Mapping[str, Any],
    defaults: Mapping[str, Any],
) -> dict[str, Any]:
    """A new entry's front matter: a row's values, then ``--set`` and the defaults where blank."""
    from kb.scaffold import ordered_meta

    merged = {"type": etype.name, **values}
    for name, value in {**defaults, **sets}.items():
        _fill(merged, name, value)
    return ordered_meta(etype, merged)


def new_body(
    meta: dict[str, Any],
    texts: list[tuple[Target, int, str]],
    sections: Mapping[str, Any],
    render: Any,
) -> str:
    """A new entry's body: the type's template, with the sheet's text under its headings."""
    whole = [text for t, _, text in texts if t.kind == "body"]
    body = render(meta) if render else f"# {meta.get('title', '')}\n"
    if whole:
        body = whole[-1] + "\n"
    for t, _, text in texts:
        if t.kind != "body":
            headings, heading = _section_headings(t, sections)
            body = replace_section(body, headings, text, heading)
    return body

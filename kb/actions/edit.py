"""Applying a lifecycle step to the entry's file: only the lines of the item change.

``kb actions done RETRO-0003#2`` edits the lines of that item in the front matter (its status
line, the keys it gains or loses) and adds the ``id:`` line of every item of the entry that has
none yet, so the references freeze. Everything else in the file, comments and formatting
included, stays as written. A block-style item (``- action: ...`` on its own lines) is edited
key by key; a flow-style item (``- {action: ..., status: open}``) is written anew on its line; a
flow-style list (``actions: [{...}, {...}]``) is written anew as one (a comment at the end of
the line stays, and a text with a line break is double-quoted to stay on one line). Each result
is parsed back and must read as exactly the intended front matter; when a finer edit does not,
the next coarser one is tried (the whole item, then the whole ``actions`` field), and when none
does the file is left alone. The file is written through a temporary file renamed into place,
and a file that `kb check` rejects is not touched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.actions.lifecycle import Change, apply_change
from kb.actions.refs import format_ref, item_ids, parse_ref, resolve, stored_id
from kb.actions.words import say
from kb.config import Workspace
from kb.entry import Entry, FrontMatterError, parse
from kb.errors import KbError, ValidationFailed

_CLOSE = re.compile(r"^(---|\.\.\.)\s*$")
_DASH = re.compile(r"^(\s*-\s+)")
_LONE_DASH = re.compile(r"^\s*-\s*$")


# Tokens the scanner places at the end of the text, after any comment
_NOT_CONTENT = (yaml.StreamStartToken, yaml.StreamEndToken, yaml.BlockEndToken)


def _comment(line: str) -> str:
    """The comment at the end of a one-line piece of YAML, with the spaces before it; "" when
    it has none. YAML's own scanner says where the values end, so a ``#`` or a quote inside a
    value, or a quote inside the comment (``# Bob's``), is read as YAML reads it."""
    try:
        tokens = list(yaml.scan(line, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return ""
    ends = [t.end_mark.index for t in tokens if not isinstance(t, _NOT_CONTENT)]
    rest = line[max(ends, default=0) :]
    return rest.rstrip() if rest.lstrip().startswith("#") else ""


@dataclass
class Edited:
    """What one lifecycle step changed."""

    ref: str
    entry_id: str
    path: str
    line: int
    before: str
    item: dict[str, Any]
    ids_written: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        item = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.item.items()}
        return {
            "ref": self.ref,
            "entry_id": self.entry_id,
            "path": self.path,
            "line": self.line,
            "before": self.before,
            "status": self.item.get("status"),
            "item": item,
            "ids_written": self.ids_written,
        }


def change_action(ws: Workspace, ref_text: str, change: Change, today: dt.date) -> Edited:
    """Take one lifecycle step on the item ``ref_text`` names, in its entry's file."""
    from kb.checks import check_workspace, entry_problems
    from kb.store import load_entries, read_text, workspace_lock, write_atomic

    with workspace_lock(ws, "actions"):
        loaded = load_entries(ws)
        wanted = parse_ref(ref_text).entry_id
        if wanted in loaded.unreadable_ids and wanted not in {e.id for e in loaded.entries}:
            unreadable = [
                p for p in loaded.problems if p.path.rpartition("/")[2].startswith(wanted)
            ]
            where = unreadable[0].path if unreadable else wanted
            raise ValidationFailed(unreadable, summary=say("check_rejects", path=where))
        entry, index, ref = resolve(loaded.entries, ref_text)
        errors = [
            p
            for p in check_workspace(ws, today, loaded).problems
            if p.path == entry.relpath and p.level == "error"
        ]
        if errors:
            raise ValidationFailed(
                errors,
                summary=say("check_rejects", path=entry.relpath),
            )
        items = entry.meta["actions"]
        numbers = item_ids(items)
        changed = apply_change(items[index], change, str(ref), today)
        new_items: list[Any] = []
        written = []
        for i, (item, number) in enumerate(zip(items, numbers, strict=True)):
            new = changed if i == index else item
            if isinstance(new, Mapping) and stored_id(new) is None and number is not None:
                new = {**{k: v for k, v in new.items() if k != "id"}, "id": number}
                written.append(format_ref(entry.id, number))
            new_items.append(new)
        original = read_text(ws, entry.path, entry.relpath)
        text = rewrite_actions(entry, original, new_items)
        after = parse(text, entry.path, entry.relpath)
        new_errors = [p for p in entry_problems(ws, after) if p.level == "error"]
        if new_errors:  # the step itself must never make a valid file invalid
            raise ValidationFailed(new_errors, summary=say("not_written", ref=ref))
        if read_text(ws, entry.path, entry.relpath) != original:
            raise KbError(say("changed_meanwhile", path=entry.relpath))
        write_atomic(entry.path, as_written(entry.path.read_bytes(), text), overwrite=True)
    return Edited(
        ref=str(ref),
        entry_id=entry.id,
        path=entry.relpath,
        line=after.line_of("actions", index),
        before=str(items[index].get("status") or "open"),
        item=dict(new_items[index]),
        ids_written=written,
    )


def as_written(raw: bytes, text: str) -> bytes:
    """``text`` with the line ends and byte-order mark of the file it replaces (kb reads a
    file with both normalized away)."""
    if b"\r\n" in raw:
        text = text.replace("\n", "\r\n")
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    return bom + text.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The text of the edit

Edit = tuple[int, int, list[str]]  # replace lines[start:stop] by these lines


def rewrite_actions(entry: Entry, text: str, items: Sequence[Any]) -> str:
    """``text`` with the entry's ``actions`` list replaced by ``items`` (same length), changing
    as few lines as reads back correctly; KbError when no edit does."""
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None or "actions" not in entry.meta:
        raise KbError(say("no_items", path=entry.relpath))
    wanted = {**entry.meta, "actions": list(items)}
    layout = _Layout(entry, lines, end)
    strategies: list[Callable[[], list[Edit]]] = []
    if not layout.flow_list:
        strategies += [lambda: layout.key_edits(items), lambda: layout.item_edits(items)]
    strategies.append(lambda: layout.field_edit(items))
    for strategy in strategies:
        try:
            edits = strategy()
        except _CannotEdit:
            continue
        edited = list(lines)
        # From the bottom up; where a line is both replaced and has lines inserted before it
        # (the end of one item, the start of the next), the replacement goes first.
        for start, stop, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            edited[start:stop] = new
        candidate = "\n".join(edited)
        try:
            if parse(candidate, entry.path, entry.relpath).meta == wanted:
                return candidate
        except FrontMatterError:
            continue
    raise KbError(say("cannot_edit", path=entry.relpath, line=entry.line_of("actions")))


class _CannotEdit(Exception):
    """This kind of edit does not fit how the list is written."""


def _dump_mapping(data: Mapping[str, Any]) -> list[str]:
    """``key: value`` lines at column 0, as YAML writes them."""
    text = yaml.safe_dump(
        dict(data), allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False
    )
    return text.rstrip("\n").split("\n")


class _OneLineDumper(yaml.SafeDumper):
    """Writes a text with a line break as a double-quoted scalar (``"a\\nb"``), the one style
    that keeps it on one line, as a flow-style item must be."""


def _one_line_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if "\n" in value or "\r" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_OneLineDumper.add_representer(str, _one_line_text)


def _flow_one_line(value: Any) -> str:
    text = yaml.dump(
        value,
        Dumper=_OneLineDumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**6,
        default_flow_style=True,
    ).rstrip("\n")
    if "\n" in text:
        raise _CannotEdit
    return text


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


class _Layout:
    """Where the ``actions`` field and each of its items sit in the file's lines."""

    def __init__(self, entry: Entry, lines: list[str], end: int) -> None:
        self.entry = entry
        self.lines = lines
        self.key = entry.line_of("actions") - 1
        if not 0 < self.key < end:
            raise KbError(say("no_items", path=entry.relpath))
        # The field ends where the next top-level key starts (comments between items, at any
        # column, are part of it), or at the closing line; comments just above the next key
        # belong to that key.
        later = [n - 1 for k, n in entry.lines.items() if len(k) == 1 and n - 1 > self.key]
        stop = min([*later, end])
        while stop > self.key + 1 and not _is_content(lines[stop - 1]):
            stop -= 1
        self.stop = stop
        after_key = lines[self.key].split(":", 1)[1].strip() if ":" in lines[self.key] else ""
        self.flow_list = after_key.startswith("[")
        self.items = entry.meta["actions"]

    def _start(self, i: int) -> int:
        """The line index where item ``i`` begins (its ``-``)."""
        at = self.entry.line_of("actions", i) - 1
        if not _DASH.match(self.lines[at]):
            before = at - 1
            while before > self.key and not _is_content(self.lines[before]):
                before -= 1
            if not _LONE_DASH.match(self.lines[before]):
                raise _CannotEdit
            at = before
        return at

    def _span(self, i: int) -> tuple[int, int]:
        """(first line, one past the last line with content) of item ``i``."""
        start = self._start(i)
        stop = self._start(i + 1) if i + 1 < len(self.items) else self.stop
        while stop > start + 1 and not _is_content(self.lines[stop - 1]):
            stop -= 1
        return start, stop

    def _changed(self, items: Sequence[Any]) -> list[int]:
        if len(items) != len(self.items):
            raise _CannotEdit
        return [i for i, (old, new) in enumerate(zip(self.items, items, strict=True)) if old != new]

    def key_edits(self, items: Sequence[Any]) -> list[Edit]:
        """Each changed item edited key by key (a flow-style item written anew on its line)."""
        edits: list[Edit] = []
        for i in self._changed(items):
            old, new = self.items[i], items[i]
            if not isinstance(old, Mapping) or not isinstance(new, Mapping):
                raise _CannotEdit
            start, stop = self._span(i)
            dash = _DASH.match(self.lines[start])
            if dash and self.lines[start][dash.end() :].lstrip().startswith("{"):
                line = dash.group(1) + _flow_one_line(dict(new))
                comment = _comment(self.lines[start]) if stop == start + 1 else ""
                edits.append((start, stop, [line + comment]))
                continue
            edits.extend(self._keys(i, start, stop, old, new))
        return edits

    def _keys(
        self, i: int, start: int, stop: int, old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> list[Edit]:
        lines = self.lines
        at = {k: self.entry.lines.get(("actions", i, str(k)), 0) - 1 for k in old}
        if any(not start <= line < stop for line in at.values()):
            raise _CannotEdit
        order = sorted(at, key=at.__getitem__)
        first = lines[at[order[0]]] if order else ""
        dash = _DASH.match(first)
        column = len(dash.group(1)) if dash else len(first) - len(first.lstrip(" "))
        edits: list[Edit] = []
        for n, key in enumerate(order):
            line = at[key]
            upto = at[order[n + 1]] if n + 1 < len(order) else stop
            while upto > line + 1 and not _is_content(lines[upto - 1]):
                upto -= 1
            prefix = lines[line][:column]
            if key not in new:
                if prefix.strip():  # the key on the "- " line: the item would lose its dash
                    raise _CannotEdit
                edits.append((line, upto, []))
            elif new[key] != old[key] or type(new[key]) is not type(old[key]):
                dumped = _dump_mapping({key: new[key]})
                comment = _comment(lines[line]) if upto == line + 1 else ""
                if len(dumped) == 1:
                    dumped[0] += comment
                pad = " " * column
                edits.append((line, upto, [prefix + dumped[0]] + [pad + d for d in dumped[1:]]))
        added = {k: v for k, v in new.items() if k not in old}
        if added:
            pad = " " * column
            edits.append((stop, stop, [pad + d for d in _dump_mapping(added)]))
        return edits

    def item_edits(self, items: Sequence[Any]) -> list[Edit]:
        """Each changed item written anew in block style, at its place and indentation."""
        edits: list[Edit] = []
        for i in self._changed(items):
            start, stop = self._span(i)
            dash = self.lines[start][: len(self.lines[start]) - len(self.lines[start].lstrip())]
            dumped = yaml.safe_dump(
                [items[i]], allow_unicode=True, sort_keys=False, width=10**6
            ).rstrip("\n")
            edits.append((start, stop, [dash + d for d in dumped.split("\n")]))
        return edits

    def field_edit(self, items: Sequence[Any]) -> list[Edit]:
        """The whole ``actions`` field written anew (a flow-style list stays one)."""
        if self.flow_list:
            line = "actions: " + _flow_one_line(list(items))
            comment = _comment(self.lines[self.key]) if self.stop == self.key + 1 else ""
            return [(self.key, self.stop, [line + comment])]
        dumped = _dump_mapping({"actions": list(items)})
        return [(self.key, self.stop, dumped)]

"""Edits that keep an entry's file as its author wrote it: one section of the body replaced, or
the front matter's changed fields rewritten on their own lines, comments and key order kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kb.entry import HEADING_RE, Entry, FrontMatterError, dumps, parse, section_text, strip_comments
from kb.schema import EntryType

# ---------------------------------------------------------------------------------------------
# Sections of the body


def replace_section(body: str, headings: Sequence[str], text: str, new_heading: str) -> str:
    """``body`` with the text under the first matching heading replaced (or a new section)."""
    wanted = {h.strip().lower() for h in headings}
    lines = body.split("\n")
    for i, line in enumerate(lines):
        m = HEADING_RE.match(line)
        if m and m.group(2).strip().lower() in wanted:
            level = len(m.group(1))
            end = i + 1
            while end < len(lines):
                n = HEADING_RE.match(lines[end])
                if n and len(n.group(1)) <= level:
                    break
                end += 1
            tail = lines[end:]
            block = [line, "", *text.strip().split("\n")] + ([""] if tail else [])
            return "\n".join(lines[:i] + block + tail)
    return body.rstrip("\n") + f"\n\n## {new_heading}\n\n{text.strip()}\n"


def current_section(body: str, headings: Sequence[str]) -> str:
    """The text of a section as export shows it (template hints removed)."""
    return strip_comments(section_text(body, tuple(headings))).strip()


# ---------------------------------------------------------------------------------------------
# Fields of the front matter


def _yaml_lines(name: str, value: Any) -> list[str]:
    """``name: value`` as the front-matter lines the entry writer would give it."""
    lines = dumps({name: value}, "").split("\n")
    close = lines.index("---", 1)
    return lines[1:close]


def _field_extent(lines: Sequence[str], start: int, end: int) -> int:
    """The index after the last line of the top-level field whose key is on line ``start``.

    A value continues on indented lines (block scalars, long plain text); blank lines at its
    end, and what follows at column 0 (the next key, a comment), are not part of it.
    """
    stop = start + 1
    while stop < end and (lines[stop][:1] in (" ", "\t") or not lines[stop].strip()):
        stop += 1
    while stop > start + 1 and not lines[stop - 1].strip():
        stop -= 1
    return stop


def _is_structured(value: Any) -> bool:
    return isinstance(value, (list, dict))


def updated_text(
    entry: Entry, text: str, meta: Mapping[str, Any], body: str, etype: EntryType
) -> tuple[str, bool]:
    """The entry's file with ``meta`` and ``body``, and True when its front matter was rewritten.

    Top-level scalar fields that change are edited on their own lines, so the YAML comments,
    key order and quoting of everything else survive (a comment after the value on the same
    line too). A changed list or mapping (tags, budget, actions) cannot be edited that way: the
    front matter is then written anew from ``meta``. Every in-place edit is checked by parsing
    the result; anything that would not read back as ``meta`` falls back to rewriting too.
    """
    from kb.scaffold import ordered_meta  # lazily: kb.scaffold loads jinja2, no edit needs it

    changed = [k for k in meta if k not in entry.meta or not _same_value(entry.meta[k], meta[k])]
    lines = text.split("\n")
    head, tail = lines[: entry.body_line - 1], lines[entry.body_line - 1 :]
    if body != entry.body:
        while head and not head[-1].strip():
            head.pop()
        tail = ["", *body.rstrip("\n").split("\n"), ""]
    end = next((i for i in range(1, len(head)) if re.match(r"^(---|\.\.\.)\s*$", head[i])), None)
    structured = any(_is_structured(entry.meta.get(k)) or _is_structured(meta[k]) for k in changed)
    if end is not None and not structured and not set(entry.meta) - set(meta):
        edits: list[tuple[int, int, list[str]]] = []  # (from, to, new lines), in head
        order = list(ordered_meta(etype, dict(meta)))
        for name in changed:
            new = _yaml_lines(name, meta[name])
            if name in entry.meta:
                start = entry.line_of(name) - 1
                if not 0 < start < end:
                    break
                stop = _field_extent(head, start, end)
                comment = re.search(r"\s+#[^'\"]*$", head[start]) if stop == start + 1 else None
                if comment and len(new) == 1:
                    new = [new[0] + comment.group(0)]
                edits.append((start, stop, new))
            else:  # a field the entry lacks: after the field before it in the schema's order
                before = [k for k in order[: order.index(name)] if k in entry.meta]
                at = end
                if before:
                    start = entry.line_of(before[-1]) - 1
                    at = _field_extent(head, start, end) if 0 < start < end else end
                edits.append((at, at, new))
        else:
            edited = list(head)
            for start, stop, new in sorted(edits, key=lambda e: e[0], reverse=True):
                edited[start:stop] = new
            candidate = "\n".join(edited + tail)
            try:
                if parse(candidate, entry.path, entry.relpath).meta == dict(meta):
                    return candidate, False
            except FrontMatterError:
                pass
    if not changed:
        return "\n".join(head + tail), False
    new_meta = dict(meta)
    if set(meta) - set(entry.meta):
        new_meta = ordered_meta(etype, new_meta)  # a new field goes to its place in the schema
    return dumps(new_meta, body), True


def _same_value(old: Any, new: Any) -> bool:
    """Equal as YAML stores them: ``true`` is not the number 1."""
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return old == new

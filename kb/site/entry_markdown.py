"""An entry page's markdown on its way to MkDocs: what is left unwritten is not published, and
checklists render as task lists.

A freshly filed entry keeps its template's placeholders (``-``, ``- [ ]``, a comment) in the
sections nobody has written yet; published as they are, they show as a lone bullet or a literal
"[ ]" under a heading. ``drop_empty_sections`` leaves such sections out of the page (the file is
not touched). Recommendations are written as checklists (``- [ ] ...``); ``add_task_lists``
gives every build the ``pymdownx.tasklist`` extension (part of pymdown-extensions, which Material
requires) so they render as check boxes, whether or not mkdocs.yml lists it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

TASK_LISTS = "pymdownx.tasklist"
# Material styles its own check boxes when the extension draws custom ones.
TASK_LIST_CONFIG = {"custom_checkbox": True}

_HEADING = re.compile(r"^(#{2,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# What a template leaves in a section for the author to fill in: a list item with no text.
_PLACEHOLDER = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\[[ xX]?\])?\s*$")
_EMPTY_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s*(?:\[[ xX]?\])?\s*$")


def add_task_lists(config: Any) -> None:
    """Add the task-list extension to a MkDocs config (in ``on_config``) unless it is there."""
    extensions = config["markdown_extensions"]
    if TASK_LISTS not in extensions:
        extensions.append(TASK_LISTS)
        config["mdx_configs"].setdefault(TASK_LISTS, dict(TASK_LIST_CONFIG))


def _is_empty(lines: list[str]) -> bool:
    text = _COMMENT.sub("", "\n".join(lines))
    return all(_PLACEHOLDER.match(line) for line in text.split("\n"))


def drop_empty_sections(markdown: str, keep: Collection[str] = ()) -> str:
    """The markdown without the sections that hold nothing but placeholders and comments, and
    without list items that have no text (``-``, ``- [ ]``) anywhere.

    A section is a heading (level 2 to 6) and its lines up to the next heading; one whose lines
    are empty stays when a subsection of it has text, or when its heading is in ``keep`` (case
    does not matter: the site puts something there, such as the action-item table). Headings
    inside fenced code are text.
    """
    kept = {k.lower() for k in keep}
    head: list[str] = []
    sections: list[tuple[int, str, list[str]]] = []  # (level, heading text, lines with heading)
    fence = ""
    for line in markdown.split("\n"):
        found = _FENCE.match(line)
        if found and (not fence or found.group(1) == fence):
            fence = "" if fence else found.group(1)
        match = None if fence or found else _HEADING.match(line)
        if not fence and not found and _EMPTY_ITEM.match(line):
            continue
        if match:
            sections.append((len(match.group(1)), match.group(2).strip(), [line]))
        elif sections:
            sections[-1][2].append(line)
        else:
            head.append(line)
    keep_flags = [False] * len(sections)
    for n in range(len(sections) - 1, -1, -1):
        level, title, lines = sections[n]
        has_child = False
        for m in range(n + 1, len(sections)):
            if sections[m][0] <= level:
                break
            has_child = has_child or keep_flags[m]
        keep_flags[n] = has_child or title.lower() in kept or not _is_empty(lines[1:])
    out = list(head)
    for flag, (_, _, lines) in zip(keep_flags, sections, strict=True):
        if flag:
            out.extend(lines)
    return "\n".join(out)

"""Text for a person at a terminal: control characters escaped, snippets wrapped and emphasized.

Pure functions, so that every command that prints entry content (search, similar, list) shows it
the same way: ``sanitize`` makes a field safe to print, ``render_snippet`` turns a search snippet
(matched words marked ``**so**``) into indented lines that fit the terminal, in bold on a terminal
and as plain text when piped or under ``NO_COLOR``. JSON output never goes through here: it keeps
the exact text.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import click

MIN_WIDTH = 40
MAX_WIDTH = 100  # longer lines are hard to read, however wide the terminal

# C0 controls, DEL and C1 controls; ESC starts the sequences that recolour or move the cursor.
# Bidirectional overrides are escaped too: they make a terminal show text in another order.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def sanitize(text: str) -> str:
    """``text`` safe to print: control characters shown escaped (``\\x1b``, ``\\x07``)."""
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: East Asian wide characters take two, accents none."""
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows of cells as text lines in aligned columns, wide characters counted as two (the
    last column is not padded)."""
    if not rows:
        return []
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for r in rows:
        cells = [c + " " * (widths[i] - display_width(c)) for i, c in enumerate(r[:-1])]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    return lines


def use_style(stream: Any) -> bool:
    """Whether to style text for ``stream``: a terminal, unless NO_COLOR is set (no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def terminal_width() -> int:
    """Columns to wrap text to: the terminal's (or COLUMNS), kept between 40 and 100."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


# --- markdown ---------------------------------------------------------------------------------

# Snippets usually arrive on one line (the search engine joins the lines of the body), so the
# markup that only means something at the start of a line is looked for after spaces as well,
# where that cannot be prose: `- [ ]`, `!!! note`, `## `, ` * `; a lone ` - ` stays as a dash,
# except after Chinese text, which writes its dash as ——.
_ADMONITION = re.compile(
    r'(?:!!!|\?\?\?\+?)[ \t]+([A-Za-z][\w-]*)(?:[ \t]+(?:inline|end))*(?:[ \t]+"([^"\n]*)")?'
)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_CUT_LINK_END = re.compile(r"(!?)\[([^\]\n]*)\]\([^)\s]*…$")  # the snippet ends inside a URL
_CUT_LINK_START = re.compile(r"^…[^\s\[\]()]*(?:/|\.md|#)[^\s\[\]()]*\)")  # or starts in one
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TASK = re.compile(r"(?:(?<=\s)|^)(?:[-*+][ \t]+)?\[[ xX]\](?=\s|$)[ \t]*", re.M)
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", re.M)
_INLINE_BULLET = re.compile(r"(?<=[^\d\s]) [*+] (?=[^\d\s])")  # "items * next": not "2 * 3"
_CJK_BULLET = re.compile(r"(?<=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]) [-*+] ")
_HEADING = re.compile(r"(?:(?<=\s)|^)#{1,6}(?=[ \t])")
_TABLE_RULE = re.compile(r"\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?")
_CODE = re.compile(r"`+")
_SPACES = re.compile(r"[ \t]{2,}")


def strip_markdown(text: str) -> str:
    """The words of markdown ``text`` without its markup: admonitions, links, lists, code, tables.

    ``[text](url)`` keeps its text, images go, ``!!! note "Title"`` keeps its title; the
    ``**`` that mark matched words stay for ``render_snippet``.
    """
    text = _ADMONITION.sub(_admonition_title, text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _CUT_LINK_END.sub(lambda m: ("" if m.group(1) else m.group(2)) + "…", text)
    text = _CUT_LINK_START.sub("…", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TASK.sub("", text)
    text = _LIST_MARKER.sub("", text)
    text = _INLINE_BULLET.sub(" ", text)
    text = _CJK_BULLET.sub(" ", text)
    text = _HEADING.sub("", text)
    text = _TABLE_RULE.sub(" ", text)
    text = text.replace("|", " ")
    text = _CODE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def _admonition_title(match: re.Match) -> str:
    kind, title = match.group(1), match.group(2)
    if title is None:
        title = kind.replace("-", " ").capitalize()  # what MkDocs shows without a title
    title = title.strip()
    if not title:
        return ""  # `!!! note ""`: a box without a title bar
    return title if title[-1] in ".:!?" else title + ":"


# --- snippets ---------------------------------------------------------------------------------

# No line starts with closing punctuation or ends with opening punctuation (CJK line breaking).
_NO_BREAK_BEFORE = set("，。、；：？！）」』》】〉〕］｝…·,.;:?!)]}")
_NO_BREAK_AFTER = set("（「『《【〈〔［｛([{")
_MARK_RUN = re.compile(r"(\*{2,})")

Styled = list[tuple[str, bool]]  # characters, each with whether it is emphasized


def render_snippet(text: str, *, style: bool, width: int, indent: int) -> list[str]:
    """A search snippet as lines of at most ``width`` columns, each indented by ``indent`` spaces.

    Matched words (``**word**``) are bold with ``style``, plain without; markdown is stripped and
    control characters escaped. Lines break at spaces, and between East Asian characters, but
    never inside an emphasized word unless it is wider than a line by itself.
    """
    text = text.replace("\r\n", "\n").replace("\t", " ").replace("\n", " ")
    chars = _emphasis(sanitize(strip_markdown(text)))
    room = max(width - indent, 10)
    pad = " " * indent
    return [pad + _styled_text(line, style) for line in _wrap(_units(chars), room)]


def _emphasis(text: str) -> Styled:
    """The characters of ``text``, each marked emphasized or not; the ``**`` are gone.

    A run of stars opens emphasis when a character follows it, and closes it when one precedes
    it, as in markdown; ``**a****b**`` (touching marks) is one emphasized stretch. A run that can
    do neither, or that would close what is not open, is dropped, so a snippet cut in the middle
    of the author's own ``**bold**`` does not invert the rest.
    """
    parts = _MARK_RUN.split(text)
    out: Styled = []
    bold = False
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out += [(c, bold) for c in part]
            continue
        before, after = parts[i - 1][-1:], parts[i + 1][:1]
        can_open = bool(after) and not after.isspace()
        can_close = bool(before) and not before.isspace()
        if bold and can_close:
            bold = can_open and len(part) >= 4
        elif not bold and can_open:
            bold = True
    return out


def _units(chars: Styled) -> list[tuple[bool, Styled]]:
    """What a line may not break inside, each with whether a space comes before it."""
    units: list[tuple[bool, Styled]] = []
    space = False
    for i, (c, bold) in enumerate(chars):
        if c == " ":
            space = True
            continue
        if space or not units or _may_break(chars[i - 1], (c, bold)):
            units.append((space, []))
            space = False
        units[-1][1].append((c, bold))
    return units


def _may_break(prev: tuple[str, bool], cur: tuple[str, bool]) -> bool:
    (a, a_bold), (b, b_bold) = prev, cur
    if a_bold and b_bold:
        return False
    if _char_width(a) < 2 and _char_width(b) < 2:
        return False
    return a not in _NO_BREAK_AFTER and b not in _NO_BREAK_BEFORE


def _wrap(units: Iterable[tuple[bool, Styled]], room: int) -> list[Styled]:
    lines: list[Styled] = []
    line: Styled = []
    used = 0
    for space, unit in units:
        width = sum(_char_width(c) for c, _ in unit)
        gap = 1 if space and line else 0
        if line and used + gap + width > room:
            lines.append(line)
            line, used, gap = [], 0, 0
        if width > room and not line:
            *full, unit = _split(unit, room)
            lines += full
            width = sum(_char_width(c) for c, _ in unit)
        if gap:
            line.append((" ", False))
        line += unit
        used += gap + width
    if line:
        lines.append(line)
    return lines


def _split(unit: Styled, room: int) -> list[Styled]:
    """A unit wider than a line, cut into pieces that fit (a long URL, say)."""
    pieces: list[Styled] = [[]]
    used = 0
    for c, bold in unit:
        w = _char_width(c)
        if used + w > room and pieces[-1]:
            pieces.append([])
            used = 0
        pieces[-1].append((c, bold))
        used += w
    return pieces


def _styled_text(line: Styled, style: bool) -> str:
    out, start = [], 0
    for i in range(1, len(line) + 1):
        if i == len(line) or line[i][1] != line[start][1]:
            text = "".join(c for c, _ in line[start:i])
            out.append(click.style(text, bold=True) if style and line[start][1] else text)
            start = i
    return "".join(out)


# --- hits -------------------------------------------------------------------------------------


def hit_lines(
    hits: list[Any],
    *,
    style: bool,
    width: int,
    snippets: bool = True,
    type_label: Callable[[str], str] | None = None,
) -> list[str]:
    """Search hits as text: ``ID  type  date  title  [project]``, the path, the wrapped snippet.

    Every field is sanitized; the path and snippet are indented under the entry by the width of
    the longest id plus two. ``type_label`` gives the type as a person reads it (its label in a
    Chinese workspace); without it, the type's name.
    """
    if not hits:
        return []
    ids = [_field(h.id) for h in hits]
    id_width = max(display_width(i) for i in ids)
    pad = " " * (id_width + 2)
    lines: list[str] = []
    for h, hit_id in zip(hits, ids, strict=True):
        shown_id = click.style(hit_id, bold=True) if style else hit_id
        shown_id += " " * (id_width - display_width(hit_id))
        project = f"  [{_field(h.project)}]" if h.project else ""
        kind = _field(type_label(h.type) if type_label else h.type)
        kind += " " * (13 - display_width(kind))
        lines.append(f"{shown_id}  {kind} {_field(h.date):<10}  {_field(h.title)}{project}")
        lines.append(pad + _field(h.path))
        if snippets and h.snippet:
            lines += render_snippet(h.snippet, style=style, width=width, indent=len(pad))
    return lines


def _field(value: Any) -> str:
    return "" if value is None else sanitize(str(value))

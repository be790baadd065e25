"""The Entry model: one markdown file with YAML front matter.

This is the only module that touches python-frontmatter. Parsing keeps the line of every field, so
problems can name ``file:line``, and refuses what would hurt a reader: YAML aliases (the "billion
laughs" bomb), front matter that is not a mapping, invalid UTF-8.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from kb import i18n
from kb.fields import spoken
from kb.schema import as_date

_HANDLER = frontmatter.YAMLHandler()
_OPEN = re.compile(r"^---\s*$")
_CLOSE = re.compile(r"^(---|\.\.\.)\s*$")
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _say(message: str, **values: Any) -> str:
    """The message ``cli.entry.<message>`` in the language messages are written in now."""
    return i18n.text(f"cli.entry.{message}", spoken(), **values)


class FrontMatterError(Exception):
    """Front matter that cannot be read; ``line`` is 1-based in the file."""

    def __init__(self, message: str, line: int = 1, code: str = "front-matter") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


def _date_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # An impossible date such as 2026-13-01 stays text, so `kb check` reports it at its line
    # ("expected a date") instead of PyYAML raising ValueError from deep inside the loader.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


class _FAST_LOADER(_BASE_LOADER):  # type: ignore[valid-type,misc]
    """The fastest safe loader available, reading impossible dates as text."""


_FAST_LOADER.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses aliases, so a small file cannot expand into gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                _say("aliases"),
                event.start_mark,
            )
        return super().compose_node(parent, index)


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)


@dataclass
class Entry:
    """One knowledge-base entry as read from disk."""

    path: Path
    relpath: str
    meta: dict[str, Any]
    body: str
    lines: dict[tuple, int] = field(default_factory=dict)
    body_line: int = 1
    duplicate_keys: list[tuple] = field(default_factory=list)  # (key, line, first line)

    @property
    def id(self) -> str:
        """The entry id, or '' when missing."""
        value = self.meta.get("id")
        return value if isinstance(value, str) else ""

    @property
    def type(self) -> str:
        """The declared type, as written."""
        value = self.meta.get("type")
        return value if isinstance(value, str) else ""

    @property
    def title(self) -> str:
        """The title, falling back to the file name."""
        value = self.meta.get("title")
        return str(value) if value not in (None, "") else self.path.stem

    @property
    def date(self) -> dt.date | None:
        """The filing date, if valid."""
        return as_date(self.meta.get("date"))

    @property
    def project(self) -> str:
        """The project name, or ''."""
        value = self.meta.get("project")
        return str(value) if value not in (None, "") else ""

    def line_of(self, *key: Any) -> int:
        """The file line of a field (or a part of it, e.g. ``("actions", 2, "due")``)."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def section(self, *headings: str) -> str:
        """The text under the first ``##`` heading matching one of ``headings``, or ''."""
        return section_text(self.body, headings)


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped, CRLF becomes LF); FrontMatterError names the bad line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FrontMatterError(
            _say("not_utf8", byte=f"0x{data[exc.start]:02x}", line=line),
            line,
            code="encoding",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_map(node: yaml.Node, offset: int) -> tuple[dict[tuple, int], list[tuple]]:
    """The file line of every key and item, and the keys given twice (key, line, first line)."""
    lines: dict[tuple, int] = {(): offset + node.start_mark.line}
    duplicates: list[tuple] = []
    stack: list[tuple[yaml.Node, tuple]] = [(node, ())]
    while stack:  # iterative: a deeply nested file must not exhaust the call stack
        n, key = stack.pop()
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                sub = (*key, str(k.value))
                line = offset + k.start_mark.line
                if sub in lines:
                    duplicates.append((".".join(map(str, sub)), line, lines[sub]))
                else:
                    lines[sub] = line
                stack.append((v, sub))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                sub = (*key, i)
                lines[sub] = offset + item.start_mark.line
                stack.append((item, sub))
    return lines, duplicates


def _needs_careful_loader(fm: str) -> bool:
    """Aliases, or deep nesting that could overflow libyaml's recursive composer."""
    if "*" in fm or fm.count("[") + fm.count("{") > 64:
        return True
    return any(len(line) - len(line.lstrip(" ")) > 120 for line in fm.split("\n"))


def _load_yaml(fm: str, offset: int) -> tuple[Any, dict[tuple, int], list[tuple]]:
    loader_cls = _NoAliasLoader if _needs_careful_loader(fm) else _FAST_LOADER
    loader = loader_cls(fm)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        data = loader.construct_document(node)
        line_map, duplicates = _line_map(node, offset)
    except RecursionError:
        raise FrontMatterError(_say("too_deep"), offset) from None
    except yaml.reader.ReaderError:
        raise _control_character(fm, offset) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = offset + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        bad_line = fm.split("\n")[mark.line] if mark and mark.line < fm.count("\n") + 1 else ""
        if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())] or "\\t" in problem:
            problem = _say("tab")
        if "maximum nesting depth" in problem:  # libyaml's own limit, as RecursionError above
            raise FrontMatterError(_say("too_deep"), line) from None
        raise FrontMatterError(_say("not_yaml", problem=problem), line) from None
    finally:
        loader.dispose()
    return data, line_map, duplicates


# What YAML refuses to read (YAML 1.1, section 5.1): C0 and C1 controls but tab, line ends and
# NEL, and the non-characters U+FFFE and U+FFFF.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"^\s*(?:-\s+)?([\w.-]+)\s*:(?:\s|$)")


def _control_character(fm: str, offset: int) -> FrontMatterError:
    """The error for a character YAML refuses, at its line and named in a PM's words ("the
    title contains a NUL character") rather than in the YAML reader's."""
    m = _UNPRINTABLE.search(fm)
    if m is None:  # pragma: no cover - the reader refused something this pattern allows
        return FrontMatterError(_say("unreadable_character"), offset)
    code = ord(m.group())
    if code == 0:
        what = _say("nul")
    else:
        what = _say("control", code=rf"\x{code:02x}" if code < 0x100 else f"U+{code:04X}")
    above = fm[: m.start()].split("\n")
    here = above[-1] + fm[m.start() :].split("\n", 1)[0]
    keys = (k.group(1) for text in (here, *reversed(above[:-1])) if (k := _KEY.match(text)))
    key = next(keys, None)
    return FrontMatterError(
        (
            _say("control_in_field", field=key, what=what)
            if key
            else _say("control_in_line", what=what)
        ),
        offset + len(above) - 1,
        "control-character",
    )


_NOT_A_MAPPING = {list: "list", str: "text_line", bool: "yes_no"}  # cli.entry.kind.<key>


def _kind_of(data: Any, fm: str) -> str:
    """What front matter that is not key: value pairs holds instead, in a PM's words."""
    if isinstance(data, str) and len([t for t in fm.split("\n") if t.strip()]) > 1:
        return _say("kind.lines")
    for kind, key in _NOT_A_MAPPING.items():
        if isinstance(data, kind):
            return _say(f"kind.{key}")
    if isinstance(data, (int, float)):
        return _say("kind.number")
    if isinstance(data, (dt.date, dt.datetime)):
        return _say("kind.date")
    return _say("kind.value")


def parse(text: str, path: Path, relpath: str) -> Entry:
    """Parse an entry's text; raise FrontMatterError when its front matter is unusable."""
    if not text.strip():
        raise FrontMatterError(_say("empty"), 1, "empty")
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if not _OPEN.match(lines[start]):
        raise FrontMatterError(
            _say("no_front_matter"),
            start + 1,
            "no-front-matter",
        )
    if start:
        raise FrontMatterError(
            _say("not_first_line"),
            1,
        )
    end = next((i for i in range(start + 1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        raise FrontMatterError(_say("not_closed"), start + 1)
    fm = "\n".join(lines[start + 1 : end])
    data, line_map, duplicates = _load_yaml(fm, start + 2)
    if data is None:
        data, line_map = {}, {(): start + 2}
    if not isinstance(data, dict):
        raise FrontMatterError(_say("not_mapping", found=_kind_of(data, fm)), start + 2)
    meta = {str(k): v for k, v in data.items()}
    body_start = _body_start(lines, end)
    body = "\n".join(lines[body_start:])
    return Entry(
        path=path,
        relpath=relpath,
        meta=meta,
        body=body,
        lines=line_map,
        body_line=body_start + 1,
        duplicate_keys=duplicates,
    )


def _body_start(lines: list[str], end: int) -> int:
    """The first line of the body: the first non-blank line after the closing ``---``."""
    start = end + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def body_of(text: str) -> str:
    """The body of an entry's text, as ``parse`` gives it, without reading the front matter
    (what search snippets need of the few files they show); '' when there is no front matter."""
    lines = text.split("\n")
    if not lines or not _OPEN.match(lines[0]):
        return ""
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    return "" if end is None else "\n".join(lines[_body_start(lines, end) :])


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line strings as readable ``|`` blocks.

    The pure-Python dumper, because libyaml escapes emoji and other non-BMP characters.
    """


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value and not value.startswith((" ", "\t")) and value == value.rstrip(" \t"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_presenter)


def dumps(meta: dict[str, Any], body: str) -> str:
    """An entry's text: front matter written by a YAML library (never by hand), then the body."""
    post = frontmatter.Post(body.rstrip("\n") + "\n", **meta)
    text = frontmatter.dumps(
        post, handler=_HANDLER, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return text.rstrip("\n") + "\n"


HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def section_text(body: str, headings: tuple[str, ...] | list[str]) -> str:
    """Text under a heading whose title matches one of ``headings`` (case-insensitive)."""
    wanted = {h.strip().lower() for h in headings}
    out: list[str] = []
    level = 0
    for line in body.splitlines():
        m = HEADING_RE.match(line)
        if m:
            if level and len(m.group(1)) <= level:
                break
            if not level and m.group(2).strip().lower() in wanted:
                level = len(m.group(1))
                continue
        if level:
            out.append(line)
    return "\n".join(out).strip()


def strip_comments(body: str) -> str:
    """Markdown without HTML comments (template hints), for indexing and excerpts."""
    return re.sub(r"<!--.*?-->", "", body, flags=re.S)

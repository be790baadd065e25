"""Which files under docs/ the site may publish: inside the workspace, and readable.

MkDocs walks docs/ following symlinks and reads every page itself, so without a check a link out of
the workspace publishes the text it points to (in the page and in the search index), one byte that
is not UTF-8 ends the build with a traceback, a pipe named ``notes.md`` makes it wait forever, and a
YAML alias bomb in a page's front matter makes a page of a gigabyte. ``screen`` looks at every file
before MkDocs does and says which to leave out and why, as ``file:line: reason``; the plugin removes
them from the build (MkDocs' ``on_files`` event) and logs each as a warning, which ``--strict``
turns into a failed build.

Entries are judged as ``kb check`` judges them (``kb.store.load_entries`` has read them already):
an entry it cannot read (a link out of the workspace, over ``max_entry_kb``, not UTF-8, front matter
that cannot be parsed) is not published. Other pages are read here: they must be UTF-8, and front
matter, where MkDocs would read some, must parse as an entry's does (no aliases, a mapping).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.config import Workspace
from kb.entry import FrontMatterError, decode, parse
from kb.errors import Problem

# MkDocs reads front matter only from a '---' line at the very top, closed by '---' or '...'.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

OUTSIDE = "symlink points outside the workspace ({target}); the site does not publish it"
OUTSIDE_DOCS = "outside the workspace ({target}); the site does not publish it"
OUTSIDE_FOLDER = (
    "symlink to a folder outside the workspace ({target}); the site does not publish {files} in it"
)
NOT_A_FILE = "not a regular file; the site does not publish it"
CANNOT_READ = "cannot read: {error}; the site does not publish it"
BAD_NAME = "the file name is not valid UTF-8; rename the file"
NOT_PUBLISHED = "{reason}; the site does not publish it"


@dataclass(frozen=True)
class LeftOut:
    """A file, or a symlinked folder of files, that the site leaves out, and why."""

    path: str  # workspace-relative, as kb names files: docs/lessons/LL-0001-x.md
    line: int
    reason: str
    sources: tuple[str, ...] = ()  # the files (src_uri) it stands for

    def format(self) -> str:
        """``path:line: reason``, the way `kb check` names places."""
        return f"{shown(self.path)}:{self.line}: {shown(self.reason)}"

    def to_dict(self) -> dict:
        """A stable JSON shape for ``kb build --json``."""
        return {"path": shown(self.path), "line": self.line, "reason": shown(self.reason)}


@dataclass
class Screened:
    """The verdict on the files of one build."""

    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def removed(self) -> set[str]:
        """The src_uri of every file to take out of the build."""
        return {src for item in self.left_out for src in item.sources}


@dataclass(frozen=True)
class Source:
    """One file of MkDocs' list: its path under docs/, where it is, and whether it is a page."""

    src_uri: str
    abs_path: str
    is_page: bool


def shown(text: str) -> str:
    """A path fit for a log line: bytes that are not UTF-8 and control characters escaped."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def inside(real: str, real_root: str) -> bool:
    """Whether a resolved path is the workspace root or below it."""
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


class _Boundary:
    """Where files resolve to, one ``realpath`` per folder rather than per file."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.abspath(root)
        self.real_root = os.path.realpath(self.root)
        self._folders: dict[str, str] = {}

    def real(self, path: str) -> str:
        """``os.path.realpath(path)``, with the folder's answer kept for its other files."""
        folder, name = os.path.split(path)
        real_folder = self._folders.get(folder)
        if real_folder is None:
            real_folder = self._folders[folder] = os.path.realpath(folder)
        if os.path.islink(path):
            return os.path.realpath(path)
        return os.path.join(real_folder, name)

    def way_out(self, path: str) -> tuple[str, str] | None:
        """The symlink (the file or a folder above it) through which ``path`` leaves the
        workspace, and where it points; None when ``path`` resolves inside."""
        if inside(self.real(path), self.real_root):
            return None
        rel = os.path.relpath(path, self.root)
        step = self.root
        for part in rel.split(os.sep):
            step = os.path.join(step, part)
            if os.path.islink(step):
                target = os.path.realpath(step)
                if not inside(target, self.real_root):
                    return step, target
        return path, os.path.realpath(path)  # docs_dir itself set to a folder outside


def screen(ws: Workspace, sources: Iterable[Source], loaded) -> Screened:
    """Judge every file of a build; ``loaded`` is ``kb.store.load_entries(ws)`` of this build."""
    boundary = _Boundary(ws.root)
    docs = ws.relpath(ws.docs_dir)
    unreadable = _unreadable_entries(ws, loaded)
    entries = {ws.relpath(p) for p in loaded.files}
    result = Screened()
    folders: dict[tuple[str, str], list[str]] = {}
    for source in sources:
        rel = f"{docs}/{source.src_uri}"
        try:
            source.src_uri.encode("utf-8")
        except UnicodeEncodeError:
            result.left_out.append(LeftOut(rel, 1, BAD_NAME, (source.src_uri,)))
            continue
        way_out = boundary.way_out(source.abs_path)
        if way_out is not None:
            link, target = way_out
            if link == os.path.abspath(source.abs_path):
                reason = (OUTSIDE if os.path.islink(link) else OUTSIDE_DOCS).format(target=target)
                result.left_out.append(LeftOut(rel, 1, reason, (source.src_uri,)))
            else:
                folders.setdefault((ws.relpath(Path(link)), target), []).append(source.src_uri)
            continue
        problem = unreadable.get(rel)
        if problem is not None:
            reason = NOT_PUBLISHED.format(reason=problem.message)
            result.left_out.append(LeftOut(rel, problem.line, reason, (source.src_uri,)))
            continue
        found = _file_problem(source, rel, check_text=source.is_page and rel not in entries)
        if found is not None:
            line, reason = found
            result.left_out.append(LeftOut(rel, line, reason, (source.src_uri,)))
    for (link, target), srcs in folders.items():
        files = "the file" if len(srcs) == 1 else f"the {len(srcs)} files"
        reason = OUTSIDE_FOLDER.format(target=target, files=files)
        result.left_out.append(LeftOut(link, 1, reason, tuple(srcs)))
    result.left_out.sort(key=lambda item: item.path)
    return result


def _unreadable_entries(ws: Workspace, loaded) -> dict[str, Problem]:
    """The `kb check` problem of each entry file that could not be read, by its path."""
    paths = {ws.relpath(p) for p in loaded.unreadable}
    found: dict[str, Problem] = {}
    for problem in loaded.problems:
        if problem.path in paths:
            found.setdefault(problem.path, problem)
    return found


def _file_problem(source: Source, rel: str, check_text: bool) -> tuple[int, str] | None:
    """(line, reason) when the file cannot be published; None when it can."""
    try:
        info = os.stat(source.abs_path)
    except OSError as exc:
        return 1, CANNOT_READ.format(error=exc.strerror or exc)
    if not stat.S_ISREG(info.st_mode):
        return 1, NOT_A_FILE
    if not check_text:
        return None
    try:
        with open(source.abs_path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return 1, CANNOT_READ.format(error=exc.strerror or exc)
    try:
        text = decode(data)
        if _FRONT_MATTER.match(text):
            parse(text, Path(source.abs_path), rel)
    except FrontMatterError as exc:
        return exc.line, NOT_PUBLISHED.format(reason=exc.message)
    return None

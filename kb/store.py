"""The on-disk layout: where entries live, reading them, allocating ids, writing atomically.

Entries of each type live in one folder under docs/ (``docs/lessons/LL-0007-some-slug.md``). Every
write goes to a temporary file in the same folder that is then renamed into place, so a crash never
leaves half a file; new files are linked into place so an existing file is never overwritten. Id
allocation holds a lock, so two `kb new` at the same moment get different ids.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kb.config import Workspace
from kb.entry import Entry, FrontMatterError, decode, dumps, parse
from kb.errors import EntryError, KbError, Problem
from kb.schema import EntryType

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SKIP_NAMES = {"index.md", "readme.md"}


@dataclass
class Loaded:
    """All entries of a workspace that could be read, and the problems of those that could not."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def slugify(title: str, max_length: int = 60) -> str:
    """A file-name slug that keeps Chinese letters readable: '数据迁移 late' -> '数据迁移-late'."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    text = re.sub(r"[-_]{2,}", "-", text)
    if len(text) > max_length:
        text = text[:max_length].rstrip("-_")
    return text or "untitled"


def entry_files(ws: Workspace) -> list[Path]:
    """Every markdown file in the entry folders, sorted, index pages left out."""
    files: list[Path] = []
    for etype in ws.schema.types:
        folder = ws.docs_dir / ws.section_dir(etype.name)
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.md"):
            if path.name.lower() in SKIP_NAMES:
                continue
            files.append(path)
    return sorted(set(files))


def read_entry(ws: Workspace, path: Path) -> Entry:
    """Read and parse one entry file; raise EntryError (with file and line) when it cannot be."""
    rel = ws.relpath(path)
    if path.is_symlink():
        target = path.resolve()
        root = ws.root.resolve()
        if root not in target.parents:
            raise EntryError(
                f"symlink points outside the workspace ({target})", rel, code="symlink"
            )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise EntryError(f"cannot read: {exc.strerror}", rel) from None
    limit = ws.settings.max_entry_kb * 1024
    if size > limit:
        raise EntryError(
            f"file is {size / 1048576:.1f} MB, over the {limit // 1024} KB limit "
            "for an entry (setting max_entry_kb)",
            rel,
            code="too-large",
        )
    try:
        data = path.read_bytes()
        return parse(decode(data), path, rel)
    except FrontMatterError as exc:
        raise EntryError(exc.message, rel, exc.line, exc.code) from None
    except OSError as exc:
        raise EntryError(f"cannot read: {exc.strerror}", rel) from None


def load_entries(ws: Workspace) -> Loaded:
    """Read every entry; unreadable files become problems instead of exceptions."""
    result = Loaded()
    for path in entry_files(ws):
        result.files.append(path)
        try:
            result.entries.append(read_entry(ws, path))
        except EntryError as exc:
            rel = exc.path or ws.relpath(path)
            result.problems.append(Problem(rel, exc.line, "error", exc.reason, code=exc.code))
    return result


# ---------------------------------------------------------------------------------------------
# Writing


def write_atomic(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path`` through a temporary file; never overwrite unless asked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic and fails if the name is taken
            except FileExistsError:
                raise EntryError(f"{path}: already exists; not overwritten") from None
            except OSError:  # file systems without hard links
                if path.exists():
                    raise EntryError(f"{path}: already exists; not overwritten") from None
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def workspace_lock(ws: Workspace, name: str, timeout: float = 30.0) -> Iterator[None]:
    """Hold an exclusive, crash-safe lock named ``name`` for this workspace."""
    lock_dir = ws.state_dir / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / f"{name}.lock"
    with open(path, "a+") as fh:
        if fcntl is None:  # pragma: no cover
            yield
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise KbError(f"another kb process holds {path}; try again later") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def used_numbers(ws: Workspace, etype: EntryType) -> set[int]:
    """Id numbers taken by files of this type (by file name, which `kb check` keeps honest)."""
    folder = ws.docs_dir / ws.section_dir(etype.name)
    pattern = re.compile(rf"^{re.escape(etype.prefix)}-(\d+)\b")
    numbers = set()
    if folder.is_dir():
        for path in folder.rglob("*.md"):
            m = pattern.match(path.name)
            if m:
                numbers.add(int(m.group(1)))
    return numbers


def format_id(etype: EntryType, number: int) -> str:
    """``RETRO-0007`` from a type and a number."""
    return f"{etype.prefix}-{number:04d}"


def entry_path(ws: Workspace, etype: EntryType, entry_id: str, title: str) -> Path:
    """Where an entry with this id and title is stored."""
    return ws.docs_dir / ws.section_dir(etype.name) / f"{entry_id}-{slugify(title)}.md"


def create_entry(ws: Workspace, etype: EntryType, meta: dict, body: str) -> tuple[str, Path]:
    """Allocate the next id of ``etype``, and write the entry; return (id, path)."""
    with workspace_lock(ws, "ids"):
        number = max(used_numbers(ws, etype), default=0) + 1
        entry_id = format_id(etype, number)
        meta = {"id": entry_id, **{k: v for k, v in meta.items() if k != "id"}}
        path = entry_path(ws, etype, entry_id, str(meta.get("title", "")))
        write_atomic(path, dumps(meta, body), overwrite=False)
    return entry_id, path


def save_entry(entry: Entry) -> None:
    """Write an entry back to its own file (atomically)."""
    write_atomic(entry.path, dumps(entry.meta, entry.body), overwrite=True)


# ---------------------------------------------------------------------------------------------
# Renumbering: the way out when two branches each filed, say, LL-0012.


@dataclass
class Renumbered:
    """What `kb renumber` changed."""

    old_id: str
    new_id: str
    old_path: str
    new_path: str
    updated: list[str] = field(default_factory=list)  # files whose references now say new_id
    left: list[str] = field(default_factory=list)  # files that still say old_id (the other entry's)


def _replace_refs(entry: Entry, ref_fields: list[str], old: str, new: str) -> bool:
    changed = False
    for name in ref_fields:
        value = entry.meta.get(name)
        if value == old:
            entry.meta[name] = new
            changed = True
        elif isinstance(value, list) and old in value:
            entry.meta[name] = [new if v == old else v for v in value]
            changed = True
    body = re.sub(rf"\b{re.escape(old)}\b", new, entry.body)
    if body != entry.body:
        entry.body, changed = body, True
    return changed


def renumber(ws: Workspace, path: Path) -> Renumbered:
    """Give the entry at ``path`` the next free id of its type, rename its file, fix references.

    After a merge two entries can share an id; references to that id are then ambiguous. Those in
    entries of the same project as the renumbered one, or that it refers to itself, follow it; the
    rest keep pointing at the other entry and are listed in ``left`` for a human to confirm.
    """
    from kb.schema import REF, REFS

    entry = read_entry(ws, path)
    etype = ws.schema.get(entry.type)
    if etype is None or not entry.id:
        raise EntryError("has no valid type and id to renumber", entry.relpath)
    old_id = entry.id
    ref_fields = sorted(
        {
            f.name
            for t in ws.schema.types
            for f in t.fields
            if f.kind in (REF, REFS) and f.name != "id"
        }
    )
    with workspace_lock(ws, "ids"):
        number = max(used_numbers(ws, etype), default=0) + 1
        new_id = format_id(etype, number)
        own_refs = {
            v
            for name in ref_fields
            for v in (
                entry.meta.get(name)
                if isinstance(entry.meta.get(name), list)
                else [entry.meta.get(name)]
            )
            if isinstance(v, str)
        }
        stem = entry.path.stem
        slug = stem[len(old_id) + 1 :] if stem.startswith(old_id + "-") else slugify(entry.title)
        new_path = entry.path.with_name(f"{new_id}-{slug}.md")
        entry.meta["id"] = new_id
        entry.body = re.sub(rf"\b{re.escape(old_id)}\b", new_id, entry.body)
        write_atomic(new_path, dumps(entry.meta, entry.body), overwrite=False)
        os.unlink(entry.path)
        result = Renumbered(old_id, new_id, entry.relpath, ws.relpath(new_path))
        for other in load_entries(ws).entries:
            if other.path == new_path or other.id == old_id:
                continue
            mentions = old_id in other.body or any(
                old_id == v or (isinstance(v, list) and old_id in v)
                for v in (other.meta.get(n) for n in ref_fields)
            )
            if not mentions:
                continue
            same_project = bool(entry.project) and other.project == entry.project
            if same_project or other.id in own_refs:
                _replace_refs(other, ref_fields, old_id, new_id)
                save_entry(other)
                result.updated.append(other.relpath)
            else:
                result.left.append(other.relpath)
    return result

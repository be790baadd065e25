"""The on-disk layout: where entries live, reading them, allocating ids, writing atomically.

Entries of each type live in one folder under docs/ (``docs/lessons/LL-0007-some-slug.md``). Every
write goes to a temporary file in the same folder that is then renamed into place, so a crash never
leaves half a file; new files are linked into place so an existing file is never overwritten. Id
allocation holds a lock, so two `kb new` at the same moment get different ids; an import creates
its entries in batches under the same lock (``create_entries``).

kb reads and writes only inside the workspace: a symlink, or a type folder, that resolves
outside it is never followed (``find_entry_files`` reports it) and never written through
(``entry_folder`` refuses it). Symlinks that stay inside work as the files they point to.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb import i18n
from kb.config import Workspace
from kb.entry import Entry, FrontMatterError, decode, dumps, parse
from kb.errors import EntryError, KbError, Problem
from kb.schema import EntryType

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SKIP_NAMES = {"index.md", "readme.md"}
_ID_IN_NAME = re.compile(r"^([A-Z][A-Z0-9]*-\d{4,})(?:-|\.md$)")


@dataclass
class Loaded:
    """All entries of a workspace that could be read, and the problems of those that could not."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)

    @property
    def unreadable_ids(self) -> set[str]:
        """Ids, going by file name, of the entries that could not be read."""
        return {m.group(1) for p in self.unreadable if (m := _ID_IN_NAME.match(p.name))}


def slugify(title: str, max_length: int = 60) -> str:
    """A file-name slug that keeps Chinese letters readable: '数据迁移 late' -> '数据迁移-late'."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    text = re.sub(r"[-_]{2,}", "-", text)
    if len(text) > max_length:
        text = text[:max_length].rstrip("-_")
    while len(text.encode("utf-8")) > 120:  # file systems limit names in bytes, not letters
        text = text[:-1].rstrip("-_")
    return text or "untitled"


@dataclass(frozen=True)
class Refused:
    """A symlink in the entry folders that kb does not follow: it leads out of the workspace."""

    relpath: str
    message: str
    is_file: bool  # an entry file kb found and did not read, counted with the files checked

    def problem(self) -> Problem:
        """The `kb check` error for it."""
        return Problem(self.relpath, 1, "error", self.message, code="symlink")


@dataclass
class Found:
    """The entry files of a workspace (workspace-relative path -> absolute path, as strings),
    and the symlinks that were not followed."""

    files: dict[str, str] = field(default_factory=dict)
    refused: list[Refused] = field(default_factory=list)


def find_entry_files(ws: Workspace, types: Iterable[EntryType] | None = None) -> Found:
    """Walk the entry folders: every markdown file but the index pages, and the refused links.

    The one walk behind ``entry_files`` and the search index's scan, so both list the same
    files. It runs before every `kb search`, so paths stay strings and only symlinks are
    resolved (``os.scandir`` says which entries are links without a system call): a link, or a
    type folder, that resolves outside the workspace is refused and not read; links that stay
    inside are followed, except one that leads back to a folder being walked. ``types`` limits
    the walk to the folders of those types.
    """
    root = os.path.abspath(ws.root)
    prefix = root + os.sep
    real_root = os.path.realpath(root)
    found = Found()
    refused: dict[str, Refused] = {}
    seen: set[str] = set()
    for etype in ws.schema.types if types is None else types:
        folder = os.path.abspath(ws.docs_dir / ws.section_dir(etype.name))
        if folder in seen:
            continue
        seen.add(folder)
        real = os.path.realpath(folder)
        if not _within(real, real_root):
            rel = _rel(ws, prefix, folder)
            refused[rel] = Refused(rel, _folder_outside(etype, real), is_file=False)
            continue
        _walk(ws, prefix, (folder, real), real_root, found.files, refused)
    found.refused = [refused[k] for k in sorted(refused)]
    return found


def _rel(ws: Workspace, prefix: str, path: str) -> str:
    """``path`` relative to the workspace: a slice when it starts with ``prefix`` (the root as
    written and a separator), which is nearly always, else ``ws.relpath``."""
    if not path.startswith(prefix):
        return ws.relpath(Path(path))
    rel = path[len(prefix) :]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


def _within(real: str, real_root: str) -> bool:
    """Whether a resolved path is the workspace root or below it."""
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _say(message: str, **values: Any) -> str:
    """The message ``cli.store.<message>`` in the language messages are written in now."""
    from kb.fields import spoken

    return i18n.text(f"cli.store.{message}", spoken(), **values)


def _link_outside(target: str, is_dir: bool = False) -> str:
    return _say("folder_link_outside" if is_dir else "link_outside", target=target)


def _folder_outside(etype: EntryType, target: str) -> str:
    from kb.fields import say, spoken

    shown = etype.name if say("show") == "key" else etype.label(spoken())
    return _say("folder_outside", type=shown, target=target)


def _walk(
    ws: Workspace,
    prefix: str,
    top: tuple[str, str],
    real_root: str,
    files: dict[str, str],
    refused: dict[str, Refused],
) -> None:
    """Add the entry files under the folder ``top`` (its path and resolved path) to ``files``.

    Each folder to walk carries its resolved path, derived from its parent's for a real folder
    and resolved for a link, and the resolved paths of the folders where links were followed:
    a link to one of those, or to a folder above one, would walk in a circle.
    """
    stack: list[tuple[str, str, tuple[str, ...]]] = [(*top, ())]
    while stack:
        path, real, chain = stack.pop()
        try:
            with os.scandir(path) as it:
                items = list(it)
        except OSError:
            continue
        for item in items:
            name = item.name
            is_md = name.endswith(".md")
            try:
                if item.is_symlink():
                    target = os.path.realpath(item.path)
                    is_dir = item.is_dir()
                    if not _within(target, real_root):
                        if is_dir or is_md:
                            rel = _rel(ws, prefix, item.path)
                            message = _link_outside(target, is_dir)
                            refused[rel] = Refused(rel, message, is_file=not is_dir)
                        continue
                    if is_dir and not any(
                        c == target or c.startswith(target + os.sep) for c in (*chain, real)
                    ):
                        stack.append((item.path, target, (*chain, real)))
                elif item.is_dir(follow_symlinks=False):
                    stack.append((item.path, real + os.sep + name, chain))
            except OSError:
                continue
            if is_md and name.lower() not in SKIP_NAMES:
                files[_rel(ws, prefix, item.path)] = item.path


def entry_files(ws: Workspace) -> list[Path]:
    """Every markdown file in the entry folders, sorted, index pages and links that lead out of
    the workspace left out."""
    return sorted(Path(p) for p in find_entry_files(ws).files.values())


def read_entry(ws: Workspace, path: Path) -> Entry:
    """Read and parse one entry file; raise EntryError (with file and line) when it cannot be."""
    rel = ws.relpath(path)
    text = read_text(ws, path, rel)
    try:
        return parse(text, path, rel)
    except FrontMatterError as exc:
        raise EntryError(exc.message, rel, exc.line, exc.code) from None


def read_text(ws: Workspace, path: Path, rel: str | None = None) -> str:
    """The text of one entry file, read as ``read_entry`` reads it (symlinks out of the
    workspace, non-files and files over ``max_entry_kb`` refused with an EntryError)."""
    rel = rel or ws.relpath(path)
    if path.is_symlink():
        target = os.path.realpath(path)
        if not _within(target, os.path.realpath(ws.root)):
            raise EntryError(_link_outside(target), rel, code="symlink")
    try:
        info = path.stat()
    except OSError as exc:
        raise EntryError(_say("cannot_read", reason=exc.strerror), rel) from None
    if not stat.S_ISREG(info.st_mode):
        raise EntryError(_say("not_a_file"), rel)
    size = info.st_size
    limit = ws.settings.max_entry_kb * 1024
    if size > limit:
        raise EntryError(
            _say("too_big", size=f"{size / 1048576:.1f}", limit=limit // 1024),
            rel,
            code="too-large",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EntryError(_say("cannot_read", reason=exc.strerror), rel) from None
    try:
        return decode(data)
    except FrontMatterError as exc:
        raise EntryError(exc.message, rel, exc.line, exc.code) from None


def load_entries(ws: Workspace) -> Loaded:
    """Read every entry; unreadable files become problems instead of exceptions."""
    result = Loaded()
    found = find_entry_files(ws)
    for link in found.refused:
        result.problems.append(link.problem())
        if link.is_file:
            path = ws.root / link.relpath
            result.files.append(path)
            result.unreadable.append(path)
    for path in sorted(Path(p) for p in found.files.values()):
        result.files.append(path)
        try:
            result.entries.append(read_entry(ws, path))
        except EntryError as exc:
            result.unreadable.append(path)
            rel = exc.path or ws.relpath(path)
            result.problems.append(Problem(rel, exc.line, "error", exc.reason, code=exc.code))
    return result


# ---------------------------------------------------------------------------------------------
# Writing


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# What ``write_atomic`` writes next to ``NAME`` before renaming it: ``.NAME.XXXXXXXX.tmp``.
_TEMPORARY = re.compile(r"^\.(?P<name>.+\.md)\.[A-Za-z0-9_]+\.tmp$")


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path`` through a temporary file; never overwrite unless asked.

    The file keeps the mode of the file it replaces (a new one gets the usual 0666 less umask).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if overwrite and path.exists() else _new_file_mode()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise EntryError(_say("cannot_write", reason=exc.strerror), str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic and fails if the name is taken
            except FileExistsError:
                raise EntryError(_say("exists"), str(path)) from None
            except OSError:  # file systems without hard links
                if path.exists():
                    raise EntryError(_say("exists"), str(path)) from None
                os.replace(tmp, path)
    except OSError as exc:
        raise EntryError(_say("cannot_write", reason=exc.strerror), str(path)) from None
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
                    raise KbError(_say("locked", path=path)) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def used_numbers(ws: Workspace, etype: EntryType) -> set[int]:
    """Id numbers taken by files of this type (by file name, which `kb check` keeps honest)."""
    pattern = re.compile(rf"^{re.escape(etype.prefix)}-(\d+)\b")
    numbers = set()
    for rel in find_entry_files(ws, [etype]).files:
        m = pattern.match(rel.rpartition("/")[2])
        if m:
            numbers.add(int(m.group(1)))
    return numbers


def format_id(etype: EntryType, number: int) -> str:
    """``RETRO-0007`` from a type and a number."""
    return f"{etype.prefix}-{number:04d}"


def entry_folder(ws: Workspace, etype: EntryType) -> Path:
    """The folder new entries of ``etype`` are written to; EntryError when it resolves outside
    the workspace (a symlinked type folder), so nothing is written there."""
    folder = ws.docs_dir / ws.section_dir(etype.name)
    real = os.path.realpath(folder)
    if not _within(real, os.path.realpath(ws.root)):
        # a folder has no line to name
        raise EntryError(f"{ws.relpath(folder)}: {_folder_outside(etype, real)}", code="symlink")
    return folder


def entry_path(ws: Workspace, etype: EntryType, entry_id: str, title: str) -> Path:
    """Where an entry with this id and title is stored (EntryError when that is outside the
    workspace)."""
    return entry_folder(ws, etype) / f"{entry_id}-{slugify(title)}.md"


def create_entry(ws: Workspace, etype: EntryType, meta: dict, body: str) -> tuple[str, Path]:
    """Allocate the next id of ``etype``, and write the entry; return (id, path)."""
    with workspace_lock(ws, "ids"):
        number = max(used_numbers(ws, etype), default=0) + 1
        return _write_new_entry(ws, etype, number, meta, body)


def _write_new_entry(
    ws: Workspace, etype: EntryType, number: int, meta: Mapping[str, Any], body: str
) -> tuple[str, Path]:
    """Write a new entry with id ``number`` (the id lock held); return (id, path)."""
    entry_id = format_id(etype, number)
    meta = {"id": entry_id, **{k: v for k, v in meta.items() if k != "id"}}
    path = entry_path(ws, etype, entry_id, str(meta.get("title", "")))
    write_atomic(path, dumps(meta, body), overwrite=False)
    return entry_id, path


# How long a batch of new entries holds the id lock: `kb new` meanwhile waits at most about this.
_LOCK_HOLD_SECONDS = 0.5


def create_entries(
    ws: Workspace,
    etype: EntryType,
    entries: Sequence[tuple[Mapping[str, Any], str]],
    written: Callable[[int, str, Path], None] | None = None,
) -> list[tuple[str, Path]]:
    """Give each (meta, body) the next free id of ``etype`` and write its entry, in order;
    return (id, path) of each. ``written(index, id, path)`` hears of each entry written.

    ``create_entry`` looks for the highest id in the folder for every entry, which makes a bulk
    import quadratic in the size of the workspace. Here the folder is read once per batch: each
    batch holds the id lock, reads the highest id, and writes entries for about half a second
    (longer when reading the folder took a while), so a `kb new` run meanwhile waits at most
    that long and still gets an id of its own. The first batch, even for no entries, removes
    the temporary files a killed run left (``remove_stale_temporaries``).
    """
    done: list[tuple[str, Path]] = []
    first = True
    while len(done) < len(entries) or first:
        with workspace_lock(ws, "ids"):
            started = time.monotonic()
            if first:
                remove_stale_temporaries(ws, etype)
                first = False
            number = max(used_numbers(ws, etype), default=0)
            hold = max(_LOCK_HOLD_SECONDS, 20 * (time.monotonic() - started))
            while len(done) < len(entries) and time.monotonic() - started < hold:
                number += 1
                meta, body = entries[len(done)]
                entry_id, path = _write_new_entry(ws, etype, number, meta, body)
                done.append((entry_id, path))
                if written is not None:
                    written(len(done) - 1, entry_id, path)
    return done


def remove_stale_temporaries(ws: Workspace, etype: EntryType) -> list[str]:
    """Remove the temporary files a killed import (or `kb new`) left in the type's folder.

    Call it with the id lock held, when no new entry can be half written: a temporary file
    whose entry does not exist was never renamed into place, and one that is the entry's own
    other name was renamed but not yet removed. Any other (an update in progress, perhaps) is
    left alone. Returns the names removed.
    """
    folder = ws.docs_dir / ws.section_dir(etype.name)
    real = os.path.realpath(folder)
    root = os.path.realpath(ws.root)
    if not real.startswith(root + os.sep) or not os.path.isdir(real):
        return []  # a type folder outside the workspace is no place to delete files
    removed = []
    with os.scandir(real) as items:
        for item in items:
            m = _TEMPORARY.match(item.name)
            if not m or not item.is_file(follow_symlinks=False):
                continue
            target = os.path.join(real, m.group("name"))
            try:
                if not os.path.lexists(target) or os.path.samefile(item.path, target):
                    os.unlink(item.path)
                    removed.append(item.name)
            except OSError:
                continue
    return removed


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
    left: list[str] = field(default_factory=list)  # files that still say old_id: to confirm


def _id_pattern(entry_id: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(entry_id)}(?![\w-])")


def _rewrite_id(path: Path, pattern: re.Pattern[str], new_id: str, target: Path) -> None:
    """Replace an id in a file's text (front matter and body), keeping comments and layout."""
    text = decode(path.read_bytes())
    write_atomic(target, pattern.sub(new_id, text), overwrite=target == path)


def renumber(ws: Workspace, path: Path, update: list[Path] | None = None) -> Renumbered:
    """Give the entry at ``path`` the next free id of its type, rename its file, fix references.

    After a merge two entries share an id, and every reference to it is ambiguous. A reference
    follows the renumbered entry only when that is certain: the referring file is named in
    ``update``, or the renumbered entry refers to it (they were filed together), or it belongs to
    the renumbered entry's project while the other holder of the id does not. Every other mention
    is left alone and listed in ``left`` for a person to confirm. Files are edited as text, so
    YAML comments and formatting survive.
    """
    resolved = path.resolve()
    if resolved not in {p.resolve() for p in entry_files(ws)}:
        raise EntryError(_say("not_an_entry", docs=ws.relpath(ws.docs_dir)), str(path))
    entry = read_entry(ws, resolved)
    etype = ws.schema.get(entry.type)
    if etype is None or not entry.id:
        raise EntryError(_say("no_id"), entry.relpath)
    old_id = entry.id
    pattern = _id_pattern(old_id)
    wanted = {p.resolve() for p in (update or [])}
    with workspace_lock(ws, "ids"):
        loaded = load_entries(ws)
        twins = [e for e in loaded.entries if e.id == old_id and e.path.resolve() != resolved]
        twin_projects = {e.project for e in twins}
        own_refs = set()
        for name in ws.schema.reference_field_names():
            value = entry.meta.get(name)
            own_refs.update(
                v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)
            )
        new_id = format_id(etype, max(used_numbers(ws, etype), default=0) + 1)
        stem = resolved.stem
        slug = stem[len(old_id) + 1 :] if stem.startswith(old_id + "-") else slugify(entry.title)
        new_path = resolved.with_name(f"{new_id}-{slug}.md")
        _rewrite_id(resolved, pattern, new_id, new_path)
        os.unlink(resolved)
        result = Renumbered(old_id, new_id, entry.relpath, ws.relpath(new_path))
        for other in loaded.entries:
            other_path = other.path.resolve()
            if other_path == resolved or other.id == old_id:
                continue
            if not pattern.search(decode(other_path.read_bytes())):
                continue
            same_project = bool(entry.project) and other.project == entry.project
            if (
                other_path in wanted
                or other.id in own_refs
                or (same_project and entry.project not in twin_projects)
            ):
                _rewrite_id(other_path, pattern, new_id, other_path)
                result.updated.append(other.relpath)
            else:
                result.left.append(other.relpath)
    return result

"""Keeping the index up to date: incremental and full builds, the writer lock, recovery, and
opening a searcher on the current index.

Writers hold the workspace lock ``index`` (a second `kb index` waits, says so, then finds nothing
to do). Whoosh publishes a commit by renaming its table of contents; a full build writes a new
index name and switches ``state.json`` (renamed into place) only after its last commit, so a
``kill -9`` at any moment leaves the previous index usable. An index that cannot be read is
rebuilt, and the report says why. Only Whoosh's documented API is used: ``create_in``,
``open_dir``, writers, ``delete_by_term``/``update_document``, searchers.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import shutil
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb import i18n
from kb.config import Workspace
from kb.entry import Entry
from kb.errors import EntryError, IndexBusy, KbError, Problem
from kb.search.documents import INDEX_FORMAT, build_schema, document, field_kinds, fingerprint
from kb.search.glossary import load as load_glossary
from kb.search.state import (
    MANIFEST_FILE,
    STATE_FILE,
    FileInfo,
    State,
    load_vocab,
    read_state,
    save_vocab,
    scan,
    sha,
    write_state,
)

LOCK_NAME = "index"
# A full build commits a segment every BATCH entries (per worker process): a writer's postings
# stay in memory (Whoosh spills them to sorted runs on disk past ``limitmb`` and merges them
# back, which made builds slower per entry as they grew), and memory stays bounded.
BATCH = 4000
BUILD_MEMORY_MB = 384
# From this many entries a full build uses Whoosh's own parallel writer (``procs``), one segment
# per worker: kb reads, parses and analyzes the entries, the workers index them. Linux only: a
# worker must die with kb (see ``_worker_started``).
PARALLEL_FROM = 2000
PROCS = 2

_building_in = 0  # the pid of a kb process running a parallel build, seen by its workers


def _worker_started() -> None:
    """Run in every process forked while a parallel build runs: Whoosh's indexing workers.

    A worker inherits the index lock; it must not outlive kb, or a ``kill -9`` of kb would
    leave it waiting for work for ever, holding the lock. So the kernel is asked to kill it
    when kb dies (Linux's PR_SET_PDEATHSIG), and it stops at once if kb is already gone."""
    parent = _building_in
    if not parent:
        return
    try:
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_worker_started)


def _parallel(count: int) -> bool:
    return count >= PARALLEL_FROM and sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


Progress = Callable[[int, int], None]


@dataclass
class IndexReport:
    """What one ``update_index`` did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    renamed: int = 0
    unchanged: int = 0
    total: int = 0  # entries in the index afterwards
    invalid: int = 0  # indexed entries (of those read this time) that `kb check` would flag
    rebuilt: bool = False
    reason: str = ""  # why it was rebuilt, or a note such as "damaged index"
    cause: str = ""  # the same as a key of the catalogs: search_cli.cause.<cause>
    detail: str = ""  # what was wrong with a damaged index
    skipped_files: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def skipped(self) -> int:
        """How many entry files could not be read and are not in the index."""
        return len(self.skipped_files)

    @property
    def changed(self) -> bool:
        """True when the index was written."""
        return bool(self.rebuilt or self.added or self.updated or self.removed or self.renamed)

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON shape for ``kb index --json``."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "renamed": self.renamed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "total": self.total,
            "invalid": self.invalid,
            "rebuilt": self.rebuilt,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
            "skipped_files": [p.to_dict() for p in self.skipped_files],
        }


class Damaged(Exception):
    """The index on disk cannot be read."""


def describe(exc: BaseException) -> str:
    """One line naming an exception, for notes such as "the index was damaged (...)"."""
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def open_index(index_dir: Path, state: State):
    """The current index, checked to be readable; Damaged when it is not."""
    from whoosh import index as wi

    # Whoosh leaves a garbled table of contents open when it fails to read it; the file is closed
    # when the exception goes away, and that must not surface as a ResourceWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = wi.open_dir(str(index_dir), indexname=state.indexname)
            with ix.reader() as reader:
                reader.doc_count()
            return ix
        except Exception as exc:  # whoosh raises many kinds when files are missing or garbled
            message = describe(exc)
        gc.collect()
    raise Damaged(message)


@contextlib.contextmanager
def _writer_lock(ws: Workspace, wait: float, notice: Callable[[str], None] | None):
    """Hold the index lock; tell ``notice`` when another writer makes us wait."""
    from kb.store import workspace_lock

    lock = workspace_lock(ws, LOCK_NAME, timeout=0)
    try:
        lock.__enter__()
    except KbError:
        if notice:
            notice(i18n.text("search_cli.waiting", ws.language))
        lock = workspace_lock(ws, LOCK_NAME, timeout=wait)
        try:
            lock.__enter__()
        except KbError:
            where = ws.relpath(ws.state_dir / "locks" / f"{LOCK_NAME}.lock")
            busy = i18n.text("search_cli.busy", ws.language, seconds=f"{wait:.0f}", lock=where)
            raise IndexBusy(busy) from None
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def update_index(
    ws: Workspace,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    notice: Callable[[str], None] | None = None,
    wait: float = 120.0,
) -> IndexReport:
    """Bring the search index up to date with the entry files; return what changed.

    Incremental: only added, changed, removed and renamed files are touched. ``rebuild`` starts
    over; so do a missing or damaged index and a change of schema or index format. ``progress``
    is called as ``progress(done, total)`` while entries are indexed; ``notice`` receives
    one-line messages (waiting for another writer).
    """
    started = time.perf_counter()
    index_dir = ws.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    with _writer_lock(ws, wait, notice):
        report = _update_locked(ws, index_dir, rebuild, progress)
    report.seconds = time.perf_counter() - started
    return report


def _update_locked(
    ws: Workspace, index_dir: Path, rebuild: bool, progress: Progress | None
) -> IndexReport:
    fp = fingerprint(ws)
    state = read_state(index_dir)
    cause, detail = "", ""
    ix = None
    if rebuild:
        cause = "requested"
    elif state is None:
        damaged = (index_dir / STATE_FILE).exists() or any(index_dir.glob("*.toc"))
        cause = "state_damaged" if damaged else "new"
    elif state.format != INDEX_FORMAT or state.fingerprint != fp:
        cause = "schema"
    else:
        try:
            ix = open_index(index_dir, state)
        except Damaged as exc:
            cause, detail = "damaged", str(exc)
    if ix is None:
        return _full_build(ws, index_dir, fp, (cause, detail), progress)
    try:
        return _incremental(ws, ix, index_dir, state, progress)
    except Damaged as exc:
        return _full_build(ws, index_dir, fp, ("damaged", str(exc)), progress)


def read_for_index(
    ws: Workspace, path: Path, rel: str
) -> tuple[Entry | None, Problem | None, bool]:
    """The entry in a file, or the problem that keeps it out; and whether `kb check` flags it."""
    from kb.checks import entry_problems
    from kb.store import read_entry

    try:
        entry = read_entry(ws, path)
    except EntryError as exc:
        msg = str(exc)
        m = re.match(r"^(?P<path>.+?):(?P<line>\d+): (?P<msg>.*)$", msg, re.S)
        line, text = (int(m["line"]), m["msg"]) if m else (1, msg)
        return None, Problem(rel, line, "error", text, code="unreadable"), False
    invalid = any(p.level == "error" for p in entry_problems(ws, entry))
    return entry, None, invalid


# Why an index is built from scratch, as ``kb index --json`` says it (stable, English); a person
# reads the catalog's search_cli.cause.<cause> instead.
_REASONS = {
    "requested": "rebuild requested",
    "new": "new index",
    "state_damaged": "the index state was damaged",
    "schema": "the schema or index format changed",
    "damaged": "the index was damaged ({detail})",
}


def _full_build(
    ws: Workspace, index_dir: Path, fp: str, why: tuple[str, str], progress: Progress | None
) -> IndexReport:
    from whoosh import index as wi

    global _building_in
    cause, detail = why
    reason = _REASONS[cause].format(detail=detail)
    report = IndexReport(rebuilt=True, reason=reason, cause=cause, detail=detail)
    indexname = f"kb{time.time_ns():x}"
    kinds = field_kinds(ws)
    items = sorted(scan(ws).items())
    ix = wi.create_in(str(index_dir), build_schema(ws), indexname=indexname)
    parallel = _parallel(len(items))
    phrase_pairs = frozenset(load_glossary(ws.glossary_path).pairs)
    batch = BATCH * (PROCS if parallel else 1)
    files: dict[str, FileInfo] = {}
    vocab: Counter[str] = Counter()
    writer = None
    if parallel:
        _building_in = os.getpid()
    try:
        for done, (rel, (path, size, mtime)) in enumerate(items, 1):
            if writer is None:
                writer = _writer(ix, parallel)
            digest = sha(path)
            entry, problem, invalid = read_for_index(ws, Path(path), rel)
            if entry is None:
                report.skipped_files.append(problem)
                files[rel] = FileInfo.unreadable(size, mtime, digest, problem)
            else:
                doc = document(ws, entry, kinds, phrase_pairs)
                vocab.update(doc.pop("words"))
                writer.add_document(**doc, size=size, mtime_ns=mtime, sha=digest)
                files[rel] = FileInfo(size, mtime, digest)
                report.added += 1
                report.invalid += invalid
            if done % batch == 0:
                writer.commit(merge=False)
                writer = None
            if progress:
                progress(done, len(items))
        if writer is None:
            writer = ix.writer()
        writer.commit(merge=False)
    except BaseException:
        if writer is not None and not writer.is_closed:
            writer.cancel()
        raise
    finally:
        _building_in = 0
    indexed = ix.doc_count()
    if indexed != report.added:  # a worker process failed: keep the previous index
        raise KbError(
            f"indexing failed: {indexed} of {report.added} entries reached the new index; "
            "the previous index is kept (run `kb index --rebuild` again)"
        )
    report.skipped_files.sort(key=lambda p: p.path)
    report.total = report.added
    save_vocab(index_dir, indexname, dict(vocab))
    state = State(INDEX_FORMAT, fp, indexname, ix.latest_generation(), dict(sorted(files.items())))
    write_state(index_dir, state)
    close_searchers()
    _remove_other_indexes(index_dir, indexname)
    return report


def _writer(ix, parallel: bool):
    """A writer for a full build: Whoosh's parallel one (a segment per worker) or a plain one."""
    if parallel:
        return ix.writer(procs=PROCS, multisegment=True, limitmb=BUILD_MEMORY_MB, batchsize=50)
    return ix.writer(limitmb=BUILD_MEMORY_MB)


def _remove_other_indexes(index_dir: Path, keep: str) -> None:
    """Delete files of earlier index generations and of builds that were killed, and Whoosh's
    temporary folders (``<indexname>.tmp``). Called with the index lock held, after a commit:
    no writer is using any of them."""
    for path in index_dir.iterdir():
        name = path.name
        if name.endswith(".tmp") and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            continue
        if (
            name in (STATE_FILE, MANIFEST_FILE)
            or name.startswith(f"_{keep}_")
            or name.startswith(f"{keep}_")
        ):
            continue
        if name.startswith(".") and not name.endswith(".tmp"):
            continue
        with contextlib.suppress(OSError):
            if path.is_file():
                path.unlink()


def _files_from_index(ix) -> dict[str, FileInfo]:
    """The manifest rebuilt from the stored fields (after a crash between commit and state)."""
    files = {}
    with ix.searcher() as s:
        for fields in s.all_stored_fields():
            files[fields["path"]] = FileInfo(
                fields.get("size", -1), fields.get("mtime_ns", -1), fields.get("sha", "")
            )
    return files


def _changes(ws: Workspace, files: dict[str, FileInfo], report: IndexReport):
    """(changed files, removed paths, whether the manifest needs writing) since the manifest."""
    found = scan(ws)
    changed: list[tuple[str, str, int, int, str]] = []
    touched = False
    for rel, (path, size, mtime) in found.items():
        old = files.get(rel)
        if old and old.size == size and old.mtime_ns == mtime:
            if old.skipped:
                report.skipped_files.append(old.problem(rel))
            else:
                report.unchanged += 1
            continue
        digest = sha(path)
        if old and old.sha == digest and not old.skipped:
            files[rel] = FileInfo(size, mtime, digest)  # touched, not changed
            report.unchanged += 1
            touched = True
            continue
        changed.append((rel, path, size, mtime, digest))
    removed = [rel for rel in files if rel not in found]
    return changed, removed, touched


def _incremental(
    ws: Workspace, ix, index_dir: Path, state: State, progress: Progress | None
) -> IndexReport:
    report = IndexReport()
    try:
        if ix.latest_generation() != state.generation:
            # Killed after a commit but before state.json was written: trust the index.
            state.files = _files_from_index(ix)
            state.generation = -1
    except Exception as exc:
        raise Damaged(describe(exc)) from None
    files = dict(state.files)
    changed, removed, touched = _changes(ws, files, report)
    if changed or removed:
        _apply(ws, ix, index_dir, state, files, changed, removed, report, progress)
        state.generation = ix.latest_generation()
        touched = True
    elif state.generation == -1:
        state.generation = ix.latest_generation()
        touched = True
    report.skipped_files.sort(key=lambda p: p.path)
    report.total = sum(1 for f in files.values() if not f.skipped)
    if touched:
        state.files = files
        write_state(index_dir, state)
    # What a killed build left (its segments, temporary files): no other writer runs now.
    _remove_other_indexes(index_dir, state.indexname)
    return report


def _apply(ws, ix, index_dir, state, files, changed, removed, report, progress) -> None:
    """Write the changed and removed files into the index in one commit."""
    by_sha: dict[str, list[str]] = {}
    for rel in removed:
        if not files[rel].skipped:
            by_sha.setdefault(files[rel].sha, []).append(rel)
    kinds = field_kinds(ws)
    phrase_pairs = frozenset(load_glossary(ws.glossary_path).pairs)
    vocab = load_vocab(index_dir, state.indexname)
    try:
        writer = ix.writer(limitmb=128)
    except Exception as exc:
        raise Damaged(describe(exc)) from None
    try:
        for rel in removed:
            writer.delete_by_term("path", rel)
            del files[rel]
        for done, (rel, path, size, mtime, digest) in enumerate(changed, 1):
            old = files.get(rel)
            entry, problem, invalid = read_for_index(ws, Path(path), rel)
            if entry is None:
                writer.delete_by_term("path", rel)
                files[rel] = FileInfo.unreadable(size, mtime, digest, problem)
                report.skipped_files.append(problem)
                continue
            doc = document(ws, entry, kinds, phrase_pairs)
            for word in doc.pop("words"):  # grows only: a stale word costs one empty search
                vocab[word] = vocab.get(word, 0) + 1
            writer.update_document(**doc, size=size, mtime_ns=mtime, sha=digest)
            files[rel] = FileInfo(size, mtime, digest)
            report.invalid += invalid
            if old and not old.skipped:
                report.updated += 1
            elif by_sha.get(digest):
                by_sha[digest].pop()
                report.renamed += 1
            else:
                report.added += 1
            if progress:
                progress(done, len(changed))
        report.removed = len(removed) - report.renamed
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    save_vocab(index_dir, state.indexname, vocab)


def is_stale(ws: Workspace) -> bool:
    """True when entry files changed since the index was last updated (or there is none).

    Compares each file's size and mtime with the manifest as read from JSON, without building
    the manifest's objects: this runs before every search.
    """
    import json

    state = read_state(ws.index_dir, with_files=False)
    if state is None or state.format != INDEX_FORMAT or state.fingerprint != fingerprint(ws):
        return True
    try:
        with open(ws.index_dir / MANIFEST_FILE, "rb") as fh:
            files = json.loads(fh.read())
    except (OSError, ValueError):
        return True
    found = scan(ws)
    if not isinstance(files, dict) or found.keys() != files.keys():
        return True
    try:
        for rel, (_, size, mtime) in found.items():
            old = files[rel]
            if old[0] != size or old[1] != mtime:
                return True
    except (TypeError, IndexError, KeyError):
        return True
    return False


_CACHED: dict[str, Any] = {}  # one open searcher, reused while its index is unchanged


def _searcher(index_dir: Path, state: State):
    """A searcher on the current index, reusing the last one when nothing was committed since."""
    key = f"{index_dir}\0{state.indexname}"
    cached = _CACHED.get("searcher")
    if cached is not None and _CACHED.get("key") == key:
        with contextlib.suppress(Exception):  # files replaced under it: open anew below
            if cached.up_to_date():
                return cached
    if cached is not None:
        with contextlib.suppress(Exception):
            cached.close()
        _CACHED.clear()
    try:
        searcher = open_index(index_dir, state).searcher()
    except Damaged:
        raise
    except Exception as exc:
        raise Damaged(describe(exc)) from None
    _CACHED.update(key=key, searcher=searcher)
    return searcher


def close_searchers() -> None:
    """Close the cached searcher (tests, and long-running processes that are done searching)."""
    cached = _CACHED.pop("searcher", None)
    _CACHED.clear()
    if cached is not None:
        cached.close()


@contextlib.contextmanager
def open_searcher(
    ws: Workspace, *, refresh: bool = True, notice: Callable[[str], None] | None = None
) -> Iterator[tuple[Any, IndexReport | None]]:
    """A Whoosh searcher on an up-to-date index (updating or rebuilding it first if needed),
    and the report of that update (None when there was none).

    ``notice`` hears about waiting for another process that is writing the index.
    """
    report = None
    if refresh and is_stale(ws):
        report = update_index(ws, notice=notice)
    state = read_state(ws.index_dir, with_files=False)
    searcher = None
    if state is not None and state.format == INDEX_FORMAT:
        try:
            searcher = _searcher(ws.index_dir, state)
        except Damaged:
            searcher = None
    if searcher is None:
        close_searchers()
        report = update_index(ws, notice=notice)
        state = read_state(ws.index_dir, with_files=False)
        if state is None:
            raise KbError(f"cannot build the search index in {ws.relpath(ws.index_dir)}")
        try:
            searcher = _searcher(ws.index_dir, state)
        except Damaged as exc:
            raise KbError(f"the search index cannot be read after a rebuild ({exc})") from None
    yield searcher, report


def index_name(ws: Workspace) -> str:
    """The name of the current index ('' when there is none): its vocabulary file's prefix."""
    state = read_state(ws.index_dir, with_files=False)
    return state.indexname if state else ""

"""What the index remembers beside Whoosh's files: which index is current, the manifest of
indexed entry files, and the vocabulary of words as written.

On disk (``ws.index_dir``, default ``.kb/index``), next to the Whoosh segment files of the index
whose name changes at every full build:

- ``state.json``: format version, schema fingerprint, the current index name and generation;
- ``manifest.json``: path -> size, mtime, sha256, what makes ``update_index`` incremental;
- ``<indexname>_vocabulary.txt``: the words as written (a line ``word<TAB>count`` each), what
  did-you-mean suggests from and wildcards match.

Each file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.config import Workspace
from kb.errors import Problem

STATE_FILE = "state.json"
MANIFEST_FILE = "manifest.json"


@dataclass
class FileInfo:
    """What the manifest remembers about one entry file."""

    size: int
    mtime_ns: int
    sha: str
    skipped: str = ""  # why it is not in the index ('' when it is)
    skipped_line: int = 1  # and where, as the problem said it the first time
    skipped_code: str = "unreadable"

    @classmethod
    def unreadable(cls, size: int, mtime_ns: int, sha: str, problem: Problem) -> FileInfo:
        return cls(size, mtime_ns, sha, problem.message, problem.line, problem.code)

    def problem(self, rel: str) -> Problem:
        """The problem that kept this file out of the index, as first reported."""
        return Problem(rel, self.skipped_line, "error", self.skipped, code=self.skipped_code)


@dataclass
class State:
    """Which index is current (state.json) and, when loaded, the manifest (manifest.json)."""

    format: int
    fingerprint: str
    indexname: str
    generation: int
    files: dict[str, FileInfo] = field(default_factory=dict)


def read_state(index_dir: Path, *, with_files: bool = True) -> State | None:
    """The index state; None when it is missing or unreadable (the index is then rebuilt)."""
    try:
        data = json.loads((index_dir / STATE_FILE).read_text(encoding="utf-8"))
        state = State(
            int(data["format"]),
            str(data["fingerprint"]),
            str(data["indexname"]),
            int(data["generation"]),
        )
        if with_files:
            files = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
            state.files = {str(k): FileInfo(*v) for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # any JSON that is not the shape written here (a list, a number...) counts as damaged
        return None
    return state


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_state(index_dir: Path, state: State) -> None:
    """Write the manifest, then the state that points at it (each renamed into place)."""
    files = {
        k: [v.size, v.mtime_ns, v.sha, v.skipped, v.skipped_line, v.skipped_code]
        if v.skipped
        else [v.size, v.mtime_ns, v.sha, v.skipped]
        for k, v in state.files.items()
    }
    _write_json(index_dir / MANIFEST_FILE, files)
    head = {
        "format": state.format,
        "fingerprint": state.fingerprint,
        "indexname": state.indexname,
        "generation": state.generation,
    }
    _write_json(index_dir / STATE_FILE, head)


def _vocab_path(index_dir: Path, indexname: str) -> Path:
    return index_dir / f"{indexname}_vocabulary.txt"


def load_vocab_text(index_dir: Path, indexname: str) -> str:
    """The vocabulary file as it is: a line ``word<TAB>count`` per word ('' when missing).

    Wildcards are matched against this text with one regular expression, so a search with a
    wildcard reads 20,000 words without parsing them."""
    try:
        return _vocab_path(index_dir, indexname).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""


def load_vocab(index_dir: Path, indexname: str) -> dict[str, int]:
    """The did-you-mean words and their counts; {} when the file is missing or damaged."""
    return parse_vocab(load_vocab_text(index_dir, indexname))


def parse_vocab(text: str) -> dict[str, int]:
    vocab: dict[str, int] = {}
    for line in text.splitlines():
        word, _, count = line.partition("\t")
        if word and count.isdigit():
            vocab[word] = int(count)
    return vocab


class KnownWords:
    """The index's words as written, from the vocabulary text, parsed when first asked."""

    def __init__(self, vocabulary: Callable[[], str]) -> None:
        self.vocabulary = vocabulary
        self.words: dict[str, int] | None = None

    def __contains__(self, word: str) -> bool:
        if self.words is None:
            self.words = parse_vocab(self.vocabulary())
        return word in self.words


def save_vocab(index_dir: Path, indexname: str, vocab: dict[str, int]) -> None:
    path = _vocab_path(index_dir, indexname)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text("".join(f"{w}\t{n}\n" for w, n in sorted(vocab.items())), encoding="utf-8")
    os.replace(tmp, path)


def scan(ws: Workspace) -> dict[str, tuple[str, int, int]]:
    """Every entry file (``kb.store.find_entry_files``, the walk ``entry_files`` makes) ->
    (path, size, mtime_ns); (path, -1, -1) for one that cannot be stat'ed (a broken link),
    which indexing then reports.

    One ``stat`` per file, paths kept as strings: this runs before every `kb search`, and
    building a ``Path`` for each file and resolving it cost more than the rest of a search.
    Links that lead out of the workspace are not in the walk, so never read or hashed here.
    """
    from kb.store import find_entry_files

    found: dict[str, tuple[str, int, int]] = {}
    for rel, path in find_entry_files(ws).files.items():
        try:
            st = os.stat(path)
        except OSError:
            found[rel] = (path, -1, -1)
            continue
        found[rel] = (path, st.st_size, st.st_mtime_ns)
    return found


def sha(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return ""

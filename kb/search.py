"""Search the past: the Whoosh index, queries, facets, did-you-mean and similar entries.

This is the only module that imports whoosh. The index is built from the same entry model and
schema as `kb check`: every field a PMO filters on is an index field, the title is boosted, the
body is full text. Chinese is indexed as overlapping character bigrams while Latin words stay
whole and stemmed, with consecutive token positions so quoted phrases work in both.

On disk (``ws.index_dir``, default ``.kb/index``):

- Whoosh segment files of one index whose name changes at every full build (a large rebuild
  writes one segment per worker process); bodies are indexed but not stored, so snippets are
  cut from the few hit files;
- ``state.json``: format version, schema fingerprint, the current index name and generation;
- ``manifest.json``: path -> size, mtime, sha256, what makes ``update_index`` incremental;
- ``<indexname>_vocabulary.txt``: the words as written (a line ``word<TAB>count`` each), what
  did-you-mean suggests from and wildcards match;

Speed: Whoosh is pure Python, so the hot paths avoid its per-posting machinery where the result
is provably the same: indexing tokenizes in one pass (``index_terms``); segments are written
with ``KbCodec``, whose blocks keep positions apart from ids and weights, and read a term at a
time (``_read_term``); totals, filters and facets come from posting lists combined as sets
(``matching_docs``); common query shapes are scored a term at a time (``_bulk_scores``), only
for the documents that can reach the top (``_pruned_scores``). Tests compare each with
Whoosh's own answer.

Safety: writers hold the workspace lock ``index`` (a second `kb index` waits, then finds nothing
to do). Whoosh publishes a commit by renaming its table of contents, and a full build writes a
new index name and switches ``state.json`` (also renamed into place) only after its commit, so a
``kill -9`` at any moment leaves the previous index usable. An index that cannot be read is
rebuilt, and the report says why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import io
import itertools
import json
import os
import pickle
import re
import struct
import time
import warnings
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh import analysis as wa
from whoosh import fields as wf
from whoosh.lang.porter import stem as _porter_stem

from kb.config import Workspace
from kb.entry import Entry, strip_comments
from kb.errors import EntryError, IndexBusy, KbError, Problem, UsageError
from kb.schema import (
    ACTIONS,
    BOOL,
    BUDGET,
    CHOICE,
    CHOICES,
    DATE,
    INT,
    LIST,
    LONGTEXT,
    NUMBER,
    REF,
    REFS,
    TEXT,
    as_date,
    closest,
    risk_score,
)

# Bump when the analyzer or the way documents are built changes: existing indexes rebuild.
INDEX_FORMAT = 6
STATE_FILE = "state.json"
MANIFEST_FILE = "manifest.json"
LOCK_NAME = "index"
# Fields every document has; the rest come from the entry schema.
CORE_FIELDS = ("path", "id", "type", "title", "body", "extra", "tags", "project", "date")
TEXT_FIELDS = ("title", "body", "extra")  # analyzed with the CJK/Latin analyzer
DEFAULT_FIELDS = {"title": 3.0, "body": 1.0, "extra": 1.0, "tags": 1.5}
FACETS = ("type", "category", "project", "tags")
FULL_BUILD_PROCS = 2  # worker processes for a full build of a large knowledge base
PARALLEL_FROM = 2000  # entries; below this one process is faster than starting workers
# Postings a build writer keeps in memory (Whoosh's estimate, MB) before it spills a sorted run
# to disk; merging runs back cost a third of a build. 512 holds the postings of 5,000 entries
# (about 2 million; some 450 MB of process memory), so a 10,000-entry rebuild never spills.
BUILD_MEMORY_MB = 512
# Whoosh's W3 postings blocks: postings per block and zlib level. Whoosh's defaults (128, 3)
# suit its matchers, which skip blocks; kb reads a term's blocks whole, and each block costs a
# read and an unpickling, each zlib level a decompression. Measured on 10,000 entries: phrases
# of common words 30 % faster, full builds faster, the index about twice as large (100 MB).
# Part of the index format: change INDEX_FORMAT with them.
CODEC_SETTINGS = {"blocklimit": 1024, "compression": 0}

Progress = Callable[[int, int], None]

# ---------------------------------------------------------------------------------------------
# The analyzer: Latin words whole (lowercased, stop words out, Porter-stemmed), CJK as bigrams.

_CJK = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
)
_WORD_RE = re.compile(r"\w+")
_CJK_RUN_RE = re.compile(f"[{_CJK}]+|[^{_CJK}]+")
_HAS_CJK_RE = re.compile(f"[{_CJK}]")


def is_cjk(text: str) -> bool:
    """True when ``text`` contains a Chinese, Japanese or Korean character."""
    return bool(_HAS_CJK_RE.search(text))


class CjkBigramTokenizer(wa.Tokenizer):
    """Words of Latin script whole; runs of CJK characters as overlapping bigrams.

    Every token takes the next position, so a phrase query (which the query parser builds from
    the bigrams of a Chinese word) matches exactly the documents holding that character string.
    A lone CJK character between other scripts is kept as a one-character token.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[wa.Token]:
        t = wa.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (text, offset) in enumerate(_token_texts(value, tokenize), start_pos):
            t.text, t.boost, t.stopped = text, 1.0, False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + offset
                t.endchar = t.startchar + len(text)
            yield t


def _token_texts(value: str, tokenize: bool = True) -> Iterator[tuple[str, int]]:
    """(text, offset) of each token: Latin words whole, CJK runs as overlapping bigrams.

    Without ``tokenize`` (a wildcard pattern such as ``migr?tion``) the value is one token.
    """
    if not tokenize:
        yield value, 0
        return
    for m in _WORD_RE.finditer(value):
        word, start = m.group(), m.start()
        if _HAS_CJK_RE.search(word) is None:
            yield word, start
            continue
        for p in _CJK_RUN_RE.finditer(word):
            text, offset = p.group(), start + p.start()
            if len(text) == 1 or _HAS_CJK_RE.match(text) is None:
                yield text, offset
            else:
                for i in range(len(text) - 1):
                    yield text[i : i + 2], offset + i


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return _porter_stem(word)


class LatinStemFilter(wa.Filter):
    """Porter-stem words of Latin script; leave CJK bigrams and numbers alone."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens: Iterator[wa.Token]) -> Iterator[wa.Token]:
        for t in tokens:
            text = t.text
            if text.isascii() and not text.isdigit() and "*" not in text and "?" not in text:
                t.text = _stem(text)
            yield t


def text_analyzer() -> wa.Analyzer:
    """The analyzer of title, body and other prose fields."""
    return (
        CjkBigramTokenizer()
        | wa.LowercaseFilter()
        | wa.StopFilter(minsize=1, renumber=True)
        | LatinStemFilter()
    )


_STOP_WORDS = wa.STOP_WORDS
_STEMS: dict[str, str] = {}  # Porter stems of the words seen so far (a dict lookup is cheapest)


def index_terms(text: str) -> tuple[list[str], int]:
    """The terms ``text_analyzer()`` makes of ``text`` when indexing, and the first position.

    The same tokens in the same order as the analyzer chain (bigrams, lowercase, stop words out
    with positions renumbered, Porter stems), without a Token object and four generators per
    word: indexing spends most of its time here. The first kept term keeps its position (the
    number of stop words before it), as Whoosh's StopFilter does; the rest follow one by one.
    """
    terms: list[str] = []
    append = terms.append
    stems = _STEMS
    stops = _STOP_WORDS
    first = 0
    for word in _WORD_RE.findall(text):
        if word.isascii():
            pieces: Iterable[str] = (word,)
        elif _HAS_CJK_RE.search(word) is None:
            pieces = (word,)
        else:
            pieces = _CJK_RUN_RE.findall(word)
        for piece in pieces:
            if not piece.isascii() and _HAS_CJK_RE.match(piece):
                if len(piece) == 1:
                    append(piece)
                else:
                    for i in range(len(piece) - 1):
                        append(piece[i : i + 2])
                continue
            low = piece.lower()
            if low in stops:
                if not terms:
                    first += 1
                continue
            if low.isascii() and not low.isdigit():
                stem = stems.get(low)
                if stem is None:
                    stem = _stem(low)
                    if len(stems) < 500_000:
                        stems[low] = stem
                low = stem
            append(low)
    return terms, first


_POS_TYPE = "I"  # native unsigned int: the index stays on the machine that built it


class IndexPositions(wf.formats.Positions):
    """Whoosh's Positions format, filled by ``index_terms`` instead of the analyzer chain, with
    each posting's positions stored as an array of unsigned ints instead of a pickled list.

    Only the text fields use it, and their analyzer is ``text_analyzer()``; queries, snippets
    and more-like-this still run the analyzer, and a test checks that both agree. Arrays make a
    block's positions one bytes object (see ``KbCodec``) that phrase search slices per posting
    and decodes with one call, instead of unpickling every posting's list.
    """

    value_unit = array(_POS_TYPE).itemsize  # KbCodec stores value lengths in positions

    def encode(self, poslist) -> bytes:
        return array(_POS_TYPE, poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return array(_POS_TYPE, valuestring).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // self.value_unit

    def word_values(self, value, analyzer, **kwargs):
        """(term, frequency, weight, encoded positions) for each distinct term of ``value``."""
        terms, first = index_terms(value)
        positions: dict[str, list[int]] = {}
        for pos, term in enumerate(terms, first):
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
        fb = self.field_boost
        return [
            (term, len(poslist), len(poslist) * fb, array(_POS_TYPE, poslist).tobytes())
            for term, poslist in positions.items()
        ]


def _codec_classes():
    """kb's postings codec, built on first use (lazy import): Whoosh's W3 codec, except that a
    block's variable-size values (the positions of text fields) are stored as one bytes object
    and an array of their lengths instead of a tuple of bytes objects.

    Unpickling a block then costs the same whether or not its positions are wanted: ranking
    reads ids and weights without paying for a bytes object per posting, and phrase search
    slices the positions of the few postings it checks. Whoosh's own matchers get the tuple
    back from ``_read_values``, so every Whoosh query, merge and highlight works as before.
    """
    global _CODEC
    if _CODEC is not None:
        return _CODEC
    from whoosh.codec import whoosh3 as w3

    class PostingsWriter(w3.W3PostingsWriter):
        def _mini_values(self):
            fixedsize = self._format.fixed_value_size()
            if fixedsize is None or fixedsize < 0:
                values = self._values
                unit = getattr(self._format, "value_unit", 1)
                lengths = array("I", [len(v) // unit for v in values])
                return b"".join(values), lengths.tobytes()
            return super()._mini_values()

    class LeafMatcher(w3.W3LeafMatcher):
        def _read_values(self):
            fixedsize = self._fixedsize
            if fixedsize is not None and fixedsize >= 0:
                super()._read_values()
                return
            if self._data is None:
                self._read_data()
            blob, lengths = self._data[2]
            unit = getattr(self.format, "value_unit", 1)
            self._values = tuple(_split_values(blob, lengths, unit))

    class KbCodec(w3.W3Codec):
        def postings_writer(self, dbfile, byteids=False):
            return PostingsWriter(
                dbfile,
                blocklimit=self._blocklimit,
                byteids=byteids,
                compression=self._compression,
                inlinelimit=self._inlinelimit,
            )

        def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
            if terminfo.is_inlined():
                return super().postings_reader(dbfile, terminfo, format_, term, scorer)
            offset, length = terminfo.extent()
            return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    # Segments pickle their codec: it must be found again as kb.search.KbCodec (see __getattr__)
    KbCodec.__module__ = __name__
    KbCodec.__qualname__ = KbCodec.__name__ = "KbCodec"
    _CODEC = KbCodec
    return KbCodec


_CODEC: Any = None


def __getattr__(name: str) -> Any:
    """``kb.search.KbCodec``, the class an index's segments name, built when first asked for."""
    if name == "KbCodec":
        return _codec_classes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _split_values(blob: bytes, lengths: bytes, unit: int) -> Iterator[bytes]:
    """The values of one block from ``KbCodec``'s bytes object and array of lengths (in
    ``unit`` bytes: the format's ``value_unit``)."""
    start = 0
    for end in itertools.accumulate(array("I", lengths)):
        yield blob[start * unit : end * unit]
        start = end


_VOCAB_RE = re.compile(r"[a-z]{3,}")


def vocabulary(doc: dict[str, Any]) -> set[str]:
    """The unstemmed Latin words of a document: what did-you-mean suggests from."""
    text = f"{doc.get('title', '')}\n{doc.get('body', '')}\n{doc.get('extra', '')}".lower()
    return set(_VOCAB_RE.findall(text))


def _keyword_analyzer() -> wa.Analyzer:
    return wa.IDTokenizer() | wa.LowercaseFilter()


# ---------------------------------------------------------------------------------------------
# The index schema, derived from the entry schema.


def field_kinds(ws: Workspace) -> dict[str, str]:
    """Each filterable front-matter field -> index kind (id, keyword, numeric, bool, text).

    A field name used with different kinds by different entry types (``impact`` is a choice for
    lessons and a number for risk cases) becomes an ``id`` field holding the value as text.
    """
    kinds: dict[str, str] = {}
    for etype in ws.schema.types:
        for f in etype.fields:
            if f.name in CORE_FIELDS or f.kind in (BUDGET, ACTIONS):
                continue
            kind = {
                CHOICE: "id",
                REF: "id",
                TEXT: "id",
                DATE: "id",
                CHOICES: "keyword",
                LIST: "keyword",
                REFS: "keyword",
                INT: "numeric",
                NUMBER: "numeric",
                BOOL: "bool",
                LONGTEXT: "text",
            }.get(f.kind, "id")
            if f.name in kinds and kinds[f.name] != kind:
                kind = "id"
            kinds[f.name] = kind
    kinds["score"] = "numeric"
    return dict(sorted(kinds.items()))


def fingerprint(ws: Workspace) -> str:
    """Changes whenever the index layout would: the format version or the workspace schema."""
    spec = json.dumps([INDEX_FORMAT, field_kinds(ws)], sort_keys=True)
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


def _text_field(analyzer: wa.Analyzer, stored: bool = False) -> wf.TEXT:
    field = wf.TEXT(stored=stored, analyzer=analyzer)
    field.format = IndexPositions(field_boost=field.format.field_boost)
    return field


def build_schema(ws: Workspace) -> wf.Schema:
    """The Whoosh schema for this workspace."""
    text = text_analyzer()
    schema = wf.Schema(
        path=wf.ID(stored=True, unique=True),
        id=wf.ID(stored=True, analyzer=_keyword_analyzer()),
        type=wf.ID(stored=True),
        title=_text_field(text, stored=True),
        body=_text_field(text),  # not stored: snippets read the few hit files
        extra=_text_field(text),
        tags=wf.KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        project=wf.ID(stored=True, analyzer=_keyword_analyzer()),
        date=wf.ID(stored=True, sortable=True),
        size=wf.STORED(),
        mtime_ns=wf.STORED(),
        sha=wf.STORED(),
    )
    for name, kind in field_kinds(ws).items():
        if kind == "id":
            ftype: wf.FieldType = wf.ID(stored=True, analyzer=_keyword_analyzer())
        elif kind == "keyword":
            ftype = wf.KEYWORD(stored=True, commas=True, lowercase=True)
        elif kind == "numeric":
            ftype = wf.NUMERIC(float, stored=True)
        elif kind == "bool":
            ftype = wf.BOOLEAN(stored=True)
        else:
            ftype = _text_field(text)
        schema.add(name, ftype)
    for name in TEXT_FIELDS:
        # A Chinese word turns into several bigrams; they must stay together, in order.
        schema[name].multitoken_query = "phrase"
    return schema


def _clean_body(body: str) -> str:
    text = strip_comments(body)
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.M)  # heading marks
    text = re.sub(r"^\s*[-*+]\s+\[[ xX]?\]\s*$", "", text, flags=re.M)  # empty checklist items
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def _as_list(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [_as_text(v).replace(",", " ") for v in items if v not in (None, "") and _as_text(v)]


def document(ws: Workspace, entry: Entry, kinds: dict[str, str]) -> dict[str, Any]:
    """The index document of one entry (without the manifest fields)."""
    meta = entry.meta
    etype = ws.schema.get(entry.type)
    tags = _as_list(meta.get("tags"))
    body = _clean_body(entry.body)
    extra = [entry.project, " ".join(tags)]
    for name in ("trigger", "participants", "owner", "risk_owner"):
        extra.extend(_as_list(meta.get(name)))
    actions = meta.get("actions")
    if isinstance(actions, list):
        extra.extend(str(a.get("action", "")) for a in actions if isinstance(a, dict))
    doc: dict[str, Any] = {
        "path": entry.relpath,
        "id": entry.id,
        "type": etype.name if etype else entry.type.lower(),
        "title": entry.title,
        "body": body,
        "extra": "\n".join(x for x in extra if x),
        "tags": ",".join(t.lower() for t in tags),
        "project": entry.project,
        "date": entry.date.isoformat() if entry.date else "",
    }
    score = risk_score(meta.get("probability"), meta.get("impact"))
    for name, kind in kinds.items():
        value = score if name == "score" else meta.get(name)
        if value in (None, "", []):
            continue
        if kind == "numeric":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                doc[name] = value
        elif kind == "bool":
            if isinstance(value, bool):
                doc[name] = value
        elif kind == "keyword":
            doc[name] = ",".join(_as_list(value))
        elif kind == "text":
            doc[name] = "\n".join(_as_list(value))
        else:
            date = as_date(value) if not isinstance(value, (int, float)) else None
            doc[name] = date.isoformat() if date else _as_text(value)
    return {k: v for k, v in doc.items() if v not in ("", None)}


# ---------------------------------------------------------------------------------------------
# State: which index is current, and the manifest of indexed files.


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


def _read_state(index_dir: Path, *, with_files: bool = True) -> State | None:
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


def _write_state(index_dir: Path, state: State) -> None:
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


def _load_vocab_text(index_dir: Path, indexname: str) -> str:
    """The vocabulary file as it is: a line ``word<TAB>count`` per word ('' when missing).

    Wildcards are matched against this text with one regular expression, so a search with a
    wildcard reads 20,000 words without parsing them."""
    try:
        return _vocab_path(index_dir, indexname).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""


def _load_vocab(index_dir: Path, indexname: str) -> dict[str, int]:
    """The did-you-mean words and their counts; {} when the file is missing or damaged."""
    return _parse_vocab(_load_vocab_text(index_dir, indexname))


def _parse_vocab(text: str) -> dict[str, int]:
    vocab: dict[str, int] = {}
    for line in text.splitlines():
        word, _, count = line.partition("\t")
        if word and count.isdigit():
            vocab[word] = int(count)
    return vocab


def _save_vocab(index_dir: Path, indexname: str, vocab: dict[str, int]) -> None:
    path = _vocab_path(index_dir, indexname)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text("".join(f"{w}\t{n}\n" for w, n in sorted(vocab.items())), encoding="utf-8")
    os.replace(tmp, path)


def _scan(ws: Workspace) -> dict[str, tuple[str, int, int]]:
    """Every entry file (as ``kb.store.entry_files`` lists them) -> (path, size, mtime_ns).

    One ``os.scandir`` walk with a ``stat`` per file, paths kept as strings: this runs before
    every `kb search`, and building a ``Path`` for each file and resolving it cost more than
    the rest of a search.
    """
    from kb.store import SKIP_NAMES

    root = os.path.abspath(ws.root)
    found: dict[str, tuple[str, int, int]] = {}
    for etype in ws.schema.types:
        folder = os.path.abspath(ws.docs_dir / ws.section_dir(etype.name))
        inside = folder.startswith(root + os.sep)
        stack = [folder]
        while stack:
            try:
                with os.scandir(stack.pop()) as it:
                    items = list(it)
            except OSError:
                continue
            for item in items:
                name = item.name
                try:
                    # like Path.rglob: real folders are walked, symlinked ones are not
                    if item.is_dir(follow_symlinks=False):
                        stack.append(item.path)
                        if not name.endswith(".md"):
                            continue
                    if not name.endswith(".md") or name.lower() in SKIP_NAMES:
                        continue
                    st = item.stat()
                except OSError:
                    continue
                path = item.path
                rel = path[len(root) + 1 :] if inside else ws.relpath(Path(path))
                if os.sep != "/":
                    rel = rel.replace(os.sep, "/")
                found[rel] = (path, st.st_size, st.st_mtime_ns)
    return found


def _sha(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------
# Updating the index.


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


class _Damaged(Exception):
    """The index on disk cannot be read."""


def _open(index_dir: Path, state: State, *, searcher: bool = False):
    """The index (or a searcher on it), checked to be readable; _Damaged when it is not.

    Without memory maps: Whoosh copies each memory-mapped file it opens into a BytesIO, which
    cost more than reading the few blocks a search needs.
    """
    from whoosh.filedb.filestore import FileStorage

    # Whoosh leaves a garbled table of contents open when it fails to read it; the file is closed
    # when the exception goes away, and that must not surface as a ResourceWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            storage = FileStorage(str(index_dir), supports_mmap=False)
            ix = storage.open_index(state.indexname)
            if searcher:
                opened = ix.searcher(weighting=_weighting())
                opened.doc_count()
                return opened
            with ix.reader() as reader:
                reader.doc_count()
            return ix
        except Exception as exc:  # whoosh raises many kinds when files are missing or garbled
            message = _describe(exc)
        gc.collect()
    raise _Damaged(message)


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@contextlib.contextmanager
def _writer_lock(ws: Workspace, wait: float, notice: Callable[[str], None] | None):
    """Hold the index lock; tell ``notice`` when another writer makes us wait."""
    from kb.store import workspace_lock

    lock = workspace_lock(ws, LOCK_NAME, timeout=0)
    try:
        lock.__enter__()
    except KbError:
        if notice:
            notice("another kb process is updating the search index; waiting for it")
        lock = workspace_lock(ws, LOCK_NAME, timeout=wait)
        try:
            lock.__enter__()
        except KbError:
            where = ws.relpath(ws.state_dir / "locks" / f"{LOCK_NAME}.lock")
            raise IndexBusy(
                f"another kb process has been updating the search index for over {wait:.0f} s "
                f"(lock {where}); try again when it has finished"
            ) from None
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
    state = _read_state(index_dir)
    reason = ""
    ix = None
    if rebuild:
        reason = "rebuild requested"
    elif state is None:
        damaged = (index_dir / STATE_FILE).exists() or any(index_dir.glob("*.toc"))
        reason = "the index state was damaged" if damaged else "new index"
    elif state.format != INDEX_FORMAT or state.fingerprint != fp:
        reason = "the schema or index format changed"
    else:
        try:
            ix = _open(index_dir, state)
        except _Damaged as exc:
            reason = f"the index was damaged ({exc})"
    if ix is None:
        return _full_build(ws, index_dir, fp, reason, progress, old=state)
    try:
        return _incremental(ws, ix, index_dir, state, progress)
    except _Damaged as exc:
        return _full_build(ws, index_dir, fp, f"the index was damaged ({exc})", progress, state)


def _read_for_index(
    ws: Workspace, path: Path, rel: str
) -> tuple[Entry | None, Problem | None, bool]:
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


def _writer_class():
    """A Whoosh SegmentWriter that spends less per posting (built on first use: lazy import)."""
    global _WRITER
    if _WRITER is not None:
        return _WRITER
    from whoosh.writing import PostingPool, SegmentWriter

    class Pool(PostingPool):
        def add(self, item):
            # PostingPool.add less its type asserts, with its size estimate folded into one sum
            self.fieldnames.add(item[0])
            self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
            if self.currentsize > self.limit:
                self.save()
            self.current.append(item)

    class Lengths:
        """Field lengths for the postings writer, read once per field instead of per posting."""

        def __init__(self, reader) -> None:
            self.reader = reader
            self.by_field: dict[str, list[int]] = {}

        def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
            lengths = self.by_field.get(fieldname)
            if lengths is None:
                get = self.reader.doc_field_length
                count = self.reader.doc_count_all()
                lengths = self.by_field[fieldname] = [get(d, fieldname) for d in range(count)]
            return lengths[docnum]

    class Writer(SegmentWriter):
        def __init__(self, ix, **kwargs) -> None:
            kwargs.setdefault("codec", _codec_classes()(**CODEC_SETTINGS))
            super().__init__(ix, **kwargs)
            self.pool = Pool(self._tempstorage, self.newsegment, limitmb=kwargs.get("limitmb", 128))

        def _flush_segment(self) -> None:
            # SegmentWriter._flush_segment, handing the postings writer cached lengths
            self.perdocwriter.close()
            reader = self.per_document_reader() if self.codec.length_stats else None
            lengths = Lengths(reader) if reader is not None else None
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            self.fieldwriter.close()
            if reader is not None:
                reader.close()

    _WRITER = Writer
    return Writer


_WRITER: Any = None


@dataclass
class _Built:
    """What indexing a list of entry files produced (in one process)."""

    files: dict[str, FileInfo] = field(default_factory=dict)
    vocab: Counter[str] = field(default_factory=Counter)
    skipped: list[Problem] = field(default_factory=list)
    added: int = 0
    invalid: int = 0
    segment: Any = None


def _add_files(
    ws: Workspace,
    writer,
    items: list[tuple[str, tuple[str, int, int]]],
    kinds: dict[str, str],
    tick: Callable[[], None],
) -> _Built:
    built = _Built()
    for rel, (path, size, mtime) in items:
        sha = _sha(path)
        entry, problem, invalid = _read_for_index(ws, Path(path), rel)
        if entry is None:
            built.skipped.append(problem)
            built.files[rel] = FileInfo.unreadable(size, mtime, sha, problem)
        else:
            doc = document(ws, entry, kinds)
            built.vocab.update(vocabulary(doc))
            writer.add_document(**doc, size=size, mtime_ns=mtime, sha=sha)
            built.files[rel] = FileInfo(size, mtime, sha)
            built.added += 1
            built.invalid += invalid
        tick()
    return built


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux); else rely on EPIPE."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: a write to the closed pipe ends the worker
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _build_in_workers(
    ws: Workspace, ix, parts: list[list], kinds: dict[str, str], tick: Callable[[int], None]
) -> list[_Built]:
    """Index each part in its own forked process, each into its own segment.

    Each worker reads, parses and indexes its own files (Whoosh's MpWriter would leave reading
    and parsing to the parent and pickle every document across). A worker stops when the
    parent is gone, so a killed build does not leave workers writing.
    """
    import multiprocessing as mp
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork")
    parent = os.getpid()
    writer_class = _writer_class()

    def work(items: list, conn, inherited: list) -> None:
        # A forked worker holds copies of the parent's descriptors: the read ends of every pipe
        # (which would keep its own pipe open after the parent's death, so a full pipe blocks
        # for ever) and the index lock (which would outlive the parent). Close the pipe ends and
        # die with the parent, which releases the lock.
        for other in inherited:
            other.close()
        _die_with_parent(parent)
        try:
            writer = writer_class(ix, _lk=False, limitmb=BUILD_MEMORY_MB)
            count = 0

            def step() -> None:
                nonlocal count
                count += 1
                if count % 50 == 0:
                    if os.getppid() != parent:
                        os._exit(1)
                    conn.send(("tick", 50))

            built = _add_files(ws, writer, items, kinds, step)
            built.segment = writer._finalize_segment()
            conn.send(("done", built))
        except BaseException as exc:  # reported by the parent
            conn.send(("error", _describe(exc)))
        finally:
            conn.close()

    workers = []
    for items in parts:
        receive, send = ctx.Pipe(duplex=False)
        inherited = [c for _, c in workers] + [receive]
        proc = ctx.Process(target=work, args=(items, send, inherited), daemon=True)
        proc.start()
        send.close()
        workers.append((proc, receive))
    results: dict[int, _Built] = {}
    try:
        pending = dict(enumerate(workers))
        while pending:
            waitables = [c for _, c in pending.values()] + [p.sentinel for p, _ in pending.values()]
            wait(waitables)
            for k, (proc, conn) in list(pending.items()):
                while conn.poll():
                    try:
                        kind, value = conn.recv()
                    except EOFError:
                        break
                    if kind == "tick":
                        tick(value)
                    elif kind == "done":
                        results[k] = value
                    else:
                        raise KbError(f"indexing failed in a worker process: {value}")
                if k in results:
                    del pending[k]
                elif not proc.is_alive() and not conn.poll():
                    raise KbError(
                        f"an indexing worker process ended unexpectedly (exit {proc.exitcode})"
                    )
    finally:
        for proc, conn in workers:
            if proc.is_alive() and len(results) < len(workers):
                proc.terminate()
            proc.join()
            conn.close()
    return [results[k] for k in range(len(workers))]


def _full_build(
    ws: Workspace,
    index_dir: Path,
    fp: str,
    reason: str,
    progress: Progress | None,
    old: State | None,
) -> IndexReport:
    from whoosh import index as wi

    report = IndexReport(rebuilt=True, reason=reason)
    indexname = f"kb{time.time_ns():x}"
    kinds = field_kinds(ws)
    found = _scan(ws)
    items = sorted(found.items())
    ix = wi.create_in(str(index_dir), build_schema(ws), indexname=indexname)
    procs = FULL_BUILD_PROCS if len(found) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
    if procs > 1 and not hasattr(os, "fork"):  # the workers are forked (not on Windows)
        procs = 1
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, len(items)), len(items))

    writer = None
    try:
        if procs > 1:
            # Every other file to each worker, so both get a similar share of long entries.
            parts = _build_in_workers(ws, ix, [items[k::procs] for k in range(procs)], kinds, tick)
            writer = _writer_class()(ix)
            writer._close_segment()  # nothing added here: publish the workers' segments
            writer._commit_toc([b.segment for b in parts])
            writer._finish()
        else:
            writer = _writer_class()(ix, limitmb=BUILD_MEMORY_MB)
            parts = [_add_files(ws, writer, items, kinds, tick)]
            writer.commit()
    except BaseException:
        if writer is not None and not writer.is_closed:
            writer.cancel()
        raise
    files: dict[str, FileInfo] = {}
    vocab: Counter[str] = Counter()
    for built in parts:
        files.update(built.files)
        vocab.update(built.vocab)
        report.skipped_files.extend(built.skipped)
        report.added += built.added
        report.invalid += built.invalid
    report.skipped_files.sort(key=lambda p: p.path)
    if progress:
        progress(len(items), len(items))
    generation = ix.latest_generation()
    report.total = report.added
    _save_vocab(index_dir, indexname, dict(vocab))
    _write_state(
        index_dir, State(INDEX_FORMAT, fp, indexname, generation, dict(sorted(files.items())))
    )
    close_searchers()
    _remove_other_indexes(index_dir, indexname)
    return report


def _remove_other_indexes(index_dir: Path, keep: str) -> None:
    """Delete files of earlier index generations and of builds that were killed, and Whoosh's
    temporary folders (``<indexname>.tmp``). Called with the index lock held, after a commit:
    no writer is using any of them."""
    import shutil

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
        raise _Damaged(_describe(exc)) from None
    found = _scan(ws)
    files = dict(state.files)
    changed: list[tuple[str, Path, int, int, str]] = []
    touched = False
    for rel, (path, size, mtime) in found.items():
        old = files.get(rel)
        if old and old.size == size and old.mtime_ns == mtime:
            if old.skipped:
                report.skipped_files.append(old.problem(rel))
            else:
                report.unchanged += 1
            continue
        sha = _sha(path)
        if old and old.sha == sha and not old.skipped:
            files[rel] = FileInfo(size, mtime, sha)  # touched, not changed
            report.unchanged += 1
            touched = True
            continue
        changed.append((rel, path, size, mtime, sha))
    removed = [rel for rel in files if rel not in found]
    by_sha = {}
    for rel in removed:
        if not files[rel].skipped:
            by_sha.setdefault(files[rel].sha, []).append(rel)
    if changed or removed:
        kinds = field_kinds(ws)
        vocab = _load_vocab(index_dir, state.indexname)
        try:
            writer = _writer_class()(ix, limitmb=128)
        except Exception as exc:
            raise _Damaged(_describe(exc)) from None
        try:
            for rel in removed:
                writer.delete_by_term("path", rel)
                del files[rel]
            for done, (rel, path, size, mtime, sha) in enumerate(changed, 1):
                old = files.get(rel)
                entry, problem, invalid = _read_for_index(ws, Path(path), rel)
                if entry is None:
                    writer.delete_by_term("path", rel)
                    files[rel] = FileInfo.unreadable(size, mtime, sha, problem)
                    report.skipped_files.append(problem)
                    continue
                doc = document(ws, entry, kinds)
                for word in vocabulary(doc):  # grows only: a stale word costs one empty search
                    vocab[word] = vocab.get(word, 0) + 1
                writer.update_document(**doc, size=size, mtime_ns=mtime, sha=sha)
                files[rel] = FileInfo(size, mtime, sha)
                report.invalid += invalid
                if old and not old.skipped:
                    report.updated += 1
                elif by_sha.get(sha):
                    by_sha[sha].pop()
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
        _save_vocab(index_dir, state.indexname, vocab)
        state.generation = ix.latest_generation()
        touched = True
    elif state.generation == -1:
        state.generation = ix.latest_generation()
        touched = True
    report.skipped_files.sort(key=lambda p: p.path)
    report.total = sum(1 for f in files.values() if not f.skipped)
    if touched:
        state.files = files
        _write_state(index_dir, state)
    # What a killed build left (its segments, temporary files): no other writer runs now.
    _remove_other_indexes(index_dir, state.indexname)
    return report


def is_stale(ws: Workspace) -> bool:
    """True when entry files changed since the index was last updated (or there is none).

    Compares each file's size and mtime with the manifest as read from JSON, without building
    the manifest's objects: this runs before every search.
    """
    state = _read_state(ws.index_dir, with_files=False)
    if state is None or state.format != INDEX_FORMAT or state.fingerprint != fingerprint(ws):
        return True
    try:
        with open(ws.index_dir / MANIFEST_FILE, "rb") as fh:
            files = json.loads(fh.read())
    except (OSError, ValueError):
        return True
    found = _scan(ws)
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


# ---------------------------------------------------------------------------------------------
# Searching.


@dataclass
class Filters:
    """What a PMO filters on; None/empty means no filter."""

    type: str | None = None
    project: str | None = None
    tags: tuple[str, ...] = ()
    category: str | None = None
    phase: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    min_score: int | None = None

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not any(v not in (None, ()) for v in asdict(self).values())


@dataclass
class Hit:
    """One search result."""

    id: str
    type: str
    title: str
    project: str
    date: str
    path: str
    score: float
    snippet: str = ""
    status: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    risk_score: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON shape of one result."""
        return asdict(self)


@dataclass
class SearchResult:
    """Results of one search: ranked hits, the total, facets and a did-you-mean suggestion."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] | None = None
    suggestion: str | None = None
    index: IndexReport | None = None  # set when the search brought the index up to date

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON shape for ``kb search --json``."""
        data: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "hits": [h.to_dict() for h in self.hits],
        }
        if self.facets is not None:
            data["facets"] = {
                name: [{"value": v, "count": c} for v, c in counts]
                for name, counts in self.facets.items()
            }
        return data


def check_filters(ws: Workspace, filters: Filters) -> Filters:
    """Normalized filters; UsageError for a value no entry can have (with the closest one)."""
    out = Filters(**asdict(filters))
    if filters.type:
        etype = ws.schema.get(filters.type)
        if etype is None:
            names = ws.schema.names()
            hint = closest(filters.type, names)
            raise UsageError(
                f"--type: unknown type {filters.type!r}; use one of: {', '.join(names)}"
                + (f" (did you mean {hint!r}?)" if hint else "")
            )
        out.type = etype.name
    for name in ("category", "phase", "status"):
        value = getattr(filters, name)
        if not value:
            continue
        allowed = sorted({c for t in ws.schema.types if (f := t.field(name)) for c in f.choices})
        if allowed and value.lower() not in allowed:
            hint = closest(value, allowed)
            raise UsageError(
                f"--{name}: {value!r} is not a {name}; allowed: {', '.join(allowed)}"
                + (f" (did you mean {hint!r}?)" if hint else "")
            )
        setattr(out, name, value.lower())
    if filters.since and filters.until and filters.since > filters.until:
        raise UsageError(f"--since {filters.since} is after --until {filters.until}")
    return out


def _check_filter_values(searcher, filters: Filters) -> None:
    """--project and --tag take values from the entries: name the known ones when none has it."""
    wanted = [("project", filters.project)] if filters.project else []
    wanted += [("tags", tag) for tag in filters.tags]
    for name, value in wanted:
        term = value.strip().lower()
        known = [t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.lexicon(name)]
        if term in known:
            continue
        option = "--project" if name == "project" else "--tag"
        hint = closest(term, known)
        shown = ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
        raise UsageError(
            f"{option}: no entry has {value!r}"
            + (f" (did you mean {hint!r}?)" if hint else "")
            + (f"; known: {shown}" if known else "")
        )


def _filter_query(filters: Filters):
    from whoosh import query as wq

    parts: list[wq.Query] = []
    if filters.type:
        parts.append(wq.Term("type", filters.type))
    if filters.project:
        parts.append(wq.Term("project", filters.project.strip().lower()))
    for tag in filters.tags:
        parts.append(wq.Term("tags", tag.strip().lower()))
    for name in ("category", "phase", "status"):
        value = getattr(filters, name)
        if value:
            parts.append(wq.Term(name, value.lower()))
    if filters.since or filters.until:
        start = filters.since.isoformat() if filters.since else None
        end = filters.until.isoformat() if filters.until else None
        parts.append(wq.TermRange("date", start, end))
    if filters.min_score is not None:
        parts.append(wq.NumericRange("score", filters.min_score, None))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


@functools.lru_cache(maxsize=1)
def _snippet_analyzer() -> wa.Analyzer:
    return text_analyzer()


def _marked(text: str, wanted: set[str]) -> tuple[str, int]:
    """``text`` with the tokens in ``wanted`` marked **so**; overlapping bigrams merge."""
    spans: list[list[int]] = []
    for t in _snippet_analyzer()(text, chars=True, mode="index"):
        if t.text in wanted:
            if spans and t.startchar <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], t.endchar)
            else:
                spans.append([t.startchar, t.endchar])
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], "**", text[start:end], "**"]
        last = end
    out.append(text[last:])
    return "".join(out), len(spans)


def snippet(body: str, wanted: set[str], width: int = 200) -> str:
    """About ``width`` characters of ``body`` around the first matched token, matches marked.

    Tokenizes only as far as the first match, then the window: a full highlighter re-analyzes
    every hit's whole body, which cost more than the search itself.
    """
    first = None
    if wanted:
        for t in _snippet_analyzer()(body, chars=True, mode="index"):
            if t.text in wanted:
                first = t.startchar
                break
    if first is None:
        return _lead(body, width)
    if is_cjk(body[first : first + 4]):
        width //= 2  # a Chinese character says about as much as a short English word
    start = max(0, first - width // 4)
    if start:
        space = body.rfind(" ", max(0, start - 15), first)
        start = space + 1 if space >= 0 else start
    end = min(len(body), start + width)
    if end < len(body):
        space = body.find(" ", end - 15, end + 15)
        end = space if space >= 0 else end
    marked, _ = _marked(body[start:end], wanted)
    text = re.sub(r"\s+", " ", marked).strip()
    return ("…" if start else "") + text + ("…" if end < len(body) else "")


def _multifield_plugin(names: list[str], boosts: dict[str, float]):
    """Whoosh's MultifieldPlugin, except that a bare word the text analyzer drops entirely (a
    stop word, lone punctuation, an emoji) is not searched in the tags either.

    The tags keep stop words and punctuation, so "the" would otherwise become a required
    ``tags:the`` and "the migration" would find nothing. Such a word is left out of the query.
    """
    import copy

    from whoosh.qparser import plugins, syntax

    text_only = [n for n in names if n in TEXT_FIELDS]

    class Multifield(plugins.MultifieldPlugin):
        def do_multifield(self, parser, group):
            for i, node in enumerate(group):
                if isinstance(node, syntax.GroupNode):
                    group[i] = self.do_multifield(parser, node)
                elif node.has_fieldname and node.fieldname is None:
                    fields = self.fieldnames
                    if type(node) is syntax.WordNode and not index_terms(node.text)[0]:
                        fields = text_only  # each yields no query: the word drops out
                    newnodes = []
                    for fname in fields:
                        newnode = copy.copy(node)
                        newnode.set_fieldname(fname)
                        newnode.set_boost(self.boosts.get(fname, 1.0))
                        newnodes.append(newnode)
                    group[i] = self.group(newnodes)
            return group

    return Multifield(names, fieldboosts=boosts)


def _parser(ix_schema, fieldnames: Iterable[str] | None = None, group=None):
    from whoosh import qparser

    names = list(fieldnames or DEFAULT_FIELDS)
    boosts = {n: DEFAULT_FIELDS.get(n, 1.0) for n in names}
    kwargs = {}
    if group is not None:
        kwargs["group"] = group
    parser = qparser.QueryParser(None, ix_schema, **kwargs)
    parser.add_plugin(_multifield_plugin(names, boosts))
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({"tags": ["tag"], "type": ["kind_of"]}))
    return parser


def _expand_single_cjk(q):
    """A lone Chinese character is not a token of the index (bigrams are): match bigrams with it."""
    from whoosh import query as wq

    def visit(node):
        if (
            isinstance(node, wq.Term)
            and node.fieldname in TEXT_FIELDS
            and isinstance(node.text, str)
            and len(node.text) == 1
            and is_cjk(node.text)
        ):
            ch = node.text
            return wq.Or(
                [
                    wq.Term(node.fieldname, ch, boost=node.boost),
                    wq.Prefix(node.fieldname, ch, boost=node.boost),
                    wq.Wildcard(node.fieldname, "?" + ch, boost=node.boost),
                ]
            )
        return node if node.is_leaf() else node.apply(visit)

    return visit(q)


_FIELD_REF = re.compile(r'(?<![\w"])([A-Za-z_][A-Za-z0-9_]*):(?!//)(?=\S)')
_TYPE_VALUE = re.compile(r"(?<![\w\"])(type|kind_of):([^\s()\"]+)", re.I)
_QUERY_ALIASES = {"tag": "tags", "kind_of": "type"}


def _outside_quotes(text: str) -> list[str]:
    return text.split('"')[::2]


def normalize_query(ws: Workspace, ix_schema, text: str) -> str:
    """Check the field names a query uses, and write ``type:`` values as canonical type names.

    Whoosh would read an unknown ``field:`` as text and quietly find nothing; a PM gets told
    which fields exist instead. ``type:Lesson`` and ``type:ll`` mean ``type:lesson``.
    """
    names = set(ix_schema.names())
    unknown = sorted(
        {
            m.group(1)
            for part in _outside_quotes(text)
            for m in _FIELD_REF.finditer(part)
            if m.group(1) not in names and m.group(1).lower() not in _QUERY_ALIASES
        }
    )
    if unknown:
        searchable = sorted(names - {"path", "size", "mtime_ns", "sha", "extra"})
        raise UsageError(
            f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in the query; "
            f"fields: {', '.join(searchable)}"
        )

    def canonical(m: re.Match[str]) -> str:
        etype = ws.schema.get(m.group(2))
        return f"{m.group(1)}:{etype.name if etype else m.group(2).lower()}"

    parts = text.split('"')
    parts[::2] = [_TYPE_VALUE.sub(canonical, part) for part in parts[::2]]
    return '"'.join(parts)


def parse_query(ix_schema, text: str):
    """A Whoosh query from the query language; UsageError when it cannot be understood."""
    from whoosh import query as wq

    if not text.strip() or text.strip() == "*":
        return wq.Every()
    if len(text) > MAX_QUERY_CHARS:  # Whoosh's parser slows down badly on huge input
        raise UsageError(f"the query is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,}")
    if re.search(r"\bNOT\s+NOT\b", text):
        raise UsageError(f"cannot understand the query {text!r}: NOT NOT cancels out; drop both")
    try:
        q = _parser(ix_schema).parse(text)
    except Exception as exc:
        raise UsageError(f"cannot understand the query {text!r}: {_describe(exc)}") from None
    if q is None or q is wq.NullQuery:
        return wq.NullQuery
    return _expand_single_cjk(_and_not_as_not(q))


def _and_not_as_not(q):
    """``a ANDNOT b`` as ``a AND NOT b``: Whoosh's AndNot matcher returns excluded and deleted
    documents once a segment has deletions, and the same set is what the total counts."""
    from whoosh import query as wq

    def visit(node):
        if node.is_leaf():
            return node
        node = node.apply(visit)
        if type(node) is wq.AndNot:
            return wq.And([node.a, wq.Not(node.b)], boost=node.boost)
        return node

    return visit(q)


def _weighting():
    """Whoosh's BM25F, reading each document's field length from a list instead of a column.

    Ranking scores every matching document (see ``_ranked``), and Whoosh's scorer looks each
    length up through five calls into the on-disk column; here a segment's lengths for a field
    are read at once, the first time a search scores that field, and kept with the reader.
    The scores are the same (a test compares them).
    """
    from whoosh import scoring

    class BM25F(scoring.BM25F):
        kb_bm25f = True  # Whoosh's BM25F, only faster: _scores_of may score for it

        def scorer(self, searcher, fieldname, text, qf=1):
            scorer = super().scorer(searcher, fieldname, text, qf=qf)
            if type(scorer) is scoring.BM25FScorer:
                lengths = _field_lengths(searcher.reader(), fieldname)
                if lengths is not None:
                    scorer.dfl = lengths.__getitem__
            return scorer

    return BM25F()


def _field_lengths(reader, fieldname: str) -> list | None:
    """Every document's length of ``fieldname`` in one segment, as doc_field_length gives it."""
    cache = reader.__dict__.setdefault("_kb_decoded_lengths", {})
    if fieldname not in cache:
        raw = _length_bytes(reader, fieldname)
        table = [None] + _byte_lengths()[1:]
        cache[fieldname] = None if raw is None else [table[b] for b in raw]
    return cache[fieldname]


def _length_bytes(reader, fieldname: str) -> bytes | None:
    """Every document's length of ``fieldname`` in one segment as Whoosh stores it, a byte per
    document (``byte_to_length`` decodes it); None when the codec is not Whoosh 2.7's.

    Read once per segment and field, kept with the reader."""
    cache = reader.__dict__.setdefault("_kb_lengths", {})
    if fieldname in cache:
        return cache[fieldname]
    raw = None
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is not None and column._fixedlen == 1:
            raw = column._dbfile.get(column._basepos, column._count)
            raw += bytes(reader.doc_count_all() - len(raw))
    except (AttributeError, ImportError, TypeError):  # not whoosh 2.7's codec: the slow way
        raw = None
    cache[fieldname] = raw
    return raw


@functools.cache
def _byte_lengths() -> list[int]:
    """The field length each of the 256 length bytes stands for."""
    from whoosh.util.numeric import byte_to_length

    return [byte_to_length(b) for b in range(256)]


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
    searcher = _open(index_dir, state, searcher=True)
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
) -> Iterator[tuple[Any, Any]]:
    """A Whoosh searcher on an up-to-date index (updating or rebuilding it first if needed).

    ``notice`` hears about waiting for another process that is writing the index.
    """
    report = None
    if refresh and is_stale(ws):
        report = update_index(ws, notice=notice)
    state = _read_state(ws.index_dir, with_files=False)
    searcher = None
    if state is not None:
        try:
            searcher = _searcher(ws.index_dir, state)
        except _Damaged:
            searcher = None
    if searcher is None:
        close_searchers()
        report = update_index(ws, notice=notice)
        state = _read_state(ws.index_dir, with_files=False)
        if state is None:
            raise KbError(f"cannot build the search index in {ws.relpath(ws.index_dir)}")
        try:
            searcher = _searcher(ws.index_dir, state)
        except _Damaged as exc:
            raise KbError(f"the search index cannot be read after a rebuild ({exc})") from None
    yield searcher, report


def _indexed_body(ws: Workspace, rel: str) -> str:
    """The body of an entry as it is indexed, read from its file ('' when it cannot be read).

    The index does not store bodies: they were most of its stored data, which Whoosh copies into
    memory whenever it opens the index. Only the hits shown need them.
    """
    from kb.entry import body_of
    from kb.store import read_text

    try:
        return _clean_body(body_of(read_text(ws, ws.root / rel, rel)))
    except (KbError, OSError):
        return ""


def _hit(result, body: str) -> Hit:
    f = result.fields()
    tags = [t for t in (f.get("tags") or "").split(",") if t]
    score = f.get("score")
    return Hit(
        id=f.get("id", ""),
        type=f.get("type", ""),
        title=f.get("title", ""),
        project=f.get("project", ""),
        date=f.get("date", ""),
        path=f.get("path", ""),
        score=round(float(result.score), 3) if isinstance(result.score, float) else 0.0,
        snippet=body,
        status=f.get("status", ""),
        category=f.get("category", ""),
        tags=tags,
        risk_score=int(score) if isinstance(score, (int, float)) else None,
    )


def _facets(searcher, docs: set[int]) -> dict[str, list[tuple[str, int]]]:
    """Counts of ``docs`` by each value of the facet fields, segment by segment, posting lists
    read a block at a time."""
    segments = []
    for subsearcher, offset in searcher.leaf_searchers():
        size = subsearcher.reader().doc_count_all()
        local = {d - offset for d in docs if offset <= d < offset + size}
        segments.append((subsearcher.reader(), offset, local))
    out: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        if name not in searcher.schema:
            continue
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for reader, offset, local in segments:
            if not local:
                continue
            for term, info in reader.iter_field(name):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                postings = _read_term(reader, name, term, info=info)
                ids = postings.ids if postings is not None else _postings(reader, name, term)[0]
                found = local.intersection(ids)
                if found:
                    counts[value] += len(found)
                    first.setdefault(value, min(found) + offset)
        pairs = []
        for value, count in counts.items():
            if name == "project":  # show the name as written, not as indexed
                value = searcher.stored_fields(first[value]).get("project", value)
            pairs.append((value, count))
        pairs.sort(key=lambda vc: (-vc[1], vc[0]))
        out["tag" if name == "tags" else name] = pairs
    return out


# Longer words get no did-you-mean: the edit-distance search grows with the word (a
# 100,000-character word took 46 s), and no real word is this long.
MAX_SUGGEST_LENGTH = 40


def _closest_word(word: str, vocab: dict[str, int]) -> str | None:
    """The most frequent vocabulary word within edit distance 1, else 2 (first letter kept)."""
    from whoosh.spelling import ListCorrector

    if not vocab or len(word) > MAX_SUGGEST_LENGTH:  # Whoosh's corrector fails on an empty list
        return None
    corrector = ListCorrector(sorted(vocab))
    best: tuple[int, int, str] | None = None
    for score, candidate in corrector._suggestions(word, 2, 1):
        key = (-score, -vocab.get(candidate, 0), candidate)  # distance, then frequency
        if candidate != word and (best is None or key < best):
            best = key
    return best[2] if best else None


def _suggest(
    searcher, vocab: Callable[[], dict[str, int]], text: str, cache: dict | None = None
) -> str | None:
    """The query with unknown words replaced by the closest words of the index, or None.

    ``cache``: the search's; a word whose postings it read and found is known without a look
    in the term index."""
    reader = searcher.reader()
    changed = False
    words: dict[str, int] | None = None
    found = {(k[2], k[3]) for k, v in (cache or {}).items() if k[0] == "postings" and v.ids}

    def known(low: str) -> bool:
        stemmed = _stem(low)
        btext = stemmed.encode("utf-8")
        if any((f, btext) in found for f in TEXT_FIELDS) or ("tags", low.encode()) in found:
            return True
        return any(reader.doc_frequency(f, stemmed) for f in TEXT_FIELDS) or bool(
            reader.doc_frequency("tags", low)
        )

    def fix(m: re.Match) -> str:
        nonlocal changed, words
        word = m.group(0)
        if word in ("AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"):
            return word
        low = word.lower()
        if low in _STOP_WORDS or known(low):  # stop words are not indexed: nothing to correct
            return word
        if words is None:
            words = vocab()
        found = _closest_word(low, words)
        if found:
            changed = True
            return found
        return word

    fixed = re.sub(r"(?<![\w:*?])[A-Za-z][A-Za-z'-]{2,}(?![\w:*?])", fix, text)
    return fixed if changed else None


# Document sets. Whoosh finds the total of a search by running the query a second time through
# its matchers, one posting at a time; for words, OR, AND and NOT the same set comes from posting
# lists read a block at a time and combined with set operations, and a phrase is checked only in
# the documents holding all its words. Anything else is left to Whoosh.

_SET_FIELDS = (wf.TEXT, wf.ID, wf.KEYWORD)


@dataclass
class _TermPostings:
    """One term's postings in one segment, deleted documents left out."""

    ids: list[int]
    weights: list[float]
    positions: Any = None  # array of every posting's positions, one after another
    begins: list[int] | None = None  # posting i's positions: positions[begins[i]:ends[i]]
    ends: list[int] | None = None
    max_weight: float | None = None  # the term's statistics in the segment (deleted documents
    min_length: int | None = None  # included): what bounds its best possible score
    _where: dict[int, int] | None = None

    def where(self) -> dict[int, int]:
        """Document -> its posting's number (the index into ids, weights, begins and ends)."""
        if self._where is None:
            self._where = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._where


_EMPTY = _TermPostings([], [])
_BLOCK_SIZE = struct.Struct("!i").unpack_from


def _read_term(
    reader, fieldname: str, text: Any, positions: bool = False, info=None
) -> _TermPostings | None:
    """The postings of one term in one segment, read straight from a ``KbCodec`` segment's
    postings file: a term's blocks are fetched in one read and each is unpickled once, instead
    of a chain of matcher calls per block. None: not such a segment (use Whoosh's matcher).

    ``positions``: also the positions of a text field's postings (``IndexPositions``).
    ``info``: the term's info when the caller has it (from ``reader.iter_field``).
    """
    try:
        terms = reader._terms
        postfile = terms._postfile
        codec = terms._codec
    except AttributeError:
        return None
    if type(codec) is not _codec_classes():
        return None
    if info is None:
        try:
            info = reader.term_info(fieldname, text)
        except Exception:  # TermNotFound, and a term the field cannot encode
            return _EMPTY
    ids: list[int] = []
    weights: list[float] = []
    blobs: list[bytes] = []
    lengths = array("I")
    if info.is_inlined():
        inl_ids, inl_weights, inl_values = info.inlined_postings()
        ids.extend(inl_ids)
        weights.extend(inl_weights)
        if positions:
            blobs.extend(inl_values)
            lengths.extend(len(v) // IndexPositions.value_unit for v in inl_values)
    else:
        offset, length = info.extent()
        if isinstance(length, tuple):  # whoosh-reloaded 2.7.5 reads it back as a 1-tuple
            length = length[0]
        buf = postfile.get(offset, length)
        if buf[:4] != b"W3Bl":
            return None
        stream = io.BytesIO(buf)
        load, loads, decompress = pickle.load, pickle.loads, zlib.decompress
        accumulate = itertools.accumulate
        pos = 4
        while pos < length:
            size = abs(_BLOCK_SIZE(buf, pos)[0])
            stream.seek(pos + 4)
            count, _last, _maxweight, compressed, _minlen, _maxlen = load(stream)
            end = pos + 4 + size
            data = buf[stream.tell() : end]
            block_ids, block_weights, block_values = loads(decompress(data) if compressed else data)
            ids.extend(accumulate(block_ids))
            if block_weights is None:
                weights.extend([1.0] * count)
            elif isinstance(block_weights, float):
                weights.extend([block_weights] * count)
            else:
                weights.extend(block_weights)
            if positions:
                blobs.append(block_values[0])
                lengths.frombytes(block_values[1])
            pos = end
    found = _TermPostings(ids, weights, max_weight=info.max_weight(), min_length=info.min_length())
    if positions:
        found.positions = array(_POS_TYPE, b"".join(blobs))
        starts = list(itertools.accumulate(lengths, initial=0))  # lengths count positions
        found.begins, found.ends = starts[:-1], starts[1:]
    if reader.has_deletions():
        deleted = reader.deleted_docs_set
        keep = [i for i, d in enumerate(ids) if d not in deleted]
        if len(keep) < len(ids):
            found.ids = [ids[i] for i in keep]
            found.weights = [weights[i] for i in keep]
            if positions:
                found.begins = [found.begins[i] for i in keep]
                found.ends = [found.ends[i] for i in keep]
    return found


def _postings(reader, fieldname: str, text: Any, extra: str = "") -> tuple[list, list]:
    """Document numbers of one term in one segment, deleted documents left out, and with
    ``extra="weights"`` their weights."""
    from whoosh.matching.wrappers import FilterMatcher

    fast = _read_term(reader, fieldname, text)
    if fast is not None:
        return fast.ids, (fast.weights if extra == "weights" else [])
    try:
        m = reader.postings(fieldname, text)
    except Exception:  # TermNotFound, and a term the field cannot encode
        return [], []
    deleted: Any = ()
    if isinstance(m, FilterMatcher):
        deleted = reader.deleted_docs_set
        m = m.child
    ids: list[int] = []
    more: list[Any] = []
    while m.is_active():
        ids.append(m.id())
        if extra:
            more.append(m.weight())
        m.next()
    if deleted:
        keep = [i for i, d in enumerate(ids) if d not in deleted]
        ids = [ids[i] for i in keep]
        more = [more[i] for i in keep] if extra else more
    return ids, more


def _field(schema, name: str):
    """The field ``name`` of a Whoosh schema, or None."""
    try:
        return schema[name]
    except KeyError:
        return None


def _phrase_docs(subsearcher, q, cache: dict | None = None) -> set[int] | None:
    """Documents of one segment holding the words of ``q`` one after the other; None: not handled.

    ``cache`` keeps the answer for the rest of one search (ranking and total both need it).
    """
    reader = subsearcher.reader()
    key = (id(reader), q.fieldname, tuple(q.words), q.slop)
    if cache is not None and key in cache:
        return cache[key]
    found = _find_phrase(subsearcher, q, cache)
    if cache is not None:
        cache[key] = found
    return found


def _find_phrase(subsearcher, q, cache: dict | None = None) -> set[int] | None:
    reader = subsearcher.reader()
    field = _field(subsearcher.schema, q.fieldname)
    if (
        q.slop != 1
        or len(q.words) < 2
        or field is None
        or not isinstance(field.format, IndexPositions)
    ):
        return None
    lists = []
    for word in q.words:
        postings = _term_postings(reader, q.fieldname, field.to_bytes(word), cache, positions=True)
        if not postings.ids:
            return set()
        if postings.positions is None:  # not a KbCodec segment: Whoosh's phrase matcher
            return None
        lists.append(postings)
    candidates = set(lists[0].ids).intersection(*(p.ids for p in lists[1:]))
    if not candidates:
        return set()
    where = [p.where() for p in lists]
    found = set()
    if len(lists) == 2:  # the common case: is a position of the first word + 1 one of the second?
        (wa, wb), (pa, pb) = where, (p.positions for p in lists)
        (ba, ea), (bb, eb) = ((p.begins, p.ends) for p in lists)
        for doc in candidates:
            i = wa[doc]
            j = wb[doc]
            second = pb[bb[j] : eb[j]]
            for pos in pa[ba[i] : ea[i]]:  # a word is in a document a few times: no set
                if pos + 1 in second:
                    found.add(doc)
                    break
        return found
    # Each word's positions moved back by its place in the phrase: a document holds the phrase
    # where all words then share a position.
    moved = [array("l", map((-k).__add__, p.positions)) for k, p in enumerate(lists[1:], 1)]
    first, rest = lists[0], list(zip(where[1:], lists[1:], moved, strict=True))
    for doc in candidates:
        i = where[0][doc]
        common = set(first.positions[first.begins[i] : first.ends[i]])
        for w, p, pos in rest:
            j = w[doc]
            common.intersection_update(pos[p.begins[j] : p.ends[j]])
            if not common:
                break
        if common:
            found.add(doc)
    return found


def _segment_docs(subsearcher, q, cache: dict) -> set[int]:
    """The documents of one segment that match ``q`` (segment document numbers)."""
    from whoosh import query as wq

    kind = type(q)
    if q is wq.NullQuery or kind is wq.NullQuery.__class__:
        return set()
    if kind is wq.Term and isinstance(subsearcher.schema[q.fieldname], _SET_FIELDS):
        try:
            btext = subsearcher.schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return set(q.docs(subsearcher))
        return set(_term_postings(subsearcher.reader(), q.fieldname, btext, cache).ids)
    if kind is wq.Or and not getattr(q, "minmatch", 0):
        out: set[int] = set()
        for child in q.subqueries:
            out |= _segment_docs(subsearcher, child, cache)
        return out
    if kind is wq.And:
        result: set[int] | None = None
        for child in q.subqueries:
            docs = _segment_docs(subsearcher, child, cache)
            result = docs if result is None else result & docs
            if not result:
                return set()
        return result or set()
    if kind is wq.AndNot:
        docs = _segment_docs(subsearcher, q.a, cache)
        return docs - _segment_docs(subsearcher, q.b, cache) if docs else docs
    if kind is wq.Not:
        every = set(subsearcher.reader().all_doc_ids())
        return every - _segment_docs(subsearcher, q.query, cache)
    if kind is wq.Phrase:
        found = _phrase_docs(subsearcher, q, cache)
        if found is not None:
            return found
    if kind.__name__ == "PhraseBySet" and getattr(q, "phrase", None) is not None:
        found = _phrase_docs(subsearcher, q.phrase, q.cache)
        if found is not None:
            return found
    if kind is wq.TermRange:
        found = _range_docs(subsearcher, q)
        if found is not None:
            return found
    return set(q.docs(subsearcher))


def _range_docs(subsearcher, q) -> set[int] | None:
    """A range over a sortable text field (the date) from its column, sorted once per segment
    and kept with the reader, cut with two binary searches instead of a test per document."""
    import bisect

    reader = subsearcher.reader()
    field = _field(subsearcher.schema, q.fieldname)
    if not isinstance(field, wf.ID) or not reader.has_column(q.fieldname):
        return None
    start, end = q.start, q.end
    if not isinstance(start, (str, type(None))) or not isinstance(end, (str, type(None))):
        return None
    columns = reader.__dict__.setdefault("_kb_sorted_columns", {})
    if q.fieldname not in columns:
        pairs = sorted((v, d) for d, v in enumerate(reader.column_reader(q.fieldname)) if v)
        columns[q.fieldname] = ([v for v, _ in pairs], [d for _, d in pairs])
    values, docs = columns[q.fieldname]
    lo = (
        0
        if start is None
        else (bisect.bisect_right if q.startexcl else bisect.bisect_left)(values, start)
    )
    hi = (
        len(values)
        if end is None
        else (bisect.bisect_left if q.endexcl else bisect.bisect_right)(values, end)
    )
    found = set(docs[lo:hi])
    if reader.has_deletions():
        found -= reader.deleted_docs_set
    return found


def matching_docs(searcher, q, cache: dict | None = None) -> set[int]:
    """Every document number matching ``q``: the same set as ``searcher.docs_for_query(q)``."""
    cache = {} if cache is None else cache
    out: set[int] = set()
    for subsearcher, offset in searcher.leaf_searchers():
        docs = _segment_docs(subsearcher, q, cache)
        out |= {d + offset for d in docs} if offset else docs
    return out


def _ranking_query(q, cache: dict):
    """``q`` with each phrase found by ``_phrase_docs`` and scored as Whoosh scores a phrase.

    Whoosh scores a phrase as the AND of its words (the span matcher passes the intersection's
    score through) but checks positions in every document holding all the words, one span at a
    time. Here the documents come from ``_phrase_docs`` and the AND only scores them.
    """
    from whoosh import matching
    from whoosh import query as wq
    from whoosh.matching.wrappers import FilterMatcher
    from whoosh.query.wrappers import WrappingQuery

    class InSet(FilterMatcher):
        # Whoosh's FilterMatcher passes block-quality skipping through to its child, which can
        # stop on a document outside the set; a phrase matcher does not skip by quality either.
        def supports_block_quality(self) -> bool:
            return False

        def next(self) -> bool:
            self.child.next()
            self._find_next()
            return False

    class PhraseBySet(WrappingQuery):
        def __init__(self, phrase) -> None:
            # The boost goes on the words: Whoosh's WrappingMatcher.replace() compares the
            # unboosted quality with the boosted minimum score and would drop the phrase.
            words = [wq.Term(phrase.fieldname, w, boost=phrase.boost) for w in phrase.words]
            super().__init__(wq.And(words))
            self.phrase = phrase
            self.cache = cache

        def _rewrap(self, child):
            return self  # nothing below a phrase is rewritten

        def matcher(self, searcher, context=None):
            docs = _phrase_docs(searcher, self.phrase, cache)
            if docs is None:
                return self.phrase.matcher(searcher, context)
            if not docs:
                return matching.NullMatcher()
            m = self.child.matcher(searcher, context)
            if not m.is_active():
                return m
            return InSet(m, docs, exclude=False)

    def visit(node):
        if type(node) is wq.Phrase and node.slop == 1 and len(node.words) > 1:
            return PhraseBySet(node)
        return node if node.is_leaf() else node.apply(visit)

    return visit(q.copy())


class _Bm25Parts(dict):
    """The part of Whoosh's ``bm25()`` after the idf, for one field's statistics: for each term
    weight, a list of its value at each of the 256 field lengths Whoosh stores (a length byte).

    A score is then ``idf * parts[weight][length_byte]``, the same product ``bm25()`` computes,
    looked up in C instead of computed by a Python call per posting."""

    def __init__(self, avgfl: float, b: float, k1: float) -> None:
        super().__init__()
        self.avgfl, self.b, self.k1 = avgfl, b, k1

    def __missing__(self, tf: float) -> list[float]:
        stats = (self.avgfl, self.b, self.k1)
        value = self[tf] = [_bm25_part(tf, fl, *stats) for fl in _byte_lengths()]
        return value


def _bm25_part(tf: float, fl: float, avgfl: float, b: float, k1: float) -> float:
    """Whoosh's ``bm25()`` without its idf factor, operation for operation (so the same
    rounding): ``bm25(idf, ...) == idf * _bm25_part(...)``."""
    return (tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl))


_BM25_PARTS: dict[tuple[float, float, float], _Bm25Parts] = {}


def _term_model(searcher, term, cache: dict | None, context=None):
    """(postings, idf, (average field length, B, K1)) of ``term`` in one segment: what Whoosh's
    BM25F scorer scores it with, taken from the top-level searcher as BM25FScorer does but
    without building one per term; (postings, None, None) for a field without lengths (an id
    or keyword field), which BM25F scores by the posting's weight; None when it is not a term
    this can score."""
    from whoosh import scoring

    field = _field(searcher.schema, term.fieldname)
    if field is None:
        return None
    try:
        btext = field.to_bytes(term.text)
    except ValueError:
        return None
    weighting = context.weighting if context is not None else None
    weighting = weighting or searcher.weighting
    if type(weighting) is not scoring.BM25F and not getattr(weighting, "kb_bm25f", False):
        return None
    postings = _term_postings(searcher.reader(), term.fieldname, btext, cache)
    if not field.scorable:
        return postings, None, None
    parent = searcher.get_parent()
    stats = (
        parent.avg_field_length(term.fieldname) or 1,
        weighting._field_B.get(term.fieldname, weighting.B),
        weighting.K1,
    )
    idf = parent.idf(term.fieldname, btext) if postings.ids else 0.0  # (no idf of an empty index)
    return postings, idf, stats


def _scores_of(searcher, term, cache: dict | None, context=None, only: set[int] | None = None):
    """(document numbers, an iterator of their scores) of ``term`` in one segment, as Whoosh's
    term matcher scores them (BM25F on each posting's weight and the document's field length,
    times the term's boost); ``([], iter(()))`` when the term is not there; None when it is
    not a term this can score (Whoosh's own matcher is used instead).

    ``only``: score just those of these documents that hold the term."""
    model = _term_model(searcher, term, cache, context)
    if model is None:
        return None
    postings, idf, stats = model
    ids, weights = postings.ids, postings.weights
    if only is not None and (len(only) < len(ids) or not only.issuperset(ids)):
        where = postings.where()
        ids = list(where.keys() & only)
        weights = list(map(weights.__getitem__, map(where.__getitem__, ids)))
    if not ids:
        return [], iter(())
    if stats is None:  # Whoosh's WeightScorer: the weight, times the term's boost
        return ids, map(float(term.boost).__rmul__, weights) if term.boost != 1.0 else iter(weights)
    lengths = _length_bytes(searcher.reader(), term.fieldname)
    if lengths is None:
        return None
    parts = _BM25_PARTS.get(stats)
    if parts is None or len(parts) > 1000:
        if len(_BM25_PARTS) > 64:
            _BM25_PARTS.clear()
        parts = _BM25_PARTS[stats] = _Bm25Parts(*stats)
    by_length = map(parts.__getitem__, weights)
    scores: Iterator[float] = map(
        idf.__mul__, map(list.__getitem__, by_length, map(lengths.__getitem__, ids))
    )
    if term.boost != 1.0:
        scores = map(float(term.boost).__rmul__, scores)  # score * boost, as Whoosh has it
    return ids, scores


def _term_postings(reader, fieldname: str, btext: bytes, cache: dict | None, positions=False):
    """``_read_term`` (or Whoosh's matcher where it cannot), kept in ``cache`` for the rest of
    one search: a phrase's words are read for the phrase and again to be scored."""
    key = ("postings", id(reader), fieldname, btext)
    found = cache.get(key) if cache is not None else None
    if found is not None and (found.positions is not None or not positions):
        return found
    found = _read_term(reader, fieldname, btext, positions=positions)
    if found is None:
        ids, weights = _postings(reader, fieldname, btext, "weights")
        found = _TermPostings(ids, list(weights))
    if cache is not None:
        cache[key] = found
    return found


def _scored_postings(searcher, term, context=None):
    """A matcher over the postings of ``term`` with their scores computed up front (see
    ``_scores_of``); None when the term is not one this can do."""
    from whoosh import matching

    found = _scores_of(searcher, term, None, context)
    if found is None:
        return None
    if not found[0]:
        return matching.NullMatcher()
    return matching.ListMatcher(found[0], list(found[1]))


def _term_scores(
    searcher, term, cache: dict | None = None, only: set[int] | None = None
) -> dict[int, float] | None:
    """{document: score} of a term in one segment, as Whoosh's matcher scores it (``only``:
    of these documents); None: not a term this can score."""
    found = _scores_of(searcher, term, cache, only=only)
    return None if found is None else dict(zip(found[0], found[1], strict=True))


def _bulk_scores(
    searcher, node, cache: dict, only: set[int] | None = None
) -> dict[int, float] | None:
    """{document: score} for the common shapes of a ranking query, in one segment, summed in
    the order Whoosh's matchers sum them; None for any other shape. ``only``: of these
    documents only (the rest of the query's documents are left out).

    The shapes: a term, a phrase (``_ranking_query``'s), an OR of those (what a word or phrase
    typed in the search box becomes: one per field), and an AND of two of those. Whoosh walks
    such queries one posting at a time through a tree of matchers; here each term's postings
    are scored in one pass and combined with dictionaries.
    """
    from whoosh import query as wq

    kind = type(node)
    if kind is wq.Term:
        return _term_scores(searcher, node, cache, only=only)
    if node is wq.NullQuery:  # a wildcard that matched no word
        return {}
    if getattr(node, "phrase", None) is not None and kind.__name__ == "PhraseBySet":
        docs = _phrase_docs(searcher, node.phrase, node.cache)
        if docs is None:
            return None
        if only is not None:
            docs = docs & only
        if not docs:
            return {}
        # As Whoosh's phrase matcher: the words' own scores added in a binary tree (its
        # intersection of the words' matchers), the sum times the phrase's boost
        phrase = node.phrase
        words = []
        for word in phrase.words:
            scores = _term_scores(searcher, wq.Term(phrase.fieldname, word), cache, only=docs)
            if scores is None:
                return None
            words.append(scores)
        out = _tree_sum(words, docs)
        if phrase.boost != 1.0:
            out = dict(zip(out, map(float(phrase.boost).__rmul__, out.values()), strict=True))
        return out
    if kind is wq.Or and not node.minmatch and node.scale is None:
        total: dict[int, float] = {}
        boost = node.boost
        for child in node.subqueries:
            scores = _bulk_scores(searcher, child, cache, only)
            if scores is None:
                return None
            if boost != 1.0:
                scores = dict(zip(scores, map(float(boost).__rmul__, scores.values()), strict=True))
            # total[d] + scores[d] where both have d (in the order Whoosh adds them), else
            # whichever has it (0.0 + x == x): dictionary unions in C, a loop over the overlap
            common = total.keys() & scores.keys()
            merged = total | scores
            for d in common:
                merged[d] = total[d] + scores[d]
            total = merged
        if total and min(total.values()) <= 0:  # Whoosh's array union keeps positive sums only
            total = {d: sc for d, sc in total.items() if sc > 0}
        return total
    if kind is wq.And and len(node.subqueries) == 2 and node.boost == 1.0:
        negated = [c for c in node.subqueries if type(c) is wq.Not]
        if len(negated) == 1 and negated[0].boost == 1.0:
            # Whoosh intersects with the inverse of the NOT, which scores 1.0 for every document
            other = next(c for c in node.subqueries if c is not negated[0])
            scores = _bulk_scores(searcher, other, cache, only)
            if scores is None:
                return None
            excluded = _segment_docs(searcher, _unwrap(negated[0].query), cache)
            return {d: sc + 1.0 for d, sc in scores.items() if d not in excluded}
        a, b = (_bulk_scores(searcher, child, cache, only) for child in node.subqueries)
        if a is None or b is None:
            return None
        if len(b) < len(a):
            a, b = b, a
        return {d: sc + b[d] for d, sc in a.items() if d in b}  # a + b == b + a exactly
    return None


def _tree_sum(parts: list[dict[int, float]], docs: set[int]) -> dict[int, float]:
    """{d: sum of the parts' scores of d} for ``docs`` (in every part), added as Whoosh's
    ``make_binary_tree`` pairs its matchers: a + (b + c), (a + b) + (c + d)."""
    if len(parts) == 1:
        return {d: parts[0][d] for d in docs}
    half = len(parts) // 2
    left, right = _tree_sum(parts[:half], docs), _tree_sum(parts[half:], docs)
    return {d: sc + right[d] for d, sc in left.items()}


def _bounds(searcher, node, cache: dict, boost: float = 1.0):
    """([(best possible score, its documents)] for each term and phrase of a ranking query of
    ``_bulk_scores``' shapes, and a score every matching document gets on top (the 1.0 of an
    AND NOT)) in one segment; None for other shapes or segments. A document's score is at most
    the constant plus the bounds of the parts holding it.

    A term's bound is BM25F at its highest weight and shortest field in the segment (both
    kept in its term info), times the boosts above it: BM25F grows with the weight and falls
    with the length, and so does its rounding.
    """
    from whoosh import query as wq

    kind = type(node)
    if node is wq.NullQuery:
        return [], 0.0
    if kind is wq.Term:
        model = _term_model(searcher, node, cache)
        if model is None:
            return None
        postings, idf, stats = model
        if not postings.ids:
            return [(0.0, postings.ids)], 0.0
        if postings.max_weight is None:
            return None
        tf = postings.max_weight
        if stats is None:
            best = tf  # the weight itself (see _term_model)
        elif postings.min_length is None:
            return None
        else:
            best = idf * _bm25_part(tf, postings.min_length, *stats)
        return [(best * node.boost * boost, postings.ids)], 0.0
    if getattr(node, "phrase", None) is not None and kind.__name__ == "PhraseBySet":
        docs = _phrase_docs(searcher, node.phrase, node.cache)
        if docs is None:
            return None
        best = 0.0
        phrase = node.phrase
        for word in phrase.words:
            found = _bounds(searcher, wq.Term(phrase.fieldname, word), cache)
            if found is None:
                return None
            best += found[0][0][0]
        return [(best * phrase.boost * boost, docs)], 0.0
    if kind is wq.Or and not node.minmatch and node.scale is None:
        parts: list = []
        for child in node.subqueries:
            found = _bounds(searcher, child, cache, boost * node.boost)
            if found is None or found[1]:
                return None
            parts.extend(found[0])
        return parts, 0.0
    if kind is wq.And and len(node.subqueries) == 2 and node.boost == 1.0:
        parts, constant = [], 0.0
        for child in node.subqueries:
            if type(child) is wq.Not:
                if child.boost != 1.0:
                    return None
                constant += 1.0 * boost
                continue
            found = _bounds(searcher, child, cache, boost)
            if found is None:
                return None
            parts.extend(found[0])
            constant += found[1]
        return parts, constant
    return None


PRUNE_FROM = 2000  # postings in a segment's query; below, scoring them all is as fast


def _pruned_scores(
    searcher, node, cache: dict, limit: int, eligible: Callable[[int], bool]
) -> dict[int, float] | None:
    """The scores of the documents of one segment that can reach its top ``limit`` (MaxScore,
    at the level of a query's terms and phrases); None when every document must be scored.

    The documents of the parts with the best bounds are scored first; the ``limit``-th best of
    them (``eligible`` ones: the filters) is a score to beat. The parts with the lowest bounds
    whose bounds add up to less than that cannot lift a document into the top by themselves:
    only the documents of the other parts are scored. The top is the same, exactly; the total
    comes from the document sets (``matching_docs``).
    """
    found = _bounds(searcher, node, cache)
    if found is None:
        return None
    parts, constant = found
    if sum(len(docs) for _, docs in parts) < PRUNE_FROM:
        return None
    order = sorted(parts, key=lambda part: -part[0])
    first: set[int] = set()
    size = searcher.reader().doc_count_all()
    count = 0  # eligible documents in first
    for _, docs in order:
        added = set(docs) - first
        count += sum(map(eligible, added))
        first |= added
        if count >= limit or len(first) > size // 4:
            break
    if len(first) > size // 4:
        return None
    scores = _bulk_scores(searcher, node, cache, first)
    if scores is None:
        return None
    best = sorted((sc for d, sc in scores.items() if eligible(d)), reverse=True)
    if len(best) < limit:
        return None
    to_beat = best[limit - 1]
    below = constant
    essential: set[int] = set()
    for bound, docs in reversed(order):  # lowest bounds first
        if not essential and (below + bound) * (1 + 1e-9) < to_beat:
            below += bound
        else:
            essential.update(docs)
    essential -= first
    if essential:
        more = _bulk_scores(searcher, node, cache, essential)
        if more is None:
            return None
        scores.update(more)
    return scores


def _prescored_class():
    global _PRESCORED
    if _PRESCORED is None:
        from whoosh.query.wrappers import WrappingQuery

        class Prescored(WrappingQuery):
            """A term query whose matcher comes from ``_scored_postings`` where it can."""

            def _rewrap(self, child):
                return Prescored(child)

            def matcher(self, searcher, context=None):
                found = _scored_postings(searcher, self.child, context)
                return found if found is not None else self.child.matcher(searcher, context)

        _PRESCORED = Prescored
    return _PRESCORED


_PRESCORED: Any = None


def _Prescored(term):  # noqa: N802 - reads as the query class it returns
    return _prescored_class()(term)


def _ranked(
    searcher,
    q,
    limit: int,
    allow: set[int] | None = None,
    mask: set[int] | None = None,
    matched: list | None = None,
    cache: dict | None = None,
):
    """The top ``limit`` documents of ``q`` by score, exactly.

    Whoosh's shortcuts for top-N (skipping blocks by their best possible score, and replacing
    an OR by an AND-MAYBE once a part cannot reach the top) compare scores with bounds that
    leave out the query's boosts, so with title^3 they drop documents that belong in the top:
    measured on 10,000 entries, 5 of 15 test queries came back in the wrong order. Every
    matching document is scored here, and ORs preload their postings into an array (what
    Whoosh itself picks on segments under 5,000 documents), which is the faster way to do so.
    ``cache``: the search's own (the ranking query's phrases keep what they read there).
    """
    from whoosh import collectors as wc
    from whoosh import query as wq

    def preload(node):
        if type(node) is wq.Term:
            return _Prescored(node)
        node = node if node.is_leaf() else node.apply(preload)
        if isinstance(node, wq.Or):
            node.matcher_type = wq.Or.ARRAY_MATCHER
        return node

    prepared = preload(q)  # apply() builds new nodes: q itself is left as it was
    found = _bulk_ranked(searcher, prepared, limit, allow, mask, matched, cache)
    if found is not None:
        return found
    top = wc.TopCollector(limit, usequality=False, replace=0)
    collector = top if allow is None and mask is None else wc.FilterCollector(top, allow, mask)
    searcher.search_with_collector(prepared, collector)
    return collector.results()


@dataclass
class _Scored:
    """One ranked document from ``_bulk_ranked``: what ``_hit`` reads of a Whoosh hit."""

    searcher: Any
    docnum: int
    score: float

    def fields(self) -> dict[str, Any]:
        return self.searcher.stored_fields(self.docnum)

    def __getitem__(self, name: str) -> Any:
        return self.fields()[name]


def _bulk_ranked(
    searcher, q, limit, allow, mask, matched=None, cache: dict | None = None
) -> list[_Scored] | None:
    """The top ``limit`` of ``q`` from ``_bulk_scores``, ordered as Whoosh's TopCollector
    orders them (higher score first, then lower document number); None: shape not handled.

    When ``matched`` is a list and every matching document was scored (no segment was pruned
    by ``_pruned_scores``), their numbers are appended to it (before ``allow`` and ``mask``):
    the total then needs no second pass.
    """
    import heapq

    cache = {} if cache is None else cache  # the postings read, for the rest of the search
    scored: dict[int, float] = {}
    complete = True  # every matching document scored (else the total comes from the sets)
    root = _unwrap(q)
    for subsearcher, offset in searcher.leaf_searchers():

        def eligible(d: int, offset=offset) -> bool:
            return (allow is None or d + offset in allow) and not (mask and d + offset in mask)

        scores = _pruned_scores(subsearcher, root, cache, limit, eligible)
        if scores is not None:
            complete = False
        else:
            scores = _bulk_scores(subsearcher, root, cache)
        if scores is None:
            return None
        scored.update(
            zip(map(offset.__add__, scores), scores.values(), strict=True) if offset else scores
        )
    if matched is not None and complete:
        matched.extend(scored)
    if allow is not None:
        scored = {d: scored[d] for d in scored.keys() & allow}
    if mask:
        scored = {d: scored[d] for d in scored.keys() - mask}
    # (-score, document): the higher score first, then the lower document number
    negated = map(float.__neg__, scored.values())
    best = heapq.nsmallest(limit, zip(negated, scored, strict=True))
    return [_Scored(searcher, d, -neg) for neg, d in best]


def _unwrap(node):
    """The ranking query with the Prescored wrappers taken off (``_bulk_scores`` reads terms)."""
    if _PRESCORED is not None and isinstance(node, _PRESCORED):
        return node.child
    if node.is_leaf() or getattr(node, "phrase", None) is not None:
        return node
    return node.apply(_unwrap)


def _wanted_terms(searcher, q) -> set[str]:
    """The words of ``q`` (wildcards expanded) that a snippet marks; words under NOT left out."""
    from whoosh import query as wq

    reader = searcher.reader()
    wanted: set[str] = set()

    def visit(node) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            visit(node.a)
            return
        if node.is_leaf():
            with contextlib.suppress(Exception):
                for name, text in node.existing_terms(reader, expand=True):
                    if name in TEXT_FIELDS:
                        wanted.add(text.decode("utf-8") if isinstance(text, bytes) else text)
            return
        for child in node.children():
            visit(child)

    visit(q)
    return wanted


def search(
    ws: Workspace,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int = 10,
    facets: bool = False,
    refresh: bool = True,
    notice: Callable[[str], None] | None = None,
) -> SearchResult:
    """Ranked entries matching ``query`` (Whoosh query language) and ``filters``.

    The filter's document set is computed once and reused for ranking and facets (Whoosh does not
    cache filter queries). Brings a stale index up to date first unless ``refresh`` is False.
    """
    from whoosh import query as wq

    if limit < 1:
        raise UsageError("--limit must be at least 1")
    filters = check_filters(ws, filters or Filters())
    with open_searcher(ws, refresh=refresh, notice=notice) as (searcher, report):
        state = _read_state(ws.index_dir, with_files=False)
        name = state.indexname if state else ""

        @functools.cache
        def vocabulary_text() -> str:
            return _load_vocab_text(ws.index_dir, name)

        @functools.cache
        def vocabulary() -> dict[str, int]:
            return _parse_vocab(vocabulary_text())

        q = parse_query(searcher.schema, normalize_query(ws, searcher.schema, query))
        q = expand_wildcards(q, vocabulary_text, searcher.reader())
        _check_filter_values(searcher, filters)
        fq = _filter_query(filters)
        allowed = matching_docs(searcher, fq) if fq is not None else None
        if allowed is not None and not allowed:  # Whoosh reads an empty filter as "no filter"
            q = wq.NullQuery
        sortedby = {"sortedby": "date", "reverse": True} if isinstance(q, wq.Every) else {}
        # The total comes from the document set, which is computed once and reused for the
        # facets; scoring a common query shape yields it on the way.
        cache: dict = {}
        ranked = _ranking_query(q, cache)
        matched: list[int] = []
        if sortedby:
            results = searcher.search(ranked, limit=limit, filter=allowed, **sortedby)
        else:
            results = _ranked(searcher, ranked, limit, allow=allowed, matched=matched, cache=cache)
        wanted = _wanted_terms(searcher, q)
        hits = [_hit(r, snippet(_indexed_body(ws, r["path"]), wanted)) for r in results]
        # the scored documents are all the matching ones (BM25F scores are positive)
        docs = set(matched) if matched else matching_docs(searcher, q, cache)
        if allowed is not None:
            docs &= allowed
        total = len(docs)
        facet_counts = _facets(searcher, docs) if facets else None
        suggestion = None
        if query.strip():
            suggestion = _suggest(searcher, vocabulary, query, cache)
    return SearchResult(query, total, hits, facet_counts, suggestion, report)


MAX_WILDCARD_WORDS = 512
MAX_QUERY_CHARS = 2000


def expand_wildcards(q, vocabulary: Callable[[], str], reader=None):
    """Wildcards in prose fields, matched against the words as written, searched as their stems;
    with ``reader``, wildcards in keyword fields (tags) too, matched against the index's terms.

    The index holds Porter stems ("migration" is "migrat"), so ``migrati*`` or ``migr?tion``
    matched against the index itself would miss; the vocabulary kept next to the index has the
    words as written (``vocabulary()`` returns its text, see ``_load_vocab_text``). Either way
    the words found are searched as terms, each scored (Whoosh would give a wildcard of several
    words one constant score), so ``tags:sap*`` ranks as ``tags:sap OR tags:sap-fi`` does.
    """
    from whoosh import query as wq

    found: dict[str, list[str]] = {}

    def stems(pattern: str) -> list[str]:
        if pattern not in found:
            rx = _wildcard_regex(pattern.lower())
            words = sorted({_stem(w) for w in rx.findall(vocabulary())})
            found[pattern] = words[:MAX_WILDCARD_WORDS]
        return found[pattern]

    def visit(node):
        if (
            isinstance(node, (wq.Wildcard, wq.Prefix))
            and node.fieldname in TEXT_FIELDS
            and node.text.isascii()  # CJK bigrams are indexed as written: the index answers
        ):
            text = node.text + "*" if isinstance(node, wq.Prefix) else node.text
            terms = [wq.Term(node.fieldname, t, boost=node.boost) for t in stems(text)]
            if not terms:
                return wq.NullQuery
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        if (
            reader is not None
            and isinstance(node, (wq.Wildcard, wq.Prefix))
            and isinstance(_field(reader.schema, node.fieldname), wf.KEYWORD)
        ):
            words = list(
                itertools.islice((w for w in node._btexts(reader) if w), MAX_WILDCARD_WORDS + 1)
            )
            if len(words) > MAX_WILDCARD_WORDS:
                return node  # that many tags: Whoosh's own wildcard, which takes them all
            terms = [wq.Term(node.fieldname, w.decode("utf-8"), boost=node.boost) for w in words]
            if not terms:
                return wq.NullQuery
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        if node.is_leaf():
            return node
        return node.apply(visit)

    return visit(q)


def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    """A regular expression finding the words of a vocabulary text that match ``pattern``
    (``*``: any characters, ``?``: one character), as the query language's wildcards mean.

    Built as ``fnmatch.translate`` builds its own: each ``*`` before a fixed part is an atomic
    lazy match of the first place that part occurs, so ``a*a*a*a*b`` cannot backtrack through
    every way of splitting a long word (that took 47 s for 12 stars)."""
    any_char = "[^\t\n]"

    def fixed(part: str) -> str:
        return "".join(any_char if c == "?" else re.escape(c) for c in part)

    first, *rest = pattern.split("*")
    body = fixed(first)
    if rest:
        *middle, last = rest
        body += "".join(f"(?>{any_char}*?{fixed(m)})" for m in middle if m)
        body += f"{any_char}*{fixed(last)}"
    return re.compile(f"^({body})\t", re.M)


def _find_doc(searcher, ws: Workspace, ref: str) -> int | None:
    ref = ref.strip()
    docnum = searcher.document_number(id=ref.lower())
    if docnum is None:
        path = Path(ref)
        candidates = {ref.replace(os.sep, "/")}
        if path.exists():
            candidates.add(ws.relpath(path.resolve()))
        for rel in candidates:
            docnum = searcher.document_number(path=rel)
            if docnum is not None:
                break
    return docnum


def similar(
    ws: Workspace, ref: str, *, limit: int = 5, refresh: bool = True
) -> tuple[Hit, list[Hit]]:
    """The entry ``ref`` (an id or a path) and the entries most like it, itself excluded.

    More-like-this: the most significant terms of its title and body (Bo1 model) and its tags,
    searched in title, body and tags.
    """
    from whoosh import query as wq

    if limit < 1:
        raise UsageError("--limit must be at least 1")
    with open_searcher(ws, refresh=refresh) as (searcher, _):
        docnum = _find_doc(searcher, ws, ref)
        if docnum is None:
            raise KbError(
                f"no entry with id or path {ref!r} in the index; "
                "check the id with `kb list` (files that cannot be read are not indexed)"
            )
        fields = searcher.stored_fields(docnum)
        body = _indexed_body(ws, fields["path"])
        text = f"{fields.get('title', '')}\n{fields.get('title', '')}\n{body}"
        terms = searcher.key_terms_from_text("body", text, numterms=25, normalize=True)
        parts: list[wq.Query] = []
        for word, weight in terms:
            parts.append(wq.Term("body", word, boost=weight))
            parts.append(wq.Term("title", word, boost=weight * 2))
        for tag in (fields.get("tags") or "").split(","):
            if tag:
                parts.append(wq.Term("tags", tag, boost=1.0))
        source = Hit(
            id=fields.get("id", ""),
            type=fields.get("type", ""),
            title=fields.get("title", ""),
            project=fields.get("project", ""),
            date=fields.get("date", ""),
            path=fields.get("path", ""),
            score=0.0,
            status=fields.get("status", ""),
            category=fields.get("category", ""),
            tags=[t for t in (fields.get("tags") or "").split(",") if t],
        )
        if not parts:
            return source, []
        results = _ranked(searcher, wq.Or(parts), limit, mask={docnum})
        hits = [_hit(r, _lead(_indexed_body(ws, r["path"]))) for r in results]
    return source, hits


def _lead(body: str, length: int = 160) -> str:
    text = re.sub(r"\s+", " ", body).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def related_hits(
    ws: Workspace,
    text: str,
    *,
    types: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    boost_ids: Iterable[str] = (),
    boost_projects: Iterable[str] = (),
    limit: int = 50,
) -> list[Hit]:
    """Entries of ``types`` ranked by how well they match free ``text``, tags and context.

    Any word of ``text`` may match (OR), so a project description finds entries sharing part of
    its vocabulary; entries with one of ``tags``, a ``source`` in ``boost_ids`` or a project in
    ``boost_projects`` rank higher. Used by the pre-mortem brief.
    """
    from whoosh import qparser
    from whoosh import query as wq

    with open_searcher(ws) as (searcher, _):
        should: list[wq.Query] = []
        if text.strip():
            parser = _parser(searcher.schema, group=qparser.OrGroup.factory(0.9))
            try:
                parsed = parser.parse(text)
            except Exception as exc:
                raise UsageError(f"cannot understand --text {text!r}: {_describe(exc)}") from None
            if parsed is not None and parsed is not wq.NullQuery:
                should.append(_expand_single_cjk(parsed))
        for tag in tags:
            should.append(wq.Term("tags", tag.strip().lower(), boost=3.0))
        for ref in boost_ids:
            if "source" in searcher.schema:
                should.append(wq.Term("source", ref.lower(), boost=2.0))
        for project in boost_projects:
            should.append(wq.Term("project", project.lower(), boost=2.0))
        if not should:
            return []
        q = wq.Or(should)
        allowed = None
        if types:
            allowed = matching_docs(searcher, wq.Or([wq.Term("type", t) for t in types]))
            if not allowed:
                return []
        results = _ranked(searcher, q, limit, allow=allowed)
        return [_hit(r, "") for r in results]


def entries_where(ws: Workspace, **criteria: str) -> list[dict[str, Any]]:
    """Stored fields of the entries whose index fields equal ``criteria`` (case-insensitive)."""
    from whoosh import query as wq

    parts = [wq.Term(k, str(v).lower()) for k, v in criteria.items()]
    if not parts:
        return []
    with open_searcher(ws) as (searcher, _):
        if any(k not in searcher.schema for k in criteria):
            return []
        return [dict(r.fields()) for r in searcher.search(wq.And(parts), limit=None)]

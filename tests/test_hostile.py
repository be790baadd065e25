"""Hostile input: a corpus of bad entry files and symlinks in every shape, run through every
read-only command. Nothing may crash, nothing from outside the workspace may be read or
printed, nothing outside may be written, and read-only commands leave docs/ as it was."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from kb.config import load_workspace
from tests.conftest import REPO, build_tree, entry_text

MARKER = "ZQXSECRETMARKER"  # in the outside files only; must never be printed or exported

LESSON = """
id: {id}
type: lesson
title: {title}
date: 2026-05-01
owner: Ana
status: approved
category: quality
phase: executing
impact: negative
"""


def lesson(number: int, title: str = "A lesson", extra: str = "", body: str = "# A\n") -> str:
    meta = LESSON.format(id=f"LL-{number:04d}", title=title) + extra
    return entry_text(meta, body)


def front(text: str) -> bytes:
    return f"---\n{text}---\n\n# Body\n".encode()


HOSTILE_FILES: dict[str, str | bytes] = {
    "LL-0001-no-front-matter.md": b"# Just a heading\n\nText.\n",
    "LL-0002-unclosed.md": b"---\nid: LL-0002\ntitle: x\n",
    "LL-0003-invalid-yaml.md": front("id: LL-0003\ntitle: [unclosed\n"),
    "LL-0004-list.md": front("- a\n- b\n"),
    "LL-0005-string.md": front("just a string\n"),
    "LL-0006-number.md": front("42\n"),
    "LL-0007-nul.md": front("id: LL-0007\ntype: lesson\ntitle: a\x00b\n"),
    "LL-0008-xff.md": b"---\nid: LL-0008\ntitle: caf\xff\xfe\n---\n",
    "LL-0009-utf16.md": lesson(9, "UTF-16 lesson").encode("utf-16"),
    "LL-0011-empty.md": b"",
    "LL-0012-huge-line.md": lesson(12, "Huge line", body="word " * 200_000 + "\n"),
    "LL-0013-deep-flow.md": front("id: LL-0013\nx: " + "[" * 20_000 + "]" * 20_000 + "\n"),
    "LL-0014-deep-block.md": front(
        "id: LL-0014\nx:\n" + "".join(" " * i + "-\n" for i in range(0, 400, 2))
    ),
    "LL-0015-billion-laughs.md": front(
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(
            f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
    ),
    "LL-0016-escapes.md": lesson(16, '"\\e[31mRED\\a title\\e[0m"'),
    "LL-0017-raw-escape.md": front("id: LL-0017\ntype: lesson\ntitle: \x1b[31mred\x07\n"),
    "LL-0018-controls-everywhere.md": entry_text(
        'id: LL-0018\ntype: lesson\ntitle: "t\\e]0;pwned\\a\\b\\r"\ndate: 2026-05-01\n'
        'owner: "o\\e[2J\\x9b"\nstatus: "approved\\e[5m"\nproject: "p\\e[8m\\x7f"\n'
        'category: "quality\\x1b"\nphase: executing\nimpact: negative\ntags: ["\\e[1mtag"]\n'
        'actions:\n  - {action: "do\\e[31m", owner: "w\\a", due: 2020-01-01}\n',
        "# Body \x1b[31m with controls\n",
    ),
    "LL-0019-rtl.md": lesson(19, "evil \u202etxt.exe\u202c title", "project: \u2066rtl\u2069\n"),
    "LL-0020-list-10000.md": front("id: LL-0020\nx: " + "- " * 10_000 + "a\n"),
    "LL-0021-duplicate-keys.md": lesson(21, "Duplicate", "title: Again\n"),
    "LL-0022-bad-date.md": entry_text(LESSON.format(id="LL-0022", title="Bad date")).replace(
        "date: 2026-05-01", "date: 2024-02-30"
    ),
    "LL-0023-tags-mapping.md": lesson(23, "Tags mapping", "tags: {a: 1, b: 2}\n"),
    "LL-0024-bom.md": b"\xef\xbb\xbf" + lesson(24, "With a BOM").encode(),
    "LL-0025-fine.md": lesson(25, "A plain good lesson"),
}


def tree_hash(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` (links not followed) -> a hash of its content or target."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


@pytest.fixture
def hostile(workspace, tmp_path: Path):
    """A workspace full of bad entries and symlinks in all four shapes; returns (root, outside)."""
    root = workspace({f"docs/lessons/{name}": text for name, text in HOSTILE_FILES.items()})
    (root / "docs/lessons/LL-0010-a-folder.md").mkdir()
    outside = build_tree(
        tmp_path / "outside",
        {
            "secret.md": lesson(30, f"Outside {MARKER}", body=f"# {MARKER}\n"),
            f"dir/LL-0031-{MARKER.lower()}.md": lesson(31, MARKER, body=f"{MARKER}\n"),
            "risks/RISK-0001-outside.md": entry_text(
                f"id: RISK-0001\ntype: risk\ntitle: {MARKER}\n", f"{MARKER}\n"
            ),
        },
    )
    build_tree(
        root,
        {
            "shared/LL-0040-shared.md": lesson(40, "Linked from inside"),
            "shared/more/LL-0041-more.md": lesson(41, "In a linked folder"),
        },
    )
    lessons = root / "docs/lessons"
    os.symlink(root / "shared/LL-0040-shared.md", lessons / "LL-0040-shared.md")  # in -> in
    os.symlink(outside / "secret.md", lessons / "LL-0030-secret.md")  # file -> outside
    os.symlink(outside / "dir", lessons / "extdir")  # folder -> outside
    os.symlink(root / "shared/more", lessons / "more")  # folder -> inside
    os.symlink(lessons, lessons / "loop")  # a folder link back to its own folder
    os.symlink(root / "shared/missing.md", lessons / "LL-0042-dangling.md")  # a broken link
    os.symlink(outside / "risks", root / "docs/risks")  # the type folder -> outside
    return root, outside


READ_ONLY = [
    ("check",),
    ("check", "--json"),
    ("index",),
    ("search", MARKER),
    ("search", MARKER.lower()),
    ("search", "x", "--json"),
    ("search", "lesson", "--json"),
    ("list",),
    ("list", "--json"),
    ("stats",),
    ("actions",),
]


def test_read_only_commands_hold(hostile, run, tmp_path: Path):
    root, outside = hostile
    docs_before, outside_before = tree_hash(root / "docs"), tree_hash(outside)
    out_csv = tmp_path / "export" / "out.csv"
    out_csv.parent.mkdir()
    commands = [*READ_ONLY, ("export", "--type", "lesson", "-o", str(out_csv))]
    for args in commands:
        result = run(root, *args)
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output, (args, result.output)
        assert MARKER not in result.output and MARKER.lower() not in result.output, args
        if args[0] in ("check", "list", "search") and "--json" not in args:
            assert "\x1b" not in result.output and "\x07" not in result.output, args
        if "--json" in args:
            json.loads(result.stdout)
    assert out_csv.is_file()
    exported = out_csv.read_text("utf-8-sig")
    assert MARKER not in exported and "LL-0030" not in exported and "LL-0031" not in exported
    assert tree_hash(root / "docs") == docs_before
    assert tree_hash(outside) == outside_before
    index_files = "".join(
        p.read_bytes().decode("latin-1") for p in (root / ".kb").rglob("*") if p.is_file()
    )
    assert MARKER not in index_files and MARKER.lower() not in index_files


def test_check_names_every_bad_file_and_every_link_out(hostile, run):
    root, outside = hostile
    result = run(root, "check", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    by_path = {}
    for p in report["problems"]:
        by_path.setdefault(p["path"], []).append(p)
    link = by_path["docs/lessons/LL-0030-secret.md"][0]
    assert link["message"].startswith("symlink points outside the workspace")
    assert by_path["docs/lessons/extdir"][0]["message"].startswith(
        "symlink points outside the workspace"
    )
    assert "the risk folder points outside the workspace" in by_path["docs/risks"][0]["message"]
    nul = by_path["docs/lessons/LL-0007-nul.md"][0]
    assert (nul["line"], nul["message"]) == (
        4,
        "the title contains a NUL character, which front matter cannot hold; delete it",
    )
    raw = by_path["docs/lessons/LL-0017-raw-escape.md"][0]
    assert raw["line"] == 4 and raw["message"].startswith("the title contains a control character")
    assert by_path["docs/lessons/LL-0042-dangling.md"][0]["message"].startswith("cannot read")
    string = by_path["docs/lessons/LL-0005-string.md"][0]["message"]
    assert string == "front matter must be key: value pairs, found a single text line"
    assert "found a number" in by_path["docs/lessons/LL-0006-number.md"][0]["message"]
    # every file in the folder is counted, the unreadable ones and the link out included
    names = [n for n in HOSTILE_FILES] + ["LL-0010-a-folder.md", "LL-0030-secret.md"]
    names += ["LL-0040-shared.md", "more/LL-0041-more.md", "LL-0042-dangling.md"]
    assert report["files"] == len(names)
    assert report["entries"] < report["files"]
    text = run(root, "check")
    assert f"{len(names)} entries checked:" in text.stderr
    assert "\x1b" not in text.output and "\\x1b" in text.output


def test_symlinks_inside_the_workspace_keep_working(hostile, run):
    root, _ = hostile
    rows = json.loads(run(root, "list", "--json", "--type", "lesson").stdout)
    paths = {r["id"]: r["path"] for r in rows}
    assert paths["LL-0040"] == "docs/lessons/LL-0040-shared.md"
    assert paths["LL-0041"] == "docs/lessons/more/LL-0041-more.md"
    assert "LL-0030" not in paths and "LL-0031" not in paths
    assert not any(p.startswith("docs/lessons/loop/") for p in paths.values())


def test_scan_and_entry_files_agree_on_the_hostile_corpus(hostile):
    from kb.search.state import scan
    from kb.store import entry_files

    root, _ = hostile
    ws = load_workspace(root=root)
    listed = {ws.relpath(p) for p in entry_files(ws)}
    assert set(scan(ws)) == listed
    assert "docs/lessons/LL-0030-secret.md" not in listed
    assert not any(rel.startswith(("docs/lessons/extdir", "docs/risks")) for rel in listed)


def test_list_json_keeps_the_exact_text(hostile, run):
    root, _ = hostile
    rows = {r["id"]: r for r in json.loads(run(root, "list", "--json").stdout)}
    assert rows["LL-0016"]["title"] == "\x1b[31mRED\x07 title\x1b[0m"
    assert rows["LL-0019"]["title"] == "evil \u202etxt.exe\u202c title"


def _kb(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kb", "--root", str(root), *args]


def _on_a_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ``argv`` with stdout and stderr on a pseudo-terminal; (exit status, what it showed)."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(argv, stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    chunks = []
    try:
        while chunk := os.read(primary, 65536):
            chunks.append(chunk)
    except OSError:  # EIO: the program ended and closed the terminal
        pass
    finally:
        os.close(primary)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_list_escapes_control_characters_on_a_terminal_and_in_a_pipe(hostile):
    root, _ = hostile
    env = {k: v for k, v in os.environ.items() if k != "KB_ROOT"}
    status, on_terminal = _on_a_terminal(_kb(root, "list"), env)
    piped = subprocess.run(_kb(root, "list"), capture_output=True, text=True, env=env, timeout=60)
    assert status == 0 and piped.returncode == 0, piped.stderr
    for output in (on_terminal, piped.stdout + piped.stderr):
        assert "\\x1b[31mRED\\x07 title\\x1b[0m" in output
        assert "\\u202etxt.exe\\u202c" in output
        assert not any(c in output for c in "\x1b\x07\x9b\u202e\u2066")
        assert MARKER not in output and "Traceback" not in output


# --- writing: kb new and kb import refuse a type folder that leads out of the workspace ------


@pytest.fixture
def linked_lessons(workspace, tmp_path: Path):
    """A workspace whose docs/lessons is a symlink to a folder outside it."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    root = workspace()
    os.symlink(outside, root / "docs/lessons")
    return root, outside


NEW_LESSON = [
    "--set",
    "category=quality",
    "--set",
    "phase=executing",
    "--set",
    "impact=negative",
    "--set",
    "owner=Ana",
    "--no-input",
]


def test_read_only_commands_ignore_a_lessons_folder_outside_the_workspace(linked_lessons, run):
    root, outside = linked_lessons
    (outside / "LL-0001-outside.md").write_text(lesson(1, MARKER, body=f"{MARKER}\n"), "utf-8")
    before = tree_hash(outside)
    for args in READ_ONLY:
        result = run(root, *args)
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output and MARKER not in result.output, args
    assert "docs/lessons:1: error: the lesson folder points outside" in run(root, "check").stdout
    assert tree_hash(outside) == before


def test_new_refuses_a_type_folder_outside_the_workspace(linked_lessons, run):
    root, outside = linked_lessons
    result = run(root, "new", "lesson", "Leaks out", *NEW_LESSON)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: docs/lessons: the lesson folder points outside the workspace ({outside}); "
        "kb does not read or write entries there (make it a folder inside the workspace)"
    ]
    assert list(outside.iterdir()) == []
    # a missing value is not asked for, or reported, before the folder
    assert "points outside" in run(root, "new", "lesson", "x", "--no-input").stderr


def test_import_refuses_a_type_folder_outside_the_workspace(linked_lessons, run, tmp_path):
    root, outside = linked_lessons
    table = tmp_path / "lessons.csv"
    table.write_text(
        "title,category,phase,impact,owner\nLeaks out,quality,executing,negative,Ana\n",
        encoding="utf-8",
    )
    result = run(root, "import", str(table), "--type", "lesson")
    assert result.exit_code != 0
    assert "points outside the workspace" in result.output
    assert "Traceback" not in result.output
    assert list(outside.iterdir()) == []


def test_new_still_writes_through_a_type_folder_linked_inside(workspace, run):
    root = workspace({"shared/lessons/.keep": ""})
    os.symlink(root / "shared/lessons", root / "docs/lessons")
    result = run(root, "new", "lesson", "Stays inside", *NEW_LESSON)
    assert result.exit_code == 0, result.output
    assert (root / "shared/lessons/LL-0001-stays-inside.md").is_file()
    assert run(root, "check").exit_code == 0


# --- kb new: fields that have their own argument, blank titles ---------------------------------


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "id=LL-0099",
            "error: --set id: kb new gives the entry the next free id of its type; leave it out "
            "(`kb renumber` changes an id later)",
        ),
        ("type=risk", "error: --set type: the type is the first argument of kb new: kb new lesson"),
        (
            "title=Other",
            'error: --set title: the title is the second argument of kb new: kb new lesson "TITLE"',
        ),
    ],
)
def test_new_refuses_set_for_fields_with_their_own_argument(workspace, run, assignment, message):
    root = workspace()
    result = run(root, "new", "lesson", "A title", *NEW_LESSON, "--set", assignment)
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not any((root / "docs").rglob("LL-*.md"))


@pytest.mark.parametrize(("title", "word"), [("", "required"), ("   ", "blank"), ("\t", "blank")])
def test_new_refuses_a_blank_title(workspace, run, title, word):
    root = workspace()
    result = run(root, "new", "lesson", *NEW_LESSON, "--", title)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: cannot create the lesson:",
        f"error: title: {word} (a short, specific title); give it as the second argument: "
        'kb new lesson "TITLE"',
    ]
    assert not any((root / "docs").rglob("LL-*.md"))


def test_new_with_a_hostile_title_prints_it_escaped(workspace, run):
    root = workspace()
    title = "\x1b[31mred\x07 ../../etc/passwd"
    result = run(root, "new", "lesson", *NEW_LESSON, "--json", "--", title)
    assert result.exit_code == 0, result.output
    path = root / json.loads(result.stdout)["path"]
    assert path.parent == root / "docs/lessons"
    assert run(root, "list", "--json").stdout.count("\\u001b[31mred\\u0007") == 1
    shown = run(root, "list").stdout
    assert "\\x1b[31mred\\x07 ../../etc/passwd" in shown and "\x1b" not in shown


def test_actions_and_stats_print_control_characters_escaped(workspace, run):
    """Raw control characters in front matter are refused at reading; YAML escapes ("\\e")
    can still put them into a value, which the registers print escaped."""
    retro = REPO / "tests/golden/registers/workspace/docs/retrospectives"
    source = next(retro.glob("RETRO-0001-*.md")).read_text("utf-8")
    hostile_text = source.replace(
        "action: Add two migration rehearsals to the ERP plan template",
        'action: "Add two \\e[31mred\\e[0m rehearsals\\a"',
    )
    assert hostile_text != source
    root = workspace({"docs/retrospectives/RETRO-0001-hostile.md": hostile_text})
    for args in (["actions", "--all"], ["stats", "--by", "project"]):
        result = run(root, *args)
        assert result.exit_code in (0, 1), result.output
        assert "\x1b" not in result.output and "\x07" not in result.output, args
    shown = run(root, "actions", "--all").output
    assert "red" in shown and ("\\x1b[31mred" in shown or "skipped" in shown)

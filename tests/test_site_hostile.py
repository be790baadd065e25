"""The site against hostile files: nothing outside the workspace is published, no file breaks the
build, entries over the size limit stay out, and a failed `kb build` leaves the previous site.

Every case is built for real (`kb build`, some with plain `mkdocs build` as well), first with
--strict (which must fail, leaving the previous site byte for byte) and then without (which must
succeed, naming the file it left out). A secret marker in the outside files must not appear in any
file of the site, the search index (Pagefind's bundles, compressed) included.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.config import load_workspace
from kb.scaffold import mkdocs_yml
from kb.site import diagrams
from kb.site.diagrams import as_code, as_diagrams, find_mermaid, has_diagram
from tests.conftest import build_tree, entry_text, kb_build
from tests.test_site import ENTRIES, _kb_options
from tests.test_site_search import fragments

SECRET = "SECRET-MARKER-7f3a"


def _lesson(number: int, title: str, body: str = "") -> str:
    return entry_text(
        f"""
        id: LL-{number:04d}
        type: lesson
        title: {title}
        date: 2025-06-27
        owner: Anna
        status: approved
        project: ERP roll-out
        category: quality
        phase: executing
        impact: negative
        """,
        f"# {title}\n\n## Recommendation\n\n{body or 'Plan it.'}\n",
    )


def mkdocs_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Plain `mkdocs build`: the plugin's checks hold there too (without the swap)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree_hash(folder: Path) -> str:
    """One hash of every path, file content and symlink target below ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape"))
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def site_text(site: Path) -> bytes:
    """Every byte of the built site, compressed files (``.gz``, Pagefind's) uncompressed."""
    parts = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            parts.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    return b"\n".join(parts)


def indexed(site: Path) -> dict[str, str]:
    """What the site's search has of each entry, by id: its text, filters and meta (Pagefind's
    record of the page), from every language's bundle."""
    found = {}
    for lang in ("en", "zh"):
        if (site / "pagefind" / lang).is_dir():
            for key, record in fragments(site, lang).items():
                found[key] = json.dumps(record, ensure_ascii=False)
    return found


def no_traceback(result: subprocess.CompletedProcess) -> None:
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream and "Error reading page" not in stream, stream


@pytest.fixture(scope="module")
def built_base(tmp_path_factory) -> Path:
    """A workspace with a site built by `kb build --strict`: the previous, good site."""
    root = tmp_path_factory.mktemp("base") / "ws"
    build_tree(root, {"mkdocs.yml": mkdocs_yml("Test KB", "en"), **ENTRIES})
    (root / "docs" / "index.md").write_text("# Test KB\n\nThe PMO's knowledge base.\n", "utf-8")
    result = kb_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def hostile(built_base, tmp_path) -> tuple[Path, Path]:
    """A copy of the built workspace, and a folder outside it holding the secret marker."""
    root = tmp_path / "ws"
    shutil.copytree(built_base, root, symlinks=True)
    outside = tmp_path / "outside"
    build_tree(
        outside,
        {
            "secret.md": f"# Secret\n\n{SECRET} from outside the workspace.\n",
            "folder/LL-0050-outside.md": _lesson(50, f"Outside {SECRET}", SECRET),
            "folder/notes.md": f"# Outside notes\n\n{SECRET}\n",
            "folder/picture.png": SECRET.encode(),
            "sops/SOP-0009-outside.md": f"---\nid: SOP-0009\ntype: sop\ntitle: {SECRET}\n---\n",
        },
    )
    return root, outside


def _symlinked_file(root: Path, outside: Path) -> str:
    (root / "docs/lessons/LL-0114-osrel.md").symlink_to(outside / "secret.md")
    return "docs/lessons/LL-0114-osrel.md:1: symlink points outside the workspace"


def _symlinked_folder(root: Path, outside: Path) -> str:
    (root / "docs/lessons/extdir").symlink_to(outside / "folder", target_is_directory=True)
    return "docs/lessons/extdir:1: symlink to a folder outside the workspace"


def _symlinked_type_folder(root: Path, outside: Path) -> str:
    shutil.rmtree(root / "docs/sops")
    (root / "docs/sops").symlink_to(outside / "sops", target_is_directory=True)
    return "docs/sops:1: symlink to a folder outside the workspace"


def _symlinked_asset(root: Path, outside: Path) -> str:
    (root / "docs/assets").mkdir()
    (root / "docs/assets/picture.png").symlink_to(outside / "folder" / "picture.png")
    return "docs/assets/picture.png:1: symlink points outside the workspace"


def _bad_byte_in_entry(root: Path, outside: Path) -> str:
    text = _lesson(5, "Bad byte", f"{SECRET} \xff")
    data = text.encode("utf-8").replace("\xff".encode(), b"\xff")
    (root / "docs/lessons/LL-0005-bad-byte.md").write_bytes(data)
    line = data[: data.index(b"\xff")].count(b"\n") + 1
    return f"docs/lessons/LL-0005-bad-byte.md:{line}: not valid UTF-8 (byte 0xff at line {line})"


def _bad_byte_in_plain_page(root: Path, outside: Path) -> str:
    (root / "docs/notes.md").write_bytes(f"# Notes\n\n{SECRET}\n\xff\n".encode("latin-1"))
    return "docs/notes.md:4: not valid UTF-8 (byte 0xff at line 4)"


def _nul_in_entry(root: Path, outside: Path) -> str:
    text = _lesson(6, f"NUL\x00{SECRET}")
    (root / "docs/lessons/LL-0006-nul.md").write_text(text, "utf-8")
    return "docs/lessons/LL-0006-nul.md:4:"


def _over_the_size_limit(root: Path, outside: Path) -> str:
    _kb_options(root, max_entry_kb=4)  # low, to keep the test fast
    text = _lesson(7, "Too long", f"{SECRET} " + "words " * 2000)
    (root / "docs/lessons/LL-0007-too-long.md").write_text(text, "utf-8")
    return "docs/lessons/LL-0007-too-long.md:1: file is"


def _alias_bomb_in_plain_page(root: Path, outside: Path) -> str:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        levels.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    front = "\n".join(levels)
    text = f"---\n{front}\ntitle: *h\ndescription: *h\n---\n\n# Bomb {SECRET}\n"
    (root / "docs/bomb.md").write_text(text, "utf-8")
    return "docs/bomb.md:3: front matter is not valid YAML"


def _pipe(root: Path, outside: Path) -> str:
    os.mkfifo(root / "docs/pipe.md")
    return "docs/pipe.md:1: not a regular file"


def _dangling_symlink(root: Path, outside: Path) -> str:
    (root / "docs/gone.md").symlink_to(root / "docs" / "nowhere.md")
    return "docs/gone.md:1: cannot read: No such file or directory"


def _file_name_not_utf8(root: Path, outside: Path) -> str:
    (root / "docs").joinpath(os.fsdecode(b"\xffname.md")).write_text(f"# {SECRET}\n", "utf-8")
    return "docs/\\xffname.md:1: the file name is not valid UTF-8"


CASES = {
    "symlinked entry file": _symlinked_file,
    "symlinked folder in docs/lessons": _symlinked_folder,
    "symlinked type folder": _symlinked_type_folder,
    "symlinked image": _symlinked_asset,
    "\\xff in an entry": _bad_byte_in_entry,
    "\\xff in docs/notes.md": _bad_byte_in_plain_page,
    "NUL in an entry": _nul_in_entry,
    "entry over max_entry_kb": _over_the_size_limit,
    "alias bomb in a plain page": _alias_bomb_in_plain_page,
    "named pipe": _pipe,
    "dangling symlink": _dangling_symlink,
    "file name not UTF-8": _file_name_not_utf8,
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_a_hostile_file_is_left_out_and_fails_only_a_strict_build(hostile, make):
    root, outside = hostile
    site = root / "site"
    before = tree_hash(site)
    message = make(root, outside)

    strict = kb_build(root, "--strict")
    no_traceback(strict)
    assert strict.returncode == 1, strict.stderr
    assert message in strict.stderr
    assert "the site was not built" in strict.stderr
    assert "the previous site in site/ is unchanged" in strict.stderr
    assert tree_hash(site) == before  # the previous site, byte for byte
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []

    result = kb_build(root)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert f"WARNING -  kb: {message}" in result.stderr
    assert "left out of the site" in result.stderr
    assert SECRET.encode() not in site_text(site)
    assert (site / "registers" / "risks" / "index.html").is_file()
    # The search index holds the site's entries and nothing of what was left out.
    index = indexed(site)
    assert {"LL-0001", "RISK-0001"} <= set(index), sorted(index)
    assert not [key for key, text in index.items() if SECRET in text]


@pytest.mark.parametrize(
    "make",
    [_symlinked_file, _symlinked_folder, _bad_byte_in_plain_page],
    ids=lambda make: make.__name__.strip("_"),
)
def test_plain_mkdocs_build_leaves_the_same_files_out(hostile, make):
    root, outside = hostile
    message = make(root, outside)
    strict = mkdocs_build(root, "--strict")
    no_traceback(strict)
    assert strict.returncode == 1 and message in strict.stderr
    result = mkdocs_build(root)
    no_traceback(result)
    assert result.returncode == 0 and message in result.stderr
    assert SECRET.encode() not in site_text(root / "site")


def test_symlinks_that_stay_inside_the_workspace_are_published(hostile):
    root, _ = hostile
    build_tree(
        root,
        {
            "shared/LL-0003-shared.md": _lesson(3, "Shared lesson", "Inside marker"),
            "shared/lessons/LL-0004-linked.md": _lesson(4, "Linked lesson", "Folder marker"),
            "shared/pages/notes.md": "# Linked notes\n\nPage marker.\n",
        },
    )
    (root / "docs/lessons/LL-0003-shared.md").symlink_to(root / "shared/LL-0003-shared.md")
    (root / "docs/lessons/linked").symlink_to(root / "shared/lessons", target_is_directory=True)
    (root / "docs/extra").symlink_to(root / "shared/pages", target_is_directory=True)
    result = kb_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    assert "left out" not in result.stderr
    for page, marker in (
        ("lessons/LL-0003-shared", "Inside marker"),
        ("lessons/linked/LL-0004-linked", "Folder marker"),
    ):
        html = (root / "site" / page / "index.html").read_text("utf-8")
        assert 'class="kb-card' in html and marker in html  # an entry page, card and all
    assert (root / "site/extra/notes/index.html").is_file()
    # The entries among them are in the search index (which holds entry pages only).
    index = indexed(root / "site")
    assert "Inside marker" in index["LL-0003"] and "Folder marker" in index["LL-0004"]
    register = (root / "site/registers/lessons/index.html").read_text("utf-8")
    assert "Shared lesson" in register and "Linked lesson" in register


def test_a_left_out_entry_is_in_no_register_nor_navigation(hostile):
    root, outside = hostile
    _symlinked_folder(root, outside)
    _over_the_size_limit(root, outside)
    result = kb_build(root, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [item["path"] for item in report["left_out"]] == [
        "docs/lessons/LL-0007-too-long.md",
        "docs/lessons/extdir",
    ]
    assert report["left_out"][1]["line"] == 1
    html = (root / "site/registers/lessons/index.html").read_text("utf-8")
    assert "LL-0050" not in html and "LL-0007" not in html
    assert not (root / "site/lessons/LL-0007-too-long").exists()
    assert not (root / "site/lessons/extdir").exists()


# ---------------------------------------------------------------------------------------------
# The previous site stays in place until a new build has completed


def test_a_failed_json_build_keeps_the_previous_site_and_says_so(hostile):
    root, outside = hostile
    before = tree_hash(root / "site")
    _bad_byte_in_entry(root, outside)
    result = kb_build(root, "--strict", "--json")
    no_traceback(result)
    assert result.returncode == 1 and result.stdout == ""
    assert "error: the site was not built" in result.stderr
    assert tree_hash(root / "site") == before


def test_a_failed_first_build_writes_nothing(workspace):
    root = workspace({"docs/notes.md": b"# Notes\n\xff\n"})
    result = kb_build(root, "--strict")
    assert result.returncode == 1
    assert "nothing was written to site/" in result.stderr
    assert not (root / "site").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_the_swap_keeps_hidden_files_of_the_site_folder_and_a_symlinked_site_folder(hostile):
    root, _ = hostile
    (root / "site" / ".git").mkdir()
    (root / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", "utf-8")
    real = root / "published"
    (root / "site").rename(real)
    (root / "site").symlink_to(real, target_is_directory=True)
    result = kb_build(root)
    assert result.returncode == 0, result.stderr
    assert (root / "site").is_symlink()
    assert (real / ".git" / "HEAD").read_text("utf-8").startswith("ref:")
    assert (real / "registers" / "risks" / "index.html").is_file()
    assert [p.name for p in root.iterdir() if p.name.startswith(".published")] == []


def test_kb_build_d_builds_into_another_folder_through_the_swap(hostile, tmp_path):
    root, _ = hostile
    out = tmp_path / "public"
    result = kb_build(root, "-d", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".public")] == []


def test_kb_build_d_refuses_a_folder_that_holds_docs(hostile):
    root, _ = hostile
    before = tree_hash(root / "docs")
    result = kb_build(root, "-d", str(root))
    no_traceback(result)
    assert result.returncode != 0
    assert (root / "mkdocs.yml").is_file() and tree_hash(root / "docs") == before


def test_what_a_killed_build_left_is_cleaned_up_and_the_previous_site_put_back(hostile):
    root, _ = hostile
    before = tree_hash(root / "site")
    (root / "site").rename(root / ".site.kb-previous-x1")  # killed between the two renames
    (root / ".site.kb-building-x2").mkdir()
    (root / ".site.kb-building-x2" / "half.html").write_text("half", "utf-8")
    (root / "docs" / "notes.md").write_bytes(b"\xff")
    result = kb_build(root, "--strict")
    assert result.returncode == 1
    assert tree_hash(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


# ---------------------------------------------------------------------------------------------
# Diagrams: the site's own mermaid, or code; never a script from another host


DIAGRAM = "```mermaid\ngraph LR\n  Plan --> Rehearse\n```\n"


def test_a_diagram_page_loads_the_sites_own_mermaid(workspace):
    mermaid = find_mermaid()
    assert mermaid is not None, "install the site's mermaid: bash scripts/install-mermaid.sh"
    root = workspace(
        {
            "docs/lessons/LL-0001-diagram.md": _lesson(1, "Diagram", DIAGRAM),
            "docs/lessons/LL-0002-plain.md": _lesson(2, "Plain"),
        }
    )
    result = kb_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    page = (root / "site/lessons/LL-0001-diagram/index.html").read_text("utf-8")
    assert '<pre class="mermaid"><code>graph LR' in page
    src = f"../../assets/kb/mermaid-{mermaid.version}/mermaid.min.js"
    assert f'<script src="{src}"></script>' in page
    # Before Material's own script, so Material finds `mermaid` and fetches nothing.
    assert page.index(src) < page.index("assets/javascripts/bundle.")
    copied = root / "site" / mermaid.uri
    assert copied.read_bytes() == mermaid.script.read_bytes()
    assert "mermaid.min.js" not in (root / "site/lessons/LL-0002-plain/index.html").read_text()
    assert "unpkg" not in page


def test_a_site_without_diagrams_ships_no_mermaid(built_base):
    assert not list((built_base / "site").rglob("mermaid.min.js"))


def test_without_a_copy_of_mermaid_diagrams_stay_code(workspace, monkeypatch, tmp_path):
    from kb.site.publish import build_site

    monkeypatch.setattr(diagrams, "MERMAID_HOME", tmp_path / "no-mermaid")
    raw = '<pre class="x mermaid" title="a > b">graph TD; A-->B</pre>\n'
    root = workspace({"docs/lessons/LL-0001-diagram.md": _lesson(1, "Diagram", DIAGRAM + raw)})
    build_site(load_workspace(root=root))
    page = (root / "site/lessons/LL-0001-diagram/index.html").read_text("utf-8")
    assert '<code class="language-mermaid">graph LR' in page
    assert 'class="mermaid"' not in page and '<pre class="x" title="a &gt; b">' in page
    assert not list((root / "site").rglob("mermaid.min.js"))


def test_diagram_markup_is_found_however_it_is_written():
    assert has_diagram('<pre class="mermaid"><code>x</code></pre>')
    assert has_diagram("<PRE CLASS=mermaid>x</PRE>")
    assert has_diagram("<pre title='a>b' class=\"big mermaid\">x</pre>")
    assert has_diagram('<pre class="&#109;ermaid">x</pre>')  # a browser reads it as mermaid
    assert not has_diagram('<pre class="mermaid-like"><code class="language-mermaid">x</code>')
    assert not has_diagram("<p>&lt;pre class=mermaid&gt;</p><preview class=mermaid>")
    assert as_diagrams('<pre><code class="language-mermaid">a</code></pre>') == (
        '<pre class="mermaid"><code>a</code></pre>'
    )
    assert as_code('<pre id=d class="&#109;ermaid" data-x>') == '<pre id="d" class="" data-x>'

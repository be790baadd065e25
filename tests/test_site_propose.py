"""Propose and edit from the site: "Propose a ..." links to each git host's new-file page, and
Material's "Edit this page" on entry pages, in real `kb build` sites (and one in Chromium)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from kb.config import load_workspace
from kb.scaffold import mkdocs_yml, render_body
from kb.site.propose import MAX_URL_LENGTH, proposal_text, repository
from tests.conftest import build_tree, entry_text
from tests.test_site import ENTRIES

# A lesson filed out of order: the next free id is after the highest, not after the count.
LESSON_7 = entry_text(
    """
    id: LL-0007
    type: lesson
    title: Book the safety assessor early
    date: 2025-07-01
    owner: Ben
    status: approved
    category: schedule
    phase: planning
    impact: negative
    """,
    "# Book the safety assessor early\n\n## Lesson\n\nBook early.\n",
)
WORKSPACE = {**ENTRIES, "docs/lessons/LL-0007-book-the-assessor.md": LESSON_7}
NEXT = {"retrospective": "RETRO-0002", "lesson": "LL-0008", "risk": "RISK-0003", "sop": "SOP-0002"}
FOLDERS = {"retrospective": "retrospectives", "lesson": "lessons", "risk": "risks", "sop": "sops"}
LABELS = {
    "en": {
        "retrospective": "Propose a retrospective",
        "lesson": "Propose a lesson",
        "risk": "Propose a risk case",
        "sop": "Propose an SOP",
    },
    "zh": {
        "retrospective": "提交项目复盘",
        "lesson": "提交经验教训",
        "risk": "提交风险案例",
        "sop": "提交标准作业程序",
    },
}
# The built pages that carry links, and the types they propose.
PAGES = {
    "registers/index.html": ["retrospective", "lesson", "risk", "sop"],
    "registers/risks/index.html": ["risk"],
    "registers/lessons/index.html": ["lesson"],
    "registers/sops/index.html": ["sop"],
    "registers/actions/index.html": ["retrospective"],
    "retrospectives/index.html": ["retrospective"],
    "lessons/index.html": ["lesson"],
    "risks/index.html": ["risk"],
    "sops/index.html": ["sop"],
}


class Host:
    """One host pattern: mkdocs.yml's settings and what the links must look like."""

    def __init__(self, name, repo_url, edit_uri, new, file_param, content_param, docs="docs"):
        self.name, self.repo_url, self.edit_uri = name, repo_url, edit_uri
        self.new, self.file_param, self.content_param = new, file_param, content_param
        self.docs = docs

    def __repr__(self) -> str:
        return self.name


HOSTS = [
    Host("github", "https://github.com/pmo/kb", "edit/main/docs/", "/pmo/kb/new/main/docs/{}",
         "filename", "value"),
    Host("gitlab", "https://gitlab.com/pmo/group/kb", "-/edit/main/docs/",
         "/pmo/group/kb/-/new/main/docs/{}", "file_name", "content"),
    Host("gitlab-self-managed", "https://git.corp.example/pmo/kb", "-/edit/release/docs/",
         "/pmo/kb/-/new/release/docs/{}", "file_name", "content"),
    Host("gitea", "https://git.example.org/pmo/kb", "_edit/main/docs/",
         "/pmo/kb/_new/main/docs/{}/", "filename", "value"),
    Host("forgejo", "https://codeberg.org/pmo/kb", "src/branch/trunk/kb/docs/",
         "/pmo/kb/_new/trunk/kb/docs/{}/", "filename", "value", docs="kb/docs"),
]  # fmt: skip


def _build(root: Path, lang: str = "en", extra: str = "", files: dict | None = None) -> Path:
    """A workspace of WORKSPACE (and ``files``) with ``extra`` appended to kb init's mkdocs.yml,
    built with `mkdocs build` (the plugin as any MkDocs build runs it); returns its root."""
    config = mkdocs_yml("Test KB", lang) + extra
    build_tree(root, {"mkdocs.yml": config, **WORKSPACE, **(files or {})})
    for folder in FOLDERS.values():  # kb init's section pages: real files with an edit button
        build_tree(root, {f"docs/{folder}/index.md": f"# {folder}\n"})
    build_tree(root, {"docs/index.md": "# Test KB\n"})
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return root


def _repo_settings(host: Host) -> str:
    return f"repo_url: {host.repo_url}\nedit_uri: {host.edit_uri}\n"


@pytest.fixture(scope="module", params=HOSTS, ids=repr)
def host_site(request, tmp_path_factory):
    host = request.param
    root = _build(tmp_path_factory.mktemp(host.name) / "ws", extra=_repo_settings(host))
    return host, root


def _links(page: Path) -> list[tuple[str, str, str]]:
    """(type, label, URL) of each "Propose a ..." link of a built page."""
    found = re.findall(
        r'<a class="md-button kb-propose__link" href="([^"]+)" title="[^"]*"'
        r' data-kb-type="([^"]+)">([^<]+)</a>',
        page.read_text("utf-8"),
    )
    return [(kind, html.unescape(label), html.unescape(url)) for url, kind, label in found]


def _split(text: str) -> tuple[dict, str]:
    """A proposed file's front matter (parsed) and body."""
    assert text.startswith("---\n"), text[:80]
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body.lstrip("\n")


def _expected_meta(ws, type_name: str) -> dict:
    etype = ws.schema.get(type_name)
    meta = {f.name: ([] if f.is_list else "") for f in etype.required}
    meta.update({"id": NEXT[type_name], "type": type_name, "status": "draft"})
    return meta


def test_every_register_and_type_index_proposes_each_type_to_the_host(host_site):
    """Each link opens the host's new-file page in the type's folder with the next free id
    and kb's template for the type, in the workspace language, filled in."""
    host, root = host_site
    ws = load_workspace(root=root)
    for page, types in PAGES.items():
        links = _links(root / "site" / page)
        assert [kind for kind, _, _ in links] == types, page
        for kind, label, url in links:
            assert label == LABELS["en"][kind]
            parts = urlsplit(url)
            assert f"{parts.scheme}://{parts.netloc}" == "/".join(host.repo_url.split("/")[:3])
            assert parts.path == host.new.format(FOLDERS[kind])
            query = parse_qs(parts.query, strict_parsing=True)
            assert set(query) == {host.file_param, host.content_param}
            assert query[host.file_param] == [f"{NEXT[kind]}-new-{_slug(ws, kind)}.md"]
            meta, body = _split(query[host.content_param][0])
            expected = _expected_meta(ws, kind)
            assert meta == expected
            assert list(meta) == list(expected)  # the schema's order
            assert body == render_body(ws, ws.schema.get(kind), expected, "en")
            assert len(url) <= MAX_URL_LENGTH


def _slug(ws, kind: str) -> str:
    return "-".join(ws.schema.get(kind).label("en").lower().split())


def test_the_hint_says_which_host_and_how_to_renumber(host_site):
    host, root = host_site
    page = (root / "site" / "registers/lessons/index.html").read_text("utf-8")
    hint = re.search(r'<p class="kb-propose__hint">(.*?)</p>', page).group(1)
    name = {"github": "GitHub", "gitea": "Gitea", "forgejo": "Forgejo"}.get(host.name, "GitLab")
    assert f"Opens {name}&#x27;s new-file page" in hint
    assert "(LL-0008)" in hint and "<code>kb renumber FILE</code>" in hint


def test_edit_this_page_on_every_entry_page_points_at_its_source_file(host_site):
    """Material's edit button: on every page made from a file of docs/ (entries, the section
    pages kb init writes), pointing at that very file; none on a generated page."""
    host, root = host_site
    edit_prefix = host.repo_url + "/" + host.edit_uri
    edited = {}
    for page in (root / "site").rglob("*.html"):
        found = re.findall(
            r'<a href="([^"]+)" title="[^"]*" class="md-content__button', page.read_text("utf-8")
        )
        if found:
            assert len(found) == 1, page
            assert found[0].startswith(edit_prefix), found[0]
            source = found[0][len(edit_prefix) :]
            assert (root / "docs" / source).is_file(), source  # a real file of the workspace
            edited[page.relative_to(root / "site").as_posix()] = source
    for src in WORKSPACE:
        rel = src.removeprefix("docs/").removesuffix(".md") + "/index.html"
        assert edited.get(rel) == src.removeprefix("docs/"), rel
    for generated in (
        "registers/index.html",
        "registers/lessons/index.html",
        "projects/index.html",
    ):
        assert (root / "site" / generated).is_file()
        assert generated not in edited


@pytest.fixture(scope="module")
def github_root(tmp_path_factory):
    """A site built with GitHub's settings (the proposed file is the same for every host)."""
    return _build(tmp_path_factory.mktemp("github-site") / "ws", extra=_repo_settings(HOSTS[0]))


def test_the_proposed_file_names_what_is_missing_and_passes_kb_check_once_filled(github_root, run):
    """As proposed, `kb check` names every blank required field; filled in, it is clean."""
    root = github_root
    _, _, url = _links(root / "site" / "registers/lessons/index.html")[0]
    query = parse_qs(urlsplit(url).query)
    name, text = query["filename"][0], query["value"][0]
    target = root / "docs" / "lessons" / name
    target.write_text(text, "utf-8")
    try:
        result = run(root, "check")
        lines = [line for line in result.output.splitlines() if name in line]
        blank = {"title", "date", "owner", "category", "phase", "impact"}
        assert {line.split(": ")[2] for line in lines if ": error: " in line} >= blank, lines
        filled = text.replace("title: ''", "title: Freeze the scope before the build")
        filled = filled.replace("date: ''", f"date: {dt.date.today()}").replace(
            "owner: ''", "owner: Mia"
        )
        for field, value in (("category", "scope"), ("phase", "planning"), ("impact", "negative")):
            filled = filled.replace(f"{field}: ''", f"{field}: {value}")
        target.write_text(filled, "utf-8")
        result = run(root, "check", "--json")
        problems = [p for p in yaml.safe_load(result.output)["problems"] if name in p["path"]]
        assert problems == []
    finally:
        target.unlink()


@pytest.mark.parametrize(
    "settings",
    [
        "",  # no repo_url at all
        "edit_uri: edit/main/docs/\n",  # an edit URI with no repository to join it to
        "repo_url: https://bitbucket.org/pmo/kb\nedit_uri: src/default/docs/\n",  # unknown form
    ],
    ids=["none", "edit-uri-only", "unknown-host-form"],
)
def test_without_a_repository_there_are_no_propose_links(tmp_path, settings):
    root = _build(tmp_path / "ws", extra=settings)
    for page in (root / "site").rglob("*.html"):
        text = page.read_text("utf-8")
        assert "kb-propose" not in text, page
        if not settings.startswith("repo_url"):
            assert "md-content__button" not in text, page  # no edit button either


def test_a_chinese_workspace_proposes_in_chinese(tmp_path):
    root = _build(tmp_path / "ws", "zh", _repo_settings(HOSTS[0]))
    ws = load_workspace(root=root)
    page = (root / "site" / "registers/index.html").read_text("utf-8")
    links = _links(root / "site" / "registers/index.html")
    assert [label for _, label, _ in links] == [
        LABELS["zh"][k] for k in PAGES["registers/index.html"]
    ]
    assert "打开 GitHub 的新建文件页面" in page
    for kind, _, url in links:
        query = parse_qs(urlsplit(url).query)
        assert query["filename"] == [f"{NEXT[kind]}-新{ws.schema.get(kind).label('zh')}.md"]
        text = query["value"][0]
        assert text == proposal_text(ws, ws.schema.get(kind), NEXT[kind], "zh")
        meta, body = _split(text)
        assert body == render_body(ws, ws.schema.get(kind), _expected_meta(ws, kind), "zh")
        assert len(url) <= MAX_URL_LENGTH
    lesson = parse_qs(urlsplit(links[1][2]).query)["value"][0]
    assert "## 经验教训" in lesson or "## 教训" in lesson, lesson
    assert "可选值：" in lesson  # the hints are Chinese too


LONG_GUIDANCE = "<!-- " + "Say what happened, when, and who noticed it first. " * 120 + "-->\n"
LONG_TEXT = "A paragraph every risk case starts with, kept by the PMO. " * 200 + "\n"


def test_a_template_too_long_for_a_link_is_shortened_then_left_out(tmp_path):
    """Without its comments when that is enough; else the file name only, and the page says so."""
    templates = {
        "templates/en/lesson.md.j2": "# {{ entry.title }}\n\n## {{ sections.lesson }}\n\n"
        + LONG_GUIDANCE,
        "templates/en/risk.md.j2": "# {{ entry.title }}\n\n" + LONG_TEXT,
    }
    root = _build(tmp_path / "ws", extra=_repo_settings(HOSTS[0]), files=templates)
    ws = load_workspace(root=root)
    ((_, _, lesson_url),) = _links(root / "site" / "registers/lessons/index.html")
    value = parse_qs(urlsplit(lesson_url).query)["value"][0]
    assert value == proposal_text(ws, ws.schema.get("lesson"), "LL-0008", "en", hints=False)
    assert "<!--" not in value and "#" not in value.split("---")[1]  # no hints either
    assert len(lesson_url) <= MAX_URL_LENGTH
    page = (root / "site" / "registers/risks/index.html").read_text("utf-8")
    ((_, _, risk_url),) = _links(root / "site" / "registers/risks/index.html")
    assert parse_qs(urlsplit(risk_url).query) == {"filename": ["RISK-0003-new-risk-case.md"]}
    note = re.search(r'<p class="kb-propose__note">(.*?)</p>', page).group(1)
    assert "The Risk case template is too long to pass in a link" in note
    assert f"at most {MAX_URL_LENGTH}" in note and "<code>kb new risk</code>" in note


def test_a_template_that_cannot_be_rendered_is_a_build_warning(tmp_path):
    """The build goes on, warning (so --strict fails); that button carries the file name only."""
    root = tmp_path / "ws"
    broken = "# {{ entry.title }}\n\nApproved by {{ entry.approver }}.\n"
    config = mkdocs_yml("Test KB", "en") + _repo_settings(HOSTS[0])
    build_tree(root, {"mkdocs.yml": config, **WORKSPACE, "templates/en/sop.md.j2": broken})
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    told = [
        line
        for line in warnings
        if "en/sop.md.j2: template error" in line and 'the "Propose an SOP" link' in line
    ]
    assert len(told) == 1, result.stderr  # once, though three pages propose an SOP
    ((_, _, url),) = _links(root / "site" / "registers/sops/index.html")
    assert parse_qs(urlsplit(url).query) == {"filename": ["SOP-0002-new-sop.md"]}
    ((_, _, lesson),) = _links(root / "site" / "registers/lessons/index.html")
    assert "value" in parse_qs(urlsplit(lesson).query)  # the other types are not affected


def test_pages_only_carries_the_links_from_mkdocs_yml(tmp_path, run):
    """`kb build --pages-only` reads repo_url from mkdocs.yml itself, MkDocs' edit_uri default
    (edit/master/docs/ on github.com) included."""
    root = tmp_path / "ws"
    build_tree(
        root, {"mkdocs.yml": mkdocs_yml("Test KB", "en") + "repo_url: https://github.com/o/r\n"}
    )
    build_tree(root, WORKSPACE)
    result = run(root, "build", "--pages-only", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "registers" / "lessons.md").read_text("utf-8")
    urls = re.findall(r'class="md-button kb-propose__link" href="([^"]+)"', text)
    assert [urlsplit(html.unescape(u)).path for u in urls] == ["/o/r/new/master/docs/lessons"]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"repo_url": "https://github.com/o/r"},
            ("GitHub", "https://github.com/o/r", "master", "docs"),
        ),
        (
            {"repo_url": "https://github.com/o/r/", "edit_uri": "blob/dev/site/docs/"},
            ("GitHub", "https://github.com/o/r", "dev", "site/docs"),
        ),
        (
            {"repo_url": "https://ghe.corp.example/o/r", "edit_uri": "edit/main/"},
            ("GitHub", "https://ghe.corp.example/o/r", "main", ""),
        ),
        (
            {"repo_url": "https://gitlab.com/g/s/r", "edit_uri": "edit/main/docs/"},
            ("GitLab", "https://gitlab.com/g/s/r", "main", "docs"),
        ),
        (
            {"repo_url": "https://code.corp/o/r.git", "edit_uri": "-/blob/main/docs/"},
            ("GitLab", "https://code.corp/o/r", "main", "docs"),
        ),
        (
            {"repo_url": "https://code.corp/o/r", "edit_uri": "_edit/main/docs/"},
            ("Gitea", "https://code.corp/o/r", "main", "docs"),
        ),
        (
            {"repo_url": "https://forgejo.corp/o/r", "edit_uri": "_edit/main/docs/"},
            ("Forgejo", "https://forgejo.corp/o/r", "main", "docs"),
        ),
        (
            {"edit_uri": "https://github.com/o/r/edit/main/docs/"},
            ("GitHub", "https://github.com/o/r", "main", "docs"),
        ),
        (
            {"repo_url": "https://github.com/o/edit", "edit_uri_template": "edit/main/docs/{path}"},
            ("GitHub", "https://github.com/o/edit", "main", "docs"),
        ),
        ({"repo_url": "https://github.com/o/r", "edit_uri": ""}, None),
        ({"repo_url": "https://example.invalid/o/r"}, None),
        ({"repo_url": "https://bitbucket.org/o/r", "edit_uri": "src/default/docs/"}, None),
        ({"repo_url": "https://github.com/o/r", "edit_uri": "?path="}, None),
        ({}, None),
    ],
)
def test_the_repository_is_read_from_repo_url_and_edit_uri(settings, expected):
    repo = repository(settings)
    found = None if repo is None else (repo.host.name, repo.base, repo.branch, repo.docs_path)
    assert found == expected


# ---------------------------------------------------------------------------------------------
# In Chromium


@pytest.fixture(scope="module")
def github_site_url(github_root):
    root = github_root

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
            pass

    handler = functools.partial(Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser, github_site_url):
    """A page of the GitHub site; fails the test on a console error or on any request to another
    host than 127.0.0.1 (all of them refused): Material's header shows the repository without
    asking GitHub's API for its stars and forks."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    outside: list[str] = []
    problems: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(github_site_url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    pg = context.new_page()
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda exc: problems.append(str(exc)))
    pg.base = github_site_url
    yield pg
    # A request still being routed when the context closes must not fail the test afterwards.
    context.unroute_all(behavior="ignoreErrors")
    context.close()
    assert outside == []
    assert problems == []


@pytest.mark.browser
def test_the_links_and_the_edit_button_in_a_browser(page):
    """The reader sees the links and the edit button, and they lead to the host's pages."""
    page.goto(page.base + "registers/lessons/")
    link = page.get_by_role("link", name="Propose a lesson")
    assert link.is_visible()
    parts = urlsplit(link.get_attribute("href"))
    assert (parts.netloc, parts.path) == ("github.com", "/pmo/kb/new/main/docs/lessons")
    assert parse_qs(parts.query)["filename"] == ["LL-0008-new-lesson-learned.md"]
    page.goto(page.base + "lessons/LL-0001-rehearse-twice/")
    edit = page.locator("a.md-content__button[rel=edit]")
    assert edit.is_visible()
    assert edit.get_attribute("href") == (
        "https://github.com/pmo/kb/edit/main/docs/lessons/LL-0001-rehearse-twice.md"
    )
    assert page.get_by_role("link", name="Propose a lesson").count() == 0  # not on entry pages
    page.goto(page.base + "registers/")
    assert page.locator("a.md-content__button[rel=edit]").count() == 0  # a generated page
    names = [a.inner_text() for a in page.locator("a.kb-propose__link").all()]
    assert names == [LABELS["en"][k] for k in PAGES["registers/index.html"]]
    # The header links to the repository, and asks GitHub for nothing (see the page fixture).
    source = page.locator(".md-header__source a.md-source")
    assert source.get_attribute("href") == HOSTS[0].repo_url
    assert source.get_attribute("data-md-component") is None
    assert page.locator(".md-source__facts").count() == 0

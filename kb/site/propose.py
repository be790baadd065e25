"""Propose an entry from the site: links to the git host's new-file page, the template filled in.

With ``repo_url`` in mkdocs.yml, the register pages and the entry type indexes carry a "Propose a
lesson" (risk case, retrospective, SOP) link that opens the host's page for a new file in the
type's folder, named after the next free id, holding kb's own template for that type in the
workspace language (the front matter's required fields blank, each with its hint as a YAML
comment). Committing it on a new branch makes a merge request, where ``kb check`` says what is
still missing.

The branch and the folder of docs/ in the repository come from ``edit_uri`` (or
``edit_uri_template``), which also makes Material's "Edit this page" button, so the two always
agree: ``edit/main/docs/`` means branch ``main`` and folder ``docs``. The host is told by the form
of that URI where it has one of its own (``-/edit/`` GitLab, ``_edit/`` or ``src/branch/`` Gitea
and Forgejo), else by the name of the host (github, gitlab, gitea, forgejo, codeberg), else it is
taken for GitHub (``edit/`` and ``blob/`` are GitHub's form, GitHub Enterprise's included).
Without ``repo_url`` (and without an absolute ``edit_uri``), or with an ``edit_uri`` of no known
form, there are no links.

Each host has its own new-file URL, one class each:

- GitHub: ``/new/<branch>/<folder>?filename=NAME&value=TEXT`` (the parameters its new-file page
  reads, used by docfx and others; GitHub's docs leave them out);
- GitLab: ``/-/new/<branch>/<folder>?file_name=NAME&content=TEXT`` (its new-file page fills both
  from these parameters; GitLab does not document them either);
- Gitea and Forgejo: ``/_new/<branch>/<folder>/?filename=NAME&value=TEXT``, documented by Gitea
  ("Pre-Fill New File name and contents") and kept by Forgejo.

The id is the next free one as the site is built (the highest id of the type on the site, plus
one), not a placeholder: the proposed file then passes ``kb check`` as it is, with no terminal
needed to give it an id, and the site is rebuilt on every merge, so the id is normally still free.
When two proposals are open at once, the second one merged has an id the first one took;
``kb check`` says so and ``kb renumber FILE`` gives it the next one.

Links stay under ``MAX_URL_LENGTH`` characters: browsers accept far longer ones, but the web
servers in front of most hosts refuse a request line over 8 KB (nginx's default). A template too
long for that loses its comments (the hints in the front matter, the ``<!-- -->`` guidance in the
body), and if it is still too long the link opens the new-file page with the file name only and
the page says so.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

import yaml

from kb import i18n
from kb.config import Workspace
from kb.errors import KbError
from kb.schema import BOOL, DATE, EntryType, Field
from kb.site.catalog import Catalog
from kb.site.markup import h
from kb.store import format_id, slugify

__all__ = [
    "MAX_URL_LENGTH",
    "GitHost",
    "Proposal",
    "Repository",
    "is_web_url",
    "next_id",
    "proposal_text",
    "proposals",
    "propose_links",
    "repository",
]

log = logging.getLogger("mkdocs.plugins.kb")

# What web servers commonly accept as a request line (nginx: large_client_header_buffers 8k).
MAX_URL_LENGTH = 8000


class GitHost:
    """A kind of git host: its name and the URL of its page for a new file."""

    name = ""
    new_path = ""  # after the repository's URL, before the branch
    folder_end = ""  # after the folder
    file_param = ""
    content_param = ""

    def new_file_url(self, base: str, branch: str, folder: str, file_name: str, text: str) -> str:
        """The page for a new file ``file_name`` in ``folder`` of ``branch``, holding ``text``."""
        query = {self.file_param: file_name}
        if text:
            query[self.content_param] = text
        path = "/".join(quote(part, safe="") for part in (branch, *folder.split("/")) if part)
        return f"{base}/{self.new_path}/{path}{self.folder_end}?{urlencode(query, quote_via=quote)}"


class GitHub(GitHost):
    """github.com and GitHub Enterprise."""

    name = "GitHub"
    new_path = "new"
    file_param, content_param = "filename", "value"


class GitLab(GitHost):
    """gitlab.com and self-managed GitLab."""

    name = "GitLab"
    new_path = "-/new"
    file_param, content_param = "file_name", "content"


class Gitea(GitHost):
    """Gitea, and Forgejo (which kept Gitea's editor and its parameters)."""

    name = "Gitea"
    new_path = "_new"
    folder_end = "/"
    file_param, content_param = "filename", "value"


class Forgejo(Gitea):
    """Forgejo (Codeberg): Gitea's URLs under its own name."""

    name = "Forgejo"


# The forms of edit_uri a host has of its own, in the order they are looked for.
_MARKERS: tuple[tuple[str, type[GitHost] | None], ...] = (
    ("-/edit/", GitLab),
    ("-/blob/", GitLab),
    ("_edit/", Gitea),
    ("src/branch/", Gitea),
    ("edit/", None),
    ("blob/", None),
)
_HOST_NAMES: tuple[tuple[str, type[GitHost]], ...] = (
    ("github", GitHub),
    ("gitlab", GitLab),
    ("forgejo", Forgejo),
    ("codeberg", Forgejo),
    ("gitea", Gitea),
)


@dataclass(frozen=True)
class Repository:
    """Where new entries are proposed: the host, the repository's URL, the branch, and the
    folder of docs/ in the repository ('' when docs/ is its root)."""

    host: GitHost
    base: str
    branch: str
    docs_path: str

    def new_file_url(self, folder: str, file_name: str, text: str) -> str:
        """The host's page for a new file in ``folder`` (under docs/) holding ``text``."""
        where = "/".join(p for p in (self.docs_path, folder) if p)
        return self.host.new_file_url(self.base, self.branch, where, file_name, text)


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL (what an edit button or a propose link must be)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _host_by_name(netloc: str) -> type[GitHost] | None:
    name = netloc.lower()
    for word, host in _HOST_NAMES:
        if word in name:
            return host
    return None


def _edit_uri(config: Mapping[str, Any], repo_url: str) -> str:
    """The edit URI MkDocs makes "Edit this page" from, its default included."""
    template = config.get("edit_uri_template")
    if template:
        return str(template).split("{path", 1)[0]
    edit_uri = config.get("edit_uri")
    # MkDocs' own default (mkdocs.config.config_options.EditURI), for a parsed mkdocs.yml.
    if edit_uri is None and urlsplit(repo_url).netloc.lower() in ("github.com", "gitlab.com"):
        edit_uri = "edit/master/docs/"
    return str(edit_uri or "")


def repository(config: Mapping[str, Any]) -> Repository | None:
    """The repository that ``repo_url`` and ``edit_uri`` in mkdocs.yml name; None when they
    name none kb can propose to."""
    repo_url = str(config.get("repo_url") or "").strip()
    edit_uri = _edit_uri(config, repo_url)
    if not edit_uri or edit_uri.startswith(("?", "#")):
        return None
    if repo_url:
        full = urljoin(repo_url.rstrip("/") + "/", edit_uri)
        repo_path = urlsplit(repo_url).path.rstrip("/")
    else:
        full, repo_path = edit_uri, ""
    if not is_web_url(full):
        return None
    parts = urlsplit(full)
    path = parts.path
    skip = len(repo_path) if repo_path and path.startswith(repo_path + "/") else 0
    for marker, host in _MARKERS:
        at = path.find("/" + marker, skip)
        if at == -1:
            continue
        rest = [unquote(p) for p in path[at + 1 + len(marker) :].split("/") if p]
        if not rest:
            return None
        kind = host or _host_by_name(parts.netloc) or GitHub
        if host is Gitea and _host_by_name(parts.netloc) is Forgejo:
            kind = Forgejo
        base = f"{parts.scheme}://{parts.netloc}{path[:at]}".removesuffix(".git")
        return Repository(kind(), base, rest[0], "/".join(rest[1:]))
    return None


# ---------------------------------------------------------------------------------------------
# The proposed file


def _blank(f: Field) -> Any:
    return [] if f.is_list else ""


# How a value of these kinds is written in front matter, after the field's own hint.
_FORMS = {DATE: "hint.date_form", BOOL: "propose.bool_form"}


def _hint(f: Field, lang: str) -> str:
    if f.choices:
        return i18n.text("propose.one_of", lang, values=", ".join(f.choices))
    form = i18n.text(_FORMS[f.kind], lang) if f.kind in _FORMS else ""
    parts = [part.rstrip("?？") for part in (f.hint(lang), form) if part]
    return i18n.text("propose.separator", lang).join(parts)


def _front_matter(etype: EntryType, meta: dict[str, Any], lang: str, hints: bool) -> str:
    """Front matter written field by field by the YAML library, a field's hint as a comment
    after a blank value."""
    lines = ["---"]
    for name, value in meta.items():
        line = yaml.safe_dump({name: value}, allow_unicode=True, width=1000).rstrip("\n")
        f = etype.field(name)
        hint = _hint(f, lang) if hints and f is not None and value in ("", []) else ""
        lines.append(f"{line}  # {hint}" if hint else line)
    lines.append("---")
    return "\n".join(lines) + "\n"


_COMMENT = re.compile(r"^[ \t]*<!--.*?-->[ \t]*\n", re.M | re.S)


def proposal_text(
    ws: Workspace, etype: EntryType, entry_id: str, lang: str, hints: bool = True
) -> str:
    """A new entry as proposed from the site: the required fields (blank but for id, type and
    status), then the body from kb's template for the type in ``lang``. ``hints=False`` leaves
    out the comments (the fields' hints, the template's ``<!-- -->`` guidance)."""
    from kb.scaffold import render_body

    meta: dict[str, Any] = {f.name: _blank(f) for f in etype.required}
    meta.update({"id": entry_id, "type": etype.name, "status": "draft"})
    body = render_body(ws, etype, meta, lang)
    if not hints:
        body = re.sub(r"\n{3,}", "\n\n", _COMMENT.sub("", body))
    return _front_matter(etype, meta, lang, hints) + "\n" + body.lstrip("\n")


def next_id(cat: Catalog, etype: EntryType) -> str:
    """The id after the highest of the type's entries on the site (by id and by file name)."""
    pattern = re.compile(rf"^{re.escape(etype.prefix)}-(\d+)(?![^-.])")
    numbers = [0]
    for e in cat.of_type(etype.name):
        for name in (e.id or "", e.path.name):
            m = pattern.match(name)
            if m:
                numbers.append(int(m.group(1)))
    return format_id(etype, max(numbers) + 1)


@dataclass(frozen=True)
class Proposal:
    """One "Propose a ..." link: its label, URL and the file it creates (path in the
    repository); ``content`` is what the URL carries: 'template', 'short' (without comments)
    or 'none' (the file name only)."""

    type_name: str
    entry_id: str
    label: str
    url: str
    path: str
    content: str
    note: str = ""


def _label(etype: EntryType, lang: str) -> str:
    key = f"propose.{etype.name}"
    if i18n.has(key, lang):
        return i18n.text(key, lang)
    return i18n.text("propose.other", lang, type=etype.label(lang))


def _proposal(cat: Catalog, repo: Repository, etype: EntryType) -> Proposal:
    ws, lang = cat.ws, cat.language
    entry_id = next_id(cat, etype)
    slug = slugify(i18n.text("propose.file_name", lang, type=etype.label(lang)))
    file_name = f"{entry_id}-{slug}.md"
    folder = ws.section_dir(etype.name)
    path = "/".join(p for p in (repo.docs_path, folder, file_name) if p)
    label = _label(etype, lang)
    try:
        full = proposal_text(ws, etype, entry_id, lang)
        short = proposal_text(ws, etype, entry_id, lang, hints=False)
    except KbError as exc:
        note = i18n.text("propose.template_error", lang, error=str(exc), label=label)
        log.warning("kb: %s", note)
        return Proposal(etype.name, entry_id, label, _url(repo, folder, file_name), path, "none")
    for content, text in (("template", full), ("short", short)):
        url = repo.new_file_url(folder, file_name, text)
        if len(url) <= MAX_URL_LENGTH:
            return Proposal(etype.name, entry_id, label, url, path, content)
    note = i18n.text(
        "propose.too_long",
        lang,
        type=etype.label(lang),
        name=etype.name,
        length=len(repo.new_file_url(folder, file_name, short)),
        limit=MAX_URL_LENGTH,
    )
    log.info("kb: %s", note)
    return Proposal(etype.name, entry_id, label, _url(repo, folder, file_name), path, "none", note)


def _url(repo: Repository, folder: str, file_name: str) -> str:
    return repo.new_file_url(folder, file_name, "")


def proposals(cat: Catalog, type_names: list[str] | tuple[str, ...]) -> list[Proposal]:
    """The "Propose a ..." links for these entry types; none without a repository."""
    repo = repository(cat.ws.mkdocs_config)
    return _proposals(cat, repo, type_names) if repo is not None else []


# The proposals of the catalog being built: several pages propose one type, and its template is
# rendered (and a problem with it reported) once per build.
# (A weak reference: the cache does not keep a catalog of thousands of entries alive.)
_made: list[Any] = [lambda: None, {}]


def _proposals(cat: Catalog, repo: Repository, type_names) -> list[Proposal]:
    if _made[0]() is not cat:
        _made[:] = [weakref.ref(cat), {}]
    made: dict[str, Proposal] = _made[1]
    found = []
    for name in type_names:
        etype = cat.ws.schema.get(name)
        if etype is None:
            continue
        if etype.name not in made:
            made[etype.name] = _proposal(cat, repo, etype)
        found.append(made[etype.name])
    return found


def _code(message: str) -> str:
    """A catalog message as HTML, its `commands` as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", h(message))


def propose_links(cat: Catalog, *type_names: str) -> str:
    """The links of ``proposals`` as a block of HTML for a generated page ('' without any),
    with a line saying what they do."""
    repo = repository(cat.ws.mkdocs_config)
    found = _proposals(cat, repo, type_names) if repo is not None else []
    if repo is None or not found:
        return ""
    lang = cat.language
    links = " ".join(
        f'<a class="md-button kb-propose__link" href="{h(p.url)}" title="{h(p.path)}"'
        f' data-kb-type="{h(p.type_name)}">{h(p.label)}</a>'
        for p in found
    )
    ids = ", ".join(p.entry_id for p in found)
    hint = i18n.text("propose.hint", lang, count=len(found), host=repo.host.name, ids=ids)
    notes = "".join(f'\n<p class="kb-propose__note">{_code(p.note)}</p>' for p in found if p.note)
    return (
        f'\n<div class="kb-propose" data-search-exclude>\n<p>{links}</p>\n'
        f'<p class="kb-propose__hint">{_code(hint)}</p>{notes}\n</div>\n\n'
    )

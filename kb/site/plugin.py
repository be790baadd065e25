"""The ``kb`` MkDocs plugin: a thin adapter between MkDocs and retro-kb's core.

Options are declared from ``kb.config.SETTINGS`` so the CLI and the site read one configuration.
At build time the plugin first takes out of the build every file of docs/ that must not be
published or cannot be read (``kb.site.sources``: symlinks out of the workspace, files that are
not UTF-8, entries `kb check` cannot read or refuses for size), each named in a warning. Then it
reads the entries once, logs `kb check` problems as MkDocs warnings naming the file (so
``mkdocs build --strict`` fails on them), adds the generated pages of ``kb.site.pages`` as
in-memory files (nothing is written into docs/), gives every entry page a header card and its
backlinks, draws mermaid diagrams with the site's own copy of mermaid (``kb.site.diagrams``), and
ships a small script and style sheet of its own; Material's repository link comes without its
call to the host's API (``kb.site.theme``).

The site's search is Pagefind (``kb.site.site_search``): entry pages carry what it indexes,
their facets and their language, a search page and the header's box come with the plugin, and
after every build the plugin indexes the built site, one bundle per language. A workspace that
keeps Material's ``search`` plugin in mkdocs.yml keeps Material's search instead, and the plugin
leaves search alone.

Build time matters at thousands of entries, so the plugin keeps its own HTML away from the
slow parts of a build: the generated tables are raw HTML with the site's URLs rather than
markdown tables, and they, the cards and the backlinks join the page only after Python-Markdown
has rendered it (and Material's search plugin, where it is on, has indexed it: all of them are
kept out of the search index anyway).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
import re
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from kb.config import SETTINGS, Workspace, validate_settings
from kb.errors import KbError
from kb.site.diagrams import find_mermaid
from kb.site.nav import site_nav
from kb.site.site_search import SiteSearch, material_search_on

log = logging.getLogger("mkdocs.plugins.kb")

# A table of the generated pages as kb.site.pages writes it in HTML: from its <div> line to the
# </div> line (no line inside the table is that), and the comment that stands in for it.
_HTML_TABLE = re.compile(r"^<div [^\n]*>\n<table>\n.*?^</div>$", re.M | re.S)
_TABLE_MARK = re.compile(r"<!--kb-table-(\d+)-->")

ASSETS = ("assets/kb/kb.css", "assets/kb/kb.js")


def _options() -> tuple:
    options = []
    for name, (kind, default, _) in SETTINGS.items():
        if name == "check_level":
            options.append((name, c.Choice(("error", "warning"), default=default)))
        else:
            options.append((name, c.Type(kind, default=default)))
    return tuple(options)


class KbPlugin(BasePlugin):
    """Adds retro-kb's checks, generated pages, entry cards and backlinks to a MkDocs build."""

    config_scheme = _options()

    def on_config(self, config):
        """Read the workspace settings from the same options MkDocs validated."""
        root = Path(config.config_file_path).resolve().parent
        raw = {k: v for k, v in self.config.items() if k in SETTINGS}
        try:
            language = str(config.theme.get("language") or "") if config.theme else ""
            settings = validate_settings(raw, str(root / "mkdocs.yml"), language)
        except KbError as exc:
            raise PluginError(str(exc)) from None
        mk = {"docs_dir": config.docs_dir}
        # Where "Propose a ..." links lead (kb.site.propose): as MkDocs resolved them.
        for key in ("repo_url", "edit_uri", "edit_uri_template"):
            mk[key] = config.get(key)
        self.workspace = Workspace(root=root, settings=settings, mkdocs_config=mk)
        self.catalog = None
        self.files: Files | None = None
        self.urls: dict[str, str] = {}
        self.entries_by_src: dict[str, Any] = {}
        self.appendix: dict[str, str] = {}
        self.tables: dict[str, list[str]] = {}
        self.loaded = None
        self.left_out: list = []
        self.mermaid = find_mermaid()
        self.diagram_pages: set[str] = set()
        self.code_diagrams: set[str] = set()
        self.user_nav = config.nav
        # Material's search segments Chinese with jieba, which chats on stderr while loading.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        for path in ASSETS:
            target = config.extra_css if path.endswith(".css") else config.extra_javascript
            if path not in [str(p) for p in target]:
                target.append(path)
        self.search: SiteSearch | None = None
        if material_search_on(config):
            log.info("kb: the site keeps Material's search (`search` in mkdocs.yml plugins)")
        else:
            self.search = SiteSearch(self.workspace)
            self.search.add_assets(config)
        from kb.site.entry_markdown import add_task_lists

        add_task_lists(config)  # recommendations are checklists
        return config

    @event_priority(100)
    def _leave_out_unpublishable(self, files: Files, config) -> Files:
        """First of all plugins: take out of the build what must not be published or cannot be
        read (see ``kb.site.sources``), each named in a warning, so nothing else reads it."""
        from kb.site.sources import Source, screen
        from kb.store import load_entries

        ws = self.workspace
        try:
            self.loaded = load_entries(ws)
        except KbError as exc:
            raise PluginError(str(exc)) from None
        # Only what comes from docs/: the theme's own files are in the list too.
        docs_dir = os.path.abspath(config.docs_dir)
        sources = [
            Source(f.src_uri, f.abs_src_path, f.is_documentation_page())
            for f in files
            if f.abs_src_path is not None and f.src_dir and os.path.abspath(f.src_dir) == docs_dir
        ]
        screened = screen(ws, sources, self.loaded)
        removed = screened.removed
        for file in [f for f in files if f.src_uri in removed]:
            files.remove(file)
        self.left_out = screened.left_out
        for item in self.left_out:
            log.warning("kb: %s", item.format())
        return files

    def _add_generated_pages(self, files: Files, config) -> Files:
        """Report problems, add the generated pages and the assets."""
        from kb.checks import check_workspace
        from kb.site.catalog import build_catalog, page_path
        from kb.site.pages import appendable, generate_pages, without_heading

        ws = self.workspace
        loaded = self.loaded
        # An entry is published when its page is: not one the screening left out.
        docs_dir = ws.docs_dir.absolute()
        published = [e for e in loaded.entries if files.get_file_from_path(page_path(e, docs_dir))]
        try:
            today = dt.date.today()
            if ws.settings.check_on_build:
                self._report(check_workspace(ws, today, loaded).problems)
            catalog = build_catalog(ws, published, today)
            pages = {}
            if ws.settings.pages:
                href = _site_href(files, config)
                pages = generate_pages(ws, published, today, catalog, href)
        except KbError as exc:
            raise PluginError(str(exc)) from None
        self.catalog = catalog
        self.files = files
        self.entries_by_src = {catalog.docs_path(e): e for e in published}
        self.tables = {}
        for path, markdown in pages.items():
            markdown = self._set_tables_aside(path, markdown)
            existing = files.get_file_from_path(path)
            if existing is not None:
                if appendable(path, ws):
                    self.appendix[path] = without_heading(markdown)
                else:
                    log.info("kb: docs/%s exists; it replaces the generated page", path)
                continue
            files.append(File.generated(config, path, content=markdown))
        for path in ASSETS:
            if files.get_file_from_path(path) is None:
                name = posixpath.basename(path)
                content = resources.files("kb.site").joinpath("assets", name).read_bytes()
                files.append(File.generated(config, path, content=content))
        if not self.user_nav:
            config.nav = site_nav(self.workspace, files)
        # The URL of every page, looked up for each link of 5,000 cards.
        self.urls = {f.src_uri: f.url for f in files.documentation_pages()}
        return files

    def _add_search(self, files: Files, config) -> Files:
        """The search page, the search script's assets, and each entry page's language."""
        if self.search is None:
            return files
        return self.search.add_files(files, config, self.entries_by_src)

    on_files = CombinedEvent(_leave_out_unpublishable, _add_generated_pages, _add_search)

    def _set_tables_aside(self, path: str, markdown: str) -> str:
        """Replace the page's HTML tables by comments, to put them back in on_page_context.

        Python-Markdown would only pass them through and the search plugin only skip them
        (``data-search-exclude``), yet both would parse every row of them.
        """
        tables: list[str] = []

        def aside(match: re.Match) -> str:
            tables.append(match.group(0))
            return f"<!--kb-table-{len(tables) - 1}-->"

        markdown = _HTML_TABLE.sub(aside, markdown)
        if tables:
            self.tables[path] = tables
        return markdown

    def _report(self, problems) -> None:
        level = self.workspace.settings.check_level
        # A file left out of the site has its warning already, with the same reason.
        left_out = {item.path for item in self.left_out}
        below = tuple(path + "/" for path in left_out)
        for problem in problems:
            if problem.path in left_out or problem.path.startswith(below):
                continue
            if problem.level == "error" or level == "warning":
                log.warning("kb check: %s", problem.format())
            else:
                log.info("kb check: %s", problem.format())

    def on_pre_page(self, page, config, files):
        """No "Edit this page" button that leads nowhere: given an ``edit_uri`` but no
        ``repo_url``, MkDocs warns and makes a relative link of it."""
        from kb.site.propose import is_web_url

        if page.edit_url and not is_web_url(page.edit_url):
            page.edit_url = None
        return page

    def on_page_markdown(self, markdown: str, page, config, files):
        """Append the generated part of index pages; give entry pages an escaped title."""
        from kb.site.markup import link_ids, md, template_text

        src = page.file.src_uri
        if src in self.appendix:
            markdown = markdown.rstrip("\n") + "\n\n" + self.appendix[src]
        if page.is_homepage and self.workspace.settings.pages:
            # The dashboard's tables and charts want the width the navigation sidebar takes.
            page.meta.setdefault("hide", ["navigation"])
        meta = page.meta
        _keep_printable_meta(meta)
        entry = self.entries_by_src.get(src)
        if entry is None or self.catalog is None:
            return markdown
        meta["title"] = template_text(entry.title)
        for key in ("description", "subtitle"):
            if isinstance(meta.get(key), str):
                meta[key] = template_text(meta[key])
        if "tags" in meta:
            meta["tags"] = [template_text(t) for t in meta["tags"]]
        # Material shows its own page-status icons for meta.status; ours is in the card.
        meta.pop("status", None)
        cat = self.catalog

        def target(entry_id: str) -> str | None:
            found = cat.by_id.get(entry_id)
            return cat.docs_path(found) if found is not None and found is not entry else None

        from kb.site.cards import page_text

        body = link_ids(page_text(cat, entry, _drop_title(markdown)).strip(), src, target)
        return f"# {md(entry.title)}\n\n{body}\n"

    def on_page_content(self, html: str, page, config, files):
        """Diagrams: drawn with the site's own mermaid where it is installed, else code."""
        from kb.site.diagrams import as_code, as_diagrams, has_diagram

        if self.mermaid is not None:
            html = as_diagrams(html)
        if not has_diagram(html):
            return html
        if self.mermaid is not None:
            self.diagram_pages.add(page.file.src_uri)
            return html
        self.code_diagrams.add(page.file.src_uri)
        return as_code(html)

    @event_priority(-100)
    def on_page_context(self, context, page, config, nav):
        """Put back the generated tables; give an entry page its header card and backlinks.

        Last, so the search plugin has already indexed the page: all of these are kept out of the
        index (``data-search-exclude``), and at 5,000 pages parsing them for nothing costs seconds.
        """
        src = page.file.src_uri
        tables = self.tables.get(src)
        if tables and page.content:
            page.content = _TABLE_MARK.sub(lambda m: tables[int(m.group(1))], page.content)
        if src in self.diagram_pages and self.mermaid is not None and page.content:
            from kb.site.diagrams import script_tag

            script = get_relative_url(self.mermaid.uri, page.file.url)
            page.content = f"{page.content}\n{script_tag(script)}\n"
        entry = self.entries_by_src.get(src)
        if entry is None or self.catalog is None or self.files is None or not page.content:
            return context
        from kb.site.cards import action_table, footer, header_card, insert_action_table

        files, urls, here = self.files, self.urls, page.file.url

        def href(docs_path: str) -> str | None:
            url = urls.get(docs_path)
            if url is None:
                target = files.get_file_from_path(docs_path)  # added by another plugin since
                url = target.url if target is not None else None
            return get_relative_url(url, here) if url is not None else None

        card = header_card(self.catalog, entry, href)
        links = footer(self.catalog, entry, href)
        content = insert_action_table(content=page.content, table=action_table(self.catalog, entry))
        # The page starts with the title on_page_markdown wrote; the card goes right under it.
        end = content.find("</h1>")
        at = end + len("</h1>") if end != -1 else 0
        page.content = f"{content[:at]}\n{card}\n{content[at:]}\n{links}\n"
        if self.search is not None:
            page.content = self.search.entry_content(page.content, self.catalog, entry, page.file)
        return context

    def on_env(self, env, config, files):
        """Material's repository link without the request for its stars and forks."""
        from kb.site.theme import override_templates

        return override_templates(env, config.theme.custom_dir)

    def on_build_error(self, error) -> None:
        """A failed build leaves no pages to index behind."""
        if getattr(self, "search", None) is not None:
            self.search.discard()

    def on_post_page(self, output: str, page, config) -> str:
        """An entry page says its language, and is listed for the search index."""
        return self.search.post_page(output, page) if self.search is not None else output

    def on_post_build(self, config) -> None:
        """Index the built site for search; copy mermaid in when a page draws a diagram."""
        if self.search is not None:
            self._index(self.search, Path(config.site_dir))
        if self.catalog is not None and self.workspace.settings.pages:
            from kb.site.feeds import build_feeds  # actions.ics and feed.xml

            build_feeds(config.site_dir, self.catalog, self.urls, config.site_name, config.site_url)
        mermaid = self.mermaid
        if self.diagram_pages and mermaid is not None:
            target = Path(config.site_dir) / mermaid.uri
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(mermaid.script, target)
            if mermaid.license.is_file():
                shutil.copyfile(mermaid.license, target.parent / "LICENSE")
            log.info(
                "kb: diagrams drawn with mermaid %s on %s",
                mermaid.version,
                _pages(self.workspace, self.diagram_pages),
            )
        if self.code_diagrams:
            log.info(
                "kb: diagrams shown as code on %s: this installation has no copy of mermaid "
                "(bash scripts/install-mermaid.sh installs it)",
                _pages(self.workspace, self.code_diagrams),
            )

    def _index(self, search: SiteSearch, site_dir: Path) -> None:
        """Index the site for search; the log line carries the figures for `kb build`."""
        try:
            report = search.index(site_dir)
        except KbError as exc:
            raise PluginError(str(exc)) from None
        log.info("kb: %s", search.summary(report), extra={"kb_search": report})


def _pages(ws: Workspace, srcs: set[str]) -> str:
    """'docs/a.md' or '3 pages', for a log line."""
    if len(srcs) == 1:
        return f"{ws.relpath(ws.docs_dir)}/{next(iter(srcs))}"
    return f"{len(srcs)} pages"


def _site_href(files: Files, config):
    """``href(from_page, to_page)`` for the generated pages: URLs as MkDocs writes them."""
    urls: dict[str, str] = {}
    use_directory_urls = config.use_directory_urls

    def url(path: str) -> str:
        found = urls.get(path)
        if found is None:
            file = files.get_file_from_path(path)
            if file is None:  # a page generated in this build
                file = File(path, None, config.site_dir, use_directory_urls)
            found = urls[path] = file.url
        return found

    def href(from_page: str, to_page: str) -> str:
        return get_relative_url(url(to_page), url(from_page))

    return href


_SCALAR = (str, int, float)


def _keep_printable_meta(meta: dict) -> None:
    """Of the front matter Material prints, keep what it can print, on every page.

    Material aborts the build on tags that are not a list of names, and prints a title or
    description that is a list by expanding it in full (a YAML alias bomb makes a page of a
    gigabyte). `kb check` reports such an entry; the site still builds.
    """
    tags = meta.get("tags")
    if isinstance(tags, _SCALAR):
        tags = [tags]
    if isinstance(tags, list):
        meta["tags"] = [t for t in tags if isinstance(t, _SCALAR)]
    elif "tags" in meta:
        del meta["tags"]
    for key in ("title", "description", "subtitle"):
        if key in meta and not isinstance(meta[key], _SCALAR):
            del meta[key]


def _drop_title(markdown: str) -> str:
    """The body without its first ``# title`` line (the card's page supplies an escaped one)."""
    lines = markdown.lstrip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        return "\n".join(lines[1:])
    return markdown

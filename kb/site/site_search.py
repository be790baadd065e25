"""The site's search in one build, as the kb plugin asks for it event by event.

``SiteSearch`` holds what one build needs: the glossary, each entry page's language, and the
pages to index (``pagefind.SearchPages``). The plugin (``kb.site.plugin``) calls it from its
events: the assets on config, the search page and the script's settings on files, the search
markup (and the page to index) on page context, the page language on post page, the index on
post build, and ``discard`` when a build fails. The parts are in
``search_markup`` (what a page says), ``search_ui`` (the page and the settings) and
``pagefind`` (running the index).
"""

from __future__ import annotations

import posixpath
from importlib import resources
from pathlib import Path

from mkdocs.structure.files import File, Files

from kb import i18n
from kb.config import Workspace
from kb.entry import Entry
from kb.site.catalog import Catalog
from kb.site.pagefind import SearchIndex, SearchPages, index_site
from kb.site.search_markup import (
    entry_language,
    project_types,
    search_markup,
    set_page_language,
    wrap_entry,
)
from kb.site.search_ui import (
    CONFIG_ASSET,
    GLOSSARY_ASSET,
    SEARCH_ASSETS,
    SEARCH_PAGE,
    config_script,
    glossary_json,
    search_page,
)

__all__ = ["MATERIAL_SEARCH", "SEARCH_PAGE", "SiteSearch", "material_search_on"]

# Material's own search, which the site's search replaces unless mkdocs.yml keeps it on.
MATERIAL_SEARCH = ("material/search", "search")


def material_search_on(config) -> bool:
    """True when mkdocs.yml keeps Material's search plugin, and it is enabled."""
    for name in MATERIAL_SEARCH:
        plugin = config.plugins.get(name)
        if plugin is not None:
            return bool(plugin.config.get("enabled", True))
    return False


class SiteSearch:
    """The search of one site build: its assets, pages, markup and index."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.glossary = None
        self.project_types: dict[str, str] | None = None  # project -> type, once per build
        self.languages: dict[str, str] = {}  # src_uri -> language, for entry pages
        self.pages: SearchPages | None = None

    def add_assets(self, config) -> None:
        """The search's style sheet, settings and script, after the site's own."""
        for path in SEARCH_ASSETS:
            target = config.extra_css if path.endswith(".css") else config.extra_javascript
            if path not in [str(p) for p in target]:
                target.append(path)

    def add_files(self, files: Files, config, entries_by_src: dict[str, Entry]) -> Files:
        """The search page and the assets; each published entry's language."""
        from kb.search import load_glossary

        lang = self.ws.language
        self.glossary = load_glossary(self.ws.glossary_path)
        self.languages = {src: entry_language(e, lang) for src, e in entries_by_src.items()}
        self.discard()
        self.pages = SearchPages()
        self.project_types = None
        if files.get_file_from_path(SEARCH_PAGE) is None:
            files.append(File.generated(config, SEARCH_PAGE, content=search_page(lang)))
        page = files.get_file_from_path(SEARCH_PAGE)
        languages = sorted(set(self.languages.values()))
        url = page.url if page is not None else ""
        script = config_script(lang, languages, url, len(self.languages))
        if files.get_file_from_path(GLOSSARY_ASSET) is None:
            glossary = glossary_json(self.glossary).encode("utf-8")
            files.append(File.generated(config, GLOSSARY_ASSET, content=glossary))
        for path in SEARCH_ASSETS:
            if files.get_file_from_path(path) is not None:
                continue
            if path == CONFIG_ASSET:
                content = script.encode("utf-8")
            else:
                name = posixpath.basename(path)
                content = resources.files("kb.site").joinpath("assets", name).read_bytes()
            files.append(File.generated(config, path, content=content))
        return files

    def entry_content(self, content: str, cat: Catalog, entry: Entry, file: File) -> str:
        """An entry page's content inside Pagefind's body, with its filters, meta, equivalents;
        the same goes to the pages to index."""
        lang = self.languages.get(file.src_uri)
        if self.glossary is None or self.pages is None or lang is None:
            return content
        if self.project_types is None:
            self.project_types = project_types(cat)
        markup = search_markup(cat, entry, self.glossary, self.project_types)
        content = wrap_entry(content, markup)
        self.pages.add(file.dest_uri, lang, content)
        return content

    def post_page(self, output: str, page) -> str:
        """An entry page in another language than the site's says so; any other page as it is."""
        lang = self.languages.get(page.file.src_uri)
        if lang is None or lang == self.ws.language:
            return output
        return set_page_language(output, lang)

    def index(self, site_dir: Path) -> SearchIndex:
        """Index the entry pages of this build (KbError when Pagefind fails)."""
        pages = self.pages or SearchPages()
        self.pages = None
        return index_site(site_dir, pages)

    def discard(self) -> None:
        """Remove the pages to index of a build that did not finish."""
        if self.pages is not None:
            self.pages.discard()
            self.pages = None

    def summary(self, report: SearchIndex) -> str:
        """'search index: 27 entries in 0.4 s', in the site's language."""
        lang = self.ws.language
        pages = i18n.text("count.entries", lang, count=report.total)
        return i18n.text("search_ui.build", lang, pages=pages, seconds=f"{report.seconds:.1f}")

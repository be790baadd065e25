"""The site's navigation when mkdocs.yml has none: tabs and sections that stay small.

The registers, project pages and tag index are the way into thousands of entries, so a section
lists its entries only while they are few (``nav_entries`` in the settings); past that it holds
its index page alone. The user guide follows, then any other folder of docs/, then the tags.
"""

from __future__ import annotations

from mkdocs.structure.files import Files

from kb import i18n
from kb.config import Workspace
from kb.site.site_search import SEARCH_PAGE
from kb.site.tables import (
    ACTION_TRACKER,
    HOME,
    LESSONS_REGISTER,
    PROJECTS,
    REGISTERS,
    RISK_LIBRARY,
    SOP_CATALOG,
    TAGS,
    has_text,
    text,
)

__all__ = ["site_nav"]


def site_nav(ws: Workspace, files: Files) -> list:
    """The nav of a workspace whose mkdocs.yml has none, from the pages of ``files``."""
    lang = ws.language
    pages = sorted(f.src_uri for f in files.documentation_pages())
    placed: set[str] = set()

    def take(paths: list[str]) -> list[str]:
        found = [p for p in paths if p in pages_set and p not in placed]
        placed.update(found)
        return found

    pages_set = set(pages)
    nav: list = []
    if HOME in pages_set:
        nav.append({i18n.text("nav.home", lang): HOME})
        placed.add(HOME)
    registers = take([REGISTERS, RISK_LIBRARY, LESSONS_REGISTER, SOP_CATALOG, ACTION_TRACKER])
    if registers:
        nav.append({text(lang, "registers"): registers})
    projects = [p for p in pages if p.startswith("projects/") and p != PROJECTS]
    if len(projects) > ws.settings.nav_entries:
        projects = []
    section = take([PROJECTS, *projects])
    if section:
        nav.append({text(lang, "projects"): section})
    for etype in ws.schema.types:
        folder = ws.section_dir(etype.name) + "/"
        index = folder + "index.md"
        entries = [p for p in pages if p.startswith(folder) and p != index]
        if len(entries) > ws.settings.nav_entries:
            entries = []
        section = take([index, *entries])
        if section:
            plural = f"count_{etype.name}"
            label = etype.label(lang)
            nav.append({text(lang, plural) if has_text(plural) else label: section})
    guide = [p for p in pages if p.startswith("guide/")]
    guide.sort(key=lambda p: (p != "guide/index.md", p))
    section = take(guide)
    if section:
        nav.append({i18n.text("nav.guide", lang): section})
    rest = [p for p in pages if p not in placed and p not in (TAGS, SEARCH_PAGE)]
    folders: dict[str, list[str]] = {}
    for p in rest:
        folders.setdefault(p.split("/")[0] if "/" in p else "", []).append(p)
    nav.extend(folders.pop("", []))
    for name, items in sorted(folders.items()):
        if len(items) <= ws.settings.nav_entries:
            nav.append({name.replace("-", " ").capitalize(): items})
    if TAGS in pages_set:
        nav.append({text(lang, "tags"): TAGS})
    return nav

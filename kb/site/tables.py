"""What every generated page is made of: page paths, the pages' words, tables (markdown, or
HTML when the built site's URLs are known), links to entries and projects, front matter.

Every value taken from front matter is escaped (``markup.md``) before it reaches a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from kb import i18n
from kb.entry import Entry, section_text, strip_comments
from kb.registers import ActionItem
from kb.site.catalog import Catalog
from kb.site.markup import h, md, rel, template_text

HOME = "index.md"
REGISTERS = "registers/index.md"
RISK_LIBRARY = "registers/risks.md"
LESSONS_REGISTER = "registers/lessons.md"
SOP_CATALOG = "registers/sops.md"
ACTION_TRACKER = "registers/actions.md"
PROJECTS = "projects/index.md"
TAGS = "tags.md"


# Page words that are a section's heading or shared with other outputs.
_SHARED = {"recommendation": "section.recommendation", "overdue": "common.days_overdue"}


def text(lang: str, key: str) -> str:
    """A word of the generated pages in the site language (kb/locale): the page's own (a page
    title such as ``actions``), else a shared word, else a field's name (a column heading)."""
    if i18n.has(f"page.{key}"):
        return i18n.text(f"page.{key}", lang)
    if key in _SHARED:
        return i18n.text(_SHARED[key], lang)
    return i18n.text(f"field.{key}", lang)


def has_text(key: str) -> bool:
    """True when the pages have a word for ``key``."""
    return key in _SHARED or i18n.has(f"field.{key}") or i18n.has(f"page.{key}")


Href = Callable[[str, str], str | None]
"""``href(from_page, to_page)``: the URL of one docs path as linked from another in the built
site, or None when it has no page there. With it, tables are written as raw HTML."""

# Rows a register shows before its script reveals more (the rest are in the page, hidden), so a
# browser styles and lays out a few hundred cells rather than every one of thousands of rows.
REGISTER_PAGE_ROWS = 100
# Without scripts nothing would reveal those rows: then they are all shown.
SHOW_ALL_WITHOUT_SCRIPTS = (
    "<noscript><style>.md-typeset .kb-register tr[hidden]{display:table-row!important}</style>"
    "</noscript>"
)


@dataclass(frozen=True)
class Link:
    """A table cell that links to another page: escaped text and the target's docs path."""

    text: str
    target: str


Cell = str | Link


def render_table(
    page: str,
    headers: list[str],
    rows: list[list[Cell]],
    register: bool = False,
    filters: tuple = (),
    href: Href | None = None,
) -> str:
    """A table of escaped cells: markdown, or raw HTML with the site's URLs when ``href`` is given.

    Registers get sorting and filtering (``assets/kb.js``); ``filters`` are the columns that get
    a drop-down list of their values. Raw HTML costs the markdown parser almost nothing, which
    matters for registers of thousands of rows; MkDocs does not rewrite links inside it, hence
    ``href``.
    """
    if not rows:
        return ""
    # Kept out of the search index: the titles in it would make this page match every query.
    attrs = "data-search-exclude"
    if register:
        attrs = f'class="kb-register" data-kb-filters="{",".join(map(str, filters))}" {attrs}'
    if href is None:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines.extend("| " + " | ".join(_md_cell(c, page) for c in cells) + " |" for cells in rows)
        table = "\n".join(lines)
        return f"<div {attrs} markdown>\n\n{table}\n\n</div>"
    later = register and len(rows) > REGISTER_PAGE_ROWS
    out = [f'<div {attrs} data-kb-page="{REGISTER_PAGE_ROWS}">' if later else f"<div {attrs}>"]
    ths = "".join(f"<th>{h(x)}</th>" for x in headers)
    out.append(f"<table>\n<thead>\n<tr>{ths}</tr>\n</thead>\n<tbody>")
    for n, cells in enumerate(rows):
        tr = "<tr hidden>" if later and n >= REGISTER_PAGE_ROWS else "<tr>"
        out.append(tr + "".join(f"<td>{_html_cell(c, page, href)}</td>" for c in cells) + "</tr>")
    out.append("</tbody>\n</table>")
    if later:
        out.append(SHOW_ALL_WITHOUT_SCRIPTS)
    out.append("</div>")
    return "\n".join(out)


def _md_cell(cell: Cell, page: str) -> str:
    if isinstance(cell, Link):
        return f"[{cell.text}]({rel(page, cell.target)})"
    return cell


def _html_cell(cell: Cell, page: str, href: Href) -> str:
    if isinstance(cell, Link):
        url = href(page, cell.target)
        return f'<a href="{h(url)}">{cell.text}</a>' if url is not None else cell.text
    return cell


def date_cell(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def field_value(entry: Entry, name: str) -> str:
    value = entry.meta.get(name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def excerpt(markdown: str, limit: int = 180) -> str:
    """Plain first words of a section: comments, markup and line breaks dropped."""
    plain = " ".join(strip_comments(markdown).replace("#", " ").split())
    for mark in ("**", "__", "`", "- [ ]", "- [x]"):
        plain = plain.replace(mark, "")
    plain = plain.lstrip("-* ").strip()
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def entry_section(cat: Catalog, entry: Entry, key: str) -> str:
    etype = cat.type_of(entry)
    if etype is None:
        return ""
    for s in etype.sections:
        if s.key == key:
            return section_text(entry.body, s.headings())
    return ""


def entry_link(cat: Catalog, entry: Entry, label: str | None = None) -> Link:
    return Link(md(label if label is not None else entry.title), cat.docs_path(entry))


def id_link(cat: Catalog, entry_id: object) -> Cell:
    target = cat.by_id.get(entry_id) if isinstance(entry_id, str) else None
    if target is None:
        return md(entry_id or "")
    return entry_link(cat, target, entry_id)


def project_link(cat: Catalog, project: str) -> Cell:
    if not project:
        return ""
    return Link(md(project), f"projects/{cat.project_slug(project)}.md")


def page_heading(title: str) -> str:
    return f"# {md(title)}\n"


def front_matter(title: str, hide_toc: bool = True, **meta) -> str:
    """Front matter of a generated page: its title, and Material's wide layout for registers."""
    data: dict = {"title": template_text(title), **meta}
    if hide_toc:
        # Registers are wide tables: they get the whole width (the tabs still lead everywhere).
        data["hide"] = ["toc", "navigation"]
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n\n"


def action_rows(cat: Catalog, items: list[ActionItem]) -> list[list[Cell]]:
    rows = []
    for item in items:
        source = cat.by_id.get(item.entry_id)
        rows.append(
            [
                md(item.action),
                md(item.owner),
                date_cell(item.due),
                str(item.overdue_days) if item.overdue_days else "",
                project_link(cat, item.project),
                entry_link(cat, source, item.entry_id) if source else md(item.entry_id),
            ]
        )
    return rows


def action_headers(lang: str) -> list[str]:
    return [text(lang, k) for k in ("action", "owner", "due", "overdue", "project", "source")]

"""`kb build --pages-only DIR`: the pages the site shows, as markdown files for another generator.

What the MkDocs plugin adds at build time is written out too, so the files carry what the site
shows: the generated pages (registers, dashboard, projects, section listings), each appended to
the workspace's own page of that name as on the site, and every entry page with its header card,
its action-item table and its backlinks and related entries, ids in the text linked, sections
nobody has written yet left out. Links are relative links to the ``.md`` files; the cards and
tables are small blocks of HTML, which markdown passes through. Publish DIR over a copy of
docs/: its entry pages replace the ones there.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kb.config import Workspace
from kb.entry import Entry
from kb.errors import KbError
from kb.site.cards import ACTION_HEADINGS, action_table, footer, header_card, page_text
from kb.site.catalog import Catalog, build_catalog
from kb.site.markup import link_ids, md, rel
from kb.site.pages import appendable, generate_pages, without_heading

_H2 = re.compile(r"^##[ \t]+(.*?)[ \t#]*$", re.M)


class PagesError(KbError):
    """The pages cannot be written there."""


def site_pages(ws: Workspace, entries: list[Entry], today: dt.date | None = None) -> dict[str, str]:
    """``{path under docs/: markdown}`` of every page the site shows; pure, writes nothing."""
    cat = build_catalog(ws, entries, today)
    pages = generate_pages(ws, entries, today, cat)
    for path in list(pages):
        own = ws.docs_dir / path
        if own.is_file():
            if appendable(path, ws):
                mine = own.read_text("utf-8").rstrip("\n")
                pages[path] = f"{mine}\n\n{without_heading(pages[path])}"
            else:  # on the site too, the workspace's own page replaces the generated one
                del pages[path]
    for entry in cat.entries:
        pages[cat.docs_path(entry)] = entry_page(cat, entry)
    return pages


def entry_page(cat: Catalog, entry: Entry) -> str:
    """An entry's page as the site shows it: its front matter, title, card, text and links."""
    src = cat.docs_path(entry)

    def href(target: str) -> str:
        return rel(src, target)

    def target(entry_id: str) -> str | None:
        found = cat.by_id.get(entry_id)
        return cat.docs_path(found) if found is not None and found is not entry else None

    body = link_ids(page_text(cat, entry, _without_title(entry.body)).strip(), src, target)
    body = _with_action_table(body, action_table(cat, entry))
    parts = [_front_matter(entry), f"# {md(entry.title)}", header_card(cat, entry, href), body]
    links = footer(cat, entry, href)
    if links:
        parts.append(links)
    return "\n\n".join(p for p in parts if p) + "\n"


def _front_matter(entry: Entry) -> str:
    """The entry file's own front matter, as written."""
    lines = entry.path.read_text("utf-8").split("\n")
    return "\n".join(lines[: max(entry.body_line - 1, 0)]).rstrip("\n")


def _without_title(body: str) -> str:
    lines = body.lstrip("\n").split("\n")
    return "\n".join(lines[1:]) if lines and lines[0].startswith("# ") else body


def _with_action_table(body: str, table: str) -> str:
    """The action-item table at the end of the "Action items" section (or the end)."""
    if not table:
        return body
    headings = list(_H2.finditer(body))
    for n, m in enumerate(headings):
        if m.group(1).strip().lower() in ACTION_HEADINGS:
            at = headings[n + 1].start() if n + 1 < len(headings) else len(body)
            return f"{body[:at].rstrip()}\n\n{table}\n\n{body[at:]}".rstrip()
    return f"{body}\n\n{table}"


def write_pages(ws: Workspace, out_dir: Path, today: dt.date | None = None) -> list[Path]:
    """Write ``site_pages`` as markdown files under ``out_dir``, which must be outside docs/."""
    from kb.store import load_entries, write_atomic

    out_dir = Path(out_dir)
    docs = ws.docs_dir.resolve()
    target = out_dir.resolve()
    if target == docs or docs in target.parents:
        raise PagesError(f"{out_dir}: write the pages outside docs/, they would replace entries")
    pages = site_pages(ws, load_entries(ws).entries, today)
    written = []
    for relpath, text in sorted(pages.items()):
        path = out_dir / relpath
        write_atomic(path, text, overwrite=True)
        written.append(path)
    return written

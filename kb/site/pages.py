"""The generated pages: a pure function from the entries to ``{path under docs/: markdown}``.

Nothing here knows MkDocs. The plugin adds these pages to a build; ``kb build --pages-only DIR``
writes them as files, with the entry pages as the site shows them (``export_pages``), so another
static-site generator could publish the same pages later.
Every value taken from front matter is escaped (``markup.md``); links are ordinary relative
markdown links, which MkDocs checks like any other. Here: the dashboard, the project pages, the
section listings and ``generate_pages``; the registers are in ``register_pages``, what every
page is made of (paths, words, tables, links) in ``tables``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

from kb import i18n
from kb.config import Workspace
from kb.entry import Entry
from kb.registers import action_items, budget_variance, schedule_slip_days
from kb.site import charts
from kb.site.catalog import Catalog, build_catalog, entry_date
from kb.site.markup import link, md
from kb.site.propose import propose_links
from kb.site.register_pages import (
    action_tracker,
    lessons_register,
    registers_index,
    risk_library,
    sop_catalog,
)
from kb.site.tables import (
    ACTION_TRACKER,
    HOME,
    LESSONS_REGISTER,
    PROJECTS,
    REGISTER_PAGE_ROWS,
    REGISTERS,
    RISK_LIBRARY,
    SOP_CATALOG,
    TAGS,
    Cell,
    Heading,
    Href,
    action_headers,
    action_rows,
    date_cell,
    entry_link,
    field_value,
    front_matter,
    has_text,
    headings,
    page_heading,
    project_link,
    render_table,
    text,
    value_text,
    variance_text,
)

__all__ = [
    "ACTION_TRACKER",
    "HOME",
    "LESSONS_REGISTER",
    "PROJECTS",
    "REGISTER_PAGE_ROWS",
    "REGISTERS",
    "RISK_LIBRARY",
    "SOP_CATALOG",
    "TAGS",
    "appendable",
    "generate_pages",
    "without_heading",
]

# ---------------------------------------------------------------------------------------------
# Home dashboard


def _quarter(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _slip_trend(cat: Catalog) -> list[tuple[str, float]]:
    by_quarter: dict[str, list[int]] = defaultdict(list)
    for entry in cat.of_type("retrospective"):
        slip = schedule_slip_days(entry.meta)
        end = entry_date(entry, "actual_end")
        if slip is not None and end is not None:
            by_quarter[_quarter(end)].append(slip)
    return [(q, float(statistics.median(v))) for q, v in sorted(by_quarter.items())][-12:]


def _root_causes(cat: Catalog) -> list[tuple[str, float]]:
    counts: Counter[str] = Counter()
    for entry in cat.of_type("retrospective"):
        causes = entry.meta.get("root_causes")
        if isinstance(causes, list):
            counts.update({str(c) for c in causes if c})
    # As people read them (the label in the site language), ties by that name.
    shown = [(value_text(cat.language, name), n) for name, n in counts.items()]
    ranked = sorted(shown, key=lambda item: (-item[1], item[0]))
    return [(name, float(n)) for name, n in ranked[:8]]


def home(cat: Catalog, href: Href | None = None) -> str:
    """The dashboard: counts, recent retrospectives, open and overdue actions, charts."""
    lang, page = cat.language, HOME
    out = [
        page_heading(text(lang, "home")),
        "## " + md(text(lang, "entries")) + "\n",
        '<div class="grid cards kb-counts" markdown>\n',
    ]
    section_pages = {
        "retrospective": None,
        "lesson": LESSONS_REGISTER,
        "risk": RISK_LIBRARY,
        "sop": SOP_CATALOG,
    }
    for etype in cat.ws.schema.types:
        n = len(cat.of_type(etype.name))
        target = section_pages.get(etype.name) or f"{cat.ws.section_dir(etype.name)}/index.md"
        label = has_text(f"count_{etype.name}") and text(lang, f"count_{etype.name}")
        out.append(f"- **{n}**{{ .kb-count }} {link(label or cat.label(etype), page, target)}")
    items = [i for i in action_items(cat.entries, cat.today) if i.status == "open"]
    overdue = [i for i in items if i.overdue_days > 0]
    actions_link = link(text(lang, "open_actions"), page, ACTION_TRACKER)
    out.append(f"- **{len(items)}**{{ .kb-count }} {actions_link}")
    out.append("\n</div>\n")

    retros = sorted(
        cat.of_type("retrospective"), key=lambda e: (e.date or dt.date.min, e.id), reverse=True
    )[:6]
    out.append("## " + md(text(lang, "recent")) + "\n")
    if retros:
        rows = []
        for e in retros:
            slip = schedule_slip_days(e.meta)
            rows.append(
                [
                    entry_link(cat, e),
                    project_link(cat, e.project),
                    md(field_value(cat, e, "outcome")),
                    "" if slip is None else str(slip),
                    date_cell(e.date),
                ]
            )
        keys = ["title", "project", "outcome", "slip_col", "date"]
        out.append(render_table(page, headings(lang, keys), rows, href=href) + "\n")
    else:
        out.append(md(text(lang, "none_yet")) + "\n")

    out.append(f"## {md(text(lang, 'overdue_actions'))} ({len(overdue)})\n")
    if overdue:
        out.append(
            render_table(page, action_headers(lang), action_rows(cat, overdue[:8]), href=href)
            + "\n"
        )
        if len(overdue) > 8:
            out.append(link(text(lang, "actions") + " →", page, ACTION_TRACKER) + "\n")
    else:
        out.append(md(text(lang, "no_overdue")) + "\n")

    causes, slips = _root_causes(cat), _slip_trend(cat)
    if causes or slips:
        out.append('<div class="kb-charts" markdown>\n')
        if causes:
            out.append(
                '<div class="kb-chart-box" markdown>\n\n## '
                + md(text(lang, "root_causes"))
                + "\n\n"
                + charts.bar_chart(causes, text(lang, "root_causes_caption"))
                + "\n\n</div>\n"
            )
        if slips:
            out.append(
                '<div class="kb-chart-box" markdown>\n\n## '
                + md(text(lang, "slip"))
                + "\n\n"
                + charts.column_chart(slips, text(lang, "slip_caption"), text(lang, "days"))
                + "\n\n</div>\n"
            )
        out.append("</div>\n")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Projects and section listings


def projects_index(cat: Catalog, href: Href | None = None) -> str:
    """Every project, with how many entries of each type it has."""
    lang, page = cat.language, PROJECTS
    names = [et.name for et in cat.ws.schema.types]
    rows = []
    for project, entries in cat.projects().items():
        counts = Counter(cat.type_name(e) for e in entries)
        types = {cat.type_name(e): e for e in entries}
        ptype = types.get("retrospective")
        rows.append(
            [
                project_link(cat, project),
                md(field_value(cat, ptype, "project_type") if ptype else ""),
            ]
            + [str(counts.get(n, 0)) for n in names]
        )
    headers = headings(lang, ["project", "project_type"]) + [
        Heading(cat.label(et)) for et in cat.ws.schema.types
    ]
    return (
        front_matter(text(lang, "projects"), hide_toc=False)
        + page_heading(text(lang, "projects"))
        + f"\n{md(text(lang, 'projects_intro'))}\n\n"
        + (render_table(page, headers, rows, True, (1,), href) or md(text(lang, "none_yet")))
        + "\n"
    )


def _retro_facts(cat: Catalog, e: Entry) -> list[Cell]:
    slip = schedule_slip_days(e.meta)
    return [
        entry_link(cat, e, e.id or e.path.stem),
        entry_link(cat, e),
        md(field_value(cat, e, "phase")),
        md(field_value(cat, e, "outcome")),
        "" if slip is None else str(slip),
        md(variance_text(budget_variance(e.meta))),
        date_cell(e.date),
    ]


def _heading_for(cat: Catalog, type_name: str, n: int) -> str:
    """A section heading naming a type: in the plural when it lists several entries."""
    plural = f"count_{type_name}"
    if n > 1 and has_text(plural):
        return text(cat.language, plural)
    return cat.label(cat.ws.schema.get(type_name))


def project_page(cat: Catalog, project: str, entries: list[Entry], href: Href | None = None) -> str:
    """One project: its retrospectives with outcome, slip and variance; all its entries.

    The page is about one project, so no table repeats it in a column; the tables share one
    layout of even columns (``kb-even``)."""
    lang = cat.language
    page = f"projects/{cat.project_slug(project)}.md"
    out = [front_matter(project, hide_toc=False), page_heading(project)]
    retros = [e for e in entries if cat.type_name(e) == "retrospective"]
    if retros:
        ptype = field_value(cat, retros[0], "project_type")
        if ptype:
            out.append(f"\n**{md(text(lang, 'project_type'))}:** {md(ptype)}\n")
        out.append("## " + md(_heading_for(cat, "retrospective", len(retros))) + "\n")
        keys = ["id", "title", "phase", "outcome", "slip_col", "variance", "date"]
        rows = [_retro_facts(cat, e) for e in retros]
        out.append(render_table(page, headings(lang, keys), rows, href=href, css="kb-even") + "\n")
    for etype in cat.ws.schema.types:
        if etype.name == "retrospective":
            continue
        mine = sorted(
            (e for e in entries if cat.type_name(e) == etype.name), key=lambda e: e.id or ""
        )
        if not mine:
            continue
        out.append("## " + md(_heading_for(cat, etype.name, len(mine))) + "\n")
        rows = [
            [
                entry_link(cat, e, e.id or e.path.stem),
                entry_link(cat, e),
                md(field_value(cat, e, "status")),
                date_cell(e.date),
            ]
            for e in mine
        ]
        keys = ["id", "title", "status", "date"]
        out.append(render_table(page, headings(lang, keys), rows, href=href, css="kb-even") + "\n")
    open_items = [i for i in action_items(entries, cat.today) if i.status == "open"]
    if open_items:
        heading = i18n.text("project_page.open_actions", lang, count=len(open_items))
        out.append("## " + md(heading) + "\n")
        rows = action_rows(cat, open_items, project=False)
        headers = action_headers(lang, project=False)
        out.append(render_table(page, headers, rows, href=href, css="kb-even") + "\n")
    return "\n".join(out) + "\n"


def section_listing(cat: Catalog, type_name: str, href: Href | None = None) -> str:
    """The entries of one type, appended to (or making) the section's index page.

    Types with a register point to it rather than repeat it; retrospectives get their table here.
    """
    lang = cat.language
    page = f"{cat.ws.section_dir(type_name)}/index.md"
    entries = cat.of_type(type_name)
    heading = page_heading(cat.label(cat.ws.schema.get(type_name))) + "\n"
    heading += propose_links(cat, type_name)
    if not entries:
        return heading + md(text(lang, "none_yet")) + "\n"
    register = {"risk": RISK_LIBRARY, "lesson": LESSONS_REGISTER, "sop": SOP_CATALOG}.get(type_name)
    title = f"## {md(text(lang, 'all_of_type'))} ({len(entries)})\n\n"
    if register:
        key = {"risk": "risks", "lesson": "lessons", "sop": "sops"}[type_name]
        return heading + title + link(text(lang, key) + " →", page, register) + "\n"
    rows = []
    for e in entries:
        slip = schedule_slip_days(e.meta)
        rows.append(
            [
                entry_link(cat, e, e.id or e.path.stem),
                entry_link(cat, e),
                project_link(cat, e.project),
                md(field_value(cat, e, "outcome")),
                "" if slip is None else str(slip),
                date_cell(e.date),
            ]
        )
    keys = ["id", "title", "project", "outcome", "slip_col", "date"]
    return (
        heading
        + title
        + render_table(page, headings(lang, keys), rows, len(entries) > 10, (2, 3), href, lang=lang)
        + "\n"
    )


def tags_page(cat: Catalog) -> str:
    """Material's tag index (its tags plugin fills in the marker)."""
    lang = cat.language
    return (
        front_matter(text(lang, "tags"), hide_toc=False).replace(
            "---\n\n", "search:\n  exclude: true\n---\n\n"
        )
        + page_heading(text(lang, "tags"))
        + f"\n{md(text(lang, 'tags_intro'))}\n\n<!-- material/tags -->\n"
    )


def generate_pages(
    ws: Workspace,
    entries: list[Entry],
    today: dt.date | None = None,
    catalog: Catalog | None = None,
    href: Href | None = None,
) -> dict[str, str]:
    """Every generated page, ``{path under docs/: markdown}``; pure, reads and writes nothing.

    ``index.md`` (the dashboard) and ``<section>/index.md`` (the entry lists) are meant to be
    appended to the workspace's own pages of those names when it has them. Tables are markdown
    with relative ``.md`` links, for any generator; given ``href`` (the MkDocs plugin gives one),
    they are raw HTML linking to the built site's URLs, which is much faster to render.
    """
    cat = catalog or build_catalog(ws, entries, today)
    pages = {
        HOME: home(cat, href),
        REGISTERS: registers_index(cat),
        RISK_LIBRARY: risk_library(cat, href),
        LESSONS_REGISTER: lessons_register(cat, href),
        SOP_CATALOG: sop_catalog(cat, href),
        ACTION_TRACKER: action_tracker(cat, href),
        PROJECTS: projects_index(cat, href),
        TAGS: tags_page(cat),
    }
    for project, mine in cat.projects().items():
        path = f"projects/{cat.project_slug(project)}.md"
        pages[path] = project_page(cat, project, mine, href)
    for etype in ws.schema.types:
        path = f"{ws.section_dir(etype.name)}/index.md"
        pages[path] = section_listing(cat, etype.name, href)
    return pages


def without_heading(markdown: str) -> str:
    """The page without its first ``# heading`` line, to append it to a page that has one."""
    first, _, rest = markdown.partition("\n")
    return rest.lstrip("\n") if first.startswith("# ") else markdown


def appendable(path: str, ws: Workspace) -> bool:
    """True for generated pages that extend a page of the same name the workspace may have."""
    return path == HOME or path in {f"{ws.section_dir(t.name)}/index.md" for t in ws.schema.types}

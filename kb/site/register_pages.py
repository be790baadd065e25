"""The register pages: the risk case library, the lessons register, the SOP catalog, the action
tracker and the registers' index."""

from __future__ import annotations

from collections import defaultdict

from kb import i18n
from kb.registers import ActionItem, action_items, score
from kb.site import tracker
from kb.site.catalog import Catalog, entry_date
from kb.site.heatmap import cell_of, heat_map
from kb.site.markup import link, md
from kb.site.propose import propose_links
from kb.site.tables import (
    ACTION_TRACKER,
    LESSONS_REGISTER,
    PROJECTS,
    REGISTERS,
    RISK_LIBRARY,
    SOP_CATALOG,
    Cell,
    Href,
    Row,
    action_headers,
    action_rows,
    date_cell,
    entry_link,
    entry_section,
    excerpt,
    field_value,
    front_matter,
    headings,
    id_link,
    page_heading,
    project_link,
    render_table,
    score_cell,
    text,
)

# ---------------------------------------------------------------------------------------------
# Registers


def risk_library(cat: Catalog, href: Href | None = None) -> str:
    """The heat map of probability × impact, and one sortable, filterable table of every risk
    case (scores coloured by band; a heat map cell shows only its rows)."""
    lang, page = cat.language, RISK_LIBRARY
    risks = cat.of_type("risk")
    rows = []
    for e in risks:
        occurred = e.meta.get("occurred")
        cells: list[Cell] = [
            entry_link(cat, e, e.id or e.path.stem),
            entry_link(cat, e),
            md(field_value(cat, e, "category")),
            score_cell(score(e.meta)),
            md(field_value(cat, e, "response")),
            text(lang, "yes" if occurred is True else "no") if isinstance(occurred, bool) else "",
            project_link(cat, e.project),
        ]
        cell = cell_of(e)
        rows.append(Row(cells, data=(("cell", cell),) if cell else ()))
    keys = ["id", "title", "category", "score", "response", "occurred", "project"]
    table = render_table(page, headings(lang, keys), rows, True, (2, 4, 5, 6), href, lang=lang)
    chart = heat_map(lang, risks) if table else ""
    content = f"{chart}\n\n{table}" if chart else table
    return _register_page(lang, "risks", content, True, propose_links(cat, "risk"))


def _register_page(
    lang: str, name: str, table: str, filterable: bool = False, propose: str = ""
) -> str:
    """A register page: its title, its intro (and how to sort and filter), the "Propose a ..."
    links (``kb.site.propose``), the table."""
    intro = md(text(lang, f"{name}_intro"))
    if filterable:
        intro += " " + md(text(lang, "filter_hint"))
    return (
        front_matter(text(lang, name))
        + page_heading(text(lang, name))
        + f"\n{intro}\n\n"
        + propose
        + (table or md(text(lang, "none_yet")))
        + "\n"
    )


def lessons_register(cat: Catalog, href: Href | None = None) -> str:
    """The lessons learned register in PMBOK's columns."""
    lang, page = cat.language, LESSONS_REGISTER
    rows = []
    for e in cat.of_type("lesson"):
        rows.append(
            [
                entry_link(cat, e, e.id or e.path.stem),
                entry_link(cat, e),
                md(field_value(cat, e, "category")),
                md(field_value(cat, e, "phase")),
                md(field_value(cat, e, "impact")),
                md(excerpt(entry_section(cat, e, "recommendation"))),
                project_link(cat, e.project),
                id_link(cat, e.meta.get("source")),
            ]
        )
    keys = ["id", "title", "category", "phase", "impact", "recommendation", "project", "source"]
    table = render_table(page, headings(lang, keys), rows, True, (2, 3, 4, 6), href, lang=lang)
    return _register_page(lang, "lessons", table, True, propose_links(cat, "lesson"))


def sop_catalog(cat: Catalog, href: Href | None = None) -> str:
    """SOPs with version, owner, effective and review dates; past-review SOPs flagged."""
    lang, page = cat.language, SOP_CATALOG
    rows = []
    for e in cat.of_type("sop"):
        due = entry_date(e, "review_due")
        flag = ""
        if due and due < cat.today and e.meta.get("status") not in ("superseded", "retired"):
            flag = f' <span class="kb-flag">{md(text(lang, "past_review"))}</span>'
        rows.append(
            [
                entry_link(cat, e, e.id or e.path.stem),
                entry_link(cat, e),
                md(field_value(cat, e, "version")),
                md(field_value(cat, e, "owner")),
                date_cell(entry_date(e, "effective")),
                date_cell(due) + flag,
                md(field_value(cat, e, "status")),
                str(len(cat.lessons_for_sop(e.id))) if e.id else "",
            ]
        )
    keys = ["id", "title", "version", "owner", "effective", "review_due", "status", "lessons_col"]
    table = render_table(page, headings(lang, keys), rows, True, (3, 6), href, lang=lang)
    return _register_page(lang, "sops", table, propose=propose_links(cat, "sop"))


def _summary(lang: str, items: list[ActionItem], key) -> list[Row]:
    """Open items by owner or project: how many, how many overdue, the next due date."""
    groups: dict[str, list[ActionItem]] = defaultdict(list)
    for item in items:
        groups[key(item) or i18n.text("register.unassigned", lang)].append(item)
    rows = []
    order = sorted(
        groups.items(), key=lambda kv: (-sum(i.overdue_days > 0 for i in kv[1]), kv[0].lower())
    )
    for name, group in order:
        dues = [i.due for i in group if i.due]
        late = sum(i.overdue_days > 0 for i in group)
        cells: list[Cell] = [
            md(name),
            str(len(group)),
            str(late),
            date_cell(min(dues)) if dues else "",
        ]
        rows.append(Row(cells, "kb-row--overdue" if late else ""))
    return rows


def action_tracker(cat: Catalog, href: Href | None = None) -> str:
    """Open and overdue action items, by owner and by project."""
    lang, page = cat.language, ACTION_TRACKER
    every = action_items(cat.entries, cat.today)
    items = [i for i in every if i.status == "open"]
    overdue = [i for i in items if i.overdue_days > 0]
    out = [
        front_matter(text(lang, "actions")),
        page_heading(text(lang, "actions")),
        f"\n{md(text(lang, 'actions_intro'))}\n",
        propose_links(cat, "retrospective"),  # action items are filed in retrospectives
        '<div class="grid cards kb-counts" markdown>\n',
        f"- **{len(items)}**{{ .kb-count }} {md(text(lang, 'open_actions'))}",
        f"- **{len(overdue)}**{{ .kb-count .kb-bad }} {md(text(lang, 'overdue_actions'))}",
        *tracker.counts(lang, every),
        "\n</div>\n",
    ]
    if not items:
        out.append(md(text(lang, "none_yet")) + "\n")
        out.extend(tracker.closed_sections(cat, page, every, href))
        return "\n".join(out)
    summary = ("owner", "open", "overdue_short", "next_due")
    out.append('<div class="grid" markdown>\n')
    out.append(
        "<div markdown>\n\n### "
        + md(text(lang, "by_owner"))
        + "\n\n"
        + render_table(
            page, headings(lang, summary), _summary(lang, items, lambda i: i.owner), href=href
        )
        + "\n\n</div>\n"
    )
    out.append(
        "<div markdown>\n\n### "
        + md(text(lang, "by_project"))
        + "\n\n"
        + render_table(
            page,
            headings(lang, ("project", *summary[1:])),
            _summary(lang, items, lambda i: i.project),
            href=href,
        )
        + "\n\n</div>\n"
    )
    out.append("</div>\n")
    out.append("## " + md(text(lang, "all_open")) + "\n")
    rows = tracker.with_refs(action_rows(cat, items), items)
    headers = [tracker.ref_heading(lang), *action_headers(lang)]
    table = render_table(page, headers, rows, True, (2, 5), href, lang=lang)
    out.append(table + "\n")
    out.extend(tracker.closed_sections(cat, page, every, href))
    out.append(tracker.subscribe(cat, page, items, href))
    return "\n".join(out)


def registers_index(cat: Catalog) -> str:
    """The registers' landing page."""
    lang, page = cat.language, REGISTERS
    out = [
        front_matter(text(lang, "registers"), hide_toc=False),
        page_heading(text(lang, "registers")),
    ]
    out.append(f"\n{md(text(lang, 'register_intro'))}\n")
    out.append(propose_links(cat, *(t.name for t in cat.ws.schema.types)))
    out.append('<div class="grid cards" markdown>\n')
    for key, target, n in (
        ("risks", RISK_LIBRARY, len(cat.of_type("risk"))),
        ("lessons", LESSONS_REGISTER, len(cat.of_type("lesson"))),
        ("sops", SOP_CATALOG, len(cat.of_type("sop"))),
        ("actions", ACTION_TRACKER, None),
        ("projects", PROJECTS, len(cat.projects())),
    ):
        count = f" ({n})" if n is not None else ""
        out.append(f"- {link(text(lang, key), page, target)}{count}")
    out.append("\n</div>\n")
    return "\n".join(out) + "\n"

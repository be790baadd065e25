"""The generated pages: a pure function from the entries to ``{path under docs/: markdown}``.

Nothing here knows MkDocs. The plugin adds these pages to a build; ``kb build --pages-only DIR``
writes them as files, so another static-site generator could publish the same pages later.
Every value taken from front matter is escaped (``markup.md``); links are ordinary relative
markdown links, which MkDocs checks like any other.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from kb import i18n
from kb.config import Workspace
from kb.entry import Entry, section_text, strip_comments
from kb.registers import ActionItem, action_items, budget_variance, schedule_slip_days, score
from kb.site import charts
from kb.site.catalog import Catalog, build_catalog, entry_date
from kb.site.markup import h, link, md, rel, template_text

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
_SHOW_ALL_WITHOUT_SCRIPTS = (
    "<noscript><style>.md-typeset .kb-register tr[hidden]{display:table-row!important}</style>"
    "</noscript>"
)


@dataclass(frozen=True)
class _Link:
    """A table cell that links to another page: escaped text and the target's docs path."""

    text: str
    target: str


Cell = str | _Link


def _table(
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
        out.append(_SHOW_ALL_WITHOUT_SCRIPTS)
    out.append("</div>")
    return "\n".join(out)


def _md_cell(cell: Cell, page: str) -> str:
    if isinstance(cell, _Link):
        return f"[{cell.text}]({rel(page, cell.target)})"
    return cell


def _html_cell(cell: Cell, page: str, href: Href) -> str:
    if isinstance(cell, _Link):
        url = href(page, cell.target)
        return f'<a href="{h(url)}">{cell.text}</a>' if url is not None else cell.text
    return cell


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _value(entry: Entry, name: str) -> str:
    value = entry.meta.get(name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _excerpt(markdown: str, limit: int = 180) -> str:
    """Plain first words of a section: comments, markup and line breaks dropped."""
    plain = " ".join(strip_comments(markdown).replace("#", " ").split())
    for mark in ("**", "__", "`", "- [ ]", "- [x]"):
        plain = plain.replace(mark, "")
    plain = plain.lstrip("-* ").strip()
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def _section(cat: Catalog, entry: Entry, key: str) -> str:
    etype = cat.type_of(entry)
    if etype is None:
        return ""
    for s in etype.sections:
        if s.key == key:
            return section_text(entry.body, s.headings())
    return ""


def _entry_link(cat: Catalog, entry: Entry, label: str | None = None) -> _Link:
    return _Link(md(label if label is not None else entry.title), cat.docs_path(entry))


def _id_link(cat: Catalog, entry_id: object) -> Cell:
    target = cat.by_id.get(entry_id) if isinstance(entry_id, str) else None
    if target is None:
        return md(entry_id or "")
    return _entry_link(cat, target, entry_id)


def _project_link(cat: Catalog, project: str) -> Cell:
    if not project:
        return ""
    return _Link(md(project), f"projects/{cat.project_slug(project)}.md")


def _heading(title: str) -> str:
    return f"# {md(title)}\n"


def _front(title: str, hide_toc: bool = True, **meta) -> str:
    """Front matter of a generated page: its title, and Material's wide layout for registers."""
    data: dict = {"title": template_text(title), **meta}
    if hide_toc:
        # Registers are wide tables: they get the whole width (the tabs still lead everywhere).
        data["hide"] = ["toc", "navigation"]
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n\n"


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
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))  # ties by name
    return [(name, float(n)) for name, n in ranked[:8]]


def _action_rows(cat: Catalog, items: list[ActionItem]) -> list[list[Cell]]:
    rows = []
    for item in items:
        source = cat.by_id.get(item.entry_id)
        rows.append(
            [
                md(item.action),
                md(item.owner),
                _date(item.due),
                str(item.overdue_days) if item.overdue_days else "",
                _project_link(cat, item.project),
                _entry_link(cat, source, item.entry_id) if source else md(item.entry_id),
            ]
        )
    return rows


def _action_headers(lang: str) -> list[str]:
    return [text(lang, k) for k in ("action", "owner", "due", "overdue", "project", "source")]


def home(cat: Catalog, href: Href | None = None) -> str:
    """The dashboard: counts, recent retrospectives, open and overdue actions, charts."""
    lang, page = cat.language, HOME
    out = [
        _heading(text(lang, "home")),
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
                    _entry_link(cat, e),
                    _project_link(cat, e.project),
                    md(_value(e, "outcome")),
                    "" if slip is None else str(slip),
                    _date(e.date),
                ]
            )
        headers = ["title", "project", "outcome", "slip_col", "date"]
        out.append(_table(page, [text(lang, k) for k in headers], rows, href=href) + "\n")
    else:
        out.append(md(text(lang, "none_yet")) + "\n")

    out.append(f"## {md(text(lang, 'overdue_actions'))} ({len(overdue)})\n")
    if overdue:
        out.append(
            _table(page, _action_headers(lang), _action_rows(cat, overdue[:8]), href=href) + "\n"
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
                '<div class="kb-chart-box" markdown>\n\n### '
                + md(text(lang, "root_causes"))
                + "\n\n"
                + charts.bar_chart(causes, text(lang, "root_causes_caption"))
                + "\n\n</div>\n"
            )
        if slips:
            out.append(
                '<div class="kb-chart-box" markdown>\n\n### '
                + md(text(lang, "slip"))
                + "\n\n"
                + charts.column_chart(slips, text(lang, "slip_caption"), text(lang, "days"))
                + "\n\n</div>\n"
            )
        out.append("</div>\n")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Registers


def risk_library(cat: Catalog, href: Href | None = None) -> str:
    """One sortable, filterable table of every risk case."""
    lang, page = cat.language, RISK_LIBRARY
    rows = []
    for e in cat.of_type("risk"):
        s = score(e.meta)
        occurred = e.meta.get("occurred")
        rows.append(
            [
                _entry_link(cat, e, e.id or e.path.stem),
                _entry_link(cat, e),
                md(_value(e, "category")),
                "" if s is None else str(s),
                md(_value(e, "response")),
                text(lang, "yes" if occurred is True else "no")
                if isinstance(occurred, bool)
                else "",
                _project_link(cat, e.project),
            ]
        )
    keys = ["id", "title", "category", "score", "response", "occurred", "project"]
    table = _table(page, [text(lang, k) for k in keys], rows, True, (2, 4, 5, 6), href)
    return _register_page(lang, "risks", table, filterable=True)


def _register_page(lang: str, name: str, table: str, filterable: bool = False) -> str:
    """A register page: its title, its intro (and how to sort and filter), the table."""
    intro = md(text(lang, f"{name}_intro"))
    if filterable:
        intro += " " + md(text(lang, "filter_hint"))
    return (
        _front(text(lang, name))
        + _heading(text(lang, name))
        + f"\n{intro}\n\n"
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
                _entry_link(cat, e, e.id or e.path.stem),
                _entry_link(cat, e),
                md(_value(e, "category")),
                md(_value(e, "phase")),
                md(_value(e, "impact")),
                md(_excerpt(_section(cat, e, "recommendation"))),
                _project_link(cat, e.project),
                _id_link(cat, e.meta.get("source")),
            ]
        )
    keys = ["id", "title", "category", "phase", "impact", "recommendation", "project", "source"]
    table = _table(page, [text(lang, k) for k in keys], rows, True, (2, 3, 4, 6), href)
    return _register_page(lang, "lessons", table, filterable=True)


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
                _entry_link(cat, e, e.id or e.path.stem),
                _entry_link(cat, e),
                md(_value(e, "version")),
                md(_value(e, "owner")),
                _date(entry_date(e, "effective")),
                _date(due) + flag,
                md(_value(e, "status")),
                str(len(cat.lessons_for_sop(e.id))) if e.id else "",
            ]
        )
    keys = ["id", "title", "version", "owner", "effective", "review_due", "status", "lessons_col"]
    table = _table(page, [text(lang, k) for k in keys], rows, True, (3, 6), href)
    return _register_page(lang, "sops", table)


def _summary(items: list[ActionItem], key) -> list[list[Cell]]:
    groups: dict[str, list[ActionItem]] = defaultdict(list)
    for item in items:
        groups[key(item) or "—"].append(item)
    rows = []
    order = sorted(
        groups.items(), key=lambda kv: (-sum(i.overdue_days > 0 for i in kv[1]), kv[0].lower())
    )
    for name, group in order:
        dues = [i.due for i in group if i.due]
        rows.append(
            [
                md(name),
                str(len(group)),
                str(sum(i.overdue_days > 0 for i in group)),
                _date(min(dues)) if dues else "",
            ]
        )
    return rows


def action_tracker(cat: Catalog, href: Href | None = None) -> str:
    """Open and overdue action items, by owner and by project."""
    lang, page = cat.language, ACTION_TRACKER
    items = [i for i in action_items(cat.entries, cat.today) if i.status == "open"]
    overdue = [i for i in items if i.overdue_days > 0]
    out = [
        _front(text(lang, "actions")),
        _heading(text(lang, "actions")),
        f"\n{md(text(lang, 'actions_intro'))}\n",
        '<div class="grid cards kb-counts" markdown>\n',
        f"- **{len(items)}**{{ .kb-count }} {md(text(lang, 'open_actions'))}",
        f"- **{len(overdue)}**{{ .kb-count .kb-bad }} {md(text(lang, 'overdue_actions'))}",
        "\n</div>\n",
    ]
    if not items:
        out.append(md(text(lang, "none_yet")) + "\n")
        return "\n".join(out)
    summary_headers = [text(lang, k) for k in ("owner", "open", "overdue_short", "next_due")]
    out.append('<div class="grid" markdown>\n')
    out.append(
        "<div markdown>\n\n### "
        + md(text(lang, "by_owner"))
        + "\n\n"
        + _table(page, summary_headers, _summary(items, lambda i: i.owner), href=href)
        + "\n\n</div>\n"
    )
    project_headers = [text(lang, "project")] + summary_headers[1:]
    out.append(
        "<div markdown>\n\n### "
        + md(text(lang, "by_project"))
        + "\n\n"
        + _table(page, project_headers, _summary(items, lambda i: i.project), href=href)
        + "\n\n</div>\n"
    )
    out.append("</div>\n")
    out.append("## " + md(text(lang, "all_open")) + "\n")
    table = _table(page, _action_headers(lang), _action_rows(cat, items), True, (1, 4), href)
    out.append(table + "\n")
    return "\n".join(out)


def registers_index(cat: Catalog) -> str:
    """The registers' landing page."""
    lang, page = cat.language, REGISTERS
    out = [_front(text(lang, "registers"), hide_toc=False), _heading(text(lang, "registers"))]
    out.append(f"\n{md(text(lang, 'register_intro'))}\n")
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
            [_project_link(cat, project), md(_value(ptype, "project_type") if ptype else "")]
            + [str(counts.get(n, 0)) for n in names]
        )
    headers = [text(lang, "project"), text(lang, "project_type")] + [
        cat.label(et) for et in cat.ws.schema.types
    ]
    return (
        _front(text(lang, "projects"), hide_toc=False)
        + _heading(text(lang, "projects"))
        + f"\n{md(text(lang, 'projects_intro'))}\n\n"
        + (_table(page, headers, rows, True, (1,), href) or md(text(lang, "none_yet")))
        + "\n"
    )


def _retro_facts(cat: Catalog, e: Entry) -> list[Cell]:
    slip = schedule_slip_days(e.meta)
    var = budget_variance(e.meta)
    variance = ""
    if var:
        sign = "+" if var["amount"] > 0 else ""
        pct = f" ({sign}{var['percent']:g} %)" if var["percent"] is not None else ""
        variance = md(f"{sign}{var['amount']:,.0f} {var['currency']}{pct}".strip())
    return [
        _entry_link(cat, e),
        md(_value(e, "phase")),
        md(_value(e, "outcome")),
        "" if slip is None else str(slip),
        variance,
        _date(e.date),
    ]


def project_page(cat: Catalog, project: str, entries: list[Entry], href: Href | None = None) -> str:
    """One project: its retrospectives with outcome, slip and variance; all its entries."""
    lang = cat.language
    page = f"projects/{cat.project_slug(project)}.md"
    out = [_front(project, hide_toc=False), _heading(project)]
    retros = [e for e in entries if cat.type_name(e) == "retrospective"]
    if retros:
        ptype = _value(retros[0], "project_type")
        if ptype:
            out.append(f"\n**{md(text(lang, 'project_type'))}:** {md(ptype)}\n")
        out.append("## " + md(cat.label(cat.ws.schema.get("retrospective"))) + "\n")
        headers = ["title", "phase", "outcome", "slip_col", "variance", "date"]
        out.append(
            _table(
                page,
                [text(lang, k) for k in headers],
                [_retro_facts(cat, e) for e in retros],
                href=href,
            )
            + "\n"
        )
    for etype in cat.ws.schema.types:
        if etype.name == "retrospective":
            continue
        mine = sorted(
            (e for e in entries if cat.type_name(e) == etype.name), key=lambda e: e.id or ""
        )
        if not mine:
            continue
        out.append("## " + md(cat.label(etype)) + "\n")
        rows = [
            [
                _entry_link(cat, e, e.id or e.path.stem),
                _entry_link(cat, e),
                md(_value(e, "status")),
                _date(e.date),
            ]
            for e in mine
        ]
        out.append(
            _table(
                page, [text(lang, k) for k in ("id", "title", "status", "date")], rows, href=href
            )
            + "\n"
        )
    open_items = [i for i in action_items(entries, cat.today) if i.status == "open"]
    if open_items:
        out.append("## " + md(text(lang, "open_actions")) + "\n")
        out.append(
            _table(page, _action_headers(lang), _action_rows(cat, open_items), href=href) + "\n"
        )
    return "\n".join(out) + "\n"


def section_listing(cat: Catalog, type_name: str, href: Href | None = None) -> str:
    """The entries of one type, appended to (or making) the section's index page.

    Types with a register point to it rather than repeat it; retrospectives get their table here.
    """
    lang = cat.language
    page = f"{cat.ws.section_dir(type_name)}/index.md"
    entries = cat.of_type(type_name)
    heading = _heading(cat.label(cat.ws.schema.get(type_name))) + "\n"
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
                _entry_link(cat, e, e.id or e.path.stem),
                _entry_link(cat, e),
                _project_link(cat, e.project),
                md(_value(e, "outcome")),
                "" if slip is None else str(slip),
                _date(e.date),
            ]
        )
    keys = ["id", "title", "project", "outcome", "slip_col", "date"]
    return (
        heading
        + title
        + _table(page, [text(lang, k) for k in keys], rows, len(entries) > 10, (2, 3), href)
        + "\n"
    )


def tags_page(cat: Catalog) -> str:
    """Material's tag index (its tags plugin fills in the marker)."""
    lang = cat.language
    return (
        _front(text(lang, "tags"), hide_toc=False).replace(
            "---\n\n", "search:\n  exclude: true\n---\n\n"
        )
        + _heading(text(lang, "tags"))
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

"""What every generated page is made of: page paths, the pages' words, tables (markdown, or
HTML when the built site's URLs are known), links to entries and projects, front matter.

Every value taken from front matter is escaped (``markup.md``) before it reaches a table."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from kb import i18n
from kb.entry import Entry, section_text, strip_comments
from kb.fields import value_label
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


@dataclass(frozen=True)
class Heading:
    """A column heading: its text, and the key the column is known by (``score``, ``due``).

    The key names the column in a register's address (``?category=...&sort=-score``) and says
    which way its first sort goes (``FIRST_SORT``)."""

    text: str
    key: str = ""


@dataclass(frozen=True)
class Row:
    """A table row with a class (``kb-row--overdue``) or ``data-kb-*`` values for the script."""

    cells: list[Cell]
    css: str = ""
    data: tuple[tuple[str, str], ...] = ()


# The first click on these columns sorts the most urgent first: the highest score, the most
# days overdue or late, the earliest due date; the newest first for the date an entry was filed.
FIRST_SORT = {
    "score": "descending",
    "overdue": "descending",
    "overdue_short": "descending",
    "slip_col": "descending",
    "open": "descending",
    "lessons_col": "descending",
    "due": "ascending",
    "next_due": "ascending",
    "review_due": "ascending",
    "date": "descending",
    "effective": "descending",
}

# Cells that must never break inside: entry ids and dates (RETRO-0003, 2026-03-31).
_NO_WRAP = re.compile(
    r"^(?:<a [^>]*>)?(?:[A-Z][A-Z0-9]*-\d{4,}|\d{4}-\d{2}-\d{2})(?:</a>)?"
    r'(?: <span class="kb-flag">[^<]*</span>)?$'
)


def headings(lang: str, keys: list[str] | tuple[str, ...]) -> list[Heading]:
    """The headings of columns known by these keys, in the site language."""
    return [Heading(text(lang, key), key) for key in keys]


def render_table(
    page: str,
    headers: list[str] | list[Heading],
    rows: list[list[Cell]] | list[Row],
    register: bool = False,
    filters: tuple = (),
    href: Href | None = None,
    css: str = "",
    lang: str = "",
) -> str:
    """A table of escaped cells: markdown, or raw HTML with the site's URLs when ``href`` is given.

    Registers get sorting and filtering (``assets/kb.js``); ``filters`` are the columns that get
    a drop-down list of their values. Raw HTML costs the markdown parser almost nothing, which
    matters for registers of thousands of rows; MkDocs does not rewrite links inside it, hence
    ``href``. ``css`` is a class for the table's box (``kb-even``: columns of even widths);
    ``lang`` gives a register's toolbar its words.
    """
    if not rows:
        return ""
    heads = [x if isinstance(x, Heading) else Heading(x) for x in headers]
    body = [r if isinstance(r, Row) else Row(r) for r in rows]
    # Kept out of the search index: the titles in it would make this page match every query.
    attrs = "data-search-exclude"
    classes = " ".join(c for c in ("kb-register" if register else "", css) if c)
    if register:
        attrs = f'data-kb-filters="{",".join(map(str, filters))}" {attrs}'
        if lang:
            attrs = f'data-kb-words="{h(register_words(lang))}" {attrs}'
    if classes:
        attrs = f'class="{classes}" {attrs}'
    if href is None:
        lines = [
            "| " + " | ".join(x.text for x in heads) + " |",
            "|" + "|".join("---" for _ in heads) + "|",
        ]
        lines.extend("| " + " | ".join(_md_cell(c, page) for c in r.cells) + " |" for r in body)
        table = "\n".join(lines)
        return f"<div {attrs} markdown>\n\n{table}\n\n</div>"
    later = register and len(body) > REGISTER_PAGE_ROWS
    out = [f'<div {attrs} data-kb-page="{REGISTER_PAGE_ROWS}">' if later else f"<div {attrs}>"]
    ths = "".join(_th(x) for x in heads)
    out.append(f"<table>\n<thead>\n<tr>{ths}</tr>\n</thead>\n<tbody>")
    for n, row in enumerate(body):
        tr = "<tr"
        if later and n >= REGISTER_PAGE_ROWS:
            tr += " hidden"
        if row.css:
            tr += f' class="{h(row.css)}"'
        tr += "".join(f' data-kb-{name}="{h(value)}"' for name, value in row.data) + ">"
        out.append(tr + "".join(_td(_html_cell(c, page, href)) for c in row.cells) + "</tr>")
    out.append("</tbody>\n</table>")
    if later:
        out.append(SHOW_ALL_WITHOUT_SCRIPTS)
    out.append("</div>")
    return "\n".join(out)


def register_words(lang: str) -> str:
    """The words of a register's toolbar in ``lang``, as JSON for ``assets/kb.js``."""
    keys = ("filter", "all", "rows", "first", "more", "every")
    return json.dumps({k: i18n.text(f"register.{k}", lang) for k in keys}, ensure_ascii=False)


def _th(heading: Heading) -> str:
    if not heading.key:
        return f"<th>{h(heading.text)}</th>"
    first = FIRST_SORT.get(heading.key)
    more = f' data-kb-first="{first}"' if first else ""
    return f'<th data-kb-key="{h(heading.key)}"{more}>{h(heading.text)}</th>'


def _td(html: str) -> str:
    return f'<td class="kb-nowrap">{html}</td>' if _NO_WRAP.match(html) else f"<td>{html}</td>"


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


def field_value(cat: Catalog, entry: Entry, name: str) -> str:
    """A field's value as a person reads it in the site language: an allowed value's label
    (``部分成功`` for partially-succeeded), yes or no in words, a list joined by commas.

    Stored values stay the keys; only what is shown is the label."""
    value = entry.meta.get(name)
    if value is None:
        return ""
    lang = cat.language
    if isinstance(value, bool):
        return text(lang, "yes" if value else "no")
    etype = cat.type_of(entry)
    field = etype.field(name) if etype is not None else None
    choices = field.model.choices(field) if field is not None else ()
    items = value if isinstance(value, list) else [value]
    shown = [value_label(str(v), lang) if str(v) in choices else str(v) for v in items]
    return ", ".join(shown)


def value_text(lang: str, value: object) -> str:
    """An allowed value's label in ``lang``; the value itself when the catalog has none."""
    return value_label(str(value), lang)


def money(amount: object, currency: str = "", signed: bool = False) -> str:
    """An amount with thousands separators and its currency (``+1,150,000 CNY``); '' for none.

    Whole amounts show no decimals, others at most two; ``signed`` puts + before a gain."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return ""
    shown = f"{amount:,.2f}".rstrip("0").rstrip(".")
    if signed and amount > 0:
        shown = "+" + shown
    return f"{shown} {currency}".strip()


def variance_text(variance: dict | None) -> str:
    """A budget variance as ``+150,000 CNY (+12.5 %)``; '' for none."""
    if not variance:
        return ""
    pct = variance["percent"]
    share = f" ({'+' if pct > 0 else ''}{pct:g} %)" if pct is not None else ""
    return money(variance["amount"], variance["currency"], signed=True) + share


def budget_text(entry: Entry) -> str:
    """A retrospective's budget as ``1,200,000 → 1,350,000 CNY``; '' without one."""
    budget = entry.meta.get("budget")
    if not isinstance(budget, dict):
        return ""
    currency = str(budget.get("currency") or "")
    planned, actual = money(budget.get("planned")), money(budget.get("actual"))
    if not planned and not actual:
        return ""
    return f"{planned or '?'} → {actual or '?'} {currency}".strip()


def cost_currency(cat: Catalog, entry: Entry) -> str:
    """The currency of a risk case's cost: its source retrospective's budget currency; '' when
    it has none."""
    source_id = entry.meta.get("source")
    source = cat.by_id.get(source_id) if isinstance(source_id, str) else None
    budget = source.meta.get("budget") if source is not None else None
    if isinstance(budget, dict) and budget.get("currency"):
        return str(budget["currency"])
    return ""


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


def action_rows(cat: Catalog, items: list[ActionItem], project: bool = True) -> list[Row]:
    """One row per action item, overdue ones marked; ``project=False`` leaves that column out
    (a project's own page)."""
    rows = []
    for item in items:
        source = cat.by_id.get(item.entry_id)
        cells: list[Cell] = [
            md(item.action),
            md(item.owner),
            date_cell(item.due),
            str(item.overdue_days) if item.overdue_days else "",
        ]
        if project:
            cells.append(project_link(cat, item.project))
        cells.append(entry_link(cat, source, item.entry_id) if source else md(item.entry_id))
        rows.append(Row(cells, "kb-row--overdue" if item.overdue_days > 0 else ""))
    return rows


def action_headers(lang: str, project: bool = True) -> list[Heading]:
    """The headings of ``action_rows``."""
    keys = ("action", "owner", "due", "overdue", "project", "source")
    return headings(lang, [k for k in keys if project or k != "project"])


def score_band(score: int) -> str:
    """A risk score's band, as the site colours it: bad (15 to 25), warn (8 to 14), good."""
    return "bad" if score >= 15 else "warn" if score >= 8 else "good"


def score_cell(score: int | None) -> str:
    """A risk score in a table, coloured by its band; '' for none."""
    if score is None:
        return ""
    return f'<span class="kb-score kb-score--{score_band(score)}">{score}</span>'

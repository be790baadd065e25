"""What the action tracker shows of the lifecycle: references, the items done and awaiting
verification, the verified and the dropped ones, and the calendar feeds to subscribe to.

``kb.site.register_pages.action_tracker`` lays out the page; this module gives it the parts
the lifecycle adds (``kb.actions``), in the site's language.
"""

from __future__ import annotations

from kb import i18n
from kb.actions.overdue import sop_reviews
from kb.registers import ActionItem
from kb.site.catalog import Catalog
from kb.site.feeds import ATOM, CALENDAR, owner_feed, project_feed
from kb.site.markup import h, md, rel
from kb.site.tables import (
    Cell,
    Heading,
    Href,
    Row,
    date_cell,
    entry_link,
    render_table,
)


def _say(lang: str, key: str) -> str:
    return i18n.text(f"actions.{key}", lang)


def ref_heading(lang: str) -> Heading:
    """The heading of the reference column."""
    return Heading(_say(lang, "label.ref"), "ref")


def with_refs(rows: list[Row], items: list[ActionItem]) -> list[Row]:
    """Rows of ``action_rows`` with the item's reference (``RETRO-0003#2``) in front."""
    return [
        Row([md(item.ref), *row.cells], row.css, row.data)
        for row, item in zip(rows, items, strict=True)
    ]


def counts(lang: str, items: list[ActionItem]) -> list[str]:
    """The count cards of the items awaiting verification and of the verified ones."""
    done = sum(1 for i in items if i.status == "done")
    verified = sum(1 for i in items if i.status == "verified")
    return [
        f"- **{done}**{{ .kb-count }} {md(_say(lang, 'awaiting_count'))}",
        f"- **{verified}**{{ .kb-count }} {md(_say(lang, 'verified_count'))}",
    ]


def _source(cat: Catalog, item: ActionItem) -> Cell:
    source = cat.by_id.get(item.entry_id)
    return entry_link(cat, source, item.entry_id) if source else md(item.entry_id)


# The columns of each closed state: (heading key, value of the item).
_CLOSED = {
    "done": (
        "awaiting",
        (("done", lambda i: date_cell(i.done)), ("note", lambda i: md(i.note))),
    ),
    "verified": (
        "verified_items",
        (
            ("verified", lambda i: date_cell(i.verified)),
            ("evidence", lambda i: md(i.evidence)),
        ),
    ),
    "dropped": ("dropped_items", (("reason", lambda i: md(i.reason)),)),
}


def closed_sections(
    cat: Catalog, page: str, items: list[ActionItem], href: Href | None = None
) -> list[str]:
    """A section per closed state that has items: done (awaiting verification), verified,
    dropped; each a table with the reference, the action, its owner and what closed it."""
    lang = cat.language
    out = []
    for status, (title, columns) in _CLOSED.items():
        chosen = sorted(
            (i for i in items if i.status == status), key=lambda i: (i.entry_id, i.index)
        )
        if not chosen:
            continue
        headers = [
            ref_heading(lang),
            Heading(i18n.text("page.action", lang), "action"),
            Heading(i18n.text("field.owner", lang), "owner"),
            *(Heading(_say(lang, f"label.{key}"), key) for key, _ in columns),
            Heading(i18n.text("field.source", lang), "source"),
        ]
        rows = [
            Row(
                [
                    md(i.ref),
                    md(i.action),
                    md(i.owner),
                    *(value(i) for _, value in columns),
                    _source(cat, i),
                ]
            )
            for i in chosen
        ]
        out.append(f"## {md(_say(lang, title))}\n")
        if status == "done":
            out.append(md(_say(lang, "awaiting_intro")) + "\n")
        out.append(render_table(page, headers, rows, True, (2,), href, lang=lang) + "\n")
    return out


def _url(page: str, target: str, href: Href | None) -> str:
    url = href(page, target) if href is not None else None
    return url if url is not None else rel(page, target)


def _anchor(page: str, target: str, label: str, href: Href | None) -> str:
    return f'<a href="{h(_url(page, target, href))}">{h(label)}</a>'


def subscribe(cat: Catalog, page: str, items: list[ActionItem], href: Href | None = None) -> str:
    """The feeds to subscribe to: all open items, each owner's and each project's, the Atom
    feed. Raw HTML links: the feeds are files of the built site, not pages MkDocs checks."""
    lang = cat.language
    reviews = sop_reviews(cat.entries, cat.today, cat.ws.schema)  # in the calendars too
    dated = [(i.owner, i.project) for i in items if i.due]
    dated += [(r.owner, r.project) for r in reviews]
    owners = sorted({o for o, _ in dated if o}, key=str.casefold)
    projects = sorted({p for _, p in dated if p}, key=str.casefold)
    parts = [
        f"## {md(_say(lang, 'subscribe'))}\n",
        md(_say(lang, "subscribe_intro")) + "\n",
        '<ul class="kb-feeds">',
        f"<li>{_anchor(page, CALENDAR, _say(lang, 'feed_all'), href)}</li>",
    ]
    for label, names, path in (
        (i18n.text("field.owner", lang), owners, owner_feed),
        (i18n.text("field.project", lang), projects, lambda p: project_feed(cat, p)),
    ):
        if names:
            links = ", ".join(_anchor(page, path(n), n, href) for n in names)
            parts.append(f"<li>{h(label)}: {links}</li>")
    parts.append(f"<li>{_anchor(page, ATOM, _say(lang, 'feed_atom'), href)}</li>")
    parts.append("</ul>\n")
    return "\n".join(parts)

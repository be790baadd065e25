"""What an entry page gets around its own text: a header card and the links to other entries.

Both return raw HTML (every value escaped with ``markup.h``): ``header_card`` the front matter,
``footer`` "Referenced by", the lessons that changed an SOP, and related entries. Links come from
an ``href`` callable, because MkDocs does not rewrite links inside raw HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb import i18n
from kb.entry import Entry
from kb.registers import action_items, budget_variance, schedule_slip_days, score
from kb.schema import BUILTIN_TYPES
from kb.site.catalog import Catalog, entry_date
from kb.site.markup import h
from kb.site.tables import (
    budget_text,
    cost_currency,
    field_value,
    money,
    score_band,
    value_text,
    variance_text,
)


def label(lang: str, key: str) -> str:
    """A card label in the site language (kb/locale): a field's name, else the card's own word."""
    return i18n.text(f"field.{key}" if i18n.has(f"field.{key}") else f"card.{key}", lang)


def _plain(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def header_card(cat: Catalog, entry: Entry, href: Callable[[str], str | None]) -> str:
    """The entry's front matter as a card: type, id, status, project, dates, owner and more.

    ``href(docs_path)`` gives the URL of another page relative to this one, or None.
    """
    lang = cat.language
    etype = cat.type_of(entry)
    meta = entry.meta
    fields: list[tuple[str, str, str]] = []  # (label, html value, css modifier)

    def shown(key: str) -> str:
        return field_value(cat, entry, key)

    def add(key: str, value_html: str, mod: str = "") -> None:
        if value_html:
            fields.append((label(lang, key), value_html, mod))

    def ref(value: object) -> str:
        if not isinstance(value, str) or not value:
            return ""
        target = cat.by_id.get(value)
        url = href(cat.docs_path(target)) if target is not None else None
        if url is None:
            return h(value)
        return f'<a href="{h(url)}" title="{h(target.title)}">{h(value)}</a>'

    if entry.project:
        url = href(f"projects/{cat.project_slug(entry.project)}.md")
        add(
            "project",
            f'<a href="{h(url)}">{h(entry.project)}</a>' if url else h(entry.project),
        )
    add("owner", h(_plain(meta.get("owner"))))
    add("date", h(entry.date.isoformat() if entry.date else _plain(meta.get("date"))))
    updated = entry_date(entry, "updated")
    add("updated", h(updated.isoformat() if updated else ""))
    kind = etype.name if etype else ""
    if kind == "retrospective":
        add("project_type", h(shown("project_type")))
        add("phase", h(shown("phase")))
        outcome = meta.get("outcome")
        add("outcome", h(shown("outcome")), "good" if outcome == "succeeded" else "")
        planned, actual = entry_date(entry, "planned_end"), entry_date(entry, "actual_end")
        if planned or actual:
            add("end", h(f"{planned or '?'} → {actual or '?'}"))
        slip = schedule_slip_days(meta)
        if slip is not None:
            word = label(lang, "late" if slip > 0 else "early" if slip < 0 else "on_time")
            text = f"{abs(slip)} {label(lang, 'days')} {word}" if slip else word
            add("slip", h(text), "bad" if slip > 0 else "good")
        add("budget", h(budget_text(entry)))
        var = budget_variance(meta)
        if var:
            add("variance", h(variance_text(var)), "bad" if var["amount"] > 0 else "good")
        add("root_causes", h(shown("root_causes")))
        items = action_items([entry], cat.today)
        if items:
            n_open = sum(i.status == "open" for i in items)
            n_overdue = sum(i.overdue_days > 0 for i in items)
            n_done = sum(i.status in ("done", "verified") for i in items)
            parts = [f"{n_open} {label(lang, 'open')}", f"{n_done} {label(lang, 'done')}"]
            if n_overdue:
                parts.insert(1, f"{n_overdue} {label(lang, 'overdue')}")
            add("actions", h(", ".join(parts)), "bad" if n_overdue else "")
    elif kind == "lesson":
        add("category", h(shown("category")))
        add("phase", h(shown("phase")))
        impact = meta.get("impact")
        add(
            "impact",
            h(shown("impact")),
            "good" if impact == "positive" else "bad" if impact else "",
        )
        add("source", ref(meta.get("source")))
    elif kind == "risk":
        s = score(meta)
        if s is not None:
            p, i = meta.get("probability"), meta.get("impact")
            add("score", h(f"{s} ({p} × {i})"), score_band(s))
        add("category", h(shown("category")))
        add("response", h(shown("response")))
        occurred = meta.get("occurred")
        if isinstance(occurred, bool):
            add("occurred", h(label(lang, "yes" if occurred else "no")), "bad" if occurred else "")
        days = meta.get("schedule_impact_days")
        if isinstance(days, int) and not isinstance(days, bool):
            add("schedule_impact_days", h(f"{days} {label(lang, 'days')}"))
        add("cost_impact", h(money(meta.get("cost_impact"), cost_currency(cat, entry))))
        add("risk_owner", h(_plain(meta.get("risk_owner"))))
        add("source", ref(meta.get("source")))
    elif kind == "sop":
        add("version", h(_plain(meta.get("version"))))
        effective = entry_date(entry, "effective")
        add("effective", h(effective.isoformat() if effective else ""))
        due = entry_date(entry, "review_due")
        if due:
            past = due < cat.today and meta.get("status") not in ("superseded", "retired")
            flag = f" · {label(lang, 'past_review')}" if past else ""
            add("review_due", h(f"{due.isoformat()}{flag}"), "bad" if past else "")
        add("supersedes", ref(meta.get("supersedes")))

    status = _plain(meta.get("status"))
    head = [f'<span class="kb-card__type">{h(cat.label(etype) or entry.type)}</span>']
    if entry.id:
        head.append(f'<span class="kb-card__id">{h(entry.id)}</span>')
    if status:
        head.append(f'<span class="kb-status kb-status--{h(status)}">{h(shown("status"))}</span>')
    rows = "".join(
        f'<div class="kb-field{" kb-field--" + mod if mod else ""}"><dt>{h(name)}</dt>'
        f"<dd>{value}</dd></div>"
        for name, value, mod in fields
    )
    trigger = meta.get("trigger") if kind == "risk" else None
    extra = ""
    if isinstance(trigger, str) and trigger.strip():
        extra = (
            f'<p class="kb-card__note"><strong>{h(label(lang, "trigger"))}:</strong> '
            f"{h(' '.join(trigger.split()))}</p>"
        )
    css = f"kb-card kb-card--{h(kind or 'entry')}"
    # data-search-exclude: the facts run together in search results; the title and text are enough.
    return (
        f'<div class="{css}" data-search-exclude><div class="kb-card__head">{"".join(head)}</div>'
        f'<dl class="kb-card__fields">{rows}</dl>{extra}</div>'
    )


def footer(
    cat: Catalog, entry: Entry, href: Callable[[str], str | None], related_limit: int = 5
) -> str:
    """Raw HTML: the entries that refer to this one, lessons that changed an SOP, related ones.

    HTML rather than markdown because it costs nothing to parse, which matters at 5,000 pages.
    """
    lang = cat.language
    out: list[str] = []

    def item(other: Entry, note: str = "") -> str:
        title = f"{other.id} · {other.title}" if other.id else other.title
        typ = cat.label(cat.type_of(other))
        url = href(cat.docs_path(other))
        text = f'<a href="{h(url)}">{h(title)}</a>' if url else h(title)
        return f"<li>{text} <small>{h(typ)}{(' · ' + h(note)) if note else ''}</small></li>"

    def block(key: str, items: list[str]) -> None:
        out.append(f'<h2 id="kb-{key.replace("_", "-")}">{h(label(lang, key))}</h2>')
        out.append("<ul>" + "".join(items) + "</ul>")

    backlinks = cat.backlinks.get(entry.id, []) if entry.id else []
    lessons = cat.lessons_for_sop(entry.id) if cat.type_name(entry) == "sop" and entry.id else []
    if lessons:
        block("changed_by", [item(e) for e in lessons])
    others = [b for b in backlinks if not (lessons and b.via == "sops")]
    if others:
        items = []
        for b in others:
            field = label(lang, b.via) if i18n.has(f"field.{b.via}") else b.via
            note = (
                label(lang, "via_text")
                if b.via == "text"
                else i18n.text("site.via_field", lang, field=field)
            )
            items.append(item(b.entry, note))
        block("referenced_by", items)
    shown = {id(b.entry) for b in backlinks}
    related = [e for e in cat.related(entry, related_limit + len(shown)) if id(e) not in shown]
    if related[:related_limit]:
        block("related", [item(e) for e in related[:related_limit]])
    if not out:
        return ""
    # data-search-exclude: other entries' titles would make this page match their queries.
    return '<div class="kb-links" data-search-exclude>' + "".join(out) + "</div>"


def action_table(cat: Catalog, entry: Entry) -> str:
    """Raw HTML: a retrospective's action items with owner, due date and where each stands."""
    items = action_items([entry], cat.today)
    if not items:
        return ""
    lang = cat.language
    items.sort(key=lambda i: i.index)  # as the team wrote them, not by urgency
    rows = []
    for item in items:
        state = h(value_text(lang, item.status))
        css = ""
        if item.overdue_days > 0:
            state = h(i18n.text("count.days_overdue", lang, count=item.overdue_days))
            css = ' class="kb-row--overdue"'
        elif item.status in ("done", "verified"):
            css = ' class="kb-row--done"'
        due = item.due.isoformat() if item.due else ""
        rows.append(
            f"<tr{css}><td>{h(item.action)}</td><td>{h(item.owner)}</td>"
            f'<td class="kb-nowrap">{h(due)}</td><td>{state}</td></tr>'
        )
    head = "".join(
        f"<th>{h(label(lang, key))}</th>" for key in ("action", "owner", "due", "status")
    )
    return (
        # A table without a class, so Material styles it like any table in the text.
        '<div class="kb-actions" data-search-exclude><div class="md-typeset__scrollwrap">'
        f'<div class="md-typeset__table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></div></div>"
    )


_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S)
ACTION_HEADINGS = {
    heading.lower()
    for t in BUILTIN_TYPES
    for section in t.sections
    if section.key == "actions"
    for heading in section.headings()
}


def insert_action_table(content: str, table: str) -> str:
    """Put the action-item table at the end of the page's "Action items" section (or the end)."""
    if not table:
        return content
    headings = list(_H2.finditer(content))
    for n, m in enumerate(headings):
        text = re.sub(r"<[^>]+>", "", m.group(1)).replace("¶", "").strip().lower()
        if text in ACTION_HEADINGS:
            at = headings[n + 1].start() if n + 1 < len(headings) else len(content)
            return f"{content[:at]}\n{table}\n{content[at:]}"
    return f"{content}\n{table}\n"


def page_text(cat: Catalog, entry: Entry, markdown: str) -> str:
    """The entry's own text as its page shows it: sections nobody has written yet left out,
    except the one the action-item table goes into."""
    from kb.site.entry_markdown import drop_empty_sections

    keep = ACTION_HEADINGS if action_items([entry], cat.today) else ()
    return drop_empty_sections(markdown, keep)

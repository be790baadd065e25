"""What a search is narrowed to: the filters a PMO sets (type, project, tags, category, phase,
status, dates, score), checked against the schema and the entries, and made into one Whoosh
query. Allowed values are given by key or label in either language; an unknown one is an error
naming the closest and the known ones, in the workspace language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from whoosh import query as wq

from kb import i18n
from kb.config import Workspace
from kb.errors import UsageError
from kb.fields import match_choice, shown_choice, shown_choices, speaking, value_label
from kb.schema import closest


@dataclass
class Filters:
    """What a PMO filters on; None/empty means no filter."""

    type: str | None = None
    project: str | None = None
    tags: tuple[str, ...] = ()
    category: str | None = None
    phase: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    min_score: int | None = None

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not any(v not in (None, ()) for v in asdict(self).values())


def shown_types(schema, lang: str) -> str:
    """The entry types as a message lists them: by name in English, by label in Chinese."""
    separator = i18n.text("search_cli.separator", lang)
    if i18n.text("cli.invalid.show", lang) == "key":
        return separator.join(schema.names())
    return separator.join(t.label(lang) for t in schema.types)


def unknown_value(option: str, value: str, known: Sequence[str], lang: str) -> str:
    """``--project: no entry has 'x' (did you mean 'y'?); known: a, b`` in ``lang``: a filter
    value that no entry has, with the closest one and the first dozen known ones."""
    hint = closest(value, known)
    separator = i18n.text("search_cli.separator", lang)
    shown = separator.join(known[:12]) + (separator + "..." if len(known) > 12 else "")
    return (
        i18n.text("search_cli.no_entry_has", lang, option=option, value=repr(value))
        + (i18n.text("cli.ref_hint", lang, hint=repr(hint)) if hint else "")
        + (i18n.text("search_cli.known", lang, names=shown) if known else "")
    )


def _not_allowed(name: str, value: str, allowed: Sequence[str], lang: str) -> str:
    """``--status: 'x' is not a status; allowed: ...``: allowed values by their keys in
    English, by their labels in Chinese (as the field kinds name them)."""
    with speaking(lang):
        hint = closest(value, allowed)
        if hint is None:
            by_label = {value_label(c, lang): c for c in allowed}
            hint = by_label.get(closest(value, by_label) or "")
        label = i18n.text(f"field.{name}", lang, default=name)
        message = i18n.text(
            "search_cli.not_allowed",
            lang,
            option=f"--{name}",
            value=repr(value),
            name=name if lang == i18n.DEFAULT else label,
            allowed=shown_choices(allowed),
        )
        return message + (
            i18n.text("cli.ref_hint", lang, hint=repr(shown_choice(hint))) if hint else ""
        )


def check_filters(ws: Workspace, filters: Filters) -> Filters:
    """Normalized filters; UsageError for a value no entry can have (with the closest one).

    Allowed values may be given by their key or their label in any language (``--status 草稿``).
    """
    lang = ws.language
    out = Filters(**asdict(filters))
    if filters.type:
        etype = ws.schema.get(filters.type)
        if etype is None:
            names = ws.schema.names()
            hint = closest(filters.type, names)
            if hint is None:
                by_label = {t.label(lang): t.name for t in ws.schema.types}
                hint = closest(filters.type, by_label)
            elif i18n.text("cli.invalid.show", lang) != "key":
                hint = ws.schema.get(hint).label(lang)
            raise UsageError(
                i18n.text(
                    "search_cli.unknown_type",
                    lang,
                    value=repr(filters.type),
                    types=shown_types(ws.schema, lang),
                )
                + (i18n.text("cli.ref_hint", lang, hint=repr(hint)) if hint else "")
            )
        out.type = etype.name
    for name in ("category", "phase", "status"):
        value = getattr(filters, name)
        if not value:
            continue
        allowed = sorted({c for t in ws.schema.types if (f := t.field(name)) for c in f.choices})
        if not allowed:
            setattr(out, name, value.lower())
            continue
        found = match_choice(value.strip(), allowed)
        if found is None:
            raise UsageError(_not_allowed(name, value, allowed, lang))
        setattr(out, name, found)
    if filters.since and filters.until and filters.since > filters.until:
        raise UsageError(
            i18n.text("search_cli.since_after", lang, since=filters.since, until=filters.until)
        )
    return out


def check_filter_values(searcher, filters: Filters, lang: str = i18n.DEFAULT) -> None:
    """--project and --tag take values from the entries: name the known ones when none has it."""
    wanted = [("project", filters.project)] if filters.project else []
    wanted += [("tags", tag) for tag in filters.tags]
    for name, value in wanted:
        term = value.strip().lower()
        known = [t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.lexicon(name)]
        if term in known:
            continue
        option = "--project" if name == "project" else "--tag"
        raise UsageError(unknown_value(option, value, sorted(known), lang))


def filter_query(filters: Filters) -> wq.Query | None:
    """The filters as one Whoosh query (None when nothing is filtered)."""
    parts: list[wq.Query] = []
    if filters.type:
        parts.append(wq.Term("type", filters.type))
    if filters.project:
        parts.append(wq.Term("project", filters.project.strip().lower()))
    for tag in filters.tags:
        parts.append(wq.Term("tags", tag.strip().lower()))
    for name in ("category", "phase", "status"):
        value = getattr(filters, name)
        if value:
            parts.append(wq.Term(name, value.lower()))
    if filters.since or filters.until:
        start = filters.since.isoformat() if filters.since else None
        end = filters.until.isoformat() if filters.until else None
        parts.append(wq.TermRange("date", start, end))
    if filters.min_score is not None:
        parts.append(wq.NumericRange("score", filters.min_score, None))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)

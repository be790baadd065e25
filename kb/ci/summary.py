"""The overdue report as markdown, for a CI job summary (GitHub's ``$GITHUB_STEP_SUMMARY``) or a
report file a GitLab job keeps as an artifact: the action items, then the SOPs past review.

Cells are escaped so that an action's text cannot break the table or inject HTML: GitHub renders
the summary as markdown with HTML allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from kb import i18n
from kb.actions.overdue import Review
from kb.registers import ActionItem

_COLUMNS = ("overdue", "due", "owner", "status", "ref", "action")
_REVIEW_COLUMNS = ("overdue", "review_due", "owner", "sop", "title")


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell: one line, no table breaks, no HTML."""
    flat = " ".join(str(text).split())
    flat = re.sub(r"([\\|`*_\[\]])", r"\\\1", flat)
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(columns: Sequence[str], rows: list[list[str]], lang: str) -> list[str]:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    head = [row([i18n.text(f"ci.summary.{c}", lang) for c in columns]), row(["---"] * len(columns))]
    return head + [row([_cell(c) for c in cells]) for cells in rows]


def _overdue(days: int, lang: str) -> str:
    return i18n.text("count.days_overdue", lang, count=days) if days else "-"


def actions_markdown(
    items: Sequence[ActionItem],
    view: str,
    today: dt.date,
    lang: str,
    reviews: Sequence[Review] = (),
) -> str:
    """A heading, a count line and a table of ``items`` (the ``view`` of `kb actions`), then a
    table of the SOP ``reviews`` past their date, when there are any."""
    date = today.isoformat()
    lines = [f"## {i18n.text(f'ci.summary.title_{view}', lang)}", ""]
    if items:
        lines += [i18n.text("ci.summary.count", lang, count=len(items), date=date), ""]
        rows = [
            [
                _overdue(i.overdue_days, lang),
                i.due.isoformat() if i.due else "-",
                i.owner or "-",
                i18n.text(f"value.{i.status}", lang, default=i.status),
                i.ref or i.entry_id or i.path,
                i.action,
            ]
            for i in items
        ]
        lines += _table(_COLUMNS, rows, lang)
    else:
        lines.append(i18n.text("ci.summary.none", lang, date=date))
    if reviews:
        lines += ["", f"### {i18n.text('ci.summary.reviews', lang)}", ""]
        rows = [
            [
                _overdue(r.overdue_days, lang),
                r.review_due.isoformat(),
                r.owner or "-",
                r.entry_id or r.path,
                r.title,
            ]
            for r in reviews
        ]
        lines += _table(_REVIEW_COLUMNS, rows, lang)
    return "\n".join(lines) + "\n"

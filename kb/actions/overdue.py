"""SOPs whose review date has passed: with the overdue action items, the overdue report
(``kb actions --overdue``) and the calendar feed (``kb.site.feeds``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from kb.entry import Entry
from kb.schema import Schema, as_date

# An SOP no longer in force needs no review.
_RETIRED = ("superseded", "retired")


@dataclass(frozen=True)
class Review:
    """An SOP and its next review date."""

    entry_id: str
    title: str
    owner: str
    project: str
    version: str
    path: str
    line: int
    review_due: dt.date
    overdue_days: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        return {**asdict(self), "review_due": self.review_due.isoformat()}


def sop_reviews(entries: Iterable[Entry], today: dt.date, schema: Schema) -> list[Review]:
    """Every SOP in force with a review date, most overdue first, then by date."""
    reviews = []
    for entry in entries:
        etype = schema.get(entry.type)
        due = as_date(entry.meta.get("review_due"))
        if etype is None or etype.name != "sop" or due is None:
            continue
        if entry.meta.get("status") in _RETIRED:
            continue
        reviews.append(
            Review(
                entry_id=entry.id,
                title=entry.title,
                owner=str(entry.meta.get("owner") or ""),
                project=entry.project,
                version=str(entry.meta.get("version") or ""),
                path=entry.relpath,
                line=entry.line_of("review_due"),
                review_due=due,
                overdue_days=max((today - due).days, 0),
            )
        )
    reviews.sort(key=lambda r: (-r.overdue_days, r.review_due, r.entry_id, r.path))
    return reviews


def overdue_reviews(
    reviews: Iterable[Review], owner: str | None = None, projects: Collection[str] | None = None
) -> list[Review]:
    """The reviews past their date, of one owner (any case) or of the ``projects`` (casefolded
    names) when asked."""
    return [
        r
        for r in reviews
        if r.overdue_days > 0
        and (not owner or r.owner.casefold() == owner.strip().casefold())
        and (projects is None or r.project.strip().casefold() in projects)
    ]

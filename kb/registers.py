"""Pure functions over entries: derived fields and the registers a PMO keeps.

Nothing here reads files or prints; callers pass entries in and get plain data out, so the CLI,
the site and the exports all show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kb.entry import Entry
from kb.schema import as_date, risk_score


def schedule_slip_days(meta: Mapping[str, Any]) -> int | None:
    """Days between planned and actual end (positive = late), or None when either is missing."""
    planned, actual = as_date(meta.get("planned_end")), as_date(meta.get("actual_end"))
    if planned is None or actual is None:
        return None
    return (actual - planned).days


def budget_variance(meta: Mapping[str, Any]) -> dict[str, Any] | None:
    """Actual minus planned budget, absolute and in percent of plan (positive = over budget)."""
    budget = meta.get("budget")
    if not isinstance(budget, dict):
        return None
    planned, actual = budget.get("planned"), budget.get("actual")
    numbers = (int, float)
    if isinstance(planned, bool) or isinstance(actual, bool):
        return None
    if not isinstance(planned, numbers) or not isinstance(actual, numbers):
        return None
    amount = actual - planned
    percent = round(100.0 * amount / planned, 1) if planned else None
    return {"amount": amount, "percent": percent, "currency": budget.get("currency") or ""}


def score(meta: Mapping[str, Any]) -> int | None:
    """Risk score: probability x impact."""
    return risk_score(meta.get("probability"), meta.get("impact"))


@dataclass(frozen=True)
class ActionItem:
    """One action item of a retrospective, with where it stands today."""

    entry_id: str
    entry_title: str
    project: str
    path: str
    line: int
    index: int
    action: str
    owner: str
    due: dt.date | None
    status: str
    overdue_days: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        data = asdict(self)
        data["due"] = self.due.isoformat() if self.due else None
        return data


def action_items(entries: Iterable[Entry], today: dt.date) -> list[ActionItem]:
    """Every action item across all retrospectives, most overdue first, then by due date."""
    items = []
    for entry in entries:
        actions = entry.meta.get("actions")
        if not isinstance(actions, list):
            continue
        for i, item in enumerate(actions):
            if not isinstance(item, dict):
                continue
            due = as_date(item.get("due"))
            status = str(item.get("status") or "open")
            overdue = (today - due).days if (due and status == "open" and due < today) else 0
            items.append(
                ActionItem(
                    entry_id=entry.id,
                    entry_title=entry.title,
                    project=entry.project,
                    path=entry.relpath,
                    line=entry.line_of("actions", i),
                    index=i,
                    action=str(item.get("action") or ""),
                    owner=str(item.get("owner") or ""),
                    due=due,
                    status=status,
                    overdue_days=overdue,
                )
            )
    items.sort(key=lambda a: (-a.overdue_days, a.due or dt.date.max, a.entry_id, a.index))
    return items

"""Pure functions over entries: derived fields and the registers a PMO keeps.

Nothing here reads files or prints; callers pass entries in and get plain data out, so the CLI,
the site and the exports all show the same numbers.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kb.actions.refs import format_ref, item_ids
from kb.entry import Entry
from kb.schema import ACTION_STATUSES, Schema, as_date, risk_score


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
    ref: str = ""  # RETRO-0003#2 (kb.actions.refs)
    done: dt.date | None = None
    note: str = ""
    verified: dt.date | None = None
    evidence: str = ""
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        data = asdict(self)
        for key in ("due", "done", "verified"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def action_items(entries: Iterable[Entry], today: dt.date) -> list[ActionItem]:
    """Every action item across all retrospectives, most overdue first, then by due date."""
    items = []
    for entry in entries:
        actions = entry.meta.get("actions")
        if not isinstance(actions, list):
            continue
        numbers = item_ids(actions)
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
                    ref=format_ref(entry.id or entry.relpath, numbers[i] or i + 1),
                    done=as_date(item.get("done")),
                    note=str(item.get("note") or ""),
                    verified=as_date(item.get("verified")),
                    evidence=str(item.get("evidence") or ""),
                    reason=str(item.get("reason") or ""),
                )
            )
    items.sort(key=lambda a: (-a.overdue_days, a.due or dt.date.max, a.entry_id, a.index))
    return items


ACTION_VIEWS = ("open", "overdue", "all")


def select_actions(
    items: Iterable[ActionItem],
    view: str = "open",
    owner: str | None = None,
    projects: Collection[str] | None = None,
) -> list[ActionItem]:
    """The action items a PMO asked for: open, overdue or all; of one owner (any case) or of
    the ``projects`` (casefolded names, as ``kb.cli.matching_projects`` gives them)."""
    if view not in ACTION_VIEWS:
        raise ValueError(f"view must be one of {ACTION_VIEWS}")
    chosen = []
    for item in items:
        if view == "open" and item.status != "open":
            continue
        if view == "overdue" and item.overdue_days <= 0:
            continue
        if owner and item.owner.casefold() != owner.strip().casefold():
            continue
        if projects is not None and item.project.strip().casefold() not in projects:
            continue
        chosen.append(item)
    return chosen


# ---------------------------------------------------------------------------------------------
# Statistics

_DEFAULT_SCHEMA = Schema()
BREAKDOWNS = ("category", "root-cause", "project", "project-type", "quarter")


def type_of(entry: Entry, schema: Schema | None = None) -> str:
    """The canonical type name of an entry (aliases resolved), or '' when unknown."""
    etype = (schema or _DEFAULT_SCHEMA).get(entry.type)
    return etype.name if etype else ""


def quarter_of(date: dt.date | None) -> str:
    """``2024-Q3`` for a date in July to September 2024; '' without a date."""
    if date is None:
        return ""
    return f"{date.year}-Q{(date.month - 1) // 3 + 1}"


def _median(values: list[float]) -> float | int | None:
    if not values:
        return None
    m = statistics.median(values)
    return int(m) if float(m).is_integer() else round(m, 1)


def _str_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v)]
    return []


def _retro_index(entries: list[Entry], schema: Schema | None) -> dict[str, Entry]:
    return {e.id: e for e in entries if e.id and type_of(e, schema) == "retrospective"}


def project_of(entry: Entry, retros: Mapping[str, Entry]) -> str:
    """An entry's project: its own, else that of the retrospective it came from."""
    if entry.project:
        return entry.project
    source = entry.meta.get("source")
    if isinstance(source, str) and source in retros:
        return retros[source].project
    return ""


def schedule_slip(entries: Iterable[Entry], schema: Schema | None = None) -> dict[str, Any]:
    """Schedule slip across retrospectives: how many have dates, median and worst in days."""
    slips = [
        (d, e.id)
        for e in entries
        if type_of(e, schema) == "retrospective" and (d := schedule_slip_days(e.meta)) is not None
    ]
    worst = max(slips, key=lambda s: (s[0], s[1]), default=None)
    return {
        "retrospectives": len(slips),
        "median_days": _median([s for s, _ in slips]),
        "worst_days": worst[0] if worst else None,
        "worst": worst[1] if worst else None,
    }


def budget_overrun(entries: Iterable[Entry], schema: Schema | None = None) -> dict[str, Any]:
    """Budget variance across retrospectives, in percent of plan: median and worst (highest)."""
    found = []
    for e in entries:
        if type_of(e, schema) != "retrospective":
            continue
        v = budget_variance(e.meta)
        if v and v["percent"] is not None:
            found.append((v["percent"], e.id))
    worst = max(found, key=lambda s: (s[0], s[1]), default=None)
    return {
        "retrospectives": len(found),
        "median_percent": _median([p for p, _ in found]),
        "worst_percent": worst[0] if worst else None,
        "worst": worst[1] if worst else None,
    }


def recurring_root_causes(
    entries: Iterable[Entry], min_projects: int = 2, schema: Schema | None = None
) -> list[dict[str, Any]]:
    """Root-cause categories named by retrospectives of at least ``min_projects`` projects."""
    projects: dict[str, set[str]] = defaultdict(set)
    retros: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        if type_of(e, schema) != "retrospective":
            continue
        for cause in dict.fromkeys(_str_list(e.meta.get("root_causes"))):
            projects[cause].add(e.project or e.id)
            retros[cause].append(e.id)
    rows = [
        {
            "root_cause": cause,
            "projects": sorted(projects[cause]),
            "retrospectives": sorted(retros[cause]),
        }
        for cause in projects
        if len(projects[cause]) >= min_projects
    ]
    rows.sort(key=lambda r: (-len(r["projects"]), -len(r["retrospectives"]), r["root_cause"]))
    return rows


def lessons_per_sop(entries: Iterable[Entry], schema: Schema | None = None) -> list[dict[str, Any]]:
    """For every SOP (and every SOP id lessons name), the lessons that changed it."""
    entries = list(entries)
    titles = {e.id: e.title for e in entries if e.id and type_of(e, schema) == "sop"}
    lessons: dict[str, list[str]] = {sop: [] for sop in titles}
    for e in entries:
        if type_of(e, schema) != "lesson":
            continue
        for sop in dict.fromkeys(_str_list(e.meta.get("sops"))):
            lessons.setdefault(sop, []).append(e.id)
    rows = [
        {"sop": sop, "title": titles.get(sop, ""), "lessons": sorted(ids)}
        for sop, ids in lessons.items()
    ]
    rows.sort(key=lambda r: (-len(r["lessons"]), r["sop"]))
    return rows


def _group_keys(
    entry: Entry, by: str, retros: Mapping[str, Entry], schema: Schema | None
) -> list[str]:
    kind = type_of(entry, schema)
    if by == "category":
        value = entry.meta.get("category")
        return [str(value)] if kind in ("lesson", "risk") and value not in (None, "") else []
    if by == "root-cause":
        return list(dict.fromkeys(_str_list(entry.meta.get("root_causes"))))
    if by == "project":
        project = project_of(entry, retros)
        return [project] if project else []
    if by == "project-type":
        value = entry.meta.get("project_type")
        if value in (None, ""):
            source = entry.meta.get("source")
            origin = retros.get(source) if isinstance(source, str) else None
            if origin is None and entry.project:
                origin = next((r for r in retros.values() if r.project == entry.project), None)
            value = origin.meta.get("project_type") if origin else None
        return [str(value)] if value not in (None, "") else []
    if by == "quarter":
        q = quarter_of(entry.date)
        return [q] if q else []
    raise ValueError(f"by must be one of {BREAKDOWNS}")


def breakdown(
    entries: Iterable[Entry], by: str, schema: Schema | None = None
) -> list[dict[str, Any]]:
    """Entries grouped by category, root cause, project, project type or quarter of filing.

    Each group counts entries per type and the projects involved, with the median schedule slip
    and budget variance of its retrospectives. Entries without a value for ``by`` are left out.
    """
    entries = list(entries)
    retros = _retro_index(entries, schema)
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        for key in _group_keys(e, by, retros, schema):
            groups[key].append(e)
    rows = []
    for key, members in groups.items():
        counts = {name: 0 for name in (schema or _DEFAULT_SCHEMA).names()}
        for e in members:
            kind = type_of(e, schema)
            if kind:
                counts[kind] += 1
        projects = {p for e in members if (p := project_of(e, retros))}
        rows.append(
            {
                "group": key,
                "entries": len(members),
                **counts,
                "projects": len(projects),
                "median_slip_days": schedule_slip(members, schema)["median_days"],
                "median_variance_percent": budget_overrun(members, schema)["median_percent"],
            }
        )
    if by == "quarter":
        rows.sort(key=lambda r: r["group"])
    else:
        rows.sort(key=lambda r: (-r["entries"], r["group"]))
    return rows


def stats(
    entries: Iterable[Entry],
    today: dt.date,
    by: str | None = None,
    schema: Schema | None = None,
) -> dict[str, Any]:
    """The figures a PMO reports: counts, slip, variance, actions, recurring causes, SOPs."""
    entries = list(entries)
    names = (schema or _DEFAULT_SCHEMA).names()
    by_type: dict[str, dict[str, Any]] = {n: {"total": 0, "by_status": {}} for n in names}
    for e in entries:
        kind = type_of(e, schema)
        if not kind:
            continue
        status = str(e.meta.get("status") or "(none)")
        by_type[kind]["total"] += 1
        by_type[kind]["by_status"][status] = by_type[kind]["by_status"].get(status, 0) + 1
    for counts in by_type.values():
        counts["by_status"] = dict(sorted(counts["by_status"].items()))
    items = action_items(entries, today)
    actions = {status: 0 for status in ACTION_STATUSES}
    for item in items:
        actions[item.status] = actions.get(item.status, 0) + 1
    actions["overdue"] = sum(1 for item in items if item.overdue_days > 0)
    result: dict[str, Any] = {
        "today": today.isoformat(),
        "entries": sum(c["total"] for c in by_type.values()),
        "by_type": by_type,
        "schedule_slip": schedule_slip(entries, schema),
        "budget_variance": budget_overrun(entries, schema),
        "actions": actions,
        "recurring_root_causes": recurring_root_causes(entries, schema=schema),
        "lessons_per_sop": lessons_per_sop(entries, schema),
    }
    if by:
        result["breakdown"] = {"by": by, "groups": breakdown(entries, by, schema)}
    return result

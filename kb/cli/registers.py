"""Commands for a PMO's registers: actions, stats, export, import."""

from __future__ import annotations

import unicodedata
from typing import Any

import click

from kb.cli import emit_json, json_option, pass_state

_TODAY = click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    hidden=True,
    help="Pretend today is this date (for reproducible reports).",
)


def _today(value) -> Any:
    import datetime as dt

    return value.date() if value else dt.date.today()


def _width(text: str) -> int:
    """Terminal columns a string takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> list[str]:
    """Rows of cells as aligned text lines (the last column is not padded)."""
    if not rows:
        return []
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for r in rows:
        cells = [c + " " * (widths[i] - _width(c)) for i, c in enumerate(r[:-1])] + [r[-1]]
        lines.append("  ".join(cells).rstrip())
    return lines


# ---------------------------------------------------------------------------------------------
# kb actions


@click.command()
@click.option("--open", "view", flag_value="open", default=True, help="Open items (default).")
@click.option("--overdue", "view", flag_value="overdue", help="Only overdue items.")
@click.option("--all", "view", flag_value="all", help="Every item, done and dropped too.")
@click.option("--owner", help="Only items of this owner (case-insensitive).")
@click.option("--project", "-p", help="Only items of this project.")
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when any listed item is overdue.")
@_TODAY
@json_option
@pass_state
def actions(
    state,
    view: str,
    owner: str | None,
    project: str | None,
    fail_on_overdue: bool,
    today,
    as_json: bool,
) -> None:
    """List action items across all retrospectives, most overdue first.

    Each line shows days overdue, due date, owner, status, the retrospective it comes from and
    the action. --fail-on-overdue makes a scheduled CI job fail while anything is overdue.

    \b
    Examples:
      kb actions                      # open items
      kb actions --overdue --owner "Tom Berger"
      kb actions --all -p "ERP roll-out" --json
      kb actions --overdue --fail-on-overdue   # in a nightly CI job
    """
    from kb.registers import action_items, select_actions
    from kb.store import load_entries

    day = _today(today)
    loaded = load_entries(state.workspace)
    items = select_actions(action_items(loaded.entries, day), view, owner, project)
    overdue = [i for i in items if i.overdue_days > 0]
    if as_json:
        emit_json(
            {
                "today": day.isoformat(),
                "view": view,
                "count": len(items),
                "overdue": len(overdue),
                "items": [i.to_dict() for i in items],
            }
        )
    elif items:
        rows = [["OVERDUE", "DUE", "OWNER", "STATUS", "ENTRY", "ACTION"]]
        for i in items:
            rows.append(
                [
                    f"{i.overdue_days}d" if i.overdue_days else "-",
                    i.due.isoformat() if i.due else "(none)",
                    i.owner or "(none)",
                    i.status,
                    i.entry_id or i.path,
                    i.action,
                ]
            )
        for line in _table(rows):
            click.echo(line)
    if not as_json:
        noun = "action item" if len(items) == 1 else "action items"
        click.echo(f"{len(items)} {noun} ({view}), {len(overdue)} overdue", err=True)
    if fail_on_overdue and overdue:
        click.echo(
            f"error: {len(overdue)} action item{'s' if len(overdue) != 1 else ''} overdue",
            err=True,
        )
        raise SystemExit(1)


# ---------------------------------------------------------------------------------------------
# kb stats


def _num(value: Any, unit: str = "", sign: bool = False) -> str:
    if value is None:
        return "-"
    text = f"{value:+g}" if sign else f"{value:g}"
    return text + unit


def _stats_lines(data: dict[str, Any]) -> list[str]:
    lines = [f"Entries: {data['entries']}"]
    type_rows = []
    for name, counts in data["by_type"].items():
        statuses = ", ".join(f"{s} {n}" for s, n in counts["by_status"].items())
        type_rows.append([f"  {name}", str(counts["total"]), f"({statuses})" if statuses else ""])
    lines += _table(type_rows)
    slip = data["schedule_slip"]
    lines.append(
        f"Schedule slip ({slip['retrospectives']} retrospectives): "
        f"median {_num(slip['median_days'], ' days')}, worst {_num(slip['worst_days'], ' days')}"
        + (f" ({slip['worst']})" if slip["worst"] else "")
    )
    var = data["budget_variance"]
    lines.append(
        f"Budget variance ({var['retrospectives']} retrospectives): "
        f"median {_num(var['median_percent'], '%', True)}, "
        f"worst {_num(var['worst_percent'], '%', True)}"
        + (f" ({var['worst']})" if var["worst"] else "")
    )
    a = data["actions"]
    lines.append(
        f"Action items: {a['open']} open ({a['overdue']} overdue), {a['done']} done, "
        f"{a['dropped']} dropped"
    )
    lines.append("Recurring root causes (named in 2 or more projects):")
    rows = [
        [f"  {r['root_cause']}", f"{len(r['projects'])} projects", ", ".join(r["retrospectives"])]
        for r in data["recurring_root_causes"]
    ]
    lines += _table(rows) if rows else ["  none"]
    lines.append("Lessons per SOP:")
    rows = [
        [
            f"  {r['sop']}",
            str(len(r["lessons"])),
            r["title"] or "(no such SOP)",
            ", ".join(r["lessons"]),
        ]
        for r in data["lessons_per_sop"]
    ]
    lines += _table(rows) if rows else ["  no SOPs"]
    if "breakdown" in data:
        by = data["breakdown"]["by"]
        lines.append(f"By {by}:")
        header = [
            f"  {by.upper()}",
            "ENTRIES",
            "RETROS",
            "LESSONS",
            "RISKS",
            "SOPS",
            "PROJECTS",
            "MEDIAN SLIP",
            "MEDIAN VARIANCE",
        ]
        rows = [header]
        for g in data["breakdown"]["groups"]:
            rows.append(
                [
                    f"  {g['group']}",
                    str(g["entries"]),
                    str(g.get("retrospective", 0)),
                    str(g.get("lesson", 0)),
                    str(g.get("risk", 0)),
                    str(g.get("sop", 0)),
                    str(g["projects"]),
                    _num(g["median_slip_days"], "d"),
                    _num(g["median_variance_percent"], "%", True),
                ]
            )
        lines += _table(rows) if len(rows) > 1 else ["  no entries"]
    return lines


@click.command()
@click.option(
    "--by",
    type=click.Choice(["category", "root-cause", "project", "project-type", "quarter"]),
    help="Also break the entries down by this dimension.",
)
@_TODAY
@json_option
@pass_state
def stats(state, by: str | None, today, as_json: bool) -> None:
    """Figures for a PMO report: counts, schedule slip, budget variance, recurring causes.

    Counts entries by type and status; the median and worst schedule slip and budget variance of
    the retrospectives; action items by status; root-cause categories named in retrospectives of
    two or more projects (the themes to act on); and the lessons that changed each SOP.
    --by adds a table grouped by lesson/risk category, root cause, project, project type or the
    quarter an entry was filed in.

    \b
    Examples:
      kb stats
      kb stats --by project
      kb stats --by quarter --json
    """
    from kb.registers import stats as compute
    from kb.store import load_entries

    ws = state.workspace
    data = compute(load_entries(ws).entries, _today(today), by, ws.schema)
    if as_json:
        emit_json(data)
        return
    for line in _stats_lines(data):
        click.echo(line)


COMMANDS = [actions, stats]

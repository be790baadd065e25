"""`kb stats` as text for a person: the figures of ``kb.registers.stats`` in the workspace
language, values by their labels, counts in their plural forms. ``--json`` keeps the keys."""

from __future__ import annotations

from typing import Any

from kb.cli.terminal import aligned as table
from kb.fields import value_label
from kb.i18n import text

# The dimensions whose groups are allowed values, shown by their labels (the others are names
# and quarters, shown as they are).
_LABELLED = ("category", "root-cause", "project-type")
_TYPE_COLUMNS = ("retrospective", "lesson", "risk", "sop")


def _num(value: Any, unit: str = "", sign: bool = False) -> str:
    if value is None:
        return "-"
    shown = f"{value:+g}" if sign else f"{value:g}"
    return shown + unit


def _days(value: Any, lang: str) -> str:
    return "-" if value is None else text("count.days", lang, count=value)


def stats_lines(data: dict[str, Any], schema: Any, lang: str) -> list[str]:
    """The lines `kb stats` prints for ``data`` (``kb.registers.stats``) in ``lang``."""
    lines = [text("stats.entries", lang, count=data["entries"])]
    lines += _type_lines(data["by_type"], schema, lang)
    lines += _spread_lines(data, lang)
    a = data["actions"]
    lines.append(text("stats.actions", lang, **{k: a.get(k, 0) for k in _ACTION_COUNTS}))
    lines += _recurring_lines(data["recurring_root_causes"], lang)
    lines += _sop_lines(data["lessons_per_sop"], lang)
    if "breakdown" in data:
        lines += _breakdown_lines(data["breakdown"], lang)
    return lines


_ACTION_COUNTS = ("open", "overdue", "done", "dropped")


def _type_lines(by_type: dict[str, Any], schema: Any, lang: str) -> list[str]:
    sep = text("stats.separator", lang)
    rows = []
    for name, counts in by_type.items():
        etype = schema.get(name)
        statuses = sep.join(
            text("stats.status_count", lang, status=value_label(s, lang), count=n)
            for s, n in counts["by_status"].items()
        )
        shown = text("stats.statuses", lang, statuses=statuses) if statuses else ""
        label = etype.label(lang) if etype else name
        rows.append([f"  {label}", str(counts["total"]), shown])
    return table(rows)


def _spread_lines(data: dict[str, Any], lang: str) -> list[str]:
    slip, var = data["schedule_slip"], data["budget_variance"]
    lines = []
    for key, figures, median, worst in (
        ("stats.slip", slip, _days(slip["median_days"], lang), _days(slip["worst_days"], lang)),
        (
            "stats.variance",
            var,
            _num(var["median_percent"], "%", True),
            _num(var["worst_percent"], "%", True),
        ),
    ):
        retros = text("count.retrospectives", lang, count=figures["retrospectives"])
        line = text(key, lang, retrospectives=retros, median=median, worst=worst)
        if figures["worst"]:
            line += text("stats.worst_entry", lang, id=figures["worst"])
        lines.append(line)
    return lines


def _recurring_lines(recurring: list[dict[str, Any]], lang: str) -> list[str]:
    rows = [
        [
            f"  {value_label(r['root_cause'], lang)}",
            text("count.projects", lang, count=len(r["projects"])),
            ", ".join(r["retrospectives"]),
        ]
        for r in recurring
    ]
    none = "  " + text("stats.none", lang)
    return [text("stats.recurring", lang), *(table(rows) if rows else [none])]


def _sop_lines(per_sop: list[dict[str, Any]], lang: str) -> list[str]:
    rows = [
        [
            f"  {r['sop']}",
            str(len(r["lessons"])),
            r["title"] or text("stats.no_such_sop", lang),
            ", ".join(r["lessons"]),
        ]
        for r in per_sop
    ]
    none = "  " + text("stats.no_sops", lang)
    return [text("stats.per_sop", lang), *(table(rows) if rows else [none])]


def _breakdown_lines(breakdown: dict[str, Any], lang: str) -> list[str]:
    by = breakdown["by"]
    dimension = text(f"stats.dimension.{by}", lang)
    columns = ("entries", *_TYPE_COLUMNS, "projects", "median_slip", "median_variance")
    rows = [[f"  {dimension.upper()}", *(text(f"stats.column.{c}", lang) for c in columns)]]
    for g in breakdown["groups"]:
        group = value_label(g["group"], lang) if by in _LABELLED else g["group"]
        rows.append(
            [
                f"  {group}",
                str(g["entries"]),
                *(str(g.get(t, 0)) for t in _TYPE_COLUMNS),
                str(g["projects"]),
                _num(g["median_slip_days"], "d"),
                _num(g["median_variance_percent"], "%", True),
            ]
        )
    lines = [text("stats.by", lang, by=dimension)]
    return lines + (table(rows) if len(rows) > 1 else ["  " + text("stats.no_entries", lang)])

"""Commands for a PMO's registers: actions and stats (export and import: ``kb.cli.sheets``)."""

from __future__ import annotations

from typing import Any

import click

from kb.cli import (
    emit_json,
    json_option,
    load_and_warn,
    matching_projects,
    output_format,
    pass_state,
)
from kb.cli.dates import DATE
from kb.cli.help import KbCommand, KbSubgroup
from kb.cli.terminal import aligned as _table
from kb.cli.terminal import sanitize
from kb.i18n import text

_TODAY = click.option(
    "--today",
    type=DATE,
    hidden=True,
    help="Pretend today is this date (for reproducible reports).",
)


def _today(value) -> Any:
    import datetime as dt

    return value or dt.date.today()


def _statuses(given: tuple[str, ...], lang: str) -> set[str]:
    """The action statuses ``--status`` names, by key or label in either language; UsageError
    listing the allowed ones (keys in English, labels in Chinese) otherwise."""
    from kb.errors import UsageError
    from kb.fields import (
        ACTION_STATUSES,
        closest,
        match_choice,
        shown_choice,
        shown_choices,
        value_label,
    )
    from kb.i18n import DEFAULT

    wanted, wrong = set(), []
    for value in given:
        key = match_choice(value.strip(), ACTION_STATUSES)
        if key:
            wanted.add(key)
            continue
        by_label = {value_label(s, lang): s for s in ACTION_STATUSES}
        hint = closest(value, ACTION_STATUSES) or by_label.get(closest(value, by_label) or "")
        message = text(
            "search_cli.not_allowed",
            lang,
            option="--status",
            value=repr(value),
            name="status" if lang == DEFAULT else text("field.status", lang),
            allowed=shown_choices(ACTION_STATUSES),
        )
        wrong.append(
            message + (text("cli.ref_hint", lang, hint=repr(shown_choice(hint))) if hint else "")
        )
    if wrong:
        raise UsageError("\n".join(wrong))
    return wanted


def _load(ws) -> tuple[list, list[dict[str, Any]]]:
    """The readable entries, and the unreadable files (each also warned about on stderr)."""
    loaded = load_and_warn(ws)
    return loaded.entries, [p.to_dict() for p in loaded.problems]


# ---------------------------------------------------------------------------------------------
# kb actions


@click.group(cls=KbSubgroup, invoke_without_command=True)
@click.option("--open", "views", flag_value="open", multiple=True, help="Open items (default).")
@click.option("--overdue", "views", flag_value="overdue", multiple=True, help="Only overdue items.")
@click.option("--all", "views", flag_value="all", multiple=True, help="Every item, done too.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="[open|done|verified|dropped]",
    help="Only items of this status (repeatable; its label too, such as 已完成); alone, it "
    "lists from all items.",
)
@click.option("--owner", help="Only items of this owner (case-insensitive).")
@click.option(
    "--project", "-p", help="Only items of this project: its name or the start of it, any case."
)
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when any listed item is overdue.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format: markdown is a table for a CI job summary; json is --json (which "
    "another --format contradicts).",
)
@_TODAY
@json_option
@pass_state
def actions(
    state,
    views: tuple[str, ...],
    statuses: tuple[str, ...],
    owner: str | None,
    project: str | None,
    fail_on_overdue: bool,
    fmt: str,
    today,
    as_json: bool,
) -> None:
    """List action items across all retrospectives, most overdue first; or take a step.

    Each line shows days overdue, due date, owner, status, the item's reference (RETRO-0003#2:
    the retrospective and the item's number) and the action. --overdue also lists the SOPs
    past their review date. --fail-on-overdue makes a scheduled CI job fail while anything
    listed is overdue. The steps (done, verify, drop, reopen) take a reference.

    \b
    Examples:
      kb actions                      # open items
      kb actions --overdue --owner "Tom Berger"
      kb actions --all -p "ERP roll-out" --json
      kb actions --overdue --fail-on-overdue   # in a nightly CI job
      kb actions --status done        # done, awaiting the PMO's verification
      kb actions done RETRO-0003#2 --note "Checklist v3"
    """
    if click.get_current_context().invoked_subcommand:
        return
    from kb.cli.actions import overdue_reviews, review_json, review_lines, review_summary
    from kb.errors import UsageError
    from kb.registers import action_items, select_actions

    lang = state.workspace.language
    chosen = list(dict.fromkeys(views))
    if len(chosen) > 1:
        given = text("cli.and", lang).join("--" + v for v in chosen)
        raise UsageError(text("cli.not_combined", lang, options=given))
    fmt = output_format(fmt, as_json, lang)
    as_json = fmt == "json"
    view = chosen[0] if chosen else ("all" if statuses else "open")
    day = _today(today)
    entries, skipped = _load(state.workspace)
    projects = matching_projects(entries, project, lang) if project else None
    items = select_actions(action_items(entries, day), view, owner, projects)
    if statuses:
        wanted = _statuses(statuses, state.workspace.language)
        items = [i for i in items if i.status in wanted]
    overdue = [i for i in items if i.overdue_days > 0]
    reviews = overdue_reviews(state.workspace, entries, day, owner, projects)
    reviews = reviews if view == "overdue" else []
    if fmt == "markdown":
        from kb.ci import actions_markdown

        markdown = actions_markdown(items, view, day, state.workspace.language, reviews)
        click.echo(markdown, nl=False)
    elif as_json:
        emit_json(
            {
                "today": day.isoformat(),
                "view": view,
                "count": len(items),
                "overdue": len(overdue),
                "items": [i.to_dict() for i in items],
                "sop_reviews": review_json(reviews),
                "skipped": skipped,
            }
        )
    elif items:
        for line in _table(_action_rows(items, state.workspace.language)):
            click.echo(sanitize(line))
    if reviews and not as_json and fmt != "markdown":
        click.echo(sanitize(text("actions.reviews", state.workspace.language)))
        for line in _table(review_lines(state.workspace, reviews)):
            click.echo(sanitize("  " + line))
    if not as_json:
        click.echo(_actions_summary(len(items), view, len(overdue), lang), err=True)
        if reviews:
            click.echo(sanitize(review_summary(state.workspace, reviews)), err=True)
    if fail_on_overdue and overdue:
        items_text = text("count.action_items", lang, count=len(overdue))
        click.echo(text("actions_list.failed", lang, items=items_text), err=True)
    if fail_on_overdue and reviews:
        prefix = text("cli.prefix.error", lang)
        click.echo(sanitize(prefix + review_summary(state.workspace, reviews)), err=True)
    if fail_on_overdue and (overdue or reviews):
        raise SystemExit(1)


def _action_rows(items: list, lang: str) -> list[list[str]]:
    """The `kb actions` table: a header row, then one row per item, statuses by their labels."""
    from kb.fields import value_label

    columns = ("overdue", "due", "owner", "status", "ref", "action")
    none = text("actions_list.none", lang)
    rows = [[text(f"actions_list.column.{c}", lang) for c in columns]]
    for i in items:
        overdue = i.overdue_days
        rows.append(
            [
                text("actions_list.overdue_days", lang, count=overdue) if overdue else "-",
                i.due.isoformat() if i.due else none,
                i.owner or none,
                value_label(i.status, lang),
                i.ref,
                i.action,
            ]
        )
    return rows


def _actions_summary(count: int, view: str, overdue: int, lang: str) -> str:
    """``3 action items (open), 2 overdue``."""
    items = text("count.action_items", lang, count=count)
    shown = text(f"actions_list.view.{view}", lang)
    return text("actions_list.summary", lang, items=items, view=shown, overdue=overdue)


def _add_steps() -> None:
    from kb.cli.actions import STEPS

    for step in STEPS:
        actions.add_command(step)


_add_steps()


# ---------------------------------------------------------------------------------------------
# kb stats


@click.command(cls=KbCommand)
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

    ws = state.workspace
    entries, skipped = _load(ws)
    data = compute(entries, _today(today), by, ws.schema)
    if as_json:
        emit_json({**data, "skipped": skipped})
        return
    from kb.cli.stats_text import stats_lines

    for line in stats_lines(data, ws.schema, ws.language):
        click.echo(sanitize(line))


COMMANDS = [actions, stats]

"""`kb actions done|reopen|verify|drop REF`: the lifecycle of an action item, from the CLI.

The steps are subcommands of `kb actions` (``kb.cli.registers``), which lists the items; the
overdue report's SOP reviews are written here too. Each step makes one call into
``kb.actions.edit`` and prints what changed (``--json`` for scripts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from kb.cli import emit_json, json_option, pass_state
from kb.cli.dates import DATE
from kb.cli.help import KbCommand
from kb.cli.terminal import sanitize


def _take(state, ref: str, op: str, day, text: str | None, as_json: bool) -> None:
    from kb.actions import Change
    from kb.actions.edit import change_action
    from kb.actions.words import say, status_label
    from kb.fields.values import speaking

    ws = state.workspace
    change = Change(op, day, text or "")
    with speaking(ws.language):
        edited = change_action(ws, ref, change, dt.date.today())
        if as_json:
            emit_json(edited.to_dict())
            return
        line = say(
            "moved",
            ref=edited.ref,
            before=status_label(edited.before),
            after=status_label(str(edited.item.get("status"))),
            action=edited.item.get("action") or "",
        )
        click.echo(sanitize(line))
        if edited.ids_written:
            refs = ", ".join(edited.ids_written)
            click.echo(
                sanitize(say("ids_written", count=len(edited.ids_written), refs=refs)), err=True
            )
        click.echo(sanitize(say("wrote", path=edited.path)), err=True)


@click.command(cls=KbCommand)
@click.argument("ref")
@click.option("--note", help="What was done, kept with the item (note:).")
@click.option("--date", "day", type=DATE, help="The day it was done (default: today).")
@json_option
@pass_state
def done(state, ref: str, note: str | None, day, as_json: bool) -> None:
    """Mark the open action item REF (such as RETRO-0003#2) done.

    Writes status: done and done: DATE (and note:) into the item's lines of the entry's front
    matter; the rest of the file stays as it is. The PMO then verifies it (`kb actions verify`).

    \b
    Examples:
      kb actions done RETRO-0003#2
      kb actions done RETRO-0003#2 --note "Checklist v3 in SOP-0002" --date 2025-08-29
    """
    _take(state, ref, "done", day, note, as_json)


@click.command(cls=KbCommand)
@click.argument("ref")
@click.option("--evidence", help="What shows the fix worked (required).")
@click.option("--date", "day", type=DATE, help="The day it was verified (default: today).")
@json_option
@pass_state
def verify(state, ref: str, evidence: str | None, day, as_json: bool) -> None:
    """Verify the done action item REF with evidence that the fix worked.

    Only a done item can be verified. Writes status: verified, verified: DATE and evidence:;
    an action counts as effective once it is verified.

    \b
    Examples:
      kb actions verify RETRO-0003#2 --evidence "Wave 2 ran two rehearsals; cut-over on time"
    """
    _take(state, ref, "verify", day, evidence, as_json)


@click.command(cls=KbCommand)
@click.argument("ref")
@click.option("--reason", help="Why it will not be done (required).")
@json_option
@pass_state
def drop(state, ref: str, reason: str | None, as_json: bool) -> None:
    """Drop the open action item REF, with the reason it will not be done.

    \b
    Examples:
      kb actions drop RETRO-0003#6 --reason "Covered by wave 2 of the roll-out"
    """
    _take(state, ref, "drop", None, reason, as_json)


@click.command(cls=KbCommand)
@click.argument("ref")
@json_option
@pass_state
def reopen(state, ref: str, as_json: bool) -> None:
    """Open the done, verified or dropped action item REF again.

    Sets status: open and removes the done, note, verified, evidence and reason lines (git keeps
    their history).

    \b
    Examples:
      kb actions reopen RETRO-0003#2
    """
    _take(state, ref, "reopen", None, None, as_json)


STEPS = [done, verify, drop, reopen]


# ---------------------------------------------------------------------------------------------
# The SOP reviews of the overdue report


def overdue_reviews(ws, entries, day: dt.date, owner: str | None, projects) -> list:
    """The SOPs past their review date, as `kb actions --overdue` lists them (``projects``:
    the casefolded names -p matched, None for all)."""
    from kb.actions.overdue import overdue_reviews as chosen
    from kb.actions.overdue import sop_reviews

    return chosen(sop_reviews(entries, day, ws.schema), owner, projects)


def review_lines(ws, reviews: list) -> list[list[str]]:
    """The overdue report's rows for the SOP reviews: heading, then one row per SOP."""
    from kb import i18n

    lang = ws.language
    rows: list[list[str]] = []
    for r in reviews:
        rows.append(
            [
                i18n.text("actions.review_days", lang, count=r.overdue_days),
                r.review_due.isoformat(),
                r.owner or "-",
                r.entry_id or r.path,
                r.title,
            ]
        )
    return rows


def review_summary(ws, reviews: list) -> str:
    """``2 SOP reviews overdue``."""
    from kb import i18n

    return i18n.text("actions.reviews_count", ws.language, count=len(reviews))


def review_json(reviews: list) -> list[dict[str, Any]]:
    """The reviews as the overdue report's JSON shows them."""
    return [r.to_dict() for r in reviews]

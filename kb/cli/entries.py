"""Commands that create and validate entries: init, new, check, list, renumber."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import click

from kb.cli import display_path, emit_json, json_option, load_and_warn, pass_state
from kb.cli.terminal import sanitize
from kb.i18n import LANGUAGES

TYPE_HELP = "retrospective (retro), lesson (ll), risk, sop"


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the templates and the site.",
)
@click.option("--name", "site_name", help="Site name (default: Project Knowledge Base).")
def init(directory: Path, lang: str, site_name: str | None) -> None:
    """Create a knowledge-base workspace in DIRECTORY.

    Writes mkdocs.yml (Material theme, search, tags and the kb plugin), docs/ with a home page and
    one folder per entry type, templates/ with editable copies of the built-in templates, and a
    .gitignore. Existing files are never overwritten.
    """
    from kb.scaffold import init_workspace

    created = init_workspace(directory, lang, site_name)
    for path in created:
        click.echo(f"created {sanitize(display_path(path))}")
    click.echo(f"\nNext: cd {sanitize(display_path(directory))} && kb new retrospective")


def _git_user() -> str:
    try:
        out = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _prompt_field(f, lang: str, default, known_ids=None):  # f: kb.schema.Field
    """Ask for one field until the answer is valid (or blank, for an optional field)."""
    from kb.errors import UsageError
    from kb.fields import FieldError, value_label
    from kb.scaffold import reference_problems

    model = f.model
    hint = model.hint(f)
    notes = [n for n in (f.help, "" if hint in f.help else hint) if n]
    choices = model.choices(f)
    for number, choice in enumerate(choices, 1):  # answered by number, key or label
        label = value_label(choice, lang)
        click.echo(f"  {number}. {choice}" + (f" ({label})" if label != choice else ""))
    while True:
        questions = model.questions(f, default)
        texts = []
        for i, q in enumerate(questions):
            text = q.label + (f" ({'; '.join(notes)})" if notes and i == 0 else "")
            if choices and i == 0:
                text += f" [1-{len(choices)}]"
            texts.append(click.prompt(text, default=q.default, show_default=bool(q.default)))
        if not texts[0].strip():
            if not f.required:
                return None
            click.echo(f"  {f.name} is required", err=True)
            continue
        try:
            value = model.answer(f, texts)
            if known_ids is not None and model.is_reference:
                problems = reference_problems(f, value, known_ids)
                if problems:
                    raise UsageError("\n".join(problems))
            return value
        except (FieldError, UsageError) as exc:
            for line in str(exc).splitlines():  # ask again rather than fail after every prompt
                click.echo(f"  {line}", err=True)


def _prompt_actions(f, lang: str) -> list[dict]:
    actions = []
    while click.confirm("add an action item?", default=False):
        actions += _prompt_field(dataclasses.replace(f, required=True), lang, None)
    return actions


@click.command()
@click.argument("type_name", metavar="TYPE")
@click.argument("title", required=False)
@click.option("--project", "-p", help="Project the entry belongs to.")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Set a field (repeatable). Lists are comma-separated; budget.planned=100 sets one part.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help="Template language (default: the workspace language).",
)
@click.option("--no-input", is_flag=True, help="Never prompt; report missing fields instead.")
@click.option("--interactive", is_flag=True, help="Prompt even when input is not a terminal.")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
@json_option
@pass_state
def new(
    state,
    type_name: str,
    title: str | None,
    project: str | None,
    assignments: tuple,
    lang: str | None,
    no_input: bool,
    interactive: bool,
    edit: bool,
    as_json: bool,
) -> None:
    """File a new entry of TYPE from its template.

    TYPE is one of: retrospective (retro), lesson (ll), risk, sop. On a terminal, kb asks for the
    required fields, offering the allowed values; with --no-input (or without a terminal) it never
    asks, and lists every missing field in one error.

    \b
    Examples:
      kb new retro "ERP go-live retrospective" -p "ERP roll-out"
      kb new lesson "Rehearse the data migration twice" --set category=quality \\
         --set phase=executing --set impact=negative --set source=RETRO-0001 --no-input
      kb new risk "供应商交付延迟" --lang zh
    """
    from kb.errors import UsageError, ValidationFailed
    from kb.scaffold import (
        NEW_ENTRY_FIELDS,
        ordered_meta,
        read_assignments,
        reference_problems,
        render_body,
        value_problems,
    )
    from kb.store import create_entry, entry_folder, load_entries

    ws = state.workspace
    etype = ws.schema.get(type_name)
    if etype is None:
        raise UsageError(f"unknown entry type {type_name!r}; use one of: {TYPE_HELP}")
    entry_folder(ws, etype)  # a folder kb will not write to: say so before asking anything
    lang = lang or ws.language
    values, set_problems, bad = read_assignments(etype, assignments, NEW_ENTRY_FIELDS)
    if title is not None:
        values["title"] = title
    if project:
        values["project"] = project
    values["type"] = etype.name
    given = {k for k, v in values.items() if v not in (None, "", [])}
    defaults = {"date": dt.date.today(), "status": "draft"}
    user = _git_user() or os.environ.get("USER", "")
    if user:
        defaults["owner"] = user
    known_ids = None
    if etype.reference_fields:  # references are checked when written, prompted ones at once
        loaded = load_entries(ws)
        known_ids = {e.id for e in loaded.entries if e.id} | loaded.unreadable_ids
    prompting = interactive or (not no_input and sys.stdin.isatty())
    if set_problems and prompting:  # say so before asking anything
        raise UsageError("\n".join(set_problems))
    if prompting:
        for f in etype.fields:
            # date and status defaults (today, draft) are nearly always right: not asked
            if f.name in ("id", "type", "date", "status") or f.name in given:
                continue
            if f.required or f.prompt:
                value = _prompt_field(f, lang, defaults.get(f.name), known_ids)
                if value not in (None, "", []):
                    values[f.name] = value
        actions_field = etype.field("actions")
        if actions_field and "actions" not in values:
            actions = _prompt_actions(actions_field, lang)
            if actions:
                values["actions"] = actions
    for name, value in defaults.items():
        values.setdefault(name, value)
    problems = value_problems(etype, values)
    for f in etype.reference_fields if known_ids is not None else ():
        problems += reference_problems(f, values.get(f.name), known_ids)
    if set_problems:  # every problem of the command line at once, the --set ones first
        others = [p for p in problems if p.split(":", 1)[0] not in bad]
        raise UsageError("\n".join(set_problems + others))
    if problems:
        raise ValidationFailed(
            [], summary=f"cannot create the {etype.name}:\n" + "\n".join(problems)
        )
    meta = ordered_meta(etype, values)
    body = render_body(ws, etype, meta, lang)
    entry_id, path = create_entry(ws, etype, meta, body)
    if as_json:
        emit_json(
            {
                "id": entry_id,
                "type": etype.name,
                "path": ws.relpath(path),
                "absolute_path": str(path),
            }
        )
    else:
        click.echo(f"created {entry_id}: {sanitize(display_path(path))}")
    if edit:
        click.edit(filename=str(path))


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, and no summary.")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    hidden=True,
    help="Pretend today is this date (for reproducible reports).",
)
@pass_state
def check(state, fmt: str, as_json: bool, strict: bool, quiet: bool, today) -> None:
    """Validate every entry against the schema.

    Prints one line per problem as PATH:LINE: LEVEL: MESSAGE (paths relative to the workspace).
    Errors: unreadable files, missing or unknown fields' values, duplicate ids, dangling
    references. Warnings: stale drafts, overdue action items, SOPs past their review date.

    Exit status: 0 when clean, 1 on errors (with --strict, on warnings too), 2 on usage errors.
    """
    from kb.checks import check_workspace

    report = check_workspace(state.workspace, today.date() if today else None)
    if fmt == "json" or as_json:
        emit_json(report.to_dict())
    else:
        for problem in report.problems:
            if quiet and problem.level != "error":
                continue
            click.echo(sanitize(problem.format()))
        if not quiet:
            click.echo(
                f"{_count(report.files, 'entry', 'entries')} checked: "
                f"{_count(len(report.errors), 'error')}, "
                f"{_count(len(report.warnings), 'warning')}",
                err=True,
            )
    if report.errors or (strict and report.warnings):
        raise SystemExit(1)


def _count(n: int, singular: str, plural: str = "") -> str:
    """``1 error``, ``2 errors``: the summary line reads as English."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


@click.command(name="list")
@click.option("--type", "type_name", help=f"Only this type: {TYPE_HELP}.")
@click.option(
    "--project",
    "-p",
    help="Only entries of this project: its name or the start of it, any case.",
)
@click.option("--status", help="Only entries with this status, e.g. draft, approved.")
@json_option
@pass_state
def list_entries(
    state, type_name: str | None, project: str | None, status: str | None, as_json: bool
) -> None:
    """List entries: id, type, status, date, title and project, under a header row.

    An unknown --type or --status is an error naming the allowed values; -p "erp" lists the
    entries of "ERP roll-out" (a project named exactly so is picked alone), and a project no
    entry has is an error naming the known ones. --json prints the rows without a header.
    """
    from kb.search import Filters, check_filters

    ws = state.workspace
    wanted = check_filters(ws, Filters(type=type_name, status=status))
    entries = load_and_warn(ws).entries
    projects = _matching_projects(entries, project) if project else None
    rows = []
    for e in entries:
        etype = ws.schema.get(e.type)
        if wanted.type and (etype is None or etype.name != wanted.type):
            continue
        if projects is not None and e.project.strip().casefold() not in projects:
            continue
        if wanted.status and str(e.meta.get("status", "")).lower() != wanted.status:
            continue
        rows.append(
            {
                "id": e.id,
                "type": etype.name if etype else e.type,
                "status": str(e.meta.get("status", "")),
                "date": e.date.isoformat() if e.date else "",
                "project": e.project,
                "title": e.title,
                "path": e.relpath,
            }
        )
    rows.sort(key=lambda r: (r["type"], r["id"]))
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no entries", err=True)
        return
    shown = [{k: sanitize(v) for k, v in r.items()} for r in rows]  # escapes ESC, BEL, ...
    width = max(len(r["id"]) for r in shown)
    header = dict(
        id="ID", type="TYPE", status="STATUS", date="DATE", title="TITLE", project="PROJECT"
    )
    for r in [header, *shown]:
        click.echo(
            f"{r['id']:<{width}}  {r['type']:<13} {r['status']:<10} {r['date']:<10}  "
            f"{r['title']}" + (f"  [{r['project']}]" if r["project"] else "")
        )


def _matching_projects(entries, value: str) -> set[str]:
    """The projects (casefolded) that -p VALUE names: the one called so, else all starting so."""
    from kb.errors import UsageError
    from kb.schema import closest

    known = {e.project.strip().casefold(): e.project.strip() for e in entries if e.project}
    term = value.strip().casefold()
    if term in known:
        return {term}
    found = {p for p in known if p.startswith(term)} if term else set()
    if found:
        return found
    hint = closest(value, known.values())
    names = sorted(known.values(), key=str.casefold)
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    raise UsageError(
        f"--project: no entry has {value!r}"
        + (f" (did you mean {hint!r}?)" if hint else "")
        + (f"; known: {shown}" if names else "")
    )


def _entry_path(ws, text: str) -> Path:
    """A path as typed, or relative to the workspace root (as `kb check` prints them)."""
    path = Path(text)
    if not path.exists() and not path.is_absolute() and (ws.root / path).exists():
        path = ws.root / path
    if not path.exists():
        from kb.errors import UsageError

        raise UsageError(f"{text}: no such file")
    return path


@click.command()
@click.argument("path")
@click.option(
    "--update",
    "update",
    multiple=True,
    metavar="FILE",
    help="A file whose references to the old id mean this entry (repeatable).",
)
@json_option
@pass_state
def renumber(state, path: str, update: tuple[str, ...], as_json: bool) -> None:
    """Give the entry at PATH a new id, after a merge left two entries with one id.

    The file is renamed to the next free id of its type. References to the old id are updated
    where it is certain they mean this entry (files named with --update, entries it refers to,
    entries of its project when the other entry is from another project); the others are listed
    so you can confirm which entry they mean. Files are edited as text: comments survive.

    \b
    Example:
      kb renumber docs/lessons/LL-0012-freeze-scope.md --update docs/risks/RISK-0031-scope.md
    """
    from kb.store import renumber as do_renumber

    ws = state.workspace
    result = do_renumber(ws, _entry_path(ws, path), [_entry_path(ws, p) for p in update])
    if as_json:
        emit_json(result.__dict__)
        return
    old_id, new_id = sanitize(result.old_id), sanitize(result.new_id)
    click.echo(f"{old_id} -> {new_id}: {sanitize(result.new_path)}")
    for rel in result.updated:
        click.echo(f"  updated references in {sanitize(rel)}")
    for rel in result.left:
        click.echo(f"  left {old_id} in {sanitize(rel)} (check which entry it means)")


COMMANDS = [init, new, check, list_entries, renumber]

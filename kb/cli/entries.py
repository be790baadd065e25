"""Commands that create and validate entries: init, new, check, list, renumber."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from kb import i18n
from kb.cli import (
    State,
    display_path,
    emit_json,
    json_option,
    load_and_warn,
    matching_projects,
    output_format,
    pass_state,
    problem_levels,
)
from kb.cli.dates import DATE
from kb.cli.help import KbCommand
from kb.cli.terminal import sanitize
from kb.i18n import LANGUAGES

TYPE_HELP = "retrospective (retro), lesson (ll), risk, sop"


@click.command(cls=KbCommand)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the templates and the site.",
)
@click.option(
    "--name",
    "site_name",
    help="Site name (default: Project Knowledge Base, or its name in the --lang language).",
)
@click.option(
    "--ci",
    "ci_provider",
    type=click.Choice(["github", "gitlab"]),
    help="Also write the CI workflow files for this git host (see `kb ci`).",
)
def init(directory: Path, lang: str, site_name: str | None, ci_provider: str | None) -> None:
    """Create a knowledge-base workspace in DIRECTORY.

    Writes mkdocs.yml (Material theme, search, tags and the kb plugin), docs/ with a home page and
    one folder per entry type, templates/ with editable copies of the built-in templates, and a
    .gitignore. Existing files are never overwritten. --ci github|gitlab also writes the
    workflow files `kb ci` writes.
    """
    from kb.cli.ci import init_recipe
    from kb.scaffold import init_workspace

    state = click.get_current_context().find_object(State)
    if state is not None:
        state.lang = lang  # the errors of kb init are written in the new workspace's language
    write_ci = init_recipe(ci_provider, directory, lang)  # refused before anything is written
    created = init_workspace(directory, lang, site_name)
    for path in created:
        click.echo(i18n.text("cli.created_file", lang, path=sanitize(display_path(path))))
    write_ci()
    click.echo("\n" + i18n.text("init.next", lang, path=sanitize(display_path(directory))))


def _new_entry_meta(ws, etype, given: dict, assignments: tuple, lang: str, prompting: bool) -> dict:
    """The front matter of a new entry: --set values, then answers to the prompts, then the
    defaults; every problem of the command line reported at once (ValidationFailed)."""
    from kb.cli.prompts import prompt_entry
    from kb.errors import UsageError, ValidationFailed
    from kb.fields import say
    from kb.i18n import text as t
    from kb.people import default_owner
    from kb.scaffold import (
        NEW_ENTRY_FIELDS,
        ordered_meta,
        read_assignments,
        reference_problems,
        value_problems,
    )
    from kb.store import load_entries

    values, set_problems, bad = read_assignments(etype, assignments, NEW_ENTRY_FIELDS)
    values.update({k: v for k, v in given.items() if v})
    if given.get("title") is not None:
        values["title"] = given["title"]
    values["type"] = etype.name
    answered = {k for k, v in values.items() if v not in (None, "", [])}
    defaults = {"date": dt.date.today(), "status": "draft"}
    user = default_owner(ws.root)
    if user:
        defaults["owner"] = user
    known_ids = None
    if etype.reference_fields:  # references are checked when written, prompted ones at once
        loaded = load_entries(ws)
        known_ids = {e.id for e in loaded.entries if e.id} | loaded.unreadable_ids
    if set_problems and prompting:  # say so before asking anything
        raise UsageError("\n".join(set_problems))
    if prompting:
        values.update(prompt_entry(etype, answered, defaults, lang, known_ids))
    for name, value in defaults.items():
        values.setdefault(name, value)
    problems = value_problems(etype, values)
    for f in etype.reference_fields if known_ids is not None else ():
        problems += [(f.name, p) for p in reference_problems(f, values.get(f.name), known_ids)]
    if set_problems:  # every problem of the command line at once, the --set ones first
        others = [line for name, line in problems if name not in bad]
        raise UsageError("\n".join(set_problems + others))
    if problems:
        shown = etype.name if say("show") == "key" else etype.label(lang)
        summary = t("cli.cannot_create", lang, type=shown)
        raise ValidationFailed([], summary="\n".join([summary, *(p for _, p in problems)]))
    return ordered_meta(etype, values)


@click.command(cls=KbCommand)
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
    from kb.errors import UsageError
    from kb.fields import speaking
    from kb.i18n import text as t
    from kb.scaffold import render_body
    from kb.store import create_entry, entry_folder

    ws = state.workspace
    lang = lang or ws.language
    etype = ws.schema.get(type_name)
    if etype is None:
        from kb.search.filters import shown_types

        types = TYPE_HELP if lang == i18n.DEFAULT else shown_types(ws.schema, lang)
        message = t("cli.unknown_type", lang, name=repr(type_name), types=types)
        raise UsageError(message)
    entry_folder(ws, etype)  # a folder kb will not write to: say so before asking anything
    given = {"title": title, "project": project}
    prompting = interactive or (not no_input and sys.stdin.isatty())
    with speaking(lang):
        meta = _new_entry_meta(ws, etype, given, assignments, lang, prompting)
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
        shown = sanitize(display_path(path))
        click.echo(t("cli.created", lang, id=entry_id, path=shown))
    if edit:
        click.edit(filename=str(path))


@click.command(cls=KbCommand)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="Output format: github prints annotations for GitHub Actions, gitlab a code quality "
    "report for GitLab.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Same as --format json (not with another --format)."
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, and no summary.")
@click.option(
    "--today",
    type=DATE,
    hidden=True,
    help="Pretend today is this date (for reproducible reports).",
)
@pass_state
def check(state, fmt: str, as_json: bool, strict: bool, quiet: bool, today) -> None:
    """Validate every entry against the schema.

    Prints one line per problem as PATH:LINE: LEVEL: MESSAGE (paths relative to the workspace).
    Errors: unreadable files, missing or unknown fields' values, duplicate ids, dangling
    references. Warnings: stale drafts, overdue action items, SOPs past their review date.
    --format github and gitlab name files from the root of the git repository, as git hosts do.

    Exit status: 0 when clean, 1 on errors (with --strict, on warnings too), 2 on usage errors.
    """
    from kb.checks import check_workspace
    from kb.fields import speaking

    ws = state.workspace
    fmt = output_format(fmt, as_json, ws.language)
    with speaking(ws.language):
        report = check_workspace(ws, today)
    if fmt == "json":
        emit_json(report.to_dict())
    else:
        shown = [p for p in report.problems if not quiet or p.level == "error"]
        if fmt == "gitlab":
            from kb.ci import gitlab_report_json

            click.echo(gitlab_report_json(shown, state.workspace.root))
        elif fmt == "github":
            from kb.ci import github_annotations

            for line in github_annotations(shown, state.workspace.root):
                click.echo(sanitize(line))
        else:
            levels = problem_levels(ws.language)
            for problem in shown:
                click.echo(sanitize(problem.format(levels)))
        if not quiet:
            click.echo(_check_summary(report, ws.language), err=True)
    if report.errors or (strict and report.warnings):
        raise SystemExit(1)


def _check_summary(report, lang: str) -> str:
    """``2 entries checked: 1 error, 0 warnings``, each count in its plural form."""
    counts = {
        "entries": report.files,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }
    parts = {k: i18n.text(f"count.{k}", lang, count=n) for k, n in counts.items()}
    return i18n.text("cli.check_summary", lang, **parts)


@click.command(cls=KbCommand, name="list")
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
    projects = matching_projects(entries, project, ws.language) if project else None
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
        click.echo(i18n.text("cli.no_entries", ws.language), err=True)
        return
    for line in _listing(rows, ws.schema, ws.language):
        click.echo(line)


def _listing(rows: list[dict], schema, lang: str) -> list[str]:
    """The rows of `kb list` as aligned lines under a header, types and statuses by their
    labels in ``lang``; every field sanitized (escapes ESC, BEL, ...)."""
    from kb.cli.terminal import display_width
    from kb.fields import value_label

    def label(name: str) -> str:
        return i18n.text(f"field.{name}", lang).upper()

    def type_label(name: str) -> str:
        etype = schema.get(name)
        return etype.label(lang) if etype else name

    header = {k: label(k) for k in ("id", "type", "status", "date", "title", "project")}
    shown = [
        {k: sanitize(v) for k, v in r.items()}
        | {
            "type": sanitize(type_label(r["type"])),
            "status": sanitize(value_label(r["status"], lang)),
        }
        for r in rows
    ]
    table = [header, *shown]
    widths = {k: max(display_width(r[k]) for r in table) for k in ("id", "type", "status", "date")}

    def pad(r: dict, k: str) -> str:
        return r[k] + " " * (widths[k] - display_width(r[k]))

    return [
        f"{pad(r, 'id')}  {pad(r, 'type')}  {pad(r, 'status')}  {pad(r, 'date')}  {r['title']}"
        + (f"  [{r['project']}]" if r["project"] else "")
        for r in table
    ]


def _entry_path(ws, text: str) -> Path:
    """A path as typed, or relative to the workspace root (as `kb check` prints them)."""
    path = Path(text)
    if not path.exists() and not path.is_absolute() and (ws.root / path).exists():
        path = ws.root / path
    if not path.exists():
        from kb.errors import UsageError

        raise UsageError(i18n.text("cli.no_such_file", ws.language, path=text))
    return path


@click.command(cls=KbCommand)
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
    lang = ws.language
    say = {"old": old_id, "new": new_id}
    click.echo(i18n.text("cli.renumber.moved", lang, **say, path=sanitize(result.new_path)))
    for rel in result.updated:
        click.echo(i18n.text("cli.renumber.updated", lang, **say, path=sanitize(rel)))
    for rel in result.left:
        click.echo(i18n.text("cli.renumber.left", lang, **say, path=sanitize(rel)))


COMMANDS = [init, new, check, list_entries, renumber]

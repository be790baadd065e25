"""Commands for registers as spreadsheets: kb export and kb import.

Thin: each parses its options, calls ``kb.tabular`` once and reports in the workspace's
language (kb/locale, sections ``export`` and ``import``); ``--json`` keeps canonical keys.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from kb.cli import display_path, emit_json, json_option, load_and_warn, pass_state
from kb.cli.help import KbCommand
from kb.cli.registers import _TODAY, _load, _today
from kb.cli.terminal import sanitize
from kb.i18n import LANGUAGES, text

# ---------------------------------------------------------------------------------------------
# kb export


_ACTION_TYPES = ("action", "actions", "action-item", "action_item")


def _is_action(type_name: str) -> bool:
    """Whether ``--type`` names the action register (one row per action item)."""
    return type_name.strip().casefold() in _ACTION_TYPES


def _register_type(ws, type_name: str):
    from kb.errors import UsageError

    etype = ws.schema.get(type_name)
    if etype is None:
        raise UsageError(text("export.unknown_type", ws.language, type=repr(type_name)))
    return etype


def _export_format(fmt: str | None, output: Path | None, lang: str) -> str:
    """The format to write: --format, else the -o file's extension, else csv.

    A file named for another format would open wrongly (CSV text in x.xls): refused."""
    from kb.errors import UsageError
    from kb.tabular import FORMATS

    suffix = output.suffix.lower().lstrip(".") if output else ""
    if output is None or not suffix:
        return fmt or "csv"
    names = ", ".join(f".{f}" for f in FORMATS[:-1]) + f" or .{FORMATS[-1]}"
    if suffix not in FORMATS:
        message = text("export.suffix", lang, file=output.name, names=names, suffix=suffix)
        raise UsageError(message)
    if fmt and fmt != suffix:
        raise UsageError(
            text(
                "export.contradicts",
                lang,
                file=output.name,
                format=fmt,
                upper=fmt.upper(),
                suffix=suffix,
            )
        )
    return suffix


@click.command(cls=KbCommand)
@click.option(
    "--type",
    "type_name",
    required=True,
    help="Register to export: retrospective, lesson, risk, sop, or action (one row per item).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "xlsx"]),
    help="Output format (default: from the -o file name, else csv).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file, named .csv, .json or .xlsx (required for xlsx); "
    "default: standard output.",
)
@_TODAY
@pass_state
def export(state, type_name: str, fmt: str | None, output: Path | None, today) -> None:
    """Export a register as a flat table: one row per entry, derived fields included.

    The columns are those of a PMI register (see the user guide, Registers): front-matter
    fields, derived ones (risk score, schedule slip, budget variance, open and overdue actions)
    and the text of each body section. Headers and the labels of values are in the workspace's
    language (JSON keeps the canonical keys and values, for scripts). CSV files get a UTF-8 BOM
    so Excel shows Chinese text correctly; xlsx has real dates and numbers. `kb import --key ID`
    reads the file back, in a workspace of either language.
    The -o file's extension gives the format; any other than .csv, .json and .xlsx, or one
    that --format contradicts, is refused before anything is written.

    --type action exports the action register instead: one row per action item of every
    retrospective, with its reference (Ref), retrospective, project, owner, due date, status,
    lifecycle dates and texts, and the days it is overdue on --today. `kb import --type action
    --key Ref` brings the changes back.

    \b
    Examples:
      kb export --type risk                       # CSV to standard output
      kb export --type lesson -o lessons.xlsx     # Excel workbook
      kb export --type retro --format json -o retrospectives.json
      kb export --type action -o actions.xlsx     # one row per action item
    """
    from kb.errors import UsageError
    from kb.store import write_atomic
    from kb.tabular import export_actions, export_register, file_bytes

    ws = state.workspace
    lang = ws.language
    etype = None if _is_action(type_name) else _register_type(ws, type_name)
    fmt = _export_format(fmt, output, lang)
    if fmt == "xlsx" and output is None:
        raise UsageError(text("export.xlsx_file", lang))
    entries, _ = _load(ws)
    if etype is None:
        data, count = export_actions(entries, fmt, _today(today), lang)
        kind = text("export.action_type", lang)
    else:
        data, count = export_register(entries, etype, fmt, _today(today), lang)
        kind = etype.label(lang)
    if output is None:
        click.echo(data, nl=False)
        return
    write_atomic(output, file_bytes(output, data), overwrite=True)
    where = display_path(output)
    wrote = text("export.wrote", lang, count=count, type=kind, path=where)
    click.echo(sanitize(wrote), err=True)


# ---------------------------------------------------------------------------------------------
# kb import


def _plan_report(plan, dry_run: bool, lang: str) -> None:
    """One line per row: what import did, or would do, with it."""
    suffix = "_dry" if dry_run else ""
    for r in plan.rows:
        if r.action == "invalid":
            continue
        what = r.entry_id
        if not what:  # a new entry, by its type and title
            kind = text(f"type.{r.meta.get('type')}", lang, default="entry")
            title = repr(str(r.meta.get("title", "")))
            what = text("import.new_entry", lang, type=kind, title=title)
        if r.action == "create":
            line = text(f"import.row_create{suffix}", lang, row=r.row, what=what)
            line += f" {r.path}" if r.path else ""
        elif r.action == "update":
            changed = r.changed_text(lang)
            line = text(f"import.row_update{suffix}", lang, row=r.row, what=what, changed=changed)
            if r.rewritten:  # a list or mapping changed: the front matter is written anew
                line += text(f"import.rewrote{suffix}", lang)
        else:  # unchanged, imported
            line = text(f"import.row_{r.action}", lang, row=r.row, what=what)
        click.echo(sanitize(line))
    for r in plan.rows:
        for note in r.notes:
            click.echo(sanitize(text("import.note", lang, text=note.format(lang))), err=True)


def _import_report(plan, dry_run: bool, blocked: bool, lang: str, summary: str = "summary") -> None:
    """What `kb import` says on a terminal: how the file was read and mapped, each row, the
    counts (the message ``import.<summary>``); ValidationFailed listing the problems when the
    import was blocked."""
    from kb.errors import ValidationFailed

    counts = plan.counts()
    rows = len(plan.rows)
    click.echo(text("import.read", lang, file=plan.source, how=plan.how, count=rows), err=True)
    for (column, described), t in zip(plan.mapping(lang), plan.targets, strict=True):
        # The whole mapping on a dry run; otherwise what a user may not expect.
        if dry_run or t.kind in ("section", "heading", "body", "ignore"):
            click.echo(sanitize(f"  {column} -> {described}"), err=True)
    for note in plan.notes:
        click.echo(sanitize(text("import.note", lang, text=note)), err=True)
    problems = [f"{plan.source}: {p.format(lang)}" for p in plan.problems]
    problems += [f"{plan.source}: {p.format(lang)}" for r in plan.invalid for p in r.problems]
    if blocked:
        if dry_run:
            _plan_report(plan, dry_run, lang)
        last = text("import.nothing_written" if plan.problems else "import.fix_rows", lang)
        raise ValidationFailed([], summary="\n".join([*problems, last]))
    _plan_report(plan, dry_run, lang)
    for p in problems:
        click.echo(sanitize(text("import.skipped", lang, problem=p)), err=True)
    said = text(
        f"import.{summary}_dry" if dry_run else f"import.{summary}",
        lang,
        create=counts["create"],
        update=counts["update"],
        unchanged=counts["unchanged"],
        skipped=counts["invalid"],
    )
    click.echo(said, err=True)
    if counts["imported"]:
        click.echo(text("import.already", lang, count=counts["imported"]), err=True)


_IMPORT_PHASES = {"checking": "checking rows", "writing": "writing entries"}


@contextlib.contextmanager
def _import_progress(quiet: bool) -> Iterator[Any]:
    """progress(phase, done, total) for `kb import`: a bar per phase on a terminal, else None."""
    from kb.cli import progress_bar

    with contextlib.ExitStack() as stack:
        if quiet or not sys.stderr.isatty():
            yield None
            return
        bars: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in bars:
                stack.close()  # the previous phase's bar ends on its own line
                label = _IMPORT_PHASES.get(phase, phase)
                bars[phase] = stack.enter_context(progress_bar(False, label))
            if bars[phase] is not None:
                bars[phase](done, total)

        yield progress


@click.command(cls=KbCommand, name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "type_name",
    required=True,
    help="Type of the rows: lesson, risk, retrospective, sop, or action (with --key Ref).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"COLUMN=FIELD"',
    help="Map a column to a field (repeatable); FIELD may be budget.planned, body, or - to ignore.",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Give every row a value where its cell is blank or the sheet has no such column.",
)
@click.option("--key", metavar="COLUMN", help="Update the entries this column identifies.")
@click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows; list the others.")
@click.option("--sheet", help="Excel sheet to read (default: the active one).")
@click.option("--encoding", help="Encoding of a CSV file (default: detected; UTF-8, GBK, ...).")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Template language of new entries.")
@_TODAY
@json_option
@pass_state
def import_(
    state,
    file: Path,
    type_name: str,
    maps: tuple,
    assignments: tuple,
    key: str | None,
    dry_run: bool,
    skip_invalid: bool,
    sheet: str | None,
    encoding: str | None,
    lang: str | None,
    today,
    as_json: bool,
) -> None:
    """Create (or with --key, update) entries from a CSV file, an Excel workbook or JSON.

    Columns are matched to fields by name, ignoring case, spaces and punctuation ("Risk Owner"
    is risk_owner), and by the headers kb export writes in either language; --map names the
    rest. JSON is read in the shape kb export --format json writes; a legacy .xls is refused
    with what to do instead. Columns that match no field become sections of the
    entry's body. Every row is validated as `kb check` would before anything is written: when
    any row fails, nothing is written and each problem is listed with its row and column
    (--skip-invalid imports the good rows instead). With --key, rows whose key matches an entry
    update it and the others create new entries; an export imported back changes nothing.
    A row whose title and project an entry of the type has already is not created again, so
    an interrupted import is finished by running it again. Files over the settings
    max_import_mb or max_import_rows are refused before they are read.

    Without an owner column (or --set owner=...), new entries get the owner kb new gives: git
    user.name, else your user name. A sheet whose ID column names existing entries is refused
    without --key: it looks like an edited export.

    --type action --key Ref reads an action register (kb export --type action) back: each row
    changes the action item its Ref names. A changed status is a lifecycle step (Open to Done
    with its Done on date and Note, Done to Verified with its Evidence, Open to Dropped with its
    Reason, back to Open); owner, due date, action and the texts are edited in place, only those
    lines of the file changing. Steps the lifecycle refuses, blank and unknown references are
    errors of their row; new action items are added in the retrospective's file.

    \b
    Examples:
      kb import lessons.xlsx --type lesson --set source=RETRO-0004 --dry-run
      kb import risks.csv --type risk --map "Likelihood (1-5)=probability" \\
         --map "Mitigation=response" --set owner="PMO" --skip-invalid
      kb export --type risk -o risks.xlsx   # edit it in Excel, then:
      kb import risks.xlsx --type risk --key ID
      kb import risks.json --type risk --key id --dry-run
      kb import actions.xlsx --type action --key Ref --dry-run
    """
    from kb.fields import speaking
    from kb.people import default_owner
    from kb.scaffold import body_renderer
    from kb.tabular import ImportLimits, import_table, parse_sets, read_table

    ws = state.workspace
    if _is_action(type_name):
        options = {"--set": assignments, "--lang": lang}
        _import_actions(
            state,
            file,
            maps,
            key,
            dry_run,
            skip_invalid,
            sheet,
            encoding,
            today,
            as_json,
            [name for name, given in options.items() if given],
        )
        return
    etype = _register_type(ws, type_name)
    with speaking(ws.language):  # what a cell's value lacks, said in the workspace's words
        sets = parse_sets(etype, assignments)
        limits = ImportLimits.of(ws)
        table = read_table(file, sheet=sheet, encoding=encoding, limits=limits, lang=ws.language)
        loaded = load_and_warn(ws)  # unreadable files are left out of --key matching
        with _import_progress(as_json) as progress:
            plan = import_table(
                ws,
                loaded.entries,
                table,
                etype,
                maps=maps,
                sets=sets,
                key=key,
                today=_today(today),
                render=body_renderer(ws, etype, lang or ws.language),
                unreadable_ids=loaded.unreadable_ids,
                owner=default_owner(ws.root),
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=progress,
            )
    _finish(plan, etype.name, dry_run, skip_invalid, as_json, loaded.problems, ws.language)


def _import_actions(
    state,
    file: Path,
    maps: tuple,
    key: str | None,
    dry_run: bool,
    skip_invalid: bool,
    sheet: str | None,
    encoding: str | None,
    today,
    as_json: bool,
    refused: list[str],
) -> None:
    """`kb import --type action`: the rows of an action register change the items they name."""
    from kb.errors import UsageError
    from kb.fields import speaking
    from kb.tabular import ImportLimits, import_actions, read_table

    ws = state.workspace
    lang = ws.language
    if refused:
        raise UsageError(text("import.action_option", lang, option=refused[0]))
    with speaking(lang):
        table = read_table(
            file, sheet=sheet, encoding=encoding, limits=ImportLimits.of(ws), lang=lang
        )
        loaded = load_and_warn(ws)
        plan = import_actions(
            ws,
            loaded.entries,
            table,
            maps=maps,
            key=key,
            today=_today(today),
            unreadable_ids=loaded.unreadable_ids,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
        )
        _finish(plan, "action", dry_run, skip_invalid, as_json, loaded.problems, lang)


def _finish(plan, type_name: str, dry_run, skip_invalid, as_json, skipped, lang: str) -> None:
    """Report an import's plan: JSON for scripts, else lines for people; exit 1 when rows or
    the sheet had problems."""
    counts = plan.counts()
    blocked = not plan.writes(skip_invalid)
    written = not dry_run and not blocked
    if as_json:
        emit_json(
            {
                "file": plan.source,
                "read_as": plan.how,
                "type": type_name,
                "dry_run": dry_run,
                "written": written,
                "columns": [{"column": c, "target": t} for c, t in plan.columns],
                "counts": counts,
                "problems": [p.to_dict() for p in plan.problems]
                + [p.to_dict() for r in plan.invalid for p in r.problems],
                "notes": plan.notes,
                "rows": [r.to_dict() for r in plan.rows],
                "skipped": [p.to_dict() for p in skipped],
            }
        )
        if blocked or plan.invalid:
            raise SystemExit(1)
        return
    summary = "action_summary" if type_name == "action" else "summary"
    _import_report(plan, dry_run, blocked, lang, summary)
    if plan.invalid:  # --skip-invalid: the good rows are in, but a script must notice the rest
        raise SystemExit(1)


COMMANDS = [export, import_]

"""Commands for a PMO's registers: actions, stats, export, import."""

from __future__ import annotations

import contextlib
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from kb.cli import display_path, emit_json, json_option, load_and_warn, pass_state
from kb.cli.terminal import sanitize
from kb.i18n import LANGUAGES

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


def _load(ws) -> tuple[list, list[dict[str, Any]]]:
    """The readable entries, and the unreadable files (each also warned about on stderr)."""
    loaded = load_and_warn(ws)
    return loaded.entries, [p.to_dict() for p in loaded.problems]


# ---------------------------------------------------------------------------------------------
# kb actions


@click.command()
@click.option("--open", "views", flag_value="open", multiple=True, help="Open items (default).")
@click.option("--overdue", "views", flag_value="overdue", multiple=True, help="Only overdue items.")
@click.option("--all", "views", flag_value="all", multiple=True, help="Every item, done too.")
@click.option("--owner", help="Only items of this owner (case-insensitive).")
@click.option("--project", "-p", help="Only items of this project.")
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when any listed item is overdue.")
@_TODAY
@json_option
@pass_state
def actions(
    state,
    views: tuple[str, ...],
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
    from kb.errors import UsageError
    from kb.registers import action_items, select_actions

    chosen = list(dict.fromkeys(views))
    if len(chosen) > 1:
        raise UsageError(
            f"{' and '.join('--' + v for v in chosen)} cannot be combined: "
            "give one of --open, --overdue, --all"
        )
    view = chosen[0] if chosen else "open"
    day = _today(today)
    entries, skipped = _load(state.workspace)
    items = select_actions(action_items(entries, day), view, owner, project)
    overdue = [i for i in items if i.overdue_days > 0]
    if as_json:
        emit_json(
            {
                "today": day.isoformat(),
                "view": view,
                "count": len(items),
                "overdue": len(overdue),
                "items": [i.to_dict() for i in items],
                "skipped": skipped,
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
            click.echo(sanitize(line))
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

    ws = state.workspace
    entries, skipped = _load(ws)
    data = compute(entries, _today(today), by, ws.schema)
    if as_json:
        emit_json({**data, "skipped": skipped})
        return
    for line in _stats_lines(data):
        click.echo(sanitize(line))


# ---------------------------------------------------------------------------------------------
# kb export


def _register_type(ws, type_name: str):
    from kb.errors import UsageError

    etype = ws.schema.get(type_name)
    if etype is None:
        raise UsageError(
            f"--type: unknown type {type_name!r}; use one of: retrospective (retro), "
            "lesson (ll), risk, sop"
        )
    return etype


def _export_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: --format, else the -o file's extension, else csv.

    A file named for another format would open wrongly (CSV text in x.xls): refused."""
    from kb.errors import UsageError
    from kb.tabular import FORMATS

    suffix = output.suffix.lower().lstrip(".") if output else ""
    if output is None or not suffix:
        return fmt or "csv"
    names = ", ".join(f".{f}" for f in FORMATS[:-1]) + f" or .{FORMATS[-1]}"
    if suffix not in FORMATS:
        raise UsageError(f"-o {output.name}: kb export writes {names} files, not .{suffix}")
    if fmt and fmt != suffix:
        raise UsageError(
            f"-o {output.name}: --format {fmt} would write {fmt.upper()} under a .{suffix} "
            f"name; name the file .{fmt}, or leave out --format"
        )
    return suffix


@click.command()
@click.option(
    "--type",
    "type_name",
    required=True,
    help="Register to export: retrospective, lesson, risk, sop.",
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
    and the text of each body section. CSV files get a UTF-8 BOM so Excel shows Chinese text
    correctly; xlsx has real dates and numbers. `kb import --key ID` reads the file back.
    The -o file's extension gives the format; any other than .csv, .json and .xlsx, or one
    that --format contradicts, is refused before anything is written.

    \b
    Examples:
      kb export --type risk                       # CSV to standard output
      kb export --type lesson -o lessons.xlsx     # Excel workbook
      kb export --type retro --format json -o retrospectives.json
    """
    from kb.errors import UsageError
    from kb.store import write_atomic
    from kb.tabular import export_register, file_bytes

    ws = state.workspace
    etype = _register_type(ws, type_name)
    fmt = _export_format(fmt, output)
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx writes a binary workbook: give a file with -o FILE.xlsx")
    entries, _ = _load(ws)
    data, count = export_register(entries, etype, fmt, _today(today))
    if output is None:
        click.echo(data, nl=False)
        return
    write_atomic(output, file_bytes(output, data), overwrite=True)
    click.echo(f"wrote {count} {etype.name} rows to {display_path(output)}", err=True)


# ---------------------------------------------------------------------------------------------
# kb import


def _plan_report(plan, dry_run: bool) -> None:
    verbs = (
        {"create": "would create", "update": "would update", "unchanged": "unchanged"}
        if dry_run
        else {"create": "created", "update": "updated", "unchanged": "unchanged"}
    )
    verbs["imported"] = "already imported as"
    for r in plan.rows:
        if r.action == "invalid":
            continue
        what = r.entry_id or f"{r.meta.get('type', 'entry')} {str(r.meta.get('title', ''))!r}"
        line = f"row {r.row}: {verbs[r.action]} {what}"
        if r.action == "create" and r.path:
            line += f" {r.path}"
        elif r.action == "imported":
            line += " (an entry with the same title and project)"
        elif r.action == "update":
            line += f" ({', '.join(r.changed)})"
            if r.rewritten:  # a list or mapping changed: the front matter is written anew
                line += (
                    "; would rewrite" if dry_run else "; rewrote"
                ) + " its front matter (YAML comments and layout not kept)"
        click.echo(sanitize(line))
    for r in plan.rows:
        for note in r.notes:
            click.echo(f"note: {sanitize(note.format())}", err=True)


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


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type", "type_name", required=True, help="Type of the rows: lesson, risk, retrospective, sop."
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
    """Create (or with --key, update) entries from a CSV file or an Excel workbook.

    Columns are matched to fields by name, ignoring case, spaces and punctuation ("Risk Owner"
    is risk_owner); --map names the rest. Columns that match no field become sections of the
    entry's body. Every row is validated as `kb check` would before anything is written: when
    any row fails, nothing is written and each problem is listed with its row and column
    (--skip-invalid imports the good rows instead). With --key, rows whose key matches an entry
    update it and the others create new entries; an export imported back changes nothing.
    A row whose title and project an entry of the type has already is not created again, so
    an interrupted import is finished by running it again. Files over the settings
    max_import_mb or max_import_rows are refused before they are read.

    \b
    Examples:
      kb import lessons.xlsx --type lesson --set source=RETRO-0004 --dry-run
      kb import risks.csv --type risk --map "Likelihood (1-5)=probability" \\
         --map "Mitigation=response" --set owner="PMO" --skip-invalid
      kb export --type risk -o risks.xlsx   # edit it in Excel, then:
      kb import risks.xlsx --type risk --key ID
    """
    from kb.errors import ValidationFailed
    from kb.scaffold import body_renderer
    from kb.tabular import ImportLimits, import_table, parse_sets, read_table

    ws = state.workspace
    etype = _register_type(ws, type_name)
    sets = parse_sets(etype, assignments)
    table = read_table(file, sheet=sheet, encoding=encoding, limits=ImportLimits.of(ws))
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
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            progress=progress,
        )
    counts = plan.counts()
    blocked = bool(plan.problems) or (bool(plan.invalid) and not skip_invalid)
    written = not dry_run and not blocked
    if as_json:
        emit_json(
            {
                "file": plan.source,
                "read_as": plan.how,
                "type": etype.name,
                "dry_run": dry_run,
                "written": written,
                "columns": [{"column": c, "target": t} for c, t in plan.columns],
                "counts": counts,
                "problems": [p.to_dict() for p in plan.problems]
                + [p.to_dict() for r in plan.invalid for p in r.problems],
                "notes": plan.notes,
                "rows": [r.to_dict() for r in plan.rows],
                "skipped": [p.to_dict() for p in loaded.problems],
            }
        )
        if blocked or plan.invalid:
            raise SystemExit(1)
        return
    click.echo(f"read {plan.source} ({plan.how}): {len(plan.rows)} rows", err=True)
    for column, target in plan.columns:
        # The whole mapping on a dry run; otherwise what a user may not expect.
        if dry_run or "body" in target or "ignored" in target and "derived" not in target:
            click.echo(f"  {column} -> {target}", err=True)
    for note in plan.notes:
        click.echo(f"note: {note}", err=True)
    problems = [f"{plan.source}: {p.format()}" for p in plan.problems]
    problems += [f"{plan.source}: {p.format()}" for r in plan.invalid for p in r.problems]
    if blocked:
        if dry_run:
            _plan_report(plan, dry_run)
        raise ValidationFailed(
            [],
            summary="\n".join(
                problems
                + [
                    "nothing was written"
                    + (
                        ""
                        if plan.problems
                        else "; fix the rows, or import the others with --skip-invalid"
                    )
                ]
            ),
        )
    _plan_report(plan, dry_run)
    for p in problems:
        click.echo(f"skipped {p}", err=True)
    click.echo(
        f"{counts['create']} {'to create' if dry_run else 'created'}, "
        f"{counts['update']} {'to update' if dry_run else 'updated'}, "
        f"{counts['unchanged']} unchanged, {counts['invalid']} skipped"
        + (" (dry run: nothing written)" if dry_run else ""),
        err=True,
    )
    if counts["imported"]:
        n = counts["imported"]
        click.echo(
            f"{n} row{'s' if n != 1 else ''} already imported: an entry with the same title "
            f"and project exists{', so they are' if n != 1 else ', so it is'} not created again",
            err=True,
        )
    if plan.invalid:  # --skip-invalid: the good rows are in, but a script must notice the rest
        raise SystemExit(1)


COMMANDS = [actions, stats, export, import_]

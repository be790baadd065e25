"""Commands that search the past: index, search, similar, brief."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from kb.cli import display_path, emit_json, json_option, pass_state, progress_bar
from kb.cli.terminal import hit_lines, sanitize, terminal_width, use_style


def _note(message: str) -> None:
    click.echo(f"note: {message}", err=True)


def _report_notes(report) -> None:  # report: kb.search.IndexReport | None
    if report is None:
        return
    if report.rebuilt and report.reason not in ("", "new index", "rebuild requested"):
        _note(f"{report.reason}; rebuilt the search index")
    for problem in report.skipped_files:
        _note(f"not indexed: {problem.format()}")


@click.command()
@click.option("--rebuild", is_flag=True, help="Start over instead of updating incrementally.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@json_option
@pass_state
def index(state, rebuild: bool, quiet: bool, as_json: bool) -> None:
    """Bring the search index up to date with the entry files.

    Incremental: only added, changed, removed and renamed files are read. A change of the
    schema or of kb's index format rebuilds by itself; so does a damaged index. Files that
    cannot be read are listed and left out; entries with schema problems are indexed anyway.

    \b
    Examples:
      kb index
      kb index --rebuild --quiet
    """
    from kb.search import update_index

    with progress_bar(quiet or as_json, "indexing") as progress:
        report = update_index(
            state.workspace, rebuild=rebuild, progress=progress, notice=None if quiet else _note
        )
    if as_json:
        emit_json(report.to_dict())
        return
    if report.rebuilt and report.reason not in ("", "new index", "rebuild requested"):
        _note(f"{report.reason}; rebuilt the search index")
    for problem in report.skipped_files:
        click.echo(f"skipped {problem.format()}", err=True)
    if quiet:
        return
    parts = [
        f"{report.added} added",
        f"{report.updated} updated",
        f"{report.removed} removed",
        f"{report.renamed} renamed",
        f"{report.skipped} skipped",
    ]
    if report.rebuilt:
        verb = "built" if report.reason == "new index" else "rebuilt"
    else:
        verb = "updated" if report.changed else "up to date"
    click.echo(
        f"index {verb}: {report.total} entries ({', '.join(parts)}) in {report.seconds:.2f} s"
    )
    if report.invalid:
        click.echo(
            f"{report.invalid} indexed entries have schema errors; run `kb check` to see them",
            err=True,
        )


def _date(ctx, param, value):
    if value is None:
        return None
    from kb.errors import UsageError

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--{param.name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _print_hits(hits, *, snippets: bool = True) -> None:
    """Hits for a person: bold matches on a terminal, plain text when piped or under NO_COLOR."""
    lines = hit_lines(hits, style=use_style(sys.stdout), width=terminal_width(), snippets=snippets)
    for line in lines:
        click.echo(line)


def summary_line(
    shown: int, total: int, all_words: int | None = None, some_words: int | None = None
) -> str:
    """``10 of 52 results: 12 hold all words, 40 some``; the counts only when some are partial."""
    if not total:
        return "no results"
    line = f"{shown} of {total} result{'s' if total != 1 else ''}"
    if all_words is not None and some_words:
        line += f": {all_words} hold{'s' if all_words == 1 else ''} all words, {some_words} some"
    return line


def _print_summary(result) -> None:  # result: kb.search.SearchResult
    if result.suggestion:
        click.echo(f"did you mean: {sanitize(result.suggestion)}")
    counts = result.all_words, result.some_words
    click.echo(summary_line(len(result.hits), result.total, *counts), err=True)


@click.command(name="search")
@click.argument("query", required=False, default="")
@click.option("--type", "type_name", help="Only this type: retrospective, lesson, risk, sop.")
@click.option("--project", "-p", help="Only entries of this project (case-insensitive).")
@click.option("--tag", "tags", multiple=True, help="Only entries with this tag (repeatable: all).")
@click.option("--category", help="Only this category (lessons: knowledge area; risks: category).")
@click.option("--phase", help="Only this project phase.")
@click.option("--status", help="Only this review status, e.g. approved.")
@click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Filed on or after this date.")
@click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Filed on or before this date.")
@click.option("--min-score", type=click.IntRange(1, 25), help="Risk cases scoring at least this.")
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--facets", is_flag=True, help="Also count all hits by type, category, project, tag.")
@json_option
@pass_state
def search_command(
    state,
    query: str,
    type_name,
    project,
    tags,
    category,
    phase,
    status,
    since,
    until,
    min_score,
    limit: int,
    facets: bool,
    as_json: bool,
) -> None:
    """Search entries, best match first.

    Plain words (English, Chinese or both) find every entry holding any of them: those holding
    all the words first, then the best of the rest (title and tags count most; words next to
    each other as typed rank higher). Word forms (migrations, cut-over/cutover/cut over) and
    the glossary's synonyms and English-Chinese equivalents are found too, below the words as
    typed. Explicit syntax stays strict: "a phrase", AND, OR, NOT, (groups), wildcards
    (migrat*), field:value (type, project, tags, category, phase, status, owner, ...), ranges
    (score:>=12, date:[2024-01-01 TO 2024-12-31]). Without QUERY, every entry that passes the
    filters is listed, newest first. A stale index is brought up to date first.

    \b
    Examples:
      kb search "customers kept changing requirements"
      kb search vendor --category vendor --min-score 12 --facets
      kb search '"data migration" NOT vendor' --type lesson
      kb search 数据迁移 --json
    """
    from kb.search import Filters, search

    filters = Filters(
        type=type_name,
        project=project,
        tags=tuple(tags),
        category=category,
        phase=phase,
        status=status,
        since=since,
        until=until,
        min_score=min_score,
    )
    result = search(state.workspace, query, filters, limit=limit, facets=facets, notice=_note)
    _report_notes(result.index)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_hits(result.hits)
    _print_summary(result)
    if result.facets:
        click.echo("")
        for name, counts in result.facets.items():
            if counts:
                click.echo(f"{name}: " + ", ".join(f"{sanitize(str(v))} ({c})" for v, c in counts))


@click.command()
@click.argument("entry")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=5, show_default=True)
@json_option
@pass_state
def similar(state, entry: str, limit: int, as_json: bool) -> None:
    """Entries most like ENTRY (an id such as LL-0001, or a file path), itself excluded.

    More-like-this: the entry's most significant words are searched for in the rest of the
    knowledge base and ranked as `kb search` ranks plain words; sharing its tags or its project
    counts too.

    \b
    Examples:
      kb similar LL-0001
      kb similar docs/risks/RISK-0003-plc-and-drive-hardware-delivered-late-by-the-vendor.md -n 3
    """
    from kb.search import similar as find_similar

    source, hits = find_similar(state.workspace, entry, limit=limit)
    if as_json:
        emit_json({"entry": source.to_dict(), "similar": [h.to_dict() for h in hits]})
        return
    click.echo(f"like {sanitize(source.id)}: {sanitize(source.title)}", err=True)
    if not hits:
        click.echo("no similar entries", err=True)
    _print_hits(hits)


@click.command()
@click.option("--project-type", "project_type", help="Kind of the new project, e.g. r-and-d.")
@click.option("--tag", "tags", multiple=True, help="A keyword of the new project (repeatable).")
@click.option("--text", default="", help="What the new project is, in a sentence or two.")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(1, 100),
    default=8,
    show_default=True,
    help="Risk cases, lessons and SOPs to include, each.",
)
@click.option(
    "--min-relevance",
    type=click.FloatRange(0, 1),
    default=0.2,
    show_default=True,
    help="Leave out matches scoring under this share of the best match's score (0: keep all).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the brief to this file instead of printing it.",
)
@pass_state
def brief(
    state, project_type, tags, text: str, limit: int, min_relevance: float, output: Path | None
) -> None:
    """A pre-mortem brief for a new project, in markdown, to take into the kickoff.

    The most relevant past risk cases (with their early warning signs and responses) and lessons
    (with their recommendations), grouped by category, then the SOPs that apply (with their
    version and review date; superseded and retired ones left out), as a checklist; each item
    links to its entry. Relevance: the words of --text, the --tag keywords, and past projects of
    the same --project-type.

    \b
    Examples:
      kb brief --project-type it-implementation --tag data-migration \\
         --text "SAP S/4HANA roll-out for two plants" -o kickoff-brief.md
      kb brief --text "仓储管理系统上线" --tag wms
    """
    from kb.brief import make_brief
    from kb.errors import UsageError
    from kb.store import write_atomic

    ws = state.workspace
    if output and not output.resolve().parent.is_dir():
        raise UsageError(f"-o {output}: the folder {output.parent} does not exist")
    link_from = output.resolve().parent if output else None
    markdown = make_brief(
        ws,
        project_type=project_type,
        tags=tuple(tags),
        text=text,
        limit=limit,
        link_from=link_from,
        min_relevance=min_relevance,
    )
    if output:
        write_atomic(output, markdown, overwrite=True)
        click.echo(f"wrote {display_path(output)}", err=True)
    else:
        click.echo(markdown, nl=False)


COMMANDS = [index, search_command, similar, brief]

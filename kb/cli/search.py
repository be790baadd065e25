"""Commands that search the past: index, search, similar, brief."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from kb import i18n
from kb.cli import (
    display_path,
    emit_json,
    json_option,
    pass_state,
    problem_levels,
    progress_bar,
)
from kb.cli.dates import DATE
from kb.cli.help import KbCommand
from kb.cli.terminal import hit_lines, sanitize, terminal_width, use_style


def _noter(lang: str) -> Callable[[str], None]:
    """Print a ``note: ...`` line (``提示：`` in Chinese) to stderr."""
    prefix = i18n.text("cli.prefix.note", lang)
    return lambda message: click.echo(prefix + message, err=True)


def _rebuilt_note(report, lang: str) -> str | None:
    """Why the index was rebuilt by itself (a damaged index, a changed schema); None when it
    was new or a rebuild was asked for."""
    if not report.rebuilt or report.cause in ("", "new", "requested"):
        return None
    cause = i18n.text(f"search_cli.cause.{report.cause}", lang, detail=report.detail)
    return i18n.text("search_cli.rebuilt", lang, cause=cause)


def _report_notes(report, lang: str) -> None:  # report: kb.search.IndexReport | None
    if report is None:
        return
    note = _noter(lang)
    rebuilt = _rebuilt_note(report, lang)
    if rebuilt:
        note(rebuilt)
    levels = problem_levels(lang)
    for problem in report.skipped_files:
        note(i18n.text("search_cli.not_indexed", lang, problem=problem.format(levels)))


@click.command(cls=KbCommand)
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

    lang = state.workspace.language
    label = i18n.text("search_cli.indexing", lang)
    with progress_bar(quiet or as_json, label) as progress:
        notice = None if quiet else _noter(lang)
        report = update_index(state.workspace, rebuild=rebuild, progress=progress, notice=notice)
    if as_json:
        emit_json(report.to_dict())
        return
    rebuilt = _rebuilt_note(report, lang)
    if rebuilt:
        _noter(lang)(rebuilt)
    levels = problem_levels(lang)
    for problem in report.skipped_files:
        skipped = i18n.text("search_cli.skipped", lang, problem=problem.format(levels))
        click.echo(sanitize(skipped), err=True)
    if quiet:
        return
    click.echo(_index_summary(report, state.workspace.language))
    if report.invalid:
        invalid = i18n.text("count.entries", state.workspace.language, count=report.invalid)
        click.echo(
            i18n.text("cli.index.invalid", state.workspace.language, entries=invalid), err=True
        )


def _index_summary(report, lang: str) -> str:
    """``index updated: 12 entries (1 added, ...) in 0.20 s``."""
    names = ("added", "updated", "removed", "renamed", "skipped")
    parts = [i18n.text(f"cli.index.{n}", lang, count=getattr(report, n)) for n in names]
    if report.rebuilt:
        verb = "built" if report.cause == "new" else "rebuilt"
    else:
        verb = "updated" if report.changed else "up_to_date"
    return i18n.text(
        "cli.index.summary",
        lang,
        verb=i18n.text(f"cli.index.verb.{verb}", lang),
        entries=i18n.text("count.entries", lang, count=report.total),
        parts=i18n.text("stats.separator", lang).join(parts),
        seconds=f"{report.seconds:.2f}",
    )


def _labels_shown(lang: str) -> bool:
    """Whether output names types and allowed values by their labels (Chinese) or by their
    keys (English), as the catalog's ``cli.invalid.show`` says."""
    return i18n.text("cli.invalid.show", lang) != "key"


def _type_label(ws) -> Callable[[str], str] | None:
    """The label of an entry type in the workspace language; None where keys are shown."""
    if not _labels_shown(ws.language):
        return None

    def label(name: str) -> str:
        etype = ws.schema.get(name)
        return etype.label(ws.language) if etype else name

    return label


def _print_hits(hits, ws=None, *, snippets: bool = True) -> None:
    """Hits for a person: bold matches on a terminal, plain text when piped or under NO_COLOR."""
    lines = hit_lines(
        hits,
        style=use_style(sys.stdout),
        width=terminal_width(),
        snippets=snippets,
        type_label=_type_label(ws) if ws is not None else None,
    )
    for line in lines:
        click.echo(line)


def facet_lines(facets: dict[str, list[tuple[str, int]]], ws) -> list[str]:
    """``type: lesson (3), risk (1)`` per facet; in a Chinese workspace the facet's name and the
    types and allowed values by their labels (``类型：经验教训 (3)、风险案例 (1)``)."""
    from kb.fields import value_label

    lang = ws.language
    labels = _labels_shown(lang)
    type_label = _type_label(ws)
    separator = i18n.text("search_cli.separator", lang)
    lines = []
    for name, counts in facets.items():
        if not counts:
            continue
        shown = []
        for value, count in counts:
            text = str(value)
            if name == "type" and type_label:
                text = type_label(text)
            elif name in ("category", "phase", "status") and labels:
                text = value_label(text, lang)
            shown.append(
                i18n.text("search_cli.facet_count", lang, value=sanitize(text), count=count)
            )
        title = i18n.text(f"search_cli.facet.{name}", lang, default=name)
        lines.append(
            i18n.text("search_cli.facet_line", lang, name=title, counts=separator.join(shown))
        )
    return lines


def summary_line(
    shown: int,
    total: int,
    all_words: int | None = None,
    some_words: int | None = None,
    lang: str = "en",
) -> str:
    """``10 of 52 results: 12 hold all words, 40 some`` in ``lang``; the counts only when some
    are partial."""
    if not total:
        return i18n.text("cli.no_results", lang)
    results = i18n.text("count.results", lang, count=total)
    line = i18n.text("cli.results", lang, shown=shown, results=results)
    if all_words is not None and some_words:
        holds = i18n.text("count.holds", lang, count=all_words)
        line = i18n.text("cli.results_words", lang, line=line, all=holds, some=some_words)
    return line


def _print_summary(result, lang: str = "en") -> None:  # result: kb.search.SearchResult
    if result.suggestion:
        click.echo(i18n.text("cli.did_you_mean", lang, words=sanitize(result.suggestion)))
    counts = result.all_words, result.some_words
    click.echo(summary_line(len(result.hits), result.total, *counts, lang=lang), err=True)


@click.command(cls=KbCommand, name="search")
@click.argument("query", required=False, default="")
@click.option("--type", "type_name", help="Only this type: retrospective, lesson, risk, sop.")
@click.option("--project", "-p", help="Only entries of this project (case-insensitive).")
@click.option("--tag", "tags", multiple=True, help="Only entries with this tag (repeatable: all).")
@click.option("--category", help="Only this category (lessons: knowledge area; risks: category).")
@click.option("--phase", help="Only this project phase.")
@click.option("--status", help="Only this review status, e.g. approved.")
@click.option("--since", type=DATE, help="Filed on or after this date.")
@click.option("--until", type=DATE, help="Filed on or before this date.")
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
    ws = state.workspace
    notice = _noter(ws.language)
    result = search(ws, query, filters, limit=limit, facets=facets, notice=notice)
    _report_notes(result.index, ws.language)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_hits(result.hits, ws)
    _print_summary(result, ws.language)
    if result.facets:
        click.echo("")
        for line in facet_lines(result.facets, ws):
            click.echo(line)


@click.command(cls=KbCommand)
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
    lang = state.workspace.language
    like = i18n.text("cli.similar", lang, id=sanitize(source.id), title=sanitize(source.title))
    click.echo(like, err=True)
    if not hits:
        click.echo(i18n.text("cli.no_similar", lang), err=True)
    _print_hits(hits, state.workspace)


@click.command(cls=KbCommand)
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
        message = i18n.text("cli.no_folder", ws.language, path=output, folder=output.parent)
        raise UsageError(message)
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
        click.echo(i18n.text("cli.wrote", ws.language, path=display_path(output)), err=True)
    else:
        click.echo(markdown, nl=False)


COMMANDS = [index, search_command, similar, brief]

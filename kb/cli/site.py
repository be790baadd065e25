"""Commands that publish the site: build and serve.

The kb plugin indexes the built site for search (Pagefind) at the end of every build, `kb serve`'s
rebuilds included; both commands print the line it logs about it, with the seconds indexing
added (``kb build --json`` has them under ``search``).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from kb import i18n
from kb.cli import display_path, emit_json, json_option, pass_state
from kb.cli.help import KbCommand


def _mkdocs_logging(verbose: bool) -> None:
    """Show MkDocs' messages (warnings; with --verbose, everything) the way `mkdocs` does."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_kb", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._kb = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in logger.handlers:
        if getattr(handler, "_kb", False):
            handler.setLevel(logging.INFO if verbose else logging.WARNING)


class _SearchIndexLine(logging.Handler):
    """Shows the plugin's line about the site's search index; keeps its figures for --json."""

    def __init__(self, echo: bool) -> None:
        super().__init__(logging.INFO)
        self.echo = echo
        self.report = None

    def emit(self, record: logging.LogRecord) -> None:
        report = getattr(record, "kb_search", None)
        if report is None:
            return
        self.report = report
        if self.echo:
            message = record.getMessage()
            click.echo(message.removeprefix("kb: "), err=True)


@contextlib.contextmanager
def _search_index_line(echo: bool) -> Iterator[_SearchIndexLine]:
    logger = logging.getLogger("mkdocs.plugins.kb")
    handler = _SearchIndexLine(echo)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _refresh_index(ws, quiet: bool) -> None:
    """Bring the search index up to date, so `kb search` agrees with the site."""
    from kb.search import update_index

    report = update_index(ws)
    if not quiet and report.changed:
        lang = ws.language
        entries = i18n.text("count.entries", lang, count=report.total)
        counts = {n: getattr(report, n) for n in ("added", "updated", "removed")}
        click.echo(i18n.text("cli.site.refreshed", lang, entries=entries, **counts), err=True)


@click.command(cls=KbCommand)
@click.option("--strict", is_flag=True, help="Fail on any warning, `kb check` problems included.")
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site_dir of mkdocs.yml, usually site/).",
)
@click.option(
    "--pages-only",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Only write the pages the site shows (generated pages, entry pages with their cards "
    "and backlinks) as markdown into DIR.",
)
@click.option("--no-index", is_flag=True, help="Do not refresh the search index first.")
@click.option("--verbose", "-v", is_flag=True, help="Show every MkDocs message.")
@json_option
@pass_state
def build(
    state,
    strict: bool,
    site_dir: Path | None,
    pages_only: Path | None,
    no_index: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Refresh the search index and build the site with MkDocs.

    The kb plugin adds the registers (risk case library, lessons register, SOP catalog, action
    tracker), the dashboard and one page per project, reports `kb check` problems as warnings
    (--strict turns them into a failed build), and indexes the site's entries for the search box
    and the search page (Pagefind), printing how long that took. --pages-only DIR writes the
    pages the site shows (generated pages, entry pages with their cards and backlinks) as
    markdown, for publishing with another site generator.

    \b
    Examples:
      kb build
      kb build --strict -d public
      kb build --pages-only out/pages
    """
    ws = state.workspace
    if pages_only is not None:
        from kb.site.export_pages import write_pages

        written = write_pages(ws, pages_only)
        if as_json:
            emit_json({"pages": [str(p) for p in written]})
        else:
            pages = i18n.text("count.pages", ws.language, count=len(written))
            shown = display_path(pages_only)
            click.echo(i18n.text("cli.site.wrote_pages", ws.language, pages=pages, path=shown))
        return
    from kb.site.publish import build_site

    if not no_index:
        _refresh_index(ws, quiet=as_json)
    _mkdocs_logging(verbose)
    with _search_index_line(echo=not as_json and not verbose) as line:
        result = build_site(ws, site_dir, strict)
    if as_json:
        data = result.to_dict()
        data["search"] = line.report.to_dict() if line.report is not None else None
        emit_json(data)
    else:
        lang = ws.language
        pages = i18n.text("count.pages", lang, count=result.pages)
        seconds = f"{result.seconds:.1f}"
        shown = display_path(result.site_dir)
        click.echo(i18n.text("cli.site.built", lang, pages=pages, seconds=seconds, path=shown))
        if result.left_out:
            files = i18n.text("count.files", lang, count=len(result.left_out))
            click.echo(i18n.text("cli.site.left_out", lang, files=files), err=True)


@click.command(cls=KbCommand)
@click.option(
    "--dev-addr",
    "-a",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    help="Address to serve on.",
)
@click.option("--strict", is_flag=True, help="Fail on any warning.")
@click.option("--no-index", is_flag=True, help="Do not refresh the search index first.")
@click.option("--verbose", "-v", is_flag=True, help="Show every MkDocs message.")
@pass_state
def serve(state, dev_addr: str, strict: bool, no_index: bool, verbose: bool) -> None:
    """Refresh the search index and serve the site with live reload.

    New and edited entries show up in the browser as soon as they are saved, in the site's
    search too (every rebuild indexes the site again). Stop with Ctrl-C.
    """
    from kb.site.publish import serve_site

    ws = state.workspace
    if not no_index:
        _refresh_index(ws, quiet=False)
    _mkdocs_logging(verbose)
    host, _, port = dev_addr.rpartition(":")
    url = f"http://{host}:{port}/"
    click.echo(
        i18n.text("cli.site.serving", ws.language, path=display_path(ws.root), url=url), err=True
    )
    click.echo(i18n.text("cli.site.stop", ws.language), err=True)
    with _search_index_line(echo=not verbose):
        serve_site(ws, dev_addr, strict)


COMMANDS = [build, serve]

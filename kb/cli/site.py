"""Commands that publish the site: build and serve."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from kb.cli import display_path, emit_json, json_option, pass_state


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


def _refresh_index(ws, quiet: bool) -> None:
    """Bring the search index up to date, so `kb search` agrees with the site."""
    from kb.search import update_index

    report = update_index(ws)
    if not quiet and report.changed:
        click.echo(
            f"search index: {report.total} entries ({report.added} added, "
            f"{report.updated} updated, {report.removed} removed)",
            err=True,
        )


@click.command()
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
    help="Only write the generated pages (registers, dashboard, projects) as markdown into DIR.",
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
    tracker), the dashboard and one page per project, and reports `kb check` problems as
    warnings; --strict turns them into a failed build. --pages-only DIR writes just the generated
    pages as markdown, for publishing with another site generator.

    \b
    Examples:
      kb build
      kb build --strict -d public
      kb build --pages-only out/pages
    """
    ws = state.workspace
    if pages_only is not None:
        from kb.site.publish import write_pages

        written = write_pages(ws, pages_only)
        if as_json:
            emit_json({"pages": [str(p) for p in written]})
        else:
            click.echo(f"wrote {len(written)} pages to {display_path(pages_only)}")
        return
    from kb.site.publish import build_site

    if not no_index:
        _refresh_index(ws, quiet=as_json)
    _mkdocs_logging(verbose)
    result = build_site(ws, site_dir, strict)
    if as_json:
        emit_json(result.to_dict())
    else:
        click.echo(
            f"built {result.pages} pages in {result.seconds:.1f} s: {display_path(result.site_dir)}"
        )
        if result.left_out:
            n = len(result.left_out)
            click.echo(
                f"left out of the site: {n} {'file' if n == 1 else 'files'} "
                "(see the warnings above)",
                err=True,
            )


@click.command()
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

    New and edited entries show up in the browser as soon as they are saved. Stop with Ctrl-C.
    """
    from kb.site.publish import serve_site

    ws = state.workspace
    if not no_index:
        _refresh_index(ws, quiet=False)
    _mkdocs_logging(verbose)
    host, _, port = dev_addr.rpartition(":")
    click.echo(f"serving the site of {display_path(ws.root)} at http://{host}:{port}/", err=True)
    click.echo("press Ctrl-C to stop", err=True)
    serve_site(ws, dev_addr, strict)


COMMANDS = [build, serve]

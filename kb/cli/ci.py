"""`kb ci`: write the workflow files that make a knowledge base check and publish itself."""

from __future__ import annotations

import click

from kb.cli import display_path, emit_json, json_option, pass_state
from kb.cli.help import KbCommand
from kb.cli.terminal import sanitize

PROVIDERS = ("github", "gitlab")  # kb.ci.PROVIDERS, named here so that --help stays fast


def echo_written(written, provider: str, lang: str) -> None:
    """One line per file (created, unchanged, replaced, kept), then what to do next."""
    from kb import i18n

    for w in written:
        click.echo(i18n.text(f"ci.{w.action}", lang, path=sanitize(display_path(w.path))))
    if any(w.action in ("created", "replaced") for w in written):
        click.echo(i18n.text(f"ci.next_{provider}", lang), err=True)


@click.command(cls=KbCommand, name="ci")
@click.argument("provider", type=click.Choice(PROVIDERS))
@click.option(
    "--branch",
    default="main",
    show_default=True,
    help="Branch the GitHub site is published from (GitLab uses the default branch).",
)
@click.option(
    "--requirement",
    metavar="SPEC",
    help="How CI installs retro-kb, written to requirements-kb.txt "
    "(default: this version, retro-kb==VERSION).",
)
@click.option("--force", is_flag=True, help="Replace files that differ from what kb writes.")
@json_option
@pass_state
def ci(
    state, provider: str, branch: str, requirement: str | None, force: bool, as_json: bool
) -> None:
    """Write CI workflow files for GitHub Actions or GitLab CI.

    The jobs check every pull or merge request with `kb check --strict` (problems annotate
    their file and line), publish the site from the main branch (GitHub Pages, GitLab Pages),
    and run `kb actions --overdue --fail-on-overdue` weekly with the list in the job summary.
    They install retro-kb from requirements-kb.txt beside mkdocs.yml. Files go to the root of
    the git repository holding the workspace. A file that differs from what kb writes is not
    replaced without --force, and nothing is written then.

    \b
    Examples:
      kb ci github
      kb ci gitlab --requirement "retro-kb @ git+https://git.example.com/pmo/retro-kb@v0.1.0"
      kb ci github --branch trunk --force
    """
    from kb.ci import plan_recipe, repository_root, write_recipe

    ws = state.workspace
    files = plan_recipe(provider, ws.root, ws.language, branch, requirement)
    written = write_recipe(files, provider, ws.language, force)
    if as_json:
        emit_json(
            {
                "provider": provider,
                "repository": str(repository_root(ws.root)),
                "files": [w.to_dict() for w in written],
            }
        )
        return
    echo_written(written, provider, ws.language)


def init_recipe(provider: str | None, directory, lang: str):
    """For `kb init --ci`: check the recipe before the workspace is created (a refusal leaves
    nothing behind) and return the call that writes it afterwards."""
    if provider is None:
        return lambda: None
    from kb.ci import check_recipe, plan_recipe, write_recipe

    files = plan_recipe(provider, directory, lang)
    check_recipe(files, provider, lang)

    def write() -> None:
        echo_written(write_recipe(files, provider, lang), provider, lang)

    return write


COMMANDS = [ci]

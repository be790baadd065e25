"""CI recipes: the workflow files that make a knowledge base check and publish itself.

``kb ci github`` writes three GitHub Actions workflows (check every pull request, publish the site
on GitHub Pages, a weekly overdue-actions alarm); ``kb ci gitlab`` writes one ``.gitlab-ci.yml``
with the same three jobs. The files come from ``templates/ci/`` with the workspace's language
and layout filled in. Every job installs retro-kb from ``requirements-kb.txt`` beside
``mkdocs.yml``: one line the organization owns (a pinned version from its package index, or a
git URL), so that CI runs the kb a team tested with, and changing it is a reviewed commit.

Workflow files live at the repository root, which is above the workspace when the knowledge
base is a subfolder; the jobs run from the repository root with ``KB_ROOT`` naming the
workspace. A file that differs from what kb would write (the team edited it) is never replaced
without ``--force``; the requirements file is the team's and is kept as it is.
"""

from __future__ import annotations

import re
import shlex
import string
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb import __version__, i18n
from kb.ci.annotations import repository_root
from kb.errors import KbError, UsageError
from kb.store import write_atomic

PROVIDERS = ("github", "gitlab")
REQUIREMENTS_FILE = "requirements-kb.txt"

# (file from the repository root, template under templates/ci/) for each git host
_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "github": (
        (".github/workflows/kb-check.yml", "github/kb-check.yml.tmpl"),
        (".github/workflows/kb-pages.yml", "github/kb-pages.yml.tmpl"),
        (".github/workflows/kb-overdue.yml", "github/kb-overdue.yml.tmpl"),
    ),
    "gitlab": ((".gitlab-ci.yml", "gitlab/gitlab-ci.yml.tmpl"),),
}

# the comment lines of the templates, from the catalogs' ci.comment section
_COMMENTS = ("written", "check", "pages", "overdue", "gitlab", "schedule", "report", "strict")
_BRANCH = re.compile(r"^(?!-)[A-Za-z0-9._/-]+$")


class _Template(string.Template):
    # GitHub's ${{ ... }} and the shell's $VAR stay as they are; @@{name} is filled in.
    delimiter = "@@"


class RecipeRefused(KbError):
    """Files on disk differ from what kb would write; nothing was written."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class RecipeFile:
    """One file of a recipe: where it goes, what it holds, and how it compares with the disk."""

    path: Path
    name: str  # relative to the repository root, with forward slashes
    text: str
    state: str  # new, same or changed
    team_owned: bool = False  # the requirements file: an existing one is kept


@dataclass(frozen=True)
class Written:
    """What happened to one file: created, unchanged, replaced or kept."""

    name: str
    path: Path
    action: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"path": self.name, "action": self.action}


def default_requirement() -> str:
    """The requirement written when none is given: this version of retro-kb."""
    return f"retro-kb=={__version__}"


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back unchanged, quoted otherwise."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10_000)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _templates_dir() -> Path:
    from kb.scaffold import builtin_templates_dir

    return builtin_templates_dir() / "ci"


def _relative(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix() or "."


def _values(provider: str, lang: str, kb_root: str, requirements: str, branch: str) -> dict:
    texts = {
        f"{group}_{key}": i18n.text(f"ci.{group}.{key}", lang, provider=provider, branch=branch)
        for group, keys in (
            ("workflow", ("check", "pages", "overdue")),
            ("step", ("install", "check", "build", "summary", "overdue")),
        )
        for key in keys
    }
    comments = {
        f"comment_{key}": i18n.text(f"ci.comment.{key}", lang, provider=provider, branch=branch)
        for key in _COMMENTS
    }
    values = {k: _yaml_scalar(v) for k, v in texts.items()}
    values.update(comments)  # after "# ": any text is fine up to the end of the line
    values.update(
        kb_root=_yaml_scalar(kb_root),
        branch=_yaml_scalar(branch),
        requirements=_yaml_scalar(requirements),
        install=_yaml_scalar(f"pip install -r {shlex.quote(requirements)}"),
    )
    return values


def _requirements_text(requirement: str, lang: str) -> str:
    return (
        f"# {i18n.text('ci.comment.requirements', lang)}\n"
        f"#   {i18n.text('ci.comment.from_index', lang)} retro-kb=={__version__}\n"
        f"#   {i18n.text('ci.comment.from_git', lang)} "
        f"retro-kb @ git+https://git.example.com/pmo/retro-kb@v{__version__}\n"
        f"{requirement}\n"
    )


def _state(path: Path, text: str) -> str:
    if not path.exists():
        return "new"
    try:
        return "same" if path.read_text("utf-8") == text else "changed"
    except (OSError, UnicodeDecodeError):
        return "changed"


def plan_recipe(
    provider: str,
    workspace_root: Path,
    lang: str,
    branch: str = "main",
    requirement: str | None = None,
) -> list[RecipeFile]:
    """The files ``kb ci PROVIDER`` writes for the workspace at ``workspace_root``; no writes.

    The workspace need not exist yet (``kb init --ci`` plans before it creates anything).
    """
    if provider not in PROVIDERS:
        raise UsageError(f"unknown git host {provider!r}; use one of: {', '.join(PROVIDERS)}")
    if not _BRANCH.match(branch):
        raise UsageError(i18n.text("ci.bad_branch", lang, branch=branch))
    if requirement is not None and (not requirement.strip() or "\n" in requirement):
        raise UsageError(i18n.text("ci.bad_requirement", lang, requirement=requirement))
    repository = repository_root(workspace_root)
    kb_root = _relative(workspace_root, repository)
    requirements_path = workspace_root / REQUIREMENTS_FILE
    requirements = _relative(requirements_path, repository)
    values = _values(provider, lang, kb_root, requirements, branch)
    files = []
    for name, template in _FILES[provider]:
        source = _templates_dir() / template
        text = _Template(source.read_text("utf-8")).substitute(values)
        path = repository / name
        files.append(RecipeFile(path, name, text, _state(path, text)))
    req_text = _requirements_text(requirement or default_requirement(), lang)
    req_state = _state(requirements_path, req_text)
    if req_state == "changed" and requirement is None:
        req_state = "kept"  # the team's own line: kept unless a new one is given
    files.append(RecipeFile(requirements_path, requirements, req_text, req_state, True))
    return files


def check_recipe(files: list[RecipeFile], provider: str, lang: str, force: bool = False) -> None:
    """Raise RecipeRefused naming every file that differs from the recipe, unless ``force``."""
    changed = [f for f in files if f.state == "changed"]
    if changed and not force:
        raise RecipeRefused(
            [i18n.text("ci.changed", lang, path=f.name, provider=provider) for f in changed]
        )


def write_recipe(
    files: list[RecipeFile], provider: str, lang: str, force: bool = False
) -> list[Written]:
    """Write the recipe's new and changed files, each atomically; refuse first if any differs
    (unless ``force``), so that either every file is written or none is."""
    check_recipe(files, provider, lang, force)
    written = []
    for f in files:
        if f.state == "new":
            write_atomic(f.path, f.text, overwrite=False)
            action = "created"
        elif f.state == "changed":
            write_atomic(f.path, f.text, overwrite=True)
            action = "replaced"
        else:
            action = "unchanged" if f.state == "same" else "kept"
        written.append(Written(f.name, f.path, action))
    return written

"""The kb plugin's overrides of Material's templates: the site asks no outside host for anything.

With ``repo_url`` on GitHub or GitLab, Material's header and navigation drawer show the
repository through ``partials/source.html``, whose ``data-md-component="source"`` has Material's
script ask the host's API for the repository's stars, forks and latest release: a reader's
browser would call ``api.github.com`` on every first visit. The plugin puts its own
``partials/source.html`` (``kb/site/overrides/``: the same link, icon and name, without that
mark) before the theme's, through MkDocs' ``on_env`` event and Jinja's ``ChoiceLoader``. A
workspace that overrides the partial itself (in the theme's ``custom_dir``) keeps its own.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader

__all__ = ["OVERRIDES", "SOURCE_PARTIAL", "override_templates"]

SOURCE_PARTIAL = "partials/source.html"
OVERRIDES = Path(str(resources.files("kb.site").joinpath("overrides")))


def override_templates(env: Environment, custom_dir: str | None) -> Environment:
    """``env`` with kb's templates looked up first, unless ``custom_dir`` has its own."""
    if custom_dir and (Path(custom_dir) / SOURCE_PARTIAL).is_file():
        return env
    env.loader = ChoiceLoader([FileSystemLoader(str(OVERRIDES)), env.loader])
    return env

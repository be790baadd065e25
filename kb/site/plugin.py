"""The ``kb`` MkDocs plugin: a thin adapter between MkDocs and retro-kb's core.

Options are declared from ``kb.config.SETTINGS`` so the CLI and the site read one configuration.
Problems found by `kb check` are logged as MkDocs warnings naming the file, so
``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from kb.config import SETTINGS, Workspace, validate_settings
from kb.errors import KbError

log = logging.getLogger("mkdocs.plugins.kb")


def _options() -> tuple:
    return tuple(
        (name, c.Type(kind, default=default)) for name, (kind, default, _) in SETTINGS.items()
    )


class KbPlugin(BasePlugin):
    """Adds retro-kb's checks (and generated pages) to a MkDocs build."""

    config_scheme = _options()

    def on_config(self, config):
        """Read the workspace settings from the same options MkDocs validated."""
        root = Path(config.config_file_path).resolve().parent
        raw = {k: v for k, v in self.config.items() if k in SETTINGS}
        try:
            language = str(config.theme.get("language") or "") if config.theme else ""
            settings = validate_settings(raw, str(root / "mkdocs.yml"), language)
        except KbError as exc:
            raise PluginError(str(exc)) from None
        mk = {"docs_dir": config.docs_dir}
        self.workspace = Workspace(root=root, settings=settings, mkdocs_config=mk)
        return config

    def on_pre_build(self, config):
        """Report `kb check` problems as warnings (errors and warnings alike)."""
        if not self.workspace.settings.check_on_build:
            return
        from kb.checks import check_workspace

        for problem in check_workspace(self.workspace).problems:
            log.warning("kb check: %s", problem.format())

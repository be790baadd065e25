"""The one error tree of retro-kb.

Every error a user can cause is a ``KbError``; its message is written for that user and names the
file, line and field where it can. The CLI and the MkDocs plugin each convert it once, at
their edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class KbError(Exception):
    """Base class for every error retro-kb reports to a user."""

    exit_code = 1


class UsageError(KbError):
    """The command was called in a way that cannot work (unknown type, bad --set, ...)."""

    exit_code = 2


class WorkspaceNotFound(KbError):
    """No workspace (a folder with mkdocs.yml) above the current directory."""

    exit_code = 2

    def __init__(self, start: str, explicit: bool = False) -> None:
        where = (
            f"{start} has no mkdocs.yml"
            if explicit
            else (f"no retro-kb workspace found in {start} or any parent folder")
        )
        super().__init__(
            f"{where} "
            "(a workspace is a folder with mkdocs.yml; create one with `kb init DIR`, "
            "or point to one with --root DIR or KB_ROOT)"
        )


class ConfigError(KbError):
    """The kb settings in mkdocs.yml are invalid."""

    exit_code = 2


class EntryError(KbError):
    """An entry file cannot be read or written; ``path`` and ``line`` say where, when known."""

    def __init__(
        self, message: str, path: str | None = None, line: int = 1, code: str = "unreadable"
    ) -> None:
        self.path = path
        self.line = line
        self.code = code
        self.reason = message
        super().__init__(f"{path}:{line}: {message}" if path else message)


class IndexBusy(KbError):
    """Another process is writing the search index."""


class ValidationFailed(KbError):
    """Input data did not pass the schema; ``problems`` holds one Problem per line."""

    def __init__(self, problems: list[Problem], summary: str = "") -> None:
        self.problems = problems
        self.summary = summary
        lines = [p.format() for p in problems]
        super().__init__("\n".join(([summary] if summary else []) + lines))


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one file: the unit of `kb check` output."""

    path: str
    line: int
    level: str  # "error" or "warning"
    message: str
    field: str | None = None
    code: str = "invalid"

    def format(self, levels: Mapping[str, str] | None = None) -> str:
        """Render as ``path:line: level: message``, the format editors and CI logs understand.

        ``levels`` gives the words a person reads for the levels, with their separator
        (``{"warning": "警告："}``, as gcc writes them in a Chinese locale); without it, the
        level is written as stored: ``error: ``, ``warning: ``.
        """
        shown = (levels or {}).get(self.level) or f"{self.level}: "
        return f"{self.path}:{self.line}: {shown}{self.message}"

    def to_dict(self) -> dict:
        """A stable JSON shape for ``--format json``."""
        return {
            "path": self.path,
            "line": self.line,
            "level": self.level,
            "code": self.code,
            "field": self.field,
            "message": self.message,
        }

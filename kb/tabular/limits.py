"""What a sheet may cost before it is read: its size, unpacked, and its rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kb import i18n
from kb.config import SETTINGS, Workspace
from kb.errors import KbError
from kb.fields import spoken


def _say(key: str, **values: Any) -> str:
    """The message ``import.<key>`` in the language spoken now (``kb.fields.speaking``)."""
    return i18n.text(f"import.{key}", spoken(), **values)


@dataclass(frozen=True)
class ImportLimits:
    """How much `kb import` reads: settings ``max_import_mb`` and ``max_import_rows``.

    0 turns a limit off. The size counts what the file unpacks to: an .xlsx is a zip archive,
    and a few megabytes of it can hold gigabytes of sheet (a zip bomb).
    """

    max_mb: int = SETTINGS["max_import_mb"][1]
    max_rows: int = SETTINGS["max_import_rows"][1]

    @classmethod
    def of(cls, ws: Workspace) -> ImportLimits:
        """The limits a workspace's settings give."""
        return cls(ws.settings.max_import_mb, ws.settings.max_import_rows)

    def check_size(self, source: str, size: int, what: str = "file_is") -> None:
        """KbError when ``size`` bytes are over ``max_import_mb``; ``what`` says whose size it
        is: ``file_is`` (the file), ``unpacks_to`` (what a workbook unpacks to)."""
        if self.max_mb and size > self.max_mb * 1_048_576:
            raise KbError(
                _say(
                    "too_large",
                    file=source,
                    what=_say(what),
                    size=f"{size / 1_048_576:,.1f}",
                    limit=f"{self.max_mb:,}",
                )
            )

    def over_rows(self, rows: int) -> bool:
        """Whether ``rows`` rows are more than ``max_import_rows``."""
        return bool(self.max_rows) and rows > self.max_rows

    def too_many_rows(self, source: str, subject: str, declared: int = 0) -> KbError:
        """The error for a sheet over ``max_import_rows``: ``subject`` is "the file", "sheet
        'Risks'"; ``declared``, the rows a workbook says it has, when it says."""
        if declared:
            count = _say("declares_rows", count=f"{declared:,}")
        else:
            count = _say("more_rows", count=f"{self.max_rows:,}")
        limit = f"{self.max_rows:,}"
        return KbError(_say("too_many_rows", file=source, subject=subject, rows=count, limit=limit))


def capped(
    rows: Iterable[tuple[int, list[Any]]], source: str, subject: str, limits: ImportLimits
) -> list[tuple[int, list[Any]]]:
    """The numbered rows of a sheet as a list, refused as soon as there are too many."""
    grid = []
    for number, cells in rows:
        if limits.over_rows(len(grid) + 1):
            raise limits.too_many_rows(source, subject)
        grid.append((number, cells))
    return grid

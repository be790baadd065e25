"""What a sheet may cost before it is read: its size, unpacked, and its rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kb.config import SETTINGS, Workspace
from kb.errors import KbError


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

    def check_size(self, source: str, size: int, what: str = "the file is") -> None:
        """KbError when ``size`` bytes are over ``max_import_mb``."""
        if self.max_mb and size > self.max_mb * 1_048_576:
            raise KbError(
                f"{source}: {what} {size / 1_048_576:,.1f} MB, over the {self.max_mb:,} MB "
                "limit for an import (setting max_import_mb); split the file, or raise the "
                "limit in mkdocs.yml"
            )

    def over_rows(self, rows: int) -> bool:
        """Whether ``rows`` rows are more than ``max_import_rows``."""
        return bool(self.max_rows) and rows > self.max_rows

    def too_many_rows(self, source: str, subject: str, declared: int = 0) -> KbError:
        """The error for a sheet over ``max_import_rows``: ``subject`` is "the file", "sheet
        'Risks'"; ``declared``, the rows a workbook says it has, when it says."""
        count = (
            f"declares {declared:,} rows" if declared else f"has more than {self.max_rows:,} rows"
        )
        return KbError(
            f"{source}: {subject} {count}, over the limit of {self.max_rows:,} rows for an "
            "import (setting max_import_rows); split the file, or raise the limit in mkdocs.yml"
        )


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

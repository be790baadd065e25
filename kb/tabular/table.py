"""A sheet as read: its headers and data rows (``Table``), and messages that name a row and column.

Rows are numbered as the user sees them (the CSV record, the Excel row) and columns by the letter
Excel shows above them, so every message points at the cell to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kb import i18n


@dataclass(frozen=True)
class SheetMessage:
    """A problem or a note about a sheet: what, and where (row as Excel numbers it, column)."""

    message: str
    row: int | None = None
    column: str | None = None  # the header
    letter: str = ""  # the column's letter in the file
    field: str | None = None  # the field the column fills, when there is one

    def format(self, lang: str = i18n.DEFAULT) -> str:
        """``row 6, column "Knowledge area" (C): message`` (in ``lang``); a sheet-wide one is the
        message."""
        if self.row is None:
            return self.message
        if self.column is None:
            return i18n.text("import.at_row", lang, row=self.row, message=self.message)
        letter = i18n.text("import.letter", lang, letter=self.letter) if self.letter else ""
        return i18n.text(
            "import.at_cell",
            lang,
            row=self.row,
            column=self.column,
            letter=letter,
            message=self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON shape for ``kb import --json``."""
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class SheetRow:
    """One data row: its number as the user sees it (CSV line, Excel row) and its cells."""

    number: int
    cells: list[Any]
    problems: list[SheetMessage] = field(default_factory=list)


@dataclass
class Table:
    """A sheet read from a file: headers, data rows, and how it was read."""

    source: str
    headers: list[str]
    rows: list[SheetRow]
    header_row: int = 1
    how: str = ""  # e.g. "GBK, semicolon-separated" or "sheet 'Risks'"
    letters: list[str] = field(default_factory=list)  # each column's letter in the file
    notes: list[str] = field(default_factory=list)  # what the reader noticed, for the user

    def __post_init__(self) -> None:
        if not self.letters:
            self.letters = [column_letter(i) for i in range(len(self.headers))]


def column_letter(index: int) -> str:
    """``A`` for 0, ``AB`` for 27: the letter Excel shows above a column."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

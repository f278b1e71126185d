"""Typed errors of the spreadsheet toolkit.

Two kinds of problem exist and they are kept apart:

* :class:`CellError` — one cell cannot be read (``31/02/2567`` is not a date). The
  row is refused, the import carries on to the next row, and the problem is reported
  as a :class:`RowError` naming the row and column the person sees.
* :class:`SpreadsheetError` — the file as a whole cannot be used (wrong file type,
  required column missing, sheet not found). Nothing is imported; ``.errors`` turns
  it into report lines so the command line's ``--json`` answer keeps its shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chumchon.core.spreadsheet.messages import Text


class CellError(ValueError):
    """A cell's value cannot be used. ``message`` is the Thai text (``.text`` has both)."""

    def __init__(self, message: Text | str) -> None:
        self.text = message if isinstance(message, Text) else Text(message)
        super().__init__(self.text.th)

    @property
    def message_th(self) -> str:
        return self.text.th

    def message(self, lang: str = "th") -> str:
        return self.text.get(lang)


@dataclass(frozen=True)
class RowError:
    """One problem, located the way the person sees the spreadsheet.

    ``row`` counts from 1 at the top of the sheet (the header is usually row 1, the
    first data row 2), blank rows included, so it matches Excel's row numbers; 0 means
    the whole file. ``column`` is the header as written in the file, not the field name.
    ``sheet`` names the worksheet; it only reaches the JSON when a report mixes sheets.
    """

    row: int
    column: str
    message: Text
    sheet: str = ""

    def to_json(self, lang: str = "th", *, with_sheet: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "column": self.column, "message": self.message.get(lang)}
        if with_sheet:
            out["sheet"] = self.sheet
        return out


class SpreadsheetError(Exception):
    """The file cannot be imported at all. ``errors`` are its problems as report lines."""

    def __init__(self, message: Text, errors: list[RowError] | None = None) -> None:
        self.text = message
        self.errors = errors if errors is not None else [RowError(0, "", message)]
        super().__init__(message.th)

    def message(self, lang: str = "th") -> str:
        return self.text.get(lang)


class UnsupportedFile(SpreadsheetError):
    """Not an .xlsx, .xls or .csv file, or not what its name says and unusable."""


class UnreadableFile(SpreadsheetError):
    """Damaged, password-protected, or text in an unknown encoding."""


class SheetNotFound(SpreadsheetError):
    """No worksheet with any of the asked-for names."""


class HeaderError(SpreadsheetError):
    """The header row lacks required columns, repeats one, or does not exist."""

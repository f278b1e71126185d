"""The outcome of an import: counts, errors, warnings, and a downloadable error file.

``ImportReport.to_json()`` is the contract's answer of ``chumchon import … --json``::

    {"accepted": n, "rejected": n, "errors": [{"row": r, "column": "...", "message": "..."}]}

with ``"warnings"`` added only when there are some. The error file (.xlsx or .csv) has
one line per problem — แถว / คอลัมน์ / ปัญหา — followed by the values of the
offending row exactly as they were in the file, so a clerk can fix the sheet with the
report open beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import xlsxwriter

from chumchon.core import national_id
from chumchon.core.spreadsheet.cells import Cell, display
from chumchon.core.spreadsheet.errors import RowError, SpreadsheetError
from chumchon.core.spreadsheet.messages import Text, msg
from chumchon.core.spreadsheet.spec import RowResult
from chumchon.core.thai import arabic_digits

Destination = str | os.PathLike[str] | IO[bytes]


@dataclass
class _Source:
    """The header and the rejected rows of one sheet, kept for the error file."""

    headers: tuple[str, ...] = ()
    rows: dict[int, tuple[Cell, ...]] = field(default_factory=dict)


@dataclass
class ImportReport:
    """Counts and problems of one import.

    Feed it every :class:`RowResult` with :meth:`add` (or :meth:`accept` /
    :meth:`reject` when a business rule decides), file-level failures with
    :meth:`fail`, and the reader's warnings with :meth:`warn`. ``max_errors`` caps the
    errors kept (the counts stay exact; ``omitted_errors`` says how many were dropped).
    """

    accepted: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[Text] = field(default_factory=list)
    max_errors: int | None = None
    omitted_errors: int = 0
    _sources: dict[str, _Source] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """Nothing was refused: no rejected row and no file-level error."""
        return self.rejected == 0 and not self.errors and not self.omitted_errors

    def add(self, result: RowResult) -> bool:
        """Count a row as accepted or rejected by its own errors; True when accepted."""
        if result.ok:
            self.accepted += 1
        else:
            self.reject(result)
        return result.ok

    def accept(self, count: int = 1) -> None:
        self.accepted += count

    def reject(self, result: RowResult, *errors: RowError) -> None:
        """Refuse a row: its parse errors plus ``errors`` (e.g. from ``result.error(...)``)."""
        self.rejected += 1
        if self._record([*result.errors, *errors]):  # keep the row's cells only when it is shown
            source = self._sources.setdefault(result.sheet, _Source())
            source.headers = source.headers or result.headers
            # The error file is stored and downloaded: it echoes national IDs masked only.
            source.rows[result.row] = tuple(_mask_ids(cell) for cell in result.raw)

    def fail(self, error: SpreadsheetError) -> None:
        """Record a problem with the whole file (bad type, missing columns …)."""
        self._record(error.errors)

    def warn(self, warnings: Iterable[Text]) -> None:
        self.warnings.extend(warnings)

    def _record(self, errors: list[RowError]) -> int:
        kept = 0
        for error in errors:
            if self.max_errors is not None and len(self.errors) >= self.max_errors:
                self.omitted_errors += 1
            else:
                self.errors.append(error)
                kept += 1
        return kept

    @property
    def _mixed_sheets(self) -> bool:
        return len({error.sheet for error in self.errors}) > 1

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        """The contract's JSON document (``warnings``/``omitted_errors`` only when non-empty)."""
        mixed = self._mixed_sheets
        out: dict[str, Any] = {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "errors": [error.to_json(lang, with_sheet=mixed) for error in self.errors],
        }
        if self.warnings:
            out["warnings"] = [warning.get(lang) for warning in self.warnings]
        if self.omitted_errors:
            out["omitted_errors"] = self.omitted_errors
        return out

    # --- the downloadable error file ---------------------------------------------

    def _sections(self) -> list[tuple[str, _Source, list[RowError]]]:
        """Errors grouped by sheet, in the order the sheets first appear."""
        grouped: dict[str, list[RowError]] = {}
        for error in self.errors:
            grouped.setdefault(error.sheet, []).append(error)
        return [(sheet, self._sources.get(sheet, _Source()), errors) for sheet, errors in grouped.items()]

    def _titles(self, lang: str) -> list[str]:
        return [msg(key).get(lang) for key in ("report_row", "report_column", "report_problem")]

    def write_xlsx(self, dest: Destination, *, lang: str = "th") -> None:
        """An Excel file: one worksheet per source sheet (one when the import had one)."""
        book = xlsxwriter.Workbook(dest if not isinstance(dest, os.PathLike) else os.fspath(dest))
        bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        top = book.add_format({"valign": "top"})
        sections = self._sections() or [("", _Source(), [])]
        used: set[str] = set()
        for sheet, source, errors in sections:
            worksheet = book.add_worksheet(_worksheet_name(sheet, lang, used, many=len(sections) > 1))
            titles = self._titles(lang) + list(source.headers)
            for col, title in enumerate(titles):
                worksheet.write_string(0, col, title, bold)
            for line, error in enumerate(errors, start=1):
                worksheet.write_number(line, 0, error.row, top)
                worksheet.write_string(line, 1, error.column, top)
                worksheet.write_string(line, 2, error.message.get(lang), wrap)
                for col, cell in enumerate(source.rows.get(error.row, ()), start=3):
                    _write_cell(worksheet, line, col, cell, top)
            worksheet.freeze_panes(1, 0)
            worksheet.autofilter(0, 0, max(len(errors), 1), len(titles) - 1)
            worksheet.set_column(0, 0, 7)
            worksheet.set_column(1, 1, 20)
            worksheet.set_column(2, 2, 55)
            if len(titles) > 3:
                worksheet.set_column(3, len(titles) - 1, 16)
        book.close()

    def write_csv(self, dest: Destination, *, lang: str = "th") -> None:
        """A CSV file in UTF-8 with BOM (so Excel shows Thai), one section per sheet.

        Values that Excel would run as formulas (``=…``, ``@…``, ``+x``, ``-x``) get a
        leading apostrophe: the file is opened by people, and it repeats their input.
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        sections = self._sections() or [("", _Source(), [])]
        for number, (sheet, source, errors) in enumerate(sections):
            if number:
                writer.writerow([])
            if len(sections) > 1:
                writer.writerow([f"{msg('report_sheet').get(lang)}: {sheet}"])
            writer.writerow(self._titles(lang) + [_csv_safe(header) for header in source.headers])
            for error in errors:
                values = [_csv_safe(display(cell)) for cell in source.rows.get(error.row, ())]
                writer.writerow([error.row, _csv_safe(error.column), error.message.get(lang), *values])
        data = buffer.getvalue().encode("utf-8-sig")
        if isinstance(dest, str | os.PathLike):
            Path(dest).write_bytes(data)
        else:
            dest.write(data)


def write_error_report(
    report: ImportReport, dest: Destination, *, fmt: Literal["xlsx", "csv"] | None = None, lang: str = "th"
) -> None:
    """Write ``report``'s errors to ``dest`` (a path or a binary file object).

    ``fmt`` defaults to the path's extension (.csv → CSV, anything else → xlsx).
    """
    if fmt is None:
        is_csv = isinstance(dest, str | os.PathLike) and Path(dest).suffix.lower() == ".csv"
        fmt = "csv" if is_csv else "xlsx"
    if fmt == "csv":
        report.write_csv(dest, lang=lang)
    else:
        report.write_xlsx(dest, lang=lang)


def _worksheet_name(sheet: str, lang: str, used: set[str], *, many: bool) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``, unique."""
    base = msg("report_title").get(lang)
    name = f"{base} {sheet}" if many and sheet else base
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]
    candidate, n = name, 2
    while candidate.casefold() in used:
        candidate = f"{name[:28]} {n}"
        n += 1
    used.add(candidate.casefold())
    return candidate


def _write_cell(worksheet: Any, row: int, col: int, cell: Cell, fmt: Any) -> None:
    """Numbers stay numbers; text is written as text (never as a formula)."""
    if cell is None:
        return
    if isinstance(cell, bool):
        worksheet.write_boolean(row, col, cell, fmt)
    elif isinstance(cell, int | float):
        worksheet.write_number(row, col, cell, fmt)
    elif isinstance(cell, dt.date | dt.time | dt.timedelta):
        worksheet.write_string(row, col, display(cell), fmt)
    else:
        worksheet.write_string(row, col, str(cell), fmt)


_ID_LIKE = re.compile(r"(?<!\d)\d(?:[\s\-]?\d){12}(?!\d)")


def _mask_ids(cell: Cell) -> Cell:
    """Any 13-digit ID-looking value (dashes, spaces, Thai digits; a whole cell or part
    of one; a number too) becomes ``1-2345-xxxxx-xx-1``."""
    if isinstance(cell, bool) or not isinstance(cell, str | int | float):
        return cell
    text = str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell)
    normal = arabic_digits(text)
    if not _ID_LIKE.search(normal):
        return cell
    return _ID_LIKE.sub(lambda m: national_id.mask(re.sub(r"[\s\-]", "", m.group())), normal)


def _csv_safe(text: str) -> str:
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True

"""The forum pack's tables as a spreadsheet (XlsxWriter): the same tables as the PDF.

The first sheet says what the file is (area, month, when it was made) with the cover's
headline figures and the discussion questions; then one sheet per table of the pack,
in printed order. Numbers are numbers, with full precision (satang) and a number
format; a figure not shown (hidden, or nothing to divide by) is an empty cell.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _

from chumchon.insights.forum.pack import ForumPack
from chumchon.insights.forum.tables import Cell, Column, Kind, PackTable, Typed

SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS: dict[str, str] = {
    "money": "#,##0.00",
    "count": "#,##0",
    "share": "0.0%",
    "diff": "+0%;-0%;0%",
}


def INTERNAL_NOTE() -> str:
    return _("INTERNAL USE ONLY (ใช้ภายใน): not for the forum")


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of ``[]:*?/\\``)."""
    base = _SHEET_FORBIDDEN.sub(" ", text).strip().strip("'")[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#E2EFE9", "border": 1, "text_wrap": True, "valign": "bottom"}
        )
        self.note = book.add_format({"italic": True, "font_color": "#444444"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.bold = book.add_format({"bold": True})
        self.numbers = {kind: book.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
        self.numbers_bold = {
            kind: book.add_format({"num_format": fmt, "bold": True}) for kind, fmt in NUMBER_FORMATS.items()
        }


def _write_cell(sheet: Any, row: int, col: int, value: Cell, kind: Kind, formats: _Formats, *, bold: bool) -> None:
    if isinstance(value, Typed):
        kind, value = value.kind, value.value
    if value is None:
        sheet.write_blank(row, col, None, formats.bold if bold else None)
        return
    if isinstance(value, str):
        sheet.write_string(row, col, value, formats.bold if bold else None)
        return
    number_format = (formats.numbers_bold if bold else formats.numbers).get(kind)
    number = float(value) if isinstance(value, Decimal) else value
    sheet.write_number(row, col, number, number_format)


def _table_sheet(book: xlsxwriter.Workbook, table: PackTable, formats: _Formats, taken: set[str]) -> None:
    sheet = book.add_worksheet(sheet_name(table.sheet or table.title, taken))
    sheet.write_string(0, 0, table.title, formats.title)
    header_row = 2
    columns: tuple[Column, ...] = table.columns
    for col, column in enumerate(columns):
        sheet.write_string(header_row, col, column.label, formats.header)
        sheet.set_column(col, col, 36 if col == 0 else 17)
    line = header_row + 1
    for row in table.rows:
        for col, (value, column) in enumerate(zip(row, columns, strict=True)):
            _write_cell(sheet, line, col, value, column.kind, formats, bold=False)
        line += 1
    if table.total:
        for col, (value, column) in enumerate(zip(table.total, columns, strict=True)):
            _write_cell(sheet, line, col, value, column.kind, formats, bold=True)
        line += 1
    if not table.rows:
        sheet.write_string(line, 0, _("Nothing recorded."), formats.note)
        line += 1
    if table.note:
        sheet.write_string(line + 1, 0, table.note, formats.note)
    sheet.freeze_panes(header_row + 1, 1)


def forum_pack_xlsx(pack: ForumPack) -> bytes:
    """The pack's tables as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    with translation.override(pack.lang):
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        book.set_properties({"title": f"{pack.area_name} {pack.month_label}", "author": "Chumchon"})
        formats = _Formats(book)
        taken: set[str] = set()
        cover = book.add_worksheet(sheet_name(_("Forum pack"), taken))
        cover.set_column(0, 0, 34)
        cover.set_column(1, 1, 70)
        cover.write_string(0, 0, _("Learning forum pack"), formats.title)
        if pack.coverage_warning is not None:  # at the top, where nobody reads past it
            cover.write_string(1, 0, pack.coverage_warning.text, formats.bold)
        facts = [
            (_("Area"), pack.area_name),
            (_("Area code"), pack.area_code),
            (_("Within"), pack.place),
            (_("Month"), pack.month_label),
            (_("Month (YYYY-MM)"), pack.month.iso()),
            (_("Made on"), pack.generated_label),
        ]
        line = 2
        for label, value in facts:
            cover.write_string(line, 0, label, formats.bold)
            cover.write_string(line, 1, value)
            line += 1
        if pack.internal:
            cover.write_string(line, 0, INTERNAL_NOTE(), formats.bold)
            line += 1
        elif pack.suppressed or pack.aggregate_only:
            cover.write_string(line, 0, _("Figures behind fewer than 5 households are not shown (–)."), formats.note)
            line += 1
        line += 1
        for headline in pack.headlines:
            cover.write_string(line, 0, headline.label, formats.bold)
            cover.write_string(line, 1, f"{headline.value}  ({headline.note})")
            line += 1
        line += 1
        cover.write_string(line, 0, _("Questions for the forum"), formats.title)
        line += 1
        for n, question in enumerate(pack.questions, start=1):
            cover.write_string(line, 0, f"{n}. {question.fact}", formats.wrap)
            cover.write_string(line, 1, question.question, formats.wrap)
            line += 1
        for table in pack.tables:
            _table_sheet(book, table, formats, taken)
        if pack.internal:  # on every printed page of every sheet
            for sheet in book.worksheets():
                sheet.set_header(f"&C&B{INTERNAL_NOTE()}")
        book.close()
    return buffer.getvalue()

"""Lists to take away: rows of person-level data as an .xlsx workbook (XlsxWriter).

Each sheet starts with a title line and a line saying what the list is (area,
filters, who made it and when, in Buddhist Era), then a bold header row in Thai,
frozen, with a filter on every column. Dates are written as the text a person reads
(``23/11/2532``, Buddhist Era) — a date cell would show the Common Era year in most
spreadsheet programs; amounts are numbers with two decimals; yes/no are words.

The callers decide what goes in; national ID numbers must already be masked.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import xlsxwriter
from django.utils import timezone

from chumchon.core.thai import to_be

Kind = Literal["text", "count", "money", "date", "datetime", "bool"]
Value = str | int | Decimal | float | bool | dt.date | dt.datetime | None

SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADER_ROW = 3  # 0-based: title, note, blank, header


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"
    width: float = 14


@dataclass
class Sheet:
    name: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Value]]
    note: str = ""
    yes: str = "✓"
    empty: str = field(default="")


def be_date(value: dt.date | None) -> str:
    """``23/11/2532``: day/month/Buddhist Era year."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{to_be(value.year)}"


def be_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{be_date(local.date())} {local:%H:%M}"


def _sheet_name(text: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", text).strip().strip("'")[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets``, in memory."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    title = book.add_format({"bold": True, "font_size": 13})
    note = book.add_format({"italic": True, "font_color": "#444444"})
    header = book.add_format({"bold": True, "bg_color": "#E2EFE9", "border": 1, "text_wrap": True, "valign": "bottom"})
    money = book.add_format({"num_format": "#,##0.00"})
    count = book.add_format({"num_format": "#,##0"})
    taken: set[str] = set()
    for spec in sheets:
        sheet = book.add_worksheet(_sheet_name(spec.name, taken))
        sheet.write_string(0, 0, spec.title, title)
        if spec.note:
            sheet.write_string(1, 0, spec.note, note)
        for col, column in enumerate(spec.columns):
            sheet.write_string(HEADER_ROW, col, column.header, header)
            sheet.set_column(col, col, column.width)
        last = HEADER_ROW
        for last, values in enumerate(spec.rows, start=HEADER_ROW + 1):
            for col, (column, value) in enumerate(zip(spec.columns, values, strict=True)):
                _write(sheet, last, col, column.kind, value, spec, money=money, count=count)
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        if spec.columns:
            sheet.autofilter(HEADER_ROW, 0, last, len(spec.columns) - 1)
    book.close()
    return out.getvalue()


def _write(
    sheet: xlsxwriter.worksheet.Worksheet,
    row: int,
    col: int,
    kind: Kind,
    value: Value,
    spec: Sheet,
    *,
    money: xlsxwriter.format.Format,
    count: xlsxwriter.format.Format,
) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif kind == "money" and isinstance(value, Decimal | int | float):
        sheet.write_number(row, col, float(value), money)
    elif kind == "count" and isinstance(value, int | Decimal | float):
        sheet.write_number(row, col, float(value), count)
    elif kind == "bool":
        sheet.write_string(row, col, spec.yes if value else spec.empty)
    elif isinstance(value, dt.datetime):
        sheet.write_string(row, col, be_datetime(value))
    elif isinstance(value, dt.date):
        sheet.write_string(row, col, be_date(value))
    else:
        sheet.write_string(row, col, str(value))

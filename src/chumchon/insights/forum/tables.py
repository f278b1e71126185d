"""The tables of a forum pack, shared by the PDF and the spreadsheet.

Both formats are written from the same :class:`PackTable` objects, so the spreadsheet
holds exactly the tables printed in the PDF (with full precision: the PDF rounds money
to whole baht for reading aloud in a forum, the spreadsheet keeps satang).

A cell is a ``str``, an ``int``, a ``Decimal`` or ``None`` ("not shown": hidden for
an aggregate-only reader, or nothing to divide by), read in the unit of its column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Kind = Literal["text", "money", "count", "share", "diff"]


@dataclass(frozen=True)
class Typed:
    """A cell whose unit differs from its column's (a "key figures" table mixes them)."""

    value: int | Decimal | None
    kind: Kind


Cell = str | int | Decimal | Typed | None

DASH = "–"
LONG_TABLE = 14
ONE = Decimal(1)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = "text"


@dataclass(frozen=True)
class PackTable:
    key: str  # a stable identifier (the spreadsheet's sheet order follows the pack's)
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    total: tuple[Cell, ...] | None = None  # a last row, printed in bold
    sheet: str = ""  # the spreadsheet's sheet name (≤ 31 characters); the title when empty
    bar: int | None = None  # a column drawn as bars too (in the PDF), scaled to its largest value

    def __post_init__(self) -> None:
        for row in (*self.rows, *((self.total,) if self.total else ())):
            if len(row) != len(self.columns):
                raise ValueError(f"{self.key}: a row of {len(row)} cells for {len(self.columns)} columns")

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def is_long(self) -> bool:
        """Long tables may break across pages (their header repeats); short ones do not."""
        return len(self.rows) > LONG_TABLE

    def formatted(self) -> list[list[tuple[str, bool]]]:
        """Each row's cells as printed, with whether the cell is a number (right-aligned)."""
        return [self._aligned(row) for row in self.rows]

    def printed_rows(self) -> list[PrintedRow]:
        """The rows as the PDF prints them: cells, and the bar of column ``bar`` (a
        percentage of the largest magnitude; negative values are hatched)."""
        values: list[Decimal | None] = []
        if self.bar is not None:
            for row in self.rows:
                cell = row[self.bar]
                cell = cell.value if isinstance(cell, Typed) else cell
                values.append(Decimal(cell) if isinstance(cell, (int, Decimal)) else None)
        largest = max((abs(v) for v in values if v is not None), default=Decimal(0))
        out = []
        for i, row in enumerate(self.rows):
            value = values[i] if values else None
            width = (abs(value) * 100 / largest).quantize(TENTH) if value is not None and largest else Decimal(0)
            out.append(
                PrintedRow(
                    cells=self._aligned(row),
                    bar=width,
                    negative=value is not None and value < 0,
                    has_bar=value is not None,
                )
            )
        return out

    @property
    def diverging(self) -> bool:
        """The bar column has values below zero: bars are drawn from a middle line."""
        return any(row.negative for row in self.printed_rows())

    @property
    def size_class(self) -> str:
        """The table's column layout (the first column's share of the width)."""
        n = len(self.columns)
        return "cols-few" if n <= 4 else "cols-mid" if n <= 6 else "cols-many"

    def formatted_total(self) -> list[tuple[str, bool]] | None:
        return self._aligned(self.total) if self.total else None

    def _aligned(self, row: Sequence[Cell]) -> list[tuple[str, bool]]:
        texts = format_row(row, self.columns)
        return [(text, column.kind != "text") for text, column in zip(texts, self.columns, strict=True)]


@dataclass(frozen=True)
class PrintedRow:
    cells: list[tuple[str, bool]]
    bar: Decimal = Decimal(0)
    negative: bool = False
    has_bar: bool = False  # the bar column has a value in this row (not hidden, not empty)


def whole_baht(value: Decimal) -> Decimal:
    return value.quantize(ONE, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | int | None) -> str:
    """Whole baht with thousands separators (``12,346``); a dash for "not shown"."""
    if value is None:
        return DASH
    amount = whole_baht(Decimal(value))
    return f"{amount if amount else Decimal(0):,}"  # never "-0"


def format_share(value: Decimal | None) -> str:
    """0.1234 → ``12.3%``."""
    if value is None:
        return DASH
    return f"{(Decimal(value) * 100).quantize(TENTH, rounding=ROUND_HALF_UP)}%"


def format_diff(value: Decimal | None) -> str:
    """A relative difference with its sign: 0.35 → ``+35%``, -0.12 → ``−12%``."""
    if value is None:
        return DASH
    pct = (Decimal(value) * 100).quantize(ONE, rounding=ROUND_HALF_UP)
    if pct > 0:
        return f"+{pct}%"
    if pct < 0:
        return f"−{-pct}%"
    return "0%"


def format_cell(value: Cell, kind: Kind) -> str:
    if isinstance(value, Typed):
        kind, value = value.kind, value.value
    if value is None:
        return DASH
    if isinstance(value, str):
        return value
    if kind == "money":
        return format_money(value)
    if kind == "share":
        return format_share(Decimal(value))
    if kind == "diff":
        return format_diff(Decimal(value))
    if kind == "count":
        return f"{int(value):,}"
    return str(value)


def format_row(row: Sequence[Cell], columns: Sequence[Column]) -> list[str]:
    return [format_cell(value, column.kind) for value, column in zip(row, columns, strict=True)]


@dataclass(frozen=True)
class TrendColumn:
    label: str  # the month, short (ต.ค. 69)
    income: Decimal | None
    expense: Decimal | None
    income_height: Decimal  # mm
    expense_height: Decimal  # mm
    current: bool = False


@dataclass(frozen=True)
class TrendChart:
    title: str
    columns: tuple[TrendColumn, ...] = field(default_factory=tuple)
    top: Decimal = Decimal(0)  # the value at the top of the scale
    unit: str = ""

    @property
    def is_empty(self) -> bool:
        return not any((c.income or c.expense) for c in self.columns)

    @property
    def top_text(self) -> str:
        return format_money(self.top)


TREND_HEIGHT_MM = Decimal(38)


def trend_chart(
    title: str, points: Sequence[tuple[str, Decimal | None, Decimal | None, bool]], *, unit: str = ""
) -> TrendChart:
    """Paired columns (income, expense) per month, scaled to the largest value."""
    top = max((v for _, i, e, _ in points for v in (i, e) if v is not None and v > 0), default=Decimal(0))

    def height(value: Decimal | None) -> Decimal:
        if not value or value <= 0 or not top:
            return Decimal(0)
        return (value * TREND_HEIGHT_MM / top).quantize(TENTH)

    columns = tuple(
        TrendColumn(
            label=label,
            income=income,
            expense=expense,
            income_height=height(income),
            expense_height=height(expense),
            current=current,
        )
        for label, income, expense, current in points
    )
    return TrendChart(title=title, columns=columns, top=top, unit=unit)

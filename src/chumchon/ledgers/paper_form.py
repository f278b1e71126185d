"""The household account paper form and the staff grid: one definition of their columns.

A volunteer hands out the printed form (บัญชีครัวเรือนรายเดือน), the household writes its
month on it, and the tambon office keys it into the staff grid line by line. The form
has the grid's columns, in the grid's order, under the grid's headings, so a line is
keyed left to right as it was written: :data:`GRID_COLUMNS` draws both (the grid's
``<thead>`` and the form's), and a test compares the two.

The form is a PDF made with WeasyPrint (A4, Sarabun; 40 lines over two pages with the
headings repeated, the household's details on top, totals and signatures at the end)
and a last page listing the account categories by code, to write on the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chumchon.core.pdf import render_pdf
from chumchon.ledgers.selectors import categories_all

PAPER_FORM_LINES = 40
PAPER_FORM_FILENAME = "chumchon-household-account-form.pdf"


@dataclass(frozen=True)
class GridColumn:
    key: str
    label: Promise | str  # the heading, on the grid and on the form
    css: str  # the grid's class for the column
    hint: Promise | str  # what to write in it, under the form's heading
    width: str  # the column's share of the form's width


GRID_COLUMNS: tuple[GridColumn, ...] = (
    GridColumn("line", "#", "rownum", "", "6%"),
    GridColumn("day", _("Day"), "c-day", _("day of the month, e.g. 15"), "12%"),
    GridColumn("category", _("Category"), "c-cat", _("code or name, e.g. C02"), "16%"),
    GridColumn("item", _("Item"), "c-item", _("what was bought or sold"), "36%"),
    GridColumn("amount", _("Amount"), "c-amount num", _("baht"), "14%"),
    GridColumn("kind", _("Income / expense"), "c-kind", _("tick one"), "16%"),
)


def paper_form_pdf() -> bytes:
    """The blank form as PDF bytes (always in Thai: it is handed to households)."""
    categories = categories_all()
    context = {
        "columns": GRID_COLUMNS,
        "lines": range(1, PAPER_FORM_LINES + 1),
        "income": [c for c in categories if c.kind == "income"],
        "expense": [c for c in categories if c.kind == "expense"],
    }
    return render_pdf("ledgers/paper_form_pdf.html", context, stylesheets=["ledgers/paper_form.css"], language="th")

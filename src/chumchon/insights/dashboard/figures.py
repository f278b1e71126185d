"""The figure keys: every number on the dashboard names one, so it can open the rows
behind it (``figure_rows_for_user``) and be drawn as a map (``figure_by_child_area``).

Units of the value a key has for an area (``figure_value``/maps):

- ``money_phm``: baht per household per month (total / household-months reported)
- ``money``: baht, a total (debt outstanding)
- ``count``: households
- ``share``: 0..1 of the reporting households
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chumchon.insights.dashboard.types import FigureSpec
from chumchon.ledgers.selectors import CategoryKinds

HOUSEHOLDS = "households"  # registered in the span: active, or reported in it and gone since
REPORTING = "reporting"  # households with a line in the span
INCOME = "income"  # income without borrowing (F05)
EXPENSE = "expense"  # every expense category
SURPLUS = "surplus"  # income - expense
DEFICIT = "deficit"  # households whose expense exceeded their income over the span
PRODUCTION = "production"  # expense group: production costs
CONSUMPTION = "consumption"  # expense group: consumption
FINANCIAL = "financial"  # expense group: financial (principal, interest, savings, insurance)
AVOIDABLE = "avoidable"  # flagged avoidable: alcohol, tobacco, gambling
LOCAL_FOOD = "local_food"  # flagged local_food: rice, eggs, vegetables, meat and fish
INTEREST = "interest"  # F02 interest paid
PRINCIPAL = "principal"  # F01 principal repaid
BORROWING = "borrowing"  # F05 loans received
CATEGORY = "category"  # one category; needs ``category`` = its code (C02)
DEBT = "debt"  # principal outstanding; ``category`` = a debt source (D01) optional
DEBT_SOURCE = "debt_source"  # principal outstanding of one source; needs ``category`` = D01…
DEBT_FELL = "debt_fell"  # households whose outstanding principal fell (see debt_change)
DEBT_CLEARED = "debt_cleared"  # households whose outstanding principal fell to 0
OCCUPATION = "occupation"  # yearly surplus of an occupation group; needs ``category`` = O01… ("" none)

FIGURES: dict[str, FigureSpec] = {
    spec.key: spec
    for spec in (
        FigureSpec(HOUSEHOLDS, _("Households registered"), "count"),
        FigureSpec(REPORTING, _("Households keeping accounts"), "count"),
        FigureSpec(INCOME, _("Income per household per month"), "money_phm"),
        FigureSpec(EXPENSE, _("Expense per household per month"), "money_phm"),
        FigureSpec(SURPLUS, _("Surplus per household per month"), "money_phm"),
        FigureSpec(DEFICIT, _("Share of households in deficit"), "share"),
        FigureSpec(PRODUCTION, _("Production costs per household per month"), "money_phm"),
        FigureSpec(CONSUMPTION, _("Consumption per household per month"), "money_phm"),
        FigureSpec(FINANCIAL, _("Financial spending per household per month"), "money_phm"),
        FigureSpec(AVOIDABLE, _("Avoidable spending per household per month"), "money_phm"),
        FigureSpec(LOCAL_FOOD, _("Food the area could produce, per household per month"), "money_phm"),
        FigureSpec(INTEREST, _("Interest paid per household per month"), "money_phm"),
        FigureSpec(PRINCIPAL, _("Debt principal repaid per household per month"), "money_phm"),
        FigureSpec(BORROWING, _("Loans received per household per month"), "money_phm"),
        FigureSpec(CATEGORY, _("Spending or income per household per month"), "money_phm", needs_category=True),
        FigureSpec(DEBT, _("Debt outstanding"), "money"),
        FigureSpec(DEBT_SOURCE, _("Debt outstanding by source"), "money", needs_category=True),
        FigureSpec(DEBT_FELL, _("Households whose debt fell"), "count"),
        FigureSpec(DEBT_CLEARED, _("Households that cleared their debt"), "count"),
        FigureSpec(OCCUPATION, _("Yearly surplus of an occupation group"), "money", needs_category=True),
    )
}
FIGURE_KEYS: tuple[str, ...] = tuple(FIGURES)

# The figures that sum categories, and which: THE figure -> categories mapping. The
# figures, the dashboard, the maps, the rows behind a figure and the small-cell tables
# all read ``figure_categories``.
EXPENSE_GROUPS = (PRODUCTION, CONSUMPTION, FINANCIAL)  # the expense split, by ``Category.spending_group``
FLAG_OF = {  # a figure of the categories carrying a flag (``Category.flags``)
    AVOIDABLE: "avoidable",
    LOCAL_FOOD: "local_food",
    BORROWING: "borrowing",
    INTEREST: "interest",
    PRINCIPAL: "debt_principal",
}


def figure_categories(kinds: CategoryKinds) -> dict[str, tuple[str, ...]]:
    """Every figure made of a set of categories (a total of them), with its categories."""
    return {
        INCOME: kinds.income,
        EXPENSE: kinds.expense,
        **{group: kinds.group(group) for group in EXPENSE_GROUPS},
        **{figure: kinds.flagged(flag) for figure, flag in FLAG_OF.items()},
    }


class UnknownFigure(ValueError):
    """A figure key that is not in ``FIGURES``, or one that needs a category without it."""


def figure_spec(figure: str, category: str | None = None) -> FigureSpec:
    spec = FIGURES.get(figure)
    if spec is None:
        raise UnknownFigure(figure)
    if spec.needs_category and category is None:
        raise UnknownFigure(f"{figure} needs a category")
    return spec

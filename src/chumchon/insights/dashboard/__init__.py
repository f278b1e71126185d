"""The area dashboard of issue 5: what the monthly learning forums read.

Public API (stable; fields are only ever added):

- ``dashboard_for(area_code, start, end, *, with_comparisons=True) -> Dashboard`` —
  unscoped (command line, batch).
- ``dashboard_for_user(user, area, start, end, *, with_comparisons=True) -> Dashboard``
  — the caller has scoped ``area`` (``access.selectors.area_get_for_user``); amounts
  are hidden from aggregate-only readers where fewer than 5 households are behind them.
- ``comparisons_for_user(user, area, start, end) -> list[Comparison]`` — a village's
  comparisons alone, for a page that loads them after the rest.
- ``figure_rows_for_user(user, area, start, end, *, figure, category=None) -> FigureRows``
  — the households and ledger entries behind a figure, scoped through the registry
  and ledger selectors; raises ``RowsNotAllowed`` for readers without person-level
  access to the area (agencies, district teams reading outside their area).
- ``figure_by_child_area(user, area, start, end, figure, category=None) -> list[ChildValue]``
  — one value per child area (villages of a tambon, tambons of a district …) for maps.
- ``figure_value(area_code, start, end, figure, category=None) -> Decimal | None`` — one
  area's value of a figure key, unscoped.
- ``FIGURES`` / ``FIGURE_KEYS`` — the figure keys with label, unit and whether they
  need a ``category`` (see ``figures.py``).

Definitions are in ``types.py`` (per household per month, medians), ``compute.py``
(deficit, debts, repayment), ``common.debt_change`` (debt fell / cleared),
``comparisons.py`` (village beside its tambon and district, flags) and ``trace.py``
(what the rows behind each figure are).
"""

from chumchon.insights.dashboard.compute import (
    comparisons_for_user,
    dashboard_for,
    dashboard_for_user,
    dashboard_public,
)
from chumchon.insights.dashboard.figures import (
    AVOIDABLE,
    BORROWING,
    CATEGORY,
    CONSUMPTION,
    DEBT,
    DEBT_CLEARED,
    DEBT_FELL,
    DEBT_SOURCE,
    DEFICIT,
    EXPENSE,
    FIGURE_KEYS,
    FIGURES,
    FINANCIAL,
    HOUSEHOLDS,
    INCOME,
    INTEREST,
    LOCAL_FOOD,
    OCCUPATION,
    PRINCIPAL,
    PRODUCTION,
    REPORTING,
    SURPLUS,
    UnknownFigure,
    figure_spec,
)
from chumchon.insights.dashboard.maps import figure_by_child_area, figure_value
from chumchon.insights.dashboard.trace import RowsNotAllowed, figure_rows_for_user
from chumchon.insights.dashboard.types import (
    ChildValue,
    Comparison,
    Dashboard,
    DebtSourceLine,
    FigureHousehold,
    FigureRows,
    FigureSpec,
    Line,
    MonthPoint,
    Opportunity,
    RepaymentRow,
    YearOnYear,
)

__all__ = [
    "AVOIDABLE",
    "BORROWING",
    "CATEGORY",
    "CONSUMPTION",
    "DEBT",
    "DEBT_CLEARED",
    "DEBT_FELL",
    "DEBT_SOURCE",
    "DEFICIT",
    "EXPENSE",
    "FIGURES",
    "FIGURE_KEYS",
    "FINANCIAL",
    "HOUSEHOLDS",
    "INCOME",
    "INTEREST",
    "LOCAL_FOOD",
    "OCCUPATION",
    "PRINCIPAL",
    "PRODUCTION",
    "REPORTING",
    "SURPLUS",
    "ChildValue",
    "Comparison",
    "Dashboard",
    "DebtSourceLine",
    "FigureHousehold",
    "FigureRows",
    "FigureSpec",
    "Line",
    "MonthPoint",
    "Opportunity",
    "RepaymentRow",
    "RowsNotAllowed",
    "UnknownFigure",
    "YearOnYear",
    "comparisons_for_user",
    "dashboard_for",
    "dashboard_for_user",
    "dashboard_public",
    "figure_by_child_area",
    "figure_rows_for_user",
    "figure_spec",
    "figure_value",
]

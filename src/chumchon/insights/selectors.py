"""Figures of an area over a span of months, read from the rollups only.

The standard figures (the contract's ``chumchon figures`` / ``GET /api/areas/{code}/figures``):
``income`` is every income category except borrowing (F05, flagged ``borrowing``);
``expense`` is every expense category; ``production``, ``consumption`` and
``financial`` split the expense by group (so they add up to ``expense``; the loans
received, F05, are ``borrowing``, not part of ``financial``); ``avoidable`` and
``local_food`` sum the flagged categories; ``by_category`` lists every category.
Which categories each figure sums is ``ledgers.selectors.category_kinds``.

An aggregate-only reader (no person-level access to the area) gets figures of
published periods only (a month, a fiscal quarter, a fiscal year), and none of the
cells ``chumchon.insights.disclosure`` hides: the ones 1–4 households may stand
behind, and the complementary ones that would give them back by subtraction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area
from chumchon.core.pinned import versions_pinned
from chumchon.core.thai import Month
from chumchon.insights import disclosure
from chumchon.insights.dashboard import figures as F
from chumchon.insights.disclosure import REPORTING
from chumchon.ledgers.selectors import area_month_categories, category_kinds, household_months_reported
from chumchon.registry.selectors import SMALL_CELL, household_counts_for_user, households_in_period

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    area: str
    start: Month
    end: Month
    households: int | None  # registry.selectors.households_in_period: the area's households in the span
    households_reporting: int
    income: Decimal
    expense: Decimal
    production: Decimal
    consumption: Decimal
    financial: Decimal
    avoidable: Decimal
    local_food: Decimal
    borrowing: Decimal
    by_category: dict[str, Decimal] = field(default_factory=dict)
    suppressed: bool = False  # amounts hidden: fewer than 5 households for an aggregate-only reader
    # Households behind each figure and category: exactly for income and expense (with
    # some in the span); for the rest at least so many (the most in one month of the span).
    cells: dict[str, int] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()  # figures and categories hidden from this reader
    households_left: int | None = 0  # of ``households``, those that left during the span or since

    def as_json(self) -> dict[str, object]:
        def money(value: Decimal, key: str) -> float | None:
            return None if self.suppressed or key in self.hidden else float(value.quantize(CENT))

        return {
            "area": self.area,
            "from": self.start.iso(),
            "to": self.end.iso(),
            "households": self.households,
            "households_left_during": self.households_left,
            "households_reporting": None if REPORTING in self.hidden else self.households_reporting,
            "income": money(self.income, "income"),
            "expense": money(self.expense, "expense"),
            "production": money(self.production, "production"),
            "consumption": money(self.consumption, "consumption"),
            "financial": money(self.financial, "financial"),
            "avoidable": money(self.avoidable, "avoidable"),
            "local_food": money(self.local_food, "local_food"),
            "borrowing": money(self.borrowing, "borrowing"),
            "by_category": {code: money(v, code) for code, v in self.by_category.items()},
        }


def households_reporting(area_code: str, start: Month, end: Month) -> tuple[int, int, int]:
    """Households with at least one (net) ledger line in the span, and of them those
    with some income and with some expense (one query)."""
    counts = household_months_reported(area_code, start, end).aggregate(
        reporting=Count("household_id", distinct=True),
        income=Count("household_id", distinct=True, filter=Q(income__gt=0)),
        expense=Count("household_id", distinct=True, filter=Q(expense__gt=0)),
    )
    return counts["reporting"], counts["income"], counts["expense"]


@versions_pinned()
def area_figures(area_code: str, start: Month, end: Month) -> Figures:
    """The standard figures, unscoped (for the command line and for scoped callers)."""
    totals: dict[str, int] = {}
    floors: dict[str, int] = {}
    for code, satang, most in (
        area_month_categories([area_code], start, end)
        .values_list("category_id")
        .annotate(satang=Sum("amount"), most=Max("households"))
        .values_list("category_id", "satang", "most")
    ):
        totals[code], floors[code] = satang or 0, most or 0
    kinds = category_kinds()
    reporting, with_income, with_expense = households_reporting(area_code, start, end)
    registry = households_in_period(area_code, start, end, reporting=False)  # reporting: above
    by_category = {code: (Decimal(totals.get(code) or 0) / 100).quantize(CENT) for code in kinds.by_code}
    # The figures made of a group or a flag of categories, beside income and expense.
    made_of = F.figure_categories(kinds)
    sets = {key: made_of[key] for key in (*F.EXPENSE_GROUPS, F.AVOIDABLE, F.LOCAL_FOOD, F.BORROWING)}

    def total(codes: Iterable[str]) -> Decimal:
        return sum((by_category[code] for code in codes), Decimal(0))

    cells = {code: floors.get(code, 0) for code in kinds.by_code}
    cells |= {key: max((floors.get(code, 0) for code in codes), default=0) for key, codes in sets.items()}
    cells |= {"income": with_income, "expense": with_expense}

    return Figures(
        area=area_code,
        start=start,
        end=end,
        households=registry.registered,
        households_left=registry.left_during,
        households_reporting=reporting,
        income=total(kinds.income),
        expense=total(kinds.expense),
        production=total(sets["production"]),
        consumption=total(sets["consumption"]),
        financial=total(sets["financial"]),
        avoidable=total(sets["avoidable"]),
        local_food=total(sets["local_food"]),
        borrowing=total(sets["borrowing"]),
        by_category=by_category,
        cells=cells,
    )


@versions_pinned()
def area_figures_for_user(user: object, area: Area, start: Month, end: Month) -> Figures:
    """The figures of an area the user may see (the caller has scoped ``area``). An
    aggregate-only reader gets published periods only (``PeriodNotPublished``
    otherwise) and none of the cells ``insights.disclosure`` hides: no value 1–4
    households stand behind, nor one that subtraction would give back."""
    if scope_of(user).can_read_persons_in(area.code):
        return area_figures(area.code, start, end)
    disclosure.check_published(start, end)
    figures = area_figures(area.code, start, end)
    hidden = disclosure.hidden_cells(area.code, start, end)
    counts = household_counts_for_user(user, [area.code], start, end)[area.code]
    return dataclasses.replace(
        figures,
        suppressed=0 < figures.households_reporting < SMALL_CELL,
        hidden=hidden,
        households=counts.registered,
        households_left=counts.left_during,
    )

"""Figures of an area over a span of months, read from the rollups only.

The standard figures (the contract's ``chumchon figures`` / ``GET /api/areas/{code}/figures``):
``income`` is every income category except borrowing (F05, flagged ``borrowing``);
``expense`` is every expense category; ``production``, ``consumption`` and
``financial`` split the expense by group (so they add up to ``expense``; the loans
received, F05, are ``borrowing``, not part of ``financial``); ``avoidable`` and
``local_food`` sum the flagged categories; ``by_category`` lists every category.
Which categories each figure sums is ``ledgers.selectors.category_kinds``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from chumchon.access.scope import scope_of
from chumchon.areas.models import LEVEL_FIELD, Area, level_of
from chumchon.core.thai import Month
from chumchon.ledgers.models import AreaMonthCategory, HouseholdMonth
from chumchon.ledgers.selectors import category_kinds
from chumchon.registry.selectors import SMALL_CELL, household_count_in_area

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    area: str
    start: Month
    end: Month
    households: int
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

    def as_json(self) -> dict[str, object]:
        def money(value: Decimal) -> float | None:
            return None if self.suppressed else float(value.quantize(CENT))

        return {
            "area": self.area,
            "from": self.start.iso(),
            "to": self.end.iso(),
            "households": self.households,
            "households_reporting": self.households_reporting,
            "income": money(self.income),
            "expense": money(self.expense),
            "production": money(self.production),
            "consumption": money(self.consumption),
            "financial": money(self.financial),
            "avoidable": money(self.avoidable),
            "local_food": money(self.local_food),
            "borrowing": money(self.borrowing),
            "by_category": {code: money(v) for code, v in self.by_category.items()},
        }


def households_reporting(area_code: str, start: Month, end: Month) -> int:
    """Households with at least one (net) ledger line in the span."""
    column = LEVEL_FIELD[level_of(area_code)]
    return (
        HouseholdMonth.objects.filter(
            **{column: area_code}, month__gte=start.first_day, month__lte=end.first_day, entries__gt=0
        )
        .values("household_id")
        .distinct()
        .count()
    )


def area_figures(area_code: str, start: Month, end: Month) -> Figures:
    """The standard figures, unscoped (for the command line and for scoped callers)."""
    totals = dict(
        AreaMonthCategory.objects.filter(area_code=area_code, month__gte=start.first_day, month__lte=end.first_day)
        .values_list("category_id")
        .annotate(satang=Sum("amount"))
        .values_list("category_id", "satang")
    )
    kinds = category_kinds()
    by_category = {code: (Decimal(totals.get(code) or 0) / 100).quantize(CENT) for code in kinds.by_code}

    def total(codes: Iterable[str]) -> Decimal:
        return sum((by_category[code] for code in codes), Decimal(0))

    return Figures(
        area=area_code,
        start=start,
        end=end,
        households=household_count_in_area(area_code),
        households_reporting=households_reporting(area_code, start, end),
        income=total(kinds.income),
        expense=total(kinds.expense),
        production=total(kinds.group("production")),
        consumption=total(kinds.group("consumption")),
        financial=total(kinds.group("financial")),
        avoidable=total(kinds.flagged("avoidable")),
        local_food=total(kinds.flagged("local_food")),
        borrowing=total(kinds.flagged("borrowing")),
        by_category=by_category,
    )


def area_figures_for_user(user: object, area: Area, start: Month, end: Month) -> Figures:
    """The figures of an area the user may see (the caller has scoped ``area``); amounts
    are hidden from aggregate-only readers when fewer than 5 households reported."""
    figures = area_figures(area.code, start, end)
    if 0 < figures.households_reporting < SMALL_CELL and not scope_of(user).can_read_persons_in(area.code):
        return dataclasses.replace(figures, suppressed=True)
    return figures

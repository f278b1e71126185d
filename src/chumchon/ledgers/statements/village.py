"""A village in the statements: the median of its reporting households, read from
the rollups only, and which of its households a user may print."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import areas_qs
from chumchon.ledgers.models import (
    HouseholdMonth,
    HouseholdMonthCategory,
)
from chumchon.ledgers.selectors import category_kinds
from chumchon.ledgers.statements.common import CENT
from chumchon.ledgers.statements.period import Period
from chumchon.registry.models import Household
from chumchon.registry.selectors import (
    SMALL_CELL,
    household_heads_prefetch,
    households_kept_under,
    households_qs_for_user,
)


@dataclass(frozen=True)
class VillageMedians:
    """Per-month medians over the village's reporting households (see the module doc)."""

    village_code: str
    households: int  # households that reported in the period
    income: Decimal | None
    expense: Decimal | None
    avoidable: Decimal | None

    @property
    def shown(self) -> bool:
        return self.households >= SMALL_CELL


def village_medians(village_code: str, period: Period) -> VillageMedians:
    """Per-month medians of the village's reporting households, from the rollups only."""
    first, last = period.start.first_day, period.end.first_day
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # months, income, expense
    for household_id, income, expense in HouseholdMonth.objects.filter(
        village_code=village_code, month__gte=first, month__lte=last, entries__gt=0
    ).values_list("household_id", "income", "expense"):
        row = totals[household_id]
        row[0] += 1
        row[1] += income
        row[2] += expense
    avoidable_codes = category_kinds().flagged("avoidable")
    avoidable: dict[int, int] = defaultdict(int)
    reporting = HouseholdMonth.objects.filter(
        village_code=village_code, month__gte=first, month__lte=last, entries__gt=0
    )
    for household_id, amount in HouseholdMonthCategory.objects.filter(
        household_id__in=reporting.values("household_id"),
        month__gte=first,
        month__lte=last,
        category_id__in=avoidable_codes,
    ).values_list("household_id", "amount"):
        if household_id in totals:
            avoidable[household_id] += amount
    if not totals:
        return VillageMedians(village_code, 0, None, None, None)

    def median(values: Iterable[Decimal]) -> Decimal:
        return (Decimal(statistics.median(list(values))) / 100).quantize(CENT, rounding=ROUND_HALF_UP)

    per_month = {h: Decimal(months) for h, (months, _, _) in totals.items()}
    return VillageMedians(
        village_code=village_code,
        households=len(totals),
        income=median(Decimal(row[1]) / per_month[h] for h, row in totals.items()),
        expense=median(Decimal(row[2]) / per_month[h] for h, row in totals.items()),
        avoidable=median(Decimal(avoidable.get(h, 0)) / per_month[h] for h in totals),
    )


def village_get_for_statements(user: object, village_code: str) -> Area:
    """A village whose households ``user`` may read one by one; ``Area.DoesNotExist``
    when it is missing, not a village, or out of person-level scope (agencies)."""
    village = areas_qs().get(code=village_code, level=Level.VILLAGE)
    if not scope_of(user).can_read_persons_in(village.code):
        raise Area.DoesNotExist
    return village


def _reporting_in(period: Period) -> QuerySet[HouseholdMonth, Any]:
    return HouseholdMonth.objects.filter(
        month__gte=period.start.first_day, month__lte=period.end.first_day, entries__gt=0
    ).values("household_id")


def households_reporting_in_village(village_code: str, period: Period) -> QuerySet[Household]:
    """Unscoped (the command line): the village's households, not erased, that reported."""
    return (
        households_kept_under(village_code)
        .filter(pk__in=_reporting_in(period))
        .select_related("village")
        .order_by("code")
    )


def village_reporting_households_for_user(user: object, village: Area, period: Period) -> list[Household]:
    """The village's households (in scope, not erased) that reported in the period, by code."""
    return list(
        households_qs_for_user(user)
        .filter(village_id=village.code, erased_at__isnull=True, pk__in=_reporting_in(period))
        .select_related("village")
        .prefetch_related(household_heads_prefetch())
        .order_by("code")
    )

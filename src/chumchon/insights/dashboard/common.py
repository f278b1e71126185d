"""Readers of the rollups shared by the dashboard, the maps and the traces.

Every reader here takes an area code and a span and returns plain numbers in whole
satang (the rollups' unit); conversion to baht happens once, when a result is built.
Nothing here reads ledger entries.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, F, Max, Q, Sum, When

from chumchon.core.thai import Month, months_between
from chumchon.ledgers.selectors import (
    CategoryKinds,
    area_month_categories,
    household_month_categories,
    household_months_reported,
    household_months_reported_in,
)
from chumchon.registry.selectors import SMALL_CELL, DebtRecord, households_under, occupation_groups

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
ZERO = Decimal("0.00")


def baht(satang: int | Decimal) -> Decimal:
    return (Decimal(satang) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def per(satang: int | Decimal, divisor: int | Decimal) -> Decimal | None:
    """``satang / divisor`` in baht, ``None`` when there is nothing to divide by."""
    if not divisor:
        return None
    return (Decimal(satang) / Decimal(divisor) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE, rounding=ROUND_HALF_UP)


def median_baht(values: Iterable[Decimal]) -> Decimal | None:
    """The median of satang values, in baht: the statement's rounding
    (``chumchon.ledgers.statements.village_medians``)."""
    items = list(values)
    if not items:
        return None
    return (Decimal(statistics.median(items)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def small(n: int | None) -> bool:
    """A cell of 1–4 households: hidden from aggregate-only readers."""
    return n is not None and 0 < n < SMALL_CELL


# --- households --------------------------------------------------------------------


@dataclass
class HouseholdSum:
    """One reporting household's totals over the span (satang)."""

    months: int  # months it reported (at least one line that counts)
    income: int
    expense: int
    village: str
    occupation: str

    @property
    def surplus(self) -> int:
        return self.income - self.expense

    def monthly(self, satang: int) -> Decimal:
        return Decimal(satang) / Decimal(self.months)

    def yearly_surplus(self) -> Decimal:
        """Surplus over the span scaled to 12 months (by the months it reported)."""
        return Decimal(self.surplus) * 12 / Decimal(self.months)


@dataclass(frozen=True)
class Registered:
    """Every household's occupation group under an area (those that left included).
    How many households the area has in a span is ``households_in_period``'s."""

    occupation: dict[int, str]


def registered(area_code: str) -> Registered:
    """One query."""
    rows = households_under(area_code).values_list("pk", "occupation_group").order_by()
    return Registered({pk: group or "" for pk, group in rows})


def household_sums(
    area_code: str, start: Month, end: Month, occupation: dict[int, str] | None = None
) -> dict[int, HouseholdSum]:
    """Every household that reported in the span under the area, from ``HouseholdMonth``
    grouped by household (one query; joined to the registry for the occupation groups
    unless they are given: the join costs more than reading them apart)."""
    fields = ["household_id", "village_code"] + (["household__occupation_group"] if occupation is None else [])
    out: dict[int, HouseholdSum] = {}
    for household_id, village, *group, months, income, expense in (
        household_months_reported(area_code, start, end)
        .values(*fields)
        .annotate(months=Count("id"), income=Sum("income"), expense=Sum("expense"))
        .values_list(*fields, "months", "income", "expense")
        .order_by()
    ):
        found = out.get(household_id)
        if found is None:
            known = group[0] if group else (occupation or {}).get(household_id, "")
            out[household_id] = HouseholdSum(months, income or 0, expense or 0, village, known or "")
        else:  # a household whose lines were written in two villages (it moved)
            found.months += months
            found.income += income or 0
            found.expense += expense or 0
    if occupation:  # reporting households that moved out since: their own group, as
        # ``household_and_month_sums`` has it (and the disclosure tables count it)
        for pk, group in occupation_groups(pk for pk in out if pk not in occupation).items():
            out[pk].occupation = group
    return out


@dataclass
class MonthSum:
    reporting: int
    income: int
    expense: int


def household_and_month_sums(
    area_code: str, start: Month, end: Month, occupation: dict[int, str], also: Month | None = None
) -> tuple[dict[int, HouseholdSum], dict[Month, MonthSum]]:
    """``household_sums`` and each month's reporting households, income and expense (the
    span's months and ``also``) from one read of the area's ``HouseholdMonth`` rows:
    cheaper than two aggregated queries for a village or a tambon (~22,000 rows a year
    for 1,800 households); a second query only for reporting households that have
    moved out of the area since (their occupation group)."""
    span_first, span_last = start.first_day, end.first_day
    extra = [also] if also is not None and not start <= also <= end else []
    households: dict[int, HouseholdSum] = {}
    months: dict[dt.date, MonthSum] = {}
    for household_id, month, village, income, expense in (
        household_months_reported(area_code, start, end, also=extra)
        .values_list("household_id", "month", "village_code", "income", "expense")
        .order_by()
    ):
        m = months.get(month)
        if m is None:
            months[month] = MonthSum(1, income, expense)
        else:
            m.reporting += 1
            m.income += income
            m.expense += expense
        if not span_first <= month <= span_last:
            continue
        h = households.get(household_id)
        if h is None:
            households[household_id] = HouseholdSum(1, income, expense, village, occupation.get(household_id, ""))
        else:
            h.months += 1
            h.income += income
            h.expense += expense
    for pk, group in occupation_groups(pk for pk in households if pk not in occupation).items():  # moved away since
        households[pk].occupation = group
    wanted = [*months_between(start, end), *([also] if also is not None else [])]
    return households, {m: months.get(m.first_day) or MonthSum(0, 0, 0) for m in wanted}


def month_sums(area_code: str, months: Iterable[Month]) -> dict[Month, MonthSum]:
    """Reporting households, income and expense of each month asked (one aggregated query)."""
    wanted = sorted(set(months))
    out = {m: MonthSum(0, 0, 0) for m in wanted}
    for month, n, income, expense in (
        household_months_reported_in(area_code, wanted)
        .values("month")
        .annotate(n=Count("id"), income=Sum("income"), expense=Sum("expense"))  # one row a household a month
        .values_list("month", "n", "income", "expense")
        .order_by()
    ):
        out[Month.of(month)] = MonthSum(n, income or 0, expense or 0)
    return out


def category_totals(area_codes: list[str], start: Month, end: Month) -> dict[str, dict[str, int]]:
    """Totals by area and category over the span from ``AreaMonthCategory`` (one query)."""
    return category_totals_and_floors(area_codes, start, end)[0]


def category_totals_and_floors(
    area_codes: list[str], start: Month, end: Month
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Totals by area and category over the span, and the *floor* of the households
    behind each: the most households with lines in it in any one month of the span
    (``AreaMonthCategory.households``). The households behind the span's total are at
    least that many — exactly that many for a span of one month (one query)."""
    totals: dict[str, dict[str, int]] = {code: defaultdict(int) for code in area_codes}
    floors: dict[str, dict[str, int]] = {code: defaultdict(int) for code in area_codes}
    if not area_codes:
        return totals, floors
    for code, category, amount, most in (
        area_month_categories(area_codes, start, end)
        .values("area_code", "category_id")
        .annotate(satang=Sum("amount"), most=Max("households"))
        .values_list("area_code", "category_id", "satang", "most")
    ):
        totals[code][category] += amount or 0
        floors[code][category] = max(floors[code][category], most or 0)
    return totals, floors


def category_households(
    household_ids: Iterable[int], start: Month, end: Month, sets: Mapping[str, Sequence[str]]
) -> dict[str, int]:
    """How many of these households have at least one line that counts, per category and
    per named set of categories (groups, flags), in the span (one query).

    It reads every category row of every household (``HouseholdMonthCategory``), so it
    is only asked for a village: a tambon of 1,800 households has some 350,000 such
    rows a year, too many to read for a page (see ``compute``)."""
    ids = list(household_ids)
    if not ids:
        return {}
    by_category: dict[str, set[int]] = defaultdict(set)
    for household_id, category in (
        household_month_categories(start, end, household_ids=ids).values_list("household_id", "category_id").distinct()
    ):
        by_category[category].add(household_id)
    out = {code: len(members) for code, members in by_category.items()}
    for key, codes in sets.items():
        out[key] = len(set().union(*(by_category.get(c, set()) for c in codes)))
    return out


# --- debts -------------------------------------------------------------------------


@dataclass(frozen=True)
class DebtChange:
    fell: set[int]
    cleared: set[int]  # a subset of ``fell``


def debt_change(
    area_code: str, start: Month, end: Month, debts: dict[int, list[DebtRecord]], cats: CategoryKinds
) -> DebtChange:
    """Households whose debt fell or was cleared over the span.

    *Fell*: the household's own accounts show more principal repaid (F01, flag
    ``debt_principal``) than loans received (F05, flag ``borrowing``) over the span.
    *Cleared*: the household had principal outstanding at the start of the span and
    none at its end. Its balance is the registry's record (the latest ``Debt`` row per
    source; the household's reference date is the latest of their ``as_of``) moved by
    the principal repaid and the loans received in its accounts: lines of the months
    after the record's date are subtracted (repaid) or added (borrowed), lines before
    it added back. A record dated on the 1st counts its own month as after it.
    """
    principal_codes = cats.flagged("debt_principal")
    flow_codes = principal_codes + cats.flagged("borrowing")
    first = start.first_day
    reference: dict[int, tuple[dt.date, int]] = {}  # first month after the record, balance
    for household_id, records in debts.items():
        as_of = max(r.as_of for r in records)
        after = as_of if as_of.day == 1 else Month.of(as_of).next().first_day
        reference[household_id] = (after, sum(r.principal for r in records))
    # One row a household: the span's net, and for each month a record dates from, the
    # net between it and the span's start (a handful of distinct dates in practice).
    dates = sorted({after for after, _ in reference.values() if after != first})
    lowest = min([first, *dates])
    repaid = Case(When(category_id__in=principal_codes, then=F("amount")), default=-F("amount"))
    sums = {"in_span": Sum(repaid, filter=Q(month__gte=first))}
    for i, after in enumerate(dates):
        between = Q(month__gte=after, month__lt=first) if after < first else Q(month__gte=first, month__lt=after)
        sums[f"d{i}"] = Sum(repaid, filter=between)
    column = {after: f"d{i}" for i, after in enumerate(dates)}
    in_span: dict[int, int] = {}  # principal repaid net of loans received
    moved: dict[int, int] = {}  # the change of the balance between the record and the span's start
    position = {name: i for i, name in enumerate(sums, start=1)}
    for row in (
        household_month_categories(Month.of(lowest), end, area_code=area_code, categories=flow_codes, reported=False)
        .values("household_id")
        .annotate(**sums)
        .values_list("household_id", *sums)
        .order_by()
    ):
        household_id = row[0]
        in_span[household_id] = row[1] or 0
        ref = reference.get(household_id)
        if ref is not None and ref[0] != first:
            net = row[position[column[ref[0]]]] or 0
            # repaid before the span: less owed at its start; in the span before the record: more
            moved[household_id] = -net if ref[0] < first else net
    fell = {h for h, net in in_span.items() if net > 0}
    cleared = set()
    for household_id, (_, balance) in reference.items():
        at_start = balance + moved.get(household_id, 0)
        if at_start > 0 and at_start - in_span.get(household_id, 0) <= 0:
            cleared.add(household_id)
    return DebtChange(fell=fell, cleared=cleared)

"""Enterprise profit and loss, and the lines that can be tagged to an enterprise."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from chumchon.areas.models import under_q
from chumchon.ledgers.models import (
    Enterprise,
    Group,
    LedgerEntry,
)
from chumchon.ledgers.selectors import CategoryKind, category_kinds
from chumchon.ledgers.statements.common import CENT, ZERO
from chumchon.registry.models import Household
from chumchon.registry.selectors import households_qs_for_user


@dataclass(frozen=True)
class PnlLine:
    code: str
    name: str
    amount: Decimal
    lines: int


@dataclass(frozen=True)
class EnterprisePnl:
    enterprise: Enterprise
    revenue_lines: list[PnlLine]
    production_lines: list[PnlLine]
    other_cost_lines: list[PnlLine]
    excluded_lines: list[PnlLine]  # tagged, but not revenue or cost: loans, principal, savings
    lines: int  # tagged lines that count (net of reversals)
    first_date: dt.date | None
    last_date: dt.date | None

    @property
    def revenue(self) -> Decimal:
        return sum((line.amount for line in self.revenue_lines), ZERO)

    @property
    def production_costs(self) -> Decimal:
        return sum((line.amount for line in self.production_lines), ZERO)

    @property
    def other_costs(self) -> Decimal:
        return sum((line.amount for line in self.other_cost_lines), ZERO)

    @property
    def costs(self) -> Decimal:
        return self.production_costs + self.other_costs

    @property
    def profit(self) -> Decimal:
        return self.revenue - self.costs

    def _per_rai(self, value: Decimal) -> Decimal | None:
        area = self.enterprise.area_rai
        if not area or area <= 0:
            return None
        return (value / area).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def cost_per_rai(self) -> Decimal | None:
        return self._per_rai(self.costs)

    @property
    def revenue_per_rai(self) -> Decimal | None:
        return self._per_rai(self.revenue)

    @property
    def profit_per_rai(self) -> Decimal | None:
        return self._per_rai(self.profit)


def _pnl_part(cat: CategoryKind) -> str:
    """Where a tagged line's category goes in the profit and loss (see the package doc)."""
    if cat.is_income:
        return "revenue"
    if cat.spending_group == Group.PRODUCTION:
        return "production"
    if cat.is_expense and not cat.flags & {"debt_principal", "saving"}:
        return "other"
    return "excluded"


def enterprise_pnls(household: Household, enterprises: Iterable[Enterprise] | None = None) -> list[EnterprisePnl]:
    """Profit and loss of each enterprise of a household (scoped by the caller)."""
    items = list(enterprises) if enterprises is not None else list(household.enterprises.all())
    if not items:
        return []
    categories = category_kinds().by_code
    amounts: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    span: dict[int, list[dt.date]] = defaultdict(list)
    for enterprise_id, code, amount, date, reverses_id in LedgerEntry.objects.filter(
        household=household, enterprise_id__in=[e.pk for e in items]
    ).values_list("enterprise_id", "category_id", "amount", "date", "reverses_id"):
        amounts[enterprise_id][code] += amount
        counts[enterprise_id][code] += -1 if reverses_id else 1
        span[enterprise_id].append(date)
    out = []
    for e in items:
        revenue: list[PnlLine] = []
        production: list[PnlLine] = []
        other: list[PnlLine] = []
        excluded: list[PnlLine] = []
        for code in sorted(amounts[e.pk], key=lambda c: (categories[c].sort_order if c in categories else 0, c)):
            amount, count = amounts[e.pk][code], counts[e.pk][code]
            if not amount and not count:
                continue
            cat = categories[code]
            line = PnlLine(code=code, name=cat.name_th, amount=amount.quantize(CENT), lines=count)
            {"revenue": revenue, "production": production, "other": other, "excluded": excluded}[_pnl_part(cat)].append(
                line
            )
        dates = span.get(e.pk, [])
        out.append(
            EnterprisePnl(
                enterprise=e,
                revenue_lines=revenue,
                production_lines=production,
                other_cost_lines=other,
                excluded_lines=excluded,
                lines=sum(line.lines for line in (*revenue, *production, *other, *excluded)),
                first_date=min(dates) if dates else None,
                last_date=max(dates) if dates else None,
            )
        )
    return out


@dataclass(frozen=True)
class EnterpriseResult:
    """One enterprise's revenue and costs over a span, for the figures of an area."""

    pk: int
    village_code: str
    kind: str
    area_rai: Decimal | None
    revenue: Decimal
    costs: Decimal
    ends_on: dt.date | None = None  # a season's last day (None: an ongoing business)

    @property
    def profit(self) -> Decimal:
        return self.revenue - self.costs

    @property
    def cost_per_rai(self) -> Decimal | None:
        return (self.costs / self.area_rai).quantize(CENT, rounding=ROUND_HALF_UP) if self.area_rai else None

    @property
    def profit_per_rai(self) -> Decimal | None:
        return (self.profit / self.area_rai).quantize(CENT, rounding=ROUND_HALF_UP) if self.area_rai else None


def enterprise_results(area_code: str, start: dt.date, end: dt.date) -> list[EnterpriseResult]:
    """Every enterprise of the households at or under ``area_code`` with tagged lines
    dated in [start, end], with its revenue and costs from those lines (as its profit
    and loss counts them). Unscoped: for figures the caller protects (``insights``)."""
    categories = category_kinds().by_code
    revenue: dict[int, Decimal] = defaultdict(lambda: ZERO)
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    counted: dict[int, int] = defaultdict(int)
    rows = LedgerEntry.objects.filter(
        under_q(area_code, village_field="village_id"), enterprise__isnull=False, date__gte=start, date__lte=end
    ).values_list("enterprise_id", "category_id", "amount", "reverses_id")
    for enterprise_id, code, amount, reverses_id in rows:
        part = _pnl_part(categories[code])
        if part == "revenue":
            revenue[enterprise_id] += amount
        elif part in ("production", "other"):
            costs[enterprise_id] += amount
        else:
            continue
        counted[enterprise_id] += -1 if reverses_id else 1
    ids = [pk for pk, n in counted.items() if n > 0]
    meta = Enterprise.objects.filter(pk__in=ids).values_list(
        "pk", "household__village_id", "kind", "area_rai", "ends_on"
    )
    return sorted(
        (
            EnterpriseResult(
                pk=pk, village_code=village, kind=kind, area_rai=rai,
                revenue=revenue[pk].quantize(CENT), costs=costs[pk].quantize(CENT), ends_on=ends_on,
            )
            for pk, village, kind, rai, ends_on in meta
        ),
        key=lambda r: r.pk,
    )  # fmt: skip


def enterprises_qs_for_user(user: object) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(household__in=households_qs_for_user(user))


def enterprise_get_for_user(user: object, household_id: int, pk: int) -> Enterprise:
    """An enterprise of a household in scope; ``Enterprise.DoesNotExist`` otherwise."""
    return enterprises_qs_for_user(user).select_related("household__village").get(pk=pk, household_id=household_id)


@dataclass(frozen=True)
class TagLine:
    entry: LedgerEntry
    enterprise: Enterprise | None


def enterprise_tag_candidates(
    enterprise: Enterprise, *, start: dt.date, end: dt.date, limit: int = 500
) -> list[TagLine]:
    """The household's lines in [start, end] that can be tagged: lines as written, not
    reversals and not lines already taken back out (those count for nothing)."""
    rows = (
        LedgerEntry.objects.filter(household_id=enterprise.household_id, date__gte=start, date__lte=end)
        .filter(reverses__isnull=True, reversed_by__isnull=True)
        .select_related("category", "enterprise")
        .order_by("date", "id")[:limit]
    )
    return [TagLine(entry=e, enterprise=e.enterprise) for e in rows]

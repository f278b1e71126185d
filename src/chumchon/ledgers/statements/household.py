"""One household's statement ("รู้จักตัวเอง"), built for many households at once with a
handful of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from chumchon.areas.models import Area
from chumchon.areas.selectors import area_ancestors, areas_qs
from chumchon.core.thai import Month
from chumchon.ledgers.models import (
    Group,
    HouseholdMonth,
    HouseholdMonthCategory,
)
from chumchon.ledgers.selectors import CategoryKind, area_default_month, category_kinds
from chumchon.ledgers.statements.common import (
    CENT,
    MAX_DEBTS,
    MAX_FLAGGED_ITEMS,
    MAX_INCOME_SOURCES,
    MAX_TOP_CATEGORIES,
    ZERO,
    baht_of_satang,
    percent_of,
)
from chumchon.ledgers.statements.period import Period
from chumchon.ledgers.statements.village import VillageMedians, village_medians
from chumchon.registry.models import Debt, Household
from chumchon.registry.selectors import debts_of_households, household_get_for_user, household_head_names


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: ``width`` is 0–100 (% of the longest bar)."""

    label: str
    amount: Decimal
    width: int
    percent: int | None = None  # of the whole the chart divides (income, expense)
    code: str = ""


@dataclass(frozen=True)
class DebtLine:
    source: str
    principal: Decimal
    interest_rate: Decimal
    monthly_payment: Decimal
    as_of: dt.date


@dataclass(frozen=True)
class Comparison:
    """The household against the village median, both per month."""

    label: str
    household: Decimal | None
    median: Decimal | None
    household_width: int = 0
    median_width: int = 0


@dataclass(frozen=True)
class Statement:
    household: Household
    head_name: str
    village: Area
    places: list[Area]  # tambon, district, province
    period: Period
    months_reported: int
    income: Decimal
    expense: Decimal
    production: Decimal
    consumption: Decimal
    financial: Decimal
    avoidable: Decimal
    local_food: Decimal
    borrowing: Decimal
    principal_paid: Decimal
    interest_paid: Decimal
    saving: Decimal
    income_sources: list[Bar]
    spending_groups: list[Bar]
    top_categories: list[Bar]
    categories_used: int  # expense categories with spending in the period
    avoidable_items: list[Bar]
    local_food_items: list[Bar]
    debts: list[DebtLine]
    debts_more: int  # debts beyond MAX_DEBTS, included in debt_owed
    debt_owed: Decimal
    debt_monthly_payment: Decimal
    medians: VillageMedians
    comparison: list[Comparison]
    generated_on: dt.date
    by_category: dict[str, Decimal] = field(default_factory=dict)

    @property
    def balance(self) -> Decimal:
        return self.income - self.expense

    @property
    def balance_abs(self) -> Decimal:
        return abs(self.balance)

    @property
    def debt_paid(self) -> Decimal:
        return self.principal_paid + self.interest_paid

    @property
    def avoidable_percent(self) -> int | None:
        return percent_of(self.avoidable, self.expense)

    @property
    def local_food_percent(self) -> int | None:
        return percent_of(self.local_food, self.expense)

    @property
    def has_data(self) -> bool:
        return self.months_reported > 0

    @property
    def months_in_period(self) -> int:
        return len(self.period.months)

    def as_json(self) -> dict[str, object]:
        def money(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "household": self.household.code,
            "period": self.period.as_json(),
            "months_reported": self.months_reported,
            "income": money(self.income),
            "expense": money(self.expense),
            "balance": money(self.balance),
            "production": money(self.production),
            "consumption": money(self.consumption),
            "financial": money(self.financial),
            "avoidable": money(self.avoidable),
            "local_food": money(self.local_food),
            "borrowing": money(self.borrowing),
            "principal_paid": money(self.principal_paid),
            "interest_paid": money(self.interest_paid),
            "debt_owed": money(self.debt_owed),
            "village_median": {
                "households": self.medians.households,
                "shown": self.medians.shown,
                "income": money(self.medians.income) if self.medians.shown else None,
                "expense": money(self.medians.expense) if self.medians.shown else None,
                "avoidable": money(self.medians.avoidable) if self.medians.shown else None,
            },
        }


def _bars(items: list[tuple[str, str, Decimal]], *, whole: Decimal, limit: int, other_label: str = "อื่น ๆ") -> list[Bar]:
    """Largest first; beyond ``limit`` rows, one "other" row sums the rest."""
    items = sorted((i for i in items if i[2] > 0), key=lambda i: (-i[2], i[0]))
    if len(items) > limit:
        rest = items[limit - 1 :]
        items = [*items[: limit - 1], ("", f"{other_label} ({len(rest)} หมวด)", sum((i[2] for i in rest), ZERO))]
    top = max((i[2] for i in items), default=ZERO)
    return [
        Bar(
            label=label,
            amount=amount,
            width=_width(amount, top),
            percent=percent_of(amount, whole),
            code=code,
        )
        for code, label, amount in items
    ]


def _width(value: Decimal | None, top: Decimal | None) -> int:
    if not value or not top or value <= 0 or top <= 0:
        return 0
    return max(1, min(100, int((value * 100 / top).quantize(Decimal(1), rounding=ROUND_HALF_UP))))


def statements_build(households: list[Household], period: Period) -> list[Statement]:
    """Statements of these households (already scoped by the caller), a handful of
    queries for any number of households."""
    if not households:
        return []
    ids = [h.pk for h in households]
    first, last = period.start.first_day, period.end.first_day
    categories = category_kinds().by_code
    amounts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for household_id, code, amount in HouseholdMonthCategory.objects.filter(
        household_id__in=ids, month__gte=first, month__lte=last
    ).values_list("household_id", "category_id", "amount"):
        amounts[household_id][code] += amount
    months_reported: dict[int, int] = defaultdict(int)
    for household_id in HouseholdMonth.objects.filter(
        household_id__in=ids, month__gte=first, month__lte=last, entries__gt=0
    ).values_list("household_id", flat=True):
        months_reported[household_id] += 1
    heads = household_head_names(ids)
    debts: dict[int, list[Debt]] = defaultdict(list, debts_of_households(ids))
    village_codes = {h.village_id for h in households}
    villages = areas_qs().in_bulk(list(village_codes))
    places = {code: list(reversed(area_ancestors(v))) for code, v in villages.items()}
    medians = {code: village_medians(code, period) for code in village_codes}
    today = timezone.localdate()
    return [
        _statement(
            h,
            period=period,
            categories=categories,
            amounts=amounts.get(h.pk, {}),
            months_reported=months_reported.get(h.pk, 0),
            head_name=heads.get(h.pk, ""),
            debts=debts.get(h.pk, []),
            village=villages[h.village_id],
            places=places[h.village_id],
            medians=medians[h.village_id],
            today=today,
        )
        for h in households
    ]


def _statement(
    household: Household,
    *,
    period: Period,
    categories: Mapping[str, CategoryKind],
    amounts: Mapping[str, int],
    months_reported: int,
    head_name: str,
    debts: list[Debt],
    village: Area,
    places: list[Area],
    medians: VillageMedians,
    today: dt.date,
) -> Statement:
    by_category = {code: baht_of_satang(satang) for code, satang in amounts.items() if satang}
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    income_items: list[tuple[str, str, Decimal]] = []
    expense_items: list[tuple[str, str, Decimal]] = []
    avoidable_items: list[tuple[str, str, Decimal]] = []
    local_items: list[tuple[str, str, Decimal]] = []
    for code, amount in by_category.items():
        cat = categories.get(code)
        if cat is None:  # pragma: no cover - a rollup row always has its category
            continue
        if cat.is_income:
            sums["income"] += amount
            income_items.append((code, cat.name_th, amount))
        if cat.is_expense:
            sums["expense"] += amount
            expense_items.append((code, cat.name_th, amount))
        if cat.spending_group is not None:
            sums[cat.spending_group] += amount
        for flag in ("avoidable", "local_food", "debt_principal", "interest", "saving", "borrowing"):
            if flag in cat.flags:
                sums[flag] += amount
        if "avoidable" in cat.flags:
            avoidable_items.append((code, cat.name_th, amount))
        if "local_food" in cat.flags:
            local_items.append((code, cat.name_th, amount))
    income, expense = sums["income"], sums["expense"]
    groups = [
        (Group.PRODUCTION.value, "ต้นทุนการผลิต", sums[Group.PRODUCTION]),
        (Group.CONSUMPTION.value, "ค่าใช้จ่ายในครัวเรือน", sums[Group.CONSUMPTION]),
        (Group.FINANCIAL.value, "การเงิน (หนี้ ดอกเบี้ย เงินออม ประกัน)", sums[Group.FINANCIAL]),
    ]
    group_top = max((g[2] for g in groups), default=ZERO)
    spending_groups = [
        Bar(label=label, amount=amount, width=_width(amount, group_top), percent=percent_of(amount, expense), code=code)
        for code, label, amount in groups
    ]
    debt_lines = [
        DebtLine(
            source=d.get_source_display(),
            principal=d.principal,
            interest_rate=d.interest_rate,
            monthly_payment=d.monthly_payment,
            as_of=d.as_of,
        )
        for d in debts
    ]
    own = (
        {
            "income": income / months_reported,
            "expense": expense / months_reported,
            "avoidable": sums["avoidable"] / months_reported,
        }
        if months_reported
        else {}
    )
    comparison = []
    for key, label in (
        ("income", "รายรับต่อเดือน"),
        ("expense", "รายจ่ายต่อเดือน"),
        ("avoidable", "เหล้า บุหรี่ หวย ต่อเดือน"),
    ):
        mine = own[key].quantize(CENT, rounding=ROUND_HALF_UP) if key in own else None
        median = getattr(medians, key) if medians.shown else None
        top = max((v for v in (mine, median) if v is not None), default=None)
        comparison.append(
            Comparison(
                label=label,
                household=mine,
                median=median,
                household_width=_width(mine, top),
                median_width=_width(median, top),
            )
        )
    return Statement(
        household=household,
        head_name=head_name,
        village=village,
        places=places,
        period=period,
        months_reported=months_reported,
        income=income,
        expense=expense,
        production=sums[Group.PRODUCTION],
        consumption=sums[Group.CONSUMPTION],
        financial=sums[Group.FINANCIAL],
        avoidable=sums["avoidable"],
        local_food=sums["local_food"],
        borrowing=sums["borrowing"],
        principal_paid=sums["debt_principal"],
        interest_paid=sums["interest"],
        saving=sums["saving"],
        income_sources=_bars(income_items, whole=income, limit=MAX_INCOME_SOURCES, other_label="รายรับอื่น ๆ"),
        spending_groups=spending_groups,
        top_categories=_bars(expense_items, whole=expense, limit=MAX_TOP_CATEGORIES, other_label="หมวดอื่น ๆ"),
        categories_used=sum(1 for item in expense_items if item[2] > 0),
        avoidable_items=_bars(avoidable_items, whole=expense, limit=MAX_FLAGGED_ITEMS),
        local_food_items=_bars(local_items, whole=expense, limit=MAX_FLAGGED_ITEMS),
        debts=debt_lines[:MAX_DEBTS],
        debts_more=max(0, len(debt_lines) - MAX_DEBTS),
        debt_owed=sum((d.principal for d in debt_lines), ZERO),
        debt_monthly_payment=sum((d.monthly_payment for d in debt_lines), ZERO),
        medians=medians,
        comparison=comparison,
        generated_on=today,
        by_category=by_category,
    )


def statement_default_month(household: Household, *, today: dt.date | None = None) -> Month:
    """The household's village's default month (``ledgers.selectors.area_default_month``,
    the one definition every default uses) when the household reported in it, else the
    household's latest month before it with accounts, else the village's month."""
    village_month = area_default_month(household.village_id, today=today).month
    latest = (
        HouseholdMonth.objects.filter(household=household, entries__gt=0, month__lte=village_month.first_day)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return Month.of(latest) if latest is not None else village_month


def statement_for_user(user: object, household_id: int, period: Period) -> Statement:
    """One household's statement; ``Household.DoesNotExist`` when missing or out of scope."""
    household = household_get_for_user(user, household_id)
    (statement,) = statements_build([household], period)
    return statement

"""The results of the area dashboard (issue 5), as frozen dataclasses.

Money is ``Decimal`` baht quantized to 0.01; shares are ``Decimal`` between 0 and 1
(quantized to 0.0001). ``None`` means "not shown": the figure is suppressed for an
aggregate-only reader (fewer than ``SMALL_CELL`` households behind it) or there is
nothing to divide by.

"Per household per month" (``*_per_household_month``, ``income_mean`` …) is the
total over the span divided by the *household-months reported*: the number of
(household, month) pairs with at least one ledger line that counts. A household that
reported 6 months of 12 is not made to look half as well off, and the lines of a
list add up to the headline mean. Medians are taken over the reporting households of
each household's own total divided by the months it reported (the statement's
definition, ``chumchon.ledgers.statements.village_medians``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise

from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.ledgers.models import LedgerEntry

StrOrPromise = str | Promise


@dataclass(frozen=True)
class Line:
    """One row of a breakdown (a category, a group of categories or a debt source)."""

    code: str  # category code (``C02``), group (``production``) or debt source (``D01``)
    name_th: str
    name_en: str
    total: Decimal | None  # over the span, baht
    per_household_month: Decimal | None  # total / household-months reported
    # Reporting households with a line that counts on this line: counted for a village
    # only (None above a village, or when hidden; see compute's "Small cells").
    households: int | None

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if (translation.get_language() or "th").startswith("en") and self.name_en else self.name_th


@dataclass(frozen=True)
class Opportunity:
    """A local-food purchase the area could produce itself, as a plain sentence."""

    code: str  # category code (C01 rice, C02 eggs, C03 vegetables, C04 meat and fish)
    per_month: Decimal | None  # the area's whole purchase per month of the span, baht
    sentence: str  # "หมู่บ้านนี้ซื้อไข่เดือนละ ฿12,300" (empty when suppressed)


@dataclass(frozen=True)
class DebtSourceLine:
    """Debts of one source (ธ.ก.ส., village fund …), latest record per household and source."""

    code: str  # DebtSource value (D01 …)
    label: str
    households: int | None
    principal: Decimal | None  # principal outstanding
    monthly_payment: Decimal | None


@dataclass(frozen=True)
class MonthPoint:
    """One month of the trend: the area's totals that month (baht)."""

    month: Month
    reporting: int | None
    income: Decimal | None
    expense: Decimal | None
    surplus: Decimal | None  # income - expense
    income_per_household: Decimal | None = None  # income / reporting
    expense_per_household: Decimal | None = None  # expense / reporting


@dataclass(frozen=True)
class YearOnYear:
    """The end month beside the same month a year before (area totals, baht)."""

    month: Month
    previous: Month
    reporting: int | None
    reporting_previous: int | None
    income: Decimal | None
    income_previous: Decimal | None
    expense: Decimal | None
    expense_previous: Decimal | None
    income_per_household: Decimal | None = None
    income_per_household_previous: Decimal | None = None
    expense_per_household: Decimal | None = None
    expense_per_household_previous: Decimal | None = None


@dataclass(frozen=True)
class RepaymentRow:
    """Seed 001's table: the debt a group's surplus could repay in a year."""

    occupation_group: str  # OccupationGroup value, "" for households without one
    label: str
    households: int | None  # reporting households of the group
    avg_yearly_surplus: Decimal | None  # mean of (surplus over the span / months reported × 12)
    total_debt: Decimal | None  # principal outstanding of the group's households
    repayable_debt: Decimal | None  # min(total_debt, max(0, sum of yearly surplus))
    share_repayable: Decimal | None  # repayable_debt / total_debt


@dataclass(frozen=True)
class Comparison:
    """A village's figure beside the median of its tambon's and its district's villages."""

    key: str  # "income", "expense", "avoidable", "local_food", … or "category:C08"
    label: str
    value: Decimal | None  # the village, per household per month (baht) or a share
    tambon_median: Decimal | None
    district_median: Decimal | None
    diff_vs_tambon: Decimal | None  # (value - tambon_median) / tambon_median
    diff_vs_district: Decimal | None
    flagged: bool = False
    sentence: str = ""  # "ค่าเครื่องดื่มแอลกอฮอล์สูงกว่าค่ากลางของตำบล 35%" when flagged


@dataclass(frozen=True)
class Dashboard:
    area_code: str
    area_name: str  # display name (ต.ไก่คำ, หมู่ 3 บ้านนาแต้)
    level: str  # Level value: province, district, tambon, village
    start: Month
    end: Month
    months: int  # months in the span
    households: int | None  # registry.selectors.households_in_period: the area's households in the span
    reporting: int | None  # households with at least one line in the span
    household_months: int | None  # (household, month) pairs reported
    suppressed: bool  # aggregate-only reader and 1–4 reporting: every amount is None
    households_left: int | None = 0  # of ``households``, those that left during the span or since
    income_median: Decimal | None = None  # per household per month
    income_mean: Decimal | None = None
    expense_median: Decimal | None = None
    expense_mean: Decimal | None = None
    surplus_median: Decimal | None = None
    surplus_mean: Decimal | None = None
    income_total: Decimal | None = None  # over the span, the whole area
    expense_total: Decimal | None = None
    deficit_households: int | None = None  # reporting households whose expense exceeded income over the span
    deficit_share: Decimal | None = None  # deficit_households / reporting
    income_by_source: list[Line] = field(default_factory=list)  # income categories without borrowing
    spending_by_group: list[Line] = field(default_factory=list)  # production, consumption, financial
    spending_by_category: list[Line] = field(default_factory=list)  # every expense category
    production_costs: list[Line] = field(default_factory=list)  # the production group by item
    avoidable_by_category: list[Line] = field(default_factory=list)  # alcohol, tobacco, gambling
    avoidable_total: Decimal | None = None
    avoidable_per_household_month: Decimal | None = None
    local_food: list[Line] = field(default_factory=list)  # rice, eggs, vegetables, meat and fish
    local_food_total: Decimal | None = None
    local_food_per_household_month: Decimal | None = None
    opportunities: list[Opportunity] = field(default_factory=list)  # largest first
    borrowing_total: Decimal | None = None  # loans received (F05), not income
    interest_paid: Decimal | None = None  # F02 over the span
    principal_repaid: Decimal | None = None  # F01 over the span
    debts_by_source: list[DebtSourceLine] = field(default_factory=list)
    debt_households: int | None = None  # households with principal outstanding
    debt_total: Decimal | None = None
    debt_fell: int | None = None  # see common.debt_change
    debt_cleared: int | None = None
    trend: list[MonthPoint] = field(default_factory=list)
    same_month_last_year: YearOnYear | None = None
    repayment: list[RepaymentRow] = field(default_factory=list)
    repayment_total: RepaymentRow | None = None  # every reporting household
    comparisons: list[Comparison] = field(default_factory=list)  # villages only

    @property
    def flagged(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.flagged]

    @property
    def has_data(self) -> bool:
        return bool(self.reporting)


@dataclass(frozen=True)
class FigureHousehold:
    """One household behind a figure, as the registry shows it."""

    household_id: int
    code: str
    head_name: str
    village_code: str
    village_name: str
    amount: Decimal | None  # the household's part of the figure over the span (baht)
    months: int = 0  # months it reported in the span
    tambon_name: str = ""  # shown on a district's or province's list
    consent: str = ""  # the household's consent (marked when refused or withdrawn)


@dataclass(frozen=True)
class FigureRows:
    """The rows behind one figure (traceability): the households, each with its part,
    and the ledger entries summed into it. Both are already scoped to the user."""

    figure: str
    category: str | None
    area_code: str
    start: Month
    end: Month
    households: list[FigureHousehold]
    entries: QuerySet[LedgerEntry]  # empty (``.none()``) for figures not made of entries (debts, counts)
    total: Decimal | None = None  # sum of the households' amounts


@dataclass(frozen=True)
class FigureSpec:
    """What a figure key means: its label, its unit and whether it needs a category."""

    key: str
    label: StrOrPromise  # lazy translation (English msgid): str(spec.label) in the active language
    unit: str  # "money_phm" per household per month, "money" a total in baht, "count", "share" 0..1
    needs_category: bool = False  # category code, debt source or occupation group


@dataclass(frozen=True)
class ChildValue:
    """One child area's value of a figure, for maps (``value`` in the figure's unit)."""

    area: Area
    value: Decimal | None  # None when suppressed for the reader or nothing reported
    reporting: int | None  # households reporting in the span (None when suppressed)
    hidden: bool = False  # suppressed for the reader (the small-cell rule), not "nothing reported"

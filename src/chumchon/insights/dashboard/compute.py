"""The dashboard of an area over a span of months, from the rollups only.

Figures follow the standard figures (``chumchon.insights.selectors``): *income* is every
income category except borrowing (F05); *expense* is every expense category, split
by group into production, consumption and financial; *avoidable* and *local food* sum
the flagged categories; *interest* is F02 (flag ``interest``), *principal repaid* F01
(flag ``debt_principal``).

*Per household per month* is a total divided by the household-months reported; the
medians are over the reporting households of each one's total divided by the months
it reported (see ``types``). *Deficit*: a reporting household whose expense over the
span exceeded its income. *Debts* are the registry's: the latest record per
household and source of the area's active households. *Debt fell / cleared*: see
``common.debt_change``. *Repayment* (seed 001): per occupation group of the reporting
households, the mean yearly surplus (a household's surplus over the span divided by
the months it reported, times 12), the principal outstanding of those households, and
``min(total debt, max(0, sum of their yearly surplus))``.

**Small cells.** A reader without person-level access to the area (an agency) sees no
amount when 1–4 households reported in the area (``suppressed``) and no count of 1–4
households anywhere (deficit, debts, months of the trend, occupation groups, debt
sources, fell/cleared). For a village the households behind each category, group and
flag are counted exactly (``common.category_households``) and a cell of 1–4 households
is hidden. Above a village an exact count over a span would need every category row of
every household (``HouseholdMonthCategory``, ~350,000 rows a year for a tambon of 1,800
households), which no page can afford; the rollups keep each month's exact count
(``AreaMonthCategory.households``) instead, and a cell is shown only when some month
of the span had at least 5 households in it (for a group or flag: in one of its
categories). That is a floor of the households behind the span's total, so the rule
errs on the side of hiding: a rare category spread over months by different
households may be hidden although 5 or more households bought it. ``Line.households``
stays ``None`` above a village (the floor is not a count to print).

**Cost.** A fixed number of queries whatever the area (pinned in the tests): the
registry, ``HouseholdMonth`` grouped by household and by month, ``AreaMonthCategory``
by category, the debts, and the principal/borrowing rows of ``HouseholdMonthCategory``
(F01, F05) for debt fell/cleared; a village adds its category rows and its district's
villages for the comparisons. Nothing reads ledger entries.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import areas_qs
from chumchon.core.thai import Month, months_between
from chumchon.insights import disclosure
from chumchon.insights.dashboard import figures as F
from chumchon.insights.dashboard.common import (
    CENT,
    DebtChange,
    HouseholdSum,
    MonthSum,
    baht,
    category_households,
    category_totals_and_floors,
    debt_change,
    household_and_month_sums,
    household_sums,
    median_baht,
    month_sums,
    per,
    registered,
    share,
    small,
)
from chumchon.insights.dashboard.comparisons import village_comparisons
from chumchon.insights.dashboard.household_cells import (
    ALL_GROUPS,
    CLEARED,
    DEFICIT,
    FELL,
    OWING,
    household_hidden,
    occupation_key,
    source_key,
)
from chumchon.insights.dashboard.types import (
    Comparison,
    Dashboard,
    DebtSourceLine,
    Line,
    MonthPoint,
    Opportunity,
    RepaymentRow,
    YearOnYear,
)
from chumchon.ledgers.models import Group
from chumchon.ledgers.selectors import CategoryKinds, category_kinds
from chumchon.registry import disclosure as registry_disclosure
from chumchon.registry.models import DebtSource, OccupationGroup
from chumchon.registry.selectors import DebtRecord, debts_latest, households_in_period

GROUP_NAMES_EN = {"production": "Production costs", "consumption": "Consumption", "financial": "Financial"}


def dashboard_for(area_code: str, start: Month, end: Month, *, with_comparisons: bool = True) -> Dashboard:
    """Unscoped (the command line, batch packs): every figure shown. ``Area.DoesNotExist``
    for an unknown code. ``with_comparisons=False`` leaves ``comparisons`` empty (for a
    village they cost two queries over its whole district; see ``comparisons_for_user``)."""
    return build(areas_qs().get(code=area_code), start, end, hide_small=False, with_comparisons=with_comparisons)


def dashboard_for_user(
    user: object, area: Area, start: Month, end: Month, *, with_comparisons: bool = True
) -> Dashboard:
    """The dashboard as ``user`` may see it. The caller has scoped ``area``
    (``area_get_for_user``). A reader without person-level access to the area sees no
    cell of 1–4 households; with 1–4 households reporting, no amount at all."""
    scope = scope_of(user)
    hide_small = not scope.can_read_persons_in(area.code)
    known = scope.person_read if hide_small else frozenset()
    return build(area, start, end, hide_small=hide_small, with_comparisons=with_comparisons, known=known)


def dashboard_public(area: Area, start: Month, end: Month, *, with_comparisons: bool = True) -> Dashboard:
    """The dashboard as anyone may see it (a forum pack, printed for a public forum):
    the small-cell rule applies whoever asks (a published period only)."""
    return build(area, start, end, hide_small=True, with_comparisons=with_comparisons)


def comparisons_for_user(user: object, area: Area, start: Month, end: Month) -> list[Comparison]:
    """A village's comparisons alone (a page can load them after the rest): empty for any
    other level, and for a reader who may not see the village's figures (an
    aggregate-only reader when 1–4 households reported)."""
    if area.level != Level.VILLAGE:
        return []
    if not scope_of(user).can_read_persons_in(area.code):
        reporting = household_sums(area.code, start, end, {})
        if small(len(reporting)):
            return []
    return village_comparisons(area, start, end, category_kinds())


def _thai() -> bool:
    return not (translation.get_language() or "th").startswith("en")


def opportunity_sentence(level: str, item: str, per_month: Decimal) -> str:
    amount = f"{per_month.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
    params = {"item": item, "amount": amount}
    if level == Level.VILLAGE:
        return _("This village buys %(item)s for ฿%(amount)s a month") % params
    if level == Level.TAMBON:
        return _("This tambon buys %(item)s for ฿%(amount)s a month") % params
    if level == Level.DISTRICT:
        return _("This district buys %(item)s for ฿%(amount)s a month") % params
    return _("This province buys %(item)s for ฿%(amount)s a month") % params


def build(
    area: Area,
    start: Month,
    end: Month,
    *,
    hide_small: bool,
    with_comparisons: bool = True,
    known: frozenset[str] = frozenset(),
) -> Dashboard:
    """The dashboard; ``hide_small`` hides every cell of 1–4 households (and the
    household counts ``registry.disclosure`` hides from a reader who reads persons in
    ``known``)."""
    span = months_between(start, end)
    year_ago = end.add(-12)
    registry = registered(area.code)
    period = households_in_period(area.code, start, end, reporting=False)  # reporting: len(sums)
    if area.level in (Level.VILLAGE, Level.TAMBON):  # up to a few thousand households: read their rows
        sums, by_month = household_and_month_sums(area.code, start, end, registry.occupation, also=year_ago)
    else:  # tens of thousands: let the database group them
        sums = household_sums(area.code, start, end, registry.occupation)
        by_month = month_sums(area.code, [*span, year_ago])
    reporting = len(sums)
    household_months = sum(h.months for h in sums.values())
    # The area's households in the span (one definition, ``households_in_period``): those
    # that reported in it are among them, so reporting never exceeds registered. For an
    # aggregate-only reader the counts hidden on the area pages are hidden here too.
    hidden_counts = (
        registry_disclosure.hidden_counts_for_reader(area.code, start, end, known=known) if hide_small else frozenset()
    )

    def count(n: int) -> int | None:
        return None if hide_small and small(n) else n

    head = Dashboard(
        area_code=area.code,
        area_name=area.display_name,
        level=area.level,
        start=start,
        end=end,
        months=len(span),
        households=None if "registered" in hidden_counts else period.registered,
        households_left=None if "left_during" in hidden_counts else period.left_during,
        reporting=None,
        household_months=None,
        suppressed=True,
    )
    if hide_small and small(reporting):
        return head
    # The cells hidden from an aggregate-only reader (``insights.disclosure``): the
    # small ones and those that subtraction would give back; one memo for the page.
    memo: dict = {}
    pattern = disclosure.hidden_cells(area.code, start, end, memo=memo) if hide_small else frozenset()
    # and the household-level cells (deficit, debts, occupation groups) likewise
    gone = household_hidden(area.code, start, end, memo=memo) if hide_small else frozenset()
    cats = category_kinds()
    totals = category_totals_and_floors([area.code], start, end)[0][area.code]
    sets: dict[str, Sequence[str]] = dict(F.figure_categories(cats))
    # Households per category: only for a village (see common.category_households).
    with_lines = category_households(sums, start, end, sets) if area.level == Level.VILLAGE else None
    debts = debts_latest(area.code)
    change = debt_change(area.code, start, end, debts, cats)

    def behind(key: str) -> int | None:
        """The households behind a category or a set, shown for a village only."""
        return None if with_lines is None else with_lines.get(key, 0)

    def hidden(key: str) -> bool:
        """A cell hidden from an aggregate-only reader (see the module's "Small cells")."""
        return key in pattern

    def line(code: str, name_th: str, name_en: str, codes: Sequence[str], key: str) -> Line:
        if hidden(key):
            return Line(code, name_th, name_en, None, None, None)
        satang = sum(totals.get(c, 0) for c in codes)
        return Line(code, name_th, name_en, baht(satang), per(satang, household_months), behind(key))

    def category_line(code: str) -> Line:
        cat = cats.by_code[code]
        return line(code, cat.name_th, cat.name_en, [code], code)

    def ranked(codes: Sequence[str]) -> list[Line]:
        lines = [category_line(c) for c in codes if totals.get(c, 0) or behind(c)]
        return sorted(lines, key=lambda x: -(x.total if x.total is not None else Decimal(-1)))

    def total_of(codes: Sequence[str]) -> int:
        return sum(totals.get(c, 0) for c in codes)

    def set_total(key: str) -> Decimal | None:
        return None if hidden(key) else baht(total_of(sets[key]))

    def set_per(key: str) -> Decimal | None:
        if hidden(key):
            return None
        return per(total_of(sets[key]), household_months)

    both_hidden = hidden("income") or hidden("expense")
    income_total = sum(h.income for h in sums.values())
    expense_total = sum(h.expense for h in sums.values())
    deficit = sum(1 for h in sums.values() if h.surplus < 0)
    local_food = [category_line(c) for c in cats.flagged("local_food")]
    months_reported = sum(1 for m in span if by_month[m].reporting)

    debt = _debts(debts, change, gone, hide_small)
    repayment, repayment_total = _repayment(sums, debts, gone, hide_small)
    deficit_shown = not (hide_small and (small(deficit) or DEFICIT in gone))
    return dataclasses.replace(
        head,
        reporting=None if hidden(disclosure.REPORTING) else reporting,
        household_months=household_months,
        suppressed=False,
        # A mean times the household-months is the total: hidden with it.
        income_median=None if hidden("income") else median_baht(h.monthly(h.income) for h in sums.values()),
        income_mean=None if hidden("income") else per(income_total, household_months),
        expense_median=None if hidden("expense") else median_baht(h.monthly(h.expense) for h in sums.values()),
        expense_mean=None if hidden("expense") else per(expense_total, household_months),
        surplus_median=None if both_hidden else median_baht(h.monthly(h.surplus) for h in sums.values()),
        surplus_mean=None if both_hidden else per(income_total - expense_total, household_months),
        income_total=None if hidden("income") else baht(income_total),
        expense_total=None if hidden("expense") else baht(expense_total),
        deficit_households=deficit if deficit_shown else None,
        # the share and the households reporting give the count back, and the reverse
        deficit_share=share(deficit, reporting) if deficit_shown and not hidden(disclosure.REPORTING) else None,
        income_by_source=ranked(cats.income),
        spending_by_group=[line(g, str(Group(g).label), GROUP_NAMES_EN[g], cats.group(g), g) for g in F.EXPENSE_GROUPS],
        spending_by_category=ranked(cats.expense),
        production_costs=ranked(cats.group("production")),
        avoidable_by_category=[category_line(c) for c in cats.flagged("avoidable")],
        avoidable_total=set_total("avoidable"),
        avoidable_per_household_month=set_per("avoidable"),
        local_food=local_food,
        local_food_total=set_total("local_food"),
        local_food_per_household_month=set_per("local_food"),
        opportunities=_opportunities(area, local_food, months_reported, cats),
        borrowing_total=set_total("borrowing"),
        interest_paid=set_total("interest"),
        principal_repaid=set_total(F.PRINCIPAL),
        debts_by_source=debt.by_source,
        debt_households=debt.households,
        debt_total=debt.total,
        debt_fell=debt.fell,
        debt_cleared=debt.cleared,
        trend=[_point(m, by_month[m], _month_hidden(area, m, hide_small, memo)) for m in span],
        same_month_last_year=_year_on_year(end, by_month, lambda m: _month_hidden(area, m, hide_small, memo)),
        repayment=repayment,
        repayment_total=repayment_total,
        comparisons=(
            village_comparisons(area, start, end, cats) if with_comparisons and area.level == Level.VILLAGE else []
        ),
    )


def _opportunities(area: Area, lines: list[Line], months_reported: int, cats: CategoryKinds) -> list[Opportunity]:
    """The local-food purchases as sentences, largest first: the area's whole purchase
    divided by the months of the span in which any household reported."""
    out: list[Opportunity] = []
    for x in sorted(lines, key=lambda x: -(x.total or 0)):
        if x.total is None or x.total <= 0 or not months_reported:
            continue
        per_month = (x.total / months_reported).quantize(CENT, rounding=ROUND_HALF_UP)
        item = x.name_th if _thai() else (x.name_en[:1].lower() + x.name_en[1:])
        out.append(Opportunity(x.code, per_month, opportunity_sentence(area.level, item, per_month)))
    return out


def _month_hidden(area: Area, month: Month, hide_small: bool, memo: dict) -> frozenset[str] | None:
    """The cells of one month hidden from the reader (``None``: a reader who sees all)."""
    return disclosure.hidden_cells(area.code, month, month, memo=memo) if hide_small else None


def _point(month: Month, s: MonthSum, hidden: frozenset[str] | None) -> MonthPoint:
    if hidden is not None and (small(s.reporting) or disclosure.REPORTING in hidden):
        return MonthPoint(month, None, None, None, None)
    gone = hidden or frozenset()
    income = None if "income" in gone else baht(s.income)
    expense = None if "expense" in gone else baht(s.expense)
    return MonthPoint(
        month=month,
        reporting=s.reporting,
        income=income,
        expense=expense,
        surplus=baht(s.income - s.expense) if income is not None and expense is not None else None,
        income_per_household=per(s.income, s.reporting) if income is not None else None,
        expense_per_household=per(s.expense, s.reporting) if expense is not None else None,
    )


def _year_on_year(
    end: Month, by_month: dict[Month, MonthSum], hidden_of: Callable[[Month], frozenset[str] | None]
) -> YearOnYear:
    now, then = (
        _point(end, by_month[end], hidden_of(end)),
        _point(end.add(-12), by_month[end.add(-12)], hidden_of(end.add(-12))),
    )
    return YearOnYear(
        month=end,
        previous=end.add(-12),
        reporting=now.reporting,
        reporting_previous=then.reporting,
        income=now.income,
        income_previous=then.income,
        expense=now.expense,
        expense_previous=then.expense,
        income_per_household=now.income_per_household,
        income_per_household_previous=then.income_per_household,
        expense_per_household=now.expense_per_household,
        expense_per_household_previous=then.expense_per_household,
    )


@dataclass(frozen=True)
class _DebtFigures:
    by_source: list[DebtSourceLine]
    households: int | None
    total: Decimal | None
    fell: int | None
    cleared: int | None


def _debts(
    debts: dict[int, list[DebtRecord]], change: DebtChange, gone: frozenset[str], hide_small: bool
) -> _DebtFigures:
    """``gone``: the household-level cells hidden from the reader (``household_cells``)."""

    def hidden(n: int, key: str) -> int | None:
        return None if hide_small and (small(n) or key in gone) else n

    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # households, principal, payment
    owing = 0
    debt_total = 0
    for records in debts.values():
        household_total = 0
        for r in records:
            row = by_source[r.source]
            row[0] += 1 if r.principal > 0 else 0
            row[1] += r.principal
            row[2] += r.monthly_payment
            household_total += r.principal
        owing += 1 if household_total > 0 else 0
        debt_total += household_total
    lines = []
    for source in DebtSource:
        if source.value not in by_source:
            continue
        n, principal, payment = by_source[source.value]
        shown = hidden(n, source_key(source.value)) is not None or n == 0
        lines.append(
            DebtSourceLine(
                code=source.value,
                label=str(source.label),
                households=hidden(n, source_key(source.value)),
                principal=baht(principal) if shown else None,
                monthly_payment=baht(payment) if shown else None,
            )
        )
    owing_shown = hidden(owing, OWING)
    return _DebtFigures(
        by_source=lines,
        households=owing_shown,
        total=baht(debt_total) if owing_shown is not None else None,
        fell=hidden(len(change.fell), FELL),
        cleared=hidden(len(change.cleared), CLEARED),
    )


def _repayment_row(group: str, label: str, yearly: list[Decimal], debt: int, hide: bool) -> RepaymentRow:
    """``yearly``: each household's yearly surplus (satang, unrounded); ``hide``: the
    row is hidden from the reader."""
    n = len(yearly)
    if hide:
        return RepaymentRow(group, label, None, None, None, None, None)
    surplus = sum(yearly, Decimal(0))
    repayable = min(Decimal(debt), max(Decimal(0), surplus))
    return RepaymentRow(
        occupation_group=group,
        label=label,
        households=n,
        avg_yearly_surplus=(surplus / n / 100).quantize(CENT, rounding=ROUND_HALF_UP) if n else None,
        total_debt=baht(debt),
        repayable_debt=baht(repayable),
        share_repayable=(repayable / debt).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if debt else None,
    )


def _repayment(
    sums: dict[int, HouseholdSum], debts: dict[int, list[DebtRecord]], gone: frozenset[str], hide_small: bool
) -> tuple[list[RepaymentRow], RepaymentRow | None]:
    """Seed 001's table by occupation group (in the registry's order, households without
    a group last), and the same for every reporting household."""
    yearly: dict[str, list[Decimal]] = defaultdict(list)
    debt_of: dict[str, int] = defaultdict(int)
    for household_id, h in sums.items():
        yearly[h.occupation].append(h.yearly_surplus())
        debt_of[h.occupation] += sum(r.principal for r in debts.get(household_id, []))
    labels = {g.value: str(g.label) for g in OccupationGroup}
    order = [g.value for g in OccupationGroup]
    order += [*sorted(g for g in yearly if g and g not in labels), ""]

    def hide(values: list[Decimal], key: str) -> bool:
        return hide_small and (small(len(values)) or key in gone)

    rows = [
        _repayment_row(
            g,
            labels.get(g) or g or _("No occupation recorded"),
            yearly[g],
            debt_of[g],
            hide(yearly[g], occupation_key(g)),
        )
        for g in order
        if yearly.get(g)
    ]
    everyone = [y for values in yearly.values() for y in values]
    total = (
        _repayment_row("", _("All households"), everyone, sum(debt_of.values()), hide(everyone, ALL_GROUPS))
        if everyone
        else None
    )
    return rows, total

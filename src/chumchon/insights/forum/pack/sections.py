"""The sections of a pack drawn from the dashboards alone: where the money comes from
and goes, spending to cut and food to grow, debts, month by month, repayment capacity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from chumchon.core.thai import Month
from chumchon.insights.dashboard import Dashboard, Line
from chumchon.insights.forum.pack.types import Block, Section
from chumchon.insights.forum.tables import Column, PackTable, Typed, trend_chart


def _line_table(
    key: str,
    title: str,
    lines: Sequence[Line],
    *,
    first: str,
    total: Decimal | None = None,
    per_household: Decimal | None = None,
    note: str = "",
    sheet: str = "",
    keep: Callable[[Line], bool] = lambda line: True,
) -> PackTable:
    """Category lines: name, total, per household per month, households with it."""
    rows = tuple(
        (line.name, line.total, line.per_household_month, line.households)
        for line in lines
        if keep(line) and (line.total is None or line.total != 0)
    )
    return PackTable(
        key=key,
        title=title,
        columns=(
            Column(first),
            Column(_("Total (baht)"), "money"),
            Column(_("Per household per month"), "money"),
            Column(_("Households"), "count"),
        ),
        rows=rows,
        total=(_("Total"), total, per_household, None) if total is not None or per_household is not None else None,
        note=note,
        sheet=sheet,
        bar=2,
    )


def money_section(d: Dashboard) -> Section:
    yoy = d.same_month_last_year
    prev = yoy.previous.label(lang=translation.get_language() or "th", full=False) if yoy else ""
    key = PackTable(
        key="key_figures",
        title=_("Key figures"),
        sheet=_("Key figures"),
        columns=(
            Column(_("Figure")),
            Column(_("This month"), "money"),
            Column(_("Same month last year") + (f" ({prev})" if prev else ""), "money"),
        ),
        rows=(
            (_("Households registered"), Typed(d.households, "count"), None),
            *(
                [(_("of them moved away/dissolved during the month"), Typed(d.households_left, "count"), None)]
                if d.households_left
                else []
            ),
            (
                _("Households keeping accounts"),
                Typed(d.reporting, "count"),
                Typed(yoy.reporting_previous if yoy else None, "count"),
            ),
            (
                _("Income, whole area (baht)"),
                Typed(d.income_total, "money"),
                Typed(yoy.income_previous if yoy else None, "money"),
            ),
            (
                _("Expense, whole area (baht)"),
                Typed(d.expense_total, "money"),
                Typed(yoy.expense_previous if yoy else None, "money"),
            ),
            (
                _("Income per household (mean)"),
                Typed(d.income_mean, "money"),
                Typed(yoy.income_per_household_previous if yoy else None, "money"),
            ),
            (_("Income per household (median)"), Typed(d.income_median, "money"), None),
            (
                _("Expense per household (mean)"),
                Typed(d.expense_mean, "money"),
                Typed(yoy.expense_per_household_previous if yoy else None, "money"),
            ),
            (_("Expense per household (median)"), Typed(d.expense_median, "money"), None),
            (_("Surplus per household (mean)"), Typed(d.surplus_mean, "money"), None),
            (_("Households in deficit"), Typed(d.deficit_households, "count"), None),
            (_("Share of households in deficit"), Typed(d.deficit_share, "share"), None),
            (_("Avoidable spending per household"), Typed(d.avoidable_per_household_month, "money"), None),
            (_("Food we could produce, per household"), Typed(d.local_food_per_household_month, "money"), None),
        ),
        note=_("Per household: the month's total divided by the households keeping accounts. – : not shown."),
    )
    income = _line_table(
        "income_by_source",
        _("Income by source"),
        d.income_by_source,
        first=_("Source of income"),
        total=d.income_total,
        per_household=d.income_mean,
        sheet=_("Income"),
        note=_("Loans received are not income; they are under debts."),
    )
    groups = _line_table(
        "spending_by_group",
        _("Spending by group"),
        d.spending_by_group,
        first=_("Group"),
        total=d.expense_total,
        per_household=d.expense_mean,
        sheet=_("Spending groups"),
    )
    categories = _line_table(
        "spending_by_category",
        _("Spending by category"),
        sorted(d.spending_by_category, key=lambda line: line.total or Decimal(0), reverse=True),
        first=_("Category"),
        total=d.expense_total,
        per_household=d.expense_mean,
        sheet=_("Spending"),
    )
    return Section(
        key="money",
        title=_("Where the money comes from and where it goes"),
        lead=_("Accounts of %(month)s: income and spending of the households that kept accounts.")
        % {"month": d.end.label(lang=translation.get_language() or "th")},
        blocks=(
            Block("table", table=key),
            Block("table", table=income),
            Block("table", table=groups),
            Block("table", table=categories),
        ),
        new_page=True,
    )


def cut_and_grow_section(d: Dashboard) -> Section:
    production_group = next((line for line in d.spending_by_group if line.code == "production"), None)
    avoidable = _line_table(
        "avoidable",
        _("Avoidable spending: alcohol, tobacco, gambling"),
        d.avoidable_by_category,
        first=_("Category"),
        total=d.avoidable_total,
        per_household=d.avoidable_per_household_month,
        sheet=_("Avoidable"),
    )
    food = _line_table(
        "local_food",
        _("Food we could produce ourselves"),
        d.local_food,
        first=_("Category"),
        total=d.local_food_total,
        per_household=d.local_food_per_household_month,
        sheet=_("Local food"),
    )
    production = _line_table(
        "production_costs",
        _("Production costs by item"),
        sorted(d.production_costs, key=lambda line: line.total or Decimal(0), reverse=True),
        first=_("Item"),
        total=production_group.total if production_group else None,
        per_household=production_group.per_household_month if production_group else None,
        sheet=_("Production costs"),
    )
    sentences = tuple(o.sentence for o in d.opportunities if o.sentence)
    blocks = [Block("table", table=avoidable), Block("table", table=food)]
    if sentences:
        blocks.append(Block("sentences", sentences=sentences, title=_("What we buy that we could produce")))
    blocks.append(Block("table", table=production))
    return Section(key="cut_and_grow", title=_("Spending we could cut, food we could grow"), blocks=tuple(blocks))


def debt_section(d: Dashboard, year: Dashboard) -> Section:
    sources = PackTable(
        key="debts_by_source",
        title=_("Debts by source"),
        sheet=_("Debts"),
        columns=(
            Column(_("Source")),
            Column(_("Households"), "count"),
            Column(_("Principal outstanding (baht)"), "money"),
            Column(_("Monthly payment (baht)"), "money"),
        ),
        rows=tuple((s.label, s.households, s.principal, s.monthly_payment) for s in d.debts_by_source),
        total=(_("All sources"), d.debt_households, d.debt_total, None),
        note=_("The latest debt record of each household and source in the registry."),
        bar=2,
    )
    flows = PackTable(
        key="debt_flows",
        title=_("Borrowing and repaying"),
        sheet=_("Borrowing"),
        columns=(Column(_("Figure")), Column(_("This month"), "money"), Column(_("This fiscal year"), "money")),
        rows=(
            (_("Loans received (baht)"), d.borrowing_total, year.borrowing_total),
            (_("Principal repaid (baht)"), d.principal_repaid, year.principal_repaid),
            (_("Interest paid (baht)"), d.interest_paid, year.interest_paid),
        ),
    )
    change = PackTable(
        key="debt_change",
        title=_("Households whose debt fell"),
        sheet=_("Debt change"),
        columns=(Column(_("Figure")), Column(_("Households"), "count")),
        rows=(
            (_("Households with debt"), d.debt_households),
            (_("Debt fell over the fiscal year"), year.debt_fell),
            (_("Debt cleared over the fiscal year"), year.debt_cleared),
        ),
    )
    return Section(
        key="debts",
        title=_("Debts"),
        blocks=(
            Block("table", table=sources),
            Block("table", table=flows),
            Block("table", table=change),
        ),
    )


def trend_section(year: Dashboard, month: Month, lang: str) -> Section:
    points = [
        (
            p.month.label(lang=lang, full=False),
            p.income_per_household,
            p.expense_per_household,
            p.month == month,
        )
        for p in year.trend
    ]
    chart = trend_chart(_("Income and expense per household, month by month"), points, unit=_("baht per household"))
    table = PackTable(
        key="trend",
        title=_("Month by month"),
        sheet=_("Month by month"),
        columns=(
            Column(_("Month")),
            Column(_("Households keeping accounts"), "count"),
            Column(_("Income (baht)"), "money"),
            Column(_("Expense (baht)"), "money"),
            Column(_("Surplus (baht)"), "money"),
            Column(_("Income per household"), "money"),
            Column(_("Expense per household"), "money"),
        ),
        rows=tuple(
            (
                p.month.label(lang=lang, full=False),
                p.reporting,
                p.income,
                p.expense,
                p.surplus,
                p.income_per_household,
                p.expense_per_household,
            )
            for p in year.trend
        ),
    )
    blocks = (Block("trend", trend=chart), Block("table", table=table))
    return Section(key="trend", title=_("Month by month"), blocks=blocks)


def repayment_section(year: Dashboard) -> Section:
    table = PackTable(
        key="repayment",
        title=_("Repayment capacity by occupation group"),
        sheet=_("Repayment capacity"),
        columns=(
            Column(_("Occupation group")),
            Column(_("Households"), "count"),
            Column(_("Average yearly surplus (baht)"), "money"),
            Column(_("Total debt (baht)"), "money"),
            Column(_("Debt the surplus could repay in a year (baht)"), "money"),
            Column(_("Share repayable"), "share"),
        ),
        rows=tuple(
            (r.label, r.households, r.avg_yearly_surplus, r.total_debt, r.repayable_debt, r.share_repayable)
            for r in year.repayment
        ),
        note=_("Over the fiscal year: each household's surplus per month reported, times 12."),
        bar=2,
    )
    return Section(
        key="repayment",
        title=_("Repayment capacity by occupation group"),
        lead=_("Which occupations could repay their debts from what they save (seed 001)."),
        blocks=(Block("table", table=table),),
    )

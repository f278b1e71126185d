"""The learning-forum pack of a village or tambon for one month: what is printed.

``forum_pack_build(area, month, user=…)`` reads the dashboard of the month and of the
12 months to it (the trend, the occupation groups' yearly surplus, debts that fell)
and lays them out as sections of charts, tables and sentences, followed by the
discussion questions. The PDF (``forum.pdf``) and the spreadsheet (``forum.xlsx``)
are both written from it.

Scope: ``user=None`` is the command line (every figure, unscoped). With a user the
caller has scoped ``area`` (``areas.selectors.area_get_for_user``) and the dashboard
hides what an aggregate-only reader may not see (cells under 5 households). A pack
holds aggregates only — never a household or a person — whoever reads it: it is
printed and read aloud in a village meeting.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import area_ancestors, area_children, area_get_for_user
from chumchon.core.thai import Month, format_datetime
from chumchon.insights import dashboard as dash
from chumchon.insights.dashboard import ChildValue, Dashboard, Line
from chumchon.insights.dashboard.values import values_by_area
from chumchon.insights.forum.questions import Question, forum_questions
from chumchon.insights.forum.tables import (
    Column,
    PackTable,
    TrendChart,
    Typed,
    format_money,
    trend_chart,
)
from chumchon.insights.maps import figure_map_svg

PACK_LEVELS = (Level.VILLAGE, Level.TAMBON)
YEAR = 12


class PackNotAvailable(ValueError):
    """Packs are made for villages and tambons only."""


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Block:
    """One thing on a page: a table (with bars), the trend chart, sentences or the map."""

    kind: str  # table, trend, sentences, map
    table: PackTable | None = None
    trend: TrendChart | None = None
    sentences: tuple[str, ...] = ()
    title: str = ""
    map: PackMap | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lead: str = ""
    blocks: tuple[Block, ...] = ()
    new_page: bool = False


@dataclass(frozen=True)
class ForumPack:
    area_code: str
    area_name: str
    level: str
    level_label: str
    place: str  # the areas above: "ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ"
    month: Month
    month_label: str  # "ตุลาคม 2569"
    lang: str
    dashboard: Dashboard  # the month
    year: Dashboard  # the 12 months to the month
    headlines: tuple[Headline, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    generated_at: dt.datetime
    generated_label: str
    suppressed: bool = False
    aggregate_only: bool = False  # the reader sees aggregates only (cells under 5 hidden)
    tables_extra: tuple[PackTable, ...] = field(default_factory=tuple)

    @property
    def has_data(self) -> bool:
        return self.dashboard.has_data

    @property
    def tables(self) -> list[PackTable]:
        """Every table of the pack, in printed order (the spreadsheet's sheets)."""
        out = [b.table for s in self.sections for b in s.blocks if b.kind == "table" and b.table is not None]
        return out + list(self.tables_extra)

    @property
    def filename_stem(self) -> str:
        return f"forum-{self.area_code}-{self.month.iso()}"


# --- building ------------------------------------------------------------------------------


def forum_pack_build(area: Area, month: Month, *, user: object | None = None, lang: str = "th") -> ForumPack:
    """The pack of ``area`` (a village or tambon) for ``month``; see the module doc for scope."""
    if area.level not in PACK_LEVELS:
        raise PackNotAvailable(area.code)
    lang = "en" if lang == "en" else "th"
    with translation.override(lang):
        return _build(area, month, user=user, lang=lang)


def _dashboard(user: object | None, area: Area, start: Month, end: Month) -> Dashboard:
    if user is None:
        return dash.dashboard_for(area.code, start, end)
    return dash.dashboard_for_user(user, area, start, end)


def _build(area: Area, month: Month, *, user: object | None, lang: str) -> ForumPack:
    d = _dashboard(user, area, month, month)
    year = _dashboard(user, area, month.add(1 - YEAR), month)
    aggregate_only = user is not None and not _can_read_persons(user, area)
    sections: list[Section] = []
    extra: list[PackTable] = []
    if not d.suppressed:  # hidden from this reader: the cover says so, and nothing more
        compare, extra = _compare_section(d, area, month, user)
        sections = [
            _money_section(d),
            _cut_and_grow_section(d),
            _debt_section(d, year),
            _trend_section(year, month, lang),
            _repayment_section(year),
            compare,
        ]
    now = timezone.localtime()
    ancestors = area_ancestors(area)
    return ForumPack(
        area_code=area.code,
        area_name=area.display_name,
        level=area.level,
        level_label=str(Level(area.level).label),
        place=(", " if lang == "en" else " ").join(a.display_name for a in reversed(ancestors)),
        month=month,
        month_label=month.label(lang=lang),
        lang=lang,
        dashboard=d,
        year=year,
        headlines=tuple(_headlines(d)),
        sections=tuple(s for s in sections if s.blocks),
        questions=tuple(forum_questions(d, year)),
        generated_at=now,
        generated_label=format_datetime(now, lang=lang),
        suppressed=d.suppressed,
        aggregate_only=aggregate_only,
        tables_extra=tuple(extra),
    )


def _can_read_persons(user: object, area: Area) -> bool:
    from chumchon.access.scope import scope_of

    return scope_of(user).can_read_persons_in(area.code)


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _headlines(d: Dashboard) -> list[Headline]:
    deficit = "–"
    if d.deficit_households is not None and d.deficit_share is not None:
        deficit = f"{(d.deficit_share * 100).quantize(Decimal('1'))}%"
    return [
        Headline(
            _("Households keeping accounts"),
            _count(d.reporting),
            _("of %(n)s registered") % {"n": _count(d.households)},
        ),
        Headline(
            _("Income per household"),
            format_money(d.income_mean),
            _("median %(amount)s baht") % {"amount": format_money(d.income_median)},
        ),
        Headline(
            _("Expense per household"),
            format_money(d.expense_mean),
            _("median %(amount)s baht") % {"amount": format_money(d.expense_median)},
        ),
        Headline(
            _("Households in deficit"),
            deficit,
            _("%(n)s households spent more than they earned") % {"n": _count(d.deficit_households)},
        ),
    ]


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


def _money_section(d: Dashboard) -> Section:
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


def _cut_and_grow_section(d: Dashboard) -> Section:
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


def _debt_section(d: Dashboard, year: Dashboard) -> Section:
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
        columns=(Column(_("Figure")), Column(_("This month"), "money"), Column(_("Last 12 months"), "money")),
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
            (_("Debt fell over the last 12 months"), year.debt_fell),
            (_("Debt cleared over the last 12 months"), year.debt_cleared),
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


def _trend_section(year: Dashboard, month: Month, lang: str) -> Section:
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


def _repayment_section(year: Dashboard) -> Section:
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
        note=_("Over the last 12 months: each household's surplus per month reported, times 12."),
        bar=2,
    )
    return Section(
        key="repayment",
        title=_("Repayment capacity by occupation group"),
        lead=_("Which occupations could repay their debts from what they save (seed 001)."),
        blocks=(Block("table", table=table),),
    )


COMPARED_FIGURES = (
    (dash.REPORTING, "count"),
    (dash.INCOME, "money"),
    (dash.EXPENSE, "money"),
    (dash.AVOIDABLE, "money"),
    (dash.LOCAL_FOOD, "money"),
)
MAP_FIGURE = dash.AVOIDABLE
CATEGORY_KEY = "category:"


def _comparison_table(d: Dashboard, *, full: bool) -> PackTable:
    """The village beside the medians of its tambon's and district's villages. The
    printed table has the headline figures and the flagged categories; the spreadsheet
    has every category too."""
    shown = [c for c in d.comparisons if full or not c.key.startswith(CATEGORY_KEY) or c.flagged]
    return PackTable(
        key="comparison_all" if full else "comparison",
        title=_("This village beside its tambon and district") if not full else _("Every comparison"),
        sheet=_("Comparison") if not full else _("Every comparison"),
        columns=(
            Column(_("Figure")),
            Column(_("This village"), "money"),
            Column(_("Tambon median"), "money"),
            Column(_("District median"), "money"),
            Column(_("Difference from the tambon"), "diff"),
        ),
        rows=tuple(
            (
                c.label,
                _typed_figure(c.key, c.value),
                _typed_figure(c.key, c.tambon_median),
                _typed_figure(c.key, c.district_median),
                c.diff_vs_tambon,
            )
            for c in shown
        ),
        note=_("Per household per month. A median is the middle village of the tambon or district."),
    )


def _compare_section(d: Dashboard, area: Area, month: Month, user: object | None) -> tuple[Section, list[PackTable]]:
    blocks: list[Block] = []
    extra: list[PackTable] = []
    if d.comparisons:
        blocks.append(Block("table", table=_comparison_table(d, full=False)))
        extra.append(_comparison_table(d, full=True))
        flagged = tuple(c.sentence for c in d.comparisons if c.flagged and c.sentence)
        if flagged:
            blocks.append(Block("sentences", sentences=flagged, title=_("Where this village differs most")))
    tambon = area if area.level == Level.TAMBON else _visible_parent(area, user)
    if tambon is not None:
        values = {figure: _child_values(user, tambon, month, figure) for figure, _kind in COMPARED_FIGURES}
        whole = d if tambon.code == area.code else _dashboard(user, tambon, month, month)
        villages = _villages_table(
            tambon, month, values, whole=whole, highlight=area.code if area.level == Level.VILLAGE else ""
        )
        if villages is not None:
            blocks.append(Block("table", table=villages))
            picture = _map(tambon, values[MAP_FIGURE], highlight=area.code if area.level == Level.VILLAGE else "")
            if picture is not None:
                blocks.append(Block("map", map=picture, title=str(dash.FIGURES[MAP_FIGURE].label)))
    title = _("Comparison with the tambon") if area.level == Level.VILLAGE else _("The villages of the tambon")
    return Section(key="compare", title=title, blocks=tuple(blocks)), extra


def _typed_figure(key: str, value: Decimal | None) -> Typed:
    """Comparison values are per household per month, or a share for "deficit"."""
    return Typed(value, "share" if key == dash.DEFICIT else "money")


def _visible_parent(area: Area, user: object | None) -> Area | None:
    if area.parent_id is None:
        return None
    if user is None:
        return Area.objects.filter(code=area.parent_id).first()
    try:
        return area_get_for_user(user, area.parent_id)
    except Area.DoesNotExist:
        return None


def _child_values(user: object | None, tambon: Area, month: Month, figure: str) -> list[ChildValue]:
    """Each village's value of a figure: as ``user`` may see it, or unscoped (``None``,
    the command line, which prints every cell)."""
    if user is not None:
        return dash.figure_by_child_area(user, tambon, month, month, figure)
    children = list(area_children(tambon))
    values = values_by_area(tambon.code, Level.VILLAGE, [c.code for c in children], month, month, figure, None)
    return [ChildValue(area=c, value=values[c.code].value, reporting=values[c.code].reporting) for c in children]


def _villages_table(
    tambon: Area, month: Month, values: dict[str, list[ChildValue]], *, whole: Dashboard, highlight: str
) -> PackTable | None:
    """The tambon's villages side by side, the tambon as a whole in the last row."""
    columns = {figure: {v.area.code: v for v in found} for figure, found in values.items()}
    rows = []
    for village in area_children(tambon):
        if all(village.code not in found for found in columns.values()):
            continue  # not in the reader's scope
        reporting = columns[dash.REPORTING].get(village.code)
        if reporting is not None and reporting.reporting == 0:
            continue  # no household there kept accounts this month
        name = village.display_name + (" ◀" if village.code == highlight else "")
        row: list[Any] = [name]
        for figure, kind in COMPARED_FIGURES:
            value = columns[figure].get(village.code)
            row.append(Typed(value.value if value is not None else None, kind))  # type: ignore[arg-type]
        rows.append(tuple(row))
    if len(rows) < 2:
        return None
    return PackTable(
        key="villages",
        title=_("Villages of %(tambon)s") % {"tambon": tambon.display_name},
        sheet=_("Villages"),
        columns=(
            Column(_("Village")),
            Column(_("Households keeping accounts"), "count"),
            Column(_("Income per household"), "money"),
            Column(_("Expense per household"), "money"),
            Column(_("Avoidable per household"), "money"),
            Column(_("Local food per household"), "money"),
        ),
        rows=tuple(rows),
        total=(
            _("%(tambon)s as a whole") % {"tambon": tambon.display_name},
            Typed(whole.reporting, "count"),
            Typed(whole.income_mean, "money"),
            Typed(whole.expense_mean, "money"),
            Typed(whole.avoidable_per_household_month, "money"),
            Typed(whole.local_food_per_household_month, "money"),
        ),
        note=_("Per household per month, %(month)s; villages where somebody kept accounts.")
        % {"month": month.label(lang=translation.get_language() or "th")},
    )


@dataclass(frozen=True)
class PackMap:
    data_uri: str  # the SVG (shapes only) as a data: URL for an <img>
    legend: tuple[tuple[str, str], ...]  # (colour, label)
    entries: tuple[tuple[str, str, str, bool], ...]  # (colour, area name, value, highlighted)


def _map(tambon: Area, values: list[ChildValue], *, highlight: str) -> PackMap | None:
    """The villages as a map of the figure (B's ``insights.maps``), labels in HTML."""
    if not values:
        return None
    picture = figure_map_svg(tambon, values, figure=MAP_FIGURE, width=560, height=420)
    if picture.empty or not picture.svg:
        return None
    encoded = base64.b64encode(picture.svg.encode("utf-8")).decode("ascii")
    return PackMap(
        data_uri=f"data:image/svg+xml;base64,{encoded}",
        legend=tuple((item.colour, str(item.label)) for item in picture.legend),
        entries=tuple((e.colour, e.area.display_name, e.text, e.area.code == highlight) for e in picture.entries),
    )

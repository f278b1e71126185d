"""What an aggregate-only reader may see of the accounts: published periods and the
cells hidden from them, so that no value 1–4 households stand behind can be read or
derived by subtraction (the method is ``chumchon.core.disclosure``'s).

**Published periods.** A reader without person-level access to an area gets its
figures only for a month, a fiscal quarter (Q1 = Oct–Dec) or a fiscal year — the
fixed periods of statistical offices. Arbitrary spans would let one span be
subtracted from another (Sep–Nov minus Sep–Oct is November).

**The table.** For every area and published period of a fiscal year: each category,
each figure that sums categories (income, expense, the three groups, the flags), and
the households reporting. Households behind a cell: a month's are counted exactly
(``AreaMonthCategory.households``; for income, expense and reporting from
``HouseholdMonth``); over a quarter or year at least the most of one month and at
most the sum of the months (a figure: of its categories), never more than reported.

**Relations.** Parent area = sum of its children (per period and cell); fiscal year =
its quarters, quarter = its months (per area and cell); income, expense, each group
and each flag = its categories, expense = its groups (per area and period).

**Top down.** The province's table (the province and its districts) is protected
first; then each district with its tambons, the district's cells frozen as decided;
then each tambon with its villages. Any page computes the pattern of the areas it
shows from their ancestors' tables only, and every page gets the same answer.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from chumchon.areas.models import LEVEL_FIELD, Level, level_of
from chumchon.areas.selectors import child_codes
from chumchon.core.disclosure import Cell, Relation, kept, protect_below
from chumchon.core.thai import Month, fiscal_year, fiscal_year_months
from chumchon.insights.dashboard import figures as F
from chumchon.ledgers.selectors import (
    area_month_categories,
    category_kinds,
    household_months_reported,
    rollups_version,
)

REPORTING = "households_reporting"

Period = tuple[Month, Month]
Key = tuple[str, str, str, str]  # area, first month, last month, cell


class PeriodNotPublished(ValueError):
    """An aggregate-only reader asked for a span that is not a published period."""

    def __init__(self, start: Month, end: Month) -> None:
        super().__init__(
            _(
                "Figures of this area are published by month, fiscal quarter or fiscal year only: "
                "choose one of them (for example %(month)s, or the fiscal year %(year)s)."
            )
            % {"month": end.label(full=False), "year": fiscal_year(end.first_day)}
        )


def published_periods(fy_be: int) -> list[Period]:
    months = fiscal_year_months(fy_be)
    quarters = [(months[i], months[i + 2]) for i in range(0, 12, 3)]
    return [*((m, m) for m in months), *quarters, (months[0], months[-1])]


def is_published(start: Month, end: Month) -> bool:
    return (start, end) in published_periods(fiscal_year(end.first_day))


def check_published(start: Month, end: Month) -> None:
    if not is_published(start, end):
        raise PeriodNotPublished(start, end)


Pattern = dict[tuple[str, str, str], frozenset[str]]  # (area, first, last month) → hidden cells


def hidden_cells(area_code: str, start: Month, end: Month, *, memo: dict | None = None) -> frozenset[str]:
    """The cells of ``area_code`` over a published period hidden from an aggregate-only
    reader: category codes, figure names and ``households_reporting``. ``memo`` keeps
    the tables of one piece of work (a page showing many areas)."""
    check_published(start, end)
    fy = fiscal_year(end.first_day)
    top = area_code if level_of(area_code) == Level.PROVINCE else area_code[:-2]
    pattern = _table(top, fy, {} if memo is None else memo)
    return pattern.get((area_code, start.iso(), end.iso()), frozenset())


def _table(parent: str, fy: int, memo: dict) -> Pattern:
    """The hidden cells of ``parent`` and its children, top down (see the docstring);
    kept across requests while the rollups are the same (their version is bumped in the
    transaction of every write of them, ``ledgers.rollups``)."""

    def compute() -> Pattern:
        above = None if level_of(parent) == Level.PROVINCE else _table(parent[:-2], fy, memo)
        cells, relations = table(parent, fy, with_own=above is None)
        return protect_below(parent, cells, relations, above=above, split=_split)

    return kept(memo, (parent, fy), lambda: f"disclosure:{parent}:{fy}:{rollups_version()}", compute)


def _split(key: Key) -> tuple[tuple[str, str, str], str]:
    return key[:3], key[3]


def table(parent: str, fy: int, *, with_own: bool = True) -> tuple[dict[Key, Cell], list[Relation]]:
    """The cells and relations of ``parent`` and its children over fiscal year ``fy``.
    ``with_own``: also the parent's own time and figure relations (for a province,
    whose cells no table above decides)."""
    kinds = category_kinds()
    sets = F.figure_categories(kinds)
    months = fiscal_year_months(fy)
    children = child_codes(parent)
    areas = [parent, *children]
    periods = published_periods(fy)

    # Categories by area and month: amount and households (exact per month).
    amount: dict[tuple[str, Month, str], int] = {}
    count: dict[tuple[str, Month, str], int] = {}
    for code, month, cat, satang, n in area_month_categories(areas, months[0], months[-1]).values_list(
        "area_code", "month", "category_id", "amount", "households"
    ):
        m = Month.of(month)
        amount[code, m, cat] = satang
        count[code, m, cat] = n

    # Households reporting, with income and with expense, by area and month (exact).
    seen: dict[tuple[str, str], dict[Month, set[int]]] = defaultdict(lambda: defaultdict(set))
    if children:
        child_level = level_of(children[0])
        column = LEVEL_FIELD[child_level]
        for child, household, month, income, expense in (
            household_months_reported(parent, months[0], months[-1])
            .values_list(column, "household_id", "month", "income", "expense")
            .iterator(chunk_size=20000)
        ):
            m = Month.of(month)
            for area in (child, parent):
                seen[area, REPORTING][m].add(household)
                if income > 0:
                    seen[area, "income"][m].add(household)
                if expense > 0:
                    seen[area, "expense"][m].add(household)

    def distinct(area: str, name: str, span: list[Month]) -> int:
        by_month = seen.get((area, name))
        if not by_month:
            return 0
        return len(set().union(*(by_month.get(m, set()) for m in span)))

    cells: dict[Key, Cell] = {}
    for area in areas:
        for a, b in periods:
            span = [m for m in months if a <= m <= b]
            ka, kb = a.iso(), b.iso()
            reporting = distinct(area, REPORTING, span)
            cells[area, ka, kb, REPORTING] = Cell(reporting, reporting, reporting)
            for cat in kinds.by_code:
                ns = [count.get((area, m, cat), 0) for m in span]
                value = sum(amount.get((area, m, cat), 0) for m in span)
                cells[area, ka, kb, cat] = Cell(value, max(ns), min(sum(ns), reporting))
            for name, codes in sets.items():
                value = sum(cells[area, ka, kb, c].value for c in codes)
                if name in ("income", "expense"):
                    n = distinct(area, name, span)
                    cells[area, ka, kb, name] = Cell(value, n, n)
                    continue
                parts = [cells[area, ka, kb, c] for c in codes]
                low = max((p.low for p in parts), default=0)
                high = min(sum(p.high for p in parts), reporting)
                cells[area, ka, kb, name] = Cell(value, low, max(low, high))

    relations: list[Relation] = []
    names = [*kinds.by_code, *sets, REPORTING]
    if children:
        for a, b in periods:
            ka, kb = a.iso(), b.iso()
            for name in names:
                relations.append(Relation((parent, ka, kb, name), tuple((c, ka, kb, name) for c in children)))
    quarters = periods[12:16]
    year = periods[16]
    for area in areas if with_own else children:
        for name in [*kinds.by_code, *sets]:

            def key(p: Period, name: str = name, area: str = area) -> Key:
                return (area, p[0].iso(), p[1].iso(), name)

            relations.append(Relation(key(year), tuple(key(q) for q in quarters)))
            for q in quarters:
                relations.append(Relation(key(q), tuple(key((m, m)) for m in months if q[0] <= m <= q[1])))
        for a, b in periods:
            ka, kb = a.iso(), b.iso()
            for name, codes in sets.items():
                relations.append(Relation((area, ka, kb, name), tuple((area, ka, kb, c) for c in codes)))
            relations.append(Relation((area, ka, kb, F.EXPENSE), tuple((area, ka, kb, g) for g in F.EXPENSE_GROUPS)))
    return cells, relations

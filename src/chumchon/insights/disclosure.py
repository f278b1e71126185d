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

import polars as pl
from django.db.models import Case, Sum, Value, When
from django.utils.translation import gettext as _

from chumchon.areas.models import LEVEL_FIELD, Level, level_of
from chumchon.areas.selectors import child_codes
from chumchon.core.disclosure import Cell, Relation, kept, protect_below
from chumchon.core.thai import Month, fiscal_year, fiscal_year_months
from chumchon.insights.dashboard import figures as F
from chumchon.ledgers.selectors import (
    area_month_categories,
    category_kinds,
    household_month_categories,
    household_months_reported,
    rollups_version,
)
from chumchon.registry.selectors import households_moved

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
    index = {m.first_day: i for i, m in enumerate(months)}  # months as 0–11 (cheap to hash)
    children = child_codes(parent)
    areas = [parent, *children]
    periods = published_periods(fy)
    spans = [[i for i, m in enumerate(months) if a <= m <= b] for a, b in periods]

    # Categories by area and month: amount and households (exact per month).
    amount: dict[tuple[str, int, str], int] = {}
    count: dict[tuple[str, int, str], int] = {}
    for code, month, cat, satang, n in area_month_categories(areas, months[0], months[-1]).values_list(
        "area_code", "month", "category_id", "amount", "households"
    ):
        amount[code, index[month], cat] = satang
        count[code, index[month], cat] = n

    # Households reporting, with income and with expense, by area and period (exact).
    distinct = _households_by_period(parent, children, months, spans, sets)

    none = [0] * len(periods)
    cells: dict[Key, Cell] = {}
    for area in areas:
        for k, ((a, b), span) in enumerate(zip(periods, spans, strict=True)):
            ka, kb = a.iso(), b.iso()
            reporting = distinct.get((area, REPORTING), none)[k]
            cells[area, ka, kb, REPORTING] = Cell(reporting, reporting, reporting)
            for cat in kinds.by_code:
                ns = [count.get((area, i, cat), 0) for i in span]
                value = sum(amount.get((area, i, cat), 0) for i in span)
                cells[area, ka, kb, cat] = Cell(value, max(ns), min(sum(ns), reporting))
            for name, codes in sets.items():
                value = sum(cells[area, ka, kb, c].value for c in codes)
                if name in ("income", "expense"):
                    n = distinct.get((area, name), none)[k]
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


_MASKS = {REPORTING: "reported", "income": "with_income", "expense": "with_expense"}


def _households_by_period(
    parent: str, children: list[str], months: list[Month], spans: list[list[int]], sets: dict[str, tuple[str, ...]]
) -> dict[tuple[str, str], list[int]]:
    """(area, ``households_reporting`` / ``income`` / ``expense``) → the households
    counted in each published period, for ``parent`` and each child.

    The database sums one row a child and household: the months it reported, with
    income and with expense, as bits (month *i* of the year is bit *i*; a household has
    one rollup row a month, so the sum of its months' bits is their union). A period
    counts the households whose mask meets its months; a parent's mask is the union of
    its children's. Reporting is the registry's (``household_months_reported``: the
    month under the one village its rollup row names). Income and expense count the
    households behind the amounts, so for a household that moved — whose lines of one
    month may be in two villages — they are read from its lines' villages (the
    household × month × category rows) instead."""
    if not children:
        return {}
    width = len(children[0])
    column = LEVEL_FIELD[level_of(children[0])]
    first, last = months[0], months[-1]
    bit = Case(*(When(month=m.first_day, then=Value(1 << i)) for i, m in enumerate(months)), default=Value(0))
    rows = (
        household_months_reported(parent, first, last)
        .annotate(bit=bit)
        .values(column, "household_id")
        .annotate(
            reported=Sum("bit"),
            with_income=Sum(Case(When(income__gt=0, then="bit"), default=Value(0))),
            with_expense=Sum(Case(When(expense__gt=0, then="bit"), default=Value(0))),
        )
        .values_list(column, "household_id", *_MASKS.values())
    )
    schema = {"area": pl.String, "household": pl.Int64, **dict.fromkeys(_MASKS.values(), pl.Int64)}
    frame = pl.DataFrame(list(rows), schema=schema, orient="row")

    moved = list(household_months_reported(parent, first, last).filter(household_id__in=households_moved())
                 .values_list("household_id", flat=True).distinct())  # fmt: skip
    if moved:
        index = {m.first_day: i for i, m in enumerate(months)}
        income_codes = frozenset(sets[F.INCOME])
        flows: dict[tuple[str, int, int], list[int]] = {}  # (child, household, month) → income, expense
        for village, household, month, category, amount in (
            household_month_categories(first, last, household_ids=moved, categories=[*sets[F.INCOME], *sets[F.EXPENSE]])
            .filter(village_code__startswith=parent)
            .values_list("village_code", "household_id", "month", "category_id", "amount")
        ):
            sums = flows.setdefault((village[:width], household, index[month]), [0, 0])
            sums[category not in income_codes] += amount
        masks: dict[tuple[str, int], list[int]] = {}
        for (child, household, i), (income, expense) in flows.items():
            bits = masks.setdefault((child, household), [0, 0])
            bits[0] |= (income > 0) << i
            bits[1] |= (expense > 0) << i
        reported = frame.filter(pl.col("household").is_in(moved)).select("area", "household", "reported")
        lines = pl.DataFrame(
            [(child, household, income, expense) for (child, household), (income, expense) in masks.items()],
            schema={"area": pl.String, "household": pl.Int64, "with_income": pl.Int64, "with_expense": pl.Int64},
            orient="row",
        )
        frame = pl.concat(
            [
                frame.filter(~pl.col("household").is_in(moved)),
                reported.join(lines, on=["area", "household"], how="full", coalesce=True).fill_null(0),
            ]
        ).select(list(schema))

    whole = frame.group_by("household").agg(pl.col(mask).bitwise_or() for mask in _MASKS.values())
    whole = whole.with_columns(area=pl.lit(parent))
    counts = [
        ((pl.col(mask) & sum(1 << i for i in span)) != 0).sum().alias(f"{mask}:{p}")
        for mask in _MASKS.values()
        for p, span in enumerate(spans)
    ]
    found: dict[tuple[str, str], list[int]] = {}
    for part in (frame, whole):
        for row in part.group_by("area").agg(counts).iter_rows(named=True):
            for name, mask in _MASKS.items():
                found[row["area"], name] = [row[f"{mask}:{p}"] for p in range(len(spans))]
    return found

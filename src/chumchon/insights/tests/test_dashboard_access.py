"""The dashboard as each reader may see it: small cells hidden from aggregate-only
roles, the rows behind a figure only within person-level scope, maps by child area,
and the number of queries a page costs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from chumchon.access.models import Role
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.insights import dashboard as D
from chumchon.insights import disclosure
from chumchon.insights.dashboard import (
    FIGURES,
    Dashboard,
    RowsNotAllowed,
    dashboard_for,
    dashboard_for_user,
    figure_by_child_area,
    figure_rows_for_user,
    figure_value,
)
from chumchon.insights.selectors import area_figures_for_user
from chumchon.insights.tests.test_dashboard import FIRST, LAST, expected, raw
from chumchon.insights.tests.test_dashboard import world as world
from tests import factories

pytestmark = pytest.mark.django_db


def area(code: str) -> Area:
    return Area.objects.get(code=code)


def amounts(d: Dashboard) -> list[object]:
    """Every amount and count of a dashboard, nested lists flattened."""
    out: list[object] = []

    def walk(value: object) -> None:
        if isinstance(value, list):
            for v in value:
                walk(v)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                if f.name not in ("month", "previous", "start", "end"):
                    walk(getattr(value, f.name))
        elif isinstance(value, Decimal | int) and not isinstance(value, bool):
            out.append(value)

    for f in dataclasses.fields(d):
        if f.name not in ("months", "start", "end"):
            walk(getattr(d, f.name))
    return out


def test_aggregate_only_reader_sees_nothing_of_a_village_with_few_households(world):
    agency = factories.user(Role.AGENCY, "37")
    national = factories.user(Role.AGENCY, None)
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    for reader in (agency, national):
        d = dashboard_for_user(reader, area("37010103"), FIRST, LAST)
        assert d.suppressed and d.reporting is None and d.households is None
        assert amounts(d) == []
        assert d.spending_by_category == d.trend == d.repayment == d.comparisons == []
    full = dashboard_for_user(staff, area("37010103"), FIRST, LAST)
    assert not full.suppressed and full.reporting == 3
    assert full == dashboard_for("37010103", FIRST, LAST)


FY_FIRST, FY_LAST = Month(2023, 10), Month(2024, 9)  # fiscal year 2567: a published period


def _lines_follow_the_pattern(seen: Dashboard, full: Dashboard, pattern: frozenset[str], small: set[str]) -> int:
    """Every line is the full one, or hidden when the disclosure pattern hides it; every
    small cell is hidden. Returns how many lines were hidden."""
    assert small <= pattern
    hidden = 0
    for name in ("income_by_source", "spending_by_group", "spending_by_category", "avoidable_by_category"):
        shown = {x.code: x for x in getattr(seen, name)}
        for b in getattr(full, name):
            a = shown[b.code]
            if b.code in pattern:
                assert (a.total, a.per_household_month) == (None, None), b.code
                hidden += 1
            else:
                assert a == b, b.code
    return hidden


def test_aggregate_only_reader_sees_no_cell_under_five_households(world):
    agency = factories.user(Role.AGENCY, "37")
    seen = dashboard_for_user(agency, area("37010101"), FY_FIRST, FY_LAST)
    full = dashboard_for("37010101", FY_FIRST, FY_LAST)
    assert not seen.suppressed
    gambling = next(x for x in full.avoidable_by_category if x.code == "C10")
    assert gambling.households == 2 and gambling.total
    hidden = next(x for x in seen.avoidable_by_category if x.code == "C10")
    assert (hidden.total, hidden.per_household_month, hidden.households) == (None, None, None)
    pattern = disclosure.hidden_cells("37010101", FY_FIRST, FY_LAST)
    small = {
        x.code
        for name in ("income_by_source", "spending_by_category", "avoidable_by_category")
        for x in getattr(full, name)
        if 0 < (x.households or 0) < 5
    }
    assert "C10" in small and _lines_follow_the_pattern(seen, full, pattern, small) >= len(small) >= 1
    for a, b in zip(seen.trend, full.trend, strict=True):
        if 0 < (b.reporting or 0) < 5:
            assert a == D.MonthPoint(b.month, None, None, None, None)
    for key in ("deficit_households", "debt_fell", "debt_cleared", "debt_households"):
        value = getattr(full, key)
        if 0 < value < 5:
            assert getattr(seen, key) is None, key
    # The village's opportunity sentences only speak of cells that are shown.
    assert {o.code for o in seen.opportunities} <= {x.code for x in seen.local_food if x.total}


def test_an_unpublished_span_is_refused_to_an_aggregate_only_reader(world):
    with pytest.raises(disclosure.PeriodNotPublished):
        dashboard_for_user(factories.user(Role.AGENCY, "37"), area("370101"), FIRST, LAST)


def floors(area_code: str, first: Month = FIRST, last: Month = LAST) -> dict[str, int]:
    """Independently, from the raw lines: per category, the most households with lines
    in it (net of reversals) in any one month of the span, in the area."""
    net: dict[tuple[str, dt.date, int], int] = defaultdict(int)
    for e in raw(area_code, first, last).entries:
        net[(e.category_id, e.date.replace(day=1), e.household_id)] += -1 if e.reverses_id else 1
    per_month: dict[tuple[str, dt.date], int] = defaultdict(int)
    for (code, month, _), n in net.items():
        per_month[(code, month)] += n > 0
    out: dict[str, int] = defaultdict(int)
    for (code, _), n in per_month.items():
        out[code] = max(out[code], n)
    return out


@pytest.mark.parametrize("code", ["370101", "3701"])
def test_above_a_village_a_category_fewer_than_five_households_bought_is_hidden(world, code):
    agency = factories.user(Role.AGENCY, "37")
    seen = dashboard_for_user(agency, area(code), FY_FIRST, FY_LAST)
    full = dashboard_for(code, FY_FIRST, FY_LAST)
    pattern = disclosure.hidden_cells(code, FY_FIRST, FY_LAST)
    floor = floors(code, FY_FIRST, FY_LAST)
    assert 0 < floor["C10"] < 5  # the two gamblers of the first village
    small = {c for c, n in floor.items() if 0 < n < 5}
    assert _lines_follow_the_pattern(seen, full, pattern, small) >= 1
    assert seen.avoidable_total is None if "avoidable" in pattern else seen.avoidable_total == full.avoidable_total
    # The same rule on the map of a category by child area.
    district = figure_by_child_area(agency, area("3701"), FY_FIRST, FY_LAST, D.CATEGORY, "C10")
    assert next(v for v in district if v.area.code == "370101").value is None
    staff_view = figure_by_child_area(
        factories.user(Role.PROVINCE_COORDINATOR, "37"), area("3701"), FY_FIRST, FY_LAST, D.CATEGORY, "C10"
    )
    assert next(v for v in staff_view if v.area.code == "370101").value is not None


def test_the_figures_api_hides_the_cells_of_the_pattern(world):
    agency = factories.user(Role.AGENCY, "37")
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    tambon = area("370101")
    seen = area_figures_for_user(agency, tambon, FY_FIRST, FY_LAST).as_json()
    full = area_figures_for_user(staff, tambon, FY_FIRST, FY_LAST).as_json()
    pattern = disclosure.hidden_cells("370101", FY_FIRST, FY_LAST)
    floor = floors("370101", FY_FIRST, FY_LAST)
    assert seen["by_category"]["C10"] is None and full["by_category"]["C10"]
    for code, value in full["by_category"].items():
        assert seen["by_category"][code] == (None if code in pattern else value), code
        if 0 < floor[code] < 5:
            assert code in pattern
    for key in ("income", "expense", "avoidable", "local_food"):
        assert seen[key] == (None if key in pattern else full[key]), key


# --- traceability ----------------------------------------------------------------------


def test_rows_behind_a_figure_stay_in_the_readers_scope(world):
    volunteer = factories.user(Role.VOLUNTEER, "37010101")
    agency = factories.user(Role.AGENCY, "37")
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    rows = figure_rows_for_user(volunteer, area("37010101"), FIRST, LAST, figure=D.INCOME)
    rw = raw("37010101", FIRST, LAST)
    income_codes = {c for c, cat in rw.cats.items() if cat.kind == "income" and "borrowing" not in cat.flags}
    want: dict[int, Decimal] = {}
    for e in rw.entries:
        if e.category_id in income_codes:
            want[e.household_id] = want.get(e.household_id, Decimal(0)) + e.amount
    assert {h.household_id: h.amount for h in rows.households} == want
    assert all(h.village_code == "37010101" and h.head_name for h in rows.households)
    assert sorted(rows.entries.values_list("pk", flat=True)) == sorted(
        e.pk for e in rw.entries if e.category_id in income_codes
    )
    assert rows.total == dashboard_for("37010101", FIRST, LAST).income_total
    for user, code in [(volunteer, "37010102"), (volunteer, "370101"), (agency, "37010101"), (staff, "3701")]:
        for figure in (D.INCOME, D.HOUSEHOLDS, D.DEBT, D.DEFICIT):
            with pytest.raises(RowsNotAllowed):
                figure_rows_for_user(user, area(code), FIRST, LAST, figure=figure)
    with pytest.raises(D.UnknownFigure):
        figure_rows_for_user(staff, area("370101"), FIRST, LAST, figure="nonsense")
    with pytest.raises(D.UnknownFigure):
        figure_rows_for_user(staff, area("370101"), FIRST, LAST, figure=D.CATEGORY)


def test_rows_add_up_to_every_figure(world):
    staff = factories.user(Role.DISTRICT_COORDINATOR, "3701")
    tambon = area("370101")
    d = dashboard_for("370101", FIRST, LAST)

    def rows(figure: str, category: str | None = None) -> D.FigureRows:
        return figure_rows_for_user(staff, tambon, FIRST, LAST, figure=figure, category=category)

    def entries_total(r: D.FigureRows) -> Decimal:
        return sum((e.amount for e in r.entries), Decimal(0))

    assert len(rows(D.HOUSEHOLDS).households) == d.households
    assert len(rows(D.REPORTING).households) == d.reporting
    group = {x.code: x for x in d.spending_by_group}
    for figure, total, count in [
        (D.INCOME, d.income_total, None),
        (D.EXPENSE, d.expense_total, None),
        (D.PRODUCTION, group["production"].total, group["production"].households),
        (D.AVOIDABLE, d.avoidable_total, None),
        (D.LOCAL_FOOD, d.local_food_total, None),
        (D.INTEREST, d.interest_paid, None),
        (D.PRINCIPAL, d.principal_repaid, None),
        (D.BORROWING, d.borrowing_total, None),
    ]:
        r = rows(figure)
        assert r.total == total == entries_total(r), figure
        assert count is None or len(r.households) == count
    gambling = next(x for x in d.avoidable_by_category if x.code == "C10")
    r = rows(D.CATEGORY, "C10")
    assert gambling.households is None  # not counted above a village
    assert (len(r.households), r.total, entries_total(r)) == (2, gambling.total, gambling.total)
    surplus = rows(D.SURPLUS)
    assert surplus.total == d.income_total - d.expense_total  # type: ignore[operator]
    deficit = rows(D.DEFICIT)
    assert len(deficit.households) == d.deficit_households and all(h.amount < 0 for h in deficit.households)  # type: ignore[operator]
    assert {e.household_id for e in deficit.entries} <= {h.household_id for h in deficit.households}
    debt = rows(D.DEBT)
    assert (len(debt.households), debt.total, debt.entries.count()) == (d.debt_households, d.debt_total, 0)
    for line in d.debts_by_source:
        by_source = rows(D.DEBT_SOURCE, line.code)
        assert (len(by_source.households), by_source.total) == (line.households, line.principal)
    fell, cleared = rows(D.DEBT_FELL), rows(D.DEBT_CLEARED)
    assert (len(fell.households), len(cleared.households)) == (d.debt_fell, d.debt_cleared)
    assert all(h.amount > 0 for h in fell.households)  # type: ignore[operator]
    assert {h.household_id for h in cleared.households} <= {h.household_id for h in fell.households}
    for row in d.repayment:
        r = rows(D.OCCUPATION, row.occupation_group)
        assert len(r.households) == row.households
        mean = (sum(h.amount for h in r.households) / len(r.households)).quantize(Decimal("0.01"))  # type: ignore[misc]
        assert abs(mean - row.avg_yearly_surplus) <= Decimal("0.01")  # type: ignore[operator]


# --- maps and single values -------------------------------------------------------------


def test_child_values_are_the_childrens_figures(world):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    agency = factories.user(Role.AGENCY, "37")
    villages = ["37010101", "37010102", "37010103"]
    boards = {v: dashboard_for(v, FIRST, LAST) for v in villages}
    got = figure_by_child_area(staff, area("370101"), FIRST, LAST, D.INCOME)
    assert [c.area.code for c in got] == villages
    assert [c.value for c in got] == [boards[v].income_mean for v in villages]
    assert [c.reporting for c in got] == [boards[v].reporting for v in villages]
    fy = {v: dashboard_for(v, FY_FIRST, FY_LAST) for v in villages}
    seen = figure_by_child_area(agency, area("370101"), FY_FIRST, FY_LAST, D.INCOME)
    want = [None if "income" in disclosure.hidden_cells(v, FY_FIRST, FY_LAST) else fy[v].income_mean for v in villages]
    assert [c.value for c in seen] == want and want[2] is None and want[0] is not None
    gambling = figure_by_child_area(staff, area("370101"), FIRST, LAST, D.CATEGORY, "C10")
    assert (
        gambling[0].value
        == next(x for x in boards["37010101"].avoidable_by_category if x.code == "C10").per_household_month
    )
    assert gambling[1].value == Decimal("0.00")
    hidden = figure_by_child_area(agency, area("370101"), FY_FIRST, FY_LAST, D.CATEGORY, "C10")
    assert [c.value for c in hidden] == [None, Decimal("0.00"), None]
    districts = figure_by_child_area(agency, area("37"), FY_FIRST, FY_LAST, D.REPORTING)
    by_code = {c.area.code: c.value for c in districts}
    assert by_code["3702"] is None  # 4 households: hidden from an agency
    # and 3701 beside it: the province's households reporting minus 3701's give 3702's
    assert disclosure.REPORTING in disclosure.hidden_cells("3701", FY_FIRST, FY_LAST)
    assert by_code["3701"] is None
    assert [c.reporting for c in districts if c.area.code in ("3701", "3702")] == [None, None]
    staff_view = figure_by_child_area(
        factories.user(Role.PROVINCE_COORDINATOR, "37"), area("37"), FY_FIRST, FY_LAST, D.REPORTING
    )
    by_code = {c.area.code: c.value for c in staff_view}
    assert by_code["3701"] == Decimal(expected("3701", FY_FIRST, FY_LAST)["reporting"])  # type: ignore[arg-type]
    assert figure_by_child_area(staff, area("37010101"), FIRST, LAST, D.INCOME) == []


@pytest.mark.parametrize("code", ["37010101", "370101", "3701"])
def test_single_values_are_the_dashboards(world, code):
    d = dashboard_for(code, FIRST, LAST)
    group = {x.code: x for x in d.spending_by_group}
    want = {
        D.HOUSEHOLDS: Decimal(d.households or 0),
        D.REPORTING: Decimal(d.reporting or 0),
        D.INCOME: d.income_mean,
        D.EXPENSE: d.expense_mean,
        D.SURPLUS: d.surplus_mean,
        D.DEFICIT: d.deficit_share,
        D.PRODUCTION: group["production"].per_household_month,
        D.CONSUMPTION: group["consumption"].per_household_month,
        D.FINANCIAL: group["financial"].per_household_month,
        D.AVOIDABLE: d.avoidable_per_household_month,
        D.LOCAL_FOOD: d.local_food_per_household_month,
        D.DEBT: d.debt_total,
        D.DEBT_FELL: Decimal(d.debt_fell or 0),
        D.DEBT_CLEARED: Decimal(d.debt_cleared or 0),
    }
    for figure, value in want.items():
        assert figure_value(code, FIRST, LAST, figure) == value, figure
    for line in d.debts_by_source:
        assert figure_value(code, FIRST, LAST, D.DEBT_SOURCE, line.code) == line.principal
    for row in d.repayment:
        assert figure_value(code, FIRST, LAST, D.OCCUPATION, row.occupation_group) == row.avg_yearly_surplus
    assert set(FIGURES) == set(D.FIGURE_KEYS) and len(FIGURES) == 20


# --- cost -------------------------------------------------------------------------------


def test_query_counts_are_pinned(world, django_assert_max_num_queries):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    village, tambon = area("37010101"), area("370101")
    staff_scope_loaded = dashboard_for_user(staff, tambon, FIRST, LAST)  # scope cached on the user
    assert staff_scope_loaded.reporting
    # Two of them count the households of the span (registry.selectors.households_in_period),
    # two read the registry's version under which those counts are kept in the cache, and
    # the village's tables new to the cache are read from and written to its shared tier.
    with django_assert_max_num_queries(19):
        dashboard_for_user(staff, village, FIRST, LAST)
    with django_assert_max_num_queries(8):
        dashboard_for_user(staff, tambon, FIRST, LAST)
    with django_assert_max_num_queries(5):
        figure_by_child_area(staff, tambon, FIRST, LAST, D.LOCAL_FOOD)
    with django_assert_max_num_queries(5):
        rows = figure_rows_for_user(staff, tambon, FIRST, LAST, figure=D.AVOIDABLE)
        list(rows.entries)


def test_comparisons_load_apart_within_the_same_rules(world):
    agency = factories.user(Role.AGENCY, "37")
    volunteer = factories.user(Role.VOLUNTEER, "37010103")
    full = dashboard_for("37010101", FIRST, LAST)
    assert full.comparisons and dashboard_for("37010101", FIRST, LAST, with_comparisons=False).comparisons == []
    assert D.comparisons_for_user(agency, area("37010101"), FIRST, LAST) == full.comparisons
    assert D.comparisons_for_user(agency, area("37010103"), FIRST, LAST) == []  # 3 households reporting
    small = dashboard_for("37010103", FIRST, LAST).comparisons
    assert small and D.comparisons_for_user(volunteer, area("37010103"), FIRST, LAST) == small
    assert D.comparisons_for_user(agency, area("370101"), FIRST, LAST) == []

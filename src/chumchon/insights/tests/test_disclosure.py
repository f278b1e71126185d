"""Small cells do not come back by subtraction: the complementary suppression of
``insights.disclosure`` attacked as an intruder would, through the figures API."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

import pytest

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.disclosure import Cell, Relation, protect
from chumchon.core.thai import Month, fiscal_year_months
from chumchon.insights.disclosure import REPORTING, table
from chumchon.insights.tests.audit import determined
from chumchon.insights.tests.test_dashboard import world as world
from chumchon.ledgers.models import Category, HouseholdMonth, LedgerEntry
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.models import Household
from tests import factories

# --- the method on hand-made tables ---------------------------------------------------


def test_one_small_child_takes_a_second_one_with_it():
    cells = {"T": Cell(1000, 30, 30), "a": Cell(10, 2, 2), "b": Cell(500, 12, 12), "c": Cell(490, 16, 16)}
    assert protect(cells, [Relation("T", ("a", "b", "c"))]) == {"a", "b"}


def test_two_small_children_that_together_are_still_small_take_a_third():
    cells = {"T": Cell(1000, 30, 30), "a": Cell(10, 2, 2), "b": Cell(20, 1, 1)}
    cells |= {"c": Cell(480, 12, 12), "d": Cell(490, 15, 15)}
    assert protect(cells, [Relation("T", ("a", "b", "c", "d"))]) == {"a", "b", "c"}


def test_a_hidden_total_hides_one_of_its_parts_and_a_true_zero_is_shown():
    cells = {"T": Cell(30, 3, 3), "a": Cell(30, 3, 3), "b": Cell(0, 0, 0)}
    assert protect(cells, [Relation("T", ("a", "b"))]) == {"T", "a"}


def test_a_frozen_total_is_never_changed_and_the_parts_protect_it():
    cells = {"T": Cell(100, 3, 3), "a": Cell(60, 6, 6), "b": Cell(40, 7, 7)}
    hidden = protect(cells, [Relation("T", ("a", "b"))], frozen={"T": True})
    assert "T" in hidden and hidden & {"a", "b"}
    assert protect(cells, [Relation("T", ("a", "b"))], frozen={"T": False}) == set()


def test_suppression_crosses_dimensions_until_no_relation_gives_a_cell_away():
    # a 2 × 2 table with margins: the small cell needs a rectangle of four hidden cells
    v = {("r1", "c1"): (2, 1), ("r1", "c2"): (50, 9), ("r2", "c1"): (60, 8), ("r2", "c2"): (70, 12)}
    cells = {k: Cell(x, n, n) for k, (x, n) in v.items()}
    for r in ("r1", "r2"):
        cells[r, "*"] = Cell(sum(v[r, c][0] for c in ("c1", "c2")), 20, 20)
    for c in ("c1", "c2"):
        cells["*", c] = Cell(sum(v[r, c][0] for r in ("r1", "r2")), 20, 20)
    rel = [Relation((r, "*"), ((r, "c1"), (r, "c2"))) for r in ("r1", "r2")]
    rel += [Relation(("*", c), (("r1", c), ("r2", c))) for c in ("c1", "c2")]
    hidden = protect(cells, rel)
    assert hidden == {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}
    assert determined(cells, rel, hidden) == {}
    assert determined(cells, rel, {("r1", "c1")}) == {("r1", "c1"): 2}  # the attack works on one cell


# --- the attack through the API on generated data -----------------------------------

AREAS = ["37", "3701", "3702", "370101", "370102", "370201", "37010101", "37010102", "37010103"]


def _periods(fy: int) -> list[tuple[Month, Month]]:
    months = fiscal_year_months(fy)
    return [*((m, m) for m in months), *((months[i], months[i + 2]) for i in (0, 3, 6, 9)), (months[0], months[-1])]


def _true_households() -> dict[tuple[str, str, str, str], int]:
    """Independently, from the raw lines: households with lines (net of reversals) in
    each area, published period and category, and with any income or expense line."""
    cats = {c.code: c for c in Category.objects.all()}
    net: dict[tuple[str, dt.date, str, int], int] = defaultdict(int)
    for e in LedgerEntry.objects.all():
        for area in (e.village_id, e.tambon_code, e.district_code, e.province_code):
            net[area, e.date.replace(day=1), e.category_id, e.household_id] += -1 if e.reverses_id else 1
    out: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)
    for fy in (2566, 2567):
        for a, b in _periods(fy):
            for (area, month, code, household), n in net.items():
                if n <= 0 or not (a.first_day <= month <= b.first_day):
                    continue
                out[area, a.iso(), b.iso(), code].add(household)
                kind = cats[code]
                if kind.kind == "income" and "borrowing" not in kind.flags.split():
                    out[area, a.iso(), b.iso(), "income"].add(household)
                if kind.kind == "expense":
                    out[area, a.iso(), b.iso(), "expense"].add(household)
    return {k: len(v) for k, v in out.items()}


def _relations(fy: int) -> list[Relation]:
    """The equations a reader knows, built from the categories' own fields."""
    cats = list(Category.objects.all())
    income = [c.code for c in cats if c.kind == "income" and "borrowing" not in c.flags.split()]
    expense = [c.code for c in cats if c.kind == "expense"]
    sets = {"income": income, "expense": expense, "borrowing": ["F05"]}
    for g in ("production", "consumption", "financial"):
        sets[g] = [c.code for c in cats if c.kind == "expense" and c.group == g]
    for flag in ("avoidable", "local_food"):
        sets[flag] = [c.code for c in cats if flag in c.flags.split()]
    names = [c.code for c in cats] + list(sets)
    periods = _periods(fy)
    tree = {"37": ["3701", "3702"], "3701": ["370101", "370102"], "3702": ["370201"]}
    tree["370101"] = ["37010101", "37010102", "37010103"]
    rel: list[Relation] = []
    for a, b in periods:
        p = (a.iso(), b.iso())
        for parent, children in tree.items():
            rel += [Relation((parent, *p, n), tuple((c, *p, n) for c in children)) for n in names]
        for area in AREAS:
            rel += [Relation((area, *p, n), tuple((area, *p, c) for c in codes)) for n, codes in sets.items()]
            rel.append(
                Relation(
                    (area, *p, "expense"), tuple((area, *p, g) for g in ("production", "consumption", "financial"))
                )
            )
    year, quarters, months = periods[16], periods[12:16], periods[:12]
    for area in AREAS:
        for n in names:
            key = lambda period, n=n, area=area: (area, period[0].iso(), period[1].iso(), n)  # noqa: E731
            rel.append(Relation(key(year), tuple(key(q) for q in quarters)))
            rel += [Relation(key(q), tuple(key(m) for m in months if q[0] <= m[0] <= q[1])) for q in quarters]
    return rel


def _bearer(client, user) -> dict[str, str]:
    got = client.post(
        "/api/auth/token",
        {"username": user.username, "password": factories.PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {got.json()['token']}"}


@pytest.mark.django_db
def test_no_value_fewer_than_five_households_stand_behind_can_be_read_or_derived(world, client):
    auth = _bearer(client, factories.user(Role.AGENCY, "37"))
    truth = _true_households()
    cells: dict[tuple[str, str, str, str], Cell] = {}
    hidden: set[tuple[str, str, str, str]] = set()
    shown_small = []
    for fy in (2566, 2567):
        for a, b in _periods(fy):
            for area in AREAS:
                got = client.get(f"/api/areas/{area}/figures", {"from": a.iso(), "to": b.iso()}, **auth)
                assert got.status_code == 200, got.content
                body = got.json()
                values = {**body["by_category"]}
                values |= {k: body[k] for k in ("income", "expense", "production", "consumption", "financial")}
                values |= {k: body[k] for k in ("avoidable", "local_food", "borrowing")}
                for name, value in values.items():
                    key = (area, a.iso(), b.iso(), name)
                    n = truth.get(key, 0)
                    if value is None:
                        hidden.add(key)
                        cells[key] = Cell(0, n, n)
                        continue
                    cells[key] = Cell(round(Fraction(str(value)) * 100), n, n)
                    if (name in body["by_category"] or name in ("income", "expense")) and 0 < n < 5:
                        shown_small.append((key, n))
                reporting = body["households_reporting"]
                assert reporting is None or not 0 < reporting < 5, (area, a, b)
    assert shown_small == []
    small = {k for k in hidden if 0 < truth.get(k, 0) < 5}
    assert len(small) >= 10, "the generated data has small cells to protect"
    assert len(hidden) > len(small), "and some had to be hidden beside them"
    # Every hidden value the reader could compute from the shown ones, by any
    # combination of siblings, spans and categories:
    for fy in (2566, 2567):
        relations = _relations(fy)
        got = determined(cells, relations, hidden)
        assert {k: v for k, v in got.items() if 0 < truth.get(k, 0) < 5} == {}, fy


@pytest.mark.django_db
def test_an_aggregate_only_reader_gets_published_periods_only(world, client):
    auth = _bearer(client, factories.user(Role.AGENCY, "37"))
    bad = client.get("/api/areas/3701/figures", {"from": "2023-09", "to": "2023-11"}, **auth)
    assert bad.status_code == 422
    assert "ปีงบประมาณ" in bad.json()["detail"][0]["msg"]
    for span in (("2023-11", "2023-11"), ("2023-10", "2023-12"), ("2023-10", "2024-09")):
        assert client.get("/api/areas/3701/figures", {"from": span[0], "to": span[1]}, **auth).status_code == 200
    auth = _bearer(client, factories.user(Role.TAMBON_STAFF, "370101"))
    staff = client.get("/api/areas/370101/figures", {"from": "2023-09", "to": "2023-11"}, **auth)
    assert staff.status_code == 200 and staff.json()["income"] is not None


def _true_reporting() -> dict[tuple[str, str, str], int]:
    """Independently: households reporting in each area and published period, as the
    registry counts them (a household-month under the village its rollup row names)."""
    out: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    rows = HouseholdMonth.objects.filter(entries__gt=0).values_list("village_code", "month", "household_id")
    for fy in (2566, 2567):
        for a, b in _periods(fy):
            for village, month, household in rows:
                if a.first_day <= month <= b.first_day:
                    for area in (village, village[:6], village[:4], village[:2]):
                        out[area, a.iso(), b.iso()].add(household)
    return {k: len(v) for k, v in out.items()}


@pytest.mark.django_db
def test_the_tables_count_the_households_of_every_area_and_period_exactly(world):
    """Reporting, with income and with expense, over months, quarters and years, with a
    household that moved to another village mid-year and kept its accounts there."""
    mover = Household.objects.filter(village_id="37010101", status="active").first()
    mover.village = Area.objects.get(code="37010102")
    mover.save()
    ledger_entries_add(
        actor=Actor.system("test"),
        household=mover,
        lines=[LineInput(date=dt.date(2024, 2, 5), category="C01", amount=Decimal("120")),
               LineInput(date=dt.date(2024, 2, 6), category="I02", amount=Decimal("300"))],
    )  # fmt: skip
    households = _true_households()
    reporting = _true_reporting()
    checked = 0
    for parent in ("37", "3701", "370101"):
        for fy in (2566, 2567):
            cells, _ = table(parent, fy)
            for (area, a, b, name), cell in cells.items():
                if name == REPORTING:
                    expected = reporting.get((area, a, b), 0)
                elif name in ("income", "expense"):
                    expected = households.get((area, a, b, name), 0)
                else:
                    continue
                assert (cell.low, cell.high) == (expected, expected), (area, a, b, name)
                checked += expected > 0
    assert checked > 300

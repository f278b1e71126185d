"""No small household count comes back by subtraction: the household counts an
aggregate-only reader can get (``/api/areas/{code}`` with its children, the needs
summary, the figures of every published period) attacked as an intruder would —
siblings from their parent, and one period from another — over generated data with
villages of 1–4 households and households leaving at various dates.

The intruder is given more than a reader knows: every sum of children, and every
pair of counts that are truly equal (a month and the next where nobody left, a
quarter and its first month, all of the households being target households), as
equations; and that counts never rise from one month to the next, as bounds."""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction
from itertools import pairwise

import pytest
import time_machine

from chumchon.access.models import Role
from chumchon.core.disclosure import Cell, Relation
from chumchon.core.thai import Month, fiscal_year_months
from chumchon.insights.tests.audit import determined
from chumchon.registry.models import Household
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2024, 3, 15, 5, 0, tzinfo=dt.UTC)
VILLAGES = {  # village → households
    "37010101": 12,
    "37010102": 3,
    "37010103": 9,
    "37010104": 7,
    "37010201": 2,
    "37010202": 11,
    "37020101": 8,
    "37020102": 1,
    "37020103": 14,
}
TREE = {
    "37": ["3701", "3702"],
    "3701": ["370101", "370102"],
    "3702": ["370201"],
    "370101": ["37010101", "37010102", "37010103", "37010104"],
    "370102": ["37010201", "37010202"],
    "370201": ["37020101", "37020102", "37020103"],
}
AREAS = ["37", "3701", "3702", "370101", "370102", "370201", *VILLAGES]
NAMES = ("registered", "target")


@pytest.fixture
def registry():
    rng = random.Random(9)
    with time_machine.travel(TODAY, tick=False):
        for code, n in VILLAGES.items():
            village = factories.village(code[:6], int(code[6:]))
            for _ in range(n):
                h = factories.household(village, members=1, is_target=rng.random() < 0.35)
                if rng.random() < 0.3:  # left on a day between June 2023 and today
                    day = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randrange(288))
                    status = rng.choice(["moved", "dissolved", "not_found"])
                    Household.objects.filter(pk=h.pk).update(status=status, left_on=day)


def _periods(fy: int) -> list[tuple[Month, Month]]:
    months = fiscal_year_months(fy)
    return [*((m, m) for m in months), *((months[i], months[i + 2]) for i in (0, 3, 6, 9)), (months[0], months[-1])]


PERIODS = [p for fy in (2566, 2567) for p in _periods(fy)]
MONTHS = [a for a, b in PERIODS if a == b]


def _truth(codes: set[str]) -> dict[tuple[str, str, str, str], int]:
    """Independently: households registered under each area that had not left before
    the period began, and the target households among them."""
    rows = list(Household.objects.values_list("village_id", "left_on", "is_target"))
    out = {}
    for area in codes:
        for a, b in PERIODS:
            here = [t for v, left, t in rows if v.startswith(area) and (left is None or left >= a.first_day)]
            out[area, a.iso(), b.iso(), "registered"] = len(here)
            out[area, a.iso(), b.iso(), "target"] = sum(here)
    return out


def _bearer(client, user) -> dict[str, str]:
    got = client.post(
        "/api/auth/token", {"username": user.username, "password": factories.PASSWORD}, content_type="application/json"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {got.json()['token']}"}


def _everything_a_reader_gets(client) -> dict[tuple[str, str, str, str], list[int | None]]:
    """Every household count an aggregate-only reader can get, by cell, from each place."""
    auth = _bearer(client, factories.user(Role.AGENCY, "37"))
    got: dict[tuple[str, str, str, str], list[int | None]] = {}

    def seen(key: tuple[str, str, str, str], value: int | None) -> None:
        got.setdefault(key, []).append(value)

    now = ("2024-03", "2024-03")
    for area in AREAS:
        body = client.get(f"/api/areas/{area}", **auth).json()
        assert body["households_month"] == "2024-03" and body["households_left_during"] is None
        seen((area, *now, "registered"), body["households"])
        for child in body["children"]:
            seen((child["code"], *now, "registered"), child["households"])
            assert child["households_left_during"] is None
        needs = client.get(f"/api/areas/{area}/needs", **auth).json()
        seen((area, *now, "registered"), needs["households"])
        seen((area, *now, "target"), needs["target"])
        for a, b in PERIODS:
            figures = client.get(f"/api/areas/{area}/figures", {"from": a.iso(), "to": b.iso()}, **auth)
            assert figures.status_code == 200, figures.content
            seen((area, a.iso(), b.iso(), "registered"), figures.json()["households"])
            assert figures.json()["households_left_during"] is None
    return got


def _relations(truth: dict[tuple[str, str, str, str], int]) -> list[Relation]:
    rel = []
    tree = {parent: [c for c in {k[0] for k in truth} if c[:-2] == parent] for parent in TREE}
    for a, b in PERIODS:
        p = (a.iso(), b.iso())
        for parent, children in tree.items():
            rel += [Relation((parent, *p, n), tuple((c, *p, n) for c in children)) for n in NAMES]
    for area in sorted({k[0] for k in truth}):
        for n in NAMES:
            for m, following in pairwise(MONTHS):
                x, y = (area, m.iso(), m.iso(), n), (area, following.iso(), following.iso(), n)
                if truth[x] == truth[y]:
                    rel.append(Relation(x, (y,)))
            for a, b in PERIODS:
                x, y = (area, a.iso(), b.iso(), n), (area, a.iso(), a.iso(), n)
                if a != b and truth[x] == truth[y]:
                    rel.append(Relation(x, (y,)))
        for a, b in PERIODS:
            x, y = (area, a.iso(), b.iso(), "registered"), (area, a.iso(), b.iso(), "target")
            if truth[x] == truth[y]:
                rel.append(Relation(x, (y,)))
    return rel


def test_no_small_household_count_can_be_read_or_derived(registry, client):
    with time_machine.travel(TODAY, tick=False):
        got = _everything_a_reader_gets(client)
    truth = _truth({*AREAS, *(k[0] for k in got)})
    # One answer for a cell wherever it is read.
    assert {k: v for k, v in got.items() if len(set(v)) != 1} == {}
    shown = {k: v[0] for k, v in got.items() if v[0] is not None}
    hidden = {k for k, v in got.items() if v[0] is None}
    assert {k: (v, truth[k]) for k, v in shown.items() if v != truth[k]} == {}
    assert {k for k in shown if 0 < truth[k] < 5} == set()
    small = {k for k in hidden if 0 < truth[k] < 5}
    assert len(small) >= 20, "the generated data has small counts to protect"
    assert len(hidden) > len(small), "and some had to be hidden beside them"
    # Every cell of the tables, shown or hidden (those a page never shows are hidden
    # too: the attacker does not know them).
    cells = {k: Cell(v, v, v) for k, v in truth.items()}
    unknown = hidden | (set(truth) - set(shown))
    found = determined(cells, _relations(truth), unknown)
    assert {k: v for k, v in found.items() if 0 < truth[k] < 5} == {}
    # Bounds between months: a count never rises, so a hidden count lies between the
    # shown counts of the months around it; it must never be pinned to one value.
    for k in small:
        area, first, last, name = k
        if first != last:
            continue
        m = Month.parse(first)
        around = {x: shown.get((area, x.iso(), x.iso(), name)) for x in MONTHS}
        before = [v for x, v in around.items() if x < m and v is not None]
        after = [v for x, v in around.items() if x > m and v is not None]
        if before and after:
            assert min(before) > max(after), k
    assert Fraction(len(shown), len(got)) > Fraction(1, 2), "most counts are still shown"


def test_a_reader_who_knows_one_village_does_not_get_its_small_neighbour_back():
    """A volunteer of one village who also reads the province's aggregates sees their
    village whole. Were it the village hidden beside a small one, the tambon's count
    less the others would give the small one away: another is hidden in its place."""
    from chumchon.access.models import Assignment
    from chumchon.areas.models import Area
    from chumchon.registry.selectors import household_counts_for_user

    sizes = {"37010101": 20, "37010102": 3, "37010103": 6, "37010104": 9}
    with time_machine.travel(TODAY, tick=False):
        for code, n in sizes.items():
            village = factories.village(code[:6], int(code[6:]))
            for _ in range(n):
                factories.household(village, members=1)
        agency = factories.user(Role.AGENCY, "37")
        both = factories.user(Role.VOLUNTEER, "37010103")
        Assignment.objects.create(user=both, role=Role.AGENCY, area=Area.objects.get(code="37"))
        codes = [*sizes, "370101"]
        plain = household_counts_for_user(agency, codes)
        mine = household_counts_for_user(both, codes)
    assert {c: plain[c].registered for c in sizes} == {
        "37010101": 20,
        "37010102": None,
        "37010103": None,
        "37010104": 9,
    }
    assert {c: mine[c].registered for c in sizes} == {"37010101": 20, "37010102": None, "37010103": 6, "37010104": None}
    assert plain["370101"].registered == mine["370101"].registered == 38
    month = ("2024-03", "2024-03")
    cells = {(c, *month, "registered"): Cell(n, n, n) for c, n in {**sizes, "370101": 38}.items()}
    relation = Relation(("370101", *month, "registered"), tuple((c, *month, "registered") for c in sizes))
    unknown = {(c, *month, "registered") for c in sizes if mine[c].registered is None}
    assert determined(cells, [relation], unknown) == {}

"""The standard figures, checked against an independent computation on generated data."""

import datetime as dt
import json
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.core.thai import Month
from chumchon.insights.selectors import area_figures
from chumchon.ledgers.models import Category, LedgerEntry
from chumchon.ledgers.services import LineInput, ledger_entries_add, ledger_entry_reverse
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    """Three villages in two tambons, random lines over five months, some reversed."""
    rng = random.Random(2024)
    admin = Actor(user=None)
    codes = list(Category.objects.values_list("code", flat=True))
    households = []
    for tambon, no in [("370101", 1), ("370101", 2), ("370102", 1)]:
        village = factories.village(tambon, no)
        households += [factories.household(village) for _ in range(4)]
    households.append(factories.household(factories.village("370101", 3)))  # registered, never reports
    for h in households[:-1]:
        lines = [
            LineInput(
                date=dt.date(2023, 11, 1) + dt.timedelta(days=rng.randint(0, 150)),
                category=rng.choice(codes),
                amount=Decimal(rng.randint(100, 900000)) / 100,
            )
            for _ in range(rng.randint(5, 40))
        ]
        entries = ledger_entries_add(actor=admin, household=h, lines=lines)
        for e in rng.sample(entries, k=min(2, len(entries))):
            ledger_entry_reverse(actor=admin, entry=e, reason="แก้ไข")
    return households


def expected(area_code: str, start: dt.date, end: dt.date) -> dict[str, object]:
    """Straight from the raw lines, category by category, in Decimal."""
    cats = {c.code: c for c in Category.objects.all()}
    lines = [e for e in LedgerEntry.objects.all() if start <= e.date <= end and (e.village_id.startswith(area_code))]
    by_cat = {code: sum((e.amount for e in lines if e.category_id == code), Decimal(0)) for code in cats}

    def total(pred) -> Decimal:  # type: ignore[no-untyped-def]
        return sum((v for code, v in by_cat.items() if pred(cats[code])), Decimal(0))

    net: dict[int, int] = {}
    for e in lines:
        net[e.household_id] = net.get(e.household_id, 0) + (1 if e.reverses_id is None else -1)
    return {
        "households_reporting": sum(1 for n in net.values() if n > 0),
        "income": total(lambda c: c.kind == "income" and "borrowing" not in c.flags),
        "expense": total(lambda c: c.kind == "expense"),
        "production": total(lambda c: c.kind == "expense" and c.group == "production"),
        "consumption": total(lambda c: c.kind == "expense" and c.group == "consumption"),
        "financial": total(lambda c: c.kind == "expense" and c.group == "financial"),
        "avoidable": total(lambda c: "avoidable" in c.flags),
        "local_food": total(lambda c: "local_food" in c.flags),
        "borrowing": total(lambda c: "borrowing" in c.flags),
        "by_category": by_cat,
    }


@pytest.mark.parametrize(
    ("area", "start", "end"),
    [
        ("37", "2023-11", "2024-03"),
        ("370101", "2023-12", "2024-02"),
        ("37010102", "2024-01", "2024-01"),
        ("3701", "2567-01", "2567-03"),
    ],
)
def test_figures_equal_the_raw_lines(generated, area, start, end):
    s, e = Month.parse(start), Month.parse(end)
    figures = area_figures(area, s, e)
    want = expected(area, s.first_day, e.last_day)
    for key in (
        "households_reporting",
        "income",
        "expense",
        "production",
        "consumption",
        "financial",
        "avoidable",
        "local_food",
        "borrowing",
        "by_category",
    ):
        assert getattr(figures, key) == want[key], key
    assert figures.expense == figures.production + figures.consumption + figures.financial
    registered = {"37": 13, "370101": 9, "37010102": 4, "3701": 13}[area]
    assert figures.households == registered


def test_command_prints_the_contracts_json(generated, capsys):
    call_command("figures", "370101", "--from", "2567-01", "--to", "2024-02", "--json")
    document = json.loads(capsys.readouterr().out)
    assert list(document)[:4] == ["area", "from", "to", "households"]
    assert (document["area"], document["from"], document["to"]) == ("370101", "2024-01", "2024-02")
    want = expected("370101", dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    assert document["income"] == float(want["income"])
    assert set(document["by_category"]) == set(Category.objects.values_list("code", flat=True))


def test_api_figures_are_scoped_and_hide_small_cells_from_agencies(generated, client):
    from tests.test_api import bearer

    factories.user(Role.TAMBON_STAFF, "370101", username="t")
    factories.user(Role.AGENCY, "37", username="a")
    mine = client.get("/api/areas/370101/figures?from=2023-11&to=2024-03", **bearer(client, "t")).json()
    assert mine["households_reporting"] == 8 and mine["income"] is not None
    assert client.get("/api/areas/370102/figures?from=2023-11&to=2024-03", **bearer(client, "t")).status_code == 404
    # The agency reads published periods only (a fiscal year here). The small tambon's
    # count and amounts are hidden, and so are its only sibling's with accounts, or
    # the district's minus the sibling's would give them back.
    fy = "from=2023-10&to=2024-09"
    small = client.get(f"/api/areas/370102/figures?{fy}", **bearer(client, "a")).json()
    assert small["households_reporting"] is None and small["income"] is None and small["by_category"]["C02"] is None
    big = client.get(f"/api/areas/370101/figures?{fy}", **bearer(client, "a")).json()
    district = client.get(f"/api/areas/3701/figures?{fy}", **bearer(client, "a")).json()
    assert district["income"] is not None and district["households_reporting"] == 12
    assert big["income"] is None and big["households_reporting"] is None
    staff = client.get(f"/api/areas/370101/figures?{fy}", **bearer(client, "t")).json()
    assert staff["income"] is not None and staff["households_reporting"] == 8
    assert client.get("/api/areas/370101/figures?from=2023-11&to=2024-03", **bearer(client, "a")).status_code == 422
    assert client.get("/api/areas/370101/figures?from=2024-13&to=2024-03", **bearer(client, "t")).status_code == 422

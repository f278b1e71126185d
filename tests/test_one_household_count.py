"""One count of households: every page, the API, the command line, the dashboard,
completeness, the household list and the forum pack give a tambon the same number of
households for a month (``registry.selectors.households_in_period``), checked against
a count made here by hand from the generated data."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.insights.forum.pack import forum_pack_build
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.services import household_verify
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2024, 3, 20, 5, 0, tzinfo=dt.UTC)  # noon in Thailand
MONTH = Month(2024, 3)
TAMBON = "370101"


@pytest.fixture
def tambon():
    """Two villages of ต.บุ่ง (7 and 6 households) and one of the tambon beside it (5),
    accounts January to March 2024. In the first village one household left in
    February (not counted in March), one on 5 March (counted, shown apart) and one left
    in February but had a form for March keyed late (it reported: counted)."""
    system = Actor(user=None)
    stops = {("37010101", 0): dt.date(2024, 2, 10), ("37010101", 1): dt.date(2024, 3, 5)}
    with time_machine.travel(TODAY, tick=False):
        made = {}
        for code, n in (("37010101", 7), ("37010102", 6), ("37010201", 5)):
            village = factories.village(code[:6], int(code[6:]))
            made[code] = [factories.household(village, members=1) for _ in range(n)]
            for i, h in enumerate(made[code]):
                stop = stops.get((code, i), dt.date(2099, 1, 1))
                days = [dt.date(2024, m, 3) for m in (1, 2, 3)]
                lines = [LineInput(date=d, category="C01", amount=Decimal(100)) for d in days if d < stop]
                ledger_entries_add(actor=system, household=h, lines=lines)
        gone, soon, late = made["37010101"][:3]
        household_verify(actor=system, household=gone, outcome="moved", left_on=dt.date(2024, 2, 10))
        household_verify(actor=system, household=soon, outcome="deceased", left_on=dt.date(2024, 3, 5))
        household_verify(actor=system, household=late, outcome="moved", left_on=dt.date(2024, 2, 25))
    return made


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_every_place_gives_the_tambon_the_same_count(tambon, client, capsys):
    # By hand: 7 + 6 households in the tambon, less the one gone in February; the one that
    # left on 5 March and the one that reported after leaving are counted, apart.
    registered, left = 12, 2
    cache.clear()
    staff = factories.user(Role.TAMBON_STAFF, TAMBON)
    district = factories.user(Role.DISTRICT_COORDINATOR, "3701")
    found: dict[str, int] = {}
    with time_machine.travel(TODAY, tick=False):
        client.force_login(staff)
        home = client.get(reverse("areas:home")).content.decode()
        found["home page"] = _number(re.search(rf"{TAMBON} · ([\d,]+)", home).group(1))
        page = client.get(reverse("areas:detail", args=[TAMBON]))
        found["tambon page"] = page.context["households"].registered
        assert f'<span class="num">{registered}</span>' in page.content.decode()
        listing = client.get(reverse("registry:list", args=[TAMBON]))
        found["household list"] = listing.context["page"].paginator.count
        dashboard = client.get(reverse("insights:dashboard", args=[TAMBON]), {"from": "2024-03", "to": "2024-03"})
        found["dashboard"] = dashboard.context["d"].households
        token = client.post(
            "/api/auth/token", {"username": staff.username, "password": factories.PASSWORD}, "application/json"
        ).json()["token"]
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        api = client.get(f"/api/areas/{TAMBON}", **auth).json()
        found["API area"] = api["households"]
        assert api["households_month"] == "2024-03" and api["households_left_during"] == left
        figures = client.get(f"/api/areas/{TAMBON}/figures", {"from": "2024-03", "to": "2024-03"}, **auth).json()
        found["API figures"] = figures["households"]
        assert figures["households_left_during"] == left
        assert figures["households_reporting"] <= figures["households"]
        found["forum pack"] = forum_pack_build(Area.objects.get(code=TAMBON), MONTH, user=staff).dashboard.households
        client.force_login(district)
        token = client.post(
            "/api/auth/token", {"username": district.username, "password": factories.PASSWORD}, "application/json"
        ).json()["token"]
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        above = client.get(reverse("areas:detail", args=["3701"]))
        found["district page row"] = next(n.registered for c, n, _ in above.context["rows"] if c.code == TAMBON)
        completeness = client.get(reverse("ledgers:completeness", args=["3701"]), {"to": "2024-03"})
        row = next(r for r in completeness.context["rows"] if r.area.code == TAMBON)
        found["completeness"] = row.cells[-1].registered
        assert row.cells[-1].reporting <= row.cells[-1].registered
        found["API district's children"] = next(
            c["households"] for c in client.get("/api/areas/3701", **auth).json()["children"] if c["code"] == TAMBON
        )
        capsys.readouterr()
        call_command("figures", TAMBON, "--from", "2567-03", "--to", "2567-03", "--json")
        found["chumchon figures"] = json.loads(capsys.readouterr().out)["households"]
    assert found == dict.fromkeys(found, registered), found

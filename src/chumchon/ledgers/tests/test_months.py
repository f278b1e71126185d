"""Completeness per village and month; closing and reopening months from the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.ledgers.models import MonthStatusChange
from chumchon.ledgers.selectors import completeness_for_user
from chumchon.ledgers.services import LineInput, ledger_entries_add, month_is_closed
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    village = factories.village("370101", 1)
    households = [factories.household(village) for _ in range(6)]
    for h in households[:4]:
        ledger_entries_add(
            actor=Actor(user=None),
            household=h,
            lines=[LineInput(date=dt.date(2024, 2, 3), category="C02", amount=Decimal("10"))],
        )
    ledger_entries_add(
        actor=Actor(user=None),
        household=households[0],
        lines=[LineInput(date=dt.date(2024, 3, 3), category="C02", amount=Decimal("10"))],
    )
    return village


def test_completeness_counts_reporting_over_registered(village):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    rows = completeness_for_user(staff, Area.objects.get(code="370101"), [Month(2024, 2), Month(2024, 3)])
    row = next(r for r in rows if r.area.code == village.code)
    assert row.registered == 6
    assert [(c.reporting, c.percent) for c in row.cells] == [(4, 67), (1, 17)]
    agency = factories.user(Role.AGENCY, "37")
    hidden = next(
        r
        for r in completeness_for_user(agency, Area.objects.get(code="370101"), [Month(2024, 2), Month(2024, 3)])
        if r.area.code == village.code
    )
    assert [(c.reporting, c.percent) for c in hidden.cells] == [(None, None), (None, None)]
    assert hidden.registered == 6


def test_a_household_gone_since_it_reported_still_counts_as_registered_in_that_month(village):
    """It moved away after February: February reads 4 of 6 (it was registered then);
    March, when it had stopped reporting, 1 of the 5 still registered."""
    from chumchon.registry.models import Household, HouseholdStatus

    reporter = Household.objects.filter(village=village, ledger_entries__date__month=2).exclude(
        ledger_entries__date__month=3
    )[0]
    Household.objects.filter(pk=reporter.pk).update(status=HouseholdStatus.MOVED, left_on=dt.date(2024, 2, 20))
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    row = next(
        r
        for r in completeness_for_user(staff, Area.objects.get(code="370101"), [Month(2024, 2), Month(2024, 3)])
        if r.area.code == village.code
    )
    assert row.registered == 5
    assert [(c.reporting, c.registered, c.percent) for c in row.cells] == [(4, 6, 67), (1, 5, 20)]


def test_close_and_reopen_from_the_page(client, village):
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    page = client.get(reverse("ledgers:completeness", args=["370101"]) + "?to=2024-03")
    assert page.status_code == 200 and "4<br><small>67%</small>" in page.content.decode().replace("\n", "").replace(
        "  ", ""
    )
    url = reverse("ledgers:month_status", args=[village.code, "2024-02"])
    client.post(url, {"action": "close", "back": "/ledgers/completeness/370101/?to=2024-03"})
    assert month_is_closed(village.code, dt.date(2024, 2, 1))
    client.post(url, {"action": "reopen", "reason": "", "back": "/"})
    assert month_is_closed(village.code, dt.date(2024, 2, 1))  # a reason is required
    client.post(url, {"action": "reopen", "reason": "แบบฟอร์มมาช้า", "back": "/"})
    assert not month_is_closed(village.code, dt.date(2024, 2, 1))
    assert list(MonthStatusChange.objects.values_list("action", flat=True)) == ["close", "reopen"]
    assert AuditEvent.objects.filter(object_type="month", object_id=f"{village.code}:2024-02").count() == 2


def test_others_cannot_close(client, village):
    for role, area in [(Role.VOLUNTEER, village), (Role.DISTRICT_COORDINATOR, "3701"), (Role.TAMBON_STAFF, "370102")]:
        client.force_login(factories.user(role, area))
        response = client.post(reverse("ledgers:month_status", args=[village.code, "2024-02"]), {"action": "close"})
        assert response.status_code in (403, 404)
    assert not MonthStatusChange.objects.exists()


def test_area_page_hides_small_counts_from_agencies(client, village):
    small = factories.village("370101", 2)
    factories.household(small)
    client.force_login(factories.user(Role.AGENCY, "37"))
    page = client.get(reverse("areas:detail", args=["370101"])).content.decode()
    # The village of one is hidden, and the village of six with it (the tambon's seven
    # minus six would give the one back).
    assert '<td class="num"><span title="' in page and '<td class="num">6</td>' not in page

"""What changed: an item's figures before it started and after — the eggs a village
bought before the egg-laying group began and after — against sums of the raw lines.
The clock is pinned (the latest whole month of accounts is what "after" reaches)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.scope import SYSTEM
from chumchon.access.services import Actor
from chumchon.core.thai import Month
from chumchon.ledgers.models import LedgerEntry
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.matching.models import Body, Match, MatchStep
from chumchon.matching.selectors import item_started_on
from chumchon.matching.tests.test_match import YEAR, _item
from chumchon.plans import services as plan_services
from chumchon.plans.selectors import before_after_for_user
from tests import factories

pytestmark = pytest.mark.django_db
EGGS = "C02"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2024, 9, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world():
    village = factories.village("370101", 1)
    households = [factories.household(village) for _ in range(6)]
    for n, household in enumerate(households):
        lines = []
        for month in range(1, 9):  # January – August 2024: fewer eggs bought from May
            amount = Decimal(300 + 10 * n) if month < 5 else Decimal(120 + 5 * n)
            lines.append(LineInput(date=dt.date(2024, month, 12), category=EGGS, amount=amount,
                                   key=f"egg-{household.pk}-{month}"))  # fmt: skip
        ledger_entries_add(actor=Actor.system("test"), household=household, lines=lines)
    item = _item(village, "กลุ่มเลี้ยงไก่ไข่", actor="agency", cost=20_000, households=6, domain="economy")
    plan_services.evidence_cite(actor=Actor.system("test"), figure="by_category", category=EGGS, area=village,
                                start=Month(2024, 1), end=Month(2024, 3), item=item)  # fmt: skip
    body = Body.objects.create(province_id="37", name="สำนักงานปศุสัตว์จังหวัด", kind="agency")
    match = Match.objects.create(item=item, body=body, area_code=village.code, province_code="37", fiscal_year=YEAR,
                                 stage="disbursed", amount=Decimal(20_000))  # fmt: skip
    MatchStep.objects.create(match=match, stage="accepted", on=dt.date(2024, 4, 2))
    MatchStep.objects.create(match=match, stage="disbursed", on=dt.date(2024, 5, 3))
    return {"village": village, "item": item}


def eggs(village: str, start: dt.date, end: dt.date) -> Decimal:
    """Independent: the eggs bought in the village over the span, from the lines."""
    total = LedgerEntry.objects.filter(village_id=village, category_id=EGGS, date__gte=start, date__lte=end).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal(0)


def test_the_figures_before_and_after_the_money_came_are_the_lines_sums(world):
    item = world["item"]
    assert item_started_on(item) == dt.date(2024, 5, 3)
    # Started in May; August is the latest whole month: 4 months after, the 4 before.
    months, rows = before_after_for_user(SYSTEM, item, Month(2024, 5), Month(2024, 8))
    assert months == 4
    (row,) = rows
    before = eggs(world["village"].code, dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    after = eggs(world["village"].code, dt.date(2024, 5, 1), dt.date(2024, 8, 31))
    assert (row.before, row.after, row.change) == (before, after, after - before)
    assert row.change < 0 and row.change_text.startswith("-")
    assert "ม.ค. 2567" in row.before_span and "ส.ค. 2567" in row.after_span


def test_no_month_after_yet_compares_nothing(world):
    assert before_after_for_user(SYSTEM, world["item"], Month(2024, 9), Month(2024, 8)) == (0, [])


def test_the_page_shows_it_and_an_item_not_started_has_none(world):
    client = Client()
    client.force_login(factories.user(Role.AGENCY, "37"))
    page = client.get(reverse("matching:item_change", args=[world["item"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-months="4"' in text and "3 พฤษภาคม 2567" in text
    waiting = _item(world["village"], "ยังไม่เริ่ม", actor="agency", cost=1_000, households=2)
    assert client.get(reverse("matching:item_change", args=[waiting.pk])).status_code == 404
    outsider = Client()
    outsider.force_login(factories.user())  # no assignment: reads nothing
    assert outsider.get(reverse("matching:item_change", args=[world["item"].pk])).status_code == 404

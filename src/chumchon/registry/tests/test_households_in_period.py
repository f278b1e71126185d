"""One count of households: ``households_in_period`` against an independent
computation over generated data, with households leaving at various dates, one whose
record moved to another village after it wrote accounts in the first, one with a line
written after the day it was found gone, and every household registered (created)
after the months of its accounts. The oracle reads the registry rows and the raw
ledger lines (never a rollup)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month, months_between
from chumchon.ledgers.models import LedgerEntry
from chumchon.ledgers.selectors import completeness_for_user
from chumchon.ledgers.services import LineInput, ledger_entries_add, ledger_entry_reverse
from chumchon.registry.models import Household, HouseholdChange
from chumchon.registry.selectors import (
    households_in_period,
    households_in_period_by_child,
    households_in_period_qs,
)
from chumchon.registry.services import RegistryError, household_erase, household_verify
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 4, 10, 12, 0, tzinfo=dt.UTC)
FIRST, LAST = Month(2023, 7), Month(2024, 4)
VILLAGES = {"37010101": 9, "37010102": 7, "37010103": 3, "37010201": 6, "37020101": 5}
OUTCOMES = ("moved", "deceased", "not_found")


@pytest.fixture
def world():
    """Households in five villages of three tambons keeping accounts from July 2023;
    about a third leave (moved away, deceased, found not to exist) on a random day,
    their accounts stopping the day before; some lines reversed."""
    rng = random.Random(10)
    system = Actor(user=None)
    with time_machine.travel(NOW, tick=False):
        households = []
        for code, n in VILLAGES.items():
            village = factories.village(code[:6], int(code[6:]))
            for _ in range(n):
                h = factories.household(village, members=1, is_target=rng.random() < 0.4)
                left = None
                if rng.random() < 0.35:
                    left = FIRST.first_day + dt.timedelta(days=rng.randrange((LAST.last_day - FIRST.first_day).days))
                lines = []
                for m in months_between(FIRST, LAST):
                    day = dt.date(m.year, m.month, rng.randint(1, 28))
                    if rng.random() < 0.7 and (left is None or day < left) and day <= NOW.date():
                        lines.append(LineInput(date=day, category="C01", amount=Decimal(rng.randint(50, 900))))
                entries = ledger_entries_add(actor=system, household=h, lines=lines)
                for e in entries:
                    if rng.random() < 0.1:
                        ledger_entry_reverse(actor=system, entry=e, reason="แก้ไข")
                households.append((h, left))
        # A line written after the household left (a late form): it still counts there.
        late = next(h for h, left in households if left is not None and left < dt.date(2024, 2, 1))
        ledger_entries_add(
            actor=system,
            household=late,
            lines=[LineInput(date=dt.date(2024, 3, 5), category="C01", amount=Decimal(99))],
        )
        for h, left in households:
            if left is not None:
                household_verify(actor=system, household=h, outcome=rng.choice(OUTCOMES), left_on=left)
        # A record moved to another tambon after its accounts were written in the first.
        moved = next(h for h, left in households if left is None and h.village_id == "37010102")
        there = Area.objects.get(code="37010201")
        moved = Household.objects.get(pk=moved.pk)  # as any writer reads it: the save marks it moved
        moved.village, moved.tambon_code, moved.district_code = there, "370102", "3701"
        moved.save()
        assert moved.moved
        yield households


def _oracle(area: str, start: Month, end: Month) -> dict[str, object]:
    """Independently: registered there and not left before the period, or with a line
    (net of reversals) written there in it."""
    net: dict[tuple[int, str], int] = defaultdict(int)
    for e in LedgerEntry.objects.filter(date__gte=start.first_day, date__lte=end.last_day):
        net[e.household_id, e.village_id] += -1 if e.reverses_id else 1
    reported = {h for (h, village), n in net.items() if n > 0 and village.startswith(area)}
    rows = {h.pk: h for h in Household.objects.all()}
    present = {
        pk
        for pk, h in rows.items()
        if h.village_id.startswith(area) and (h.left_on is None or h.left_on >= start.first_day)
    }
    ids = present | reported
    left = {pk for pk in ids if rows[pk].left_on is not None or not rows[pk].village_id.startswith(area)}
    return {
        "ids": ids,
        "registered": len(ids),
        "left_during": len(left),
        "reporting": len(reported),
        "target": len({pk for pk in present if rows[pk].is_target}),
    }


PERIODS = [
    *((m, m) for m in months_between(FIRST, LAST)),
    (Month(2023, 10), Month(2023, 12)),
    (Month(2023, 10), Month(2024, 9)),
    (Month(2023, 8), Month(2024, 2)),
    (Month(2022, 10), Month(2023, 9)),
    (Month(2024, 6), Month(2024, 6)),
]
AREAS = ["37", "3701", "3702", "370101", "370102", "370201", *VILLAGES]


def test_the_definition_against_an_independent_computation(world):
    left = [d for _, d in world if d is not None]
    assert len(left) >= 8 and len({Month.of(d) for d in left}) >= 6, "households leave at various dates"
    for start, end in PERIODS:
        for area in AREAS:
            want = _oracle(area, start, end)
            got = households_in_period(area, start, end)
            assert (got.registered, got.left_during, got.reporting, got.target) == (
                want["registered"],
                want["left_during"],
                want["reporting"],
                want["target"],
            ), (area, start, end)
            assert set(households_in_period_qs(area, start, end).values_list("pk", flat=True)) == want["ids"]
            assert got.reporting <= got.registered
        for parent, level in (("37", "district"), ("3701", "tambon"), ("370101", "village"), ("", "province")):
            rows = households_in_period_by_child(parent, level, start, end)
            for code, row in rows.items():
                assert row == households_in_period(code, start, end), (code, start, end)


def test_a_household_counts_in_the_months_before_it_left_and_never_by_its_created_at(world):
    h, left = next((h, d) for h, d in world if d is not None and d.day > 1 and d > dt.date(2023, 9, 1))
    h.refresh_from_db()
    assert h.created_at.date() == NOW.date()  # registered today, accounts from July 2023
    month = Month.of(left)
    assert h.pk in set(households_in_period_qs(h.village_id, month, month).values_list("pk", flat=True))
    assert h.pk in set(households_in_period_qs(h.village_id, FIRST, FIRST).values_list("pk", flat=True))
    after = month.next()
    reported_after = LedgerEntry.objects.filter(
        household=h, date__gte=after.first_day, date__lte=after.last_day, reverses__isnull=True
    ).exists()
    assert (h.pk in set(households_in_period_qs(h.village_id, after, after).values_list("pk", flat=True))) == (
        reported_after
    )


def test_no_village_is_ever_more_than_complete(world):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    months = months_between(FIRST, LAST)
    with time_machine.travel(NOW, tick=False):
        rows = completeness_for_user(staff, Area.objects.get(code="370101"), months)
    assert rows
    for row in rows:
        for cell in row.cells:
            assert cell.reporting is not None and cell.registered is not None
            assert cell.reporting <= cell.registered, (row.area.code, cell.month)
            assert cell.percent is None or cell.percent <= 100
            want = _oracle(row.area.code, cell.month, cell.month)
            assert (cell.reporting, cell.registered) == (want["reporting"], want["registered"])


# --- the services keep the day a household left --------------------------------------


def test_verification_dates_leaving_and_a_household_found_again_has_not_left():
    village = factories.village("370101", 1)
    staff = Actor(user=factories.user(Role.TAMBON_STAFF, "370101"))
    h = factories.household(village)
    with time_machine.travel(dt.datetime(2024, 5, 20, 3, 0, tzinfo=dt.UTC), tick=False):
        h = household_verify(actor=staff, household=h, outcome="moved")
        assert (h.status, h.left_on) == ("moved", dt.date(2024, 5, 20))
        h = household_verify(actor=staff, household=h, outcome="not_found")  # keeps its day
        assert (h.status, h.left_on) == ("not_found", dt.date(2024, 5, 20))
        h = household_verify(actor=staff, household=h, outcome="deceased", left_on=dt.date(2024, 3, 2))
        assert (h.status, h.left_on) == ("dissolved", dt.date(2024, 3, 2))
        change = HouseholdChange.objects.filter(household=h, kind="verify").first()
        assert change is not None and change.after["left_on"] == "2024-03-02"
        with pytest.raises(RegistryError):
            household_verify(actor=staff, household=h, outcome="moved", left_on=dt.date(2024, 5, 21))
        h.refresh_from_db()
        assert h.left_on == dt.date(2024, 3, 2)  # the refusal changed nothing
        h = household_verify(actor=staff, household=h, outcome="verified")
        assert (h.status, h.left_on) == ("active", None)
        h = household_erase(actor=staff, household=h, reason="ขอให้ลบ")
        assert (h.status, h.left_on) == ("dissolved", dt.date(2024, 5, 20))


def test_a_household_that_left_without_a_day_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    h = factories.household(factories.village("370101", 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=h.pk).update(status="moved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=h.pk).update(left_on=dt.date(2024, 1, 1))

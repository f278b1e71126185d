"""The households counted behind each area × month × category total (``households``):
equal to an independent count from the raw lines, through additions, reversals, a
household that moves mid-month, the rebuild and the forgetting of households."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.ledgers import rollups
from chumchon.ledgers.models import AreaMonthCategory, HouseholdMonthCategory, LedgerEntry
from chumchon.ledgers.rollups import rollups_forget_households, rollups_rebuild, rollups_verify
from chumchon.ledgers.services import LineInput, ledger_entries_add, ledger_entry_reverse
from chumchon.registry.models import Household
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return Actor(user=factories.user(Role.TAMBON_STAFF, "370101"))


def line(day: dt.date, category: str = "C02", amount: str = "50") -> LineInput:
    return LineInput(date=day, category=category, amount=Decimal(amount), item="ทดสอบ")


def move(household: Household, village_code: str) -> Household:
    village = factories.village(village_code[:6], int(village_code[6:]))
    Household.objects.filter(pk=household.pk).update(
        village=village, tambon_code=village.tambon_code, district_code=village.district_code
    )
    household.refresh_from_db()
    return household


def counted() -> dict[tuple[str, dt.date, str], int]:
    return {
        (r.area_code, r.month, r.category_id): r.households for r in AreaMonthCategory.objects.all() if r.households
    }


def independent() -> dict[tuple[str, dt.date, str], int]:
    """Households whose lines, net of reversals, are more than none, per area, month
    and category — from the raw lines, in Python."""
    net: dict[tuple[str, dt.date, str, int], int] = defaultdict(int)
    for e in LedgerEntry.objects.all():
        for area in (e.village_id, e.tambon_code, e.district_code, e.province_code):
            net[(area, e.date.replace(day=1), e.category_id, e.household_id)] += -1 if e.reverses_id else 1
    out: dict[tuple[str, dt.date, str], int] = defaultdict(int)
    for (area, month, category, _), n in net.items():
        if n > 0:
            out[(area, month, category)] += 1
    return dict(out)


def test_each_household_counts_once_and_a_reversed_one_not_at_all(staff):
    a, b = (factories.household(factories.village("370101", 1)) for _ in range(2))
    ledger_entries_add(actor=staff, household=a, lines=[line(dt.date(2024, 3, 2)), line(dt.date(2024, 3, 9))])
    ledger_entries_add(actor=staff, household=b, lines=[line(dt.date(2024, 3, 5))])
    march = dt.date(2024, 3, 1)
    for area in ("37010101", "370101", "3701", "37"):
        assert counted()[(area, march, "C02")] == 2
    ledger_entry_reverse(actor=staff, entry=LedgerEntry.objects.get(household=b), reason="ซ้ำ")
    assert counted()[("370101", march, "C02")] == 1
    # a's two lines: one reversed still leaves one, so a still counts
    ledger_entry_reverse(actor=staff, entry=LedgerEntry.objects.filter(household=a).first(), reason="ซ้ำ")
    assert counted()[("370101", march, "C02")] == 1
    assert counted() == independent()
    assert rollups_verify() == []


def test_a_household_that_moves_mid_month_counts_once_in_the_tambon(staff):
    h = factories.household(factories.village("370101", 1))
    ledger_entries_add(actor=staff, household=h, lines=[line(dt.date(2024, 3, 2))])
    h = move(h, "37010102")
    ledger_entries_add(actor=staff, household=h, lines=[line(dt.date(2024, 3, 20))])
    march = dt.date(2024, 3, 1)
    got = counted()
    assert (got[("37010101", march, "C02")], got[("37010102", march, "C02")]) == (1, 1)
    assert (got[("370101", march, "C02")], got[("37", march, "C02")]) == (1, 1)
    assert HouseholdMonthCategory.objects.filter(household=h, month=march).count() == 2
    # The line in the old village reversed: gone from it, still counted in the tambon.
    ledger_entry_reverse(actor=staff, entry=LedgerEntry.objects.get(village_id="37010101"), reason="ผิดหมู่บ้าน")
    got = counted()
    assert ("37010101", march, "C02") not in got and got[("370101", march, "C02")] == 1
    assert got == independent()
    assert rollups_verify() == []


@pytest.mark.parametrize("fresh_min", [1, rollups.FRESH_MIN_FACTS], ids=["partitioned", "upserted"])
def test_random_lines_reversals_and_moves_match_the_raw_lines_and_the_rebuild(staff, monkeypatch, fresh_min):
    # Every batch through either path: household-months not stored yet written straight
    # in beside stored ones upserted (each batch mixes both after the first round), or all upserted.
    monkeypatch.setattr(rollups, "FRESH_MIN_FACTS", fresh_min)
    rng = random.Random(11)
    villages = ["37010101", "37010102", "37010103"]
    households = [factories.household(factories.village("370101", rng.randint(1, 3))) for _ in range(12)]
    for round_no in range(3):
        for h in households:
            lines = [
                line(dt.date(2024, rng.randint(1, 3), rng.randint(1, 28)), rng.choice(["C02", "C08", "I01", "P02"]))
                for _ in range(rng.randint(0, 6))
            ]
            ledger_entries_add(actor=staff, household=h, lines=lines)
        originals = list(LedgerEntry.objects.filter(reverses__isnull=True, reversed_by__isnull=True))
        for entry in rng.sample(originals, k=min(8, len(originals))):
            ledger_entry_reverse(actor=staff, entry=entry, reason=f"รอบ {round_no}")
        for i in rng.sample(range(len(households)), k=3):
            households[i] = move(households[i], rng.choice(villages))
    expected = independent()
    assert counted() == expected and len(expected) > 20
    assert rollups_verify() == []
    AreaMonthCategory.objects.update(households=0)
    assert {d.table for d in rollups_verify()} == {"ledgers_areamonthcategory"}
    rollups_rebuild()
    assert counted() == expected and rollups_verify() == []


def test_forgetting_households_takes_them_out_of_the_counts(staff):
    village = factories.village("370101", 1)
    a, b = factories.household(village), factories.household(village)
    for h in (a, b):
        ledger_entries_add(
            actor=staff, household=h, lines=[line(dt.date(2024, 3, 2)), line(dt.date(2024, 4, 2), "C08")]
        )
    rollups_forget_households([a.pk])
    LedgerEntry.objects.filter(household=a).delete()
    assert counted() == independent()
    assert counted()[("370101", dt.date(2024, 3, 1), "C02")] == 1
    assert not HouseholdMonthCategory.objects.filter(household=a).exists()
    assert rollups_verify() == []

"""Ledger writes keep the rollups exact: checked against an independent sum."""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.ledgers.models import AreaMonthCategory, Category, HouseholdMonth, HouseholdMonthCategory, LedgerEntry
from chumchon.ledgers.rollups import rollups_rebuild, rollups_verify
from chumchon.ledgers.services import (
    LedgerError,
    LineInput,
    category_add,
    ledger_entries_add,
    ledger_entry_correct,
    ledger_entry_reverse,
    month_close,
    month_reopen,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return Actor(user=factories.user(Role.TAMBON_STAFF, "370101"))


def random_lines(rng: random.Random, n: int) -> list[LineInput]:
    codes = list(Category.objects.values_list("code", flat=True))
    return [
        LineInput(
            date=dt.date(2024, rng.randint(1, 3), rng.randint(1, 28)),
            category=rng.choice(codes),
            amount=Decimal(rng.randint(1, 500000)) / 100,
            item="ทดสอบ",
        )
        for _ in range(n)
    ]


def test_rollups_equal_an_independent_sum(staff):
    rng = random.Random(7)
    households = [factories.household(factories.village("370101", v)) for v in (1, 1, 2)]
    for h in households:
        ledger_entries_add(actor=staff, household=h, lines=random_lines(rng, 60))
    victim = LedgerEntry.objects.order_by("id")[5]
    ledger_entry_reverse(actor=staff, entry=victim, reason="เขียนผิด")
    assert rollups_verify() == []
    # Independent: sum the raw rows in Python.
    kinds = {c.code: c for c in Category.objects.all()}
    expected: dict[tuple[str, dt.date, str], int] = defaultdict(int)
    for e in LedgerEntry.objects.all():
        for code in (e.village_id, e.tambon_code, e.district_code, e.province_code):
            expected[(code, e.date.replace(day=1), e.category_id)] += int(e.amount * 100)
    stored = {
        (r.area_code, r.month, r.category_id): r.amount
        for r in AreaMonthCategory.objects.all()
        if r.amount or r.entries
    }
    assert stored == {k: v for k, v in expected.items() if v}
    for h in households:
        rows = HouseholdMonth.objects.filter(household=h)
        income = sum(
            int(e.amount * 100) for e in LedgerEntry.objects.filter(household=h)
            if kinds[e.category_id].kind == "income" and "borrowing" not in kinds[e.category_id].flags
        )  # fmt: skip
        assert sum(r.income for r in rows) == income
    hm = HouseholdMonth.objects.get(household=victim.household, month=victim.date.replace(day=1))
    assert (
        hm.entries
        == LedgerEntry.objects.filter(
            household=victim.household, date__month=victim.date.month, reverses__isnull=True
        ).count()
        - 1
    )


def test_verify_catches_a_tampered_total_and_rebuild_repairs_it(staff):
    h = factories.household(factories.village("370101", 1))
    ledger_entries_add(actor=staff, household=h, lines=random_lines(random.Random(1), 20))
    row = AreaMonthCategory.objects.filter(area_code="370101").first()
    AreaMonthCategory.objects.filter(pk=row.pk).update(amount=row.amount + 1)
    HouseholdMonthCategory.objects.filter(pk=HouseholdMonthCategory.objects.first().pk).delete()
    differences = {d.table: d for d in rollups_verify()}
    assert set(differences) == {"ledgers_areamonthcategory", "ledgers_householdmonthcategory"}
    assert differences["ledgers_householdmonthcategory"].missing_or_wrong == 1
    rollups_rebuild()
    assert rollups_verify() == []


def test_bad_lines_are_refused_whole(staff):
    h = factories.household(factories.village("370101", 1))
    good = LineInput(date=dt.date(2024, 1, 5), category="C02", amount=Decimal("120.00"))
    for bad, message in [
        (LineInput(date=dt.date(2024, 1, 5), category="Z99", amount=Decimal("1")), "ไม่รู้จักหมวด Z99"),
        (LineInput(date=dt.date(2024, 1, 5), category="C02", amount=Decimal("0")), "มากกว่า 0"),
        (LineInput(date=dt.date(2024, 1, 5), category="C02", amount=Decimal("1.005")), "ไม่ถูกต้อง"),
        (LineInput(date=dt.date(2099, 1, 5), category="C02", amount=Decimal("1")), "อนาคต"),
    ]:
        with pytest.raises(LedgerError, match=message):
            ledger_entries_add(actor=staff, household=h, lines=[good, bad])
    assert LedgerEntry.objects.count() == 0 and HouseholdMonth.objects.count() == 0


def test_the_same_keys_twice_add_once(staff):
    h = factories.household(factories.village("370101", 1))
    lines = [
        LineInput(date=dt.date(2024, 1, 5), category="C02", amount=Decimal("120.00"), key=f"phone-{i}")
        for i in range(3)
    ]
    ledger_entries_add(actor=staff, household=h, lines=lines, source="phone")
    ledger_entries_add(actor=staff, household=h, lines=lines, source="phone")
    assert LedgerEntry.objects.count() == 3
    assert HouseholdMonth.objects.get(household=h).expense == 36000


def test_corrections_keep_the_original(staff):
    h = factories.household(factories.village("370101", 1))
    (entry,) = ledger_entries_add(
        actor=staff, household=h, lines=[LineInput(date=dt.date(2024, 1, 5), category="C02", amount=Decimal("120.00"))]
    )
    new = ledger_entry_correct(
        actor=staff,
        entry=entry,
        line=LineInput(date=dt.date(2024, 1, 5), category="C02", amount=Decimal("210.00")),
        reason="พิมพ์ผิด",
    )
    assert [e.amount for e in LedgerEntry.objects.order_by("id")] == [
        Decimal("120.00"),
        Decimal("-120.00"),
        Decimal("210.00"),
    ]
    assert new.amount == Decimal("210.00")
    with pytest.raises(LedgerError, match="ถูกกลับรายการไปแล้ว"):
        ledger_entry_reverse(actor=staff, entry=entry, reason="อีกครั้ง")
    with pytest.raises(LedgerError, match="เหตุผล"):
        ledger_entry_reverse(actor=staff, entry=new, reason="  ")
    assert HouseholdMonth.objects.get(household=h).entries == 1
    assert rollups_verify() == []


def test_closed_months_refuse_writes_until_reopened_with_a_reason(staff):
    village = factories.village("370101", 1)
    h = factories.household(village)
    line = LineInput(date=dt.date(2024, 1, 5), category="C02", amount=Decimal("120.00"))
    month_close(actor=staff, village=village, month=dt.date(2024, 1, 1))
    with pytest.raises(LedgerError, match="ปิดบัญชีแล้ว"):
        ledger_entries_add(actor=staff, household=h, lines=[line])
    with pytest.raises(LedgerError, match="เหตุผล"):
        month_reopen(actor=staff, village=village, month=dt.date(2024, 1, 1), reason="")
    month_reopen(actor=staff, village=village, month=dt.date(2024, 1, 1), reason="ส่งแบบฟอร์มล่าช้า")
    ledger_entries_add(actor=staff, household=h, lines=[line])
    volunteer = Actor(user=factories.user(Role.VOLUNTEER, village))
    with pytest.raises(LedgerError, match="เฉพาะเจ้าหน้าที่ตำบล"):
        month_close(actor=volunteer, village=village, month=dt.date(2024, 1, 1))


def test_volunteers_write_only_in_their_village():
    village = factories.village("370101", 1)
    other = factories.village("370101", 2)
    volunteer = Actor(user=factories.user(Role.VOLUNTEER, village))
    line = LineInput(date=dt.date(2024, 1, 5), category="C02", amount=Decimal("1.00"))
    ledger_entries_add(actor=volunteer, household=factories.household(village), lines=[line])
    with pytest.raises(LedgerError, match="ไม่มีสิทธิ์"):
        ledger_entries_add(actor=volunteer, household=factories.household(other), lines=[line])


def test_sub_categories_inherit_their_parent(staff):
    egg = Category.objects.get(code="C02")
    duck = category_add(actor=staff, parent=egg, code="c02a", name_th="ไข่เป็ด")
    assert (duck.code, duck.group, duck.kind, duck.flags, duck.parent_id) == (
        "C02A",
        "consumption",
        "expense",
        "local_food",
        "C02",
    )
    h = factories.household(factories.village("370101", 1))
    ledger_entries_add(
        actor=staff, household=h, lines=[LineInput(date=dt.date(2024, 1, 5), category="C02A", amount=Decimal("50"))]
    )
    assert HouseholdMonth.objects.get(household=h).expense == 5000
    with pytest.raises(LedgerError, match="มีหมวดรหัส"):
        category_add(actor=staff, parent=egg, code="C02A", name_th="ซ้ำ")

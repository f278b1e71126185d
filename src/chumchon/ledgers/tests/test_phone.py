"""The volunteers' phone form: the server's day (not the phone's), quick buttons for money
coming in as well as going out, and a volunteer correcting their own lines."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.ledgers.models import Kind, LedgerEntry
from chumchon.ledgers.rollups import rollups_verify
from chumchon.ledgers.selectors import categories_common_in
from chumchon.ledgers.services import (
    LedgerError,
    LineInput,
    ledger_entries_add,
    ledger_entry_correct,
    ledger_entry_reverse,
    month_close,
)
from tests import factories

pytestmark = pytest.mark.django_db

# 1 April 2024, 01:30 in Thailand — still 31 March in UTC (and on a phone set to UTC).
AFTER_MIDNIGHT = dt.datetime(2024, 3, 31, 18, 30, tzinfo=dt.UTC)
NOON = dt.datetime(2024, 4, 10, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def village():
    return factories.village("370101", 1, "บ้านบุ่ง")


@pytest.fixture
def household(village):
    return factories.household(village, code="01-0001")


@pytest.fixture
def volunteer(village):
    return factories.user(Role.VOLUNTEER, village, username="vol")


@pytest.fixture
def client_of():
    def login(user):
        c = Client()
        c.force_login(user)
        return c

    return login


def _key() -> str:
    return str(uuid.uuid4())


def _attr(page: str, name: str) -> str:
    m = re.search(rf'{name}="([^"]*)"', page)
    assert m, name
    return m.group(1)


# --- today is the server's -----------------------------------------------------------------------


def test_the_phone_page_carries_the_servers_day_and_clock(client_of, volunteer, household):
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        page = client_of(volunteer).get(reverse("ledgers:phone_household", args=[household.pk])).content.decode()
    assert _attr(page, "data-today") == "2024-04-01"  # Thailand's day, not UTC's 31 March
    assert int(_attr(page, "data-server-now")) == int(AFTER_MIDNIGHT.timestamp() * 1000)
    assert _attr(page, "data-utc-offset") == "420"
    date_input = re.search(r'<input type="text" id="ph-date"[^>]*>', page)
    assert date_input, "the date is a text input, never a browser date input"
    assert 'value="01/04/2567"' in date_input.group(0) and "data-bedate" in date_input.group(0)
    assert 'data-month="2024-04"' in page


def test_the_server_takes_a_line_dated_its_today_and_refuses_tomorrow_saying_so(client_of, volunteer, household):
    today, tomorrow = {"key": _key(), "date": "01/04/2567", "category": "C01", "amount": "50"}, {
        "key": _key(), "date": "2024-04-02", "category": "C01", "amount": "50",
    }  # fmt: skip
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        answer = client_of(volunteer).post(
            reverse("ledgers:phone_lines", args=[household.pk]),
            data=json.dumps({"lines": [today, tomorrow]}),
            content_type="application/json",
        )
    body = answer.json()
    assert body["saved"] == [today["key"]]
    assert body["errors"] == {tomorrow["key"]: "2 เม.ย. 2567 เป็นวันในอนาคต"}
    assert LedgerEntry.objects.get().date == dt.date(2024, 4, 1)


def test_the_form_without_javascript_takes_a_buddhist_era_date(client_of, volunteer, household):
    url = reverse("ledgers:phone_household", args=[household.pk]) + "?month=2024-04"
    with time_machine.travel(NOON, tick=False):
        response = client_of(volunteer).post(
            url, {"key": _key(), "date": "08/04/2567", "category": "I02", "amount": "1200", "item": "ขายข้าว"}
        )
    assert response.status_code == 302
    assert LedgerEntry.objects.values_list("date", "category_id").get() == (dt.date(2024, 4, 8), "I02")


# --- quick buttons ---------------------------------------------------------------------------------


def test_the_quick_buttons_hold_income_even_where_expenses_are_written_most(client_of, volunteer, village, household):
    # Fourteen expense categories, each written more often than any income.
    expenses = ["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C11", "C12", "C13", "C15", "C16", "C17", "C18"]
    lines = [
        LineInput(date=dt.date(2024, 3, 1 + n % 28), category=code, amount=Decimal("10"))
        for code in expenses
        for n in range(5)
    ]
    lines += [LineInput(date=dt.date(2024, 3, 3), category="I05", amount=Decimal("900"))] * 2
    ledger_entries_add(actor=Actor(user=volunteer), household=household, lines=lines)
    buttons = categories_common_in([village.code])
    assert len(buttons) == 12
    income = [c.code for c in buttons if c.kind == Kind.INCOME]
    assert income == ["I01", "I02", "I05", "I03"]  # wages and crop sales first, then what is written here
    assert [c.code for c in buttons if c.kind != Kind.INCOME] == expenses[:8]
    with time_machine.travel(NOON, tick=False):
        page = client_of(volunteer).get(reverse("ledgers:phone_household", args=[household.pk])).content.decode()
    chips = re.findall(r'<input type="radio" name="category" value="(\w+)"', page)
    assert chips == [c.code for c in buttons]
    assert "ค่าจ้าง/เงินเดือน" in page and "ขายผลผลิตการเกษตร" in page


def test_a_village_with_no_accounts_gets_wages_and_crop_sales_among_the_usual_buttons(village):
    codes = [c.code for c in categories_common_in([village.code])]
    assert codes[:4] == ["I01", "I02", "I03", "I06"] and len(codes) == 12


# --- a volunteer corrects their own lines ------------------------------------------------------------


def _own_line(volunteer, household, day=dt.date(2024, 4, 8), **kw):
    (entry,) = ledger_entries_add(
        actor=Actor(user=volunteer),
        household=household,
        lines=[LineInput(date=day, category=kw.get("category", "C01"), amount=Decimal(kw.get("amount", "120")))],
        source="phone",
    )
    return entry


def test_a_volunteer_corrects_their_own_line_by_a_reversal_with_a_reason(client_of, volunteer, household):
    entry = _own_line(volunteer, household)
    client = client_of(volunteer)
    fix = reverse("ledgers:phone_fix", args=[household.pk, entry.pk])
    with time_machine.travel(NOON, tick=False):
        month = client.get(reverse("ledgers:phone_household", args=[household.pk]) + "?month=2024-04").content.decode()
        assert f'href="{fix}"' in month
        form = client.get(fix).content.decode()
        assert 'name="day" value="08/04/2567"' in form and 'value="C01" selected' in form
        response = client.post(
            fix, {"action": "correct", "day": "08/04/2567", "category": "C01", "amount": "210", "reason": "พิมพ์สลับ"}
        )
    assert response.status_code == 302 and response["Location"].endswith("?month=2024-04")
    entry.refresh_from_db()
    assert entry.amount == Decimal("120.00")  # never edited in place
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert (reversal.amount, reversal.reason, reversal.created_by_id) == (Decimal("-120.00"), "พิมพ์สลับ", volunteer.pk)
    new = LedgerEntry.objects.exclude(pk__in=[entry.pk, reversal.pk]).get()
    assert (new.date, new.category_id, new.amount, new.created_by_id) == (
        dt.date(2024, 4, 8), "C01", Decimal("210.00"), volunteer.pk,
    )  # fmt: skip
    assert rollups_verify() == []
    # The old line is now reversed: it cannot be corrected again.
    with time_machine.travel(NOON, tick=False):
        assert client.get(fix).status_code == 404


def test_a_volunteer_removes_their_own_line_with_a_reason(client_of, volunteer, household):
    entry = _own_line(volunteer, household)
    client = client_of(volunteer)
    fix = reverse("ledgers:phone_fix", args=[household.pk, entry.pk])
    with time_machine.travel(NOON, tick=False):
        refused = client.post(fix, {"action": "remove", "day": "", "category": "", "amount": "", "reason": " "})
        assert refused.status_code == 200 and LedgerEntry.objects.count() == 1
        assert client.post(fix, {"action": "remove", "reason": "ซ้ำ"}).status_code == 302
    assert LedgerEntry.objects.get(reverses=entry).reason == "ซ้ำ"
    assert rollups_verify() == []


def test_a_volunteer_cannot_correct_others_lines_a_closed_month_or_another_village(
    client_of, volunteer, village, household
):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    theirs = _own_line(staff, household)
    mine_closed = _own_line(volunteer, household, day=dt.date(2024, 3, 5))
    month_close(actor=Actor(user=staff), village=village, month=dt.date(2024, 3, 1))
    elsewhere = factories.household(factories.village("370101", 2))
    other_village_line = _own_line(staff, elsewhere)
    client = client_of(volunteer)
    before = LedgerEntry.objects.count()
    with time_machine.travel(NOON, tick=False):
        april = client.get(reverse("ledgers:phone_household", args=[household.pk]) + "?month=2024-04").content.decode()
        assert "/fix/" not in april  # the only April line is the staff's
        march = client.get(reverse("ledgers:phone_household", args=[household.pk]) + "?month=2024-03").content.decode()
        assert "/fix/" not in march  # closed
        assert client.get(reverse("ledgers:phone_fix", args=[household.pk, theirs.pk])).status_code == 404
        post = {"action": "remove", "reason": "ผิด"}
        assert client.post(reverse("ledgers:phone_fix", args=[household.pk, theirs.pk]), post).status_code == 404
        assert (
            client.post(reverse("ledgers:phone_fix", args=[elsewhere.pk, other_village_line.pk]), post).status_code
            == 404
        )
        # Their own line under another household's address: not found either.
        assert client.post(reverse("ledgers:phone_fix", args=[elsewhere.pk, mine_closed.pk]), post).status_code == 404
        closed = client.post(reverse("ledgers:phone_fix", args=[household.pk, mine_closed.pk]), post)
    assert closed.status_code == 200 and "เดือนนี้ปิดบัญชีแล้ว" in closed.content.decode()
    assert LedgerEntry.objects.count() == before


def test_a_correction_that_changes_nothing_is_refused(volunteer, household):
    entry = _own_line(volunteer, household)
    same = LineInput(date=entry.date, category=entry.category_id, amount=Decimal("120.00"), item=" ")
    with pytest.raises(LedgerError, match="ไม่มีอะไรเปลี่ยน"):
        ledger_entry_correct(actor=Actor(user=volunteer), entry=entry, line=same, reason="ตรวจแล้ว")
    assert LedgerEntry.objects.count() == 1


def test_on_the_grid_too_a_volunteer_corrects_only_their_own_lines_and_staff_correct_any(
    client_of, volunteer, household
):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    theirs = _own_line(staff, household)
    mine = _own_line(volunteer, household, amount="75")
    grid = reverse("ledgers:entry_grid", args=[household.pk, "2024-04"])
    with time_machine.travel(NOON, tick=False):
        page = client_of(volunteer).get(grid).content.decode()
        assert f'data-fix="{mine.pk}"' in page and f'data-fix="{theirs.pk}"' not in page
        assert reverse("ledgers:entry_correct", args=[theirs.pk]) not in page
        post = {"day": "8", "category": "C01", "amount": "1", "reason": "ผิด"}
        refused = client_of(volunteer).post(reverse("ledgers:entry_correct", args=[theirs.pk]), post)
        assert refused.status_code == 404
        assert client_of(volunteer).post(reverse("ledgers:entry_remove", args=[theirs.pk]), post).status_code == 404
        assert LedgerEntry.objects.count() == 2
        with pytest.raises(LedgerError, match="เฉพาะรายการที่ท่านบันทึกเอง"):
            ledger_entry_reverse(actor=Actor(user=volunteer), entry=theirs, reason="ผิด")
        staff_page = client_of(staff).get(grid).content.decode()
        assert f'data-fix="{mine.pk}"' in staff_page and f'data-fix="{theirs.pk}"' in staff_page
        fixed = client_of(staff).post(reverse("ledgers:entry_correct", args=[mine.pk]), post)
    assert fixed.status_code == 302
    assert LedgerEntry.objects.get(reverses=mine).created_by_id == staff.pk
    assert rollups_verify() == []

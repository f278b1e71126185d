"""The review page: lines waiting for a category are confirmed (an entry, with rollups) or
rejected; nobody outside the tambon's staff sees them, and their attempts change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.imports.tests.sheets import write_csv
from chumchon.ledgers.imports import ledger_import
from chumchon.ledgers.models import HouseholdMonth, LedgerEntry, PendingLine
from chumchon.ledgers.rollups import rollups_verify
from chumchon.ledgers.services import month_close
from tests import factories

pytestmark = pytest.mark.django_db
TAMBON = "370101"
OTHER = "370102"
TH = ["รหัสครัวเรือน", "วันที่", "หมวด", "รายการ", "รายรับ", "รายจ่าย"]
ROWS = [
    TH,
    ["H1", "15/03/2567", "", "ซื้อไข่ไก่ 1 แผง", "", "120"],
    ["H1", "16/03/2567", "", "ค่าไฟ", "", "450"],
    ["H2", "16/03/2567", "", "ขายหมู 2 ตัว", "9,000", ""],
    ["H2", "17/03/2567", "", "เบ็ดเตล็ด", "", "99"],
]


@pytest.fixture
def lines(tmp_path):
    v1 = factories.village(TAMBON, 1, "บ้านบุ่ง")
    factories.household(v1, code="H1", members=0)
    factories.household(v1, code="H2", members=0)
    path = write_csv(tmp_path / "a.csv", ROWS)
    result = ledger_import(actor=Actor.system("test"), tambon=Area.objects.get(code=TAMBON), path=path)
    assert (result.pending, result.created) == (4, 0)
    return {line.item: line for line in PendingLine.objects.all()}


@pytest.fixture
def staff(client):
    user = factories.user(Role.TAMBON_STAFF, TAMBON, username="staff")
    client.force_login(user)
    return user


def state() -> tuple[object, ...]:
    return (
        sorted(LedgerEntry.objects.values_list("import_key", "category_id", "amount")),
        sorted(PendingLine.objects.values_list("pk", "resolution", "category_id", "reason", "entry_id")),
        sorted(HouseholdMonth.objects.values_list("household_id", "month", "entries", "income", "expense")),
        AuditEvent.objects.count(),
    )


def test_the_page_groups_the_lines_with_the_suggestion_chosen(client, staff, lines):
    page = client.get(reverse("ledgers:review", args=[TAMBON]))
    assert page.status_code == 200
    text = page.text
    eggs = lines["ซื้อไข่ไก่ 1 แผง"]
    assert f'<tr id="line-{eggs.pk}"' in text
    assert '<option value="C02" selected>C02 ไข่</option>' in text
    assert '<option value="C11" selected>' in text
    # A line written in the income column offers income categories only.
    pig = lines["ขายหมู 2 ตัว"]
    row = text[text.index(f'<tr id="line-{pig.pk}"') :]
    row = row[: row.index("</tr>")]
    assert '<option value="I03" selected>' in row and 'value="C02"' not in row
    # No suggestion: the group comes last, nothing chosen.
    assert text.index("เบ็ดเตล็ด") > text.index("ขายหมู 2 ตัว")
    assert 'hx-post="{}"'.format(reverse("ledgers:review_confirm", args=[TAMBON, eggs.pk])) in text


def test_confirming_a_line_writes_the_entry_with_its_key_and_rollups(client, staff, lines):
    eggs = lines["ซื้อไข่ไก่ 1 แผง"]
    response = client.post(
        reverse("ledgers:review_confirm", args=[TAMBON, eggs.pk]),
        {f"category_{eggs.pk}": "C02"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.text.startswith(f'<tr id="line-{eggs.pk}" class="review-done">')
    entry = LedgerEntry.objects.get()
    assert (entry.import_key, entry.category_id, entry.amount, entry.date, entry.item, entry.source) == (
        eggs.import_key, "C02", Decimal("120.00"), dt.date(2024, 3, 15), "ซื้อไข่ไก่ 1 แผง", "import",
    )  # fmt: skip
    assert entry.created_by == staff
    eggs.refresh_from_db()
    assert (eggs.resolution, eggs.entry, eggs.category_id, eggs.resolved_by) == ("confirmed", entry, "C02", staff)
    assert HouseholdMonth.objects.get(household__code="H1").expense == 12000
    assert rollups_verify() == []
    # Twice is once.
    again = client.post(
        reverse("ledgers:review_confirm", args=[TAMBON, eggs.pk]),
        {f"category_{eggs.pk}": "C02"},
        HTTP_HX_REQUEST="true",
    )
    assert 'class="review-done"' in again.text  # already confirmed: shown as it is
    assert LedgerEntry.objects.count() == 1


def test_confirm_all_shown_uses_the_categories_chosen_and_leaves_the_unchosen(client, staff, lines):
    shown = [str(line.pk) for line in lines.values()]
    data = {"action": "confirm_all", "shown": shown}
    data.update({f"category_{line.pk}": line.suggested_category_id or "" for line in lines.values()})
    data[f"category_{lines['ค่าไฟ'].pk}"] = "C17"  # the person changed this one
    response = client.post(reverse("ledgers:review", args=[TAMBON]), data)
    assert response.status_code == 302
    assert sorted(LedgerEntry.objects.values_list("item", "category_id")) == sorted(
        [("ซื้อไข่ไก่ 1 แผง", "C02"), ("ค่าไฟ", "C17"), ("ขายหมู 2 ตัว", "I03")]
    )
    assert PendingLine.objects.filter(resolved_at__isnull=True).get().item == "เบ็ดเตล็ด"
    assert rollups_verify() == []
    page = client.get(reverse("ledgers:review", args=[TAMBON])).text
    assert "เบ็ดเตล็ด" in page and "ซื้อไข่ไก่" not in page


def test_without_javascript_the_same_buttons_submit_the_page(client, staff, lines):
    line = lines["เบ็ดเตล็ด"]
    response = client.post(
        reverse("ledgers:review", args=[TAMBON]), {"confirm": str(line.pk), f"category_{line.pk}": "C19"}
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get().category_id == "C19"


def test_rejecting_needs_a_reason_and_the_line_is_not_imported_again(client, staff, lines, tmp_path):
    line = lines["เบ็ดเตล็ด"]
    url = reverse("ledgers:review_reject", args=[TAMBON, line.pk])
    before = state()
    refused = client.post(url, {f"reason_{line.pk}": "  "}, HTTP_HX_REQUEST="true")
    assert "ต้องระบุเหตุผล" in refused.text and 'role="alert"' in refused.text
    assert state() == before
    done = client.post(url, {f"reason_{line.pk}": "เขียนซ้ำ"}, HTTP_HX_REQUEST="true")
    assert 'class="review-done"' in done.text
    line.refresh_from_db()
    assert (line.resolution, line.reason, line.entry) == ("rejected", "เขียนซ้ำ", None)
    assert LedgerEntry.objects.count() == 0
    again = ledger_import(
        actor=Actor.system("test"), tambon=Area.objects.get(code=TAMBON), path=write_csv(tmp_path / "b.csv", ROWS)
    )
    assert (again.pending, again.unchanged) == (0, 4)


def test_a_category_of_the_wrong_kind_or_a_closed_month_is_refused(client, staff, lines):
    pig = lines["ขายหมู 2 ตัว"]
    before = state()
    wrong = client.post(
        reverse("ledgers:review_confirm", args=[TAMBON, pig.pk]), {f"category_{pig.pk}": "C04"}, HTTP_HX_REQUEST="true"
    )
    assert "เป็นหมวดรายจ่าย แต่รายการนี้อยู่ในช่องรายรับ" in wrong.text
    month_close(actor=Actor.system("test"), village=Area.objects.get(code=f"{TAMBON}01"), month=dt.date(2024, 3, 1))
    before = state()
    closed = client.post(
        reverse("ledgers:review_confirm", args=[TAMBON, pig.pk]), {f"category_{pig.pk}": "I03"}, HTTP_HX_REQUEST="true"
    )
    assert "ปิดบัญชีแล้ว" in closed.text
    assert state() == before
    assert PendingLine.objects.get(pk=pig.pk).resolved_at is None


@pytest.mark.parametrize(
    ("role", "area"),
    [
        (Role.TAMBON_STAFF, OTHER),  # another tambon's staff
        (Role.VOLUNTEER, f"{OTHER}01"),  # a volunteer of another village
        (Role.VOLUNTEER, f"{TAMBON}01"),  # a volunteer of this tambon: keys lines, does not review imports
        (Role.DISTRICT_COORDINATOR, "3701"),  # reads, does not write
    ],
)
def test_everyone_else_gets_a_404_and_nothing_changes(client, lines, role, area):
    factories.village(area[:6], int(area[6:]) if len(area) == 8 else 1)
    client.force_login(factories.user(role, area))
    line = lines["ซื้อไข่ไก่ 1 แผง"]
    before = state()
    assert client.get(reverse("ledgers:review", args=[TAMBON])).status_code == 404
    assert client.post(
        reverse("ledgers:review", args=[TAMBON]),
        {"action": "confirm_all", "shown": [line.pk], f"category_{line.pk}": "C02"},
    ).status_code in (403, 404)
    assert client.post(
        reverse("ledgers:review_confirm", args=[TAMBON, line.pk]), {f"category_{line.pk}": "C02"}
    ).status_code in (403, 404)
    assert client.post(
        reverse("ledgers:review_reject", args=[TAMBON, line.pk]), {f"reason_{line.pk}": "x"}
    ).status_code in (403, 404)
    assert state() == before


def test_a_line_is_only_found_under_its_own_tambon(client, lines):
    factories.village(OTHER, 1)
    client.force_login(factories.user(Role.TAMBON_STAFF, OTHER))
    line = lines["ค่าไฟ"]
    assert client.post(
        reverse("ledgers:review_confirm", args=[OTHER, line.pk]), {f"category_{line.pk}": "C11"}
    ).status_code in (403, 404)
    assert LedgerEntry.objects.count() == 0


def test_an_administrator_may_review_anywhere(client, lines):
    client.force_login(factories.admin())
    assert client.get(reverse("ledgers:review", args=[TAMBON])).status_code == 200
    line = lines["ค่าไฟ"]
    client.post(reverse("ledgers:review_confirm", args=[TAMBON, line.pk]), {f"category_{line.pk}": "C11"})
    assert LedgerEntry.objects.get().category_id == "C11"

"""Ledger entry pages: the staff grid, corrections, the phone form and its JSON endpoint."""

import datetime as dt
import json
import time
import uuid
from collections import defaultdict
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.ledgers.models import Category, EntrySource, HouseholdMonth, HouseholdMonthCategory, LedgerEntry
from chumchon.ledgers.rollups import rollups_verify
from chumchon.ledgers.services import LineInput, ledger_entries_add, ledger_entry_reverse, month_close
from tests import factories

pytestmark = pytest.mark.django_db

MARCH = "2024-03"


@pytest.fixture
def village():
    return factories.village("370101", 1, "บ้านบุ่ง")


@pytest.fixture
def household(village):
    return factories.household(village, code="01-0001")


@pytest.fixture
def staff(client):
    user = factories.user(Role.TAMBON_STAFF, "370101", username="clerk")
    client.force_login(user)
    return user


@pytest.fixture
def volunteer(client, village):
    user = factories.user(Role.VOLUNTEER, village, username="vol")
    client.force_login(user)
    return user


def grid_url(household, month=MARCH):
    return reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": month})


def phone_url(household):
    return reverse("ledgers:phone_lines", kwargs={"pk": household.pk})


def key() -> str:
    return str(uuid.uuid4())


def grid_post(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    """The grid's parallel lists, as the browser sends them."""
    data: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for name in ("key", "day", "category", "item", "amount"):
            data[name].append(row.get(name, ""))
    return dict(data)


def post_json(client, url, payload):
    return client.post(url, data=json.dumps(payload), content_type="application/json")


# --- scope --------------------------------------------------------------------------------


def test_households_outside_the_ledger_scope_are_404_and_nothing_changes(client, staff, household):
    other = factories.household(factories.village("370102", 1))
    line = {"key": key(), "day": "5", "category": "C01", "amount": "100"}
    assert client.get(grid_url(other)).status_code == 404
    assert client.post(grid_url(other), grid_post([line])).status_code == 404
    assert client.get(reverse("ledgers:phone_household", args=[other.pk])).status_code == 404
    response = post_json(client, phone_url(other), {"lines": [{**line, "date": "2024-03-05"}]})
    assert response.status_code == 404
    assert not LedgerEntry.objects.exists()
    # A district coordinator may read the household but not add to its accounts.
    client.force_login(factories.user(Role.DISTRICT_COORDINATOR, "3701"))
    assert client.get(reverse("registry:detail", args=[household.pk])).status_code == 200
    assert client.get(grid_url(household)).status_code == 404
    assert client.get(reverse("ledgers:phone")).status_code == 404
    response = post_json(client, phone_url(household), {"lines": [{**line, "date": "2024-03-05"}]})
    assert response.status_code in (403, 404)
    assert not LedgerEntry.objects.exists()


def test_a_volunteer_reaches_only_their_own_village(client, volunteer, household):
    neighbour = factories.household(factories.village("370101", 2), code="02-0001")
    assert client.get(grid_url(household)).status_code == 200
    assert client.get(grid_url(neighbour)).status_code == 404
    page = client.get(reverse("ledgers:phone")).content.decode()
    assert f'href="/ledgers/phone/{household.pk}/"' in page
    assert f'href="/ledgers/phone/{neighbour.pk}/"' not in page
    assert client.get(reverse("ledgers:phone_household", args=[neighbour.pk])).status_code == 404


def test_correcting_a_line_of_another_tambon_is_404(client, staff):
    other = factories.household(factories.village("370102", 1))
    actor = Actor(user=factories.user(Role.TAMBON_STAFF, "370102"))
    (entry,) = ledger_entries_add(
        actor=actor, household=other, lines=[LineInput(date=dt.date(2024, 3, 5), category="C01", amount=Decimal(10))]
    )
    for name in ("ledgers:entry_correct", "ledgers:entry_remove"):
        response = client.post(
            reverse(name, args=[entry.pk]), {"reason": "ผิด", "day": "5", "category": "C01", "amount": "5"}
        )
        assert response.status_code == 404
    assert LedgerEntry.objects.count() == 1


# --- the grid --------------------------------------------------------------------------------


def test_the_grid_shows_the_month_with_reversed_lines_struck_through(client, staff, household):
    actor = Actor(user=staff)
    kept, gone = ledger_entries_add(
        actor=actor,
        household=household,
        lines=[
            LineInput(date=dt.date(2024, 3, 5), category="I01", amount=Decimal("3000"), item="ค่าแรง"),
            LineInput(date=dt.date(2024, 3, 6), category="C08", amount=Decimal("120"), item="เหล้า"),
        ],
    )
    ledger_entries_add(
        actor=actor, household=household, lines=[LineInput(date=dt.date(2024, 4, 1), category="C01", amount=Decimal(1))]
    )
    ledger_entry_reverse(actor=actor, entry=gone, reason="คีย์ซ้ำ")
    page = client.get(grid_url(household)).content.decode()
    assert 'id="entry-form"' in page
    assert f'<tr id="line-{kept.pk}" class="">' in page
    assert f'<tr id="line-{gone.pk}" class="reversed">' in page
    assert "คีย์ซ้ำ" in page
    assert "3,000.00" in page and "120.00" in page
    assert "1 เม.ย. 2567" not in page  # April's line is not March's
    # The month's totals are net of the reversal: income 3,000, expense 0.
    footer = page.split("<tfoot>")[1].split("</tfoot>")[0]
    assert '<th class="num">3,000.00</th><th class="num">0.00</th>' in footer


def test_a_be_month_in_the_address_redirects_to_the_ce_one(client, staff, household):
    response = client.get(reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": "2567-03"}))
    assert response.status_code == 302 and response["Location"] == grid_url(household)
    response = client.get(reverse("ledgers:entry_household", args=[household.pk]))
    assert response.status_code == 302 and response["Location"].startswith(f"/ledgers/household/{household.pk}/")


def test_forty_lines_are_saved_in_one_request_and_the_rollups_agree(client, staff, household, capsys):
    codes = ["I01", "I02", "C01", "C02", "C04", "C05", "C11", "F05"]
    rows = [
        {
            "key": key(),
            "day": str(1 + i % 28),
            "category": codes[i % len(codes)],
            "item": f"รายการ {i}",
            "amount": f"{100 + i}.50",
        }
        for i in range(40)
    ]
    assert client.get(grid_url(household)).status_code == 200  # as the clerk does; also warms up the URLconf
    started = time.perf_counter()
    response = client.post(grid_url(household), grid_post(rows))
    elapsed = time.perf_counter() - started
    print(f"\n40-line grid save: {elapsed * 1000:.0f} ms (server side, test client, SQLite)")
    assert response.status_code == 302
    assert response["Location"] == grid_url(household)
    entries = LedgerEntry.objects.filter(household=household)
    assert entries.count() == 40
    assert set(entries.values_list("source", flat=True)) == {EntrySource.KEYED}
    assert set(entries.values_list("created_by", flat=True)) == {staff.pk}
    assert rollups_verify() == []
    kinds = dict(Category.objects.values_list("code", "kind"))
    income = sum(
        int(Decimal(r["amount"]) * 100) for r in rows if kinds[r["category"]] == "income" and r["category"] != "F05"
    )
    expense = sum(int(Decimal(r["amount"]) * 100) for r in rows if kinds[r["category"]] == "expense")
    month = HouseholdMonth.objects.get(household=household, month=dt.date(2024, 3, 1))
    assert (month.entries, month.income, month.expense) == (40, income, expense)
    assert HouseholdMonthCategory.objects.get(household=household, category_id="C01").entries == 5
    page = client.get(response["Location"]).content.decode()
    assert page.count('<tr id="line-') == 40


def test_typed_forms_are_read_like_the_paper_form(client, staff, household):
    rows = [
        {"key": key(), "day": "๑๕", "category": "ไข่", "item": "ไข่ไก่ 1 แผง", "amount": "๑๒๐"},
        {"key": key(), "day": "16/3/2567", "category": "c04 เนื้อสัตว์/ปลา", "amount": "1,250.50"},
        {"key": key(), "day": "17/3", "category": "Wages and salary", "amount": "3,000 บาท"},
        {"key": key(), "day": "18", "category": "", "item": "", "amount": ""},  # a day alone is no line
    ]
    response = client.post(grid_url(household), grid_post(rows))
    assert response.status_code == 302
    saved = list(LedgerEntry.objects.order_by("date").values_list("date", "category_id", "amount", "item"))
    assert saved == [
        (dt.date(2024, 3, 15), "C02", Decimal("120.00"), "ไข่ไก่ 1 แผง"),
        (dt.date(2024, 3, 16), "C04", Decimal("1250.50"), ""),
        (dt.date(2024, 3, 17), "I01", Decimal("3000.00"), ""),
    ]


def test_per_line_errors_save_nothing_and_keep_what_was_typed(client, staff, household):
    rows = [
        {"key": key(), "day": "5", "category": "C01", "item": "ข้าวสาร", "amount": "250"},
        {"key": key(), "day": "32", "category": "C02", "amount": "50"},
        {"key": key(), "day": "6", "category": "ZZ9", "amount": "1,2,3"},
        {"key": key(), "day": "15/4/2567", "category": "C03", "amount": "10"},
        {"key": key(), "day": "7", "category": "C03", "amount": "0"},
    ]
    response = client.post(grid_url(household), grid_post(rows))
    assert response.status_code == 200
    assert not LedgerEntry.objects.exists()
    assert not HouseholdMonth.objects.exists()
    page = response.content.decode()
    body = page.split('id="entry-rows"')[1].split("</tbody>")[0]
    grid_rows = body.split('<tr class="entry-row')[1:]
    assert 'value="ข้าวสาร"' in grid_rows[0] and "field-error" not in grid_rows[0]
    assert "has-error" in grid_rows[1] and 'value="32"' in grid_rows[1] and "32" in grid_rows[1].split("field-error")[1]
    assert 'value="ZZ9"' in grid_rows[2] and "ZZ9" in grid_rows[2].split("field-error")[1]
    assert "1,2,3" in grid_rows[2].split("field-error")[2]  # the amount's own message
    assert "has-error" in grid_rows[3] and "2567" in grid_rows[3].split("field-error")[1]
    assert "has-error" in grid_rows[4] and 'aria-invalid="true"' in grid_rows[4].split('name="amount"')[1][:120]
    # The keys go back into the form, so the corrected resubmission is the same lines.
    for row, html in zip(rows, grid_rows, strict=False):
        assert f'value="{row["key"]}"' in html


def test_a_grid_submitted_twice_adds_each_line_once(client, staff, household):
    rows = [{"key": key(), "day": str(d), "category": "C05", "amount": "35"} for d in (1, 2, 3)]
    assert client.post(grid_url(household), grid_post(rows)).status_code == 302
    response = client.post(grid_url(household), grid_post(rows), follow=True)
    assert LedgerEntry.objects.count() == 3
    assert HouseholdMonth.objects.get(household=household).entries == 3
    assert "3" in response.content.decode()
    # The same key twice in one submission is one line.
    again = {"key": key(), "day": "9", "category": "C05", "amount": "1"}
    client.post(grid_url(household), grid_post([again, again]))
    assert LedgerEntry.objects.count() == 4
    assert rollups_verify() == []


def test_a_closed_month_is_read_only(client, staff, household, village):
    actor = Actor(user=staff)
    (entry,) = ledger_entries_add(
        actor=actor, household=household, lines=[LineInput(date=dt.date(2024, 3, 5), category="C01", amount=Decimal(9))]
    )
    month_close(actor=actor, village=village, month=dt.date(2024, 3, 1))
    page = client.get(grid_url(household)).content.decode()
    assert "entry-closed" in page
    assert 'id="entry-form"' not in page and "data-fix=" not in page
    response = client.post(
        grid_url(household), grid_post([{"key": key(), "day": "6", "category": "C01", "amount": "5"}])
    )
    assert response.status_code == 200
    assert LedgerEntry.objects.count() == 1
    response = client.post(reverse("ledgers:entry_remove", args=[entry.pk]), {"reason": "ผิด"})
    assert response.status_code == 200
    assert LedgerEntry.objects.count() == 1
    # April is open.
    response = client.post(
        grid_url(household, "2024-04"), grid_post([{"key": key(), "day": "6", "category": "C01", "amount": "5"}])
    )
    assert response.status_code == 302 and LedgerEntry.objects.count() == 2


# --- corrections ------------------------------------------------------------------------------


@pytest.fixture
def saved_line(staff, household):
    (entry,) = ledger_entries_add(
        actor=Actor(user=staff),
        household=household,
        lines=[LineInput(date=dt.date(2024, 3, 5), category="C02", amount=Decimal("120.00"), item="ไข่")],
    )
    return entry


def test_a_correction_needs_a_reason_and_changes_nothing_without_one(client, saved_line):
    url = reverse("ledgers:entry_correct", args=[saved_line.pk])
    response = client.post(url, {"day": "5", "category": "C02", "amount": "102", "reason": "  "})
    assert response.status_code == 200
    assert LedgerEntry.objects.count() == 1
    page = response.content.decode()
    assert f'<tr class="fix-row" id="fix-{saved_line.pk}">' in page  # the form stays open, values kept
    assert 'value="102"' in page


def test_a_correction_adds_a_reversal_and_the_right_line(client, saved_line, household):
    url = reverse("ledgers:entry_correct", args=[saved_line.pk])
    response = client.post(url, {"day": "6", "category": "C04", "amount": "๑๐๒", "item": "ปลา", "reason": "คีย์ผิดหมวด"})
    assert response.status_code == 302
    saved_line.refresh_from_db()
    assert saved_line.amount == Decimal("120.00") and saved_line.category_id == "C02"  # never edited in place
    reversal = LedgerEntry.objects.get(reverses=saved_line)
    assert (reversal.amount, reversal.reason) == (Decimal("-120.00"), "คีย์ผิดหมวด")
    new = LedgerEntry.objects.exclude(pk__in=[saved_line.pk, reversal.pk]).get()
    assert (new.date, new.category_id, new.amount, new.item) == (dt.date(2024, 3, 6), "C04", Decimal("102.00"), "ปลา")
    assert rollups_verify() == []
    assert HouseholdMonth.objects.get(household=household).expense == 10200
    page = client.get(grid_url(household)).content.decode()
    assert f'<tr id="line-{saved_line.pk}" class="reversed">' in page and "คีย์ผิดหมวด" in page
    # A reversed line cannot be corrected again.
    response = client.post(url, {"day": "6", "category": "C04", "amount": "5", "reason": "อีกครั้ง"})
    assert response.status_code == 200
    assert LedgerEntry.objects.count() == 3


def test_removing_a_line_adds_a_reversal_with_the_reason(client, saved_line, household):
    url = reverse("ledgers:entry_remove", args=[saved_line.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert LedgerEntry.objects.count() == 1
    response = client.post(url, {"reason": "ครัวเรือนอื่น"})
    assert response.status_code == 302
    reversal = LedgerEntry.objects.get(reverses=saved_line)
    assert (reversal.amount, reversal.reason, reversal.created_by_id) == (
        Decimal("-120.00"),
        "ครัวเรือนอื่น",
        saved_line.created_by_id,
    )
    month = HouseholdMonth.objects.get(household=household)
    assert (month.entries, month.expense) == (0, 0)
    assert rollups_verify() == []


# --- the phone -------------------------------------------------------------------------------


def test_the_phone_endpoint_answers_which_keys_are_saved_and_why_others_are_not(client, volunteer, household):
    good = [
        {"key": key(), "date": "2024-03-05", "category": "C01", "amount": "๑,๒๕๐.๕๐", "item": "ข้าวสาร"},
        {"key": key(), "date": "2024-03-06", "category": "I01", "amount": "300"},
    ]
    bad = [
        {"key": key(), "date": "2024-03-07", "category": "ZZ", "amount": "5"},
        {"key": key(), "date": "2099-01-01", "category": "C01", "amount": "5"},
        {"key": key(), "date": "2024-03-07", "category": "C01", "amount": "-5"},
    ]
    response = post_json(client, phone_url(household), {"lines": good + bad})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["saved"] == [line["key"] for line in good]
    assert set(data["errors"]) == {line["key"] for line in bad}
    assert all(data["errors"].values())
    entries = LedgerEntry.objects.filter(household=household)
    assert sorted(entries.values_list("amount", flat=True)) == [Decimal("300.00"), Decimal("1250.50")]
    assert set(entries.values_list("source", flat=True)) == {EntrySource.PHONE}
    assert rollups_verify() == []
    # Sent again (the answer was lost): confirmed, not added twice.
    data = post_json(client, phone_url(household), {"lines": good}).json()
    assert data == {"saved": [line["key"] for line in good], "errors": {}}
    assert entries.count() == 2
    assert HouseholdMonth.objects.get(household=household).entries == 2


def test_the_phone_endpoint_refuses_a_closed_month_per_line(client, volunteer, household, village):
    month_close(
        actor=Actor(user=factories.user(Role.TAMBON_STAFF, "370101")), village=village, month=dt.date(2024, 3, 1)
    )
    march = {"key": key(), "date": "2024-03-05", "category": "C01", "amount": "5"}
    april = {"key": key(), "date": "2024-04-05", "category": "C01", "amount": "5"}
    data = post_json(client, phone_url(household), {"lines": [march, april]}).json()
    assert data["saved"] == [april["key"]]
    assert list(data["errors"]) == [march["key"]]
    assert LedgerEntry.objects.get().date == dt.date(2024, 4, 5)


def test_the_phone_endpoint_rejects_malformed_requests(client, volunteer, household):
    url = phone_url(household)
    assert client.post(url, data="not json", content_type="application/json").status_code == 400
    assert post_json(client, url, {"nope": []}).status_code == 400
    assert (
        post_json(client, url, {"lines": [{"date": "2024-03-05", "category": "C01", "amount": "5"}]}).status_code == 400
    )
    assert post_json(client, url, {"lines": ["x"]}).status_code == 400
    assert client.get(url).status_code == 405
    assert not LedgerEntry.objects.exists()


def test_the_phone_endpoint_needs_the_csrf_token(volunteer, household):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(volunteer)
    line = {"key": key(), "date": "2024-03-05", "category": "C01", "amount": "5"}
    response = strict.post(phone_url(household), data=json.dumps({"lines": [line]}), content_type="application/json")
    assert response.status_code == 403
    assert not LedgerEntry.objects.exists()
    page = strict.get(reverse("ledgers:phone_household", args=[household.pk]))
    token = page.content.decode().split('data-csrf="')[1].split('"')[0]
    response = strict.post(
        phone_url(household),
        data=json.dumps({"lines": [line]}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200 and response.json()["saved"] == [line["key"]]


def test_the_phone_page_shows_the_month_so_far(client, volunteer, household):
    ledger_entries_add(
        actor=Actor(user=volunteer),
        household=household,
        lines=[
            LineInput(date=dt.date(2024, 3, 5), category="I02", amount=Decimal("1500"), item="ขายข้าว"),
            LineInput(date=dt.date(2024, 3, 6), category="C01", amount=Decimal("250")),
        ],
    )
    page = client.get(reverse("ledgers:phone_household", args=[household.pk]) + "?month=2024-03").content.decode()
    assert 'inputmode="decimal"' in page
    assert 'data-month="2024-03"' in page
    assert "ขายข้าว" in page and "1,500.00" in page and "1,250.00" in page  # the net
    assert 'data-income="150000"' in page and 'data-expense="25000"' in page
    fragment = client.get(reverse("ledgers:phone_month", args=[household.pk, "2024-03"]))
    assert fragment.status_code == 200 and fragment["Cache-Control"] == "no-store"
    assert "<html" not in fragment.content.decode() and "ขายข้าว" in fragment.content.decode()


def test_the_phone_household_list_searches_by_house_number_and_head(client, volunteer, village, household):
    other = factories.household(village, code="01-0002")
    head = household.members.get(is_head=True)
    url = reverse("ledgers:phone")
    page = client.get(url, {"q": head.first_name}).content.decode()
    assert f"/ledgers/phone/{household.pk}/" in page and f"/ledgers/phone/{other.pk}/" not in page
    page = client.get(url, {"q": other.house_no}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page
    assert f"/ledgers/phone/{other.pk}/" in page and f"/ledgers/phone/{household.pk}/" not in page


def test_the_phone_form_works_without_javascript(client, volunteer, household):
    url = reverse("ledgers:phone_household", args=[household.pk])
    form_key = key()
    data = {"key": form_key, "date": "2024-03-05", "category": "C01", "amount": "99", "item": "ข้าว"}
    response = client.post(url + "?month=2024-03", data)
    assert response.status_code == 302
    client.post(url + "?month=2024-03", data)  # pressed twice
    entry = LedgerEntry.objects.get()
    assert (entry.category_id, entry.amount, entry.source) == ("C01", Decimal("99.00"), EntrySource.PHONE)
    response = client.post(url, {**data, "key": key(), "category": "", "category_other": ""})
    assert response.status_code == 200 and LedgerEntry.objects.count() == 1
    response = client.post(url, {**data, "key": key(), "category": "", "category_other": "C18"})
    assert response.status_code == 302 and LedgerEntry.objects.filter(category_id="C18").count() == 1


def test_tambon_staff_use_the_phone_form_too(client, staff, household):
    page = client.get(reverse("ledgers:phone"))
    assert page.status_code == 200 and f"/ledgers/phone/{household.pk}/" in page.content.decode()
    line = {"key": key(), "date": "2024-03-05", "category": "C01", "amount": "5"}
    assert post_json(client, phone_url(household), {"lines": [line]}).json()["saved"] == [line["key"]]


def test_the_grid_page_reads_a_bounded_number_of_queries(client, staff, household, django_assert_max_num_queries):
    ledger_entries_add(
        actor=Actor(user=staff),
        household=household,
        lines=[LineInput(date=dt.date(2024, 3, d), category="C01", amount=Decimal(d)) for d in range(1, 29)],
    )
    with django_assert_max_num_queries(20):
        assert client.get(grid_url(household)).status_code == 200

"""Small things tambon staff met: "close" offered only for a month that can be closed,
the grid's help dated today, the save message once, the blank paper form with the
grid's columns, and a household without consent marked on the grid."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.ledgers.paper_form import GRID_COLUMNS, PAPER_FORM_LINES
from chumchon.ledgers.services import LedgerError, LineInput, ledger_entries_add, month_close, month_has_ended
from chumchon.registry.models import Consent
from tests import factories

pytestmark = pytest.mark.django_db
BANGKOK = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def villages():
    return [factories.village("370101", 1, "บ้านบุ่ง"), factories.village("370101", 2, "บ้านนา")]


@pytest.fixture
def staff(client):
    user = factories.user(Role.TAMBON_STAFF, "370101", username="clerk")
    client.force_login(user)
    return user


# --- closing a month ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "today", "ended"),
    [
        (dt.date(2024, 2, 1), dt.date(2024, 3, 1), True),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29), False),
        (dt.date(2024, 3, 1), dt.date(2024, 2, 10), False),
        (dt.date(2023, 12, 1), dt.date(2024, 1, 1), True),
    ],
)
def test_a_month_has_ended_from_the_first_of_the_next(month, today, ended):
    assert month_has_ended(month, today=today) is ended


@time_machine.travel(dt.datetime(2024, 3, 10, 9, 0, tzinfo=BANGKOK), tick=False)
def test_the_current_month_cannot_be_closed_and_nothing_is_recorded(villages):
    from chumchon.ledgers.models import MonthStatusChange

    with pytest.raises(LedgerError, match="สิ้นสุดแล้ว"):
        month_close(actor=Actor(user=None), village=villages[0], month=dt.date(2024, 3, 1))
    assert not MonthStatusChange.objects.exists()
    month_close(actor=Actor(user=None), village=villages[0], month=dt.date(2024, 2, 1))
    assert MonthStatusChange.objects.count() == 1


@time_machine.travel(dt.datetime(2024, 3, 10, 9, 0, tzinfo=BANGKOK), tick=False)
def test_the_completeness_page_offers_close_only_where_a_month_can_be_closed(client, staff, villages):
    month_close(actor=Actor(user=None), village=villages[0], month=dt.date(2024, 1, 1))
    page = client.get(reverse("ledgers:completeness", args=["370101"]), {"to": "2024-04"})
    assert page.status_code == 200
    html = page.text
    # Twelve months, May 2023 – April 2024: May 2023 – February 2024 have ended (10),
    # March (this month) and April have not. Village 1's January is closed: it offers
    # "reopen" instead. So 10 + 9 "close" buttons, one "reopen".
    forms = re.findall(r'<form method="post" action="/ledgers/months/(\d+)/([\d-]+)/"[^>]*>(.*?)</form>', html, re.S)
    closes = [(code, month) for code, month, body in forms if 'value="close"' in body]
    expected = {(v.code, f"{m.year:04d}-{m.month:02d}") for v in villages for m in _months(2023, 5, 10)}
    expected.discard((villages[0].code, "2024-01"))
    assert set(closes) == expected
    assert len(closes) == 19
    assert html.count('value="reopen"') == 1
    assert not [month for _code, month in closes if month >= "2024-03"]


def _months(year: int, month: int, count: int) -> list[dt.date]:
    out = []
    for _ in range(count):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# --- the staff grid -----------------------------------------------------------------


@pytest.fixture
def household(villages):
    return factories.household(villages[0], code="01-0001")


@time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=BANGKOK), tick=False)
def test_the_grids_help_gives_todays_date_in_buddhist_era(client, staff, household):
    page = client.get(reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": "2024-03"}))
    assert "2/12/2569" in page.text  # 2 December 2026 CE is 2569 BE
    assert "15/3/2567" not in page.text


def test_the_save_message_appears_once(client, staff, household):
    url = reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": "2024-03"})
    response = client.post(
        url, {"key": [str(uuid.uuid4())], "day": ["5"], "category": ["C02"], "item": ["ไข่"], "amount": ["120"]}
    )
    assert response.status_code == 302
    page = client.get(url)
    assert page.text.count("บันทึกแล้ว 1 รายการ") + page.text.count("1 line saved.") == 1


def test_on_a_closed_month_the_message_still_shows_once(client, staff, household):
    ledger_entries_add(
        actor=Actor(user=None), household=household, lines=[LineInput(dt.date(2024, 3, 3), "C02", Decimal("10"))]
    )
    line = household.ledger_entries.get()
    url = reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": "2024-03"})
    client.post(reverse("ledgers:entry_remove", args=[line.pk]), {"reason": "ผิด"})
    month_close(actor=Actor(user=None), village=household.village, month=dt.date(2024, 3, 1))
    page = client.get(url)
    messages = re.findall(r'<div class="message success[^"]*"[^>]*>([^<]+)</div>', page.text)
    assert len(messages) == 1


def test_a_household_without_consent_is_marked_on_its_grid(client, staff, household):
    url = reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": "2024-03"})
    assert "consent-no" not in client.get(url).text
    household.consent = Consent.REFUSED
    household.save(update_fields=["consent"])
    assert "ไม่ยินยอม" in client.get(url).text


# --- the blank paper form -------------------------------------------------------------


def _grid_columns(html: str) -> list[tuple[str, str]]:
    head = re.search(r'<table class="entry-grid">\s*<thead>(.*?)</thead>', html, re.S)
    assert head is not None
    return re.findall(r'<th scope="col" class="[^"]*" data-column="([^"]+)">([^<]*)</th>', head[1])


def test_the_paper_form_has_the_grids_columns_in_the_grids_order(client, staff, household):
    grid = _grid_columns(client.get(reverse("ledgers:entry_grid", args=[household.pk, "2024-03"])).text)
    assert [key for key, _label in grid] == [c.key for c in GRID_COLUMNS]
    assert [label for _key, label in grid] == ["#", "วันที่", "หมวด", "รายการ", "จำนวนเงิน", "รายรับ/รายจ่าย"]
    form = render_to_string(
        "ledgers/paper_form_pdf.html", {"columns": GRID_COLUMNS, "lines": range(1, 3), "income": [], "expense": []}
    )
    on_form = re.findall(r'<th scope="col" class="pf-[^"]+" data-column="([^"]+)">([^<]*)</th>', form)
    assert on_form == grid


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext is not installed")
def test_the_paper_form_pdf_reads_its_headings_left_to_right(client, staff, tmp_path):
    response = client.get(reverse("ledgers:paper_form"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "form.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    heading = next(line for line in text.splitlines() if "วันที่" in line and "จำนวนเงิน" in line)
    positions = [heading.index(str(c.label)) for c in GRID_COLUMNS[1:]]
    assert positions == sorted(positions)
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s+☐", text, re.M)]
    assert numbers == list(range(1, PAPER_FORM_LINES + 1))
    assert "แบบบันทึกบัญชีครัวเรือนรายเดือน" in text
    assert "C02" in text  # the categories page

"""The rows behind a figure as a spreadsheet: the same households with the same parts
as the page (checked against sums of the lines), the lines themselves with Buddhist
Era dates, audited as an export, and person data only for those who may read it."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.core.spreadsheet.writer import HEADER_ROW
from chumchon.ledgers.services import LineInput, ledger_entries_add
from tests import factories

pytestmark = pytest.mark.django_db

TAMBON = "370101"
V1, V2, OTHER = "37010101", "37010102", "37010201"


@pytest.fixture
def world() -> dict[int, list[LineInput]]:
    """Households of two villages of the tambon and one of the next tambon, each with
    wages (I01) and eggs (C02) in January and February 2024."""
    lines_of: dict[int, list[LineInput]] = {}
    for code, count in ((V1, 4), (V2, 3), (OTHER, 2)):
        village = factories.village(code[:6], int(code[6:]))
        for n in range(count):
            h = factories.household(village)
            lines = [
                LineInput(date=dt.date(2024, month, 3 + n), category="I01", amount=Decimal(5000 + 125 * n + month))
                for month in (1, 2)
            ] + [LineInput(date=dt.date(2024, 2, 10), category="C02", amount=Decimal("35.50") * (n + 1))]
            ledger_entries_add(actor=Actor.system("test"), household=h, lines=lines)
            lines_of[h.pk] = lines
    return lines_of


def url(code: str, **params: str) -> str:
    return reverse("insights:rows_xlsx", args=[code]) + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def sheets(content: bytes) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_rows_behind_income_as_a_spreadsheet(world):
    client = Client()
    officer = factories.user(Role.TAMBON_STAFF, TAMBON, username="officer")
    client.force_login(officer)
    response = client.get(url(TAMBON, figure="income", **{"from": "2024-01", "to": "2024-02"}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store" and "attachment" in response["Content-Disposition"]
    book = sheets(response.content)
    assert list(book) == ["ครัวเรือน", "รายการบัญชี"]
    # Independent: the wage lines of the tambon's households, summed per household.
    expected: dict[str, Decimal] = defaultdict(Decimal)
    from chumchon.registry.models import Household

    codes = {h.pk: h.code for h in Household.objects.filter(tambon_code=TAMBON)}
    for pk, lines in world.items():
        if pk in codes:
            for line in lines:
                if line.category == "I01":
                    expected[codes[pk]] += line.amount
    households = book["ครัวเรือน"]
    header = households[HEADER_ROW]
    assert header[:4] == ["รหัสครัวเรือน", "หัวหน้าครัวเรือน", "หมู่บ้าน", "รหัสหมู่บ้าน"]
    rows = {r[0]: Decimal(str(r[-1])) for r in households[HEADER_ROW + 1 :]}
    assert rows == dict(expected)
    lines = book["รายการบัญชี"]
    assert lines[HEADER_ROW][:3] == ["วันที่", "รหัสครัวเรือน", "รหัสหมวด"]
    body = lines[HEADER_ROW + 1 :]
    assert len(body) == 2 * len(expected)
    assert {r[2] for r in body} == {"I01"}
    assert body[0][0] == "03/01/2567"  # Buddhist Era, as a person reads it
    assert "มกราคม 2567 – กุมภาพันธ์ 2567" in str(households[1][0])
    event = AuditEvent.objects.get(action="export", object_type="figure_rows")
    assert (event.username, event.area_code, event.detail["figure"]) == ("officer", TAMBON, "income")
    assert sorted(event.detail["households"]) == sorted(pk for pk in world if pk in codes)
    assert event.detail["entries"] == len(body) and event.detail["entries_cut"] is False


def test_a_category_figure_and_a_count_figure(world):
    client = Client()
    client.force_login(factories.user(Role.TAMBON_STAFF, TAMBON))
    eggs = sheets(
        client.get(url(V1, figure="category", category="C02", **{"from": "2024-02", "to": "2024-02"})).content
    )
    assert sorted(Decimal(str(r[-1])) for r in eggs["ครัวเรือน"][HEADER_ROW + 1 :]) == [
        Decimal("35.50") * k for k in (1, 2, 3, 4)
    ]
    counted = sheets(client.get(url(V2, figure="households", **{"from": "2024-02", "to": "2024-02"})).content)
    assert list(counted) == ["ครัวเรือน"]  # no lines behind a count of households
    assert len(counted["ครัวเรือน"][HEADER_ROW + 1 :]) == 3


def test_no_rows_for_those_who_may_not_read_persons_there(world):
    client = Client()
    for user in (factories.user(Role.AGENCY, "37"), factories.user(Role.TAMBON_STAFF, "370102")):
        client.force_login(user)
        assert client.get(url(TAMBON, figure="income")).status_code == 404
    client.force_login(factories.user(Role.TAMBON_STAFF, TAMBON))
    assert client.get(url(TAMBON, figure="nonsense")).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_rows_page_links_to_its_spreadsheet(world):
    client = Client()
    client.force_login(factories.user(Role.TAMBON_STAFF, TAMBON))
    page = client.get(
        reverse("insights:rows", args=[TAMBON]) + "?from=2024-01&to=2024-02&figure=category&category=C02"
    ).content.decode()
    assert (
        reverse("insights:rows_xlsx", args=[TAMBON])
        + "?from=2024-01&amp;to=2024-02&amp;figure=category&amp;category=C02"
        in page
    )

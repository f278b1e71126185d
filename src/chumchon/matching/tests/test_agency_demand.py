"""The agency's view: the demand each programme could meet, by tambon, as a page and a
workbook, against an independent count of the items and the programmes' rules."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from chumchon.access.models import AuditEvent, Role
from chumchon.access.scope import SYSTEM
from chumchon.areas.models import Area
from chumchon.matching.selectors import agency_demand_for_user
from chumchon.matching.tests.test_match import YEAR, _item, world  # noqa: F401 - the fixture
from tests import factories

pytestmark = pytest.mark.django_db


def _rows(body=None):
    return {
        (r.programme.code if r.programme else None, r.tambon_code): (r.items, r.households, r.asked)
        for r in agency_demand_for_user(SYSTEM, Area.objects.get(code="370101"), YEAR, body)
    }


def test_each_programme_sees_the_items_it_could_pay_for_by_tambon(world):  # noqa: F811
    _item(Area.objects.get(code="37010101"), "อบรมอาชีพ", actor="agency", cost=9_000, households=20, domain="economy")
    # By the rules (test_match): PAO takes health/resources items asking the อปท. (the
    # water), the อบต. takes the tambon's items asking it (water and road), CODI housing
    # asked of agencies (the house). The training asks agencies and no programme takes it.
    assert _rows() == {
        ("ABT-01", "370101"): (2, 90, Decimal(180_000)),
        ("CODI-06", "370101"): (1, 5, Decimal(40_000)),
        ("PAO-01", "370101"): (1, 60, Decimal(100_000)),
        (None, "370101"): (1, 20, Decimal(9_000)),
    }
    codi = world["programmes"]["codi"].body_id
    assert _rows(codi) == {("CODI-06", "370101"): (1, 5, Decimal(40_000))}


def test_the_page_and_the_workbook_agree_and_name_no_household(world):  # noqa: F811
    client = Client()
    client.force_login(factories.user(Role.AGENCY, "37"))
    url = reverse("matching:demand", args=["370101"])
    page = client.get(f"{url}?year={YEAR}").content.decode()
    assert 'data-programme="ABT-01"' in page and "180,000.00" in page
    response = client.get(reverse("matching:demand_xlsx", args=["370101"]) + f"?year={YEAR}")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[2][:2] == ["รหัสโครงการ", "โครงการ"]  # the headers in Thai
    rows = {(r[0], r[3]): (int(r[5]), int(r[6]), Decimal(str(r[7]))) for r in sheet[3:]}
    assert rows == {(k or "", t): v for (k, t), v in _rows().items()}
    assert AuditEvent.objects.filter(object_type="agency_demand", action="export").exists()
    # A body of the province only; another province's reader sees nothing of it.
    assert client.get(f"{url}?year={YEAR}&body=987654").status_code == 404
    other = Client()
    other.force_login(factories.user(Role.AGENCY, "34"))
    assert other.get(f"{url}?year={YEAR}").status_code == 404

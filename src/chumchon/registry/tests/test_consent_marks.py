"""A household that refused (or withdrew) consent is marked wherever it is shown: the
household list, its page, the volunteers' household search, the statements list; a
district's household list names each household's tambon."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.models import Consent
from tests import factories

pytestmark = pytest.mark.django_db
MARK = "ไม่ยินยอม"


@pytest.fixture
def households():
    village = factories.village("370101", 1, "บ้านบุ่ง")
    out = {
        consent: factories.household(village, code=f"01-{n:04d}", consent=consent)
        for n, consent in enumerate(Consent.values, start=1)
    }
    for h in out.values():
        ledger_entries_add(
            actor=Actor(user=None), household=h, lines=[LineInput(dt.date(2024, 2, 3), "C02", Decimal("10"))]
        )
    return out


def marked_codes(html: str, codes: list[str]) -> set[str]:
    """The codes whose own table row (or result) carries the mark."""
    found = set()
    for block in re.split(r"<tr|<li", html):
        for code in codes:
            if code in block and MARK in block:
                found.add(code)
    return found


def test_the_household_list_and_page_mark_no_consent(client, households):
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    codes = [h.code for h in households.values()]
    html = client.get(reverse("registry:list", args=["370101"])).content.decode()
    no = {households[Consent.REFUSED].code, households[Consent.WITHDRAWN].code}
    assert marked_codes(html, codes) == no
    for consent, h in households.items():
        page = client.get(reverse("registry:detail", args=[h.pk])).content.decode()
        heading = re.search(r"<h1>(.*?)</h1>", page, re.S)[1]
        assert (MARK in heading) is (h.code in no), consent


def test_the_volunteers_search_marks_no_consent(client, households):
    client.force_login(factories.user(Role.VOLUNTEER, households[Consent.GIVEN].village))
    html = client.get(reverse("ledgers:phone"), {"q": "01-"}, HTTP_HX_REQUEST="true").content.decode()
    codes = [h.code for h in households.values()]
    assert all(code in html for code in codes)
    assert marked_codes(html, codes) == {households[Consent.REFUSED].code, households[Consent.WITHDRAWN].code}
    for consent, h in households.items():
        page = client.get(reverse("ledgers:phone_household", args=[h.pk])).content.decode()
        assert (MARK in page) is (consent in (Consent.REFUSED, Consent.WITHDRAWN)), consent


def test_the_statements_list_marks_no_consent(client, households):
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    village = households[Consent.GIVEN].village
    html = client.get(reverse("ledgers:village_statements", args=[village.code]), {"month": "2024-02"}).content
    codes = [h.code for h in households.values()]
    assert marked_codes(html.decode(), codes) == {
        households[Consent.REFUSED].code,
        households[Consent.WITHDRAWN].code,
    }
    page = client.get(reverse("ledgers:statement", args=[households[Consent.REFUSED].pk]), {"month": "2024-02"})
    assert MARK in re.search(r"<h1>(.*?)</h1>", page.content.decode(), re.S)[1]


def test_a_districts_household_list_names_the_tambon(client):
    a = factories.household(factories.village("370101", 1), code="A-1")
    b = factories.household(factories.village("370102", 1), code="B-1")
    client.force_login(factories.user(Role.DISTRICT_COORDINATOR, "3701"))
    html = client.get(reverse("registry:list", args=["3701"])).content.decode()
    assert '<th class="hide-narrow">ตำบล</th>' in html
    rows = {code: block for block in html.split("<tr>") for code in ("A-1", "B-1") if f">{code}</a>" in block}
    assert "ต.บุ่ง" in rows[a.code] and "ต.ไก่คำ" in rows[b.code]
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    assert '<th class="hide-narrow">ตำบล</th>' not in client.get(reverse("registry:list", args=["370101"])).text

"""The rows behind a figure on a district's (or province's) page name each household's
tambon, and mark a household that refused consent."""

from __future__ import annotations

import re

import pytest

from chumchon.access.models import Role
from chumchon.insights.tests.test_views import V1, V3, client_for, rows_url, world
from chumchon.registry.models import Consent, Household

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the fixture, shared with test_views


def _household_rows(html: str) -> dict[str, str]:
    """Household code -> its row's HTML, from the households table."""
    table = html.split("<h2>", 2)[1]
    return {
        m[1]: m[0] for m in re.finditer(r"<tr>\s*<td><a href=\"/households/\d+/\">([^<]+)</a>.*?</tr>", table, re.S)
    }


def test_a_districts_rows_name_the_tambon(world):
    html = client_for(Role.DISTRICT_COORDINATOR, "3701").get(rows_url("3701", figure="income")).content.decode()
    assert '<th class="hide-narrow">ตำบล</th>' in html
    rows = _household_rows(html)
    for code, tambon in ((V1, "ต.บุ่ง"), (V3, "ต.ไก่คำ")):
        for h in world[code]:
            assert tambon in rows[h.code], (h.code, tambon)
    entries = html.split('<table class="table small entries">', 1)[1].split("</table>", 1)[0]
    assert entries.count('<th class="hide-narrow">ตำบล</th>') == 1
    lines = re.findall(r"<tr[^>]*>(.*?)</tr>", entries.split("<tbody>", 1)[1], re.S)
    assert lines and all(("ต.บุ่ง" in line) or ("ต.ไก่คำ" in line) for line in lines)


def test_a_tambons_rows_need_no_tambon_column(world):
    html = client_for(Role.TAMBON_STAFF, "370101").get(rows_url("370101", figure="income")).content.decode()
    assert '<th class="hide-narrow">ตำบล</th>' not in html


def test_a_household_without_consent_is_marked(world):
    refused, withdrawn, given = world[V1][:3]
    Household.objects.filter(pk=refused.pk).update(consent=Consent.REFUSED)
    Household.objects.filter(pk=withdrawn.pk).update(consent=Consent.WITHDRAWN)
    Household.objects.filter(pk=given.pk).update(consent=Consent.GIVEN)
    rows = _household_rows(client_for(Role.TAMBON_STAFF, "370101").get(rows_url(V1, figure="income")).content.decode())
    marked = {code for code, row in rows.items() if "ไม่ยินยอม" in row}
    assert marked == {refused.code, withdrawn.code}

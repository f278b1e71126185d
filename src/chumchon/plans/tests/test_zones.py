"""Zone plans and the coordinators' own forums: a zone of a province (Sa Kaeo runs 4)
gathers the items of its member districts and tambons and has items, forums,
certifications and a vision of its own; the provincial team records the province's
and its zones' forums and items, not a tambon's or a village's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.areas.models import Zone
from chumchon.insights.tests.forum_data import norm, pdf_text
from chumchon.plans.models import Certification, Forum, Plan, PlanItem
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april_2024():
    with time_machine.travel(dt.datetime(2024, 4, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


def _village_item(code: str, title: str, asked: int) -> PlanItem:
    village = factories.village(code[:6], int(code[6:]))
    plan, _ = Plan.objects.get_or_create(
        area=village, zone=None, fiscal_year=2567,
        defaults={"level": "village", "province_code": code[:2], "district_code": code[:4],
                  "tambon_code": code[:6], "village_code": code},
    )  # fmt: skip
    return PlanItem.objects.create(
        plan=plan, title=title, actor="agency", domain="health", kind="infrastructure", households=20,
        cost=Decimal(asked), amount_asked=Decimal(asked), fiscal_year=2567, province_code=code[:2],
        district_code=code[:4], tambon_code=code[:6], village_code=code,
    )  # fmt: skip


@pytest.fixture
def zone() -> Zone:
    _village_item("37010101", "ประปาหมู่บ้านในโซน", 100_000)
    _village_item("37020101", "ถนนนอกโซน", 900_000)
    zone = Zone.objects.create(province_id="37", name="โซนเหนือ")
    zone.members.add("370101")
    return zone


def _client(role: str, area: str) -> Client:
    client = Client()
    client.force_login(factories.user(role, area))
    return client


def test_the_zone_page_gathers_its_members_items_and_not_the_others(zone):
    page = _client(Role.PROVINCE_COORDINATOR, "37").get(reverse("plans:zone_area", args=[zone.pk]) + "?year=2567")
    html = page.content.decode()
    assert page.status_code == 200
    assert "โซนเหนือ" in html and "ประปาหมู่บ้านในโซน" in html and "ถนนนอกโซน" not in html
    # The demand addressed to agencies is the zone's: one item of ฿100,000.
    assert "100,000" in html and "900,000" not in html
    province = _client(Role.PROVINCE_COORDINATOR, "37").get(reverse("plans:area", args=["37"]) + "?year=2567")
    assert reverse("plans:zone_area", args=[zone.pk]) in province.content.decode()


def test_the_provincial_team_records_a_zone_forum_an_item_and_a_certification(zone):
    client = _client(Role.PROVINCE_COORDINATOR, "37")
    response = client.post(
        reverse("plans:zone_forum_add", args=[zone.pk]),
        {"held_on": "05/04/2567", "month": "2567-03", "mechanism": "provincial_team", "place": "ที่ว่าการอำเภอ",
         "attendance": "45"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    forum = Forum.objects.get()
    assert (forum.zone_id, forum.area_id, forum.level) == (zone.pk, "37", "zone")
    forum_page = client.get(reverse("plans:forum", args=[forum.pk])).content.decode()
    assert reverse("plans:zone_area", args=[zone.pk]) in forum_page

    response = client.post(
        reverse("plans:zone_item_add", args=[zone.pk]) + "?year=2567",
        {"title": "ศูนย์เรียนรู้ของโซน", "actor": "agency", "households": "120", "cost": "๕๐,๐๐๐",
         "owner": "นายโซน"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    item = PlanItem.objects.get(title="ศูนย์เรียนรู้ของโซน")
    assert (item.plan.zone_id, item.plan.level, item.plan.area_id) == (zone.pk, "zone", "37")
    client.post(
        reverse("plans:zone_certify", args=[zone.pk]) + "?year=2567",
        {"certified_on": "06/04/2567", "by_kind": "forum", "by_name": "เวทีโซนเหนือ", "year": "2567"},
    )
    assert Certification.objects.get().plan == item.plan
    html = client.get(reverse("plans:zone_area", args=[zone.pk]) + "?year=2567").content.decode()
    assert "ศูนย์เรียนรู้ของโซน" in html and "ประปาหมู่บ้านในโซน" in html and "เวทีโซนเหนือ" in html
    # The province's own plan does not take the zone's item as its own.
    assert not Plan.objects.filter(area_id="37", zone__isnull=True).exists()


def test_the_printed_zone_plan_names_the_zone(zone, tmp_path):
    response = _client(Role.PROVINCE_COORDINATOR, "37").get(
        reverse("plans:zone_plan_pdf", args=[zone.pk]) + "?year=2567"
    )
    assert response.status_code == 200
    assert f"plan-zone{zone.pk}-2567.pdf" in response["Content-Disposition"]
    out = tmp_path / "zone.pdf"
    out.write_bytes(response.content)
    text = pdf_text(out)
    assert norm("โซนเหนือ") in text and norm("ประปาหมู่บ้านในโซน") in text and norm("ถนนนอกโซน") not in text


def test_who_writes_a_zone_and_the_provinces_own_plan(zone):
    district = _client(Role.DISTRICT_COORDINATOR, "3701")
    staff = _client(Role.TAMBON_STAFF, "370101")
    for client in (district, staff):  # a zone is the province's: neither writes it
        assert client.get(reverse("plans:zone_item_add", args=[zone.pk])).status_code == 404
        assert client.post(reverse("plans:zone_forum_add", args=[zone.pk]), {}).status_code == 404
    # The district coordinator writes the district's own plan, not a village's.
    assert district.get(reverse("plans:item_add", args=["3701"])).status_code == 200
    assert district.get(reverse("plans:forum_add", args=["37010101"])).status_code == 404
    province = _client(Role.PROVINCE_COORDINATOR, "37")
    assert province.get(reverse("plans:forum_add", args=["370101"])).status_code == 404
    response = province.post(
        reverse("plans:item_add", args=["37"]) + "?year=2567",
        {"title": "ตลาดสีเขียวจังหวัด", "actor": "agency", "households": "300", "cost": "200000", "owner": "นางจังหวัด"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PlanItem.objects.get(title="ตลาดสีเขียวจังหวัด").plan.level == "province"

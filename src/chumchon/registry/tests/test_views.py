"""Registry pages as a tambon officer uses them."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.registry.models import DuplicateCandidate, Household, Member
from chumchon.registry.services import (
    HouseholdInput,
    MemberInput,
    duplicates_scan,
    household_create,
    household_indicators_record,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = factories.user(Role.TAMBON_STAFF, "370101", username="officer")
    client.force_login(user)
    return user


@pytest.fixture
def village():
    return factories.village("370101", 1, "บ้านบุ่ง")


def test_register_a_household_with_its_head(client, officer, village):
    response = client.post(
        reverse("registry:add", args=["37010101"]),
        {
            "code": "01-0100", "village": "37010101", "house_no": "๑๒/๓", "occupation_group": "O01", "welfare_card": "on",
            "head-first_name": "บุญมี", "head-last_name": "ศรีสุข", "head-national_id": "1-1017-00203-45-0",
            "head-title": "นาย", "head-sex": "M", "head-birth_date": "1965-02-01", "head-status": "here",
        },
    )  # fmt: skip
    household = Household.objects.get(code="01-0100")
    assert response["Location"] == reverse("registry:detail", args=[household.pk])
    page = client.get(response["Location"]).content.decode()
    assert "นายบุญมี ศรีสุข" in page and "1-1017-xxxxx-xx-0" in page and "1 ก.พ. 2508" in page
    assert "1101700203450" not in page


def test_a_bad_national_id_is_reported_on_the_form(client, officer, village):
    page = client.post(
        reverse("registry:add", args=["37010101"]),
        {
            "code": "X",
            "village": "37010101",
            "head-first_name": "ก",
            "head-last_name": "ข",
            "head-national_id": "1101700203451",
            "head-status": "here",
        },
    ).content.decode()
    assert "หลักตรวจสอบไม่ตรง" in page
    assert not Household.objects.exists()


def test_reveal_shows_the_full_number_once_and_audits_it(client, officer, village):
    household = factories.household(village, members=1)
    member = household.members.get()
    response = client.post(reverse("registry:member_reveal", args=[household.pk, member.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    digits = response.content.decode().split(">")[1].split("<")[0].replace("-", "")
    assert len(digits) == 13 and digits.isdigit()
    assert AuditEvent.objects.filter(action="reveal", object_id=str(member.pk), username="officer").count() == 1
    # A district coordinator can read the household but cannot reveal.
    client.force_login(factories.user(Role.DISTRICT_COORDINATOR, "3701"))
    assert client.get(reverse("registry:detail", args=[household.pk])).status_code == 200
    assert client.post(reverse("registry:member_reveal", args=[household.pk, member.pk])).status_code == 403


def test_verify_consent_needs_and_history_on_the_page(client, officer, village):
    household = factories.household(village, members=1, welfare_card=True)
    client.post(reverse("registry:verify", args=[household.pk]), {"outcome": "corrected", "house_no": "77"})
    client.post(reverse("registry:consent", args=[household.pk]), {"consent": "given", "note": "ลงชื่อแล้ว"})
    client.post(reverse("registry:household_needs", args=[household.pk]), {"L1": "failed", "I3": "failed"})
    household.refresh_from_db()
    assert (household.verification, household.house_no, household.consent) == ("corrected", "77", "given")
    assert (household.fails_living, household.fails_income, household.is_target) == (True, True, True)
    page = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    assert "ตรวจสอบแล้วแก้ไข" in page and "ประวัติการแก้ไข" in page and "ครัวเรือนเป้าหมาย" in page


def test_export_is_json_with_masked_ids_and_erase_needs_the_code(client, officer, village):
    household = factories.household(village, members=2)
    response = client.get(reverse("registry:export", args=[household.pk]))
    document = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert all("xxxxx-xx" in m["national_id"] for m in document["members"])
    client.post(reverse("registry:erase", args=[household.pk]), {"reason": "ขอลบ", "confirm": "wrong"})
    assert Member.objects.filter(household=household).count() == 2
    client.post(reverse("registry:erase", args=[household.pk]), {"reason": "ขอลบ", "confirm": household.code})
    assert Member.objects.filter(household=household).count() == 0


def test_the_needs_survey_keeps_not_asked_apart_from_met(client, officer, village):
    household = factories.household(village, members=1)
    url = reverse("registry:household_needs", args=[household.pk])
    client.post(url, {"L1": "failed", "H1": "met"})
    answers = dict(household.indicators.values_list("indicator__code", "failed"))
    assert answers == {"L1": True, "H1": False}  # the others were not asked: no answer stored
    page = client.get(url).content.decode()
    assert 'name="L1" value="failed"' in page and re.search(r'name="L1" value="failed"[^>]*checked', page)
    assert re.search(r'name="E1" value=""[^>]*checked', page)  # shown as not asked
    client.post(url, {"L1": "", "H1": "met"})  # L1 withdrawn: it was never really asked
    assert dict(household.indicators.values_list("indicator__code", "failed")) == {"H1": False}
    household.refresh_from_db()
    assert not household.fails_living
    change = household.changes.filter(kind="indicators").order_by("-at", "-id").first()
    assert (change.before, change.after) == ({"L1": True}, {"L1": None})


def test_needs_page_links_each_figure_to_its_households(client, officer, village):
    for i in range(3):
        h = factories.household(village, members=1, welfare_card=True)
        client.post(reverse("registry:household_needs", args=[h.pk]), {"H1": "failed"} if i else {})
    page = client.get(reverse("registry:needs", args=["370101"])).content.decode()
    assert 'href="/households/area/370101/?dimension=health">2</a>' in page
    listing = client.get("/households/area/370101/?dimension=health")
    assert listing.context["page"].paginator.count == 2


def test_agency_sees_needs_without_links_and_with_small_cells_hidden(client, village):
    h = factories.household(village, members=1)
    staff = Actor(user=factories.user(Role.TAMBON_STAFF, "370101"))
    household_indicators_record(actor=staff, household=h, answers={"H1": True})
    client.force_login(factories.user(Role.AGENCY, "37"))
    page = client.get(reverse("registry:needs", args=["370101"])).content.decode()
    assert '<span title="' in page and "–</span>" in page and 'href="/households/area/' not in page
    assert client.get(reverse("registry:list", args=["370101"])).status_code == 404


def test_duplicate_queue_shows_only_pairs_within_scope(client, officer, village):
    actor = Actor(user=officer)
    for code, nid in [("A", "1101700203450"), ("B", None)]:
        household_create(
            actor=actor,
            data=HouseholdInput(
                code=code,
                village=village,
                members=[
                    MemberInput(
                        first_name="สมศรี",
                        last_name="ใจดี",
                        national_id=nid,
                        is_head=True,
                        birth_date=dt.date(1970, 1, 1),
                    )
                ],
            ),
        )
    other = factories.village("370102", 1)
    household_create(
        actor=Actor(user=None),
        data=HouseholdInput(
            code="C",
            village=other,
            members=[MemberInput(first_name="สมสี", last_name="ใจดี", is_head=True, birth_date=dt.date(1970, 1, 1))],
        ),
    )
    assert duplicates_scan(area_code="37") == 3
    page = client.get(reverse("registry:duplicates"))
    assert page.context["page"].paginator.count == 1  # only the pair inside ต.บุ่ง
    outside = DuplicateCandidate.objects.exclude(pk=page.context["page"][0].pk).first()
    assert (
        client.post(reverse("registry:duplicate_resolve", args=[outside.pk]), {"action": "dismiss"}).status_code == 404
    )
    inside = page.context["page"][0]
    client.post(reverse("registry:duplicate_resolve", args=[inside.pk]), {"action": "dismiss"})
    inside.refresh_from_db()
    assert inside.status == "dismissed"


def test_scan_button_looks_in_the_users_own_tambon(client, officer, village):
    actor = Actor(user=officer)
    for code, nid in [("A", "1101700203450"), ("B", None)]:
        household_create(
            actor=actor,
            data=HouseholdInput(
                code=code,
                village=village,
                members=[
                    MemberInput(
                        first_name="บุญมี",
                        last_name="ดีงาม",
                        national_id=nid,
                        is_head=True,
                        birth_date=dt.date(1960, 1, 1),
                    )
                ],
            ),
        )
    response = client.post(reverse("registry:duplicates_scan"), follow=True)
    assert "1" in response.content.decode() and response.context["page"].paginator.count == 1
    client.force_login(factories.user(Role.AGENCY, "37"))
    assert client.post(reverse("registry:duplicates_scan")).status_code == 403

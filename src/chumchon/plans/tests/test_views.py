"""The forum and plan pages as a tambon officer uses them: BE dates and Thai money typed
in the forms, the pack's question made a problem, an item with evidence, the status
path, and the tambon page's forums of the month."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.plans.models import Evidence, Finding, Forum, ItemChange, PlanItem, Status
from tests import factories

pytestmark = pytest.mark.django_db

TAMBON = "370101"


@pytest.fixture(autouse=True)
def _april_2024():
    with time_machine.travel(dt.datetime(2024, 4, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def village():
    v = factories.village(TAMBON, 1)
    for h in [factories.household(v) for _ in range(6)]:
        ledger_entries_add(
            actor=Actor.system("test"), household=h,
            lines=[LineInput(date=dt.date(2024, 3, 5), category="C02", amount=Decimal(120), key=f"e-{h.pk}")],
        )  # fmt: skip
    factories.village(TAMBON, 2)
    return v


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(factories.user(Role.TAMBON_STAFF, TAMBON))
    return client


def _record_forum(client: Client, village) -> Forum:
    response = client.post(
        reverse("plans:forum_add", args=[village.code]),
        {"held_on": "05/04/2567", "month": "2567-03", "mechanism": "village_committee", "place": "ศาลาประชาคม",
         "facilitators": "นางสาวใจดี มีสุข", "attendance": "๒๓", "minutes": "ประชุมเรื่องไข่"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return Forum.objects.get()


def test_a_forum_recorded_with_a_be_date_and_its_question_made_a_problem(staff_client, village):
    forum = _record_forum(staff_client, village)
    assert (forum.held_on, forum.month, forum.attendance) == (dt.date(2024, 4, 5), dt.date(2024, 3, 1), 23)
    page = staff_client.get(reverse("plans:forum", args=[forum.pk])).content.decode()
    assert "ศาลาประชาคม" in page and 'data-question="local_food"' in page
    staff_client.post(reverse("plans:forum_question", args=[forum.pk]), {"question": "local_food"})
    problem = Finding.objects.get(kind="problem")
    assert problem.evidence.get().value_cited == Decimal(720)
    page = staff_client.get(reverse("plans:forum", args=[forum.pk])).content.decode()
    assert "720" in page and 'data-question="local_food"' not in page


def test_the_forum_edit_form_shows_the_be_date_and_saves_unchanged(staff_client, village):
    forum = _record_forum(staff_client, village)
    page = staff_client.get(reverse("plans:forum_edit", args=[forum.pk])).content.decode()
    assert 'value="05/04/2567"' in page and 'value="2567-03"' in page
    before = Forum.objects.values().get()
    staff_client.post(
        reverse("plans:forum_edit", args=[forum.pk]),
        {"held_on": "05/04/2567", "month": re.search(r'name="month"[^>]*value="([^"]+)"', page).group(1),
         "mechanism": "village_committee", "place": "ศาลาประชาคม", "facilitators": "นางสาวใจดี มีสุข",
         "attendance": "23", "minutes": "ประชุมเรื่องไข่"},
    )  # fmt: skip
    assert Forum.objects.values().get() == before


def test_an_item_with_thai_money_its_status_and_a_cited_figure(staff_client, village):
    response = staff_client.post(
        reverse("plans:item_add", args=[village.code]) + "?year=2567",
        {"title": "ประปาหมู่บ้าน", "actor": "local_government", "domain": "health", "kind": "infrastructure",
         "households": "40", "cost": "๑๕๐,๐๐๐ บาท", "owner": "นายหนึ่ง", "team": "นางสอง\nนายสาม"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    item = PlanItem.objects.get()
    assert (item.cost, item.amount_asked, item.fiscal_year, item.village_code) == (
        Decimal(150000),
        Decimal(150000),
        2567,
        village.code,
    )
    staff_client.post(reverse("plans:item_status", args=[item.pk]), {"status": "adopted_in_principle"})
    staff_client.post(reverse("plans:item_status", args=[item.pk]), {"status": "declined", "reason": ""})
    item.refresh_from_db()
    assert item.status == Status.ADOPTED_IN_PRINCIPLE  # declined needs a reason
    staff_client.post(
        reverse("plans:item_evidence", args=[item.pk]),
        {
            "type": "figure",
            "figure": "households_reporting",
            "area": village.code,
            "start": "2567-03",
            "end": "2567-03",
        },
    )
    assert Evidence.objects.get(item=item).value_cited == 6
    page = staff_client.get(reverse("plans:item", args=[item.pk])).content.decode()
    assert "ประปาหมู่บ้าน" in page and "150,000.00" in page
    assert ItemChange.objects.filter(item=item).count() == 2


def test_the_item_edit_form_saved_unchanged_writes_nothing(staff_client, village):
    staff_client.post(
        reverse("plans:item_add", args=[village.code]) + "?year=2567",
        {"title": "กลุ่มไก่ไข่", "actor": "group", "households": "6", "owner": "นายหนึ่ง", "team": "นางสอง"},
    )
    item = PlanItem.objects.get()
    page = staff_client.get(reverse("plans:item_edit", args=[item.pk])).content.decode()
    assert 'value="กลุ่มไก่ไข่"' in page and "นางสอง" in page
    before = (PlanItem.objects.values().get(), ItemChange.objects.count(), list(item.people.values()))
    staff_client.post(
        reverse("plans:item_edit", args=[item.pk]),
        {"title": "กลุ่มไก่ไข่", "actor": "group", "households": "6", "cost": "0.00", "owner": "นายหนึ่ง", "team": "นางสอง"},
    )
    assert (PlanItem.objects.values().get(), ItemChange.objects.count(), list(item.people.values())) == before


def test_the_tambon_page_shows_which_villages_met(staff_client, village):
    _record_forum(staff_client, village)
    html = staff_client.get(reverse("plans:summary", args=[TAMBON])).content.decode()
    assert html.count("badge warn") == 1  # village 2 did not meet
    assert village.display_name in html


def test_the_adoption_form_saved_unchanged_writes_nothing(village):
    admin = Client()
    admin.force_login(factories.admin())
    admin.post(
        reverse("plans:item_add", args=[village.code]) + "?year=2567",
        {"title": "ถนน", "actor": "local_government", "households": "9", "cost": "90000"},
    )
    item = PlanItem.objects.get()
    admin.post(
        reverse("plans:item_adoption", args=[item.pk]),
        {"local_plan_years": "2566-2570", "project_no": "12", "provincial": "related"},
    )
    page = admin.get(reverse("plans:item", args=[item.pk])).content.decode()
    assert 'value="2566-2570"' in page and 'value="12"' in page
    before = (PlanItem.objects.values().get(), ItemChange.objects.count())
    admin.post(
        reverse("plans:item_adoption", args=[item.pk]),
        {"local_plan_years": "2566-2570", "project_no": "12", "provincial": "related"},
    )
    assert (PlanItem.objects.values().get(), ItemChange.objects.count()) == before
    assert before[0]["provincial_adoption"] == "related"


def test_the_tambon_plan_page_reads_a_fixed_number_of_queries_however_many_items(staff_client, village):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chumchon.core.thai import Month
    from chumchon.plans import services
    from chumchon.plans.models import Actor as Who

    actor = Actor(user=factories.user(Role.TAMBON_STAFF, TAMBON))
    plan = services.plan_get_or_create(actor=actor, area=village, fiscal_year=2567)
    url = reverse("plans:area", args=[TAMBON]) + "?year=2567"

    def add(n: int) -> None:
        for i in range(n):
            item = services.item_create(
                actor=actor, plan=plan,
                data=services.ItemInput(title=f"รายการ {PlanItem.objects.count()}", actor=Who.HOUSEHOLD, owner=f"คน {i}"),
            )  # fmt: skip
            services.evidence_cite(
                actor=actor, item=item, figure="local_food", area=village, start=Month(2024, 3), end=Month(2024, 3)
            )

    def queries() -> int:
        staff_client.get(url)  # warm what is cached per process
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = queries()
    add(6)
    assert queries() == few

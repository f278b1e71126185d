"""The budget calendar: the regulation's dates, a local government's own, the steps each
item must pass by when, what is late, and the tambon page's next deadline. The clock is
pinned: 20 July 2024, in fiscal 2567, while fiscal 2568 is being budgeted."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.scope import SYSTEM
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.matching import services
from chumchon.matching.calendar import check_order, default_dates
from chumchon.matching.models import BudgetCalendar
from chumchon.matching.selectors import calendar_summary_for_user, calendars_for_tambon, dues_for_user
from chumchon.matching.services import CalendarInput, MatchingError, NegotiationInput
from chumchon.matching.tests.test_match import YEAR, _item, _programme
from chumchon.plans.models import PlanItem
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 7, 20)
D = dt.date


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2024, 7, 20, 3, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world() -> dict[str, object]:
    v1 = factories.village("370101", 1)
    factories.village("370102", 1)
    items = {
        "water": _item(v1, "ประปาหมู่บ้าน", actor="local_government", cost=100_000, households=60),
        "house": _item(v1, "ซ่อมบ้าน", actor="agency", cost=40_000, households=5, domain="housing"),
    }
    programmes = {
        "abt": _programme("ABT-01", 120_000, actors=("local_government",), areas=("370101",), kind="local_government"),
        "codi": _programme("CODI-06", 30_000, actors=("agency",), domains=("housing",), kind="codi"),
        "pmj": _programme("PMJ-01", 30_000, actors=("agency",), domains=("housing",), kind="agency"),
    }
    programmes["abt"].body.tambons.add("370101")
    programmes["codi"].request_deadline = D(2024, 8, 1)
    programmes["codi"].save()
    programmes["pmj"].request_deadline = D(2024, 9, 30)
    programmes["pmj"].save()
    return {"items": items, "programmes": programmes, "staff": factories.user(Role.TAMBON_STAFF, "370101"),
            "tambon": Area.objects.get(code="370101")}  # fmt: skip


def test_the_regulation_dates_fall_in_the_year_before_the_fiscal_year():
    assert default_dates(2568) == {
        "plan_amended_by": D(2024, 6, 30),
        "draft_to_council_by": D(2024, 8, 15),
        "council_by": D(2024, 9, 15),
        "starts_on": D(2024, 10, 1),
    }


def test_dates_out_of_order_are_named():
    assert check_order(D(2024, 6, 30), D(2024, 8, 15), D(2024, 9, 15), D(2024, 10, 1)) == []
    problems = check_order(D(2024, 8, 20), D(2024, 8, 15), D(2024, 10, 2), D(2024, 10, 1))
    assert len(problems) == 2 and "แผนพัฒนาท้องถิ่น" in problems[0] and "ก่อนวันเริ่มปีงบประมาณ" in problems[1]


def test_each_item_has_its_steps_with_dates_and_what_is_late(world):
    items = world["items"]
    dues = {(d.item_id, d.step, d.body): d for d in dues_for_user(SYSTEM, world["tambon"], YEAR)}
    water, house = items["water"].pk, items["house"].pk
    abt = world["programmes"]["abt"].body.name
    assert set(dues) == {
        (water, "plan_amended_by", abt), (water, "draft_to_council_by", abt),
        (house, "request", world["programmes"]["codi"].body.name),
        (house, "request", world["programmes"]["pmj"].body.name),
    }  # fmt: skip
    plan, draft = dues[(water, "plan_amended_by", abt)], dues[(water, "draft_to_council_by", abt)]
    assert (plan.on, plan.reached, plan.late(TODAY)) == (D(2024, 6, 30), False, True)
    assert (draft.on, draft.late(TODAY)) == (D(2024, 8, 15), False)
    # In the local development plan: that step is done, and nothing of the item is late.
    PlanItem.objects.filter(pk=water).update(status="in_local_plan")
    dues = {(d.item_id, d.step): d for d in dues_for_user(SYSTEM, world["tambon"], YEAR)}
    assert dues[(water, "plan_amended_by")].reached and not dues[(water, "draft_to_council_by")].reached


def test_the_next_deadline_and_a_request_made_at_the_forum(world):
    summary = calendar_summary_for_user(SYSTEM, world["tambon"], TODAY)
    assert summary.years == (2567, 2568)
    assert summary.next_on == D(2024, 8, 1)  # CODI's request deadline comes first
    assert [(d.title, d.step) for d in summary.next_steps] == [("ซ่อมบ้าน", "request")]
    assert [(d.title, d.step) for d in summary.late] == [("ประปาหมู่บ้าน", "plan_amended_by")]
    # Put to CODI at a negotiation forum: the request is made; the next deadline is the draft's.
    staff = Actor(user=world["staff"])
    services.match_run(actor=staff, area=world["tambon"], fiscal_year=YEAR)
    services.negotiation_create(
        actor=staff, area=world["tambon"], fiscal_year=YEAR,
        data=NegotiationInput(held_on=D(2024, 7, 19), place="ศาลา", bodies=[world["programmes"]["codi"].body_id]),
    )  # fmt: skip
    services.outcome_record(actor=staff, negotiation=services.Negotiation.objects.get(),
                            data=services.OutcomeInput(item=world["items"]["house"].pk,
                                                       body=world["programmes"]["codi"].body_id, outcome="deferred"))  # fmt: skip
    summary = calendar_summary_for_user(SYSTEM, world["tambon"], TODAY)
    assert summary.next_on == D(2024, 8, 15)
    assert [(d.title, d.step) for d in summary.next_steps] == [("ประปาหมู่บ้าน", "draft_to_council_by")]


def test_a_local_governments_own_dates_take_the_regulations_place(world):
    body, staff = world["programmes"]["abt"].body, Actor(user=world["staff"])
    defaults = default_dates(YEAR)
    same = CalendarInput(**defaults)
    assert services.calendar_save(actor=staff, body=body, tambon_code="370101", fiscal_year=YEAR, data=same) == (
        "unchanged"
    )
    assert not BudgetCalendar.objects.exists()
    own = CalendarInput(plan_amended_by=D(2024, 7, 31), draft_to_council_by=D(2024, 8, 10),
                        council_by=D(2024, 9, 10), starts_on=D(2024, 10, 1), note="มติสภา อบต. สมัยสามัญที่ 2")  # fmt: skip
    assert services.calendar_save(actor=staff, body=body, tambon_code="370101", fiscal_year=YEAR, data=own) == "created"
    assert services.calendar_save(actor=staff, body=body, tambon_code="370101", fiscal_year=YEAR, data=own) == (
        "unchanged"
    )
    (cal,) = calendars_for_tambon("370101", YEAR)
    assert (cal.configured, cal.plan_amended_by, cal.draft_to_council_by) == (True, D(2024, 7, 31), D(2024, 8, 10))
    dues = {d.step: d for d in dues_for_user(SYSTEM, world["tambon"], YEAR) if d.item_id == world["items"]["water"].pk}
    assert dues["plan_amended_by"].on == D(2024, 7, 31) and not dues["plan_amended_by"].late(TODAY)
    assert AuditEvent.objects.filter(object_type="budget_calendar", action="create").count() == 1
    # Another year keeps the regulation's dates.
    assert not calendars_for_tambon("370101", YEAR + 1)[0].configured


def test_a_wrong_calendar_is_refused_and_changes_nothing(world):
    body, staff = world["programmes"]["abt"].body, Actor(user=world["staff"])
    wrong = CalendarInput(plan_amended_by=D(2024, 9, 1), draft_to_council_by=D(2024, 8, 15),
                          council_by=D(2024, 9, 15), starts_on=D(2024, 10, 1))  # fmt: skip
    with pytest.raises(MatchingError, match="ไม่หลังวันเสนอร่างข้อบัญญัติ"):
        services.calendar_save(actor=staff, body=body, tambon_code="370101", fiscal_year=YEAR, data=wrong)
    with pytest.raises(MatchingError, match=r"ไม่ใช่ อปท\. ของตำบลนี้"):
        services.calendar_save(actor=staff, body=world["programmes"]["codi"].body, tambon_code="370101",
                               fiscal_year=YEAR, data=CalendarInput(**default_dates(YEAR), note="x"))  # fmt: skip
    other = Actor(user=factories.user(Role.TAMBON_STAFF, "370102"))
    with pytest.raises(PermissionDenied):
        services.calendar_save(actor=other, body=body, tambon_code="370101", fiscal_year=YEAR,
                               data=CalendarInput(**default_dates(YEAR), note="x"))  # fmt: skip
    assert not BudgetCalendar.objects.exists()


def test_the_pages_show_the_deadlines_and_keep_the_dates_typed_in_be(world):
    client = Client()
    client.force_login(world["staff"])
    page = client.get(reverse("matching:calendar", args=["370101"])).content.decode()
    assert "30 มิถุนายน 2567" in page and "15 สิงหาคม 2567" in page  # the regulation's, for 2568
    assert "data-late" in page and 'name="plan_amended_by"' in page
    body = world["programmes"]["abt"].body
    response = client.post(
        reverse("matching:calendar", args=["370101"]),
        {"year": "2568", "body": str(body.pk), "plan_amended_by": "31/07/2567", "draft_to_council_by": "10/08/2567",
         "council_by": "10/09/2567", "starts_on": "01/10/2567", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    cal = BudgetCalendar.objects.get()
    assert (cal.plan_amended_by, cal.council_by) == (D(2024, 7, 31), D(2024, 9, 10))
    summary = client.get(reverse("matching:calendar_summary", args=["370101"])).content.decode()
    # The อบต.'s own plan date (31 July) now comes before CODI's deadline and is not late.
    assert 'data-next="2024-07-31"' in summary and "31 กรกฎาคม 2567" in summary
    assert "ประปาหมู่บ้าน" in summary and "data-late-count" not in summary
    agency = Client()
    agency.force_login(factories.user(Role.AGENCY, "37"))
    page = agency.get(reverse("matching:calendar", args=["370101"]))
    assert page.status_code == 200 and 'name="plan_amended_by"' not in page.content.decode()
    outsider = Client()
    outsider.force_login(factories.user(Role.TAMBON_STAFF, "370102"))
    assert outsider.post(reverse("matching:calendar", args=["370101"]), {"body": str(body.pk)}).status_code in (
        403,
        404,
    )
    assert BudgetCalendar.objects.count() == 1

"""The partner negotiation forum and the funding ledger: suggestions from the latest
match, each body's answer, the ledger's steps, and the plan item's status following.

The expected transitions are written out here as a table, independently of
``services.stage_allowed``; the pages are driven as a browser would (forms with BE
dates as typed), and the pack is read back from the PDF's text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.insights.tests.forum_data import norm, pdf_text
from chumchon.matching import services
from chumchon.matching.models import Match, MatchStep, Negotiation, Stage
from chumchon.matching.services import MatchingError, NegotiationInput, OutcomeInput
from chumchon.matching.tests.test_match import YEAR, _item, _programme
from chumchon.plans.models import ItemChange, PlanItem
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 7, 20, 10, 0, tzinfo=dt.UTC)  # a day in fiscal 2568, before the ordinance
S = Stage


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world() -> dict[str, object]:
    v1, v2 = factories.village("370101", 1), factories.village("370101", 2)
    factories.village("370201", 1)
    items = {
        "water": _item(v1, "ประปาหมู่บ้าน", actor="local_government", cost=100_000, households=60),
        "road": _item(v2, "ถนนดิน", actor="local_government", cost=80_000, households=30, domain="economy"),
        "house": _item(v2, "ซ่อมบ้าน", actor="agency", cost=40_000, households=5, domain="housing"),
    }
    programmes = {
        "pao": _programme("PAO-01", 1_000_000, share=50, domains=("health", "resources")),
        "abt": _programme("ABT-01", 120_000, actors=("local_government",), areas=("370101",), kind="local_government"),
        "codi": _programme("CODI-06", 30_000, actors=("agency",), domains=("housing",), kind="codi"),
    }
    programmes["abt"].body.tambons.add("370101")
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    return {"items": items, "programmes": programmes, "staff": staff, "tambon": Area.objects.get(code="370101")}


def _actor(world) -> Actor:
    return Actor(user=world["staff"])


def _body(world, key: str):
    return world["programmes"][key].body


def _negotiation(world, *bodies: str, run: bool = True) -> Negotiation:
    if run:
        services.match_run(actor=_actor(world), area=world["tambon"], fiscal_year=YEAR)
    return services.negotiation_create(
        actor=_actor(world), area=world["tambon"], fiscal_year=YEAR,
        data=NegotiationInput(held_on=dt.date(2025, 7, 15), place="ศาลาประชาคม",
                              bodies=[_body(world, b).pk for b in bodies]),
    )  # fmt: skip


def _answer(world, negotiation, item: str, body: str, outcome: str, **kw) -> Match:
    return services.outcome_record(
        actor=_actor(world), negotiation=negotiation,
        data=OutcomeInput(item=world["items"][item].pk, body=_body(world, body).pk, outcome=outcome, **kw),
    )  # fmt: skip


def _status(world, item: str) -> str:
    return PlanItem.objects.get(pk=world["items"][item].pk).status


# The ledger's rule, written out: from each stage, where an outcome or step may go.
ALLOWED = {
    S.SUGGESTED: {S.PRESENTED, S.ACCEPTED, S.DECLINED, S.DEFERRED},
    S.PRESENTED: {S.ACCEPTED, S.DECLINED, S.DEFERRED},
    S.DEFERRED: {S.PRESENTED, S.ACCEPTED, S.DECLINED, S.DEFERRED},
    S.DECLINED: {S.PRESENTED, S.ACCEPTED, S.DECLINED, S.DEFERRED},
    S.ACCEPTED: {S.ACCEPTED, S.DECLINED, S.DEFERRED, S.IN_LOCAL_PLAN, S.IN_ORDINANCE, S.DISBURSED, S.DONE},
    S.IN_LOCAL_PLAN: {S.IN_ORDINANCE, S.DISBURSED, S.DONE},
    S.IN_ORDINANCE: {S.DISBURSED, S.DONE},
    S.DISBURSED: {S.DONE},
    S.DONE: set(),
}


def test_the_ledger_allows_exactly_its_transitions():
    for current in S:
        for new in S:
            assert services.stage_allowed(current, new) == (new in ALLOWED[current]), (current, new)


def test_a_forum_turns_the_latest_match_into_suggestions_and_puts_them_to_the_bodies_present(world):
    items = world["items"]
    negotiation = _negotiation(world, "abt")  # the province (PAO) is not there
    # The run funds the water 50/50 by PAO and the อบต.: two suggestions; the อบต.'s is presented.
    matches = {(m.item_id, m.body.name): m for m in Match.objects.select_related("body")}
    assert set(matches) == {(items["water"].pk, "หน่วยงาน PAO-01"), (items["water"].pk, "หน่วยงาน ABT-01")}
    abt, pao = matches[(items["water"].pk, "หน่วยงาน ABT-01")], matches[(items["water"].pk, "หน่วยงาน PAO-01")]
    assert (abt.stage, abt.amount, abt.negotiation_id) == (S.PRESENTED, Decimal(50_000), negotiation.pk)
    assert (pao.stage, pao.amount) == (S.SUGGESTED, Decimal(50_000))
    assert [s.stage for s in abt.steps.all()] == [S.SUGGESTED, S.PRESENTED]
    assert abt.steps.last().on == dt.date(2025, 7, 15)
    assert AuditEvent.objects.filter(object_type="negotiation", object_id=str(negotiation.pk)).exists()
    # A second forum with the province presents its suggestion too, and adds nothing twice.
    _negotiation(world, "abt", "pao", run=False)
    assert Match.objects.count() == 2 and Match.objects.get(pk=pao.pk).stage == S.PRESENTED


def test_an_acceptance_moves_the_item_and_the_history_says_so(world):
    negotiation = _negotiation(world, "abt", "pao")
    match = _answer(world, negotiation, "water", "abt", "accepted", amount=Decimal(50_000),
                    programme=world["programmes"]["abt"].pk, conditions="สมทบแรงงาน")  # fmt: skip
    assert (match.stage, match.amount, match.conditions) == (S.ACCEPTED, Decimal(50_000), "สมทบแรงงาน")
    assert _status(world, "water") == "adopted_in_principle"
    change = ItemChange.objects.filter(item=world["items"]["water"]).last()
    assert (change.from_status, change.to_status, change.by) == (
        "under_consideration", "adopted_in_principle", world["staff"]
    )  # fmt: skip


def test_the_item_is_declined_only_when_every_body_asked_declined(world):
    negotiation = _negotiation(world, "abt", "pao")
    _answer(world, negotiation, "water", "abt", "declined", reason="budget")
    assert _status(world, "water") == "under_consideration"  # the province has not answered
    _answer(world, negotiation, "water", "pao", "declined", reason="not_mandate")
    item = PlanItem.objects.get(pk=world["items"]["water"].pk)
    assert item.status == "declined"
    assert "งบประมาณไม่เพียงพอ" in item.status_reason and "ไม่อยู่ในอำนาจหน้าที่" in item.status_reason
    # Taken up again at a later forum: the item is back on its way.
    later = _negotiation(world, "pao", run=False)
    _answer(world, later, "water", "pao", "accepted", amount=Decimal(100_000))
    assert _status(world, "water") == "adopted_in_principle"
    steps = [s.stage for s in Match.objects.get(item=world["items"]["water"], body=_body(world, "pao")).steps.all()]
    assert steps == [S.SUGGESTED, S.PRESENTED, S.DECLINED, S.PRESENTED, S.ACCEPTED]


def test_the_steps_go_forward_dated_and_the_item_follows_to_done(world):
    negotiation = _negotiation(world, "abt")
    match = _answer(world, negotiation, "water", "abt", "accepted", amount=Decimal(50_000))
    actor = _actor(world)
    services.match_step(actor=actor, match=match, stage=S.IN_LOCAL_PLAN, on=dt.date(2025, 7, 18))
    assert _status(world, "water") == "in_local_plan"
    with pytest.raises(MatchingError, match="ไม่ก่อนขั้นก่อนหน้า"):
        services.match_step(actor=actor, match=match, stage=S.IN_ORDINANCE, on=dt.date(2025, 7, 1))
    services.match_step(actor=actor, match=match, stage=S.IN_ORDINANCE, on=dt.date(2025, 7, 19))
    assert _status(world, "water") == "funded"
    with pytest.raises(MatchingError, match="เดินหน้าเท่านั้น"):
        services.match_step(actor=actor, match=match, stage=S.IN_LOCAL_PLAN, on=dt.date(2025, 7, 20))
    with pytest.raises(MatchingError):  # an outcome is not a ledger step
        services.match_step(actor=actor, match=match, stage=S.DECLINED, on=dt.date(2025, 7, 20))
    services.match_step(actor=actor, match=match, stage=S.DONE, on=dt.date(2025, 7, 20), note="ส่งมอบแล้ว")
    assert _status(world, "water") == "done"
    steps = list(MatchStep.objects.filter(match=match).values_list("stage", "on", "by"))
    assert [s for s, _, _ in steps] == [S.SUGGESTED, S.PRESENTED, S.ACCEPTED, S.IN_LOCAL_PLAN, S.IN_ORDINANCE, S.DONE]
    assert all(by == world["staff"].pk for _, _, by in steps)
    # Done is done: a later forum can neither answer for it nor present it again.
    with pytest.raises(MatchingError):
        _answer(world, _negotiation(world, "abt", run=False), "water", "abt", "deferred")


def test_a_step_before_acceptance_is_refused(world):
    negotiation = _negotiation(world, "abt")
    match = Match.objects.get(body=_body(world, "abt"))
    assert match.negotiation_id == negotiation.pk
    with pytest.raises(MatchingError, match="ต้องรับก่อน"):
        services.match_step(actor=_actor(world), match=match, stage=S.IN_LOCAL_PLAN, on=dt.date(2025, 7, 16))


def test_a_status_set_further_by_hand_is_kept(world):
    item = world["items"]["water"]
    PlanItem.objects.filter(pk=item.pk).update(status="funded")
    negotiation = _negotiation(world, "abt")
    _answer(world, negotiation, "water", "abt", "accepted", amount=Decimal(50_000))
    assert _status(world, "water") == "funded"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"outcome": "accepted"}, "ระบุจำนวนเงิน"),
        ({"outcome": "accepted", "amount": Decimal(100_001)}, "เกินค่าใช้จ่าย"),
        ({"outcome": "accepted", "amount": Decimal(1), "programme": "codi"}, "ไม่ใช่ของหน่วยงานนี้"),
        ({"outcome": "declined"}, "เลือกเหตุผล"),
        ({"outcome": "declined", "reason": "other"}, "ต้องมีคำอธิบาย"),
        ({"outcome": "done"}, "ผลการเจรจาต้องเป็น"),
    ],
)
def test_a_wrong_outcome_is_refused_with_a_thai_message_and_changes_nothing(world, kw, message):
    negotiation = _negotiation(world, "abt")
    if kw.get("programme"):
        kw["programme"] = world["programmes"][kw["programme"]].pk
    before = (list(Match.objects.values()), MatchStep.objects.count(), _status(world, "water"))
    with pytest.raises(MatchingError, match=message):
        _answer(world, negotiation, "water", "abt", **kw)
    assert (list(Match.objects.values()), MatchStep.objects.count(), _status(world, "water")) == before


def test_an_answer_for_a_body_absent_or_an_item_of_elsewhere_is_refused(world):
    negotiation = _negotiation(world, "abt")
    with pytest.raises(MatchingError, match="ไม่ได้เข้าร่วมเวที"):
        _answer(world, negotiation, "water", "pao", "deferred")
    elsewhere = _item(Area.objects.get(code="37020101"), "ถนนอำเภออื่น", actor="agency", cost=1_000, households=3)
    with pytest.raises(MatchingError, match="ไม่พบรายการ"):
        services.outcome_record(actor=_actor(world), negotiation=negotiation,
                                data=OutcomeInput(item=elsewhere.pk, body=_body(world, "abt").pk, outcome="deferred"))  # fmt: skip
    assert not Match.objects.filter(item=elsewhere).exists()


def test_another_tambons_staff_cannot_record(world):
    other = Actor(user=factories.user(Role.TAMBON_STAFF, "370201"))
    with pytest.raises(PermissionDenied):
        services.negotiation_create(
            actor=other, area=world["tambon"], fiscal_year=YEAR,
            data=NegotiationInput(held_on=dt.date(2025, 7, 15), place="x", bodies=[_body(world, "abt").pk]),
        )  # fmt: skip
    assert not Negotiation.objects.exists()


# --- the pages, as a browser sends them ------------------------------------------------


def test_staff_record_a_forum_an_answer_and_a_step_through_the_pages(world):
    client = Client()
    client.force_login(world["staff"])
    services.match_run(actor=_actor(world), area=world["tambon"], fiscal_year=YEAR)
    url = reverse("matching:negotiations", args=["370101"])
    page = client.get(f"{url}?year={YEAR}")
    assert page.status_code == 200 and "หน่วยงาน ABT-01" in page.content.decode()
    response = client.post(url, {"year": str(YEAR), "held_on": "15/07/2568", "place": "ศาลาประชาคม",
                                 "bodies": [str(_body(world, "abt").pk)], "notes": ""})  # fmt: skip
    negotiation = Negotiation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "matching:negotiation", args=[negotiation.pk]
    )
    assert negotiation.held_on == dt.date(2025, 7, 15)
    board = client.get(response["Location"]).content.decode()
    water = world["items"]["water"]
    assert f'id="item-{water.pk}"' in board and "ABT-01" in board and "50,000.00" in board
    assert 'name="outcome"' in board  # the answer form
    response = client.post(
        reverse("matching:negotiation_outcome", args=[negotiation.pk]),
        {"item": str(water.pk), "body": str(_body(world, "abt").pk), "outcome": "accepted", "amount": "๕๐,๐๐๐ บาท",
         "programme": str(world["programmes"]["abt"].pk), "conditions": "", "reason": "", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{water.pk}")
    match = Match.objects.get(item=water, body=_body(world, "abt"))
    assert (match.stage, match.amount) == (S.ACCEPTED, Decimal(50_000))
    ledger = client.get(reverse("matching:ledger", args=["370101"]) + f"?year={YEAR}").content.decode()
    assert f'id="match-{match.pk}"' in ledger and 'name="stage"' in ledger
    response = client.post(reverse("matching:match_step", args=[match.pk]),
                           {"stage": "in_local_plan", "on": "18/07/2568", "note": "", "area": "370101"})  # fmt: skip
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.stage == S.IN_LOCAL_PLAN and match.steps.last().on == dt.date(2025, 7, 18)
    assert _status(world, "water") == "in_local_plan"
    # A step dated ahead of today is refused and changes nothing.
    client.post(
        reverse("matching:match_step", args=[match.pk]), {"stage": "done", "on": "01/08/2568", "area": "370101"}
    )
    match.refresh_from_db()
    assert match.stage == S.IN_LOCAL_PLAN


def test_a_wrong_answer_on_the_page_says_why_in_thai(world):
    client = Client()
    client.force_login(world["staff"])
    negotiation = _negotiation(world, "abt")
    water = world["items"]["water"]
    response = client.post(
        reverse("matching:negotiation_outcome", args=[negotiation.pk]),
        {"item": str(water.pk), "body": str(_body(world, "abt").pk), "outcome": "declined", "reason": ""},
        follow=True,
    )
    assert "เลือกเหตุผลที่หน่วยงานไม่รับ" in response.content.decode()
    assert Match.objects.get(item=water, body=_body(world, "abt")).stage == S.PRESENTED


def test_the_pages_are_the_same_404_out_of_scope_and_read_only_for_an_agency(world):
    negotiation = _negotiation(world, "abt")
    outsider = Client()
    outsider.force_login(factories.user(Role.TAMBON_STAFF, "370201"))
    assert outsider.get(reverse("matching:negotiation", args=[negotiation.pk])).status_code == 404
    assert outsider.get(reverse("matching:negotiation_pdf", args=[negotiation.pk])).status_code == 404
    agency = Client()
    agency.force_login(factories.user(Role.AGENCY, "37"))
    page = agency.get(reverse("matching:negotiation", args=[negotiation.pk]))
    assert page.status_code == 200 and 'name="outcome"' not in page.content.decode()
    response = agency.post(
        reverse("matching:negotiation_outcome", args=[negotiation.pk]),
        {"item": str(world["items"]["water"].pk), "body": str(_body(world, "abt").pk), "outcome": "deferred"},
    )
    assert response.status_code in (403, 404)
    assert Match.objects.get(body=_body(world, "abt")).stage == S.PRESENTED


def test_the_printed_pack_groups_the_items_by_body_with_thai_text_and_codes(world, tmp_path):
    negotiation = _negotiation(world, "abt", "codi")
    client = Client()
    client.force_login(world["staff"])
    response = client.get(reverse("matching:negotiation_pdf", args=[negotiation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "pack.pdf"
    path.write_bytes(response.content)
    text = pdf_text(path)
    assert norm("เอกสารประกอบเวทีเจรจาภาคี") in text and norm("15กรกฎาคม2568") in text
    assert "หน่วยงานABT-01" in text and "หน่วยงานCODI-06" in text
    assert norm("ประปาหมู่บ้าน") in text and norm("ซ่อมบ้าน") in text and "100,000.00" in text
    # The อบต. is asked for both tambon items asking the อปท.; CODI for the house.
    abt_part = text.split("หน่วยงานABT-01")[-1].split("หน่วยงานCODI-06")[0]
    assert norm("ถนนดิน") in abt_part and norm("ซ่อมบ้าน") not in abt_part
    assert AuditEvent.objects.filter(object_type="negotiation", action="export").exists()

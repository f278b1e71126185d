"""Forums, plans, items, status, evidence and the plan's weight: the rules of issue 12,
with evidence values checked against sums of the raw ledger lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.core.thai import Month
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.plans import selectors, services
from chumchon.plans.models import Actor as Who
from chumchon.plans.models import Evidence, Finding, ItemChange, PlanItem, Status
from chumchon.plans.services import ForumInput, ItemInput, OtherEvidenceInput, PlanError
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april_2024():
    """Every date here is of fiscal year 2567; the clock is pinned to April 2024."""
    with time_machine.travel(dt.datetime(2024, 4, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


TAMBON = "370101"
MONTH = Month(2024, 3)
EGGS = "C02"


@pytest.fixture
def village():
    v = factories.village(TAMBON, 1)
    homes = [factories.household(v, occupation_group="O01") for _ in range(6)]
    # Each household buys eggs for 100 + 10 i baht in March and earns 1,000.
    for i, h in enumerate(homes):
        ledger_entries_add(
            actor=Actor.system("test"),
            household=h,
            lines=[
                LineInput(date=dt.date(2024, 3, 5), category=EGGS, amount=Decimal(100 + 10 * i), key=f"egg-{h.pk}"),
                LineInput(date=dt.date(2024, 3, 6), category="I01", amount=Decimal(1000), key=f"wage-{h.pk}"),
            ],
        )
    return v, homes


def staff():
    return Actor(user=factories.user(Role.TAMBON_STAFF, TAMBON))


def test_forum_freezes_its_pack_and_its_question_becomes_a_problem_with_evidence(village):
    v, homes = village
    actor = staff()
    forum = services.forum_record(
        actor=actor,
        area=v,
        data=ForumInput(
            held_on=dt.date(2024, 4, 5), month=MONTH, mechanism="village_committee", attendance=23,
            households_present=[homes[0].pk, homes[1].pk],
        ),
    )  # fmt: skip
    keys = [q["key"] for q in forum.pack["questions"]]
    assert "local_food" in keys
    assert forum.pack["month"] == "2024-03"
    assert forum.households_present.count() == 2
    problem = services.problem_from_question(actor=actor, forum=forum, question_key="local_food")
    assert problem.kind == Finding.Kind.PROBLEM
    evidence = problem.evidence.get()
    # Independent: the eggs bought in March, summed from the lines written above.
    assert (evidence.figure, evidence.category) == ("by_category", EGGS)
    assert evidence.value_cited == sum(Decimal(100 + 10 * i) for i in range(6))
    assert evidence.households_cited == 6
    # One click twice is one problem.
    assert services.problem_from_question(actor=actor, forum=forum, question_key="local_food") == problem
    cause = services.finding_add(actor=actor, forum=forum, kind="cause", text="ไม่มีใครเลี้ยงไก่", problem=problem)
    assert cause.problem == problem
    with pytest.raises(PlanError):
        services.finding_add(actor=actor, forum=forum, kind="option", text="x")


def test_a_volunteer_records_their_villages_forum_only(village):
    v, _ = village
    volunteer = Actor(user=factories.user(Role.VOLUNTEER, v.code))
    data = ForumInput(held_on=dt.date(2024, 4, 5), month=MONTH, mechanism="village_committee")
    services.forum_record(actor=volunteer, area=v, data=data)
    other = factories.village(TAMBON, 2)
    with pytest.raises(PermissionDenied):
        services.forum_record(actor=volunteer, area=other, data=data)
    with pytest.raises(PermissionDenied):
        services.plan_get_or_create(actor=volunteer, area=v, fiscal_year=2567)


def _item(plan, **kw):
    base = {"title": "กลุ่มเลี้ยงไก่ไข่", "actor": Who.GROUP, "households": 6, "cost": Decimal(0)}
    return services.item_create(actor=staff(), plan=plan, data=ItemInput(**{**base, **kw}))


def test_items_keep_every_change_and_follow_the_status_path(village):
    v, _ = village
    plan = services.plan_get_or_create(actor=staff(), area=v, fiscal_year=2567)
    item = _item(plan, actor=Who.LOCAL_GOVERNMENT, cost=Decimal("50000"), title="ถนนเข้าหมู่บ้าน")
    assert item.amount_asked == Decimal("50000.00")
    actor = staff()
    with pytest.raises(PlanError):
        services.item_status_set(actor=actor, item=item, status=Status.DECLINED)  # no reason
    services.item_status_set(actor=actor, item=item, status=Status.ADOPTED_IN_PRINCIPLE)
    services.item_status_set(actor=actor, item=item, status=Status.IN_LOCAL_PLAN)
    with pytest.raises(PlanError):
        services.item_status_set(actor=actor, item=item, status=Status.UNDER_CONSIDERATION)  # two back
    services.item_status_set(actor=actor, item=item, status=Status.DECLINED, reason="งบไม่พอ")
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (Status.DECLINED, "งบไม่พอ")
    steps = list(ItemChange.objects.filter(item=item).values_list("from_status", "to_status", "reason", "by_name"))
    assert [s[:3] for s in steps] == [
        ("", "under_consideration", ""),
        ("under_consideration", "adopted_in_principle", ""),
        ("adopted_in_principle", "in_local_plan", ""),
        ("in_local_plan", "declined", "งบไม่พอ"),
    ]
    assert all(s[3] for s in steps)
    services.item_update(
        actor=actor, item=item,
        data=ItemInput(title="ถนนเข้าหมู่บ้าน", actor=Who.LOCAL_GOVERNMENT, cost=Decimal("60000"), households=40),
    )  # fmt: skip
    last = ItemChange.objects.filter(item=item).last()
    assert last is not None and last.fields["cost"] == ["50000.00", "60000.00"]


def test_items_asking_others_need_a_cost_and_a_be_year(village):
    v, _ = village
    plan = services.plan_get_or_create(actor=staff(), area=v, fiscal_year=2567)
    with pytest.raises(PlanError):
        _item(plan, actor=Who.AGENCY)
    with pytest.raises(PlanError):
        services.plan_get_or_create(actor=staff(), area=v, fiscal_year=2024)
    assert not PlanItem.objects.exists()


def test_owner_warnings_follow_amnat_charoens_rule(village):
    v, _ = village
    plan = services.plan_get_or_create(actor=staff(), area=v, fiscal_year=2567)
    _item(plan, title="ก", owner="นายหนึ่ง", team=["นางสอง", "นายสาม"])
    _item(plan, title="ข", owner="นายหนึ่ง", team=["นางสอง"])
    _item(plan, title="ค", owner="นางสี่", team=["นายสาม"])
    warnings = {w.name: (w.main, w.team) for w in selectors.owner_warnings(plan.items.all())}
    assert warnings == {"นายหนึ่ง": (2, 0), "นางสอง": (0, 2), "นายสาม": (0, 2)}


def test_evidence_now_beside_cited_and_the_weight(village):
    v, homes = village
    plan = services.plan_get_or_create(actor=staff(), area=v, fiscal_year=2567)
    item = _item(plan)
    services.evidence_cite(
        actor=staff(), item=item, figure="by_category", category=EGGS, area=v, start=MONTH, end=MONTH
    )
    services.evidence_add_other(
        actor=staff(), item=item,
        data=OtherEvidenceInput(title="สำรวจการเลี้ยงไก่", source="รพ.สต.", dated=dt.date(2024, 2, 1), households_covered=30),
    )  # fmt: skip
    # More eggs bought after the citation: today's value moves, the cited one stays.
    ledger_entries_add(
        actor=Actor.system("test"), household=homes[0],
        lines=[LineInput(date=dt.date(2024, 3, 20), category=EGGS, amount=Decimal(40), key="egg-more")],
    )  # fmt: skip
    views = selectors.item_evidence_views(None, item)
    figure = next(v for v in views if v.evidence.figure)
    assert figure.value_cited == Decimal(750)
    assert figure.value_now == Decimal(790)
    assert figure.changed
    # A whole fiscal year cited: the months covered are those with accounts (March), not twelve.
    services.evidence_cite(actor=staff(), item=item, figure="income", area=v, start=Month(2023, 10), end=Month(2024, 9))
    services.certification_add(
        actor=staff(), plan=plan, certified_on=dt.date(2024, 4, 1), by_kind="forum", by_name="เวทีหมู่ 1"
    )
    ap = selectors.area_plan_for_user(factories.user(Role.TAMBON_STAFF, TAMBON), v, 2567)
    w = ap.weight
    assert (w.items, w.items_with_evidence, w.figures_cited, w.other_data) == (1, 1, 2, 1)
    assert (w.households_covered, w.months_covered, w.other_households) == (6, 1, 30)
    assert w.verified_share == Decimal(0)  # none verified on the ground yet
    assert w.certified


@pytest.mark.usefixtures("village")
def test_aggregate_readers_see_small_cells_hidden():
    small = factories.village(TAMBON, 3)
    few = [factories.household(small) for _ in range(2)]
    for h in few:
        ledger_entries_add(
            actor=Actor.system("test"), household=h,
            lines=[LineInput(date=dt.date(2024, 3, 5), category=EGGS, amount=Decimal(77), key=f"few-{h.pk}")],
        )  # fmt: skip
    plan = services.plan_get_or_create(actor=staff(), area=small, fiscal_year=2567)
    item = _item(plan)
    services.evidence_cite(
        actor=staff(), item=item, figure="by_category", category=EGGS, area=small, start=MONTH, end=MONTH
    )
    agency = factories.user(Role.AGENCY, "37")
    seen = selectors.item_evidence_views(agency, item)[0]
    assert seen.value_cited is None and seen.value_now is None
    mine = selectors.item_evidence_views(factories.user(Role.TAMBON_STAFF, TAMBON), item)[0]
    assert mine.value_cited == Decimal(154)


def test_merge_keeps_the_originals_and_sums_their_evidence(village):
    v, _ = village
    v2 = factories.village(TAMBON, 2)
    a = services.plan_get_or_create(actor=staff(), area=v, fiscal_year=2567)
    b = services.plan_get_or_create(actor=staff(), area=v2, fiscal_year=2567)
    one = _item(a, title="น้ำประปา", actor=Who.LOCAL_GOVERNMENT, cost=Decimal(100000), households=40)
    two = _item(b, title="ประปาหมู่บ้าน", actor=Who.LOCAL_GOVERNMENT, cost=Decimal(80000), households=35)
    services.evidence_cite(actor=staff(), item=one, figure="households", area=v, start=MONTH, end=MONTH)
    tambon = v.parent
    tplan = services.plan_get_or_create(actor=staff(), area=tambon, fiscal_year=2567)
    merged = services.items_merge(
        actor=staff(), plan=tplan, sources=[one, two], data=ItemInput(title="ประปาตำบล", actor=Who.LOCAL_GOVERNMENT)
    )
    assert (merged.households, merged.cost) == (75, Decimal(180000))
    assert set(merged.sources.values_list("pk", flat=True)) == {one.pk, two.pk}
    one.refresh_from_db()
    assert one.merged_into == merged and PlanItem.objects.filter(pk=two.pk).exists()
    assert [e.pk for e, via in selectors.item_evidence(merged)] == list(
        Evidence.objects.filter(item=one).values_list("pk", flat=True)
    )
    with pytest.raises(PlanError):
        services.items_merge(
            actor=staff(), plan=tplan, sources=[one], data=ItemInput(title="อีก", actor=Who.AGENCY, cost=Decimal(1))
        )


def test_tambon_forums_this_month_and_demand(village):
    v, _ = village
    factories.village(TAMBON, 2)
    services.forum_record(
        actor=staff(), area=v, data=ForumInput(held_on=dt.date(2024, 4, 5), month=MONTH, mechanism="village_committee")
    )
    rows = selectors.tambon_forums_month(factories.admin(), v.parent, MONTH)
    assert [(r.village.code, r.met) for r in rows] == [(f"{TAMBON}01", True), (f"{TAMBON}02", False)]
    plan = services.plan_get_or_create(actor=staff(), area=v, fiscal_year=2567)
    _item(plan, title="น้ำสะอาด", actor=Who.AGENCY, domain="health", cost=Decimal(30000), households=12)
    demand = selectors.demand_for_user(factories.user(Role.AGENCY, "37"), v.parent.parent.parent, 2567)
    assert [(d.actor, d.items, d.households, d.amount) for d in demand] == [("agency", 1, 12, Decimal(30000))]

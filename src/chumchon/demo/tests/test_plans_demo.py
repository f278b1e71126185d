"""``chumchon demo``'s forums and plans (``chumchon.demo.plans``): the egg village and
its figure checked against sums of the raw lines, the four actors, the tambon item's
sources, the provincial plan's adoption, the villages that have not met, and a rerun."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from chumchon.access.models import User
from chumchon.access.scope import SYSTEM
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.demo.plans import DECLINED_REASON, EGG_TITLE, TAMBON_WATER_TITLE, WATER_TITLE
from chumchon.demo.tests.test_demo import SMALL, demo
from chumchon.ledgers.models import LedgerEntry
from chumchon.plans import selectors
from chumchon.plans.models import (
    Actor,
    Adoption,
    Certification,
    Evidence,
    Finding,
    Forum,
    Level,
    Plan,
    PlanItem,
    Status,
)

pytestmark = pytest.mark.django_db

TAMBON = "370101"  # demo-tambon's
PROVINCE = "37"
LATEST = Month(2024, 3)  # SMALL's last month of accounts
YEAR = 2567  # the fiscal year after it (April 2024)


def eggs_by_village(start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """Independent: eggs (C02) bought in each village of the tambon, from the lines."""
    rows = (
        LedgerEntry.objects.filter(tambon_code=TAMBON, category_id="C02", date__gte=start, date__lte=end)
        .values_list("village_id")
        .annotate(total=Sum("amount"))
    )
    return dict(rows)


def last_day(first: dt.date) -> dt.date:
    return Month.of(first).last_day


def test_the_village_that_buys_the_most_eggs_proposes_the_egg_laying_group() -> None:
    demo(*SMALL)
    item = PlanItem.objects.select_related("plan").get(title=EGG_TITLE)
    assert (item.actor, item.plan.level, item.fiscal_year) == (Actor.GROUP, Level.VILLAGE, YEAR)
    cited = item.evidence.get(figure="by_category", category="C02")
    # The whole fiscal year of the accounts (a published period, so the printed plan
    # shows it): October 2023 – September 2024.
    assert (cited.start, cited.end) == (dt.date(2023, 10, 1), dt.date(2024, 9, 1))
    eggs = eggs_by_village(cited.start, last_day(cited.end))
    village = max(eggs, key=lambda code: eggs[code])
    assert item.village_code == village
    assert cited.area_code == village
    assert cited.value_cited == eggs[village]
    # Its problem is the forum's local-food problem about eggs, the egg figure of the
    # forum's month as its evidence.
    problem = item.problem
    assert problem is not None and problem.question_key == "local_food"
    assert problem.forum.village_code == village
    month = problem.evidence.get()
    assert (month.figure, month.category, month.area_code) == ("by_category", "C02", village)
    assert month.value_cited == eggs_by_village(month.start, last_day(month.end))[village]
    assert PlanItem.objects.filter(title=EGG_TITLE).count() == 1


def test_village_plans_hold_all_four_actors_with_owners_statuses_and_evidence() -> None:
    demo(*SMALL)
    items = list(
        PlanItem.objects.filter(tambon_code=TAMBON, plan__level=Level.VILLAGE).prefetch_related("people", "committed")
    )
    assert {i.actor for i in items} == set(Actor.values)
    assert all(i.fiscal_year == YEAR for i in items)
    # Households that committed are of the item's village.
    household_items = [i for i in items if i.actor == Actor.HOUSEHOLD]
    assert household_items
    for i in household_items:
        committed = list(i.committed.all())
        assert committed and i.households == len(committed)
        assert all(h.village_id == i.village_code for h in committed)
    # Asking items have a cost; every item a main owner and a team of three.
    assert all(i.cost > 0 for i in items if i.asks_others)
    for i in items:
        roles = sorted(p.role for p in i.people.all())
        assert roles == ["main", "team", "team", "team"], i.title
    # Exactly one person is the main owner of two items (the Amnat Charoen warning).
    warnings = selectors.owner_warnings(items)
    assert [(w.main, w.team) for w in warnings] == [(2, 0)]
    # Statuses spread over the path; one declined, with its reason.
    statuses = {i.status for i in items}
    assert {Status.UNDER_CONSIDERATION, Status.ADOPTED_IN_PRINCIPLE, Status.IN_LOCAL_PLAN} <= statuses
    # Declined: one by the plan's own record, the others by every body asked at the
    # partner negotiation forum (chumchon.demo.matching); each with its reason, kept.
    declined = [i for i in items if i.status == Status.DECLINED]
    by_hand = [i for i in declined if i.status_reason == DECLINED_REASON]
    assert len(by_hand) == 1
    for i in declined:
        assert i.status_reason and i.changes.filter(to_status=Status.DECLINED, reason=i.status_reason).exists()
        assert i in by_hand or i.status_reason.startswith("หน่วยงานที่ขอไม่รับ")
    # One piece of other data, dated, with its coverage.
    other = Evidence.objects.get(item__in=items, figure="")
    assert other.source and other.dated and other.coverage and other.item.title == WATER_TITLE
    # An aggregate-only reader reads every item's evidence (what the small-cell rule or an
    # unpublished span hides from them is hidden, never an error).
    agency = User.objects.get(username="demo-agency")
    views = [v for i in items for v in selectors.item_evidence_views(agency, i)]
    assert any(v.evidence.category == "C02" and v.value_cited is not None for v in views)
    # Every village plan whose village met is certified by its forum.
    plans = Plan.objects.filter(tambon_code=TAMBON, level=Level.VILLAGE)
    assert plans.count() == len({i.village_code for i in items})
    for plan in plans:
        if Forum.objects.filter(village_code=plan.village_code).exists():
            assert plan.certifications.filter(by_kind=Certification.By.FORUM).exists()


def test_forums_read_their_packs_and_a_village_has_not_met_on_the_latest_month() -> None:
    demo(*SMALL)
    forums = list(Forum.objects.filter(tambon_code=TAMBON))
    assert forums
    for forum in forums:
        assert forum.level == Level.VILLAGE and 15 <= forum.attendance <= 40
        assert forum.mechanism in ("village_committee", "community_council")
        assert forum.place and forum.facilitators and forum.minutes
        assert forum.pack["month"] == Month.of(forum.month).iso()
        assert forum.held_on > last_day(forum.month)  # the month after the data
        keys = {q["key"] for q in forum.pack["questions"]}
        problems = list(forum.findings.filter(kind=Finding.Kind.PROBLEM))
        assert problems and all(p.question_key in keys for p in problems)
        for p in problems:
            assert {d.kind for d in p.details.all()} == {Finding.Kind.CAUSE, Finding.Kind.OPTION}
    assert {Month.of(f.month) for f in forums} == {LATEST.previous(), LATEST}
    villages = set(PlanItem.objects.filter(plan__level=Level.VILLAGE).values_list("village_code", flat=True))
    met = {f.village_code for f in forums if f.month == LATEST.first_day}
    assert met and villages - met  # some met on March's data, some not yet
    # The tambon's page for April (the forums held then) shows both.
    rows = selectors.tambon_forums_month(SYSTEM, Area.objects.get(code=TAMBON), LATEST.next())
    assert {r.village.code for r in rows if r.met} == met
    assert any(not r.met and r.village.code in villages for r in rows)


def test_the_tambon_item_keeps_its_village_sources() -> None:
    demo(*SMALL)
    water = PlanItem.objects.get(tambon_code=TAMBON, plan__level=Level.TAMBON, title=TAMBON_WATER_TITLE)
    sources = list(water.sources.select_related("plan"))
    assert sources and all(s.title == WATER_TITLE and s.plan.level == Level.VILLAGE for s in sources)
    assert all(s.actor == Actor.LOCAL_GOVERNMENT for s in [water, *sources])
    assert water.cost == sum(s.cost for s in sources)
    assert water.households == sum(s.households for s in sources)
    assert water.local_plan_years == "2566-2570" and water.local_plan_project_no
    # In the local development plan by the plans; funded since by the negotiation forum's
    # ledger (chumchon.demo.matching), each step kept.
    steps = list(water.changes.exclude(to_status="").values_list("to_status", flat=True))
    assert Status.IN_LOCAL_PLAN in steps and water.status == steps[-1]
    assert steps.index(Status.IN_LOCAL_PLAN) < len(steps) - 1 and water.status == Status.FUNDED
    # The survey cited on a village's water item is the tambon item's evidence too.
    via = [v for _, v in selectors.item_evidence(water)]
    assert any(WATER_TITLE in v for v in via)
    # One agency item carried up, its source kept.
    carried = PlanItem.objects.get(tambon_code=TAMBON, plan__level=Level.TAMBON, actor=Actor.AGENCY)
    (source,) = carried.sources.all()
    assert source.actor == Actor.AGENCY and source.village_code


def test_the_peoples_provincial_plan_has_issues_included_and_related() -> None:
    demo(*SMALL)
    plan = Plan.objects.get(area_id=PROVINCE, level=Level.PROVINCE)
    assert (plan.fiscal_year, plan.period_end, plan.target_year) == (2566, 2570, 2570)
    assert plan.vision and "2570" in plan.vision
    issues = list(plan.issues.all())
    assert 3 <= len(issues) <= 5 and [i.number for i in issues] == list(range(1, len(issues) + 1))
    adoptions = {i.adoption for i in issues}
    assert {Adoption.INCLUDED, Adoption.RELATED} <= adoptions
    linked = PlanItem.objects.filter(issue__plan=plan)
    assert linked.filter(plan__level=Level.TAMBON, title=TAMBON_WATER_TITLE).exists()
    shares = selectors.adoption_shares_for_user(SYSTEM, Area.objects.get(code=PROVINCE), YEAR)
    assert shares.included_share is not None and shares.related_share is not None
    assert 0 < shares.included_share < shares.related_share
    assert shares.items_included and shares.items_related and shares.items_in_local_plan


def plans_digest() -> list[tuple[object, ...]]:
    forums = Forum.objects.order_by("village_code", "month").values_list(
        "village_code", "month", "held_on", "place", "facilitators", "attendance", "mechanism"
    )
    items = PlanItem.objects.order_by("village_code", "plan__level", "title").values_list(
        "village_code", "plan__level", "title", "actor", "status", "cost", "households", "merged_into__title"
    )
    people = PlanItem.objects.order_by("village_code", "title").values_list("title", "people__name", "people__role")
    return [*forums, *items, *sorted(people, key=str)]


def test_reset_makes_the_same_forums_and_plans_and_if_empty_leaves_them() -> None:
    demo(*SMALL)
    first = plans_digest()
    counts = (Forum.objects.count(), Plan.objects.count(), PlanItem.objects.count(), Evidence.objects.count())
    demo(*SMALL, "--if-empty")
    assert plans_digest() == first
    demo(*SMALL, "--reset")
    assert plans_digest() == first
    assert (Forum.objects.count(), Plan.objects.count(), PlanItem.objects.count(), Evidence.objects.count()) == counts

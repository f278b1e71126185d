"""Seed 001 indicator 5.3.2 — the share of plan projects funded by the local government
and by others — against an independent count over generated items and ledgers."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from chumchon.access.scope import SYSTEM
from chumchon.areas.models import Area
from chumchon.matching.models import Body, Match, Stage
from chumchon.matching.selectors import funded_shares_for_user
from chumchon.matching.tests.test_match import YEAR, _item
from chumchon.plans.models import Plan, PlanItem
from tests import factories

pytestmark = pytest.mark.django_db
STAGES = [s.value for s in Stage]


def _own(plan: Plan, title: str) -> PlanItem:
    return PlanItem.objects.create(
        plan=plan, title=title, actor="agency", cost=Decimal(1000), fiscal_year=YEAR, province_code="37",
        district_code="3701", tambon_code="370101",
    )  # fmt: skip


def _village_item(rng: random.Random, villages: list[Area], n: int) -> PlanItem:
    actor = rng.choice(["local_government", "agency", "group"])
    status = rng.choice(["under_consideration", "funded", "done"])
    return _item(rng.choice(villages), f"รายการ {n}", actor=actor, cost=1000, households=3, status=status)


def test_the_shares_match_an_independent_count_by_village_and_in_all():
    rng = random.Random(5302)
    villages = [factories.village("370101", n) for n in (1, 2, 3)]
    tambon = Area.objects.get(code="370101")
    local = Body.objects.create(province_id="37", name="อบต.", kind="local_government")
    agency = Body.objects.create(province_id="37", name="พมจ.", kind="agency")
    codi = Body.objects.create(province_id="37", name="พอช.", kind="codi")
    plan = Plan.objects.create(area=tambon, level="tambon", fiscal_year=YEAR, province_code="37",
                               district_code="3701", tambon_code="370101")  # fmt: skip
    own = [_own(plan, f"ตำบล {n}") for n in range(3)]
    items = own + [_village_item(rng, villages, n) for n in range(40)]
    merged = items[5]
    PlanItem.objects.filter(pk=merged.pk).update(merged_into=own[0])  # counted in the item gathering it
    for item in items:
        for body in rng.sample([local, agency, codi], rng.randint(0, 3)):
            Match.objects.create(item=item, body=body, area_code=item.plan.area_id, province_code="37",
                                 fiscal_year=YEAR, stage=rng.choice(STAGES), amount=Decimal(500))  # fmt: skip

    # The independent count, straight from the rule.
    def expected(rows):
        by_local = by_others = either = unrecorded = 0
        for item in rows:
            stages = {(m.body.kind, m.stage) for m in Match.objects.filter(item=item).select_related("body")}
            lg = any(k == "local_government" and s in ("in_ordinance", "disbursed", "done") for k, s in stages)
            other = any(k != "local_government" and s not in ("suggested", "presented", "declined", "deferred")
                        for k, s in stages)  # fmt: skip
            by_local += lg
            by_others += other
            either += lg or other
            unrecorded += (not lg and not other) and item.status in ("funded", "done")
        return (len(rows), by_local, by_others, either, unrecorded)

    projects = [i for i in PlanItem.objects.filter(tambon_code="370101") if i.actor != "group" and i.pk != merged.pk]
    total, rows = funded_shares_for_user(SYSTEM, tambon, YEAR)
    assert (total.projects, total.by_local, total.by_others, total.by_either, total.unrecorded) == expected(projects)
    assert total.projects == len(projects) > 20 and 0 < total.by_either < total.projects
    by_code = {r.area_code: r for r in rows}
    assert set(by_code) == {"370101"} | {i.village_code for i in projects if i.village_code}
    for code, row in by_code.items():
        mine = [i for i in projects if (i.village_code or "370101") == code]
        assert (row.projects, row.by_local, row.by_others, row.by_either, row.unrecorded) == expected(mine), code
    assert total.local_share == (Decimal(total.by_local) / total.projects).quantize(Decimal("0.0001"))
    # The district sees the tambon as one row with the same figures.
    district_total, district_rows = funded_shares_for_user(SYSTEM, Area.objects.get(code="3701"), YEAR)
    assert district_total == total.__class__(**{**total.__dict__, "area_code": "3701"})
    assert [(r.area_code, r.projects) for r in district_rows] == [("370101", total.projects)]


def test_the_ledger_page_shows_the_indicator_by_village():
    from django.test import Client
    from django.urls import reverse

    from chumchon.access.models import Role

    village = factories.village("370101", 1)
    local = Body.objects.create(province_id="37", name="อบต.", kind="local_government")
    funded = _item(village, "ประปา", actor="local_government", cost=1000, households=3)
    _item(village, "ถนน", actor="local_government", cost=1000, households=3)
    Match.objects.create(item=funded, body=local, area_code=village.code, province_code="37", fiscal_year=YEAR,
                         stage=Stage.IN_ORDINANCE, amount=Decimal(1000))  # fmt: skip
    client = Client()
    client.force_login(factories.user(Role.AGENCY, "37"))
    page = client.get(reverse("matching:ledger", args=["370101"]) + f"?year={YEAR}").content.decode()
    assert 'id="indicator-532"' in page and f'data-area="{village.code}"' in page
    total = page.split('data-area="total"')[1].split("</tr>")[0]
    assert ">2<" in total and "1 (50.0%)" in total

"""``chumchon demo``'s programmes, match, negotiation forum and funding ledger
(``chumchon.demo.matching``): several bodies, every answer kind, dated steps that the
items' status follows, no budget exceeded, and the same again after ``--reset``."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from chumchon.demo.matching import HOUSE_TITLE
from chumchon.demo.tests.test_demo import SMALL, demo
from chumchon.matching.models import Body, BodyKind, Match, MatchRun, MatchStep, Negotiation, Programme, Stage
from chumchon.plans.models import PlanItem

pytestmark = pytest.mark.django_db

TAMBON, YEAR = "370101", 2567
# Where each ledger stage puts its item (independent of matching.services.ITEM_STATUS).
FOLLOWS = {
    "accepted": {"adopted_in_principle", "in_local_plan", "funded", "done"},
    "in_local_plan": {"in_local_plan", "funded", "done"},
    "in_ordinance": {"funded", "done"},
    "disbursed": {"funded", "done"},
    "done": {"done"},
}


def _summary() -> tuple[object, ...]:
    return (
        sorted(Programme.objects.values_list("code", "budget")),
        sorted(Match.objects.values_list("item__title", "body__name", "stage", "amount")),
        sorted(MatchStep.objects.values_list("match__item__title", "stage", "on")),
        Negotiation.objects.count(),
        MatchRun.objects.count(),
    )


def test_the_demo_holds_programmes_a_negotiation_and_a_ledger() -> None:
    demo(*SMALL)
    kinds = set(Body.objects.filter(province_id="37").values_list("kind", flat=True))
    assert kinds == {BodyKind.LOCAL_GOVERNMENT, BodyKind.PROVINCE, BodyKind.AGENCY, BodyKind.CODI}
    codi = Programme.objects.get(programme_type="CODI06")
    assert (codi.name, codi.unit_cost, codi.fiscal_year) == ("บ้านพอเพียง", Decimal(20_000), YEAR)
    assert PlanItem.objects.filter(title=HOUSE_TITLE, tambon_code=TAMBON).exists()
    run = MatchRun.objects.get(area_id=TAMBON)
    assert run.status in ("optimal", "feasible") and run.objective_households >= run.greedy_households > 0
    negotiation = Negotiation.objects.get(area_id=TAMBON)
    assert negotiation.held_on <= timezone.localdate() and negotiation.match_run_id == run.pk
    assert codi.body not in negotiation.bodies.all()
    stages = Counter(Match.objects.values_list("stage", flat=True))
    for stage in (Stage.DECLINED, Stage.DEFERRED, Stage.IN_ORDINANCE, Stage.DONE):
        assert stages[stage] >= 1, (stage, stages)
    # The absent CODI's suggestion stays a suggestion.
    assert Match.objects.filter(body=codi.body, stage=Stage.SUGGESTED).exists()
    for match in Match.objects.select_related("item", "programme"):
        steps = list(match.steps.order_by("created_at", "id"))
        assert steps and steps[-1].stage == match.stage
        assert [s.on for s in steps] == sorted(s.on for s in steps)  # dated in order
        if match.stage in FOLLOWS:
            assert match.item.status in FOLLOWS[match.stage], (match.item.title, match.stage, match.item.status)
    # No programme has accepted more than its budget, nor more of an item than its share.
    for programme in Programme.objects.all():
        accepted = [m for m in Match.objects.filter(programme=programme) if m.stage not in ("suggested", "presented",
                                                                                             "declined", "deferred")]  # fmt: skip
        assert sum((m.amount for m in accepted), Decimal(0)) <= programme.budget
        for m in accepted:
            assert m.amount <= m.item.cost * programme.max_share / 100


def test_reset_makes_the_same_programmes_negotiation_and_ledger() -> None:
    demo(*SMALL)
    first = _summary()
    demo(*SMALL, "--reset")
    assert _summary() == first
    demo(*SMALL, "--if-empty")
    assert _summary() == first

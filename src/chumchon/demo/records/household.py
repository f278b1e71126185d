"""The house and the land, where the members are, and :func:`record_plan`, which fills in
a household's whole record."""

from __future__ import annotations

import datetime as dt
import random

from chumchon.demo.common import rng_for, weighted
from chumchon.demo.households import HouseholdPlan
from chumchon.demo.records.drive import Drive, check_facts
from chumchon.demo.records.people import people_facts
from chumchon.registry.models import HouseholdStatus, Housing, LandTenure, MemberStatus
from chumchon.registry.models import OccupationGroup as OG

# --- the house and the land -----------------------------------------------------------

LAND_FARM = ((LandTenure.OWN, 0.80), (LandTenure.RENT, 0.09), (LandTenure.FREE_USE, 0.08), (LandTenure.PUBLIC, 0.03))
LAND: dict[str, tuple[tuple[str, float], ...]] = {
    OG.FISHERY: ((LandTenure.NONE, 0.40), (LandTenure.OWN, 0.40), (LandTenure.FREE_USE, 0.10),
                 (LandTenure.PUBLIC, 0.10)),
    OG.WAGE: ((LandTenure.NONE, 0.62), (LandTenure.OWN, 0.20), (LandTenure.FREE_USE, 0.12), (LandTenure.RENT, 0.06)),
    OG.WAGE_PLUS: ((LandTenure.NONE, 0.50), (LandTenure.OWN, 0.30), (LandTenure.FREE_USE, 0.12),
                   (LandTenure.RENT, 0.08)),
    OG.BUSINESS: ((LandTenure.NONE, 0.55), (LandTenure.OWN, 0.40), (LandTenure.RENT, 0.05)),
    OG.SALARIED: ((LandTenure.NONE, 0.45), (LandTenure.OWN, 0.55)),
    OG.OTHER: ((LandTenure.OWN, 0.55), (LandTenure.NONE, 0.35), (LandTenure.FREE_USE, 0.10)),
}  # fmt: skip
HOUSING_RISK: dict[str, float] = {OG.WAGE: 1.4, OG.WAGE_PLUS: 1.3, OG.OTHER: 1.4, OG.BUSINESS: 0.4, OG.SALARIED: 0.3}
HOUSING_NONE: dict[str, float] = {OG.WAGE: 3.0, OG.WAGE_PLUS: 2.0, OG.BUSINESS: 0.8, OG.SALARIED: 0.8, OG.OTHER: 1.0}
HOUSING_SCALE = 1.3  # the average risk, so the shares come out at about 20% / 5% / 2%


def housing_of(rng: random.Random, plan: HouseholdPlan, ref: dt.date) -> str:
    """Mostly secure; poor (welfare card), elderly and wage households fare worse."""
    risk = HOUSING_RISK.get(plan.occupation, 1.0)
    risk *= 1.7 if plan.welfare_card else 1.0
    risk *= 1.3 if plan.head.age_on(ref) >= 65 else 1.0
    risk *= 1.2 if len(plan.members) == 1 else 1.0
    risk *= 1.4 if 0 < plan.traits.rai < 8 else 1.0  # a small paddy
    risk *= 0.7 if plan.traits.remittance else 1.0  # children's money goes into the house first
    risk /= HOUSING_SCALE
    none = 0.02 * risk * HOUSING_NONE.get(plan.occupation, 0.5)
    unsafe = 0.05 * risk
    repair = 0.20 * risk**0.6
    r = rng.random()
    if r < none:
        return Housing.NONE
    if r < none + unsafe:
        return Housing.UNSAFE
    if r < none + unsafe + repair:
        return Housing.NEEDS_REPAIR
    return Housing.SECURE


def home_facts(seed: int, plan: HouseholdPlan, ref: dt.date) -> None:
    rng = rng_for(seed, "home", plan.key)
    record = plan.record
    record.housing = housing_of(rng, plan, ref)
    record.land_tenure = weighted(rng, LAND.get(plan.occupation, LAND_FARM))
    head_age = plan.head.age_on(ref)
    record.council = rng.random() < 0.14 + (0.25 if plan.traits.health_volunteer else 0) + (
        0.06 if head_age >= 50 else 0
    )


def _whereabouts(plan: HouseholdPlan, ref: dt.date) -> None:
    """Members follow the household (moved, deceased); an elder alone at home is flagged."""
    record = plan.record
    here = [p for p in plan.members if p.facts.status == MemberStatus.LIVING_HERE]
    if len(here) == 1 and here[0].age_on(ref) >= 60:
        here[0].facts.elderly_living_alone = True
    if record.status == HouseholdStatus.MOVED:
        for p in plan.members:
            p.facts.status = MemberStatus.MOVED
    elif record.status == HouseholdStatus.DISSOLVED:
        for p in plan.members:
            p.facts.status = MemberStatus.DECEASED


def record_plan(seed: int, plan: HouseholdPlan, drive: Drive, *, first: dt.date, ref: dt.date) -> None:
    """Fill in the household's record and its members' facts (``ref``: the last day of
    the accounts; ``first``: their first day)."""
    people_facts(seed, plan, ref)
    home_facts(seed, plan, ref)
    check_facts(seed, plan, drive, first=first, ref=ref)
    _whereabouts(plan, ref)

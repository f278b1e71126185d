"""One household planned from the seed and its place alone; a village's surnames and
house numbers."""

from __future__ import annotations

import datetime as dt

from chumchon.areas.models import Area
from chumchon.demo.common import rng_for, weighted
from chumchon.demo.debts import debts_plan
from chumchon.demo.households.people import members_plan
from chumchon.demo.households.traits import traits_plan
from chumchon.demo.households.types import HouseholdPlan
from chumchon.demo.names import SURNAMES
from chumchon.registry.models import OccupationGroup as OG

# Target shares of occupation groups (seed 001's table, rice province).
OCCUPATION_SHARES: tuple[tuple[str, float], ...] = (
    (OG.RICE, 0.32),
    (OG.RICE_PLUS, 0.20),
    (OG.ORCHARD, 0.09),
    (OG.FISHERY, 0.02),
    (OG.LIVESTOCK, 0.05),
    (OG.WAGE, 0.14),
    (OG.WAGE_PLUS, 0.06),
    (OG.BUSINESS, 0.06),
    (OG.SALARIED, 0.03),
    (OG.OTHER, 0.03),
)

# Chance of holding the state welfare card, by occupation (elderly heads add more).
WELFARE: dict[str, float] = {
    OG.RICE: 0.40,
    OG.RICE_PLUS: 0.36,
    OG.ORCHARD: 0.28,
    OG.FISHERY: 0.42,
    OG.LIVESTOCK: 0.33,
    OG.WAGE: 0.52,
    OG.WAGE_PLUS: 0.46,
    OG.BUSINESS: 0.12,
    OG.SALARIED: 0.02,
    OG.OTHER: 0.55,
}


def household_plan(*, seed: int, village: Area, number: int, ref: dt.date, surnames: list[str]) -> HouseholdPlan:
    """Everything about one household, from the seed and its place alone."""
    key = f"{village.code}:{number}"
    rng = rng_for(seed, "household", key)
    occupation = weighted(rng, OCCUPATION_SHARES)
    members, head_age = members_plan(rng, ref, occupation=occupation, surnames=surnames)
    welfare = rng.random() < WELFARE[occupation] + (0.12 if head_age >= 60 else 0.0)
    debts = debts_plan(rng, occupation)
    fund_share = rng_for(seed, "fund", village.tambon_code).uniform(0.40, 0.60)
    traits = traits_plan(rng, occupation, members, ref, welfare=welfare, fund_share=fund_share)
    return HouseholdPlan(
        key=key,
        village=village,
        number=number,
        occupation=str(occupation),
        welfare_card=welfare,
        members=members,
        debts=debts,
        traits=traits,
    )


def village_surnames(seed: int, village: Area) -> list[str]:
    """Families cluster: most households of a village share a dozen surnames."""
    rng = rng_for(seed, "surnames", village.code)
    local = rng.sample(SURNAMES, 12)
    return local * 4 + rng.sample(SURNAMES, 10)


def house_numbers(seed: int, village: Area, count: int) -> list[str]:
    """House numbers as registered: ascending, with gaps, some split (``45/2``)."""
    rng = rng_for(seed, "house-no", village.code)
    top = max(count * 2, 40)
    numbers = sorted(rng.sample(range(1, top + 1), count))
    out = []
    for n in numbers:
        out.append(f"{n}/{rng.randint(1, 3)}" if rng.random() < 0.15 else str(n))
    return out

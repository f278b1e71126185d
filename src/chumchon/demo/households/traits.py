"""What drives a household's monthly accounts besides its occupation."""

from __future__ import annotations

import datetime as dt
import math
import random

from chumchon.demo.common import weighted
from chumchon.demo.households.types import PersonPlan, Traits
from chumchon.registry.models import OccupationGroup as OG
from chumchon.registry.models import Sex

# Everyday spending relative to a farm household of the same size.
SPEND: dict[str, float] = {OG.SALARIED: 1.4, OG.BUSINESS: 1.3, OG.OTHER: 0.85}


def traits_plan(
    rng: random.Random,
    occupation: str,
    members: list[PersonPlan],
    ref: dt.date,
    *,
    welfare: bool = False,
    fund_share: float = 0.5,
) -> Traits:
    head = members[0]
    ages = [m.age_on(ref) for m in members]
    elderly_head = ages[0] >= 60
    skipped_generation = elderly_head and not any(20 <= a < 50 for a in ages) and any(a < 18 for a in ages)
    t = Traits()
    if occupation == OG.RICE:
        t.rai = round(rng.triangular(6, 35, 14))
    elif occupation == OG.RICE_PLUS:
        t.rai = round(rng.triangular(3, 18, 8))
        t.trade = weighted(rng, (("wage", 0.5), ("weaving", 0.2), ("snacks", 0.15), ("mushrooms", 0.15)))
    elif occupation == OG.ORCHARD:
        t.crop = weighted(rng, (("cassava", 0.45), ("rubber", 0.30), ("sugarcane", 0.25)))
        t.rai = round(rng.triangular(6, 30, 12))
    elif occupation == OG.LIVESTOCK:
        t.livestock = weighted(rng, (("cattle", 0.5), ("chickens", 0.3), ("pigs", 0.2)))
        low, high = {"cattle": (4, 15), "chickens": (50, 300), "pigs": (5, 20)}[t.livestock]
        t.herd = rng.randint(low, high)
    elif occupation == OG.BUSINESS:
        t.trade = weighted(rng, (("grocery", 0.45), ("food", 0.35), ("market", 0.20)))
    elif occupation == OG.WAGE_PLUS:
        t.trade = weighted(rng, (("weaving", 0.35), ("snacks", 0.35), ("mushrooms", 0.30)))
    t.day_rate = rng.choice((300, 320, 330, 350, 350, 380, 400))
    if occupation in (OG.WAGE, OG.WAGE_PLUS, OG.RICE_PLUS):
        t.wage_weekly = occupation != OG.WAGE or rng.random() < 0.7
        t.monthly_wage = rng.choice((9000, 9500, 10_000, 10_500, 11_000, 12_000))
    if occupation == OG.SALARIED:
        t.monthly_wage = round(rng.triangular(12_000, 35_000, 17_000) / 10) * 10
    remit_chance = 0.85 if skipped_generation else 0.6 if occupation == OG.OTHER else 0.45 if elderly_head else 0.18
    if rng.random() < remit_chance:
        t.remittance = rng.choice((1000, 1500, 2000, 2000, 3000, 3000, 4000, 5000))
    male = head.sex == Sex.MALE
    t.drinks = rng.random() < (0.55 if male else 0.15)
    t.smokes = rng.random() < (0.42 if male else 0.05)
    t.lottery = rng.random() < 0.55
    t.saving = rng.choice((100, 100, 200, 200, 300, 500)) if rng.random() < 0.45 else 0
    # The tambon's community welfare fund holds 40-60% of households; fewer of the
    # poorest join (the one baht a day is hard to keep up), so fewer card holders.
    t.welfare_fund = rng.random() < fund_share + (-0.10 if welfare else 0.07)
    t.disability = rng.random() < 0.05
    t.health_volunteer = rng.random() < 0.08
    t.spend = math.exp(rng.gauss(0, 0.2)) * (len(members) / 3.3) ** 0.6 * SPEND.get(occupation, 1.0)
    working = sum(1 for a in ages if 18 <= a < 65)
    t.earners = 2 if working >= 2 and rng.random() < 0.45 else 1
    return t

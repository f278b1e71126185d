"""The needs survey (TPMAP's 17 BMN indicators) of a synthetic household.

Each answer follows the household's circumstances as the demo recorded them: L1
(secure, durable housing) fails for an unsafe house or none; E1–E4 follow the members'
schooling and literacy; I1 and I2 their work; A1 an elder living alone or bedridden
without care, A2 a disabled member without care; H1 a newborn's weight. The remaining
indicators (food, medicines, exercise, water, a tidy home) fail seldom, and more
often in poor households.

I3 (income per person at least 38,000 baht a year) follows the household's own
accounts: its cash income over the twelve months to the end of the accounts, plus what
the BMN form also counts, the value of what the household produces for itself (paddy
kept in the granary, calves and piglets raised, garden vegetables, fish, frogs, eggs),
divided by the members living at home. Households answer the survey with their own
estimate of the year, and these run well above what an account book shows (a book
misses odd jobs, cash gifts, sales at the door): the survey's figure is taken as
:data:`REPORTED` times the accounts' figure. The factor is a calibration, not a
measurement: on cash alone three households in five of the demo would fail I3 (as
the account books of a real Isan province would), two in five with their own produce
counted; with it about one in eight does, and they are the households whose accounts
show the least.

A pure function of the seed, the household's plan and its income.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from chumchon.demo.common import Line, rng_for
from chumchon.demo.households import HouseholdPlan
from chumchon.demo.records import NO_WORK, UNEMPLOYED
from chumchon.registry.models import Education, Housing, MemberStatus
from chumchon.registry.models import OccupationGroup as OG

CODES = ("H1", "H2", "H3", "H4", "L1", "L2", "L3", "L4", "E1", "E2", "E3", "E4", "I1", "I2", "I3", "A1", "A2")
INCOME_THRESHOLD = 38_000  # baht a person a year (BMN 2560–2564)
FARMING = frozenset({OG.RICE, OG.RICE_PLUS, OG.ORCHARD, OG.FISHERY, OG.LIVESTOCK})
# Paddy kept for eating: a rai yields ~415 kg; the kept share follows rice_sales().
RICE_KEPT: dict[str, float] = {OG.RICE: 0.22, OG.RICE_PLUS: 0.40}
PADDY_KG_PER_RAI = 415
PADDY_BAHT_PER_KG = 12
# Garden, fish, frogs, eggs and forest food, a person living at home a year.
GATHERED = {True: 4_000, False: 2_000}
# Value of the young stock raised or eaten at home, a head of the herd a year.
HERD_KEPT = {"cattle": 3_000, "pigs": 600, "chickens": 25}
REPORTED = 1.7  # survey estimate / account book


def cash_income(lines: Iterable[Line]) -> Decimal:
    """Income lines (I01–I09) of the accounts; loans (F05) are not income."""
    return sum((amount for _, category, _, amount in lines if category[0] == "I"), Decimal(0))


def income_per_person(plan: HouseholdPlan, cash: Decimal) -> float:
    """A year's income per member living at home, as the BMN survey counts it."""
    here = sum(1 for p in plan.members if p.facts.status == MemberStatus.LIVING_HERE) or 1
    kept = plan.traits.rai * PADDY_KG_PER_RAI * RICE_KEPT.get(plan.occupation, 0.0) * PADDY_BAHT_PER_KG
    herd = HERD_KEPT.get(plan.traits.livestock, 0) * plan.traits.herd
    gathered = GATHERED[plan.occupation in FARMING] * here
    return REPORTED * (float(cash) + kept + herd + gathered) / here


def survey_answers(seed: int, plan: HouseholdPlan, ref: dt.date, income: float) -> dict[str, bool]:
    """Whether the household fails each indicator (True: fails)."""
    rng = rng_for(seed, "needs", plan.key)
    u = {code: rng.random() for code in CODES}  # one draw each, whatever the household
    here = [(p.facts, p.age_on(ref)) for p in plan.members if p.facts.status == MemberStatus.LIVING_HERE]
    poor = income < INCOME_THRESHOLD
    # Hardship clusters: the chance of the seldom-failed indicators is higher in poor
    # households and lower elsewhere (about the same on average).
    hard = (3.0 if poor else 0.6) * (1.3 if plan.welfare_card else 0.8)
    ill = any(f.chronic_illness for f, _ in here)
    elderly = [(f, a) for f, a in here if a >= 60]
    housing = plan.record.housing
    water = u["L2"] < 0.012 * hard
    alone = any(f.elderly_living_alone for f, _ in elderly)
    bedridden = any(f.bedridden for f, _ in elderly)
    return {
        "H1": any(a == 0 for _, a in here) and u["H1"] < 0.10,
        "H2": u["H2"] < 0.015 * hard,
        "H3": u["H3"] < 0.012 * hard * (1.6 if ill else 1.0),
        "H4": u["H4"] < 0.025 * hard * (1.6 if ill else 1.0) * (1.3 if elderly else 1.0),
        "L1": housing in (Housing.UNSAFE, Housing.NONE) or (housing == Housing.NEEDS_REPAIR and u["L1"] < 0.12 * hard),
        "L2": water,
        "L3": u["L3"] < 0.5 if water else u["L3"] < 0.015 * hard,
        "L4": u["L4"] < 0.012 * hard,
        "E1": any(3 <= a <= 5 and not f.in_school for f, a in here),
        "E2": any(6 <= a <= 14 and not f.in_school for f, a in here),
        "E3": any(15 <= a <= 17 and not f.in_school and f.education == Education.LOWER_SECONDARY for f, a in here),
        "E4": any(15 <= a <= 59 and not f.literate for f, a in here),
        "I1": any(15 <= a <= 59 and f.occupation == UNEMPLOYED for f, a in here),
        "I2": any(a < 80 and not f.bedridden and f.occupation == NO_WORK for f, a in elderly) and u["I2"] < 0.12 * hard,
        "I3": poor,
        "A1": bool(elderly) and u["A1"] < (0.45 if bedridden else 0.4 if alone else 0.015),
        "A2": any(f.disability for f, _ in here) and u["A2"] < 0.25,
    }

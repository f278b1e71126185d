"""Debts of synthetic households: who lends, how much, at what rate, paid how.

About 70% of households owe something. Farm households borrow mostly from BAAC
(ธ.ก.ส., 30,000–300,000 baht at ~7% a year over several years) and the village fund
(กองทุนหมู่บ้าน, 10,000–30,000 at 3–6%); others more from banks and savings groups.
A minority owe informal lenders at 20–60% a year, who collect interest first.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from chumchon.demo.common import CENT, weighted
from chumchon.registry.models import DebtSource as DS
from chumchon.registry.models import OccupationGroup as OG

FARMING = frozenset({OG.RICE, OG.RICE_PLUS, OG.ORCHARD, OG.FISHERY, OG.LIVESTOCK})


@dataclass
class DebtPlan:
    """A debt as registered at the start of the accounts (``as_of``)."""

    source: str
    principal: Decimal
    rate: Decimal  # % a year
    monthly_payment: Decimal
    due_day: int


# Debt sources by kind of household: (source, weight).
DEBT_SOURCES_FARM = ((DS.BAAC, 0.42), (DS.VILLAGE_FUND, 0.30), (DS.COOPERATIVE, 0.10), (DS.BANK, 0.06),
                     (DS.INFORMAL, 0.07), (DS.FAMILY, 0.05))  # fmt: skip
DEBT_SOURCES_OTHER = ((DS.BAAC, 0.14), (DS.VILLAGE_FUND, 0.32), (DS.COOPERATIVE, 0.14), (DS.BANK, 0.18),
                      (DS.INFORMAL, 0.13), (DS.FAMILY, 0.09))  # fmt: skip
DEBT_CHANCE: dict[str, float] = {
    OG.RICE: 0.80,
    OG.RICE_PLUS: 0.80,
    OG.ORCHARD: 0.76,
    OG.FISHERY: 0.70,
    OG.LIVESTOCK: 0.74,
    OG.WAGE: 0.62,
    OG.WAGE_PLUS: 0.66,
    OG.BUSINESS: 0.62,
    OG.SALARIED: 0.70,
    OG.OTHER: 0.38,
}


def _principal(rng: random.Random, median: float, lo: int, hi: int, step: int) -> int:
    value = math.exp(rng.gauss(math.log(median), 0.55))
    return int(min(max(round(value / step) * step, lo), hi))


def debt_plan(rng: random.Random, source: str) -> DebtPlan:
    """Principal, yearly rate and monthly payment realistic for the source.

    The payment covers a month's interest plus an instalment of principal over a
    term typical of the lender; informal lenders mostly collect interest only.
    """
    if source == DS.BAAC:
        principal, rate, term = _principal(rng, 90_000, 30_000, 300_000, 1000), rng.choice((6.0, 6.5, 6.75, 7.0)), 84
    elif source == DS.VILLAGE_FUND:
        principal, rate, term = _principal(rng, 18_000, 10_000, 30_000, 1000), rng.choice((3.0, 4.0, 5.0, 6.0)), 24
    elif source == DS.COOPERATIVE:
        principal, rate, term = _principal(rng, 40_000, 10_000, 100_000, 1000), rng.choice((6.0, 8.0, 9.0, 12.0)), 48
    elif source == DS.BANK:
        principal, rate, term = _principal(rng, 80_000, 20_000, 300_000, 1000), rng.choice((6.5, 7.5, 8.5, 12.0)), 60
    elif source == DS.INFORMAL:
        principal, rate, term = _principal(rng, 15_000, 5_000, 50_000, 1000), rng.choice((24, 30, 36, 48, 60)), 48
    else:
        principal, rate, term = _principal(rng, 8_000, 2_000, 30_000, 500), 0.0, 16
    monthly = principal * rate / 1200 + principal / term
    if source == DS.FAMILY and rng.random() < 0.5:
        monthly = 0  # "pay back when I can": no schedule
    step = 10 if monthly < 2000 else 100
    payment = Decimal(round(monthly / step) * step).quantize(CENT)
    return DebtPlan(
        source=source,
        principal=Decimal(principal).quantize(CENT),
        rate=Decimal(str(rate)).quantize(CENT),
        monthly_payment=payment,
        due_day=rng.randint(1, 28),
    )


def debts_plan(rng: random.Random, occupation: str) -> list[DebtPlan]:
    if rng.random() >= DEBT_CHANCE[occupation]:
        return []
    table = DEBT_SOURCES_FARM if occupation in FARMING else DEBT_SOURCES_OTHER
    count = weighted(rng, ((1, 0.55), (2, 0.33), (3, 0.12)))
    sources: list[str] = []
    while len(sources) < count:
        source = weighted(rng, table)
        if source not in sources:
            sources.append(source)
    return [debt_plan(rng, s) for s in sorted(sources)]

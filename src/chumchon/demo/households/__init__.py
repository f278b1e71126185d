"""Synthetic households: who lives there, what they do, what they owe.

A household is first planned as plain data (:class:`HouseholdPlan`): the registry
rows (household, members, debts) and the traits that drive its monthly accounts
(rice area, crop, wage pattern, remittances, habits). Plans are pure functions of
the seed and the household's key, so they can be tested without a database. What
the registry records beyond that (``HouseholdRecord``, ``PersonFacts``: housing,
verification, schooling, work, health) is filled in by :mod:`chumchon.demo.records`.

Proportions follow a rice-growing Isan province: about a third of households farm
rice only, a fifth rice and something else; heads are mostly in their fifties;
households average about 3.3 people; many grandparents raise grandchildren while
the parents work in Bangkok and send money home; about 40% hold the state welfare
card and about 70% owe something, mostly to BAAC (ธ.ก.ส.) and the village fund.
"""

from chumchon.demo.households.people import members_plan
from chumchon.demo.households.plan import OCCUPATION_SHARES, house_numbers, household_plan, village_surnames
from chumchon.demo.households.traits import traits_plan
from chumchon.demo.households.types import (
    CHILD,
    DAUGHTER_IN_LAW,
    FATHER,
    GRANDCHILD,
    HEAD,
    MOTHER,
    SON_IN_LAW,
    SPOUSE,
    HouseholdPlan,
    HouseholdRecord,
    PersonFacts,
    PersonPlan,
    Traits,
)

__all__ = [
    "CHILD",
    "DAUGHTER_IN_LAW",
    "FATHER",
    "GRANDCHILD",
    "HEAD",
    "MOTHER",
    "OCCUPATION_SHARES",
    "SON_IN_LAW",
    "SPOUSE",
    "HouseholdPlan",
    "HouseholdRecord",
    "PersonFacts",
    "PersonPlan",
    "Traits",
    "house_numbers",
    "household_plan",
    "members_plan",
    "traits_plan",
    "village_surnames",
]

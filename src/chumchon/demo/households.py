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

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from chumchon.areas.models import Area
from chumchon.demo.common import rng_for, weighted
from chumchon.demo.debts import DebtPlan, debts_plan
from chumchon.demo.names import (
    FEMALE_MIDDLE,
    FEMALE_OLD,
    FEMALE_YOUNG,
    MALE_MIDDLE,
    MALE_OLD,
    MALE_YOUNG,
    SURNAMES,
)
from chumchon.registry.models import (
    Consent,
    HouseholdStatus,
    MemberStatus,
    OccupationGroup,
    Origin,
    Sex,
    Verification,
)

OG = OccupationGroup

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

# Age of the head of household by occupation: (youngest, oldest, most common).
HEAD_AGE: dict[str, tuple[int, int, int]] = {
    OG.RICE: (35, 80, 56),
    OG.RICE_PLUS: (30, 72, 48),
    OG.ORCHARD: (30, 74, 50),
    OG.FISHERY: (28, 70, 48),
    OG.LIVESTOCK: (30, 76, 55),
    OG.WAGE: (22, 66, 42),
    OG.WAGE_PLUS: (25, 66, 45),
    OG.BUSINESS: (28, 70, 46),
    OG.SALARIED: (26, 59, 42),
    OG.OTHER: (60, 92, 72),
}
SIZES = ((1, 0.11), (2, 0.22), (3, 0.25), (4, 0.21), (5, 0.12), (6, 0.06), (7, 0.03))
SIZES_ELDERLY = ((1, 0.28), (2, 0.34), (3, 0.22), (4, 0.10), (5, 0.06))
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

# Everyday spending relative to a farm household of the same size.
SPEND: dict[str, float] = {OG.SALARIED: 1.4, OG.BUSINESS: 1.3, OG.OTHER: 0.85}

HEAD = "หัวหน้าครัวเรือน"
SPOUSE = "คู่สมรส"
CHILD = "บุตร"
SON_IN_LAW = "บุตรเขย"
DAUGHTER_IN_LAW = "บุตรสะใภ้"
GRANDCHILD = "หลาน"
FATHER = "บิดา"
MOTHER = "มารดา"


@dataclass
class PersonFacts:
    """What the registry records about a person besides name and birth (see
    :mod:`chumchon.demo.records`); ``literate`` and ``in_school`` feed the needs survey."""

    education: str = ""
    occupation: str = ""
    disability: bool = False
    chronic_illness: bool = False
    bedridden: bool = False
    elderly_living_alone: bool = False
    status: str = MemberStatus.LIVING_HERE
    literate: bool = True
    in_school: bool = False
    has_id: bool = True  # False: recorded without a national ID


@dataclass
class PersonPlan:
    relation: str
    sex: str
    birth_date: dt.date
    first_name: str
    last_name: str
    title: str
    national_id: str = ""
    facts: PersonFacts = field(default_factory=PersonFacts)

    @property
    def is_head(self) -> bool:
        return self.relation == HEAD

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@dataclass
class Traits:
    """What drives a household's monthly accounts besides its occupation."""

    rai: int = 0  # paddy (O01, O02) or field/orchard (O03) area in rai (1 rai = 1,600 m²)
    crop: str = ""  # O03: cassava, rubber, sugarcane
    livestock: str = ""  # O05: cattle, pigs, chickens
    herd: int = 0  # O05: head of cattle or pigs, or chickens
    trade: str = ""  # O08: grocery, food, market; O02/O07 side line: wage, weaving, snacks, mushrooms
    wage_weekly: bool = True
    day_rate: int = 0
    monthly_wage: int = 0
    remittance: int = 0
    drinks: bool = False
    smokes: bool = False
    lottery: bool = False
    saving: int = 0
    welfare_fund: bool = False  # member of the tambon's community welfare fund (pays monthly)
    disability: bool = False
    health_volunteer: bool = False  # อสม.: a village health volunteer's monthly stipend
    spend: float = 1.0  # scale of everyday consumption
    earners: int = 1  # people of the household doing day labour together


@dataclass
class HouseholdRecord:
    """The household's registry record beyond its members: housing, land, where the
    record came from, what the verification drive found, consent and the needs survey
    (see :mod:`chumchon.demo.records`)."""

    housing: str = ""
    land_tenure: str = ""
    origin: str = Origin.TAMBON
    verification: str = Verification.UNVERIFIED
    status: str = HouseholdStatus.ACTIVE
    verified_at: dt.datetime | None = None
    verifier: str = ""  # the demo user who verified it ("" for none)
    consent: str = Consent.UNKNOWN
    consent_at: dt.datetime | None = None
    surveyed_at: dt.datetime | None = None  # the needs survey (None: not surveyed)
    council: bool = False  # member of the tambon's community organisation council
    extra: list[PersonPlan] = field(default_factory=list)  # people recorded here twice (duplicates)

    @property
    def left_on(self) -> dt.date | None:
        """The day the household was found gone (its accounts stop before it)."""
        if self.status == HouseholdStatus.ACTIVE or self.verified_at is None:
            return None
        return self.verified_at.date()


@dataclass
class HouseholdPlan:
    key: str
    village: Area
    number: int  # running number within the village
    occupation: str
    welfare_card: bool
    members: list[PersonPlan]
    debts: list[DebtPlan]
    traits: Traits
    code: str = ""
    house_no: str = ""
    lat: Decimal | None = None
    lon: Decimal | None = None
    record: HouseholdRecord = field(default_factory=HouseholdRecord)

    @property
    def head(self) -> PersonPlan:
        return self.members[0]

    @property
    def people(self) -> list[PersonPlan]:
        """Every member row: the members and anyone recorded here a second time."""
        return [*self.members, *self.record.extra]


# --- people --------------------------------------------------------------------------


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    pool: tuple[str, ...]
    if birth_year < 1965:
        pool = MALE_OLD if sex == Sex.MALE else FEMALE_OLD
    elif birth_year < 1992:
        pool = MALE_MIDDLE if sex == Sex.MALE else FEMALE_MIDDLE
    else:
        pool = MALE_YOUNG if sex == Sex.MALE else FEMALE_YOUNG
    return rng.choice(pool)


def title_for(sex: str, age: int, *, married: bool) -> str:
    if age < 15:
        return "เด็กชาย" if sex == Sex.MALE else "เด็กหญิง"
    if sex == Sex.MALE:
        return "นาย"
    return "นาง" if married else "นางสาว"


def person(
    rng: random.Random, ref: dt.date, *, relation: str, sex: str, age: int, last_name: str, married: bool
) -> PersonPlan:
    age = max(0, min(age, 98))
    birth = ref - dt.timedelta(days=round(age * 365.25) + rng.randint(1, 364))
    return PersonPlan(
        relation=relation,
        sex=sex,
        birth_date=birth,
        first_name=given_name(rng, sex, birth.year),
        last_name=last_name,
        title=title_for(sex, age, married=married),
    )


def other_sex(sex: str) -> str:
    return Sex.FEMALE if sex == Sex.MALE else Sex.MALE


def members_plan(
    rng: random.Random, ref: dt.date, *, occupation: str, surnames: list[str]
) -> tuple[list[PersonPlan], int]:
    """The members of one household, head first, and the head's age."""
    lo, hi, mode = HEAD_AGE[occupation]
    head_age = round(rng.triangular(lo, hi, mode))
    size = weighted(rng, SIZES_ELDERLY if occupation == OG.OTHER else SIZES)
    head_sex = Sex.MALE if rng.random() < (0.75 if head_age < 60 else 0.55) else Sex.FEMALE
    family = rng.choice(surnames)
    spouse = size > 1 and rng.random() < (0.88 if head_age < 70 else 0.65)
    head = person(
        rng,
        ref,
        relation=HEAD,
        sex=head_sex,
        age=head_age,
        last_name=family,
        married=spouse or head_age >= 30,
    )
    people = [head]
    if spouse:
        gap = rng.randint(0, 6) * (1 if head_sex == Sex.MALE else -1)
        people.append(
            person(
                rng,
                ref,
                relation=SPOUSE,
                sex=other_sex(head_sex),
                age=max(18, head_age - gap),
                last_name=family if rng.random() < 0.85 else rng.choice(SURNAMES),
                married=True,
            )
        )
    while len(people) < size:
        people.append(_next_member(rng, ref, head_age, family, people))
    _distinct_names(rng, people)
    return people, head_age


def _distinct_names(rng: random.Random, people: list[PersonPlan]) -> None:
    """No two members share a given name."""
    seen: set[str] = set()
    for p in people:
        for _ in range(10):
            if p.first_name not in seen:
                break
            p.first_name = given_name(rng, p.sex, p.birth_date.year)
        seen.add(p.first_name)


def _free_age(rng: random.Random, youngest: int, oldest: int, taken: set[int]) -> int:
    """An age in range that no other child of the household has (a few tries)."""
    age = rng.randint(youngest, max(youngest, oldest))
    for _ in range(6):
        if age not in taken:
            break
        age = rng.randint(youngest, max(youngest, oldest))
    return age


def _next_member(rng: random.Random, ref: dt.date, head_age: int, family: str, people: list[PersonPlan]) -> PersonPlan:
    """One more member, chosen by the head's age: children, grandchildren, in-laws, parents."""
    adult_children = [p for p in people if p.relation == CHILD and p.age_on(ref) >= 20]
    in_law = next((p for p in people if p.relation in (SON_IN_LAW, DAUGHTER_IN_LAW)), None)
    has_parent = any(p.relation in (FATHER, MOTHER) for p in people)
    taken = {p.age_on(ref) for p in people if p.relation in (CHILD, GRANDCHILD)}
    r = rng.random()
    if head_age >= 60:
        if r < 0.5 or (r >= 0.85 and not adult_children):
            return _grandchild(rng, ref, head_age, family, in_law, taken)
        if r < 0.85 or in_law is not None:
            return _child(rng, ref, 18, min(head_age - 20, 50), family, taken)
        return _in_law(rng, ref, adult_children[0], family)
    if head_age >= 45:
        if r < 0.6:
            return _child(rng, ref, 5, min(head_age - 18, 32), family, taken)
        if r < 0.72 and not has_parent and head_age < 58:
            return _parent(rng, ref, head_age, family)
        if adult_children and in_law is None:
            return _in_law(rng, ref, adult_children[0], family)
        if adult_children:
            return _grandchild(rng, ref, head_age, family, in_law, taken)
        return _child(rng, ref, 5, min(head_age - 18, 32), family, taken)
    if r < 0.12 and not has_parent:
        return _parent(rng, ref, head_age, family)
    return _child(rng, ref, 0, max(0, head_age - 20), family, taken)


def _child(rng: random.Random, ref: dt.date, youngest: int, oldest: int, family: str, taken: set[int]) -> PersonPlan:
    age = _free_age(rng, youngest, oldest, taken)
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    married = sex == Sex.FEMALE and age >= 25 and rng.random() < 0.5
    return person(rng, ref, relation=CHILD, sex=sex, age=age, last_name=family, married=married)


def _grandchild(
    rng: random.Random, ref: dt.date, head_age: int, family: str, in_law: PersonPlan | None, taken: set[int]
) -> PersonPlan:
    age = _free_age(rng, 0, max(0, min(17, head_age - 38)), taken)
    last_name = in_law.last_name if in_law is not None and in_law.relation == SON_IN_LAW else family
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    return person(rng, ref, relation=GRANDCHILD, sex=sex, age=age, last_name=last_name, married=False)


def _in_law(rng: random.Random, ref: dt.date, child: PersonPlan, family: str) -> PersonPlan:
    age = max(18, child.age_on(ref) + rng.randint(-4, 5))
    if child.sex == Sex.FEMALE:
        return person(
            rng, ref, relation=SON_IN_LAW, sex=Sex.MALE, age=age, last_name=rng.choice(SURNAMES), married=True
        )
    return person(rng, ref, relation=DAUGHTER_IN_LAW, sex=Sex.FEMALE, age=age, last_name=family, married=True)


def _parent(rng: random.Random, ref: dt.date, head_age: int, family: str) -> PersonPlan:
    sex = Sex.FEMALE if rng.random() < 0.7 else Sex.MALE  # widowed mothers outlive fathers
    relation = MOTHER if sex == Sex.FEMALE else FATHER
    return person(
        rng, ref, relation=relation, sex=sex, age=head_age + rng.randint(20, 30), last_name=family, married=True
    )


# --- traits ------------------------------------------------------------------------


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

"""The members of a household: head first, then spouse, children, grandchildren, in-laws
and parents, chosen by the head's age; names, titles and birth dates."""

from __future__ import annotations

import datetime as dt
import random

from chumchon.demo.common import weighted
from chumchon.demo.households.types import (
    CHILD,
    DAUGHTER_IN_LAW,
    FATHER,
    GRANDCHILD,
    HEAD,
    MOTHER,
    SON_IN_LAW,
    SPOUSE,
    PersonPlan,
)
from chumchon.demo.names import FEMALE_MIDDLE, FEMALE_OLD, FEMALE_YOUNG, MALE_MIDDLE, MALE_OLD, MALE_YOUNG, SURNAMES
from chumchon.registry.models import OccupationGroup as OG
from chumchon.registry.models import Sex

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

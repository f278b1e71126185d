"""People recorded twice, in two households: the duplicates queue's work."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from chumchon.demo.common import rng_for
from chumchon.demo.households import FATHER, MOTHER, HouseholdPlan, PersonPlan
from chumchon.registry.models import HouseholdStatus, MemberStatus
from chumchon.registry.services.duplicates import THRESHOLD, name_similarity

RELATIVE = "ญาติ"

# Spellings that the registry's clerks and volunteers mix up.
SPELLINGS = (
    ("ศรี", "สี"), ("บุญ", "บุน"), ("พันธ์", "พันธุ์"), ("พงษ์", "พงศ์"), ("วงศ์", "วงษ์"), ("ศักดิ์", "ศักด์"),
    ("ภ", "พ"), ("ธ", "ท"), ("ณ", "น"), ("ษ", "ส"), ("ศ", "ส"), ("ญ", "ย"), ("ทอง", "ธอง"), ("คำ", "ขำ"),
)  # fmt: skip


def misspelt(name: str) -> str:
    """The first confusable spelling of ``name`` ("" when none applies)."""
    for right, wrong in SPELLINGS:
        if right in name:
            return name.replace(right, wrong, 1)
    return ""


def duplicates_plant(seed: int, plans: list[HouseholdPlan], tambon_code: str, ref: dt.date) -> int:
    """Record 3–5 people of the tambon a second time in another household: the given name
    misspelt, the same birth date, no national ID (as when a volunteer lists a daughter
    at her husband's house without her card). Returns how many."""
    rng = rng_for(seed, "twice", tambon_code)
    homes = [p for p in plans if p.village.tambon_code == tambon_code and p.record.status == HouseholdStatus.ACTIVE]
    if len(homes) < 2:
        return 0
    people: list[tuple[HouseholdPlan, PersonPlan, str]] = []
    for plan in homes:
        for person in plan.members:
            variant = misspelt(person.first_name)
            if (
                variant
                and person.facts.has_id
                and 20 <= person.age_on(ref) <= 70
                and person.facts.status == MemberStatus.LIVING_HERE
                and person.relation not in (FATHER, MOTHER)
                and (name_similarity(person.first_name, variant) + 1) / 2 >= THRESHOLD
            ):
                people.append((plan, person, variant))
    # Not into an elder's house where the elder lives alone (the record would say otherwise).
    hosts = [h for h in homes if not any(p.facts.elderly_living_alone for p in h.members)]
    planted = 0
    for source, person, variant in rng.sample(people, min(rng.randint(3, 5), len(people))):
        elsewhere = [h for h in hosts if h.village.code != source.village.code] or [h for h in hosts if h is not source]
        if not elsewhere:
            continue
        host = rng.choice(elsewhere)
        facts = replace(person.facts, has_id=False, elderly_living_alone=False, status=MemberStatus.LIVING_HERE)
        host.record.extra.append(replace(person, relation=RELATIVE, first_name=variant, national_id="", facts=facts))
        planted += 1
    return planted

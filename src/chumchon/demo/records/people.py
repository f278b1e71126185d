"""Each person's schooling, work, health and whereabouts (living at home, or working or
studying away)."""

from __future__ import annotations

import datetime as dt
import random

from chumchon.demo.common import rng_for, weighted
from chumchon.demo.households import (
    CHILD,
    DAUGHTER_IN_LAW,
    GRANDCHILD,
    HEAD,
    SON_IN_LAW,
    SPOUSE,
    HouseholdPlan,
    PersonPlan,
)
from chumchon.registry.models import Education, MemberStatus, Sex
from chumchon.registry.models import OccupationGroup as OG

ED = Education
NO_WORK = "ไม่ได้ทำงาน"
UNEMPLOYED = "ว่างงาน"
PUPIL = "นักเรียน"
STUDENT = "นักศึกษา"

# --- schooling ---------------------------------------------------------------------

# Highest schooling of adults by age (Isan: compulsory schooling was 4 years until 1978,
# 6 until 2002; many of today's young adults finished upper secondary or vocational).
EDUCATION_BY_AGE: tuple[tuple[int, tuple[tuple[str, float], ...]], ...] = (
    (22, ((ED.PRIMARY, 0.04), (ED.LOWER_SECONDARY, 0.18), (ED.UPPER_SECONDARY, 0.50), (ED.DIPLOMA, 0.12),
          (ED.BACHELOR, 0.16))),
    (39, ((ED.NONE, 0.01), (ED.PRIMARY, 0.12), (ED.LOWER_SECONDARY, 0.24), (ED.UPPER_SECONDARY, 0.34),
          (ED.DIPLOMA, 0.11), (ED.BACHELOR, 0.16), (ED.HIGHER, 0.02))),
    (59, ((ED.NONE, 0.03), (ED.PRIMARY, 0.55), (ED.LOWER_SECONDARY, 0.16), (ED.UPPER_SECONDARY, 0.13),
          (ED.DIPLOMA, 0.04), (ED.BACHELOR, 0.08), (ED.HIGHER, 0.01))),
    (74, ((ED.NONE, 0.09), (ED.PRIMARY, 0.84), (ED.LOWER_SECONDARY, 0.03), (ED.UPPER_SECONDARY, 0.02),
          (ED.BACHELOR, 0.02))),
    (200, ((ED.NONE, 0.25), (ED.PRIMARY, 0.73), (ED.LOWER_SECONDARY, 0.01), (ED.BACHELOR, 0.01))),
)  # fmt: skip
# Teachers, clerks and nurses of salaried households.
EDUCATION_SALARIED = ((ED.UPPER_SECONDARY, 0.15), (ED.DIPLOMA, 0.17), (ED.BACHELOR, 0.58), (ED.HIGHER, 0.10))


def schooling_of(rng: random.Random, age: int, *, salaried: bool) -> tuple[str, bool]:
    """Education (highest level, or the level being attended) and whether at school."""
    if age < 3:
        return "", False
    if age <= 5:  # child development centre (ศพด.) or kindergarten
        return (ED.PRESCHOOL, True) if rng.random() < 0.93 else (ED.NONE, False)
    if age <= 11:
        return (ED.PRIMARY, True) if rng.random() < 0.995 else (ED.PRIMARY, False)
    if age <= 14:
        return (ED.LOWER_SECONDARY, True) if rng.random() < 0.975 else (ED.PRIMARY, False)
    if age <= 17:
        r = rng.random()
        if r < 0.86:
            return ED.UPPER_SECONDARY, True  # ม.4–6 or a vocational certificate (ปวช.)
        return (ED.LOWER_SECONDARY, False) if r < 0.97 else (ED.PRIMARY, False)
    if salaried and 23 <= age < 60:
        return weighted(rng, EDUCATION_SALARIED), False
    table = next(t for top, t in EDUCATION_BY_AGE if age <= top)
    level = weighted(rng, table)
    if level == ED.BACHELOR and age < 21:
        level = ED.UPPER_SECONDARY
    return level, False


def literate(rng: random.Random, education: str, age: int) -> bool:
    """Reads and writes Thai and does simple sums (indicator E4)."""
    if education == ED.NONE:
        return rng.random() < 0.35
    if education == ED.PRIMARY and age >= 45:
        return rng.random() < 0.97  # four years of school, long ago
    return True


# --- work ----------------------------------------------------------------------------

TRADE_WORK = {
    "wage": "รับจ้างทั่วไป",
    "weaving": "ทอผ้าไหม",
    "snacks": "ทำขนมขาย",
    "mushrooms": "เพาะเห็ดขาย",
    "grocery": "ค้าขาย (ร้านขายของชำ)",
    "food": "ขายส้มตำ ไก่ย่าง",
    "market": "ค้าขายตลาดนัด",
}
CROP_WORK = {"cassava": "ทำไร่มันสำปะหลัง", "rubber": "ทำสวนยางพารา", "sugarcane": "ทำไร่อ้อย"}
HERD_WORK = {"cattle": "เลี้ยงวัว", "chickens": "เลี้ยงไก่", "pigs": "เลี้ยงหมู"}
SALARIED_WORK = ("รับราชการครู", "พนักงานบริษัท", "ลูกจ้างหน่วยงานรัฐ", "พยาบาล", "พนักงาน อบต.", "พนักงานโรงพยาบาล")
AWAY_WORK = (
    "รับจ้างในกรุงเทพฯ", "พนักงานโรงงาน จ.ชลบุรี", "พนักงานโรงงาน จ.ระยอง", "รับจ้างก่อสร้างในกรุงเทพฯ",
    "พนักงานห้างในกรุงเทพฯ", "พนักงานโรงงาน จ.สมุทรปราการ", "แม่บ้านในกรุงเทพฯ",
)  # fmt: skip


def main_work(plan: HouseholdPlan) -> str:
    """The household's occupation as its head would name it."""
    t, og = plan.traits, plan.occupation
    if og == OG.RICE:
        return "ทำนา"
    if og == OG.RICE_PLUS:
        return "ทำนา " + TRADE_WORK[t.trade]
    if og == OG.ORCHARD:
        return CROP_WORK.get(t.crop, "ทำไร่")
    if og == OG.FISHERY:
        return "ประมงน้ำจืด"
    if og == OG.LIVESTOCK:
        return HERD_WORK.get(t.livestock, "เลี้ยงสัตว์")
    if og == OG.WAGE:
        return "รับจ้างทั่วไป" if t.wage_weekly else "ลูกจ้างร้านค้า"
    if og == OG.WAGE_PLUS:
        return "รับจ้างทั่วไป " + TRADE_WORK.get(t.trade, "")
    if og == OG.BUSINESS:
        return TRADE_WORK.get(t.trade, "ค้าขาย")
    if og == OG.SALARIED:
        return SALARIED_WORK[sum(map(ord, plan.key)) % len(SALARIED_WORK)]
    return NO_WORK


def partner_work(rng: random.Random, plan: HouseholdPlan) -> str:
    """The head's spouse: the same work, or the side line, or housework."""
    og, t = plan.occupation, plan.traits
    if og in (OG.RICE_PLUS, OG.WAGE_PLUS) and t.trade in TRADE_WORK:
        return TRADE_WORK[t.trade] if rng.random() < 0.6 else main_work(plan).split(" ")[0]
    if og == OG.SALARIED:
        return weighted(rng, (("ค้าขาย", 0.3), ("รับจ้างทั่วไป", 0.3), ("ทำนา", 0.25), ("งานบ้าน", 0.15)))
    if og == OG.WAGE and t.earners < 2:
        return weighted(rng, (("รับจ้างทั่วไป", 0.5), ("ทำนา", 0.25), ("งานบ้าน", 0.25)))
    return main_work(plan)


def relative_work(rng: random.Random, plan: HouseholdPlan) -> str:
    """A working-age son, daughter, in-law or parent living at home."""
    og = plan.occupation
    if rng.random() < 0.035:
        return UNEMPLOYED
    if og in (OG.RICE, OG.RICE_PLUS, OG.ORCHARD, OG.LIVESTOCK, OG.FISHERY):
        return weighted(rng, ((main_work(plan).split(" ")[0], 0.55), ("รับจ้างทั่วไป", 0.35), ("ค้าขาย", 0.05),
                              ("พนักงานร้านสะดวกซื้อ", 0.05)))  # fmt: skip
    if og == OG.BUSINESS:
        return main_work(plan) if rng.random() < 0.6 else "รับจ้างทั่วไป"
    if og == OG.SALARIED:
        return weighted(rng, (("พนักงานบริษัท", 0.4), ("รับจ้างทั่วไป", 0.4), ("ค้าขาย", 0.2)))
    return weighted(rng, (("รับจ้างทั่วไป", 0.75), ("พนักงานโรงสีข้าว", 0.1), ("ค้าขาย", 0.15)))


def elder_work(rng: random.Random, plan: HouseholdPlan, person: PersonPlan, age: int, *, grandchildren: bool) -> str:
    """Most elderly heads keep farming into their seventies; parents living with a
    child mind the grandchildren or no longer work."""
    if person.relation in (HEAD, SPOUSE) and plan.occupation != OG.OTHER:
        keep = 0.85 if age < 70 else 0.6 if age < 80 else 0.25
        if rng.random() < keep:
            return main_work(plan) if person.relation == HEAD else partner_work(rng, plan)
    if grandchildren and age < 80 and rng.random() < 0.35:
        return "เลี้ยงหลาน"
    if plan.occupation == OG.OTHER and age < 80 and rng.random() < 0.25:
        return rng.choice(("ทำสวนครัว", "สานกระติบข้าว", "ทอเสื่อ"))
    return NO_WORK


# --- health ----------------------------------------------------------------------------

CHRONIC_BY_AGE = ((30, 0.01), (45, 0.05), (60, 0.14), (70, 0.26), (80, 0.34), (200, 0.40))


def chronic_chance(age: int) -> float:
    return next(p for top, p in CHRONIC_BY_AGE if age < top)


def people_facts(seed: int, plan: HouseholdPlan, ref: dt.date) -> None:
    """Schooling, work, health and whereabouts of every member."""
    rng = rng_for(seed, "people", plan.key)
    t = plan.traits
    ages = [p.age_on(ref) for p in plan.members]
    salaried = plan.occupation == OG.SALARIED
    grandchildren = any(p.relation == GRANDCHILD and a < 12 for p, a in zip(plan.members, ages, strict=True))
    for person, age in zip(plan.members, ages, strict=True):
        f = person.facts
        student = age in range(18, 22) and person.relation in (CHILD, GRANDCHILD) and t.spend > 0.9
        f.education, f.in_school = schooling_of(rng, age, salaried=salaried and person.relation in (HEAD, SPOUSE))
        if student:
            f.education, f.in_school = weighted(rng, ((ED.UPPER_SECONDARY, 0.7), (ED.DIPLOMA, 0.3))), True
            f.status = MemberStatus.AWAY  # studying in Ubon or Khon Kaen; the household sends money
        f.literate = literate(rng, f.education, age)
        f.chronic_illness = rng.random() < chronic_chance(age)
        f.bedridden = age >= 60 and rng.random() < (0.05 if age >= 80 else 0.008)
        f.chronic_illness = f.chronic_illness or f.bedridden
        f.disability = rng.random() < 0.008  # not every disabled person is registered for the allowance
    if t.disability:  # the allowance in the accounts is for one registered disabled person
        weights = [1.0 + a / 20 for a in ages]
        plan.members[rng.choices(range(len(ages)), weights=weights)[0]].facts.disability = True
    _away(rng, plan, ages)
    for person, age in zip(plan.members, ages, strict=True):
        person.facts.occupation = _work(rng, plan, person, age, grandchildren=grandchildren)
    if t.health_volunteer:
        adults = [
            p
            for p, a in zip(plan.members, ages, strict=True)
            if 25 <= a < 66 and p.facts.status == MemberStatus.LIVING_HERE
        ]
        adults.sort(key=lambda p: p.sex != Sex.FEMALE)  # most อสม. are women
        if adults:
            adults[0].facts.occupation += ", อสม."


def _away(rng: random.Random, plan: HouseholdPlan, ages: list[int]) -> None:
    """Sons and daughters who work in Bangkok or the eastern seaboard (and send money);
    a son- or daughter-in-law mostly goes with them."""
    sends = plan.traits.remittance > 0
    children = [
        p
        for p, a in zip(plan.members, ages, strict=True)
        if p.relation == CHILD and 18 <= a <= 45 and p.facts.status == MemberStatus.LIVING_HERE
    ]
    rng.shuffle(children)
    for n, person in enumerate(children):
        chance = (0.75 if n == 0 else 0.35) if sends else 0.05
        if rng.random() < chance:
            person.facts.status = MemberStatus.AWAY
    if any(p.facts.status == MemberStatus.AWAY and not p.facts.in_school for p in children):
        for person, age in zip(plan.members, ages, strict=True):
            if person.relation in (SON_IN_LAW, DAUGHTER_IN_LAW) and age <= 45 and rng.random() < 0.7:
                person.facts.status = MemberStatus.AWAY


def _work(rng: random.Random, plan: HouseholdPlan, person: PersonPlan, age: int, *, grandchildren: bool) -> str:
    f = person.facts
    if f.status == MemberStatus.AWAY:
        return STUDENT if f.in_school else rng.choice(AWAY_WORK)
    if age < 6:
        return ""
    if f.in_school:
        return PUPIL
    if age < 15:
        return "ช่วยงานบ้าน"
    if f.bedridden:
        return NO_WORK
    if age >= 60:
        return elder_work(rng, plan, person, age, grandchildren=grandchildren)
    if age < 18:
        return rng.choice(("รับจ้างทั่วไป", "ช่วยพ่อแม่ทำงาน"))
    if f.disability and rng.random() < 0.5:
        return NO_WORK
    if person.relation == HEAD:
        return main_work(plan)
    if person.relation == SPOUSE:
        return partner_work(rng, plan)
    return relative_work(rng, plan)

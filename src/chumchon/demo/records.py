"""The registry side of a synthetic household: what the tambon's social database records.

A household plan (:mod:`chumchon.demo.households`) says who lives there and how they
earn; this module adds what the registry pages show about it, drawn from streams of
its own so the accounts do not change with it:

- each person's schooling (by age: older people mostly primary or none, young adults
  secondary, some a degree), work (following the household's occupation), health
  (disability, chronic illness rising with age, a few bedridden elderly) and whether
  they live at home or work away (the children who send money home);
- the house (mostly secure; needing repair, unsafe or none more often for poor,
  elderly and wage-labour households) and farm land (owned by most farmers, rented or
  borrowed by some, none for many labourers and traders);
- where the record came from and what the verification drive found, in the pattern
  of Amnat Charoen's SDCK: most households come from the state welfare card list or
  the tambon's own records; in the demo users' tambons a drive is under way (about 60%
  verified, 8% corrected, 4% not found, 2% moved, 1% deceased, the rest not yet
  visited, plus about one household in ten found on the ground and not on any list),
  elsewhere verification is patchy (0–40% a tambon, varying by village); visits are
  spread over the 18 months before the end of the accounts, so some are stale;
- consent, asked at the visit; the date of the needs survey; council membership;
- a few people recorded twice, in two households, with a misspelt given name and no
  national ID on the second record: the duplicates queue's work.

Everything is a pure function of the seed, the household's key and its village's
:class:`Drive`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from django.utils import timezone

from chumchon.areas.models import Area
from chumchon.demo.common import rng_for, weighted
from chumchon.demo.households import (
    CHILD,
    DAUGHTER_IN_LAW,
    FATHER,
    GRANDCHILD,
    HEAD,
    MOTHER,
    SON_IN_LAW,
    SPOUSE,
    HouseholdPlan,
    PersonPlan,
)
from chumchon.registry.models import (
    Consent,
    Education,
    HouseholdStatus,
    Housing,
    LandTenure,
    MemberStatus,
    Origin,
    Sex,
    Verification,
)
from chumchon.registry.models import OccupationGroup as OG
from chumchon.registry.services.duplicates import THRESHOLD, name_similarity

ED = Education
RELATIVE = "ญาติ"
NO_WORK = "ไม่ได้ทำงาน"
UNEMPLOYED = "ว่างงาน"
PUPIL = "นักเรียน"
STUDENT = "นักศึกษา"
VERIFY_DAYS = 548  # visits are spread over the 18 months before the end of the accounts
SURVEY_DAYS = 365  # needs surveys over the last year

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


# --- the verification drive ---------------------------------------------------------------


@dataclass(frozen=True)
class Drive:
    """How far a village's verification and needs survey have got."""

    checked: float  # share of listed households visited
    found: float  # share of households found on the ground (not on any list)
    surveyed: float  # share of active households with a needs survey
    verifier: str = ""  # the demo user doing the visits ("" for none)
    demo: bool = False  # a demo user's tambon: the drive is under way


# Outcomes of a visit to a listed household: (outcome, weight); deceased only for
# households of elderly people, moves and vanishings more among wage labourers.
OUTCOMES = ((Verification.VERIFIED, 60.0), (Verification.CORRECTED, 8.0), (Verification.NOT_FOUND, 4.0),
            (Verification.MOVED, 2.0))  # fmt: skip
STATUS_BY_OUTCOME = {
    Verification.UNVERIFIED: HouseholdStatus.ACTIVE,
    Verification.VERIFIED: HouseholdStatus.ACTIVE,
    Verification.CORRECTED: HouseholdStatus.ACTIVE,
    Verification.MOVED: HouseholdStatus.MOVED,
    Verification.NOT_FOUND: HouseholdStatus.NOT_FOUND,
    Verification.DECEASED: HouseholdStatus.DISSOLVED,
}
DEMO_CHECKED = 0.75  # 60 + 8 + 4 + 2 + 1 of every hundred listed households
DEMO_FOUND = 0.09  # about one more household for every ten on the lists
CARDLESS = 0.6  # households found on the ground hold no card (or they would be listed)
# Who the lists miss: labourers who rent a room or moved in, elders nobody registered.
FOUND_MORE: dict[str, float] = {OG.WAGE: 1.6, OG.WAGE_PLUS: 1.4, OG.OTHER: 1.4, OG.BUSINESS: 0.6, OG.SALARIED: 0.3}


def drives_plan(*, seed: int, villages: list[Area], demo_tambons: dict[str, str]) -> dict[str, Drive]:
    """Every village's drive. ``demo_tambons`` maps a demo user's tambon to the username."""
    drives: dict[str, Drive] = {}
    for village in villages:
        tambon = village.tambon_code or ""
        rng = rng_for(seed, "drive", village.code)
        if tambon in demo_tambons:
            checked = min(0.95, DEMO_CHECKED * rng.uniform(0.8, 1.2))
            drives[village.code] = Drive(
                checked=checked,
                found=DEMO_FOUND * checked / DEMO_CHECKED,
                surveyed=0.98,
                verifier=demo_tambons[tambon],
                demo=True,
            )
            continue
        pace = rng_for(seed, "drive", tambon)
        level = pace.uniform(0.02, 0.32) if pace.random() < 0.85 else 0.0  # some have not started
        coverage = pace.uniform(0.55, 0.85)
        checked = min(0.5, level * rng.uniform(0.5, 1.5))
        drives[village.code] = Drive(checked=checked, found=DEMO_FOUND * checked / DEMO_CHECKED, surveyed=coverage)
    return drives


def moment(rng: random.Random, day: dt.date) -> dt.datetime:
    """A time in office hours on ``day``, Thai time."""
    minutes = rng.randint(8 * 60 + 30, 16 * 60 + 30)
    naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive, timezone.get_default_timezone())


# --- one household --------------------------------------------------------------------------


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


def home_facts(seed: int, plan: HouseholdPlan, ref: dt.date) -> None:
    rng = rng_for(seed, "home", plan.key)
    record = plan.record
    record.housing = housing_of(rng, plan, ref)
    record.land_tenure = weighted(rng, LAND.get(plan.occupation, LAND_FARM))
    head_age = plan.head.age_on(ref)
    record.council = rng.random() < 0.14 + (0.25 if plan.traits.health_volunteer else 0) + (
        0.06 if head_age >= 50 else 0
    )


def check_facts(seed: int, plan: HouseholdPlan, drive: Drive, *, first: dt.date, ref: dt.date) -> None:
    """Origin, the verification visit (and what it found), consent and the survey date."""
    rng = rng_for(seed, "check", plan.key)
    record = plan.record
    ages = [p.age_on(ref) for p in plan.members]
    if not plan.welfare_card and rng.random() < drive.found / CARDLESS * FOUND_MORE.get(plan.occupation, 1.0):
        record.origin, record.verification = Origin.FIELD, Verification.VERIFIED
    else:
        listed = rng.random() < (0.95 if plan.welfare_card else 0.03)
        record.origin = Origin.WELFARE_REGISTRY if listed else Origin.TAMBON
        if rng.random() < drive.checked:
            wage = 1.5 if plan.occupation in (OG.WAGE, OG.WAGE_PLUS) else 1.0
            elderly = min(ages) >= 60
            deceased = (14.0 if len(ages) == 1 else 4.0) if elderly else 0.0
            weights = [
                (o, w * (wage if o in (Verification.NOT_FOUND, Verification.MOVED) else 1.0)) for o, w in OUTCOMES
            ]
            record.verification = weighted(rng, (*weights, (Verification.DECEASED, deceased)))
    if record.origin == Origin.FIELD:  # some cards were not at hand on the day
        for person in plan.members[1:]:
            person.facts.has_id = rng.random() >= 0.1
    record.status = STATUS_BY_OUTCOME[Verification(record.verification)]
    if record.status != HouseholdStatus.ACTIVE:
        # Found gone during the accounts: the household wrote its accounts until then.
        earliest = min(first + dt.timedelta(days=20), ref)
        record.verified_at = moment(rng, earliest + dt.timedelta(days=rng.randint(0, (ref - earliest).days)))
    elif record.verification != Verification.UNVERIFIED:
        record.verified_at = moment(rng, ref - dt.timedelta(days=rng.randrange(VERIFY_DAYS)))
    if record.verified_at is not None:
        record.verifier = drive.verifier
    visited = record.verified_at is not None and record.status == HouseholdStatus.ACTIVE
    if visited:
        given, refused = (0.88, 0.03) if drive.demo else (0.65, 0.02)
    elif record.status == HouseholdStatus.ACTIVE:
        given, refused = (0.12, 0.0) if drive.demo else (0.04, 0.0)
    else:
        given = refused = 0.0
    r = rng.random()
    record.consent = Consent.GIVEN if r < given else Consent.REFUSED if r < given + refused else Consent.UNKNOWN
    if record.consent != Consent.UNKNOWN:
        asked = record.verified_at if visited else None
        record.consent_at = asked or moment(rng, ref - dt.timedelta(days=rng.randrange(VERIFY_DAYS)))
    if record.status == HouseholdStatus.ACTIVE and rng.random() < drive.surveyed:
        recent = record.verified_at is not None and (ref - record.verified_at.date()).days < SURVEY_DAYS
        survey_day = ref - dt.timedelta(days=rng.randrange(SURVEY_DAYS))
        record.surveyed_at = record.verified_at if recent else moment(rng, survey_day)


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


# --- people recorded twice ------------------------------------------------------------------

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

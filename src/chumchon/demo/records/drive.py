"""The verification drive: how far each village has got, and what a visit found about a
household (origin, verification, consent, the needs survey's date)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from chumchon.areas.models import Area
from chumchon.demo.common import rng_for, weighted
from chumchon.demo.households import HouseholdPlan
from chumchon.registry.models import Consent, HouseholdStatus, Origin, Verification
from chumchon.registry.models import OccupationGroup as OG

VERIFY_DAYS = 548  # visits are spread over the 18 months before the end of the accounts
SURVEY_DAYS = 365  # needs surveys over the last year


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

"""The households planned in memory: how many each village gets, each household with its
code, position and registry record, people recorded twice, national IDs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from chumchon.areas.models import Area
from chumchon.core import national_id
from chumchon.demo.common import apportion, rng_for
from chumchon.demo.households import HouseholdPlan, house_numbers, household_plan, village_surnames
from chumchon.demo.places import DemoAreas, jitter, tambon_centroid
from chumchon.demo.records import Drive, duplicates_plant, record_plan
from chumchon.registry.models import Household, Member

MIN_DEMO_VILLAGE = 20
MIN_DEMO_TAMBON = 40


def allocate(*, seed: int, villages: list[Area], total: int, areas: DemoAreas, village: Area) -> dict[str, int]:
    """How many households each village gets.

    The demo tambon gets 12% of ``total`` (at least 40), a third of them in the demo
    village (at least 20); the other demo tambon 8% (at least 40); the rest is spread
    over the other villages by size. Small totals are raised to these minimums.
    """
    weight = {v.code: rng_for(seed, "size", v.code).uniform(0.5, 1.6) for v in villages}
    counts = dict.fromkeys(weight, 0)
    own = max(MIN_DEMO_TAMBON, round(total * 0.12))
    other = max(MIN_DEMO_TAMBON, round(total * 0.08)) if areas.other_tambon != areas.tambon else 0
    in_tambon = [v for v in villages if v.tambon_code == areas.tambon.code and v.code != village.code]
    counts[village.code] = max(MIN_DEMO_VILLAGE, round(own / 3)) if in_tambon else own
    _spread(counts, weight, in_tambon, own - counts[village.code])
    _spread(counts, weight, [v for v in villages if v.tambon_code == areas.other_tambon.code], other)
    demo_tambons = {areas.tambon.code, areas.other_tambon.code}
    _spread(counts, weight, [v for v in villages if v.tambon_code not in demo_tambons], total - own - other)
    return counts


def _spread(counts: dict[str, int], weight: dict[str, float], villages: list[Area], total: int) -> None:
    for v, n in zip(villages, apportion(max(total, 0), [weight[v.code] for v in villages]), strict=True):
        counts[v.code] += n


def plans_build(*, seed: int, villages: list[Area], counts: dict[str, int], ref: dt.date) -> list[HouseholdPlan]:
    """Plan every household, with codes unique in the tambon and positions near the village."""
    taken: dict[str, set[str]] = defaultdict(set)
    tambon_codes = sorted({v.tambon_code for v in villages if counts[v.code] and v.tambon_code})
    for tambon_code, code in Household.objects.filter(tambon_code__in=tambon_codes).values_list("tambon_code", "code"):
        taken[tambon_code].add(code)
    plans: list[HouseholdPlan] = []
    centres: dict[str, tuple[float, float] | None] = {}
    for village in villages:
        count = counts[village.code]
        if not count:
            continue
        tambon_code = village.tambon_code or ""
        surnames = village_surnames(seed, village)
        numbers = house_numbers(seed, village, count)
        if village.lat is not None and village.lon is not None:
            centre: tuple[float, float] | None = (float(village.lat), float(village.lon))
        else:
            if tambon_code not in centres:
                tambon = Area.objects.get(code=tambon_code)
                centres[tambon_code] = tambon_centroid(seed, tambon)
            centre = centres[tambon_code]
        running = 0
        for n in range(1, count + 1):
            plan = household_plan(seed=seed, village=village, number=n, ref=ref, surnames=surnames)
            running += 1
            while (code := f"{village.village_no or 0:02d}-{running:04d}") in taken[tambon_code]:
                running += 1
            taken[tambon_code].add(code)
            plan.code, plan.house_no = code, numbers[n - 1]
            plan.lat, plan.lon = jitter(village.province_code, centre, rng_for(seed, "pos", plan.key), 0.004)
            plans.append(plan)
    return plans


def records_plan(
    *, seed: int, plans: list[HouseholdPlan], drives: dict[str, Drive], first: dt.date, ref: dt.date
) -> int:
    """Every household's registry record, then people recorded twice in the demo users'
    tambons (the verifiers' tambons); returns how many were recorded twice."""
    for plan in plans:
        record_plan(seed, plan, drives[plan.village.code], first=first, ref=ref)
    demo_tambons = sorted({p.village.tambon_code or "" for p in plans if drives[p.village.code].demo})
    return sum(duplicates_plant(seed, plans, tambon, ref) for tambon in demo_tambons)


def national_ids_assign(*, seed: int, plans: list[HouseholdPlan]) -> dict[int, str]:
    """Give every person a valid, unused 13-digit ID; returns the lookup hash by ``id(person)``.

    The first digit follows the card's type (1: registered at birth, from 1984; 3:
    already in the 1984 house registers), then the district office's code. A
    collision with an existing member (or within the run) draws again, deterministically.
    """
    people = [(plan, i, p) for plan in plans for i, p in enumerate(plan.members) if p.facts.has_id]
    attempts = [0] * len(people)
    hashes: dict[int, str] = {}
    used: set[str] = set()
    pending = list(range(len(people)))
    while pending:
        drawn: dict[int, tuple[str, str]] = {}
        for idx in pending:
            plan, i, person = people[idx]
            rng = rng_for(seed, "nid", plan.key, i, attempts[idx])
            kind = "1" if person.birth_date.year >= 1984 else "3"
            office = plan.village.district_code or f"{plan.village.province_code}01"
            nid = national_id.with_check_digit(f"{kind}{office}{rng.randrange(10**7):07d}")
            drawn[idx] = (nid, national_id.lookup_hash(nid))
        existing: set[str] = set()
        all_hashes = [h for _, h in drawn.values()]
        for start in range(0, len(all_hashes), 500):
            found = Member.objects.filter(national_id_hash__in=all_hashes[start : start + 500])
            existing.update(h for h in found.values_list("national_id_hash", flat=True) if h)
        retry = []
        for idx in pending:
            nid, digest = drawn[idx]
            if nid in used or digest in existing:
                attempts[idx] += 1
                retry.append(idx)
                continue
            used.add(nid)
            people[idx][2].national_id = nid
            hashes[id(people[idx][2])] = digest
        pending = retry
    return hashes

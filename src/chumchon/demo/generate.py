"""Generate (or reset) the demo province in one transaction.

Order of work: villages for every tambon that has none; households spread over the
villages (the demo users' tambons and village always get a good share), each with its
registry record (:mod:`chumchon.demo.records`: verification, housing, members' schooling,
work and health, a few people recorded twice); the demo users (who verified the
records of their tambons); members with encrypted national IDs; debts; the account
lines, household by household, written in batches through
:func:`chumchon.demo.ledger.ledger_entries_insert`; the needs survey, answered from
each household's circumstances and its year of accounts (:mod:`chumchon.demo.needs`),
with the dimension flags set as the indicator service sets them; each tambon's
council and welfare fund with their member households; last, the province's
duplicates scan fills the review queue.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from chumchon.access.models import Action, User
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Level
from chumchon.core import national_id
from chumchon.core.thai import Month, months_between
from chumchon.demo.common import apportion, rng_for
from chumchon.demo.community import memberships_build, organisations_ensure
from chumchon.demo.households import (
    HouseholdPlan,
    house_numbers,
    household_plan,
    village_surnames,
)
from chumchon.demo.ledger import (
    EntryMaker,
    household_lines,
    income_lines,
    ledger_entries_delete,
    ledger_entries_insert,
    rows_insert,
)
from chumchon.demo.needs import cash_income, income_per_person, survey_answers
from chumchon.demo.places import (
    DemoAreas,
    DemoError,
    demo_areas_resolve,
    demo_village,
    jitter,
    tambon_centroid,
    villages_ensure,
)
from chumchon.demo.records import Drive, drives_plan, duplicates_plant, record_plan
from chumchon.demo.users import (
    DEMO_USERNAMES,
    DemoLogin,
    demo_assignments_delete,
    demo_logins,
    demo_users_ensure,
)
from chumchon.ledgers.models import Category, EntrySource, LedgerEntry
from chumchon.registry.models import (
    DIMENSION_FIELDS,
    Debt,
    DuplicateCandidate,
    Household,
    HouseholdIndicator,
    Indicator,
    IndicatorEdition,
    Member,
    Organisation,
    OrganisationMembership,
)
from chumchon.registry.services.duplicates import duplicates_scan

DEFAULT_PROVINCE = "37"
DEFAULT_HOUSEHOLDS = 1000  # ~340,000 account lines: 15–30 s on SQLite here (see ledger_entries_insert)
DEFAULT_MONTHS = 12
DEFAULT_SEED = 1
MIN_DEMO_VILLAGE = 20
MIN_DEMO_TAMBON = 40
FLUSH_ENTRIES = 20_000
ACTOR = "cli:demo"


@dataclass(frozen=True)
class DemoOptions:
    end: Month
    province: str = DEFAULT_PROVINCE
    households: int = DEFAULT_HOUSEHOLDS
    months: int = DEFAULT_MONTHS
    seed: int = DEFAULT_SEED

    @property
    def first(self) -> Month:
        return self.end.add(1 - self.months)


@dataclass(frozen=True)
class DemoCounts:
    villages: int = 0
    households: int = 0
    members: int = 0
    debts: int = 0
    ledger_entries: int = 0
    users: int = 0
    organisations: int = 0
    surveyed: int = 0  # households with a needs survey
    target: int = 0  # households failing a dimension and holding the welfare card
    duplicates: int = 0  # candidate pairs waiting for review

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class DemoResult:
    counts: DemoCounts  # what this run created
    logins: list[DemoLogin]
    province: Area


def default_end(today: dt.date | None = None) -> Month:
    """The last complete month before today."""
    return Month.of(today or timezone.localdate()).previous()


# --- reading -----------------------------------------------------------------------


def demo_households(province_code: str) -> QuerySet[Household]:
    """Households of the province that hold demo account lines (what ``--reset`` removes)."""
    demo_lines = LedgerEntry.objects.filter(household=OuterRef("pk"), source=EntrySource.DEMO)
    return Household.objects.filter(province_code=province_code).filter(Exists(demo_lines))


def province_counts(province_code: str) -> DemoCounts:
    """What the province holds now (all households, not only demo ones)."""
    households = Household.objects.filter(province_code=province_code)
    answered = HouseholdIndicator.objects.filter(household=OuterRef("pk"))
    return DemoCounts(
        villages=Area.objects.filter(province_code=province_code, level=Level.VILLAGE).count(),
        households=households.count(),
        members=Member.objects.filter(household__province_code=province_code).count(),
        debts=Debt.objects.filter(household__province_code=province_code).count(),
        ledger_entries=LedgerEntry.objects.filter(province_code=province_code).count(),
        users=User.objects.filter(username__in=DEMO_USERNAMES).count(),
        organisations=Organisation.objects.filter(tambon__province_code=province_code).count(),
        surveyed=households.filter(Exists(answered)).count(),
        target=households.filter(is_target=True).count(),
        duplicates=DuplicateCandidate.objects.filter(
            tambon_code__startswith=province_code, status=DuplicateCandidate.Status.OPEN
        ).count(),
    )


# --- reset -------------------------------------------------------------------------


def demo_reset(province_code: str) -> DemoCounts:
    """Delete the province's demo households (with members, debts, every account line,
    needs answers and memberships) and the demo users' assignments.

    Duplicate candidates naming a demo member go first: their links are SET_NULL, so
    deleting the members would leave empty pairs behind. The tambons' organisations
    stay (see :mod:`chumchon.demo.community`). Audit events stay: the log is append-only.
    """
    households = demo_households(province_code)
    members = Member.objects.filter(household__in=households).count()
    debts = Debt.objects.filter(household__in=households).count()
    ids = sorted(households.values_list("pk", flat=True))
    entries = ledger_entries_delete(ids)
    duplicates = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        pairs = DuplicateCandidate.objects.filter(
            Q(member_a__household_id__in=chunk) | Q(member_b__household_id__in=chunk)
        )
        duplicates += pairs.delete()[0]
    for start in range(0, len(ids), 500):
        Household.objects.filter(pk__in=ids[start : start + 500]).delete()
    demo_assignments_delete()
    return DemoCounts(households=len(ids), members=members, debts=debts, ledger_entries=entries, duplicates=duplicates)


# --- households ---------------------------------------------------------------------


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


def registry_insert(
    *, plans: list[HouseholdPlan], hashes: dict[int, str], as_of: dt.date, users: dict[str, User]
) -> list[Household]:
    """Households, members (IDs encrypted) and debts; returns the saved households in plan order."""
    households = [
        Household(
            code=p.code,
            village=p.village,
            province_code=p.village.province_code,
            district_code=p.village.district_code or "",
            tambon_code=p.village.tambon_code or "",
            house_no=p.house_no,
            lat=p.lat,
            lon=p.lon,
            occupation_group=p.occupation,
            welfare_card=p.welfare_card,
            members_count=len(p.people),
            status=p.record.status,
            housing=p.record.housing,
            land_tenure=p.record.land_tenure,
            origin=p.record.origin,
            verification=p.record.verification,
            verified_at=p.record.verified_at,
            verified_by=users.get(p.record.verifier),
            consent=p.record.consent,
            consent_at=p.record.consent_at,
        )
        for p in plans
    ]
    Household.objects.bulk_create(households, batch_size=500)
    members = [
        Member(
            household=h,
            is_head=person.is_head,
            title=person.title,
            first_name=person.first_name,
            last_name=person.last_name,
            national_id_encrypted=national_id.encrypt(person.national_id) if person.national_id else "",
            national_id_hash=hashes.get(id(person)),
            birth_date=person.birth_date,
            sex=person.sex,
            relation=person.relation,
            education=person.facts.education,
            occupation=person.facts.occupation,
            disability=person.facts.disability,
            chronic_illness=person.facts.chronic_illness,
            bedridden=person.facts.bedridden,
            elderly_living_alone=person.facts.elderly_living_alone,
            status=person.facts.status,
        )
        for h, p in zip(households, plans, strict=True)
        for person in p.people
    ]
    Member.objects.bulk_create(members, batch_size=500)
    debts = [
        Debt(
            household=h,
            source=d.source,
            principal=d.principal,
            interest_rate=d.rate,
            monthly_payment=d.monthly_payment,
            as_of=as_of,
        )
        for h, p in zip(households, plans, strict=True)
        for d in p.debts
    ]
    Debt.objects.bulk_create(debts, batch_size=500)
    return households


def ledgers_insert(
    *, seed: int, plans: list[HouseholdPlan], households: list[Household], months: list[Month]
) -> tuple[int, list[Decimal]]:
    """Every household's account lines, flushed in batches through the one insert path.

    A household found gone (moved, not found, deceased) wrote its accounts until the
    day it was found gone. Returns how many lines, and each household's cash income
    over the twelve months to the last month (for the needs survey; months before
    the accounts are drawn as the accounts would have drawn them).
    """
    maker = EntryMaker()
    buffer: list[LedgerEntry] = []
    written = 0
    year = months_between(months[-1].add(-11), months[-1])
    since = year[0].first_day
    before = [m for m in year if m < months[0]]
    incomes: list[Decimal] = []
    for plan, household in zip(plans, households, strict=True):
        lines = household_lines(seed=seed, plan=plan, months=months)
        cash = cash_income(line for line in lines if line[0] >= since)
        if before:
            cash += cash_income(income_lines(seed=seed, plan=plan, months=before))
        incomes.append(cash)
        gone = plan.record.left_on
        if gone is not None:
            lines = [line for line in lines if line[0] < gone] or lines[:1]
        buffer.extend(maker.entries(household, lines))
        if len(buffer) >= FLUSH_ENTRIES:
            written += ledger_entries_insert(buffer)
            buffer = []
    return written + ledger_entries_insert(buffer), incomes


def survey_insert(
    *,
    seed: int,
    plans: list[HouseholdPlan],
    households: list[Household],
    incomes: list[Decimal],
    ref: dt.date,
    users: dict[str, User],
) -> tuple[int, int]:
    """The needs survey of every surveyed household (every indicator of the current
    edition answered), then the dimension flags and target status exactly as
    :func:`chumchon.registry.services.indicators.dimensions_recompute` derives them.
    Returns (surveyed, target)."""
    edition = IndicatorEdition.objects.filter(is_current=True).first()
    indicators = list(Indicator.objects.filter(edition=edition).order_by("sort_order")) if edition else []
    rows: list[tuple[int, int, bool, dt.datetime, int | None]] = []
    flags: dict[tuple[frozenset[str], bool], list[int]] = defaultdict(list)
    surveyed = target = 0
    for plan, household, cash in zip(plans, households, incomes, strict=True):
        record = plan.record
        if record.surveyed_at is None or not indicators:
            continue
        answers = survey_answers(seed, plan, ref, income_per_person(plan, cash))
        user = users.get(record.verifier)
        failed: set[str] = set()
        for indicator in indicators:
            fails = answers.get(indicator.code, False)
            rows.append((household.pk, indicator.pk, fails, record.surveyed_at, user.pk if user else None))
            if fails:
                failed.add(indicator.dimension)
        is_target = bool(failed) and household.welfare_card
        surveyed += 1
        target += is_target
        if failed:
            flags[(frozenset(failed), is_target)].append(household.pk)
    rows_insert(HouseholdIndicator, ["household_id", "indicator_id", "failed", "recorded_at", "recorded_by_id"], rows)
    for (failed_dims, is_target), ids in flags.items():
        values = {field: d.value in failed_dims for d, field in DIMENSION_FIELDS.items()}
        for start in range(0, len(ids), 500):
            Household.objects.filter(pk__in=ids[start : start + 500]).update(
                **values, dimensions_failed=len(failed_dims), is_target=is_target
            )
    return surveyed, target


def organisations_insert(*, seed: int, plans: list[HouseholdPlan], households: list[Household], before: dt.date) -> int:
    """Each tambon's council and welfare fund (created where missing) and the demo
    households' memberships; returns how many organisations were created."""
    tambons = list(Area.objects.filter(code__in={h.tambon_code for h in households}).order_by("code"))
    organisations, created = organisations_ensure(seed=seed, tambons=tambons)
    rows = memberships_build(seed=seed, plans=plans, households=households, organisations=organisations, before=before)
    OrganisationMembership.objects.bulk_create(rows, batch_size=500)
    return created


# --- the whole run ------------------------------------------------------------------


def check_ready() -> None:
    missing = sorted({"I02", "C02", "F01"} - set(Category.objects.values_list("code", flat=True)))
    if missing:
        raise DemoError("ยังไม่มีหมวดบัญชีมาตรฐาน (รัน chumchon init ก่อน)")


def demo_generate(options: DemoOptions, *, reset: bool = False) -> DemoResult:
    """Create the demo province and users in one transaction (after ``--reset``, anew)."""
    check_ready()
    actor = Actor.system(ACTOR)
    with transaction.atomic():
        areas = demo_areas_resolve(options.province)
        if reset:
            removed = demo_reset(options.province)
            audit_record(
                actor=actor,
                action=Action.DELETE,
                object_type="demo",
                object_id=options.province,
                area_code=options.province,
                detail=removed.as_dict(),
            )
        elif demo_households(options.province).exists():
            raise DemoError(f"{areas.province.display_name} มีข้อมูลสาธิตอยู่แล้ว: ใช้ --reset เพื่อสร้างใหม่ หรือ --if-empty")
        villages, villages_created = villages_ensure(seed=options.seed, province=areas.province)
        village = demo_village(villages, areas.tambon)
        counts = allocate(seed=options.seed, villages=villages, total=options.households, areas=areas, village=village)
        months = months_between(options.first, options.end)
        ref = options.end.last_day
        plans = plans_build(seed=options.seed, villages=villages, counts=counts, ref=ref)
        verifiers = {areas.other_tambon.code: "demo-tambon-other", areas.tambon.code: "demo-tambon"}
        drives = drives_plan(seed=options.seed, villages=villages, demo_tambons=verifiers)
        records_plan(seed=options.seed, plans=plans, drives=drives, first=options.first.first_day, ref=ref)
        hashes = national_ids_assign(seed=options.seed, plans=plans)
        logins = demo_logins(areas, village)
        demo_users_ensure(logins, actor=actor)
        users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
        households = registry_insert(plans=plans, hashes=hashes, as_of=options.first.first_day, users=users)
        entries, incomes = ledgers_insert(seed=options.seed, plans=plans, households=households, months=months)
        surveyed, target = survey_insert(
            seed=options.seed, plans=plans, households=households, incomes=incomes, ref=ref, users=users
        )
        organisations = organisations_insert(
            seed=options.seed, plans=plans, households=households, before=options.first.first_day
        )
        duplicates = duplicates_scan(area_code=options.province)
        created = DemoCounts(
            villages=villages_created,
            households=len(plans),
            members=sum(len(p.people) for p in plans),
            debts=sum(len(p.debts) for p in plans),
            ledger_entries=entries,
            users=len(logins),
            organisations=organisations,
            surveyed=surveyed,
            target=target,
            duplicates=duplicates,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="demo",
            object_id=options.province,
            area_code=options.province,
            detail={
                **created.as_dict(),
                "seed": options.seed,
                "from": options.first.iso(),
                "to": options.end.iso(),
            },
        )
    return DemoResult(counts=created, logins=logins, province=areas.province)

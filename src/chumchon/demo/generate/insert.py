"""The planned households written to the database: registry rows, account lines, the
needs survey, and the tambons' organisations with their members."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from functools import partial

from chumchon.access.models import User
from chumchon.areas.models import Area
from chumchon.core import national_id
from chumchon.core.thai import Month, months_between
from chumchon.demo.community import memberships_build, organisations_ensure
from chumchon.demo.enterprises import EnterprisePlan, enterprise_of, enterprises_plan
from chumchon.demo.households import HouseholdPlan
from chumchon.demo.ledger import EntryMaker, household_lines, income_lines, ledger_entries_insert, rows_insert
from chumchon.demo.needs import cash_income, income_per_person, survey_answers
from chumchon.ledgers.models import Enterprise, LedgerEntry
from chumchon.registry.models import (
    DIMENSION_FIELDS,
    Debt,
    Household,
    HouseholdIndicator,
    HouseholdStatus,
    Indicator,
    IndicatorEdition,
    Member,
    OrganisationMembership,
)
from chumchon.registry.versions import registry_touch

FLUSH_ENTRIES = 20_000


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
            left_on=p.record.left_on,
            housing=p.record.housing,
            land_tenure=p.record.land_tenure,
            origin=p.record.origin,
            verification=p.record.verification,
            verified_at=p.record.verified_at,
            verified_by=users.get(p.record.verifier),
            consent=p.record.consent,
            consent_at=p.record.consent_at,
            is_demo=True,
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
    registry_touch(h.province_code for h in households)
    return households


def enterprises_insert(
    *, seed: int, plans: list[HouseholdPlan], households: list[Household], months: list[Month]
) -> dict[int, list[EnterprisePlan]]:
    """The households' enterprises (:mod:`chumchon.demo.enterprises`), saved; by household pk."""
    planned = {
        h.pk: found
        for plan, h in zip(plans, households, strict=True)
        if (found := enterprises_plan(seed, plan, months))
    }
    rows = [
        Enterprise(
            household_id=pk, name=e.name, kind=e.kind, season=e.season, area_rai=e.area_rai,
            starts_on=e.starts_on, ends_on=e.ends_on,
        )
        for pk, found in planned.items()
        for e in found
    ]  # fmt: skip
    Enterprise.objects.bulk_create(rows, batch_size=500)
    saved = iter(rows)
    for found in planned.values():
        for e in found:
            e.pk = next(saved).pk
    return planned


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
    enterprises = enterprises_insert(seed=seed, plans=plans, households=households, months=months)
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
        if plan.record.status == HouseholdStatus.NOT_FOUND:
            lines = []  # it never lived here: nobody wrote its accounts
        elif gone is not None:
            lines = [line for line in lines if line[0] < gone]  # none after the day it left
        own = enterprises.get(household.pk)
        buffer.extend(maker.entries(household, lines, partial(enterprise_of, own) if own else None))
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

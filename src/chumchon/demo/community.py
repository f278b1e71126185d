"""Each tambon's community organisation council and community welfare fund.

Councils (สภาองค์กรชุมชนตำบล) were registered after the Community Organisation Council
Act of 2551 (2008), most by 2555; community welfare funds (กองทุนสวัสดิการชุมชน,
"one baht a day") spread from the same years to about 2562. A tambon that already has
a council or a fund keeps it: ``--reset`` leaves organisations in place (they are the
tambon's, like its villages); the demo households' memberships go with the households.

Fund members are the households whose accounts show the monthly contribution (see
``Traits.welfare_fund``: 40–60% of a tambon, fewer of the poorest); about a fifth of
households sit on the council through a village group.
"""

from __future__ import annotations

import datetime as dt

from chumchon.areas.models import Area
from chumchon.demo.common import rng_for
from chumchon.demo.households import HouseholdPlan
from chumchon.registry.models import Household, HouseholdStatus, Organisation, OrganisationMembership

KINDS = (
    # kind, name prefix, first and last year registered (CE)
    (Organisation.Kind.COUNCIL, "สภาองค์กรชุมชนตำบล", 2008, 2012),
    (Organisation.Kind.WELFARE_FUND, "กองทุนสวัสดิการชุมชนตำบล", 2010, 2019),
)


def registered_on(seed: int, tambon_code: str, kind: str, first: int, last: int) -> dt.date:
    rng = rng_for(seed, "organisation", tambon_code, kind)
    start = dt.date(first, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(last, 12, 31) - start).days))


def organisations_ensure(*, seed: int, tambons: list[Area]) -> tuple[dict[tuple[str, str], Organisation], int]:
    """The council and the fund of each tambon, created where missing; returns them by
    (tambon code, kind) and how many were created."""
    existing: dict[tuple[str, str], Organisation] = {}
    for org in Organisation.objects.filter(tambon__in=tambons).order_by("tambon_id", "kind", "pk"):
        existing.setdefault((org.tambon_id, org.kind), org)
    new = [
        Organisation(
            tambon=tambon,
            kind=kind,
            name=f"{prefix}{tambon.name_th}",
            registered_on=registered_on(seed, tambon.code, kind, first, last),
        )
        for tambon in tambons
        for kind, prefix, first, last in KINDS
        if (tambon.code, kind) not in existing
    ]
    Organisation.objects.bulk_create(new, batch_size=500)
    for org in new:
        existing[(org.tambon_id, org.kind)] = org
    return existing, len(new)


def memberships_build(
    *,
    seed: int,
    plans: list[HouseholdPlan],
    households: list[Household],
    organisations: dict[tuple[str, str], Organisation],
    before: dt.date,
) -> list[OrganisationMembership]:
    """Unsaved memberships: joined after the organisation's registration and before the
    accounts begin (``before``); households found gone left on the day they were found."""
    rows: list[OrganisationMembership] = []
    for plan, household in zip(plans, households, strict=True):
        rng = rng_for(seed, "member-of", plan.key)
        record = plan.record
        left = record.left_on if record.status != HouseholdStatus.ACTIVE else None
        for kind, joined in (
            (Organisation.Kind.WELFARE_FUND, plan.traits.welfare_fund),
            (Organisation.Kind.COUNCIL, record.council),
        ):
            org = organisations.get((household.tambon_code, kind))
            if not joined or org is None:
                continue
            start = org.registered_on or dt.date(2010, 1, 1)
            days = max(1, (before - start).days)
            rows.append(
                OrganisationMembership(
                    organisation=org,
                    household=household,
                    joined_on=start + dt.timedelta(days=rng.randrange(days)),
                    left_on=left,
                )
            )
    return rows

"""Reads of the registry. Scope lives here and only here for households."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, under_q
from chumchon.registry.models import (
    DIMENSION_FIELDS,
    Dimension,
    DuplicateCandidate,
    Household,
    HouseholdIndicator,
    HouseholdQuerySet,
    Indicator,
    IndicatorEdition,
    Member,
    Organisation,
    Origin,
    Verification,
)


def households_qs_for_user(user: object) -> HouseholdQuerySet:
    """Households whose person-level data ``user`` may read today."""
    return Household.objects.filter(scope_of(user).person_q())


def household_get_for_user(user: object, pk: int) -> Household:
    """One household, or ``Household.DoesNotExist`` if missing *or* out of scope."""
    return households_qs_for_user(user).select_related("village").get(pk=pk)


def households_in_area_for_user(user: object, area_code: str) -> HouseholdQuerySet:
    return households_qs_for_user(user).filter(under_q(area_code, village_field="village_id"))


def household_count_in_area(area_code: str) -> int:
    """Active households registered at or under an area (an aggregate, not person data)."""
    return Household.objects.active().filter(under_q(area_code, village_field="village_id")).count()


def household_counts_by_child(area_code: str, child_level: str) -> dict[str, int]:
    """Active households per child area of ``area_code`` (``""`` is the whole country)."""
    column = {
        "province": "province_code",
        "district": "district_code",
        "tambon": "tambon_code",
        "village": "village_id",
    }[child_level]
    qs = Household.objects.active()
    if area_code:
        qs = qs.filter(under_q(area_code, village_field="village_id"))
    rows = qs.values_list(column).annotate(n=Count("id"))
    return dict(rows)


# --- aggregates ---------------------------------------------------------------------

SMALL_CELL = 5  # aggregate-only roles never see a count of 1–4 households


def suppress_for(user: object, area_code: str, value: int) -> int | None:
    """``None`` in place of a count of 1–4 for users who may not see persons here."""
    if 0 < value < SMALL_CELL and not scope_of(user).can_read_persons_in(area_code):
        return None
    return value


@dataclass(frozen=True)
class NeedsSummary:
    area_code: str
    households: int | None
    surveyed: int | None
    welfare_card: int | None
    target: int | None
    by_dimension: dict[str, int | None]
    by_indicator: list[tuple[Indicator, int | None]]
    any_dimension: int | None


def needs_summary_for_user(user: object, area_code: str) -> NeedsSummary:
    """Counts per dimension and per indicator of the active households under an area."""
    base = Household.objects.active().filter(under_q(area_code, village_field="village_id"))
    totals = base.aggregate(
        households=Count("id"),
        welfare_card=Count("id", filter=Q(welfare_card=True)),
        target=Count("id", filter=Q(is_target=True)),
        any_dimension=Count("id", filter=Q(dimensions_failed__gt=0)),
        **{d.value: Count("id", filter=Q(**{field: True})) for d, field in DIMENSION_FIELDS.items()},
    )
    # Counted apart: a join on the answers would multiply the rows counted above.
    surveyed = base.filter(Exists(HouseholdIndicator.objects.filter(household=OuterRef("pk")))).count()
    edition = IndicatorEdition.objects.filter(is_current=True).first()
    indicators = list(Indicator.objects.filter(edition=edition).order_by("sort_order")) if edition else []
    failing = dict(
        HouseholdIndicator.objects.filter(household__in=base, failed=True, indicator__edition=edition)
        .values_list("indicator_id")
        .annotate(n=Count("id"))
    )

    def s(n: int) -> int | None:
        return suppress_for(user, area_code, n)

    return NeedsSummary(
        area_code=area_code,
        households=s(totals["households"]),
        surveyed=s(surveyed),
        welfare_card=s(totals["welfare_card"]),
        target=s(totals["target"]),
        by_dimension={d.value: s(totals[d.value]) for d in Dimension},
        by_indicator=[(i, s(failing.get(i.pk, 0))) for i in indicators],
        any_dimension=s(totals["any_dimension"]),
    )


STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class VerificationRow:
    village: Area
    households: int
    verified: int
    unverified: int
    not_found: int
    stale: int

    @property
    def progress(self) -> int:
        return round(100 * self.verified / self.households) if self.households else 0


@dataclass(frozen=True)
class VerificationReport:
    registered: int  # from the state welfare card registry
    verified: int  # listed households checked on the ground (as they were, or corrected)
    corrected: int
    newly_found: int  # found on the ground, not in any list
    not_found: int
    moved: int
    deceased: int
    unverified: int
    real: int  # households that really live here: verified + newly found
    villages: list[VerificationRow]


def verification_report_for_user(user: object, area_code: str) -> VerificationReport:
    """Krabi's figure: registered vs verified vs newly found vs not found, by village."""
    qs = Household.objects.filter(under_q(area_code, village_field="village_id"), erased_at__isnull=True)
    stale_before = timezone.now() - dt.timedelta(days=STALE_AFTER_DAYS)
    verified_q = Q(verification__in=[Verification.VERIFIED, Verification.CORRECTED])
    totals = qs.aggregate(
        registered=Count("id", filter=Q(origin=Origin.WELFARE_REGISTRY)),
        verified=Count("id", filter=verified_q & ~Q(origin=Origin.FIELD)),
        corrected=Count("id", filter=Q(verification=Verification.CORRECTED)),
        newly_found=Count("id", filter=Q(origin=Origin.FIELD)),
        not_found=Count("id", filter=Q(verification=Verification.NOT_FOUND)),
        moved=Count("id", filter=Q(verification=Verification.MOVED)),
        deceased=Count("id", filter=Q(verification=Verification.DECEASED)),
        unverified=Count("id", filter=Q(verification=Verification.UNVERIFIED)),
        real=Count("id", filter=verified_q | Q(origin=Origin.FIELD)),
    )
    rows = (
        qs.values("village_id")
        .annotate(
            households=Count("id"),
            verified=Count("id", filter=verified_q),
            unverified=Count("id", filter=Q(verification=Verification.UNVERIFIED)),
            not_found=Count("id", filter=Q(verification=Verification.NOT_FOUND)),
            stale=Count(
                "id", filter=Q(status="active") & (Q(verified_at__isnull=True) | Q(verified_at__lt=stale_before))
            ),
        )
        .order_by("village_id")
    )
    villages = {a.code: a for a in Area.objects.filter(code__in=[r["village_id"] for r in rows])}
    return VerificationReport(
        **totals,
        villages=[
            VerificationRow(
                village=villages[r["village_id"]],
                households=r["households"],
                verified=r["verified"],
                unverified=r["unverified"],
                not_found=r["not_found"],
                stale=r["stale"],
            )
            for r in rows
        ],
    )


@dataclass(frozen=True)
class FundShare:
    target: int | None
    target_in_fund: int | None

    @property
    def percent(self) -> int | None:
        if not self.target or self.target_in_fund is None:
            return None
        return round(100 * self.target_in_fund / self.target)


def welfare_fund_share_for_user(user: object, area_code: str) -> FundShare:
    """What share of target households belong to a community welfare fund."""
    qs = Household.objects.active().filter(under_q(area_code, village_field="village_id"), is_target=True)
    target = qs.count()
    in_fund = (
        qs.filter(memberships__organisation__kind=Organisation.Kind.WELFARE_FUND, memberships__left_on__isnull=True)
        .distinct()
        .count()
    )
    return FundShare(
        target=suppress_for(user, area_code, target), target_in_fund=suppress_for(user, area_code, in_fund)
    )


def household_filter_q(
    *, dimension: str = "", indicator: int | None = None, target: bool = False, verification: str = ""
) -> Q:
    """The filters behind each figure, so a number opens the households it counts."""
    q = Q()
    if dimension:
        q &= Q(**{DIMENSION_FIELDS[Dimension(dimension)]: True})
    if indicator:
        q &= Q(indicators__indicator_id=indicator, indicators__failed=True)
    if target:
        q &= Q(is_target=True)
    if verification:
        q &= Q(verification=verification)
    return q


def duplicates_open_for_user(user: object) -> QuerySet[DuplicateCandidate]:
    """Open candidates whose two members the user may both see."""
    scope = scope_of(user)
    visible = Member.objects.filter(scope.person_q(prefix="household__"))
    return (
        DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN)
        .filter(member_a__in=visible, member_b__in=visible)
        .select_related("member_a__household__village", "member_b__household__village")
    )


def duplicates_open_count_for_user(user: object, area_code: str) -> int:
    """Open candidate pairs of ``duplicates_open_for_user`` with a member at or under the area."""
    return (
        duplicates_open_for_user(user)
        .filter(
            under_q(area_code, prefix="member_a__household__", village_field="village_id")
            | under_q(area_code, prefix="member_b__household__", village_field="village_id")
        )
        .count()
    )


def verifications_stale_count(area_code: str, *, now: dt.datetime | None = None) -> int:
    """Active households at or under the area last verified more than ``STALE_AFTER_DAYS``
    ago (a verification goes stale: people move, die, are born). Households never
    verified are not stale but unverified (``verification_report_for_user``)."""
    stale_before = (now or timezone.now()) - dt.timedelta(days=STALE_AFTER_DAYS)
    return (
        Household.objects.active()
        .filter(under_q(area_code, village_field="village_id"), erased_at__isnull=True, verified_at__lt=stale_before)
        .count()
    )


def organisations_in_tambon(tambon_code: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(tambon_id=tambon_code).annotate(
        members=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )


@dataclass(frozen=True)
class HouseholdPoint:
    pk: int
    code: str
    lat: float
    lon: float
    dimensions_failed: int
    is_target: bool


def household_points_for_user(user: object, area_code: str) -> list[HouseholdPoint]:
    """Located households under an area, for a person-level map (scoped)."""
    rows = (
        households_in_area_for_user(user, area_code)
        .active()
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list("pk", "code", "lat", "lon", "dimensions_failed", "is_target")
    )
    return [
        HouseholdPoint(pk, code, float(lat or 0), float(lon or 0), dims, target)
        for pk, code, lat, lon, dims, target in rows
    ]


@dataclass(frozen=True)
class VillageFigure:
    village: Area
    households: int | None
    target: int | None
    lat: float | None
    lon: float | None


def village_figures_for_user(user: object, area_code: str) -> list[VillageFigure]:
    """Households and target households per village under an area (aggregates; small
    cells hidden from aggregate-only roles), placed at the village centroid — the
    uploaded one, else the mean of its households' coordinates."""
    counts = {
        row["village_id"]: row
        for row in Household.objects.active()
        .filter(under_q(area_code, village_field="village_id"))
        .values("village_id")
        .annotate(n=Count("id"), target=Count("id", filter=Q(is_target=True)), lat=Avg("lat"), lon=Avg("lon"))
    }
    villages = Area.objects.filter(under_q(area_code), level="village").order_by("code")
    out = []
    for v in villages:
        row: dict[str, Any] = dict(counts.get(v.code, {}))
        lat = float(v.lat) if v.lat is not None else (float(row["lat"]) if row.get("lat") is not None else None)
        lon = float(v.lon) if v.lon is not None else (float(row["lon"]) if row.get("lon") is not None else None)
        out.append(
            VillageFigure(
                village=v,
                households=suppress_for(user, v.code, row.get("n", 0)),
                target=suppress_for(user, v.code, row.get("target", 0)),
                lat=lat,
                lon=lon,
            )
        )
    return out


def national_id_sample() -> str | None:
    """One stored national-ID ciphertext (any), or None when none is stored: enough to
    tell whether the field key in use opens the data."""
    return (
        Member.objects.exclude(national_id_encrypted="")
        .values_list("national_id_encrypted", flat=True)
        .order_by("pk")
        .first()
    )

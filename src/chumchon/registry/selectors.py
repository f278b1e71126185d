"""Reads of the registry. Scope lives here and only here for households."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone

from chumchon.access.scope import scope_of
from chumchon.areas.models import LEVEL_FIELD, Area, Level, level_of, under_q
from chumchon.areas.selectors import areas_qs
from chumchon.core import national_id
from chumchon.core.cache import kept_here, kept_in_both
from chumchon.core.thai import Month, arabic_digits
from chumchon.registry.disclosure import NAMES, Memo, hidden_counts_for_reader, tables_version
from chumchon.registry.models import (
    DIMENSION_FIELDS,
    HOUSEHOLD_AREA_FIELD,
    Debt,
    Dimension,
    DuplicateCandidate,
    Household,
    HouseholdIndicator,
    HouseholdQuerySet,
    HouseholdStatus,
    Indicator,
    IndicatorEdition,
    Member,
    Organisation,
    Origin,
    Verification,
)
from chumchon.registry.needs_cells import ANY, SURVEYED, WELFARE_CARD, indicator_key, needs_hidden
from chumchon.registry.reports import reports

T = TypeVar("T")


def households_qs_for_user(user: object) -> HouseholdQuerySet:
    """Households whose person-level data ``user`` may read today."""
    return Household.objects.filter(scope_of(user).person_q())


def household_get_for_user(user: object, pk: int) -> Household:
    """One household, or ``Household.DoesNotExist`` if missing *or* out of scope."""
    return households_qs_for_user(user).select_related("village").get(pk=pk)


def household_heads_prefetch() -> Prefetch[Literal["members"], QuerySet[Member], Literal["heads"]]:
    """For a list of households: each one's head (``household.heads``, a list of one, or
    none), with only what a list shows of them — not every member with every field."""
    heads = Member.objects.filter(is_head=True).only(
        "id", "household_id", "is_head", "title", "first_name", "last_name"
    )
    return Prefetch("members", queryset=heads, to_attr="heads")


def households_in_area_for_user(user: object, area_code: str) -> HouseholdQuerySet:
    return households_qs_for_user(user).filter(under_q(area_code, village_field="village_id"))


# --- the households an area has in a period ------------------------------------------


@dataclass(frozen=True)
class HouseholdsInPeriod:
    """The households an area has in a period (see ``households_in_period``)."""

    area_code: str
    start: Month
    end: Month
    registered: int  # the area's households in the period: the one count every page shows
    left_during: int  # of them, those that left during the period or since (shown apart)
    reporting: int  # of them, those with an account line in the period (never more than registered)
    target: int = 0  # of them, those registered there that are target households (the flag as it is today)

    @property
    def staying(self) -> int:
        """Registered and not (yet) left."""
        return self.registered - self.left_during


def _reported(area_code: str, start: Month, end: Month) -> QuerySet[Any]:
    """Rollup rows (one a household and month) of the lines written in the area in the
    period. Who reported is the ledgers' to say (``reports``); the definition below is
    the registry's."""
    return reports().household_months(area_code, start, end)


def _area_q(area_code: str) -> Q:
    return under_q(area_code, village_field="village_id") if area_code else Q()


def households_in_period_qs(area_code: str, start: Month, end: Month) -> HouseholdQuerySet:
    """The households ``area_code`` has from ``start`` to ``end`` (months), as rows:
    the households registered there that had not left before the period began (left:
    moved away, dissolved or deceased, found not to exist — ``Household.left_on``,
    the reason being the status), and every household with an account line written
    there in the period (it was there then, whatever the registry says today).

    Registration is never cut by ``created_at``: a household imported today with older
    accounts counts for those months. ``""`` is the whole country. Person-level rows:
    intersect with ``households_qs_for_user`` before showing any.
    """
    present = Household.objects.filter(_area_q(area_code)).present_on(start.first_day)
    reported = _reported(area_code, start, end).values("household_id")
    return Household.objects.filter(Q(pk__in=present.values("pk")) | Q(pk__in=reported))


def households_in_period(area_code: str, start: Month, end: Month, *, reporting: bool = True) -> HouseholdsInPeriod:
    """How many households ``area_code`` has from ``start`` to ``end``: THE count of
    households of an area (home, area pages and API, tambon page, dashboard, household
    list, completeness, forum packs, ``chumchon figures``). ``registered`` counts the
    rows of ``households_in_period_qs``; ``left_during`` those of them that left during
    the period or since (or moved their accounts elsewhere), shown apart ("110
    households · 3 moved away/dissolved during the period"); ``reporting`` those with
    a line in the period, so reporting never exceeds registered and no village is more
    than 100% complete. ``reporting=False`` saves the query of ``reporting`` (0) for a
    caller that counts them itself. Aggregates only (small-cell rule: see
    ``household_counts_for_user``); many periods at once: ``households_in_periods_by_child``."""
    level = level_of(area_code) if area_code else None
    by = households_in_period_by_child(area_code, str(level) if level else "", start, end, reporting=reporting)
    return by.get(area_code) or HouseholdsInPeriod(area_code, start, end, 0, 0, 0)


def households_in_period_by_child(
    area_code: str, child_level: str, start: Month, end: Month, *, reporting: bool = True
) -> dict[str, HouseholdsInPeriod]:
    """``households_in_period`` for each area of ``child_level`` at or under
    ``area_code`` (``""``: the whole country), from three grouped queries. ``child_level``
    may be the area's own level (its one row). Areas without households are absent."""
    if not child_level:  # the whole country as one row
        return _whole_country(start, end)
    return households_in_periods_by_child(area_code, child_level, [(start, end)], reporting=reporting)[start, end]


def households_in_periods_by_child(
    area_code: str, child_level: str, periods: list[tuple[Month, Month]], *, reporting: bool = True
) -> dict[tuple[Month, Month], dict[str, HouseholdsInPeriod]]:
    """``_households_in_periods_by_child``, kept in the process's cache per version of
    the registry and the rollups under the province (``disclosure.tables_version``): every page
    of an area asks for these counts, and they change only when either is written."""
    if not area_code:
        return _households_in_periods_by_child(area_code, child_level, periods, reporting=reporting)
    spans = ",".join(f"{a.iso()}-{b.iso()}" for a, b in periods)  # a year's periods: ~170 characters
    parts = f"{child_level}:{spans}:{int(reporting)}:{tables_version(area_code[:2])}"
    key = f"households-in-periods:{area_code}:{hashlib.sha256(parts.encode()).hexdigest()[:32]}"
    return _keeper(area_code)(
        key, lambda: _households_in_periods_by_child(area_code, child_level, periods, reporting=reporting)
    )


def _keeper(area_code: str) -> Callable[[str, Callable[[], T]], T]:
    """Where what is computed for an area is kept: a village's or tambon's takes 1-2 ms
    to compute at 100,000 households, less than the shared table's round trip, so this
    process only; a district's or province's 0.1-1 s, so both tiers."""
    return kept_in_both if level_of(area_code) in (Level.PROVINCE, Level.DISTRICT) else kept_here


def _households_in_periods_by_child(
    area_code: str, child_level: str, periods: list[tuple[Month, Month]], *, reporting: bool = True
) -> dict[tuple[Month, Month], dict[str, HouseholdsInPeriod]]:
    """``households_in_period_by_child`` for many periods at once, from the children's
    :class:`_Parts` (kept) and one query a period for the reporting households (none
    with ``reporting=False``, which then reads 0). The same definition: the households
    registered in a child that had not left before the period began (counted from their
    leaving days), and those with a line written there in the period while not among
    them (their record moved to another area, or says they left before), counted as left."""
    rollup_column = LEVEL_FIELD[Level(child_level)]
    parts = _parts(area_code, child_level)
    out: dict[tuple[Month, Month], dict[str, HouseholdsInPeriod]] = {}
    for start, end in periods:
        day, last = start.first_day, end.first_day
        rows: dict[str, list[int]] = {}
        for code, found in parts.groups.items():
            present = [(left_on, target, n) for left_on, target, n in found if left_on is None or left_on >= day]
            if present:
                rows[code] = [
                    sum(n for _, _, n in present),
                    sum(n for left_on, _, n in present if left_on is not None),
                    0,
                    sum(n for _, target, n in present if target),
                ]
        for code, written in parts.away.items():
            ids = {
                household
                for household, month, registered_in, left_on in written
                if day <= month <= last and not (registered_in == code and (left_on is None or left_on >= day))
            }  # written there in the period while not present there
            if ids:
                row = rows.setdefault(code, [0, 0, 0, 0])
                row[0] += len(ids)
                row[1] += len(ids)
        if reporting:
            for code, n in (
                _reported(area_code, start, end)
                .values_list(rollup_column)
                .annotate(n=Count("household_id", distinct=True))
                .order_by()
            ):
                rows.setdefault(code, [0, 0, 0, 0])[2] = n
        out[start, end] = {code: HouseholdsInPeriod(code, start, end, *row) for code, row in rows.items()}
    return out


EVER = (Month(1900, 1), Month(2200, 12))  # every month a Month can be


@dataclass(frozen=True)
class _Parts:
    """What the households of the children of an area in any period are counted from:
    the households by child, leaving day and target flag (a few rows a child), and the
    months written in each child by households that left or whose record is elsewhere
    (``Household.moved`` or ``left_on``: a partial index holds them) — the only ones that
    can be reported there without being present there: (household, month, the child
    their record is in, their leaving day)."""

    groups: dict[str, list[tuple[dt.date | None, bool, int]]]
    away: dict[str, list[tuple[int, dt.date, str, dt.date | None]]]

    def under(self, area_code: str) -> _Parts:
        return _Parts(
            {code: rows for code, rows in self.groups.items() if code.startswith(area_code)},
            {code: rows for code, rows in self.away.items() if code.startswith(area_code)},
        )


def _parts(area_code: str, child_level: str) -> _Parts:
    """The :class:`_Parts` of ``area_code``'s children of ``child_level`` (or of itself, at
    its own level), kept per version of the registry and the rollups under the province:
    a village's are its tambon's, read once for all its villages and any period (two
    queries; a village's figures of any span then need neither)."""
    if not area_code:  # the whole country's provinces: not kept, as before
        return _parts_read(area_code, child_level)
    anchor = area_code[:-2] if level_of(area_code) == child_level and len(area_code) > 2 else area_code
    key = f"household-parts:{anchor}:{child_level}:{tables_version(anchor[:2])}"
    parts = _keeper(anchor)(key, lambda: _parts_read(anchor, child_level))
    return parts if anchor == area_code else parts.under(area_code)


def _parts_read(area_code: str, child_level: str) -> _Parts:
    column = HOUSEHOLD_AREA_FIELD[Level(child_level)]
    rollup_column = LEVEL_FIELD[Level(child_level)]
    groups: dict[str, list[tuple[dt.date | None, bool, int]]] = {}
    for code, left_on, target, n in (
        Household.objects.filter(_area_q(area_code))
        .values_list(column, "left_on", "is_target")
        .annotate(n=Count("id"))
        .order_by()
    ):
        groups.setdefault(code, []).append((left_on, target, n))
    # Looked for among the households that left or moved alone, not by joining every
    # household: 11 ms a village of 30,000 households that way, and growing.
    candidates = Household.objects.filter(Q(moved=True) | Q(left_on__isnull=False)).values("pk")
    away: dict[str, list[tuple[int, dt.date, str, dt.date | None]]] = {}
    for code, household, month, registered_in, left_on in (
        reports()
        .household_months(area_code, *EVER)
        .filter(household_id__in=candidates)
        .exclude(Q(**{f"household__{column}": F(rollup_column)}) & Q(household__left_on__isnull=True))
        .values_list(rollup_column, "household_id", "month", f"household__{column}", "household__left_on")
    ):
        away.setdefault(code, []).append((household, month, registered_in, left_on))
    return _Parts(groups, away)


def _whole_country(start: Month, end: Month) -> dict[str, HouseholdsInPeriod]:
    qs = households_in_period_qs("", start, end)
    registered = qs.count()
    left = qs.filter(left_on__isnull=False).count()
    reporting = _reported("", start, end).values("household_id").distinct().count()
    target = Household.objects.present_on(start.first_day).filter(is_target=True).count()
    return {"": HouseholdsInPeriod("", start, end, registered, left, reporting, target)}


def households_moved() -> QuerySet[Any]:
    """The ids of the households whose record ever changed village (``Household.moved``,
    a partial index holds them): the only ones whose lines of one month can have been
    written in two villages. For a subquery."""
    return Household.objects.filter(moved=True).values("pk")


def current_month() -> Month:
    """The month of today (Thai time): the period of a page that shows no other."""
    return Month.of(timezone.localdate())


def household_count_in_area(area_code: str, start: Month | None = None, end: Month | None = None) -> int:
    """``households_in_period(...).registered``; the current month when no period is given."""
    start = start or current_month()
    return households_in_period(area_code, start, end or start).registered


def household_counts_by_child(
    area_code: str, child_level: str, start: Month | None = None, end: Month | None = None
) -> dict[str, int]:
    """``households_in_period_by_child(...)``'s registered counts (the current month
    when no period is given); ``""`` is the whole country."""
    start = start or current_month()
    rows = households_in_period_by_child(area_code, child_level, start, end or start)
    return {code: row.registered for code, row in rows.items() if row.registered}


@dataclass(frozen=True)
class HouseholdCount:
    """An area's household counts as one reader is shown them (None: hidden)."""

    registered: int | None
    left_during: int | None
    target: int | None


def household_counts_for_user(
    user: object, area_codes: Iterable[str], start: Month | None = None, end: Month | None = None
) -> dict[str, HouseholdCount]:
    """``households_in_period``'s counts of each area (the current month when no period
    is given), as ``user`` may see them: exact where the user may read persons, else
    small-cell protected — the counts of 1–4 hidden, and enough of the siblings' and
    parent's that none comes back by subtraction, the same cells on every page
    (``registry.disclosure``). Areas given together are best siblings (one query)."""
    start = start or current_month()
    end = end or start
    codes = list(dict.fromkeys(area_codes))
    groups: dict[tuple[str, str], list[str]] = {}
    for code in codes:
        level = str(level_of(code))
        groups.setdefault((code[:-2] if level != Level.PROVINCE else "", level), []).append(code)
    exact: dict[str, HouseholdsInPeriod] = {}
    for (parent, level), members in groups.items():
        if len(members) == 1:
            exact[members[0]] = households_in_period(members[0], start, end)
        else:
            exact.update(households_in_period_by_child(parent, level, start, end))
    scope = scope_of(user)
    memo: Memo = {}
    out: dict[str, HouseholdCount] = {}
    for code in codes:
        row = exact.get(code) or HouseholdsInPeriod(code, start, end, 0, 0, 0)
        values = {name: getattr(row, name) for name in NAMES}
        if not scope.can_read_persons_in(code):
            hidden = hidden_counts_for_reader(code, start, end, memo=memo, known=scope.person_read)
            values = {name: None if name in hidden else v for name, v in values.items()}
        out[code] = HouseholdCount(**values)
    return out


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

    # A reader of aggregates: the small counts and those subtraction would give back
    # hidden (``registry.needs_cells``).
    gone = frozenset() if scope_of(user).can_read_persons_in(area_code) else needs_hidden(area_code)

    def s(n: int, key: str) -> int | None:
        return None if key in gone else suppress_for(user, area_code, n)

    counts = household_counts_for_user(user, [area_code])[area_code]
    return NeedsSummary(
        area_code=area_code,
        households=counts.registered,
        surveyed=s(surveyed, SURVEYED),
        welfare_card=s(totals["welfare_card"], WELFARE_CARD),
        target=counts.target,
        by_dimension={d.value: s(totals[d.value], d.value) for d in Dimension},
        by_indicator=[(i, s(failing.get(i.pk, 0), indicator_key(i.pk))) for i in indicators],
        any_dimension=s(totals["any_dimension"], ANY),
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
    villages = {a.code: a for a in areas_qs().filter(code__in=[r["village_id"] for r in rows])}
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
    # This month's target households, as the area pages count them (households_in_period).
    qs = Household.objects.filter(_area_q(area_code), is_target=True).present_on(current_month().first_day)
    in_fund = (
        qs.filter(memberships__organisation__kind=Organisation.Kind.WELFARE_FUND, memberships__left_on__isnull=True)
        .distinct()
        .count()
    )
    return FundShare(
        target=household_counts_for_user(user, [area_code])[area_code].target,
        target_in_fund=suppress_for(user, area_code, in_fund),
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
    """Households and target households per village under an area this month
    (``household_counts_for_user``: small cells and their complements hidden from
    aggregate-only roles), placed at the village centroid — the
    uploaded one, else the mean of its households' coordinates."""
    places = {
        row["village_id"]: row
        for row in Household.objects.active()
        .filter(under_q(area_code, village_field="village_id"))
        .values("village_id")
        .annotate(lat=Avg("lat"), lon=Avg("lon"))
    }
    villages = list(areas_qs().filter(under_q(area_code), level="village").order_by("code"))
    counts = household_counts_for_user(user, [v.code for v in villages])
    out = []
    for v in villages:
        row: dict[str, Any] = dict(places.get(v.code, {}))
        lat = float(v.lat) if v.lat is not None else (float(row["lat"]) if row.get("lat") is not None else None)
        lon = float(v.lon) if v.lon is not None else (float(row["lon"]) if row.get("lon") is not None else None)
        out.append(
            VillageFigure(
                village=v,
                households=counts[v.code].registered,
                target=counts[v.code].target,
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


# --- finding households and people --------------------------------------------------
#
# One search for the top search box, its results page, the household list's text
# filter and ``GET /api/households?q=``. A query is cut into words; every word must
# match the household's code, its house number or the name of one of its members
# (title, first and last name together, so "นายสมชาย" and "สมชาย ใจดี" both match).
# Names are compared as a *search key*: without tone marks, thanthakhat and
# maitaikhu, spaces and zero-width characters, with ``ํา`` as ``ำ`` and ``เเ`` as
# ``แ`` — what people type differently for the same name. The same key is computed by
# the database (nested REPLACE: one expression on SQLite and PostgreSQL, no stored
# column to keep current) and by ``search_key`` for the query (after PyThaiNLP's
# normalisation of repeated and misordered marks).
#
# A query that is a whole national ID (13 digits, dashes, spaces or Thai digits
# allowed, check digit valid) finds its member through the keyed hash only; a part
# of an ID is never looked up (it is only ever compared with codes and house numbers).
# Everything is within ``households_qs_for_user``: an aggregate-only reader finds
# nothing, and a person outside the reader's area is never found.

SEARCH_MIN_CHARS = 2
_THIRTEEN_DIGITS = re.compile(r"(?<!\d)\d(?:[\s\-]?\d){12}(?!\d)")
SEARCH_MAX_CHARS = 100
# Removed from names before comparing: tone marks, maitaikhu, thanthakhat, spaces and
# invisible characters (zero-width space/joiners, BOM, no-break space).
_NAME_DROPPED = ("\u0e48", "\u0e49", "\u0e4a", "\u0e4b", "\u0e47", "\u0e4c", " ", "\u00a0", "\u200b", "\u200c", "\u200d", "\ufeff")  # fmt: skip
# Then spelled one way: nikhahit + sara aa is sara am; two sara e are sara ae.
_NAME_SPELLED = (("\u0e4d\u0e32", "\u0e33"), ("\u0e40\u0e40", "\u0e41"))


def _key_chars(text: str) -> str:
    for ch in _NAME_DROPPED:
        text = text.replace(ch, "")
    for old, new in _NAME_SPELLED:
        text = text.replace(old, new)
    return text.casefold()


def search_key(text: str) -> str:
    """The form a name is compared in (see above); the database computes the same."""
    from pythainlp.util import normalize  # a large package: imported when first searched

    return _key_chars(normalize(text))


class _NameKey(Func):
    """The search key of a member's name in SQL: REPLACE nested around title, first
    and last name (one expression to compile, not one per replaced character)."""

    output_field = CharField()

    def __init__(self) -> None:
        super().__init__(Concat("title", "first_name", "last_name"))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, inner = compiler.compile(self.source_expressions[0])
        params = list(inner)
        for old, new in [*((ch, "") for ch in _NAME_DROPPED), *_NAME_SPELLED]:
            sql = f"REPLACE({sql}, %s, %s)"
            params += [old, new]
        return sql, params


@dataclass(frozen=True)
class SearchTerms:
    """A query as the search understands it."""

    text: str
    words: tuple[str, ...] = ()  # as typed (Thai digits as Arabic), for codes and house numbers
    national_id_hash: str = ""  # the query is a whole, valid national ID
    invalid_national_id: bool = False  # 13 digits whose check digit is wrong: finds nothing

    @property
    def searchable(self) -> bool:
        typed = "".join(self.words)
        return bool(self.national_id_hash) or (
            not self.invalid_national_id and (len(typed) >= SEARCH_MIN_CHARS or typed.isdigit())
        )

    @property
    def name_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (search_key(w) for w in self.words) if k)


def search_terms(text: str) -> SearchTerms:
    """Parse a query: a whole national ID, or words."""
    text = (text or "").replace("\x00", "")[:SEARCH_MAX_CHARS].strip()
    digits = re.sub(r"[\s\-]", "", arabic_digits(text))
    if re.fullmatch(r"\d{13}", digits):
        try:
            return SearchTerms(text=text, national_id_hash=national_id.lookup_hash(national_id.normalize(digits)))
        except national_id.InvalidNationalId:
            return SearchTerms(text=text, invalid_national_id=True)
    return SearchTerms(text=text, words=tuple(arabic_digits(text).split()))


def masked_query(text: str) -> str:
    """The query as it may be written down (audit log, page titles): every run of 13
    digits (with or without dashes and spaces, Thai digits too) masked like an ID."""
    terms = search_terms(text)
    return _THIRTEEN_DIGITS.sub(
        lambda m: national_id.mask(re.sub(r"[\s\-]", "", m.group(0))), arabic_digits(terms.text)
    )


def household_search_q(terms: SearchTerms) -> Q:
    """The households a query finds (before scope); matches nothing when it is not searchable."""
    if not terms.searchable:
        return Q(pk__in=[])
    if terms.national_id_hash:
        return Q(Exists(Member.objects.filter(household=OuterRef("pk"), national_id_hash=terms.national_id_hash)))
    q = Q()
    for word, key in zip(terms.words, (search_key(w) for w in terms.words), strict=True):
        # Correlated, so only the members of the households in scope are compared.
        named = (
            Member.objects.filter(household=OuterRef("pk")).alias(name_key=_NameKey()).filter(name_key__icontains=key)
        )
        one = Q(code__icontains=word) | Q(house_no__istartswith=word)
        if key:
            one |= Q(Exists(named))
        q &= one
    return q


def households_search_for_user(user: object, text: str, *, area_code: str = "") -> HouseholdQuerySet:
    """Households in the user's scope (under ``area_code`` if given) that ``text`` finds,
    best first: an exact code, an exact house number, then by village and code."""
    terms = search_terms(text)
    qs = households_qs_for_user(user).filter(erased_at__isnull=True).filter(household_search_q(terms))
    if area_code:
        qs = qs.filter(under_q(area_code, village_field="village_id"))
    whole = terms.text
    return qs.annotate(
        search_rank=Case(
            When(code__iexact=whole, then=Value(0)),
            When(house_no__iexact=whole, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("search_rank", "village_id", "code", "pk")


@dataclass(frozen=True)
class HouseholdHit:
    """A household found, with the members the query named: the one whose national ID
    it was, or those whose names the most words of it match (none when it matched the
    household's code or house number only)."""

    household: Household
    members: list[Member]
    head: Member | None


def household_search_hits(households: Iterable[Household], text: str) -> list[HouseholdHit]:
    """For a page of ``households_search_for_user`` (members prefetched): which members
    each was found by, for showing people rather than only codes."""
    terms = search_terms(text)
    keys = terms.name_keys
    hits = []
    for h in households:
        members = list(h.members.all())
        if terms.national_id_hash:
            named = [m for m in members if m.national_id_hash == terms.national_id_hash]
        else:
            # The members the most words name (a word may also have matched the code).
            matched = {m.pk: sum(k in _key_chars(m.title + m.first_name + m.last_name) for k in keys) for m in members}
            best = max(matched.values(), default=0)
            named = [m for m in members if best and matched[m.pk] == best]
        head = next((m for m in members if m.is_head), None)
        hits.append(HouseholdHit(household=h, members=named, head=head))
    return hits


# --- the household list: filters and sorting ----------------------------------------


HOUSEHOLD_SORTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "village": ("village_id", "code"),
    "house_no": ("house_no", "code"),
    "head": ("head_name", "code"),
    "dimensions": ("-dimensions_failed", "village_id", "code"),
    "status": ("status", "village_id", "code"),
    "verification": ("verification", "village_id", "code"),
    "verified_at": ("verified_at", "village_id", "code"),
}
HOUSEHOLD_SORT_DEFAULT = "village"


@dataclass(frozen=True)
class HouseholdListFilters:
    """What the household list (and its spreadsheet) may be narrowed by."""

    q: str = ""
    village: str = ""
    status: str = ""
    verification: str = ""
    target: bool = False
    dimension: str = ""  # a TPMAP dimension failed, or "any" for at least one
    indicator: int | None = None
    not_reported: Month | None = None  # a Month: active households with no line in it
    sort: str = HOUSEHOLD_SORT_DEFAULT  # a key of HOUSEHOLD_SORTS, "-" in front reverses
    # The households the area has in this month (``households_in_period_qs``, the count
    # every page shows); ``None``: every household registered there, those gone included.
    period: Month | None = None

    @property
    def active(self) -> bool:
        return any(
            (self.q, self.village, self.status, self.verification, self.target, self.dimension, self.indicator)
        ) or (self.not_reported is not None)


def households_list_for_user(user: object, area_code: str, filters: HouseholdListFilters) -> HouseholdQuerySet:
    """The households under an area that the user may read, filtered and sorted; each
    with ``head_name`` (the head's name, for sorting and the spreadsheet)."""
    if filters.period is None:
        qs = households_in_area_for_user(user, area_code)
    else:
        present = households_in_period_qs(area_code, filters.period, filters.period)
        qs = households_qs_for_user(user).filter(pk__in=present.values("pk"))
    if filters.q:
        qs = qs.filter(erased_at__isnull=True).filter(household_search_q(search_terms(filters.q)))
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.dimension == "any":
        qs = qs.filter(dimensions_failed__gt=0)
    qs = qs.filter(
        household_filter_q(
            dimension="" if filters.dimension == "any" else filters.dimension,
            indicator=filters.indicator,
            target=filters.target,
            verification=filters.verification,
        )
    )
    if filters.not_reported is not None:
        qs = qs.active().exclude(pk__in=reports().households_in(filters.not_reported))
    if filters.indicator:
        qs = qs.distinct()
    head = Member.objects.filter(household=OuterRef("pk"), is_head=True)
    qs = qs.annotate(head_name=Subquery(head.annotate(n=Concat("first_name", Value(" "), "last_name")).values("n")[:1]))
    key = filters.sort.removeprefix("-")
    order = HOUSEHOLD_SORTS.get(key, HOUSEHOLD_SORTS[HOUSEHOLD_SORT_DEFAULT])
    if filters.sort.startswith("-"):
        order = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in order[:1]) + order[1:]
    return qs.order_by(*order, "pk")


# --- for the apps that compute from the registry (insights) ------------------------


def households_under(area_code: str) -> HouseholdQuerySet:
    """Every household whose record is at or under the area (``""``: all), those that
    left included: a base the caller narrows (not THE count of an area's households,
    which is ``households_in_period``'s)."""
    return Household.objects.filter(_area_q(area_code))


def occupation_groups(household_ids: Iterable[int]) -> dict[int, str]:
    """The occupation group of each household asked (``""`` when none is recorded)."""
    ids = list(household_ids)
    if not ids:
        return {}
    rows = Household.objects.filter(pk__in=ids).values_list("pk", "occupation_group").order_by()
    return {pk: group or "" for pk, group in rows}


def households_kept_under(area_code: str) -> HouseholdQuerySet:
    """``households_under`` without the erased records (a record erased on request keeps
    only its code and accounts): those a sheet or a statement may name."""
    return households_under(area_code).filter(erased_at__isnull=True)


def households_by_id(household_ids: Iterable[int]) -> dict[int, Household]:
    """The households asked, with their village (one query)."""
    return Household.objects.select_related("village").in_bulk(list(household_ids))


def households_matching(text: str) -> list[Household]:
    """The households a command's argument names: its id, else its code (at most two, so
    the caller can tell one from many)."""
    text = text.strip()
    qs = Household.objects.select_related("village")
    found = list(qs.filter(pk=int(text))) if text.isdigit() else []
    return found or list(qs.filter(code=text)[:2])


def household_with_members(pk: int) -> Household:
    """One household with its village and members, for a page that shows them all."""
    return Household.objects.prefetch_related("members").select_related("village").get(pk=pk)


def household_head_names(household_ids: Iterable[int]) -> dict[int, str]:
    """The head's full name of each household asked that has one recorded."""
    heads = Member.objects.filter(household_id__in=list(household_ids), is_head=True)
    return {m.household_id: m.full_name for m in heads.only("household_id", "title", "first_name", "last_name")}


def debts_of_households(household_ids: Iterable[int]) -> dict[int, list[Debt]]:
    """Every debt record of the households asked, the largest principal first."""
    out: dict[int, list[Debt]] = {}
    for debt in Debt.objects.filter(household_id__in=list(household_ids)).order_by(
        "household_id", "-principal", "source", "pk"
    ):
        out.setdefault(debt.household_id, []).append(debt)
    return out


@dataclass(frozen=True)
class DebtRecord:
    """A household's latest record of one debt source."""

    household_id: int
    village: str
    source: str
    principal: int  # satang
    monthly_payment: int  # satang
    as_of: dt.date


def debts_latest(area_code: str) -> dict[int, list[DebtRecord]]:
    """Debts of the active households under the area: per household and source, the
    record with the latest ``as_of`` (one query)."""
    latest: dict[tuple[int, str], DebtRecord] = {}
    for household_id, village, source, principal, payment, as_of in (
        Debt.objects.filter(
            under_q(area_code, prefix="household__", village_field="village_id"),
            household__status=HouseholdStatus.ACTIVE,
        )
        .order_by("household_id", "source", "as_of", "pk")
        .values_list("household_id", "household__village_id", "source", "principal", "monthly_payment", "as_of")
    ):
        latest[(household_id, source)] = DebtRecord(
            household_id, village, source, int(principal * 100), int(payment * 100), as_of
        )
    out: dict[int, list[DebtRecord]] = {}
    for record in latest.values():
        out.setdefault(record.household_id, []).append(record)
    return out


def district_codes_with_households() -> list[str]:
    """The districts that have households in the registry (one indexed query)."""
    return sorted(Household.objects.order_by().values_list("district_code", flat=True).distinct())


@dataclass(frozen=True)
class TargetCriteria:
    """A target group of households (a programme's rules over the registry): every
    criterion given must hold — housing among ``housing``, each dimension of ``fails``
    failed, a state welfare card when ``welfare_card``, an occupation group among
    ``occupations``."""

    housing: tuple[str, ...] = ()
    fails: tuple[str, ...] = ()
    welfare_card: bool = False
    occupations: tuple[str, ...] = ()

    def q(self) -> Q:
        q = Q(status=HouseholdStatus.ACTIVE)
        if self.housing:
            q &= Q(housing__in=self.housing)
        for dimension in self.fails:
            q &= Q(**{DIMENSION_FIELDS[Dimension(dimension)]: True})
        if self.welfare_card:
            q &= Q(welfare_card=True)
        if self.occupations:
            q &= Q(occupation_group__in=self.occupations)
        return q


def target_household_counts(places: Iterable[str], criteria: TargetCriteria) -> dict[str, int]:
    """Active households of each village (8 digits) or tambon (6) in ``places`` that are
    in the target group — counts only, for a programme's eligibility (never a list)."""
    codes = set(places)
    villages = {c for c in codes if len(c) == 8}
    tambons = {c for c in codes if len(c) == 6}
    out = dict.fromkeys(codes, 0)
    base = Household.objects.filter(criteria.q())
    if villages:
        for code, n in base.filter(village_id__in=villages).values_list("village_id").annotate(n=Count("pk")):
            out[code] = n
    if tambons:
        for code, n in base.filter(tambon_code__in=tambons).values_list("tambon_code").annotate(n=Count("pk")):
            out[code] = n
    return out

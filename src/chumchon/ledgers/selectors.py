"""Reads of ledger entries, scoped like the households they belong to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, Level, level_of, under_q
from chumchon.areas.selectors import area_children, areas_qs
from chumchon.core.cache import kept_in_both
from chumchon.core.pinned import version_read
from chumchon.core.thai import Month, arabic_digits, months_between
from chumchon.ledgers.models import (
    AreaMonthCategory,
    Category,
    HouseholdMonth,
    HouseholdMonthCategory,
    Kind,
    LedgerEntry,
    MonthStatusChange,
    RollupsVersion,
)
from chumchon.ledgers.suggest import PICK_LIMIT, History, Past, history_key, keyword_key, rank
from chumchon.registry.models import Household
from chumchon.registry.selectors import (
    household_counts_for_user,
    households_in_period_by_child,
    households_in_periods_by_child,
    households_qs_for_user,
)


def ledger_entries_qs_for_user(user: object) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(scope_of(user).person_q())


def ledger_entry_get_for_user(user: object, pk: int) -> LedgerEntry:
    return ledger_entries_qs_for_user(user).get(pk=pk)


def categories_all() -> QuerySet[Category]:
    return Category.objects.all()


def item_history_for_households(household_ids: Iterable[int]) -> dict[int, History]:
    """What each household wrote before: its lines' item texts (as
    :func:`~chumchon.ledgers.suggest.history_key` compares them) → the categories they
    were kept under, with how many lines. Lines taken back out (reversed, or reversing)
    do not count: a correction says the first category was wrong. One query."""
    found: dict[int, dict[str, dict[tuple[str, str], int]]] = {}
    ids = sorted(set(household_ids))
    for i in range(0, len(ids), 5000):  # SQLite's bound on the parameters of one query
        rows = (
            LedgerEntry.objects.filter(household_id__in=ids[i : i + 5000], reverses__isnull=True)
            .exclude(item="")
            .exclude(reversed_by__isnull=False)
            .values_list("household_id", "item", "category_id", "category__kind")
            .annotate(n=Count("id"))
            .order_by()
        )
        for household_id, item, code, kind, n in rows:
            key = history_key(item)
            if key:
                counts = found.setdefault(household_id, {}).setdefault(key, {})
                counts[(code, kind)] = counts.get((code, kind), 0) + n
    return {
        household_id: {
            key: tuple(Past(code=code, kind=kind, lines=n) for (code, kind), n in counts.items())
            for key, counts in items.items()
        }
        for household_id, items in found.items()
    }


@dataclass(frozen=True)
class PickedCategory:
    """A category offered for what a person wrote, and what it was found by."""

    category: Category
    matched: str
    source: str  # "code", "history", "keyword" or "name"


def categories_for_text(
    text: str, *, kind: str | None = None, household_id: int | None = None, limit: int = PICK_LIMIT
) -> list[PickedCategory]:
    """The categories for ``text`` best first (:func:`chumchon.ledgers.suggest.rank`,
    with the household's past lines when one is given) — what every picker shows. The
    caller has checked that the household is the user's to read."""
    history = item_history_for_households([household_id]).get(household_id) if household_id else None
    by_code = {c.code: c for c in categories_all()}
    picked = [
        PickedCategory(by_code[r.code], r.matched, r.source)
        for r in rank(text, kind=kind, history=history)
        if r.code in by_code
    ]
    # A deployment's own categories are not in the packaged dictionary: found by name.
    seen = {p.category.code for p in picked}
    key = keyword_key(text)
    if key:
        picked += [
            PickedCategory(c, c.name_th, "name")
            for c in by_code.values()
            if not c.is_standard
            and c.code not in seen
            and kind in (None, c.kind)
            and (key in keyword_key(c.name_th) or key in keyword_key(c.name_en) or c.code.lower().startswith(key))
        ]
    return picked[:limit]


# --- how each category counts in the figures -------------------------------------------


@dataclass(frozen=True)
class CategoryKind:
    """One category as the figures count it (a snapshot of ``Category``'s rule)."""

    code: str
    group: str
    kind: str
    flags: frozenset[str]
    name_th: str
    name_en: str
    sort_order: int
    is_income: bool  # counts as income: kind income, not borrowing (F05)
    is_expense: bool  # counts as expense: kind expense
    spending_group: str | None  # production / consumption / financial for an expense


@dataclass(frozen=True)
class CategoryKinds:
    """Every category and the sets of categories each standard figure sums, all in the
    categories' order (``sort_order``, ``code``)."""

    by_code: Mapping[str, CategoryKind]
    income: tuple[str, ...]  # the figure ``income`` (without borrowing)
    expense: tuple[str, ...]  # the figure ``expense``
    by_group: Mapping[str, tuple[str, ...]]  # expense split by group
    by_flag: Mapping[str, tuple[str, ...]]  # avoidable, local_food, debt_principal, interest, saving, borrowing

    @property
    def ordered(self) -> list[CategoryKind]:
        return list(self.by_code.values())

    def group(self, group: str) -> tuple[str, ...]:
        """The expense categories of a group (production, consumption, financial)."""
        return self.by_group.get(group, ())

    def flagged(self, flag: str) -> tuple[str, ...]:
        """The categories with a flag, whatever their kind (``borrowing``: the loans received)."""
        return self.by_flag.get(flag, ())


def category_kinds() -> CategoryKinds:
    """How every category counts in the standard figures. The rule itself is
    ``Category``'s (``counts_as_income``, ``counts_as_expense``, ``spending_group``,
    ``flag_set``). Kept in this process's memory under the rollups' version, which a
    category added bumps (``services.category_add``; ``init``'s standard load runs before serving):
    one indexed read instead of every category built again (0.8 ms and 3 ms of Python on
    each figures call). Inside a transaction it is read afresh: what that transaction
    wrote may yet be rolled back, and its version with it."""
    if connection.in_atomic_block:
        return _category_kinds_read()
    version = rollups_version()
    kept = _KINDS_KEPT.get(version)
    if kept is None:
        kept = _category_kinds_read()
        _KINDS_KEPT.clear()  # one version kept: the newest asked for
        _KINDS_KEPT[version] = kept
    return kept


_KINDS_KEPT: dict[int, CategoryKinds] = {}


def category_kinds_forget() -> None:
    """Forget the kinds kept (the tests, after emptying the database)."""
    _KINDS_KEPT.clear()


def _category_kinds_read() -> CategoryKinds:
    by_code: dict[str, CategoryKind] = {}
    by_group: dict[str, list[str]] = {}
    by_flag: dict[str, list[str]] = {}
    for c in Category.objects.order_by("sort_order", "code"):
        kind = CategoryKind(
            code=c.code,
            group=c.group,
            kind=c.kind,
            flags=c.flag_set,
            name_th=c.name_th,
            name_en=c.name_en,
            sort_order=c.sort_order,
            is_income=c.counts_as_income,
            is_expense=c.counts_as_expense,
            spending_group=c.spending_group,
        )
        by_code[c.code] = kind
        if kind.spending_group is not None:
            by_group.setdefault(kind.spending_group, []).append(c.code)
        for flag in sorted(kind.flags):
            by_flag.setdefault(flag, []).append(c.code)
    return CategoryKinds(
        by_code=MappingProxyType(by_code),
        income=tuple(code for code, k in by_code.items() if k.is_income),
        expense=tuple(code for code, k in by_code.items() if k.is_expense),
        by_group=MappingProxyType({g: tuple(codes) for g, codes in by_group.items()}),
        by_flag=MappingProxyType({f: tuple(codes) for f, codes in by_flag.items()}),
    )


# --- entry pages (staff grid, phone form) ---------------------------------------------


@dataclass(frozen=True)
class MonthLine:
    """One line of a household's month as the entry pages show it: a line as written,
    with its reversal (if it was corrected or removed) alongside."""

    entry: LedgerEntry
    reversal: LedgerEntry | None

    @property
    def is_reversed(self) -> bool:
        return self.reversal is not None


@dataclass(frozen=True)
class MonthTotals:
    """Sums by the category's kind, net of reversals (the paper form's two columns)."""

    income: Decimal = Decimal("0.00")
    expense: Decimal = Decimal("0.00")
    lines: int = 0  # lines that count (written and not reversed)

    @property
    def net(self) -> Decimal:
        return self.income - self.expense


@dataclass(frozen=True)
class LedgerMonth:
    lines: list[MonthLine]
    totals: MonthTotals


def ledger_month_for_household(household: Household, first_day: dt.date, last_day: dt.date) -> LedgerMonth:
    """A household's lines dated in [first_day, last_day]: reversals folded into the lines
    they reverse, totals by category kind. The caller has checked the household's scope."""
    rows = list(
        LedgerEntry.objects.filter(household=household, date__gte=first_day, date__lte=last_day)
        .select_related("category", "created_by")
        .order_by("date", "id")
    )
    reversals = {e.reverses_id: e for e in rows if e.reverses_id is not None}
    income = expense = Decimal("0.00")
    counted = 0
    for e in rows:
        if e.category.kind == Kind.INCOME:
            income += e.amount
        else:
            expense += e.amount
        counted += -1 if e.reverses_id else 1
    lines = [MonthLine(entry=e, reversal=reversals.get(e.pk)) for e in rows if e.reverses_id is None]
    return LedgerMonth(lines=lines, totals=MonthTotals(income=income, expense=expense, lines=counted))


def ledger_entry_get_for_writer(user: object, pk: int) -> LedgerEntry:
    """A line ``user`` may read *and* add to; ``LedgerEntry.DoesNotExist`` otherwise."""
    scope = scope_of(user)
    return (
        ledger_entries_qs_for_user(user)
        .filter(scope.ledger_write_q())
        .select_related("household", "category")
        .get(pk=pk)
    )


def ledger_entry_get_for_own_fix(user: object, household_id: int, pk: int) -> LedgerEntry:
    """A line of this household that ``user`` entered and may still correct from the
    phone: in their write scope, a line as written (not a reversal) and not already
    reversed. ``LedgerEntry.DoesNotExist`` otherwise — the same for a line of someone else
    as for one that does not exist. Whether its month is open the service checks."""
    return (
        ledger_entries_qs_for_user(user)
        .filter(scope_of(user).ledger_write_q())
        .filter(household_id=household_id, created_by_id=getattr(user, "pk", None), reverses__isnull=True)
        .exclude(reversed_by__isnull=False)
        .select_related("household", "category")
        .get(pk=pk)
    )


# --- the rollups, for the apps that compute from them (insights) -----------------------
#
# Each read below is the ledgers' definition of its rows (at or under an area, in a span,
# "reported": with at least one line that counts); the caller groups and sums them.


def rollups_version() -> int:
    """The rollups' version: changes with every write of them (one indexed read; bumped
    in the write's transaction, ``rollups._bump_version``). What is computed from the
    rollups is kept under it. Read once inside ``core.pinned.versions_pinned``."""
    return version_read("rollups", _rollups_version_read)


def _rollups_version_read() -> int:
    row = RollupsVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 0


def household_months_reported(
    area_code: str, start: Month, end: Month, *, also: Iterable[Month] = ()
) -> QuerySet[HouseholdMonth]:
    """The rollup rows (a household and month: ``income``, ``expense``, ``entries``, and
    where the lines were written, ``village_code`` … ``province_code``) with an account
    line in the period — and in the months ``also`` — written at or under ``area_code``
    (``""``: anywhere): who reported, where and when. ``registry.selectors`` counts
    them (``households_in_period``); the dashboard sums them."""
    months = Q(month__gte=start.first_day, month__lte=end.first_day)
    extra = [m.first_day for m in also]
    if extra:
        months |= Q(month__in=extra)
    qs = HouseholdMonth.objects.filter(months, entries__gt=0)
    return qs.filter(under_q(area_code)) if area_code else qs


def household_months_reported_in(area_code: str, months: Iterable[Month]) -> QuerySet[HouseholdMonth]:
    """``household_months_reported`` of the months given (not a span)."""
    qs = HouseholdMonth.objects.filter(month__in=[m.first_day for m in months], entries__gt=0)
    return qs.filter(under_q(area_code)) if area_code else qs


def household_month_categories(
    start: Month,
    end: Month,
    *,
    area_code: str | None = None,
    household_ids: Iterable[int] | None = None,
    categories: Iterable[str] | None = None,
    reported: bool = True,
) -> QuerySet[HouseholdMonthCategory]:
    """The rollup rows of a household, month and category (``amount`` in satang,
    ``entries``) in the span: of the households at or under ``area_code`` (by their
    record's area), or of ``household_ids``; of ``categories``; ``reported``: with a line
    that counts (not only reversed ones)."""
    qs = HouseholdMonthCategory.objects.filter(month__gte=start.first_day, month__lte=end.first_day)
    if reported:
        qs = qs.filter(entries__gt=0)
    if area_code is not None:
        qs = qs.filter(under_q(area_code, prefix="household__", village_field="village_id"))
    if household_ids is not None:
        qs = qs.filter(household_id__in=list(household_ids))
    if categories is not None:
        qs = qs.filter(category_id__in=list(categories))
    return qs


def area_month_categories(area_codes: Iterable[str], start: Month, end: Month) -> QuerySet[AreaMonthCategory]:
    """The totals of each area, month and category in the span (``amount`` in satang,
    ``households``: how many had lines in it that month), of the areas given."""
    codes = list(area_codes)
    where = Q(area_code=codes[0]) if len(codes) == 1 else Q(area_code__in=codes)
    return AreaMonthCategory.objects.filter(where, month__gte=start.first_day, month__lte=end.first_day)


def ledger_keys_saved(keys: Iterable[str]) -> set[str]:
    """Which of these idempotency keys are already on a saved line."""
    wanted = list(keys)
    if not wanted:
        return set()
    saved = LedgerEntry.objects.filter(import_key__in=wanted).values_list("import_key", flat=True)
    return {k for k in saved if k}


def households_for_ledger_entry(user: object) -> QuerySet[Household]:
    """Active households whose accounts ``user`` may add to, by village and code."""
    return (
        households_qs_for_user(user)
        .active()
        .filter(scope_of(user).ledger_write_q(), erased_at__isnull=True)
        .order_by("village_id", "code")
    )


def household_search_for_ledger_entry(
    user: object, *, village_code: str = "", text: str = "", limit: int = 60
) -> list[Household]:
    """Households of the user's villages whose house number, code or head's name matches
    every word of ``text``, each with ``head`` set (the head of household, or None)."""
    qs = households_for_ledger_entry(user)
    if village_code:
        qs = qs.filter(village_id=village_code)
    words = arabic_digits(text).split()
    for word in words:
        qs = qs.filter(
            Q(house_no__istartswith=word)
            | Q(code__icontains=word)
            | Q(members__is_head=True, members__first_name__icontains=word)
            | Q(members__is_head=True, members__last_name__icontains=word)
        )
    if words:
        qs = qs.distinct()
    households = list(qs.select_related("village").prefetch_related("members")[:limit])
    for h in households:
        h.head = next((m for m in h.members.all() if m.is_head), None)  # type: ignore[attr-defined]
    return households


def household_neighbours_for_ledger_entry(
    user: object, household: Household
) -> tuple[Household | None, Household | None]:
    """The households before and after this one in its village (by code), for going
    through a pile of paper forms."""
    qs = households_for_ledger_entry(user).filter(village_id=household.village_id)
    before = qs.filter(code__lt=household.code).order_by("-code").first()
    after = qs.filter(code__gt=household.code).order_by("code").first()
    return before, after


def villages_for_ledger_entry(user: object) -> list[Area]:
    """The villages whose households' accounts ``user`` may add to."""
    villages = areas_qs().filter(level=Level.VILLAGE).filter(scope_of(user).ledger_write_q(village_field="code"))
    return list(villages.order_by("code")[:500])


# The phone's quick buttons. Income always has its own share of them — wages and crop
# sales first, as on the paper form's income column — so a village whose most written
# lines are all expenses still gets one tap for money coming in. The rest are the
# expenses written most often there, topped up with the daily ones when a village has
# no accounts yet.
COMMON_INCOME = ("I01", "I02", "I03", "I06")
COMMON_EXPENSES = ("C01", "C04", "C05", "C03", "C06", "C13", "C11", "C15", "C18", "P02")
COMMON_CATEGORIES = (*COMMON_INCOME[:2], *COMMON_EXPENSES)


def categories_common_in(area_codes: Iterable[str], *, limit: int = 12, income: int = 4) -> list[Category]:
    """The phone's quick buttons: ``income`` income categories (wages and crop sales
    always among them, then the income written most often in these areas), then the
    expense categories written most often, topped up with the usual ones; ``limit`` in all."""
    counted = list(
        AreaMonthCategory.objects.filter(area_code__in=list(area_codes))
        .values("category_id", "category__kind")
        .annotate(n=Sum("entries"))
        .filter(n__gt=0)
        .order_by("-n", "category_id")
        .values_list("category_id", "category__kind")[: 4 * limit]
    )
    written_income = [code for code, kind in counted if kind == Kind.INCOME]
    written_expense = [code for code, kind in counted if kind != Kind.INCOME]
    income_codes = list(dict.fromkeys([*COMMON_INCOME[:2], *written_income, *COMMON_INCOME[2:]]))[:income]
    expense_codes = list(dict.fromkeys([*written_expense, *COMMON_EXPENSES]))[: limit - len(income_codes)]
    codes = [*income_codes, *expense_codes]
    by_code = Category.objects.in_bulk(codes)
    return [by_code[c] for c in codes if c in by_code]


@dataclass(frozen=True)
class CompletenessCell:
    month: Month
    reporting: int | None  # None: fewer than 5, hidden from aggregate-only readers
    registered: int | None
    closed: bool

    @property
    def percent(self) -> int | None:
        if self.reporting is None or not self.registered:
            return None
        return round(100 * self.reporting / self.registered)


@dataclass(frozen=True)
class CompletenessRow:
    area: Area
    registered: int | None
    cells: list[CompletenessCell]


def completeness_for_user(user: object, area: Area, months: list[Month]) -> list[CompletenessRow]:
    """Households reporting / registered per child area and month (each month's
    ``households_in_period``; the row's total is this month's), with closed months.

    A village's month is closed when its latest status change says so; a tambon's or
    district's row shows how many of its villages have closed it.
    """
    children = list(area_children(area)) if area.level != "village" else [area]
    if not children:
        return []
    child_level = children[0].level
    first, last = months[0].first_day, months[-1].first_day
    # Each month's households and reporting households are households_in_period's, so
    # a month reads 40 of 40, never 40 of 35: reporting is counted among them.
    codes = [c.code for c in children]
    by_month = {m: households_in_period_by_child(area.code, child_level, m, m) for m in months}
    shown = {m: household_counts_for_user(user, codes, m, m) for m in months}
    registered = household_counts_for_user(user, codes)
    latest: dict[tuple[str, dt.date], str] = {}
    for village, month, action in (
        MonthStatusChange.objects.filter(village__in=areas_qs().filter(under_q(area.code), level="village"))
        .filter(month__gte=first, month__lte=last)
        .order_by("at", "id")
        .values_list("village_id", "month", "action")
    ):
        latest[(village, month)] = action
    persons = scope_of(user).can_read_persons_in
    rows = []
    for child in children:
        cells = []
        for m in months:
            closed = child.level == "village" and latest.get((child.code, m.first_day)) == "close"
            counted = by_month[m].get(child.code)
            cells.append(
                CompletenessCell(
                    month=m,
                    # Households reporting by area and month are published, protected
                    # against subtraction, in the figures and dashboards
                    # (insights.disclosure, a layer above); this working page gives
                    # them only to readers of the area's persons.
                    reporting=(counted.reporting if counted else 0) if persons(child.code) else None,
                    registered=shown[m][child.code].registered,
                    closed=closed,
                )
            )
        rows.append(CompletenessRow(area=child, registered=registered[child.code].registered, cells=cells))
    return rows


def area_months_with_data(area_code: str) -> tuple[Month | None, Month | None]:
    """The first and last month the area has any account line in (from the rollups):
    one indexed aggregate, the rollup's unique key starting with ``area_code``. For month
    pickers and default spans."""
    row = AreaMonthCategory.objects.filter(area_code=area_code, entries__gt=0).aggregate(
        first=Min("month"), last=Max("month")
    )
    first, last = row["first"], row["last"]
    return (Month.of(first) if first else None, Month.of(last) if last else None)


# --- the right month: which month a page shows by default ------------------------------
#
# One definition for every default (dashboards, maps, forum packs and their buttons,
# household statements): the last month the area has CLOSED, else its last COMPLETE one.
#
# - A village's month is closed when its latest status change says so; a larger area's
#   when every one of its villages with registered households has closed it.
# - A month is complete when at least half of the area's registered households sent
#   accounts for it — never the current calendar month while it is still open (a
#   volunteer's one line on the 2nd of the month must not make the province's default a
#   month with one household).
# - Neither: the last month before this one with any accounts, else last month.

COMPLETE_SHARE_PERCENT = 50  # a month with fewer reporting households says so at the top
LOOKBACK_MONTHS = 36  # how far back the default looks for a closed or complete month


@dataclass(frozen=True)
class MonthCoverage:
    """How many of an area's registered households sent accounts for one month."""

    month: Month
    reporting: int
    registered: int  # active households, and those since gone that reported that month
    closed: bool

    @property
    def percent(self) -> int:
        return round(100 * self.reporting / self.registered) if self.registered else 0

    @property
    def complete(self) -> bool:
        """At least half of the registered households reported (see above)."""
        return self.registered > 0 and 100 * self.reporting >= COMPLETE_SHARE_PERCENT * self.registered


@dataclass(frozen=True)
class DefaultMonth:
    month: Month
    reason: str  # "closed", "complete" or "latest" (neither: see the comment above)


def _months_closed_in(area_code: str, first: dt.date, last: dt.date) -> set[dt.date]:
    """The months in [first, last] closed in the area (see above)."""
    if level_of(area_code) == Level.VILLAGE:
        changes = MonthStatusChange.objects.filter(village_id=area_code)
    else:
        changes = MonthStatusChange.objects.filter(village__in=areas_qs().filter(under_q(area_code), level="village"))
    latest: dict[tuple[str, dt.date], str] = {}
    for village, month, action in (
        changes.filter(month__gte=first, month__lte=last)
        .order_by("at", "id")
        .values_list("village_id", "month", "action")
    ):
        latest[(village, month)] = action
    closed_by_month: dict[dt.date, set[str]] = {}
    for (village, month), action in latest.items():
        if action == MonthStatusChange.Action.CLOSE:
            closed_by_month.setdefault(month, set()).add(village)
    if not closed_by_month:
        return set()
    counted = households_in_period_by_child(area_code, Level.VILLAGE, Month.of(first), Month.of(last), reporting=False)
    with_households = {code for code, c in counted.items() if c.registered}
    if not with_households:
        return set()
    return {month for month, closed in closed_by_month.items() if with_households <= closed}


def area_month_coverage(area_code: str, months: Iterable[Month]) -> dict[Month, MonthCoverage]:
    """Households reporting / registered and whether it is closed, for each month: the
    one count every "how complete is this month" answer uses (an aggregate)."""
    wanted = sorted(set(months))
    if not wanted:
        return {}
    first, last = wanted[0].first_day, wanted[-1].first_day
    # THE count of an area's households in each month (registry.selectors; two queries
    # for all the months), and who reported in each, in one grouped query: a reporting
    # household is among the month's households by that definition, so reporting never
    # exceeds registered.
    counted = households_in_periods_by_child(area_code, level_of(area_code), [(m, m) for m in wanted], reporting=False)
    reporting = reporting_by_month(area_code, wanted[0], wanted[-1])
    closed = _months_closed_in(area_code, first, last)
    result = {}
    for m in wanted:
        c = counted[m, m].get(area_code)
        result[m] = MonthCoverage(
            month=m,
            reporting=reporting.get(m.first_day, 0),
            registered=c.registered if c else 0,
            closed=m.first_day in closed,
        )
    return result


def reporting_by_month(area_code: str, start: Month, end: Month) -> dict[dt.date, int]:
    """How many households reported in each month of the span at or under the area (the
    first of the month -> households): one grouped pass over the area's household-months
    (a province's year: ~1 million rows, 0.3–0.5 s), kept under the rollups' version."""

    def count() -> dict[dt.date, int]:
        return dict(
            household_months_reported(area_code, start, end)
            .values("month")
            .annotate(n=Count("household_id", distinct=True))
            .values_list("month", "n")
            .order_by()
        )

    key = f"reporting-by-month:{area_code}:{start.iso()}:{end.iso()}:{rollups_version()}"
    return kept_in_both(key, count)


def default_month_of(coverage: Mapping[Month, MonthCoverage], this_month: Month) -> DefaultMonth:
    """The default month among these months' coverage (see above): for a caller that has
    the coverage already (``area_month_coverage`` of the lookback window)."""
    newest_first = sorted(coverage.values(), key=lambda c: c.month, reverse=True)
    for c in newest_first:
        if c.closed and c.month <= this_month:
            return DefaultMonth(c.month, "closed")
    for c in newest_first:
        if c.month < this_month and c.complete:
            return DefaultMonth(c.month, "complete")
    for c in newest_first:
        if c.month < this_month and c.reporting:
            return DefaultMonth(c.month, "latest")
    return DefaultMonth(this_month.previous(), "latest")


def default_month_window(today: dt.date | None = None) -> list[Month]:
    """The months the default is looked for in: the last ``LOOKBACK_MONTHS`` and this one."""
    this_month = Month.of(today or timezone.localdate())
    return months_between(this_month.add(-LOOKBACK_MONTHS), this_month)


def area_default_month(area_code: str, *, today: dt.date | None = None) -> DefaultMonth:
    """The month a page of the area shows when none is asked for (see above)."""
    window = default_month_window(today)
    return default_month_of(area_month_coverage(area_code, window), window[-1])


def households_not_reported_count_for_user(user: object, area_code: str, month: Month) -> tuple[int, int]:
    """(not reported, writable): of the active households at or under the area whose
    accounts ``user`` may add to, how many have no line in ``month`` yet."""
    writable = households_for_ledger_entry(user).filter(under_q(area_code, village_field="village_id"))
    total = writable.count()
    if not total:
        return 0, 0
    reported = HouseholdMonth.objects.filter(
        household_id__in=writable.values("pk"), month=month.first_day, entries__gt=0
    ).count()
    return total - reported, total


@dataclass(frozen=True)
class MonthToClose:
    village: Area
    coverage: MonthCoverage


def months_ready_to_close(tambon_code: str, months: list[Month], *, today: dt.date | None = None) -> list[MonthToClose]:
    """The villages' months among ``months`` that have ended, are complete (at least half
    the households reported: ``MonthCoverage.complete``) and are not closed yet — the
    cells of the completeness page with a "close" button worth pressing. Newest first."""
    this_month = Month.of(today or timezone.localdate())
    ended = [m for m in months if m < this_month]
    if not ended:
        return []
    villages = {v.code: v for v in area_children(areas_qs().get(code=tambon_code))}
    counted = households_in_periods_by_child(tambon_code, Level.VILLAGE, [(m, m) for m in ended], reporting=False)
    first, last = ended[0].first_day, ended[-1].first_day
    reporting = {
        (village, month): n
        for village, month, n in household_months_reported(tambon_code, ended[0], ended[-1])
        .values("village_code", "month")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("village_code", "month", "n")
        .order_by()
    }
    latest: dict[tuple[str, dt.date], str] = {}
    for village, month, action in (
        MonthStatusChange.objects.filter(village__in=list(villages), month__gte=first, month__lte=last)
        .order_by("at", "id")
        .values_list("village_id", "month", "action")
    ):
        latest[(village, month)] = action
    ready = []
    for m in sorted(ended, reverse=True):
        for code, area in sorted(villages.items()):
            c = counted[m, m].get(code)
            closed = latest.get((code, m.first_day)) == MonthStatusChange.Action.CLOSE
            coverage = MonthCoverage(
                month=m,
                reporting=reporting.get((code, m.first_day), 0),
                registered=c.registered if c else 0,
                closed=closed,
            )
            if coverage.complete and not closed:
                ready.append(MonthToClose(village=area, coverage=coverage))
    return ready


def households_reported_ids(month: Month) -> QuerySet[Any]:
    """The ids (``household_id``) of the households with at least one line in ``month``,
    as a subquery; the registry's household list asks it through its hook (see
    ``LedgersConfig.ready``)."""
    return HouseholdMonth.objects.filter(month=month.first_day, entries__gt=0).values("household_id")

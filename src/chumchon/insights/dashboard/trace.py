"""The rows behind a figure: which households, with how much each, and which ledger
entries were summed into it.

Rows are person-level data, so they only ever come through the registry's and the
ledgers' scoped selectors (``households_qs_for_user``, ``ledger_entries_qs_for_user``),
and only for a user who may read persons in the whole area: anyone else
(aggregate-only roles, a reader of part of the area) gets ``RowsNotAllowed`` and no row.

What each figure's rows are:

- money figures made of categories (``income``, ``expense``, the groups, ``avoidable``,
  ``local_food``, ``interest``, ``principal``, ``borrowing``, ``category``): households
  with a line of those categories in the span, each with its total of them; the entries
  are those lines (a reversal and the line it reverses both appear);
- ``surplus``, ``reporting``: the reporting households with their surplus; the entries
  are their income and expense lines;
- ``deficit``: the households in deficit with their (negative) surplus; their income
  and expense lines;
- ``occupation`` (``category`` = an occupation group, ``""`` for none): the group's
  reporting households with their yearly surplus; their income and expense lines;
- ``debt``, ``debt_source``: households with principal outstanding (the registry's
  latest record per source) and the amount; no entries (a debt is not a ledger line);
- ``debt_fell``, ``debt_cleared``: those households with the principal they repaid net
  of loans received in the span; their F01 and F05 lines;
- ``households``: the households registered in the span (active, or reported in it and
  moved away since); no amounts, no entries.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, under_q
from chumchon.core.thai import Month
from chumchon.insights.dashboard import figures as F
from chumchon.insights.dashboard.common import (
    CENT,
    baht,
    debt_change,
    household_sums,
)
from chumchon.insights.dashboard.figures import figure_spec
from chumchon.insights.dashboard.types import FigureHousehold, FigureRows
from chumchon.insights.dashboard.values import figure_codes
from chumchon.ledgers.selectors import category_kinds, household_month_categories, ledger_entries_qs_for_user
from chumchon.registry.selectors import (
    debts_latest,
    household_heads_prefetch,
    households_in_period_qs,
    households_qs_for_user,
)


class RowsNotAllowed(PermissionError):
    """The user may not read person-level rows in this area (aggregate-only reader)."""


def figure_rows_for_user(
    user: object, area: Area, start: Month, end: Month, *, figure: str, category: str | None = None
) -> FigureRows:
    """The households and entries behind ``figure`` for ``area`` (scoped by the caller)
    over the span; ``RowsNotAllowed`` for a reader without person-level access to it."""
    figure_spec(figure, category)
    if not scope_of(user).can_read_persons_in(area.code):
        raise RowsNotAllowed(area.code)
    cats = category_kinds()
    entries = ledger_entries_qs_for_user(user).filter(
        under_q(area.code, village_field="village_id"), date__gte=start.first_day, date__lte=end.last_day
    )
    money_lines = cats.income + cats.expense
    amounts: dict[int, Decimal | None]
    months: dict[int, int] = {}
    codes = figure_codes(figure, category, cats)
    if codes is not None:
        sums: dict[int, int] = defaultdict(int)
        for household_id, satang in (
            household_month_categories(start, end, area_code=area.code, categories=codes)
            .values("household_id")
            .annotate(satang=Sum("amount"))
            .values_list("household_id", "satang")
        ):
            sums[household_id] += satang or 0
        amounts = {h: baht(v) for h, v in sums.items()}
        entries = entries.filter(category_id__in=codes)
    elif figure in (F.SURPLUS, F.REPORTING, F.DEFICIT, F.OCCUPATION):
        reported = household_sums(area.code, start, end)
        if figure == F.DEFICIT:
            reported = {h: s for h, s in reported.items() if s.surplus < 0}
        if figure == F.OCCUPATION:
            reported = {h: s for h, s in reported.items() if s.occupation == (category or "")}
            amounts = {
                h: (s.yearly_surplus() / 100).quantize(CENT, rounding=ROUND_HALF_UP) for h, s in reported.items()
            }
        else:
            amounts = {h: baht(s.surplus) for h, s in reported.items()}
        months = {h: s.months for h, s in reported.items()}
        entries = entries.filter(category_id__in=money_lines)
        if figure != F.REPORTING and figure != F.SURPLUS:
            entries = entries.filter(household_id__in=list(amounts))
    elif figure in (F.DEBT, F.DEBT_SOURCE):
        amounts = {}
        for household_id, records in debts_latest(area.code).items():
            chosen = sum(r.principal for r in records if category is None or r.source == category)
            if chosen > 0:
                amounts[household_id] = baht(chosen)
        entries = entries.none()
    elif figure in (F.DEBT_FELL, F.DEBT_CLEARED):
        change = debt_change(area.code, start, end, debts_latest(area.code), cats)
        chosen_ids = change.fell if figure == F.DEBT_FELL else change.cleared
        flow_codes = cats.flagged("debt_principal") + cats.flagged("borrowing")
        net: dict[int, int] = defaultdict(int)
        for household_id, code, satang in household_month_categories(
            start, end, household_ids=chosen_ids, categories=flow_codes, reported=False
        ).values_list("household_id", "category_id", "amount"):
            net[household_id] += satang if code in cats.flagged("debt_principal") else -satang
        amounts = {h: baht(net.get(h, 0)) for h in chosen_ids}
        entries = entries.filter(household_id__in=list(chosen_ids), category_id__in=flow_codes)
    else:  # the area's households in the span (registry.selectors.households_in_period)
        amounts = dict.fromkeys(
            households_qs_for_user(user)
            .filter(pk__in=households_in_period_qs(area.code, start, end).values("pk"))
            .values_list("pk", flat=True)
        )
        entries = entries.none()
    households = _households(user, area, amounts, months)
    shown = [h.amount for h in households if h.amount is not None]
    return FigureRows(
        figure=figure,
        category=category,
        area_code=area.code,
        start=start,
        end=end,
        households=households,
        entries=entries.select_related("category", "household", "village__parent").order_by(
            "household_id", "date", "id"
        ),
        total=sum(shown, Decimal("0.00")) if shown else None,
    )


def _households(
    user: object, area: Area, amounts: dict[int, Decimal | None], months: dict[int, int]
) -> list[FigureHousehold]:
    """The households among ``amounts`` that the user may read, largest amount first."""
    found = (
        households_qs_for_user(user)
        .filter(under_q(area.code, village_field="village_id"), pk__in=list(amounts))
        .select_related("village__parent")
        .prefetch_related(household_heads_prefetch())
    )
    rows = [
        FigureHousehold(
            household_id=h.pk,
            code=h.code,
            head_name=h.heads[0].full_name if h.heads else "",
            village_code=h.village_id,
            village_name=h.village.display_name,
            amount=amounts[h.pk],
            months=months.get(h.pk, 0),
            tambon_name=h.village.parent.display_name if h.village.parent else "",
            consent=h.consent,
        )
        for h in found
    ]
    return sorted(rows, key=lambda r: (-abs(r.amount) if r.amount is not None else Decimal(0), r.code))

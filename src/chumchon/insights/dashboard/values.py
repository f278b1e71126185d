"""One value of a figure key per area, for maps and for ``figure_value``.

``values_by_area(scope_code, level, codes, …)`` computes the figure for each of
``codes`` (areas of ``level`` at or under ``scope_code``) with a few aggregated
queries over the whole scope — never one dashboard per area. Each value comes with
the number of households reporting and the number of households behind the value
(``cell``), so a caller can hide small cells.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from chumchon.areas.models import LEVEL_FIELD, Level
from chumchon.core.thai import Month
from chumchon.insights.dashboard import figures as F
from chumchon.insights.dashboard.common import (
    CENT,
    baht,
    category_totals_and_floors,
    debt_change,
    household_sums,
    per,
    share,
)
from chumchon.insights.dashboard.figures import figure_spec
from chumchon.ledgers.selectors import (
    CategoryKinds,
    category_kinds,
    household_month_categories,
    household_months_reported,
)
from chumchon.registry.selectors import debts_latest, households_in_period_by_child


@dataclass(frozen=True)
class AreaValue:
    value: Decimal | None
    reporting: int  # households reporting in the span
    cell: int  # households behind the value, or a floor of them (for small-cell suppression)


def figure_codes(figure: str, category: str | None, cats: CategoryKinds) -> Sequence[str] | None:
    """The categories a money figure sums, or ``None`` for figures not made of categories."""
    made_of = F.figure_categories(cats)
    if figure in made_of:
        return made_of[figure]
    if figure == F.CATEGORY:
        if category is None or category not in cats.by_code:
            raise F.UnknownFigure(f"no category {category!r}")
        return [category]
    return None


def values_by_area(
    scope_code: str, level: Level, codes: list[str], start: Month, end: Month, figure: str, category: str | None = None
) -> dict[str, AreaValue]:
    spec = figure_spec(figure, category)
    width = len(codes[0]) if codes else 0
    column = LEVEL_FIELD[level]
    hm: dict[str, tuple[int, int, int, int]] = dict.fromkeys(codes, (0, 0, 0, 0))
    for code, household_months, n, income, expense in (
        household_months_reported(scope_code, start, end)
        .values(column)
        .annotate(hm=Count("id"), n=Count("household_id", distinct=True), income=Sum("income"), expense=Sum("expense"))
        .values_list(column, "hm", "n", "income", "expense")
    ):
        if code in hm:
            hm[code] = (household_months, n, income or 0, expense or 0)

    def reporting(code: str) -> int:
        return hm[code][1]

    if figure in (F.HOUSEHOLDS, F.REPORTING):
        if figure == F.REPORTING:
            return {c: AreaValue(Decimal(reporting(c)), reporting(c), reporting(c)) for c in codes}
        counts = defaultdict(
            int,
            {c: r.registered for c, r in households_in_period_by_child(scope_code, str(level), start, end).items()},
        )
        return {c: AreaValue(Decimal(counts[c]), reporting(c), counts[c]) for c in codes}
    if figure in (F.INCOME, F.EXPENSE, F.SURPLUS):
        index = {F.INCOME: (2,), F.EXPENSE: (3,), F.SURPLUS: (2, 3)}[figure]

        def amount(c: str) -> int:
            if figure == F.SURPLUS:
                return hm[c][2] - hm[c][3]
            return hm[c][index[0]]

        return {c: AreaValue(per(amount(c), hm[c][0]), reporting(c), reporting(c)) for c in codes}
    cats = category_kinds()
    money_codes = figure_codes(figure, category, cats)
    if money_codes is not None:
        totals, floors = category_totals_and_floors(codes, start, end)
        # Households behind the value: counted for villages; above a village the floor
        # of the rollups, the most households in one of the categories in one month
        # (see compute's "Small cells").
        behind: dict[str, int]
        if level != Level.VILLAGE:
            behind = {c: max((floors[c].get(x, 0) for x in money_codes), default=0) for c in codes}
        else:
            behind = defaultdict(int)
            for code, n in (
                household_month_categories(start, end, area_code=scope_code, categories=money_codes)
                .values("household__village_id")
                .annotate(n=Count("household_id", distinct=True))
                .values_list("household__village_id", "n")
            ):
                behind[code] += n
        return {
            c: AreaValue(per(sum(totals[c].get(x, 0) for x in money_codes), hm[c][0]), reporting(c), behind[c])
            for c in codes
        }
    if figure in (F.DEFICIT, F.OCCUPATION):
        sums = household_sums(scope_code, start, end, None if figure == F.OCCUPATION else {})
        members: dict[str, list[int]] = defaultdict(list)
        for household_id, h in sums.items():
            members[h.village[:width]].append(household_id)
        out: dict[str, AreaValue] = {}
        for c in codes:
            hs = [sums[i] for i in members.get(c, [])]
            if figure == F.DEFICIT:
                deficit = sum(1 for h in hs if h.surplus < 0)
                out[c] = AreaValue(share(deficit, len(hs)), reporting(c), deficit)
            else:
                group = [h for h in hs if h.occupation == (category or "")]
                mean = (
                    (sum((h.yearly_surplus() for h in group), Decimal(0)) / len(group) / 100).quantize(
                        CENT, rounding=ROUND_HALF_UP
                    )
                    if group
                    else None
                )
                out[c] = AreaValue(mean, reporting(c), len(group))
        return out
    debts = debts_latest(scope_code)
    if figure in (F.DEBT, F.DEBT_SOURCE):
        principal: dict[str, int] = defaultdict(int)
        owing: dict[str, int] = defaultdict(int)
        for records in debts.values():
            chosen = [r for r in records if category is None or r.source == category]
            if not chosen:
                continue
            total = sum(r.principal for r in chosen)
            where = chosen[0].village[:width]
            principal[where] += total
            owing[where] += 1 if total > 0 else 0
        return {c: AreaValue(baht(principal[c]), reporting(c), owing[c]) for c in codes}
    if figure not in (F.DEBT_FELL, F.DEBT_CLEARED):
        raise F.UnknownFigure(spec.key)
    change = debt_change(scope_code, start, end, debts, cats)
    chosen_ids = change.fell if figure == F.DEBT_FELL else change.cleared
    # Every such household has lines in the span (it repaid more than it borrowed), so it
    # reported: its village is the one its lines were written in.
    reported = household_sums(scope_code, start, end, {})
    counted: dict[str, int] = defaultdict(int)
    for household_id in chosen_ids:
        if household_id in reported:  # (not when it moved here after its lines were written)
            counted[reported[household_id].village[:width]] += 1
    return {c: AreaValue(Decimal(counted[c]), reporting(c), counted[c]) for c in codes}

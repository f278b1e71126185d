"""A village beside the villages of its tambon and of its district.

Each village's figure is its total over the span divided by its household-months
reported (per household per month, as everywhere on the dashboard); the tambon's and
the district's medians are the medians of that figure over their villages with at
least one household reporting (the village itself included). The difference is
``(village - median) / median`` of the rounded baht figures.

**Flags.** The (at most) ``MAX_FLAGS`` comparisons that differ most from the tambon
median, among those that differ by more than ``FLAG_ABOVE`` (20%) *and* by at least
``MIN_FLAG_BAHT`` baht per household per month — so that ฿3 of tobacco against ฿1 is
not read out to a forum as "200% above".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _

from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.insights.dashboard.common import SHARE, category_totals, median_baht, per
from chumchon.insights.dashboard.types import Comparison
from chumchon.ledgers.selectors import CategoryKind, CategoryKinds, household_months_reported

FLAG_ABOVE = Decimal("0.20")
MIN_FLAG_BAHT = Decimal(20)
MAX_FLAGS = 3


def _thai() -> bool:
    return not (translation.get_language() or "th").startswith("en")


def category_label(cat: CategoryKind) -> str:
    """``ค่าเครื่องดื่มแอลกอฮอล์`` / ``Spending on alcoholic drinks``; income categories
    ``รายได้จากขายผลผลิตการเกษตร`` / ``Income from sale of crops``."""
    if _thai():
        name = cat.name_th
        if cat.is_expense and name.startswith(("ค่า", "เงิน")):
            return name
        if not cat.is_expense and name.startswith(("รายได้", "เงิน")):
            return name
    else:
        name = cat.name_en[:1].lower() + cat.name_en[1:]
    if cat.is_expense:
        return _("Spending on %(name)s") % {"name": name}
    return _("Income from %(name)s") % {"name": name}


def headline_keys(cats: CategoryKinds) -> list[tuple[str, str, Sequence[str]]]:
    """(key, label, category codes) of the comparisons, headline figures first."""
    keys: list[tuple[str, str, Sequence[str]]] = [
        ("income", _("Income"), cats.income),
        ("expense", _("Expense"), cats.expense),
        ("production", _("Production costs"), cats.group("production")),
        ("consumption", _("Consumption spending"), cats.group("consumption")),
        ("financial", _("Financial spending"), cats.group("financial")),
        ("avoidable", _("Avoidable spending"), cats.flagged("avoidable")),
        ("local_food", _("Spending on food the village could produce"), cats.flagged("local_food")),
        ("interest", _("Interest paid"), cats.flagged("interest")),
    ]
    for cat in cats.ordered:
        if cat.is_income or cat.is_expense:
            keys.append((f"category:{cat.code}", category_label(cat), [cat.code]))
    return keys


def _diff(value: Decimal | None, median: Decimal | None) -> Decimal | None:
    if value is None or median is None or median <= 0:
        return None
    return ((value - median) / median).quantize(SHARE, rounding=ROUND_HALF_UP)


def _sentence(label: str, diff: Decimal) -> str:
    percent = int((abs(diff) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if diff > 0:
        return _("%(label)s is %(percent)s%% above the tambon median") % {"label": label, "percent": percent}
    return _("%(label)s is %(percent)s%% below the tambon median") % {"label": label, "percent": percent}


def village_comparisons(village: Area, start: Month, end: Month, cats: CategoryKinds) -> list[Comparison]:
    """The village's figures beside its tambon's and district's village medians (two queries)."""
    tambon, district = village.tambon_code or "", village.district_code or ""
    household_months = dict(
        household_months_reported(district, start, end)
        .values("village_code")
        .annotate(n=Count("id"))
        .values_list("village_code", "n")
    )
    if not household_months.get(village.code):
        return []
    totals = category_totals(sorted(household_months), start, end)

    def figure(code: str, codes: Iterable[str]) -> Decimal:
        """Satang per household-month, unrounded (for the medians)."""
        return Decimal(sum(totals[code].get(c, 0) for c in codes)) / household_months[code]

    out: list[Comparison] = []
    for key, label, codes in headline_keys(cats):
        codes = list(codes)
        value = per(sum(totals[village.code].get(c, 0) for c in codes), household_months[village.code])
        tambon_median = median_baht(figure(v, codes) for v in household_months if v.startswith(tambon))
        district_median = median_baht(figure(v, codes) for v in household_months)
        out.append(
            Comparison(
                key=key,
                label=label,
                value=value,
                tambon_median=tambon_median,
                district_median=district_median,
                diff_vs_tambon=_diff(value, tambon_median),
                diff_vs_district=_diff(value, district_median),
            )
        )
    candidates = [
        c
        for c in out
        if c.diff_vs_tambon is not None
        and abs(c.diff_vs_tambon) > FLAG_ABOVE
        and c.value is not None
        and c.tambon_median is not None
        and abs(c.value - c.tambon_median) >= MIN_FLAG_BAHT
    ]
    candidates.sort(key=lambda c: -abs(c.diff_vs_tambon or Decimal(0)))  # stable: headline figures first on ties
    flagged = {c.key for c in candidates[:MAX_FLAGS]}
    return [
        dataclasses.replace(c, flagged=True, sentence=_sentence(c.label, c.diff_vs_tambon or Decimal(0)))
        if c.key in flagged
        else c
        for c in out
    ]

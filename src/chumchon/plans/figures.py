"""The figures an item may cite as evidence, and their value for an area over a span.

Three families, each computed by the app that owns the data, never here:

- the **standard figures** (``chumchon figures``; the contract's keys: ``households``,
  ``households_reporting``, ``income``, ``expense``, ``production``, ``consumption``,
  ``financial``, ``avoidable``, ``local_food``, ``borrowing`` and ``by_category`` with a
  category): totals over the span, baht or households (``insights.selectors``);
- the **dashboard figures** that are not totals — households in deficit, the yearly
  surplus of an occupation group (repayment capacity), debts outstanding, debts that
  fell or were cleared (``insights.dashboard``);
- the **registry's counts** — target households, households failing a TPMAP
  dimension, households verified on the ground (``registry.selectors``).

``figure_value(user, area, start, end, figure, category)`` answers as ``user`` may see
it: a reader without person-level access to the area gets ``hidden`` where the owning
app hides the cell (the small-cell rule and the cells subtraction would give back);
``user=None`` is the unscoped value (the command line, the demo).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chumchon.access.scope import SYSTEM, scope_of
from chumchon.areas.models import Area
from chumchon.areas.models import Level as AreaLevel
from chumchon.areas.selectors import area_by_code
from chumchon.core.thai import Month
from chumchon.insights import dashboard as D
from chumchon.insights.disclosure import PeriodNotPublished
from chumchon.insights.selectors import Figures, area_figures, area_figures_for_user
from chumchon.ledgers.selectors import category_kinds
from chumchon.registry.models import Dimension
from chumchon.registry.selectors import SMALL_CELL, needs_summary_for_user, verification_report_for_user


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: Promise | str
    unit: str  # baht, households, share (0..1), baht_year, baht_phm (per household per month)
    family: str  # standard, dashboard, registry
    needs_category: bool = False


STANDARD = {
    "households": (_("Households registered"), "households"),
    "households_reporting": (_("Households keeping accounts"), "households"),
    "income": (_("Income (without loans)"), "baht"),
    "expense": (_("Expense"), "baht"),
    "production": (_("Production costs"), "baht"),
    "consumption": (_("Consumption spending"), "baht"),
    "financial": (_("Financial spending"), "baht"),
    "avoidable": (_("Avoidable spending (alcohol, tobacco, gambling)"), "baht"),
    "local_food": (_("Food bought that the area could produce"), "baht"),
    "borrowing": (_("Loans received"), "baht"),
    "by_category": (_("Spending or income of a category"), "baht"),
}
DASHBOARD = {
    D.DEFICIT: (_("Share of households in deficit"), "share"),
    D.OCCUPATION: (_("Yearly surplus per household of an occupation group"), "baht_year"),
    D.DEBT: (_("Debt outstanding"), "baht"),
    D.INTEREST: (_("Interest paid per household per month"), "baht_phm"),
    D.DEBT_FELL: (_("Households whose debt fell"), "households"),
    D.DEBT_CLEARED: (_("Households that cleared their debt"), "households"),
}
REGISTRY = {
    "target": (_("Target households (failing a TPMAP dimension)"), "households"),
    **{f"fails_{d.value}": (d.label, "households") for d in Dimension},
    "verified": (_("Households verified on the ground"), "households"),
}

FIGURES: dict[str, FigureDef] = {
    **{
        k: FigureDef(k, label, unit, "standard", needs_category=k == "by_category")
        for k, (label, unit) in STANDARD.items()
    },
    **{
        k: FigureDef(k, label, unit, "dashboard", needs_category=k == D.OCCUPATION)
        for k, (label, unit) in DASHBOARD.items()
    },
    **{k: FigureDef(k, label, unit, "registry") for k, (label, unit) in REGISTRY.items()},
}


class UnknownFigure(ValueError):
    """Not a figure an item can cite, or one that needs a category without it."""


@dataclass(frozen=True)
class FigureValue:
    value: Decimal | None  # None: hidden from this reader, or nothing to compute
    households: int | None  # households behind the value (None: hidden or not known)
    hidden: bool = False


def figure_def(figure: str, category: str | None) -> FigureDef:
    spec = FIGURES.get(figure)
    if spec is None:
        raise UnknownFigure(figure)
    if spec.needs_category and not category:
        raise UnknownFigure(f"{figure} needs a category")
    if figure == "by_category" and category not in category_kinds().by_code:
        raise UnknownFigure(f"no category {category!r}")
    return spec


#: The standard figures of one (area, span, persons?) computed once for many values: a page
#: that shows several figures of the same area and span passes one dict (``sets``).
StandardSets = dict[tuple[str, str, str, bool], Figures | None]


def figure_value(
    user: object | None, area: Area, start: Month, end: Month, figure: str, category: str | None = None,
    *, sets: StandardSets | None = None,
) -> FigureValue:  # fmt: skip
    spec = figure_def(figure, category)
    user = SYSTEM if user is None else user
    persons = scope_of(user).can_read_persons_in(area.code)
    if spec.family == "standard":
        return _standard(user, area, start, end, figure, category, persons, {} if sets is None else sets)
    if spec.family == "dashboard":
        return _dashboard(user, area, start, end, figure, category, persons)
    return _registry(user, area, figure, persons)


def _standard(
    user: object, area: Area, start: Month, end: Month, figure: str, category: str | None, persons: bool,
    sets: StandardSets,
) -> FigureValue:  # fmt: skip
    at = (area.code, start.iso(), end.iso(), persons)
    if at not in sets:
        try:
            sets[at] = area_figures(area.code, start, end) if persons else area_figures_for_user(user, area, start, end)
        except PeriodNotPublished:
            sets[at] = None
    f = sets[at]
    if f is None:  # a span an aggregate-only reader is not shown
        return FigureValue(None, None, hidden=True)
    if figure == "households":
        return FigureValue(None if f.households is None else Decimal(f.households), f.households, f.households is None)
    if figure == "households_reporting":
        hidden = "households_reporting" in f.hidden or f.suppressed
        n = None if hidden else f.households_reporting
        return FigureValue(None if n is None else Decimal(n), n, hidden)
    key = (category or "") if figure == "by_category" else figure
    value = f.by_category.get(key, Decimal(0)) if figure == "by_category" else getattr(f, figure)
    behind = f.cells.get(key, f.households_reporting)
    hidden = f.suppressed or key in f.hidden
    return FigureValue(None if hidden else value, None if hidden else behind, hidden)


def _dashboard(
    user: object, area: Area, start: Month, end: Month, figure: str, category: str | None, persons: bool
) -> FigureValue:
    from chumchon.insights.dashboard.values import values_by_area

    v = values_by_area(area.code, AreaLevel(area.level), [area.code], start, end, figure, category)[area.code]
    if persons or area.parent_id is None:
        hidden = not persons and (0 < v.cell < SMALL_CELL or 0 < v.reporting < SMALL_CELL)
    else:
        # The map's rule for an aggregate-only reader: the same cell as its siblings show it.
        parent = area_by_code(area.parent_id)
        if parent is None:
            return FigureValue(None, None, True)
        try:
            shown = {c.area.code: c for c in D.figure_by_child_area(user, parent, start, end, figure, category)}
        except PeriodNotPublished:  # a span the map does not publish (a fiscal year to date): hidden
            return FigureValue(None, None, True)
        child = shown.get(area.code)
        hidden = child is None or (child.value is None and v.value is not None)
    if hidden:
        return FigureValue(None, None, True)
    return FigureValue(v.value, v.cell, False)


def _registry(user: object, area: Area, figure: str, persons: bool) -> FigureValue:
    if figure == "verified":
        report = verification_report_for_user(user, area.code)
        n = report.verified + report.newly_found
        hidden = not persons and 0 < n < SMALL_CELL
        return FigureValue(None if hidden else Decimal(n), None if hidden else n, hidden)
    summary = needs_summary_for_user(user, area.code)
    count = summary.target if figure == "target" else summary.by_dimension.get(figure.removeprefix("fails_"))
    if count is None:
        return FigureValue(None, None, True)
    return FigureValue(Decimal(count), count, False)


# The units' words, outside f-strings: xgettext does not read a call inside one.
UNIT_WORDS = {
    "households": _("households"),
    "baht_phm": _("baht per household per month"),
    "baht_year": _("baht a year"),
    "baht": _("baht"),
}


def value_unit_text(value: Decimal | None, unit: str) -> str:
    """A value as printed, with its unit (Thai digits are not used: officers read Arabic)."""
    from chumchon.core.thai import format_amount, format_count

    if value is None:
        return "—"
    if unit == "households":
        return f"{format_count(int(value))} {UNIT_WORDS['households']}"
    if unit == "share":
        return f"{(value * 100).quantize(Decimal('0.1'))}%"
    return f"{format_amount(value)} {UNIT_WORDS.get(unit, UNIT_WORDS['baht'])}"

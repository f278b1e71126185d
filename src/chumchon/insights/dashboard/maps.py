"""A figure per child area, for maps: the villages of a tambon, the tambons of a
district, the districts of a province (a village has none)."""

from __future__ import annotations

from decimal import Decimal

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, Level, level_of
from chumchon.areas.selectors import area_children
from chumchon.core.thai import Month
from chumchon.insights import disclosure
from chumchon.insights.dashboard import figures as F
from chumchon.insights.dashboard.common import small
from chumchon.insights.dashboard.household_cells import (
    CLEARED,
    DEFICIT,
    FELL,
    OWING,
    household_hidden,
    occupation_key,
    source_key,
)
from chumchon.insights.dashboard.types import ChildValue
from chumchon.insights.dashboard.values import values_by_area
from chumchon.registry import disclosure as registry_disclosure


def figure_by_child_area(
    user: object | None, area: Area, start: Month, end: Month, figure: str, category: str | None = None
) -> list[ChildValue]:
    """Each child area of ``area`` (scoped by the caller) with the figure's value in its
    unit (``FIGURES[figure].unit``). For a reader without person-level access to a
    child (``user=None``: anyone, a public print), the value is ``None`` when 1–4 households report there or when 1–4
    households are behind the value (a count of 1–4, a category only 1–4 bought)."""
    children = list(area_children(area))
    if not children:
        return []
    values = values_by_area(
        area.code, Level(children[0].level), [c.code for c in children], start, end, figure, category
    )
    scope = scope_of(user) if user is not None else None
    keys = _disclosure_keys(figure, category)
    household_keys = _household_keys(figure, category)
    memo: dict = {}
    counts_memo: registry_disclosure.Memo = {}
    out: list[ChildValue] = []
    for child in children:
        v = values[child.code]
        hide = scope is None or not scope.can_read_persons_in(child.code)
        reporting_hidden = hide and small(v.reporting)
        hidden = hide and (small(v.reporting) or small(v.cell))
        if hide and not reporting_hidden:
            # the cells insights.disclosure hides, complementary ones too: the money
            # figures and the households reporting, and the household-level cells
            pattern = disclosure.hidden_cells(child.code, start, end, memo=memo)
            reporting_hidden = disclosure.REPORTING in pattern
            if not hidden:
                hidden = bool(pattern & keys) or (figure == F.REPORTING and reporting_hidden)
            if not hidden and household_keys:
                gone = household_hidden(child.code, start, end, memo=memo)
                # a deficit is a share of the households reporting: hidden with them
                hidden = bool(gone & household_keys) or (figure == F.DEFICIT and reporting_hidden)
        if hide and not hidden and figure == F.HOUSEHOLDS:
            # the households: the counts registry.disclosure hides on every page
            known = scope.person_read if scope is not None else frozenset()
            counts = registry_disclosure.hidden_counts_for_reader(child.code, start, end, known=known, memo=counts_memo)
            hidden = "registered" in counts
        out.append(
            ChildValue(
                area=child,
                value=None if hidden else v.value,
                reporting=None if reporting_hidden else v.reporting,
                hidden=hidden and v.value is not None,
            )
        )
    return out


def _household_keys(figure: str, category: str | None) -> frozenset[str]:
    """The household-level cells (``household_cells``) a figure is made of."""
    if figure == F.DEFICIT:
        return frozenset({DEFICIT})
    if figure == F.DEBT_FELL:
        return frozenset({FELL})
    if figure == F.DEBT_CLEARED:
        return frozenset({CLEARED})
    if figure == F.OCCUPATION:
        return frozenset({occupation_key(category or "")})
    if figure in (F.DEBT, F.DEBT_SOURCE):
        return frozenset({source_key(category) if category else OWING})
    return frozenset()


def _disclosure_keys(figure: str, category: str | None) -> frozenset[str]:
    """The cells of ``insights.disclosure`` a figure is made of (a total, or a total per
    household-month): hidden when one of them is."""
    if figure == F.CATEGORY and category:
        return frozenset({category})
    if figure == F.SURPLUS:
        return frozenset({"income", "expense"})
    if figure in (F.INCOME, F.EXPENSE, *F.EXPENSE_GROUPS, *F.FLAG_OF):  # the keys of ``F.figure_categories``
        return frozenset({figure})
    return frozenset()


def figure_value(area_code: str, start: Month, end: Month, figure: str, category: str | None = None) -> Decimal | None:
    """One area's value of a figure key, unscoped, in the figure's unit."""
    return values_by_area(area_code, level_of(area_code), [area_code], start, end, figure, category)[area_code].value

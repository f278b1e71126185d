"""A figure per child area, for maps: the villages of a tambon, the tambons of a
district, the districts of a province (a village has none)."""

from __future__ import annotations

from decimal import Decimal

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, Level, level_of
from chumchon.areas.selectors import area_children
from chumchon.core.thai import Month
from chumchon.insights.dashboard.common import small
from chumchon.insights.dashboard.types import ChildValue
from chumchon.insights.dashboard.values import values_by_area


def figure_by_child_area(
    user: object, area: Area, start: Month, end: Month, figure: str, category: str | None = None
) -> list[ChildValue]:
    """Each child area of ``area`` (scoped by the caller) with the figure's value in its
    unit (``FIGURES[figure].unit``). For a reader without person-level access to a
    child, the value is ``None`` when 1–4 households report there or when 1–4
    households are behind the value (a count of 1–4, a category only 1–4 bought)."""
    children = list(area_children(area))
    if not children:
        return []
    values = values_by_area(
        area.code, Level(children[0].level), [c.code for c in children], start, end, figure, category
    )
    scope = scope_of(user)
    out: list[ChildValue] = []
    for child in children:
        v = values[child.code]
        hide = not scope.can_read_persons_in(child.code)
        hidden = hide and (small(v.reporting) or small(v.cell))
        out.append(
            ChildValue(
                area=child,
                value=None if hidden else v.value,
                reporting=None if hide and small(v.reporting) else v.reporting,
            )
        )
    return out


def figure_value(area_code: str, start: Month, end: Month, figure: str, category: str | None = None) -> Decimal | None:
    """One area's value of a figure key, unscoped, in the figure's unit."""
    return values_by_area(area_code, level_of(area_code), [area_code], start, end, figure, category)[area_code].value

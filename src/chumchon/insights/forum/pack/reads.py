"""What a pack reads: the dashboards and the villages' values. A pack is printed for a
forum, so it is public: it follows the small-cell rule whoever prints it
(``insights.disclosure``). ``internal``: every cell, for staff who chose the internal
copy (the caller checks that they may)."""

from __future__ import annotations

from chumchon.access.selectors import area_get_for_user
from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import area_children, areas_qs
from chumchon.core.thai import Month
from chumchon.insights import dashboard as dash
from chumchon.insights.dashboard import ChildValue, Dashboard
from chumchon.insights.dashboard.values import values_by_area


def dashboard_of(area: Area, start: Month, end: Month, *, internal: bool) -> Dashboard:
    if internal:
        return dash.dashboard_for(area.code, start, end)
    return dash.dashboard_public(area, start, end)


def can_read_persons(user: object, area: Area) -> bool:
    from chumchon.access.scope import scope_of

    return scope_of(user).can_read_persons_in(area.code)


def visible_parent(area: Area, user: object | None) -> Area | None:
    if area.parent_id is None:
        return None
    if user is None:
        return areas_qs().filter(code=area.parent_id).first()
    try:
        return area_get_for_user(user, area.parent_id)
    except Area.DoesNotExist:
        return None


def child_values(tambon: Area, month: Month, figure: str, *, internal: bool) -> list[ChildValue]:
    """Each village's value of a figure: public (the small-cell rule), or every cell
    (``internal``)."""
    if not internal:
        return dash.figure_by_child_area(None, tambon, month, month, figure)
    children = list(area_children(tambon))
    values = values_by_area(tambon.code, Level.VILLAGE, [c.code for c in children], month, month, figure, None)
    return [ChildValue(area=c, value=values[c.code].value, reporting=values[c.code].reporting) for c in children]

"""What a pack reads: the dashboards and the villages' values, as the reader may see
them (``user``) or unscoped (``None``, the command line, which prints every cell)."""

from __future__ import annotations

from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import area_children, area_get_for_user
from chumchon.core.thai import Month
from chumchon.insights import dashboard as dash
from chumchon.insights.dashboard import ChildValue, Dashboard
from chumchon.insights.dashboard.values import values_by_area


def dashboard_of(user: object | None, area: Area, start: Month, end: Month) -> Dashboard:
    if user is None:
        return dash.dashboard_for(area.code, start, end)
    return dash.dashboard_for_user(user, area, start, end)


def can_read_persons(user: object, area: Area) -> bool:
    from chumchon.access.scope import scope_of

    return scope_of(user).can_read_persons_in(area.code)


def visible_parent(area: Area, user: object | None) -> Area | None:
    if area.parent_id is None:
        return None
    if user is None:
        return Area.objects.filter(code=area.parent_id).first()
    try:
        return area_get_for_user(user, area.parent_id)
    except Area.DoesNotExist:
        return None


def child_values(user: object | None, tambon: Area, month: Month, figure: str) -> list[ChildValue]:
    """Each village's value of a figure: as ``user`` may see it, or unscoped (``None``,
    the command line, which prints every cell)."""
    if user is not None:
        return dash.figure_by_child_area(user, tambon, month, month, figure)
    children = list(area_children(tambon))
    values = values_by_area(tambon.code, Level.VILLAGE, [c.code for c in children], month, month, figure, None)
    return [ChildValue(area=c, value=values[c.code].value, reporting=values[c.code].reporting) for c in children]

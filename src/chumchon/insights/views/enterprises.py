"""The household enterprises of a tambon (with its villages) or of a village beside its
tambon: a block the tambon and village pages load (HTMX), and a page of its own."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from chumchon.access.selectors import area_breadcrumbs_for_user, areas_qs_for_user
from chumchon.access.web import area_or_404
from chumchon.areas.models import Level
from chumchon.areas.selectors import area_children
from chumchon.insights.enterprises import enterprise_figures, relative_diff
from chumchon.insights.views.common import span_from
from chumchon.ledgers.models import EnterpriseKind


@require_GET
def area_enterprises(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level not in (Level.TAMBON, Level.VILLAGE):
        raise Http404
    end = span_from(request.GET, area.code).end
    villages = None
    if area.level == Level.TAMBON:
        children = list(area_children(area))
        visible = set(
            areas_qs_for_user(request.user).filter(code__in=[c.code for c in children]).values_list("code", flat=True)
        )
        villages = [c for c in children if c.code in visible]
    figures = enterprise_figures(area, end, user=request.user, villages=villages)
    rows = []
    if figures is not None:
        rice_whole = figures.tambon.get(EnterpriseKind.RICE)
        for row in figures.villages if area.level == Level.TAMBON else ([figures.here] if figures.here else []):
            rice = row.get(EnterpriseKind.RICE)
            rice_cell = (
                rice,
                relative_diff(rice.cost_per_rai if rice else None, rice_whole.cost_per_rai if rice_whole else None),
            )
            profits = []
            for kind in figures.kinds:
                mine, whole = row.get(kind), figures.tambon.get(kind)
                profits.append((mine, relative_diff(mine.profit if mine else None, whole.profit if whole else None)))
            rows.append((row.area, rice_cell, profits))
    context: dict[str, object] = {"area": area, "figures": figures, "rows": rows, "end": end}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "insights/_enterprises.html", context)
    else:
        context["crumbs"] = area_breadcrumbs_for_user(request.user, area)
        response = render(request, "insights/enterprises.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response

"""The map of an area's households (or villages) and uploading village boundaries."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from chumchon.access.permissions import Write, can
from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.services import boundaries_import
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.models import Level, under_q
from chumchon.areas.selectors import areas_qs
from chumchon.areas.services import AreaError
from chumchon.core import maps
from chumchon.core.thai import format_count
from chumchon.registry.selectors import household_points_for_user, village_figures_for_user


def area_map(request: HttpRequest, code: str) -> HttpResponse:
    """Tambon staff see their households as points coloured by the dimensions they
    fail; everyone else sees households per village as bubbles."""
    area = area_or_404(request, code)
    scope = scope_of(request.user)
    shapes = [
        maps.Shape(
            geometry=v.boundary, title=v.display_name, href=reverse("areas:detail", args=[v.code]), label=v.map_name
        )
        for v in areas_qs().filter(under_q(area.code), level=Level.VILLAGE, boundary__isnull=False)
        if v.boundary
    ]
    if area.boundary and not shapes:
        shapes = [maps.Shape(geometry=area.boundary, title=area.display_name)]
    scale = None
    persons = scope.can_read_persons_in(area.code) and area.level in (Level.TAMBON, Level.VILLAGE)
    if persons:
        points = [
            maps.Point(
                lon=p.lon, lat=p.lat, colour=maps.DIMENSION_COLOURS[min(p.dimensions_failed, 5)], radius=4.5,
                title=f"{p.code}", href=reverse("registry:detail", args=[p.pk]),
            )
            for p in household_points_for_user(request.user, area.code)
        ]  # fmt: skip
        legend = [
            maps.LegendItem(colour=c, label=label)
            for c, label in zip(maps.DIMENSION_COLOURS, DIMENSION_LEGEND, strict=False)
        ]
        mode = "households"
    else:
        figures = [
            f for f in village_figures_for_user(request.user, area.code) if f.lat is not None and f.lon is not None
        ]
        largest = max((f.households or 0 for f in figures), default=0)
        points = []
        for f in figures:
            n = f.households
            share = (f.target or 0) / n if n else 0
            colour = maps.DIMENSION_COLOURS[0 if share < 0.1 else 2 if share < 0.3 else 4]
            # A village of 1–4 households is hidden from this reader: hatched, one size, never a share of 0.
            hidden = n is None
            points.append(
                maps.Point(
                    lon=f.lon or 0, lat=f.lat or 0, colour=maps.HIDDEN_FILL if hidden else colour,
                    radius=maps.HIDDEN_RADIUS if hidden else maps.bubble_radius(n or 0, largest or 1),
                    title=f"{f.village.display_name}: {'–' if n is None else n}",
                    href=reverse("areas:detail", args=[f.village.code]), label=f.village.map_name,
                    stroke=maps.HIDDEN_STROKE if hidden else "#ffffff",
                )
            )  # fmt: skip
        if largest:
            scale = maps.BubbleScale(
                title=_("Households"),
                circles=tuple(
                    maps.ScaleCircle(radius=maps.bubble_radius(v, largest), text=format_count(int(v)))
                    for v in maps.scale_values(largest, smallest=1)
                ),
            )
        legend = [
            maps.LegendItem(colour=maps.DIMENSION_COLOURS[0], label=_("under 10 percent target households")),
            maps.LegendItem(colour=maps.DIMENSION_COLOURS[2], label=_("10–30 percent target households")),
            maps.LegendItem(colour=maps.DIMENSION_COLOURS[4], label=_("30 percent or more target households")),
        ]
        if any(f.households is None for f in figures):
            legend.append(
                maps.LegendItem(
                    colour=maps.HIDDEN_SWATCH,
                    label=_(
                        "hidden by the small-cell rule (fewer than 5 households, or one that would give such a count back)"
                    ),
                )
            )
        mode = "villages"
    picture = maps.draw(shapes=shapes, points=points, legend=legend, label=area.display_name, scale=scale)
    return render(
        request,
        "registry/map.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "picture": picture,
            "mode": mode,
            "count": len(points),
            "has_boundaries": bool(shapes),
            "can_upload": can(request.user, Write.PROVINCE_SETTINGS, area.code),
        },
    )


DIMENSION_LEGEND = [
    gettext_lazy("fails no dimension"),
    gettext_lazy("fails 1 dimension"),
    gettext_lazy("fails 2 dimensions"),
    gettext_lazy("fails 3 dimensions"),
    gettext_lazy("fails 4 dimensions"),
    gettext_lazy("fails all 5 dimensions"),
]


@require_http_methods(["GET", "POST"])
def boundaries_upload(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if not can(request.user, Write.PROVINCE_SETTINGS, area.code):
        raise Http404
    result = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a GeoJSON file.")
        elif (upload.size or 0) > 50 * 1024 * 1024:
            error = _("The file is larger than 50 MB.")
        else:
            try:
                document = json.loads(upload.read().decode("utf-8-sig"))
                result = boundaries_import(actor=actor_from_request(request), within=area, document=document)
            except (UnicodeDecodeError, json.JSONDecodeError):
                error = _("This is not a GeoJSON file (JSON could not be read).")
            except AreaError as exc:
                error = str(exc)
    return render(
        request,
        "registry/boundaries.html",
        {"area": area, "crumbs": area_breadcrumbs_for_user(request.user, area), "result": result, "error": error},
    )

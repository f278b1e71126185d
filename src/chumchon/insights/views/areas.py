"""The area pages (home, an area, search, adding a village or a zone): they show the
registry's household counts and act with the user's permissions, so they stand with insights
above the area tree and access. URLs and their names (``areas:*``) are unchanged
(``chumchon.insights.area_urls``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.permissions import Write, can
from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user, area_search_for_user, areas_qs_for_user
from chumchon.access.services import village_create, zone_save
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.forms import VillageForm, ZoneForm
from chumchon.areas.models import CHILD_LEVEL, Area, Level
from chumchon.areas.selectors import area_child_counts, area_children, areas_qs, zones_of_province
from chumchon.areas.services import AreaError
from chumchon.registry.selectors import current_month, household_counts_for_user


def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if scope.is_admin or scope.national_aggregates:
        roots = list(areas_qs().provinces())
    else:
        roots = list(areas_qs_for_user(request.user).filter(code__in=scope.root_codes))
    counts = household_counts_for_user(request.user, [a.code for a in roots])
    if len(roots) > 1:  # the country: provinces with households first, not an empty Bangkok
        roots.sort(key=lambda a: (counts[a.code].registered == 0, a.code))
    rows = [(a, counts[a.code]) for a in roots]
    return render(request, "areas/home.html", {"roots": rows, "month": current_month()})


def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    scope = scope_of(request.user)
    children = list(area_children(area))
    child_level = CHILD_LEVEL.get(Level(area.level))
    counts = household_counts_for_user(request.user, [c.code for c in children])
    visible = set(
        areas_qs_for_user(request.user).filter(code__in=[c.code for c in children]).values_list("code", flat=True)
    )
    rows = [(c, counts[c.code], c.code in visible) for c in children]
    context = {
        "area": area,
        "crumbs": area_breadcrumbs_for_user(request.user, area),
        "rows": rows,
        "child_level": child_level,
        "counts": area_child_counts(area),
        "households": household_counts_for_user(request.user, [area.code])[area.code],
        "month": current_month(),
        "can_read_persons": scope.can_read_persons_in(area.code),
        "can_add_village": area.level == Level.TAMBON and can(request.user, Write.REGISTRY_EDIT, area.code),
        "can_edit_zones": area.level == Level.PROVINCE and _can_edit_zones(request, area),
        "zones": zones_of_province(area) if area.level == Level.PROVINCE else [],
        "village_form": VillageForm(),
        "show_todo": area.level == Level.TAMBON and any(can(request.user, w, area.code) for w in TODO_WRITES),
    }
    return render(request, "areas/detail.html", context)


# What a tambon's to-do list (``insights.todo``, loaded into the page) counts: each item
# is shown to who may act on it, the list to who may act on any.
TODO_WRITES = (Write.LEDGER_REVIEW, Write.REGISTRY_EDIT, Write.MONTH_CLOSE, Write.IMPORT, Write.LEDGER_ENTRY)


def area_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = area_search_for_user(request.user, query) if len(query.strip()) >= 2 or query.strip().isdigit() else []
    template = "areas/_search_results.html" if request.headers.get("HX-Request") else "areas/search.html"
    return render(request, template, {"q": query, "results": results})


@require_http_methods(["POST"])
def village_add(request: HttpRequest, code: str) -> HttpResponse:
    tambon = area_or_404(request, code)
    if tambon.level != Level.TAMBON or not can(request.user, Write.REGISTRY_EDIT, tambon.code):
        raise Http404
    form = VillageForm(request.POST)
    if form.is_valid():
        try:
            village = village_create(
                actor=actor_from_request(request),
                tambon=tambon,
                village_no=form.cleaned_data["village_no"],
                name_th=form.cleaned_data["name_th"],
            )
        except AreaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Added %(name)s") % {"name": village.display_name})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("areas:detail", code=tambon.code)


def _can_edit_zones(request: HttpRequest, province: Area) -> bool:
    return can(request.user, Write.PROVINCE_SETTINGS, province.code)


@require_http_methods(["GET", "POST"])
def zone_add(request: HttpRequest, code: str) -> HttpResponse:
    province = area_or_404(request, code)
    if province.level != Level.PROVINCE or not _can_edit_zones(request, province):
        raise Http404
    choices = [
        (a.code, a.display_name)
        for a in areas_qs()
        .filter(province_code=province.code, level__in=[Level.DISTRICT, Level.TAMBON])
        .order_by("code")
    ]
    form = ZoneForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            zone_save(
                actor=actor_from_request(request),
                province=province,
                name=form.cleaned_data["name"],
                member_codes=form.cleaned_data["members"],
            )
        except AreaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Zone saved"))
            return redirect("areas:detail", code=province.code)
    return render(
        request,
        "areas/zone_form.html",
        {
            "area": province,
            "form": form,
            "crumbs": area_breadcrumbs_for_user(request.user, province, include_self=True),
        },
    )

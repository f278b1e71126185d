from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chumchon.access.models import Action
from chumchon.access.scope import scope_of
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.areas.models import Area
from chumchon.areas.selectors import area_breadcrumbs_for_user, area_get_for_user
from chumchon.registry.models import Household
from chumchon.registry.selectors import household_get_for_user, households_in_area_for_user


def household_list(request: HttpRequest, code: str) -> HttpResponse:
    try:
        area = area_get_for_user(request.user, code)
    except Area.DoesNotExist:
        raise Http404 from None
    if not scope_of(request.user).can_read_persons_in(area.code):
        raise Http404  # aggregate-only roles: no person-level list, same answer as missing
    qs = households_in_area_for_user(request.user, area.code).select_related("village").prefetch_related("members")
    page = Paginator(qs.order_by("village_id", "code"), 50).get_page(request.GET.get("page"))
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household_list",
        area_code=area.code,
        detail={"page": page.number, "ids": [h.pk for h in page.object_list]},
    )
    return render(
        request,
        "registry/household_list.html",
        {"area": area, "crumbs": area_breadcrumbs_for_user(request.user, area), "page": page},
    )


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        household = household_get_for_user(request.user, pk)
    except Household.DoesNotExist:
        raise Http404 from None
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household",
        object_id=household.pk,
        area_code=household.village_id,
    )
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "members": list(household.members.all()),
            "debts": list(household.debts.all()),
        },
    )

"""Lists and figures over an area: the household list, the needs dashboard and the
verification report."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.scope import scope_of
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.areas.selectors import area_breadcrumbs_for_user
from chumchon.areas.web import area_or_404
from chumchon.registry.models import Dimension
from chumchon.registry.selectors import (
    household_filter_q,
    households_in_area_for_user,
    needs_summary_for_user,
    verification_report_for_user,
    welfare_fund_share_for_user,
)


def household_list(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if not scope_of(request.user).can_read_persons_in(area.code):
        raise Http404  # aggregate-only roles: no person-level list, same answer as missing
    filters: dict[str, Any] = {
        "dimension": request.GET.get("dimension", ""),
        "indicator": int(request.GET["indicator"]) if request.GET.get("indicator", "").isdigit() else None,
        "target": request.GET.get("target") == "1",
        "verification": request.GET.get("verification", ""),
    }
    try:
        q = household_filter_q(**filters)
    except ValueError:
        raise Http404 from None
    qs = households_in_area_for_user(request.user, area.code).filter(q).distinct()
    qs = qs.select_related("village__parent").prefetch_related("members")
    page = Paginator(qs.order_by("village_id", "code"), 50).get_page(request.GET.get("page"))
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household_list",
        area_code=area.code,
        detail={
            "page": page.number,
            "ids": [h.pk for h in page.object_list],
            "filters": {k: v for k, v in filters.items() if v},
        },
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/household_list.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "can_write": can(request.user, Write.REGISTRY_EDIT, area.code),
        },
    )


def needs_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    summary = needs_summary_for_user(request.user, area.code)
    return render(
        request,
        "registry/needs.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "summary": summary,
            "fund": welfare_fund_share_for_user(request.user, area.code),
            "can_read_persons": scope_of(request.user).can_read_persons_in(area.code),
            "dimensions": [(d.value, d.label, summary.by_dimension[d.value]) for d in Dimension],
        },
    )


def verification_report(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if not scope_of(request.user).can_read_persons_in(area.code):
        raise Http404  # per-village progress is close to person-level: not for agencies
    return render(
        request,
        "registry/verification.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "report": verification_report_for_user(request.user, area.code),
        },
    )

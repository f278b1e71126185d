"""Lists and figures over an area: the household list, the needs dashboard and the
verification report."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user, areas_qs_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_search, area_or_404
from chumchon.areas.models import Area, Level, under_q
from chumchon.core.thai import Month
from chumchon.core.views import xlsx_response
from chumchon.registry.forms import HouseholdListForm
from chumchon.registry.models import Dimension
from chumchon.registry.selectors import (
    HOUSEHOLD_SORT_DEFAULT,
    HouseholdListFilters,
    current_month,
    household_heads_prefetch,
    households_in_period,
    households_list_for_user,
    masked_query,
    needs_summary_for_user,
    verification_report_for_user,
    welfare_fund_share_for_user,
)
from chumchon.registry.views.exports import household_list_workbook

EXPORT_MAX_HOUSEHOLDS = 20_000  # a spreadsheet beyond this is a database copy, not a list to take away


def _list_form(request: HttpRequest, area: Area) -> tuple[HouseholdListForm, HouseholdListFilters]:
    """The list's filters from the query string; a value that does not parse is shown
    as an error on the form and not applied."""
    villages = [
        (v.code, v.display_name)
        for v in areas_qs_for_user(request.user).filter(under_q(area.code), level=Level.VILLAGE).order_by("code")
    ]
    form = HouseholdListForm(request.GET, villages=villages, this_month=Month.of(timezone.localdate()))
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    return form, HouseholdListFilters(
        q=data.get("q", ""),
        village=data.get("village", ""),
        status=data.get("status", ""),
        verification=data.get("verification", ""),
        target=bool(data.get("target")),
        dimension=data.get("dimension", ""),
        indicator=data.get("indicator"),
        not_reported=data.get("not_reported"),
        sort=data.get("sort") or HOUSEHOLD_SORT_DEFAULT,
        # this month's households; those that left before it on request (``?left=1``)
        period=None if request.GET.get("left") == "1" else current_month(),
    )


def _filters_detail(filters: HouseholdListFilters) -> dict[str, Any]:
    """The filters as the audit log records them (a national ID in ``q`` masked)."""
    detail = {k: v for k, v in asdict(filters).items() if v not in (None, "", False) and k not in ("sort", "period")}
    if filters.q:
        detail["q"] = masked_query(filters.q)
    if filters.not_reported is not None:
        detail["not_reported"] = filters.not_reported.iso()
    return detail


def _filters_text(form: HouseholdListForm) -> str:
    """The filters applied, as a person reads them (for the spreadsheet's note)."""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", False) or name in ("sort", "indicator"):
            continue
        field = form.fields[name]
        shown = dict(getattr(field, "choices", [])).get(value, value)
        if name == "not_reported":
            shown = value.label()
        elif name == "q":
            shown = masked_query(value)
        elif value is True:
            shown = _("Yes")
        parts.append(f"{field.label}: {shown}")
    return " · ".join(parts)


def _persons_area(request: HttpRequest, code: str) -> Area:
    area = area_or_404(request, code)
    if not scope_of(request.user).can_read_persons_in(area.code):
        raise Http404  # aggregate-only roles: no person-level list, same answer as missing
    return area


def household_list(request: HttpRequest, code: str) -> HttpResponse:
    area = _persons_area(request, code)
    form, filters = _list_form(request, area)
    qs = households_list_for_user(request.user, area.code, filters)
    qs = qs.select_related("village__parent").prefetch_related(household_heads_prefetch())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    audit_record(
        actor=actor_from_search(request, masked_query(filters.q)),
        action=Action.VIEW,
        object_type="household_list",
        area_code=area.code,
        detail={"page": page.number, "ids": [h.pk for h in page.object_list], "filters": _filters_detail(filters)},
    )
    query = request.GET.copy()
    query.pop("page", None)
    sortless = query.copy()
    sortless.pop("sort", None)
    return render(
        request,
        "registry/household_list.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "page": page,
            "form": form,
            "filters": filters,
            "query": query.urlencode(),
            "sortless_query": sortless.urlencode(),
            "filtered": filters.active,
            "this_month": Month.of(timezone.localdate()),
            "export_max": EXPORT_MAX_HOUSEHOLDS,
            "month": current_month(),
            "with_left": filters.period is None,
            "counts": households_in_period(area.code, current_month(), current_month()),
            "can_write": can(request.user, Write.REGISTRY_EDIT, area.code),
        },
    )


@require_GET
def household_list_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """The household list, as filtered and sorted on the page, as a spreadsheet: one sheet
    of households and one of their members (national IDs masked). Audited as an export."""
    area = _persons_area(request, code)
    form, filters = _list_form(request, area)
    qs = households_list_for_user(request.user, area.code, filters)
    households = list(qs.select_related("village").prefetch_related("members")[: EXPORT_MAX_HOUSEHOLDS + 1])
    if len(households) > EXPORT_MAX_HOUSEHOLDS:
        messages.error(
            request,
            _("More than %(n)s households: narrow the list (a village, a status…) before exporting it.")
            % {"n": f"{EXPORT_MAX_HOUSEHOLDS:,}"},
        )
        return redirect(f"{reverse('registry:list', args=[area.code])}?{request.GET.urlencode()}")
    actor = actor_from_search(request, masked_query(filters.q))
    content = household_list_workbook(area, households, _filters_text(form), made_by=request.user)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="household_list",
        area_code=area.code,
        detail={
            "format": "xlsx",
            "households": len(households),
            "ids": [h.pk for h in households],
            "filters": _filters_detail(filters),
        },
    )
    return xlsx_response(content, f"households-{area.code}-{timezone.localdate():%Y%m%d}.xlsx")


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

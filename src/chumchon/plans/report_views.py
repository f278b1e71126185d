"""The printed community plan: ``…/area/<code>/plan.pdf?year=YYYY`` (``…/zones/<id>/…``
for a zone's) for the village forum
and the อปท. council, and ``…/plan.xlsx?year=YYYY`` — the items asking the อปท. as its
project form (แบบ ผ.02).

Scope goes through ``access.selectors.area_get_for_user``: an area out of scope is the
same 404 as one that does not exist, and so is an area with no plan and no item that
year. Whoever downloads it gets the public copy (the small-cell rule; no household
named), since it is printed to be handed out. Every download is audited ("export").
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from chumchon.access.selectors import area_get_for_user
from chumchon.access.web import actor_from_request
from chumchon.areas.models import Area
from chumchon.areas.selectors import zone_by_id
from chumchon.core.thai import arabic_digits, fiscal_year
from chumchon.plans.models import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from chumchon.plans.report import (
    NothingToPrint,
    PlanReport,
    plan_report_build,
    plan_report_pdf,
    plan_report_record_export,
    plan_report_xlsx,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int:
    """``?year=`` (BE); by default the current fiscal year."""
    text = arabic_digits(request.GET.get("year", "").strip())
    if not text:
        return fiscal_year(timezone.localdate())
    if not text.isdigit() or not FISCAL_YEAR_MIN <= int(text) <= FISCAL_YEAR_MAX:
        raise BadRequest("year")
    return int(text)


def _report(request: HttpRequest, code: str | None, zone_id: int | None) -> PlanReport:
    zone = None
    if zone_id is not None:
        zone = zone_by_id(zone_id)
        if zone is None:
            raise Http404
        code = zone.province_id
    try:
        area: Area = area_get_for_user(request.user, code or "")
    except Area.DoesNotExist:
        raise Http404 from None
    lang = "en" if (get_language() or "th").startswith("en") else "th"
    try:
        return plan_report_build(area, _year(request), lang=lang, zone=zone)
    except NothingToPrint:
        raise Http404 from None


def _download(data: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def plan_pdf(request: HttpRequest, code: str | None = None, zone_id: int | None = None) -> HttpResponse:
    report = _report(request, code, zone_id)
    pdf, pages = plan_report_pdf(report)
    plan_report_record_export(actor=actor_from_request(request), report=report, fmt="pdf", pages=pages)
    return _download(pdf, "application/pdf", f"{report.filename_stem}.pdf", inline=True)


@require_GET
def plan_xlsx(request: HttpRequest, code: str | None = None, zone_id: int | None = None) -> HttpResponse:
    report = _report(request, code, zone_id)
    data = plan_report_xlsx(report)
    plan_report_record_export(actor=actor_from_request(request), report=report, fmt="xlsx")
    return _download(data, XLSX, f"{report.filename_stem}-pho02.xlsx", inline=False)

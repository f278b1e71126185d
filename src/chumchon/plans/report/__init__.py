"""The printed community plan: ``chumchon report plan`` and the plan's PDF and xlsx
downloads (``plans.report_views``). Always the public copy (``access.scope.PUBLIC``)."""

from __future__ import annotations

from chumchon.areas.models import Area
from chumchon.plans.report.build import (
    PUBLIC,
    ActorBlock,
    EvidenceLine,
    ItemLine,
    NothingToPrint,
    PlanReport,
    Problem,
    local_plan_years,
    plan_report_build,
    plan_report_record_export,
)
from chumchon.plans.report.pdf import plan_report_html, plan_report_pdf
from chumchon.plans.report.xlsx import form_columns, plan_report_xlsx

__all__ = [
    "PUBLIC",
    "ActorBlock",
    "EvidenceLine",
    "ItemLine",
    "NothingToPrint",
    "PlanReport",
    "Problem",
    "form_columns",
    "local_plan_years",
    "plan_pdf_bytes",
    "plan_report_build",
    "plan_report_html",
    "plan_report_pdf",
    "plan_report_record_export",
    "plan_report_xlsx",
]


def plan_pdf_bytes(area: Area, fiscal_year: int, *, user: object | None = None, lang: str = "th") -> bytes:
    """The plan's PDF in one call (the benchmark, scripts). ``user`` scopes the area
    (``Area.DoesNotExist`` outside it; ``None``: unscoped, as the command line); the
    copy is the public one either way."""
    if user is not None:
        from chumchon.access.selectors import area_get_for_user

        area = area_get_for_user(user, area.code)
    pdf, _pages = plan_report_pdf(plan_report_build(area, fiscal_year, lang=lang))
    return pdf

"""The printed plan as PDF (WeasyPrint through ``core.pdf``: A4, Sarabun, no network),
with the forum pack's stylesheet under its own. Charts are HTML boxes and the QR codes
SVG shapes: WeasyPrint drops Thai marks inside SVG ``<text>``, so no text is in SVG."""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from chumchon.core.pdf import document_pdf, render_html_document
from chumchon.plans.report.build import PlanReport

TEMPLATE = "plans/report/plan_pdf.html"
STYLESHEETS = ("insights/forum-pack.css", "plans/plan-report.css")
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def plan_report_html(report: PlanReport) -> str:
    with translation.override(report.lang):
        title = f"{report.title} {report.area_name} {report.year_label}"
        html = render_to_string(TEMPLATE, {"report": report, "title": title, "pdf": True})
    # Line breaks between tags only make text boxes for WeasyPrint to lay out.
    return _BETWEEN_TAGS.sub("><", html)


def plan_report_pdf(report: PlanReport, *, font_config: Any = None) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages."""
    document = render_html_document(plan_report_html(report), stylesheets=STYLESHEETS, font_config=font_config)
    return document_pdf(document), len(document.pages)

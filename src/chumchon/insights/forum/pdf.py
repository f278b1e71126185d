"""The forum pack as PDF (WeasyPrint through ``core.pdf``: A4, Sarabun, no network).

Thai renders through Pango with libthai: tone marks and vowels in HTML text, lines
broken at word boundaries. Charts are HTML boxes and the map an SVG of shapes only,
its labels in HTML, because WeasyPrint drops Thai marks inside SVG ``<text>``.

The cover's headline figures and every section carry a QR code to the live dashboard
of the area for the same span (``core.qr``): the month, or for the year's sections the
fiscal year up to the month.
"""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from chumchon.core.pdf import document_pdf, render_html_document
from chumchon.core.qr import LiveLink, live_link
from chumchon.core.thai import Month, fiscal_year, fiscal_year_months
from chumchon.insights.forum.pack import ForumPack, Section

TEMPLATE = "insights/forum/pack_pdf.html"
STYLESHEETS = ("insights/forum-pack.css",)
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")
# Sections that read the fiscal year up to the month rather than the month alone.
YEAR_SECTIONS = frozenset({"trend", "repayment"})


def dashboard_link(area_code: str, start: Month, end: Month) -> LiveLink:
    """The live dashboard of an area for a span, absolute, with its QR code."""
    path = reverse("insights:dashboard", args=[area_code])
    return live_link(path, {"from": start.iso(), "to": end.iso()})


def _section_links(pack: ForumPack) -> list[tuple[Section, LiveLink]]:
    year_start = fiscal_year_months(fiscal_year(pack.month.first_day))[0]
    return [
        (s, dashboard_link(pack.area_code, year_start if s.key in YEAR_SECTIONS else pack.month, pack.month))
        for s in pack.sections
    ]


def forum_pack_html(pack: ForumPack) -> str:
    with translation.override(pack.lang):
        title = f"{pack.area_name} {pack.month_label}"
        context = {
            "pack": pack,
            "title": title,
            "pdf": True,
            "live": dashboard_link(pack.area_code, pack.month, pack.month),
            "sections": _section_links(pack),
        }
        html = render_to_string(TEMPLATE, context)
    # Line breaks between tags only make text boxes for WeasyPrint to lay out.
    return _BETWEEN_TAGS.sub("><", html)


def forum_pack_document(pack: ForumPack, *, font_config: Any = None) -> Any:
    return render_html_document(forum_pack_html(pack), stylesheets=STYLESHEETS, font_config=font_config)


def forum_pack_pdf(pack: ForumPack, *, font_config: Any = None) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages."""
    document = forum_pack_document(pack, font_config=font_config)
    return document_pdf(document), len(document.pages)


def forum_pack_filename(pack: ForumPack, extension: str) -> str:
    return f"{pack.filename_stem}.{extension}"

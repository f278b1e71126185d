"""The forum pack as PDF (WeasyPrint through ``core.pdf``: A4, Sarabun, no network).

Thai renders through Pango with libthai: tone marks and vowels in HTML text, lines
broken at word boundaries. Charts are HTML boxes and the map an SVG of shapes only,
its labels in HTML, because WeasyPrint drops Thai marks inside SVG ``<text>``.
"""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from chumchon.core.pdf import document_pdf, render_html_document
from chumchon.insights.forum.pack import ForumPack

TEMPLATE = "insights/forum/pack_pdf.html"
STYLESHEETS = ("insights/forum-pack.css",)
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def forum_pack_html(pack: ForumPack) -> str:
    with translation.override(pack.lang):
        title = f"{pack.area_name} {pack.month_label}"
        html = render_to_string(TEMPLATE, {"pack": pack, "title": title, "pdf": True})
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

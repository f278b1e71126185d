"""Household statements as PDF: one household within the request, a village in the background.

Laying out one statement page takes WeasyPrint about 0.5–0.7 s on an office PC. A
village of up to ``IN_REQUEST_LIMIT`` reporting households is laid out by the request;
a bigger one is a background batch (``StatementBatch``; see ``statement_batches``),
laid out ``CHUNK`` households at a time by :func:`statements_pdf_for`.

Every page must be exactly one sheet. The lists on a statement are capped (see
``statements.common``), so they fit; should a page still run over, the document is laid
out again in the compact style.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from chumchon.core.pdf import document_pdf, new_font_config, render_html_document
from chumchon.ledgers.statements import Period, Statement, statements_build
from chumchon.registry.models import Household

logger = logging.getLogger(__name__)

TEMPLATE = "ledgers/statement_pdf.html"
STYLESHEETS = ("ledgers/statement.css",)
IN_REQUEST_LIMIT = 12  # households a request lays out itself (well under 20 s)
CHUNK = 10  # households laid out together in a batch, between progress updates
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def _html(statements: Sequence[Statement], *, title: str, compact: bool) -> str:
    with translation.override("th"):
        html = render_to_string(TEMPLATE, {"statements": statements, "title": title, "compact": compact, "pdf": True})
    # Line breaks between tags only make text boxes for WeasyPrint to lay out; a space
    # that matters (``</b> <span>``) is kept on its line in the templates.
    return _BETWEEN_TAGS.sub("><", html)


def statements_document(statements: Sequence[Statement], *, title: str = "", font_config: Any = None) -> Any:
    """The laid-out document (WeasyPrint), one page per statement."""
    font_config = font_config or new_font_config()
    document = render_html_document(
        _html(statements, title=title, compact=False), stylesheets=STYLESHEETS, font_config=font_config
    )
    if len(document.pages) != len(statements):
        logger.warning(
            "statements ran over one page each (%s pages, %s households)", len(document.pages), len(statements)
        )
        document = render_html_document(
            _html(statements, title=title, compact=True), stylesheets=STYLESHEETS, font_config=font_config
        )
    return document


def statements_pdf(statements: Sequence[Statement], *, title: str = "") -> bytes:
    return document_pdf(statements_document(statements, title=title))


def statement_filename(code: str, period: Period) -> str:
    safe = re.sub(r"[^0-9A-Za-z_-]+", "-", code).strip("-") or "household"
    return f"statement-{safe}-{period.slug}.pdf"


def statements_pdf_for(
    households: Sequence[Household], period: Period, *, title: str = "", progress: Any = None
) -> tuple[bytes, int]:
    """The PDF of these households' statements, laid out CHUNK at a time (memory stays
    flat-ish and ``progress(done)`` can be reported); returns (pdf, pages)."""
    font_config = new_font_config()
    documents: list[Any] = []
    pages: list[Any] = []
    for i in range(0, len(households), CHUNK):
        chunk = statements_build(list(households[i : i + CHUNK]), period)
        document = statements_document(chunk, title=title, font_config=font_config)
        documents.append(document)
        pages.extend(document.pages)
        if progress is not None:
            progress(i + len(chunk))
    if not documents:
        return statements_pdf([], title=title), 0
    # WeasyPrint's documented way of joining documents: copy the first with every page.
    # The documents stay referenced until written (their fonts are in use).
    return documents[0].copy(pages).write_pdf(), len(pages)

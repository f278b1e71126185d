"""The blank household account paper form, as a PDF to print (the guide and the grid link it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from chumchon.ledgers.paper_form import PAPER_FORM_FILENAME, paper_form_pdf


@require_GET
def paper_form(request: HttpRequest) -> HttpResponse:
    """Blank: no personal data, so any signed-in user may print it (nothing is audited)."""
    response = HttpResponse(paper_form_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{PAPER_FORM_FILENAME}"'
    return response


urlpatterns: list[URLPattern] = [path("paper-form.pdf", paper_form, name="paper_form")]

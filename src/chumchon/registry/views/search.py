"""The top search box: areas, households and people, within the reader's scope.

The dropdown (HTMX, as one types) shows the first few areas and households with the
people a query named; the page shows them all, paged. Households come from the
registry's one search (``households_search_for_user``): an aggregate-only reader gets
areas only. Every page of households shown is audited, the query with any national ID
masked — in the detail and in the recorded path.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chumchon.access.models import Action
from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_search_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_search
from chumchon.registry.selectors import (
    SEARCH_MAX_CHARS,
    household_search_hits,
    households_search_for_user,
    masked_query,
    search_terms,
)

DROPDOWN_AREAS = 5
DROPDOWN_HOUSEHOLDS = 8
PAGE_HOUSEHOLDS = 25


@require_GET
def household_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "")[:SEARCH_MAX_CHARS]
    dropdown = bool(request.headers.get("HX-Request"))
    text = query.strip()
    terms = search_terms(text)
    areas = []
    if not terms.national_id_hash and (len(text) >= 2 or text.isdigit()):
        areas = area_search_for_user(request.user, text, limit=DROPDOWN_AREAS if dropdown else 30)
    persons = scope_of(request.user).has_person_access
    page = None
    hits = []
    if persons and terms.searchable:
        qs = households_search_for_user(request.user, text).select_related("village").prefetch_related("members")
        page = Paginator(qs, DROPDOWN_HOUSEHOLDS if dropdown else PAGE_HOUSEHOLDS).get_page(
            1 if dropdown else request.GET.get("page")
        )
        hits = household_search_hits(page.object_list, text)
        if hits:
            masked = masked_query(text)
            audit_record(
                actor=actor_from_search(request, masked),
                action=Action.VIEW,
                object_type="household_search",
                detail={"q": masked, "page": page.number, "ids": [h.household.pk for h in hits]},
            )
    context = {
        "q": text,
        "masked_q": masked_query(text) if text else "",
        "areas": areas,
        "hits": hits,
        "page": page,
        "persons": persons,
        "invalid_id": terms.invalid_national_id,
        "query": urlencode({"q": text}) if text else "",
    }
    if dropdown:
        return render(request, "registry/_search_dropdown.html", context)
    return render(request, "registry/search.html", context)

"""The category picker's answers for one household's grid and phone form: the categories
for what is being typed, best first (``ledgers.selectors.categories_for_text`` — the one
ranking that the imports and ``GET /api/categories`` use too), ranked by what this
household wrote before."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from chumchon.ledgers.selectors import PickedCategory, categories_for_text
from chumchon.ledgers.suggest import KINDS
from chumchon.ledgers.views.entry.common import household_for_entry

MAX_TEXT = 200  # an item's length


def picked_json(picked: PickedCategory) -> dict[str, Any]:
    c = picked.category
    return {
        "code": c.code,
        "name_th": c.name_th,
        "name_en": c.name_en,
        "group": c.group,
        "kind": c.kind,
        "matched": picked.matched,
        "source": picked.source,
    }


@require_GET
def entry_categories(request: HttpRequest, pk: int) -> JsonResponse:
    """``?q=TEXT&kind=income|expense`` → ``{"items": [...]}`` best first (at most 12)."""
    household = household_for_entry(request, pk)
    kind = request.GET.get("kind") or None
    text = request.GET.get("q", "")[:MAX_TEXT].replace("\x00", "")
    items = categories_for_text(text, kind=kind if kind in KINDS else None, household_id=household.pk)
    response = JsonResponse({"items": [picked_json(p) for p in items]})
    response["Cache-Control"] = "private, no-store"
    return response

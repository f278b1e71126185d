"""The ledgers' part of the web API: the categories for what a person wrote.

``GET /api/categories?q=TEXT&kind=income|expense&household=ID`` answers the categories
best first by the one ranking every picker and the imports use
(``ledgers.selectors.categories_for_text``): never one of the other kind when ``kind``
is given; with ``household`` (a household in the caller's scope, else 404), ranked by
what that household wrote before. Without ``q``, every category in its standard order.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from chumchon.core.api import LOOKUP, Text
from chumchon.ledgers.models import Category
from chumchon.ledgers.selectors import PickedCategory, categories_all, categories_for_text
from chumchon.registry.selectors import household_get_for_user

router = Router(tags=["categories"])


class CategoryOut(Schema):
    code: str
    name_th: str
    name_en: str
    group: str
    kind: str
    matched: str = Field(description="the keyword, past item, code or name it was found by ('' without q)")
    source: str = Field(description="code, history, keyword or name ('' without q)")


class CategoriesOut(Schema):
    items: list[CategoryOut]


@router.get(
    "",
    response={200: CategoriesOut, **LOOKUP},
    summary="Categories best first for what a person wrote on a form (never one of the other kind)",
)
def list_categories(
    request: HttpRequest,
    q: Annotated[Text, Field(max_length=200)] = "",
    kind: Literal["income", "expense"] | None = None,
    household: int | None = None,
) -> dict[str, list[dict[str, str]]]:
    if household is not None:
        household_get_for_user(request.user, household)  # 404 when missing or out of scope
    if not q.strip():
        return {"items": [_out(c.code, c.name_th, c.name_en, c.group, c.kind) for c in _of_kind(kind)]}
    picked = categories_for_text(q, kind=kind, household_id=household)
    return {"items": [_picked(p) for p in picked]}


def _of_kind(kind: str | None) -> list[Category]:
    return [c for c in categories_all() if kind in (None, c.kind)]


def _picked(p: PickedCategory) -> dict[str, str]:
    c = p.category
    return _out(c.code, c.name_th, c.name_en, c.group, c.kind, p.matched, p.source)


def _out(code: str, th: str, en: str, group: str, kind: str, matched: str = "", source: str = "") -> dict[str, str]:
    return {
        "code": code,
        "name_th": th,
        "name_en": en,
        "group": group,
        "kind": kind,
        "matched": matched,
        "source": source,
    }

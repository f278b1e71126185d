"""The community plans' part of the web API (/api/plans).

``GET /api/plans?area=CODE&year=YYYY`` lists the items of the plans of an area and of
every area under it for a fiscal year (BE); ``GET /api/plans/items/{id}`` is one item;
``POST …/evidence`` cites a figure of the system for an item and ``POST …/status``
moves it along its status path. Everything is read through ``plans.selectors`` (an
item or area out of scope answers 404, exactly as a missing one) and written through
``plans.services``: a caller who may not write the item's plan gets 403, an input the
services refuse 422 with their message. Items carry no person-level data: the
households that committed to an item are never in these answers, for any caller.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from chumchon.access.permissions import Write, can, can_anywhere
from chumchon.access.selectors import area_get_for_user
from chumchon.access.web import actor_from_request
from chumchon.areas.models import Area
from chumchon.core.api import LOOKUP, AreaCode, Error, Text, invalid
from chumchon.core.thai import Month
from chumchon.plans import figures, selectors, services
from chumchon.plans.models import PlanItem, Status
from chumchon.plans.selectors import EvidenceView
from chumchon.plans.services import PlanError

router = Router(tags=["plans"])

# The writes add 400 (a body that is not JSON) and 403 (the caller may read the item but
# not write its plan).
WRITE = {**LOOKUP, 400: Error, 403: Error}


class EvidenceOut(Schema):
    id: int
    figure: str | None = Field(description="a figure of the system (null: other data, see title and source)")
    label: str = Field(description="what it is, as the pages show it")
    area: str | None = Field(description="the area code the figure is of")
    from_: str | None = Field(alias="from", description="the span's first month, YYYY-MM")
    to: str | None = Field(description="the span's last month, YYYY-MM")
    category: str | None
    unit: str | None = Field(description="baht, households, share, baht_year or baht_phm")
    value_cited: float | None = Field(description="the figure's value when it was cited (null: hidden)")
    value_now: float | None = Field(description="the figure's value today (null: hidden by the small-cell rule)")
    title: str | None = Field(description="other data: what it is")
    source: str | None = Field(description="other data: where it comes from")
    date: dt.date | None = Field(description="other data: the date of the data")
    coverage: str | None = Field(description="other data: whom or where it covers")
    value_text: str | None = Field(description="other data: its value as written")
    via: str = Field(description="'' for the item's own, 'problem' for its problem's, or the item gathered into it")


class PlanItemOut(Schema):
    id: int
    area: str = Field(description="the code of the area whose plan the item is of")
    village: str | None = Field(description="the village code, or null for an item of a tambon or higher plan")
    title: str
    actor: str
    domain: str | None
    kind: str | None
    households: int = Field(description="households the item serves (a count; never who)")
    cost: float
    amount_asked: float
    fiscal_year: int
    status: str
    status_reason: str
    evidence: list[EvidenceOut]


class PlanItemsOut(Schema):
    items: list[PlanItemOut]


MonthText = Annotated[str, Field(max_length=10, examples=["2567-03", "2024-03"])]


class EvidenceIn(Schema):
    figure: Annotated[Text, Field(max_length=24, examples=["local_food", "by_category"])]
    area: AreaCode
    from_: MonthText = Field(alias="from")
    to: MonthText
    category: Annotated[str, Field(max_length=8, pattern=r"^[A-Za-z0-9_]*$", examples=["C02"])] | None = None


class EvidenceCitedOut(Schema):
    id: int
    figure: str
    area: str
    from_: str = Field(alias="from")
    to: str
    category: str | None
    value_cited: float | None = Field(description="the figure's value when cited (null: hidden from this caller)")
    value_now: float | None


class StatusIn(Schema):
    status: Annotated[Text, Field(max_length=24, examples=["adopted_in_principle"])]
    reason: Annotated[Text, Field(max_length=300)] = ""


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _evidence(view: EvidenceView) -> dict[str, object]:
    e = view.evidence
    figure = bool(e.figure)
    return {
        "id": e.pk,
        "figure": e.figure or None,
        "label": view.label,
        "area": e.area_code or None,
        "from": Month.of(e.start).iso() if figure and e.start else None,
        "to": Month.of(e.end).iso() if figure and e.end else None,
        "category": e.category or None,
        "unit": view.unit or None,
        "value_cited": _number(view.value_cited),
        "value_now": _number(view.value_now),
        "title": None if figure else e.title,
        "source": None if figure else e.source,
        "date": None if figure else e.dated,
        "coverage": None if figure else e.coverage,
        "value_text": None if figure else e.value_text,
        "via": view.via,
    }


def _item(user: object, item: PlanItem) -> dict[str, object]:
    return {
        "id": item.pk,
        "area": item.plan.area_id,
        "village": item.village_code or None,
        "title": item.title,
        "actor": item.actor,
        "domain": item.domain or None,
        "kind": item.kind or None,
        "households": item.households,
        "cost": float(item.cost),
        "amount_asked": float(item.amount_asked),
        "fiscal_year": item.fiscal_year,
        "status": item.status,
        "status_reason": item.status_reason,
        "evidence": [_evidence(v) for v in selectors.item_evidence_views(user, item)],
    }


def _month(text: str, name: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise invalid(
            name, _("Not a month: use YYYY-MM, e.g. 2567-03 (a year above 2400 is Buddhist Era)."), location="body"
        ) from exc


def _refused(name: str, error: PlanError) -> ValidationError:
    return invalid(name, str(error), location="body")


@router.get(
    "",
    response={200: PlanItemsOut, **LOOKUP},
    by_alias=True,
    summary="The plan items of an area and of every area under it for a fiscal year (BE)",
    description=(
        "`area` is a village, tambon, district or province code in the caller's scope (404 otherwise, exactly "
        "as for an area that does not exist); `year` is a Buddhist Era fiscal year such as 2567 (422 for a "
        "year below 2400). `village` is the village code, or null for an item of a tambon or higher plan; "
        "`actor`, `domain`, `kind` and `status` are the codes of plan-template.md. Each item's evidence shows "
        "the value cited beside today's, both null where the small-cell rule hides them from the caller."
    ),
)
def list_plans(request: HttpRequest, area: AreaCode, year: int = Query(..., examples=[2567])) -> dict[str, object]:
    place: Area = area_get_for_user(request.user, area)
    try:
        services.check_fiscal_year(year)
    except PlanError as exc:
        raise invalid("year", str(exc)) from exc
    items = selectors.plan_items_under(request.user, place.code, year)
    return {"items": [_item(request.user, item) for item in items]}


@router.get(
    "/items/{item_id}",
    response={200: PlanItemOut, **LOOKUP},
    by_alias=True,
    summary="One plan item with its evidence",
)
def get_plan_item(request: HttpRequest, item_id: int) -> dict[str, object]:
    return _item(request.user, selectors.plan_item_get_for_user(request.user, item_id))


def _item_for_write(request: HttpRequest, item_id: int) -> PlanItem:
    """As the web's write guard: a role that may never write plans is refused before any
    lookup (403); for the others an item they may not write (a coordinator reading a
    village's item) is the same 404 as a missing one."""
    if not can_anywhere(request.user, Write.PLAN_EDIT):
        raise PermissionDenied
    item = selectors.plan_item_get_for_user(request.user, item_id)
    if not can(request.user, Write.PLAN_EDIT, item.plan.area_id):
        raise Http404
    return item


@router.post(
    "/items/{item_id}/evidence",
    response={200: EvidenceCitedOut, **WRITE},
    by_alias=True,
    summary="Cite a figure of the system as evidence for a plan item",
    description=(
        "`figure` is a key of the standard figures (e.g. `local_food`, or `by_category` with `category`), of "
        "the dashboard or of the registry; `area` the area it is of (422 when it does not exist or is not in "
        "the caller's scope); `from` and `to` months YYYY-MM (a year above 2400 is Buddhist Era). "
        "`value_cited` is the figure's value now, kept as cited; `value_now` is computed whenever the item "
        "is read. 403 when the caller's role never writes plans; 404 when the item is not one they may write."
    ),
)
def add_plan_item_evidence(request: HttpRequest, item_id: int, payload: EvidenceIn) -> dict[str, object]:
    item = _item_for_write(request, item_id)
    start, end = _month(payload.from_, "from"), _month(payload.to, "to")
    try:
        place = area_get_for_user(request.user, payload.area)
    except Area.DoesNotExist:
        # Missing and out of scope are one answer; the item is there, so it is the input.
        raise invalid("area", _("No such area."), location="body") from None
    try:
        evidence = services.evidence_cite(
            actor=actor_from_request(request),
            item=item,
            figure=payload.figure,
            area=place,
            start=start,
            end=end,
            category=payload.category or None,
        )
    except PlanError as exc:
        spec = figures.FIGURES.get(payload.figure)
        name = "to" if end < start else ("category" if spec is not None and spec.needs_category else "figure")
        raise _refused(name, exc) from exc
    [view] = selectors.evidence_views(request.user, [(evidence, "")])
    return {
        "id": evidence.pk,
        "figure": evidence.figure,
        "area": evidence.area_code,
        "from": start.iso(),
        "to": end.iso(),
        "category": evidence.category or None,
        "value_cited": _number(view.value_cited),
        "value_now": _number(view.value_now),
    }


@router.post(
    "/items/{item_id}/status",
    response={200: PlanItemOut, **WRITE},
    by_alias=True,
    summary="Move a plan item along its status path",
    description=(
        "`status` is one of under_consideration, adopted_in_principle, in_local_plan, funded, done, declined. "
        "An item goes forward one or more steps, back one step, or to declined (with a `reason`) from any "
        "step before done; a declined item may be reconsidered. 422 for any other move; 403 when the caller's "
        "role never writes plans, 404 when the item is not one they may write. Every change is kept with who made it."
    ),
)
def set_plan_item_status(request: HttpRequest, item_id: int, payload: StatusIn) -> dict[str, object]:
    item = _item_for_write(request, item_id)
    try:
        services.item_status_set(
            actor=actor_from_request(request), item=item, status=payload.status, reason=payload.reason
        )
    except PlanError as exc:
        declined = payload.status == Status.DECLINED and not payload.reason.strip()
        raise _refused("reason" if declined else "status", exc) from exc
    return _item(request.user, selectors.plan_item_get_for_user(request.user, item_id))

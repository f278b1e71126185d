"""The areas endpoints of the API (/api/areas): they show the registry's and insights' figures
of an area, so they stand with insights above the area tree. Each keeps the operation id it had
when it lived in ``chumchon.areas.api``, so the published schema is unchanged."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from chumchon.access.selectors import area_get_for_user, area_search_for_user
from chumchon.areas.models import Area
from chumchon.areas.selectors import area_ancestors, area_child_counts, area_children
from chumchon.core.api import AUTHENTICATED, LOOKUP, AreaCode, Text, bad_month, invalid
from chumchon.core.thai import Month
from chumchon.insights.cache import area_figures_for_user
from chumchon.insights.disclosure import PeriodNotPublished
from chumchon.registry.selectors import current_month, household_counts_for_user, needs_summary_for_user

router = Router(tags=["areas"])


class AreaBrief(Schema):
    code: str
    level: str
    name_th: str
    name_en: str
    display_name: str


class AreaChild(AreaBrief):
    households: int | None = Field(description="households this month (null: hidden by the small-cell rule)")
    households_left_during: int | None = Field(description="of them, moved away/dissolved this month or since")


class AreaOut(AreaBrief):
    parent: str | None
    ancestors: list[AreaBrief]
    village_no: int | None
    counts: dict[str, int]
    households_month: str = Field(description="the month the household counts are of (YYYY-MM, this month)")
    households: int | None = Field(
        description="households the area has this month: registered there and not left before it began, "
        "or reporting there (null: hidden by the small-cell rule)"
    )
    households_left_during: int | None = Field(description="of them, moved away/dissolved this month or since")
    children: list[AreaChild]


def _brief(a: Area) -> dict[str, object]:
    return {
        "code": a.code,
        "level": a.level,
        "name_th": a.name_th,
        "name_en": a.name_en,
        "display_name": a.display_name,
    }


@router.get(
    "",
    response={200: list[AreaBrief], **AUTHENTICATED},
    summary="Search areas in scope by Thai or English name or code",
    operation_id="chumchon_areas_api_search_areas",
)
def search_areas(request: HttpRequest, q: Text) -> list[dict[str, object]]:
    return [_brief(a) for a in area_search_for_user(request.user, q)]


@router.get(
    "/{code}",
    response={200: AreaOut, **LOOKUP},
    summary="One area with its children and counts",
    operation_id="chumchon_areas_api_get_area",
)
def get_area(request: HttpRequest, code: AreaCode) -> dict[str, object]:
    area = area_get_for_user(request.user, code)
    children = list(area_children(area))
    month = current_month()
    own = household_counts_for_user(request.user, [area.code], month)[area.code]
    counts = household_counts_for_user(request.user, [c.code for c in children], month)
    return {
        **_brief(area),
        "parent": area.parent_id,
        "ancestors": [_brief(a) for a in area_ancestors(area)],
        "village_no": area.village_no,
        "counts": area_child_counts(area),
        "households_month": month.iso(),
        "households": own.registered,
        "households_left_during": own.left_during,
        "children": [
            {
                **_brief(c),
                "households": counts[c.code].registered,
                "households_left_during": counts[c.code].left_during,
            }
            for c in children
        ],
    }


class DimensionCount(Schema):
    dimension: str
    households: int | None


class IndicatorCount(Schema):
    code: str
    dimension: str
    name_th: str
    households: int | None


class NeedsSummaryOut(Schema):
    area: str
    households: int | None
    surveyed: int | None
    welfare_card: int | None
    target: int | None
    by_dimension: list[DimensionCount]
    by_indicator: list[IndicatorCount]


@router.get(
    "/{code}/needs",
    response={200: NeedsSummaryOut, **LOOKUP},
    summary="Households failing each dimension and indicator under an area (aggregate; null = fewer than 5 hidden)",
    operation_id="chumchon_areas_api_needs_summary",
)
def needs_summary(request: HttpRequest, code: AreaCode) -> dict[str, object]:
    area = area_get_for_user(request.user, code)
    s = needs_summary_for_user(request.user, area.code)
    return {
        "area": area.code,
        "households": s.households,
        "surveyed": s.surveyed,
        "welfare_card": s.welfare_card,
        "target": s.target,
        "by_dimension": [{"dimension": k, "households": v} for k, v in s.by_dimension.items()],
        "by_indicator": [
            {"code": i.code, "dimension": i.dimension, "name_th": i.name_th, "households": n} for i, n in s.by_indicator
        ],
    }


class FiguresOut(Schema):
    area: str
    from_: str = Field(..., alias="from")
    to: str
    households: int | None = Field(description="households the area has in the span (null: hidden)")
    households_left_during: int | None = Field(description="of them, moved away/dissolved during the span or since")
    households_reporting: int | None
    income: float | None
    expense: float | None
    production: float | None
    consumption: float | None
    financial: float | None
    avoidable: float | None
    local_food: float | None
    borrowing: float | None
    by_category: dict[str, float | None]


def _month(text: str, field: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise bad_month(field) from exc


@router.get(
    "/{code}/figures",
    response={200: FiguresOut, **LOOKUP},
    by_alias=True,
    summary="The standard figures of an area for a span of months",
    description=(
        "`from` and `to` are YYYY-MM (a year above 2400 is Buddhist Era). income excludes loans received (F05, "
        "`borrowing`); expense = production + consumption + financial. Amounts are baht with two decimals; "
        "for aggregate-only readers, only a month, a fiscal quarter or a fiscal year (422 otherwise), and a "
        "value is null when fewer than 5 households stand behind it or when it would give such a value back "
        "by subtraction (see the README's small-cell rule). A bad month, or `to` before `from`, answers 422."
    ),
    operation_id="chumchon_areas_api_area_figures_view",
)
def area_figures_view(
    request: HttpRequest, code: AreaCode, from_: str = Query(..., alias="from"), to: str = Query(...)
) -> dict[str, object]:
    area = area_get_for_user(request.user, code)
    start, end = _month(from_, "from"), _month(to, "to")
    if end < start:
        raise invalid("to", _("The last month (to) is before the first (from)."))
    try:
        return area_figures_for_user(request.user, area, start, end).as_json()
    except PeriodNotPublished as exc:
        raise invalid("from", str(exc)) from exc

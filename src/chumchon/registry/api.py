import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from chumchon.access.models import Action
from chumchon.access.selectors import area_get_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request, actor_from_search
from chumchon.core.api import LOOKUP, AreaCode, Text, invalid
from chumchon.registry.models import DIMENSION_FIELDS, Debt, Household, Member
from chumchon.registry.selectors import (
    SEARCH_MAX_CHARS,
    household_get_for_user,
    households_in_area_for_user,
    households_qs_for_user,
    households_search_for_user,
    masked_query,
    search_terms,
)

router = Router(tags=["households"])


class MemberOut(Schema):
    id: int
    is_head: bool
    title: str
    first_name: str
    last_name: str
    national_id_masked: str
    birth_date: dt.date | None
    sex: str
    relation: str
    education: str
    occupation: str
    disability: bool
    chronic_illness: bool
    bedridden: bool
    elderly_living_alone: bool
    status: str


class NeedOut(Schema):
    code: str
    dimension: str
    name_th: str
    failed: bool


class NeedsOut(Schema):
    dimensions_failed: list[str]
    is_target: bool
    indicators: list[NeedOut]


class DebtOut(Schema):
    source: str
    principal: Decimal
    interest_rate: Decimal
    monthly_payment: Decimal
    as_of: dt.date


class HouseholdBrief(Schema):
    id: int
    code: str
    village: str
    village_name: str
    tambon: str
    house_no: str
    head_name: str
    occupation_group: str
    welfare_card: bool
    status: str
    dimensions_failed: int
    is_target: bool

    @staticmethod
    def resolve_village(obj: Household) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj: Household) -> str:
        return obj.village.name_th

    @staticmethod
    def resolve_tambon(obj: Household) -> str:
        return obj.tambon_code

    @staticmethod
    def resolve_head_name(obj: Household) -> str:
        heads = [m for m in obj.members.all() if m.is_head]
        return heads[0].full_name if heads else ""


class HouseholdOut(HouseholdBrief):
    district: str
    province: str
    lat: float | None
    lon: float | None
    members_count: int | None
    housing: str
    land_tenure: str
    origin: str
    verification: str
    verified_at: dt.datetime | None
    consent: str
    members: list[MemberOut]
    needs: NeedsOut
    debts: list[DebtOut]

    @staticmethod
    def resolve_needs(obj: Household) -> dict[str, object]:
        answers = list(obj.indicators.select_related("indicator").order_by("indicator__sort_order"))
        return {
            "dimensions_failed": [d.value for d, field in DIMENSION_FIELDS.items() if getattr(obj, field)],
            "is_target": obj.is_target,
            "indicators": [
                {
                    "code": a.indicator.code,
                    "dimension": a.indicator.dimension,
                    "name_th": a.indicator.name_th,
                    "failed": a.failed,
                }
                for a in answers
            ],
        }

    @staticmethod
    def resolve_debts(obj: Household) -> list[Debt]:
        return list(obj.debts.all())

    @staticmethod
    def resolve_district(obj: Household) -> str:
        return obj.district_code

    @staticmethod
    def resolve_province(obj: Household) -> str:
        return obj.province_code

    @staticmethod
    def resolve_members(obj: Household) -> list[Member]:
        return list(obj.members.all())


class Pages(PageNumberPagination):
    """Pages of 50; a page number is bounded so its offset fits a database integer."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1)


SearchText = Annotated[
    Text,
    Field(
        max_length=SEARCH_MAX_CHARS,
        examples=["สมชาย ใจดี", "12/3", "1-1017-00203-45-0"],
        description="A member's name, a house number, a household code, or a whole 13-digit national ID.",
    ),
]


@router.get(
    "",
    response={200: list[HouseholdBrief], **LOOKUP},
    summary="Households in scope, optionally under one area and found by a query (404 when the area is not in scope)",
    description=(
        "`q` finds households by a member's name (partial; tone marks, spaces and other typing variants of "
        "Thai names do not matter), a house number (from its start) or a household code (partial); a whole "
        "13-digit national ID (dashes, spaces or Thai digits allowed) finds the household of its member, "
        "never part of one. Every word of `q` must match. Best first: an exact code, an exact house number, "
        "then by village and code. A 13-digit `q` whose check digit is wrong answers 422. Only households "
        "whose person-level data the caller may read are ever listed (none for an aggregate-only reader)."
    ),
)
@paginate(Pages, page_size=50)
def list_households(
    request: HttpRequest, area: AreaCode | None = None, q: SearchText | None = None
) -> QuerySet[Household]:
    if area:
        area_get_for_user(request.user, area)  # 404 when the area is out of scope
    if q is not None and q.strip():
        if search_terms(q).invalid_national_id:
            raise invalid("q", _("Not a valid national ID: the check digit does not match."))
        masked = masked_query(q)
        qs = households_search_for_user(request.user, q, area_code=area or "")
        audit_record(
            actor=actor_from_search(request, masked),
            action=Action.VIEW,
            object_type="household_search",
            area_code=area or "",
            detail={"via": "api", "q": masked, "page": request.GET.get("page", "1")},
        )
        return qs.select_related("village").prefetch_related("members")
    qs = households_in_area_for_user(request.user, area) if area else households_qs_for_user(request.user)
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household_list",
        area_code=area or "",
        detail={"via": "api", "page": request.GET.get("page", "1")},
    )
    return qs.select_related("village").prefetch_related("members").order_by("village_id", "code")


@router.get(
    "/{household_id}", response={200: HouseholdOut, **LOOKUP}, summary="One household with its members (IDs masked)"
)
def get_household(request: HttpRequest, household_id: int) -> Household:
    h = household_get_for_user(request.user, household_id)
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household",
        object_id=h.pk,
        area_code=h.village_id,
        detail={"via": "api"},
    )
    return h

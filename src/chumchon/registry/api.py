from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from chumchon.access.models import Action
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.areas.selectors import area_get_for_user
from chumchon.registry.models import Household, Member
from chumchon.registry.selectors import household_get_for_user, households_in_area_for_user, households_qs_for_user

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
    members: list[MemberOut]

    @staticmethod
    def resolve_district(obj: Household) -> str:
        return obj.district_code

    @staticmethod
    def resolve_province(obj: Household) -> str:
        return obj.province_code

    @staticmethod
    def resolve_members(obj: Household) -> list[Member]:
        return list(obj.members.all())


@router.get("", response=list[HouseholdBrief], summary="Households in scope, optionally under one area")
@paginate(PageNumberPagination, page_size=50)
def list_households(request: HttpRequest, area: str | None = None) -> QuerySet[Household]:
    if area:
        area_get_for_user(request.user, area)  # 404 when the area is out of scope
        qs = households_in_area_for_user(request.user, area)
    else:
        qs = households_qs_for_user(request.user)
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household_list",
        area_code=area or "",
        detail={"via": "api", "page": request.GET.get("page", "1")},
    )
    return qs.select_related("village").prefetch_related("members").order_by("village_id", "code")


@router.get("/{household_id}", response=HouseholdOut, summary="One household with its members (IDs masked)")
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

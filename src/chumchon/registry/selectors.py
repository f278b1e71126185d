"""Reads of the registry. Scope lives here and only here for households."""

from __future__ import annotations

from django.db.models import Count

from chumchon.access.scope import scope_of
from chumchon.areas.models import under_q
from chumchon.registry.models import Household, HouseholdQuerySet


def households_qs_for_user(user: object) -> HouseholdQuerySet:
    """Households whose person-level data ``user`` may read today."""
    return Household.objects.filter(scope_of(user).person_q())


def household_get_for_user(user: object, pk: int) -> Household:
    """One household, or ``Household.DoesNotExist`` if missing *or* out of scope."""
    return households_qs_for_user(user).select_related("village").get(pk=pk)


def households_in_area_for_user(user: object, area_code: str) -> HouseholdQuerySet:
    return households_qs_for_user(user).filter(under_q(area_code, village_field="village_id"))


def household_count_in_area(area_code: str) -> int:
    """Active households registered at or under an area (an aggregate, not person data)."""
    return Household.objects.active().filter(under_q(area_code, village_field="village_id")).count()


def household_counts_by_child(area_code: str, child_level: str) -> dict[str, int]:
    """Active households per child area of ``area_code`` (``""`` is the whole country)."""
    column = {
        "province": "province_code",
        "district": "district_code",
        "tambon": "tambon_code",
        "village": "village_id",
    }[child_level]
    qs = Household.objects.active()
    if area_code:
        qs = qs.filter(under_q(area_code, village_field="village_id"))
    rows = qs.values_list(column).annotate(n=Count("id"))
    return dict(rows)

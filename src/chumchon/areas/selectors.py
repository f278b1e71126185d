"""Reads of areas. Area scope: the areas at or under any of a user's areas."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q

from chumchon.access.scope import scope_of
from chumchon.areas.models import CHILD_LEVEL, Area, AreaQuerySet, Level, Zone, under_q


def areas_qs_for_user(user: object) -> AreaQuerySet:
    scope = scope_of(user)
    if scope.is_admin or scope.national_aggregates:
        return Area.objects.all()
    codes = sorted(scope.person_read | scope.aggregate_read)
    if not codes:
        return Area.objects.none()
    return Area.objects.filter(reduce(or_, (under_q(c) for c in codes)))


def area_get_for_user(user: object, code: str) -> Area:
    """The area, or ``Area.DoesNotExist`` when it does not exist *or* is out of scope."""
    return areas_qs_for_user(user).get(code=code)


def area_ancestors(area: Area) -> list[Area]:
    """The areas above ``area``, province first (names are public geography)."""
    codes = area.ancestor_codes
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def area_children(area: Area) -> AreaQuerySet:
    child = CHILD_LEVEL.get(Level(area.level))
    if child is None:
        return Area.objects.none()
    return Area.objects.filter(parent=area).order_by("village_no", "code")


def area_search_for_user(user: object, query: str, *, limit: int = 30) -> list[Area]:
    """Areas in scope whose Thai or English name contains the query.

    The words officials put before names (จ. อ. ต. จังหวัด อำเภอ ตำบล หมู่บ้าน บ้าน) are
    ignored, so "ต.ไก่คำ" finds ไก่คำ. A query of digits finds by code.
    """
    text = normalize_area_query(query)
    if not text:
        return []
    qs = areas_qs_for_user(user)
    if text.isdigit():
        qs = qs.filter(code__startswith=text)
    else:
        qs = qs.filter(Q(name_th__icontains=text) | Q(name_en__icontains=text))
    level_rank = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.TAMBON: 2, Level.VILLAGE: 3}
    rows = list(qs.order_by("code")[: limit * 4])
    rows.sort(key=lambda a: (level_rank[Level(a.level)], a.code))
    return rows[:limit]


_PREFIXES = ("จังหวัด", "อำเภอ", "ตำบล", "หมู่บ้าน", "กิ่งอำเภอ", "เขต", "แขวง", "จ.", "อ.", "ต.", "บ้าน")


def normalize_area_query(query: str) -> str:
    text = " ".join((query or "").split())
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :].strip()
            break
    return text


@dataclass(frozen=True)
class AreaStats:
    provinces: int
    districts: int
    tambons: int
    villages: int


def area_stats() -> AreaStats:
    counts = dict(Area.objects.values_list("level").annotate(n=Count("code")).values_list("level", "n"))
    return AreaStats(
        provinces=counts.get(Level.PROVINCE, 0),
        districts=counts.get(Level.DISTRICT, 0),
        tambons=counts.get(Level.TAMBON, 0),
        villages=counts.get(Level.VILLAGE, 0),
    )


def area_child_counts(area: Area) -> dict[str, int]:
    """How many districts, tambons and villages lie under ``area``."""
    rows = (
        Area.objects.filter(under_q(area.code)).exclude(code=area.code).values_list("level").annotate(n=Count("code"))
    )
    return dict(rows)


def zones_of_province(province: Area) -> list[Zone]:
    return list(Zone.objects.filter(province=province).prefetch_related("members"))


@dataclass(frozen=True)
class Crumb:
    area: Area
    link: bool  # False when the area is above the user's scope: shown, not linked


def area_breadcrumbs_for_user(user: object, area: Area, *, include_self: bool = False) -> list[Crumb]:
    chain = [*area_ancestors(area), *([area] if include_self else [])]
    visible = set(areas_qs_for_user(user).filter(code__in=[a.code for a in chain]).values_list("code", flat=True))
    return [Crumb(area=a, link=a.code in visible) for a in chain]


def area_by_code(code: str) -> Area | None:
    """Any area by its code, unscoped: for administrators assigning areas."""
    return Area.objects.filter(code=code).first()

"""Reads of the area tree, which knows no users: a user's areas (area scope) are
``access.selectors``' (``areas_qs_for_user`` / ``area_get_for_user``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from chumchon.areas.models import CHILD_LEVEL, Area, AreaQuerySet, Level, Zone, under_q


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


def zone_by_id(pk: int) -> Zone | None:
    return Zone.objects.filter(pk=pk).select_related("province").prefetch_related("members").first()


def area_by_code(code: str) -> Area | None:
    """Any area by its code, unscoped: for administrators assigning areas."""
    return Area.objects.filter(code=code).first()


def areas_qs() -> AreaQuerySet:
    """Every area, a base to narrow (names and the tree are public geography; which areas a
    user may act in is ``access.selectors``')."""
    return Area.objects.all()


def areas_by_code(codes: Iterable[str]) -> dict[str, Area]:
    """The areas of these codes that exist (one query)."""
    return Area.objects.in_bulk(list(codes))


def child_codes(parent_code: str) -> list[str]:
    """The codes of an area's children, in code order."""
    return list(Area.objects.filter(parent_id=parent_code).order_by("code").values_list("code", flat=True))


def villages_of(tambon_code: str) -> AreaQuerySet:
    """A tambon's villages."""
    return Area.objects.filter(parent_id=tambon_code, level=Level.VILLAGE)

"""Writes of the area tree: loading Thailand's areas, and the rows of the writes a user
makes (villages, zones, boundaries). Those are checked, permitted and audited by
``access.services``, which calls these: the area tree stands below access and knows no
users."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import geothai
from django.db import transaction

from chumchon.areas.models import Area, Level, Zone
from chumchon.core.maps import centroid


class AreaError(Exception):
    """A refused area change; the message (Thai) is shown to the user."""


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def areas_load_thailand() -> LoadResult:
    """Load or refresh every province, district and tambon from the geothai package.

    Idempotent: existing rows keep their primary keys; names are refreshed when the
    official data changed. Villages are never touched (tambon staff own them).
    """
    wanted: list[Area] = []
    for p in geothai.provinces():
        wanted.append(
            Area(code=p.code, level=Level.PROVINCE, name_th=p.name_th, name_en=p.name_en, province_code=p.code)
        )
        for d in geothai.districts(p.code):
            wanted.append(
                Area(
                    code=d.code,
                    level=Level.DISTRICT,
                    name_th=d.name_th,
                    name_en=d.name_en,
                    parent_id=p.code,
                    province_code=p.code,
                    district_code=d.code,
                )
            )
            for s in geothai.subdistricts(d.code):
                wanted.append(
                    Area(
                        code=s.code,
                        level=Level.TAMBON,
                        name_th=s.name_th,
                        name_en=s.name_en,
                        parent_id=d.code,
                        province_code=p.code,
                        district_code=d.code,
                        tambon_code=s.code,
                    )
                )
    existing = {
        code: (th, en)
        for code, th, en in Area.objects.exclude(level=Level.VILLAGE).values_list("code", "name_th", "name_en")
    }
    to_create = [a for a in wanted if a.code not in existing]
    to_update = [a for a in wanted if a.code in existing and existing[a.code] != (a.name_th, a.name_en)]
    with transaction.atomic():
        # Parents first: the list is already in province → district → tambon order.
        Area.objects.bulk_create(to_create, batch_size=1000)
        Area.objects.bulk_update(to_update, ["name_th", "name_en"], batch_size=1000)
    return LoadResult(created=len(to_create), updated=len(to_update))


def village_add(tambon: Area, village_no: int, name_th: str) -> Area:
    """A new village (หมู่ที่ ``village_no``) of a tambon; ``AreaError`` when the tambon has it."""
    code = f"{tambon.code}{village_no:02d}"
    with transaction.atomic():
        if Area.objects.filter(code=code).exists():
            raise AreaError(f"หมู่ที่ {village_no} มีอยู่แล้วในตำบลนี้")
        return Area.objects.create(
            code=code,
            level=Level.VILLAGE,
            name_th=name_th,
            parent=tambon,
            province_code=tambon.province_code,
            district_code=tambon.district_code,
            tambon_code=tambon.code,
            village_code=code,
            village_no=village_no,
        )


def zone_write(province: Area, name: str, members: list[Area], zone: Zone | None = None) -> Zone:
    """Create (``zone`` None) or change a zone of the province with these members;
    ``AreaError`` when a new zone's name is taken."""
    with transaction.atomic():
        if zone is None:
            if Zone.objects.filter(province=province, name=name).exists():
                raise AreaError(f"มีโซนชื่อ {name} อยู่แล้ว")
            zone = Zone.objects.create(province=province, name=name)
        else:
            zone.name = name
            zone.save(update_fields=["name"])
        zone.members.set(members)
    return zone


def area_boundary_set(area: Area, geometry: object) -> None:
    """Keep an area's boundary (a valid GeoJSON Polygon or MultiPolygon), and its centre
    when it has no point yet."""
    area.boundary = geometry
    centre = centroid(geometry)  # type: ignore[arg-type]
    if centre is not None and area.lat is None:
        area.lon, area.lat = (round(Decimal(str(v)), 6) for v in centre)
    area.save(update_fields=["boundary", "lat", "lon", "updated_at"])

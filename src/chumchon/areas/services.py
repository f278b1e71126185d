"""Writes of the areas app: loading Thailand's areas, villages and zones."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import geothai
from django.db import transaction

from chumchon.access.models import Action
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Level, Zone
from chumchon.core.maps import centroid, geometry_is_valid


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


def village_create(*, actor: Actor, tambon: Area, village_no: int, name_th: str) -> Area:
    if tambon.level != Level.TAMBON:
        raise AreaError("หมู่บ้านต้องอยู่ในตำบล")
    if not 1 <= village_no <= 99:
        raise AreaError("หมู่ที่ต้องอยู่ระหว่าง 1 ถึง 99")
    name_th = " ".join(name_th.split())
    if not name_th:
        raise AreaError("ต้องระบุชื่อหมู่บ้าน")
    code = f"{tambon.code}{village_no:02d}"
    with transaction.atomic():
        if Area.objects.filter(code=code).exists():
            raise AreaError(f"หมู่ที่ {village_no} มีอยู่แล้วในตำบลนี้")
        village = Area.objects.create(
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
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="area",
            object_id=code,
            area_code=code,
            detail={"name_th": name_th},
        )
    return village


def village_rename(*, actor: Actor, village: Area, name_th: str) -> Area:
    name_th = " ".join(name_th.split())
    if not name_th:
        raise AreaError("ต้องระบุชื่อหมู่บ้าน")
    with transaction.atomic():
        before = village.name_th
        village.name_th = name_th
        village.save(update_fields=["name_th", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="area",
            object_id=village.code,
            area_code=village.code,
            detail={"before": {"name_th": before}, "after": {"name_th": name_th}},
        )
    return village


def zone_save(*, actor: Actor, province: Area, name: str, member_codes: list[str], zone: Zone | None = None) -> Zone:
    """Create or change a zone: a named group of districts or tambons of one province."""
    if province.level != Level.PROVINCE:
        raise AreaError("เขตพื้นที่ (โซน) ต้องอยู่ในจังหวัด")
    name = " ".join(name.split())
    if not name:
        raise AreaError("ต้องระบุชื่อโซน")
    members = list(Area.objects.filter(code__in=member_codes))
    missing = sorted(set(member_codes) - {a.code for a in members})
    if missing:
        raise AreaError(f"ไม่พบพื้นที่รหัส {', '.join(missing)}")
    for a in members:
        if a.level not in (Level.DISTRICT, Level.TAMBON) or a.province_code != province.code:
            raise AreaError(f"{a.display_name} ไม่ใช่อำเภอหรือตำบลของ{province.display_name}")
    with transaction.atomic():
        if zone is None:
            if Zone.objects.filter(province=province, name=name).exists():
                raise AreaError(f"มีโซนชื่อ {name} อยู่แล้ว")
            zone = Zone.objects.create(province=province, name=name)
            action = Action.CREATE
        else:
            zone.name = name
            zone.save(update_fields=["name"])
            action = Action.UPDATE
        zone.members.set(members)
        audit_record(
            actor=actor,
            action=action,
            object_type="zone",
            object_id=zone.pk,
            area_code=province.code,
            detail={"name": name, "members": sorted(a.code for a in members)},
        )
    return zone


@dataclass(frozen=True)
class BoundaryResult:
    matched: list[str]
    unmatched: list[str]  # a short description of each feature that matched no area


_CODE_KEYS = (
    "code",
    "area_code",
    "village_code",
    "tambon_code",
    "district_code",
    "province_code",
    "adm3_pcode",
    "adm2_pcode",
    "adm1_pcode",
    "pcode",
)


def _feature_code(properties: dict[str, object]) -> str | None:
    """The official code a feature names: known keys first, then any code-like value.
    ``TH370101``-style codes (OCHA P-codes) lose their prefix."""
    lowered = {str(k).lower(): v for k, v in (properties or {}).items()}
    values = [lowered[k] for k in _CODE_KEYS if k in lowered] + list(lowered.values())
    for value in values:
        text = str(value).strip().upper().removeprefix("TH")
        if text.isdigit() and len(text) in (2, 4, 6, 8):
            return text
    return None


def boundaries_import(*, actor: Actor, within: Area, document: dict[str, object]) -> BoundaryResult:
    """Store the boundary of every feature whose code is ``within`` or under it."""
    if document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
        raise AreaError("ไฟล์ต้องเป็น GeoJSON แบบ FeatureCollection")
    features: list[dict[str, object]] = document["features"]  # type: ignore[assignment]
    matched: list[str] = []
    unmatched: list[str] = []
    with transaction.atomic():
        for index, feature in enumerate(features, start=1):
            props = feature.get("properties") or {}
            code = _feature_code(props if isinstance(props, dict) else {})
            geometry = feature.get("geometry")
            if code is None or not code.startswith(within.code):
                unmatched.append(f"#{index}: {code or 'ไม่มีรหัสพื้นที่'}")
                continue
            if not geometry_is_valid(geometry):
                unmatched.append(f"#{index} ({code}): รูปร่างไม่ใช่ Polygon/MultiPolygon ที่ถูกต้อง")
                continue
            area = Area.objects.filter(code=code).first()
            if area is None:
                unmatched.append(f"#{index}: ไม่พบพื้นที่รหัส {code}")
                continue
            area.boundary = geometry
            centre = centroid(geometry)  # type: ignore[arg-type]
            if centre is not None and area.lat is None:
                area.lon, area.lat = (round(Decimal(str(v)), 6) for v in centre)
            area.save(update_fields=["boundary", "lat", "lon", "updated_at"])
            matched.append(code)
        audit_record(
            actor=actor, action=Action.IMPORT, object_type="boundaries", area_code=within.code,
            detail={"matched": len(matched), "unmatched": len(unmatched)},
        )  # fmt: skip
    return BoundaryResult(matched=matched, unmatched=unmatched)

"""The demo province's places: which areas the demo users get, and the villages.

Thailand's areas come from ``chumchon init`` down to tambons; villages are owned by
tambon staff. The demo gives every tambon that has no villages yet between 6 and 16
of them, numbered หมู่ 1..n, with names unique in the tambon. Tambons that already
have villages keep them untouched.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from chumchon.areas.models import Area, Level
from chumchon.demo.common import rng_for
from chumchon.demo.names import (
    DISTRICT_CENTRES,
    PROVINCE_BOX,
    VILLAGE_HEADS,
    VILLAGE_SUFFIXES,
    VILLAGE_TAILS,
)

COORD = Decimal("0.000001")


class DemoError(Exception):
    """The demo cannot be generated as asked; the message (Thai) is shown to the user."""


@dataclass(frozen=True)
class DemoAreas:
    """Where the demo users work."""

    province: Area
    district: Area
    tambon: Area
    other_tambon: Area


def demo_areas_resolve(province_code: str) -> DemoAreas:
    """The province, its first district, that district's first tambon, and the first
    tambon of the second district (or the second tambon when there is one district)."""
    province = Area.objects.filter(code=province_code, level=Level.PROVINCE).first()
    if province is None:
        raise DemoError(f"ไม่พบจังหวัดรหัส {province_code} (รัน chumchon init ก่อน)")
    districts = list(Area.objects.filter(parent=province, level=Level.DISTRICT).order_by("code"))
    tambons_of = {d.code: list(Area.objects.filter(parent=d, level=Level.TAMBON).order_by("code")) for d in districts}
    with_tambons = [d for d in districts if tambons_of[d.code]]
    if not with_tambons:
        raise DemoError(f"{province.display_name} ยังไม่มีตำบล (รัน chumchon init ก่อน)")
    district = with_tambons[0]
    tambon = tambons_of[district.code][0]
    if len(with_tambons) > 1:
        other = tambons_of[with_tambons[1].code][0]
    elif len(tambons_of[district.code]) > 1:
        other = tambons_of[district.code][1]
    else:
        other = tambon
    return DemoAreas(province=province, district=district, tambon=tambon, other_tambon=other)


# --- coordinates -------------------------------------------------------------------


def _clamp(province_code: str, lat: float, lon: float) -> tuple[float, float]:
    south, north, west, east = PROVINCE_BOX[province_code]
    return min(max(lat, south), north), min(max(lon, west), east)


def tambon_centroid(seed: int, tambon: Area) -> tuple[float, float] | None:
    """A plausible point for a tambon: scattered around its district office.

    Only for provinces with known district positions; ``None`` elsewhere.
    """
    centre = DISTRICT_CENTRES.get(tambon.district_code or "")
    if centre is None or tambon.province_code not in PROVINCE_BOX:
        return None
    lat, lon, spread = centre
    rng = rng_for(seed, "geo", tambon.code)
    return _clamp(tambon.province_code, lat + rng.uniform(-spread, spread), lon + rng.uniform(-spread, spread))


def jitter(
    province_code: str, point: tuple[float, float] | None, rng: random.Random, spread: float
) -> tuple[Decimal | None, Decimal | None]:
    """A point near ``point`` (or no point), as the decimals the models store."""
    if point is None or province_code not in PROVINCE_BOX:
        return None, None
    lat, lon = _clamp(province_code, point[0] + rng.gauss(0, spread), point[1] + rng.gauss(0, spread))
    return Decimal(lat).quantize(COORD), Decimal(lon).quantize(COORD)


# --- villages ----------------------------------------------------------------------


def village_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct village names; some later villages are split off earlier ones."""
    names: list[str] = []
    while len(names) < count:
        if names and rng.random() < 0.15:
            mother = rng.choice(names)
            if any(mother.endswith(s) for s in VILLAGE_SUFFIXES):
                continue
            name = mother + rng.choice(VILLAGE_SUFFIXES)
        else:
            head, tail = rng.choice(VILLAGE_HEADS), rng.choice(VILLAGE_TAILS)
            if head.endswith(tail) or tail in head:
                continue
            name = f"บ้าน{head}{tail}"
        if name not in names:
            names.append(name)
    return names


def villages_for_tambon(seed: int, tambon: Area) -> list[Area]:
    """New village rows for a tambon (not saved): หมู่ 1..n, n between 6 and 16."""
    rng = rng_for(seed, "villages", tambon.code)
    count = round(rng.triangular(6, 16, 11))
    centre = tambon_centroid(seed, tambon)
    villages = []
    for no, name in enumerate(village_names(rng, count), start=1):
        code = f"{tambon.code}{no:02d}"
        lat, lon = jitter(tambon.province_code, centre, rng, 0.018)
        villages.append(
            Area(
                code=code,
                level=Level.VILLAGE,
                name_th=name,
                parent_id=tambon.code,
                province_code=tambon.province_code,
                district_code=tambon.district_code,
                tambon_code=tambon.code,
                village_code=code,
                village_no=no,
                lat=lat,
                lon=lon,
            )
        )
    return villages


def villages_ensure(*, seed: int, province: Area) -> tuple[list[Area], int]:
    """Give every tambon of the province without villages its villages.

    Returns every village of the province (by code) and how many were created.
    """
    tambons = list(Area.objects.filter(province_code=province.code, level=Level.TAMBON).order_by("code"))
    having = set(
        Area.objects.filter(province_code=province.code, level=Level.VILLAGE).values_list("tambon_code", flat=True)
    )
    new = [v for t in tambons if t.code not in having for v in villages_for_tambon(seed, t)]
    Area.objects.bulk_create(new, batch_size=500)
    villages = list(Area.objects.filter(province_code=province.code, level=Level.VILLAGE).order_by("code"))
    return villages, len(new)


def demo_village(villages: list[Area], tambon: Area) -> Area:
    """หมู่ 1 of the tambon (or its lowest-numbered village)."""
    own = sorted((v for v in villages if v.tambon_code == tambon.code), key=lambda v: (v.village_no or 0, v.code))
    if not own:
        raise DemoError(f"{tambon.display_name} ไม่มีหมู่บ้าน")
    return next((v for v in own if v.village_no == 1), own[0])

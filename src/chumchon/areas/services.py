"""Writes of the area tree that no user makes: loading Thailand's areas. The writes a user
makes (villages, zones, boundaries) are audited, so they are access's
(``access.services``): the area tree stands below access."""

from __future__ import annotations

from dataclasses import dataclass

import geothai
from django.db import transaction

from chumchon.areas.models import Area, Level


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

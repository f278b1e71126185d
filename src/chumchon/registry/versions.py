"""The registry's version, for results kept in a cache.

Every write of a province's households or of their debts bumps the province's counter
(``RegistryVersion``) inside the write's transaction: saves and deletes of one row
through the signals connected in ``registry.apps``, bulk writes (the registry import,
an indicator edition's recomputation, the demo) by calling ``registry_touch`` once.
A result computed from the registry is kept under the version with no time-to-live.

Reading it is one indexed row at any size. The fingerprint it replaced (rows, newest
id and newest change under the area) scanned every household of the province: 8 ms at
30,000 households and growing with them, on every page and figures call; and it missed
writes that changed no ``updated_at`` (an indicator edition's ``bulk_update``). A write
by hand in SQL bumps nothing: bump with it, in its transaction
(``UPDATE registry_registryversion SET version = version + 1``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Sum

from chumchon.core.pinned import version_read
from chumchon.registry.models import RegistryVersion
from chumchon.registry.signals import registry_changed

TABLE = RegistryVersion._meta.db_table


def registry_version(area_code: str) -> str:
    """The version of the registry at or under an area (``""``: the whole country):
    its province's counter, or the sum of all of them. Read once inside
    ``core.pinned.versions_pinned``."""
    return version_read(f"registry:{area_code[:2]}", lambda: _registry_version_read(area_code[:2]))


def _registry_version_read(area_code: str) -> str:
    if area_code:
        found = RegistryVersion.objects.filter(province_code=area_code[:2]).values_list("version", flat=True).first()
        return str(found or 0)
    return str(RegistryVersion.objects.aggregate(v=Sum("version"))["v"] or 0)


def registry_touch(provinces: Iterable[str]) -> None:
    """Bump the counters of these provinces (codes of two digits, or longer area codes):
    inside the transaction of the write, after it. In code order, so two writers of the
    same provinces never wait on each other crosswise."""
    codes = sorted({code[:2] for code in provinces if code})
    if not codes:
        return
    with connection.cursor() as cursor:
        for code in codes:
            cursor.execute(
                f"INSERT INTO {TABLE} (province_code, version) VALUES (%s, 1) "  # noqa: S608 - the model's table
                "ON CONFLICT (province_code) DO UPDATE SET version = " + TABLE + ".version + 1",
                [code],
            )
    registry_changed.send(sender=RegistryVersion, provinces=codes)

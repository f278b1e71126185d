"""A cache of whole computed results around the figures and the dashboard.

The figures and the dashboard are computed from the rollups and the registry, and are
the same for every reader of one class: person-level readers see them whole, an
aggregate-only reader sees them with the small cells hidden. So one result is kept per

    (what, area code, span, reader class, language, rollups version, registry version)

and never per user. The rollups' version is bumped in the same transaction as every
write of them (``chumchon.ledgers.rollups``); the registry's under the area is a
fingerprint of its households and debt records (count, newest change, newest id), so a
write of either makes the next request recompute, with no time-to-live anywhere.

Two tiers (``settings.CACHES``): each process's memory (``default``, a ``LocMemCache``)
in front of one table in the database (``shared``, Django's ``DatabaseCache``) that
every process of ``chumchon serve``, the background worker and the commands read and
write. So a result computed once — by a request, or ahead of any request by
:mod:`chumchon.insights.warm` after a write — serves every process, survives a restart,
and lives in the very database whose data it was computed from (a test's rollback takes
it away with the data). Old versions' entries age out by ``MAX_ENTRIES``. Keys are
hashed (a key of every part would pass the 250 characters memcached allows). The
computations themselves are not touched: this module only wraps their results.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache, caches
from django.utils import translation

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area
from chumchon.core.cache import kept_in_both
from chumchon.core.thai import Month
from chumchon.insights import selectors
from chumchon.insights.dashboard import Dashboard, compute
from chumchon.insights.selectors import Figures
from chumchon.ledgers.selectors import rollups_version
from chumchon.registry.versions import registry_version

PERSONS = "persons"
AGGREGATE = "aggregate:"


def reader_class(user: object, area_code: str) -> str:
    """``persons`` for a reader with person-level access to the area, else ``aggregate``
    — with the areas where the reader reads persons, whose household counts they know
    (``registry.disclosure``: what is hidden beside them depends on them)."""
    scope = scope_of(user)
    if scope.can_read_persons_in(area_code):
        return PERSONS
    return AGGREGATE + ",".join(sorted(scope.person_read))


def cache_key(what: str, user: object, area_code: str, start: Month, end: Month, *extra: object) -> str:
    """The key of a result for ``user``'s reader class (see the module)."""
    return class_key(what, reader_class(user, area_code), area_code, start, end, *extra)


def class_key(what: str, reader: str, area_code: str, start: Month, end: Month, *extra: object) -> str:
    """The key of a result for a reader class (``reader_class``): what, the area and the
    span readable, the rest (reader class, language, versions) hashed."""
    # Versions first: read before the computation, so a result computed from newer data
    # than its key says is harmless, and one computed from older data cannot get a newer key.
    versions = [
        reader,
        translation.get_language() or "th",
        str(rollups_version()),
        registry_version(area_code),
        *(str(e) for e in extra),
    ]
    digest = hashlib.sha256("\x1f".join(versions).encode()).hexdigest()[:32]
    return f"insights:{what}:{area_code or '-'}:{start.first_day:%Y%m}-{end.first_day:%Y%m}:{digest}"


def clear() -> None:
    """Forget every kept result (both tiers)."""
    cache.clear()
    caches["shared"].clear()


def area_figures_for_user(user: object, area: Area, start: Month, end: Month) -> Figures:
    """``selectors.area_figures_for_user``, cached per reader class and versions."""
    key = cache_key("figures", user, area.code, start, end)
    return kept_in_both(key, lambda: selectors.area_figures_for_user(user, area, start, end))


def dashboard_for_user(
    user: object, area: Area, start: Month, end: Month, *, with_comparisons: bool = True
) -> Dashboard:
    """``dashboard.dashboard_for_user``, cached per reader class and versions."""
    key = cache_key("dashboard", user, area.code, start, end, int(with_comparisons))
    return kept_in_both(
        key, lambda: compute.dashboard_for_user(user, area, start, end, with_comparisons=with_comparisons)
    )


def dashboard_for_class(reader: str, area: Area, start: Month, end: Month) -> Dashboard:
    """The dashboard (comparisons included) under the key ``dashboard_for_user`` gives a
    reader of this class, computed for the class itself: ``persons`` sees every cell,
    ``aggregate:<codes>`` is under the small-cell rule knowing the household counts of
    the areas ``codes`` (``compute.build``). For :mod:`chumchon.insights.warm`."""
    key = class_key("dashboard", reader, area.code, start, end, 1)
    if reader == PERSONS:
        return kept_in_both(key, lambda: compute.build(area, start, end, hide_small=False))
    codes = reader.removeprefix(AGGREGATE)
    known = frozenset(c for c in codes.split(",") if c)
    return kept_in_both(key, lambda: compute.build(area, start, end, hide_small=True, known=known))

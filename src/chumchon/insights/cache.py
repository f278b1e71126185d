"""A cache of whole computed results around the figures and the dashboard.

The figures and the dashboard are computed from the rollups and the registry, and are
the same for every reader of one class: person-level readers see them whole, an
aggregate-only reader sees them with the small cells hidden. So one result is kept per

    (what, area code, span, reader class, language, rollups version, registry version)

and never per user. The rollups' version is bumped in the same transaction as every
write of them (``chumchon.ledgers.rollups``); the registry's under the area is a
fingerprint of its households and debt records (count, newest change, newest id), so a
write of either makes the next request recompute, with no time-to-live anywhere.

The backend is Django's ``LocMemCache`` (``settings.CACHES``): ``chumchon serve`` is
one process of threads, so every request shares it; nothing is written to disk or to
the database, and old versions' entries age out by ``MAX_ENTRIES``. A second process
(``db_worker``) keeps its own, which is correct since every key carries the versions.
The computations themselves are not touched: this module only wraps their results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import translation

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.insights import selectors
from chumchon.insights.dashboard import Dashboard, compute
from chumchon.insights.dashboard.common import household_q
from chumchon.insights.selectors import Figures
from chumchon.ledgers.rollups import rollups_version
from chumchon.registry.models import Debt, Household

T = TypeVar("T")


def registry_version(area_code: str) -> str:
    """A fingerprint of the registry under an area that any household or debt write changes."""
    h = Household.objects.filter(household_q(area_code, prefix="")).aggregate(
        n=Count("id"), last=Max("updated_at"), top=Max("id")
    )
    d = Debt.objects.filter(household_q(area_code)).aggregate(n=Count("id"), top=Max("id"))
    last = h["last"].isoformat() if h["last"] else ""
    return f"{h['n']}.{h['top']}.{last}.{d['n']}.{d['top']}"


def reader_class(user: object, area_code: str) -> str:
    """``persons`` for a reader with person-level access to the area, else ``aggregate``
    — with the areas where the reader reads persons, whose household counts they know
    (``registry.disclosure``: what is hidden beside them depends on them)."""
    scope = scope_of(user)
    if scope.can_read_persons_in(area_code):
        return "persons"
    return "aggregate:" + ",".join(sorted(scope.person_read))


def cache_key(what: str, user: object, area_code: str, start: Month, end: Month, *extra: object) -> str:
    # Versions first: read before the computation, so a result computed from newer data
    # than its key says is harmless, and one computed from older data cannot get a newer key.
    parts = [
        "insights",
        what,
        area_code or "-",
        f"{start.first_day:%Y%m}-{end.first_day:%Y%m}",
        reader_class(user, area_code),
        translation.get_language() or "th",
        str(rollups_version()),
        registry_version(area_code),
        *(str(e) for e in extra),
    ]
    return ":".join(parts)


def _cached(key: str, compute_it: Callable[[], T]) -> T:
    value = cache.get(key)
    if value is None:
        value = compute_it()
        cache.set(key, value)
    return value


def area_figures_for_user(user: object, area: Area, start: Month, end: Month) -> Figures:
    """``selectors.area_figures_for_user``, cached per reader class and versions."""
    key = cache_key("figures", user, area.code, start, end)
    return _cached(key, lambda: selectors.area_figures_for_user(user, area, start, end))


def dashboard_for_user(
    user: object, area: Area, start: Month, end: Month, *, with_comparisons: bool = True
) -> Dashboard:
    """``dashboard.dashboard_for_user``, cached per reader class and versions."""
    key = cache_key("dashboard", user, area.code, start, end, int(with_comparisons))
    return _cached(key, lambda: compute.dashboard_for_user(user, area, start, end, with_comparisons=with_comparisons))

"""What the ledgers tell the registry: who reported, when, and the rollups' version.

Whether a household reported in a month is the ledgers' to say, yet the registry's own
definitions need it — THE count of households of an area includes every household with
an account line written there in the period (``selectors.households_in_period``), and
the small-cell tables are versioned by the rollups as well as the registry
(``disclosure``). The ledgers stand above the registry and the registry may not import
them, so the registry declares here what it needs and the ledgers app supplies it when
it starts (``LedgersConfig.ready`` calls ``reports_source_set``): a port, as in
"ports and adapters". A registry used without the ledgers has no source, and reading
one says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from chumchon.core.thai import Month


@dataclass(frozen=True)
class ReportsSource:
    """The three answers the registry asks of the ledgers."""

    # (area code, first month, last month) -> rows of one household and month with at
    # least one account line written at or under the area (``""``: anywhere) in the
    # period: ``household_id``, ``month``, and the area codes of where it was written
    # (``village_code``, ``tambon_code``, ``district_code``, ``province_code``).
    household_months: Callable[[str, Month, Month], QuerySet[Any]]
    # month -> a query of the ids (``household_id``) of households with a line in it.
    households_in: Callable[[Month], QuerySet[Any]]
    # () -> changes with every write of the rollups.
    version: Callable[[], object]


_source: list[ReportsSource] = []


def reports_source_set(source: ReportsSource) -> None:
    _source[:] = [source]


def reports() -> ReportsSource:
    if not _source:
        raise ImproperlyConfigured("the registry reads who reported from the ledgers app, which has not started")
    return _source[0]

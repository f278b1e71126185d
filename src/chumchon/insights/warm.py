"""Dashboards computed ahead of the pages, after every write.

A district's or a province's dashboard reads every household under it (medians,
deficits, occupation groups and debts are household-level): at 100,000 households that
is seconds of work, too slow for a page. So after a write of the rollups or the
registry commits, one background task (``insights.tasks.warm_dashboards``) computes
the dashboards of every district with households and of their provinces, for the span
each page opens on (``views.common.span_from``: the twelve months ending with the
area's default month) and for both reader classes a page can have there — a person-level
reader and an aggregate-only one (the published span of the same months), in the
default language (Thai; a reader who chose English computes their own) — into the
shared cache (``insights.cache``), under the very keys the pages look up. The first
request after a write then finds its result computed, in any process.

Writes in a burst (keying, an import's batches) schedule one task: a write schedules
the task once per transaction, and not at all while one is already waiting to run; the
task starts ``DELAY`` after it was scheduled, so one run covers the burst. A page asked
before the task has run computes its result itself (exactly as without this module).
Villages and tambons are not warmed: their pages compute in tens of milliseconds.
Nothing is scheduled where tasks run at once (tests; a ``TASKS`` backend other than the
database), since that would put seconds of work inside every write.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation

from chumchon.areas.models import Level
from chumchon.areas.selectors import areas_qs
from chumchon.core.worker import uses_database_backend
from chumchon.insights import cache
from chumchon.insights.views.common import published_span, span_from
from chumchon.registry.selectors import district_codes_with_households

DELAY = dt.timedelta(seconds=10)
TASK_PATH = "chumchon.insights.tasks.warm_dashboards"


@dataclass(frozen=True)
class Warmed:
    areas: int  # districts and provinces
    results: int  # dashboards computed or found already kept
    seconds: float


def dashboards_warm(district_codes: list[str] | None = None) -> Warmed:
    """Compute (or find kept) the default dashboards of these districts (by default every
    district with households) and of their provinces, for both reader classes."""
    started = time.perf_counter()
    districts = district_codes if district_codes is not None else district_codes_with_households()
    codes = sorted({*districts, *(code[:2] for code in districts)})
    results = 0
    areas = areas_qs().filter(code__in=codes, level__in=(Level.DISTRICT, Level.PROVINCE)).order_by("code")
    with translation.override(settings.LANGUAGE_CODE):  # the pages' language unless a reader picks another
        for area in areas:
            span = span_from(QueryDict(), area.code)
            cache.dashboard_for_class(cache.PERSONS, area, span.start, span.end)
            published = published_span(span)
            cache.dashboard_for_class(cache.AGGREGATE, area, published.start, published.end)
            results += 2
    return Warmed(areas=len(codes), results=results, seconds=time.perf_counter() - started)


def _enqueue() -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from chumchon.insights.tasks import warm_dashboards

    if DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).exists():
        return  # one is waiting: it will see this write too
    warm_dashboards.using(run_after=timezone.now() + DELAY).enqueue()


def dashboards_warm_schedule(**_: Any) -> None:
    """A receiver of every write the dashboards read (rollups, households, debts): the
    warm task after the transaction commits, once per transaction."""
    if not uses_database_backend():
        return
    connection = transaction.get_connection()
    if any(entry[1] is _enqueue for entry in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue)

"""The districts' and provinces' dashboards computed ahead of the pages after a write
(chumchon.insights.warm): the default pages then compute nothing, in any process; a
burst of writes schedules one task; nothing is scheduled where tasks run at once."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.insights import cache as results
from chumchon.insights import warm
from chumchon.insights.dashboard import compute
from chumchon.insights.tests.test_dashboard import world as world
from chumchon.insights.views.common import published_span, span_from
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.models import Household
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 4, 20, 9, 0, tzinfo=dt.UTC)  # the world's accounts end in March 2024
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def builds(monkeypatch):
    calls: list[str] = []
    real = compute.build

    def counted(area, *args, **kwargs):
        calls.append(area.code)
        return real(area, *args, **kwargs)

    monkeypatch.setattr(compute, "build", counted)
    return calls


@time_machine.travel(NOW, tick=False)
def test_the_default_pages_of_districts_and_provinces_find_their_results_computed(world, builds):
    done = warm.dashboards_warm()
    assert done.areas == 3 and done.results == 6  # districts 3701 and 3702, province 37; two reader classes
    assert sorted(builds) == ["37", "37", "3701", "3701", "3702", "3702"]
    coordinator = factories.user(Role.PROVINCE_COORDINATOR, "37")
    agency = factories.user(Role.AGENCY, "37")
    builds.clear()
    for user in (coordinator, agency):
        client = Client()
        client.force_login(user)
        for code in ("37", "3701", "3702"):
            cache.clear()  # this process's memory: what another process of the server would see
            assert client.get(reverse("insights:dashboard", args=[code])).status_code == 200
    assert builds == []  # every page found its dashboard in the shared table
    # and what was kept is what each reader gets computed afresh
    province = Area.objects.get(code="37")
    span = span_from({}, "37")
    kept = results.dashboard_for_user(coordinator, province, span.start, span.end)
    assert kept == compute.dashboard_for_user(coordinator, province, span.start, span.end)
    published = published_span(span)
    kept = results.dashboard_for_user(agency, province, published.start, published.end)
    assert kept == compute.dashboard_for_user(agency, province, published.start, published.end)
    assert kept != results.dashboard_for_user(coordinator, province, published.start, published.end)


@time_machine.travel(NOW, tick=False)
def test_a_write_makes_the_next_page_recompute_not_serve_what_was_warmed(world, builds):
    warm.dashboards_warm(["3701"])
    coordinator = factories.user(Role.PROVINCE_COORDINATOR, "37")
    district = Area.objects.get(code="3701")
    span = span_from({}, "3701")
    before = results.dashboard_for_user(coordinator, district, span.start, span.end)
    household = Household.objects.filter(village_id="37010101").first()
    line = LineInput(date=dt.date(2024, 3, 9), category="C01", amount=Decimal("1000.00"))
    ledger_entries_add(actor=Actor(user=None), household=household, lines=[line])
    builds.clear()
    after = results.dashboard_for_user(coordinator, district, span.start, span.end)
    assert builds == ["3701"]
    assert after.expense_total == before.expense_total + Decimal("1000.00")


@contextlib.contextmanager
def committed() -> Iterator[list[Callable[[], None]]]:
    """What a commit does with the on-commit callbacks registered meanwhile: runs them and
    forgets them (a test's transaction is never committed; pytest-django's capture runs
    them but keeps them registered, which a real transaction never does)."""
    connection = transaction.get_connection()
    start = len(connection.run_on_commit)
    ran: list[Callable[[], None]] = []
    yield ran
    while len(connection.run_on_commit) > start:
        _, callback, _ = connection.run_on_commit.pop(start)
        ran.append(callback)
        callback()


def _write(n: int) -> None:
    village = Area.objects.filter(code="37010101").first() or factories.village("370101", 1)
    for _ in range(n):
        factories.household(village)


def test_a_burst_of_writes_schedules_one_task_once_it_commits(settings):
    settings.TASKS = DB_TASKS  # as deployed (and the default)
    tasks = DBTaskResult.objects.filter(task_path=warm.TASK_PATH)
    with committed() as callbacks, transaction.atomic():
        _write(3)
        assert not tasks.exists()  # not before the commit
    assert len(callbacks) == 1  # one a transaction, not one a write
    assert tasks.count() == 1
    assert tasks.get().run_after >= tasks.get().enqueued_at + warm.DELAY - dt.timedelta(seconds=1)
    with committed():
        _write(2)  # one is waiting: it will see these too
    assert tasks.count() == 1
    tasks.update(status="SUCCESSFUL")
    with committed():
        household = Household.objects.filter(village_id="37010101").first()
        line = LineInput(date=dt.date(2024, 3, 9), category="C01", amount=Decimal("5.00"))
        ledger_entries_add(actor=Actor(user=None), household=household, lines=[line])  # a write of the rollups
    assert tasks.filter(status="READY").count() == 1


def test_nothing_is_scheduled_where_tasks_run_at_once(settings, builds):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with committed() as callbacks:
        _write(2)
        household = Household.objects.filter(village_id="37010101").first()
        ledger_entries_add(  # a write of the rollups
            actor=Actor(user=None),
            household=household,
            lines=[LineInput(date=dt.date(2024, 3, 9), category="C01", amount=Decimal("5.00"))],
        )
    assert callbacks == [] and builds == [] and not DBTaskResult.objects.exists()

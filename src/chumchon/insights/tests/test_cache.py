"""The cache of figures and dashboards (chumchon.insights.cache): computed once per
reader class and data version, recomputed after a ledger or registry write, never
shared between a person-level and an aggregate-only reader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.insights import cache as C
from chumchon.insights import selectors
from chumchon.insights.dashboard import compute, dashboard_for_user
from chumchon.insights.tests.test_dashboard import FIRST, LAST
from chumchon.insights.tests.test_dashboard import world as world
from chumchon.ledgers.rollups import rollups_rebuild
from chumchon.ledgers.selectors import rollups_version
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.models import Household
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    calls: dict[str, int] = {"dashboard": 0, "figures": 0}
    real_dashboard, real_figures = compute.dashboard_for_user, selectors.area_figures_for_user

    def dashboard(*args, **kwargs):
        calls["dashboard"] += 1
        return real_dashboard(*args, **kwargs)

    def figures(*args, **kwargs):
        calls["figures"] += 1
        return real_figures(*args, **kwargs)

    monkeypatch.setattr(compute, "dashboard_for_user", dashboard)
    monkeypatch.setattr(selectors, "area_figures_for_user", figures)
    return calls


def _write(household: Household) -> None:
    line = LineInput(date=dt.date(LAST.year, LAST.month, 5), category="C01", amount=Decimal("123.00"))
    ledger_entries_add(actor=Actor(user=None), household=household, lines=[line])


def test_two_requests_compute_once_and_a_ledger_write_recomputes(world, counted):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    other_staff = factories.user(Role.TAMBON_STAFF, "370101")
    tambon = Area.objects.get(code="370101")
    first = C.dashboard_for_user(staff, tambon, FIRST, LAST)
    assert C.dashboard_for_user(other_staff, tambon, FIRST, LAST) == first
    C.area_figures_for_user(staff, tambon, FIRST, LAST)
    C.area_figures_for_user(staff, tambon, FIRST, LAST)
    assert counted == {"dashboard": 1, "figures": 1}

    version = rollups_version()
    _write(world[0])
    assert rollups_version() > version
    after = C.dashboard_for_user(staff, tambon, FIRST, LAST)
    C.area_figures_for_user(staff, tambon, FIRST, LAST)
    assert counted == {"dashboard": 2, "figures": 2}
    assert after == dashboard_for_user(staff, tambon, FIRST, LAST) != first

    rollups_rebuild()  # a rebuild is a write of the rollups too
    C.dashboard_for_user(staff, tambon, FIRST, LAST)
    assert counted["dashboard"] == 3


def test_a_registry_write_recomputes(world, counted):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    tambon = Area.objects.get(code="370101")
    C.dashboard_for_user(staff, tambon, FIRST, LAST)
    factories.household(Area.objects.get(code="37010101"))
    C.dashboard_for_user(staff, tambon, FIRST, LAST)
    assert counted["dashboard"] == 2


def test_person_level_and_aggregate_only_readers_never_share_a_result(world, counted):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    agency = factories.user(Role.AGENCY, "37")
    tambon = Area.objects.get(code="370101")
    FY_FIRST, FY_LAST = Month(2023, 10), Month(2024, 9)  # an aggregate-only reader: a published period
    full = C.dashboard_for_user(staff, tambon, FY_FIRST, FY_LAST)
    seen = C.dashboard_for_user(agency, tambon, FY_FIRST, FY_LAST)
    assert counted["dashboard"] == 2
    assert seen == dashboard_for_user(agency, tambon, FY_FIRST, FY_LAST) != full
    assert C.dashboard_for_user(staff, tambon, FY_FIRST, FY_LAST) == full
    full_figures = C.area_figures_for_user(staff, tambon, FY_FIRST, FY_LAST)
    seen_figures = C.area_figures_for_user(agency, tambon, FY_FIRST, FY_LAST)
    assert counted["figures"] == 2
    assert seen_figures.as_json() == selectors.area_figures_for_user(agency, tambon, FY_FIRST, FY_LAST).as_json()
    assert seen_figures.as_json() != full_figures.as_json()


def test_the_dashboard_page_body_is_not_shared_between_reader_classes(world):
    from chumchon.insights.tests.test_views import TAMBON, client_for, dashboard_url

    trace_note = f"/insights/area/{TAMBON}/rows/"  # links to the rows: person-level readers only
    staff_page = client_for(Role.TAMBON_STAFF, TAMBON).get(dashboard_url(TAMBON))
    agency_page = client_for(Role.AGENCY, "37").get(dashboard_url(TAMBON))
    again = client_for(Role.TAMBON_STAFF, TAMBON).get(dashboard_url(TAMBON))
    assert staff_page.status_code == agency_page.status_code == 200
    assert trace_note in staff_page.content.decode() and trace_note not in agency_page.content.decode()
    assert again.content.decode().count(trace_note) == staff_page.content.decode().count(trace_note)

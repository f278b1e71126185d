"""Versions read once for a whole read (``core.pinned``): inside a pin the rollups' and
the registry's versions are read from the database once; outside it every time; a GET
request is pinned, a POST is not."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chumchon.core.middleware import VersionsPinnedMiddleware
from chumchon.core.pinned import versions_pinned
from chumchon.ledgers.models import RollupsVersion
from chumchon.ledgers.rollups import rollups_version_bump
from chumchon.ledgers.selectors import rollups_version
from chumchon.registry.models import RegistryVersion
from chumchon.registry.versions import registry_touch, registry_version
from tests import factories

pytestmark = pytest.mark.django_db

ROLLUPS = RollupsVersion._meta.db_table
REGISTRY = RegistryVersion._meta.db_table


def reads_of(table: str, queries: CaptureQueriesContext) -> int:
    """The SELECTs of the table among the queries."""
    return sum(q["sql"].startswith("SELECT") and table in q["sql"] for q in queries.captured_queries)


def test_inside_a_pin_each_version_is_read_once_and_stays_as_first_read():
    before = rollups_version()
    with CaptureQueriesContext(connection) as queries, versions_pinned():
        first = rollups_version()
        rollups_version_bump()  # a write inside a pin is not seen by what follows (documented)
        assert rollups_version() == first == before
        assert registry_version("37") == registry_version("370101") == registry_version("37")
        registry_version("10")  # another province: its own read
    assert reads_of(ROLLUPS, queries) == 1
    assert reads_of(REGISTRY, queries) == 2  # province 37, then 10
    assert rollups_version() == before + 1  # outside the pin: read again


def test_nested_pins_share_the_outer_one_and_outside_every_call_reads():
    with versions_pinned():
        outer = rollups_version()
        rollups_version_bump()
        with versions_pinned():
            assert rollups_version() == outer
    with CaptureQueriesContext(connection) as queries:
        rollups_version()
        rollups_version()
    assert reads_of(ROLLUPS, queries) == 2


def test_a_get_request_is_pinned_and_a_post_is_not():
    seen: list[int] = []

    def view(request):
        seen.append(rollups_version())
        registry_touch(["37"])
        rollups_version_bump()
        seen.append(rollups_version())
        return HttpResponse("ok")

    middleware = VersionsPinnedMiddleware(view)
    middleware(RequestFactory().get("/"))
    assert seen[0] == seen[1]
    seen.clear()
    middleware(RequestFactory().post("/"))
    assert seen[1] == seen[0] + 1


def test_the_tambon_page_reads_each_version_once(client):
    factories.household(factories.village("370101", 1))
    client.force_login(factories.admin())
    url = reverse("insights:dashboard", args=["370101"])
    client.get(url)  # the first request fills what is kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert reads_of(ROLLUPS, queries) == 1
    assert reads_of(REGISTRY, queries) <= 1

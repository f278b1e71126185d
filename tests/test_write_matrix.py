"""The write matrix: every role × every write endpoint × a target in and out of scope.

The write endpoints are enumerated from the URL resolver (views that declare a non-GET
method) and from the API's operations (non-GET), and must equal the permissions
table's ``WRITE_ENDPOINTS``: a new write endpoint fails ``test_write_endpoints_are_the_table``
until it is declared there and given a case here. The expectation comes from the
table (``ROLE_WRITES``), read here independently of ``can``: a refused write answers
403 or 404 and leaves the row count of every table but the audit log as it was; an
allowed one is not refused (no 403).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chumchon.access.models import Assignment, Role
from chumchon.access.permissions import ROLE_WRITES, WRITE_ENDPOINTS, Reach, Write
from chumchon.access.services import Actor, token_issue
from chumchon.api import api
from chumchon.areas.models import Zone
from chumchon.insights.models import ForumBatch
from chumchon.ledgers.models import Enterprise
from chumchon.registry.models import Household
from tests import factories
from tests.test_access_matrix import ROLES, RoleCase

pytestmark = pytest.mark.django_db

IN_SCOPE, OUT_OF_SCOPE = "37010101", "34010101"
MISSING_ID = 987654321
SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}


# --- enumerating the write endpoints ------------------------------------------------------


def _declared_methods(view: Callable[..., object]) -> set[str] | None:
    """The methods a view's ``require_http_methods`` allows; ``None`` if it has none."""
    while view is not None:
        nonlocals = inspect.getclosurevars(view).nonlocals if inspect.isfunction(view) else {}
        if "request_method_list" in nonlocals:
            return set(nonlocals["request_method_list"])
        view = getattr(view, "__wrapped__", None)
    return None


def _url_patterns() -> dict[str, URLPattern]:
    found: dict[str, URLPattern] = {}

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif p.name:
                found[f"{namespace}:{p.name}" if namespace else p.name] = p

    walk(get_resolver().url_patterns, "")
    return found


def _web_write_endpoints() -> set[str]:
    names = set()
    for name, pattern in _url_patterns().items():
        if name.startswith("api:"):
            continue
        methods = _declared_methods(pattern.callback)
        if methods is not None and methods - SAFE:
            names.add(name)
    return names


def _api_write_endpoints() -> set[str]:
    names = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if set(operation.methods) - SAFE:
                    name = getattr(operation, "url_name", None) or path_view.url_name
                    names.add(f"api:{name or api.get_operation_url_name(operation, router=router)}")
    return names


# set_language is Django's own view: it changes only the language cookie, on POST.
UNDECORATED_WRITES = {"set_language"}


def test_write_endpoints_are_the_table():
    found = _web_write_endpoints() | _api_write_endpoints() | UNDECORATED_WRITES
    assert found - set(WRITE_ENDPOINTS) == set(), "declare these writes in access/permissions.py"
    assert set(WRITE_ENDPOINTS) - found == set(), "the table names writes no endpoint accepts"
    assert set(CASES) == set(WRITE_ENDPOINTS), "give every write endpoint a case in the write matrix"


def _state() -> dict[str, int]:
    """Row counts of every table except the audit log (reading is audited)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table == "access_auditevent":
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def test_a_post_to_any_other_url_is_refused_before_the_view():
    """Views that do not declare a write (most pages) answer a POST with 405, even to
    an administrator, and nothing is written."""
    client = Client()
    client.force_login(factories.admin())
    checked = 0
    for name, pattern in _url_patterns().items():
        if name in WRITE_ENDPOINTS or name.startswith("api:"):
            continue
        kwargs = {key: (1 if conv.__class__.__name__ == "IntConverter" else "2024-01") for key, conv in
                  pattern.pattern.converters.items()}  # fmt: skip
        url = reverse(name, kwargs=kwargs)
        before = _state()
        response = client.post(url, {})
        assert response.status_code == 405, (name, response.status_code)
        assert _state() == before, name
        checked += 1
    assert checked > 30


# --- the matrix ---------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    households: dict[str, Household]
    assignment: Assignment


@dataclass(frozen=True)
class Case:
    url: Callable[[World, str], str]
    area: Callable[[str], str | None]  # target village -> the area the table decides on
    data: dict[str, object] | None = None
    json: bool = False
    bearer: bool = False  # an API operation: the caller's token, not the session


def _hh(w: World, v: str) -> int:
    return w.households[v].pk


def _member(w: World, v: str) -> int:
    return w.households[v].members.order_by("pk").first().pk  # type: ignore[union-attr]


def _zone(v: str) -> int:
    """The zone of the village's province (the world's), with the village's tambon in it."""
    return Zone.objects.get(province_id=v[:2], name="โซนทดสอบ").pk


def _enterprise(w: World, v: str) -> int:
    return Enterprise.objects.get(household=w.households[v]).pk


VILLAGE: Callable[[str], str | None] = lambda v: v  # noqa: E731
TAMBON: Callable[[str], str | None] = lambda v: v[:6]  # noqa: E731
NONE: Callable[[str], str | None] = lambda v: None  # noqa: E731

CASES: dict[str, Case] = {
    "access:login": Case(lambda w, v: reverse("access:login"), NONE, {}),
    "access:logout": Case(lambda w, v: reverse("access:logout"), NONE, {}),
    "set_language": Case(lambda w, v: reverse("set_language"), NONE, {"language": "th"}),
    "api:obtain_token": Case(lambda w, v: reverse("api:obtain_token"), NONE, {}, json=True),
    "access:user_add": Case(lambda w, v: reverse("access:user_add"), NONE, {}),
    "access:user_detail": Case(lambda w, v: reverse("access:user_detail", args=[w.assignment.user_id]), NONE, {}),
    "access:user_unlock": Case(lambda w, v: reverse("access:user_unlock", args=[w.assignment.user_id]), NONE, {}),
    "access:assignment_end": Case(
        lambda w, v: reverse("access:assignment_end", args=[w.assignment.user_id, w.assignment.pk]), NONE, {}
    ),
    "areas:zone_add": Case(lambda w, v: reverse("areas:zone_add", args=[v[:2]]), lambda v: v[:2], {}),
    "registry:boundaries": Case(lambda w, v: reverse("registry:boundaries", args=[v]), VILLAGE, {}),
    "areas:village_add": Case(lambda w, v: reverse("areas:village_add", args=[v[:6]]), TAMBON, {}),
    "registry:add": Case(lambda w, v: reverse("registry:add", args=[v]), VILLAGE, {}),
    "registry:edit": Case(lambda w, v: reverse("registry:edit", args=[_hh(w, v)]), VILLAGE, {}),
    "registry:member_add": Case(lambda w, v: reverse("registry:member_add", args=[_hh(w, v)]), VILLAGE, {}),
    "registry:member_edit": Case(
        lambda w, v: reverse("registry:member_edit", args=[_hh(w, v), _member(w, v)]), VILLAGE, {}
    ),
    "registry:verify": Case(lambda w, v: reverse("registry:verify", args=[_hh(w, v)]), VILLAGE, {}),
    "registry:consent": Case(lambda w, v: reverse("registry:consent", args=[_hh(w, v)]), VILLAGE, {}),
    "registry:household_needs": Case(lambda w, v: reverse("registry:household_needs", args=[_hh(w, v)]), VILLAGE, {}),
    "registry:membership": Case(lambda w, v: reverse("registry:membership", args=[_hh(w, v)]), VILLAGE, {}),
    "registry:organisations": Case(lambda w, v: reverse("registry:organisations", args=[v[:6]]), TAMBON, {}),
    "registry:duplicates_scan": Case(lambda w, v: reverse("registry:duplicates_scan"), NONE, {"area": "370101"}),
    "registry:duplicate_resolve": Case(lambda w, v: reverse("registry:duplicate_resolve", args=[MISSING_ID]), NONE, {}),
    "registry:member_reveal": Case(
        lambda w, v: reverse("registry:member_reveal", args=[_hh(w, v), _member(w, v)]), VILLAGE, {}
    ),
    "registry:erase": Case(lambda w, v: reverse("registry:erase", args=[_hh(w, v)]), VILLAGE, {}),
    "imports:page": Case(lambda w, v: reverse("imports:page", args=[v[:6]]), TAMBON, {}),
    "ledgers:entry_grid": Case(lambda w, v: reverse("ledgers:entry_grid", args=[_hh(w, v), "2024-03"]), VILLAGE, {}),
    "ledgers:entry_correct": Case(lambda w, v: reverse("ledgers:entry_correct", args=[MISSING_ID]), VILLAGE, {}),
    "ledgers:entry_remove": Case(lambda w, v: reverse("ledgers:entry_remove", args=[MISSING_ID]), VILLAGE, {}),
    "ledgers:phone_household": Case(lambda w, v: reverse("ledgers:phone_household", args=[_hh(w, v)]), VILLAGE, {}),
    "ledgers:phone_lines": Case(lambda w, v: reverse("ledgers:phone_lines", args=[_hh(w, v)]), VILLAGE, {}, True),
    "ledgers:phone_fix": Case(
        lambda w, v: reverse("ledgers:phone_fix", args=[_hh(w, v), MISSING_ID]), VILLAGE, {"action": "remove"}
    ),
    "ledgers:enterprises": Case(lambda w, v: reverse("ledgers:enterprises", args=[_hh(w, v)]), VILLAGE, {}),
    "ledgers:enterprise": Case(
        lambda w, v: reverse("ledgers:enterprise", args=[_hh(w, v), _enterprise(w, v)]), VILLAGE, {}
    ),
    "ledgers:review": Case(lambda w, v: reverse("ledgers:review", args=[v[:6]]), TAMBON, {}),
    "ledgers:review_confirm": Case(
        lambda w, v: reverse("ledgers:review_confirm", args=[v[:6], MISSING_ID]), TAMBON, {}
    ),
    "ledgers:review_reject": Case(lambda w, v: reverse("ledgers:review_reject", args=[v[:6], MISSING_ID]), TAMBON, {}),
    "ledgers:month_status": Case(
        lambda w, v: reverse("ledgers:month_status", args=[v, "2024-01"]), VILLAGE, {"action": "close", "back": "/"}
    ),
    "ledgers:village_statements": Case(
        lambda w, v: reverse("ledgers:village_statements", args=[v]), VILLAGE, {"month": "2024-01"}
    ),
    # An invalid month: an allowed batch stops at validation (400) without making packs.
    "insights:forum_batch": Case(lambda w, v: reverse("insights:forum_batch", args=[v[:6]]), TAMBON, {"month": "x"}),
    # Forums and plans: empty forms (an allowed write stops at validation) and missing objects.
    "plans:forum_add": Case(lambda w, v: reverse("plans:forum_add", args=[v]), VILLAGE, {}),
    "plans:item_add": Case(lambda w, v: reverse("plans:item_add", args=[v]), VILLAGE, {}),
    "plans:merge": Case(lambda w, v: reverse("plans:merge", args=[v[:6]]), TAMBON, {}),
    "plans:certify": Case(lambda w, v: reverse("plans:certify", args=[v]), VILLAGE, {}),
    "plans:provincial": Case(lambda w, v: reverse("plans:provincial", args=[v[:4]]), lambda v: v[:4], {}),
    "matching:area": Case(lambda w, v: reverse("matching:area", args=[v[:6]]), TAMBON, {"year": "2567"}),
    # An empty form: an allowed write stops at validation; answers and steps of missing objects.
    "matching:negotiations": Case(lambda w, v: reverse("matching:negotiations", args=[v[:6]]), TAMBON, {}),
    "matching:negotiation_outcome": Case(
        lambda w, v: reverse("matching:negotiation_outcome", args=[MISSING_ID]), TAMBON, {}
    ),
    "matching:calendar": Case(lambda w, v: reverse("matching:calendar", args=[v[:6]]), TAMBON, {}),
    "matching:match_step": Case(lambda w, v: reverse("matching:match_step", args=[MISSING_ID]), VILLAGE, {}),
    # A zone's plan is written where its province is.
    **{
        f"plans:zone_{name}": Case(
            (lambda n: lambda w, v: reverse(f"plans:zone_{n}", args=[_zone(v)]))(name), lambda v: v[:2], {}
        )
        for name in ("forum_add", "item_add", "certify", "provincial")
    },
    **{
        f"plans:{name}": Case((lambda n: lambda w, v: reverse(f"plans:{n}", args=[MISSING_ID]))(name), VILLAGE, {})
        for name in (
            "forum_edit",
            "forum_finding",
            "forum_question",
            "forum_file",
            "item_edit",
            "item_status",
            "item_evidence",
            "item_adoption",
        )
    },
    "api:add_plan_item_evidence": Case(
        lambda w, v: reverse("api:add_plan_item_evidence", kwargs={"item_id": MISSING_ID}),
        VILLAGE,
        {"figure": "households", "area": IN_SCOPE, "from": "2024-01", "to": "2024-01"},
        True,
        True,
    ),
    "api:set_plan_item_status": Case(
        lambda w, v: reverse("api:set_plan_item_status", kwargs={"item_id": MISSING_ID}),
        VILLAGE,
        {"status": "adopted_in_principle"},
        True,
        True,
    ),
}


def table_allows(case: RoleCase, action: Write, area: str | None) -> bool:
    """The table read on its own: the role's reach over the area (``None``: no area)."""
    if action == Write.OWN_ACCOUNT:
        return True
    if not case.active or case.role is None:
        return False
    reach = ROLE_WRITES[case.role].get(action)
    if reach is None:
        return False
    if reach == Reach.EVERYWHERE or area is None:
        return True
    assert case.area is not None
    if reach == Reach.UPPER:  # a district or a province, not a tambon or village under it
        return area.startswith(case.area) and len(area) <= 4
    return area.startswith(case.area[:2] if reach == Reach.PROVINCE else case.area)


@pytest.fixture
def world() -> World:
    households = {}
    for code in (IN_SCOPE, OUT_OF_SCOPE):
        village = factories.village(code[:6], int(code[6:]))
        households[code] = factories.household(village, members=1)
        Enterprise.objects.create(household=households[code], name="สวน", season="")
        Zone.objects.create(province_id=code[:2], name="โซนทดสอบ").members.add(code[:6])
    other = factories.user(Role.VOLUNTEER, IN_SCOPE)
    return World(households=households, assignment=other.assignments.get())


@pytest.mark.parametrize("case", ROLES, ids=lambda c: c.key)
def test_write_matrix(case: RoleCase, world: World):
    user = (
        factories.user(case.role, case.area, starts_on=case.starts_on, ends_on=case.ends_on)
        if case.role
        else factories.user()
    )
    client = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user, actor=Actor.system('test'))}"}
    failures = []
    for name, action in WRITE_ENDPOINTS.items():
        spec = CASES[name]
        for village in (IN_SCOPE, OUT_OF_SCOPE):
            client.force_login(user)  # again: a logout above ends the session
            allowed = table_allows(case, action, spec.area(village))
            before = _state()
            url = spec.url(world, village)
            headers = bearer if spec.bearer else {}
            if spec.json:
                response = client.post(url, spec.data or {}, content_type="application/json", **headers)
            else:
                response = client.post(url, spec.data or {})
            if allowed:
                ok = response.status_code not in (403, 405)
            else:
                ok = response.status_code in (403, 404) and _state() == before
            if not ok:
                failures.append((name, village, allowed, response.status_code))
    assert failures == [], f"{case.key}: (endpoint, village, allowed, status) that went wrong"


def test_matrix_size():
    """The number of (role, write endpoint) pairs the matrix checks."""
    assert len(ROLES) * len(WRITE_ENDPOINTS) == len(ROLES) * len(CASES) >= 370


def test_agency_cannot_start_a_forum_batch_but_may_download_a_pack(world: World):
    client = Client()
    client.force_login(factories.user(Role.AGENCY, "37"))
    before = _state()
    response = client.post(reverse("insights:forum_batch", args=[IN_SCOPE[:6]]), {"month": "2024-01"})
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์" in response.content.decode()
    assert _state() == before and ForumBatch.objects.count() == 0
    pdf = client.get(reverse("insights:forum_pdf", args=[IN_SCOPE]) + "?month=2024-01")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert ForumBatch.objects.count() == 0

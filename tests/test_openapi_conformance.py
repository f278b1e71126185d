"""The OpenAPI document tells the truth: schemathesis over every operation, several roles.

For each role (and with no token) schemathesis generates requests from
``/api/openapi.json`` — valid ones and, in its negative mode, invalid ones — and sends
them in-process to the real WSGI application. Every answer must be documented: no 5xx,
only statuses, content types and bodies the spec lists. The generated path parameters
and months are mixed with real ones from a small dataset (areas and households in and
out of the caller's scope, months with accounts) so the 200 answers are exercised too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from chumchon.access.models import Role
from chumchon.access.services import Actor, token_issue
from chumchon.ledgers.services import LineInput, ledger_entries_add
from tests import factories

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The callers: an administrator, a tambon officer, a village volunteer, an agency that
# reads aggregates only, and nobody (no token).
ROLES: dict[str, tuple[str, str | None] | None] = {
    "admin": (Role.ADMIN, None),
    "tambon": (Role.TAMBON_STAFF, "370101"),
    "volunteer": (Role.VOLUNTEER, "37010101"),
    "agency": (Role.AGENCY, "37"),
    "anonymous": None,
}
# In scope of the tambon officer, a sibling tambon, another district, another province.
VILLAGES = ["37010101", "37010102", "37010201", "37020101", "34010101"]
AREA_CODES = ["37", "3701", "370101", "37010101", "37010102", "370102", "37010201", "34", "340101", "34010101"]
MONTHS = ["2024-01", "2024-03", "2567-03", "2024-12", "2023-07"]


HOUSEHOLD_IDS = list(range(7001, 7001 + 6 + 2 * (len(VILLAGES) - 1)))


@pytest.fixture(scope="module")
def wsgi_app() -> Iterator[object]:
    # As Django's test client does: keep the test's connection (and its transaction)
    # open across requests instead of closing it at the end of each one.
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()  # chumchon.wsgi also checks the field key at import

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _load_schema() -> schemathesis.BaseSchema:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()  # chumchon.wsgi also checks the field key at import

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


schema = _load_schema()


@schema.hook
def before_generate_path_parameters(context, strategy):  # type: ignore[no-untyped-def]
    path = context.operation.path
    if "{code}" in path:
        return st.one_of(strategy, st.sampled_from(AREA_CODES).map(lambda c: {"code": c}))
    if "{household_id}" in path:
        return st.one_of(strategy, st.sampled_from(HOUSEHOLD_IDS).map(lambda i: {"household_id": i}))
    return strategy


@schema.hook
def before_generate_query(context, strategy):  # type: ignore[no-untyped-def]
    path = context.operation.path
    if path.endswith("/figures"):
        months = st.sampled_from(MONTHS)
        return st.one_of(strategy, st.fixed_dictionaries({"from": months, "to": months}))
    if path == "/api/households":
        return st.one_of(strategy, st.fixed_dictionaries({"area": st.sampled_from(AREA_CODES)}))
    return strategy


@pytest.fixture
def callers(wsgi_app: object) -> dict[str, dict[str, str]]:
    """The small dataset, and the Authorization header of each caller."""
    ids = iter(HOUSEHOLD_IDS)
    for n, code in enumerate(VILLAGES):
        village = factories.village(code[:6], int(code[6:]))
        for i in range(2 if n else 6):
            h = factories.household(village, members=2, debts=i % 2, id=next(ids))
            ledger_entries_add(
                actor=Actor.system("test"),
                household=h,
                lines=[
                    LineInput(date=dt.date(2024, 3, 5), category="C01", amount=Decimal("120.50"), key=f"st-{h.pk}"),
                    LineInput(date=dt.date(2024, 3, 9), category="I02", amount=Decimal("400"), key=f"st-{h.pk}-i"),
                ],
            )
    headers = {}
    for key, role in ROLES.items():
        headers[key] = {}
        if role is not None:
            user = factories.user(*role)
            headers[key] = {"Authorization": f"Bearer {token_issue(user=user, actor=Actor(user=user))}"}
    return headers


@schema.parametrize()
@settings(
    max_examples=15,  # per operation, each sent by the 5 callers
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented(case: schemathesis.Case, callers: dict[str, dict[str, str]]) -> None:
    # Each generated request is sent by every caller in turn.
    for role, headers in callers.items():
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            exc.add_note(f"caller: {role}")
            raise


# --- the document itself and the answers schemathesis first found undocumented ------


def _operations() -> list[tuple[str, str, dict]]:
    from chumchon.api import api

    spec = api.get_openapi_schema(path_prefix="/api/")
    return [(method, path, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_every_operation_documents_401_404_and_422() -> None:
    from chumchon.api import api

    spec = api.get_openapi_schema(path_prefix="/api/")
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    assert spec["security"] == [{"BearerToken": []}]
    operations = _operations()
    assert len(operations) >= 7
    for method, path, op in operations:
        responses = op["responses"]
        assert {"200", "401", "422"} <= set(map(str, responses)), (method, path, list(responses))
        if "{" in path:
            assert "404" in map(str, responses), (method, path)
        for status, answer in responses.items():
            ref = answer["content"]["application/json"]["schema"].get("$ref", "")
            if str(status) in {"401", "404"}:
                assert ref == "#/components/schemas/Error", (method, path, status)
            if str(status) == "422":
                assert ref == "#/components/schemas/ValidationErrorOut", (method, path)
        public = op["security"] == []
        assert public == (path == "/api/auth/token"), (method, path, op["security"])


def _bearer(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = factories.user(Role.TAMBON_STAFF, "370101")
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user, actor=Actor(user=user))}"}


def test_a_bad_month_is_422_in_the_validation_shape_with_a_thai_message(client) -> None:  # type: ignore[no-untyped-def]
    headers = _bearer(client)
    bad = client.get("/api/areas/370101/figures?from=2567-13&to=2567-03", **headers)
    assert bad.status_code == 422
    [problem] = bad.json()["detail"]
    assert (problem["type"], problem["loc"]) == ("value_error", ["query", "from"])
    assert "ไม่ใช่เดือน" in problem["msg"]
    backwards = client.get("/api/areas/370101/figures?from=2567-05&to=2567-03", **headers)
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"] == ["query", "to"]
    assert "ก่อนเดือนแรก" in backwards.json()["detail"][0]["msg"]
    assert client.get("/api/areas/370101/figures?from=2567-01&to=2567-03", **headers).status_code == 200


def test_unknown_out_of_scope_and_unrouted_api_urls_are_the_same_json_404(client) -> None:  # type: ignore[no-untyped-def]
    headers = _bearer(client)
    answers = [
        client.get(url, **headers)
        for url in ["/api/areas/34", "/api/areas/99999999", "/api/areas/37/needs/", "/api/areas/37%2F01", "/api/nope"]
    ]
    assert [(r.status_code, r["Content-Type"], r.json()) for r in answers] == [
        (404, "application/json; charset=utf-8", {"detail": "ไม่พบข้อมูล (Not found)"})
    ] * 5
    refused = client.get("/api/areas/370101")
    assert (refused.status_code, refused["WWW-Authenticate"]) == (401, 'Bearer realm="chumchon"')


def test_inputs_the_database_cannot_take_are_422_not_500(client) -> None:  # type: ignore[no-untyped-def]
    headers = _bearer(client)
    for url in ["/api/areas?q=a%00b", "/api/areas/37%00", "/api/households?area=%00", "/api/households?page=10000000"]:
        assert client.get(url, **headers).status_code == 422, url
    token = client.post("/api/auth/token", {"username": "a\x00", "password": "x"}, content_type="application/json")
    assert token.status_code == 422
    assert client.get("/api/households?page=1000000", **headers).json() == {"items": [], "count": 0}

"""The web API: token auth, OpenAPI, area and household shapes, masking, throttling."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from tests import factories

pytestmark = pytest.mark.django_db


def token_for(client: Client, username: str, password: str = factories.PASSWORD):
    return client.post("/api/auth/token", {"username": username, "password": password}, content_type="application/json")


@pytest.fixture
def tambon_user():
    return factories.user(Role.TAMBON_STAFF, "370101", username="api-tambon")


def bearer(client: Client, username: str) -> dict[str, str]:
    response = token_for(client, username)
    assert response.status_code == 200
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_token_then_bearer_access(client, tambon_user):
    headers = bearer(client, "api-tambon")
    response = client.get("/api/areas/370101", **headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["level"], body["name_th"], body["name_en"]) == ("370101", "tambon", "บุ่ง", "Bung")
    assert [a["code"] for a in body["ancestors"]] == ["37", "3701"]
    assert body["display_name"] == "ต.บุ่ง"


def test_bad_credentials_401_and_throttled_429_with_retry_after(client, tambon_user):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        wrong = [token_for(client, "api-tambon", "wrong") for _ in range(5)]
        assert [r.status_code for r in wrong] == [401] * 5
        assert wrong[0].json() == {"detail": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"}
        response = token_for(client, "api-tambon")
        assert response.status_code == 429
        assert response["Retry-After"] == "30"
        assert response.json()["detail"] == "พยายามเข้าสู่ระบบผิดหลายครั้งเกินไป ลองใหม่ได้ในอีก 30 วินาที"
        # An unknown user gets exactly the same answers: no enumeration.
        for _ in range(5):
            unknown = token_for(client, "nobody-here", "wrong")
            assert (unknown.status_code, unknown.json()) == (401, wrong[0].json())
        unknown = token_for(client, "nobody-here", "wrong")
        assert (unknown.status_code, unknown["Retry-After"], unknown.json()) == (
            429, "30", response.json()
        )  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 31, tzinfo=dt.UTC), tick=False):
        assert token_for(client, "api-tambon").status_code == 200


def test_no_token_or_bad_token_is_401(client, tambon_user):
    assert client.get("/api/areas/370101").status_code == 401
    assert client.get("/api/areas/370101", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    assert client.get("/api/households/1", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_expired_token_is_refused(client, tambon_user, settings):
    settings.API_TOKEN_TTL_HOURS = -1
    headers = bearer(client, "api-tambon")
    assert client.get("/api/areas/370101", **headers).status_code == 401


def test_household_shape_masks_national_ids_and_is_audited(client, tambon_user):
    village = factories.village("370101", 1, "บ้านบุ่ง")
    household = factories.household(village, code="01-0001", members=3, welfare_card=True)
    headers = bearer(client, "api-tambon")
    body = client.get(f"/api/households/{household.pk}", **headers).json()
    assert body["code"] == "01-0001"
    assert (body["village"], body["village_name"], body["tambon"], body["district"], body["province"]) == (
        "37010101", "บ้านบุ่ง", "370101", "3701", "37",
    )  # fmt: skip
    assert body["welfare_card"] is True
    assert len(body["members"]) == 3
    assert body["members"][0]["is_head"] is True
    assert (
        body["head_name"]
        == body["members"][0]["title"] + body["members"][0]["first_name"] + " " + body["members"][0]["last_name"]
    )
    for member in body["members"]:
        masked = member["national_id_masked"]
        assert len(masked) == 17 and masked[7:15] == "xxxxx-xx", masked
    assert "national_id_encrypted" not in str(body) and "national_id_hash" not in str(body)
    event = AuditEvent.objects.get(action="view", object_type="household")
    assert (event.username, event.object_id, event.detail) == ("api-tambon", str(household.pk), {"via": "api"})


def test_household_list_is_paginated(client, tambon_user):
    village = factories.village("370101", 1)
    for _ in range(55):
        factories.household(village, members=1)
    headers = bearer(client, "api-tambon")
    page1 = client.get("/api/households?area=37010101", **headers).json()
    page2 = client.get("/api/households?area=37010101&page=2", **headers).json()
    assert page1["count"] == 55
    assert (len(page1["items"]), len(page2["items"])) == (50, 5)


def test_area_search_is_scoped(client, tambon_user):
    headers = bearer(client, "api-tambon")
    found = client.get("/api/areas?q=บุ่ง", **headers).json()
    assert [a["code"] for a in found] == ["370101"]  # other tambons named บุ่ง elsewhere are out of scope
    admin_headers = bearer(client, factories.admin().username)
    everywhere = client.get("/api/areas?q=บุ่ง", **admin_headers).json()
    assert len(everywhere) > 1


def test_openapi_describes_the_contract(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ["/api/auth/token", "/api/areas/{code}", "/api/households", "/api/households/{household_id}"]:
        assert path in paths
    assert "BearerToken" in schema["components"]["securitySchemes"]
    assert reverse("api:openapi-json") == "/api/openapi.json"


def test_household_carries_needs_debts_and_verification(client, tambon_user):
    from chumchon.access.services import Actor
    from chumchon.registry.services import household_indicators_record

    village = factories.village("370101", 1)
    household = factories.household(village, members=2, debts=1, welfare_card=True)
    household_indicators_record(actor=Actor(user=tambon_user), household=household, answers={"H1": True, "E2": False})
    body = client.get(f"/api/households/{household.pk}", **bearer(client, "api-tambon")).json()
    assert body["needs"]["dimensions_failed"] == ["health"]
    assert body["needs"]["is_target"] is True
    assert [(n["code"], n["failed"]) for n in body["needs"]["indicators"]] == [("H1", True), ("E2", False)]
    assert body["debts"][0]["source"] == "D01" and body["debts"][0]["principal"] == "50000.00"
    assert (body["verification"], body["consent"], body["dimensions_failed"]) == ("unverified", "unknown", 1)
    assert set(body["members"][0]) >= {"education", "disability", "bedridden", "status"}


def test_area_needs_summary_hides_small_cells_from_agencies(client, tambon_user):
    from chumchon.access.services import Actor
    from chumchon.registry.services import household_indicators_record

    village = factories.village("370101", 1)
    for i in range(6):
        h = factories.household(village, members=1)
        household_indicators_record(actor=Actor(user=tambon_user), household=h, answers={"H1": True, "A1": i == 0})
    mine = client.get("/api/areas/370101/needs", **bearer(client, "api-tambon")).json()
    assert mine["households"] == 6 and mine["by_dimension"][0] == {"dimension": "health", "households": 6}
    factories.user(Role.AGENCY, "37", username="agency")
    seen = client.get("/api/areas/370101/needs", **bearer(client, "agency")).json()
    assert seen["by_dimension"][0] == {"dimension": "health", "households": 6}
    by_code = {i["code"]: i["households"] for i in seen["by_indicator"]}
    assert (by_code["H2"], by_code["A1"]) == (0, None)  # one household failing A1: hidden as fewer than 5
    assert seen["by_dimension"][4] == {"dimension": "access", "households": None}
    assert mine["by_dimension"][4] == {"dimension": "access", "households": 1}
    villages = client.get("/api/areas/37010101/needs", **bearer(client, "agency")).json()
    assert villages["households"] == 6

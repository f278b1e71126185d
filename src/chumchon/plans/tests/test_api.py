"""/api/plans: the items of an area's plans, one item, citing evidence (its value checked
against a sum of the ledger lines written here), the status path, and the answers for
what is out of scope (404, as missing), not the caller's to write (403) and bad (422)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor, token_issue
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.plans import services
from chumchon.plans.models import Actor as Who
from chumchon.plans.models import Evidence, ItemChange, PlanItem, Status
from chumchon.plans.services import ItemInput, OtherEvidenceInput
from tests import factories

pytestmark = pytest.mark.django_db

TAMBON = "370101"
EGGS = "C02"
EGG_AMOUNTS = [Decimal("100.25") + 10 * i for i in range(6)]


@pytest.fixture(autouse=True)
def _april_2024():
    """The clock is pinned to April 2024 (fiscal year 2567)."""
    with time_machine.travel(dt.datetime(2024, 4, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


def headers(role: str, area: str | None) -> dict[str, str]:
    user = factories.user(role, area)
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user, actor=Actor(user=user))}"}


def staff() -> Actor:
    return Actor.system("test")


@pytest.fixture
def world():
    """A village with six households buying eggs in March 2024; its plan and the
    tambon's; and an item of another tambon's village."""
    v1 = factories.village(TAMBON, 1)
    homes = [factories.household(v1) for _ in range(6)]
    for h, amount in zip(homes, EGG_AMOUNTS, strict=True):
        ledger_entries_add(
            actor=staff(), household=h,
            lines=[LineInput(date=dt.date(2024, 3, 5), category=EGGS, amount=amount, key=f"egg-{h.pk}")],
        )  # fmt: skip
    village_plan = services.plan_get_or_create(actor=staff(), area=v1, fiscal_year=2567)
    tambon_plan = services.plan_get_or_create(actor=staff(), area=v1.parent, fiscal_year=2567)
    hens = services.item_create(
        actor=staff(), plan=village_plan,
        data=ItemInput(title="กลุ่มเลี้ยงไก่ไข่", actor=Who.GROUP, domain="economy", households=6,
                       committed=[homes[0].pk, homes[1].pk]),
    )  # fmt: skip
    road = services.item_create(
        actor=staff(), plan=tambon_plan,
        data=ItemInput(title="ถนนเชื่อมหมู่บ้าน", actor=Who.LOCAL_GOVERNMENT, kind="infrastructure",
                       households=120, cost=Decimal("250000")),
    )  # fmt: skip
    services.evidence_add_other(
        actor=staff(), item=road,
        data=OtherEvidenceInput(title="สำรวจถนน", source="อบต.", dated=dt.date(2024, 2, 1), coverage="ทั้งตำบล"),
    )  # fmt: skip
    other_village = factories.village("370102", 1)
    other_plan = services.plan_get_or_create(actor=staff(), area=other_village, fiscal_year=2567)
    elsewhere = services.item_create(actor=staff(), plan=other_plan, data=ItemInput(title="ฝายชะลอน้ำ", actor=Who.GROUP))
    return {"village": v1, "homes": homes, "hens": hens, "road": road, "elsewhere": elsewhere}


def test_the_items_of_an_area_and_under_it(client: Client, world) -> None:
    h = headers(Role.TAMBON_STAFF, TAMBON)
    answer = client.get(reverse("api:list_plans") + f"?area={TAMBON}&year=2567", **h)
    assert answer.status_code == 200
    hens, road = world["hens"], world["road"]
    other = Evidence.objects.get(item=road)
    assert answer.json() == {
        "items": [
            {
                "id": road.pk, "area": TAMBON, "village": None, "title": "ถนนเชื่อมหมู่บ้าน",
                "actor": "local_government", "domain": None, "kind": "infrastructure", "households": 120,
                "cost": 250000.0, "amount_asked": 250000.0, "fiscal_year": 2567, "status": "under_consideration",
                "status_reason": "",
                "evidence": [
                    {
                        "id": other.pk, "figure": None, "label": "สำรวจถนน", "area": None, "from": None, "to": None,
                        "category": None, "unit": None, "value_cited": None, "value_now": None,
                        "title": "สำรวจถนน", "source": "อบต.", "date": "2024-02-01", "coverage": "ทั้งตำบล",
                        "value_text": "", "via": "",
                    }
                ],
            },
            {
                "id": hens.pk, "area": f"{TAMBON}01", "village": f"{TAMBON}01", "title": "กลุ่มเลี้ยงไก่ไข่",
                "actor": "group", "domain": "economy", "kind": None, "households": 6, "cost": 0.0,
                "amount_asked": 0.0, "fiscal_year": 2567, "status": "under_consideration", "status_reason": "",
                "evidence": [],
            },
        ]
    }  # fmt: skip
    village = client.get(reverse("api:list_plans") + f"?area={TAMBON}01&year=2567", **h).json()
    assert [i["id"] for i in village["items"]] == [hens.pk]
    assert client.get(reverse("api:list_plans") + f"?area={TAMBON}&year=2568", **h).json() == {"items": []}
    # Another fiscal year's way of writing the year is refused, not guessed.
    bad = client.get(reverse("api:list_plans") + f"?area={TAMBON}&year=2024", **h)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "year"]


def test_an_agency_reads_the_items_without_any_household(client: Client, world) -> None:
    answer = client.get(reverse("api:list_plans") + "?area=37&year=2567", **headers(Role.AGENCY, "37"))
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert {i["title"] for i in items} == {"กลุ่มเลี้ยงไก่ไข่", "ถนนเชื่อมหมู่บ้าน", "ฝายชะลอน้ำ"}
    assert all("committed" not in i and "members" not in i for i in items)


def test_out_of_scope_is_the_same_404_as_missing(client: Client, world) -> None:
    h = headers(Role.TAMBON_STAFF, TAMBON)
    mine = client.get(reverse("api:get_plan_item", kwargs={"item_id": world["hens"].pk}), **h)
    assert (mine.status_code, mine.json()["title"]) == (200, "กลุ่มเลี้ยงไก่ไข่")
    missing_id = PlanItem.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    elsewhere = world["elsewhere"].pk
    answers = [
        client.get(reverse("api:get_plan_item", kwargs={"item_id": elsewhere}), **h),
        client.get(reverse("api:get_plan_item", kwargs={"item_id": missing_id}), **h),
        client.get(reverse("api:list_plans") + "?area=370102&year=2567", **h),
        client.get(reverse("api:list_plans") + "?area=99999999&year=2567", **h),
    ]
    for name, body in (
        ("set_plan_item_status", {"status": "adopted_in_principle"}),
        ("add_plan_item_evidence", {"figure": "households", "area": "370102", "from": "2024-03", "to": "2024-03"}),
    ):
        for item_id in (elsewhere, missing_id):
            answers.append(
                client.post(
                    reverse(f"api:{name}", kwargs={"item_id": item_id}), body, content_type="application/json", **h
                )
            )
    assert [(r.status_code, r.json()) for r in answers] == [(404, {"detail": "ไม่พบข้อมูล (Not found)"})] * 8
    assert PlanItem.objects.get(pk=elsewhere).status == Status.UNDER_CONSIDERATION
    assert not Evidence.objects.filter(item_id=elsewhere).exists()


def test_citing_a_figure_keeps_its_value_beside_todays(client: Client, world) -> None:
    h = headers(Role.TAMBON_STAFF, TAMBON)
    hens = world["hens"]
    url = reverse("api:add_plan_item_evidence", kwargs={"item_id": hens.pk})
    body = {"figure": "by_category", "category": EGGS, "area": f"{TAMBON}01", "from": "2567-03", "to": "2567-03"}
    answer = client.post(url, body, content_type="application/json", **h)
    assert answer.status_code == 200
    evidence = Evidence.objects.get(item=hens)
    # Independent: the eggs bought in March, summed from the lines written above.
    assert answer.json() == {
        "id": evidence.pk, "figure": "by_category", "area": f"{TAMBON}01", "from": "2024-03", "to": "2024-03",
        "category": EGGS, "value_cited": float(sum(EGG_AMOUNTS)), "value_now": float(sum(EGG_AMOUNTS)),
    }  # fmt: skip
    assert evidence.value_cited == sum(EGG_AMOUNTS)
    # More eggs bought later in March: today's value moves, the one cited stays.
    ledger_entries_add(
        actor=staff(), household=world["homes"][0],
        lines=[LineInput(date=dt.date(2024, 3, 20), category=EGGS, amount=Decimal("40.50"), key="egg-more")],
    )  # fmt: skip
    [cited] = client.get(reverse("api:get_plan_item", kwargs={"item_id": hens.pk}), **h).json()["evidence"]
    assert (cited["value_cited"], cited["value_now"]) == (
        float(sum(EGG_AMOUNTS)),
        float(sum(EGG_AMOUNTS) + Decimal("40.50")),
    )
    assert (cited["from"], cited["to"], cited["unit"], cited["title"]) == ("2024-03", "2024-03", "baht", None)


def test_bad_evidence_is_422_naming_the_field(client: Client, world) -> None:
    h = headers(Role.TAMBON_STAFF, TAMBON)
    url = reverse("api:add_plan_item_evidence", kwargs={"item_id": world["hens"].pk})
    good = {"figure": "income", "area": f"{TAMBON}01", "from": "2024-01", "to": "2024-03"}
    cases = [
        ({"from": "2567-13"}, ["body", "from"]),
        ({"to": "2023-12"}, ["body", "to"]),  # before from
        ({"figure": "happiness"}, ["body", "figure"]),
        ({"figure": "by_category"}, ["body", "category"]),  # without its category
        ({"figure": "by_category", "category": "Z99"}, ["body", "category"]),
        ({"area": "370102"}, ["body", "area"]),  # out of scope
        ({"area": "99999999"}, ["body", "area"]),  # missing: the same answer
    ]
    answers = [client.post(url, {**good, **change}, content_type="application/json", **h) for change, _ in cases]
    assert [(r.status_code, r.json()["detail"][0]["loc"]) for r in answers] == [(422, loc) for _, loc in cases]
    assert answers[-1].json() == answers[-2].json()
    assert all(r.json()["detail"][0]["msg"] for r in answers)
    assert not Evidence.objects.filter(item=world["hens"]).exists()


def test_the_status_path(client: Client, world) -> None:
    h = headers(Role.TAMBON_STAFF, TAMBON)
    road = world["road"]
    url = reverse("api:set_plan_item_status", kwargs={"item_id": road.pk})

    def post(body: dict[str, str]):  # type: ignore[no-untyped-def]
        return client.post(url, body, content_type="application/json", **h)

    moved = post({"status": "in_local_plan"})
    assert moved.status_code == 200
    assert (moved.json()["id"], moved.json()["status"]) == (road.pk, "in_local_plan")
    refused = [
        (post({"status": "under_consideration"}), ["body", "status"]),  # two steps back
        (post({"status": "finished"}), ["body", "status"]),
        (post({"status": "declined"}), ["body", "reason"]),
        (post({"status": "declined", "reason": "   "}), ["body", "reason"]),
    ]
    assert [(r.status_code, r.json()["detail"][0]["loc"]) for r, _ in refused] == [(422, loc) for _, loc in refused]
    declined = post({"status": "declined", "reason": "งบประมาณไม่พอ"})
    assert (declined.json()["status"], declined.json()["status_reason"]) == ("declined", "งบประมาณไม่พอ")
    assert list(ItemChange.objects.filter(item=road).values_list("from_status", "to_status", "reason")) == [
        ("", "under_consideration", ""),
        ("under_consideration", "in_local_plan", ""),
        ("in_local_plan", "declined", "งบประมาณไม่พอ"),
    ]


@pytest.mark.parametrize(("role", "area"), [(Role.AGENCY, "37"), (Role.VOLUNTEER, f"{TAMBON}01")])
def test_a_role_that_never_writes_plans_gets_403_and_nothing_changes(client: Client, world, role, area) -> None:
    h = headers(role, area)
    hens = world["hens"]
    assert client.get(reverse("api:get_plan_item", kwargs={"item_id": hens.pk}), **h).status_code == 200
    before = (ItemChange.objects.count(), Evidence.objects.count(), PlanItem.objects.get(pk=hens.pk).status)
    status = client.post(
        reverse("api:set_plan_item_status", kwargs={"item_id": hens.pk}),
        {"status": "adopted_in_principle"},
        content_type="application/json",
        **h,
    )
    evidence = client.post(
        reverse("api:add_plan_item_evidence", kwargs={"item_id": hens.pk}),
        {"figure": "households", "area": f"{TAMBON}01", "from": "2024-03", "to": "2024-03"},
        content_type="application/json",
        **h,
    )
    assert [(r.status_code, r.json()) for r in (status, evidence)] == [(403, {"detail": "ไม่มีสิทธิ์ (Forbidden)"})] * 2
    assert (ItemChange.objects.count(), Evidence.objects.count(), PlanItem.objects.get(pk=hens.pk).status) == before


def test_the_operations_are_documented_with_their_answers() -> None:
    from chumchon.api import api

    spec = api.get_openapi_schema(path_prefix="/api/")
    paths = spec["paths"]
    assert set(paths["/api/plans"]["get"]["responses"]) == {200, 401, 404, 422}
    for path in ("/api/plans/items/{item_id}/evidence", "/api/plans/items/{item_id}/status"):
        assert set(paths[path]["post"]["responses"]) == {200, 400, 401, 403, 404, 422}
    assert reverse("api:get_plan_item", kwargs={"item_id": 1}) == "/api/plans/items/1"

"""The tambon's to-do list: each item's count against an independent computation, its
link, and only for the roles that may act on it, in their scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.imports.models import ImportJob
from chumchon.insights.todo import tambon_todo_for_user
from chumchon.ledgers.models import LedgerEntry, PendingLine
from chumchon.ledgers.services import LineInput, ledger_entries_add, month_close
from chumchon.registry.models import DuplicateCandidate, Household, HouseholdStatus
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 4, 10, 3, 0, tzinfo=dt.UTC)  # 10:00 on 10 April 2567 in Bangkok
TAMBON = "370101"


def _line(household: Household, day: dt.date) -> None:
    ledger_entries_add(
        actor=Actor(user=None), household=household, lines=[LineInput(date=day, category="C02", amount=Decimal("10"))]
    )


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        one, two = factories.village(TAMBON, 1), factories.village(TAMBON, 2)
        v1 = [factories.household(one) for _ in range(6)]
        v2 = [factories.household(two) for _ in range(4)]
        elsewhere = factories.household(factories.village("370102", 1))
        # Accounts: February all of village 1 and 2 of village 2; March 3 of village 1;
        # April (this month) 2 of village 1 and 1 of village 2.
        for h in [*v1, *v2[:2]]:
            _line(h, dt.date(2024, 2, 5))
        for h in v1[:3]:
            _line(h, dt.date(2024, 3, 5))
        for h in [*v1[:2], v2[0]]:
            _line(h, dt.date(2024, 4, 3))
        month_close(actor=Actor(user=None), village=one, month=dt.date(2024, 2, 1))
        # Lines waiting for a category: two waiting, one resolved, one of another tambon.
        for n, (h, resolved) in enumerate([(v1[0], False), (v1[1], False), (v2[0], True), (elsewhere, False)]):
            PendingLine.objects.create(
                household=h, tambon_code=h.tambon_code, village=h.village, date=dt.date(2024, 3, 9),
                item="ของ", amount=Decimal("20"), import_key=f"todo-{n}",
                resolved_at=NOW if resolved else None, resolution="rejected" if resolved else "",
                reason="ไม่ใช่รายการของครัวเรือน" if resolved else "",
            )  # fmt: skip
        # Duplicates: one open pair here, one dismissed, one open in the other tambon.
        heads = {h.pk: h.members.order_by("pk") for h in [*v1, elsewhere]}

        def pair(a: Household, b: Household, status: str) -> None:
            DuplicateCandidate.objects.create(
                member_a=heads[a.pk][0], member_b=heads[b.pk][1], tambon_code=a.tambon_code, score=Decimal("0.9"),
                reason="test", status=status, found_at=NOW,
            )  # fmt: skip

        pair(v1[0], v1[1], DuplicateCandidate.Status.OPEN)
        pair(v1[2], v1[3], DuplicateCandidate.Status.DISMISSED)
        pair(elsewhere, elsewhere, DuplicateCandidate.Status.OPEN)
        # Verifications: two a year and more old, one recent, one old but of a household gone.
        Household.objects.filter(pk__in=[v1[0].pk, v2[1].pk]).update(verified_at=NOW - dt.timedelta(days=400))
        Household.objects.filter(pk=v1[1].pk).update(verified_at=NOW - dt.timedelta(days=100))
        Household.objects.filter(pk=v2[3].pk).update(
            verified_at=NOW - dt.timedelta(days=500), status=HouseholdStatus.MOVED, left_on=NOW.date()
        )
        # Imports: households failed; ledgers refused, then redone; villages refused after a good one.
        tambon = Area.objects.get(code=TAMBON)
        for kind, status, days_ago in [
            (ImportJob.Kind.HOUSEHOLDS, ImportJob.Status.FAILED, 3),
            (ImportJob.Kind.LEDGERS, ImportJob.Status.REJECTED, 5),
            (ImportJob.Kind.LEDGERS, ImportJob.Status.DONE, 4),
            (ImportJob.Kind.VILLAGES, ImportJob.Status.REJECTED, 1),
            (ImportJob.Kind.VILLAGES, ImportJob.Status.DONE, 2),  # done before the refusal
        ]:
            job = ImportJob.objects.create(tambon=tambon, kind=kind, status=status, filename=f"{kind}.xlsx")
            ImportJob.objects.filter(pk=job.pk).update(created_at=NOW - dt.timedelta(days=days_ago))
    return {"one": one, "two": two, "v1": v1, "v2": v2}


def _expected_unreported(codes: list[str]) -> tuple[int, int]:
    """Independently: active households of the villages minus those with an April line."""
    households = Household.objects.filter(village_id__in=codes, status=HouseholdStatus.ACTIVE)
    april = set(
        LedgerEntry.objects.filter(household__in=households, date__gte=dt.date(2024, 4, 1)).values_list(
            "household_id", flat=True
        )
    )
    return households.count() - len(april), households.count()


@time_machine.travel(NOW, tick=False)
def test_tambon_staff_see_every_item_with_its_count_and_link(world):
    staff = factories.user(Role.TAMBON_STAFF, TAMBON)
    items = {i.key: i for i in tambon_todo_for_user(staff, Area.objects.get(code=TAMBON))}
    assert list(items) == ["review", "duplicates", "unreported", "close", "stale", "imports"]
    missing, writable = _expected_unreported([world["one"].code, world["two"].code])
    assert (missing, writable) == (6, 9)  # 9 active (one moved away), 3 reported in April
    # Months ready to close in the last twelve: village 1's March (3 of 6, half) — its
    # February is closed; village 2's February (2 of 4); nothing of April (still open).
    # Imports to redo: the failed households file, and the villages file refused after
    # the last good one (the refused ledgers file was redone since).
    counts = {k: i.count for k, i in items.items()}
    assert counts == {"review": 2, "duplicates": 1, "unreported": missing, "close": 2, "stale": 2, "imports": 2}
    assert items["unreported"].note == "จาก 9 ครัวเรือน"
    assert items["unreported"].label == "ครัวเรือนที่ยังไม่ส่งบัญชีเดือนเมษายน 2567"
    assert {k: i.url for k, i in items.items()} == {
        "review": reverse("ledgers:review", args=[TAMBON]),
        "duplicates": reverse("registry:duplicates"),
        "unreported": reverse("ledgers:phone"),
        "close": reverse("ledgers:completeness", args=[TAMBON]),
        "stale": reverse("registry:verification", args=[TAMBON]),
        "imports": reverse("imports:page", args=[TAMBON]),
    }


@time_machine.travel(NOW, tick=False)
def test_a_volunteers_list_counts_only_the_households_of_their_village(world):
    volunteer = factories.user(Role.VOLUNTEER, world["one"].code)
    items = tambon_todo_for_user(volunteer, Area.objects.get(code=TAMBON))
    assert [(i.key, i.count) for i in items] == [("unreported", _expected_unreported([world["one"].code])[0])]
    assert items[0].count == 4
    # A volunteer's scope is their village: the tambon's pages (and its list) are not theirs.
    client = Client()
    client.force_login(volunteer)
    assert client.get(reverse("insights:todo", args=[TAMBON])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_tambon_page_loads_the_list_for_who_may_act_and_not_for_readers(world):
    staff = Client()
    staff.force_login(factories.user(Role.TAMBON_STAFF, TAMBON))
    page = staff.get(reverse("areas:detail", args=[TAMBON])).content.decode()
    todo = reverse("insights:todo", args=[TAMBON])
    assert f'hx-get="{todo}"' in page and f'href="{todo}"' in page  # a link without JavaScript
    block = staff.get(todo, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in block and 'data-key="duplicates"' in block
    assert f'href="{reverse("registry:duplicates")}"' in block
    assert staff.get(todo).status_code == 200  # the page of its own
    for role, area in [(Role.DISTRICT_COORDINATOR, "3701"), (Role.AGENCY, "37"), (Role.TAMBON_STAFF, "370102")]:
        reader = Client()
        reader.force_login(factories.user(role, area))
        detail = reader.get(reverse("areas:detail", args=[TAMBON]))
        assert todo not in detail.content.decode(), role
        assert reader.get(todo).status_code == 404, role
        assert 'data-key="' not in reader.get(todo, headers={"HX-Request": "true"}).content.decode()
    # Not a tambon: no list.
    assert staff.get(reverse("insights:todo", args=[world["one"].code])).status_code == 404

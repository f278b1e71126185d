"""The household list: filters and sorting checked against an independent filter in
Python over generated households, and its spreadsheet read back (Thai headers,
Buddhist Era dates, national IDs masked, the same filters, audited)."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.core import national_id
from chumchon.core.spreadsheet.writer import HEADER_ROW
from chumchon.core.thai import Month
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.models import DIMENSION_FIELDS, Dimension, Household, HouseholdStatus, Member, Verification
from chumchon.registry.selectors import HouseholdListFilters, households_list_for_user
from tests import factories

pytestmark = pytest.mark.django_db

TAMBON = "370101"
V1, V2 = "37010101", "37010102"
OTHER = "37010201"  # the next tambon: never in the officer's list
NOW = dt.datetime(2024, 3, 20, 10, 0, tzinfo=dt.UTC)
THIS_MONTH = Month(2024, 3)


@pytest.fixture
def world():
    """40 households of the tambon with random status, verification, needs and March
    accounts, and 5 of the next tambon that look the same."""
    rng = random.Random(7)
    actor = Actor.system("test")
    villages = [factories.village(TAMBON, 1), factories.village(TAMBON, 2), factories.village(TAMBON[:4] + "02", 1)]
    made = []
    for n in range(45):
        village = villages[2] if n >= 40 else villages[n % 2]
        fails = {d: rng.random() < 0.3 for d in Dimension}
        welfare = rng.random() < 0.5
        h = factories.household(
            village,
            code=f"{rng.choice('ABC')}-{n:03d}",
            house_no=str(rng.randint(1, 120)),
            members=rng.randint(1, 3),
            status=rng.choice([HouseholdStatus.ACTIVE] * 4 + [HouseholdStatus.MOVED, HouseholdStatus.NOT_FOUND]),
            verification=rng.choice(Verification.values),
            welfare_card=welfare,
            dimensions_failed=sum(fails.values()),
            is_target=welfare and any(fails.values()),
            **{DIMENSION_FIELDS[d]: v for d, v in fails.items()},
        )
        if n % 3 == 0:
            Member.objects.filter(household=h).update(birth_date=dt.date(1989, 11, 23))
        if h.status == HouseholdStatus.ACTIVE and rng.random() < 0.5:
            when = dt.date(2024, 3, 5) if rng.random() < 0.7 else dt.date(2024, 2, 5)
            ledger_entries_add(
                actor=actor, household=h, lines=[LineInput(date=when, category="C01", amount=Decimal("100"))]
            )
        made.append(h)
    return made


@pytest.fixture
def officer():
    return factories.user(Role.TAMBON_STAFF, TAMBON, username="officer")


def reported_in(month: Month) -> set[int]:
    from chumchon.ledgers.models import LedgerEntry

    return set(
        LedgerEntry.objects.filter(date__gte=month.first_day, date__lte=month.last_day).values_list(
            "household_id", flat=True
        )
    )


def expected(world: list[Household], f: HouseholdListFilters) -> list[int]:
    """The same filter and sort, in Python over the rows as created."""
    rows = [Household.objects.get(pk=h.pk) for h in world]
    rows = [h for h in rows if h.tambon_code == TAMBON]
    reported = reported_in(f.not_reported) if f.not_reported else set()
    out = []
    for h in rows:
        if f.village and h.village_id != f.village:
            continue
        if f.status and h.status != f.status:
            continue
        if f.verification and h.verification != f.verification:
            continue
        if f.target and not h.is_target:
            continue
        if f.dimension == "any" and h.dimensions_failed == 0:
            continue
        if f.dimension and f.dimension != "any" and not getattr(h, f"fails_{f.dimension}"):
            continue
        if f.not_reported and (h.status != HouseholdStatus.ACTIVE or h.pk in reported):
            continue
        # the period's households: not left before it began, or with a line in it
        if f.period and h.left_on and h.left_on < f.period.first_day and h.pk not in reported_in(f.period):
            continue
        out.append(h)

    def head(h: Household) -> str:
        m = h.members.filter(is_head=True).first()
        return f"{m.first_name} {m.last_name}" if m else ""

    keys = {
        "code": lambda h: (h.code, h.pk),
        "village": lambda h: (h.village_id, h.code, h.pk),
        "house_no": lambda h: (h.house_no, h.code, h.pk),
        "head": lambda h: (head(h), h.code, h.pk),
        "dimensions": lambda h: (-h.dimensions_failed, h.village_id, h.code, h.pk),
        "status": lambda h: (h.status, h.village_id, h.code, h.pk),
    }
    key = f.sort.removeprefix("-")
    ordered = sorted(out, key=keys[key])
    if f.sort.startswith("-"):
        # Reversed on the first key only; ties keep their order.
        first = keys[key]
        groups: dict[object, list[Household]] = {}
        for h in ordered:
            groups.setdefault(first(h)[0], []).append(h)
        ordered = [h for k in sorted(groups, reverse=True) for h in groups[k]]
    return [h.pk for h in ordered]


CASES = [
    HouseholdListFilters(),
    HouseholdListFilters(village=V2),
    HouseholdListFilters(status=HouseholdStatus.MOVED),
    HouseholdListFilters(verification=Verification.VERIFIED, sort="house_no"),
    HouseholdListFilters(target=True, sort="-code"),
    HouseholdListFilters(dimension="income", sort="dimensions"),
    HouseholdListFilters(dimension="any", village=V1, sort="-dimensions"),
    HouseholdListFilters(not_reported=THIS_MONTH, sort="head"),
    HouseholdListFilters(not_reported=Month(2024, 2), village=V1, sort="status"),
    HouseholdListFilters(not_reported=THIS_MONTH, target=True, dimension="health", sort="-village"),
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("filters", CASES, ids=lambda f: repr(f).removeprefix("HouseholdListFilters"))
def test_filters_and_sorting_match_an_independent_filter(world, officer, filters):
    got = [h.pk for h in households_list_for_user(officer, TAMBON, filters)]
    assert got == expected(world, filters)


@time_machine.travel(NOW, tick=False)
def test_the_list_page_applies_the_query_string(client, world, officer):
    client.force_login(officer)
    url = reverse("registry:list", args=[TAMBON])
    response = client.get(url, {"not_reported": "1", "village": V1, "sort": "-code"})
    assert response.status_code == 200
    shown = [h.pk for h in response.context["page"].object_list]
    # the page lists this month's households (those gone before it on ``?left=1``)
    want = HouseholdListFilters(not_reported=THIS_MONTH, village=V1, sort="-code", period=THIS_MONTH)
    assert shown == expected(world, want)
    html = response.content.decode()
    assert "มีนาคม 2567" in html  # "not yet reported in March 2567"
    # A value that does not parse is reported and not applied, never a 500.
    bad = client.get(url, {"status": "nonsense", "not_reported": "2567-13"})
    assert bad.status_code == 200 and len(bad.context["form"].errors) == 2
    assert bad.context["page"].paginator.count == len(expected(world, HouseholdListFilters(period=THIS_MONTH))) < 40
    everyone = client.get(url, {"left": "1"})
    assert everyone.context["page"].paginator.count == 40
    event = AuditEvent.objects.filter(object_type="household_list", action="view").order_by("id").first()
    assert event.detail["filters"] == {"village": V1, "not_reported": "2024-03"}
    assert event.detail["ids"] == shown


@time_machine.travel(NOW, tick=False)
def test_the_list_text_filter_is_the_search(client, world, officer):
    client.force_login(officer)
    target = world[4]
    head = target.members.get(is_head=True)
    nid = "1101700203450"
    Member.objects.filter(pk=head.pk).update(
        national_id_encrypted=national_id.encrypt(nid), national_id_hash=national_id.lookup_hash(nid)
    )
    response = client.get(reverse("registry:list", args=[TAMBON]), {"q": national_id.format_full(nid)})
    assert [h.pk for h in response.context["page"].object_list] == [target.pk]
    event = AuditEvent.objects.filter(object_type="household_list").order_by("-id").first()
    assert nid not in event.path and nid not in str(event.detail)
    assert event.detail["filters"]["q"] == national_id.mask(nid)


def read_book(content: bytes) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def table(rows: list[list[object]]) -> list[dict[str, object]]:
    header = rows[HEADER_ROW]
    return [dict(zip(header, r, strict=True)) for r in rows[HEADER_ROW + 1 :]]


@time_machine.travel(NOW, tick=False)
def test_the_spreadsheet_has_the_filtered_rows_thai_headers_be_dates_and_masked_ids(client, world, officer):
    client.force_login(officer)
    params = {"not_reported": "1", "sort": "code", "dimension": "any"}
    response = client.get(reverse("registry:list_xlsx", args=[TAMBON]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    book = read_book(response.content)
    assert list(book) == ["ครัวเรือน", "สมาชิก"]
    want = expected(world, HouseholdListFilters(not_reported=THIS_MONTH, dimension="any", sort="code"))
    households = table(book["ครัวเรือน"])
    by_code = {h.code: h for h in Household.objects.filter(pk__in=want)}
    assert [r["รหัสครัวเรือน"] for r in households] == [Household.objects.get(pk=pk).code for pk in want]
    for row in households:
        h = by_code[str(row["รหัสครัวเรือน"])]
        head = h.members.get(is_head=True)
        assert row["บ้านเลขที่"] == h.house_no
        assert row["หัวหน้าครัวเรือน"] == head.full_name
        assert row["เลขประจำตัวประชาชนของหัวหน้า"] == national_id.mask(national_id.decrypt(head.national_id_encrypted))
        assert row["สถานะ"] == h.get_status_display() == "ปกติ"
    members = table(book["สมาชิก"])
    expected_members = Member.objects.filter(household_id__in=want)
    assert len(members) == expected_members.count()
    for row in members:
        assert re.fullmatch(r"\d-\d{4}-xxxxx-xx-\d", str(row["เลขประจำตัวประชาชน"]))
        assert row["วันเกิด"] in ("23/11/2532", "15/01/2513", "15/01/2514", "15/01/2515")
    assert any(row["วันเกิด"] == "23/11/2532" for row in members) or not any(
        m.birth_date == dt.date(1989, 11, 23) for m in expected_members
    )
    # No whole national ID anywhere in the file, in any part of the zip.
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for m in Member.objects.filter(household__tambon_code=TAMBON):
        assert national_id.decrypt(m.national_id_encrypted) not in text
    assert "มีนาคม 2567" in str(book["ครัวเรือน"][1][0])  # the note says which filters
    event = AuditEvent.objects.get(action="export", object_type="household_list")
    assert (event.username, event.area_code, event.detail["households"]) == ("officer", TAMBON, len(want))
    assert event.detail["ids"] == want
    assert event.detail["filters"] == {"dimension": "any", "not_reported": "2024-03"}
    assert event.at == timezone.now()


def test_exports_are_person_data_only_for_those_who_may_read_it(client, world):
    url = reverse("registry:list_xlsx", args=[TAMBON])
    for user in (factories.user(Role.AGENCY, "37"), factories.user(Role.TAMBON_STAFF, "370102")):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()
    volunteer = factories.user(Role.VOLUNTEER, V1)
    client.force_login(volunteer)
    assert client.get(url).status_code == 404  # not the whole tambon
    rows = table(read_book(client.get(reverse("registry:list_xlsx", args=[V1])).content)["ครัวเรือน"])
    assert {r["รหัสหมู่บ้าน"] for r in rows} == {V1}
    # this month's households of the village: those gone (in January 2024) are not among them
    assert len(rows) == sum(1 for h in world if h.village_id == V1 and h.status == HouseholdStatus.ACTIVE)


def test_a_list_too_long_to_export_is_refused_with_a_message(client, world, officer, monkeypatch):
    from chumchon.registry.views import lists

    monkeypatch.setattr(lists, "EXPORT_MAX_HOUSEHOLDS", 3)
    client.force_login(officer)
    response = client.get(reverse("registry:list_xlsx", args=[TAMBON]), {"village": V1})
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:list", args=[TAMBON]) + f"?village={V1}"
    page = client.get(response["Location"]).content.decode()
    assert "กรองรายการให้แคบลง" in page
    assert not AuditEvent.objects.filter(action="export").exists()

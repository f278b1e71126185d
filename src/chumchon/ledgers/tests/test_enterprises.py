"""Household enterprises: creating one, tagging lines to it, and its profit and loss
against an independent computation from the raw lines; the pages and their scope."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.ledgers.models import Category, Enterprise, LedgerEntry
from chumchon.ledgers.services import (
    EnterpriseInput,
    LedgerError,
    LineInput,
    enterprise_create,
    enterprise_tag_entries,
    ledger_entries_add,
    ledger_entry_reverse,
)
from chumchon.ledgers.statements import enterprise_pnls
from tests import factories

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


@pytest.fixture
def staff():
    return factories.user(Role.TAMBON_STAFF, "370101", username="ent-staff")


@pytest.fixture
def household():
    return factories.household(factories.village("370101", 1, "บ้านบุ่ง"), code="01-0001")


@pytest.fixture
def lines(staff, household):
    """Sixty lines of 2024 across every category."""
    rng = random.Random(67)
    codes = list(Category.objects.values_list("code", flat=True))
    return ledger_entries_add(
        actor=Actor(user=staff),
        household=household,
        lines=[
            LineInput(
                date=dt.date(2024, rng.randint(5, 11), rng.randint(1, 28)),
                category=rng.choice(codes),
                amount=Decimal(rng.randint(100, 2000000)) / 100,
            )
            for _ in range(60)
        ],
    )


def _user(role, area):
    if area and len(area) == 8:
        factories.village(area[:6], int(area[6:]))
    return factories.user(role, area)


def _rice(staff, household, **kw) -> Enterprise:
    data = {"name": "ทำนา", "season": "นาปี 2567", "area_rai": Decimal("12.50"), **kw}
    return enterprise_create(actor=Actor(user=staff), household=household, data=EnterpriseInput(**data))


# --- services -----------------------------------------------------------------------------


def test_create_an_enterprise_is_audited(staff, household):
    enterprise = _rice(staff, household, starts_on=dt.date(2024, 5, 1), ends_on=dt.date(2024, 11, 30))
    assert (enterprise.name, enterprise.season, enterprise.area_rai) == ("ทำนา", "นาปี 2567", Decimal("12.50"))
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type, event.object_id, event.area_code) == (
        "create", "enterprise", str(enterprise.pk), "37010101",
    )  # fmt: skip
    assert event.detail["area_rai"] == "12.50"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "  "}, "ต้องระบุชื่อกิจการ"),
        ({"area_rai": Decimal("0")}, "พื้นที่ต้องมากกว่า 0 ไร่"),
        ({"area_rai": Decimal("1.005")}, "ทศนิยม"),
        ({"starts_on": dt.date(2024, 5, 1), "ends_on": dt.date(2024, 4, 1)}, "วันสิ้นสุด"),
    ],
)
def test_a_bad_enterprise_is_refused_and_nothing_is_written(staff, household, data, message):
    before = (Enterprise.objects.count(), AuditEvent.objects.count())
    with pytest.raises(LedgerError, match=message):
        _rice(staff, household, **data)
    assert (Enterprise.objects.count(), AuditEvent.objects.count()) == before


def test_the_same_enterprise_and_season_twice_is_refused(staff, household):
    _rice(staff, household)
    with pytest.raises(LedgerError, match="อยู่แล้ว"):
        _rice(staff, household)
    assert Enterprise.objects.count() == 1
    _rice(staff, household, season="นาปรัง 2568")  # another season is another account


@pytest.mark.parametrize(("role", "area"), [(Role.VOLUNTEER, "37010102"), (Role.DISTRICT_COORDINATOR, "3701")])
def test_only_ledger_writers_of_the_village_may_create_or_tag(staff, household, lines, role, area):
    enterprise = _rice(staff, household)
    outsider = Actor(user=_user(role, area))
    before = (Enterprise.objects.count(), AuditEvent.objects.count())
    with pytest.raises(LedgerError):
        _rice(outsider.user, household, season="อื่น")
    with pytest.raises(LedgerError):
        enterprise_tag_entries(actor=outsider, enterprise=enterprise, tag=[lines[0].pk])
    assert (Enterprise.objects.count(), AuditEvent.objects.count()) == before
    assert not LedgerEntry.objects.filter(enterprise=enterprise).exists()


def test_tagging_moves_reversals_along_and_is_audited(staff, household, lines):
    actor = Actor(user=staff)
    rice, chickens = _rice(staff, household), _rice(staff, household, name="เลี้ยงไก่ไข่", season="", area_rai=None)
    reversal = ledger_entry_reverse(actor=actor, entry=lines[0], reason="ผิด")
    result = enterprise_tag_entries(actor=actor, enterprise=rice, tag=[lines[0].pk, lines[1].pk, lines[2].pk])
    assert (result.tagged, result.untagged) == (3, 0)
    reversal.refresh_from_db()
    assert reversal.enterprise_id == rice.pk  # the correction follows the line
    amounts_before = {e.pk: (e.amount, e.date, e.category_id) for e in LedgerEntry.objects.all()}
    # Moving a line to another enterprise, taking one off, tagging again (no-op).
    result = enterprise_tag_entries(actor=actor, enterprise=chickens, tag=[lines[2].pk])
    assert result.tagged == 1
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type, event.object_id) == ("update", "enterprise", str(chickens.pk))
    assert event.detail["tagged"] == [lines[2].pk] and event.detail["moved_from"] == {str(lines[2].pk): rice.pk}
    result = enterprise_tag_entries(actor=actor, enterprise=rice, untag=[lines[1].pk], tag=[lines[0].pk])
    assert (result.tagged, result.untagged) == (0, 1)
    assert set(LedgerEntry.objects.filter(enterprise=rice).values_list("pk", flat=True)) == {lines[0].pk, reversal.pk}
    # A tag is not an edit: amounts, dates and categories are as they were.
    assert {e.pk: (e.amount, e.date, e.category_id) for e in LedgerEntry.objects.all()} == amounts_before


def test_lines_of_another_household_or_reversals_are_refused(staff, household, lines):
    actor = Actor(user=staff)
    rice = _rice(staff, household)
    neighbour = factories.household(household.village, code="01-0002")
    (theirs,) = ledger_entries_add(
        actor=actor, household=neighbour,
        lines=[LineInput(date=dt.date(2024, 6, 1), category="P02", amount=Decimal("500.00"))],
    )  # fmt: skip
    reversal = ledger_entry_reverse(actor=actor, entry=lines[3], reason="ผิด")
    before = AuditEvent.objects.count()
    for bad in ([theirs.pk], [reversal.pk], [lines[4].pk, theirs.pk]):
        with pytest.raises(LedgerError):
            enterprise_tag_entries(actor=actor, enterprise=rice, tag=bad)
    assert not LedgerEntry.objects.filter(enterprise=rice).exists()
    assert AuditEvent.objects.count() == before


# --- profit and loss -----------------------------------------------------------------------


def test_profit_and_loss_equals_an_independent_computation(staff, household, lines):
    actor = Actor(user=staff)
    rice = _rice(staff, household)
    shop = _rice(staff, household, name="ร้านค้า", season="", area_rai=None)
    rng = random.Random(5)
    rice_lines = rng.sample(lines, 25)
    shop_lines = [e for e in lines if e not in rice_lines][:15]
    enterprise_tag_entries(actor=actor, enterprise=rice, tag=[e.pk for e in rice_lines])
    enterprise_tag_entries(actor=actor, enterprise=shop, tag=[e.pk for e in shop_lines])
    rice_lines[0].refresh_from_db()  # as a page would read it: tagged
    ledger_entry_reverse(actor=actor, entry=rice_lines[0], reason="ผิด")  # the reversal carries the tag
    categories = {c.code: c for c in Category.objects.all()}

    def independent(enterprise):
        sums = defaultdict(Decimal)
        for e in LedgerEntry.objects.filter(enterprise=enterprise):
            c, flags = categories[e.category_id], categories[e.category_id].flags.split()
            if c.kind == "income" and "borrowing" not in flags:
                sums["revenue"] += e.amount
            elif c.kind == "expense" and c.group == "production":
                sums["production"] += e.amount
            elif c.kind == "expense" and "debt_principal" not in flags and "saving" not in flags:
                sums["other"] += e.amount
            else:
                sums["excluded"] += e.amount
        return sums

    pnls = {p.enterprise.pk: p for p in enterprise_pnls(household)}
    for enterprise in (rice, shop):
        expected, pnl = independent(enterprise), pnls[enterprise.pk]
        assert pnl.revenue == expected["revenue"]
        assert pnl.production_costs == expected["production"]
        assert pnl.other_costs == expected["other"]
        assert sum((line.amount for line in pnl.excluded_lines), Decimal(0)) == expected["excluded"]
        assert pnl.costs == expected["production"] + expected["other"]
        assert pnl.profit == expected["revenue"] - expected["production"] - expected["other"]
        assert all(line.code.startswith("P") for line in pnl.production_lines)
    rice_pnl = pnls[rice.pk]
    assert rice_pnl.lines == 25 - 1  # one line taken back out by its reversal
    assert rice_pnl.cost_per_rai == (rice_pnl.costs / Decimal("12.50")).quantize(CENT, rounding=ROUND_HALF_UP)
    assert rice_pnl.profit_per_rai == (rice_pnl.profit / Decimal("12.50")).quantize(CENT, rounding=ROUND_HALF_UP)
    assert pnls[shop.pk].cost_per_rai is None  # no area given


def test_cost_per_rai_on_a_known_crop(staff, household):
    actor = Actor(user=staff)
    rice = _rice(staff, household, area_rai=Decimal("10"))
    entries = ledger_entries_add(
        actor=actor,
        household=household,
        lines=[
            LineInput(date=dt.date(2024, 6, 1), category="P01", amount=Decimal("1200.00")),
            LineInput(date=dt.date(2024, 6, 2), category="P02", amount=Decimal("3500.00")),
            LineInput(date=dt.date(2024, 7, 1), category="P05", amount=Decimal("2000.00")),
            LineInput(date=dt.date(2024, 7, 1), category="F02", amount=Decimal("300.00")),  # interest: a cost
            LineInput(date=dt.date(2024, 7, 2), category="F01", amount=Decimal("5000.00")),  # principal: not
            LineInput(date=dt.date(2024, 6, 1), category="F05", amount=Decimal("8000.00")),  # loan: not revenue
            LineInput(date=dt.date(2024, 11, 20), category="I02", amount=Decimal("15000.00")),
            LineInput(date=dt.date(2024, 11, 21), category="C01", amount=Decimal("99.00")),  # untagged
        ],
    )
    enterprise_tag_entries(actor=actor, enterprise=rice, tag=[e.pk for e in entries[:7]])
    (pnl,) = enterprise_pnls(household, [rice])
    assert (pnl.revenue, pnl.production_costs, pnl.other_costs) == (
        Decimal("15000.00"), Decimal("6700.00"), Decimal("300.00"),
    )  # fmt: skip
    assert (pnl.costs, pnl.profit) == (Decimal("7000.00"), Decimal("8000.00"))
    assert (pnl.cost_per_rai, pnl.revenue_per_rai, pnl.profit_per_rai) == (
        Decimal("700.00"), Decimal("1500.00"), Decimal("800.00"),
    )  # fmt: skip
    assert {line.code for line in pnl.excluded_lines} == {"F01", "F05"}


# --- pages ----------------------------------------------------------------------------------


def test_staff_create_an_enterprise_and_tag_lines_on_the_pages(client, staff, household, lines):
    client.force_login(staff)
    url = reverse("ledgers:enterprises", args=[household.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "ทำนา", "season": "นาปี 2567", "area_rai": "8", "starts_on": "2024-05-01", "ends_on": "2024-11-30"}
    )
    enterprise = Enterprise.objects.get(household=household)
    assert response["Location"] == reverse("ledgers:enterprise", args=[household.pk, enterprise.pk])
    page = client.get(response["Location"]).content.decode()
    in_season = [e for e in lines if dt.date(2024, 5, 1) <= e.date <= dt.date(2024, 11, 30)]
    assert all(f'name="tag" value="{e.pk}"' in page for e in in_season)
    chosen = in_season[:4]
    shown = [e.pk for e in in_season]
    response = client.post(response["Location"], {"shown": shown, "tag": [e.pk for e in chosen]})
    assert response.status_code == 302
    assert set(LedgerEntry.objects.filter(enterprise=enterprise).values_list("pk", flat=True)) == {e.pk for e in chosen}
    # Unticking one takes its tag off.
    client.post(
        reverse("ledgers:enterprise", args=[household.pk, enterprise.pk]), {"shown": shown, "tag": [chosen[0].pk]}
    )
    assert list(LedgerEntry.objects.filter(enterprise=enterprise).values_list("pk", flat=True)) == [chosen[0].pk]
    listing = client.get(url).content.decode()
    assert "ทำนา" in listing and "นาปี 2567" in listing
    assert AuditEvent.objects.filter(object_type="household_enterprises", action="view").exists()


@pytest.mark.parametrize(
    ("role", "area"), [(Role.VOLUNTEER, "37010102"), (Role.AGENCY, "37"), (Role.DISTRICT_COORDINATOR, "3702")]
)
def test_enterprise_pages_out_of_scope_are_404(client, staff, household, lines, role, area):
    enterprise = _rice(staff, household)
    client.force_login(_user(role, area))
    before = (AuditEvent.objects.count(), Enterprise.objects.count())
    assert client.get(reverse("ledgers:enterprises", args=[household.pk])).status_code == 404
    assert client.get(reverse("ledgers:enterprise", args=[household.pk, enterprise.pk])).status_code == 404
    assert client.post(reverse("ledgers:enterprises", args=[household.pk]), {"name": "x"}).status_code in (403, 404)
    assert client.post(
        reverse("ledgers:enterprise", args=[household.pk, enterprise.pk]),
        {"shown": [lines[0].pk], "tag": [lines[0].pk]},
    ).status_code in (403, 404)
    assert (AuditEvent.objects.count(), Enterprise.objects.count()) == before
    assert not LedgerEntry.objects.filter(enterprise=enterprise).exists()


def test_a_reader_who_may_not_write_sees_the_accounts_but_cannot_change_them(client, staff, household, lines):
    enterprise = _rice(staff, household)
    client.force_login(factories.user(Role.DISTRICT_COORDINATOR, "3701"))
    page = client.get(reverse("ledgers:enterprise", args=[household.pk, enterprise.pk])).content.decode()
    assert "ทำนา" in page and 'name="tag"' not in page
    response = client.post(
        reverse("ledgers:enterprise", args=[household.pk, enterprise.pk]),
        {"shown": [lines[0].pk], "tag": [lines[0].pk]},
    )
    assert response.status_code in (403, 404)
    assert not LedgerEntry.objects.filter(enterprise=enterprise).exists()
    # An enterprise of another household is not reachable through this one.
    other = factories.household(household.village, code="01-0002")
    assert client.get(reverse("ledgers:enterprise", args=[other.pk, enterprise.pk])).status_code == 404

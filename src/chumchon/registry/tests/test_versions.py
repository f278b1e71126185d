"""The registry's version per province: every way households and debts are written
bumps it (the results cached under it are computed again), and nothing else does."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.imports.tests.sheets import (
    HOUSEHOLD_HEADERS_TH,
    MEMBER_HEADERS_TH,
    household_row,
    member_row,
    nid,
    write_csv,
    write_xlsx,
)
from chumchon.registry.imports import households_import
from chumchon.registry.models import Debt, Household, RegistryVersion
from chumchon.registry.selectors import households_in_period
from chumchon.registry.services import (
    HouseholdInput,
    MemberInput,
    household_create,
    household_indicators_record,
    household_update,
)
from chumchon.registry.services.indicators import indicator_edition_activate, indicator_editions_load
from chumchon.registry.versions import registry_touch, registry_version
from tests import factories

pytestmark = pytest.mark.django_db
SPAN = (Month(2025, 10), Month(2026, 9))


def versions() -> dict[str, int]:
    return dict(RegistryVersion.objects.values_list("province_code", "version"))


@pytest.fixture
def staff():
    return Actor(user=factories.user(Role.TAMBON_STAFF, "370101", username="staff"))


@pytest.fixture
def village():
    return factories.village("370101", 1, "บ้านบุ่ง")


def test_a_save_or_delete_of_a_household_or_a_debt_bumps_its_province_only(staff, village):
    assert registry_version("37") == registry_version("") == "0"
    household = household_create(
        actor=staff,
        data=HouseholdInput(
            code="01-001",
            village=village,
            members=[MemberInput(first_name="สมศรี", last_name="ใจดี", national_id=factories.new_national_id())],
        ),
    )
    after_create = versions()
    assert set(after_create) == {"37"} and after_create["37"] >= 1
    household_update(actor=staff, household=household, changes={"house_no": "9/1"})
    assert versions()["37"] > after_create["37"]
    before = versions()["37"]
    Debt.objects.create(household=household, source="D04", principal=Decimal(1000), as_of=dt.date(2026, 1, 1))
    assert versions()["37"] == before + 1
    Debt.objects.filter(household=household).delete()
    assert versions()["37"] == before + 2
    # Reading changes nothing.
    households_in_period(village.code, *SPAN)
    list(Household.objects.all())
    assert versions() == {"37": before + 2}
    assert registry_version("3701") == registry_version(village.code) == str(before + 2)


def test_a_household_moved_to_another_province_bumps_both(village):
    household = factories.household(village, members=0)
    elsewhere = factories.village("100101", 1)
    start = versions()
    household = Household.objects.get(pk=household.pk)  # as a service reads it
    household.village = elsewhere
    household.province_code, household.district_code, household.tambon_code = "10", "1001", "100101"
    household.save()
    now = versions()
    assert now["37"] == start["37"] + 1 and now["10"] == start.get("10", 0) + 1
    assert registry_version("") == str(now["37"] + now["10"])


def test_an_import_bumps_once_and_a_refused_one_not_at_all(tmp_path, village):
    tambon = Area.objects.get(code="370101")
    start = versions().get("37", 0)
    rows = [HOUSEHOLD_HEADERS_TH, *(household_row(f"01-{i:03d}", 1, nid(i)) for i in range(1, 6))]
    refused = write_csv(tmp_path / "bad.csv", [*rows, household_row("01-900", 77, nid(99))])
    assert not households_import(actor=Actor.system("test"), tambon=tambon, path=refused).completed
    assert versions().get("37", 0) == start
    result = households_import(actor=Actor.system("test"), tambon=tambon, path=write_csv(tmp_path / "ok.csv", rows))
    assert result.completed and result.households_created == 5
    assert versions()["37"] == start + 1
    members = write_xlsx(
        tmp_path / "m.xlsx",
        {"ครัวเรือน": rows[:2], "สมาชิก": [MEMBER_HEADERS_TH, member_row("01-001", nid(50))]},
    )
    result = households_import(actor=Actor.system("test"), tambon=tambon, path=members)
    assert result.completed and result.members_created == 1
    assert versions()["37"] == start + 2


def test_an_indicator_edition_made_current_renews_the_counts_kept(staff, village, tmp_path, settings):
    """Its recomputation writes in bulk and leaves ``updated_at`` alone: the fingerprint
    the version replaced did not see it, and the kept counts said the old targets."""
    household = factories.household(village, welfare_card=True, members=1)
    household_indicators_record(actor=staff, household=household, answers={"H1": True})
    assert households_in_period(village.code, *SPAN).target == 1  # now kept
    (tmp_path / "local-2568.json").write_text(
        '{"code": "local-2568", "name_th": "ชุดของจังหวัด",'
        ' "indicators": [{"code": "X1", "dimension": "income", "name_th": "มีเงินออม"}]}',
        encoding="utf-8",
    )
    settings.INDICATOR_EDITIONS_DIR = str(tmp_path)
    indicator_editions_load()
    before = versions()["37"]
    indicator_edition_activate(actor=staff, code="local-2568")
    assert versions()["37"] == before + 1
    assert Household.objects.get(pk=household.pk).is_target is False
    assert households_in_period(village.code, *SPAN).target == 0


def test_a_write_rolled_back_leaves_the_version_as_it_was(village):
    factories.household(village, members=0)
    start = versions()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.household(village, members=0)
        registry_touch(["37", "10"])
        raise RuntimeError
    assert versions() == start


def test_a_move_marks_the_household_moved_and_nothing_else_does(staff, village):
    other = factories.village("370101", 2)
    household = factories.household(village, members=0)
    household_update(actor=staff, household=household, changes={"house_no": "5"})
    assert Household.objects.get(pk=household.pk).moved is False
    household_update(actor=staff, household=Household.objects.get(pk=household.pk), changes={"village": other})
    assert Household.objects.get(pk=household.pk).moved is True
    # Saved with named fields, the mark is saved too.
    again = factories.household(village, members=0)
    again = Household.objects.get(pk=again.pk)
    again.village = other
    again.save(update_fields=["village"])
    assert Household.objects.get(pk=again.pk).moved is True


def test_a_villages_counts_stay_in_this_process_and_a_provinces_are_shared(village, monkeypatch):
    """Computing a village's counts costs less than the shared table's round trip; a
    province's are computed once for every process."""
    from django.core.cache import cache

    from chumchon.registry import selectors

    computed: list[str] = []
    compute = selectors._households_in_periods_by_child

    def counted(area_code, *args, **kwargs):
        computed.append(area_code)
        return compute(area_code, *args, **kwargs)

    monkeypatch.setattr(selectors, "_households_in_periods_by_child", counted)
    factories.household(village, members=0)
    for _ in range(2):
        for code in (village.code, "37"):
            assert households_in_period(code, Month(2024, 1), Month(2024, 3)).registered == 1
        cache.clear()  # this process's tier only: as another process would ask
    assert computed == [village.code, "37", village.code]

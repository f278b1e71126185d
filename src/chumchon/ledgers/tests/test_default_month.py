"""The right month: every default (dashboards, maps, packs, statements) is the area's last
closed month, else its last complete one (at least half of its registered households
reported) — never a month one early line opened. Counts checked against the raw lines."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from chumchon.access.services import Actor
from chumchon.core.thai import Month
from chumchon.ledgers.models import LedgerEntry
from chumchon.ledgers.selectors import area_default_month, area_month_coverage
from chumchon.ledgers.services import LedgerError, LineInput, ledger_entries_add, month_close
from chumchon.ledgers.statements import statement_default_month
from chumchon.registry.models import Household, HouseholdStatus
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2024, 4, 2, 9, 0, tzinfo=dt.UTC)  # the 2nd of April, Bangkok morning
FEB, MAR, APR = Month(2024, 2), Month(2024, 3), Month(2024, 4)


def _line(household: Household, day: dt.date) -> None:
    ledger_entries_add(
        actor=Actor(user=None), household=household, lines=[LineInput(date=day, category="C02", amount=Decimal("10"))]
    )


@pytest.fixture
def tambon():
    """Two villages of 370101, ten households: February 8 of 10 reported, March 3,
    and on the 2nd of April one volunteer's line."""
    with time_machine.travel(TODAY, tick=False):
        one, two = factories.village("370101", 1), factories.village("370101", 2)
        households = [factories.household(one) for _ in range(6)] + [factories.household(two) for _ in range(4)]
        for h in households[:8]:
            _line(h, dt.date(2024, 2, 10))
        for h in households[:3]:
            _line(h, dt.date(2024, 3, 10))
        _line(households[0], dt.date(2024, 4, 2))
    return {"villages": (one, two), "households": households}


def _reporting_from_lines(tambon_code: str, month: Month) -> int:
    """The independent count: households with a line dated in the month, in the tambon."""
    lines = LedgerEntry.objects.filter(
        household__tambon_code=tambon_code, date__gte=month.first_day, date__lte=month.last_day
    )
    return lines.values("household_id").distinct().count()


@time_machine.travel(TODAY, tick=False)
def test_one_early_line_does_not_make_the_default_a_month_of_one_household(tambon):
    for code in ("370101", "3701", "37"):  # tambon, district, province: the same answer
        default = area_default_month(code)
        assert (default.month, default.reason) == (FEB, "complete"), code
    coverage = area_month_coverage("370101", [FEB, MAR, APR])
    assert [(c.reporting, c.registered, c.complete) for c in coverage.values()] == [
        (8, 10, True),
        (3, 10, False),
        (1, 10, False),
    ]
    assert [coverage[m].reporting for m in (FEB, MAR, APR)] == [
        _reporting_from_lines("370101", m) for m in (FEB, MAR, APR)
    ]
    assert coverage[MAR].percent == 30


@time_machine.travel(TODAY, tick=False)
def test_a_month_closed_in_every_village_is_the_default_even_under_half(tambon):
    one, two = tambon["villages"]
    month_close(actor=Actor(user=None), village=one, month=MAR.first_day)
    # One village of two closed: the tambon's March is not closed; the village's is.
    assert area_default_month("370101").month == FEB
    assert (area_default_month(one.code).month, area_default_month(one.code).reason) == (MAR, "closed")
    month_close(actor=Actor(user=None), village=two, month=MAR.first_day)
    assert (area_default_month("370101").month, area_default_month("370101").reason) == (MAR, "closed")
    assert area_month_coverage("370101", [MAR])[MAR].closed is True


@time_machine.travel(TODAY, tick=False)
def test_the_current_month_counts_only_once_it_is_closed(tambon):
    households = tambon["households"]
    for h in households[1:6]:  # six of ten have already reported in April
        _line(h, dt.date(2024, 4, 2))
    assert area_month_coverage("370101", [APR])[APR].complete
    assert area_default_month("370101").month == FEB  # April is still open
    for village in tambon["villages"]:  # a month is closed once it has ended, never before
        with pytest.raises(LedgerError):
            month_close(actor=Actor(user=None), village=village, month=APR.first_day)
    assert area_default_month("370101").month == FEB
    for village in tambon["villages"]:
        month_close(actor=Actor(user=None), village=village, month=MAR.first_day)
    assert area_default_month("370101").month == MAR  # closed, though under half reported


@time_machine.travel(TODAY, tick=False)
def test_without_a_complete_month_the_latest_month_with_accounts_before_this_one():
    village = factories.village("370101", 1)
    households = [factories.household(village) for _ in range(10)]
    _line(households[0], dt.date(2024, 1, 5))
    _line(households[1], dt.date(2024, 2, 5))
    _line(households[2], dt.date(2024, 4, 1))
    assert (area_default_month("370101").month, area_default_month("370101").reason) == (FEB, "latest")
    # No accounts at all: last month.
    assert area_default_month("370201") == area_default_month("370201").__class__(MAR, "latest")


@time_machine.travel(TODAY, tick=False)
def test_a_household_gone_since_counts_as_registered_in_the_months_it_reported(tambon):
    gone = tambon["households"][0]  # reported in February and March, then moved away
    Household.objects.filter(pk=gone.pk).update(status=HouseholdStatus.MOVED, left_on=dt.date(2024, 4, 1))
    coverage = area_month_coverage("370101", [FEB, MAR])
    assert (coverage[FEB].reporting, coverage[FEB].registered) == (8, 10)
    assert (coverage[MAR].reporting, coverage[MAR].registered) == (3, 10)
    assert all(c.reporting <= c.registered for c in coverage.values())


@time_machine.travel(TODAY, tick=False)
def test_a_household_statement_defaults_to_its_village_month(tambon):
    households = tambon["households"]
    # Village one: March is complete there (3 of its 6), April's single line is not.
    assert area_default_month(households[0].village_id).month == MAR
    assert statement_default_month(households[0]) == MAR
    assert statement_default_month(households[4]) == FEB  # its latest month up to March
    # Village two: February (2 of 4); a household that never reported gets the same month.
    assert statement_default_month(households[8]) == FEB

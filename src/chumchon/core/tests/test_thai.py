import datetime as dt
from decimal import Decimal

import pytest

from chumchon.core import thai
from chumchon.core.thai import Month


def test_format_date_is_buddhist_era_with_thai_month():
    assert thai.format_date(dt.date(2024, 3, 15)) == "15 มี.ค. 2567"
    assert thai.format_date(dt.date(2024, 3, 15), full=True) == "15 มีนาคม 2567"
    assert thai.format_date(dt.date(2024, 3, 15), lang="en") == "15 Mar 2567"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03", Month(2024, 3)),
        ("2567-03", Month(2024, 3)),
        ("๒๕๖๗-๑๒", Month(2024, 12)),
        (" 2023-1 ", Month(2023, 1)),
    ],
)
def test_month_parse_accepts_ce_be_and_thai_digits(text, expected):
    assert Month.parse(text) == expected


@pytest.mark.parametrize("text", ["2024-13", "2024/03", "24-03", "", "2567-00"])
def test_month_parse_rejects_bad_input(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_month_arithmetic():
    assert Month(2024, 12).next() == Month(2025, 1)
    assert Month(2024, 1).previous() == Month(2023, 12)
    assert Month(2024, 11).add(14) == Month(2026, 1)
    assert Month(2024, 2).last_day == dt.date(2024, 2, 29)
    assert [m.iso() for m in thai.months_between(Month(2023, 11), Month(2024, 2))] == [
        "2023-11", "2023-12", "2024-01", "2024-02",
    ]  # fmt: skip
    assert Month(2024, 3).label() == "มีนาคม 2567"


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (dt.date(2023, 9, 30), 2566),
        (dt.date(2023, 10, 1), 2567),
        (dt.date(2024, 9, 30), 2567),
        (dt.date(2024, 1, 1), 2567),
    ],
)
def test_fiscal_year_starts_in_october(day, fy):
    assert thai.fiscal_year(day) == fy


def test_fiscal_year_range_and_months():
    assert thai.fiscal_year_range(2567) == (dt.date(2023, 10, 1), dt.date(2024, 9, 30))
    months = thai.fiscal_year_months(2567)
    assert len(months) == 12
    assert months[0] == Month(2023, 10)
    assert months[-1] == Month(2024, 9)


def test_amounts_have_separators_and_two_decimals():
    assert thai.format_amount(Decimal("1234567.5")) == "1,234,567.50"
    assert thai.format_amount(0) == "0.00"
    assert thai.format_amount(None) == ""
    assert thai.format_count(12345) == "12,345"

"""Thai calendar, numbers and text helpers used across the apps.

Buddhist Era (พ.ศ.) = Common Era + 543. The Thai government fiscal year runs from
1 October to 30 September and is named after the year it ends in: fiscal 2567 is
1 Oct 2566 – 30 Sep 2567 (BE).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

BE_OFFSET = 543

MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_TH_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_EN_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_EN_FULL = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_be(year: int) -> int:
    return year + BE_OFFSET


def to_ce(year: int) -> int:
    """A year as the Common Era year; years above 2400 are taken as Buddhist Era."""
    return year - BE_OFFSET if year > 2400 else year


def arabic_digits(text: str) -> str:
    """Replace Thai digits (๐–๙) with 0–9."""
    return text.translate(THAI_DIGITS)


def format_date(value: dt.date | dt.datetime | None, *, lang: str = "th", full: bool = False) -> str:
    """``15 มี.ค. 2567`` (or ``15 Mar 2567`` in English; the year is always BE)."""
    if value is None:
        return ""
    if lang == "th":
        months = MONTHS_TH_FULL if full else MONTHS_TH_SHORT
    else:
        months = MONTHS_EN_FULL if full else MONTHS_EN_SHORT
    return f"{value.day} {months[value.month - 1]} {to_be(value.year)}"


def format_datetime(value: dt.datetime | None, *, lang: str = "th") -> str:
    if value is None:
        return ""
    return f"{format_date(value, lang=lang)} {value:%H:%M}"


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month (Common Era year internally)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if not 1900 <= self.year <= 2200:
            raise ValueError(f"year out of range: {self.year}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """``YYYY-MM``; a year above 2400 is Buddhist Era (``2567-03`` is March 2024)."""
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", arabic_digits(text))
        if not m:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(to_ce(int(m.group(1))), int(m.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def add(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def label(self, *, lang: str = "th", full: bool = True) -> str:
        """``มีนาคม 2567`` / ``March 2567``."""
        if lang == "th":
            names = MONTHS_TH_FULL if full else MONTHS_TH_SHORT
        else:
            names = MONTHS_EN_FULL if full else MONTHS_EN_SHORT
        return f"{names[self.month - 1]} {to_be(self.year)}"

    def __str__(self) -> str:
        return self.iso()


def months_between(start: Month, end: Month) -> list[Month]:
    """Every month from start to end inclusive (empty when end is before start)."""
    out: list[Month] = []
    current = start
    while current <= end:
        out.append(current)
        current = current.next()
    return out


def fiscal_year(day: dt.date) -> int:
    """The Thai government fiscal year (BE) a day falls in: October starts the next one."""
    return to_be(day.year + (1 if day.month >= 10 else 0))


def fiscal_year_range(fy_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year ``fy_be`` (BE): 1 Oct of the year before – 30 Sep."""
    year_ce = to_ce(fy_be)
    return dt.date(year_ce - 1, 10, 1), dt.date(year_ce, 9, 30)


def fiscal_year_months(fy_be: int) -> list[Month]:
    start, end = fiscal_year_range(fy_be)
    return months_between(Month.of(start), Month.of(end))


def format_amount(value: Decimal | float | int | None, *, places: int = 2) -> str:
    """``1,234,567.50``; an empty string for None."""
    if value is None:
        return ""
    return f"{Decimal(value):,.{places}f}"


def format_count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: Thai vowels and tone marks above or below
    a consonant (combining marks) take none."""
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` display columns (see display_width)."""
    return text + " " * max(0, width - display_width(text))

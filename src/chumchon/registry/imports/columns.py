"""The columns of the households and members sheets, and how their cells are read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import partial

from django.utils import timezone

from chumchon.core import spreadsheet as ss
from chumchon.core.thai import arabic_digits
from chumchon.registry.models import OccupationGroup

# --- cells -------------------------------------------------------------------------


def _parse_code(value: ss.Cell, *, max_length: int) -> str | None:
    """Text with Thai digits as 0–9, so ``บ๐๐๑`` and ``บ001`` are one code."""
    text = ss.parse_text(value, max_length=max_length)
    return arabic_digits(text) if text else None


# Most birth dates are long past: a day two days before the machine's date is past
# whatever the time zone, and checking against it (a cheap clock read) spares the
# time-zone conversion of ``localdate`` for nearly every row.
_TWO_DAYS = dt.timedelta(days=2)


def _parse_birth_date(value: ss.Cell) -> dt.date | None:
    day = ss.parse_date(value)
    if day is not None and day > dt.date.today() - _TWO_DAYS and day > timezone.localdate():  # noqa: DTZ011
        shown = ss.display(value)
        raise ss.CellError(ss.Text(f"วันเกิด '{shown}' อยู่ในอนาคต", f"the birth date '{shown}' is in the future"))
    return day


_MICRO = Decimal("0.000001")


def _parse_coordinate(value: ss.Cell, *, th: str, en: str, low: int, high: int) -> Decimal | None:
    """WGS84 degrees as written (``14.123456``), within Thailand's extent."""
    if ss.is_blank(value):
        return None
    shown = ss.clean_text(ss.display(value))
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(arabic_digits(shown))
        number = number.quantize(_MICRO)
    except InvalidOperation:
        raise ss.CellError(ss.Text(f"'{shown}' ไม่ใช่{th}", f"'{shown}' is not a {en}")) from None
    if not low <= number <= high:
        raise ss.CellError(
            ss.Text(
                f"{th} '{shown}' อยู่นอกประเทศไทย (ต้องอยู่ระหว่าง {low} ถึง {high}) — สลับละติจูดกับลองจิจูดหรือไม่",
                f"the {en} '{shown}' is outside Thailand (it must be between {low} and {high}); "
                "are latitude and longitude swapped?",
            )
        )
    return number


_OCCUPATION_ALIASES = {
    "O03": ["ทำสวน", "ทำไร่"],
    "O08": ["ค้าขาย", "ธุรกิจ"],
    "O09": ["รับราชการ", "พนักงานประจำ"],
    "O10": ["อื่นๆ", "อื่น ๆ", "ไม่ได้ทำงาน"],
}
OCCUPATIONS = ss.Choices(
    {group.value: [str(group.label), *_OCCUPATION_ALIASES.get(group.value, [])] for group in OccupationGroup}
)

_PERSON = [
    ss.Column(
        "national_id",
        "เลขประจำตัวประชาชน",
        "national_id",
        ss.parse_national_id,
        required=True,
        aliases=("เลขบัตรประชาชน", "เลขบัตรประจำตัวประชาชน", "citizen_id"),
    ),
    ss.Column("title", "คำนำหน้า", "title", partial(ss.parse_text, max_length=30), aliases=("คำนำหน้าชื่อ", "prefix")),
    ss.Column("first_name", "ชื่อ", "first_name", partial(ss.parse_text, max_length=100), required=True),
    ss.Column(
        "last_name", "นามสกุล", "last_name", partial(ss.parse_text, max_length=100), required=True, aliases=("surname",)
    ),
    ss.Column("birth_date", "วันเกิด", "birth_date", _parse_birth_date, aliases=("วันเดือนปีเกิด", "date_of_birth")),
    ss.Column("sex", "เพศ", "sex", ss.parse_sex, aliases=("gender",)),
]

HOUSEHOLDS = ss.SheetSpec(
    [
        ss.Column(
            "code",
            "รหัสครัวเรือน",
            "household",
            partial(_parse_code, max_length=32),
            required=True,
            aliases=("household_code",),
        ),
        ss.Column("village_no", "หมู่ที่", "village_no", ss.parse_village_no, required=True, aliases=("หมู่",)),
        ss.Column("house_no", "บ้านเลขที่", "house_no", partial(_parse_code, max_length=20)),
        *_PERSON,
        ss.Column("occupation_group", "กลุ่มอาชีพ", "occupation_group", OCCUPATIONS),
        ss.Column("welfare_card", "บัตรสวัสดิการแห่งรัฐ", "welfare_card", ss.parse_bool, aliases=("บัตรสวัสดิการ",)),
        ss.Column(
            "members_count",
            "จำนวนสมาชิก",
            "members",
            partial(ss.parse_int, min_value=1, max_value=99),
            aliases=("members_count",),
        ),
        ss.Column(
            "lat",
            "ละติจูด",
            "lat",
            partial(_parse_coordinate, th="ละติจูด", en="latitude", low=5, high=21),
            aliases=("latitude",),
        ),
        ss.Column(
            "lon",
            "ลองจิจูด",
            "lon",
            partial(_parse_coordinate, th="ลองจิจูด", en="longitude", low=97, high=106),
            aliases=("longitude",),
        ),
    ]
)

MEMBERS = ss.SheetSpec(
    [
        ss.Column("household", "รหัสครัวเรือน", "household", partial(_parse_code, max_length=32), required=True),
        *_PERSON,
        ss.Column("relation", "ความสัมพันธ์", "relation", partial(ss.parse_text, max_length=50)),
    ]
)

HOUSEHOLD_SHEETS = ("ครัวเรือน", "households")
MEMBER_SHEETS = ("สมาชิก", "members")

"""The spreadsheet toolkit: cell parsers, file reading, header matching, reports, keys.

Pure unit tests: no database. Fixture files are written into ``tmp_path`` — .xlsx with
XlsxWriter, .csv as bytes in each encoding, and .xls by hand (a minimal BIFF8 workbook
in an OLE compound file, see ``_xls_bytes``), since no installed library writes .xls.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import time
import tracemalloc
from collections import deque
from decimal import Decimal
from functools import partial
from itertools import islice
from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from chumchon.core import spreadsheet as ss
from chumchon.core.national_id import with_check_digit

VALID_ID = "1101700203450"


# --- helpers -----------------------------------------------------------------------


def excel_datetime(*args: int) -> dt.datetime:
    """A datetime as python-calamine returns it: naive, since Excel has no time zones."""
    return dt.datetime(*args)  # noqa: DTZ001


def error_of(parser, value, **kwargs) -> ss.CellError:
    with pytest.raises(ss.CellError) as info:
        parser(value, **kwargs)
    return info.value


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], *, hidden: tuple[str, ...] = ()) -> Path:
    """Rows of Python values; dates become real date cells, None leaves the cell empty."""
    book = xlsxwriter.Workbook(path)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
        if name in hidden:
            sheet.hide()
    if hidden:  # Excel cannot show a hidden sheet first: open on the first visible one
        book.get_worksheet_by_name(next(name for name in sheets if name not in hidden)).activate()
    book.close()
    return path


def _record(rtype: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(data)) + data


def _xls_bytes(rows: list[list[object]], sheet_name: str = "Sheet1") -> bytes:
    """A minimal .xls: BIFF8 records (BOF, XF, BOUNDSHEET, SST, LABELSST, NUMBER, EOF)
    in the "Workbook" stream of an OLE2 compound file. Text cells are UTF-16; ``dt.date`` cells are
    numbers with XF 17, whose number format 14 is Excel's built-in short date."""
    strings = list(dict.fromkeys(v for row in rows for v in row if isinstance(v, str)))

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    def xf(number_format: int, flags: int) -> bytes:
        return _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, number_format, flags, 0x20, 0, 0, 0, 0, 0, 0x20C0))

    head = bof(0x0005) + _record(0x0042, struct.pack("<H", 1200)) + xf(0, 0xFFF5) * 16 + xf(0, 1) + xf(14, 1)
    sst = struct.pack("<II", len(strings), len(strings))
    sst += b"".join(struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings)
    tail = _record(0x00FC, sst) + _record(0x000A)
    name = struct.pack("<BB", len(sheet_name), 1) + sheet_name.encode("utf-16-le")
    sheet_offset = len(head) + 4 + 6 + len(name) + len(tail)
    globals_ = head + _record(0x0085, struct.pack("<IBB", sheet_offset, 0, 0) + name) + tail
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells += _record(0x00FD, struct.pack("<HHHI", r, c, 16, strings.index(value)))
            elif isinstance(value, dt.date):
                serial = (value - dt.date(1899, 12, 30)).days
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 17, float(serial)))
            elif isinstance(value, int | float):
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 16, float(value)))
    width = max(len(row) for row in rows)
    sheet = bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)) + cells + _record(0x000A)
    return _ole_file("Workbook", globals_ + sheet)


def _ole_file(stream_name: str, data: bytes) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding one stream."""
    stream = data.ljust(4096, b"\x00")  # >= 4096 bytes: a regular stream, no mini-stream

    sectors = -(-len(stream) // 512)
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fat_sector, end, *range(3, 2 + sectors), end]
    fat += [free] * (128 - len(fat))

    def entry(entry_name: str, kind: int, start: int, size: int, child: int = no_stream) -> bytes:
        encoded = (entry_name + "\x00").encode("utf-16-le") if entry_name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, no_stream, child)
            + b"\x00" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, end, 0, child=1) + entry(stream_name, 2, 2, len(stream))
    directory += entry("", 0, free, 0) * 2
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header += b"\x00" * 6 + struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *[free] * 108)
    return header + struct.pack("<128I", *fat) + directory + stream.ljust(sectors * 512, b"\x00")


OCCUPATIONS = {"O01": "ทำนา", "O02": "ทำนาและอาชีพอื่น", "O03": "ทำสวน/ทำไร่", "O10": ["อื่นๆ/ไม่ได้ทำงาน", "other"]}

HOUSEHOLDS = ss.SheetSpec(
    [
        ss.Column("household", "รหัสครัวเรือน", "household", required=True),
        ss.Column("village_no", "หมู่ที่", "village_no", ss.parse_village_no, required=True),
        ss.Column("house_no", "บ้านเลขที่", "house_no"),
        ss.Column("national_id", "เลขประจำตัวประชาชน", "national_id", ss.parse_national_id, required=True),
        ss.Column("first_name", "ชื่อ", "first_name", required=True),
        ss.Column("last_name", "นามสกุล", "last_name", required=True),
        ss.Column("birth_date", "วันเกิด", "birth_date", ss.parse_date),
        ss.Column("sex", "เพศ", "sex", ss.parse_sex),
        ss.Column("occupation_group", "กลุ่มอาชีพ", "occupation_group", ss.Choices(OCCUPATIONS)),
        ss.Column("welfare_card", "บัตรสวัสดิการแห่งรัฐ", "welfare_card", ss.parse_bool),
        ss.Column("members", "จำนวนสมาชิก", "members", partial(ss.parse_int, min_value=1)),
    ]
)

money = partial(ss.parse_money, allow_zero=False)
LEDGER = ss.SheetSpec(
    [
        ss.Column("household", "รหัสครัวเรือน", "household", required=True),
        ss.Column("date", "วันที่", "date", ss.parse_date, required=True),
        ss.Column("category", "หมวด", "category"),
        ss.Column("item", "รายการ", "item"),
        ss.Column("amount", "จำนวนเงิน", "amount", money),
        ss.Column("income", "รายรับ", "income", money),
        ss.Column("expense", "รายจ่าย", "expense", money),
    ],
    groups=[ss.OneOf(("amount", "income", "expense"))],
)


def read_all(path: Path, spec: ss.SheetSpec, **kwargs) -> tuple[ss.SheetReader, list[ss.RowResult]]:
    reader = ss.read_sheet(path, spec, **kwargs)
    return reader, list(reader)


# --- text, numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  สมชาย   ใจดี ", "สมชาย ใจดี"),
        ("บ้าน\u200bหนองบัว", "บ้านหนองบัว"),
        ("a\xa0\tb\nc", "a b c"),
        (None, None),
        ("", None),
        ("   ", None),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
    ],
)
def test_parse_text(value, expected):
    assert ss.parse_text(value) == expected


def test_parse_text_refuses_a_date_excel_made_from_a_house_number():
    err = error_of(ss.parse_text, excel_datetime(2024, 3, 12))
    assert err.message_th == "Excel เปลี่ยนค่านี้เป็นวันที่ (12/03/2567 00:00) — จัดรูปแบบคอลัมน์เป็นข้อความแล้วพิมพ์ใหม่"
    assert str(err) == err.message_th
    assert (
        err.message("en")
        == "Excel turned this into a date (12/03/2567 00:00); format the column as text and type it again"
    )


def test_parse_text_max_length():
    assert ss.parse_text("abc", max_length=3) == "abc"
    assert error_of(ss.parse_text, "abcd", max_length=3).message_th == "ยาวเกิน 3 ตัวอักษร"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("๑๒", 12), (" 1,250 ", 1250), ("12.0", 12), ("-3", -3), (12.0, 12), (5, 5), ("", None), (None, None)],
)
def test_parse_int(value, expected):
    assert ss.parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12.5", "'12.5' ไม่ใช่จำนวนเต็ม"),
        (12.5, "'12.5' ไม่ใช่จำนวนเต็ม"),
        ("1,25", "'1,25' ไม่ใช่จำนวนเต็ม"),
        ("สิบ", "'สิบ' ไม่ใช่จำนวนเต็ม"),
        (True, "'TRUE' ไม่ใช่จำนวนเต็ม"),
    ],
)
def test_parse_int_refuses(value, message):
    assert error_of(ss.parse_int, value).message_th == message


def test_parse_int_range():
    assert error_of(ss.parse_int, "0", min_value=1).message_th == "'0' ต้องไม่น้อยกว่า 1"
    assert error_of(ss.parse_int, 100.0, max_value=99).message("en") == "'100' must be at most 99"


# --- money ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,250.50", "1250.50"),
        ("1250.5", "1250.50"),
        ("๑,๒๕๐.๕๐", "1250.50"),
        (" 1 250.50 ", "1250.50"),
        ("1,250 บาท", "1250.00"),
        ("1250บาท", "1250.00"),
        ("฿1,250", "1250.00"),
        ("฿ 99.9", "99.90"),
        ("1,250.-", "1250.00"),
        ("THB 12", "12.00"),
        (".5", "0.50"),
        (1250.5, "1250.50"),
        (0.1 + 0.2, "0.30"),
        (1.1 * 3, "3.30"),
        (2.675, "2.68"),
        (1250.005, "1250.01"),
        (1234567.891, "1234567.89"),
        (300, "300.00"),
        (0.0, "0.00"),
    ],
)
def test_parse_money_is_an_exact_two_place_decimal(value, expected):
    result = ss.parse_money(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


@pytest.mark.parametrize("value", [None, "", "  ", "-", "–"])
def test_parse_money_blank_and_dash_are_nothing(value):
    assert ss.parse_money(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "'abc' ไม่ใช่จำนวนเงิน"),
        ("1,25", "'1,25' ไม่ใช่จำนวนเงิน"),
        ("12,50.00", "'12,50.00' ไม่ใช่จำนวนเงิน"),
        ("1.250", "'1.250' มีทศนิยมเกิน 2 ตำแหน่ง"),
        ("1.005", "'1.005' มีทศนิยมเกิน 2 ตำแหน่ง"),
        ("บาท", "'บาท' ไม่ใช่จำนวนเงิน"),
        (True, "'TRUE' ไม่ใช่จำนวนเงิน"),
        (float("nan"), "'nan' ไม่ใช่จำนวนเงิน"),
        (dt.date(2024, 1, 1), "'01/01/2567' ไม่ใช่จำนวนเงิน"),
        ("-500", "จำนวนเงินต้องไม่ติดลบ (-500)"),
        ("(500.00)", "จำนวนเงินต้องไม่ติดลบ ((500.00))"),
        (-0.5, "จำนวนเงินต้องไม่ติดลบ (-0.5)"),
        ("1,000,000,000,000", "จำนวนเงินมากเกินไป (1,000,000,000,000)"),
        (1e300, "จำนวนเงินมากเกินไป (1e+300)"),
    ],
)
def test_parse_money_refuses(value, message):
    assert error_of(ss.parse_money, value).message_th == message


def test_parse_money_negatives_and_zero_on_request():
    assert ss.parse_money("-500", allow_negative=True) == Decimal("-500.00")
    assert ss.parse_money("-฿1,250.50", allow_negative=True) == Decimal("-1250.50")
    assert ss.parse_money("(1,250.50)", allow_negative=True) == Decimal("-1250.50")
    assert str(ss.parse_money(-0.0)) == "0.00"
    err = error_of(ss.parse_money, "0.00", allow_zero=False)
    assert (err.message_th, err.message("en")) == ("จำนวนเงินต้องมากกว่า 0", "the amount must be more than 0")
    assert error_of(ss.parse_money, "-1").message("en") == "the amount must not be negative (-1)"


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/2567", dt.date(2024, 3, 15)),
        ("1/3/2567", dt.date(2024, 3, 1)),
        ("15-03-2567", dt.date(2024, 3, 15)),
        ("15.03.2567", dt.date(2024, 3, 15)),
        ("๑๕/๐๓/๒๕๖๗", dt.date(2024, 3, 15)),
        (" 15/03/2567 ", dt.date(2024, 3, 15)),
        ("15/03/2024", dt.date(2024, 3, 15)),
        ("2024-03-15", dt.date(2024, 3, 15)),
        ("2024-3-5", dt.date(2024, 3, 5)),
        ("2567-03-15", dt.date(2024, 3, 15)),
        ("2024-03-15 00:00:00", dt.date(2024, 3, 15)),
        ("15 มี.ค. 2567", dt.date(2024, 3, 15)),
        ("15 มีนาคม 2567", dt.date(2024, 3, 15)),
        ("15 มีนาคม พ.ศ. 2567", dt.date(2024, 3, 15)),
        ("15 Mar 2024", dt.date(2024, 3, 15)),
        ("29/02/2567", dt.date(2024, 2, 29)),
        (dt.date(2024, 3, 15), dt.date(2024, 3, 15)),
        (excel_datetime(2024, 3, 15, 10, 30), dt.date(2024, 3, 15)),
        # Excel in a Common Era locale keeps a typed 15/03/2567 as the year 2567.
        (dt.date(2567, 3, 15), dt.date(2024, 3, 15)),
        (excel_datetime(2567, 3, 15), dt.date(2024, 3, 15)),
        (None, None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert ss.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2567", "วันที่ '31/02/2567' ไม่มีอยู่จริง"),
        ("29/02/2566", "วันที่ '29/02/2566' ไม่มีอยู่จริง"),
        ("03/15/2567", "วันที่ '03/15/2567' ไม่มีอยู่จริง"),
        ("2024-02-30", "วันที่ '2024-02-30' ไม่มีอยู่จริง"),
        ("15/03/67", "'15/03/67': ปีต้องมี 4 หลัก เช่น 2567"),
        ("15 มี.ค. 67", "'15 มี.ค. 67': ปีต้องมี 4 หลัก เช่น 2567"),
        ("15/03/25670", "'15/03/25670' ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 15/03/2567)"),
        ("15/03-2567", "'15/03-2567' ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 15/03/2567)"),
        ("เมื่อวาน", "'เมื่อวาน' ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 15/03/2567)"),
        ("15 ฟฟฟ 2567", "'15 ฟฟฟ 2567' ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 15/03/2567)"),
        ("15/03/2300", "'15/03/2300': ปีอยู่นอกช่วงที่รับได้"),
        ("15/03/1800", "'15/03/1800': ปีอยู่นอกช่วงที่รับได้"),
        (45366.0, "ค่าเป็นตัวเลข (45366) ไม่ใช่วันที่ — จัดรูปแบบเซลล์เป็นวันที่ หรือพิมพ์เป็น วว/ดด/ปปปป"),
        (dt.time(10, 30), "ค่าเป็นเวลา (10:30) ไม่ใช่วันที่"),
        (True, "'TRUE' ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 15/03/2567)"),
        (dt.timedelta(days=1), "'1 day, 0:00:00' ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 15/03/2567)"),
    ],
)
def test_parse_date_refuses(value, message):
    assert error_of(ss.parse_date, value).message_th == message


def test_parse_date_english_message():
    assert error_of(ss.parse_date, "31/02/2567").message("en") == "'31/02/2567' is not a real date"


# --- yes/no, sex, choices, identifiers ----------------------------------------------------


@pytest.mark.parametrize("value", ["มี", "ใช่", "yes", "YES", "y", "true", "True", "1", "๑", "✓", "✔", True, 1.0, 1])
def test_parse_bool_true(value):
    assert ss.parse_bool(value) is True


@pytest.mark.parametrize("value", ["ไม่มี", "ไม่ใช่", "ไม่ มี", "no", "N", "false", "0", "✗", False, 0.0])
def test_parse_bool_false(value):
    assert ss.parse_bool(value) is False


def test_parse_bool_blank_and_bad():
    assert ss.parse_bool(None) is None
    assert ss.parse_bool("-") is None
    assert error_of(ss.parse_bool, "บางที").message_th == "'บางที' ต้องเป็น มี/ไม่มี, ใช่/ไม่ใช่, yes/no หรือ 1/0"
    assert error_of(ss.parse_bool, 2.0).message_th == "'2' ต้องเป็น มี/ไม่มี, ใช่/ไม่ใช่, yes/no หรือ 1/0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ชาย", "M"), ("หญิง", "F"), (" หญิง ", "F"), ("M", "M"), ("f", "F"), ("Male", "M"), ("FEMALE", "F"), ("", None)],
)
def test_parse_sex(value, expected):
    assert ss.parse_sex(value) == expected


def test_parse_sex_refuses():
    assert error_of(ss.parse_sex, "x").message_th == "'x' ต้องเป็น ชาย/หญิง หรือ M/F"
    assert error_of(ss.parse_sex, 1.0).message("en") == "'1' must be M/F (or ชาย/หญิง)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("O01", "O01"),
        (" o01 ", "O01"),
        ("ทำนา", "O01"),
        ("ทำ นา", "O01"),
        ("ทำสวน / ทำไร่", "O03"),
        ("Other", "O10"),
        ("อื่นๆ/ไม่ได้ทำงาน", "O10"),
        (None, None),
    ],
)
def test_choices_by_code_or_name(value, expected):
    assert ss.Choices(OCCUPATIONS)(value) == expected
    assert ss.parse_choice(value, OCCUPATIONS) == expected


def test_choices_refuses_unknown_and_ambiguous_names():
    err = error_of(ss.Choices(OCCUPATIONS), "ทำประมง")
    assert err.message_th == "ไม่พบ 'ทำประมง' ในรายการ (ใช้รหัส เช่น O01 หรือชื่อ เช่น ทำนา)"
    with pytest.raises(ValueError, match="names both"):
        ss.Choices({"O01": "ทำนา", "O02": "ทำ นา"})


@pytest.mark.parametrize(
    "value", [VALID_ID, "1-1017-00203-45-0", "๑๑๐๑๗๐๐๒๐๓๔๕๐", " 1 1017 00203 45 0 ", float(VALID_ID), int(VALID_ID)]
)
def test_parse_national_id(value):
    assert ss.parse_national_id(value) == VALID_ID


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1101700203451", "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)"),
        ("110170020345", "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
        ("abc", "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
        (1.5, "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
        (
            "1.10170E+12",
            "Excel แสดงเลขประจำตัวประชาชนเป็นเลขยกกำลัง (1.10170E+12) ทำให้ตัวเลขหาย — จัดรูปแบบคอลัมน์เป็นข้อความแล้วพิมพ์ใหม่",
        ),
    ],
)
def test_parse_national_id_refuses(value, message):
    assert error_of(ss.parse_national_id, value).message_th == message


def test_parse_national_id_english():
    err = error_of(ss.parse_national_id, "1101700203451")
    assert err.message("en") == "the national ID number is not valid (the check digit does not match)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3), ("๓", 3), (3.0, 3), ("หมู่ 3", 3), ("หมู่ที่ 12", 12), ("ม.3", 3), ("Moo 4", 4), ("99", 99), (None, None)],
)
def test_parse_village_no(value, expected):
    assert ss.parse_village_no(value) == expected


@pytest.mark.parametrize(("value", "shown"), [("0", "0"), ("100", "100"), (3.5, "3.5"), ("หมู่", "หมู่"), ("สาม", "สาม")])
def test_parse_village_no_refuses(value, shown):
    assert error_of(ss.parse_village_no, value).message_th == f"'{shown}' ไม่ใช่หมู่ที่ (1–99)"


def test_cell_error_accepts_plain_thai_or_text():
    assert ss.CellError("ผิด").message("en") == "ผิด"  # no English given: Thai stands in
    both = ss.CellError(ss.Text("ผิด", "wrong"))
    assert (both.message_th, both.message("en"), str(both)) == ("ผิด", "wrong", "ผิด")


# --- headers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("จำนวนเงิน (บาท)", "จำนวนเงิน"),
        ("ชื่อ *", "ชื่อ"),
        ("ชื่อ*", "ชื่อ"),
        ("  หมู่ที่ ", "หมู่ที่"),
        ("ชื่อ หมู่บ้าน", "ชื่อหมู่บ้าน"),
        ("Village No", "villageno"),
        ("VILLAGE_NO", "villageno"),
        ("village-no:", "villageno"),
        ("Amount [THB] *", "amount"),
    ],
)
def test_normalize_header(header, expected):
    assert ss.normalize_header(header) == expected


def test_spec_refuses_clashing_headers_and_unknown_group_fields():
    with pytest.raises(ValueError, match="would match both"):
        ss.SheetSpec([ss.Column("a", "ชื่อ", "name"), ss.Column("b", "ชื่อ (เต็ม)", "full")])
    with pytest.raises(ValueError, match="unknown fields"):
        ss.SheetSpec([ss.Column("a", "ก", "a")], groups=[ss.OneOf(("a", "b"))])


# --- CSV --------------------------------------------------------------------------------

# Thai headers in an order unlike the template, an extra column, and English "sex".
CSV_TEXT = (
    "นามสกุล,ชื่อ *,หมายเหตุ,เลขประจำตัวประชาชน,หมู่ที่,รหัสครัวเรือน,วันเกิด,sex,กลุ่มอาชีพ,บัตรสวัสดิการแห่งรัฐ\r\n"
    f"ใจดี,สมชาย,ญาติมาอยู่ด้วย,{VALID_ID},หมู่ ๓,H-001,15/03/2510,ชาย,ทำนา,มี\r\n"
    "\r\n"
    f"มีสุข,สมหญิง,,{with_check_digit('310170020345')},4,H-002,1990-01-31,F,O03,ไม่มี\r\n"
    "ไม่ดี,,,1234,100,H-003,31/02/2567,x,ประมง,บางที\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_csv_in_each_encoding_with_shuffled_thai_headers(tmp_path, encoding):
    path = tmp_path / "households.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    assert ss.detect_encoding(path) == encoding
    reader, rows = read_all(path, HOUSEHOLDS)
    assert [w.th for w in reader.warnings] == ["ไม่รู้จักคอลัมน์ 'หมายเหตุ' — ข้ามไป"]
    assert [w.get("en") for w in reader.warnings] == ["unknown column 'หมายเหตุ' ignored"]
    assert reader.columns["first_name"] == "ชื่อ *"
    assert [r.row for r in rows] == [2, 4, 5]  # the blank line is row 3
    assert rows[0].ok and rows[0].values == {
        "household": "H-001",
        "village_no": 3,
        "house_no": None,
        "national_id": VALID_ID,
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "birth_date": dt.date(1967, 3, 15),
        "sex": "M",
        "occupation_group": "O01",
        "welfare_card": True,
        "members": None,
    }
    assert rows[1].ok and rows[1].values["occupation_group"] == "O03"
    assert rows[1].values["birth_date"] == dt.date(1990, 1, 31)
    assert rows[1].values["welfare_card"] is False
    assert [(e.row, e.column, e.message.th) for e in rows[2].errors] == [
        (5, "หมู่ที่", "'100' ไม่ใช่หมู่ที่ (1–99)"),
        (5, "เลขประจำตัวประชาชน", "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
        (5, "ชื่อ *", "ต้องกรอกช่องนี้"),
        (5, "วันเกิด", "วันที่ '31/02/2567' ไม่มีอยู่จริง"),
        (5, "sex", "'x' ต้องเป็น ชาย/หญิง หรือ M/F"),
        (5, "กลุ่มอาชีพ", "ไม่พบ 'ประมง' ในรายการ (ใช้รหัส เช่น O01 หรือชื่อ เช่น ทำนา)"),
        (5, "บัตรสวัสดิการแห่งรัฐ", "'บางที' ต้องเป็น มี/ไม่มี, ใช่/ไม่ใช่, yes/no หรือ 1/0"),
    ]


def test_csv_ascii_header_with_tis620_far_down_is_cp874(tmp_path):
    path = tmp_path / "ledger.csv"
    filler = b"H-001,2024-03-01,C01,rice,100\r\n" * 10_000  # 300 KB (several reads) of plain ASCII first
    path.write_bytes(
        b"household,date,category,item,amount\r\n" + filler + "H-002,15/03/2567,C02,ไข่ไก่,90\r\n".encode("cp874")
    )
    assert ss.detect_encoding(path) == "cp874"
    *_, last = ss.read_sheet(path, LEDGER)
    assert (last.row, last.values["item"], last.values["amount"]) == (10_002, "ไข่ไก่", Decimal("90.00"))


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_semicolon_and_tab_are_sniffed(tmp_path, delimiter):
    path = tmp_path / "ledger.csv"
    lines = [["รหัสครัวเรือน", "วันที่", "จำนวนเงิน (บาท)"], ["H-001", "15/03/2567", "1,250.50"]]
    path.write_text("\r\n".join(delimiter.join(line) for line in lines), encoding="utf-8")
    (row,) = list(ss.read_sheet(path, LEDGER))
    assert row.values["amount"] == Decimal("1250.50")


def test_csv_comma_wins_when_the_header_has_one(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text('รหัสครัวเรือน,วันที่,รายการ,จำนวนเงิน\nH-001,15/03/2567,"ข้าว; ไข่",50\n', encoding="utf-8")
    (row,) = list(ss.read_sheet(path, LEDGER))
    assert row.values["item"] == "ข้าว; ไข่"


def test_csv_utf16_unicode_text_and_excel_text_trick(tmp_path):
    path = tmp_path / "households.csv"
    text = f'รหัสครัวเรือน\tหมู่ที่\tเลขประจำตัวประชาชน\tชื่อ\tนามสกุล\r\n="007"\t1\t="{VALID_ID}"\tสมชาย\tใจดี\r\n'
    path.write_bytes(text.encode("utf-16"))
    (row,) = list(ss.read_sheet(path, HOUSEHOLDS))
    assert (row.values["household"], row.values["national_id"]) == ("007", VALID_ID)


def test_csv_with_bytes_that_are_not_thai_text(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("รหัสครัวเรือน,วันที่,จำนวนเงิน\n".encode("cp874") + b"H-1,15/03/2567,\xff\xfe\n")
    reader = ss.read_sheet(path, LEDGER)
    with pytest.raises(ss.UnreadableFile) as info:
        list(reader)
    assert info.value.message() == "อ่านไฟล์ 'bad.csv' ไม่ได้ที่แถว 2: ไม่ใช่ข้อความ UTF-8 หรือ TIS-620"


def test_csv_quoted_multiline_cell_counts_as_one_row(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(
        'household,date,item,amount\nH-1,15/03/2567,"two\nlines",5\nH-1,15/03/2567,x,bad\n', encoding="utf-8"
    )
    rows = list(ss.read_sheet(path, LEDGER))
    assert rows[0].values["item"] == "two lines"
    assert [(e.row, e.column) for e in rows[1].errors] == [(3, "amount")]


# --- streaming ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "ledger.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("รหัสครัวเรือน,วันที่,หมวด,รายการ,จำนวนเงิน\n")
        line = "H-{:06d},15/03/2567,C02,ซื้อไข่ไก่ 1 แผง,{}.50\n"
        fh.writelines(line.format(i, i % 997) for i in range(200_000))
    return path


def test_streaming_first_row_of_a_200000_row_csv_is_quick(big_csv):
    start = time.perf_counter()
    reader = ss.read_sheet(big_csv, LEDGER)
    first = next(reader)
    elapsed = time.perf_counter() - start
    assert (first.row, first.values["household"], first.values["amount"]) == (2, "H-000000", Decimal("0.50"))
    assert elapsed < 1.0, elapsed  # the encoding check reads the bytes once; nothing is parsed ahead


def test_streaming_memory_stays_small(big_csv):
    size = big_csv.stat().st_size
    assert size > 10_000_000
    tracemalloc.start()
    try:
        reader = ss.read_sheet(big_csv, LEDGER)  # includes the encoding check over every byte
        deque(islice(reader, 1_999), maxlen=0)
        last = next(reader)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert last.row == 2_001
    # The file as Python objects would take several times its size on disk; the reader
    # holds one 64 KiB chunk for the encoding check, then 64 KiB of bytes and one row.
    assert peak < 1_000_000, peak
    with ss.open_workbook(big_csv) as book:
        assert sum(1 for _ in book.sheet().rows()) == 200_001


# --- xlsx -----------------------------------------------------------------------------


def ledger_xlsx(path: Path) -> Path:
    return write_xlsx(
        path,
        {
            "บัญชี": [
                ["วันที่", "รายการ", "รายจ่าย", "หมายเหตุ", "รหัสครัวเรือน", "รายรับ"],
                [dt.date(2024, 3, 15), "ซื้อไข่ไก่", 120.5, None, "H-001", None],
                [dt.date(2024, 3, 16), "ขายข้าว", None, None, "H-001", "๑,๒๕๐.๕๐"],
                [None, None, None, None, None, None],
                ["16/03/2567", "ค่าไฟ", 0.3, "x", "H-002", 5.0],
                ["31/02/2567", "ค่าน้ำ", None, None, "H-002", None],
                ["17/03/2567", "ขายไข่", None, None, None, "ห้าสิบ"],
            ]
        },
    )


def test_xlsx_dates_floats_thai_digits_and_row_numbers_past_a_blank_row(tmp_path):
    reader, rows = read_all(ledger_xlsx(tmp_path / "ledger.xlsx"), LEDGER)
    assert reader.header_row == 1
    assert reader.columns == {
        "date": "วันที่",
        "item": "รายการ",
        "expense": "รายจ่าย",
        "household": "รหัสครัวเรือน",
        "income": "รายรับ",
    }
    assert [r.row for r in rows] == [2, 3, 5, 6, 7]
    assert rows[0].ok and rows[0].values == {
        "household": "H-001",
        "date": dt.date(2024, 3, 15),
        "category": None,
        "item": "ซื้อไข่ไก่",
        "amount": None,
        "income": None,
        "expense": Decimal("120.50"),
    }
    assert rows[1].values["income"] == Decimal("1250.50")
    assert [(e.row, e.column, e.message.th) for e in rows[2].errors] == [
        (5, "รายจ่าย / รายรับ", "กรอกได้เพียงช่องเดียวใน 'รายจ่าย', 'รายรับ'")
    ]
    assert rows[2].values["expense"] == Decimal("0.30")
    assert [(e.row, e.column, e.message.th) for e in rows[3].errors] == [
        (6, "วันที่", "วันที่ '31/02/2567' ไม่มีอยู่จริง"),
        (6, "รายจ่าย / รายรับ", "ต้องกรอก 'รายจ่าย', 'รายรับ' อย่างใดอย่างหนึ่ง"),
    ]
    # a bad money cell is reported once, not again as "fill in one of"
    assert [(e.row, e.column, e.message.th) for e in rows[4].errors] == [
        (7, "รหัสครัวเรือน", "ต้องกรอกช่องนี้"),
        (7, "รายรับ", "'ห้าสิบ' ไม่ใช่จำนวนเงิน"),
    ]


def test_xlsx_header_below_blank_rows_keeps_excel_row_numbers(tmp_path):
    path = write_xlsx(
        tmp_path / "v.xlsx",
        {"Sheet1": [[], [], [None, "หมู่ที่", "ชื่อหมู่บ้าน"], [None, 1.0, "บ้านหนองบัว"], [], [None, "ห้า", "บ้านโคก"]]},
    )
    spec = ss.SheetSpec(
        [
            ss.Column("village_no", "หมู่ที่", "village_no", ss.parse_village_no, required=True),
            ss.Column("name", "ชื่อหมู่บ้าน", "name", required=True),
        ]
    )
    reader, rows = read_all(path, spec)
    assert reader.header_row == 3
    assert [(r.row, r.values["village_no"]) for r in rows] == [(4, 1), (6, None)]
    assert [(e.row, e.column) for e in rows[1].errors] == [(6, "หมู่ที่")]


def test_xlsx_sheet_aliases_and_default_first_visible_sheet(tmp_path):
    path = write_xlsx(
        tmp_path / "h.xlsx",
        {"ค่าคงที่": [["x"]], "ครัวเรือน": [["a"]], "Members": [["b"]]},
        hidden=("ค่าคงที่",),
    )
    with ss.open_workbook(path) as book:
        assert book.sheet_names == ["ค่าคงที่", "ครัวเรือน", "Members"]
        assert book.sheet().name == "ครัวเรือน"
        assert book.sheet(("สมาชิก", "members")).name == "Members"
        assert book.find_sheet("ไม่มี") is None
        with pytest.raises(ss.SheetNotFound) as info:
            book.sheet(["สมาชิก", "members2"])
    assert info.value.message() == "ไม่พบชีต 'สมาชิก', 'members2' (ชีตในไฟล์: 'ค่าคงที่', 'ครัวเรือน', 'Members')"


def test_csv_has_no_named_second_sheet(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    with ss.open_workbook(path) as book:
        assert book.find_sheet(("สมาชิก", "members")) is None
        assert [r.cells for r in book.sheet().rows()] == [("a",), ("1",)]


def test_xls_is_read_by_calamine(tmp_path):
    path = tmp_path / "villages.xls"
    path.write_bytes(
        _xls_bytes([["หมู่ที่", "ชื่อหมู่บ้าน", "วันที่"], [1.0, "บ้านหนองบัว"], [], [2.0, "บ้านโคก", dt.date(2024, 3, 15)]])
    )
    with ss.open_workbook(path) as book:
        rows = list(book.sheet().rows())
    assert rows == [
        ss.RawRow(1, ("หมู่ที่", "ชื่อหมู่บ้าน", "วันที่")),
        ss.RawRow(2, (1.0, "บ้านหนองบัว", None)),
        ss.RawRow(3, (None, None, None)),
        ss.RawRow(4, (2.0, "บ้านโคก", dt.date(2024, 3, 15))),
    ]


def test_file_type_is_decided_by_content_when_the_name_lies(tmp_path):
    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes(ledger_xlsx(tmp_path / "ledger.xlsx").read_bytes())
    assert len(list(ss.read_sheet(renamed, LEDGER))) == 5
    old_format = tmp_path / "old.xlsx"
    old_format.write_bytes(_xls_bytes([["household", "date", "amount"], ["H-1", "15/03/2567", 10.0]]))
    assert next(ss.read_sheet(old_format, LEDGER)).values["amount"] == Decimal("10.00")
    exported = tmp_path / "export.xls"  # what many government systems call an Excel file
    exported.write_bytes("รหัสครัวเรือน\tวันที่\tจำนวนเงิน\nH-1\t15/03/2567\t10\n".encode("cp874"))
    assert next(ss.read_sheet(exported, LEDGER)).values["amount"] == Decimal("10.00")


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("data.pdf", b"%PDF", ss.UnsupportedFile, "ไฟล์ชนิด '.pdf' ใช้ไม่ได้ — ใช้ .xlsx, .xls หรือ .csv"),
        ("data.ods", b"PK\x03\x04", ss.UnsupportedFile, "ไฟล์ชนิด '.ods' ใช้ไม่ได้ — ใช้ .xlsx, .xls หรือ .csv"),
        ("data", b"a,b", ss.UnsupportedFile, "ไฟล์ชนิด 'data' ใช้ไม่ได้ — ใช้ .xlsx, .xls หรือ .csv"),
        (
            "report.xls",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            ss.UnsupportedFile,
            "ไฟล์ 'report.xls' เป็นหน้าเว็บ (HTML) ที่ตั้งชื่อเป็น Excel — เปิดใน Excel แล้วบันทึกเป็น .xlsx",
        ),
        (
            "broken.xlsx",
            b"PK\x03\x04 not really a zip",
            ss.UnreadableFile,
            "อ่านไฟล์ 'broken.xlsx' ไม่ได้ — ไฟล์อาจเสียหาย หรือไม่ใช่ไฟล์ Excel จริง",
        ),
        (
            "binary.xls",
            b"\x00\x01\x02\x03garbage",
            ss.UnreadableFile,
            "อ่านไฟล์ 'binary.xls' ไม่ได้ — ไฟล์อาจเสียหาย หรือไม่ใช่ไฟล์ Excel จริง",
        ),
    ],
)
def test_unusable_files_get_a_clear_thai_error(tmp_path, name, content, error, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error) as info:
        ss.open_workbook(path)
    assert info.value.message() == message
    assert [(e.row, e.column, e.message.th) for e in info.value.errors] == [(0, "", message)]


def test_password_protected_xlsx(tmp_path):
    path = tmp_path / "locked.xlsx"  # what Excel writes when a password is set
    path.write_bytes(_ole_file("EncryptedPackage", b"\x08\x00" + b"\x17" * 5000))
    with pytest.raises(ss.UnreadableFile) as info:
        ss.open_workbook(path)
    assert info.value.message() == "ไฟล์ 'locked.xlsx' มีรหัสผ่าน — เอารหัสผ่านออกก่อนนำเข้า"


def test_unsupported_file_english_and_missing_file(tmp_path):
    with pytest.raises(ss.UnsupportedFile) as info:
        ss.open_workbook(tmp_path / "x.docx")
    assert info.value.message("en") == "'.docx' files cannot be imported; use .xlsx, .xls or .csv"
    with pytest.raises(ss.UnreadableFile) as missing:
        ss.open_workbook(tmp_path / "gone.csv")
    assert missing.value.message() == "ไม่พบไฟล์ 'gone.csv'"


def test_upload_saved_under_a_temporary_name_uses_the_given_filename(tmp_path):
    path = tmp_path / "upload-7f3a"
    path.write_text("รหัสครัวเรือน,วันที่,จำนวนเงิน\nH-1,15/03/2567,10\n", encoding="utf-8")
    reader = ss.read_sheet(path, LEDGER, filename="บัญชีมีนาคม.csv")
    assert reader.sheet.name == "บัญชีมีนาคม"
    assert next(reader).values["amount"] == Decimal("10.00")
    upload = tmp_path / "upload-91c2"
    upload.write_bytes(ledger_xlsx(tmp_path / "ledger.xlsx").read_bytes())
    assert len(list(ss.read_sheet(upload, LEDGER, filename="บัญชี.xlsx"))) == 5
    assert len(list(ss.read_sheet(upload, LEDGER, filename="บัญชี.csv"))) == 5  # content beats the name
    with pytest.raises(ss.UnsupportedFile):
        ss.read_sheet(upload, LEDGER)  # no usable name at all


# --- header errors and column groups ----------------------------------------------------


class CountingSheet(ss.Sheet):
    """A sheet that records how many raw rows were taken from it."""

    def __init__(self, rows: list[tuple[object, ...]]) -> None:
        self.taken = 0

        def generate():
            for number, cells in enumerate(rows, start=1):
                self.taken += 1
                yield ss.RawRow(number, cells)

        super().__init__("Sheet1", generate)


def test_missing_required_columns_stop_before_any_row_is_read():
    sheet = CountingSheet([("ชื่อ", "หมู่ที่", "เพศ"), ("สมชาย", "1", "ชาย"), ("สมหญิง", "2", "หญิง")])
    with pytest.raises(ss.HeaderError) as info:
        sheet.read(HOUSEHOLDS)
    assert sheet.taken == 1
    err = info.value
    assert err.message() == "ไม่พบคอลัมน์ที่ต้องมี: 'รหัสครัวเรือน', 'เลขประจำตัวประชาชน', 'นามสกุล'"
    assert err.message("en") == "required columns are missing: 'รหัสครัวเรือน', 'เลขประจำตัวประชาชน', 'นามสกุล'"
    assert [(e.row, e.column, e.message.th) for e in err.errors] == [
        (1, "รหัสครัวเรือน", "ไม่พบคอลัมน์ 'รหัสครัวเรือน' (หรือ 'household')"),
        (1, "เลขประจำตัวประชาชน", "ไม่พบคอลัมน์ 'เลขประจำตัวประชาชน' (หรือ 'national_id')"),
        (1, "นามสกุล", "ไม่พบคอลัมน์ 'นามสกุล' (หรือ 'last_name')"),
    ]


def test_missing_column_in_an_xlsx_file(tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [["household", "date", "note"], ["H-1", "15/03/2567", "x"]]})
    with pytest.raises(ss.HeaderError) as info:
        ss.read_sheet(path, LEDGER)
    assert [(e.row, e.column, e.message.get("en")) for e in info.value.errors] == [
        (1, "จำนวนเงิน / รายรับ / รายจ่าย", "at least one of the columns 'จำนวนเงิน', 'รายรับ', 'รายจ่าย' is needed")
    ]


def test_one_of_group_is_satisfied_by_any_of_its_columns():
    for headers in [("household", "date", "amount"), ("household", "date", "income"), ("รหัสครัวเรือน", "วันที่", "รายจ่าย")]:
        reader = CountingSheet([headers, ("H-1", "15/03/2567", "10")]).read(LEDGER)
        (row,) = list(reader)
        assert row.ok, row.errors


def test_group_rules_per_row():
    spec = ss.SheetSpec(
        [ss.Column("a", "ก", "a", ss.parse_int), ss.Column("b", "ข", "b", ss.parse_int)],
        groups=[ss.OneOf(("a", "b"), rule="at_least_one")],
    )
    rows = list(CountingSheet([("a", "b"), ("1", "2"), ("1", None), (None, None), ("x", None), (None, "")]).read(spec))
    assert [r.row for r in rows] == [2, 3, 5]  # row 4 and row 6 are blank
    assert rows[0].ok and rows[1].ok
    assert [e.message.th for e in rows[2].errors] == ["'x' ไม่ใช่จำนวนเต็ม"]


def test_duplicate_column_and_empty_sheet_are_header_errors():
    with pytest.raises(ss.HeaderError) as info:
        CountingSheet([("household", "รหัสครัวเรือน", "date", "amount")]).read(LEDGER)
    assert info.value.message() == "คอลัมน์ 'household' และ 'รหัสครัวเรือน' เป็นข้อมูลเดียวกัน — ลบออกหนึ่งคอลัมน์"
    with pytest.raises(ss.HeaderError) as info:
        CountingSheet([(None,), ("  ",)]).read(LEDGER)
    assert info.value.message() == "ไม่พบแถวหัวตารางในชีต 'Sheet1' (ชีตว่าง)"


def test_required_column_with_allow_blank_and_short_rows():
    spec = ss.SheetSpec(
        [
            ss.Column("code", "รหัส", "code", required=True),
            ss.Column("note", "หมายเหตุ", "note", required=True, allow_blank=True),
        ]
    )
    rows = list(CountingSheet([("รหัส", "หมายเหตุ"), ("A",), (None, "มีแต่หมายเหตุ")]).read(spec))
    assert rows[0].ok and rows[0].values == {"code": "A", "note": None}
    assert [(e.row, e.column, e.message.get("en")) for e in rows[1].errors] == [
        (3, "รหัส", "this cell must not be empty")
    ]


def test_business_rule_errors_name_the_header_as_written():
    (row,) = list(CountingSheet([("Household *", "date", "amount (THB)"), ("H-9", "15/03/2567", "10")]).read(LEDGER))
    error = row.error("household", ss.Text("ไม่พบรหัสครัวเรือนนี้ในตำบล", "no such household in this tambon"))
    assert (error.row, error.column, error.message.th) == (2, "Household *", "ไม่พบรหัสครัวเรือนนี้ในตำบล")
    assert row.error(None, "ทั้งแถว").column == ""


# --- the report ---------------------------------------------------------------------


def ledger_report(tmp_path: Path) -> ss.ImportReport:
    report = ss.ImportReport()
    reader = ss.read_sheet(ledger_xlsx(tmp_path / "ledger.xlsx"), LEDGER)
    report.warn(reader.warnings)
    for result in reader:
        if result.ok and result.values["household"] == "H-001" and result.values["income"]:
            report.reject(result, result.error("income", ss.Text("หมวดนี้เป็นรายจ่าย", "this category is an expense")))
        else:
            report.add(result)
    return report


def test_report_json_has_exactly_the_contract_shape(tmp_path):
    report = ledger_report(tmp_path)
    doc = report.to_json()
    assert list(doc) == ["accepted", "rejected", "errors", "warnings"]
    assert doc == {
        "accepted": 1,
        "rejected": 4,
        "errors": [
            {"row": 3, "column": "รายรับ", "message": "หมวดนี้เป็นรายจ่าย"},
            {"row": 5, "column": "รายจ่าย / รายรับ", "message": "กรอกได้เพียงช่องเดียวใน 'รายจ่าย', 'รายรับ'"},
            {"row": 6, "column": "วันที่", "message": "วันที่ '31/02/2567' ไม่มีอยู่จริง"},
            {"row": 6, "column": "รายจ่าย / รายรับ", "message": "ต้องกรอก 'รายจ่าย', 'รายรับ' อย่างใดอย่างหนึ่ง"},
            {"row": 7, "column": "รหัสครัวเรือน", "message": "ต้องกรอกช่องนี้"},
            {"row": 7, "column": "รายรับ", "message": "'ห้าสิบ' ไม่ใช่จำนวนเงิน"},
        ],
        "warnings": ["ไม่รู้จักคอลัมน์ 'หมายเหตุ' — ข้ามไป"],
    }
    english = report.to_json(lang="en")
    assert english["errors"][2] == {"row": 6, "column": "วันที่", "message": "'31/02/2567' is not a real date"}
    assert english["warnings"] == ["unknown column 'หมายเหตุ' ignored"]
    assert not report.ok


def test_report_json_without_warnings_and_for_a_file_error(tmp_path):
    report = ss.ImportReport()
    assert report.to_json() == {"accepted": 0, "rejected": 0, "errors": []}
    assert report.ok
    try:
        CountingSheet([("date", "amount")]).read(LEDGER)
    except ss.SpreadsheetError as exc:
        report.fail(exc)
    assert report.to_json("en") == {
        "accepted": 0,
        "rejected": 0,
        "errors": [
            {"row": 1, "column": "รหัสครัวเรือน", "message": "the column 'household' (or 'รหัสครัวเรือน') is missing"}
        ],
    }
    assert not report.ok


def test_report_names_sheets_only_when_errors_come_from_several():
    report = ss.ImportReport()
    for sheet_name in ("ครัวเรือน", "สมาชิก"):
        sheet = CountingSheet([("ชื่อ",), (None,), ("x",)])
        sheet.name = sheet_name
        spec = ss.SheetSpec([ss.Column("n", "ชื่อ", "name", ss.parse_int)])
        for result in sheet.read(spec):
            report.add(result)
    assert report.to_json()["errors"] == [
        {"row": 3, "column": "ชื่อ", "message": "'x' ไม่ใช่จำนวนเต็ม", "sheet": "ครัวเรือน"},
        {"row": 3, "column": "ชื่อ", "message": "'x' ไม่ใช่จำนวนเต็ม", "sheet": "สมาชิก"},
    ]


def test_report_caps_errors_but_keeps_counts_exact():
    report = ss.ImportReport(max_errors=2)
    rows = [("a",)] + [(str(i) + "x",) for i in range(5)]
    for result in CountingSheet(rows).read(ss.SheetSpec([ss.Column("a", "ก", "a", ss.parse_int)])):
        report.add(result)
    doc = report.to_json()
    assert (doc["rejected"], len(doc["errors"]), doc["omitted_errors"]) == (5, 2, 3)


def test_error_report_xlsx(tmp_path):
    report = ledger_report(tmp_path)
    out = tmp_path / "errors.xlsx"
    ss.write_error_report(report, out)
    book = CalamineWorkbook.from_path(out)
    assert book.sheet_names == ["ข้อผิดพลาด"]
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == ["แถว", "คอลัมน์", "ปัญหา", "วันที่", "รายการ", "รายจ่าย", "หมายเหตุ", "รหัสครัวเรือน", "รายรับ"]
    assert rows[1] == [3.0, "รายรับ", "หมวดนี้เป็นรายจ่าย", "16/03/2567", "ขายข้าว", "", "", "H-001", "๑,๒๕๐.๕๐"]
    assert rows[2] == [
        5.0,
        "รายจ่าย / รายรับ",
        "กรอกได้เพียงช่องเดียวใน 'รายจ่าย', 'รายรับ'",
        "16/03/2567",
        "ค่าไฟ",
        0.3,
        "x",
        "H-002",
        5.0,
    ]
    assert [row[:2] for row in rows[3:]] == [[6.0, "วันที่"], [6.0, "รายจ่าย / รายรับ"], [7.0, "รหัสครัวเรือน"], [7.0, "รายรับ"]]
    assert rows[6][3:] == ["17/03/2567", "ขายไข่", "", "", "", "ห้าสิบ"]


def test_error_report_xlsx_in_english_to_a_file_object(tmp_path):
    buffer = io.BytesIO()
    ss.write_error_report(ledger_report(tmp_path), buffer, fmt="xlsx", lang="en")
    buffer.seek(0)
    book = CalamineWorkbook.from_filelike(buffer)
    rows = book.get_sheet_by_name("Errors").to_python()
    assert rows[0][:3] == ["Row", "Column", "Problem"]
    assert rows[3][:3] == [6.0, "วันที่", "'31/02/2567' is not a real date"]


def test_error_report_csv_is_utf8_with_bom_and_defuses_formulas(tmp_path):
    report = ss.ImportReport()
    sheet = CountingSheet([("ชื่อ", "ยอด"), ('=HYPERLINK("x")', "-5x"), ("สมชาย", "-5")])
    for result in sheet.read(
        ss.SheetSpec([ss.Column("n", "ชื่อ", "name"), ss.Column("a", "ยอด", "amount", ss.parse_money)])
    ):
        report.add(result)
    out = tmp_path / "errors.csv"
    ss.write_error_report(report, out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["แถว", "คอลัมน์", "ปัญหา", "ชื่อ", "ยอด"],
        ["2", "ยอด", "'-5x' ไม่ใช่จำนวนเงิน", '\'=HYPERLINK("x")', "'-5x"],
        ["3", "ยอด", "จำนวนเงินต้องไม่ติดลบ (-5)", "สมชาย", "-5"],
    ]


def test_error_report_csv_with_two_sheets_has_a_section_each(tmp_path):
    report = ss.ImportReport()
    for sheet_name, header in (("ครัวเรือน", "ก"), ("สมาชิก", "ข")):
        sheet = CountingSheet([(header,), ("x",)])
        sheet.name = sheet_name
        for result in sheet.read(ss.SheetSpec([ss.Column("n", header, "n" + header, ss.parse_int)])):
            report.add(result)
    buffer = io.BytesIO()
    report.write_csv(buffer, lang="en")
    text = buffer.getvalue().decode("utf-8-sig")
    assert text.splitlines() == [
        "Sheet: ครัวเรือน",
        "Row,Column,Problem,ก",
        "2,ก,'x' is not a whole number,x",
        "",
        "Sheet: สมาชิก",
        "Row,Column,Problem,ข",
        "2,ข,'x' is not a whole number,x",
    ]
    out = tmp_path / "two.xlsx"
    report.write_xlsx(out)
    assert CalamineWorkbook.from_path(out).sheet_names == ["ข้อผิดพลาด ครัวเรือน", "ข้อผิดพลาด สมาชิก"]


# --- fingerprints --------------------------------------------------------------------


def test_fingerprint_is_stable_and_pinned():
    # The key is stored in the database: changing how it is made re-imports everything.
    values = {"household": " H-001 ", "amount": Decimal("1250.50")}
    key = ss.row_fingerprint(values, ["household", "amount"], namespace="ledger:370107")
    assert key == "b6e2a5a5ed95f46eb4be3b5bb2a916bc4799dbad75db094136ef0b5bb52c4351"
    same = {"household": "h-001", "amount": Decimal("1250.5")}
    assert ss.row_fingerprint(same, ["household", "amount"], namespace="ledger:370107") == key
    assert ss.row_fingerprint(same, ["household", "amount"], namespace="ledger:370108") != key


def test_canonical_values():
    assert ss.canonical(Decimal("100.00")) == "100"
    assert ss.canonical(Decimal("-0.00")) == "0"
    assert ss.canonical(dt.date(2024, 3, 15)) == "2024-03-15"
    assert ss.canonical(None) == ss.canonical("  ") == ""
    assert ss.canonical(True) == "true"
    assert ss.canonical(0.1 + 0.2) == "0.30000000000000004"


def test_identical_lines_stay_two_lines_and_reimport_adds_nothing(big_csv, tmp_path):
    lines = [
        {"household": "H-1", "date": dt.date(2024, 3, 15), "item": "ไข่ไก่", "amount": Decimal("90.00")},
        {"household": "H-1", "date": dt.date(2024, 3, 15), "item": "ไข่ไก่", "amount": Decimal("90.00")},
        {"household": "H-1", "date": dt.date(2024, 3, 15), "item": "ข้าว", "amount": Decimal("90.00")},
    ]
    fields = ["household", "date", "item", "amount"]

    def keys_of(rows):
        keys = ss.Fingerprinter(fields, namespace="ledger:370107")
        return [keys(row) for row in rows]

    first = keys_of(lines)
    assert len(set(first)) == 3  # the two identical egg lines are two lines
    stored = set(first)
    assert set(keys_of(lines)) - stored == set()  # importing the same file again adds nothing
    added = keys_of([*lines, lines[0]])  # a third identical egg line was written in later
    assert set(added) - stored == {added[-1]}


def test_fingerprints_of_a_real_file_twice(tmp_path):
    path = ledger_xlsx(tmp_path / "ledger.xlsx")

    def keys_of_file():
        keys = ss.Fingerprinter(["household", "date", "item", "income", "expense"], namespace="t")
        return [keys(r.values) for r in ss.read_sheet(path, LEDGER) if r.ok]

    assert keys_of_file() == keys_of_file()
    with pytest.raises(ValueError, match="at least one field"):
        ss.Fingerprinter([])


# --- line endings ------------------------------------------------------------------------


def test_csv_line_endings_crlf_across_a_read_boundary_and_lone_cr(tmp_path):
    header = b"household,date,amount\r\n"
    line = b"H-1,15/03/2567,10\r\n"
    padding = 65_536 - len(header) - 1  # the first "\r\n" after the padding straddles the 64 KiB read
    first = b"H-0,15/03/2567,1"
    body = first + b" " * (padding - len(first)) + b"\r\n" + line * 3
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(header + body)
    assert (header + body).index(b"\r\n", len(header)) == 65_535
    rows = [r.row for r in ss.read_sheet(crlf, LEDGER)]
    assert rows == [2, 3, 4, 5]  # no phantom blank row between "\r" and "\n"
    mac = tmp_path / "mac.csv"  # old Mac Excel: lone CR line endings
    mac.write_text("household,date,amount\r\rH-1,15/03/2567,10\rH-2,16/03/2567,20\r", encoding="cp874")
    assert [(r.row, r.values["household"]) for r in ss.read_sheet(mac, LEDGER)] == [(3, "H-1"), (4, "H-2")]


def test_error_report_echoes_national_ids_masked_only(tmp_path):
    nid = with_check_digit("110170020345")
    report = ss.ImportReport()
    sheet = CountingSheet(
        [
            ("เลขบัตร", "หมายเหตุ", "ยอด"),
            (f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}", f"ของ {nid}", "x"),
            (int(nid), "๑๒๓", "y"),
        ]
    )
    spec = ss.SheetSpec(
        [
            ss.Column("i", "เลขบัตร", "id"),
            ss.Column("n", "หมายเหตุ", "note"),
            ss.Column("a", "ยอด", "amount", ss.parse_money),
        ]
    )
    for result in sheet.read(spec):
        report.add(result)
    masked = f"{nid[0]}-{nid[1:5]}-xxxxx-xx-{nid[12]}"
    csv_file, xlsx_file = tmp_path / "e.csv", tmp_path / "e.xlsx"
    ss.write_error_report(report, csv_file)
    ss.write_error_report(report, xlsx_file)
    text = csv_file.read_bytes().decode("utf-8-sig")
    assert nid not in text and nid[5:10] not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[3:5] for row in rows[1:]] == [[masked, f"ของ {masked}"], [masked, "๑๒๓"]]
    cells = CalamineWorkbook.from_path(str(xlsx_file)).get_sheet_by_index(0).to_python()
    assert [row[3] for row in cells[1:]] == [masked, masked]

"""Writing import files for tests: .xlsx (several sheets) and .csv in any encoding.

Shared by the villages, households, command-line and web tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from chumchon.core.national_id import with_check_digit

HOUSEHOLD_HEADERS_TH = [
    "รหัสครัวเรือน", "หมู่ที่", "บ้านเลขที่", "เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล",
    "วันเกิด", "เพศ", "กลุ่มอาชีพ", "บัตรสวัสดิการแห่งรัฐ", "จำนวนสมาชิก", "ละติจูด", "ลองจิจูด",
]  # fmt: skip
HOUSEHOLD_HEADERS_EN = [
    "household", "village_no", "house_no", "national_id", "title", "first_name", "last_name",
    "birth_date", "sex", "occupation_group", "welfare_card", "members", "lat", "lon",
]  # fmt: skip
MEMBER_HEADERS_TH = ["รหัสครัวเรือน", "เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "วันเกิด", "เพศ", "ความสัมพันธ์"]

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def nid(n: int) -> str:
    """A valid national ID, different for each ``n``."""
    return with_check_digit(f"3{n:011d}")


def bad_check_digit(n: int) -> str:
    good = nid(n)
    return good[:12] + str((int(good[12]) + 1) % 10)


def thai_digits(text: str) -> str:
    return text.translate(THAI_DIGITS)


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Rows of values (``None`` = empty cell; ``dt.date`` = a real date cell)."""
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
    book.close()
    return path


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def reorder(rows: list[list[object]], order: list[int]) -> list[list[object]]:
    """The same table with its columns in another order."""
    return [[row[i] for i in order] for row in rows]


def read_xlsx(data: bytes | Path, sheet: int = 0) -> list[list[object]]:
    """The cells of a sheet of an .xlsx (bytes or a path), as python-calamine reads them."""
    if isinstance(data, Path):
        data = data.read_bytes()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(sheet).to_python()


def household_row(
    code: str,
    village_no: object,
    national_id: str,
    *,
    first: str = "สมชาย",
    last: str = "ใจดี",
    house_no: str = "",
    birth: object = "15/03/2510",
    sex: str = "ชาย",
    occupation: str = "O01",
    welfare: str = "มี",
    members: object = None,
    lat: object = None,
    lon: object = None,
    title: str = "นาย",
) -> list[object]:
    """One row in the order of ``HOUSEHOLD_HEADERS_TH``."""
    return [
        code,
        village_no,
        house_no,
        national_id,
        title,
        first,
        last,
        birth,
        sex,
        occupation,
        welfare,
        members,
        lat,
        lon,
    ]


def member_row(
    code: str,
    national_id: str,
    *,
    first: str = "สมหญิง",
    last: str = "ใจดี",
    birth: object = "01/01/2530",
    sex: str = "หญิง",
    relation: str = "คู่สมรส",
    title: str = "นาง",
) -> list[object]:
    """One row in the order of ``MEMBER_HEADERS_TH``."""
    return [code, national_id, title, first, last, birth, sex, relation]

"""Every message the spreadsheet toolkit shows a person, in Thai and English.

Messages are kept as :class:`Text` — both languages at once — so that an error made
while reading (in Thai-or-English-agnostic library code) can be shown later in the
language the person chose (``--lang en`` on the command line, the web user's
language). Thai is the default everywhere.

The templates are an explicit table rather than Django's gettext catalogue: the
toolkit is a pure library that runs without settings, and import modules need both
languages of the same error at once (the JSON report and the downloadable file may be
asked for in different languages).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A message in Thai and English. ``str()`` gives the Thai."""

    th: str
    en: str = ""

    def get(self, lang: str = "th") -> str:
        """The message in ``lang``; English falls back to Thai when it has none."""
        return self.en if lang == "en" and self.en else self.th

    def __str__(self) -> str:
        return self.th


# key: (Thai template, English template). Placeholders use str.format syntax.
MESSAGES: dict[str, tuple[str, str]] = {
    # cells
    "required_value": ("ต้องกรอกช่องนี้", "this cell must not be empty"),
    "text_too_long": ("ยาวเกิน {max} ตัวอักษร", "longer than {max} characters"),
    "control_char": (
        "มีอักขระควบคุม ({char}) ในเซลล์ — ลบอักขระนี้ออก (มักติดมาจากการคัดลอกจากโปรแกรมอื่น)",
        "the cell holds a control character ({char}); remove it (it often comes with text copied from another program)",
    ),
    "text_is_date": (
        "Excel เปลี่ยนค่านี้เป็นวันที่ ({value}) — จัดรูปแบบคอลัมน์เป็นข้อความแล้วพิมพ์ใหม่",
        "Excel turned this into a date ({value}); format the column as text and type it again",
    ),
    "int_invalid": ("'{value}' ไม่ใช่จำนวนเต็ม", "'{value}' is not a whole number"),
    "int_min": ("'{value}' ต้องไม่น้อยกว่า {min}", "'{value}' must be at least {min}"),
    "int_max": ("'{value}' ต้องไม่เกิน {max}", "'{value}' must be at most {max}"),
    "money_invalid": ("'{value}' ไม่ใช่จำนวนเงิน", "'{value}' is not an amount of money"),
    "money_places": ("'{value}' มีทศนิยมเกิน 2 ตำแหน่ง", "'{value}' has more than 2 decimal places"),
    "money_negative": ("จำนวนเงินต้องไม่ติดลบ ({value})", "the amount must not be negative ({value})"),
    "money_zero": ("จำนวนเงินต้องมากกว่า 0", "the amount must be more than 0"),
    "money_too_large": ("จำนวนเงินมากเกินไป ({value})", "the amount is too large ({value})"),
    "date_invalid": (
        "'{value}' ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 15/03/2567)",
        "'{value}' is not a date (use dd/mm/yyyy in Buddhist Era, e.g. 15/03/2567)",
    ),
    "date_two_digit_year": (
        "'{value}': ปีต้องมี 4 หลัก เช่น 2567",
        "'{value}': the year must have 4 digits, e.g. 2567",
    ),
    "date_not_exist": ("วันที่ '{value}' ไม่มีอยู่จริง", "'{value}' is not a real date"),
    "date_year_range": ("'{value}': ปีอยู่นอกช่วงที่รับได้", "'{value}': the year is out of range"),
    "date_is_number": (
        "ค่าเป็นตัวเลข ({value}) ไม่ใช่วันที่ — จัดรูปแบบเซลล์เป็นวันที่ หรือพิมพ์เป็น วว/ดด/ปปปป",
        "the cell holds a number ({value}), not a date; format it as a date or type dd/mm/yyyy",
    ),
    "date_is_time": ("ค่าเป็นเวลา ({value}) ไม่ใช่วันที่", "the cell holds a time ({value}), not a date"),
    "bool_invalid": (
        "'{value}' ต้องเป็น มี/ไม่มี, ใช่/ไม่ใช่, yes/no หรือ 1/0",
        "'{value}' must be yes/no, true/false, 1/0 (or มี/ไม่มี, ใช่/ไม่ใช่)",
    ),
    "sex_invalid": ("'{value}' ต้องเป็น ชาย/หญิง หรือ M/F", "'{value}' must be M/F (or ชาย/หญิง)"),
    "choice_invalid": (
        "ไม่พบ '{value}' ในรายการ (ใช้รหัส เช่น {code} หรือชื่อ เช่น {name})",
        "'{value}' is not in the list (use a code such as {code} or a name such as {name})",
    ),
    "national_id_length": ("เลขประจำตัวประชาชนต้องมี 13 หลัก", "a national ID number has 13 digits"),
    "national_id_checksum": (
        "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)",
        "the national ID number is not valid (the check digit does not match)",
    ),
    "national_id_scientific": (
        "Excel แสดงเลขประจำตัวประชาชนเป็นเลขยกกำลัง ({value}) ทำให้ตัวเลขหาย — จัดรูปแบบคอลัมน์เป็นข้อความแล้วพิมพ์ใหม่",
        "Excel wrote the national ID in scientific notation ({value}) and lost digits; format the column as text and type it again",
    ),
    "village_no_invalid": ("'{value}' ไม่ใช่หมู่ที่ (1–99)", "'{value}' is not a village number (1–99)"),
    "group_none": ("ต้องกรอก {columns} อย่างใดอย่างหนึ่ง", "fill in one of {columns}"),
    "group_many": ("กรอกได้เพียงช่องเดียวใน {columns}", "fill in only one of {columns}"),
    # headers
    "missing_columns": ("ไม่พบคอลัมน์ที่ต้องมี: {columns}", "required columns are missing: {columns}"),
    "missing_column": ("ไม่พบคอลัมน์ '{th}' (หรือ '{en}')", "the column '{en}' (or '{th}') is missing"),
    "missing_group": (
        "ต้องมีอย่างน้อยหนึ่งคอลัมน์ใน {columns}",
        "at least one of the columns {columns} is needed",
    ),
    "duplicate_column": (
        "คอลัมน์ '{first}' และ '{second}' เป็นข้อมูลเดียวกัน — ลบออกหนึ่งคอลัมน์",
        "the columns '{first}' and '{second}' hold the same field; remove one of them",
    ),
    "extra_column": ("ไม่รู้จักคอลัมน์ '{column}' — ข้ามไป", "unknown column '{column}' ignored"),
    "no_header": ("ไม่พบแถวหัวตารางในชีต '{sheet}' (ชีตว่าง)", "no header row in sheet '{sheet}' (the sheet is empty)"),
    # files
    "file_type": (
        "ไฟล์ชนิด '{ext}' ใช้ไม่ได้ — ใช้ .xlsx, .xls หรือ .csv",
        "'{ext}' files cannot be imported; use .xlsx, .xls or .csv",
    ),
    "file_missing": ("ไม่พบไฟล์ '{name}'", "the file '{name}' does not exist"),
    "file_unreadable": (
        "อ่านไฟล์ '{name}' ไม่ได้ — ไฟล์อาจเสียหาย หรือไม่ใช่ไฟล์ Excel จริง",
        "cannot read '{name}': the file is damaged or not really an Excel file",
    ),
    "file_html": (
        "ไฟล์ '{name}' เป็นหน้าเว็บ (HTML) ที่ตั้งชื่อเป็น Excel — เปิดใน Excel แล้วบันทึกเป็น .xlsx",
        "'{name}' is a web page (HTML) named like an Excel file; open it in Excel and save it as .xlsx",
    ),
    "file_password": (
        "ไฟล์ '{name}' มีรหัสผ่าน — เอารหัสผ่านออกก่อนนำเข้า",
        "'{name}' is password-protected; remove the password before importing",
    ),
    "file_encoding": (
        "อ่านไฟล์ '{name}' ไม่ได้ที่แถว {row}: ไม่ใช่ข้อความ UTF-8 หรือ TIS-620",
        "cannot read '{name}' at row {row}: the text is neither UTF-8 nor TIS-620",
    ),
    "file_csv": (
        "ไฟล์ CSV '{name}' ผิดรูปแบบที่แถว {row}: {detail}",
        "the CSV file '{name}' is malformed at row {row}: {detail}",
    ),
    "file_too_big": (
        "ไฟล์ '{name}' ใหญ่ {size} MB เกินขนาดที่นำเข้าได้ ({max} MB) — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์",
        "'{name}' is {size} MB, more than an import may be ({max} MB); split it into several files",
    ),
    "file_unpacked": (
        "ไฟล์ '{name}' เมื่อคลายออกมีขนาดเกิน {max} MB — ไม่อ่านไฟล์นี้ (อาจเป็นไฟล์อันตราย หรือมีข้อมูลมากเกินไป) แบ่งเป็นหลายไฟล์",
        "'{name}' unpacks to more than {max} MB and is not read (it may be hostile, or hold too much); split it",
    ),
    "file_ratio": (
        "ไฟล์ '{name}' ถูกบีบอัดผิดปกติ ({ratio} เท่า) — ไม่อ่านไฟล์นี้ เพราะอาจเป็นไฟล์อันตราย (zip bomb)",
        "'{name}' is compressed abnormally ({ratio} to 1) and is not read: it may be a zip bomb",
    ),
    "file_members": (
        "ไฟล์ '{name}' มีส่วนประกอบภายใน {count} ส่วน เกิน {max} — ไม่ใช่ไฟล์ Excel ปกติ",
        "'{name}' holds {count} parts, more than {max}: not an ordinary Excel file",
    ),
    "file_cells": (
        "ไฟล์ '{name}' มีเซลล์เกิน {max} เซลล์ — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์",
        "'{name}' has more than {max} cells; split it into several files",
    ),
    "file_rows": (
        "ไฟล์ '{name}' มีเกิน {max} แถว — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์",
        "'{name}' has more than {max} rows; split it into several files",
    ),
    "sheet_not_found": (
        "ไม่พบชีต {names} (ชีตในไฟล์: {available})",
        "no sheet named {names} (the file has: {available})",
    ),
    # report
    "report_row": ("แถว", "Row"),
    "report_column": ("คอลัมน์", "Column"),
    "report_problem": ("ปัญหา", "Problem"),
    "report_sheet": ("ชีต", "Sheet"),
    "report_title": ("ข้อผิดพลาด", "Errors"),
}


def msg(key: str, **params: object) -> Text:
    """The message ``key`` with ``params`` filled in, in both languages."""
    th, en = MESSAGES[key]
    return Text(th.format(**params), en.format(**params))


def quoted_list(names: list[str] | tuple[str, ...]) -> str:
    """``'a', 'b'`` — how lists of names appear inside messages."""
    return ", ".join(f"'{name}'" for name in names)

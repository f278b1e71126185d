"""Empty import templates (.xlsx) with the Thai headers, built from the imports' own
column specs so they never drift apart.

Columns that hold codes, ID numbers, house numbers and dates are formatted as text:
otherwise Excel turns ``12/3`` into 12 March, drops the leading zeros of a code and
writes a 13-digit ID as ``1.10170E+12``. A last sheet, ``คำอธิบาย``, explains each
column in Thai and English; the imports ignore it.
"""

from __future__ import annotations

import io

import xlsxwriter

from chumchon.core import spreadsheet as ss
from chumchon.imports.models import ImportJob
from chumchon.imports.villages import VILLAGES
from chumchon.ledgers.imports import TEMPLATE as LEDGER
from chumchon.ledgers.selectors import categories_all
from chumchon.registry.imports import HOUSEHOLDS, MEMBERS

TEXT_FIELDS = frozenset({"code", "household", "house_no", "national_id", "birth_date", "title", "date", "category"})

# field -> (Thai note, English note)
NOTES: dict[str, tuple[str, str]] = {
    "village_no": ("1–99 (เช่น 3 หรือ หมู่ 3)", "1–99 (e.g. 3)"),
    "name": ("ชื่อหมู่บ้าน เช่น บ้านนาแต้", "the village's name"),
    "code": ("ไม่ซ้ำกันในตำบล", "unique within the tambon"),
    "household": ("รหัสครัวเรือนที่สมาชิกอยู่ (ตรงกับชีตครัวเรือน)", "the household the member belongs to"),
    "house_no": ("เช่น 12/3", "e.g. 12/3"),
    "national_id": ("13 หลัก มีขีดได้ ระบบตรวจหลักสุดท้าย", "13 digits, dashes allowed, check digit verified"),
    "title": ("นาย นาง นางสาว …", "Mr, Mrs, Miss …"),
    "birth_date": ("วว/ดด/ปปปป พ.ศ. เช่น 15/03/2510", "dd/mm/yyyy in Buddhist Era, or yyyy-mm-dd"),
    "sex": ("ชาย/หญิง หรือ M/F", "M/F"),
    "occupation_group": ("รหัส O01–O10 หรือชื่อกลุ่ม เช่น ทำนา", "code O01–O10 or the group's Thai name"),
    "welfare_card": ("มี/ไม่มี", "yes/no"),
    "members_count": ("จำนวนคนในครัวเรือน", "people in the household"),
    "lat": ("WGS84 เช่น 15.8652", "WGS84, e.g. 15.8652"),
    "lon": ("WGS84 เช่น 104.6258", "WGS84, e.g. 104.6258"),
    "relation": ("ความสัมพันธ์กับหัวหน้าครัวเรือน เช่น คู่สมรส บุตร", "relation to the head, e.g. spouse, child"),
}

# Notes that differ by import: kind -> field -> (Thai note, English note)
KIND_NOTES: dict[str, dict[str, tuple[str, str]]] = {
    ImportJob.Kind.LEDGERS: {
        "household": ("รหัสครัวเรือนตามทะเบียนของตำบล", "the household's code as registered in the tambon"),
        "date": ("วว/ดด/ปปปป พ.ศ. เช่น 15/03/2567", "dd/mm/yyyy in Buddhist Era, or yyyy-mm-dd"),
        "category": (
            "รหัสหมวด เช่น C02 หรือชื่อหมวด เช่น ไข่ (ดูชีต 'หมวด') — ถ้าเว้นว่างแต่มีรายการ ระบบจะเสนอหมวดให้ยืนยัน",
            "a category code such as C02 or its Thai name such as ไข่ (see the 'หมวด' sheet); "
            "left empty with an item, a category is suggested for a person to confirm",
        ),
        "item": ("สิ่งที่ซื้อหรือขายตามที่เขียน เช่น ซื้อไข่ไก่ 1 แผง", "the line as written, e.g. ซื้อไข่ไก่ 1 แผง"),
        "income": (
            "จำนวนเงินรายรับ (บาท) — กรอกช่องรายรับหรือรายจ่ายช่องเดียว",
            "income in baht; fill in income or expense, not both",
        ),
        "expense": (
            "จำนวนเงินรายจ่าย (บาท) — กรอกช่องรายรับหรือรายจ่ายช่องเดียว",
            "expense in baht; fill in income or expense, not both",
        ),
    }
}

SHEETS: dict[str, list[tuple[str, ss.SheetSpec]]] = {
    ImportJob.Kind.VILLAGES: [("หมู่บ้าน", VILLAGES)],
    ImportJob.Kind.HOUSEHOLDS: [("ครัวเรือน", HOUSEHOLDS), ("สมาชิก", MEMBERS)],
    ImportJob.Kind.WELFARE: [("ครัวเรือน", HOUSEHOLDS), ("สมาชิก", MEMBERS)],
    ImportJob.Kind.LEDGERS: [("บัญชีครัวเรือน", LEDGER)],
}

FILENAMES = {
    ImportJob.Kind.VILLAGES: "chumchon-villages.xlsx",
    ImportJob.Kind.HOUSEHOLDS: "chumchon-households.xlsx",
    ImportJob.Kind.WELFARE: "chumchon-welfare-registrants.xlsx",
    ImportJob.Kind.LEDGERS: "chumchon-household-accounts.xlsx",
}


def template_workbook(kind: str) -> bytes:
    """The empty template of an import kind, as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = book.add_format({"bold": True, "bg_color": "#E2EFE9", "border": 1})
    required = book.add_format({"bold": True, "bg_color": "#FCE8C8", "border": 1})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    explained: list[tuple[str, ss.Column]] = []
    for sheet_name, spec in SHEETS[ImportJob.Kind(kind)]:
        sheet = book.add_worksheet(sheet_name)
        for col, column in enumerate(spec.columns):
            sheet.write_string(0, col, column.th, required if column.required else header)
            sheet.set_column(col, col, max(12, len(column.th) + 4), text if column.field in TEXT_FIELDS else None)
            explained.append((sheet_name, column))
        sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("คำอธิบาย")
    for col, title in enumerate(("ชีต / sheet", "หัวคอลัมน์", "English header", "ต้องกรอก / required", "คำอธิบาย", "notes")):
        notes.write_string(0, col, title, header)
    kind_notes = KIND_NOTES.get(kind, {})
    for line, (sheet_name, column) in enumerate(explained, start=1):
        th, en = kind_notes.get(column.field) or NOTES.get(column.field, ("", ""))
        notes.write_string(line, 0, sheet_name)
        notes.write_string(line, 1, column.th)
        notes.write_string(line, 2, column.en)
        notes.write_string(line, 3, "ต้องกรอก / yes" if column.required else "")
        notes.write_string(line, 4, th, wrap)
        notes.write_string(line, 5, en, wrap)
    notes.set_column(0, 3, 18)
    notes.set_column(4, 5, 45)
    if kind == ImportJob.Kind.LEDGERS:
        _categories_sheet(book, header)
    if kind == ImportJob.Kind.WELFARE:
        notes.write_string(
            len(explained) + 2,
            0,
            "รายชื่อผู้ลงทะเบียนบัตรสวัสดิการแห่งรัฐ: ครัวเรือนจะเข้าทะเบียนเป็น 'ลงทะเบียนแล้ว ยังไม่ได้ตรวจสอบ' และถือบัตร",
        )
        notes.write_string(
            len(explained) + 3,
            0,
            "State welfare card registrants: households come in as registered, not yet verified, holding the card.",
        )
    book.close()
    return buffer.getvalue()


def _categories_sheet(book: xlsxwriter.Workbook, header: object) -> None:
    """The categories a ledger row may name, with their codes (the deployment's own too)."""
    sheet = book.add_worksheet("หมวด")
    for col, title in enumerate(("รหัส / code", "ชื่อหมวด", "name", "รายรับ/รายจ่าย · kind")):
        sheet.write_string(0, col, title, header)
    for line, category in enumerate(categories_all(), start=1):
        sheet.write_string(line, 0, category.code)
        sheet.write_string(line, 1, category.name_th)
        sheet.write_string(line, 2, category.name_en)
        sheet.write_string(line, 3, "รายรับ / income" if category.kind == "income" else "รายจ่าย / expense")
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 2, 36)
    sheet.set_column(3, 3, 20)
    sheet.freeze_panes(1, 0)


# --- which kind of file is this? ----------------------------------------------------

SNIFFED_SHEETS = 5  # a workbook's first sheets are enough to tell its kind
KIND_NAMES = {  # (Thai, English): the import kinds as the import page names them
    ImportJob.Kind.VILLAGES: ("ไฟล์หมู่บ้าน", "a villages file"),
    ImportJob.Kind.HOUSEHOLDS: ("ไฟล์ครัวเรือนและสมาชิก", "a households file"),
    ImportJob.Kind.WELFARE: ("ไฟล์ครัวเรือนและสมาชิก", "a households file"),
    ImportJob.Kind.LEDGERS: ("ไฟล์บัญชีครัวเรือน", "a household accounts file"),
}


def _header_row(sheet: ss.Sheet) -> list[str]:
    for raw in sheet.rows():
        if not all(ss.is_blank(cell) for cell in raw.cells):
            return [ss.normalize_header(ss.clean_text(ss.display(cell))) for cell in raw.cells]
    return []


def _score(spec: ss.SheetSpec, headers: list[str]) -> float:
    """The share of what ``spec`` requires (its required columns, one of each group)
    that these headers hold."""
    found = {column.field for key in headers if (column := spec.lookup.get(key)) is not None}
    wanted = [column.field for column in spec.columns if column.required]
    hits = sum(field in found for field in wanted)
    hits += sum(any(name in found for name in group.fields) for group in spec.groups)
    total = len(wanted) + len(spec.groups)
    return hits / total if total else 0.0


def workbook_kind(path: str, filename: str | None = None) -> str | None:
    """The import kind a file's header rows look like, or None when none fits well.

    Each kind is scored by its main sheet's requirements against each of the first
    sheets' header rows; it fits when at least three quarters of them are there. A
    households file and a welfare registrants file have the same columns: the answer is
    then the households kind.
    """
    try:
        with ss.open_workbook(path, filename=filename) as book:
            headers = [_header_row(sheet) for sheet in book.sheets[:SNIFFED_SHEETS]]
    except ss.SpreadsheetError:
        return None
    best, best_score = None, 0.0
    for kind in (ImportJob.Kind.VILLAGES, ImportJob.Kind.HOUSEHOLDS, ImportJob.Kind.LEDGERS):
        _name, spec = SHEETS[kind][0]
        score = max((_score(spec, row) for row in headers), default=0.0)
        if score > best_score:
            best, best_score = kind, score
    return str(best) if best is not None and best_score >= 0.75 else None


def wrong_kind_error(path: str, filename: str | None, kind: str) -> ss.RowError | None:
    """ "This looks like a households file": an error for the top of a refused job's
    report when the file fits another kind than the one chosen (None when it does not)."""
    found = workbook_kind(path, filename)
    if found is None or SHEETS[ImportJob.Kind(found)] == SHEETS[ImportJob.Kind(kind)]:
        return None
    (found_th, found_en), (kind_th, kind_en) = KIND_NAMES[ImportJob.Kind(found)], KIND_NAMES[ImportJob.Kind(kind)]
    text = ss.Text(
        f"ไฟล์นี้ดูเหมือน{found_th} ไม่ใช่{kind_th} — เลือกชนิดข้อมูลให้ตรงกับไฟล์แล้วนำเข้าใหม่",
        f"this looks like {found_en}, not {kind_en}: choose the kind of data that matches the file and import it again",
    )
    return ss.RowError(0, "", text)

"""``import ledgers``: layouts, cells, every kind of bad row, all-or-nothing, idempotency,
the polars path against the row path, the web import and the command as a process."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core import spreadsheet as ss
from chumchon.imports.models import ImportJob
from chumchon.imports.tests.sheets import (
    HOUSEHOLD_HEADERS_TH,
    household_row,
    nid,
    read_xlsx,
    thai_digits,
    write_csv,
    write_xlsx,
)
from chumchon.ledgers.imports import LedgerImportResult, ledger_import
from chumchon.ledgers.imports.sheet import KEY_FIELDS
from chumchon.ledgers.models import (
    AreaMonthCategory,
    Category,
    HouseholdMonth,
    HouseholdMonthCategory,
    LedgerEntry,
    PendingLine,
)
from chumchon.ledgers.rollups import rollups_verify
from chumchon.ledgers.services import LedgerError, category_add, month_close
from tests import factories

TAMBON = "370101"
OTHER = "370102"
TH = ["รหัสครัวเรือน", "วันที่", "หมวด", "รายการ", "รายรับ", "รายจ่าย"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def place(db):
    """Villages 1 and 2 of ต.บุ่ง with households H1, H2 (village 1) and H3 (village 2);
    X1 is a household of another tambon."""
    v1 = factories.village(TAMBON, 1, "บ้านบุ่ง")
    v2 = factories.village(TAMBON, 2, "บ้านหนองแก")
    for code, village in (("H1", v1), ("H2", v1), ("H3", v2)):
        factories.household(village, code=code, members=0)
    factories.household(factories.village(OTHER, 1), code="X1", members=0)
    return Area.objects.get(code=TAMBON)


def run(path: Path, **options: object) -> LedgerImportResult:
    return ledger_import(actor=Actor.system("test"), tambon=Area.objects.get(code=TAMBON), path=path, **options)


def entries() -> list[tuple[object, ...]]:
    return list(
        LedgerEntry.objects.order_by("id").values_list(
            "household__code", "date", "category_id", "item", "amount", "village_id", "source"
        )
    )


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Everything an import writes, in a comparable form."""
    return {
        "entries": sorted(
            LedgerEntry.objects.values_list(
                "import_key", "household__code", "date", "category_id", "item", "amount", "village_id",
                "province_code", "district_code", "tambon_code", "source",
            )
        ),
        "pending": sorted(
            PendingLine.objects.values_list(
                "import_key", "household__code", "date", "item", "amount", "kind", "suggested_category_id", "row"
            )
        ),
        "hm": sorted(HouseholdMonth.objects.values_list("household__code", "month", "entries", "income", "expense")),
        "hmc": sorted(HouseholdMonthCategory.objects.values_list("household_id", "month", "category_id", "amount", "entries")),
        "amc": sorted(AreaMonthCategory.objects.values_list("area_code", "month", "category_id", "amount", "entries")),
    }  # fmt: skip


def both_paths(path: Path, **options: object) -> tuple[dict[str, object], dict[str, list[tuple[object, ...]]]]:
    """Import with the polars path and with the row path, each undone afterwards; both
    must give the same answer and write the same rows. Returns them."""
    outcomes = []
    for fast in (True, False):
        with transaction.atomic():
            result = run(path, fast=fast, batch_bytes=200, batch_rows=3, **options)
            assert (result.fast_rows > 0) == fast or not result.accepted
            outcomes.append((result.to_json("en"), snapshot(), rollups_verify()))
            transaction.set_rollback(True)
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][2] == []
    return outcomes[0][0], outcomes[0][1]


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


# --- layouts and cells -------------------------------------------------------------------


def test_the_paper_form_with_thai_headers_digits_separators_and_names(place, tmp_path):
    path = write_csv(
        tmp_path / "บัญชี.csv",
        [
            TH,
            ["H1", "15/03/2567", "ไข่", "ซื้อไข่ไก่ 1 แผง", "", "๑๒๐"],
            ["H1", "16/03/2567", "C01", "ข้าวสาร", "", "1,250.50 บาท"],
            ["H2", thai_digits("01/04/2567"), "ค่าจ้าง/เงินเดือน", "ค่าแรงรับจ้าง", thai_digits("3,000"), ""],
            ["H3", "2024-04-02", "c13", " น้ำมัน  รถ ", "", " 200 "],
            ["H3", "3/4/2567", "ค่าไฟ", "", "", "฿450.-"],
            ["H3", "04.04.2567", "ค่า ไฟ", "", "", "1,250.-บาท"],
        ],
    )
    answer, _ = both_paths(path)
    assert answer == {"accepted": 6, "rejected": 0, "created": 6, "unchanged": 0, "pending": 0, "errors": []}
    result = run(path)
    assert result.completed and result.fast_rows == 6
    v1, v2 = f"{TAMBON}01", f"{TAMBON}02"
    assert entries() == [
        ("H1", dt.date(2024, 3, 15), "C02", "ซื้อไข่ไก่ 1 แผง", Decimal("120.00"), v1, "import"),
        ("H1", dt.date(2024, 3, 16), "C01", "ข้าวสาร", Decimal("1250.50"), v1, "import"),
        ("H2", dt.date(2024, 4, 1), "I01", "ค่าแรงรับจ้าง", Decimal("3000.00"), v1, "import"),
        ("H3", dt.date(2024, 4, 2), "C13", "น้ำมัน รถ", Decimal("200.00"), v2, "import"),
        ("H3", dt.date(2024, 4, 3), "C11", "", Decimal("450.00"), v2, "import"),
        ("H3", dt.date(2024, 4, 4), "C11", "", Decimal("1250.00"), v2, "import"),
    ]
    assert list(
        HouseholdMonth.objects.filter(household__code="H1").values_list("month", "entries", "income", "expense")
    ) == [(dt.date(2024, 3, 1), 2, 0, 137050)]
    assert rollups_verify() == []
    event = AuditEvent.objects.get(object_type="ledger_entries", action="import")
    assert (event.area_code, event.detail["created"], event.detail["file"]) == (TAMBON, 6, "บัญชี.csv")


def test_one_amount_column_english_headers_excel_dates_and_cells(place, tmp_path):
    path = write_xlsx(
        tmp_path / "accounts.xlsx",
        {
            "Sheet1": [
                ["amount", "household", "date", "category", "item", "note"],
                [120.5, "H1", dt.date(2024, 3, 15), "Eggs", "ไข่", "from the shop"],
                [15000, "H2", "15/03/2567", "I01", "เงินเดือน", None],
                ["80", "H2", dt.date(2567, 3, 16), "ผัก/ผลไม้", "ผักบุ้ง", None],  # typed in BE into a date cell
                ["1,000", "H3", "2024-03-17 08:30", "F05", "กู้ ธ.ก.ส.", None],
            ]
        },
    )
    result = run(path)
    assert result.to_json("en") == {
        "accepted": 4,
        "rejected": 0,
        "created": 4,
        "unchanged": 0,
        "pending": 0,
        "errors": [],
        "warnings": ["unknown column 'note' ignored"],
    }
    assert result.fast_rows == 0  # a workbook is read row by row
    assert [(code, day, category, amount) for code, day, category, _, amount, _, _ in entries()] == [
        ("H1", dt.date(2024, 3, 15), "C02", Decimal("120.50")),
        ("H2", dt.date(2024, 3, 15), "I01", Decimal("15000.00")),
        ("H2", dt.date(2024, 3, 16), "C03", Decimal("80.00")),
        ("H3", dt.date(2024, 3, 17), "F05", Decimal("1000.00")),
    ]
    h2 = HouseholdMonth.objects.get(household__code="H2")
    assert (h2.income, h2.expense) == (1500000, 8000)
    assert HouseholdMonth.objects.get(household__code="H3").income == 0  # a loan received is not income
    assert rollups_verify() == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "tis-620"])
def test_tis620_and_utf8_with_bom_read_like_utf8(place, tmp_path, encoding):
    rows = [
        TH,
        ["H1", "15/03/2567", "ไข่", "ซื้อไข่ไก่ ๒ แผง", "", "240"],
        ["H2", "16/03/2567", "", "ขายหมู 2 ตัว", "9,000.00", ""],
        ["H2", "17/03/2567", "ค่าน้ำ/ค่าไฟ", "ค่าไฟเดือนมีนา", "", "๕๐๐ บาท"],
    ]
    utf8 = both_paths(write_csv(tmp_path / "utf8.csv", rows))
    other = both_paths(write_csv(tmp_path / f"{encoding}.csv", rows, encoding=encoding))
    assert other == utf8
    assert utf8[0]["created"] == 2 and utf8[0]["pending"] == 1


def test_a_deployments_sub_category_by_code_and_by_name(place, tmp_path):
    parent = Category.objects.get(code="C04")
    category_add(actor=Actor.system("test"), parent=parent, code="C041", name_th="ปลาจากหนองน้ำ")
    path = write_csv(
        tmp_path / "sub.csv",
        [TH, ["H1", "15/03/2567", "C041", "ปลาช่อน", "", "60"], ["H1", "15/03/2567", "ปลาจากหนองน้ำ", "ปลาดุก", "", "40"]],
    )
    answer, written = both_paths(path)
    assert answer["created"] == 2
    assert [row[3] for row in written["entries"]] == ["C041", "C041"]


# --- bad rows ----------------------------------------------------------------------------


def bad_rows(place: Area) -> list[list[object]]:
    month_close(actor=Actor.system("test"), village=Area.objects.get(code=f"{TAMBON}01"), month=dt.date(2024, 2, 1))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return [
        TH,
        ["H9", "15/03/2567", "C02", "ไข่", "", "10"],  # 2 unknown household
        ["X1", "15/03/2567", "C02", "ไข่", "", "10"],  # 3 a household of another tambon
        ["H1", "15/03/2567", "ไข่", "ขายไข่", "100", ""],  # 4 income column, expense category
        ["H1", "15/03/2567", "C02", "ไข่", "100", "100"],  # 5 both money columns
        ["H1", "15/03/2567", "C02", "ไข่", "", ""],  # 6 no money
        ["H1", "10/02/2567", "C02", "ไข่", "", "50"],  # 7 closed month
        ["H2", be(tomorrow), "C02", "ไข่", "", "50"],  # 8 future date
        ["H1", "15/03/2567", "C99", "ไข่", "", "10"],  # 9 unknown category
        ["H1", "15/03/2567", "C02", "ไข่", "", "-5"],  # 10 negative
        ["H1", "15/03/2567", "C02", "ไข่", "", "0"],  # 11 zero
        ["H1", "31/02/2567", "C02", "ไข่", "", "10"],  # 12 no such day
        ["H1", "15/03/2567", "", "", "", "10"],  # 13 neither category nor item
        ["H1", "15/03/2567", "C02", "ไข่", "", "10"],  # 14 good
        [],  # 15 blank: skipped
        ["H2", "15/03/2567", "", "ซื้อไข่ไก่", "", "120"],  # 16 good, waits for a category
    ]


def expected_errors(lang: str) -> list[dict[str, object]]:
    tomorrow = be(timezone.localdate() + dt.timedelta(days=1))
    th = {
        2: ("รหัสครัวเรือน", "ไม่พบรหัสครัวเรือน 'H9' ในทะเบียนของ ต.บุ่ง"),
        3: ("รหัสครัวเรือน", "ไม่พบรหัสครัวเรือน 'X1' ในทะเบียนของ ต.บุ่ง"),
        4: ("รายรับ", "หมวด C02 ไข่ เป็นหมวดรายจ่าย แต่จำนวนเงินอยู่ในช่อง 'รายรับ'"),
        5: ("รายรับ / รายจ่าย", "กรอกได้เพียงช่องเดียวใน 'รายรับ', 'รายจ่าย'"),
        6: ("รายรับ / รายจ่าย", "ต้องกรอก 'รายรับ', 'รายจ่าย' อย่างใดอย่างหนึ่ง"),
        7: ("วันที่", "บัญชีเดือนกุมภาพันธ์ 2567 ของหมู่ 1 บ้านบุ่ง ปิดแล้ว — ให้เจ้าหน้าที่ตำบลเปิดเดือนก่อนจึงจะนำเข้าได้"),
        8: ("วันที่", f"วันที่ {tomorrow} อยู่ในอนาคต"),
        9: ("หมวด", "ไม่พบ 'C99' ในรายการ (ใช้รหัส เช่น C02 หรือชื่อ เช่น ไข่)"),
        10: ("รายจ่าย", "จำนวนเงินต้องไม่ติดลบ (-5)"),
        11: ("รายจ่าย", "จำนวนเงินต้องมากกว่า 0"),
        12: ("วันที่", "วันที่ '31/02/2567' ไม่มีอยู่จริง"),
        13: ("หมวด / รายการ", "ต้องกรอก 'หมวด', 'รายการ' อย่างใดอย่างหนึ่ง"),
    }
    en = {
        2: "household 'H9' is not registered in Bung Subdistrict",
        3: "household 'X1' is not registered in Bung Subdistrict",
        4: "category C02 (Eggs) is an expense category, but the amount is in the 'รายรับ' column",
        5: "fill in only one of 'รายรับ', 'รายจ่าย'",
        6: "fill in one of 'รายรับ', 'รายจ่าย'",
        7: "the accounts of February 2567 are closed for Moo 1 บ้านบุ่ง; the tambon staff must reopen the month before importing",
        8: f"the date {tomorrow} is in the future",
        9: "'C99' is not in the list (use a code such as C02 or a name such as ไข่)",
        10: "the amount must not be negative (-5)",
        11: "the amount must be more than 0",
        12: "'31/02/2567' is not a real date",
        13: "fill in one of 'หมวด', 'รายการ'",
    }
    return [
        {"row": row, "column": column, "message": message if lang == "th" else en[row]}
        for row, (column, message) in th.items()
    ]


def test_every_bad_row_is_named_by_row_column_and_reason_and_nothing_is_written(place, tmp_path):
    path = write_csv(tmp_path / "bad.csv", bad_rows(place))
    audit = AuditEvent.objects.count()
    answer, written = both_paths(path)
    assert answer == {
        "accepted": 2,
        "rejected": 12,
        "created": 0,
        "unchanged": 0,
        "pending": 0,
        "errors": expected_errors("en"),
    }
    result = run(path)
    assert not result.completed
    assert result.to_json()["errors"] == expected_errors("th")
    assert written == {"entries": [], "pending": [], "hm": [], "hmc": [], "amc": []}
    assert (LedgerEntry.objects.count(), PendingLine.objects.count(), HouseholdMonth.objects.count()) == (0, 0, 0)
    assert AuditEvent.objects.count() == audit


def test_skip_invalid_writes_the_good_rows_and_reports_the_bad(place, tmp_path):
    path = write_csv(tmp_path / "bad.csv", bad_rows(place))
    answer, written = both_paths(path, skip_invalid=True)
    assert answer == {
        "accepted": 2,
        "rejected": 12,
        "created": 1,
        "unchanged": 0,
        "pending": 1,
        "errors": expected_errors("en"),
    }
    assert [(row[1], row[3]) for row in written["entries"]] == [("H1", "C02")]
    assert [(row[1], row[3], row[6], row[7]) for row in written["pending"]] == [("H2", "ซื้อไข่ไก่", "C02", 16)]


def test_a_file_that_cannot_be_imported(place, tmp_path):
    no_money = write_csv(tmp_path / "x.csv", [["รหัสครัวเรือน", "วันที่", "หมวด"], ["H1", "15/03/2567", "C02"]])
    result = run(no_money)
    assert not result.completed
    assert result.to_json("en")["errors"] == [
        {
            "row": 1,
            "column": "จำนวนเงิน / รายรับ / รายจ่าย",
            "message": "at least one of the columns 'จำนวนเงิน', 'รายรับ', 'รายจ่าย' is needed",
        }
    ]
    assert run(tmp_path / "missing.csv").to_json("en")["errors"] == [
        {"row": 0, "column": "", "message": "the file 'missing.csv' does not exist"}
    ]


def test_only_people_who_may_write_the_tambons_accounts_may_import(place, tmp_path):
    path = write_csv(tmp_path / "a.csv", [TH, ["H1", "15/03/2567", "C02", "ไข่", "", "10"]])
    volunteer = factories.user(Role.VOLUNTEER, f"{TAMBON}01")
    other = factories.user(Role.TAMBON_STAFF, OTHER)
    for user in (volunteer, other):
        with pytest.raises(LedgerError):
            ledger_import(actor=Actor(user=user), tambon=place, path=path)
    assert LedgerEntry.objects.count() == 0
    staff = factories.user(Role.TAMBON_STAFF, TAMBON)
    assert ledger_import(actor=Actor(user=staff), tambon=place, path=path).created == 1
    assert LedgerEntry.objects.get().created_by == staff


# --- idempotency ---------------------------------------------------------------------------


def test_the_same_file_twice_adds_nothing_and_an_overlapping_file_only_its_new_rows(place, tmp_path):
    rows = [
        TH,
        ["H1", "15/03/2567", "C02", "ไข่", "", "10"],
        ["H1", "15/03/2567", "C02", "ไข่", "", "10"],  # bought twice: two lines
        ["H2", "15/03/2567", "C01", "ข้าวสาร", "", "250"],
        ["H2", "16/03/2567", "", "ขายหมู", "3000", ""],
    ]
    first = run(write_csv(tmp_path / "a.csv", rows))
    assert (first.created, first.pending, first.unchanged) == (3, 1, 0)
    assert LedgerEntry.objects.filter(household__code="H1").count() == 2
    assert rollups_verify() == []

    again = run(write_xlsx(tmp_path / "a.xlsx", {"s": rows}))  # the same rows, as a workbook
    assert (again.created, again.pending, again.unchanged, again.completed) == (0, 0, 4, True)

    overlapping = [
        TH,
        ["H2", "15/03/2567", "C01", "ข้าวสาร", "", "250.00"],  # the same line, written differently
        ["H1", "15/03/2567", "c02", " ไข่ ", "", "๑๐"],
        ["H1", "15/03/2567", "ไข่", "ไข่", "", "10.-"],
        ["H1", "15/03/2567", "C02", "ไข่", "", "10"],  # a third identical line: new
        ["H3", "17/03/2567", "C11", "ค่าไฟ", "", "300"],  # new
    ]
    answer, _ = both_paths(write_csv(tmp_path / "b.csv", overlapping))
    assert (answer["created"], answer["unchanged"]) == (2, 3)
    third = run(write_csv(tmp_path / "b.csv", overlapping))
    assert (third.created, third.unchanged) == (2, 3)
    assert LedgerEntry.objects.count() == 5
    assert LedgerEntry.objects.filter(household__code="H1").count() == 3
    assert rollups_verify() == []


def test_lines_written_meanwhile_by_another_import_stop_the_import_with_nothing_saved(place, tmp_path, monkeypatch):
    from chumchon.ledgers.imports import write

    path = write_csv(tmp_path / "a.csv", [TH, ["H1", "15/03/2567", "C02", "ไข่", "", "10"]])
    assert run(path).created == 1
    # As if another import had stored the line after this one looked: the unique key refuses it.
    monkeypatch.setattr(write, "existing_keys", lambda table, keys: set())
    second = run(
        write_csv(
            tmp_path / "b.csv",
            [TH, ["H2", "15/03/2567", "C02", "ไข่", "", "10"], *[["H1", "15/03/2567", "C02", "ไข่", "", "10"]]],
        )
    )
    assert not second.completed
    assert second.to_json("en")["errors"] == [
        {
            "row": 0,
            "column": "",
            "message": "the same accounts were being imported at the same time, so nothing was saved; "
            "please import the file again",
        }
    ]
    assert list(LedgerEntry.objects.values_list("household__code", flat=True)) == ["H1"]
    assert rollups_verify() == []


def test_keys_are_the_toolkits_fingerprints_with_occurrence_numbers(place, tmp_path):
    rows = [
        TH,
        ["H1", "15/03/2567", "C02", "ไข่", "", "10"],
        ["H2", "15/03/2567", "C02", "ไข่", "", "10"],
        ["H1", "15/03/2567", "C02", "ไข่", "", "10"],
        ["H1", "15/03/2567", "C02", "ไข่", "", "10.50"],
        ["H1", "15/03/2567", "C02", "", "", "10"],
    ]
    run(write_csv(tmp_path / "k.csv", rows), batch_bytes=60)
    keys = ss.Fingerprinter(KEY_FIELDS, namespace=f"ledger:{TAMBON}")
    expected = [
        keys(
            {
                "household": code,
                "date": dt.date(2024, 3, 15),
                "category": "C02",
                "item": item,
                "amount": Decimal(amount),
            }
        )
        for code, _, _, item, _, amount in rows[1:]
    ]
    assert list(LedgerEntry.objects.order_by("id").values_list("import_key", flat=True)) == expected
    assert len(set(expected)) == 5


# --- the two paths ---------------------------------------------------------------------------


def test_the_polars_path_and_the_row_path_give_the_same_result(place, tmp_path):
    """Rows the polars path reads itself and rows it leaves to the row path, mixed."""
    rows = [
        TH,
        ["H1", "15/03/2567", "C02", "ไข่", "", "10"],
        ['="H1"', "15 มี.ค. 2567", "C02", "ไข่ (ตลาด)", "", "(5)"],  # Excel text, month name; negative
        ["H1", "15/03/2567", "C02", 'ไข่ "เบอร์ 0"', "-", "12"],  # quotes in the item; a dash
        ["H2", "2024-03-15T10:00", "C01", "ข้าว\u00a0สาร", "", "+40"],  # time; no-break space; plus sign
        ["H2", "15/03/2567", "C01", "\u200bข้าวสาร", "", ".5"],  # zero-width space; .5
        [" ", "", "", "", "", ""],  # blank
        ["H2", "15/03/2567", "C01", "ข้าวสาร", "", "1,25"],  # ambiguous separator
        ["H3", "15/03/2567", "C99", "", "", "10"],
        ["H3", "15/03/2567", "", "ซื้อหวย", "", "80"],  # pending
        ["H3", "15/03/2567", "", "ขายไข่", "", "80"],  # pending, expense column: no income category
        ["H3", "15/03/2567", "", "ข้าวเปลือก", "5,000", ""],
        ["H3", "15/03/2567", "I02", "x" * 201, "5,000", ""],  # item too long
        ["H3", "15/03/2567", "I02", "ข้าว", "5,000", "", "an extra cell"],
        ["H2", "15/03/2567", "C05", "ก๋วยเตี๋ยว", "", "1234567890123"],  # too large
        ["H2", "15/03/2567", "C05", "ก๋วยเตี๋ยว", "", "1.234"],  # three places
        ["H2", "15/03/67", "C05", "ก๋วยเตี๋ยว", "", "50"],  # two-digit year
        ["H2", "15/3/2567", "c05", "ก๋วยเตี๋ยว", "", "50"],
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    for skip in (False, True):
        answer, written = both_paths(path, skip_invalid=skip)
        assert (answer["accepted"], answer["rejected"]) == (9, 7)
        assert [error["row"] for error in answer["errors"]] == [3, 8, 9, 13, 15, 16, 17]
    assert [row[3] for row in written["entries"]].count("C01") == 2
    assert {(row[3], row[5], row[6]) for row in written["pending"]} == {
        ("ข้าวเปลือก", "income", "I02"),
        ("ขายไข่", "expense", None),  # sold, yet in the expense column: no category of that kind fits
        ("ซื้อหวย", "expense", "C10"),
    }


def test_a_file_polars_refuses_part_way_is_finished_by_the_row_path(place, tmp_path):
    rows = [TH] + [["H1", f"{day:02d}/03/2567", "C02", "ไข่", "", str(day)] for day in range(1, 21)]
    rows[15][3] = 'ไข่ x"y'  # a quote inside an unquoted cell: Python's csv reads it, polars refuses
    path = tmp_path / "quotes.csv"
    path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    answer, written = both_paths(path)
    assert answer["created"] == 20
    assert 'ไข่ x"y' in [row[4] for row in written["entries"]]


def test_blank_lines_old_mac_line_ends_and_other_delimiters(place, tmp_path):
    lines = ["รหัสครัวเรือน;วันที่;หมวด;รายการ;รายจ่าย", "H1;15/03/2567;C02;ไข่;10", "", "H2;16/03/2567;C01;ข้าว;20"]
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    answer, _ = both_paths(semicolons)
    assert answer["created"] == 2
    mac = tmp_path / "mac.csv"
    mac.write_bytes("\r".join(lines).encode("utf-8"))
    result = run(mac)
    assert (result.created, result.fast_rows) == (2, 0)


# --- the web import ---------------------------------------------------------------------------


@pytest.fixture
def web(client, settings, tmp_path, place):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "m"}},
    }
    user = factories.user(Role.TAMBON_STAFF, TAMBON, username="staff")
    client.force_login(user)
    return client


def upload(path: Path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(path.name, path.read_bytes())


def test_the_web_import_runs_in_the_background_and_links_to_the_review(web, tmp_path):
    page = web.get(reverse("imports:page", args=[TAMBON]))
    assert reverse("imports:template", args=["ledgers"]) in page.text
    path = write_csv(
        tmp_path / "บัญชี.csv",
        [TH, ["H1", "15/03/2567", "C02", "ไข่", "", "10"], ["H2", "15/03/2567", "", "ซื้อข้าวสาร", "", "250"]],
    )
    response = web.post(reverse("imports:page", args=[TAMBON]), {"kind": "ledgers", "file": upload(path)})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.status, job.kind, job.accepted, job.created_rows, job.pending_rows) == ("done", "ledgers", 2, 1, 1)
    assert (job.total_rows, job.processed_rows) == (2, 2)
    detail = web.get(response["Location"]).text
    assert reverse("ledgers:review", args=[TAMBON]) in detail
    assert 'class="message info import-review"' in detail
    assert PendingLine.objects.get().suggested_category_id == "C01"


def test_a_bad_file_from_the_web_writes_nothing_and_offers_the_error_report(web, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [TH, ["H9", "15/03/2567", "C02", "ไข่", "", "10"], ["H1", "15/03/2567", "C02", "ไข่", "", "10"]],
    )
    web.post(reverse("imports:page", args=[TAMBON]), {"kind": "ledgers", "file": upload(path)})
    job = ImportJob.objects.get()
    assert (job.status, job.accepted, job.rejected, job.created_rows) == ("rejected", 1, 1, 0)
    assert job.errors[0]["th"] == "ไม่พบรหัสครัวเรือน 'H9' ในทะเบียนของ ต.บุ่ง"
    report = web.get(reverse("imports:errors_xlsx", args=[job.pk]))
    rows = read_xlsx(b"".join(report.streaming_content))
    assert rows[1][:3] == [2, "รหัสครัวเรือน", "ไม่พบรหัสครัวเรือน 'H9' ในทะเบียนของ ต.บุ่ง"]
    assert LedgerEntry.objects.count() == 0


def test_the_empty_template_has_the_paper_forms_headers_and_imports_cleanly(web, tmp_path):
    response = web.get(reverse("imports:template", args=["ledgers"]))
    assert response["Content-Type"] == XLSX
    assert read_xlsx(response.content, 0) == [TH]
    categories = read_xlsx(response.content, 2)
    assert ["C02", "ไข่", "Eggs", "รายจ่าย / expense"] in categories
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    result = run(path)
    assert (result.completed, result.accepted, result.report.warnings) == (True, 0, [])


# --- the command, as a real process ----------------------------------------------------------


def test_the_command_exit_codes_and_one_json_document(tmp_path):
    env = {**os.environ, "CHUMCHON_VAR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    chumchon = [sys.executable, "-m", "chumchon.cli"]

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*chumchon, *args], env=env, capture_output=True, text=True, timeout=300)

    assert call("init", "--json").returncode == 0
    villages = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "บ้านบุ่ง"]])
    assert call("import", "villages", str(villages), "--tambon", TAMBON).returncode == 0
    households = write_csv(tmp_path / "h.csv", [HOUSEHOLD_HEADERS_TH, household_row("H1", 1, nid(1))])
    assert call("import", "households", str(households), "--tambon", TAMBON).returncode == 0

    good = write_csv(
        tmp_path / "a.csv",
        [TH, ["H1", "15/03/2567", "C02", "ไข่", "", "10"], ["H1", "16/03/2567", "", "ค่าไฟ", "", "300"]],
    )
    ok = call("import", "ledgers", str(good), "--tambon", TAMBON, "--json")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("\n") == 1
    assert json.loads(ok.stdout) == {
        "accepted": 2, "rejected": 0, "created": 1, "unchanged": 0, "pending": 1, "errors": [],
    }  # fmt: skip
    again = call("import", "ledgers", str(good), "--tambon", TAMBON, "--json")
    assert json.loads(again.stdout)["unchanged"] == 2

    bad = write_csv(tmp_path / "b.csv", [TH, ["H1", "15/03/2567", "C02", "ไข่", "10", "10"]])
    refused = call("import", "ledgers", str(bad), "--tambon", TAMBON, "--json", "--lang", "en")
    assert refused.returncode == 3
    assert refused.stdout.count("\n") == 1
    assert json.loads(refused.stdout) == {
        "accepted": 0,
        "rejected": 1,
        "created": 0,
        "unchanged": 0,
        "pending": 0,
        "errors": [{"row": 2, "column": "รายรับ / รายจ่าย", "message": "fill in only one of 'รายรับ', 'รายจ่าย'"}],
    }
    assert "nothing was written" in refused.stderr
    text = call("import", "ledgers", str(good), "--tambon", TAMBON)
    assert text.returncode == 0 and "/ledgers/review/370101/" not in text.stdout  # nothing new waits

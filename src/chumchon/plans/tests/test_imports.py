"""``import plans``: Thai and English headers, every bad row named by its row and column,
all-or-nothing unless skip-invalid, re-imports that never duplicate, and the command's
exit codes."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.imports.tests.sheets import thai_digits, write_csv, write_xlsx
from chumchon.plans.imports import plans_import
from chumchon.plans.models import ItemChange, ItemPerson, Plan, PlanItem, Status
from tests import factories

pytestmark = pytest.mark.django_db

TAMBON = "370101"
TH = ["หมู่ที่", "ชื่อโครงการ/กิจกรรม", "ปัญหา", "ผู้ดำเนินการ", "ด้าน", "ประเภท", "ครัวเรือนเป้าหมาย", "งบประมาณ",
      "ปีงบประมาณ", "ผู้รับผิดชอบ", "สถานะ"]  # fmt: skip
EN = ["village_no", "title", "problem", "actor", "domain", "kind", "households", "cost", "fiscal_year", "owner",
      "status"]  # fmt: skip


@pytest.fixture(autouse=True)
def _april_2024():
    """The clock is pinned to April 2024 (fiscal year 2567)."""
    with time_machine.travel(dt.datetime(2024, 4, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def tambon() -> Area:
    factories.village(TAMBON, 1)
    factories.village(TAMBON, 2)
    return Area.objects.get(code=TAMBON)


def system() -> Actor:
    return Actor.system("test")


def run(path, tambon, **kw):  # type: ignore[no-untyped-def]
    return plans_import(actor=kw.pop("actor", system()), tambon=tambon, path=path, filename=path.name, **kw)


def items() -> list[tuple[object, ...]]:
    return list(
        PlanItem.objects.order_by("village_code", "title").values_list(
            "plan__area_id", "village_code", "title", "actor", "domain", "kind", "households", "cost",
            "fiscal_year", "status", "problem_text",
        )
    )  # fmt: skip


def chumchon(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_thai_headers_in_any_order_with_thai_digits_separators_and_baht(tmp_path, tambon):
    # Columns shuffled, an extra column, Thai digits, separators, บาท, Thai labels.
    order = [8, 1, 3, 0, 7, 6, 4, 5, 2, 9, 10]
    header = [TH[i] for i in order] + ["หมายเหตุ"]
    rows = [
        ["1", "ถนนเข้าหมู่บ้าน", "ถนนเป็นหลุม", "ขอให้ อปท. ร่วมด้วย", "ที่อยู่อาศัย", "โครงสร้างพื้นฐาน", "๔๐",
         "๕๐,๐๐๐ บาท", "๒๕๖๗", "นายหนึ่ง", "รับหลักการ", "ด่วน"],
        ["", "กลุ่มเลี้ยงไก่ไข่ตำบล", "ซื้อไข่มาก", "ทำร่วมกันเป็นกลุ่ม", "เศรษฐกิจ/อาชีพ", "คุณภาพชีวิต", "12",
         "", "2567", "", "", ""],
        ["หมู่ 2", "ปลูกผักกินเอง", "", "ครัวเรือนดำเนินการเอง", "สุขภาพ", "", "", "-", "2567", "", "", ""],
    ]  # fmt: skip
    path = write_csv(tmp_path / "plan.csv", [header, *[[r[i] for i in order] + [r[11]] for r in rows]])
    result = run(path, tambon)
    assert result.to_json() == {
        "accepted": 3,
        "rejected": 0,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "warnings": ["ไม่รู้จักคอลัมน์ 'หมายเหตุ' — ข้ามไป"],
    }
    assert items() == [
        (TAMBON, "", "กลุ่มเลี้ยงไก่ไข่ตำบล", "group", "economy", "quality_of_life", 12, Decimal("0.00"), 2567,
         "under_consideration", "ซื้อไข่มาก"),
        (f"{TAMBON}01", f"{TAMBON}01", "ถนนเข้าหมู่บ้าน", "local_government", "housing", "infrastructure", 40,
         Decimal("50000.00"), 2567, "adopted_in_principle", "ถนนเป็นหลุม"),
        (f"{TAMBON}02", f"{TAMBON}02", "ปลูกผักกินเอง", "household", "health", "", 0, Decimal("0.00"), 2567,
         "under_consideration", ""),
    ]  # fmt: skip
    road = PlanItem.objects.get(title="ถนนเข้าหมู่บ้าน")
    assert road.amount_asked == Decimal("50000.00")
    assert list(road.people.values_list("name", "role")) == [("นายหนึ่ง", ItemPerson.Role.MAIN)]
    # The status went the way a person's clicks go: created, then moved, both kept.
    assert list(road.changes.values_list("from_status", "to_status")) == [
        ("", "under_consideration"),
        ("under_consideration", "adopted_in_principle"),
    ]
    assert Plan.objects.get(area_id=TAMBON, fiscal_year=2567).level == "tambon"


def test_english_headers_and_codes_in_an_xlsx(tmp_path, tambon):
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        {
            "items": [
                EN,
                [2, "Clean water", "", "agency", "health", "infrastructure", 35, 120000.5, 2568, "Ms Two",
                 "declined"],
            ]
        },
    )  # fmt: skip
    refused = run(path, tambon)
    assert refused.rejected
    assert refused.to_json()["errors"] == [
        {"row": 2, "column": "status", "message": "สถานะ 'ไม่ได้รับการสนับสนุน' ต้องมีเหตุผล — กรอกในคอลัมน์ 'เหตุผล'"}
    ]
    assert not PlanItem.objects.exists()
    path = write_xlsx(
        tmp_path / "plan2.xlsx",
        {
            "items": [
                [*EN, "reason"],
                [2, "Clean water", "", "agency", "health", "infrastructure", 35, 120000.5, 2568, "Ms Two",
                 "declined", "no budget this year"],
            ]
        },
    )  # fmt: skip
    result = run(path, tambon)
    assert (result.completed, result.created) == (True, 1)
    item = PlanItem.objects.get()
    assert (item.village_code, item.cost, item.fiscal_year, item.status, item.status_reason) == (
        f"{TAMBON}02", Decimal("120000.50"), 2568, Status.DECLINED, "no budget this year"
    )  # fmt: skip


def bad_rows() -> list[list[object]]:
    return [
        TH,
        ["1", "ถนนเข้าหมู่บ้าน", "", "ขอให้ อปท. ร่วมด้วย", "", "", "40", "50000", "2567", "", ""],  # good
        ["1", "ประปา", "", "ขอให้ส่วนราชการช่วย", "", "", "", "", "2567", "", ""],  # no cost
        ["7", "ตลาดชุมชน", "", "ทำร่วมกันเป็นกลุ่ม", "", "", "", "", "2567", "", ""],  # no such village
        ["2", "ปลูกผัก", "", "ครัวเรือนดำเนินการเอง", "", "", "", "", "2024", "", ""],  # a CE year
        ["2", "เลี้ยงปลา", "", "ชาวบ้าน", "กีฬา", "", "-3", "", "2567", "", "เสร็จ"],  # four bad cells
        ["๑", " ถนนเข้าหมู่บ้าน  ", "", "ทำร่วมกันเป็นกลุ่ม", "", "", "", "", "2567", "", ""],  # repeats row 2
        ["2", "ปลูกผัก", "", "ครัวเรือนดำเนินการเอง", "", "", "", "", "2568", "", ""],  # good
    ]


BAD_ROW_ERRORS = [
    {"row": 3, "column": "งบประมาณ", "message": "ผู้ดำเนินการ 'ขอให้ส่วนราชการช่วย' ต้องระบุงบประมาณ (มากกว่า 0 บาท)"},
    {"row": 4, "column": "หมู่ที่", "message": "ไม่พบหมู่ที่ 7 ใน ต.บุ่ง — นำเข้าหรือเพิ่มหมู่บ้านก่อน"},
    {
        "row": 5,
        "column": "ปีงบประมาณ",
        "message": "ปี 2024 ไม่ใช่ปี พ.ศ. — ปีงบประมาณต้องเป็น พ.ศ. เช่น 2568 (ระบบไม่เดาให้: ถ้าเป็น ค.ศ. 2024 คือ พ.ศ. 2567)",
    },
    {
        "row": 6,
        "column": "ผู้ดำเนินการ",
        "message": "ไม่พบ 'ชาวบ้าน' ในรายการ (ใช้รหัส เช่น household หรือชื่อ เช่น ครัวเรือนดำเนินการเอง)",
    },
    {
        "row": 6,
        "column": "ด้าน",
        "message": "ไม่พบ 'กีฬา' ในรายการ (ใช้รหัส เช่น economy หรือชื่อ เช่น เศรษฐกิจ/อาชีพ)",
    },
    {"row": 6, "column": "ครัวเรือนเป้าหมาย", "message": "'-3' ต้องไม่น้อยกว่า 0"},
    {
        "row": 6,
        "column": "สถานะ",
        "message": "ไม่พบ 'เสร็จ' ในรายการ (ใช้รหัส เช่น under_consideration หรือชื่อ เช่น อยู่ระหว่างการพิจารณา)",
    },
    {
        "row": 7,
        "column": "ชื่อโครงการ/กิจกรรม",
        "message": "ซ้ำกับแถว 2 (หมู่ที่ ชื่อโครงการ/กิจกรรม และปีงบประมาณเดียวกัน)",
    },
]


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(tmp_path, tambon):
    path = write_csv(tmp_path / "bad.csv", bad_rows())
    result = run(path, tambon)
    assert result.rejected
    assert result.to_json() == {
        "accepted": 2, "rejected": 5, "created": 0, "updated": 0, "unchanged": 0, "errors": BAD_ROW_ERRORS,
    }  # fmt: skip
    assert not PlanItem.objects.exists()
    assert not Plan.objects.exists()  # the good rows' plans went back too
    assert not ItemChange.objects.exists()
    english = result.to_json("en")["errors"]
    assert english[2] == {
        "row": 5,
        "column": "ปีงบประมาณ",
        "message": "2024 is not a Buddhist Era year; fiscal years are Buddhist Era, e.g. 2568 "
        "(it is not guessed: 2024 CE would be 2567 BE)",
    }


def test_skip_invalid_writes_the_good_rows_only(tmp_path, tambon):
    path = write_csv(tmp_path / "bad.csv", bad_rows())
    result = run(path, tambon, skip_invalid=True)
    assert result.completed
    assert result.to_json() == {
        "accepted": 2, "rejected": 5, "created": 2, "updated": 0, "unchanged": 0, "errors": BAD_ROW_ERRORS,
    }  # fmt: skip
    assert [(i[1], i[2], i[8]) for i in items()] == [
        (f"{TAMBON}01", "ถนนเข้าหมู่บ้าน", 2567),
        (f"{TAMBON}02", "ปลูกผัก", 2568),
    ]
    # Every row bad: nothing is written, even with skip-invalid.
    only_bad = write_csv(tmp_path / "only-bad.csv", [TH, bad_rows()[3]])
    assert run(only_bad, tambon, skip_invalid=True).rejected


def test_a_four_digit_year_below_2400_and_others_not_a_be_year(tmp_path, tambon):
    rows = [TH] + [
        ["1", f"งาน {n}", "", "household", "", "", "", "", year, "", ""]
        for n, year in enumerate(["2399", "67", "2701", "ปีหน้า", thai_digits("2568"), "พ.ศ. 2569"])
    ]
    result = run(write_csv(tmp_path / "years.csv", rows), tambon, skip_invalid=True)
    assert [(e["row"], e["column"], e["message"]) for e in result.to_json()["errors"]] == [
        (
            2,
            "ปีงบประมาณ",
            "ปี 2399 ไม่ใช่ปี พ.ศ. — ปีงบประมาณต้องเป็น พ.ศ. เช่น 2568 (ระบบไม่เดาให้: ถ้าเป็น ค.ศ. 2399 คือ พ.ศ. 2942)",
        ),
        (3, "ปีงบประมาณ", "'67' ไม่ใช่ปีงบประมาณ — ใช้ปี พ.ศ. 4 หลัก เช่น 2568"),
        (4, "ปีงบประมาณ", "ปีงบประมาณ 2701 อยู่นอกช่วงที่รับได้ (2400–2700)"),
        (5, "ปีงบประมาณ", "'ปีหน้า' ไม่ใช่ปีงบประมาณ — ใช้ปี พ.ศ. 4 หลัก เช่น 2568"),
    ]
    assert sorted(PlanItem.objects.values_list("fiscal_year", flat=True)) == [2568, 2569]


def test_a_reimport_never_duplicates_and_updates_only_what_changed(tmp_path, tambon):
    rows = [
        TH,
        ["1", "ถนนเข้าหมู่บ้าน", "ถนนเป็นหลุม", "local_government", "housing", "", "40", "50,000", "2567", "นายหนึ่ง", ""],
        ["", "กลุ่มเลี้ยงไก่ไข่", "", "group", "", "", "12", "", "2567", "", ""],
    ]  # fmt: skip
    first = run(write_csv(tmp_path / "a.csv", rows), tambon)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    road = PlanItem.objects.get(title="ถนนเข้าหมู่บ้าน")
    ItemPerson.objects.create(item=road, name="นางทีม", role=ItemPerson.Role.TEAM)  # added on the page
    changes = ItemChange.objects.count()

    again = run(write_csv(tmp_path / "b.csv", rows), tambon)
    assert again.to_json() == {
        "accepted": 2, "rejected": 0, "created": 0, "updated": 0, "unchanged": 2, "errors": [],
    }  # fmt: skip
    assert (PlanItem.objects.count(), ItemChange.objects.count()) == (2, changes)

    # The same key (Thai digits, stray spaces) with a new cost and a status: one update, then the move.
    rows[1] = ["๑", " ถนนเข้าหมู่บ้าน ", "ถนนเป็นหลุม", "local_government", "housing", "", "40", "60,000", "2567",
               "นายหนึ่ง", "in_local_plan"]  # fmt: skip
    changed = run(write_csv(tmp_path / "c.csv", rows), tambon)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    road.refresh_from_db()
    assert (road.cost, road.amount_asked, road.status) == (Decimal("60000.00"), Decimal("60000.00"), "in_local_plan")
    assert [c.fields or (c.from_status, c.to_status) for c in ItemChange.objects.filter(item=road)[1:]] == [
        {"cost": ["50000.00", "60000.00"], "amount_asked": ["50000.00", "60000.00"]},
        ("under_consideration", "in_local_plan"),
    ]
    # What the file cannot say is kept: the team added on the page.
    assert sorted(road.people.values_list("name", flat=True)) == ["นางทีม", "นายหนึ่ง"]

    # Two steps back is not a move the status path allows: the row is refused at its status.
    rows[1][10] = "under_consideration"
    back = run(write_csv(tmp_path / "d.csv", rows), tambon)
    assert back.rejected
    assert back.to_json()["errors"] == [
        {
            "row": 2,
            "column": "สถานะ",
            "message": "สถานะตอนนี้คือ 'บรรจุในแผนพัฒนาท้องถิ่น' เปลี่ยนเป็น 'อยู่ระหว่างการพิจารณา' ไม่ได้ "
            "(เดินหน้าได้ ย้อนกลับได้หนึ่งขั้น หรือเป็น 'ไม่ได้รับการสนับสนุน') — เว้นช่องสถานะว่างไว้ถ้าไม่ต้องการเปลี่ยน",
        }
    ]
    road.refresh_from_db()
    assert road.status == "in_local_plan"

    # Columns absent from the file leave their fields as they are.
    slim = [["หมู่ที่", "ชื่อโครงการ/กิจกรรม", "ผู้ดำเนินการ", "ปีงบประมาณ"], ["1", "ถนนเข้าหมู่บ้าน", "ขอให้ อปท. ร่วมด้วย", "2567"]]
    assert run(write_csv(tmp_path / "e.csv", slim), tambon).unchanged == 1
    road.refresh_from_db()
    assert (road.cost, road.domain, road.problem_text) == (Decimal("60000.00"), "housing", "ถนนเป็นหลุม")


def test_only_a_writer_of_the_tambons_plans_imports(tmp_path, tambon):
    from django.core.exceptions import PermissionDenied

    path = write_csv(tmp_path / "a.csv", [TH, ["1", "ก", "", "group", "", "", "", "", "2567", "", ""]])
    volunteer = Actor(user=factories.user(Role.VOLUNTEER, f"{TAMBON}01"))
    with pytest.raises(PermissionDenied):
        run(path, tambon, actor=volunteer)
    assert not PlanItem.objects.exists()
    staff = Actor(user=factories.user(Role.TAMBON_STAFF, TAMBON))
    assert run(path, tambon, actor=staff).created == 1
    assert PlanItem.objects.get().created_by == staff.user


# --- the command ---------------------------------------------------------------------


def test_the_command_json_exit_codes_and_languages(tmp_path, tambon):
    bad = write_csv(tmp_path / "bad.csv", bad_rows())
    code, out, message = chumchon("import", "plans", str(bad), "--tambon", TAMBON, "--json")
    assert code == 3
    assert json.loads(out) == {
        "accepted": 2, "rejected": 5, "created": 0, "updated": 0, "unchanged": 0, "errors": BAD_ROW_ERRORS,
    }  # fmt: skip
    assert message == "ไม่ได้นำเข้า: ข้อมูลในไฟล์ไม่ผ่านการตรวจสอบ จึงไม่ได้บันทึกข้อมูลใดเลย"
    assert not PlanItem.objects.exists()

    code, out, _ = chumchon("import", "plans", str(bad), "--tambon", TAMBON, "--skip-invalid", "--lang", "en")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Import of plan items into Bung: 2 rows accepted, 5 rejected",
        "2 rows added, 0 updated, 0 already there",
        "bad rows were skipped (--skip-invalid)",
    ]
    code, out, _ = chumchon("import", "plans", str(bad), "--tambon", TAMBON, "--skip-invalid")
    assert code == 0
    assert out.splitlines()[:2] == ["นำเข้าแผนชุมชน ต.บุ่ง: ผ่าน 2 แถว ไม่ผ่าน 5 แถว", "บันทึกใหม่ 0 แถว แก้ไข 0 แถว มีอยู่แล้ว 2 แถว"]
    assert PlanItem.objects.count() == 2

    no_title = write_csv(tmp_path / "no-title.csv", [["หมู่ที่", "ผู้ดำเนินการ", "ปีงบประมาณ"], ["1", "group", "2567"]])
    code, out, _ = chumchon("import", "plans", str(no_title), "--tambon", TAMBON, "--json")
    assert code == 3
    assert json.loads(out)["errors"] == [
        {"row": 1, "column": "ชื่อโครงการ/กิจกรรม", "message": "ไม่พบคอลัมน์ 'ชื่อโครงการ/กิจกรรม' (หรือ 'title')"}
    ]
    assert chumchon("import", "plans", str(bad), "--tambon", "3701")[0] == 2

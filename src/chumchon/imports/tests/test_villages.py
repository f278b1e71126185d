"""Importing a tambon's villages: headers in any language and order, re-imports that add
nothing, refused rows with their row, column and message, all-or-nothing."""

import pytest

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area, Level
from chumchon.areas.services import AreaError
from chumchon.imports.tests.sheets import thai_digits, write_csv, write_xlsx
from chumchon.imports.villages import villages_import
from tests import factories

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
TAMBON = "370101"


@pytest.fixture
def tambon():
    return Area.objects.get(code=TAMBON)


def villages_of(tambon):
    return list(Area.objects.filter(parent=tambon, level=Level.VILLAGE).order_by("code").values_list("code", "name_th"))


def counts():
    return Area.objects.filter(level=Level.VILLAGE).count(), AuditEvent.objects.count()


def errors(result, lang="th"):
    return result.to_json(lang)["errors"]


def test_thai_headers_in_another_order_with_thai_digits(tmp_path, tambon):
    path = write_xlsx(
        tmp_path / "villages.xlsx",
        {"Sheet1": [["ชื่อหมู่บ้าน", "หมู่ที่"], ["บ้านบุ่ง", thai_digits("1")], ["บ้านนาแต้", "หมู่ 12"], [" บ้านโนน  ใหม่ ", 3]]},
    )
    audits = AuditEvent.objects.count()
    result = villages_import(actor=ACTOR, tambon=tambon, path=path)
    assert result.to_json() == {"accepted": 3, "rejected": 0, "created": 3, "unchanged": 0, "errors": []}
    assert result.completed
    assert villages_of(tambon) == [("37010101", "บ้านบุ่ง"), ("37010103", "บ้านโนน ใหม่"), ("37010112", "บ้านนาแต้")]
    village = Area.objects.get(code="37010112")
    assert (
        village.village_no,
        village.parent_id,
        village.tambon_code,
        village.district_code,
        village.province_code,
    ) == (
        12,
        TAMBON,
        TAMBON,
        "3701",
        "37",
    )
    # Written through village_create: one audit event per village.
    assert AuditEvent.objects.count() == audits + 3


def test_english_headers_csv_and_importing_again_adds_nothing(tmp_path, tambon):
    path = write_csv(tmp_path / "v.csv", [["Name", "Village No"], ["บ้านบุ่ง", "1"], ["บ้านหนองแก", "2"]])
    assert villages_import(actor=ACTOR, tambon=tambon, path=path).created == 2
    before = counts()
    again = villages_import(actor=ACTOR, tambon=tambon, path=path)
    assert again.to_json() == {"accepted": 2, "rejected": 0, "created": 0, "unchanged": 2, "errors": []}
    assert again.completed
    assert counts() == before


def test_a_different_name_for_an_existing_village_is_refused_and_nothing_is_written(tmp_path, tambon):
    factories.village(TAMBON, 1, "บ้านบุ่ง")
    path = write_csv(
        tmp_path / "v.csv",
        [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "บ้านบุ่งใหม่"], ["2", "บ้านหนองแก"], ["2", "บ้านหนองแกซ้ำ"], ["100", "บ้านเกิน"]],
    )
    before = counts()
    result = villages_import(actor=ACTOR, tambon=tambon, path=path)
    assert errors(result) == [
        {
            "row": 2,
            "column": "ชื่อหมู่บ้าน",
            "message": "หมู่ที่ 1 มีอยู่แล้วในชื่อ 'บ้านบุ่ง' ซึ่งไม่ตรงกับชื่อในไฟล์ — ระบบไม่เปลี่ยนชื่อหมู่บ้านให้อัตโนมัติ",
        },
        {"row": 4, "column": "หมู่ที่", "message": "หมู่ที่ 2 ซ้ำกับแถว 3"},
        {"row": 5, "column": "หมู่ที่", "message": "'100' ไม่ใช่หมู่ที่ (1–99)"},
    ]
    assert (result.report.accepted, result.report.rejected, result.created, result.completed) == (1, 3, 0, False)
    assert counts() == before
    assert Area.objects.get(code="37010101").name_th == "บ้านบุ่ง"
    assert errors(result, "en")[1] == {"row": 4, "column": "หมู่ที่", "message": "village no. 2 repeats row 3"}


def test_skip_invalid_writes_only_the_good_rows(tmp_path, tambon):
    path = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "บ้านบุ่ง"], ["x", "บ้านผิด"], ["4", ""]])
    result = villages_import(actor=ACTOR, tambon=tambon, path=path, skip_invalid=True)
    assert result.to_json() == {
        "accepted": 1,
        "rejected": 2,
        "created": 1,
        "unchanged": 0,
        "errors": [
            {"row": 3, "column": "หมู่ที่", "message": "'x' ไม่ใช่หมู่ที่ (1–99)"},
            {"row": 4, "column": "ชื่อหมู่บ้าน", "message": "ต้องกรอกช่องนี้"},
        ],
    }
    assert result.completed
    assert villages_of(tambon) == [("37010101", "บ้านบุ่ง")]


def test_skip_invalid_with_every_row_bad_writes_nothing_and_is_a_rejection(tmp_path, tambon):
    path = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["0", "บ้านศูนย์"]])
    result = villages_import(actor=ACTOR, tambon=tambon, path=path, skip_invalid=True)
    assert (result.report.accepted, result.report.rejected, result.completed) == (0, 1, False)


def test_a_missing_required_column_stops_the_import(tmp_path, tambon):
    path = write_csv(tmp_path / "v.csv", [["หมู่ที่", "หมายเหตุ"], ["1", "x"]])
    result = villages_import(actor=ACTOR, tambon=tambon, path=path)
    assert errors(result) == [{"row": 1, "column": "ชื่อหมู่บ้าน", "message": "ไม่พบคอลัมน์ 'ชื่อหมู่บ้าน' (หรือ 'name')"}]
    assert (result.report.accepted, result.report.rejected, result.completed) == (0, 0, False)
    assert villages_of(tambon) == []


def test_progress_is_reported_row_by_row(tmp_path, tambon):
    path = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "ก"], [None, None], ["2", "ข"]])
    seen: list[tuple[int, int]] = []
    result = villages_import(
        actor=ACTOR, tambon=tambon, path=path, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(0, 2), (1, 2), (2, 2)]
    assert result.total_rows == 2


def test_a_user_may_only_import_villages_where_they_may_write(tmp_path, tambon):
    outsider = factories.user(Role.TAMBON_STAFF, "370102")
    path = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "บ้านบุ่ง"]])
    before = counts()
    with pytest.raises(AreaError):
        villages_import(actor=Actor(user=outsider), tambon=tambon, path=path)
    assert counts() == before
    staff = factories.user(Role.TAMBON_STAFF, TAMBON)
    assert villages_import(actor=Actor(user=staff), tambon=tambon, path=path).created == 1
    assert AuditEvent.objects.order_by("-id").first().user == staff

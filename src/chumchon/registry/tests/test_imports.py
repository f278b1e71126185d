"""Importing households and members: every accepted spelling of the template, every kind
of refused row (with its exact row, column and message), all-or-nothing, --skip-invalid,
re-imports that add nothing, and rows written exactly as ``household_create`` writes them."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.utils import timezone

from chumchon.access.models import Action, AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core import national_id
from chumchon.imports.tests.sheets import (
    HOUSEHOLD_HEADERS_EN,
    HOUSEHOLD_HEADERS_TH,
    MEMBER_HEADERS_TH,
    bad_check_digit,
    household_row,
    member_row,
    nid,
    reorder,
    thai_digits,
    write_csv,
    write_xlsx,
)
from chumchon.registry.imports import households_import
from chumchon.registry.models import Household, HouseholdChange, Member, Origin, Verification
from chumchon.registry.services import HouseholdInput, MemberInput, RegistryError, household_create
from tests import factories

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
TAMBON = "370101"
OTHER = "370102"


@pytest.fixture
def tambon():
    factories.village(TAMBON, 1, "บ้านบุ่ง")
    factories.village(TAMBON, 2, "บ้านหนองแก")
    return Area.objects.get(code=TAMBON)


def counts():
    return (
        Household.objects.count(),
        Member.objects.count(),
        HouseholdChange.objects.count(),
        AuditEvent.objects.count(),
    )


def register(code, village, head_id, *members):
    people = [MemberInput(first_name="เดิม", last_name="มีอยู่", national_id=head_id, is_head=True)]
    people += [MemberInput(first_name="สมาชิก", last_name="มีอยู่", national_id=m) for m in members]
    return household_create(actor=ACTOR, data=HouseholdInput(code=code, village=village, members=people))


def run(path, tambon, **kwargs):
    return households_import(actor=ACTOR, tambon=tambon, path=path, **kwargs)


# --- what is accepted ------------------------------------------------------------------


def test_thai_headers_in_any_order_be_dates_thai_digits_and_a_members_sheet(tmp_path, tambon):
    households = [
        HOUSEHOLD_HEADERS_TH,
        household_row(
            "H001", "หมู่ 1", thai_digits("1-1017-00203-45-0"), house_no=thai_digits("12/3"), occupation="ทำนา",
            lat=15.5, lon=104.25,
        ),
        household_row(
            "H002", 2, nid(2), first="สมศรี", last="มีสุข", title="นาง", sex="หญิง", birth=dt.date(1980, 1, 2),
            occupation="o06", welfare="ไม่มี", members=4, house_no="45",
        ),
    ]  # fmt: skip
    members = [
        MEMBER_HEADERS_TH,
        member_row("H001", thai_digits(nid(3))),
        member_row("H001", "1101700203450", first="สมชาย", relation="หัวหน้าครัวเรือน"),  # the head again
        member_row("H002", nid(4), first="ด.ช.ดี", birth="2010-05-06", sex="ชาย", relation="บุตร"),
    ]
    order = [5, 3, 0, 13, 7, 1, 9, 2, 11, 4, 6, 12, 8, 10]
    path = write_xlsx(
        tmp_path / "households.xlsx",
        {"ครัวเรือน": reorder(households, order), "สมาชิก": reorder(members, [7, 1, 0, 3, 2, 5, 4, 6])},
    )
    before = counts()
    result = run(path, tambon)
    assert result.to_json() == {"accepted": 5, "rejected": 0, "created": 4, "unchanged": 1, "errors": []}
    assert (result.completed, result.households_created, result.members_created) == (True, 2, 4)
    assert counts() == (before[0] + 2, before[1] + 4, before[2] + 2, before[3] + 1)

    h1 = Household.objects.get(tambon_code=TAMBON, code="H001")
    assert (h1.village_id, h1.house_no, h1.lat, h1.lon, h1.occupation_group, h1.welfare_card, h1.members_count) == (
        "37010101", "12/3", Decimal("15.500000"), Decimal("104.250000"), "O01", True, 2,
    )  # fmt: skip
    assert (h1.province_code, h1.district_code, h1.origin, h1.verification) == (
        "37", "3701", Origin.TAMBON, Verification.UNVERIFIED,
    )  # fmt: skip
    head, spouse = h1.members.order_by("-is_head", "id")
    assert (head.is_head, head.title, head.first_name, head.last_name, head.birth_date, head.sex, head.relation) == (
        True, "นาย", "สมชาย", "ใจดี", dt.date(1967, 3, 15), "M", "หัวหน้าครัวเรือน",
    )  # fmt: skip
    assert national_id.decrypt(head.national_id_encrypted) == "1101700203450"
    assert head.national_id_hash == national_id.lookup_hash("1101700203450")
    assert "1101700203450" not in head.national_id_encrypted
    assert (spouse.is_head, spouse.relation, national_id.decrypt(spouse.national_id_encrypted)) == (
        False, "คู่สมรส", nid(3),
    )  # fmt: skip

    h2 = Household.objects.get(tambon_code=TAMBON, code="H002")
    assert (h2.village_id, h2.occupation_group, h2.welfare_card, h2.members_count) == ("37010102", "O06", False, 4)
    assert [(m.first_name, m.birth_date, m.sex) for m in h2.members.order_by("-is_head")] == [
        ("สมศรี", dt.date(1980, 1, 2), "F"),
        ("ด.ช.ดี", dt.date(2010, 5, 6), "M"),
    ]
    change = HouseholdChange.objects.get(household=h1)
    assert (change.kind, change.by, change.before, change.after) == (
        HouseholdChange.Kind.CREATE, None, {}, {"code": "H001", "village": "37010101", "origin": "tambon"},
    )  # fmt: skip
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type, event.area_code) == (Action.IMPORT, "household", TAMBON)
    assert event.detail["households_created"] == 2
    assert event.detail["members_created"] == 4
    assert sorted(event.detail["households"]) == sorted([h1.pk, h2.pk])
    assert "1101700203450" not in str(event.detail)


def test_rows_are_written_exactly_as_household_create_writes_them(tmp_path, tambon):
    village = Area.objects.get(code="37010101")
    by_service = household_create(
        actor=ACTOR,
        data=HouseholdInput(
            code="S1", village=village, house_no="7", lat=Decimal("15.1"), lon=Decimal("104.2"),
            occupation_group="O03", welfare_card=True,
            members=[
                MemberInput(first_name="ก", last_name="ข", national_id=nid(70), title="นาย", birth_date=dt.date(1967, 3, 15),
                            sex="M", relation="หัวหน้าครัวเรือน", is_head=True),
                MemberInput(first_name="ค", last_name="ง", national_id=nid(71), title="นาง", birth_date=dt.date(1990, 1, 1),
                            sex="F", relation="คู่สมรส"),
            ],
        ),
    )  # fmt: skip
    path = write_xlsx(
        tmp_path / "h.xlsx",
        {
            "ครัวเรือน": [
                HOUSEHOLD_HEADERS_TH,
                household_row(
                    "I1", 1, nid(72), first="ก", last="ข", house_no="7", occupation="O03", lat="15.1", lon="104.2"
                ),
            ],
            "สมาชิก": [MEMBER_HEADERS_TH, member_row("I1", nid(73), first="ค", last="ง", birth="01/01/2533")],
        },
    )
    assert run(path, tambon).completed
    by_import = Household.objects.get(code="I1")

    def household(h):
        return {k: v for k, v in model_to_dict(h).items() if k not in ("id", "code")}

    def people(h):
        skip = ("id", "household", "national_id_encrypted", "national_id_hash")
        return [{k: v for k, v in model_to_dict(m).items() if k not in skip} for m in h.members.order_by("-is_head")]

    def history(h):
        return [(c.kind, c.by_id, c.before, {**c.after, "code": None}) for c in h.changes.all()]

    assert household(by_import) == household(by_service)
    assert people(by_import) == people(by_service)
    assert history(by_import) == history(by_service)


def test_english_headers_in_a_utf8_bom_csv(tmp_path, tambon):
    path = write_csv(
        tmp_path / "h.csv",
        [HOUSEHOLD_HEADERS_EN, household_row("E1", "1", nid(5), sex="M", welfare="yes", birth="1967-03-15")],
        encoding="utf-8-sig",
    )
    result = run(path, tambon)
    assert result.to_json() == {"accepted": 1, "rejected": 0, "created": 1, "unchanged": 0, "errors": []}
    head = Member.objects.get(household__code="E1")
    assert (head.first_name, head.birth_date, head.sex) == ("สมชาย", dt.date(1967, 3, 15), "M")


def test_a_tis620_csv(tmp_path, tambon):
    path = write_csv(
        tmp_path / "h.csv",
        [HOUSEHOLD_HEADERS_TH, household_row("T1", "๑", nid(6), first="ทองใบ", last="ศรีสุข", occupation="ค้าขาย/ธุรกิจ")],
        encoding="tis-620",
    )
    assert run(path, tambon).created == 1
    household = Household.objects.get(code="T1")
    assert household.occupation_group == "O08"
    assert household.members.get().full_name == "นายทองใบ ศรีสุข"


def test_welfare_card_registrants_come_in_registered_unverified_holding_the_card(tmp_path, tambon):
    path = write_csv(tmp_path / "w.csv", [HOUSEHOLD_HEADERS_TH, household_row("W1", 1, nid(7), welfare="ไม่มี")])
    assert run(path, tambon, origin=Origin.WELFARE_REGISTRY).completed
    household = Household.objects.get(code="W1")
    assert (household.origin, household.verification, household.verified_at, household.welfare_card) == (
        Origin.WELFARE_REGISTRY, Verification.UNVERIFIED, None, True,
    )  # fmt: skip


def test_households_found_in_the_field_are_verified(tmp_path, tambon):
    staff = factories.user(Role.TAMBON_STAFF, TAMBON)
    path = write_csv(tmp_path / "f.csv", [HOUSEHOLD_HEADERS_TH, household_row("F1", 1, nid(8))])
    result = households_import(actor=Actor(user=staff), tambon=tambon, path=path, origin=Origin.FIELD)
    assert result.completed
    household = Household.objects.get(code="F1")
    assert (household.origin, household.verification, household.verified_by) == (
        Origin.FIELD, Verification.VERIFIED, staff,
    )  # fmt: skip
    assert household.verified_at is not None
    assert household.changes.get().by == staff
    assert AuditEvent.objects.filter(action=Action.IMPORT).get().user == staff


# --- re-importing --------------------------------------------------------------------


def test_importing_the_same_file_again_creates_nothing(tmp_path, tambon):
    sheets = {
        "ครัวเรือน": [HOUSEHOLD_HEADERS_TH, household_row("H1", 1, nid(1)), household_row("H2", 2, nid(2))],
        "สมาชิก": [MEMBER_HEADERS_TH, member_row("H1", nid(3)), member_row("H2", nid(4))],
    }
    path = write_xlsx(tmp_path / "h.xlsx", sheets)
    assert run(path, tambon).created == 4
    before = counts()
    again = run(path, tambon)
    assert again.to_json() == {"accepted": 4, "rejected": 0, "created": 0, "unchanged": 4, "errors": []}
    assert again.completed
    assert counts() == before  # not even an audit event

    # A member added to the sheet later joins the household already registered.
    sheets["สมาชิก"].append(member_row("H1", nid(9), first="หลาน", relation="หลาน"))
    third = run(write_xlsx(tmp_path / "h2.xlsx", sheets), tambon)
    assert third.to_json()["created"] == 1
    h1 = Household.objects.get(code="H1")
    assert sorted(h1.members.values_list("first_name", flat=True)) == ["สมชาย", "สมหญิง", "หลาน"]
    assert h1.changes.order_by("id").last().after == {"added": "นางหลาน ใจดี"}
    assert counts()[:3] == (before[0], before[1] + 1, before[2] + 1)


def test_a_member_sheet_may_add_members_to_a_registered_household_not_in_the_file(tmp_path, tambon):
    register("OLD1", Area.objects.get(code="37010101"), nid(40))
    path = write_xlsx(
        tmp_path / "m.xlsx",
        {"ครัวเรือน": [HOUSEHOLD_HEADERS_TH], "สมาชิก": [MEMBER_HEADERS_TH, member_row("OLD1", nid(41))]},
    )
    assert run(path, tambon).to_json() == {"accepted": 1, "rejected": 0, "created": 1, "unchanged": 0, "errors": []}
    assert Household.objects.get(code="OLD1").members.count() == 2


# --- what is refused -----------------------------------------------------------------


def test_every_kind_of_bad_row_is_reported_and_nothing_is_written(tmp_path, tambon):
    here = register("E001", Area.objects.get(code="37010101"), nid(50))
    factories.village(OTHER, 1, "บ้านอื่น")
    register("Z001", Area.objects.get(code=f"{OTHER}01"), nid(60))
    households = [
        HOUSEHOLD_HEADERS_TH,
        household_row("G001", 1, nid(10)),  # row 2: good
        household_row("G002", 1, bad_check_digit(11)),  # 3
        household_row("G003", 9, nid(12)),  # 4: no such village
        household_row("G001", 1, nid(13)),  # 5: code twice in the file
        household_row("G005", 1, nid(10)),  # 6: ID twice in the file
        household_row("G006", 1, nid(60)),  # 7: ID registered in another tambon
        household_row("G007", 2, nid(50)),  # 8: ID registered in this tambon
        household_row("E001", 1, nid(14)),  # 9: code registered with another head
        household_row("G009", 1, nid(15), first=""),  # 10
        household_row("G010", 1, nid(16), birth="31/02/2567"),  # 11
    ]
    members = [
        MEMBER_HEADERS_TH,
        member_row("G001", nid(20)),  # row 2: good
        member_row("G002", nid(21)),  # 3: its household is refused
        member_row("X999", nid(22)),  # 4: no such household
        member_row("G001", nid(20)),  # 5: ID twice in the file
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", {"ครัวเรือน": households, "สมาชิก": members})
    before = counts()
    result = run(path, tambon)
    hh, mm = "ครัวเรือน", "สมาชิก"
    nid_col, code_col = "เลขประจำตัวประชาชน", "รหัสครัวเรือน"
    assert result.to_json()["errors"] == [
        {"row": 3, "column": nid_col, "message": "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)", "sheet": hh},
        {"row": 4, "column": "หมู่ที่", "message": "ไม่พบหมู่ที่ 9 ใน ต.บุ่ง — นำเข้าหรือเพิ่มหมู่บ้านก่อน", "sheet": hh},
        {"row": 5, "column": code_col, "message": "รหัสครัวเรือน G001 ซ้ำกับแถว 2", "sheet": hh},
        {"row": 6, "column": nid_col, "message": "เลขประจำตัวประชาชนซ้ำกับแถว 2", "sheet": hh},
        {
            "row": 7,
            "column": nid_col,
            "message": f"เลขประจำตัวประชาชน {national_id.mask(nid(60))} ขึ้นทะเบียนแล้วในครัวเรือนอื่นนอกพื้นที่ของท่าน "
            "กรุณาประสานผู้ดูแลระบบ",
            "sheet": hh,
        },
        {
            "row": 8,
            "column": nid_col,
            "message": f"เลขประจำตัวประชาชน {national_id.mask(nid(50))} มีอยู่แล้วในครัวเรือน E001 (หมู่ 1 บ้านบุ่ง) "
            "หนึ่งคนอยู่ได้ครัวเรือนเดียว",
            "sheet": hh,
        },
        {
            "row": 9,
            "column": code_col,
            "message": "รหัสครัวเรือน E001 มีอยู่แล้วในตำบลนี้ โดยมีหัวหน้าครัวเรือนคนอื่น",
            "sheet": hh,
        },
        {"row": 10, "column": "ชื่อ", "message": "ต้องกรอกช่องนี้", "sheet": hh},
        {"row": 11, "column": "วันเกิด", "message": "วันที่ '31/02/2567' ไม่มีอยู่จริง", "sheet": hh},
        {
            "row": 3,
            "column": code_col,
            "message": "ครัวเรือน G002 (แถว 3 ชีต 'ครัวเรือน') มีข้อผิดพลาด จึงนำเข้าสมาชิกไม่ได้",
            "sheet": mm,
        },
        {
            "row": 4,
            "column": code_col,
            "message": "ไม่พบรหัสครัวเรือน X999 ทั้งในไฟล์และในทะเบียนของตำบลนี้",
            "sheet": mm,
        },
        {"row": 5, "column": nid_col, "message": "เลขประจำตัวประชาชนซ้ำกับแถว 2", "sheet": mm},
    ]
    assert (result.report.accepted, result.report.rejected, result.created, result.completed) == (2, 12, 0, False)
    assert counts() == before  # households, members, history and audit all untouched
    assert here.members.count() == 1

    english = result.to_json("en")["errors"]
    assert english[5]["message"] == (
        f"the national ID {national_id.mask(nid(50))} already belongs to household E001 (หมู่ 1 บ้านบุ่ง); "
        "a person belongs to one household only"
    )
    assert english[0]["message"] == "the national ID number is not valid (the check digit does not match)"

    # --skip-invalid: the same file writes its two good rows, and reports the same errors.
    skipped = run(path, tambon, skip_invalid=True)
    assert skipped.to_json()["errors"] == result.to_json()["errors"]
    assert (skipped.report.accepted, skipped.report.rejected, skipped.created, skipped.completed) == (2, 12, 2, True)
    assert counts()[:3] == (before[0] + 1, before[1] + 2, before[2] + 1)
    assert sorted(Member.objects.filter(household__code="G001").values_list("national_id_hash", flat=True)) == sorted(
        [national_id.lookup_hash(nid(10)), national_id.lookup_hash(nid(20))]
    )


def test_missing_required_columns_in_either_sheet_stop_the_import(tmp_path, tambon):
    households = [[h for h in HOUSEHOLD_HEADERS_TH if h != "เลขประจำตัวประชาชน"], ["H1", "1"]]
    members = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"], [nid(1), "ก", "ข"]]
    path = write_xlsx(tmp_path / "h.xlsx", {"ครัวเรือน": households, "สมาชิก": members})
    before = counts()
    result = run(path, tambon)
    assert result.to_json()["errors"] == [
        {
            "row": 1,
            "column": "เลขประจำตัวประชาชน",
            "message": "ไม่พบคอลัมน์ 'เลขประจำตัวประชาชน' (หรือ 'national_id')",
            "sheet": "ครัวเรือน",
        },
        {
            "row": 1,
            "column": "รหัสครัวเรือน",
            "message": "ไม่พบคอลัมน์ 'รหัสครัวเรือน' (หรือ 'household')",
            "sheet": "สมาชิก",
        },
    ]
    assert (result.report.accepted, result.report.rejected, result.completed) == (0, 0, False)
    assert counts() == before


@pytest.mark.parametrize("today", ["2026-12-01", "2027-06-15"])
def test_coordinates_and_birth_dates_are_checked(tmp_path, tambon, today):
    # The clock is pinned: late in a year, 40 days ahead is in the next (BE) year.
    with time_machine.travel(dt.datetime.fromisoformat(today + "T12:00:00+07:00"), tick=False):
        _check_coordinates_and_birth_dates(tmp_path, tambon)


def _check_coordinates_and_birth_dates(tmp_path, tambon):
    ahead = timezone.localdate() + dt.timedelta(days=40)
    future = f"{ahead:%d/%m}/{ahead.year + 543}"
    rows = [
        HOUSEHOLD_HEADERS_TH,
        household_row("C1", 1, nid(1), lat=104.5, lon=15.2),
        household_row("C2", 1, nid(2), lat="15.2"),
        household_row("C3", 1, nid(3), birth=future),
        household_row("C4", 1, nid(4), lat="abc", lon="104"),
    ]
    result = run(write_csv(tmp_path / "c.csv", rows), tambon)
    assert result.to_json("en")["errors"] == [
        {
            "row": 2,
            "column": "ละติจูด",
            "message": "the latitude '104.5' is outside Thailand (it must be between 5 and 21); "
            "are latitude and longitude swapped?",
        },
        {
            "row": 2,
            "column": "ลองจิจูด",
            "message": "the longitude '15.2' is outside Thailand (it must be between 97 and 106); "
            "are latitude and longitude swapped?",
        },
        {"row": 3, "column": "ลองจิจูด", "message": "fill in both latitude and longitude"},
        {"row": 4, "column": "วันเกิด", "message": f"the birth date '{future}' is in the future"},
        {"row": 5, "column": "ละติจูด", "message": "'abc' is not a latitude"},
    ]


def test_an_unreadable_file_is_refused_as_a_whole(tmp_path, tambon):
    path = tmp_path / "h.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = run(path, tambon)
    assert result.to_json("en") == {
        "accepted": 0,
        "rejected": 0,
        "created": 0,
        "unchanged": 0,
        "errors": [{"row": 0, "column": "", "message": "'.pdf' files cannot be imported; use .xlsx, .xls or .csv"}],
    }
    assert not result.completed


def test_a_user_may_only_import_where_they_may_write(tmp_path, tambon):
    outsider = factories.user(Role.TAMBON_STAFF, OTHER)
    path = write_csv(tmp_path / "h.csv", [HOUSEHOLD_HEADERS_TH, household_row("H1", 1, nid(1))])
    before = counts()
    with pytest.raises(RegistryError):
        households_import(actor=Actor(user=outsider), tambon=tambon, path=path)
    assert counts() == before

"""``chumchon import villages|households``: the JSON answer, Thai and English messages and
the exit codes, through ``call_command`` and as a real process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chumchon.access.models import AuditEvent
from chumchon.areas.models import Area, Level
from chumchon.imports.tests.sheets import (
    HOUSEHOLD_HEADERS_EN,
    HOUSEHOLD_HEADERS_TH,
    MEMBER_HEADERS_TH,
    bad_check_digit,
    household_row,
    member_row,
    nid,
    write_csv,
    write_xlsx,
)
from chumchon.registry.models import Household, Member, Origin, Verification
from tests import factories

CHUMCHON = [sys.executable, "-m", "chumchon.cli"]
TAMBON = "370101"


def chumchon(*args: str) -> tuple[int, str, str]:
    """Run the command in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def counts() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), AuditEvent.objects.count()


# --- in-process ------------------------------------------------------------------------


@pytest.mark.django_db
def test_villages_json_and_exit_codes(tmp_path):
    good = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "บ้านบุ่ง"], ["2", "บ้านหนองแก"]])
    code, out, _ = chumchon("import", "villages", str(good), "--tambon", TAMBON, "--json")
    assert code == 0
    assert json.loads(out) == {
        "accepted": 2,
        "rejected": 0,
        "created": 2,
        "unchanged": 0,
        "errors": [],
    }
    assert Area.objects.filter(parent_id=TAMBON, level=Level.VILLAGE).count() == 2

    bad = write_csv(tmp_path / "bad.csv", [["village_no", "name"], ["3", "บ้านใหม่"], ["3", "บ้านซ้ำ"]])
    code, out, message = chumchon("import", "villages", str(bad), "--tambon", TAMBON, "--json", "--lang", "en")
    assert code == 3
    assert message == "not imported: the file did not pass the checks, so nothing was written"
    assert json.loads(out) == {
        "accepted": 1,
        "rejected": 1,
        "created": 0,
        "unchanged": 0,
        "errors": [{"row": 3, "column": "village_no", "message": "village no. 3 repeats row 2"}],
    }
    assert not Area.objects.filter(code="37010103").exists()


@pytest.mark.django_db
def test_households_thai_summary_lists_the_errors(tmp_path):
    factories.village(TAMBON, 1)
    path = write_csv(
        tmp_path / "h.csv",
        [HOUSEHOLD_HEADERS_TH, household_row("H1", 1, nid(1)), household_row("H2", 7, bad_check_digit(2))],
    )
    before = counts()
    code, out, message = chumchon("import", "households", str(path), "--tambon", TAMBON)
    assert code == 3
    assert out.splitlines() == [
        "นำเข้าครัวเรือน ต.บุ่ง: ผ่าน 1 แถว ไม่ผ่าน 1 แถว",
        "ไม่ได้บันทึกข้อมูลใดเลย เพราะมีแถวที่ไม่ผ่าน — แก้ไขแล้วนำเข้าใหม่ หรือใช้ --skip-invalid เพื่อบันทึกเฉพาะแถวที่ผ่าน",
        "ข้อผิดพลาด:",
        "  แถว 3 · เลขประจำตัวประชาชน: เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)",
        "  แถว 3 · หมู่ที่: ไม่พบหมู่ที่ 7 ใน ต.บุ่ง — นำเข้าหรือเพิ่มหมู่บ้านก่อน",
    ]
    assert message == "ไม่ได้นำเข้า: ข้อมูลในไฟล์ไม่ผ่านการตรวจสอบ จึงไม่ได้บันทึกข้อมูลใดเลย"
    assert counts() == before

    code, out, _ = chumchon("import", "households", str(path), "--tambon", TAMBON, "--skip-invalid")
    assert code == 0
    assert out.splitlines()[:3] == [
        "นำเข้าครัวเรือน ต.บุ่ง: ผ่าน 1 แถว ไม่ผ่าน 1 แถว",
        "บันทึกใหม่ 1 แถว มีอยู่แล้ว 0 แถว",
        "(ครัวเรือนใหม่ 1 สมาชิกใหม่ 1 คน)",
    ]
    assert counts()[:2] == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db
def test_households_welfare_registrants_with_an_error_report(tmp_path):
    factories.village(TAMBON, 1)
    path = write_xlsx(
        tmp_path / "welfare.xlsx",
        {
            "ครัวเรือน": [HOUSEHOLD_HEADERS_TH, household_row("W1", 1, nid(1)), household_row("W2", 1, "123")],
            "สมาชิก": [MEMBER_HEADERS_TH, member_row("W1", nid(2))],
        },
    )
    report = tmp_path / "errors.csv"
    args = ["import", "households", str(path), "--tambon", TAMBON, "--origin", "welfare_registry"]
    code, out, _ = chumchon(*args, "--skip-invalid", "--json", "--error-report", str(report))
    assert code == 0
    body = json.loads(out)
    assert (body["accepted"], body["rejected"], body["created"]) == (2, 1, 2)
    # Every error is on one sheet, so the errors do not name it.
    assert body["errors"] == [{"row": 3, "column": "เลขประจำตัวประชาชน", "message": "เลขประจำตัวประชาชนต้องมี 13 หลัก"}]
    household = Household.objects.get(code="W1")
    assert (household.origin, household.verification, household.welfare_card) == (
        Origin.WELFARE_REGISTRY,
        Verification.UNVERIFIED,
        True,
    )
    lines = report.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("แถว,คอลัมน์,ปัญหา,รหัสครัวเรือน,หมู่ที่")
    assert lines[1].startswith("3,เลขประจำตัวประชาชน,เลขประจำตัวประชาชนต้องมี 13 หลัก,W2,1,")


@pytest.mark.django_db
def test_an_unknown_tambon_is_a_usage_error(tmp_path):
    path = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "ก"]])
    assert chumchon("import", "villages", str(path), "--tambon", "3701")[0] == 2
    assert chumchon("import", "villages", str(path), "--tambon", "999999")[0] == 2


# --- as a real process -----------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "CHUMCHON_VAR": str(var)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([*CHUMCHON, "init", "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CHUMCHON, *args], env=env, capture_output=True, text=True, timeout=300)


def test_process_exit_codes_and_one_json_document(home, tmp_path):
    villages = write_csv(tmp_path / "v.csv", [["village_no", "name"], ["1", "บ้านบุ่ง"], ["2", "บ้านหนองแก"]])
    result = run(home, "import", "villages", str(villages), "--tambon", TAMBON, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert json.loads(result.stdout)["created"] == 2

    households = write_csv(
        tmp_path / "h.csv",
        [
            HOUSEHOLD_HEADERS_EN,
            household_row("H1", 1, nid(1)),
            household_row("H2", 2, nid(2)),
            household_row("H3", 3, nid(3)),  # there is no village 3
        ],
        encoding="utf-8-sig",
    )
    args = ["import", "households", str(households), "--tambon", TAMBON, "--json"]
    rejected = run(home, *args)
    assert rejected.returncode == 3
    assert rejected.stdout.count("\n") == 1
    assert json.loads(rejected.stdout) == {
        "accepted": 2,
        "rejected": 1,
        "created": 0,
        "unchanged": 0,
        "errors": [{"row": 4, "column": "village_no", "message": "ไม่พบหมู่ที่ 3 ใน ต.บุ่ง — นำเข้าหรือเพิ่มหมู่บ้านก่อน"}],
    }
    assert "ไม่ได้นำเข้า" in rejected.stderr

    skipped = run(home, *args, "--skip-invalid", "--lang", "en")
    assert skipped.returncode == 0, skipped.stderr
    body = json.loads(skipped.stdout)
    assert (body["accepted"], body["rejected"], body["created"]) == (2, 1, 2)
    assert body["errors"][0]["message"] == "there is no village no. 3 in Bung; import or add the village first"

    again = run(home, *args, "--skip-invalid")
    assert again.returncode == 0
    assert (json.loads(again.stdout)["created"], json.loads(again.stdout)["unchanged"]) == (0, 2)


def test_process_usage_errors_and_help(home, tmp_path):
    path = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "ก"]])
    assert run(home, "import", "villages", str(path)).returncode == 2  # --tambon missing
    assert run(home, "import", "villages", str(path), "--tambon", "12").returncode == 2
    assert run(home, "import", "ledgerz", str(path), "--tambon", TAMBON).returncode == 2
    help_text = run(home, "import", "households", "--help")
    assert help_text.returncode == 0
    assert "--skip-invalid" in help_text.stdout and "welfare_registry" in help_text.stdout
    missing = run(home, "import", "villages", str(tmp_path / "nope.csv"), "--tambon", TAMBON, "--json")
    assert missing.returncode == 3
    assert json.loads(missing.stdout)["errors"] == [{"row": 0, "column": "", "message": "ไม่พบไฟล์ 'nope.csv'"}]

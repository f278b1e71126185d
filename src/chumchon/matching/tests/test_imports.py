"""``chumchon import programmes FILE --province CODE`` (plan-template.md): Thai or English
headers, row and column errors, all-or-nothing, idempotent."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.matching.imports import programmes_import
from chumchon.matching.models import Body, Programme
from tests import factories

pytestmark = pytest.mark.django_db

THAI = ["รหัสโครงการ", "หน่วยงาน", "ประเภทหน่วยงาน", "ชื่อโครงการ", "ประเภทโครงการ", "ปีงบประมาณ",
        "งบประมาณทั้งหมด", "สัดส่วนสูงสุดต่อโครงการ", "ผู้ดำเนินการที่รับ", "ด้านที่รับ", "พื้นที่"]  # fmt: skip
ROWS = [
    ["PAO-01", "องค์การบริหารส่วนจังหวัดอำนาจเจริญ", "province", "น้ำสะอาดทุกหมู่บ้าน", "", "๒๕๖๘",
     "๑,๕๐๐,๐๐๐ บาท", "50%", "local_government, agency", "health,resources", ""],
    ["CODI-06", "สถาบันพัฒนาองค์กรชุมชน", "พอช.", "บ้านพอเพียงชนบท", "CODI06", "2568",
     "900000", "", "agency", "ที่อยู่อาศัย", "3701, 370201"],
    ["ABT-01", "อบต.บุ่ง", "อปท.", "ซ่อมถนนในหมู่บ้าน", "", "2568", "300000", "100", "ขอให้ อปท. ร่วมด้วย", "", "370101"],
]  # fmt: skip


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def province() -> Area:
    factories.village("370101", 1)
    factories.village("370201", 1)
    return Area.objects.get(code="37")


def test_programmes_are_read_with_thai_headers_digits_money_and_lists(province, tmp_path):
    path = _write(tmp_path / "p.csv", THAI, ROWS)
    result = programmes_import(actor=Actor.system("test"), province=province, path=path, filename="p.csv")
    assert result.completed and (result.created, result.report.rejected) == (3, 0)
    pao = Programme.objects.get(code="PAO-01")
    assert (pao.fiscal_year, pao.budget, pao.max_share) == (2568, Decimal("1500000.00"), Decimal("50.00"))
    assert pao.actors == ["agency", "local_government"] and pao.domains == ["health", "resources"]
    assert pao.areas == [] and pao.body.kind == "province"
    codi = Programme.objects.get(code="CODI-06")
    assert (codi.programme_type, codi.max_share, codi.domains, codi.areas) == (
        "CODI06", Decimal(100), ["housing"], ["3701", "370201"],
    )  # fmt: skip
    assert Body.objects.get(name="อบต.บุ่ง").kind == "local_government"
    again = programmes_import(actor=Actor.system("test"), province=province, path=path, filename="p.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Programme.objects.count() == 3


def test_a_changed_budget_updates_the_programme(province, tmp_path):
    programmes_import(actor=Actor.system("t"), province=province, path=_write(tmp_path / "a.csv", THAI, ROWS))
    rows = [r.copy() for r in ROWS]
    rows[2][6] = "350000"
    result = programmes_import(actor=Actor.system("t"), province=province, path=_write(tmp_path / "b.csv", THAI, rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Programme.objects.get(code="ABT-01").budget == Decimal(350000)


def test_bad_rows_are_refused_by_row_and_column_and_nothing_is_written(province, tmp_path):
    rows = [r.copy() for r in ROWS]
    rows[0][5] = "2025"  # not Buddhist Era
    rows[1][8] = "household"  # not an asking actor
    rows[2][10] = "340101"  # another province
    good = ["ABT-02", *ROWS[2][1:]]
    rows += [good, good.copy()]  # row 5 good, row 6 repeats its key
    path = _write(tmp_path / "bad.csv", THAI, rows)
    result = programmes_import(actor=Actor.system("t"), province=province, path=path, filename="bad.csv")
    assert result.rejected and Programme.objects.count() == 0 and Body.objects.count() == 0
    where = {(e.row, e.column) for e in result.report.errors}
    assert {(2, "ปีงบประมาณ"), (3, "ผู้ดำเนินการที่รับ"), (4, "พื้นที่"), (6, "รหัสโครงการ")} == where
    messages = " ".join(e.message.th for e in result.report.errors)
    assert "พ.ศ." in messages and "340101" in messages
    skipped = programmes_import(
        actor=Actor.system("t"), province=province, path=path, filename="bad.csv", skip_invalid=True
    )
    assert skipped.completed and skipped.created == 1
    assert list(Programme.objects.values_list("code", flat=True)) == ["ABT-02"]


def test_the_command_with_english_headers_prints_the_contracts_json(province, tmp_path, capsys):
    english = ["code", "body", "body_kind", "name", "programme_type", "fiscal_year", "budget", "max_share",
               "actors", "domains", "areas"]  # fmt: skip
    path = _write(tmp_path / "en.csv", english, ROWS[:1])
    call_command("import", "programmes", str(path), "--province", "37", "--json")
    body = json.loads(capsys.readouterr().out)
    assert (body["accepted"], body["rejected"], body["created"], body["errors"]) == (1, 0, 1, [])

"""The printed community plan (issue 12): the PDF's text, the small-cell rule, the QR
codes to the live figures, the อปท.'s project form (แบบ ผ.02) and ``chumchon report plan``.
Evidence values are checked against sums of the ledger lines written here."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import RequestFactory
from python_calamine import CalamineWorkbook

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.qr import qr_svg_data_uri
from chumchon.core.thai import Month
from chumchon.insights.forum.pack import forum_pack_build
from chumchon.insights.forum.pdf import forum_pack_html
from chumchon.insights.tests.forum_data import norm, pdf_text
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.plans import report_views, services
from chumchon.plans.models import Actor as Who
from chumchon.plans.models import Status
from chumchon.plans.report import (
    form_columns,
    local_plan_years,
    plan_pdf_bytes,
    plan_report_build,
    plan_report_html,
)
from chumchon.plans.services import ItemInput, OtherEvidenceInput
from tests import factories

pytestmark = pytest.mark.django_db

TAMBON = "370101"
MONTH = Month(2024, 3)
EGGS = "C02"
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "plans"


@pytest.fixture(autouse=True)
def _april_2024():
    """Fiscal year 2567; the clock is pinned to April 2024."""
    with time_machine.travel(dt.datetime(2024, 4, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


def _accounts(village, amounts, tag):
    homes = []
    for i, amount in enumerate(amounts):
        h = factories.household(village)
        ledger_entries_add(
            actor=Actor.system("test"),
            household=h,
            lines=[
                LineInput(date=dt.date(2024, 3, 5), category=EGGS, amount=Decimal(amount), key=f"{tag}-egg-{i}"),
                LineInput(date=dt.date(2024, 3, 6), category="I01", amount=Decimal(1000), key=f"{tag}-wage-{i}"),
            ],
        )
        homes.append(h)
    return homes


def staff():
    return Actor(user=factories.user(Role.TAMBON_STAFF, TAMBON))


BIG = [200 + 10 * i for i in range(6)]  # the plan's village: 1,350 baht of eggs in March
SMALL = [2000, 2321]  # two households of a village of the next tambon: 4,321


@pytest.fixture
def plan_data():
    """The plan of หมู่ 2 with items of the four actors: one resting on the village's
    own eggs bill (6 households), one on a village where 2 households keep accounts."""
    v1 = factories.village(TAMBON, 1, "บ้านโคกกลาง")
    v2 = factories.village(TAMBON, 2, "บ้านหนองแสง")
    small = factories.village("370102", 1, "บ้านน้อย")
    homes = _accounts(v1, [100 + 10 * i for i in range(6)], "a")
    homes += _accounts(v2, BIG, "b")
    homes += _accounts(small, SMALL, "c")
    actor = staff()
    plan = services.plan_get_or_create(actor=actor, area=v2, fiscal_year=2567)

    def item(**kw):
        return services.item_create(actor=actor, plan=plan, data=ItemInput(**kw))

    item(
        title="ปลูกผักกินเอง", actor=Who.HOUSEHOLD, households=6, cost=Decimal(1500),
        problem_text="ซื้อผักจากตลาดทุกวัน", owner="นางสมศรี ใจดี",
    )  # fmt: skip
    eggs = item(
        title="กลุ่มเลี้ยงไก่ไข่", actor=Who.GROUP, households=6, cost=Decimal(15000),
        problem_text="ซื้อไข่ไก่จากนอกหมู่บ้าน", owner="นายประยูร ขยันยิ่ง", team=["นางมาลี ศรีสุข", "นายสมบัติ มั่นคง"],
    )  # fmt: skip
    services.evidence_cite(actor=actor, item=eggs, figure="by_category", category=EGGS, area=v2, start=MONTH, end=MONTH)
    services.item_status_set(actor=actor, item=eggs, status=Status.ADOPTED_IN_PRINCIPLE)
    road = item(
        title="ถนนลูกรังเข้าพื้นที่เกษตร", actor=Who.LOCAL_GOVERNMENT, households=40, cost=Decimal(250000),
        problem_text="ถนนขาดช่วงหน้าฝน", owner="นายบุญมี รักถิ่น",
    )  # fmt: skip
    services.evidence_add_other(
        actor=actor, item=road,
        data=OtherEvidenceInput(title="สำรวจเส้นทางขนผลผลิต", source="อบต.", dated=dt.date(2024, 2, 1), households_covered=3),
    )  # fmt: skip
    services.item_status_set(actor=actor, item=road, status=Status.IN_LOCAL_PLAN)
    water = item(title="ประปาหมู่บ้าน", actor=Who.LOCAL_GOVERNMENT, households=80, cost=Decimal(180000))
    services.item_status_set(actor=actor, item=water, status=Status.DECLINED, reason="งบประมาณไม่พอ")
    training = item(
        title="อบรมการทำบัญชีครัวเรือน", actor=Who.AGENCY, households=20, cost=Decimal(30000),
        problem_text="รายจ่ายค่าอาหารสูง",
    )  # fmt: skip
    # Cited by the system: the value of 2 households, exact when cited.
    services.evidence_cite(
        actor=Actor.system("test"),
        item=training,
        figure="by_category",
        category=EGGS,
        area=small,
        start=MONTH,
        end=MONTH,
    )
    return {"village": v2, "small": small, "plan": plan, "homes": homes, "road": road}


def test_the_plan_pdf_prints_the_four_actors_items_cost_status_and_evidence(plan_data, tmp_path, capsys):
    v2 = plan_data["village"]
    out = tmp_path / "plan.pdf"
    before = AuditEvent.objects.count()
    call_command("report", "plan", v2.code, "--year", "2567", "--out", str(out))
    assert "หมู่ 2 บ้านหนองแสง" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    for needle in (
        "หมู่ 2 บ้านหนองแสง",
        "ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ",
        "2567",
        # the four blocks, apart
        "ครัวเรือนดำเนินการเอง",
        "ทำร่วมกันเป็นกลุ่ม",
        "ขอให้ อปท. ร่วมด้วย",
        "ขอให้ส่วนราชการช่วย",
        # items, their cost and status, their owners (public plan data)
        "ปลูกผักกินเอง",
        "กลุ่มเลี้ยงไก่ไข่",
        "ถนนลูกรังเข้าพื้นที่เกษตร",
        "ประปาหมู่บ้าน",
        "อบรมการทำบัญชีครัวเรือน",
        "1,500",
        "15,000",
        "250,000",
        "180,000",
        "30,000",
        "รับหลักการ",
        "บรรจุในแผนพัฒนาท้องถิ่น",
        "ไม่ได้รับการสนับสนุน",
        "งบประมาณไม่พอ",
        "อยู่ระหว่างการพิจารณา",
        "นายประยูร ขยันยิ่ง",
        "นางมาลี ศรีสุข",
        # the problems and their evidence
        "ซื้อไข่ไก่จากนอกหมู่บ้าน",
        "สำรวจเส้นทางขนผลผลิต",
        f"{sum(BIG):,}",  # the village's eggs in March, summed from the lines above
    ):
        assert norm(needle) in text, needle
    # Totals leave out the declined item: 1,500 + 15,000 + 250,000 + 30,000.
    assert "296,500" in text
    # The small-cell rule: the 2 households' 4,321 baht, and the survey's 3 households, are not printed.
    assert f"{sum(SMALL):,}" not in text and str(sum(SMALL)) not in text
    assert norm("3 ครัวเรือน") not in text
    # No household is printed.
    for h in plan_data["homes"]:
        assert h.code not in text
        assert norm(h.members.get(is_head=True).first_name) not in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Sarabun" in fonts
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id) == ("export", "plan_report", v2.code)
    assert event.detail == {"fiscal_year": 2567, "format": "pdf", "pages": event.detail["pages"]}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(out), str(ARTIFACTS / "plan")], check=True
    )


def test_every_printed_figure_carries_a_qr_code_to_its_live_figure(plan_data):
    v2, small = plan_data["village"], plan_data["small"]
    report = plan_report_build(v2, 2567)
    figures = [e for p in report.problems for e in p.figures]
    assert {e.live.url for e in figures if e.live} == {
        f"http://127.0.0.1:8000/insights/area/{v2.code}/?from=2024-03&to=2024-03",
        f"http://127.0.0.1:8000/insights/area/{small.code}/?from=2024-03&to=2024-03",
    }
    assert all(e.live is not None for e in figures)
    html = plan_report_html(report)
    for e in figures:
        assert e.live.qr == qr_svg_data_uri(e.live.url) and e.live.qr in html
    assert report.live.url == f"http://127.0.0.1:8000/insights/area/{v2.code}/?from=2023-10&to=2024-09"
    # The hidden figure is a dash, cited and today, with no bar.
    hidden = next(e for e in figures if small.code in e.live.url)
    assert (hidden.cited, hidden.now, hidden.households, hidden.bar_cited) == ("–", "–", "–", None)
    shown = next(e for e in figures if v2.code in e.live.url)
    assert (shown.bar_cited, shown.bar_now) == (Decimal(100), Decimal(100))


def test_the_forum_pack_carries_qr_codes_to_the_live_dashboard(plan_data, settings):
    settings.SITE_URL = "https://chumchon.example"
    v2 = plan_data["village"]
    pack = forum_pack_build(v2, MONTH)
    html = forum_pack_html(pack)
    month = f"https://chumchon.example/insights/area/{v2.code}/?from=2024-03&to=2024-03"
    year = f"https://chumchon.example/insights/area/{v2.code}/?from=2023-10&to=2024-03"
    assert qr_svg_data_uri(month) in html
    assert qr_svg_data_uri(year) in html  # the month-by-month section reads the fiscal year so far
    assert html.count("data:image/svg+xml") >= len(pack.sections) + 1


def test_the_xlsx_is_the_local_governments_project_form_with_its_items_only(plan_data, tmp_path):
    v2 = plan_data["village"]
    out = tmp_path / "plan.xlsx"
    call_command("report", "plan", v2.code, "--year", "2567", "--out", str(out))
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["ผ.02 อบต.บุ่ง"]
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][-1] == "แบบ ผ.02"
    assert rows[1][0] == "รายละเอียดโครงการพัฒนา"
    assert rows[2][0] == "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)"
    assert rows[3][0] == "องค์การบริหารส่วนตำบลบุ่ง อำเภอเมืองอำนาจเจริญ จังหวัดอำนาจเจริญ"
    top, sub = rows[9], rows[10]
    assert top[:5] == ["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย\n(ผลผลิตของโครงการ)", "งบประมาณ"]
    assert top[9:] == ["ตัวชี้วัด\n(KPI)", "ผลลัพธ์ที่\nคาดว่าจะได้รับ", "หน่วยงาน\nรับผิดชอบหลัก"]
    assert sub[4:9] == ["2566\n(บาท)", "2567\n(บาท)", "2568\n(บาท)", "2569\n(บาท)", "2570\n(บาท)"]
    assert form_columns(2567)[4:9] == sub[4:9]
    items = [r for r in rows[11:] if isinstance(r[0], float)]
    # Only the item asking the อปท.: not the declined one, nor the other actors'.
    assert [(r[0], r[1], r[2]) for r in items] == [(1.0, "ถนนลูกรังเข้าพื้นที่เกษตร", "ถนนขาดช่วงหน้าฝน")]
    road = items[0]
    assert road[3] == "หมู่ 2 บ้านหนองแสง 40 ครัวเรือน"
    assert road[4:9] == ["", 250000.0, "", "", ""]  # the item's fiscal year filled
    assert road[11] == "อบต.บุ่ง"
    total = rows[11 + len(items)]
    assert total[0] == "รวม 1 โครงการ" and total[5] == 250000.0


def test_local_plan_years_are_the_five_year_plan_of_the_fiscal_year():
    assert local_plan_years(2566) == (2566, 2567, 2568, 2569, 2570)
    assert local_plan_years(2570) == (2566, 2567, 2568, 2569, 2570)
    assert local_plan_years(2571) == (2571, 2572, 2573, 2574, 2575)
    assert local_plan_years(2565) == (2561, 2562, 2563, 2564, 2565)


def test_json_prints_one_document(plan_data, tmp_path, capsys):
    v2 = plan_data["village"]
    out = tmp_path / "plan.xlsx"
    call_command("report", "plan", v2.code, "--year", "๒๕๖๗", "--out", str(out), "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["file"] == str(out) and body["format"] == "xlsx" and body["area"] == v2.code
    assert body["fiscal_year"] == 2567 and body["has_plan"] is True and body["pages"] is None
    assert body["items"] == {"household": 1, "group": 1, "local_government": 2, "agency": 1}
    assert body["cost"]["local_government"] == "250000.00"  # the declined item left out
    assert body["local_government_rows"] == 1
    assert body["columns"][4] == "2566 (บาท)"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("{v}", "--year", "2024"), 2),  # a Common Era year
        (("{v}", "--year", "25x7"), 2),
        (("abc", "--year", "2567"), 2),  # not an area code
        (("{v}", "--year", "2567", "--out-as", "x.txt"), 2),  # not .pdf or .xlsx
        (("99999999", "--year", "2567"), 3),  # no such area
        (("{v}", "--year", "2568"), 3),  # no plan and no item that year
        (("{v}", "--year", "2567", "--folder", "missing"), 3),  # no such folder
    ],
)
def test_refused_input_exits_2_or_3_and_writes_nothing(plan_data, tmp_path, args, code):
    v2 = plan_data["village"]
    out = tmp_path / "x.pdf"
    rest = [a.replace("{v}", v2.code) for a in args]
    if "--out-as" in rest:
        out = tmp_path / rest[-1]
        rest = rest[:-2]
    if "--folder" in rest:
        out = tmp_path / rest[-1] / "x.pdf"
        rest = rest[:-2]
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("report", "plan", *rest, "--out", str(out))
    assert refused.value.returncode == code
    assert not out.exists()
    assert AuditEvent.objects.count() == before


def test_usage_errors_exit_2_from_the_command_line(tmp_path):
    env = {**os.environ, "CHUMCHON_VAR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    for args in (
        ["report", "plan", "37010102", "--year", "2567"],  # no --out
        ["report", "plan", "37010102", "--out", str(tmp_path / "x.pdf")],  # no --year
    ):
        result = subprocess.run(
            [sys.executable, "-m", "chumchon.cli", *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 2, (args, result.stderr)


def test_the_downloads_are_scoped_and_give_the_public_copy(plan_data, tmp_path):
    v2 = plan_data["village"]
    rf = RequestFactory()
    volunteer = factories.user(Role.VOLUNTEER, v2.code)  # reads persons in the village
    request = rf.get(f"/plans/area/{v2.code}/plan.pdf", {"year": "2567"})
    request.user = volunteer
    before = AuditEvent.objects.count()
    response = report_views.plan_pdf(request, v2.code)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="plan-{v2.code}-2567.pdf"'
    pdf = tmp_path / "web.pdf"
    pdf.write_bytes(response.content)
    text = pdf_text(pdf)
    assert norm("ถนนลูกรังเข้าพื้นที่เกษตร") in text
    assert f"{sum(SMALL):,}" not in text  # the public copy, whoever prints it
    request = rf.get(f"/plans/area/{v2.code}/plan.xlsx", {"year": "2567"})
    request.user = factories.user(Role.AGENCY, "37")  # aggregates of the province
    response = report_views.plan_xlsx(request, v2.code)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.count() == before + 2
    assert plan_pdf_bytes(v2, 2567, user=volunteer).startswith(b"%PDF")
    with pytest.raises(Area.DoesNotExist):
        plan_pdf_bytes(v2, 2567, user=factories.user(Role.TAMBON_STAFF, "370102"))
    # Out of scope, no plan that year, or a year that is not BE: nothing given out.
    other = factories.user(Role.TAMBON_STAFF, "370102")
    for user, year in ((other, "2567"), (volunteer, "2568")):
        request = rf.get("/", {"year": year})
        request.user = user
        with pytest.raises(Http404):
            report_views.plan_pdf(request, v2.code)
    assert AuditEvent.objects.count() == before + 2

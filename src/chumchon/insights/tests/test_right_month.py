"""The right month on the dashboard and the forum pack: the default is the last closed,
else complete, month (``ledgers.selectors.area_default_month``); the pack buttons offer a
month starting there; under half of the households reported says so at the top in Thai."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.core.thai import Month
from chumchon.insights.coverage import coverage_warning
from chumchon.insights.tests.forum_data import norm, pdf_text
from chumchon.ledgers.selectors import MonthCoverage
from chumchon.ledgers.services import LineInput, ledger_entries_add
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 4, 2, 2, 0, tzinfo=dt.UTC)  # 09:00 on the 2nd of April in Bangkok
WARNING_MARCH = "เดือนมีนาคม 2567 ส่งบัญชีเพียง 6 จาก 20 ครัวเรือน (30%) — ตัวเลขยังไม่ครบ"
WARNING_HIDDEN = "เดือน%s ส่งบัญชียังไม่ถึงครึ่งของครัวเรือนที่ลงทะเบียน — ตัวเลขยังไม่ครบ"


def _line(household, day: dt.date) -> None:
    ledger_entries_add(
        actor=Actor(user=None), household=household, lines=[LineInput(date=day, category="C02", amount=Decimal("25"))]
    )


@pytest.fixture
def world():
    """ต.บุ่ง: village 1 with 20 households (February 15 reported, March 6, one line on
    the 2nd of April); village 2 with 10 households, 3 of them reporting in March."""
    with time_machine.travel(NOW, tick=False):
        one, two = factories.village("370101", 1), factories.village("370101", 2)
        households = [factories.household(one) for _ in range(20)]
        others = [factories.household(two) for _ in range(10)]
        for h in others[:3]:
            _line(h, dt.date(2024, 3, 20))
        for h in households[:15]:
            _line(h, dt.date(2024, 2, 12))
        for h in households[:6]:
            _line(h, dt.date(2024, 3, 12))
        _line(households[0], dt.date(2024, 4, 2))
    return {"one": one, "two": two, "households": households}


def _client(role: str, area: str) -> Client:
    client = Client()
    client.force_login(factories.user(role, area))
    return client


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_defaults_to_the_last_complete_month_not_the_early_line(world):
    # Village 1: February (15 of 20) is complete, March (6 of 20) is not, April is open.
    client = _client(Role.TAMBON_STAFF, "370101")
    page = client.get(reverse("insights:dashboard", args=[world["one"].code]))
    span = page.context["span"]
    assert (span.start, span.end) == (Month(2023, 3), Month(2024, 2))
    html = page.content.decode()
    assert "ตัวเลขยังไม่ครบ" not in html
    # The pack buttons: a month select starting at February, every button sending it.
    assert page.context["pack_month"] == Month(2024, 2)
    assert '<option value="2024-02" selected>' in html
    assert f'formaction="{reverse("insights:forum_pdf", args=[world["one"].code])}"' in html
    assert "?month=" not in html.split('id="pack-month"')[1].split("</form>")[0]


@time_machine.travel(NOW, tick=False)
def test_the_province_default_is_not_the_month_of_one_household(world):
    # The province's households: 30, February 15 reported (half: complete), March 9.
    client = _client(Role.PROVINCE_COORDINATOR, "37")
    span = client.get(reverse("insights:dashboard", args=["37"])).context["span"]
    assert span.end == Month(2024, 2)
    # The tambon: 30 households, 15 in February — complete; March 9 (30%) is not.
    batch = client.get(reverse("insights:forum_batch", args=["370101"]))
    assert batch.context["month"] == Month(2024, 2)


@time_machine.travel(NOW, tick=False)
def test_a_dashboard_month_under_half_reported_says_so_at_the_top(world):
    client = _client(Role.TAMBON_STAFF, "370101")
    url = reverse("insights:dashboard", args=[world["one"].code]) + "?from=2024-03&to=2024-03"
    html = client.get(url).content.decode()
    assert WARNING_MARCH in html
    assert html.index(WARNING_MARCH) < html.index('id="pack-month"')  # above everything else


@time_machine.travel(NOW, tick=False)
def test_the_pack_pdf_and_xlsx_say_so_on_their_cover(world, tmp_path):
    client = _client(Role.TAMBON_STAFF, "370101")
    code = world["one"].code
    # The internal copy shows every count, so the warning gives them.
    pdf = client.get(reverse("insights:forum_pdf", args=[code]) + "?month=2024-03&internal=1")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf.content)
    assert norm(WARNING_MARCH) in pdf_text(path)
    # The public pack hides village 1's households (village 2's 3 could be had back from
    # them and the tambon's): the warning does not give them either.
    pdf = client.get(reverse("insights:forum_pdf", args=[code]) + "?month=2024-03")
    path.write_bytes(pdf.content)
    text = pdf_text(path)
    assert norm(WARNING_HIDDEN % "มีนาคม 2567") in text and norm("6 จาก 20") not in text
    xlsx = client.get(reverse("insights:forum_xlsx", args=[code]) + "?month=2024-03&internal=1")
    path = tmp_path / "pack.xlsx"
    path.write_bytes(xlsx.content)
    cover = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert cover[1][0] == WARNING_MARCH  # the row under the title
    # February is complete: no warning.
    xlsx = client.get(reverse("insights:forum_xlsx", args=[code]) + "?month=2024-02")
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    assert all("ตัวเลขยังไม่ครบ" not in str(cell) for row in book for cell in row)


@time_machine.travel(NOW, tick=False)
def test_an_aggregate_reader_gets_published_periods_and_no_small_counts(world):
    client = _client(Role.AGENCY, "37")
    # The default span is the published fiscal year of the default month (February 2567).
    page = client.get(reverse("insights:dashboard", args=[world["one"].code]))
    span = page.context["span"]
    assert (span.start, span.end) == (Month(2023, 10), Month(2024, 9))
    # The fiscal year reaches into the future: the warning is about this month (April),
    # whose one household is a count the reader may not see.
    assert page.context["coverage_warning"].text == ("เดือนเมษายน 2567 ส่งบัญชียังไม่ถึงครึ่งของครัวเรือนที่ลงทะเบียน — ตัวเลขยังไม่ครบ")
    # Village 2's March: 3 of 10 reported; its public pack says under half, not "3".
    pack = client.get(reverse("insights:forum_xlsx", args=[world["two"].code]) + "?month=2024-03")
    cover = CalamineWorkbook.from_filelike(io.BytesIO(pack.content)).get_sheet_by_index(0).to_python()
    assert cover[1][0] == WARNING_HIDDEN % "มีนาคม 2567"
    # Village 1's March (6 of 20) is hidden by complementary suppression: no numbers.
    pack = client.get(reverse("insights:forum_xlsx", args=[world["one"].code]) + "?month=2024-03")
    cover = CalamineWorkbook.from_filelike(io.BytesIO(pack.content)).get_sheet_by_index(0).to_python()
    assert cover[1][0] == WARNING_HIDDEN % "มีนาคม 2567"
    # A complete month and a reader of aggregates: no warning (the tambon's February).
    page = client.get(reverse("insights:dashboard", args=["370101"]) + "?from=2024-02&to=2024-02")
    assert page.context["coverage_warning"] is None


def test_a_warning_hides_a_count_of_one_to_four():
    march = Month(2024, 3)
    small = MonthCoverage(month=march, reporting=3, registered=40, closed=False)
    with time_machine.travel(NOW, tick=False):
        hidden = coverage_warning(small, show_numbers=True)
        assert hidden is not None and hidden.reporting is None
        assert hidden.text == WARNING_HIDDEN % "มีนาคม 2567"
        shown = coverage_warning(MonthCoverage(march, 12, 110, False), show_numbers=True)
        assert shown is not None
        assert shown.text == "เดือนมีนาคม 2567 ส่งบัญชีเพียง 12 จาก 110 ครัวเรือน (11%) — ตัวเลขยังไม่ครบ"
        assert coverage_warning(MonthCoverage(march, 55, 110, False), show_numbers=True) is None  # half
        assert coverage_warning(MonthCoverage(march, 12, 110, False), show_numbers=False).reporting is None

"""The household statement ("รู้จักตัวเอง"): figures against an independent sum of the raw
ledger lines, the village median against statistics.median, the PDF (one A4 page, Thai
text extracted with pdftotext), the village batch, and scope."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import subprocess
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.core.pdf import render_html_document
from chumchon.core.thai import Month, format_amount
from chumchon.ledgers import statement_pdfs
from chumchon.ledgers.models import Category, LedgerEntry, StatementBatch
from chumchon.ledgers.services import LineInput, category_add, ledger_entries_add, ledger_entry_reverse
from chumchon.ledgers.statements import Period, statements_build, village_medians
from chumchon.registry.models import Debt
from tests import factories

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "statements"


# --- data ------------------------------------------------------------------------------


@pytest.fixture
def staff():
    return factories.user(Role.TAMBON_STAFF, "370101", username="stmt-staff")


def _lines(rng: random.Random, months: list[int], n: int, codes: list[str]) -> list[LineInput]:
    return [
        LineInput(
            date=dt.date(2024, rng.choice(months), rng.randint(1, 28)),
            category=rng.choice(codes),
            amount=Decimal(rng.randint(100, 400000)) / 100,
            item="ทดสอบ",
        )
        for _ in range(n)
    ]


@pytest.fixture
def village_data(staff):
    """Village 1: six households with lines (one has no February), one with none;
    village 2: one household. Lines in January–March 2024 (BE 2567), one reversed."""
    actor = Actor(user=staff)
    rng = random.Random(2567)
    codes = list(Category.objects.values_list("code", flat=True))
    v1, v2 = factories.village("370101", 1, "บ้านบุ่ง"), factories.village("370101", 2, "บ้านนาแต้")
    reporting = [factories.household(v1, code=f"01-{i:04d}", debts=i % 3) for i in range(1, 7)]
    silent = factories.household(v1, code="01-0099")
    other = factories.household(v2, code="02-0001")
    for i, h in enumerate(reporting):
        months = [1, 3] if i == 5 else [1, 2, 3]
        ledger_entries_add(actor=actor, household=h, lines=_lines(rng, months, 45, codes))
    # The flagged categories appear for sure, in February.
    ledger_entries_add(
        actor=actor,
        household=reporting[0],
        lines=[
            LineInput(date=dt.date(2024, 2, 3), category="C08", amount=Decimal("350.00")),
            LineInput(date=dt.date(2024, 2, 4), category="C10", amount=Decimal("900.00")),
            LineInput(date=dt.date(2024, 2, 5), category="F05", amount=Decimal("20000.00")),
            LineInput(date=dt.date(2024, 2, 6), category="F01", amount=Decimal("1500.00")),
            LineInput(date=dt.date(2024, 2, 6), category="F02", amount=Decimal("120.50")),
        ],
    )
    ledger_entries_add(actor=actor, household=other, lines=_lines(rng, [2], 20, codes))
    victim = LedgerEntry.objects.filter(household=reporting[1], date__month=2).order_by("id").first()
    ledger_entry_reverse(actor=actor, entry=victim, reason="เขียนผิด")
    return {"v1": v1, "v2": v2, "reporting": reporting, "silent": silent, "other": other}


def raw_figures(household, first: dt.date, last: dt.date) -> dict[str, Decimal]:
    """Independent: straight from the ledger lines, category by category."""
    categories = {c.code: c for c in Category.objects.all()}
    f: dict[str, Decimal] = defaultdict(Decimal)
    for e in LedgerEntry.objects.filter(household=household, date__gte=first, date__lte=last):
        c = categories[e.category_id]
        flags = c.flags.split()
        if c.kind == "income" and "borrowing" not in flags:
            f["income"] += e.amount
        if c.kind == "expense":
            f["expense"] += e.amount
            f[c.group] += e.amount
        for flag in flags:
            f[flag] += e.amount
        f[f"cat:{e.category_id}"] += e.amount
    return f


def raw_months_reported(household, first: dt.date, last: dt.date) -> int:
    net: dict[int, int] = defaultdict(int)
    for e in LedgerEntry.objects.filter(household=household, date__gte=first, date__lte=last):
        net[e.date.month + 12 * e.date.year] += -1 if e.reverses_id else 1
    return sum(1 for n in net.values() if n > 0)


PERIODS = [
    ("month", Period.of_month(Month(2024, 2)), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("year", Period.of_year(2567), dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("fiscal", Period.of_fiscal_year(2567), dt.date(2023, 10, 1), dt.date(2024, 9, 30)),
]


# --- figures ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "period", "first", "last"), PERIODS, ids=[p[0] for p in PERIODS])
def test_statement_figures_equal_an_independent_sum_of_the_lines(village_data, name, period, first, last):
    households = [*village_data["reporting"], village_data["silent"], village_data["other"]]
    for s in statements_build(households, period):
        raw = raw_figures(s.household, first, last)
        assert s.income == raw["income"]
        assert s.expense == raw["expense"]
        assert s.balance == raw["income"] - raw["expense"]
        assert (s.production, s.consumption, s.financial) == (raw["production"], raw["consumption"], raw["financial"])
        assert s.production + s.consumption + s.financial == s.expense
        assert s.avoidable == raw["avoidable"]
        assert s.local_food == raw["local_food"]
        assert s.borrowing == raw["borrowing"]
        assert (s.principal_paid, s.interest_paid) == (raw["debt_principal"], raw["interest"])
        assert s.months_reported == raw_months_reported(s.household, first, last)
        assert s.by_category == {k[4:]: v for k, v in raw.items() if k.startswith("cat:") and v}
        # The bars: income sources add up to the income, the top categories to the expense.
        assert sum(b.amount for b in s.income_sources) == s.income
        assert sum(b.amount for b in s.top_categories) == s.expense
        assert len(s.top_categories) <= 10
        debts = Debt.objects.filter(household=s.household)
        assert s.debt_owed == sum((d.principal for d in debts), Decimal(0))
        assert len(s.debts) == debts.count()


def test_statement_of_the_flagged_lines(village_data):
    (s,) = statements_build([village_data["reporting"][0]], Period.of_month(Month(2024, 2)))
    assert {b.code for b in s.avoidable_items} >= {"C08", "C10"}
    assert s.borrowing >= Decimal("20000.00")
    assert s.avoidable_percent == int((s.avoidable * 100 / s.expense).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_an_expense_outside_the_spending_groups_is_never_income(staff):
    """The statement split expense by the category's group with ``sums[group]``, so an
    expense category in the group ``income`` (inconsistent data: the standard list and
    ``category_add`` never make one) was added to the income; the standard figures
    (``area_figures``) counted it as expense only, as now."""
    Category.objects.create(code="X02", group="income", kind="expense", name_th="ทดสอบ", name_en="Test")
    household = factories.household(factories.village("370101", 1))
    lines = [
        LineInput(date=dt.date(2024, 2, 3), category="I01", amount=Decimal("1000.00")),
        LineInput(date=dt.date(2024, 2, 4), category="X02", amount=Decimal("250.00")),
    ]
    ledger_entries_add(actor=Actor(user=staff), household=household, lines=lines)
    (s,) = statements_build([household], Period.of_month(Month(2024, 2)))
    assert (s.income, s.expense) == (Decimal("1000.00"), Decimal("250.00"))
    assert (s.production, s.consumption, s.financial) == (Decimal(0), Decimal(0), Decimal(0))


def _independent_median(households, first: dt.date, last: dt.date) -> dict[str, Decimal]:
    values: dict[str, list[Decimal]] = defaultdict(list)
    for h in households:
        months = raw_months_reported(h, first, last)
        if not months:
            continue
        raw = raw_figures(h, first, last)
        for key in ("income", "expense", "avoidable"):
            values[key].append(raw[key] / months)
    return {k: Decimal(statistics.median(v)).quantize(CENT, rounding=ROUND_HALF_UP) for k, v in values.items()}


@pytest.mark.parametrize(("name", "period", "first", "last"), PERIODS, ids=[p[0] for p in PERIODS])
def test_village_median_equals_statistics_median_of_an_independent_sum(village_data, name, period, first, last):
    village = [*village_data["reporting"], village_data["silent"]]
    expected = _independent_median(village, first, last)
    medians = village_medians(village_data["v1"].code, period)
    reporting = sum(1 for h in village if raw_months_reported(h, first, last))
    assert medians.households == reporting
    assert (medians.income, medians.expense, medians.avoidable) == (
        expected["income"],
        expected["expense"],
        expected["avoidable"],
    )
    assert medians.shown
    # The statement compares per month: its own total over the months it reported.
    (s,) = statements_build([village_data["reporting"][2]], period)
    own = s.income / s.months_reported
    assert s.comparison[0].household == own.quantize(CENT, rounding=ROUND_HALF_UP)
    assert s.comparison[0].median == expected["income"]


def test_the_median_is_hidden_below_five_reporting_households(village_data):
    (s,) = statements_build([village_data["other"]], Period.of_month(Month(2024, 2)))
    assert s.medians.households == 1
    assert not s.medians.shown
    assert all(c.median is None for c in s.comparison)


def test_period_parsing():
    default = Month(2024, 5)
    assert Period.from_params({}, default=default) == Period.of_month(default)
    assert Period.from_params({"month": "2567-03"}, default=default) == Period.of_month(Month(2024, 3))
    assert Period.from_params({"month": "2024-03"}, default=default).label == "มีนาคม 2567"
    assert Period.from_params({"year": "2567"}, default=default).label == "ปี 2567"
    fy = Period.from_params({"fy": "2567"}, default=default)
    assert (fy.start, fy.end, fy.label) == (Month(2023, 10), Month(2024, 9), "ปีงบประมาณ 2567")
    assert Period.from_params({"p": "year:2567"}, default=default) == Period.of_year(2567)
    for bad in ({"month": "March"}, {"year": "67"}, {"p": "week:1"}):
        with pytest.raises(ValueError):
            Period.from_params(bad, default=default)


# --- the PDF -----------------------------------------------------------------------------


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    # -raw keeps Thai marks in reading order (the layout mode moves them).
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def save_png(pdf: Path, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / name)], check=True)
    return next(ARTIFACTS.glob(f"{name}*.png"))


def test_the_statement_pdf_is_one_page_of_thai(client, staff, village_data, tmp_path):
    client.force_login(staff)
    household = village_data["reporting"][0]
    before = AuditEvent.objects.count()
    response = client.get(reverse("ledgers:statement_pdf", args=[household.pk]), {"month": "2024-02"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "s.pdf"
    path.write_bytes(response.content)
    assert pdf_pages(path) == 1
    text = pdf_text(path)
    # Thai wraps without a space to mark it: compare with all whitespace taken out. (SARA
    # AM (ำ) in the text layer is checked by core/tests/test_pdf.py.)
    flat = "".join(text.split())
    (s,) = statements_build([household], Period.of_month(Month(2024, 2)))
    for expected in (
        household.code,
        "กุมภาพันธ์ 2567",
        "รู้จักตัวเอง",
        "ค่ากลางของหมู่บ้าน",
        "ครัวเรือนของท่าน",
        "หมู่ 1 บ้านบุ่ง",
        "ต.บุ่ง",
        s.head_name,
        f"฿{format_amount(s.income)}",
        f"฿{format_amount(s.expense)}",
        f"฿{format_amount(s.avoidable)}",
        f"เท่ากับ {s.avoidable_percent}% ของรายจ่าย",
        f"฿{format_amount(s.medians.income)}",
        "เหล้า บุหรี่ หวย",
    ):
        assert "".join(expected.split()) in flat, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Sarabun" in fonts
    save_png(path, "statement-month")
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id) == ("export", "household_statement", str(household.pk))
    assert event.detail["period"] == {"month": "2024-02"}


def test_the_statement_page_shows_the_same_and_is_audited(client, staff, village_data):
    client.force_login(staff)
    household = village_data["reporting"][0]
    response = client.get(reverse("ledgers:statement", args=[household.pk]), {"year": "2567"})
    page = response.content.decode()
    (s,) = statements_build([household], Period.of_year(2567))
    assert response.status_code == 200
    assert "ปี 2567" in page and "ค่ากลางของหมู่บ้าน" in page and format_amount(s.expense) in page
    assert reverse("ledgers:statement_pdf", args=[household.pk]) + "?year=2567" in page
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type, event.detail["period"]) == (
        "view",
        "household_statement",
        {"year": "2567"},
    )
    assert client.get(reverse("ledgers:statement", args=[household.pk]), {"month": "xx"}).status_code == 400


def test_the_busiest_household_still_fits_one_page(staff, tmp_path, caplog):
    """Every standard category, custom sub-categories, long names, many debts."""
    actor = Actor(user=staff)
    village = factories.village("370101", 3, "บ้านหนองยาวมากชื่อหมู่บ้านยาวเป็นพิเศษ")
    household = factories.household(village, code="03-BUSY-0001", debts=0)
    for i in range(8):
        Debt.objects.create(
            household=household, source=f"D0{i % 7 + 1}", principal=Decimal("123456.78") + i,
            interest_rate=Decimal("18.50"), monthly_payment=Decimal("4567.89"), as_of=dt.date(2024, 1, 1),
        )  # fmt: skip
    parent = Category.objects.get(code="C19")
    for n in range(4):
        category_add(actor=actor, parent=parent, code=f"C19X{n}", name_th=f"ค่าใช้จ่ายเบ็ดเตล็ดที่ตั้งชื่อยาวมากเป็นพิเศษ {n}")
    codes = list(Category.objects.values_list("code", flat=True))
    assert len(codes) >= 46
    rng = random.Random(40)
    lines = [
        LineInput(date=dt.date(2024, 2, 1 + i % 28), category=code, amount=Decimal(rng.randint(5000, 900000)) / 100)
        for i, code in enumerate(codes)
    ]
    ledger_entries_add(actor=actor, household=household, lines=lines)
    for name, period in (("busy-month", Period.of_month(Month(2024, 2))), ("busy-year", Period.of_year(2567))):
        statements = statements_build([household], period)
        assert len(statements[0].by_category) >= 45 and statements[0].categories_used >= 36
        with caplog.at_level("WARNING", logger="chumchon.ledgers.statement_pdfs"):
            pdf = statement_pdfs.statements_pdf(statements)
        assert "ran over" not in caplog.text  # fitted without the compact fallback
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        assert pdf_pages(path) == 1
        text = pdf_text(path)
        assert "03-BUSY-0001" in text and "และอีก 3 รายการ" in text
        save_png(path, f"statement-{name}")


def test_village_batch_in_the_request_has_a_page_per_reporting_household(client, staff, village_data, tmp_path):
    client.force_login(staff)
    response = client.get(reverse("ledgers:village_statements_pdf", args=["37010101"]), {"month": "2567-02"})
    assert response.status_code == 200
    path = tmp_path / "v.pdf"
    path.write_bytes(response.content)
    # Five of village 1's households reported in February: not 01-0006 (none that month), not 01-0099.
    assert pdf_pages(path) == 5
    text = pdf_text(path)
    assert all(f"01-000{i}" in text for i in range(1, 6))
    assert "01-0006" not in text and "01-0099" not in text and "02-0001" not in text
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type, event.area_code) == ("export", "household_statements", "37010101")
    assert sorted(event.detail["households"]) == sorted(h.pk for h in village_data["reporting"][:5])


def test_a_big_village_batch_runs_in_the_background(client, staff, village_data, tmp_path, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(statement_pdfs, "IN_REQUEST_LIMIT", 2)
    monkeypatch.setattr("chumchon.ledgers.views.statements.IN_REQUEST_LIMIT", 2)
    client.force_login(staff)
    url = reverse("ledgers:village_statements", args=["37010101"])
    # The direct PDF address sends a big village to its page...
    response = client.get(reverse("ledgers:village_statements_pdf", args=["37010101"]), {"month": "2024-02"})
    assert response.status_code == 302 and response["Location"].startswith(url)
    assert (
        f'<form method="post" action="{url}?month=2024-02">' in client.get(url, {"month": "2024-02"}).content.decode()
    )
    # ...where the batch is started; the immediate backend has made it by the redirect.
    response = client.post(f"{url}?month=2024-02")
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    page = client.get(response["Location"])
    assert page.status_code == 200 and reverse("ledgers:statement_batch_pdf", args=[token]) in page.content.decode()
    before = AuditEvent.objects.count()
    download = client.get(reverse("ledgers:statement_batch_pdf", args=[token]))
    assert download.status_code == 200
    path = tmp_path / "batch.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    assert pdf_pages(path) == 5
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type, event.area_code) == ("export", "household_statements", "37010101")
    # The job is a row: who asked, the village, period and households, and how it went.
    batch = StatementBatch.objects.get(token=token)
    assert (batch.user, batch.village_id, batch.period_obj, batch.status, batch.done, batch.total) == (
        staff, "37010101", Period.of_month(Month(2024, 2)), "done", 5, 5,
    )  # fmt: skip
    assert batch.runner and batch.task_id and batch.finished_at and batch.pdf_name == f"{token}.pdf"
    assert event.detail == {"period": {"month": "2024-02"}, "households": batch.household_ids, "batch": token}
    assert sorted(batch.household_ids) == sorted(h.pk for h in village_data["reporting"][:5])
    save_png(path, "statement-batch")
    # Only the person who asked may fetch it; another officer of the same tambon may not.
    other = factories.user(Role.TAMBON_STAFF, "370101")
    client.force_login(other)
    before = AuditEvent.objects.count()
    assert client.get(reverse("ledgers:statement_batch_pdf", args=[token])).status_code == 404
    assert client.get(reverse("ledgers:statement_batch", args=[token])).status_code == 404
    assert client.get(reverse("ledgers:statement_batch", args=["0" * 32])).status_code == 404
    assert AuditEvent.objects.count() == before


def test_the_command_writes_a_statement_and_a_village(village_data, tmp_path):
    household = village_data["reporting"][0]
    out = tmp_path / "one.pdf"
    call_command("statement", str(household.pk), "--month", "2567-02", "--out", str(out))
    assert pdf_pages(out) == 1 and "กุมภาพันธ์ 2567" in pdf_text(out)
    out = tmp_path / "village.pdf"
    call_command("statement", "--village", "37010101", "--year", "2567", "--out", str(out))
    assert pdf_pages(out) == 6  # every household that reported in 2567
    assert AuditEvent.objects.filter(object_type="household_statements", action="export").exists()


# --- scope ------------------------------------------------------------------------------


def _addresses(village_data) -> list[str]:
    household = village_data["reporting"][0]
    return [
        reverse("ledgers:statement", args=[household.pk]) + "?month=2024-02",
        reverse("ledgers:statement_pdf", args=[household.pk]) + "?month=2024-02",
        reverse("ledgers:village_statements", args=["37010101"]) + "?month=2024-02",
        reverse("ledgers:village_statements_pdf", args=["37010101"]) + "?month=2024-02",
    ]


@pytest.mark.parametrize(
    ("role", "area"),
    [
        (Role.VOLUNTEER, "37010102"),  # another village's volunteer
        (Role.AGENCY, "37"),  # aggregates only
        (Role.AGENCY, None),
        (Role.DISTRICT_COORDINATOR, "3702"),  # another district
        (Role.TAMBON_STAFF, "370102"),  # another tambon
    ],
)
def test_out_of_scope_is_a_404_and_nothing_is_audited(client, village_data, role, area):
    client.force_login(factories.user(role, area))
    before = AuditEvent.objects.count()
    for url in _addresses(village_data):
        assert client.get(url).status_code == 404, url
    # A write the role may never do is refused before anything is looked up (403); one
    # it may do elsewhere is out of scope (404) — access.permissions.
    assert client.post(_addresses(village_data)[2]).status_code == (403 if role == Role.AGENCY else 404)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("role", "area"), [(Role.VOLUNTEER, "37010101"), (Role.DISTRICT_COORDINATOR, "3701"), (Role.ADMIN, None)]
)
def test_in_scope_readers_get_the_statement(client, village_data, role, area):
    client.force_login(factories.user(role, area))
    assert client.get(_addresses(village_data)[0]).status_code == 200
    assert client.get(_addresses(village_data)[2]).status_code == 200


# --- the PDF helper ----------------------------------------------------------------------

THAI = "ครัวเรือนของท่านใช้จ่ายกับอาหารที่ผลิตเองได้ในหมู่บ้านมากกว่าค่ากลางของหมู่บ้านควรพิจารณาปลูกผักสวนครัวและเลี้ยงไก่ไข่เพื่อลดรายจ่าย"


def _breaks_between_words(text: str, lines: list[str]) -> bool:
    """Each line break falls between words: at a boundary of the dictionary segmentation,
    or between two parts that are themselves dictionary words (ใช้|จ่าย, ค่า|กลาง)."""
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    words = thai_words()
    tokens = word_tokenize(text, engine="newmm")
    bounds, pos, spans = {0}, 0, []
    for t in tokens:
        spans.append((pos, pos + len(t)))
        pos += len(t)
        bounds.add(pos)
    cut = 0
    for line in lines[:-1]:
        cut += len(line)
        if cut in bounds:
            continue
        start, end = next((a, b) for a, b in spans if a < cut < b)
        left, right = text[start:cut], text[cut:end]
        if not all(w in words for w in (*word_tokenize(left), *word_tokenize(right))):
            return False
    return True


def test_thai_breaks_between_words_and_keeps_its_marks(tmp_path):
    html = f'<div style="width: 38mm; font-size: 11pt">{THAI}</div>'
    path = tmp_path / "thai.pdf"
    path.write_bytes(render_html_document(html).write_pdf())
    lines = [line for line in pdf_text(path).splitlines() if line.strip() and line != "\f"]
    assert len(lines) >= 5
    assert "".join(lines) == THAI  # every tone mark and vowel is there, in order
    assert _breaks_between_words(THAI, lines)
    # The check itself catches a break inside a word (หมู่บ|้าน).
    cut = THAI.index("หมู่บ้าน") + len("หมู่บ")
    assert not _breaks_between_words(THAI, [THAI[:cut], THAI[cut:]])


def test_the_pdf_helper_never_fetches_from_the_network(tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    html = (
        '<link rel="stylesheet" href="http://example.com/x.css">'
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
        '<img src="https://example.com/logo.png"><img src="file:///etc/passwd">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "<p>รู้จักตัวเอง</p>"
    )
    path = tmp_path / "n.pdf"
    path.write_bytes(render_html_document(html).write_pdf())
    assert "รู้จักตัวเอง" in pdf_text(path)
    from chumchon.core.pdf import _is_allowed_file

    assert not _is_allowed_file(secret) and not _is_allowed_file(Path("/etc/passwd"))
    assert _is_allowed_file(Path(__file__).resolve().parents[2] / "core/static/chumchon/fonts/Sarabun_700Bold.ttf")

"""The learning-forum pack: the PDF's text against an independent computation, the
spreadsheet's numbers, the discussion questions and ``chumchon report forum``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from chumchon.access.models import AuditEvent
from chumchon.insights.forum.pack import PackNotAvailable, forum_pack_build
from chumchon.insights.forum.tables import Column, PackTable, Typed, format_diff, format_money, format_share
from chumchon.insights.forum.xlsx import sheet_name
from chumchon.insights.tests.forum_data import (
    AVOIDABLE,
    LOCAL_FOOD,
    MONTH,
    MONTH_TH,
    expected_least_surplus_group,
    expected_month,
    make_forum_data,
    norm,
    pdf_pages,
    pdf_text,
    whole,
)
from chumchon.ledgers.models import Category

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "forum"


@pytest.fixture
def data():
    return make_forum_data()


def _names() -> dict[str, str]:
    return dict(Category.objects.values_list("code", "name_th"))


def test_the_village_pack_pdf_shows_the_area_the_be_month_and_the_figures(data, tmp_path, capsys):
    out = tmp_path / "village.pdf"
    before = AuditEvent.objects.count()
    call_command("report", "forum", data.v1.code, "--month", "2567-02", "--out", str(out), "--internal")
    assert "หมู่ 1 บ้านหนองบัว" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    expected = expected_month(data.v1)
    names = _names()
    for needle in (
        "หมู่ 1 บ้านหนองบัว",  # the cover, and every page's footer
        "ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ",
        MONTH_TH,
        whole(expected.income),  # key figures: the whole village's income and expense
        whole(expected.expense),
        whole(expected.income_mean),
    ):
        assert norm(needle) in text, needle
    # The discussion questions name the largest avoidable spend and local-food purchase,
    # and the occupation group with the least surplus.
    code, amount = expected.largest(AVOIDABLE)
    assert norm(names[code]) in text and whole(amount) in text
    code, amount = expected.largest(LOCAL_FOOD)
    assert norm(names[code]) in text and whole(amount) in text
    group, surplus = expected_least_surplus_group(data.v1)
    assert norm(group) in text and whole(abs(surplus)) in text
    # No household or person is ever printed in a pack.
    for h in data.households:
        assert h.code not in text
        head = h.members.get(is_head=True)
        assert norm(head.first_name) not in text
    # Sarabun is embedded; every page is A4 and the pack is short enough to print.
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Sarabun" in fonts
    assert 5 <= pdf_pages(out) <= 12
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id) == ("export", "forum_pack", data.v1.code)
    assert event.detail["month"] == "2024-02" and event.detail["format"] == "pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(ARTIFACTS / "village")], check=True)


def test_the_tambon_pack_compares_its_villages(data, tmp_path):
    out = tmp_path / "tambon.pdf"
    call_command("report", "forum", data.tambon.code, "--month", "2024-02", "--out", str(out), "--internal")
    text = pdf_text(out)
    assert norm("ต.บุ่ง") in text and norm(MONTH_TH) in text
    v1, v2 = expected_month(data.v1), expected_month(data.v2)
    assert whole(v1.income + v2.income) in text
    assert whole(v1.income_mean) in text and whole(v2.income_mean) in text  # the villages table
    assert norm("หมู่ 1 บ้านหนองบัว") in text and norm("หมู่ 2 บ้านโนนสูง") in text


def test_the_spreadsheet_holds_the_same_tables_with_exact_amounts(data, tmp_path):
    out = tmp_path / "village.xlsx"
    call_command("report", "forum", data.v1.code, "--month", "2024-02", "--out", str(out), "--internal")
    book = CalamineWorkbook.from_path(str(out))
    pack = forum_pack_build(data.v1, MONTH, lang="th", internal=True)
    with translation.override("th"):
        expected_sheets = [_("Forum pack")]
    taken: set[str] = {expected_sheets[0].casefold()}
    expected_sheets += [sheet_name(t.sheet or t.title, taken) for t in pack.tables]
    assert book.sheet_names == expected_sheets
    expected = expected_month(data.v1)
    key = book.get_sheet_by_index(1).to_python()
    assert key[0][0] == pack.tables[0].title
    numbers = [row[1] for row in key[3:] if isinstance(row[1], float)]
    assert float(expected.income) in numbers and float(expected.expense) in numbers
    assert float(expected.reporting) in numbers
    spending = book.get_sheet_by_index(1 + [t.key for t in pack.tables].index("spending_by_category")).to_python()
    names = _names()
    by_name = {row[0]: row[1] for row in spending[3:] if row and isinstance(row[1], float)}
    for code, amount in expected.by_category.items():
        if Category.objects.get(code=code).kind == "expense" and amount:
            assert by_name[names[code]] == pytest.approx(float(amount), abs=0.001), code
    cover = flat_rows(book.get_sheet_by_index(0).to_python())
    assert data.v1.code in cover and "หมู่ 1 บ้านหนองบัว" in cover and MONTH_TH in cover


def flat_rows(rows: list[list[object]]) -> str:
    return "\n".join(" ".join(str(c) for c in row) for row in rows)


def test_questions_come_from_the_data(data):
    pack = forum_pack_build(data.v1, MONTH, internal=True)
    keys = [q.key for q in pack.questions]
    assert keys[:3] == ["avoidable", "local_food", "occupation"]
    expected = expected_month(data.v1)
    names = _names()
    code, amount = expected.largest(AVOIDABLE)
    assert names[code] in pack.questions[0].fact and whole(amount) in pack.questions[0].fact
    code, amount = expected.largest(LOCAL_FOOD)
    assert names[code] in pack.questions[1].fact and whole(amount) in pack.questions[1].fact
    group, _surplus = expected_least_surplus_group(data.v1)
    assert group in pack.questions[2].fact and group in pack.questions[2].question


def test_a_month_without_accounts_still_makes_a_pack(data, tmp_path):
    pack = forum_pack_build(data.v1, MONTH.add(14), internal=True)
    assert not pack.has_data
    assert [q.key for q in pack.questions] == ["none"]
    out = tmp_path / "empty.pdf"
    call_command("report", "forum", data.v1.code, "--month", MONTH.add(14).iso(), "--out", str(out), "--internal")
    assert norm("หมู่ 1 บ้านหนองบัว") in pdf_text(out)


def test_packs_are_for_villages_and_tambons_only(data):
    with pytest.raises(PackNotAvailable):
        forum_pack_build(data.tambon.parent, MONTH)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("370101", "--month", "2567-13"), 3),  # no such month
        (("99999999", "--month", "2567-02"), 3),  # no such area
        (("3701", "--month", "2567-02"), 3),  # a district has no pack
    ],
)
def test_refused_input_exits_3_and_writes_nothing(data, tmp_path, args, code):
    out = tmp_path / "x.pdf"
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("report", "forum", *args, "--out", str(out))
    assert refused.value.returncode == code
    assert not out.exists()
    assert AuditEvent.objects.count() == before


def test_json_prints_one_document(data, tmp_path, capsys):
    out = tmp_path / "v.pdf"
    call_command("report", "forum", data.v1.code, "--month", "2567-02", "--out", str(out), "--internal", "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["file"] == str(out) and body["format"] == "pdf" and body["area"] == data.v1.code
    assert body["month"] == "2024-02" and body["month_label"] == MONTH_TH
    assert body["pages"] == pdf_pages(out)
    assert body["households_reporting"] == expected_month(data.v1).reporting
    assert body["questions"] >= 3


def test_usage_errors_exit_2(tmp_path):
    env = {**os.environ, "CHUMCHON_VAR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    for args in (
        ["report", "forum", "37010101", "--month", "2567-02"],  # no --out
        ["report", "forum", "37010101", "--month", "2567-02", "--out", str(tmp_path / "x.txt")],  # no format
        ["report", "nonsense"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "chumchon.cli", *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 2, (args, result.stderr)


def test_cells_are_formatted_as_printed():
    assert format_money(Decimal("1234.5")) == "1,235"
    assert format_money(Decimal("-0.4")) == "0"
    assert format_money(None) == "–"
    assert format_share(Decimal("0.1234")) == "12.3%"
    assert (format_diff(Decimal("0.35")), format_diff(Decimal("-0.12")), format_diff(None)) == ("+35%", "−12%", "–")
    table = PackTable(
        key="t",
        title="t",
        columns=(Column("a"), Column("b", "money"), Column("c", "count")),
        rows=(("x", Decimal("-50"), 3), ("y", Decimal("100"), Typed(Decimal("0.5"), "share"))),
        bar=1,
    )
    rows = table.printed_rows()
    assert [r.cells for r in rows] == [
        [("x", False), ("-50", True), ("3", True)],
        [("y", False), ("100", True), ("50.0%", True)],
    ]
    assert [(r.bar, r.negative) for r in rows] == [(Decimal("50.0"), True), (Decimal("100.0"), False)]
    assert table.diverging
    with pytest.raises(ValueError, match="cells"):
        PackTable(key="bad", title="bad", columns=(Column("a"),), rows=(("x", 1),))
    assert sheet_name("a/b:c", set()) == "a b c"
    taken: set[str] = set()
    assert [sheet_name("x" * 40, taken) for _ in range(2)] == ["x" * 31, "x" * 27 + " (2)"]


def test_the_command_prints_the_public_pack_unless_asked_for_the_internal_copy(data, tmp_path):
    """A pack is printed for a forum: whoever prints it, the small-cell rule applies.
    The small village is the big one's only sibling with accounts, so the big one's
    income would give the small one's back and is hidden too."""
    out = tmp_path / "public.pdf"
    call_command("report", "forum", data.v1.code, "--month", "2567-02", "--out", str(out))
    public = pdf_text(out)
    assert whole(expected_month(data.v1).income) not in public and norm("ใช้ภายใน") not in public
    inside = tmp_path / "internal.pdf"
    call_command("report", "forum", data.v1.code, "--month", "2567-02", "--out", str(inside), "--internal")
    internal = pdf_text(inside)
    assert whole(expected_month(data.v1).income) in internal and norm("ใช้ภายใน") in internal
    event = AuditEvent.objects.filter(object_type="forum_pack").order_by("-id").first()
    assert event is not None and event.detail["internal"] is True

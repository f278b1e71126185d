"""The items asking the local government, as its project form (XlsxWriter).

One sheet per อปท. (the items of each tambon; those of a plan above a tambon go to the
province's), laid out as the local development plan's project form, แบบ ผ.02: its
heading rows, then ที่ | โครงการ | วัตถุประสงค์ | เป้าหมาย (ผลผลิตของโครงการ) |
งบประมาณ, one column per year of the five-year plan, the item's fiscal year filled |
ตัวชี้วัด (KPI) | ผลลัพธ์ที่คาดว่าจะได้รับ | หน่วยงานรับผิดชอบหลัก. The council copies the
rows into its plan and fills what only it can (its strategies, the expected results).
Items declined, or already part of another item listed, are left out; evidence is the
public copy's (the small-cell rule).
"""

from __future__ import annotations

import io
from collections import defaultdict

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _

from chumchon.insights.forum.xlsx import sheet_name
from chumchon.plans.report.build import DASH, ItemLine, PlanReport, local_plan_years

FORM = "แบบ ผ.02"
HEADINGS = ("ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย\n(ผลผลิตของโครงการ)")
TAIL = ("ตัวชี้วัด\n(KPI)", "ผลลัพธ์ที่\nคาดว่าจะได้รับ", "หน่วยงาน\nรับผิดชอบหลัก")
WIDTHS = (5, 30, 30, 24) + (12,) * 5 + (32, 22, 18)
HEADER_ROW = 9  # the first of the two header rows


def budget_columns(fiscal_year: int) -> tuple[int, ...]:
    return local_plan_years(fiscal_year)


def form_columns(fiscal_year: int) -> list[str]:
    """The form's columns as the second header row reads them (the years under งบประมาณ)."""
    return [*HEADINGS, *(f"{y}\n(บาท)" for y in budget_columns(fiscal_year)), *TAIL]


def _local_government(report: PlanReport, tambon_code: str) -> tuple[str, str]:
    """The อปท.'s full name with its district and province, and its short name."""
    tambon, district, province = report.tambon_names.get(tambon_code, ("", "", ""))
    if not tambon_code:
        return f"องค์การบริหารส่วนจังหวัด{province}", f"อบจ.{province}"
    return f"องค์การบริหารส่วนตำบล{tambon} อำเภอ{district} จังหวัด{province}", f"อบต.{tambon}"


def _target(item: ItemLine, report: PlanReport) -> str:
    where = item.place or report.area_name
    if not item.households:
        return where
    return f"{where} " + _("%(n)s households") % {"n": f"{item.households:,}"}


def _kpi(item: ItemLine) -> str:
    lines = [f"{e.label} ({e.area_name} {e.span}): {e.cited}" for e in item.evidence if e.is_figure and e.cited != DASH]
    lines += [f"{e.label}: {e.cited}" for e in item.evidence if not e.is_figure and e.cited != DASH]
    return "\n".join(lines)


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": "TH SarabunPSK", "font_size": 14}
        self.form = book.add_format({**base, "bold": True, "align": "right"})
        self.title = book.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.line = book.add_format(base)
        self.note = book.add_format({**base, "italic": True, "font_color": "#444444"})
        self.header = book.add_format(
            {**base, "bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}
        )
        self.cell = book.add_format({**base, "border": 1, "text_wrap": True, "valign": "top"})
        self.number = book.add_format({**base, "border": 1, "valign": "top", "align": "center"})
        self.money = book.add_format({**base, "border": 1, "valign": "top", "num_format": "#,##0.00"})
        self.total = book.add_format({**base, "bold": True, "border": 1, "align": "center"})
        self.total_money = book.add_format({**base, "bold": True, "border": 1, "num_format": "#,##0.00"})


def _sheet(
    book: xlsxwriter.Workbook, report: PlanReport, tambon_code: str, items: list[ItemLine], f: _Formats, taken: set[str]
) -> None:
    full, short = _local_government(report, tambon_code)
    sheet = book.add_worksheet(sheet_name(f"ผ.02 {short}", taken))
    years = budget_columns(report.fiscal_year)
    last = len(WIDTHS) - 1
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write_string(0, last, FORM, f.form)
    sheet.merge_range(1, 0, 1, last, "รายละเอียดโครงการพัฒนา", f.title)
    sheet.merge_range(2, 0, 2, last, f"แผนพัฒนาท้องถิ่น (พ.ศ. {years[0]} - {years[-1]})", f.title)
    sheet.merge_range(3, 0, 3, last, full, f.title)
    for row, text in enumerate(
        (
            "ก. ยุทธศาสตร์จังหวัดที่ ..........",
            "ข. ยุทธศาสตร์การพัฒนาของ อปท. ในเขตจังหวัดที่ ..........",
            "1. ยุทธศาสตร์ ..........",
            "1.1 แผนงาน ..........",
        ),
        start=4,
    ):
        sheet.write_string(row, 0, text, f.line)
    sheet.write_string(
        8,
        0,
        _("From the community plan of %(area)s, fiscal year %(year)s: the items asking the local government.")
        % {"area": report.area_name, "year": report.fiscal_year},
        f.note,
    )
    top, sub = HEADER_ROW, HEADER_ROW + 1
    for col, text in enumerate(HEADINGS):
        sheet.merge_range(top, col, sub, col, text, f.header)
    first_year = len(HEADINGS)
    sheet.merge_range(top, first_year, top, first_year + len(years) - 1, "งบประมาณ", f.header)
    for n, year in enumerate(years):
        sheet.write_string(sub, first_year + n, f"{year}\n(บาท)", f.header)
    for n, text in enumerate(TAIL):
        col = first_year + len(years) + n
        sheet.merge_range(top, col, sub, col, text, f.header)
    line = sub + 1
    totals = dict.fromkeys(years, 0.0)
    for n, item in enumerate(items, start=1):
        sheet.write_number(line, 0, n, f.number)
        sheet.write_string(line, 1, item.title, f.cell)
        sheet.write_string(line, 2, item.problem, f.cell)
        sheet.write_string(line, 3, _target(item, report), f.cell)
        for k, year in enumerate(years):
            if year == item.fiscal_year:
                amount = float(item.amount_asked)
                totals[year] += amount
                sheet.write_number(line, first_year + k, amount, f.money)
            else:
                sheet.write_blank(line, first_year + k, None, f.money)
        tail = first_year + len(years)
        sheet.write_string(line, tail, _kpi(item), f.cell)
        sheet.write_blank(line, tail + 1, None, f.cell)
        sheet.write_string(line, tail + 2, short, f.cell)
        line += 1
    if not items:
        sheet.merge_range(line, 0, line, last, _("No item asks the local government."), f.cell)
        line += 1
    sheet.merge_range(line, 0, line, 3, f"รวม {len(items)} โครงการ", f.total)
    for k, year in enumerate(years):
        sheet.write_number(line, first_year + k, totals[year], f.total_money)
    for col in range(first_year + len(years), last + 1):
        sheet.write_blank(line, col, None, f.total)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top, sub)
    sheet.freeze_panes(sub + 1, 2)


def plan_report_xlsx(report: PlanReport) -> bytes:
    """The อปท.'s project forms (แบบ ผ.02) of the plan's items asking it, as .xlsx bytes."""
    buffer = io.BytesIO()
    with translation.override(report.lang):
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        book.set_properties({"title": f"{FORM} {report.area_name} {report.fiscal_year}", "author": "Chumchon"})
        formats = _Formats(book)
        taken: set[str] = set()
        by_tambon: dict[str, list[ItemLine]] = defaultdict(list)
        for item in report.local_government_items:
            by_tambon[item.tambon_code].append(item)
        if not by_tambon:
            by_tambon[report.area.tambon_code or ""] = []
        for code in sorted(by_tambon):
            _sheet(book, report, code, by_tambon[code], formats, taken)
        book.close()
    return buffer.getvalue()

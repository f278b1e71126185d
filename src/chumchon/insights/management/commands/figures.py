from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chumchon.areas.selectors import areas_qs
from chumchon.core.command import ChumchonCommand, InputRejected
from chumchon.core.thai import Month, display_width, format_amount, pad
from chumchon.insights.selectors import area_figures


class Command(ChumchonCommand):
    help = "The standard figures of an area over a span of months (from the rollups)."
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("area", help="area code: 2, 4, 6 or 8 digits")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM (a year above 2400 is BE)")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM (a year above 2400 is BE)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start, end = Month.parse(options["start"]), Month.parse(options["end"])
        except ValueError as exc:
            raise InputRejected(self.t(f"เดือนไม่ถูกต้อง: {exc}", f"Bad month: {exc}")) from exc
        if end < start:
            raise InputRejected(self.t("--to ต้องไม่ก่อน --from", "--to must not be before --from"))
        area = areas_qs().filter(code=options["area"]).first()
        if area is None:
            raise InputRejected(self.t(f"ไม่พบพื้นที่รหัส {options['area']}", f"No area with code {options['area']}"))
        figures = area_figures(area.code, start, end)
        if options["json"]:
            self.emit_json(figures.as_json())
            return
        lang = self.lang
        rows = [
            (self.t("ครัวเรือนที่ขึ้นทะเบียน", "households registered"), f"{figures.households:,}"),
            (
                self.t("  ย้ายออก/ยุบ ระหว่างช่วงหรือหลังจากนั้น", "  of them moved away/dissolved during or since"),
                f"{figures.households_left:,}",
            ),
            (self.t("ครัวเรือนที่ส่งบัญชี", "households reporting"), f"{figures.households_reporting:,}"),
            (self.t("รายรับ (ไม่รวมเงินกู้)", "income (without loans)"), format_amount(figures.income)),
            (self.t("รายจ่าย", "expense"), format_amount(figures.expense)),
            (self.t("  ต้นทุนการผลิต", "  production"), format_amount(figures.production)),
            (self.t("  การบริโภค", "  consumption"), format_amount(figures.consumption)),
            (self.t("  การเงิน", "  financial"), format_amount(figures.financial)),
            (
                self.t("รายจ่ายที่ลดได้ (เหล้า บุหรี่ หวย)", "avoidable (alcohol, tobacco, gambling)"),
                format_amount(figures.avoidable),
            ),
            (self.t("อาหารที่ผลิตเองได้", "food the village could grow"), format_amount(figures.local_food)),
            (self.t("เงินกู้ที่ได้รับ", "borrowing"), format_amount(figures.borrowing)),
        ]
        self.stdout.write(
            f"{area.display_name} ({area.code}) {start.label(lang=lang, full=False)} – {end.label(lang=lang, full=False)}"
        )
        width = max(display_width(label) for label, _ in rows)
        for label, value in rows:
            self.stdout.write(f"  {pad(label, width)}  {value:>16}")

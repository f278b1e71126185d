"""``chumchon report``: printed documents.

- ``report forum AREA --month MONTH --out FILE.pdf|.xlsx`` — the learning-forum pack of
  a village or tambon (insights).
- ``report plan AREA --year YYYY --out FILE.pdf|.xlsx`` — the community plan of an area
  for a fiscal year (BE): the PDF for the village forum and the อปท. council, or the
  xlsx of the items asking the อปท. as its project form (แบบ ผ.02). Always the public
  copy (the small-cell rule).

It stands with the commands that tie several apps together (the plans stand above
the insights in the layers), not in either app.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chumchon.access.services import Actor
from chumchon.areas.selectors import areas_qs
from chumchon.core.command import EXIT_USAGE, ChumchonCommand, InputRejected
from chumchon.core.thai import Month, arabic_digits
from chumchon.insights.forum.batch import forum_pack_record_export
from chumchon.insights.forum.pack import PACK_LEVELS, forum_pack_build
from chumchon.insights.forum.pdf import forum_pack_pdf
from chumchon.insights.forum.xlsx import forum_pack_xlsx
from chumchon.plans.models import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from chumchon.plans.report import (
    NothingToPrint,
    form_columns,
    plan_report_build,
    plan_report_pdf,
    plan_report_record_export,
    plan_report_xlsx,
)

FORMATS = {".pdf": "pdf", ".xlsx": "xlsx"}
AREA_CODE = re.compile(r"\d{2}|\d{4}|\d{6}|\d{8}")


class Command(ChumchonCommand):
    help = (
        "Reports: chumchon report forum AREA --month MONTH --out FILE.pdf — the learning-forum "
        "pack of a village or tambon (FILE.xlsx for its tables as a spreadsheet); "
        "chumchon report plan AREA --year YYYY --out FILE.pdf — the community plan of an area "
        "for a fiscal year (FILE.xlsx: the items asking the local government, as its form ผ.02)."
    )
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        forum = self.add_action(sub, "forum", help="the learning-forum pack of a village or tambon (PDF or xlsx)")
        forum.add_argument("area", help="8-digit village or 6-digit tambon code")
        forum.add_argument("--month", required=True, help="YYYY-MM (a year above 2400 is BE), e.g. 2567-03")
        forum.add_argument("--out", required=True, help="the file to write: .pdf, or .xlsx for the tables")
        forum.add_argument(
            "--internal",
            action="store_true",
            help="every figure, including those behind fewer than 5 households (marked for internal use; audited)",
        )
        plan = self.add_action(sub, "plan", help="the community plan of an area for a fiscal year (PDF or xlsx)")
        plan.add_argument("area", help="the code of a village (8 digits), tambon (6), district (4) or province (2)")
        plan.add_argument("--year", required=True, help="the fiscal year, Buddhist Era (e.g. 2568)")
        plan.add_argument(
            "--out", required=True, help="the file to write: .pdf, or .xlsx for the local government's form ผ.02"
        )

    def _format(self, out: Path) -> str:
        fmt = FORMATS.get(out.suffix.lower())
        if fmt is None:
            raise CommandError(
                self.t("--out ต้องเป็นไฟล์ .pdf หรือ .xlsx", "--out must end in .pdf or .xlsx"), returncode=EXIT_USAGE
            )
        return fmt

    def _folder(self, out: Path) -> None:
        if not out.parent.is_dir():
            raise InputRejected(self.t(f"ไม่พบโฟลเดอร์ {out.parent}", f"No such folder: {out.parent}"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "plan":
            self.plan(options)
        else:
            self.forum(options)

    # --- forum ----------------------------------------------------------------------

    def forum(self, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        fmt = self._format(out)
        try:
            month = Month.parse(options["month"])
        except ValueError as exc:
            raise InputRejected(self.t(f"เดือนไม่ถูกต้อง: {exc}", f"Bad month: {exc}")) from exc
        code = options["area"].strip()
        area = areas_qs().filter(code=code).first()
        if area is None:
            raise InputRejected(self.t(f"ไม่พบพื้นที่รหัส {code}", f"No area with code {code}"))
        if area.level not in PACK_LEVELS:
            raise InputRejected(
                self.t(
                    f"ทำเอกสารเวทีได้เฉพาะหมู่บ้านหรือตำบล ({code} ไม่ใช่)",
                    f"Forum packs are for a village or a tambon ({code} is neither)",
                )
            )
        self._folder(out)
        started = time.perf_counter()
        pack = forum_pack_build(area, month, lang=self.lang, internal=options["internal"])
        pages: int | None = None
        if fmt == "pdf":
            data, pages = forum_pack_pdf(pack)
        else:
            data = forum_pack_xlsx(pack)
        out.write_bytes(data)
        forum_pack_record_export(
            actor=Actor.system("chumchon report forum"),
            area=area,
            month=month,
            fmt=fmt,
            pages=pages,
            internal=pack.internal,
        )
        seconds = round(time.perf_counter() - started, 2)
        d = pack.dashboard
        if options["json"]:
            self.emit_json(
                {
                    "file": str(out),
                    "format": fmt,
                    "area": area.code,
                    "area_name": pack.area_name,
                    "level": area.level,
                    "month": month.iso(),
                    "month_label": pack.month_label,
                    "pages": pages,
                    "households": d.households,
                    "households_reporting": d.reporting,
                    "tables": len(pack.tables),
                    "questions": len(pack.questions),
                    "seconds": seconds,
                }
            )
            return
        what = (
            self.t(f"{pages} หน้า", f"{pages} pages")
            if pages is not None
            else self.t(f"{len(pack.tables)} ตาราง", f"{len(pack.tables)} tables")
        )
        self.stdout.write(
            self.t(
                f"เขียน {out} แล้ว: เอกสารเวทีเรียนรู้ {pack.area_name} {pack.month_label}, {what} ({seconds} วินาที)",
                f"Wrote {out}: the forum pack of {pack.area_name}, {pack.month_label}, {what} ({seconds} s)",
            )
        )

    # --- plan -----------------------------------------------------------------------

    def _year(self, text: str) -> int:
        text = arabic_digits(text.strip())
        if not re.fullmatch(r"\d{4}", text) or not FISCAL_YEAR_MIN <= int(text) <= FISCAL_YEAR_MAX:
            raise CommandError(
                self.t(
                    f"--year ต้องเป็นปีงบประมาณแบบพุทธศักราช เช่น 2568 (ไม่ใช่ {text})",
                    f"--year is a Buddhist Era fiscal year such as 2568 (not {text})",
                ),
                returncode=EXIT_USAGE,
            )
        return int(text)

    def plan(self, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        fmt = self._format(out)
        year = self._year(options["year"])
        code = arabic_digits(options["area"].strip())
        if not AREA_CODE.fullmatch(code):
            raise CommandError(
                self.t(
                    f"รหัสพื้นที่ต้องเป็นตัวเลข 2, 4, 6 หรือ 8 หลัก (ไม่ใช่ {code})",
                    f"An area code has 2, 4, 6 or 8 digits (not {code})",
                ),
                returncode=EXIT_USAGE,
            )
        area = areas_qs().filter(code=code).first()
        if area is None:
            raise InputRejected(self.t(f"ไม่พบพื้นที่รหัส {code}", f"No area with code {code}"))
        self._folder(out)
        started = time.perf_counter()
        try:
            report = plan_report_build(area, year, lang=self.lang)
        except NothingToPrint:
            raise InputRejected(
                self.t(
                    f"{area.display_name} ยังไม่มีแผนชุมชนหรือรายการของปีงบประมาณ {year}",
                    f"{area.display_name} has no community plan or item for fiscal year {year}",
                )
            ) from None
        pages: int | None = None
        if fmt == "pdf":
            data, pages = plan_report_pdf(report)
        else:
            data = plan_report_xlsx(report)
        out.write_bytes(data)
        plan_report_record_export(actor=Actor.system("chumchon report plan"), report=report, fmt=fmt, pages=pages)
        seconds = round(time.perf_counter() - started, 2)
        lg_items = report.local_government_items
        if options["json"]:
            self.emit_json(
                {
                    "file": str(out),
                    "format": fmt,
                    "area": area.code,
                    "area_name": report.area_name,
                    "level": area.level,
                    "fiscal_year": year,
                    "has_plan": report.has_plan,
                    "pages": pages,
                    "items": {b.actor: len(b.items) for b in report.blocks},
                    "cost": {b.actor: str(b.cost) for b in report.blocks},
                    "problems": len(report.problems),
                    "local_government_rows": len(lg_items),
                    "columns": [c.replace("\n", " ") for c in form_columns(year)] if fmt == "xlsx" else None,
                    "seconds": seconds,
                }
            )
            return
        what = (
            self.t(f"{pages} หน้า", f"{pages} pages")
            if pages is not None
            else self.t(f"แบบ ผ.02 {len(lg_items)} โครงการ", f"form ผ.02, {len(lg_items)} projects")
        )
        self.stdout.write(
            self.t(
                f"เขียน {out} แล้ว: แผนชุมชน {report.area_name} ปีงบประมาณ {year}, {what} ({seconds} วินาที)",
                f"Wrote {out}: the community plan of {report.area_name}, fiscal year {year}, {what} ({seconds} s)",
            )
        )

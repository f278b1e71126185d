from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chumchon.access.services import Actor
from chumchon.areas.selectors import areas_qs
from chumchon.core.command import EXIT_USAGE, ChumchonCommand, InputRejected
from chumchon.core.thai import Month
from chumchon.insights.forum.batch import forum_pack_record_export
from chumchon.insights.forum.pack import PACK_LEVELS, forum_pack_build
from chumchon.insights.forum.pdf import forum_pack_pdf
from chumchon.insights.forum.xlsx import forum_pack_xlsx

FORMATS = {".pdf": "pdf", ".xlsx": "xlsx"}


class Command(ChumchonCommand):
    help = (
        "Reports: chumchon report forum AREA --month MONTH --out FILE.pdf — the learning-forum "
        "pack of a village or tambon (FILE.xlsx for its tables as a spreadsheet)."
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

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        fmt = FORMATS.get(out.suffix.lower())
        if fmt is None:
            raise CommandError(
                self.t("--out ต้องเป็นไฟล์ .pdf หรือ .xlsx", "--out must end in .pdf or .xlsx"), returncode=EXIT_USAGE
            )
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
        if not out.parent.is_dir():
            raise InputRejected(self.t(f"ไม่พบโฟลเดอร์ {out.parent}", f"No such folder: {out.parent}"))
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

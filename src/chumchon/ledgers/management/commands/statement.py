from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chumchon.access.models import Action
from chumchon.access.services import Actor, audit_record
from chumchon.core.command import EXIT_USAGE, ChumchonCommand, InputRejected
from chumchon.ledgers.selectors import area_default_month
from chumchon.ledgers.statement_pdfs import statements_pdf_for
from chumchon.ledgers.statements import Period, households_reporting_in_village, statement_default_month
from chumchon.registry.models import Household
from chumchon.registry.selectors import households_matching


class Command(ChumchonCommand):
    help = (
        "Print the household statement (รู้จักตัวเอง) as PDF: one household, or every household "
        "of a village that reported in the period (one page each)."
    )
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("household", nargs="?", help="household id, or household code (unique in the country)")
        parser.add_argument("--village", help="8-digit village code: every household that reported")
        period = parser.add_mutually_exclusive_group()
        period.add_argument("--month", help="YYYY-MM (CE or BE year), e.g. 2567-03")
        period.add_argument("--year", help="calendar year, BE (e.g. 2567)")
        period.add_argument("--fy", help="fiscal year, BE (October–September)")
        parser.add_argument("--out", required=True, help="the PDF file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["household"]) == bool(options["village"]):
            raise CommandError(
                self.t("ระบุครัวเรือนหรือ --village อย่างใดอย่างหนึ่ง", "give a household or --village, not both"),
                returncode=EXIT_USAGE,
            )
        params = {k: options[k] for k in ("month", "year", "fy") if options.get(k)}
        started = time.perf_counter()
        if options["household"]:
            household = self._household(options["household"])
            try:
                period = Period.from_params(params, default=statement_default_month(household))
            except ValueError as exc:
                raise InputRejected(self.t(f"ช่วงเวลาไม่ถูกต้อง: {exc}", f"bad period: {exc}")) from None
            households = [household]
            area_code = household.village_id
            object_type, object_id = "household_statement", str(household.pk)
        else:
            area_code = options["village"].strip()
            try:
                period = Period.from_params(params, default=area_default_month(area_code).month)
            except ValueError as exc:
                raise InputRejected(self.t(f"ช่วงเวลาไม่ถูกต้อง: {exc}", f"bad period: {exc}")) from None
            households = list(households_reporting_in_village(area_code, period))
            if not households:
                raise InputRejected(
                    self.t(
                        f"ไม่มีครัวเรือนในหมู่บ้าน {area_code} ส่งบัญชีใน{period.label}",
                        f"no household of village {area_code} reported in {period.label}",
                    )
                )
            object_type, object_id = "household_statements", area_code
        pdf, pages = statements_pdf_for(households, period, title=f"รู้จักตัวเอง {object_id} {period.label}")
        out = Path(options["out"])
        out.write_bytes(pdf)
        audit_record(
            actor=Actor.system("chumchon statement"), action=Action.EXPORT, object_type=object_type,
            object_id=object_id, area_code=area_code,
            detail={"period": period.params, "households": [h.pk for h in households], "file": str(out)[-200:]},
        )  # fmt: skip
        seconds = round(time.perf_counter() - started, 2)
        if options["json"]:
            self.emit_json(
                {
                    "file": str(out),
                    "pages": pages,
                    "households": len(households),
                    "period": period.as_json(),
                    "seconds": seconds,
                }
            )
        else:
            self.stdout.write(
                self.t(
                    f"เขียน {out} แล้ว: {pages} หน้า {len(households)} ครัวเรือน {period.label} ({seconds} วินาที)",
                    f"Wrote {out}: {pages} pages, {len(households)} households, {period.label} ({seconds} s)",
                )
            )

    def _household(self, text: str) -> Household:
        text = text.strip()
        matches = households_matching(text)
        if len(matches) != 1:
            raise InputRejected(
                self.t(
                    f"ไม่พบครัวเรือน {text}" if not matches else f"รหัส {text} มีหลายครัวเรือน ใช้เลขประจำแถวแทน",
                    f"no household {text}" if not matches else f"code {text} is not unique; use the id",
                )
            )
        return matches[0]

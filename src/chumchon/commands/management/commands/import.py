"""``chumchon import villages|households|ledgers|plans FILE --tambon CODE`` and
``chumchon import programmes FILE --province CODE``.

Exit codes (the contract's, made precise for imports):

* 0 — the import ran: every good row is in the database (created now, or already there).
  With ``--skip-invalid`` this includes runs that skipped bad rows; they are listed in
  ``errors`` and counted in ``rejected``, and nothing about them was written. For
  ``ledgers``, rows with an item but no category count as accepted and wait for a
  person to confirm a suggested category (``pending`` in the JSON; the review page
  ``/ledgers/review/<tambon>/``). For ``plans``, a row whose item already exists counts
  as accepted: ``updated`` when it changed the item, ``unchanged`` when it said the same.
* 3 — the input was refused and nothing was written: the file could not be read or
  lacks required columns, or a row was bad (without ``--skip-invalid``), or every
  row was bad (with it).
* 2 — usage: unknown option, or ``--tambon`` is not the code of a tambon.
* 1 — anything else (a database failure, a bug).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chumchon.access.services import Actor
from chumchon.areas.models import Area, Level
from chumchon.core import spreadsheet as ss
from chumchon.core.command import EXIT_USAGE, ChumchonCommand, InputRejected
from chumchon.imports.villages import VillageImportResult, villages_import
from chumchon.ledgers.imports import LedgerImportResult, ledger_import
from chumchon.ledgers.services import LedgerError
from chumchon.matching.imports import ProgrammeImportResult, programmes_import
from chumchon.plans.imports import PlanImportResult, plans_import
from chumchon.registry.imports import HouseholdImportResult, households_import
from chumchon.registry.models import Origin

SHOWN_ERRORS = 20


class Command(ChumchonCommand):
    help = (
        "Import villages, households, household accounts or community plan items of a tambon "
        "from .xlsx, .xls or .csv "
        "(Thai or English headers)."
    )
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        villages = self.add_action(sub, "villages", help="villages of a tambon (หมู่ที่, ชื่อหมู่บ้าน)")
        households = self.add_action(sub, "households", help="households and their members")
        ledgers = self.add_action(
            sub, "ledgers", help="household account lines (รหัสครัวเรือน, วันที่, หมวด, รายการ, รายรับ/รายจ่าย)"
        )
        plans = self.add_action(
            sub, "plans", help="community plan items (หมู่ที่, ชื่อโครงการ/กิจกรรม, ผู้ดำเนินการ, ปีงบประมาณ …)"
        )
        programmes = self.add_action(
            sub, "programmes", help="programmes and budgets of bodies (รหัสโครงการ, หน่วยงาน, งบประมาณทั้งหมด …)"
        )
        programmes.add_argument("--province", required=True, metavar="CODE", help="the province's 2-digit code")
        for action in (villages, households, ledgers, plans, programmes):
            action.add_argument("file", metavar="FILE", help=".xlsx, .xls or .csv")
            if action is not programmes:
                action.add_argument("--tambon", required=True, metavar="CODE", help="the tambon's 6-digit code")
            action.add_argument(
                "--skip-invalid",
                action="store_true",
                help="write the good rows and report the bad ones (default: all-or-nothing)",
            )
            action.add_argument(
                "--error-report",
                metavar="PATH",
                help="also write the bad rows to this .xlsx or .csv file",
            )
        households.add_argument(
            "--origin",
            choices=[choice.value for choice in Origin],
            default=Origin.TAMBON.value,
            help="where the list comes from; welfare_registry = the state welfare card registrant list "
            "(registered, unverified, card holders) (default: tambon)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        json_mode: bool = options["json"]
        kind: str = options["kind"]
        path = Path(options["file"])
        actor = Actor.system(f"cli: chumchon import {kind} {path.name}")
        result: (
            VillageImportResult | HouseholdImportResult | LedgerImportResult | PlanImportResult | ProgrammeImportResult
        )
        if kind == "programmes":
            province = self._area(options["province"], Level.PROVINCE)
            result = programmes_import(
                actor=actor, province=province, path=path, filename=path.name, skip_invalid=options["skip_invalid"]
            )
            self._finish(kind, province, result, options, json_mode)
            return
        tambon = self._area(options["tambon"], Level.TAMBON)
        if kind == "plans":
            result = plans_import(
                actor=actor, tambon=tambon, path=path, filename=path.name, skip_invalid=options["skip_invalid"]
            )
        elif kind == "ledgers":
            try:
                result = ledger_import(
                    actor=actor, tambon=tambon, path=path, filename=path.name, skip_invalid=options["skip_invalid"]
                )
            except LedgerError as exc:
                raise InputRejected(str(exc)) from None
        elif kind == "villages":
            result = villages_import(
                actor=actor, tambon=tambon, path=path, filename=path.name, skip_invalid=options["skip_invalid"]
            )
        else:
            result = households_import(
                actor=actor,
                tambon=tambon,
                path=path,
                filename=path.name,
                origin=options["origin"],
                skip_invalid=options["skip_invalid"],
            )
        self._finish(kind, tambon, result, options, json_mode)

    def _finish(self, kind: str, area: Area, result: Any, options: dict[str, Any], json_mode: bool) -> None:
        if options["error_report"] and result.report.errors:
            ss.write_error_report(result.report, options["error_report"], lang=self.lang)
        if json_mode:
            self.emit_json(result.to_json(self.lang))
        else:
            self._summary(kind, area, result)
        if result.rejected:
            raise InputRejected(
                self.t(
                    "ไม่ได้นำเข้า: ข้อมูลในไฟล์ไม่ผ่านการตรวจสอบ จึงไม่ได้บันทึกข้อมูลใดเลย",
                    "not imported: the file did not pass the checks, so nothing was written",
                )
            )

    def _area(self, code: str, level: str) -> Area:
        area = Area.objects.filter(code=code.strip(), level=level).first()
        if area is None:
            if level == Level.PROVINCE:
                th, en = f"ไม่พบจังหวัดรหัส '{code}' (ใช้รหัสจังหวัด 2 หลัก)", f"no province with code '{code}' (use 2 digits)"
            else:
                th, en = f"ไม่พบตำบลรหัส '{code}' (ใช้รหัสตำบล 6 หลัก)", f"no tambon with code '{code}' (use 6 digits)"
            raise CommandError(self.t(th, en), returncode=EXIT_USAGE)
        return area

    def _summary(
        self,
        kind: str,
        tambon: Area,
        result: VillageImportResult
        | HouseholdImportResult
        | LedgerImportResult
        | PlanImportResult
        | ProgrammeImportResult,
    ) -> None:
        report = result.report
        names = {"villages": "หมู่บ้าน", "households": "ครัวเรือน", "ledgers": "บัญชีครัวเรือน", "plans": "แผนชุมชน",
                 "programmes": "โครงการและงบประมาณ"}  # fmt: skip
        what = self.t(names[kind], {"plans": "plan items"}.get(kind, kind))
        place = tambon.display_name if self.lang == "th" else (tambon.name_en or tambon.name_th)
        lines = [
            self.t(
                f"นำเข้า{what} {place}: ผ่าน {report.accepted:,} แถว ไม่ผ่าน {report.rejected:,} แถว",
                f"Import of {what} into {place}: {report.accepted:,} rows accepted, {report.rejected:,} rejected",
            )
        ]
        if result.completed:
            if isinstance(result, PlanImportResult | ProgrammeImportResult):
                lines.append(
                    self.t(
                        f"บันทึกใหม่ {result.created:,} แถว แก้ไข {result.updated:,} แถว มีอยู่แล้ว {result.unchanged:,} แถว",
                        f"{result.created:,} rows added, {result.updated:,} updated, "
                        f"{result.unchanged:,} already there",
                    )
                )
            else:
                lines.append(
                    self.t(
                        f"บันทึกใหม่ {result.created:,} แถว มีอยู่แล้ว {result.unchanged:,} แถว",
                        f"{result.created:,} rows added, {result.unchanged:,} already there",
                    )
                )
            if isinstance(result, HouseholdImportResult) and result.created:
                lines.append(
                    self.t(
                        f"(ครัวเรือนใหม่ {result.households_created:,} สมาชิกใหม่ {result.members_created:,} คน)",
                        f"({result.households_created:,} new households, {result.members_created:,} new members)",
                    )
                )
            if isinstance(result, LedgerImportResult) and result.pending:
                lines.append(
                    self.t(
                        f"รายการที่ยังไม่มีหมวด {result.pending:,} รายการ รอเจ้าหน้าที่ยืนยันหมวดที่ระบบเสนอ "
                        f"(หน้า /ledgers/review/{tambon.code}/)",
                        f"{result.pending:,} lines without a category wait for a person to confirm the suggested "
                        f"category (page /ledgers/review/{tambon.code}/)",
                    )
                )
            if report.rejected:
                lines.append(self.t("ข้ามแถวที่ไม่ผ่าน (--skip-invalid)", "bad rows were skipped (--skip-invalid)"))
        elif report.accepted and report.rejected:
            lines.append(
                self.t(
                    "ไม่ได้บันทึกข้อมูลใดเลย เพราะมีแถวที่ไม่ผ่าน — แก้ไขแล้วนำเข้าใหม่ หรือใช้ --skip-invalid เพื่อบันทึกเฉพาะแถวที่ผ่าน",
                    "nothing was written because some rows are bad; fix them and import again, "
                    "or use --skip-invalid to write only the good rows",
                )
            )
        for warning in report.warnings:
            lines.append(self.t("คำเตือน: ", "warning: ") + warning.get(self.lang))
        if report.errors:
            lines.append(self.t("ข้อผิดพลาด:", "errors:"))
            for error in report.errors[:SHOWN_ERRORS]:
                where = self.t(f"แถว {error.row}", f"row {error.row}") if error.row else self.t("ไฟล์", "file")
                if error.sheet and len({e.sheet for e in report.errors}) > 1:
                    where += self.t(f" ชีต {error.sheet}", f" sheet {error.sheet}")
                column = f" · {error.column}" if error.column else ""
                lines.append(f"  {where}{column}: {error.message.get(self.lang)}")
            more = len(report.errors) - SHOWN_ERRORS + report.omitted_errors
            if more > 0:
                lines.append(
                    self.t(
                        f"  … และอีก {more:,} รายการ (ใช้ --json หรือ --error-report เพื่อดูทั้งหมด)",
                        f"  … and {more:,} more (use --json or --error-report to see them all)",
                    )
                )
        self.stdout.write("\n".join(lines))

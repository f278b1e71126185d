from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chumchon.core.command import EXIT_FAILURE, ChumchonCommand
from chumchon.ledgers.rollups import rollups_rebuild, rollups_verify


class Command(ChumchonCommand):
    help = "Recompute every account total from the raw entries: --verify compares, --rebuild replaces."
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--verify", action="store_true", help="exit 0 only when the stored totals equal a recomputation"
        )
        group.add_argument("--rebuild", action="store_true", help="replace the stored totals with a recomputation")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["rebuild"]:
            rollups_rebuild()
        differences = rollups_verify()
        seconds = round(time.perf_counter() - started, 3)
        if options["json"]:
            self.emit_json(
                {
                    "ok": not differences,
                    "seconds": seconds,
                    "differences": [d.__dict__ for d in differences],
                }
            )
        elif not differences:
            self.stdout.write(
                self.t(
                    f"ยอดรวมถูกต้องตรงกับรายการบัญชีทั้งหมด ({seconds} วินาที)",
                    f"All totals agree with the entries ({seconds} s)",
                )
            )
        if differences:
            detail = "; ".join(f"{d.table}: {d.missing_or_wrong} ไม่ตรง/ขาด, {d.extra} เกิน" for d in differences)
            raise CommandError(
                self.t(f"ยอดรวมไม่ตรงกับรายการบัญชี: {detail}", f"Totals differ from the entries: {detail}"),
                returncode=EXIT_FAILURE,
            )

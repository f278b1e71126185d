from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chumchon.areas.selectors import area_stats
from chumchon.core.command import ChumchonCommand


class Command(ChumchonCommand):
    help = "Area statistics: chumchon areas stats [--json]"
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        self.add_action(sub, "stats", help="counts of provinces, districts, tambons and villages")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = area_stats()
        if options["json"]:
            self.emit_json(stats.__dict__)
            return
        self.stdout.write(
            self.t(
                f"จังหวัด {stats.provinces:,}\nอำเภอ {stats.districts:,}\nตำบล {stats.tambons:,}\nหมู่บ้าน {stats.villages:,}",
                f"provinces {stats.provinces:,}\ndistricts {stats.districts:,}\ntambons {stats.tambons:,}\nvillages {stats.villages:,}",
            )
        )

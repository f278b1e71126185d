from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chumchon.access.services import Actor
from chumchon.core.command import ChumchonCommand, InputRejected
from chumchon.registry.models import IndicatorEdition
from chumchon.registry.services import RegistryError, indicator_edition_activate


class Command(ChumchonCommand):
    help = "The needs indicator editions: list them, or make one current (recomputes every household)."
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        self.add_action(sub, "list", help="the editions loaded, the current one marked")
        use = self.add_action(sub, "use", help="make an edition current")
        use.add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "use":
            try:
                n = indicator_edition_activate(actor=Actor.system("cli:indicators"), code=options["code"])
            except RegistryError as exc:
                raise InputRejected(str(exc)) from exc
            message = self.t(
                f"ใช้ชุดตัวชี้วัด {options['code']} แล้ว คำนวณใหม่ {n:,} ครัวเรือน",
                f"Now using {options['code']}; recomputed {n:,} households",
            )
            if options["json"]:
                self.emit_json({"current": options["code"], "households": n})
            else:
                self.stdout.write(message)
            return
        editions = [
            {"code": e.code, "name_th": e.name_th, "indicators": e.indicators.count(), "current": e.is_current}
            for e in IndicatorEdition.objects.order_by("code")
        ]
        if options["json"]:
            self.emit_json(editions)
            return
        for e in editions:
            self.stdout.write(f"{'*' if e['current'] else ' '} {e['code']}  {e['indicators']}  {e['name_th']}")

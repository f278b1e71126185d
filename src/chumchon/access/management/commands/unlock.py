from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chumchon.access.services import Actor
from chumchon.access.throttle import login_throttles_clear
from chumchon.core.command import ChumchonCommand


class Command(ChumchonCommand):
    help = "Clear an account's login delays (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        cleared = login_throttles_clear(username=username, actor=Actor.system("cli:unlock"))
        self.stdout.write(
            self.t(
                f"ล้างตัวนับการเข้าสู่ระบบผิดของ {username} แล้ว ({cleared} รายการ)",
                f"Cleared the login delays of {username} ({cleared} counters)",
            )
        )

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chumchon.access.services import AccessError, Actor
from chumchon.access.throttle import login_throttles_clear, normalise_address
from chumchon.core.command import ChumchonCommand, InputRejected


class Command(ChumchonCommand):
    help = "Clear the login delays of an account, or of an address with --address (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="an IP address (IPv6: its /64)")

    def handle(self, *args: Any, **options: Any) -> None:
        username, address = options["username"], options["address"]
        if address and not normalise_address(address):
            raise InputRejected(self.t(f"ที่อยู่ IP ไม่ถูกต้อง: {address}", f"not an IP address: {address}"))
        try:
            cleared = login_throttles_clear(username=username, address=address, actor=Actor.system("cli:unlock"))
        except AccessError as exc:
            raise InputRejected(self.t("ระบุชื่อผู้ใช้หรือ --address", "give a username or --address")) from exc
        who = " ".join(part for part in (username, address) if part)
        self.stdout.write(
            self.t(
                f"ล้างการหน่วงเวลาเข้าสู่ระบบของ {who} แล้ว ({cleared} รายการ)",
                f"Cleared the login delays of {who} ({cleared} counters)",
            )
        )

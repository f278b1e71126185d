from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from chumchon.core.command import ChumchonCommand, InputRejected
from chumchon.ops.backup import BackupRefused
from chumchon.ops.restore import backup_restore


class Command(ChumchonCommand):
    help = "Restore a backup file into an empty database and var/ (refused otherwise, exit 3)."
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a file written by chumchon backup")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(src=Path(options["file"]))
        except BackupRefused as refused:
            raise InputRejected(self.t(refused.th, refused.en)) from None
        if options["json"]:
            self.emit_json({"restored": True, **manifest})
            return
        self.stdout.write(
            self.t(
                f"กู้คืนข้อมูลแล้วจากสำเนาเมื่อ {manifest['created_at']} ({len(manifest['files'])} ไฟล์) "
                "ตรวจยอดรวมด้วยคำสั่ง chumchon rollups --verify",
                f"Restored the backup of {manifest['created_at']} ({len(manifest['files'])} files). "
                "Check the totals with chumchon rollups --verify",
            )
        )

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from chumchon.core.command import ChumchonCommand, InputRejected
from chumchon.ops.backup import BackupRefused, backup_create


class Command(ChumchonCommand):
    help = "Write one file (tar or tar.gz) holding the database, the keys and the stored files."
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file to write, e.g. chumchon-2569-01-31.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        dest = Path(options["file"])
        try:
            manifest = backup_create(dest=dest)
        except BackupRefused as refused:
            raise InputRejected(self.t(refused.th, refused.en)) from None
        size = dest.stat().st_size
        if options["json"]:
            self.emit_json({"file": str(dest.resolve()), "bytes": size, **manifest})
            return
        self.stdout.write(
            self.t(
                f"สำรองข้อมูลแล้ว: {dest} ({len(manifest['files'])} ไฟล์, {size:,} ไบต์) "
                "เก็บสำเนาไว้นอกเครื่องนี้ด้วย ไฟล์นี้มีกุญแจเข้ารหัสข้อมูล ต้องเก็บรักษาให้ปลอดภัย",
                f"Backed up to {dest} ({len(manifest['files'])} files, {size:,} bytes). Keep a copy off this "
                "machine; the file holds the field key, keep it safe.",
            )
        )

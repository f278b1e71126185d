"""Bring an instance back from a ``chumchon backup`` archive, into an empty database."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

from chumchon.core.keys import fingerprint
from chumchon.ops.backup import KEY_MEMBER, PG_MEMBER, SQLITE_MEMBER, BackupRefused, _engine, _pg_args, backup_open
from chumchon.ops.files import DIR_MODE, FILE_MODE


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def backup_restore(*, src: Path) -> dict[str, Any]:
    """Verify the archive, then restore the database, the keys and the stored files.

    Refused (nothing changed) when the database already holds tables, when the archive
    is damaged, or when it was made from the other engine."""
    if not src.is_file():
        raise BackupRefused(f"ไม่พบไฟล์สำรอง {src}", f"No such backup file {src}")
    if not database_is_empty():
        raise BackupRefused(
            "ฐานข้อมูลปลายทางไม่ว่าง: กู้คืนได้เฉพาะลงฐานข้อมูลว่าง (สร้างฐานข้อมูลใหม่ หรือใช้โฟลเดอร์ var ใหม่)",
            "The target database is not empty: restore only into an empty database",
        )
    with tempfile.TemporaryDirectory(prefix="chumchon-restore-") as tmp:
        into = Path(tmp)
        manifest = backup_open(src, into)
        engine = _engine()
        if manifest["engine"] != engine:
            raise BackupRefused(
                f"ไฟล์สำรองมาจากฐานข้อมูล {manifest['engine']} แต่ปลายทางเป็น {engine}",
                f"The backup is of a {manifest['engine']} database; this one is {engine}",
            )
        key_file = into / KEY_MEMBER
        key = key_file.read_text().strip() if key_file.exists() else settings.FIELD_ENCRYPTION_KEY
        wanted = manifest.get("key_fingerprint")
        if wanted and (not key or fingerprint(key) != wanted):
            raise BackupRefused(
                "ไฟล์สำรองไม่มีกุญแจเข้ารหัสข้อมูล และกุญแจใน CHUMCHON_FIELD_KEY ไม่ตรงกับข้อมูล",
                "The backup holds no field key and CHUMCHON_FIELD_KEY does not match its data",
            )
        _restore_database(into, engine)
        _restore_var(into / "var", Path(settings.VAR_DIR))
        settings.FIELD_ENCRYPTION_KEY = key
    return manifest


def _restore_database(into: Path, engine: str) -> None:
    connections.close_all()
    if engine == "sqlite":
        target = Path(str(settings.DATABASES["default"]["NAME"]))
        for suffix in ("-wal", "-shm", "-journal", ""):
            Path(f"{target}{suffix}").unlink(missing_ok=True)  # the empty file the check opened
        target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        shutil.copyfile(into / SQLITE_MEMBER, target)
        target.chmod(FILE_MODE)
        return
    args, env = _pg_args()
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", *args, str(into / PG_MEMBER)],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"pg_restore: {done.stderr.strip()}")


def _restore_var(source: Path, var: Path) -> None:
    """Keys and stored files go back under var/, 0700 directories and 0600 files."""
    var.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if not source.is_dir():
        return
    for root, _dirs, files in os.walk(source):
        here = Path(root)
        for name in files:
            target = var / (here / name).relative_to(source)
            target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # e.g. the secret key made on this empty var/
            shutil.copyfile(here / name, target)
            target.chmod(FILE_MODE)

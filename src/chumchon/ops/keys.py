"""The field key at start-up: refuse a lost or replaced key, never make one beside data.

``chumchon`` calls :func:`field_key_check` before it runs a command. The database keeps
the key's fingerprint (chumchon.core.keys); a key that gives another fingerprint, or no
key at all while the database holds a fingerprint or encrypted national IDs, stops the
command with a message naming the key file to restore. Only an empty database gets a
newly generated key.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.db import DatabaseError, connection

from chumchon.core import national_id
from chumchon.core.keys import fingerprint, key_fingerprint_get, key_fingerprint_record
from chumchon.core.models import KeyFingerprint
from chumchon.ops.files import write_private
from chumchon.registry.selectors import national_id_sample


class FieldKeyRefused(Exception):
    def __init__(self, th: str, en: str) -> None:
        super().__init__(th)
        self.th, self.en = th, en

    def message(self, lang: str) -> str:
        return self.en if lang == "en" else self.th


def _state() -> tuple[bool, str | None, str | None] | None:
    """(table exists, stored fingerprint, a stored ciphertext); None when the database
    cannot be reached (the command itself will say so)."""
    try:
        tables = connection.introspection.table_names()
        if KeyFingerprint._meta.db_table not in tables:
            return False, None, None
        return True, key_fingerprint_get(), national_id_sample()
    except DatabaseError:
        return None


def _refusal(missing: bool) -> FieldKeyRefused:
    path = settings.FIELD_KEY_FILE
    if missing:
        th = (
            f"ไม่พบกุญแจเข้ารหัสข้อมูล แต่ฐานข้อมูลมีข้อมูลที่เข้ารหัสไว้แล้ว: ให้นำไฟล์กุญแจเดิมจากชุดสำรองข้อมูล"
            f"กลับมาวางที่ {path} (หรือกำหนดตัวแปร CHUMCHON_FIELD_KEY) แล้วเริ่มใหม่ ระบบไม่ได้สร้างกุญแจใหม่"
        )
        en = (
            f"The field key is missing but the database holds encrypted data: restore the key file {path} "
            "from your backup (or set CHUMCHON_FIELD_KEY) and start again. No new key was made."
        )
    else:
        th = (
            f"กุญแจเข้ารหัสข้อมูลไม่ตรงกับฐานข้อมูล (ข้อมูลถูกเข้ารหัสด้วยกุญแจอื่น): ให้นำไฟล์กุญแจเดิม"
            f"จากชุดสำรองข้อมูลกลับมาวางที่ {path} (หรือกำหนดตัวแปร CHUMCHON_FIELD_KEY ให้ถูกต้อง) แล้วเริ่มใหม่"
        )
        en = (
            f"The field key does not match the database (its data was encrypted with another key): restore "
            f"the key file {path} from your backup (or set CHUMCHON_FIELD_KEY correctly) and start again."
        )
    return FieldKeyRefused(th, en)


def field_key_check() -> None:
    """Raise FieldKeyRefused when the key in use cannot be the data's; generate the key
    of an empty database; record the fingerprint on first use."""
    state = _state()
    if state is None:
        return
    table, stored, sample = state
    key = settings.FIELD_ENCRYPTION_KEY
    if not key:
        if stored or sample:
            raise _refusal(missing=True)
        key = _generate()
    if stored:
        if stored != fingerprint(key):
            raise _refusal(missing=False)
        return
    if sample is not None and not national_id.opens(sample, key):
        raise _refusal(missing=False)
    if table:
        key_fingerprint_record(key=key)


def field_key_record_if_safe() -> None:
    """After migrate: store the fingerprint when the key opens the data (or there is none)."""
    key = settings.FIELD_ENCRYPTION_KEY
    state = _state()
    if not key or state is None or not state[0] or state[1]:
        return
    if state[2] is None or national_id.opens(state[2], key):
        key_fingerprint_record(key=key)


def _generate() -> str:
    """A new key for an empty database, written 0600 into var/."""
    if os.environ.get("CHUMCHON_MODE") == "production":
        raise _refusal(missing=True)
    path = settings.FIELD_KEY_FILE
    if path.exists():  # another process made it a moment ago
        key = path.read_text().strip()
    else:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        write_private(path, key.encode())
    settings.FIELD_ENCRYPTION_KEY = key
    return key

"""The field key's fingerprint: stored beside the data, compared at every start.

A lost or replaced ``FIELD_ENCRYPTION_KEY`` leaves every stored national ID unreadable
and its lookup hash different, so a registered person would be accepted again as new.
The database therefore keeps ``fingerprint(key)`` (never the key) and a command refuses
to run when the key in use gives another one.
"""

from __future__ import annotations

import hashlib
import hmac

from django.db import DatabaseError, connection, transaction

from chumchon.core.models import KeyFingerprint

FIELD_KEY = "field"
_LABEL = b"chumchon field-key fingerprint v1"


def fingerprint(key: str) -> str:
    return hmac.new(key.encode(), _LABEL, hashlib.sha256).hexdigest()[:32]


def fingerprints_table_exists() -> bool:
    try:
        return KeyFingerprint._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        return False


def key_fingerprint_get(name: str = FIELD_KEY) -> str | None:
    row = KeyFingerprint.objects.filter(name=name).values_list("fingerprint", flat=True).first()
    return row


@transaction.atomic
def key_fingerprint_record(*, key: str, name: str = FIELD_KEY) -> str:
    """Store the key's fingerprint once; an existing one is kept (and returned)."""
    row, _ = KeyFingerprint.objects.get_or_create(name=name, defaults={"fingerprint": fingerprint(key)})
    return row.fingerprint

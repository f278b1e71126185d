"""Thai 13-digit national ID numbers: normalising, validating, masking, encrypting.

The stored form is Fernet ciphertext (AES-128-CBC + HMAC); lookups use a keyed
HMAC-SHA256 of the normalised number, so equality search needs no decryption and the
database file never holds an ID in clear. Both keys derive from
``settings.FIELD_ENCRYPTION_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from chumchon.core.thai import arabic_digits


class InvalidNationalId(ValueError):
    pass


def normalize(raw: str) -> str:
    """Digits only: dashes, spaces and Thai digits accepted. Raises InvalidNationalId."""
    digits = re.sub(r"[\s\-]", "", arabic_digits(str(raw)))
    if not re.fullmatch(r"\d{13}", digits):
        raise InvalidNationalId("เลขประจำตัวประชาชนต้องมี 13 หลัก")
    if not checksum_ok(digits):
        raise InvalidNationalId("เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)")
    return digits


def checksum_ok(digits: str) -> bool:
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def with_check_digit(first12: str) -> str:
    """Complete 12 digits into a valid 13-digit ID (for demo and test data)."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def mask(digits: str) -> str:
    """``1-2345-xxxxx-xx-1``: the first five digits and the check digit stay visible."""
    return f"{digits[0]}-{digits[1:5]}-xxxxx-xx-{digits[12]}"


def format_full(digits: str) -> str:
    return f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    master = hashlib.sha256(secret.encode()).digest()
    enc = hmac.new(master, b"chumchon national-id encryption", hashlib.sha256).digest()
    mac = hmac.new(master, b"chumchon national-id lookup", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def encrypt(digits: str) -> str:
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(digits.encode()).decode()


def decrypt(token: str) -> str:
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise InvalidNationalId("ถอดรหัสเลขประจำตัวประชาชนไม่ได้ (กุญแจไม่ตรง)") from exc


def lookup_hash(digits: str) -> str:
    _, mac = _keys(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(mac, digits.encode(), hashlib.sha256).hexdigest()


def opens(token: str, key: str) -> bool:
    """Whether ``key`` decrypts ``token`` (a stored national ID)."""
    try:
        _keys(key)[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True

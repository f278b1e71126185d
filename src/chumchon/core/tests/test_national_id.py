import pytest

from chumchon.core import national_id

VALID = "1101700203450"  # check digit by hand: sum(d*(13-i)) = 144, (11 - 144 % 11) % 10 = 0


def test_check_digit_by_hand():
    total = sum(int(d) * w for d, w in zip(VALID[:12], range(13, 1, -1), strict=True))
    assert total == 144
    assert national_id.checksum_ok(VALID)
    assert national_id.with_check_digit(VALID[:12]) == VALID


@pytest.mark.parametrize("raw", ["1-1017-00203-45-0", "1 1017 00203 45 0", "๑๑๐๑๗๐๐๒๐๓๔๕๐", " 1101700203450 "])
def test_normalize_accepts_dashes_spaces_and_thai_digits(raw):
    assert national_id.normalize(raw) == VALID


@pytest.mark.parametrize(
    ("raw", "message"),
    [("1101700203451", "หลักตรวจสอบ"), ("110170020345", "13 หลัก"), ("11017002034512", "13 หลัก"), ("abc", "13 หลัก")],
)
def test_normalize_rejects_with_thai_message(raw, message):
    with pytest.raises(national_id.InvalidNationalId, match=message):
        national_id.normalize(raw)


def test_mask_keeps_first_five_and_check_digit():
    assert national_id.mask(VALID) == "1-1017-xxxxx-xx-0"
    assert national_id.format_full(VALID) == "1-1017-00203-45-0"


def test_encryption_round_trip_and_no_clear_text():
    token = national_id.encrypt(VALID)
    assert VALID not in token
    assert national_id.decrypt(token) == VALID
    # Fernet tokens are randomised; the lookup hash is stable and keyed.
    assert national_id.encrypt(VALID) != token
    assert national_id.lookup_hash(VALID) == national_id.lookup_hash(VALID)
    assert national_id.lookup_hash(VALID) != national_id.lookup_hash("1101700203468")


def test_decrypt_with_another_key_fails_cleanly(settings):
    token = national_id.encrypt(VALID)
    settings.FIELD_ENCRYPTION_KEY = "another key entirely"
    with pytest.raises(national_id.InvalidNationalId):
        national_id.decrypt(token)

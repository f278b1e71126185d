"""The field key: refused when lost or replaced, generated only for an empty database."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from chumchon.core.keys import fingerprint
from chumchon.core.models import KeyFingerprint
from chumchon.ops.keys import FieldKeyRefused, field_key_check
from tests import factories

CHUMCHON = [sys.executable, "-m", "chumchon.cli"]


def _run(env, *args):
    return subprocess.run([*CHUMCHON, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def embedded(tmp_path):
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CHUMCHON_FIELD_KEY"}}
    env["CHUMCHON_VAR"] = str(var)
    result = _run(env, "migrate", "-v", "0")
    assert result.returncode == 0, result.stderr
    return env, var


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_fresh_install_generates_a_private_key_and_records_its_fingerprint(embedded):
    env, var = embedded
    key_file = var / "chumchon_field_key.txt"
    assert _mode(key_file) == 0o600
    assert _mode(var / "chumchon.sqlite3") == 0o600
    assert _mode(var) == 0o700
    code = "from chumchon.core.keys import key_fingerprint_get as g; print(g())"
    shown = _run(env, "shell", "-c", code)
    assert shown.stdout.strip().splitlines()[-1] == fingerprint(key_file.read_text().strip())
    assert _run(env, "rollups", "--verify").returncode == 0


def test_a_changed_key_is_refused_naming_the_file_to_restore(embedded):
    env, var = embedded
    key_file = var / "chumchon_field_key.txt"
    key_file.write_text("a different key")
    result = _run(env, "rollups", "--verify")
    assert result.returncode == 1
    assert "กุญแจเข้ารหัสข้อมูลไม่ตรงกับฐานข้อมูล" in result.stderr
    assert str(key_file) in result.stderr
    assert key_file.read_text() == "a different key"
    english = _run(env, "rollups", "--verify", "--lang", "en")
    assert "does not match" in english.stderr


def test_a_lost_key_is_refused_and_no_new_key_is_written(embedded):
    env, var = embedded
    key_file = var / "chumchon_field_key.txt"
    key_file.unlink()
    for args in (("rollups", "--verify"), ("serve", "--help"), ("areas", "stats")):
        result = _run(env, *args)
        if args[1] == "--help":
            continue
        assert result.returncode == 1
        assert "ไม่พบกุญแจเข้ารหัสข้อมูล" in result.stderr and str(key_file) in result.stderr
    assert not key_file.exists()


def test_loose_modes_under_var_are_tightened_at_start(embedded):
    env, var = embedded
    report = var / "media" / "reports" / "x.csv"
    report.parent.mkdir(parents=True)
    report.write_text("x")
    report.chmod(0o644)
    report.parent.chmod(0o755)
    (var / "chumchon.sqlite3").chmod(0o644)
    assert _run(env, "rollups", "--verify").returncode == 0
    assert (_mode(report), _mode(report.parent), _mode(var / "chumchon.sqlite3")) == (0o600, 0o700, 0o600)


@pytest.mark.django_db
def test_data_without_a_fingerprint_is_checked_by_opening_it(settings, tmp_path):
    KeyFingerprint.objects.all().delete()
    factories.household(factories.village("370101"), members=1)
    settings.FIELD_KEY_FILE = tmp_path / "chumchon_field_key.txt"
    key = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = "another key entirely"
    with pytest.raises(FieldKeyRefused):
        field_key_check()
    settings.FIELD_ENCRYPTION_KEY = ""
    with pytest.raises(FieldKeyRefused):
        field_key_check()
    assert not settings.FIELD_KEY_FILE.exists()
    assert not KeyFingerprint.objects.exists()
    settings.FIELD_ENCRYPTION_KEY = key
    field_key_check()
    assert KeyFingerprint.objects.get().fingerprint == fingerprint(key)


@pytest.mark.django_db
def test_an_empty_database_gets_a_new_key(settings, tmp_path):
    KeyFingerprint.objects.all().delete()
    settings.FIELD_KEY_FILE = tmp_path / "chumchon_field_key.txt"
    settings.FIELD_ENCRYPTION_KEY = ""
    field_key_check()
    assert _mode(settings.FIELD_KEY_FILE) == 0o600
    assert settings.FIELD_KEY_FILE.read_text() == settings.FIELD_ENCRYPTION_KEY
    assert KeyFingerprint.objects.get().fingerprint == fingerprint(settings.FIELD_ENCRYPTION_KEY)

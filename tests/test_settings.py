"""Settings: embedded mode needs nothing; production mode fails loudly on a missing value."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from chumchon.core.views import server_error
from chumchon.settings import database_from_url


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import chumchon.settings as s; print(s.DATABASES['default']['ENGINE'], s.SESSION_COOKIE_SECURE)"
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHUMCHON_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("missing", "env"),
    [
        ("DATABASE_URL", {}),
        ("CHUMCHON_SECRET_KEY", {"DATABASE_URL": "postgres://u@h/db"}),
        ("CHUMCHON_FIELD_KEY", {"DATABASE_URL": "postgres://u@h/db", "CHUMCHON_SECRET_KEY": "x" * 50}),
        (
            "CHUMCHON_ALLOWED_HOSTS",
            {"DATABASE_URL": "postgres://u@h/db", "CHUMCHON_SECRET_KEY": "x" * 50, "CHUMCHON_FIELD_KEY": "k"},
        ),
    ],
)
def test_production_mode_refuses_to_start_without_a_value(tmp_path, missing, env):
    result = _settings_in({"CHUMCHON_MODE": "production", "CHUMCHON_VAR": str(tmp_path), **env})
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr
    assert not any(tmp_path.iterdir()), "production mode must not generate keys"


def test_production_mode_with_everything_given(tmp_path):
    env = {
        "CHUMCHON_MODE": "production",
        "CHUMCHON_VAR": str(tmp_path),
        "DATABASE_URL": "postgres://u@h/db",
        "CHUMCHON_SECRET_KEY": "x" * 50,
        "CHUMCHON_FIELD_KEY": "k",
        "CHUMCHON_ALLOWED_HOSTS": "chumchon.example.go.th",
    }
    result = _settings_in(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "True"]


def test_embedded_mode_needs_nothing(tmp_path):
    result = _settings_in({"CHUMCHON_VAR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False"]
    assert (tmp_path / "chumchon_secret_key.txt").exists()
    assert (tmp_path / "chumchon_field_key.txt").exists()


def test_database_urls():
    pg = database_from_url("postgres://postgres:p%40ss@127.0.0.1:5432/chumchon")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "chumchon", "postgres", "p@ss", "127.0.0.1", "5432",
    )  # fmt: skip
    assert database_from_url("sqlite:////var/lib/chumchon/db.sqlite3")["NAME"] == "/var/lib/chumchon/db.sqlite3"
    with pytest.raises(Exception, match="Unsupported"):
        database_from_url("mysql://x@y/z")


def test_server_error_page_is_thai_and_standalone():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "ขออภัย ระบบขัดข้อง" in body and "ข้อมูลที่บันทึกไว้แล้วไม่สูญหาย" in body

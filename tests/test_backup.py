"""The restore drill, as an office runs it: demo data → backup → restore into an empty
database and an empty var/ → the same figures, and the totals verify."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import tarfile
from urllib.parse import urlsplit

import pytest

CHUMCHON = [sys.executable, "-m", "chumchon.cli"]
FIGURES = ("figures", "--from", "2000-01", "--to", "2100-12", "--json")


def run(env, *args):
    return subprocess.run([*CHUMCHON, *args], env=env, capture_output=True, text=True, timeout=600)


def _pg_database(name: str) -> str:
    """A fresh empty PostgreSQL database beside the test run's (same server)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    server = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    subprocess.run(["dropdb", *server, "--if-exists", name], check=True, capture_output=True)
    subprocess.run(["createdb", *server, name], check=True, capture_output=True)
    return parts._replace(path=f"/{name}").geturl()


ENGINES = ["sqlite"]
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    ENGINES.append("postgresql")


def _home(tmp_path, engine: str, suffix: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CHUMCHON_FIELD_KEY"}}
    env["CHUMCHON_VAR"] = str(tmp_path / f"var_{suffix}")
    if engine == "postgresql":
        base = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
        env["DATABASE_URL"] = _pg_database(f"{base}_drill_{suffix}")
    return env


@pytest.fixture(scope="module", params=ENGINES)
def backed_up(request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp(request.param)
    source = _home(tmp_path, request.param, "src")
    for args in (("init",), ("demo", "--households", "60", "--months", "3")):
        result = run(source, *args)
        assert result.returncode == 0, result.stderr
    stored = tmp_path / "var_src" / "media" / "imports" / "reports" / "h-errors.csv"
    stored.parent.mkdir(parents=True)
    stored.write_bytes("แถว,ปัญหา\r\n2,x\r\n".encode())
    archive = tmp_path / "backup.tar.gz"
    result = run(source, "backup", str(archive), "--json")
    assert result.returncode == 0, result.stderr
    return request.param, tmp_path, source, archive, json.loads(result.stdout)


def test_backup_is_one_private_file_with_a_manifest(backed_up):
    engine, _tmp, _source, archive, body = backed_up
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert body["engine"] == engine and body["version"] == 1
    assert "0001_key_fingerprint" in body["migrations"]["core"]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[0] == "manifest.json"
    assert [f["path"] for f in manifest["files"]] == names[1:]
    assert {"var/chumchon_field_key.txt", "var/media/imports/reports/h-errors.csv"} <= set(names)
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])


def test_restore_drill_gives_the_same_figures_and_totals_verify(backed_up):
    engine, tmp_path, source, archive, _body = backed_up
    target = _home(tmp_path, engine, "dst")
    result = run(target, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "กู้คืนข้อมูลแล้ว" in result.stdout
    assert run(target, "rollups", "--verify").returncode == 0
    for area in ("37", "3701", "370101"):
        before, after = run(source, *FIGURES[:1], area, *FIGURES[1:]), run(target, *FIGURES[:1], area, *FIGURES[1:])
        assert after.returncode == 0, after.stderr
        assert json.loads(after.stdout) == json.loads(before.stdout)
    assert json.loads(run(target, *FIGURES[:1], "37", *FIGURES[1:]).stdout)["households"] > 0
    restored = tmp_path / "var_dst"
    assert (restored / "media/imports/reports/h-errors.csv").read_bytes() == "แถว,ปัญหา\r\n2,x\r\n".encode()
    assert (restored / "chumchon_field_key.txt").read_text() == (
        tmp_path / "var_src/chumchon_field_key.txt"
    ).read_text()
    assert stat.S_IMODE((restored / "media/imports/reports/h-errors.csv").stat().st_mode) == 0o600
    # A second restore finds the database in use and changes nothing.
    again = run(target, "restore", str(archive))
    assert again.returncode == 3
    assert "ฐานข้อมูลปลายทางไม่ว่าง" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_written(backed_up, tmp_path):
    engine, _tmp, _source, archive, _body = backed_up
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name == "var/chumchon_field_key.txt":
                data = b"tampered" + data[8:]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    target = _home(tmp_path, engine, "bad")
    result = run(target, "restore", str(damaged))
    assert result.returncode == 3
    assert "ไฟล์สำรองเสียหาย: var/chumchon_field_key.txt" in result.stderr
    assert run(target, "restore", str(archive)).returncode == 0  # the database was left empty

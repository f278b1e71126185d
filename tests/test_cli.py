"""The command-line contract, run as a user runs it: a real process, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHUMCHON = [sys.executable, "-m", "chumchon.cli"]


@pytest.fixture(scope="module")
def fresh_home(tmp_path_factory) -> dict[str, str]:
    """An empty embedded database in its own var/ folder, initialised once."""
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "CHUMCHON_VAR": str(var)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([*CHUMCHON, "init", "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CHUMCHON, *args], env=env, capture_output=True, text=True, timeout=300)


def test_init_loads_all_of_thailand_and_is_idempotent(fresh_home):
    result = run(fresh_home, "init", "--json")
    assert result.returncode == 0
    body = json.loads(result.stdout)
    # The second run finds everything in place.
    assert (body["areas_created"], body["areas_updated"], body["categories_created"]) == (0, 0, 0)
    assert (body["provinces"], body["districts"], body["tambons"]) == (77, 928, 7436)


def test_areas_stats_json_is_one_document(fresh_home):
    result = run(fresh_home, "areas", "stats", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"provinces": 77, "districts": 928, "tambons": 7436, "villages": 0}
    assert result.stdout.count("\n") == 1


def test_messages_are_thai_by_default_and_english_on_request(fresh_home):
    assert "จังหวัด 77" in run(fresh_home, "areas", "stats").stdout
    assert "provinces 77" in run(fresh_home, "areas", "stats", "--lang", "en").stdout


@pytest.mark.parametrize(
    "args",
    [("areas",), ("areas", "nonsense"), ("areas", "stats", "--bogus"), ("no-such-command",), ()],
)
def test_usage_errors_exit_2(fresh_home, args):
    assert run(fresh_home, *args).returncode == 2


def test_help_exits_0(fresh_home):
    for args in [("--help",), ("areas", "--help"), ("init", "--help"), ("backup", "--help"), ("restore", "--help")]:
        assert run(fresh_home, *args).returncode == 0


def test_backup_and_restore_are_listed_and_follow_the_exit_codes(fresh_home, tmp_path):
    usage = run(fresh_home, "--help").stdout
    assert "  backup " in usage and "  restore " in usage
    assert run(fresh_home, "backup").returncode == 2  # no FILE
    assert run(fresh_home, "restore").returncode == 2
    missing = run(fresh_home, "restore", str(tmp_path / "none.tar"))
    assert missing.returncode == 3
    assert "ไม่พบไฟล์สำรอง" in missing.stderr
    archive = tmp_path / "b.tar"
    assert run(fresh_home, "backup", str(archive)).returncode == 0
    again = run(fresh_home, "backup", str(archive), "--lang", "en")
    assert again.returncode == 3
    assert "already exists" in again.stderr
    refused = run(fresh_home, "restore", str(archive))  # into the database it came from
    assert refused.returncode == 3
    assert "ฐานข้อมูลปลายทางไม่ว่าง" in refused.stderr


def test_embedded_database_lives_under_var(fresh_home):
    var = Path(fresh_home["CHUMCHON_VAR"])
    assert (var / "chumchon.sqlite3").exists()
    key = var / "chumchon_secret_key.txt"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").exists(), reason="forked workers: Linux")
def test_serve_answers_from_several_processes_and_stops_on_sigterm(fresh_home):
    import signal
    import time
    import urllib.request

    port = _free_port()
    server = subprocess.Popen(
        [*CHUMCHON, "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=fresh_home,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answers: list[int] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(answers) < 20:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10) as r:
                    answers.append(r.status)
            except OSError:
                time.sleep(0.2)  # not listening yet
        assert answers == [200] * 20
        workers = _children(server.pid)
        assert len(workers) == 2  # the two server processes; this one keeps the background worker
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert all(_gone(w) for w in workers)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stdout.close()  # type: ignore[union-attr]
        server.stderr.close()  # type: ignore[union-attr]


def _gone(pid: int) -> bool:
    """The process has ended (reaped, or a zombie waiting to be)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return True
    return "zombie" in state


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").exists(), reason="forked workers: Linux")
def test_serve_exits_with_an_error_when_a_server_process_dies(fresh_home):
    import signal
    import time

    port = _free_port()
    server = subprocess.Popen(
        [*CHUMCHON, "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=fresh_home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_children(server.pid)) < 2:
            time.sleep(0.2)
        first, second = _children(server.pid)
        os.kill(first, signal.SIGKILL)
        assert server.wait(timeout=30) == 1  # for the service manager to start it again
        deadline = time.monotonic() + 10
        while not _gone(second) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(second)  # the other one was stopped too
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

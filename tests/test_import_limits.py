"""Bombs, floods and control characters through the real imports: ``chumchon import``
refuses them with exit 3 and writes nothing (SQLite and PostgreSQL alike), the web page
refuses an oversized upload before reading it, and an upload job runs in a child process
whose memory is bounded."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.core.tests.bombs import xlsx_bomb, xlsx_with_sheet
from chumchon.imports.models import ImportJob
from chumchon.imports.tests.sheets import HOUSEHOLD_HEADERS_TH, household_row, nid, write_csv, write_xlsx
from chumchon.registry.models import Household
from tests import factories
from tests.test_import_cli import chumchon, counts

TAMBON = "370101"
CHUMCHON = [sys.executable, "-m", "chumchon.cli"]


@pytest.mark.django_db
def test_a_bomb_is_refused_with_exit_3_and_nothing_written(tmp_path):
    factories.village(TAMBON, 1)
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", rows=1_400_000, width=10, block=4000)  # 225 MB from < 1 MB
    before = counts()
    code, out, _ = chumchon("import", "households", str(bomb), "--tambon", TAMBON, "--json", "--lang", "en")
    assert code == 3
    assert json.loads(out)["errors"] == [
        {
            "row": 0,
            "column": "",
            "message": "'bomb.xlsx' unpacks to more than 200 MB and is not read (it may be hostile, or hold too much); "
            "split it",
        }
    ]
    assert counts() == before


@pytest.mark.django_db
def test_a_non_zip_xlsx_is_refused(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04not a zip at all" * 20)
    before = counts()
    code, out, _ = chumchon("import", "villages", str(fake), "--tambon", TAMBON, "--json")
    assert code == 3
    assert json.loads(out)["errors"] == [
        {"row": 0, "column": "", "message": "อ่านไฟล์ 'fake.xlsx' ไม่ได้ — ไฟล์อาจเสียหาย หรือไม่ใช่ไฟล์ Excel จริง"}
    ]
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_nul_in_a_cell_is_refused_at_its_row_and_column(tmp_path, ext):
    factories.village(TAMBON, 1)
    bad = household_row("N2", 1, nid(2))
    bad[5] = "สม\x00ชาย"  # ชื่อ
    rows = [HOUSEHOLD_HEADERS_TH, household_row("N1", 1, nid(1)), bad]
    path = write_csv(tmp_path / "n.csv", rows) if ext == "csv" else write_xlsx(tmp_path / "n.xlsx", {"ครัวเรือน": rows})
    before = counts()
    code, out, _ = chumchon("import", "households", str(path), "--tambon", TAMBON, "--json")
    assert code == 3
    assert json.loads(out)["errors"] == [
        {
            "row": 3,
            "column": "ชื่อ",
            "message": "มีอักขระควบคุม (NUL) ในเซลล์ — ลบอักขระนี้ออก (มักติดมาจากการคัดลอกจากโปรแกรมอื่น)",
        }
    ]
    assert counts() == before
    # --skip-invalid writes the good row; the NUL never reaches the database (PostgreSQL refuses it).
    code, out, _ = chumchon("import", "households", str(path), "--tambon", TAMBON, "--json", "--skip-invalid")
    assert code == 0
    assert list(Household.objects.values_list("code", flat=True)) == ["N1"]


@pytest.mark.django_db
def test_a_csv_over_its_row_limit_is_refused(tmp_path, settings):
    factories.village(TAMBON, 1)
    rows = [HOUSEHOLD_HEADERS_TH, *(household_row(f"R{n}", 1, nid(n)) for n in range(1, 12))]
    path = write_csv(tmp_path / "r.csv", rows)
    settings.CHUMCHON_IMPORT_LIMITS = {"csv_rows": 10}
    before = counts()
    code, out, _ = chumchon("import", "households", str(path), "--tambon", TAMBON, "--json")
    assert code == 3
    assert json.loads(out)["errors"][-1] == {
        "row": 0,
        "column": "",
        "message": "ไฟล์ 'r.csv' มีเกิน 10 แถว — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์",
    }
    assert counts() == before


@pytest.mark.django_db
def test_the_page_refuses_an_oversized_upload_before_reading_it(client):
    staff = factories.user(Role.TAMBON_STAFF, TAMBON)
    client.force_login(staff)
    url = reverse("imports:page", args=[TAMBON])
    response = client.post(
        url, data=b"x" * 100, content_type="multipart/form-data; boundary=b", CONTENT_LENGTH="60000000"
    )
    assert response.status_code == 413
    assert "ไฟล์มีขนาดเกิน 50 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_from_the_web_a_nul_and_a_bomb_are_rejected_jobs_with_their_messages(client, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    factories.village(TAMBON, 1)
    client.force_login(factories.user(Role.TAMBON_STAFF, TAMBON))
    bad = household_row("W1", 1, nid(1))
    bad[6] = "ใจ\x00ดี"  # นามสกุล
    nul = write_csv(tmp_path / "nul.csv", [HOUSEHOLD_HEADERS_TH, bad])
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", rows=1_400_000, width=10, block=4000)
    url = reverse("imports:page", args=[TAMBON])
    for path in (nul, bomb):
        with path.open("rb") as fh:
            assert client.post(url, {"kind": "households", "file": fh}).status_code == 302
    nul_job, bomb_job = ImportJob.objects.order_by("pk")
    assert (nul_job.status, nul_job.errors) == (
        ImportJob.Status.REJECTED,
        [
            {
                "row": 2,
                "column": "นามสกุล",
                "sheet": "nul",
                "th": "มีอักขระควบคุม (NUL) ในเซลล์ — ลบอักขระนี้ออก (มักติดมาจากการคัดลอกจากโปรแกรมอื่น)",
                "en": "the cell holds a control character (NUL); remove it "
                "(it often comes with text copied from another program)",
            }
        ],
    )
    assert bomb_job.status == ImportJob.Status.REJECTED
    assert [e["row"] for e in bomb_job.errors] == [0]
    assert bomb_job.errors[0]["th"].startswith("ไฟล์ 'bomb.xlsx' เมื่อคลายออกมีขนาดเกิน 200 MB")
    assert not Household.objects.exists()


# --- an upload job in a bounded child process, as a real server runs it -----------------

JOB_SCRIPT = """
import json, sys
import django
django.setup()
from django.core.files import File
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.imports.services import import_job_create, import_job_run
from chumchon.registry.models import Household
from tests import factories
factories.village("370101", 1)
with open(sys.argv[1], "rb") as fh:
    job = import_job_create(actor=Actor.system("test"), tambon=Area.objects.get(code="370101"),
                            kind="households", upload=File(fh, name=sys.argv[1].rsplit("/", 1)[-1]))
job = import_job_run(job_id=job.pk)
print(json.dumps({"status": job.status, "failure": job.failure, "created": job.created_rows,
                  "households": Household.objects.count(), "file": bool(job.file)}))
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "CHUMCHON_VAR": str(var), "DJANGO_SETTINGS_MODULE": "chumchon.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([*CHUMCHON, "init", "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return env


def run_job(env: dict[str, str], path: Path, **extra: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", JOB_SCRIPT, str(path)],
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def wide_random_xlsx(path: Path, rows: int, width: int) -> Path:
    """Distinct text in every cell (it packs only about 3:1, so no size check refuses it)."""
    rng = random.Random(7)

    def row() -> bytes:
        cells = "".join(f'<c t="inlineStr"><is><t>{rng.getrandbits(64):x}</t></is></c>' for _ in range(width))
        return f"<row>{cells}</row>".encode()

    return xlsx_with_sheet(path, (row() for _ in range(rows)))


@pytest.mark.slow
def test_an_upload_job_runs_in_a_child_and_its_memory_is_bounded(home, tmp_path):
    good = write_csv(tmp_path / "h.csv", [HOUSEHOLD_HEADERS_TH, household_row("P1", 1, nid(1))])
    assert run_job(home, good) == {"status": "done", "failure": "", "created": 1, "households": 1, "file": False}

    # 1.5 million distinct strings (about 70 MB unpacked, under every size limit) need far
    # more than the 32 MB the child may add to what it has once started.
    big = wide_random_xlsx(tmp_path / "wide.xlsx", rows=150_000, width=10)
    outcome = run_job(home, big, CHUMCHON_IMPORT_MEMORY_MB="32")
    assert outcome == {"status": "failed", "failure": "memory", "created": 0, "households": 1, "file": False}

"""The import pages end to end: upload → background job → progress → summary → error
report; who may see them (everyone else gets a 404 and nothing is written); templates."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chumchon.access.models import Action, AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area, Level
from chumchon.core import national_id, runner
from chumchon.core.worker import start_background_worker
from chumchon.imports import services
from chumchon.imports.models import ImportJob
from chumchon.imports.tests.sheets import (
    HOUSEHOLD_HEADERS_TH,
    MEMBER_HEADERS_TH,
    bad_check_digit,
    household_row,
    member_row,
    nid,
    read_xlsx,
    write_csv,
    write_xlsx,
)
from chumchon.registry.imports import households_import
from chumchon.registry.models import Household, Member, Origin
from tests import factories

pytestmark = pytest.mark.django_db
TAMBON = "370101"
OTHER = "370102"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    """Tasks run as soon as they are queued; uploads go to a temporary media folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "m"}},
    }
    return tmp_path / "m"


@pytest.fixture
def staff(client):
    factories.village(TAMBON, 1, "บ้านบุ่ง")
    user = factories.user(Role.TAMBON_STAFF, TAMBON, username="staff")
    client.force_login(user)
    return user


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def households_file(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "ครัวเรือน ม.1.xlsx",
        {
            "ครัวเรือน": [
                HOUSEHOLD_HEADERS_TH,
                household_row("H1", 1, nid(1)),
                household_row("H2", 1, bad_check_digit(2), first="สมศรี"),
            ],
            "สมาชิก": [MEMBER_HEADERS_TH, member_row("H1", nid(3))],
        },
    )


def counts():
    return Household.objects.count(), Member.objects.count(), ImportJob.objects.count()


def test_upload_runs_the_import_and_shows_the_summary_and_the_error_report(client, staff, tmp_path, immediate_tasks):
    page = client.get(reverse("imports:page", args=[TAMBON]))
    assert page.status_code == 200
    assert reverse("imports:template", args=["households"]) in page.text

    response = client.post(
        reverse("imports:page", args=[TAMBON]),
        {"kind": "households", "file": upload(households_file(tmp_path)), "skip_invalid": "on"},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.status, job.kind, job.user, job.tambon_id, job.filename) == (
        ImportJob.Status.DONE, "households", staff, TAMBON, "ครัวเรือน ม.1.xlsx",
    )  # fmt: skip
    assert (job.total_rows, job.processed_rows, job.accepted, job.rejected, job.created_rows) == (3, 3, 2, 1, 2)
    assert job.errors == [
        {
            "row": 3,
            "column": "เลขประจำตัวประชาชน",
            "sheet": "ครัวเรือน",
            "th": "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)",
            "en": "the national ID number is not valid (the check digit does not match)",
        }
    ]
    assert list(Household.objects.values_list("code", flat=True)) == ["H1"]
    # The upload (national IDs in clear) is gone once the job has run.
    assert not job.file
    assert not list((immediate_tasks / "imports" / "uploads").iterdir())

    detail = client.get(response["Location"])
    assert detail.status_code == 200
    text = detail.text
    assert 'hx-trigger="every 1s"' not in text  # finished: no more polling
    assert "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)" in text
    assert re.search(r'<span class="num">2</span><span class="label">[^<]+</span>', text)

    report = client.get(reverse("imports:errors_xlsx", args=[job.pk]))
    assert report.status_code == 200
    assert report["Content-Type"] == XLSX
    assert "attachment" in report["Content-Disposition"]
    rows = read_xlsx(b"".join(report.streaming_content))
    assert rows[0] == ["แถว", "คอลัมน์", "ปัญหา", *HOUSEHOLD_HEADERS_TH]
    assert rows[1][:10] == [
        3.0, "เลขประจำตัวประชาชน", "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)",
        "H2", 1.0, "", national_id.mask(bad_check_digit(2)), "นาย", "สมศรี", "ใจดี",
    ]  # fmt: skip
    assert len(rows) == 2

    csv_report = client.get(reverse("imports:errors_csv", args=[job.pk]))
    lines = b"".join(csv_report.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1].startswith("3,เลขประจำตัวประชาชน,เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง),H2,1,")
    # The stored reports hold the national ID masked only.
    assert bad_check_digit(2) not in lines[1] and national_id.mask(bad_check_digit(2)) in lines[1]

    events = list(AuditEvent.objects.filter(user=staff).order_by("id").values_list("action", "object_type"))
    assert events == [
        (Action.IMPORT, "import_job"),
        (Action.IMPORT, "household"),
        (Action.EXPORT, "import_job"),
        (Action.EXPORT, "import_job"),
    ]


def test_all_or_nothing_from_the_web_writes_nothing(client, staff, tmp_path):
    before = counts()
    client.post(
        reverse("imports:page", args=[TAMBON]), {"kind": "households", "file": upload(households_file(tmp_path))}
    )
    job = ImportJob.objects.get()
    assert (job.status, job.accepted, job.rejected, job.created_rows) == (ImportJob.Status.REJECTED, 2, 1, 0)
    assert counts() == (before[0], before[1], before[2] + 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Nothing was saved because some rows have errors" in client.get(reverse("imports:job", args=[job.pk])).text


def test_villages_and_welfare_registrants_from_the_web(client, staff, tmp_path):
    villages = write_csv(tmp_path / "v.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["1", "บ้านบุ่ง"], ["2", "บ้านใหม่"]])
    client.post(reverse("imports:page", args=[TAMBON]), {"kind": "villages", "file": upload(villages)})
    job = ImportJob.objects.get()
    assert (job.status, job.created_rows, job.unchanged_rows) == (ImportJob.Status.DONE, 1, 1)
    assert Area.objects.filter(parent_id=TAMBON, level=Level.VILLAGE).count() == 2

    welfare = write_csv(tmp_path / "w.csv", [HOUSEHOLD_HEADERS_TH, household_row("W1", 2, nid(5), welfare="ไม่มี")])
    client.post(reverse("imports:page", args=[TAMBON]), {"kind": "welfare", "file": upload(welfare)})
    household = Household.objects.get(code="W1")
    assert (household.origin, household.verification, household.welfare_card) == (
        Origin.WELFARE_REGISTRY, "unverified", True,
    )  # fmt: skip


def test_a_file_of_another_type_is_refused_by_the_form(client, staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("imports:page", args=[TAMBON]),
        {"kind": "households", "file": SimpleUploadedFile("list.pdf", b"%PDF")},
    )
    assert response.status_code == 200
    assert "Use an .xlsx, .xls or .csv file." in response.text
    assert ImportJob.objects.count() == 0


def test_the_progress_block_reports_rows_checked_and_polls_until_finished(client, staff):
    job = ImportJob.objects.create(
        user=staff,
        tambon_id=TAMBON,
        kind="households",
        filename="x.xlsx",
        status=ImportJob.Status.RUNNING,
        total_rows=200,
        processed_rows=50,
    )
    response = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.text
    assert 'hx-trigger="every 1s"' in text
    assert f'hx-get="{reverse("imports:progress", args=[job.pk])}"' in text
    assert 'data-processed="50" data-total="200"' in text
    assert '<progress max="100" value="25">' in text
    assert "<html" not in text  # the block alone

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=200)
    assert "กำลังบันทึก" in client.get(reverse("imports:progress", args=[job.pk])).text  # Thai first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Saving…" in client.get(reverse("imports:progress", args=[job.pk])).text

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, accepted=200)
    done = client.get(reverse("imports:progress", args=[job.pk])).text
    assert "hx-trigger" not in done
    assert 'data-status="done"' in done


def test_the_job_writes_its_progress_while_it_checks_rows(client, staff, tmp_path, monkeypatch):
    rows = [HOUSEHOLD_HEADERS_TH] + [household_row(f"P{i}", 1, nid(100 + i)) for i in range(250)]
    path = write_csv(tmp_path / "p.csv", rows)
    seen: list[tuple[int, int]] = []
    record = services._Progress.__call__

    def spy(self, done, total):
        record(self, done, total)
        stored = ImportJob.objects.values_list("processed_rows", "total_rows").get(pk=self.job_id)
        if not seen or seen[-1] != stored:
            seen.append(stored)

    monkeypatch.setattr(services._Progress, "__call__", spy)
    client.post(reverse("imports:page", args=[TAMBON]), {"kind": "households", "file": upload(path)})
    assert seen[:4] == [(0, 250), (100, 250), (200, 250), (250, 250)]
    assert ImportJob.objects.get().created_rows == 250


@pytest.mark.parametrize("role,area", [(Role.TAMBON_STAFF, OTHER), (Role.DISTRICT_COORDINATOR, "3701"), (None, None)])
def test_everyone_else_gets_a_404_and_nothing_is_written(client, tmp_path, role, area):
    factories.village(TAMBON, 1)
    owner = factories.user(Role.TAMBON_STAFF, TAMBON)
    job = services.import_job_create(
        actor=Actor(user=owner), tambon=Area.objects.get(code=TAMBON), kind="households",
        upload=upload(households_file(tmp_path)), skip_invalid=True,
    )  # fmt: skip
    assert job.status == ImportJob.Status.DONE and job.error_report
    client.force_login(factories.user(role, area))
    before = counts()
    audits = AuditEvent.objects.count()
    urls = [
        reverse("imports:page", args=[TAMBON]),
        reverse("imports:job", args=[job.pk]),
        reverse("imports:progress", args=[job.pk]),
        reverse("imports:errors_xlsx", args=[job.pk]),
        reverse("imports:errors_csv", args=[job.pk]),
        reverse("imports:job", args=[job.pk + 1000]),
        reverse("imports:page", args=["999999"]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    other = write_csv(tmp_path / "o.csv", [HOUSEHOLD_HEADERS_TH, household_row("X1", 1, nid(9))])
    response = client.post(reverse("imports:page", args=[TAMBON]), {"kind": "households", "file": upload(other)})
    assert response.status_code in (403, 404)
    assert counts() == before
    assert AuditEvent.objects.count() == audits
    assert not Household.objects.filter(code="X1").exists()


def test_an_administrator_may_import_anywhere(client, tmp_path):
    factories.village(OTHER, 1)
    client.force_login(factories.admin())
    path = write_csv(tmp_path / "h.csv", [HOUSEHOLD_HEADERS_TH, household_row("A1", 1, nid(1))])
    response = client.post(reverse("imports:page", args=[OTHER]), {"kind": "households", "file": upload(path)})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.created_rows) == (ImportJob.Status.DONE, 1)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200


def test_recent_imports_are_listed_on_the_page(client, staff, tmp_path):
    path = write_csv(tmp_path / "บ้าน.csv", [HOUSEHOLD_HEADERS_TH, household_row("R1", 1, nid(1))])
    client.post(reverse("imports:page", args=[TAMBON]), {"kind": "households", "file": upload(path)})
    page = client.get(reverse("imports:page", args=[TAMBON])).text
    assert "บ้าน.csv" in page
    assert reverse("imports:job", args=[ImportJob.objects.get().pk]) in page


@pytest.mark.parametrize(
    "kind,sheets",
    [("villages", ["หมู่บ้าน", "คำอธิบาย"]), ("households", ["ครัวเรือน", "สมาชิก", "คำอธิบาย"])],
)
def test_empty_templates_have_the_thai_headers_and_import_cleanly(client, staff, tmp_path, kind, sheets):
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == sheets
    if kind == "households":
        assert read_xlsx(response.content, 0) == [HOUSEHOLD_HEADERS_TH]
        assert read_xlsx(response.content, 1) == [MEMBER_HEADERS_TH]
        path = tmp_path / "template.xlsx"
        path.write_bytes(response.content)
        result = households_import(actor=Actor.system("test"), tambon=Area.objects.get(code=TAMBON), path=path)
        assert (result.completed, result.report.accepted, result.report.warnings) == (True, 0, [])
    else:
        assert read_xlsx(response.content, 0) == [["หมู่ที่", "ชื่อหมู่บ้าน"]]
    assert client.get(reverse("imports:template", args=["ledgerz"])).status_code == 404


def test_no_worker_thread_is_started_with_the_immediate_backend():
    assert start_background_worker() is None


def test_job_failure_is_recorded_without_personal_data(staff, tmp_path, monkeypatch):
    def boom(**kwargs):
        raise ValueError("1101700203450 broke")

    monkeypatch.setitem(services._IMPORTERS, ImportJob.Kind.HOUSEHOLDS, (boom, {}))
    path = write_csv(tmp_path / "h.csv", [HOUSEHOLD_HEADERS_TH, household_row("F1", 1, nid(1))])
    job = services.import_job_create(
        actor=Actor(user=staff), tambon=Area.objects.get(code=TAMBON), kind="households", upload=upload(path)
    )
    assert (job.status, job.failure, bool(job.file)) == (ImportJob.Status.FAILED, "ValueError", False)
    assert job.finished_at is not None and job.finished_at <= dt.datetime.now(dt.UTC)


def _running_job(user, runner: str) -> ImportJob:
    return ImportJob.objects.create(
        user=user, tambon_id=TAMBON, kind="ledgers", filename="บัญชี.csv",
        status=ImportJob.Status.RUNNING, total_rows=10, processed_rows=4, runner=runner,
    )  # fmt: skip


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_job_whose_server_died_is_shown_as_interrupted_not_running_for_ever(client, staff):
    import socket

    from chumchon.core.runner import runner_id

    dead = _running_job(staff, f"{socket.gethostname()}:{_dead_pid()}:gone")
    alive = _running_job(staff, runner_id())  # this very process: still at work
    elsewhere = _running_job(staff, "another-host:1:x")  # cannot be told from here

    text = client.get(reverse("imports:progress", args=[dead.pk])).text
    assert "ถูกขัดจังหวะ" in text and "hx-trigger" not in text  # said in Thai, and polling stops
    dead.refresh_from_db()
    assert (dead.status, dead.failure) == (ImportJob.Status.FAILED, runner.INTERRUPTED)
    assert dead.finished_at is not None

    assert services.import_jobs_fail_interrupted() == 0  # the others are left alone
    assert set(ImportJob.objects.filter(pk__in=[alive.pk, elsewhere.pk]).values_list("status", flat=True)) == {
        ImportJob.Status.RUNNING
    }
    assert 'hx-trigger="every 1s"' in client.get(reverse("imports:progress", args=[alive.pk])).text


def test_a_server_start_fails_the_jobs_its_previous_run_left_running(staff):
    import socket

    from chumchon.core import runner

    previous_start = f"{socket.gethostname()}:{__import__('os').getpid()}:{'0' * 12}"
    assert previous_start != runner.runner_id()  # same pid, an earlier start of the server
    job = _running_job(staff, previous_start)

    assert services.import_jobs_fail_interrupted() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_every_kind_of_job_has_an_importer() -> None:
    from chumchon.imports.services import _IMPORTERS

    assert set(_IMPORTERS) == set(ImportJob.Kind)


def test_a_job_out_of_memory_fails_with_a_thai_message(client, staff, tmp_path, monkeypatch):
    def hungry(**kwargs):
        raise MemoryError

    monkeypatch.setitem(services._IMPORTERS, ImportJob.Kind.HOUSEHOLDS, (hungry, {}))
    path = write_csv(tmp_path / "h.csv", [HOUSEHOLD_HEADERS_TH, household_row("M1", 1, nid(1))])
    job = services.import_job_create(
        actor=Actor(user=staff), tambon=Area.objects.get(code=TAMBON), kind="households", upload=upload(path)
    )
    assert (job.status, job.failure, bool(job.file)) == (ImportJob.Status.FAILED, "memory", False)
    page = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "การอ่านไฟล์นี้ต้องใช้หน่วยความจำเกินกว่าที่การนำเข้าใช้ได้" in page
    assert not Household.objects.filter(code="M1").exists()


def test_an_error_report_missing_from_disk_is_a_thai_404_not_a_500(client, staff, tmp_path, immediate_tasks):
    client.post(
        reverse("imports:page", args=[TAMBON]),
        {"kind": "households", "file": upload(households_file(tmp_path)), "skip_invalid": "on"},
    )
    job = ImportJob.objects.get()
    Path(job.error_report_csv.path).unlink()  # e.g. restored without var/'s stored files
    response = client.get(reverse("imports:errors_csv", args=[job.pk]))
    assert response.status_code == 404
    assert "ไม่พบไฟล์นี้บนเครื่องแม่ข่ายแล้ว" in response.text
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert client.get(reverse("imports:errors_xlsx", args=[job.pk])).status_code == 200

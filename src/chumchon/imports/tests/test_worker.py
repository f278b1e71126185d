"""With the real database task backend, the in-process worker thread runs a queued
import: a tambon office needs no separate worker process."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.areas.services import areas_load_thailand
from chumchon.core.worker import start_background_worker, stop_background_worker
from chumchon.imports.models import ImportJob
from chumchon.imports.services import import_job_create
from chumchon.imports.tests.sheets import HOUSEHOLD_HEADERS_TH, household_row, nid, write_csv
from chumchon.registry.models import Household
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_the_background_worker_thread_runs_a_queued_import(settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.IMPORT_JOB_MEMORY_MB = 0  # in the worker thread: a child cannot see the test database
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    if not Area.objects.filter(code="370101").exists():  # another transactional test emptied the database
        areas_load_thailand()
    factories.village("370101", 1)
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    path = write_csv(tmp_path / "h.csv", [HOUSEHOLD_HEADERS_TH, household_row("Q1", 1, nid(1))])
    job = import_job_create(
        actor=Actor(user=staff),
        tambon=Area.objects.get(code="370101"),
        kind="households",
        upload=SimpleUploadedFile("h.csv", path.read_bytes()),
    )
    assert job.status == ImportJob.Status.QUEUED  # nobody has run it yet
    assert DBTaskResult.objects.get().status == "READY"

    thread = start_background_worker(interval=0.1)
    try:
        assert thread is not None and thread.is_alive()
        assert start_background_worker() is thread  # once per process
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.1)
    finally:
        stop_background_worker()
    assert not thread.is_alive()
    assert (job.status, job.created_rows) == (ImportJob.Status.DONE, 1)
    assert Household.objects.filter(code="Q1").exists()
    # The import's task, and the dashboards' warm task the new household scheduled (to
    # run a few seconds after the write).
    tasks = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert tasks == {
        "chumchon.imports.tasks.run_import_job": "SUCCESSFUL",
        "chumchon.insights.tasks.warm_dashboards": "READY",
    }

"""Writes of the imports app: accept an upload as a job, and run a job.

The import itself is the domain's (``imports.villages.villages_import``,
``registry.imports.households_import``, ``ledgers.imports.ledger_import``); a job only
carries it out in the background,
records its progress for the page that polls it, and keeps the outcome.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import PurePath
from typing import Protocol

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Level
from chumchon.core import spreadsheet as ss
from chumchon.core.runner import job_fail_if_interrupted, runner_id
from chumchon.imports import process
from chumchon.imports.models import ImportJob
from chumchon.imports.villages import villages_import
from chumchon.imports.workbooks import wrong_kind_error
from chumchon.ledgers.imports import ledger_import
from chumchon.registry.imports import households_import
from chumchon.registry.models import Origin

logger = logging.getLogger(__name__)

EXTENSIONS = (".xlsx", ".xls", ".csv")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ERRORS_KEPT = 500  # on the job row for the page; the report files hold every one
PROGRESS_EVERY = 100  # rows between progress writes (and at the start and the end)


class UploadRefused(Exception):
    """A refused upload; the message (Thai) is shown to the user."""


class _Outcome(Protocol):
    report: ss.ImportReport
    created: int
    unchanged: int
    completed: bool
    total_rows: int


def import_job_create(
    *, actor: Actor, tambon: Area, kind: str, upload: File, skip_invalid: bool = False, lang: str = "th"
) -> ImportJob:
    """Keep the uploaded file and queue its import (see ``tasks.run_import_job``)."""
    from chumchon.imports.tasks import run_import_job

    kind = ImportJob.Kind(kind)
    if tambon.level != Level.TAMBON:
        raise UploadRefused("นำเข้าได้เฉพาะระดับตำบล")
    if actor.user is not None and not can(actor.user, Write.IMPORT, tambon.code):
        raise UploadRefused("ไม่มีสิทธิ์นำเข้าข้อมูลในพื้นที่นี้")
    name = PurePath(upload.name or "").name
    if PurePath(name).suffix.lower() not in EXTENSIONS:
        raise UploadRefused("ใช้ไฟล์ .xlsx, .xls หรือ .csv")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(f"ไฟล์ใหญ่เกิน {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    with transaction.atomic():
        job = ImportJob(
            user=actor.user,
            tambon=tambon,
            kind=kind,
            skip_invalid=skip_invalid,
            lang="en" if lang == "en" else "th",
            filename=name[:255],
        )
        job.file.save(name, upload, save=False)
        job.save()
        audit_record(
            actor=actor,
            action=Action.IMPORT,
            object_type="import_job",
            object_id=job.pk,
            area_code=tambon.code,
            detail={"kind": kind.value, "file": name[-200:], "skip_invalid": skip_invalid},
        )
    # Queued once the job row is saved (a worker that finds no job does nothing). With the
    # immediate backend (tests) this runs the whole import before returning.
    result = run_import_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


class _Progress:
    """Writes rows checked / total to the job every ``PROGRESS_EVERY`` rows (and at least
    once a second), each in its own short transaction so the polling page sees it."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last_rows = -1
        self.last_time = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or done - self.last_rows >= PROGRESS_EVERY or now - self.last_time >= 1:
            ImportJob.objects.filter(pk=self.job_id).update(processed_rows=done, total_rows=total)
            self.last_rows, self.last_time = done, now


def import_job_check_interrupted(job: ImportJob) -> ImportJob:
    """Mark a "running" job failed (``interrupted``) when the process that ran it is
    certainly gone — the server was stopped or restarted mid-import. Its transaction
    was rolled back with the process, so nothing of it was written; the page says so
    and the file can be imported again. Returns the job as it now is."""
    if job_fail_if_interrupted(job, running=ImportJob.Status.RUNNING, failed=ImportJob.Status.FAILED) and job.file:
        job.file.delete(save=False)  # the upload holds national IDs in clear: it goes with the job
        ImportJob.objects.filter(pk=job.pk).update(file="")
        job.refresh_from_db()
    return job


def import_jobs_fail_interrupted() -> int:
    """Check every running job (when a server starts); returns how many were failed."""
    jobs = ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
    return sum(import_job_check_interrupted(job).status == ImportJob.Status.FAILED for job in jobs)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job to its end; ``None`` when the job no longer exists.

    Under the database task backend the job runs in a child process with bounded
    memory (see :mod:`chumchon.imports.process`); a child that ran out of it leaves the
    job failed with ``failure = "memory"``. A job that fails unexpectedly is marked
    ``failed`` (with the exception's class name only) and, when it ran in this process,
    the exception is raised again for the task runner to record.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), runner=runner_id()[:160]
    )
    job = ImportJob.objects.select_related("tambon", "user").filter(pk=job_id).first()
    if job is None or not claimed:
        return job  # gone, or already run by another worker
    try:
        if process.runs_in_child():
            returncode = process.run_in_child(job_id)
            # A child that died (its memory limit, a kill) could not record it: do it here.
            failure = process.MEMORY if returncode == process.EXIT_MEMORY or returncode < 0 else f"exit {returncode}"
            _fail(job_id, failure)
        else:
            _execute(job)
    finally:
        if job.file:
            # The upload holds national IDs in clear: it goes once the job has run.
            job.file.delete(save=False)
            ImportJob.objects.filter(pk=job_id).update(file="")
    job.refresh_from_db()
    return job


def import_job_execute(*, job_id: int) -> None:
    """Carry out a job already claimed by a worker (``chumchon import_job``, in the child)."""
    job = ImportJob.objects.select_related("tambon", "user").get(pk=job_id, status=ImportJob.Status.RUNNING)
    _execute(job)


def _execute(job: ImportJob) -> None:
    try:
        outcome = _run(job)
        _finish(job, outcome)
    except MemoryError:
        logger.error("import job %s ran out of memory", job.pk)
        _fail(job.pk, process.MEMORY)
        raise
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        _fail(job.pk, type(exc).__name__)
        raise


def _fail(job_id: int, failure: str) -> None:
    """Mark a job that is still running failed (one that finished keeps its outcome)."""
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.FAILED, failure=failure[:200], finished_at=timezone.now()
    )


def _run(job: ImportJob) -> _Outcome:
    try:
        path = job.file.path  # the default FileSystemStorage: read the file where it is
    except NotImplementedError:  # a storage without local files: work on a copy
        suffix = PurePath(job.filename).suffix
        with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as copy, job.file.open("rb") as fh:
            shutil.copyfileobj(fh, copy)
        try:
            return _import(job, copy.name)
        finally:
            os.unlink(copy.name)
    return _import(job, path)


def _import(job: ImportJob, path: str) -> _Outcome:
    importer, extra = _IMPORTERS[ImportJob.Kind(job.kind)]
    outcome = importer(
        actor=Actor(user=job.user, path=f"import job {job.pk}"),
        tambon=job.tambon,
        path=path,
        filename=job.filename,
        skip_invalid=job.skip_invalid,
        progress=_Progress(job.pk),
        **extra,
    )
    report = outcome.report
    if not outcome.completed and report.errors and not report.accepted and not report.rejected:
        # Refused as a whole (missing columns, no such sheet): was it another kind of file?
        wrong = wrong_kind_error(path, job.filename, job.kind)
        if wrong is not None:
            report.errors.insert(0, wrong)
    return outcome


# Each kind of job and the domain import that does its work, with the arguments only it takes.
_IMPORTERS: dict[ImportJob.Kind, tuple[Callable[..., _Outcome], dict[str, object]]] = {
    ImportJob.Kind.LEDGERS: (ledger_import, {}),
    ImportJob.Kind.VILLAGES: (villages_import, {}),
    ImportJob.Kind.HOUSEHOLDS: (households_import, {"origin": Origin.TAMBON}),
    ImportJob.Kind.WELFARE: (households_import, {"origin": Origin.WELFARE_REGISTRY}),
}


def _finish(job: ImportJob, outcome: _Outcome) -> None:
    report = outcome.report
    job.status = ImportJob.Status.DONE if outcome.completed else ImportJob.Status.REJECTED
    job.total_rows = max(outcome.total_rows, report.accepted + report.rejected)
    job.processed_rows = job.total_rows
    job.accepted = report.accepted
    job.rejected = report.rejected
    job.created_rows = outcome.created
    job.unchanged_rows = outcome.unchanged
    job.pending_rows = getattr(outcome, "pending", 0)
    job.error_count = len(report.errors) + report.omitted_errors
    job.errors = [
        {"row": e.row, "column": e.column, "sheet": e.sheet, "th": e.message.th, "en": e.message.get("en")}
        for e in report.errors[:ERRORS_KEPT]
    ]
    job.warnings = [{"th": w.th, "en": w.get("en")} for w in report.warnings]
    if report.errors:
        stem = PurePath(job.filename).stem or "import"
        xlsx, csv = io.BytesIO(), io.BytesIO()
        report.write_xlsx(xlsx, lang=job.lang)
        report.write_csv(csv, lang=job.lang)
        job.error_report.save(f"{stem}.xlsx", ContentFile(xlsx.getvalue()), save=False)
        job.error_report_csv.save(f"{stem}.csv", ContentFile(csv.getvalue()), save=False)
    job.finished_at = timezone.now()
    job.save()

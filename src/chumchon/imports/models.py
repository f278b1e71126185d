"""Spreadsheet imports started from the web: one row per uploaded file and its outcome.

The upload is kept under the default storage (``var/media/imports/``) until the job has
run, then deleted: it holds national IDs in clear. What remains is the outcome — the
counts, the first errors, and the error report files (the bad rows only), which only
people who may import into the tambon can download.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area


def _upload_to(instance: ImportJob, filename: str) -> str:
    # A random name: the person's file name (often Thai) is kept in ``filename``.
    return f"imports/uploads/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


def _report_to(instance: ImportJob, filename: str) -> str:
    return f"imports/reports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        VILLAGES = "villages", _("Villages")
        HOUSEHOLDS = "households", _("Households")
        WELFARE = "welfare", _("State welfare card registrants")
        LEDGERS = "ledgers", _("Household accounts")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Not imported")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.REJECTED, Status.FAILED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tambon = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "tambon"})
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    skip_invalid = models.BooleanField(_("import only the good rows"), default=False)
    lang = models.CharField(max_length=5, default="th")
    file = models.FileField(upload_to=_upload_to, max_length=200, blank=True)
    filename = models.CharField(_("file"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    created_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    # Household accounts: lines with an item but no category, waiting on the review page.
    pending_rows = models.PositiveIntegerField(default=0)
    # The first problems, each {"row", "column", "sheet", "th", "en"}; error_count has them all.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    error_report = models.FileField(upload_to=_report_to, max_length=200, blank=True)
    error_report_csv = models.FileField(upload_to=_report_to, max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # The process running it (core.runner.runner_id), to tell a job whose server died.
    runner = models.CharField(max_length=160, blank=True)
    # Why a job failed: an exception's class name only (its text may hold personal data).
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["tambon", "-created_at"], name="importjob_tambon_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def saving(self) -> bool:
        """Every row is checked and the good ones are being written."""
        return self.status == self.Status.RUNNING and self.total_rows > 0 and self.processed_rows >= self.total_rows

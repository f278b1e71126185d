"""What every background batch row holds (forum packs, household statements): who
runs it, its progress for the page that polls it, and why it failed.

An abstract model: each batch table keeps its own columns for what it makes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.FAILED)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Which process runs it (``core.runner.runner_id``: "host:pid:boot"), so a page can
    # tell a batch whose process has gone (the server restarted) from one still working.
    runner = models.CharField(max_length=160, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Why it failed: an exception's class name only, or "interrupted" when its process died.
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the last progress written
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

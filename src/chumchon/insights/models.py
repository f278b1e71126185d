"""Insights rows: the background batches of learning-forum packs (issue 5, item 5).

A batch makes the forum pack of every village of a tambon for one month (a PDF and a
spreadsheet each, with the tambon's own pack) into one zip file. The row is the job:
who asked, for which tambon and month, its status and progress for the page that
polls it, and why it failed. The zip is kept in a private directory
(``$CHUMCHON_VAR/forum``, never served as static or media; see
``insights.forum.batch``), named by the row's unguessable ``token``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area


def new_token() -> str:
    return secrets.token_hex(16)


class ForumBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.FAILED)

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tambon = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "tambon"})
    month = models.DateField(_("month"))  # the first day of the month
    lang = models.CharField(max_length=5, default="th")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)  # packs to make: the villages and the tambon
    done = models.PositiveIntegerField(default=0)
    current = models.CharField(max_length=8, blank=True)  # the area being made now
    size = models.PositiveBigIntegerField(default=0)  # bytes of the zip once done
    # Which process runs it ("host:pid:boot"), so a page can tell a job whose process has
    # gone (the server restarted) from one still working.
    runner = models.CharField(max_length=160, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Why a batch failed: an exception's class name, or "interrupted" when its process died.
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the last progress written
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("forum pack batch")
        verbose_name_plural = _("forum pack batches")
        indexes = [models.Index(fields=["tambon", "-created_at"], name="forumbatch_tambon_recent")]
        constraints = [
            models.CheckConstraint(name="forumbatch_done_le_total", condition=models.Q(done__lte=models.F("total"))),
        ]

    def __str__(self) -> str:
        return f"forum {self.tambon_id} {self.month:%Y-%m} ({self.status})"

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

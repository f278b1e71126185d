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
from chumchon.core.jobs import BackgroundBatch


def new_token() -> str:
    return secrets.token_hex(16)


class ForumBatch(BackgroundBatch):
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tambon = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "tambon"})
    month = models.DateField(_("month"))  # the first day of the month
    lang = models.CharField(max_length=5, default="th")
    # ``total``: the packs to make, the villages and the tambon.
    current = models.CharField(max_length=8, blank=True)  # the area being made now
    size = models.PositiveBigIntegerField(default=0)  # bytes of the zip once done

    class Meta(BackgroundBatch.Meta):
        verbose_name = _("forum pack batch")
        verbose_name_plural = _("forum pack batches")
        indexes = [models.Index(fields=["tambon", "-created_at"], name="forumbatch_tambon_recent")]
        constraints = [
            models.CheckConstraint(name="forumbatch_done_le_total", condition=models.Q(done__lte=models.F("total"))),
        ]

    def __str__(self) -> str:
        return f"forum {self.tambon_id} {self.month:%Y-%m} ({self.status})"


class ResultCache(models.Model):
    """The shared tier of the computed results' cache (``chumchon.insights.cache``): the
    table of Django's ``DatabaseCache`` (``settings.CACHES["shared"]``), made by this
    app's migrations rather than ``createcachetable`` so that every database has it and a
    flush empties it. The backend reads and writes it with its own SQL; nothing else does."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "chumchon_result_cache"

    def __str__(self) -> str:
        return self.cache_key

"""Household statement batches laid out in the background."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area
from chumchon.core.jobs import BackgroundBatch
from chumchon.core.thai import Month

if TYPE_CHECKING:
    from chumchon.ledgers.statements.period import Period, PeriodKind


def new_token() -> str:
    return secrets.token_hex(16)


class StatementBatch(BackgroundBatch):
    """A village's household statements for one period laid out in the background into
    one PDF (``ledgers.statement_batches``): who asked, for which village, period and
    households, status and progress, why it failed. The PDF is a file in the private
    ``$CHUMCHON_VAR/statements`` named by the unguessable ``token``; it holds personal
    data, so it is deleted after a while and the row, kept as a record, says when."""

    class PeriodKindChoices(models.TextChoices):  # as ``statements.Period.kind``
        MONTH = "month", _("month")
        YEAR = "year", _("year")
        FISCAL = "fiscal", _("fiscal year")

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )  # the index below leads with it
    village = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "village"})
    # The period: its kind and the first days of its first and last months.
    period_kind = models.CharField(max_length=8, choices=PeriodKindChoices.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    # The households to print, in page order (the caller scoped them when it asked).
    household_ids = models.JSONField(default=list, blank=True)
    # The PDF's file name in the batch directory, once made; blank again once deleted.
    pdf_name = models.CharField(max_length=64, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)  # when its PDF was deleted

    class Meta(BackgroundBatch.Meta):
        verbose_name = _("household statement batch")
        verbose_name_plural = _("household statement batches")
        indexes = [models.Index(fields=["user", "village", "-created_at"], name="stmtbatch_user_village_recent")]
        constraints = [
            models.CheckConstraint(name="stmtbatch_done_le_total", condition=Q(done__lte=models.F("total"))),
            models.CheckConstraint(
                name="stmtbatch_period_ordered", condition=Q(period_start__lte=models.F("period_end"))
            ),
        ]

    def __str__(self) -> str:
        return f"statements {self.village_id} {self.period_kind} {self.period_start:%Y-%m} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.expired_at is not None

    @property
    def period_obj(self) -> Period:
        from chumchon.ledgers.statements.period import Period  # that module reads this one's rollups

        kind = cast("PeriodKind", self.period_kind)
        return Period(kind, Month.of(self.period_start), Month.of(self.period_end))

"""Month close and reopen, per village (audited history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area


class MonthStatusChange(models.Model):
    """A village's month closed or reopened. The latest change decides; all are kept."""

    class Action(models.TextChoices):
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")

    village = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    action = models.CharField(max_length=8, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["village_id", "month", "at", "id"]
        indexes = [models.Index(fields=["village", "month", "at"], name="month_status_latest")]
        constraints = [
            models.CheckConstraint(name="month_reopen_has_reason", condition=~Q(action="reopen") | ~Q(reason=""))
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.month:%Y-%m} {self.action}"

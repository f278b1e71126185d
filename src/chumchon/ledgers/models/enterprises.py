"""Household enterprises (business and crop-season accounts) and imported lines awaiting a category."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area
from chumchon.ledgers.models.categories import Category, Kind
from chumchon.ledgers.models.entries import LedgerEntry
from chumchon.registry.models import Household


class EnterpriseKind(models.TextChoices):
    """What an enterprise is, so a tambon can set like beside like (rice beside rice)."""

    RICE = "rice", _("rice")
    FIELD_CROP = "field_crop", _("field crop (cassava, sugarcane, maize)")
    VEGETABLES = "vegetables", _("vegetables or fruit")
    LIVESTOCK = "livestock", _("livestock")
    FISHERY = "fishery", _("fish")
    SHOP = "shop", _("village shop")
    FOOD = "food", _("food stall or market stall")
    CRAFT = "craft", _("handicraft or processing")
    OTHER = "other", _("other")


class Enterprise(models.Model):
    """A household business or crop season with its own profit-and-loss account
    (บัญชีกำไร-ขาดทุนกิจการครัวเรือน), e.g. the 2567 wet-season rice crop."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="enterprises")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=EnterpriseKind.choices, default=EnterpriseKind.OTHER)
    season = models.CharField(_("season"), max_length=60, blank=True)
    area_rai = models.DecimalField(_("area (rai)"), max_digits=8, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household_id", "-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["household", "name", "season"], name="enterprise_unique_in_household"),
            models.CheckConstraint(
                name="enterprise_area_positive", condition=Q(area_rai__isnull=True) | Q(area_rai__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.season}".strip()


class PendingLine(models.Model):
    """An imported line with an item but no category (``import ledgers``).

    It does not count in any figure until a person confirms a category for it on the
    review page; confirming writes the ledger entry (through ``ledger_entries_add``, with
    this line's ``import_key``) and keeps it here as ``entry``. A rejected line stays with
    its reason, so importing the same file again does not bring it back.
    """

    class Resolution(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    tambon_code = models.CharField(max_length=6)
    village = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    item = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # The money column the amount was in: income or expense; blank for the single amount column.
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, blank=True)
    suggested_category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    import_key = models.CharField(max_length=64, unique=True)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    row = models.PositiveIntegerField(_("row"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["tambon_code", "household_id", "date", "id"]
        verbose_name = _("line waiting for a category")
        verbose_name_plural = _("lines waiting for a category")
        indexes = [models.Index(fields=["tambon_code", "resolved_at"], name="pending_tambon_open")]
        constraints = [
            models.CheckConstraint(name="pending_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="pending_resolution_consistent",
                condition=(Q(resolution="") & Q(resolved_at__isnull=True) & Q(entry__isnull=True))
                | (Q(resolution="confirmed") & Q(resolved_at__isnull=False) & Q(entry__isnull=False))
                | (Q(resolution="rejected") & Q(resolved_at__isnull=False) & ~Q(reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.date} {self.item} {self.amount}"


# --- background work ---------------------------------------------------------------------

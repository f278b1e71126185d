"""Household accounts: the standard categories and the ledger entries themselves.

Entries are facts: append-only, never edited in place. A correction is a new row that
reverses the old one (negative amount, ``reverses`` pointing at it) with a reason.
Money is NUMERIC(14,2).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area
from chumchon.registry.models import Household


class Group(models.TextChoices):
    INCOME = "income", _("Income")
    PRODUCTION = "production", _("Production costs")
    CONSUMPTION = "consumption", _("Consumption")
    FINANCIAL = "financial", _("Financial")


class Kind(models.TextChoices):
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


class Category(models.Model):
    code = models.CharField(_("code"), max_length=8, primary_key=True)
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name_th = models.CharField(_("Thai name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    # Space-separated flags: avoidable local_food debt_principal interest saving borrowing
    flags = models.CharField(_("flags"), max_length=120, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    is_standard = models.BooleanField(default=False)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags.split()


class EntrySource(models.TextChoices):
    KEYED = "keyed", _("Keyed at the tambon office")
    PHONE = "phone", _("Entered on a phone")
    IMPORT = "import", _("Imported")
    DEMO = "demo", _("Demo data")


class LedgerEntry(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="ledger_entries")
    date = models.DateField(_("date"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    item = models.CharField(_("item"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # Ancestry, copied from the household at write time, for one-filter rollups.
    province_code = models.CharField(max_length=2)
    district_code = models.CharField(max_length=4)
    tambon_code = models.CharField(max_length=6)
    village = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    source = models.CharField(max_length=8, choices=EntrySource.choices)
    # Idempotency key of an imported row (hash of tambon, household, date, category,
    # item, amount and its occurrence number in the file).
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household_id", "date", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["household", "date"], name="ledger_household_date"),
            models.Index(fields=["tambon_code", "date"], name="ledger_tambon_date"),
        ]
        constraints = [
            models.CheckConstraint(name="ledger_amount_nonzero", condition=~Q(amount=0)),
            models.CheckConstraint(
                name="ledger_reversal_has_reason",
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.date} {self.category_id} {self.amount}"

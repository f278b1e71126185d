"""Ledger entries: facts, append-only, corrected by reversing rows with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area
from chumchon.ledgers.models.categories import Category
from chumchon.registry.models import Household


class EntrySource(models.TextChoices):
    KEYED = "keyed", _("Keyed at the tambon office")
    PHONE = "phone", _("Entered on a phone")
    IMPORT = "import", _("Imported")
    DEMO = "demo", _("Demo data")


class LedgerEntry(models.Model):
    # Indexes on this table are few on purpose: every one is paid for on each imported
    # line (a province imports millions). (household, date), (tambon_code, date), the
    # import key and the partial indexes below serve every query the code makes; the
    # single-column indexes Django would add for each foreign key (and the *_like
    # copies for the character keys) served none, and cost half the import's time.
    # Likewise no foreign-key constraint in the database for the household, category,
    # village and author: each checked key costs a trigger and an index probe per line
    # at commit (together 40% of an import's time, measured on PostgreSQL). Every writer
    # checks the household, category and village against the registry and reference
    # data before it writes; households and areas are never deleted (erasure keeps a
    # tombstone) and Django's PROTECT still refuses deleting one that has lines;
    # categories are retired, not removed; `chumchon rollups --verify` joins every line
    # to its category.
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="ledger_entries", db_index=False, db_constraint=False
    )  # (household, date) leads with it
    date = models.DateField(_("date"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="entries", db_index=False, db_constraint=False
    )
    item = models.CharField(_("item"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # Ancestry, copied from the household at write time, for one-filter rollups.
    province_code = models.CharField(max_length=2)
    district_code = models.CharField(max_length=4)
    tambon_code = models.CharField(max_length=6)
    village = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    # The line this one takes back out (at most one reversal a line: the partial unique
    # constraint below, which unlike a one-to-one field's index holds no entry for the
    # lines that reverse nothing, i.e. nearly all).
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by", db_index=False
    )
    # The household business or crop season the line belongs to, if any.
    enterprise = models.ForeignKey(
        "Enterprise", on_delete=models.SET_NULL, null=True, blank=True, related_name="entries", db_index=False
    )  # partial index below: most lines have none
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    source = models.CharField(max_length=8, choices=EntrySource.choices)
    # Idempotency key of an imported row (hash of tambon, household, date, category,
    # item, amount and its occurrence number in the file).
    # (Unique by the constraint below rather than ``unique=True``, which on PostgreSQL
    # would add a second, varchar_pattern_ops index no query uses.)
    import_key = models.CharField(max_length=64, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )  # no index, no constraint: nothing looks lines up by their author; users are deactivated, not deleted
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household_id", "date", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["household", "date"], name="ledger_household_date"),
            models.Index(fields=["tambon_code", "date"], name="ledger_tambon_date"),
            models.Index(fields=["enterprise"], condition=Q(enterprise__isnull=False), name="ledger_enterprise"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["import_key"], name="ledger_import_key_unique"),
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(reverses__isnull=False), name="ledger_reversed_once"
            ),
            models.CheckConstraint(name="ledger_amount_nonzero", condition=~Q(amount=0)),
            models.CheckConstraint(
                name="ledger_reversal_has_reason",
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.date} {self.category_id} {self.amount}"


# --- rollups ---------------------------------------------------------------------------
# Derived totals, kept current in the same transaction as every write (see rollups.py)
# and recomputable from the raw rows (`chumchon rollups --verify` / `--rebuild`).
# ``entries`` counts lines net of reversals: a reversal takes its line back out.
# Amounts here are whole satang (BIGINT): sums of integers are exact on every engine,
# where SQLite would add NUMERIC values as binary floating point.

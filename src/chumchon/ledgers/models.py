"""Household accounts: the standard categories and the ledger entries themselves.

Entries are facts: append-only, never edited in place. A correction is a new row that
reverses the old one (negative amount, ``reverses`` pointing at it) with a reason.
Money is NUMERIC(14,2).
"""

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
from chumchon.registry.models import Household

if TYPE_CHECKING:
    from chumchon.ledgers.statements.period import Period, PeriodKind


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

    # How the category counts in the standard figures (spec/CONTRACT.md: ``chumchon
    # figures``). The one place this rule is written: every figure, statement and
    # dashboard reads it through ``ledgers.selectors.category_kinds``. A deployment's
    # sub-category carries its parent's group, kind and flags (``category_add``), so it
    # counts as its parent does.

    @property
    def flag_set(self) -> frozenset[str]:
        return frozenset(self.flags.split())

    @property
    def counts_as_income(self) -> bool:
        """Income: kind income, except the loans received (flag ``borrowing``, F05)."""
        return self.kind == Kind.INCOME and not self.has_flag("borrowing")

    @property
    def counts_as_expense(self) -> bool:
        """Expense: every category of kind expense."""
        return self.kind == Kind.EXPENSE

    @property
    def spending_group(self) -> str | None:
        """The group an expense is split into (production, consumption, financial);
        ``None`` for a category that is not an expense."""
        if self.counts_as_expense and self.group in (Group.PRODUCTION, Group.CONSUMPTION, Group.FINANCIAL):
            return str(self.group)
        return None


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


class HouseholdMonth(models.Model):
    """One household's totals in one month: whether it reported, income and expense."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )  # the unique (household, month…) index leads with it
    month = models.DateField()  # the first day of the month
    province_code = models.CharField(max_length=2)
    district_code = models.CharField(max_length=4)
    tambon_code = models.CharField(max_length=6)
    village_code = models.CharField(max_length=8)
    entries = models.IntegerField(default=0)
    income = models.BigIntegerField(default=0)  # satang; kind income without borrowing (F05)
    expense = models.BigIntegerField(default=0)  # satang; kind expense

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "month"], name="household_month_unique")]
        indexes = [
            models.Index(fields=["village_code", "month"], name="hm_village_month"),
            models.Index(fields=["tambon_code", "month"], name="hm_tambon_month"),
            models.Index(fields=["district_code", "month"], name="hm_district_month"),
            models.Index(fields=["province_code", "month"], name="hm_province_month"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.month:%Y-%m}"


class HouseholdMonthCategory(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )  # the unique (household, month…) index leads with it
    month = models.DateField()
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    # The village of the lines: one row a village for a household that moved mid-month,
    # so that the households behind each area's totals can be counted exactly (rollups).
    village_code = models.CharField(max_length=8, default="")
    amount = models.BigIntegerField(default=0)  # satang
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "month", "category", "village_code"],
                name="household_month_category_village_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.month:%Y-%m} {self.category_id}"


class AreaMonthCategory(models.Model):
    """Totals of every area level (village, tambon, district, province) by month and category."""

    area_code = models.CharField(max_length=8)
    month = models.DateField()
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    amount = models.BigIntegerField(default=0)  # satang
    entries = models.IntegerField(default=0)
    households = models.IntegerField(default=0)  # with lines in it, net of reversals (see rollups)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area_code", "month", "category"], name="area_month_category_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.month:%Y-%m} {self.category_id}"


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


class Enterprise(models.Model):
    """A household business or crop season with its own profit-and-loss account
    (บัญชีกำไร-ขาดทุนกิจการครัวเรือน), e.g. the 2567 wet-season rice crop."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="enterprises")
    name = models.CharField(_("name"), max_length=120)
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

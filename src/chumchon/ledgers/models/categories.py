"""The standard categories of household accounts and their groups and kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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

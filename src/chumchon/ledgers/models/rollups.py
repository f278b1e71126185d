"""The rollup tables, kept current by ``chumchon.ledgers.rollups`` in the same transaction as every write."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from chumchon.ledgers.models.categories import Category
from chumchon.registry.models import Household


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
        indexes = [
            # Debt fell / cleared (``insights.dashboard.common.debt_change``) reads the
            # principal repaid (F01) and loans received (F05) of every household of an
            # area: without this small index a province's page scans the whole table
            # (5 s at 100,000 households; 0.3 s with it). A deployment's sub-category
            # of F01/F05 is not in it; the same query then scans, slower but exact.
            models.Index(
                fields=["household", "month"],
                include=["category", "amount"],
                condition=Q(category_id__in=("F01", "F05")),
                name="hmc_debt_flows",
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


class RollupsVersion(models.Model):
    """One row: a counter every write of the rollups bumps in the same transaction
    (``chumchon.ledgers.rollups``), so what is computed from them can be cached under it."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)

"""Households, their members and debts: the tambon's social database.

Each household carries its area ancestry (province, district, tambon codes and its
village) so scope filters are one indexed equality.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area
from chumchon.core import national_id


class OccupationGroup(models.TextChoices):
    RICE = "O01", "ทำนา"
    RICE_PLUS = "O02", "ทำนาและอาชีพอื่น"
    ORCHARD = "O03", "ทำสวน/ทำไร่"
    FISHERY = "O04", "ประมง"
    LIVESTOCK = "O05", "เลี้ยงสัตว์"
    WAGE = "O06", "รับจ้างทั่วไป"
    WAGE_PLUS = "O07", "รับจ้างและอาชีพเสริม"
    BUSINESS = "O08", "ค้าขาย/ธุรกิจ"
    SALARIED = "O09", "รับราชการ/พนักงานประจำ"
    OTHER = "O10", "อื่นๆ/ไม่ได้ทำงาน"


class DebtSource(models.TextChoices):
    BAAC = "D01", "ธ.ก.ส."
    VILLAGE_FUND = "D02", "กองทุนหมู่บ้าน"
    COOPERATIVE = "D03", "สหกรณ์/กลุ่มออมทรัพย์"
    BANK = "D04", "ธนาคารพาณิชย์/ออมสิน"
    INFORMAL = "D05", "เงินกู้นอกระบบ"
    FAMILY = "D06", "ญาติ/เพื่อน"
    OTHER = "D07", "อื่นๆ"


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MOVED = "moved", _("Moved away")
    NOT_FOUND = "not_found", _("Not found")
    DISSOLVED = "dissolved", _("Dissolved (all members deceased)")


class HouseholdQuerySet(models.QuerySet["Household"]):
    def active(self) -> HouseholdQuerySet:
        return self.filter(status=HouseholdStatus.ACTIVE)


class Household(models.Model):
    code = models.CharField(_("household code"), max_length=32)
    village = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="households", limit_choices_to={"level": "village"}
    )
    province_code = models.CharField(max_length=2, db_index=True)
    district_code = models.CharField(max_length=4, db_index=True)
    tambon_code = models.CharField(max_length=6, db_index=True)
    house_no = models.CharField(_("house no."), max_length=20, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    occupation_group = models.CharField(
        _("occupation group"), max_length=3, choices=OccupationGroup.choices, blank=True
    )
    welfare_card = models.BooleanField(_("state welfare card"), default=False)
    members_count = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["village_id", "code"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["tambon_code", "code"], name="household_code_unique_in_tambon")]

    def __str__(self) -> str:
        return self.code


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    is_head = models.BooleanField(_("head of household"), default=False)
    title = models.CharField(_("title"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Ciphertext only; see chumchon.core.national_id.
    national_id_encrypted = models.TextField(blank=True)
    national_id_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    relation = models.CharField(_("relation"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["household_id", "-is_head", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(is_head=True), name="member_one_head_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()

    @property
    def national_id_masked(self) -> str:
        if not self.national_id_encrypted:
            return ""
        return national_id.mask(national_id.decrypt(self.national_id_encrypted))


class Debt(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="debts")
    source = models.CharField(_("source"), max_length=3, choices=DebtSource.choices)
    principal = models.DecimalField(_("principal outstanding"), max_digits=14, decimal_places=2)
    interest_rate = models.DecimalField(_("interest rate (% a year)"), max_digits=6, decimal_places=2, default=0)
    monthly_payment = models.DecimalField(_("monthly payment"), max_digits=14, decimal_places=2, default=0)
    as_of = models.DateField(_("as of"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household_id", "source"]
        constraints = [
            models.CheckConstraint(name="debt_principal_nonnegative", condition=Q(principal__gte=0)),
            models.CheckConstraint(name="debt_rate_range", condition=Q(interest_rate__gte=0, interest_rate__lte=1000)),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.principal}"

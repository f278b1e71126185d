"""Households, their members and debts: the tambon's social database.

Each household carries its area ancestry (province, district, tambon codes and its
village) so scope filters are one indexed equality.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area, Level
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


class Housing(models.TextChoices):
    SECURE = "secure", _("Secure")
    NEEDS_REPAIR = "needs_repair", _("Needs repair")
    UNSAFE = "unsafe", _("Unsafe")
    NONE = "none", _("No house of its own")


class LandTenure(models.TextChoices):
    OWN = "own", _("Owns farm land")
    RENT = "rent", _("Rents farm land")
    FREE_USE = "free_use", _("Uses others' land free")
    PUBLIC = "public", _("On public land")
    NONE = "none", _("No farm land")


class Origin(models.TextChoices):
    """Where the household's record came from (Krabi's registered vs newly found)."""

    WELFARE_REGISTRY = "welfare_registry", _("State welfare card registry")
    TAMBON = "tambon", _("Tambon's own records")
    FIELD = "field", _("Found on the ground")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Registered, not yet verified")
    VERIFIED = "verified", _("Verified")
    CORRECTED = "corrected", _("Verified with corrections")
    MOVED = "moved", _("Moved away")
    NOT_FOUND = "not_found", _("Not found")
    DECEASED = "deceased", _("Deceased")


class Consent(models.TextChoices):
    UNKNOWN = "unknown", _("Not yet asked")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Dimension(models.TextChoices):
    """TPMAP's five dimensions of poverty."""

    HEALTH = "health", _("Health")
    LIVING = "living", _("Living standard")
    EDUCATION = "education", _("Education")
    INCOME = "income", _("Income")
    ACCESS = "access", _("Access to public services")


DIMENSION_FIELDS = {d: f"fails_{d.value}" for d in Dimension}


class HouseholdQuerySet(models.QuerySet["Household"]):
    def active(self) -> HouseholdQuerySet:
        """Households that have not left (today's registry, not a period's: for a
        period's households see ``registry.selectors.households_in_period``)."""
        return self.filter(status=HouseholdStatus.ACTIVE)

    def present_on(self, day: dt.date) -> HouseholdQuerySet:
        """Households that had not left before ``day`` (left on it or later, or never)."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gte=day))


# A household's ancestry columns by level (its village is a foreign key): where to count
# the households of an area's children.
HOUSEHOLD_AREA_FIELD = {
    Level.PROVINCE: "province_code",
    Level.DISTRICT: "district_code",
    Level.TAMBON: "tambon_code",
    Level.VILLAGE: "village_id",
}


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
    # The day the household left (moved away, dissolved or its members deceased, found
    # not to exist), the reason being its status; empty while it is active. Kept by the
    # services that change the status, with the change in ``HouseholdChange``. A period
    # counts the households that had not left before it began.
    left_on = models.DateField(_("left on"), null=True, blank=True, db_index=True)
    housing = models.CharField(_("housing"), max_length=16, choices=Housing.choices, blank=True)
    land_tenure = models.CharField(_("land tenure"), max_length=16, choices=LandTenure.choices, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.TAMBON)
    verification = models.CharField(
        _("verification"), max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED, db_index=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent = models.CharField(_("consent"), max_length=12, choices=Consent.choices, default=Consent.UNKNOWN)
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_note = models.CharField(_("consent note"), max_length=200, blank=True)
    # The five dimensions failed, kept current by the indicator service (one filter to count).
    fails_health = models.BooleanField(default=False)
    fails_living = models.BooleanField(default=False)
    fails_education = models.BooleanField(default=False)
    fails_income = models.BooleanField(default=False)
    fails_access = models.BooleanField(default=False)
    dimensions_failed = models.PositiveSmallIntegerField(default=0, db_index=True)
    # Fails at least one dimension and holds the welfare card.
    is_target = models.BooleanField(_("target household"), default=False, db_index=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # Made up by ``chumchon demo``: what ``demo --reset`` may remove (a real household
    # never is, whatever its status or lines).
    is_demo = models.BooleanField(default=False, editable=False)
    # Its record has moved to another village (any save that changes the village sets
    # it; never cleared): its account lines written before stand under the village they
    # were written in. With the households that left, the only ones whose lines can be
    # reported in an area they are not present in (``selectors.households_in_period``
    # looks among these alone).
    moved = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()
    _province_read: str | None = None
    _village_read: str | None = None

    class Meta:
        ordering = ["village_id", "code"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["tambon_code", "code"], name="household_code_unique_in_tambon"),
            # Active ⇔ not left: every household that left has the day it left.
            models.CheckConstraint(
                name="household_left_on_iff_gone",
                condition=Q(status="active", left_on__isnull=True) | (~Q(status="active") & Q(left_on__isnull=False)),
            ),
        ]
        indexes = [
            # The households whose lines can stand where they are not present (see ``moved``).
            models.Index(fields=["id"], condition=Q(moved=True) | Q(left_on__isnull=False), name="household_away"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._village_read is not None and self.village_id != self._village_read and not self.moved:
            self.moved = True
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "moved"}
        super().save(*args, **kwargs)
        self._province_read, self._village_read = self.province_code, self.village_id

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Household:
        household = super().from_db(*args, **kwargs)
        # The province it was read in: a save that moves it changes both provinces'
        # registry versions (``registry.versions``).
        household._province_read = household.__dict__.get("province_code")
        household._village_read = household.__dict__.get("village_id")
        return household

    @property
    def consent_refused(self) -> bool:
        """Refused or withdrawn: every page showing the household marks it (``_consent.html``)."""
        return self.consent in (Consent.REFUSED, Consent.WITHDRAWN)


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRESCHOOL = "preschool", _("Pre-school")
    PRIMARY = "primary", _("Primary")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary / vocational certificate")
    DIPLOMA = "diploma", _("Diploma")
    BACHELOR = "bachelor", _("Bachelor's degree")
    HIGHER = "higher", _("Above a bachelor's degree")


class MemberStatus(models.TextChoices):
    LIVING_HERE = "here", _("Lives here")
    AWAY = "away", _("Works or studies away")
    DECEASED = "deceased", _("Deceased")
    MOVED = "moved", _("Moved out")


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
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    disability = models.BooleanField(_("disability"), default=False)
    chronic_illness = models.BooleanField(_("chronic illness"), default=False)
    bedridden = models.BooleanField(_("bedridden"), default=False)
    elderly_living_alone = models.BooleanField(_("elderly living alone"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.LIVING_HERE
    )
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


class HouseholdChange(models.Model):
    """History of a household record: who changed what, when, from what to what."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        VERIFY = "verify", _("Verification")
        MEMBER = "member", _("Member")
        CONSENT = "consent", _("Consent")
        MERGE = "merge", _("Merged")
        ERASE = "erase", _("Erased on request")
        INDICATORS = "indicators", _("Needs survey")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.at:%Y-%m-%d}"


class IndicatorEdition(models.Model):
    """A set of needs indicators (TPMAP/จปฐ. editions differ); one is current."""

    code = models.CharField(max_length=32, primary_key=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    source = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_edition")
        ]

    def __str__(self) -> str:
        return self.code


class Indicator(models.Model):
    edition = models.ForeignKey(IndicatorEdition, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=8)
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    name_th = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["edition_id", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="indicator_code_unique_in_edition")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


class HouseholdIndicator(models.Model):
    """One household's answer to one indicator: does it fail it?"""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    failed = models.BooleanField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "indicator"], name="household_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.indicator_id} {'fail' if self.failed else 'pass'}"


class Organisation(models.Model):
    """A tambon's community organisation council or community welfare fund."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Community organisation council")
        WELFARE_FUND = "welfare_fund", _("Community welfare fund")

    tambon = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organisations")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tambon_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["tambon", "kind", "name"], name="organisation_unique_name")]

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "household"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.household_id} in {self.organisation_id}"


class DuplicateCandidate(models.Model):
    """Two members who may be the same person, waiting for a person to decide."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Not the same person")

    # SET_NULL: after a merge the removed record is gone but the decision stays.
    member_a = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    member_b = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    tambon_code = models.CharField(max_length=6, db_index=True)
    score = models.DecimalField(max_digits=4, decimal_places=3)
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    found_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member_a", "member_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(name="duplicate_pair_ordered", condition=Q(member_a__lt=models.F("member_b"))),
        ]

    def __str__(self) -> str:
        return f"{self.member_a_id}~{self.member_b_id} {self.status}"


class RegistryVersion(models.Model):
    """A counter per province that every write of its households or their debts bumps in
    the same transaction (``registry.versions``), so what is computed from the registry
    can be cached under it: one indexed row to read, at any size of the province."""

    province_code = models.CharField(max_length=2, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.province_code}: {self.version}"

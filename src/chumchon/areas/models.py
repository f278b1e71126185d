"""Thailand's administrative areas and the zones provinces group them into.

Every row carries its own ancestry (province, district, tambon and village codes, each
filled for the row's own level and the levels above it), so "everything at or under
area X" is one indexed equality filter on the column of X's level. The official codes
nest: province 2 digits, district 4, tambon 6, village 8 (tambon + หมู่ที่ as 2 digits).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    TAMBON = "tambon", _("Tambon")
    VILLAGE = "village", _("Village")


# The length of an official code tells its level.
LEVEL_BY_CODE_LENGTH = {2: Level.PROVINCE, 4: Level.DISTRICT, 6: Level.TAMBON, 8: Level.VILLAGE}
CODE_LENGTH = {level: length for length, level in LEVEL_BY_CODE_LENGTH.items()}
CHILD_LEVEL = {
    Level.PROVINCE: Level.DISTRICT,
    Level.DISTRICT: Level.TAMBON,
    Level.TAMBON: Level.VILLAGE,
}


class AreaQuerySet(models.QuerySet["Area"]):
    def provinces(self) -> AreaQuerySet:
        return self.filter(level=Level.PROVINCE)

    def districts(self) -> AreaQuerySet:
        return self.filter(level=Level.DISTRICT)

    def tambons(self) -> AreaQuerySet:
        return self.filter(level=Level.TAMBON)

    def villages(self) -> AreaQuerySet:
        return self.filter(level=Level.VILLAGE)

    def at_or_under(self, code: str) -> AreaQuerySet:
        return self.filter(under_q(code))


class Area(models.Model):
    code = models.CharField(_("code"), max_length=8, primary_key=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, db_index=True)
    name_th = models.CharField(_("Thai name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    province_code = models.CharField(max_length=2, db_index=True)
    district_code = models.CharField(max_length=4, null=True, blank=True, db_index=True)
    tambon_code = models.CharField(max_length=6, null=True, blank=True, db_index=True)
    village_code = models.CharField(max_length=8, null=True, blank=True, db_index=True)
    village_no = models.PositiveSmallIntegerField(_("village no."), null=True, blank=True)
    # A centroid for maps when no boundary has been uploaded (WGS84).
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # An uploaded boundary (GeoJSON geometry, WGS84); no package ships village or tambon
    # boundaries, so these come from the province's GIS team when they have them.
    boundary = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(
                name="area_code_length_matches_level",
                condition=(
                    Q(level=Level.PROVINCE, code__regex=r"^[0-9]{2}$")
                    | Q(level=Level.DISTRICT, code__regex=r"^[0-9]{4}$")
                    | Q(level=Level.TAMBON, code__regex=r"^[0-9]{6}$")
                    | Q(level=Level.VILLAGE, code__regex=r"^[0-9]{8}$")
                ),
            ),
            models.CheckConstraint(
                name="area_village_no_range",
                condition=Q(village_no__isnull=True) | Q(village_no__gte=1, village_no__lte=99),
            ),
        ]
        indexes = [models.Index(fields=["level", "name_th"], name="area_level_name_th")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name as Thai officials write it: ``ต.ไก่คำ``, ``หมู่ 3 บ้านนาแต้``; in
        English, the official romanisation (``Kai Kham Subdistrict``)."""
        if (translation.get_language() or "th").startswith("en"):
            return self._display_name_en
        if self.level == Level.VILLAGE:
            return f"หมู่ {self.village_no} {self.name_th}"
        if self.level == Level.PROVINCE:
            return f"จ.{self.name_th}"
        if self.level == Level.DISTRICT:
            return self.name_th if self.name_th.startswith("เขต") else f"อ.{self.name_th}"
        if self.level == Level.TAMBON:
            return self.name_th if self.province_code == "10" else f"ต.{self.name_th}"
        return self.name_th

    @property
    def map_name(self) -> str:
        """The short name written on a map: ``ม.3 บ้านนาแต้`` for a village (``Moo 3 …`` in
        English), else the display name."""
        if self.level == Level.VILLAGE and not (translation.get_language() or "th").startswith("en"):
            return f"ม.{self.village_no} {self.name_th}"
        return self.display_name

    @property
    def _display_name_en(self) -> str:
        if self.level == Level.VILLAGE:
            return f"Moo {self.village_no} {self.name_th}"  # village names have no official romanisation
        if not self.name_en:
            return self.name_th
        suffix = {Level.DISTRICT: " District", Level.TAMBON: " Subdistrict"}.get(Level(self.level), "")
        return f"{self.name_en}{suffix}"

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes of the areas above this one, province first."""
        codes = (self.province_code, self.district_code, self.tambon_code)
        return [c for c in codes if c and len(c) < len(self.code)]


LEVEL_FIELD = {
    Level.PROVINCE: "province_code",
    Level.DISTRICT: "district_code",
    Level.TAMBON: "tambon_code",
    Level.VILLAGE: "village_code",
}


def level_of(code: str) -> Level:
    try:
        return LEVEL_BY_CODE_LENGTH[len(code)]
    except KeyError:
        raise ValueError(f"not an area code: {code!r}") from None


def under_q(code: str, *, prefix: str = "", village_field: str = "village_code") -> Q:
    """Rows at or under area ``code``, for any model carrying the four ancestry columns.

    ``village_field`` names the village column where a model keeps it as a foreign key
    (``village_id``).
    """
    level = level_of(code)
    field = village_field if level == Level.VILLAGE else LEVEL_FIELD[level]
    return Q(**{f"{prefix}{field}": code})


class Zone(models.Model):
    """A named group of districts or tambons within a province (Sa Kaeo runs 4)."""

    province = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="zones",
        limit_choices_to={"level": Level.PROVINCE},
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(Area, related_name="member_of_zones", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["province_id", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="zone_unique_name_in_province")]

    def __str__(self) -> str:
        return self.name

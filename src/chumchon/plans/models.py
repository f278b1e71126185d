"""Learning forums (เวทีเรียนรู้) and the community plans born from them (แผนชุมชน).

A forum of a village, tambon, zone or province reads its pack and records what it
found: problems (ปัญหา), their causes (สาเหตุ) and the options discussed (ทางเลือก). The
pack it read is frozen with it (``Forum.pack``), so a plan can later be read against
what people saw. A plan belongs to an area and a fiscal year (Buddhist Era); its items
say who acts — exactly the four of seed 001:142 — and carry their evidence, which is
the plan's weight (seed 001:142: "น้ำหนักของแผนชุมชนนี้ขึ้นอยู่กับน้ำหนักของข้อมูลที่สนับสนุน").
An item of a higher plan may gather items of lower ones (``PlanItem.merged_into``): the
originals are kept, each pointing at what became of it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area, Zone
from chumchon.registry.models import Household, Organisation


class Level(models.TextChoices):
    VILLAGE = "village", _("Village")
    TAMBON = "tambon", _("Tambon")
    DISTRICT = "district", _("District")
    ZONE = "zone", _("Zone")
    PROVINCE = "province", _("Province")


class Mechanism(models.TextChoices):
    """Who ran the forum (seed 001:272-277)."""

    VILLAGE_COMMITTEE = "village_committee", _("Village committee")
    COMMUNITY_COUNCIL = "community_council", _("Community organisation council")
    TAMBON_TEAM = "tambon_team", _("Tambon working team")
    PROVINCIAL_TEAM = "provincial_team", _("Provincial team")


class Actor(models.TextChoices):
    """Who acts on a proposal: the four of seed 001:142, verbatim."""

    HOUSEHOLD = "household", "ครัวเรือนดำเนินการเอง"
    GROUP = "group", "ทำร่วมกันเป็นกลุ่ม"
    LOCAL_GOVERNMENT = "local_government", "ขอให้ อปท. ร่วมด้วย"
    AGENCY = "agency", "ขอให้ส่วนราชการช่วย"


# The actors whose items go to the partner negotiation forum (the others are self-help).
ASKING = (Actor.LOCAL_GOVERNMENT, Actor.AGENCY)


class Domain(models.TextChoices):
    """plan-template.md's domains (001 indicator 5.4.1's economy, resources, social …)."""

    ECONOMY = "economy", _("Economy and livelihood")
    RESOURCES = "resources", _("Resources and environment")
    SOCIAL = "social", _("Social and welfare")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")


class Kind(models.TextChoices):
    """Infrastructure or quality of life: the shift seed 001:409 reports."""

    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    QUALITY_OF_LIFE = "quality_of_life", _("Quality of life")


class Status(models.TextChoices):
    UNDER_CONSIDERATION = "under_consideration", "อยู่ระหว่างการพิจารณา"
    ADOPTED_IN_PRINCIPLE = "adopted_in_principle", "รับหลักการ"
    IN_LOCAL_PLAN = "in_local_plan", "บรรจุในแผนพัฒนาท้องถิ่น"
    FUNDED = "funded", "ได้รับการจัดสรรงบประมาณ"
    DONE = "done", "ดำเนินการแล้ว"
    DECLINED = "declined", "ไม่ได้รับการสนับสนุน"


# The forward path; ``declined`` may follow any step but the last, and an item may go
# back one step (a council's decision reversed). ``services.item_status_set`` enforces it.
STATUS_ORDER = (
    Status.UNDER_CONSIDERATION,
    Status.ADOPTED_IN_PRINCIPLE,
    Status.IN_LOCAL_PLAN,
    Status.FUNDED,
    Status.DONE,
)


class Adoption(models.TextChoices):
    """How the official provincial development plan took a people's issue or item (003:383-385)."""

    INCLUDED = "included", "บรรจุ"
    RELATED = "related", "เกี่ยวข้อง"


# The fiscal years a plan may have: Buddhist Era (a year below is refused, never guessed to be CE).
FISCAL_YEAR_MIN, FISCAL_YEAR_MAX = 2400, 2700


class Forum(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="forums")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, related_name="forums")
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    # Ancestry on the row, so "every forum under X" is one indexed filter.
    province_code = models.CharField(max_length=2, db_index=True)
    district_code = models.CharField(max_length=4, blank=True, db_index=True)
    tambon_code = models.CharField(max_length=6, blank=True, db_index=True)
    village_code = models.CharField(max_length=8, blank=True, db_index=True)
    held_on = models.DateField(_("date"))
    month = models.DateField(_("month of the data"), help_text="the first day of the month whose pack was read")
    place = models.CharField(_("place"), max_length=200, blank=True)
    mechanism = models.CharField(_("mechanism"), max_length=20, choices=Mechanism.choices)
    facilitators = models.CharField(_("facilitators"), max_length=300, blank=True)
    attendance = models.PositiveIntegerField(_("people present"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    # The pack as printed: the figures and questions frozen when the forum was recorded.
    pack = models.JSONField(default=dict, blank=True)
    households_present = models.ManyToManyField(Household, blank=True, related_name="forums_attended")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["tambon_code", "month"], name="forum_tambon_month")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.held_on}"


class ForumFile(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="forums/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    is_photo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or str(self.file.name)


class Finding(models.Model):
    """A problem the forum found, or a cause or option of one."""

    class Kind(models.TextChoices):
        PROBLEM = "problem", "ปัญหา"
        CAUSE = "cause", "สาเหตุ"
        OPTION = "option", "ทางเลือก"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    problem = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="details",
        limit_choices_to={"kind": "problem"},
    )
    text = models.TextField()
    question_key = models.CharField(max_length=20, blank=True)  # the pack question it came from
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="finding_detail_has_problem",
                condition=Q(kind="problem", problem__isnull=True) | (~Q(kind="problem") & Q(problem__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Plan(models.Model):
    """The community plan of an area for a fiscal year (BE); a people's provincial (or
    district, zone) plan also has a vision and a period of years."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="plans")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, related_name="plans")
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    province_code = models.CharField(max_length=2, db_index=True)
    district_code = models.CharField(max_length=4, blank=True, db_index=True)
    tambon_code = models.CharField(max_length=6, blank=True, db_index=True)
    village_code = models.CharField(max_length=8, blank=True, db_index=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    target_year = models.PositiveSmallIntegerField(_("vision's target year (BE)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("last fiscal year of the period (BE)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_id", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "fiscal_year"], condition=Q(zone__isnull=True), name="plan_unique_area_year"
            ),
            models.UniqueConstraint(
                fields=["zone", "fiscal_year"], condition=Q(zone__isnull=False), name="plan_unique_zone_year"
            ),
            models.CheckConstraint(name="plan_year_is_be", condition=Q(fiscal_year__gte=FISCAL_YEAR_MIN)),
            models.CheckConstraint(
                name="plan_period_ordered",
                condition=Q(period_end__isnull=True) | Q(period_end__gte=models.F("fiscal_year")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone_id or self.area_id} {self.fiscal_year}"


class Certification(models.Model):
    """The plan's data jointly certified (รับรองข้อมูลร่วม, seed 003:182-190)."""

    class By(models.TextChoices):
        FORUM = "forum", _("The forum")
        LOCAL_GOVERNMENT = "local_government", _("The local government")
        ACADEMIC = "academic", _("An academic partner")
        AGENCY = "agency", _("An agency")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="certifications")
    certified_on = models.DateField(_("certified on"))
    by_kind = models.CharField(_("certified by"), max_length=20, choices=By.choices)
    by_name = models.CharField(_("name"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certified_on", "id"]

    def __str__(self) -> str:
        return f"{self.by_name} {self.certified_on}"


class StrategicIssue(models.Model):
    """A numbered strategic issue (ประเด็นยุทธศาสตร์) of a district, zone or provincial plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(blank=True)
    adoption = models.CharField(
        _("in the provincial development plan"), max_length=8, choices=Adoption.choices, blank=True
    )
    adoption_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="issue_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(_("title"), max_length=300)
    problem = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="items")
    problem_text = models.TextField(_("problem"), blank=True)
    actor = models.CharField(_("who acts"), max_length=16, choices=Actor.choices)
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    households = models.PositiveIntegerField(_("households served"), default=0)
    cost = models.DecimalField(_("cost (baht)"), max_digits=14, decimal_places=2, default=0)
    amount_asked = models.DecimalField(_("amount asked (baht)"), max_digits=14, decimal_places=2, default=0)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.UNDER_CONSIDERATION)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Whose it is: the households that committed (household items) or the group.
    group = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_items")
    group_name = models.CharField(_("group"), max_length=200, blank=True)  # a group not registered as an organisation
    committed = models.ManyToManyField(Household, blank=True, related_name="plan_items")
    # Provenance: the tambon (or higher) item this one was gathered into.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="sources")
    issue = models.ForeignKey(StrategicIssue, on_delete=models.SET_NULL, null=True, blank=True, related_name="items")
    # Adoption in the อปท.'s local development plan (plan years, project number) and in the
    # official provincial development plan.
    local_plan_years = models.CharField(_("local development plan years"), max_length=20, blank=True)
    local_plan_project_no = models.CharField(_("project number"), max_length=40, blank=True)
    provincial_adoption = models.CharField(max_length=8, choices=Adoption.choices, blank=True)
    # The village code of the item's plan, kept on the row for "items under X".
    province_code = models.CharField(max_length=2, db_index=True)
    district_code = models.CharField(max_length=4, blank=True, db_index=True)
    tambon_code = models.CharField(max_length=6, blank=True, db_index=True)
    village_code = models.CharField(max_length=8, blank=True, db_index=True)
    import_key = models.CharField(max_length=400, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title", "fiscal_year"], name="item_unique_title"),
            models.CheckConstraint(name="item_money_not_negative", condition=Q(cost__gte=0) & Q(amount_asked__gte=0)),
            models.CheckConstraint(name="item_year_is_be", condition=Q(fiscal_year__gte=FISCAL_YEAR_MIN)),
            models.CheckConstraint(
                name="item_declined_has_reason", condition=~Q(status="declined") | ~Q(status_reason="")
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def asks_others(self) -> bool:
        return self.actor in ASKING


class ItemPerson(models.Model):
    """The item's main owner and team (Amnat Charoen: one main owner per issue, a team of
    at least three, at most one secondary issue per person; 003:401-417)."""

    class Role(models.TextChoices):
        MAIN = "main", _("Main owner")
        TEAM = "team", _("Team")

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(max_length=4, choices=Role.choices)

    class Meta:
        ordering = ["item_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="item_person_unique"),
            models.UniqueConstraint(fields=["item"], condition=Q(role="main"), name="item_one_main_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class ItemChange(models.Model):
    """Every change of an item's status (and of its other fields): who, when, what."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    fields = models.JSONField(default=dict, blank=True)  # other fields changed: {field: [before, after]}

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.from_status}->{self.to_status}"


class Evidence(models.Model):
    """What a problem or an item rests on: a figure of the system (``figure`` set, with
    its value when cited) or other data (a document, a survey, an agency's number)."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    # A figure of the system.
    figure = models.CharField(max_length=24, blank=True)
    category = models.CharField(max_length=8, blank=True)
    area_code = models.CharField(max_length=8, blank=True, db_index=True)
    start = models.DateField(null=True, blank=True)  # first day of the first month
    end = models.DateField(null=True, blank=True)  # first day of the last month
    value_cited = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    households_cited = models.PositiveIntegerField(null=True, blank=True)  # households behind the value
    # Other data.
    title = models.CharField(_("what it is"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    dated = models.DateField(_("date of the data"), null=True, blank=True)
    coverage = models.CharField(_("coverage"), max_length=300, blank=True)
    value_text = models.CharField(_("value"), max_length=200, blank=True)
    households_covered = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cited_at = models.DateTimeField()

    class Meta:
        ordering = ["cited_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="evidence_of_one",
                condition=Q(item__isnull=False, finding__isnull=True) | Q(item__isnull=True, finding__isnull=False),
            ),
            models.CheckConstraint(
                name="evidence_figure_or_other",
                condition=(~Q(figure="") & ~Q(area_code="") & Q(start__isnull=False) & Q(end__isnull=False))
                | (Q(figure="") & ~Q(title="") & ~Q(source="")),
            ),
        ]

    def __str__(self) -> str:
        return self.figure or self.title

    @property
    def is_figure(self) -> bool:
        return bool(self.figure)

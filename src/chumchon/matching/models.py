"""The supply side and the matching of it to the plans' demand.

A :class:`Body` offers money: a tambon's local government (an อบต. or a เทศบาล; a tambon
may have more than one), a provincial agency, the province (อบจ.), CODI (พอช.), a fund,
a business. A :class:`Programme` is what one body offers in one fiscal year (Buddhist
Era) for plan items: its budget, the most it pays of one item (a share of the cost,
and an amount), the actors and domains it accepts and the areas it covers
(``plan-template.md``). A :class:`MatchRun` is one allocation of the programmes'
budgets to the items of an area, kept whole: its inputs, the solver, the gap, the time,
the objective and the greedy baseline, so a page can explain it later exactly as it
was computed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area
from chumchon.plans.models import FISCAL_YEAR_MIN


class BodyKind(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", "องค์กรปกครองส่วนท้องถิ่น (อปท.)"
    AGENCY = "agency", "ส่วนราชการ"
    PROVINCE = "province", "จังหวัด / อบจ."
    CODI = "codi", "สถาบันพัฒนาองค์กรชุมชน (พอช.)"
    FUND = "fund", "กองทุน"
    BUSINESS = "business", "ภาคเอกชน"


# CODI's ten programme types (seed 004:47), in the order of DOMAIN-PLANS.md §2.
CODI_TYPES: dict[str, str] = {
    "CODI01": "เสริมสร้างขีดความสามารถของชุมชน",
    "CODI02": "เสริมสร้างความเข้มแข็งชุมชนท้องถิ่นด้วยระบบข้อมูล TPMAP",
    "CODI03": "พัฒนาคุณภาพชีวิตผู้มีรายได้น้อยในเมืองและชนบท",
    "CODI04": "สนับสนุนการจัดสวัสดิการชุมชน",
    "CODI05": "ป้องกันและต่อต้านการทุจริต",
    "CODI06": "บ้านพอเพียง",
    "CODI07": "บ้านมั่นคง",
    "CODI08": "ที่อยู่อาศัยชุมชนริมคลองเปรมประชากร",
    "CODI09": "ที่อยู่อาศัยผู้มีรายได้น้อยที่ได้รับผลกระทบจากระบบราง",
    "CODI10": "ที่อยู่อาศัยชั่วคราว",
}


class Body(models.Model):
    """An organisation that funds plan items, in one province."""

    province = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="bodies", limit_choices_to={"level": "province"}
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices)
    # A local government's tambons (an อบต. one, a เทศบาล may span parts of several).
    tambons = models.ManyToManyField(Area, related_name="local_governments", blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["province_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="body_unique_name_in_province")]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """What one body offers in one fiscal year for plan items (``plan-template.md``)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="programmes")
    province_code = models.CharField(max_length=2, db_index=True)  # the body's, for scoping
    code = models.CharField(_("code"), max_length=40)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    name = models.CharField(_("name"), max_length=300)
    programme_type = models.CharField(_("programme type"), max_length=200, blank=True)  # CODI01–10 or free text
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(_("budget for plan items (baht)"), max_digits=14, decimal_places=2)
    unit_cost = models.DecimalField(_("unit cost (baht)"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_share = models.DecimalField(_("most of one item's cost (%)"), max_digits=5, decimal_places=2, default=100)
    max_amount = models.DecimalField(
        _("most of one item (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actors = models.JSONField(_("actors accepted"), default=list)  # plans.models.Actor values
    domains = models.JSONField(_("domains accepted"), default=list, blank=True)  # blank: any
    areas = models.JSONField(_("areas covered"), default=list, blank=True)  # codes; blank: the whole province
    target_group = models.JSONField(_("target group"), default=list, blank=True)  # matching.targets codes; blank: any
    opens_on = models.DateField(_("applications open"), null=True, blank=True)
    request_deadline = models.DateField(_("request deadline"), null=True, blank=True)
    documents = models.TextField(_("documents required"), blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    state = models.CharField(_("status"), max_length=8, choices=State.choices, default=State.OPEN)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_key = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["province_code", "fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["province_code", "code", "fiscal_year"], name="programme_unique_code_year"),
            models.CheckConstraint(name="programme_budget_not_negative", condition=Q(budget__gte=0)),
            models.CheckConstraint(
                name="programme_share_is_percent", condition=Q(max_share__gt=0) & Q(max_share__lte=100)
            ),
            models.CheckConstraint(name="programme_year_is_be", condition=Q(fiscal_year__gte=FISCAL_YEAR_MIN)),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.fiscal_year}"


class MatchRun(models.Model):
    """One allocation of the programmes' budgets to an area's items, kept as computed."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="match_runs")
    fiscal_year = models.PositiveSmallIntegerField()
    province_code = models.CharField(max_length=2, db_index=True)
    status = models.CharField(max_length=12)  # optimal | feasible | fallback | infeasible
    solver = models.CharField(max_length=40)
    gap = models.FloatField(null=True)
    seconds = models.FloatField()
    objective_households = models.PositiveIntegerField()
    greedy_households = models.PositiveIntegerField()
    items_considered = models.PositiveIntegerField()
    programmes_considered = models.PositiveIntegerField()
    locks = models.JSONField(default=list)  # [{"item": id, "programme": id, "amount": "…" | null}]
    excludes = models.JSONField(default=list)  # [{"item": id, "programme": id}]
    inputs = models.JSONField(default=dict)  # the items, programmes and eligible pairs as solved
    result = models.JSONField(default=dict)  # the contract's JSON of the run
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "fiscal_year", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.fiscal_year} {self.status}"


class Negotiation(models.Model):
    """A partner negotiation forum (เวทีเจรจาภาคี) of a tambon, district or province for a
    fiscal year: the bodies present and, per item and body, the outcome (:class:`Match`)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="negotiations")
    province_code = models.CharField(max_length=2, db_index=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    bodies = models.ManyToManyField(Body, related_name="negotiations", verbose_name=_("bodies present"))
    notes = models.TextField(_("notes"), blank=True)
    match_run = models.ForeignKey(MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.area_id} {self.held_on}"


class Stage(models.TextChoices):
    """A match's ledger (issue 13 §5): suggested → presented → accepted / declined /
    deferred → in the local development plan → in the budget ordinance → disbursed → done."""

    SUGGESTED = "suggested", "ระบบเสนอ"
    PRESENTED = "presented", "นำเสนอในเวทีเจรจาแล้ว"
    ACCEPTED = "accepted", "หน่วยงานรับ"
    DECLINED = "declined", "หน่วยงานไม่รับ"
    DEFERRED = "deferred", "เลื่อนการพิจารณา"
    IN_LOCAL_PLAN = "in_local_plan", "บรรจุในแผนพัฒนาท้องถิ่น"
    IN_ORDINANCE = "in_ordinance", "บรรจุในข้อบัญญัติงบประมาณ"
    DISBURSED = "disbursed", "เบิกจ่ายแล้ว"
    DONE = "done", "ดำเนินการแล้วเสร็จ"


# The stages a negotiation forum may still answer (not yet in a plan, an ordinance or done).
NEGOTIABLE = (Stage.SUGGESTED, Stage.PRESENTED, Stage.ACCEPTED, Stage.DECLINED, Stage.DEFERRED)
# Accepted and on: forward only (a step may be skipped: an agency's money needs no local plan).
AFTER_ACCEPTANCE = (Stage.ACCEPTED, Stage.IN_LOCAL_PLAN, Stage.IN_ORDINANCE, Stage.DISBURSED, Stage.DONE)
# In the local government's budget ordinance and on.
IN_ORDINANCE = (Stage.IN_ORDINANCE, Stage.DISBURSED, Stage.DONE)


class DeclineReason(models.TextChoices):
    BUDGET = "budget", "งบประมาณไม่เพียงพอ"
    NOT_ELIGIBLE = "not_eligible", "ไม่ตรงหลักเกณฑ์ของโครงการ"
    DUPLICATE = "duplicate", "ซ้ำกับโครงการที่มีอยู่แล้ว"
    DOCUMENTS = "documents", "เอกสารหรือข้อมูลไม่ครบ"
    TIMING = "timing", "ไม่ทันรอบงบประมาณ"
    NOT_MANDATE = "not_mandate", "ไม่อยู่ในอำนาจหน้าที่"
    OTHER = "other", "อื่น ๆ"


class Match(models.Model):
    """One plan item asked of one body, and where that stands (its ledger)."""

    item = models.ForeignKey("plans.PlanItem", on_delete=models.PROTECT, related_name="matches")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="matches")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="matches")
    area_code = models.CharField(max_length=8, db_index=True)  # the item's plan area, for scoping
    province_code = models.CharField(max_length=2, db_index=True)
    fiscal_year = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SUGGESTED)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)  # suggested, then accepted
    conditions = models.TextField(blank=True)
    decline_reason = models.CharField(max_length=16, choices=DeclineReason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    negotiation = models.ForeignKey(Negotiation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    match_run = models.ForeignKey(MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area_code", "item_id", "body_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "body"], name="match_unique_item_body"),
            models.CheckConstraint(name="match_amount_positive", condition=Q(amount__isnull=True) | Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.body_id} {self.stage}"


class MatchStep(models.Model):
    """A step of a match's ledger: dated (the day it happened), by whom, kept for ever."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    negotiation = models.ForeignKey(Negotiation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["match_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.match_id} {self.stage} {self.on}"


class BudgetCalendar(models.Model):
    """A local government's budget calendar of one fiscal year (BE), where it differs from
    the regulation's defaults (``matching.calendar.default_dates``): the local development
    plan amended by, the draft budget ordinance to the council by (15 August), the council
    decides by (15 September), the year begins (1 October)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="calendars")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    plan_amended_by = models.DateField(_("local development plan amended by"))
    draft_to_council_by = models.DateField(_("draft budget ordinance to the council by"))
    council_by = models.DateField(_("council decides by"))
    starts_on = models.DateField(_("fiscal year begins"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["body_id", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["body", "fiscal_year"], name="calendar_unique_body_year"),
            models.CheckConstraint(
                name="calendar_in_order",
                condition=Q(plan_amended_by__lte=models.F("draft_to_council_by"))
                & Q(draft_to_council_by__lte=models.F("council_by"))
                & Q(council_by__lt=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.fiscal_year}"

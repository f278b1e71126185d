"""Writes of forums and plans. Each function is one transaction, checked against the
permissions table (``access.permissions.can``) and audited; an item's every change is
kept (``ItemChange``: who, when, what)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.access.models import Action, User
from chumchon.access.permissions import Write, can
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Zone
from chumchon.core.thai import Month
from chumchon.plans import figures
from chumchon.plans.models import (
    FISCAL_YEAR_MAX,
    FISCAL_YEAR_MIN,
    STATUS_ORDER,
    Adoption,
    Certification,
    Evidence,
    Finding,
    Forum,
    ForumFile,
    ItemChange,
    ItemPerson,
    Level,
    Mechanism,
    Plan,
    PlanItem,
    Status,
    StrategicIssue,
)
from chumchon.plans.models import Actor as Who
from chumchon.registry.selectors import households_by_id, organisations_in_tambon

# A plan of these levels is the provincial team's (and the district's); the others the tambon's.
HIGHER_LEVELS = (Level.DISTRICT, Level.ZONE, Level.PROVINCE)


class PlanError(ValueError):
    """A write refused for a reason the user can fix; the message says which (Thai by default)."""


def _user(actor: Actor) -> User | None:
    return actor.user if actor.user is not None and actor.user.is_authenticated else None


def _check(actor: Actor, action: Write, area_code: str) -> None:
    """The CLI and the demo (no user) write as the system."""
    if actor.user is None:
        return
    if not can(actor.user, action, area_code):
        raise PermissionDenied(area_code)


def _ancestry(area: Area) -> dict[str, str]:
    return {
        "province_code": area.province_code,
        "district_code": area.district_code or "",
        "tambon_code": area.tambon_code or "",
        "village_code": area.village_code or "",
    }


def _level(area: Area, zone: Zone | None) -> str:
    if zone is not None:
        return Level.ZONE
    return str(area.level)


def check_fiscal_year(year: int) -> int:
    if year < FISCAL_YEAR_MIN or year > FISCAL_YEAR_MAX:
        raise PlanError(_("A fiscal year is a Buddhist Era year such as 2568; %(year)s is not one.") % {"year": year})
    return year


# --- forums --------------------------------------------------------------------------


@dataclass(frozen=True)
class ForumInput:
    held_on: dt.date
    month: Month  # the month whose pack the forum read
    mechanism: str
    place: str = ""
    facilitators: str = ""
    attendance: int = 0
    minutes: str = ""
    households_present: Sequence[int] = ()


def freeze_pack(area: Area, month: Month) -> dict[str, object]:
    """The pack as printed for ``area`` and ``month`` (the public copy: the small-cell
    rule), as plain data kept with the forum: headlines, the tables' cells as printed,
    the discussion questions with the figure behind each."""
    from chumchon.insights.forum.pack import PACK_LEVELS, forum_pack_build
    from chumchon.insights.forum.tables import format_row

    if area.level not in PACK_LEVELS:
        return {}
    pack = forum_pack_build(area, month, user=None, internal=False)
    return {
        "area": area.code,
        "month": month.iso(),
        "printed_at": pack.generated_at.isoformat(),
        "suppressed": pack.suppressed,
        "headlines": [{"label": h.label, "value": h.value, "note": h.note} for h in pack.headlines],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": [str(c.label) for c in t.columns],
                "rows": [format_row(row, t.columns) for row in t.rows],
            }
            for t in pack.tables
        ],
        "questions": [
            {
                "key": q.key,
                "fact": q.fact,
                "question": q.question,
                "figure": q.figure,
                "category": q.category,
                "span": q.span,
            }
            for q in pack.questions
        ],
    }


def _forum_fields(data: ForumInput) -> dict[str, object]:
    if data.mechanism not in Mechanism.values:
        raise PlanError(_("Choose who ran the forum."))
    if data.attendance < 0:
        raise PlanError(_("The number of people present cannot be negative."))
    if data.held_on > timezone.localdate() + dt.timedelta(days=366):
        raise PlanError(_("The forum's date is more than a year ahead: check the year (Buddhist Era?)."))
    return {
        "held_on": data.held_on,
        "month": data.month.first_day,
        "mechanism": data.mechanism,
        "place": data.place.strip(),
        "facilitators": data.facilitators.strip(),
        "attendance": data.attendance,
        "minutes": data.minutes.strip(),
    }


def _present(forum: Forum, household_ids: Sequence[int]) -> None:
    found = households_by_id(household_ids)
    outside = [h for h in found.values() if forum.level != Level.ZONE and not h.village_id.startswith(forum.area_id)]
    if len(found) != len(set(household_ids)) or outside:
        raise PlanError(_("A household present is not a household of this forum's area."))
    forum.households_present.set(list(found.values()))


@transaction.atomic
def forum_record(
    *, actor: Actor, area: Area, data: ForumInput, zone: Zone | None = None, forum: Forum | None = None
) -> Forum:
    """Record a forum (or correct one). The pack of its month is frozen when the forum
    is first recorded and again only when its month changes."""
    _check(actor, Write.FORUM_RECORD, area.code)
    fields = _forum_fields(data)
    if forum is None:
        forum = Forum(area=area, zone=zone, level=_level(area, zone), created_by=_user(actor), **_ancestry(area))
        refreeze = True
    else:
        refreeze = forum.month != fields["month"]
        present = set(forum.households_present.values_list("pk", flat=True))
        if all(getattr(forum, k) == v for k, v in fields.items()) and present == set(data.households_present):
            return forum  # saved unchanged: nothing to write
    for name, value in fields.items():
        setattr(forum, name, value)
    if refreeze:
        forum.pack = freeze_pack(area, data.month)
    forum.save()
    _present(forum, data.households_present)
    audit_record(
        actor=actor,
        action=Action.CREATE if refreeze else Action.UPDATE,
        object_type="forum",
        object_id=forum.pk,
        area_code=area.code,
    )
    return forum


@transaction.atomic
def forum_file_add(*, actor: Actor, forum: Forum, file: File, caption: str = "") -> ForumFile:
    _check(actor, Write.FORUM_RECORD, forum.area_id)
    name = (getattr(file, "name", "") or "").lower()
    is_photo = name.endswith((".jpg", ".jpeg", ".png", ".webp", ".heic"))
    saved = ForumFile(forum=forum, caption=caption.strip(), is_photo=is_photo)
    saved.file.save(name.rsplit("/", 1)[-1] or "file", file, save=False)
    saved.save()
    audit_record(
        actor=actor, action=Action.CREATE, object_type="forum_file", object_id=saved.pk, area_code=forum.area_id
    )
    return saved


@transaction.atomic
def finding_add(
    *, actor: Actor, forum: Forum, kind: str, text: str, problem: Finding | None = None, question_key: str = ""
) -> Finding:
    _check(actor, Write.FORUM_RECORD, forum.area_id)
    text = text.strip()
    if not text:
        raise PlanError(_("Write what the forum found."))
    if kind not in Finding.Kind.values:
        raise PlanError(_("A finding is a problem, a cause or an option."))
    if kind == Finding.Kind.PROBLEM:
        problem = None
    elif problem is None or problem.forum_id != forum.pk or problem.kind != Finding.Kind.PROBLEM:
        raise PlanError(_("A cause or an option belongs to one of this forum's problems."))
    finding = Finding.objects.create(forum=forum, kind=kind, text=text, problem=problem, question_key=question_key)
    audit_record(
        actor=actor, action=Action.CREATE, object_type="finding", object_id=finding.pk, area_code=forum.area_id
    )
    return finding


def _question_span(forum: Forum, span: str) -> tuple[Month, Month]:
    from chumchon.core.thai import fiscal_year, fiscal_year_months

    month = Month.of(forum.month)
    if span == "year":  # the pack's year: the whole fiscal year of the month, a published period
        months = fiscal_year_months(fiscal_year(month.first_day))
        return months[0], months[-1]
    return month, month


@transaction.atomic
def problem_from_question(*, actor: Actor, forum: Forum, question_key: str) -> Finding:
    """One click: the pack's question becomes a problem, its figure attached as evidence
    (of the forum's area and the span the pack read)."""
    questions = {q["key"]: q for q in forum.pack.get("questions", [])}
    q = questions.get(question_key)
    if q is None:
        raise PlanError(_("This forum's pack has no such question."))
    existing = forum.findings.filter(kind=Finding.Kind.PROBLEM, question_key=question_key).first()
    if existing is not None:
        return existing
    finding = finding_add(
        actor=actor, forum=forum, kind=Finding.Kind.PROBLEM, text=q["fact"], question_key=question_key
    )
    if q.get("figure") and q["figure"] in figures.FIGURES:
        start, end = _question_span(forum, q.get("span", "month"))
        evidence_cite(
            actor=actor, finding=finding, figure=q["figure"], area=forum.area, start=start, end=end,
            category=q.get("category") or None,
        )  # fmt: skip
    return finding


# --- plans and items -----------------------------------------------------------------


@transaction.atomic
def plan_get_or_create(
    *, actor: Actor, area: Area, fiscal_year: int, zone: Zone | None = None, title: str = ""
) -> Plan:
    check_fiscal_year(fiscal_year)
    level = _level(area, zone)
    _check(actor, Write.PLAN_EDIT, area.code)
    lookup = {"zone": zone} if zone is not None else {"area": area, "zone__isnull": True}
    plan = Plan.objects.filter(fiscal_year=fiscal_year, **lookup).first()
    if plan is None:
        plan = Plan.objects.create(
            area=area, zone=zone, level=level, fiscal_year=fiscal_year, title=title, **_ancestry(area)
        )
        audit_record(actor=actor, action=Action.CREATE, object_type="plan", object_id=plan.pk, area_code=area.code)
    return plan


@transaction.atomic
def plan_vision_set(
    *, actor: Actor, plan: Plan, title: str, vision: str, target_year: int | None, period_end: int | None
) -> Plan:
    _check(actor, Write.PROVINCIAL_PLAN, plan.area_id)
    if target_year is not None:
        check_fiscal_year(target_year)
    if period_end is not None and check_fiscal_year(period_end) < plan.fiscal_year:
        raise PlanError(_("The period ends before it begins."))
    plan.title, plan.vision, plan.target_year, plan.period_end = title.strip(), vision.strip(), target_year, period_end
    plan.save(update_fields=["title", "vision", "target_year", "period_end"])
    audit_record(actor=actor, action=Action.UPDATE, object_type="plan", object_id=plan.pk, area_code=plan.area_id)
    return plan


@dataclass(frozen=True)
class ItemInput:
    title: str
    actor: str
    domain: str = ""
    kind: str = ""
    households: int = 0
    cost: Decimal = Decimal(0)
    amount_asked: Decimal | None = None  # default: the cost, for items asking others
    problem_text: str = ""
    problem_id: int | None = None
    owner: str = ""
    team: Sequence[str] = ()
    group_id: int | None = None
    group_name: str = ""
    committed: Sequence[int] = ()  # household ids (household items)
    fiscal_year: int | None = None  # default: the plan's


TRACKED = ("title", "actor", "domain", "kind", "households", "cost", "amount_asked", "problem_text", "group_name")


def _item_fields(plan: Plan, data: ItemInput) -> dict[str, Any]:
    from chumchon.plans.models import Domain, Kind

    title = " ".join(data.title.split())
    if not title:
        raise PlanError(_("An item needs a title."))
    if data.actor not in Who.values:
        raise PlanError(_("Choose who acts: the household, a group, the local government or an agency."))
    if data.domain and data.domain not in Domain.values:
        raise PlanError(_("Unknown domain %(value)s.") % {"value": data.domain})
    if data.kind and data.kind not in Kind.values:
        raise PlanError(_("Unknown kind %(value)s.") % {"value": data.kind})
    if data.households < 0:
        raise PlanError(_("Households served cannot be negative."))
    if data.cost < 0 or (data.amount_asked is not None and data.amount_asked < 0):
        raise PlanError(_("Amounts cannot be negative."))
    asks = data.actor in (Who.LOCAL_GOVERNMENT, Who.AGENCY)
    if asks and data.cost <= 0:
        raise PlanError(_("An item asking the local government or an agency needs its cost."))
    amount = data.amount_asked if data.amount_asked is not None else (data.cost if asks else Decimal(0))
    if amount > data.cost:
        raise PlanError(_("The amount asked cannot exceed the cost."))
    year = check_fiscal_year(data.fiscal_year or plan.fiscal_year)
    if plan.period_end is None and year != plan.fiscal_year:
        raise PlanError(_("This plan is of fiscal year %(year)s.") % {"year": plan.fiscal_year})
    problem = None
    if data.problem_id is not None:
        problem = Finding.objects.filter(pk=data.problem_id, kind=Finding.Kind.PROBLEM).first()
        if problem is None or not _area_under(problem.forum.area_id, plan):
            raise PlanError(_("The problem is not one of this plan's forums."))
    group = None
    if data.group_id is not None:
        group = organisations_in_tambon(plan.tambon_code).filter(pk=data.group_id).first() if plan.tambon_code else None
        if group is None:
            raise PlanError(_("The group is not an organisation of this tambon."))
    return {
        "title": title,
        "actor": data.actor,
        "domain": data.domain,
        "kind": data.kind,
        "households": data.households,
        "cost": data.cost.quantize(Decimal("0.01")),
        "amount_asked": amount.quantize(Decimal("0.01")),
        "problem_text": data.problem_text.strip() or (problem.text if problem else ""),
        "problem": problem,
        "fiscal_year": year,
        "group": group,
        "group_name": data.group_name.strip(),
    }


def _area_under(code: str, plan: Plan) -> bool:
    if plan.level == Level.ZONE:
        return code.startswith(plan.province_code)
    return code.startswith(plan.area_id)


def _people_wanted(owner: str, team: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """The main owner and the team, names tidied, the owner and repeats left out of the team."""
    owner = " ".join(owner.split())
    names = [" ".join(n.split()) for n in team]
    return owner, tuple(n for i, n in enumerate(names) if n and n != owner and n not in names[:i])


def _people_of(item: PlanItem) -> tuple[str, tuple[str, ...]]:
    people = list(item.people.order_by("id"))
    main = next((p.name for p in people if p.role == ItemPerson.Role.MAIN), "")
    return main, tuple(p.name for p in people if p.role == ItemPerson.Role.TEAM)


def _people_text(people: tuple[str, tuple[str, ...]]) -> str:
    return ", ".join(n for n in (people[0], *people[1]) if n)


def _people(item: PlanItem, owner: str, team: Iterable[str]) -> None:
    main, names = _people_wanted(owner, team)
    item.people.all().delete()
    if main:
        ItemPerson.objects.create(item=item, name=main, role=ItemPerson.Role.MAIN)
    ItemPerson.objects.bulk_create([ItemPerson(item=item, name=n, role=ItemPerson.Role.TEAM) for n in names])


def _committed(item: PlanItem, household_ids: Sequence[int]) -> None:
    found = households_by_id(household_ids)
    if len(found) != len(set(household_ids)) or any(not _area_under(h.village_id, item.plan) for h in found.values()):
        raise PlanError(_("A household that committed is not a household of this plan's area."))
    item.committed.set(list(found.values()))


def _change(item: PlanItem, actor: Actor, **kwargs: object) -> None:
    user = _user(actor)
    ItemChange.objects.create(
        item=item,
        at=timezone.now(),
        by=user,
        by_name=user.get_username() if user else actor.path,
        **kwargs,
    )


@transaction.atomic
def item_create(*, actor: Actor, plan: Plan, data: ItemInput, import_key: str = "") -> PlanItem:
    _check(actor, Write.PLAN_EDIT, plan.area_id)
    fields = _item_fields(plan, data)
    if PlanItem.objects.filter(plan=plan, title=fields["title"], fiscal_year=fields["fiscal_year"]).exists():
        raise PlanError(_("This plan already has an item called “%(title)s”.") % {"title": fields["title"]})
    item = PlanItem.objects.create(
        plan=plan,
        created_by=_user(actor),
        import_key=import_key,
        province_code=plan.province_code,
        district_code=plan.district_code,
        tambon_code=plan.tambon_code,
        village_code=plan.village_code,
        **fields,
    )
    _people(item, data.owner, data.team)
    _committed(item, data.committed)
    _change(item, actor, to_status=item.status)
    audit_record(actor=actor, action=Action.CREATE, object_type="plan_item", object_id=item.pk, area_code=plan.area_id)
    return item


@transaction.atomic
def item_update(*, actor: Actor, item: PlanItem, data: ItemInput) -> PlanItem:
    item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    _check(actor, Write.PLAN_EDIT, item.plan.area_id)
    fields = _item_fields(item.plan, data)
    clash = PlanItem.objects.filter(plan=item.plan, title=fields["title"], fiscal_year=fields["fiscal_year"])
    if clash.exclude(pk=item.pk).exists():
        raise PlanError(_("This plan already has an item called “%(title)s”.") % {"title": fields["title"]})
    changed = {
        name: [str(getattr(item, name)), str(fields[name])] for name in TRACKED if getattr(item, name) != fields[name]
    }
    people_before = _people_of(item)
    committed_before = set(item.committed.values_list("pk", flat=True))
    if not any(getattr(item, k) != v for k, v in fields.items()) and (
        people_before == _people_wanted(data.owner, data.team) and committed_before == set(data.committed)
    ):
        return item  # saved unchanged: nothing to write
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    if people_before != _people_wanted(data.owner, data.team):
        changed["people"] = [_people_text(people_before), _people_text(_people_wanted(data.owner, data.team))]
        _people(item, data.owner, data.team)
    _committed(item, data.committed)
    if changed:
        _change(item, actor, fields=changed)
    audit_record(
        actor=actor, action=Action.UPDATE, object_type="plan_item", object_id=item.pk, area_code=item.plan.area_id
    )
    return item


def status_allowed(current: str, new: str) -> bool:
    """Forward along the path one or more steps, back one step, or declined (with a
    reason) from any step before done; a declined item may be reconsidered."""
    if new == current:
        return False
    if new == Status.DECLINED:
        return current != Status.DONE
    if current == Status.DECLINED:
        return new == Status.UNDER_CONSIDERATION
    order = [str(s) for s in STATUS_ORDER]
    return order.index(new) > order.index(current) or order.index(new) == order.index(current) - 1


@transaction.atomic
def item_status_set(*, actor: Actor, item: PlanItem, status: str, reason: str = "") -> PlanItem:
    item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    _check(actor, Write.PLAN_EDIT, item.plan.area_id)
    if status not in Status.values:
        raise PlanError(_("Unknown status %(value)s.") % {"value": status})
    reason = reason.strip()
    if status == Status.DECLINED and not reason:
        raise PlanError(_("Say why the item was not supported."))
    if not status_allowed(item.status, status):
        raise PlanError(
            _("An item cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(item.status).label, "to": Status(status).label}
        )
    before = item.status
    item.status, item.status_reason = status, reason
    item.save(update_fields=["status", "status_reason", "updated_at"])
    _change(item, actor, from_status=before, to_status=status, reason=reason)
    audit_record(
        actor=actor, action=Action.UPDATE, object_type="plan_item", object_id=item.pk, area_code=item.plan.area_id,
        detail={"status": [before, status]},
    )  # fmt: skip
    return item


@transaction.atomic
def item_status_follow(*, actor: Actor, item_id: int, status: str, reason: str) -> bool:
    """Bring an item's status to where its funding ledger stands (the matching app's
    negotiation outcomes and steps). The caller has checked its own write. Forward along
    the path only — a status set further by hand is kept — or declined when every body
    asked declined; a done item stays done. The change is kept with who, when and why.
    Returns whether the status changed."""
    item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item_id)
    if status not in Status.values:
        raise PlanError(_("Unknown status %(value)s.") % {"value": status})
    current = item.status
    order = [str(s) for s in STATUS_ORDER]
    if current == status or current == Status.DONE:
        return False
    if status == Status.DECLINED:
        pass
    elif current != Status.DECLINED and order.index(status) < order.index(current):
        return False
    item.status, item.status_reason = status, reason.strip() if status == Status.DECLINED else ""
    item.save(update_fields=["status", "status_reason", "updated_at"])
    _change(item, actor, from_status=current, to_status=status, reason=reason.strip())
    audit_record(
        actor=actor, action=Action.UPDATE, object_type="plan_item", object_id=item.pk, area_code=item.plan.area_id,
        detail={"status": [current, status], "by": "funding ledger"},
    )  # fmt: skip
    return True


@transaction.atomic
def item_adoption_set(
    *, actor: Actor, item: PlanItem, local_plan_years: str = "", project_no: str = "", provincial: str = ""
) -> PlanItem:
    """Where the official plans took the item: the อปท.'s local development plan (its
    years, the project number) and the provincial development plan (บรรจุ / เกี่ยวข้อง)."""
    if provincial and provincial not in Adoption.values:
        raise PlanError(_("Unknown adoption %(value)s.") % {"value": provincial})
    if provincial and item.provincial_adoption != provincial:
        _check(actor, Write.PROVINCIAL_PLAN, item.plan.area_id)
    if (local_plan_years, project_no) != (item.local_plan_years, item.local_plan_project_no):
        _check(actor, Write.PLAN_EDIT, item.plan.area_id)
    changed = {
        k: [old, new]
        for k, old, new in (
            ("local_plan_years", item.local_plan_years, local_plan_years.strip()),
            ("local_plan_project_no", item.local_plan_project_no, project_no.strip()),
            ("provincial_adoption", item.provincial_adoption, provincial),
        )
        if old != new
    }
    if not changed:
        return item  # saved unchanged: nothing to write
    item.local_plan_years, item.local_plan_project_no = local_plan_years.strip(), project_no.strip()
    item.provincial_adoption = provincial
    item.save(update_fields=["local_plan_years", "local_plan_project_no", "provincial_adoption", "updated_at"])
    _change(item, actor, fields=changed)
    return item


# --- upward: tambon items from village items, strategic issues ----------------------


@transaction.atomic
def items_merge(*, actor: Actor, plan: Plan, sources: Sequence[PlanItem], data: ItemInput) -> PlanItem:
    """One item of ``plan`` (a tambon's, or higher) gathering ``sources`` (items of the
    plans under it): each source keeps its own row and points at the new item; the new
    item's households and cost default to the sources' sums, and its evidence is theirs
    (``selectors.item_evidence``)."""
    if not sources:
        raise PlanError(_("Choose the items to gather."))
    for s in sources:
        if s.merged_into_id is not None:
            raise PlanError(_("“%(title)s” is already part of another item.") % {"title": s.title})
        if s.plan_id == plan.pk or not _area_under(s.plan.area_id, plan) or s.plan.area_id == plan.area_id:
            raise PlanError(_("“%(title)s” is not an item of a plan under this one.") % {"title": s.title})
        if s.fiscal_year != plan.fiscal_year and plan.period_end is None:
            raise PlanError(_("“%(title)s” is of another fiscal year.") % {"title": s.title})
    households = data.households or sum(s.households for s in sources)
    cost = data.cost or sum((s.cost for s in sources), Decimal(0))
    amount = data.amount_asked if data.amount_asked is not None else sum((s.amount_asked for s in sources), Decimal(0))
    merged = item_create(
        actor=actor,
        plan=plan,
        data=ItemInput(**{**data.__dict__, "households": households, "cost": cost, "amount_asked": amount}),
    )
    for s in sources:
        PlanItem.objects.filter(pk=s.pk).update(merged_into=merged)
        _change(s, actor, fields={"merged_into": ["", str(merged.pk)]})
    return merged


@transaction.atomic
def issue_set(
    *, actor: Actor, plan: Plan, number: int, title: str, description: str = "", adoption: str = "",
    items: Sequence[PlanItem] = (),
) -> StrategicIssue:  # fmt: skip
    _check(actor, Write.PROVINCIAL_PLAN, plan.area_id)
    if plan.level not in HIGHER_LEVELS:
        raise PlanError(_("Strategic issues belong to district, zone and provincial plans."))
    if adoption and adoption not in Adoption.values:
        raise PlanError(_("Unknown adoption %(value)s.") % {"value": adoption})
    if not title.strip() or number < 1:
        raise PlanError(_("A strategic issue needs a number and a title."))
    issue, _created = StrategicIssue.objects.update_or_create(
        plan=plan,
        number=number,
        defaults={"title": title.strip(), "description": description.strip(), "adoption": adoption},
    )
    for item in items:
        if not _area_under(item.plan.area_id, plan):
            raise PlanError(_("“%(title)s” is not an item of this plan's area.") % {"title": item.title})
    PlanItem.objects.filter(pk__in=[i.pk for i in items]).update(issue=issue)
    audit_record(
        actor=actor, action=Action.UPDATE, object_type="strategic_issue", object_id=issue.pk, area_code=plan.area_id
    )
    return issue


# --- evidence and certification ------------------------------------------------------


def _owner_area(item: PlanItem | None, finding: Finding | None) -> tuple[Write, str]:
    if item is not None:
        return Write.PLAN_EDIT, item.plan.area_id
    if finding is None:
        raise PlanError(_("Evidence belongs to one item or one problem."))
    return Write.FORUM_RECORD, finding.forum.area_id


@transaction.atomic
def evidence_cite(
    *, actor: Actor, figure: str, area: Area, start: Month, end: Month, category: str | None = None,
    item: PlanItem | None = None, finding: Finding | None = None,
) -> Evidence:  # fmt: skip
    """Cite a figure of the system, with its value now (as the citing user may see it):
    the value stays as cited, and today's is computed beside it."""
    if (item is None) == (finding is None):
        raise PlanError(_("Evidence belongs to one item or one problem."))
    action, owner_area = _owner_area(item, finding)
    _check(actor, action, owner_area)
    if end < start:
        raise PlanError(_("The span ends before it begins."))
    try:
        value = figures.figure_value(_user(actor), area, start, end, figure, category)
    except figures.UnknownFigure as error:
        raise PlanError(_("Unknown figure %(value)s.") % {"value": str(error)}) from error
    evidence = Evidence.objects.create(
        item=item, finding=finding, figure=figure, category=category or "", area_code=area.code,
        start=start.first_day, end=end.first_day, value_cited=value.value, households_cited=value.households,
        cited_by=_user(actor), cited_at=timezone.now(),
    )  # fmt: skip
    audit_record(actor=actor, action=Action.CREATE, object_type="evidence", object_id=evidence.pk, area_code=owner_area)
    return evidence


@dataclass(frozen=True)
class OtherEvidenceInput:
    title: str
    source: str
    dated: dt.date | None = None
    coverage: str = ""
    value_text: str = ""
    households_covered: int | None = None
    file: File | None = field(default=None, compare=False)


@transaction.atomic
def evidence_add_other(
    *, actor: Actor, data: OtherEvidenceInput, item: PlanItem | None = None, finding: Finding | None = None
) -> Evidence:
    if (item is None) == (finding is None):
        raise PlanError(_("Evidence belongs to one item or one problem."))
    action, owner_area = _owner_area(item, finding)
    _check(actor, action, owner_area)
    if not data.title.strip() or not data.source.strip():
        raise PlanError(_("Say what the data is and where it comes from."))
    if data.households_covered is not None and data.households_covered < 0:
        raise PlanError(_("Households covered cannot be negative."))
    evidence = Evidence(
        item=item, finding=finding, title=data.title.strip(), source=data.source.strip(), dated=data.dated,
        coverage=data.coverage.strip(), value_text=data.value_text.strip(), households_covered=data.households_covered,
        cited_by=_user(actor), cited_at=timezone.now(),
    )  # fmt: skip
    if data.file is not None:
        evidence.file.save((getattr(data.file, "name", "") or "evidence").rsplit("/", 1)[-1], data.file, save=False)
    evidence.save()
    audit_record(actor=actor, action=Action.CREATE, object_type="evidence", object_id=evidence.pk, area_code=owner_area)
    return evidence


@transaction.atomic
def certification_add(
    *, actor: Actor, plan: Plan, certified_on: dt.date, by_kind: str, by_name: str, note: str = ""
) -> Certification:
    _check(actor, Write.PLAN_EDIT, plan.area_id)
    if by_kind not in Certification.By.values or not by_name.strip():
        raise PlanError(_("Say who certified the data."))
    if certified_on > timezone.localdate():
        raise PlanError(_("A certification cannot be dated in the future."))
    cert = Certification.objects.create(
        plan=plan, certified_on=certified_on, by_kind=by_kind, by_name=by_name.strip(), note=note.strip()
    )
    audit_record(
        actor=actor, action=Action.CREATE, object_type="certification", object_id=cert.pk, area_code=plan.area_id
    )
    return cert

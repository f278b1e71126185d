"""Writes of the supply side and of match runs: one transaction each, checked against the
permissions table and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from chumchon.access.models import Action, User
from chumchon.access.permissions import Write, can
from chumchon.access.scope import SYSTEM
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area
from chumchon.areas.selectors import areas_by_code
from chumchon.matching import calendar, optimiser, targets
from chumchon.matching.models import (
    AFTER_ACCEPTANCE,
    Body,
    BodyKind,
    BudgetCalendar,
    DeclineReason,
    Match,
    MatchRun,
    MatchStep,
    Negotiation,
    Programme,
    Stage,
)
from chumchon.matching.selectors import MatchInputs, match_inputs_for, negotiable_items
from chumchon.plans import services as plan_services
from chumchon.plans.models import ASKING, FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, STATUS_ORDER, Domain, PlanItem, Status


class MatchingError(ValueError):
    """A write refused for a reason the user can fix; the message says which (Thai)."""


def _user(actor: Actor) -> User | None:
    return actor.user if actor.user is not None and actor.user.is_authenticated else None


def _check(actor: Actor, action: Write, area_code: str) -> None:
    if actor.user is not None and not can(actor.user, action, area_code):
        raise PermissionDenied(area_code)


@dataclass(frozen=True)
class ProgrammeInput:
    code: str
    body: str
    body_kind: str
    name: str
    fiscal_year: int
    budget: Decimal
    actors: list[str]
    programme_type: str = ""
    max_share: Decimal = Decimal(100)
    max_amount: Decimal | None = None
    unit_cost: Decimal | None = None
    domains: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    target_group: list[str] = field(default_factory=list)  # matching.targets codes
    description: str = ""
    request_deadline: dt.date | None = None
    contact: str = ""


def programme_problems(province: Area, data: ProgrammeInput) -> list[tuple[str, str, str]]:
    """What is wrong with ``data`` for a programme of ``province``: (field, Thai, English)."""
    out: list[tuple[str, str, str]] = []
    if not data.code.strip():
        out.append(("code", "ต้องมีรหัสโครงการ", "the code is required"))
    if not data.name.strip():
        out.append(("name", "ต้องมีชื่อโครงการ", "the name is required"))
    if not data.body.strip():
        out.append(("body", "ต้องมีชื่อหน่วยงาน", "the body is required"))
    if data.body_kind not in BodyKind.values:
        kinds = ", ".join(BodyKind.values)
        out.append(("body_kind", f"ประเภทหน่วยงาน '{data.body_kind}' ไม่มีในรายการ ({kinds})",
                    f"unknown body kind '{data.body_kind}' ({kinds})"))  # fmt: skip
    if not FISCAL_YEAR_MIN <= data.fiscal_year <= FISCAL_YEAR_MAX:
        out.append(("fiscal_year", f"ปีงบประมาณต้องเป็น พ.ศ. {FISCAL_YEAR_MIN}–{FISCAL_YEAR_MAX}",
                    f"the fiscal year is Buddhist Era {FISCAL_YEAR_MIN}–{FISCAL_YEAR_MAX}"))  # fmt: skip
    if data.budget < 0:
        out.append(("budget", "งบประมาณติดลบไม่ได้", "the budget cannot be negative"))
    if not Decimal(0) < data.max_share <= 100:
        out.append(("max_share", "สัดส่วนสูงสุดต้องมากกว่า 0 และไม่เกิน 100%", "the share is more than 0, at most 100%"))
    if data.max_amount is not None and data.max_amount <= 0:
        out.append(("max_amount", "จำนวนเงินสูงสุดต่อรายการต้องมากกว่า 0 บาท", "the most per item is more than 0 baht"))
    if not data.actors or any(a not in ASKING for a in data.actors):
        out.append(("actors", "ผู้ดำเนินการที่รับต้องเป็น local_government (ขอให้ อปท. ร่วมด้วย) และ/หรือ agency "
                    "(ขอให้ส่วนราชการช่วย)", "the actors accepted are local_government and/or agency"))  # fmt: skip
    wrong = [d for d in data.domains if d not in Domain.values]
    if wrong:
        out.append(("domains", f"ไม่รู้จักด้าน {', '.join(wrong)}", f"unknown domains {', '.join(wrong)}"))
    unknown = [c for c in data.target_group if c not in targets.CODES]
    if unknown:
        out.append(
            ("target_group", f"ไม่รู้จักกลุ่มเป้าหมาย {', '.join(unknown)}", f"unknown target groups {', '.join(unknown)}")
        )
    known = areas_by_code(set(data.areas))
    outside = [c for c in data.areas if c not in known or not c.startswith(province.code)]
    if outside:
        codes = ", ".join(outside)
        out.append(("areas", f"ไม่พบพื้นที่ {codes} ใน{province.display_name}",
                    f"no area {codes} in {province.name_en or province.display_name}"))  # fmt: skip
    return out


def programme_save(*, actor: Actor, province: Area, data: ProgrammeInput) -> tuple[Programme, str]:
    """Create or update the programme of ``province`` keyed by code + fiscal year; the body
    is found by name in the province or created. Returns the programme and
    ``created`` / ``updated`` / ``unchanged`` (the same data again writes nothing)."""
    _check(actor, Write.PROGRAMME_EDIT, province.code)
    problems = programme_problems(province, data)
    if problems:
        raise MatchingError("; ".join(th for _, th, _en in problems))
    with transaction.atomic():
        body = Body.objects.filter(province=province, name=data.body.strip()).first()
        if body is None:
            body = Body.objects.create(province=province, name=data.body.strip(), kind=data.body_kind)
            audit_record(actor=actor, action=Action.CREATE, object_type="body", object_id=body.pk,
                         area_code=province.code, detail={"name": body.name, "kind": body.kind})  # fmt: skip
        elif body.kind != data.body_kind:
            raise MatchingError(
                f"หน่วยงาน '{body.name}' เป็นประเภท '{body.get_kind_display()}' อยู่แล้ว ไม่ใช่ '{data.body_kind}'"
            )
        values: dict[str, Any] = {
            "body": body,
            "name": data.name.strip(),
            "programme_type": data.programme_type.strip(),
            "description": data.description,
            "budget": data.budget.quantize(Decimal("0.01")),
            "unit_cost": data.unit_cost,
            "max_share": data.max_share.quantize(Decimal("0.01")),
            "max_amount": data.max_amount,
            "actors": sorted(set(data.actors)),
            "domains": sorted(set(data.domains)),
            "areas": sorted(set(data.areas)),
            "target_group": sorted(set(data.target_group)),
            "request_deadline": data.request_deadline,
            "contact": data.contact,
        }
        current = Programme.objects.filter(
            province_code=province.code, code=data.code.strip(), fiscal_year=data.fiscal_year
        ).first()
        if current is None:
            programme = Programme.objects.create(
                province_code=province.code, code=data.code.strip(), fiscal_year=data.fiscal_year, **values
            )
            audit_record(actor=actor, action=Action.CREATE, object_type="programme", object_id=programme.pk,
                         area_code=province.code, detail={"code": programme.code, "fiscal_year": data.fiscal_year})  # fmt: skip
            return programme, "created"
        changed = {k: v for k, v in values.items() if getattr(current, k) != v}
        if not changed:
            return current, "unchanged"
        for k, v in changed.items():
            setattr(current, k, v)
        current.save()
        audit_record(actor=actor, action=Action.UPDATE, object_type="programme", object_id=current.pk,
                     area_code=province.code, detail={"fields": sorted(changed)})  # fmt: skip
        return current, "updated"


@dataclass(frozen=True)
class PairChoice:
    item: int
    programme: int
    amount: Decimal | None = None


def match_run(
    *,
    actor: Actor,
    area: Area,
    fiscal_year: int,
    locks: list[PairChoice] | None = None,
    excludes: list[PairChoice] | None = None,
    gap: float = 0.01,
    time_limit: float = 30.0,
) -> MatchRun:
    """Allocate the programmes' budgets to the open asking items under ``area`` (scoped by
    the caller) for ``fiscal_year``, and keep the run whole (:class:`MatchRun`)."""
    _check(actor, Write.MATCH_RUN, area.code)
    inputs = match_inputs_for(actor.user or SYSTEM, area, fiscal_year)
    locks, excludes = locks or [], excludes or []
    known_pairs = set(inputs.eligible)
    for choice in [*locks, *excludes]:
        if (choice.item, choice.programme) not in known_pairs:
            raise MatchingError(f"รายการ {choice.item} กับโครงการ {choice.programme} ไม่ใช่คู่ที่จับได้ในพื้นที่และปีนี้")
    result = optimiser.allocate(
        inputs.demands,
        inputs.supplies,
        inputs.eligible,
        caps=inputs.caps,
        locks=[optimiser.Lock(c.item, c.programme, c.amount) for c in locks],
        excludes=[(c.item, c.programme) for c in excludes],
        gap=gap,
        time_limit=time_limit,
    )
    body = match_json(area, fiscal_year, inputs, result)
    with transaction.atomic():
        run = MatchRun.objects.create(
            area=area, fiscal_year=fiscal_year, province_code=area.province_code, status=result.status,
            solver=result.solver, gap=None if result.gap != result.gap else result.gap, seconds=result.seconds,
            objective_households=result.objective_households, greedy_households=result.greedy_households,
            items_considered=len(inputs.demands), programmes_considered=len(inputs.supplies),
            locks=[{"item": c.item, "programme": c.programme, "amount": None if c.amount is None else str(c.amount)}
                   for c in locks],
            excludes=[{"item": c.item, "programme": c.programme} for c in excludes],
            inputs=inputs.to_json(), result=body, created_by=_user(actor),
        )  # fmt: skip
        audit_record(actor=actor, action=Action.CREATE, object_type="match_run", object_id=run.pk,
                     area_code=area.code, detail={"fiscal_year": fiscal_year, "status": result.status})  # fmt: skip
    return run


def match_json(area: Area, fiscal_year: int, inputs: MatchInputs, result: optimiser.MatchResult) -> dict[str, Any]:
    """The contract's JSON of a run (``plan-template.md``): amounts in baht, two decimals."""
    funded = {a.item for a in result.allocations}
    return {
        "area": area.code,
        "fiscal_year": fiscal_year,
        "status": result.status,
        "objective_households": result.objective_households,
        "gap": None if result.gap != result.gap else round(result.gap, 6),
        "solver": result.solver,
        "seconds": round(result.seconds, 3),
        "greedy_households": result.greedy_households,
        "items_funded": result.items_funded,
        "tie_break": result.tie_break,
        "message": result.message,
        "allocations": [
            {
                "item": a.item,
                "village": inputs.items[a.item].village_code,
                "title": inputs.items[a.item].title,
                "programme": inputs.programmes[a.programme].code,
                "body": inputs.programmes[a.programme].body.name,
                "amount": float(a.amount),
            }
            for a in result.allocations
        ],
        "unfunded": [
            {
                "item": pk,
                "village": inputs.items[pk].village_code,
                "title": inputs.items[pk].title,
                "reasons": inputs.unfunded_reasons(pk),
            }
            for pk in sorted(inputs.items)
            if pk not in funded
        ],
    }


# --- the negotiation forum and the funding ledger --------------------------------------

OUTCOMES = (Stage.ACCEPTED, Stage.DECLINED, Stage.DEFERRED)
# Where a match's stage puts its item (plans.models.Status).
ITEM_STATUS = {
    Stage.ACCEPTED: Status.ADOPTED_IN_PRINCIPLE,
    Stage.IN_LOCAL_PLAN: Status.IN_LOCAL_PLAN,
    Stage.IN_ORDINANCE: Status.FUNDED,
    Stage.DISBURSED: Status.FUNDED,
    Stage.DONE: Status.DONE,
}


def stage_allowed(current: str, new: str) -> bool:
    """The ledger's rule. An outcome (accepted, declined, deferred) is recorded at a
    negotiation forum for a match not yet in a plan or ordinance — a deferred or declined
    one may be taken up again, an accepted one withdrawn; the later steps go forward."""
    if new in OUTCOMES:
        return current not in AFTER_ACCEPTANCE[1:]
    if new in AFTER_ACCEPTANCE[1:]:
        order = [str(s) for s in AFTER_ACCEPTANCE]
        return current in order and order.index(new) > order.index(current)
    if new == Stage.PRESENTED:
        return current in (Stage.SUGGESTED, Stage.DEFERRED, Stage.DECLINED)
    return False


def _step(match: Match, actor: Actor, stage: str, on: dt.date, *, note: str = "",
          negotiation: Negotiation | None = None) -> None:  # fmt: skip
    MatchStep.objects.create(match=match, stage=stage, on=on, amount=match.amount, note=note[:500],
                             negotiation=negotiation, by=_user(actor))  # fmt: skip


def _follow(actor: Actor, item: PlanItem) -> None:
    """The item's status follows its matches: the furthest one not declined, or declined
    when every body asked declined."""
    matches = list(Match.objects.filter(item=item).select_related("body"))
    order = [str(s) for s in STATUS_ORDER]
    reached = [ITEM_STATUS[Stage(m.stage)] for m in matches if m.stage in ITEM_STATUS]
    if reached:
        status = max(reached, key=lambda s: order.index(s))
        plan_services.item_status_follow(actor=actor, item_id=item.pk, status=status,
                                         reason="ตามบันทึกการจับคู่กับหน่วยงาน")  # fmt: skip
    elif matches and all(m.stage == Stage.DECLINED for m in matches):
        why = "; ".join(f"{m.body.name}: {m.get_decline_reason_display()}" for m in matches)
        plan_services.item_status_follow(actor=actor, item_id=item.pk, status=Status.DECLINED,
                                         reason=f"หน่วยงานที่ขอไม่รับ ({why})"[:300])  # fmt: skip


@dataclass(frozen=True)
class NegotiationInput:
    held_on: dt.date
    place: str
    bodies: list[int]
    notes: str = ""


def negotiation_create(*, actor: Actor, area: Area, fiscal_year: int, data: NegotiationInput) -> Negotiation:
    """Record a negotiation forum of ``area`` for ``fiscal_year`` with the bodies present.
    The latest match run's allocations become suggested matches (one per item and body),
    and every suggested or deferred match of the area with a body present is presented."""
    _check(actor, Write.NEGOTIATION_RECORD, area.code)
    if not data.place.strip():
        raise MatchingError("ต้องระบุสถานที่จัดเวที")
    bodies = list(Body.objects.filter(province__code=area.province_code, pk__in=data.bodies))
    if not bodies or len(bodies) != len(set(data.bodies)):
        raise MatchingError("เลือกหน่วยงานที่เข้าร่วมเวทีอย่างน้อย 1 หน่วยงาน (ของจังหวัดนี้)")
    user = actor.user or SYSTEM
    items = {i.pk: i for i in negotiable_items(user, area.code, fiscal_year)}
    run = MatchRun.objects.filter(area=area, fiscal_year=fiscal_year).order_by("-created_at", "-id").first()
    with transaction.atomic():
        negotiation = Negotiation.objects.create(
            area=area, province_code=area.province_code, fiscal_year=fiscal_year, held_on=data.held_on,
            place=data.place.strip(), notes=data.notes, match_run=run, created_by=_user(actor),
        )  # fmt: skip
        negotiation.bodies.set(bodies)
        if run is not None:
            programmes = {p.code: p for p in Programme.objects.filter(province_code=area.province_code,
                                                                        fiscal_year=fiscal_year)}  # fmt: skip
            for a in run.result.get("allocations", []):
                item, programme = items.get(a["item"]), programmes.get(a["programme"])
                if item is None or programme is None:
                    continue  # gathered, declined or done since the run; a programme renamed
                match, created = Match.objects.get_or_create(
                    item=item, body_id=programme.body_id,
                    defaults={"programme": programme, "amount": Decimal(str(a["amount"])).quantize(Decimal("0.01")),
                              "area_code": item.plan.area_id, "province_code": area.province_code,
                              "fiscal_year": fiscal_year, "match_run": run},
                )  # fmt: skip
                if created:
                    _step(
                        match,
                        actor,
                        Stage.SUGGESTED,
                        min(run.created_at.date(), data.held_on),
                        note=f"การจับคู่ครั้งที่ {run.pk}",
                    )
        present = {b.pk for b in bodies}
        for match in Match.objects.filter(item__in=list(items), stage__in=[Stage.SUGGESTED, Stage.DEFERRED]):
            if match.body_id in present:
                match.stage, match.negotiation = Stage.PRESENTED, negotiation
                match.save(update_fields=["stage", "negotiation", "updated_at"])
                _step(match, actor, Stage.PRESENTED, data.held_on, negotiation=negotiation)
        audit_record(actor=actor, action=Action.CREATE, object_type="negotiation", object_id=negotiation.pk,
                     area_code=area.code, detail={"fiscal_year": fiscal_year, "bodies": sorted(present)})  # fmt: skip
    return negotiation


@dataclass(frozen=True)
class OutcomeInput:
    item: int
    body: int
    outcome: str  # accepted | declined | deferred
    amount: Decimal | None = None
    programme: int | None = None
    conditions: str = ""
    reason: str = ""  # a DeclineReason
    note: str = ""


def outcome_record(*, actor: Actor, negotiation: Negotiation, data: OutcomeInput) -> Match:
    """What a body said at ``negotiation`` of one item: accepted (an amount, a programme of
    the body, conditions), declined (a reason code) or deferred. The item's status follows."""
    _check(actor, Write.NEGOTIATION_RECORD, negotiation.area_id)
    user = actor.user or SYSTEM
    item = negotiable_items(user, negotiation.area_id, negotiation.fiscal_year).filter(pk=data.item).first()
    if item is None:
        raise MatchingError("ไม่พบรายการนี้ในแผนของพื้นที่และปีงบประมาณของเวที (หรือรายการปิดไปแล้ว)")
    body = negotiation.bodies.filter(pk=data.body).first()
    if body is None:
        raise MatchingError("หน่วยงานนี้ไม่ได้เข้าร่วมเวทีนี้")
    if data.outcome not in OUTCOMES:
        raise MatchingError("ผลการเจรจาต้องเป็น รับ ไม่รับ หรือเลื่อนการพิจารณา")
    programme = None
    amount = data.amount
    if data.outcome == Stage.ACCEPTED:
        if amount is None or amount <= 0:
            raise MatchingError("ระบุจำนวนเงินที่หน่วยงานรับ (มากกว่า 0 บาท)")
        if item.cost > 0 and amount > item.cost:
            raise MatchingError(f"จำนวนเงินที่รับ {amount:,.2f} บาท เกินค่าใช้จ่ายของรายการ {item.cost:,.2f} บาท")
        if data.programme is not None:
            programme = Programme.objects.filter(
                pk=data.programme, body=body, fiscal_year=negotiation.fiscal_year
            ).first()
            if programme is None:
                raise MatchingError("โครงการที่เลือกไม่ใช่ของหน่วยงานนี้ในปีงบประมาณนี้")
    if data.outcome == Stage.DECLINED and data.reason not in DeclineReason.values:
        raise MatchingError("เลือกเหตุผลที่หน่วยงานไม่รับ")
    if data.outcome == Stage.DECLINED and data.reason == DeclineReason.OTHER and not data.note.strip():
        raise MatchingError("เหตุผล 'อื่น ๆ' ต้องมีคำอธิบาย")
    with transaction.atomic():
        match, created = Match.objects.select_for_update().get_or_create(
            item=item, body=body,
            defaults={"area_code": item.plan.area_id, "province_code": negotiation.province_code,
                      "fiscal_year": negotiation.fiscal_year, "stage": Stage.PRESENTED, "negotiation": negotiation},
        )  # fmt: skip
        if created:
            _step(match, actor, Stage.PRESENTED, negotiation.held_on, negotiation=negotiation, note="ขอในเวที")
        if not stage_allowed(match.stage, data.outcome):
            raise MatchingError(f"รายการนี้กับ{body.name}อยู่ในขั้น '{match.get_stage_display()}' แล้ว บันทึกผลเจรจาใหม่ไม่ได้")
        if match.stage in (Stage.DECLINED,) and data.outcome != Stage.DECLINED:
            _step(match, actor, Stage.PRESENTED, negotiation.held_on, negotiation=negotiation, note="พิจารณาใหม่")
        match.stage, match.negotiation = data.outcome, negotiation
        match.decline_reason = data.reason if data.outcome == Stage.DECLINED else ""
        match.conditions = data.conditions.strip() if data.outcome == Stage.ACCEPTED else match.conditions
        match.note = data.note.strip()[:300]
        if data.outcome == Stage.ACCEPTED:
            match.amount, match.programme = amount, programme or match.programme
        match.save()
        _step(match, actor, data.outcome, negotiation.held_on, negotiation=negotiation,
              note="; ".join(t for t in (match.get_decline_reason_display() if match.decline_reason else "",
                                         match.conditions if data.outcome == Stage.ACCEPTED else "",
                                         data.note.strip()) if t))  # fmt: skip
        audit_record(actor=actor, action=Action.UPDATE, object_type="match", object_id=match.pk,
                     area_code=match.area_code, detail={"stage": data.outcome, "negotiation": negotiation.pk})  # fmt: skip
        _follow(actor, item)
    return match


def match_step(*, actor: Actor, match: Match, stage: str, on: dt.date, note: str = "") -> Match:
    """A later step of an accepted match: in the local development plan, in the budget
    ordinance, disbursed, done — dated the day it happened; the item's status follows."""
    _check(actor, Write.NEGOTIATION_RECORD, match.area_code)
    if stage not in AFTER_ACCEPTANCE[1:]:
        raise MatchingError("ขั้นนี้บันทึกจากเวทีเจรจา (รับ ไม่รับ เลื่อน) ไม่ใช่ที่นี่")
    with transaction.atomic():
        match = Match.objects.select_for_update().select_related("item").get(pk=match.pk)
        if not stage_allowed(match.stage, stage):
            raise MatchingError(
                f"จากขั้น '{match.get_stage_display()}' ไปขั้น '{Stage(stage).label}' ไม่ได้ (ต้องรับก่อน และเดินหน้าเท่านั้น)"
            )
        last = match.steps.order_by("-on").values_list("on", flat=True).first()
        if last is not None and on < last:
            raise MatchingError(f"วันที่ต้องไม่ก่อนขั้นก่อนหน้า ({last:%d/%m}/{last.year + 543})")
        match.stage = stage
        match.save(update_fields=["stage", "updated_at"])
        _step(match, actor, stage, on, note=note)
        audit_record(actor=actor, action=Action.UPDATE, object_type="match", object_id=match.pk,
                     area_code=match.area_code, detail={"stage": stage})  # fmt: skip
        _follow(actor, match.item)
    return match


# --- the budget calendar -----------------------------------------------------------------


@dataclass(frozen=True)
class CalendarInput:
    plan_amended_by: dt.date
    draft_to_council_by: dt.date
    council_by: dt.date
    starts_on: dt.date
    note: str = ""


def calendar_save(*, actor: Actor, body: Body, tambon_code: str, fiscal_year: int, data: CalendarInput) -> str:
    """Keep a local government's own budget calendar of a year. Its dates saved as the
    regulation's defaults with no note write nothing, and so do its dates saved unchanged.
    Returns ``created`` / ``updated`` / ``unchanged``."""
    _check(actor, Write.NEGOTIATION_RECORD, tambon_code)
    if body.kind != BodyKind.LOCAL_GOVERNMENT or not body.tambons.filter(code=tambon_code).exists():
        raise MatchingError("หน่วยงานนี้ไม่ใช่ อปท. ของตำบลนี้")
    if not FISCAL_YEAR_MIN <= fiscal_year <= FISCAL_YEAR_MAX:
        raise MatchingError(f"ปีงบประมาณต้องเป็น พ.ศ. {FISCAL_YEAR_MIN}–{FISCAL_YEAR_MAX}")
    problems = calendar.check_order(data.plan_amended_by, data.draft_to_council_by, data.council_by, data.starts_on)
    if problems:
        raise MatchingError("; ".join(problems))
    values = {
        "plan_amended_by": data.plan_amended_by,
        "draft_to_council_by": data.draft_to_council_by,
        "council_by": data.council_by,
        "starts_on": data.starts_on,
        "note": data.note.strip()[:300],
    }
    with transaction.atomic():
        row = BudgetCalendar.objects.select_for_update().filter(body=body, fiscal_year=fiscal_year).first()
        if row is None:
            if {k: values[k] for k in calendar.DEFAULTS} == calendar.default_dates(fiscal_year) and not values["note"]:
                return "unchanged"
            row = BudgetCalendar.objects.create(body=body, fiscal_year=fiscal_year, updated_by=_user(actor), **values)
            outcome = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(row, k) != v}
            if not changed:
                return "unchanged"
            for k, v in changed.items():
                setattr(row, k, v)
            row.updated_by = _user(actor)
            row.save()
            outcome = "updated"
        audit_record(actor=actor, action=Action.CREATE if outcome == "created" else Action.UPDATE,
                     object_type="budget_calendar", object_id=row.pk, area_code=tambon_code,
                     detail={"body": body.pk, "fiscal_year": fiscal_year,
                             **{k: str(v) for k, v in values.items() if k != "note"}})  # fmt: skip
    return outcome

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
from chumchon.matching import optimiser
from chumchon.matching.models import Body, BodyKind, MatchRun, Programme
from chumchon.matching.selectors import MatchInputs, match_inputs_for
from chumchon.plans.models import ASKING, FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, Domain


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

"""Programmes, a match and a partner negotiation forum for the demo tambon.

Five bodies of the demo province offer money for the plans' fiscal year: the tambon's
อบต. (water and roads of its own tambon), the อบจ. (half of a local-government item,
up to 300,000 baht), the provincial social development office (พมจ.; quality of life
and housing), the provincial agriculture office (training for livelihoods) and CODI
(บ้านพอเพียง, 20,000 baht a house). One village asks for house repairs for its poorest
households, so CODI's programme has an item to pay for.

The tambon's staff run the match, then hold the partner negotiation forum a few weeks
after the data's last month with every body but CODI present (its suggestion stays a
suggestion): the อบต. and the อบจ. co-fund the tambon's water supply, the อบต. accepts
its roads but defers the last one (to be surveyed again), the พมจ. pays half the house
repairs, and the agriculture office accepts one training and declines the others (its
budget is spent).
The accepted items go on along the ledger — into the local development plan, the
budget ordinance, and one disbursed and done — each step dated and the items' status
following.

Everything goes through :mod:`chumchon.matching.services` as the demo's actor. A run
first removes what an earlier demo run made here (the matches of the demo's items, its
forums, runs, programmes and bodies); anything else stays.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from chumchon.access.models import Action, AuditEvent
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.demo.common import rng_for
from chumchon.demo.plans import People
from chumchon.matching import services
from chumchon.matching.models import Body, BodyKind, DeclineReason, Match, MatchRun, Negotiation, Programme, Stage
from chumchon.matching.services import NegotiationInput, OutcomeInput, ProgrammeInput
from chumchon.plans import services as plan_services
from chumchon.plans.models import Actor as Who
from chumchon.plans.models import Domain, Kind, Plan, PlanItem
from chumchon.plans.services import ItemInput

HOUSE_TITLE = "ซ่อมแซมบ้านครัวเรือนยากจนที่บ้านทรุดโทรม (บ้านพอเพียง)"


def _made(actor: Actor, province_code: str, kind: str) -> list[int]:
    rows = AuditEvent.objects.filter(
        path=actor.path, action=Action.CREATE, area_code__startswith=province_code, object_type=kind
    ).values_list("object_id", flat=True)
    return [int(pk) for pk in rows]


def demo_matching_delete(province_code: str, actor: Actor) -> None:
    """Remove what an earlier demo run made in the province (before its plan items go:
    a match keeps its item)."""
    items = _made(actor, province_code, "plan_item")
    Match.objects.filter(item_id__in=items).delete()
    Match.objects.filter(negotiation_id__in=_made(actor, province_code, "negotiation")).delete()
    Negotiation.objects.filter(pk__in=_made(actor, province_code, "negotiation")).delete()
    MatchRun.objects.filter(pk__in=_made(actor, province_code, "match_run")).delete()
    programmes = Programme.objects.filter(pk__in=_made(actor, province_code, "programme"), matches__isnull=True)
    programmes.delete()
    Body.objects.filter(pk__in=_made(actor, province_code, "body"), programmes__isnull=True).delete()


def _programmes(actor: Actor, tambon: Area, province: Area, year: int) -> dict[str, Programme]:
    p, t = province.name_th, tambon.name_th
    deadline = dt.date(year - 543 - 1, 7, 31)  # the requests before the ordinance's draft (15 August)
    rows = {
        "abt": ProgrammeInput(
            code=f"ABT-{year}-01", body=f"องค์การบริหารส่วนตำบล{t}", body_kind=BodyKind.LOCAL_GOVERNMENT,
            name="ก่อสร้างและปรับปรุงระบบประปาหมู่บ้านและถนนเพื่อการเกษตร", fiscal_year=year,
            budget=Decimal(1_800_000), actors=[Who.LOCAL_GOVERNMENT], domains=[Domain.RESOURCES, Domain.ECONOMY],
            areas=[tambon.code], request_deadline=deadline, contact="กองช่าง อบต.",
        ),
        "pao": ProgrammeInput(
            code=f"PAO-{year}-03", body=f"องค์การบริหารส่วนจังหวัด{p}", body_kind=BodyKind.PROVINCE,
            name="อุดหนุนโครงสร้างพื้นฐานด้านแหล่งน้ำของ อปท.", fiscal_year=year, budget=Decimal(3_000_000),
            actors=[Who.LOCAL_GOVERNMENT], domains=[Domain.RESOURCES], max_share=Decimal(50),
            max_amount=Decimal(1_000_000), request_deadline=deadline, contact="กองยุทธศาสตร์และงบประมาณ อบจ.",
        ),
        "pmj": ProgrammeInput(
            code=f"PMJ-{year}-02", body=f"สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{p}",
            body_kind=BodyKind.AGENCY, name="พัฒนาคุณภาพชีวิตและที่อยู่อาศัยของกลุ่มเปราะบาง", fiscal_year=year,
            budget=Decimal(200_000), actors=[Who.AGENCY], domains=[Domain.HOUSING, Domain.SOCIAL],
            max_share=Decimal(50), max_amount=Decimal(60_000), contact="กลุ่มการพัฒนาสังคม พมจ.",
        ),
        "agri": ProgrammeInput(
            code=f"AGRI-{year}-01", body=f"สำนักงานเกษตรจังหวัด{p}", body_kind=BodyKind.AGENCY,
            name="ฝึกอบรมอาชีพและลดต้นทุนการผลิตของเกษตรกร", fiscal_year=year, budget=Decimal(60_000),
            actors=[Who.AGENCY], domains=[Domain.ECONOMY, Domain.EDUCATION], max_amount=Decimal(45_000),
            contact="กลุ่มส่งเสริมและพัฒนาการผลิต",
        ),
        "codi": ProgrammeInput(
            code=f"CODI06-{year}", body="สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", body_kind=BodyKind.CODI,
            name="บ้านพอเพียง", programme_type="CODI06", fiscal_year=year, budget=Decimal(400_000),
            unit_cost=Decimal(20_000), actors=[Who.AGENCY], domains=[Domain.HOUSING], max_share=Decimal(50),
            description="ซ่อมแซมบ้านครัวเรือนผู้มีรายได้น้อย หลังละไม่เกิน 20,000 บาท ผ่านขบวนองค์กรชุมชน",
            contact="สำนักงานภาค พอช.",
        ),
    }  # fmt: skip
    out = {key: services.programme_save(actor=actor, province=province, data=row)[0] for key, row in rows.items()}
    out["abt"].body.tambons.add(tambon)
    return out


def _house_item(seed: int, actor: Actor, tambon: Area, year: int) -> PlanItem | None:
    """The village plan with the most households asks for house repairs (CODI and พมจ.)."""
    plan = (
        Plan.objects.filter(tambon_code=tambon.code, level="village", fiscal_year=year, zone__isnull=True)
        .order_by("village_code")
        .first()
    )
    if plan is None:
        return None
    people = People(rng_for(seed, "matching-people", tambon.code))
    return plan_services.item_create(
        actor=actor, plan=plan,
        data=ItemInput(title=HOUSE_TITLE, actor=Who.AGENCY, domain=Domain.HOUSING, kind=Kind.QUALITY_OF_LIFE,
                       households=4, cost=Decimal(80_000),
                       problem_text="บ้าน 4 หลังของครัวเรือนยากจนหลังคารั่ว ฝาผุ ไม่ปลอดภัยในหน้าฝน",
                       owner=people.one(), team=people.many(3)),
    )  # fmt: skip


def _on(day: dt.date) -> dt.date:
    return min(day, timezone.localdate())


def demo_matching_insert(*, seed: int, tambon: Area, province: Area, months: list[Month], actor: Actor) -> None:
    """The demo tambon's programmes, match, negotiation forum and ledger (the module's
    doc), after :func:`demo_matching_delete` and the plans."""
    tambon_plan = Plan.objects.filter(area=tambon, zone__isnull=True).order_by("-fiscal_year").first()
    if tambon_plan is None or not months or Negotiation.objects.filter(area=tambon).exists():
        return
    year = tambon_plan.fiscal_year
    programmes = _programmes(actor, tambon, province, year)
    _house_item(seed, actor, tambon, year)
    services.match_run(actor=actor, area=tambon, fiscal_year=year)
    held_on = _on(months[-1].next().first_day + dt.timedelta(days=19))
    present = [programmes[k].body_id for k in ("abt", "pao", "pmj", "agri")]
    negotiation = services.negotiation_create(
        actor=actor, area=tambon, fiscal_year=year,
        data=NegotiationInput(held_on=held_on, place=f"ห้องประชุมองค์การบริหารส่วนตำบล{tambon.name_th}", bodies=present,
                              notes="เวทีเจรจาภาคีก่อนเสนอร่างข้อบัญญัติงบประมาณต่อสภา อบต."),
    )  # fmt: skip
    presented = list(
        Match.objects.filter(negotiation=negotiation, stage=Stage.PRESENTED).order_by("item_id", "body_id")
    )
    local = [m for m in presented if m.body_id == programmes["abt"].body_id]
    training = [m for m in presented if m.body_id == programmes["agri"].body_id]
    shared = {m.item_id for m in presented if m.body_id != programmes["abt"].body_id}
    alone = [m for m in local if m.item_id not in shared]  # the อบต.'s own roads, not the co-funded water
    answered: list[Match] = []
    for match in presented:
        if len(alone) > 1 and match == alone[-1]:
            _answer(actor, negotiation, match, "deferred", note="รอกองช่างสำรวจและประมาณราคาใหม่")
        elif match in training[1:]:
            _answer(actor, negotiation, match, "declined", reason=DeclineReason.BUDGET)
        else:
            conditions = "ชุมชนสมทบแรงงานและดูแลรักษา" if match in local else ""
            answered.append(
                _answer(
                    actor,
                    negotiation,
                    match,
                    "accepted",
                    amount=match.amount,
                    programme=match.programme_id,
                    conditions=conditions,
                )
            )
    for i, match in enumerate(answered):
        if match.body_id != programmes["abt"].body_id and i % 2:
            continue  # an agency's money needs no local plan; some wait for the next step
        steps = [Stage.IN_LOCAL_PLAN, Stage.IN_ORDINANCE] if match.body_id == programmes["abt"].body_id else []
        if i == 0:
            steps += [Stage.DISBURSED, Stage.DONE]
        day = held_on
        for stage in steps:
            day = _on(day + dt.timedelta(days=12))
            services.match_step(actor=actor, match=match, stage=stage, on=day)


def _answer(actor: Actor, negotiation: Negotiation, match: Match, outcome: str, **kw: object) -> Match:
    return services.outcome_record(
        actor=actor, negotiation=negotiation,
        data=OutcomeInput(item=match.item_id, body=match.body_id, outcome=outcome, **kw),  # type: ignore[arg-type]
    )  # fmt: skip

"""Reads of the supply side and of what a match is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area
from chumchon.matching import optimiser
from chumchon.matching.models import MatchRun, Programme
from chumchon.matching.rules import pair_cap, reasons
from chumchon.plans.models import PlanItem
from chumchon.plans.selectors import asking_items_under

SHOWN_REASONS = 5  # programmes named in an unfunded item's "why not"


def programmes_qs_for_user(user: object) -> QuerySet[Programme]:
    """Programmes are aggregates (no person): readable wherever the user reads the province."""
    scope = scope_of(user)
    qs = Programme.objects.select_related("body")
    if scope.is_admin or scope.national_aggregates:
        return qs
    return qs.filter(province_code__in={code[:2] for code in scope.aggregate_read})


def programmes_of(province_code: str, fiscal_year: int) -> list[Programme]:
    return list(
        Programme.objects.filter(province_code=province_code, fiscal_year=fiscal_year)
        .select_related("body")
        .order_by("code")
    )


def match_runs_for_user(user: object, area: Area, fiscal_year: int) -> QuerySet[MatchRun]:
    """The runs of an area (the caller has scoped it), newest first."""
    return MatchRun.objects.filter(area=area, fiscal_year=fiscal_year).order_by("-created_at", "-id")


@dataclass
class MatchInputs:
    """The items and programmes of one match, and which may pay for which."""

    items: dict[int, PlanItem]
    programmes: dict[int, Programme]
    eligible: list[tuple[int, int]]
    caps: dict[tuple[int, int], Decimal]
    why_not: dict[int, list[str]] = field(default_factory=dict)  # item: the programmes' broken rules

    @property
    def demands(self) -> list[optimiser.ItemDemand]:
        return [optimiser.ItemDemand(pk, i.cost, i.households) for pk, i in self.items.items()]

    @property
    def supplies(self) -> list[optimiser.ProgrammeSupply]:
        return [
            optimiser.ProgrammeSupply(pk, p.budget, (p.max_share / 100).quantize(Decimal("0.0001")))
            for pk, p in self.programmes.items()
        ]

    def candidates(self, item: int) -> list[Programme]:
        return [self.programmes[p] for i, p in self.eligible if i == item]

    def unfunded_reasons(self, item: int) -> list[str]:
        """Why ``item`` got nothing, in Thai: no programme takes it (each one's broken rule),
        or those that do cannot reach its cost together, or their budgets went to items
        serving more households."""
        row = self.items[item]
        if row.cost <= 0:
            return ["ยังไม่ระบุงบประมาณของรายการ"]
        candidates = self.candidates(item)
        if not candidates:
            return self.why_not.get(item) or ["ไม่มีโครงการของปีงบประมาณนี้ในจังหวัด"]
        codes = ", ".join(p.code for p in candidates)
        reach = sum((self.caps[(item, p.pk)] for p in candidates), Decimal(0))
        if reach < row.cost:
            return [
                f"โครงการที่รับได้ ({codes}) จ่ายรวมกันได้สูงสุด {reach:,.2f} บาท "
                f"ไม่ถึงค่าใช้จ่าย {row.cost:,.2f} บาท (ต้องได้ครบทั้งจำนวนหรือไม่ได้เลย)"
            ]
        return [f"งบของโครงการที่รับได้ ({codes}) จัดให้รายการที่ครัวเรือนได้ประโยชน์มากกว่าไปก่อนแล้ว"]

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [
                {"id": pk, "cost": str(i.cost), "households": i.households, "village": i.village_code,
                 "tambon": i.tambon_code, "actor": i.actor, "domain": i.domain}
                for pk, i in self.items.items()
            ],
            "programmes": [
                {"id": pk, "code": p.code, "body": p.body.name, "budget": str(p.budget), "max_share": str(p.max_share),
                 "max_amount": None if p.max_amount is None else str(p.max_amount)}
                for pk, p in self.programmes.items()
            ],
            "eligible": [[i, p, str(self.caps[(i, p)])] for i, p in self.eligible],
        }  # fmt: skip


def match_inputs_for(user: object, area: Area, fiscal_year: int) -> MatchInputs:
    """The open items under ``area`` asking the อปท. or agencies in ``fiscal_year`` and the
    programmes of that year in the area's province, with every pair's rules."""
    items = {i.pk: i for i in asking_items_under(user, area.code, fiscal_year)}
    programmes = {p.pk: p for p in programmes_of(area.province_code, fiscal_year)}
    eligible: list[tuple[int, int]] = []
    caps: dict[tuple[int, int], Decimal] = {}
    why_not: dict[int, list[str]] = {}
    for pk, item in items.items():
        for ppk, programme in programmes.items():
            rules = reasons(item, programme)
            broken = [r for r in rules if not r.ok]
            if broken:
                shown = why_not.setdefault(pk, [])
                if len(shown) < SHOWN_REASONS:
                    shown.append(f"{programme.code}: {'; '.join(r.th for r in broken)}")
                continue
            cap = pair_cap(item, programme)
            if cap > 0:
                eligible.append((pk, ppk))
                caps[(pk, ppk)] = cap
    return MatchInputs(items=items, programmes=programmes, eligible=eligible, caps=caps, why_not=why_not)

"""Reads of the supply side and of what a match is made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area
from chumchon.core.thai import fiscal_year as fiscal_year_of
from chumchon.matching import calendar, optimiser, targets
from chumchon.matching.calendar import Calendar, Due
from chumchon.matching.models import (
    AFTER_ACCEPTANCE,
    IN_ORDINANCE,
    NEGOTIABLE,
    Body,
    BodyKind,
    BudgetCalendar,
    Match,
    MatchRun,
    MatchStep,
    Negotiation,
    Programme,
    Stage,
)
from chumchon.matching.rules import Reason, item_place, pair_cap, reasons
from chumchon.plans.models import ASKING, PlanItem, Status
from chumchon.plans.models import Actor as PlanActor
from chumchon.plans.selectors import (
    asking_items_under,
    item_evidence_views,
    item_reached_on,
    items_with_evidence,
    plan_items_qs_for_user,
    plan_items_under,
)
from chumchon.registry.selectors import target_household_counts

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
    target_counts: dict[int, dict[str, int]] = field(default_factory=dict)  # programme: place -> households

    def reasons(self, item: int, programme: int) -> list[Reason]:
        """The rules of a pair, with the target group counted once for the whole match."""
        found = self.target_counts.get(programme)
        row = self.items[item]
        return reasons(row, self.programmes[programme], found[item_place(row)] if found is not None else None)

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
        return [self.programmes[p] for p in self._by_item.get(item, [])]

    @cached_property
    def _by_item(self) -> dict[int, list[int]]:
        """Each item's eligible programmes (read once the eligible pairs are complete)."""
        out: dict[int, list[int]] = {}
        for i, p in self.eligible:
            out.setdefault(i, []).append(p)
        return out

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
    places = {item_place(i) for i in items.values()}
    counts: dict[tuple[str, ...], dict[str, int]] = {}
    for programme in programmes.values():
        key = tuple(sorted(programme.target_group))
        if key and key not in counts:
            counts[key] = target_household_counts(places, targets.criteria(list(key)))
    target_counts = {ppk: counts[tuple(sorted(p.target_group))] for ppk, p in programmes.items() if p.target_group}
    inputs = MatchInputs(items=items, programmes=programmes, eligible=eligible, caps=caps, why_not=why_not,
                         target_counts=target_counts)  # fmt: skip
    for pk, item in items.items():
        for ppk, programme in programmes.items():
            rules = inputs.reasons(pk, ppk)
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
    return inputs


# --- the negotiation forum and the funding ledger --------------------------------------


def negotiable_items(user: object, area_code: str, fiscal_year: int) -> QuerySet[PlanItem]:
    """The items a negotiation forum of ``area_code`` may answer for: those under it of
    the year asking the อปท. or agencies, not gathered into another item and not done —
    a declined one included, since a body may take it up again."""
    return (
        plan_items_under(user, area_code, fiscal_year)
        .filter(actor__in=ASKING, merged_into__isnull=True)
        .exclude(status=Status.DONE)
    )


def negotiations_of(area: Area, fiscal_year: int) -> list[Negotiation]:
    """The negotiation forums of ``area`` (the caller has scoped it) for a year, newest first."""
    return list(
        Negotiation.objects.filter(area=area, fiscal_year=fiscal_year)
        .prefetch_related("bodies")
        .order_by("-held_on", "-id")
    )


def negotiations_other_years(area: Area, fiscal_year: int, limit: int = 10) -> list[Negotiation]:
    """The area's latest negotiation forums of other years (the caller has scoped it)."""
    return list(
        Negotiation.objects.filter(area=area).exclude(fiscal_year=fiscal_year).order_by("-held_on", "-id")[:limit]
    )


def negotiation_get_for_user(user: object, pk: int) -> Negotiation:
    """A negotiation forum where ``user`` reads the aggregates of its area; otherwise
    ``Negotiation.DoesNotExist``, as for one that does not exist."""
    negotiation = Negotiation.objects.select_related("area").get(pk=pk)
    if not scope_of(user).can_read_aggregates_in(negotiation.area_id):
        raise Negotiation.DoesNotExist
    return negotiation


@dataclass
class BoardRow:
    """One item asked of one body at a negotiation forum."""

    item: PlanItem
    match: Match | None
    suggested: list[tuple[Programme, Decimal]]  # the body's programmes that may pay, with the most each pays
    evidence: list[Any]  # plans.selectors.EvidenceView
    link: Any = None  # core.qr.LiveLink of the item, in the printed pack

    @property
    def answerable(self) -> bool:
        """Can an outcome still be recorded (not yet in a plan, an ordinance or done)?"""
        return self.match is None or self.match.stage in NEGOTIABLE


@dataclass
class BoardGroup:
    body: Body | None  # None: items no body present was asked
    rows: list[BoardRow]
    programmes: list[Programme] = field(default_factory=list)  # the body's, that year

    @property
    def asked(self) -> Decimal:
        return sum((r.item.amount_asked or r.item.cost for r in self.rows), Decimal(0))

    @property
    def accepted(self) -> Decimal:
        return sum(
            (
                r.match.amount or Decimal(0)
                for r in self.rows
                if r.match is not None and r.match.stage == Stage.ACCEPTED
            ),
            Decimal(0),
        )


def negotiation_board(user: object, reader: object | None, negotiation: Negotiation) -> list[BoardGroup]:
    """The items of a negotiation forum grouped by the body asked: every open item of
    the area asking the อปท. or agencies goes to each body present that it was matched
    to, whose programmes may pay for it, or — for an item asking the อปท. — that is a
    local government of its tambon; the rest stand apart. ``reader`` reads the evidence
    (``PUBLIC`` for the printed pack: the small-cell rule)."""
    area = negotiation.area
    inputs = match_inputs_for(user, area, negotiation.fiscal_year)
    bodies = list(negotiation.bodies.prefetch_related("tambons").order_by("kind", "name"))
    present = {b.pk: b for b in bodies}
    matches = {
        (m.item_id, m.body_id): m
        for m in Match.objects.filter(item__in=list(inputs.items), body__in=bodies).select_related("programme")
    }
    # Declined items may be taken up again; items answered here and done since are shown too.
    items = dict(inputs.items)
    items.update({i.pk: i for i in negotiable_items(user, area.code, negotiation.fiscal_year) if i.pk not in items})
    extra = {m.item_id for m in Match.objects.filter(negotiation=negotiation)} - set(items)
    items.update({i.pk: i for i in plan_items_qs_for_user(user).filter(pk__in=extra)})
    for m in Match.objects.filter(item__in=extra, body__in=bodies).select_related("programme"):
        matches[(m.item_id, m.body_id)] = m
    local = {b.pk: {t.code for t in b.tambons.all()} for b in bodies if b.kind == BodyKind.LOCAL_GOVERNMENT}
    groups: dict[int | None, list[BoardRow]] = {b.pk: [] for b in bodies}
    groups[None] = []
    evidence_of = {pk: item_evidence_views(reader, item) for pk, item in items.items()}
    for pk, item in items.items():
        placed = False
        for body_pk in present:
            suggested = [(p, inputs.caps[(pk, p.pk)]) for p in inputs.candidates(pk) if p.body_id == body_pk]
            asked_local = item.actor == PlanActor.LOCAL_GOVERNMENT and item.tambon_code in local.get(body_pk, set())
            match = matches.get((pk, body_pk))
            if match is None and not suggested and not asked_local:
                continue
            groups[body_pk].append(BoardRow(item, match, suggested, evidence_of[pk]))
            placed = True
        if not placed:
            groups[None].append(BoardRow(item, None, [], evidence_of[pk]))
    offered: dict[int, list[Programme]] = {}
    for p in programmes_of(area.province_code, negotiation.fiscal_year):
        offered.setdefault(p.body_id, []).append(p)
    out = [BoardGroup(present[pk], rows, offered.get(pk, [])) for pk, rows in groups.items() if pk is not None]
    if groups[None]:
        out.append(BoardGroup(None, groups[None]))
    return out


def ledger_for_user(user: object, area: Area, fiscal_year: int) -> list[Match]:
    """Every match of the items under ``area`` (the caller has scoped it) for a year, with
    its steps — the funding ledger. Aggregates only: items, bodies, amounts, dates."""
    return list(
        Match.objects.filter(area_code__startswith=area.code, fiscal_year=fiscal_year)
        .select_related("item", "body", "programme")
        .prefetch_related("steps__by")
        .order_by("area_code", "item_id", "body__name")
    )


# --- the budget calendar -----------------------------------------------------------------

LOCAL_GOVERNMENT_FALLBACK = "อปท. ของตำบล"


def local_governments_of(tambon_code: str) -> list[Body]:
    return list(
        Body.objects.filter(kind=BodyKind.LOCAL_GOVERNMENT, tambons__code=tambon_code).order_by("name").distinct()
    )


def calendars_for_tambon(tambon_code: str, fiscal_year: int) -> list[Calendar]:
    """The budget calendar of each local government of the tambon for the year: its own
    dates where saved, otherwise the regulation's. A tambon whose local government is
    not recorded yet gets the defaults under a generic name (body 0)."""
    bodies: list[Body | None] = [*local_governments_of(tambon_code)]
    saved = {c.body_id: c for c in BudgetCalendar.objects.filter(body__in=bodies, fiscal_year=fiscal_year)}
    out = []
    for body in bodies or [None]:
        row = saved.get(body.pk) if body is not None else None
        dates = (
            {k: getattr(row, k) for k in calendar.DEFAULTS} if row is not None else calendar.default_dates(fiscal_year)
        )
        out.append(
            Calendar(
                body_id=body.pk if body is not None else 0,
                body_name=body.name if body is not None else LOCAL_GOVERNMENT_FALLBACK,
                fiscal_year=fiscal_year,
                plan_amended_by=dates["plan_amended_by"],
                draft_to_council_by=dates["draft_to_council_by"],
                council_by=dates["council_by"],
                starts_on=dates["starts_on"],
                note=row.note if row is not None else "",
                configured=row is not None,
            )
        )
    return out


IN_PLAN = (Status.IN_LOCAL_PLAN, Status.FUNDED, Status.DONE)
IN_BUDGET = (Status.FUNDED, Status.DONE)


def _due(item: PlanItem, fiscal_year: int, step: str, on: dt.date, body: str, reached: bool,
         programme: str = "") -> Due:  # fmt: skip
    return Due(item_id=item.pk, title=item.title, village_code=item.village_code, fiscal_year=fiscal_year, step=step,
               on=on, body=body, programme=programme, reached=reached)  # fmt: skip


def dues_for_user(user: object, area: Area, fiscal_year: int) -> list[Due]:
    """Every step the open items under ``area`` (a tambon, or a district or province: the
    tambons under it) of ``fiscal_year`` must pass, by when, and whether they have."""
    inputs = match_inputs_for(user, area, fiscal_year)
    items = inputs.items
    matches: dict[int, list[Match]] = {}
    for m in Match.objects.filter(item__in=list(items)).select_related("body"):
        matches.setdefault(m.item_id, []).append(m)
    calendars: dict[str, list[Calendar]] = {}
    out: list[Due] = []
    for pk, item in items.items():
        mine = matches.get(pk, [])
        if item.actor == PlanActor.LOCAL_GOVERNMENT and item.tambon_code:
            if item.tambon_code not in calendars:
                calendars[item.tambon_code] = calendars_for_tambon(item.tambon_code, fiscal_year)
            for cal in calendars[item.tambon_code]:
                in_plan = item.status in IN_PLAN or bool(item.local_plan_years)
                in_budget = item.status in IN_BUDGET or any(
                    m.body_id == cal.body_id and m.stage in IN_ORDINANCE for m in mine
                )
                out.append(_due(item, fiscal_year, "plan_amended_by", cal.plan_amended_by, cal.body_name, in_plan))
                out.append(
                    _due(item, fiscal_year, "draft_to_council_by", cal.draft_to_council_by, cal.body_name, in_budget)
                )
        # A request to each body whose programme could pay, by its earliest deadline.
        earliest: dict[int, tuple[dt.date, Programme]] = {}
        for programme in inputs.candidates(pk):
            if programme.request_deadline is None or programme.body.kind == BodyKind.LOCAL_GOVERNMENT:
                continue
            best = earliest.get(programme.body_id)
            if best is None or programme.request_deadline < best[0]:
                earliest[programme.body_id] = (programme.request_deadline, programme)
        for body_id, (on, programme) in earliest.items():
            asked = any(m.body_id == body_id and m.stage != Stage.SUGGESTED for m in mine)
            out.append(_due(item, fiscal_year, "request", on, programme.body.name, asked, programme=programme.code))
    return sorted(out, key=lambda d: (d.on, d.village_code, d.item_id, d.step))


@dataclass(frozen=True)
class CalendarSummary:
    today: dt.date
    years: tuple[int, int]  # the fiscal year under way and the one being budgeted
    next_on: dt.date | None
    next_steps: list[Due]  # not yet reached, due on the next deadline
    late: list[Due]
    upcoming: list[Due]  # not yet reached, due later
    calendars: list[Calendar]


def calendar_summary_for_user(user: object, area: Area, today: dt.date) -> CalendarSummary:
    """The next deadline of ``area``'s items and the steps due by then, and the steps
    already late, over the fiscal year under way and the one being budgeted."""
    current = fiscal_year_of(today)
    dues = [d for year in (current, current + 1) for d in dues_for_user(user, area, year)]
    pending = [d for d in dues if not d.reached and d.on >= today]
    calendars = calendars_for_tambon(area.code, current + 1) if area.level == "tambon" else []
    dates = [d.on for d in pending] or [on for c in calendars for _key, on in c.dates() if on >= today]
    next_on = min(dates) if dates else None
    return CalendarSummary(
        today=today,
        years=(current, current + 1),
        next_on=next_on,
        next_steps=[d for d in pending if d.on == next_on],
        late=[d for d in dues if d.late(today)],
        upcoming=[d for d in pending if d.on != next_on],
        calendars=calendars,
    )


# --- seed 001 indicator 5.3.2: plan projects funded by the local government and by others ---

# A match has brought money when the local government's budget ordinance holds it (its
# money is committed there), or when another body has accepted it (an agency, the
# province, CODI or a fund commits its own budget by accepting; it passes no ordinance).
LOCAL_FUNDED = IN_ORDINANCE
OTHER_FUNDED = AFTER_ACCEPTANCE


@dataclass(frozen=True)
class FundedShare:
    """Of an area's plan projects (items asking the อปท. or agencies, one for a gathered
    set), how many received budget from the local government, from others, from
    either, and how many are funded with no source recorded (their status set by hand)."""

    area_code: str
    projects: int
    by_local: int
    by_others: int
    by_either: int
    unrecorded: int

    @staticmethod
    def _share(n: int, d: int) -> Decimal | None:
        return (Decimal(n) / d).quantize(Decimal("0.0001")) if d else None

    @property
    def local_share(self) -> Decimal | None:
        return self._share(self.by_local, self.projects)

    @property
    def others_share(self) -> Decimal | None:
        return self._share(self.by_others, self.projects)

    @property
    def either_share(self) -> Decimal | None:
        return self._share(self.by_either, self.projects)


def funded_shares_for_user(user: object, area: Area, fiscal_year: int) -> tuple[FundedShare, list[FundedShare]]:
    """Indicator 5.3.2 of ``area`` for a fiscal year, in all and by the area's children
    (a tambon's own items under the tambon's code), computed from the recorded outcomes."""
    items = list(
        plan_items_under(user, area.code, fiscal_year)
        .filter(actor__in=ASKING, merged_into__isnull=True)
        .values_list("pk", "status", "district_code", "tambon_code", "village_code")
    )
    local: set[int] = set()
    others: set[int] = set()
    for item_id, kind, stage in Match.objects.filter(item_id__in=[i[0] for i in items]).values_list(
        "item_id", "body__kind", "stage"
    ):
        if kind == BodyKind.LOCAL_GOVERNMENT and stage in LOCAL_FUNDED:
            local.add(item_id)
        elif kind != BodyKind.LOCAL_GOVERNMENT and stage in OTHER_FUNDED:
            others.add(item_id)
    depth = {"province": 2, "district": 3, "tambon": 4}.get(area.level)  # the child's column
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk, status, district, tambon, village in items:
        child = (district, tambon, village)[depth - 2] if depth else area.code
        groups.setdefault(child or area.code, []).append((pk, status))
    groups["__all__"] = [(pk, status) for pk, status, *_ in items]

    def share(code: str, rows: list[tuple[int, str]]) -> FundedShare:
        ids = {pk for pk, _ in rows}
        funded_by_hand = {pk for pk, status in rows if status in IN_BUDGET}
        return FundedShare(
            area_code=code, projects=len(rows), by_local=len(ids & local), by_others=len(ids & others),
            by_either=len(ids & (local | others)), unrecorded=len(funded_by_hand - local - others),
        )  # fmt: skip

    total = share(area.code, groups.pop("__all__"))
    return total, [share(code, rows) for code, rows in sorted(groups.items())]


# --- what changed ------------------------------------------------------------------------


def item_started_on(item: PlanItem) -> dt.date | None:
    """The day an item started: money disbursed to it by a body (the ledger), else its
    last step done, else the day its status first reached done (a self-help item)."""
    steps = MatchStep.objects.filter(match__item=item)
    for stage in (Stage.DISBURSED, Stage.DONE):
        on = steps.filter(stage=stage).order_by("on").values_list("on", flat=True).first()
        if on is not None:
            return on
    return item_reached_on(item, [Status.DONE])


# --- the agency's view: the demand its programmes could meet --------------------------------


@dataclass(frozen=True)
class DemandRow:
    """The open items of one tambon that one programme could pay for (aggregates)."""

    programme: Programme | None  # None: items asking agencies that no programme takes
    tambon_code: str
    items: int
    households: int
    asked: Decimal
    with_evidence: int


def agency_demand_for_user(user: object, area: Area, fiscal_year: int, body_id: int | None = None) -> list[DemandRow]:
    """The demand under ``area`` in ``fiscal_year`` that the programmes (of one body, or
    every body) could meet, by programme and tambon: items, the households they serve, the
    amounts asked and how many carry evidence; and the items asking agencies that no
    programme takes. Aggregates only — no household is named."""
    inputs = match_inputs_for(user, area, fiscal_year)
    evidenced = items_with_evidence(inputs.items)
    groups: dict[tuple[int | None, str], list[PlanItem]] = {}
    for item_pk, programme_pk in inputs.eligible:
        programme = inputs.programmes[programme_pk]
        if body_id is not None and programme.body_id != body_id:
            continue
        item = inputs.items[item_pk]
        groups.setdefault((programme_pk, item.tambon_code or item.district_code or area.code), []).append(item)
    if body_id is None:
        taken = {i for i, _p in inputs.eligible}
        for pk, item in inputs.items.items():
            if pk not in taken and item.actor == PlanActor.AGENCY:
                groups.setdefault((None, item.tambon_code or item.district_code or area.code), []).append(item)
    rows = [
        DemandRow(
            programme=inputs.programmes[p] if p is not None else None,
            tambon_code=tambon,
            items=len(items),
            households=sum(i.households for i in items),
            asked=sum((i.amount_asked or i.cost for i in items), Decimal(0)),
            with_evidence=sum(1 for i in items if i.pk in evidenced),
        )
        for (p, tambon), items in groups.items()
    ]
    return sorted(rows, key=lambda r: (r.programme is None, r.programme.code if r.programme else "", r.tambon_code))

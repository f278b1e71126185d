"""The printed plan as data: the cover (the plan's weight, what each actor carries), the
problems with the evidence they rest on, the four actors' blocks of items, and the
items asking the local government as the rows of its project form (แบบ ผ.02).

A printed plan is handed out at the village forum and to the อปท. council, so it is
always the public copy: it is read as :data:`PUBLIC` reads it — every area's
aggregates, no person — so evidence follows the small-cell rule whoever prints it
(a value behind 1–4 households, when cited or today, is a dash), and no household is
named. The names it prints are the items' owners and teams, which are public plan data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chumchon.access.models import Action
from chumchon.access.scope import PUBLIC
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Level, Zone
from chumchon.areas.selectors import area_ancestors, areas_by_code
from chumchon.core.pinned import versions_pinned
from chumchon.core.qr import LiveLink, live_link
from chumchon.core.thai import Month, fiscal_year_months, format_date, format_datetime
from chumchon.plans import selectors
from chumchon.plans.models import Actor as Who
from chumchon.plans.models import ItemPerson, PlanItem, Status
from chumchon.plans.models import Level as PlanLevel
from chumchon.plans.selectors import AreaPlan, EvidenceView
from chumchon.registry.selectors import SMALL_CELL

DASH = "–"
# The four blocks, in the order of seed 001:142.
ACTORS = (Who.HOUSEHOLD, Who.GROUP, Who.LOCAL_GOVERNMENT, Who.AGENCY)
ASKING = frozenset({Who.LOCAL_GOVERNMENT, Who.AGENCY})
# The อปท.'s five-year local development plans run 2561–2565, 2566–2570, 2571–2575 …
LOCAL_PLAN_FIRST_YEAR = 2561
LOCAL_PLAN_YEARS = 5


class NothingToPrint(LookupError):
    """The area has no plan and no item for the fiscal year."""


def local_plan_years(fiscal_year: int) -> tuple[int, ...]:
    """The years of the local development plan a fiscal year falls in: 2567 → 2566–2570."""
    first = LOCAL_PLAN_FIRST_YEAR + (fiscal_year - LOCAL_PLAN_FIRST_YEAR) // LOCAL_PLAN_YEARS * LOCAL_PLAN_YEARS
    return tuple(range(first, first + LOCAL_PLAN_YEARS))


def format_baht(value: Decimal | None) -> str:
    """``50,000`` (satang only when there are any); a dash for "not shown"."""
    if value is None:
        return DASH
    places = 0 if value == value.to_integral_value() else 2
    return f"{value:,.{places}f}"


def _households_text(n: int | None) -> str:
    if n is None or 0 < n < SMALL_CELL:
        return DASH
    return _("%(n)s households") % {"n": f"{n:,}"}


@dataclass(frozen=True)
class EvidenceLine:
    label: str
    area_name: str
    span: str
    cited: str  # as printed: the value and its unit, or a dash
    now: str
    households: str  # behind the value when cited, or a dash
    via: str
    is_figure: bool
    source: str = ""  # other data: where it comes from, and its date
    bar_cited: Decimal | None = None  # % of the row's scale (the larger of the two)
    bar_now: Decimal | None = None
    live: LiveLink | None = None  # the live figure (the dashboard of its area and span)

    @property
    def hidden(self) -> bool:
        return self.is_figure and self.cited == DASH and self.now == DASH


@dataclass(frozen=True)
class Problem:
    text: str
    items: tuple[tuple[str, str], ...]  # (item title, who acts)
    evidence: tuple[EvidenceLine, ...]

    @property
    def figures(self) -> tuple[EvidenceLine, ...]:
        return tuple(e for e in self.evidence if e.is_figure)

    @property
    def other(self) -> tuple[EvidenceLine, ...]:
        return tuple(e for e in self.evidence if not e.is_figure)


@dataclass(frozen=True)
class ItemLine:
    pk: int
    number: int
    title: str
    actor: str
    problem: str
    place: str  # the area of the item's plan, when it is a plan under this one
    tambon_code: str
    households: int
    cost: Decimal
    amount_asked: Decimal
    status: str
    status_label: str
    status_reason: str
    owner: str
    team: tuple[str, ...]
    group: str
    evidence: tuple[EvidenceLine, ...]
    local_plan: str  # where the อปท.'s plan took it: "2566–2570, โครงการที่ 12"
    gathered_into: str = ""  # the title of the item (listed here too) that gathered this one
    fiscal_year: int = 0

    @property
    def counted(self) -> bool:
        """In the totals: not declined, and not already counted in the item that gathered it."""
        return self.status != Status.DECLINED and not self.gathered_into

    @property
    def cost_text(self) -> str:
        return format_baht(self.cost)

    @property
    def asked_text(self) -> str:
        return format_baht(self.amount_asked)


@dataclass(frozen=True)
class ActorBlock:
    actor: str
    title: str
    lead: str
    items: tuple[ItemLine, ...]

    @property
    def asks(self) -> bool:
        return self.actor in ASKING

    @property
    def counted(self) -> list[ItemLine]:
        return [i for i in self.items if i.counted]

    @property
    def cost(self) -> Decimal:
        return sum((i.cost for i in self.counted), Decimal(0))

    @property
    def asked(self) -> Decimal:
        return sum((i.amount_asked for i in self.counted), Decimal(0))

    @property
    def households(self) -> int:
        return sum(i.households for i in self.counted)

    @property
    def has_places(self) -> bool:
        return any(i.place for i in self.items)

    @property
    def cost_text(self) -> str:
        return format_baht(self.cost)

    @property
    def asked_text(self) -> str:
        return format_baht(self.asked)


@dataclass(frozen=True)
class SummaryRow:
    title: str
    items: int
    cost: str
    asked: str
    bar: Decimal  # the cost as % of the largest block's


@dataclass(frozen=True)
class PlanReport:
    area: Area
    area_code: str
    area_name: str
    level: str
    level_label: str
    place: str  # the areas above
    fiscal_year: int
    lang: str
    title: str
    vision: str
    target_year: int | None
    period: str  # "2567–2570" for a plan of several years
    weight: tuple[tuple[str, str], ...]  # (what, how much), as printed
    certifications: tuple[str, ...]
    summary: tuple[SummaryRow, ...]
    total_cost: str
    total_asked: str
    problems: tuple[Problem, ...]
    blocks: tuple[ActorBlock, ...]
    generated_at: dt.datetime
    generated_label: str
    live: LiveLink  # the area's dashboard for the fiscal year
    has_plan: bool = True  # the area has a plan of its own that year (else: the items under it)
    tambon_names: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # code: (tambon, district, province)
    zone_id: int | None = None  # the plan of a zone of the province ``area``

    @property
    def filename_stem(self) -> str:
        if self.zone_id is not None:
            return f"plan-zone{self.zone_id}-{self.fiscal_year}"
        return f"plan-{self.area_code}-{self.fiscal_year}"

    @property
    def year_label(self) -> str:
        return _("Fiscal year %(year)s") % {"year": self.fiscal_year}

    @property
    def item_count(self) -> int:
        return sum(len(b.items) for b in self.blocks)

    def block(self, actor: str) -> ActorBlock:
        return next(b for b in self.blocks if b.actor == actor)

    @property
    def local_government_items(self) -> list[ItemLine]:
        """The items asking the อปท. that go on its project form: not declined, and not
        already part of another item listed here."""
        return self.block(Who.LOCAL_GOVERNMENT).counted


# --- building -------------------------------------------------------------------------


def _span_months(view: EvidenceView) -> tuple[Month, Month] | None:
    e = view.evidence
    if e.start is None or e.end is None:
        return None
    return Month.of(e.start), Month.of(e.end)


def _dashboard_link(area_code: str, start: Month, end: Month) -> LiveLink:
    return live_link(reverse("insights:dashboard", args=[area_code]), {"from": start.iso(), "to": end.iso()})


def _bars(cited: Decimal | None, now: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    values = [v for v in (cited, now) if v is not None]
    if not values or any(v < 0 for v in values):
        return None, None
    top = max(values)
    if top == 0:
        return (Decimal(0) if cited is not None else None), (Decimal(0) if now is not None else None)

    def share(v: Decimal | None) -> Decimal | None:
        return None if v is None else (v * 100 / top).quantize(Decimal("0.1"))

    return share(cited), share(now)


def evidence_line(view: EvidenceView) -> EvidenceLine:
    e = view.evidence
    if not e.is_figure:
        source = ", ".join(p for p in (e.source, format_date(e.dated) if e.dated else "") if p)
        return EvidenceLine(
            label=view.label, area_name=view.area_name, span=view.span, cited=e.value_text or DASH, now="",
            households=_households_text(view.households) if view.households is not None else "",
            via=view.via, is_figure=False, source=source,
        )  # fmt: skip
    months = _span_months(view)
    bar_cited, bar_now = _bars(view.value_cited, view.value_now)
    return EvidenceLine(
        label=view.label,
        area_name=view.area_name,
        span=view.span,
        cited=view.cited_text if view.value_cited is not None else DASH,
        now=view.now_text if view.value_now is not None else DASH,
        households=_households_text(view.households),
        via=view.via,
        is_figure=True,
        bar_cited=bar_cited,
        bar_now=bar_now,
        live=_dashboard_link(e.area_code, *months) if months else None,
    )


def _owner(item: PlanItem) -> tuple[str, tuple[str, ...]]:
    people = list(item.people.all())
    main = next((p.name for p in people if p.role == ItemPerson.Role.MAIN), "")
    return main, tuple(p.name for p in people if p.role == ItemPerson.Role.TEAM)


def _local_plan(item: PlanItem) -> str:
    parts = []
    if item.local_plan_years:
        parts.append(_("local development plan %(years)s") % {"years": item.local_plan_years})
    if item.local_plan_project_no:
        parts.append(_("project no. %(no)s") % {"no": item.local_plan_project_no})
    return ", ".join(parts)


def _item_lines(ap: AreaPlan, actor: str, titles: dict[int, str]) -> tuple[ItemLine, ...]:
    out = []
    for n, item in enumerate(ap.by_actor.get(actor, []), start=1):
        owner, team = _owner(item)
        evidence = tuple(evidence_line(v) for v in selectors.item_evidence_views(PUBLIC, item))
        here = item.plan.area_id == ap.area.code and item.plan.zone_id is None
        out.append(
            ItemLine(
                pk=item.pk,
                number=n,
                title=item.title,
                actor=actor,
                problem=item.problem_text,
                place="" if here else item.plan.area.display_name,
                tambon_code=item.tambon_code,
                households=item.households,
                cost=item.cost,
                amount_asked=item.amount_asked,
                status=item.status,
                status_label=str(Status(item.status).label),
                status_reason=item.status_reason,
                owner=owner,
                team=team,
                group=item.group.name if item.group_id and item.group else item.group_name,
                evidence=evidence,
                local_plan=_local_plan(item),
                gathered_into=titles.get(item.merged_into_id or 0, ""),
                fiscal_year=item.fiscal_year,
            )
        )
    return tuple(out)


def _problems(blocks: Iterable[ActorBlock]) -> tuple[Problem, ...]:
    """One entry per problem an item answers (its text; an item without one stands for
    its own), with the items answering it and the evidence they rest on, each once."""
    groups: dict[str, tuple[list[tuple[str, str]], dict[tuple[str, str, str, str], EvidenceLine]]] = {}
    for block in blocks:
        for item in block.items:
            if not item.evidence and not item.problem:
                continue
            key = " ".join((item.problem or item.title).split())
            titles, evidence = groups.setdefault(key, ([], {}))
            titles.append((item.title, block.title))
            for e in item.evidence:
                evidence.setdefault((e.label, e.area_name, e.span, e.cited), e)
    return tuple(Problem(text=k, items=tuple(t), evidence=tuple(ev.values())) for k, (t, ev) in groups.items())


def _weight(ap: AreaPlan) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    w = ap.weight
    rows = [
        (_("Items with evidence"), _("%(n)s of %(total)s") % {"n": w.items_with_evidence, "total": w.items}),
        (_("Figures of the household accounts cited"), f"{w.figures_cited:,}"),
        (_("Households whose accounts the figures are made of"), _households_text(w.households_covered)),
        (_("Months of accounts the figures span"), f"{w.months_covered:,}"),
        (
            _("Households verified on the ground"),
            DASH if w.verified_share is None else f"{(w.verified_share * 100).quantize(Decimal('0.1'))}%",
        ),
        (_("Other data cited (surveys, documents)"), f"{w.other_data:,}"),
    ]
    if w.other_households:
        rows.append((_("Households the other data covers"), _households_text(w.other_households)))
    certs = tuple(f"{c.by_name} ({c.get_by_kind_display()}), {format_date(c.certified_on)}" for c in w.certifications)
    return tuple(rows), certs


def _summary(blocks: tuple[ActorBlock, ...]) -> tuple[SummaryRow, ...]:
    top = max((b.cost for b in blocks), default=Decimal(0))
    return tuple(
        SummaryRow(
            title=b.title,
            items=len(b.items),
            cost=format_baht(b.cost),
            asked=format_baht(b.asked) if b.asks else "",
            bar=(b.cost * 100 / top).quantize(Decimal("0.1")) if top else Decimal(0),
        )
        for b in blocks
    )


LEADS = {
    Who.HOUSEHOLD: lambda: _("What households will do themselves, with what they have."),
    Who.GROUP: lambda: _("What households will do together, as a group or a community organisation."),
    Who.LOCAL_GOVERNMENT: lambda: _(
        "What the community asks the local government (อปท.) to do with it: for its local development plan."
    ),
    Who.AGENCY: lambda: _("What the community asks government agencies to help with."),
}


@versions_pinned()
def plan_report_build(area: Area, fiscal_year: int, *, lang: str = "th", zone: Zone | None = None) -> PlanReport:
    """The printed plan of ``area`` (scoped by the caller), or of ``zone`` of that
    province, for ``fiscal_year`` (BE): the public copy. :class:`NothingToPrint` when
    there is no plan and no item that year."""
    lang = "en" if lang == "en" else "th"
    with translation.override(lang):
        return _build(area, fiscal_year, lang, zone)


def _build(area: Area, fiscal_year: int, lang: str, zone: Zone | None) -> PlanReport:
    if zone is not None:
        ap = selectors.zone_plan_for_user(PUBLIC, zone, fiscal_year)
    else:
        ap = selectors.area_plan_for_user(PUBLIC, area, fiscal_year)
    if ap.plan is None and not ap.by_actor:
        raise NothingToPrint(area.code)
    every = [i for items in ap.by_actor.values() for i in items]
    titles = {i.pk: i.title for i in every}
    blocks = tuple(
        ActorBlock(actor=a, title=str(a.label), lead=str(LEADS[a]()), items=_item_lines(ap, a, titles)) for a in ACTORS
    )
    weight, certs = _weight(ap)
    plan = ap.plan
    period = ""
    if plan is not None and plan.period_end and plan.period_end != plan.fiscal_year:
        period = f"{plan.fiscal_year}–{plan.period_end}"
    now = timezone.localtime()
    ancestors = area_ancestors(area)
    counted = [i for b in blocks for i in b.counted]
    months = fiscal_year_months(fiscal_year)
    return PlanReport(
        area=area,
        area_code=area.code,
        area_name=ap.name,
        level=PlanLevel.ZONE if zone else area.level,
        level_label=str(PlanLevel.ZONE.label if zone else Level(area.level).label),
        place=(", " if lang == "en" else " ").join(a.display_name for a in reversed(ancestors)),
        fiscal_year=fiscal_year,
        lang=lang,
        title=(plan.title if plan and plan.title else _("Community plan")),
        vision=plan.vision if plan else "",
        target_year=plan.target_year if plan else None,
        period=period,
        weight=weight,
        certifications=certs,
        summary=_summary(blocks),
        total_cost=format_baht(sum((i.cost for i in counted), Decimal(0))),
        total_asked=format_baht(sum((i.amount_asked for i in counted if i.actor in ASKING), Decimal(0))),
        problems=_problems(blocks),
        blocks=blocks,
        generated_at=now,
        generated_label=format_datetime(now, lang=lang),
        live=_dashboard_link(area.code, months[0], months[-1]),
        has_plan=plan is not None,
        tambon_names=_tambon_names(area, blocks),
        zone_id=zone.pk if zone else None,
    )


def _tambon_names(area: Area, blocks: Iterable[ActorBlock]) -> dict[str, tuple[str, str, str]]:
    """The bare names (as the อปท.'s form writes them) of the tambon, district and
    province of each tambon whose items ask the local government; the code "" stands
    for the items of a plan above a tambon (the province's)."""
    codes = {i.tambon_code for b in blocks if b.actor == Who.LOCAL_GOVERNMENT for i in b.items}
    codes.add(area.tambon_code or "")
    wanted = {c for code in codes if code for c in (code, code[:4])} | {code[:2] for code in codes if code}
    names = {a.code: a.name_th for a in areas_by_code(wanted | {area.province_code}).values()}
    out: dict[str, tuple[str, str, str]] = {}
    for code in codes:
        if code:
            out[code] = (names.get(code, ""), names.get(code[:4], ""), names.get(code[:2], ""))
        else:
            out[code] = ("", "", names.get(area.province_code, ""))
    return out


def plan_report_record_export(*, actor: Actor, report: PlanReport, fmt: str, pages: int | None = None) -> None:
    """Audit one printed plan given out (a download, or a file the command line wrote)."""
    detail: dict[str, object] = {"fiscal_year": report.fiscal_year, "format": fmt}
    if pages is not None:
        detail["pages"] = pages
    audit_record(
        actor=actor, action=Action.EXPORT, object_type="plan_report", object_id=report.area_code,
        area_code=report.area_code, detail=detail,
    )  # fmt: skip

"""Reads of forums and plans, scoped.

Scope: forums, plans and items are read where the user reads aggregates
(``Scope.aggregate_q``); what is person-level about them — the households present at a
forum, the households that committed to an item — only where the user reads persons.
Evidence values follow the small-cell rule for aggregate-only readers
(``plans.figures``). "Not allowed" is the same answer as "does not exist".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, Zone, under_q
from chumchon.areas.selectors import areas_by_code, villages_of
from chumchon.core.thai import Month, months_between
from chumchon.insights.selectors import households_reporting
from chumchon.ledgers.selectors import household_months_reported
from chumchon.plans import figures
from chumchon.plans.models import (
    ASKING,
    Adoption,
    Certification,
    Evidence,
    Finding,
    Forum,
    ItemPerson,
    Level,
    Plan,
    PlanItem,
    Status,
)
from chumchon.registry.selectors import SMALL_CELL, verification_report_for_user


def _aggregate_q(user: object) -> Q:
    return scope_of(user).aggregate_q(village_field="village_code")


def forums_qs_for_user(user: object) -> QuerySet[Forum]:
    return Forum.objects.filter(_aggregate_q(user)).select_related("area", "zone")


def forum_get_for_user(user: object, pk: int) -> Forum:
    forum = forums_qs_for_user(user).filter(pk=pk).first()
    if forum is None:
        raise Http404
    return forum


def forum_households_present_for_user(user: object, forum: Forum) -> list[object]:
    """The households present: person-level, for readers of persons in the forum's area."""
    if not scope_of(user).can_read_persons_in(forum.area_id):
        return []
    return list(forum.households_present.select_related("village").order_by("village_id", "house_no"))


def plans_qs_for_user(user: object) -> QuerySet[Plan]:
    return Plan.objects.filter(_aggregate_q(user)).select_related("area", "zone")


def plan_get_for_user(user: object, pk: int) -> Plan:
    plan = plans_qs_for_user(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def plan_items_qs_for_user(user: object) -> QuerySet[PlanItem]:
    return (
        PlanItem.objects.filter(_aggregate_q(user))
        .select_related("plan", "plan__area", "group", "merged_into", "issue")
        .prefetch_related(
            Prefetch("people", queryset=ItemPerson.objects.order_by("role", "id")),
            "evidence",
            "problem__evidence",
            Prefetch("sources", queryset=PlanItem.objects.select_related("plan__area", "problem")),
            "sources__evidence",
            "sources__problem__evidence",
        )
    )


def plan_item_get_for_user(user: object, pk: int) -> PlanItem:
    item = plan_items_qs_for_user(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def plan_items_under(user: object, area_code: str, fiscal_year: int) -> QuerySet[PlanItem]:
    """The items of the plans of ``area_code`` and every area under it for a fiscal year
    (the contract's ``GET /api/plans``), in scope."""
    return (
        plan_items_qs_for_user(user)
        .filter(under_q(area_code), fiscal_year=fiscal_year)
        .order_by("village_code", "plan__level", "id")
    )


def asking_items_under(user: object, area_code: str, fiscal_year: int) -> QuerySet[PlanItem]:
    """The items under ``area_code`` of a fiscal year that ask the local government or
    agencies and are still open to funding — neither declined nor done, nor gathered into
    another item (which asks for them) — in scope, lean (no prefetch): the demand the
    programmes are matched to."""
    return (
        PlanItem.objects.filter(_aggregate_q(user))
        .filter(under_q(area_code), fiscal_year=fiscal_year, actor__in=ASKING, merged_into__isnull=True)
        .exclude(status__in=[Status.DECLINED, Status.DONE])
        .order_by("village_code", "tambon_code", "id")
    )


def item_committed_for_user(user: object, item: PlanItem) -> list[object]:
    if not scope_of(user).can_read_persons_in(item.plan.area_id):
        return []
    return list(item.committed.select_related("village").order_by("village_id", "house_no"))


# --- evidence ------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceView:
    evidence: Evidence
    label: str
    area_name: str
    span: str  # "ม.ค. 2567 – ธ.ค. 2567"
    unit: str
    value_cited: Decimal | None  # None: hidden from this reader
    value_now: Decimal | None
    cited_text: str
    now_text: str
    households: int | None  # behind the value when cited (None: hidden)
    via: str = ""  # where it came from: the problem, or a source item (gathered)

    @property
    def changed(self) -> bool:
        return self.value_cited is not None and self.value_now is not None and self.value_cited != self.value_now


def _months(e: Evidence) -> tuple[Month, Month]:
    if e.start is None or e.end is None:  # a figure's evidence always has both (a constraint)
        raise ValueError(e.pk)
    return Month.of(e.start), Month.of(e.end)


def evidence_views(user: object | None, evidence: Iterable[tuple[Evidence, str]]) -> list[EvidenceView]:
    """Each piece of evidence as ``user`` may see it (``None``: unscoped), today's value
    beside the one cited. For an aggregate-only reader a value is hidden when today's
    computation hides it, or when it stood on 1–4 households when cited."""
    rows = list(evidence)
    areas = areas_by_code({e.area_code for e, _ in rows if e.area_code})
    scope = scope_of(user) if user is not None else None
    out: list[EvidenceView] = []
    memo: dict[tuple[str, str, str, str, str], figures.FigureValue] = {}
    sets: figures.StandardSets = {}  # two figures of one village and span: one computation
    for e, via in rows:
        if not e.figure:
            out.append(
                EvidenceView(
                    evidence=e, label=e.title, area_name=e.coverage, span=_date_text(e.dated), unit="",
                    value_cited=None, value_now=None, cited_text=e.value_text, now_text="", households=e.households_covered,
                    via=via,
                )
            )  # fmt: skip
            continue
        area = areas.get(e.area_code)
        spec = figures.FIGURES.get(e.figure)
        if area is None or spec is None:
            continue
        start, end = _months(e)
        key = (e.area_code, start.iso(), end.iso(), e.figure, e.category)
        if key not in memo:
            memo[key] = figures.figure_value(user, area, start, end, e.figure, e.category or None, sets=sets)
        now = memo[key]
        persons = scope is None or scope.can_read_persons_in(area.code)
        small_then = e.households_cited is not None and 0 < e.households_cited < SMALL_CELL
        cited = e.value_cited if persons or not (now.hidden or small_then) else None
        out.append(
            EvidenceView(
                evidence=e,
                label=_figure_label(spec, e.category),
                area_name=area.display_name,
                span=start.label(full=False)
                if start == end
                else f"{start.label(full=False)} – {end.label(full=False)}",
                unit=spec.unit,
                value_cited=cited,
                value_now=now.value,
                cited_text=figures.value_unit_text(cited, spec.unit),
                now_text=figures.value_unit_text(now.value, spec.unit),
                households=e.households_cited if cited is not None else None,
                via=via,
            )
        )
    return out


def _date_text(day: dt.date | None) -> str:
    from chumchon.core.thai import format_date

    return format_date(day) if day else ""


def _figure_label(spec: figures.FigureDef, category: str) -> str:
    if not category:
        return str(spec.label)
    from chumchon.ledgers.selectors import category_kinds
    from chumchon.registry.models import OccupationGroup

    if spec.key == "by_category":
        cat = category_kinds().by_code.get(category)
        return f"{spec.label}: {cat.name_th if cat else category}"
    if spec.key == "occupation":
        return f"{spec.label}: {OccupationGroup(category).label if category in OccupationGroup.values else category}"
    return f"{spec.label}: {category}"


def item_evidence(item: PlanItem) -> list[tuple[Evidence, str]]:
    """An item's evidence: its own, its problem's, and that of every item gathered into
    it (recursively), each with where it came from. Reads what
    ``plan_items_qs_for_user`` prefetched (an item's evidence, its problem's, its sources')."""
    out: list[tuple[Evidence, str]] = [(e, "") for e in item.evidence.all()]
    if item.problem is not None:
        out += [(e, "problem") for e in item.problem.evidence.all()]
    seen = {item.pk}

    def gather(parent: PlanItem) -> None:
        for s in parent.sources.all():
            if s.pk in seen:
                continue
            seen.add(s.pk)
            via = f"{s.plan.area.display_name}: {s.title}"
            out.extend((e, via) for e in s.evidence.all())
            if s.problem is not None:
                out.extend((e, via) for e in s.problem.evidence.all())
            gather(s)

    gather(item)
    return out


def item_evidence_views(user: object | None, item: PlanItem) -> list[EvidenceView]:
    return evidence_views(user, item_evidence(item))


def finding_evidence_views(user: object | None, finding: Finding) -> list[EvidenceView]:
    return evidence_views(user, [(e, "") for e in finding.evidence.all()])


# --- the plan's weight ---------------------------------------------------------------


@dataclass(frozen=True)
class PlanWeight:
    """How much data the plan stands on, said plainly (no invented score)."""

    items: int
    items_with_evidence: int
    figures_cited: int
    other_data: int
    households_covered: int | None  # households whose accounts the cited figures are made of (None: hidden)
    months_covered: int  # months of the cited spans in which the cited areas' households kept accounts
    verified_share: Decimal | None  # of the registered households of the cited areas, verified on the ground
    other_households: int  # households the other data says it covers
    certifications: list[Certification] = field(default_factory=list)

    @property
    def certified(self) -> bool:
        return bool(self.certifications)


def _top_areas(codes: Iterable[str]) -> list[str]:
    codes = sorted(set(codes))
    return [c for c in codes if not any(o != c and c.startswith(o) for o in codes)]


def plan_weight(
    user: object | None,
    items: list[PlanItem],
    certifications: list[Certification],
    evidence_by_item: dict[int, list[tuple[Evidence, str]]] | None = None,
) -> PlanWeight:
    if evidence_by_item is None:
        evidence_by_item = {item.pk: item_evidence(item) for item in items}
    else:
        evidence_by_item = {item.pk: evidence_by_item[item.pk] for item in items}
    cited = [e for rows in evidence_by_item.values() for e, _ in rows if e.figure]
    other = [e for rows in evidence_by_item.values() for e, _ in rows if not e.figure]
    months: set[dt.date] = set()
    spans: dict[str, tuple[Month, Month]] = {}
    for e in cited:
        start, end = _months(e)
        lo, hi = spans.get(e.area_code, (start, end))
        spans[e.area_code] = (min(lo, start), max(hi, end))
    households: int | None = 0
    verified = registered = 0
    scope = scope_of(user) if user is not None else None
    for code in _top_areas(spans):
        lo = min(spans[c][0] for c in spans if c.startswith(code))
        hi = max(spans[c][1] for c in spans if c.startswith(code))
        n = households_reporting(code, lo, hi)[0]
        # the months of the cited spans in which the area's households kept accounts
        months.update(household_months_reported(code, lo, hi).order_by().values_list("month", flat=True).distinct())
        if scope is not None and not scope.can_read_persons_in(code) and 0 < n < SMALL_CELL:
            households = None
        elif households is not None:
            households += n
        report = verification_report_for_user(user, code)
        verified += report.verified + report.newly_found
        registered += sum(v.households for v in report.villages)
    return PlanWeight(
        items=len(items),
        items_with_evidence=sum(1 for rows in evidence_by_item.values() if rows),
        figures_cited=len({e.pk for e in cited}),
        other_data=len({e.pk for e in other}),
        households_covered=households,
        months_covered=len(months),
        verified_share=(Decimal(verified) / registered).quantize(Decimal("0.0001")) if registered else None,
        other_households=sum(e.households_covered or 0 for e in {e.pk: e for e in other}.values()),
        certifications=certifications,
    )


# --- the plan of an area -------------------------------------------------------------


@dataclass(frozen=True)
class OwnerWarning:
    name: str
    main: int
    team: int


def owner_warnings(items: Iterable[PlanItem]) -> list[OwnerWarning]:
    """Amnat Charoen's rule (003:401-417): one main issue per person, at most one
    secondary. Names a person who owns more than one item, or is on more than one team."""
    main: Counter[str] = Counter()
    team: Counter[str] = Counter()
    for item in items:
        for p in item.people.all():
            (main if p.role == ItemPerson.Role.MAIN else team)[p.name] += 1
    names = sorted({n for n, c in main.items() if c > 1} | {n for n, c in team.items() if c > 1})
    return [OwnerWarning(n, main[n], team[n]) for n in names]


@dataclass(frozen=True)
class AreaPlan:
    area: Area  # a zone's plan: its province
    fiscal_year: int
    plan: Plan | None  # the area's own plan (None: none yet)
    items: list[PlanItem]  # of the area's own plan
    below: list[PlanItem]  # of the plans under it (villages of a tambon …)
    by_actor: dict[str, list[PlanItem]]  # every item (own and below), by who acts
    weight: PlanWeight
    warnings: list[OwnerWarning]
    issues: list[object]  # strategic issues of a higher plan
    evidence_counts: dict[int, int] = field(default_factory=dict)  # pieces of evidence by item id
    zone: Zone | None = None  # the plan of a zone of the province

    @property
    def name(self) -> str:
        if self.zone is not None:
            return f"{self.zone.name} · {self.area.display_name}"
        return self.area.display_name


def area_plan_for_user(user: object, area: Area, fiscal_year: int) -> AreaPlan:
    """The plan of an area (the caller has scoped ``area``) and the items under it."""
    plan = plans_qs_for_user(user).filter(area=area, zone__isnull=True, fiscal_year=fiscal_year).first()
    return _area_plan(user, area, fiscal_year, plan, list(plan_items_under(user, area.code, fiscal_year)))


def zone_plan_for_user(user: object, zone: Zone, fiscal_year: int) -> AreaPlan:
    """The plan of a zone of a province (the caller has scoped the province) and the
    items of the plans of its member districts and tambons, and what is under them."""
    province = zone.province
    plan = plans_qs_for_user(user).filter(zone=zone, fiscal_year=fiscal_year).first()
    under = Q(pk__in=[])
    for member in zone.members.all():
        under |= under_q(member.code)
    if plan is not None:
        under |= Q(plan=plan)
    every = list(
        plan_items_qs_for_user(user)
        .filter(under, fiscal_year=fiscal_year)
        .order_by("village_code", "plan__level", "id")
    )
    return _area_plan(user, province, fiscal_year, plan, every, zone=zone)


def _area_plan(
    user: object, area: Area, fiscal_year: int, plan: Plan | None, every: list[PlanItem], zone: Zone | None = None
) -> AreaPlan:
    own = [i for i in every if plan is not None and i.plan_id == plan.pk]
    below = [i for i in every if plan is None or i.plan_id != plan.pk]
    by_actor: dict[str, list[PlanItem]] = defaultdict(list)
    for item in every:
        by_actor[item.actor].append(item)
    certifications = list(plan.certifications.all()) if plan else []
    evidence = {item.pk: item_evidence(item) for item in every}
    return AreaPlan(
        area=area,
        fiscal_year=fiscal_year,
        plan=plan,
        items=own,
        below=below,
        by_actor=dict(by_actor),
        weight=plan_weight(user, own or every, certifications, evidence),
        warnings=owner_warnings(every),
        issues=list(plan.issues.prefetch_related("items")) if plan else [],
        evidence_counts={pk: len(rows) for pk, rows in evidence.items()},
        zone=zone,
    )


# --- forums of a tambon this month ---------------------------------------------------


@dataclass(frozen=True)
class VillageForum:
    village: Area
    forums: list[Forum]

    @property
    def met(self) -> bool:
        return bool(self.forums)


def tambon_forums_month(user: object, tambon: Area, month: Month) -> list[VillageForum]:
    """Which villages of the tambon held a forum on ``month``'s data (the pack they read)
    or in that month, and which did not."""
    forums = list(
        forums_qs_for_user(user)
        .filter(tambon_code=tambon.code, level=Level.VILLAGE)
        .filter(Q(month=month.first_day) | Q(held_on__gte=month.first_day, held_on__lte=month.last_day))
    )
    by_village: dict[str, list[Forum]] = defaultdict(list)
    for f in forums:
        by_village[f.village_code].append(f)
    return [VillageForum(v, by_village.get(v.code, [])) for v in villages_of(tambon.code)]


# --- demand across an area (agency officers) and adoption shares ---------------------


@dataclass(frozen=True)
class Demand:
    actor: str
    domain: str
    kind: str
    title: str  # a representative title
    villages: int
    items: int
    households: int
    amount: Decimal


def demand_for_user(user: object, area: Area, fiscal_year: int) -> list[Demand]:
    """What is asked of the local governments and agencies across ``area``: items of
    one actor, domain and kind summed ("27 villages ask for clean water, ฿…"), without
    a household."""
    return demand_of(plan_items_qs_for_user(user).filter(under_q(area.code), fiscal_year=fiscal_year))


def demand_of(items: Iterable[PlanItem]) -> list[Demand]:
    """The demand of some items (in scope): those asking the อปท. or agencies, neither
    gathered into another item nor declined, summed by actor, domain and kind."""
    groups: dict[tuple[str, str, str], list[PlanItem]] = defaultdict(list)
    for item in items:
        if item.actor in ASKING and item.merged_into_id is None and item.status != Status.DECLINED:
            groups[(item.actor, item.domain, item.kind)].append(item)
    out = []
    for (actor, domain, kind), rows in groups.items():
        titles = Counter(i.title for i in rows)
        out.append(
            Demand(
                actor=actor, domain=domain, kind=kind, title=titles.most_common(1)[0][0],
                villages=len({i.village_code for i in rows if i.village_code} | {i.tambon_code for i in rows if not i.village_code}),
                items=len(rows), households=sum(i.households for i in rows),
                amount=sum((i.amount_asked for i in rows), Decimal(0)),
            )
        )  # fmt: skip
    return sorted(out, key=lambda d: (-d.amount, d.actor, d.domain))


@dataclass(frozen=True)
class AdoptionShares:
    issues: int
    issues_included: int
    issues_related: int
    items: int
    items_included: int
    items_related: int
    items_in_local_plan: int

    def share(self, part: int, whole: int) -> Decimal | None:
        return (Decimal(part) / whole).quantize(Decimal("0.0001")) if whole else None

    @property
    def included_share(self) -> Decimal | None:
        """Of the people's provincial plan's strategic issues, the share บรรจุ (included)."""
        return self.share(self.issues_included, self.issues)

    @property
    def related_share(self) -> Decimal | None:
        """… and the share บรรจุ or เกี่ยวข้อง (included or related)."""
        return self.share(self.issues_included + self.issues_related, self.issues)


def adoption_shares_for_user(user: object, province: Area, fiscal_year: int) -> AdoptionShares:
    """Amnat Charoen's measure (003:383-385): how much of the people's provincial plan
    the official provincial development plan took, บรรจุ and เกี่ยวข้อง."""
    plan = (
        plans_qs_for_user(user)
        .filter(province_code=province.province_code, level__in=[Level.PROVINCE], fiscal_year__lte=fiscal_year)
        .filter(Q(period_end__gte=fiscal_year) | Q(fiscal_year=fiscal_year))
        .order_by("-fiscal_year")
        .first()
    )
    issues = list(plan.issues.all()) if plan else []
    items = plan_items_qs_for_user(user).filter(province_code=province.province_code, fiscal_year=fiscal_year)
    counts = items.aggregate(
        n=Count("id"),
        inc=Count("id", filter=Q(provincial_adoption=Adoption.INCLUDED)),
        rel=Count("id", filter=Q(provincial_adoption=Adoption.RELATED)),
        local=Count("id", filter=~Q(local_plan_project_no="")),
    )
    return AdoptionShares(
        issues=len(issues),
        issues_included=sum(1 for i in issues if i.adoption == Adoption.INCLUDED),
        issues_related=sum(1 for i in issues if i.adoption == Adoption.RELATED),
        items=counts["n"],
        items_included=counts["inc"],
        items_related=counts["rel"],
        items_in_local_plan=counts["local"],
    )


# --- what changed: an item's evidence before and after it started ------------------------

WINDOW = 6  # months compared on each side at most


@dataclass(frozen=True)
class BeforeAfter:
    label: str
    area_name: str
    unit: str
    before_span: str
    after_span: str
    before: Decimal | None  # None: hidden from this reader, or nothing to compute
    after: Decimal | None
    before_text: str
    after_text: str

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "–"
        return ("+" if change > 0 else "") + figures.value_unit_text(change, self.unit)


def _span_text(start: Month, end: Month) -> str:
    return start.label(full=False) if start == end else f"{start.label(full=False)} – {end.label(full=False)}"


def item_reached_on(item: PlanItem, statuses: Iterable[str]) -> dt.date | None:
    """The day the item's status first reached one of ``statuses`` (its history)."""
    at = item.changes.filter(to_status__in=list(statuses)).order_by("at").values_list("at", flat=True).first()
    return timezone.localtime(at).date() if at is not None else None


def before_after_for_user(
    user: object, item: PlanItem, started: Month, latest: Month, window: int = WINDOW
) -> tuple[int, list[BeforeAfter]]:
    """The figures the item cites (and its problem and sources cite), each over the same
    number of months before it started and from the month it started — at most
    ``window``, as many as the data has after (up to ``latest``). Returns the months
    compared (0: none yet after the start) and a row a distinct figure. Values as
    ``user`` may see them (the small-cell rule for aggregate readers); registry figures,
    which have no span, are left out."""
    after = months_between(started, latest)[:window]
    n = len(after)
    if n == 0:
        return 0, []
    before_start, before_end = started.add(-n), started.previous()
    after_start, after_end = after[0], after[-1]
    rows: list[BeforeAfter] = []
    seen: set[tuple[str, str, str]] = set()
    evidence = [e for e, _via in item_evidence(item) if e.figure]
    areas = areas_by_code({e.area_code for e in evidence})
    sets: figures.StandardSets = {}
    for e in evidence:
        key = (e.area_code, e.figure, e.category)
        spec = figures.FIGURES.get(e.figure)
        area = areas.get(e.area_code)
        if key in seen or spec is None or area is None or spec.family == "registry":
            continue
        seen.add(key)
        then = figures.figure_value(user, area, before_start, before_end, e.figure, e.category or None, sets=sets)
        now = figures.figure_value(user, area, after_start, after_end, e.figure, e.category or None, sets=sets)
        rows.append(
            BeforeAfter(
                label=_figure_label(spec, e.category), area_name=area.display_name, unit=spec.unit,
                before_span=_span_text(before_start, before_end), after_span=_span_text(after_start, after_end),
                before=then.value, after=now.value, before_text=figures.value_unit_text(then.value, spec.unit),
                after_text=figures.value_unit_text(now.value, spec.unit),
            )
        )  # fmt: skip
    return n, rows


def items_with_evidence(item_ids: Iterable[int]) -> set[int]:
    """Of ``item_ids``, the items citing evidence of their own or through their problem."""
    ids = list(item_ids)
    own = set(Evidence.objects.filter(item_id__in=ids).values_list("item_id", flat=True))
    via_problem = set(PlanItem.objects.filter(pk__in=ids, problem__evidence__isnull=False).values_list("pk", flat=True))
    return own | via_problem

"""The forum and plan pages (HTMX where a part loads into another page).

Every view scopes through the plans selectors and ``area_or_404``; writes go through
``plans.services`` (the write guard has already refused a role that may never write).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user, area_get_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.models import Area, Zone, under_q
from chumchon.areas.selectors import zone_by_id, zones_of_province
from chumchon.core.forms import errors_text
from chumchon.core.thai import Month, fiscal_year, to_be
from chumchon.plans import figures, selectors, services
from chumchon.plans.forms import (
    AdoptionForm,
    CertifyForm,
    CiteForm,
    FindingForm,
    ForumFileForm,
    ForumForm,
    IssueForm,
    ItemForm,
    MergeForm,
    OtherEvidenceForm,
    ProvincialForm,
    StatusForm,
)
from chumchon.plans.models import (
    ASKING,
    FISCAL_YEAR_MAX,
    FISCAL_YEAR_MIN,
    Actor,
    Finding,
    Forum,
    Level,
    Mechanism,
    PlanItem,
    Status,
)
from chumchon.registry.selectors import (
    current_month,
    household_heads_prefetch,
    households_in_area_for_user,
    organisations_in_tambon,
)

ACTOR_ORDER = [Actor.HOUSEHOLD, Actor.GROUP, Actor.LOCAL_GOVERNMENT, Actor.AGENCY]


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        return fiscal_year(timezone.localdate())
    return year if FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX else fiscal_year(timezone.localdate())


def _household_choices(request: HttpRequest, area: Area) -> list[tuple[int, str]]:
    if not scope_of(request.user).can_read_persons_in(area.code) or area.level != "village":
        return []
    rows = households_in_area_for_user(request.user, area.code).active().prefetch_related(household_heads_prefetch())
    out = []
    for h in rows.order_by("house_no")[:400]:
        head = h.heads[0] if getattr(h, "heads", None) else None
        out.append((h.pk, f"{h.house_no} {head.first_name} {head.last_name}" if head else h.code))
    return out


def _be_month(month: Month) -> str:
    """``2567-03``: the month as a Thai officer types it."""
    return f"{to_be(month.year)}-{month.month:02d}"


# --- the plan of an area or a zone -----------------------------------------------------


def _target(request: HttpRequest, code: str | None, zone_id: int | None) -> tuple[Area, Zone | None]:
    """The area of a page (scoped), or a zone and its province (the zone is read where
    the province is)."""
    if zone_id is None:
        return area_or_404(request, code or ""), None
    zone = zone_by_id(zone_id)
    if zone is None:
        raise Http404
    return area_or_404(request, zone.province_id), zone


def _link(name: str, area: Area, zone: Zone | None, year: int | None = None) -> str:
    """A plans URL of the area's page or of the zone's (``zone_…`` names)."""
    url = reverse(f"plans:zone_{name}", args=[zone.pk]) if zone else reverse(f"plans:{name}", args=[area.code])
    return f"{url}?year={year}" if year is not None else url


def _level(area: Area, zone: Zone | None) -> str:
    return Level.ZONE if zone is not None else str(area.level)


def plan_page(request: HttpRequest, code: str | None = None, zone_id: int | None = None) -> HttpResponse:
    area, zone = _target(request, code, zone_id)
    year = _year(request)
    if zone is None:
        ap = selectors.area_plan_for_user(request.user, area, year)
        forums_qs = selectors.forums_qs_for_user(request.user).filter(under_q(area.code))
        demand = selectors.demand_for_user(request.user, area, year) if area.level != "village" else []
    else:
        ap = selectors.zone_plan_for_user(request.user, zone, year)
        forums_qs = selectors.forums_qs_for_user(request.user).filter(zone=zone)
        demand = selectors.demand_of(i for items in ap.by_actor.values() for i in items)
    blocks = [(a, Actor(a).label, ap.by_actor.get(a, [])) for a in ACTOR_ORDER]
    level = _level(area, zone)
    can_edit = can(request.user, Write.PLAN_EDIT, area.code)
    context: dict[str, Any] = {
        "area": area,
        "zone": zone,
        "level": level,
        "crumbs": area_breadcrumbs_for_user(request.user, area),
        "year": year,
        "years": list(range(year - 2, year + 3)),
        "ap": ap,
        "blocks": blocks,
        "evidence_counts": ap.evidence_counts,
        "forums": list(forums_qs.order_by("-held_on")[:12]),
        "can_forum": can(request.user, Write.FORUM_RECORD, area.code),
        "can_edit": can_edit,
        "can_merge": level == Level.TAMBON and can_edit,
        "can_vision": level in services.HIGHER_LEVELS and can(request.user, Write.PROVINCIAL_PLAN, area.code),
        "demand": demand,
        "shares": selectors.adoption_shares_for_user(request.user, area, year) if level == Level.PROVINCE else None,
        "zones": zones_of_province(area) if level == Level.PROVINCE else [],
        "certify_form": CertifyForm(),
        "links": {
            name: _link(name, area, zone, None if name == "forum_add" else year)
            for name in ("forum_add", "item_add", "provincial", "certify", "plan_pdf", "plan_xlsx")
        }
        | {"merge": _link("merge", area, None, year) if zone is None else ""}
        | {
            "matching": f"{reverse('matching:area', args=[area.code])}?year={year}"
            if zone is None and level in MATCHED
            else ""
        },
    }
    return render(request, "plans/plan.html", context)


def summary(request: HttpRequest, code: str) -> HttpResponse:
    """The part of an area's page about forums and plans: a tambon's villages that met
    this month and those that did not; a province's adoption shares."""
    area = area_or_404(request, code)
    if area.level not in ("tambon", "province"):
        raise Http404
    month = current_month()
    year = fiscal_year(timezone.localdate())
    context: dict[str, Any] = {"area": area, "month": month, "year": year}
    if area.level == "tambon":
        rows = selectors.tambon_forums_month(request.user, area, month)
        if not any(r.met for r in rows):  # early in the month: the forums of last month's data
            month = month.previous()
            rows = selectors.tambon_forums_month(request.user, area, month)
        context |= {"rows": rows, "month": month, "met": sum(1 for r in rows if r.met)}
    if area.level == "province":
        context["shares"] = selectors.adoption_shares_for_user(request.user, area, year)
    return render(request, "plans/_summary.html", context)


@require_POST
def certify(request: HttpRequest, code: str | None = None, zone_id: int | None = None) -> HttpResponse:
    area, zone = _target(request, code, zone_id)
    if not can(request.user, Write.PLAN_EDIT, area.code):
        raise Http404
    year = _year(request)
    form = CertifyForm(request.POST)
    if form.is_valid():
        try:
            actor = actor_from_request(request)
            plan = services.plan_get_or_create(actor=actor, area=area, zone=zone, fiscal_year=year)
            services.certification_add(actor=actor, plan=plan, **form.cleaned_data)
            messages.success(request, _("The certification is recorded."))
        except services.PlanError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Check the certification: %(errors)s") % {"errors": errors_text(form)})
    return redirect(_link("area", area, zone, year))


# --- forums --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def forum_add(request: HttpRequest, code: str | None = None, zone_id: int | None = None) -> HttpResponse:
    area, zone = _target(request, code, zone_id)
    if not can(request.user, Write.FORUM_RECORD, area.code):
        raise Http404
    return _forum_form(request, area, zone, None)


@require_http_methods(["GET", "POST"])
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_get_for_user(request.user, pk)
    if not can(request.user, Write.FORUM_RECORD, forum.area_id):
        raise Http404
    return _forum_form(request, forum.area, forum.zone, forum)


# The levels whose items are matched to the programmes (the matching app's page).
MATCHED = (Level.TAMBON, Level.DISTRICT, Level.PROVINCE)

DEFAULT_MECHANISM: dict[str, str] = {Level.VILLAGE: Mechanism.VILLAGE_COMMITTEE, Level.TAMBON: Mechanism.TAMBON_TEAM}


def _forum_form(request: HttpRequest, area: Area, zone: Zone | None, forum: Forum | None) -> HttpResponse:
    households = _household_choices(request, area)
    if forum is not None:
        initial = {
            "held_on": forum.held_on, "month": _be_month(Month.of(forum.month)), "mechanism": forum.mechanism,
            "place": forum.place, "facilitators": forum.facilitators, "attendance": forum.attendance,
            "minutes": forum.minutes, "households_present": list(forum.households_present.values_list("pk", flat=True)),
        }  # fmt: skip
    else:
        initial = {
            "held_on": timezone.localdate(),
            "month": current_month().previous().iso(),
            "mechanism": DEFAULT_MECHANISM.get(_level(area, zone), Mechanism.PROVINCIAL_TEAM),
        }
    form = ForumForm(request.POST or None, initial=initial, households=households)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.ForumInput(
            held_on=d["held_on"], month=d["month"], mechanism=d["mechanism"], place=d["place"],
            facilitators=d["facilitators"], attendance=d["attendance"], minutes=d["minutes"],
            households_present=d.get("households_present") or [],
        )  # fmt: skip
        try:
            saved = services.forum_record(
                actor=actor_from_request(request), area=area, zone=zone, data=data, forum=forum
            )
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The forum is recorded."))
            return redirect("plans:forum", pk=saved.pk)
    return render(
        request,
        "plans/forum_form.html",
        {
            "area": area,
            "zone": zone,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "form": form,
            "forum": forum,
            "back": _link("area", area, zone),
        },
    )


def forum_page(request: HttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_get_for_user(request.user, pk)
    findings = list(forum.findings.select_related("problem").prefetch_related("evidence", "items"))
    problems = [f for f in findings if f.kind == Finding.Kind.PROBLEM]
    details: dict[int, list[Finding]] = {p.pk: [] for p in problems}
    for f in findings:
        if f.problem_id in details:
            details[f.problem_id].append(f)
    used = {f.question_key for f in problems if f.question_key}
    context = {
        "forum": forum,
        "area": forum.area,
        "zone": forum.zone,
        "back": _link("area", forum.area, forum.zone, fiscal_year(forum.held_on)),
        "crumbs": area_breadcrumbs_for_user(request.user, forum.area, include_self=True),
        "problems": [(p, details[p.pk], selectors.finding_evidence_views(request.user, p)) for p in problems],
        "questions": [q for q in forum.pack.get("questions", []) if q.get("key") != "none"],
        "used": used,
        "headlines": forum.pack.get("headlines", []),
        "printed_at": _printed_at(forum),
        "present": selectors.forum_households_present_for_user(request.user, forum),
        "can_edit": can(request.user, Write.FORUM_RECORD, forum.area_id),
        "can_plan": can(request.user, Write.PLAN_EDIT, forum.area_id),
        "can_see_files": scope_of(request.user).can_read_persons_in(forum.area_id),
        "finding_form": FindingForm(),
        "file_form": ForumFileForm(),
        "year": fiscal_year(forum.held_on),
    }
    return render(request, "plans/forum.html", context)


def _printed_at(forum: Forum) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(forum.pack.get("printed_at", "")))
    except ValueError:
        return None


def _forum_for_write(request: HttpRequest, pk: int) -> Forum:
    forum = selectors.forum_get_for_user(request.user, pk)
    if not can(request.user, Write.FORUM_RECORD, forum.area_id):
        raise Http404
    return forum


@require_POST
def forum_question(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum_for_write(request, pk)
    try:
        services.problem_from_question(
            actor=actor_from_request(request), forum=forum, question_key=request.POST.get("question", "")
        )
        messages.success(request, _("The question is a problem of the forum now, with its figure as evidence."))
    except services.PlanError as error:
        messages.error(request, str(error))
    return redirect("plans:forum", pk=forum.pk)


@require_POST
def forum_finding(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum_for_write(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        problem = forum.findings.filter(pk=d["problem"], kind=Finding.Kind.PROBLEM).first() if d["problem"] else None
        try:
            services.finding_add(
                actor=actor_from_request(request), forum=forum, kind=d["kind"], text=d["text"], problem=problem
            )
        except services.PlanError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, errors_text(form))
    return redirect("plans:forum", pk=forum.pk)


@require_POST
def forum_file(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum_for_write(request, pk)
    form = ForumFileForm(request.POST, request.FILES)
    if form.is_valid():
        services.forum_file_add(
            actor=actor_from_request(request),
            forum=forum,
            file=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
        )
        messages.success(request, _("The file is kept with the forum."))
    else:
        messages.error(request, errors_text(form))
    return redirect("plans:forum", pk=forum.pk)


# --- items ---------------------------------------------------------------------------


def _item_form(request: HttpRequest, area: Area, year: int, item: PlanItem | None) -> ItemForm:
    forums = selectors.forums_qs_for_user(request.user).filter(under_q(area.code))
    problems = [
        (f.pk, f"{f.forum.area.display_name}: {f.text[:90]}")
        for fo in forums.prefetch_related("findings")
        for f in fo.findings.all()
        if f.kind == Finding.Kind.PROBLEM
    ]
    tambon = area.tambon_code or ""
    groups = [(g.pk, g.name) for g in organisations_in_tambon(tambon)] if tambon else []
    initial: dict[str, Any] = {}
    if item is not None:
        people = list(item.people.all())
        initial = {
            "title": item.title, "actor": item.actor, "problem_text": item.problem_text, "problem_id": item.problem_id,
            "domain": item.domain, "kind": item.kind, "households": item.households, "cost": item.cost,
            "amount_asked": item.amount_asked, "group_id": item.group_id, "group_name": item.group_name,
            "owner": next((p.name for p in people if p.role == "main"), ""),
            "team": "\n".join(p.name for p in people if p.role == "team"),
            "committed": list(item.committed.values_list("pk", flat=True)),
        }  # fmt: skip
    elif request.GET.get("problem"):
        initial = {"problem_id": request.GET.get("problem")}
    return ItemForm(
        request.POST or None,
        initial=initial,
        problems=problems,
        groups=groups,
        households=_household_choices(request, area),
    )


def _item_input(d: dict[str, Any], year: int) -> services.ItemInput:
    return services.ItemInput(
        title=d["title"], actor=d["actor"], domain=d["domain"], kind=d["kind"], households=d["households"] or 0,
        cost=d["cost"] or Decimal(0), amount_asked=d["amount_asked"], problem_text=d["problem_text"],
        problem_id=d["problem_id"], owner=d["owner"], team=[n for n in d["team"].splitlines() if n.strip()],
        group_id=d["group_id"], group_name=d["group_name"], committed=d.get("committed") or [], fiscal_year=year,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, code: str | None = None, zone_id: int | None = None) -> HttpResponse:
    area, zone = _target(request, code, zone_id)
    if not can(request.user, Write.PLAN_EDIT, area.code):
        raise Http404
    return _item_write(request, area, zone, _year(request), None)


def _item_for_write(request: HttpRequest, pk: int) -> PlanItem:
    item = selectors.plan_item_get_for_user(request.user, pk)
    if not can(request.user, Write.PLAN_EDIT, item.plan.area_id):
        raise Http404
    return item


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    return _item_write(request, item.plan.area, item.plan.zone, item.fiscal_year, item)


def _item_write(request: HttpRequest, area: Area, zone: Zone | None, year: int, item: PlanItem | None) -> HttpResponse:
    """The item form: a new item of the area's (or zone's) plan, or a change to one."""
    form = _item_form(request, area, year, item)
    if request.method == "POST" and form.is_valid():
        data = _item_input(form.cleaned_data, year)
        try:
            actor = actor_from_request(request)
            if item is None:
                plan = services.plan_get_or_create(actor=actor, area=area, zone=zone, fiscal_year=year)
                saved = services.item_create(actor=actor, plan=plan, data=data)
            else:
                saved = services.item_update(actor=actor, item=item, data=data)
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The item is in the plan.") if item is None else _("The item is saved."))
            return redirect("plans:item", pk=saved.pk)
    context = {
        "area": area, "zone": zone, "crumbs": area_breadcrumbs_for_user(request.user, area), "form": form,
        "year": year, "item": item, "back": _link("area", area, zone, year),
    }  # fmt: skip
    return render(request, "plans/item_form.html", context)


def _figure_choices() -> list[tuple[str, str]]:
    return [(k, str(f.label)) for k, f in figures.FIGURES.items()]


def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.plan_item_get_for_user(request.user, pk)
    area = item.plan.area
    month = current_month().previous()
    context = {
        "item": item,
        "area": area,
        "zone": item.plan.zone,
        "back": _link("area", area, item.plan.zone, item.fiscal_year),
        "crumbs": area_breadcrumbs_for_user(request.user, area, include_self=True),
        "evidence": selectors.item_evidence_views(request.user, item),
        "changes": list(item.changes.all()),
        "people": list(item.people.all()),
        "sources": list(item.sources.select_related("plan__area")),
        "committed": selectors.item_committed_for_user(request.user, item),
        "can_edit": can(request.user, Write.PLAN_EDIT, area.code),
        "can_adopt": can(request.user, Write.PROVINCIAL_PLAN, area.code),
        "can_see_files": scope_of(request.user).can_read_persons_in(area.code),
        "status_form": StatusForm(initial={"status": item.status}),
        "cite_form": CiteForm(
            figures=_figure_choices(), initial={"area": area.code, "start": _be_month(month), "end": _be_month(month)}
        ),
        "other_form": OtherEvidenceForm(),
        "adoption_form": AdoptionForm(
            initial={
                "local_plan_years": item.local_plan_years,
                "project_no": item.local_plan_project_no,
                "provincial": item.provincial_adoption,
            }
        ),
        "statuses": dict(Status.choices),
        "asks": item.actor in ASKING,
    }
    return render(request, "plans/item.html", context)


@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.item_status_set(actor=actor_from_request(request), item=item, **form.cleaned_data)
            messages.success(request, _("The status is changed."))
        except services.PlanError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, errors_text(form))
    return redirect("plans:item", pk=item.pk)


@require_POST
def item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    actor = actor_from_request(request)
    try:
        if request.POST.get("type") == "other":
            other = OtherEvidenceForm(request.POST, request.FILES)
            if not other.is_valid():
                raise services.PlanError(errors_text(other))
            services.evidence_add_other(actor=actor, item=item, data=services.OtherEvidenceInput(**other.cleaned_data))
        else:
            cite = CiteForm(request.POST, figures=_figure_choices())
            if not cite.is_valid():
                raise services.PlanError(errors_text(cite))
            d = cite.cleaned_data
            try:
                area = area_get_for_user(request.user, d["area"])
            except Area.DoesNotExist:
                raise services.PlanError(_("No area with that code in your scope.")) from None
            services.evidence_cite(
                actor=actor, item=item, figure=d["figure"], category=d["category"] or None, area=area,
                start=d["start"], end=d["end"],
            )  # fmt: skip
        messages.success(request, _("The evidence is cited."))
    except services.PlanError as error:
        messages.error(request, str(error))
    return redirect("plans:item", pk=item.pk)


@require_POST
def item_adoption(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.plan_item_get_for_user(request.user, pk)
    if not can(request.user, Write.PROVINCIAL_PLAN, item.plan.area_id):
        raise Http404
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            services.item_adoption_set(actor=actor_from_request(request), item=item, **form.cleaned_data)
            messages.success(request, _("The adoption is recorded."))
        except services.PlanError as error:
            messages.error(request, str(error))
    return redirect("plans:item", pk=item.pk)


# --- upward --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level != "tambon":
        raise Http404
    if not can(request.user, Write.PLAN_EDIT, area.code):
        raise Http404
    year = _year(request)
    candidates = [
        i
        for i in selectors.plan_items_under(request.user, area.code, year)
        if i.plan.level == Level.VILLAGE and i.actor in ASKING and i.merged_into_id is None
    ]
    form = MergeForm(
        request.POST or None,
        sources=[(i.pk, f"{i.plan.area.display_name}: {i.title} ({i.households})") for i in candidates],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = [i for i in candidates if i.pk in set(d["sources"])]
        try:
            actor = actor_from_request(request)
            plan = services.plan_get_or_create(actor=actor, area=area, fiscal_year=year)
            merged = services.items_merge(
                actor=actor, plan=plan, sources=chosen,
                data=services.ItemInput(title=d["title"], actor=d["actor"], domain=d["domain"], kind=d["kind"]),
            )  # fmt: skip
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The tambon item gathers %(n)s village items.") % {"n": len(chosen)})
            return redirect("plans:item", pk=merged.pk)
    return render(
        request,
        "plans/merge.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "form": form,
            "year": year,
            "candidates": candidates,
        },
    )


@require_http_methods(["GET", "POST"])
def provincial(request: HttpRequest, code: str | None = None, zone_id: int | None = None) -> HttpResponse:
    """The vision, period and strategic issues of a district's, zone's or province's plan."""
    area, zone = _target(request, code, zone_id)
    if _level(area, zone) not in services.HIGHER_LEVELS:
        raise Http404
    if not can(request.user, Write.PROVINCIAL_PLAN, area.code):
        raise Http404
    year = _year(request)
    actor = actor_from_request(request)
    ap = (
        selectors.zone_plan_for_user(request.user, zone, year)
        if zone
        else selectors.area_plan_for_user(request.user, area, year)
    )
    plan = ap.plan
    items = [
        (i.pk, f"{i.plan.area.display_name}: {i.title}") for i in ap.below + ap.items if i.plan.level != Level.VILLAGE
    ]
    vision = ProvincialForm(
        request.POST if request.POST.get("form") == "vision" else None,
        initial={
            "title": plan.title,
            "vision": plan.vision,
            "target_year": plan.target_year,
            "period_end": plan.period_end,
        }
        if plan
        else {},
    )
    issue = IssueForm(request.POST if request.POST.get("form") == "issue" else None, items=items)
    try:
        if request.method == "POST" and request.POST.get("form") == "vision" and vision.is_valid():
            plan = services.plan_get_or_create(actor=actor, area=area, zone=zone, fiscal_year=year)
            services.plan_vision_set(actor=actor, plan=plan, **vision.cleaned_data)
            messages.success(request, _("The plan's vision is saved."))
            return redirect(_link("provincial", area, zone, year))
        if request.method == "POST" and request.POST.get("form") == "issue" and issue.is_valid():
            d = issue.cleaned_data
            plan = services.plan_get_or_create(actor=actor, area=area, zone=zone, fiscal_year=year)
            chosen = list(selectors.plan_items_qs_for_user(request.user).filter(pk__in=d.pop("items")))
            services.issue_set(actor=actor, plan=plan, items=chosen, **d)
            messages.success(request, _("The strategic issue is saved."))
            return redirect(_link("provincial", area, zone, year))
    except services.PlanError as error:
        messages.error(request, str(error))
    return render(
        request,
        "plans/provincial.html",
        {
            "area": area,
            "zone": zone,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "ap": ap,
            "year": year,
            "vision": vision,
            "issue": issue,
            "back": _link("area", area, zone, year),
        },
    )


# --- stored files: photos and documents may show people, so they are person-level ---


PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")


def _stored(request: HttpRequest, field: Any, area_code: str, what: str, pk: int) -> FileResponse:
    """A stored file, for a reader of persons in its area, audited. Only a photo is shown
    in the browser; anything else is downloaded (an uploaded page never runs here)."""
    if not field or not scope_of(request.user).can_read_persons_in(area_code):
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = str(field.name).rsplit("/", 1)[-1]
    audit_record(
        actor=actor_from_request(request), action=Action.VIEW, object_type=what, object_id=pk, area_code=area_code
    )
    return FileResponse(handle, filename=name, as_attachment=not name.lower().endswith(PHOTO_TYPES))


def forum_file_get(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    forum = selectors.forum_get_for_user(request.user, pk)
    stored = forum.files.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    return _stored(request, stored.file, forum.area_id, "forum_file", stored.pk)


def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    item = selectors.plan_item_get_for_user(request.user, pk)
    found = next((e for e, _via in selectors.item_evidence(item) if e.pk == evidence_id), None)
    if found is None or not found.file:
        raise Http404
    owner = found.item.plan.area_id if found.item_id else found.finding.forum.area_id  # type: ignore[union-attr]
    return _stored(request, found.file, owner, "evidence", found.pk)

"""The partner negotiation forum (เวทีเจรจาภาคี) and the funding ledger.

``…/area/<code>/negotiations/`` lists an area's forums of a fiscal year and records a new
one (the bodies present; the latest match's allocations become suggestions);
``…/negotiations/<pk>/`` is the forum's board — the items grouped by the body asked,
each with its evidence, cost and the body's programmes that may pay — where each
body's answer is recorded; ``…/pack.pdf`` prints it for the meeting (QR codes to the
live items; the public copy, under the small-cell rule). ``…/area/<code>/ledger/``
follows every match afterwards: in the local development plan, in the budget
ordinance, disbursed, done — each step dated and signed.

Everything here is aggregate (items, bodies, amounts; never a household). Reading
follows the area (``area_or_404``; a forum of an area out of scope is the same 404 as
none); writing is ``Write.NEGOTIATION_RECORD``, refused with the same 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.scope import PUBLIC, scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.selectors import areas_by_code
from chumchon.core.forms import be_text, errors_text
from chumchon.core.pdf import render_pdf
from chumchon.core.qr import live_link
from chumchon.core.thai import Month
from chumchon.matching import selectors, services
from chumchon.matching.forms import NegotiationForm, OutcomeForm, StepForm
from chumchon.matching.models import Body, DeclineReason, Match, Negotiation, Stage
from chumchon.matching.views import LEVELS, _year
from chumchon.plans import selectors as plan_selectors
from chumchon.registry.selectors import current_month


def _negotiation_or_404(request: HttpRequest, pk: int) -> Negotiation:
    try:
        return selectors.negotiation_get_for_user(request.user, pk)
    except Negotiation.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def negotiations(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level not in LEVELS:
        raise Http404
    year = _year(request)
    can_record = can(request.user, Write.NEGOTIATION_RECORD, area.code)
    bodies = [(b.pk, f"{b.name} ({b.get_kind_display()})")
              for b in Body.objects.filter(province__code=area.province_code).order_by("kind", "name")]  # fmt: skip
    form = NegotiationForm(bodies=bodies, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        if not can_record:
            raise Http404
        form = NegotiationForm(request.POST, bodies=bodies)
        if form.is_valid():
            d = form.cleaned_data
            try:
                negotiation = services.negotiation_create(
                    actor=actor_from_request(request), area=area, fiscal_year=year,
                    data=services.NegotiationInput(held_on=d["held_on"], place=d["place"], bodies=d["bodies"],
                                                   notes=d["notes"]),
                )  # fmt: skip
            except services.MatchingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The negotiation forum is recorded. Record each body's answer below."))
                return redirect("matching:negotiation", negotiation.pk)
    context = {
        "area": area,
        "crumbs": area_breadcrumbs_for_user(request.user, area, include_self=True),
        "year": year,
        "years": list(range(year - 2, year + 3)),
        "negotiations": selectors.negotiations_of(area, year),
        "other_years": selectors.negotiations_other_years(area, year),
        "form": form if can_record else None,
        "has_bodies": bool(bodies),
    }
    return render(request, "matching/negotiations.html", context, status=400 if form.errors else 200)


def _board_context(request: HttpRequest, negotiation: Negotiation, *, printed: bool) -> dict[str, object]:
    reader = PUBLIC if printed else request.user
    groups = selectors.negotiation_board(request.user, reader, negotiation)
    for group in groups:
        for row in group.rows:
            row.link = live_link(reverse("plans:item", args=[row.item.pk])) if printed else None
    return {
        "negotiation": negotiation,
        "area": negotiation.area,
        "groups": groups,
        "stages": Stage,
        "reasons": DeclineReason.choices,
        "items_count": len({r.item.pk for g in groups for r in g.rows}),
    }


@require_GET
def negotiation(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _negotiation_or_404(request, pk)
    context = _board_context(request, negotiation, printed=False)
    context |= {
        "crumbs": area_breadcrumbs_for_user(request.user, negotiation.area, include_self=True),
        "can_record": can(request.user, Write.NEGOTIATION_RECORD, negotiation.area_id),
        "today": be_text(timezone.localdate()),
    }
    return render(request, "matching/negotiation.html", context)


@require_http_methods(["POST"])
def negotiation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _negotiation_or_404(request, pk)
    if not can(request.user, Write.NEGOTIATION_RECORD, negotiation.area_id):
        raise Http404
    programmes: list[tuple[int, str]] = []  # the programmes of the body posted, that year
    body_text = request.POST.get("body", "")
    if body_text.isdigit():
        body = negotiation.bodies.filter(pk=int(body_text)).first()
        if body is not None:
            programmes = [
                (p.pk, f"{p.code} {p.name}") for p in body.programmes.filter(fiscal_year=negotiation.fiscal_year)
            ]
    form = OutcomeForm(request.POST, programmes=programmes)
    back = reverse("matching:negotiation", args=[negotiation.pk])
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(back)
    d = form.cleaned_data
    try:
        match = services.outcome_record(
            actor=actor_from_request(request), negotiation=negotiation,
            data=services.OutcomeInput(item=d["item"], body=d["body"], outcome=d["outcome"], amount=d["amount"],
                                       programme=d["programme"], conditions=d["conditions"], reason=d["reason"],
                                       note=d["note"]),
        )  # fmt: skip
    except services.MatchingError as error:
        messages.error(request, str(error))
        return redirect(f"{back}#item-{d['item']}")
    messages.success(
        request,
        _("%(body)s: %(outcome)s — %(item)s")
        % {"body": match.body.name, "outcome": match.get_stage_display(), "item": match.item.title},
    )
    return redirect(f"{back}#item-{match.item_id}")


@require_GET
def negotiation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _negotiation_or_404(request, pk)
    context = _board_context(request, negotiation, printed=True)
    context["printed_on"] = timezone.localdate()
    pdf = render_pdf("matching/negotiation_pdf.html", context)
    audit_record(
        actor=actor_from_request(request), action=Action.EXPORT, object_type="negotiation",
        object_id=negotiation.pk, area_code=negotiation.area_id, detail={"format": "pdf"},
    )  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"negotiation-{negotiation.area_id}-{negotiation.fiscal_year}-{negotiation.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level not in LEVELS:
        raise Http404
    year = _year(request)
    rows = selectors.ledger_for_user(request.user, area, year)
    can_step = {m.pk for m in rows if can(request.user, Write.NEGOTIATION_RECORD, m.area_code)}
    next_steps = {m.pk: [s for s in services.AFTER_ACCEPTANCE[1:] if services.stage_allowed(m.stage, s)] for m in rows}
    totals: dict[str, int] = {}
    for m in rows:
        totals[m.stage] = totals.get(m.stage, 0) + 1
    total, by_child = selectors.funded_shares_for_user(request.user, area, year)
    names = areas_by_code({s.area_code for s in by_child})
    context = {
        "funded": total,
        "funded_rows": [(names.get(s.area_code), s) for s in by_child],
        "area": area,
        "crumbs": area_breadcrumbs_for_user(request.user, area, include_self=True),
        "year": year,
        "years": list(range(year - 2, year + 3)),
        "rows": [(m, next_steps[m.pk] if m.pk in can_step else []) for m in rows],
        "totals": [
            (Stage(s).label, n) for s, n in sorted(totals.items(), key=lambda t: list(Stage).index(Stage(t[0])))
        ],
        "today": be_text(timezone.localdate()),
    }
    return render(request, "matching/ledger.html", context)


@require_http_methods(["POST"])
def match_step(request: HttpRequest, pk: int) -> HttpResponse:
    match = Match.objects.filter(pk=pk).first()
    if match is None or not scope_of(request.user).can_read_aggregates_in(match.area_code):
        raise Http404
    if not can(request.user, Write.NEGOTIATION_RECORD, match.area_code):
        raise Http404
    form = StepForm(request.POST)
    area_code = request.POST.get("area", "")  # the ledger's area, an ancestor of the item's
    if not (area_code and match.area_code.startswith(area_code)):
        area_code = match.area_code[:6]
    back = f"{reverse('matching:ledger', args=[area_code])}?year={match.fiscal_year}#match-{match.pk}"
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(back)
    d = form.cleaned_data
    on: dt.date = d["on"]
    if on > timezone.localdate():
        messages.error(request, _("A step is recorded on the day it happened, not ahead."))
        return redirect(back)
    try:
        services.match_step(actor=actor_from_request(request), match=match, stage=d["stage"], on=on, note=d["note"])
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The step is recorded."))
    return redirect(back)


@require_GET
def item_change(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed: an item's figures before it started and after (issue 13 §6). An item
    not started yet (no money disbursed, not done) has no such page: 404, as out of scope."""
    item = plan_selectors.plan_item_get_for_user(request.user, pk)  # 404 out of scope
    started_on = selectors.item_started_on(item)
    if started_on is None:
        raise Http404
    started = Month.of(started_on)
    latest = current_month().previous()  # the last whole month of accounts
    months, rows = plan_selectors.before_after_for_user(request.user, item, started, latest)
    area = item.plan.area
    context = {
        "item": item,
        "area": area,
        "crumbs": area_breadcrumbs_for_user(request.user, area, include_self=True),
        "started_on": started_on,
        "months": months,
        "rows": rows,
        "latest": latest,
    }
    return render(request, "matching/item_change.html", context)

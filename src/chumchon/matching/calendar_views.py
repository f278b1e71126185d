"""The budget calendar of a tambon's local governments and the deadlines of its items.

``…/area/<code>/calendar/`` shows, for the fiscal year being budgeted, each local
government's dates (the regulation's defaults until its own are saved), the steps each
open item must pass by when — in the local development plan, in the draft budget
ordinance, requested from an agency by its programme's deadline — and what is late; a
form keeps a local government's own dates. ``…/calendar/summary/`` is the part of the
tambon's page that names the next deadline (loaded by HTMX).

Aggregates only (items, dates); read where the area is read; written with
``Write.NEGOTIATION_RECORD`` (the tambon's staff and the coordinators), refused as 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.core.forms import errors_text
from chumchon.matching import selectors, services
from chumchon.matching.forms import CalendarForm
from chumchon.matching.views import _year


@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level != "tambon":
        raise Http404
    year = _year(request)
    can_edit = can(request.user, Write.NEGOTIATION_RECORD, area.code)
    bodies = {b.pk: b for b in selectors.local_governments_of(area.code)}
    if request.method == "POST":
        if not can_edit:
            raise Http404
        form = CalendarForm(request.POST)
        back = f"{reverse('matching:calendar', args=[area.code])}?year={year}"
        if not form.is_valid():
            messages.error(request, errors_text(form))
            return redirect(back)
        d = form.cleaned_data
        body = bodies.get(d["body"])
        if body is None:
            raise Http404
        try:
            outcome = services.calendar_save(
                actor=actor_from_request(request), body=body, tambon_code=area.code, fiscal_year=year,
                data=services.CalendarInput(plan_amended_by=d["plan_amended_by"],
                                            draft_to_council_by=d["draft_to_council_by"], council_by=d["council_by"],
                                            starts_on=d["starts_on"], note=d["note"]),
            )  # fmt: skip
        except services.MatchingError as error:
            messages.error(request, str(error))
        else:
            if outcome != "unchanged":
                messages.success(request, _("The budget calendar of %(body)s is kept.") % {"body": body.name})
        return redirect(back)
    today = timezone.localdate()
    calendars = selectors.calendars_for_tambon(area.code, year)
    forms = [(c, CalendarForm(initial={"body": c.body_id, **dict(c.dates()), "note": c.note})) for c in calendars]
    dues = selectors.dues_for_user(request.user, area, year)
    context = {
        "area": area,
        "crumbs": area_breadcrumbs_for_user(request.user, area, include_self=True),
        "year": year,
        "years": list(range(year - 2, year + 2)),
        "forms": forms,
        "can_edit": can_edit,
        "dues": [(d, d.late(today)) for d in dues],
        "late": sum(1 for d in dues if d.late(today)),
        "today": today,
    }
    return render(request, "matching/calendar.html", context)


@require_GET
def calendar_summary(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level != "tambon":
        raise Http404
    summary = selectors.calendar_summary_for_user(request.user, area, timezone.localdate())
    return render(request, "matching/_calendar_summary.html", {"area": area, "s": summary})

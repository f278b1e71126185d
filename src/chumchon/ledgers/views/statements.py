"""Ledger pages: the household statement ("รู้จักตัวเอง") as a page and as PDF, the
village batch of statements, and household enterprises with their profit and loss.

Scope is person-level and goes through the registry's selectors: a household or
village outside it, or any for an aggregate-only role, is a 404, and nothing is
written to the audit log on refusal. Every page or PDF shown is audited ("view" for
pages, "export" for PDFs).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.areas.models import Area
from chumchon.core.forms import BEDateField
from chumchon.core.thai import Month, months_between
from chumchon.core.worker import start_background_worker
from chumchon.ledgers.models import Enterprise, EnterpriseKind, StatementBatch
from chumchon.ledgers.selectors import area_default_month
from chumchon.ledgers.services import EnterpriseInput, LedgerError, enterprise_create, enterprise_tag_entries
from chumchon.ledgers.statement_batches import (
    statement_batch_check,
    statement_batch_record_download,
    statement_batch_start,
)
from chumchon.ledgers.statement_pdfs import IN_REQUEST_LIMIT, statement_filename, statements_pdf
from chumchon.ledgers.statements import (
    Period,
    enterprise_get_for_user,
    enterprise_pnls,
    enterprise_tag_candidates,
    household_statement_periods,
    statement_batch_get_for_user,
    statement_batch_pdf_available,
    statement_batch_pdf_path,
    statement_batches_recent_for_user,
    statement_default_month,
    statements_build,
    village_get_for_statements,
    village_reporting_households_for_user,
    village_statement_periods,
)
from chumchon.registry.models import Household
from chumchon.registry.selectors import household_get_for_user

SECONDS_PER_PAGE = 0.7  # for the estimate shown before a batch starts


def _household(request: HttpRequest, pk: int) -> Household:
    try:
        return household_get_for_user(request.user, pk)
    except Household.DoesNotExist:
        raise Http404 from None


def _village(request: HttpRequest, code: str) -> Area:
    try:
        return village_get_for_statements(request.user, code)
    except Area.DoesNotExist:
        raise Http404 from None


def _period(request: HttpRequest, default: Month) -> Period:
    try:
        return Period.from_params(request.GET, default=default)
    except ValueError:
        raise BadRequest("period") from None


def _village_month(village: Area) -> Month:
    """The village's last closed or complete month (the one definition of a default)."""
    return area_default_month(village.code).month


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- one household ------------------------------------------------------------------------


@require_GET
def statement_page(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    period = _period(request, statement_default_month(household))
    (statement,) = statements_build([household], period)
    audit_record(
        actor=actor_from_request(request), action=Action.VIEW, object_type="household_statement",
        object_id=household.pk, area_code=household.village_id, detail={"period": period.params},
    )  # fmt: skip
    periods = household_statement_periods(household)
    if period.picker_value not in {p.picker_value for p in periods}:
        periods.insert(0, period)
    return render(
        request,
        "ledgers/statement.html",
        {
            "household": household,
            "s": statement,
            "period": period,
            "periods": periods,
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "has_enterprises": household.enterprises.exists(),
        },
    )


@require_GET
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    period = _period(request, statement_default_month(household))
    statements = statements_build([household], period)
    pdf = statements_pdf(statements, title=f"รู้จักตัวเอง {household.code} {period.label}")
    audit_record(
        actor=actor_from_request(request), action=Action.EXPORT, object_type="household_statement",
        object_id=household.pk, area_code=household.village_id, detail={"period": period.params, "format": "pdf"},
    )  # fmt: skip
    return _pdf_response(pdf, statement_filename(household.code, period))


# --- a village --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def village_statements_page(request: HttpRequest, code: str) -> HttpResponse:
    """The village's reporting households for a period, and the batch PDF of them."""
    village = _village(request, code)
    if request.method == "POST" and not can(request.user, Write.STATEMENT_BATCH, village.code):
        raise PermissionDenied
    period = _period(request, _village_month(village))
    households = village_reporting_households_for_user(request.user, village, period)
    if request.method == "POST":
        if not households:
            messages.error(request, _("No household of this village reported in this period."))
            return redirect(f"{reverse('ledgers:village_statements', args=[village.code])}?{period.querystring}")
        batch = statement_batch_start(
            actor=actor_from_request(request), village=village, period=period, households=households
        )
        if not batch.is_finished:
            start_background_worker()
        return redirect("ledgers:statement_batch", token=batch.token)
    periods = village_statement_periods(village.code)
    if period.picker_value not in {p.picker_value for p in periods}:
        periods.insert(0, period)
    audit_record(
        actor=actor_from_request(request), action=Action.VIEW, object_type="household_statements",
        object_id=village.code, area_code=village.code,
        detail={"period": period.params, "households": [h.pk for h in households]},
    )  # fmt: skip
    return render(
        request,
        "ledgers/statement_village.html",
        {
            "area": village,
            "village": village,
            "crumbs": area_breadcrumbs_for_user(request.user, village),
            "period": period,
            "periods": periods,
            "households": households,
            "in_request": len(households) <= IN_REQUEST_LIMIT,
            "estimate_minutes": max(1, round(len(households) * SECONDS_PER_PAGE / 60)),
            "batches": [statement_batch_check(b) for b in statement_batches_recent_for_user(request.user, village)],
        },
    )


@require_GET
def village_statements_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """One PDF, a page per reporting household. Small villages are made here and now;
    bigger ones go to the village page, which makes them in the background."""
    village = _village(request, code)
    period = _period(request, _village_month(village))
    households = village_reporting_households_for_user(request.user, village, period)
    if not households or len(households) > IN_REQUEST_LIMIT:
        # The village page says why (nobody reported; or "made in the background" with its
        # button). No flash message: a GET leaves nothing behind for the next page.
        return redirect(f"{reverse('ledgers:village_statements', args=[village.code])}?{period.querystring}")
    pdf = statements_pdf(statements_build(households, period), title=f"รู้จักตัวเอง {village.code} {period.label}")
    audit_record(
        actor=actor_from_request(request), action=Action.EXPORT, object_type="household_statements",
        object_id=village.code, area_code=village.code,
        detail={"period": period.params, "households": [h.pk for h in households], "format": "pdf"},
    )  # fmt: skip
    return _pdf_response(pdf, statement_filename(village.code, period))


def _batch(request: HttpRequest, token: str) -> StatementBatch:
    """The user's own batch, brought up to date; 404 for anyone else's."""
    try:
        batch = statement_batch_get_for_user(request.user, token)
    except StatementBatch.DoesNotExist:
        raise Http404 from None
    return statement_batch_check(batch)


def _batch_context(batch: StatementBatch) -> dict[str, Any]:
    return {"batch": batch, "period": batch.period_obj, "pdf_available": statement_batch_pdf_available(batch)}


@require_GET
def statement_batch_page(request: HttpRequest, token: str) -> HttpResponse:
    batch = _batch(request, token)
    village = batch.village
    return render(
        request,
        "ledgers/statement_batch.html",
        {
            **_batch_context(batch),
            "area": village,
            "village": village,
            "crumbs": area_breadcrumbs_for_user(request.user, village),
        },
    )


@require_GET
def statement_batch_progress(request: HttpRequest, token: str) -> HttpResponse:
    batch = _batch(request, token)
    if batch.status == StatementBatch.Status.QUEUED:
        start_background_worker()  # e.g. the process that queued it has since restarted
    return render(request, "ledgers/statement_batch_progress.html", _batch_context(batch))


@require_GET
def statement_batch_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    batch = _batch(request, token)
    pdf = statement_batch_pdf_path(batch)
    if pdf is None or not statement_batch_pdf_available(batch):
        # Not made yet, failed, or deleted since: its page says which.
        return redirect("ledgers:statement_batch", token=batch.token)
    statement_batch_record_download(actor=actor_from_request(request), batch=batch)
    response = FileResponse(
        pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=statement_filename(batch.village_id, batch.period_obj),
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- enterprises --------------------------------------------------------------------------


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=EnterpriseKind.choices, initial=EnterpriseKind.OTHER, required=False
    )
    season = forms.CharField(
        label=gettext_lazy("Season or round"), max_length=60, required=False,
        help_text=gettext_lazy("e.g. นาปี 2567"),
    )  # fmt: skip
    area_rai = forms.DecimalField(
        label=gettext_lazy("Area (rai)"), required=False, min_value=Decimal("0.01"), max_digits=8, decimal_places=2
    )
    starts_on = BEDateField(label=gettext_lazy("Starts on"), required=False)
    ends_on = BEDateField(label=gettext_lazy("Ends on"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end is before the start."))
        data["kind"] = data.get("kind") or EnterpriseKind.OTHER  # a form without the field (older page)
        return data


def _can_write(request: HttpRequest, household: Household) -> bool:
    return can(request.user, Write.LEDGER_ENTRY, household.village_id)


@require_http_methods(["GET", "POST"])
def enterprises_page(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    can_write = _can_write(request, household)
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise Http404
        if form.is_valid():
            try:
                enterprise = enterprise_create(
                    actor=actor_from_request(request),
                    household=household,
                    data=EnterpriseInput(**form.cleaned_data),
                )
            except LedgerError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Enterprise added. Now tag its lines."))
                return redirect("ledgers:enterprise", pk=household.pk, eid=enterprise.pk)
    pnls = enterprise_pnls(household)
    audit_record(
        actor=actor_from_request(request), action=Action.VIEW, object_type="household_enterprises",
        object_id=household.pk, area_code=household.village_id,
    )  # fmt: skip
    return render(
        request,
        "ledgers/enterprises.html",
        {
            "household": household,
            "pnls": pnls,
            "form": form,
            "can_write": can_write,
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
        },
    )


def _month_param(request: HttpRequest, key: str, default: dt.date) -> dt.date:
    text = request.GET.get(key, "")
    if not text:
        return default
    try:
        return Month.parse(text).first_day
    except ValueError:
        raise BadRequest(key) from None


@require_http_methods(["GET", "POST"])
def enterprise_page(request: HttpRequest, pk: int, eid: int) -> HttpResponse:
    """One enterprise's profit and loss, and (for ledger writers) tagging the household's
    lines to it."""
    household = _household(request, pk)
    try:
        enterprise = enterprise_get_for_user(request.user, household.pk, eid)
    except Enterprise.DoesNotExist:
        raise Http404 from None
    can_write = _can_write(request, household)
    today = timezone.localdate()
    start = _month_param(request, "from", (enterprise.starts_on or today - dt.timedelta(days=365)).replace(day=1))
    end_month = _month_param(request, "to", (enterprise.ends_on or today).replace(day=1))
    end = Month.of(end_month).last_day
    if request.method == "POST":
        if not can_write:
            raise Http404
        try:
            shown = {int(v) for v in request.POST.getlist("shown")}
            checked = {int(v) for v in request.POST.getlist("tag")}
        except ValueError:
            raise BadRequest("lines") from None
        try:
            result = enterprise_tag_entries(
                actor=actor_from_request(request),
                enterprise=enterprise,
                tag=checked & shown,
                untag=shown - checked,
            )
        except LedgerError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Tags saved: %(tagged)s lines tagged, %(untagged)s untagged.")
                % {"tagged": result.tagged, "untagged": result.untagged},
            )
        return redirect(request.get_full_path())
    (pnl,) = enterprise_pnls(household, [enterprise])
    candidates = enterprise_tag_candidates(enterprise, start=start, end=end) if can_write else []
    audit_record(
        actor=actor_from_request(request), action=Action.VIEW, object_type="enterprise",
        object_id=enterprise.pk, area_code=household.village_id,
    )  # fmt: skip
    return render(
        request,
        "ledgers/enterprise.html",
        {
            "household": household,
            "enterprise": enterprise,
            "pnl": pnl,
            "can_write": can_write,
            "candidates": candidates,
            "from": Month.of(start),
            "to": Month.of(end),
            # Months by their Thai names and BE years (a browser's month input shows CE).
            "month_choices": sorted(
                {*months_between(Month.of(today).add(-35), Month.of(today)), Month.of(start), Month.of(end)},
                reverse=True,
            ),
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
        },
    )


urlpatterns = [
    path("household/<int:pk>/statement/", statement_page, name="statement"),
    path("household/<int:pk>/statement.pdf", statement_pdf, name="statement_pdf"),
    path("village/<str:code>/statements/", village_statements_page, name="village_statements"),
    path("village/<str:code>/statements.pdf", village_statements_pdf, name="village_statements_pdf"),
    path("statements/batch/<str:token>/", statement_batch_page, name="statement_batch"),
    path("statements/batch/<str:token>/progress/", statement_batch_progress, name="statement_batch_progress"),
    path("statements/batch/<str:token>.pdf", statement_batch_pdf, name="statement_batch_pdf"),
    path("household/<int:pk>/enterprises/", enterprises_page, name="enterprises"),
    path("household/<int:pk>/enterprises/<int:eid>/", enterprise_page, name="enterprise"),
]

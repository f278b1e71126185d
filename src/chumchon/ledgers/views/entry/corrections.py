"""Corrections of saved lines from the grid: a line is changed or removed by a new line
that reverses it, with a reason (see ``ledger_entry_correct`` / ``ledger_entry_reverse``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.access.permissions import Write, can
from chumchon.access.web import actor_from_request
from chumchon.core.thai import Month
from chumchon.ledgers.forms import CorrectionForm
from chumchon.ledgers.models import LedgerEntry
from chumchon.ledgers.selectors import ledger_entry_get_for_writer
from chumchon.ledgers.services import LedgerError, ledger_entry_correct, ledger_entry_reverse, month_is_closed
from chumchon.ledgers.views.entry.common import category_index, local_today
from chumchon.ledgers.views.entry.grid import render_grid


def _entry_for_fix(request: HttpRequest, entry_id: int) -> LedgerEntry:
    try:
        entry = ledger_entry_get_for_writer(request.user, entry_id)
    except LedgerEntry.DoesNotExist:
        raise Http404 from None
    if entry.household.erased_at is not None:
        raise Http404
    if entry.created_by_id != request.user.pk and not can(
        request.user, Write.LEDGER_CORRECT_OTHERS, entry.household.village_id
    ):
        raise Http404  # a volunteer corrects only the lines they entered
    return entry


def _fix(request: HttpRequest, entry_id: int, *, remove: bool) -> HttpResponse:
    entry = _entry_for_fix(request, entry_id)
    household = entry.household
    month = Month.of(entry.date)
    index = category_index()
    form = CorrectionForm(request.POST, month=month, index=index, today=local_today())
    grid_url = reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": month.iso()})
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        actor = actor_from_request(request)
        try:
            if remove:
                ledger_entry_reverse(actor=actor, entry=entry, reason=reason)
                messages.success(request, _("The line was removed; it stays in the history, struck through."))
                return redirect(f"{grid_url}#saved")
            line = form.line()
            if line is not None:
                new = ledger_entry_correct(actor=actor, entry=entry, line=line, reason=reason)
                messages.success(
                    request, _("The line was corrected; the old one stays in the history, struck through.")
                )
                return redirect(
                    reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": Month.of(new.date).iso()})
                    + "#saved"
                )
        except LedgerError as exc:
            form.add_error(None, str(exc))
    closed = month_is_closed(household.village_id, month.first_day)
    return render_grid(request, household, month, closed=closed, index=index, fix_id=entry.pk, fix_form=form)


@require_POST
def entry_correct(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _fix(request, entry_id, remove=False)


@require_POST
def entry_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _fix(request, entry_id, remove=True)
